//! [`WebhookUrl`]: where a webhook endpoint receives its deliveries.

use serde::{Deserialize, Serialize};

use crate::domain::ValidationError;

/// The longest URL accepted, in bytes.
const MAX_LEN: usize = 2000;

/// The URL of a webhook endpoint: an absolute `http` or `https` URL (the scheme written out)
/// without credentials or fragment, with a host name or an IP address, an optional port, a
/// path and a query. The scheme and host are lower-cased and a default port dropped; the
/// dispatcher connects to this host and port only and follows no redirect.
///
/// ```
/// use helpdesk_core::webhooks::WebhookUrl;
///
/// let url = WebhookUrl::parse("HTTPS://Hooks.Example.com:443/in?team=7").unwrap();
/// assert_eq!(url.as_str(), "https://hooks.example.com/in?team=7");
/// assert_eq!((url.host(), url.port(), url.target()), ("hooks.example.com", 443, "/in?team=7"));
/// assert!(WebhookUrl::parse("hooks.example.com/in").is_err());
/// assert!(WebhookUrl::parse("ftp://hooks.example.com/").is_err());
/// assert!(WebhookUrl::parse("https://user:pw@hooks.example.com/").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WebhookUrl(String);

impl WebhookUrl {
    /// Validates and normalises `raw` (trimmed first).
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] on the field `url` saying what is wrong: empty, too long, not
    /// ASCII, spaces, no scheme or one other than `http`/`https`, credentials, a fragment, a
    /// bad host or port.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let input = raw.trim();
        let invalid = |why: &str| {
            let shown: String = input.chars().take(60).collect();
            ValidationError::new("url", format!("{shown:?} is not a webhook URL: {why}"))
        };
        if input.is_empty() {
            return Err(ValidationError::new("url", "must not be empty"));
        }
        if input.len() > MAX_LEN {
            return Err(invalid(&format!("longer than {MAX_LEN} bytes")));
        }
        if !input.is_ascii() {
            return Err(invalid(
                "it must be ASCII (write the host in its xn-- form, percent-encode the path)",
            ));
        }
        if (input.bytes()).any(|b| b.is_ascii_whitespace() || b.is_ascii_control()) {
            return Err(invalid("it has spaces or control characters"));
        }
        if input.contains('#') {
            return Err(invalid("it has a fragment (#…)"));
        }
        let Some((scheme, rest)) = input.split_once("://") else {
            return Err(invalid("it needs its scheme, http:// or https://"));
        };
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => 443,
            "http" => 80,
            _ => return Err(invalid("the scheme must be http or https")),
        };
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, target) = rest.split_at(end);
        if authority.contains('@') {
            return Err(invalid("it has credentials (user@host)"));
        }
        let (host, port) = crate::domain::host_and_port(authority).map_err(invalid)?;
        let port = match port {
            Some(p) if p != default_port => format!(":{p}"),
            _ => String::new(),
        };
        let target = match target {
            "" => "/".to_owned(),
            t if t.starts_with('?') => format!("/{t}"),
            t => t.to_owned(),
        };
        Ok(Self(format!("{scheme}://{host}{port}{target}")))
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it is `https`.
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    fn after_scheme(&self) -> &str {
        self.0.split_once("://").map_or("", |(_, rest)| rest)
    }

    fn authority(&self) -> &str {
        let rest = self.after_scheme();
        &rest[..rest.find('/').unwrap_or(rest.len())]
    }

    /// The host: a lower-cased name, an IPv4 address, or an IPv6 address without brackets.
    pub fn host(&self) -> &str {
        let authority = self.authority();
        if let Some(inner) = authority.strip_prefix('[') {
            return inner.split(']').next().unwrap_or("");
        }
        authority.split(':').next().unwrap_or("")
    }

    /// The port: the one written, else 443 for `https` and 80 for `http`.
    pub fn port(&self) -> u16 {
        let authority = self.authority();
        let after_host = match authority.rfind(']') {
            Some(i) => &authority[i + 1..],
            None => authority,
        };
        match after_host.rsplit_once(':') {
            Some((_, digits)) => digits.parse().unwrap_or(0),
            None if self.is_https() => 443,
            None => 80,
        }
    }

    /// The host and port as a `Host` header carries them (the port only when written).
    pub fn host_header(&self) -> &str {
        self.authority()
    }

    /// The path and query, the request target of an HTTP/1.1 request (starts with `/`).
    pub fn target(&self) -> &str {
        let rest = self.after_scheme();
        &rest[rest.find('/').unwrap_or(rest.len())..]
    }
}

impl TryFrom<String> for WebhookUrl {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<WebhookUrl> for String {
    fn from(url: WebhookUrl) -> Self {
        url.0
    }
}

impl std::fmt::Display for WebhookUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_host_and_a_port_are_kept_apart() {
        let url = WebhookUrl::parse("http://[::1]:8081?x=1").unwrap();
        assert_eq!(url.as_str(), "http://[::1]:8081/?x=1");
        assert_eq!((url.host(), url.port()), ("::1", 8081));
        assert_eq!(url.host_header(), "[::1]:8081");
        assert_eq!(url.target(), "/?x=1");
    }

    #[test]
    fn refusals_name_the_url_field() {
        for bad in [
            "",
            "https://",
            "https://a b/",
            "https://h/#x",
            "https://h:0/",
            "gopher://h/",
        ] {
            let e = WebhookUrl::parse(bad).unwrap_err();
            assert_eq!(e.field(), "url", "{bad}");
        }
    }
}
