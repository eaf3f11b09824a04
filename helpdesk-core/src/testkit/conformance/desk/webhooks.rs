//! Webhooks, through the desk: admins register endpoints (audited, the secret shown once,
//! bad input refused with nothing written); every committed change writes a delivery for
//! each enabled endpoint that wants its kind, in its own transaction, and a refused commit
//! writes none; due deliveries are leased to one dispatcher at a time, retried with backoff,
//! and an endpoint failing ten times in a row is disabled.

use std::collections::HashSet;
use std::sync::Arc;

use crate::domain::{Version, WebhookId};
use crate::error::{Error, ForbiddenReason};
use crate::service::WebhookDraft;
use crate::store::{ChangedSetting, Store, TicketWrite, WriteBatch};
use crate::testkit::{Fixture, ability};
use crate::webhooks::{
    WebhookAttempt, WebhookDelivery, WebhookDeliveryState, WebhookEvents, WebhookUrl,
};

fn offered(store: &Arc<dyn Store>) -> bool {
    ability(store.as_webhook_store(), "webhooks").is_some()
        && ability(store.as_settings_store(), "settings").is_some()
}

fn draft(url: &str, events: &[&str]) -> WebhookDraft {
    WebhookDraft {
        url: WebhookUrl::parse(url).unwrap(),
        description: String::new(),
        events: WebhookEvents::parse(events).unwrap(),
        enabled: true,
    }
}

async fn deliveries(f: &Fixture, id: WebhookId) -> Vec<WebhookDelivery> {
    let admin = f.as_agent(&f.admin).await;
    admin.webhook_deliveries(id, 200).await.unwrap()
}

pub async fn a_change_writes_a_delivery_for_each_enabled_endpoint_that_wants_it(
    store: Arc<dyn Store>,
) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store).await;
    // Before any endpoint exists, a change writes nothing (and needs nothing).
    f.open(&f.ana, "Before the hooks").await;
    let admin = f.as_agent(&f.admin).await;
    let created = admin
        .create_webhook(draft("https://hooks.example.com/a", &["ticket_created"]))
        .await
        .unwrap();
    let both = admin
        .create_webhook(draft(
            "http://127.0.0.1:9/b",
            &["ticket_created", "message_added"],
        ))
        .await
        .unwrap();
    let mut off = draft("https://hooks.example.com/off", &["ticket_created"]);
    off.enabled = false;
    let off = admin.create_webhook(off).await.unwrap();
    let ticket = f.open(&f.ana, "Router is red").await;

    let a = deliveries(&f, created.endpoint.id).await;
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].event, "ticket_created");
    assert_eq!(a[0].state, WebhookDeliveryState::Pending);
    assert_eq!(a[0].attempts, 0);
    let payload: serde_json::Value = serde_json::from_str(&a[0].payload).unwrap();
    assert_eq!(payload["id"], a[0].id.to_string());
    assert_eq!(payload["event"], "ticket_created");
    assert_eq!(payload["data"]["ticket"], ticket.id.to_string());

    let mut b: Vec<String> = (deliveries(&f, both.endpoint.id).await.into_iter())
        .map(|d| d.event)
        .collect();
    b.sort();
    assert_eq!(b, ["message_added", "ticket_created"]);
    assert!(deliveries(&f, off.endpoint.id).await.is_empty());
}

pub async fn a_refused_commit_writes_no_delivery(store: Arc<dyn Store>) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store).await;
    let ticket = f.open(&f.ana, "Stale").await;
    let admin = f.as_agent(&f.admin).await;
    let hook = admin
        .create_webhook(draft("https://hooks.example.com/", &["ticket_changed"]))
        .await
        .unwrap();
    let stale = WriteBatch::one(TicketWrite::update(
        Version::new(ticket.version.get() + 7),
        ticket.clone(),
    ));
    let refused = f.desk.store().commit(stale).await.unwrap_err();
    assert!(matches!(refused, Error::Conflict { .. }), "{refused:?}");
    assert!(deliveries(&f, hook.endpoint.id).await.is_empty());
    // The same write from the stored version commits, with its delivery.
    let fresh = WriteBatch::one(TicketWrite::update(ticket.version, ticket.clone()));
    f.desk.store().commit(fresh).await.unwrap();
    let written = deliveries(&f, hook.endpoint.id).await;
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].event, "ticket_changed");
}

