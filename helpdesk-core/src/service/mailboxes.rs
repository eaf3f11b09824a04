//! IMAP mailboxes stored for departments: admins add, edit, list and remove them; the
//! processes that fetch mail (the server's watcher, `cli fetch-mail`) read the enabled ones
//! with their passwords ([`Helpdesk::mailboxes_to_fetch`]) and record each round
//! ([`Helpdesk::record_mailbox_round`]). The password is write-only: no listing shows it,
//! an edit without one keeps the stored one, and the settings' audit trail records only
//! that it changed.

use std::fmt;

use serde::Serialize;

use super::{Acting, Helpdesk};
use crate::domain::MailboxId;
use crate::error::{Ability, Entity, Error, Result};
use crate::store::{
    ChangedSetting, Mailbox, MailboxAfter, MailboxRound, MailboxSettings, MailboxStore,
    SettingChange, StoreExt,
};

/// The shortest poll interval an admin may set, in seconds.
pub const MIN_POLL_SECONDS: u32 = 10;
/// The longest poll interval an admin may set, in seconds (servers drop idle connections
/// after 30 minutes).
pub const MAX_POLL_SECONDS: u32 = 1500;
/// The default poll interval, in seconds.
pub const DEFAULT_POLL_SECONDS: u32 = 60;
/// The longest host name, user name, folder or password.
const MAX_TEXT: usize = 255;
/// The longest password.
const MAX_PASSWORD: usize = 1024;

/// A mailbox's password as typed. Its `Debug` output hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct MailboxPassword(String);

impl MailboxPassword {
    /// Checks a typed password: not empty, at most 1024 characters, no control characters
    /// (an IMAP login cannot carry them).
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] on field `password`.
    pub fn parse(typed: &str) -> Result<Self> {
        if typed.is_empty() {
            return Err(Error::validation("password", "must not be empty"));
        }
        if typed.chars().count() > MAX_PASSWORD {
            return Err(Error::validation(
                "password",
                format!("at most {MAX_PASSWORD} characters"),
            ));
        }
        if typed.chars().any(char::is_control) {
            return Err(Error::validation(
                "password",
                "must not contain control characters",
            ));
        }
        Ok(Self(typed.to_owned()))
    }

    /// The password itself (to log in with).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for MailboxPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MailboxPassword(..)")
    }
}

/// A stored mailbox with its password: what a process needs to log in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxLogin {
    /// The mailbox.
    pub mailbox: Mailbox,
    /// Its password.
    pub password: MailboxPassword,
}

/// Checks a piece of text: trimmed, not empty, at most 255 characters, no control
/// characters; with `no_spaces`, no white space either.
fn check_text(field: &'static str, text: &str, no_spaces: bool) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    if text.trim() != text {
        return Err(Error::validation(
            field,
            "must not start or end with spaces",
        ));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(Error::validation(
            field,
            format!("at most {MAX_TEXT} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::validation(
            field,
            "must not contain control characters",
        ));
    }
    if no_spaces && text.chars().any(char::is_whitespace) {
        return Err(Error::validation(field, "must not contain spaces"));
    }
    Ok(())
}

impl MailboxSettings {
    /// Settings for `user` on `host` (TLS on port 993), reading `INBOX` into `department`,
    /// messages flagged once taken, enabled, polled every [`DEFAULT_POLL_SECONDS`].
    pub fn new(
        department: crate::domain::DepartmentId,
        host: impl Into<String>,
        user: impl Into<String>,
    ) -> Self {
        Self {
            department,
            host: host.into(),
            port: 993,
            security: crate::store::MailboxSecurity::Tls,
            user: user.into(),
            folder: "INBOX".to_owned(),
            after: MailboxAfter::Flag,
            move_to: None,
            enabled: true,
            poll_seconds: DEFAULT_POLL_SECONDS,
        }
    }

