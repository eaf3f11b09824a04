//! Triggers and macros (issue 22, items 1 and 3) through the desk: a rule's actions commit
//! with the change that fired it and are logged; rules run by position and their own
//! changes fire no rule; the limit per ticket per hour; a dry run; only admins manage
//! rules; macros apply to a selection per ticket, authorized as the same actions by hand.

use std::sync::Arc;

use crate::automation::{Action, Conditions, RuleEvent};
use crate::domain::{Actor, Language, Name, Priority, Status, Tag, TicketType, Visibility};
use crate::error::{Entity, Error, ForbiddenReason};
use crate::service::{Acting, MacroOutcome, RuleDraft};
use crate::store::Store;
use crate::testkit::{Fixture, ability, body};

use super::reply;

fn name(text: &str) -> Name {
    Name::parse(text).unwrap()
}

fn tag(text: &str) -> Tag {
    Tag::parse(text).unwrap()
}

fn draft(rule: &str, position: u32, conditions: Conditions, actions: Vec<Action>) -> RuleDraft {
    RuleDraft {
        name: name(rule),
        position,
        active: true,
        conditions,
        actions,
        schedule: None,
    }
}

fn on(events: &[RuleEvent]) -> Conditions {
    Conditions {
        events: events.to_vec(),
        ..Conditions::default()
    }
}

async fn admin(f: &Fixture) -> Acting {
    f.as_agent(&f.admin).await
}

pub async fn a_trigger_acts_in_the_same_commit_as_the_change_and_is_logged(store: Arc<dyn Store>) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = admin(&f).await;
    let rule = admin
        .create_rule(draft(
            "Internet to Ivan",
            1,
            Conditions {
                text: Some(name("INTERNETUL")),
                ..on(&[RuleEvent::Created])
            },
            vec![
                Action::AddTag { tag: tag("rețea") },
                Action::SetPriority {
                    priority: Priority::Low,
                },
                // Above an individual's ceiling: the priority rules refuse it, it is skipped.
                Action::SetPriority {
                    priority: Priority::Urgent,
                },
                Action::Assign {
                    agent: Some(f.ivan.id),
                },
                Action::AddNote {
                    body: body("Routed by the internet rule"),
                },
            ],
        ))
        .await
        .unwrap();
    let t = f.open(&f.ana, "Nu merge internetul").await;
    let other = f.open(&f.ana, "Factura greșită").await;

    // One commit: the ticket as the customer's change returns it already carries the rule's
    // work, at the first version.
    let stored = store.ticket(t.id).await.unwrap().unwrap();
    assert_eq!(stored, t);
    assert_eq!(t.version, crate::domain::Version::FIRST);
    assert_eq!(t.tags, [tag("retea")].into());
    assert_eq!((t.priority, t.assignee), (Priority::Low, Some(f.ivan.id)));
    let history = store.history(t.id).await.unwrap();
    let by_system: Vec<&str> = (history.iter())
        .filter(|e| e.actor == Actor::System)
        .map(|e| e.change.kind())
        .collect();
    assert_eq!(
        by_system,
        [
            "tagged",
            "priority_changed",
            "assignee_changed",
            "note_added"
        ]
    );
    let notes: Vec<String> = (store.messages(t.id, true).await.unwrap().into_iter())
        .filter(|m| m.visibility == Visibility::Internal)
        .map(|m| m.body.as_str().to_owned())
        .collect();
    assert_eq!(notes, ["Routed by the internet rule"]);
    // The customer never sees the note.
    let ana = f.as_customer(&f.ana).await;
    assert_eq!(ana.thread(t.id).await.unwrap().len(), 1);

    // The log: which rule, which ticket, when, the actions that took effect.
    let log = admin.rule_firings(None, 50).await.unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!((log[0].rule, log[0].ticket_id), (rule.id, t.id));
    assert_eq!(log[0].rule_name, rule.name);
    assert_eq!(log[0].at, t.created_at);
    assert_eq!(
        log[0].actions,
        [
            rule.actions[0].clone(),
            rule.actions[1].clone(),
            rule.actions[3].clone(),
            rule.actions[4].clone()
        ]
    );
    assert!(
        admin
            .rule_firings(Some(other.id), 50)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(other.tags.is_empty());

    // An inactive rule fires no more.
    admin
        .update_rule(
            rule.id,
            RuleDraft {
                active: false,
                ..draft(
                    "Internet to Ivan",
                    1,
                    rule.conditions.clone(),
                    rule.actions.clone(),
                )
            },
        )
        .await
        .unwrap();
    let third = f.open(&f.ana, "Internetul iar").await;
    assert!(third.tags.is_empty());
    assert_eq!(admin.rule_firings(None, 50).await.unwrap().len(), 1);
}

