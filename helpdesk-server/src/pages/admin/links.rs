//! Sign-in links on the admin pages of agents and customers: a button that makes an
//! invitation (no login yet) or a password-reset link (a login), and the page that shows
//! the link, and whether it was e-mailed.

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use helpdesk::domain::{Actor, AgentId, CustomerId};
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageResult, when_text};
use super::form::{admin_page, admins_only, post_form};
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The link routes of the agents' and customers' admin pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/agents/{id}/link", post(agent_link))
        .route("/admin/customers/{id}/link", post(customer_link))
}

/// The section of a person's page: a hint and the button that makes their link (`action`),
/// an invitation without a login, else a reset link.
pub fn section(user: &PageUser, id: &str, action: &str, has_login: bool) -> Markup {
    let lang = user.language;
    html! {
        h3 { (t(lang, "admin_link_section")) }
        p.meta { (t(lang, "admin_link_hint")) }
        (post_form(user, id, action, html! {
            @if has_login {
                button { (t(lang, "admin_reset_link")) }
            } @else {
                button { (t(lang, "admin_invite")) }
            }
        }))
    }
}

/// Makes `actor`'s link and shows it; `back` is their page.
async fn make(user: &PageUser, actor: Actor, back: &str) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let has_login = user.acting.login_of(actor).await?.is_some();
    let link = if has_login {
        user.acting.reset_link(actor).await?
    } else {
        user.acting.invite(actor, None).await?
    };
    let shown = link
        .url
        .clone()
        .unwrap_or_else(|| format!("/setup-password?token={}", link.token));
    let body = html! {
        p {
            (t(lang, "admin_link_made")
                .replace("{login}", link.login.as_str())
                .replace("{until}", &when_text(link.expires_at)))
        }
        p { input.link type="text" readonly size="80" value=(shown); }
        @match &link.emailed_to {
            Some(to) => p.meta { (t(lang, "admin_link_emailed").replace("{to}", to.as_str())) },
            None => p.meta { (t(lang, "admin_link_not_emailed")) },
        }
        p { a href=(back) { (t(lang, "admin_link_back")) } }
    };
    admin_page(user, "admin_link_section", None, body)
}

async fn agent_link(Path(id): Path<String>, Posted { user, .. }: Posted) -> PageResult {
    let id: AgentId = parse(&id)?;
    make(&user, Actor::Agent(id), &format!("/admin/agents/{id}")).await
}

async fn customer_link(Path(id): Path<String>, Posted { user, .. }: Posted) -> PageResult {
    let id: CustomerId = parse(&id)?;
    make(&user, Actor::Customer(id), "/admin/customers").await
}