    /// Checks every setting but the department (which the desk looks up).
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] on the first field that is wrong: `host` (empty, spaces, `/`
    /// or `@`), `port` (0), `user`, `folder`, `move_to` (missing with `after = move`, given
    /// otherwise, or the folder read), `poll_seconds` (outside
    /// [`MIN_POLL_SECONDS`]..=[`MAX_POLL_SECONDS`]).
    pub fn validate(&self) -> Result<()> {
        check_text("host", &self.host, true)?;
        if self.host.contains(['/', '@', '?', '#']) {
            return Err(Error::validation(
                "host",
                "a host name or address, without a scheme, path or login",
            ));
        }
        if self.port == 0 {
            return Err(Error::validation("port", "must be between 1 and 65535"));
        }
        check_text("user", &self.user, false)?;
        check_text("folder", &self.folder, false)?;
        match (self.after, &self.move_to) {
            (MailboxAfter::Move, None) => {
                return Err(Error::validation(
                    "move_to",
                    "the folder to move messages to is needed with after = move",
                ));
            }
            (MailboxAfter::Move, Some(to)) => {
                check_text("move_to", to, false)?;
                if *to == self.folder {
                    return Err(Error::validation(
                        "move_to",
                        "must differ from the folder read",
                    ));
                }
            }
            (_, Some(_)) => {
                return Err(Error::validation("move_to", "only with after = move"));
            }
            (_, None) => {}
        }
        if !(MIN_POLL_SECONDS..=MAX_POLL_SECONDS).contains(&self.poll_seconds) {
            return Err(Error::validation(
                "poll_seconds",
                format!("must be between {MIN_POLL_SECONDS} and {MAX_POLL_SECONDS}"),
            ));
        }
        Ok(())
    }

    /// Whether these read the same folder of the same login on the same server as `other`.
    fn same_folder_as(&self, other: &MailboxSettings) -> bool {
        self.host.eq_ignore_ascii_case(&other.host)
            && self.port == other.port
            && self.user == other.user
            && self.folder == other.folder
    }
}

/// A mailbox as the settings' audit trail keeps it: its settings, and a new password only
/// as `"password": "changed"`.
#[derive(Serialize)]
struct Audited<'a> {
    id: MailboxId,
    #[serde(flatten)]
    settings: &'a MailboxSettings,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'static str>,
}

/// The audit text of mailbox `id` with `settings`, noting a changed password.
fn audited(id: MailboxId, settings: &MailboxSettings, password_changed: bool) -> Result<String> {
    let entry = Audited {
        id,
        settings,
        password: password_changed.then_some("changed"),
    };
    serde_json::to_string(&entry).map_err(Error::backend)
}

impl Helpdesk {
    /// The store's mailboxes, or [`Error::Unsupported`].
    pub fn mailbox_store(&self) -> Result<&dyn MailboxStore> {
        self.store
            .as_mailbox_store()
            .ok_or(Error::unsupported(Ability::Mailboxes))
    }

    /// Every enabled stored mailbox with its password, oldest first: what the processes
    /// that fetch mail read (the process itself, not a person: no authorization). Empty
    /// when the store keeps no mailboxes.
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails.
    pub async fn mailboxes_to_fetch(&self) -> Result<Vec<MailboxLogin>> {
        let Some(store) = self.store.as_mailbox_store() else {
            return Ok(Vec::new());
        };
        let mut logins = Vec::new();
        for mailbox in store.mailboxes().await? {
            if !mailbox.settings.enabled {
                continue;
            }
            // Removed since the list was read: skipped.
            if let Some(password) = store.mailbox_password(mailbox.id).await? {
                logins.push(MailboxLogin {
                    mailbox,
                    password: MailboxPassword(password),
                });
            }
        }
        Ok(logins)
    }

    /// The stored mailbox `id` with its password, enabled or not (a process asked to fetch
    /// from it by id).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`], [`Error::Unsupported`] when the store keeps no mailboxes.
    pub async fn mailbox_login(&self, id: MailboxId) -> Result<MailboxLogin> {
        let store = self.mailbox_store()?;
        let not_found = || Error::not_found(Entity::Mailbox, id);
        let mailbox = store.mailbox(id).await?.ok_or_else(not_found)?;
        let password = store.mailbox_password(id).await?.ok_or_else(not_found)?;
        Ok(MailboxLogin {
            mailbox,
            password: MailboxPassword(password),
        })
    }

    /// Records how the last round of mailbox `id` went, now: `taken` messages, or the
    /// `error` it failed with (a mailbox removed meanwhile is skipped).
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails, [`Error::Unsupported`] when it keeps no
    /// mailboxes.
    pub async fn record_mailbox_round(
        &self,
        id: MailboxId,
        taken: u32,
        error: Option<String>,
    ) -> Result<()> {
        let round = MailboxRound {
            at: self.now(),
            taken,
            error,
        };
        self.mailbox_store()?
            .record_mailbox_round(id, &round)
            .await
            .map(drop)
    }
}

