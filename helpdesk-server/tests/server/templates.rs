//! The agents' pages of issue 11: canned responses fill the reply on the ticket view, and
//! templates pre-fill the phone ticket and require their fields.

use std::collections::BTreeSet;

use axum::http::{StatusCode, header};
use helpdesk::domain::{
    Actor, CannedResponse, Category, FieldKey, Language, MessageBody, Name, Priority, PublicUrl,
    Role, TicketTemplate, TicketType,
};
use helpdesk::service::TemplateDraft;

use crate::routes::id_of;
use crate::support::*;
async fn canned(fx: &Fixture, name: &str, language: Language, body: &str) -> CannedResponse {
    fx.desk
        .as_ref()
        .unwrap()
        .as_system()
        .create_canned_response(
            Some(fx.support.parse().unwrap()),
            Name::parse(name).unwrap(),
            language,
            MessageBody::parse(body).unwrap(),
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn canned_responses_fill_the_agents_reply() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Nu merge <nimic>").await;
    let id = id_of(&ticket);
    let short = ticket["number"]["short"].as_str().unwrap().to_owned();
    let hello = canned(
        &fx,
        "Greeting",
        Language::English,
        "Hello {{customer_name}}, about ticket {{ticket_number}}: {{ticket_link}}\nRegards, {{agent_name}}",
    )
    .await;
    canned(
        &fx,
        "Salut",
        Language::Romanian,
        "Bună ziua, {{customer_name}}!",
    )
    .await;
    canned(&fx, "Привет", Language::Russian, "Здравствуйте!").await;

    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"canned\""), "{html}");
    assert!(html.contains("Greeting (en)"), "the agent's language");
    assert!(html.contains("Salut (ro)"), "the customer's language");
    assert!(
        !html.contains("Привет"),
        "neither the agent's nor the customer's"
    );

    fx.desk
        .as_ref()
        .unwrap()
        .as_system()
        .set_public_url(Some(PublicUrl::parse("https://help.example.com").unwrap()))
        .await
        .unwrap();
    let filled = page(&fx, &ivan, &format!("/tickets/{id}?canned={}", hello.id))
        .await
        .expect(StatusCode::OK)
        .text();
    let expected = format!(
        "Hello ana@example.ro, about ticket {short}: https://help.example.com/tickets/{short}\nRegards, ivan@example.com"
    );
    assert!(
        filled.contains(&format!("required>{expected}</textarea>")),
        "{filled}"
    );

    // An id that is not one: 400; a customer sees no canned responses.
    page(&fx, &ivan, &format!("/tickets/{id}?canned=nope"))
        .await
        .expect(StatusCode::BAD_REQUEST);
    let ana = page_login(&fx, "ana@example.ro").await;
    let html = page(&fx, &ana, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(!html.contains("id=\"canned\""));
}

async fn line_down_template(fx: &Fixture) -> TicketTemplate {
    let desk = fx.desk.as_ref().unwrap();
    let admin = desk
        .as_system()
        .agents()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.role == Role::Admin)
        .unwrap();
    desk.acting_as(Actor::Agent(admin.id))
        .await
        .unwrap()
        .create_template(TemplateDraft {
            name: Name::parse("Line down").unwrap(),
            ticket_type: TicketType::Incident,
            subject_prefix: Some(Name::parse("Line down").unwrap()),
            department: fx.support.parse().unwrap(),
            priority: Some(Priority::High),
            categories: BTreeSet::from([Category::parse("telephony").unwrap()]),
            required_fields: ["address", "failing_number", "callback_number"]
                .map(|k| FieldKey::parse(k).unwrap())
                .to_vec(),
            body: MessageBody::parse("Address:\nNumber that fails:\nCallback number:").unwrap(),
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn templates_prefill_the_agents_phone_ticket_and_require_their_fields() {
    let fx = fixture().await;
    let template = line_down_template(&fx).await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(
        &fx,
        &ivan,
        &format!("/console/new?template={}", template.id),
    )
    .await
    .expect(StatusCode::OK)
    .text();
    assert!(html.contains("id=\"required-fields\""), "{html}");
    for key in [
        "field.address",
        "field.failing_number",
        "field.callback_number",
    ] {
        assert!(html.contains(&format!("name=\"{key}\"")), "{key}");
    }
    assert!(html.contains("Line down: "), "the subject prefix");
    assert!(
        html.contains("Address:\nNumber that fails:"),
        "the body skeleton"
    );
    assert!(
        html.contains("value=\"high\" selected"),
        "the template's priority"
    );

    // A required field left empty: the core's error, on the page, with what was typed.
    let base = format!(
        "template={}&customer=ana%40example.ro&subject=No+dial+tone&department={}&priority=high&body=Line+is+dead&field.address=Strada+Mare+1&field.failing_number=&field.callback_number=0721000111",
        template.id, fx.support
    );
    let refused = form(&fx, &ivan, "/console/tickets", &base).await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "{}",
        refused.text()
    );
    let text = refused.text();
    assert!(text.contains("id=\"form-error\""), "{text}");
    assert!(text.contains("failing_number"), "{text}");
    assert!(
        text.contains("value=\"Strada Mare 1\""),
        "what was typed stays"
    );

    // Everything filled in: the ticket, with the prefix, type and fields of the template.
    let ok = form(
        &fx,
        &ivan,
        "/console/tickets",
        &base.replace("field.failing_number=", "field.failing_number=021+300+4000"),
    )
    .await;
    assert!(ok.status.is_redirection(), "{}", ok.text());
    let location = ok.headers[header::LOCATION].to_str().unwrap();
    let id = location.trim_start_matches("/tickets/");
    let ticket = fx
        .get(&format!("/api/v1/tickets/{id}"), &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(ticket["subject"], "Line down: No dial tone");
    assert_eq!(ticket["ticket_type"], "incident");
    assert_eq!(ticket["channel"], "phone");
    assert_eq!(
        ticket["custom_fields"]["failing_number"]["value"],
        "021 300 4000"
    );

    // Without a template: a plain phone ticket; customers may not use the page.
    let plain = form(
        &fx,
        &ivan,
        "/console/tickets",
        &format!(
            "customer=john%40example.com&subject=Question&department={}&priority=&ticket_type=question&body=How+much%3F",
            fx.support
        ),
    )
    .await;
    assert!(plain.status.is_redirection(), "{}", plain.text());
    let ana = page_login(&fx, "ana@example.ro").await;
    page(&fx, &ana, "/console/new")
        .await
        .expect(StatusCode::FORBIDDEN);
}
