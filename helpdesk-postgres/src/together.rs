//! [`Store::read_together`](helpdesk_core::store::Store::read_together) for
//! [`PostgresStore`]: the parts of a [`ReadSet`] as concurrent queries, each on its own
//! pooled connection, so a request's reads cost about one round trip instead of one each.
//! The ticket's department and customer are read beside the ticket, by the ticket's key;
//! should the ticket have moved between those reads, they are read again by its own values.

use helpdesk_core::Result;
use helpdesk_core::domain::{Customer, CustomerId, Department, DepartmentId, Ticket, TicketKey};
use helpdesk_core::store::{
    PageRequest, ReadSet, ReadTogether, SettingKey, TicketFilter, linked_filter, linked_first_page,
    tickets_filter,
};
use sqlx::{PgPool, Row};
use uuid::Uuid;

use crate::connection::PostgresStore;
use crate::error;
use crate::rows::directory::{self as row, agent_columns, customer_columns, department_columns};
use crate::rows::{PgQuery, all, optional};

/// A ticket's department, by the ticket's id (`$1`).
const DEPARTMENT_BY_ID: &str = concat!(
    "SELECT ",
    department_columns!(),
    " FROM departments WHERE id = (SELECT department FROM tickets WHERE id = $1)"
);

/// A ticket's department, by the ticket's number (`$1`).
const DEPARTMENT_BY_NUMBER: &str = concat!(
    "SELECT ",
    department_columns!(),
    " FROM departments WHERE id = (SELECT t.department FROM ticket_numbers n \
     JOIN tickets t ON t.id = n.ticket_id WHERE n.digits = $1)"
);

/// A ticket's customer, by the ticket's id (`$1`).
const CUSTOMER_BY_ID: &str = concat!(
    "SELECT ",
    customer_columns!(),
    " FROM customers WHERE id = (SELECT customer FROM tickets WHERE id = $1)"
);

/// A ticket's customer, by the ticket's number (`$1`).
const CUSTOMER_BY_NUMBER: &str = concat!(
    "SELECT ",
    customer_columns!(),
    " FROM customers WHERE id = (SELECT t.customer FROM ticket_numbers n \
     JOIN tickets t ON t.id = n.ticket_id WHERE n.digits = $1)"
);

