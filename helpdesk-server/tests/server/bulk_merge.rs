//! Bulk merge from the queue (issue 21): the tickets ticked merge into the ticket named,
//! one by one; the page after says, ticket by ticket, what was merged and what the desk
//! refused (another customer's ticket); no ticket named is refused on the page.

use axum::http::StatusCode;

use crate::support::*;

/// The results table of a bulk page, ids and numbers replaced.
fn results(html: &str, ids: &[(&str, &str)]) -> String {
    let start = html
        .find("<table id=\"bulk-results\">")
        .unwrap_or_else(|| panic!("no results: {html}"));
    let end = start + html[start..].find("</table>").unwrap() + "</table>".len();
    let mut part = html[start..end].to_owned();
    for (id, name) in ids {
        part = part.replace(id, name);
    }
    // The rows in the order of their placeholders (the tickets' ids order them on the page).
    let (head, rows) = part.split_once("</th></tr>").unwrap();
    let mut rows: Vec<String> = rows
        .trim_end_matches("</table>")
        .split("<tr ")
        .filter(|r| !r.is_empty())
        .map(|r| format!("<tr {r}"))
        .collect();
    rows.sort();
    format!("{head}</th></tr>{}</table>", rows.concat())
}

#[tokio::test]
async fn ticked_tickets_merge_into_the_one_named_each_with_its_result() {
    let fx = fixture().await;
    let open = async |token: &str, subject: &str| {
        let t = fx.open(token, subject).await;
        (
            t["id"].as_str().unwrap().to_owned(),
            t["number"]["short"].as_str().unwrap().to_owned(),
        )
    };
    let (target, target_number) = open(&fx.ana, "Routerul nu pornește").await;
    let (a, a_number) = open(&fx.ana, "Tot routerul").await;
    let (b, b_number) = open(&fx.ana, "Din nou routerul").await;
    let (other, other_number) = open(&fx.john, "My router").await;
    let ivan = page_login(&fx, "ivan@example.com").await;

    let done = form(
        &fx,
        &ivan,
        "/console/bulk",
        &format!("sel_{a}=on&sel_{b}=on&sel_{other}=on&bulk=merge&merge_target={target_number}"),
    )
    .await
    .expect(StatusCode::OK)
    .text();
    assert!(done.contains("id=\"bulk-summary\""), "{done}");
    let table = results(
        &done,
        &[
            (&a, "[a]"),
            (&b, "[b]"),
            (&other, "[other]"),
            (&a_number, "[a-number]"),
            (&b_number, "[b-number]"),
            (&other_number, "[other-number]"),
        ],
    );
    assert_eq!(table.matches("data-done=\"true\"").count(), 2, "{table}");
    assert_eq!(table.matches("data-done=\"false\"").count(), 1, "{table}");
    insta::assert_snapshot!("bulk_merge_results", table);
    for merged in [&a, &b] {
        let t = fx
            .get(&format!("/api/v1/tickets/{merged}"), &fx.ivan)
            .await
            .expect(StatusCode::OK)
            .json();
        assert_eq!(t["status"], "closed:merged", "{t}");
        assert_eq!(t["merged_into"], target.as_str(), "{t}");
    }
    let untouched = fx
        .get(&format!("/api/v1/tickets/{other}"), &fx.ivan)
        .await
        .json();
    assert_eq!(
        untouched["merged_into"],
        serde_json::Value::Null,
        "{untouched}"
    );

    // No ticket named: refused on the page, nothing merged.
    let (c, _) = open(&fx.ana, "Încă unul").await;
    let refused = form(
        &fx,
        &ivan,
        "/console/bulk",
        &format!("sel_{c}=on&bulk=merge&merge_target="),
    )
    .await
    .expect(StatusCode::OK)
    .text();
    assert!(refused.contains("id=\"form-error\""), "{refused}");
    let still = fx
        .get(&format!("/api/v1/tickets/{c}"), &fx.ivan)
        .await
        .json();
    assert_eq!(still["merged_into"], serde_json::Value::Null, "{still}");
    // The queue offers the merge among the bulk actions.
    let queue = page(&fx, &ivan, "/console").await.text();
    assert!(queue.contains("id=\"bulk-merge\""), "{queue}");
}
