//! The background jobs are safe in every process at once (issue 23): four desks on one
//! PostgreSQL database, each with a pool of its own as four server processes would have,
//! run `run_due` and the outbox dispatcher at the same time over many due tickets and queued
//! e-mails. Every due event is written exactly once (counted in the history) and every
//! e-mail is sent exactly once (counted by the transport, per outbox id).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use chrono::Duration;
use helpdesk_core::Helpdesk;
use helpdesk_core::clock::Clock;
use helpdesk_core::domain::{Change, OutboundEmail, OutboxId};
use helpdesk_core::service::{MailSettings, MailTransport, RetryPolicy, SendError};
use helpdesk_core::store::Store;
use helpdesk_core::testkit::Fixture;
use helpdesk_postgres::{PostgresStore, testing};

/// Processes sharing the database.
const PROCESSES: usize = 4;
/// Tickets due at once.
const TICKETS: usize = 60;

/// A transport that counts what it was handed, per outbox id.
#[derive(Debug, Default)]
struct Counter {
    sent: Mutex<HashMap<OutboxId, usize>>,
}

#[async_trait]
impl MailTransport for Counter {
    async fn send(&self, email: &OutboundEmail, _: &MailSettings) -> Result<(), SendError> {
        // A little time on the wire, so that the dispatchers' rounds overlap.
        tokio::time::sleep(StdDuration::from_millis(2)).await;
        *self.sent.lock().unwrap().entry(email.id).or_default() += 1;
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_processes_running_the_jobs_at_once_handle_each_due_item_once() {
    let Some(first) = testing::fresh_store().await else {
        return;
    };
    let f = Fixture::with_service_levels(Arc::new(first.clone())).await;
    let mut mail = MailSettings::new(
        helpdesk_core::domain::Email::parse("help@desk.test").unwrap(),
        f.support.id,
    );
    mail.auto_answers_per_hour = 10_000;
    let desk = |store: PostgresStore| {
        Helpdesk::new(Arc::new(store))
            .with_clock(f.clock.clone())
            .with_service_levels(f.desk.service_levels().clone())
            .with_mail(mail.clone())
    };
    let mut desks = vec![desk(first.clone())];
    for _ in 1..PROCESSES {
        desks.push(desk(testing::another_process(&first).await.unwrap()));
    }
    // Tickets opened through the desks in turn, each with its "request received" e-mail.
    let mut ids = Vec::new();
    for i in 0..TICKETS {
        let ana = desks[i % PROCESSES]
            .acting_as(helpdesk_core::domain::Actor::Customer(f.ana.id))
            .await
            .unwrap();
        let new = f.new_ticket(&f.support, &format!("Due {i}"));
        ids.push(ana.open_ticket(new).await.unwrap().id);
    }
    let queued: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE delivery = 'pending'")
        .fetch_one(first.pool())
        .await
        .unwrap();
    assert!(queued >= TICKETS as i64, "one e-mail per ticket at least");

    // Three hours later, every process runs the due timers and sends the outbox at once,
    // in small rounds, until nothing is left.
    let late = f.clock.now() + Duration::hours(3);
    f.clock.set(late);
    let counter = Arc::new(Counter::default());
    let mut policy = RetryPolicy::default();
    policy.batch = 4;
    let mut jobs = Vec::new();
    for d in &desks {
        let (d, counter) = (d.clone(), counter.clone());
        jobs.push(tokio::spawn(async move {
            let due = d.run_due(late).await.unwrap();
            let mut sent = 0;
            loop {
                let round = d.dispatch_outbox(counter.as_ref(), &policy).await.unwrap();
                if round.sent + round.retried + round.failed == 0 {
                    break;
                }
                sent += round.sent;
            }
            (due.events, sent)
        }));
    }
    let mut events = 0;
    let mut sent = 0;
    let mut busy = 0;
    for job in jobs {
        let (e, s) = job.await.unwrap();
        events += e;
        sent += s;
        busy += usize::from(s > 0);
    }
    // Each ticket gets the first-response warning and breach: two events each, once.
    assert_eq!(events, 2 * TICKETS);
    let store: Arc<dyn Store> = Arc::new(first.clone());
    for id in &ids {
        let sla = store
            .history(*id)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| {
                matches!(
                    e.change,
                    Change::SlaWarning { .. } | Change::SlaBreached { .. }
                )
            })
            .count();
        assert_eq!(sla, 2, "ticket {id}");
    }
    // Every queued e-mail (the tickets' and the SLA notices') sent exactly once.
    let all: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(first.pool())
        .await
        .unwrap();
    let counts = counter.sent.lock().unwrap().clone();
    assert_eq!(counts.len() as i64, all, "every e-mail sent");
    assert!(counts.values().all(|n| *n == 1), "none twice: {counts:?}");
    assert_eq!(sent as i64, all);
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE delivery <> 'sent'")
        .fetch_one(first.pool())
        .await
        .unwrap();
    assert_eq!(pending, 0);
    assert!(busy >= 2, "the processes shared the work");
    let _ = testing::discard(first).await;
}
