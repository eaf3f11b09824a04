//! [`PublicUrl`]: the address people reach the desk at. Every link the desk sends (the
//! `{{ticket_link}}` of canned responses, the link in customers' e-mail) is built from it,
//! never from what a request says about itself (its `Host` header).

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use super::{TicketNumber, ValidationError};

/// The longest public URL accepted, in bytes.
const MAX_LEN: usize = 2000;

/// The desk's public base URL: an absolute `http` or `https` URL without credentials, query
/// or fragment, normalised (lower-case scheme and host, no default port, a trailing slash).
/// A URL typed without a scheme gets `https`; `http` is kept only when written out (a local
/// demo, say).
///
/// ```
/// use helpdesk_core::domain::{PublicUrl, TicketNumber};
///
/// let url = PublicUrl::parse("Desk.Example.com/support").unwrap();
/// assert_eq!(url.as_str(), "https://desk.example.com/support/");
/// let demo = PublicUrl::parse("http://127.0.0.1:8080").unwrap();
/// assert_eq!(demo.as_str(), "http://127.0.0.1:8080/");
/// let number = TicketNumber::new("2026120510000005", "10000005").unwrap();
/// assert_eq!(url.ticket_link(&number), "https://desk.example.com/support/tickets/10000005");
/// assert!(PublicUrl::parse("https://desk.example.com/?from=mail").is_err());
/// assert!(PublicUrl::parse("ftp://desk.example.com/").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PublicUrl(String);

impl PublicUrl {
    /// Validates and normalises `raw` (trimmed first).
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] on the field `public_url` saying what is wrong: empty, too long,
    /// not ASCII, spaces, a scheme other than `http` or `https`, credentials, a query or a
    /// fragment, a bad host or port, or a path with characters a URL cannot hold unencoded,
    /// empty segments or `.`/`..` segments.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let input = raw.trim();
        let invalid = |why: &str| {
            let shown: String = input.chars().take(60).collect();
            ValidationError::new(
                "public_url",
                format!("{shown:?} is not a public URL: {why}"),
            )
        };
        if input.is_empty() {
            return Err(ValidationError::new("public_url", "must not be empty"));
        }
        if input.len() > MAX_LEN {
            return Err(invalid(&format!("longer than {MAX_LEN} bytes")));
        }
        if !input.is_ascii() {
            return Err(invalid(
                "it must be ASCII (write the host in its xn-- form, percent-encode the path)",
            ));
        }
        if input
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        {
            return Err(invalid("it has spaces or control characters"));
        }
        if input.contains('?') {
            return Err(invalid("it has a query (?…)"));
        }
        if input.contains('#') {
            return Err(invalid("it has a fragment (#…)"));
        }
        let (scheme, rest) = match input.split_once("://") {
            Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
            None => ("https".to_owned(), input),
        };
        let default_port = match scheme.as_str() {
            "https" => 443,
            "http" => 80,
            _ => return Err(invalid("the scheme must be http or https")),
        };
        let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        if authority.contains('@') {
            return Err(invalid("it has credentials (user@host)"));
        }
        let (host, port) = host_and_port(authority).map_err(invalid)?;
        let path = path_of(path).map_err(invalid)?;
        let port = match port {
            Some(p) if p != default_port => format!(":{p}"),
            _ => String::new(),
        };
        Ok(Self(format!("{scheme}://{host}{port}{path}")))
    }

    /// The URL, ending with `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it is `https`.
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    /// The link to a ticket's page: this URL, `tickets/`, and the ticket's short number (the
    /// one customers are told).
    pub fn ticket_link(&self, number: &TicketNumber) -> String {
        format!("{}tickets/{}", self.0, number.short())
    }

    /// The link of a one-time invitation or password-reset secret: this URL,
    /// `setup-password?token=`, and the secret (hex, so nothing to encode).
    ///
    /// ```
    /// use helpdesk_core::domain::PublicUrl;
    /// let url = PublicUrl::parse("https://desk.example.com/support").unwrap();
    /// assert_eq!(
    ///     url.setup_password_link("00ff"),
    ///     "https://desk.example.com/support/setup-password?token=00ff"
    /// );
    /// ```
    pub fn setup_password_link(&self, secret: &str) -> String {
        format!("{}setup-password?token={secret}", self.0)
    }
}

