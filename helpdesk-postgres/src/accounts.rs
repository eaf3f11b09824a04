//! Sign-in accounts (tables `logins` and `auth_tokens`, migration 0008): [`AccountStore`]
//! for [`PostgresStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::domain::{
    Actor, ActorKind, AuthToken, Login, LoginName, PasswordHash, TokenHash,
};
use helpdesk_core::store::AccountStore;
use helpdesk_core::{Error, Result};
use sqlx::postgres::PgRow;
use uuid::Uuid;

use crate::PostgresStore;
use crate::error;
use crate::rows::{PgQuery, Reader};

/// The column list of login reads.
const LOGIN_COLUMNS: &str = "actor_kind, actor_id, login, password_hash, created_at, updated_at";

/// The column list of token reads.
const TOKEN_COLUMNS: &str = "hash, actor_kind, actor_id, kind, created_at, expires_at, last_used";

/// An agent's or customer's kind (its stable text) and id as stored; the system, which has
/// no id, never signs in.
fn person(who: Actor) -> Option<(&'static str, Uuid)> {
    who.id().map(|id| (who.kind().as_str(), id))
}

fn person_or_refuse(who: Actor) -> Result<(&'static str, Uuid)> {
    person(who).ok_or_else(|| Error::validation("actor", "only agents and customers sign in"))
}

fn actor(r: &Reader<'_>) -> Result<Actor> {
    let kind: ActorKind = r.text("actor_kind")?;
    Actor::from_parts(kind, Some(r.get("actor_id")?)).map_err(|e| r.corrupt("actor_kind", e))
}

fn login_row(row: &PgRow) -> Result<Login> {
    let r = Reader::new(row, "logins");
    Ok(Login {
        name: r.parse("login", |s| LoginName::parse(&s))?,
        actor: actor(&r)?,
        password_hash: r.parse("password_hash", |s| PasswordHash::parse(&s))?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

fn token_row(row: &PgRow) -> Result<AuthToken> {
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

/// The rows `query` selects, at most one, read with `read`.
async fn optional<T>(
    store: &PostgresStore,
    query: PgQuery<'_>,
    read: fn(&PgRow) -> Result<T>,
) -> Result<Option<T>> {
    let row = query.fetch_optional(&store.pool).await.map_err(error::db)?;
    row.as_ref().map(read).transpose()
}

/// How many rows `query` wrote.
async fn affected(store: &PostgresStore, query: PgQuery<'_>) -> Result<u64> {
    let done = query.execute(&store.pool).await.map_err(error::db)?;
    Ok(done.rows_affected())
}

/// `sql` with an actor's kind and id bound to `$1` and `$2`.
fn for_person(sql: String, (kind, id): (&'static str, Uuid)) -> PgQuery<'static> {
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(kind).bind(id)
}

#[async_trait]
impl AccountStore for PostgresStore {
    async fn put_login(&self, login: &Login) -> Result<()> {
        // A name another actor's login holds violates `logins_login_key`: a Duplicate "login".
        let sql = "INSERT INTO logins (actor_kind, actor_id, login, password_hash, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (actor_kind, actor_id) DO UPDATE SET login = EXCLUDED.login, \
             password_hash = EXCLUDED.password_hash, created_at = EXCLUDED.created_at, \
             updated_at = EXCLUDED.updated_at";
        let query = for_person(sql.to_owned(), person_or_refuse(login.actor)?)
            .bind(login.name.as_str().to_owned())
            .bind(login.password_hash.as_str().to_owned())
            .bind(login.created_at)
            .bind(login.updated_at);
        affected(self, query).await.map(drop)
    }

    async fn login(&self, name: &LoginName) -> Result<Option<Login>> {
        let sql = format!("SELECT {LOGIN_COLUMNS} FROM logins WHERE login = $1");
        let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(name.as_str().to_owned());
        optional(self, query, login_row).await
    }

    async fn login_of(&self, who: Actor) -> Result<Option<Login>> {
        let Some(person) = person(who) else {
            return Ok(None);
        };
        let sql =
            format!("SELECT {LOGIN_COLUMNS} FROM logins WHERE actor_kind = $1 AND actor_id = $2");
        optional(self, for_person(sql, person), login_row).await
    }

    async fn delete_login(&self, who: Actor) -> Result<bool> {
        let Some(person) = person(who) else {
            return Ok(false);
        };
        let sql = "DELETE FROM logins WHERE actor_kind = $1 AND actor_id = $2";
        Ok(affected(self, for_person(sql.to_owned(), person)).await? > 0)
    }

    async fn put_token(&self, token: &AuthToken) -> Result<()> {
        // A taken hash violates `auth_tokens_pkey`: a Duplicate "hash".
        let sql = "INSERT INTO auth_tokens (actor_kind, actor_id, hash, kind, created_at, \
             expires_at, last_used) VALUES ($1, $2, $3, $4, $5, $6, $7)";
        let query = for_person(sql.to_owned(), person_or_refuse(token.actor)?)
            .bind(token.hash.as_bytes().to_vec())
            .bind(token.kind.as_str())
            .bind(token.created_at)
            .bind(token.expires_at)
            .bind(token.last_used);
        affected(self, query).await.map(drop)
    }

    async fn token(&self, hash: &TokenHash) -> Result<Option<AuthToken>> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM auth_tokens WHERE hash = $1");
        let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(hash.as_bytes().to_vec());
        optional(self, query, token_row).await
    }

    async fn touch_token(&self, hash: &TokenHash, at: DateTime<Utc>) -> Result<bool> {
        let query = sqlx::query("UPDATE auth_tokens SET last_used = $2 WHERE hash = $1")
            .bind(hash.as_bytes().to_vec())
            .bind(at);
        Ok(affected(self, query).await? > 0)
    }

    async fn delete_token(&self, hash: &TokenHash) -> Result<bool> {
        let query =
            sqlx::query("DELETE FROM auth_tokens WHERE hash = $1").bind(hash.as_bytes().to_vec());
        Ok(affected(self, query).await? > 0)
    }

    async fn delete_expired_tokens(&self, now: DateTime<Utc>) -> Result<u64> {
        let query = sqlx::query("DELETE FROM auth_tokens WHERE expires_at <= $1").bind(now);
        affected(self, query).await
    }

    async fn tokens_of(&self, who: Actor) -> Result<Vec<AuthToken>> {
        let Some(person) = person(who) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM auth_tokens WHERE actor_kind = $1 AND actor_id = $2 \
             ORDER BY created_at, hash"
        );
        let rows = for_person(sql, person)
            .fetch_all(&self.pool)
            .await
            .map_err(error::db)?;
        rows.iter().map(token_row).collect()
    }
}
