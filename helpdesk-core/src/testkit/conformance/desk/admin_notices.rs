//! Notices to admins (issue 23, item 3) through the desk: the attempt that disables a
//! webhook endpoint after repeated failures tells each active admin in the same
//! transaction (no notice before it, none to other agents or inactive admins); an admin
//! lists their own notices and marks them read; anyone else is refused.

use std::sync::Arc;

use crate::domain::{Email, Name, Role};
use crate::error::{Error, ForbiddenReason};
use crate::service::{NewAgent, WebhookDraft};
use crate::store::Store;
use crate::testkit::{Fixture, ability};
use crate::webhooks::{AdminNoticeKind, WebhookAttempt, WebhookEvents, WebhookUrl};

fn offered(store: &Arc<dyn Store>) -> bool {
    ability(store.as_webhook_store(), "webhooks").is_some()
        && ability(store.as_settings_store(), "settings").is_some()
}

pub async fn an_endpoint_disabled_after_repeated_failures_tells_each_active_admin_at_once(
    store: Arc<dyn Store>,
) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store).await;
    let system = f.desk.as_system();
    let admin_of = |n: &str, e: &str| {
        NewAgent::new(
            Name::parse(n).unwrap(),
            Email::parse(e).unwrap(),
            Role::Admin,
        )
    };
    let maria = system
        .create_agent(admin_of("Maria", "maria.admin@desk.test"))
        .await
        .unwrap();
    let gone = system
        .create_agent(admin_of("Gone", "gone.admin@desk.test"))
        .await
        .unwrap();
    let gone = system
        .update_agent(gone.id, Role::Admin, gone.departments.clone(), false)
        .await
        .unwrap();
    let admin = f.as_agent(&f.admin).await;
    let hook = admin
        .create_webhook(WebhookDraft {
            url: WebhookUrl::parse("https://hooks.example.com/down").unwrap(),
            description: String::new(),
            events: WebhookEvents::parse(&["ticket_created"]).unwrap(),
            enabled: true,
        })
        .await
        .unwrap()
        .endpoint;
    let ping = admin.ping_webhook(hook.id).await.unwrap();
    let mut last = None;
    for attempt in 1..=10 {
        if attempt == 10 {
            assert!(admin.admin_notices(50).await.unwrap().is_empty());
        }
        let (lease, due) = f.desk.lease_webhook_deliveries(10, 60).await.unwrap();
        assert_eq!(due.len(), 1, "attempt {attempt}");
        let failed = WebhookAttempt {
            delivery: ping.id,
            at: f.desk.now(),
            status: Some(503),
            response: "down".to_owned(),
        };
        last = f
            .desk
            .record_webhook_attempt(&lease, &failed)
            .await
            .unwrap();
        let wait = last.as_ref().unwrap().delivery.next_attempt_at - failed.at;
        f.tick(wait.num_seconds());
    }
    let last = last.unwrap();
    assert!(last.disabled_now);

    let mine = admin.admin_notices(50).await.unwrap();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0].recipient, f.admin.id);
    assert!(mine[0].read_at.is_none());
    match &mine[0].kind {
        AdminNoticeKind::WebhookDisabled {
            endpoint,
            url,
            reason,
        } => {
            assert_eq!(*endpoint, hook.id);
            assert_eq!(url, "https://hooks.example.com/down");
            assert_eq!(Some(reason), last.endpoint.disabled_reason.as_ref());
        }
    }
    let theirs = f.as_agent(&maria).await.admin_notices(50).await.unwrap();
    assert_eq!(theirs.len(), 1);
    assert_ne!(theirs[0].id, mine[0].id);
    let store = f.desk.store().as_webhook_store().unwrap();
    assert!(store.admin_notices(gone.id, 50).await.unwrap().is_empty());
    assert!(store.admin_notices(f.ivan.id, 50).await.unwrap().is_empty());
    let refused = f
        .as_agent(&f.ivan)
        .await
        .admin_notices(50)
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

    // Read: marked once; another admin's notice is not found for them.
    let maria = f.as_agent(&maria).await;
    let not_hers = maria.mark_admin_notice_read(mine[0].id).await.unwrap_err();
    assert!(matches!(not_hers, Error::NotFound { .. }), "{not_hers:?}");
    admin.mark_admin_notice_read(mine[0].id).await.unwrap();
    admin.mark_admin_notice_read(mine[0].id).await.unwrap();
    let read = admin.admin_notices(50).await.unwrap();
    assert_eq!(read[0].read_at, Some(f.desk.now()));
    assert!(maria.admin_notices(50).await.unwrap()[0].read_at.is_none());
}
