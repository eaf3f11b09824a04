//! [`AccountStore`] for the in-memory reference store.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::MemoryStore;
use crate::domain::{AccountLink, Actor, AuthToken, Login, LoginName, TokenHash};
use crate::error::{Entity, Error, Result};
use crate::store::AccountStore;

#[async_trait]
impl AccountStore for MemoryStore {
    async fn put_login(&self, login: &Login) -> Result<()> {
        let mut inner = self.lock();
        if inner
            .logins
            .values()
            .any(|l| l.name == login.name && l.actor != login.actor)
        {
            return Err(Error::duplicate(Entity::Login, "login"));
        }
        inner.logins.insert(login.actor, login.clone());
        Ok(())
    }

    async fn login(&self, name: &LoginName) -> Result<Option<Login>> {
        Ok(self
            .lock()
            .logins
            .values()
            .find(|l| &l.name == name)
            .cloned())
    }

    async fn login_of(&self, actor: Actor) -> Result<Option<Login>> {
        Ok(self.lock().logins.get(&actor).cloned())
    }

    async fn delete_login(&self, actor: Actor) -> Result<bool> {
        Ok(self.lock().logins.remove(&actor).is_some())
    }

    async fn put_token(&self, token: &AuthToken) -> Result<()> {
        let mut inner = self.lock();
        if inner.tokens.contains_key(&token.hash) {
            return Err(Error::duplicate(Entity::Session, "hash"));
        }
        inner.tokens.insert(token.hash, token.clone());
        Ok(())
    }

    async fn token(&self, hash: &TokenHash) -> Result<Option<AuthToken>> {
        Ok(self.lock().tokens.get(hash).cloned())
    }

    async fn touch_token(&self, hash: &TokenHash, at: DateTime<Utc>) -> Result<bool> {
        Ok(match self.lock().tokens.get_mut(hash) {
            Some(token) => {
                token.last_used = Some(at);
                true
            }
            None => false,
        })
    }

    async fn delete_token(&self, hash: &TokenHash) -> Result<bool> {
        Ok(self.lock().tokens.remove(hash).is_some())
    }

    async fn delete_expired_tokens(&self, now: DateTime<Utc>) -> Result<u64> {
        let mut inner = self.lock();
        let before = inner.tokens.len();
        inner.tokens.retain(|_, t| t.expires_at > now);
        Ok((before - inner.tokens.len()) as u64)
    }

    async fn tokens_of(&self, actor: Actor) -> Result<Vec<AuthToken>> {
        let mut found: Vec<AuthToken> = self
            .lock()
            .tokens
            .values()
            .filter(|t| t.actor == actor)
            .cloned()
            .collect();
        found.sort_by_key(|t| (t.created_at, t.hash));
        Ok(found)
    }

    async fn put_account_link(&self, link: &AccountLink) -> Result<()> {
        let mut inner = self.lock();
        if inner.account_links.contains_key(&link.hash) {
            return Err(Error::duplicate(Entity::AccountLink, "hash"));
        }
        inner
            .account_links
            .retain(|_, l| l.actor != link.actor || l.kind != link.kind);
        inner.account_links.insert(link.hash, link.clone());
        Ok(())
    }

    async fn account_link(&self, hash: &TokenHash) -> Result<Option<AccountLink>> {
        Ok(self.lock().account_links.get(hash).cloned())
    }

    async fn take_account_link(&self, hash: &TokenHash) -> Result<Option<AccountLink>> {
        Ok(self.lock().account_links.remove(hash))
    }

    async fn account_links_of(&self, actor: Actor) -> Result<Vec<AccountLink>> {
        let mut found: Vec<AccountLink> = self
            .lock()
            .account_links
            .values()
            .filter(|l| l.actor == actor)
            .cloned()
            .collect();
        found.sort_by_key(|l| (l.created_at, l.hash));
        Ok(found)
    }

    async fn delete_account_links_of(&self, actor: Actor) -> Result<u64> {
        let mut inner = self.lock();
        let before = inner.account_links.len();
        inner.account_links.retain(|_, l| l.actor != actor);
        Ok((before - inner.account_links.len()) as u64)
    }

    async fn delete_expired_account_links(&self, now: DateTime<Utc>) -> Result<u64> {
        let mut inner = self.lock();
        let before = inner.account_links.len();
        inner.account_links.retain(|_, l| l.expires_at > now);
        Ok((before - inner.account_links.len()) as u64)
    }
}
