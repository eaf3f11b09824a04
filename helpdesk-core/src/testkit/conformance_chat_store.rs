//! Conformance checks for the chat half of a store ([`ChatStore`]): every query and every
//! conflict agrees with the in-memory reference, and concurrent commits from one version
//! have one winner. Each takes a fresh, empty store.
#![allow(missing_docs)]

use std::sync::Arc;

use tokio::sync::Barrier;

use super::samples::at;
use crate::domain::{
    AgentId, Availability, ChatEnd, ChatId, ChatSession, ChatState, CustomerId, DepartmentId,
    Presence, TicketId, Version,
};
use crate::error::{ConflictKind, Error};
use crate::store::{ChatCommit, ChatStore, MemoryStore, Store};

fn chat(
    customer: CustomerId,
    department: DepartmentId,
    state: ChatState,
    created: i64,
) -> ChatSession {
    ChatSession {
        id: ChatId::new(),
        ticket_id: TicketId::new(),
        customer,
        department,
        state,
        created_at: at(created),
        version: Version::FIRST,
    }
}

fn seat(agent: AgentId, presence: Presence, active_chats: u32) -> Availability {
    Availability {
        agent,
        presence,
        max_chats: 3,
        active_chats,
        last_assigned_at: (active_chats > 0).then(|| at(50)),
        version: Version::FIRST,
    }
}

fn summary(e: &Error) -> String {
    match e {
        Error::Conflict {
            entity,
            kind: ConflictKind::StaleVersion { expected, actual },
        } => format!("stale {entity} {expected} {actual}"),
        other => format!("{other:?}"),
    }
}

/// Commits `commit` to both stores; they must agree on the outcome.
async fn both(store: &dyn ChatStore, memory: &MemoryStore, commit: ChatCommit) -> Option<String> {
    let got = store
        .commit_chat(commit.clone())
        .await
        .err()
        .map(|e| summary(&e));
    let want = memory
        .as_chat_store()
        .unwrap()
        .commit_chat(commit)
        .await
        .err()
        .map(|e| summary(&e));
    assert_eq!(got, want);
    got
}

/// Every state and every query, beside the in-memory reference: the same chats and
/// availabilities come back, in the same order, with the same versions and conflicts.
pub async fn chat_store_agrees_with_the_memory_store(store: Arc<dyn Store>) {
    let Some(chat_store) = super::ability(store.as_chat_store(), "live chat") else {
        return;
    };
    let memory = MemoryStore::new();
    let (support, billing) = (DepartmentId::new(), DepartmentId::new());
    let (ana, reza) = (CustomerId::new(), CustomerId::new());
    let (ivan, maria) = (AgentId::new(), AgentId::new());
    let mut chats = vec![
        chat(ana, support, ChatState::Assistant, 1),
        chat(ana, support, ChatState::Waiting { since: at(20) }, 2),
        chat(reza, support, ChatState::Waiting { since: at(10) }, 3),
        chat(reza, support, ChatState::Waiting { since: at(10) }, 3),
        chat(reza, billing, ChatState::Waiting { since: at(5) }, 4),
        chat(
            ana,
            support,
            ChatState::Active {
                agent: ivan,
                since: at(30),
            },
            6,
        ),
        chat(
            reza,
            billing,
            ChatState::Active {
                agent: ivan,
                since: at(31),
            },
            5,
        ),
        chat(
            reza,
            billing,
            ChatState::Active {
                agent: maria,
                since: at(31),
            },
            5,
        ),
    ];
    for end in [
        ChatEnd::Answered,
        ChatEnd::ByCustomer,
        ChatEnd::ByAgent,
        ChatEnd::NoAgent,
    ] {
        chats.push(chat(ana, billing, ChatState::Ended { at: at(40), end }, 7));
    }
    let seats = [
        seat(ivan, Presence::Online, 2),
        seat(maria, Presence::Away, 1),
    ];
    let first = ChatCommit {
        chats: chats.iter().map(|c| (None, c.clone())).collect(),
        availability: seats.iter().map(|a| (None, a.clone())).collect(),
    };
    assert_eq!(both(chat_store, &memory, first).await, None);

    // Ivan ends a chat; the queue's head goes to him.
    let mut ended = chats[5].clone();
    ended.state = ChatState::Ended {
        at: at(60),
        end: ChatEnd::ByAgent,
    };
    let mut routed = chats[4].clone();
    routed.state = ChatState::Active {
        agent: ivan,
        since: at(60),
    };
    let mut ivan_seat = seats[0].clone();
    ivan_seat.last_assigned_at = Some(at(60));
    let next = ChatCommit {
        chats: vec![
            (Some(Version::FIRST), ended.clone()),
            (Some(Version::FIRST), routed),
        ],
        availability: vec![(Some(Version::FIRST), ivan_seat.clone())],
    };
    assert_eq!(both(chat_store, &memory, next.clone()).await, None);
    // Again from the same versions: stale, chats checked first.
    assert_eq!(
        both(chat_store, &memory, next).await.as_deref(),
        Some("stale chat 1 2")
    );
    // A stale availability fails the chats with it: nothing is written.
    let untouched = chat(ana, support, ChatState::Assistant, 9);
    let mut maria_seat = seats[1].clone();
    maria_seat.presence = Presence::Online;
    let stale_seat = ChatCommit {
        chats: vec![
            (None, untouched.clone()),
            (Some(Version::new(2)), ended.clone()),
        ],
        availability: vec![(Some(Version::new(2)), maria_seat.clone())],
    };
    assert_eq!(
        both(chat_store, &memory, stale_seat).await.as_deref(),
        Some("stale availability 2 1")
    );
    assert_eq!(chat_store.chat(untouched.id).await.unwrap(), None);
    // New, but taken; and expected, but missing.
    let taken = ChatCommit {
        chats: vec![(None, ended.clone())],
        availability: vec![],
    };
    assert_eq!(
        both(chat_store, &memory, taken).await.as_deref(),
        Some("stale chat 1 2")
    );
    let missing = ChatCommit {
        chats: vec![],
        availability: vec![(
            Some(Version::new(4)),
            seat(AgentId::new(), Presence::Online, 0),
        )],
    };
    assert_eq!(
        both(chat_store, &memory, missing).await.as_deref(),
        Some("stale availability 4 1")
    );
    // One row twice in a commit: both checked against the state before, the later kept.
    let mut twice = maria_seat.clone();
    twice.max_chats = 7;
    let twice = ChatCommit {
        chats: vec![],
        availability: vec![
            (Some(Version::FIRST), maria_seat),
            (Some(Version::FIRST), twice),
        ],
    };
    assert_eq!(both(chat_store, &memory, twice).await, None);
    assert_eq!(both(chat_store, &memory, ChatCommit::default()).await, None);

    for c in chats.iter().chain([&untouched]) {
        assert_eq!(
            chat_store.chat(c.id).await.unwrap(),
            memory.as_chat_store().unwrap().chat(c.id).await.unwrap()
        );
    }
    for d in [support, billing, DepartmentId::new()] {
        assert_eq!(
            chat_store.waiting_chats(d).await.unwrap(),
            memory
                .as_chat_store()
                .unwrap()
                .waiting_chats(d)
                .await
                .unwrap()
        );
    }
    assert_eq!(chat_store.waiting_chats(support).await.unwrap().len(), 3);
    for s in [0, 5, 6, 10, 11, 20, 21, 100] {
        assert_eq!(
            chat_store.chats_waiting_since_before(at(s)).await.unwrap(),
            memory
                .as_chat_store()
                .unwrap()
                .chats_waiting_since_before(at(s))
                .await
                .unwrap(),
            "{s}"
        );
    }
    for a in [ivan, maria, AgentId::new()] {
        assert_eq!(
            chat_store.agent_chats(a).await.unwrap(),
            memory
                .as_chat_store()
                .unwrap()
                .agent_chats(a)
                .await
                .unwrap()
        );
        assert_eq!(
            chat_store.availability(a).await.unwrap(),
            memory
                .as_chat_store()
                .unwrap()
                .availability(a)
                .await
                .unwrap()
        );
    }
    assert_eq!(chat_store.agent_chats(ivan).await.unwrap().len(), 2);
    for c in [ana, reza, CustomerId::new()] {
        for limit in [0, 1, 3, 100] {
            assert_eq!(
                chat_store.customer_chats(c, limit).await.unwrap(),
                memory
                    .as_chat_store()
                    .unwrap()
                    .customer_chats(c, limit)
                    .await
                    .unwrap()
            );
        }
    }
    assert_eq!(
        chat_store.availabilities().await.unwrap(),
        memory
            .as_chat_store()
            .unwrap()
            .availabilities()
            .await
            .unwrap()
    );
    assert_eq!(
        chat_store
            .availability(maria)
            .await
            .unwrap()
            .unwrap()
            .max_chats,
        7
    );
}

