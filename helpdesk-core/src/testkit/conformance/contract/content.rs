//! Content settings kept in the store: ticket templates and canned responses read by id and
//! deleted ([`TemplateStore`]); knowledge-base articles deleted with their votes and search
//! rows, and the stored categories added, renamed with their articles and deleted only when
//! no article is filed in them ([`KnowledgeStore`]), all as the reference does.

use std::sync::Arc;

use crate::domain::{CannedResponseId, Category, DepartmentId, Language, TemplateId};
use crate::error::{ConflictKind, Entity, Error};
use crate::store::{KnowledgeStore, MemoryStore, Store, TemplateStore};
use crate::testkit::ability;

use super::knowledge::{articles, assert_articles_agree, people, vote};
use super::same_outcome;
use super::templates::{canned, template};

pub async fn templates_and_canned_responses_are_read_by_id_and_deleted(store: Arc<dyn Store>) {
    let Some(templates) = ability(store.as_template_store(), "templates and canned responses")
    else {
        return;
    };
    let reference = MemoryStore::new();
    let support = DepartmentId::new();
    let kept = template("Line down", support, 0);
    let gone = template("Billing", support, 1);
    let kept_reply = canned("Greeting", Some(support), Language::Russian, 2);
    let gone_reply = canned("Bye", None, Language::Persian, 3);
    for s in [templates, &reference as &dyn TemplateStore] {
        for t in [&kept, &gone] {
            s.put_template(t).await.unwrap();
        }
        for c in [&kept_reply, &gone_reply] {
            s.put_canned_response(c).await.unwrap();
        }
    }
    assert_eq!(
        templates.canned_response(kept_reply.id).await.unwrap(),
        Some(kept_reply.clone())
    );
    assert_eq!(
        templates
            .canned_response(CannedResponseId::new())
            .await
            .unwrap(),
        None
    );
    assert!(templates.delete_template(gone.id).await.unwrap());
    assert!(!templates.delete_template(gone.id).await.unwrap());
    assert!(!templates.delete_template(TemplateId::new()).await.unwrap());
    assert!(
        templates
            .delete_canned_response(gone_reply.id)
            .await
            .unwrap()
    );
    assert!(
        !templates
            .delete_canned_response(gone_reply.id)
            .await
            .unwrap()
    );
    reference.delete_template(gone.id).await.unwrap();
    reference
        .delete_canned_response(gone_reply.id)
        .await
        .unwrap();
    assert_eq!(templates.template(gone.id).await.unwrap(), None);
    assert_eq!(
        templates.canned_response(gone_reply.id).await.unwrap(),
        None
    );
    assert_eq!(
        templates.templates().await.unwrap(),
        std::slice::from_ref(&kept)
    );
    assert_eq!(
        templates.canned_responses(None, None).await.unwrap(),
        reference.canned_responses(None, None).await.unwrap()
    );
    assert_eq!(
        templates.canned_responses(None, None).await.unwrap(),
        [kept_reply]
    );
}

pub async fn deleted_articles_leave_lists_search_suggestions_and_votes(store: Arc<dyn Store>) {
    let Some(kb) = ability(store.as_knowledge_store(), "the knowledge base") else {
        return;
    };
    let reference = MemoryStore::new();
    let all = articles();
    for a in &all {
        kb.put_article(a).await.unwrap();
        reference.put_article(a).await.unwrap();
    }
    assert_lists_agree(kb, &reference).await;
    let voters = people(2);
    for (i, a) in all.iter().enumerate().take(6) {
        for (j, voter) in voters.iter().enumerate() {
            let v = vote(a.id, *voter, (i + j) % 2 == 0, i as i64);
            kb.vote_article(&v).await.unwrap();
            reference.vote_article(&v).await.unwrap();
        }
    }
    for a in all.iter().step_by(3) {
        assert!(kb.delete_article(a.id).await.unwrap());
        assert!(reference.delete_article(a.id).await.unwrap());
        assert!(!kb.delete_article(a.id).await.unwrap());
        assert_eq!(kb.article(a.id).await.unwrap(), None);
    }
    for a in all.iter().skip(1).step_by(3) {
        assert_eq!(
            kb.article(a.id).await.unwrap(),
            reference.article(a.id).await.unwrap()
        );
    }
    let ids: Vec<_> = all.iter().map(|a| a.id).collect();
    for voter in &voters {
        assert_eq!(
            kb.article_votes(*voter, &ids).await.unwrap(),
            reference.article_votes(*voter, &ids).await.unwrap()
        );
    }
    assert_articles_agree(kb, &reference).await;
    assert_lists_agree(kb, &reference).await;
    // A deleted article takes no vote.
    let late = vote(all[0].id, voters[0], true, 100);
    assert!(matches!(
        kb.vote_article(&late).await,
        Err(Error::NotFound {
            entity: Entity::Article,
            ..
        })
    ));
}

