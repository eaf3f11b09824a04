//! Rows written by earlier schema versions read back after the later migrations, and the
//! migrations' backfills (customer keys, the search index, report columns) make them
//! behave like rows written today; two processes migrating at once agree.

mod common;

use chrono::Duration;
use common::*;
use helpdesk_core::domain::{
    AgentId, Article, ArticleId, ArticleVote, Attachment, CustomerId, DepartmentId, SlaOutcome,
    SlaTarget, Ticket, TicketMetrics, Timers, Visibility, Voter,
};
use helpdesk_core::search::{SearchQuery, TicketSearch};
use helpdesk_core::store::{
    KnowledgeStore, MemoryStore, PageRequest, Store, TicketFilter, TicketWrite, WriteBatch,
};
use helpdesk_core::testkit::conformance::contract::{look_ups, reports, search};
use helpdesk_postgres::{MIGRATOR, PostgresStore, testing};
use uuid::Uuid;

/// A ticket written under schema version 1 reads back after the later migrations with the
/// new fields' defaults: nobody waiting, `Timers::default()` (the column default is its
/// JSON), nothing due, no feedback, no metrics; and it is then updated (feedback and metrics
/// included), listed and found due like any other.
#[tokio::test]
async fn a_ticket_from_schema_version_1_reads_back_after_the_migrations() {
    let Some(url) = testing::database_url() else {
        return;
    };
    let store = testing::unmigrated_store_at(&url).await.unwrap();
    MIGRATOR.run_to(1, store.pool()).await.unwrap();
    let mut old = full_ticket(
        number(1),
        DepartmentId::new(),
        CustomerId::new(),
        AgentId::new(),
    );
    old.categories.clear();
    old.tags.clear();
    old.waiting_since = None;
    old.timers = Timers::default();
    old.next_due_at = None;
    let feedback = (old.satisfaction.take(), old.priority_request.take());
    let metrics = std::mem::take(&mut old.metrics);
    sqlx::query(
        "INSERT INTO tickets (id, number_full, number_short, subject, customer, department, \
         assignee, status, priority, ticket_type, service, custom_fields, channel, internal, \
         master, merged_into, follow_up_of, opened_by, created_at, updated_at, \
         first_response_at, resolved_at, closed_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, $16, \
         $17, $18::jsonb, $19, $20, $21, $22, $23, $24)",
    )
    .bind(old.id.as_uuid())
    .bind(old.number.full())
    .bind(old.number.short())
    .bind(old.subject.as_str())
    .bind(old.customer.map(|c| c.as_uuid()))
    .bind(old.department.as_uuid())
    .bind(old.assignee.map(|a| a.as_uuid()))
    .bind(old.status.as_str())
    .bind(old.priority.rank())
    .bind(old.ticket_type.as_str())
    .bind(old.service.as_ref().map(|s| s.as_str()))
    .bind(serde_json::to_string(&old.custom_fields).unwrap())
    .bind(old.channel.as_str())
    .bind(old.internal)
    .bind(old.master.map(|m| m.as_uuid()))
    .bind(old.merged_into.map(|m| m.as_uuid()))
    .bind(old.follow_up_of.map(|m| m.as_uuid()))
    .bind(serde_json::to_string(&old.opened_by).unwrap())
    .bind(old.created_at)
    .bind(old.updated_at)
    .bind(old.first_response_at)
    .bind(old.resolved_at)
    .bind(old.closed_at)
    .bind(old.version.get() as i64)
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query("INSERT INTO ticket_numbers (digits, ticket_id) VALUES ($1, $2), ($3, $2)")
        .bind(old.number.full())
        .bind(old.id.as_uuid())
        .bind(old.number.short())
        .execute(store.pool())
        .await
        .unwrap();

    store.migrate().await.unwrap();
    assert_eq!(store.ticket(old.id).await.unwrap(), Some(old.clone()));
    // Indexed for search by the backfill that follows the search migration.
    let search = helpdesk_core::search::TicketSearch {
        query: helpdesk_core::search::SearchQuery::parse("ОШИБКА").unwrap(),
        filter: Default::default(),
        include_internal: false,
    };
    let found = store
        .search_tickets(&search, &Default::default())
        .await
        .unwrap();
    assert_eq!(found.items, vec![old.clone()]);
    // The default is the JSON of `Timers::default()` itself, not merely something that
    // deserializes to it.
    let default: bool = sqlx::query_scalar("SELECT timers = $1::jsonb FROM tickets")
        .bind(serde_json::to_string(&Timers::default()).unwrap())
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(default);

    let later = old.updated_at + Duration::minutes(1);
    let next = changed(&old, later, |n| {
        n.waiting_since = Some(later);
        n.timers = full_timers(later);
        n.next_due_at = n.timers.next_due_at();
        (n.satisfaction, n.priority_request) = feedback;
        n.metrics = metrics;
    });
    store
        .commit(WriteBatch::one(TicketWrite::update(
            old.version,
            next.clone(),
        )))
        .await
        .unwrap();
    assert_eq!(store.ticket(old.id).await.unwrap(), Some(next.clone()));
    let due_at = next.next_due_at.unwrap();
    assert_eq!(
        store.due_tickets(due_at, 10).await.unwrap(),
        vec![next.clone()]
    );
    assert_eq!(
        store
            .due_tickets(due_at - Duration::microseconds(1), 10)
            .await
            .unwrap(),
        vec![]
    );
    testing::discard(store).await.unwrap();
}

