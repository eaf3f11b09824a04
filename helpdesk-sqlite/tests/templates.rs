//! Ticket templates and canned responses: round trips, the `canned_responses` filters against
//! the in-memory reference store, and corrupt stored values.

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use helpdesk_core::domain::{
    CannedResponse, CannedResponseId, Category, DepartmentId, FieldKey, Language, MessageBody,
    Priority, TemplateId, TicketTemplate, TicketType,
};
use helpdesk_core::error::{CorruptValue, Error};
use helpdesk_core::store::{MemoryStore, TemplateStore};
use helpdesk_core::testkit::samples::{self, name};
use helpdesk_sqlite::SqliteStore;

fn db_path() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("helpdesk-sqlite");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{}.db", uuid::Uuid::now_v7().simple()))
}

/// [`samples::at`] with a microsecond part, so that round trips keep sub-second precision.
fn at(seconds: i64) -> DateTime<Utc> {
    samples::at(seconds) + Duration::microseconds(123)
}

fn template(
    label: &str,
    department: DepartmentId,
    priority: Option<Priority>,
    prefix: Option<&str>,
) -> TicketTemplate {
    TicketTemplate {
        id: TemplateId::new(),
        name: name(label),
        ticket_type: TicketType::custom("line-down").unwrap(),
        subject_prefix: prefix.map(name),
        department,
        priority,
        categories: ["Сеть", "Linie"]
            .into_iter()
            .map(|c| Category::parse(c).unwrap())
            .collect::<BTreeSet<_>>(),
        required_fields: ["address", "failing_number", "callback_number"]
            .into_iter()
            .map(|k| FieldKey::parse(k).unwrap())
            .collect(),
        body: MessageBody::parse("Адрес: …\nНомер: …\nПерезвонить: …").unwrap(),
        created_at: at(1),
    }
}

fn canned(
    label: &str,
    department: Option<DepartmentId>,
    language: Language,
    seconds: i64,
) -> CannedResponse {
    CannedResponse {
        id: CannedResponseId::new(),
        department,
        name: name(label),
        language,
        body: MessageBody::parse("Bună {{customer_name}}, tichetul #{{ ticket_number }}.").unwrap(),
        created_at: at(seconds),
    }
}

#[tokio::test]
async fn templates_round_trip_replace_and_sort_by_name_then_id() {
    let store = SqliteStore::open_in_memory().await.unwrap();
    let memory = MemoryStore::new();
    let support = DepartmentId::new();
    let mut line = template(
        "Линия не работает",
        support,
        Some(Priority::High),
        Some("Line down"),
    );
    let bare = TicketTemplate {
        ticket_type: TicketType::Question,
        categories: BTreeSet::new(),
        required_fields: Vec::new(),
        ..template("Alpha", DepartmentId::new(), None, None)
    };
    let twin = template("Alpha", support, Some(Priority::Urgent), None);
    for t in [&line, &bare, &twin] {
        store.put_template(t).await.unwrap();
        memory.put_template(t).await.unwrap();
    }
    assert_eq!(store.template(line.id).await.unwrap(), Some(line.clone()));
    assert_eq!(store.template(bare.id).await.unwrap(), Some(bare.clone()));
    assert_eq!(store.template(TemplateId::new()).await.unwrap(), None);

    line.priority = None;
    line.subject_prefix = None;
    line.required_fields.reverse();
    store.put_template(&line).await.unwrap();
    memory.put_template(&line).await.unwrap();
    assert_eq!(store.template(line.id).await.unwrap(), Some(line));
    assert_eq!(
        store.templates().await.unwrap(),
        memory.templates().await.unwrap()
    );
    assert_eq!(store.templates().await.unwrap().len(), 3);
}

