//! Files people attach: the deployment's limits, uploads checked against them before
//! anything is written, blobs stored with the change that references them, and downloads
//! for those who may read the message.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use super::effects::Known;

/// A grace period for [`Helpdesk::sweep_blobs`] that no upload outlasts: a day. An upload
/// writes its blobs moments before the commit that refers to them, so anything shorter than
/// the slowest commit would do; a day leaves room for clocks that disagree between
/// processes.
pub const BLOB_SWEEP_GRACE: Duration = Duration::days(1);
use super::{Acting, Helpdesk};
use crate::domain::{
    Attachment, Channel, DepartmentId, MailReference, Message, MessageId, TicketKey,
};
use crate::error::{Ability, Entity, Error, Limit, Result};
use crate::store::{BlobKey, BlobStore, SettingKey, WriteBatch};
use serde::{Deserialize, Serialize};

/// A file as it arrives: the name the sender gave, the declared content type, the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    /// The name as given (sanitised for storage, kept for display).
    pub file_name: String,
    /// The declared content type, e.g. `application/pdf`.
    pub content_type: String,
    /// The content.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("size", &self.bytes.len())
            .finish()
    }
}

impl Upload {
    /// An upload of `bytes` named `file_name` with `content_type`.
    pub fn new(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        Self {
            file_name: file_name.into(),
            content_type: content_type.into(),
            bytes: bytes.into(),
        }
    }
}

/// What a deployment accepts as attachments.
///
/// ```
/// use helpdesk_core::service::AttachmentLimits;
/// let one_file = AttachmentLimits { max_per_ticket: Some(1), ..AttachmentLimits::default() };
/// assert!(one_file.allows_type("image/png"));
/// assert!(one_file.allows_type("application/pdf"));
/// assert!(!one_file.allows_type("application/x-msdownload"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentLimits {
    /// The largest file, in bytes.
    pub max_size: u64,
    /// The most files on one message.
    pub max_count: usize,
    /// The most files on one ticket, all its messages together (`None`: no such limit);
    /// e.g. a hotel help centre's "one file per case".
    #[serde(default)]
    pub max_per_ticket: Option<usize>,
    /// The most bytes of files on one ticket, all its messages together (`None`: no such
    /// limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes_per_ticket: Option<u64>,
    /// The content types accepted: exact (`application/pdf`) or a whole family (`image/*`).
    pub allowed_types: Vec<String>,
}

/// The most a file may be in stored limits: 1 GiB.
pub const MAX_FILE_SIZE: u64 = 1 << 30;
/// The most files on one message in stored limits.
pub const MAX_FILES: usize = 100;

/// Attachment limits kept in the store (setting `attachment_limits`): the desk's default and
/// each department's own. Where neither is stored, the limits given in code apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AttachmentSettings {
    /// The limits of departments without their own.
    #[serde(default)]
    pub default: Option<AttachmentLimits>,
    /// Each department's own limits.
    #[serde(default)]
    pub departments: BTreeMap<DepartmentId, AttachmentLimits>,
}