#[tokio::test]
async fn customers_written_before_migration_4_are_keyed_by_the_backfill() {
    let Some(url) = testing::database_url() else {
        return;
    };
    let pg = testing::unmigrated_store_at(&url).await.unwrap();
    MIGRATOR.run_to(3, pg.pool()).await.unwrap();
    let mem = MemoryStore::new();
    let all = look_ups::customers();
    for c in &all {
        sqlx::query(
            "INSERT INTO customers (id, kind, name, email, phone, contract_number, address, \
             custom_fields, language, access_enabled, created_at) \
             VALUES ($1, 'individual', $2, $3, $4, $5, $6, '{}'::jsonb, NULL, TRUE, $7)",
        )
        .bind(c.id.as_uuid())
        .bind(c.name.as_str())
        .bind(c.email.as_ref().map(|e| e.as_str()))
        .bind(c.phone.as_ref().map(|p| p.as_str()))
        .bind(c.contract_number.as_ref().map(|n| n.as_str()))
        .bind(c.address.as_ref().map(|a| a.as_str()))
        .bind(c.created_at)
        .execute(pg.pool())
        .await
        .unwrap();
        mem.put_customer(c).await.unwrap();
    }
    // Two at once, as two processes starting together would.
    let (a, b) = tokio::join!(pg.migrate(), pg.migrate());
    a.unwrap();
    b.unwrap();
    for c in &all {
        assert_eq!(pg.customer(c.id).await.unwrap().as_ref(), Some(c));
    }
    look_ups::assert_lookups_agree(&pg, &mem).await;
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM customer_backfill")
        .fetch_one(pg.pool())
        .await
        .unwrap();
    assert_eq!(pending, 0);
    testing::discard(pg).await.unwrap();
}

