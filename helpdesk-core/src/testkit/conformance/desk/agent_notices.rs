//! Agents hear of what needs them as they chose (issue 20): per event, in the app only, by
//! e-mail only (through the outbox, in their language), both, or not at all; the defaults
//! when they never chose; an agent sets their own, an admin anyone's. Each event reaches the
//! right agents: the department's for a new ticket, the assignee (else the department) for
//! a customer's reply, a pending reminder and a priority request, the assignee for an
//! assignment, the assignee (else the department's supervisors) for service-level warnings
//! and breaches, the agents who take the department's chats for a waiting chat.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Duration;

use super::sla::at;
use crate::Helpdesk;
use crate::clock::Clock;
use crate::domain::{
    Actor, Agent, EmailKind, Language, NotificationKind, NotificationPreferences, NotifyChannel,
    NotifyEvent, Priority, Role, ShortNote, SlaTarget, Ticket, standard_permissions,
};
use crate::error::{Entity, Error};
use crate::machine::Command;
use crate::render::{AgentNoticeContext, render_agent_notice};
use crate::service::{MailSettings, NewAgent};
use crate::store::Store;
use crate::testkit::samples::{email, name};
use crate::testkit::{Fixture, ability, body};

/// The four ways to hear of an event, in the order [`listeners`] makes its agents.
const CHANNELS: [NotifyChannel; 4] = [
    NotifyChannel::InApp,
    NotifyChannel::Email,
    NotifyChannel::Both,
    NotifyChannel::None,
];

/// The fixture's desk with e-mail turned on.
fn mailing(f: &Fixture) -> Helpdesk {
    f.desk.clone().with_mail(
        MailSettings::new(email("support@desk.test"), f.support.id).with_from_name("Desk Support"),
    )
}

/// Four new support agents of `role` (standard permissions), hearing of `event` in the app
/// only, by e-mail only, both and not at all; the e-mail ones read Russian.
async fn listeners(f: &Fixture, event: NotifyEvent, role: Role) -> Vec<Agent> {
    let mut made = Vec::new();
    for channel in CHANNELS {
        let who = format!("{}{}", role.as_str(), channel.as_str().replace('_', ""));
        let agent = f
            .desk
            .as_system()
            .create_agent(
                NewAgent::new(name(&who), email(&format!("{who}@desk.test")), role)
                    .in_department(f.support.id, standard_permissions()),
            )
            .await
            .unwrap();
        let chosen = f
            .desk
            .as_system()
            .change_notification_preferences(
                Some(agent.id),
                Some(Language::Russian),
                BTreeMap::from([(event, channel)]),
            )
            .await
            .unwrap();
        assert_eq!(chosen.channel(event), channel);
        made.push(agent);
    }
    made
}

/// How `agent` was told about `ticket` with a notification of `kind`: in-app notifications
/// and agent e-mails.
async fn told(
    desk: &Helpdesk,
    store: &Arc<dyn Store>,
    agent: &Agent,
    ticket: &Ticket,
    kind: &str,
) -> (usize, usize) {
    let me = desk.acting_as(Actor::Agent(agent.id)).await.unwrap();
    let in_app = (me.notifications(200).await.unwrap().iter())
        .filter(|n| n.ticket_id == ticket.id && n.kind.as_str() == kind)
        .count();
    let prefs = me.notification_preferences(None).await.unwrap();
    // The e-mail of this kind reads as its notice rendered in the agent's language.
    let kinds = [
        NotificationKind::NewTicket,
        NotificationKind::CustomerReplied,
        NotificationKind::Assigned,
        NotificationKind::SlaWarning {
            target: SlaTarget::FirstResponse,
        },
        NotificationKind::SlaBreached {
            target: SlaTarget::FirstResponse,
        },
        NotificationKind::PendingReminder,
        NotificationKind::PriorityRequested,
        NotificationKind::ChatWaiting,
    ];
    let notice = kinds.iter().find(|k| k.as_str() == kind).unwrap();
    let subject = render_agent_notice(
        notice,
        prefs.language,
        &AgentNoticeContext {
            number: &ticket.number,
            public_url: None,
            subject: ticket.subject.as_str(),
            agent_name: agent.name.as_str(),
            desk_name: "Desk Support",
        },
    )
    .subject;
    let emails = store.ticket_emails(ticket.id).await.unwrap();
    let mailed: Vec<_> = (emails.iter())
        .filter(|e| e.kind == EmailKind::AgentNotice && e.to == agent.email)
        .filter(|e| e.subject == subject)
        .collect();
    for e in &mailed {
        assert_eq!(e.language, prefs.language, "in the agent's language");
        assert!(e.subject.contains(ticket.number.short()), "{}", e.subject);
    }
    (in_app, mailed.len())
}

