//! The shared corpus of real-world mail (`../shared/mail-corpus/` beside the workspace:
//! the public test suites of a mail parser, a bounce classifier and CPython's e-mail
//! package): what class each message must get, by a rule written from what the suites
//! are, and a run that takes every message in on one desk.
//!
//! The files are read by the tests that use this module (core holds no I/O); they are
//! never copied into the repository.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::Helpdesk;
use crate::error::Error;
use crate::mail::{MailClass, classify};
use crate::service::{AttachmentLimits, Ingested, MailSettings};
use crate::store::{MemoryBlobStore, Store};
use crate::testkit::Fixture;
use crate::testkit::samples::email;

/// The desk's own address in corpus runs.
pub const DESK: &str = "support@desk.test";

/// The folder of the shared corpus as seen from a crate of the workspace
/// (`CARGO_MANIFEST_DIR`): `../../shared/mail-corpus`.
pub fn corpus_dir(manifest_dir: &str) -> std::path::PathBuf {
    std::path::Path::new(manifest_dir).join("../../shared/mail-corpus")
}

/// Whether a file of the corpus folder is a message (not a licence or the sources' list).
pub fn is_message(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    !(name.starts_with("LICENSE") || name.ends_with("-LICENSE") || name.ends_with(".md"))
}

/// What class a corpus message must get, by the rule below; `Err` says why `class` is not
/// it.
///
/// - The bounce corpus (`sisimai/maildir/bsd`, `…/err`): delivery-failure reports, except
///   `arf-*` (spam complaints) and `rfc3834-*` (auto-replies), which are automatic;
///   Amazon SES notices (`lhost-amazonses-*`) are bounces when their JSON says
///   `"notificationType":"Bounce"` and automatic otherwise (complaints, deliveries); a
///   bounce a person forwarded (subject `Fwd:`) is that person's mail; the notices of the
///   fml list manager (`lhost-fml-*`) come from a list's `-admin` address, which people use
///   too, so they may be taken in (person or list) or recognised as bounces.
/// - `sisimai/maildir/not`: "is not a bounce", anything but a bounce.
/// - The parser suites (`cpython`, `stalwart-mail-parser`): a bounce exactly when the mail
///   carries a delivery-status report or comes from a mail-delivery sender
///   (`MAILER-DAEMON`, "Mail Delivery Subsystem"); not mail when no `From`, `Sender`,
///   `Reply-To` or `Return-Path` line holds an address (`x@y.z`); automatic when a header
///   says so (`Precedence: bulk`/`junk`, `Auto-Submitted` other than `no`); otherwise
///   taken in (person or list).
pub fn check_class(path: &str, raw: &[u8], class: MailClass) -> Result<(), String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let text = String::from_utf8_lossy(raw).to_lowercase();
    let head = text
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .replace("\r", "");
    let header_lines: Vec<&str> = head.lines().collect();
    let header = |field: &str| -> Vec<&str> {
        header_lines
            .iter()
            .filter_map(|l| l.strip_prefix(field))
            .map(str::trim)
            .collect()
    };
    let taken_in = matches!(class, MailClass::Person | MailClass::List);
    let automatic = matches!(class, MailClass::Automatic(_));
    let ok = |cond: bool, want: &str| {
        if cond {
            Ok(())
        } else {
            Err(format!("{path}: expected {want}, got {class}"))
        }
    };
    if path.contains("sisimai/maildir/not/") {
        return ok(class != MailClass::Bounce, "anything but a bounce");
    }
    if path.contains("sisimai/maildir/") {
        let forwarded = header("subject:").iter().any(|s| s.starts_with("fwd:"));
        return if name.starts_with("arf-") || name.starts_with("rfc3834-") {
            ok(automatic, "automatic")
        } else if name.starts_with("lhost-amazonses-") {
            if text.contains("\"notificationtype\":\"bounce\"") {
                ok(class == MailClass::Bounce, "a bounce")
            } else if text.contains("\"notificationtype\"") {
                ok(automatic, "automatic (an SES notice)")
            } else {
                ok(class == MailClass::Bounce, "a bounce")
            }
        } else if forwarded {
            ok(
                class == MailClass::Person,
                "a person's mail (a forwarded bounce)",
            )
        } else if name.starts_with("lhost-fml-") {
            ok(
                taken_in || class == MailClass::Bounce,
                "taken in or a bounce (a list manager's notice)",
            )
        } else {
            ok(class == MailClass::Bounce, "a bounce")
        };
    }
    let report = text.contains("delivery-status");
    let from = header("from:").join(" ");
    let delivery_sender = from.contains("mailer-daemon")
        || from.contains("mailer daemon")
        || from.contains("mail delivery");
    if report || delivery_sender {
        return ok(class == MailClass::Bounce, "a bounce");
    }
    let has_address = ["from:", "sender:", "reply-to:", "return-path:"]
        .iter()
        .flat_map(|f| header(f))
        .any(|v| {
            v.split_once('@')
                .is_some_and(|(l, r)| !l.trim().is_empty() && r.contains('.'))
        });
    if !has_address {
        return ok(class == MailClass::NotMail, "not mail (no sender address)");
    }
    let marked = header("precedence:")
        .iter()
        .any(|v| v.starts_with("bulk") || v.starts_with("junk"))
        || header("auto-submitted:")
            .iter()
            .any(|v| !v.starts_with("no"));
    if marked {
        return ok(automatic, "automatic");
    }
    ok(taken_in, "taken in (person or list)")
}

