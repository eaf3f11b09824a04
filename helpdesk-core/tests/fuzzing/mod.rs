//! The fuzz targets' bodies, shared by the cargo-fuzz crate (`fuzz/`, libFuzzer, nightly or
//! `RUSTC_BOOTSTRAP=1`) and the bounded proptest fuzz tests (`tests/fuzz/`, stable, run by
//! CI), and the corpus both start from (`fuzz/corpus/<target>/`).
//!
//! Each target panics when the code under test panics or breaks a property.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use helpdesk_core::domain::{
    Actor, Email, MessageBody, Minutes, Name, Priority, Rating, Resolution, ShortNote, Subject,
    TicketNumber,
};
use helpdesk_core::machine::{Command, NewTicket};
use helpdesk_core::policy::FollowUpPolicy;
use helpdesk_core::search::{SearchQuery, fold};
use helpdesk_core::service::MailSettings;
use helpdesk_core::store::{MemoryStore, PageRequest, Store, TicketFilter, TicketOrder};
use helpdesk_core::testkit::Fixture;
use helpdesk_core::{Error, Helpdesk};

/// The corpus of a target, kept in the repository (`fuzz/corpus/<target>/`).
pub fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let corpus: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert!(!corpus.is_empty(), "the corpus {} is empty", dir.display());
    corpus
}

/// How long each bounded fuzz test runs: `HELPDESK_FUZZ_SECONDS`, else 4 s (the suite stays
/// fast; CI may give each target a minute).
pub fn budget() -> Duration {
    let secs = std::env::var("HELPDESK_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(4);
    Duration::from_secs(secs)
}

/// Runs `strategy` through `test` in batches of 64 cases until [`budget`] is spent; a
/// failure is shrunk and reported by proptest as usual. Returns how many cases ran.
pub fn run_for<S: proptest::strategy::Strategy>(
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), proptest::test_runner::TestCaseError>,
) -> u64
where
    S::Value: std::fmt::Debug,
{
    use proptest::test_runner::{Config, TestRunner};
    let config = Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    };
    let deadline = Instant::now() + budget();
    let ran = std::cell::Cell::new(0u64);
    loop {
        // A runner per batch: one runner runs its `cases` once.
        let mut runner = TestRunner::new(config.clone());
        let result = runner.run(&strategy, |value| {
            ran.set(ran.get() + 1);
            test(value)
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        if Instant::now() >= deadline {
            return ran.get();
        }
    }
}

/// A byte string: a corpus entry with a few random edits, or random bytes.
pub fn mutated(corpus: Vec<Vec<u8>>) -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    let edits = prop::collection::vec((any::<usize>(), any::<u8>(), 0..5u8), 0..12);
    prop_oneof![
        4 => (prop::sample::select(corpus), edits).prop_map(|(mut bytes, edits)| {
            for (at, byte, kind) in edits {
                let len = bytes.len();
                let at = if len == 0 { 0 } else { at % len };
                match kind {
                    0 if len > 0 => bytes[at] ^= byte | 1,
                    1 => bytes.insert(at, byte),
                    2 if len > 0 => {
                        bytes.remove(at);
                    }
                    3 => bytes.truncate(at),
                    _ => {
                        // Splice a special byte run: a quote, a boundary, a BOM, a NUL.
                        let special: &[u8] = match byte % 6 {
                            0 => b"\r\n--",
                            1 => b"=?utf-8?b?",
                            2 => b"\xef\xbb\xbf",
                            3 => b"\0",
                            4 => b"\"",
                            _ => b"\xff\xfe",
                        };
                        for (i, b) in special.iter().enumerate() {
                            bytes.insert((at + i).min(bytes.len()), *b);
                        }
                    }
                }
            }
            bytes
        }),
        1 => prop::collection::vec(any::<u8>(), 0..512),
    ]
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

fn not_backend(result: &Result<impl std::fmt::Debug, Error>, what: &str) {
    if let Err(e @ Error::Backend { .. }) = result {
        panic!("{what}: a backend error on hostile input: {e:?}");
    }
}

/// E-mail ingestion: any bytes are taken in or refused with a typed error; taking the same
/// message in twice opens no second ticket.
pub fn ingest_email(data: &[u8]) {
    runtime().block_on(async {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let desk = Helpdesk::new(store.clone());
        let inbound = desk
            .as_system()
            .create_department(Name::parse("Inbox").unwrap(), FollowUpPolicy::Reopen)
            .await
            .unwrap();
        let desk = desk.with_mail(MailSettings::new(
            Email::parse("desk@desk.test").unwrap(),
            inbound.id,
        ));
        let first = desk.ingest_email(data).await;
        not_backend(&first, "ingest_email");
        let count = |store: Arc<dyn Store>| async move {
            let page = PageRequest::first(TicketOrder::LastUpdate, PageRequest::MAX_LIMIT);
            let listed = store.list_tickets(&TicketFilter::default(), &page).await;
            listed.unwrap().items.len()
        };
        let after_first = count(store.clone()).await;
        assert!(after_first <= 1, "one e-mail opened {after_first} tickets");
        let second = desk.ingest_email(data).await;
        not_backend(&second, "ingest_email again");
        let after_second = count(store.clone()).await;
        // A message with a Message-ID is stored once; one without may open a second ticket.
        let has_id = String::from_utf8_lossy(data)
            .to_ascii_lowercase()
            .contains("message-id:");
        if has_id && first.is_ok() {
            assert_eq!(
                after_first, after_second,
                "the same message was taken in twice"
            );
        }
    });
}

/// The search query parser, and searching with what it accepts: results or a validation
/// error, never a panic or a backend error; excluded words never match.
pub fn search_query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = fold(&text);
    let parsed = SearchQuery::parse(&text);
    if let Ok(query) = &parsed {
        assert!(
            !query.include.is_empty(),
            "a query with nothing to find: {query:?}"
        );
        assert!(query.include.len() + query.exclude.len() <= SearchQuery::MAX_TERMS);
    }
    runtime().block_on(async {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let f = Fixture::new(store).await;
        f.open(&f.ana, "Routerul nu funcționează 100% _now_ \"quoted\"")
            .await;
        f.open(&f.acme, "Нет интернета — ёлка").await;
        let page = PageRequest::first(TicketOrder::Relevance, 50);
        for actor in [Actor::Agent(f.ivan.id), Actor::Customer(f.ana.id)] {
            let found = f
                .desk
                .acting_as(actor)
                .await
                .unwrap()
                .search_tickets(&text, TicketFilter::default(), page.clone())
                .await;
            not_backend(&found, "search_tickets");
            match (&parsed, &found) {
                (Err(_), Ok(page)) => {
                    panic!("{text:?} does not parse, yet found {}", page.items.len())
                }
                (Ok(_), Err(Error::Validation(_))) | (Err(_), Err(_)) | (Ok(_), Ok(_)) => {}
                (Ok(_), Err(e)) => panic!("{text:?} parses, yet searching failed: {e:?}"),
            }
        }
    });
}

