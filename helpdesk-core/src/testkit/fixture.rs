//! A small desk to run scenarios on: three departments with different follow-up policies,
//! agents with different powers, and customers in the seeds' languages.

use std::sync::Arc;

use chrono::Duration;

use crate::Helpdesk;
use crate::clock::ManualClock;
use crate::domain::{
    Actor, Agent, Customer, CustomerKind, Department, Email, Language, MessageBody, Name,
    Permission, Phone, Role, Signature, Subject, Ticket, standard_permissions,
};
use crate::machine::NewTicket;
use crate::policy::FollowUpPolicy;
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
        let sys = Actor::System;
        let dept = |n: &'static str, f| {
            let desk = desk.clone();
            async move {
                desk.create_department(sys, name(n), f)
                    .await
                    .expect("department")
            }
        };
        let support = dept("Support", FollowUpPolicy::Reopen).await;
        let billing = dept("Billing", FollowUpPolicy::NewTicket).await;
        let sales = dept("Sales", FollowUpPolicy::Reject).await;
        let admin = desk
            .create_agent(
                sys,
                NewAgent::new(name("Admin"), email("admin@desk.test"), Role::Admin),
            )
            .await
            .expect("admin");
        let ivan = desk
            .create_agent(
                sys,
                NewAgent::new(name("Иван Петров"), email("ivan@desk.test"), Role::Agent)
                    .in_department(support.id, standard_permissions())
                    .in_department(sales.id, standard_permissions())
                    .with_signature(Signature::parse("Иван, техподдержка").expect("signature")),
            )
            .await
            .expect("ivan");
        let maria = desk
            .create_agent(
                sys,
                NewAgent::new(name("Maria Ionescu"), email("maria@desk.test"), Role::Agent)
                    .in_department(
                        billing.id,
                        [Permission::Read, Permission::Note].into_iter().collect(),
                    ),
            )
            .await
            .expect("maria");
        let boss = desk
            .create_agent(
                sys,
                NewAgent::new(name("Boss"), email("boss@desk.test"), Role::Supervisor)
                    .in_department(support.id, Default::default()),
            )
            .await
            .expect("boss");
        let ana = desk
            .create_customer(
                sys,
                NewCustomer::new(CustomerKind::Individual, name("Ana Popescu"))
                    .with_email(email("ana@example.ro"))
                    .with_language(Language::Romanian),
            )
            .await
            .expect("ana");
        let acme = desk
            .create_customer(
                sys,
                NewCustomer::new(CustomerKind::Organisation, name("ООО Акме"))
                    .with_email(email("it@acme.example"))
                    .with_phone(Phone::parse("+7 (495) 123-45-67").expect("phone")),
            )
            .await
            .expect("acme");
        let reza = desk
            .create_customer(
                sys,
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

    /// Opens a support ticket as `customer` and moves the clock one second.
    pub async fn open(&self, customer: &Customer, subject: &str) -> Ticket {
        let ticket = self
            .desk
            .open_ticket(
                Actor::Customer(customer.id),
                self.new_ticket(&self.support, subject),
            )
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
