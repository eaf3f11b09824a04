//! Conformance checks for live chat: routing to the least busy available agent, the queue
//! and its places, the transcript kept as a ticket, the knowledge-base assistant, the
//! hand-over of unanswered chats, and seats never overfilled under concurrency. Each takes a
//! fresh, empty store.
#![allow(missing_docs)]

use std::sync::Arc;

use chrono::Duration;

use super::samples::name;
use super::{Fixture, body};
use crate::clock::Clock;
use crate::domain::{
    Actor, ArticleStatus, Category, Channel, ChatEnd, ChatState, Customer, CustomerKind, Language,
    Presence, Resolution, Status, Visibility,
};
use crate::error::Error;
use crate::service::{ArticleDraft, ChatPlace, NewCustomer};
use crate::store::Store;

async fn customers(f: &Fixture, n: usize) -> Vec<Customer> {
    let mut all = vec![f.ana.clone(), f.acme.clone(), f.reza.clone()];
    for i in all.len()..n {
        all.push(
            f.desk
                .as_system()
                .create_customer(NewCustomer::new(
                    CustomerKind::Individual,
                    name(&format!("Chatter {i}")),
                ))
                .await
                .unwrap(),
        );
    }
    all.truncate(n);
    all
}

pub async fn chats_go_to_the_least_busy_online_agent_or_wait_in_line(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (ivan, boss) = (Actor::Agent(f.ivan.id), Actor::Agent(f.boss.id));
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .set_presence(Presence::Online, Some(1))
        .await
        .unwrap();
    f.desk
        .acting_as(boss)
        .await
        .unwrap()
        .set_presence(Presence::Online, Some(2))
        .await
        .unwrap();
    // Maria is online but works in billing only; the admin never went online.
    f.desk
        .acting_as(Actor::Agent(f.maria.id))
        .await
        .unwrap()
        .set_presence(Presence::Online, Some(5))
        .await
        .unwrap();
    let people = customers(&f, 5).await;
    let mut chats = Vec::new();
    for c in &people {
        let actor = Actor::Customer(c.id);
        let started = f
            .desk
            .acting_as(actor)
            .await
            .unwrap()
            .start_chat(f.support.id, body("My internet is down"))
            .await
            .unwrap();
        assert_eq!(started.ticket.channel, Channel::Chat);
        assert_eq!(
            f.desk
                .acting_as(actor)
                .await
                .unwrap()
                .chat_place(started.chat.id)
                .await
                .unwrap(),
            ChatPlace::Assistant
        );
        let place = f
            .desk
            .acting_as(actor)
            .await
            .unwrap()
            .talk_to_person(started.chat.id)
            .await
            .unwrap();
        chats.push((actor, started, place));
        f.tick(1);
    }
    let places: Vec<_> = chats.iter().map(|(_, _, p)| *p).collect();
    assert_eq!(
        places,
        vec![
            ChatPlace::WithAgent(f.ivan.id),
            ChatPlace::WithAgent(f.boss.id),
            ChatPlace::WithAgent(f.boss.id),
            ChatPlace::Queued { position: 1 },
            ChatPlace::Queued { position: 2 },
        ],
        "the least busy first; then the queue"
    );
    // The agent owns the chat's ticket.
    let first_ticket = store.ticket(chats[0].1.ticket.id).await.unwrap().unwrap();
    assert_eq!(first_ticket.assignee, Some(f.ivan.id));
    assert_eq!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .my_chats()
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        f.desk
            .acting_as(boss)
            .await
            .unwrap()
            .my_chats()
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        f.desk
            .acting_as(ivan)
            .await
            .unwrap()
            .chat_queue(f.support.id)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(matches!(
        f.desk
            .acting_as(Actor::Customer(f.ana.id))
            .await
            .unwrap()
            .chat_queue(f.support.id)
            .await,
        Err(Error::Forbidden { .. })
    ));

    // Ivan ends his chat: his seat goes to the first in line; the second moves up.
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .end_chat(chats[0].1.chat.id)
        .await
        .unwrap();
    let (fourth, fifth) = (&chats[3], &chats[4]);
    assert_eq!(
        f.desk
            .acting_as(fourth.0)
            .await
            .unwrap()
            .chat_place(fourth.1.chat.id)
            .await
            .unwrap(),
        ChatPlace::WithAgent(f.ivan.id)
    );
    assert_eq!(
        f.desk
            .acting_as(fifth.0)
            .await
            .unwrap()
            .chat_place(fifth.1.chat.id)
            .await
            .unwrap(),
        ChatPlace::Queued { position: 1 }
    );
    // Away: keeps their chats, takes no new ones; online again: takes the next.
    f.desk
        .acting_as(boss)
        .await
        .unwrap()
        .set_presence(Presence::Away, None)
        .await
        .unwrap();
    f.desk
        .acting_as(chats[1].0)
        .await
        .unwrap()
        .end_chat(chats[1].1.chat.id)
        .await
        .unwrap();
    assert_eq!(
        f.desk
            .acting_as(fifth.0)
            .await
            .unwrap()
            .chat_place(fifth.1.chat.id)
            .await
            .unwrap(),
        ChatPlace::Queued { position: 1 }
    );
    assert_eq!(
        f.desk
            .acting_as(boss)
            .await
            .unwrap()
            .my_chats()
            .await
            .unwrap()
            .len(),
        1
    );
    f.desk
        .acting_as(boss)
        .await
        .unwrap()
        .set_presence(Presence::Online, None)
        .await
        .unwrap();
    assert_eq!(
        f.desk
            .acting_as(fifth.0)
            .await
            .unwrap()
            .chat_place(fifth.1.chat.id)
            .await
            .unwrap(),
        ChatPlace::WithAgent(f.boss.id)
    );
    let seats = store
        .as_chat_store()
        .unwrap()
        .availability(f.boss.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((seats.active_chats, seats.max_chats), (2, 2));
    assert!(
        f.desk
            .acting_as(Actor::Agent(f.maria.id))
            .await
            .unwrap()
            .my_chats()
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        f.desk
            .acting_as(Actor::Customer(f.ana.id))
            .await
            .unwrap()
            .set_presence(Presence::Online, None)
            .await,
        Err(Error::Forbidden { .. })
    ));
}

