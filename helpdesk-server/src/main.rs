//! The helpdesk web server: a JSON API under `/api/v1` (OpenAPI at `/api/openapi.json`), a
//! customer portal and an agent console, on SQLite (`./helpdesk.db`) or PostgreSQL
//! (`HELPDESK_DATABASE_URL`).
//!
//! ```sh
//! cargo run --example server -- --demo                 # demo data and logins, 127.0.0.1:8080
//! cargo run --example server -- --listen 0.0.0.0:3000  # another address
//! ```
//!
//! Logins, sessions and API tokens are kept in the database (the store's `AccountStore`), so
//! they survive a restart: `--demo` creates a login per demo person (password `demo`) once,
//! and `--create-admin EMAIL` creates an admin agent and its login (password from
//! `HELPDESK_ADMIN_PASSWORD`) on any database.

mod web;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use helpdesk::domain::{Actor, Email, Name, Role};
use helpdesk::service::{AttachmentLimits, MailSettings, NewAgent, RetryPolicy};
use helpdesk::{FsBlobStore, Helpdesk, SmtpCredentials, SmtpTransport};

/// The helpdesk example web server.
#[derive(Debug, Parser)]
#[command(
    version,
    about = "The helpdesk example web server: JSON API, customer portal, agent console"
)]
struct Args {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The database URL (a SQLite path, `sqlite://PATH`, `:memory:` or `postgres://…`);
    /// default: `HELPDESK_DATABASE_URL`, else `./helpdesk.db`.
    #[arg(long)]
    database: Option<String>,
    /// Where attachment files are kept.
    #[arg(long, default_value = "helpdesk-blobs")]
    blobs: PathBuf,
    /// Load demo departments, agents, customers, articles and tickets, and print the logins.
    #[arg(long)]
    demo: bool,
    /// Create (or reset the password of) an admin agent signing in with this e-mail, the
    /// password read from the environment variable `HELPDESK_ADMIN_PASSWORD` (at least 8
    /// characters), then serve as usual.
    #[arg(long, value_name = "EMAIL")]
    create_admin: Option<String>,
    /// Mark the session cookie `Secure` (when the server is behind https).
    #[arg(long)]
    secure_cookies: bool,
    /// How often due timers run (SLA warnings, reminders, auto-close) and the outbox is
    /// sent, in seconds.
    #[arg(long, default_value_t = 60)]
    due_every: u64,
    /// Send the desk's e-mail through this SMTP server, `HOST:PORT`: without TLS (a relay on
    /// this machine), or with STARTTLS and a login when `HELPDESK_SMTP_USER` and
    /// `HELPDESK_SMTP_PASSWORD` are set.
    #[arg(long, requires = "mail_from")]
    smtp: Option<String>,
    /// The desk's From address for e-mail (with `--smtp`).
    #[arg(long)]
    mail_from: Option<String>,
}

/// The SMTP transport and mail settings `--smtp` asks for, if any.
async fn mail(
    args: &Args,
    desk: &Helpdesk,
) -> Result<Option<(SmtpTransport, MailSettings)>, Box<dyn std::error::Error>> {
    let (Some(smtp), Some(from)) = (&args.smtp, &args.mail_from) else {
        return Ok(None);
    };
    let (host, port) = smtp
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h.to_owned(), p.parse::<u16>().ok()?)))
        .ok_or("--smtp takes HOST:PORT")?;
    let transport = match (
        std::env::var("HELPDESK_SMTP_USER"),
        std::env::var("HELPDESK_SMTP_PASSWORD"),
    ) {
        (Ok(user), Ok(password)) => {
            SmtpTransport::starttls(host, port, SmtpCredentials::new(user, password))?
        }
        _ => SmtpTransport::plain(host, port),
    };
    let departments = desk.departments(Actor::System).await?;
    let Some(inbound) = departments.first() else {
        eprintln!("e-mail is off: create a department first (or start with --demo)");
        return Ok(None);
    };
    Ok(Some((
        transport,
        MailSettings::new(Email::parse(from)?, inbound.id),
    )))
}

/// `--create-admin EMAIL`: the admin agent with this e-mail (created when missing) and its
/// login, with the password in `HELPDESK_ADMIN_PASSWORD`.
async fn create_admin(
    desk: &Helpdesk,
    accounts: &web::Accounts,
    email: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let password = std::env::var("HELPDESK_ADMIN_PASSWORD")
        .map_err(|_| "--create-admin reads the password from HELPDESK_ADMIN_PASSWORD")?;
    if password.chars().count() < 8 {
        return Err("HELPDESK_ADMIN_PASSWORD must be at least 8 characters".into());
    }
    let email = Email::parse(email)?;
    let sys = Actor::System;
    let existing = desk
        .agents(sys)
        .await?
        .into_iter()
        .find(|a| a.email == email);
    let agent = match existing {
        Some(agent) => agent,
        None => {
            let local = email.as_str().split('@').next().unwrap_or("admin");
            let name = Name::parse(local).or_else(|_| Name::parse("Admin"))?;
            desk.create_agent(sys, NewAgent::new(name, email.clone(), Role::Admin))
                .await?
        }
    };
    if agent.role != Role::Admin {
        return Err(format!("{email} is an agent who is not an admin").into());
    }
    accounts
        .set_login(email.as_str(), &password, Actor::Agent(agent.id))
        .await?;
    println!("admin login: {email}");
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let store = match &args.database {
        Some(url) => helpdesk::connect(url).await?,
        None => helpdesk::connect_from_env("helpdesk.db").await?,
    };
    let blobs = Arc::new(FsBlobStore::open(&args.blobs).await?);
    let desk = Helpdesk::new(store).with_blobs(blobs, AttachmentLimits::default());
    let accounts = Arc::new(web::Accounts::new(desk.store().clone()));

    if let Some(email) = &args.create_admin {
        create_admin(&desk, &accounts, email).await?;
    }
    if args.demo {
        let logins = web::demo::load(&desk, &accounts).await?;
        println!("demo logins (password \"{}\"):", web::demo::PASSWORD);
        for login in logins {
            println!("  {:<24} {}", login.login, login.what);
        }
    } else if args.create_admin.is_none() {
        println!(
            "sign in with the logins in the database; none yet? start with --demo, or with \
             --create-admin EMAIL and HELPDESK_ADMIN_PASSWORD set"
        );
    }

    let mut desk = desk;
    let transport = match mail(&args, &desk).await? {
        Some((transport, settings)) => {
            desk = desk.with_mail(settings);
            println!(
                "sending e-mail through {}",
                args.smtp.as_deref().unwrap_or_default()
            );
            Some(transport)
        }
        None => None,
    };

    let due = desk.clone();
    let sweeper = accounts.clone();
    let every = Duration::from_secs(args.due_every.max(1));
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        let retry = RetryPolicy::default();
        loop {
            ticker.tick().await;
            if let Err(e) = due.run_due(chrono::Utc::now()).await {
                eprintln!("run_due failed: {e}");
            }
            if let Err(e) = sweeper.sweep().await {
                eprintln!("deleting expired sessions failed: {e}");
            }
            if let Some(transport) = &transport
                && let Err(e) = due.dispatch_outbox(transport, &retry).await
            {
                eprintln!("sending e-mail failed: {e}");
            }
        }
    });

    let app = web::router(
        desk,
        accounts,
        web::Options {
            secure_cookies: args.secure_cookies,
        },
    );
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