/// Customers written under schema version 16 (keyed for look-ups, the backfill of 0004
/// done) belong to no organisation after 0018, and its backfill gives them the directory
/// key: the directory's free text finds them as it finds customers written today.
#[tokio::test]
async fn customers_written_before_migration_18_are_found_in_the_directory() {
    use helpdesk_core::listing::CustomerText;
    use helpdesk_core::search::address_key;
    use helpdesk_core::store::{CustomerFilter, CustomerPageRequest};

    let Some(url) = testing::database_url() else {
        return;
    };
    let pg = testing::unmigrated_store_at(&url).await.unwrap();
    MIGRATOR.run_to(16, pg.pool()).await.unwrap();
    sqlx::query("DELETE FROM customer_backfill")
        .execute(pg.pool())
        .await
        .unwrap();
    let mem = MemoryStore::new();
    let all = look_ups::customers();
    for c in &all {
        sqlx::query(
            "INSERT INTO customers (id, kind, name, email, phone, contract_number, address, \
             custom_fields, language, access_enabled, created_at, address_key, phone_digits) \
             VALUES ($1, 'individual', $2, $3, $4, $5, $6, '{}'::jsonb, NULL, TRUE, $7, $8, $9)",
        )
        .bind(c.id.as_uuid())
        .bind(c.name.as_str())
        .bind(c.email.as_ref().map(|e| e.as_str()))
        .bind(c.phone.as_ref().map(|p| p.as_str()))
        .bind(c.contract_number.as_ref().map(|n| n.as_str()))
        .bind(c.address.as_ref().map(|a| a.as_str()))
        .bind(c.created_at)
        .bind(c.address.as_ref().map(|a| address_key(a.as_str())))
        .bind(c.phone.as_ref().map(|p| p.digits().to_owned()))
        .execute(pg.pool())
        .await
        .unwrap();
        mem.put_customer(c).await.unwrap();
    }
    pg.migrate().await.unwrap();
    for q in ["иван", "ana", "@example.ro", "495", "д-004", "nobody"] {
        let filter = CustomerFilter {
            text: Some(CustomerText::parse(q).unwrap()),
            ..CustomerFilter::default()
        };
        let page = CustomerPageRequest::first(50);
        assert_eq!(
            pg.list_customers(&filter, &page).await.unwrap(),
            mem.list_customers(&filter, &page).await.unwrap(),
            "{q}"
        );
    }
    for c in &all {
        assert_eq!(pg.customer(c.id).await.unwrap().unwrap().organisation, None);
    }
    testing::discard(pg).await.unwrap();
}

/// Writes `t` as schema version 8 has tickets (no metrics, no derived columns).
async fn insert_v8(store: &PostgresStore, t: &Ticket) {
    sqlx::query(
        "INSERT INTO tickets (id, number_full, number_short, subject, customer, department, \
         assignee, status, priority, ticket_type, service, custom_fields, channel, internal, \
         master, merged_into, follow_up_of, opened_by, created_at, updated_at, \
         first_response_at, resolved_at, closed_at, waiting_since, timers, next_due_at, \
         version, satisfaction, priority_request) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, $16, \
         $17, $18::jsonb, $19, $20, $21, $22, $23, $24, $25::jsonb, $26, $27, $28::jsonb, \
         $29::jsonb)",
    )
    .bind(t.id.as_uuid())
    .bind(t.number.full())
    .bind(t.number.short())
    .bind(t.subject.as_str())
    .bind(t.customer.map(|c| c.as_uuid()))
    .bind(t.department.as_uuid())
    .bind(t.assignee.map(|a| a.as_uuid()))
    .bind(t.status.as_str())
    .bind(t.priority.rank())
    .bind(t.ticket_type.as_str())
    .bind(t.service.as_ref().map(|s| s.as_str()))
    .bind(serde_json::to_string(&t.custom_fields).unwrap())
    .bind(t.channel.as_str())
    .bind(t.internal)
    .bind(t.master.map(|m| m.as_uuid()))
    .bind(t.merged_into.map(|m| m.as_uuid()))
    .bind(t.follow_up_of.map(|m| m.as_uuid()))
    .bind(serde_json::to_string(&t.opened_by).unwrap())
    .bind(t.created_at)
    .bind(t.updated_at)
    .bind(t.first_response_at)
    .bind(t.resolved_at)
    .bind(t.closed_at)
    .bind(t.waiting_since)
    .bind(serde_json::to_string(&t.timers).unwrap())
    .bind(t.next_due_at)
    .bind(t.version.get() as i64)
    .bind(
        t.satisfaction
            .as_ref()
            .map(|s| serde_json::to_string(s).unwrap()),
    )
    .bind(
        t.priority_request
            .as_ref()
            .map(|r| serde_json::to_string(r).unwrap()),
    )
    .execute(store.pool())
    .await
    .unwrap();
}

