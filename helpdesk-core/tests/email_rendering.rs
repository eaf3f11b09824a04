//! The e-mails the desk sends, rendered in each language, as snapshots.

use helpdesk_core::domain::{EmailKind, Language};
use helpdesk_core::render::{EmailContext, render_email};

const LANGUAGES: [(Language, &str, &str, &str); 4] = [
    (
        Language::English,
        "en",
        "Alice Smith",
        "The printer on floor 3 is offline",
    ),
    (
        Language::Romanian,
        "ro",
        "Ana Popescu",
        "Nu merge internetul în Iași",
    ),
    (
        Language::Russian,
        "ru",
        "Иван Кузнецов",
        "Не работает телефон",
    ),
    (Language::Persian, "fa", "رضا احمدی", "اینترنت قطع است"),
];

fn rendered(kind: EmailKind, language: Language, name: &str, subject: &str) -> String {
    let text = match kind {
        EmailKind::AgentReply => Some("Please restart the router.\n\n-- \nIvan, support"),
        EmailKind::TicketThread => {
            Some("2026-01-05 09:00 Ana: It is down.\n2026-01-05 09:30 Ivan: Restart it.")
        }
        _ => None,
    };
    let email = render_email(
        kind,
        language,
        &EmailContext {
            number: "2026010510000135",
            subject,
            recipient_name: name,
            text,
            closes_at: Some("2026-01-19T07:00:00Z".parse().unwrap()),
            desk_name: "Example Support",
        },
    );
    format!("Subject: {}\n\n{}", email.subject, email.body)
}

#[test]
fn every_email_in_every_language() {
    for (language, code, name, subject) in LANGUAGES {
        for kind in EmailKind::ALL {
            insta::assert_snapshot!(
                format!("{}_{code}", kind.as_str()),
                rendered(kind, language, name, subject)
            );
        }
    }
}

#[test]
fn every_subject_carries_the_ticket_tag() {
    for (language, _, name, subject) in LANGUAGES {
        for kind in EmailKind::ALL {
            let text = rendered(kind, language, name, subject);
            assert!(text.starts_with("Subject: [#2026010510000135] "), "{text}");
            assert!(text.contains(subject));
        }
    }
}