pub async fn only_admins_manage_webhooks_audited_and_bad_input_writes_nothing(
    store: Arc<dyn Store>,
) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store).await;
    let agent = f.as_agent(&f.ivan).await;
    let refused = agent
        .create_webhook(draft("https://hooks.example.com/", &["ticket_created"]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            Error::Forbidden {
                reason: ForbiddenReason::AdminOnly,
                ..
            }
        ),
        "{refused:?}"
    );
    let admin = f.as_agent(&f.admin).await;
    let mut long = draft("https://hooks.example.com/", &["ticket_created"]);
    long.description = "x".repeat(201);
    let refused = admin.create_webhook(long).await.unwrap_err();
    assert!(matches!(&refused, Error::Validation(v) if v.field() == "description"));
    assert!(admin.webhooks().await.unwrap().is_empty());

    let created = admin
        .create_webhook(draft("https://hooks.example.com/", &["ticket_created"]))
        .await
        .unwrap();
    assert_eq!(created.endpoint.secret, created.secret);
    let mut changed = draft("https://hooks.example.com/v2", &["message_added"]);
    changed.description = "CRM".to_owned();
    let updated = admin
        .update_webhook(created.endpoint.id, changed)
        .await
        .unwrap();
    assert_eq!(updated.url.as_str(), "https://hooks.example.com/v2");
    assert_eq!(updated.secret, created.secret, "the secret stays");
    admin.delete_webhook(created.endpoint.id).await.unwrap();
    assert!(admin.webhooks().await.unwrap().is_empty());

    let audit: Vec<_> = (admin.setting_changes(50).await.unwrap().into_iter())
        .filter(|c| c.key == ChangedSetting::Webhook)
        .collect();
    assert_eq!(audit.len(), 3, "create, update, delete");
    for change in &audit {
        for text in change.before.iter().chain(&change.after) {
            assert!(
                !text.contains(created.secret.expose()),
                "no secret in {text}"
            );
        }
    }
}

