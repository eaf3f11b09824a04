//! Two desks on one PostgreSQL database, as two processes of one deployment would be: each
//! has its own pool, so the per-ticket turn of one desk does not order the other's commands.
//! Commands sent without an expected version still never fail with a conflict: every one of
//! them lands exactly once.

use std::collections::HashMap;
use std::sync::Arc;

use helpdesk_core::Helpdesk;
use helpdesk_core::domain::{Actor, MessageBody, Subject, TicketId};
use helpdesk_core::machine::{Command, NewTicket};
use helpdesk_core::store::Store;
use helpdesk_core::testkit::Fixture;
use helpdesk_postgres::testing;

/// Repliers per desk.
const REPLIERS: usize = 8;
/// Replies each replier sends.
const REPLIES: usize = 4;

/// `REPLIERS` tasks on `desk`, each sending `REPLIES` replies to `ticket` as `agent`, none
/// with an expected version; the errors they met.
fn repliers(
    desk: &Helpdesk,
    process: usize,
    actor: Actor,
    ticket: TicketId,
) -> Vec<tokio::task::JoinHandle<Vec<String>>> {
    (0..REPLIERS)
        .map(|r| {
            let desk = desk.clone();
            tokio::spawn(async move {
                let mut errors = Vec::new();
                for k in 0..REPLIES {
                    let body =
                        MessageBody::parse(format!("process {process} replier {r} reply {k}"))
                            .unwrap();
                    if let Err(e) = desk.execute_as(actor, ticket, Command::reply(body)).await {
                        errors.push(format!("process {process} replier {r} reply {k}: {e}"));
                    }
                }
                errors
            })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn repliers_in_two_processes_without_if_match_all_land_once() {
    let Some(first) = testing::fresh_store().await else {
        return;
    };
    let second = testing::another_process(&first).await.unwrap();
    let fx = Fixture::new(Arc::new(first.clone())).await;
    let other = Helpdesk::new(Arc::new(second.clone()));
    let ticket = fx
        .desk
        .acting_as(Actor::Customer(fx.ana.id))
        .await
        .unwrap()
        .open_ticket(NewTicket::new(
            Subject::parse("Printer").unwrap(),
            MessageBody::parse("It jams.").unwrap(),
            fx.support.id,
        ))
        .await
        .unwrap();
    let ivan = Actor::Agent(fx.ivan.id);

    let mut tasks = repliers(&fx.desk, 1, ivan, ticket.id);
    tasks.extend(repliers(&other, 2, ivan, ticket.id));
    let mut errors = Vec::new();
    for task in tasks {
        errors.extend(task.await.unwrap());
    }
    assert_eq!(errors, Vec::<String>::new(), "no reply may fail");

    let messages = first.messages(ticket.id, true).await.unwrap();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for m in messages.iter().skip(1) {
        *seen.entry(m.body.as_str()).or_default() += 1;
    }
    let sent = 2 * REPLIERS * REPLIES;
    assert_eq!(seen.len(), sent, "every reply landed");
    assert!(
        seen.values().all(|&n| n == 1),
        "none landed twice: {seen:?}"
    );
    let stored = first.ticket(ticket.id).await.unwrap().unwrap();
    assert_eq!(stored.version.get(), ticket.version.get() + sent as u64);

    second.pool().close().await;
    testing::discard(first).await.unwrap();
}
