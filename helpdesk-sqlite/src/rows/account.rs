//! Sign-in accounts: logins and their tokens.

use helpdesk_core::domain::{
    AccountLink, Actor, AuthToken, Login, LoginName, PasswordHash, TokenHash,
};
use helpdesk_core::error::Error;
use rusqlite::Row;
use rusqlite::types::ToSql;

use super::{Reader, actor, bind, micros};
use crate::error::Outcome;

/// An agent's or customer's kind and id as stored; `None` for the system, which never signs
/// in.
pub(crate) fn person(who: Actor) -> Option<(&'static str, [u8; 16])> {
    match actor(who) {
        (kind, Some(id)) => Some((kind, id)),
        (_, None) => None,
    }
}

/// The error for an account of the system.
fn not_a_person() -> Error {
    Error::validation("actor", "only agents and customers sign in")
}

/// A login's columns.
pub(crate) struct LoginRow {
    actor_kind: &'static str,
    actor_id: [u8; 16],
    login: String,
    password_hash: String,
    created_at: i64,
    updated_at: i64,
}

impl LoginRow {
    /// Inserts a login or replaces the actor's one; a name another actor's login holds fails
    /// on `logins.login`: a Duplicate "login".
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO logins (actor_kind, actor_id, login, password_hash, created_at, updated_at)
        VALUES (:actor_kind, :actor_id, :login, :password_hash, :created_at, :updated_at)
        ON CONFLICT (actor_kind, actor_id) DO UPDATE SET
            login = excluded.login,
            password_hash = excluded.password_hash,
            created_at = excluded.created_at,
            updated_at = excluded.updated_at";

    /// The row of `l`; a validation error for a login of the system.
    pub(crate) fn new(l: &Login) -> Result<Self, Error> {
        let (actor_kind, actor_id) = person(l.actor).ok_or_else(not_a_person)?;
        Ok(Self {
            actor_kind,
            actor_id,
            login: l.name.as_str().to_owned(),
            password_hash: l.password_hash.as_str().to_owned(),
            created_at: micros(l.created_at),
            updated_at: micros(l.updated_at),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 6] {
        bind!(self; actor_kind, actor_id, login, password_hash, created_at, updated_at)
    }
}

/// A token's columns.
pub(crate) struct TokenRow {
    hash: [u8; 32],
    actor_kind: &'static str,
    actor_id: [u8; 16],
    kind: &'static str,
    created_at: i64,
    expires_at: i64,
    last_used: Option<i64>,
}

impl TokenRow {
    /// Inserts a token; a taken hash fails on `auth_tokens.hash`: a Duplicate "hash".
    pub(crate) const INSERT: &'static str = "
        INSERT INTO auth_tokens (hash, actor_kind, actor_id, kind, created_at, expires_at,
                                 last_used)
        VALUES (:hash, :actor_kind, :actor_id, :kind, :created_at, :expires_at, :last_used)";

    /// The row of `t`; a validation error for a token of the system.
    pub(crate) fn new(t: &AuthToken) -> Result<Self, Error> {
        let (actor_kind, actor_id) = person(t.actor).ok_or_else(not_a_person)?;
        Ok(Self {
            hash: *t.hash.as_bytes(),
            actor_kind,
            actor_id,
            kind: t.kind.as_str(),
            created_at: micros(t.created_at),
            expires_at: micros(t.expires_at),
            last_used: t.last_used.map(micros),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 7] {
        bind!(self; hash, actor_kind, actor_id, kind, created_at, expires_at, last_used)
    }
}

/// The columns `read_login` reads.
pub(crate) const LOGIN_COLUMNS: &str =
    "actor_kind, actor_id, login, password_hash, created_at, updated_at";

/// The columns `read_token` reads.
pub(crate) const TOKEN_COLUMNS: &str =
    "hash, actor_kind, actor_id, kind, created_at, expires_at, last_used";

/// A login from a row of [`LOGIN_COLUMNS`].
pub(crate) fn read_login(row: &Row<'_>) -> Outcome<Login> {
    let r = Reader::new(row, "logins");
    Ok(Login {
        name: r.parse("login", |s| LoginName::parse(&s))?,
        actor: r.actor("actor_kind", "actor_id")?,
        password_hash: r.parse("password_hash", |s| PasswordHash::parse(&s))?,
        created_at: r.instant("created_at")?,
        updated_at: r.instant("updated_at")?,
    })
}

/// A token from a row of [`TOKEN_COLUMNS`].
pub(crate) fn read_token(row: &Row<'_>) -> Outcome<AuthToken> {
    let r = Reader::new(row, "auth_tokens");
    let hash: Vec<u8> = r.get("hash")?;
    Ok(AuthToken {
        hash: TokenHash::from_slice(&hash).map_err(|e| r.corrupt("hash", e))?,
        actor: r.actor("actor_kind", "actor_id")?,
        kind: r.text("kind")?,
        created_at: r.instant("created_at")?,
        expires_at: r.instant("expires_at")?,
        last_used: r.instant_opt("last_used")?,
    })
}

/// A one-time link's columns (table `account_links`, migration 0020).
pub(crate) struct LinkRow {
    hash: [u8; 32],
    actor_kind: &'static str,
    actor_id: [u8; 16],
    kind: &'static str,
    login: String,
    created_at: i64,
    expires_at: i64,
}

impl LinkRow {
    /// Deletes the person's other links of the kind (run before [`LinkRow::INSERT`], in one
    /// transaction).
    pub(crate) const DELETE_OLDER: &'static str = "
        DELETE FROM account_links WHERE actor_kind = :actor_kind AND actor_id = :actor_id
                                        AND kind = :kind";

    /// Inserts a link; a taken hash fails on `account_links.hash`: a Duplicate "hash".
    pub(crate) const INSERT: &'static str = "
        INSERT INTO account_links (hash, actor_kind, actor_id, kind, login, created_at,
                                   expires_at)
        VALUES (:hash, :actor_kind, :actor_id, :kind, :login, :created_at, :expires_at)";

    /// The row of `l`; a validation error for a link of the system.
    pub(crate) fn new(l: &AccountLink) -> Result<Self, Error> {
        let (actor_kind, actor_id) = person(l.actor).ok_or_else(not_a_person)?;
        Ok(Self {
            hash: *l.hash.as_bytes(),
            actor_kind,
            actor_id,
            kind: l.kind.as_str(),
            login: l.login.as_str().to_owned(),
            created_at: micros(l.created_at),
            expires_at: micros(l.expires_at),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 7] {
        bind!(self; hash, actor_kind, actor_id, kind, login, created_at, expires_at)
    }

    /// The parameters of [`LinkRow::DELETE_OLDER`].
    pub(crate) fn older_params(&self) -> [(&str, &dyn ToSql); 3] {
        bind!(self; actor_kind, actor_id, kind)
    }
}

/// The columns `read_link` reads.
pub(crate) const LINK_COLUMNS: &str =
    "hash, actor_kind, actor_id, kind, login, created_at, expires_at";

/// A link from a row of [`LINK_COLUMNS`].
pub(crate) fn read_link(row: &Row<'_>) -> Outcome<AccountLink> {
    let r = Reader::new(row, "account_links");
    let hash: Vec<u8> = r.get("hash")?;
    Ok(AccountLink {
        hash: TokenHash::from_slice(&hash).map_err(|e| r.corrupt("hash", e))?,
        actor: r.actor("actor_kind", "actor_id")?,
        kind: r.text("kind")?,
        login: r.parse("login", |s| LoginName::parse(&s))?,
        created_at: r.instant("created_at")?,
        expires_at: r.instant("expires_at")?,
    })
}
