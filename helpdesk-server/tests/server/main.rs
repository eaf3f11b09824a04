//! The server's tests, one binary (one link for all of them): the router in-process through
//! the crate's lib (`helpdesk_server::router`), on in-memory or temporary SQLite databases,
//! and the `helpdesk-server` binary as a child process for crash safety.

mod account_links;
mod admin_notices;
mod admin_pages;
mod admin_settings_pages;
mod admin_setup;
mod api;
mod attachments;
mod automation;
mod automation_pages;
mod browser;
mod bulk_merge;
mod changes;
mod chat_across_servers;
mod chat_ws;
mod concurrent_replies;
mod content_pages;
mod content_settings;
mod crash_safety;
mod customer_directory;
mod customer_pages;
mod dead_ends;
mod edge;
mod erasure;
mod followers;
mod form_fields;
mod hidden;
mod hostile_input;
mod jobs;
mod kb_votes;
mod languages;
mod links;
mod macro_pages;
mod mail_settings;
mod mailboxes;
mod notification_prefs;
mod openapi_contents;
mod openapi_routes;
mod organisations;
mod pages;
mod paging;
mod person_settings;
mod presence;
mod priorities;
mod priority_rules;
mod quarantine;
mod queue_pages;
mod reports;
mod retention_page;
mod routes;
mod rule_webhooks;
mod schema_check;
mod search_box;
mod several_servers;
mod sign_in;
mod snoozed_pages;
mod store_calls;
mod store_failures;
mod support;
mod tags;
mod templates;
mod thread_pages;
#[cfg(feature = "postgres")]
mod three_processes;
mod ticket_links;
mod ticket_page;
mod time_notes;
mod undeliverable;
mod webhooks;
// The customer portal (issue 21).
mod portal_pages;
// The knowledge base in the reader's language (issue 21).
mod kb_language;
// The chat assistant's articles in the reader's language (issue 21).
mod chat_suggestions;
