//! Start-up steps the binary's flags ask for: the first admin (`--create-admin`) and the
//! e-mail settings (`--smtp`, `--mail-from`).

use helpdesk::domain::{Actor, Email, Name, Role};
use helpdesk::service::{MailSettings, NewAgent};
use helpdesk::{Helpdesk, SmtpCredentials, SmtpTransport};

use crate::accounts::Accounts;

/// A start-up error, for the person starting the server.
pub type SetupError = Box<dyn std::error::Error + Send + Sync>;

/// The admin agent with this e-mail (created when missing) gets a login with `password` (at
/// least 8 characters). The desk acts as itself: nobody is signed in yet.
pub async fn create_admin(
    desk: &Helpdesk,
    accounts: &Accounts,
    email: &str,
    password: &str,
) -> Result<(), SetupError> {
    if password.chars().count() < 8 {
        return Err("the admin's password must be at least 8 characters".into());
    }
    let email = Email::parse(email)?;
    let system = desk.as_system();
    let existing = system
        .agents()
        .await?
        .into_iter()
        .find(|a| a.email == email);
    let agent = match existing {
        Some(agent) => agent,
        None => {
            let local = email.as_str().split('@').next().unwrap_or("admin");
            let name = Name::parse(local).or_else(|_| Name::parse("Admin"))?;
            system
                .create_agent(NewAgent::new(name, email.clone(), Role::Admin))
                .await?
        }
    };
    if agent.role != Role::Admin {
        return Err(format!("{email} is an agent who is not an admin").into());
    }
    accounts
        .set_login(email.as_str(), password, Actor::Agent(agent.id))
        .await?;
    Ok(())
}

/// The SMTP transport for `smtp` (`HOST:PORT`; STARTTLS with a login when `credentials` are
/// given) and the mail settings with `from` as the desk's address, inbound mail going to the
/// first department. `None` when there is no department yet (the reason is printed).
pub async fn mail(
    desk: &Helpdesk,
    smtp: &str,
    from: &str,
    credentials: Option<SmtpCredentials>,
) -> Result<Option<(SmtpTransport, MailSettings)>, SetupError> {
    let (host, port) = smtp
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h.to_owned(), p.parse::<u16>().ok()?)))
        .ok_or("--smtp takes HOST:PORT")?;
    let transport = match credentials {
        Some(credentials) => SmtpTransport::starttls(host, port, credentials)?,
        None => SmtpTransport::plain(host, port),
    };
    let departments = desk.as_system().departments().await?;
    let Some(inbound) = departments.first() else {
        eprintln!("e-mail is off: create a department first (or start with --demo)");
        return Ok(None);
    };
    Ok(Some((
        transport,
        MailSettings::new(Email::parse(from)?, inbound.id),
    )))
}
