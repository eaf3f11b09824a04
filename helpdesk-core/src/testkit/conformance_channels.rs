//! Conformance checks for what the desk does around a change, through [`Helpdesk`]: in-app
//! notifications, e-mail queued in the outbox, and attachments within the limits. Each takes
//! a fresh, empty store.
#![allow(missing_docs)]

use std::sync::Arc;

use chrono::Duration;

use super::samples::email;
use super::{Fixture, body};
use crate::Helpdesk;
use crate::clock::Clock;
use crate::domain::{
    Actor, EmailKind, Language, Notification, NotificationAction, NotificationId, NotificationKind,
    Priority, SlaTarget, Visibility,
};
use crate::error::{Entity, Error};
use crate::machine::Command;
use crate::service::{AttachmentLimits, MailSettings, Upload};
use crate::store::{BlobKey, BlobStore, MemoryBlobStore, Store};

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().expect("an RFC 3339 instant")
}

fn kinds(list: &[Notification]) -> Vec<&'static str> {
    let mut kinds: Vec<_> = list.iter().map(|n| n.kind.as_str()).collect();
    kinds.reverse();
    kinds
}

fn mailing(f: &Fixture) -> Helpdesk {
    f.desk.clone().with_mail(
        MailSettings::new(email("support@desk.test"), f.support.id).with_from_name("Desk Support"),
    )
}

pub async fn events_notify_the_people_they_concern(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (ana, ivan, boss) = (
        Actor::Customer(f.ana.id),
        Actor::Agent(f.ivan.id),
        Actor::Agent(f.boss.id),
    );
    let t = f.open(&f.ana, "Router blinks red").await;
    // The department's agents hear of the new ticket; the admin (in no department) does not.
    assert_eq!(
        kinds(
            &f.desk
                .acting_as(ivan)
                .await
                .unwrap()
                .notifications(50)
                .await
                .unwrap()
        ),
        ["new_ticket"]
    );
    assert_eq!(
        kinds(
            &f.desk
                .acting_as(boss)
                .await
                .unwrap()
                .notifications(50)
                .await
                .unwrap()
        ),
        ["new_ticket"]
    );
    assert!(
        f.desk
            .acting_as(Actor::Agent(f.admin.id))
            .await
            .unwrap()
            .notifications(50)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        f.desk
            .acting_as(Actor::Agent(f.maria.id))
            .await
            .unwrap()
            .notifications(50)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .notifications(50)
            .await
            .unwrap()
            .is_empty(),
        "not of her own ticket"
    );

    f.desk
        .acting_as(boss)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::Assign {
                agent: Some(f.ivan.id),
            },
        )
        .await
        .unwrap();
    f.tick(1);
    f.desk
        .acting_as(ana)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::Reply {
                body: body("Still red"),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    f.tick(1);
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::Reply {
                body: body("Restart it"),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    f.tick(1);
    f.desk
        .acting_as(boss)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::AddNote {
                body: body("Known outage"),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    f.tick(1);
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .execute(t.id, Command::Resolve { body: None })
        .await
        .unwrap();

    assert_eq!(
        kinds(
            &f.desk
                .acting_as(ivan)
                .await
                .unwrap()
                .notifications(50)
                .await
                .unwrap()
        ),
        ["new_ticket", "assigned", "customer_replied", "note_added"],
        "the assignee hears of replies and colleagues' notes, not of their own actions"
    );
    assert_eq!(
        kinds(
            &f.desk
                .acting_as(boss)
                .await
                .unwrap()
                .notifications(50)
                .await
                .unwrap()
        ),
        ["new_ticket"],
        "once assigned, only the assignee hears of the customer"
    );
    let for_ana = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .notifications(50)
        .await
        .unwrap();
    assert_eq!(
        kinds(&for_ana),
        ["agent_replied", "resolved"],
        "never a note"
    );
    assert!(for_ana.iter().all(|n| n.ticket_id == t.id));

    // Internal tickets and internal notes never reach customers.
    let mut internal = f.new_ticket(&f.support, "Switch replacement");
    internal.internal = true;
    internal.customer = Some(f.ana.id);
    if let Ok(it) = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .open_ticket(internal)
        .await
    {
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .execute(
                it.id,
                Command::Reply {
                    body: body("Done"),
                    attachments: vec![],
                },
            )
            .await
            .unwrap();
    }
    assert_eq!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .notifications(50)
            .await
            .unwrap(),
        for_ana
    );
}

pub async fn notifications_are_read_snoozed_and_dismissed_by_their_owner_only(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store.clone()).await;
    let ivan = Actor::Agent(f.ivan.id);
    let first = f.open(&f.ana, "One").await;
    let second = f.open(&f.acme, "Two").await;
    let third = f.open(&f.reza, "Three").await;
    let listed = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .notifications(50)
        .await
        .unwrap();
    let ids: Vec<_> = listed.iter().map(|n| n.ticket_id).collect();
    assert_eq!(ids, [third.id, second.id, first.id], "newest first");
    assert_eq!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .notifications(2)
            .await
            .unwrap()
            .len(),
        2
    );
    let (n3, n2, n1) = (listed[0].id, listed[1].id, listed[2].id);

    let read = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .act_on_notification(n1, NotificationAction::Read)
        .await
        .unwrap();
    assert!(read.is_read());
    let later = f.clock.now() + Duration::hours(3);
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .act_on_notification(n2, NotificationAction::Snooze { until: later })
        .await
        .unwrap();
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .act_on_notification(n3, NotificationAction::Dismiss)
        .await
        .unwrap();
    let shown = |list: Vec<Notification>| list.into_iter().map(|n| n.id).collect::<Vec<_>>();
    assert_eq!(
        shown(
            f.desk
                .acting_as(ivan)
                .await
                .unwrap()
                .notifications(50)
                .await
                .unwrap()
        ),
        [n1]
    );
    f.clock.set(later);
    assert_eq!(
        shown(
            f.desk
                .acting_as(ivan)
                .await
                .unwrap()
                .notifications(50)
                .await
                .unwrap()
        ),
        [n2, n1],
        "Remind later brings it back"
    );
    assert!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .ticket(third.id)
            .await
            .is_ok(),
        "dismissing keeps the ticket"
    );

    // Someone else's notification, an unknown one, the system, a snooze into the past.
    for (actor, id) in [
        (Actor::Agent(f.boss.id), n1),
        (Actor::Customer(f.ana.id), n1),
        (ivan, NotificationId::new()),
    ] {
        let err = f
            .desk
            .acting_as(actor)
            .await
            .unwrap()
            .act_on_notification(id, NotificationAction::Dismiss)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::NotFound {
                    entity: Entity::Notification,
                    ..
                }
            ),
            "{err:?}"
        );
    }
    assert!(matches!(
        f.desk.as_system().notifications(10).await,
        Err(Error::Validation(_))
    ));
    let past = f.clock.now() - Duration::minutes(1);
    assert!(matches!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .act_on_notification(n1, NotificationAction::Snooze { until: past })
            .await,
        Err(Error::Validation(_))
    ));
    assert_eq!(
        shown(
            f.desk
                .acting_as(ivan)
                .await
                .unwrap()
                .notifications(50)
                .await
                .unwrap()
        ),
        [n2, n1]
    );
}