pub async fn due_deliveries_are_leased_once_retried_with_backoff_then_the_endpoint_disabled(
    store: Arc<dyn Store>,
) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store).await;
    let admin = f.as_agent(&f.admin).await;
    let hook = admin
        .create_webhook(draft("https://hooks.example.com/", &["ticket_created"]))
        .await
        .unwrap();
    let ping = admin.ping_webhook(hook.endpoint.id).await.unwrap();
    assert_eq!(ping.event, "ping");

    // Four dispatchers at once: each delivery goes to one of them.
    let mut leases = Vec::new();
    for _ in 0..4 {
        let desk = f.desk.clone();
        leases.push(tokio::spawn(async move {
            desk.lease_webhook_deliveries(10, 60).await.unwrap()
        }));
    }
    let mut held = Vec::new();
    for lease in leases {
        held.push(lease.await.unwrap());
    }
    let ids: Vec<_> = (held.iter())
        .flat_map(|(_, due)| due.iter().map(|(d, _)| d.id))
        .collect();
    assert_eq!(ids, [ping.id], "one lease holds the ping");
    let (lease, due) = held.into_iter().find(|(_, d)| !d.is_empty()).unwrap();
    assert_eq!(due[0].1.id, hook.endpoint.id);

    // A failure: the next attempt waits 30 seconds, and nothing is due before.
    let failed = WebhookAttempt {
        delivery: ping.id,
        at: f.desk.now(),
        status: Some(500),
        response: "down".to_owned(),
    };
    let recorded = f
        .desk
        .record_webhook_attempt(&lease, &failed)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(recorded.delivery.attempts, 1);
    assert_eq!(recorded.delivery.last_status, Some(500));
    assert_eq!(
        recorded.delivery.next_attempt_at - failed.at,
        chrono::Duration::seconds(30)
    );
    assert_eq!(recorded.endpoint.consecutive_failures, 1);
    // The lease ended with the record: recording again under it writes nothing.
    assert!(
        f.desk
            .record_webhook_attempt(&lease, &failed)
            .await
            .unwrap()
            .is_none()
    );
    f.tick(29);
    assert!(
        f.desk
            .lease_webhook_deliveries(10, 60)
            .await
            .unwrap()
            .1
            .is_empty()
    );
    f.tick(1);

    // Nine more failures disable the endpoint, with the reason.
    let mut last = None;
    for _ in 0..9 {
        let (lease, due) = f.desk.lease_webhook_deliveries(10, 60).await.unwrap();
        assert_eq!(due.len(), 1);
        let attempt = WebhookAttempt {
            at: f.desk.now(),
            ..failed.clone()
        };
        last = f
            .desk
            .record_webhook_attempt(&lease, &attempt)
            .await
            .unwrap();
        let wait = last.as_ref().unwrap().delivery.next_attempt_at - attempt.at;
        f.tick(wait.num_seconds());
    }
    let last = last.unwrap();
    assert!(last.disabled_now);
    assert!(!last.endpoint.enabled);
    assert_eq!(last.endpoint.consecutive_failures, 10);
    assert!(
        last.endpoint
            .disabled_reason
            .as_deref()
            .unwrap()
            .contains("500")
    );
    assert!(
        f.desk
            .lease_webhook_deliveries(10, 60)
            .await
            .unwrap()
            .1
            .is_empty()
    );

    // Enabled again, it is due again and a success delivers it and clears the failures.
    let again = WebhookDraft {
        enabled: true,
        ..draft("https://hooks.example.com/", &["ticket_created"])
    };
    let enabled = admin.update_webhook(hook.endpoint.id, again).await.unwrap();
    assert_eq!(
        (enabled.consecutive_failures, enabled.disabled_reason),
        (0, None)
    );
    let (lease, due) = f.desk.lease_webhook_deliveries(10, 60).await.unwrap();
    assert_eq!(due.len(), 1);
    let ok = WebhookAttempt {
        at: f.desk.now(),
        status: Some(204),
        response: String::new(),
        ..failed
    };
    let done = f
        .desk
        .record_webhook_attempt(&lease, &ok)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.delivery.state, WebhookDeliveryState::Delivered);
    assert_eq!(done.delivery.attempts, 11);
    let states: HashSet<_> = (deliveries(&f, hook.endpoint.id).await.into_iter())
        .map(|d| d.state)
        .collect();
    assert_eq!(states, HashSet::from([WebhookDeliveryState::Delivered]));
}

pub async fn four_concurrent_dispatchers_lease_each_due_delivery_once(store: Arc<dyn Store>) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store).await;
    let admin = f.as_agent(&f.admin).await;
    let hook = admin
        .create_webhook(draft("https://hooks.example.com/", &["ticket_created"]))
        .await
        .unwrap();
    let mut queued = HashSet::new();
    for _ in 0..40 {
        queued.insert(admin.ping_webhook(hook.endpoint.id).await.unwrap().id);
    }
    // Four dispatchers, each leasing rounds of 7 until nothing is due.
    let mut dispatchers = Vec::new();
    for _ in 0..4 {
        let desk = f.desk.clone();
        dispatchers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let (lease, due) = desk.lease_webhook_deliveries(7, 60).await.unwrap();
                if due.is_empty() {
                    return mine;
                }
                for (d, _) in due {
                    let ok = WebhookAttempt {
                        delivery: d.id,
                        at: desk.now(),
                        status: Some(200),
                        response: String::new(),
                    };
                    let recorded = desk.record_webhook_attempt(&lease, &ok).await.unwrap();
                    assert!(recorded.is_some(), "the lease holds {}", d.id);
                    mine.push(d.id);
                }
            }
        }));
    }
    let mut sent = Vec::new();
    for d in dispatchers {
        sent.extend(d.await.unwrap());
    }
    let once: HashSet<_> = sent.iter().copied().collect();
    assert_eq!(once.len(), sent.len(), "no delivery was sent twice");
    assert_eq!(once, queued, "every delivery was sent");
}
