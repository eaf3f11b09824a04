//! The admin pages (admins only; the library refuses anyone else, and the menu shows them
//! to admins only): the desk's settings here, and a file per area — departments, agents,
//! customers, service levels (calendars and SLA policies), attachment limits, templates and
//! canned responses, the knowledge base's categories and articles, the IMAP mailboxes stored
//! for departments, mail the desk could not take in (the quarantine), addresses marked
//! undeliverable, and the settings' audit trail. A refused form is shown again
//! with its input kept and the desk's reason inline ([`form`]).

pub mod agents;
pub mod attachments;
pub mod audit;
pub mod customer_directory;
pub mod customers;
pub mod departments;
pub mod erasure;
pub mod form;
pub mod knowledge;
pub mod levels;
pub mod links;
pub mod mail;
pub mod mailboxes;
pub mod organisation_priority;
pub mod organisations;
pub mod quarantine;
pub mod sla;
pub mod templates;
pub mod undeliverable;
pub mod webhooks;
// Automation (issue 22).
pub mod macros;
pub mod retention;
pub mod rule_form;
pub mod rules;

use axum::Router;
use axum::routing::get;
use helpdesk::Error;
use helpdesk::domain::{PresenceTimeout, PublicUrl};
use helpdesk::feed::FeedRetention;
use helpdesk::search::PhoneRegion;
use maud::html;

use super::layout::t;
use super::{PageResult, see_other};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted};
use crate::state::AppState;
use form::{Kept, Refused, admin_page, post_form, refused, text_field};

/// The admin routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(admin))
        .route("/admin/settings", axum::routing::post(admin_settings))
        .merge(departments::routes())
        .merge(agents::routes())
        .merge(customers::routes())
        .merge(customer_directory::routes())
        .merge(organisations::routes())
        .merge(erasure::routes())
        .merge(links::routes())
        .merge(levels::routes())
        .merge(sla::routes())
        .merge(attachments::routes())
        .merge(mail::routes())
        .merge(mailboxes::routes())
        .merge(quarantine::routes())
        .merge(undeliverable::routes())
        .merge(templates::routes())
        .merge(knowledge::routes())
        .merge(audit::routes())
        .merge(organisation_priority::routes())
        .merge(webhooks::routes())
        .merge(rules::routes())
        .merge(macros::routes())
        .merge(retention::routes())
}

/// `/admin`: the desk's settings (its public URL) and the admin pages.
async fn admin(user: PageUser) -> PageResult {
    page(&user, None).await
}

/// The settings page, with `refused` shown inline.
async fn page(user: &PageUser, refused: Option<&Refused>) -> PageResult {
    let lang = user.language;
    let kept = Kept(refused);
    // A store without settings says so; anyone but an admin is refused by the library.
    let settings = match user.acting.settings().await {
        Ok(settings) => Some(settings),
        Err(Error::Unsupported { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let body = html! {
        @match &settings {
            Some(settings) => {
                @let current = settings.public_url.as_ref().map(PublicUrl::as_str).unwrap_or_default();
                (post_form(user, "settings", "/admin/settings", html! {
                    (kept.error("settings", lang))
                    (text_field(t(lang, "admin_public_url"), "public_url",
                        &kept.value("settings", "public_url", current), false))
                    @let region = settings.phone_region.as_ref().map(|r| r.to_string()).unwrap_or_default();
                    (text_field(t(lang, "admin_phone_region"), "phone_region",
                        &kept.value("settings", "phone_region", &region), false))
                    p.meta { (t(lang, "admin_phone_region_help")) }
                    @let timeout = settings.presence_timeout_seconds.map(|t| t.to_string()).unwrap_or_default();
                    (text_field(t(lang, "presence_timeout"), "presence_timeout",
                        &kept.value("settings", "presence_timeout", &timeout), false))
                    p.meta { (t(lang, "presence_timeout_help")) }
                    @let retention = settings.feed_retention_days.map(|r| r.to_string()).unwrap_or_default();
                    (text_field(t(lang, "feed_retention"), "feed_retention",
                        &kept.value("settings", "feed_retention", &retention), false))
                    p.meta { (t(lang, "feed_retention_help")) }
                    button { (t(lang, "admin_save")) }
                }))
                @if settings.public_url.is_none() {
                    p.meta { (t(lang, "admin_no_public_url")) }
                }
            }
            None => p.meta { (t(lang, "admin_no_settings")) },
        }
    };
    admin_page(user, "admin_settings", refused, body)
}

/// Sets the desk's public URL and default phone region; an empty field unsets it. Both are
/// read before either is written.
async fn admin_settings(Posted { user, form }: Posted) -> PageResult {
    let typed = form::field(&form, "public_url");
    let typed_region = form::field(&form, "phone_region");
    let typed_timeout = form::field(&form, "presence_timeout");
    let typed_retention = form::field(&form, "feed_retention");
    let result: Result<(), ApiError> = async {
        let url = if typed.is_empty() {
            None
        } else {
            Some(PublicUrl::parse(typed)?)
        };
        let region = if typed_region.trim().is_empty() {
            None
        } else {
            Some(PhoneRegion::parse(typed_region)?)
        };
        // Empty: the default timeout.
        let timeout = match typed_timeout.trim() {
            "" => None,
            typed => Some(PresenceTimeout::parse(typed)?),
        };
        // Empty: the default week.
        let retention = match typed_retention.trim() {
            "" => None,
            typed => Some(FeedRetention::parse(typed)?),
        };
        user.acting.set_public_url(url).await?;
        user.acting.set_presence_timeout(timeout).await?;
        user.acting.set_feed_retention(retention).await?;
        Ok(user.acting.set_phone_region(region).await?)
    }
    .await;
    match result {
        Ok(()) => Ok(see_other("/admin")),
        Err(e) => page(&user, Some(&refused(e, "settings", form)?)).await,
    }
}
