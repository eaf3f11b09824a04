//! The directory: departments, agents and customers. A customer row also keeps the keys
//! its look-ups compare: the phone's normalised digits and the folded address.

use helpdesk_core::Result;
use helpdesk_core::domain::{
    Address, Agent, AgentId, ContractNumber, Customer, CustomerId, Department, DepartmentId, Email,
    Language, Name, Phone, Signature,
};
use helpdesk_core::listing::directory_key;
use helpdesk_core::search::address_key;
use sqlx::postgres::PgRow;

use super::{PgQuery, Reader, json};

/// The column list of department reads.
macro_rules! department_columns {
    () => {
        "id, name, follow_up, active, created_at"
    };
}
pub(crate) use department_columns;

/// A department from a row selected with [`department_columns!`].
pub(crate) fn department(row: &PgRow) -> Result<Department> {
    let r = Reader::new(row, "departments");
    Ok(Department {
        id: DepartmentId::from_uuid(r.get("id")?),
        name: r.parse("name", Name::parse)?,
        follow_up: r.text("follow_up")?,
        active: r.get("active")?,
        created_at: r.get("created_at")?,
    })
}

/// The column list of agent reads.
macro_rules! agent_columns {
    () => {
        "id, name, email, role, signature, active, departments::text AS departments, created_at"
    };
}
pub(crate) use agent_columns;

/// An agent from a row selected with [`agent_columns!`].
pub(crate) fn agent(row: &PgRow) -> Result<Agent> {
    let r = Reader::new(row, "agents");
    Ok(Agent {
        id: AgentId::from_uuid(r.get("id")?),
        name: r.parse("name", Name::parse)?,
        email: r.parse("email", |s| Email::parse(&s))?,
        role: r.text("role")?,
        signature: r.parse("signature", Signature::parse)?,
        active: r.get("active")?,
        departments: r.json("departments")?,
        created_at: r.get("created_at")?,
    })
}

/// The column list of customer reads.
macro_rules! customer_columns {
    () => {
        "id, kind, name, email, phone, contract_number, \
     address, custom_fields::text AS custom_fields, language, access_enabled, \
     organisation_id, created_at"
    };
}
pub(crate) use customer_columns;

/// A customer from a row selected with [`customer_columns!`].
pub(crate) fn customer(row: &PgRow) -> Result<Customer> {
    let r = Reader::new(row, "customers");
    Ok(Customer {
        id: CustomerId::from_uuid(r.get("id")?),
        kind: r.text("kind")?,
        name: r.parse("name", Name::parse)?,
        email: r.parse_opt("email", |s| Email::parse(&s))?,
        phone: r.parse_opt("phone", |s| Phone::parse(&s))?,
        contract_number: r.parse_opt("contract_number", ContractNumber::parse)?,
        address: r.parse_opt("address", Address::parse)?,
        custom_fields: r.json("custom_fields")?,
        language: r.text_opt("language")?,
        access_enabled: r.get("access_enabled")?,
        organisation: r
            .get::<Option<uuid::Uuid>>("organisation_id")?
            .map(CustomerId::from_uuid),
        created_at: r.get("created_at")?,
    })
}

/// Upserts a department: `$1..$5`.
pub(crate) const PUT_DEPARTMENT: &str = "INSERT INTO departments (id, name, follow_up, active, \
     created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET \
     name = EXCLUDED.name, follow_up = EXCLUDED.follow_up, active = EXCLUDED.active, \
     created_at = EXCLUDED.created_at";

/// Binds a department for [`PUT_DEPARTMENT`].
pub(crate) fn bind_department<'q>(query: PgQuery<'q>, d: &Department) -> PgQuery<'q> {
    query
        .bind(d.id.as_uuid())
        .bind(d.name.as_str().to_owned())
        .bind(d.follow_up.as_str())
        .bind(d.active)
        .bind(d.created_at)
}

/// Upserts an agent: `$1..$8`.
pub(crate) const PUT_AGENT: &str = "INSERT INTO agents (id, name, email, role, signature, \
     active, departments, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) \
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, \
     role = EXCLUDED.role, signature = EXCLUDED.signature, active = EXCLUDED.active, \
     departments = EXCLUDED.departments, created_at = EXCLUDED.created_at";

/// Binds an agent for [`PUT_AGENT`].
pub(crate) fn bind_agent<'q>(query: PgQuery<'q>, a: &Agent) -> Result<PgQuery<'q>> {
    let departments = json(&a.departments)?;
    Ok(query
        .bind(a.id.as_uuid())
        .bind(a.name.as_str().to_owned())
        .bind(a.email.as_str().to_owned())
        .bind(a.role.as_str())
        .bind(a.signature.as_str().to_owned())
        .bind(a.active)
        .bind(departments)
        .bind(a.created_at))
}

/// Upserts a customer: `$1..$15`.
pub(crate) const PUT_CUSTOMER: &str = "INSERT INTO customers (id, kind, name, email, phone, \
     contract_number, address, custom_fields, language, access_enabled, created_at, \
     address_key, phone_digits, organisation_id, directory_key) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, $14, $15) \
     ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, \
     email = EXCLUDED.email, phone = EXCLUDED.phone, \
     contract_number = EXCLUDED.contract_number, address = EXCLUDED.address, \
     custom_fields = EXCLUDED.custom_fields, language = EXCLUDED.language, \
     access_enabled = EXCLUDED.access_enabled, created_at = EXCLUDED.created_at, \
     address_key = EXCLUDED.address_key, phone_digits = EXCLUDED.phone_digits, \
     organisation_id = EXCLUDED.organisation_id, directory_key = EXCLUDED.directory_key";

/// Binds a customer for [`PUT_CUSTOMER`].
pub(crate) fn bind_customer<'q>(query: PgQuery<'q>, c: &Customer) -> Result<PgQuery<'q>> {
    let custom_fields = json(&c.custom_fields)?;
    Ok(query
        .bind(c.id.as_uuid())
        .bind(c.kind.as_str())
        .bind(c.name.as_str().to_owned())
        .bind(c.email.as_ref().map(|e| e.as_str().to_owned()))
        .bind(c.phone.as_ref().map(|p| p.as_str().to_owned()))
        .bind(c.contract_number.as_ref().map(|n| n.as_str().to_owned()))
        .bind(c.address.as_ref().map(|a| a.as_str().to_owned()))
        .bind(custom_fields)
        .bind(c.language.map(Language::as_str))
        .bind(c.access_enabled)
        .bind(c.created_at)
        .bind(c.address.as_ref().map(|a| address_key(a.as_str())))
        .bind(c.phone.as_ref().map(|p| p.digits().to_owned()))
        .bind(c.organisation.map(|o| o.as_uuid()))
        .bind(directory_key(c)))
}
