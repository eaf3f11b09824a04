//! One-time links that set a password: invitations (a new agent or customer chooses the
//! password of the login made for them) and password resets.
//!
//! Admins invite agents and customers, and agents invite customers (they add customers too);
//! admins make a reset link for anyone who has a login, and a person may ask for one for their
//! own login by its name or their e-mail address. A link is a random secret the store keeps
//! only the SHA-256 of, valid [7 days](crate::domain::INVITATION_LIFETIME) for an invitation
//! and [1 hour](crate::domain::PASSWORD_RESET_LIFETIME) for a reset; a new link revokes the
//! person's older unused one of its kind. When the person has an e-mail address, the desk a
//! public URL and the e-mail channel is on, the link is also queued as an e-mail in their
//! language; otherwise only the admin who made it gets it.
//!
//! [`Helpdesk::set_password_with_link`] uses a link: public (the link is the credential), it
//! refuses an expired link, a used or unknown one, and a disabled person.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Acting, Helpdesk};
use crate::domain::{
    AccountLink, Actor, Delivery, Email, Language, LinkKind, Login, LoginName, OutboundEmail,
    OutboxId, PasswordHash, TokenHash, new_link_secret,
};
use crate::error::{Entity, Error, ForbiddenReason, Result};
use crate::render::{AccountEmailContext, render_account_email};
use crate::store::{StoreExt, WriteBatch};

/// How soon after a reset link a person's own request makes no new one (so asking again and
/// again cannot flood their mailbox): 5 minutes.
pub const RESET_REQUEST_INTERVAL: chrono::Duration = chrono::Duration::minutes(5);

/// A link just made: its secret (shown once: the store keeps only its hash), whom it is for
/// and until when, its URL when the desk has a public URL, and the address it was e-mailed
/// to, if it was. Its `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct IssuedLink {
    /// The secret: what [`Helpdesk::set_password_with_link`] takes.
    pub token: String,
    /// An invitation or a password reset.
    pub kind: LinkKind,
    /// Whose password it sets.
    pub actor: Actor,
    /// The login name whose password it sets.
    pub login: LoginName,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// The page that takes it (the public URL, `setup-password?token=`), when the desk has a
    /// public URL.
    pub url: Option<String>,
    /// The address it was queued to as an e-mail, if it was.
    pub emailed_to: Option<Email>,
    /// That e-mail in the outbox.
    pub email_id: Option<OutboxId>,
}

impl std::fmt::Debug for IssuedLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedLink")
            .field("kind", &self.kind)
            .field("actor", &self.actor)
            .field("login", &self.login)
            .field("expires_at", &self.expires_at)
            .field("emailed_to", &self.emailed_to)
            .field("email_id", &self.email_id)
            .finish_non_exhaustive()
    }
}

/// The person a link is for, as far as links need them.
struct Person {
    actor: Actor,
    name: String,
    email: Option<Email>,
    language: Language,
    /// An active agent, or a customer whose access is enabled.
    enabled: bool,
}

impl Helpdesk {
    /// The agent or customer `actor`, or NotFound.
    async fn person(&self, actor: Actor) -> Result<Person> {
        match actor {
            Actor::Agent(id) => {
                let a = self.store.require_agent(id).await?;
                Ok(Person {
                    actor,
                    name: a.name.as_str().to_owned(),
                    email: Some(a.email),
                    language: Language::English,
                    enabled: a.active,
                })
            }
            Actor::Customer(id) => {
                let c = self.store.require_customer(id).await?;
                Ok(Person {
                    actor,
                    name: c.name.as_str().to_owned(),
                    email: c.email,
                    language: c.language.unwrap_or(Language::English),
                    enabled: c.access_enabled,
                })
            }
            Actor::System => Err(Error::validation(
                "actor",
                "only agents and customers sign in",
            )),
        }
    }

