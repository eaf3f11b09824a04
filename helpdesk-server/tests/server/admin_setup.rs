//! A complete desk set up from an empty database through the JSON API only (after the
//! first admin, whom the server's `--create-admin` start-up flag makes): departments, a
//! business-hours calendar with a holiday, SLA policies, agents and a customer with logins,
//! a template, canned responses in four languages and attachment limits; then shown
//! working: the agent signs in, a new ticket's SLA clock runs and breaches, and disabling
//! people revokes their tokens and refuses their sign-in.

use std::sync::Arc;

use axum::http::StatusCode;
use chrono::TimeDelta;
use helpdesk_server::Options;
use serde_json::{Value, json};

use crate::support::*;

/// The admin routes, tested below with a success and an error each (`routes.rs` checks the
/// OpenAPI table against these and its own list).
pub(crate) const ADMIN_TESTED: &[(&str, &str)] = &[
    ("put", "/api/v1/departments/{department}"),
    ("post", "/api/v1/agents"),
    ("put", "/api/v1/agents/{agent}"),
    ("put", "/api/v1/agents/{agent}/login"),
    ("post", "/api/v1/customers"),
    ("put", "/api/v1/customers/{customer}/login"),
    ("get", "/api/v1/templates"),
    ("post", "/api/v1/templates"),
    ("get", "/api/v1/canned-responses"),
    ("post", "/api/v1/canned-responses"),
    ("get", "/api/v1/settings/service-levels"),
    ("put", "/api/v1/settings/calendars/{name}"),
    ("delete", "/api/v1/settings/calendars/{name}"),
    ("put", "/api/v1/settings/default-calendar"),
    ("put", "/api/v1/settings/departments/{department}/calendar"),
    ("put", "/api/v1/settings/sla-policies/{name}"),
    ("delete", "/api/v1/settings/sla-policies/{name}"),
    ("get", "/api/v1/settings/attachment-limits"),
    ("put", "/api/v1/settings/attachment-limits"),
    ("get", "/api/v1/settings/audit"),
];

async fn put(fx: &Fixture, uri: &str, token: &str, body: Value) -> Reply {
    fx.call("PUT", uri, Some(token), Some(body)).await
}

async fn delete(fx: &Fixture, uri: &str, token: &str) -> Reply {
    fx.call("DELETE", uri, Some(token), None).await
}

async fn sign_in(fx: &Fixture, login: &str, password: &str) -> Reply {
    fx.call(
        "POST",
        "/api/v1/auth/token",
        None,
        Some(json!({"login": login, "password": password})),
    )
    .await
}

fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_owned()
}

