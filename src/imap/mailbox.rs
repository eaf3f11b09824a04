//! Where the desk fetches mail from: one IMAP mailbox (server, login, folder) and what it
//! does with a message once the desk has stored it.

use std::fmt;
use std::str::FromStr;

use super::ImapError;

/// How the connection to the IMAP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImapSecurity {
    /// Implicit TLS (IMAPS, usually port 993), the server's certificate checked against
    /// the bundled web PKI roots.
    Tls,
    /// No encryption (usually port 143): only for a server on the same host or a trusted
    /// network.
    Plain,
}

/// What happens to a message in the mailbox after the desk stored it (or recognised it as a
/// duplicate, a bounce, automatic mail or a refused sender).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AfterTaken {
    /// It stays, flagged `\Seen` and `$HelpdeskTaken` (the default): the next round skips it.
    Flag,
    /// It is moved to this folder (created when missing).
    MoveTo(String),
    /// It is deleted (flagged `\Deleted` and expunged).
    Delete,
}

/// A user name and password for an IMAP login. Its `Debug` output hides both.
#[derive(Clone, PartialEq, Eq)]
pub struct ImapCredentials {
    pub(crate) user: String,
    pub(crate) password: String,
}

impl ImapCredentials {
    /// Credentials of `user` with `password`.
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            user: user.into(),
            password: password.into(),
        }
    }

    /// The user name.
    pub fn user(&self) -> &str {
        &self.user
    }
}

impl fmt::Debug for ImapCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImapCredentials")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// One IMAP mailbox the desk takes mail from.
///
/// Written as a URL (see [`ImapMailbox::from_str`]):
/// `imaps://USER:PASSWORD@HOST[:PORT]/FOLDER?department=NAME&after=flag|delete|move:FOLDER`,
/// with `imap://` for a connection without TLS. User and password are percent-encoded (an
/// `@` in a user name is `%40`); the folder defaults to `INBOX`, the port to 993 (`imaps`)
/// or 143 (`imap`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapMailbox {
    /// The server's host name or address.
    pub host: String,
    /// The server's port.
    pub port: u16,
    /// TLS or not.
    pub security: ImapSecurity,
    /// The login.
    pub credentials: ImapCredentials,
    /// The folder to read (`INBOX`).
    pub folder: String,
    /// What happens to a message once it is stored.
    pub after: AfterTaken,
    /// The department (name or id) new tickets from this mailbox go to; `None` is the
    /// desk's inbound department.
    pub department: Option<String>,
}

impl ImapMailbox {
    /// The mailbox `INBOX` of `user` on `host:port`, messages flagged once taken.
    pub fn new(
        host: impl Into<String>,
        port: u16,
        security: ImapSecurity,
        credentials: ImapCredentials,
    ) -> Self {
        Self {
            host: host.into(),
            port,
            security,
            credentials,
            folder: "INBOX".to_owned(),
            after: AfterTaken::Flag,
            department: None,
        }
    }

    /// Reads `folder` instead of `INBOX`.
    pub fn with_folder(mut self, folder: impl Into<String>) -> Self {
        self.folder = folder.into();
        self
    }

    /// Does `after` with each message once it is stored.
    pub fn with_after(mut self, after: AfterTaken) -> Self {
        self.after = after;
        self
    }

    /// Opens new tickets from this mailbox in `department` (a name or an id).
    pub fn with_department(mut self, department: impl Into<String>) -> Self {
        self.department = Some(department.into());
        self
    }

    /// The mailbox as a URL without its password (for logs and listings).
    pub fn display_url(&self) -> String {
        let scheme = match self.security {
            ImapSecurity::Tls => "imaps",
            ImapSecurity::Plain => "imap",
        };
        format!(
            "{scheme}://{}@{}:{}/{}",
            self.credentials.user, self.host, self.port, self.folder
        )
    }
}

impl FromStr for ImapMailbox {
    type Err = ImapError;

    /// Parses the URL form (see [`ImapMailbox`]).
    fn from_str(s: &str) -> Result<Self, ImapError> {
        let bad = |why: &str| ImapError::Config(format!("{why} (in an IMAP mailbox URL)"));
        let url = url::Url::parse(s.trim()).map_err(|e| bad(&e.to_string()))?;
        let (security, default_port) = match url.scheme() {
            "imaps" => (ImapSecurity::Tls, 993),
            "imap" => (ImapSecurity::Plain, 143),
            other => return Err(bad(&format!("the scheme is {other}, not imaps or imap"))),
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("no host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let decode = |part: &str| {
            percent_encoding::percent_decode_str(part)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| bad("the user or password is not UTF-8 once decoded"))
        };
        let user = decode(url.username())?;
        if user.is_empty() {
            return Err(bad("no user name"));
        }
        let password = decode(url.password().unwrap_or_default())?;
        let folder = decode(url.path().trim_start_matches('/'))?;
        let mut mailbox = ImapMailbox::new(
            host,
            url.port().unwrap_or(default_port),
            security,
            ImapCredentials::new(user, password),
        );
        if !folder.is_empty() {
            mailbox.folder = folder;
        }
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "department" if !value.is_empty() => {
                    mailbox.department = Some(value.into_owned());
                }
                "after" => {
                    mailbox.after = match value.as_ref() {
                        "flag" => AfterTaken::Flag,
                        "delete" => AfterTaken::Delete,
                        v => match v.strip_prefix("move:") {
                            Some(folder) if !folder.is_empty() => {
                                AfterTaken::MoveTo(folder.to_owned())
                            }
                            _ => {
                                return Err(bad(&format!(
                                    "after={v}: use flag, delete or move:FOLDER"
                                )));
                            }
                        },
                    }
                }
                other => return Err(bad(&format!("unknown parameter {other}"))),
            }
        }
        Ok(mailbox)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_gives_server_login_folder_and_what_to_do_after() {
        let m: ImapMailbox =
            "imaps://help%40desk.example:p%40ss:w@mail.example/Support?department=Billing&after=move:Done"
                .parse()
                .unwrap();
        assert_eq!(m.host, "mail.example");
        assert_eq!(m.port, 993);
        assert_eq!(m.security, ImapSecurity::Tls);
        assert_eq!(
            m.credentials,
            ImapCredentials::new("help@desk.example", "p@ss:w")
        );
        assert_eq!(m.folder, "Support");
        assert_eq!(m.department.as_deref(), Some("Billing"));
        assert_eq!(m.after, AfterTaken::MoveTo("Done".to_owned()));
        assert_eq!(
            m.display_url(),
            "imaps://help@desk.example@mail.example:993/Support"
        );
        assert!(!format!("{m:?}").contains("p@ss"));
    }

    #[test]
    fn a_plain_url_defaults_to_port_143_inbox_and_flagging() {
        let m: ImapMailbox = "imap://u:p@127.0.0.1".parse().unwrap();
        assert_eq!((m.port, m.security), (143, ImapSecurity::Plain));
        assert_eq!((m.folder.as_str(), &m.after), ("INBOX", &AfterTaken::Flag));
        assert_eq!(m.department, None);
    }

    #[test]
    fn bad_urls_are_refused_with_the_reason() {
        for (url, why) in [
            ("pop3://u:p@h", "scheme"),
            ("imaps://h", "no user"),
            ("imaps://u:p@h/?after=archive", "after=archive"),
            ("imaps://u:p@h/?colour=red", "unknown parameter colour"),
            ("not a url", "relative URL"),
        ] {
            let err = url.parse::<ImapMailbox>().unwrap_err().to_string();
            assert!(err.contains(why), "{url}: {err}");
        }
    }
}
