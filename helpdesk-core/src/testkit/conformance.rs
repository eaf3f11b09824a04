//! The conformance checks. Each takes a fresh, empty store and panics on a violation.
#![allow(missing_docs)]

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use super::{Fixture, body};
use crate::domain::{
    Actor, Category, Change, CustomFields, FieldValue, Message, Minutes, Priority, Resolution,
    ShortNote, Status, Ticket, TicketKey, TicketType, Version, Visibility,
};
use crate::error::{ConflictKind, Error, ForbiddenReason, ValidationError};
use crate::machine::Command;
use crate::service::{ExecOptions, Outcome};
use crate::store::{
    AssigneeFilter, MemoryStore, PageRequest, Store, TicketFilter, TicketOrder, TicketWrite,
    WriteBatch,
};

fn reply(text: &str) -> Command {
    Command::Reply {
        body: body(text),
        attachments: vec![],
    }
}

fn note(text: &str) -> Command {
    Command::AddNote {
        body: body(text),
        attachments: vec![],
    }
}

fn changed(outcome: Outcome) -> Ticket {
    match outcome {
        Outcome::Changed(t) => t,
        other => panic!("expected a change, got {other:?}"),
    }
}

/// Everything a store holds about a ticket, for "nothing changed" comparisons.
async fn snapshot(store: &dyn Store, ticket: &Ticket) -> (Ticket, Vec<Message>, usize, usize) {
    (
        store.ticket(ticket.id).await.unwrap().unwrap(),
        store.messages(ticket.id, true).await.unwrap(),
        store.history(ticket.id).await.unwrap().len(),
        store.time_entries(ticket.id).await.unwrap().len(),
    )
}

pub async fn directory_round_trips(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let names: Vec<_> = store
        .departments()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name.to_string())
        .collect();
    assert_eq!(names, ["Billing", "Sales", "Support"]);
    assert_eq!(
        store.department(f.support.id).await.unwrap().unwrap(),
        f.support
    );
    for agent in [&f.admin, &f.ivan, &f.maria, &f.boss] {
        assert_eq!(store.agent(agent.id).await.unwrap().as_ref(), Some(agent));
    }
    assert_eq!(store.agents().await.unwrap().len(), 4);
    for customer in [&f.ana, &f.acme, &f.reza] {
        assert_eq!(
            store.customer(customer.id).await.unwrap().as_ref(),
            Some(customer)
        );
    }
    let by_email = store
        .customer_by_email(f.ana.email.as_ref().unwrap())
        .await
        .unwrap();
    assert_eq!(by_email.as_ref(), Some(&f.ana));
    // Updates replace the record.
    let ana = f
        .desk
        .acting_as(Actor::Agent(f.admin.id))
        .await
        .unwrap()
        .set_customer_access(f.ana.id, false)
        .await
        .unwrap();
    assert_eq!(store.customer(f.ana.id).await.unwrap(), Some(ana));
}

pub async fn unique_emails_and_contract_numbers_conflict(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mut twin = f.ana.clone();
    twin.id = crate::domain::CustomerId::new();
    let err = store.put_customer(&twin).await.unwrap_err();
    assert!(
        matches!(&err, Error::Conflict { kind: ConflictKind::Duplicate { field }, .. } if field == "email"),
        "{err:?}"
    );
    let mut agent = f.ivan.clone();
    agent.id = crate::domain::AgentId::new();
    let err = store.put_agent(&agent).await.unwrap_err();
    assert!(
        matches!(&err, Error::Conflict { kind: ConflictKind::Duplicate { field }, .. } if field == "email")
    );
    let contract = crate::domain::ContractNumber::parse("D-2013/0416").unwrap();
    let mut a = f.acme.clone();
    a.contract_number = Some(contract.clone());
    store.put_customer(&a).await.unwrap();
    let mut r = f.reza.clone();
    r.contract_number = Some(contract);
    let err = store.put_customer(&r).await.unwrap_err();
    assert!(
        matches!(&err, Error::Conflict { kind: ConflictKind::Duplicate { field }, .. } if field == "contract_number")
    );
    assert_eq!(store.customer(f.reza.id).await.unwrap().unwrap(), f.reza);
}

pub async fn ticket_numbers_are_unique_under_concurrent_creation(store: Arc<dyn Store>) {
    let f = Arc::new(Fixture::new(store.clone()).await);
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let f = f.clone();
            tokio::spawn(async move {
                let new = f.new_ticket(&f.support, &format!("Concurrent {i}"));
                f.desk
                    .acting_as(Actor::Customer(f.ana.id))
                    .await
                    .unwrap()
                    .open_ticket(new)
                    .await
            })
        })
        .collect();
    let mut full = HashSet::new();
    let mut short = HashSet::new();
    for task in tasks {
        let t = task.await.unwrap().unwrap();
        assert!(full.insert(t.number.full().to_owned()));
        assert!(short.insert(t.number.short().to_owned()));
    }
    assert_eq!(full.len(), 16);
    let listed = store
        .list_tickets(
            &TicketFilter::default(),
            &PageRequest::first(TicketOrder::LastUpdate, 100),
        )
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 16);
}

pub async fn tickets_are_found_by_full_short_and_persian_numbers(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.reza, "اینترنت قطع است").await;
    let persian: String = t
        .number
        .short()
        .chars()
        .map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap()).unwrap())
        .collect();
    let reza = f.desk.acting_as(Actor::Customer(f.reza.id)).await.unwrap();
    for typed in [
        t.number.full().to_owned(),
        t.number.short().to_owned(),
        format!("#{}", t.number.short()),
        persian,
    ] {
        assert_eq!(
            reza.ticket(TicketKey::parse(&typed).unwrap())
                .await
                .unwrap()
                .id,
            t.id,
            "{typed}"
        );
    }
    assert!(matches!(
        reza.ticket(TicketKey::parse("99999999").unwrap()).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        TicketKey::parse("12ab"),
        Err(ValidationError { .. })
    ));
    // Another customer may not learn that the number exists.
    assert!(matches!(
        f.desk
            .acting_as(Actor::Customer(f.ana.id))
            .await
            .unwrap()
            .ticket(TicketKey::parse(t.number.short()).unwrap())
            .await,
        Err(Error::NotFound { .. })
    ));
}

pub async fn a_customer_opens_a_ticket_and_reads_it_back(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mut new = f.new_ticket(&f.support, "Nu funcționează asistența");
    new.ticket_type = TicketType::Question;
    new.categories = [
        Category::parse("internet").unwrap(),
        Category::parse("tv").unwrap(),
    ]
    .into_iter()
    .collect();
    new.custom_fields = CustomFields::new()
        .with("district", FieldValue::Text("Centru".into()))
        .unwrap()
        .with("floor", FieldValue::Integer(4))
        .unwrap();
    let ana = Actor::Customer(f.ana.id);
    let t = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .open_ticket(new)
        .await
        .unwrap();
    assert_eq!(t.status, Status::New);
    assert_eq!(t.version, Version::FIRST);
    assert_eq!(t.customer, Some(f.ana.id));
    assert_eq!(t.opened_by, ana);
    assert_eq!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .ticket(t.id)
            .await
            .unwrap(),
        t
    );
    assert_eq!(store.ticket(t.id).await.unwrap().unwrap(), t);
    let thread = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .thread(t.id)
        .await
        .unwrap();
    assert_eq!(thread.len(), 1);
    assert_eq!(thread[0].author, ana);
    assert_eq!(
        thread[0].body.as_str(),
        "Nu funcționează asistența: details"
    );
    let history = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .history(t.id)
        .await
        .unwrap();
    let kinds: Vec<_> = history.iter().map(|e| e.change.kind()).collect();
    assert_eq!(kinds, ["created", "replied"]);
}

pub async fn the_first_agent_reply_opens_the_ticket_and_carries_the_signature(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "No connection").await;
    let ivan = Actor::Agent(f.ivan.id);
    let after = changed(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(t.id, reply("Restart the router"))
            .await
            .unwrap(),
    );
    assert_eq!(after.status, Status::Open);
    assert_eq!(after.first_response_at, Some(after.updated_at));
    assert_eq!(after.version, t.version.next());
    let thread = f
        .desk
        .acting_as(Actor::Customer(f.ana.id))
        .await
        .unwrap()
        .thread(t.id)
        .await
        .unwrap();
    assert_eq!(
        thread[1].body.as_str(),
        "Restart the router\n\n-- \nИван, техподдержка"
    );
    f.tick(60);
    let again = changed(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(t.id, reply("Any news?"))
            .await
            .unwrap(),
    );
    assert_eq!(again.first_response_at, after.first_response_at);
    let history = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .history(t.id)
        .await
        .unwrap();
    let firsts: Vec<bool> = history
        .iter()
        .filter_map(|e| match e.change {
            Change::Replied { first_response, .. } => Some(first_response),
            _ => None,
        })
        .collect();
    assert_eq!(firsts, [false, true, false]);
}

pub async fn internal_notes_are_never_shown_to_customers(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "Slow internet").await;
    let ivan = Actor::Agent(f.ivan.id);
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(t.id, note("customer is on the old tariff"))
        .await
        .unwrap();
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::PutOnHold {
                reason: Some(body("waiting for the field team")),
                until: None,
            },
        )
        .await
        .unwrap();
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(t.id, reply("We are on it"))
        .await
        .unwrap();
    let ana = Actor::Customer(f.ana.id);
    let customer_view = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .thread(t.id)
        .await
        .unwrap();
    assert!(
        customer_view
            .iter()
            .all(|m| m.visibility == Visibility::Public)
    );
    assert_eq!(customer_view.len(), 2);
    assert!(
        customer_view
            .iter()
            .all(|m| !m.body.as_str().contains("tariff"))
    );
    let agent_view = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .thread(t.id)
        .await
        .unwrap();
    assert_eq!(agent_view.len(), 4);
    let history = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .history(t.id)
        .await
        .unwrap();
    assert!(history.iter().all(|e| e.change.is_public()));
    assert!(
        !history
            .iter()
            .any(|e| matches!(e.change, Change::NoteAdded { .. }))
    );
    assert_eq!(store.messages(t.id, false).await.unwrap(), customer_view);
}

pub async fn a_customer_reply_reopens_pending_and_resolved_tickets(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "Router blinks").await;
    let (ivan, ana) = (Actor::Agent(f.ivan.id), Actor::Customer(f.ana.id));
    let pending = changed(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(
                t.id,
                Command::AskCustomer {
                    body: body("Which colour?"),
                    until: None,
                },
            )
            .await
            .unwrap(),
    );
    assert_eq!(pending.status, Status::PendingCustomer);
    let open = changed(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .execute(t.id, reply("Red"))
            .await
            .unwrap(),
    );
    assert_eq!(open.status, Status::Open);
    let resolved = changed(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(
                t.id,
                Command::Resolve {
                    body: Some(body("Replace it")),
                },
            )
            .await
            .unwrap(),
    );
    assert_eq!(resolved.status, Status::Resolved);
    assert!(resolved.resolved_at.is_some());
    let reopened = changed(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .execute(t.id, reply("Did not help"))
            .await
            .unwrap(),
    );
    assert_eq!(reopened.status, Status::Open);
    assert_eq!(reopened.resolved_at, None);
}

pub async fn resolve_then_confirm_closes_as_solved(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "Invoice question").await;
    let (ivan, ana) = (Actor::Agent(f.ivan.id), Actor::Customer(f.ana.id));
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(t.id, reply("Looking"))
        .await
        .unwrap();
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(t.id, Command::Resolve { body: None })
        .await
        .unwrap();
    let closed = changed(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .execute(t.id, Command::ConfirmResolution)
            .await
            .unwrap(),
    );
    assert_eq!(closed.status, Status::Closed(Resolution::Solved));
    assert!(closed.closed_at.is_some() && closed.resolved_at.is_some());
    let statuses: Vec<_> = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .history(t.id)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| match e.change {
            Change::StatusChanged { from, to } => Some((from, to)),
            _ => None,
        })
        .collect();
    assert_eq!(
        statuses,
        [
            (Status::New, Status::Open),
            (Status::Open, Status::Resolved),
            (Status::Resolved, Status::Closed(Resolution::Solved)),
        ]
    );
    // An agent may close directly, and reopen.
    let t2 = f.open(&f.ana, "Second").await;
    let c = changed(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(
                t2.id,
                Command::Close {
                    resolution: Resolution::Unsolved,
                },
            )
            .await
            .unwrap(),
    );
    assert_eq!(c.status, Status::Closed(Resolution::Unsolved));
    let r = changed(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(t2.id, Command::Reopen)
            .await
            .unwrap(),
    );
    assert_eq!((r.status, r.closed_at), (Status::Open, None));
}

