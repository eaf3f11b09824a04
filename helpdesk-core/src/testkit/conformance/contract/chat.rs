//! Live chat ([`ChatStore`]): what a chat commit means
//! ([`ChatCommit::check`](crate::store::ChatCommit::check)), each refused commit failing as
//! the reference's and writing nothing at all; every query agreeing with the reference; and
//! concurrent commits from one version having one winner.

use std::sync::Arc;

use tokio::sync::Barrier;

use super::outcome;
use crate::domain::{
    AgentId, Availability, ChatEnd, ChatId, ChatSession, ChatState, CustomerId, DepartmentId,
    Presence, TicketId, Version,
};
use crate::store::{ChatCommit, ChatStore, MemoryStore, Store};
use crate::testkit::ability;
use crate::testkit::samples::at;

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
        // Kept and read back as written, like every other column.
        last_seen_at: (presence != Presence::Offline).then(|| at(55)),
        version: Version::FIRST,
    }
}

/// Who and what the chat checks look at.
struct Cast {
    departments: Vec<DepartmentId>,
    customers: Vec<CustomerId>,
    agents: Vec<AgentId>,
    chats: Vec<ChatId>,
}

/// Everything a chat store shows about `cast`, by every query.
async fn state(store: &dyn ChatStore, cast: &Cast) -> String {
    let mut out = format!("{:?}\n", store.availabilities().await.unwrap());
    for id in &cast.chats {
        out += &format!("{:?}\n", store.chat(*id).await.unwrap());
    }
    for d in &cast.departments {
        out += &format!("{:?}\n", store.waiting_chats(*d).await.unwrap());
    }
    for s in [0, 5, 6, 10, 11, 20, 21, 100] {
        out += &format!(
            "{:?}\n",
            store.chats_waiting_since_before(at(s)).await.unwrap()
        );
    }
    for a in &cast.agents {
        out += &format!(
            "{:?}\n{:?}\n",
            store.agent_chats(*a).await.unwrap(),
            store.availability(*a).await.unwrap()
        );
    }
    for c in &cast.customers {
        for limit in [0, 1, 3, 100] {
            out += &format!("{:?}\n", store.customer_chats(*c, limit).await.unwrap());
        }
    }
    out
}

/// Commits `commit` to both stores: the outcomes must agree, and a refused commit must leave
/// the store as it was. The outcome.
async fn both(
    store: &dyn ChatStore,
    reference: &dyn ChatStore,
    cast: &Cast,
    commit: ChatCommit,
) -> String {
    let before = state(store, cast).await;
    let got = outcome(&store.commit_chat(commit.clone()).await);
    let want = outcome(&reference.commit_chat(commit).await);
    assert_eq!(got, want);
    if got != "ok" {
        assert_eq!(
            state(store, cast).await,
            before,
            "a refused commit wrote something"
        );
    }
    assert_eq!(state(store, cast).await, state(reference, cast).await);
    got
}

