//! Ticket templates and canned responses (tables `templates` and `canned_responses`,
//! migration 0006): [`TemplateStore`] for [`SqliteStore`].

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{
    CannedResponse, CannedResponseId, DepartmentId, Language, TemplateId, TicketTemplate,
};
use helpdesk_core::store::TemplateStore;

use rusqlite::Connection;

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::template::{
    CANNED_RESPONSE_COLUMNS, CannedResponseRow, TEMPLATE_COLUMNS, TemplateRow,
    read_canned_response, read_template,
};
use crate::rows::{all, blob, first};

#[async_trait]
impl TemplateStore for SqliteStore {
    async fn put_template(&self, template: &TicketTemplate) -> Result<()> {
        let row = TemplateRow::new(template)?;
        self.write(move |conn| put_template(conn, &row)).await
    }

    async fn template(&self, id: TemplateId) -> Result<Option<TicketTemplate>> {
        self.read(move |conn| {
            let sql = format!("SELECT {TEMPLATE_COLUMNS} FROM templates WHERE id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_template)
        })
        .await
    }

    async fn templates(&self) -> Result<Vec<TicketTemplate>> {
        self.read(|conn| {
            let sql = format!("SELECT {TEMPLATE_COLUMNS} FROM templates ORDER BY name, id");
            all(conn, &sql, [], read_template)
        })
        .await
    }

    async fn put_canned_response(&self, response: &CannedResponse) -> Result<()> {
        let row = CannedResponseRow::new(response);
        self.write(move |conn| put_canned_response(conn, &row))
            .await
    }

    async fn canned_responses(
        &self,
        department: Option<DepartmentId>,
        language: Option<Language>,
    ) -> Result<Vec<CannedResponse>> {
        let department = department.map(|d| blob(d.as_uuid()));
        let language = language.map(Language::as_str);
        self.read(move |conn| {
            // With a department: its own and those for every department (NULL); without one:
            // all. `name` is compared bytewise (BINARY), as the memory store compares `str`s.
            let sql = format!(
                "SELECT {CANNED_RESPONSE_COLUMNS} FROM canned_responses
                 WHERE (?1 IS NULL OR department = ?1 OR department IS NULL)
                   AND (?2 IS NULL OR language = ?2)
                 ORDER BY name, id"
            );
            all(conn, &sql, (department, language), read_canned_response)
        })
        .await
    }

    async fn delete_template(&self, id: TemplateId) -> Result<bool> {
        self.write(move |conn| delete_template(conn, id)).await
    }

    async fn canned_response(&self, id: CannedResponseId) -> Result<Option<CannedResponse>> {
        self.read(move |conn| {
            let sql =
                format!("SELECT {CANNED_RESPONSE_COLUMNS} FROM canned_responses WHERE id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_canned_response)
        })
        .await
    }

    async fn delete_canned_response(&self, id: CannedResponseId) -> Result<bool> {
        self.write(move |conn| delete_canned_response(conn, id))
            .await
    }
}

/// Inserts or replaces a template's row.
pub(crate) fn put_template(conn: &Connection, row: &TemplateRow) -> Outcome<()> {
    conn.prepare_cached(TemplateRow::UPSERT)?
        .execute(&row.params()[..])?;
    Ok(())
}

/// Deletes a template's row; whether there was one.
pub(crate) fn delete_template(conn: &Connection, id: TemplateId) -> Outcome<bool> {
    let deleted = conn
        .prepare_cached("DELETE FROM templates WHERE id = ?1")?
        .execute([blob(id.as_uuid())])?;
    Ok(deleted > 0)
}

/// Inserts or replaces a canned response's row.
pub(crate) fn put_canned_response(conn: &Connection, row: &CannedResponseRow) -> Outcome<()> {
    conn.prepare_cached(CannedResponseRow::UPSERT)?
        .execute(&row.params()[..])?;
    Ok(())
}

/// Deletes a canned response's row; whether there was one.
pub(crate) fn delete_canned_response(conn: &Connection, id: CannedResponseId) -> Outcome<bool> {
    let deleted = conn
        .prepare_cached("DELETE FROM canned_responses WHERE id = ?1")?
        .execute([blob(id.as_uuid())])?;
    Ok(deleted > 0)
}
