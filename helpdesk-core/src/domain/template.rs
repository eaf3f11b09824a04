//! Ticket templates (seed 004: for a line that is down, record the address, the number that
//! fails and a callback number) and canned responses with placeholders.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::{
    CannedResponseId, Category, DepartmentId, FieldKey, Language, MessageBody, Name, Priority,
    TemplateId, TicketType,
};

/// A template for one kind of request: what a new ticket of that kind starts with, and the
/// custom fields it must have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketTemplate {
    /// Its id.
    pub id: TemplateId,
    /// Its name in the operator's list.
    pub name: Name,
    /// The request type it is for.
    pub ticket_type: TicketType,
    /// Put before the subject, with a colon (e.g. "Line down").
    pub subject_prefix: Option<Name>,
    /// Where its tickets go.
    pub department: DepartmentId,
    /// The priority asked for (the priority rules still decide).
    pub priority: Option<Priority>,
    /// Categories its tickets get.
    pub categories: BTreeSet<Category>,
    /// Custom fields that must be filled in.
    pub required_fields: Vec<FieldKey>,
    /// The text an operator starts from.
    pub body: MessageBody,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// The placeholders a canned response may use.
pub const PLACEHOLDERS: [&str; 4] = [
    "customer_name",
    "ticket_number",
    "agent_name",
    "ticket_link",
];

/// A reply snippet, per department (or for all) and language, with `{{placeholders}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CannedResponse {
    /// Its id.
    pub id: CannedResponseId,
    /// The department it is for; `None` for every department.
    pub department: Option<DepartmentId>,
    /// Its name in the agent's list.
    pub name: Name,
    /// Its language.
    pub language: Language,
    /// The text, with `{{customer_name}}`, `{{ticket_number}}`, `{{agent_name}}` and
    /// `{{ticket_link}}` where the values go.
    pub body: MessageBody,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// Checks that `text` uses only known placeholders, each closed.
pub fn check_placeholders(text: &str) -> Result<(), ValidationError> {
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| ValidationError::new("body", "a {{placeholder}} is not closed"))?;
        let name = after[..end].trim();
        if !PLACEHOLDERS.contains(&name) {
            return Err(ValidationError::new(
                "body",
                format!(
                    "unknown placeholder {{{{{name}}}}}; known: {}",
                    PLACEHOLDERS.join(", ")
                ),
            ));
        }
        rest = &after[end + 2..];
    }
    Ok(())
}

/// Whether `text` has the placeholder `name` (`{{name}}`, spaces inside the braces allowed).
///
/// ```
/// use helpdesk_core::domain::uses_placeholder;
/// assert!(uses_placeholder("See {{ ticket_link }}", "ticket_link"));
/// assert!(!uses_placeholder("Ticket {{ticket_number}}", "ticket_link"));
/// ```
pub fn uses_placeholder(text: &str, name: &str) -> bool {
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return false;
        };
        if after[..end].trim() == name {
            return true;
        }
        rest = &after[end + 2..];
    }
    false
}

/// Fills the placeholders of `text` with `values` (name, value).
pub fn fill_placeholders(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = after[..end].trim();
                match values.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_checked_and_filled() {
        assert!(
            check_placeholders("Bună {{customer_name}}, tichetul #{{ ticket_number }}").is_ok()
        );
        assert!(check_placeholders("{{customer_name").is_err());
        assert!(check_placeholders("{{password}}").is_err());
        let text = fill_placeholders(
            "Здравствуйте, {{customer_name}}! Заявка {{ticket_number}}. {{agent_name}}",
            &[
                ("customer_name", "Пётр"),
                ("ticket_number", "10000135"),
                ("agent_name", "Иван"),
            ],
        );
        assert_eq!(text, "Здравствуйте, Пётр! Заявка 10000135. Иван");
    }
}