/// Every state and every query, beside the reference: the same chats and availabilities come
/// back, in the same order, with the same versions; stale and taken versions are refused
/// alike, chats checked before availabilities, the first stale one reported.
pub async fn chat_commits_and_queries_agree_with_the_reference(store: Arc<dyn Store>) {
    let Some(store) = ability(store.as_chat_store(), "live chat") else {
        return;
    };
    let memory = MemoryStore::new();
    let reference: &dyn ChatStore = &memory;
    let (support, billing) = (DepartmentId::new(), DepartmentId::new());
    let (ana, reza) = (CustomerId::new(), CustomerId::new());
    let (ivan, maria) = (AgentId::new(), AgentId::new());
    let active = |agent, since| ChatState::Active {
        agent,
        since: at(since),
    };
    let mut chats = vec![
        chat(ana, support, ChatState::Assistant, 1),
        chat(ana, support, ChatState::Waiting { since: at(20) }, 2),
        chat(reza, support, ChatState::Waiting { since: at(10) }, 3),
        chat(reza, support, ChatState::Waiting { since: at(10) }, 3),
        chat(reza, billing, ChatState::Waiting { since: at(5) }, 4),
        chat(ana, support, active(ivan, 30), 6),
        chat(reza, billing, active(ivan, 31), 5),
        chat(reza, billing, active(maria, 31), 5),
    ];
    for end in ChatEnd::ALL {
        chats.push(chat(ana, billing, ChatState::Ended { at: at(40), end }, 7));
    }
    let untouched = chat(ana, support, ChatState::Assistant, 9);
    let seats = [
        seat(ivan, Presence::Online, 2),
        seat(maria, Presence::Away, 1),
    ];
    let nobody = AgentId::new();
    let cast = Cast {
        departments: vec![support, billing, DepartmentId::new()],
        customers: vec![ana, reza, CustomerId::new()],
        agents: vec![ivan, maria, nobody],
        chats: chats.iter().chain([&untouched]).map(|c| c.id).collect(),
    };
    let first = ChatCommit {
        chats: chats.iter().map(|c| (None, c.clone())).collect(),
        availability: seats.iter().map(|a| (None, a.clone())).collect(),
    };
    assert_eq!(both(store, reference, &cast, first).await, "ok");

    // Ivan ends a chat; the queue's head goes to him.
    let ended = ChatSession {
        state: ChatState::Ended {
            at: at(60),
            end: ChatEnd::ByAgent,
        },
        ..chats[5].clone()
    };
    let routed = ChatSession {
        state: active(ivan, 60),
        ..chats[4].clone()
    };
    let ivan_seat = Availability {
        last_assigned_at: Some(at(60)),
        ..seats[0].clone()
    };
    let next = ChatCommit {
        chats: vec![
            (Some(Version::FIRST), ended.clone()),
            (Some(Version::FIRST), routed),
        ],
        availability: vec![(Some(Version::FIRST), ivan_seat)],
    };
    assert_eq!(both(store, reference, &cast, next.clone()).await, "ok");
    // Again from the same versions: stale, chats checked before availabilities.
    assert_eq!(both(store, reference, &cast, next).await, "stale chat 1 2");
    // Of two stale chats, the first is reported.
    let two_stale = ChatCommit {
        chats: vec![
            (None, untouched.clone()),
            (Some(Version::new(3)), ended.clone()),
            (Some(Version::new(5)), chats[4].clone()),
        ],
        availability: vec![],
    };
    assert_eq!(
        both(store, reference, &cast, two_stale).await,
        "stale chat 3 2"
    );
    // A stale availability fails the chats with it.
    let maria_seat = Availability {
        presence: Presence::Online,
        ..seats[1].clone()
    };
    let stale_seat = ChatCommit {
        chats: vec![
            (None, untouched.clone()),
            (Some(Version::new(2)), ended.clone()),
        ],
        availability: vec![(Some(Version::new(2)), maria_seat.clone())],
    };
    assert_eq!(
        both(store, reference, &cast, stale_seat).await,
        "stale availability 2 1"
    );
    // New, but stored; and expected, but missing.
    let taken = ChatCommit {
        chats: vec![(None, ended.clone())],
        availability: vec![],
    };
    assert_eq!(both(store, reference, &cast, taken).await, "stale chat 1 2");
    let missing = ChatCommit {
        chats: vec![],
        availability: vec![(Some(Version::new(4)), seat(nobody, Presence::Online, 0))],
    };
    assert_eq!(
        both(store, reference, &cast, missing).await,
        "stale availability 4 1"
    );
    // One row twice in a commit: both checked against the state before, the later kept.
    let twice = ChatCommit {
        chats: vec![],
        availability: vec![
            (Some(Version::FIRST), maria_seat.clone()),
            (
                Some(Version::FIRST),
                Availability {
                    max_chats: 7,
                    ..maria_seat
                },
            ),
        ],
    };
    assert_eq!(both(store, reference, &cast, twice).await, "ok");
    assert_eq!(
        both(store, reference, &cast, ChatCommit::default()).await,
        "ok"
    );
    assert_eq!(store.chat(untouched.id).await.unwrap(), None);
    assert_eq!(store.waiting_chats(support).await.unwrap().len(), 3);
    assert_eq!(store.agent_chats(ivan).await.unwrap().len(), 2);
    let maria_now = store.availability(maria).await.unwrap().unwrap();
    assert_eq!(
        (maria_now.max_chats, maria_now.version),
        (7, Version::new(2))
    );
}

/// Sixteen routers read one seat at one version and commit together: exactly one fills
/// it, the others are stale and write nothing; and of eight commits of one new chat exactly
/// one inserts it.
pub async fn concurrent_chat_commits_from_one_version_have_one_winner(store: Arc<dyn Store>) {
    let Some(chats) = ability(store.as_chat_store(), "live chat") else {
        return;
    };
    let ivan = AgentId::new();
    let support = DepartmentId::new();
    chats
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
                let outcome = (store.as_chat_store().expect("offered above"))
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
        let (c, result) = task.await.unwrap();
        match result {
            Ok(()) => winners.push(c),
            Err(e) => {
                assert_eq!(outcome::<()>(&Err(e)), "stale availability 1 2");
                assert_eq!(chats.chat(c.id).await.unwrap(), None, "nothing of a loser");
            }
        }
    }
    assert_eq!(winners.len(), 1);
    let seat_now = chats.availability(ivan).await.unwrap().unwrap();
    assert_eq!(
        (seat_now.active_chats, seat_now.version),
        (1, Version::new(2))
    );
    assert_eq!(chats.agent_chats(ivan).await.unwrap(), winners);

    let same = chat(CustomerId::new(), support, ChatState::Assistant, 200);
    let barrier = Arc::new(Barrier::new(8));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (store, barrier, same) = (store.clone(), barrier.clone(), same.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                (store.as_chat_store().expect("offered above"))
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
            Err(e) => assert_eq!(outcome::<()>(&Err(e)), "stale chat 1 1"),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(chats.chat(same.id).await.unwrap(), Some(same));
}
