//! The customer portal: their tickets and notifications, the knowledge base (with "did this
//! help?" and the person's own answer), and a new ticket.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Multipart, Path, Query};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use helpdesk::domain::{Article, ArticleId, Priority, Status, StatusLabels, TicketType, Voter};
use maud::{Markup, html};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::layout::{csrf_input, layout, notification_text, status_badge, t, ticket_type_word};
use super::notices::{self, priority_word};
use super::{PageResult, see_other, when};
use crate::api::tickets::{CreateTicket, ListQuery};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::session::CSRF_FIELD;
use crate::state::AppState;
use crate::uploads::read_multipart_kept;

/// The portal's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", get(portal))
        .route("/portal/kb", get(kb))
        .route("/portal/kb/{article}/vote", post(vote))
        .route("/portal/new", get(new_ticket_form))
        .route("/portal/tickets", post(create_ticket))
}

/// `/portal`: the customer's notifications and tickets, with filters.
async fn portal(user: PageUser, Query(query): Query<HashMap<String, String>>) -> PageResult {
    let lang = user.language;
    let pick = |k: &str| query.get(k).filter(|v| !v.is_empty()).cloned();
    let list = ListQuery {
        status: pick("status"),
        ticket_type: pick("type"),
        created_from: pick("from").and_then(|d| day(&d)),
        created_to: pick("to")
            .and_then(|d| day(&d))
            .map(|d| d + chrono::Duration::days(1)),
        limit: Some(100),
        ..ListQuery::default()
    };
    let tickets = list.run(&user.acting).await?.items;
    let notes = user.acting.notifications(20).await?;
    let now = Utc::now();
    let labels = StatusLabels::new(lang);
    let body = html! {
        @let active: Vec<_> = notes.iter().filter(|n| n.is_active(now)).collect();
        @if !active.is_empty() {
            section #notifications {
                h2 { (t(lang, "notifications")) }
                @for n in active {
                    @let number = tickets.iter().find(|t| t.id == n.ticket_id).map(|t| t.number.short().to_owned());
                    div.notice {
                        span.notice-text data-kind=(n.kind.as_str()) { (notification_text(lang, &n.kind, &number.unwrap_or_default())) } " " span.meta { (when(n.created_at)) } " "
                        form.inline method="post" action={ "/notifications/" (n.id) "/snooze" } { (csrf_input(&user)) button { (t(lang, "remind")) } }
                        " "
                        form.inline method="post" action={ "/notifications/" (n.id) "/view" } {
                            (csrf_input(&user))
                            input type="hidden" name="ticket" value=(n.ticket_id);
                            button { (t(lang, "view")) }
                        }
                        " "
                        form.inline method="post" action={ "/notifications/" (n.id) "/dismiss" } { (csrf_input(&user)) button { (t(lang, "dismiss")) } }
                    }
                }
            }
        }
        form method="get" action="/portal/kb" {
            input type="text" name="q" placeholder=(t(lang, "kb"));
            button { (t(lang, "search")) }
        }
        h1 { (t(lang, "my_tickets")) }
        form method="get" action="/portal" {
            select name="status" {
                option value="" { "—" }
                @for s in Status::ALL {
                    option value=(s.as_str()) selected[pick("status").as_deref() == Some(s.as_str())] { (labels.label(s)) }
                }
            }
            select name="type" {
                option value="" { "—" }
                @for ty in TicketType::BUILT_IN {
                    option value=(ty.as_str()) selected[pick("type").as_deref() == Some(ty.as_str())] { (ticket_type_word(lang, &ty)) }
                }
            }
            input type="date" name="from" value=(pick("from").unwrap_or_default());
            input type="date" name="to" value=(pick("to").unwrap_or_default());
            button { (t(lang, "search")) }
        }
        table #tickets {
            tr { th { "#" } th { (t(lang, "col_ticket")) } th { (t(lang, "topic")) } th { (t(lang, "status")) } th { (t(lang, "last_update")) } th {} }
            @for (i, ticket) in tickets.iter().enumerate() {
                tr {
                    td { (super::layout::num(lang, u32::try_from(i + 1).unwrap_or(u32::MAX))) }
                    td { (ticket.number.short()) }
                    td { bdi { (ticket.subject) } }
                    td { (status_badge(lang, ticket.status)) }
                    td { (when(ticket.updated_at)) }
                    td { a href={ "/tickets/" (ticket.id) } { (t(lang, "view")) } }
                }
            }
        }
    };
    Ok(layout(t(lang, "my_tickets"), Some(&user), body).into_response())
}

