//! The pages' style sheets and scripts, served from `/assets/…` rather than written into
//! each page, so that the Content-Security-Policy allows no inline script or style.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use helpdesk::domain::{Status, StatusLabels};

use crate::state::AppState;

/// Every asset but the site's style sheet ([`SITE_CSS`]): its name under `/assets/`, its content type and its text.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "site.css",
        "text/css; charset=utf-8",
        include_str!("assets/site.css"),
    ),
    (
        "chat.css",
        "text/css; charset=utf-8",
        include_str!("assets/chat.css"),
    ),
    (
        "chat-widget.js",
        "text/javascript; charset=utf-8",
        concat!(
            include_str!("assets/chat-common.js"),
            include_str!("assets/chat-widget.js")
        ),
    ),
    (
        "chat-console.js",
        "text/javascript; charset=utf-8",
        concat!(
            include_str!("assets/chat-common.js"),
            include_str!("assets/chat-console.js")
        ),
    ),
    (
        "live-queue.js",
        "text/javascript; charset=utf-8",
        concat!(
            include_str!("assets/chat-common.js"),
            include_str!("assets/live-queue.js")
        ),
    ),
    (
        "shortcuts.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/shortcuts.js"),
    ),
    (
        "suggest.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/suggest.js"),
    ),
    (
        "canned.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/canned.js"),
    ),
    (
        "time-zone.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/time-zone.js"),
    ),
];

/// The site's style sheet: `assets/site.css` and each status label's colour
/// ([`StatusLabels::colour`]), by its `data-status`.
static SITE_CSS: LazyLock<String> = LazyLock::new(|| {
    let mut css = include_str!("assets/site.css").to_owned();
    for status in Status::ALL {
        css.push_str(&format!(
            ".status[data-status=\"{}\"]{{background:{}}}\n",
            status.as_str(),
            StatusLabels::colour(status)
        ));
    }
    css
});

/// The route of the assets (public: they hold nothing of anyone's).
pub fn routes() -> Router<AppState> {
    Router::new().route("/assets/{name}", get(asset))
}

/// One asset, cached for an hour; 404 for a name that is none.
async fn asset(Path(name): Path<String>) -> Response {
    let found = match name.as_str() {
        "site.css" => Some(("text/css; charset=utf-8", SITE_CSS.as_str())),
        _ => ASSETS
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, kind, text)| (*kind, *text)),
    };
    match found {
        Some((kind, text)) => (
            [
                (header::CONTENT_TYPE, kind),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            text,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
