//! Canned responses on the agent's ticket view (issue 11): a list of the department's
//! canned responses whose `?canned=ID` pre-fills the reply with its placeholders filled in;
//! with script (`assets/canned.js`) the text is inserted at the cursor of the reply box
//! instead, keeping what the agent typed.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use helpdesk::Error;
use helpdesk::domain::{CannedResponseId, Language, Ticket};
use maud::{Markup, html};

use super::layout::t;
use crate::error::ApiResult;
use crate::extract::PageUser;

/// What the ticket view was asked to insert (`?canned=ID`). Links in the filled-in text
/// start with the desk's configured public URL, never with the request's `Host`.
pub struct CannedAsk {
    /// The canned response asked for.
    pub id: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for CannedAsk {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let id = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|Query(q)| q.get("canned").cloned())
            .filter(|v| !v.trim().is_empty());
        Ok(CannedAsk { id })
    }
}

/// The canned-response picker of a ticket view and the reply text it pre-fills (with why a
/// response could not be filled in, under the picker).
#[derive(Default)]
pub struct Canned {
    /// The picker (empty for customers and where there are none).
    pub picker: Markup,
    /// The reply's starting text.
    pub text: String,
}

/// The canned responses for `ticket`'s department in the agent's language and the
/// customer's (all of them when none is in either), and the one `ask` names, filled in.
pub async fn canned(user: &PageUser, ticket: &Ticket, ask: &CannedAsk) -> ApiResult<Canned> {
    if user.is_customer() {
        return Ok(Canned::default());
    }
    let acting = &user.acting;
    let all = acting
        .canned_responses(Some(ticket.department), None)
        .await?;
    let customer_language = match ticket.customer {
        Some(id) => acting.customer(id).await?.language,
        None => None,
    };
    let wanted = |l: Language| l == user.language || Some(l) == customer_language;
    let mut shown: Vec<_> = all.iter().filter(|c| wanted(c.language)).collect();
    if shown.is_empty() {
        shown = all.iter().collect();
    }
    shown.sort_by_key(|c| (c.language != user.language, c.name.to_string()));
    // A response the desk refuses to fill in (a `{{ticket_link}}` while no public URL is
    // set) leaves the reply empty and says why; the rest of the page stays usable.
    let (text, refused) = match &ask.id {
        Some(raw) => {
            let id: CannedResponseId = raw.parse()?;
            match acting.fill_canned_response(id, ticket.id).await {
                Ok(text) => (text.to_string(), None),
                Err(Error::Validation(e)) => (String::new(), Some(e.to_string())),
                Err(e) => return Err(e.into()),
            }
        }
        None => (String::new(), None),
    };
    let picker = if shown.is_empty() {
        html! {}
    } else {
        html! {
            form #canned method="get" action={ "/tickets/" (ticket.id) } {
                label { (t(user.language, "canned_response")) " " select name="canned" {
                    @for c in &shown {
                        option value=(c.id) selected[ask.id.as_deref() == Some(c.id.to_string().as_str())] {
                            (c.name) " (" (c.language.code()) ")"
                        }
                    }
                } }
                button type="submit" { (t(user.language, "insert_into_reply")) }
            }
            @if let Some(refused) = &refused {
                p.error #canned-error { (refused) }
            }
            script src="/assets/canned.js" defer {}
        }
    };
    Ok(Canned { picker, text })
}
