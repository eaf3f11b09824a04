//! The SQLite baseline: a rusqlite connection to the store's file with the store's settings
//! (WAL, `synchronous=NORMAL`, `foreign_keys=ON`, a 5 s busy timeout, 64 cached statements;
//! see helpdesk-sqlite/src/connection.rs), running plain statements inline.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use helpdesk::policy::{DateScheme, TicketNumberGenerator};
use helpdesk::search::{fold, stem_keys_of, words};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use crate::base::{Baseline, Res, Snapshot, Spec, Template, micros};

/// A row: its columns, by name.
pub type Row = Vec<(String, Value)>;

/// The ticket columns an update never changes.
const FIXED: [&str; 9] = [
    "id",
    "number_full",
    "number_short",
    "subject",
    "customer",
    "department",
    "created_at",
    "opened_by_kind",
    "opened_by_id",
];

/// The baseline connection.
pub struct SqliteBaseline {
    conn: Connection,
    /// Each table's writable columns (generated ones excluded), and whether it has `seq`.
    columns: BTreeMap<String, Vec<String>>,
    /// The child tables: every table with a `ticket_id` column.
    children: Vec<String>,
    numbers: DateScheme,
}

fn blob(id: Uuid) -> Value {
    Value::Blob(id.as_bytes().to_vec())
}

fn set(row: &mut Row, column: &str, value: Value) {
    if let Some((_, v)) = row.iter_mut().find(|(c, _)| c == column) {
        *v = value;
    }
}

fn get<'r>(row: &'r Row, column: &str) -> Option<&'r Value> {
    row.iter().find(|(c, _)| c == column).map(|(_, v)| v)
}

