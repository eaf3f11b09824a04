//! Tags (issue 20, item 4) through the JSON API and the pages: put on and taken off one
//! ticket and a selection, completed from the tags in use, a filter of the ticket list and
//! the console, counted in reports; customers neither see nor set them. Every API answer is
//! checked against the OpenAPI document (`schema_check`).

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

/// The routes tested here, each with a success and an error (with `routes::TESTED`).
pub(crate) const TAGS_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/tags"),
    ("post", "/api/v1/tickets/{ticket}/tags"),
    ("post", "/api/v1/tags/bulk"),
];

fn id(ticket: &serde_json::Value) -> String {
    ticket["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn agents_tag_tickets_through_the_api_and_customers_never_see_tags() {
    let fx = fixture().await;
    let t = id(&fx.open(&fx.ana, "Routerul nu merge").await);
    let other = id(&fx.open(&fx.john, "No internet").await);

    let tagged = fx
        .post(
            &format!("/api/v1/tickets/{t}/tags"),
            &fx.ivan,
            json!({"add": ["VIP", "Întârziere plată"]}),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(tagged["outcome"], "changed");
    assert_eq!(tagged["ticket"]["tags"], json!(["Întârziere plată", "VIP"]));
    // The same tag spelt otherwise: unchanged.
    let again = fx
        .post(
            &format!("/api/v1/tickets/{t}/tags"),
            &fx.ivan,
            json!({"add": ["vip"]}),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(again["outcome"], "unchanged");
    // A bad tag is a validation error on the field `tag`.
    let bad = fx
        .post(
            &format!("/api/v1/tickets/{t}/tags"),
            &fx.ivan,
            json!({"add": ["a,b"]}),
        )
        .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");

    // History: a typed `tagged` entry for staff, none for the customer.
    let history = fx
        .get(&format!("/api/v1/tickets/{t}/history"), &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .items();
    let last = history.last().unwrap();
    assert_eq!(last["change"]["change"], "tagged");
    assert_eq!(last["change"]["added"], json!(["Întârziere plată", "VIP"]));
    let theirs = fx
        .get(&format!("/api/v1/tickets/{t}/history"), &fx.ana)
        .await
        .expect(StatusCode::OK)
        .items();
    assert!(theirs.iter().all(|e| e["change"]["change"] != "tagged"));

    // The customer: no tags on their ticket, no tagging, no tags in use, no filter by tag.
    let mine = fx
        .get(&format!("/api/v1/tickets/{t}"), &fx.ana)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(mine["tags"], json!([]));
    let refused = fx
        .post(
            &format!("/api/v1/tickets/{t}/tags"),
            &fx.ana,
            json!({"add": ["mine"]}),
        )
        .await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    let refused = fx.get("/api/v1/tags", &fx.ana).await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    let filtered = fx
        .get("/api/v1/tickets?tag=vip", &fx.ana)
        .await
        .expect(StatusCode::OK)
        .items();
    assert!(filtered.is_empty());

    // Staff: the list filter and the tags in use, folded.
    let filtered = fx
        .get("/api/v1/tickets?tag=VIP,nothing", &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(filtered.json()["total"], 1);
    assert_eq!(id(&filtered.items()[0]), t);
    let in_use = fx
        .get("/api/v1/tags?prefix=IN", &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(
        in_use,
        vec![json!({"tag": "Întârziere plată", "tickets": 1})]
    );

    // Bulk: both tickets, or none when one is refused (Maria works in billing only).
    let refused = fx
        .post(
            "/api/v1/tags/bulk",
            &fx.maria,
            json!({"tickets": [t, other], "add": ["outage"]}),
        )
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    let both = fx
        .post(
            "/api/v1/tags/bulk",
            &fx.ivan,
            json!({"tickets": [t, other], "add": ["outage"]}),
        )
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(both.len(), 2);
    assert!(
        both.iter()
            .all(|t| t["tags"].as_array().unwrap().contains(&json!("outage")))
    );
    let outage = fx
        .get("/api/v1/tags?prefix=out", &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(outage, vec![json!({"tag": "outage", "tickets": 2})]);

    // Reports count the tickets per tag.
    let report = fx
        .get("/api/v1/reports", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(report["tags"][0], json!({"tag": "outage", "tickets": 2}));
}

#[tokio::test]
async fn the_pages_show_tag_chips_add_and_remove_them_and_tag_a_selection() {
    let fx = fixture().await;
    let t = id(&fx.open(&fx.ana, "Camera 12").await);
    let other = id(&fx.open(&fx.john, "Room 14").await);
    let ivan = page_login(&fx, "ivan@example.com").await;

    let added = form(
        &fx,
        &ivan,
        &format!("/tickets/{t}/tags"),
        "action=add&tags=VIP%2C+router",
    )
    .await;
    assert!(added.status.is_redirection(), "{}", added.status);
    let html = page(&fx, &ivan, &format!("/tickets/{t}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"tags\""), "{html}");
    assert!(html.contains("class=\"tag-chip\">VIP"), "{html}");
    assert!(html.contains("<datalist id=\"tags-in-use\">"), "{html}");

    // A refused tag comes back beside the form.
    let refused = form(
        &fx,
        &ivan,
        &format!("/tickets/{t}/tags"),
        "action=add&tags=%07",
    )
    .await;
    let back = refused.headers["location"].to_str().unwrap().to_owned();
    assert!(back.contains("tag_refused=validation"), "{back}");
    let html = page(&fx, &ivan, &back).await.expect(StatusCode::OK).text();
    assert!(html.contains("id=\"tag-error\""), "{html}");

    let removed = form(
        &fx,
        &ivan,
        &format!("/tickets/{t}/tags"),
        "action=remove&tags=vip",
    )
    .await;
    assert!(removed.status.is_redirection(), "{}", removed.status);
    let html = page(&fx, &ivan, &format!("/tickets/{t}")).await.text();
    assert!(!html.contains("class=\"tag-chip\">VIP"), "{html}");

    // The console: bulk tagging the selection, then the filter.
    let bulk = form(
        &fx,
        &ivan,
        "/console/tags",
        &format!("sel_{t}=on&sel_{other}=on&action=add&tags=outage"),
    )
    .await;
    assert_eq!(bulk.headers["location"], "/console#bulk");
    let none = form(&fx, &ivan, "/console/tags", "action=add&tags=outage").await;
    assert!(
        none.headers["location"]
            .to_str()
            .unwrap()
            .contains("bulk_refused=none_selected")
    );
    let html = page(&fx, &ivan, "/console?tag=OUTAGE")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        html.contains("Camera 12") && html.contains("Room 14"),
        "{html}"
    );
    let html = page(&fx, &ivan, "/console?tag=router")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        html.contains("Camera 12") && !html.contains("Room 14"),
        "{html}"
    );

    // The customer's page shows no tags.
    let ana = page_login(&fx, "ana@example.ro").await;
    let html = page(&fx, &ana, &format!("/tickets/{t}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        !html.contains("tag-chip") && !html.contains("outage"),
        "{html}"
    );
}

#[tokio::test]
async fn bytes_per_ticket_are_set_through_the_api_and_refuse_the_upload_past_them() {
    let fx = fixture().await;
    let put = fx
        .call(
            "PUT",
            "/api/v1/settings/attachment-limits",
            Some(&fx.admin),
            Some(
                json!({"department": fx.support, "limits": {"max_size": 1000, "max_count": 5,
                "max_bytes_per_ticket": 10, "allowed_types": ["text/plain"]}}),
            ),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(put["departments"][&fx.support]["max_bytes_per_ticket"], 10);
    let zero = fx
        .call(
            "PUT",
            "/api/v1/settings/attachment-limits",
            Some(&fx.admin),
            Some(
                json!({"department": fx.support, "limits": {"max_size": 1000, "max_count": 5,
                "max_bytes_per_ticket": 0, "allowed_types": ["text/plain"]}}),
            ),
        )
        .await;
    assert_error(&zero, StatusCode::BAD_REQUEST, "validation");
    let audit = fx
        .get("/api/v1/settings/audit?limit=5", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(audit.len(), 1, "the refused change is not audited");

    // 6 bytes on the ticket, then 5 more is past 10: a 413 and nothing written; 4 fit.
    let t = id(&fx.open(&fx.ana, "Logs").await);
    let uri = format!("/api/v1/tickets/{t}/messages");
    let (name, value) = bearer(&fx.ana);
    let upload = |file: &'static [u8]| {
        let (uri, value) = (uri.clone(), value.clone());
        let fx = &fx;
        async move {
            fx.multipart(
                &uri,
                (name, &value),
                &[("body", "the log")],
                &[("log.txt", "text/plain", file)],
            )
            .await
        }
    };
    upload(b"123456").await.expect(StatusCode::CREATED);
    let over = upload(b"12345").await;
    assert_error(&over, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    upload(b"1234").await.expect(StatusCode::CREATED);
    let messages = fx.get(&uri, &fx.ivan).await.expect(StatusCode::OK).items();
    assert_eq!(messages.len(), 3, "the refused reply is not written");
}
