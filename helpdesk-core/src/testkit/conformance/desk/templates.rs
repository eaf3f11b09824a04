//! Ticket templates and canned responses through the desk: admins write templates, agents
//! open tickets from them only with every required field, and canned responses fill their
//! placeholders and keep one signature.

use std::sync::Arc;

use crate::domain::{
    CannedResponse, Category, Channel, CustomFields, FieldKey, FieldValue, Language, Priority,
    PublicUrl, TicketTemplate, TicketType,
};
use crate::error::Error;
use crate::machine::Command;
use crate::service::{FromTemplate, TemplateDraft};
use crate::store::Store;
use crate::testkit::samples::name;
use crate::testkit::{Fixture, ability, body};

fn draft_like(t: &TicketTemplate) -> TemplateDraft {
    TemplateDraft {
        name: t.name.clone(),
        ticket_type: t.ticket_type.clone(),
        subject_prefix: t.subject_prefix.clone(),
        department: t.department,
        priority: t.priority,
        categories: t.categories.clone(),
        required_fields: t.required_fields.clone(),
        body: t.body.clone(),
    }
}

pub async fn ticket_templates_fill_in_and_refuse_missing_fields(store: Arc<dyn Store>) {
    if ability(store.as_template_store(), "templates and canned responses").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    let line_down = admin
        .create_template(TemplateDraft {
            name: name("Телефон не работает"),
            ticket_type: TicketType::custom("line-down").unwrap(),
            subject_prefix: Some(name("Нет связи")),
            department: f.support.id,
            priority: Some(Priority::Urgent),
            categories: [Category::parse("phone").unwrap()].into_iter().collect(),
            required_fields: ["address", "failing_number", "callback_number"]
                .into_iter()
                .map(|k| FieldKey::parse(k).unwrap())
                .collect(),
            body: body("Адрес: …\nНомер, который не работает: …\nНомер для связи: …"),
        })
        .await
        .unwrap();
    let templates = store.as_template_store().expect("offered above");
    assert_eq!(
        templates.template(line_down.id).await.unwrap().as_ref(),
        Some(&line_down)
    );
    let ana = f.as_customer(&f.ana).await;
    assert_eq!(
        ana.templates().await.unwrap(),
        std::slice::from_ref(&line_down)
    );
    let ivan = f.as_agent(&f.ivan).await;
    let input = |fields: CustomFields| FromTemplate {
        customer: Some(f.reza.id),
        subject: "Кольцевая 14".into(),
        body: None,
        custom_fields: fields,
        channel: Channel::Phone,
    };
    let text = |s: &str| FieldValue::Text(s.into());
    let partial = CustomFields::new()
        .with("address", text("ул. Кольцевая, д. 14, кв. 15"))
        .unwrap();
    let err = ivan
        .open_from_template(line_down.id, input(partial.clone()))
        .await
        .unwrap_err();
    match &err {
        Error::Validation(v) => {
            assert_eq!(v.field(), "custom_fields");
            assert!(
                v.message().contains("failing_number") && v.message().contains("callback_number"),
                "{v}"
            );
            assert!(!v.message().contains("address"), "{v}");
        }
        other => panic!("{other:?}"),
    }
    let all = partial
        .with("failing_number", text("+7 495 123-45-67"))
        .unwrap()
        .with("callback_number", text("+7 912 555-01-02"))
        .unwrap();
    let t = ivan
        .open_from_template(line_down.id, input(all))
        .await
        .unwrap();
    assert_eq!(t.subject.as_str(), "Нет связи: Кольцевая 14");
    assert_eq!(t.ticket_type.as_str(), "line-down");
    assert_eq!(
        t.priority,
        Priority::Normal,
        "the priority rules still decide for individuals"
    );
    assert!(t.categories.contains(&Category::parse("phone").unwrap()));
    assert_eq!(t.channel, Channel::Phone);
    let first = &ivan.thread(t.id).await.unwrap()[0];
    assert!(first.body.as_str().starts_with("Адрес:"));
    assert!(matches!(
        ivan.create_template(draft_like(&line_down)).await,
        Err(Error::Forbidden { .. })
    ));
}

pub async fn canned_responses_fill_placeholders_and_keep_one_signature(store: Arc<dyn Store>) {
    if ability(store.as_template_store(), "templates and canned responses").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let ivan = f.as_agent(&f.ivan).await;
    let t = f.open(&f.ana, "Parola").await;
    let ro = ivan
        .create_canned_response(
            Some(f.support.id),
            name("Resetare parolă"),
            Language::Romanian,
            body("Bună ziua, {{customer_name}}! Tichetul #{{ticket_number}}: {{ticket_link}}\n{{agent_name}}"),
        )
        .await
        .unwrap();
    let general = ivan
        .create_canned_response(
            None,
            name("Спасибо"),
            Language::Russian,
            body("Спасибо, {{customer_name}}!"),
        )
        .await
        .unwrap();
    f.desk
        .as_system()
        .create_canned_response(
            Some(f.billing.id),
            name("Factură"),
            Language::Romanian,
            body("Factura pentru {{customer_name}}"),
        )
        .await
        .unwrap();
    let unknown = ivan
        .create_canned_response(None, name("x"), Language::English, body("{{password}}"))
        .await;
    assert!(matches!(unknown, Err(Error::Validation(_))));
    let names = async |department, language| {
        let found: Vec<CannedResponse> = ivan.canned_responses(department, language).await.unwrap();
        found
            .into_iter()
            .map(|c| c.name.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(Some(f.support.id), None).await,
        ["Resetare parolă", "Спасибо"]
    );
    assert_eq!(
        names(Some(f.support.id), Some(Language::Romanian)).await,
        ["Resetare parolă"]
    );
    assert_eq!(
        names(None, Some(Language::Romanian)).await,
        ["Factură", "Resetare parolă"]
    );
    // Without {{ticket_link}}, no public URL is needed; sent as a reply, it gets the
    // signature once.
    let text = ivan.fill_canned_response(general.id, t.id).await.unwrap();
    assert_eq!(text.as_str(), "Спасибо, Ana Popescu!");
    ivan.execute(t.id, Command::reply(text)).await.unwrap();
    let sent = ivan.thread(t.id).await.unwrap().pop().unwrap();
    assert_eq!(sent.body.as_str().matches("Иван, техподдержка").count(), 1);
    // {{ticket_link}} with no public URL set: refused, naming the setting.
    match ivan.fill_canned_response(ro.id, t.id).await {
        Err(Error::Validation(v)) => assert_eq!(v.field(), "public_url", "{v}"),
        other => panic!("expected a refusal naming public_url, got {other:?}"),
    }
    let ana = f.as_customer(&f.ana).await;
    assert!(matches!(
        ana.canned_responses(None, None).await,
        Err(Error::Forbidden { .. })
    ));
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    // With one: the link is the public URL, `tickets/` and the short number.
    let url = PublicUrl::parse("https://desk.example/support").unwrap();
    f.as_agent(&f.admin)
        .await
        .set_public_url(Some(url))
        .await
        .unwrap();
    let text = ivan.fill_canned_response(ro.id, t.id).await.unwrap();
    let short = t.number.short();
    assert_eq!(
        text.as_str(),
        format!(
            "Bună ziua, Ana Popescu! Tichetul #{short}: https://desk.example/support/tickets/{short}\nИван Петров"
        )
    );
}
