//! Which language a page is in: the signed-in customer's profile language; else the switch
//! (`?lang=` on any page, kept in the `hd_lang` cookie, and for a customer stored as their
//! profile language); else the browser's `Accept-Language` (by its q-values); else English.
//!
//! Every page request runs inside [`middleware`], which knows the request's language before a
//! handler runs (for signed-out pages and error pages) and sets the cookie when `?lang=` is
//! given; [`PageUser`](crate::extract::PageUser) refines it with the person's profile.

use std::cell::Cell;

use axum::extract::Request;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use helpdesk::domain::Language;
use maud::{Markup, html};

use crate::session::cookie;

/// The cookie that keeps the language chosen with the switch.
pub const LANG_COOKIE: &str = "hd_lang";

tokio::task_local! {
    /// The language of the page being answered.
    static CURRENT: Cell<Language>;
    /// The time zone of the page being answered (the signed-in person's, else UTC).
    static ZONE: Cell<chrono_tz::Tz>;
}

/// The time zone of the page being answered: the signed-in person's, else UTC.
pub fn zone() -> chrono_tz::Tz {
    ZONE.try_with(Cell::get).unwrap_or(chrono_tz::UTC)
}

/// Makes `zone` the time zone of the page being answered (the signed-in person's).
pub fn set_zone(zone: chrono_tz::Tz) {
    let _ = ZONE.try_with(|c| c.set(zone));
}

/// The language of the page being answered (English outside a page request).
pub fn current() -> Language {
    CURRENT.try_with(Cell::get).unwrap_or(Language::English)
}

/// Makes `lang` the language of the page being answered (the signed-in person's).
pub fn set_current(lang: Language) {
    let _ = CURRENT.try_with(|c| c.set(lang));
}

/// The language `?lang=` names in a query string, if one of the four.
pub fn switched(query: Option<&str>) -> Option<Language> {
    query?
        .split('&')
        .filter_map(|pair| pair.strip_prefix("lang="))
        .find_map(|code| code.parse::<Language>().ok())
}

/// The language the switch's cookie keeps.
pub fn kept(headers: &HeaderMap) -> Option<Language> {
    cookie(headers, LANG_COOKIE)?.parse().ok()
}

/// The first of the four languages the browser's `Accept-Language` asks for, by q-value.
pub fn accepted(headers: &HeaderMap) -> Option<Language> {
    let raw = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)?
        .to_str()
        .ok()?;
    accept_language::parse(raw)
        .iter()
        .find_map(|tag| tag.parse::<Language>().ok())
}

/// The language of a request before anyone is known: the switch, its cookie, the browser's.
pub fn of_request(query: Option<&str>, headers: &HeaderMap) -> Language {
    switched(query)
        .or_else(|| kept(headers))
        .or_else(|| accepted(headers))
        .unwrap_or(Language::English)
}

/// Runs a page request in its language, and keeps a `?lang=` switch in the cookie.
pub async fn middleware(request: Request, next: Next) -> Response {
    let switch = switched(request.uri().query());
    let lang = of_request(request.uri().query(), request.headers());
    let answer = ZONE.scope(Cell::new(chrono_tz::UTC), next.run(request));
    let mut response = CURRENT.scope(Cell::new(lang), answer).await;
    if let Some(chosen) = switch {
        let value = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            chosen.code()
        );
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// The language switch of every page: a link per language, the current one marked, each
/// written in its own language (isolated, so Persian keeps its direction).
pub fn switch(lang: Language) -> Markup {
    html! {
        nav.lang-switch aria-label=(super::words::t(lang, "language")) {
            @for other in Language::ALL {
                a href={ "?lang=" (other.code()) } hreflang=(other.code()) lang=(other.code())
                    aria-current=[(other == lang).then_some("true")] {
                    bdi { (super::words::t(other, "language_name")) }
                }
                " "
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(accept).unwrap(),
        );
        h
    }

    /// Accept-Language is read by q-value, regions ignored, unknown languages skipped.
    #[test]
    fn accept_language_is_read_by_quality() {
        assert_eq!(
            accepted(&headers("de-DE, fa;q=0.5, ro-RO;q=0.9")),
            Some(Language::Romanian)
        );
        assert_eq!(accepted(&headers("ru")), Some(Language::Russian));
        assert_eq!(accepted(&headers("de, fr;q=0.8")), None);
    }

    /// `?lang=` wins over the cookie, which wins over the browser.
    #[test]
    fn the_switch_wins_over_the_cookie_and_the_browser() {
        let mut h = headers("ru");
        assert_eq!(of_request(None, &h), Language::Russian);
        h.insert(
            axum::http::header::COOKIE,
            HeaderValue::from_static("hd_lang=ro"),
        );
        assert_eq!(of_request(Some("q=x"), &h), Language::Romanian);
        assert_eq!(of_request(Some("q=x&lang=fa"), &h), Language::Persian);
        assert_eq!(of_request(Some("lang=xx"), &h), Language::Romanian);
    }
}
