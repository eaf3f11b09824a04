//! The knowledge base: search articles, suggest some for a ticket being written, read one,
//! write one (agents), vote whether it helped (one vote per person, changeable), and read
//! one's own vote.

use axum::Json;
use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};
use helpdesk::domain::{
    ArticleId, ArticleStatus, ArticleTitle, Category, Language, MessageBody, Visibility,
};
use helpdesk::service::ArticleDraft;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{created, items};
use crate::error::{ApiResult, Body, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The knowledge-base routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/kb/articles", get(search_articles).post(create_article))
        .route("/kb/articles/{article}", get(article))
        .route("/kb/articles/{article}/votes", post(vote))
        .route("/kb/articles/{article}/votes/mine", get(my_vote))
        .route("/kb/suggest", get(suggest))
}

#[derive(Deserialize)]
struct ArticleQuery {
    q: Option<String>,
    text: Option<String>,
    lang: Option<Language>,
    limit: Option<u32>,
}

async fn search_articles(
    Caller { acting, .. }: Caller,
    Query(q): Query<ArticleQuery>,
) -> ApiResult<Json<Value>> {
    let query = q.q.unwrap_or_default();
    let found = acting
        .search_articles(&query, q.lang, q.limit.unwrap_or(20))
        .await?;
    Ok(items(found))
}

/// The body of `POST /kb/articles` (agents).
#[derive(Debug, Deserialize)]
pub struct NewArticle {
    /// The title.
    pub title: ArticleTitle,
    /// The text.
    pub body: MessageBody,
    /// The section.
    pub category: Category,
    /// Its language.
    pub language: Language,
    /// `published` (default) or `draft`.
    pub status: Option<ArticleStatus>,
    /// `public` (default) or `internal`.
    pub visibility: Option<Visibility>,
}

async fn create_article(
    Caller { acting, .. }: Caller,
    Body(new): Body<NewArticle>,
) -> ApiResult<Response> {
    let draft = ArticleDraft {
        title: new.title,
        body: new.body,
        category: new.category,
        language: new.language,
        status: new.status.unwrap_or(ArticleStatus::Published),
        visibility: new.visibility.unwrap_or(Visibility::Public),
    };
    Ok(created(acting.create_article(draft).await?))
}

async fn suggest(
    Caller { acting, .. }: Caller,
    Query(q): Query<ArticleQuery>,
) -> ApiResult<Json<Value>> {
    let text = q.text.or(q.q).unwrap_or_default();
    let found = acting
        .suggest_articles(&text, q.lang, q.limit.unwrap_or(5))
        .await?;
    Ok(items(found))
}

async fn article(Caller { acting, .. }: Caller, Id(id): Id<ArticleId>) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.article(id).await?)))
}

#[derive(Deserialize)]
struct VoteBody {
    helpful: bool,
}

/// The caller's vote: their first counts, a changed one moves, the same again changes
/// nothing; the system is refused (403), having no vote.
async fn vote(
    Caller { acting, .. }: Caller,
    Id(id): Id<ArticleId>,
    Body(body): Body<VoteBody>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.vote_article(id, body.helpful).await?)))
}

/// The caller's own vote on an article they may read: `helpful` is `null` before they vote.
async fn my_vote(Caller { acting, .. }: Caller, Id(id): Id<ArticleId>) -> ApiResult<Json<Value>> {
    acting.article(id).await?;
    let mine = acting.article_votes(&[id]).await?;
    let helpful = mine.first().map(|(_, helpful)| *helpful);
    Ok(Json(json!({"article": id, "helpful": helpful})))
}
