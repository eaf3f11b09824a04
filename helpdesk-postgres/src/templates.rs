//! Ticket templates and canned responses (migration 0006): [`TemplateStore`] for
//! [`PostgresStore`].

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{
    CannedResponse, CannedResponseId, DepartmentId, Language, TemplateId, TicketTemplate,
};
use helpdesk_core::store::TemplateStore;

use crate::connection::PostgresStore;
use crate::rows::template::{
    PUT_CANNED_RESPONSE, PUT_TEMPLATE, bind_canned_response, bind_template, canned_response,
    canned_response_columns, template, template_columns,
};
use crate::rows::{all, execute, optional};

#[async_trait]
impl TemplateStore for PostgresStore {
    async fn put_template(&self, t: &TicketTemplate) -> Result<()> {
        let query = bind_template(sqlx::query(PUT_TEMPLATE), t)?;
        execute(&self.pool, query).await.map(drop)
    }

    async fn template(&self, id: TemplateId) -> Result<Option<TicketTemplate>> {
        let sql = concat!(
            "SELECT ",
            template_columns!(),
            " FROM templates WHERE id = $1"
        );
        optional(&self.pool, sqlx::query(sql).bind(id.as_uuid()), template).await
    }

    async fn templates(&self) -> Result<Vec<TicketTemplate>> {
        let sql = concat!(
            "SELECT ",
            template_columns!(),
            " FROM templates ORDER BY name, id"
        );
        all(&self.pool, sqlx::query(sql), template).await
    }

    async fn put_canned_response(&self, response: &CannedResponse) -> Result<()> {
        let query = bind_canned_response(sqlx::query(PUT_CANNED_RESPONSE), response);
        execute(&self.pool, query).await.map(drop)
    }

    async fn canned_responses(
        &self,
        department: Option<DepartmentId>,
        language: Option<Language>,
    ) -> Result<Vec<CannedResponse>> {
        // $1 NULL: every department; otherwise its own and those for every department.
        // $2 NULL: every language.
        let sql = concat!(
            "SELECT ",
            canned_response_columns!(),
            " FROM canned_responses \
             WHERE ($1::uuid IS NULL OR department IS NULL OR department = $1) \
             AND ($2::text IS NULL OR language = $2) \
             ORDER BY name, id"
        );
        let query = sqlx::query(sql)
            .bind(department.map(|d| d.as_uuid()))
            .bind(language.map(Language::as_str));
        all(&self.pool, query, canned_response).await
    }

    async fn delete_template(&self, id: TemplateId) -> Result<bool> {
        let query = sqlx::query("DELETE FROM templates WHERE id = $1").bind(id.as_uuid());
        Ok(execute(&self.pool, query).await? > 0)
    }

    async fn canned_response(&self, id: CannedResponseId) -> Result<Option<CannedResponse>> {
        let sql = concat!(
            "SELECT ",
            canned_response_columns!(),
            " FROM canned_responses WHERE id = $1"
        );
        optional(
            &self.pool,
            sqlx::query(sql).bind(id.as_uuid()),
            canned_response,
        )
        .await
    }

    async fn delete_canned_response(&self, id: CannedResponseId) -> Result<bool> {
        let query = sqlx::query("DELETE FROM canned_responses WHERE id = $1").bind(id.as_uuid());
        Ok(execute(&self.pool, query).await? > 0)
    }
}
