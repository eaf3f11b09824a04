//! [`SqliteStore`]: the [`Store`] trait over the SQLite database.

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{
    Agent, AgentId, Article, ArticleId, CannedResponse, Customer, CustomerId, DeliveryOutcome,
    Department, DepartmentId, Email, Language, MailReference, Message, Notification,
    NotificationId, NotificationState, OutboundEmail, OutboxId, Recipient, SavedSearchId,
    TemplateId, Ticket, TicketEvent, TicketId, TicketTemplate, TimeEntry, Visibility,
};
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::search::{
    ArticleSearch, ArticleSuggest, CustomerLookup, SavedSearch, TicketSearch,
};
use helpdesk_core::store::{
    AccountStore, BlobKey, ChatStore, KnowledgeStore, Page, PageRequest, ReportStore,
    SavedSearchStore, Store, TemplateStore, TicketFilter, WriteBatch,
};
use rusqlite::{Connection, OptionalExtension, Params, Row, TransactionBehavior, params_from_iter};

use crate::connection::{self, Database};
use crate::error::{Outcome, SqliteError};
use crate::rows::{
    AGENT_COLUMNS, ARTICLE_COLUMNS, AgentRow, CANNED_RESPONSE_COLUMNS, CUSTOMER_COLUMNS,
    CannedResponseRow, CustomerRow, DEPARTMENT_COLUMNS, DepartmentRow, EVENT_COLUMNS,
    MESSAGE_COLUMNS, SAVED_SEARCH_COLUMNS, SavedSearchRow, TEMPLATE_COLUMNS, TICKET_COLUMNS,
    TIME_ENTRY_COLUMNS, TemplateRow, blob, literal, read_agent, read_article, read_canned_response,
    read_customer, read_department, read_event, read_message, read_ranked_ticket,
    read_saved_search, read_template, read_ticket, read_time_entry,
};
use crate::{commit, knowledge, query};

/// A helpdesk in an SQLite database: a file, or memory.
///
/// Cloning is cheap and shares the connections. Every call runs on Tokio's blocking pool, so
/// the store must be used inside a Tokio runtime. A call whose future is dropped still runs
/// to its end (a commit is then either fully written or not at all, as always).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), helpdesk_core::Error> {
/// use std::sync::Arc;
/// use helpdesk_core::store::Store;
/// use helpdesk_sqlite::SqliteStore;
///
/// let dir = std::env::temp_dir().join(format!("helpdesk-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
///
/// // A file database: created if missing, migrated, in WAL mode.
/// let file = SqliteStore::open(dir.join("helpdesk.db")).await?;
/// let store: Arc<dyn Store> = Arc::new(file.clone());
/// assert_eq!(store.next_ticket_sequence().await?, 1);
/// drop(store);
/// file.close().await?;
///
/// // A private in-memory database, for tests.
/// let scratch: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().await?);
/// assert!(scratch.departments().await?.is_empty());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct SqliteStore {
    db: Arc<Database>,
}

impl SqliteStore {
    /// Runs a ticket list query built with `LIMIT page.limit() + 1` (each row with its
    /// `relevance`) and makes the page.
    async fn fetch_page(&self, query: query::Query, page: &PageRequest) -> Result<Page<Ticket>> {
        let page = page.clone();
        self.read(move |conn| {
            let rows = all(
                conn,
                &query.sql,
                params_from_iter(query.params.iter()),
                read_ranked_ticket,
            )?;
            Ok(page.into_page_scored(rows))
        })
        .await
    }