/// Ticket numbers as typed: normalising never panics and gives ASCII digits only; every
/// number the numbering gives is found again from its short and full forms, with `#`, in
/// Persian digits.
pub fn ticket_number(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(digits) = TicketNumber::normalize(&text) {
        assert!(!digits.is_empty(), "{text:?}");
        assert!(
            digits.bytes().all(|b| b.is_ascii_digit()),
            "{text:?} -> {digits:?}"
        );
        // Normalising is idempotent.
        assert_eq!(
            TicketNumber::normalize(&digits).as_deref(),
            Ok(digits.as_str())
        );
    }
    let sequence = data
        .iter()
        .take(8)
        .fold(0u64, |n, b| n.wrapping_mul(256).wrapping_add(u64::from(*b)))
        % 1_000_000_000_000;
    let number = helpdesk_core::testkit::samples::number(sequence + 1);
    for typed in [
        number.full().to_owned(),
        number.short().to_owned(),
        format!("#{}", number.short()),
        format!(" № {} ", number.full()),
        persian(number.short()),
    ] {
        let normalized = TicketNumber::normalize(&typed)
            .unwrap_or_else(|e| panic!("{typed:?} of {number:?} does not normalise: {e:?}"));
        assert!(
            normalized == number.full() || normalized == number.short(),
            "{typed:?} -> {normalized:?}"
        );
    }
}

fn persian(digits: &str) -> String {
    digits
        .chars()
        .map(|c| {
            c.to_digit(10)
                .and_then(|d| char::from_u32(0x06F0 + d))
                .unwrap_or(c)
        })
        .collect()
}

