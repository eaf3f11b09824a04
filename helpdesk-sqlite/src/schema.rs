//! The schema: versioned migrations under `migrations/`, embedded in the binary and applied on
//! open, and the backfills of what SQL alone cannot compute. The schema version is SQLite's
//! `user_version`.
//!
//! A migration is never edited once released; a change is a new file, added at the end.

use helpdesk_core::domain::Visibility;
use helpdesk_core::listing::directory_key;
use helpdesk_core::search::{address_key, stem_keys_of};
use rusqlite::{Connection, TransactionBehavior};
use rusqlite_migration::{M, Migrations};

use crate::error::SqliteError;
use crate::search::{FieldRow, insert};

/// Every migration, in order.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../migrations/0001_initial.sql")),
        M::up(include_str!("../migrations/0002_timers.sql")),
        M::up(include_str!("../migrations/0003_search.sql")),
        M::up(include_str!("../migrations/0004_directory_search_kb.sql")),
        M::up(include_str!("../migrations/0005_feedback.sql")),
        M::up(include_str!("../migrations/0006_templates.sql")),
        M::up(include_str!(
            "../migrations/0007_mail_and_notifications.sql"
        )),
        M::up(include_str!("../migrations/0008_accounts.sql")),
        M::up(include_str!("../migrations/0009_reports.sql")),
        M::up(include_str!("../migrations/0010_chat.sql")),
        M::up(include_str!("../migrations/0011_blob_sweep.sql")),
        M::up(include_str!("../migrations/0012_article_votes.sql")),
        M::up(include_str!(
            "../migrations/0013_time_entry_note_visibility.sql"
        )),
        M::up(include_str!(
            "../migrations/0014_settings_and_ticket_links.sql"
        )),
        M::up(include_str!("../migrations/0015_settings_audit.sql")),
        M::up(include_str!("../migrations/0016_sign_in_attempts.sql")),
        M::up(include_str!(
            "../migrations/0017_search_keyed_by_ticket.sql"
        )),
        M::up(include_str!("../migrations/0018_customer_directory.sql")),
        M::up(include_str!("../migrations/0019_content_settings.sql")),
        M::up(include_str!("../migrations/0020_account_links.sql")),
        M::up(include_str!("../migrations/0021_mail_quarantine.sql")),
        M::up(include_str!(
            "../migrations/0022_undeliverable_addresses.sql"
        )),
        M::up(include_str!("../migrations/0023_mailboxes.sql")),
        M::up(include_str!("../migrations/0025_organisations.sql")),
        M::up(include_str!("../migrations/0026_linked_tickets.sql")),
        M::up(include_str!("../migrations/0027_ticket_tags.sql")),
        M::up(include_str!("../migrations/0028_search_stems.sql")),
        M::up(include_str!("../migrations/0029_followers_and_cc.sql")),
        M::up(include_str!(
            "../migrations/0030_notification_preferences.sql"
        )),
        M::up(include_str!("../migrations/0033_erasures.sql")),
        M::up(include_str!("../migrations/0038_automation_rules.sql")),
        M::up(include_str!("../migrations/0039_rule_firings.sql")),
        M::up(include_str!("../migrations/0040_change_feed.sql")),
        M::up(include_str!("../migrations/0041_webhooks.sql")),
        M::up(include_str!("../migrations/0042_presence_heartbeats.sql")),
        M::up(include_str!("../migrations/0043_rule_runs.sql")),
        M::up(include_str!("../migrations/0044_person_settings.sql")),
        M::up(include_str!("../migrations/0045_admin_notices.sql")),
        M::up(include_str!("../migrations/0048_erasure_lookups.sql")),
    ])
}

/// Brings the schema of `conn`'s database up to date, in one transaction, then indexes for
/// search the tickets written before migration 0003 and computes the address keys of the
/// customers written before 0004 (SQL cannot fold text), in a transaction each.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), SqliteError> {
    migrations().to_latest(conn)?;
    backfill_search_index(conn)?;
    backfill_address_keys(conn)?;
    backfill_directory_keys(conn)?;
    backfill_search_stems(conn)?;
    Ok(())
}

