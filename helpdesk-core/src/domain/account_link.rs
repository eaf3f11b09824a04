//! One-time links that let a person set their password: an invitation (a new agent or
//! customer chooses the password of the login made for them) and a password reset.
//!
//! Like sessions and API tokens, a link is a random secret of which the store keeps only the
//! SHA-256 ([`TokenHash`]): a copy of the database lets nobody set a password.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::stable_text::stable_text;
use super::{Actor, LoginName, TokenHash, ValidationError};

/// How long an invitation is valid: 7 days.
pub const INVITATION_LIFETIME: Duration = Duration::days(7);

/// How long a password-reset link is valid: 1 hour.
pub const PASSWORD_RESET_LIFETIME: Duration = Duration::hours(1);

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// An invitation: using it creates the person's login with the password they choose.
    Invitation,
    /// A password reset: using it replaces the password of the person's login and signs
    /// them out everywhere.
    PasswordReset,
}

stable_text!(LinkKind, "link_kind" {
    Invitation => "invitation",
    PasswordReset => "password_reset",
});

impl LinkKind {
    /// How long a link of this kind is valid ([`INVITATION_LIFETIME`],
    /// [`PASSWORD_RESET_LIFETIME`]).
    ///
    /// ```
    /// use helpdesk_core::domain::LinkKind;
    /// assert_eq!(LinkKind::Invitation.lifetime(), chrono::Duration::days(7));
    /// assert_eq!(LinkKind::PasswordReset.lifetime(), chrono::Duration::hours(1));
    /// ```
    pub const fn lifetime(self) -> Duration {
        match self {
            LinkKind::Invitation => INVITATION_LIFETIME,
            LinkKind::PasswordReset => PASSWORD_RESET_LIFETIME,
        }
    }
}

/// A one-time link as the store keeps it: the hash of its secret, whose password it sets,
/// under which login name, until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLink {
    /// The SHA-256 of the secret.
    pub hash: TokenHash,
    /// Whose password it sets: an agent or a customer.
    pub actor: Actor,
    /// An invitation or a password reset.
    pub kind: LinkKind,
    /// The login name: the one an invitation creates, the one a reset was made for.
    pub login: LoginName,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

impl AccountLink {
    /// A link of `kind` for `actor` made at `at`, valid for the kind's
    /// [`lifetime`](LinkKind::lifetime).
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] on `actor` for the system, which never signs in.
    ///
    /// ```
    /// use helpdesk_core::domain::{AccountLink, Actor, AgentId, LinkKind, LoginName, TokenHash};
    /// let at = chrono::Utc::now();
    /// let link = AccountLink::new(
    ///     TokenHash::of("secret"),
    ///     Actor::Agent(AgentId::new()),
    ///     LinkKind::PasswordReset,
    ///     LoginName::parse("ivan").unwrap(),
    ///     at,
    /// )
    /// .unwrap();
    /// assert!(!link.is_expired(at + chrono::Duration::minutes(59)));
    /// assert!(link.is_expired(at + chrono::Duration::hours(1)));
    /// ```
    pub fn new(
        hash: TokenHash,
        actor: Actor,
        kind: LinkKind,
        login: LoginName,
        at: DateTime<Utc>,
    ) -> Result<Self, ValidationError> {
        if actor == Actor::System {
            return Err(ValidationError::new(
                "actor",
                "only agents and customers sign in",
            ));
        }
        Ok(Self {
            hash,
            actor,
            kind,
            login,
            created_at: at,
            expires_at: at + kind.lifetime(),
        })
    }

    /// Whether it no longer works at `now`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at <= now
    }
}

/// A new random secret for a link: 244 random bits as 64 hex digits (what the person gets;
/// the store keeps its [`TokenHash`]).
///
/// ```
/// use helpdesk_core::domain::new_link_secret;
/// let (a, b) = (new_link_secret(), new_link_secret());
/// assert_eq!(a.len(), 64);
/// assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
/// assert_ne!(a, b);
/// ```
pub fn new_link_secret() -> String {
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    format!("{}{}", a.simple(), b.simple())
}
