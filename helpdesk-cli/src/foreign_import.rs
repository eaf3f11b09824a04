//! `import --from django-helpdesk FILE [--media DIR]`: another help desk's export mapped onto
//! this desk's format by the library ([`Django`]), written as an export directory in a
//! temporary folder and imported from there with every rule of `import DIR` (an empty desk,
//! every reference checked, a progress bar). What could not be mapped is listed on stderr.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use helpdesk::export::{Django, Record, RestoreCounts};

use crate::CliResult;
use crate::args::ForeignDesk;
use crate::context::Ctx;
use crate::desk_export::{ATTACHMENTS, STREAM};
use crate::exit::Failure;

/// The bytes of `stored` (a path the fixture names) under `media`, when it stays inside it.
fn media_file(media: &Path, stored: &str) -> Option<Vec<u8>> {
    let relative = Path::new(stored);
    let inside = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside {
        return None;
    }
    std::fs::read(media.join(relative)).ok()
}

/// Removes the temporary directory when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Maps `file`, an export of `from`, and imports it into the empty desk.
pub(crate) async fn import(
    ctx: &Ctx,
    from: ForeignDesk,
    file: &Path,
    media: Option<&Path>,
    progress: &mut dyn Write,
) -> CliResult<RestoreCounts> {
    let ForeignDesk::DjangoHelpdesk = from;
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure::file(format!("reading {}", file.display()), e))?;
    let media = media.map_or_else(
        || file.parent().unwrap_or(Path::new(".")).to_path_buf(),
        Path::to_path_buf,
    );
    let mapped = Django::map(&text, ctx.now(), |stored| media_file(&media, stored))?;
    let scratch = Scratch(
        std::env::temp_dir().join(format!("helpdesk-import-{}", uuid::Uuid::now_v7().simple())),
    );
    let blobs = scratch.0.join(ATTACHMENTS);
    std::fs::create_dir_all(&blobs)
        .map_err(|e| Failure::file(format!("making {}", blobs.display()), e))?;
    for (key, bytes) in &mapped.attachments {
        let path = blobs.join(key.as_str());
        std::fs::write(&path, bytes)
            .map_err(|e| Failure::file(format!("writing {}", path.display()), e))?;
    }
    let mut stream = Vec::new();
    for record in &mapped.records {
        serde_json::to_writer(&mut stream, record)?;
        stream.push(b'\n');
    }
    let path = scratch.0.join(STREAM);
    std::fs::write(&path, stream)
        .map_err(|e| Failure::file(format!("writing {}", path.display()), e))?;
    for line in &mapped.skipped {
        writeln!(progress, "not imported: {line}")?;
    }
    debug_assert!(matches!(mapped.records.first(), Some(Record::Header(_))));
    crate::desk_export::import(ctx, &scratch.0, progress).await
}