/// Every list of articles, of all and of each category, with room for all and cut short.
async fn assert_lists_agree(kb: &dyn KnowledgeStore, reference: &MemoryStore) {
    let categories = ["Общее", "network", "hardware", "missing"].map(category);
    let filters = std::iter::once(None).chain(categories.iter().map(Some));
    for filter in filters {
        for limit in [0, 1, 3, 100] {
            assert_eq!(
                kb.list_articles(filter, limit).await.unwrap(),
                reference.list_articles(filter, limit).await.unwrap(),
                "{filter:?}, limit {limit}"
            );
        }
    }
}

fn category(name: &str) -> Category {
    Category::parse(name).unwrap()
}

pub async fn categories_are_renamed_with_their_articles_and_deleted_only_when_unused(
    store: Arc<dyn Store>,
) {
    let Some(kb) = ability(store.as_knowledge_store(), "the knowledge base") else {
        return;
    };
    let reference = MemoryStore::new();
    let both = [kb, &reference as &dyn KnowledgeStore];
    assert!(kb.article_categories().await.unwrap().is_empty());
    // `articles()` files them in "Общее", "network" and "hardware".
    for name in ["network", "Общее", "hardware", "Zzz", "شبکه", "network"] {
        same_outcome(
            kb.add_article_category(&category(name)).await,
            reference.add_article_category(&category(name)).await,
        )
        .ok();
    }
    assert!(matches!(
        kb.add_article_category(&category("network")).await,
        Err(Error::Conflict {
            entity: Entity::Category,
            kind: ConflictKind::Duplicate { .. }
        })
    ));
    let all = articles();
    for s in both {
        for a in &all {
            s.put_article(a).await.unwrap();
        }
    }
    let in_network = all
        .iter()
        .filter(|a| a.category.as_str() == "network")
        .count() as u64;
    match kb.delete_article_category(&category("network")).await {
        Err(Error::Conflict {
            entity: Entity::Category,
            kind:
                ConflictKind::InUse {
                    by: Entity::Article,
                    count,
                },
        }) => assert_eq!(count, in_network),
        other => panic!("deleting a category in use gave {other:?}"),
    }
    let steps: [(&str, &str); 6] = [
        ("network", "Сеть"),  // moves its articles
        ("Сеть", "hardware"), // taken
        ("missing", "x"),     // not stored
        ("hardware", "hardware"),
        ("Zzz", "Aaa"), // no article moves
        ("Общее", "general"),
    ];
    for (from, to) in steps {
        let got = kb
            .rename_article_category(&category(from), &category(to))
            .await;
        let want = reference
            .rename_article_category(&category(from), &category(to))
            .await;
        same_outcome(got, want).ok();
        assert_eq!(
            kb.article_categories().await.unwrap(),
            reference.article_categories().await.unwrap(),
            "after renaming {from} to {to}"
        );
    }
    assert_eq!(
        kb.rename_article_category(&category("Сеть"), &category("network"))
            .await
            .unwrap(),
        in_network
    );
    reference
        .rename_article_category(&category("Сеть"), &category("network"))
        .await
        .unwrap();
    for a in &all {
        assert_eq!(
            kb.article(a.id).await.unwrap(),
            reference.article(a.id).await.unwrap()
        );
    }
    for name in ["Aaa", "missing", "network", "شبکه"] {
        same_outcome(
            kb.delete_article_category(&category(name)).await,
            reference.delete_article_category(&category(name)).await,
        )
        .ok();
    }
    // Once its articles move or go, a category may be deleted.
    for a in all.iter().filter(|a| a.category.as_str() == "hardware") {
        kb.delete_article(a.id).await.unwrap();
    }
    kb.delete_article_category(&category("hardware"))
        .await
        .unwrap();
    assert_eq!(
        kb.article_categories().await.unwrap(),
        [category("general"), category("network")]
    );
}