    /// Opens the database file at `path`, creating it if it does not exist, and brings its
    /// schema up to date.
    ///
    /// The file is put in WAL mode with `synchronous=NORMAL`: a committed write survives a
    /// crash of the application, and a power loss or OS crash may lose the last commits but
    /// never corrupts the database. Foreign keys are enforced, and a connection waits up to
    /// five seconds for a lock another process holds.
    ///
    /// # Errors
    ///
    /// [`helpdesk_core::Error::Backend`] with a [`SqliteError`] when the file cannot be opened,
    /// cannot use WAL, or its schema cannot be migrated (for instance because a newer version
    /// of this crate already migrated it further).
    pub async fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_owned();
        let db = connection::run(move || Ok(Database::open_file(&path)?)).await?;
        Ok(Self { db: Arc::new(db) })
    }

    /// Opens a new, empty database in memory, private to this store (and its clones).
    ///
    /// # Errors
    ///
    /// [`helpdesk_core::Error::Backend`] if SQLite cannot allocate or migrate it.
    pub async fn open_in_memory() -> Result<Self> {
        let db = connection::run(|| Ok(Database::open_memory()?)).await?;
        Ok(Self { db: Arc::new(db) })
    }

    /// Closes the database now, waiting for its connections to close (a file database is
    /// checkpointed, and its `-wal` and `-shm` files removed). Other clones of this store keep
    /// it open; the last one to go closes it. Dropping a store also closes it, in the
    /// background.
    ///
    /// # Errors
    ///
    /// [`helpdesk_core::Error::Backend`] if SQLite fails to close a connection.
    pub async fn close(self) -> Result<()> {
        match Arc::into_inner(self.db) {
            Some(db) => connection::run(move || Ok(db.close()?)).await,
            None => Ok(()),
        }
    }

    /// Runs `f` with a reader connection on the blocking pool; `f` must only read.
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Outcome<T> + Send + 'static,
    {
        connection::read(&self.db, f).await
    }

    /// Runs `f` with the writer connection on the blocking pool.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Outcome<T> + Send + 'static,
    {
        connection::write(&self.db, f).await
    }
}

/// Every row of `sql`, read with `read`.
pub(crate) fn all<T>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    read: fn(&Row<'_>) -> Outcome<T>,
) -> Outcome<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(read(row)?);
    }
    Ok(out)
}

