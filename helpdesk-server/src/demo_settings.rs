//! The demo's settings, stored like any admin's: a business-hours calendar (Monday–Friday
//! 09:00–18:00 in Bucharest, with holidays) for Billing and one around the clock for Support,
//! SLA policies per priority, ticket templates, and canned responses in English, Romanian,
//! Russian and Persian. The demo's tickets, opened after these, have running SLA clocks, and
//! the short targets of urgent and normal tickets bring escalation warnings within minutes.
//! And mail settings (`load_mail`): the desk's address and name on the demo's example domain,
//! new mail to Support, and an address of its own for each department, so `/admin/mail`
//! shows a configured desk.

use helpdesk::domain::{Department, Email, Language, MessageBody, Name, Priority, TicketType};
use helpdesk::policy::{CalendarSpec, SlaPolicySetting};
use helpdesk::service::{
    Acting, DepartmentAddress, ListMail, MailDefaults, TemplateDraft, UnknownSenders,
};

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("the demo's own values are valid: {e}"),
    }
}

fn name(text: &str) -> Name {
    ok(Name::parse(text))
}

/// Stores the demo's calendars, SLA policies, templates and canned responses.
pub async fn load(
    system: &Acting,
    support: &Department,
    billing: &Department,
) -> helpdesk::Result<()> {
    let office = CalendarSpec {
        zone: "Europe/Bucharest".into(),
        hours: vec!["mon-fri 09:00-18:00".into()],
        holidays: vec![ok("2026-12-24".parse())],
        yearly_holidays: vec!["01-01".into(), "12-25".into()],
    };
    system
        .put_calendar(name("office"), ok(office.to_calendar()))
        .await?;
    let always = CalendarSpec {
        zone: "UTC".into(),
        hours: vec!["mon-sun 00:00-24:00".into()],
        ..CalendarSpec::default()
    };
    system
        .put_calendar(name("around the clock"), ok(always.to_calendar()))
        .await?;
    system
        .set_department_calendar(billing.id, Some(name("office")))
        .await?;
    system
        .set_department_calendar(support.id, Some(name("around the clock")))
        .await?;
    // (name, priorities, first response, resolution, warn at %)
    let policies: [(&str, &[Priority], u32, u32, u8); 3] = [
        ("urgent", &[Priority::Urgent], 15, 240, 50),
        ("high", &[Priority::High], 60, 480, 80),
        ("standard", &[Priority::Normal, Priority::Low], 30, 1440, 50),
    ];
    for (policy_name, priorities, first, resolution, warn) in policies {
        let mut policy = SlaPolicySetting::new(name(policy_name));
        policy.priorities = priorities.to_vec();
        policy.first_response_minutes = Some(first);
        policy.next_response_minutes = Some(first * 2);
        policy.resolution_minutes = Some(resolution);
        policy.warn_percent = Some(warn);
        system.put_sla_policy(policy).await?;
    }
    let templates = [
        (
            "Internet down",
            support,
            TicketType::Incident,
            "Internet down",
            "The connection stopped working. Router lights: …",
        ),
        (
            "Invoice question",
            billing,
            TicketType::Question,
            "Invoice",
            "A question about the invoice of …",
        ),
    ];
    for (template, department, ticket_type, prefix, body) in templates {
        system
            .create_template(TemplateDraft {
                name: name(template),
                ticket_type,
                subject_prefix: Some(name(prefix)),
                department: department.id,
                priority: None,
                categories: Default::default(),
                required_fields: Vec::new(),
                body: ok(MessageBody::parse(body)),
            })
            .await?;
    }
    let canned = [
        (
            Language::English,
            "We are on it",
            "Hello {{customer_name}}, thank you for writing. We are looking into ticket {{ticket_number}} and will write back soon.",
        ),
        (
            Language::Romanian,
            "Ne ocupăm",
            "Bună ziua, {{customer_name}}, vă mulțumim. Ne ocupăm de solicitarea {{ticket_number}} și revenim în curând.",
        ),
        (
            Language::Russian,
            "Уже занимаемся",
            "Здравствуйте, {{customer_name}}! Спасибо за обращение. Мы уже занимаемся заявкой {{ticket_number}} и скоро ответим.",
        ),
        (
            Language::Persian,
            "در حال بررسی",
            "سلام {{customer_name}}، از پیام شما سپاسگزاریم. درخواست {{ticket_number}} در حال بررسی است و به‌زودی پاسخ می‌دهیم.",
        ),
    ];
    for (language, title, body) in canned {
        system
            .create_canned_response(None, name(title), language, ok(MessageBody::parse(body)))
            .await?;
    }
    Ok(())
}

/// The demo desk's own address.
pub const DESK_ADDRESS: &str = "help@demo.example";

/// Stores the demo's mail settings unless mail settings are stored already (a second
/// `--demo`, or an admin's own): the desk's address and name, new mail to Support, unknown
/// senders made customers, three automatic answers an hour, list mail ignored, and
/// `support@` and `billing@` for the two departments.
pub async fn load_mail(
    system: &Acting,
    support: &Department,
    billing: &Department,
) -> helpdesk::Result<()> {
    if !system.mail_settings().await?.is_empty() {
        return Ok(());
    }
    system
        .set_mail_settings(MailDefaults {
            from: Some(ok(Email::parse(DESK_ADDRESS))),
            from_name: Some(name("Demo help desk")),
            inbound_department: Some(support.id),
            unknown_senders: Some(UnknownSenders::CreateCustomer),
            auto_answers_per_hour: Some(3),
            list_mail: Some(ListMail::Ignore),
            verp: None,
            undeliverable_hours: None,
        })
        .await?;
    for (department, address) in [
        (support, "support@demo.example"),
        (billing, "billing@demo.example"),
    ] {
        system
            .set_department_mail_address(
                department.id,
                Some(DepartmentAddress {
                    address: ok(Email::parse(address)),
                    list_mail: ListMail::Ignore,
                }),
            )
            .await?;
    }
    Ok(())
}
