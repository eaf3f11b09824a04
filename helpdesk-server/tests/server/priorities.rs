//! The priority rules told, never silent (issue 24): `POST /tickets` answers with what was
//! applied and why, a priority request above the cap is refused with the cap named, the
//! portal's ticket page says it in the customer's language, and the forms offer only the
//! priorities that apply as chosen.

use axum::http::{StatusCode, header};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn a_priority_above_the_cap_is_answered_with_what_was_applied_and_why() {
    let fx = fixture().await;
    let asked = |priority: &str| {
        json!({"subject": "Internet down", "body": "Routerul clipește roșu.",
               "department": fx.support, "priority": priority})
    };
    let loud = fx
        .post("/api/v1/tickets", &fx.ana, asked("urgent"))
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(loud["priority"], "normal", "{loud}");
    assert_eq!(
        loud["notices"],
        json!([{
            "kind": "priority_adjusted",
            "asked": "urgent",
            "applied": "normal",
            "reason": {"kind": "above_cap", "cap": "normal"},
            "message": "asked for priority urgent, applied normal: above the cap of normal",
        }])
    );
    // The rest of the answer is the ticket, as `GET` gives it.
    let id = loud["id"].as_str().unwrap();
    let mut read = fx
        .get(&format!("/api/v1/tickets/{id}"), &fx.ana)
        .await
        .json();
    read["notices"] = loud["notices"].clone();
    assert_eq!(read, loud);
    let quiet = fx
        .post("/api/v1/tickets", &fx.ana, asked("low"))
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(
        (&quiet["priority"], &quiet["notices"]),
        (&json!("low"), &json!([]))
    );

    // A request above the cap is refused when filed, naming the cap.
    let request =
        json!({"command": "request_priority", "priority": "high", "reason": "Tot biroul"});
    let refused = fx
        .post(&format!("/api/v1/tickets/{id}/commands"), &fx.ana, request)
        .await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(
        refused.json()["error"]["message"],
        "forbidden: this customer's priority is capped at Normal"
    );

    // What an agent may set on it, and what a new ticket gets as chosen.
    let settable = fx
        .get(&format!("/api/v1/tickets/{id}/priorities"), &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(settable.json()["items"], json!(["low", "normal"]));
    let root = fx
        .get(&format!("/api/v1/tickets/{id}/priorities"), &fx.admin)
        .await;
    assert_eq!(
        root.json()["items"],
        json!(["low", "normal", "high", "urgent"])
    );
    let offered = fx
        .get(
            &format!("/api/v1/priorities?department={}", fx.support),
            &fx.ana,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(offered.json()["items"], json!(["low", "normal"]));
    // ... and their errors: another customer's ticket, a missing or unknown department.
    let hidden = fx
        .get(&format!("/api/v1/tickets/{id}/priorities"), &fx.john)
        .await;
    assert_error(&hidden, StatusCode::NOT_FOUND, "not_found");
    let unnamed = fx.get("/api/v1/priorities", &fx.ana).await;
    assert_error(&unnamed, StatusCode::BAD_REQUEST, "validation");
    let unknown = fx
        .get(&format!("/api/v1/priorities?department={id}"), &fx.ana)
        .await;
    assert_error(&unknown, StatusCode::NOT_FOUND, "not_found");

    // The document says so.
    let doc = fx.get("/api/openapi.json", &fx.ana).await.json();
    let created = &doc["paths"]["/api/v1/tickets"]["post"]["responses"]["201"];
    assert_eq!(
        created["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/OpenedTicket"
    );
    let schemas = &doc["components"]["schemas"];
    assert!(
        schemas["OpenedTicket"].to_string().contains("Notice"),
        "{}",
        schemas["OpenedTicket"]
    );
    assert_eq!(
        schemas["Notice"]["properties"]["kind"]["enum"],
        json!(["priority_adjusted"])
    );
    for path in ["/api/v1/tickets/{ticket}/priorities", "/api/v1/priorities"] {
        assert!(doc["paths"][path]["get"].is_object(), "{path}");
    }
}

/// The importance options of the portal's new-ticket form.
fn options_of(html: &str, select: &str) -> Vec<String> {
    let start = html
        .find(&format!("select name=\"{select}\""))
        .unwrap_or_else(|| panic!("no {select} select in {html}"));
    let rest = &html[start..];
    let rest = &rest[..rest.find("</select>").unwrap()];
    rest.split("<option value=\"")
        .skip(1)
        .map(|o| o.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_portal_says_what_priority_was_applied_and_offers_only_what_applies() {
    let fx = fixture().await;
    for (login, said) in [
        (
            "ana@example.ro",
            "Ați cerut prioritatea „\u{2068}urgentă\u{2069}”; tichetul a fost deschis cu „\u{2068}normală\u{2069}”. Depășește plafonul dumneavoastră („\u{2068}normală\u{2069}”).",
        ),
        (
            "john@example.com",
            // Each priority isolated (FSI … PDI), so a word of either direction keeps its place.
            "You asked for priority “\u{2068}urgent\u{2069}”; the ticket was opened with “\u{2068}normal\u{2069}”. It is above your cap (“\u{2068}normal\u{2069}”).",
        ),
        (
            "zahra@example.ir",
            "شما اولویت «\u{2068}فوری\u{2069}» را خواستید؛ تیکت با اولویت «\u{2068}عادی\u{2069}» باز شد. این بالاتر از سقف شما («\u{2068}عادی\u{2069}») است.",
        ),
    ] {
        let me = page_login(&fx, login).await;
        let form = page(&fx, &me, "/portal/new").await.expect(StatusCode::OK);
        assert_eq!(
            options_of(&form.text(), "priority"),
            ["low", "normal"],
            "an individual chooses up to her cap"
        );
        let created = fx
            .multipart(
                "/portal/tickets",
                ("cookie", &me.cookie),
                &[
                    ("csrf", &me.csrf),
                    ("department", &fx.support),
                    ("ticket_type", "incident"),
                    ("subject", "Imprimanta nu tipărește"),
                    ("body", "Mesaj de eroare pe ecran."),
                    ("priority", "urgent"),
                ],
                &[],
            )
            .await;
        assert!(created.status.is_redirection(), "{}", created.text());
        let location = created.headers[header::LOCATION].to_str().unwrap();
        let view = page(&fx, &me, location).await.expect(StatusCode::OK).text();
        let notice = view
            .split("<p class=\"notice\" id=\"notice-priority_adjusted\">")
            .nth(1)
            .unwrap_or_else(|| panic!("no notice on {location}: {view}"));
        assert_eq!(notice.split("</p>").next().unwrap(), said, "{login}");
        // Said once: the ticket page alone does not repeat it.
        let (plain, _) = location.split_once('?').unwrap();
        let again = page(&fx, &me, plain).await.text();
        assert!(!again.contains("notice-priority_adjusted"), "{again}");
    }

    // As asked: nothing to say.
    let john = page_login(&fx, "john@example.com").await;
    let created = fx
        .multipart(
            "/portal/tickets",
            ("cookie", &john.cookie),
            &[
                ("csrf", &john.csrf),
                ("department", &fx.support),
                ("subject", "Slow"),
                ("body", "The line is slow."),
                ("priority", "low"),
            ],
            &[],
        )
        .await;
    let location = created.headers[header::LOCATION].to_str().unwrap();
    assert!(!location.contains('?'), "{location}");

    // The agent's priority list holds what he may set: up to the cap without RaisePriority.
    let ivan = page_login(&fx, "ivan@example.com").await;
    let staff = page(&fx, &ivan, location).await.text();
    assert_eq!(options_of(&staff, "priority"), ["low", "normal"]);
    let root = page_login(&fx, "root@example.com").await;
    let admin = page(&fx, &root, location).await.text();
    assert_eq!(
        options_of(&admin, "priority"),
        ["low", "normal", "high", "urgent"]
    );
}
