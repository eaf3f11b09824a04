//! `/admin/webhooks`: the webhook endpoints (URL, events, enabled or disabled with the
//! desk's reason, failures in a row), each with buttons to enable or disable it, send a test
//! ping or remove it, and a form to add one (the new secret is shown once, on the page the
//! form answers with); `/admin/webhooks/{id}`: an endpoint's deliveries with their last
//! responses.

use std::collections::HashMap;

use axum::Router;
use axum::extract::Path;
use axum::routing::{get, post};
use helpdesk::Error;
use helpdesk::domain::{Language, WebhookId};
use helpdesk::service::WebhookDraft;
use helpdesk::webhooks::{
    EVENT_KINDS, WebhookDeliveryState, WebhookEndpoint, WebhookEvents, WebhookSecret, WebhookUrl,
};
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageResult, see_other, when};
use super::form::{
    Kept, Refused, admin_page, admins_only, confirmed, delete_form, field, post_form, refused,
    text_field, tick_box, ticked,
};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The webhook routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/webhooks", get(webhooks).post(add))
        .route("/admin/webhooks/{id}", get(deliveries))
        .route("/admin/webhooks/{id}/toggle", post(toggle))
        .route("/admin/webhooks/{id}/ping", post(ping))
        .route("/admin/webhooks/{id}/delete", post(remove))
}

/// The add form's id.
const ADD: &str = "add-webhook";

fn delete_form_id(id: WebhookId) -> String {
    format!("delete-webhook-{id}")
}

/// The words of an event kind.
fn event_word(lang: Language, kind: &str) -> &'static str {
    match kind {
        "ticket_created" => t(lang, "webhook_event_ticket_created"),
        "ticket_changed" => t(lang, "webhook_event_ticket_changed"),
        "message_added" => t(lang, "webhook_event_message_added"),
        "notification_created" => t(lang, "webhook_event_notification_created"),
        "chat_changed" => t(lang, "webhook_event_chat_changed"),
        "availability_changed" => t(lang, "webhook_event_availability_changed"),
        _ => t(lang, "webhook_event_ping"),
    }
}

fn state_word(lang: Language, state: WebhookDeliveryState) -> &'static str {
    match state {
        WebhookDeliveryState::Pending => t(lang, "webhook_state_pending"),
        WebhookDeliveryState::Delivered => t(lang, "webhook_state_delivered"),
        WebhookDeliveryState::Failed => t(lang, "webhook_state_failed"),
    }
}

async fn webhooks(user: PageUser) -> PageResult {
    page(&user, None, None).await
}

fn endpoint_card(user: &PageUser, kept: Kept<'_>, e: &WebhookEndpoint) -> Markup {
    let lang = user.language;
    html! {
        section.card.webhook id=(format!("webhook-{}", e.id)) {
            h2 { a href=(format!("/admin/webhooks/{}", e.id)) { (e.url) } }
            @if !e.description.is_empty() { p { (e.description) } }
            p.meta {
                @for (i, kind) in e.events.as_slice().iter().enumerate() {
                    @if i > 0 { " · " }
                    (event_word(lang, kind))
                }
            }
            @if !e.enabled {
                p.error {
                    (t(lang, "webhook_disabled"))
                    @if let Some(why) = &e.disabled_reason { " " (why) }
                }
            }
            @if e.consecutive_failures > 0 {
                p.meta { (t(lang, "webhook_failures")) " " (e.consecutive_failures) }
            }
            (post_form(user, &format!("toggle-webhook-{}", e.id), &format!("/admin/webhooks/{}/toggle", e.id), html! {
                button { (if e.enabled { t(lang, "webhook_disable") } else { t(lang, "webhook_enable") }) }
            }))
            (post_form(user, &format!("ping-webhook-{}", e.id), &format!("/admin/webhooks/{}/ping", e.id), html! {
                button { (t(lang, "webhook_ping")) }
            }))
            (delete_form(user, kept, &delete_form_id(e.id), &format!("/admin/webhooks/{}/delete", e.id)))
        }
    }
}