pub async fn rules_run_by_position_and_their_own_changes_fire_no_rule(store: Arc<dyn Store>) {
    if ability(store.as_automation_store(), "automation").is_none()
        || ability(store.as_template_store(), "templates").is_none()
    {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = admin(&f).await;
    let response = admin
        .create_canned_response(
            None,
            name("Received"),
            Language::Romanian,
            body("Bună, {{customer_name}}: am primit cererea {{ticket_number}}."),
        )
        .await
        .unwrap();
    // Made in the opposite order of their positions.
    let second = admin
        .create_rule(draft(
            "second",
            20,
            on(&[RuleEvent::Created]),
            vec![
                Action::SetPriority {
                    priority: Priority::Normal,
                },
                Action::AddTag { tag: tag("second") },
            ],
        ))
        .await
        .unwrap();
    let first = admin
        .create_rule(draft(
            "first",
            10,
            on(&[RuleEvent::Created]),
            vec![
                Action::SetPriority {
                    priority: Priority::Low,
                },
                Action::Reply {
                    response: response.id,
                },
            ],
        ))
        .await
        .unwrap();
    // Would fire on the first rule's reply and status change, were rules' changes evaluated.
    admin
        .create_rule(draft(
            "loop",
            30,
            on(&[RuleEvent::AgentReplied, RuleEvent::StatusChanged]),
            vec![Action::AddTag { tag: tag("loop") }],
        ))
        .await
        .unwrap();
    assert_eq!(
        (admin.rules().await.unwrap().iter())
            .map(|r| r.name.as_str().to_owned())
            .collect::<Vec<_>>(),
        ["first", "second", "loop"]
    );
    let t = f.open(&f.ana, "Nu merge").await;
    // The second rule ran after the first: its priority is the one left.
    assert_eq!(t.priority, Priority::Normal);
    assert_eq!(t.tags, [tag("second")].into());
    let thread = store.messages(t.id, false).await.unwrap();
    assert_eq!(thread.len(), 2);
    assert_eq!(thread[1].author, Actor::System);
    assert_eq!(
        thread[1].body.as_str(),
        format!("Bună, Ana Popescu: am primit cererea {}.", t.number.short())
    );
    assert_ne!(t.status, Status::New);
    let mut log = admin.rule_firings(Some(t.id), 50).await.unwrap();
    log.reverse();
    assert_eq!(
        log.iter().map(|l| l.rule).collect::<Vec<_>>(),
        [first.id, second.id]
    );
    // A later change by a person fires the rules of its events again.
    let ivan = f.as_agent(&f.ivan).await;
    ivan.execute(t.id, reply("Verificăm.")).await.unwrap();
    let after = store.ticket(t.id).await.unwrap().unwrap();
    assert!(after.tags.contains(&tag("loop")), "{:?}", after.tags);
}

pub async fn rules_fire_at_most_ten_times_an_hour_on_a_ticket(store: Arc<dyn Store>) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = admin(&f).await;
    admin
        .create_rule(draft(
            "seen",
            1,
            on(&[RuleEvent::CustomerReplied]),
            vec![Action::AddNote { body: body("seen") }],
        ))
        .await
        .unwrap();
    let t = f.open(&f.ana, "Nu merge").await;
    let ana = f.as_customer(&f.ana).await;
    for i in 0..12 {
        ana.execute(t.id, reply(&format!("încă o dată {i}")))
            .await
            .unwrap();
        f.tick(60);
    }
    let count_notes = || async {
        (store.messages(t.id, true).await.unwrap().iter())
            .filter(|m| m.visibility == Visibility::Internal)
            .count()
    };
    assert_eq!(admin.rule_firings(Some(t.id), 50).await.unwrap().len(), 10);
    assert_eq!(count_notes().await, 10);
    // An hour after the first firing, one fits again.
    f.tick(3600);
    ana.execute(t.id, reply("după o oră")).await.unwrap();
    assert_eq!(admin.rule_firings(Some(t.id), 50).await.unwrap().len(), 11);
    assert_eq!(count_notes().await, 11);
}