/// What a corpus run found.
#[derive(Debug, Default)]
pub struct CorpusRun {
    /// Messages per class code (`person`, `automatic`, `bounce`, `list`, `not_mail`).
    pub classes: std::collections::BTreeMap<&'static str, usize>,
    /// Tickets opened, replies appended, duplicates, ignored, refused (rejections).
    pub opened: usize,
    /// Added to an existing ticket.
    pub appended: usize,
    /// Already taken in.
    pub duplicates: usize,
    /// Bounces and automatic mail.
    pub ignored: usize,
    /// Refused by the desk's rules (unknown senders, disabled access, follow-ups).
    pub rejected: usize,
    /// Messages whose outcome did not fit their class, or that failed: `path: what`.
    pub errors: Vec<String>,
    /// Messages whose class broke the rule of [`check_class`].
    pub misclassified: Vec<String>,
    /// How long the run took.
    pub took: Duration,
}

impl CorpusRun {
    /// Prints what the run found under `label` (the backend's name) and fails the calling
    /// test when a message was misclassified or failed, or when not all of `total` messages
    /// got a class.
    pub fn assert_clean(&self, label: &str, total: usize) {
        eprintln!(
            "{label} corpus: {:?}; opened {}, appended {}, duplicates {}, ignored {}, rejected {}, errors {}, in {:?}",
            self.classes,
            self.opened,
            self.appended,
            self.duplicates,
            self.ignored,
            self.rejected,
            self.errors.len(),
            self.took
        );
        assert!(
            self.misclassified.is_empty(),
            "{}",
            self.misclassified.join("\n")
        );
        assert!(self.errors.is_empty(), "{}", self.errors.join("\n"));
        assert_eq!(self.classes.values().sum::<usize>(), total);
    }
}

/// Takes every message of `mails` (path, bytes) in on one desk over `store`, in order,
/// and checks each one's class ([`check_class`]) and outcome: bounces and automatic mail
/// ignored (no ticket), not-mail a validation error, everything else opened or appended.
pub async fn take_in(store: Arc<dyn Store>, mails: &[(String, Vec<u8>)]) -> CorpusRun {
    let f = Fixture::new(store).await;
    let desk: Helpdesk = f
        .desk
        .clone()
        .with_mail(MailSettings::new(email(DESK), f.support.id))
        .with_blobs(
            Arc::new(MemoryBlobStore::new()),
            AttachmentLimits::default(),
        );
    let own = [email(DESK)];
    let mut run = CorpusRun::default();
    let start = Instant::now();
    for (path, raw) in mails {
        let class = classify(raw, &own);
        *run.classes.entry(class.code()).or_default() += 1;
        if let Err(e) = check_class(path, raw, class) {
            run.misclassified.push(e);
        }
        let outcome = desk.ingest_email(raw).await;
        let fits = match (&outcome, class) {
            (Ok(Ingested::Ignored(c)), MailClass::Bounce | MailClass::Automatic(_)) => {
                run.ignored += 1;
                *c == class
            }
            (Err(Error::Validation(_)), MailClass::NotMail) => true,
            (Ok(Ingested::Opened(_)), MailClass::Person | MailClass::List) => {
                run.opened += 1;
                true
            }
            (Ok(Ingested::Appended(_)), MailClass::Person | MailClass::List) => {
                run.appended += 1;
                true
            }
            (Ok(Ingested::Duplicate(_)), MailClass::Person | MailClass::List) => {
                run.duplicates += 1;
                true
            }
            (Ok(Ingested::Rejected(_)), MailClass::Person | MailClass::List) => {
                run.rejected += 1;
                true
            }
            _ => false,
        };
        if !fits {
            run.errors.push(format!("{path} ({class}): {outcome:?}"));
        }
    }
    run.took = start.elapsed();
    run
}