/// The page, with `refused` shown inline, or a new endpoint's secret shown once.
async fn page(
    user: &PageUser,
    refused: Option<&Refused>,
    secret: Option<&WebhookSecret>,
) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let stored = match user.acting.webhooks().await {
        Ok(stored) => stored,
        Err(Error::Unsupported { .. }) => {
            let body = html! { p.meta { (t(lang, "webhook_unsupported")) } };
            return admin_page(user, "admin_webhooks", refused, body);
        }
        Err(e) => return Err(e.into()),
    };
    let body = html! {
        p.meta { (t(lang, "webhook_hint")) }
        @if let Some(secret) = secret {
            p.notice role="status" {
                (t(lang, "webhook_secret_once")) " " code.secret { (secret.expose()) }
            }
        }
        @if stored.is_empty() {
            p.meta { (t(lang, "admin_none_yet")) }
        }
        @for e in &stored {
            (endpoint_card(user, kept, e))
        }
        h2 { (t(lang, "webhook_add")) }
        (post_form(user, ADD, "/admin/webhooks", html! {
            (kept.error(ADD, lang))
            (text_field(t(lang, "webhook_url"), "url", &kept.value(ADD, "url", ""), true))
            (text_field(t(lang, "webhook_description"), "description",
                &kept.value(ADD, "description", ""), false))
            fieldset {
                legend { (t(lang, "webhook_events")) }
                @for kind in EVENT_KINDS {
                    (tick_box(event_word(lang, kind), &format!("event_{kind}"),
                        kept.ticked(ADD, &format!("event_{kind}"), false)))
                }
            }
            button { (t(lang, "admin_add")) }
        }))
    };
    admin_page(user, "admin_webhooks", refused, body)
}

/// The draft a posted add form describes.
fn draft_of(form: &HashMap<String, String>) -> Result<WebhookDraft, ApiError> {
    let events: Vec<&str> = (EVENT_KINDS.iter().copied())
        .filter(|kind| ticked(form, &format!("event_{kind}")))
        .collect();
    Ok(WebhookDraft {
        url: WebhookUrl::parse(field(form, "url"))?,
        description: field(form, "description").to_owned(),
        events: WebhookEvents::parse(&events)?,
        enabled: true,
    })
}

/// Registers an endpoint; the answer shows its secret, once.
async fn add(Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> = async {
        let draft = draft_of(&form)?;
        Ok(user.acting.create_webhook(draft).await?)
    }
    .await;
    match result {
        Ok(made) => page(&user, None, Some(&made.secret)).await,
        Err(e) => page(&user, Some(&refused(e, ADD, form)?), None).await,
    }
}

/// Enables a disabled endpoint (clearing its failures) or disables an enabled one.
async fn toggle(Path(raw): Path<String>, Posted { user, .. }: Posted) -> PageResult {
    let id: WebhookId = parse(&raw)?;
    let e = user.acting.webhook(id).await?;
    let draft = WebhookDraft {
        url: e.url,
        description: e.description,
        events: e.events,
        enabled: !e.enabled,
    };
    user.acting.update_webhook(id, draft).await?;
    Ok(see_other("/admin/webhooks"))
}

/// Queues a test ping; the dispatcher sends it with its next round.
async fn ping(Path(raw): Path<String>, Posted { user, .. }: Posted) -> PageResult {
    let id: WebhookId = parse(&raw)?;
    user.acting.ping_webhook(id).await?;
    Ok(see_other(&format!("/admin/webhooks/{id}")))
}

/// Removes an endpoint, once confirmed.
async fn remove(Path(raw): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id: WebhookId = parse(&raw)?;
    if let Err(refusal) = confirmed(user.language, &delete_form_id(id), &form) {
        return page(&user, Some(&refusal), None).await;
    }
    user.acting.delete_webhook(id).await?;
    Ok(see_other("/admin/webhooks"))
}

/// An endpoint's deliveries, newest first, with their last responses.
async fn deliveries(Path(raw): Path<String>, user: PageUser) -> PageResult {
    admins_only(&user)?;
    let lang = user.language;
    let id: WebhookId = parse(&raw)?;
    let endpoint = user.acting.webhook(id).await?;
    let list = user.acting.webhook_deliveries(id, 100).await?;
    let body = html! {
        h2 { (endpoint.url) }
        p { a href="/admin/webhooks" { (t(lang, "admin_webhooks")) } }
        @if list.is_empty() {
            p.meta { (t(lang, "webhook_no_deliveries")) }
        }
        @for d in &list {
            section.card.delivery id=(format!("delivery-{}", d.id)) {
                h3 { (event_word(lang, &d.event)) " · " (state_word(lang, d.state)) }
                p.meta {
                    (when(d.created_at)) " · " (t(lang, "webhook_attempts")) " " (d.attempts)
                    @if let Some(status) = d.last_status { " · HTTP " (status) }
                    @if d.state == WebhookDeliveryState::Pending && d.attempts > 0 {
                        " · " (t(lang, "webhook_next_attempt")) " " (when(d.next_attempt_at))
                    }
                }
                @if let Some(response) = &d.last_response {
                    @if d.last_status.is_none() {
                        p.error { (t(lang, "webhook_no_answer")) " " (response) }
                    } @else if !response.is_empty() {
                        pre.response { (response) }
                    }
                }
            }
        }
    };
    admin_page(&user, "webhook_deliveries", None, body)
}
