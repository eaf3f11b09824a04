//! Live chat through the desk: routing to the least busy available agent, the queue and its
//! places, the transcript kept as a ticket, the knowledge-base assistant, the hand-over of
//! unanswered chats, and seats never overfilled under concurrency.

use std::sync::Arc;

use super::changed;
use super::knowledge::draft;
use crate::clock::Clock;
use crate::domain::{
    ArticleStatus, Channel, ChatEnd, ChatState, Customer, CustomerKind, Language, Presence,
    Resolution, Status, Visibility,
};
use crate::error::Error;
use crate::machine::Command;
use crate::service::{ChatPlace, NewCustomer};
use crate::store::Store;
use crate::testkit::samples::name;
use crate::testkit::{Fixture, ability, body};

/// The fixture's three customers and more, `n` in all.
async fn customers(f: &Fixture, n: usize) -> Vec<Customer> {
    let mut all = vec![f.ana.clone(), f.acme.clone(), f.reza.clone()];
    for i in all.len()..n {
        let new = NewCustomer::new(CustomerKind::Individual, name(&format!("Chatter {i}")));
        all.push(f.desk.as_system().create_customer(new).await.unwrap());
    }
    all.truncate(n);
    all
}

pub async fn chats_go_to_the_least_busy_online_agent_or_wait_in_line(store: Arc<dyn Store>) {
    let Some(chats) = ability(store.as_chat_store(), "live chat") else {
        return;
    };
    let f = Fixture::new(store.clone()).await;
    let (ivan, boss) = (f.as_agent(&f.ivan).await, f.as_agent(&f.boss).await);
    ivan.set_presence(Presence::Online, Some(1)).await.unwrap();
    boss.set_presence(Presence::Online, Some(2)).await.unwrap();
    // Maria is online but works in billing only; the admin never went online.
    let maria = f.as_agent(&f.maria).await;
    maria.set_presence(Presence::Online, Some(5)).await.unwrap();
    let mut started = Vec::new();
    for c in customers(&f, 5).await {
        let who = f.as_customer(&c).await;
        let chat = who
            .start_chat(f.support.id, body("My internet is down"))
            .await
            .unwrap();
        assert_eq!(chat.ticket.channel, Channel::Chat);
        assert_eq!(
            who.chat_place(chat.chat.id).await.unwrap(),
            ChatPlace::Assistant
        );
        let place = who.talk_to_person(chat.chat.id).await.unwrap();
        started.push((who, chat, place));
        f.tick(1);
    }
    let places: Vec<_> = started.iter().map(|(_, _, p)| *p).collect();
    assert_eq!(
        places,
        [
            ChatPlace::WithAgent(f.ivan.id),
            ChatPlace::WithAgent(f.boss.id),
            ChatPlace::WithAgent(f.boss.id),
            ChatPlace::Queued { position: 1 },
            ChatPlace::Queued { position: 2 },
        ],
        "the least busy first; then the queue"
    );
    // The agent owns the chat's ticket.
    let first_ticket = store.ticket(started[0].1.ticket.id).await.unwrap().unwrap();
    assert_eq!(first_ticket.assignee, Some(f.ivan.id));
    assert_eq!(ivan.my_chats().await.unwrap().len(), 1);
    assert_eq!(boss.my_chats().await.unwrap().len(), 2);
    assert_eq!(ivan.chat_queue(f.support.id).await.unwrap().len(), 2);
    let ana = &started[0].0;
    assert!(matches!(
        ana.chat_queue(f.support.id).await,
        Err(Error::Forbidden { .. })
    ));

    // Ivan ends his chat: his seat goes to the first in line; the second moves up.
    ivan.end_chat(started[0].1.chat.id).await.unwrap();
    let (fourth, fifth) = (&started[3], &started[4]);
    assert_eq!(
        fourth.0.chat_place(fourth.1.chat.id).await.unwrap(),
        ChatPlace::WithAgent(f.ivan.id)
    );
    assert_eq!(
        fifth.0.chat_place(fifth.1.chat.id).await.unwrap(),
        ChatPlace::Queued { position: 1 }
    );
    // Away: keeps their chats, takes no new ones; online again: takes the next.
    boss.set_presence(Presence::Away, None).await.unwrap();
    started[1].0.end_chat(started[1].1.chat.id).await.unwrap();
    assert_eq!(
        fifth.0.chat_place(fifth.1.chat.id).await.unwrap(),
        ChatPlace::Queued { position: 1 }
    );
    assert_eq!(boss.my_chats().await.unwrap().len(), 1);
    boss.set_presence(Presence::Online, None).await.unwrap();
    assert_eq!(
        fifth.0.chat_place(fifth.1.chat.id).await.unwrap(),
        ChatPlace::WithAgent(f.boss.id)
    );
    let seats = chats.availability(f.boss.id).await.unwrap().unwrap();
    assert_eq!((seats.active_chats, seats.max_chats), (2, 2));
    assert!(maria.my_chats().await.unwrap().is_empty());
    assert!(matches!(
        ana.set_presence(Presence::Online, None).await,
        Err(Error::Forbidden { .. })
    ));
}

