//! A small desk to run scenarios on: three departments with different follow-up policies,
//! agents with different powers, and customers in the seeds' languages.

use std::sync::Arc;

use chrono::Duration;

use crate::Helpdesk;
use crate::clock::ManualClock;
use crate::domain::{
    Actor, Agent, Customer, CustomerKind, Department, Email, Language, MessageBody, Name,
    Permission, Phone, Priority, Role, Signature, SlaTarget, Subject, Ticket, standard_permissions,
};
use crate::machine::NewTicket;
use crate::policy::{
    Calendar, FollowUpPolicy, ServiceLevels, SlaCondition, SlaPolicy, WorkingRange, weekdays,
};
use crate::service::Acting;
use crate::service::{NewAgent, NewCustomer};
use crate::store::Store;

/// A desk with a manual clock and a known cast.
pub struct Fixture {
    /// The desk.
    pub desk: Helpdesk,
    /// Its clock, starting at 2026-01-05 09:00 UTC (a Monday).
    pub clock: Arc<ManualClock>,
    /// Technical support; follow-ups reopen.
    pub support: Department,
    /// Billing; follow-ups open a new ticket.
    pub billing: Department,
    /// Sales; follow-ups are rejected.
    pub sales: Department,
    /// An admin.
    pub admin: Agent,
    /// A support agent with the standard permissions and a signature.
    pub ivan: Agent,
    /// A billing agent with only Read and Note in billing.
    pub maria: Agent,
    /// A supervisor of support (every permission there, including raising priority).
    pub boss: Agent,
    /// An individual customer who writes Romanian.
    pub ana: Customer,
    /// An organisation customer (a legal entity).
    pub acme: Customer,
    /// An individual customer who writes Persian.
    pub reza: Customer,
}

fn name(s: &str) -> Name {
    Name::parse(s).expect("fixture names are valid")
}

fn email(s: &str) -> Email {
    Email::parse(s).expect("fixture e-mails are valid")
}