    /// Makes and stores a link of `kind` for `person` under `login` (revoking their older one
    /// of the kind), and queues its e-mail when it can be sent: they have an address, the
    /// desk a public URL and the e-mail channel.
    async fn issue_link(
        &self,
        person: &Person,
        kind: LinkKind,
        login: LoginName,
    ) -> Result<IssuedLink> {
        let accounts = self.account_store()?;
        let now = self.now();
        let token = new_link_secret();
        let link = AccountLink::new(TokenHash::of(&token), person.actor, kind, login, now)?;
        accounts.put_account_link(&link).await?;
        let public_url = self.public_url().await?;
        let url = public_url.as_ref().map(|u| u.setup_password_link(&token));
        let (mut emailed_to, mut email_id) = (None, None);
        if let (Some(url), Some(to), Some(mail)) = (&url, &person.email, self.mail_settings()) {
            let rendered = render_account_email(
                kind,
                person.language,
                &AccountEmailContext {
                    recipient_name: &person.name,
                    login: link.login.as_str(),
                    link: url,
                    expires_at: link.expires_at,
                    desk_name: &mail.from_name,
                },
            );
            let id = OutboxId::new();
            let email = OutboundEmail {
                id,
                message_id: mail.new_message_id(),
                ticket_id: None,
                ticket_number: None,
                kind: match kind {
                    LinkKind::Invitation => crate::domain::EmailKind::Invitation,
                    LinkKind::PasswordReset => crate::domain::EmailKind::PasswordReset,
                },
                language: person.language,
                to: to.clone(),
                to_name: Some(person.name.clone()),
                cc: Vec::new(),
                subject: rendered.subject,
                body: rendered.body,
                references: Vec::new(),
                created_at: now,
                attempts: 0,
                delivery: Delivery::Pending { at: now },
                last_error: None,
            };
            self.store
                .commit(WriteBatch {
                    outbox: vec![email],
                    ..WriteBatch::default()
                })
                .await?;
            emailed_to = Some(to.clone());
            email_id = Some(id);
        }
        Ok(IssuedLink {
            token,
            kind,
            actor: person.actor,
            login: link.login,
            expires_at: link.expires_at,
            url,
            emailed_to,
            email_id,
        })
    }

    /// A person asks for a password-reset link for their own login, named by the login or
    /// by their e-mail address: public, and the answer is the same whether or not such a
    /// login exists. A link is made only when it can be e-mailed (the person is enabled and
    /// has an address, the desk a public URL and the e-mail channel) and the person got no
    /// reset link in the last [`RESET_REQUEST_INTERVAL`]; it is never returned.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the store keeps no accounts; [`Error::Backend`] when it
    /// fails.
    pub async fn request_password_reset(&self, name_or_email: &str) -> Result<()> {
        let accounts = self.account_store()?;
        let Ok(name) = LoginName::parse(name_or_email) else {
            return Ok(());
        };
        let mut login = accounts.login(&name).await?;
        if login.is_none()
            && let Ok(email) = Email::parse(name_or_email)
        {
            let mut owner = self
                .store
                .customer_by_email(&email)
                .await?
                .map(|c| Actor::Customer(c.id));
            if owner.is_none() {
                owner = self
                    .store
                    .agents()
                    .await?
                    .into_iter()
                    .find(|a| a.email == email)
                    .map(|a| Actor::Agent(a.id));
            }
            if let Some(actor) = owner {
                login = accounts.login_of(actor).await?;
            }
        }
        let Some(login) = login else {
            return Ok(());
        };
        let person = self.person(login.actor).await?;
        let deliverable =
            person.enabled && person.email.is_some() && self.mail_settings().is_some();
        if !deliverable || self.public_url().await?.is_none() {
            return Ok(());
        }
        let now = self.now();
        let recent = accounts
            .account_links_of(login.actor)
            .await?
            .iter()
            .any(|l| {
                l.kind == LinkKind::PasswordReset && now - l.created_at < RESET_REQUEST_INTERVAL
            });
        if !recent {
            self.issue_link(&person, LinkKind::PasswordReset, login.name)
                .await?;
        }
        Ok(())
    }

