//! People's own settings (issue 21): the time zone and page language of agents and
//! customers, through `/api/v1/me/settings` and the `/settings` page; every date and time
//! on the pages in the reader's zone, named; staff's language switch stored and honoured
//! before the browser's.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::support::*;

/// The routes these tests call, each with a success and an error.
pub(crate) const PERSON_SETTINGS_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/me/settings"),
    ("put", "/api/v1/me/settings"),
];

const MINE: &str = "/api/v1/me/settings";

#[tokio::test]
async fn people_read_and_change_their_own_time_zone_and_language_through_the_api() {
    let fx = fixture().await;
    let none = fx.get(MINE, &fx.ivan).await.expect(StatusCode::OK).json();
    assert_eq!(none, json!({"time_zone": null, "language": null}));
    let set = fx
        .call(
            "PUT",
            MINE,
            Some(&fx.ivan),
            Some(json!({"time_zone": "Asia/Tehran", "language": "fa"})),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(set, json!({"time_zone": "Asia/Tehran", "language": "fa"}));
    for bad in [
        json!({"time_zone": "Mars/Olympus"}),
        json!({"language": "xx"}),
        json!({"colour": "red"}),
    ] {
        let refused = fx
            .call("PUT", MINE, Some(&fx.ivan), Some(bad.clone()))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::BAD_REQUEST,
            "{bad}: {}",
            refused.text()
        );
    }
    assert_eq!(fx.get(MINE, &fx.ivan).await.json(), set);

    // A customer's language is their profile's; nobody else's settings change.
    let ana = fx.get(MINE, &fx.ana).await.expect(StatusCode::OK).json();
    assert_eq!(ana, json!({"time_zone": null, "language": "ro"}));
    let hers = fx
        .call(
            "PUT",
            MINE,
            Some(&fx.ana),
            Some(json!({"time_zone": "Europe/Bucharest"})),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        hers,
        json!({"time_zone": "Europe/Bucharest", "language": "ro"})
    );
    assert_eq!(fx.get(MINE, &fx.ivan).await.json(), set);
    let unsigned = fx.call("GET", MINE, None, None).await;
    assert_error(&unsigned, StatusCode::UNAUTHORIZED, "unauthorized");
}

/// `<main>` of a page with the time zones' options cut to the chosen one and the times
/// replaced (they move with the clock).
fn settings_main(html: &str) -> String {
    let start = html.find("<main>").expect("a main");
    let end = html.find("</main>").expect("a main's end") + "</main>".len();
    let mut main = html[start..end].to_owned();
    while let Some(at) = main.find("<time") {
        let close = at + main[at..].find("</time>").unwrap() + "</time>".len();
        main.replace_range(at..close, "[time]");
    }
    if let Some((head, tail)) = main.split_once("name=\"csrf\" value=\"") {
        let tail = tail.split_once('"').map_or("", |(_, rest)| rest);
        main = format!("{head}name=\"csrf\" value=\"[csrf]\"{tail}");
    }
    let mut kept = String::new();
    let mut rest = main.as_str();
    while let Some(at) = rest.find("<option") {
        kept.push_str(&rest[..at]);
        let close = at + rest[at..].find("</option>").unwrap() + "</option>".len();
        let option = &rest[at..close];
        if option.contains("selected") || option.contains("lang=") {
            kept.push_str(option);
        }
        rest = &rest[close..];
    }
    kept.push_str(rest);
    kept
}

#[tokio::test]
async fn the_settings_page_keeps_the_zone_and_dates_are_shown_in_it_named() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Routerul nu pornește").await;
    let id = ticket["id"].as_str().unwrap().to_owned();
    let ana = page_login(&fx, "ana@example.ro").await;
    let before = page(&fx, &ana, "/settings")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        before.contains("data-browser-default"),
        "none chosen: the browser's offered"
    );
    assert!(
        before.contains("href=\"/settings\""),
        "the menu links the page"
    );
    insta::assert_snapshot!("settings_page_ro", settings_main(&before));

    let saved = form(
        &fx,
        &ana,
        "/settings",
        "time_zone=Europe%2FBucharest&language=ro",
    )
    .await;
    assert!(saved.status.is_redirection(), "{}", saved.status);
    let ticket_page = page(&fx, &ana, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        ticket_page.contains("Europe/Bucharest</time>"),
        "{ticket_page}"
    );
    assert!(!ticket_page.contains(" UTC</time>"), "{ticket_page}");
    let portal = page(&fx, &ana, "/portal")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(portal.contains("Europe/Bucharest</time>"), "{portal}");

    // An unknown zone is refused on the form, in her language; nothing changes.
    let refused = form(
        &fx,
        &ana,
        "/settings",
        "time_zone=Mars%2FOlympus&language=ro",
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let refused = refused.text();
    assert!(refused.contains("id=\"form-error\""), "{refused}");
    insta::assert_snapshot!("settings_refused_ro", settings_main(&refused));
    let now = fx.get(MINE, &fx.ana).await.json();
    assert_eq!(now["time_zone"], "Europe/Bucharest");

    // A Persian reader in Tehran: Solar Hijri dates in Persian digits, the zone named.
    fx.call(
        "PUT",
        MINE,
        Some(&fx.ana),
        Some(json!({"time_zone": "Asia/Tehran", "language": "fa"})),
    )
    .await
    .expect(StatusCode::OK);
    let persian = page(&fx, &ana, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(persian.contains("dir=\"rtl\""), "{persian}");
    assert!(
        persian.contains("\u{2068}Asia/Tehran\u{2069}</time>"),
        "{persian}"
    );
    assert!(persian.contains("<bdi dir=\"rtl\"><time"), "{persian}");
}

/// A browser request of `uri` with `session`'s cookie and an `Accept-Language`.
async fn page_accepting(fx: &Fixture, session: &Session, uri: &str, accept: &str) -> String {
    let request = Request::builder()
        .uri(uri)
        .header(header::COOKIE, &session.cookie)
        .header(header::ACCEPT_LANGUAGE, accept)
        .body(Body::empty())
        .unwrap();
    fx.send(request).await.expect(StatusCode::OK).text()
}

#[tokio::test]
async fn the_staffs_language_switch_is_stored_and_wins_over_the_browser() {
    let fx = fixture().await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    let russian = page_accepting(&fx, &ivan, "/console", "ru").await;
    assert!(
        russian.contains("<html lang=\"ru\""),
        "the browser's, none stored"
    );
    let switched = page_accepting(&fx, &ivan, "/console?lang=fa", "ru").await;
    assert!(switched.contains("<html lang=\"fa\" dir=\"rtl\""));
    // The session's cookie only (no switch cookie): the stored choice wins over the browser.
    let stored = page_accepting(&fx, &ivan, "/console", "ru").await;
    assert!(stored.contains("<html lang=\"fa\""), "stored for the agent");
    let again = page_login(&fx, "ivan@example.com").await;
    let fresh = page_accepting(&fx, &again, "/console/notifications", "en").await;
    assert!(fresh.contains("<html lang=\"fa\""), "a new session too");
    assert_eq!(fx.get(MINE, &fx.ivan).await.json()["language"], "fa");
    // The admin's too.
    let root = page_login(&fx, "root@example.com").await;
    page_accepting(&fx, &root, "/admin?lang=ro", "en").await;
    assert_eq!(fx.get(MINE, &fx.admin).await.json()["language"], "ro");
}
