//! `/admin/quarantine`: mail the desk could not take in, kept whole with the reason, newest
//! first, each with buttons to take it in again or discard it; and the latest ignored list
//! mail.

use axum::Router;
use axum::extract::Path;
use axum::routing::{get, post};
use helpdesk::Error;
use helpdesk::domain::QuarantineId;
use maud::html;

use super::super::layout::t;
use super::super::{PageResult, see_other, when};
use super::form::{admin_page, admins_only, post_form};
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// How many of each the page shows.
const SHOWN: u32 = 50;

/// The quarantine routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/quarantine", get(quarantine))
        .route("/admin/quarantine/{id}/reprocess", post(reprocess))
        .route("/admin/quarantine/{id}/discard", post(discard))
}

async fn quarantine(user: PageUser) -> PageResult {
    admins_only(&user)?;
    let lang = user.language;
    let kept = match user.acting.quarantined_mails(None, SHOWN).await {
        Ok(kept) => Some(kept),
        Err(Error::Unsupported { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let ignored = match user.acting.ignored_mails(None, SHOWN).await {
        Ok(ignored) => ignored,
        Err(Error::Unsupported { .. }) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let shown = |part: &Option<String>| part.clone().unwrap_or_else(|| "—".to_owned());
    let body = html! {
        @match &kept {
            None => p.meta { (t(lang, "admin_no_quarantine")) },
            Some(kept) if kept.is_empty() => p.meta { (t(lang, "admin_none_yet")) },
            Some(kept) => {
                @for m in kept {
                    section.card.quarantined id=(format!("mail-{}", m.id)) {
                        h2 { (shown(&m.summary.subject)) }
                        p.meta { (shown(&m.summary.sender)) " · " (when(m.received_at)) }
                        p { (t(lang, "admin_quarantine_reason")) " " code { (m.code) } " " (m.reason) }
                        p.meta { (shown(&m.summary.message_id)) }
                        (post_form(&user, &format!("reprocess-{}", m.id),
                            &format!("/admin/quarantine/{}/reprocess", m.id), html! {
                            button { (t(lang, "admin_reprocess")) }
                        }))
                        (post_form(&user, &format!("discard-{}", m.id),
                            &format!("/admin/quarantine/{}/discard", m.id), html! {
                            button { (t(lang, "admin_discard")) }
                        }))
                    }
                }
            }
        }
        h2 { (t(lang, "admin_ignored_mail")) }
        @if ignored.is_empty() {
            p.meta { (t(lang, "admin_none_yet")) }
        }
        @for m in &ignored {
            p.ignored {
                (when(m.at)) " · " (m.why) " · " (shown(&m.summary.sender)) " · "
                (shown(&m.summary.subject))
            }
        }
    };
    admin_page(&user, "admin_quarantine", None, body)
}

/// Takes a quarantined mail in again; back to the list either way (it stays there with the
/// new reason when it fails again).
async fn reprocess(Path(id): Path<String>, Posted { user, .. }: Posted) -> PageResult {
    let id: QuarantineId = parse(&id)?;
    user.acting.reprocess_quarantined(id).await?;
    Ok(see_other("/admin/quarantine"))
}

/// Discards a quarantined mail for good.
async fn discard(Path(id): Path<String>, Posted { user, .. }: Posted) -> PageResult {
    let id: QuarantineId = parse(&id)?;
    user.acting.discard_quarantined(id).await?;
    Ok(see_other("/admin/quarantine"))
}
