//! Notices to admins about the desk itself (issue 23, item 3) in the agents' notification
//! centre: each unread one (today: a webhook endpoint the desk disabled after repeated
//! failures, with the reason and a link to the webhooks page) with a button that marks it
//! read. Only admins have them; for anyone else the section is empty.

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use helpdesk::domain::AdminNoticeId;
use helpdesk::webhooks::{AdminNotice, AdminNoticeKind};
use maud::{Markup, html};

use super::layout::{csrf_input, t};
use super::notification_centre::CENTRE;
use super::{PageResult, see_other, when};
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// How many notices the centre lists.
const LISTED: u32 = 50;

/// The route of the mark-read button.
pub fn routes() -> Router<AppState> {
    Router::new().route("/console/admin-notices/{id}/read", post(mark_read))
}

/// The acting admin's unread notices (none for other people, or when the store keeps none).
pub async fn load(user: &PageUser) -> Vec<AdminNotice> {
    if !user.acting.principal().is_admin() {
        return Vec::new();
    }
    match user.acting.admin_notices(LISTED).await {
        Ok(all) => all.into_iter().filter(|n| n.read_at.is_none()).collect(),
        Err(_) => Vec::new(),
    }
}

/// The notices as a section (nothing when there are none).
pub fn section(user: &PageUser, notices: &[AdminNotice]) -> Markup {
    let lang = user.language;
    html! {
        @if !notices.is_empty() {
            section #admin-notices {
                h2 { (t(lang, "admin_notices_title")) }
                ul {
                    @for n in notices {
                        li.notice.admin-notice {
                            @match &n.kind {
                                AdminNoticeKind::WebhookDisabled { url, reason, .. } => {
                                    span.notice-text data-kind="webhook_disabled" {
                                        (t(lang, "admin_notice_webhook_disabled")) " "
                                        a href="/admin/webhooks" { (url) }
                                    }
                                    " " span.meta { (reason) }
                                }
                            }
                            " " span.meta { (when(n.created_at)) } " "
                            form.inline method="post" action={ "/console/admin-notices/" (n.id) "/read" } {
                                (csrf_input(user))
                                button { (t(lang, "admin_notice_mark_read")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `POST /console/admin-notices/{id}/read`: marked read; back to the centre.
async fn mark_read(Path(id): Path<String>, Posted { user, .. }: Posted) -> PageResult {
    let id: AdminNoticeId = parse(&id)?;
    user.acting.mark_admin_notice_read(id).await?;
    Ok(see_other(CENTRE))
}
