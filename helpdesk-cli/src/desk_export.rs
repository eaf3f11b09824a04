//! `export --dir DIR` and `import DIR`: the whole desk in the versioned export format of
//! `helpdesk::export` (docs/export-format.md), streamed. `DIR/desk.jsonl` holds one record a
//! line, the header first and the trailer last; `DIR/attachments/<sha256>` the bytes of each
//! attachment. An import reads the stream twice: first every record is checked (nothing is
//! written when one breaks a rule, or the stream is cut off, or a file is missing or does
//! not hold the bytes of its name), then it is written into the empty desk, tickets in
//! batches (each one transaction on a store that restores in bulk), with a progress bar on
//! stderr. Only a failure of the database itself while writing (a full disk, a lost
//! connection) leaves part of the export written: the desk is then to be made anew.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use helpdesk::export::{Record, Restore, RestoreCounts, TicketRecord, Trailer};
use helpdesk::store::BlobKey;

use crate::CliResult;
use crate::context::Ctx;
use crate::exit::Failure;
use crate::seed::Progress;

/// The stream's file in the directory.
pub(crate) const STREAM: &str = "desk.jsonl";
/// The attachments' folder in the directory.
pub(crate) const ATTACHMENTS: &str = "attachments";
/// Tickets written per batch (one transaction each when the store restores in bulk).
const BATCH: usize = 2000;

fn file_error(what: &str, path: &Path, e: std::io::Error) -> Failure {
    Failure::file(format!("{what} {}", path.display()), e)
}

/// Writes one record as a line.
fn line(w: &mut impl Write, record: &Record, path: &Path) -> CliResult {
    serde_json::to_writer(&mut *w, record)?;
    w.write_all(b"\n")
        .map_err(|e| file_error("writing", path, e))?;
    Ok(())
}

/// Exports the desk into `dir` (made when missing), with a progress bar on `progress`.
pub(crate) async fn export(ctx: &Ctx, dir: &Path, progress: &mut dyn Write) -> CliResult<Trailer> {
    let blobs_dir = dir.join(ATTACHMENTS);
    std::fs::create_dir_all(&blobs_dir).map_err(|e| file_error("making", &blobs_dir, e))?;
    let path = dir.join(STREAM);
    let file = File::create(&path).map_err(|e| file_error("creating", &path, e))?;
    let mut w = BufWriter::new(file);
    let mut restore = Restore::new();
    // The exporter holds itself to the importer's rules: what it writes can be read.
    let put = |w: &mut BufWriter<File>, restore: &mut Restore, record: Record| -> CliResult {
        restore.check(&record)?;
        line(w, &record, &path)
    };
    put(
        &mut w,
        &mut restore,
        Record::Header(ctx.acting.export_header().await?),
    )?;
    for record in ctx.acting.export_directory().await? {
        put(&mut w, &mut restore, record)?;
    }
    let tickets = ctx.acting.export_ticket_list().await?;
    let mut bar = Progress::labelled(progress, "exporting", tickets.len());
    let mut written: HashSet<BlobKey> = HashSet::new();
    for (i, ticket) in tickets.into_iter().enumerate() {
        let record = ctx.acting.export_ticket(ticket).await?;
        for key in Restore::attachment_keys(&record)? {
            if written.contains(&key) {
                continue;
            }
            let bytes = ctx.acting.export_blob(&key).await?.ok_or_else(|| {
                Failure::not_found(format!("the bytes of attachment {}", key.as_str()))
            })?;
            let file = blobs_dir.join(key.as_str());
            std::fs::write(&file, bytes).map_err(|e| file_error("writing", &file, e))?;
            written.insert(key);
        }
        put(&mut w, &mut restore, Record::Ticket(Box::new(record)))?;
        bar.set(i + 1);
    }
    bar.finish();
    for record in ctx.acting.export_endpoints().await? {
        put(&mut w, &mut restore, record)?;
    }
    let trailer = restore.counts().clone();
    put(&mut w, &mut restore, Record::Trailer(trailer.clone()))?;
    w.flush().map_err(|e| file_error("writing", &path, e))?;
    Ok(trailer)
}

/// The records of `dir`'s stream, one a line, with the line number of each.
fn records(dir: &Path) -> CliResult<impl Iterator<Item = CliResult<(usize, Record)>>> {
    let path: PathBuf = dir.join(STREAM);
    let file = File::open(&path).map_err(|e| file_error("reading", &path, e))?;
    Ok(BufReader::with_capacity(1 << 20, file)
        .lines()
        .enumerate()
        .filter(|(_, l)| l.as_ref().map_or(true, |l| !l.trim().is_empty()))
        .map(move |(i, l)| {
            let l = l.map_err(|e| file_error("reading", &path, e))?;
            let record = serde_json::from_str(&l)
                .map_err(|e| Failure::invalid(format!("{}, line {}: {e}", STREAM, i + 1)))?;
            Ok((i + 1, record))
        }))
}

