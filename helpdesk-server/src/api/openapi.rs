//! The OpenAPI 3 document at `/api/openapi.json`, written out by hand from one table of
//! routes (no derive macros: they would double the server's compile time).
//!
//! Every operation lists its error statuses, each with the JSON error shape; 401 (but for
//! signing in) and 500 go with every one, 501 with those that need an ability the store may
//! not offer (the knowledge base, live chat, reports, attachments).

use axum::Json;
use serde_json::{Map, Value, json};

/// One operation.
struct Op {
    method: &'static str,
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
    /// The request body schema, if any (`multipart` too when the route takes files).
    body: Option<&'static str>,
    multipart: bool,
    /// The success status and schema.
    ok: (&'static str, &'static str),
    /// The error statuses besides 401, 500 and 501.
    errors: &'static [&'static str],
}

/// The tags of the routes that need an ability the store may not offer.
const ABILITY_TAGS: &[&str] = &["knowledge base", "chat", "reports"];

impl Op {
    /// Whether the store may answer this route with `unsupported` (501): it needs the
    /// knowledge base, live chat, reports, or attachments (a route that takes files).
    fn needs_ability(&self) -> bool {
        ABILITY_TAGS.contains(&self.tag) || self.multipart
    }
}

const fn op(
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

const READ: &[&str] = &["400", "403", "404"];
const WRITE: &[&str] = &["400", "403", "404", "409", "422"];
const UPLOAD: &[&str] = &["400", "403", "404", "409", "413", "422"];

fn operations() -> Vec<Op> {
    let mut ops = vec![
        op(
            "post",
            "/api/v1/auth/token",
            "auth",
            "Exchange a login and password for an API token",
            Some("Credentials"),
            ("201", "Token"),
            &["400", "429", "503"],
        ),
        op(
            "delete",
            "/api/v1/auth/token",
            "auth",
            "Revoke the API token (or session) the request is signed in with",
            None,
            ("204", ""),
            &[],
        ),
        op(
            "get",
            "/api/v1/auth/tokens",
            "auth",
            "The signed-in person's live sessions and API tokens (by the SHA-256 of their secret)",
            None,
            ("200", "TokenList"),
            &[],
        ),
        op(
            "delete",
            "/api/v1/auth/tokens/{token}",
            "auth",
            "Revoke one of the signed-in person's sessions or API tokens",
            None,
            ("204", ""),
            &["400", "404"],
        ),
        op(
            "get",
            "/api/v1/me",
            "auth",
            "Who the token or session is",
            None,
            ("200", "Me"),
            &[],
        ),
        op(
            "get",
            "/api/v1/tickets",
            "tickets",
            "List tickets with filters (status, department, priority, type, category, customer, assignee, master, internal, created_from/to, updated_from/to), or search them with `q`; `order`, `limit`, `after`",
            None,
            ("200", "TicketList"),
            &["400"],
        ),
        op(
            "post",
            "/api/v1/tickets",
            "tickets",
            "Open a ticket (JSON, or multipart form data with files)",
            Some("CreateTicket"),
            ("201", "Ticket"),
            UPLOAD,
        ),
        op(
            "get",
            "/api/v1/tickets/{ticket}",
            "tickets",
            "A ticket by id or by number",
            None,
            ("200", "Ticket"),
            READ,
        ),
        op(
            "get",
            "/api/v1/tickets/{ticket}/messages",
            "tickets",
            "The thread (internal notes for staff only)",
            None,
            ("200", "MessageList"),
            READ,
        ),
        op(
            "post",
            "/api/v1/tickets/{ticket}/messages",
            "tickets",
            "Reply, or add an internal note (`internal: true`); multipart for files",
            Some("NewMessage"),
            ("201", "Outcome"),
            UPLOAD,
        ),
        op(
            "get",
            "/api/v1/tickets/{ticket}/messages/{message}/attachments/{sha256}",
            "tickets",
            "Download an attachment",
            None,
            ("200", "Binary"),
            READ,
        ),
        op(
            "post",
            "/api/v1/tickets/{ticket}/commands",
            "tickets",
            "Run any command (link, merge, log time, rate, request priority, ...); `If-Match: VERSION` for optimistic concurrency",
            Some("Command"),
            ("200", "Outcome"),
            WRITE,
        ),
        op(
            "post",
            "/api/v1/tickets/{ticket}/transitions",
            "tickets",
            "A status transition (ask_customer, put_on_hold, resolve, confirm_resolution, close, reopen, merge_into)",
            Some("Command"),
            ("200", "Outcome"),
            WRITE,
        ),
        op(
            "post",
            "/api/v1/tickets/{ticket}/assign",
            "tickets",
            "Assign to an agent (or `null` to unassign)",
            Some("Assign"),
            ("200", "Outcome"),
            WRITE,
        ),
        op(
            "post",
            "/api/v1/tickets/{ticket}/priority",
            "tickets",
            "Change the priority",
            Some("SetPriority"),
            ("200", "Outcome"),
            WRITE,
        ),
        op(
            "get",
            "/api/v1/tickets/{ticket}/history",
            "tickets",
            "The audit log of a ticket",
            None,
            ("200", "List"),
            READ,
        ),
        op(
            "get",
            "/api/v1/tickets/{ticket}/time-entries",
            "tickets",
            "Time logged on a ticket",
            None,
            ("200", "List"),
            READ,
        ),
        op(
            "get",
            "/api/v1/departments",
            "directory",
            "Departments",
            None,
            ("200", "List"),
            &[],
        ),
        op(
            "post",
            "/api/v1/departments",
            "directory",
            "Add a department (admins)",
            Some("NewDepartment"),
            ("201", "Object"),
            &["400", "403"],
        ),
        op(
            "get",
            "/api/v1/agents",
            "directory",
            "Agents (staff only)",
            None,
            ("200", "List"),
            &["403"],
        ),
        op(
            "put",
            "/api/v1/agents/{agent}/signature",
            "directory",
            "Set an agent's signature",
            Some("SetSignature"),
            ("200", "Object"),
            READ,
        ),
        op(
            "get",
            "/api/v1/customers",
            "directory",
            "Look customers up by contract, phone, email or address pattern (%)",
            None,
            ("200", "List"),
            &["400", "403"],
        ),
        op(
            "get",
            "/api/v1/customers/{customer}",
            "directory",
            "A customer",
            None,
            ("200", "Object"),
            READ,
        ),
        op(
            "put",
            "/api/v1/customers/{customer}/access",
            "directory",
            "Enable or disable a customer's access (admins)",
            Some("Access"),
            ("200", "Object"),
            READ,
        ),
        op(
            "get",
            "/api/v1/kb/articles",
            "knowledge base",
            "Search articles (`q`, `lang`, `limit`)",
            None,
            ("200", "List"),
            &["400"],
        ),
        op(
            "post",
            "/api/v1/kb/articles",
            "knowledge base",
            "Write an article (agents)",
            Some("NewArticle"),
            ("201", "Object"),
            &["400", "403"],
        ),
        op(
            "get",
            "/api/v1/kb/articles/{article}",
            "knowledge base",
            "An article",
            None,
            ("200", "Object"),
            READ,
        ),
        op(
            "post",
            "/api/v1/kb/articles/{article}/votes",
            "knowledge base",
            "Did this article help",
            Some("Vote"),
            ("200", "Object"),
            READ,
        ),
        op(
            "get",
            "/api/v1/kb/suggest",
            "knowledge base",
            "Articles for a ticket being written (`text`, `lang`)",
            None,
            ("200", "List"),
            &["400"],
        ),
        op(
            "get",
            "/api/v1/notifications",
            "notifications",
            "The caller's notifications",
            None,
            ("200", "List"),
            &["400"],
        ),
        op(
            "post",
            "/api/v1/notifications/{notification}/read",
            "notifications",
            "Mark read",
            None,
            ("200", "Object"),
            READ,
        ),
        op(
            "post",
            "/api/v1/notifications/{notification}/snooze",
            "notifications",
            "Remind later (`until` or `minutes`, default 60)",
            Some("Snooze"),
            ("200", "Object"),
            READ,
        ),
        op(
            "post",
            "/api/v1/notifications/{notification}/dismiss",
            "notifications",
            "Dismiss (the ticket stays)",
            None,
            ("200", "Object"),
            READ,
        ),
        op(
            "get",
            "/api/v1/reports",
            "reports",
            "A report over `from`..`to` (days, `to` included, or RFC 3339 instants; default the last 30 days) per `group` (department, agent, customer, type), optionally for one `department` (id or name); `format=csv` for CSV (supervisors and admins)",
            None,
            ("200", "Report"),
            READ,
        ),
    ];
    ops.extend(chat_operations());
    for o in &mut ops {
        o.multipart = o.errors.contains(&"413");
    }
    ops
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn error_description(status: &str) -> &'static str {
    match status {
        "400" => "validation: the request is malformed or a value is invalid",
        "401" => "unauthorized: no valid token or session",
        "403" => "forbidden: not allowed for this actor",
        "404" => "not_found (also what a customer gets for another customer's ticket)",
        "409" => "conflict: the ticket changed (stale If-Match) or a duplicate",
        "413" => "too_large, too_many_attachments or unsupported_content_type",
        "422" => "invalid_transition: the command is not allowed in the ticket's status",
        "429" => "too_many_requests: too many failed sign-ins for this login; wait 15 minutes",
        "501" => "unsupported: the store does not offer what this needs (e.g. no live chat)",
        "503" => {
            "unavailable: the storage failed, so the credentials could not be checked; try again"
        }
        _ => "backend: the storage failed",
    }
}

fn schemas() -> Value {
    let id = json!({"type": "string", "format": "uuid"});
    let text = json!({"type": "string"});
    let object = json!({"type": "object", "additionalProperties": true});
    let report = json!({"type": "object", "properties": {
            "from": {"type": "string", "format": "date-time"}, "to": {"type": "string", "format": "date-time"},
            "group": {"type": "string", "enum": ["department", "agent", "customer", "type"]},
            "departments": {"type": "array", "nullable": true, "items": id},
            "rows": {"type": "array", "items": {"type": "object", "additionalProperties": true, "properties": {
                "key": text, "name": text, "opened": {"type": "integer"}, "closed": {"type": "integer"}, "backlog": {"type": "integer"},
                "first_response": object, "resolution": object, "sla": {"type": "array", "items": object},
                "reopened": {"type": "integer"}, "reopen_rate": {"type": "number", "nullable": true},
                "satisfaction_count": {"type": "integer"}, "satisfaction_average": {"type": "number", "nullable": true},
                "billable_minutes": {"type": "integer"}, "billable_hours": {"type": "number"}}}}}});
    json!({
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "string", "enum": ["validation", "unauthorized", "forbidden", "not_found", "conflict", "invalid_transition", "too_large", "too_many_attachments", "unsupported_content_type", "too_many_requests", "unsupported", "unavailable", "backend"]},
                "message": text, "field": text}}}},
        "Credentials": {"type": "object", "required": ["login", "password"], "properties": {"login": text, "password": text}},
        "TokenList": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "string", "description": "the SHA-256 of the secret, hex"}, "kind": {"type": "string", "enum": ["session", "api_token"]},
            "created_at": text, "expires_at": text, "last_used": text, "current": {"type": "boolean"}}}}}},
        "Token": {"type": "object", "properties": {"token": text, "token_type": text, "actor": schema_ref("Actor")}},
        "Actor": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["customer", "agent", "system"]}, "id": id}},
        "Me": {"type": "object", "properties": {"actor": schema_ref("Actor"), "login": text, "name": text, "language": {"type": "string", "enum": ["en", "ro", "ru", "fa"]}}},
        "Ticket": {"type": "object", "additionalProperties": true, "properties": {
            "id": id, "number": {"type": "object", "properties": {"full": text, "short": text}},
            "subject": text, "customer": id, "department": id, "assignee": id,
            "status": {"type": "string", "enum": ["new", "open", "pending_customer", "on_hold", "resolved", "closed:solved", "closed:unsolved", "closed:auto_closed", "closed:merged", "closed:duplicate"]},
            "priority": {"type": "string", "enum": ["low", "normal", "high", "urgent"]},
            "ticket_type": text, "internal": {"type": "boolean"}, "version": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
            "waiting_since": {"type": "string", "format": "date-time"}, "next_due_at": {"type": "string", "format": "date-time"}}},
        "TicketList": {"type": "object", "properties": {"items": {"type": "array", "items": schema_ref("Ticket")}, "next": {"type": "string", "format": "uuid", "nullable": true, "description": "pass as `after` for the next page"}}},
        "CreateTicket": {"type": "object", "required": ["subject", "body", "department"], "properties": {
            "subject": text, "body": text, "department": id, "customer": id,
            "priority": {"type": "string", "enum": ["low", "normal", "high", "urgent"]},
            "ticket_type": text, "categories": {"type": "array", "items": text}, "service": text,
            "internal": {"type": "boolean"}, "master": id, "channel": {"type": "string", "enum": ["web", "email", "phone", "chat", "internal"]},
            "files": {"type": "array", "items": {"type": "string", "format": "binary"}, "description": "multipart only"}}},
        "Message": {"type": "object", "additionalProperties": true, "properties": {
            "id": id, "ticket_id": id, "author": schema_ref("Actor"), "visibility": {"type": "string", "enum": ["public", "internal"]},
            "body": text, "attachments": {"type": "array", "items": {"type": "object", "properties": {
                "file_name": text, "display_name": text, "content_type": text, "size": {"type": "integer"}, "sha256": text}}}}},
        "MessageList": {"type": "object", "properties": {"items": {"type": "array", "items": schema_ref("Message")}}},
        "NewMessage": {"type": "object", "required": ["body"], "properties": {"body": text, "internal": {"type": "boolean"},
            "files": {"type": "array", "items": {"type": "string", "format": "binary"}, "description": "multipart only"}}},
        "Command": {"type": "object", "required": ["command"], "additionalProperties": true, "properties": {"command": {"type": "string", "enum": [
            "reply", "add_note", "assign", "change_priority", "move_to_department", "set_type", "set_categories", "set_service", "set_custom_fields",
            "ask_customer", "put_on_hold", "resolve", "confirm_resolution", "close", "reopen", "link_to_master", "merge_into",
            "rate_satisfaction", "request_priority", "decide_priority_request", "log_time"]}}},
        "Outcome": {"type": "object", "properties": {"outcome": {"type": "string", "enum": ["changed", "unchanged", "follow_up_opened"]}, "ticket": schema_ref("Ticket"), "closed": id}},
        "Assign": {"type": "object", "properties": {"agent": {"type": "string", "format": "uuid", "nullable": true}}},
        "SetPriority": {"type": "object", "required": ["priority"], "properties": {"priority": {"type": "string", "enum": ["low", "normal", "high", "urgent"]}}},
        "Access": {"type": "object", "required": ["enabled"], "properties": {"enabled": {"type": "boolean"}}},
        "NewArticle": {"type": "object", "required": ["title", "body", "category", "language"], "properties": {
            "title": text, "body": text, "category": text, "language": {"type": "string", "enum": ["en", "ro", "ru", "fa"]},
            "status": {"type": "string", "enum": ["draft", "published"]}, "visibility": {"type": "string", "enum": ["public", "internal"]}}},
        "NewDepartment": {"type": "object", "required": ["name"], "properties": {"name": text, "follow_up": {"type": "string"}}},
        "SetSignature": {"type": "object", "required": ["signature"], "properties": {"signature": text}},
        "Vote": {"type": "object", "required": ["helpful"], "properties": {"helpful": {"type": "boolean"}}},
        "Snooze": {"type": "object", "properties": {"until": {"type": "string", "format": "date-time"}, "minutes": {"type": "integer"}}},
        "Report": report,
        "List": {"type": "object", "properties": {"items": {"type": "array", "items": object}}},
        "Object": object,
        "Binary": {"type": "string", "format": "binary"},
    })
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
        let public = o.path == "/api/v1/auth/token";
        let mut errors: Vec<&str> = o.errors.to_vec();
        if !public {
            errors.push("401");
        }
        errors.push("500");
        if o.needs_ability() {
            errors.push("501");
        }
        for status in errors {
            responses.insert(
                status.to_owned(),
                json!({"description": error_description(status), "content": {"application/json": {"schema": schema_ref("Error")}}}),
            );
        }
        let params: Vec<Value> = o
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let mut operation = json!({
            "tags": [o.tag],
            "summary": o.summary,
            "operationId": format!("{}{}", o.method, o.path.replace(['/', '{', '}', '-'], "_")),
            "parameters": params,
            "responses": responses,
        });
        if public {
            operation["security"] = json!([]);
        }
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
            "schemas": with_chat_schemas(schemas()),
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

