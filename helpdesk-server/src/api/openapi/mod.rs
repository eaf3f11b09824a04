//! The OpenAPI 3.1 document at `/api/openapi.json`, generated with utoipa from the handlers'
//! `#[utoipa::path]` attributes and the schemas of their bodies, parameters and answers.
//!
//! A route gets into the document by three steps: `#[utoipa::path(...)]` on its handler
//! (method, path under `/api/v1`, tag, parameters, request body, success and its own error
//! statuses), the handler named in [`ApiDoc`]'s `paths(...)`, and `ToSchema`/`IntoParams`
//! on what it takes and answers. [`answers::Answers`] then adds what every operation
//! answers for what it takes (see there); a public route says `security(())`.
//! `tests/server/openapi_routes.rs` fails naming any router route the document misses.

use axum::Json;
use serde_json::Value;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub mod answers;
pub mod chat;
pub mod commands;
pub mod directory;
pub mod history;
pub mod levels;
pub mod mail;
pub mod model;
pub mod params;
pub mod settings;
pub mod templates;
pub mod ticket_parts;
pub mod views;

use crate::api;
use answers::Answers;

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(title = "helpdesk example server"),
    servers((url = "/")),
    paths(
        api::auth::token,
        api::auth::revoke_current,
        api::auth::list_tokens,
        api::auth::revoke_token,
        api::auth::me,
        api::auth::set_my_language,
        api::account_links::invite_agent,
        api::account_links::invite_customer,
        api::account_links::agent_reset_link,
        api::account_links::customer_reset_link,
        api::account_links::request_reset,
        api::account_links::setup_password,
        api::tickets::list_tickets,
        api::tickets::create_ticket,
        api::tickets::new_ticket_priorities,
        api::tickets::get_ticket,
        api::tickets::settable_priorities,
        api::tickets::history,
        api::tickets::time_entries,
        api::messages::list_messages,
        api::messages::add_message,
        api::messages::download_attachment,
        api::commands::run_command,
        api::commands::transition,
        api::commands::assign,
        api::commands::priority,
        api::links::linked,
        api::links::split,
        api::links::merged_target,
        api::departments::departments,
        api::departments::create_department,
        api::settings::settings,
        api::settings::set_settings,
        api::agents::agents,
        api::agents::agent_signature,
        api::customers::find_customers,
        api::customers::customer,
        api::customers::update_customer,
        api::customers::customer_access,
        api::knowledge::search_articles,
        api::knowledge::create_article,
        api::knowledge::article,
        api::knowledge::vote,
        api::knowledge::my_vote,
        api::knowledge::suggest,
        api::knowledge::update_article,
        api::knowledge::delete_article,
        api::knowledge::categories,
        api::knowledge::create_category,
        api::knowledge::rename_category,
        api::knowledge::delete_category,
        api::notifications::notifications,
        api::notifications::read,
        api::notifications::snooze,
        api::notifications::dismiss,
        api::notification_prefs::my_preferences,
        api::notification_prefs::set_my_preferences,
        api::notification_prefs::agent_preferences,
        api::notification_prefs::set_agent_preferences,
        api::notifications::dismiss_all,
        api::reports::api_report,
        api::chat::start,
        api::chat::chat,
        api::chat::end,
        api::chat::queue,
        api::chat::my_chats,
        api::chat::presence,
        api::chat::set_presence,
        api::admin::directory::update_department,
        api::admin::directory::create_agent,
        api::admin::directory::update_agent,
        api::admin::directory::agent_login,
        api::admin::directory::create_customer,
        api::admin::directory::customer_login,
        api::admin::directory::templates,
        api::admin::directory::create_template,
        api::admin::directory::canned_responses,
        api::admin::directory::create_canned_response,
        api::admin::content::update_template,
        api::admin::content::delete_template,
        api::admin::content::update_canned_response,
        api::admin::content::delete_canned_response,
        api::admin::levels::service_levels,
        api::admin::levels::put_calendar,
        api::admin::levels::delete_calendar,
        api::admin::levels::default_calendar,
        api::admin::levels::department_calendar,
        api::admin::levels::put_sla_policy,
        api::admin::levels::delete_sla_policy,
        api::admin::levels::attachment_limits,
        api::admin::levels::set_attachment_limits,
        api::admin::mail::mail_settings,
        api::admin::mail::set_mail_settings,
        api::admin::mail::department_mail_address,
        api::admin::quarantine::list_quarantine,
        api::admin::quarantine::quarantined_mail,
        api::admin::quarantine::raw_mail,
        api::admin::quarantine::reprocess_mail,
        api::admin::quarantine::discard_mail,
        api::admin::quarantine::list_ignored,
        api::admin::undeliverable::list_undeliverable,
        api::admin::undeliverable::clear_undeliverable,
        api::admin::mailboxes::list_mailboxes,
        api::admin::mailboxes::mailbox,
        api::admin::mailboxes::add_mailbox,
        api::admin::mailboxes::edit_mailbox,
        api::admin::mailboxes::remove_mailbox,
        api::admin::levels::audit,
        api::organisations::organisation_domains,
        api::organisations::set_organisation_domains,
        api::organisations::sees_organisation_tickets,
        api::organisations::set_sees_organisation_tickets,
        api::erasure::erase_customer,
        api::erasure::erasures,
        api::erasure::retention,
        api::erasure::set_retention,
        api::tags::tags_in_use,
        api::tags::tag_ticket,
        api::tags::bulk_tag,
        api::followers::ticket_cc,
        api::followers::add_cc,
        api::followers::remove_cc,
        api::followers::ticket_followers,
        api::followers::follow_ticket,
        api::followers::unfollow_ticket,
        api::followers::followed_tickets,
        api::feedback::feedback_offers,
        api::admin::priority_rules::priority_rules,
        api::admin::priority_rules::put_priority_rule,
        api::admin::priority_rules::delete_priority_rule,
        api::automation::list_rules,
        api::automation::create_rule,
        api::automation::update_rule,
        api::automation::delete_rule,
        api::automation::dry_run,
        api::automation::rule_firings,
        api::automation::list_macros,
        api::automation::create_macro,
        api::automation::delete_macro,
        api::automation::apply_macro,
        api::automation::get_macro,
        api::automation::update_macro,
        api::changes::changes,
        api::changes::stream,
        api::webhooks::list_webhooks,
        api::webhooks::create_webhook,
        api::webhooks::update_webhook,
        api::webhooks::delete_webhook,
        api::webhooks::webhook_deliveries,
        api::webhooks::ping_webhook,
        api::admin_notices::list_admin_notices,
        api::admin_notices::mark_admin_notice_read,
        api::presence::heartbeat,
        api::presence::availabilities,
        api::person_settings::my_settings,
        api::person_settings::set_my_settings,
    ),
    // What only parameters name (their `$ref`s are not collected from `IntoParams`).
    components(schemas(answers::ErrorBody, params::TicketKey, model::TicketOrder, model::Language)),
    modifiers(&Security, &Answers),
)]
pub struct ApiDoc;

/// The two ways to sign in: a bearer token, or the pages' session cookie.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::session::SESSION_COOKIE,
            ))),
        );
    }
}

/// The document as JSON.
pub fn spec() -> Value {
    serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serialises")
}

/// `GET /api/openapi.json`.
pub async fn document() -> Json<Value> {
    Json(spec())
}