/// Tickets written under schema version 8 read back after migration 0009 without metrics
/// (the domain's defaults), and count in reports by their stored clocks' outcomes and
/// ratings, which the migration derives; later writes keep them up to date.
#[tokio::test]
async fn tickets_from_schema_version_8_count_in_reports_after_the_migration() {
    let Some(url) = testing::database_url() else {
        return;
    };
    let store = testing::unmigrated_store_at(&url).await.unwrap();
    MIGRATOR.run_to(8, store.pool()).await.unwrap();
    let departments = [DepartmentId::new(), DepartmentId::new()];
    let agents = [AgentId::new(), AgentId::new()];
    let mut tickets = reports::varied_tickets(&departments, &agents, 60);
    for t in &mut tickets {
        t.metrics = TicketMetrics::default();
        insert_v8(&store, t).await;
    }
    // Clocks in the order `full_timers` gives them, one of every outcome per target
    // somewhere among the tickets.
    let outcomes: Vec<_> = tickets
        .iter()
        .flat_map(|t| &t.timers.clocks)
        .filter(|c| c.target == SlaTarget::Resolution)
        .map(|c| c.outcome)
        .collect();
    assert!(outcomes.contains(&Some(SlaOutcome::Met)) && outcomes.contains(&None));

    store.migrate().await.unwrap();
    for t in &tickets {
        assert_eq!(store.ticket(t.id).await.unwrap().as_ref(), Some(t));
    }
    reports::assert_reports_match(&store, &tickets, &[], &departments).await;

    let first = &tickets[0];
    let next = changed(first, first.updated_at + Duration::seconds(1), |n| {
        n.timers = Timers::default();
        n.next_due_at = None;
        n.satisfaction = None;
        n.metrics.reopens = 4;
    });
    store
        .commit(WriteBatch::one(TicketWrite::update(
            first.version,
            next.clone(),
        )))
        .await
        .unwrap();
    tickets[0] = next;
    reports::assert_reports_match(&store, &tickets, &[], &departments).await;
    testing::discard(store).await.unwrap();
}

/// How many tickets `q` finds in their public text.
async fn found(pg: &PostgresStore, q: &str) -> usize {
    let search = TicketSearch {
        query: SearchQuery::parse(q).unwrap(),
        filter: TicketFilter::default(),
        include_internal: false,
    };
    let page = PageRequest::first(helpdesk_core::store::TicketOrder::LastUpdate, 200);
    pg.search_tickets(&search, &page).await.unwrap().items.len()
}

/// The search rows of a store, comparable.
async fn search_rows(
    pg: &PostgresStore,
) -> Vec<(Uuid, Option<Uuid>, bool, String, Vec<String>, String)> {
    sqlx::query_as(
        "SELECT ticket_id, message_id, internal, folded, words, lexemes::text \
         FROM search_fields ORDER BY ticket_id, message_id NULLS FIRST",
    )
    .fetch_all(pg.pool())
    .await
    .unwrap()
}

/// The `ticket_words` rows of a store (word, ticket, kind), in order.
async fn word_rows(pg: &PostgresStore) -> Vec<(String, Uuid, i16)> {
    sqlx::query_as("SELECT word, ticket, kind FROM ticket_words ORDER BY word, ticket, kind")
        .fetch_all(pg.pool())
        .await
        .unwrap()
}

/// Migration 0024 fills `ticket_words` from the search rows of the tickets written before
/// it, exactly as the store writes them, and searches then find them.
#[tokio::test]
async fn migration_24_fills_ticket_words_from_the_search_rows() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let texts = search::samples();
    let writes: Vec<TicketWrite> = (0..300)
        .map(|i| {
            let text = &texts[i % texts.len()];
            search::ticket_with(i as u64 + 1, &format!("Ticket {i}"), &[text, "note", text]).1
        })
        .collect();
    pg.commit(WriteBatch::of(writes)).await.unwrap();
    let words = word_rows(&pg).await;
    assert!(words.len() > 300 * 3, "{}", words.len());
    let before = found(&pg, "asistenta").await;
    assert_eq!(before, 300 / texts.len() + 1);

    // As if the tickets were written before migration 0024 (and so before 0028: their
    // fields have no stem keys yet; the store computes them when it opens).
    for sql in [
        "DROP TABLE ticket_words",
        "DELETE FROM _sqlx_migrations WHERE version = 24",
        "UPDATE search_fields SET stems = NULL",
    ] {
        sqlx::query(sql).execute(pg.pool()).await.unwrap();
    }
    pg.migrate().await.unwrap();
    assert_eq!(word_rows(&pg).await, words);
    assert_eq!(found(&pg, "asistenta").await, before);
    testing::discard(pg).await.unwrap();
}

