//! Erasure and anonymisation (issue 22; audit table `erasures`, migration 0033):
//! [`ErasureStore`] for [`PostgresStore`], the rule of [`ErasurePlan`] as deletes and updates
//! in one transaction.
//!
//! [`TABLES`] names every table of the schema with what an erasure does to it; a test walks the schema and fails on a table it does not name, so a
//! table added later must say how it is erased.

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{Change, Email, PriorityRequest, Satisfaction};
use helpdesk_core::store::{
    ANONYMISED, ErasureMode, ErasurePlan, ErasureRecord, ErasureStore, PERSONAL_CHANGE_KINDS,
    handled, record_of,
};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::connection::PostgresStore;
use crate::error;
use crate::rows::directory::{PUT_CUSTOMER, bind_customer};
use crate::rows::saved_search::{saved_search, saved_search_columns};
use crate::rows::{Reader, all, json};
use crate::search::FieldColumns;

/// Every table of the schema and how an erasure treats it.
#[cfg(test)]
const TABLES: &[(&str, &str)] = &[
    ("_sqlx_migrations", "no customer data"),
    ("account_links", "the customer's rows deleted"),
    ("agent_settings", "agents' choices: no customer data"),
    ("agents", "no customer data"),
    ("article_categories", "no customer data"),
    ("article_fields", "no customer data"),
    ("article_votes", "the customer's votes deleted"),
    ("article_words", "no customer data"),
    ("articles", "no customer data"),
    ("auth_tokens", "the customer's rows deleted"),
    ("blobs", "swept after the transaction by the desk"),
    ("canned_responses", "no customer data"),
    ("chat_availability", "no customer data"),
    ("chats", "deleted with the ticket or the customer"),
    ("customer_backfill", "no customer data"),
    ("customers", "deleted or replaced by the placeholder"),
    ("customer_settings", "the customer's row deleted"),
    ("departments", "no customer data"),
    ("erasures", "the audit trail: no customer data"),
    ("ignored_mail", "rows from the customer's address deleted"),
    ("logins", "the customer's rows deleted"),
    (
        "mail_quarantine",
        "rows from the customer's address deleted",
    ),
    ("mail_references", "the tickets' rows deleted"),
    ("mailboxes", "no customer data"),
    ("message_blobs", "the tickets' rows deleted"),
    ("messages", "deleted, or bodies replaced"),
    (
        "notification_preferences",
        "agents' choices: no customer data",
    ),
    (
        "notifications",
        "the tickets' and the customer's rows deleted",
    ),
    ("organisation_domains", "the organisation's rows deleted"),
    ("organisation_viewers", "the customer's row deleted"),
    (
        "outbox",
        "the tickets' rows and mail to the address deleted, the address out of copy lists",
    ),
    (
        "saved_searches",
        "agents' searches naming the customer or their address deleted",
    ),
    ("search_backfill", "no customer data"),
    (
        "search_fields",
        "deleted, or replaced by the placeholder's words",
    ),
    ("settings", "no customer data"),
    ("settings_changes", "no customer data"),
    (
        "sign_in_attempts",
        "keyed by a hash, kept for its short window",
    ),
    ("templates", "no customer data"),
    (
        "ticket_cc",
        "the tickets' rows and the customer's address deleted",
    ),
    ("ticket_categories", "deleted with the ticket (cascade)"),
    (
        "ticket_events",
        "deleted with the ticket, or personal text replaced; the address replaced everywhere",
    ),
    (
        "ticket_followers",
        "agents: deleted with the ticket (cascade)",
    ),
    ("ticket_numbers", "deleted with the ticket (cascade)"),
    ("ticket_tags", "deleted with the ticket (cascade)"),
    (
        "ticket_words",
        "deleted, or replaced by the placeholder's words",
    ),
    (
        "tickets",
        "deleted, or subject, fields, rating comment and request reason replaced",
    ),
    ("time_entries", "deleted with the ticket, or notes cleared"),
    ("undeliverable_address", "the customer's address deleted"),
    ("automation_rules", "no customer data"),
    ("automation_macros", "no customer data"),
    ("rule_firings", "deleted with the ticket (cascade)"),
    (
        "change_feed",
        "ids only, no personal data; pruned after the feed's retention",
    ),
    (
        "change_feed_head",
        "no customer data (the feed's last position)",
    ),
    ("webhook_endpoints", "no customer data"),
    (
        "webhook_deliveries",
        "ids only (the change feed's records): no name, address or text",
    ),
    ("rule_runs", "no customer data"),
    (
        "admin_notices",
        "about the desk's own webhook endpoints: no customer data",
    ),
];