pub async fn follow_up_policies_reopen_reject_or_open_a_new_ticket(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (admin, ana) = (Actor::Agent(f.admin.id), Actor::Customer(f.ana.id));
    let close = Command::Close {
        resolution: Resolution::Solved,
    };
    let mut opened = Vec::new();
    for dept in [&f.support, &f.billing, &f.sales] {
        let t = f
            .desk
            .acting_as(ana)
            .await
            .unwrap()
            .open_ticket(f.new_ticket(dept, &format!("About {}", dept.name)))
            .await
            .unwrap();
        f.desk
            .acting_as(admin)
            .await
            .unwrap()
            .execute(t.id, close.clone())
            .await
            .unwrap();
        opened.push(t);
    }
    // Support reopens.
    let o = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .execute(opened[0].id, reply("Again"))
        .await
        .unwrap();
    assert_eq!(o.ticket().status, Status::Open);
    // Billing opens a new ticket linked to the closed one.
    let o = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .execute(opened[1].id, reply("Again"))
        .await
        .unwrap();
    let Outcome::FollowUpOpened { closed, ticket } = o else {
        panic!("expected a follow-up, got {o:?}");
    };
    assert_eq!(closed, opened[1].id);
    assert_eq!(ticket.follow_up_of, Some(opened[1].id));
    assert_eq!(ticket.department, f.billing.id);
    assert_eq!(ticket.status, Status::New);
    assert_eq!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .thread(ticket.id)
            .await
            .unwrap()[0]
            .body
            .as_str(),
        "Again"
    );
    let old = store.ticket(opened[1].id).await.unwrap().unwrap();
    assert_eq!(old.status, Status::Closed(Resolution::Solved));
    // Sales rejects, changing nothing.
    let before = snapshot(store.as_ref(), &opened[2]).await;
    let err = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .execute(opened[2].id, reply("Again"))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Forbidden {
            reason: ForbiddenReason::FollowUpRejected
        }
    ));
    assert_eq!(snapshot(store.as_ref(), &opened[2]).await, before);
}

pub async fn illegal_commands_are_typed_errors_and_change_nothing(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (ivan, ana) = (Actor::Agent(f.ivan.id), Actor::Customer(f.ana.id));
    let t = f.open(&f.ana, "Broken").await;
    let before = snapshot(store.as_ref(), &t).await;
    let err = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .execute(t.id, note("let me in"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Forbidden {
                reason: ForbiddenReason::AgentsOnly
            }
        ),
        "{err:?}"
    );
    let err = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::Close {
                resolution: Resolution::Solved,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }));
    let err = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .execute(t.id, Command::ConfirmResolution)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidTransition {
                from: Status::New,
                ..
            }
        ),
        "{err:?}"
    );
    let err = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(t.id, Command::Reopen)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidTransition { .. }));
    let err = f
        .desk
        .acting_as(Actor::Agent(f.maria.id))
        .await
        .unwrap()
        .execute(t.id, reply("not my department"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }));
    assert_eq!(snapshot(store.as_ref(), &t).await, before);

    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::Close {
                resolution: Resolution::Solved,
            },
        )
        .await
        .unwrap();
    let closed = store.ticket(t.id).await.unwrap().unwrap();
    let before = snapshot(store.as_ref(), &closed).await;
    for command in [
        Command::Resolve { body: None },
        Command::Close {
            resolution: Resolution::Unsolved,
        },
        reply("agents reopen first"),
        Command::ChangePriority {
            priority: Priority::Low,
        },
        Command::PutOnHold {
            reason: None,
            until: None,
        },
    ] {
        let err = f
            .desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(t.id, command)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidTransition { .. }), "{err:?}");
    }
    let err = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::Close {
                resolution: Resolution::Merged,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidTransition { .. }));
    assert_eq!(snapshot(store.as_ref(), &closed).await, before);
    let missing = crate::domain::TicketId::new();
    assert!(matches!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(missing, reply("?"))
            .await,
        Err(Error::NotFound { .. })
    ));
}

pub async fn a_stale_version_conflicts_and_writes_nothing(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ivan = Actor::Agent(f.ivan.id);
    let t = f.open(&f.ana, "Versioned").await;
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(t.id, note("first"))
        .await
        .unwrap();
    let before = snapshot(store.as_ref(), &t).await;
    let options = ExecOptions {
        expected: Some(t.version),
        ..Default::default()
    };
    let err = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute_with(t.id, note("from a stale screen"), options)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Conflict { kind: ConflictKind::StaleVersion { expected, actual }, .. }
            if expected == Version::FIRST && actual == Version::new(2)
    ));
    assert_eq!(snapshot(store.as_ref(), &t).await, before);
    // At the store level too.
    let mut stale = t.clone();
    stale.version = Version::new(2);
    let err = store
        .commit(WriteBatch::one(TicketWrite::update(Version::FIRST, stale)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }));
    assert_eq!(snapshot(store.as_ref(), &t).await, before);
}

pub async fn concurrent_updates_from_one_version_let_exactly_one_win(store: Arc<dyn Store>) {
    let f = Arc::new(Fixture::new(store.clone()).await);
    let t = f.open(&f.ana, "Race").await;
    let tasks: Vec<_> = [
        Priority::Low,
        Priority::Normal,
        Priority::Low,
        Priority::Normal,
    ]
    .into_iter()
    .enumerate()
    .map(|(i, p)| {
        let f = f.clone();
        let agent = if i % 2 == 0 { f.ivan.id } else { f.boss.id };
        tokio::spawn(async move {
            let cmd = if p == Priority::Low {
                Command::ChangePriority { priority: p }
            } else {
                note("racing note")
            };
            let options = ExecOptions {
                expected: Some(Version::FIRST),
                ..Default::default()
            };
            f.desk
                .acting_as(Actor::Agent(agent))
                .await
                .unwrap()
                .execute_with(t.id, cmd, options)
                .await
        })
    })
    .collect();
    let mut wins = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => wins += 1,
            Err(Error::Conflict { .. }) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(wins, 1);
    let after = store.ticket(t.id).await.unwrap().unwrap();
    assert_eq!(after.version, Version::new(2));
    assert_eq!(store.history(t.id).await.unwrap().len(), 3);
}

pub async fn concurrent_commands_without_a_version_all_apply(store: Arc<dyn Store>) {
    let f = Arc::new(Fixture::new(store.clone()).await);
    let t = f.open(&f.ana, "Busy").await;
    let tasks: Vec<_> = (0..3)
        .map(|i| {
            let f = f.clone();
            tokio::spawn(async move {
                f.desk
                    .acting_as(Actor::Agent(f.ivan.id))
                    .await
                    .unwrap()
                    .execute(t.id, note(&format!("note {i}")))
                    .await
            })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        if task.await.unwrap().is_ok() {
            ok += 1;
        }
    }
    let after = store.ticket(t.id).await.unwrap().unwrap();
    assert_eq!(after.version.get(), 1 + ok);
    assert_eq!(
        store.messages(t.id, true).await.unwrap().len() as u64,
        1 + ok
    );
    assert!(ok >= 1);
}

pub async fn edits_are_recorded_in_the_history(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "Edits").await;
    let boss = Actor::Agent(f.boss.id);
    let commands = [
        Command::Assign {
            agent: Some(f.ivan.id),
        },
        Command::ChangePriority {
            priority: Priority::Low,
        },
        Command::SetType {
            ticket_type: TicketType::custom("billing-dispute").unwrap(),
        },
        Command::SetCategories {
            categories: [Category::parse("router").unwrap()].into_iter().collect(),
        },
        Command::SetService {
            service: Some(crate::domain::ServiceName::parse("Internet 100").unwrap()),
        },
        Command::SetCustomFields {
            fields: CustomFields::new()
                .with("district", FieldValue::Text("Nord".into()))
                .unwrap(),
        },
        Command::LogTime {
            minutes: Minutes::new(15).unwrap(),
            billable: false,
            note: ShortNote::parse("diagnosis").unwrap(),
        },
        Command::MoveToDepartment {
            department: f.sales.id,
        },
    ];
    for command in commands {
        f.tick(1);
        f.desk
            .acting_as(boss)
            .await
            .unwrap()
            .execute(t.id, command)
            .await
            .unwrap();
    }
    let after = f
        .desk
        .acting_as(Actor::Agent(f.admin.id))
        .await
        .unwrap()
        .ticket(t.id)
        .await
        .unwrap();
    assert_eq!(after.department, f.sales.id);
    assert_eq!(after.assignee, None);
    assert_eq!(after.priority, Priority::Low);
    assert_eq!(after.ticket_type.as_str(), "billing-dispute");
    assert_eq!(after.version, Version::new(9));
    let kinds: Vec<_> = store
        .history(t.id)
        .await
        .unwrap()
        .iter()
        .map(|e| e.change.kind())
        .collect();
    assert_eq!(
        kinds,
        [
            "created",
            "replied",
            "assignee_changed",
            "priority_changed",
            "type_changed",
            "categories_changed",
            "service_changed",
            "custom_fields_changed",
            "time_logged",
            "department_changed",
            "assignee_changed",
        ]
    );
    // Asking for what already is changes nothing.
    let same = f
        .desk
        .acting_as(Actor::Agent(f.admin.id))
        .await
        .unwrap()
        .execute(
            t.id,
            Command::ChangePriority {
                priority: Priority::Low,
            },
        )
        .await
        .unwrap();
    assert!(matches!(same, Outcome::Unchanged(_)));
    assert_eq!(
        store.ticket(t.id).await.unwrap().unwrap().version,
        Version::new(9)
    );
}

pub async fn priority_rules_follow_the_customer_kind(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mut loud = f.new_ticket(&f.support, "URGENT!!!");
    loud.priority = Some(Priority::Urgent);
    let t = f
        .desk
        .acting_as(Actor::Customer(f.ana.id))
        .await
        .unwrap()
        .open_ticket(loud.clone())
        .await
        .unwrap();
    assert_eq!(
        t.priority,
        Priority::Normal,
        "shouting does not raise priority"
    );
    let mut quiet = f.new_ticket(&f.support, "small thing");
    quiet.priority = Some(Priority::Low);
    let org = f
        .desk
        .acting_as(Actor::Customer(f.acme.id))
        .await
        .unwrap()
        .open_ticket(quiet)
        .await
        .unwrap();
    assert_eq!(
        org.priority,
        Priority::High,
        "organisations always get High"
    );
    let ivan = Actor::Agent(f.ivan.id);
    let err = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::ChangePriority {
                priority: Priority::High,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Forbidden {
            reason: ForbiddenReason::PriorityAboveCap {
                cap: Priority::Normal
            }
        }
    ));
    let raised = changed(
        f.desk
            .acting_as(Actor::Agent(f.boss.id))
            .await
            .unwrap()
            .execute(
                t.id,
                Command::ChangePriority {
                    priority: Priority::Urgent,
                },
            )
            .await
            .unwrap(),
    );
    assert_eq!(raised.priority, Priority::Urgent);
    // A phone ticket an agent opens for an individual is capped as well.
    let mut phone = f.new_ticket(&f.support, "Phone: line down");
    phone.customer = Some(f.reza.id);
    phone.priority = Some(Priority::Urgent);
    phone.channel = crate::domain::Channel::Phone;
    let p = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .open_ticket(phone)
        .await
        .unwrap();
    assert_eq!(
        (p.priority, p.channel),
        (Priority::Normal, crate::domain::Channel::Phone)
    );
}

