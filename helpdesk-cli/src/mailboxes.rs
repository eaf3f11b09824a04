//! `mailbox list|show|add|edit|remove`: the IMAP mailboxes stored for departments (admins).
//! The password is read from the first line of stdin (never an argument: the process list
//! would show it) and never printed; `edit` keeps the stored one unless `--password` is
//! given. Each change is audited (`audit`); `fetch-mail` without `--imap` fetches the
//! enabled ones, and the server picks changes up within a minute.

use std::io::{BufRead, BufReader, Read};

use clap::{Args, Subcommand};
use helpdesk::domain::{DepartmentId, MailboxId};
use helpdesk::service::{DEFAULT_POLL_SECONDS, MailboxPassword};
use helpdesk::store::{Mailbox, MailboxAfter, MailboxSecurity, MailboxSettings};
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::exit::Failure;
use crate::output::Out;

#[derive(Debug, Subcommand)]
pub(crate) enum MailboxCmd {
    /// List the stored mailboxes with their last round (never a password).
    List,
    /// Show one stored mailbox.
    Show {
        /// The mailbox's id.
        id: String,
    },
    /// Store a mailbox for a department; its password is read from the first line of stdin.
    Add(MailboxArgs),
    /// Replace a stored mailbox's settings (those not given take their defaults); the
    /// stored password is kept unless `--password` is given.
    Edit {
        /// The mailbox's id.
        id: String,
        #[command(flatten)]
        args: MailboxArgs,
        /// Read a new password from the first line of stdin.
        #[arg(long)]
        password: bool,
    },
    /// Remove a stored mailbox: the desk stops fetching from it.
    Remove {
        /// The mailbox's id.
        id: String,
    },
}

/// A mailbox's settings as typed.
#[derive(Debug, Args)]
pub(crate) struct MailboxArgs {
    /// The department (by name) new tickets from the mailbox go to.
    #[arg(long)]
    department: String,
    /// The IMAP server's host name or address.
    #[arg(long)]
    host: String,
    /// Its port (default 993 with TLS, 143 without).
    #[arg(long)]
    port: Option<u16>,
    /// `tls` (default) or `plain`.
    #[arg(long, default_value = "tls")]
    security: MailboxSecurity,
    /// The login's user name.
    #[arg(long)]
    user: String,
    /// The folder read.
    #[arg(long, default_value = "INBOX")]
    folder: String,
    /// Once a message is stored: `flag` it, `move` it (to `--move-to`) or `delete` it.
    #[arg(long, default_value = "flag")]
    after: MailboxAfter,
    /// The folder messages are moved to, with `--after move`.
    #[arg(long)]
    move_to: Option<String>,
    /// Store it disabled (not fetched from).
    #[arg(long)]
    disabled: bool,
    /// Seconds between rounds without IDLE, and the longest IDLE wait (10–1500).
    #[arg(long, default_value_t = DEFAULT_POLL_SECONDS)]
    poll_seconds: u32,
}

impl MailboxArgs {
    async fn settings(self, ctx: &Ctx) -> CliResult<MailboxSettings> {
        let department: DepartmentId = ctx.department_id(Some(&self.department)).await?;
        Ok(MailboxSettings {
            department,
            host: self.host,
            port: self.port.unwrap_or(self.security.default_port()),
            security: self.security,
            user: self.user,
            folder: self.folder,
            after: self.after,
            move_to: self.move_to,
            enabled: !self.disabled,
            poll_seconds: self.poll_seconds,
        })
    }
}

/// A mailbox id as typed.
fn id_of(raw: &str) -> CliResult<MailboxId> {
    Ok(raw.parse::<MailboxId>().map_err(helpdesk::Error::from)?)
}

/// The mailbox password on the first line of `stdin`.
fn password_from(stdin: &mut dyn Read) -> CliResult<MailboxPassword> {
    let mut line = String::new();
    BufReader::new(stdin.take(1026)).read_line(&mut line)?;
    let typed = line.trim_end_matches(['\r', '\n']);
    if typed.is_empty() {
        return Err(Failure::invalid("password: give it on the first line of stdin").into());
    }
    Ok(MailboxPassword::parse(typed)?)
}

/// `mailbox …`.
pub(crate) async fn mailbox(
    ctx: &Ctx,
    cmd: MailboxCmd,
    stdin: &mut dyn Read,
    out: &mut Out<'_>,
) -> CliResult {
    let done = match cmd {
        MailboxCmd::List => {
            let all = ctx.acting.mailboxes().await?;
            return show(ctx, &all, out).await;
        }
        MailboxCmd::Show { id } => ctx.acting.mailbox(id_of(&id)?).await?,
        MailboxCmd::Add(args) => {
            let settings = args.settings(ctx).await?;
            let password = password_from(stdin)?;
            ctx.acting.add_mailbox(settings, password).await?
        }
        MailboxCmd::Edit { id, args, password } => {
            let id = id_of(&id)?;
            let settings = args.settings(ctx).await?;
            let password = if password {
                Some(password_from(stdin)?)
            } else {
                None
            };
            ctx.acting.edit_mailbox(id, settings, password).await?
        }
        MailboxCmd::Remove { id } => {
            let id = id_of(&id)?;
            ctx.acting.remove_mailbox(id).await?;
            return out.value(&json!({"removed": id}), &format!("removed {id}\n"));
        }
    };
    let text = lines(ctx, std::slice::from_ref(&done)).await?;
    out.value(&json!(done), &text)
}

/// A line per mailbox: id, department, login, server, folder, after, state, last round.
async fn lines(ctx: &Ctx, mailboxes: &[Mailbox]) -> CliResult<String> {
    let departments = ctx.desk.as_system().departments().await?;
    let mut text = String::new();
    for m in mailboxes {
        let s = &m.settings;
        let department = departments
            .iter()
            .find(|d| d.id == s.department)
            .map_or_else(|| s.department.to_string(), |d| d.name.as_str().to_owned());
        let after = match &s.move_to {
            Some(to) => format!("{} {to}", s.after),
            None => s.after.to_string(),
        };
        let round = match &m.last_round {
            None => "never fetched".to_owned(),
            Some(r) => match &r.error {
                None => format!("last round {} took {}", r.at.to_rfc3339(), r.taken),
                Some(e) => format!("last round {} failed: {e}", r.at.to_rfc3339()),
            },
        };
        text += &format!(
            "{}  {department}  {}@{}:{} ({})  {}  after {after}  every {}s  {}  {round}\n",
            m.id,
            s.user,
            s.host,
            s.port,
            s.security,
            s.folder,
            s.poll_seconds,
            if s.enabled { "enabled" } else { "disabled" },
        );
    }
    Ok(text)
}

/// The mailboxes as JSON, or a line each.
async fn show(ctx: &Ctx, mailboxes: &[Mailbox], out: &mut Out<'_>) -> CliResult {
    let text = lines(ctx, mailboxes).await?;
    out.value(&json!(mailboxes), &text)
}
