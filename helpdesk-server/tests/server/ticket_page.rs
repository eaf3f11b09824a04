//! The agent's ticket page a team works on all day (issue 21, problem 5): the customer panel
//! (name, contact, organisation, other tickets, the queue filtered by them), the assignee,
//! the SLA clocks with their due times (Persian digits and the Solar Hijri calendar on
//! Persian pages), every action the agent's permissions allow and only those, refusals inline
//! with what was typed kept, messages labelled with their author, canned responses with the
//! script that inserts them; customers never see internal notes, the panel or the clocks.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use helpdesk::domain::{
    Actor, CustomerKind, Email, Name, Permission, Phone, Priority, Role, standard_permissions,
};
use helpdesk::policy::SlaPolicySetting;
use helpdesk::service::{NewAgent, NewCustomer};
use serde_json::json;

use crate::languages::visible;
use crate::routes::id_of;
use crate::support::*;

/// A Support agent holding only `permissions`, signed in on the pages.
async fn agent_with(fx: &Fixture, login: &str, permissions: &[Permission]) -> Session {
    let desk = fx.desk.as_ref().unwrap();
    let set: BTreeSet<Permission> = permissions.iter().copied().collect();
    let new = NewAgent::new(
        Name::parse(login).unwrap(),
        Email::parse(login).unwrap(),
        Role::Agent,
    )
    .in_department(fx.support.parse().unwrap(), set);
    let agent = desk.as_system().create_agent(new).await.unwrap();
    let accounts = fx.accounts.as_ref().unwrap();
    accounts
        .set_login(login, PASSWORD, Actor::Agent(agent.id))
        .await
        .unwrap();
    page_login(fx, login).await
}

/// A service-level policy for normal tickets: first response in 30 minutes, resolution in a
/// day.
async fn sla_policy(fx: &Fixture) {
    let mut policy = SlaPolicySetting::new(Name::parse("standard").unwrap());
    policy.priorities = vec![Priority::Normal, Priority::Low];
    policy.first_response_minutes = Some(30);
    policy.resolution_minutes = Some(1440);
    fx.desk
        .as_ref()
        .unwrap()
        .as_system()
        .put_sla_policy(policy)
        .await
        .unwrap();
}

/// Olga of the organisation Romashka, with a phone, and her API token.
async fn olga(fx: &Fixture) -> String {
    let system = fx.desk.as_ref().unwrap().as_system();
    let org = system
        .create_customer(NewCustomer::new(
            CustomerKind::Organisation,
            Name::parse("ООО «Ромашка»").unwrap(),
        ))
        .await
        .unwrap();
    let new = NewCustomer::new(
        CustomerKind::Individual,
        Name::parse("Ольга Смирнова").unwrap(),
    )
    .with_email(Email::parse("olga@example.ru").unwrap())
    .with_phone(Phone::parse("+7 495 000-00-00").unwrap())
    .with_organisation(org.id);
    let olga = system.create_customer(new).await.unwrap();
    fx.accounts
        .as_ref()
        .unwrap()
        .set_login("olga@example.ru", PASSWORD, Actor::Customer(olga.id))
        .await
        .unwrap();
    fx.login("olga@example.ru").await
}

/// The part of a page from the element whose `id` is given to the first end of a form or
/// section after it: one form, or one side panel.
fn from_id<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[at..];
    let end = ["</form>", "</section>"]
        .iter()
        .filter_map(|close| rest.find(close))
        .min();
    &rest[..end.unwrap_or(rest.len())]
}

#[tokio::test]
async fn the_customer_panel_names_the_customer_their_organisation_and_other_tickets() {
    let fx = fixture().await;
    let olga = olga(&fx).await;
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(id_of(&fx.open(&olga, &format!("Вопрос {i}")).await));
    }
    let other = fx.open(&fx.ana, "Not Olga's").await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, &format!("/tickets/{}", ids[6]))
        .await
        .expect(StatusCode::OK)
        .text();
    let panel = from_id(&html, "customer-panel");
    for shown in [
        "Ольга Смирнова",
        "olga@example.ru",
        "+7 495 000-00-00",
        "ООО «Ромашка»",
        "Their other tickets",
    ] {
        assert!(panel.contains(shown), "{shown} in {panel}");
    }
    // Five others, the most recently active first, never this ticket or another customer's.
    let listed: Vec<&str> = panel.split("href=\"/tickets/").skip(1).collect();
    assert_eq!(listed.len(), 5, "{panel}");
    assert!(listed[0].starts_with(&ids[5]), "{panel}");
    assert!(!panel.contains(&format!("/tickets/{}\"", ids[6])));
    assert!(!panel.contains(&id_of(&other)));
    // More than shown: the queue filtered by the customer lists all seven, and only them.
    let (_, more) = panel.split_once("id=\"more-tickets\" href=\"").unwrap();
    let more = more.split('"').next().unwrap().replace("&amp;", "&");
    let queue = page(&fx, &ivan, &more).await.expect(StatusCode::OK).text();
    for id in &ids {
        assert!(queue.contains(id.as_str()), "{id} in the customer's queue");
    }
    assert!(!queue.contains(&id_of(&other)), "{queue}");
    assert!(
        queue.contains("id=\"customer-filter\""),
        "the filter shown, to be undone: {queue}"
    );

    // A customer with a single ticket: no list, no "more".
    let html = page(&fx, &ivan, &format!("/tickets/{}", id_of(&other)))
        .await
        .expect(StatusCode::OK)
        .text();
    let panel = from_id(&html, "customer-panel");
    assert!(panel.contains("id=\"no-other-tickets\""), "{panel}");
    assert!(!panel.contains("more-tickets"), "{panel}");
}

