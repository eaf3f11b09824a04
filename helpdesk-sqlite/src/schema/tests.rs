//! The migrations: valid, idempotent, and each keeping what was written before it.

use super::*;

#[test]
fn migrations_are_valid_and_idempotent() {
    migrations().validate().unwrap();
    let mut conn = Connection::open_in_memory().unwrap();
    migrate(&mut conn).unwrap();
    migrate(&mut conn).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    // One version per file: the files are applied in order, whatever their numbers.
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".sql")
        })
        .count();
    assert_eq!(version, i64::try_from(files).unwrap());
}

/// A ticket written under 0001 reads back after 0002 with no timers, nobody waiting and
/// nothing due; and the column default is exactly the JSON of `Timers::default()`.
#[test]
fn tickets_from_before_0002_read_back_with_default_timers() {
    use helpdesk_core::domain::{Channel, Status, TicketType, Timers};

    let mut conn = Connection::open_in_memory().unwrap();
    migrations().to_version(&mut conn, 1).unwrap();
    let id = uuid::Uuid::now_v7();
    conn.execute(
        "INSERT INTO tickets (
             id, number_full, number_short, subject, department, status, priority,
             ticket_type, custom_fields, channel, internal, opened_by_kind, created_at,
             updated_at, version
         ) VALUES (
             ?1, '2026010500000001', '00000001', 'Old', ?2, ?3, 2, ?4, '{}', ?5, 0,
             'system', 1767600000000000, 1767600000000000, 1
         )",
        (
            crate::rows::blob(id),
            crate::rows::blob(uuid::Uuid::now_v7()),
            Status::New.as_str(),
            TicketType::Incident.as_str(),
            Channel::Web.as_str(),
        ),
    )
    .unwrap();
    migrate(&mut conn).unwrap();

    let default: String = conn
        .query_row(
            "SELECT dflt_value FROM pragma_table_info('tickets') WHERE name = 'timers'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let json = serde_json::to_string(&Timers::default()).unwrap();
    assert_eq!(default, format!("'{json}'"));

    let ticket = conn
        .query_row(
            &format!(
                "SELECT {} FROM tickets t",
                crate::rows::ticket::TICKET_COLUMNS
            ),
            [],
            |row| Ok(crate::rows::ticket::read_ticket(row)),
        )
        .unwrap()
        .unwrap();
    assert_eq!(ticket.id.as_uuid(), id);
    assert_eq!(ticket.timers, Timers::default());
    assert_eq!((ticket.waiting_since, ticket.next_due_at), (None, None));
}

/// Tickets and messages written before 0003 are indexed by the migration's backfill,
/// internal notes marked as such, and only once.
#[test]
fn tickets_from_before_0003_are_indexed_on_migration() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrations().to_version(&mut conn, 2).unwrap();
    let id = crate::rows::blob(uuid::Uuid::now_v7());
    conn.execute(
        "INSERT INTO tickets (
             id, number_full, number_short, subject, department, status, priority,
             ticket_type, custom_fields, channel, internal, opened_by_kind, created_at,
             updated_at, version
         ) VALUES (
             ?1, '2026010500000001', '00000001', 'Asistență tehnică', ?2, 'new', 2,
             'incident', '{}', 'web', 0, 'system', 1767600000000000, 1767600000000000, 1
         )",
        (id, crate::rows::blob(uuid::Uuid::now_v7())),
    )
    .unwrap();
    for (visibility, body) in [("public", "Ёлка, ул. Кольцевая"), ("internal", "Notă")]
    {
        conn.execute(
            "INSERT INTO messages (id, ticket_id, author_kind, visibility, channel, body,
                                   attachments, created_at)
             VALUES (?1, ?2, 'system', ?3, 'web', ?4, '[]', 1767600000000000)",
            (
                crate::rows::blob(uuid::Uuid::now_v7()),
                id,
                visibility,
                body,
            ),
        )
        .unwrap();
    }
    migrate(&mut conn).unwrap();
    migrate(&mut conn).unwrap();
    let rows: Vec<(bool, bool, String, String)> = conn
        .prepare(
            "SELECT message_seq IS NULL, internal, words, folded FROM search_fields
             ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let row = |subject, internal, words: &str, folded: &str| {
        (subject, internal, words.to_owned(), folded.to_owned())
    };
    assert_eq!(
        rows,
        [
            row(true, false, "asistenta tehnica", "asistenta tehnica"),
            row(false, false, "елка ул кольцевая", "елка, ул. кольцевая"),
            row(false, true, "nota", "nota"),
        ]
    );
    let hits: i64 = conn
        .query_row(
            "SELECT count(*) FROM search_index WHERE search_index MATCH '\"кольц\"*'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hits, 1);
}

/// Customers written before 0004 get their address key when the store opens; customers
/// without an address keep none.
#[test]
fn customers_from_before_0004_get_address_keys_on_migration() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrations().to_version(&mut conn, 3).unwrap();
    for address in [Some("ул. Кольцевая, д. 14, кв. 15"), None] {
        conn.execute(
            "INSERT INTO customers (id, kind, name, address, custom_fields, access_enabled,
                                    created_at)
             VALUES (?1, 'individual', 'Ёлкин', ?2, '{}', 1, 1767600000000000)",
            (crate::rows::blob(uuid::Uuid::now_v7()), address),
        )
        .unwrap();
    }
    migrate(&mut conn).unwrap();
    migrate(&mut conn).unwrap();
    let keys: Vec<Option<String>> = conn
        .prepare("SELECT address_key FROM customers ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(keys, [Some("ул.кольцевая,д.14,кв.15".to_owned()), None]);
}

