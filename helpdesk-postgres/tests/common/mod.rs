//! Builders shared by the integration tests: domain values made directly (every field set
//! on purpose), and a PostgreSQL store next to the in-memory reference.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use helpdesk_core::Error;
use helpdesk_core::domain::{
    Actor, Address, Agent, AgentId, Attachment, Category, Change, Channel, ContractNumber,
    CustomFields, Customer, CustomerId, CustomerKind, Department, DepartmentId, Email, EventId,
    FieldValue, Language, Message, MessageBody, MessageId, Minutes, Name, Permission, Phone,
    Priority, Role, ServiceName, ShortNote, Signature, SlaClock, SlaOutcome, SlaTarget, Status,
    Subject, Ticket, TicketEvent, TicketId, TicketNumber, TicketType, TimeEntry, TimeEntryId,
    Timers, Version, Visibility, standard_permissions,
};
use helpdesk_core::error::ConflictKind;
use helpdesk_core::policy::{DateScheme, FollowUpPolicy, TicketNumberGenerator};
use helpdesk_core::store::{Store, TicketWrite};

/// 2026-01-05 09:00 UTC.
pub fn t0() -> DateTime<Utc> {
    "2026-01-05T09:00:00Z".parse().unwrap()
}

pub fn name(s: &str) -> Name {
    Name::parse(s).unwrap()
}

pub fn department(n: &str) -> Department {
    Department {
        id: DepartmentId::new(),
        name: name(n),
        follow_up: FollowUpPolicy::Reopen,
        active: true,
        created_at: t0(),
    }
}

pub fn agent(n: &str, email: &str, departments: &[DepartmentId]) -> Agent {
    Agent {
        id: AgentId::new(),
        name: name(n),
        email: Email::parse(email).unwrap(),
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

pub fn customer(n: &str, email: Option<&str>) -> Customer {
    Customer {
        id: CustomerId::new(),
        kind: CustomerKind::Individual,
        name: name(n),
        email: email.map(|e| Email::parse(e).unwrap()),
        phone: None,
        contract_number: None,
        address: None,
        custom_fields: CustomFields::new(),
        language: None,
        access_enabled: true,
        created_at: t0(),
    }
}

/// A customer with every optional field set.
pub fn full_customer() -> Customer {
    Customer {
        id: CustomerId::new(),
        kind: CustomerKind::Organisation,
        name: name("ООО «Ромашка»"),
        email: Some(Email::parse("Office@Romashka.Example").unwrap()),
        phone: Some(Phone::parse("+98 (۲۱) ۸۸۷۷-۶۶۵۵").unwrap()),
        contract_number: Some(ContractNumber::parse("D-2013/0416").unwrap()),
        address: Some(Address::parse("ул. Ленина, 1\nкв. 2\tподъезд 3").unwrap()),
        custom_fields: every_field_value(),
        language: Some(Language::Persian),
        access_enabled: false,
        created_at: t0() + Duration::microseconds(123_457),
    }
}

/// Custom fields of every value type, with text that needs care (quotes, RTL, emoji).
pub fn every_field_value() -> CustomFields {
    CustomFields::new()
        .with(
            "district",
            FieldValue::Text("Центральный \"A\" منطقه ۳ 🚀".into()),
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
            FieldValue::Date(NaiveDate::from_ymd_opt(1999, 12, 31).unwrap()),
        )
        .unwrap()
}

/// The number the default date scheme gives `sequence` at [`t0`].
pub fn number(sequence: u64) -> TicketNumber {
    DateScheme::default().generate(sequence, t0())
}

/// A plain new ticket.
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
        version: Version::FIRST,
    }
}

/// A ticket with every optional field set.
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
        status: Status::Closed(helpdesk_core::domain::Resolution::AutoClosed),
        priority: Priority::Urgent,
        ticket_type: TicketType::custom("billing-dispute_2").unwrap(),
        categories: ["network", "Сеть", "شبکه", "a b"]
            .into_iter()
            .map(|c| Category::parse(c).unwrap())
            .collect(),
        service: Some(ServiceName::parse("ADSL 100").unwrap()),
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
        timers: every_timer(at),
        next_due_at: every_timer(at).next_due_at(),
        version: Version::new(41),
        ..ticket(number, department, customer)
    }
}

