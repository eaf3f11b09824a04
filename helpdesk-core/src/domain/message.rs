//! Messages: the thread of a ticket, public replies and internal notes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Actor, MessageBody, MessageId, TicketId};
use crate::error::ValidationError;

/// Who may read a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// The customer and the agents.
    Public,
    /// Agents only: never shown to a customer by any read path.
    Internal,
}

/// What is known of a file attached to a message; the bytes live in a blob store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AttachmentFields")]
pub struct Attachment {
    file_name: String,
    content_type: String,
    size: u64,
    sha256: String,
}

#[derive(Deserialize)]
struct AttachmentFields {
    file_name: String,
    content_type: String,
    size: u64,
    sha256: String,
}

impl TryFrom<AttachmentFields> for Attachment {
    type Error = ValidationError;
    fn try_from(f: AttachmentFields) -> Result<Self, Self::Error> {
        Attachment::new(&f.file_name, &f.content_type, f.size, &f.sha256)
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
            content_type: ct,
            size,
            sha256: sha256.to_owned(),
        })
    }

    /// The file name shown to people.
    pub fn file_name(&self) -> &str {
        &self.file_name
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
}

impl Message {
    /// Whether customers may see it.
    pub fn is_public(&self) -> bool {
        self.visibility == Visibility::Public
    }
}