/// Fields written before migration 0028 get their stem keys when the store opens, in
/// `search_fields` and in `ticket_words`, exactly as the store writes them; searches then
/// find other forms of their words.
#[tokio::test]
async fn fields_from_before_migration_28_get_their_stems_on_open() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let writes: Vec<TicketWrite> = (0..600)
        .map(|i| {
            search::ticket_with(
                i as u64 + 1,
                "Нет связи в офисе",
                &["Routers keep restarting"],
            )
            .1
        })
        .collect();
    pg.commit(WriteBatch::of(writes)).await.unwrap();
    let rows = search_rows(&pg).await;
    let words = word_rows(&pg).await;
    assert_eq!(found(&pg, "офис").await, 200, "a page");

    // As if the fields were written before migration 0028.
    for sql in [
        "UPDATE search_fields SET stems = NULL",
        "DELETE FROM ticket_words WHERE word LIKE '~%'",
    ] {
        sqlx::query(sql).execute(pg.pool()).await.unwrap();
    }
    assert_eq!(found(&pg, "офис").await, 0);
    pg.migrate().await.unwrap();
    assert_eq!(search_rows(&pg).await, rows);
    assert_eq!(word_rows(&pg).await, words);
    let unstemmed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM search_fields WHERE stems IS NULL")
            .fetch_one(pg.pool())
            .await
            .unwrap();
    assert_eq!(unstemmed, 0);
    assert_eq!(found(&pg, "router").await, 200);
    assert_eq!(found(&pg, "офис").await, 200);
    testing::discard(pg).await.unwrap();
}

#[tokio::test]
async fn the_backfill_indexes_tickets_written_before_the_search_migration() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let texts = search::samples();
    // More tickets than one backfill batch, with public replies and internal notes.
    let writes: Vec<TicketWrite> = (0..1100)
        .map(|i| {
            let text = &texts[i % texts.len()];
            search::ticket_with(i as u64 + 1, &format!("Ticket {i}"), &[text, "note", text]).1
        })
        .collect();
    for chunk in writes.chunks(250) {
        pg.commit(WriteBatch::of(chunk.to_vec())).await.unwrap();
    }
    let written = search_rows(&pg).await;
    assert_eq!(written.len(), 1100 * 4);
    let words = word_rows(&pg).await;

    // As if the tickets were written before migration 0003.
    for sql in [
        "DELETE FROM search_fields",
        "DELETE FROM ticket_words",
        "INSERT INTO search_backfill DEFAULT VALUES",
    ] {
        sqlx::query(sql).execute(pg.pool()).await.unwrap();
    }
    assert_eq!(found(&pg, "asistenta").await, 0);

    // Two at once, as two processes starting together would.
    let (a, b) = tokio::join!(pg.migrate(), pg.migrate());
    a.unwrap();
    b.unwrap();
    assert_eq!(search_rows(&pg).await, written);
    assert_eq!(word_rows(&pg).await, words);
    assert_eq!(found(&pg, "asistenta").await, 1100 / texts.len() + 1);
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM search_backfill")
        .fetch_one(pg.pool())
        .await
        .unwrap();
    assert_eq!(pending, 0);
    testing::discard(pg).await.unwrap();
}

