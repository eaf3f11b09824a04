//! Sign-in accounts (tables `logins` and `auth_tokens`, migration 0008): a person is two
//! columns, their [`ActorKind`]'s stable text and their id.

use helpdesk_core::Result;
use helpdesk_core::domain::{
    AccountLink, Actor, ActorKind, AuthToken, Login, LoginName, PasswordHash, TokenHash,
};
use sqlx::postgres::PgRow;
use uuid::Uuid;

use super::Reader;

/// The column list of login reads.
macro_rules! login_columns {
    () => {
        "actor_kind, actor_id, login, password_hash, created_at, updated_at"
    };
}
pub(crate) use login_columns;

/// The column list of token reads.
macro_rules! token_columns {
    () => {
        "hash, actor_kind, actor_id, kind, created_at, expires_at, last_used"
    };
}
pub(crate) use token_columns;

/// The column list of link reads (table `account_links`, migration 0020).
macro_rules! link_columns {
    () => {
        "hash, actor_kind, actor_id, kind, login, created_at, expires_at"
    };
}
pub(crate) use link_columns;

/// An agent's or customer's kind (its stable text) and id as stored; the system, which has
/// no id, never signs in.
pub(crate) fn person(who: Actor) -> Option<(&'static str, Uuid)> {
    who.id().map(|id| (who.kind().as_str(), id))
}

/// The person a row's `actor_kind` and `actor_id` name.
fn actor(r: &Reader<'_>) -> Result<Actor> {
    let kind: ActorKind = r.text("actor_kind")?;
    Actor::from_parts(kind, Some(r.get("actor_id")?)).map_err(|e| r.corrupt("actor_kind", e))
}

/// A login from a row selected with [`login_columns!`].
pub(crate) fn login(row: &PgRow) -> Result<Login> {
    let r = Reader::new(row, "logins");
    Ok(Login {
        name: r.parse("login", |s| LoginName::parse(&s))?,
        actor: actor(&r)?,
        password_hash: r.parse("password_hash", |s| PasswordHash::parse(&s))?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// A token from a row selected with [`token_columns!`].
pub(crate) fn token(row: &PgRow) -> Result<AuthToken> {
    let r = Reader::new(row, "auth_tokens");
    let hash: Vec<u8> = r.get("hash")?;
    Ok(AuthToken {
        hash: TokenHash::from_slice(&hash).map_err(|e| r.corrupt("hash", e))?,
        actor: actor(&r)?,
        kind: r.text("kind")?,
        created_at: r.get("created_at")?,
        expires_at: r.get("expires_at")?,
        last_used: r.get("last_used")?,
    })
}

/// A one-time link from a row selected with [`link_columns!`].
pub(crate) fn link(row: &PgRow) -> Result<AccountLink> {
    let r = Reader::new(row, "account_links");
    let hash: Vec<u8> = r.get("hash")?;
    Ok(AccountLink {
        hash: TokenHash::from_slice(&hash).map_err(|e| r.corrupt("hash", e))?,
        actor: actor(&r)?,
        kind: r.text("kind")?,
        login: r.parse("login", |s| LoginName::parse(&s))?,
        created_at: r.get("created_at")?,
        expires_at: r.get("expires_at")?,
    })
}