pub async fn a_disabled_customer_can_neither_open_nor_reply(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "Before").await;
    f.desk
        .acting_as(Actor::Agent(f.admin.id))
        .await
        .unwrap()
        .set_customer_access(f.ana.id, false)
        .await
        .unwrap();
    let ana = Actor::Customer(f.ana.id);
    let before = snapshot(store.as_ref(), &t).await;
    // No way in: the desk will not act as her, so she can neither reply nor open.
    let err = f.desk.acting_as(ana).await.unwrap_err();
    assert!(matches!(
        err,
        Error::Forbidden {
            reason: ForbiddenReason::AccessDisabled
        }
    ));
    assert_eq!(snapshot(store.as_ref(), &t).await, before);
    // An agent may still open a ticket for her (a phone call), but the desk refuses that too.
    let mut for_ana = f.new_ticket(&f.support, "After");
    for_ana.customer = Some(f.ana.id);
    let err = f
        .desk
        .acting_as(Actor::Agent(f.ivan.id))
        .await
        .unwrap()
        .open_ticket(for_ana)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Forbidden {
            reason: ForbiddenReason::AccessDisabled
        }
    ));
    let err = f
        .desk
        .acting_as(Actor::Agent(f.ivan.id))
        .await
        .unwrap()
        .set_customer_access(f.ana.id, true)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Forbidden {
            reason: ForbiddenReason::AdminOnly
        }
    ));
    f.desk
        .as_system()
        .set_customer_access(f.ana.id, true)
        .await
        .unwrap();
    f.desk
        .acting_as(ana)
        .await
        .unwrap()
        .execute(t.id, reply("back"))
        .await
        .unwrap();
}

pub async fn customers_see_only_their_own_tickets(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mine = f.open(&f.ana, "Mine").await;
    let theirs = f.open(&f.reza, "Theirs").await;
    let ana = Actor::Customer(f.ana.id);
    for result in [
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .ticket(theirs.id)
            .await
            .map(|_| ()),
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .thread(theirs.id)
            .await
            .map(|_| ()),
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .history(theirs.id)
            .await
            .map(|_| ()),
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .execute(theirs.id, reply("hi"))
            .await
            .map(|_| ()),
    ] {
        assert!(matches!(result, Err(Error::NotFound { .. })), "{result:?}");
    }
    let page = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .list_tickets(TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        page.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [mine.id]
    );
    let spy = TicketFilter {
        customer: Some(f.reza.id),
        ..Default::default()
    };
    let page = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .list_tickets(spy, PageRequest::default())
        .await
        .unwrap();
    assert!(page.items.is_empty());
}

pub async fn internal_tickets_are_for_agents_only(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ivan = Actor::Agent(f.ivan.id);
    let mut new = f.new_ticket(&f.support, "Check Ana's line before she calls");
    new.internal = true;
    new.customer = Some(f.ana.id);
    let t = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .open_ticket(new)
        .await
        .unwrap();
    assert!(t.internal);
    assert_eq!(t.channel, crate::domain::Channel::Internal);
    let ana = Actor::Customer(f.ana.id);
    assert!(matches!(
        f.desk.acting_as(ana).await.unwrap().ticket(t.id).await,
        Err(Error::NotFound { .. })
    ));
    let listed = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .list_tickets(TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert!(listed.items.is_empty());
    assert_eq!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .thread(t.id)
            .await
            .unwrap()[0]
            .visibility,
        Visibility::Internal
    );
    let mut sneaky = f.new_ticket(&f.support, "I want to be internal");
    sneaky.internal = true;
    assert!(matches!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .open_ticket(sneaky)
            .await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::AgentsOnly
        })
    ));
    let err = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::AskCustomer {
                body: body("?"),
                until: None,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)));
}

pub async fn agents_act_only_in_their_departments(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ana = Actor::Customer(f.ana.id);
    let b = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.billing, "Double charge"))
        .await
        .unwrap();
    let s = f.open(&f.ana, "Support thing").await;
    let (ivan, maria) = (Actor::Agent(f.ivan.id), Actor::Agent(f.maria.id));
    assert!(matches!(
        f.desk.acting_as(ivan).await.unwrap().ticket(b.id).await,
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        f.desk.acting_as(maria).await.unwrap().ticket(s.id).await,
        Err(Error::Forbidden { .. })
    ));
    // Maria may read and note in billing, but not reply.
    f.desk
        .acting_as(maria)
        .await
        .unwrap()
        .execute(b.id, note("checked the ledger"))
        .await
        .unwrap();
    let err = f
        .desk
        .acting_as(maria)
        .await
        .unwrap()
        .execute(b.id, reply("hi"))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Forbidden {
            reason: ForbiddenReason::MissingPermission {
                permission: crate::domain::Permission::Reply
            }
        }
    ));
    let listed = f
        .desk
        .acting_as(maria)
        .await
        .unwrap()
        .list_tickets(TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        listed.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [b.id]
    );
    // Assigning to someone who cannot work in the department is refused.
    let err = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(
            s.id,
            Command::Assign {
                agent: Some(f.maria.id),
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)));
    // Deactivated agents can do nothing.
    f.desk
        .as_system()
        .update_agent(f.ivan.id, f.ivan.role, f.ivan.departments.clone(), false)
        .await
        .unwrap();
    assert!(matches!(
        f.desk.acting_as(ivan).await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::AgentInactive
        })
    ));
}

pub async fn merging_closes_the_source_and_refuses_replies(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let a = f.open(&f.ana, "Internet down").await;
    let b = f.open(&f.ana, "Internet still down").await;
    let other = f.open(&f.reza, "Someone else's").await;
    let ivan = Actor::Agent(f.ivan.id);
    let err = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(b.id, Command::MergeInto { target: other.id })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)));
    let merged = changed(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(b.id, Command::MergeInto { target: a.id })
            .await
            .unwrap(),
    );
    assert_eq!(merged.status, Status::Closed(Resolution::Merged));
    assert_eq!(merged.merged_into, Some(a.id));
    let target = store.ticket(a.id).await.unwrap().unwrap();
    assert_eq!(target.version, a.version.next());
    assert!(
        store
            .history(a.id)
            .await
            .unwrap()
            .iter()
            .any(|e| e.change == Change::MergeReceived { source: b.id })
    );
    let ana = Actor::Customer(f.ana.id);
    assert!(matches!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .execute(b.id, reply("hello?"))
            .await,
        Err(Error::InvalidTransition { .. })
    ));
    assert!(matches!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(b.id, note("x"))
            .await,
        Err(Error::InvalidTransition { .. })
    ));
    assert!(matches!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(b.id, Command::Reopen)
            .await,
        Err(Error::InvalidTransition { .. })
    ));
}

pub async fn master_tickets_collect_linked_tickets(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ivan = Actor::Agent(f.ivan.id);
    let mut outage = f.new_ticket(&f.support, "Outage: district Nord");
    outage.internal = true;
    let master = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .open_ticket(outage)
        .await
        .unwrap();
    let a = f.open(&f.ana, "No internet").await;
    let linked = changed(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(
                a.id,
                Command::LinkToMaster {
                    master: Some(master.id),
                },
            )
            .await
            .unwrap(),
    );
    assert_eq!(linked.master, Some(master.id));
    let mut phone = f.new_ticket(&f.support, "No internet either");
    phone.customer = Some(f.reza.id);
    phone.master = Some(master.id);
    let b = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .open_ticket(phone)
        .await
        .unwrap();
    let filter = TicketFilter {
        master: Some(master.id),
        ..Default::default()
    };
    let page = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .list_tickets(filter, PageRequest::default())
        .await
        .unwrap();
    let ids: BTreeSet<_> = page.items.iter().map(|t| t.id).collect();
    assert_eq!(ids, [a.id, b.id].into_iter().collect());
    let err = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(master.id, Command::LinkToMaster { master: Some(a.id) })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "no chains of masters");
    let err = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(a.id, Command::LinkToMaster { master: Some(a.id) })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)));
}

pub async fn time_entries_are_logged_and_billable_ones_shown_to_customers(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mut new = f.new_ticket(&f.support, "Consultation on setup");
    new.ticket_type = TicketType::Consultation;
    let t = f
        .desk
        .acting_as(Actor::Customer(f.acme.id))
        .await
        .unwrap()
        .open_ticket(new)
        .await
        .unwrap();
    let ivan = Actor::Agent(f.ivan.id);
    for (minutes, billable) in [(90, true), (10, false), (30, true)] {
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(
                t.id,
                Command::LogTime {
                    minutes: Minutes::new(minutes).unwrap(),
                    billable,
                    note: ShortNote::parse("work").unwrap(),
                },
            )
            .await
            .unwrap();
    }
    let all = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .time_entries(t.id)
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|e| e.minutes.get()).collect::<Vec<_>>(),
        [90, 10, 30]
    );
    assert!(
        all.iter()
            .all(|e| e.agent == f.ivan.id && e.ticket_id == t.id)
    );
    let shown = f
        .desk
        .acting_as(Actor::Customer(f.acme.id))
        .await
        .unwrap()
        .time_entries(t.id)
        .await
        .unwrap();
    assert_eq!(shown.iter().map(|e| e.minutes.get()).sum::<u32>(), 120);
    assert!(matches!(
        f.desk
            .acting_as(Actor::Customer(f.acme.id))
            .await
            .unwrap()
            .execute(
                t.id,
                Command::LogTime {
                    minutes: Minutes::new(1).unwrap(),
                    billable: true,
                    note: ShortNote::parse("").unwrap(),
                }
            )
            .await,
        Err(Error::Forbidden { .. })
    ));
}

/// Builds a varied set of tickets: departments, customers, statuses, priorities, types,
/// categories, assignees, spread over time.
async fn varied(f: &Fixture, n: usize) -> Vec<Ticket> {
    let admin = Actor::Agent(f.admin.id);
    let customers = [&f.ana, &f.acme, &f.reza];
    let departments = [&f.support, &f.billing, &f.sales];
    let mut out = Vec::new();
    for i in 0..n {
        let mut new = f.new_ticket(departments[i % 3], &format!("Ticket {i}"));
        new.customer = Some(customers[(i / 3) % 3].id);
        new.ticket_type = TicketType::BUILT_IN[i % 5].clone();
        if i % 4 == 0 {
            new.categories.insert(Category::parse("network").unwrap());
        }
        new.internal = i % 11 == 0;
        let t = f
            .desk
            .acting_as(admin)
            .await
            .unwrap()
            .open_ticket(new)
            .await
            .unwrap();
        f.tick(if i % 7 == 0 { 0 } else { 1 + (i as i64 % 3) });
        let command = match i % 6 {
            0 => Some(reply("answer")),
            1 => Some(Command::ChangePriority {
                priority: Priority::ALL[i % 4],
            }),
            2 => Some(Command::Assign {
                agent: Some(f.admin.id),
            }),
            3 => Some(Command::Close {
                resolution: Resolution::Solved,
            }),
            4 => Some(Command::PutOnHold {
                reason: None,
                until: None,
            }),
            _ => None,
        };
        if let Some(command) = command {
            f.desk
                .acting_as(admin)
                .await
                .unwrap()
                .execute(t.id, command)
                .await
                .unwrap();
        }
        if i % 5 == 0 {
            f.tick(0);
        } else {
            f.tick(1);
        }
        out.push(store_ticket(f, &t).await);
    }
    out
}

async fn store_ticket(f: &Fixture, t: &Ticket) -> Ticket {
    f.desk.store().ticket(t.id).await.unwrap().unwrap()
}

async fn all_pages(
    store: &dyn Store,
    filter: &TicketFilter,
    order: TicketOrder,
    size: u32,
) -> Vec<Ticket> {
    let mut page = PageRequest::first(order, size);
    let mut out = Vec::new();
    for _ in 0..10_000 {
        let got = store.list_tickets(filter, &page).await.unwrap();
        assert!(got.items.len() <= size as usize);
        out.extend(got.items);
        match got.next {
            Some(cursor) => page = page.clone().after(cursor).unwrap(),
            None => return out,
        }
    }
    panic!("pagination does not end: a cursor leads back to tickets already listed")
}

