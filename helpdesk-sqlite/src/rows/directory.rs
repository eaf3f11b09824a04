//! The directory: departments, agents (with their departments' permissions) and customers.

use std::collections::BTreeMap;

use helpdesk_core::domain::{
    Address, Agent, AgentId, ContractNumber, CustomFields, Customer, CustomerId, Department,
    DepartmentId, Email, Language, Name, PermissionSet, Phone, Signature,
};
use helpdesk_core::listing::directory_key;
use helpdesk_core::search::address_key;
use rusqlite::Row;
use rusqlite::types::ToSql;

use super::{Reader, bind, blob, json, micros};
use crate::error::Outcome;

/// A department's columns.
pub(crate) struct DepartmentRow {
    id: [u8; 16],
    name: String,
    follow_up: &'static str,
    active: bool,
    created_at: i64,
}

impl DepartmentRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO departments (id, name, follow_up, active, created_at)
        VALUES (:id, :name, :follow_up, :active, :created_at)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name,
            follow_up = excluded.follow_up,
            active = excluded.active,
            created_at = excluded.created_at";

    pub(crate) fn new(d: &Department) -> Self {
        Self {
            id: blob(d.id.as_uuid()),
            name: d.name.as_str().to_owned(),
            follow_up: d.follow_up.as_str(),
            active: d.active,
            created_at: micros(d.created_at),
        }
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 5] {
        bind!(self; id, name, follow_up, active, created_at)
    }
}

/// An agent's columns, and its departments' rows.
pub(crate) struct AgentRow {
    pub(crate) id: [u8; 16],
    name: String,
    email: String,
    role: &'static str,
    signature: String,
    active: bool,
    created_at: i64,
    /// Each department with its permissions as a JSON array.
    pub(crate) departments: Vec<([u8; 16], String)>,
}

