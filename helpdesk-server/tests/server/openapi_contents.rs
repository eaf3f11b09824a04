//! What the generated OpenAPI document says about the API (issue 18): the list's query
//! parameters, typed path parameters, one body schema per command, nullable fields, every
//! error status with the error body, and security per operation.

use serde_json::{Value, json};

use crate::support::*;

/// The schema `name` of the document's components.
fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let found = &doc["components"]["schemas"][name];
    assert!(found.is_object(), "no schema {name}");
    found
}

/// The parameter `name` of `method path`.
fn parameter<'a>(doc: &'a Value, method: &str, path: &str, name: &str) -> &'a Value {
    doc["paths"][path][method]["parameters"]
        .as_array()
        .unwrap_or_else(|| panic!("{method} {path}: no parameters"))
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{method} {path}: no parameter {name}"))
}

#[tokio::test]
async fn the_ticket_list_declares_its_filters_cursor_and_paging() {
    let fx = fixture().await;
    let doc = fx.openapi().await;
    for name in [
        "q",
        "status",
        "department",
        "priority",
        "type",
        "category",
        "customer",
        "assignee",
        "master",
        "internal",
        "created_from",
        "created_to",
        "updated_from",
        "updated_to",
        "order",
        "limit",
        "after",
    ] {
        let p = parameter(&doc, "get", "/api/v1/tickets", name);
        assert_eq!(p["in"], "query", "{name}");
        assert_ne!(p["required"], true, "{name} is optional");
    }
    let limit = &parameter(&doc, "get", "/api/v1/tickets", "limit")["schema"];
    assert_eq!(
        (limit["minimum"].as_u64(), limit["maximum"].as_u64()),
        (Some(1), Some(200))
    );
    let created = &parameter(&doc, "get", "/api/v1/tickets", "created_from")["schema"];
    assert_eq!(created["format"], "date-time");
    let customer = &parameter(&doc, "get", "/api/v1/tickets", "customer")["schema"];
    assert_eq!(customer["format"], "uuid");
    let order = schema(&doc, "TicketOrder");
    assert_eq!(
        order["enum"],
        json!(["last_update", "priority", "waiting", "relevance"])
    );
}

#[tokio::test]
async fn path_parameters_are_typed() {
    let fx = fixture().await;
    let doc = fx.openapi().await;
    for (method, path, name) in [
        ("get", "/api/v1/customers/{customer}", "customer"),
        ("put", "/api/v1/agents/{agent}", "agent"),
        ("get", "/api/v1/kb/articles/{article}", "article"),
        (
            "post",
            "/api/v1/notifications/{notification}/read",
            "notification",
        ),
        ("put", "/api/v1/departments/{department}", "department"),
    ] {
        let p = parameter(&doc, method, path, name);
        assert_eq!(p["in"], "path");
        assert_eq!(p["required"], true);
        assert_eq!(p["schema"]["format"], "uuid", "{method} {path}");
    }
    // A ticket is named by its id or its number.
    let ticket = parameter(&doc, "get", "/api/v1/tickets/{ticket}", "ticket");
    assert_eq!(ticket["schema"]["$ref"], "#/components/schemas/TicketKey");
    let key = schema(&doc, "TicketKey")["oneOf"].as_array().unwrap();
    assert_eq!(key[0]["format"], "uuid");
    assert!(key[1]["pattern"].is_string(), "{key:?}");
}

