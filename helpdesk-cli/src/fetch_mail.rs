//! `fetch-mail`: the mail waiting in IMAP mailboxes, taken in once or as it arrives: the
//! mailboxes given as URLs (`--imap`, `HELPDESK_IMAP`), else those stored for departments
//! (every enabled one, or `--mailbox ID`), each round of a stored one recorded as its last.

use std::time::Duration;

use helpdesk::Helpdesk;
use helpdesk::domain::MailboxId;
use helpdesk::imap::{
    FetchReport, ImapError, ImapFetcher, ImapMailbox, WatchEvent, fetch_stored, watch_stored,
};
use helpdesk::service::MailboxLogin;
use serde_json::{Value, json};

use crate::CliResult;
use crate::args::FetchMailArgs;
use crate::context::Ctx;
use crate::exit::Failure;
use crate::mail::desk_with_mail;
use crate::output::Out;

/// The environment variable with the mailboxes' URLs (separated by spaces) when no
/// `--imap` is given.
pub(crate) const IMAP_VAR: &str = "HELPDESK_IMAP";

/// `fetch-mail`: one round over each mailbox (a line or a JSON object each), or with
/// `--watch` rounds until the process is stopped.
pub(crate) async fn fetch_mail(ctx: &Ctx, args: FetchMailArgs, out: &mut Out<'_>) -> CliResult {
    let mut urls = args.mailboxes.clone();
    if urls.is_empty() {
        urls = std::env::var(IMAP_VAR)
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
    }
    let desk = desk_with_mail(ctx, &args.mail).await?;
    if urls.is_empty() {
        return fetch_stored_mailboxes(&desk, &args, out).await;
    }
    let mut fetchers = Vec::new();
    for url in &urls {
        let mailbox: ImapMailbox = url.parse()?;
        fetchers.push(ImapFetcher::new(&desk, mailbox).await?);
    }
    if !args.watch {
        let mut reports = Vec::new();
        let mut human = String::new();
        for fetcher in &fetchers {
            let report = fetcher.fetch_once().await?;
            human.push_str(&line(fetcher.mailbox(), &report));
            reports.push(report_json(&fetcher.mailbox().display_url(), &report));
        }
        return out.value(&Value::Array(reports), &human);
    }
    let (tx, mut rounds) = tokio::sync::mpsc::unbounded_channel();
    let poll = Duration::from_secs(args.poll.max(1));
    for fetcher in fetchers {
        let tx = tx.clone();
        tokio::spawn(async move {
            let mailbox = fetcher.mailbox().clone();
            fetcher
                .watch(poll, move |round: &Result<FetchReport, ImapError>| {
                    let _ = tx.send((mailbox.clone(), round_text(round)));
                })
                .await;
        });
    }
    drop(tx);
    while let Some((mailbox, round)) = rounds.recv().await {
        match round {
            Ok(report) if report.total() == 0 => {}
            Ok(report) => out.value(
                &report_json(&mailbox.display_url(), &report),
                &line(&mailbox, &report),
            )?,
            Err(e) => out.value(
                &json!({"mailbox": mailbox.display_url(), "error": e}),
                &format!("{}: {e}\n", mailbox.display_url()),
            )?,
        }
    }
    Ok(())
}

/// `fetch-mail` without URLs: the mailboxes stored for departments, every enabled one or
/// `--mailbox ID`; one round each (all are tried; the first failure is the exit code), or
/// with `--watch` rounds until the process is stopped, the store read again every minute.
async fn fetch_stored_mailboxes(
    desk: &Helpdesk,
    args: &FetchMailArgs,
    out: &mut Out<'_>,
) -> CliResult {
    let logins: Vec<MailboxLogin> = match &args.stored {
        Some(id) => {
            let id: MailboxId = id.parse().map_err(helpdesk::Error::from)?;
            vec![desk.mailbox_login(id).await?]
        }
        None => desk.mailboxes_to_fetch().await?,
    };
    if logins.is_empty() && args.stored.is_none() {
        return Err(Failure::usage(format!(
            "no mailbox: give --imap URL, set {IMAP_VAR}, or store one (`mailbox add`)"
        ))
        .into());
    }
    if args.watch {
        watch_stored(desk, REREAD, |event| {
            let printed = match event {
                WatchEvent::Round(m, Ok(report)) if report.total() > 0 => {
                    let mut value = report_json(&m_name(m), report);
                    value["id"] = json!(m.id);
                    Some((value, line_named(&m_name(m), report)))
                }
                WatchEvent::Round(m, Err(e)) => Some((
                    json!({"id": m.id, "mailbox": m_name(m), "error": e}),
                    format!("{}: {e}\n", m_name(m)),
                )),
                WatchEvent::StoreFailed(e) => Some((json!({"error": e}), format!("{e}\n"))),
                _ => None,
            };
            if let Some((value, text)) = printed {
                // Output that cannot be written (a closed pipe) stops nothing here.
                let _ = out.value(&value, &text);
            }
        })
        .await;
        return Ok(());
    }
    let mut reports = Vec::new();
    let mut human = String::new();
    let mut first_failure: Option<ImapError> = None;
    for login in &logins {
        let name = m_name(&login.mailbox);
        match fetch_stored(desk, login).await {
            Ok(report) => {
                human.push_str(&line_named(&name, &report));
                let mut value = report_json(&name, &report);
                value["id"] = json!(login.mailbox.id);
                reports.push(value);
            }
            Err(e) => {
                let why = helpdesk::error::Causes(&e).to_string();
                human.push_str(&format!("{name}: {why}\n"));
                reports.push(json!({"id": login.mailbox.id, "mailbox": name, "error": why}));
                first_failure.get_or_insert(e);
            }
        }
    }
    out.value(&Value::Array(reports), &human)?;
    match first_failure {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// How often `fetch-mail --watch` reads the stored mailboxes again.
const REREAD: Duration = Duration::from_secs(60);

/// A stored mailbox as printed: its login, server and folder (never its password).
fn m_name(m: &helpdesk::store::Mailbox) -> String {
    let s = &m.settings;
    format!("{}@{}:{}/{}", s.user, s.host, s.port, s.folder)
}

/// A round as what is printed of it: the report, or the error with its causes.
fn round_text(round: &Result<FetchReport, ImapError>) -> Result<FetchReport, String> {
    match round {
        Ok(report) => Ok(report.clone()),
        Err(e) => Err(helpdesk::error::Causes(e).to_string()),
    }
}

fn line(mailbox: &ImapMailbox, r: &FetchReport) -> String {
    line_named(&mailbox.display_url(), r)
}

fn line_named(name: &str, r: &FetchReport) -> String {
    let mut text = format!("{name}: {r}\n");
    for (uid, why) in &r.refused {
        text.push_str(&format!("  message {uid} refused: {why}\n"));
    }
    text
}

fn report_json(name: &str, r: &FetchReport) -> Value {
    json!({
        "mailbox": name,
        "opened": r.opened,
        "appended": r.appended,
        "duplicates": r.duplicates,
        "bounces_noted": r.bounces_noted,
        "ignored": r.ignored,
        "rejected": r.rejected,
        "quarantined": r.quarantined,
        "refused": r.refused.iter().map(|(uid, why)| json!({"uid": uid, "reason": why})).collect::<Vec<_>>(),
    })
}
