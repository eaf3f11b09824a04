//! What every command runs with: the desk on the database, the principal `--as` names (made
//! once per command), and the clock; and the look-ups of what an operator types (people by
//! e-mail, departments by name).

use chrono::{DateTime, Utc};
use helpdesk::Helpdesk;
use helpdesk::domain::{Actor, AgentId, Customer, DepartmentId, Email};
use helpdesk::search::CustomerLookup;
use helpdesk::service::{Acting, AttachmentLimits};

use crate::args::Cli;
use crate::exit::Failure;
use crate::{CliResult, Setup};

/// The desk, who acts, and the clock of a command.
pub(crate) struct Ctx {
    /// The desk: its jobs (due timers, the blob sweep, mail in), and the look-ups of what an
    /// operator typed, which the CLI makes as the desk itself.
    pub(crate) desk: Helpdesk,
    /// The desk acting as `--as`: what the command does, it does as them.
    pub(crate) acting: Acting,
    now: Box<dyn Fn() -> DateTime<Utc> + Send + Sync>,
}

impl Ctx {
    /// Opens the database and makes the principal of `--as`.
    pub(crate) async fn open(cli: &Cli, setup: &Setup) -> CliResult<Self> {
        let url = database_url(cli, setup);
        let (store, blobs) = helpdesk::connect_with_blobs(&url).await?;
        let mut desk = Helpdesk::new(store).with_blobs(blobs, AttachmentLimits::default());
        let clock = setup.clock.clone();
        if let Some(clock) = &clock {
            desk = desk.with_clock(clock.clone());
        }
        let actor = resolve_actor(&desk, &cli.as_).await?;
        let acting = desk.acting_as(actor).await?;
        Ok(Self {
            desk,
            acting,
            now: Box::new(move || clock.as_ref().map_or_else(Utc::now, |c| c.now())),
        })
    }

    /// Now, on the run's clock.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        (self.now)()
    }

    /// The agent with this e-mail.
    pub(crate) async fn agent_by_email(&self, email: &str) -> CliResult<AgentId> {
        agent_by_email(&self.desk, email).await
    }

    /// The customer with this e-mail.
    pub(crate) async fn customer_by_email(&self, email: &str) -> CliResult<Customer> {
        customer_by_email(&self.desk, email).await
    }

    /// The department with this name (any case), or the oldest one for `None`.
    pub(crate) async fn department_id(&self, name: Option<&str>) -> CliResult<DepartmentId> {
        let departments = self.desk.as_system().departments().await?;
        let found = match name {
            Some(name) => departments
                .iter()
                .find(|d| d.name.as_str().eq_ignore_ascii_case(name.trim())),
            // The oldest (ids are time-ordered, for departments made in the same instant).
            None => departments
                .iter()
                .min_by_key(|d| (d.created_at, d.id.as_uuid())),
        };
        match (found, name) {
            (Some(d), _) => Ok(d.id),
            (None, Some(name)) => {
                Err(Failure::not_found(format!("no department named {name:?}")).into())
            }
            (None, None) => Err(Failure::not_found(
                "there are no departments yet: add one with `department add NAME`",
            )
            .into()),
        }
    }
}

/// The database URL: `--database`, else the setup's, else `HELPDESK_DATABASE_URL`, else
/// `./helpdesk.db`.
fn database_url(cli: &Cli, setup: &Setup) -> String {
    if let Some(url) = cli.database.clone().or_else(|| setup.database.clone()) {
        return url;
    }
    match std::env::var(helpdesk::DATABASE_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => "helpdesk.db".to_owned(),
    }
}

/// `system`, `agent:EMAIL` or `customer:EMAIL`.
async fn resolve_actor(desk: &Helpdesk, raw: &str) -> CliResult<Actor> {
    let raw = raw.trim();
    if raw == "system" {
        return Ok(Actor::System);
    }
    if let Some(email) = raw.strip_prefix("agent:") {
        return Ok(Actor::Agent(agent_by_email(desk, email).await?));
    }
    if let Some(email) = raw.strip_prefix("customer:") {
        return Ok(Actor::Customer(customer_by_email(desk, email).await?.id));
    }
    Err(Failure::usage(format!(
        "--as takes system, agent:EMAIL or customer:EMAIL, not {raw:?}"
    ))
    .into())
}

async fn agent_by_email(desk: &Helpdesk, email: &str) -> CliResult<AgentId> {
    let email = Email::parse(email)?;
    desk.as_system()
        .agents()
        .await?
        .into_iter()
        .find(|a| a.email == email)
        .map(|a| a.id)
        .ok_or_else(|| Failure::not_found(format!("no agent with the e-mail {email}")).into())
}

async fn customer_by_email(desk: &Helpdesk, email: &str) -> CliResult<Customer> {
    let lookup = CustomerLookup::Email(Email::parse(email)?);
    desk.as_system()
        .find_customers(&lookup)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| Failure::not_found(format!("no customer with the e-mail {email}")).into())
}
