//! The HTTP edge every request passes: how large a body each kind of route reads, and the
//! security headers on every response (pages, API, errors and files alike).
//!
//! Bodies are small by default ([`BODY_LIMIT`]: a JSON command or a form, a message of the
//! longest kind with room for escaping), smaller still for signing in
//! ([`SIGN_IN_ROUTES`], [`SIGN_IN_BODY_LIMIT`]), and large only on the routes that take
//! uploads ([`UPLOAD_ROUTES`], [`upload_body_limit`]). A larger body is refused (413) before it is read to the end.

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use helpdesk::service::AttachmentLimits;
use tower_http::set_header::SetResponseHeaderLayer;

/// The largest body of a JSON command or a form: 1 MiB (a message body is at most 100 000
/// characters).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The largest body of a sign-in (`POST /api/v1/auth/token`, `POST /login`): 8 KiB.
pub const SIGN_IN_BODY_LIMIT: usize = 8 * 1024;

/// The `Content-Security-Policy` of every response: only this origin's resources, no inline
/// script or style (the pages' style sheets and scripts are served from `/assets/…`), no
/// framing, no plugins, forms posted only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The routes that take uploads (method and route as the router names it): the only ones
/// whose bodies may be large.
pub const UPLOAD_ROUTES: [(&str, &str); 4] = [
    ("POST", "/api/v1/tickets"),
    ("POST", "/api/v1/tickets/{ticket}/messages"),
    ("POST", "/portal/tickets"),
    ("POST", "/tickets/{ticket}/message"),
];

/// The sign-in routes (and the public ones of password links), whose bodies are the smallest.
pub const SIGN_IN_ROUTES: [(&str, &str); 6] = [
    ("POST", "/api/v1/auth/token"),
    ("POST", "/login"),
    ("POST", "/api/v1/auth/password-reset"),
    ("POST", "/api/v1/auth/setup-password"),
    ("POST", "/forgot-password"),
    ("POST", "/setup-password"),
];

/// The largest body of a route that takes uploads: every attachment at its largest, plus
/// the form fields around them (the desk itself answers 413 with the JSON error shape for
/// files over its limits).
pub fn upload_body_limit(limits: &AttachmentLimits) -> usize {
    (limits.max_size as usize)
        .saturating_mul(limits.max_count.max(1))
        .saturating_add(BODY_LIMIT)
}

/// The body limit of the route `matched` for `method`.
pub fn body_limit(method: &Method, matched: &str, uploads: usize) -> usize {
    let is = |routes: &[(&str, &str)]| {
        routes
            .iter()
            .any(|(m, path)| method.as_str() == *m && matched == *path)
    };
    if is(&UPLOAD_ROUTES) {
        uploads
    } else if is(&SIGN_IN_ROUTES) {
        SIGN_IN_BODY_LIMIT
    } else {
        BODY_LIMIT
    }
}

/// Middleware (a route layer, so the matched route is known): sets the body limit of the
/// request's route; `uploads` is [`upload_body_limit`] of the desk.
pub async fn limit_body(
    State(uploads): State<usize>,
    matched: Option<MatchedPath>,
    mut request: Request,
    next: Next,
) -> Response {
    let limit = match &matched {
        Some(path) => body_limit(request.method(), path.as_str(), uploads),
        None => BODY_LIMIT,
    };
    DefaultBodyLimit::max(limit).apply(&mut request);
    next.run(request).await
}

/// The security headers, each set on every response that does not set it itself.
pub fn security_headers() -> [(HeaderName, HeaderValue); 4] {
    [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
    ]
}

/// `router` with a body limit per route (large for uploads of up to `limits`) and the
/// security headers on every response.
pub fn harden<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    limits: &AttachmentLimits,
) -> Router<S> {
    let uploads = upload_body_limit(limits);
    let mut router = router
        .route_layer(axum::middleware::from_fn_with_state(uploads, limit_body))
        .layer(DefaultBodyLimit::max(BODY_LIMIT));
    for (name, value) in security_headers() {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    router
}
