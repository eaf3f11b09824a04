//! Sign-in accounts (tables `logins` and `auth_tokens`, migration 0008; `account_links`,
//! migration 0020): [`AccountStore`] for [`PostgresStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::domain::{AccountLink, Actor, AuthToken, Login, LoginName, TokenHash};
use helpdesk_core::store::AccountStore;
use helpdesk_core::{Error, Result};
use uuid::Uuid;

use crate::connection::PostgresStore;
use crate::rows::account::{self as row, link_columns, login_columns, person, token_columns};
use crate::rows::{PgQuery, all, execute, optional};

/// An agent's or customer's kind and id; the system never signs in.
fn person_or_refuse(who: Actor) -> Result<(&'static str, Uuid)> {
    person(who).ok_or_else(|| Error::validation("actor", "only agents and customers sign in"))
}

/// `sql` with an actor's kind and id bound to `$1` and `$2`.
fn for_person(sql: &'static str, (kind, id): (&'static str, Uuid)) -> PgQuery<'static> {
    sqlx::query(sql).bind(kind).bind(id)
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
        let query = for_person(sql, person_or_refuse(login.actor)?)
            .bind(login.name.as_str().to_owned())
            .bind(login.password_hash.as_str().to_owned())
            .bind(login.created_at)
            .bind(login.updated_at);
        execute(&self.pool, query).await.map(drop)
    }

    async fn login(&self, name: &LoginName) -> Result<Option<Login>> {
        let sql = concat!("SELECT ", login_columns!(), " FROM logins WHERE login = $1");
        let query = sqlx::query(sql).bind(name.as_str().to_owned());
        optional(&self.pool, query, row::login).await
    }

    async fn login_of(&self, who: Actor) -> Result<Option<Login>> {
        let Some(person) = person(who) else {
            return Ok(None);
        };
        let sql = concat!(
            "SELECT ",
            login_columns!(),
            " FROM logins WHERE actor_kind = $1 AND actor_id = $2"
        );
        optional(&self.pool, for_person(sql, person), row::login).await
    }

    async fn delete_login(&self, who: Actor) -> Result<bool> {
        let Some(person) = person(who) else {
            return Ok(false);
        };
        let sql = "DELETE FROM logins WHERE actor_kind = $1 AND actor_id = $2";
        Ok(execute(&self.pool, for_person(sql, person)).await? > 0)
    }

    async fn put_token(&self, token: &AuthToken) -> Result<()> {
        // A taken hash violates `auth_tokens_pkey`: a Duplicate "hash".
        let sql = "INSERT INTO auth_tokens (actor_kind, actor_id, hash, kind, created_at, \
             expires_at, last_used) VALUES ($1, $2, $3, $4, $5, $6, $7)";
        let query = for_person(sql, person_or_refuse(token.actor)?)
            .bind(token.hash.as_bytes().to_vec())
            .bind(token.kind.as_str())
            .bind(token.created_at)
            .bind(token.expires_at)
            .bind(token.last_used);
        execute(&self.pool, query).await.map(drop)
    }

    async fn token(&self, hash: &TokenHash) -> Result<Option<AuthToken>> {
        let sql = concat!(
            "SELECT ",
            token_columns!(),
            " FROM auth_tokens WHERE hash = $1"
        );
        let query = sqlx::query(sql).bind(hash.as_bytes().to_vec());
        optional(&self.pool, query, row::token).await
    }

    async fn touch_token(&self, hash: &TokenHash, at: DateTime<Utc>) -> Result<bool> {
        let query = sqlx::query("UPDATE auth_tokens SET last_used = $2 WHERE hash = $1")
            .bind(hash.as_bytes().to_vec())
            .bind(at);
        Ok(execute(&self.pool, query).await? > 0)
    }

    async fn delete_token(&self, hash: &TokenHash) -> Result<bool> {
        let query =
            sqlx::query("DELETE FROM auth_tokens WHERE hash = $1").bind(hash.as_bytes().to_vec());
        Ok(execute(&self.pool, query).await? > 0)
    }

    async fn delete_expired_tokens(&self, now: DateTime<Utc>) -> Result<u64> {
        let query = sqlx::query("DELETE FROM auth_tokens WHERE expires_at <= $1").bind(now);
        execute(&self.pool, query).await
    }

    async fn tokens_of(&self, who: Actor) -> Result<Vec<AuthToken>> {
        let Some(person) = person(who) else {
            return Ok(Vec::new());
        };
        let sql = concat!(
            "SELECT ",
            token_columns!(),
            " FROM auth_tokens WHERE actor_kind = $1 AND actor_id = $2 ORDER BY created_at, hash"
        );
        all(&self.pool, for_person(sql, person), row::token).await
    }

    async fn put_account_link(&self, link: &AccountLink) -> Result<()> {
        // One statement: the older links of the kind go only if the insert succeeds (a taken
        // hash violates `account_links_pkey`: a Duplicate "hash").
        let sql = "WITH older AS (DELETE FROM account_links \
             WHERE actor_kind = $1 AND actor_id = $2 AND kind = $4) \
             INSERT INTO account_links (actor_kind, actor_id, hash, kind, login, created_at, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
        let query = for_person(sql, person_or_refuse(link.actor)?)
            .bind(link.hash.as_bytes().to_vec())
            .bind(link.kind.as_str())
            .bind(link.login.as_str().to_owned())
            .bind(link.created_at)
            .bind(link.expires_at);
        execute(&self.pool, query).await.map(drop)
    }

    async fn account_link(&self, hash: &TokenHash) -> Result<Option<AccountLink>> {
        let sql = concat!(
            "SELECT ",
            link_columns!(),
            " FROM account_links WHERE hash = $1"
        );
        let query = sqlx::query(sql).bind(hash.as_bytes().to_vec());
        optional(&self.pool, query, row::link).await
    }

    async fn take_account_link(&self, hash: &TokenHash) -> Result<Option<AccountLink>> {
        let sql = concat!(
            "DELETE FROM account_links WHERE hash = $1 RETURNING ",
            link_columns!()
        );
        let query = sqlx::query(sql).bind(hash.as_bytes().to_vec());
        optional(&self.pool, query, row::link).await
    }

    async fn account_links_of(&self, who: Actor) -> Result<Vec<AccountLink>> {
        let Some(person) = person(who) else {
            return Ok(Vec::new());
        };
        let sql = concat!(
            "SELECT ",
            link_columns!(),
            " FROM account_links WHERE actor_kind = $1 AND actor_id = $2 \
             ORDER BY created_at, hash"
        );
        all(&self.pool, for_person(sql, person), row::link).await
    }

    async fn delete_account_links_of(&self, who: Actor) -> Result<u64> {
        let Some(person) = person(who) else {
            return Ok(0);
        };
        let sql = "DELETE FROM account_links WHERE actor_kind = $1 AND actor_id = $2";
        execute(&self.pool, for_person(sql, person)).await
    }

    async fn delete_expired_account_links(&self, now: DateTime<Utc>) -> Result<u64> {
        let query = sqlx::query("DELETE FROM account_links WHERE expires_at <= $1").bind(now);
        execute(&self.pool, query).await
    }
}
