//! The directory: departments, agents and customers, and customer look-ups.
//!
//! Customer look-ups compare columns `put_customer` keeps beside each customer: the phone's
//! normalised digits (indexed) and the folded address key, matched with `LIKE` bytewise.
//! Customers written before migration 0004 get them from [`backfill_lookup_keys`].

use helpdesk_core::domain::{
    Agent, AgentId, Customer, CustomerId, Department, DepartmentId, Email,
};
use helpdesk_core::error::Entity;
use helpdesk_core::listing::directory_key;
use helpdesk_core::search::{CustomerLookup, address_key};
use helpdesk_core::store::{CustomerFilter, CustomerPage, CustomerPageRequest};
use helpdesk_core::{Error, Result};
use sqlx::{PgPool, QueryBuilder};

use crate::error::{self, duplicate_of};
use crate::rows::directory::{
    self as row, PUT_AGENT, PUT_CUSTOMER, PUT_DEPARTMENT, agent_columns, bind_agent, bind_customer,
    bind_department, customer_columns, department_columns,
};
use crate::rows::{all, optional};

/// How many customers one backfill transaction keys.
const BACKFILL_BATCH: i64 = 500;

/// Inserts or replaces a department.
pub(crate) async fn put_department(pool: &PgPool, d: &Department) -> Result<()> {
    bind_department(sqlx::query(PUT_DEPARTMENT), d)
        .execute(pool)
        .await
        .map_err(error::db)?;
    Ok(())
}

/// A department.
pub(crate) async fn department(pool: &PgPool, id: DepartmentId) -> Result<Option<Department>> {
    let sql = concat!(
        "SELECT ",
        department_columns!(),
        " FROM departments WHERE id = $1"
    );
    optional(pool, sqlx::query(sql).bind(id.as_uuid()), row::department).await
}

/// Every department, by name.
pub(crate) async fn departments(pool: &PgPool) -> Result<Vec<Department>> {
    let sql = concat!(
        "SELECT ",
        department_columns!(),
        " FROM departments ORDER BY name, id"
    );
    all(pool, sqlx::query(sql), row::department).await
}

/// Inserts or replaces an agent.
pub(crate) async fn put_agent(pool: &PgPool, a: &Agent) -> Result<()> {
    bind_agent(sqlx::query(PUT_AGENT), a)?
        .execute(pool)
        .await
        .map_err(error::db)?;
    Ok(())
}

/// An agent.
pub(crate) async fn agent(pool: &PgPool, id: AgentId) -> Result<Option<Agent>> {
    let sql = concat!("SELECT ", agent_columns!(), " FROM agents WHERE id = $1");
    optional(pool, sqlx::query(sql).bind(id.as_uuid()), row::agent).await
}

/// Every agent, by name.
pub(crate) async fn agents(pool: &PgPool) -> Result<Vec<Agent>> {
    let sql = concat!(
        "SELECT ",
        agent_columns!(),
        " FROM agents ORDER BY name, id"
    );
    all(pool, sqlx::query(sql), row::agent).await
}

/// Inserts or replaces a customer, with its look-up keys.
pub(crate) async fn put_customer(pool: &PgPool, c: &Customer) -> Result<()> {
    let result = bind_customer(sqlx::query(PUT_CUSTOMER), c)?
        .execute(pool)
        .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) => match duplicate_of(&e) {
            Some((Entity::Customer, field)) => Err(customer_conflict(pool, c, field).await),
            _ => Err(error::db(e)),
        },
    }
}

/// Which unique field of `customer` is taken, reported as the reference store does: the
/// first other customer by id that holds its e-mail or contract number, e-mail first.
/// (Which constraint PostgreSQL reports depends on its index order instead.)
async fn customer_conflict(pool: &PgPool, customer: &Customer, fallback: &'static str) -> Error {
    let first = sqlx::query_scalar::<_, bool>(
        "SELECT email IS NOT DISTINCT FROM $2 FROM customers \
         WHERE id <> $1 AND (email = $2 OR contract_number = $3) ORDER BY id LIMIT 1",
    )
    .bind(customer.id.as_uuid())
    .bind(customer.email.as_ref().map(|e| e.as_str()))
    .bind(customer.contract_number.as_ref().map(|n| n.as_str()))
    .fetch_optional(pool)
    .await;
    let field = match first {
        Ok(Some(true)) => "email",
        Ok(Some(false)) => "contract_number",
        // Gone again, or unreadable: the constraint's own answer is still true.
        Ok(None) | Err(_) => fallback,
    };
    Error::duplicate(Entity::Customer, field)
}

/// A customer.
pub(crate) async fn customer(pool: &PgPool, id: CustomerId) -> Result<Option<Customer>> {
    let sql = concat!(
        "SELECT ",
        customer_columns!(),
        " FROM customers WHERE id = $1"
    );
    optional(pool, sqlx::query(sql).bind(id.as_uuid()), row::customer).await
}

