//! Ticket templates and canned responses.

use std::collections::BTreeSet;

use helpdesk_core::domain::{
    CannedResponse, CannedResponseId, Category, DepartmentId, FieldKey, MessageBody, Name,
    Priority, TemplateId, TicketTemplate, TicketType,
};
use rusqlite::Row;
use rusqlite::types::ToSql;

use super::{Reader, bind, blob, json, micros};
use crate::error::Outcome;

/// A ticket template's columns.
pub(crate) struct TemplateRow {
    id: [u8; 16],
    name: String,
    ticket_type: String,
    subject_prefix: Option<String>,
    department: [u8; 16],
    priority: Option<i16>,
    categories: String,
    required_fields: String,
    body: String,
    created_at: i64,
}

impl TemplateRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO templates (id, name, ticket_type, subject_prefix, department, priority,
                               categories, required_fields, body, created_at)
        VALUES (:id, :name, :ticket_type, :subject_prefix, :department, :priority,
                :categories, :required_fields, :body, :created_at)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name,
            ticket_type = excluded.ticket_type,
            subject_prefix = excluded.subject_prefix,
            department = excluded.department,
            priority = excluded.priority,
            categories = excluded.categories,
            required_fields = excluded.required_fields,
            body = excluded.body,
            created_at = excluded.created_at";

    pub(crate) fn new(t: &TicketTemplate) -> Outcome<Self> {
        Ok(Self {
            id: blob(t.id.as_uuid()),
            name: t.name.as_str().to_owned(),
            ticket_type: t.ticket_type.as_str().to_owned(),
            subject_prefix: t.subject_prefix.as_ref().map(|p| p.as_str().to_owned()),
            department: blob(t.department.as_uuid()),
            priority: t.priority.map(Priority::rank),
            categories: json(&t.categories)?,
            required_fields: json(&t.required_fields)?,
            body: t.body.as_str().to_owned(),
            created_at: micros(t.created_at),
        })
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 10] {
        bind!(self; id, name, ticket_type, subject_prefix, department, priority, categories,
              required_fields, body, created_at)
    }
}

/// A canned response's columns.
pub(crate) struct CannedResponseRow {
    id: [u8; 16],
    department: Option<[u8; 16]>,
    name: String,
    language: &'static str,
    body: String,
    created_at: i64,
}

impl CannedResponseRow {
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO canned_responses (id, department, name, language, body, created_at)
        VALUES (:id, :department, :name, :language, :body, :created_at)
        ON CONFLICT (id) DO UPDATE SET
            department = excluded.department,
            name = excluded.name,
            language = excluded.language,
            body = excluded.body,
            created_at = excluded.created_at";

    pub(crate) fn new(c: &CannedResponse) -> Self {
        Self {
            id: blob(c.id.as_uuid()),
            department: c.department.map(|d| blob(d.as_uuid())),
            name: c.name.as_str().to_owned(),
            language: c.language.as_str(),
            body: c.body.as_str().to_owned(),
            created_at: micros(c.created_at),
        }
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 6] {
        bind!(self; id, department, name, language, body, created_at)
    }
}

/// The columns `read_template` reads.
pub(crate) const TEMPLATE_COLUMNS: &str = "
    id, name, ticket_type, subject_prefix, department, priority, categories, required_fields,
    body, created_at";

/// The columns `read_canned_response` reads.
pub(crate) const CANNED_RESPONSE_COLUMNS: &str = "id, department, name, language, body, created_at";

/// A ticket template from a row of [`TEMPLATE_COLUMNS`].
pub(crate) fn read_template(row: &Row<'_>) -> Outcome<TicketTemplate> {
    let r = Reader::new(row, "templates");
    let priority: Option<i64> = r.get("priority")?;
    Ok(TicketTemplate {
        id: TemplateId::from_uuid(r.uuid("id")?),
        name: r.parse("name", Name::parse)?,
        ticket_type: r.parse("ticket_type", |s| s.parse::<TicketType>())?,
        subject_prefix: r.parse_opt("subject_prefix", Name::parse)?,
        department: DepartmentId::from_uuid(r.uuid("department")?),
        priority: priority
            .map(Priority::from_rank)
            .transpose()
            .map_err(|e| r.corrupt("priority", e))?,
        categories: r.json::<BTreeSet<Category>>("categories")?,
        required_fields: r.json::<Vec<FieldKey>>("required_fields")?,
        body: r.parse("body", MessageBody::parse)?,
        created_at: r.instant("created_at")?,
    })
}

/// A canned response from a row of [`CANNED_RESPONSE_COLUMNS`].
pub(crate) fn read_canned_response(row: &Row<'_>) -> Outcome<CannedResponse> {
    let r = Reader::new(row, "canned_responses");
    Ok(CannedResponse {
        id: CannedResponseId::from_uuid(r.uuid("id")?),
        department: r.uuid_opt("department")?.map(DepartmentId::from_uuid),
        name: r.parse("name", Name::parse)?,
        language: r.text("language")?,
        body: r.parse("body", MessageBody::parse)?,
        created_at: r.instant("created_at")?,
    })
}
