//! The webhook dispatcher: leases the due deliveries, sends each signed to its endpoint
//! ([`client`]), and records how it went; every server process may run it at once (the
//! store gives each delivery to one lease at a time).

pub mod client;
mod dispatch;

pub use dispatch::{DispatchRound, Dispatcher};