/// The first row of `sql`, if any, read with `read`.
pub(crate) fn first<T>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    read: fn(&Row<'_>) -> Outcome<T>,
) -> Outcome<Option<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    match rows.next()? {
        Some(row) => Ok(Some(read(row)?)),
        None => Ok(None),
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn put_department(&self, department: &Department) -> Result<()> {
        let row = DepartmentRow::new(department);
        self.write(move |conn| {
            conn.prepare_cached(DepartmentRow::UPSERT)?
                .execute(&row.params()[..])?;
            Ok(())
        })
        .await
    }

    async fn department(&self, id: DepartmentId) -> Result<Option<Department>> {
        self.read(move |conn| {
            let sql = format!("SELECT {DEPARTMENT_COLUMNS} FROM departments WHERE id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_department)
        })
        .await
    }

    async fn departments(&self) -> Result<Vec<Department>> {
        self.read(|conn| {
            let sql = format!("SELECT {DEPARTMENT_COLUMNS} FROM departments ORDER BY name, id");
            all(conn, &sql, [], read_department)
        })
        .await
    }

    async fn put_agent(&self, agent: &Agent) -> Result<()> {
        let row = AgentRow::new(agent).map_err(SqliteError::from)?;
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // A taken e-mail fails the upsert on `agents.email`: a Duplicate "email" conflict.
            tx.prepare_cached(AgentRow::UPSERT)?
                .execute(&row.params()[..])?;
            tx.prepare_cached("DELETE FROM agent_departments WHERE agent_id = ?1")?
                .execute([row.id])?;
            let mut member = tx.prepare_cached(
                "INSERT INTO agent_departments (agent_id, department_id, permissions)
                 VALUES (?1, ?2, ?3)",
            )?;
            for (department, permissions) in &row.departments {
                member.execute((row.id, department, permissions))?;
            }
            drop(member);
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn agent(&self, id: AgentId) -> Result<Option<Agent>> {
        self.read(move |conn| {
            let sql = format!("SELECT {AGENT_COLUMNS} FROM agents a WHERE a.id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_agent)
        })
        .await
    }

    async fn agents(&self) -> Result<Vec<Agent>> {
        self.read(|conn| {
            let sql = format!("SELECT {AGENT_COLUMNS} FROM agents a ORDER BY a.name, a.id");
            all(conn, &sql, [], read_agent)
        })
        .await
    }

    async fn put_customer(&self, customer: &Customer) -> Result<()> {
        let row = CustomerRow::new(customer).map_err(SqliteError::from)?;
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Which value is reported when both are taken (by different customers) follows
            // the memory store: the first other customer by id decides, e-mail before
            // contract number.
            let taken: Option<(bool, bool)> = tx
                .prepare_cached(
                    "SELECT coalesce(email = ?2, FALSE), coalesce(contract_number = ?3, FALSE)
                     FROM customers
                     WHERE id <> ?1 AND (email = ?2 OR contract_number = ?3)
                     ORDER BY id
                     LIMIT 1",
                )?
                .query_row((row.id, &row.email, &row.contract_number), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            match taken {
                Some((true, _)) => return Err(Error::duplicate(Entity::Customer, "email").into()),
                Some((false, _)) => {
                    return Err(Error::duplicate(Entity::Customer, "contract_number").into());
                }
                None => {}
            }
            tx.prepare_cached(CustomerRow::UPSERT)?
                .execute(&row.params()[..])?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        self.read(move |conn| {
            let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_customer)
        })
        .await
    }

    async fn customer_by_email(&self, email: &Email) -> Result<Option<Customer>> {
        let email = email.as_str().to_owned();
        self.read(move |conn| {
            let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE email = ?1");
            first(conn, &sql, [email], read_customer)
        })
        .await
    }

    async fn find_customers(&self, lookup: &CustomerLookup, limit: u32) -> Result<Vec<Customer>> {
        let Some(query) = knowledge::find_customers(lookup, limit) else {
            return Ok(Vec::new());
        };
        self.read(move |conn| {
            all(
                conn,
                &query.sql,
                params_from_iter(query.params.iter()),
                read_customer,
            )
        })
        .await
    }

    async fn next_ticket_sequence(&self) -> Result<u64> {
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value: i64 = tx
                .prepare_cached(
                    "UPDATE ticket_sequence SET value = value + 1 WHERE id = 1 RETURNING value",
                )?
                .query_row([], |row| row.get(0))?;
            tx.commit()?;
            u64::try_from(value).map_err(|e| Error::corrupt("ticket_sequence", "value", e).into())
        })
        .await
    }

    async fn commit(&self, batch: WriteBatch) -> Result<()> {
        self.write(move |conn| commit::commit(conn, &batch)).await
    }

    async fn ticket(&self, id: TicketId) -> Result<Option<Ticket>> {
        self.read(move |conn| {
            let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_ticket)
        })
        .await
    }

    async fn ticket_by_number(&self, digits: &str) -> Result<Option<Ticket>> {
        let digits = digits.to_owned();
        self.read(move |conn| {
            let sql = format!(
                "SELECT {TICKET_COLUMNS} FROM tickets t
                 WHERE t.number_full = ?1 OR t.number_short = ?1"
            );
            first(conn, &sql, [digits], read_ticket)
        })
        .await
    }

    async fn list_tickets(
        &self,
        filter: &TicketFilter,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        self.fetch_page(query::list_tickets(filter, page), page)
            .await
    }

    async fn search_tickets(
        &self,
        search: &TicketSearch,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        self.fetch_page(query::search_tickets(search, page), page)
            .await
    }

    async fn due_tickets(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Ticket>> {
        let query = query::due_tickets(now, limit);
        self.read(move |conn| {
            all(
                conn,
                &query.sql,
                params_from_iter(query.params.iter()),
                read_ticket,
            )
        })
        .await
    }

    async fn messages(&self, ticket: TicketId, include_internal: bool) -> Result<Vec<Message>> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages
                 WHERE ticket_id = ?1 AND (?2 OR visibility = {public})
                 ORDER BY seq",
                public = literal(Visibility::Public)
            );
            let params = (blob(ticket.as_uuid()), include_internal);
            all(conn, &sql, params, read_message)
        })
        .await
    }

    async fn history(&self, ticket: TicketId) -> Result<Vec<TicketEvent>> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT {EVENT_COLUMNS} FROM ticket_events WHERE ticket_id = ?1 ORDER BY seq"
            );
            all(conn, &sql, [blob(ticket.as_uuid())], read_event)
        })
        .await
    }

    async fn time_entries(&self, ticket: TicketId) -> Result<Vec<TimeEntry>> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT {TIME_ENTRY_COLUMNS} FROM time_entries WHERE ticket_id = ?1 ORDER BY seq"
            );
            all(conn, &sql, [blob(ticket.as_uuid())], read_time_entry)
        })
        .await
    }

    async fn referenced_blobs(&self, keys: &[BlobKey]) -> Result<Vec<BlobKey>> {
        let keys: Vec<String> = keys.iter().map(|k| k.as_str().to_owned()).collect();
        self.read(move |conn| {
            let mut stmt = conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM message_blobs WHERE sha256 = ?1)")?;
            let mut found = Vec::new();
            for key in keys {
                if stmt.query_row([&key], |row| row.get::<_, bool>(0))? {
                    found.push(key);
                }
            }
            Ok(found)
        })
        .await?
        .into_iter()
        .map(|k| BlobKey::parse(&k).map_err(Into::into))
        .collect()
    }

    async fn notifications(
        &self,
        recipient: Recipient,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Notification>> {
        crate::notifications::list(self, recipient, now, limit).await
    }

    async fn notification(
        &self,
        recipient: Recipient,
        id: NotificationId,
    ) -> Result<Option<Notification>> {
        crate::notifications::one(self, recipient, id).await
    }

    async fn set_notification_state(
        &self,
        recipient: Recipient,
        id: NotificationId,
        state: &NotificationState,
    ) -> Result<()> {
        crate::notifications::set_state(self, recipient, id, state).await
    }

    async fn lease_outbox(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<OutboundEmail>> {
        crate::outbox::lease(self, now, lease_until, limit).await
    }

    async fn finish_delivery(&self, id: OutboxId, outcome: &DeliveryOutcome) -> Result<()> {
        crate::outbox::finish(self, id, outcome).await
    }

    async fn outbox_email(&self, id: OutboxId) -> Result<Option<OutboundEmail>> {
        crate::outbox::email(self, id).await
    }

    async fn ticket_emails(&self, ticket: TicketId) -> Result<Vec<OutboundEmail>> {
        crate::outbox::ticket_emails(self, ticket).await
    }

    async fn mail_reference(&self, message_id: &str) -> Result<Option<MailReference>> {
        crate::outbox::mail_reference(self, message_id).await
    }

    async fn mail_references(&self, ticket: TicketId) -> Result<Vec<MailReference>> {
        crate::outbox::mail_references(self, ticket).await
    }

    fn as_account_store(&self) -> Option<&dyn AccountStore> {
        Some(self)
    }

    fn as_chat_store(&self) -> Option<&dyn ChatStore> {
        Some(self)
    }

    fn as_report_store(&self) -> Option<&dyn ReportStore> {
        Some(self)
    }

    fn as_knowledge_store(&self) -> Option<&dyn KnowledgeStore> {
        Some(self)
    }

    fn as_saved_search_store(&self) -> Option<&dyn SavedSearchStore> {
        Some(self)
    }

    fn as_template_store(&self) -> Option<&dyn TemplateStore> {
        Some(self)
    }
}

#[async_trait]
impl KnowledgeStore for SqliteStore {
    async fn put_article(&self, article: &Article) -> Result<()> {
        let article = article.clone();
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            knowledge::put_article(&tx, &article)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn article(&self, id: ArticleId) -> Result<Option<Article>> {
        self.read(move |conn| {
            let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_article)
        })
        .await
    }

    async fn search_articles(&self, search: &ArticleSearch, limit: u32) -> Result<Vec<Article>> {
        let query = knowledge::search_articles(search, limit);
        self.read(move |conn| {
            all(
                conn,
                &query.sql,
                params_from_iter(query.params.iter()),
                read_article,
            )
        })
        .await
    }

    async fn suggest_articles(&self, suggest: &ArticleSuggest, limit: u32) -> Result<Vec<Article>> {
        let Some(query) = knowledge::suggest_articles(suggest, limit) else {
            return Ok(Vec::new());
        };
        self.read(move |conn| {
            all(
                conn,
                &query.sql,
                params_from_iter(query.params.iter()),
                read_article,
            )
        })
        .await
    }

    async fn vote_article(&self, id: ArticleId, helpful: bool) -> Result<Article> {
        let found = self
            .write(move |conn| {
                let sql = format!(
                    "UPDATE articles
                     SET helpful = helpful + ?2, not_helpful = not_helpful + ?3
                     WHERE id = ?1
                     RETURNING {ARTICLE_COLUMNS}"
                );
                let (yes, no) = if helpful { (1, 0) } else { (0, 1) };
                first(conn, &sql, (blob(id.as_uuid()), yes, no), read_article)
            })
            .await?;
        found.ok_or_else(|| Error::not_found(Entity::Article, id))
    }
}

#[async_trait]
impl SavedSearchStore for SqliteStore {
    async fn put_saved_search(&self, search: &SavedSearch) -> Result<()> {
        let row = SavedSearchRow::new(search).map_err(SqliteError::from)?;
        self.write(move |conn| {
            conn.prepare_cached(SavedSearchRow::UPSERT)?
                .execute(&row.params()[..])?;
            Ok(())
        })
        .await
    }

    async fn saved_searches(&self, agent: AgentId) -> Result<Vec<SavedSearch>> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT {SAVED_SEARCH_COLUMNS} FROM saved_searches WHERE agent_id = ?1
                 ORDER BY name, id"
            );
            all(conn, &sql, [blob(agent.as_uuid())], read_saved_search)
        })
        .await
    }

    async fn delete_saved_search(&self, id: SavedSearchId) -> Result<bool> {
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM saved_searches WHERE id = ?1")?
                .execute([blob(id.as_uuid())])?;
            Ok(n > 0)
        })
        .await
    }
}

