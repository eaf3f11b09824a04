//! Ticket templates and canned responses (tables `templates` and `canned_responses`,
//! migration 0006).

use helpdesk_core::Result;
use helpdesk_core::domain::{
    CannedResponse, CannedResponseId, DepartmentId, MessageBody, Name, Priority, TemplateId,
    TicketTemplate, TicketType,
};
use sqlx::postgres::PgRow;
use uuid::Uuid;

use super::{PgQuery, Reader, json};

/// The column list of ticket template reads.
macro_rules! template_columns {
    () => {
        "id, name, ticket_type, subject_prefix, department, priority, \
     categories::text AS categories, required_fields::text AS required_fields, body, created_at"
    };
}
pub(crate) use template_columns;

/// A ticket template from a row selected with [`template_columns!`].
pub(crate) fn template(row: &PgRow) -> Result<TicketTemplate> {
    let r = Reader::new(row, "templates");
    let rank: Option<i16> = r.get("priority")?;
    let priority = rank
        .map(|rank| Priority::from_rank(rank.into()))
        .transpose()
        .map_err(|e| r.corrupt("priority", e))?;
    Ok(TicketTemplate {
        id: TemplateId::from_uuid(r.get("id")?),
        name: r.parse("name", Name::parse)?,
        ticket_type: r.parse("ticket_type", |s| s.parse::<TicketType>())?,
        subject_prefix: r.parse_opt("subject_prefix", Name::parse)?,
        department: DepartmentId::from_uuid(r.get("department")?),
        priority,
        categories: r.json("categories")?,
        required_fields: r.json("required_fields")?,
        body: r.parse("body", MessageBody::parse)?,
        created_at: r.get("created_at")?,
    })
}

/// Inserts or replaces a ticket template.
pub(crate) const PUT_TEMPLATE: &str = "INSERT INTO templates (id, name, ticket_type, \
     subject_prefix, department, priority, categories, required_fields, body, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10) \
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, ticket_type = EXCLUDED.ticket_type, \
     subject_prefix = EXCLUDED.subject_prefix, department = EXCLUDED.department, \
     priority = EXCLUDED.priority, categories = EXCLUDED.categories, \
     required_fields = EXCLUDED.required_fields, body = EXCLUDED.body, \
     created_at = EXCLUDED.created_at";

/// Binds a ticket template for [`PUT_TEMPLATE`].
pub(crate) fn bind_template<'q>(query: PgQuery<'q>, t: &TicketTemplate) -> Result<PgQuery<'q>> {
    Ok(query
        .bind(t.id.as_uuid())
        .bind(t.name.as_str().to_owned())
        .bind(t.ticket_type.as_str().to_owned())
        .bind(t.subject_prefix.as_ref().map(|p| p.as_str().to_owned()))
        .bind(t.department.as_uuid())
        .bind(t.priority.map(Priority::rank))
        .bind(json(&t.categories)?)
        .bind(json(&t.required_fields)?)
        .bind(t.body.as_str().to_owned())
        .bind(t.created_at))
}

/// The column list of canned response reads.
macro_rules! canned_response_columns {
    () => {
        "id, department, name, language, body, created_at"
    };
}
pub(crate) use canned_response_columns;

/// A canned response from a row selected with [`canned_response_columns!`].
pub(crate) fn canned_response(row: &PgRow) -> Result<CannedResponse> {
    let r = Reader::new(row, "canned_responses");
    Ok(CannedResponse {
        id: CannedResponseId::from_uuid(r.get("id")?),
        department: r
            .get::<Option<Uuid>>("department")?
            .map(DepartmentId::from_uuid),
        name: r.parse("name", Name::parse)?,
        language: r.text("language")?,
        body: r.parse("body", MessageBody::parse)?,
        created_at: r.get("created_at")?,
    })
}

/// Inserts or replaces a canned response.
pub(crate) const PUT_CANNED_RESPONSE: &str = "INSERT INTO canned_responses (id, department, \
     name, language, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT (id) DO UPDATE SET department = EXCLUDED.department, name = EXCLUDED.name, \
     language = EXCLUDED.language, body = EXCLUDED.body, created_at = EXCLUDED.created_at";

/// Binds a canned response for [`PUT_CANNED_RESPONSE`].
pub(crate) fn bind_canned_response<'q>(query: PgQuery<'q>, c: &CannedResponse) -> PgQuery<'q> {
    query
        .bind(c.id.as_uuid())
        .bind(c.department.map(|d| d.as_uuid()))
        .bind(c.name.as_str().to_owned())
        .bind(c.language.as_str())
        .bind(c.body.as_str().to_owned())
        .bind(c.created_at)
}