pub async fn list_filters_match_the_reference(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let tickets = varied(&f, 60).await;
    let reference = MemoryStore::new();
    reference
        .commit(WriteBatch::of(
            tickets.iter().cloned().map(TicketWrite::create).collect(),
        ))
        .await
        .unwrap();
    let created: Vec<_> = tickets.iter().map(|t| t.created_at).collect();
    let mid = created[created.len() / 2];
    let filters = vec![
        TicketFilter::default(),
        TicketFilter {
            statuses: Some(vec![Status::New, Status::OnHold]),
            ..Default::default()
        },
        TicketFilter {
            statuses: Some(vec![]),
            ..Default::default()
        },
        TicketFilter {
            departments: Some(vec![f.billing.id]),
            ..Default::default()
        },
        TicketFilter {
            departments: Some(vec![f.billing.id, f.sales.id]),
            statuses: Some(vec![Status::Closed(Resolution::Solved)]),
            ..Default::default()
        },
        TicketFilter {
            assignee: Some(AssigneeFilter::Agent(f.admin.id)),
            ..Default::default()
        },
        TicketFilter {
            assignee: Some(AssigneeFilter::Unassigned),
            ..Default::default()
        },
        TicketFilter {
            customer: Some(f.acme.id),
            ..Default::default()
        },
        TicketFilter {
            priorities: Some(vec![Priority::High, Priority::Urgent]),
            ..Default::default()
        },
        TicketFilter {
            ticket_type: Some(TicketType::Consultation),
            ..Default::default()
        },
        TicketFilter {
            category: Some(Category::parse("network").unwrap()),
            ..Default::default()
        },
        TicketFilter {
            internal: Some(true),
            ..Default::default()
        },
        TicketFilter {
            internal: Some(false),
            customer: Some(f.ana.id),
            ..Default::default()
        },
        TicketFilter {
            created: crate::store::TimeRange {
                from: Some(mid),
                to: None,
            },
            ..Default::default()
        },
        TicketFilter {
            updated: crate::store::TimeRange {
                from: None,
                to: Some(mid),
            },
            ..Default::default()
        },
    ];
    for filter in &filters {
        let expected = tickets.iter().filter(|t| filter.matches(t)).count();
        for order in [
            TicketOrder::LastUpdate,
            TicketOrder::Priority,
            TicketOrder::Waiting,
            TicketOrder::Relevance,
        ] {
            let page = PageRequest::first(order, 200);
            let got = store.list_tickets(filter, &page).await.unwrap();
            let want = reference.list_tickets(filter, &page).await.unwrap();
            assert_eq!(
                got.items
                    .iter()
                    .map(|t| t.number.full())
                    .collect::<Vec<_>>(),
                want.items
                    .iter()
                    .map(|t| t.number.full())
                    .collect::<Vec<_>>(),
                "{filter:?} {order:?}"
            );
            assert_eq!(got.items, want.items);
            assert_eq!(got.items.len(), expected);
        }
    }
}

pub async fn pagination_visits_every_ticket_once_in_order(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let tickets = varied(&f, 45).await;
    for order in [
        TicketOrder::LastUpdate,
        TicketOrder::Priority,
        TicketOrder::Waiting,
        TicketOrder::Relevance,
    ] {
        for size in [1, 7, 45, 200] {
            let got = all_pages(store.as_ref(), &TicketFilter::default(), order, size).await;
            let mut want = tickets.clone();
            PageRequest::first(order, 1).sort(&mut want);
            assert_eq!(
                got.iter().map(|t| t.id).collect::<Vec<_>>(),
                want.iter().map(|t| t.id).collect::<Vec<_>>(),
                "{order:?} by {size}"
            );
        }
    }
    let filter = TicketFilter {
        departments: Some(vec![f.support.id]),
        ..Default::default()
    };
    let got = all_pages(store.as_ref(), &filter, TicketOrder::Priority, 4).await;
    assert_eq!(
        got.len(),
        tickets.iter().filter(|t| filter.matches(t)).count()
    );
}

pub async fn a_batch_with_a_stale_write_commits_nothing(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let a = f.open(&f.ana, "A").await;
    let b = f.open(&f.ana, "B").await;
    f.desk
        .acting_as(Actor::Agent(f.ivan.id))
        .await
        .unwrap()
        .execute(b.id, note("moves b on"))
        .await
        .unwrap();
    let (before_a, before_b) = (
        snapshot(store.as_ref(), &a).await,
        snapshot(store.as_ref(), &b).await,
    );
    let mut a2 = a.clone();
    a2.version = a.version.next();
    a2.priority = Priority::Low;
    let mut b2 = b.clone();
    b2.version = b.version.next();
    let message = Message {
        id: crate::domain::MessageId::new(),
        ticket_id: a.id,
        author: Actor::System,
        visibility: Visibility::Internal,
        channel: crate::domain::Channel::Internal,
        body: body("should vanish"),
        attachments: vec![],
        created_at: a.created_at,
    };
    let mut c = a.clone();
    c.id = crate::domain::TicketId::new();
    c.number = crate::domain::TicketNumber::new("7770001", "7770001").unwrap();
    let batch = WriteBatch::of(vec![
        TicketWrite::create(c.clone()),
        TicketWrite::update(a.version, a2).with_message(message),
        TicketWrite::update(b.version, b2),
    ]);
    let err = store.commit(batch).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Conflict {
                kind: ConflictKind::StaleVersion { .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(snapshot(store.as_ref(), &a).await, before_a);
    assert_eq!(snapshot(store.as_ref(), &b).await, before_b);
    assert_eq!(store.ticket(c.id).await.unwrap(), None);
    assert_eq!(store.ticket_by_number("7770001").await.unwrap(), None);
}

pub async fn a_duplicate_number_commits_nothing(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let a = f.open(&f.ana, "A").await;
    let mut dup = a.clone();
    dup.id = crate::domain::TicketId::new();
    let err = store
        .commit(WriteBatch::one(TicketWrite::create(dup.clone())))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Conflict { kind: ConflictKind::Duplicate { field }, .. } if field == "number"),
        "{err:?}"
    );
    let err = store
        .commit(WriteBatch::one(TicketWrite::create(a.clone())))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Conflict {
                kind: ConflictKind::Duplicate { .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(store.ticket(dup.id).await.unwrap(), None);
    let all = store
        .list_tickets(&TicketFilter::default(), &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.items.len(), 1);
}

pub async fn malformed_batches_are_refused_and_commit_nothing(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let a = f.open(&f.ana, "A").await;
    let before = snapshot(store.as_ref(), &a).await;
    let mut next = a.clone();
    next.version = a.version.next();
    let twice = WriteBatch::of(vec![
        TicketWrite::update(a.version, next.clone()),
        TicketWrite::update(a.version, next.clone()),
    ]);
    assert!(matches!(
        store.commit(twice).await,
        Err(Error::Validation(_))
    ));
    let mut renumbered = next.clone();
    renumbered.number = crate::domain::TicketNumber::new("5550001", "5550001").unwrap();
    let err = store
        .commit(WriteBatch::one(TicketWrite::update(a.version, renumbered)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    let stray = TicketWrite::update(a.version, next).with_event(crate::domain::TicketEvent {
        id: crate::domain::EventId::new(),
        ticket_id: crate::domain::TicketId::new(),
        actor: Actor::System,
        at: a.created_at,
        change: Change::MergeReceived { source: a.id },
    });
    let err = store.commit(WriteBatch::one(stray)).await.unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    assert_eq!(snapshot(store.as_ref(), &a).await, before);
}

pub async fn timers_round_trip_and_due_tickets_and_the_waiting_order_match_the_reference(
    store: Arc<dyn Store>,
) {
    use crate::domain::{SlaClock, SlaOutcome, SlaTarget, Timers};
    let f = Fixture::new(store.clone()).await;
    let tickets = varied(&f, 30).await;
    let base = crate::clock::Clock::now(f.clock.as_ref());
    let mut updated = Vec::new();
    for (i, t) in tickets.iter().enumerate() {
        let mut next = t.clone();
        next.version = t.version.next();
        next.waiting_since =
            (i % 3 != 0).then(|| base - chrono::Duration::seconds((i % 7) as i64 * 60));
        let due = base + chrono::Duration::seconds((i as i64 % 10) * 30 - 120);
        next.timers = Timers {
            sla_policy: Some(format!("policy {}", i % 2)),
            clocks: vec![SlaClock {
                target: SlaTarget::ALL[i % 3],
                budget_secs: 3600,
                spent_secs: i as i64,
                running_since: Some(base),
                due_at: Some(due),
                warn_at: None,
                warned: i % 2 == 0,
                stopped: false,
                outcome: (i % 4 == 0).then_some(SlaOutcome::Breached),
            }],
            pending_until: (i % 5 == 0).then_some(due),
            auto_close_at: None,
            auto_close_warn_at: (i % 6 == 0).then_some(due),
        };
        next.next_due_at = next.timers.next_due_at();
        store
            .commit(WriteBatch::one(TicketWrite::update(
                t.version,
                next.clone(),
            )))
            .await
            .unwrap();
        assert_eq!(store.ticket(t.id).await.unwrap().unwrap(), next);
        updated.push(next);
    }
    let reference = MemoryStore::new();
    reference
        .commit(WriteBatch::of(
            updated.iter().cloned().map(TicketWrite::create).collect(),
        ))
        .await
        .unwrap();
    for offset in [-200, -60, 0, 60, 10_000] {
        let now = base + chrono::Duration::seconds(offset);
        for limit in [1, 5, 100] {
            let got = store.due_tickets(now, limit).await.unwrap();
            let want = reference.due_tickets(now, limit).await.unwrap();
            assert_eq!(got, want, "due at {offset}s, limit {limit}");
        }
    }
    for size in [1, 4, 50] {
        let got = all_pages(
            store.as_ref(),
            &TicketFilter::default(),
            TicketOrder::Waiting,
            size,
        )
        .await;
        let mut want = updated.clone();
        PageRequest::first(TicketOrder::Waiting, 1).sort(&mut want);
        assert_eq!(
            got.iter().map(|t| t.id).collect::<Vec<_>>(),
            want.iter().map(|t| t.id).collect::<Vec<_>>(),
            "waiting order by {size}"
        );
    }
}

// Service levels -----------------------------------------------------------------------------

use crate::domain::{SlaOutcome, SlaTarget};

fn hours(h: i64) -> chrono::Duration {
    chrono::Duration::hours(h)
}

async fn sla_fixture(store: Arc<dyn Store>) -> Fixture {
    Fixture::with_service_levels(store).await
}

fn clock(t: &Ticket, target: SlaTarget) -> crate::domain::SlaClock {
    t.timers
        .clock(target)
        .cloned()
        .unwrap_or_else(|| panic!("no {target:?} clock"))
}

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

pub async fn sla_targets_count_business_hours_of_the_departments_calendar(store: Arc<dyn Store>) {
    let f = sla_fixture(store.clone()).await;
    // Friday 9 January 2026, 17:00 Moscow (14:00 UTC).
    f.clock.set(at("2026-01-09T14:00:00Z"));
    let ana = Actor::Customer(f.ana.id);
    let t = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.billing, "Double charge"))
        .await
        .unwrap();
    assert_eq!(t.timers.sla_policy.as_deref(), Some("standard"));
    // One working hour on Friday, one on Monday: due Monday 10:00 Moscow (07:00 UTC).
    let first = clock(&t, SlaTarget::FirstResponse);
    assert_eq!(first.due_at, Some(at("2026-01-12T07:00:00Z")));
    // Warned at 80% of 2 h = 96 min: Friday's hour, then 36 minutes on Monday.
    assert_eq!(first.warn_at, Some(at("2026-01-12T06:36:00Z")));
    assert_eq!(t.next_due_at, first.warn_at);
    // The same on support, open around the clock: Friday 16:00 UTC.
    let s = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.support, "Router"))
        .await
        .unwrap();
    assert_eq!(
        clock(&s, SlaTarget::FirstResponse).due_at,
        Some(at("2026-01-09T16:00:00Z"))
    );
    // Answered on Monday at 09:30 Moscow: met.
    f.clock.set(at("2026-01-12T06:30:00Z"));
    let admin = Actor::Agent(f.admin.id);
    let answered = changed(
        f.desk
            .acting_as(admin)
            .await
            .unwrap()
            .execute(t.id, reply("Refunded"))
            .await
            .unwrap(),
    );
    let first = clock(&answered, SlaTarget::FirstResponse);
    assert!(first.stopped);
    assert_eq!(first.outcome, Some(SlaOutcome::Met));
    assert_eq!(first.spent_secs, 90 * 60);
    assert_eq!(store.ticket(t.id).await.unwrap().unwrap(), answered);
}

