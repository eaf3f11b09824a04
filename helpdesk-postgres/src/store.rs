//! [`Store`] for [`PostgresStore`]: the SQL behind every method.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::clock::{ceil_micros, to_micros};
use helpdesk_core::domain::{
    Agent, AgentId, Article, ArticleId, ArticleStatus, CannedResponse, Customer, CustomerId,
    DeliveryOutcome, Department, DepartmentId, Email, Language, MailReference, Message,
    Notification, NotificationId, NotificationState, OutboundEmail, OutboxId, Recipient,
    SavedSearchId, TemplateId, Ticket, TicketEvent, TicketId, TicketTemplate, TimeEntry, Version,
    Visibility,
};
use helpdesk_core::error::Entity;
use helpdesk_core::search::{
    ArticleScope, ArticleSearch, ArticleSuggest, CustomerLookup, SavedSearch, TicketSearch,
};
use helpdesk_core::store::{
    AccountStore, AssigneeFilter, BlobKey, ChatStore, CommitFacts, Cursor, KnowledgeStore, Page,
    PageRequest, ReportStore, SavedSearchStore, Store, StoredTicket, TemplateStore, TicketFilter,
    TicketOrder, TicketWrite, TicketWriteKind, TimeRange, WriteBatch, check_commit,
};
use helpdesk_core::{Error, Result};
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};
use uuid::Uuid;

use crate::PostgresStore;
use crate::error::{self, duplicate_of};
use crate::notifications::NotificationColumns;
use crate::outbox::{MailReferenceColumns, OutboxColumns};
use crate::rows::{
    self, CategoryColumns, EventColumns, MessageColumns, TimeEntryColumns, agent_columns,
    article_columns, canned_response_columns, customer_columns, department_columns, event_columns,
    message_columns, saved_search_columns, template_columns, ticket_columns, time_entry_columns,
};
use crate::search::{self, FieldColumns};

#[async_trait]
impl Store for PostgresStore {
    async fn put_department(&self, department: &Department) -> Result<()> {
        rows::bind_department(sqlx::query(rows::PUT_DEPARTMENT), department)
            .execute(&self.pool)
            .await
            .map_err(error::db)?;
        Ok(())
    }

