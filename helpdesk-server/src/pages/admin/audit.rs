//! `/admin/audit`: the latest changes of the desk's settings — which setting (or which
//! template, canned response or knowledge-base category), who changed it, when, and its value
//! before and after.

use axum::Router;
use axum::routing::get;
use helpdesk::Error;
use helpdesk::domain::{Actor, Language};
use helpdesk::store::ChangedSetting;
use maud::html;

use super::super::layout::t;
use super::super::{PageResult, when};
use super::form::{admin_page, admins_only};
use crate::extract::PageUser;
use crate::state::AppState;

/// How many changes the page shows.
const SHOWN: u32 = 50;

/// The audit route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/audit", get(audit))
}

/// The word of a setting, or of a list of settings.
fn setting_word(lang: Language, key: ChangedSetting) -> &'static str {
    match key {
        ChangedSetting::PublicUrl => t(lang, "admin_public_url_short"),
        ChangedSetting::ServiceLevels => t(lang, "admin_service_levels"),
        ChangedSetting::AttachmentLimits => t(lang, "admin_attachments"),
        ChangedSetting::Mail => t(lang, "admin_mail"),
        ChangedSetting::Template => t(lang, "audit_template"),
        ChangedSetting::CannedResponse => t(lang, "audit_canned"),
        ChangedSetting::ArticleCategory => t(lang, "audit_category"),
        ChangedSetting::Mailbox => t(lang, "admin_mailboxes"),
        ChangedSetting::PhoneRegion => t(lang, "admin_phone_region"),
        ChangedSetting::Retention => t(lang, "admin_retention"),
        ChangedSetting::PriorityRules => t(lang, "admin_priority_rules"),
        ChangedSetting::PresenceTimeout => t(lang, "presence_timeout"),
        ChangedSetting::FeedRetention => t(lang, "feed_retention"),
        ChangedSetting::Macro => t(lang, "automation_macro"),
        other => other.as_str(),
    }
}

async fn audit(user: PageUser) -> PageResult {
    admins_only(&user)?;
    let lang = user.language;
    let changes = match user.acting.setting_changes(SHOWN).await {
        Ok(changes) => Some(changes),
        Err(Error::Unsupported { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let agents = user.acting.agents().await?;
    let who = |actor: Actor| match actor {
        Actor::Agent(id) => agents
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.to_string(), |a| a.name.to_string()),
        Actor::System => t(lang, "admin_system").to_owned(),
        Actor::Customer(id) => id.to_string(),
    };
    let body = html! {
        @match &changes {
            None => p.meta { (t(lang, "admin_no_settings")) },
            Some(changes) if changes.is_empty() => p.meta { (t(lang, "admin_none_yet")) },
            Some(changes) => {
                @for c in changes {
                    section.card.change {
                        h2 {
                            (setting_word(lang, c.key))
                            @if let Some(item) = &c.item { " · " (item) }
                        }
                        p.meta { (who(c.actor)) " · " (when(c.at)) }
                        p { (t(lang, "admin_before")) }
                        pre { (c.before.as_deref().unwrap_or("—")) }
                        p { (t(lang, "admin_after")) }
                        pre { (c.after.as_deref().unwrap_or("—")) }
                    }
                }
            }
        }
    };
    admin_page(&user, "admin_audit", None, body)
}
