//! The pages in the four languages: which language a page is in (the customer's profile,
//! then the `?lang=` switch, kept, then the browser's Accept-Language), the words of the
//! sign-in, ticket and error pages in each (snapshots), and Persian dates and digits.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::{Fixture, Reply, Session, fixture, page, page_login};

/// The API routes these tests cover (see `routes::every_documented_route_is_tested_here`).
pub const LANGUAGES_TESTED: &[(&str, &str)] = &[("put", "/api/v1/me/language")];

/// A page fetched with these extra headers (a session's cookie among them, or none).
async fn fetch(fx: &Fixture, uri: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
    let mut request = Request::builder().uri(uri);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    fx.send(request.body(Body::empty()).unwrap()).await
}

/// The `lang` attribute of a page's `<html>`.
fn lang_of(html: &str) -> &str {
    html.split_once("<html lang=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .unwrap_or_default()
}

/// What a page shows a reader, a line per block, without the chat widget: each instant
/// shown as `[time]` (they change from run to run), the CSRF token and ids gone with the
/// markup.
pub(crate) fn visible(html: &str) -> String {
    let html = html
        .split("<link rel=\"stylesheet\" href=\"/assets/chat.css\">")
        .next()
        .unwrap();
    let mut text = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let end = start + rest[start..].find('>').unwrap() + 1;
        let tag = &rest[start + 1..end - 1];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if tag.starts_with("time") {
            let close = rest[end..].find("</time>").unwrap();
            text.push_str("[time]");
            rest = &rest[end + close + "</time>".len()..];
            continue;
        }
        if tag.starts_with("title") {
            let close = rest[end..].find("</title>").unwrap();
            rest = &rest[end + close + "</title>".len()..];
            continue;
        }
        let block = [
            "h1", "h2", "h3", "p", "tr", "div", "label", "option", "form", "header", "nav",
            "section", "table", "button", "a", "th", "td", "textarea",
        ];
        if block.contains(&name.as_str()) {
            text.push('\n');
        }
        rest = &rest[end..];
    }
    text.push_str(rest);
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The sign-in page in each language the browser asks for, the switch on it.
#[tokio::test]
async fn the_sign_in_page_is_in_the_browsers_language() {
    let fx = fixture().await;
    for (accept, code) in [
        ("en-GB", "en"),
        ("de-DE, ro;q=0.9, en;q=0.5", "ro"),
        ("ru-RU", "ru"),
        ("fa-IR, en;q=0.1", "fa"),
    ] {
        let html = fetch(&fx, "/login", &[(header::ACCEPT_LANGUAGE, accept)])
            .await
            .expect(StatusCode::OK)
            .text();
        assert_eq!(lang_of(&html), code, "{accept}");
        assert_eq!(html.contains("dir=\"rtl\""), code == "fa", "{html}");
        assert!(html.contains("class=\"lang-switch\""), "{html}");
        insta::assert_snapshot!(format!("sign_in_{code}"), visible(&html));
    }
}

/// A refusal page (an unknown ticket) is in the reader's language, with the switch.
#[tokio::test]
async fn error_pages_are_in_the_readers_language() {
    let fx = fixture().await;
    for (login, code) in [
        ("john@example.com", "en"),
        ("ana@example.ro", "ro"),
        ("zahra@example.ir", "fa"),
    ] {
        let me = page_login(&fx, login).await;
        let html = page(&fx, &me, "/tickets/99999999")
            .await
            .expect(StatusCode::NOT_FOUND)
            .text();
        assert_eq!(lang_of(&html), code);
        insta::assert_snapshot!(format!("not_found_{code}"), visible(&html));
    }
    // Russian through the switch (and the digits of the status are Persian on Persian pages).
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, "/tickets/99999999?lang=ru")
        .await
        .expect(StatusCode::NOT_FOUND)
        .text();
    assert_eq!(lang_of(&html), "ru");
    insta::assert_snapshot!("not_found_ru", visible(&html));
}

/// A customer's ticket page in the four languages: the thread's labels, the reply form, the
/// chat widget's words; none of the English ones on the others.
#[tokio::test]
async fn the_ticket_page_is_in_the_customers_language() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Nu merge internetul").await;
    let uri = format!("/tickets/{}", ticket["id"].as_str().unwrap());
    let ana = page_login(&fx, "ana@example.ro").await;
    for code in ["en", "ro", "ru", "fa"] {
        let html = page(&fx, &ana, &format!("{uri}?lang={code}"))
            .await
            .expect(StatusCode::OK)
            .text();
        assert_eq!(lang_of(&html), code);
        let shown = visible(&html);
        if code != "en" {
            for english in ["Customer", "Reply", "Send", "Chat with us", "Sign out"] {
                assert!(!shown.contains(english), "{english} on {code}: {shown}");
            }
            assert!(!html.contains("Chat with us"), "{html}");
        }
        insta::assert_snapshot!(format!("ticket_page_{code}"), shown);
    }
}

