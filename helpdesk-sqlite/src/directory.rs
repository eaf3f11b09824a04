//! The directory: departments, agents and customers (tables of migrations 0001 and 0004), and
//! customer look-ups.

use helpdesk_core::Result;
use helpdesk_core::domain::{
    Agent, AgentId, Customer, CustomerId, Department, DepartmentId, Email,
};
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::search::CustomerLookup;
use helpdesk_core::store::{CustomerFilter, CustomerPage, CustomerPageRequest};
use rusqlite::{OptionalExtension, TransactionBehavior};

use crate::connection::SqliteStore;
use crate::query::{Params, Query};
use crate::rows::directory::{
    AGENT_COLUMNS, AgentRow, CUSTOMER_COLUMNS, CustomerRow, DEPARTMENT_COLUMNS, DepartmentRow,
    read_agent, read_customer, read_department,
};
use crate::rows::{all, blob, first};

/// Inserts or replaces a department.
pub(crate) async fn put_department(store: &SqliteStore, department: &Department) -> Result<()> {
    let row = DepartmentRow::new(department);
    store
        .write(move |conn| {
            conn.prepare_cached(DepartmentRow::UPSERT)?
                .execute(&row.params()[..])?;
            Ok(())
        })
        .await
}

/// A department.
pub(crate) async fn department(
    store: &SqliteStore,
    id: DepartmentId,
) -> Result<Option<Department>> {
    store
        .read(move |conn| {
            let sql = format!("SELECT {DEPARTMENT_COLUMNS} FROM departments WHERE id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_department)
        })
        .await
}

/// Every department, by name.
pub(crate) async fn departments(store: &SqliteStore) -> Result<Vec<Department>> {
    store
        .read(|conn| {
            let sql = format!("SELECT {DEPARTMENT_COLUMNS} FROM departments ORDER BY name, id");
            all(conn, &sql, [], read_department)
        })
        .await
}

/// Inserts or replaces an agent with its departments.
pub(crate) async fn put_agent(store: &SqliteStore, agent: &Agent) -> Result<()> {
    let row = AgentRow::new(agent)?;
    store
        .write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // A taken e-mail fails the upsert on `agents.email`: a Duplicate "email" conflict.
            tx.prepare_cached(AgentRow::UPSERT)?
                .execute(&row.params()[..])?;
            tx.prepare_cached(AgentRow::DELETE_DEPARTMENTS)?
                .execute([row.id])?;
            let mut member = tx.prepare_cached(AgentRow::INSERT_DEPARTMENT)?;
            for (department, permissions) in &row.departments {
                member.execute((row.id, department, permissions))?;
            }
            drop(member);
            tx.commit()?;
            Ok(())
        })
        .await
}