#[tokio::test]
async fn attachments_written_before_display_names_show_their_file_name() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    let mut m = message(&t, "см. вложения", Visibility::Public);
    let uploaded = Attachment::from_upload(
        "C:\\Users\\ana\\Отчёт: май.pdf",
        "application/pdf",
        7,
        &"cd".repeat(32),
    )
    .unwrap();
    assert_ne!(uploaded.display_name(), uploaded.file_name());
    m.attachments = vec![uploaded.clone(), attachment("plain.png")];
    store
        .commit(WriteBatch::one(create(&t).with_message(m.clone())))
        .await
        .unwrap();
    let stored = store.messages(t.id, true).await.unwrap();
    assert_eq!(stored.last(), Some(&m));

    // Written before display names existed: the JSON has none.
    sqlx::query(
        "UPDATE messages SET attachments = (SELECT coalesce(jsonb_agg(a - 'display_name'), \
         '[]'::jsonb) FROM jsonb_array_elements(attachments) a)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let stored = store.messages(t.id, true).await.unwrap();
    let old = &stored.last().unwrap().attachments;
    assert_eq!(old.len(), 2);
    assert_eq!(old[0].file_name(), uploaded.file_name());
    assert_eq!(old[0].display_name(), uploaded.file_name());
    assert_eq!(old[1], attachment("plain.png"));
    testing::discard(store).await.unwrap();
}

/// An article's anonymous tallies from before migration 12 survive it: it reads back with the
/// same counts, and a person's vote then adds to them, moves when changed and counts once.
#[tokio::test]
async fn article_tallies_from_schema_version_11_survive_and_votes_add_to_them() {
    let Some(url) = testing::database_url() else {
        return;
    };
    let pg = testing::unmigrated_store_at(&url).await.unwrap();
    MIGRATOR.run_to(11, pg.pool()).await.unwrap();
    let id = ArticleId::new();
    sqlx::query(
        "INSERT INTO articles (id, title, body, category, language, status, visibility, \
         helpful, not_helpful, created_at, updated_at) \
         VALUES ($1, 'Router', 'Restart it.', 'faq', 'en', 'published', 'public', 7, 2, $2, $2)",
    )
    .bind(id.as_uuid())
    .bind(t0())
    .execute(pg.pool())
    .await
    .unwrap();
    pg.migrate().await.unwrap();
    let read = pg.article(id).await.unwrap().unwrap();
    assert_eq!((read.helpful, read.not_helpful), (7, 2));
    let ana = Voter::Customer(CustomerId::new());
    let vote = |helpful| ArticleVote {
        article: id,
        voter: ana,
        helpful,
        at: t0(),
    };
    let counts = |a: Article| (a.helpful, a.not_helpful);
    assert_eq!(counts(pg.vote_article(&vote(true)).await.unwrap()), (8, 2));
    assert_eq!(counts(pg.vote_article(&vote(true)).await.unwrap()), (8, 2));
    assert_eq!(counts(pg.vote_article(&vote(false)).await.unwrap()), (7, 3));
    testing::discard(pg).await.unwrap();
}

/// Time entries logged before migration 13 read back with their notes hidden from the
/// customer (nobody chose to show them); entries written after it keep the choice made.
#[tokio::test]
async fn time_entries_from_schema_version_12_read_back_with_hidden_notes() {
    let Some(url) = testing::database_url() else {
        return;
    };
    let pg = testing::unmigrated_store_at(&url).await.unwrap();
    MIGRATOR.run_to(12, pg.pool()).await.unwrap();
    let t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    // Written as that schema has tickets (today's commit also writes later tables).
    insert_v8(&pg, &t).await;
    let old = full_time_entry(&t, AgentId::new(), 30, true, "Their firewall is a mess");
    sqlx::query(
        "INSERT INTO time_entries (id, ticket_id, agent, minutes, billable, note, created_at) \
         VALUES ($1, $2, $3, 30, TRUE, $4, $5)",
    )
    .bind(old.id.as_uuid())
    .bind(t.id.as_uuid())
    .bind(old.agent.as_uuid())
    .bind(old.note.as_str())
    .bind(old.created_at)
    .execute(pg.pool())
    .await
    .unwrap();
    pg.migrate().await.unwrap();
    assert!(!old.note_visible_to_customer);
    assert_eq!(pg.time_entries(t.id).await.unwrap(), [old]);

    let later = ticket(number(2), DepartmentId::new(), CustomerId::new());
    let mut shown = full_time_entry(&later, AgentId::new(), 15, true, "Configured the VPN");
    shown.note_visible_to_customer = true;
    let write = create(&later).with_time_entry(shown.clone());
    pg.commit(WriteBatch::one(write)).await.unwrap();
    assert_eq!(pg.time_entries(later.id).await.unwrap(), [shown]);
    testing::discard(pg).await.unwrap();
}

