//! `customer erase` and `customer erasures`: erasing or anonymising a customer, and the audit
//! trail of erasures (issue 22; admins).

use helpdesk::service::Retention;
use helpdesk::store::ErasureMode;
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::customers::customer_id;
use crate::output::Out;

/// Erases the customer `customer` with their tickets, or anonymises them when `anonymise`.
pub(crate) async fn erase(
    ctx: &Ctx,
    customer: &str,
    anonymise: bool,
    out: &mut Out<'_>,
) -> CliResult {
    let id = customer_id(ctx, customer).await?;
    let mode = if anonymise {
        ErasureMode::Anonymise
    } else {
        ErasureMode::Erase
    };
    let record = ctx.acting.erase_customer(id, mode).await?;
    let human = format!(
        "{} the customer and {} ticket(s)\n",
        match mode {
            ErasureMode::Erase => "erased",
            ErasureMode::Anonymise => "anonymised",
        },
        record.tickets
    );
    out.value(&json!(record), &human)
}

/// Lists the erasures done, newest first.
pub(crate) async fn erasures(ctx: &Ctx, limit: u32, out: &mut Out<'_>) -> CliResult {
    let records = ctx.acting.erasures(limit).await?;
    let human: String = records
        .iter()
        .map(|r| {
            format!(
                "{}\t{}\t{}\t{:?}\t{} ticket(s)\n",
                r.at.to_rfc3339(),
                r.mode,
                r.cause,
                r.actor,
                r.tickets
            )
        })
        .collect();
    out.value(&json!({ "items": records }), &human)
}

/// Shows the retention rule, after setting it (`closed_days` with `mode`) or turning it off
/// (`off`).
pub(crate) async fn retention(
    ctx: &Ctx,
    closed_days: Option<u32>,
    mode: Option<&str>,
    off: bool,
    out: &mut Out<'_>,
) -> CliResult {
    if off {
        ctx.acting.set_retention(None).await?;
    } else if let Some(closed_days) = closed_days {
        let mode = if mode == Some("erase") {
            ErasureMode::Erase
        } else {
            ErasureMode::Anonymise
        };
        ctx.acting
            .set_retention(Some(Retention { closed_days, mode }))
            .await?;
    }
    let rule = ctx.acting.retention_rule().await?;
    let human = match rule {
        Some(r) => format!("{} closed tickets after {} days\n", r.mode, r.closed_days),
        None => "off\n".to_owned(),
    };
    out.value(&json!({ "rule": rule }), &human)
}