/// Reads `set` with concurrent queries.
pub(crate) async fn read_together(store: &PostgresStore, set: &ReadSet) -> Result<ReadTogether> {
    set.check()?;
    let pool = &store.pool;
    let the_ticket = async {
        match &set.ticket {
            Some(TicketKey::Id(id)) => crate::tickets::by_id(pool, *id).await,
            Some(TicketKey::Number(digits)) => crate::tickets::by_number(pool, digits).await,
            None => Ok(None),
        }
    };
    let its_department = async {
        match &set.ticket {
            Some(key) if set.ticket_department => {
                let query = by_key(key, DEPARTMENT_BY_ID, DEPARTMENT_BY_NUMBER);
                optional(pool, query, row::department).await
            }
            _ => Ok(None),
        }
    };
    let its_customer = async {
        match &set.ticket {
            Some(key) if set.ticket_customer => {
                let query = by_key(key, CUSTOMER_BY_ID, CUSTOMER_BY_NUMBER);
                optional(pool, query, row::customer).await
            }
            _ => Ok(None),
        }
    };
    let agents = async {
        if set.agents {
            let sql = concat!(
                "SELECT ",
                agent_columns!(),
                " FROM agents ORDER BY name, id"
            );
            all(pool, sqlx::query(sql), row::agent).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let agent = async {
        match set.agent {
            Some(id) => crate::directory::agent(pool, id).await,
            None => Ok(None),
        }
    };
    // A thread by the ticket's id, when the key is it, beside the ticket.
    let thread_by_id = async {
        match (&set.ticket, set.ticket_thread) {
            (Some(TicketKey::Id(id)), Some(part)) => {
                let mut conn = pool.acquire().await.map_err(error::db)?;
                let page =
                    crate::tickets::thread_of(&mut conn, *id, part.include_internal, part.newest);
                page.await.map(Some)
            }
            _ => Ok(None),
        }
    };
    // A master's linked tickets by its id, when the key is it, beside the ticket (kept only
    // if the ticket read names no master).
    let linked_by_id = async {
        match &set.ticket {
            Some(TicketKey::Id(id)) if set.ticket_linked => {
                let filter = TicketFilter {
                    master: Some(*id),
                    ..TicketFilter::default()
                };
                linked(pool, &filter, linked_first_page()).await.map(Some)
            }
            _ => Ok(None),
        }
    };
    let settings = settings(pool, &set.settings);
    let rules = async {
        match set.rules {
            true => crate::automation::rules_in(pool).await.map(Some),
            false => Ok(None),
        }
    };
    let webhooks = async {
        match set.webhooks {
            true => crate::webhooks::webhooks_in(pool).await.map(Some),
            false => Ok(None),
        }
    };
    let listed = listed(pool, &set.departments, &set.customers);
    let (
        ticket,
        its_department,
        its_customer,
        agents,
        agent,
        thread_by_id,
        linked_by_id,
        settings,
        rules,
        webhooks,
        (departments, customers),
    ) = tokio::try_join!(
        the_ticket,
        its_department,
        its_customer,
        agents,
        agent,
        thread_by_id,
        linked_by_id,
        settings,
        rules,
        webhooks,
        listed
    )?;
    // The thread: read beside the ticket by its id, else by the id of the ticket read.
    let thread = match (&ticket, set.ticket_thread) {
        (Some(_), Some(_)) if thread_by_id.is_some() => thread_by_id,
        (Some(t), Some(part)) => {
            let mut conn = pool.acquire().await.map_err(error::db)?;
            let page =
                crate::tickets::thread_of(&mut conn, t.id, part.include_internal, part.newest);
            Some(page.await?)
        }
        _ => None,
    };
    let mut read = ReadTogether {
        ticket,
        thread,
        departments,
        customers,
        agents,
        agent,
        settings,
        tickets: None,
        linked: None,
        rules,
        webhooks,
    };
    // The ticket's own department and customer, as it was read.
    if let Some(t) = read.ticket.clone() {
        if set.ticket_department && read.department(t.department).is_none() {
            match its_department.filter(|d| d.id == t.department) {
                Some(d) => read.departments.push(d),
                None => read
                    .departments
                    .extend(crate::directory::department(pool, t.department).await?),
            }
        }
        if set.ticket_customer
            && let Some(id) = t.customer
            && read.customer(id).is_none()
        {
            match its_customer.filter(|c| c.id == id) {
                Some(c) => read.customers.push(c),
                None => read
                    .customers
                    .extend(crate::directory::customer(pool, id).await?),
            }
        }
    }
    // A page of tickets, narrowed to its viewer as read above.
    if let Some((filter, page)) = tickets_filter(set, &read) {
        read.tickets = Some(crate::query::list(pool, &filter, page).await?);
    }
    // A master's linked tickets: read beside it by its id, else by the id of the ticket read.
    if let Some((filter, page)) = linked_filter(set, &read) {
        read.linked = Some(match linked_by_id {
            Some(found) if filter.master == read.ticket.as_ref().map(|t| t.id) => found,
            _ => linked(pool, &filter, page).await?,
        });
    }
    Ok(read)
}

/// Every page of the tickets `filter` matches, from `page` on.
async fn linked(
    pool: &PgPool,
    filter: &TicketFilter,
    mut page: PageRequest,
) -> Result<Vec<Ticket>> {
    let mut all = Vec::new();
    loop {
        let got = crate::query::list(pool, filter, &page).await?;
        all.extend(got.items);
        match got.next {
            Some(cursor) => page = page.after(cursor)?,
            None => return Ok(all),
        }
    }
}

/// `by_id` or `by_number`, as the ticket's `key` is, with the key bound as `$1`.
fn by_key<'q>(key: &'q TicketKey, by_id: &'static str, by_number: &'static str) -> PgQuery<'q> {
    match key {
        TicketKey::Id(id) => sqlx::query(by_id).bind(id.as_uuid()),
        TicketKey::Number(digits) => sqlx::query(by_number).bind(digits.as_str()),
    }
}

/// The stored values of `keys`, in one query.
async fn settings(pool: &PgPool, keys: &[SettingKey]) -> Result<Vec<(SettingKey, String)>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let names: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
    let rows = sqlx::query("SELECT name, value FROM settings WHERE name = ANY($1)")
        .bind(&names)
        .fetch_all(pool)
        .await
        .map_err(error::db)?;
    let mut found = Vec::new();
    for key in keys {
        for r in &rows {
            let name: String = r.try_get("name").map_err(helpdesk_core::Error::backend)?;
            if name == key.as_str() {
                let value: String = r.try_get("value").map_err(helpdesk_core::Error::backend)?;
                found.push((*key, value));
            }
        }
    }
    Ok(found)
}

/// The departments and customers named in the set, one query each, in the set's order
/// (each once, the missing left out).
async fn listed(
    pool: &PgPool,
    departments: &[DepartmentId],
    customers: &[CustomerId],
) -> Result<(Vec<Department>, Vec<Customer>)> {
    let (mut found_departments, mut found_customers) = (Vec::new(), Vec::new());
    if !departments.is_empty() {
        let ids: Vec<Uuid> = departments.iter().map(|d| d.as_uuid()).collect();
        let sql = concat!(
            "SELECT ",
            department_columns!(),
            " FROM departments WHERE id = ANY($1)"
        );
        let rows = all(pool, sqlx::query(sql).bind(&ids), row::department).await?;
        for id in departments {
            if !found_departments.iter().any(|d: &Department| d.id == *id)
                && let Some(d) = rows.iter().find(|d| d.id == *id)
            {
                found_departments.push(d.clone());
            }
        }
    }
    if !customers.is_empty() {
        let ids: Vec<Uuid> = customers.iter().map(|c| c.as_uuid()).collect();
        let sql = concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers WHERE id = ANY($1)"
        );
        let rows = all(pool, sqlx::query(sql).bind(&ids), row::customer).await?;
        for id in customers {
            if !found_customers.iter().any(|c: &Customer| c.id == *id)
                && let Some(c) = rows.iter().find(|c| c.id == *id)
            {
                found_customers.push(c.clone());
            }
        }
    }
    Ok((found_departments, found_customers))
}
