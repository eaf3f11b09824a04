//! The query parameters of the operations that take some: the ticket list's filters, its
//! search, and its keyset paging.

use serde_json::{Value, json};

/// One query parameter.
fn query(name: &str, schema: Value, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema, "description": description})
}

/// The query parameters of `method path`, none for most.
pub(super) fn query_parameters(method: &str, path: &str) -> Vec<Value> {
    if (method, path) != ("get", "/api/v1/tickets") {
        return Vec::new();
    }
    let text = || json!({"type": "string"});
    let instant = || json!({"type": "string", "format": "date-time"});
    vec![
        query(
            "q",
            text(),
            "a full-text search: words, \"phrases\", prefix*, -excluded, % patterns",
        ),
        query(
            "status",
            text(),
            "statuses, comma-separated (new, open, pending_customer, on_hold, resolved, closed:solved, ...)",
        ),
        query("department", text(), "department ids, comma-separated"),
        query(
            "priority",
            text(),
            "priorities, comma-separated (low, normal, high, urgent)",
        ),
        query("type", text(), "the ticket type"),
        query("category", text(), "a category"),
        query(
            "customer",
            json!({"type": "string", "format": "uuid"}),
            "the customer",
        ),
        query(
            "assignee",
            text(),
            "an agent id, or `none` for unassigned tickets",
        ),
        query(
            "master",
            json!({"type": "string", "format": "uuid"}),
            "the master ticket",
        ),
        query(
            "internal",
            json!({"type": "boolean"}),
            "internal tickets only (true) or customer tickets only (false)",
        ),
        query("created_from", instant(), "created at or after"),
        query("created_to", instant(), "created before"),
        query("updated_from", instant(), "last changed at or after"),
        query("updated_to", instant(), "last changed before"),
        query(
            "order",
            json!({"type": "string", "enum": ["last_update", "priority", "waiting", "relevance"]}),
            "the order: last_update by default, relevance with `q`; with `after`, the cursor's order",
        ),
        query(
            "limit",
            json!({"type": "integer", "minimum": 1, "maximum": 200, "default": 50}),
            "at most this many tickets",
        ),
        query(
            "after",
            text(),
            "the page after this cursor: the opaque `next` of the previous page, passed back as it is (any order, searches too); anything else is a 400 on the field `after`",
        ),
    ]
}
