//! One round over a mailbox: every message not yet taken is fetched, taken in by the desk,
//! and then flagged, moved or deleted.
//!
//! Each message is taken in exactly once, across restarts and across several processes
//! reading one mailbox: a message is marked only after the desk stored it, and one the
//! desk already has (a crash between storing and marking, or another process fetching the
//! same message at the same time) is recognised by its Message-ID and sender (the store's
//! unique mail references) as a duplicate and then marked.

use async_imap::Session;
use futures_util::TryStreamExt;
use helpdesk_core::Error;
use helpdesk_core::Helpdesk;
use helpdesk_core::service::Ingested;

use super::connection::{Connection, log_in};
use super::{AfterTaken, ImapError, ImapMailbox};

/// The keyword a taken message gets (with `\Seen`).
pub const TAKEN: &str = "$HelpdeskTaken";
/// The keyword of a message the desk refused as invalid (not mail: no header, no sender):
/// left in the mailbox for a person to look at, and not fetched again.
pub const REFUSED: &str = "$HelpdeskRefused";

/// What a round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FetchReport {
    /// New tickets.
    pub opened: usize,
    /// Added to a ticket.
    pub appended: usize,
    /// Already taken in before (now marked).
    pub duplicates: usize,
    /// Bounces noted on their ticket.
    pub bounces_noted: usize,
    /// Automatic mail and bounces of nothing the desk sent: nothing stored.
    pub ignored: usize,
    /// Refused by the desk's rules (unknown sender, disabled access, follow-ups).
    pub rejected: usize,
    /// Kept in the desk's quarantine (mail that could not be taken in, for an admin to
    /// reprocess): stored, so marked like the rest.
    pub quarantined: usize,
    /// Refused as invalid (not mail): flagged `$HelpdeskRefused` and left in the mailbox;
    /// each with its UID and why.
    pub refused: Vec<(u32, String)>,
}

impl FetchReport {
    /// Messages the round handled.
    pub fn total(&self) -> usize {
        self.opened
            + self.appended
            + self.duplicates
            + self.bounces_noted
            + self.ignored
            + self.rejected
            + self.quarantined
            + self.refused.len()
    }

    fn count(&mut self, ingested: &Ingested) {
        match ingested {
            Ingested::Opened(_) => self.opened += 1,
            Ingested::Appended(_) => self.appended += 1,
            Ingested::Duplicate(_) => self.duplicates += 1,
            Ingested::BounceNoted(_) => self.bounces_noted += 1,
            Ingested::Rejected(_) => self.rejected += 1,
            Ingested::Quarantined(_) => self.quarantined += 1,
            _ => self.ignored += 1,
        }
    }
}

impl std::fmt::Display for FetchReport {
    /// `opened 1, appended 0, duplicates 0, bounces noted 0, ignored 2, rejected 0, quarantined 0, refused 0`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "opened {}, appended {}, duplicates {}, bounces noted {}, ignored {}, rejected {}, quarantined {}, refused {}",
            self.opened,
            self.appended,
            self.duplicates,
            self.bounces_noted,
            self.ignored,
            self.rejected,
            self.quarantined,
            self.refused.len()
        )
    }
}

/// What an IMAP server offers that a round uses.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Abilities {
    /// IDLE (RFC 2177): it tells a waiting client of new mail.
    pub(crate) idle: bool,
    /// MOVE (RFC 6851).
    pub(crate) can_move: bool,
    /// UIDPLUS (RFC 4315): expunging by UID.
    pub(crate) can_expunge_uids: bool,
}

/// Takes mail from one IMAP mailbox into one desk.
#[derive(Debug, Clone)]
pub struct ImapFetcher {
    desk: Helpdesk,
    mailbox: ImapMailbox,
}

