//! Who may sign in, managed through the desk: admins give agents and customers a login
//! (hashing the password is the caller's: the core keeps only the PHC string it is given),
//! people change their own, and disabling someone revokes every session and API token they
//! hold.

use super::{Acting, Helpdesk};
use crate::domain::{Actor, Agent, AgentId, Customer, CustomerId, Login, LoginName, PasswordHash};
use crate::error::{Error, ForbiddenReason, Result};
use crate::store::StoreExt;

impl Helpdesk {
    /// Deletes every session and API token of `actor`; how many. Nothing to do when the
    /// store keeps no accounts.
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails.
    pub async fn revoke_tokens_of(&self, actor: Actor) -> Result<usize> {
        let Some(accounts) = self.store.as_account_store() else {
            return Ok(0);
        };
        let mut revoked = 0;
        for token in accounts.tokens_of(actor).await? {
            if accounts.delete_token(&token.hash).await? {
                revoked += 1;
            }
        }
        Ok(revoked)
    }

    /// Whether `actor` may sign in at all: an active agent, or a customer whose access is
    /// enabled. Sign-in checks this after the password, so a disabled person gets no
    /// session or token.
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails.
    pub async fn may_sign_in(&self, actor: Actor) -> Result<bool> {
        Ok(match actor {
            Actor::System => false,
            Actor::Agent(id) => self.store.agent(id).await?.is_some_and(|a| a.active),
            Actor::Customer(id) => self
                .store
                .customer(id)
                .await?
                .is_some_and(|c| c.access_enabled),
        })
    }
}

impl Acting {
    /// Gives `actor` the login `name` with the password hashed as `hash` (an argon2 PHC
    /// string), or replaces the name and password of the one they have: admins for anyone,
    /// a person for themselves (a password change). A name another person's login holds is
    /// a conflict. Changing a password revokes the person's other sessions and tokens only
    /// when an admin does it ([`Acting::revoke_tokens`] otherwise).
    pub async fn set_login(
        &self,
        actor: Actor,
        name: LoginName,
        hash: PasswordHash,
    ) -> Result<Login> {
        if actor != self.actor() && !self.principal.is_admin() {
            return Err(Error::forbidden(ForbiddenReason::AdminOnly));
        }
        match actor {
            Actor::System => {
                return Err(Error::validation(
                    "actor",
                    "only agents and customers sign in",
                ));
            }
            Actor::Agent(id) => drop(self.desk.store.require_agent(id).await?),
            Actor::Customer(id) => drop(self.desk.store.require_customer(id).await?),
        }
        let accounts = self.desk.account_store()?;
        let now = self.desk.now();
        let mut login = Login::new(name, actor, hash, now)?;
        if let Some(old) = accounts.login_of(actor).await? {
            login.created_at = old.created_at;
        }
        accounts.put_login(&login).await?;
        Ok(login)
    }

    /// The login of `actor`: admins, or the person themselves.
    pub async fn login_of(&self, actor: Actor) -> Result<Option<Login>> {
        if actor != self.actor() && !self.principal.is_admin() {
            return Err(Error::forbidden(ForbiddenReason::AdminOnly));
        }
        self.desk.account_store()?.login_of(actor).await
    }

    /// Revokes every session and API token of `actor` (admins, or the person themselves:
    /// "sign out everywhere"); how many.
    pub async fn revoke_tokens(&self, actor: Actor) -> Result<usize> {
        if actor != self.actor() && !self.principal.is_admin() {
            return Err(Error::forbidden(ForbiddenReason::AdminOnly));
        }
        self.desk.account_store()?;
        self.desk.revoke_tokens_of(actor).await
    }

    /// Disables an agent (admins): they can no longer act or sign in, and every session and
    /// token they hold is revoked. Their tickets and history stay.
    pub async fn disable_agent(&self, id: AgentId) -> Result<Agent> {
        self.require_admin()?;
        let agent = self.desk.store.require_agent(id).await?;
        let agent = self
            .update_agent(id, agent.role, agent.departments, false)
            .await?;
        Ok(agent)
    }

    /// Disables a customer's access (admins): sign-in refused, every session and token
    /// revoked. The same as [`Acting::set_customer_access`] with `false`.
    pub async fn disable_customer(&self, id: CustomerId) -> Result<Customer> {
        self.set_customer_access(id, false).await
    }
}
