//! The desk's export format (issue 22, item 5): one versioned stream of [`Record`]s — JSON
//! Lines, a header first — that carries the whole desk, and the rules an import follows to
//! give back an equal desk ([`Restore`]). The bytes of attachments travel beside the stream
//! (one file per [`BlobKey`](crate::store::BlobKey)); reading and writing files is the
//! caller's (the CLI's), never the core's. `docs/export-format.md` describes the format.

mod django;
#[cfg(test)]
mod django_tests;
mod extras;
mod record;
mod restore;
mod restore_v3;
#[cfg(test)]
mod restore_v3_tests;

pub use django::Django;
pub use extras::{ArticleRecord, MailboxRecord, PersonSettingsRecord};
pub use record::{FORMAT, Header, READS, Record, SettingRecord, TicketRecord, Trailer, VERSION};
pub use restore::{Restore, RestoreCounts};
