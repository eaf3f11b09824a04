//! The knowledge base: search articles, suggest some for a ticket being written, read one,
//! write, rewrite and delete one (agents), vote whether it helped (one vote per person,
//! changeable), and read one's own vote; the stored categories articles are filed in, listed
//! (anyone) and added, renamed and deleted (admins).

use axum::Json;
use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use helpdesk::domain::{
    ArticleId, ArticleStatus, ArticleTitle, Category, Language, MessageBody, Visibility,
};
use helpdesk::service::ArticleDraft;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::{created, items};
use crate::api::openapi::answers::{DirectoryWrite, NotFound, Unsupported};
use crate::api::openapi::directory::{
    Article, ArticleList, CategoryList, CategoryRenamed, StoredCategory,
};
use crate::api::openapi::model;
use crate::api::openapi::params::{ArticlePath, CategoryPath};
use crate::api::openapi::views::MyVote;
use crate::error::{ApiResult, Body, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The knowledge-base routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/kb/articles", get(search_articles).post(create_article))
        .route(
            "/kb/articles/{article}",
            get(article).put(update_article).delete(delete_article),
        )
        .route("/kb/articles/{article}/votes", post(vote))
        .route("/kb/articles/{article}/votes/mine", get(my_vote))
        .route("/kb/suggest", get(suggest))
        .route("/kb/categories", get(categories).post(create_category))
        .route(
            "/kb/categories/{category}",
            put(rename_category).delete(delete_category),
        )
}

/// The query of the article search and suggestions.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ArticleQuery {
    /// The words searched for.
    q: Option<String>,
    /// The text of a ticket being written (suggestions; `q` otherwise).
    text: Option<String>,
    /// Only articles in this language.
    #[param(value_type = Option<model::Language>)]
    lang: Option<Language>,
    /// Without `lang`: articles in this language (the reader's) first, then those in the
    /// others.
    #[param(value_type = Option<model::Language>)]
    prefer: Option<Language>,
    /// At most this many (default 20 for a search or a list, 5 for suggestions).
    limit: Option<u32>,
    /// Without `q`: only the articles of this category (staff's list).
    #[param(value_type = Option<String>, min_length = 1, max_length = 64)]
    category: Option<Category>,
}

/// Searches articles.
#[utoipa::path(get, path = "/api/v1/kb/articles", tag = "knowledge base",
    summary = "Search articles (`q`, `lang` or `prefer`, `limit`); without `q`, every article, of a `category` if given, most recently updated first (staff)",
    params(ArticleQuery),
    responses((status = 200, description = "the articles", body = ArticleList), Unsupported))]
pub(crate) async fn search_articles(
    Caller { acting, .. }: Caller,
    Query(q): Query<ArticleQuery>,
) -> ApiResult<Json<Value>> {
    let Some(query) = q.q else {
        let listed = acting
            .list_articles(q.category.as_ref(), q.limit.unwrap_or(20))
            .await?;
        return Ok(items(listed));
    };
    let limit = q.limit.unwrap_or(20);
    let found = match (q.lang, q.prefer) {
        (None, Some(reader)) => acting.search_articles_in(&query, reader, limit).await?,
        (lang, _) => acting.search_articles(&query, lang, limit).await?,
    };
    Ok(items(found))
}

/// The body of `POST /kb/articles` (agents).
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewArticle {
    /// The title (1–255 characters).
    #[schema(value_type = String, min_length = 1, max_length = 255)]
    pub title: ArticleTitle,
    /// The text.
    #[schema(value_type = String, min_length = 1, max_length = 100000)]
    pub body: MessageBody,
    /// The section: a stored category (1–64 characters; see `GET /kb/categories`).
    #[schema(value_type = String, min_length = 1, max_length = 64)]
    pub category: Category,
    /// Its language.
    #[schema(value_type = model::Language)]
    pub language: Language,
    /// `published` (default) or `draft`.
    #[schema(value_type = Option<model::ArticleStatus>)]
    pub status: Option<ArticleStatus>,
    /// `public` (default) or `internal`.
    #[schema(value_type = Option<model::Visibility>)]
    pub visibility: Option<Visibility>,
}

/// Writes an article.
#[utoipa::path(post, path = "/api/v1/kb/articles", tag = "knowledge base",
    summary = "Write an article (agents)",
    request_body = NewArticle,
    responses((status = 201, description = "the article", body = Article), Unsupported))]
pub(crate) async fn create_article(
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

/// Suggests articles for a ticket being written.
#[utoipa::path(get, path = "/api/v1/kb/suggest", tag = "knowledge base",
    summary = "Articles for a ticket being written (`text`, `lang` or `prefer`)",
    params(ArticleQuery),
    responses((status = 200, description = "the articles", body = ArticleList), Unsupported))]
pub(crate) async fn suggest(
    Caller { acting, .. }: Caller,
    Query(q): Query<ArticleQuery>,
) -> ApiResult<Json<Value>> {
    let text = q.text.or(q.q).unwrap_or_default();
    let limit = q.limit.unwrap_or(5);
    let found = match (q.lang, q.prefer) {
        (None, Some(reader)) => acting.suggest_articles_in(&text, reader, limit).await?,
        (lang, _) => acting.suggest_articles(&text, lang, limit).await?,
    };
    Ok(items(found))
}

/// An article.
#[utoipa::path(get, path = "/api/v1/kb/articles/{article}", tag = "knowledge base", summary = "An article",
    params(ArticlePath),
    responses((status = 200, description = "the article", body = Article), NotFound, Unsupported))]
pub(crate) async fn article(
    Caller { acting, .. }: Caller,
    Id(id): Id<ArticleId>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.article(id).await?)))
}