pub async fn sla_warnings_and_breaches_fire_once_and_run_due_is_idempotent(store: Arc<dyn Store>) {
    let f = sla_fixture(store.clone()).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let mut new = f.new_ticket(&f.support, "Everything is down");
    new.customer = Some(f.acme.id);
    new.priority = Some(Priority::Urgent);
    let t = f
        .desk
        .acting_as(Actor::Agent(f.boss.id))
        .await
        .unwrap()
        .open_ticket(new)
        .await
        .unwrap();
    assert_eq!(t.timers.sla_policy.as_deref(), Some("urgent"));
    let quiet = f
        .desk
        .run_due(t0 + chrono::Duration::minutes(47))
        .await
        .unwrap();
    assert_eq!(quiet.events, 0);
    let warn_at = t0 + chrono::Duration::minutes(48);
    let warned = f.desk.run_due(warn_at).await.unwrap();
    assert_eq!((warned.tickets, warned.events), (1, 1));
    assert_eq!(
        f.desk.run_due(warn_at).await.unwrap().events,
        0,
        "idempotent"
    );
    let late = t0 + hours(1) + chrono::Duration::minutes(1);
    let breached = f.desk.run_due(late).await.unwrap();
    assert_eq!(breached.events, 1);
    assert_eq!(f.desk.run_due(late).await.unwrap().events, 0, "idempotent");
    let history = store.history(t.id).await.unwrap();
    let sla: Vec<_> = history
        .iter()
        .filter(|e| {
            matches!(
                e.change,
                Change::SlaWarning { .. } | Change::SlaBreached { .. }
            )
        })
        .map(|e| (e.change.clone(), e.at))
        .collect();
    assert_eq!(
        sla,
        [
            (
                Change::SlaWarning {
                    target: SlaTarget::FirstResponse
                },
                warn_at
            ),
            (
                Change::SlaBreached {
                    target: SlaTarget::FirstResponse
                },
                late
            ),
        ]
    );
    // A late answer stays a breach.
    f.clock.set(late + chrono::Duration::minutes(5));
    let answered = changed(
        f.desk
            .acting_as(Actor::Agent(f.ivan.id))
            .await
            .unwrap()
            .execute(t.id, reply("On it"))
            .await
            .unwrap(),
    );
    assert_eq!(
        clock(&answered, SlaTarget::FirstResponse).outcome,
        Some(SlaOutcome::Breached)
    );
    // The resolution clock (4 h) is still running and due later.
    assert_eq!(
        clock(&answered, SlaTarget::Resolution).due_at,
        Some(t0 + hours(4))
    );
}

pub async fn sla_clocks_pause_while_waiting_for_the_customer(store: Arc<dyn Store>) {
    let f = sla_fixture(store.clone()).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let t = f
        .desk
        .acting_as(Actor::Customer(f.ana.id))
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.support, "Slow"))
        .await
        .unwrap();
    assert_eq!(
        clock(&t, SlaTarget::Resolution).due_at,
        Some(t0 + hours(16))
    );
    f.clock.set(t0 + hours(1));
    let ivan = Actor::Agent(f.ivan.id);
    let pending = changed(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(
                t.id,
                Command::AskCustomer {
                    body: body("Which modem?"),
                    until: None,
                },
            )
            .await
            .unwrap(),
    );
    let res = clock(&pending, SlaTarget::Resolution);
    assert_eq!(
        (res.running_since, res.due_at, res.spent_secs),
        (None, None, 3600)
    );
    // Ten hours later the customer answers: 15 h are left, from now.
    f.clock.set(t0 + hours(11));
    let back = changed(
        f.desk
            .acting_as(Actor::Customer(f.ana.id))
            .await
            .unwrap()
            .execute(t.id, reply("TP-Link"))
            .await
            .unwrap(),
    );
    assert_eq!(
        clock(&back, SlaTarget::Resolution).due_at,
        Some(t0 + hours(26))
    );
    // Their message starts the next-response clock (4 h).
    assert_eq!(
        clock(&back, SlaTarget::NextResponse).due_at,
        Some(t0 + hours(15))
    );
    // Nothing fired while paused.
    assert_eq!(f.desk.run_due(t0 + hours(10)).await.unwrap().events, 0);
}

pub async fn a_priority_change_moves_the_due_times(store: Arc<dyn Store>) {
    let f = sla_fixture(store.clone()).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let t = f
        .desk
        .acting_as(Actor::Customer(f.acme.id))
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.support, "Down"))
        .await
        .unwrap();
    assert_eq!(
        clock(&t, SlaTarget::Resolution).due_at,
        Some(t0 + hours(16))
    );
    f.clock.set(t0 + hours(1));
    let urgent = changed(
        f.desk
            .acting_as(Actor::Agent(f.boss.id))
            .await
            .unwrap()
            .execute(
                t.id,
                Command::ChangePriority {
                    priority: Priority::Urgent,
                },
            )
            .await
            .unwrap(),
    );
    assert_eq!(urgent.timers.sla_policy.as_deref(), Some("urgent"));
    // One hour of the urgent 4 h is spent already.
    assert_eq!(
        clock(&urgent, SlaTarget::Resolution).due_at,
        Some(t0 + hours(4))
    );
    assert_eq!(
        clock(&urgent, SlaTarget::FirstResponse).due_at,
        Some(t0 + hours(1))
    );
}

pub async fn a_pending_reminder_brings_the_ticket_back_to_open(store: Arc<dyn Store>) {
    let f = sla_fixture(store.clone()).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let t = f.open(&f.ana, "Waiting for a technician").await;
    let ivan = Actor::Agent(f.ivan.id);
    let err = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::PutOnHold {
                reason: None,
                until: Some(t0),
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "the past is refused");
    let until = t0 + hours(24);
    let held = changed(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(
                t.id,
                Command::PutOnHold {
                    reason: Some(body("technician on Tuesday")),
                    until: Some(until),
                },
            )
            .await
            .unwrap(),
    );
    assert_eq!(held.timers.pending_until, Some(until));
    assert_eq!(
        f.desk
            .run_due(until - chrono::Duration::seconds(1))
            .await
            .unwrap()
            .events,
        0
    );
    let report = f.desk.run_due(until).await.unwrap();
    assert_eq!(report.events, 2, "a reminder and the status change");
    let back = store.ticket(t.id).await.unwrap().unwrap();
    assert_eq!(back.status, Status::Open);
    assert_eq!(back.timers.pending_until, None);
    let kinds: Vec<_> = store
        .history(t.id)
        .await
        .unwrap()
        .iter()
        .map(|e| e.change.kind())
        .collect();
    assert_eq!(
        &kinds[kinds.len() - 2..],
        ["pending_reminder", "status_changed"]
    );
}

pub async fn silent_tickets_close_after_five_working_days_with_a_warning(store: Arc<dyn Store>) {
    let f = sla_fixture(store.clone()).await;
    // Monday 12 January 2026, 10:00 Moscow, in billing (weekdays only).
    f.clock.set(at("2026-01-12T07:00:00Z"));
    let ana = Actor::Customer(f.ana.id);
    let t = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.billing, "Invoice"))
        .await
        .unwrap();
    let confirmed = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.billing, "Invoice 2"))
        .await
        .unwrap();
    let admin = Actor::Agent(f.admin.id);
    for id in [t.id, confirmed.id] {
        f.desk
            .acting_as(admin)
            .await
            .unwrap()
            .execute(
                id,
                Command::Resolve {
                    body: Some(body("Corrected")),
                },
            )
            .await
            .unwrap();
    }
    let resolved = store.ticket(t.id).await.unwrap().unwrap();
    // Five working days later: the next Monday, 10:00 Moscow; warned the Friday before.
    assert_eq!(
        resolved.timers.auto_close_at,
        Some(at("2026-01-19T07:00:00Z"))
    );
    assert_eq!(
        resolved.timers.auto_close_warn_at,
        Some(at("2026-01-16T07:00:00Z"))
    );
    f.clock.set(at("2026-01-13T07:00:00Z"));
    f.desk
        .acting_as(ana)
        .await
        .unwrap()
        .execute(confirmed.id, Command::ConfirmResolution)
        .await
        .unwrap();
    let warned = f.desk.run_due(at("2026-01-16T07:00:00Z")).await.unwrap();
    assert_eq!((warned.tickets, warned.events), (1, 1));
    let customer_history = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .history(t.id)
        .await
        .unwrap();
    assert!(
        customer_history
            .iter()
            .any(|e| matches!(e.change, Change::AutoCloseWarning { .. }))
    );
    let closed = f.desk.run_due(at("2026-01-19T07:00:00Z")).await.unwrap();
    assert_eq!(closed.tickets, 1);
    let after = store.ticket(t.id).await.unwrap().unwrap();
    assert_eq!(after.status, Status::Closed(Resolution::AutoClosed));
    assert_eq!(after.next_due_at, None);
    let by_system = store
        .history(t.id)
        .await
        .unwrap()
        .into_iter()
        .last()
        .unwrap();
    assert_eq!(by_system.actor, Actor::System);
    let other = store.ticket(confirmed.id).await.unwrap().unwrap();
    assert_eq!(other.status, Status::Closed(Resolution::Solved));
    assert_eq!(
        f.desk
            .run_due(at("2026-02-19T07:00:00Z"))
            .await
            .unwrap()
            .events,
        0
    );
}

pub async fn waiting_time_counts_from_the_oldest_unanswered_message(store: Arc<dyn Store>) {
    let f = sla_fixture(store.clone()).await;
    let t0 = at("2026-01-09T14:00:00Z"); // Friday 17:00 Moscow
    f.clock.set(t0);
    let ana = Actor::Customer(f.ana.id);
    let t = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.billing, "Hello?"))
        .await
        .unwrap();
    assert_eq!(t.waiting_since, Some(t0));
    f.clock.set(t0 + hours(1));
    let u = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.billing, "Later"))
        .await
        .unwrap();
    f.desk
        .acting_as(ana)
        .await
        .unwrap()
        .execute(t.id, reply("Anyone?"))
        .await
        .unwrap();
    // Monday 10:00 Moscow: 65 hours of wall time, 2 working hours.
    f.clock.set(at("2026-01-12T07:00:00Z"));
    let waiting = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .waiting_time(t.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(waiting.since, t0);
    assert_eq!(waiting.wall, hours(65));
    assert_eq!(waiting.business, hours(2));
    let admin = Actor::Agent(f.admin.id);
    let queue = f
        .desk
        .acting_as(admin)
        .await
        .unwrap()
        .list_tickets(
            TicketFilter::default(),
            PageRequest::first(TicketOrder::Waiting, 10),
        )
        .await
        .unwrap();
    assert_eq!(
        queue.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [t.id, u.id]
    );
    f.desk
        .acting_as(admin)
        .await
        .unwrap()
        .execute(t.id, reply("Here"))
        .await
        .unwrap();
    assert_eq!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .waiting_time(t.id)
            .await
            .unwrap(),
        None
    );
    let queue = f
        .desk
        .acting_as(admin)
        .await
        .unwrap()
        .list_tickets(
            TicketFilter::default(),
            PageRequest::first(TicketOrder::Waiting, 10),
        )
        .await
        .unwrap();
    assert_eq!(
        queue.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [u.id, t.id]
    );
}

pub async fn run_due_from_two_processes_writes_each_event_once(store: Arc<dyn Store>) {
    let f = sla_fixture(store.clone()).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let mut ids = Vec::new();
    for i in 0..12 {
        let t = f
            .desk
            .acting_as(Actor::Customer(f.ana.id))
            .await
            .unwrap()
            .open_ticket(f.new_ticket(&f.support, &format!("t{i}")))
            .await
            .unwrap();
        ids.push(t.id);
    }
    let other =
        crate::Helpdesk::new(store.clone()).with_service_levels(f.desk.service_levels().clone());
    let late = t0 + hours(3);
    let (a, b) = tokio::join!(f.desk.run_due(late), other.run_due(late));
    let (a, b) = (a.unwrap(), b.unwrap());
    // Each ticket gets the first-response warning and breach (the resolution warning, at 80%
    // of 16 h, is later): two events per ticket, written once between both runs.
    assert_eq!(a.events + b.events, 24, "{a:?} {b:?}");
    for id in ids {
        let sla = store
            .history(id)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| {
                matches!(
                    e.change,
                    Change::SlaWarning { .. } | Change::SlaBreached { .. }
                )
            })
            .count();
        assert_eq!(sla, 2);
    }
}

