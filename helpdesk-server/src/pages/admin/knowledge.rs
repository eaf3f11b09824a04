//! `/admin/knowledge`: the knowledge base's stored categories (added, renamed with their
//! articles, deleted after a confirmation when no article is filed in them) and its
//! articles, every one listed (drafts and internal ones too), written, edited
//! (`?article=` fills the form with one) and deleted after a confirmation.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query};
use axum::routing::{get, post};
use helpdesk::domain::{
    Article, ArticleId, ArticleStatus, ArticleTitle, Category, Language, MessageBody, Visibility,
};
use helpdesk::service::ArticleDraft;
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageError, PageResult, see_other};
use super::form::{
    Kept, Refused, admin_page, admins_only, confirmed, delete_form, field, post_form, refused,
    text_field,
};
use super::levels::encoded;
use super::templates::language_name;
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The most articles the page lists.
const LISTED: u32 = 500;

/// The knowledge-base routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/knowledge", get(knowledge))
        .route("/admin/knowledge/categories", post(add_category))
        .route("/admin/knowledge/categories/rename", post(rename_category))
        .route("/admin/knowledge/categories/delete", post(delete_category))
        .route("/admin/knowledge/articles", post(create_article))
        .route("/admin/knowledge/articles/{id}", post(update_article))
        .route(
            "/admin/knowledge/articles/{id}/delete",
            post(delete_article),
        )
}

async fn knowledge(user: PageUser, Query(query): Query<HashMap<String, String>>) -> PageResult {
    let editing = query.get("article").and_then(|id| id.parse().ok());
    page(&user, None, editing).await
}

/// The word of an article's status.
fn status_word(lang: Language, status: ArticleStatus) -> &'static str {
    match status {
        ArticleStatus::Draft => t(lang, "admin_draft"),
        ArticleStatus::Published => t(lang, "admin_published"),
    }
}

/// The word of an article's visibility.
fn visibility_word(lang: Language, visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Public => t(lang, "admin_public"),
        Visibility::Internal => t(lang, "admin_internal"),
    }
}

/// The page, with `refused` shown inline and the article form on `editing`.
async fn page(
    user: &PageUser,
    refused: Option<&Refused>,
    editing: Option<ArticleId>,
) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let categories = user.acting.article_categories().await?;
    let articles = user.acting.list_articles(None, LISTED).await?;
    let edited = editing.and_then(|id| articles.iter().find(|a| a.id == id));
    let body = html! {
        h2 { (t(lang, "admin_categories")) }
        p.meta { (t(lang, "admin_category_hint")) }
        @if categories.is_empty() { p.meta { (t(lang, "admin_none_yet")) } }
        @for c in &categories {
            @let key = encoded(c.as_str());
            section.card {
                h3 { (c) }
                (post_form(user, &format!("rename-category-{key}"), "/admin/knowledge/categories/rename", html! {
                    (kept.error(&format!("rename-category-{key}"), lang))
                    input type="hidden" name="from" value=(c.as_str());
                    (text_field(t(lang, "admin_new_name"), "name", &kept.value(&format!("rename-category-{key}"), "name", c.as_str()), true))
                    " " button { (t(lang, "admin_rename")) }
                }))
                (delete_category_form(user, kept, c))
            }
        }
        h3 { (t(lang, "admin_new_category")) }
        (post_form(user, "category", "/admin/knowledge/categories", html! {
            (kept.error("category", lang))
            (text_field(t(lang, "admin_name"), "name", &kept.value("category", "name", ""), true))
            " " button { (t(lang, "admin_add")) }
        }))
        h2 { (t(lang, "admin_articles")) }
        @if articles.is_empty() { p.meta { (t(lang, "admin_none_yet")) } }
        @for a in &articles {
            section.card {
                h3 { (a.title.as_str()) }
                p.meta {
                    (a.category) " · " (language_name(a.language)) " · " (status_word(lang, a.status))
                    " · " (visibility_word(lang, a.visibility)) " · " (t(lang, "admin_votes")) " " (a.helpful) " / " (a.not_helpful)
                }
                p { a href={ "/admin/knowledge?article=" (a.id) "#article" } { (t(lang, "admin_edit")) } }
                (delete_form(user, kept, &format!("delete-article-{}", a.id), &format!("/admin/knowledge/articles/{}/delete", a.id)))
            }
        }
        h3 { (t(lang, if edited.is_some() { "admin_edit_article" } else { "admin_new_article" })) }
        @if categories.is_empty() {
            p.meta { (t(lang, "admin_no_categories")) }
        } @else {
            (article_form(user, kept, &categories, edited))
        }
    };
    admin_page(user, "admin_knowledge", refused, body)
}

/// The delete form of a category, with its name hidden.
fn delete_category_form(user: &PageUser, kept: Kept<'_>, category: &Category) -> Markup {
    let lang = user.language;
    let id = format!("delete-category-{}", encoded(category.as_str()));
    post_form(
        user,
        &id,
        "/admin/knowledge/categories/delete",
        html! {
            (kept.error(&id, lang))
            input type="hidden" name="name" value=(category.as_str());
            label.tick { input type="checkbox" name="confirm" value="on" required; " " (t(lang, "admin_confirm_delete")) }
            " " button { (t(lang, "admin_delete")) }
        },
    )
}

