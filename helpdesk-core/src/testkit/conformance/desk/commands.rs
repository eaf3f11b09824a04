//! Commands as the desk runs them: illegal ones are typed errors that change nothing, a
//! stale version is a conflict, concurrent commands from one version have one winner and
//! those without a version all apply, and every edit is in the history.

use std::sync::Arc;

use super::{change_kinds, note, reply, snapshot};
use crate::domain::{
    Category, CustomFields, FieldValue, Minutes, Priority, Resolution, ServiceName, ShortNote,
    Status, TicketId, TicketType, Version,
};
use crate::error::{ConflictKind, Error, ForbiddenReason};
use crate::machine::Command;
use crate::service::{ExecOptions, Outcome};
use crate::store::{Store, TicketWrite, WriteBatch};
use crate::testkit::Fixture;

pub async fn illegal_commands_are_typed_errors_and_change_nothing(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (ivan, ana) = (f.as_agent(&f.ivan).await, f.as_customer(&f.ana).await);
    let t = f.open(&f.ana, "Broken").await;
    let before = snapshot(store.as_ref(), &t).await;
    let err = ana.execute(t.id, note("let me in")).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Forbidden {
                reason: ForbiddenReason::AgentsOnly
            }
        ),
        "{err:?}"
    );
    let close = |resolution| Command::Close { resolution };
    let err = ana
        .execute(t.id, close(Resolution::Solved))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }));
    let err = ana
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
    let err = ivan.execute(t.id, Command::Reopen).await.unwrap_err();
    assert!(matches!(err, Error::InvalidTransition { .. }));
    let maria = f.as_agent(&f.maria).await;
    let err = maria
        .execute(t.id, reply("not my department"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NotFound { .. }),
        "outside her departments: {err:?}"
    );
    assert_eq!(snapshot(store.as_ref(), &t).await, before);

    ivan.execute(t.id, close(Resolution::Solved)).await.unwrap();
    let closed = store.ticket(t.id).await.unwrap().unwrap();
    let before = snapshot(store.as_ref(), &closed).await;
    for command in [
        Command::Resolve { body: None },
        close(Resolution::Unsolved),
        reply("agents reopen first"),
        Command::ChangePriority {
            priority: Priority::Low,
        },
        Command::PutOnHold {
            reason: None,
            until: None,
        },
        close(Resolution::Merged),
    ] {
        let err = ivan.execute(t.id, command).await.unwrap_err();
        assert!(matches!(err, Error::InvalidTransition { .. }), "{err:?}");
    }
    assert_eq!(snapshot(store.as_ref(), &closed).await, before);
    assert!(matches!(
        ivan.execute(TicketId::new(), reply("?")).await,
        Err(Error::NotFound { .. })
    ));
}

pub async fn a_stale_version_conflicts_and_writes_nothing(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ivan = f.as_agent(&f.ivan).await;
    let t = f.open(&f.ana, "Versioned").await;
    ivan.execute(t.id, note("first")).await.unwrap();
    let before = snapshot(store.as_ref(), &t).await;
    let options = ExecOptions {
        expected: Some(t.version),
        ..Default::default()
    };
    let err = ivan
        .execute_with(t.id, note("from a stale screen"), options)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Conflict { kind: ConflictKind::StaleVersion { expected, actual }, .. }
            if expected == Version::FIRST && actual == Version::new(2)
    ));
    assert_eq!(snapshot(store.as_ref(), &t).await, before);
    // At the store too.
    let stale = crate::domain::Ticket {
        version: Version::new(2),
        ..t.clone()
    };
    let err = store
        .commit(WriteBatch::one(TicketWrite::update(Version::FIRST, stale)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }));
    assert_eq!(snapshot(store.as_ref(), &t).await, before);
}

/// Four commands from one version, by two agents at once: exactly one applies.
pub async fn concurrent_commands_from_one_version_let_exactly_one_win(store: Arc<dyn Store>) {
    let f = Arc::new(Fixture::new(store.clone()).await);
    let t = f.open(&f.ana, "Race").await;
    let options = ExecOptions {
        expected: Some(Version::FIRST),
        ..Default::default()
    };
    let tasks: Vec<_> = (0..4)
        .map(|i| {
            let f = f.clone();
            tokio::spawn(async move {
                let agent = if i % 2 == 0 { &f.ivan } else { &f.boss };
                let command = if i < 2 {
                    Command::ChangePriority {
                        priority: Priority::Low,
                    }
                } else {
                    note("racing note")
                };
                f.as_agent(agent)
                    .await
                    .execute_with(t.id, command, options)
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

/// Replies without a version by `n` agents at once to one ticket: every one succeeds, and the
/// thread holds each exactly once (none lost, none duplicated), one version per reply.
async fn concurrent_replies_without_a_version(store: Arc<dyn Store>, n: u64) {
    let f = Arc::new(Fixture::new(store.clone()).await);
    let t = f.open(&f.ana, "Busy").await;
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let f = f.clone();
            tokio::spawn(async move {
                let agent = if i % 2 == 0 { &f.ivan } else { &f.boss };
                let acting = f.as_agent(agent).await;
                acting.execute(t.id, reply(&format!("reply {i}"))).await
            })
        })
        .collect();
    for task in tasks {
        if let Err(e) = task.await.unwrap() {
            panic!("a reply without a version failed: {e:?}");
        }
    }
    let after = store.ticket(t.id).await.unwrap().unwrap();
    assert_eq!(after.version.get(), 1 + n);
    let mut bodies: Vec<String> = store
        .messages(t.id, true)
        .await
        .unwrap()
        .into_iter()
        .skip(1)
        // The first line: agents' signatures follow it.
        .map(|m| {
            m.body
                .as_str()
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    bodies.sort();
    let mut want: Vec<String> = (0..n).map(|i| format!("reply {i}")).collect();
    want.sort();
    assert_eq!(bodies, want);
}

pub async fn eight_concurrent_replies_without_a_version_all_apply_once(store: Arc<dyn Store>) {
    concurrent_replies_without_a_version(store, 8).await;
}

pub async fn thirty_two_concurrent_replies_without_a_version_all_apply_once(store: Arc<dyn Store>) {
    concurrent_replies_without_a_version(store, 32).await;
}

pub async fn edits_are_recorded_in_the_history(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "Edits").await;
    let boss = f.as_agent(&f.boss).await;
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
            service: Some(ServiceName::parse("Internet 100").unwrap()),
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
            note_visible_to_customer: false,
        },
        Command::MoveToDepartment {
            department: f.sales.id,
        },
    ];
    for command in commands {
        f.tick(1);
        boss.execute(t.id, command).await.unwrap();
    }
    let admin = f.as_agent(&f.admin).await;
    let after = admin.ticket(t.id).await.unwrap();
    assert_eq!(after.department, f.sales.id);
    assert_eq!(after.assignee, None);
    assert_eq!(after.priority, Priority::Low);
    assert_eq!(after.ticket_type.as_str(), "billing-dispute");
    assert_eq!(after.version, Version::new(9));
    let kinds = change_kinds(&store.history(t.id).await.unwrap());
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
    let same = admin
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
