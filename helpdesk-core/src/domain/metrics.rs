//! What a ticket's life measured, kept on the ticket as it happens so that reports aggregate
//! columns instead of replaying histories: business time to the first response and to the
//! resolution (on the department's calendar), and how often it was reopened.

use serde::{Deserialize, Serialize};

/// A ticket's measurements.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketMetrics {
    /// Business seconds from opening to the first public agent reply.
    #[serde(default)]
    pub first_response_secs: Option<i64>,
    /// Business seconds from opening to the (latest) resolution.
    #[serde(default)]
    pub resolution_secs: Option<i64>,
    /// How many times it went from resolved or closed back to work.
    #[serde(default)]
    pub reopens: u32,
}