#[tokio::test]
async fn a_whole_desk_is_set_up_from_an_empty_database_through_the_api_only() {
    let clock = Arc::new(AheadClock::default());
    let desk = desk_at(":memory:").await.with_clock(clock.clone());
    let (router, accounts) = app(desk.clone(), Options::default());
    helpdesk_server::setup::create_admin(&desk, &accounts, "root@example.com", PASSWORD)
        .await
        .unwrap();
    let fx = Fixture::bare(router);
    let admin = fx.login("root@example.com").await;

    // Departments.
    let support = fx
        .post("/api/v1/departments", &admin, json!({"name": "Support"}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    let billing = fx
        .post("/api/v1/departments", &admin, json!({"name": "Billing"}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    let (support, billing) = (id(&support), id(&billing));
    let renamed = put(
        &fx,
        &format!("/api/v1/departments/{billing}"),
        &admin,
        json!({"name": "Billing & Payments", "follow_up": "new_ticket"}),
    )
    .await
    .expect(StatusCode::OK)
    .json();
    assert_eq!(renamed["name"], "Billing & Payments");
    assert_eq!(renamed["follow_up"], "new_ticket");
    let bad = put(
        &fx,
        &format!("/api/v1/departments/{billing}"),
        &admin,
        json!({"name": ""}),
    )
    .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");

    // A calendar, Monday–Friday 09:00–18:00 in Bucharest with a holiday, for Support.
    let office = json!({"zone": "Europe/Bucharest", "hours": ["mon-fri 09:00-18:00"],
        "holidays": ["2026-12-25"], "yearly_holidays": ["01-01"]});
    put(
        &fx,
        "/api/v1/settings/calendars/office",
        &admin,
        office.clone(),
    )
    .await
    .expect(StatusCode::OK);
    put(&fx, "/api/v1/settings/calendars/spare", &admin, office)
        .await
        .expect(StatusCode::OK);
    let bad = put(
        &fx,
        "/api/v1/settings/calendars/mars",
        &admin,
        json!({"zone": "Mars/Olympus", "hours": ["mon 09:00-10:00"]}),
    )
    .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    put(
        &fx,
        &format!("/api/v1/settings/departments/{support}/calendar"),
        &admin,
        json!({"calendar": "office"}),
    )
    .await
    .expect(StatusCode::OK);
    let unknown = put(
        &fx,
        "/api/v1/settings/departments/0190b3c4-0000-7000-8000-000000000000/calendar",
        &admin,
        json!({"calendar": "office"}),
    )
    .await;
    assert_error(&unknown, StatusCode::NOT_FOUND, "not_found");
    put(
        &fx,
        "/api/v1/settings/default-calendar",
        &admin,
        json!({"calendar": "office"}),
    )
    .await
    .expect(StatusCode::OK);
    let bad = put(
        &fx,
        "/api/v1/settings/default-calendar",
        &admin,
        json!({"calendar": "nowhere"}),
    )
    .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    // A calendar in use stays; an unused one goes.
    let in_use = delete(&fx, "/api/v1/settings/calendars/office", &admin).await;
    assert_error(&in_use, StatusCode::BAD_REQUEST, "validation");
    delete(&fx, "/api/v1/settings/calendars/spare", &admin)
        .await
        .expect(StatusCode::OK);

    // SLA policies per priority.
    put(
        &fx,
        "/api/v1/settings/sla-policies/urgent",
        &admin,
        json!({"priorities": ["high", "urgent"], "first_response_minutes": 60,
            "resolution_minutes": 480}),
    )
    .await
    .expect(StatusCode::OK);
    put(
        &fx,
        "/api/v1/settings/sla-policies/standard",
        &admin,
        json!({"first_response_minutes": 240, "resolution_minutes": 2400}),
    )
    .await
    .expect(StatusCode::OK);
    put(
        &fx,
        "/api/v1/settings/sla-policies/temporary",
        &admin,
        json!({"first_response_minutes": 1}),
    )
    .await
    .expect(StatusCode::OK);
    let levels = delete(&fx, "/api/v1/settings/sla-policies/temporary", &admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(levels["policies"].as_array().unwrap().len(), 2);
    let missing = delete(&fx, "/api/v1/settings/sla-policies/temporary", &admin).await;
    assert_error(&missing, StatusCode::BAD_REQUEST, "validation");
    let no_target = put(
        &fx,
        "/api/v1/settings/sla-policies/empty",
        &admin,
        json!({"priorities": ["low"]}),
    )
    .await;
    assert_error(&no_target, StatusCode::BAD_REQUEST, "validation");

    // Attachment limits: one file per ticket in Billing.
    let limits = json!({"department": billing, "limits": {"max_size": 1048576,
        "max_count": 1, "max_per_ticket": 1, "allowed_types": ["image/*", "application/pdf"]}});
    put(&fx, "/api/v1/settings/attachment-limits", &admin, limits)
        .await
        .expect(StatusCode::OK);
    let bad = put(
        &fx,
        "/api/v1/settings/attachment-limits",
        &admin,
        json!({"limits": {"max_size": 0, "max_count": 1, "allowed_types": ["image/*"]}}),
    )
    .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    let stored = fx
        .get("/api/v1/settings/attachment-limits", &admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(stored["departments"][&billing]["max_per_ticket"], 1);

    // Agents with logins, a customer with a login.
    let ivan = fx
        .post(
            "/api/v1/agents",
            &admin,
            json!({"name": "Ivan Petrov", "email": "ivan@example.com",
                "departments": [support, billing],
                "login": {"login": "ivan", "password": "ivan's long password"}}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let duplicate = fx
        .post(
            "/api/v1/agents",
            &admin,
            json!({"name": "Ivan Again", "email": "ivan2@example.com",
                "login": {"login": "ivan", "password": "x"}}),
        )
        .await;
    assert_error(&duplicate, StatusCode::CONFLICT, "conflict");
    let sofia = fx
        .post(
            "/api/v1/agents",
            &admin,
            json!({"name": "Sofia", "email": "sofia@example.com", "role": "supervisor"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let sofia_id = id(&sofia);
    put(
        &fx,
        &format!("/api/v1/agents/{sofia_id}/login"),
        &admin,
        json!({"login": "sofia", "password": "sofia's long password"}),
    )
    .await
    .expect(StatusCode::OK);
    // A password past the edge's limit is refused before it is hashed, as on sign-in.
    let too_long = put(
        &fx,
        &format!("/api/v1/agents/{sofia_id}/login"),
        &admin,
        json!({"login": "sofia", "password": "x".repeat(1025)}),
    )
    .await;
    assert_error(&too_long, StatusCode::BAD_REQUEST, "validation");
    let edited = put(
        &fx,
        &format!("/api/v1/agents/{sofia_id}"),
        &admin,
        json!({"role": "admin", "departments": [support]}),
    )
    .await
    .expect(StatusCode::OK)
    .json();
    assert_eq!(edited["role"], "admin");
    let bad = put(
        &fx,
        &format!("/api/v1/agents/{sofia_id}"),
        &admin,
        json!({"role": "emperor"}),
    )
    .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    let ana = fx
        .post(
            "/api/v1/customers",
            &admin,
            json!({"kind": "individual", "name": "Ana Popescu", "email": "ana@example.ro",
                "phone": "+40 721 000 111", "language": "ro"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let bad = fx
        .post(
            "/api/v1/customers",
            &admin,
            json!({"kind": "martian", "name": "Zork"}),
        )
        .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    let ana_id = id(&ana);
    put(
        &fx,
        &format!("/api/v1/customers/{ana_id}/login"),
        &admin,
        json!({"login": "ana", "password": "ana's long password"}),
    )
    .await
    .expect(StatusCode::OK);

    // A template, canned responses in four languages.
    fx.post(
        "/api/v1/templates",
        &admin,
        json!({"name": "Router down", "department": support, "ticket_type": "incident",
            "body": "The router is down"}),
    )
    .await
    .expect(StatusCode::CREATED);
    let bad = fx
        .post(
            "/api/v1/templates",
            &admin,
            json!({"name": "No body", "department": support}),
        )
        .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    assert_eq!(fx.get("/api/v1/templates", &admin).await.items().len(), 1);
    for (language, body) in [
        ("en", "Hello {{customer_name}}, we are on it."),
        ("ro", "Bună ziua {{customer_name}}, ne ocupăm."),
        ("ru", "Здравствуйте, {{customer_name}}, мы занимаемся."),
        ("fa", "سلام {{customer_name}}، در حال بررسی هستیم."),
    ] {
        fx.post(
            "/api/v1/canned-responses",
            &admin,
            json!({"name": "On it", "language": language, "body": body}),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    let bad = fx
        .post(
            "/api/v1/canned-responses",
            &admin,
            json!({"name": "Broken", "language": "en", "body": "Hi {{nobody}}"}),
        )
        .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    let ro = fx
        .get("/api/v1/canned-responses?language=ro", &admin)
        .await
        .expect(StatusCode::OK);
    assert_eq!(ro.items().len(), 1);

    // It works: the agent and the customer sign in, a customer's ticket gets the standard
    // policy's clocks, and they breach once the time passes.
    let ivan_token = sign_in(&fx, "ivan", "ivan's long password")
        .await
        .expect(StatusCode::CREATED)
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let ana_token = sign_in(&fx, "ana", "ana's long password")
        .await
        .expect(StatusCode::CREATED)
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let ticket = fx
        .post(
            "/api/v1/tickets",
            &ana_token,
            json!({"subject": "No internet", "body": "Since this morning",
                "department": support}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(ticket["timers"]["sla_policy"], "standard", "{ticket}");
    assert!(ticket["next_due_at"].is_string(), "{ticket}");
    let seen = fx
        .get(&format!("/api/v1/tickets/{}", id(&ticket)), &ivan_token)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(seen["next_due_at"], ticket["next_due_at"]);
    clock.advance(TimeDelta::days(30));
    let report = desk.run_due(clock_now(&clock)).await.unwrap();
    assert!(report.events >= 2, "{report:?}");

    // The audit trail names the admin on every change.
    let audit = fx
        .get("/api/v1/settings/audit?limit=100", &admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert!(audit.len() >= 9, "{audit:?}");
    assert!(audit.iter().all(|c| c["actor"]["kind"] == "agent"));
    // The template and the canned responses too, each naming its entry.
    let of = |key: &str| audit.iter().filter(|c| c["key"] == key).count();
    assert_eq!(of("template"), 1, "{audit:?}");
    assert_eq!(of("canned_response"), 4, "{audit:?}");
    assert!(
        audit
            .iter()
            .filter(|c| c["key"] == "template" || c["key"] == "canned_response")
            .all(|c| c["item"].is_string() && c["before"].is_null())
    );
    let bad = fx.get("/api/v1/settings/audit?limit=0", &admin).await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    let levels = fx
        .get("/api/v1/settings/service-levels", &admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(levels["department_calendars"][&support], "office");

    // Agents and customers may not read or change settings.
    for token in [&ivan_token, &ana_token] {
        for reply in [
            fx.get("/api/v1/settings/service-levels", token).await,
            fx.get("/api/v1/settings/attachment-limits", token).await,
        ] {
            assert_error(&reply, StatusCode::FORBIDDEN, "forbidden");
        }
    }
    let refused = put(
        &fx,
        &format!("/api/v1/agents/{sofia_id}/login"),
        &ivan_token,
        json!({"login": "sofia", "password": "taken over"}),
    )
    .await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    let refused = put(
        &fx,
        &format!("/api/v1/customers/{ana_id}/login"),
        &ivan_token,
        json!({"login": "ana", "password": "taken over"}),
    )
    .await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    // A person changes their own password.
    put(
        &fx,
        &format!("/api/v1/customers/{ana_id}/login"),
        &ana_token,
        json!({"login": "ana", "password": "ana's new password"}),
    )
    .await
    .expect(StatusCode::OK);
    let refused = fx.get("/api/v1/templates", "not-a-token").await;
    assert_error(&refused, StatusCode::UNAUTHORIZED, "unauthorized");
    let refused = fx.get("/api/v1/canned-responses", &ana_token).await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");

    // Disabling: tokens revoked, sign-in refused even with the right password.
    put(
        &fx,
        &format!("/api/v1/customers/{ana_id}/access"),
        &admin,
        json!({"enabled": false}),
    )
    .await
    .expect(StatusCode::OK);
    put(
        &fx,
        &format!("/api/v1/agents/{}", id(&ivan)),
        &admin,
        json!({"active": false}),
    )
    .await
    .expect(StatusCode::OK);
    for token in [&ana_token, &ivan_token] {
        let reply = fx.get("/api/v1/me", token).await;
        assert_error(&reply, StatusCode::UNAUTHORIZED, "unauthorized");
    }
    for (login, password) in [
        ("ana", "ana's new password"),
        ("ivan", "ivan's long password"),
    ] {
        let reply = sign_in(&fx, login, password).await;
        assert_error(&reply, StatusCode::FORBIDDEN, "forbidden");
        // The sign-in page sets no session cookie either.
        let page = sign_in_page(&fx, login, password).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.text());
        assert!(page.headers.get("set-cookie").is_none());
    }
}

fn clock_now(clock: &AheadClock) -> chrono::DateTime<chrono::Utc> {
    use helpdesk::clock::Clock;
    clock.now()
}

/// `--demo` shows the whole desk: calendars (Billing's with holidays), SLA policies per
/// priority whose clocks run on the demo's tickets and warn within the hour, templates and
/// canned responses in four languages that an agent reads over the API.
#[tokio::test]
async fn the_demo_has_calendars_sla_policies_templates_and_canned_responses() {
    let clock = Arc::new(AheadClock::default());
    let desk = desk_at(":memory:").await.with_clock(clock.clone());
    let (router, accounts) = app(desk.clone(), Options::default());
    helpdesk_server::demo::load(&desk, &accounts).await.unwrap();
    let levels = desk.stored_service_levels().await.unwrap();
    assert_eq!(levels.calendars.len(), 2);
    assert_eq!(levels.department_calendars.len(), 2);
    let names: Vec<&str> = levels.policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["urgent", "high", "standard"]);
    let office = &levels.calendars[&helpdesk::domain::Name::parse("office").unwrap()];
    assert!(office.is_holiday("2026-12-25".parse().unwrap()));
    assert!(
        !office.is_working_day("2026-01-03".parse().unwrap()),
        "a Saturday"
    );

    let fx = Fixture::bare(router);
    let credentials =
        json!({"login": "ivan@demo.example", "password": helpdesk_server::demo::PASSWORD});
    let ivan = fx
        .call("POST", "/api/v1/auth/token", None, Some(credentials))
        .await
        .expect(StatusCode::CREATED)
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let tickets = fx
        .get("/api/v1/tickets", &ivan)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(tickets.len(), 4);
    assert!(
        tickets.iter().all(|t| t["next_due_at"].is_string()),
        "every demo ticket has a running clock: {tickets:?}"
    );
    for language in ["en", "ro", "ru", "fa"] {
        let canned = fx
            .get(
                &format!("/api/v1/canned-responses?language={language}"),
                &ivan,
            )
            .await
            .expect(StatusCode::OK)
            .items();
        assert_eq!(canned.len(), 1, "{language}");
    }
    assert_eq!(fx.get("/api/v1/templates", &ivan).await.items().len(), 2);
    // Within the hour the unanswered tickets are warned about.
    clock.advance(TimeDelta::minutes(40));
    let report = desk.run_due(clock_now(&clock)).await.unwrap();
    assert!(report.events >= 2, "{report:?}");
}
