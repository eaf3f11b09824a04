//! Webhooks: endpoints an admin registers ([`WebhookEndpoint`]), the deliveries every
//! committed change writes for them in its own transaction ([`deliveries_for`], from the
//! change feed's records), their signature ([`sign`]) and retry policy ([`RetryPolicy`]).
//!
//! Sending is the server's job; the rules are here, pure.

mod delivery;
mod endpoint;
mod notice;
mod retry;
mod rule_fired;
mod signing;
mod url;

pub use delivery::{
    MAX_KEPT_BODY, WebhookAttempt, WebhookDelivery, WebhookDeliveryState, after_attempt,
    batch_time, deliveries_for, ping_delivery, truncate_body,
};
pub use endpoint::{
    EVENT_KINDS, MAX_DESCRIPTION, PING_EVENT, WebhookEndpoint, WebhookEvents, WebhookSecret,
    check_description,
};
pub use notice::{AdminNotice, AdminNoticeKind, webhook_disabled_notices};
pub use retry::RetryPolicy;
pub use rule_fired::{FiredRule, FiredTicket, RULE_FIRED_EVENT, RuleFired, rule_fired_delivery};
pub use signing::{DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, SignatureError, sign, verify};
pub use url::WebhookUrl;
