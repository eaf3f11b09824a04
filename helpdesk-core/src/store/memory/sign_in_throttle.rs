//! [`SignInThrottle`] for the in-memory reference store.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::MemoryStore;
use crate::error::Result;
use crate::store::{SignInAttempt, SignInThrottle, check_attempt_key};

#[async_trait]
impl SignInThrottle for MemoryStore {
    async fn record(
        &self,
        attempt: &SignInAttempt,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Option<DateTime<Utc>>> {
        check_attempt_key(&attempt.key)?;
        let mut inner = self.lock();
        let in_window: Vec<DateTime<Utc>> = inner
            .sign_in_attempts
            .iter()
            .filter(|a| a.key == attempt.key && a.at >= since)
            .map(|a| a.at)
            .collect();
        if in_window.len() >= limit as usize {
            return Ok(in_window.into_iter().min());
        }
        inner.sign_in_attempts.push(attempt.clone());
        Ok(None)
    }

    async fn forget(&self, id: Uuid) -> Result<bool> {
        let mut inner = self.lock();
        let before = inner.sign_in_attempts.len();
        inner.sign_in_attempts.retain(|a| a.id != id);
        Ok(inner.sign_in_attempts.len() < before)
    }

    async fn clear(&self, key: &str) -> Result<u64> {
        let mut inner = self.lock();
        let before = inner.sign_in_attempts.len();
        inner.sign_in_attempts.retain(|a| a.key != key);
        Ok((before - inner.sign_in_attempts.len()) as u64)
    }

    async fn prune(&self, before: DateTime<Utc>) -> Result<u64> {
        let mut inner = self.lock();
        let count = inner.sign_in_attempts.len();
        inner.sign_in_attempts.retain(|a| a.at >= before);
        Ok((count - inner.sign_in_attempts.len()) as u64)
    }
}