#[tokio::test]
async fn the_assignee_and_the_sla_clocks_show_with_their_due_times() {
    let fx = fixture().await;
    sla_policy(&fx).await;
    let ticket = fx.open(&fx.ana, "Nu merge internetul").await;
    let id = id_of(&ticket);
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    let clocks = from_id(&html, "ticket-clocks");
    assert!(clocks.contains("Unassigned"), "{clocks}");
    assert!(
        clocks.contains("data-target=\"first_response\" data-state=\"running\""),
        "{clocks}"
    );
    assert!(clocks.contains("First response"), "{clocks}");
    assert!(clocks.contains("Resolution"), "{clocks}");
    assert!(clocks.contains("<time datetime="), "the due time: {clocks}");

    // Assigned, the assignee is named; past the first response's due time, it is overdue.
    form(
        &fx,
        &ivan,
        &format!("/tickets/{id}/action"),
        &format!("action=assign&agent={}", fx.ivan_id),
    )
    .await;
    fx.clock.advance(chrono::TimeDelta::minutes(45));
    let html = page(&fx, &ivan, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    let clocks = from_id(&html, "ticket-clocks");
    assert!(clocks.contains("ivan@example.com"), "{clocks}");
    assert!(
        clocks.contains("data-target=\"first_response\" data-state=\"breached\""),
        "{clocks}"
    );

    // On a Persian page the due time is in the Solar Hijri calendar, in Persian digits.
    let html = page(&fx, &ivan, &format!("/tickets/{id}?lang=fa"))
        .await
        .expect(StatusCode::OK)
        .text();
    let clocks = from_id(&html, "ticket-clocks");
    assert!(clocks.contains("نخستین پاسخ"), "{clocks}");
    let due = clocks.split("<time").nth(1).unwrap();
    let shown = due.split('>').nth(1).unwrap();
    assert!(
        shown.starts_with("۱۴"),
        "a Solar Hijri year in Persian digits: {shown}"
    );
    assert!(!shown.chars().any(|c| c.is_ascii_digit()), "{shown}");
}

#[tokio::test]
async fn an_agent_is_offered_only_the_actions_their_permissions_allow() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Nu merge internetul").await;
    let uri = format!("/tickets/{}", id_of(&ticket));

    // Everything but raising the priority: every form.
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, &uri).await.expect(StatusCode::OK).text();
    for form in [
        "assign-form",
        "priority-form",
        "ask-form",
        "transition-form",
        "link-form",
        "log-time-form",
        "merge-form",
        "split-form",
    ] {
        assert!(html.contains(&format!("id=\"{form}\"")), "{form}");
    }
    let transitions = from_id(&html, "transition-form");
    for value in [
        "resolve",
        "hold",
        "close",
        "close_unsolved",
        "close_duplicate",
    ] {
        assert!(
            transitions.contains(&format!("value=\"{value}\"")),
            "{value}"
        );
    }
    assert!(
        !transitions.contains("value=\"reopen\""),
        "an open ticket cannot be reopened"
    );

    // Read and reply only: ask the customer and put on hold, nothing else.
    let reader = agent_with(
        &fx,
        "rita@example.com",
        &[Permission::Read, Permission::Reply],
    )
    .await;
    let html = page(&fx, &reader, &uri).await.expect(StatusCode::OK).text();
    assert!(html.contains("id=\"ask-form\""));
    let transitions = from_id(&html, "transition-form");
    assert!(transitions.contains("value=\"hold\""), "{transitions}");
    for value in ["resolve", "close", "reopen"] {
        assert!(
            !transitions.contains(&format!("value=\"{value}\"")),
            "{value}"
        );
    }
    for form in [
        "assign-form",
        "priority-form",
        "link-form",
        "log-time-form",
        "merge-form",
        "split-form",
    ] {
        assert!(!html.contains(&format!("id=\"{form}\"")), "{form} offered");
    }
    assert!(
        !html.contains("name=\"internal\""),
        "no internal notes without Note"
    );
    // What is not offered is refused all the same.
    let refused = form(&fx, &reader, &format!("{uri}/action"), "action=resolve").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Read only: no action at all, no reply box.
    let watcher = agent_with(&fx, "vlad@example.com", &[Permission::Read]).await;
    let html = page(&fx, &watcher, &uri)
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"no-actions\""), "{html}");
    assert!(!html.contains("id=\"transition-form\""));
    assert!(!html.contains("id=\"reply\""));

    // Standard permissions on a closed ticket: reopen, and no ask, hold or merge.
    let all = agent_with(
        &fx,
        "nina@example.com",
        &Vec::from_iter(standard_permissions()),
    )
    .await;
    form(&fx, &all, &format!("{uri}/action"), "action=close").await;
    let html = page(&fx, &all, &uri).await.expect(StatusCode::OK).text();
    let transitions = from_id(&html, "transition-form");
    assert!(transitions.contains("value=\"reopen\""), "{transitions}");
    assert!(!transitions.contains("value=\"hold\""), "{transitions}");
    assert!(!html.contains("id=\"ask-form\""));
    assert!(!html.contains("id=\"merge-form\""));
}

