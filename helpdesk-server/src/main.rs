//! The helpdesk web server: a JSON API under `/api/v1` (OpenAPI at `/api/openapi.json`), a
//! customer portal and an agent console, on SQLite (`./helpdesk.db`) or PostgreSQL
//! (`HELPDESK_DATABASE_URL`, with `--features postgres`).
//!
//! ```sh
//! cargo run -p helpdesk-server -- --demo                 # demo data and logins, 127.0.0.1:8080
//! cargo run -p helpdesk-server -- --listen 0.0.0.0:3000  # another address
//! ```
//!
//! Logins, sessions and API tokens are kept in the database (the store's `AccountStore`), so
//! they survive a restart: `--demo` creates a login per demo person (password `demo`) once,
//! and `--create-admin EMAIL` creates an admin agent and its login (password from
//! `HELPDESK_ADMIN_PASSWORD`) on any database.
//!
//! Links the desk sends start with its public URL, a setting in the database:
//! `--public-url https://help.example.com` (or `HELPDESK_PUBLIC_URL`) writes it, `--demo`
//! writes `http://127.0.0.1:PORT/`, and admins change it on the admin page or with
//! `PUT /api/v1/settings`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use helpdesk::error::Causes;
use helpdesk::service::{AttachmentLimits, MailTransport};
use helpdesk::{FsBlobStore, Helpdesk, SmtpCredentials};
use helpdesk_server::jobs::Jobs;
use helpdesk_server::setup::SetupError;
use helpdesk_server::{Accounts, Options, demo, router, setup};

/// The helpdesk web server.
#[derive(Debug, Parser)]
#[command(
    version,
    about = "The helpdesk web server: JSON API, customer portal, agent console"
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
    /// How often the jobs run, in seconds: due timers (SLA warnings, reminders, auto-close),
    /// the sweep of attachments nobody refers to (a day old at least), expired sessions, and
    /// the outbox.
    #[arg(long, default_value_t = 60)]
    due_every: u64,
    /// Send the desk's e-mail through this SMTP server, `HOST:PORT`: without TLS (a relay on
    /// this machine), or with STARTTLS and a login when `HELPDESK_SMTP_USER` and
    /// `HELPDESK_SMTP_PASSWORD` are set.
    #[arg(long, requires = "mail_from")]
    smtp: Option<String>,
    /// The desk's From address for e-mail (with `--smtp` or `--imap`), written to the
    /// stored mail settings at start-up when it differs (admins change them on `/admin/mail`).
    #[arg(long)]
    mail_from: Option<String>,
    /// Take mail from this IMAP mailbox as it arrives:
    /// `imaps://USER:PASSWORD@HOST[:PORT]/FOLDER?department=NAME&after=flag|delete|move:FOLDER`
    /// (`imap://` without TLS). Repeat for several. Default: `HELPDESK_IMAP` (URLs separated
    /// by spaces), which keeps passwords out of the process list. Needs `--mail-from`.
    #[arg(long = "imap", value_name = "URL")]
    imap: Vec<String>,
    /// Seconds between IMAP rounds where the server has no IDLE (and the longest IDLE wait),
    /// for the `--imap` mailboxes (those stored for departments have their own; they are
    /// watched at start-up and picked up within a minute when admins change them).
    #[arg(long, default_value_t = 60)]
    imap_poll: u64,
    /// The desk's public URL, written to its settings: every link the desk sends (in
    /// e-mail, in canned responses) starts with it, never with a request's Host. A URL
    /// without a scheme gets https; write http:// for a local demo. Default:
    /// `HELPDESK_PUBLIC_URL`; with `--demo`, `http://127.0.0.1:PORT/`; else the stored
    /// setting (the admin page sets it too).
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
}