/// Each of [`listeners`]'s agents was told of `ticket` as they chose, once.
async fn assert_told_as_chosen(
    desk: &Helpdesk,
    store: &Arc<dyn Store>,
    agents: &[Agent],
    ticket: &Ticket,
    kind: &str,
) {
    for (agent, channel) in agents.iter().zip(CHANNELS) {
        let expected = (usize::from(channel.in_app()), usize::from(channel.email()));
        assert_eq!(
            told(desk, store, agent, ticket, kind).await,
            expected,
            "{kind} for an agent who chose {channel}"
        );
    }
}

/// The preference store, or a loud skip.
fn offered(store: &Arc<dyn Store>) -> bool {
    ability(
        store.as_notification_preference_store(),
        "notification preferences",
    )
    .is_some()
}

pub async fn notification_preferences_default_and_are_set_by_the_agent_or_an_admin(
    store: Arc<dyn Store>,
) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let ivan = f.as_agent(&f.ivan).await;
    let mine = ivan.notification_preferences(None).await.unwrap();
    assert_eq!(
        mine,
        NotificationPreferences::defaults(f.ivan.id).complete()
    );
    assert_eq!(mine.channel(NotifyEvent::NewTicket), NotifyChannel::InApp);
    assert_eq!(mine.channel(NotifyEvent::Assigned), NotifyChannel::Both);
    assert_eq!(mine.channel(NotifyEvent::SlaBreached), NotifyChannel::Both);
    assert_eq!(
        mine.channels.len(),
        NotifyEvent::ALL.len(),
        "every event listed"
    );

    let changed = ivan
        .change_notification_preferences(
            None,
            Some(Language::Romanian),
            BTreeMap::from([(NotifyEvent::NewTicket, NotifyChannel::None)]),
        )
        .await
        .unwrap();
    assert_eq!(changed.language, Language::Romanian);
    assert_eq!(changed.channel(NotifyEvent::NewTicket), NotifyChannel::None);
    assert_eq!(
        changed.channel(NotifyEvent::Assigned),
        NotifyChannel::Both,
        "what is not named stays"
    );
    assert_eq!(ivan.notification_preferences(None).await.unwrap(), changed);

    // An admin reads and sets anyone's; an agent only their own; a customer none.
    let admin = f.as_agent(&f.admin).await;
    assert_eq!(
        admin
            .notification_preferences(Some(f.ivan.id))
            .await
            .unwrap(),
        changed
    );
    admin
        .change_notification_preferences(
            Some(f.ivan.id),
            None,
            BTreeMap::from([(NotifyEvent::ChatWaiting, NotifyChannel::Email)]),
        )
        .await
        .unwrap();
    let now = ivan.notification_preferences(None).await.unwrap();
    assert_eq!(now.channel(NotifyEvent::ChatWaiting), NotifyChannel::Email);
    assert_eq!(now.channel(NotifyEvent::NewTicket), NotifyChannel::None);
    let boss = f.as_agent(&f.boss).await;
    let before = now.clone();
    for refused in [
        boss.notification_preferences(Some(f.ivan.id)).await,
        boss.change_notification_preferences(Some(f.ivan.id), None, BTreeMap::new())
            .await,
        f.as_customer(&f.ana)
            .await
            .notification_preferences(None)
            .await,
    ] {
        assert!(
            matches!(refused, Err(Error::Forbidden { .. })),
            "{refused:?}"
        );
    }
    assert_eq!(ivan.notification_preferences(None).await.unwrap(), before);
    let missing = admin
        .notification_preferences(Some(crate::domain::AgentId::new()))
        .await;
    assert!(
        matches!(
            missing,
            Err(Error::NotFound {
                entity: Entity::Agent,
                ..
            })
        ),
        "{missing:?}"
    );
}

