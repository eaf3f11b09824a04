//! Errors as JSON with a stable code: `{"error": {"code": "...", "message": "..."}}`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::RETRY_AFTER;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use helpdesk::Error;
use helpdesk::error::{Causes, ForbiddenReason};
use serde::de::DeserializeOwned;
use serde_json::json;

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable machine-readable code.
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// The field a validation error is about.
    pub field: Option<String>,
    /// For a 429: how long to wait, sent as `Retry-After` (whole seconds, rounded up).
    pub retry_after: Option<std::time::Duration>,
    /// For a refusal ([`Error::Forbidden`]), why, as a stable word (see [`forbidden_word`])
    /// the pages say in the person's language; never sent in JSON.
    pub reason: Option<&'static str>,
}

impl ApiError {
    /// A new error.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
            reason: None,
        }
    }

    /// The error, telling the client to retry after `wait`.
    pub fn with_retry_after(mut self, wait: std::time::Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }

    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "validation", message)
    }

    /// 401: no or bad credentials.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "sign in: a bearer token or a session cookie is required",
        )
    }

    /// 404 for a route or resource that is not there.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 503: the storage failed, so the request could not be decided (the cause is logged,
    /// never shown).
    pub fn unavailable(error: &Error) -> Self {
        eprintln!("backend error: {}", Causes(error));
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the storage backend failed: try again later",
        )
    }
}

/// The HTTP status for a desk error.
pub fn status_of(error: &Error) -> StatusCode {
    match error {
        Error::NotFound { .. } => StatusCode::NOT_FOUND,
        Error::Conflict { .. } => StatusCode::CONFLICT,
        Error::InvalidTransition { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Forbidden { .. } => StatusCode::FORBIDDEN,
        Error::Validation(_) => StatusCode::BAD_REQUEST,
        Error::LimitExceeded { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        Error::Unsupported { .. } => StatusCode::NOT_IMPLEMENTED,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Why a refusal refused, as a stable word.
pub fn forbidden_word(reason: &ForbiddenReason) -> &'static str {
    match reason {
        ForbiddenReason::AccessDisabled => "access_disabled",
        ForbiddenReason::AgentInactive => "agent_inactive",
        ForbiddenReason::MissingPermission { .. } => "missing_permission",
        ForbiddenReason::AdminOnly => "admin_only",
        ForbiddenReason::SupervisorsOnly => "supervisors_only",
        ForbiddenReason::AgentsOnly => "agents_only",
        ForbiddenReason::CustomersOnly => "customers_only",
        ForbiddenReason::PriorityAboveCap { .. } => "priority_above_cap",
        ForbiddenReason::FollowUpRejected => "follow_up_rejected",
        ForbiddenReason::PeopleOnly => "people_only",
        ForbiddenReason::LinkExpired => "link_expired",
        ForbiddenReason::LinkInvalid => "link_invalid",
        _ => "forbidden",
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        let status = status_of(&error);
        let message = match &error {
            Error::Backend { .. } => {
                eprintln!("backend error: {}", Causes(&error));
                "the storage backend failed".to_owned()
            }
            other => other.to_string(),
        };
        let field = match &error {
            Error::Validation(v) => Some(v.field().to_owned()),
            _ => None,
        };
        let reason = match &error {
            Error::Forbidden { reason } => Some(forbidden_word(reason)),
            _ => None,
        };
        Self {
            status,
            code: error.code(),
            message,
            field,
            retry_after: None,
            reason,
        }
    }
}

impl From<helpdesk::error::ValidationError> for ApiError {
    fn from(error: helpdesk::error::ValidationError) -> Self {
        Error::Validation(error).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({"code": self.code, "message": self.message});
        if let Some(field) = self.field {
            error["field"] = json!(field);
        }
        let mut response = (self.status, Json(json!({ "error": error }))).into_response();
        if let Some(wait) = self.retry_after {
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(RETRY_AFTER, axum::http::HeaderValue::from(secs));
        }
        response
    }
}

/// The result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// A JSON body whose rejections are JSON errors (400) too.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    let status = rejection.status();
    let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "too_large"
    } else {
        "validation"
    };
    let status = if status == StatusCode::PAYLOAD_TOO_LARGE {
        status
    } else {
        StatusCode::BAD_REQUEST
    };
    ApiError::new(status, code, rejection.body_text())
}

/// A query string whose rejections are JSON errors (400).
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => Err(query_rejection(rejection)),
        }
    }
}

fn query_rejection(rejection: QueryRejection) -> ApiError {
    ApiError::bad_request(rejection.body_text())
}