pub async fn a_dry_run_lists_the_tickets_a_rule_would_touch_and_writes_nothing(
    store: Arc<dyn Store>,
) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = admin(&f).await;
    let a = f.open(&f.ana, "Router roșu").await;
    let b = f.open(&f.acme, "Router down").await;
    let _c = f.open(&f.ana, "Factura").await;
    let conditions = Conditions {
        text: Some(name("router")),
        statuses: vec![Status::New],
        ticket_types: vec![TicketType::default()],
        // Ignored by a dry run.
        events: vec![RuleEvent::SlaBreached],
        ..Conditions::default()
    };
    let mut found: Vec<_> = (admin.dry_run_rule(&conditions).await.unwrap().into_iter())
        .map(|t| t.id)
        .collect();
    found.sort();
    let mut expected = vec![a.id, b.id];
    expected.sort();
    assert_eq!(found, expected);
    let only_acme = Conditions {
        customers: vec![f.acme.id],
        ..conditions.clone()
    };
    let found: Vec<_> = (admin.dry_run_rule(&only_acme).await.unwrap().iter())
        .map(|t| t.id)
        .collect();
    assert_eq!(found, [b.id]);
    assert_eq!(store.ticket(a.id).await.unwrap().unwrap(), a);
    assert!(admin.rule_firings(None, 10).await.unwrap().is_empty());
    let ivan = f.as_agent(&f.ivan).await;
    assert!(matches!(
        ivan.dry_run_rule(&conditions).await,
        Err(Error::Forbidden { .. })
    ));
}

pub async fn only_admins_manage_rules_and_invalid_rules_write_nothing(store: Arc<dyn Store>) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = admin(&f).await;
    let ivan = f.as_agent(&f.ivan).await;
    let ana = f.as_customer(&f.ana).await;
    let good = || {
        draft(
            "tag",
            1,
            Conditions::default(),
            vec![Action::AddTag { tag: tag("x") }],
        )
    };
    for acting in [&ivan, &ana] {
        assert!(matches!(
            acting.create_rule(good()).await,
            Err(Error::Forbidden { .. })
        ));
        assert!(matches!(acting.rules().await, Err(Error::Forbidden { .. })));
        assert!(matches!(
            acting.rule_firings(None, 10).await,
            Err(Error::Forbidden { .. })
        ));
    }
    assert!(matches!(
        admin
            .create_rule(draft("none", 1, Conditions::default(), vec![]))
            .await,
        Err(Error::Validation(_))
    ));
    let nowhere = crate::domain::DepartmentId::new();
    assert!(matches!(
        admin
            .create_rule(draft(
                "move",
                1,
                Conditions::default(),
                vec![Action::MoveDepartment {
                    department: nowhere
                }],
            ))
            .await,
        Err(Error::NotFound {
            entity: Entity::Department,
            ..
        })
    ));
    assert!(admin.rules().await.unwrap().is_empty());
    let rule = admin.create_rule(good()).await.unwrap();
    assert!(matches!(
        ivan.delete_rule(rule.id).await,
        Err(Error::Forbidden { .. })
    ));
    admin.delete_rule(rule.id).await.unwrap();
    assert!(matches!(
        admin.delete_rule(rule.id).await,
        Err(Error::NotFound {
            entity: Entity::Rule,
            ..
        })
    ));
}