pub async fn chat_messages_are_stored_as_sent_in_the_chats_ticket(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ivan = Actor::Agent(f.ivan.id);
    let ana = Actor::Customer(f.ana.id);
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .set_presence(Presence::Online, Some(3))
        .await
        .unwrap();
    let started = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .start_chat(f.support.id, body("Routerul clipește roșu"))
        .await
        .unwrap();
    let chat = started.chat.id;
    f.desk
        .acting_as(ana)
        .await
        .unwrap()
        .talk_to_person(chat)
        .await
        .unwrap();
    f.desk
        .acting_as(ana)
        .await
        .unwrap()
        .say(chat, body("Ce fac?"))
        .await
        .unwrap();
    let answer = f
        .desk
        .acting_as(ivan)
        .await
        .unwrap()
        .say(chat, body("Reporniți routerul."))
        .await
        .unwrap();
    assert_eq!(answer.channel, Channel::Chat);
    assert_eq!(answer.visibility, Visibility::Public);
    // Strangers cannot speak in it.
    for stranger in [Actor::Customer(f.acme.id), Actor::Agent(f.boss.id)] {
        assert!(matches!(
            f.desk
                .acting_as(stranger)
                .await
                .unwrap()
                .say(chat, body("hi"))
                .await,
            Err(Error::NotFound { .. })
        ));
    }
    f.desk
        .acting_as(ana)
        .await
        .unwrap()
        .end_chat(chat)
        .await
        .unwrap();
    assert!(matches!(
        f.desk
            .acting_as(ana)
            .await
            .unwrap()
            .say(chat, body("one more thing"))
            .await,
        Err(Error::Validation(_))
    ));
    // The window is gone; the conversation is not.
    let thread = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .thread(started.ticket.id)
        .await
        .unwrap();
    let texts: Vec<_> = thread.iter().map(|m| m.body.as_str().to_owned()).collect();
    assert_eq!(texts[0], "Routerul clipește roșu");
    assert_eq!(texts[1], "Ce fac?");
    assert!(texts[2].starts_with("Reporniți routerul."));
    assert!(thread.iter().all(|m| m.channel == Channel::Chat));
    let ended = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .chat(chat)
        .await
        .unwrap();
    assert!(matches!(
        ended.state,
        ChatState::Ended {
            end: ChatEnd::ByCustomer,
            ..
        }
    ));
    let ticket = f
        .desk
        .acting_as(ana)
        .await
        .unwrap()
        .ticket(started.ticket.id)
        .await
        .unwrap();
    assert_eq!(
        ticket.status,
        Status::Open,
        "answered, and still there to close"
    );
    assert_eq!(
        store
            .as_chat_store()
            .unwrap()
            .availability(f.ivan.id)
            .await
            .unwrap()
            .unwrap()
            .active_chats,
        0
    );
}

