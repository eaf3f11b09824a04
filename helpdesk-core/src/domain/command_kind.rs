//! The kinds of command, named in errors and permissions.

use serde::{Deserialize, Serialize};

/// The kind of a [`Command`](crate::machine::Command), without its data: for errors and
/// permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum CommandKind {
    Create,
    Reply,
    AddNote,
    Assign,
    ChangePriority,
    MoveToDepartment,
    SetType,
    SetCategories,
    SetService,
    SetCustomFields,
    AskCustomer,
    PutOnHold,
    Resolve,
    ConfirmResolution,
    Close,
    Reopen,
    LinkToMaster,
    MergeInto,
    LogTime,
    AutoClose,
    RunDue,
    RateSatisfaction,
    RequestPriority,
    DecidePriorityRequest,
    Split,
    Tag,
}

impl std::fmt::Display for CommandKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CommandKind::Create => "create",
            CommandKind::Reply => "reply to",
            CommandKind::AddNote => "add a note to",
            CommandKind::Assign => "assign",
            CommandKind::ChangePriority => "change the priority of",
            CommandKind::MoveToDepartment => "move",
            CommandKind::SetType => "change the type of",
            CommandKind::SetCategories => "change the categories of",
            CommandKind::SetService => "change the service of",
            CommandKind::SetCustomFields => "change the fields of",
            CommandKind::AskCustomer => "ask the customer about",
            CommandKind::PutOnHold => "put on hold",
            CommandKind::Resolve => "resolve",
            CommandKind::ConfirmResolution => "confirm the resolution of",
            CommandKind::Close => "close",
            CommandKind::Reopen => "reopen",
            CommandKind::LinkToMaster => "link",
            CommandKind::MergeInto => "merge",
            CommandKind::LogTime => "log time on",
            CommandKind::AutoClose => "auto-close",
            CommandKind::RunDue => "run the timers of",
            CommandKind::RateSatisfaction => "rate",
            CommandKind::RequestPriority => "ask for a priority on",
            CommandKind::DecidePriorityRequest => "decide the priority request of",
            CommandKind::Split => "split",
            CommandKind::Tag => "tag",
        })
    }
}