pub async fn sla_and_auto_close_warnings_reach_agents_and_customers(store: Arc<dyn Store>) {
    let f = Fixture::with_service_levels(store.clone()).await;
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
    f.desk.run_due(t0 + Duration::minutes(48)).await.unwrap();
    f.desk.run_due(t0 + Duration::minutes(61)).await.unwrap();
    let ivan = f
        .desk
        .acting_as(Actor::Agent(f.ivan.id))
        .await
        .unwrap()
        .notifications(50)
        .await
        .unwrap();
    let about_t: Vec<_> = ivan
        .iter()
        .filter(|n| n.ticket_id == t.id)
        .map(|n| n.kind)
        .collect();
    assert!(
        about_t.contains(&NotificationKind::SlaWarning {
            target: SlaTarget::FirstResponse
        }),
        "{about_t:?}"
    );
    assert!(
        about_t.contains(&NotificationKind::SlaBreached {
            target: SlaTarget::FirstResponse
        }),
        "{about_t:?}"
    );
    let boss = f
        .desk
        .acting_as(Actor::Agent(f.boss.id))
        .await
        .unwrap()
        .notifications(50)
        .await
        .unwrap();
    assert!(
        boss.iter().any(|n| n.kind
            == NotificationKind::SlaBreached {
                target: SlaTarget::FirstResponse
            }),
        "unassigned: the whole department hears of a breach"
    );

    // Resolved and silent: the customer is warned before the auto-close.
    f.clock.set(at("2026-01-12T07:00:00Z"));
    let ana = Actor::Customer(f.ana.id);
    let quiet = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.billing, "Invoice"))
        .await
        .unwrap();
    f.desk
        .acting_as(Actor::Agent(f.admin.id))
        .await
        .unwrap()
        .execute(
            quiet.id,
            Command::Resolve {
                body: Some(body("Corrected")),
            },
        )
        .await
        .unwrap();
    f.clock.set(at("2026-01-16T08:00:00Z"));
    f.desk.run_due(f.clock.now()).await.unwrap();
    let mine = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .notifications(50)
        .await
        .unwrap();
    let kinds: Vec<_> = mine
        .iter()
        .filter(|n| n.ticket_id == quiet.id)
        .map(|n| n.kind)
        .collect();
    assert!(kinds.contains(&NotificationKind::Resolved), "{kinds:?}");
    assert!(
        kinds.contains(&NotificationKind::AutoCloseWarning {
            closes_at: at("2026-01-19T07:00:00Z")
        }),
        "{kinds:?}"
    );
}