pub async fn chat_messages_are_stored_as_sent_in_the_chats_ticket(store: Arc<dyn Store>) {
    let Some(chats) = ability(store.as_chat_store(), "live chat") else {
        return;
    };
    let f = Fixture::new(store.clone()).await;
    let (ivan, ana) = (f.as_agent(&f.ivan).await, f.as_customer(&f.ana).await);
    ivan.set_presence(Presence::Online, Some(3)).await.unwrap();
    let started = ana
        .start_chat(f.support.id, body("Routerul clipește roșu"))
        .await
        .unwrap();
    let chat = started.chat.id;
    ana.talk_to_person(chat).await.unwrap();
    ana.say(chat, body("Ce fac?")).await.unwrap();
    let answer = ivan.say(chat, body("Reporniți routerul.")).await.unwrap();
    assert_eq!(answer.channel, Channel::Chat);
    assert_eq!(answer.visibility, Visibility::Public);
    assert_eq!(
        answer.body.as_str(),
        "Reporniți routerul.",
        "a chat line is said as typed: no e-mail signature"
    );
    // Strangers cannot speak in it.
    for stranger in [f.as_customer(&f.acme).await, f.as_agent(&f.boss).await] {
        assert!(matches!(
            stranger.say(chat, body("hi")).await,
            Err(Error::NotFound { .. })
        ));
    }
    ana.end_chat(chat).await.unwrap();
    assert!(matches!(
        ana.say(chat, body("one more thing")).await,
        Err(Error::Validation(_))
    ));
    // The window is gone; the conversation is not.
    let thread = ana.thread(started.ticket.id).await.unwrap();
    let texts: Vec<_> = thread.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(
        texts,
        ["Routerul clipește roșu", "Ce fac?", "Reporniți routerul."]
    );
    assert!(thread.iter().all(|m| m.channel == Channel::Chat));
    // A reply written on the chat's ticket afterwards is an e-mail reply: it is signed.
    let reply = changed(
        ivan.execute(
            started.ticket.id,
            Command::reply(body("Totul e în regulă?")),
        )
        .await
        .unwrap(),
    );
    let last = ivan.thread(reply.id).await.unwrap().pop().unwrap();
    assert_eq!(last.channel, Channel::Web);
    assert_eq!(
        last.body.as_str(),
        format!("Totul e în regulă?\n\n-- \n{}", f.ivan.signature.as_str())
    );
    let ended = ana.chat(chat).await.unwrap();
    assert!(matches!(
        ended.state,
        ChatState::Ended {
            end: ChatEnd::ByCustomer,
            ..
        }
    ));
    let ticket = ana.ticket(started.ticket.id).await.unwrap();
    assert_eq!(
        ticket.status,
        Status::Open,
        "answered, and still there to close"
    );
    let seat = chats.availability(f.ivan.id).await.unwrap().unwrap();
    assert_eq!(seat.active_chats, 0);
}

pub async fn the_assistant_answers_from_the_knowledge_base_first(store: Arc<dyn Store>) {
    if ability(store.as_chat_store(), "live chat").is_none()
        || ability(store.as_knowledge_store(), "the knowledge base").is_none()
    {
        return;
    }
    let f = Fixture::new(store).await;
    super::knowledge::add_faq(&f).await;
    let acme = f.as_customer(&f.acme).await;
    let article = draft(
        "How to restart the router",
        "Unplug the router, wait ten seconds, plug it in.",
        Language::English,
        ArticleStatus::Published,
        Visibility::Public,
    );
    f.as_agent(&f.ivan)
        .await
        .create_article(article)
        .await
        .unwrap();
    let started = acme
        .start_chat(f.support.id, body("The router does not work"))
        .await
        .unwrap();
    assert_eq!(started.suggestions.len(), 1);
    assert_eq!(
        started.suggestions[0].title.as_str(),
        "How to restart the router"
    );
    let answered = acme.chat_answered(started.chat.id).await.unwrap();
    assert!(matches!(
        answered.state,
        ChatState::Ended {
            end: ChatEnd::Answered,
            ..
        }
    ));
    let ticket = acme.ticket(started.ticket.id).await.unwrap();
    assert_eq!(ticket.status, Status::Closed(Resolution::Solved));
    let nothing = acme
        .start_chat(f.support.id, body("Invoice 2026-01 is wrong"))
        .await
        .unwrap();
    assert!(nothing.suggestions.is_empty());
    let ana = f.as_customer(&f.ana).await;
    assert!(matches!(
        ana.chat_answered(nothing.chat.id).await,
        Err(Error::NotFound { .. })
    ));
}

