//! How many store calls an API request makes: the hot routes read their principal with the
//! request's own reads (`execute_as_with`, `ticket_with_thread_as`, `list_tickets_as`), so
//! none of them reads the agent apart; a deactivated agent is still refused with 403.

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use helpdesk::Helpdesk;
use helpdesk::domain::{Actor, CustomerKind, Email, Name, Role, TicketKey, standard_permissions};
use helpdesk::policy::FollowUpPolicy;
use helpdesk::service::{NewAgent, NewCustomer};
use helpdesk::store::Store;
use helpdesk_server::{Accounts, Options};
use serde_json::json;

use crate::support::{Fixture, PASSWORD, Reply, Session, assert_error, form, page, page_login};

/// A SQLite store recording the name of every required method called on it (the accounts'
/// calls go to its abilities and are not recorded).
#[derive(Debug)]
struct Recorded {
    inner: Arc<dyn Store>,
    calls: Mutex<Vec<&'static str>>,
}

impl Recorded {
    fn take(&self) -> Vec<&'static str> {
        std::mem::take(&mut *self.calls.lock().unwrap())
    }
}

helpdesk::delegate_store! {
    impl Store for Recorded {
        via |this| this.inner,
        offering its abilities,
        before |this, name| this.calls.lock().unwrap().push(name);
    }
}

/// The server over a [`Recorded`] store: Support, Ivan (an agent in it), Ana (a customer)
/// with her ticket; their tokens and the ticket's id.
async fn server() -> (Fixture, Arc<Recorded>, Helpdesk, String) {
    let store = Arc::new(Recorded {
        inner: helpdesk::connect(":memory:").await.unwrap(),
        calls: Mutex::default(),
    });
    let desk = Helpdesk::new(store.clone());
    let system = desk.as_system();
    let name = |n: &str| Name::parse(n).unwrap();
    let support = system
        .create_department(name("Support"), FollowUpPolicy::Reopen)
        .await
        .unwrap();
    let accounts = Arc::new(Accounts::for_tests(desk.store().clone()).unwrap());
    let ivan = system
        .create_agent(
            NewAgent::new(
                name("Ivan"),
                Email::parse("ivan@example.com").unwrap(),
                Role::Agent,
            )
            .in_department(support.id, standard_permissions()),
        )
        .await
        .unwrap();
    accounts
        .set_login("ivan@example.com", PASSWORD, Actor::Agent(ivan.id))
        .await
        .unwrap();
    let ana = system
        .create_customer(
            NewCustomer::new(CustomerKind::Individual, name("Ana"))
                .with_email(Email::parse("ana@example.ro").unwrap()),
        )
        .await
        .unwrap();
    accounts
        .set_login("ana@example.ro", PASSWORD, Actor::Customer(ana.id))
        .await
        .unwrap();
    let app = helpdesk_server::router(desk.clone(), accounts, Options::default());
    let mut fx = Fixture::bare(app);
    fx.support = support.id.to_string();
    fx.ivan = fx.login("ivan@example.com").await;
    fx.ana = fx.login("ana@example.ro").await;
    let ticket = fx.open(&fx.ana, "Routerul nu merge").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    store.take();
    (fx, store, desk, ticket)
}

#[tokio::test]
async fn a_reply_a_transition_a_thread_and_a_queue_page_read_their_principal_with_their_reads() {
    let (fx, store, _, ticket) = server().await;

    let uri = format!("/api/v1/tickets/{ticket}/messages");
    let reply = fx
        .post(&uri, &fx.ivan, json!({"body": "Restart it."}))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    // The agent, the ticket and what the reply decides on in one call (before: the agent
    // apart first), then the commit (no mail is set up: no e-mail, no earlier mail read).
    assert_eq!(store.take(), ["read_together", "commit"]);

    let uri = format!("/api/v1/tickets/{ticket}/transitions");
    let body = json!({"command": "put_on_hold", "reason": null});
    let reply = fx.post(&uri, &fx.ivan, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(store.take(), ["read_together", "commit"]);

    let reply = fx
        .get(&format!("/api/v1/tickets/{ticket}/messages"), &fx.ivan)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.items().len(), 2);
    assert_eq!(store.take(), ["read_together"]);

    // The queue page with its principal in one call; its total is a count.
    let reply = fx.get("/api/v1/tickets", &fx.ivan).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.items().len(), 1);
    assert_eq!(store.take(), ["read_together", "count_tickets"]);

    // The customer's own reply: she is read with her ticket, not apart.
    let uri = format!("/api/v1/tickets/{ticket}/messages");
    let reply = fx
        .post(&uri, &fx.ana, json!({"body": "Done, still red."}))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert!(!store.take().contains(&"customer"));
}