impl Acting {
    /// Every stored mailbox, oldest first, without passwords (admins).
    pub async fn mailboxes(&self) -> Result<Vec<Mailbox>> {
        self.require_admin()?;
        self.desk.mailbox_store()?.mailboxes().await
    }

    /// The stored mailbox `id`, without its password (admins).
    pub async fn mailbox(&self, id: MailboxId) -> Result<Mailbox> {
        self.require_admin()?;
        self.desk
            .mailbox_store()?
            .mailbox(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Mailbox, id))
    }

    /// Checks `settings` for mailbox `id` (`None`: a new one): valid, the department there,
    /// the folder not read by another stored mailbox.
    async fn check_mailbox(&self, id: Option<MailboxId>, settings: &MailboxSettings) -> Result<()> {
        settings.validate()?;
        self.desk
            .store
            .require_department(settings.department)
            .await?;
        let others = self.desk.mailbox_store()?.mailboxes().await?;
        if others
            .iter()
            .any(|m| Some(m.id) != id && m.settings.same_folder_as(settings))
        {
            return Err(Error::duplicate(Entity::Mailbox, "folder"));
        }
        Ok(())
    }

    /// The audit entry of a change of the stored mailboxes.
    fn mailbox_change(
        &self,
        id: MailboxId,
        before: Option<String>,
        after: Option<String>,
    ) -> SettingChange {
        SettingChange {
            key: ChangedSetting::Mailbox,
            item: Some(id.to_string()),
            actor: self.actor(),
            at: self.desk.now(),
            before,
            after,
        }
    }

    /// Stores a new mailbox for `settings.department` with `password` (admins), audited.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] (see [`MailboxSettings::validate`]), [`Error::NotFound`] for
    /// the department, [`Error::Conflict`] on `folder` when another stored mailbox reads
    /// the same folder of the same login, [`Error::Forbidden`] for non-admins,
    /// [`Error::Unsupported`] when the store keeps no mailboxes.
    pub async fn add_mailbox(
        &self,
        settings: MailboxSettings,
        password: MailboxPassword,
    ) -> Result<Mailbox> {
        self.require_admin()?;
        self.check_mailbox(None, &settings).await?;
        let id = MailboxId::new();
        let change = self.mailbox_change(id, None, Some(audited(id, &settings, true)?));
        self.desk
            .mailbox_store()?
            .put_mailbox(id, &settings, password.expose(), &change)
            .await?;
        self.mailbox(id).await
    }

    /// Replaces the settings of mailbox `id` (admins), audited; without a `password` the
    /// stored one is kept. Its last round stays as recorded. An edit that changes nothing
    /// writes nothing.
    ///
    /// # Errors
    ///
    /// As [`add_mailbox`](Self::add_mailbox), and [`Error::NotFound`] for the mailbox.
    pub async fn edit_mailbox(
        &self,
        id: MailboxId,
        settings: MailboxSettings,
        password: Option<MailboxPassword>,
    ) -> Result<Mailbox> {
        let before = self.mailbox(id).await?;
        self.check_mailbox(Some(id), &settings).await?;
        let store = self.desk.mailbox_store()?;
        let stored = store
            .mailbox_password(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Mailbox, id))?;
        let password = password.map_or(stored.clone(), |p| p.0);
        let password_changed = password != stored;
        if settings == before.settings && !password_changed {
            return Ok(before);
        }
        let change = self.mailbox_change(
            id,
            Some(audited(id, &before.settings, false)?),
            Some(audited(id, &settings, password_changed)?),
        );
        store.put_mailbox(id, &settings, &password, &change).await?;
        self.mailbox(id).await
    }

    /// Removes mailbox `id` (admins), audited: the desk stops fetching from it.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`], [`Error::Forbidden`] for non-admins, [`Error::Unsupported`]
    /// when the store keeps no mailboxes.
    pub async fn remove_mailbox(&self, id: MailboxId) -> Result<()> {
        let before = self.mailbox(id).await?;
        let change = self.mailbox_change(id, Some(audited(id, &before.settings, false)?), None);
        if self
            .desk
            .mailbox_store()?
            .delete_mailbox(id, &change)
            .await?
        {
            Ok(())
        } else {
            Err(Error::not_found(Entity::Mailbox, id))
        }
    }
}
