//! `customer erase` and `customer erasures`: erasing or anonymising a customer, and the audit
//! trail of erasures (issue 22; admins).

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
