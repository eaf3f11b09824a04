//! Every JSON response the API tests receive through the shared [`Fixture`] is checked
//! against the OpenAPI document's schema for its operation and status (issue 18): a response
//! the document does not describe, or describes otherwise, fails the test that received it.
//!
//! The document's schemas are JSON Schema as they stand (OpenAPI 3.1); `$ref`s resolve
//! inside the document's `components`.

use std::sync::OnceLock;

use axum::http::{Method, StatusCode};
use serde_json::Value;

/// The server's OpenAPI document, as the server serves it (built once). It is OpenAPI 3.1,
/// whose schemas are JSON Schema (2020-12): a nullable field is typed `[T, "null"]`, so
/// the 3.0 keyword `nullable`, which a JSON Schema validator ignores, must not appear.
fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let doc = helpdesk_server::api::openapi::spec();
        assert!(
            doc["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.1")),
            "the document is OpenAPI 3.1: {}",
            doc["openapi"]
        );
        assert!(
            !doc.to_string().contains("\"nullable\":"),
            "OpenAPI 3.0's `nullable` in a 3.1 document"
        );
        doc
    })
}

/// The document's path template for `path` (without its query): the one matching it with
/// the most literal segments.
fn template_of<'a>(doc: &'a Value, path: &str) -> Option<&'a str> {
    let segments: Vec<&str> = path.split('/').collect();
    doc["paths"]
        .as_object()?
        .keys()
        .filter_map(|template| {
            let t: Vec<&str> = template.split('/').collect();
            if t.len() != segments.len() {
                return None;
            }
            let mut literal = 0;
            for (t, s) in t.iter().zip(&segments) {
                if t == s {
                    literal += 1;
                } else if !(t.starts_with('{') && t.ends_with('}')) {
                    return None;
                }
            }
            Some((literal, template.as_str()))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, t)| t)
}

/// Checks one API response against the document: panics naming the operation, the status
/// and what does not match.
pub fn check_response(method: &Method, uri: &str, status: StatusCode, body: &[u8]) {
    let path = uri.split('?').next().unwrap_or_default();
    if !path.starts_with("/api/v1/") {
        return;
    }
    let doc = document();
    let operation = format!("{method} {path}");
    let Some(template) = template_of(doc, path) else {
        // Unknown routes answer the JSON 404; nothing documents them.
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED,
            "{operation}: no such path in the OpenAPI document, answered {status}"
        );
        return;
    };
    let op = &doc["paths"][template][method.as_str().to_lowercase()];
    if op.is_null() {
        assert_eq!(
            status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{operation}: no such operation in the OpenAPI document"
        );
        return;
    }
    let response = &op["responses"][status.as_str()];
    assert!(
        response.is_object(),
        "{method} {template}: status {status} is not in the OpenAPI document: {}",
        String::from_utf8_lossy(body)
    );
    let Some(schema) = response["content"]["application/json"].get("schema") else {
        return;
    };
    let Ok(instance) = serde_json::from_slice::<Value>(body) else {
        // Not JSON (a file, CSV): the document names another content type for it.
        return;
    };
    let mut root = schema.clone();
    root["components"] = doc["components"].clone();
    let validator = jsonschema::validator_for(&root)
        .unwrap_or_else(|e| panic!("{method} {template} {status}: the schema is invalid: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("at {}: {e}", e.instance_path()))
        .take(5)
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {template} {status}: the response does not match the OpenAPI document:\n  {}\nresponse: {}",
        errors.join("\n  "),
        String::from_utf8_lossy(body)
            .chars()
            .take(2000)
            .collect::<String>()
    );
}