#[tokio::test]
async fn a_deactivated_agent_is_refused_on_every_hot_route_as_before() {
    let (fx, _, desk, ticket) = server().await;
    let ivan = desk
        .as_system()
        .agents()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name.as_str() == "Ivan")
        .unwrap();
    let mut off = ivan.clone();
    off.active = false;
    desk.store().put_agent(&off).await.unwrap();
    let uri = format!("/api/v1/tickets/{ticket}/messages");
    for reply in [
        fx.post(&uri, &fx.ivan, json!({"body": "Restart it."}))
            .await,
        fx.get(&uri, &fx.ivan).await,
        fx.get("/api/v1/tickets", &fx.ivan).await,
        fx.post(
            &format!("/api/v1/tickets/{ticket}/transitions"),
            &fx.ivan,
            json!({"command": "resolve", "body": null}),
        )
        .await,
        fx.post(
            "/api/v1/tickets",
            &fx.ivan,
            json!({"subject": "Phone call", "body": "Router red.", "department": fx.support}),
        )
        .await,
    ] {
        assert_error(&reply, StatusCode::FORBIDDEN, "forbidden");
    }
}

#[tokio::test]
async fn opening_a_ticket_reads_its_principal_with_what_opening_decides_on() {
    let (fx, store, _, _) = server().await;
    let body = json!({"subject": "Nu merge", "body": "Routerul e rosu.", "department": fx.support});

    let reply = fx.post("/api/v1/tickets", &fx.ana, body.clone()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    // Ana, the department, the agents, the settings and the triggers in one call (before:
    // Ana apart first), then the commit. The fixture's ticket used the first reserved
    // number: this one reserves a block of two.
    assert_eq!(
        store.take(),
        ["read_together", "next_ticket_sequences", "commit"]
    );

    // An agent's phone ticket for Ana: the same, its number from the block.
    let customer = reply.json()["customer"].as_str().unwrap().to_owned();
    let phone = json!({"subject": "Sunat", "body": "Routerul e rosu.",
        "department": fx.support, "customer": customer});
    let reply = fx.post("/api/v1/tickets", &fx.ivan, phone).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(store.take(), ["read_together", "commit"]);
    assert_eq!(reply.json()["customer"].as_str(), Some(customer.as_str()));
}

/// [`server`] with Ivan and Ana signed in on the pages.
async fn pages() -> (Fixture, Arc<Recorded>, Helpdesk, String, Session, Session) {
    let (fx, store, desk, ticket) = server().await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    let ana = page_login(&fx, "ana@example.ro").await;
    store.take();
    (fx, store, desk, ticket, ivan, ana)
}

/// A multipart form posted from `session`'s pages, with their CSRF token and no files.
async fn posted(fx: &Fixture, session: &Session, uri: &str, fields: &[(&str, &str)]) -> Reply {
    let mut fields = fields.to_vec();
    fields.push(("csrf", &session.csrf));
    fx.multipart(uri, ("cookie", &session.cookie), &fields, &[])
        .await
}

#[tokio::test]
async fn the_queue_pages_read_their_principal_with_the_page() {
    let (fx, store, _, _, ivan, _) = pages().await;
    // Each page, and whether Ana's unassigned ticket is on it.
    for (uri, listed) in [
        ("/console", true),
        ("/console?status=all&order=last_update", true),
        ("/console?department=&priority=normal", true),
        ("/console?assignee=me", false),
    ] {
        let reply = page(&fx, &ivan, uri).await.expect(StatusCode::OK);
        assert_eq!(reply.text().contains("Routerul nu merge"), listed, "{uri}");
        // Ivan with the page in one call (before: the agent apart first), then the total
        // and the names the rows show.
        let calls = store.take();
        assert_eq!(
            calls,
            ["read_together", "count_tickets", "departments", "agents"],
            "{uri}"
        );
    }
}

#[tokio::test]
async fn the_ticket_pages_and_the_case_list_read_their_principal_with_the_ticket() {
    let (fx, store, _, ticket, ivan, ana) = pages().await;
    let uri = format!("/tickets/{ticket}");

    page(&fx, &ivan, &uri).await.expect(StatusCode::OK);
    // Ivan, the ticket and its newest thread page in one call (before: the agent apart
    // first); the rest are the page's panels (customer, history, links, time).
    assert_eq!(
        store.take(),
        [
            "read_together",
            "agents",
            "ticket",
            "history",
            "departments",
            "customer",
            "ticket",
            "department",
            "customer",
            "ticket",
            "list_tickets",
            "customer",
            "list_tickets",
            "ticket",
            "ticket",
            "ticket",
            "time_entries",
            "customer"
        ]
    );

    let html = page(&fx, &ana, &uri).await.expect(StatusCode::OK).text();
    assert!(html.contains("Routerul nu merge"));
    // Ana with her ticket and its thread in one call (before: the customer apart first).
    assert_eq!(
        store.take(),
        [
            "read_together",
            "ticket",
            "ticket",
            "time_entries",
            "ticket",
            "department",
            "ticket",
            "department"
        ]
    );

    let html = page(&fx, &ana, "/portal")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("Routerul nu merge"));
    assert_eq!(store.take(), ["read_together", "notifications"]);
    // A filtered case list, the same.
    page(&fx, &ana, "/portal?status=new")
        .await
        .expect(StatusCode::OK);
    assert_eq!(store.take(), ["read_together", "notifications"]);
}