/// E-mail queued under schema version 11 gets its ticket's full number from migration 0014
/// (for its `X-Helpdesk-Ticket` header) and reads back like e-mail queued today; e-mail
/// about no ticket keeps none; and the desk's settings start empty.
#[tokio::test]
async fn outbox_emails_from_schema_version_11_get_their_tickets_full_number() {
    use helpdesk_core::domain::OutboundEmail;
    use helpdesk_core::store::{SettingKey, SettingsStore};
    use helpdesk_core::testkit::conformance::contract::outbox::outbound;

    let Some(url) = testing::database_url() else {
        return;
    };
    let store = testing::unmigrated_store_at(&url).await.unwrap();
    MIGRATOR.run_to(11, store.pool()).await.unwrap();
    let t = ticket(number(7), DepartmentId::new(), CustomerId::new());
    insert_v8(&store, &t).await;
    // Written before migration 0029: no Cc, read back as none.
    let about = OutboundEmail {
        cc: Vec::new(),
        ..outbound(Some(&t), "about@desk.example", 1)
    };
    let none = OutboundEmail {
        cc: Vec::new(),
        ..outbound(None, "none@desk.example", 2)
    };
    for e in [&about, &none] {
        sqlx::query(
            "INSERT INTO outbox (id, message_id, ticket_id, kind, language, to_address, \
             to_name, subject, body, thread, created_at, attempts, delivery, delivery_at, \
             last_error) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15)",
        )
        .bind(e.id.as_uuid())
        .bind(&e.message_id)
        .bind(e.ticket_id.map(|t| t.as_uuid()))
        .bind(e.kind.as_str())
        .bind(e.language.as_str())
        .bind(e.to.as_str())
        .bind(&e.to_name)
        .bind(&e.subject)
        .bind(&e.body)
        .bind(serde_json::to_string(&e.references).unwrap())
        .bind(e.created_at)
        .bind(i64::from(e.attempts))
        .bind(e.delivery.state().as_str())
        .bind(e.delivery.at())
        .bind(&e.last_error)
        .execute(store.pool())
        .await
        .unwrap();
    }

    store.migrate().await.unwrap();
    assert_eq!(about.ticket_number.as_deref(), Some(t.number.full()));
    assert_eq!(
        store.ticket_emails(t.id).await.unwrap(),
        std::slice::from_ref(&about)
    );
    assert_eq!(store.outbox_email(none.id).await.unwrap(), Some(none));
    assert_eq!(store.setting(SettingKey::PublicUrl).await.unwrap(), None);
    testing::discard(store).await.unwrap();
}

/// The categories articles were filed in before migration 19 become its stored categories,
/// each once: the articles stay valid, and a category in use is not deleted.
#[tokio::test]
async fn categories_of_articles_from_schema_version_16_become_stored_categories() {
    let Some(url) = testing::database_url() else {
        return;
    };
    let pg = testing::unmigrated_store_at(&url).await.unwrap();
    MIGRATOR.run_to(16, pg.pool()).await.unwrap();
    for category in ["Сеть", "faq", "Сеть"] {
        sqlx::query(
            "INSERT INTO articles (id, title, body, category, language, status, visibility, \
             helpful, not_helpful, created_at, updated_at) \
             VALUES ($1, 'Router', 'Restart it.', $2, 'en', 'published', 'public', 0, 0, $3, $3)",
        )
        .bind(ArticleId::new().as_uuid())
        .bind(category)
        .bind(t0())
        .execute(pg.pool())
        .await
        .unwrap();
    }
    pg.migrate().await.unwrap();
    let stored: Vec<String> = (pg.article_categories().await.unwrap().iter())
        .map(|c| c.as_str().to_owned())
        .collect();
    assert_eq!(stored, ["faq", "Сеть"]);
    let faq = helpdesk_core::domain::Category::parse("faq").unwrap();
    assert!(matches!(
        pg.delete_article_category(&faq).await,
        Err(helpdesk_core::Error::Conflict { .. })
    ));
    testing::discard(pg).await.unwrap();
}