/// The lower-cased host (an IPv6 address in brackets, in its canonical form) and the port.
pub(crate) fn host_and_port(authority: &str) -> Result<(String, Option<u16>), &'static str> {
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let (address, after) = inner.split_once(']').ok_or("an IPv6 host needs its ]")?;
        let address: Ipv6Addr = address.parse().map_err(|_| "not an IPv6 address")?;
        (format!("[{address}]"), after)
    } else {
        let end = authority.find(':').unwrap_or(authority.len());
        let (host, after) = authority.split_at(end);
        (name_or_ipv4(host)?, after)
    };
    let port = match port.strip_prefix(':') {
        None if port.is_empty() => None,
        None => return Err("the host is followed by something other than a port"),
        Some(digits) => {
            let ok = (1..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
            match digits.parse::<u16>() {
                Ok(p) if ok && p > 0 => Some(p),
                _ => return Err("the port must be a number from 1 to 65535"),
            }
        }
    };
    Ok((host, port))
}

/// A host name (labels of letters, digits and `-`, lower-cased) or a dotted IPv4 address.
fn name_or_ipv4(host: &str) -> Result<String, &'static str> {
    if host.is_empty() {
        return Err("it has no host");
    }
    if host.len() > 253 {
        return Err("the host is longer than 253 characters");
    }
    let labels: Vec<&str> = host.split('.').collect();
    let last_is_number = labels
        .last()
        .is_some_and(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()));
    if last_is_number {
        // What browsers read as an IPv4 address must be one, written out in full.
        let address: Ipv4Addr = host.parse().map_err(|_| "not an IPv4 address")?;
        return Ok(address.to_string());
    }
    for label in labels {
        let ok = (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return Err("the host must be names of letters, digits and - between dots");
        }
    }
    Ok(host.to_ascii_lowercase())
}

/// The path with a trailing `/`: segments of the characters a URL path holds unencoded
/// (and `%` with two hex digits), none empty, none `.` or `..`.
fn path_of(path: &str) -> Result<String, &'static str> {
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    let mut out = String::with_capacity(path.len() + 1);
    for segment in trimmed.split('/').skip(1) {
        if segment.is_empty() {
            return Err("the path has an empty segment (//)");
        }
        if segment == "." || segment == ".." {
            return Err("the path has a . or .. segment");
        }
        let bytes = segment.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'%' {
                let hex = bytes.get(i + 1..i + 3);
                if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                    return Err("a % in the path must be followed by two hex digits");
                }
                i += 3;
                continue;
            }
            if !(b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b)) {
                return Err("the path has a character that must be percent-encoded");
            }
            i += 1;
        }
        out.push('/');
        out.push_str(segment);
    }
    out.push('/');
    Ok(out)
}

impl std::str::FromStr for PublicUrl {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for PublicUrl {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PublicUrl> for String {
    fn from(url: PublicUrl) -> String {
        url.0
    }
}

impl std::fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn typed_urls_are_normalised() {
        let cases = [
            ("desk.example.com", "https://desk.example.com/"),
            (
                "  HTTPS://Desk.Example.COM:443  ",
                "https://desk.example.com/",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080/"),
            ("http://localhost:80/", "http://localhost/"),
            ("localhost:8443/help", "https://localhost:8443/help/"),
            ("https://[::1]:8080/a/", "https://[::1]:8080/a/"),
            ("https://[0:0:0:0:0:0:0:1]", "https://[::1]/"),
            (
                "https://desk.example/%D0%BF/x~y",
                "https://desk.example/%D0%BF/x~y/",
            ),
        ];
        for (typed, want) in cases {
            assert_eq!(PublicUrl::parse(typed).unwrap().as_str(), want, "{typed}");
        }
    }