impl ImapFetcher {
    /// A fetcher for `mailbox` into `desk`, which needs
    /// [`MailSettings`](helpdesk_core::service::MailSettings) (given in code, else stored). New tickets go to the
    /// department whose own address the mail is sent to, else to the mailbox's department
    /// (a name, compared without case, or an id), else to the inbound department.
    pub async fn new(desk: &Helpdesk, mailbox: ImapMailbox) -> Result<Self, ImapError> {
        let in_force = match desk.mail_settings() {
            Some(settings) => Some(settings.clone()),
            // Without settings in code, the stored ones (when they name the desk's address
            // and inbound department).
            None => desk
                .mail_in_force()
                .await
                .map_err(|source| ImapError::Desk {
                    mailbox: mailbox.display_url(),
                    uid: 0,
                    source,
                })?
                .map(|s| (*s).clone()),
        };
        let mut settings = in_force.ok_or_else(|| {
            ImapError::Config("the desk has no mail settings (a From address)".to_owned())
        })?;
        if let Some(wanted) = &mailbox.department {
            let departments =
                desk.as_system()
                    .departments()
                    .await
                    .map_err(|source| ImapError::Desk {
                        mailbox: mailbox.display_url(),
                        uid: 0,
                        source,
                    })?;
            let found = departments.iter().find(|d| {
                d.name.as_str().eq_ignore_ascii_case(wanted.trim())
                    || d.id.to_string() == wanted.trim()
            });
            let department = found
                .ok_or_else(|| ImapError::Config(format!("no department {wanted:?}")))?
                .id;
            settings = settings.with_mailbox_department(department);
        }
        Ok(Self {
            desk: desk.clone().with_mail(settings),
            mailbox,
        })
    }

    /// The mailbox.
    pub fn mailbox(&self) -> &ImapMailbox {
        &self.mailbox
    }

    /// Connects, takes in every message not yet taken, and logs out.
    pub async fn fetch_once(&self) -> Result<FetchReport, ImapError> {
        let (mut session, abilities) = self.connect().await?;
        let report = self.round(&mut session, abilities).await;
        // A failed logout after a round changes nothing that was done.
        let _ = session.logout().await;
        report
    }

    /// A logged-in session with the folder selected, and what the server can do (read once
    /// a session).
    pub(crate) async fn connect(&self) -> Result<(Session<Connection>, Abilities), ImapError> {
        let mut session = log_in(&self.mailbox).await?;
        let capabilities = session
            .capabilities()
            .await
            .map_err(|e| self.failed("reading its capabilities", e))?;
        let abilities = Abilities {
            idle: capabilities.has_str("IDLE"),
            can_move: capabilities.has_str("MOVE"),
            can_expunge_uids: capabilities.has_str("UIDPLUS"),
        };
        session
            .select(&self.mailbox.folder)
            .await
            .map_err(|e| self.failed(format!("selecting {}", self.mailbox.folder), e))?;
        Ok((session, abilities))
    }

    /// One round on a session with the folder selected.
    pub(crate) async fn round(
        &self,
        session: &mut Session<Connection>,
        abilities: Abilities,
    ) -> Result<FetchReport, ImapError> {
        while session.unsolicited_responses.try_recv().is_ok() {}
        let Abilities {
            can_move,
            can_expunge_uids,
            ..
        } = abilities;
        let query = format!("UNDELETED NOT KEYWORD {TAKEN} NOT KEYWORD {REFUSED}");
        let mut uids: Vec<u32> = session
            .uid_search(&query)
            .await
            .map_err(|e| self.failed("searching for new messages", e))?
            .into_iter()
            .collect();
        uids.sort_unstable();
        let mut report = FetchReport::default();
        let mut folder_made = false;
        for uid in uids {
            let Some(raw) = self.fetch(session, uid).await? else {
                // Expunged by someone else since the search.
                continue;
            };
            match self.desk.ingest_email(&raw).await {
                Ok(ingested) => {
                    report.count(&ingested);
                    if let AfterTaken::MoveTo(folder) = &self.mailbox.after
                        && !folder_made
                    {
                        // Made once; a folder that exists already answers NO, which is fine.
                        let _ = session.create(folder).await;
                        folder_made = true;
                    }
                    self.mark_taken(session, uid, can_move, can_expunge_uids)
                        .await?;
                }
                Err(e @ (Error::Validation(_) | Error::LimitExceeded { .. })) => {
                    report.refused.push((uid, e.to_string()));
                    self.flag(session, uid, &format!("+FLAGS ({REFUSED})"))
                        .await?;
                }
                // The store is unavailable, or the desk cannot take mail: the message
                // stays for the next round.
                Err(source) => {
                    return Err(ImapError::Desk {
                        mailbox: self.mailbox.display_url(),
                        uid,
                        source,
                    });
                }
            }
        }
        Ok(report)
    }