pub async fn a_new_ticket_tells_the_departments_agents_as_each_chose(store: Arc<dyn Store>) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let agents = listeners(&f, NotifyEvent::NewTicket, Role::Agent).await;
    let desk = mailing(&f);
    let ana = desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    let t = ana
        .open_ticket(f.new_ticket(&f.support, "Nu merge internetul"))
        .await
        .unwrap();
    assert_told_as_chosen(&desk, &store, &agents, &t, "new_ticket").await;
}

pub async fn a_customers_reply_tells_the_department_as_each_chose(store: Arc<dyn Store>) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let agents = listeners(&f, NotifyEvent::CustomerReplied, Role::Agent).await;
    let desk = mailing(&f);
    let ana = desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    let t = ana
        .open_ticket(f.new_ticket(&f.support, "Nu merge internetul"))
        .await
        .unwrap();
    f.tick(1);
    ana.execute(t.id, Command::reply(body("Tot nu merge")))
        .await
        .unwrap();
    assert_told_as_chosen(&desk, &store, &agents, &t, "customer_replied").await;
}

pub async fn an_assignment_tells_the_assignee_as_they_chose(store: Arc<dyn Store>) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let agents = listeners(&f, NotifyEvent::Assigned, Role::Agent).await;
    let desk = mailing(&f);
    let ana = desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    for (i, agent) in agents.iter().enumerate() {
        let t = ana
            .open_ticket(f.new_ticket(&f.support, &format!("Problem {i}")))
            .await
            .unwrap();
        let assign = Command::Assign {
            agent: Some(agent.id),
        };
        desk.as_system().execute(t.id, assign).await.unwrap();
        let channel = CHANNELS[i];
        let expected = (usize::from(channel.in_app()), usize::from(channel.email()));
        assert_eq!(
            told(&desk, &store, agent, &t, "assigned").await,
            expected,
            "{channel}"
        );
        for other in agents.iter().filter(|a| a.id != agent.id) {
            assert_eq!(told(&desk, &store, other, &t, "assigned").await, (0, 0));
        }
    }
}

/// A ticket of an organisation the supervisor opened at Urgent, at 09:00 on the fixture's
/// service levels (first response due within the hour), unassigned.
async fn urgent(f: &Fixture, desk: &Helpdesk) -> Ticket {
    let mut new = f.new_ticket(&f.support, "Everything is down");
    new.customer = Some(f.acme.id);
    new.priority = Some(Priority::Urgent);
    let boss = desk.acting_as(Actor::Agent(f.boss.id)).await.unwrap();
    let t = boss.open_ticket(new).await.unwrap();
    assert_eq!((t.priority, t.assignee), (Priority::Urgent, None));
    t
}

pub async fn sla_warnings_and_breaches_tell_the_supervisors_as_each_chose_when_unassigned(
    store: Arc<dyn Store>,
) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::with_service_levels(store.clone()).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let warned = listeners(&f, NotifyEvent::SlaWarning, Role::Supervisor).await;
    let desk = mailing(&f);
    let t = urgent(&f, &desk).await;
    desk.run_due(t0 + Duration::minutes(48)).await.unwrap();
    assert_told_as_chosen(&desk, &store, &warned, &t, "sla_warning").await;
    // Plain agents of the department hear nothing of an unassigned ticket's clocks.
    assert_eq!(
        told(&desk, &store, &f.ivan, &t, "sla_warning").await,
        (0, 0)
    );
    assert_eq!(
        told(&desk, &store, &f.boss, &t, "sla_warning").await,
        (1, 0)
    );

    desk.run_due(t0 + Duration::minutes(61)).await.unwrap();
    assert_eq!(
        told(&desk, &store, &f.ivan, &t, "sla_breached").await,
        (0, 0)
    );
    assert_eq!(
        told(&desk, &store, &f.boss, &t, "sla_breached").await,
        (1, 1),
        "by default a breach comes in the app and by e-mail"
    );
}

