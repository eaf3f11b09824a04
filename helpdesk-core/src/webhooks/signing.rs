//! Signing deliveries, in the style of Stripe and GitHub: a `Helpdesk-Signature` header of
//! `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (see docs/webhooks.md).

use hmac::{KeyInit, Mac};

use super::WebhookSecret;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "Helpdesk-Signature";
/// The header carrying the delivery's id (the same on every attempt: deduplicate by it).
pub const DELIVERY_HEADER: &str = "Helpdesk-Delivery";
/// The header carrying the event kind.
pub const EVENT_HEADER: &str = "Helpdesk-Event";

type HmacSha256 = hmac::Hmac<sha2_11::Sha256>;

fn mac(secret: &WebhookSecret, timestamp: i64, body: &[u8]) -> HmacSha256 {
    // HMAC takes a key of any length.
    let mut mac = HmacSha256::new_from_slice(secret.expose().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The value of the [`SIGNATURE_HEADER`] for `body` sent at `timestamp` (Unix seconds).
///
/// ```
/// use helpdesk_core::webhooks::{WebhookSecret, sign, verify};
/// let secret = WebhookSecret::generate();
/// let header = sign(&secret, 1_700_000_000, br#"{"event":"ping"}"#);
/// assert!(header.starts_with("t=1700000000,v1="));
/// assert!(verify(&secret, &header, br#"{"event":"ping"}"#, 1_700_000_100, 300).is_ok());
/// ```
pub fn sign(secret: &WebhookSecret, timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The header is not `t=…,v1=…`.
    #[error("the signature header is malformed")]
    Malformed,
    /// The timestamp is further from now than the tolerance.
    #[error("the signature's timestamp is too old or in the future")]
    Stale,
    /// No `v1` signature matches the body.
    #[error("the signature does not match the body")]
    Mismatch,
}

/// Checks a [`SIGNATURE_HEADER`] value against `body` as a receiver would: its timestamp
/// within `tolerance_seconds` of `now` (Unix seconds), and one of its `v1` signatures the
/// HMAC of the body (compared in constant time).
///
/// # Errors
///
/// A [`SignatureError`] saying why not.
pub fn verify(
    secret: &WebhookSecret,
    header: &str,
    body: &[u8],
    now: i64,
    tolerance_seconds: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", hex)) => signatures.push(hex),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - timestamp).abs() > tolerance_seconds {
        return Err(SignatureError::Stale);
    }
    for hex in signatures {
        if let Some(bytes) = from_hex(hex)
            && mac(secret, timestamp, body).verify_slice(&bytes).is_ok()
        {
            return Ok(());
        }
    }
    Err(SignatureError::Mismatch)
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> WebhookSecret {
        WebhookSecret::parse(&format!("whsec_{}", "ab".repeat(32))).unwrap()
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Computed independently: printf '1700000000.{}' | openssl dgst -sha256 -hmac whsec_abab…
        let header = sign(&secret(), 1_700_000_000, b"{}");
        assert_eq!(
            header,
            "t=1700000000,v1=b92e2f8ad8c0846d4cf9c719c9dfa0fa0dcff77f004615fb3f922c6ffe96915b"
        );
    }

    #[test]
    fn a_changed_body_or_secret_or_old_timestamp_is_refused() {
        let s = secret();
        let header = sign(&s, 1_000, b"body");
        assert_eq!(verify(&s, &header, b"body", 1_100, 300), Ok(()));
        assert_eq!(
            verify(&s, &header, b"bodY", 1_100, 300),
            Err(SignatureError::Mismatch)
        );
        let other = WebhookSecret::generate();
        assert_eq!(
            verify(&other, &header, b"body", 1_100, 300),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&s, &header, b"body", 2_000, 300),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(&s, "v1=00", b"body", 1_000, 300),
            Err(SignatureError::Malformed)
        );
    }
}
