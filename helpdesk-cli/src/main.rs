//! The helpdesk at a terminal: what an operator does, on the same database as the server
//! (`--database URL`, else `HELPDESK_DATABASE_URL`, else `./helpdesk.db`).
//!
//! ```sh
//! cargo run --example cli -- import directory.json
//! cargo run --example cli -- create --phone "+40 721 000 111" --subject "No internet" --body "Red light"
//! cargo run --example cli -- list --status new,open
//! cargo run --example cli -- --as agent:ivan@example.com reply 10000001 "We reset the line."
//! cargo run --example cli -- customer find '%Кольц%14%кв.15'
//! cargo run --example cli -- ingest --from support@example.com < mail.eml
//! cargo run --example cli -- --json show 10000001
//! cargo run --example cli -- seed 1000
//! ```

mod commands;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let code = commands::run(
        std::env::args_os(),
        &commands::Setup::default(),
        commands::Io {
            stdin: &mut stdin,
            stdout: &mut stdout,
            stderr: &mut stderr,
        },
    )
    .await;
    std::process::exit(code);
}