impl AttachmentSettings {
    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

impl Default for AttachmentLimits {
    /// 10 MiB, five files, and images, PDF, plain text, CSV, e-mail messages, office
    /// documents and zip archives.
    fn default() -> Self {
        Self {
            max_size: 10 * 1024 * 1024,
            max_count: 5,
            max_per_ticket: None,
            max_bytes_per_ticket: None,
            allowed_types: [
                "image/*",
                "text/plain",
                "text/csv",
                "message/rfc822",
                "application/pdf",
                "application/zip",
                "application/msword",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/vnd.ms-excel",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/vnd.oasis.opendocument.text",
                "application/vnd.oasis.opendocument.spreadsheet",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

impl AttachmentLimits {
    /// Whether `content_type` (parameters such as `; charset=` ignored, case-insensitive)
    /// is accepted.
    pub fn allows_type(&self, content_type: &str) -> bool {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let family = essence.split('/').next().unwrap_or("");
        self.allowed_types.iter().any(|allowed| {
            let allowed = allowed.to_ascii_lowercase();
            allowed == essence
                || allowed
                    .strip_suffix("/*")
                    .is_some_and(|f| f == family && essence.contains('/'))
        })
    }

    /// Checks limits themselves: a size of 1 byte to 1 GiB, 1 to 100 files a message, at
    /// least one file and one byte a ticket, and at least one content type.
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_FILE_SIZE).contains(&self.max_size) {
            return Err(Error::validation("max_size", "1 byte to 1 GiB"));
        }
        if !(1..=MAX_FILES).contains(&self.max_count) {
            return Err(Error::validation("max_count", "1 to 100 files"));
        }
        if self.max_per_ticket == Some(0) {
            return Err(Error::validation("max_per_ticket", "at least 1 file"));
        }
        if self.max_bytes_per_ticket == Some(0) {
            return Err(Error::validation("max_bytes_per_ticket", "at least 1 byte"));
        }
        if self.allowed_types.is_empty()
            || self.allowed_types.iter().any(|t| {
                t.is_empty()
                    || t.len() > 255
                    || !t.contains('/')
                    || t.chars().any(|c| c.is_whitespace() || c.is_control())
            })
        {
            return Err(Error::validation(
                "allowed_types",
                "content types such as application/pdf or image/*",
            ));
        }
        Ok(())
    }

    /// Checks `uploads` going onto a message of a ticket that already carries `on_ticket`;
    /// the first limit broken is the error.
    pub fn check(&self, on_ticket: OnTicket, uploads: &[Upload]) -> Result<()> {
        if let Some(max) = self.max_per_ticket {
            let actual = on_ticket.files + uploads.len();
            if actual > max {
                return Err(Error::LimitExceeded {
                    limit: Limit::AttachmentCount { max, actual },
                });
            }
        }
        if let Some(max) = self.max_bytes_per_ticket {
            let actual = uploads.iter().fold(on_ticket.bytes, |sum, u| {
                sum.saturating_add(u.bytes.len() as u64)
            });
            if actual > max {
                return Err(Error::LimitExceeded {
                    limit: Limit::TicketBytes { max, actual },
                });
            }
        }
        let actual = uploads.len();
        if actual > self.max_count {
            return Err(Error::LimitExceeded {
                limit: Limit::AttachmentCount {
                    max: self.max_count,
                    actual,
                },
            });
        }
        for upload in uploads {
            let size = upload.bytes.len() as u64;
            if size > self.max_size {
                return Err(Error::LimitExceeded {
                    limit: Limit::FileSize {
                        max: self.max_size,
                        actual: size,
                    },
                });
            }
            if !self.allows_type(&upload.content_type) {
                return Err(Error::LimitExceeded {
                    limit: Limit::ContentType {
                        content_type: upload.content_type.clone(),
                    },
                });
            }
        }
        Ok(())
    }
}

/// The files a ticket already carries, as the per-ticket limits
/// ([`AttachmentLimits::max_per_ticket`], [`AttachmentLimits::max_bytes_per_ticket`]) count
/// them: every file on its messages (notes too, and the files of a mail kept aside on the
/// desk's note) but the raw copy the desk keeps of each inbound mail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OnTicket {
    /// How many files.
    pub files: usize,
    /// Their bytes together.
    pub bytes: u64,
}

impl OnTicket {
    /// What `messages` (a ticket's, notes included) carry.
    pub fn of(messages: &[Message]) -> Self {
        let mut on = Self::default();
        for message in messages {
            let mut files = message.attachments.as_slice();
            // The raw copy of an inbound mail is its message's last file.
            if message.channel == Channel::Email
                && let Some((last, rest)) = files.split_last()
                && last.content_type() == RAW_MAIL_TYPE
            {
                files = rest;
            }
            for file in files {
                on.files += 1;
                on.bytes = on.bytes.saturating_add(file.size());
            }
        }
        on
    }

    /// This, with `uploads` added.
    pub fn with(self, uploads: &[Upload]) -> Self {
        Self {
            files: self.files + uploads.len(),
            bytes: uploads.iter().fold(self.bytes, |sum, u| {
                sum.saturating_add(u.bytes.len() as u64)
            }),
        }
    }
}

/// The content type of the raw copy of an inbound mail the desk keeps.
pub(crate) const RAW_MAIL_TYPE: &str = "message/rfc822";

/// Uploads checked and turned into attachments, waiting for their change to commit.
#[derive(Debug, Default, Clone)]
pub(crate) struct Staged {
    blobs: Vec<(BlobKey, Vec<u8>)>,
    inbound: Vec<String>,
    no_auto_answer: bool,
    /// Set for the work of scheduled rules: their changes fire no trigger.
    no_triggers: bool,
}

impl Staged {
    /// Nothing staged, and the batch fires no trigger (a scheduled rule's own changes).
    pub(crate) fn without_triggers() -> Self {
        Self {
            no_triggers: true,
            ..Self::default()
        }
    }