#[tokio::test]
async fn each_command_has_its_own_body_schema() {
    let fx = fixture().await;
    let doc = fx.openapi().await;
    let body = &doc["paths"]["/api/v1/tickets/{ticket}/commands"]["post"]["requestBody"];
    assert_eq!(
        body["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Command"
    );
    let commands = schema(&doc, "Command")["oneOf"].as_array().unwrap();
    let of = |name: &str| {
        commands
            .iter()
            .find(|c| c["properties"]["command"]["enum"] == json!([name]))
            .unwrap_or_else(|| panic!("no schema for the command {name}"))
    };
    assert_eq!(commands.len(), 22, "one schema per command");
    assert!(of("tag")["properties"]["add"]["type"] == "array");
    let log_time = of("log_time");
    let required = log_time["required"].as_array().unwrap();
    for field in ["command", "minutes", "billable", "note"] {
        assert!(
            required.contains(&json!(field)),
            "log_time requires {field}"
        );
    }
    assert_eq!(log_time["properties"]["minutes"]["maximum"], 1440);
    assert!(
        of("merge_into")["required"]
            .as_array()
            .unwrap()
            .contains(&json!("target"))
    );
    assert_eq!(
        of("close")["properties"]["resolution"]["$ref"],
        "#/components/schemas/Resolution"
    );
    assert_eq!(of("reopen")["required"], json!(["command"]));
    // `/transitions` takes only the status changes.
    let transitions = schema(&doc, "Transition")["oneOf"].as_array().unwrap();
    assert_eq!(transitions.len(), 7);
}

#[tokio::test]
async fn nullable_fields_are_declared_nullable_and_present() {
    let fx = fixture().await;
    let doc = fx.openapi().await;
    let ticket = schema(&doc, "Ticket");
    for field in [
        "assignee",
        "customer",
        "next_due_at",
        "waiting_since",
        "master",
    ] {
        assert_eq!(
            ticket["properties"][field]["type"][1], "null",
            "Ticket.{field}: {}",
            ticket["properties"][field]
        );
        assert!(
            ticket["required"]
                .as_array()
                .unwrap()
                .contains(&json!(field)),
            "Ticket.{field} is always there, null or not"
        );
    }
    assert_eq!(ticket["properties"]["id"]["type"], "string");
    let customer = schema(&doc, "Customer");
    assert_eq!(
        customer["properties"]["email"]["type"],
        json!(["string", "null"])
    );
}

#[tokio::test]
async fn every_operation_declares_its_errors_with_the_error_body() {
    let fx = fixture().await;
    let doc = fx.openapi().await;
    let paths = doc["paths"].as_object().unwrap();
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("500"), "{method} {path}: 500");
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    assert_eq!(
                        response["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/Error",
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
    let status = |method: &str, path: &str, code: &str| {
        doc["paths"][path][method]["responses"][code].is_object()
    };
    for code in ["404", "409", "422"] {
        assert!(
            status("post", "/api/v1/tickets/{ticket}/commands", code),
            "{code}"
        );
    }
    assert!(status("post", "/api/v1/tickets", "413"));
    assert!(
        status("post", "/api/v1/tickets", "501"),
        "attachments may be unsupported"
    );
    assert!(status("get", "/api/v1/tickets/{ticket}", "404"));
    assert!(!status("get", "/api/v1/tickets/{ticket}", "501"));
    assert!(status("post", "/api/v1/auth/token", "429"));
    assert!(status("post", "/api/v1/auth/token", "401"));
    assert!(status("get", "/api/v1/reports", "501"));
    let error = schema(&doc, "Error");
    assert_eq!(error["required"], json!(["error"]));
}

/// Every `$ref` under `value`.
fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                found.push(r);
            }
            map.values().for_each(|v| refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

#[tokio::test]
async fn every_reference_of_the_document_resolves() {
    let fx = fixture().await;
    let doc = fx.openapi().await;
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 100, "{}", found.len());
    let dangling: Vec<&str> = found
        .into_iter()
        .filter(|r| {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or(r);
            !doc["components"]["schemas"][name].is_object()
        })
        .collect();
    assert!(dangling.is_empty(), "dangling references: {dangling:?}");
}

/// The settings routes answer typed schemas, field by field, so that the schema check
/// validates what they return: service levels, attachment limits, mail settings and the
/// audit trail (with the entry a template, canned response or category change names); and
/// so do a ticket's history and timers.
#[tokio::test]
async fn settings_history_and_timers_are_typed_schemas() {
    let fx = fixture().await;
    let doc = fx.openapi().await;
    for (method, path, name) in [
        ("get", "/api/v1/settings/service-levels", "ServiceLevels"),
        ("put", "/api/v1/settings/calendars/{name}", "ServiceLevels"),
        (
            "put",
            "/api/v1/settings/sla-policies/{name}",
            "ServiceLevels",
        ),
        (
            "get",
            "/api/v1/settings/attachment-limits",
            "AttachmentSettings",
        ),
        (
            "put",
            "/api/v1/settings/attachment-limits",
            "AttachmentSettings",
        ),
        ("get", "/api/v1/settings/mail", "MailSettings"),
        ("put", "/api/v1/settings/mail", "MailSettings"),
        ("get", "/api/v1/settings/audit", "AuditList"),
    ] {
        assert_eq!(
            doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"],
            format!("#/components/schemas/{name}"),
            "{method} {path}"
        );
    }
    let entry = schema(&doc, "AuditEntry");
    for field in ["key", "actor", "at", "before", "after"] {
        assert!(
            entry["required"]
                .as_array()
                .unwrap()
                .contains(&json!(field)),
            "AuditEntry.{field}"
        );
    }
    assert_eq!(entry["properties"]["item"]["type"], "string");
    let keys = &schema(&doc, "ChangedSetting")["enum"];
    for key in ["mail", "template", "canned_response", "article_category"] {
        assert!(keys.as_array().unwrap().contains(&json!(key)), "{keys}");
    }
    // A ticket's history: one schema per kind of change, told apart by `change`.
    assert_eq!(
        doc["paths"]["/api/v1/tickets/{ticket}/history"]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"]["$ref"],
        "#/components/schemas/HistoryList"
    );
    let changes = schema(&doc, "Change")["oneOf"].as_array().unwrap();
    assert_eq!(changes.len(), 27, "with chat_waiting");
    assert!(changes.iter().all(|c| {
        c["required"]
            .as_array()
            .is_some_and(|r| r.contains(&json!("change")))
    }));
    let timers = schema(&doc, "Timers");
    assert_eq!(
        timers["properties"]["clocks"]["items"]["$ref"],
        "#/components/schemas/SlaClock"
    );
    // Custom fields: each value with its type beside it.
    let ticket = schema(&doc, "Ticket");
    assert_eq!(
        ticket["properties"]["custom_fields"]["additionalProperties"]["$ref"],
        "#/components/schemas/FieldValue"
    );
    let values = schema(&doc, "FieldValue")["oneOf"].as_array().unwrap();
    assert_eq!(values.len(), 4, "{values:?}");
    assert!(
        values
            .iter()
            .all(|v| v["required"] == json!(["value", "type"])
                || v["required"] == json!(["type", "value"])),
        "{values:?}"
    );
    let policy = schema(&doc, "StoredSlaPolicy");
    assert_eq!(
        policy["properties"]["warn_percent"]["type"],
        json!(["integer", "null"])
    );
}

/// Where `schema` (at `at`) or a schema inside it is free-form: an object with no
/// properties, no typed additional properties and no alternatives, or a schema that allows
/// anything (`{}`, `true`). Collects each place as a JSON pointer.
fn free_form_places(schema: &Value, at: &str, found: &mut Vec<String>) {
    match schema {
        Value::Bool(true) => found.push(at.to_owned()),
        Value::Object(s) => {
            let typed = |k: &str| s.contains_key(k);
            let alternatives = ["oneOf", "anyOf", "allOf", "$ref", "enum", "const"]
                .iter()
                .any(|k| typed(k));
            let is_object = match s.get("type") {
                Some(Value::String(t)) => t == "object",
                Some(Value::Array(ts)) => ts.contains(&json!("object")),
                _ => false,
            };
            let has_fields = typed("properties")
                || typed("patternProperties")
                || s.get("additionalProperties")
                    .is_some_and(|a| a != &json!(true));
            let anything = !typed("type") && !alternatives && !typed("items");
            if (is_object && !has_fields && !alternatives) || anything {
                found.push(at.to_owned());
            }
            for (key, sub) in s {
                let at = format!("{at}/{key}");
                match key.as_str() {
                    "properties" | "patternProperties" => {
                        for (name, p) in sub.as_object().into_iter().flatten() {
                            free_form_places(p, &format!("{at}/{name}"), found);
                        }
                    }
                    "items" | "additionalProperties" | "not" if sub.is_object() => {
                        free_form_places(sub, &at, found);
                    }
                    "oneOf" | "anyOf" | "allOf" | "prefixItems" => {
                        for (i, p) in sub.as_array().into_iter().flatten().enumerate() {
                            free_form_places(p, &format!("{at}/{i}"), found);
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn no_component_schema_is_a_free_form_object() {
    let doc = helpdesk_server::api::openapi::spec();
    let mut found = Vec::new();
    for (name, s) in doc["components"]["schemas"].as_object().unwrap() {
        free_form_places(s, &format!("#/components/schemas/{name}"), &mut found);
    }
    assert!(
        found.is_empty(),
        "free-form schemas in the OpenAPI document (type them):\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_free_form_check_finds_free_form_schemas() {
    for (schema, free) in [
        (json!({"type": "object"}), true),
        (
            json!({"type": "object", "additionalProperties": true}),
            true,
        ),
        (json!({}), true),
        (json!({"type": "object", "properties": {"k": {}}}), true),
        (
            json!({"type": "object", "properties": {"k": {"type": "string"}}}),
            false,
        ),
        (
            json!({"type": "object", "additionalProperties": {"type": "string"}}),
            false,
        ),
        (
            json!({"oneOf": [{"type": "string"}, {"type": "null"}]}),
            false,
        ),
        (json!({"type": "array", "items": {"type": "object"}}), true),
        (json!({"$ref": "#/components/schemas/Ticket"}), false),
    ] {
        let mut found = Vec::new();
        free_form_places(&schema, "#", &mut found);
        assert_eq!(!found.is_empty(), free, "{schema}: {found:?}");
    }
}
