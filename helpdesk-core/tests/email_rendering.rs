//! The e-mails the desk sends, rendered in each language, as snapshots: the short number
//! customers are told, in the subject's tag and the body, and the link to the ticket when
//! the desk has a public URL.

use helpdesk_core::domain::{EmailKind, Language, LinkKind, PublicUrl, TicketNumber};
use helpdesk_core::render::{
    AccountEmailContext, EmailContext, render_account_email, render_email,
};

const FULL: &str = "2026010510000135";
const SHORT: &str = "10000135";
const LINK: &str = "https://help.desk.example/tickets/10000135";

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

/// The kinds about a ticket the customer gets (the account e-mails have their own renderer,
/// below; an agent's notice too, `render_agent_notice`).
fn ticket_kinds() -> impl Iterator<Item = EmailKind> {
    EmailKind::ALL
        .into_iter()
        .filter(|k| !k.is_account() && *k != EmailKind::AgentNotice)
}

fn rendered(kind: EmailKind, language: Language, name: &str, subject: &str) -> String {
    let url = PublicUrl::parse("https://help.desk.example").unwrap();
    rendered_with(kind, language, name, subject, Some(&url))
}

fn rendered_with(
    kind: EmailKind,
    language: Language,
    name: &str,
    subject: &str,
    public_url: Option<&PublicUrl>,
) -> String {
    let text = match kind {
        EmailKind::AgentReply => Some("Please restart the router.\n\n-- \nIvan, support"),
        EmailKind::TicketThread | EmailKind::ChatTranscript => {
            Some("2026-01-05 09:00 Ana: It is down.\n2026-01-05 09:30 Ivan: Restart it.")
        }
        _ => None,
    };
    let email = render_email(
        kind,
        language,
        &EmailContext {
            number: &TicketNumber::new(FULL, SHORT).unwrap(),
            public_url,
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
        for kind in ticket_kinds() {
            insta::assert_snapshot!(
                format!("{}_{code}", kind.as_str()),
                rendered(kind, language, name, subject)
            );
        }
    }
}

#[test]
fn every_subject_carries_the_short_numbers_tag() {
    for (language, _, name, subject) in LANGUAGES {
        for kind in ticket_kinds() {
            let text = rendered(kind, language, name, subject);
            assert!(text.starts_with(&format!("Subject: [#{SHORT}] ")), "{text}");
            assert!(text.contains(subject));
        }
    }
}

#[test]
fn customers_are_told_the_short_number_and_the_link_only() {
    for (language, _, name, subject) in LANGUAGES {
        for kind in ticket_kinds() {
            let text = rendered(kind, language, name, subject);
            assert!(!text.contains(FULL), "{text}");
            assert_eq!(text.matches(LINK).count(), 1, "{text}");
            if kind != EmailKind::AgentReply {
                assert!(
                    text.matches(SHORT).count() >= 3,
                    "tag, text and link: {text}"
                );
            }
        }
    }
}

#[test]
fn without_a_public_url_no_link_is_written() {
    for (language, _, name, subject) in LANGUAGES {
        for kind in ticket_kinds() {
            let with = rendered(kind, language, name, subject);
            let without = rendered_with(kind, language, name, subject, None);
            assert!(!without.contains("http"), "{without}");
            let line = with.lines().find(|l| l.contains(LINK)).unwrap();
            assert_eq!(with.replace(&format!("\n{line}\n"), ""), without);
        }
    }
}

#[test]
fn every_account_email_in_every_language() {
    let link = "https://help.desk.example/setup-password?token=0123abcd";
    for (language, code, name, _) in LANGUAGES {
        for kind in [LinkKind::Invitation, LinkKind::PasswordReset] {
            let email = render_account_email(
                kind,
                language,
                &AccountEmailContext {
                    recipient_name: name,
                    login: "ana@example.ro",
                    link,
                    expires_at: "2026-01-12T09:00:00Z".parse().unwrap(),
                    desk_name: "Example Support",
                },
            );
            let text = format!("Subject: {}\n\n{}", email.subject, email.body);
            assert_eq!(text.matches(link).count(), 1, "{text}");
            assert!(!text.contains("[#"), "about no ticket: {text}");
            insta::assert_snapshot!(format!("account_{}_{code}", kind.as_str()), text);
        }
    }
}