    /// Sets a password with an invitation or password-reset link's secret `token`: public
    /// (the link is the credential). An invitation creates the person's login under the name
    /// it was made for; a reset replaces the password of their login and revokes every
    /// session and API token they hold. Either way the link is used up, with every other
    /// link of theirs. Hashing `password` is the caller's, as for
    /// [`Acting::set_login`].
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] with [`ForbiddenReason::LinkExpired`] for a link past its time,
    /// [`ForbiddenReason::LinkInvalid`] for one used, replaced or never made, and
    /// [`ForbiddenReason::AgentInactive`] or [`ForbiddenReason::AccessDisabled`] for a
    /// disabled person (the link stays then); a `Duplicate` `"login"` conflict when another
    /// person's login took the invitation's name meanwhile (the link stays);
    /// [`Error::Unsupported`] when the store keeps no accounts.
    pub async fn set_password_with_link(
        &self,
        token: &str,
        password: PasswordHash,
    ) -> Result<Login> {
        let accounts = self.account_store()?;
        let hash = TokenHash::of(token);
        let invalid = || Error::forbidden(ForbiddenReason::LinkInvalid);
        let link = accounts.account_link(&hash).await?.ok_or_else(invalid)?;
        let now = self.now();
        if link.is_expired(now) {
            return Err(Error::forbidden(ForbiddenReason::LinkExpired));
        }
        let person = match self.person(link.actor).await {
            Ok(p) => p,
            Err(Error::NotFound { .. }) => return Err(invalid()),
            Err(e) => return Err(e),
        };
        if !person.enabled {
            return Err(Error::forbidden(match link.actor {
                Actor::Agent(_) => ForbiddenReason::AgentInactive,
                _ => ForbiddenReason::AccessDisabled,
            }));
        }
        let existing = accounts.login_of(link.actor).await?;
        let name = existing
            .as_ref()
            .map_or_else(|| link.login.clone(), |l| l.name.clone());
        if accounts
            .login(&name)
            .await?
            .is_some_and(|l| l.actor != link.actor)
        {
            return Err(Error::duplicate(Entity::Login, "login"));
        }
        let link = accounts
            .take_account_link(&hash)
            .await?
            .ok_or_else(invalid)?;
        let mut login = Login::new(name, link.actor, password, now)?;
        if let Some(old) = &existing {
            login.created_at = old.created_at;
        }
        if let Err(e) = accounts.put_login(&login).await {
            // Nothing was set: the link works again.
            let _ = accounts.put_account_link(&link).await;
            return Err(e);
        }
        accounts.delete_account_links_of(link.actor).await?;
        if link.kind == LinkKind::PasswordReset {
            self.revoke_tokens_of(link.actor).await?;
        }
        Ok(login)
    }
}

impl Acting {
    /// Invites an agent (admins) or a customer (staff: agents add customers too) to sign in:
    /// a one-time link, valid 7 days, with which they choose the password of a login named
    /// `login` (by default their e-mail address). A new invitation revokes their older one.
    /// The link is e-mailed to them when it can be (see the [module](self) docs) and always
    /// returned.
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] for anyone else, or for a disabled person; [`Error::NotFound`] for
    /// an unknown one; a validation error on `login` when they already have a login (make a
    /// reset link instead) or no name is given for a customer without an e-mail address; a
    /// `Duplicate` `"login"` conflict when another person's login holds the name.
    pub async fn invite(&self, actor: Actor, login: Option<LoginName>) -> Result<IssuedLink> {
        match actor {
            Actor::Agent(_) => self.require_admin()?,
            _ => self.require_staff()?,
        }
        let person = self.desk.person(actor).await?;
        refuse_disabled(&person)?;
        let accounts = self.desk.account_store()?;
        if accounts.login_of(actor).await?.is_some() {
            return Err(Error::validation(
                "login",
                "they already have a login: make a password-reset link instead",
            ));
        }
        let name = match (login, &person.email) {
            (Some(name), _) => name,
            (None, Some(email)) => LoginName::parse(email.as_str())?,
            (None, None) => {
                return Err(Error::validation(
                    "login",
                    "give a login name: the customer has no e-mail address",
                ));
            }
        };
        if accounts.login(&name).await?.is_some() {
            return Err(Error::duplicate(Entity::Login, "login"));
        }
        self.desk
            .issue_link(&person, LinkKind::Invitation, name)
            .await
    }

    /// A password-reset link for `actor`'s login (admins), valid 1 hour; it revokes their
    /// older one. E-mailed to them when it can be (see the [module](self) docs) and always
    /// returned.
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] for anyone but admins, or for a disabled person;
    /// [`Error::NotFound`] for an unknown person or one without a login.
    pub async fn reset_link(&self, actor: Actor) -> Result<IssuedLink> {
        self.require_admin()?;
        let person = self.desk.person(actor).await?;
        refuse_disabled(&person)?;
        let login = self
            .desk
            .account_store()?
            .login_of(actor)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Login, actor_key(actor)))?;
        self.desk
            .issue_link(&person, LinkKind::PasswordReset, login.name)
            .await
    }
}

/// Refuses links for a deactivated agent or a customer whose access is disabled.
fn refuse_disabled(person: &Person) -> Result<()> {
    if person.enabled {
        return Ok(());
    }
    Err(Error::forbidden(match person.actor {
        Actor::Agent(_) => ForbiddenReason::AgentInactive,
        _ => ForbiddenReason::AccessDisabled,
    }))
}

/// How a NotFound names a person: `agent <id>` or `customer <id>`.
fn actor_key(actor: Actor) -> String {
    match actor {
        Actor::Agent(id) => format!("of agent {id}"),
        Actor::Customer(id) => format!("of customer {id}"),
        Actor::System => "of the system".to_owned(),
    }
}
