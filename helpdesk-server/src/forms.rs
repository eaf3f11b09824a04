//! HTML form bodies (`application/x-www-form-urlencoded`) read strictly: a field whose
//! percent-decoded bytes are not UTF-8 is a 400, never silently replaced with U+FFFD.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;

use crate::error::ApiError;

/// A form's fields, every one valid UTF-8.
#[derive(Debug, Clone, Default)]
pub struct StrictForm(pub HashMap<String, String>);

impl StrictForm {
    /// Parses a form body; the first field that is not UTF-8 after decoding is the error.
    pub fn parse(body: &[u8]) -> Result<Self, ApiError> {
        let mut fields = HashMap::new();
        for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let mut halves = pair.splitn(2, |b| *b == b'=');
            let key = decode(halves.next().unwrap_or_default())?;
            let value = decode(halves.next().unwrap_or_default())?;
            fields.insert(key, value);
        }
        Ok(Self(fields))
    }
}

/// One percent-encoded part of a form, `+` meaning a space.
fn decode(part: &[u8]) -> Result<String, ApiError> {
    let spaced: Vec<u8> = part
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    percent_encoding::percent_decode(&spaced)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| ApiError::bad_request("a form field is not valid UTF-8"))
}

impl<S: Send + Sync> FromRequest<S> for StrictForm {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_form = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(ApiError::bad_request(
                "expected an application/x-www-form-urlencoded body",
            ));
        }
        let body = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(e.status(), "too_large", e.body_text())
            } else {
                ApiError::bad_request(e.body_text())
            }
        })?;
        Self::parse(&body)
    }
}

#[cfg(test)]
mod tests {
    use super::StrictForm;

    #[test]
    fn fields_are_decoded_and_bad_utf8_is_refused() {
        let form = StrictForm::parse(b"login=ana%40example.ro&note=a+b%2Bc&empty=").unwrap();
        assert_eq!(form.0["login"], "ana@example.ro");
        assert_eq!(form.0["note"], "a b+c");
        assert_eq!(form.0["empty"], "");
        assert!(StrictForm::parse(b"login=%FF%FE").is_err());
        assert!(
            StrictForm::parse("name=%D0%98%D0%B2%D0%B0%D0%BD".as_bytes())
                .unwrap()
                .0["name"]
                == "Иван"
        );
    }
}
