//! [`Store::read_together`](helpdesk_core::store::Store::read_together) for [`SqliteStore`]:
//! every part of a [`ReadSet`] read on one reader connection in one blocking task and one
//! read transaction, the same
//! statements the one-by-one reads run, so a request's reads cost one hand-off to the
//! blocking pool instead of one each.

use helpdesk_core::Result;
use helpdesk_core::domain::TicketKey;
use helpdesk_core::store::{
    ReadSet, ReadTogether, linked_filter, ticket_customer, ticket_department, tickets_filter,
};
use rusqlite::{Connection, Row};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::directory::{
    AGENT_COLUMNS, CUSTOMER_COLUMNS, DEPARTMENT_COLUMNS, read_agent, read_customer, read_department,
};
use crate::rows::ticket::{TICKET_COLUMNS, read_ranked_ticket, read_ticket};
use crate::rows::{Reader, all, blob, first};

/// Reads `set` in one blocking task.
pub(crate) async fn read_together(store: &SqliteStore, set: &ReadSet) -> Result<ReadTogether> {
    set.check()?;
    let set = set.clone();
    store
        .read(move |conn| {
            // One read transaction, so the parts agree (a ticket and its thread above all).
            let tx = conn.transaction()?;
            read(&tx, &set)
        })
        .await
}

fn read(conn: &Connection, set: &ReadSet) -> Outcome<ReadTogether> {
    let ticket = match &set.ticket {
        Some(TicketKey::Id(id)) => {
            let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_ticket)?
        }
        Some(TicketKey::Number(digits)) => {
            let sql = format!(
                "SELECT {TICKET_COLUMNS} FROM tickets t
                 WHERE t.number_full = ?1 OR t.number_short = ?1"
            );
            first(conn, &sql, [digits], read_ticket)?
        }
        None => None,
    };
    let thread = match (&ticket, set.ticket_thread) {
        (Some(t), Some(part)) => Some(crate::tickets::thread_of(
            conn,
            t.id,
            part.include_internal,
            part.newest,
        )?),
        _ => None,
    };
    let mut read = ReadTogether {
        ticket,
        thread,
        ..ReadTogether::default()
    };
    let departments: Vec<_> = (set.departments.iter().copied())
        .chain(ticket_department(set, &read))
        .collect();
    let sql = format!("SELECT {DEPARTMENT_COLUMNS} FROM departments WHERE id = ?1");
    for id in departments {
        if read.department(id).is_none()
            && let Some(d) = first(conn, &sql, [blob(id.as_uuid())], read_department)?
        {
            read.departments.push(d);
        }
    }
    let customers: Vec<_> = (set.customers.iter().copied())
        .chain(ticket_customer(set, &read))
        .collect();
    let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?1");
    for id in customers {
        if read.customer(id).is_none()
            && let Some(c) = first(conn, &sql, [blob(id.as_uuid())], read_customer)?
        {
            read.customers.push(c);
        }
    }
    if set.agents {
        let sql = format!("SELECT {AGENT_COLUMNS} FROM agents a ORDER BY a.name, a.id");
        read.agents = Some(all(conn, &sql, [], read_agent)?);
    }
    if let Some(id) = set.agent {
        let sql = format!("SELECT {AGENT_COLUMNS} FROM agents a WHERE a.id = ?1");
        read.agent = first(conn, &sql, [blob(id.as_uuid())], read_agent)?;
    }
    for key in &set.settings {
        let sql = "SELECT value FROM settings WHERE name = ?1";
        if let Some(value) = first(conn, sql, [key.as_str()], read_value)? {
            read.settings.push((*key, value));
        }
    }
    if set.rules {
        read.rules = Some(crate::automation::rules_in(conn)?);
    }
    if set.webhooks {
        read.webhooks = Some(crate::webhooks::webhooks_in(conn)?);
    }
    if let Some((filter, page)) = tickets_filter(set, &read) {
        let query = crate::query::list_tickets(&filter, page);
        read.tickets = Some(page.into_page_scored(query.all(conn, read_ranked_ticket)?));
    }
    if let Some((filter, mut page)) = linked_filter(set, &read) {
        let mut linked = Vec::new();
        loop {
            let query = crate::query::list_tickets(&filter, &page);
            let got = page.into_page_scored(query.all(conn, read_ranked_ticket)?);
            linked.extend(got.items);
            match got.next {
                Some(cursor) => page = page.after(cursor).map_err(helpdesk_core::Error::from)?,
                None => break,
            }
        }
        read.linked = Some(linked);
    }
    Ok(read)
}

/// A setting's value from a row of `SELECT value`.
fn read_value(row: &Row<'_>) -> Outcome<String> {
    Reader::new(row, "settings").get("value")
}