impl AgentRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO agents (id, name, email, role, signature, active, created_at)
        VALUES (:id, :name, :email, :role, :signature, :active, :created_at)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name,
            email = excluded.email,
            role = excluded.role,
            signature = excluded.signature,
            active = excluded.active,
            created_at = excluded.created_at";

    /// Removes agent `?1` from every department, before its departments are inserted again.
    pub(crate) const DELETE_DEPARTMENTS: &'static str =
        "DELETE FROM agent_departments WHERE agent_id = ?1";

    /// Puts agent `?1` in department `?2` with permissions `?3`.
    pub(crate) const INSERT_DEPARTMENT: &'static str = "
        INSERT INTO agent_departments (agent_id, department_id, permissions)
        VALUES (?1, ?2, ?3)";

    pub(crate) fn new(a: &Agent) -> Outcome<Self> {
        Ok(Self {
            id: blob(a.id.as_uuid()),
            name: a.name.as_str().to_owned(),
            email: a.email.as_str().to_owned(),
            role: a.role.as_str(),
            signature: a.signature.as_str().to_owned(),
            active: a.active,
            created_at: micros(a.created_at),
            departments: a
                .departments
                .iter()
                .map(|(d, perms)| Ok((blob(d.as_uuid()), json(perms)?)))
                .collect::<Outcome<_>>()?,
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 7] {
        bind!(self; id, name, email, role, signature, active, created_at)
    }
}

/// A customer's columns.
pub(crate) struct CustomerRow {
    pub(crate) id: [u8; 16],
    kind: &'static str,
    name: String,
    pub(crate) email: Option<String>,
    phone: Option<String>,
    phone_digits: Option<String>,
    pub(crate) contract_number: Option<String>,
    address: Option<String>,
    address_key: Option<String>,
    custom_fields: String,
    language: Option<&'static str>,
    access_enabled: bool,
    organisation_id: Option<[u8; 16]>,
    directory_key: String,
    created_at: i64,
}

impl CustomerRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO customers (id, kind, name, email, phone, phone_digits, contract_number,
                               address, address_key, custom_fields, language, access_enabled,
                               organisation_id, directory_key, created_at)
        VALUES (:id, :kind, :name, :email, :phone, :phone_digits, :contract_number,
                :address, :address_key, :custom_fields, :language, :access_enabled,
                :organisation_id, :directory_key, :created_at)
        ON CONFLICT (id) DO UPDATE SET
            kind = excluded.kind,
            name = excluded.name,
            email = excluded.email,
            phone = excluded.phone,
            phone_digits = excluded.phone_digits,
            contract_number = excluded.contract_number,
            address = excluded.address,
            address_key = excluded.address_key,
            custom_fields = excluded.custom_fields,
            language = excluded.language,
            access_enabled = excluded.access_enabled,
            organisation_id = excluded.organisation_id,
            directory_key = excluded.directory_key,
            created_at = excluded.created_at";

    pub(crate) fn new(c: &Customer) -> Outcome<Self> {
        Ok(Self {
            id: blob(c.id.as_uuid()),
            kind: c.kind.as_str(),
            name: c.name.as_str().to_owned(),
            email: c.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: c.phone.as_ref().map(|p| p.as_str().to_owned()),
            phone_digits: c.phone.as_ref().map(|p| p.digits().to_owned()),
            contract_number: c.contract_number.as_ref().map(|n| n.as_str().to_owned()),
            address: c.address.as_ref().map(|a| a.as_str().to_owned()),
            address_key: c.address.as_ref().map(|a| address_key(a.as_str())),
            custom_fields: json(&c.custom_fields)?,
            language: c.language.map(Language::as_str),
            access_enabled: c.access_enabled,
            organisation_id: c.organisation.map(|o| blob(o.as_uuid())),
            directory_key: directory_key(c),
            created_at: micros(c.created_at),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 15] {
        bind!(self; id, kind, name, email, phone, phone_digits, contract_number, address,
              address_key, custom_fields, language, access_enabled, organisation_id,
              directory_key, created_at)
    }
}

/// The columns `read_department` reads.
pub(crate) const DEPARTMENT_COLUMNS: &str = "id, name, follow_up, active, created_at";

/// The columns `read_agent` reads, for `agents a`: the departments as one JSON object of
/// hex department id to permission array.
pub(crate) const AGENT_COLUMNS: &str = "
    a.id, a.name, a.email, a.role, a.signature, a.active, a.created_at,
    (SELECT json_group_object(lower(hex(d.department_id)), json(d.permissions))
     FROM agent_departments d WHERE d.agent_id = a.id) AS departments";

/// The columns `read_customer` reads.
pub(crate) const CUSTOMER_COLUMNS: &str = "
    id, kind, name, email, phone, contract_number, address, custom_fields, language,
    access_enabled, organisation_id, created_at";

/// A department from a row of [`DEPARTMENT_COLUMNS`].
pub(crate) fn read_department(row: &Row<'_>) -> Outcome<Department> {
    let r = Reader::new(row, "departments");
    Ok(Department {
        id: DepartmentId::from_uuid(r.uuid("id")?),
        name: r.parse("name", Name::parse)?,
        follow_up: r.text("follow_up")?,
        active: r.bool("active")?,
        created_at: r.instant("created_at")?,
    })
}

/// An agent from a row of [`AGENT_COLUMNS`].
pub(crate) fn read_agent(row: &Row<'_>) -> Outcome<Agent> {
    let r = Reader::new(row, "agents");
    Ok(Agent {
        id: AgentId::from_uuid(r.uuid("id")?),
        name: r.parse("name", Name::parse)?,
        email: r.parse("email", Email::try_from)?,
        role: r.text("role")?,
        signature: r.parse("signature", Signature::parse)?,
        active: r.bool("active")?,
        departments: r.json::<BTreeMap<DepartmentId, PermissionSet>>("departments")?,
        created_at: r.instant("created_at")?,
    })
}

/// A customer from a row of [`CUSTOMER_COLUMNS`].
pub(crate) fn read_customer(row: &Row<'_>) -> Outcome<Customer> {
    let r = Reader::new(row, "customers");
    Ok(Customer {
        id: CustomerId::from_uuid(r.uuid("id")?),
        kind: r.text("kind")?,
        name: r.parse("name", Name::parse)?,
        email: r.parse_opt("email", Email::try_from)?,
        phone: r.parse_opt("phone", Phone::try_from)?,
        contract_number: r.parse_opt("contract_number", ContractNumber::parse)?,
        address: r.parse_opt("address", Address::parse)?,
        custom_fields: r.json::<CustomFields>("custom_fields")?,
        language: r.text_opt("language")?,
        access_enabled: r.bool("access_enabled")?,
        organisation: r.uuid_opt("organisation_id")?.map(CustomerId::from_uuid),
        created_at: r.instant("created_at")?,
    })
}
