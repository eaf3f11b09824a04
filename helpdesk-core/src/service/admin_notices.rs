//! Notices to admins about the desk itself (issue 23, item 3): an admin reads their own and
//! marks them read. They are written by the store with what causes them (today: a webhook
//! endpoint disabled after repeated failures, see [`Helpdesk::record_webhook_attempt`]).

use super::{Acting, Helpdesk};
use crate::domain::{AdminNoticeId, AgentId, Role};
use crate::error::{Entity, Error, Result};
use crate::webhooks::AdminNotice;

/// The most admin notices one call lists.
pub const MAX_ADMIN_NOTICES: u32 = 200;

impl Helpdesk {
    /// The active admins: whom a notice about the desk goes to.
    pub(crate) async fn active_admins(&self) -> Result<Vec<AgentId>> {
        Ok((self.store.agents().await?.into_iter())
            .filter(|a| a.active && a.role == Role::Admin)
            .map(|a| a.id)
            .collect())
    }
}

impl Acting {
    /// The acting admin's notices, newest first, at most `limit` (1 to
    /// [`MAX_ADMIN_NOTICES`]); none for the system, which has no inbox.
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] for anyone but admins, [`Error::Unsupported`] without webhooks.
    pub async fn admin_notices(&self, limit: u32) -> Result<Vec<AdminNotice>> {
        self.require_admin()?;
        let store = self.desk.webhook_store()?;
        match self.principal.agent() {
            Some(me) => {
                store
                    .admin_notices(me.id, limit.clamp(1, MAX_ADMIN_NOTICES))
                    .await
            }
            None => Ok(Vec::new()),
        }
    }

    /// Marks the acting admin's notice `id` read (a notice already read stays as it was).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when it is not theirs, [`Error::Forbidden`] for anyone but admins,
    /// [`Error::Unsupported`] without webhooks.
    pub async fn mark_admin_notice_read(&self, id: AdminNoticeId) -> Result<()> {
        self.require_admin()?;
        let store = self.desk.webhook_store()?;
        let me =
            (self.principal.agent()).ok_or_else(|| Error::not_found(Entity::AdminNotice, id))?;
        if store
            .mark_admin_notice_read(id, me.id, self.desk.now())
            .await?
        {
            return Ok(());
        }
        let mine = store.admin_notices(me.id, MAX_ADMIN_NOTICES).await?;
        if mine.iter().any(|n| n.id == id) {
            Ok(())
        } else {
            Err(Error::not_found(Entity::AdminNotice, id))
        }
    }
}
