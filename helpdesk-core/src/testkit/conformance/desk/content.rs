//! Content settings through the desk: admins edit and delete ticket templates, staff edit
//! and delete canned responses, and nobody else; articles are filed only in stored
//! categories, which admins add, rename (moving their articles) and delete when unused; and
//! every change of a template, canned response or category is in the settings audit.

use std::sync::Arc;

use crate::domain::{
    Actor, ArticleStatus, CannedResponse, Category, FieldKey, Language, Priority, TicketTemplate,
    TicketType, Visibility,
};
use crate::error::{ConflictKind, Entity, Error};
use crate::service::TemplateDraft;
use crate::store::{ChangedSetting, Store};
use crate::testkit::samples::name;
use crate::testkit::{Fixture, ability, body};

use super::knowledge::draft;

fn template_draft(f: &Fixture, label: &str) -> TemplateDraft {
    TemplateDraft {
        name: name(label),
        ticket_type: TicketType::custom("line-down").unwrap(),
        subject_prefix: Some(name("Нет связи")),
        department: f.support.id,
        priority: Some(Priority::High),
        categories: Default::default(),
        required_fields: vec![FieldKey::parse("address").unwrap()],
        body: body("Адрес: …"),
    }
}

fn forbidden<T: std::fmt::Debug>(r: crate::Result<T>) {
    assert!(matches!(r, Err(Error::Forbidden { .. })), "{r:?}");
}