/// Sixteen routers read one seat at one version and commit together: exactly one fills
/// it, the others are stale; and of eight commits of one new chat exactly one inserts it.
pub async fn concurrent_chat_commits_from_one_version_have_one_winner(store: Arc<dyn Store>) {
    let Some(chat_store) = super::ability(store.as_chat_store(), "live chat") else {
        return;
    };
    let ivan = AgentId::new();
    let support = DepartmentId::new();
    chat_store
        .commit_chat(ChatCommit {
            chats: vec![],
            availability: vec![(None, seat(ivan, Presence::Online, 0))],
        })
        .await
        .unwrap();

    let n = 16;
    let barrier = Arc::new(Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let (store, barrier) = (store.clone(), barrier.clone());
            tokio::spawn(async move {
                let c = chat(
                    CustomerId::new(),
                    support,
                    ChatState::Active {
                        agent: ivan,
                        since: at(100),
                    },
                    i64::try_from(i).unwrap(),
                );
                barrier.wait().await;
                let outcome = (store.as_chat_store().expect("checked above"))
                    .commit_chat(ChatCommit {
                        chats: vec![(None, c.clone())],
                        availability: vec![(Some(Version::FIRST), seat(ivan, Presence::Online, 1))],
                    })
                    .await;
                (c, outcome)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for task in tasks {
        let (c, outcome) = task.await.unwrap();
        match outcome {
            Ok(()) => winners.push(c),
            Err(e) => {
                assert_eq!(summary(&e), "stale availability 1 2");
                assert_eq!(
                    chat_store.chat(c.id).await.unwrap(),
                    None,
                    "nothing of a loser"
                );
            }
        }
    }
    assert_eq!(winners.len(), 1);
    let seat_now = chat_store.availability(ivan).await.unwrap().unwrap();
    assert_eq!(
        (seat_now.active_chats, seat_now.version),
        (1, Version::new(2))
    );
    assert_eq!(chat_store.agent_chats(ivan).await.unwrap(), winners);

    let same = chat(CustomerId::new(), support, ChatState::Assistant, 200);
    let barrier = Arc::new(Barrier::new(8));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (store, barrier, same) = (store.clone(), barrier.clone(), same.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                (store.as_chat_store().expect("checked above"))
                    .commit_chat(ChatCommit {
                        chats: vec![(None, same)],
                        availability: vec![],
                    })
                    .await
            })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => won += 1,
            Err(e) => assert_eq!(summary(&e), "stale chat 1 1"),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(chat_store.chat(same.id).await.unwrap(), Some(same));
}
