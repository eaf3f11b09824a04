//! What a refusal says on a page, in the reader's language: beside the form that caused it
//! (the form shown again with what was typed), or on the error page. The words come from
//! the error's stable code, field and reason, never from its English message.

use helpdesk::domain::Language;
use maud::{Markup, html};

use super::layout::t;
use crate::error::ApiError;

/// The key in `words.txt` of what `error` says to a person.
pub fn refusal_key(error: &ApiError) -> &'static str {
    match (error.code, error.reason, error.field.as_deref()) {
        (_, Some("priority_above_cap"), _) => "refused_priority_cap",
        (_, Some("missing_permission"), _) => "refused_permission",
        (_, Some("access_disabled"), _) => "refused_access_disabled",
        (_, Some(_), _) | ("forbidden", ..) => "refused_forbidden",
        ("too_large", ..) => "refused_too_large",
        ("too_many_attachments", ..) => "refused_too_many_files",
        ("unsupported_content_type", ..) => "refused_file_type",
        ("validation", _, Some("subject")) => "refused_subject",
        ("validation", _, Some("body")) => "refused_body",
        ("validation", _, Some("customer" | "email" | "phone" | "contract_number")) => {
            "refused_customer"
        }
        ("validation", ..) => "refused_validation",
        ("not_found", ..) => "refused_not_found",
        ("conflict", ..) => "refused_conflict",
        ("invalid_transition", ..) => "refused_transition",
        ("unavailable" | "backend", ..) => "refused_unavailable",
        ("link_expired" | "link_invalid", ..) => "error_link",
        _ => by_status(error.status),
    }
}

/// The catalogue's key for a refusal no code above names, by its status.
fn by_status(status: axum::http::StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => "error_bad_request",
        401 => "error_unauthorized",
        403 => "refused_forbidden",
        404 => "error_not_found",
        409 => "refused_conflict",
        413 => "refused_too_large",
        429 => "error_too_many",
        500..=599 => "refused_unavailable",
        _ => "refused_other",
    }
}

/// The refusal as a paragraph beside a form (`role="alert"`, the id `form-error`), in
/// `lang`: the reader's words, then the desk's own details for the curious.
pub fn inline(lang: Language, error: &ApiError) -> Markup {
    html! {
        div.error #form-error role="alert" {
            p { (t(lang, refusal_key(error))) }
            @if let Some(field) = &error.field {
                p.meta { (t(lang, "refused_field")) " " code { (field) } }
            }
            details.meta lang="en" dir="ltr" {
                summary { (t(lang, "refused_details")) }
                (error.message)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word the refusals, the error pages, the queue, its bulk actions, the
    /// notification centre and the shortcuts' help ask for is in `words.txt`, in all four
    /// languages (keys passed by name as well as through `t`).
    #[test]
    fn every_word_of_the_refusals_and_the_queue_is_translated() {
        let source = [
            include_str!("refusals.rs"),
            include_str!("error_page.rs"),
            include_str!("console.rs"),
            include_str!("console_bulk.rs"),
            include_str!("notification_centre.rs"),
            include_str!("shortcuts.rs"),
            include_str!("phone_ticket.rs"),
            include_str!("portal.rs"),
        ]
        .concat();
        let mut keys: Vec<&str> = source
            .split("t(lang, \"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        keys.extend(source.split('"').skip(1).step_by(2).filter(|s| {
            [
                "refused_",
                "error_",
                "shortcut",
                "queue_sort_",
                "queue_sla_",
            ]
            .iter()
            .any(|p| s.starts_with(p))
                && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        }));
        assert!(keys.len() > 60, "{keys:?}");
        for key in keys {
            for lang in Language::ALL {
                assert_ne!(t(lang, key), "?", "{key} in {lang:?}");
            }
        }
    }
}