pub async fn moving_departments_measures_on_each_departments_calendar(store: Arc<dyn Store>) {
    let f = sla_fixture(store.clone()).await;
    // Friday 15:00 UTC (18:00 Moscow, after billing's hours) in support, open around the clock.
    f.clock.set(at("2026-01-09T15:00:00Z"));
    let t = f
        .desk
        .acting_as(Actor::Customer(f.ana.id))
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.support, "Bill"))
        .await
        .unwrap();
    // An hour later it moves to billing, still closed.
    f.clock.set(at("2026-01-09T16:00:00Z"));
    let moved = changed(
        f.desk
            .acting_as(Actor::Agent(f.admin.id))
            .await
            .unwrap()
            .execute(
                t.id,
                Command::MoveToDepartment {
                    department: f.billing.id,
                },
            )
            .await
            .unwrap(),
    );
    let first = clock(&moved, SlaTarget::FirstResponse);
    assert_eq!(
        first.spent_secs, 3600,
        "the hour in support counts on support's calendar"
    );
    // The other hour of the 2 h target: Monday 09:00–10:00 Moscow.
    assert_eq!(first.due_at, Some(at("2026-01-12T07:00:00Z")));
}

// Search -------------------------------------------------------------------------------------

/// Opens a support ticket for `customer` with `subject` and `text` as its first message.
async fn open_with(
    f: &Fixture,
    customer: &crate::domain::Customer,
    subject: &str,
    text: &str,
) -> Ticket {
    let mut new = f.new_ticket(&f.support, subject);
    new.body = body(text);
    let t = f
        .desk
        .acting_as(Actor::Customer(customer.id))
        .await
        .unwrap()
        .open_ticket(new)
        .await
        .unwrap();
    f.tick(1);
    t
}

async fn found(f: &Fixture, actor: Actor, q: &str) -> BTreeSet<crate::domain::TicketId> {
    f.desk
        .acting_as(actor)
        .await
        .unwrap()
        .search_tickets(
            q,
            TicketFilter::default(),
            PageRequest::first(TicketOrder::LastUpdate, 200),
        )
        .await
        .unwrap_or_else(|e| panic!("{q:?}: {e:?}"))
        .items
        .into_iter()
        .map(|t| t.id)
        .collect()
}

pub async fn search_folds_four_languages_both_ways(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ro = open_with(
        &f,
        &f.ana,
        "Asistență tehnică",
        "Routerul nu funcționează după actualizare.",
    )
    .await;
    let ru = open_with(
        &f,
        &f.acme,
        "Интернет не работает",
        "Ёлка погасла, и связь пропала.",
    )
    .await;
    let fa = open_with(
        &f,
        &f.reza,
        "كامپيوتر روشن نمی‌شود",
        "شماره تماس ۰۹۱۲۳۴۵۶۷۸۹ است",
    )
    .await;
    let en = open_with(
        &f,
        &f.ana,
        "Printer broken",
        "The printer shows error E-42.",
    )
    .await;
    let admin = Actor::Agent(f.admin.id);
    let cases: [(&str, &[&Ticket]); 14] = [
        ("asistenta", &[&ro]),
        ("ASISTENŢĂ", &[&ro]),
        ("asisten\u{0074}\u{0326}a\u{0306}", &[&ro]),
        ("functioneaza", &[&ro]),
        ("интернет", &[&ru]),
        ("ИНТЕРНЕТ", &[&ru]),
        ("елка", &[&ru]),
        ("کامپیوتر", &[&fa]),
        ("نمیشود", &[&fa]),
        ("نمی‌شود", &[&fa]),
        ("09123456789", &[&fa]),
        ("٠٩١٢٣٤٥٦٧٨٩", &[&fa]),
        ("printer", &[&en]),
        ("e-42", &[&en]),
    ];
    for (q, want) in cases {
        let want: BTreeSet<_> = want.iter().map(|t| t.id).collect();
        assert_eq!(found(&f, admin, q).await, want, "{q:?}");
    }
}

pub async fn search_phrases_prefixes_exclusions_and_patterns(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let a = open_with(
        &f,
        &f.ana,
        "Нет связи",
        "Адрес: ул. Кольцевая, д. 14, кв. 15. Телефон не работает.",
    )
    .await;
    let b = open_with(
        &f,
        &f.ana,
        "Связи нет",
        "Адрес: ул. Лесная, д. 3. Интернет медленный.",
    )
    .await;
    let admin = Actor::Agent(f.admin.id);
    let set = |ts: &[&Ticket]| ts.iter().map(|t| t.id).collect::<BTreeSet<_>>();
    assert_eq!(found(&f, admin, "\"нет связи\"").await, set(&[&a]));
    assert_eq!(found(&f, admin, "связи нет").await, set(&[&a, &b]));
    assert_eq!(found(&f, admin, "кольц*").await, set(&[&a]));
    assert_eq!(found(&f, admin, "кольц").await, set(&[]));
    assert_eq!(found(&f, admin, "связи -интернет").await, set(&[&a]));
    assert_eq!(found(&f, admin, "связи -\"не работает\"").await, set(&[&b]));
    assert_eq!(found(&f, admin, "%Кольц%14%кв. 15").await, set(&[&a]));
    assert_eq!(found(&f, admin, "%Лесн%14").await, set(&[]));
}

pub async fn search_shows_customers_no_internal_notes_and_no_other_tickets(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mine = open_with(&f, &f.ana, "Modem", "The modem restarts.").await;
    let theirs = open_with(&f, &f.reza, "Modem too", "Another modem.").await;
    f.desk
        .acting_as(Actor::Agent(f.ivan.id))
        .await
        .unwrap()
        .execute(mine.id, note("zebracode in the logs"))
        .await
        .unwrap();
    let ana = Actor::Customer(f.ana.id);
    assert_eq!(
        found(&f, ana, "modem").await,
        [mine.id].into_iter().collect()
    );
    assert!(found(&f, ana, "zebracode").await.is_empty());
    assert_eq!(
        found(&f, Actor::Agent(f.ivan.id), "zebracode").await,
        [mine.id].into_iter().collect()
    );
    assert_eq!(
        found(&f, Actor::Agent(f.ivan.id), "modem").await,
        [mine.id, theirs.id].into_iter().collect()
    );
    assert!(
        found(&f, Actor::Agent(f.maria.id), "modem")
            .await
            .is_empty(),
        "billing only"
    );
}

pub async fn hostile_queries_give_results_or_validation_errors(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    open_with(
        &f,
        &f.ana,
        "Quotes \" and stars *",
        "NEAR(a b) a:* 'x' \\ &|! -",
    )
    .await;
    let admin = Actor::Agent(f.admin.id);
    for q in [
        "\"",
        "*",
        "NEAR(",
        "near(a b)",
        ":*",
        "'",
        "\\",
        "&|!",
        "\"unbalanced",
        "-",
        "a*b*c",
        "%",
        "%%",
        "'; DROP TABLE tickets; --",
        "a OR b",
        "^x",
        "{subject}: x",
        "x\u{0}y",
        "ROUTER* AND",
        "(((",
        "a\"b",
        "-\"",
        "*x",
        "_%_",
        "%\\%",
    ] {
        match f
            .desk
            .acting_as(admin)
            .await
            .unwrap()
            .search_tickets(q, TicketFilter::default(), PageRequest::default())
            .await
        {
            Ok(_) => {}
            Err(Error::Validation(_)) => {}
            Err(other) => panic!("{q:?} gave {other:?}"),
        }
    }
    assert_eq!(found(&f, admin, "near").await.len(), 1);
}

pub async fn search_with_filters_and_pages_matches_the_reference(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let tickets = varied(&f, 40).await;
    let admin = Actor::Agent(f.admin.id);
    for (i, t) in tickets.iter().enumerate() {
        let text = [
            "router restart",
            "интернет пропал",
            "asistență",
            "router internet",
            "چاپگر",
        ][i % 5];
        let command = if i % 3 == 0 { note(text) } else { reply(text) };
        let _ = f
            .desk
            .acting_as(admin)
            .await
            .unwrap()
            .execute(t.id, command)
            .await;
    }
    let reference = MemoryStore::new();
    let mut writes = Vec::new();
    for t in &tickets {
        let mut w = TicketWrite::create(store.ticket(t.id).await.unwrap().unwrap());
        w.messages = store.messages(t.id, true).await.unwrap();
        writes.push(w);
    }
    reference.commit(WriteBatch::of(writes)).await.unwrap();
    let filters = [
        TicketFilter::default(),
        TicketFilter {
            departments: Some(vec![f.support.id]),
            ..Default::default()
        },
        TicketFilter {
            statuses: Some(vec![Status::Open, Status::New]),
            ..Default::default()
        },
    ];
    for q in [
        "router",
        "router -internet",
        "интернет",
        "asistenta",
        "ticket*",
        "\"router restart\"",
        "%rest%",
        "چاپگر",
    ] {
        for filter in &filters {
            for include_internal in [true, false] {
                let search = crate::search::TicketSearch {
                    query: crate::search::SearchQuery::parse(q).unwrap(),
                    filter: filter.clone(),
                    include_internal,
                };
                for order in [
                    TicketOrder::LastUpdate,
                    TicketOrder::Priority,
                    TicketOrder::Waiting,
                    TicketOrder::Relevance,
                ] {
                    let mut page = PageRequest::first(order, 3);
                    let mut got = Vec::new();
                    let mut want = Vec::new();
                    for _ in 0..100 {
                        let a = store.search_tickets(&search, &page).await.unwrap();
                        let b = reference.search_tickets(&search, &page).await.unwrap();
                        assert_eq!(a.next, b.next, "{q:?} {order:?}");
                        got.extend(a.items);
                        want.extend(b.items);
                        match a.next {
                            Some(c) => page = page.after(c).unwrap(),
                            None => break,
                        }
                    }
                    assert_eq!(
                        got.iter().map(|t| t.number.full()).collect::<Vec<_>>(),
                        want.iter().map(|t| t.number.full()).collect::<Vec<_>>(),
                        "{q:?} {filter:?} internal={include_internal} {order:?}"
                    );
                }
            }
        }
    }
}

// Customer look-up, knowledge base, saved searches ---------------------------------------------