pub async fn a_macro_applies_to_each_ticket_in_one_commit_as_the_agent_may(store: Arc<dyn Store>) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = admin(&f).await;
    let actions = vec![
        Action::AddNote {
            body: body("Checked by the macro"),
        },
        Action::AddTag {
            tag: tag("checked"),
        },
        Action::SetPriority {
            priority: Priority::Low,
        },
    ];
    let ivan = f.as_agent(&f.ivan).await;
    assert!(matches!(
        ivan.create_macro(name("Check"), actions.clone()).await,
        Err(Error::Forbidden { .. })
    ));
    let check = admin.create_macro(name("Check"), actions).await.unwrap();
    assert_eq!(ivan.macros().await.unwrap(), std::slice::from_ref(&check));

    let t1 = f.open(&f.ana, "Unu").await;
    let t2 = f.open(&f.acme, "Doi").await;
    let billing = f
        .as_customer(&f.ana)
        .await
        .open_ticket(f.new_ticket(&f.billing, "Factura"))
        .await
        .unwrap();
    let results = ivan
        .apply_macro(check.id, &[t1.id, billing.id, t2.id])
        .await
        .unwrap();
    assert_eq!(
        results.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        [t1.id, billing.id, t2.id]
    );
    let MacroOutcome::Changed(after) = &results[0].1 else {
        panic!("{results:?}")
    };
    // One commit: one version more, three changes by Ivan.
    assert_eq!(after.version, t1.version.next());
    assert_eq!(after.tags, [tag("checked")].into());
    assert_eq!(after.priority, Priority::Low);
    let history = store.history(t1.id).await.unwrap();
    let by_ivan: Vec<&str> = (history.iter())
        .filter(|e| e.actor == Actor::Agent(f.ivan.id))
        .map(|e| e.change.kind())
        .collect();
    assert_eq!(by_ivan, ["note_added", "tagged", "priority_changed"]);
    // A ticket outside Ivan's departments is not found to him.
    assert!(matches!(
        &results[1].1,
        MacroOutcome::Refused(Error::NotFound {
            entity: Entity::Ticket,
            ..
        })
    ));
    assert!(matches!(results[2].1, MacroOutcome::Changed(_)));
    // Again: nothing left to change but the note.
    let again = ivan.apply_macro(check.id, &[t1.id]).await.unwrap();
    assert!(matches!(again[0].1, MacroOutcome::Changed(_)));

    // Maria may read and note in Billing, not tag: the macro is refused whole there.
    let maria = f.as_agent(&f.maria).await;
    let before = super::snapshot(store.as_ref(), &billing).await;
    let refused = maria.apply_macro(check.id, &[billing.id]).await.unwrap();
    assert!(
        matches!(
            &refused[0].1,
            MacroOutcome::Refused(Error::Forbidden {
                reason: ForbiddenReason::MissingPermission { .. }
            })
        ),
        "{refused:?}"
    );
    assert_eq!(super::snapshot(store.as_ref(), &billing).await, before);
    // Customers apply no macros.
    let ana = f.as_customer(&f.ana).await;
    assert!(matches!(
        ana.apply_macro(check.id, &[t1.id]).await,
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        ivan.apply_macro(check.id, &[]).await,
        Err(Error::Validation(_))
    ));
    admin.delete_macro(check.id).await.unwrap();
    assert!(ivan.macros().await.unwrap().is_empty());
}