impl SqliteBaseline {
    /// Opens `path` as the store does.
    pub fn open(path: &Path) -> Res<Self> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.set_prepared_statement_cache_capacity(64);
        let _mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%STRICT%'")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut columns = BTreeMap::new();
        let mut children = Vec::new();
        for table in tables {
            // table_info leaves out generated columns.
            let cols: Vec<String> = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let watched = [
                "ticket_categories",
                "messages",
                "ticket_events",
                "search_fields",
                "time_entries",
                "notifications",
                "outbox",
                "mail_references",
            ];
            if watched.contains(&table.as_str()) {
                children.push(table.clone());
            }
            columns.insert(table, cols);
        }
        Ok(Self {
            conn,
            columns,
            children,
            numbers: DateScheme::default(),
        })
    }

    fn has_seq(&self, table: &str) -> bool {
        self.columns[table].iter().any(|c| c == "seq")
    }

    fn rows(&self, table: &str, key: &str, id: Uuid) -> Res<Vec<Row>> {
        let cols = &self.columns[table];
        let order = if self.has_seq(table) { "seq" } else { "rowid" };
        let order = if table == "ticket_categories" {
            "category"
        } else {
            order
        };
        let sql = format!(
            "SELECT {} FROM {table} WHERE {key} = ?1 ORDER BY {order}",
            cols.join(", ")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map([blob(id)], |r| {
                (0..cols.len())
                    .map(|i| Ok((cols[i].clone(), r.get::<_, Value>(i)?)))
                    .collect::<rusqlite::Result<Row>>()
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Inserts `row` into `table`, leaving out `seq`; returns the new rowid.
    fn insert(conn: &Connection, table: &str, row: &Row) -> Res<i64> {
        let cols: Vec<&(String, Value)> = row.iter().filter(|(c, _)| c != "seq").collect();
        let names: Vec<&str> = cols.iter().map(|(c, _)| c.as_str()).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            names.join(", "),
            marks.join(", ")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        stmt.execute(rusqlite::params_from_iter(cols.iter().map(|(_, v)| v)))?;
        Ok(conn.last_insert_rowid())
    }

    fn search_field(
        conn: &Connection,
        ticket: Uuid,
        message_seq: Option<i64>,
        internal: bool,
        text: &str,
    ) -> Res<()> {
        let w = words(text);
        // Keyed by the ticket's rowid as the library keys it (migration 0017): the subject
        // first in the ticket's range, each message after the range's last field.
        conn.prepare_cached(
            "INSERT INTO search_fields (seq, ticket_id, message_seq, internal, words, folded, stems)
             SELECT CASE WHEN ?2 IS NULL THEN t.rowid << 24
                    ELSE ((coalesce((SELECT max(seq) FROM search_fields
                                     WHERE seq BETWEEN t.rowid << 24
                                                   AND (t.rowid << 24) + 16777215),
                                    t.rowid << 24) >> 1) + 1) * 2 + ?3 END,
                    ?1, ?2, ?3, ?4, ?5, ?6
             FROM tickets t WHERE t.id = ?1",
        )?
        .execute(params![
            blob(ticket),
            message_seq,
            internal,
            w.join(" "),
            fold(text),
            // As the library writes a field: its stem keys (migration 0028).
            stem_keys_of(&w).join(" ")
        ])?;
        Ok(())
    }

    /// Writes the child rows of `added` for `ticket` (messages with `bodies`, search fields
    /// rebuilt from the text, everything else copied with fresh ids and times).
    fn children(
        conn: &Connection,
        added: &BTreeMap<String, Vec<Row>>,
        ticket: Uuid,
        customer: Option<Uuid>,
        bodies: &[String],
        now: i64,
    ) -> Res<()> {
        for table in [
            "ticket_categories",
            "messages",
            "ticket_events",
            "notifications",
        ] {
            let Some(rows) = added.get(table) else {
                continue;
            };
            for (i, template) in rows.iter().enumerate() {
                let mut row = template.clone();
                set(&mut row, "ticket_id", blob(ticket));
                set(&mut row, "id", blob(Uuid::now_v7()));
                match table {
                    "messages" => {
                        let body = bodies.get(i).cloned().unwrap_or_default();
                        set(&mut row, "body", Value::Text(body.clone()));
                        set(&mut row, "created_at", Value::Integer(now));
                        if let (Some(c), Some(Value::Text(k))) =
                            (customer, get(template, "author_kind"))
                            && k == "customer"
                        {
                            set(&mut row, "author_id", blob(c));
                        }
                        let internal = !matches!(get(template, "visibility"), Some(Value::Text(v)) if v == "public");
                        let seq = Self::insert(conn, table, &row)?;
                        Self::search_field(conn, ticket, Some(seq), internal, &body)?;
                    }
                    "ticket_events" => {
                        set(&mut row, "at", Value::Integer(now));
                        if let (Some(c), Some(Value::Text(k))) =
                            (customer, get(template, "actor_kind"))
                            && k == "customer"
                        {
                            set(&mut row, "actor_id", blob(c));
                        }
                        Self::insert(conn, table, &row)?;
                    }
                    "notifications" => {
                        set(&mut row, "created_at", Value::Integer(now));
                        set(&mut row, "event_id", blob(Uuid::now_v7()));
                        Self::insert(conn, table, &row)?;
                    }
                    _ => {
                        Self::insert(conn, table, &row)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Inserts ticket `spec` as `tpl` says, with its subject's search field and children.
    fn insert_ticket(&self, tpl: &Template<Row>, spec: &Spec, seq: u64, now: i64) -> Res<()> {
        let number = self.numbers.generate(seq, Utc::now());
        let mut row = tpl.ticket.clone();
        set(&mut row, "id", blob(spec.id));
        set(&mut row, "number_full", Value::Text(number.full().into()));
        set(&mut row, "number_short", Value::Text(number.short().into()));
        set(&mut row, "subject", Value::Text(spec.subject.clone()));
        set(&mut row, "customer", blob(spec.customer));
        set(&mut row, "opened_by_id", blob(spec.customer));
        set(&mut row, "department", blob(spec.department));
        set(&mut row, "created_at", Value::Integer(now));
        set(&mut row, "updated_at", Value::Integer(now));
        Self::insert(&self.conn, "tickets", &row)?;
        Self::search_field(&self.conn, spec.id, None, false, &spec.subject)?;
        Self::children(
            &self.conn,
            &tpl.added,
            spec.id,
            Some(spec.customer),
            &spec.bodies,
            now,
        )
    }

    fn next_sequence(&self) -> Res<u64> {
        let v: i64 = self
            .conn
            .prepare_cached(
                "UPDATE ticket_sequence SET value = value + 1 WHERE id = 1 RETURNING value",
            )?
            .query_row([], |r| r.get(0))?;
        Ok(u64::try_from(v)?)
    }

    /// The update of `tpl` on ticket `id`: a version check, the row, the children.
    fn apply_update(&self, tpl: &Template<Row>, id: Uuid, bodies: &[String]) -> Res<()> {
        let now = micros(Utc::now());
        let current: Option<(i64, Option<Vec<u8>>)> = self
            .conn
            .prepare_cached("SELECT version, customer FROM tickets WHERE id = ?1")?
            .query_row([blob(id)], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((version, customer)) = current else {
            return Err(format!("ticket {id} not found").into());
        };
        let changing: Vec<&(String, Value)> = tpl
            .ticket
            .iter()
            .filter(|(c, _)| !FIXED.contains(&c.as_str()))
            .collect();
        let sets: Vec<String> = changing
            .iter()
            .enumerate()
            .map(|(i, (c, _))| format!("{c} = ?{}", i + 3))
            .collect();
        let sql = format!(
            "UPDATE tickets SET {} WHERE id = ?1 AND version = ?2",
            sets.join(", ")
        );
        let mut values: Vec<Value> = vec![blob(id), Value::Integer(version)];
        for (c, v) in changing {
            values.push(match c.as_str() {
                "updated_at" => Value::Integer(now),
                "version" => Value::Integer(version + 1),
                _ => v.clone(),
            });
        }
        let changed = self
            .conn
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values.iter()))?;
        if changed != 1 {
            return Err(format!("ticket {id} changed concurrently").into());
        }
        let customer = customer
            .and_then(|b| <[u8; 16]>::try_from(b.as_slice()).ok())
            .map(Uuid::from_bytes);
        Self::children(&self.conn, &tpl.added, id, customer, bodies, now)
    }

    fn read_all(stmt: &mut rusqlite::CachedStatement<'_>, p: impl rusqlite::Params) -> Res<usize> {
        let mut rows = stmt.query(p)?;
        let mut n = 0usize;
        while let Some(row) = rows.next()? {
            for i in 0..row.as_ref().column_count() {
                if let ValueRef::Blob(b) | ValueRef::Text(b) = row.get_ref(i)? {
                    std::hint::black_box(b);
                }
            }
            n += 1;
        }
        Ok(n)
    }
}

#[async_trait::async_trait(?Send)]
impl Baseline for SqliteBaseline {
    type Row = Row;

    async fn snapshot(&mut self, id: Uuid) -> Res<Snapshot<Row>> {
        let ticket = self
            .rows("tickets", "id", id)?
            .pop()
            .ok_or_else(|| format!("ticket {id} not found"))?;
        let mut children = BTreeMap::new();
        for table in &self.children {
            children.insert(table.clone(), self.rows(table, "ticket_id", id)?);
        }
        Ok(Snapshot { ticket, children })
    }

    async fn create(&mut self, tpl: &Template<Row>, spec: &Spec) -> Res<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = (|| {
            let seq = self.next_sequence()?;
            self.insert_ticket(tpl, spec, seq, micros(Utc::now()))
        })();
        finish(&self.conn, result)
    }

    async fn update(&mut self, tpl: &Template<Row>, id: Uuid, bodies: &[String]) -> Res<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = self.apply_update(tpl, id, bodies);
        finish(&self.conn, result)
    }

    async fn fill(&mut self, tpl: &Template<Row>, specs: &[Spec]) -> Res<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = (|| {
            for spec in specs {
                let seq = self.next_sequence()?;
                self.insert_ticket(tpl, spec, seq, micros(Utc::now()))?;
            }
            Ok(())
        })();
        finish(&self.conn, result)
    }

    async fn queue_page(&mut self, department: Uuid) -> Res<usize> {
        let cols = self.columns["tickets"].join(", ");
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {cols} FROM tickets WHERE department = ?1
             ORDER BY updated_at DESC, id DESC LIMIT 26"
        ))?;
        Self::read_all(&mut stmt, [blob(department)])
    }

    async fn search_page(&mut self, department: Uuid, word: &str) -> Res<usize> {
        let cols = self.columns["tickets"].join(", ");
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {cols} FROM tickets t WHERE department = ?1 AND EXISTS (
                 SELECT 1 FROM ticket_words w WHERE w.word = ?2 AND w.ticket = t.rowid)
             ORDER BY updated_at DESC, id DESC LIMIT 26"
        ))?;
        Self::read_all(&mut stmt, params![blob(department), word])
    }

    async fn ticket_thread(&mut self, id: Uuid) -> Res<usize> {
        let tcols = self.columns["tickets"].join(", ");
        let mcols = self.columns["messages"].join(", ");
        let mut n = Self::read_all(
            &mut self
                .conn
                .prepare_cached(&format!("SELECT {tcols} FROM tickets WHERE id = ?1"))?,
            [blob(id)],
        )?;
        n += Self::read_all(
            &mut self.conn.prepare_cached(&format!(
                "SELECT {mcols} FROM messages WHERE ticket_id = ?1 ORDER BY seq"
            ))?,
            [blob(id)],
        )?;
        Ok(n)
    }

    async fn due_count(&mut self, now: DateTime<Utc>) -> Res<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM tickets WHERE next_due_at IS NOT NULL AND next_due_at <= ?1",
            [micros(now)],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n)?)
    }

    async fn run_due(&mut self, tpl: &Template<Row>, now: DateTime<Utc>) -> Res<usize> {
        let cols = self.columns["tickets"].join(", ");
        let mut done = 0;
        loop {
            let ids: Vec<Vec<u8>> = {
                let mut stmt = self.conn.prepare_cached(&format!(
                    "SELECT {cols} FROM tickets
                     WHERE next_due_at IS NOT NULL AND next_due_at <= ?1
                     ORDER BY next_due_at, id LIMIT 100"
                ))?;
                let mut rows = stmt.query([micros(now)])?;
                let mut ids = Vec::new();
                while let Some(row) = rows.next()? {
                    for i in 1..row.as_ref().column_count() {
                        std::hint::black_box(row.get_ref(i)?);
                    }
                    ids.push(row.get(0)?);
                }
                ids
            };
            if ids.is_empty() {
                return Ok(done);
            }
            for id in ids {
                let id = Uuid::from_bytes(<[u8; 16]>::try_from(id.as_slice())?);
                self.update(tpl, id, &[]).await?;
                done += 1;
            }
        }
    }
}