pub async fn customer_look_up_by_contract_phone_email_and_address_pattern(store: Arc<dyn Store>) {
    use crate::search::CustomerLookup;
    let f = Fixture::new(store.clone()).await;
    let admin = Actor::Agent(f.admin.id);
    let mut koltso = crate::service::NewCustomer::new(
        crate::domain::CustomerKind::Individual,
        crate::domain::Name::parse("Пётр Кольцов").unwrap(),
    )
    .with_address(crate::domain::Address::parse("ул. Кольцевая, д. 14, кв. 15").unwrap())
    .with_contract_number(crate::domain::ContractNumber::parse("2013-0416").unwrap())
    .with_phone(crate::domain::Phone::parse("+7 (912) 555-01-02").unwrap());
    koltso.email = Some(crate::domain::Email::parse("Petr@Koltso.example").unwrap());
    let petr = f
        .desk
        .acting_as(admin)
        .await
        .unwrap()
        .create_customer(koltso)
        .await
        .unwrap();
    let neighbour = f
        .desk
        .acting_as(admin)
        .await
        .unwrap()
        .create_customer(
            crate::service::NewCustomer::new(
                crate::domain::CustomerKind::Individual,
                crate::domain::Name::parse("Анна Соседова").unwrap(),
            )
            .with_address(crate::domain::Address::parse("ул. Кольцевая, д. 14, кв. 1").unwrap()),
        )
        .await
        .unwrap();
    let ids = |cs: Vec<crate::domain::Customer>| cs.into_iter().map(|c| c.id).collect::<Vec<_>>();
    let find = |l: CustomerLookup| {
        let desk = f.desk.clone();
        async move {
            desk.acting_as(admin)
                .await
                .unwrap()
                .find_customers(&l)
                .await
                .unwrap()
        }
    };
    let contract = crate::domain::ContractNumber::parse("2013-0416").unwrap();
    assert_eq!(
        ids(find(CustomerLookup::ContractNumber(contract)).await),
        [petr.id]
    );
    assert_eq!(
        ids(find(CustomerLookup::phone("8 912 555 01 02").unwrap()).await),
        Vec::<crate::domain::CustomerId>::new()
    );
    assert_eq!(
        ids(find(CustomerLookup::phone("+7 ۹۱۲ ۵۵۵ ۰۱ ۰۲").unwrap()).await),
        [petr.id]
    );
    assert_eq!(
        ids(find(CustomerLookup::phone("79125550102").unwrap()).await),
        [petr.id]
    );
    assert_eq!(
        ids(find(CustomerLookup::phone("۰۹۱۲ ۳۴۵ ۶۷۸۹").unwrap()).await),
        [f.reza.id]
    );
    let email = crate::domain::Email::parse("PETR@koltso.EXAMPLE").unwrap();
    assert_eq!(ids(find(CustomerLookup::Email(email)).await), [petr.id]);
    assert_eq!(
        ids(find(CustomerLookup::address("%Кольц%14%кв.15").unwrap()).await),
        [petr.id]
    );
    assert_eq!(
        ids(find(CustomerLookup::address("%КОЛЬЦЕВАЯ%").unwrap()).await),
        [neighbour.id, petr.id]
    );
    assert_eq!(
        ids(find(CustomerLookup::address("%кольц%кв.1").unwrap()).await),
        [neighbour.id]
    );
    assert!(
        ids(find(CustomerLookup::address("%кольц_вая%").unwrap()).await).is_empty(),
        "_ is no wildcard"
    );
    assert!(matches!(
        f.desk
            .acting_as(Actor::Customer(f.ana.id))
            .await
            .unwrap()
            .find_customers(&CustomerLookup::address("%a%").unwrap())
            .await,
        Err(Error::Forbidden { .. })
    ));
}

fn article_draft(
    title: &str,
    text: &str,
    language: crate::domain::Language,
    status: crate::domain::ArticleStatus,
    visibility: Visibility,
) -> crate::service::ArticleDraft {
    crate::service::ArticleDraft {
        title: crate::domain::ArticleTitle::parse(title).unwrap(),
        body: body(text),
        category: Category::parse("faq").unwrap(),
        language,
        status,
        visibility,
    }
}

pub async fn knowledge_base_search_suggestions_and_votes(store: Arc<dyn Store>) {
    use crate::domain::{ArticleStatus::*, Language::*};
    let f = Fixture::new(store.clone()).await;
    let ivan = Actor::Agent(f.ivan.id);
    let new = |title: &str, text: &str, lang, status, vis| {
        let desk = f.desk.clone();
        let draft = article_draft(title, text, lang, status, vis);
        async move {
            desk.acting_as(ivan)
                .await
                .unwrap()
                .create_article(draft)
                .await
                .unwrap()
        }
    };
    let router = new(
        "How to restart the router",
        "Unplug the router, wait ten seconds, plug it in.",
        English,
        Published,
        Visibility::Public,
    )
    .await;
    f.tick(1);
    let ro = new(
        "Resetarea parolei",
        "Asistența vă ajută să resetați parola contului.",
        Romanian,
        Published,
        Visibility::Public,
    )
    .await;
    f.tick(1);
    let ru = new(
        "Нет интернета",
        "Проверьте кабель и перезагрузите роутер.",
        Russian,
        Published,
        Visibility::Public,
    )
    .await;
    f.tick(1);
    let fa = new(
        "راه‌اندازی مجدد مودم",
        "مودم را خاموش و روشن کنید.",
        Persian,
        Published,
        Visibility::Public,
    )
    .await;
    f.tick(1);
    let draft = new(
        "Router firmware 2.0 (draft)",
        "Not ready: router firmware notes.",
        English,
        Draft,
        Visibility::Public,
    )
    .await;
    f.tick(1);
    let internal = new(
        "Router admin passwords",
        "Internal: router master password rotation.",
        English,
        Published,
        Visibility::Internal,
    )
    .await;
    let ana = Actor::Customer(f.ana.id);
    let ids = |v: Vec<crate::domain::Article>| v.into_iter().map(|a| a.id).collect::<Vec<_>>();
    // Customers see published public articles only; agents see everything.
    assert_eq!(
        ids(f
            .desk
            .acting_as(ana)
            .await
            .unwrap()
            .search_articles("router", None, 10)
            .await
            .unwrap()),
        [router.id]
    );
    assert_eq!(
        ids(f
            .desk
            .acting_as(ivan)
            .await
            .unwrap()
            .search_articles("router", None, 10)
            .await
            .unwrap()),
        [internal.id, draft.id, router.id]
    );
    assert_eq!(
        ids(f
            .desk
            .acting_as(ana)
            .await
            .unwrap()
            .search_articles("asistenta", None, 10)
            .await
            .unwrap()),
        [ro.id]
    );
    assert_eq!(
        ids(f
            .desk
            .acting_as(ana)
            .await
            .unwrap()
            .search_articles("ИНТЕРНЕТА", None, 10)
            .await
            .unwrap()),
        [ru.id]
    );
    assert_eq!(
        ids(f
            .desk
            .acting_as(ana)
            .await
            .unwrap()
            .search_articles("راهاندازی", None, 10)
            .await
            .unwrap()),
        [fa.id]
    );
    assert_eq!(
        ids(f
            .desk
            .acting_as(ana)
            .await
            .unwrap()
            .search_articles("router", Some(Russian), 10)
            .await
            .unwrap()),
        Vec::<crate::domain::ArticleId>::new()
    );
    assert!(matches!(
        f.desk.acting_as(ana).await.unwrap().article(draft.id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .article(internal.id)
            .await,
        Err(Error::NotFound { .. })
    ));
    // Suggestions while writing a ticket: title words weigh more.
    let suggested = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .suggest_articles("My router blinks, how do I restart it?", None, 5)
        .await
        .unwrap();
    assert_eq!(ids(suggested), [router.id]);
    let suggested = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .suggest_articles("router firmware passwords", None, 5)
        .await
        .unwrap();
    // The draft has router and firmware in its title and body (6), the internal article
    // router and passwords in its title and router in its body (5), the other router in
    // its title and body (3).
    assert_eq!(ids(suggested), [draft.id, internal.id, router.id]);
    assert!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .suggest_articles("a b c", None, 5)
            .await
            .unwrap()
            .is_empty()
    );
    // Votes are counted, concurrently too.
    let votes: Vec<_> = (0..10)
        .map(|i| {
            let desk = f.desk.clone();
            let id = router.id;
            tokio::spawn(async move {
                desk.acting_as(ana)
                    .await
                    .unwrap()
                    .vote_article(id, i % 5 != 0)
                    .await
            })
        })
        .collect();
    for v in votes {
        v.await.unwrap().unwrap();
    }
    let voted = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .article(router.id)
        .await
        .unwrap();
    assert_eq!((voted.helpful, voted.not_helpful), (8, 2));
    assert!(matches!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .vote_article(draft.id, true)
            .await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .create_article(article_draft(
                "x",
                "y",
                English,
                Published,
                Visibility::Public
            ))
            .await,
        Err(Error::Forbidden { .. })
    ));
    // Rewriting keeps the votes.
    f.tick(1);
    let rewritten = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .update_article(
            router.id,
            article_draft(
                "Restart your modem",
                "Modem steps.",
                English,
                Published,
                Visibility::Public,
            ),
        )
        .await
        .unwrap();
    assert_eq!(rewritten.helpful, 8);
    assert_eq!(
        store
            .as_knowledge_store()
            .unwrap()
            .article(router.id)
            .await
            .unwrap()
            .unwrap(),
        rewritten
    );
    assert!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .search_articles("router", None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        ids(f
            .desk
            .acting_as(ana)
            .await
            .unwrap()
            .search_articles("modem", None, 10)
            .await
            .unwrap()),
        [rewritten.id]
    );
}

pub async fn saved_searches_are_per_agent_and_run_their_filter(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let a = open_with(&f, &f.ana, "Router dead", "The router is dead.").await;
    let _b = open_with(&f, &f.reza, "Router slow", "Slow router.").await;
    let ivan = Actor::Agent(f.ivan.id);
    let name = |s: &str| crate::domain::Name::parse(s).unwrap();
    let mine = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .save_search(
            name("Ana's routers"),
            Some("router".into()),
            TicketFilter {
                customer: Some(f.ana.id),
                ..Default::default()
            },
            TicketOrder::LastUpdate,
        )
        .await
        .unwrap();
    let all_new = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .save_search(
            name("All new"),
            None,
            TicketFilter {
                statuses: Some(vec![Status::New]),
                ..Default::default()
            },
            TicketOrder::Priority,
        )
        .await
        .unwrap();
    assert!(matches!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .save_search(
                name("bad"),
                Some("-".into()),
                TicketFilter::default(),
                TicketOrder::LastUpdate
            )
            .await,
        Err(Error::Validation(_))
    ));
    let listed: Vec<_> = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .saved_searches()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name.to_string())
        .collect();
    assert_eq!(listed, ["All new", "Ana's routers"]);
    assert_eq!(
        store
            .as_saved_search_store()
            .unwrap()
            .saved_searches(f.ivan.id)
            .await
            .unwrap()[1],
        mine
    );
    let run = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .run_saved_search(mine.id, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(run.items.iter().map(|t| t.id).collect::<Vec<_>>(), [a.id]);
    let run = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .run_saved_search(all_new.id, PageRequest::first(TicketOrder::LastUpdate, 1))
        .await
        .unwrap();
    assert_eq!(run.items.len(), 1);
    let next = PageRequest::first(TicketOrder::Priority, 1)
        .after(run.next.unwrap())
        .unwrap();
    let run2 = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .run_saved_search(all_new.id, next)
        .await
        .unwrap();
    assert_eq!(run2.items.len(), 1);
    assert_ne!(run.items[0].id, run2.items[0].id);
    // Another agent neither sees nor deletes it.
    let boss = Actor::Agent(f.boss.id);
    assert!(
        f.desk
            .acting_as(boss)
            .await
            .unwrap()
            .saved_searches()
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        f.desk
            .acting_as(boss)
            .await
            .unwrap()
            .delete_saved_search(mine.id)
            .await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        f.desk
            .acting_as(Actor::Customer(f.ana.id))
            .await
            .unwrap()
            .saved_searches()
            .await,
        Err(Error::Forbidden { .. })
    ));
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .delete_saved_search(mine.id)
        .await
        .unwrap();
    assert_eq!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .saved_searches()
            .await
            .unwrap(),
        [all_new]
    );
    assert!(
        !store
            .as_saved_search_store()
            .unwrap()
            .delete_saved_search(mine.id)
            .await
            .unwrap()
    );
}

pub async fn search_results_rank_subject_matches_first(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let body_only = open_with(&f, &f.ana, "Slow line", "The router and the modem are old.").await;
    let one = open_with(
        &f,
        &f.ana,
        "Router resets",
        "It resets every night; modem fine.",
    )
    .await;
    let both = open_with(&f, &f.ana, "Router and modem both dead", "Nothing works.").await;
    let newest = open_with(&f, &f.ana, "Nothing here", "router modem").await;
    let admin = Actor::Agent(f.admin.id);
    let ranked = |size| {
        let desk = f.desk.clone();
        async move {
            let mut page = PageRequest::first(TicketOrder::Relevance, size);
            let mut out = Vec::new();
            for _ in 0..20 {
                let got = desk
                    .acting_as(admin)
                    .await
                    .unwrap()
                    .search_tickets("router modem", TicketFilter::default(), page.clone())
                    .await
                    .unwrap();
                out.extend(got.items.into_iter().map(|t| t.id));
                match got.next {
                    Some(c) => page = page.after(c).unwrap(),
                    None => break,
                }
            }
            out
        }
    };
    // Both words in the subject, then one, then body-only matches newest first.
    let want = [both.id, one.id, newest.id, body_only.id];
    for size in [1, 2, 10] {
        assert_eq!(ranked(size).await, want, "pages of {size}");
    }
    // Outside a search, the relevance order is the last-update order.
    let listed = f
        .desk
        .acting_as(admin)
        .await
        .unwrap()
        .list_tickets(
            TicketFilter::default(),
            PageRequest::first(TicketOrder::Relevance, 10),
        )
        .await
        .unwrap();
    assert_eq!(
        listed.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [newest.id, both.id, one.id, body_only.id]
    );
}