/// Customers written before 0018 belong to no organisation and get their directory key
/// when the store opens, so the directory's free text finds them.
#[test]
fn customers_from_before_0018_get_directory_keys_on_migration() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrations().to_version(&mut conn, 17).unwrap();
    conn.execute(
        "INSERT INTO customers (id, kind, name, email, phone, phone_digits, custom_fields,
                                access_enabled, created_at)
         VALUES (?1, 'individual', 'Ёлкин', 'Elkin@Example.ru', '+7 (495) 123-45-67',
                 '74951234567', '{}', 1, 1767600000000000)",
        [crate::rows::blob(uuid::Uuid::now_v7())],
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    migrate(&mut conn).unwrap();
    let (key, org): (String, Option<Vec<u8>>) = conn
        .query_row(
            "SELECT directory_key, organisation_id FROM customers",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        key,
        "елкин\nelkin@example.ru\n+7 (495) 123-45-67\n74951234567"
    );
    assert_eq!(org, None);
}

/// A ticket written under 0004 reads back after 0005 with no rating and no priority
/// request.
#[test]
fn tickets_from_before_0005_read_back_without_feedback() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrations().to_version(&mut conn, 4).unwrap();
    conn.execute(
        "INSERT INTO tickets (
             id, number_full, number_short, subject, department, status, priority,
             ticket_type, custom_fields, channel, internal, opened_by_kind, created_at,
             updated_at, version
         ) VALUES (
             ?1, '2026010500000001', '00000001', 'Old', ?2, 'new', 2, 'incident', '{}',
             'web', 0, 'system', 1767600000000000, 1767600000000000, 1
         )",
        (
            crate::rows::blob(uuid::Uuid::now_v7()),
            crate::rows::blob(uuid::Uuid::now_v7()),
        ),
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    let ticket = conn
        .query_row(
            &format!(
                "SELECT {} FROM tickets t",
                crate::rows::ticket::TICKET_COLUMNS
            ),
            [],
            |row| Ok(crate::rows::ticket::read_ticket(row)),
        )
        .unwrap()
        .unwrap();
    assert_eq!((ticket.satisfaction, ticket.priority_request), (None, None));
}

