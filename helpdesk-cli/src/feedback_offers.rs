//! `feedback-offers TICKET` (issue 21): what the person `--as` names may say about a ticket
//! now besides messages: the priorities they may ask for, and whether they may rate it; the
//! API's `GET /api/v1/tickets/{ticket}/feedback-offers`, as lines or `--json`.

use helpdesk::domain::{Priority, TicketKey};
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

/// `feedback-offers TICKET`.
pub(crate) async fn feedback_offers(ctx: &Ctx, ticket: &str, out: &mut Out<'_>) -> CliResult {
    let ticket = ctx.acting.ticket(TicketKey::parse(ticket)?).await?;
    let priorities = ctx.acting.requestable_priorities(ticket.id).await?;
    let may_rate = ctx.acting.may_rate(ticket.id).await?;
    let words: Vec<&str> = priorities.iter().map(|p| Priority::as_str(*p)).collect();
    let human = format!(
        "requestable_priorities  {}\nmay_rate  {}\n",
        if words.is_empty() {
            "-".to_owned()
        } else {
            words.join(",")
        },
        if may_rate { "yes" } else { "no" }
    );
    out.value(
        &json!({ "requestable_priorities": priorities, "may_rate": may_rate }),
        &human,
    )
}
