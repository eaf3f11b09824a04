//! Files in and out: multipart bodies read into form fields and uploads (fields that are not
//! UTF-8 are a 400), and downloads that are never rendered in the site's origin.

use std::collections::HashMap;

use axum::extract::{Multipart, Request};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use helpdesk::service::Upload;

use crate::error::{ApiError, ApiResult};

/// Form fields and files of a multipart body.
pub async fn read_multipart(
    multipart: Multipart,
) -> ApiResult<(HashMap<String, String>, Vec<Upload>)> {
    match read_multipart_kept(multipart).await {
        (fields, uploads, None) => Ok((fields, uploads)),
        (_, _, Some(error)) => Err(error),
    }
}

/// Form fields and files of a multipart body, and the error that stopped the reading (a
/// body over the size limit): the fields read before it are kept, for a form to show again.
pub async fn read_multipart_kept(
    mut multipart: Multipart,
) -> (HashMap<String, String>, Vec<Upload>, Option<ApiError>) {
    let mut fields = HashMap::new();
    let mut uploads = Vec::new();
    let error = loop {
        match next_part(&mut multipart, &mut fields, &mut uploads).await {
            Ok(true) => {}
            Ok(false) => break None,
            Err(e) => break Some(e),
        }
    };
    (fields, uploads, error)
}

/// Reads the next part into `fields` or `uploads`; `false` after the last.
async fn next_part(
    multipart: &mut Multipart,
    fields: &mut HashMap<String, String>,
    uploads: &mut Vec<Upload>,
) -> ApiResult<bool> {
    let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(e.status(), e.body_text()))?
    else {
        return Ok(false);
    };
    let name = field.name().unwrap_or_default().to_owned();
    match field.file_name().map(str::to_owned) {
        Some(file_name) => {
            let content_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| multipart_error(e.status(), e.body_text()))?;
            // A browser sends an empty file part when no file was chosen.
            if !(file_name.is_empty() && bytes.is_empty()) {
                uploads.push(Upload::new(file_name, content_type, bytes.to_vec()));
            }
        }
        None => {
            let bytes = field
                .bytes()
                .await
                .map_err(|e| multipart_error(e.status(), e.body_text()))?;
            let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                ApiError::bad_request(format!("the field `{name}` is not valid UTF-8"))
            })?;
            fields.insert(name, text);
        }
    }
    Ok(true)
}

fn multipart_error(status: StatusCode, text: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(status, "too_large", text)
    } else {
        ApiError::bad_request(text)
    }
}

/// Whether the request's body is `multipart/form-data`.
pub fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// A download: the bytes as an attachment, never rendered in the site's origin.
pub fn file_response(content_type: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename*=UTF-8''{encoded}");
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    response
}
