//! Ticket templates and canned responses: what operators start from.

use std::collections::BTreeSet;

use super::Acting;
use crate::domain::{
    CannedResponse, CannedResponseId, Category, Channel, CustomFields, CustomerId, DepartmentId,
    FieldKey, Language, MessageBody, Name, Priority, Subject, TemplateId, Ticket, TicketKey,
    TicketTemplate, TicketType, check_placeholders, fill_placeholders, uses_placeholder,
};
use crate::error::{Entity, Error, Result};
use crate::machine::NewTicket;
use crate::store::{ChangedSetting, SettingWrite, StoreExt};

/// What a template is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateDraft {
    /// Its name.
    pub name: Name,
    /// The request type.
    pub ticket_type: TicketType,
    /// Put before the subject, with a colon.
    pub subject_prefix: Option<Name>,
    /// Where its tickets go.
    pub department: DepartmentId,
    /// The priority asked for.
    pub priority: Option<Priority>,
    /// Categories its tickets get.
    pub categories: BTreeSet<Category>,
    /// Custom fields that must be filled in.
    pub required_fields: Vec<FieldKey>,
    /// The text an operator starts from.
    pub body: MessageBody,
}

/// A ticket to open from a template.
#[derive(Debug, Clone, PartialEq)]
pub struct FromTemplate {
    /// The customer it is for (customers may leave it empty).
    pub customer: Option<CustomerId>,
    /// The subject, after the template's prefix.
    pub subject: String,
    /// The text; the template's body when `None`.
    pub body: Option<MessageBody>,
    /// The custom fields, including every required one.
    pub custom_fields: CustomFields,
    /// How it came in.
    pub channel: Channel,
}

impl Acting {
    /// Adds a ticket template (admins).
    pub async fn create_template(&self, draft: TemplateDraft) -> Result<TicketTemplate> {
        self.require_admin()?;
        self.desk.store.require_department(draft.department).await?;
        let template = TicketTemplate {
            id: TemplateId::new(),
            name: draft.name,
            ticket_type: draft.ticket_type,
            subject_prefix: draft.subject_prefix,
            department: draft.department,
            priority: draft.priority,
            categories: draft.categories,
            required_fields: draft.required_fields,
            body: draft.body,
            created_at: self.desk.now(),
        };
        self.audit_template(None, Some(&template)).await?;
        Ok(template)
    }

