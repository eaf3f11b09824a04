//! Sign-in accounts: a login (a name and the PHC string of a password hash) per agent or
//! customer, and the sessions and API tokens that stand for a signed-in actor.
//!
//! The core never sees a password or a token's secret: the application hashes passwords
//! (e.g. with argon2) and keeps tokens by the SHA-256 of their secret ([`TokenHash::of`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Actor;
use super::ValidationError;
use super::stable_text::stable_text;

/// What a person signs in with: an e-mail address or a user name, trimmed and lower-cased
/// so that look-ups and uniqueness ignore case.
///
/// ```
/// use helpdesk_core::domain::LoginName;
/// assert_eq!(LoginName::parse(" Ana@Example.RO ").unwrap().as_str(), "ana@example.ro");
/// assert!(LoginName::parse("two words").is_err());
/// assert!(LoginName::parse("").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LoginName(String);

impl LoginName {
    /// The longest name, in characters.
    pub const MAX_CHARS: usize = 254;

    /// Validates a login name: 1–254 characters, no spaces or control characters.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(ValidationError::new("login", "must not be empty"));
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(ValidationError::new(
                "login",
                format!("must be at most {} characters", Self::MAX_CHARS),
            ));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ValidationError::new(
                "login",
                "must not contain spaces or control characters",
            ));
        }
        Ok(Self(s))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LoginName {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<LoginName> for String {
    fn from(n: LoginName) -> String {
        n.0
    }
}

impl std::fmt::Display for LoginName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password hash in the PHC string format (`$argon2id$v=19$m=…$salt$hash`). The core only
/// checks its shape; the application makes and verifies it. Its `Debug` hides the value.
///
/// ```
/// use helpdesk_core::domain::PasswordHash;
/// assert!(PasswordHash::parse("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA").is_ok());
/// assert!(PasswordHash::parse("hunter2").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Validates the shape of a PHC string: `$`, an algorithm id, more `$`-separated fields,
    /// printable ASCII without spaces, at most 1024 bytes.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let invalid = || ValidationError::new("password_hash", "is not a PHC string");
        let Some(rest) = raw.strip_prefix('$') else {
            return Err(invalid());
        };
        let mut fields = rest.split('$');
        let algorithm = fields.next().unwrap_or_default();
        let shape_ok = raw.len() <= 1024
            && raw.bytes().all(|b| b.is_ascii_graphic())
            && !algorithm.is_empty()
            && algorithm
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && fields.next().is_some_and(|f| !f.is_empty());
        if shape_ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(invalid())
        }
    }

    /// The PHC string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

impl TryFrom<String> for PasswordHash {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PasswordHash> for String {
    fn from(h: PasswordHash) -> String {
        h.0
    }
}

/// The SHA-256 of a session's or API token's secret: what the store keeps and looks tokens
/// up by, so that a copy of the database signs nobody in. Its text form is 64 hex digits.
///
/// ```
/// use helpdesk_core::domain::TokenHash;
/// let hash = TokenHash::of("secret");
/// assert_eq!(hash.to_string().len(), 64);
/// assert_eq!(hash.to_string().parse::<TokenHash>().unwrap(), hash);
/// assert!("xyz".parse::<TokenHash>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TokenHash([u8; 32]);

impl TokenHash {
    /// The hash of a secret.
    pub fn of(secret: &str) -> Self {
        Self(Sha256::digest(secret.as_bytes()).into())
    }

    /// A hash from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A hash from a slice, which must be 32 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, ValidationError> {
        <[u8; 32]>::try_from(bytes)
            .map(Self)
            .map_err(|_| ValidationError::new("token_hash", "must be 32 bytes"))
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Display for TokenHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl std::str::FromStr for TokenHash {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || ValidationError::new("token_hash", "must be 64 hex digits");
        if s.len() != 64 || !s.is_ascii() {
            return Err(invalid());
        }
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| invalid())?;
        }
        Ok(Self(bytes))
    }
}

impl TryFrom<String> for TokenHash {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<TokenHash> for String {
    fn from(h: TokenHash) -> String {
        h.to_string()
    }
}

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A browser session (a cookie).
    Session,
    /// An API token (`Authorization: Bearer`).
    ApiToken,
}

stable_text!(TokenKind, "kind" {
    Session => "session",
    ApiToken => "api_token",
});

/// Who may sign in, and with what: an agent's or customer's login name and password hash.
/// An actor has at most one login; a name belongs to one actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login {
    /// What they sign in with.
    pub name: LoginName,
    /// Who they are to the desk: an agent or a customer, never the system.
    pub actor: Actor,
    /// Their password's hash.
    pub password_hash: PasswordHash,
    /// When the login was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed (name or password).
    pub updated_at: DateTime<Utc>,
}

impl Login {
    /// A new login for an agent or a customer, created at `at`.
    pub fn new(
        name: LoginName,
        actor: Actor,
        password_hash: PasswordHash,
        at: DateTime<Utc>,
    ) -> Result<Self, ValidationError> {
        if actor == Actor::System {
            return Err(ValidationError::new(
                "actor",
                "only agents and customers sign in",
            ));
        }
        Ok(Self {
            name,
            actor,
            password_hash,
            created_at: at,
            updated_at: at,
        })
    }
}

/// A session or API token: the hash of its secret and whom it signs in, until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthToken {
    /// The SHA-256 of the secret.
    pub hash: TokenHash,
    /// Whom it signs in.
    pub actor: Actor,
    /// A session or an API token.
    pub kind: TokenKind,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it stops signing anyone in.
    pub expires_at: DateTime<Utc>,
    /// When it was last used, if ever.
    pub last_used: Option<DateTime<Utc>>,
}

impl AuthToken {
    /// A token for `actor` issued at `at`, valid for `lifetime`.
    pub fn new(
        hash: TokenHash,
        actor: Actor,
        kind: TokenKind,
        at: DateTime<Utc>,
        lifetime: chrono::Duration,
    ) -> Self {
        Self {
            hash,
            actor,
            kind,
            created_at: at,
            expires_at: at + lifetime,
            last_used: None,
        }
    }

    /// Whether it no longer signs anyone in at `now`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at <= now
    }
}
