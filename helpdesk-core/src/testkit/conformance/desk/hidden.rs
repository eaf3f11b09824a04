//! What a customer may not see answers exactly as what does not exist: another customer's
//! ticket, named by its number (full, short, in Persian digits) or its id, gets the error a
//! missing one gets, code and message, naming only what the customer typed; through every
//! call that takes a ticket, the tickets a command names, the ticket's attachments and its
//! chats.

use std::sync::Arc;

use crate::domain::{
    CannedResponseId, ChatId, Email, Language, MessageId, Priority, Rating, ShortNote, TicketId,
    TicketKey,
};
use crate::error::Result;
use crate::machine::Command;
use crate::service::{Acting, AttachmentLimits, ExecOptions, Upload};
use crate::store::{MemoryBlobStore, Store};
use crate::testkit::{Fixture, body};

/// One answer, as the customer sees it: the error's code and message, with what they typed
/// written as `<typed>`; `ok` when the call succeeded.
type Seen = (&'static str, String);

fn seen<T>(result: Result<T>, typed: &str) -> Seen {
    match result {
        Ok(_) => ("ok", String::new()),
        Err(e) => (e.code(), e.to_string().replace(typed, "<typed>")),
    }
}

/// What Reza keeps that Ana asks about.
struct Hidden {
    /// A message of his ticket with a file, and the file's hash.
    message: MessageId,
    sha256: String,
}

/// Every call that takes a ticket, as `ana` with `key`.
async fn ticket_calls(ana: &Acting, key: &TicketKey, hidden: &Hidden) -> Vec<(&'static str, Seen)> {
    let typed = key.to_string();
    let run = |command: Command| {
        let (ana, key) = (ana.clone(), key.clone());
        async move { ana.execute(key, command).await }
    };
    let file = || vec![Upload::new("note.txt", "text/plain", b"hello".to_vec())];
    let stale = ExecOptions {
        expected: Some(crate::domain::Version::FIRST),
        ..ExecOptions::default()
    };
    let to = Email::parse("ana@example.ro").unwrap();
    vec![
        ("ticket", seen(ana.ticket(key.clone()).await, &typed)),
        ("thread", seen(ana.thread(key.clone()).await, &typed)),
        ("history", seen(ana.history(key.clone()).await, &typed)),
        (
            "time_entries",
            seen(ana.time_entries(key.clone()).await, &typed),
        ),
        (
            "history_text",
            seen(
                ana.history_text(key.clone(), Language::Romanian).await,
                &typed,
            ),
        ),
        (
            "waiting_time",
            seen(ana.waiting_time(key.clone()).await, &typed),
        ),
        (
            "attachment",
            seen(
                ana.attachment(key.clone(), hidden.message, &hidden.sha256)
                    .await,
                &typed,
            ),
        ),
        (
            "email_ticket",
            seen(
                ana.email_ticket(key.clone(), to, Language::Romanian).await,
                &typed,
            ),
        ),
        (
            "fill_canned_response",
            seen(
                ana.fill_canned_response(CannedResponseId::new(), key.clone())
                    .await,
                &typed,
            ),
        ),
        ("reply", seen(run(Command::reply(body("hi"))).await, &typed)),
        (
            "confirm",
            seen(run(Command::ConfirmResolution).await, &typed),
        ),
        ("reopen", seen(run(Command::Reopen).await, &typed)),
        (
            "rate",
            seen(
                run(Command::RateSatisfaction {
                    score: Rating::new(5).unwrap(),
                    comment: None,
                })
                .await,
                &typed,
            ),
        ),
        (
            "request_priority",
            seen(
                run(Command::RequestPriority {
                    priority: Priority::Normal,
                    reason: ShortNote::parse("please").unwrap(),
                })
                .await,
                &typed,
            ),
        ),
        (
            "close",
            seen(
                run(Command::Close {
                    resolution: crate::domain::Resolution::Solved,
                })
                .await,
                &typed,
            ),
        ),
        (
            "reply_with_a_file",
            seen(
                ana.execute_with_uploads(
                    key.clone(),
                    Command::reply(body("file")),
                    file(),
                    ExecOptions::default(),
                )
                .await,
                &typed,
            ),
        ),
        (
            "stale_reply",
            seen(
                ana.execute_with(key.clone(), Command::reply(body("hi")), stale)
                    .await,
                &typed,
            ),
        ),
    ]
}

/// Every call that names another ticket by id, as `ana` naming `id`.
async fn named_calls(
    f: &Fixture,
    ana: &Acting,
    own: TicketId,
    id: TicketId,
) -> Vec<(&'static str, Seen)> {
    let typed = id.to_string();
    let mut new = f.new_ticket(&f.support, "Mine");
    new.master = Some(id);
    vec![
        ("open_with_master", seen(ana.open_ticket(new).await, &typed)),
        (
            "link_to_master",
            seen(
                ana.execute(own, Command::LinkToMaster { master: Some(id) })
                    .await,
                &typed,
            ),
        ),
        (
            "merge_into",
            seen(
                ana.execute(own, Command::MergeInto { target: id }).await,
                &typed,
            ),
        ),
    ]
}

/// Every call that takes a chat, as `ana` with `id`.
async fn chat_calls(ana: &Acting, id: ChatId) -> Vec<(&'static str, Seen)> {
    let typed = id.to_string();
    vec![
        ("chat", seen(ana.chat(id).await, &typed)),
        ("chat_place", seen(ana.chat_place(id).await, &typed)),
        ("talk_to_person", seen(ana.talk_to_person(id).await, &typed)),
        ("chat_answered", seen(ana.chat_answered(id).await, &typed)),
        ("say", seen(ana.say(id, body("hi")).await, &typed)),
        ("end_chat", seen(ana.end_chat(id).await, &typed)),
    ]
}

#[track_caller]
fn same(what: &str, hidden: &[(&'static str, Seen)], missing: &[(&'static str, Seen)]) {
    for ((call, h), (_, m)) in hidden.iter().zip(missing) {
        assert_eq!(
            h, m,
            "{call} on {what}: another customer's vs a missing one"
        );
        assert_ne!(h.0, "ok", "{call} on {what}");
    }
}

pub async fn a_customer_gets_the_same_answer_for_another_customers_ticket_as_for_a_missing_one(
    store: Arc<dyn Store>,
) {
    let mut f = Fixture::new(store.clone()).await;
    f.desk = f.desk.clone().with_blobs(
        Arc::new(MemoryBlobStore::new()),
        AttachmentLimits::default(),
    );
    let (ana, reza) = (f.as_customer(&f.ana).await, f.as_customer(&f.reza).await);
    let own = f.open(&f.ana, "Mine").await;
    let secret = Upload::new("contract.txt", "text/plain", b"Reza's contract".to_vec());
    let theirs = reza
        .open_ticket_with_uploads(f.new_ticket(&f.support, "Reza's secret"), vec![secret])
        .await
        .unwrap();
    let first = reza.thread(theirs.id).await.unwrap().remove(0);
    let hidden = Hidden {
        message: first.id,
        sha256: first.attachments[0].sha256().to_owned(),
    };
    let number = theirs.number.clone();
    // A number no ticket has, in the same form.
    let missing_full = format!("{}99", &number.full()[..number.full().len() - 2]);
    let missing_short = format!("{}99", &number.short()[..number.short().len() - 2]);
    let persian = |digits: &str| -> String {
        digits
            .chars()
            .map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap()).unwrap())
            .collect()
    };
    for (theirs_typed, missing_typed) in [
        (number.full().to_owned(), missing_full.clone()),
        (number.short().to_owned(), missing_short.clone()),
        (format!("#{}", number.short()), format!("#{missing_short}")),
        (persian(number.short()), persian(&missing_short)),
        (theirs.id.to_string(), TicketId::new().to_string()),
    ] {
        let (theirs_key, missing_key) = (
            TicketKey::parse(&theirs_typed).unwrap(),
            TicketKey::parse(&missing_typed).unwrap(),
        );
        assert!(
            f.desk
                .as_system()
                .ticket(missing_key.clone())
                .await
                .is_err()
        );
        let h = ticket_calls(&ana, &theirs_key, &hidden).await;
        let m = ticket_calls(&ana, &missing_key, &hidden).await;
        same(&theirs_typed, &h, &m);
        for (call, (_, message)) in &h {
            for secret in [
                theirs.id.to_string(),
                f.reza.name.to_string(),
                theirs.subject.to_string(),
            ] {
                if theirs_typed != secret {
                    assert!(!message.contains(&secret), "{call}: {message}");
                }
            }
        }
    }
    same(
        "a named ticket",
        &named_calls(&f, &ana, own.id, theirs.id).await,
        &named_calls(&f, &ana, own.id, TicketId::new()).await,
    );

    // Nothing of his changed.
    assert_eq!(reza.thread(theirs.id).await.unwrap().len(), 1);
    assert_eq!(
        reza.ticket(theirs.id).await.unwrap().version,
        theirs.version
    );

    // His chats: one with the assistant, one over.
    if store.as_chat_store().is_some() {
        let talking = reza
            .start_chat(f.support.id, body("Where is my parcel?"))
            .await
            .unwrap()
            .chat;
        let over = reza
            .start_chat(f.support.id, body("And the other one?"))
            .await
            .unwrap()
            .chat;
        reza.end_chat(over.id).await.unwrap();
        let missing = chat_calls(&ana, ChatId::new()).await;
        same(
            "a chat with the assistant",
            &chat_calls(&ana, talking.id).await,
            &missing,
        );
        same("an ended chat", &chat_calls(&ana, over.id).await, &missing);
        assert_eq!(
            reza.chat(talking.id).await.unwrap().state,
            talking.state,
            "untouched"
        );
    }
}