#[tokio::test]
async fn canned_response_filters_match_the_memory_store() {
    let store = SqliteStore::open_in_memory().await.unwrap();
    let memory = MemoryStore::new();
    let (support, billing, other) = (
        DepartmentId::new(),
        DepartmentId::new(),
        DepartmentId::new(),
    );
    let mut responses = Vec::new();
    for (i, (label, department, language)) in [
        ("Приветствие", Some(support), Language::Russian),
        ("Salut", Some(support), Language::Romanian),
        ("Salut", None, Language::Romanian),
        ("Greeting", None, Language::English),
        ("Invoice", Some(billing), Language::English),
        ("Factura", Some(billing), Language::Romanian),
        ("سلام", None, Language::Persian),
        ("Greeting", Some(support), Language::English),
    ]
    .into_iter()
    .enumerate()
    {
        responses.push(canned(
            label,
            department,
            language,
            i64::try_from(i).unwrap(),
        ));
    }
    for r in &responses {
        store.put_canned_response(r).await.unwrap();
        memory.put_canned_response(r).await.unwrap();
    }
    // Moving one to every department and back to one keeps a single row.
    let mut moved = responses[4].clone();
    moved.department = None;
    store.put_canned_response(&moved).await.unwrap();
    memory.put_canned_response(&moved).await.unwrap();

    let departments = [None, Some(support), Some(billing), Some(other)];
    let languages = [
        None,
        Some(Language::English),
        Some(Language::Romanian),
        Some(Language::Russian),
        Some(Language::Persian),
    ];
    for department in departments {
        for language in languages {
            let expected = memory.canned_responses(department, language).await.unwrap();
            let got = store.canned_responses(department, language).await.unwrap();
            assert_eq!(
                got, expected,
                "department {department:?}, language {language:?}"
            );
        }
    }
    assert_eq!(store.canned_responses(None, None).await.unwrap().len(), 8);
    let billing_en = store
        .canned_responses(Some(billing), Some(Language::English))
        .await
        .unwrap();
    let names: Vec<_> = billing_en.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Greeting", "Invoice"]);
    assert!(billing_en.iter().all(|r| r.department.is_none()));
}

/// Runs `read` after `sql` damaged the database and expects a corrupt `table`.`column`.
async fn expect_corrupt<T: std::fmt::Debug>(
    path: &PathBuf,
    sql: &str,
    read: impl AsyncFnOnce() -> helpdesk_core::Result<T>,
    table: &str,
    column: &str,
) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute(sql, []).unwrap();
    drop(conn);
    let err = read().await.unwrap_err();
    let Error::Backend { source } = err else {
        panic!("expected a backend error, got {err:?}");
    };
    let Some(corrupt) = source.downcast_ref::<CorruptValue>() else {
        panic!("expected a corrupt value, got {source:?}");
    };
    assert_eq!(
        (corrupt.table(), corrupt.column()),
        (table, column),
        "after {sql}"
    );
}

#[tokio::test]
async fn corrupt_templates_and_canned_responses_are_backend_errors_naming_the_column() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let t = template(
        "Line down",
        DepartmentId::new(),
        Some(Priority::High),
        Some("Line"),
    );
    let r = canned("Salut", None, Language::Romanian, 1);
    store.put_template(&t).await.unwrap();
    store.put_canned_response(&r).await.unwrap();

    for (sql, column) in [
        ("UPDATE templates SET name = '   '", "name"),
        (
            "UPDATE templates SET ticket_type = 'Not A Type!'",
            "ticket_type",
        ),
        ("UPDATE templates SET subject_prefix = ''", "subject_prefix"),
        ("UPDATE templates SET categories = '[1]'", "categories"),
        (
            "UPDATE templates SET required_fields = '[\"Bad Key\"]'",
            "required_fields",
        ),
        ("UPDATE templates SET body = ''", "body"),
    ] {
        store.put_template(&t).await.unwrap();
        expect_corrupt(&path, sql, || store.templates(), "templates", column).await;
    }
    store.put_template(&t).await.unwrap();
    assert_eq!(store.template(t.id).await.unwrap(), Some(t));

    for (sql, column) in [
        ("UPDATE canned_responses SET language = 'xx'", "language"),
        ("UPDATE canned_responses SET name = ''", "name"),
    ] {
        store.put_canned_response(&r).await.unwrap();
        expect_corrupt(
            &path,
            sql,
            || store.canned_responses(None, None),
            "canned_responses",
            column,
        )
        .await;
    }
}
