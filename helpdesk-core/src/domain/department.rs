//! Departments: the queues tickets go to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{DepartmentId, FollowUpPolicy, Name};

/// A department (queue) that tickets are sent to and agents work in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Department {
    /// Its id.
    pub id: DepartmentId,
    /// Its name, as shown to customers choosing where to send a question.
    pub name: Name,
    /// What a customer's reply to a closed ticket of this department does.
    pub follow_up: FollowUpPolicy,
    /// Whether new tickets may be sent here.
    pub active: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}