/// The console's words (headers, filters, the chat panel) in the agent's chosen language.
#[tokio::test]
async fn the_console_is_in_the_agents_language() {
    let fx = fixture().await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    for (code, words) in [
        ("en", ["Queue", ">Department<", "Priority", "Live chat"]),
        ("ro", ["Coadă", ">Departament<", "Prioritate", "Chat live"]),
        ("ru", ["Очередь", ">Отдел<", "Приоритет", "Онлайн-чат"]),
        ("fa", ["صف", ">بخش<", "اولویت", "گفتگوی زنده"]),
    ] {
        let html = page(&fx, &ivan, &format!("/console?lang={code}"))
            .await
            .expect(StatusCode::OK)
            .text();
        assert_eq!(lang_of(&html), code);
        for word in words {
            assert!(html.contains(word), "{word} on {code}: {html}");
        }
        if code != "en" {
            for english in [">Queue<", ">Ticket<", ">Status<", ">Waiting<", "Live chat"] {
                assert!(!html.contains(english), "{english} on {code}");
            }
        }
    }
}

/// The profile's language comes first: a Romanian customer whose browser asks for Persian
/// gets Romanian pages.
#[tokio::test]
async fn the_profile_language_wins_over_the_browser() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let html = fetch(
        &fx,
        "/portal",
        &[
            (header::COOKIE, &ana.cookie),
            (header::ACCEPT_LANGUAGE, "fa"),
        ],
    )
    .await
    .expect(StatusCode::OK)
    .text();
    assert_eq!(lang_of(&html), "ro");
    assert!(html.contains("Tichetele mele"), "{html}");
}

/// `?lang=` switches a customer's pages and stores the choice in the profile: later pages
/// (and the API's profile) keep it, whatever the browser says.
#[tokio::test]
async fn the_switch_is_stored_in_the_customers_profile() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let switched = page(&fx, &ana, "/portal?lang=ru")
        .await
        .expect(StatusCode::OK);
    let cookie = switched.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("hd_lang=ru;"), "{cookie}");
    assert_eq!(lang_of(&switched.text()), "ru");
    let later = fetch(
        &fx,
        "/portal/kb",
        &[
            (header::COOKIE, &ana.cookie),
            (header::ACCEPT_LANGUAGE, "fa"),
        ],
    )
    .await
    .text();
    assert_eq!(lang_of(&later), "ru");
    assert!(later.contains("База знаний"), "{later}");
    let customers = fx
        .get("/api/v1/customers?email=ana%40example.ro", &fx.admin)
        .await;
    assert!(
        customers.text().contains("\"language\":\"ru\""),
        "{}",
        customers.text()
    );
}

/// Staff keep no language in the store: the switch's cookie, else the browser's.
#[tokio::test]
async fn staff_pages_follow_the_switch_cookie_then_the_browser() {
    let fx = fixture().await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    let with = |accept: &'static str, extra: Option<&'static str>| {
        let cookie = match extra {
            Some(c) => format!("{}; {c}", ivan.cookie),
            None => ivan.cookie.clone(),
        };
        let fx = &fx;
        async move {
            let html = fetch(
                fx,
                "/console",
                &[(header::COOKIE, &cookie), (header::ACCEPT_LANGUAGE, accept)],
            )
            .await
            .expect(StatusCode::OK)
            .text();
            lang_of(&html).to_owned()
        }
    };
    assert_eq!(with("ro-RO, en;q=0.5", None).await, "ro");
    assert_eq!(with("ro-RO, en;q=0.5", Some("hd_lang=fa")).await, "fa");
    assert_eq!(with("xx", None).await, "en");
    let switched = page(&fx, &ivan, "/console?lang=ru")
        .await
        .expect(StatusCode::OK);
    assert!(
        switched.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("hd_lang=ru;")
    );
}

