//! Ticket templates and canned responses ([`TemplateStore`]): read back as written, replaced
//! in place, listed in the reference's order, and canned responses filtered by department
//! and language as the reference filters them.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::domain::{
    CannedResponse, CannedResponseId, Category, DepartmentId, FieldKey, Language, MessageBody,
    Priority, TemplateId, TicketTemplate, TicketType,
};
use crate::store::{MemoryStore, Store, TemplateStore};
use crate::testkit::ability;
use crate::testkit::samples::{name, t0};

/// [`t0`] plus `minutes`, with a microsecond part.
fn at(minutes: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(minutes) + Duration::microseconds(123_456)
}

/// A template named `label` in `department` with every optional part set, made `minutes`
/// after [`t0`] (also for backends' own tests).
pub fn template(label: &str, department: DepartmentId, minutes: i64) -> TicketTemplate {
    TicketTemplate {
        id: TemplateId::new(),
        name: name(label),
        ticket_type: TicketType::custom("line-down").unwrap(),
        subject_prefix: Some(name("Нет связи")),
        department,
        priority: Some(Priority::High),
        categories: ["Сеть", "Linie", "internet"]
            .into_iter()
            .map(|c| Category::parse(c).unwrap())
            .collect(),
        required_fields: ["address", "failing_number", "callback_number"]
            .into_iter()
            .map(|k| FieldKey::parse(k).unwrap())
            .collect(),
        body: MessageBody::parse("Адрес: …\nНомер: …\nПерезвонить: …").unwrap(),
        created_at: at(minutes),
    }
}

/// A canned response named `label` with every placeholder, made `minutes` after [`t0`]
/// (also for backends' own tests).
pub fn canned(
    label: &str,
    department: Option<DepartmentId>,
    language: Language,
    minutes: i64,
) -> CannedResponse {
    CannedResponse {
        id: CannedResponseId::new(),
        department,
        name: name(label),
        language,
        body: MessageBody::parse(format!(
            "{label}: {{{{customer_name}}}}, #{{{{ ticket_number }}}} — {{{{agent_name}}}}"
        ))
        .unwrap(),
        created_at: at(minutes),
    }
}

pub async fn templates_round_trip_replace_and_sort_like_the_reference(store: Arc<dyn Store>) {
    let Some(templates) = ability(store.as_template_store(), "templates and canned responses")
    else {
        return;
    };
    let reference = MemoryStore::new();
    let support = DepartmentId::new();
    let mut all = vec![
        template("Line down", support, 0),
        template("line down", support, 1),
        template("Линия не работает", support, 2),
        template("Z", support, 3),
        template("Line down", DepartmentId::new(), 4),
        template("Alpha", DepartmentId::new(), 5),
    ];
    all[1].priority = None;
    all[1].subject_prefix = None;
    all[1].categories = BTreeSet::new();
    all[1].required_fields = Vec::new();
    all[1].ticket_type = TicketType::Question;
    all[2].ticket_type = TicketType::custom("field_visit").unwrap();
    all[3].ticket_type = TicketType::AccessRequest;
    all[3].priority = Some(Priority::Low);
    for t in &all {
        templates.put_template(t).await.unwrap();
        reference.put_template(t).await.unwrap();
    }
    for t in &all {
        assert_eq!(templates.template(t.id).await.unwrap().as_ref(), Some(t));
    }
    assert_eq!(templates.template(TemplateId::new()).await.unwrap(), None);
    assert_eq!(
        templates.templates().await.unwrap(),
        reference.templates().await.unwrap()
    );

    // Replacing keeps one row, with the new values.
    let renamed = TicketTemplate {
        name: name("Aaa"),
        priority: None,
        subject_prefix: None,
        required_fields: all[0].required_fields.iter().rev().cloned().collect(),
        ..all[0].clone()
    };
    templates.put_template(&renamed).await.unwrap();
    reference.put_template(&renamed).await.unwrap();
    assert_eq!(templates.template(renamed.id).await.unwrap(), Some(renamed));
    let listed = templates.templates().await.unwrap();
    assert_eq!(listed.len(), all.len());
    assert_eq!(listed, reference.templates().await.unwrap());
}

pub async fn canned_response_filters_agree_with_the_reference(store: Arc<dyn Store>) {
    let Some(templates) = ability(store.as_template_store(), "templates and canned responses")
    else {
        return;
    };
    let reference = MemoryStore::new();
    let (support, billing, nobody) = (
        DepartmentId::new(),
        DepartmentId::new(),
        DepartmentId::new(),
    );
    let mut all = Vec::new();
    let names = [
        "Greeting",
        "greeting",
        "Привет",
        "سلام",
        "Bună ziua",
        "Greeting",
        "Z",
    ];
    for (i, label) in names.into_iter().enumerate() {
        for (j, department) in [None, Some(support), Some(billing)].into_iter().enumerate() {
            let language = Language::ALL[(i + j) % Language::ALL.len()];
            all.push(canned(label, department, language, (i * 3 + j) as i64));
        }
    }
    for c in &all {
        templates.put_canned_response(c).await.unwrap();
        reference.put_canned_response(c).await.unwrap();
    }
    // Replacements move one to another department, language and name, and one to every
    // department: each keeps a single row.
    let moved = CannedResponse {
        department: Some(billing),
        language: Language::Persian,
        name: name("Moved"),
        ..all[0].clone()
    };
    let everywhere = CannedResponse {
        department: None,
        ..all[4].clone()
    };
    for c in [&moved, &everywhere] {
        templates.put_canned_response(c).await.unwrap();
        reference.put_canned_response(c).await.unwrap();
    }
    let departments = [None, Some(support), Some(billing), Some(nobody)];
    let languages = std::iter::once(None).chain(Language::ALL.into_iter().map(Some));
    for language in languages {
        for department in departments {
            let got = templates
                .canned_responses(department, language)
                .await
                .unwrap();
            let want = reference
                .canned_responses(department, language)
                .await
                .unwrap();
            assert_eq!(got, want, "{department:?} {language:?}");
        }
    }
    assert_eq!(
        templates.canned_responses(None, None).await.unwrap().len(),
        all.len()
    );
    assert!(
        templates
            .canned_responses(Some(nobody), None)
            .await
            .unwrap()
            .iter()
            .all(|c| c.department.is_none())
    );
}
