//! `machine::decide` is pure and total: a context missing what a command needs is a typed
//! error naming the missing part, never a panic.

use helpdesk_core::domain::{
    Actor, Agent, AgentId, Channel, CustomerId, DepartmentId, Priority, Role, TicketId,
};
use helpdesk_core::error::Error;
use helpdesk_core::machine::{Command, Context, decide};
use helpdesk_core::policy::{DefaultPriorityPolicy, ServiceLevels};
use helpdesk_core::testkit::samples;

/// Every command whose context part is missing gets a validation error naming it.
#[test]
fn an_incomplete_context_is_a_validation_error_not_a_panic() {
    let department = samples::department("Support");
    let ticket = samples::ticket(samples::number(1), department.id, CustomerId::new());
    let levels = ServiceLevels::default();
    let admin = Agent {
        role: Role::Admin,
        ..samples::agent("Admin", "admin@desk.test", &[department.id])
    };
    let cases = [
        (
            None,
            Command::ChangePriority {
                priority: Priority::High,
            },
            "context.agent",
        ),
        (
            Some(&admin),
            Command::Assign {
                agent: Some(AgentId::new()),
            },
            "context.new_assignee",
        ),
        (
            Some(&admin),
            Command::MoveToDepartment {
                department: DepartmentId::new(),
            },
            "context.target_department",
        ),
        (
            Some(&admin),
            Command::LinkToMaster {
                master: Some(TicketId::new()),
            },
            "context.related_ticket",
        ),
        (
            Some(&admin),
            Command::MergeInto {
                target: TicketId::new(),
            },
            "context.related_ticket",
        ),
    ];
    for (agent, command, part) in cases {
        let ctx = Context {
            actor: Actor::Agent(admin.id),
            agent,
            department: &department,
            customer: None,
            related_ticket: None,
            target_department: None,
            new_assignee: None,
            priority_policy: &DefaultPriorityPolicy,
            levels: &levels,
            channel: Channel::Web,
            now: samples::t0(),
        };
        match decide(&ticket, command.clone(), &ctx) {
            Err(Error::Validation(v)) => assert_eq!(v.field(), part, "{command:?}"),
            other => panic!("{command:?}: {other:?}"),
        }
    }
}
