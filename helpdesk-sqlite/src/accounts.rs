//! Sign-in accounts (tables `logins` and `auth_tokens`, migration 0008; `account_links`,
//! migration 0020): [`AccountStore`] for [`SqliteStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{AccountLink, Actor, AuthToken, Login, LoginName, TokenHash};
use helpdesk_core::store::AccountStore;
use rusqlite::TransactionBehavior;

use crate::connection::SqliteStore;
use crate::rows::account::{
    LINK_COLUMNS, LOGIN_COLUMNS, LinkRow, LoginRow, TOKEN_COLUMNS, TokenRow, person, read_link,
    read_login, read_token,
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

    async fn put_account_link(&self, link: &AccountLink) -> Result<()> {
        let row = LinkRow::new(link)?;
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // A taken hash fails the insert, and the rollback keeps the older links.
            tx.prepare_cached(LinkRow::DELETE_OLDER)?
                .execute(&row.older_params()[..])?;
            tx.prepare_cached(LinkRow::INSERT)?
                .execute(&row.params()[..])?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn account_link(&self, hash: &TokenHash) -> Result<Option<AccountLink>> {
        let hash = *hash.as_bytes();
        self.read(move |conn| {
            let sql = format!("SELECT {LINK_COLUMNS} FROM account_links WHERE hash = ?1");
            first(conn, &sql, [hash], read_link)
        })
        .await
    }

    async fn take_account_link(&self, hash: &TokenHash) -> Result<Option<AccountLink>> {
        let hash = *hash.as_bytes();
        self.write(move |conn| {
            let sql = format!("DELETE FROM account_links WHERE hash = ?1 RETURNING {LINK_COLUMNS}");
            first(conn, &sql, [hash], read_link)
        })
        .await
    }

    async fn account_links_of(&self, who: Actor) -> Result<Vec<AccountLink>> {
        let Some((kind, id)) = person(who) else {
            return Ok(Vec::new());
        };
        self.read(move |conn| {
            let sql = format!(
                "SELECT {LINK_COLUMNS} FROM account_links
                 WHERE actor_kind = ?1 AND actor_id = ?2
                 ORDER BY created_at, hash"
            );
            all(conn, &sql, (kind, id), read_link)
        })
        .await
    }

    async fn delete_account_links_of(&self, who: Actor) -> Result<u64> {
        let Some((kind, id)) = person(who) else {
            return Ok(0);
        };
        self.write(move |conn| {
            let n = conn
                .prepare_cached(
                    "DELETE FROM account_links WHERE actor_kind = ?1 AND actor_id = ?2",
                )?
                .execute((kind, id))?;
            Ok(n as u64)
        })
        .await
    }

    async fn delete_expired_account_links(&self, now: DateTime<Utc>) -> Result<u64> {
        let now = micros(now);
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM account_links WHERE expires_at <= ?1")?
                .execute([now])?;
            Ok(n as u64)
        })
        .await
    }
}
