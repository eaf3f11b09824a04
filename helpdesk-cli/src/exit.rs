//! How a run ends: the exit codes by meaning, the CLI's own failures (each with its meaning),
//! and the one line an error is printed as, with its causes.

use std::error::Error as StdError;

use helpdesk::Error;
use helpdesk::error::{Causes, ValidationError};

/// What a run exits with, by meaning (listed in `--help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Done.
    Done = 0,
    /// Failed otherwise: a file that cannot be read or written, say.
    Failed = 1,
    /// Bad usage: an unknown command or option, a missing one, a value clap refuses.
    Usage = 2,
    /// A ticket, customer, agent or department that is not there (or not the actor's to see).
    NotFound = 3,
    /// Not allowed for who acts (`--as`).
    Forbidden = 4,
    /// Input the desk refuses: an invalid value, a limit, an import file that does not parse.
    Invalid = 5,
    /// A conflict: changed by someone else meanwhile, or a value already taken.
    Conflict = 6,
    /// Not allowed in the ticket's current status.
    State = 7,
    /// The database failed (the message says why: the path, the SQL state, the OS error).
    Storage = 8,
    /// The database does not offer what the command needs.
    Unsupported = 9,
    /// `ingest`: the input is not an e-mail message (sysexits' `EX_DATAERR`): the mail
    /// server returns it.
    NotMail = 65,
    /// `ingest`: a failure that may pass (the database unavailable, say; sysexits'
    /// `EX_TEMPFAIL`): the mail server keeps the mail and tries again.
    TryAgain = 75,
}

/// The exit codes, for the end of `--help`.
pub(crate) const HELP: &str = "\
Exit codes:
  0  done
  1  failed otherwise (a file that cannot be read or written, ...)
  2  bad usage: an unknown command or option, a missing one, a value it refuses
  3  not found: a ticket, customer, agent or department that is not there, or not yours to see
  4  forbidden: not allowed for who acts (--as)
  5  invalid input: a value the desk refuses, a limit, an import file that does not parse
  6  conflict: changed by someone else meanwhile, or a value already taken
  7  not allowed in the ticket's current status
  8  storage: the database failed (the message says why: path, SQL state, OS error)
  9  unsupported: the database does not offer what the command needs
 65  ingest: the input is not an e-mail message (EX_DATAERR; the mail server returns it)
 75  ingest: any other failure, the database unavailable say (EX_TEMPFAIL; the mail
     server tries again); taken, ignored and refused mail exit 0; fetch-mail: the IMAP
     server or the database unreachable (run it again)

Lists show the first page and how many match (\"first 50 of 120\"): --all lists every
ticket, --after CURSOR the page after the cursor the previous page printed.";

/// A failure of the CLI itself (what the operator typed), with its meaning.
#[derive(Debug)]
pub struct Failure {
    exit: Exit,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl Failure {
    fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
            source: None,
        }
    }

    /// Something named is not there.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(Exit::NotFound, message)
    }

    /// An option is missing or does not fit.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }

    /// A value is refused.
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(Exit::Invalid, message)
    }

    /// A file cannot be read or written: `what` names it, `source` says why.
    pub(crate) fn file(what: impl Into<String>, source: std::io::Error) -> Self {
        Self {
            source: Some(Box::new(source)),
            ..Self::new(Exit::Failed, what)
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for Failure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

/// What a desk error means.
fn exit_of(error: &Error) -> Exit {
    match error {
        Error::NotFound { .. } => Exit::NotFound,
        Error::Forbidden { .. } => Exit::Forbidden,
        Error::Validation(_) | Error::LimitExceeded { .. } => Exit::Invalid,
        Error::Conflict { .. } => Exit::Conflict,
        Error::InvalidTransition { .. } => Exit::State,
        Error::Unsupported { .. } => Exit::Unsupported,
        Error::Backend { .. } => Exit::Storage,
        _ => Exit::Failed,
    }
}

/// What `error` means: that of the first error in its chain the CLI knows.
pub(crate) fn exit_for(error: &(dyn StdError + 'static)) -> Exit {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(f) = e.downcast_ref::<Failure>() {
            return f.exit;
        }
        if let Some(desk) = e.downcast_ref::<Error>() {
            return exit_of(desk);
        }
        if e.is::<ValidationError>() || e.is::<serde_json::Error>() {
            return Exit::Invalid;
        }
        next = e.source();
    }
    Exit::Failed
}

/// What `ingest` exits with on `error`, for the mail server that pipes mail in: bytes that
/// are not mail are returned ([`Exit::NotMail`]); anything else may pass, so the server
/// keeps the mail and tries again ([`Exit::TryAgain`]).
pub(crate) fn ingest_exit_for(error: &(dyn StdError + 'static)) -> Exit {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(Error::Validation(v)) = e.downcast_ref::<Error>()
            && v.field() == "email"
        {
            return Exit::NotMail;
        }
        next = e.source();
    }
    Exit::TryAgain
}

/// What `fetch-mail` exits with on `error`: a failure that may pass (the server or the
/// database unreachable, a broken session) is [`Exit::TryAgain`], so a scheduler runs it
/// again; settings to fix (a bad URL, a refused login) exit as any other error.
pub(crate) fn fetch_exit_for(error: &(dyn StdError + 'static)) -> Exit {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(imap) = e.downcast_ref::<helpdesk::imap::ImapError>() {
            return match imap {
                helpdesk::imap::ImapError::Config(_) => Exit::Invalid,
                e if e.is_transient() => Exit::TryAgain,
                _ => Exit::Failed,
            };
        }
        next = e.source();
    }
    exit_for(error)
}

/// The line `error` is printed as: `error: ` and the error with its causes.
pub(crate) fn line(error: &(dyn StdError + 'static)) -> String {
    format!("error: {}\n", Causes(error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_exit_code_is_in_the_help_once() {
        let all = [
            Exit::Done,
            Exit::Failed,
            Exit::Usage,
            Exit::NotFound,
            Exit::Forbidden,
            Exit::Invalid,
            Exit::Conflict,
            Exit::State,
            Exit::Storage,
            Exit::Unsupported,
        ];
        for (i, exit) in all.into_iter().enumerate() {
            assert_eq!(exit as usize, i);
            let entry = format!("\n  {i}  ");
            assert_eq!(HELP.matches(&entry).count(), 1, "{exit:?}");
        }
        for exit in [Exit::NotMail, Exit::TryAgain] {
            let entry = format!("\n {}  ingest: ", exit as usize);
            assert_eq!(HELP.matches(&entry).count(), 1, "{exit:?}");
        }
    }

    #[test]
    fn ingest_returns_only_what_is_not_mail_and_retries_the_rest() {
        let not_mail = Error::validation("email", "not a mail");
        assert_eq!(ingest_exit_for(&not_mail), Exit::NotMail);
        let down = Error::backend(std::io::Error::other("connection refused"));
        assert_eq!(ingest_exit_for(&down), Exit::TryAgain);
        let other = Error::validation("from", "x");
        assert_eq!(ingest_exit_for(&other), Exit::TryAgain);
    }

    #[test]
    fn the_first_known_error_of_the_chain_decides() {
        let storage = Error::backend(ValidationError::new("x", "y"));
        assert_eq!(exit_for(&storage), Exit::Storage);
        let missing = Failure::file("f", std::io::Error::other("gone"));
        assert_eq!(exit_for(&missing), Exit::Failed);
        assert_eq!(line(&missing), "error: f: gone\n");
        assert_eq!(exit_for(&std::io::Error::other("x")), Exit::Failed);
    }
}
