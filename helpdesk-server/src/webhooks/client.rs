//! One webhook request: a POST over a new connection to the registered host and port only
//! (TLS for `https`, checked against the web PKI roots), HTTP/1.1, within a time limit, the
//! response's body read up to a size limit. No redirect is followed (a 3xx is an answer like
//! any other), no proxy is used, no connection is kept.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

use helpdesk::webhooks::WebhookUrl;

/// The limits of one request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// For the whole exchange: connecting, sending, the response and its body.
    pub timeout: Duration,
    /// The most bytes of the response body read (the rest is never read).
    pub max_body: usize,
}

impl Default for Limits {
    /// 10 seconds, 64 KiB.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            max_body: 64 * 1024,
        }
    }
}

/// What came back: the status and the start of the body (lossy UTF-8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// At most [`Limits::max_body`] bytes of the body.
    pub body: String,
}

/// POSTs `body` to `url` with `headers`; the answer, or why there was none.
pub async fn post(
    url: &WebhookUrl,
    headers: &[(&str, String)],
    body: String,
    limits: Limits,
) -> Result<Answer, String> {
    match tokio::time::timeout(
        limits.timeout,
        exchange(url, headers, body, limits.max_body),
    )
    .await
    {
        Ok(answer) => answer,
        Err(_) => Err(format!(
            "no complete answer within {} s",
            limits.timeout.as_secs()
        )),
    }
}

async fn exchange(
    url: &WebhookUrl,
    headers: &[(&str, String)],
    body: String,
    max_body: usize,
) -> Result<Answer, String> {
    let tcp = TcpStream::connect((url.host(), url.port()))
        .await
        .map_err(|e| format!("connecting to {}: {e}", url.host_header()))?;
    if url.is_https() {
        let tls = tls(url.host(), tcp)
            .await
            .map_err(|e| format!("TLS with {}: {e}", url.host()))?;
        send(tls, url, headers, body, max_body).await
    } else {
        send(tcp, url, headers, body, max_body).await
    }
}

async fn send<S>(
    stream: S,
    url: &WebhookUrl,
    headers: &[(&str, String)],
    body: String,
    max_body: usize,
) -> Result<Answer, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP: {e}"))?;
    // Drives the connection until the exchange ends (dropped with the task's handle).
    let driver = tokio::spawn(connection);
    let mut request = hyper::Request::post(url.target())
        .header(hyper::header::HOST, url.host_header())
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .header(hyper::header::USER_AGENT, "helpdesk-webhooks/1");
    for (name, value) in headers {
        request = request.header(*name, value.as_str());
    }
    let request = request
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| format!("request: {e}"))?;
    let result = async {
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("HTTP: {e}"))?;
        let status = response.status().as_u16();
        let mut incoming = response.into_body();
        let mut read = Vec::new();
        while read.len() < max_body {
            match incoming.frame().await {
                Some(Ok(frame)) => {
                    if let Some(data) = frame.data_ref() {
                        let room = max_body - read.len();
                        read.extend_from_slice(&data[..data.len().min(room)]);
                    }
                }
                // A body cut short still leaves the status: it is the answer.
                Some(Err(_)) | None => break,
            }
        }
        Ok(Answer {
            status,
            body: String::from_utf8_lossy(&read).into_owned(),
        })
    }
    .await;
    driver.abort();
    result
}

/// A TLS session over `tcp` with `host`, its certificate checked against the web PKI roots.
async fn tls(
    host: &str,
    tcp: TcpStream,
) -> std::io::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    let roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(std::io::Error::other)?
            .with_root_certificates(roots)
            .with_no_client_auth();
    let name = ServerName::try_from(host.to_owned())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
}