    /// Adds a file the desk itself keeps (the raw copy of an inbound mail), outside the
    /// limits people's uploads are held to.
    pub(crate) fn push_raw(
        &mut self,
        name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<Attachment> {
        let key = BlobKey::of(&bytes);
        let attachment =
            Attachment::from_upload(name, content_type, bytes.len() as u64, key.as_str())?;
        self.blobs.push((key, bytes));
        Ok(attachment)
    }

    /// The change causes no automatic answer (the "request received" e-mail): it comes from
    /// mail that must not be answered by a machine (list mail).
    pub(crate) fn no_auto_answer(&mut self) {
        self.no_auto_answer = true;
    }

    /// Files the Message-ID of an inbound mail under the ticket the change writes first.
    pub(crate) fn file_inbound(&mut self, message_id: String) {
        self.inbound.push(message_id);
    }
}

impl Helpdesk {
    /// The attachment limits stored on the desk (empty when none are, or the store keeps no
    /// settings).
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails or holds a value that does not parse.
    pub async fn stored_attachment_limits(&self) -> Result<AttachmentSettings> {
        let Some(settings) = self.store.as_settings_store() else {
            return Ok(AttachmentSettings::default());
        };
        match settings.setting(SettingKey::AttachmentLimits).await? {
            None => Ok(AttachmentSettings::default()),
            Some(text) => {
                serde_json::from_str(&text).map_err(|e| Error::corrupt("settings", "value", e))
            }
        }
    }

    /// The limits in force for uploads to `department` (`None`: not known yet, as for
    /// inbound e-mail): its stored limits, else the stored default, else those given in code.
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails.
    pub async fn limits_in_force(
        &self,
        department: Option<DepartmentId>,
    ) -> Result<AttachmentLimits> {
        let mut stored = self.stored_attachment_limits().await?;
        let own = department.and_then(|d| stored.departments.remove(&d));
        Ok(own
            .or(stored.default)
            .unwrap_or_else(|| self.limits.as_ref().clone()))
    }

    /// What ticket `id` already carries, read only when `limits` limit tickets.
    pub(crate) async fn on_ticket(
        &self,
        limits: &AttachmentLimits,
        id: crate::domain::TicketId,
    ) -> Result<OnTicket> {
        if limits.max_per_ticket.is_none() && limits.max_bytes_per_ticket.is_none() {
            return Ok(OnTicket::default());
        }
        Ok(OnTicket::of(&self.store.messages(id, true).await?))
    }

    /// Checks `uploads` against `limits` (with `on_ticket` already on the ticket) and
    /// returns their attachments; nothing is stored yet.
    pub(crate) fn stage(
        &self,
        limits: &AttachmentLimits,
        on_ticket: OnTicket,
        uploads: Vec<Upload>,
        staged: &mut Staged,
    ) -> Result<Vec<Attachment>> {
        if uploads.is_empty() {
            return Ok(Vec::new());
        }
        self.blob_store()?;
        limits.check(on_ticket, &uploads)?;
        let mut attachments = Vec::with_capacity(uploads.len());
        for upload in uploads {
            let key = BlobKey::of(&upload.bytes);
            attachments.push(Attachment::from_upload(
                &upload.file_name,
                &upload.content_type,
                upload.bytes.len() as u64,
                key.as_str(),
            )?);
            staged.blobs.push((key, upload.bytes));
        }
        Ok(attachments)
    }

