//! The PostgreSQL baseline: an sqlx pool (default options, as the store's) to the same
//! database. Rows are read as `to_jsonb(row)` and written back with
//! `jsonb_populate_record`, one statement per row, in explicit transactions.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use helpdesk::policy::{DateScheme, TicketNumberGenerator};
use helpdesk::search::{fold, stem_keys_of, words};
use serde_json::{Map, Value, json};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection, Row as _};
use uuid::Uuid;

use crate::base::{Baseline, Res, Snapshot, Spec, Template};

/// A row: its columns as JSON.
pub type Row = Map<String, Value>;

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

/// Creates database `db` on the server of `admin`; returns its URL.
pub async fn create_database(admin: &str, db: &str) -> Res<String> {
    let mut conn = PgConnection::connect(admin).await?;
    let sql = format!("CREATE DATABASE {db}");
    conn.execute(AssertSqlSafe(sql)).await?;
    conn.close().await?;
    let (base, _) = admin
        .rsplit_once('/')
        .ok_or("DATABASE_URL has no database")?;
    Ok(format!("{base}/{db}"))
}

/// Drops database `db`, closing whatever connections are left.
pub async fn drop_database(admin: &str, db: &str) -> Res<()> {
    let mut conn = PgConnection::connect(admin).await?;
    let sql = format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)");
    conn.execute(AssertSqlSafe(sql)).await?;
    conn.close().await?;
    Ok(())
}

/// The baseline pool.
pub struct PgBaseline {
    pool: PgPool,
    columns: BTreeMap<String, Vec<String>>,
    children: Vec<String>,
    numbers: DateScheme,
}

fn ts(at: i64) -> Value {
    json!(DateTime::<Utc>::from_timestamp_micros(at).map(|t| t.to_rfc3339()))
}

