//! Reports for supervisors and admins (issue 11): the API answers them only, and the page
//! shows a table, charts and a CSV link.

use std::collections::BTreeSet;

use axum::http::{StatusCode, header};
use serde_json::json;

use crate::routes::{id_of, supervisor};
use crate::support::*;

/// Tickets in Support (and one in Billing), one answered, resolved and closed, with time
/// logged; the ids of the Support tickets.
async fn some_tickets(fx: &Fixture) -> Vec<String> {
    let first = id_of(&fx.open(&fx.ana, "Internetul nu merge").await);
    let second = id_of(&fx.open(&fx.john, "Slow line").await);
    fx.post(
        &format!("/api/v1/tickets/{first}/messages"),
        &fx.ivan,
        json!({"body": "Restart the router."}),
    )
    .await
    .expect(StatusCode::CREATED);
    fx.post(
        &format!("/api/v1/tickets/{first}/assign"),
        &fx.ivan,
        json!({"agent": fx.ivan_id}),
    )
    .await
    .expect(StatusCode::OK);
    fx.post(
        &format!("/api/v1/tickets/{first}/commands"),
        &fx.ivan,
        json!({"command": "log_time", "minutes": 90, "billable": true, "note": "call"}),
    )
    .await
    .expect(StatusCode::OK);
    for command in ["resolve", "close"] {
        let body = if command == "close" {
            json!({"command": "close", "resolution": "solved"})
        } else {
            json!({"command": "resolve", "body": null})
        };
        fx.post(
            &format!("/api/v1/tickets/{first}/transitions"),
            &fx.ivan,
            body,
        )
        .await
        .expect(StatusCode::OK);
    }
    vec![first, second]
}

#[tokio::test]
async fn the_reports_api_answers_supervisors_and_admins_only() {
    let fx = fixture().await;
    some_tickets(&fx).await;
    let sofia = supervisor(&fx).await;

    // Admins: JSON with names and derived figures.
    let report = fx
        .get("/api/v1/reports?group=department", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(report["group"], "department");
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{report}");
    assert_eq!(rows[0]["name"], "Support");
    assert_eq!(rows[0]["opened"], 2);
    assert_eq!(rows[0]["closed"], 1);
    assert_eq!(rows[0]["backlog"], 1);
    assert_eq!(rows[0]["billable_hours"], 1.5);

    // Per customer, names instead of ids; per agent, "(unassigned)" for nobody's tickets.
    let by_customer = fx
        .get("/api/v1/reports?group=customer", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    let names: BTreeSet<&str> = by_customer["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["ana@example.ro", "john@example.com"])
    );

    // CSV with format=csv.
    let csv = fx
        .get(
            "/api/v1/reports?group=department&department=support&format=csv",
            &sofia,
        )
        .await
        .expect(StatusCode::OK);
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let text = csv.text();
    assert!(text.starts_with("name,opened,closed,backlog,"), "{text}");
    assert!(text.contains("\r\nSupport,2,1,1,"), "{text}");

    // Errors: agents and customers 403, no token 401, bad values 400, unknown department 404.
    let agent = fx.get("/api/v1/reports", &fx.ivan).await;
    assert_error(&agent, StatusCode::FORBIDDEN, "forbidden");
    let customer = fx.get("/api/v1/reports", &fx.ana).await;
    assert_error(&customer, StatusCode::FORBIDDEN, "forbidden");
    let anonymous = fx.call("GET", "/api/v1/reports", None, None).await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED, "unauthorized");
    for query in [
        "group=week",
        "from=yesterday",
        "from=2026-02-01&to=2026-01-01",
        "format=xml",
    ] {
        let bad = fx.get(&format!("/api/v1/reports?{query}"), &fx.admin).await;
        assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    }
    let unknown = fx
        .get("/api/v1/reports?department=Nowhere", &fx.admin)
        .await;
    assert_error(&unknown, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn the_reports_page_shows_a_table_charts_and_a_csv_link() {
    let fx = fixture().await;
    some_tickets(&fx).await;
    supervisor(&fx).await;
    let sofia = page_login(&fx, "sofia@example.com").await;
    let html = page(&fx, &sofia, "/reports?group=agent")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"report\""), "{html}");
    assert!(html.contains("<svg id=\"chart-volume\""), "{html}");
    assert!(html.contains("<svg id=\"chart-sla\""), "{html}");
    assert!(html.contains("ivan@example.com"), "agents by name: {html}");
    assert!(
        html.contains("href=\"/reports\""),
        "the nav links to reports"
    );
    let (_, rest) = html.split_once("id=\"csv\" href=\"").expect("a CSV link");
    let link = rest.split('"').next().unwrap().replace("&amp;", "&");
    assert!(link.starts_with("/reports.csv?from="), "{link}");
    let csv = page(&fx, &sofia, &link).await.expect(StatusCode::OK);
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.text().contains("ivan@example.com,"), "{}", csv.text());

    // A bad range: the form again, with the error.
    let bad = page(&fx, &sofia, "/reports?from=2026-03-01&to=2026-01-01").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("id=\"report-error\""));

    // Agents and customers may not read reports.
    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, "/reports")
        .await
        .expect(StatusCode::FORBIDDEN);
    page(&fx, &ivan, "/reports.csv")
        .await
        .expect(StatusCode::FORBIDDEN);
    let ana = page_login(&fx, "ana@example.ro").await;
    page(&fx, &ana, "/reports")
        .await
        .expect(StatusCode::FORBIDDEN);
}