pub async fn sla_warnings_and_breaches_tell_the_assignee_only_when_assigned(store: Arc<dyn Store>) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::with_service_levels(store.clone()).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let breached = listeners(&f, NotifyEvent::SlaBreached, Role::Agent).await;
    let desk = mailing(&f);
    let mut tickets = Vec::new();
    for agent in &breached {
        let t = urgent(&f, &desk).await;
        let assign = Command::Assign {
            agent: Some(agent.id),
        };
        desk.as_system().execute(t.id, assign).await.unwrap();
        tickets.push(t);
    }
    desk.run_due(t0 + Duration::minutes(61)).await.unwrap();
    for (i, (agent, t)) in breached.iter().zip(&tickets).enumerate() {
        let channel = CHANNELS[i];
        let expected = (usize::from(channel.in_app()), usize::from(channel.email()));
        assert_eq!(
            told(&desk, &store, agent, t, "sla_breached").await,
            expected,
            "{channel}"
        );
        assert_eq!(
            told(&desk, &store, &f.boss, t, "sla_breached").await,
            (0, 0),
            "an assigned ticket's breach is its assignee's"
        );
        assert_eq!(
            told(&desk, &store, agent, t, "sla_warning").await,
            (1, 0),
            "a warning by default in the app only"
        );
    }
}

pub async fn a_pending_reminder_tells_the_department_as_each_chose(store: Arc<dyn Store>) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let agents = listeners(&f, NotifyEvent::PendingReminder, Role::Agent).await;
    let desk = mailing(&f);
    let ana = desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    let t = ana
        .open_ticket(f.new_ticket(&f.support, "Waiting for a technician"))
        .await
        .unwrap();
    let until = f.clock.now() + Duration::hours(24);
    let hold = Command::PutOnHold {
        reason: None,
        until: Some(until),
    };
    desk.as_system().execute(t.id, hold).await.unwrap();
    for agent in &agents {
        assert_eq!(
            told(&desk, &store, agent, &t, "pending_reminder").await,
            (0, 0),
            "not before the time comes"
        );
    }
    let report = desk.run_due(until).await.unwrap();
    assert!(report.events >= 1);
    assert_told_as_chosen(&desk, &store, &agents, &t, "pending_reminder").await;
}

pub async fn a_priority_request_tells_the_department_as_each_chose(store: Arc<dyn Store>) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let agents = listeners(&f, NotifyEvent::PriorityRequested, Role::Agent).await;
    let desk = mailing(&f);
    let acme = desk.acting_as(Actor::Customer(f.acme.id)).await.unwrap();
    let t = acme
        .open_ticket(f.new_ticket(&f.support, "Office down"))
        .await
        .unwrap();
    let ask = Command::RequestPriority {
        priority: Priority::Urgent,
        reason: ShortNote::parse("Весь офис без связи").unwrap(),
    };
    acme.execute(t.id, ask).await.unwrap();
    assert_told_as_chosen(&desk, &store, &agents, &t, "priority_requested").await;
}

pub async fn a_waiting_chat_tells_the_agents_who_take_its_chats_as_each_chose(
    store: Arc<dyn Store>,
) {
    if !offered(&store) || ability(store.as_chat_store(), "live chat").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let agents = listeners(&f, NotifyEvent::ChatWaiting, Role::Agent).await;
    let desk = mailing(&f);
    let ana = desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    let started = ana
        .start_chat(f.support.id, body("Routerul clipește roșu"))
        .await
        .unwrap();
    // With the assistant, nobody is told yet: the chat's opening is no new ticket.
    for agent in &agents {
        assert_eq!(
            told(&desk, &store, agent, &started.ticket, "new_ticket").await,
            (0, 0)
        );
    }
    // Nobody is online: the chat waits, and those who take the department's chats are told.
    ana.talk_to_person(started.chat.id).await.unwrap();
    assert_told_as_chosen(&desk, &store, &agents, &started.ticket, "chat_waiting").await;
    let maria = desk.acting_as(Actor::Agent(f.maria.id)).await.unwrap();
    assert!(
        maria.notifications(50).await.unwrap().is_empty(),
        "another department's agent hears nothing"
    );
    assert!(
        (store.ticket_emails(started.ticket.id).await.unwrap().iter())
            .all(|e| e.kind == EmailKind::AgentNotice),
        "the customer gets no e-mail of the chat's opening"
    );
}