/// Random command sequences, decoded from bytes: the desk never panics; a refused command
/// leaves its ticket as it was; numbers never repeat; customers never read internal notes.
pub fn commands(data: &[u8]) {
    runtime().block_on(async {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let f = Fixture::new(store.clone()).await;
        let actors = [
            Actor::Agent(f.admin.id),
            Actor::Agent(f.ivan.id),
            Actor::Agent(f.maria.id),
            Actor::Agent(f.boss.id),
            Actor::Customer(f.ana.id),
            Actor::Customer(f.acme.id),
            Actor::Customer(f.reza.id),
            Actor::System,
        ];
        let departments = [f.support.id, f.billing.id, f.sales.id];
        let mut tickets = Vec::new();
        let mut bytes = data.iter().copied();
        let mut next = || bytes.next();
        let mut n = 0u32;
        while let (Some(op), Some(who), Some(arg)) = (next(), next(), next()) {
            n += 1;
            if n > 64 {
                break;
            }
            let actor = actors[usize::from(who) % actors.len()];
            if op % 5 == 0 || tickets.is_empty() {
                let mut new = NewTicket::new(
                    Subject::parse(format!("fuzz {n}")).unwrap(),
                    MessageBody::parse(format!("fuzz body {n}")).unwrap(),
                    departments[usize::from(arg) % 3],
                );
                new.internal = arg & 0x80 != 0;
                if matches!(actor, Actor::Agent(_) | Actor::System) {
                    new.customer = Some(f.ana.id);
                }
                if let Ok(t) = f
                    .desk
                    .acting_as(actor)
                    .await
                    .unwrap()
                    .open_ticket(new)
                    .await
                {
                    tickets.push(t.id);
                }
                f.tick(i64::from(arg) * 60);
                continue;
            }
            let id = tickets[usize::from(arg) % tickets.len()];
            let other = tickets[usize::from(op) % tickets.len()];
            let secret = MessageBody::parse(format!("zqxsecret {n}")).unwrap();
            let public = MessageBody::parse(format!("reply {n}")).unwrap();
            let command = match op % 19 {
                0 => Command::Reply {
                    body: public,
                    attachments: vec![],
                },
                1 => Command::AddNote {
                    body: secret,
                    attachments: vec![],
                },
                2 => Command::Assign {
                    agent: Some(f.ivan.id),
                },
                3 => Command::Assign { agent: None },
                4 => Command::ChangePriority {
                    priority: Priority::ALL[usize::from(arg) % Priority::ALL.len()],
                },
                5 => Command::MoveToDepartment {
                    department: departments[usize::from(arg) % 3],
                },
                6 => Command::AskCustomer {
                    body: public,
                    until: None,
                },
                7 => Command::PutOnHold {
                    reason: Some(secret),
                    until: None,
                },
                8 => Command::Resolve { body: Some(public) },
                9 => Command::ConfirmResolution,
                10 => Command::Close {
                    resolution: Resolution::Solved,
                },
                11 => Command::Reopen,
                12 => Command::LinkToMaster {
                    master: Some(other),
                },
                13 => Command::MergeInto { target: other },
                14 => Command::LogTime {
                    minutes: Minutes::new(u32::from(arg) + 1).unwrap(),
                    billable: arg % 2 == 0,
                    note: ShortNote::parse("fuzz").unwrap(),
                    note_visible_to_customer: arg % 3 == 0,
                },
                15 => Command::RateSatisfaction {
                    score: Rating::new(arg % 5 + 1).unwrap(),
                    comment: None,
                },
                16 => Command::RequestPriority {
                    priority: Priority::ALL[usize::from(arg) % Priority::ALL.len()],
                    reason: ShortNote::parse("fuzz").unwrap(),
                },
                17 => Command::DecidePriorityRequest {
                    approve: arg % 2 == 0,
                },
                _ => {
                    let _ = f.desk.run_due(f.desk_now()).await;
                    f.tick(i64::from(arg) * 3600);
                    continue;
                }
            };
            let before = store.ticket(id).await.unwrap();
            let messages = store.messages(id, true).await.unwrap().len();
            match f
                .desk
                .acting_as(actor)
                .await
                .unwrap()
                .execute(id, command.clone())
                .await
            {
                Ok(outcome) => {
                    let t = outcome.ticket().id;
                    if !tickets.contains(&t) {
                        tickets.push(t);
                    }
                }
                Err(e) => {
                    if let Error::Backend { .. } = e {
                        panic!("{command:?} by {actor:?}: {e:?}");
                    }
                    assert_eq!(
                        store.ticket(id).await.unwrap(),
                        before,
                        "{command:?} refused ({e:?}) changed the ticket"
                    );
                    assert_eq!(store.messages(id, true).await.unwrap().len(), messages);
                }
            }
            f.tick(1);
        }
        let mut numbers = std::collections::HashSet::new();
        for id in &tickets {
            let t = store.ticket(*id).await.unwrap().unwrap();
            assert!(
                numbers.insert(t.number.full().to_owned()),
                "number {:?} repeats",
                t.number
            );
            for customer in [f.ana.id, f.acme.id, f.reza.id] {
                if let Ok(thread) = f
                    .desk
                    .acting_as(Actor::Customer(customer))
                    .await
                    .unwrap()
                    .thread(*id)
                    .await
                {
                    assert!(!t.internal && t.customer == Some(customer));
                    assert!(
                        thread
                            .iter()
                            .all(|m| m.is_public() && !m.body.as_str().contains("zqxsecret"))
                    );
                }
            }
        }
    });
}

trait Now {
    fn desk_now(&self) -> chrono::DateTime<chrono::Utc>;
}

impl Now for Fixture {
    fn desk_now(&self) -> chrono::DateTime<chrono::Utc> {
        use helpdesk_core::clock::Clock;
        self.clock.now()
    }
}
