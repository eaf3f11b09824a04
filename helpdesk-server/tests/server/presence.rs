//! Presence kept by heartbeats over the API: the stored timeout (admins), the heartbeat
//! route, and the staff's list where an agent not heard from reads offline (the desk's
//! clock moved ahead, no sleeps).

use axum::http::StatusCode;
use chrono::TimeDelta;
use serde_json::json;

use crate::support::{assert_error, fixture};

/// The routes tested here, each with a success and an error (the agent's own
/// `/agents/me/…` routes are the chat's, outside the route table's check).
pub(crate) const PRESENCE_TESTED: &[(&str, &str)] = &[("get", "/api/v1/agents/presence")];

#[tokio::test]
async fn an_agent_not_heard_from_for_the_stored_timeout_reads_offline_until_the_next_heartbeat() {
    let fx = fixture().await;
    // The timeout: admins only, whole seconds within its bounds; stored and shown.
    let refused = fx
        .call(
            "PUT",
            "/api/v1/settings",
            Some(&fx.ivan),
            Some(json!({"presence_timeout_seconds": 30})),
        )
        .await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    let too_short = fx
        .call(
            "PUT",
            "/api/v1/settings",
            Some(&fx.admin),
            Some(json!({"presence_timeout_seconds": 3})),
        )
        .await;
    assert_error(&too_short, StatusCode::BAD_REQUEST, "validation");
    let set = fx
        .call(
            "PUT",
            "/api/v1/settings",
            Some(&fx.admin),
            Some(json!({"presence_timeout_seconds": 30})),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(set["presence_timeout_seconds"], 30);

    let online = fx
        .post(
            "/api/v1/agents/me/presence",
            &fx.ivan,
            json!({"presence": "online"}),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(online["presence"], "online");
    assert_eq!(online["heartbeat_seconds"], 10, "a third of the timeout");
    assert!(online["last_seen_at"].is_string());

    fx.clock.advance(TimeDelta::seconds(31));
    let me = fx
        .get("/api/v1/agents/me/presence", &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(me["presence"], "offline", "not heard from for 31 s");
    let listed = fx
        .get("/api/v1/agents/presence", &fx.maria)
        .await
        .expect(StatusCode::OK)
        .items();
    let ivan = listed
        .iter()
        .find(|a| a["agent"] == fx.ivan_id.as_str())
        .unwrap();
    assert_eq!(ivan["presence"], "offline");

    let beat = fx
        .post("/api/v1/agents/me/presence/heartbeat", &fx.ivan, json!({}))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(beat["presence"], "online", "back with the heartbeat");
    assert_eq!(beat["heartbeat_seconds"], 10);

    // Customers have no presence, and do not read the agents'.
    let customer = fx
        .post("/api/v1/agents/me/presence/heartbeat", &fx.ana, json!({}))
        .await;
    assert_error(&customer, StatusCode::FORBIDDEN, "forbidden");
    let list = fx.get("/api/v1/agents/presence", &fx.ana).await;
    assert_error(&list, StatusCode::FORBIDDEN, "forbidden");
}
