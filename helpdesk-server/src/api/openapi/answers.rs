//! The error answers of the document: the JSON error body, the sets of error statuses a
//! handler names in its `#[utoipa::path(responses(...))]`, and [`Answers`], which adds the
//! statuses every operation shares because of what it takes (credentials, a body, a path or
//! query) rather than what it does.

use std::collections::BTreeMap;

use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, ObjectBuilder, OpenApi, RefOr, Response, ResponseBuilder, Type,
};
use utoipa::{IntoResponses, Modify, ToSchema};

/// An error: `{"error": {"code", "message", "field"?}}`.
#[derive(ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// The error's stable code, a message for people, and the field a validation error is about.
#[derive(ToSchema)]
pub struct ErrorDetail {
    /// The stable machine-readable code.
    pub code: ErrorCode,
    /// What went wrong, for people.
    pub message: String,
    /// The field a validation error is about (absent otherwise).
    #[schema(nullable = false)]
    pub field: Option<String>,
}

/// The stable codes of [`ErrorDetail`].
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400.
    Validation,
    /// 401.
    Unauthorized,
    /// 403.
    Forbidden,
    /// 404.
    NotFound,
    /// 409.
    Conflict,
    /// 422.
    InvalidTransition,
    /// 413.
    TooLarge,
    /// 413.
    TooManyAttachments,
    /// 413.
    UnsupportedContentType,
    /// 429.
    TooManyRequests,
    /// 501.
    Unsupported,
    /// 503.
    Unavailable,
    /// 500.
    Backend,
    /// 403: an invitation or password-reset link past its time.
    LinkExpired,
    /// 403: an invitation or password-reset link used, replaced or never made.
    LinkInvalid,
}

/// What each error status means.
fn description(status: u16) -> &'static str {
    match status {
        400 => "validation: the request is malformed or a value is invalid",
        401 => "unauthorized: no valid token or session",
        403 => {
            "forbidden: not allowed for this actor (also a disabled account, or a session write without its CSRF token); link_expired or link_invalid for an invitation or password-reset link"
        }
        404 => {
            "not_found (also what a customer or an agent outside its departments gets for a ticket)"
        }
        409 => "conflict: the ticket changed (stale If-Match) or a duplicate",
        413 => "too_large, too_many_attachments or unsupported_content_type",
        422 => "invalid_transition: the command is not allowed in the ticket's status",
        429 => {
            "too_many_requests: too many failed sign-ins for this login; wait the `Retry-After` seconds"
        }
        501 => "unsupported: the store does not offer what this needs (e.g. no live chat)",
        503 => {
            "unavailable: the storage failed, so the credentials could not be checked; try again"
        }
        _ => "backend: the storage failed",
    }
}

/// The response of an error `status`: the [`ErrorBody`] as JSON (and `Retry-After` with a
/// 429).
pub fn error_response(status: u16) -> Response {
    let content = ContentBuilder::new()
        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
            ErrorBody::name(),
        ))))
        .build();
    let mut response = ResponseBuilder::new()
        .description(description(status))
        .content("application/json", content);
    if status == 429 {
        let seconds = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1));
        response = response.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(seconds)
                .description(Some("seconds until a sign-in is accepted again"))
                .build(),
        );
    }
    response.build()
}

/// A set of error statuses, each answered with [`ErrorBody`].
macro_rules! error_set {
    ($(#[$doc:meta])* $name:ident: $($status:literal),+) => {
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                [$($status),+]
                    .into_iter()
                    .map(|s: u16| (s.to_string(), RefOr::T(error_response(s))))
                    .collect()
            }
        }
    };
}

error_set!(
    /// 404: the resource named in the path is not there (or not the caller's to see).
    NotFound: 404
);
error_set!(
    /// A command on a ticket: not there, changed meanwhile, or not allowed in its status.
    TicketWrite: 404, 409, 422
);
error_set!(
    /// A write of the directory or the settings: a duplicate, or what it names is not there.
    DirectoryWrite: 404, 409
);
error_set!(
    /// Files with it: the limits (413) and a store without attachments (501).
    Uploads: 413, 501
);
error_set!(
    /// The store may not offer what this needs (the knowledge base, live chat, reports,
    /// settings, attachments).
    Unsupported: 501
);
error_set!(
    /// Using an invitation or password-reset link: expired, used or unknown, or the person
    /// disabled (403), or the invitation's login name taken meanwhile (409).
    LinkUse: 403, 409
);
error_set!(
    /// Signing in: refused (401), the account disabled (403), throttled (429, with
    /// `Retry-After`), or the store could not be read (503).
    SignIn: 401, 403, 429, 503
);

/// Adds to every operation what it answers for what it takes: 500 (the storage failed);
/// the bearer and session security and 401/403/503 (no, a disabled, or an unreadable
/// credential) unless it declares `security(())`; 400 and 413 when it takes a body (malformed
/// or over the edge's limit); 400 when it takes parameters (a malformed id or query).
pub struct Answers;

impl Modify for Answers {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in operations(item) {
                answer(operation);
            }
        }
    }
}

/// The operations of a path.
fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.patch.as_mut(),
    ]
    .into_iter()
    .flatten()
}

fn answer(operation: &mut Operation) {
    let mut statuses = vec![500];
    let public = operation
        .security
        .as_ref()
        .is_some_and(|s| s.iter().all(|r| *r == SecurityRequirement::default()));
    if public {
        // No security at all (`[]`), not the anonymous alternative (`[{}]`).
        operation.security = Some(Vec::new());
    } else {
        operation.security = Some(vec![
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("session", Vec::<String>::new()),
        ]);
        statuses.extend([401, 403, 503]);
    }
    if operation.request_body.is_some() {
        statuses.extend([400, 413]);
    }
    if operation.parameters.as_ref().is_some_and(|p| !p.is_empty()) {
        statuses.push(400);
    }
    for status in statuses {
        operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(error_response(status)));
    }
}
