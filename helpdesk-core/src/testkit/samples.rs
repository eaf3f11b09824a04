//! Hand-made domain values for backend tests (feature `testkit`).
//!
//! Each builder comes in a plain form (only what the type requires, optional fields empty)
//! and, where a type has optional parts, a `full_` form with every optional field set to a
//! value that needs care when stored: text in the four languages, quotes and backslashes,
//! microsecond timestamps, extreme integers. Ids are fresh on every call; times are at or
//! after [`t0`]. Tests adjust single fields with struct update syntax:
//!
//! ```
//! use helpdesk_core::domain::{CustomerId, DepartmentId, Priority, Ticket};
//! use helpdesk_core::testkit::samples::{number, ticket};
//!
//! let urgent = Ticket {
//!     priority: Priority::Urgent,
//!     ..ticket(number(1), DepartmentId::new(), CustomerId::new())
//! };
//! assert_eq!(urgent.number.short(), "10000001");
//! ```

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::{
    Actor, Address, Agent, AgentId, Attachment, Category, Change, Channel, ContractNumber,
    CustomFields, Customer, CustomerId, CustomerKind, Department, DepartmentId, Email, EventId,
    FieldValue, Language, Message, MessageBody, MessageId, Minutes, Name, Phone, Priority,
    Resolution, Role, ServiceName, ShortNote, Signature, SlaClock, SlaOutcome, SlaTarget, Status,
    Subject, Ticket, TicketEvent, TicketId, TicketNumber, TicketType, TimeEntry, TimeEntryId,
    Timers, Version, Visibility, standard_permissions,
};
use crate::policy::{DateScheme, FollowUpPolicy, TicketNumberGenerator};

/// The fixed instant every sample is made at: 2026-01-05 09:00 UTC.
pub fn t0() -> DateTime<Utc> {
    "2026-01-05T09:00:00Z".parse().expect("a valid instant")
}

/// [`t0`] plus `seconds` (which may be negative).
pub fn at(seconds: i64) -> DateTime<Utc> {
    t0() + Duration::seconds(seconds)
}

/// A [`Name`]; panics if `s` is not a valid one.
pub fn name(s: &str) -> Name {
    Name::parse(s).unwrap()
}

/// An [`Email`]; panics if `s` is not a valid one.
pub fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

/// An active department named `n` whose closed tickets reopen on a reply.
pub fn department(n: &str) -> Department {
    Department {
        id: DepartmentId::new(),
        name: name(n),
        follow_up: FollowUpPolicy::Reopen,
        active: true,
        created_at: t0(),
    }
}

/// An inactive department named `n` that rejects follow-ups, made at a microsecond instant.
pub fn full_department(n: &str) -> Department {
    Department {
        follow_up: FollowUpPolicy::Reject,
        active: false,
        created_at: t0() + Duration::microseconds(7),
        ..department(n)
    }
}

/// An active agent with no signature and the standard permissions in each of `departments`.
pub fn agent(n: &str, mail: &str, departments: &[DepartmentId]) -> Agent {
    Agent {
        id: AgentId::new(),
        name: name(n),
        email: email(mail),
        role: Role::Agent,
        signature: Signature::parse("").unwrap(),
        active: true,
        departments: departments
            .iter()
            .map(|d| (*d, standard_permissions()))
            .collect(),
        created_at: t0(),
    }
}

/// An agent with a multi-line signature, the standard permissions in the first of
/// `departments` and an empty permission set in the others (membership without rights).
pub fn full_agent(n: &str, mail: &str, departments: &[DepartmentId]) -> Agent {
    Agent {
        signature: Signature::parse("--\nСлужба поддержки").unwrap(),
        departments: departments
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let perms = if i == 0 {
                    standard_permissions()
                } else {
                    BTreeSet::new()
                };
                (*d, perms)
            })
            .collect::<BTreeMap<_, _>>(),
        created_at: t0() + Duration::microseconds(1),
        ..agent(n, mail, &[])
    }
}

/// An individual customer with portal access and nothing optional but the email.
pub fn customer(n: &str, mail: Option<&str>) -> Customer {
    Customer {
        id: CustomerId::new(),
        kind: CustomerKind::Individual,
        name: name(n),
        email: mail.map(email),
        phone: None,
        contract_number: None,
        address: None,
        custom_fields: CustomFields::new(),
        language: None,
        access_enabled: true,
        organisation: None,
        created_at: t0(),
    }
}

