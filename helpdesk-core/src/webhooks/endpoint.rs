//! A webhook endpoint: where to send which events, its secret, and whether it is enabled.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::WebhookUrl;
use crate::domain::{ValidationError, WebhookId};

/// The event kinds an endpoint may ask for: the change feed's kinds
/// ([`FeedChange::kind`](crate::feed::FeedChange::kind)).
pub const EVENT_KINDS: &[&str] = &[
    "ticket_created",
    "ticket_changed",
    "message_added",
    "notification_created",
    "chat_changed",
    "availability_changed",
];

/// The event of a test ping ([`ping_delivery`](super::ping_delivery)); no endpoint asks for it.
pub const PING_EVENT: &str = "ping";

/// The event kinds an endpoint wants: one or more of [`EVENT_KINDS`], each once, in the
/// order of that list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct WebhookEvents(Vec<String>);

impl WebhookEvents {
    /// Checks a list of event kinds (trimmed; duplicates merged).
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] on the field `events`: empty, or a kind not in [`EVENT_KINDS`].
    pub fn parse<S: AsRef<str>>(kinds: &[S]) -> Result<Self, ValidationError> {
        let mut wanted = Vec::new();
        for kind in kinds {
            let kind = kind.as_ref().trim();
            if !EVENT_KINDS.contains(&kind) {
                let shown: String = kind.chars().take(40).collect();
                return Err(ValidationError::new(
                    "events",
                    format!(
                        "{shown:?} is not an event kind (one of {})",
                        EVENT_KINDS.join(", ")
                    ),
                ));
            }
            wanted.push(kind);
        }
        if wanted.is_empty() {
            return Err(ValidationError::new(
                "events",
                "name at least one event kind",
            ));
        }
        Ok(Self(
            (EVENT_KINDS.iter())
                .filter(|k| wanted.contains(k))
                .map(|k| (*k).to_owned())
                .collect(),
        ))
    }

    /// Every event kind.
    pub fn all() -> Self {
        Self(EVENT_KINDS.iter().map(|k| (*k).to_owned()).collect())
    }

    /// Whether it asks for `kind`.
    pub fn wants(&self, kind: &str) -> bool {
        self.0.iter().any(|k| k == kind)
    }

    /// The kinds, in the order of [`EVENT_KINDS`].
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

impl TryFrom<Vec<String>> for WebhookEvents {
    type Error = ValidationError;
    fn try_from(value: Vec<String>) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<WebhookEvents> for Vec<String> {
    fn from(events: WebhookEvents) -> Self {
        events.0
    }
}

/// The secret an endpoint's deliveries are signed with: `whsec_` and 64 hex digits (256
/// random bits less the UUID version bits), made by the library and shown once, when the
/// endpoint is created. Its `Debug` output hides it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WebhookSecret(String);

impl WebhookSecret {
    const PREFIX: &'static str = "whsec_";

    /// A new random secret.
    pub fn generate() -> Self {
        let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        Self(format!("{}{}{}", Self::PREFIX, a.simple(), b.simple()))
    }

    /// A stored secret, checked for its form.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] on the field `secret` when it is not `whsec_` and 64 hex digits.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let ok = (text.strip_prefix(Self::PREFIX))
            .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(ValidationError::new(
                "secret",
                "must be whsec_ and 64 hex digits",
            ))
        }
    }

    /// The secret itself: the HMAC key is these bytes, the prefix included.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(..)")
    }
}

impl TryFrom<String> for WebhookSecret {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<WebhookSecret> for String {
    fn from(secret: WebhookSecret) -> Self {
        secret.0
    }
}

/// The longest description of an endpoint, in characters.
pub const MAX_DESCRIPTION: usize = 200;

/// A registered webhook endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpoint {
    /// Its id.
    pub id: WebhookId,
    /// Where deliveries go.
    pub url: WebhookUrl,
    /// What an admin wrote about it (may be empty).
    pub description: String,
    /// The event kinds it wants.
    pub events: WebhookEvents,
    /// The signing secret.
    pub secret: WebhookSecret,
    /// Whether deliveries are sent to it (a disabled endpoint gets none written and none
    /// sent; those waiting wait until it is enabled again).
    pub enabled: bool,
    /// Why it is disabled, when the desk disabled it (after repeated failures).
    pub disabled_reason: Option<String>,
    /// Failed attempts in a row since the last success.
    pub consecutive_failures: u32,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// Checks a description: at most [`MAX_DESCRIPTION`] characters, no control characters.
///
/// # Errors
///
/// A [`ValidationError`] on the field `description`.
pub fn check_description(text: &str) -> Result<(), ValidationError> {
    if text.chars().count() > MAX_DESCRIPTION {
        return Err(ValidationError::new(
            "description",
            format!("at most {MAX_DESCRIPTION} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(ValidationError::new(
            "description",
            "must not contain control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_kept_once_in_the_lists_order() {
        let events =
            WebhookEvents::parse(&["message_added", "ticket_created", "message_added"]).unwrap();
        assert_eq!(events.as_slice(), ["ticket_created", "message_added"]);
        assert!(events.wants("message_added") && !events.wants("chat_changed"));
    }

    #[test]
    fn unknown_or_no_events_are_refused_on_events() {
        let none: [&str; 0] = [];
        assert_eq!(WebhookEvents::parse(&none).unwrap_err().field(), "events");
        assert_eq!(
            WebhookEvents::parse(&["ping"]).unwrap_err().field(),
            "events"
        );
    }

    #[test]
    fn a_generated_secret_parses_back_and_hides_in_debug() {
        let secret = WebhookSecret::generate();
        assert_eq!(WebhookSecret::parse(secret.expose()).unwrap(), secret);
        assert_ne!(secret, WebhookSecret::generate());
        assert_eq!(format!("{secret:?}"), "WebhookSecret(..)");
        assert!(WebhookSecret::parse("whsec_00").is_err());
    }
}
