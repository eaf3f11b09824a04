//! Schemas of the ticket templates and canned responses as the API answers them (the serde
//! form of `helpdesk::domain::TicketTemplate` and `CannedResponse`).

#![allow(dead_code)] // Read only by the derives: nothing builds these.

use chrono::{DateTime, Utc};
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::{Language, Priority};

/// A ticket template.
#[derive(ToSchema)]
pub struct TicketTemplate {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// The type of the tickets it opens.
    pub ticket_type: String,
    /// What their subjects start with; null for nothing.
    #[schema(required = true)]
    pub subject_prefix: Option<String>,
    /// Their department.
    pub department: Uuid,
    /// Their priority; null for the desk's choice.
    #[schema(required = true)]
    pub priority: Option<Priority>,
    /// Their categories.
    pub categories: Vec<String>,
    /// The custom fields a ticket from it must fill in.
    pub required_fields: Vec<String>,
    /// The first message's text.
    pub body: String,
    /// When it was added.
    pub created_at: DateTime<Utc>,
}

/// `{"items": [...]}` of [`TicketTemplate`].
#[derive(ToSchema)]
pub struct TemplateList {
    /// The templates.
    pub items: Vec<TicketTemplate>,
}

/// A canned response.
#[derive(ToSchema)]
pub struct CannedResponse {
    /// Its id.
    pub id: Uuid,
    /// Its department; null for every one.
    #[schema(required = true)]
    pub department: Option<Uuid>,
    /// Its name.
    pub name: String,
    /// Its language.
    pub language: Language,
    /// The text, with `{{placeholders}}`.
    pub body: String,
    /// When it was added.
    pub created_at: DateTime<Utc>,
}

/// `{"items": [...]}` of [`CannedResponse`].
#[derive(ToSchema)]
pub struct CannedResponseList {
    /// The canned responses.
    pub items: Vec<CannedResponse>,
}