/// Timers with every field set (microsecond parts, extreme counts, text that needs care).
pub fn every_timer(at: DateTime<Utc>) -> Timers {
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
    }
}

pub fn attachment(name: &str) -> Attachment {
    Attachment::new(name, "image/png", 1 << 40, &"ab".repeat(32)).unwrap()
}

pub fn event(ticket: &Ticket, change: Change) -> TicketEvent {
    TicketEvent {
        id: EventId::new(),
        ticket_id: ticket.id,
        actor: Actor::System,
        at: ticket.updated_at,
        change,
    }
}

pub fn created(ticket: &Ticket) -> Change {
    Change::Created {
        subject: ticket.subject.clone(),
        department: ticket.department,
        status: ticket.status,
        priority: ticket.priority,
        ticket_type: ticket.ticket_type.clone(),
        channel: ticket.channel,
        internal: ticket.internal,
        follow_up_of: ticket.follow_up_of,
    }
}

pub fn time_entry(ticket: &Ticket, agent: AgentId, minutes: u32, billable: bool) -> TimeEntry {
    TimeEntry {
        id: TimeEntryId::new(),
        ticket_id: ticket.id,
        agent,
        minutes: Minutes::new(minutes).unwrap(),
        billable,
        note: ShortNote::parse("Настроил роутер\nи проверил").unwrap(),
        created_at: ticket.updated_at,
    }
}

/// A write creating `ticket` with its first message and `Created` event.
pub fn create(ticket: &Ticket) -> TicketWrite {
    TicketWrite::create(ticket.clone())
        .with_message(message(ticket, "Первое сообщение", Visibility::Public))
        .with_event(event(ticket, created(ticket)))
}

/// `ticket` one version on, at `at`, with `change` applied.
pub fn changed(ticket: &Ticket, at: DateTime<Utc>, change: impl FnOnce(&mut Ticket)) -> Ticket {
    let mut next = ticket.clone();
    next.version = ticket.version.next();
    next.updated_at = at;
    change(&mut next);
    next
}

/// A comparable summary of an error: its code, and the conflict's details.
pub fn describe(e: &Error) -> String {
    match e {
        Error::Conflict {
            entity,
            kind: ConflictKind::Duplicate { field },
        } => format!("duplicate {entity} {field}"),
        Error::Conflict {
            entity,
            kind: ConflictKind::StaleVersion { expected, actual },
        } => format!("stale {entity} {expected} {actual}"),
        Error::NotFound { entity, key } => format!("not found {entity} {key}"),
        Error::Validation(v) => format!("invalid {}", v.field()),
        other => format!("{}: {other}", other.code()),
    }
}

/// The outcome of a call on both stores, which must agree.
pub fn same_outcome<T: std::fmt::Debug + PartialEq>(
    got: helpdesk_core::Result<T>,
    want: helpdesk_core::Result<T>,
) -> helpdesk_core::Result<T> {
    match (&got, &want) {
        (Ok(g), Ok(w)) => assert_eq!(g, w),
        (Err(g), Err(w)) => assert_eq!(describe(g), describe(w)),
        _ => panic!("PostgreSQL gave {got:?}, the reference {want:?}"),
    }
    got
}

/// Everything the store holds about a ticket.
pub async fn snapshot(
    store: &dyn Store,
    id: TicketId,
) -> (
    Option<Ticket>,
    Vec<Message>,
    Vec<TicketEvent>,
    Vec<TimeEntry>,
) {
    (
        store.ticket(id).await.unwrap(),
        store.messages(id, true).await.unwrap(),
        store.history(id).await.unwrap(),
        store.time_entries(id).await.unwrap(),
    )
}

/// Every permission in every department, for agents that need them.
pub fn all_permissions(
    departments: &[DepartmentId],
) -> BTreeMap<DepartmentId, BTreeSet<Permission>> {
    departments
        .iter()
        .map(|d| (*d, Permission::ALL.into_iter().collect()))
        .collect()
}
