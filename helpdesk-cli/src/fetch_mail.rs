//! `fetch-mail`: the mail waiting in IMAP mailboxes, taken in once or as it arrives.

use std::time::Duration;

use helpdesk::imap::{FetchReport, ImapError, ImapFetcher, ImapMailbox};
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
    if urls.is_empty() {
        return Err(
            Failure::usage(format!("no mailbox: give --imap URL or set {IMAP_VAR}")).into(),
        );
    }
    let desk = desk_with_mail(ctx, &args.mail).await?;
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
            reports.push(report_json(fetcher.mailbox(), &report));
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
            Ok(report) => out.value(&report_json(&mailbox, &report), &line(&mailbox, &report))?,
            Err(e) => out.value(
                &json!({"mailbox": mailbox.display_url(), "error": e}),
                &format!("{}: {e}\n", mailbox.display_url()),
            )?,
        }
    }
    Ok(())
}

/// A round as what is printed of it: the report, or the error with its causes.
fn round_text(round: &Result<FetchReport, ImapError>) -> Result<FetchReport, String> {
    match round {
        Ok(report) => Ok(report.clone()),
        Err(e) => Err(helpdesk::error::Causes(e).to_string()),
    }
}

fn line(mailbox: &ImapMailbox, r: &FetchReport) -> String {
    let mut text = format!("{}: {r}\n", mailbox.display_url());
    for (uid, why) in &r.refused {
        text.push_str(&format!("  message {uid} refused: {why}\n"));
    }
    text
}

fn report_json(mailbox: &ImapMailbox, r: &FetchReport) -> Value {
    json!({
        "mailbox": mailbox.display_url(),
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