/// The body of `POST /kb/articles/{article}/votes`.
#[derive(Deserialize, ToSchema)]
pub(crate) struct VoteBody {
    /// Whether it helped. One vote per person per article: a second replaces the first.
    helpful: bool,
}

/// The caller's vote: their first counts, a changed one moves, the same again changes
/// nothing; the system is refused (403), having no vote.
#[utoipa::path(post, path = "/api/v1/kb/articles/{article}/votes", tag = "knowledge base",
    summary = "Did this article help: the signed-in person's one vote; the article with its counts",
    description = "Customers and agents; a changed vote moves theirs, the same vote again changes nothing; 403 for the system.",
    params(ArticlePath),
    request_body = VoteBody,
    responses((status = 200, description = "the article", body = Article), NotFound, Unsupported))]
pub(crate) async fn vote(
    Caller { acting, .. }: Caller,
    Id(id): Id<ArticleId>,
    Body(body): Body<VoteBody>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.vote_article(id, body.helpful).await?)))
}

/// The caller's own vote on an article they may read: `helpful` is `null` before they vote.
#[utoipa::path(get, path = "/api/v1/kb/articles/{article}/votes/mine", tag = "knowledge base",
    summary = "The signed-in person's own vote on an article (`helpful` null before they vote; 403 for the system)",
    params(ArticlePath),
    responses((status = 200, description = "the vote", body = MyVote), NotFound, Unsupported))]
pub(crate) async fn my_vote(
    Caller { acting, .. }: Caller,
    Id(id): Id<ArticleId>,
) -> ApiResult<Json<Value>> {
    acting.article(id).await?;
    let mine = acting.article_votes(&[id]).await?;
    let helpful = mine.first().map(|(_, helpful)| *helpful);
    Ok(Json(json!({"article": id, "helpful": helpful})))
}

/// Rewrites an article.
#[utoipa::path(put, path = "/api/v1/kb/articles/{article}", tag = "knowledge base",
    summary = "Rewrite an article: the same fields as writing one, `status` and `visibility` left out stay; its votes stay (agents)",
    params(ArticlePath),
    request_body = NewArticle,
    responses((status = 200, description = "the article", body = Article), NotFound, Unsupported))]
pub(crate) async fn update_article(
    Caller { acting, .. }: Caller,
    Id(id): Id<ArticleId>,
    Body(new): Body<NewArticle>,
) -> ApiResult<Json<Value>> {
    let old = acting.article(id).await?;
    let draft = ArticleDraft {
        title: new.title,
        body: new.body,
        category: new.category,
        language: new.language,
        status: new.status.unwrap_or(old.status),
        visibility: new.visibility.unwrap_or(old.visibility),
    };
    Ok(Json(json!(acting.update_article(id, draft).await?)))
}

/// Deletes an article.
#[utoipa::path(delete, path = "/api/v1/kb/articles/{article}", tag = "knowledge base",
    summary = "Delete an article with its votes (agents)",
    params(ArticlePath),
    responses((status = 204, description = "deleted"), NotFound, Unsupported))]
pub(crate) async fn delete_article(
    Caller { acting, .. }: Caller,
    Id(id): Id<ArticleId>,
) -> ApiResult<StatusCode> {
    acting.delete_article(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A category's name from the path, validated.
fn category(raw: &str) -> ApiResult<Category> {
    Ok(Category::parse(raw).map_err(helpdesk::Error::from)?)
}

/// The stored categories.
#[utoipa::path(get, path = "/api/v1/kb/categories", tag = "knowledge base",
    summary = "The categories articles may be filed in, by name",
    responses((status = 200, description = "the categories", body = CategoryList), Unsupported))]
pub(crate) async fn categories(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(items(acting.article_categories().await?))
}

/// The body of `POST /kb/categories` and `PUT /kb/categories/{category}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CategoryBody {
    /// The category's (new) name (1–64 characters).
    #[schema(value_type = String, min_length = 1, max_length = 64)]
    name: Category,
}

/// Adds a category.
#[utoipa::path(post, path = "/api/v1/kb/categories", tag = "knowledge base",
    summary = "Add a category articles may be filed in; 409 when it is stored already (admins)",
    request_body = CategoryBody,
    responses((status = 201, description = "the category", body = StoredCategory), DirectoryWrite, Unsupported))]
pub(crate) async fn create_category(
    Caller { acting, .. }: Caller,
    Body(body): Body<CategoryBody>,
) -> ApiResult<Response> {
    let category = acting.create_article_category(body.name).await?;
    Ok(created(json!({"name": category})))
}

/// Renames a category.
#[utoipa::path(put, path = "/api/v1/kb/categories/{category}", tag = "knowledge base",
    summary = "Rename a category; its articles move with it; 409 when the new name is taken (admins)",
    params(CategoryPath),
    request_body = CategoryBody,
    responses((status = 200, description = "the category renamed", body = CategoryRenamed), DirectoryWrite, Unsupported))]
pub(crate) async fn rename_category(
    Caller { acting, .. }: Caller,
    Path(raw): Path<String>,
    Body(body): Body<CategoryBody>,
) -> ApiResult<Json<Value>> {
    let from = category(&raw)?;
    let moved = acting
        .rename_article_category(&from, body.name.clone())
        .await?;
    Ok(Json(json!({"name": body.name, "moved": moved})))
}

/// Deletes a category.
#[utoipa::path(delete, path = "/api/v1/kb/categories/{category}", tag = "knowledge base",
    summary = "Delete a category no article is filed in; 409 while articles are (admins)",
    params(CategoryPath),
    responses((status = 204, description = "deleted"), DirectoryWrite, Unsupported))]
pub(crate) async fn delete_category(
    Caller { acting, .. }: Caller,
    Path(raw): Path<String>,
) -> ApiResult<StatusCode> {
    acting.delete_article_category(&category(&raw)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
