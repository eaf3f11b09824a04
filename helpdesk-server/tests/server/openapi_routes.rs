//! Every route the API's router declares is in the OpenAPI document (issue 18). The routes
//! are read from the router's own source (`src/api/*.rs`: each `.route("/path", get(…)
//! .post(…))` under `/api/v1`), so a route added without documenting it fails here, named.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::*;

/// The `(method, path)` of every `.route(…)` in `source`, the path as the router names it.
fn declared_routes(source: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find(".route(") {
        rest = &rest[at + ".route(".len()..];
        // The call's text, up to its closing parenthesis.
        let mut depth = 1;
        let end = rest
            .char_indices()
            .find(|(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(rest.len(), |(i, _)| i);
        let call = &rest[..end];
        let Some((_, after_quote)) = call.split_once('"') else {
            continue;
        };
        let Some((path, handlers)) = after_quote.split_once('"') else {
            continue;
        };
        for method in ["get", "post", "put", "patch", "delete"] {
            let called = handlers.match_indices(&format!("{method}(")).any(|(i, _)| {
                i == 0
                    || !handlers.as_bytes()[i - 1].is_ascii_alphanumeric()
                        && handlers.as_bytes()[i - 1] != b'_'
            });
            if called {
                found.push((method.to_owned(), format!("/api/v1{path}")));
            }
        }
        rest = &rest[end..];
    }
    found
}

/// Whether the router's `template` (with `{param}` segments) covers the documented `path`.
fn covers(template: &str, path: &str) -> bool {
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}')))
}

#[tokio::test]
async fn every_route_of_the_api_router_is_in_the_openapi_document() {
    let fx = fixture().await;
    let doc = fx.openapi().await;
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut declared = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            declared.extend(declared_routes(&std::fs::read_to_string(&path).unwrap()));
        }
    }
    assert!(
        declared.len() >= 40,
        "the router's routes were read: {declared:?}"
    );
    let missing: Vec<String> = declared
        .iter()
        .filter(|(method, template)| {
            !documented
                .iter()
                .any(|(m, p)| m == method && covers(template, p))
        })
        .map(|(method, template)| format!("{} {template}", method.to_uppercase()))
        .collect();
    assert!(
        missing.is_empty(),
        "routes of the API router missing from the OpenAPI document:\n  {}",
        missing.join("\n  ")
    );
}

#[test]
fn routes_are_read_from_chained_and_multi_line_calls() {
    let source = r#"
        Router::new()
            .route("/a", get(list).post(create))
            .route(
                "/a/{id}/b",
                delete(remove),
            )
            .route("/c", get(forget_it))
    "#;
    assert_eq!(
        declared_routes(source),
        [
            ("get".to_owned(), "/api/v1/a".to_owned()),
            ("post".to_owned(), "/api/v1/a".to_owned()),
            ("delete".to_owned(), "/api/v1/a/{id}/b".to_owned()),
            ("get".to_owned(), "/api/v1/c".to_owned()),
        ]
    );
    assert!(covers(
        "/api/v1/n/{id}/{action}",
        "/api/v1/n/{notification}/read"
    ));
    assert!(!covers("/api/v1/n/{id}", "/api/v1/n/{id}/read"));
}