/// Checks every record of `dir`'s stream and that every attachment's file is there; the
/// counts it holds.
fn check(dir: &Path) -> CliResult<RestoreCounts> {
    let mut restore = Restore::new();
    let mut checked: HashSet<BlobKey> = HashSet::new();
    for item in records(dir)? {
        let (n, record) = item?;
        restore
            .check(&record)
            .map_err(|e| Failure::invalid(format!("{STREAM}, line {n}: {e}")))?;
        if let Record::Ticket(t) = &record {
            for key in Restore::attachment_keys(t)? {
                if checked.insert(key.clone()) {
                    check_attachment(dir, n, &key)?;
                }
            }
        }
    }
    if !restore.is_done() {
        return Err(Failure::invalid(format!("{STREAM} is cut off: it has no trailer")).into());
    }
    Ok(restore.counts().clone())
}

/// Checks that the file of attachment `key`, named on line `n`, is there and holds the bytes
/// of its name: a file that does not is refused before anything is written.
fn check_attachment(dir: &Path, n: usize, key: &BlobKey) -> CliResult {
    let file = dir.join(ATTACHMENTS).join(key.as_str());
    if !file.is_file() {
        return Err(
            Failure::not_found(format!("{STREAM}, line {n}: no file {}", file.display())).into(),
        );
    }
    let bytes = std::fs::read(&file).map_err(|e| file_error("reading", &file, e))?;
    if &BlobKey::of(&bytes) != key {
        return Err(Failure::invalid(format!(
            "{STREAM}, line {n}: the file {} does not hold the bytes of its name",
            file.display()
        ))
        .into());
    }
    Ok(())
}

/// Imports `dir` into the empty desk, with a progress bar on `progress`.
pub(crate) async fn import(
    ctx: &Ctx,
    dir: &Path,
    progress: &mut dyn Write,
) -> CliResult<RestoreCounts> {
    import_with(ctx, dir, progress, false).await
}

/// Imports `dir` into the empty desk, with a progress bar on `progress`; the tickets through
/// the ordinary commit when `one_by_one`, else through the store's bulk restore (when it
/// offers one).
pub(crate) async fn import_with(
    ctx: &Ctx,
    dir: &Path,
    progress: &mut dyn Write,
    one_by_one: bool,
) -> CliResult<RestoreCounts> {
    let counts = check(dir)?;
    let restore = async |batch: Vec<TicketRecord>| {
        if one_by_one {
            ctx.acting.restore_tickets_one_by_one(batch).await
        } else {
            ctx.acting.restore_tickets(batch).await
        }
    };
    ctx.acting.restore_begin().await?;
    let total = usize::try_from(counts.tickets).unwrap_or(usize::MAX);
    let mut bar = Progress::labelled(progress, "importing", total);
    let mut sequence = 0;
    let mut batch: Vec<TicketRecord> = Vec::with_capacity(BATCH);
    let mut stored: HashSet<BlobKey> = HashSet::new();
    let mut done = 0;
    for item in records(dir)? {
        let (_, record) = item?;
        match record {
            Record::Header(h) => sequence = h.sequence,
            Record::Ticket(t) => {
                for key in Restore::attachment_keys(&t)? {
                    if stored.contains(&key) {
                        continue;
                    }
                    let file = dir.join(ATTACHMENTS).join(key.as_str());
                    let bytes =
                        std::fs::read(&file).map_err(|e| file_error("reading", &file, e))?;
                    ctx.acting.restore_blob(&key, &bytes).await?;
                    stored.insert(key);
                }
                batch.push(*t);
                if batch.len() == BATCH {
                    done += batch.len();
                    restore(std::mem::take(&mut batch)).await?;
                    bar.set(done);
                }
            }
            Record::Trailer(_) => {}
            other => {
                // Records after the tickets (webhooks) are written after them.
                if !batch.is_empty() {
                    done += batch.len();
                    restore(std::mem::take(&mut batch)).await?;
                    bar.set(done);
                }
                ctx.acting.restore_record(other).await?
            }
        }
    }
    if !batch.is_empty() {
        done += batch.len();
        restore(batch).await?;
    }
    bar.set(done);
    bar.finish();
    ctx.acting.restore_sequence(sequence).await?;
    Ok(counts)
}
