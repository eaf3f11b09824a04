//! Ticket templates and canned responses on PostgreSQL: round trips and replacement, the
//! order and the department and language filters compared with the in-memory reference, and
//! stored garbage reported as corrupt values.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use helpdesk_core::Error;
use helpdesk_core::domain::{
    CannedResponse, CannedResponseId, Category, DepartmentId, FieldKey, Language, MessageBody,
    Name, Priority, TemplateId, TicketTemplate, TicketType,
};
use helpdesk_core::error::CorruptValue;
use helpdesk_core::store::MemoryStore;
use helpdesk_core::store::TemplateStore;
use helpdesk_postgres::testing;

fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 123_456_000).unwrap() + Duration::minutes(minutes)
}

fn template(name: &str, department: DepartmentId, minutes: i64) -> TicketTemplate {
    TicketTemplate {
        id: TemplateId::new(),
        name: Name::parse(name).unwrap(),
        ticket_type: TicketType::Incident,
        subject_prefix: Some(Name::parse("Line down").unwrap()),
        department,
        priority: Some(Priority::High),
        categories: ["internet", "линия"]
            .into_iter()
            .map(|c| Category::parse(c).unwrap())
            .collect(),
        required_fields: ["address", "failing_number", "callback_number"]
            .into_iter()
            .map(|k| FieldKey::parse(k).unwrap())
            .collect(),
        body: MessageBody::parse("Адрес: …\nНомер: …").unwrap(),
        created_at: at(minutes),
    }
}

fn canned(
    name: &str,
    department: Option<DepartmentId>,
    language: Language,
    minutes: i64,
) -> CannedResponse {
    CannedResponse {
        id: CannedResponseId::new(),
        department,
        name: Name::parse(name).unwrap(),
        language,
        body: MessageBody::parse(format!(
            "{name}: {{{{customer_name}}}}, #{{{{ticket_number}}}} — {{{{agent_name}}}}"
        ))
        .unwrap(),
        created_at: at(minutes),
    }
}

#[tokio::test]
async fn templates_round_trip_replace_and_sort_like_the_reference() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let memory = MemoryStore::new();
    let support = DepartmentId::new();
    let mut all = vec![
        template("Line down", support, 0),
        template("line down", support, 1),
        template("Линия не работает", support, 2),
        template("Z", support, 3),
        template("Line down", DepartmentId::new(), 4),
    ];
    all[1].priority = None;
    all[1].subject_prefix = None;
    all[1].categories = BTreeSet::new();
    all[1].required_fields = Vec::new();
    all[2].ticket_type = TicketType::custom("field_visit").unwrap();
    all[3].ticket_type = TicketType::AccessRequest;
    all[3].priority = Some(Priority::Low);
    for t in &all {
        store.put_template(t).await.unwrap();
        memory.put_template(t).await.unwrap();
    }
    for t in &all {
        assert_eq!(store.template(t.id).await.unwrap().as_ref(), Some(t));
    }
    assert_eq!(store.template(TemplateId::new()).await.unwrap(), None);
    assert_eq!(
        store.templates().await.unwrap(),
        memory.templates().await.unwrap()
    );

    // Replacing keeps one row, with the new values.
    let mut renamed = all[0].clone();
    renamed.name = Name::parse("Aaa").unwrap();
    renamed.required_fields.reverse();
    renamed.priority = Some(Priority::Urgent);
    store.put_template(&renamed).await.unwrap();
    memory.put_template(&renamed).await.unwrap();
    assert_eq!(store.template(renamed.id).await.unwrap(), Some(renamed));
    let listed = store.templates().await.unwrap();
    assert_eq!(listed.len(), all.len());
    assert_eq!(listed, memory.templates().await.unwrap());
    testing::discard(store).await.unwrap();
}