pub async fn customer_email_is_queued_with_the_change_in_their_language(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    let (ana, ivan) = (Actor::Customer(f.ana.id), Actor::Agent(f.ivan.id));
    let t = desk
        .acting_as(ana)
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.support, "Nu merge internetul"))
        .await
        .unwrap();
    let tag = format!("[#{}]", t.number.full());
    let emails = store.ticket_emails(t.id).await.unwrap();
    assert_eq!(emails.len(), 1);
    let received = &emails[0];
    assert_eq!(received.kind, EmailKind::TicketReceived);
    assert_eq!(received.language, Language::Romanian);
    assert_eq!(received.to, email("ana@example.ro"));
    assert!(received.subject.starts_with(&tag), "{}", received.subject);
    assert!(
        received.body.contains("Bună ziua, Ana Popescu"),
        "{}",
        received.body
    );
    assert!(received.message_id.ends_with("@desk.test"));
    assert!(received.references.is_empty());

    f.tick(60);
    desk.acting_as(ivan)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::Reply {
                body: body("Reporniți routerul."),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    desk.acting_as(ivan)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::AddNote {
                body: body("secret: outage in sector 5"),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    let emails = store.ticket_emails(t.id).await.unwrap();
    assert_eq!(emails.len(), 2, "a note is never e-mailed");
    let reply = &emails[1];
    assert_eq!(reply.kind, EmailKind::AgentReply);
    assert!(reply.subject.starts_with(&tag));
    assert!(reply.body.contains("Reporniți routerul."));
    assert!(
        reply.body.contains("Иван, техподдержка"),
        "the agent's signature"
    );
    assert_eq!(reply.body.matches("Иван, техподдержка").count(), 1, "once");
    assert!(!reply.body.contains("secret"));
    assert_eq!(reply.references, vec![received.message_id.clone()]);
    assert_eq!(reply.in_reply_to(), Some(received.message_id.as_str()));
    let filed: Vec<_> = store
        .mail_references(t.id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.message_id, r.inbound))
        .collect();
    assert_eq!(
        filed,
        vec![
            (received.message_id.clone(), false),
            (reply.message_id.clone(), false)
        ]
    );

    desk.acting_as(ivan)
        .await
        .unwrap()
        .execute(t.id, Command::Resolve { body: None })
        .await
        .unwrap();
    let kinds: Vec<_> = store
        .ticket_emails(t.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            EmailKind::TicketReceived,
            EmailKind::AgentReply,
            EmailKind::Resolved
        ]
    );

    // No language set: English. No address: no e-mail, but the notification.
    let acme = desk
        .acting_as(Actor::Customer(f.acme.id))
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.support, "Printer"))
        .await
        .unwrap();
    let english = store.ticket_emails(acme.id).await.unwrap();
    assert_eq!(english[0].language, Language::English);
    assert!(
        english[0].body.starts_with("Hello, ООО Акме,"),
        "{}",
        english[0].body
    );
    let reza = desk
        .acting_as(Actor::Customer(f.reza.id))
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.support, "اینترنت"))
        .await
        .unwrap();
    desk.acting_as(ivan)
        .await
        .unwrap()
        .execute(
            reza.id,
            Command::Reply {
                body: body("سلام"),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    assert!(store.ticket_emails(reza.id).await.unwrap().is_empty());
    assert!(
        !desk
            .acting_as(Actor::Customer(f.reza.id))
            .await
            .unwrap()
            .notifications(10)
            .await
            .unwrap()
            .is_empty()
    );

    // A desk without mail settings queues nothing.
    let quiet = f.open(&f.ana, "No mail").await;
    assert!(store.ticket_emails(quiet.id).await.unwrap().is_empty());
}

pub async fn uploads_within_limits_are_stored_and_readable_only_by_message_readers(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store.clone()).await;
    let blobs = Arc::new(MemoryBlobStore::new());
    let limits = AttachmentLimits {
        max_count: 1,
        max_size: 1024,
        ..AttachmentLimits::default()
    };
    let desk = f.desk.clone().with_blobs(blobs.clone(), limits);
    let (ana, acme, ivan) = (
        Actor::Customer(f.ana.id),
        Actor::Customer(f.acme.id),
        Actor::Agent(f.ivan.id),
    );
    let screenshot = b"\x89PNG\r\n\x1a\n not really a picture".to_vec();
    let t = desk
        .acting_as(ana)
        .await
        .unwrap()
        .open_ticket_with_uploads(
            f.new_ticket(&f.support, "With a file"),
            vec![Upload::new(
                "../../etc/passwd\u{7}.png",
                "image/png",
                screenshot.clone(),
            )],
        )
        .await
        .unwrap();
    let thread = desk
        .acting_as(ana)
        .await
        .unwrap()
        .thread(t.id)
        .await
        .unwrap();
    let file = &thread[0].attachments[0];
    assert_eq!(file.file_name(), "passwd.png");
    assert_eq!(file.display_name(), "../../etc/passwd.png");
    assert_eq!(file.size(), screenshot.len() as u64);
    assert_eq!(file.sha256(), BlobKey::of(&screenshot).as_str());
    let (meta, bytes) = desk
        .acting_as(ana)
        .await
        .unwrap()
        .attachment(t.id, thread[0].id, file.sha256())
        .await
        .unwrap();
    assert_eq!((&meta, &bytes), (file, &screenshot));
    assert!(
        desk.acting_as(ivan)
            .await
            .unwrap()
            .attachment(t.id, thread[0].id, file.sha256())
            .await
            .is_ok()
    );
    assert!(
        desk.acting_as(acme)
            .await
            .unwrap()
            .attachment(t.id, thread[0].id, file.sha256())
            .await
            .is_err(),
        "another customer"
    );

    // A file on an internal note is the agents' only.
    let log = b"internal log".to_vec();
    desk.acting_as(ivan)
        .await
        .unwrap()
        .execute_with_uploads(
            t.id,
            Command::AddNote {
                body: body("log attached"),
                attachments: vec![],
            },
            vec![Upload::new("server.log", "text/plain", log.clone())],
            Default::default(),
        )
        .await
        .unwrap();
    let staff_thread = desk
        .acting_as(ivan)
        .await
        .unwrap()
        .thread(t.id)
        .await
        .unwrap();
    let note = staff_thread
        .iter()
        .find(|m| m.visibility == Visibility::Internal)
        .unwrap();
    let sha = note.attachments[0].sha256().to_owned();
    assert!(
        desk.acting_as(ivan)
            .await
            .unwrap()
            .attachment(t.id, note.id, &sha)
            .await
            .is_ok()
    );
    let err = desk
        .acting_as(ana)
        .await
        .unwrap()
        .attachment(t.id, note.id, &sha)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");

    // Over a limit: a typed error, nothing written, no blob left behind.
    let before = (
        store.messages(t.id, true).await.unwrap().len(),
        store.history(t.id).await.unwrap().len(),
    );
    let reply = || Command::Reply {
        body: body("files"),
        attachments: vec![],
    };
    let cases = [
        (
            vec![
                Upload::new("a.png", "image/png", b"a".to_vec()),
                Upload::new("b.png", "image/png", b"b".to_vec()),
            ],
            "too_many_attachments",
        ),
        (
            vec![Upload::new("big.pdf", "application/pdf", vec![7u8; 1025])],
            "too_large",
        ),
        (
            vec![Upload::new(
                "run.exe",
                "application/x-msdownload",
                b"MZ".to_vec(),
            )],
            "unsupported_content_type",
        ),
    ];
    for (uploads, code) in cases {
        let keys: Vec<_> = uploads.iter().map(|u| BlobKey::of(&u.bytes)).collect();
        let err = desk
            .acting_as(ana)
            .await
            .unwrap()
            .execute_with_uploads(t.id, reply(), uploads, Default::default())
            .await
            .unwrap_err();
        match &err {
            Error::LimitExceeded { limit } => assert_eq!(limit.code(), code),
            other => panic!("expected {code}, got {other:?}"),
        }
        for key in keys {
            assert_eq!(blobs.blob(&key).await.unwrap(), None, "no orphaned blob");
        }
    }
    // A refused command (a customer may not assign) stores no blob either.
    let orphan = b"would be an orphan".to_vec();
    assert!(
        desk.acting_as(ana)
            .await
            .unwrap()
            .execute_with_uploads(
                t.id,
                Command::Assign {
                    agent: Some(f.ivan.id)
                },
                vec![Upload::new("x.png", "image/png", orphan.clone())],
                Default::default(),
            )
            .await
            .is_err()
    );
    let stale = desk
        .acting_as(ana)
        .await
        .unwrap()
        .execute_with_uploads(
            t.id,
            reply(),
            vec![Upload::new("x.png", "image/png", orphan.clone())],
            crate::service::ExecOptions {
                expected: Some(crate::domain::Version::FIRST),
                ..Default::default()
            },
        )
        .await;
    assert!(matches!(stale, Err(Error::Conflict { .. })), "{stale:?}");
    assert_eq!(blobs.blob(&BlobKey::of(&orphan)).await.unwrap(), None);
    assert_eq!(
        (
            store.messages(t.id, true).await.unwrap().len(),
            store.history(t.id).await.unwrap().len()
        ),
        before
    );
}

