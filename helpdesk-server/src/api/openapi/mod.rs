//! The OpenAPI 3 document at `/api/openapi.json`, written out by hand from one table of
//! routes (no derive macros: they would double the server's compile time).
//!
//! Every operation lists its error statuses, each with the JSON error shape; 401 (but for
//! signing in) and 500 go with every one, 501 with those that need an ability the store may
//! not offer (the knowledge base, live chat, reports, the desk's settings, attachments).

use axum::Json;
use serde_json::{Map, Value, json};

mod admin_operations;
mod operations;
mod parameters;
mod schemas;

use operations::operations;
use parameters::query_parameters;
use schemas::{schema_ref, schemas};

/// One operation.
pub(super) struct Op {
    pub(super) method: &'static str,
    pub(super) path: &'static str,
    pub(super) tag: &'static str,
    pub(super) summary: &'static str,
    /// The request body schema, if any (`multipart` too when the route takes files).
    pub(super) body: Option<&'static str>,
    pub(super) multipart: bool,
    /// The success status and schema.
    pub(super) ok: (&'static str, &'static str),
    /// The error statuses besides 401, 500 and 501.
    pub(super) errors: &'static [&'static str],
}

/// The tags of the routes that need an ability the store may not offer.
const ABILITY_TAGS: &[&str] = &["knowledge base", "chat", "reports", "settings"];

impl Op {
    /// Whether the store may answer this route with `unsupported` (501): it needs the
    /// knowledge base, live chat, reports, settings, or attachments (a route that takes
    /// files).
    fn needs_ability(&self) -> bool {
        ABILITY_TAGS.contains(&self.tag) || self.multipart
    }
}

pub(super) const fn op(
    method: &'static str,
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
    body: Option<&'static str>,
    ok: (&'static str, &'static str),
    errors: &'static [&'static str],
) -> Op {
    Op {
        method,
        path,
        tag,
        summary,
        body,
        multipart: false,
        ok,
        errors,
    }
}

pub(super) const READ: &[&str] = &["400", "403", "404"];
pub(super) const WRITE: &[&str] = &["400", "403", "404", "409", "422"];
pub(super) const UPLOAD: &[&str] = &["400", "403", "404", "409", "413", "422"];

fn error_description(status: &str) -> &'static str {
    match status {
        "400" => "validation: the request is malformed or a value is invalid",
        "401" => "unauthorized: no valid token or session",
        "403" => "forbidden: not allowed for this actor",
        "404" => "not_found (also what a customer gets for another customer's ticket)",
        "409" => "conflict: the ticket changed (stale If-Match) or a duplicate",
        "413" => "too_large, too_many_attachments or unsupported_content_type",
        "422" => "invalid_transition: the command is not allowed in the ticket's status",
        "429" => {
            "too_many_requests: too many failed sign-ins for this login; wait the `Retry-After` seconds"
        }
        "501" => "unsupported: the store does not offer what this needs (e.g. no live chat)",
        "503" => {
            "unavailable: the storage failed, so the credentials could not be checked; try again"
        }
        _ => "backend: the storage failed",
    }
}

/// The document.
pub fn spec() -> Value {
    let mut paths = Map::new();
    for o in operations() {
        let mut responses = Map::new();
        let ok = if o.ok.0 == "204" {
            json!({"description": "done"})
        } else if o.ok.1 == "Report" {
            json!({"description": "success (CSV with `format=csv`)", "content": {
                "application/json": {"schema": schema_ref("Report")},
                "text/csv": {"schema": {"type": "string"}}}})
        } else if o.ok.1 == "Binary" {
            json!({"description": "the file", "content": {"application/octet-stream": {"schema": schema_ref("Binary")}}})
        } else {
            json!({"description": "success", "content": {"application/json": {"schema": schema_ref(o.ok.1)}}})
        };
        responses.insert(o.ok.0.to_owned(), ok);
        // Only signing in is public: revoking the token (`DELETE`) needs it.
        let public = o.method == "post" && o.path == "/api/v1/auth/token";
        let mut errors: Vec<&str> = o.errors.to_vec();
        if !public {
            errors.push("401");
            // A signed-in person may be refused any call (a customer whose access is disabled).
            if !errors.contains(&"403") {
                errors.push("403");
            }
        }
        // Every body has a limit (see `crate::edge`).
        if o.body.is_some() && !errors.contains(&"413") {
            errors.push("413");
        }
        errors.push("500");
        if o.needs_ability() {
            errors.push("501");
        }
        for status in errors {
            let mut response = json!({"description": error_description(status), "content": {"application/json": {"schema": schema_ref("Error")}}});
            if status == "429" {
                response["headers"] = json!({"Retry-After": {
                    "description": "seconds until a sign-in is accepted again",
                    "schema": {"type": "integer", "minimum": 1},
                }});
            }
            responses.insert(status.to_owned(), response);
        }
        let mut params: Vec<Value> = o
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        params.extend(query_parameters(o.method, o.path));
        let mut operation = json!({
            "tags": [o.tag],
            "summary": o.summary,
            "operationId": format!("{}{}", o.method, o.path.replace(['/', '{', '}', '-'], "_")),
            "parameters": params,
            "responses": responses,
        });
        operation["security"] = if public {
            json!([])
        } else {
            json!([{"bearer": []}, {"session": []}])
        };
        if let Some(body) = o.body {
            let mut content = json!({"application/json": {"schema": schema_ref(body)}});
            if o.multipart {
                content["multipart/form-data"] = json!({"schema": schema_ref(body)});
            }
            operation["requestBody"] = json!({"required": true, "content": content});
        }
        let entry = paths.entry(o.path.to_owned()).or_insert_with(|| json!({}));
        entry[o.method] = operation;
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "helpdesk example server", "version": env!("CARGO_PKG_VERSION")},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": crate::session::SESSION_COOKIE},
            },
        },
    })
}

/// `GET /api/openapi.json`.
pub async fn document() -> Json<Value> {
    Json(spec())
}
