//! What most programs that embed the desk use, in one `use helpdesk_core::prelude::*;`.

pub use crate::domain::{
    Actor, CustomerKind, Email, Language, MessageBody, Name, Phone, Priority, Role, Status,
    Subject, TicketId, TicketKey, standard_permissions,
};
pub use crate::error::{Error, Result};
pub use crate::machine::{Command, NewTicket};
pub use crate::policy::FollowUpPolicy;
pub use crate::service::{Acting, ExecOptions, Helpdesk, NewAgent, NewCustomer, Outcome, Upload};
pub use crate::store::{MemoryStore, Store};
