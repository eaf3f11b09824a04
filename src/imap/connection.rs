//! The byte stream under an IMAP session: a TCP connection, with or without TLS (rustls,
//! the ring provider and the bundled web PKI roots, as for SMTP).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_imap::{Client, Session};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

use super::{ImapError, ImapMailbox, ImapSecurity};

/// How long connecting (TCP, TLS and the greeting) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// A connection to an IMAP server.
#[derive(Debug)]
pub enum Connection {
    /// Without TLS.
    Plain(TcpStream),
    /// Over TLS.
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s).poll_flush(cx),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Connects to the mailbox's server, reads its greeting and logs in.
pub(crate) async fn log_in(mailbox: &ImapMailbox) -> Result<Session<Connection>, ImapError> {
    let server = format!("{}:{}", mailbox.host, mailbox.port);
    let connect = async {
        let tcp = TcpStream::connect((mailbox.host.as_str(), mailbox.port))
            .await
            .map_err(|source| ImapError::Connect {
                server: server.clone(),
                source,
            })?;
        let stream = match mailbox.security {
            ImapSecurity::Plain => Connection::Plain(tcp),
            ImapSecurity::Tls => Connection::Tls(Box::new(tls(&mailbox.host, tcp).await.map_err(
                |source| ImapError::Tls {
                    server: server.clone(),
                    source,
                },
            )?)),
        };
        let mut client = Client::new(stream);
        match client.read_response().await {
            Ok(Some(_greeting)) => Ok(client),
            Ok(None) => Err(ImapError::Connect {
                server: server.clone(),
                source: io::Error::new(io::ErrorKind::UnexpectedEof, "closed before its greeting"),
            }),
            Err(source) => Err(ImapError::Connect {
                server: server.clone(),
                source,
            }),
        }
    };
    let client = tokio::time::timeout(CONNECT_TIMEOUT, connect)
        .await
        .map_err(|_| ImapError::Connect {
            server: server.clone(),
            source: io::Error::new(io::ErrorKind::TimedOut, "no greeting within 30 s"),
        })??;
    let credentials = &mailbox.credentials;
    client
        .login(&credentials.user, &credentials.password)
        .await
        .map_err(|(source, _)| ImapError::Login {
            server,
            user: credentials.user.clone(),
            source,
        })
}

/// A TLS session over `tcp` with `host`, its certificate checked against the web PKI roots.
async fn tls(host: &str, tcp: TcpStream) -> io::Result<TlsStream<TcpStream>> {
    let roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(io::Error::other)?
            .with_root_certificates(roots)
            .with_no_client_auth();
    let name = ServerName::try_from(host.to_owned())
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
}
