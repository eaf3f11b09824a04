//! The helpdesk web server: a JSON API under `/api/v1` (OpenAPI at `/api/openapi.json`), a
//! customer portal and an agent console, on SQLite (`./helpdesk.db`) or PostgreSQL
//! (`HELPDESK_DATABASE_URL`).
//!
//! ```sh
//! cargo run --example server -- --demo                 # demo data and logins, 127.0.0.1:8080
//! cargo run --example server -- --listen 0.0.0.0:3000  # another address
//! ```
//!
//! Accounts are kept in memory (the library has no account API): `--demo` creates one per
//! demo person, password `demo`, and prints them.

mod web;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use helpdesk::domain::{Actor, Email};
use helpdesk::service::{AttachmentLimits, MailSettings, RetryPolicy};
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

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let store = match &args.database {
        Some(url) => helpdesk::connect(url).await?,
        None => helpdesk::connect_from_env("helpdesk.db").await?,
    };
    let blobs = Arc::new(FsBlobStore::open(&args.blobs).await?);
    let desk = Helpdesk::new(store).with_blobs(blobs, AttachmentLimits::default());
    let accounts = Arc::new(web::Accounts::default());

    if args.demo {
        let logins = web::demo::load(&desk, &accounts).await?;
        println!("demo logins (password \"{}\"):", web::demo::PASSWORD);
        for login in logins {
            println!("  {:<24} {}", login.login, login.what);
        }
    } else {
        println!("no accounts: start with --demo to create the demo people and their logins");
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
    let every = Duration::from_secs(args.due_every.max(1));
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        let retry = RetryPolicy::default();
        loop {
            ticker.tick().await;
            if let Err(e) = due.run_due(chrono::Utc::now()).await {
                eprintln!("run_due failed: {e}");
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
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
