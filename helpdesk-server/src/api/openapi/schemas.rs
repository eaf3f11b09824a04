//! The schemas of the document's bodies and answers.

use serde_json::{Value, json};

/// A reference to the schema `name`.
pub(super) fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// `schema` that may also be null.
fn nullable(schema: &Value) -> Value {
    let mut schema = schema.clone();
    schema["nullable"] = json!(true);
    schema
}

/// Every schema, the live chat's included.
pub(super) fn schemas() -> Value {
    with_chat_schemas(base_schemas())
}

/// The schemas but the live chat's.
fn base_schemas() -> Value {
    let id = json!({"type": "string", "format": "uuid"});
    let text = json!({"type": "string"});
    let object = json!({"type": "object", "additionalProperties": true});
    let priority = json!({"type": "string", "enum": ["low", "normal", "high", "urgent"]});
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
            "created_at": text, "expires_at": text, "last_used": nullable(&text), "current": {"type": "boolean"}}}}}},
        "Token": {"type": "object", "properties": {"token": text, "token_type": text, "actor": schema_ref("Actor")}},
        "Actor": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["customer", "agent", "system"]}, "id": id}},
        "Me": {"type": "object", "properties": {"actor": schema_ref("Actor"), "login": nullable(&text), "name": text, "language": {"type": "string", "enum": ["en", "ro", "ru", "fa"]}}},
        "Ticket": {"type": "object", "additionalProperties": true, "properties": {
            "id": id, "number": {"type": "object", "properties": {"full": text, "short": text}},
            "subject": text, "customer": nullable(&id), "department": id, "assignee": nullable(&id),
            "status": {"type": "string", "enum": ["new", "open", "pending_customer", "on_hold", "resolved", "closed:solved", "closed:unsolved", "closed:auto_closed", "closed:merged", "closed:duplicate"]},
            "priority": {"type": "string", "enum": ["low", "normal", "high", "urgent"]},
            "ticket_type": text, "internal": {"type": "boolean"}, "version": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
            "waiting_since": {"type": "string", "format": "date-time", "nullable": true},
            "next_due_at": {"type": "string", "format": "date-time", "nullable": true}}},
        "OpenedTicket": {"allOf": [schema_ref("Ticket"), {"type": "object", "required": ["notices"], "properties": {
            "notices": {"type": "array", "items": schema_ref("Notice"), "description": "empty when everything is as asked"}}}]},
        "Notice": {"type": "object", "required": ["kind", "message"], "properties": {
            "kind": {"type": "string", "enum": ["priority_adjusted"]},
            "asked": priority.clone(), "applied": priority.clone(),
            "reason": {"type": "object", "required": ["kind"], "properties": {
                "kind": {"type": "string", "enum": ["above_cap", "desk_rule"]},
                "cap": priority.clone(),
                "customer_kind": {"type": "string", "enum": ["individual", "organisation"], "nullable": true}}},
            "message": {"type": "string", "description": "what was done otherwise than asked, and why, in English"}}},
        "PriorityList": {"type": "object", "properties": {"items": {"type": "array", "items": priority.clone()}}},
        "TicketList": {"type": "object", "required": ["items", "next", "changed", "total"], "properties": {
            "items": {"type": "array", "items": schema_ref("Ticket")},
            "next": {"type": "string", "nullable": true, "description": "an opaque cursor: pass it as `after` for the next page; null on the last page"},
            "changed": {"allOf": [schema_ref("ChangedTickets")], "nullable": true, "description": "on a page after the first: the tickets that changed since the pass began, which its later pages leave out; null on a first page"},
            "total": {"type": "integer", "format": "int64", "minimum": 0, "nullable": true, "description": "how many tickets match the filter now, of those the caller may see; null for a search (`q`)"}}},
        "ChangedTickets": {"type": "object", "required": ["since", "tickets", "more"], "properties": {
            "since": {"type": "string", "format": "date-time", "description": "when the pass began, less 10 seconds: these tickets were last changed at or after it"},
            "tickets": {"type": "array", "items": id.clone(), "description": "their ids, the most recently changed first, at most 50; a new first page in last_update order lists them first"},
            "more": {"type": "boolean", "description": "whether more changed than `tickets` names"}}},
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
            "rate_satisfaction", "request_priority", "decide_priority_request", "log_time"]},
            "minutes": {"type": "integer", "minimum": 1, "maximum": 1440, "description": "log_time: how long"},
            "billable": {"type": "boolean", "description": "log_time: whether the customer is billed; customers see their tickets' billable entries"},
            "note": {"type": "string", "description": "log_time: what was done"},
            "note_visible_to_customer": {"type": "boolean", "default": false, "description": "log_time: whether the customer may read the note on a billable entry; hidden unless true"}}},
        "TimeEntry": {"type": "object", "properties": {
            "id": id, "ticket_id": id, "agent": id, "minutes": {"type": "integer"}, "billable": {"type": "boolean"},
            "note": {"type": "string", "description": "empty for a customer unless note_visible_to_customer"},
            "note_visible_to_customer": {"type": "boolean", "description": "whether the customer may read the note (false: hidden, the default)"},
            "created_at": {"type": "string", "format": "date-time"}}},
        "TimeEntryList": {"type": "object", "properties": {"items": {"type": "array", "items": schema_ref("TimeEntry")}}},
        "Outcome": {"type": "object", "properties": {"outcome": {"type": "string", "enum": ["changed", "unchanged", "follow_up_opened"]}, "ticket": schema_ref("Ticket"), "closed": id}},
        "Assign": {"type": "object", "properties": {"agent": {"type": "string", "format": "uuid", "nullable": true}}},
        "SetPriority": {"type": "object", "required": ["priority"], "properties": {"priority": {"type": "string", "enum": ["low", "normal", "high", "urgent"]}}},
        "Access": {"type": "object", "required": ["enabled"], "properties": {"enabled": {"type": "boolean"}}},
        "NewArticle": {"type": "object", "required": ["title", "body", "category", "language"], "properties": {
            "title": text, "body": text, "category": text, "language": {"type": "string", "enum": ["en", "ro", "ru", "fa"]},
            "status": {"type": "string", "enum": ["draft", "published"]}, "visibility": {"type": "string", "enum": ["public", "internal"]}}},
        "NewDepartment": {"type": "object", "required": ["name"], "properties": {"name": text, "follow_up": {"type": "string"}}},
        "Settings": {"type": "object", "additionalProperties": false, "properties": {
            "public_url": {"type": "string", "nullable": true, "description": "an absolute http(s) URL without query or fragment, stored normalised with a trailing slash; typed without a scheme it gets https; links are `<public_url>tickets/<short number>`"}}},
        "SetSignature": {"type": "object", "required": ["signature"], "properties": {"signature": text}},
        "Vote": {"type": "object", "required": ["helpful"], "properties": {"helpful": {"type": "boolean", "description": "true: it helped; false: it did not. One vote per person per article: a second vote replaces the first"}}},
        "MyVote": {"type": "object", "properties": {"article": id, "helpful": {"type": "boolean", "nullable": true, "description": "the person's answer; null when they have not voted"}}},
        "Snooze": {"type": "object", "properties": {"until": {"type": "string", "format": "date-time"}, "minutes": {"type": "integer"}}},
        "Report": report,
        "List": {"type": "object", "properties": {"items": {"type": "array", "items": object}}},
        "Object": object,
        "Binary": {"type": "string", "format": "binary"},
    })
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