impl PgBaseline {
    /// Connects to `url` with the pool options the store uses (no ping before each
    /// acquisition, see `PostgresStore::connect_without_migrating`).
    pub async fn connect(url: &str) -> Res<Self> {
        let pool = PgPoolOptions::new()
            .test_before_acquire(false)
            .connect(url)
            .await?;
        let rows = sqlx::query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND is_generated = 'NEVER' AND is_identity = 'NO'
             ORDER BY table_name, ordinal_position",
        )
        .fetch_all(&pool)
        .await?;
        let mut columns: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in rows {
            columns
                .entry(r.try_get(0)?)
                .or_default()
                .push(r.try_get(1)?);
        }
        let children = columns
            .iter()
            .filter(|(t, cols)| {
                cols.iter().any(|c| c == "ticket_id")
                    && !t.starts_with("_")
                    && [
                        "ticket_categories",
                        "messages",
                        "ticket_events",
                        "search_fields",
                        "ticket_numbers",
                        "time_entries",
                        "notifications",
                        "outbox",
                        "mail_references",
                    ]
                    .contains(&t.as_str())
            })
            .map(|(t, _)| t.clone())
            .collect();
        Ok(Self {
            pool,
            columns,
            children,
            numbers: DateScheme::default(),
        })
    }

    /// The server's version string.
    pub async fn server_version(&self) -> Res<String> {
        Ok(sqlx::query_scalar("SELECT version()")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    fn order(table: &str) -> &'static str {
        match table {
            "messages" | "ticket_events" | "time_entries" => "seq",
            "search_fields" => "id",
            "ticket_categories" => "category",
            "ticket_numbers" => "length(digits) DESC",
            _ => "ctid",
        }
    }

    async fn rows(&self, table: &str, key: &str, id: Uuid) -> Res<Vec<Row>> {
        let sql = format!(
            "SELECT to_jsonb(x)::text FROM {table} x WHERE {key} = $1 ORDER BY {}",
            Self::order(table)
        );
        let texts: Vec<String> = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        texts
            .iter()
            .map(|t| Ok(serde_json::from_str::<Row>(t)?))
            .collect()
    }

    async fn insert(&self, conn: &mut PgConnection, table: &str, row: &Row) -> Res<()> {
        let cols = self.columns[table].join(", ");
        let sql = format!(
            "INSERT INTO {table} ({cols}) SELECT {cols} FROM jsonb_populate_record(NULL::{table}, $1::jsonb)"
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(serde_json::to_string(row)?)
            .execute(conn)
            .await?;
        Ok(())
    }

    async fn search_field(
        conn: &mut PgConnection,
        ticket: Uuid,
        message: Option<Uuid>,
        internal: bool,
        text: &str,
    ) -> Res<()> {
        let w = words(text);
        let mut lexemes = w.clone();
        lexemes.sort();
        lexemes.dedup();
        let stems = stem_keys_of(&w);
        // As the store writes a field: its stem keys, and in the same statement the
        // `ticket_words` rows of its words and stem keys (migrations 0024 and 0028).
        sqlx::query(
            "WITH f AS (
                 INSERT INTO search_fields
                     (ticket_id, message_id, internal, folded, words, lexemes, stems)
                 VALUES ($1, $2, $3, $4, $5, array_to_tsvector($6), $7)
                 RETURNING ticket_id, message_id, internal, words, stems)
             INSERT INTO ticket_words (word, ticket, kind)
             SELECT DISTINCT w.word, f.ticket_id,
                    CASE WHEN f.message_id IS NULL THEN 0 WHEN f.internal THEN 2 ELSE 1 END
             FROM f, unnest(f.words || f.stems) AS w(word) WHERE octet_length(w.word) <= 1000
             ON CONFLICT DO NOTHING",
        )
        .bind(ticket)
        .bind(message)
        .bind(internal)
        .bind(fold(text))
        .bind(&w)
        .bind(&lexemes)
        .bind(&stems)
        .execute(conn)
        .await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn children(
        &self,
        conn: &mut PgConnection,
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
                row.insert("ticket_id".into(), json!(ticket));
                let new_id = Uuid::now_v7();
                if row.contains_key("id") {
                    row.insert("id".into(), json!(new_id));
                }
                match table {
                    "messages" => {
                        let body = bodies.get(i).cloned().unwrap_or_default();
                        row.insert("body".into(), json!(body));
                        row.insert("created_at".into(), ts(now));
                        if template.get("author_kind") == Some(&json!("customer"))
                            && let Some(c) = customer
                        {
                            row.insert("author_id".into(), json!(c));
                        }
                        let internal = template.get("visibility") != Some(&json!("public"));
                        self.insert(conn, table, &row).await?;
                        Self::search_field(conn, ticket, Some(new_id), internal, &body).await?;
                    }
                    "ticket_events" => {
                        row.insert("at".into(), ts(now));
                        if template.get("actor_kind") == Some(&json!("customer"))
                            && let Some(c) = customer
                        {
                            row.insert("actor_id".into(), json!(c));
                        }
                        self.insert(conn, table, &row).await?;
                    }
                    "notifications" => {
                        row.insert("created_at".into(), ts(now));
                        row.insert("event_id".into(), json!(Uuid::now_v7()));
                        self.insert(conn, table, &row).await?;
                    }
                    _ => self.insert(conn, table, &row).await?,
                }
            }
        }
        Ok(())
    }

    async fn insert_ticket(
        &self,
        conn: &mut PgConnection,
        tpl: &Template<Row>,
        spec: &Spec,
    ) -> Res<()> {
        let seq: i64 = sqlx::query_scalar("SELECT nextval('ticket_number_seq')")
            .fetch_one(&mut *conn)
            .await?;
        let now = Utc::now().timestamp_micros();
        let number = self.numbers.generate(u64::try_from(seq)?, Utc::now());
        let mut row = tpl.ticket.clone();
        row.insert("id".into(), json!(spec.id));
        row.insert("number_full".into(), json!(number.full()));
        row.insert("number_short".into(), json!(number.short()));
        row.insert("subject".into(), json!(spec.subject));
        row.insert("customer".into(), json!(spec.customer));
        row.insert("opened_by_id".into(), json!(spec.customer));
        row.insert("department".into(), json!(spec.department));
        row.insert("created_at".into(), ts(now));
        row.insert("updated_at".into(), ts(now));
        self.insert(conn, "tickets", &row).await?;
        if tpl
            .added
            .get("ticket_numbers")
            .is_some_and(|r| !r.is_empty())
        {
            for digits in [number.full(), number.short()] {
                sqlx::query("INSERT INTO ticket_numbers (digits, ticket_id) VALUES ($1, $2)")
                    .bind(digits)
                    .bind(spec.id)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Self::search_field(conn, spec.id, None, false, &spec.subject).await?;
        self.children(
            conn,
            &tpl.added,
            spec.id,
            Some(spec.customer),
            &spec.bodies,
            now,
        )
        .await
    }

    async fn apply_update(
        &self,
        conn: &mut PgConnection,
        tpl: &Template<Row>,
        id: Uuid,
        bodies: &[String],
    ) -> Res<()> {
        let now = Utc::now().timestamp_micros();
        let current = sqlx::query("SELECT version, customer FROM tickets WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| format!("ticket {id} not found"))?;
        let version: i64 = current.try_get(0)?;
        let customer: Option<Uuid> = current.try_get(1)?;
        let changing: Vec<&String> = self.columns["tickets"]
            .iter()
            .filter(|c| !FIXED.contains(&c.as_str()))
            .collect();
        let cols = changing
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut row = tpl.ticket.clone();
        row.insert("updated_at".into(), ts(now));
        row.insert("version".into(), json!(version + 1));
        let sql = format!(
            "UPDATE tickets SET ({cols}) = (SELECT {cols} FROM jsonb_populate_record(NULL::tickets, $1::jsonb))
             WHERE id = $2 AND version = $3"
        );
        let done = sqlx::query(AssertSqlSafe(sql))
            .bind(serde_json::to_string(&row)?)
            .bind(id)
            .bind(version)
            .execute(&mut *conn)
            .await?;
        if done.rows_affected() != 1 {
            return Err(format!("ticket {id} changed concurrently").into());
        }
        self.children(conn, &tpl.added, id, customer, bodies, now)
            .await
    }

    /// The rows [`insert_ticket`](Self::insert_ticket) writes for each of `specs`, written
    /// with one statement per table (`jsonb_populate_recordset` of every row of the chunk),
    /// the search fields and their `ticket_words` rows with one statement for the chunk.
    async fn fill_set(
        &self,
        conn: &mut PgConnection,
        tpl: &Template<Row>,
        specs: &[Spec],
    ) -> Res<()> {
        let count = i64::try_from(specs.len())?;
        let seqs: Vec<i64> =
            sqlx::query_scalar("SELECT nextval('ticket_number_seq') FROM generate_series(1, $1)")
                .bind(count)
                .fetch_all(&mut *conn)
                .await?;
        let with_numbers = tpl
            .added
            .get("ticket_numbers")
            .is_some_and(|r| !r.is_empty());
        let mut tables: BTreeMap<&str, Vec<Row>> = BTreeMap::new();
        let (mut digits, mut owners) = (Vec::new(), Vec::new());
        let mut fields: Vec<Value> = Vec::new();
        for (spec, seq) in specs.iter().zip(seqs) {
            let now = Utc::now().timestamp_micros();
            let number = self.numbers.generate(u64::try_from(seq)?, Utc::now());
            let mut row = tpl.ticket.clone();
            row.insert("id".into(), json!(spec.id));
            row.insert("number_full".into(), json!(number.full()));
            row.insert("number_short".into(), json!(number.short()));
            row.insert("subject".into(), json!(spec.subject));
            row.insert("customer".into(), json!(spec.customer));
            row.insert("opened_by_id".into(), json!(spec.customer));
            row.insert("department".into(), json!(spec.department));
            row.insert("created_at".into(), ts(now));
            row.insert("updated_at".into(), ts(now));
            tables.entry("tickets").or_default().push(row);
            if with_numbers {
                for d in [number.full(), number.short()] {
                    digits.push(d.to_owned());
                    owners.push(spec.id);
                }
            }
            fields.push(field(spec.id, None, false, &spec.subject));
            Self::child_rows(&mut tables, &mut fields, &tpl.added, spec, now);
        }
        // Parents first: tickets, then the tables that refer to them.
        for table in [
            "tickets",
            "ticket_categories",
            "messages",
            "ticket_events",
            "notifications",
        ] {
            let Some(rows) = tables.get(table).filter(|r| !r.is_empty()) else {
                continue;
            };
            let cols = self.columns[table].join(", ");
            let sql = format!(
                "INSERT INTO {table} ({cols})
                 SELECT {cols} FROM jsonb_populate_recordset(NULL::{table}, $1::jsonb)"
            );
            sqlx::query(AssertSqlSafe(sql))
                .bind(serde_json::to_string(rows)?)
                .execute(&mut *conn)
                .await?;
        }
        if with_numbers {
            sqlx::query(
                "INSERT INTO ticket_numbers (digits, ticket_id)
                 SELECT * FROM unnest($1::text[], $2::uuid[])",
            )
            .bind(&digits)
            .bind(&owners)
            .execute(&mut *conn)
            .await?;
        }
        // As `search_field` writes one field, for every field of the chunk.
        sqlx::query(
            "WITH f AS (
                 INSERT INTO search_fields
                     (ticket_id, message_id, internal, folded, words, lexemes, stems)
                 SELECT x.ticket_id, x.message_id, x.internal, x.folded, x.words,
                        array_to_tsvector(x.lexemes), x.stems
                 FROM jsonb_to_recordset($1::jsonb) AS x(ticket_id uuid, message_id uuid,
                     internal boolean, folded text, words text[], lexemes text[], stems text[])
                 RETURNING ticket_id, message_id, internal, words, stems)
             INSERT INTO ticket_words (word, ticket, kind)
             SELECT DISTINCT w.word, f.ticket_id,
                    CASE WHEN f.message_id IS NULL THEN 0 WHEN f.internal THEN 2 ELSE 1 END
             FROM f, unnest(f.words || f.stems) AS w(word) WHERE octet_length(w.word) <= 1000
             ON CONFLICT DO NOTHING",
        )
        .bind(serde_json::to_string(&fields)?)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// The child rows [`children`](Self::children) writes for `spec`, added to `tables`,
    /// and their messages' search fields to `fields`.
    fn child_rows(
        tables: &mut BTreeMap<&'static str, Vec<Row>>,
        fields: &mut Vec<Value>,
        added: &BTreeMap<String, Vec<Row>>,
        spec: &Spec,
        now: i64,
    ) {
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
                row.insert("ticket_id".into(), json!(spec.id));
                let new_id = Uuid::now_v7();
                if row.contains_key("id") {
                    row.insert("id".into(), json!(new_id));
                }
                match table {
                    "messages" => {
                        let body = spec.bodies.get(i).cloned().unwrap_or_default();
                        row.insert("body".into(), json!(body));
                        row.insert("created_at".into(), ts(now));
                        if template.get("author_kind") == Some(&json!("customer")) {
                            row.insert("author_id".into(), json!(spec.customer));
                        }
                        let internal = template.get("visibility") != Some(&json!("public"));
                        fields.push(field(spec.id, Some(new_id), internal, &body));
                    }
                    "ticket_events" => {
                        row.insert("at".into(), ts(now));
                        if template.get("actor_kind") == Some(&json!("customer")) {
                            row.insert("actor_id".into(), json!(spec.customer));
                        }
                    }
                    "notifications" => {
                        row.insert("created_at".into(), ts(now));
                        row.insert("event_id".into(), json!(Uuid::now_v7()));
                    }
                    _ => {}
                }
                tables.entry(table).or_default().push(row);
            }
        }
    }

    async fn read_all(
        &self,
        q: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
    ) -> Res<usize> {
        let rows = q.fetch_all(&self.pool).await?;
        for r in &rows {
            for i in 0..r.len() {
                std::hint::black_box(r.try_get_raw(i)?);
            }
        }
        Ok(rows.len())
    }
}