    #[test]
    fn what_is_not_a_plain_base_url_is_refused() {
        for bad in [
            "",
            "   ",
            "ftp://desk.example/",
            "javascript:alert(1)",
            "https://user:pw@desk.example/",
            "https://desk.example/?q=1",
            "https://desk.example/#top",
            "https://desk.example/a b",
            "https://desk.example/a\\b",
            "https://desk.example//a",
            "https://desk.example/../a",
            "https://desk.example/%zz",
            "https://desk.example:0/",
            "https://desk.example:65536/",
            "https://desk.example:/",
            "https://-desk.example/",
            "https://desk..example/",
            "https://256.1.1.1/",
            "https://1.2.3/",
            "https://[::1/",
            "https://[zz::1]/",
            "https://деск.example/",
            "https:///path",
            "//desk.example/",
        ] {
            let e = PublicUrl::parse(bad).unwrap_err();
            assert_eq!(e.field(), "public_url", "{bad:?}");
        }
    }

    fn label() -> impl Strategy<Value = String> {
        "[a-zA-Z]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?"
    }

    fn segment() -> impl Strategy<Value = String> {
        "([a-zA-Z0-9._~!$&'()*+,;=:@-]|%[0-9a-fA-F]{2}){1,8}"
            .prop_filter("not a dot segment", |s| s != "." && s != "..")
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_what_it_accepts_is_normal(s in "\\PC{0,60}") {
            if let Ok(url) = PublicUrl::parse(&s) {
                let text = url.as_str();
                prop_assert!(text.starts_with("https://") || text.starts_with("http://"));
                prop_assert!(text.ends_with('/'));
                prop_assert!(!text.contains(['?', '#', ' ', '\\']));
                let authority = text.split('/').nth(2).unwrap();
                prop_assert!(!authority.contains('@'));
                prop_assert_eq!(&PublicUrl::parse(text).unwrap(), &url);
            }
        }

        #[test]
        fn any_scheme_host_port_and_path_round_trip(
            scheme in prop_oneof![Just(""), Just("http://"), Just("https://"), Just("HTTPS://")],
            labels in prop::collection::vec(label(), 1..4),
            port in prop::option::of(1u16..),
            segments in prop::collection::vec(segment(), 0..4),
            slash in any::<bool>(),
        ) {
            let host = labels.join(".");
            let port_text = port.map(|p| format!(":{p}")).unwrap_or_default();
            let mut path: String = segments.iter().map(|s| format!("/{s}")).collect();
            if slash {
                path.push('/');
            }
            let typed = format!("{scheme}{host}{port_text}{path}");
            let url = PublicUrl::parse(&typed).unwrap();
            let want_scheme = if scheme.eq_ignore_ascii_case("http://") { "http" } else { "https" };
            let default = if want_scheme == "http" { 80 } else { 443 };
            let want_port = port.filter(|&p| p != default).map(|p| format!(":{p}")).unwrap_or_default();
            let want_path: String = segments.iter().map(|s| format!("/{s}")).collect();
            prop_assert_eq!(
                url.as_str(),
                format!("{want_scheme}://{}{want_port}{want_path}/", host.to_ascii_lowercase())
            );
            prop_assert_eq!(url.is_https(), want_scheme == "https");
        }

        #[test]
        fn credentials_queries_and_fragments_are_always_refused(
            host in label(),
            extra in prop_oneof![
                Just("u@"), Just("u:p@"),
            ],
            tail in prop_oneof![Just("/?a=1"), Just("/#x"), Just("/p?"), Just("#")],
        ) {
            let with_credentials = format!("https://{extra}{host}/");
            let with_tail = format!("https://{host}{tail}");
            prop_assert!(PublicUrl::parse(&with_credentials).is_err());
            prop_assert!(PublicUrl::parse(&with_tail).is_err());
        }
    }
}