/// Indexes every ticket that has no subject row yet (written before migration 0003), with its
/// messages, in one transaction. Cheap when there is none.
fn backfill_search_index(conn: &mut Connection) -> Result<usize, SqliteError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let missing: Vec<(Vec<u8>, String)> = {
        let mut stmt = tx.prepare(
            "SELECT t.id, t.subject FROM tickets t
             WHERE NOT EXISTS (
                 SELECT 1 FROM search_fields f WHERE f.ticket_id = t.id AND f.message_seq IS NULL
             )",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (ticket_id, subject) in &missing {
        // Whatever a half-indexed ticket has is replaced.
        tx.prepare_cached("DELETE FROM search_fields WHERE ticket_id = ?1")?
            .execute([ticket_id])?;
        insert(&tx, ticket_id, None, &FieldRow::new(subject, false))?;
        let messages: Vec<(i64, String, String)> = tx
            .prepare_cached(
                "SELECT seq, visibility, body FROM messages WHERE ticket_id = ?1 ORDER BY seq",
            )?
            .query_map([ticket_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (seq, visibility, body) in messages {
            let row = FieldRow::new(&body, visibility != Visibility::Public.as_str());
            insert(&tx, ticket_id, Some(seq), &row)?;
        }
    }
    tx.commit()?;
    Ok(missing.len())
}

/// Fills `customers.address_key` for the customers written before migration 0004. Cheap
/// when there is none.
fn backfill_address_keys(conn: &mut Connection) -> Result<usize, SqliteError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let missing: Vec<(Vec<u8>, String)> = {
        let mut stmt = tx.prepare(
            "SELECT id, address FROM customers WHERE address IS NOT NULL AND address_key IS NULL",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (id, address) in &missing {
        tx.prepare_cached("UPDATE customers SET address_key = ?2 WHERE id = ?1")?
            .execute((id, address_key(address)))?;
    }
    tx.commit()?;
    Ok(missing.len())
}

/// Computes the directory key of every customer that has none (written before migration
/// 0018), in one transaction. Cheap when there is none.
fn backfill_directory_keys(conn: &mut Connection) -> Result<usize, SqliteError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let missing: Vec<(Vec<u8>, String)> = {
        let sql = format!(
            "SELECT {} FROM customers WHERE directory_key IS NULL",
            crate::rows::directory::CUSTOMER_COLUMNS
        );
        let mut stmt = tx.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            // A row that does not read is corrupt, and reported when it is read; unkeyed, it
            // is found by no free text meanwhile.
            let Ok(customer) = crate::rows::directory::read_customer(row) else {
                continue;
            };
            let id = customer.id.as_uuid().as_bytes().to_vec();
            out.push((id, directory_key(&customer)));
        }
        out
    };
    for (id, key) in &missing {
        tx.prepare_cached("UPDATE customers SET directory_key = ?2 WHERE id = ?1")?
            .execute((id, key))?;
    }
    tx.commit()?;
    Ok(missing.len())
}

/// Computes the stem keys of every search field that has none (written before migration
/// 0028), in one transaction; the triggers add them to `ticket_words`. Cheap when there is
/// none (a partial index holds exactly those fields).
fn backfill_search_stems(conn: &mut Connection) -> Result<usize, SqliteError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let missing: Vec<(i64, String)> = {
        let mut stmt = tx.prepare(
            "SELECT seq, words FROM search_fields INDEXED BY search_fields_unstemmed
             WHERE stems IS NULL",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (seq, words) in &missing {
        let words: Vec<String> = words.split_whitespace().map(str::to_owned).collect();
        tx.prepare_cached("UPDATE search_fields SET stems = ?2 WHERE seq = ?1")?
            .execute((seq, stem_keys_of(&words).join(" ")))?;
    }
    tx.commit()?;
    Ok(missing.len())
}

/// The query plan of `sql` on a fresh, migrated database, one step a line.
#[cfg(test)]
pub(crate) fn plan(sql: &str) -> String {
    let mut conn = Connection::open_in_memory().unwrap();
    migrate(&mut conn).unwrap();
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let nulls = std::iter::repeat_n(rusqlite::types::Null, stmt.parameter_count());
    let steps: Vec<String> = stmt
        .query_map(rusqlite::params_from_iter(nulls), |r| r.get(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    steps.join("\n")
}

#[cfg(test)]
mod tests;