pub async fn agents_email_a_tickets_public_thread_without_notes(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    let ivan = Actor::Agent(f.ivan.id);
    let t = f.open(&f.acme, "Line 2 is dead").await;
    desk.acting_as(ivan)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::AddNote {
                body: body("cable cut by the roadworks"),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    desk.acting_as(ivan)
        .await
        .unwrap()
        .execute(
            t.id,
            Command::Reply {
                body: body("A technician is on the way."),
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    let to = email("manager@acme.example");
    let sent = desk
        .acting_as(ivan)
        .await
        .unwrap()
        .email_ticket(t.id, to.clone(), Language::Russian)
        .await
        .unwrap();
    assert_eq!(sent.kind, EmailKind::TicketThread);
    assert_eq!(sent.to, to);
    assert!(sent.subject.starts_with(&format!("[#{}]", t.number.full())));
    assert!(sent.body.contains("Line 2 is dead: details"));
    assert!(sent.body.contains("A technician is on the way."));
    assert!(sent.body.contains("Иван Петров"));
    assert!(!sent.body.contains("roadworks"), "never an internal note");
    assert!(store.ticket_emails(t.id).await.unwrap().contains(&sent));
    let history = desk
        .acting_as(ivan)
        .await
        .unwrap()
        .history(t.id)
        .await
        .unwrap();
    assert!(
        history
            .iter()
            .any(|e| e.change == crate::domain::Change::ThreadEmailed { to: to.clone() })
    );
    let customer_history = desk
        .acting_as(Actor::Customer(f.acme.id))
        .await
        .unwrap()
        .history(t.id)
        .await
        .unwrap();
    assert!(
        customer_history
            .iter()
            .all(|e| e.change.kind() != "thread_emailed")
    );

    // Customers, agents without the permission, desks without mail: refused, nothing queued.
    let before = store.ticket_emails(t.id).await.unwrap().len();
    assert!(matches!(
        desk.acting_as(Actor::Customer(f.acme.id))
            .await
            .unwrap()
            .email_ticket(t.id, to.clone(), Language::English)
            .await,
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        desk.acting_as(Actor::Agent(f.maria.id))
            .await
            .unwrap()
            .email_ticket(t.id, to.clone(), Language::English)
            .await,
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .email_ticket(t.id, to, Language::English)
            .await,
        Err(Error::Unsupported {
            ability: crate::error::Ability::Email
        })
    ));
    assert_eq!(store.ticket_emails(t.id).await.unwrap().len(), before);
}
