//! `run-due`: what the desk does on its own, run once: the due timers (SLA warnings and
//! breaches, reminders, auto-close, unanswered chats), then the sweep of attachment bytes no
//! message refers to.
//!
//! The sweep keeps blobs written within [`BLOB_SWEEP_GRACE`] (a day) of the run's instant:
//! an upload writes its bytes before the commit that refers to them, so a young unreferenced
//! blob may be one in flight.

use chrono::{DateTime, Utc};
use helpdesk::service::BLOB_SWEEP_GRACE;
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

/// Blobs the sweep looks at per run.
const BLOB_SWEEP_LIMIT: u32 = 1000;

/// Runs the due timers and the blob sweep as of `at` (default: now).
pub(crate) async fn run_due(ctx: &Ctx, at: Option<DateTime<Utc>>, out: &mut Out<'_>) -> CliResult {
    let at = at.unwrap_or_else(|| ctx.now());
    let report = ctx.desk.run_due(at).await?;
    let blobs_removed = ctx
        .desk
        .sweep_blobs(at, BLOB_SWEEP_GRACE, BLOB_SWEEP_LIMIT)
        .await?;
    out.value(
        &json!({
            "tickets": report.tickets,
            "events": report.events,
            "skipped": report.skipped,
            "chats_handed_over": report.chats_handed_over,
            "retained": report.retained,
            "feed_pruned": report.feed_pruned,
            "blobs_removed": blobs_removed,
            "scheduled_rule_runs": report.scheduled.runs,
            "scheduled_rule_tickets": report.scheduled.tickets,
        }),
        &format!(
            "{} events on {} tickets ({} skipped); {blobs_removed} unreferenced attachments removed\n{}",
            report.events,
            report.tickets,
            report.skipped,
            scheduled_line(&report.scheduled)
        ),
    )
}

/// What the scheduled rules did, as a line (empty when none ran).
fn scheduled_line(report: &helpdesk::service::ScheduledReport) -> String {
    if report.runs == 0 {
        return String::new();
    }
    format!(
        "{} scheduled rule runs changed {} tickets\n",
        report.runs, report.tickets
    )
}