    async fn department(&self, id: DepartmentId) -> Result<Option<Department>> {
        sqlx::query(concat!(
            "SELECT ",
            department_columns!(),
            " FROM departments WHERE id = $1"
        ))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::department(&row))
        .transpose()
    }

    async fn departments(&self) -> Result<Vec<Department>> {
        sqlx::query(concat!(
            "SELECT ",
            department_columns!(),
            " FROM departments ORDER BY name, id"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(rows::department)
        .collect()
    }

    async fn put_agent(&self, agent: &Agent) -> Result<()> {
        rows::bind_agent(sqlx::query(rows::PUT_AGENT), agent)?
            .execute(&self.pool)
            .await
            .map_err(error::db)?;
        Ok(())
    }

    async fn agent(&self, id: AgentId) -> Result<Option<Agent>> {
        sqlx::query(concat!(
            "SELECT ",
            agent_columns!(),
            " FROM agents WHERE id = $1"
        ))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::agent(&row))
        .transpose()
    }

    async fn agents(&self) -> Result<Vec<Agent>> {
        sqlx::query(concat!(
            "SELECT ",
            agent_columns!(),
            " FROM agents ORDER BY name, id"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(rows::agent)
        .collect()
    }

    async fn put_customer(&self, customer: &Customer) -> Result<()> {
        let result = rows::bind_customer(sqlx::query(rows::PUT_CUSTOMER), customer)?
            .execute(&self.pool)
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => match duplicate_of(&e) {
                Some((Entity::Customer, field)) => {
                    Err(self.customer_conflict(customer, field).await)
                }
                _ => Err(error::db(e)),
            },
        }
    }

    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        sqlx::query(concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers WHERE id = $1"
        ))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::customer(&row))
        .transpose()
    }

    async fn customer_by_email(&self, email: &Email) -> Result<Option<Customer>> {
        sqlx::query(concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers WHERE email = $1"
        ))
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::customer(&row))
        .transpose()
    }

    async fn find_customers(&self, lookup: &CustomerLookup, limit: u32) -> Result<Vec<Customer>> {
        let mut q = QueryBuilder::new(concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers WHERE "
        ));
        match lookup {
            CustomerLookup::ContractNumber(n) => {
                q.push("contract_number = ")
                    .push_bind(n.as_str().to_owned());
            }
            CustomerLookup::Email(e) => {
                q.push("email = ").push_bind(e.as_str().to_owned());
            }
            // Stored digits are ASCII digits: no NUL (which PostgreSQL text cannot hold).
            CustomerLookup::Phone(digits) if digits.contains('\0') => return Ok(Vec::new()),
            CustomerLookup::Phone(digits) => {
                q.push("phone_digits = ").push_bind(digits.clone());
            }
            CustomerLookup::Address(pattern) if pattern.contains('\0') => return Ok(Vec::new()),
            CustomerLookup::Address(pattern) => {
                q.push("address_key LIKE ")
                    .push_bind(address_like(pattern))
                    .push(" ESCAPE '\\'");
            }
        }
        q.push(" ORDER BY name COLLATE \"C\", id LIMIT ")
            .push_bind(i64::from(limit));
        q.build()
            .fetch_all(&self.pool)
            .await
            .map_err(error::db)?
            .iter()
            .map(rows::customer)
            .collect()
    }

    async fn next_ticket_sequence(&self) -> Result<u64> {
        let next: i64 = sqlx::query_scalar("SELECT nextval('ticket_number_seq')")
            .fetch_one(&self.pool)
            .await
            .map_err(error::db)?;
        u64::try_from(next).map_err(|e| Error::corrupt("ticket_number_seq", "nextval", e))
    }

    async fn commit(&self, batch: WriteBatch) -> Result<()> {
        batch.check_shape()?;
        if batch.is_empty() {
            return Ok(());
        }
        // The rows, built before the transaction.
        let mut children = Children::default();
        for write in &batch.writes {
            children.push(write)?;
        }
        // READ COMMITTED whatever the server's default: a concurrent writer's row lock makes
        // the locking read below wait, and then see the version it committed (stricter
        // levels would fail it with a serialization error instead of a stale-version conflict).
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL READ COMMITTED")
            .await
            .map_err(error::db)?;
        // The facts the checks need, the tickets locked in id order (so concurrent batches
        // cannot deadlock); then the one definition of what a commit may do. The unique
        // constraints still catch a value a concurrent batch takes after this read.
        let facts = read_facts(&mut tx, &batch).await?;
        let kinds = check_commit(&batch, &facts)?;

        let mut updated: Vec<Uuid> = Vec::new();
        for (write, kind) in batch.writes.iter().zip(kinds) {
            let t = &write.ticket;
            match kind {
                TicketWriteKind::Update { subject_changed } => {
                    if subject_changed {
                        children.subjects.push_subject(t);
                    }
                    updated.push(t.id.as_uuid());
                    let done = rows::bind_ticket(sqlx::query(rows::UPDATE_TICKET), t)?
                        .execute(&mut *tx)
                        .await
                        .map_err(error::db)?;
                    if done.rows_affected() != 1 {
                        // Impossible while the row is locked; never report success for it.
                        return Err(Error::not_found(Entity::Ticket, t.id));
                    }
                }
                TicketWriteKind::Insert => {
                    children.subjects.push_subject(t);
                    rows::bind_ticket(sqlx::query(rows::INSERT_TICKET), t)?
                        .execute(&mut *tx)
                        .await
                        .map_err(error::db)?;
                    let mut digits = vec![t.number.full().to_owned()];
                    if t.number.short() != t.number.full() {
                        digits.push(t.number.short().to_owned());
                    }
                    sqlx::query(
                        "INSERT INTO ticket_numbers (digits, ticket_id) \
                         SELECT d, $2 FROM UNNEST($1::text[]) AS d",
                    )
                    .bind(digits)
                    .bind(t.id.as_uuid())
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db)?;
                }
            }
        }

        if !updated.is_empty() {
            sqlx::query("DELETE FROM ticket_categories WHERE ticket_id = ANY($1)")
                .bind(&updated)
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
        }
        let Children {
            categories,
            messages,
            events,
            time_entries,
            subjects,
            bodies,
            blobs,
        } = children;
        let references = MailReferenceColumns::of(&batch.mail_references);
        let notifications = NotificationColumns::of(&batch.notifications)?;
        let emails = OutboxColumns::of(&batch.outbox)?;
        let steps = [
            (
                categories.ticket_id.is_empty(),
                categories.bind(sqlx::query(CategoryColumns::INSERT)),
            ),
            (
                messages.is_empty(),
                messages.bind(sqlx::query(MessageColumns::INSERT)),
            ),
            // After the messages they reference: the search rows and the blob references.
            (
                subjects.is_empty(),
                subjects.bind(sqlx::query(FieldColumns::UPSERT_SUBJECTS)),
            ),
            (
                bodies.is_empty(),
                bodies.bind(sqlx::query(FieldColumns::INSERT)),
            ),
            (
                blobs.0.is_empty(),
                sqlx::query(
                    "INSERT INTO message_blobs (sha256, message_id) \
                     SELECT * FROM UNNEST($1::text[], $2::uuid[]) ON CONFLICT DO NOTHING",
                )
                .bind(blobs.0)
                .bind(blobs.1),
            ),
            (
                events.is_empty(),
                events.bind(sqlx::query(EventColumns::INSERT)),
            ),
            (
                time_entries.is_empty(),
                time_entries.bind(sqlx::query(TimeEntryColumns::INSERT)),
            ),
            // What the batch's events cause, after the tickets they reference.
            (
                references.is_empty(),
                references.bind(sqlx::query(MailReferenceColumns::INSERT)),
            ),
            (
                notifications.is_empty(),
                notifications.bind(sqlx::query(NotificationColumns::INSERT)),
            ),
            (
                emails.is_empty(),
                emails.bind(sqlx::query(OutboxColumns::INSERT)),
            ),
        ];
        // One multi-row insert per table, in this order; a table with no rows is skipped.
        for (empty, insert) in steps {
            if !empty {
                insert.execute(&mut *tx).await.map_err(error::db)?;
            }
        }
        tx.commit().await.map_err(error::db)
    }

    async fn ticket(&self, id: TicketId) -> Result<Option<Ticket>> {
        sqlx::query(concat!(
            "SELECT ",
            ticket_columns!(),
            " FROM tickets t WHERE t.id = $1"
        ))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::ticket(&row))
        .transpose()
    }

    async fn ticket_by_number(&self, digits: &str) -> Result<Option<Ticket>> {
        sqlx::query(concat!(
            "SELECT ",
            ticket_columns!(),
            " FROM ticket_numbers n JOIN tickets t ON t.id = n.ticket_id WHERE n.digits = $1"
        ))
        .bind(digits)
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::ticket(&row))
        .transpose()
    }

    async fn list_tickets(
        &self,
        filter: &TicketFilter,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        self.fetch_page(list_query(filter, page), page, false).await
    }

    async fn search_tickets(
        &self,
        search: &TicketSearch,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        self.fetch_page(search_query(search, page), page, true)
            .await
    }

    async fn due_tickets(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Ticket>> {
        // A range scan of the partial index tickets_due_idx, which holds only tickets with
        // something due and gives the order. For stored (whole-microsecond) instants,
        // `x <= now` and `x <= floor(now)` agree; flooring here does not depend on how the
        // driver rounds sub-microsecond parts.
        sqlx::query(DUE_TICKETS)
            .bind(to_micros(now))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(error::db)?
            .iter()
            .map(rows::ticket)
            .collect()
    }

    async fn messages(&self, ticket: TicketId, include_internal: bool) -> Result<Vec<Message>> {
        sqlx::query(concat!(
            "SELECT ",
            message_columns!(),
            " FROM messages WHERE ticket_id = $1 AND ($2 OR visibility = $3) ORDER BY seq"
        ))
        .bind(ticket.as_uuid())
        .bind(include_internal)
        .bind(Visibility::Public.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(rows::message)
        .collect()
    }

    async fn history(&self, ticket: TicketId) -> Result<Vec<TicketEvent>> {
        sqlx::query(concat!(
            "SELECT ",
            event_columns!(),
            " FROM ticket_events WHERE ticket_id = $1 ORDER BY seq"
        ))
        .bind(ticket.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(rows::event)
        .collect()
    }

    async fn time_entries(&self, ticket: TicketId) -> Result<Vec<TimeEntry>> {
        sqlx::query(concat!(
            "SELECT ",
            time_entry_columns!(),
            " FROM time_entries WHERE ticket_id = $1 ORDER BY seq"
        ))
        .bind(ticket.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(rows::time_entry)
        .collect()
    }

    async fn referenced_blobs(&self, keys: &[BlobKey]) -> Result<Vec<BlobKey>> {
        let keys: Vec<&str> = keys.iter().map(BlobKey::as_str).collect();
        let found: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT sha256 FROM message_blobs WHERE sha256 = ANY($1)")
                .bind(&keys)
                .fetch_all(&self.pool)
                .await
                .map_err(error::db)?;
        found
            .iter()
            .map(|k| BlobKey::parse(k).map_err(|e| Error::corrupt("message_blobs", "sha256", e)))
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
impl KnowledgeStore for PostgresStore {
    async fn put_article(&self, article: &Article) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        rows::bind_article(sqlx::query(rows::PUT_ARTICLE), article)?
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        for sql in [
            "DELETE FROM article_fields WHERE article_id = $1",
            "DELETE FROM article_words WHERE article_id = $1",
        ] {
            sqlx::query(sql)
                .bind(article.id.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
        }
        search::bind_article_fields(sqlx::query(search::INSERT_ARTICLE_FIELDS), article)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        search::bind_article_words(sqlx::query(search::INSERT_ARTICLE_WORDS), article)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        tx.commit().await.map_err(error::db)
    }

    async fn article(&self, id: ArticleId) -> Result<Option<Article>> {
        sqlx::query(concat!(
            "SELECT ",
            article_columns!(),
            " FROM articles WHERE id = $1"
        ))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::article(&row))
        .transpose()
    }

    async fn search_articles(&self, search: &ArticleSearch, limit: u32) -> Result<Vec<Article>> {
        let mut q = QueryBuilder::new(concat!(
            "SELECT ",
            article_columns!(),
            " FROM articles a WHERE TRUE"
        ));
        push_scope(&mut q, &search.scope);
        let terms = (search.query.include.iter().map(|t| (t, true)))
            .chain(search.query.exclude.iter().map(|t| (t, false)));
        for (term, include) in terms {
            q.push(if include {
                " AND EXISTS ("
            } else {
                " AND NOT EXISTS ("
            });
            q.push("SELECT 1 FROM article_fields f WHERE f.article_id = a.id AND ");
            search::push_term(&mut q, term);
            q.push(")");
        }
        q.push(" ORDER BY a.updated_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        q.build()
            .fetch_all(&self.pool)
            .await
            .map_err(error::db)?
            .iter()
            .map(rows::article)
            .collect()
    }

    async fn suggest_articles(&self, suggest: &ArticleSuggest, limit: u32) -> Result<Vec<Article>> {
        // Each suggest word counts as often as it is given (as the reference sums them); a
        // word with a NUL is in no article (PostgreSQL text cannot hold one).
        let words: Vec<String> = (suggest.words.iter())
            .filter(|w| !w.contains('\0'))
            .cloned()
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::new(concat!(
            "SELECT ",
            article_columns!(),
            " FROM (SELECT w.article_id, \
             sum(CASE WHEN w.in_title THEN 2 ELSE 0 END + CASE WHEN w.in_body THEN 1 ELSE 0 END) \
             AS score FROM unnest("
        ));
        q.push_bind(words).push(
            "::text[]) AS s(word) JOIN article_words w ON w.word = s.word \
             GROUP BY w.article_id) sc JOIN articles a ON a.id = sc.article_id WHERE sc.score > 0",
        );
        push_scope(&mut q, &suggest.scope);
        q.push(" ORDER BY sc.score DESC, a.helpful DESC, a.id LIMIT ")
            .push_bind(i64::from(limit));
        q.build()
            .fetch_all(&self.pool)
            .await
            .map_err(error::db)?
            .iter()
            .map(rows::article)
            .collect()
    }

    async fn vote_article(&self, id: ArticleId, helpful: bool) -> Result<Article> {
        sqlx::query(concat!(
            "UPDATE articles SET helpful = helpful + CASE WHEN $2 THEN 1 ELSE 0 END, \
             not_helpful = not_helpful + CASE WHEN $2 THEN 0 ELSE 1 END WHERE id = $1 \
             RETURNING ",
            article_columns!()
        ))
        .bind(id.as_uuid())
        .bind(helpful)
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::article(&row))
        .transpose()?
        .ok_or_else(|| Error::not_found(Entity::Article, id))
    }
}

#[async_trait]
impl SavedSearchStore for PostgresStore {
    async fn put_saved_search(&self, search: &SavedSearch) -> Result<()> {
        rows::bind_saved_search(sqlx::query(rows::PUT_SAVED_SEARCH), search)?
            .execute(&self.pool)
            .await
            .map_err(error::db)?;
        Ok(())
    }

    async fn saved_searches(&self, agent: AgentId) -> Result<Vec<SavedSearch>> {
        sqlx::query(concat!(
            "SELECT ",
            saved_search_columns!(),
            " FROM saved_searches WHERE agent = $1 ORDER BY name, id"
        ))
        .bind(agent.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(rows::saved_search)
        .collect()
    }

    async fn delete_saved_search(&self, id: SavedSearchId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM saved_searches WHERE id = $1")
            .bind(id.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(error::db)?;
        Ok(done.rows_affected() > 0)
    }
}

#[async_trait]
impl TemplateStore for PostgresStore {
    async fn put_template(&self, template: &TicketTemplate) -> Result<()> {
        rows::bind_template(sqlx::query(rows::PUT_TEMPLATE), template)?
            .execute(&self.pool)
            .await
            .map_err(error::db)?;
        Ok(())
    }

    async fn template(&self, id: TemplateId) -> Result<Option<TicketTemplate>> {
        sqlx::query(concat!(
            "SELECT ",
            template_columns!(),
            " FROM templates WHERE id = $1"
        ))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db)?
        .map(|row| rows::template(&row))
        .transpose()
    }

    async fn templates(&self) -> Result<Vec<TicketTemplate>> {
        sqlx::query(concat!(
            "SELECT ",
            template_columns!(),
            " FROM templates ORDER BY name, id"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(rows::template)
        .collect()
    }

    async fn put_canned_response(&self, response: &CannedResponse) -> Result<()> {
        rows::bind_canned_response(sqlx::query(rows::PUT_CANNED_RESPONSE), response)?
            .execute(&self.pool)
            .await
            .map_err(error::db)?;
        Ok(())
    }

    async fn canned_responses(
        &self,
        department: Option<DepartmentId>,
        language: Option<Language>,
    ) -> Result<Vec<CannedResponse>> {
        // $1 NULL: every department; otherwise its own and those for every department.
        // $2 NULL: every language.
        sqlx::query(concat!(
            "SELECT ",
            canned_response_columns!(),
            " FROM canned_responses \
             WHERE ($1::uuid IS NULL OR department IS NULL OR department = $1) \
             AND ($2::text IS NULL OR language = $2) \
             ORDER BY name, id"
        ))
        .bind(department.map(|d| d.as_uuid()))
        .bind(language.map(Language::as_str))
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(rows::canned_response)
        .collect()
    }
}

impl PostgresStore {
    /// Runs a ticket list query built with `LIMIT page.limit() + 1` and makes the page; with
    /// `scored`, each row's relevance score is its `score` column (0 otherwise).
    async fn fetch_page(
        &self,
        mut query: QueryBuilder<Postgres>,
        page: &PageRequest,
        scored: bool,
    ) -> Result<Page<Ticket>> {
        let rows = query
            .build()
            .fetch_all(&self.pool)
            .await
            .map_err(error::db)?
            .iter()
            .map(|row| {
                let score = if scored {
                    let score: i32 = row.try_get("score").map_err(Error::backend)?;
                    u32::try_from(score).map_err(|e| Error::corrupt("tickets", "score", e))?
                } else {
                    0
                };
                Ok((rows::ticket(row)?, score))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(page.into_page_scored(rows))
    }

    /// Which unique field of `customer` is taken, reported as the reference store does: the
    /// first other customer by id that holds its e-mail or contract number, e-mail first.
    /// (Which constraint PostgreSQL reports depends on its index order instead.)
    async fn customer_conflict(&self, customer: &Customer, fallback: &'static str) -> Error {
        let first = sqlx::query_scalar::<_, bool>(
            "SELECT email IS NOT DISTINCT FROM $2 FROM customers \
             WHERE id <> $1 AND (email = $2 OR contract_number = $3) ORDER BY id LIMIT 1",
        )
        .bind(customer.id.as_uuid())
        .bind(customer.email.as_ref().map(|e| e.as_str()))
        .bind(customer.contract_number.as_ref().map(|n| n.as_str()))
        .fetch_optional(&self.pool)
        .await;
        let field = match first {
            Ok(Some(true)) => "email",
            Ok(Some(false)) => "contract_number",
            // Gone again, or unreadable: the constraint's own answer is still true.
            Ok(None) | Err(_) => fallback,
        };
        Error::duplicate(Entity::Customer, field)
    }
}

/// A locked ticket's stored version and number.
/// The stored facts `batch`'s checks depend on ([`WriteBatch::keys`]), read in `tx`: its
/// tickets locked (`FOR UPDATE`, in id order), then in one query every number, Message-ID
/// and id of the batch that is taken.
async fn read_facts(tx: &mut PgConnection, batch: &WriteBatch) -> Result<CommitFacts> {
    let keys = batch.keys();
    let mut facts = CommitFacts::new();
    let ids: Vec<Uuid> = keys.tickets.iter().map(|t| t.as_uuid()).collect();
    let locked = sqlx::query(
        "SELECT id, version, number_full, number_short, subject FROM tickets \
         WHERE id = ANY($1) ORDER BY id FOR UPDATE",
    )
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await
    .map_err(error::db)?;
    for row in locked {
        let get = |column: &str| -> Result<String> { row.try_get(column).map_err(Error::backend) };
        let version: i64 = row.try_get("version").map_err(Error::backend)?;
        let id: Uuid = row.try_get("id").map_err(Error::backend)?;
        facts.stored_ticket(
            TicketId::from_uuid(id),
            StoredTicket {
                version: Version::new(
                    u64::try_from(version).map_err(|e| Error::corrupt("tickets", "version", e))?,
                ),
                number_full: get("number_full")?,
                number_short: get("number_short")?,
                subject: get("subject")?,
            },
        );
    }
    let taken = sqlx::query(
        "SELECT 'number' AS kind, digits AS key FROM ticket_numbers WHERE digits = ANY($1) \
         UNION ALL SELECT 'email', message_id FROM outbox WHERE message_id = ANY($2) \
         UNION ALL SELECT 'reference', message_id FROM mail_references \
                   WHERE message_id = ANY($3) \
         UNION ALL SELECT 'notification', id::text FROM notifications WHERE id = ANY($4) \
         UNION ALL SELECT 'email_id', id::text FROM outbox WHERE id = ANY($5)",
    )
    .bind(&keys.numbers)
    .bind(&keys.email_message_ids)
    .bind(&keys.reference_message_ids)
    .bind(
        keys.notifications
            .iter()
            .map(|n| n.as_uuid())
            .collect::<Vec<_>>(),
    )
    .bind(keys.emails.iter().map(|e| e.as_uuid()).collect::<Vec<_>>())
    .fetch_all(&mut *tx)
    .await
    .map_err(error::db)?;
    for row in taken {
        let kind: String = row.try_get("kind").map_err(Error::backend)?;
        let key: String = row.try_get("key").map_err(Error::backend)?;
        let id = || key.parse::<Uuid>().map_err(Error::backend);
        match kind.as_str() {
            "number" => facts.number_taken(key),
            "email" => facts.email_message_id_taken(key),
            "reference" => facts.reference_message_id_taken(key),
            "notification" => facts.notification_taken(NotificationId::from_uuid(id()?)),
            _ => facts.email_taken(OutboxId::from_uuid(id()?)),
        };
    }
    Ok(facts)
}

/// The rows a batch adds besides the tickets themselves.
#[derive(Default)]
struct Children {
    categories: CategoryColumns,
    messages: MessageColumns,
    events: EventColumns,
    time_entries: TimeEntryColumns,
    /// The search rows of new tickets' subjects and of changed subjects.
    subjects: FieldColumns,
    /// The search rows of new messages.
    bodies: FieldColumns,
    /// The `message_blobs` rows of new messages: each attachment's sha256 and message id.
    blobs: (Vec<String>, Vec<Uuid>),
}

impl Children {
    /// Adds a write's categories, messages, events and time entries (the batch's shape is
    /// checked before).
    fn push(&mut self, write: &TicketWrite) -> Result<()> {
        self.categories.push(&write.ticket);
        for m in &write.messages {
            self.messages.push(m)?;
            self.bodies.push_message(m);
            for a in &m.attachments {
                self.blobs.0.push(a.sha256().to_owned());
                self.blobs.1.push(m.id.as_uuid());
            }
        }
        for e in &write.events {
            self.events.push(e)?;
        }
        for e in &write.time_entries {
            self.time_entries.push(e)?;
        }
        Ok(())
    }
}

/// The `LIKE` pattern of an address pattern: only `%` is a wildcard, so `_` and `\` are
/// escaped.
fn address_like(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        if matches!(c, '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Adds [`ArticleScope::contains`] on the article `a`.
fn push_scope(q: &mut QueryBuilder<Postgres>, scope: &ArticleScope) {
    if let Some(language) = scope.language {
        q.push(" AND a.language = ").push_bind(language.as_str());
    }
    if !scope.include_drafts {
        q.push(" AND a.status = ")
            .push_bind(ArticleStatus::Published.as_str());
    }
    if !scope.include_internal {
        q.push(" AND a.visibility = ")
            .push_bind(Visibility::Public.as_str());
    }
}

/// Adds "`column` is one of `values`": `= $n` for one value, so that the indexes leading
/// with `column` also give the list's order, and `= ANY($n)` otherwise (none matches nothing).
fn push_any<'a, T>(query: &mut QueryBuilder<Postgres>, column: &str, mut values: Vec<T>)
where
    T: sqlx::Encode<'a, Postgres> + sqlx::Type<Postgres> + sqlx::postgres::PgHasArrayType,
{
    query.push(format_args!(" AND {column} = "));
    if values.len() == 1 {
        query.push_bind(values.remove(0));
    } else {
        query.push("ANY(").push_bind(values).push(")");
    }
}

/// Adds a [`TimeRange`] on `column`.
fn push_range(query: &mut QueryBuilder<Postgres>, column: &str, range: &TimeRange) {
    if let Some(from) = range.from {
        query
            .push(format_args!(" AND {column} >= "))
            .push_bind(ceil_micros(from));
    }
    if let Some(to) = range.to {
        query
            .push(format_args!(" AND {column} < "))
            .push_bind(ceil_micros(to));
    }
}

/// Due tickets: `$1` is the (whole-microsecond) instant, `$2` the limit.
const DUE_TICKETS: &str = concat!(
    "SELECT ",
    ticket_columns!(),
    " FROM tickets t WHERE t.next_due_at IS NOT NULL AND t.next_due_at <= $1 \
     ORDER BY t.next_due_at, t.id LIMIT $2"
);

/// The first column of the Waiting order, exactly as `tickets_waiting_idx` spells it (so
/// that the planner matches it to the index): `waiting_since`, with 'infinity' for tickets
/// nobody waits on, which puts them last (no real instant is 'infinity').
const WAITING_KEY: &str = "COALESCE(t.waiting_since, 'infinity'::timestamptz)";

/// The one query for a page of a ticket list: [`TicketFilter::matches`] as a `WHERE` clause,
/// the keyset condition of [`Cursor::precedes`](helpdesk_core::store::Cursor::precedes), the
/// order of [`PageRequest::sort`], and one row more than the page holds.
fn list_query(filter: &TicketFilter, page: &PageRequest) -> QueryBuilder<Postgres> {
    let mut q = QueryBuilder::new("");
    push_list_query(&mut q, filter, page);
    q
}

/// Appends [`list_query`]'s SQL and parameters to `q` (after an `EXPLAIN`, in tests).
fn push_list_query(q: &mut QueryBuilder<Postgres>, filter: &TicketFilter, page: &PageRequest) {
    q.push(concat!(
        "SELECT ",
        ticket_columns!(),
        " FROM tickets t WHERE TRUE"
    ));
    push_filter(q, filter);
    push_page(q, page, false);
}

/// The query for a page of a search: [`list_query`] with the conditions of the search's
/// terms ([`TicketSearch::matches`]) added to the filter's, and each ticket's relevance
/// ([`TicketSearch::score`]) as the column `score`.
///
/// In the relevance order the score is also sorted on and compared with the cursor, so it is
/// computed once per ticket in a `LATERAL` subquery (`OFFSET 0` keeps it from being inlined
/// and evaluated again in each place). In the other orders it is only read, as an expression
/// of the select list, which PostgreSQL can leave until after the sort and limit.
fn search_query(search: &TicketSearch, page: &PageRequest) -> QueryBuilder<Postgres> {
    let mut q = QueryBuilder::new("");
    q.push(concat!("SELECT ", ticket_columns!(), ", "));
    let relevance = page.order() == TicketOrder::Relevance;
    if relevance {
        q.push("s.score FROM tickets t CROSS JOIN LATERAL (SELECT ");
        search::push_score(&mut q, search);
        q.push(" AS score OFFSET 0) s WHERE TRUE");
    } else {
        search::push_score(&mut q, search);
        q.push(" AS score FROM tickets t WHERE TRUE");
    }
    push_filter(&mut q, &search.filter);
    search::push_terms(&mut q, search);
    push_page(&mut q, page, relevance);
    q
}

/// Adds the conditions of `filter` on the ticket `t` to an open `WHERE` clause.
fn push_filter(q: &mut QueryBuilder<Postgres>, filter: &TicketFilter) {
    if let Some(statuses) = &filter.statuses {
        let statuses: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
        push_any(q, "t.status", statuses);
    }
    if let Some(departments) = &filter.departments {
        let ids: Vec<Uuid> = departments.iter().map(|d| d.as_uuid()).collect();
        push_any(q, "t.department", ids);
    }
    if let Some(priorities) = &filter.priorities {
        let ranks: Vec<i16> = priorities.iter().map(|p| p.rank()).collect();
        push_any(q, "t.priority", ranks);
    }
    match filter.assignee {
        None => {}
        Some(AssigneeFilter::Unassigned) => {
            q.push(" AND t.assignee IS NULL");
        }
        Some(AssigneeFilter::Agent(agent)) => {
            q.push(" AND t.assignee = ").push_bind(agent.as_uuid());
        }
    }
    if let Some(customer) = filter.customer {
        q.push(" AND t.customer = ").push_bind(customer.as_uuid());
    }
    if let Some(ticket_type) = &filter.ticket_type {
        q.push(" AND t.ticket_type = ")
            .push_bind(ticket_type.as_str().to_owned());
    }
    if let Some(category) = &filter.category {
        q.push(
            " AND EXISTS (SELECT 1 FROM ticket_categories c \
             WHERE c.ticket_id = t.id AND c.category = ",
        )
        .push_bind(category.as_str().to_owned())
        .push(")");
    }
    if let Some(master) = filter.master {
        q.push(" AND t.master = ").push_bind(master.as_uuid());
    }
    if let Some(internal) = filter.internal {
        q.push(" AND t.internal = ").push_bind(internal);
    }
    push_range(q, "t.created_at", &filter.created);
    push_range(q, "t.updated_at", &filter.updated);
}

/// Adds the keyset condition of `page`'s cursor, its order and its limit (one row more).
/// With `scored`, the query has each ticket's relevance score as `s.score`; without, every
/// score is 0.
fn push_page(q: &mut QueryBuilder<Postgres>, page: &PageRequest, scored: bool) {
    let push_later = |q: &mut QueryBuilder<Postgres>, cursor: &Cursor| {
        q.push("(t.updated_at, t.id) < (")
            .push_bind(cursor.updated_at())
            .push(", ")
            .push_bind(cursor.id().as_uuid())
            .push(")");
    };
    if let Some(cursor) = page.cursor() {
        match cursor.order() {
            TicketOrder::LastUpdate => {
                q.push(" AND ");
                push_later(q, cursor);
            }
            TicketOrder::Relevance if scored => {
                // A lower score, or the same one and earlier in (updated_at, id).
                let score = i64::from(cursor.score());
                q.push(" AND (s.score < ")
                    .push_bind(score)
                    .push(" OR (s.score = ")
                    .push_bind(score)
                    .push(" AND ");
                push_later(q, cursor);
                q.push("))");
            }
            // Every score is 0: all of the list comes after a cursor with a higher score, and
            // after one of score 0 what comes after it in the last-update order.
            TicketOrder::Relevance => {
                if cursor.score() == 0 {
                    q.push(" AND ");
                    push_later(q, cursor);
                }
            }
            TicketOrder::Priority => {
                // Lower priorities, or the same one and later in (updated_at, id); the first
                // conjunct lets the (priority DESC, updated_at, id) index start at the cursor.
                let rank = cursor.priority().rank();
                q.push(" AND t.priority <= ")
                    .push_bind(rank)
                    .push(" AND (t.priority < ")
                    .push_bind(rank)
                    .push(" OR (t.updated_at, t.id) > (")
                    .push_bind(cursor.updated_at())
                    .push(", ")
                    .push_bind(cursor.id().as_uuid())
                    .push("))");
            }
            TicketOrder::Waiting => {
                // One row value in the order of `tickets_waiting_idx`, tickets nobody waits
                // on as 'infinity' (no real instant is), so that the index scan starts at
                // the cursor whether or not its ticket waits.
                q.push(" AND (").push(WAITING_KEY).push(", t.id) > (");
                match cursor.waiting_since() {
                    Some(since) => q.push_bind(since),
                    None => q.push("'infinity'::timestamptz"),
                };
                q.push(", ").push_bind(cursor.id().as_uuid()).push(")");
            }
        }
    }
    match page.order() {
        TicketOrder::Relevance if scored => {
            q.push(" ORDER BY s.score DESC, t.updated_at DESC, t.id DESC")
        }
        TicketOrder::LastUpdate | TicketOrder::Relevance => {
            q.push(" ORDER BY t.updated_at DESC, t.id DESC")
        }
        TicketOrder::Priority => q.push(" ORDER BY t.priority DESC, t.updated_at, t.id"),
        TicketOrder::Waiting => q.push(" ORDER BY ").push(WAITING_KEY).push(", t.id"),
    };
    q.push(" LIMIT ").push_bind(i64::from(page.limit()) + 1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use helpdesk_core::domain::{Priority, Status};

    #[test]
    fn list_query_binds_every_value_and_orders_by_the_page() {
        let filter = TicketFilter {
            statuses: Some(vec![Status::Open]),
            priorities: Some(vec![Priority::High, Priority::Urgent]),
            assignee: Some(AssigneeFilter::Unassigned),
            ..TicketFilter::default()
        };
        let sql = list_query(&filter, &PageRequest::first(TicketOrder::Priority, 10)).into_string();
        assert!(sql.contains("t.status = $1"), "{sql}");
        assert!(sql.contains("t.priority = ANY($2)"), "{sql}");
        assert!(sql.contains("t.assignee IS NULL"), "{sql}");
        assert!(
            sql.ends_with("ORDER BY t.priority DESC, t.updated_at, t.id LIMIT $3"),
            "{sql}"
        );
    }

    #[test]
    fn relevance_search_scores_subject_rows_with_bound_terms_and_orders_by_score() {
        use helpdesk_core::search::SearchQuery;
        let search = TicketSearch {
            query: SearchQuery::parse("router \"dead modem\" %x'y% -printer").unwrap(),
            filter: TicketFilter::default(),
            include_internal: false,
        };
        let cursor = format!(
            "r.2.{}.1700000000000000.-.{}",
            Priority::Normal.rank(),
            Uuid::nil().simple()
        );
        let page = PageRequest::first(TicketOrder::Relevance, 10)
            .after(Cursor::decode(&cursor).unwrap())
            .unwrap();
        let sql = search_query(&search, &page).into_string();
        assert!(!sql.contains("router") && !sql.contains("x'y"), "{sql}");
        assert_eq!(sql.matches("f.message_id IS NULL").count(), 3, "{sql}");
        assert!(sql.contains("CROSS JOIN LATERAL"), "{sql}");
        assert!(sql.contains("s.score < $"), "{sql}");
        assert!(
            sql.contains("ORDER BY s.score DESC, t.updated_at DESC, t.id DESC LIMIT $"),
            "{sql}"
        );
        // Outside the relevance order, no join: the score is only read.
        let sql =
            search_query(&search, &PageRequest::first(TicketOrder::Priority, 10)).into_string();
        assert!(
            !sql.contains("LATERAL") && sql.contains(" AS score FROM tickets t"),
            "{sql}"
        );
        // A list in the relevance order is the last-update order.
        let sql = list_query(&search.filter, &page).into_string();
        assert!(!sql.contains("score"), "{sql}");
        assert!(
            sql.ends_with("ORDER BY t.updated_at DESC, t.id DESC LIMIT $1"),
            "{sql}"
        );
    }

    /// The plans of due tickets and of the waiting order on a real server: scans of their
    /// indexes, never of the table, and ordered index scans (no sort) for a page of the
    /// waiting order and for a small limit of many due tickets.
    mod plans {
        use chrono::TimeDelta;
        use helpdesk_core::domain::{Subject, Timers};
        use helpdesk_core::store::Cursor;
        use sqlx::AssertSqlSafe;

        use super::*;
        use crate::testing;

        fn at(minutes: i64) -> DateTime<Utc> {
            "2026-01-05T09:00:00Z".parse::<DateTime<Utc>>().unwrap() + TimeDelta::minutes(minutes)
        }

        fn ticket(i: u64) -> Ticket {
            // A fifth have something due (a pending reminder), a few of them early.
            let due = (i.is_multiple_of(5)).then(|| at((i % 700) as i64));
            Ticket {
                subject: Subject::parse("plan").unwrap(),
                status: Status::Open,
                // Most tickets wait.
                waiting_since: (!i.is_multiple_of(4)).then(|| at((i % 500) as i64)),
                timers: Timers {
                    pending_until: due,
                    ..Timers::default()
                },
                next_due_at: due,
                ..helpdesk_core::testkit::samples::ticket(
                    helpdesk_core::testkit::samples::number(i + 1),
                    DepartmentId::new(),
                    CustomerId::new(),
                )
            }
        }

        /// The text of an `EXPLAIN`'s rows.
        fn plan(rows: &[sqlx::postgres::PgRow]) -> String {
            rows.iter()
                .map(|r| r.get::<String, _>(0))
                .collect::<Vec<_>>()
                .join("\n")
        }

        /// `plan` reads `index`, and no table scan. With `ordered`, an index scan that gives
        /// the order itself, with no sort (a sort of what a bitmap scan of the index found
        /// also costs only what it returns, and the planner picks it for few rows).
        fn assert_reads(plan: &str, index: &str, ordered: bool) {
            let ordered_scan = format!("Index Scan using {index} ");
            let bitmap_scan = format!("Bitmap Index Scan on {index} ");
            assert!(
                plan.contains(&ordered_scan) || (!ordered && plan.contains(&bitmap_scan)),
                "{plan}"
            );
            assert!(!plan.contains("Seq Scan on tickets"), "{plan}");
            if ordered {
                assert!(!plan.contains("Sort"), "{plan}");
            }
        }

        /// The rows of an `EXPLAIN` of a page of the ticket list.
        async fn explain_waiting(
            store: &PostgresStore,
            filter: &TicketFilter,
            page: &PageRequest,
        ) -> Vec<sqlx::postgres::PgRow> {
            let mut q = QueryBuilder::new("EXPLAIN ");
            push_list_query(&mut q, filter, page);
            q.build().fetch_all(store.pool()).await.unwrap()
        }

        #[tokio::test]
        async fn due_tickets_and_the_waiting_order_are_ordered_index_scans() {
            let Some(store) = testing::fresh_store().await else {
                return;
            };
            let tickets: Vec<Ticket> = (0..5000).map(ticket).collect();
            for chunk in tickets.chunks(500) {
                let batch =
                    WriteBatch::of(chunk.iter().cloned().map(TicketWrite::create).collect());
                store.commit(batch).await.unwrap();
            }
            sqlx::query("ANALYZE tickets")
                .execute(store.pool())
                .await
                .unwrap();

            // A few due tickets, and all thousand of them with a small limit.
            for (now, limit, ordered) in [(at(30), 100_i64, false), (at(10_000), 10, true)] {
                let rows = sqlx::query(AssertSqlSafe(format!("EXPLAIN {DUE_TICKETS}")))
                    .bind(now)
                    .bind(limit)
                    .fetch_all(store.pool())
                    .await
                    .unwrap();
                let plan = plan(&rows);
                assert_reads(&plan, "tickets_due_idx", ordered);
                assert!(plan.contains("Index Cond: (next_due_at <= "), "{plan}");
            }

            // The waiting order: the first page, and pages after a deep cursor, the last
            // ticket that waits (a page of those nobody waits on follows) and one of those.
            // After a cursor the scan starts at it: an Index Cond on the row value of the
            // index, not a read of the index from its start that filters rows out.
            let filter = TicketFilter::default();
            let first = PageRequest::first(TicketOrder::Waiting, 50);
            let waiting = tickets
                .iter()
                .filter(|t| t.waiting_since.is_some())
                .max_by_key(|t| (t.waiting_since, t.id))
                .unwrap();
            let nobody = tickets.iter().find(|t| t.waiting_since.is_none()).unwrap();
            let rows = explain_waiting(&store, &filter, &first).await;
            assert_reads(&plan(&rows), "tickets_waiting_idx", true);
            for cursor in [waiting, nobody] {
                let page = first
                    .clone()
                    .after(Cursor::after(TicketOrder::Waiting, cursor))
                    .unwrap();
                let plan = plan(&explain_waiting(&store, &filter, &page).await);
                assert_reads(&plan, "tickets_waiting_idx", true);
                // Sessions run in UTC (sqlx sets it), so the server shows instants so.
                let since = cursor.waiting_since.map_or_else(
                    || "infinity".to_owned(),
                    |w| w.format("%Y-%m-%d %H:%M:%S+00").to_string(),
                );
                let cond = format!(
                    "Index Cond: (ROW(COALESCE(waiting_since, 'infinity'::timestamp with time \
                     zone), id) > ROW('{since}'::timestamp with time zone, '{}'::uuid))",
                    cursor.id.as_uuid()
                );
                assert!(plan.contains(&cond), "{cond}\n{plan}");
                assert!(!plan.contains("Filter:"), "{plan}");
            }
            testing::discard(store).await.unwrap();
        }
    }
}