/// An organisation with every optional field set: a Persian-digit phone, a multi-line
/// Russian address with a tab, [`every_field_value`], Persian as its language, portal access
/// off and a microsecond creation time.
pub fn full_customer(n: &str, mail: &str, contract: &str) -> Customer {
    Customer {
        kind: CustomerKind::Organisation,
        phone: Some(Phone::parse("+98 (۲۱) ۸۸۷۷-۶۶۵۵").unwrap()),
        contract_number: Some(ContractNumber::parse(contract).unwrap()),
        address: Some(Address::parse("ул. Ленина, 1\nкв. 2\tподъезд 3").unwrap()),
        custom_fields: every_field_value(),
        language: Some(Language::Persian),
        access_enabled: false,
        created_at: t0() + Duration::microseconds(123_457),
        ..customer(n, Some(mail))
    }
}

/// Custom fields of every value type, with text that needs care (quotes, RTL, emoji) and
/// extreme integers.
pub fn every_field_value() -> CustomFields {
    CustomFields::new()
        .with(
            "district",
            FieldValue::Text("Centrul \"A\" Центральный منطقه ۳ 🚀".into()),
        )
        .unwrap()
        .with("floor", FieldValue::Integer(i64::MIN))
        .unwrap()
        .with("seats", FieldValue::Integer(i64::MAX))
        .unwrap()
        .with("vip", FieldValue::Bool(true))
        .unwrap()
        .with(
            "since",
            FieldValue::Date(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()),
        )
        .unwrap()
}

/// The number the default date scheme gives `sequence` at [`t0`]: `2026010510` and the
/// sequence in six or more digits (short form `10` and the sequence).
pub fn number(sequence: u64) -> TicketNumber {
    DateScheme::default().generate(sequence, t0())
}

/// A new web ticket of `customer` in `department`, opened by the customer at [`t0`], with
/// nothing optional set.
pub fn ticket(number: TicketNumber, department: DepartmentId, customer: CustomerId) -> Ticket {
    Ticket {
        id: TicketId::new(),
        number,
        subject: Subject::parse("Нет интернета").unwrap(),
        customer: Some(customer),
        department,
        assignee: None,
        status: Status::New,
        priority: Priority::Normal,
        ticket_type: TicketType::Incident,
        categories: BTreeSet::new(),
        service: None,
        custom_fields: CustomFields::new(),
        channel: Channel::Web,
        internal: false,
        master: None,
        merged_into: None,
        follow_up_of: None,
        opened_by: Actor::Customer(customer),
        created_at: t0(),
        updated_at: t0(),
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        waiting_since: None,
        timers: Timers::default(),
        next_due_at: None,
        satisfaction: None,
        priority_request: None,
        tags: BTreeSet::new(),
        metrics: Default::default(),
        version: Version::FIRST,
    }
}

/// A ticket with every optional field set: a subject in three scripts with quotes and a
/// backslash, categories in three languages, a custom type, [`every_field_value`],
/// [`full_timers`], links to other tickets and microsecond timestamps.
pub fn full_ticket(
    number: TicketNumber,
    department: DepartmentId,
    customer: CustomerId,
    assignee: AgentId,
) -> Ticket {
    let at = t0() + Duration::microseconds(1);
    Ticket {
        subject: Subject::parse("سلام — «ошибка» \"quoted\" 'single' \\ back").unwrap(),
        assignee: Some(assignee),
        status: Status::Closed(Resolution::AutoClosed),
        priority: Priority::Urgent,
        ticket_type: TicketType::custom("billing-dispute_2").unwrap(),
        categories: ["network", "Сеть", "شبکه", "a b"]
            .into_iter()
            .map(|c| Category::parse(c).unwrap())
            .collect(),
        service: Some(ServiceName::parse("ADSL 100").unwrap()),
        tags: ["VIP", "Întârziere plată", "Сеть", "شبکه \"x\""]
            .into_iter()
            .map(|t| crate::domain::Tag::parse(t).unwrap())
            .collect(),
        custom_fields: every_field_value(),
        channel: Channel::Phone,
        internal: true,
        master: Some(TicketId::new()),
        merged_into: Some(TicketId::new()),
        follow_up_of: Some(TicketId::new()),
        opened_by: Actor::Agent(assignee),
        created_at: at,
        updated_at: at + Duration::days(400),
        first_response_at: Some(at + Duration::seconds(1)),
        resolved_at: Some(at + Duration::seconds(2)),
        closed_at: Some(at + Duration::seconds(3)),
        waiting_since: Some(at + Duration::seconds(4)),
        timers: full_timers(at),
        next_due_at: full_timers(at).next_due_at(),
        satisfaction: Some(crate::domain::Satisfaction {
            score: crate::domain::Rating::new(4).expect("a valid rating"),
            comment: Some(ShortNote::parse("Быстро, mulțumesc — خیلی خوب \"ok\"").expect("a note")),
            at: at + Duration::seconds(5),
        }),
        priority_request: Some(crate::domain::PriorityRequest {
            priority: Priority::Urgent,
            reason: ShortNote::parse("Офис стоит; biroul nu merge").expect("a note"),
            at: at + Duration::seconds(6),
        }),
        metrics: crate::domain::TicketMetrics {
            first_response_secs: Some(1),
            resolution_secs: Some(i64::from(i32::MAX) + 7),
            reopens: 3,
        },
        version: Version::new(41),
        ..ticket(number, department, customer)
    }
}

