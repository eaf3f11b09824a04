//! The plans of search pages: probing, driving, level by level.

use helpdesk_core::search::SearchQuery;
use helpdesk_core::store::{Cursor, PageRequest, TicketFilter, TicketOrder};
use rusqlite::types::Value;

use super::*;

fn search(q: &str, include_internal: bool) -> TicketSearch {
    TicketSearch {
        query: SearchQuery::parse(q).unwrap(),
        filter: TicketFilter::default(),
        include_internal,
    }
}

/// The query and its plan's steps for one page, on an empty database.
fn plan(search: &TicketSearch, page: &PageRequest, forced: Option<Plan>) -> (Query, Vec<String>) {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::schema::migrate(&mut conn).unwrap();
    let query = search_tickets(&conn, search, page, forced).unwrap();
    let steps = crate::query::plans::plan_of(&query);
    (query, steps)
}

#[test]
fn common_terms_probe_and_rare_terms_drive() {
    // A word in 1/16 of a million tickets' four fields; one in 100 tickets.
    assert_eq!(plan_for(250_000, 1_000_000, 25), Plan::Probe);
    assert_eq!(plan_for(400, 1_000_000, 25), Plan::Drive);
    // A small desk: always drive.
    assert_eq!(plan_for(10, 10, 25), Plan::Drive);
    assert_eq!(plan_for(0, 0, 25), Plan::Drive);
}

#[test]
fn a_probing_search_reads_the_list_in_order_and_seeks_each_ticket_s_words() {
    for (q, internal, words, ranges) in [
        ("router", true, 1, 0),
        // A phrase: its words, then the phrase over the ticket's range; a prefix: a range.
        ("\"нет связи\" интерн*", false, 2, 2),
        ("router -\"not found\"", false, 3, 1),
    ] {
        let search = search(q, internal);
        let (query, steps) = plan(&search, &PageRequest::default(), Some(Plan::Probe));
        assert!(
            steps[0].starts_with("SCAN t USING INDEX tickets_by_update"),
            "{q:?}: {steps:#?}"
        );
        let count = |what: &dyn Fn(&String) -> bool| steps.iter().filter(|s| what(s)).count();
        let seeks = count(&|s| {
            s.starts_with("SEARCH w ") && s.contains("USING PRIMARY KEY (word=? AND ticket=?")
        });
        assert_eq!(seeks, words, "{q:?}: {steps:#?}");
        let probes = count(&|s| s.starts_with("SCAN s ") && s.ends_with("INDEX 0:M1><"));
        assert_eq!(probes, ranges, "{q:?}: {steps:#?}");
        // Nothing else is scanned, nothing sorted.
        assert_eq!(
            count(&|s| s.starts_with("SCAN ")),
            1 + ranges,
            "{q:?}: {steps:#?}"
        );
        assert!(
            !steps.iter().any(|s| s.contains("TEMP B-TREE")),
            "{q:?}: {steps:#?}"
        );
        assert!(!query.sql.contains("relevance DESC"), "{}", query.sql);
    }
}

#[test]
fn a_driving_search_reads_the_term_s_tickets_by_rowid() {
    let search = search("router -\"not found\"", false);
    let (_, steps) = plan(&search, &PageRequest::default(), Some(Plan::Drive));
    assert!(
        steps
            .iter()
            .any(|s| s.starts_with("SEARCH t USING INTEGER PRIMARY KEY (rowid=?)")),
        "{steps:#?}"
    );
    assert!(!steps.iter().any(|s| s.contains(" f ")), "{steps:#?}");
    // An empty database: the frequencies choose the same.
    assert_eq!(plan(&search, &PageRequest::default(), None).1, steps);
}

#[test]
fn relevance_pages_score_subjects_by_their_keys() {
    let search = search("router %mod%m \"нет связи\" -x", false);
    let first = PageRequest::first(TicketOrder::Relevance, 10);
    let cursor =
        Cursor::decode("r.2.2.1767600000000000.-.0192d6a0c1e07c3e8d4f6d1a2b3c4d5e").unwrap();
    for page in [first.clone(), first.clone().after(cursor).unwrap()] {
        for forced in [Plan::Probe, Plan::Drive] {
            let (query, steps) = plan(&search, &page, Some(forced));
            assert!(
                query
                    .sql
                    .contains("ORDER BY relevance DESC, t.updated_at DESC, t.id DESC"),
                "{}",
                query.sql
            );
            assert!(
                steps
                    .iter()
                    .any(|s| s.starts_with("SCAN si VIRTUAL TABLE INDEX ")),
                "{steps:#?}"
            );
            // The pattern's subject row alone, by the subject index.
            assert!(
                steps
                    .iter()
                    .filter(|s| s.contains(" sf "))
                    .all(|s| s
                        .starts_with("SEARCH sf USING INDEX search_fields_subject (ticket_id=?)")),
                "{steps:#?}"
            );
        }
    }
    // No score parameter of its own: the terms' parameters are reused (a phrase binds
    // its words and itself; a word itself and its two stem keys, migration 0028; the page
    // size is a literal).
    let (query, _) = plan(&search, &first, Some(Plan::Probe));
    assert_eq!(query.params.len(), 8, "{query:?}");
}

