//! Sign-in accounts (tables `logins` and `auth_tokens`, migration 0008): [`AccountStore`]
//! for [`SqliteStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{Actor, AuthToken, Login, LoginName, TokenHash};
use helpdesk_core::store::AccountStore;

use crate::connection::SqliteStore;
use crate::rows::account::{
    LOGIN_COLUMNS, LoginRow, TOKEN_COLUMNS, TokenRow, person, read_login, read_token,
};
use crate::rows::{all, first, micros};

#[async_trait]
impl AccountStore for SqliteStore {
    async fn put_login(&self, login: &Login) -> Result<()> {
        let row = LoginRow::new(login)?;
        self.write(move |conn| {
            conn.prepare_cached(LoginRow::UPSERT)?
                .execute(&row.params()[..])?;
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
        let Some((kind, id)) = person(who) else {
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
        let Some((kind, id)) = person(who) else {
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
        let row = TokenRow::new(token)?;
        self.write(move |conn| {
            conn.prepare_cached(TokenRow::INSERT)?
                .execute(&row.params()[..])?;
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
        let Some((kind, id)) = person(who) else {
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