/// Serves until Ctrl-C; an error that stops the server is printed with its causes (the
/// database path, the SQL state, the I/O error).
#[tokio::main]
async fn main() -> ExitCode {
    match serve(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", Causes(&*e));
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args) -> Result<(), SetupError> {
    // A public URL typed at start-up is checked before anything else happens.
    let typed = args.public_url.clone().or_else(|| {
        std::env::var("HELPDESK_PUBLIC_URL")
            .ok()
            .filter(|url| !url.trim().is_empty())
    });
    let typed_url = setup::startup_public_url(typed.as_deref(), None)?;
    let store = match &args.database {
        Some(url) => helpdesk::connect(url).await?,
        None => helpdesk::connect_from_env("helpdesk.db").await?,
    };
    let blobs = Arc::new(FsBlobStore::open(&args.blobs).await?);
    let mut desk = Helpdesk::new(store).with_blobs(blobs, AttachmentLimits::default());
    let accounts = Arc::new(Accounts::new(desk.store().clone())?);

    if let Some(email) = &args.create_admin {
        let password = std::env::var("HELPDESK_ADMIN_PASSWORD")
            .map_err(|_| "--create-admin reads the password from HELPDESK_ADMIN_PASSWORD")?;
        setup::create_admin(&desk, &accounts, email, &password).await?;
        println!("admin login: {email}");
    }
    if args.demo {
        let logins = demo::load(&desk, &accounts).await?;
        println!("demo logins (password \"{}\"):", demo::PASSWORD);
        for login in logins {
            println!("  {:<24} {}", login.login, login.what);
        }
    } else if args.create_admin.is_none() {
        println!(
            "sign in with the logins in the database; none yet? start with --demo, or with \
             --create-admin EMAIL and HELPDESK_ADMIN_PASSWORD set"
        );
    }

    let mut transport: Option<Box<dyn MailTransport>> = None;
    if let (Some(smtp), Some(from)) = (&args.smtp, &args.mail_from) {
        let credentials = match (
            std::env::var("HELPDESK_SMTP_USER"),
            std::env::var("HELPDESK_SMTP_PASSWORD"),
        ) {
            (Ok(user), Ok(password)) => Some(SmtpCredentials::new(user, password)),
            _ => None,
        };
        if let Some((smtp_transport, settings)) =
            setup::mail(&desk, smtp, from, credentials).await?
        {
            desk = desk.with_mail(settings);
            transport = Some(Box::new(smtp_transport));
            println!("sending e-mail through {smtp}");
        }
    }

    let mailboxes = helpdesk_server::mailboxes::mailbox_urls(&args.imap);
    if !mailboxes.is_empty() {
        let Some(from) = &args.mail_from else {
            return Err("--imap needs --mail-from (the desk's own address)".into());
        };
        if desk.mail_settings().is_none()
            && let Some(settings) = setup::inbound_mail(&desk, from).await?
        {
            desk = desk.with_mail(settings);
        }
        if desk.mail_settings().is_some() {
            let poll = Duration::from_secs(args.imap_poll.max(1));
            helpdesk_server::mailboxes::watch(&desk, &mailboxes, poll).await?;
        }
    }

    helpdesk_server::mailboxes::watch_stored_mailboxes(&desk, helpdesk_server::mailboxes::REREAD);

    Jobs {
        desk: desk.clone(),
        accounts: accounts.clone(),
        transport,
    }
    .spawn(Duration::from_secs(args.due_every.max(1)));

    let app = router(
        desk.clone(),
        accounts,
        Options {
            secure_cookies: args.secure_cookies,
        },
    );
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let demo_listen = args.demo.then_some(listener.local_addr()?);
    let url = match typed_url {
        Some(url) => Some(url),
        None => setup::startup_public_url(None, demo_listen)?,
    };
    if let Some(url) = url {
        setup::set_public_url(&desk, &url).await?;
    }
    match desk.public_url().await? {
        Some(url) => println!("links the desk sends start with {url}"),
        None => println!(
            "no public URL is set: e-mails carry no links (set one with --public-url, \
             HELPDESK_PUBLIC_URL or on the admin page)"
        ),
    }
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
