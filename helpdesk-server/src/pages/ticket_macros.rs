//! Macros on the agent's ticket page (issue 22): a choice of the desk's macros and a button
//! that applies one to the ticket (`POST /tickets/{ticket}/macro`), all its actions in one
//! commit. A refused macro is shown on its own page with the choice kept and the desk's
//! reason, and a way back to the ticket.

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use helpdesk::Error;
use helpdesk::automation::Macro;
use helpdesk::domain::{MacroId, Ticket, TicketKey};
use helpdesk::service::{Acting, MacroOutcome};
use maud::{Markup, html};

use super::layout::{csrf_input, layout, t};
use super::{PageResult, html_response, see_other};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The route of the form.
pub fn routes() -> Router<AppState> {
    Router::new().route("/tickets/{ticket}/macro", post(apply))
}

/// The macros the agent may apply (none where the store keeps no automation).
pub async fn offered(acting: &Acting) -> Result<Vec<Macro>, ApiError> {
    match acting.macros().await {
        Ok(list) => Ok(list),
        Err(Error::Unsupported { .. }) => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// The macro form of a ticket page, `chosen` preselected and `error` inline; nothing when
/// there is no macro.
pub fn section(
    user: &PageUser,
    ticket: &Ticket,
    macros: &[Macro],
    chosen: Option<MacroId>,
    error: Option<&str>,
) -> Markup {
    let lang = user.language;
    html! {
        @if !macros.is_empty() {
            section #macros {
                h2 { (t(lang, "automation_apply_macro")) }
                @if let Some(message) = error {
                    p.error role="alert" { (t(lang, "admin_refused")) " " (message) }
                }
                form method="post" action=(format!("/tickets/{}/macro", ticket.id)) {
                    (csrf_input(user))
                    label { (t(lang, "automation_macro")) " "
                        select name="macro" required {
                            @for m in macros {
                                option value=(m.id) selected[chosen == Some(m.id)] { (m.name.as_str()) }
                            }
                        }
                    }
                    " " button { (t(lang, "automation_apply")) }
                }
            }
        }
    }
}

/// `POST /tickets/{ticket}/macro`: back to the ticket, or the refusal.
async fn apply(Path(key): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let ticket = user.acting.ticket(parse::<TicketKey>(&key)?).await?;
    let chosen: MacroId = parse(form.get("macro").map_or("", |v| v.trim()))?;
    let outcome = (user.acting.apply_macro(chosen, &[ticket.id]).await?)
        .into_iter()
        .next()
        .map(|(_, o)| o);
    match outcome {
        Some(MacroOutcome::Refused(e)) => {
            let e = ApiError::from(e);
            if e.status.is_server_error() {
                return Err(e.into());
            }
            let lang = user.language;
            let macros = offered(&user.acting).await?;
            let body = html! {
                h1 { (t(lang, "automation_apply_macro")) }
                p { a href=(format!("/tickets/{}", ticket.id)) { "#" (ticket.number.short()) " " bdi { (ticket.subject) } } }
                (section(&user, &ticket, &macros, Some(chosen), Some(&e.message)))
            };
            let page = layout(t(lang, "automation_apply_macro"), Some(&user), body);
            Ok(html_response(e.status, page))
        }
        _ => Ok(see_other(&format!("/tickets/{}#macros", ticket.id))),
    }
}
