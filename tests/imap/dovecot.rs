//! A real IMAP server for tests: Debian's Dovecot (`dovecot-imapd`, installed by `.ci/run`),
//! started on a free loopback port with its own configuration, users and mail under a
//! temporary directory, and stopped when dropped.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use helpdesk::imap::{Connection, ImapCredentials, ImapMailbox, ImapSecurity};
use tempfile::TempDir;

/// The password of every test user.
pub const PASSWORD: &str = "s3cret-pässword";

/// A running Dovecot.
pub struct Dovecot {
    child: Child,
    dir: TempDir,
    conf: String,
    /// Its IMAP port on 127.0.0.1.
    pub port: u16,
}

impl Dovecot {
    /// Starts a Dovecot whose users are `users` (each with [`PASSWORD`]). Without Dovecot
    /// installed the test is skipped, loudly, except in CI (`CI` set), where it fails.
    pub fn start(users: &[&str]) -> Option<Dovecot> {
        let binary = ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]
            .into_iter()
            .find(|b| Path::new(b).exists());
        let Some(binary) = binary else {
            if std::env::var_os("CI").is_some() {
                panic!("Dovecot is not installed (apt-get install dovecot-imapd; .ci/run does)");
            }
            eprintln!("SKIPPED: Dovecot is not installed (apt-get install dovecot-imapd)");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().display().to_string();
        for sub in ["run", "state", "mail", "home"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        let passwd: String = users
            .iter()
            .map(|u| format!("{u}:{{PLAIN}}{PASSWORD}\n"))
            .collect();
        std::fs::write(dir.path().join("passwd"), passwd).unwrap();
        let port = {
            let probe = TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let me = whoami();
        // As root, Dovecot's own unprivileged users (made by the package) run its helpers
        // and own the mail (Dovecot refuses mail owned by root); as anyone else, that user
        // runs everything.
        let (internal, login, (uid, gid)) = if me.0 == 0 {
            let owner = ids_of("dovecot");
            for sub in ["mail", "home"] {
                let path = dir.path().join(sub);
                std::os::unix::fs::chown(&path, Some(owner.0), Some(owner.1)).unwrap();
            }
            let open = std::os::unix::fs::PermissionsExt::from_mode(0o755);
            std::fs::set_permissions(dir.path(), open).unwrap();
            ("dovecot".to_owned(), "dovenull".to_owned(), owner)
        } else {
            (me.2.clone(), me.2, (me.0, me.1))
        };
        let conf = format!(
            r#"protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
default_internal_user = {internal}
default_login_user = {login}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"#
        );
        let conf_path = dir.path().join("dovecot.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let conf = conf_path.display().to_string();
        let child = Command::new(binary)
            .args(["-F", "-c", &conf])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {binary}: {e}"));
        let server = Dovecot {
            child,
            dir,
            conf,
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "Dovecot did not listen on {port}: {}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(server)
    }

    /// Dovecot's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// `user`'s INBOX on this server, as the desk reads it.
    pub fn mailbox(&self, user: &str) -> ImapMailbox {
        ImapMailbox::new(
            "127.0.0.1",
            self.port,
            ImapSecurity::Plain,
            ImapCredentials::new(user, PASSWORD),
        )
    }

    /// A session of `user` (what a mail client, or the mail server delivering, does).
    pub async fn session(&self, user: &str) -> async_imap::Session<Connection> {
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .unwrap();
        let mut client = async_imap::Client::new(Connection::Plain(tcp));
        client.read_response().await.unwrap().unwrap();
        client
            .login(user, PASSWORD)
            .await
            .map_err(|(e, _)| e)
            .unwrap()
    }

    /// Delivers `raw` into `user`'s `folder` (created when missing).
    pub async fn deliver(&self, user: &str, folder: &str, raw: &[u8]) {
        let mut session = self.session(user).await;
        let _ = session.create(folder).await;
        session.append(folder, None, None, raw).await.unwrap();
        session.logout().await.unwrap();
    }

    /// The flags of every message in `user`'s `folder`, by UID.
    pub async fn flags(&self, user: &str, folder: &str) -> Vec<(u32, Vec<String>)> {
        let mut session = self.session(user).await;
        let selected = session.select(folder).await.unwrap();
        let mut out = Vec::new();
        if selected.exists > 0 {
            let fetches: Vec<_> = session
                .fetch("1:*", "(UID FLAGS)")
                .await
                .unwrap()
                .try_collect()
                .await
                .unwrap();
            for f in &fetches {
                let flags = f.flags().map(|flag| format!("{flag:?}")).collect();
                out.push((f.uid.unwrap(), flags));
            }
        }
        session.logout().await.unwrap();
        out.sort();
        out
    }

    /// Clears the given flags of every message in `user`'s `folder` (as if the desk had
    /// stopped after storing the messages and before flagging them).
    pub async fn clear_flags(&self, user: &str, folder: &str, flags: &str) {
        let mut session = self.session(user).await;
        session.select(folder).await.unwrap();
        let _: Vec<_> = session
            .store("1:*", format!("-FLAGS ({flags})"))
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        session.logout().await.unwrap();
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // `stop` ends the master and every process it started; the kill is for a master
        // that did not hear it.
        let _ = Command::new("doveadm")
            .args(["-c", &self.conf, "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What `id FLAG [USER]` prints.
fn id(flag: &str, user: Option<&str>) -> String {
    let out = Command::new("id")
        .arg(flag)
        .args(user)
        .output()
        .expect("running id");
    assert!(out.status.success(), "id {flag} {user:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// This process's user id, group id and user name.
fn whoami() -> (u32, u32, String) {
    (
        id("-u", None).parse().unwrap(),
        id("-g", None).parse().unwrap(),
        id("-un", None),
    )
}

/// The user id and group id of `user`.
fn ids_of(user: &str) -> (u32, u32) {
    (
        id("-u", Some(user)).parse().unwrap(),
        id("-g", Some(user)).parse().unwrap(),
    )
}