/// Tickets written before 0009 get their clocks' outcomes and their rating's score and
/// instant (to the microsecond, whatever the fraction chrono wrote) from their JSON, the
/// values a write under 0009 stores; their metrics are unknown.
#[test]
fn tickets_from_before_0009_get_report_columns_on_migration() {
    use helpdesk_core::domain::{Rating, Satisfaction, SlaOutcome, Timers};

    let mut conn = Connection::open_in_memory().unwrap();
    migrations().to_version(&mut conn, 8).unwrap();
    let t0: chrono::DateTime<chrono::Utc> = "2026-01-05T09:00:00Z".parse().unwrap();
    let ratings: Vec<Option<Satisfaction>> = [
        Some(chrono::Duration::zero()),
        Some(chrono::Duration::milliseconds(120)),
        Some(chrono::Duration::microseconds(123_456)),
        Some(chrono::Duration::nanoseconds(987_654_321)),
        Some(chrono::Duration::days(-30_000) + chrono::Duration::microseconds(7)),
        None,
    ]
    .into_iter()
    .enumerate()
    .map(|(i, offset)| {
        offset.map(|o| Satisfaction {
            score: Rating::new(1 + (i % 5) as u8).unwrap(),
            comment: None,
            at: t0 + o,
        })
    })
    .collect();
    let timers = [
        helpdesk_core::testkit::samples::full_timers(t0),
        Timers::default(),
    ];
    for (i, rating) in ratings.iter().enumerate() {
        conn.execute(
            "INSERT INTO tickets (
                 id, number_full, number_short, subject, department, status, priority,
                 ticket_type, custom_fields, channel, internal, opened_by_kind, created_at,
                 updated_at, version, timers, satisfaction
             ) VALUES (
                 ?1, ?2, ?3, 'Old', ?4, 'new', 2, 'incident', '{}', 'web', 0, 'system',
                 1767600000000000, 1767600000000000, 1, ?5, ?6
             )",
            (
                crate::rows::blob(uuid::Uuid::now_v7()),
                format!("20260105000000{i:02}"),
                format!("000000{i:02}"),
                crate::rows::blob(uuid::Uuid::now_v7()),
                serde_json::to_string(&timers[i % 2]).unwrap(),
                rating.as_ref().map(|r| serde_json::to_string(r).unwrap()),
            ),
        )
        .unwrap();
    }
    migrate(&mut conn).unwrap();

    type Columns = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<u8>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        i64,
    );
    let got: Vec<Columns> = conn
        .prepare(
            "SELECT sla_first_response, sla_next_response, sla_resolution,
                    satisfaction_score, satisfaction_at, first_response_secs,
                    resolution_secs, reopens
             FROM tickets ORDER BY number_full",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let want: Vec<Columns> = ratings
        .iter()
        .enumerate()
        .map(|(i, rating)| {
            let sla = |target| {
                timers[i % 2]
                    .clock(target)
                    .and_then(|c| c.outcome)
                    .map(|o: SlaOutcome| o.as_str().to_owned())
            };
            use helpdesk_core::domain::SlaTarget;
            (
                sla(SlaTarget::FirstResponse),
                sla(SlaTarget::NextResponse),
                sla(SlaTarget::Resolution),
                rating.as_ref().map(|r| r.score.get()),
                rating.as_ref().map(|r| crate::rows::micros(r.at)),
                None,
                None,
                0,
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        (&got[0].0, &got[0].1, &got[0].2),
        (&None, &Some("met".to_owned()), &Some("breached".to_owned()))
    );
}

/// An article's anonymous tallies from before 0012 survive it: it reads back with the
/// same counts, and a person's vote then adds to them, moves when changed and counts
/// once.
#[tokio::test]
async fn article_tallies_from_before_0012_survive_and_votes_add_to_them() {
    use helpdesk_core::domain::{ArticleId, ArticleVote, CustomerId, Voter};
    use helpdesk_core::store::KnowledgeStore;

    let id = uuid::Uuid::now_v7();
    let path = std::env::temp_dir().join(format!("helpdesk-0012-{id}.db"));
    {
        let mut conn = Connection::open(&path).unwrap();
        migrations().to_version(&mut conn, 11).unwrap();
        conn.execute(
            "INSERT INTO articles (id, title, body, category, language, status, visibility,
                                   helpful, not_helpful, created_at, updated_at)
             VALUES (?1, 'Router', 'Restart it.', 'faq', 'en', 'published', 'public', 7, 2,
                     1767600000000000, 1767600000000000)",
            [crate::rows::blob(id)],
        )
        .unwrap();
    }
    let store = crate::SqliteStore::open(&path).await.unwrap();
    let article = ArticleId::from_uuid(id);
    let read = store.article(article).await.unwrap().unwrap();
    assert_eq!((read.helpful, read.not_helpful), (7, 2));
    let ana = Voter::Customer(CustomerId::new());
    let vote = |helpful| ArticleVote {
        article,
        voter: ana,
        helpful,
        at: read.updated_at,
    };
    let counts = |a: helpdesk_core::domain::Article| (a.helpful, a.not_helpful);
    assert_eq!(
        counts(store.vote_article(&vote(true)).await.unwrap()),
        (8, 2)
    );
    assert_eq!(
        counts(store.vote_article(&vote(true)).await.unwrap()),
        (8, 2)
    );
    assert_eq!(
        counts(store.vote_article(&vote(false)).await.unwrap()),
        (7, 3)
    );
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// The categories articles were filed in before 0019 become its stored categories, each
/// once, so that the articles stay valid.
#[test]
fn categories_of_articles_from_before_0019_become_stored_categories() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrations().to_version(&mut conn, 17).unwrap();
    for category in ["Сеть", "faq", "Сеть"] {
        conn.execute(
            "INSERT INTO articles (id, title, body, category, language, status, visibility,
                                   helpful, not_helpful, created_at, updated_at)
             VALUES (?1, 'Router', 'Restart it.', ?2, 'en', 'published', 'public', 0, 0,
                     1767600000000000, 1767600000000000)",
            (crate::rows::blob(uuid::Uuid::now_v7()), category),
        )
        .unwrap();
    }
    migrate(&mut conn).unwrap();
    let stored: Vec<String> = conn
        .prepare("SELECT name FROM article_categories ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stored, ["faq", "Сеть"]);
}

/// Time entries logged before 0013 read back with their notes hidden from the customer
/// (nobody chose to show them); entries written after it keep the choice made.
#[test]
fn time_entries_from_before_0013_read_back_with_hidden_notes() {
    use crate::rows::message::{TIME_ENTRY_COLUMNS, TimeEntryRow, read_time_entry};

    let mut conn = Connection::open_in_memory().unwrap();
    migrations().to_version(&mut conn, 12).unwrap();
    // The entries alone: their ticket does not matter here.
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    conn.execute(
        "INSERT INTO time_entries (id, ticket_id, agent, minutes, billable, note, created_at)
         VALUES (?1, ?2, ?3, 30, 1, 'Their firewall is a mess', 1767600000000000)",
        (
            crate::rows::blob(uuid::Uuid::now_v7()),
            crate::rows::blob(uuid::Uuid::now_v7()),
            crate::rows::blob(uuid::Uuid::now_v7()),
        ),
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    let sql = format!("SELECT {TIME_ENTRY_COLUMNS} FROM time_entries ORDER BY seq");
    let read = |conn: &Connection| crate::rows::all(conn, &sql, [], read_time_entry).unwrap();
    let old = read(&conn).remove(0);
    assert!(!old.note_visible_to_customer);
    assert_eq!(old.note.as_str(), "Their firewall is a mess");
    assert_eq!(old.clone().as_seen_by_customer().note.as_str(), "");

    let mut shown = old.clone();
    shown.id = helpdesk_core::domain::TimeEntryId::new();
    shown.note_visible_to_customer = true;
    let row = TimeEntryRow::new(&shown);
    conn.execute(TimeEntryRow::INSERT, &row.params()[..])
        .unwrap();
    assert_eq!(read(&conn), [old, shown]);
}

#[test]
fn migration_files_use_lf_line_endings() {
    for sql in [
        include_str!("../../migrations/0001_initial.sql"),
        include_str!("../../migrations/0002_timers.sql"),
        include_str!("../../migrations/0003_search.sql"),
        include_str!("../../migrations/0004_directory_search_kb.sql"),
        include_str!("../../migrations/0005_feedback.sql"),
        include_str!("../../migrations/0006_templates.sql"),
        include_str!("../../migrations/0007_mail_and_notifications.sql"),
        include_str!("../../migrations/0008_accounts.sql"),
        include_str!("../../migrations/0009_reports.sql"),
        include_str!("../../migrations/0010_chat.sql"),
        include_str!("../../migrations/0011_blob_sweep.sql"),
        include_str!("../../migrations/0012_article_votes.sql"),
        include_str!("../../migrations/0013_time_entry_note_visibility.sql"),
        include_str!("../../migrations/0014_settings_and_ticket_links.sql"),
        include_str!("../../migrations/0015_settings_audit.sql"),
        include_str!("../../migrations/0016_sign_in_attempts.sql"),
        include_str!("../../migrations/0017_search_keyed_by_ticket.sql"),
        include_str!("../../migrations/0018_customer_directory.sql"),
        include_str!("../../migrations/0020_account_links.sql"),
    ] {
        assert!(!sql.contains('\r'));
    }
}

/// E-mail queued before 0014 gets its ticket's full number (for its header); e-mail
/// about no ticket keeps none; and the settings table starts empty.
#[test]
fn outbox_emails_from_before_0014_get_their_tickets_full_number() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrations().to_version(&mut conn, 11).unwrap();
    let ticket = crate::rows::blob(uuid::Uuid::now_v7());
    conn.execute(
        "INSERT INTO tickets (
             id, number_full, number_short, subject, department, status, priority,
             ticket_type, custom_fields, channel, internal, opened_by_kind, created_at,
             updated_at, version
         ) VALUES (
             ?1, '2026010510000007', '10000007', 'Old', ?2, 'new', 2, 'incident', '{}',
             'web', 0, 'system', 1767600000000000, 1767600000000000, 1
         )",
        (ticket, crate::rows::blob(uuid::Uuid::now_v7())),
    )
    .unwrap();
    for (message_id, ticket_id) in [("about@desk", Some(ticket)), ("none@desk", None)] {
        conn.execute(
            "INSERT INTO outbox (id, message_id, ticket_id, kind, language, to_address,
                                 subject, body, message_refs, created_at, attempts,
                                 delivery, delivery_at)
             VALUES (?1, ?2, ?3, 'ticket_received', 'ro', 'ana@example.ro',
                     '[#2026010510000007] Old', 'Bună ziua', '[]', 1767600000000000, 0,
                     'pending', 1767600000000000)",
            (
                crate::rows::blob(uuid::Uuid::now_v7()),
                message_id,
                ticket_id,
            ),
        )
        .unwrap();
    }
    migrate(&mut conn).unwrap();
    let sql = format!(
        "SELECT {} FROM outbox ORDER BY message_id",
        crate::rows::outbox::OUTBOX_COLUMNS
    );
    let emails: Vec<_> = conn
        .prepare(&sql)
        .unwrap()
        .query_map([], |row| Ok(crate::rows::outbox::read_outbound_email(row)))
        .unwrap()
        .map(|r| r.unwrap().unwrap())
        .collect();
    let numbers: Vec<_> = emails.iter().map(|e| e.ticket_number.as_deref()).collect();
    assert_eq!(numbers, [Some("2026010510000007"), None]);
    // And no Cc (migration 0029).
    assert!(emails.iter().all(|e| e.cc.is_empty()));
    let settings: i64 = conn
        .query_row("SELECT count(*) FROM settings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(settings, 0);
}

