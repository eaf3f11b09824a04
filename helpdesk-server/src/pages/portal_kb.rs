//! The knowledge base in the portal: its index by category (or one category), search results
//! that link to the articles, an article's own page, and "did this help?" with the person's
//! own answer marked.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use helpdesk::domain::{Article, ArticleId, Language, Voter};
use maud::{Markup, html};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::layout::{csrf_input, layout, t, t_args};
use super::words::{number, text};
use super::{PageResult, see_other, when};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The characters of an article's text a search result shows.
const EXCERPT: usize = 200;

/// The knowledge base's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/kb", get(kb))
        .route("/portal/kb/{article}", get(article_page))
        .route("/portal/kb/{article}/vote", post(vote))
}

/// A link to an article's page.
fn article_href(id: ArticleId) -> String {
    format!("/portal/kb/{id}")
}

/// A link to the index of one category.
fn category_href(category: &str) -> String {
    format!(
        "/portal/kb?category={}",
        utf8_percent_encode(category, NON_ALPHANUMERIC)
    )
}

/// `lang` and `dir` of an article's own language, for its title and text.
fn article_dir(article: &Article) -> &'static str {
    if article.language.is_rtl() {
        "rtl"
    } else {
        "ltr"
    }
}

/// For an article not in the reader's language `lang`, its language named (a fall-back the
/// reader may not read); nothing for one in theirs.
fn other_language(lang: Language, article: &Article) -> Markup {
    html! {
        @if article.language != lang {
            " " span.kb-other-language lang=(lang.code()) {
                (t_args(lang, "kb_other_language", &[("language", text(t(article.language, "language_name")))]))
            }
        }
    }
}

/// The search box, holding `q`.
fn search_form(user: &PageUser, q: &str) -> Markup {
    let lang = user.language;
    html! {
        form #kb-search role="search" method="get" action="/portal/kb" {
            label { (t(lang, "kb_search_label")) " "
                input type="search" name="q" value=(q) dir="auto";
            }
            button { (t(lang, "search")) }
        }
    }
}

