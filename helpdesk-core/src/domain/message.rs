//! Messages: the thread of a ticket, public replies and internal notes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::stable_text::stable_text;
use super::{Actor, MessageBody, MessageId, TicketId};

/// Who may read a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// The customer and the agents.
    Public,
    /// Agents only: never shown to a customer by any read path.
    Internal,
}

stable_text!(Visibility, "visibility" {
    Public => "public",
    Internal => "internal",
});

/// What is known of a file attached to a message; the bytes live in a blob store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AttachmentFields")]
pub struct Attachment {
    file_name: String,
    display_name: String,
    content_type: String,
    size: u64,
    sha256: String,
}

#[derive(Deserialize)]
struct AttachmentFields {
    file_name: String,
    #[serde(default)]
    display_name: Option<String>,
    content_type: String,
    size: u64,
    sha256: String,
}

impl TryFrom<AttachmentFields> for Attachment {
    type Error = ValidationError;
    fn try_from(f: AttachmentFields) -> Result<Self, Self::Error> {
        let mut attachment = Attachment::new(&f.file_name, &f.content_type, f.size, &f.sha256)?;
        if let Some(display) = f.display_name {
            attachment.display_name = display_name(&display, &attachment.file_name);
        }
        Ok(attachment)
    }
}

impl Attachment {
    /// Validates attachment metadata: a file name of 1–255 characters without path
    /// separators, `..` or control characters; a `type/subtype` content type; a lower-case
    /// hex sha256.
    pub fn new(
        file_name: &str,
        content_type: &str,
        size: u64,
        sha256: &str,
    ) -> Result<Self, ValidationError> {
        let name = file_name.trim();
        let name_ok = (1..=255).contains(&name.chars().count())
            && !name.contains(['/', '\\'])
            && name != "."
            && !name.contains("..")
            && !name.chars().any(char::is_control);
        if !name_ok {
            return Err(ValidationError::new(
                "file_name",
                format!("{file_name:?} is not an acceptable file name"),
            ));
        }
        let ct = content_type.trim().to_ascii_lowercase();
        let ct_ok = ct.len() <= 127
            && ct.split_once('/').is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && ct
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || b"/+-.".contains(&c))
            });
        if !ct_ok {
            return Err(ValidationError::new(
                "content_type",
                format!("{content_type:?} is not a content type"),
            ));
        }
        let hash_ok = sha256.len() == 64
            && sha256
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c));
        if !hash_ok {
            return Err(ValidationError::new(
                "sha256",
                "must be 64 lower-case hex digits",
            ));
        }
        Ok(Self {
            file_name: name.to_owned(),
            display_name: name.to_owned(),
            content_type: ct,
            size,
            sha256: sha256.to_owned(),
        })
    }

    /// Metadata for a file as it was uploaded or mailed: its name is sanitised with
    /// [`sanitize_file_name`] into [`file_name`](Self::file_name), and the name as sent (without
    /// control characters) is kept for display.
    ///
    /// ```
    /// use helpdesk_core::domain::Attachment;
    /// let sha = "0".repeat(64);
    /// let a = Attachment::from_upload("../../etc/passwd", "text/plain", 3, &sha).unwrap();
    /// assert_eq!(a.file_name(), "passwd");
    /// assert_eq!(a.display_name(), "../../etc/passwd");
    /// ```
    pub fn from_upload(
        original_name: &str,
        content_type: &str,
        size: u64,
        sha256: &str,
    ) -> Result<Self, ValidationError> {
        let safe = sanitize_file_name(original_name);
        let mut attachment = Self::new(&safe, content_type, size, sha256)?;
        attachment.display_name = display_name(original_name, &safe);
        Ok(attachment)
    }

    /// The safe file name: no path separators, no `..`, no control characters; use it for
    /// downloads and on disk.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The name as the sender gave it (control characters removed), to show to people
    /// (escaped, like all user content).
    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    /// The content type, e.g. `image/png`.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The sha256 of the content, in lower-case hex: the blob's address.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }
}

/// A safe file name for `original`: its last path segment, without control characters,
/// without `..`, trimmed of dots and spaces at either end, at most 255 characters;
/// `attachment` when nothing is left.
///
/// ```
/// use helpdesk_core::domain::sanitize_file_name;
/// assert_eq!(sanitize_file_name("C:\\Users\\ana\\факт..ура.pdf"), "факт.ура.pdf");
/// assert_eq!(sanitize_file_name("../.."), "attachment");
/// ```
pub fn sanitize_file_name(original: &str) -> String {
    let last = original
        .rsplit(['/', '\\'])
        .find(|segment| !segment.trim().is_empty())
        .unwrap_or("");
    let mut name: String = last.chars().filter(|c| !c.is_control()).collect();
    while name.contains("..") {
        name = name.replace("..", ".");
    }
    let name = name.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let name: String = name.chars().take(255).collect();
    let name = name.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    if name.is_empty() {
        "attachment".to_owned()
    } else {
        name.to_owned()
    }
}

fn display_name(original: &str, fallback: &str) -> String {
    let shown: String = original
        .chars()
        .filter(|c| !c.is_control())
        .take(255)
        .collect();
    let shown = shown.trim();
    if shown.is_empty() {
        fallback.to_owned()
    } else {
        shown.to_owned()
    }
}

/// One message in a ticket's thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Its id.
    pub id: MessageId,
    /// The ticket it belongs to.
    pub ticket_id: TicketId,
    /// Who wrote it.
    pub author: Actor,
    /// Who may read it.
    pub visibility: Visibility,
    /// How it came in or went out.
    pub channel: super::Channel,
    /// The text, with the agent's signature already appended to public replies.
    pub body: MessageBody,
    /// Files attached to it.
    pub attachments: Vec<Attachment>,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// The ticket it came from, when another ticket put it here (a master's reply, a merge,
    /// a split); `None` for a message written on this ticket.
    #[serde(default)]
    pub origin: Option<super::Origin>,
}

impl Message {
    /// Whether customers may see it.
    pub fn is_public(&self) -> bool {
        self.visibility == Visibility::Public
    }
}
