//! Start-up steps the binary's flags ask for: the first admin (`--create-admin`), the
//! e-mail settings (`--smtp`, `--mail-from`) and the desk's public URL (`--public-url`,
//! `HELPDESK_PUBLIC_URL`, or the demo's address).

use std::net::SocketAddr;

use helpdesk::domain::{Actor, Email, Name, PublicUrl, Role};
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
    Ok(inbound_mail(desk, from)
        .await?
        .map(|settings| (transport, settings)))
}

/// The mail settings with `from` as the desk's address (written to the stored settings
/// when it differs), inbound mail going to the first department. `None` when there is no
/// department yet (the reason is printed).
pub async fn inbound_mail(desk: &Helpdesk, from: &str) -> Result<Option<MailSettings>, SetupError> {
    let from = Email::parse(from)?;
    store_mail_from(desk, &from).await?;
    let departments = desk.as_system().departments().await?;
    let Some(inbound) = departments.first() else {
        eprintln!("e-mail is off: create a department first (or start with --demo)");
        return Ok(None);
    };
    Ok(Some(MailSettings::new(from, inbound.id)))
}

/// Writes `from` as the desk's stored mail address (`--mail-from`) when it differs, as the
/// desk itself, audited; the other stored mail settings are kept. Every process opening the
/// store then sends from it. Nothing is written when the store keeps no settings.
pub async fn store_mail_from(desk: &Helpdesk, from: &Email) -> Result<(), SetupError> {
    let system = desk.as_system();
    let mut defaults = match system.mail_settings().await {
        Ok(stored) => stored.desk,
        Err(helpdesk::Error::Unsupported { .. }) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if defaults.from.as_ref() != Some(from) {
        defaults.from = Some(from.clone());
        system.set_mail_settings(defaults).await?;
    }
    Ok(())
}

/// The public URL a start-up writes: the one typed (`--public-url`, else
/// `HELPDESK_PUBLIC_URL`), else for `--demo` the address it listens on, as
/// `http://127.0.0.1:PORT/` when it listens on every address. `None`: the stored setting is
/// left as it is.
///
/// ```
/// use helpdesk_server::setup::startup_public_url;
///
/// let demo = startup_public_url(None, Some("0.0.0.0:8080".parse().unwrap())).unwrap();
/// assert_eq!(demo.unwrap().as_str(), "http://127.0.0.1:8080/");
/// let typed = startup_public_url(Some("help.example.com"), Some("0.0.0.0:8080".parse().unwrap()));
/// assert_eq!(typed.unwrap().unwrap().as_str(), "https://help.example.com/");
/// assert!(startup_public_url(Some("ftp://x.example"), None).is_err());
/// assert!(startup_public_url(None, None).unwrap().is_none());
/// ```
pub fn startup_public_url(
    typed: Option<&str>,
    demo_listen: Option<SocketAddr>,
) -> Result<Option<PublicUrl>, SetupError> {
    if let Some(typed) = typed {
        return Ok(Some(PublicUrl::parse(typed)?));
    }
    let Some(mut listen) = demo_listen else {
        return Ok(None);
    };
    if listen.ip().is_unspecified() {
        listen.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    Ok(Some(PublicUrl::parse(&format!("http://{listen}"))?))
}

/// Writes the desk's public URL (the desk acting as itself: nobody is signed in yet).
pub async fn set_public_url(desk: &Helpdesk, url: &PublicUrl) -> Result<(), SetupError> {
    desk.as_system().set_public_url(Some(url.clone())).await?;
    Ok(())
}
