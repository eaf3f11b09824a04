//! The knowledge base in the reader's language (issue 21) over the API and on the portal:
//! `prefer=LANG` puts the articles in that language first and the others after; the portal's
//! index and search do so in the reader's language and mark the others with theirs.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

/// Writes a published public article about the modem in `language`; its id.
pub(crate) async fn article(fx: &Fixture, title: &str, body: &str, language: &str) -> String {
    let created = fx
        .post(
            "/api/v1/kb/articles",
            &fx.ivan,
            json!({"title": title, "body": body, "category": "internet", "language": language}),
        )
        .await
        .expect(StatusCode::CREATED);
    created.json()["id"].as_str().unwrap().to_owned()
}

fn ids(found: &Value) -> Vec<String> {
    found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn articles_in_the_readers_language_come_first_over_the_api_and_on_the_portal() {
    let fx = fixture().await;
    crate::content_settings::add_category(&fx, "internet").await;
    let en = article(&fx, "Modem lights", "The modem modem blinks.", "en").await;
    let ro = article(&fx, "Modemul nu pornește", "Verificați cablul modem.", "ro").await;

    // Without a preference, the best match first; preferring Romanian, the Romanian one.
    let plain = fx
        .get("/api/v1/kb/articles?q=modem", &fx.ana)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(ids(&plain).len(), 2);
    for (path, first, second) in [
        ("/api/v1/kb/articles?q=modem&prefer=ro", &ro, &en),
        ("/api/v1/kb/articles?q=modem&prefer=en", &en, &ro),
        ("/api/v1/kb/suggest?text=my%20modem&prefer=ro", &ro, &en),
        ("/api/v1/kb/suggest?text=my%20modem&prefer=en", &en, &ro),
    ] {
        let found = fx.get(path, &fx.ana).await.expect(StatusCode::OK).json();
        assert_eq!(ids(&found), [first.clone(), second.clone()], "{path}");
    }
    // `lang` still filters.
    let only = fx
        .get("/api/v1/kb/articles?q=modem&lang=ro&prefer=en", &fx.ana)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(ids(&only), std::slice::from_ref(&ro));

    // The portal, in Romanian: the Romanian article first, the English one marked.
    let ana = page_login(&fx, "ana@example.ro").await;
    for uri in ["/portal/kb", "/portal/kb?q=modem"] {
        let html = page(&fx, &ana, uri).await.expect(StatusCode::OK).text();
        let (at_ro, at_en) = (html.find(&ro).unwrap(), html.find(&en).unwrap());
        assert!(at_ro < at_en, "{uri}: {html}");
        let marks: Vec<&str> = html
            .match_indices("class=\"kb-other-language\"")
            .map(|(_, m)| m)
            .collect();
        assert_eq!(marks.len(), 1, "only the English article is marked: {html}");
        assert!(html.contains("în \u{2068}English\u{2069}"), "{html}");
    }
    let page_en = page(&fx, &ana, &format!("/portal/kb/{en}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(page_en.contains("în \u{2068}English\u{2069}"), "{page_en}");
    let page_ro = page(&fx, &ana, &format!("/portal/kb/{ro}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(!page_ro.contains("kb-other-language"), "{page_ro}");
}