#[tokio::test]
async fn canned_response_filters_match_the_reference() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let memory = MemoryStore::new();
    let support = DepartmentId::new();
    let billing = DepartmentId::new();
    let nobody = DepartmentId::new();
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
    for (i, name) in names.into_iter().enumerate() {
        for (j, department) in [None, Some(support), Some(billing)].into_iter().enumerate() {
            let language = Language::ALL[(i + j) % Language::ALL.len()];
            all.push(canned(name, department, language, (i * 3 + j) as i64));
        }
    }
    for c in &all {
        store.put_canned_response(c).await.unwrap();
        memory.put_canned_response(c).await.unwrap();
    }
    // A replacement moves one to another department, language and name.
    let mut moved = all[0].clone();
    moved.department = Some(billing);
    moved.language = Language::Persian;
    moved.name = Name::parse("Moved").unwrap();
    store.put_canned_response(&moved).await.unwrap();
    memory.put_canned_response(&moved).await.unwrap();

    let departments = [None, Some(support), Some(billing), Some(nobody)];
    let languages = std::iter::once(None).chain(Language::ALL.into_iter().map(Some));
    let languages: Vec<_> = languages.collect();
    for department in departments {
        for &language in &languages {
            let got = store.canned_responses(department, language).await.unwrap();
            let want = memory.canned_responses(department, language).await.unwrap();
            assert_eq!(got, want, "{department:?} {language:?}");
        }
    }
    assert_eq!(
        store.canned_responses(None, None).await.unwrap().len(),
        all.len()
    );
    assert!(
        store
            .canned_responses(Some(nobody), None)
            .await
            .unwrap()
            .iter()
            .all(|c| c.department.is_none())
    );
    testing::discard(store).await.unwrap();
}

/// Asserts that `err` is a backend error whose source is a corrupt `table.column`.
fn assert_corrupt(err: &Error, table: &str, column: &str, sql: &str) {
    let Error::Backend { source } = err else {
        panic!("{sql}: {err:?}")
    };
    let corrupt = source
        .downcast_ref::<CorruptValue>()
        .unwrap_or_else(|| panic!("{sql}: {source:?}"));
    assert_eq!(
        (corrupt.table(), corrupt.column()),
        (table, column),
        "{sql}"
    );
    assert!(std::error::Error::source(corrupt).is_some(), "{sql}");
}

#[tokio::test]
async fn stored_garbage_in_templates_is_a_corrupt_value() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let t = template("Line down", DepartmentId::new(), 0);
    let cases = [
        ("UPDATE templates SET name = '  '", "name"),
        ("UPDATE templates SET ticket_type = ''", "ticket_type"),
        ("UPDATE templates SET subject_prefix = ''", "subject_prefix"),
        ("UPDATE templates SET priority = 9", "priority"),
        ("UPDATE templates SET categories = '[\"\"]'", "categories"),
        ("UPDATE templates SET categories = '{}'", "categories"),
        (
            "UPDATE templates SET required_fields = '[\"Bad Key\"]'",
            "required_fields",
        ),
        ("UPDATE templates SET body = ''", "body"),
    ];
    for (sql, column) in cases {
        store.put_template(&t).await.unwrap();
        assert_eq!(store.template(t.id).await.unwrap().as_ref(), Some(&t));
        sqlx::query(sql).execute(store.pool()).await.unwrap();
        assert_corrupt(
            &store.template(t.id).await.unwrap_err(),
            "templates",
            column,
            sql,
        );
        assert_corrupt(
            &store.templates().await.unwrap_err(),
            "templates",
            column,
            sql,
        );
    }

    let c = canned("Greeting", None, Language::Romanian, 0);
    let cases = [
        ("UPDATE canned_responses SET name = ''", "name"),
        (
            "UPDATE canned_responses SET language = 'klingon'",
            "language",
        ),
        ("UPDATE canned_responses SET body = '   '", "body"),
    ];
    for (sql, column) in cases {
        store.put_canned_response(&c).await.unwrap();
        assert_eq!(
            store.canned_responses(None, None).await.unwrap(),
            vec![c.clone()]
        );
        sqlx::query(sql).execute(store.pool()).await.unwrap();
        assert_corrupt(
            &store.canned_responses(None, None).await.unwrap_err(),
            "canned_responses",
            column,
            sql,
        );
    }
    testing::discard(store).await.unwrap();
}
