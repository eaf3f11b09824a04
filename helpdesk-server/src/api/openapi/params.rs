//! The path parameters of the API, each typed as the handler's `Id<T>` parses it (a
//! malformed one is a 400).

#![allow(dead_code)] // Read only by the derives: nothing builds these.

use utoipa::openapi::schema::{OneOfBuilder, Schema};
use utoipa::openapi::{KnownFormat, ObjectBuilder, RefOr, SchemaFormat, Type};
use utoipa::{IntoParams, PartialSchema, ToSchema};
use uuid::Uuid;

/// A ticket as a person names it: its id (a UUID), or its full or short number (digits,
/// Persian or Arabic-Indic digits too; a leading `#`, and spaces or dashes between digit
/// groups, are ignored).
pub struct TicketKey;

impl PartialSchema for TicketKey {
    fn schema() -> RefOr<Schema> {
        let id = ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)));
        let number = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^\s*[#№]?\s*[0-9۰-۹٠-٩][0-9۰-۹٠-٩ -]*\s*$"));
        OneOfBuilder::new().item(id).item(number).into()
    }
}

impl ToSchema for TicketKey {}

/// `{ticket}`.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TicketPath {
    /// The ticket's id or number.
    #[param(value_type = TicketKey)]
    pub ticket: String,
}

/// `{ticket}/messages/{message}/attachments/{sha256}`.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct AttachmentPath {
    /// The ticket's id or number.
    #[param(value_type = TicketKey)]
    pub ticket: String,
    /// The message.
    pub message: Uuid,
    /// The file's SHA-256 (lower-case hex).
    #[param(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
}

/// An id in the path, a UUID (a malformed one is a 400).
macro_rules! id_path {
    ($name:ident, $param:ident, $doc:literal) => {
        #[doc = concat!("`{", stringify!($param), "}`.")]
        #[derive(IntoParams)]
        #[into_params(parameter_in = Path)]
        pub struct $name {
            #[doc = $doc]
            pub $param: Uuid,
        }
    };
}

id_path!(AgentPath, agent, "The agent's id.");
id_path!(CustomerPath, customer, "The customer's id.");
id_path!(DepartmentPath, department, "The department's id.");
id_path!(ArticlePath, article, "The article's id.");
id_path!(ChatPath, chat, "The chat's id.");
id_path!(TemplatePath, template, "The ticket template's id.");
id_path!(
    CannedResponsePath,
    canned_response,
    "The canned response's id."
);

/// `{category}` of the knowledge base.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CategoryPath {
    /// Its name (1–64 characters).
    #[param(min_length = 1, max_length = 64)]
    pub category: String,
}

/// `{token}`: one of the caller's sessions or API tokens.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TokenPath {
    /// The SHA-256 of its secret, hex (the `id` of the token list).
    #[param(pattern = "^[0-9a-fA-F]{64}$")]
    pub token: String,
}

/// `{name}` of a stored setting (a calendar or an SLA policy).
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct NamePath {
    /// Its name (1–200 characters).
    #[param(min_length = 1, max_length = 200)]
    pub name: String,
}

id_path!(NotificationPath, notification, "The notification's id.");
id_path!(QuarantinePath, mail, "The quarantined mail's id.");
id_path!(MailboxPath, mailbox, "The stored mailbox's id.");

/// `{address}`: an e-mail address marked undeliverable.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct AddressPath {
    /// The address (a malformed one is a 400).
    #[param(min_length = 3, max_length = 254)]
    pub address: String,
}

/// The `If-Match` header of a write on a ticket.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatch {
    /// The ticket's version the write expects (optimistic concurrency): 409 when it
    /// changed, 400 when not a number.
    #[param(rename = "If-Match")]
    pub if_match: Option<u64>,
}