/// Runs `sql` with the one parameter `ids`.
async fn run(tx: &mut PgConnection, sql: &'static str, ids: &[Uuid]) -> Result<()> {
    sqlx::query(sql)
        .bind(ids)
        .execute(&mut *tx)
        .await
        .map_err(error::db)?;
    Ok(())
}

/// Deletes or rewrites what hangs off the tickets `ids` (see the rule).
async fn erase_tickets(tx: &mut PgConnection, mode: ErasureMode, ids: &[Uuid]) -> Result<u64> {
    // Lock the tickets first, as a commit does, so a concurrent commit (or erasure) waits.
    let subjects: Vec<String> =
        sqlx::query_scalar("SELECT subject FROM tickets WHERE id = ANY($1) ORDER BY id FOR UPDATE")
            .bind(ids)
            .fetch_all(&mut *tx)
            .await
            .map_err(error::db)?;
    let count = subjects.iter().filter(|s| handled(mode, s)).count() as u64;
    for sql in [
        "DELETE FROM notifications WHERE ticket_id = ANY($1)",
        "DELETE FROM outbox WHERE ticket_id = ANY($1)",
        "DELETE FROM mail_references WHERE ticket_id = ANY($1)",
        "DELETE FROM ticket_cc WHERE ticket_id = ANY($1)",
        "DELETE FROM message_blobs WHERE message_id IN \
         (SELECT id FROM messages WHERE ticket_id = ANY($1))",
    ] {
        run(tx, sql, ids).await?;
    }
    match mode {
        ErasureMode::Erase => {
            for sql in [
                "DELETE FROM ticket_words WHERE ticket = ANY($1)",
                "DELETE FROM search_fields WHERE ticket_id = ANY($1)",
                "DELETE FROM chats WHERE ticket_id = ANY($1)",
                "UPDATE tickets SET master = NULL, version = version + 1 \
                 WHERE master = ANY($1) AND NOT id = ANY($1)",
                "DELETE FROM tickets WHERE id = ANY($1)",
            ] {
                run(tx, sql, ids).await?;
            }
        }
        ErasureMode::Anonymise => {
            sqlx::query(
                "UPDATE tickets SET subject = $2, custom_fields = '{}'::jsonb, \
                 version = version + 1 WHERE id = ANY($1)",
            )
            .bind(ids)
            .bind(ANONYMISED)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
            sqlx::query(
                "UPDATE messages SET body = $2, attachments = '[]'::jsonb WHERE ticket_id = ANY($1)",
            )
            .bind(ids)
            .bind(ANONYMISED)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
            run(
                tx,
                "UPDATE time_entries SET note = '' WHERE ticket_id = ANY($1)",
                ids,
            )
            .await?;
            // The search rows: every field of the tickets holds the placeholder's words.
            let messages = sqlx::query(
                "SELECT ticket_id, id, visibility <> 'public' AS internal FROM messages \
                 WHERE ticket_id = ANY($1)",
            )
            .bind(ids)
            .fetch_all(&mut *tx)
            .await
            .map_err(error::db)?;
            let stored: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM tickets WHERE id = ANY($1)")
                .bind(ids)
                .fetch_all(&mut *tx)
                .await
                .map_err(error::db)?;
            run(tx, "DELETE FROM ticket_words WHERE ticket = ANY($1)", ids).await?;
            run(
                tx,
                "DELETE FROM search_fields WHERE ticket_id = ANY($1)",
                ids,
            )
            .await?;
            let mut fields = FieldColumns::default();
            for t in &stored {
                fields.push(*t, None, false, ANONYMISED);
            }
            for m in &messages {
                let ticket: Uuid = m.try_get("ticket_id").map_err(error::db)?;
                let id: Uuid = m.try_get("id").map_err(error::db)?;
                let internal: bool = m.try_get("internal").map_err(error::db)?;
                fields.push(ticket, Some(id), internal, ANONYMISED);
            }
            if !fields.is_empty() {
                fields
                    .bind(sqlx::query(FieldColumns::INSERT))
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db)?;
            }
        }
    }
    Ok(count)
}

/// The history entries naming an address (`$1`) as the one a thread was e-mailed to: the
/// kind ([`ADDRESS_CHANGE_KIND`](helpdesk_core::store::ADDRESS_CHANGE_KIND)) is a literal, for the partial index of migration 0048.
const ADDRESS_NAMED: &str = "SELECT id, change::text AS change FROM ticket_events \
    WHERE kind = 'thread_emailed' AND change ->> 'to' = $1 ORDER BY seq";

/// Fetches the rows of `query` in `tx`, read by `read`.
async fn fetch<T>(
    tx: &mut PgConnection,
    query: crate::rows::PgQuery<'_>,
    read: fn(&PgRow) -> Result<T>,
) -> Result<Vec<T>> {
    let rows = query.fetch_all(&mut *tx).await.map_err(error::db)?;
    rows.iter().map(read).collect()
}