/// A search field's values as [`PgBaseline::search_field`] computes them, as JSON.
fn field(ticket: Uuid, message: Option<Uuid>, internal: bool, text: &str) -> Value {
    let w = words(text);
    let mut lexemes = w.clone();
    lexemes.sort();
    lexemes.dedup();
    let stems = stem_keys_of(&w);
    json!({
        "ticket_id": ticket,
        "message_id": message,
        "internal": internal,
        "folded": fold(text),
        "words": w,
        "lexemes": lexemes,
        "stems": stems,
    })
}

#[async_trait::async_trait(?Send)]
impl Baseline for PgBaseline {
    type Row = Row;

    async fn snapshot(&mut self, id: Uuid) -> Res<Snapshot<Row>> {
        let ticket = self
            .rows("tickets", "id", id)
            .await?
            .pop()
            .ok_or_else(|| format!("ticket {id} not found"))?;
        let mut children = BTreeMap::new();
        for table in self.children.clone() {
            let rows = self.rows(&table, "ticket_id", id).await?;
            children.insert(table, rows);
        }
        Ok(Snapshot { ticket, children })
    }

    async fn create(&mut self, tpl: &Template<Row>, spec: &Spec) -> Res<()> {
        let mut tx = self.pool.begin().await?;
        self.insert_ticket(&mut tx, tpl, spec).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update(&mut self, tpl: &Template<Row>, id: Uuid, bodies: &[String]) -> Res<()> {
        let mut tx = self.pool.begin().await?;
        self.apply_update(&mut tx, tpl, id, bodies).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn fill(&mut self, tpl: &Template<Row>, specs: &[Spec]) -> Res<()> {
        let mut tx = self.pool.begin().await?;
        self.fill_set(&mut tx, tpl, specs).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn queue_page(&mut self, department: Uuid) -> Res<usize> {
        self.read_all(
            sqlx::query(
                "SELECT * FROM tickets WHERE department = $1
                 ORDER BY updated_at DESC, id DESC LIMIT 26",
            )
            .bind(department),
        )
        .await
    }

    async fn search_page(&mut self, department: Uuid, word: &str) -> Res<usize> {
        self.read_all(
            sqlx::query(
                "SELECT * FROM tickets t WHERE t.department = $1 AND EXISTS (
                     SELECT 1 FROM search_fields f
                     WHERE f.ticket_id = t.id AND f.lexemes @@ to_tsquery('simple', $2))
                 ORDER BY t.updated_at DESC, t.id DESC LIMIT 26",
            )
            .bind(department)
            .bind(word.to_owned()),
        )
        .await
    }

    async fn ticket_thread(&mut self, id: Uuid) -> Res<usize> {
        let a = self
            .read_all(sqlx::query("SELECT * FROM tickets WHERE id = $1").bind(id))
            .await?;
        let b = self
            .read_all(
                sqlx::query("SELECT * FROM messages WHERE ticket_id = $1 ORDER BY seq").bind(id),
            )
            .await?;
        Ok(a + b)
    }

    async fn due_count(&mut self, now: DateTime<Utc>) -> Res<usize> {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM tickets WHERE next_due_at IS NOT NULL AND next_due_at <= $1",
        )
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(usize::try_from(n)?)
    }

    async fn run_due(&mut self, tpl: &Template<Row>, now: DateTime<Utc>) -> Res<usize> {
        let mut done = 0;
        loop {
            let rows = sqlx::query(
                "SELECT * FROM tickets WHERE next_due_at IS NOT NULL AND next_due_at <= $1
                 ORDER BY next_due_at, id LIMIT 100",
            )
            .bind(now)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                return Ok(done);
            }
            for r in rows {
                let id: Uuid = r.try_get("id")?;
                self.update(tpl, id, &[]).await?;
                done += 1;
            }
        }
    }
}