/// Timers with every field set, relative to `at`: three clocks (running, met, breached) with
/// microsecond parts and extreme counts, and a policy name that needs care.
pub fn full_timers(at: DateTime<Utc>) -> Timers {
    Timers {
        sla_policy: Some("Организации \"VIP\" ۲۴/۷".into()),
        clocks: vec![
            SlaClock {
                target: SlaTarget::FirstResponse,
                budget_secs: i64::MAX,
                spent_secs: i64::MIN,
                running_since: Some(at + Duration::microseconds(5)),
                due_at: Some(at + Duration::hours(1)),
                warn_at: Some(at + Duration::minutes(45) + Duration::microseconds(7)),
                warned: false,
                stopped: false,
                outcome: None,
            },
            SlaClock {
                target: SlaTarget::NextResponse,
                budget_secs: 0,
                spent_secs: 1,
                running_since: None,
                due_at: None,
                warn_at: None,
                warned: true,
                stopped: true,
                outcome: Some(SlaOutcome::Met),
            },
            SlaClock {
                target: SlaTarget::Resolution,
                budget_secs: 8 * 3600,
                spent_secs: 9 * 3600,
                running_since: None,
                due_at: Some(at - Duration::days(1)),
                warn_at: None,
                warned: true,
                stopped: true,
                outcome: Some(SlaOutcome::Breached),
            },
        ],
        pending_until: Some(at + Duration::days(2)),
        auto_close_at: Some(at + Duration::days(9)),
        auto_close_warn_at: Some(at + Duration::days(8) + Duration::microseconds(1)),
    }
}

/// A system email message on `ticket` without attachments, made at its last update.
pub fn message(ticket: &Ticket, text: &str, visibility: Visibility) -> Message {
    Message {
        id: MessageId::new(),
        ticket_id: ticket.id,
        author: Actor::System,
        visibility,
        channel: Channel::Email,
        body: MessageBody::parse(text).unwrap(),
        attachments: vec![],
        created_at: ticket.updated_at,
        origin: None,
    }
}

/// A message by `author` on `ticket` with an attachment (see [`attachment`]).
pub fn full_message(ticket: &Ticket, author: Actor, visibility: Visibility, text: &str) -> Message {
    Message {
        author,
        attachments: vec![attachment("скриншот.png")],
        ..message(ticket, text, visibility)
    }
}

/// A PNG attachment named `name` of one tebibyte.
pub fn attachment(name: &str) -> Attachment {
    Attachment::new(name, "image/png", 1 << 40, &"ab".repeat(32)).unwrap()
}

/// A system event on `ticket` at its last update.
pub fn event(ticket: &Ticket, change: Change) -> TicketEvent {
    TicketEvent {
        id: EventId::new(),
        ticket_id: ticket.id,
        actor: Actor::System,
        at: ticket.updated_at,
        change,
        origin: None,
    }
}

/// An event on `ticket` by `actor` (a person rather than the system).
pub fn full_event(ticket: &Ticket, actor: Actor, change: Change) -> TicketEvent {
    TicketEvent {
        actor,
        ..event(ticket, change)
    }
}

/// `minutes` of work by `agent` on `ticket` at its last update, with a two-line Russian note.
pub fn time_entry(ticket: &Ticket, agent: AgentId, minutes: u32, billable: bool) -> TimeEntry {
    TimeEntry {
        id: TimeEntryId::new(),
        ticket_id: ticket.id,
        agent,
        minutes: Minutes::new(minutes).unwrap(),
        billable,
        note: ShortNote::parse("Настроил роутер\nи проверил").unwrap(),
        note_visible_to_customer: false,
        created_at: ticket.updated_at,
    }
}

/// Like [`time_entry`], with the note given (which may be empty).
pub fn full_time_entry(
    ticket: &Ticket,
    agent: AgentId,
    minutes: u32,
    billable: bool,
    note: &str,
) -> TimeEntry {
    TimeEntry {
        note: ShortNote::parse(note).unwrap(),
        ..time_entry(ticket, agent, minutes, billable)
    }
}