/// `/portal/kb`: without a search, the index by category (`?category=` one category); with
/// one (`?q=`), the articles found, each a link to its page with the start of its text and
/// "did this help?".
async fn kb(user: PageUser, Query(query): Query<HashMap<String, String>>) -> PageResult {
    let lang = user.language;
    let q = query.get("q").cloned().unwrap_or_default();
    let category = query.get("category").filter(|c| !c.is_empty()).cloned();
    let searching = !q.trim().is_empty();
    let found = if searching {
        user.acting.search_articles_in(&q, lang, 20).await?
    } else {
        Vec::new()
    };
    let index = if searching {
        Vec::new()
    } else {
        let all = user.acting.article_index_in(500, lang).await?;
        match &category {
            Some(c) => all
                .into_iter()
                .filter(|a| a.category.as_str() == c)
                .collect(),
            None => all,
        }
    };
    let mine = own_votes(&user, &found).await?;
    let body = html! {
        h1 { (t(lang, "kb")) }
        (search_form(&user, &q))
        @if searching {
            section #kb-results {
                h2 { (t(lang, "kb_results")) }
                @if found.is_empty() {
                    p #nothing { (t(lang, "nothing")) @if user.is_customer() { " " a href="/portal/new" { (t(lang, "new_ticket")) } } }
                }
                @for article in &found {
                    article.card.kb-result id={ "article-" (article.id) } {
                        h3 lang=(article.language.code()) dir=(article_dir(article)) {
                            a href=(article_href(article.id)) { (article.title) }
                        }
                        (other_language(lang, article))
                        p.meta { a href=(category_href(article.category.as_str())) { bdi { (article.category) } } }
                        p.excerpt lang=(article.language.code()) dir=(article_dir(article)) { (excerpt(article.body.as_str())) }
                        (vote_forms(&user, article.id, &q, mine.get(&article.id).copied()))
                    }
                }
                p { a href="/portal/kb" { (t(lang, "kb_index")) } }
            }
        } @else {
            section #kb-index {
                h2 { (t(lang, "kb_index")) }
                @if let Some(c) = &category {
                    p { a #kb-all href="/portal/kb" { (t(lang, "kb_all_categories")) } }
                    @if index.is_empty() { p #kb-no-category { (t_args(lang, "kb_no_category", &[("category", text(c.as_str()))])) } }
                } @else if index.is_empty() {
                    p.meta { (t(lang, "kb_index_empty")) }
                }
                @for (category, articles) in by_category(&index) {
                    section.kb-category {
                        h3 { a href=(category_href(category)) { bdi { (category) } } }
                        p.meta { (t_args(lang, "kb_articles_count", &[("count", number(u32::try_from(articles.len()).unwrap_or(u32::MAX)))])) }
                        ul.kb-articles {
                            @for article in articles {
                                li id={ "article-" (article.id) } {
                                    a href=(article_href(article.id)) lang=(article.language.code()) dir=(article_dir(article)) { (article.title) }
                                    (other_language(lang, article))
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(t(lang, "kb"), Some(&user), body).into_response())
}

/// The person's own answers to "did this help?" on `articles` (none for the system, which
/// signs in to no page).
async fn own_votes(
    user: &PageUser,
    articles: &[Article],
) -> Result<HashMap<ArticleId, bool>, ApiError> {
    if articles.is_empty() || Voter::of(user.actor()).is_none() {
        return Ok(HashMap::new());
    }
    let ids: Vec<ArticleId> = articles.iter().map(|a| a.id).collect();
    Ok(user.acting.article_votes(&ids).await?.into_iter().collect())
}

/// The start of an article's text, cut at a word, with "…" when there is more.
fn excerpt(body: &str) -> String {
    if body.chars().count() <= EXCERPT {
        return body.to_owned();
    }
    let cut: String = body.chars().take(EXCERPT).collect();
    let at_word = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..at_word].trim_end())
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

/// `/portal/kb/{article}`: one article the person may read (another is a 404): its category,
/// text, when it changed, how many found it helpful, and "did this help?".
async fn article_page(user: PageUser, Path(raw): Path<String>) -> PageResult {
    let lang = user.language;
    let id = parse::<ArticleId>(&raw)?;
    let article = user.acting.article(id).await?;
    let mine = own_votes(&user, std::slice::from_ref(&article)).await?;
    let body = html! {
        nav.breadcrumb aria-label=(t(lang, "kb")) {
            a href="/portal/kb" { (t(lang, "kb")) } " › "
            a #kb-category href=(category_href(article.category.as_str())) { bdi { (article.category) } }
        }
        (other_language(lang, &article))
        article #article lang=(article.language.code()) dir=(article_dir(&article)) {
            h1 { (article.title) }
            div.msg { (article.body) }
        }
        p.meta {
            (t(lang, "kb_updated")) " " (when(article.updated_at)) " · "
            span #kb-helpful { (t_args(lang, "kb_helpful_count", &[("count", number(article.helpful))])) }
        }
        (vote_forms(&user, article.id, "", mine.get(&article.id).copied()))
        @if user.is_customer() {
            p #kb-more-help { (t(lang, "kb_still_need_help")) " " a href="/portal/new" { (t(lang, "new_ticket")) } }
        }
    };
    Ok(layout(article.title.as_str(), Some(&user), body).into_response())
}

/// "Did this help?" for one article: a yes and a no button, the person's answer (`mine`)
/// pressed and named. `q` is the search the buttons return to (none: the article's page).
fn vote_forms(user: &PageUser, article: ArticleId, q: &str, mine: Option<bool>) -> Markup {
    let lang = user.language;
    let (yes, no) = (t(lang, "vote_yes"), t(lang, "vote_no"));
    html! {
        div.vote id={ "vote-" (article) } {
            span { (t(lang, "did_it_help")) } " "
            @for (helpful, word) in [(true, yes), (false, no)] {
                form.inline method="post" action={ "/portal/kb/" (article) "/vote" } {
                    (csrf_input(user))
                    @if !q.is_empty() { input type="hidden" name="q" value=(q); }
                    input type="hidden" name="helpful" value=(helpful);
                    button aria-pressed=(mine == Some(helpful)) { (word) }
                }
                " "
            }
            @if let Some(helpful) = mine {
                span.meta.your-vote role="status" { (t(lang, "your_vote")) ": " (if helpful { yes } else { no }) }
            }
        }
    }
}

/// A "did this help?" answer posted: the person's one vote on the article, then back to the
/// search they came from, or to the article's page.
async fn vote(Path(raw): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let article = parse::<ArticleId>(&raw)?;
    let helpful = match form.get("helpful").map(String::as_str) {
        Some("true") => true,
        Some("false") => false,
        _ => return Err(ApiError::bad_request("helpful: give true or false").into()),
    };
    user.acting.vote_article(article, helpful).await?;
    match form.get("q").map(String::as_str).filter(|q| !q.is_empty()) {
        Some(q) => Ok(see_other(&format!(
            "/portal/kb?q={}#article-{article}",
            utf8_percent_encode(q, NON_ALPHANUMERIC)
        ))),
        None => Ok(see_other(&format!(
            "{}#vote-{article}",
            article_href(article)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long text is cut at a word with "…"; a short one is whole.
    #[test]
    fn an_excerpt_is_cut_at_a_word() {
        assert_eq!(excerpt("Scurt."), "Scurt.");
        let long = "cuvânt ".repeat(60);
        let cut = excerpt(&long);
        assert!(cut.ends_with("cuvânt…"), "{cut}");
        assert!(cut.chars().count() <= EXCERPT + 1, "{cut}");
    }
}