/// Commits when `result` is Ok, else rolls back.
fn finish(conn: &Connection, result: Res<()>) -> Res<()> {
    match result {
        Ok(()) => {
            conn.execute_batch("COMMIT")?;
            Ok(())
        }
        Err(e) => {
            conn.execute_batch("ROLLBACK")?;
            Err(e)
        }
    }
}

#[async_trait::async_trait(?Send)]
impl crate::reads::ReadBaseline for SqliteBaseline {
    async fn rare_page(&mut self, department: Uuid, word: &str) -> Res<usize> {
        let cols = self.columns["tickets"].join(", ");
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {cols} FROM (SELECT DISTINCT ticket AS k FROM ticket_words
                                 WHERE word = ?2) m
             CROSS JOIN tickets t ON t.rowid = m.k
             WHERE department = ?1 ORDER BY updated_at DESC, id DESC LIMIT 26"
        ))?;
        Self::read_all(&mut stmt, params![blob(department), word])
    }

    async fn relevance_page(&mut self, department: Uuid, word: &str) -> Res<usize> {
        let cols = self.columns["tickets"].join(", ");
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {cols} FROM tickets t WHERE department = ?1 AND EXISTS (
                 SELECT 1 FROM ticket_words w WHERE w.word = ?2 AND w.ticket = t.rowid)
             ORDER BY EXISTS (SELECT 1 FROM ticket_words w WHERE w.word = ?2
                              AND w.ticket = t.rowid AND w.kind = 0) DESC,
                      updated_at DESC, id DESC LIMIT 26"
        ))?;
        Self::read_all(&mut stmt, params![blob(department), word])
    }

    async fn thread_page(&mut self, id: Uuid) -> Res<usize> {
        let cols = self.columns["messages"].join(", ");
        // The limit a literal: SQLite prepares a statement with a bound LIMIT again each
        // time it is bound.
        let rows = i64::from(crate::reads::THREAD_PAGE) + 1;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {cols} FROM messages WHERE ticket_id = ?1 ORDER BY seq DESC LIMIT {rows}"
        ))?;
        Self::read_all(&mut stmt, params![blob(id)])
    }

    async fn principal(&mut self, agent: Uuid) -> Res<usize> {
        let n = Self::read_all(
            &mut self
                .conn
                .prepare_cached("SELECT * FROM agents WHERE id = ?1")?,
            [blob(agent)],
        )?;
        Ok(n + Self::read_all(
            &mut self
                .conn
                .prepare_cached("SELECT * FROM agent_departments WHERE agent_id = ?1")?,
            [blob(agent)],
        )?)
    }
}