    /// Commits `batch` with its effects (notifications and e-mail, see
    /// [`effects`](super::effects)), storing staged blobs first. A blob stays when the
    /// commit fails: another message may hold the same bytes, and the sweep
    /// ([`Helpdesk::sweep_blobs`]) removes it once nothing refers to it.
    ///
    /// Returns the tickets as written, in batch order: with what the triggers the change
    /// fired did to them (see [`triggers`](super::triggers)).
    pub(crate) async fn commit(
        &self,
        mut batch: WriteBatch,
        staged: &Staged,
        known: &Known,
    ) -> Result<Vec<crate::domain::Ticket>> {
        if let Some(first) = batch.writes.first().map(|w| w.ticket.id) {
            batch
                .mail_references
                .extend(staged.inbound.iter().map(|id| MailReference {
                    message_id: id.clone(),
                    ticket_id: first,
                    inbound: true,
                }));
        }
        let batch = if staged.no_triggers {
            batch
        } else {
            self.with_triggers(batch, known).await?
        };
        let mut batch = self.with_effects(batch, known).await?;
        if staged.no_auto_answer {
            let quiet: Vec<String> = (batch.outbox.iter())
                .filter(|e| e.kind == crate::domain::EmailKind::TicketReceived)
                .map(|e| e.message_id.clone())
                .collect();
            batch.outbox.retain(|e| !quiet.contains(&e.message_id));
            batch
                .mail_references
                .retain(|r| r.inbound || !quiet.contains(&r.message_id));
        }
        if !staged.blobs.is_empty() {
            let blobs = self.blob_store()?;
            let now = self.now();
            for (key, bytes) in &staged.blobs {
                blobs.put_blob(key, bytes, now).await?;
            }
        }
        // The endpoints read with the request's reads: none enabled, none to read again.
        batch.no_webhook_endpoints =
            (known.webhooks()).is_some_and(|hooks| hooks.iter().all(|e| !e.enabled));
        let written = batch.writes.iter().map(|w| w.ticket.clone()).collect();
        self.store.commit(batch).await?;
        Ok(written)
    }

    /// Removes blobs no message refers to that were last written more than `grace` before
    /// `now` ([`BLOB_SWEEP_GRACE`] is a safe choice); how many. Each call looks at up to
    /// `limit` such blobs, oldest first, continuing after the last one the previous call of
    /// this desk (or its clones) looked at, and from the oldest again once it has reached the
    /// newest; so referenced old blobs never hold the sweep back from the orphans after them.
    /// A blob an upload is about to reference was written (again) within the grace period,
    /// so it stays. Run it at any time, from any number of processes.
    pub async fn sweep_blobs(
        &self,
        now: DateTime<Utc>,
        grace: Duration,
        limit: u32,
    ) -> Result<usize> {
        let Some(blobs) = self.blobs.as_deref() else {
            return Ok(0);
        };
        let before = crate::clock::to_micros(now) - grace;
        let after = self
            .sweep_after
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let old = blobs
            .blobs_written_before(before, after.as_ref(), limit)
            .await?;
        // Where the next call goes on: after this page, or from the start past the end.
        *self.sweep_after.lock().unwrap_or_else(|e| e.into_inner()) = (old.len() >= limit as usize)
            .then(|| old.last().cloned())
            .flatten();
        if old.is_empty() {
            return Ok(0);
        }
        let keys: Vec<BlobKey> = old.into_iter().map(|w| w.key).collect();
        let kept: HashSet<BlobKey> = self
            .store
            .referenced_blobs(&keys)
            .await?
            .into_iter()
            .collect();
        let mut removed = 0;
        for key in keys.iter().filter(|k| !kept.contains(*k)) {
            if blobs.delete_blob_written_before(key, before).await? {
                removed += 1;
            }
        }
        Ok(removed)
    }

    fn blob_store(&self) -> Result<&dyn BlobStore> {
        self.blobs
            .as_deref()
            .ok_or(Error::unsupported(Ability::Attachments))
    }
}

impl Acting {
    /// An attachment and its bytes, for an actor who may read the message it is on.
    /// [`Error::NotFound`] for anyone else (a customer asking for a file on an internal
    /// note learns nothing).
    pub async fn attachment(
        &self,
        ticket: impl Into<TicketKey>,
        message: MessageId,
        sha256: &str,
    ) -> Result<(Attachment, Vec<u8>)> {
        let not_found = || Error::not_found(Entity::Attachment, sha256);
        let thread = self.thread(ticket).await?;
        let attachment = thread
            .iter()
            .find(|m| m.id == message)
            .and_then(|m| m.attachments.iter().find(|a| a.sha256() == sha256))
            .cloned()
            .ok_or_else(not_found)?;
        let key = BlobKey::parse(sha256).map_err(|_| not_found())?;
        let blobs = self.desk.blobs.as_ref().ok_or_else(not_found)?;
        let bytes = blobs.blob(&key).await?.ok_or_else(not_found)?;
        Ok((attachment, bytes))
    }
}