/// The form of an article: a new one, or `editing`.
fn article_form(
    user: &PageUser,
    kept: Kept<'_>,
    categories: &[Category],
    editing: Option<&Article>,
) -> Markup {
    let lang = user.language;
    let id = "article";
    let action = editing.map_or_else(
        || "/admin/knowledge/articles".to_owned(),
        |e| format!("/admin/knowledge/articles/{}", e.id),
    );
    let now = |f: fn(&Article) -> String| editing.map(f).unwrap_or_default();
    let language = kept.value(id, "language", editing.map_or(lang, |e| e.language).code());
    let category = kept.value(id, "category", now(|e| e.category.to_string()));
    let status = kept.value(
        id,
        "status",
        editing.map_or("published", |e| e.status.as_str()),
    );
    let visibility = kept.value(
        id,
        "visibility",
        editing.map_or("public", |e| e.visibility.as_str()),
    );
    post_form(
        user,
        id,
        &action,
        html! {
            (kept.error(id, lang))
            (text_field(t(lang, "admin_title"), "title", &kept.value(id, "title", now(|e| e.title.as_str().to_owned())), true))
            label { (t(lang, "admin_category")) " "
                select name="category" {
                    @for c in categories {
                        option value=(c.as_str()) selected[c.as_str() == category] { (c) }
                    }
                }
            }
            label { (t(lang, "admin_language")) " "
                select name="language" {
                    @for l in Language::ALL {
                        option value=(l.code()) selected[l.code() == language] { (language_name(l)) }
                    }
                }
            }
            label { (t(lang, "admin_status")) " "
                select name="status" {
                    @for s in [ArticleStatus::Published, ArticleStatus::Draft] {
                        option value=(s.as_str()) selected[s.as_str() == status] { (status_word(lang, s)) }
                    }
                }
            }
            label { (t(lang, "admin_visibility")) " "
                select name="visibility" {
                    @for v in [Visibility::Public, Visibility::Internal] {
                        option value=(v.as_str()) selected[v.as_str() == visibility] { (visibility_word(lang, v)) }
                    }
                }
            }
            label { (t(lang, "admin_body")) " " textarea name="body" required { (kept.value(id, "body", now(|e| e.body.as_str().to_owned()))) } }
            button { (t(lang, if editing.is_some() { "admin_save" } else { "admin_add" })) }
        },
    )
}

/// The article a form describes.
fn draft_of(form: &HashMap<String, String>) -> Result<ArticleDraft, ApiError> {
    Ok(ArticleDraft {
        title: ArticleTitle::parse(field(form, "title"))?,
        body: MessageBody::parse(field(form, "body"))?,
        category: Category::parse(field(form, "category"))?,
        language: parse(field(form, "language"))?,
        status: parse(field(form, "status"))?,
        visibility: parse(field(form, "visibility"))?,
    })
}

/// The article id in the address, or the error page (400) for a malformed one.
fn article_id(raw: &str) -> Result<ArticleId, PageError> {
    Ok(parse(raw)?)
}

/// Adds a category.
async fn add_category(Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> = async {
        let name = Category::parse(field(&form, "name"))?;
        Ok(user.acting.create_article_category(name).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/knowledge")),
        Err(e) => page(&user, Some(&refused(e, "category", form)?), None).await,
    }
}

/// Renames a category, moving its articles.
async fn rename_category(Posted { user, form }: Posted) -> PageResult {
    let from = field(&form, "from").to_owned();
    let result: Result<_, ApiError> = async {
        let old = Category::parse(&from)?;
        let new = Category::parse(field(&form, "name"))?;
        Ok(user.acting.rename_article_category(&old, new).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/knowledge")),
        Err(e) => {
            let id = format!("rename-category-{}", encoded(&from));
            page(&user, Some(&refused(e, id, form)?), None).await
        }
    }
}

/// Deletes a category no article is filed in, once confirmed.
async fn delete_category(Posted { user, form }: Posted) -> PageResult {
    let name = field(&form, "name").to_owned();
    let id = format!("delete-category-{}", encoded(&name));
    if let Err(refusal) = confirmed(user.language, &id, &form) {
        return page(&user, Some(&refusal), None).await;
    }
    let result: Result<_, ApiError> = async {
        let category = Category::parse(&name)?;
        Ok(user.acting.delete_article_category(&category).await?)
    }
    .await;
    match result {
        Ok(()) => Ok(see_other("/admin/knowledge")),
        Err(e) => page(&user, Some(&refused(e, id, form)?), None).await,
    }
}

/// Writes an article.
async fn create_article(Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> = async {
        let draft = draft_of(&form)?;
        Ok(user.acting.create_article(draft).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/knowledge")),
        Err(e) => page(&user, Some(&refused(e, "article", form)?), None).await,
    }
}

/// Rewrites an article, keeping its votes.
async fn update_article(Path(raw): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id = article_id(&raw)?;
    let result: Result<_, ApiError> = async {
        let draft = draft_of(&form)?;
        Ok(user.acting.update_article(id, draft).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/knowledge")),
        Err(e) => page(&user, Some(&refused(e, "article", form)?), Some(id)).await,
    }
}

/// Deletes an article with its votes, once confirmed.
async fn delete_article(Path(raw): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id = article_id(&raw)?;
    if let Err(refusal) = confirmed(user.language, &format!("delete-article-{id}"), &form) {
        return page(&user, Some(&refusal), None).await;
    }
    user.acting.delete_article(id).await?;
    Ok(see_other("/admin/knowledge"))
}
