//! The Swagger UI page at `/api/docs`, over the OpenAPI document at `/api/openapi.json`.
//!
//! Its assets are compiled into the server from the `utoipa-swagger-ui` crate's vendored
//! copy (its `vendored` feature): nothing is downloaded when building, and the page loads
//! nothing from elsewhere, as the Content-Security-Policy requires.

use axum::Router;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::state::AppState;

/// Where the page is served.
pub const DOCS_PATH: &str = "/api/docs";

/// `/api/docs` (and its assets under it), reading the document from `/api/openapi.json`.
pub fn routes() -> Router<AppState> {
    let ui = SwaggerUi::new(DOCS_PATH).config(Config::new(["/api/openapi.json"]));
    Router::from(ui)
}