/// The live chat's routes (`api/chat.rs`); its WebSocket, `GET /chat/ws?chat=ID`, is outside
/// this document.
fn chat_operations() -> Vec<Op> {
    vec![
        op(
            "post",
            "/api/v1/chats",
            "chat",
            "A customer starts a chat in a department: its ticket (channel chat) and the assistant's knowledge-base suggestions; then talk through the WebSocket `/chat/ws?chat=ID`",
            Some("StartChat"),
            ("201", "ChatStarted"),
            WRITE,
        ),
        op(
            "get",
            "/api/v1/chats/{chat}",
            "chat",
            "A chat and where it stands (assistant, queued with its position, with an agent, ended)",
            None,
            ("200", "Object"),
            READ,
        ),
        op(
            "get",
            "/api/v1/chats/queue",
            "chat",
            "The waiting chats of a `department` (default: all the agent's), first in line first, with their waiting seconds",
            None,
            ("200", "List"),
            READ,
        ),
        op(
            "get",
            "/api/v1/agents/me/chats",
            "chat",
            "The chats the signed-in agent is in now",
            None,
            ("200", "List"),
            READ,
        ),
        op(
            "get",
            "/api/v1/agents/me/presence",
            "chat",
            "The signed-in agent's availability for chats",
            None,
            ("200", "Availability"),
            READ,
        ),
        op(
            "post",
            "/api/v1/agents/me/presence",
            "chat",
            "Online, away or offline, and how many chats at once (`max_chats`, at most 50); going online takes waiting chats",
            Some("SetPresence"),
            ("200", "Availability"),
            WRITE,
        ),
    ]
}

/// The schemas with the live chat's added.
fn with_chat_schemas(mut schemas: Value) -> Value {
    let id = json!({"type": "string", "format": "uuid"});
    let presence = json!({"type": "string", "enum": ["online", "away", "offline"]});
    schemas["StartChat"] = json!({"type": "object", "required": ["department", "text"], "properties": {
        "department": id, "text": {"type": "string"}}});
    schemas["ChatStarted"] = json!({"type": "object", "properties": {
        "chat": schema_ref("Object"), "ticket": schema_ref("Ticket"),
        "suggestions": {"type": "array", "items": schema_ref("Object")}, "place": schema_ref("Object")}});
    schemas["SetPresence"] = json!({"type": "object", "required": ["presence"], "properties": {
        "presence": presence, "max_chats": {"type": "integer", "minimum": 0, "maximum": 50}}});
    schemas["Availability"] = json!({"type": "object", "properties": {
        "agent": id, "presence": presence, "max_chats": {"type": "integer"},
        "active_chats": {"type": "integer"}, "last_assigned_at": {"type": "string", "format": "date-time"}}});
    schemas
}