pub async fn the_assistant_answers_from_the_knowledge_base_first(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ivan = Actor::Agent(f.ivan.id);
    let acme = Actor::Customer(f.acme.id);
    f.desk
        .acting_as(ivan)
        .await
        .unwrap()
        .create_article(ArticleDraft {
            title: crate::domain::ArticleTitle::parse("How to restart the router").unwrap(),
            body: body("Unplug the router, wait ten seconds, plug it in."),
            category: Category::parse("faq").unwrap(),
            language: Language::English,
            status: ArticleStatus::Published,
            visibility: Visibility::Public,
        })
        .await
        .unwrap();
    let started = f
        .desk
        .acting_as(acme)
        .await
        .unwrap()
        .start_chat(f.support.id, body("The router does not work"))
        .await
        .unwrap();
    assert_eq!(started.suggestions.len(), 1);
    assert_eq!(
        started.suggestions[0].title.as_str(),
        "How to restart the router"
    );
    let answered = f
        .desk
        .acting_as(acme)
        .await
        .unwrap()
        .chat_answered(started.chat.id)
        .await
        .unwrap();
    assert!(matches!(
        answered.state,
        ChatState::Ended {
            end: ChatEnd::Answered,
            ..
        }
    ));
    let ticket = f
        .desk
        .acting_as(acme)
        .await
        .unwrap()
        .ticket(started.ticket.id)
        .await
        .unwrap();
    assert_eq!(ticket.status, Status::Closed(Resolution::Solved));
    let nothing = f
        .desk
        .acting_as(acme)
        .await
        .unwrap()
        .start_chat(f.support.id, body("Invoice 2026-01 is wrong"))
        .await
        .unwrap();
    assert!(nothing.suggestions.is_empty());
    assert!(matches!(
        f.desk
            .acting_as(Actor::Customer(f.ana.id))
            .await
            .unwrap()
            .chat_answered(nothing.chat.id)
            .await,
        Err(Error::NotFound { .. })
    ));
}

pub async fn unanswered_chats_are_handed_to_the_ticket_queue(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let reza = Actor::Customer(f.reza.id);
    let started = f
        .desk
        .acting_as(reza)
        .await
        .unwrap()
        .start_chat(f.support.id, body("اینترنت قطع است"))
        .await
        .unwrap();
    f.desk
        .acting_as(reza)
        .await
        .unwrap()
        .talk_to_person(started.chat.id)
        .await
        .unwrap();
    f.tick(4 * 60);
    assert_eq!(
        f.desk
            .run_due(f.clock.now())
            .await
            .unwrap()
            .chats_handed_over,
        0
    );
    f.tick(60);
    assert_eq!(
        f.desk
            .run_due(f.clock.now())
            .await
            .unwrap()
            .chats_handed_over,
        1
    );
    assert_eq!(
        f.desk
            .run_due(f.clock.now())
            .await
            .unwrap()
            .chats_handed_over,
        0
    );
    let chat = f
        .desk
        .acting_as(reza)
        .await
        .unwrap()
        .chat(started.chat.id)
        .await
        .unwrap();
    assert!(matches!(
        chat.state,
        ChatState::Ended {
            end: ChatEnd::NoAgent,
            ..
        }
    ));
    let ticket = f
        .desk
        .acting_as(Actor::Agent(f.ivan.id))
        .await
        .unwrap()
        .ticket(started.ticket.id)
        .await
        .unwrap();
    assert_eq!(
        ticket.status,
        Status::New,
        "it waits in the queue like any ticket"
    );
    assert!(
        f.desk
            .acting_as(Actor::Agent(f.ivan.id))
            .await
            .unwrap()
            .chat_queue(f.support.id)
            .await
            .unwrap()
            .is_empty()
    );
    f.tick(3600);
    assert!(f.clock.now() > started.chat.created_at + Duration::hours(1));
}

pub async fn concurrent_routing_never_fills_a_seat_twice(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    f.desk
        .acting_as(Actor::Agent(f.ivan.id))
        .await
        .unwrap()
        .set_presence(Presence::Online, Some(2))
        .await
        .unwrap();
    let people = customers(&f, 6).await;
    let mut tasks = Vec::new();
    for c in people {
        let desk = f.desk.clone();
        let support = f.support.id;
        tasks.push(tokio::spawn(async move {
            let actor = Actor::Customer(c.id);
            let started = desk
                .acting_as(actor)
                .await
                .unwrap()
                .start_chat(support, body("help"))
                .await
                .unwrap();
            desk.acting_as(actor)
                .await
                .unwrap()
                .talk_to_person(started.chat.id)
                .await
                .unwrap();
            started.chat.id
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    let mut with_ivan = 0;
    for id in ids {
        if store
            .as_chat_store()
            .unwrap()
            .chat(id)
            .await
            .unwrap()
            .unwrap()
            .agent()
            == Some(f.ivan.id)
        {
            with_ivan += 1;
        }
    }
    assert_eq!(with_ivan, 2);
    let seats = store
        .as_chat_store()
        .unwrap()
        .availability(f.ivan.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seats.active_chats, 2);
    assert_eq!(
        store
            .as_chat_store()
            .unwrap()
            .waiting_chats(f.support.id)
            .await
            .unwrap()
            .len(),
        4
    );
}