#[async_trait::async_trait(?Send)]
impl crate::reads::ReadBaseline for PgBaseline {
    async fn rare_page(&mut self, department: Uuid, word: &str) -> Res<usize> {
        self.read_all(
            sqlx::query(
                "SELECT * FROM tickets t WHERE t.department = $1 AND t.id IN (
                     SELECT f.ticket_id FROM search_fields f
                     WHERE f.lexemes @@ to_tsquery('simple', $2))
                 ORDER BY t.updated_at DESC, t.id DESC LIMIT 26",
            )
            .bind(department)
            .bind(word.to_owned()),
        )
        .await
    }

    async fn relevance_page(&mut self, department: Uuid, word: &str) -> Res<usize> {
        self.read_all(
            sqlx::query(
                "SELECT * FROM tickets t WHERE t.department = $1 AND EXISTS (
                     SELECT 1 FROM search_fields f
                     WHERE f.ticket_id = t.id AND f.lexemes @@ to_tsquery('simple', $2))
                 ORDER BY EXISTS (
                     SELECT 1 FROM search_fields f WHERE f.ticket_id = t.id
                     AND f.message_id IS NULL AND f.lexemes @@ to_tsquery('simple', $2)) DESC,
                 t.updated_at DESC, t.id DESC LIMIT 26",
            )
            .bind(department)
            .bind(word.to_owned()),
        )
        .await
    }

    async fn thread_page(&mut self, id: Uuid) -> Res<usize> {
        self.read_all(
            sqlx::query("SELECT * FROM messages WHERE ticket_id = $1 ORDER BY seq DESC LIMIT $2")
                .bind(id)
                .bind(i64::from(crate::reads::THREAD_PAGE) + 1),
        )
        .await
    }

    async fn principal(&mut self, agent: Uuid) -> Res<usize> {
        // The departments are a column of the agent's row here.
        self.read_all(sqlx::query("SELECT * FROM agents WHERE id = $1").bind(agent))
            .await
    }
}