#[tokio::test]
async fn asking_the_customer_makes_the_ticket_pending_and_a_refusal_keeps_the_question() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Nu merge internetul").await;
    let id = id_of(&ticket);
    let ivan = page_login(&fx, "ivan@example.com").await;
    let action = format!("/tickets/{id}/action");

    // A date that is none: the page again, the refusal beside the form, the question kept.
    let refused = form(
        &fx,
        &ivan,
        &action,
        "action=ask&body=Which+lights+are+on%3F&until=next+tuesday",
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let html = refused.text();
    let ask = from_id(&html, "ask-form");
    assert!(ask.contains("id=\"form-error\""), "{ask}");
    assert!(ask.contains("Which lights are on?"), "{ask}");
    assert!(ask.contains("value=\"next tuesday\""), "{ask}");
    assert!(
        html.contains("id=\"customer-panel\""),
        "the whole page: {html}"
    );

    let done = form(
        &fx,
        &ivan,
        &action,
        "action=ask&body=Which+lights+are+on%3F&until=2099-01-02T10%3A30",
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let html = page(&fx, &ivan, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("data-status=\"pending_customer\""), "{html}");
    assert!(html.contains("id=\"pending-until\""), "{html}");
    assert!(html.contains("Which lights are on?"));

    // A refused status change is shown on its form: the ticket cannot be reopened now.
    let refused = form(&fx, &ivan, &action, "action=reopen").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert!(from_id(&html, "transition-form").contains("id=\"form-error\""));
}

#[tokio::test]
async fn messages_are_labelled_with_their_author_and_customers_see_no_note_panel_or_clock() {
    let fx = fixture().await;
    sla_policy(&fx).await;
    let ticket = fx.open(&fx.ana, "Nu merge internetul").await;
    let id = id_of(&ticket);
    let messages = format!("/api/v1/tickets/{id}/messages");
    fx.post(&messages, &fx.ivan, json!({"body": "We are on it."}))
        .await
        .expect(StatusCode::CREATED);
    fx.post(
        &messages,
        &fx.ivan,
        json!({"body": "Line test failed.", "internal": true}),
    )
    .await
    .expect(StatusCode::CREATED);

    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    let authors: Vec<&str> = html
        .split("<bdi class=\"author\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap())
        .collect();
    assert_eq!(
        authors,
        ["ana@example.ro", "ivan@example.com", "ivan@example.com"]
    );
    assert!(html.contains("data-author=\"customer\""));
    assert!(
        html.contains("class=\"note-mark\">internal note<"),
        "{html}"
    );

    let ana = page_login(&fx, "ana@example.ro").await;
    let html = page(&fx, &ana, &format!("/tickets/{id}?lang=en"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(!html.contains("Line test failed"), "the note leaked");
    assert!(!html.contains("internal note"));
    for hidden in [
        "customer-panel",
        "ticket-clocks",
        "transition-form",
        "ask-form",
    ] {
        assert!(!html.contains(hidden), "{hidden} shown to the customer");
    }
    let authors: Vec<&str> = html
        .split("<bdi class=\"author\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap())
        .collect();
    assert_eq!(authors, ["ana@example.ro", "Support"]);
}

#[tokio::test]
async fn canned_responses_come_with_the_script_that_inserts_them() {
    let fx = fixture().await;
    let system = fx.desk.as_ref().unwrap().as_system();
    system
        .create_canned_response(
            None,
            Name::parse("Greeting").unwrap(),
            helpdesk::domain::Language::English,
            helpdesk::domain::MessageBody::parse("Hello {{customer_name}}").unwrap(),
        )
        .await
        .unwrap();
    let ticket = fx.open(&fx.ana, "Nu merge internetul").await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, &format!("/tickets/{}", id_of(&ticket)))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("<script src=\"/assets/canned.js\" defer>"));
    let script = fx
        .call("GET", "/assets/canned.js", None, None)
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(script.contains("#reply textarea[name=body]"), "{script}");
    let ana = page_login(&fx, "ana@example.ro").await;
    let html = page(&fx, &ana, &format!("/tickets/{}", id_of(&ticket)))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        !html.contains("canned"),
        "no canned responses for customers"
    );
}

#[tokio::test]
async fn the_agents_ticket_page_snapshot() {
    let fx = fixture().await;
    sla_policy(&fx).await;
    let ticket = fx.open(&fx.ana, "Nu merge internetul").await;
    let id = id_of(&ticket);
    fx.open(&fx.ana, "Factura greșită").await;
    let messages = format!("/api/v1/tickets/{id}/messages");
    fx.post(&messages, &fx.ivan, json!({"body": "We are on it."}))
        .await
        .expect(StatusCode::CREATED);
    fx.post(
        &messages,
        &fx.ivan,
        json!({"body": "Line test failed.", "internal": true}),
    )
    .await
    .expect(StatusCode::CREATED);
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, &format!("/tickets/{id}?lang=en"))
        .await
        .expect(StatusCode::OK)
        .text();
    // List items and definitions on lines of their own; the history's times (they change
    // from run to run) left out.
    let (head, rest) = html.split_once("<pre id=\"history\">").unwrap();
    let (_, tail) = rest.split_once("</pre>").unwrap();
    let html = format!("{head}<pre id=\"history\">[history]</pre>{tail}")
        .replace("<li", "<p ")
        .replace("<dt", "<p ")
        .replace("<dd", "<p ");
    insta::assert_snapshot!("agent_ticket_page", visible(&html));
}

#[tokio::test]
async fn a_priority_request_is_decided_from_the_page_by_those_who_may() {
    use helpdesk::domain::{Rating, ShortNote, TicketId};
    use helpdesk::machine::Command;
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Nu merge internetul").await;
    let id = id_of(&ticket);
    let desk = fx.desk.as_ref().unwrap();
    let ana: helpdesk::domain::CustomerId = ticket["customer"].as_str().unwrap().parse().unwrap();
    let ana = desk.acting_as(Actor::Customer(ana)).await.unwrap();
    let ticket_id: TicketId = id.parse().unwrap();
    // Individuals are capped at normal: the ticket starts low for her to ask for more.
    let ivan = page_login(&fx, "ivan@example.com").await;
    form(
        &fx,
        &ivan,
        &format!("/tickets/{id}/action"),
        "action=priority&priority=low",
    )
    .await;
    ana.execute(
        ticket_id,
        Command::RequestPriority {
            priority: Priority::Normal,
            reason: ShortNote::parse("The whole office is offline").unwrap(),
        },
    )
    .await
    .unwrap();

    // Without the permission to change priorities: the request shown, no decision.
    let reader = agent_with(
        &fx,
        "rita@example.com",
        &[Permission::Read, Permission::Reply],
    )
    .await;
    let html = page(&fx, &reader, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    let request = from_id(&html, "priority-request");
    assert!(request.contains("The whole office is offline"), "{request}");
    assert!(!request.contains("approve-priority"), "{request}");

    let html = page(&fx, &ivan, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(from_id(&html, "priority-request").contains("id=\"approve-priority\""));
    let done = form(
        &fx,
        &ivan,
        &format!("/tickets/{id}/action"),
        "action=decide_priority&approve=false",
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let html = page(&fx, &ivan, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(!html.contains("id=\"priority-request\""), "decided: {html}");

    // Solved and rated: the rating on the agent's page.
    form(&fx, &ivan, &format!("/tickets/{id}/action"), "action=close").await;
    ana.execute(
        ticket_id,
        Command::RateSatisfaction {
            score: Rating::new(4).unwrap(),
            comment: Some(ShortNote::parse("Quick, thanks").unwrap()),
        },
    )
    .await
    .unwrap();
    let html = page(&fx, &ivan, &format!("/tickets/{id}?lang=en"))
        .await
        .expect(StatusCode::OK)
        .text();
    let rating = from_id(&html, "satisfaction");
    assert!(
        rating.contains("4") && rating.contains("Quick, thanks"),
        "{rating}"
    );
}