// Satisfaction and priority requests ---------------------------------------------------------

pub async fn customers_rate_solved_tickets_once(store: Arc<dyn Store>) {
    use crate::domain::Rating;
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "Slow").await;
    let (ana, ivan) = (Actor::Customer(f.ana.id), Actor::Agent(f.ivan.id));
    let rate = |score| Command::RateSatisfaction {
        score: Rating::new(score).unwrap(),
        comment: Some(ShortNote::parse("Mulțumesc, rapid!").unwrap()),
    };
    assert!(matches!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .execute(t.id, rate(5))
            .await,
        Err(Error::InvalidTransition { .. })
    ));
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::Resolve {
                body: Some(body("Fixed")),
            },
        )
        .await
        .unwrap();
    f.desk
        .acting_as(ana)
        .await
        .unwrap()
        .execute(t.id, Command::ConfirmResolution)
        .await
        .unwrap();
    assert!(matches!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(t.id, rate(1))
            .await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::CustomersOnly
        })
    ));
    let rated = changed(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .execute(t.id, rate(5))
            .await
            .unwrap(),
    );
    let satisfaction = rated.satisfaction.clone().unwrap();
    assert_eq!(satisfaction.score.get(), 5);
    assert_eq!(store.ticket(t.id).await.unwrap().unwrap(), rated);
    let before = snapshot(store.as_ref(), &rated).await;
    assert!(matches!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .execute(t.id, rate(1))
            .await,
        Err(Error::Conflict {
            kind: ConflictKind::Duplicate { .. },
            ..
        })
    ));
    assert_eq!(snapshot(store.as_ref(), &rated).await, before);
    let history = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .history(t.id)
        .await
        .unwrap();
    assert!(history.iter().any(|e| matches!(
        &e.change,
        Change::SatisfactionRated { score, .. } if score.get() == 5
    )));
    assert!(Rating::new(0).is_err() && Rating::new(6).is_err());
    // Closed unsolved: nothing to rate.
    let u = f.open(&f.ana, "Other").await;
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(
            u.id,
            Command::Close {
                resolution: Resolution::Unsolved,
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .execute(u.id, rate(3))
            .await,
        Err(Error::InvalidTransition { .. })
    ));
}

pub async fn priority_requests_are_decided_within_the_priority_rules(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "Office down").await;
    let (ana, ivan, boss) = (
        Actor::Customer(f.ana.id),
        Actor::Agent(f.ivan.id),
        Actor::Agent(f.boss.id),
    );
    let ask = |p| Command::RequestPriority {
        priority: p,
        reason: ShortNote::parse("Весь офис без связи").unwrap(),
    };
    assert!(matches!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .execute(t.id, ask(Priority::Low))
            .await,
        Err(Error::Validation(_))
    ));
    assert!(matches!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(t.id, ask(Priority::High))
            .await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::CustomersOnly
        })
    ));
    let asked = changed(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .execute(t.id, ask(Priority::Urgent))
            .await
            .unwrap(),
    );
    assert_eq!(
        asked.priority_request.as_ref().map(|r| r.priority),
        Some(Priority::Urgent)
    );
    assert_eq!(
        asked.priority,
        Priority::Normal,
        "asking changes nothing by itself"
    );
    // An agent without RaisePriority cannot lift an individual above Normal.
    let before = snapshot(store.as_ref(), &asked).await;
    let err = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(t.id, Command::DecidePriorityRequest { approve: true })
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Forbidden {
            reason: ForbiddenReason::PriorityAboveCap {
                cap: Priority::Normal
            }
        }
    ));
    assert_eq!(snapshot(store.as_ref(), &asked).await, before);
    let approved = changed(
        f.desk
            .acting_as(boss)
            .await
            .unwrap()
            .execute(t.id, Command::DecidePriorityRequest { approve: true })
            .await
            .unwrap(),
    );
    assert_eq!(
        (approved.priority, approved.priority_request.clone()),
        (Priority::Urgent, None)
    );
    // Declining leaves the priority alone; both are in the history the customer sees.
    let u = f.open(&f.ana, "Printer").await;
    f.desk
        .acting_as(ana)
        .await
        .unwrap()
        .execute(u.id, ask(Priority::High))
        .await
        .unwrap();
    let declined = changed(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(u.id, Command::DecidePriorityRequest { approve: false })
            .await
            .unwrap(),
    );
    assert_eq!(
        (declined.priority, declined.priority_request.clone()),
        (Priority::Normal, None)
    );
    assert!(matches!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(u.id, Command::DecidePriorityRequest { approve: true })
            .await,
        Err(Error::Validation(_))
    ));
    let kinds: Vec<_> = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .history(t.id)
        .await
        .unwrap()
        .iter()
        .map(|e| e.change.kind())
        .collect();
    assert_eq!(
        &kinds[kinds.len() - 3..],
        [
            "priority_requested",
            "priority_changed",
            "priority_request_decided"
        ]
    );
}

// Templates and canned responses -------------------------------------------------------------

pub async fn ticket_templates_fill_in_and_refuse_missing_fields(store: Arc<dyn Store>) {
    use crate::domain::{FieldKey, Name};
    use crate::service::{FromTemplate, TemplateDraft};
    let f = Fixture::new(store.clone()).await;
    let admin = Actor::Agent(f.admin.id);
    let line_down = f
        .desk
        .acting_as(admin)
        .await
        .unwrap()
        .create_template(TemplateDraft {
            name: Name::parse("Телефон не работает").unwrap(),
            ticket_type: TicketType::custom("line-down").unwrap(),
            subject_prefix: Some(Name::parse("Нет связи").unwrap()),
            department: f.support.id,
            priority: Some(Priority::Urgent),
            categories: [Category::parse("phone").unwrap()].into_iter().collect(),
            required_fields: ["address", "failing_number", "callback_number"]
                .into_iter()
                .map(|k| FieldKey::parse(k).unwrap())
                .collect(),
            body: body("Адрес: …\nНомер, который не работает: …\nНомер для связи: …"),
        })
        .await
        .unwrap();
    assert_eq!(
        store
            .as_template_store()
            .unwrap()
            .template(line_down.id)
            .await
            .unwrap()
            .unwrap(),
        line_down
    );
    assert_eq!(
        f.desk
            .acting_as(Actor::Customer(f.ana.id))
            .await
            .unwrap()
            .templates()
            .await
            .unwrap(),
        std::slice::from_ref(&line_down)
    );
    let ivan = Actor::Agent(f.ivan.id);
    let input = |fields: CustomFields| FromTemplate {
        customer: Some(f.reza.id),
        subject: "Кольцевая 14".into(),
        body: None,
        custom_fields: fields,
        channel: crate::domain::Channel::Phone,
    };
    let partial = CustomFields::new()
        .with(
            "address",
            FieldValue::Text("ул. Кольцевая, д. 14, кв. 15".into()),
        )
        .unwrap();
    let err = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .open_from_template(line_down.id, input(partial.clone()))
        .await
        .unwrap_err();
    match &err {
        Error::Validation(v) => {
            assert_eq!(v.field(), "custom_fields");
            assert!(
                v.message().contains("failing_number") && v.message().contains("callback_number"),
                "{v}"
            );
            assert!(!v.message().contains("address"), "{v}");
        }
        other => panic!("{other:?}"),
    }
    let all = partial
        .with(
            "failing_number",
            FieldValue::Text("+7 495 123-45-67".into()),
        )
        .unwrap()
        .with(
            "callback_number",
            FieldValue::Text("+7 912 555-01-02".into()),
        )
        .unwrap();
    let t = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .open_from_template(line_down.id, input(all))
        .await
        .unwrap();
    assert_eq!(t.subject.as_str(), "Нет связи: Кольцевая 14");
    assert_eq!(t.ticket_type.as_str(), "line-down");
    assert_eq!(
        t.priority,
        Priority::Normal,
        "the priority rules still decide for individuals"
    );
    assert!(t.categories.contains(&Category::parse("phone").unwrap()));
    assert_eq!(t.channel, crate::domain::Channel::Phone);
    assert!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .thread(t.id)
            .await
            .unwrap()[0]
            .body
            .as_str()
            .starts_with("Адрес:")
    );
    assert!(matches!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .create_template(template_draft_like(&line_down))
            .await,
        Err(Error::Forbidden { .. })
    ));
}

fn template_draft_like(t: &crate::domain::TicketTemplate) -> crate::service::TemplateDraft {
    crate::service::TemplateDraft {
        name: t.name.clone(),
        ticket_type: t.ticket_type.clone(),
        subject_prefix: t.subject_prefix.clone(),
        department: t.department,
        priority: t.priority,
        categories: t.categories.clone(),
        required_fields: t.required_fields.clone(),
        body: t.body.clone(),
    }
}

pub async fn canned_responses_fill_placeholders_and_keep_one_signature(store: Arc<dyn Store>) {
    use crate::domain::{Language, Name};
    let f = Fixture::new(store.clone()).await;
    let ivan = Actor::Agent(f.ivan.id);
    let t = f.open(&f.ana, "Parola").await;
    let ro = f
        .desk
        .acting_as(ivan).await.unwrap()
        .create_canned_response(Some(f.support.id),
            Name::parse("Resetare parolă").unwrap(),
            Language::Romanian,
            body("Bună ziua, {{customer_name}}! Tichetul #{{ticket_number}}: {{ticket_link}}\n{{agent_name}}"),
        )
        .await
        .unwrap();
    let general = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .create_canned_response(
            None,
            Name::parse("Спасибо").unwrap(),
            Language::Russian,
            body("Спасибо, {{customer_name}}!"),
        )
        .await
        .unwrap();
    let _billing = f
        .desk
        .as_system()
        .create_canned_response(
            Some(f.billing.id),
            Name::parse("Factură").unwrap(),
            Language::Romanian,
            body("Factura pentru {{customer_name}}"),
        )
        .await
        .unwrap();
    assert!(matches!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .create_canned_response(
                None,
                Name::parse("x").unwrap(),
                Language::English,
                body("{{password}}")
            )
            .await,
        Err(Error::Validation(_))
    ));
    let names = |v: Vec<crate::domain::CannedResponse>| {
        v.into_iter()
            .map(|c| c.name.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(
            f.desk
                .acting_as(ivan)
                .await
                .unwrap()
                .canned_responses(Some(f.support.id), None)
                .await
                .unwrap()
        ),
        ["Resetare parolă", "Спасибо"]
    );
    assert_eq!(
        names(
            f.desk
                .acting_as(ivan)
                .await
                .unwrap()
                .canned_responses(Some(f.support.id), Some(Language::Romanian))
                .await
                .unwrap()
        ),
        ["Resetare parolă"]
    );
    assert_eq!(
        names(
            f.desk
                .acting_as(ivan)
                .await
                .unwrap()
                .canned_responses(None, Some(Language::Romanian))
                .await
                .unwrap()
        ),
        ["Factură", "Resetare parolă"]
    );
    let text = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .fill_canned_response(ro.id, t.id, "https://desk.example/t/")
        .await
        .unwrap();
    let short = t.number.short();
    assert_eq!(
        text.as_str(),
        format!(
            "Bună ziua, Ana Popescu! Tichetul #{short}: https://desk.example/t/{short}\nИван Петров"
        )
    );
    // Sent as a reply, it gets the signature once.
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::Reply {
                body: text,
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    let sent = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .thread(t.id)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(sent.body.as_str().matches("Иван, техподдержка").count(), 1);
    assert!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .fill_canned_response(general.id, t.id, "")
            .await
            .is_ok()
    );
    assert!(matches!(
        f.desk
            .acting_as(Actor::Customer(f.ana.id))
            .await
            .unwrap()
            .canned_responses(None, None)
            .await,
        Err(Error::Forbidden { .. })
    ));
}
