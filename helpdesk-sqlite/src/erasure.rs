//! Erasure and anonymisation (issue 22; audit table `erasures`, migration 0033):
//! [`ErasureStore`] for [`SqliteStore`], the rule of [`ErasurePlan`] as deletes and updates in
//! one transaction.
//!
//! [`TABLES`] names every table of the schema with what an erasure does to it; a test walks
//! the schema and fails on a table it does not name, so a table added later must say how it
//! is erased.

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{Change, Email, PriorityRequest, Satisfaction};
use helpdesk_core::store::{
    ADDRESS_CHANGE_KIND, ANONYMISED, ErasureMode, ErasurePlan, ErasureRecord, ErasureStore,
    PERSONAL_CHANGE_KINDS, handled, record_of,
};
use rusqlite::{OptionalExtension, Row, Transaction, TransactionBehavior};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::directory::CustomerRow;
use crate::rows::saved_search::{SAVED_SEARCH_COLUMNS, read_saved_search};
use crate::rows::{Reader, all, blob, json};
use crate::search::{FieldRow, replace_subject};

/// Every table of the schema (FTS5 shadow tables aside) and how an erasure treats it.
#[cfg(test)]
pub(crate) const TABLES: &[(&str, &str)] = &[
    ("account_links", "the customer's rows deleted"),
    ("agent_departments", "no customer data"),
    ("agent_settings", "agents' choices: no customer data"),
    ("agents", "no customer data"),
    ("article_categories", "no customer data"),
    ("article_fields", "no customer data"),
    ("article_index", "no customer data"),
    ("article_votes", "the customer's votes deleted"),
    ("article_words", "no customer data"),
    ("articles", "no customer data"),
    ("auth_tokens", "the customer's rows deleted"),
    ("blobs", "swept after the transaction by the desk"),
    ("canned_responses", "no customer data"),
    ("chat_availability", "no customer data"),
    ("chats", "deleted with the ticket or the customer"),
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
    (
        "search_fields",
        "deleted, or replaced by the placeholder's words",
    ),
    ("search_index", "follows search_fields (triggers)"),
    ("settings", "no customer data"),
    ("settings_changes", "no customer data"),
    (
        "sign_in_attempts",
        "keyed by a hash, kept for its short window",
    ),
    ("sqlite_sequence", "no customer data"),
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
    ("ticket_sequence", "no customer data"),
    ("ticket_tags", "deleted with the ticket (cascade)"),
    (
        "ticket_words",
        "follows search_fields (triggers), then cleared",
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
        "sqlite_sequence",
        "no customer data (the change feed's last position)",
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

/// Deletes or rewrites what hangs off the ticket `id` (see the rule).
fn erase_ticket(tx: &Transaction<'_>, mode: ErasureMode, id: &[u8; 16]) -> Outcome<bool> {
    let Some((rowid, subject)) = tx
        .prepare_cached("SELECT rowid, subject FROM tickets WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .optional()?
    else {
        return Ok(false);
    };
    for sql in [
        "DELETE FROM notifications WHERE ticket_id = ?1",
        "DELETE FROM outbox WHERE ticket_id = ?1",
        "DELETE FROM mail_references WHERE ticket_id = ?1",
        "DELETE FROM ticket_cc WHERE ticket_id = ?1",
        "DELETE FROM message_blobs WHERE message_id IN
         (SELECT id FROM messages WHERE ticket_id = ?1)",
    ] {
        tx.prepare_cached(sql)?.execute([id])?;
    }
    match mode {
        ErasureMode::Erase => {
            for sql in [
                "DELETE FROM search_fields WHERE ticket_id = ?1",
                "DELETE FROM chats WHERE ticket_id = ?1",
                "UPDATE tickets SET master = NULL, version = version + 1 WHERE master = ?1",
                "DELETE FROM tickets WHERE id = ?1",
            ] {
                tx.prepare_cached(sql)?.execute([id])?;
            }
            tx.prepare_cached("DELETE FROM ticket_words WHERE ticket = ?1")?
                .execute([rowid])?;
        }
        ErasureMode::Anonymise => {
            let row = FieldRow::new(ANONYMISED, false);
            tx.prepare_cached(
                "UPDATE tickets SET subject = ?2, custom_fields = '{}', version = version + 1
                 WHERE id = ?1",
            )?
            .execute((id, ANONYMISED))?;
            replace_subject(tx, id, &row)?;
            tx.prepare_cached(
                "UPDATE search_fields SET words = ?2, folded = ?3, stems = ?4
                 WHERE ticket_id = ?1 AND message_seq IS NOT NULL",
            )?
            .execute((id, &row.words, &row.folded, &row.stems))?;
            tx.prepare_cached(
                "UPDATE messages SET body = ?2, attachments = '[]' WHERE ticket_id = ?1",
            )?
            .execute((id, ANONYMISED))?;
            tx.prepare_cached("UPDATE time_entries SET note = '' WHERE ticket_id = ?1")?
                .execute([id])?;
        }
    }
    Ok(handled(mode, &subject))
}

/// A history entry's id and change.
fn read_event(row: &Row<'_>) -> Outcome<(Vec<u8>, Change)> {
    Ok((
        row.get(0)?,
        Reader::new(row, "ticket_events").json("change")?,
    ))
}

/// Writes `change` as the history entry `id`'s, when there is one.
fn put_change(tx: &Transaction<'_>, id: &[u8], change: Option<Change>) -> Outcome<()> {
    if let Some(change) = change {
        tx.prepare_cached("UPDATE ticket_events SET change = ?2 WHERE id = ?1")?
            .execute((id, json(&change)?))?;
    }
    Ok(())
}

/// Rewrites what stays of the person in the plan's tickets (history, rating, request) and
/// in other records (history and copy lists naming their address, saved searches naming
/// them), as [`ErasurePlan`]'s rule says.
fn scrub_kept(tx: &Transaction<'_>, plan: &ErasurePlan) -> Outcome<()> {
    let kinds = PERSONAL_CHANGE_KINDS.map(|k| format!("'{k}'")).join(", ");
    let events =
        format!("SELECT id, change FROM ticket_events WHERE ticket_id = ?1 AND kind IN ({kinds})");
    for t in &plan.tickets {
        let id = blob(t.as_uuid());
        for (event, change) in all(tx, &events, [id], read_event)? {
            put_change(tx, &event, plan.anonymised_change(&change))?;
        }
        let read = |r: &Row<'_>| -> Outcome<(Option<Satisfaction>, Option<PriorityRequest>)> {
            let r = Reader::new(r, "tickets");
            Ok((r.json_opt("satisfaction")?, r.json_opt("priority_request")?))
        };
        let kept = "SELECT satisfaction, priority_request FROM tickets WHERE id = ?1";
        for (rating, request) in all(tx, kept, [id], read)? {
            if let Some(after) = rating.and_then(|r| plan.anonymised_satisfaction(&r)) {
                tx.prepare_cached("UPDATE tickets SET satisfaction = ?2 WHERE id = ?1")?
                    .execute((id, json(&after)?))?;
            }
            if let Some(after) = request.and_then(|r| plan.anonymised_priority_request(&r)) {
                tx.prepare_cached("UPDATE tickets SET priority_request = ?2 WHERE id = ?1")?
                    .execute((id, json(&after)?))?;
            }
        }
    }
    if let Some(address) = &plan.address {
        let named = format!(
            "SELECT id, change FROM ticket_events
             WHERE kind = '{ADDRESS_CHANGE_KIND}' AND json_extract(change, '$.to') = ?1"
        );
        for (event, change) in all(tx, &named, [address.as_str()], read_event)? {
            put_change(tx, &event, plan.change_without_address(&change))?;
        }
        // Both read through the indexes of migration 0048.
        let copied = "SELECT id, cc FROM outbox WHERE cc <> '[]' AND instr(cc, ?1) > 0";
        let read = |r: &Row<'_>| -> Outcome<(Vec<u8>, Vec<Email>)> {
            Ok((r.get(0)?, Reader::new(r, "outbox").json("cc")?))
        };
        for (mail, cc) in all(tx, copied, [address.as_str()], read)? {
            if let Some(cc) = plan.cc_without_address(&cc) {
                tx.prepare_cached("UPDATE outbox SET cc = ?2 WHERE id = ?1")?
                    .execute((mail, json(&cc)?))?;
            }
        }
    }
    let saved = format!("SELECT {SAVED_SEARCH_COLUMNS} FROM saved_searches");
    for s in all(tx, &saved, [], read_saved_search)? {
        if plan.names_in_saved_search(&s) {
            tx.prepare_cached("DELETE FROM saved_searches WHERE id = ?1")?
                .execute([blob(s.id.as_uuid())])?;
        }
    }
    Ok(())
}

/// Applies `plan` in `tx`; how many tickets it handled.
fn erase(tx: &Transaction<'_>, plan: &ErasurePlan) -> Outcome<u64> {
    let mut count = 0;
    for t in &plan.tickets {
        count += u64::from(erase_ticket(tx, plan.mode, &blob(t.as_uuid()))?);
    }
    scrub_kept(tx, plan)?;
    if let Some(customer) = plan.customer {
        let id = blob(customer.as_uuid());
        for sql in [
            "DELETE FROM logins WHERE actor_kind = 'customer' AND actor_id = ?1",
            "DELETE FROM auth_tokens WHERE actor_kind = 'customer' AND actor_id = ?1",
            "DELETE FROM account_links WHERE actor_kind = 'customer' AND actor_id = ?1",
            "DELETE FROM notifications WHERE recipient_kind = 'customer' AND recipient_id = ?1",
            "DELETE FROM article_votes WHERE voter_kind = 'customer' AND voter_id = ?1",
            "DELETE FROM organisation_viewers WHERE customer_id = ?1",
            "DELETE FROM customer_settings WHERE customer_id = ?1",
            "DELETE FROM organisation_domains WHERE organisation_id = ?1",
        ] {
            tx.prepare_cached(sql)?.execute([id])?;
        }
        match (plan.mode, &plan.placeholder) {
            (ErasureMode::Anonymise, Some(placeholder)) => {
                let row = CustomerRow::new(placeholder)?;
                let exists = tx
                    .prepare_cached("SELECT 1 FROM customers WHERE id = ?1")?
                    .query_row([id], |r| r.get::<_, i64>(0))
                    .optional()?;
                if exists.is_some() {
                    tx.prepare_cached(CustomerRow::UPSERT)?
                        .execute(&row.params()[..])?;
                }
            }
            _ => {
                for sql in [
                    "DELETE FROM chats WHERE customer = ?1",
                    "UPDATE customers SET organisation_id = NULL WHERE organisation_id = ?1",
                    "DELETE FROM customers WHERE id = ?1",
                ] {
                    tx.prepare_cached(sql)?.execute([id])?;
                }
            }
        }
    }
    if let Some(address) = &plan.address {
        let address = address.as_str();
        for sql in [
            "DELETE FROM outbox WHERE to_address = ?1",
            "DELETE FROM mail_quarantine
             WHERE lower(json_extract(mail, '$.summary.sender')) = lower(?1)",
            "DELETE FROM ignored_mail
             WHERE lower(json_extract(mail, '$.summary.sender')) = lower(?1)",
            "DELETE FROM undeliverable_address WHERE address = ?1",
            "DELETE FROM ticket_cc WHERE address = ?1",
        ] {
            tx.prepare_cached(sql)?.execute([address])?;
        }
    }
    if let Some(record) = record_of(plan, count) {
        tx.prepare_cached("INSERT INTO erasures (record) VALUES (?1)")?
            .execute([json(&record)?])?;
    }
    Ok(count)
}

fn read_record(row: &Row<'_>) -> Outcome<ErasureRecord> {
    Reader::new(row, "erasures").json("record")
}

#[async_trait]
impl ErasureStore for SqliteStore {
    async fn erase(&self, plan: &ErasurePlan) -> Result<u64> {
        let plan = plan.clone();
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let count = erase(&tx, &plan)?;
            tx.commit()?;
            Ok(count)
        })
        .await
    }

    async fn erasures(&self, limit: u32) -> Result<Vec<ErasureRecord>> {
        self.read(move |conn| {
            let sql = "SELECT record FROM erasures ORDER BY seq DESC LIMIT ?1";
            all(conn, sql, [limit], read_record)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::TABLES;

    /// Every table of a migrated database is named in [`TABLES`]: a table added later fails
    /// here until its erasure is written and it is added.
    #[test]
    fn every_table_says_how_it_is_erased() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::schema::migrate(&mut conn).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table'
                 AND name NOT LIKE '%\\_data' ESCAPE '\\' AND name NOT LIKE '%\\_idx' ESCAPE '\\'
                 AND name NOT LIKE '%\\_docsize' ESCAPE '\\'
                 AND name NOT LIKE '%\\_config' ESCAPE '\\'",
            )
            .unwrap();
        let tables: BTreeSet<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let named: BTreeSet<String> = TABLES.iter().map(|(t, _)| (*t).to_owned()).collect();
        assert_eq!(tables, named, "tables without an erasure rule, or gone");
    }
}
