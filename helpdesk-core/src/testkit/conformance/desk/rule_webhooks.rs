//! The rules' "call a webhook" action (issue 22, item 1, with issue 23's webhooks) through
//! the desk: a trigger that calls an endpoint writes exactly one `rule_fired` delivery per
//! firing, in the commit of the change that fired it; a change refused writes none; a rule
//! naming no endpoint is refused on `endpoint` with nothing written; a disabled endpoint
//! gets nothing and the firing log lists the call as skipped; a macro calls no webhook.

use std::sync::Arc;

use crate::automation::{Action, Conditions, RuleEvent};
use crate::domain::{Name, Version, WebhookId};
use crate::error::Error;
use crate::service::{Acting, RuleDraft, WebhookDraft};
use crate::store::{Store, TicketWrite, WriteBatch};
use crate::testkit::{Fixture, ability};
use crate::webhooks::{
    RULE_FIRED_EVENT, RuleFired, WebhookDelivery, WebhookEvents, WebhookUrl, rule_fired_delivery,
};

use super::reply;

fn offered(store: &Arc<dyn Store>) -> bool {
    ability(store.as_webhook_store(), "webhooks").is_some()
        && ability(store.as_automation_store(), "automation").is_some()
        && ability(store.as_settings_store(), "settings").is_some()
}

/// An endpoint that asks for no ticket event, so only the rules' calls reach it.
async fn endpoint(admin: &Acting, enabled: bool) -> WebhookId {
    let draft = WebhookDraft {
        url: WebhookUrl::parse("https://hooks.example.com/rules").unwrap(),
        description: String::new(),
        events: WebhookEvents::parse(&["availability_changed"]).unwrap(),
        enabled,
    };
    admin.create_webhook(draft).await.unwrap().endpoint.id
}

fn calling(rule: &str, events: &[RuleEvent], endpoint: WebhookId) -> RuleDraft {
    RuleDraft {
        name: Name::parse(rule).unwrap(),
        position: 1,
        active: true,
        conditions: Conditions {
            events: events.to_vec(),
            ..Conditions::default()
        },
        actions: vec![Action::CallWebhook { endpoint }],
        schedule: None,
    }
}

async fn deliveries(admin: &Acting, id: WebhookId) -> Vec<WebhookDelivery> {
    let mut all = admin.webhook_deliveries(id, 200).await.unwrap();
    all.reverse();
    all
}

pub async fn a_trigger_calling_a_webhook_writes_one_delivery_per_firing_with_the_change(
    store: Arc<dyn Store>,
) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store).await;
    let admin = f.as_agent(&f.admin).await;
    let hook = endpoint(&admin, true).await;
    let rule = admin
        .create_rule(calling(
            "Tell the CRM",
            &[RuleEvent::Created, RuleEvent::CustomerReplied],
            hook,
        ))
        .await
        .unwrap();
    let t = f.open(&f.ana, "Router is red").await;
    let first = deliveries(&admin, hook).await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0].event, RULE_FIRED_EVENT);
    let payload: serde_json::Value = serde_json::from_str(&first[0].payload).unwrap();
    assert_eq!(payload["id"], first[0].id.to_string());
    assert_eq!(payload["event"], "rule_fired");
    assert_eq!(payload["data"]["rule"]["id"], rule.id.to_string());
    assert_eq!(payload["data"]["rule"]["name"], "Tell the CRM");
    assert_eq!(payload["data"]["rule"]["kind"], "trigger");
    assert_eq!(payload["data"]["ticket"]["id"], t.id.to_string());
    assert_eq!(payload["data"]["ticket"]["number"], t.number.to_string());
    assert_eq!(payload["data"]["events"], serde_json::json!(["created"]));

    // An agent's reply fires nothing; the customer's reply fires the rule once more.
    let ivan = f.as_agent(&f.ivan).await;
    ivan.execute(t.id, reply("Looking.")).await.unwrap();
    assert_eq!(deliveries(&admin, hook).await.len(), 1);
    let ana = f.as_customer(&f.ana).await;
    ana.execute(t.id, reply("Still red.")).await.unwrap();
    let both = deliveries(&admin, hook).await;
    assert_eq!(both.len(), 2, "{both:?}");
    let second: serde_json::Value = serde_json::from_str(&both[1].payload).unwrap();
    assert_eq!(
        second["data"]["events"],
        serde_json::json!(["customer_replied"])
    );
    let log = admin.rule_firings(Some(t.id), 10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|e| e.actions == [Action::CallWebhook { endpoint: hook }] && e.skipped.is_empty())
    );
}

pub async fn a_refused_change_writes_no_rule_delivery_and_a_disabled_endpoint_none(
    store: Arc<dyn Store>,
) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    let hook = endpoint(&admin, true).await;
    let off = endpoint(&admin, false).await;
    let rule = admin
        .create_rule(calling("Tell", &[RuleEvent::StatusChanged], hook))
        .await
        .unwrap();
    let t = f.open(&f.ana, "Stale").await;
    let fired = RuleFired::new(&rule, &t, &[RuleEvent::StatusChanged], t.updated_at);
    let to_hook = rule_fired_delivery(hook, &fired, t.updated_at);
    let to_off = rule_fired_delivery(off, &fired, t.updated_at);
    let batch = |version: Version| WriteBatch {
        rule_deliveries: vec![to_hook.clone(), to_off.clone()],
        ..WriteBatch::one(TicketWrite::update(version, t.clone()))
    };
    // A stale change is refused, and its rule's delivery with it.
    let refused = store
        .commit(batch(Version::new(t.version.get() + 3)))
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Conflict { .. }), "{refused:?}");
    assert!(deliveries(&admin, hook).await.is_empty());
    // From the stored version it commits with the delivery to the enabled endpoint only.
    store.commit(batch(t.version)).await.unwrap();
    let written = deliveries(&admin, hook).await;
    assert_eq!(written, [to_hook]);
    assert!(deliveries(&admin, off).await.is_empty());
}

pub async fn a_rule_calling_no_endpoint_is_refused_and_a_disabled_one_is_skipped_in_the_log(
    store: Arc<dyn Store>,
) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store).await;
    let admin = f.as_agent(&f.admin).await;
    let missing = WebhookId::new();
    let refused = admin
        .create_rule(calling("Nowhere", &[RuleEvent::Created], missing))
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, Error::Validation(v) if v.field() == "endpoint"),
        "{refused:?}"
    );
    assert!(admin.rules().await.unwrap().is_empty());
    let hook = endpoint(&admin, true).await;
    let refused = admin
        .create_macro(
            Name::parse("Call out").unwrap(),
            vec![Action::CallWebhook { endpoint: hook }],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, Error::Validation(v) if v.field() == "actions"),
        "{refused:?}"
    );
    assert!(admin.macros().await.unwrap().is_empty());

    // The endpoint is disabled after the rule was saved: the rule still fires, the call is
    // skipped and logged so.
    let off = endpoint(&admin, false).await;
    admin
        .create_rule(calling("Off", &[RuleEvent::Created], off))
        .await
        .unwrap();
    let t = f.open(&f.ana, "Nobody listens").await;
    assert!(deliveries(&admin, off).await.is_empty());
    assert!(deliveries(&admin, hook).await.is_empty());
    let log = admin.rule_firings(Some(t.id), 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert!(log[0].actions.is_empty());
    assert_eq!(log[0].skipped, [Action::CallWebhook { endpoint: off }]);
}