pub async fn unanswered_chats_are_handed_to_the_ticket_queue(store: Arc<dyn Store>) {
    if ability(store.as_chat_store(), "live chat").is_none() {
        return;
    }
    let f = Fixture::new(store).await;
    let reza = f.as_customer(&f.reza).await;
    let started = reza
        .start_chat(f.support.id, body("اینترنت قطع است"))
        .await
        .unwrap();
    reza.talk_to_person(started.chat.id).await.unwrap();
    let handed_over = async || {
        let report = f.desk.run_due(f.clock.now()).await.unwrap();
        report.chats_handed_over
    };
    f.tick(4 * 60);
    assert_eq!(handed_over().await, 0);
    f.tick(60);
    assert_eq!(handed_over().await, 1);
    assert_eq!(handed_over().await, 0);
    let chat = reza.chat(started.chat.id).await.unwrap();
    assert!(matches!(
        chat.state,
        ChatState::Ended {
            end: ChatEnd::NoAgent,
            ..
        }
    ));
    let ivan = f.as_agent(&f.ivan).await;
    let ticket = ivan.ticket(started.ticket.id).await.unwrap();
    assert_eq!(
        ticket.status,
        Status::New,
        "it waits in the queue like any ticket"
    );
    assert!(ivan.chat_queue(f.support.id).await.unwrap().is_empty());
}

pub async fn concurrent_routing_never_fills_a_seat_twice(store: Arc<dyn Store>) {
    let Some(chats) = ability(store.as_chat_store(), "live chat") else {
        return;
    };
    let f = Fixture::new(store.clone()).await;
    f.as_agent(&f.ivan)
        .await
        .set_presence(Presence::Online, Some(2))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for c in customers(&f, 6).await {
        let who = f.as_customer(&c).await;
        let support = f.support.id;
        tasks.push(tokio::spawn(async move {
            let started = who.start_chat(support, body("help")).await.unwrap();
            who.talk_to_person(started.chat.id).await.unwrap();
            started.chat.id
        }));
    }
    let mut with_ivan = 0;
    for task in tasks {
        let id = task.await.unwrap();
        let chat = chats.chat(id).await.unwrap().unwrap();
        with_ivan += usize::from(chat.agent() == Some(f.ivan.id));
    }
    assert_eq!(with_ivan, 2);
    let seat = chats.availability(f.ivan.id).await.unwrap().unwrap();
    assert_eq!(seat.active_chats, 2);
    assert_eq!(chats.waiting_chats(f.support.id).await.unwrap().len(), 4);
}

pub async fn the_assistant_offers_the_customers_language_first_within_the_desks_count(
    store: Arc<dyn Store>,
) {
    if ability(store.as_chat_store(), "live chat").is_none()
        || ability(store.as_knowledge_store(), "the knowledge base").is_none()
    {
        return;
    }
    let f = Fixture::new(store).await;
    super::knowledge::add_faq(&f).await;
    let ivan = f.as_agent(&f.ivan).await;
    let mut written = Vec::new();
    // The English one matches best: "router" in its title and twice in its text.
    for (title, text, language) in [
        (
            "Router restart",
            "Restart the router: unplug the router, wait, plug it in.",
            Language::English,
        ),
        (
            "Nu pornește",
            "Verificați cablul de la router.",
            Language::Romanian,
        ),
    ] {
        let published = draft(
            title,
            text,
            language,
            ArticleStatus::Published,
            Visibility::Public,
        );
        written.push(ivan.create_article(published).await.unwrap().id);
        f.tick(1);
    }
    let (en, ro) = (written[0], written[1]);
    let offered = |started: crate::service::ChatStarted| {
        started
            .suggestions
            .into_iter()
            .map(|a| a.id)
            .collect::<Vec<_>>()
    };
    let question = "The router does not start";
    // Ana reads Romanian: hers first, the English one after (not hidden).
    let ana = f.as_customer(&f.ana).await;
    let started = ana.start_chat(f.support.id, body(question)).await.unwrap();
    assert_eq!(offered(started), [ro, en], "Romanian first");
    // Acme has no language: every language, best first.
    let acme = f.as_customer(&f.acme).await;
    let started = acme.start_chat(f.support.id, body(question)).await.unwrap();
    assert_eq!(offered(started), [en, ro], "best first");
    // A desk set to offer one article offers Ana's one.
    let one = f.desk.clone().with_chat(crate::service::ChatSettings {
        suggestions: 1,
        ..crate::service::ChatSettings::default()
    });
    assert_eq!(one.chat_settings().suggestions, 1);
    let ana = one
        .acting_as(crate::domain::Actor::Customer(f.ana.id))
        .await
        .unwrap();
    let started = ana.start_chat(f.support.id, body(question)).await.unwrap();
    assert_eq!(offered(started), [ro]);
}
