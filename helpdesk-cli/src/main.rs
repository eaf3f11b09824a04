//! The helpdesk at a terminal: what an operator does, on the same database as the server
//! (`--database URL`, else `HELPDESK_DATABASE_URL`, else `./helpdesk.db`).
//!
//! ```sh
//! cargo run -p helpdesk-cli -- import directory.json
//! cargo run -p helpdesk-cli -- create --phone "+40 721 000 111" --subject "No internet" --body "Red light"
//! cargo run -p helpdesk-cli -- list --status new,open
//! cargo run -p helpdesk-cli -- --as agent:ivan@example.com reply 10000001 "We reset the line."
//! cargo run -p helpdesk-cli -- customer find '%Кольц%14%кв.15'
//! cargo run -p helpdesk-cli -- ingest --from support@example.com < mail.eml
//! cargo run -p helpdesk-cli -- --json show 10000001
//! cargo run -p helpdesk-cli -- seed 1000
//! ```

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let code = helpdesk_cli::run(
        std::env::args_os(),
        &helpdesk_cli::Setup::default(),
        helpdesk_cli::Io {
            stdin: &mut stdin,
            stdout: &mut stdout,
            stderr: &mut stderr,
        },
    )
    .await;
    std::process::exit(code);
}