pub async fn templates_and_canned_responses_are_edited_and_deleted_by_those_allowed(
    store: Arc<dyn Store>,
) {
    if ability(store.as_template_store(), "templates and canned responses").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    let ivan = f.as_agent(&f.ivan).await;
    let ana = f.as_customer(&f.ana).await;
    let made = admin
        .create_template(template_draft(&f, "Line down"))
        .await
        .unwrap();
    f.tick(5);
    // Agents may not edit or delete templates; admins may, and the creation instant stays.
    forbidden(ivan.update_template(made.id, template_draft(&f, "x")).await);
    forbidden(ivan.delete_template(made.id).await);
    let mut changed = template_draft(&f, "Линия не работает");
    changed.department = f.billing.id;
    changed.priority = None;
    changed.required_fields = Vec::new();
    let edited = admin.update_template(made.id, changed).await.unwrap();
    assert_eq!(edited.created_at, made.created_at);
    assert_eq!(edited.department, f.billing.id);
    assert_eq!(admin.template(made.id).await.unwrap(), edited);
    // An unknown department is refused, and nothing changes.
    let mut nowhere = template_draft(&f, "Nowhere");
    nowhere.department = crate::domain::DepartmentId::new();
    assert!(matches!(
        admin.update_template(made.id, nowhere).await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(admin.template(made.id).await.unwrap(), edited);
    admin.delete_template(made.id).await.unwrap();
    assert!(matches!(
        admin.delete_template(made.id).await,
        Err(Error::NotFound {
            entity: Entity::Template,
            ..
        })
    ));
    assert!(admin.templates().await.unwrap().is_empty());

    // Canned responses: staff edit and delete them, customers may not.
    let reply = ivan
        .create_canned_response(
            None,
            name("Greeting"),
            Language::Romanian,
            body("Bună ziua, {{customer_name}}"),
        )
        .await
        .unwrap();
    forbidden(
        ana.update_canned_response(reply.id, None, name("x"), Language::English, body("x"))
            .await,
    );
    forbidden(ana.delete_canned_response(reply.id).await);
    // An unknown placeholder is refused, and nothing changes.
    assert!(matches!(
        ivan.update_canned_response(
            reply.id,
            None,
            name("Greeting"),
            Language::Romanian,
            body("{{password}}")
        )
        .await,
        Err(Error::Validation(_))
    ));
    assert_eq!(ivan.canned_response(reply.id).await.unwrap(), reply);
    let edited = ivan
        .update_canned_response(
            reply.id,
            Some(f.support.id),
            name("Здравствуйте"),
            Language::Russian,
            body("Здравствуйте, {{customer_name}}"),
        )
        .await
        .unwrap();
    assert_eq!(edited.created_at, reply.created_at);
    assert_eq!(
        ivan.canned_responses(Some(f.support.id), Some(Language::Russian))
            .await
            .unwrap(),
        [edited]
    );
    ivan.delete_canned_response(reply.id).await.unwrap();
    assert!(matches!(
        ivan.canned_response(reply.id).await,
        Err(Error::NotFound {
            entity: Entity::CannedResponse,
            ..
        })
    ));
    assert!(matches!(
        ivan.delete_canned_response(reply.id).await,
        Err(Error::NotFound { .. })
    ));
}

pub async fn articles_need_a_stored_category_and_categories_in_use_stay(store: Arc<dyn Store>) {
    use ArticleStatus::Published;
    use Visibility::Public;
    if ability(store.as_knowledge_store(), "the knowledge base").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    let ivan = f.as_agent(&f.ivan).await;
    let ana = f.as_customer(&f.ana).await;
    let faq = Category::parse("faq").unwrap();
    // Articles need a stored category: nothing is written without one.
    let router = draft("Router", "Unplug it.", Language::English, Published, Public);
    assert!(matches!(
        ivan.create_article(router.clone()).await,
        Err(Error::Validation(v)) if v.field() == "category"
    ));
    assert!(
        ivan.search_articles("router", None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Only admins manage categories.
    forbidden(ivan.create_article_category(faq.clone()).await);
    admin.create_article_category(faq.clone()).await.unwrap();
    assert!(matches!(
        admin.create_article_category(faq.clone()).await,
        Err(Error::Conflict {
            kind: ConflictKind::Duplicate { .. },
            ..
        })
    ));
    assert_eq!(
        ana.article_categories().await.unwrap(),
        std::slice::from_ref(&faq)
    );
    let article = ivan.create_article(router).await.unwrap();
    // Staff list every article, of a category or all; customers search instead.
    assert_eq!(
        ivan.list_articles(Some(&faq), 10).await.unwrap(),
        std::slice::from_ref(&article)
    );
    assert_eq!(
        ivan.list_articles(None, 10).await.unwrap(),
        std::slice::from_ref(&article)
    );
    forbidden(ana.list_articles(None, 10).await);
    // A category in use is not deleted; renaming moves its articles.
    forbidden(ivan.delete_article_category(&faq).await);
    assert!(matches!(
        admin.delete_article_category(&faq).await,
        Err(Error::Conflict {
            entity: Entity::Category,
            kind: ConflictKind::InUse {
                by: Entity::Article,
                count: 1
            }
        })
    ));
    let help = Category::parse("Помощь").unwrap();
    forbidden(ivan.rename_article_category(&faq, help.clone()).await);
    assert_eq!(
        admin
            .rename_article_category(&faq, help.clone())
            .await
            .unwrap(),
        1
    );
    assert_eq!(ivan.article(article.id).await.unwrap().category, help);
    // A rewrite into a category no longer stored is refused.
    let stale = draft("Router", "Again.", Language::English, Published, Public);
    assert!(matches!(
        ivan.update_article(article.id, stale).await,
        Err(Error::Validation(_))
    ));
    // Deleting: customers may not; staff may, and then the category may go.
    forbidden(ana.delete_article(article.id).await);
    ivan.delete_article(article.id).await.unwrap();
    assert!(matches!(
        ivan.article(article.id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        ivan.delete_article(article.id).await,
        Err(Error::NotFound { .. })
    ));
    admin.delete_article_category(&help).await.unwrap();
    assert!(admin.article_categories().await.unwrap().is_empty());
}

pub async fn template_canned_response_and_category_changes_are_audited(store: Arc<dyn Store>) {
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    let ivan = f.as_agent(&f.ivan).await;
    let made = admin
        .create_template(template_draft(&f, "Line down"))
        .await
        .unwrap();
    f.tick(60);
    let edited = admin
        .update_template(made.id, template_draft(&f, "Линия не работает"))
        .await
        .unwrap();
    admin.delete_template(made.id).await.unwrap();
    // A refused or failing change is not audited.
    forbidden(ivan.delete_template(edited.id).await);
    assert!(matches!(
        admin.delete_template(made.id).await,
        Err(Error::NotFound { .. })
    ));
    let reply = ivan
        .create_canned_response(
            None,
            name("Greeting"),
            Language::Romanian,
            body("Bună ziua"),
        )
        .await
        .unwrap();
    ivan.delete_canned_response(reply.id).await.unwrap();
    let faq = Category::parse("FAQ").unwrap();
    let help = Category::parse("Помощь").unwrap();
    admin.create_article_category(faq.clone()).await.unwrap();
    assert!(admin.create_article_category(faq.clone()).await.is_err());
    // Renaming to its own name changes nothing.
    assert_eq!(
        admin
            .rename_article_category(&faq, faq.clone())
            .await
            .unwrap(),
        0
    );
    admin
        .rename_article_category(&faq, help.clone())
        .await
        .unwrap();
    admin.delete_article_category(&help).await.unwrap();

    let changes = admin.setting_changes(50).await.unwrap();
    let seen: Vec<_> = changes
        .iter()
        .rev()
        .map(|c| (c.key, c.item.clone(), c.before.is_some(), c.after.is_some()))
        .collect();
    let (t, r) = (Some(made.id.to_string()), Some(reply.id.to_string()));
    let (faq_name, help_name) = (Some("FAQ".to_owned()), Some("Помощь".to_owned()));
    use ChangedSetting as K;
    assert_eq!(
        seen,
        vec![
            (K::Template, t.clone(), false, true),
            (K::Template, t.clone(), true, true),
            (K::Template, t, true, false),
            (K::CannedResponse, r.clone(), false, true),
            (K::CannedResponse, r, true, false),
            (K::ArticleCategory, faq_name.clone(), false, true),
            (K::ArticleCategory, faq_name.clone(), true, true),
            (K::ArticleCategory, help_name, true, false),
        ]
    );
    // Who and when, and the values before and after as JSON (or the category's name).
    let template_changes: Vec<_> = changes.iter().rev().take(3).collect();
    assert!(
        template_changes
            .iter()
            .all(|c| c.actor == Actor::Agent(f.admin.id))
    );
    assert_eq!(template_changes[0].at, made.created_at);
    assert_eq!(
        template_changes[1].at,
        made.created_at + chrono::Duration::seconds(60)
    );
    let json = |s: &Option<String>| -> TicketTemplate {
        serde_json::from_str(s.as_deref().unwrap()).unwrap()
    };
    assert_eq!(json(&template_changes[0].after), made);
    assert_eq!(json(&template_changes[1].before), made);
    assert_eq!(json(&template_changes[1].after), edited);
    assert_eq!(json(&template_changes[2].before), edited);
    let reply_change = &changes[changes.len() - 4];
    assert_eq!(reply_change.actor, Actor::Agent(f.ivan.id));
    let stored: CannedResponse =
        serde_json::from_str(reply_change.after.as_deref().unwrap()).unwrap();
    assert_eq!(stored, reply);
    let rename = &changes[1];
    assert_eq!(rename.item, faq_name);
    assert_eq!(
        (rename.before.as_deref(), rename.after.as_deref()),
        (Some("FAQ"), Some("Помощь"))
    );
}
