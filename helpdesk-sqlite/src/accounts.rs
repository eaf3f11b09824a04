//! Sign-in accounts (tables `logins` and `auth_tokens`, migration 0008): [`AccountStore`]
//! for [`SqliteStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{Actor, AuthToken, Login, LoginName, PasswordHash, TokenHash};
use helpdesk_core::error::Error;
use helpdesk_core::store::AccountStore;
use rusqlite::Row;

use crate::error::Outcome;
use crate::rows::{Columns, actor, micros};
use crate::store::{SqliteStore, all, first};

/// An agent's or customer's kind and id as stored; the system never signs in.
fn person(who: Actor) -> Result<(&'static str, [u8; 16])> {
    match actor(who) {
        (kind, Some(id)) => Ok((kind, id)),
        (_, None) => Err(Error::validation(
            "actor",
            "only agents and customers sign in",
        )),
    }
}

/// The columns `read_login` reads.
const LOGIN_COLUMNS: &str = "actor_kind, actor_id, login, password_hash, created_at, updated_at";

/// The columns `read_token` reads.
const TOKEN_COLUMNS: &str = "hash, actor_kind, actor_id, kind, created_at, expires_at, last_used";

fn read_login(row: &Row<'_>) -> Outcome<Login> {
    let r = Columns {
        row,
        table: "logins",
    };
    Ok(Login {
        name: r.parse("login", |s| LoginName::parse(&s))?,
        actor: r.actor("actor_kind", "actor_id")?,
        password_hash: r.parse("password_hash", |s| PasswordHash::parse(&s))?,
        created_at: r.instant("created_at")?,
        updated_at: r.instant("updated_at")?,
    })
}

fn read_token(row: &Row<'_>) -> Outcome<AuthToken> {
    let r = Columns {
        row,
        table: "auth_tokens",
    };
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

#[async_trait]
impl AccountStore for SqliteStore {
    async fn put_login(&self, login: &Login) -> Result<()> {
        let (kind, id) = person(login.actor)?;
        let row = (
            kind,
            id,
            login.name.as_str().to_owned(),
            login.password_hash.as_str().to_owned(),
            micros(login.created_at),
            micros(login.updated_at),
        );
        self.write(move |conn| {
            // A name another actor's login holds fails on `logins.login`: a Duplicate "login".
            conn.prepare_cached(
                "INSERT INTO logins (actor_kind, actor_id, login, password_hash, created_at,
                                     updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (actor_kind, actor_id) DO UPDATE SET
                     login = excluded.login, password_hash = excluded.password_hash,
                     created_at = excluded.created_at, updated_at = excluded.updated_at",
            )?
            .execute(row)?;
            Ok(())
        })
        .await
    }

    async fn login(&self, name: &LoginName) -> Result<Option<Login>> {
        let name = name.as_str().to_owned();
        self.read(move |conn| {
            let sql = format!("SELECT {LOGIN_COLUMNS} FROM logins WHERE login = ?1");
            first(conn, &sql, [name], read_login)
        })
        .await
    }

    async fn login_of(&self, who: Actor) -> Result<Option<Login>> {
        let Ok((kind, id)) = person(who) else {
            return Ok(None);
        };
        self.read(move |conn| {
            let sql = format!(
                "SELECT {LOGIN_COLUMNS} FROM logins WHERE actor_kind = ?1 AND actor_id = ?2"
            );
            first(conn, &sql, (kind, id), read_login)
        })
        .await
    }

    async fn delete_login(&self, who: Actor) -> Result<bool> {
        let Ok((kind, id)) = person(who) else {
            return Ok(false);
        };
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM logins WHERE actor_kind = ?1 AND actor_id = ?2")?
                .execute((kind, id))?;
            Ok(n > 0)
        })
        .await
    }

    async fn put_token(&self, token: &AuthToken) -> Result<()> {
        let (kind, id) = person(token.actor)?;
        let row = (
            *token.hash.as_bytes(),
            kind,
            id,
            token.kind.as_str(),
            micros(token.created_at),
            micros(token.expires_at),
            token.last_used.map(micros),
        );
        self.write(move |conn| {
            // A taken hash fails on `auth_tokens.hash`: a Duplicate "hash".
            conn.prepare_cached(
                "INSERT INTO auth_tokens (hash, actor_kind, actor_id, kind, created_at,
                                          expires_at, last_used)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(row)?;
            Ok(())
        })
        .await
    }

    async fn token(&self, hash: &TokenHash) -> Result<Option<AuthToken>> {
        let hash = *hash.as_bytes();
        self.read(move |conn| {
            let sql = format!("SELECT {TOKEN_COLUMNS} FROM auth_tokens WHERE hash = ?1");
            first(conn, &sql, [hash], read_token)
        })
        .await
    }

    async fn touch_token(&self, hash: &TokenHash, at: DateTime<Utc>) -> Result<bool> {
        let (hash, at) = (*hash.as_bytes(), micros(at));
        self.write(move |conn| {
            let n = conn
                .prepare_cached("UPDATE auth_tokens SET last_used = ?2 WHERE hash = ?1")?
                .execute((hash, at))?;
            Ok(n > 0)
        })
        .await
    }

    async fn delete_token(&self, hash: &TokenHash) -> Result<bool> {
        let hash = *hash.as_bytes();
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM auth_tokens WHERE hash = ?1")?
                .execute([hash])?;
            Ok(n > 0)
        })
        .await
    }

    async fn delete_expired_tokens(&self, now: DateTime<Utc>) -> Result<u64> {
        let now = micros(now);
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM auth_tokens WHERE expires_at <= ?1")?
                .execute([now])?;
            Ok(n as u64)
        })
        .await
    }

    async fn tokens_of(&self, who: Actor) -> Result<Vec<AuthToken>> {
        let Ok((kind, id)) = person(who) else {
            return Ok(Vec::new());
        };
        self.read(move |conn| {
            let sql = format!(
                "SELECT {TOKEN_COLUMNS} FROM auth_tokens
                 WHERE actor_kind = ?1 AND actor_id = ?2
                 ORDER BY created_at, hash"
            );
            all(conn, &sql, (kind, id), read_token)
        })
        .await
    }
}
