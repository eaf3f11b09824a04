//! `customer domains` and `customer organisation-tickets`: an organisation's mail domains, and
//! whether a member sees the organisation's tickets (issue 20).

use helpdesk::domain::OrganisationDomain;
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::customers::customer_id;
use crate::output::Out;

/// Shows the domains of `organisation`, after replacing them with `set` when given.
pub(crate) async fn domains(
    ctx: &Ctx,
    organisation: &str,
    set: Option<Vec<String>>,
    out: &mut Out<'_>,
) -> CliResult {
    let id = customer_id(ctx, organisation).await?;
    let domains = match set {
        Some(typed) => {
            let parsed = typed
                .iter()
                .map(|d| d.trim())
                .filter(|d| !d.is_empty())
                .map(OrganisationDomain::parse)
                .collect::<Result<Vec<_>, _>>()?;
            ctx.acting.set_organisation_domains(id, parsed).await?
        }
        None => ctx.acting.organisation_domains(id).await?,
    };
    let human: String = domains.iter().map(|d| format!("{d}\n")).collect();
    out.value(&json!({ "domains": domains }), &human)
}

/// Shows whether `customer` sees their organisation's tickets, after setting it when `set`
/// is `on` or `off`.
pub(crate) async fn organisation_tickets(
    ctx: &Ctx,
    customer: &str,
    set: Option<&str>,
    out: &mut Out<'_>,
) -> CliResult {
    let id = customer_id(ctx, customer).await?;
    let sees = match set {
        Some(on) => {
            let sees = on == "on";
            ctx.acting.set_sees_organisation_tickets(id, sees).await?;
            sees
        }
        None => ctx.acting.sees_organisation_tickets(id).await?,
    };
    let human = if sees {
        "sees the organisation's tickets\n"
    } else {
        "sees only their own tickets\n"
    };
    out.value(&json!({ "sees": sees }), human)
}