#[async_trait]
impl TemplateStore for SqliteStore {
    async fn put_template(&self, template: &TicketTemplate) -> Result<()> {
        let row = TemplateRow::new(template).map_err(SqliteError::from)?;
        self.write(move |conn| {
            conn.prepare_cached(TemplateRow::UPSERT)?
                .execute(&row.params()[..])?;
            Ok(())
        })
        .await
    }

    async fn template(&self, id: TemplateId) -> Result<Option<TicketTemplate>> {
        self.read(move |conn| {
            let sql = format!("SELECT {TEMPLATE_COLUMNS} FROM templates WHERE id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_template)
        })
        .await
    }

    async fn templates(&self) -> Result<Vec<TicketTemplate>> {
        self.read(|conn| {
            let sql = format!("SELECT {TEMPLATE_COLUMNS} FROM templates ORDER BY name, id");
            all(conn, &sql, [], read_template)
        })
        .await
    }

    async fn put_canned_response(&self, response: &CannedResponse) -> Result<()> {
        let row = CannedResponseRow::new(response);
        self.write(move |conn| {
            conn.prepare_cached(CannedResponseRow::UPSERT)?
                .execute(&row.params()[..])?;
            Ok(())
        })
        .await
    }

    async fn canned_responses(
        &self,
        department: Option<DepartmentId>,
        language: Option<Language>,
    ) -> Result<Vec<CannedResponse>> {
        let department = department.map(|d| blob(d.as_uuid()));
        let language = language.map(Language::code);
        self.read(move |conn| {
            // With a department: its own and those for every department (NULL); without one:
            // all. `name` is compared bytewise (BINARY), as the memory store compares `str`s.
            let sql = format!(
                "SELECT {CANNED_RESPONSE_COLUMNS} FROM canned_responses
                 WHERE (?1 IS NULL OR department = ?1 OR department IS NULL)
                   AND (?2 IS NULL OR language = ?2)
                 ORDER BY name, id"
            );
            all(conn, &sql, (department, language), read_canned_response)
        })
        .await
    }
}
