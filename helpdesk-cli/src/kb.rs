//! `kb …`: the knowledge base. Anyone searches and reads (customers published public
//! articles only); agents list every article, write, rewrite and delete them; admins add, rename and delete
//! the categories articles are filed in. The library checks who may.

use helpdesk::domain::{Article, ArticleTitle, Category, MessageBody};
use helpdesk::service::ArticleDraft;
use serde_json::json;

use crate::CliResult;
use crate::admin_args::{KbCategoryCmd, KbCmd};
use crate::content::deleted;
use crate::context::Ctx;
use crate::output::Out;

/// `kb …`.
pub(crate) async fn kb(ctx: &Ctx, cmd: KbCmd, out: &mut Out<'_>) -> CliResult {
    match cmd {
        KbCmd::Search {
            query,
            lang,
            prefer,
            limit,
        } => {
            let found = match prefer {
                Some(reader) => ctx.acting.search_articles_in(&query, reader, limit).await?,
                None => ctx.acting.search_articles(&query, lang, limit).await?,
            };
            let text: String = found.iter().map(article_line).collect();
            out.value(&json!(found), &text)
        }
        KbCmd::List { category, limit } => {
            let category = category.as_deref().map(Category::parse).transpose()?;
            let listed = ctx.acting.list_articles(category.as_ref(), limit).await?;
            let text: String = listed.iter().map(article_line).collect();
            out.value(&json!(listed), &text)
        }
        KbCmd::Show { article } => {
            let a = ctx.acting.article(article).await?;
            shown(out, &a)
        }
        KbCmd::Add {
            title,
            body,
            category,
            language,
            status,
            visibility,
        } => {
            let draft = ArticleDraft {
                title: ArticleTitle::parse(&title)?,
                body: MessageBody::parse(&body)?,
                category: Category::parse(&category)?,
                language,
                status,
                visibility,
            };
            let a = ctx.acting.create_article(draft).await?;
            shown(out, &a)
        }
        KbCmd::Edit {
            article,
            title,
            body,
            category,
            language,
            status,
            visibility,
        } => {
            let old = ctx.acting.article(article).await?;
            let draft = ArticleDraft {
                title: match title {
                    Some(t) => ArticleTitle::parse(&t)?,
                    None => old.title,
                },
                body: match body {
                    Some(b) => MessageBody::parse(&b)?,
                    None => old.body,
                },
                category: match category {
                    Some(c) => Category::parse(&c)?,
                    None => old.category,
                },
                language: language.unwrap_or(old.language),
                status: status.unwrap_or(old.status),
                visibility: visibility.unwrap_or(old.visibility),
            };
            let a = ctx.acting.update_article(article, draft).await?;
            shown(out, &a)
        }
        KbCmd::Delete { article } => {
            ctx.acting.delete_article(article).await?;
            deleted(out, article)
        }
        KbCmd::Category(cmd) => category(ctx, cmd, out).await,
    }
}

/// `kb category …`: a change, then the list (a rename says how many articles moved).
async fn category(ctx: &Ctx, cmd: KbCategoryCmd, out: &mut Out<'_>) -> CliResult {
    match cmd {
        KbCategoryCmd::List => {}
        KbCategoryCmd::Add { name } => {
            ctx.acting
                .create_article_category(Category::parse(&name)?)
                .await?;
        }
        KbCategoryCmd::Rename { from, to } => {
            let to = Category::parse(&to)?;
            let moved = ctx
                .acting
                .rename_article_category(&Category::parse(&from)?, to.clone())
                .await?;
            return out.value(
                &json!({"name": to, "moved": moved}),
                &format!("renamed {from} to {to}; {moved} article(s) moved\n"),
            );
        }
        KbCategoryCmd::Delete { name } => {
            ctx.acting
                .delete_article_category(&Category::parse(&name)?)
                .await?;
            return deleted(out, name);
        }
    }
    let categories = ctx.acting.article_categories().await?;
    let text: String = categories.iter().map(|c| format!("{c}\n")).collect();
    out.value(&json!(categories), &text)
}

/// An article as a line: id, language, status, category and title.
fn article_line(a: &Article) -> String {
    format!(
        "{}  {}  {}  {}  {}\n",
        a.id.as_uuid(),
        a.language.code(),
        a.status.as_str(),
        a.category,
        a.title.as_str()
    )
}

/// An article whole: its line, its votes, then its text.
fn shown(out: &mut Out<'_>, a: &Article) -> CliResult {
    let text = format!(
        "{}helpful {} · not helpful {} · {}\n\n{}\n",
        article_line(a),
        a.helpful,
        a.not_helpful,
        a.visibility.as_str(),
        a.body.as_str()
    );
    out.value(&json!(a), &text)
}