#[test]
fn a_probing_relevance_page_reads_each_level_in_list_order_and_sorts_nothing() {
    // Words and phrases (a `%` pattern is one scan of the fields whatever the order).
    let search = search("router modem \"нет связи\" -x", false);
    let first = PageRequest::first(TicketOrder::Relevance, 10);
    let cursor =
        Cursor::decode("r.2.2.1767600000000000.-.0192d6a0c1e07c3e8d4f6d1a2b3c4d5e").unwrap();
    let after = first.clone().after(cursor).unwrap();
    let mut conn = Connection::open_in_memory().unwrap();
    crate::schema::migrate(&mut conn).unwrap();
    for (page, level) in [(&first, 3), (&first, 0), (&after, 2), (&after, 1)] {
        let query = level_query(&search, page, level, 11);
        let steps = crate::query::plans::plan_of(&query);
        assert!(
            steps[0].starts_with("SCAN t USING INDEX tickets_by_update")
                || steps[0]
                    .starts_with("SEARCH t USING INDEX tickets_by_update ((updated_at,id)<(?,?))"),
            "{steps:#?}"
        );
        assert!(
            !steps.iter().any(|s| s.contains("TEMP B-TREE")),
            "{steps:#?}"
        );
        assert!(
            query.sql.contains("ORDER BY t.updated_at DESC, t.id DESC"),
            "{}",
            query.sql
        );
        // The cursor bounds the list only on its own level.
        let bounded = query.sql.contains("(t.updated_at, t.id) < (");
        assert_eq!(
            bounded,
            page.cursor().is_some() && level == 2,
            "{}",
            query.sql
        );
    }
}

#[test]
fn search_values_are_bound_never_spliced() {
    let (q, _) = plan(
        &search("'; DROP TABLE tickets; -- %50\\%_x -\"NEAR(a\"", false),
        &PageRequest::default(),
        None,
    );
    assert!(
        !q.sql.contains("DROP") && !q.sql.contains("NEAR"),
        "{}",
        q.sql
    );
    assert!(q.sql.contains("f.internal = 0"), "{}", q.sql);
    assert!(q.sql.contains("(s.rowid & 1) = 0"), "{}", q.sql);
    assert!(q.params.contains(&Value::Text("drop".into())));
    assert!(q.params.contains(&Value::Text("%50\\\\%\\_x%".into())));
}

/// A word's frequency is counted among the newest tickets only, and no further than what
/// decides the plan: a word in every ticket costs a few dozen steps, not thousands.
#[test]
fn a_word_is_counted_in_the_newest_tickets_up_to_what_decides() {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::schema::migrate(&mut conn).unwrap();
    let tx = conn.transaction().unwrap();
    for t in 1..=100_000_i64 {
        tx.execute(
            "INSERT INTO ticket_words (word, ticket, kind) VALUES ('every', ?1, 1)",
            [t],
        )
        .unwrap();
        if t % 1000 == 0 {
            tx.execute(
                "INSERT INTO ticket_words (word, ticket, kind) VALUES ('rare', ?1, 1)",
                [t],
            )
            .unwrap();
        }
    }
    tx.commit().unwrap();
    let word = |w: &str| Term::Word {
        word: w.into(),
        prefix: false,
    };
    let every = entries_holding(&conn, &word("every"), 100_000, 25).unwrap();
    // Counted to the probe point within the window (2048 of 100,000 tickets), then scaled.
    let point = probe_point(100_000, 25);
    assert!(every >= point, "{every} < {point}");
    assert!(every < 2 * point, "{every}");
    assert_eq!(plan_for(every, 100_000, 25), Plan::Probe);
    // One in a thousand: two in the window, about 100 in all: driven.
    let rare = entries_holding(&conn, &word("rare"), 100_000, 25).unwrap();
    assert!((50..=150).contains(&rare), "{rare}");
    assert_eq!(plan_for(rare, 100_000, 25), Plan::Drive);
    assert_eq!(
        entries_holding(&conn, &word("nowhere"), 100_000, 25).unwrap(),
        0
    );
}
