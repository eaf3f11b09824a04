//! Agents, their roles and their permissions per department.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::stable_text::stable_text;
use super::{AgentId, DepartmentId, Email, Name, Signature};

/// What an agent is in the desk as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, in every department, and the directory (departments, agents, customers).
    Admin,
    /// Every permission in the departments they belong to.
    Supervisor,
    /// The permissions listed for each department they belong to.
    Agent,
}

stable_text!(Role, "role" {
    Admin => "admin",
    Supervisor => "supervisor",
    Agent => "agent",
});

/// One thing an agent may do in a department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See the department's tickets, their threads (internal notes too) and history.
    Read,
    /// Reply to the customer, ask them for information, put tickets on hold.
    Reply,
    /// Add internal notes and log time.
    Note,
    /// Assign tickets, and move them to another department.
    Assign,
    /// Change priority up to the cap the priority policy sets for the customer.
    ChangePriority,
    /// Raise priority above that cap (seed 004: individuals are capped at Normal).
    RaisePriority,
    /// Change type, categories, service and custom fields; link to a master ticket.
    Edit,
    /// Resolve, close, reopen and merge tickets.
    Close,
}

stable_text!(Permission, "permission" {
    Read => "read",
    Reply => "reply",
    Note => "note",
    Assign => "assign",
    ChangePriority => "change_priority",
    RaisePriority => "raise_priority",
    Edit => "edit",
    Close => "close",
});

/// A set of permissions in one department.
pub type PermissionSet = BTreeSet<Permission>;

/// Every permission except [`Permission::RaisePriority`]: what a first-line agent usually has.
pub fn standard_permissions() -> PermissionSet {
    Permission::ALL
        .into_iter()
        .filter(|p| *p != Permission::RaisePriority)
        .collect()
}

/// A member of staff who answers tickets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    /// Its id.
    pub id: AgentId,
    /// Full name, shown on replies.
    pub name: Name,
    /// Work e-mail address (unique).
    pub email: Email,
    /// Role in the desk.
    pub role: Role,
    /// Appended automatically to every public reply (seed 003), but not to live-chat lines.
    pub signature: Signature,
    /// Deactivated agents can do nothing.
    pub active: bool,
    /// The departments the agent belongs to, with the permissions in each.
    pub departments: BTreeMap<DepartmentId, PermissionSet>,
    /// When the agent was created.
    pub created_at: DateTime<Utc>,
}

impl Agent {
    /// Whether the agent holds `permission` in `department`.
    pub fn can(&self, permission: Permission, department: DepartmentId) -> bool {
        if !self.active {
            return false;
        }
        match self.role {
            Role::Admin => true,
            Role::Supervisor => self.departments.contains_key(&department),
            Role::Agent => self
                .departments
                .get(&department)
                .is_some_and(|set| set.contains(&permission)),
        }
    }

    /// The departments whose tickets the agent may read; `None` means every department.
    pub fn readable_departments(&self) -> Option<Vec<DepartmentId>> {
        match self.role {
            Role::Admin => None,
            _ => Some(
                self.departments
                    .keys()
                    .copied()
                    .filter(|d| self.can(Permission::Read, *d))
                    .collect(),
            ),
        }
    }
}