/// The customer with an e-mail address.
pub(crate) async fn customer_by_email(pool: &PgPool, email: &Email) -> Result<Option<Customer>> {
    let sql = concat!(
        "SELECT ",
        customer_columns!(),
        " FROM customers WHERE email = $1"
    );
    optional(pool, sqlx::query(sql).bind(email.as_str()), row::customer).await
}

/// The customers a look-up finds, by name (bytewise), at most `limit`.
pub(crate) async fn find_customers(
    pool: &PgPool,
    lookup: &CustomerLookup,
    limit: u32,
) -> Result<Vec<Customer>> {
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
    all(pool, q.build(), row::customer).await
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

/// Fills `address_key`, `phone_digits` and `directory_key` of the customers written before
/// migrations 0004 and 0018 (the library folds, SQL cannot), in batches, then removes the
/// `customer_backfill` row that says some may lack them. Safe to run concurrently, and beside
/// `put_customer`: each batch locks its customers, and a customer written meanwhile has its
/// keys already.
pub(crate) async fn backfill_lookup_keys(pool: &PgPool) -> Result<()> {
    loop {
        let mut tx = pool.begin().await.map_err(error::db)?;
        let sql = concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers \
             WHERE (address IS NOT NULL AND address_key IS NULL) \
             OR (phone IS NOT NULL AND phone_digits IS NULL) \
             OR directory_key IS NULL \
             ORDER BY id LIMIT $1 FOR UPDATE"
        );
        let rows = sqlx::query(sql)
            .bind(BACKFILL_BATCH)
            .fetch_all(&mut *tx)
            .await
            .map_err(error::db)?;
        if rows.is_empty() {
            sqlx::query("DELETE FROM customer_backfill")
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
            return tx.commit().await.map_err(error::db);
        }
        let mut ids = Vec::with_capacity(rows.len());
        let mut keys = Vec::with_capacity(rows.len());
        let mut digits = Vec::with_capacity(rows.len());
        let mut directory = Vec::with_capacity(rows.len());
        for row in &rows {
            let c = row::customer(row)?;
            ids.push(c.id.as_uuid());
            keys.push(c.address.as_ref().map(|a| address_key(a.as_str())));
            digits.push(c.phone.as_ref().map(|p| p.digits().to_owned()));
            directory.push(directory_key(&c));
        }
        sqlx::query(
            "UPDATE customers c SET address_key = u.address_key, phone_digits = u.phone_digits, \
             directory_key = u.directory_key \
             FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[]) \
             AS u(id, address_key, phone_digits, directory_key) \
             WHERE c.id = u.id",
        )
        .bind(ids)
        .bind(keys)
        .bind(digits)
        .bind(directory)
        .execute(&mut *tx)
        .await
        .map_err(error::db)?;
        tx.commit().await.map_err(error::db)?;
    }
}

/// A page of the customers `filter` matches, by name (bytewise) then id, after the page's
/// cursor, and how many match in all, read in one snapshot.
pub(crate) async fn list_customers(
    pool: &PgPool,
    filter: &CustomerFilter,
    page: &CustomerPageRequest,
) -> Result<CustomerPage> {
    fn conditions(q: &mut QueryBuilder<sqlx::Postgres>, filter: &CustomerFilter) {
        q.push(" WHERE TRUE");
        if let Some(text) = &filter.text {
            // A folded needle holds no NUL (control characters are refused).
            q.push(" AND strpos(directory_key, ")
                .push_bind(text.as_str().to_owned())
                .push(") > 0");
        }
        if let Some(kind) = filter.kind {
            q.push(" AND kind = ").push_bind(kind.as_str());
        }
        if let Some(enabled) = filter.access_enabled {
            q.push(" AND access_enabled = ").push_bind(enabled);
        }
        if let Some(org) = filter.organisation {
            q.push(" AND organisation_id = ").push_bind(org.as_uuid());
        }
    }
    let mut tx = pool.begin().await.map_err(error::db)?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await
        .map_err(error::db)?;
    let mut count = QueryBuilder::new("SELECT count(*) FROM customers");
    conditions(&mut count, filter);
    let total: i64 = count
        .build_query_scalar()
        .fetch_one(&mut *tx)
        .await
        .map_err(error::db)?;
    let mut q = QueryBuilder::new(concat!("SELECT ", customer_columns!(), " FROM customers"));
    conditions(&mut q, filter);
    if let Some(cursor) = page.cursor() {
        q.push(" AND (name COLLATE \"C\" > ")
            .push_bind(cursor.name().to_owned())
            .push(" OR (name = ")
            .push_bind(cursor.name().to_owned())
            .push(" AND id > ")
            .push_bind(cursor.id().as_uuid())
            .push("))");
    }
    q.push(" ORDER BY name COLLATE \"C\", id LIMIT ")
        .push_bind(i64::from(page.limit()) + 1);
    let rows = q.build().fetch_all(&mut *tx).await.map_err(error::db)?;
    tx.commit().await.map_err(error::db)?;
    let items = rows.iter().map(row::customer).collect::<Result<Vec<_>>>()?;
    Ok(page.into_page(items, u64::try_from(total).unwrap_or(0)))
}