    /// The bytes of message `uid`, without marking it `\Seen`.
    async fn fetch(
        &self,
        session: &mut Session<Connection>,
        uid: u32,
    ) -> Result<Option<Vec<u8>>, ImapError> {
        let doing = || format!("fetching message {uid}");
        let fetches: Vec<_> = session
            .uid_fetch(uid.to_string(), "(UID BODY.PEEK[])")
            .await
            .map_err(|e| self.failed(doing(), e))?
            .try_collect()
            .await
            .map_err(|e| self.failed(doing(), e))?;
        Ok(fetches
            .iter()
            .find(|f| f.uid == Some(uid))
            .and_then(|f| f.body())
            .map(<[u8]>::to_vec))
    }

    /// Does the mailbox's [`AfterTaken`] with message `uid`.
    async fn mark_taken(
        &self,
        session: &mut Session<Connection>,
        uid: u32,
        can_move: bool,
        can_expunge_uids: bool,
    ) -> Result<(), ImapError> {
        match &self.mailbox.after {
            AfterTaken::Flag => {
                self.flag(session, uid, &format!("+FLAGS (\\Seen {TAKEN})"))
                    .await
            }
            AfterTaken::MoveTo(folder) if can_move => session
                .uid_mv(uid.to_string(), folder)
                .await
                .map_err(|e| self.failed(format!("moving message {uid} to {folder}"), e)),
            AfterTaken::MoveTo(folder) => {
                session
                    .uid_copy(uid.to_string(), folder)
                    .await
                    .map_err(|e| self.failed(format!("copying message {uid} to {folder}"), e))?;
                self.delete(session, uid, can_expunge_uids).await
            }
            AfterTaken::Delete => self.delete(session, uid, can_expunge_uids).await,
        }
    }

    /// Flags message `uid` deleted (and taken, so that it is skipped should the expunge
    /// fail) and expunges it.
    async fn delete(
        &self,
        session: &mut Session<Connection>,
        uid: u32,
        can_expunge_uids: bool,
    ) -> Result<(), ImapError> {
        self.flag(session, uid, &format!("+FLAGS (\\Seen \\Deleted {TAKEN})"))
            .await?;
        let doing = format!("expunging message {uid}");
        if can_expunge_uids {
            let answers = session.uid_expunge(uid.to_string()).await;
            self.drain(&doing, answers).await
        } else {
            let answers = session.expunge().await;
            self.drain(&doing, answers).await
        }
    }

    async fn flag(
        &self,
        session: &mut Session<Connection>,
        uid: u32,
        flags: &str,
    ) -> Result<(), ImapError> {
        let answers = session.uid_store(uid.to_string(), flags).await;
        self.drain(&format!("flagging message {uid}"), answers)
            .await
    }

    /// Reads a command's answers to its end (what they say is not needed).
    async fn drain<T>(
        &self,
        doing: &str,
        answers: async_imap::error::Result<
            impl futures_util::Stream<Item = async_imap::error::Result<T>>,
        >,
    ) -> Result<(), ImapError> {
        let _: Vec<T> = answers
            .map_err(|e| self.failed(doing, e))?
            .try_collect()
            .await
            .map_err(|e| self.failed(doing, e))?;
        Ok(())
    }

    pub(crate) fn failed(
        &self,
        doing: impl Into<String>,
        source: async_imap::error::Error,
    ) -> ImapError {
        ImapError::Protocol {
            server: format!("{}:{}", self.mailbox.host, self.mailbox.port),
            doing: doing.into(),
            source,
        }
    }
}