/// A history entry's id and change.
fn read_event(row: &PgRow) -> Result<(Uuid, Change)> {
    let r = Reader::new(row, "ticket_events");
    Ok((r.get("id")?, r.json("change")?))
}

/// Writes `change` as the history entry `id`'s, when there is one.
async fn put_change(tx: &mut PgConnection, id: Uuid, change: Option<Change>) -> Result<()> {
    if let Some(change) = change {
        sqlx::query("UPDATE ticket_events SET change = $2::jsonb WHERE id = $1")
            .bind(id)
            .bind(json(&change)?)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
    }
    Ok(())
}

/// Runs the update `sql` with the row `id` as `$1` and the JSON `value` as `$2`, when there
/// is a value.
async fn put_json(
    tx: &mut PgConnection,
    sql: &'static str,
    id: Uuid,
    value: Option<String>,
) -> Result<()> {
    if let Some(value) = value {
        sqlx::query(sql)
            .bind(id)
            .bind(value)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
    }
    Ok(())
}

/// Rewrites what stays of the person in the plan's tickets (history, rating, request) and
/// in other records (history and copy lists naming their address, saved searches naming
/// them), as [`ErasurePlan`]'s rule says.
async fn scrub_kept(tx: &mut PgConnection, plan: &ErasurePlan, ids: &[Uuid]) -> Result<()> {
    if !ids.is_empty() {
        let events = sqlx::query(
            "SELECT id, change::text AS change FROM ticket_events \
             WHERE ticket_id = ANY($1) AND kind = ANY($2) ORDER BY seq",
        )
        .bind(ids)
        .bind(&PERSONAL_CHANGE_KINDS[..]);
        for (event, change) in fetch(tx, events, read_event).await? {
            put_change(tx, event, plan.anonymised_change(&change)).await?;
        }
        let kept = sqlx::query(
            "SELECT id, satisfaction::text AS satisfaction, \
             priority_request::text AS priority_request FROM tickets WHERE id = ANY($1)",
        )
        .bind(ids);
        let read = |row: &PgRow| -> Result<(Uuid, Option<Satisfaction>, Option<PriorityRequest>)> {
            let r = Reader::new(row, "tickets");
            Ok((
                r.get("id")?,
                r.json_opt("satisfaction")?,
                r.json_opt("priority_request")?,
            ))
        };
        for (id, rating, request) in fetch(tx, kept, read).await? {
            let rating = rating.and_then(|r| plan.anonymised_satisfaction(&r));
            let rating = rating.map(|r| json(&r)).transpose()?;
            let sql = "UPDATE tickets SET satisfaction = $2::jsonb WHERE id = $1";
            put_json(tx, sql, id, rating).await?;
            let request = request.and_then(|r| plan.anonymised_priority_request(&r));
            let request = request.map(|r| json(&r)).transpose()?;
            let sql = "UPDATE tickets SET priority_request = $2::jsonb WHERE id = $1";
            put_json(tx, sql, id, request).await?;
        }
    }
    if let Some(address) = &plan.address {
        let named = sqlx::query(ADDRESS_NAMED).bind(address.as_str());
        for (event, change) in fetch(tx, named, read_event).await? {
            put_change(tx, event, plan.change_without_address(&change)).await?;
        }
        let copied = sqlx::query(
            "SELECT id, cc::text AS cc FROM outbox WHERE cc @> jsonb_build_array($1::text)",
        )
        .bind(address.as_str());
        let read = |row: &PgRow| -> Result<(Uuid, Vec<Email>)> {
            let r = Reader::new(row, "outbox");
            Ok((r.get("id")?, r.json("cc")?))
        };
        for (mail, cc) in fetch(tx, copied, read).await? {
            let cc = plan.cc_without_address(&cc).map(|c| json(&c)).transpose()?;
            let sql = "UPDATE outbox SET cc = $2::jsonb WHERE id = $1";
            put_json(tx, sql, mail, cc).await?;
        }
    }
    let saved = sqlx::query(concat!(
        "SELECT ",
        saved_search_columns!(),
        " FROM saved_searches"
    ));
    for s in fetch(tx, saved, saved_search).await? {
        if plan.names_in_saved_search(&s) {
            sqlx::query("DELETE FROM saved_searches WHERE id = $1")
                .bind(s.id.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
        }
    }
    Ok(())
}

/// Applies `plan` in `tx`; how many tickets it handled.
async fn erase(tx: &mut PgConnection, plan: &ErasurePlan) -> Result<u64> {
    let ids: Vec<Uuid> = plan.tickets.iter().map(|t| t.as_uuid()).collect();
    let count = if ids.is_empty() {
        0
    } else {
        erase_tickets(tx, plan.mode, &ids).await?
    };
    scrub_kept(tx, plan, &ids).await?;
    if let Some(customer) = plan.customer {
        let id = [customer.as_uuid()];
        for sql in [
            "DELETE FROM logins WHERE actor_kind = 'customer' AND actor_id = ANY($1)",
            "DELETE FROM auth_tokens WHERE actor_kind = 'customer' AND actor_id = ANY($1)",
            "DELETE FROM account_links WHERE actor_kind = 'customer' AND actor_id = ANY($1)",
            "DELETE FROM notifications WHERE recipient_kind = 'customer' \
             AND recipient_id = ANY($1)",
            "DELETE FROM article_votes WHERE voter_kind = 'customer' AND voter_id = ANY($1)",
            "DELETE FROM organisation_viewers WHERE customer_id = ANY($1)",
            "DELETE FROM customer_settings WHERE customer_id = ANY($1)",
            "DELETE FROM organisation_domains WHERE organisation_id = ANY($1)",
        ] {
            run(tx, sql, &id).await?;
        }
        match (plan.mode, &plan.placeholder) {
            (ErasureMode::Anonymise, Some(placeholder)) => {
                let exists: Option<i32> =
                    sqlx::query_scalar("SELECT 1 FROM customers WHERE id = $1 FOR UPDATE")
                        .bind(customer.as_uuid())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(error::db)?;
                if exists.is_some() {
                    bind_customer(sqlx::query(PUT_CUSTOMER), placeholder)?
                        .execute(&mut *tx)
                        .await
                        .map_err(error::db)?;
                }
            }
            _ => {
                for sql in [
                    "DELETE FROM chats WHERE customer = ANY($1)",
                    "UPDATE customers SET organisation_id = NULL WHERE organisation_id = ANY($1)",
                    "DELETE FROM customers WHERE id = ANY($1)",
                ] {
                    run(tx, sql, &id).await?;
                }
            }
        }
    }
    if let Some(address) = &plan.address {
        for sql in [
            "DELETE FROM outbox WHERE to_address = $1",
            "DELETE FROM mail_quarantine \
             WHERE lower(mail::jsonb #>> '{summary,sender}') = lower($1)",
            "DELETE FROM ignored_mail \
             WHERE lower(mail::jsonb #>> '{summary,sender}') = lower($1)",
            "DELETE FROM undeliverable_address WHERE address = $1",
            "DELETE FROM ticket_cc WHERE address = $1",
        ] {
            sqlx::query(sql)
                .bind(address.as_str())
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
        }
    }
    if let Some(record) = record_of(plan, count) {
        sqlx::query("INSERT INTO erasures (record) VALUES ($1)")
            .bind(json(&record)?)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
    }
    Ok(count)
}

fn record(row: &PgRow) -> Result<ErasureRecord> {
    Reader::new(row, "erasures").json("record")
}

#[async_trait]
impl ErasureStore for PostgresStore {
    async fn erase(&self, plan: &ErasurePlan) -> Result<u64> {
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        let count = erase(&mut tx, plan).await?;
        tx.commit().await.map_err(error::db)?;
        Ok(count)
    }

    async fn erasures(&self, limit: u32) -> Result<Vec<ErasureRecord>> {
        let query = sqlx::query("SELECT record FROM erasures ORDER BY seq DESC LIMIT $1")
            .bind(i64::from(limit));
        all(&self.pool, query, record).await
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use helpdesk_core::store::ADDRESS_CHANGE_KIND;

    use super::{ADDRESS_NAMED, TABLES};

    /// The look-up of an address in the history names the kind the core rewrites.
    #[test]
    fn the_address_look_up_names_the_kind_of_change_that_holds_one() {
        assert!(ADDRESS_NAMED.contains(&format!("kind = '{ADDRESS_CHANGE_KIND}'")));
    }

    /// Every table of a migrated schema is named in [`TABLES`]: a table added later fails
    /// here until its erasure is written and it is added.
    #[tokio::test]
    async fn every_table_says_how_it_is_erased() {
        let Some(store) = crate::testing::fresh_store().await else {
            return;
        };
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        )
        .fetch_all(store.pool())
        .await
        .unwrap();
        let tables: BTreeSet<String> = tables.into_iter().collect();
        let named: BTreeSet<String> = TABLES.iter().map(|(t, _)| (*t).to_owned()).collect();
        assert_eq!(tables, named, "tables without an erasure rule, or gone");
        crate::testing::discard(store).await.unwrap();
    }
}