/// Persian pages write instants in the Solar Hijri calendar with Persian digits, isolated,
/// the Gregorian instant on hover; the other languages in the Gregorian calendar.
#[tokio::test]
async fn persian_pages_show_solar_hijri_dates_in_persian_digits() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Nu merge internetul").await;
    let uri = format!("/tickets/{}", ticket["id"].as_str().unwrap());
    let ana = page_login(&fx, "ana@example.ro").await;
    let times = |html: &str| -> Vec<(String, String)> {
        html.split("<time ")
            .skip(1)
            .map(|t| {
                let title = t
                    .split("title=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                let shown = t
                    .split_once('>')
                    .unwrap()
                    .1
                    .split("</time>")
                    .next()
                    .unwrap();
                (title.to_owned(), shown.to_owned())
            })
            .collect()
    };
    let fa = page(&fx, &ana, &format!("{uri}?lang=fa")).await.text();
    let shown = times(&fa);
    assert!(!shown.is_empty(), "{fa}");
    assert!(
        fa.contains("<bdi dir=\"rtl\"><time "),
        "an instant is isolated, in the page's direction: {fa}"
    );
    for (gregorian, persian) in &shown {
        assert!(
            gregorian.starts_with("20") && gregorian.ends_with(" UTC"),
            "{gregorian}"
        );
        assert!(
            persian.starts_with("۱۴")
                && persian
                    .strip_suffix(" \u{2068}UTC\u{2069}")
                    .is_some_and(|date| date
                        .chars()
                        .all(|c| ('۰'..='۹').contains(&c) || "/: ".contains(c))),
            "{persian}"
        );
    }
    let ro = page(&fx, &ana, &format!("{uri}?lang=ro")).await.text();
    for (_, shown) in times(&ro) {
        assert!(shown.ends_with(" UTC") && shown.contains(".20"), "{shown}");
    }
}

/// The layout has the switch on every page, with the current language marked.
#[tokio::test]
async fn every_page_has_the_language_switch() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let ana: Session = page_login(&fx, "ana@example.ro").await;
    for (who, uri) in [
        (&root, "/console"),
        (&root, "/admin"),
        (&root, "/reports"),
        (&root, "/console/new"),
        (&ana, "/portal"),
        (&ana, "/portal/new"),
        (&ana, "/portal/kb"),
    ] {
        let html = page(&fx, who, uri).await.text();
        assert!(html.contains("class=\"lang-switch\""), "{uri}: {html}");
        let lang = lang_of(&html).to_owned();
        assert!(
            html.contains(&format!(
                "hreflang=\"{lang}\" lang=\"{lang}\" aria-current=\"true\""
            )),
            "{uri}: {html}"
        );
    }
}

/// A notification says what happened in the reader's words (not `agent_replied #…`), and
/// the portal's ticket types are translated.
#[tokio::test]
async fn notifications_and_ticket_types_are_translated() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Notify me").await;
    let id = ticket["id"].as_str().unwrap();
    let number = ticket["number"]["short"].as_str().unwrap();
    fx.post(
        &format!("/api/v1/tickets/{id}/messages"),
        &fx.ivan,
        serde_json::json!({"body": "We replied."}),
    )
    .await
    .expect(StatusCode::CREATED);
    let ana = page_login(&fx, "ana@example.ro").await;
    for (code, said, kind) in [
        (
            "ro",
            "Asistența a răspuns la tichetul #",
            "cerere de funcționalitate",
        ),
        ("ru", "Поддержка ответила в заявке #", "запрос функции"),
        ("fa", "پشتیبانی در تیکت #", "درخواست قابلیت"),
        ("en", "Support replied on ticket #", ">feature request<"),
    ] {
        let html = page(&fx, &ana, &format!("/portal?lang={code}"))
            .await
            .text();
        assert!(
            html.contains(&format!("{said}\u{2068}{number}\u{2069}")),
            "{code}: {html}"
        );
        assert!(!html.contains("agent_replied #"), "{html}");
        assert!(html.contains(kind), "{code}: {html}");
    }
}

/// The API sets a customer's own language as the switch does; staff keep none (403).
#[tokio::test]
async fn customers_set_their_own_language_over_the_api() {
    let fx = fixture().await;
    let set = fx
        .call(
            "PUT",
            "/api/v1/me/language",
            Some(&fx.ana),
            Some(serde_json::json!({"language": "fa"})),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(set["language"], "fa");
    let me = fx
        .get("/api/v1/me", &fx.ana)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(me["language"], "fa");
    let ana = page_login(&fx, "ana@example.ro").await;
    assert_eq!(lang_of(&page(&fx, &ana, "/portal").await.text()), "fa");
    fx.call(
        "PUT",
        "/api/v1/me/language",
        Some(&fx.ivan),
        Some(serde_json::json!({"language": "ru"})),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    fx.call(
        "PUT",
        "/api/v1/me/language",
        Some(&fx.ana),
        Some(serde_json::json!({"language": "de"})),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
}
