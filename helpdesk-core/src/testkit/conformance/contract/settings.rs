//! The desk's settings ([`SettingsStore`]): every key's value read back exactly as written,
//! replaced, and deleted once, like the reference; and every audited write (a setting, a
//! template, a canned response, a knowledge-base category) committed with its audit entry or,
//! when it fails, with neither.

use std::sync::Arc;

use chrono::Duration;

use super::knowledge::articles;
use super::same_outcome;
use super::templates::{canned, template};
use crate::domain::{Actor, Category, DepartmentId, Language, TemplateId};
use crate::store::{
    ChangedSetting, KnowledgeStore, MemoryStore, SettingChange, SettingKey, SettingWrite,
    SettingsStore, Store,
};
use crate::testkit::ability;
use crate::testkit::samples::{name, t0};

pub async fn settings_round_trip_replace_and_delete_like_the_reference(store: Arc<dyn Store>) {
    let Some(settings) = ability(store.as_settings_store(), "settings") else {
        return;
    };
    let reference = MemoryStore::new();
    // The store keeps text as it is given (the desk validates it): quotes, backslashes,
    // non-ASCII, new lines and long values come back the same.
    let long = format!("https://desk.example/{}/", "a".repeat(1990));
    let values = [
        "https://desk.example/",
        "http://127.0.0.1:8080/it's/\"quoted\"/\\/",
        "https://desk.example/ünïcödé/دسک/пульт/😀\n",
        long.as_str(),
    ];
    for key in SettingKey::ALL {
        let agree = async || {
            let got = settings.setting(key).await.unwrap();
            assert_eq!(got, reference.setting(key).await.unwrap(), "{key}");
            got
        };
        assert_eq!(agree().await, None, "{key} starts unset");
        assert!(!settings.delete_setting(key).await.unwrap());
        for value in values {
            settings.put_setting(key, value).await.unwrap();
            reference.put_setting(key, value).await.unwrap();
            assert_eq!(agree().await.as_deref(), Some(value), "{key}");
        }
        assert!(settings.delete_setting(key).await.unwrap());
        assert!(reference.delete_setting(key).await.unwrap());
        assert_eq!(agree().await, None, "{key} deleted");
        assert!(!settings.delete_setting(key).await.unwrap(), "deleted once");
        settings.put_setting(key, values[0]).await.unwrap();
        reference.put_setting(key, values[0]).await.unwrap();
        assert_eq!(agree().await.as_deref(), Some(values[0]), "{key} set again");
    }
}

/// One audited write and its audit entry, numbered `n` (its item and instant).
fn change(n: i64, key: ChangedSetting) -> SettingChange {
    SettingChange {
        key,
        item: Some(format!("item {n}")),
        actor: Actor::System,
        at: t0() + Duration::minutes(n) + Duration::microseconds(123_456),
        before: (n % 2 == 0).then(|| format!("before {n}")),
        after: Some(format!("after {n} «ü» \"q\"")),
    }
}

pub async fn audited_writes_commit_with_their_change_or_not_at_all(store: Arc<dyn Store>) {
    let Some(settings) = ability(store.as_settings_store(), "settings") else {
        return;
    };
    let templates = store
        .as_template_store()
        .expect("a store that keeps settings keeps templates");
    let kb = store
        .as_knowledge_store()
        .expect("a store that keeps settings keeps knowledge-base categories");
    let reference = MemoryStore::new();
    let support = DepartmentId::new();
    let line = template("Line down", support, 0);
    let mut renamed = line.clone();
    renamed.name = name("Линия не работает");
    let reply = canned("Greeting", Some(support), Language::Persian, 1);
    let cat = |s: &str| Category::parse(s).unwrap();
    use ChangedSetting as K;
    use SettingWrite as W;
    let steps_before_articles = vec![
        (
            W::Value {
                key: SettingKey::PublicUrl,
                value: Some("https://desk.example/".into()),
            },
            K::PublicUrl,
        ),
        (
            W::Value {
                key: SettingKey::PublicUrl,
                value: None,
            },
            K::PublicUrl,
        ),
        (W::PutTemplate(line.clone()), K::Template),
        (W::PutTemplate(renamed.clone()), K::Template),
        (W::PutCannedResponse(reply.clone()), K::CannedResponse),
        (W::DeleteCannedResponse(reply.id), K::CannedResponse),
        // Deleting what is not there fails, and appends nothing.
        (W::DeleteCannedResponse(reply.id), K::CannedResponse),
        (W::DeleteTemplate(TemplateId::new()), K::Template),
        // `articles()` files them in "Общее", "network" and "hardware".
        (W::AddArticleCategory(cat("network")), K::ArticleCategory),
        (W::AddArticleCategory(cat("Общее")), K::ArticleCategory),
        (W::AddArticleCategory(cat("hardware")), K::ArticleCategory),
        (W::AddArticleCategory(cat("network")), K::ArticleCategory),
        (W::AddArticleCategory(cat("Zzz")), K::ArticleCategory),
    ];
    let steps_after_articles = vec![
        (W::DeleteArticleCategory(cat("network")), K::ArticleCategory),
        (
            W::RenameArticleCategory {
                from: cat("network"),
                to: cat("Сеть"),
            },
            K::ArticleCategory,
        ),
        (
            W::RenameArticleCategory {
                from: cat("hardware"),
                to: cat("Сеть"),
            },
            K::ArticleCategory,
        ),
        (
            W::RenameArticleCategory {
                from: cat("gone"),
                to: cat("here"),
            },
            K::ArticleCategory,
        ),
        (W::DeleteArticleCategory(cat("Zzz")), K::ArticleCategory),
        (W::DeleteArticleCategory(cat("Zzz")), K::ArticleCategory),
    ];
    let mut written = Vec::new();
    let mut n = 0;
    let mut run = async |steps: Vec<(SettingWrite, ChangedSetting)>| {
        for (write, key) in steps {
            n += 1;
            let c = change(n, key);
            let outcome = same_outcome(
                settings.write_audited(&write, &c).await,
                reference.write_audited(&write, &c).await,
            );
            if outcome.is_ok() {
                written.push(c);
            }
        }
    };
    run(steps_before_articles).await;
    let all = articles();
    for a in &all {
        kb.put_article(a).await.unwrap();
        reference.put_article(a).await.unwrap();
    }
    run(steps_after_articles).await;
    // Exactly the changes of the writes that succeeded, newest first, as written.
    written.reverse();
    assert_eq!(written.len(), 12, "{written:#?}");
    assert_eq!(settings.setting_changes(100).await.unwrap(), written);
    assert_eq!(settings.setting_changes(2).await.unwrap(), written[..2]);
    // And what they wrote, as the reference.
    assert_eq!(settings.setting(SettingKey::PublicUrl).await.unwrap(), None);
    assert_eq!(templates.templates().await.unwrap(), vec![renamed]);
    assert!(
        templates
            .canned_responses(None, None)
            .await
            .unwrap()
            .is_empty()
    );
    let categories = kb.article_categories().await.unwrap();
    assert_eq!(categories, reference.article_categories().await.unwrap());
    assert_eq!(categories, vec![cat("hardware"), cat("Общее"), cat("Сеть")]);
    let filed = |list: Vec<crate::domain::Article>| {
        let mut v: Vec<_> = list.into_iter().map(|a| (a.id, a.category)).collect();
        v.sort();
        v
    };
    assert_eq!(
        filed(kb.list_articles(None, 100).await.unwrap()),
        filed(reference.list_articles(None, 100).await.unwrap())
    );
}