/// The fields indexed before 0017 are keyed by their ticket's rowid: the subject first,
/// the messages in order, internal notes odd; and the rebuilt index finds them there.
#[test]
fn fields_from_before_0017_are_keyed_by_their_ticket() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrations().to_version(&mut conn, 14).unwrap();
    let mut tickets = Vec::new();
    for (n, subject) in [(1, "Printer jam"), (2, "Router down")] {
        let ticket = crate::rows::blob(uuid::Uuid::now_v7());
        conn.execute(
            "INSERT INTO tickets (
                 id, number_full, number_short, subject, department, status, priority,
                 ticket_type, custom_fields, channel, internal, opened_by_kind, created_at,
                 updated_at, version
             ) VALUES (
                 ?1, ?2, ?3, ?4, ?5, 'new', 2, 'incident', '{}',
                 'web', 0, 'system', 1767600000000000, 1767600000000000, 1
             )",
            (
                ticket,
                format!("202601051000000{n}"),
                format!("1000000{n}"),
                subject,
                crate::rows::blob(uuid::Uuid::now_v7()),
            ),
        )
        .unwrap();
        tickets.push(ticket);
    }
    // Fields in an interleaved order, as two tickets' replies come in.
    let fields = [
        (0, None, false, "router down"),
        (1, None, false, "printer jam"),
        (0, Some(false), false, "the router blinks"),
        (1, Some(false), false, "paper everywhere"),
        (0, Some(true), true, "router model x"),
    ];
    for (t, message, internal, words) in fields {
        let message_seq = match message {
            None => None,
            Some(_) => {
                conn.execute(
                    "INSERT INTO messages (id, ticket_id, author_kind, visibility, channel,
                                           body, attachments, created_at)
                     VALUES (?1, ?2, 'system', ?3, 'web', ?4, '[]', 1767600000000000)",
                    (
                        crate::rows::blob(uuid::Uuid::now_v7()),
                        tickets[t],
                        if internal { "internal" } else { "public" },
                        words,
                    ),
                )
                .unwrap();
                Some(conn.last_insert_rowid())
            }
        };
        conn.execute(
            "INSERT INTO search_fields (ticket_id, message_seq, internal, words, folded)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            (tickets[t], message_seq, internal, words),
        )
        .unwrap();
    }
    migrate(&mut conn).unwrap();
    let keyed: Vec<(i64, i64, bool, String)> = conn
        .prepare(
            "SELECT f.seq >> 24, f.seq & 16777215, t.id = ?1, f.words
             FROM search_fields f JOIN tickets t ON t.rowid = f.seq >> 24 ORDER BY f.seq",
        )
        .unwrap()
        .query_map([tickets[0]], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected: Vec<(i64, i64, bool, String)> = [
        (1, 0, true, "router down"),
        (1, 2, true, "the router blinks"),
        (1, 5, true, "router model x"),
        (2, 0, false, "printer jam"),
        (2, 2, false, "paper everywhere"),
    ]
    .into_iter()
    .map(|(r, k, first, w)| (r, k, first, w.to_owned()))
    .collect();
    assert_eq!(keyed, expected);
    let found: Vec<i64> = conn
        .prepare("SELECT rowid FROM search_index WHERE search_index MATCH '\"router\"'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(found, [1 << 24, (1 << 24) + 2, (1 << 24) + 5]);
    // Each word once per ticket and kind: the subject, a public message, an internal note.
    let words: Vec<(String, i64, i64)> = conn
        .prepare("SELECT word, ticket, kind FROM ticket_words WHERE word IN ('router', 'jam')")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected: Vec<(String, i64, i64)> = [
        ("jam", 2, 0),
        ("router", 1, 0),
        ("router", 1, 1),
        ("router", 1, 2),
    ]
    .into_iter()
    .map(|(w, t, k)| (w.to_owned(), t, k))
    .collect();
    assert_eq!(words, expected);
}

/// Fields written before 0028 have no stem keys; the store computes them when it opens and
/// the triggers put them in `ticket_words`, so an old ticket is found by a word's other forms.
#[test]
fn fields_from_before_0028_get_their_stems_on_open() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrate(&mut conn).unwrap();
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    let row = FieldRow::new("Нет интернета в офисе", false);
    conn.execute(
        "INSERT INTO search_fields (seq, ticket_id, message_seq, internal, words, folded, stems)
         VALUES (16777216, ?1, NULL, 0, ?2, ?3, NULL)",
        (uuid::Uuid::now_v7().as_bytes(), &row.words, &row.folded),
    )
    .unwrap();
    let holds = |conn: &Connection, word: &str| -> bool {
        conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM ticket_words WHERE word = ?1 AND ticket = 1)",
            [word],
            |r| r.get(0),
        )
        .unwrap()
    };
    let key = helpdesk_core::search::stem_keys("офис").remove(0);
    assert!(holds(&conn, "офисе") && !holds(&conn, &key));
    assert_eq!(backfill_search_stems(&mut conn).unwrap(), 1);
    assert!(holds(&conn, "офисе") && holds(&conn, &key));
    let stems: String = conn
        .query_row("SELECT stems FROM search_fields", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stems, row.stems);
    assert_eq!(backfill_search_stems(&mut conn).unwrap(), 0);
}