impl Fixture {
    /// Builds the cast on `store`, which must be empty.
    pub async fn new(store: Arc<dyn Store>) -> Self {
        let clock = Arc::new(ManualClock::new(
            "2026-01-05T09:00:00Z".parse().expect("a valid instant"),
        ));
        let desk = Helpdesk::new(store).with_clock(clock.clone());
        let dept = |n: &'static str, f| {
            let desk = desk.clone();
            async move {
                desk.as_system()
                    .create_department(name(n), f)
                    .await
                    .expect("department")
            }
        };
        let support = dept("Support", FollowUpPolicy::Reopen).await;
        let billing = dept("Billing", FollowUpPolicy::NewTicket).await;
        let sales = dept("Sales", FollowUpPolicy::Reject).await;
        let admin = desk
            .as_system()
            .create_agent(NewAgent::new(
                name("Admin"),
                email("admin@desk.test"),
                Role::Admin,
            ))
            .await
            .expect("admin");
        let ivan = desk
            .as_system()
            .create_agent(
                NewAgent::new(name("Иван Петров"), email("ivan@desk.test"), Role::Agent)
                    .in_department(support.id, standard_permissions())
                    .in_department(sales.id, standard_permissions())
                    .with_signature(Signature::parse("Иван, техподдержка").expect("signature")),
            )
            .await
            .expect("ivan");
        let maria = desk
            .as_system()
            .create_agent(
                NewAgent::new(name("Maria Ionescu"), email("maria@desk.test"), Role::Agent)
                    .in_department(
                        billing.id,
                        [Permission::Read, Permission::Note].into_iter().collect(),
                    ),
            )
            .await
            .expect("maria");
        let boss = desk
            .as_system()
            .create_agent(
                NewAgent::new(name("Boss"), email("boss@desk.test"), Role::Supervisor)
                    .in_department(support.id, Default::default()),
            )
            .await
            .expect("boss");
        let ana = desk
            .as_system()
            .create_customer(
                NewCustomer::new(CustomerKind::Individual, name("Ana Popescu"))
                    .with_email(email("ana@example.ro"))
                    .with_language(Language::Romanian),
            )
            .await
            .expect("ana");
        let acme = desk
            .as_system()
            .create_customer(
                NewCustomer::new(CustomerKind::Organisation, name("ООО Акме"))
                    .with_email(email("it@acme.example"))
                    .with_phone(Phone::parse("+7 (495) 123-45-67").expect("phone")),
            )
            .await
            .expect("acme");
        let reza = desk
            .as_system()
            .create_customer(
                NewCustomer::new(CustomerKind::Individual, name("رضا احمدی"))
                    .with_language(Language::Persian)
                    .with_phone(Phone::parse("۰۹۱۲ ۳۴۵ ۶۷۸۹").expect("phone")),
            )
            .await
            .expect("reza");
        Self {
            desk,
            clock,
            support,
            billing,
            sales,
            admin,
            ivan,
            maria,
            boss,
            ana,
            acme,
            reza,
        }
    }

    /// The cast with service levels: billing works 09:00–18:00 Moscow time on weekdays,
    /// support around the clock (seed 000). Urgent tickets: first response 1 h, resolution
    /// 4 h; everything else: first response 2 h, next response 4 h, resolution 16 h.
    pub async fn with_service_levels(store: Arc<dyn Store>) -> Self {
        let mut f = Self::new(store).await;
        let urgent = SlaPolicy::new(
            "urgent",
            SlaCondition {
                priorities: vec![Priority::Urgent],
                ..Default::default()
            },
        )
        .target(SlaTarget::FirstResponse, Duration::hours(1))
        .and_then(|p| p.target(SlaTarget::Resolution, Duration::hours(4)))
        .expect("valid targets");
        let standard = SlaPolicy::new("standard", SlaCondition::default())
            .target(SlaTarget::FirstResponse, Duration::hours(2))
            .and_then(|p| p.target(SlaTarget::NextResponse, Duration::hours(4)))
            .and_then(|p| p.target(SlaTarget::Resolution, Duration::hours(16)))
            .expect("valid targets");
        let moscow_office = Calendar::weekly(
            chrono_tz::Europe::Moscow,
            weekdays(vec![
                WorkingRange::parse("09:00", "18:00").expect("a range"),
            ]),
        )
        .expect("a calendar");
        let levels = ServiceLevels::default()
            .with_policy(urgent)
            .with_policy(standard)
            .with_department_calendar(f.billing.id, moscow_office);
        f.desk = f.desk.clone().with_service_levels(levels);
        f
    }

    /// Moves the clock forward by `seconds`.
    pub fn tick(&self, seconds: i64) {
        self.clock.advance(Duration::seconds(seconds));
    }

    /// A new-ticket request to `department`.
    pub fn new_ticket(&self, department: &Department, subject: &str) -> NewTicket {
        NewTicket::new(
            Subject::parse(subject).expect("subject"),
            MessageBody::parse(format!("{subject}: details")).expect("body"),
            department.id,
        )
    }

    /// The desk acting as `agent`, as they are stored now (make another after changing
    /// them).
    pub async fn as_agent(&self, agent: &Agent) -> Acting {
        self.desk
            .acting_as(Actor::Agent(agent.id))
            .await
            .expect("an active agent")
    }

    /// The desk acting as `customer`, as they are stored now (make another after changing
    /// their access).
    pub async fn as_customer(&self, customer: &Customer) -> Acting {
        self.desk
            .acting_as(Actor::Customer(customer.id))
            .await
            .expect("a customer with access")
    }

    /// Opens a support ticket as `customer` and moves the clock one second.
    pub async fn open(&self, customer: &Customer, subject: &str) -> Ticket {
        let ticket = self
            .as_customer(customer)
            .await
            .open_ticket(self.new_ticket(&self.support, subject))
            .await
            .expect("open ticket");
        self.tick(1);
        ticket
    }
}

/// A message body, for tests.
pub fn body(text: &str) -> MessageBody {
    MessageBody::parse(text).expect("test bodies are valid")
}
