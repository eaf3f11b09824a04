//! The admin surface's operations (`api/admin/`): the directory, templates and canned
//! responses, and the settings kept in the store.

use super::{Op, READ, WRITE, op};

/// The admin routes (`api/admin/directory.rs` and `api/admin/levels.rs`).
pub(super) fn admin_operations() -> Vec<Op> {
    let mut ops = directory_operations();
    ops.extend(settings_operations());
    ops
}

fn directory_operations() -> Vec<Op> {
    vec![
        op(
            "put",
            "/api/v1/departments/{department}",
            "directory",
            "Rename a department, change its follow-up policy (`follow_up`) or (de)activate it (`active`); fields left out stay (admins)",
            Some("Object"),
            ("200", "Object"),
            WRITE,
        ),
        op(
            "post",
            "/api/v1/agents",
            "directory",
            "Add an agent: `name`, `email`, `role` (agent, supervisor, admin), `departments` (ids, with the standard permissions), and optionally a `login` {login, password} (admins)",
            Some("Object"),
            ("201", "Object"),
            WRITE,
        ),
        op(
            "put",
            "/api/v1/agents/{agent}",
            "directory",
            "Change an agent's `role`, `departments` or `active`; deactivating revokes their sessions and tokens (admins)",
            Some("Object"),
            ("200", "Object"),
            WRITE,
        ),
        op(
            "put",
            "/api/v1/agents/{agent}/login",
            "directory",
            "Set an agent's `login` and `password` (admins, or the agent themselves: a password change)",
            Some("Object"),
            ("200", "Object"),
            WRITE,
        ),
        op(
            "post",
            "/api/v1/customers",
            "directory",
            "Add a customer: `kind` (individual, organisation), `name`, and optionally `email`, `phone`, `contract_number`, `address`, `language` (staff)",
            Some("Object"),
            ("201", "Object"),
            WRITE,
        ),
        op(
            "put",
            "/api/v1/customers/{customer}/login",
            "directory",
            "Set a customer's `login` and `password` (admins, or the customer themselves)",
            Some("Object"),
            ("200", "Object"),
            WRITE,
        ),
        op(
            "get",
            "/api/v1/templates",
            "templates",
            "The ticket templates",
            None,
            ("200", "List"),
            READ,
        ),
        op(
            "post",
            "/api/v1/templates",
            "templates",
            "Add a ticket template: `name`, `department`, `ticket_type`, `subject_prefix`, `priority`, `required_fields`, `body` (admins)",
            Some("Object"),
            ("201", "Object"),
            WRITE,
        ),
        op(
            "get",
            "/api/v1/canned-responses",
            "templates",
            "The canned responses of a `department` (its own and the general ones) in a `language` (staff)",
            None,
            ("200", "List"),
            READ,
        ),
        op(
            "post",
            "/api/v1/canned-responses",
            "templates",
            "Add a canned response: `name`, `language`, `department` (none: every one), `body` with placeholders (staff)",
            Some("Object"),
            ("201", "Object"),
            WRITE,
        ),
    ]
}

fn settings_operations() -> Vec<Op> {
    vec![
        op(
            "get",
            "/api/v1/settings/service-levels",
            "settings",
            "The stored service levels: calendars, the calendar of each department, SLA policies (admins)",
            None,
            ("200", "Object"),
            &["403"],
        ),
        op(
            "put",
            "/api/v1/settings/calendars/{name}",
            "settings",
            "Add or replace a business-hours calendar: `zone` (IANA), `hours` (\"mon-fri 09:00-18:00\"), `holidays` (YYYY-MM-DD), `yearly_holidays` (MM-DD) (admins)",
            Some("Object"),
            ("200", "Object"),
            &["400", "403"],
        ),
        op(
            "delete",
            "/api/v1/settings/calendars/{name}",
            "settings",
            "Remove a calendar nothing uses (admins)",
            None,
            ("200", "Object"),
            &["400", "403"],
        ),
        op(
            "put",
            "/api/v1/settings/default-calendar",
            "settings",
            "The `calendar` of departments without their own, or null for around the clock (admins)",
            Some("Object"),
            ("200", "Object"),
            &["400", "403"],
        ),
        op(
            "put",
            "/api/v1/settings/departments/{department}/calendar",
            "settings",
            "The `calendar` a department works on, or null for the default (admins)",
            Some("Object"),
            ("200", "Object"),
            &["400", "403", "404"],
        ),
        op(
            "put",
            "/api/v1/settings/sla-policies/{name}",
            "settings",
            "Add an SLA policy after the others, or replace the one of that name: match rule (`priorities`, `departments`, `ticket_types`, `customer_kinds`), targets in business minutes (`first_response_minutes`, `next_response_minutes`, `resolution_minutes`), `calendar`, `warn_percent` (admins)",
            Some("Object"),
            ("200", "Object"),
            &["400", "403", "404"],
        ),
        op(
            "delete",
            "/api/v1/settings/sla-policies/{name}",
            "settings",
            "Remove an SLA policy (admins)",
            None,
            ("200", "Object"),
            &["400", "403"],
        ),
        op(
            "get",
            "/api/v1/settings/attachment-limits",
            "settings",
            "The stored attachment limits: the `default` and each department's (admins)",
            None,
            ("200", "Object"),
            &["403"],
        ),
        op(
            "put",
            "/api/v1/settings/attachment-limits",
            "settings",
            "Set a `department`'s `limits` (the default's without a department; null limits remove them): `max_size`, `max_count`, `max_per_ticket`, `allowed_types` (admins)",
            Some("Object"),
            ("200", "Object"),
            &["400", "403", "404"],
        ),
        op(
            "get",
            "/api/v1/settings/audit",
            "settings",
            "The audit trail of settings changes, newest first, at most `limit` (1–500, default 50): who, when, before and after (admins)",
            None,
            ("200", "List"),
            &["400", "403"],
        ),
    ]
}