/// An agent.
pub(crate) async fn agent(store: &SqliteStore, id: AgentId) -> Result<Option<Agent>> {
    store
        .read(move |conn| {
            let sql = format!("SELECT {AGENT_COLUMNS} FROM agents a WHERE a.id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_agent)
        })
        .await
}

/// Every agent, by name.
pub(crate) async fn agents(store: &SqliteStore) -> Result<Vec<Agent>> {
    store
        .read(|conn| {
            let sql = format!("SELECT {AGENT_COLUMNS} FROM agents a ORDER BY a.name, a.id");
            all(conn, &sql, [], read_agent)
        })
        .await
}

/// Inserts or replaces a customer whose e-mail and contract number no other customer has.
pub(crate) async fn put_customer(store: &SqliteStore, customer: &Customer) -> Result<()> {
    let row = CustomerRow::new(customer)?;
    store
        .write(move |conn| {
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

/// A customer.
pub(crate) async fn customer(store: &SqliteStore, id: CustomerId) -> Result<Option<Customer>> {
    store
        .read(move |conn| {
            let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_customer)
        })
        .await
}

/// The customer with an e-mail address.
pub(crate) async fn customer_by_email(
    store: &SqliteStore,
    email: &Email,
) -> Result<Option<Customer>> {
    let email = email.as_str().to_owned();
    store
        .read(move |conn| {
            let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE email = ?1");
            first(conn, &sql, [email], read_customer)
        })
        .await
}

/// The customers a look-up finds, by name, at most `limit`.
pub(crate) async fn find_customers(
    store: &SqliteStore,
    lookup: &CustomerLookup,
    limit: u32,
) -> Result<Vec<Customer>> {
    let Some(query) = find_customers_query(lookup, limit) else {
        return Ok(Vec::new());
    };
    store.read(move |conn| query.all(conn, read_customer)).await
}

/// The query for [`find_customers`]: `None` when nothing can match.
fn find_customers_query(lookup: &CustomerLookup, limit: u32) -> Option<Query> {
    let mut p = Params::default();
    let condition = match lookup {
        CustomerLookup::ContractNumber(c) => {
            format!("contract_number = {}", p.bind(c.as_str().to_owned()))
        }
        CustomerLookup::Phone(digits) => format!("phone_digits = {}", p.bind(digits.clone())),
        CustomerLookup::Email(e) => format!("email = {}", p.bind(e.as_str().to_owned())),
        CustomerLookup::Address(pattern) => {
            // SQLite's LIKE ignores the case of ASCII letters only, and an address key has no
            // upper-case ASCII letter: a pattern with one (not made by `address`) matches
            // nothing, as in the reference. Other characters compare exactly. A NUL would end
            // the LIKE pattern; no validated address holds one.
            if pattern.chars().any(|c| c.is_ascii_uppercase() || c == '\0') {
                return None;
            }
            let mut like = String::with_capacity(pattern.len());
            for c in pattern.chars() {
                if matches!(c, '_' | '\\') {
                    like.push('\\');
                }
                like.push(c);
            }
            format!("address_key LIKE {} ESCAPE '\\'", p.bind(like))
        }
    };
    let limit = p.bind(i64::from(limit));
    Some(Query {
        sql: format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE {condition}
             ORDER BY name, id LIMIT {limit}"
        ),
        params: p.into_values(),
    })
}

/// A page of the customers `filter` matches, by name then id, after the page's cursor, and
/// how many match in all, read in one transaction.
pub(crate) async fn list_customers(
    store: &SqliteStore,
    filter: &CustomerFilter,
    page: &CustomerPageRequest,
) -> Result<CustomerPage> {
    let mut p = Params::default();
    let mut conditions = vec!["TRUE".to_owned()];
    if let Some(text) = &filter.text {
        // A folded needle holds no NUL (control characters are refused); instr() compares
        // the key's characters exactly, as `str::contains` does.
        conditions.push(format!(
            "instr(directory_key, {}) > 0",
            p.bind(text.as_str().to_owned())
        ));
    }
    if let Some(kind) = filter.kind {
        conditions.push(format!("kind = {}", p.bind(kind.as_str().to_owned())));
    }
    if let Some(enabled) = filter.access_enabled {
        conditions.push(format!("access_enabled = {}", p.bind(i64::from(enabled))));
    }
    if let Some(org) = filter.organisation {
        conditions.push(format!(
            "organisation_id = {}",
            p.bind(blob(org.as_uuid()).to_vec())
        ));
    }
    let condition = conditions.join(" AND ");
    let count = Query {
        sql: format!("SELECT count(*) FROM customers WHERE {condition}"),
        params: p.clone().into_values(),
    };
    let mut after = String::new();
    if let Some(cursor) = page.cursor() {
        after = format!(
            " AND (name, id) > ({}, {})",
            p.bind(cursor.name().to_owned()),
            p.bind(blob(cursor.id().as_uuid()).to_vec())
        );
    }
    let limit = p.bind(i64::from(page.limit()) + 1);
    let rows = Query {
        sql: format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE {condition}{after}
             ORDER BY name, id LIMIT {limit}"
        ),
        params: p.into_values(),
    };
    let page = page.clone();
    store
        .read(move |conn| {
            let tx = conn.transaction()?;
            let total: i64 = tx.query_row(
                &count.sql,
                rusqlite::params_from_iter(count.params.iter()),
                |r| r.get(0),
            )?;
            let items = rows.all(&tx, read_customer)?;
            tx.commit()?;
            Ok(page.into_page(items, u64::try_from(total).unwrap_or(0)))
        })
        .await
}
