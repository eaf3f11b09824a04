//! Snapshots of rendered output: a ticket's history as text, and the JSON form of the main
//! types (the shape API clients and stored JSON columns rely on).

use std::collections::BTreeSet;
use std::sync::Arc;

use helpdesk_core::domain::*;
use helpdesk_core::machine::Command;
use helpdesk_core::store::MemoryStore;
use helpdesk_core::testkit::{Fixture, body};
use uuid::Uuid;

#[tokio::test]
async fn a_tickets_history_renders_in_english_and_russian() {
    let f = Fixture::new(Arc::new(MemoryStore::new())).await;
    let t = f.open(&f.ana, "Internetul nu funcționează").await;
    let (ivan, boss) = (Actor::Agent(f.ivan.id), Actor::Agent(f.boss.id));
    let steps = [
        (
            boss,
            Command::Assign {
                agent: Some(f.ivan.id),
            },
        ),
        (
            ivan,
            Command::AddNote {
                body: body("line test: ok"),
                attachments: vec![],
            },
        ),
        (
            ivan,
            Command::AskCustomer {
                body: body("Ce culoare are LED-ul?"),
                until: None,
            },
        ),
        (
            Actor::Customer(f.ana.id),
            Command::Reply {
                body: body("Roșu"),
                attachments: vec![],
            },
        ),
        (
            ivan,
            Command::SetCategories {
                categories: [Category::parse("router").unwrap()].into_iter().collect(),
            },
        ),
        (
            ivan,
            Command::LogTime {
                minutes: Minutes::new(20).unwrap(),
                billable: true,
                note: ShortNote::parse("remote diagnosis").unwrap(),
                note_visible_to_customer: false,
            },
        ),
        (
            ivan,
            Command::Resolve {
                body: Some(body("Am înlocuit routerul.")),
            },
        ),
        (Actor::Customer(f.ana.id), Command::ConfirmResolution),
    ];
    for (actor, command) in steps {
        f.desk
            .acting_as(actor)
            .await
            .unwrap()
            .execute(t.id, command)
            .await
            .unwrap();
        f.tick(600);
    }
    let agent_view = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .history_text(t.id, Language::English)
        .await
        .unwrap();
    insta::assert_snapshot!("history_agent_en", agent_view);
    let customer_view = f
        .desk
        .acting_as(Actor::Customer(f.ana.id))
        .await
        .unwrap()
        .history_text(t.id, Language::Russian)
        .await
        .unwrap();
    insta::assert_snapshot!("history_customer_ru", customer_view);
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

#[test]
fn main_types_serialize_to_stable_json() {
    let ticket = Ticket {
        id: TicketId::from_uuid(id(1)),
        number: TicketNumber::new("2026010510000001", "10000001").unwrap(),
        subject: Subject::parse("تلفن کار نمی‌کند").unwrap(),
        customer: Some(CustomerId::from_uuid(id(2))),
        department: DepartmentId::from_uuid(id(3)),
        assignee: Some(AgentId::from_uuid(id(4))),
        status: Status::Closed(Resolution::Solved),
        priority: Priority::High,
        ticket_type: TicketType::custom("line-down").unwrap(),
        categories: [Category::parse("phone").unwrap()]
            .into_iter()
            .collect::<BTreeSet<_>>(),
        service: Some(ServiceName::parse("Home phone").unwrap()),
        tags: [helpdesk_core::domain::Tag::parse("Линия  отключена").unwrap()]
            .into_iter()
            .collect(),
        custom_fields: CustomFields::new()
            .with("district", FieldValue::Text("Кольцевая".into()))
            .unwrap()
            .with("callback_verified", FieldValue::Bool(true))
            .unwrap(),
        channel: Channel::Phone,
        internal: false,
        master: Some(TicketId::from_uuid(id(5))),
        merged_into: None,
        follow_up_of: None,
        opened_by: Actor::Agent(AgentId::from_uuid(id(4))),
        created_at: at("2026-01-05T09:00:00Z"),
        updated_at: at("2026-01-05T10:30:00.123456Z"),
        first_response_at: Some(at("2026-01-05T09:10:00Z")),
        resolved_at: Some(at("2026-01-05T10:00:00Z")),
        closed_at: Some(at("2026-01-05T10:30:00.123456Z")),
        waiting_since: None,
        timers: Timers {
            sla_policy: Some("organisations".into()),
            clocks: vec![SlaClock {
                target: SlaTarget::Resolution,
                budget_secs: 8 * 3600,
                spent_secs: 3 * 3600,
                running_since: None,
                due_at: None,
                warn_at: None,
                warned: false,
                stopped: true,
                outcome: Some(SlaOutcome::Met),
            }],
            ..Timers::default()
        },
        next_due_at: None,
        satisfaction: Some(Satisfaction {
            score: Rating::new(5).unwrap(),
            comment: Some(ShortNote::parse("Спасибо, всё работает").unwrap()),
            at: at("2026-01-05T10:40:00Z"),
        }),
        priority_request: None,
        metrics: helpdesk_core::domain::TicketMetrics {
            first_response_secs: Some(1800),
            resolution_secs: Some(27_000),
            reopens: 1,
        },
        version: Version::new(7),
    };
    insta::assert_json_snapshot!("ticket_json", ticket);
    let back: Ticket = serde_json::from_value(serde_json::to_value(&ticket).unwrap()).unwrap();
    assert_eq!(back, ticket);

    let message = Message {
        id: MessageId::from_uuid(id(10)),
        ticket_id: ticket.id,
        author: Actor::Customer(CustomerId::from_uuid(id(2))),
        visibility: Visibility::Public,
        channel: Channel::Email,
        body: MessageBody::parse("Salut,\nnu merge.").unwrap(),
        attachments: vec![
            Attachment::new("ecran.png", "image/png", 2048, &"ab".repeat(32)).unwrap(),
        ],
        created_at: at("2026-01-05T09:00:00Z"),
        origin: None,
    };
    insta::assert_json_snapshot!("message_json", message);

    let event = TicketEvent {
        id: EventId::from_uuid(id(20)),
        ticket_id: ticket.id,
        actor: Actor::System,
        at: at("2026-01-05T10:30:00Z"),
        change: Change::StatusChanged {
            from: Status::Resolved,
            to: Status::Closed(Resolution::AutoClosed),
        },
        origin: None,
    };
    insta::assert_json_snapshot!("event_json", event);

    let customer = Customer {
        id: CustomerId::from_uuid(id(2)),
        kind: CustomerKind::Organisation,
        name: Name::parse("ООО Кольцо").unwrap(),
        email: Some(Email::parse("it@koltso.example").unwrap()),
        phone: Some(Phone::parse("+7 (495) 123-45-67").unwrap()),
        contract_number: Some(ContractNumber::parse("D-2013/0416").unwrap()),
        address: Some(Address::parse("ул. Кольцевая, д. 14, кв. 15").unwrap()),
        custom_fields: CustomFields::new(),
        language: Some(Language::Russian),
        access_enabled: true,
        organisation: None,
        created_at: at("2026-01-01T00:00:00Z"),
    };
    insta::assert_json_snapshot!("customer_json", customer);
}
