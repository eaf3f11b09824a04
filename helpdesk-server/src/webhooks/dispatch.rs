//! One round of the webhook dispatcher.

use chrono::Utc;
use helpdesk::Helpdesk;
use helpdesk::error::Causes;
use helpdesk::webhooks::{
    DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, WebhookAttempt, WebhookDelivery,
    WebhookEndpoint, sign,
};

use super::client::{self, Limits};

/// Deliveries leased per round.
pub const ROUND_LIMIT: u32 = 100;

/// Deliveries sent at once within a round.
const CONCURRENCY: usize = 8;

/// Sends due deliveries.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dispatcher {
    /// The limits of each request.
    pub limits: Limits,
}

/// What a round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DispatchRound {
    /// Deliveries sent with a 2xx answer.
    pub delivered: usize,
    /// Deliveries whose attempt failed (to be retried, or failed for good).
    pub failed: usize,
    /// Endpoints this round disabled.
    pub disabled: Vec<WebhookEndpoint>,
}

/// The attempt of sending `delivery` to `endpoint` now.
async fn attempt(
    desk: &Helpdesk,
    delivery: &WebhookDelivery,
    endpoint: &WebhookEndpoint,
    limits: Limits,
) -> WebhookAttempt {
    // The receiver compares it with its own clock: the wall clock's.
    let timestamp = Utc::now().timestamp();
    let headers = [
        (
            SIGNATURE_HEADER,
            sign(&endpoint.secret, timestamp, delivery.payload.as_bytes()),
        ),
        (DELIVERY_HEADER, delivery.id.to_string()),
        (EVENT_HEADER, delivery.event.clone()),
    ];
    let answer = client::post(&endpoint.url, &headers, delivery.payload.clone(), limits).await;
    let (status, response) = match answer {
        Ok(a) => (Some(a.status), a.body),
        Err(why) => (None, why),
    };
    WebhookAttempt {
        delivery: delivery.id,
        at: desk.now(),
        status,
        response,
    }
}

impl Dispatcher {
    /// Leases up to [`ROUND_LIMIT`] due deliveries for longer than their requests can take,
    /// sends them ([`CONCURRENCY`] at a time) and records each attempt. An endpoint
    /// disabled by its failures is logged and listed (admins see it, with the reason, on
    /// the webhooks page and in the API).
    ///
    /// # Errors
    ///
    /// The store's, when leasing fails; a failed record is logged and the round goes on.
    pub async fn run_once(&self, desk: &Helpdesk) -> helpdesk::Result<DispatchRound> {
        let batches = ROUND_LIMIT as usize / CONCURRENCY + 1;
        let lease_seconds = u32::try_from(self.limits.timeout.as_secs())
            .unwrap_or(u32::MAX / 4)
            .saturating_mul(u32::try_from(batches).unwrap_or(u32::MAX))
            .saturating_add(60);
        let (lease, due) = desk
            .lease_webhook_deliveries(ROUND_LIMIT, lease_seconds)
            .await?;
        let mut round = DispatchRound::default();
        for chunk in due.chunks(CONCURRENCY) {
            let mut sending = tokio::task::JoinSet::new();
            for (delivery, endpoint) in chunk {
                let (delivery, endpoint) = (delivery.clone(), endpoint.clone());
                let (limits, desk) = (self.limits, desk.clone());
                sending.spawn(async move { attempt(&desk, &delivery, &endpoint, limits).await });
            }
            while let Some(done) = sending.join_next().await {
                let Ok(attempt) = done else { continue };
                match desk.record_webhook_attempt(&lease, &attempt).await {
                    Ok(Some(recorded)) => {
                        if attempt.succeeded() {
                            round.delivered += 1;
                        } else {
                            round.failed += 1;
                        }
                        if recorded.disabled_now {
                            eprintln!(
                                "webhook endpoint {} ({}) disabled: {}",
                                recorded.endpoint.id,
                                recorded.endpoint.url,
                                recorded.endpoint.disabled_reason.as_deref().unwrap_or("")
                            );
                            round.disabled.push(recorded.endpoint);
                        }
                    }
                    Ok(None) => {}
                    Err(e) => eprintln!("recording a webhook attempt failed: {}", Causes(&e)),
                }
            }
        }
        Ok(round)
    }
}