fn day(raw: &str) -> Option<DateTime<Utc>> {
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

/// `/portal/kb`: search the knowledge base; under each article found, "did this help?" with
/// the person's own answer marked.
async fn kb(user: PageUser, Query(query): Query<HashMap<String, String>>) -> PageResult {
    let lang = user.language;
    let q = query.get("q").cloned().unwrap_or_default();
    let found = if q.trim().is_empty() {
        Vec::new()
    } else {
        user.acting.search_articles(&q, None, 20).await?
    };
    // Without a search: the index, by category.
    let index = if q.trim().is_empty() {
        user.acting.article_index(500).await?
    } else {
        Vec::new()
    };
    // People vote; the system, which signs in to no page, would have no answer to show.
    let mine: HashMap<ArticleId, bool> = if found.is_empty() || Voter::of(user.actor()).is_none() {
        HashMap::new()
    } else {
        let ids: Vec<ArticleId> = found.iter().map(|a| a.id).collect();
        user.acting.article_votes(&ids).await?.into_iter().collect()
    };
    let body = html! {
        h1 { (t(lang, "kb")) }
        form method="get" action="/portal/kb" {
            input type="text" name="q" value=(q);
            button { (t(lang, "search")) }
        }
        @if !q.trim().is_empty() && found.is_empty() {
            p #nothing { (t(lang, "nothing")) " " a href="/portal/new" { (t(lang, "new_ticket")) } }
        }
        @if q.trim().is_empty() {
            section #kb-index {
                h2 { (t(lang, "kb_index")) }
                @if index.is_empty() { p.meta { (t(lang, "kb_index_empty")) } }
                @for (category, articles) in by_category(&index) {
                    section.kb-category {
                        h3 dir="auto" { (category) }
                        ul {
                            @for article in articles {
                                li {
                                    details.kb-article id={ "article-" (article.id) } lang=(article.language.code()) dir=(if article.language.is_rtl() { "rtl" } else { "ltr" }) {
                                        summary { (article.title) }
                                        div.msg { (article.body) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @for article in &found {
            article.msg id={ "article-" (article.id) } lang=(article.language.code()) dir=(if article.language.is_rtl() { "rtl" } else { "ltr" }) {
                h3 { (article.title) }
                (article.body)
            }
            (vote_forms(&user, article.id, &q, mine.get(&article.id).copied()))
        }
    };
    Ok(layout(t(lang, "kb"), Some(&user), body).into_response())
}

/// The index's articles (sorted by category) in runs of one category each.
fn by_category(index: &[Article]) -> Vec<(&str, Vec<&Article>)> {
    let mut runs: Vec<(&str, Vec<&Article>)> = Vec::new();
    for article in index {
        match runs.last_mut() {
            Some((category, run)) if *category == article.category.as_str() => run.push(article),
            _ => runs.push((article.category.as_str(), vec![article])),
        }
    }
    runs
}

/// "Did this help?" for one article: a yes and a no button, the person's answer (`mine`)
/// pressed and named.
fn vote_forms(user: &PageUser, article: ArticleId, q: &str, mine: Option<bool>) -> Markup {
    let lang = user.language;
    let (yes, no) = (t(lang, "vote_yes"), t(lang, "vote_no"));
    html! {
        div.vote id={ "vote-" (article) } {
            span { (t(lang, "did_it_help")) } " "
            @for (helpful, word) in [(true, yes), (false, no)] {
                form.inline method="post" action={ "/portal/kb/" (article) "/vote" } {
                    (csrf_input(user))
                    input type="hidden" name="q" value=(q);
                    input type="hidden" name="helpful" value=(helpful);
                    button aria-pressed=(mine == Some(helpful)) { (word) }
                }
                " "
            }
            @if let Some(helpful) = mine {
                span.meta.your-vote { (t(lang, "your_vote")) ": " (if helpful { yes } else { no }) }
            }
        }
    }
}

/// A "did this help?" answer posted: the person's one vote on the article, then back to the
/// search they came from.
async fn vote(Path(raw): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let article = parse::<ArticleId>(&raw)?;
    let helpful = match form.get("helpful").map(String::as_str) {
        Some("true") => true,
        Some("false") => false,
        _ => return Err(ApiError::bad_request("helpful: give true or false").into()),
    };
    user.acting.vote_article(article, helpful).await?;
    let q = form.get("q").map(String::as_str).unwrap_or_default();
    Ok(see_other(&format!(
        "/portal/kb?q={}#article-{article}",
        utf8_percent_encode(q, NON_ALPHANUMERIC)
    )))
}

/// `/portal/new`: the customer's new-ticket form, with articles suggested as they type.
async fn new_ticket_form(user: PageUser) -> PageResult {
    ticket_form(&user, &HashMap::new(), None).await
}

/// The new-ticket form, holding `typed` (the fields posted) and the refusal beside it: it
/// offers only the departments the customer may choose and the importance levels that
/// apply as chosen.
async fn ticket_form(
    user: &PageUser,
    typed: &HashMap<String, String>,
    refused: Option<&ApiError>,
) -> PageResult {
    let lang = user.language;
    let departments = user.acting.departments().await?;
    // What applies as chosen (the same in every department for a customer).
    let priorities = match departments.first() {
        Some(d) => user.acting.new_ticket_priorities(d.id, None).await?,
        None => Vec::new(),
    };
    let typed_field = |k: &str| typed.get(k).map(String::as_str).unwrap_or_default();
    let chosen = match typed_field("priority").parse::<Priority>() {
        Ok(p) if priorities.contains(&p) => p,
        _ if priorities.contains(&Priority::Normal) => Priority::Normal,
        _ => priorities.first().copied().unwrap_or_default(),
    };
    let status = refused.map_or(axum::http::StatusCode::OK, |e| e.status);
    let body = html! {
        h1 { (t(lang, "new_ticket")) }
        @if let Some(e) = refused { (super::refusals::inline(lang, e)) }
        form #new-ticket method="post" action="/portal/tickets" enctype="multipart/form-data" {
            (csrf_input(user))
            label { (t(lang, "department")) " " select name="department" {
                @for d in &departments { option value=(d.id) selected[typed_field("department") == d.id.to_string()] { (d.name) } }
            } }
            label { (t(lang, "ticket_type")) " " select name="ticket_type" {
                @for ty in TicketType::BUILT_IN { option value=(ty.as_str()) selected[typed_field("ticket_type") == ty.as_str()] { (ticket_type_word(lang, &ty)) } }
            } }
            label { (t(lang, "subject")) " " input #subject type="text" name="subject" value=(typed_field("subject")) required; }
            label { (t(lang, "description")) " " textarea #body name="body" required { (typed_field("body")) } }
            @if priorities.len() > 1 {
                label { (t(lang, "importance")) " " select name="priority" {
                    @for p in &priorities { option value=(p.as_str()) selected[*p == chosen] { (priority_word(lang, *p)) } }
                } }
            } @else {
                input type="hidden" name="priority" value=(chosen.as_str());
            }
            label { (t(lang, "attach")) " " input type="file" name="files" multiple; }
            button type="submit" { (t(lang, "send")) }
        }
        h3 { (t(lang, "kb")) }
        div #suggestions {}
        script src="/assets/suggest.js" {}
    };
    Ok((status, layout(t(lang, "new_ticket"), Some(user), body)).into_response())
}

/// The new-ticket form posted (multipart, with files): the ticket, or the form again with
/// what was typed and the refusal beside it (a blank subject, a file too large, ...).
async fn create_ticket(user: PageUser, multipart: Multipart) -> PageResult {
    let (fields, uploads, cut) = read_multipart_kept(multipart).await;
    user.check_csrf(fields.get(CSRF_FIELD))?;
    let opened = match cut {
        Some(e) => Err(e),
        None => match CreateTicket::from_fields(&fields) {
            Ok(new) => user
                .acting
                .open_ticket_with_notices(new.into_new_ticket(), uploads)
                .await
                .map_err(ApiError::from),
            Err(e) => Err(e),
        },
    };
    match opened {
        Ok(opened) => Ok(see_other(&format!(
            "/tickets/{}{}",
            opened.ticket.id,
            notices::query(&opened.notices)
        ))),
        Err(e) if e.status.is_server_error() => Err(e.into()),
        Err(e) => ticket_form(&user, &fields, Some(&e)).await,
    }
}
