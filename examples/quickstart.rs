//! The whole life of a ticket on a fresh SQLite file (or the database in
//! `HELPDESK_DATABASE_URL`): a department, an agent, a customer, a ticket, a reply, an
//! internal note, resolve, close, and the history.
//!
//! ```sh
//! cargo run --example quickstart            # a new SQLite file in the temp directory
//! cargo run --example quickstart -- my.db   # or this SQLite file
//! ```

use helpdesk::domain::{
    Actor, CustomerKind, Email, Language, MessageBody, Name, Role, Signature, Subject,
    standard_permissions,
};
use helpdesk::machine::{Command, NewTicket};
use helpdesk::policy::FollowUpPolicy;
use helpdesk::service::{NewAgent, NewCustomer};
use helpdesk::{Helpdesk, Result};

fn text<T>(parsed: std::result::Result<T, helpdesk::error::ValidationError>) -> T {
    parsed.expect("the example's own values are valid")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let run = uuid::Uuid::now_v7().simple().to_string();
    let default_file = std::env::temp_dir().join(format!("helpdesk-quickstart-{run}.db"));
    let target = std::env::args()
        .nth(1)
        .or_else(|| std::env::var(helpdesk::DATABASE_URL_VAR).ok())
        .unwrap_or_else(|| default_file.display().to_string());
    println!("database: {target}");
    let desk = Helpdesk::new(helpdesk::connect(&target).await?);

    // The application sets up the directory as the desk itself.
    let system = desk.as_system();
    let support = system
        .create_department(text(Name::parse("Support")), FollowUpPolicy::Reopen)
        .await?;
    let agent = system
        .create_agent(
            NewAgent::new(
                text(Name::parse("Иван Петров")),
                text(Email::parse(&format!("ivan+{run}@example.com"))),
                Role::Agent,
            )
            .in_department(support.id, standard_permissions())
            .with_signature(text(Signature::parse("Иван, техподдержка"))),
        )
        .await?;
    let customer = system
        .create_customer(
            NewCustomer::new(CustomerKind::Individual, text(Name::parse("Ana Popescu")))
                .with_email(text(Email::parse(&format!("ana+{run}@example.ro"))))
                .with_language(Language::Romanian),
        )
        .await?;
    // Each person acts through a principal loaded and checked once.
    let ana = desk.acting_as(Actor::Customer(customer.id)).await?;
    let ivan = desk.acting_as(Actor::Agent(agent.id)).await?;

    let ticket = ana
        .open_ticket(NewTicket::new(
            text(Subject::parse("Nu funcționează internetul")),
            text(MessageBody::parse("Routerul clipește roșu de ieri seară.")),
            support.id,
        ))
        .await?;
    println!(
        "opened ticket {} (tell the customer: {}), status {}",
        ticket.number,
        ticket.number.short(),
        ticket.status
    );

    let steps = [
        (
            &ivan,
            Command::note(text(MessageBody::parse("Line test from the exchange: OK."))),
        ),
        (
            &ivan,
            Command::reply(text(MessageBody::parse("Vă rugăm să reporniți routerul."))),
        ),
        (
            &ivan,
            Command::Resolve {
                body: Some(text(MessageBody::parse("Linia a fost resetată."))),
            },
        ),
        (&ana, Command::ConfirmResolution),
    ];
    for (acting, command) in steps {
        let kind = command.kind();
        let outcome = acting.execute(ticket.id, command).await?;
        println!("{kind}: now {}", outcome.ticket().status);
    }

    println!("\nWhat the customer sees:");
    for message in ana.thread(ticket.id).await? {
        let author = if message.author == ana.actor() {
            customer.name.as_str()
        } else {
            agent.name.as_str()
        };
        let body = message.body.as_str().replace('\n', "\n      ");
        println!("  [{author}] {body}");
    }
    println!("\nHistory (agent view):");
    print!("{}", ivan.history_text(ticket.id, Language::English).await?);
    Ok(())
}