    /// Rewrites a ticket template (admins): everything but its id and when it was made.
    /// Tickets opened from it keep what they were opened with.
    pub async fn update_template(
        &self,
        id: TemplateId,
        draft: TemplateDraft,
    ) -> Result<TicketTemplate> {
        self.require_admin()?;
        let store = self.desk.template_store()?;
        let old = store
            .template(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Template, id))?;
        self.desk.store.require_department(draft.department).await?;
        let template = TicketTemplate {
            id,
            name: draft.name,
            ticket_type: draft.ticket_type,
            subject_prefix: draft.subject_prefix,
            department: draft.department,
            priority: draft.priority,
            categories: draft.categories,
            required_fields: draft.required_fields,
            body: draft.body,
            created_at: old.created_at,
        };
        self.audit_template(Some(&old), Some(&template)).await?;
        Ok(template)
    }

    /// Deletes a ticket template (admins); tickets opened from it keep what they were opened
    /// with.
    pub async fn delete_template(&self, id: TemplateId) -> Result<()> {
        self.require_admin()?;
        let old = self
            .desk
            .template_store()?
            .template(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Template, id))?;
        self.audit_template(Some(&old), None).await
    }

    /// Writes a template's change (`after`: the template now, `None`: deleted) with its audit
    /// entry.
    async fn audit_template(
        &self,
        before: Option<&TicketTemplate>,
        after: Option<&TicketTemplate>,
    ) -> Result<()> {
        self.desk.template_store()?;
        let Some(id) = after.or(before).map(|t| t.id) else {
            return Ok(());
        };
        let write = match after {
            Some(t) => SettingWrite::PutTemplate(t.clone()),
            None => SettingWrite::DeleteTemplate(id),
        };
        self.write_audited(
            write,
            ChangedSetting::Template,
            Some(id.to_string()),
            json_text(before)?,
            json_text(after)?,
        )
        .await
        .map(drop)
    }

    /// A ticket template by id (anyone who may use the desk).
    pub async fn template(&self, id: TemplateId) -> Result<TicketTemplate> {
        self.desk
            .template_store()?
            .template(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Template, id))
    }

    /// Every template (anyone who may use the desk).
    pub async fn templates(&self) -> Result<Vec<TicketTemplate>> {
        self.desk.template_store()?.templates().await
    }

    /// Opens a ticket from a template: its prefix, department, type, priority and categories,
    /// and every required custom field filled in, or a validation error that names the
    /// missing ones.
    pub async fn open_from_template(
        &self,
        template: TemplateId,
        input: FromTemplate,
    ) -> Result<Ticket> {
        let template = self
            .desk
            .template_store()?
            .template(template)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Template, template))?;
        let missing: Vec<&str> = template
            .required_fields
            .iter()
            .filter(|k| input.custom_fields.get(k.as_str()).is_none())
            .map(FieldKey::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(Error::validation(
                "custom_fields",
                format!("required for \"{}\": {}", template.name, missing.join(", ")),
            ));
        }
        let subject = match &template.subject_prefix {
            Some(prefix) => format!("{prefix}: {}", input.subject.trim()),
            None => input.subject,
        };
        let mut new = NewTicket::new(
            Subject::parse(subject)?,
            input.body.unwrap_or(template.body),
            template.department,
        );
        new.customer = input.customer;
        new.priority = template.priority;
        new.ticket_type = template.ticket_type;
        new.categories = template.categories;
        new.custom_fields = input.custom_fields;
        new.channel = input.channel;
        self.open_ticket(new).await
    }

    /// Adds a canned response (agents and the system); its placeholders are checked.
    pub async fn create_canned_response(
        &self,
        department: Option<DepartmentId>,
        name: Name,
        language: Language,
        body: MessageBody,
    ) -> Result<CannedResponse> {
        self.require_staff()?;
        if let Some(d) = department {
            self.desk.store.require_department(d).await?;
        }
        check_placeholders(body.as_str())?;
        let response = CannedResponse {
            id: CannedResponseId::new(),
            department,
            name,
            language,
            body,
            created_at: self.desk.now(),
        };
        self.audit_canned_response(None, Some(&response)).await?;
        Ok(response)
    }

    /// Rewrites a canned response (agents and the system, as they add them); its
    /// placeholders are checked.
    pub async fn update_canned_response(
        &self,
        id: CannedResponseId,
        department: Option<DepartmentId>,
        name: Name,
        language: Language,
        body: MessageBody,
    ) -> Result<CannedResponse> {
        let old = self.canned_response(id).await?;
        if let Some(d) = department {
            self.desk.store.require_department(d).await?;
        }
        check_placeholders(body.as_str())?;
        let response = CannedResponse {
            id,
            department,
            name,
            language,
            body,
            created_at: old.created_at,
        };
        self.audit_canned_response(Some(&old), Some(&response))
            .await?;
        Ok(response)
    }

    /// Deletes a canned response (agents and the system, as they add them).
    pub async fn delete_canned_response(&self, id: CannedResponseId) -> Result<()> {
        let old = self.canned_response(id).await?;
        self.audit_canned_response(Some(&old), None).await
    }

    /// Writes a canned response's change (`after`: the response now, `None`: deleted) with
    /// its audit entry.
    async fn audit_canned_response(
        &self,
        before: Option<&CannedResponse>,
        after: Option<&CannedResponse>,
    ) -> Result<()> {
        self.desk.template_store()?;
        let Some(id) = after.or(before).map(|c| c.id) else {
            return Ok(());
        };
        let write = match after {
            Some(c) => SettingWrite::PutCannedResponse(c.clone()),
            None => SettingWrite::DeleteCannedResponse(id),
        };
        self.write_audited(
            write,
            ChangedSetting::CannedResponse,
            Some(id.to_string()),
            json_text(before)?,
            json_text(after)?,
        )
        .await
        .map(drop)
    }

    /// A canned response by id (agents and the system).
    pub async fn canned_response(&self, id: CannedResponseId) -> Result<CannedResponse> {
        self.require_staff()?;
        self.desk
            .template_store()?
            .canned_response(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::CannedResponse, id))
    }

    /// The canned responses for a department (its own and the general ones), in a language.
    pub async fn canned_responses(
        &self,
        department: Option<DepartmentId>,
        language: Option<Language>,
    ) -> Result<Vec<CannedResponse>> {
        self.require_staff()?;
        self.desk
            .template_store()?
            .canned_responses(department, language)
            .await
    }

    /// A canned response filled in for a ticket: the customer's name, the ticket's short
    /// number, the acting agent's name and the ticket's link (the desk's
    /// [public URL](super::Helpdesk::public_url), `tickets/` and the short number; never
    /// anything a request says about itself). The agent's signature is not part of it: it is
    /// appended once when the reply is sent.
    ///
    /// # Errors
    ///
    /// A validation error on `public_url` when the text has `{{ticket_link}}` and no public
    /// URL is set.
    pub async fn fill_canned_response(
        &self,
        response: CannedResponseId,
        ticket: impl Into<TicketKey>,
    ) -> Result<MessageBody> {
        self.require_staff()?;
        let ticket = self.visible_ticket(ticket).await?;
        let response = self
            .desk
            .template_store()?
            .canned_responses(None, None)
            .await?
            .into_iter()
            .find(|c| c.id == response && c.department.is_none_or(|d| d == ticket.department))
            .ok_or_else(|| Error::not_found(Entity::CannedResponse, response))?;
        let customer = match ticket.customer {
            Some(id) => self
                .desk
                .store
                .customer(id)
                .await?
                .map(|c| c.name.to_string()),
            None => None,
        };
        let agent = (self.principal)
            .agent()
            .map(|a| a.name.to_string())
            .unwrap_or_default();
        let link = if uses_placeholder(response.body.as_str(), "ticket_link") {
            let url = self.desk.public_url().await?.ok_or_else(|| {
                Error::validation(
                    "public_url",
                    "the response has {{ticket_link}}, and the desk's public URL (the \
                     setting public_url) is not set: an admin sets it first",
                )
            })?;
            url.ticket_link(&ticket.number)
        } else {
            String::new()
        };
        let text = fill_placeholders(
            response.body.as_str(),
            &[
                ("customer_name", customer.as_deref().unwrap_or("")),
                ("ticket_number", ticket.number.short()),
                ("agent_name", &agent),
                ("ticket_link", &link),
            ],
        );
        Ok(MessageBody::parse(text)?)
    }
}

/// An entry's JSON for the audit trail; `None` for none.
fn json_text<T: serde::Serialize>(value: Option<&T>) -> Result<Option<String>> {
    value
        .map(serde_json::to_string)
        .transpose()
        .map_err(Error::backend)
}
