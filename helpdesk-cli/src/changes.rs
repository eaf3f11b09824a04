//! `changes [--after N] [--limit N] [--wait S]`: the change feed as the person `--as` names
//! may see it (issue 23): the records after a position and where to read on; with `--wait`,
//! waits up to that many seconds for the first.

use std::time::Duration;

use helpdesk::feed::FeedPosition;
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

/// `changes …`.
pub(crate) async fn changes(
    ctx: &Ctx,
    after: u64,
    limit: u32,
    wait: u64,
    out: &mut Out<'_>,
) -> CliResult {
    let after = FeedPosition::new(after);
    let mut page = ctx.acting.changes_after(after, limit).await?;
    if page.changes.is_empty() && wait > 0 {
        page = ctx
            .acting
            .wait_for_changes(page.next, Duration::from_secs(wait))
            .await?;
        page.changes.truncate(limit as usize);
        if let Some(last) = page.changes.last() {
            page.next = last.position;
        }
    }
    let mut text: String = page
        .changes
        .iter()
        .map(|e| {
            let about = e.change.ticket().map(|t| t.to_string()).unwrap_or_default();
            format!(
                "{}  {}  {}  {about}\n",
                e.position,
                e.at.format("%Y-%m-%d %H:%M:%S"),
                e.change.kind()
            )
        })
        .collect();
    text.push_str(&format!("next {}\n", page.next));
    out.value(&json!(page), &text)
}