#[tokio::test]
async fn the_reply_note_status_and_new_ticket_forms_read_their_principal_with_their_reads() {
    let (fx, store, _, ticket, ivan, ana) = pages().await;
    let uri = format!("/tickets/{ticket}/message");

    let reply = posted(&fx, &ivan, &uri, &[("body", "Restart it.")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    // Ivan, the ticket and what the reply decides on in one call, then the commit.
    assert_eq!(store.take(), ["read_together", "commit"]);

    let note = [("body", "Her router is old."), ("internal", "on")];
    let reply = posted(&fx, &ivan, &uri, &note).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    assert_eq!(store.take(), ["read_together", "commit"]);

    let action = format!("/tickets/{ticket}/action");
    let reply = form(&fx, &ivan, &action, "action=hold").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    assert_eq!(store.take(), ["read_together", "commit"]);

    let reply = posted(&fx, &ana, &uri, &[("body", "Done, still red.")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    assert_eq!(store.take(), ["read_together", "commit"]);

    let new = [
        ("department", fx.support.as_str()),
        ("ticket_type", "question"),
        ("subject", "Nu merge"),
        ("body", "Routerul e rosu."),
        ("priority", "normal"),
    ];
    let reply = posted(&fx, &ana, "/portal/tickets", &new).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    // Ana, the department, the agents, the settings and the triggers in one call, then the
    // commit; the fixture's ticket used the first reserved number, this one reserves two.
    assert_eq!(
        store.take(),
        ["read_together", "next_ticket_sequences", "commit"]
    );
}

#[tokio::test]
async fn a_deactivated_agent_and_a_disabled_customer_are_refused_on_the_hot_pages_as_before() {
    let (fx, store, desk, ticket, ivan, ana) = pages().await;
    let agents = desk.as_system().agents().await.unwrap();
    let mut off = agents
        .into_iter()
        .find(|a| a.name.as_str() == "Ivan")
        .unwrap();
    off.active = false;
    desk.store().put_agent(&off).await.unwrap();
    let message = format!("/tickets/{ticket}/message");
    let refused = [
        page(&fx, &ivan, "/console").await,
        page(&fx, &ivan, "/console?status=all").await,
        page(&fx, &ivan, &format!("/tickets/{ticket}")).await,
        posted(&fx, &ivan, &message, &[("body", "Restart it.")]).await,
        posted(&fx, &ivan, &message, &[("body", "")]).await,
        form(
            &fx,
            &ivan,
            &format!("/tickets/{ticket}/action"),
            "action=hold",
        )
        .await,
    ];
    for reply in refused {
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());
        assert!(reply.text().contains("id=\"error\""), "{}", reply.text());
    }
    assert!(!store.take().contains(&"commit"), "nothing written");

    let key: TicketKey = ticket.parse().unwrap();
    let id = desk
        .as_system()
        .ticket(key)
        .await
        .unwrap()
        .customer
        .unwrap();
    let mut record = desk.store().customer(id).await.unwrap().unwrap();
    record.access_enabled = false;
    desk.store().put_customer(&record).await.unwrap();
    let new = [
        ("department", fx.support.as_str()),
        ("subject", "Nu merge"),
        ("body", "Routerul e rosu."),
    ];
    let refused = [
        page(&fx, &ana, "/portal").await,
        page(&fx, &ana, &format!("/tickets/{ticket}")).await,
        posted(&fx, &ana, &message, &[("body", "Still red.")]).await,
        posted(&fx, &ana, "/portal/tickets", &new).await,
    ];
    for reply in refused {
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());
        let html = reply.text();
        assert!(html.contains("id=\"account-disabled\""), "{html}");
    }
    assert!(!store.take().contains(&"commit"), "nothing written");
}
