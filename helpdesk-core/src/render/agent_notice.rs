//! The e-mail an agent gets for an event they chose to hear of by e-mail (issue 20), in the
//! language of their notification preferences. The subject carries the ticket's tag, like
//! every e-mail about a ticket.

use crate::domain::{Language, NotificationKind, PublicUrl, SlaTarget, TicketNumber};

use super::RenderedEmail;

/// What an agent's notice is filled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentNoticeContext<'a> {
    /// The ticket's number (its short form is shown).
    pub number: &'a TicketNumber,
    /// The desk's public URL, when set: the notice then links to the ticket's page.
    pub public_url: Option<&'a PublicUrl>,
    /// The ticket's subject.
    pub subject: &'a str,
    /// The agent's name.
    pub agent_name: &'a str,
    /// The desk's name, signing the notice.
    pub desk_name: &'a str,
}

struct Words {
    greeting: &'static str,
    comma: &'static str,
    new_ticket: &'static str,
    customer_replied: &'static str,
    assigned: &'static str,
    mention: &'static str,
    sla_warning: &'static str,
    sla_breached: &'static str,
    pending_reminder: &'static str,
    priority_requested: &'static str,
    chat_waiting: &'static str,
    other: &'static str,
    first_response: &'static str,
    next_response: &'static str,
    resolution: &'static str,
    link: &'static str,
    closing: &'static str,
}

const EN: Words = Words {
    greeting: "Hello",
    comma: ",",
    new_ticket: "New ticket {number} in your department",
    customer_replied: "The customer replied on ticket {number}",
    assigned: "Ticket {number} was assigned to you",
    mention: "You were mentioned on ticket {number}",
    sla_warning: "The {target} target of ticket {number} is close to passing",
    sla_breached: "The {target} target of ticket {number} has passed",
    pending_reminder: "Ticket {number} is due again: its waiting time is over",
    priority_requested: "The customer asks to raise the priority of ticket {number}",
    chat_waiting: "A chat waits for an agent (ticket {number})",
    other: "Ticket {number} changed",
    first_response: "first response",
    next_response: "next response",
    resolution: "resolution",
    link: "The ticket: {link}",
    closing: "Kind regards,",
};

const RO: Words = Words {
    greeting: "Bună ziua",
    comma: ",",
    new_ticket: "Solicitare nouă {number} în departamentul dumneavoastră",
    customer_replied: "Clientul a răspuns la solicitarea {number}",
    assigned: "Solicitarea {number} v-a fost atribuită",
    mention: "Ați fost menționat la solicitarea {number}",
    sla_warning: "Termenul de {target} al solicitării {number} este aproape depășit",
    sla_breached: "Termenul de {target} al solicitării {number} a fost depășit",
    pending_reminder: "Solicitarea {number} revine: timpul de așteptare a trecut",
    priority_requested: "Clientul cere creșterea priorității solicitării {number}",
    chat_waiting: "O conversație așteaptă un specialist (solicitarea {number})",
    other: "Solicitarea {number} s-a schimbat",
    first_response: "primul răspuns",
    next_response: "răspunsul următor",
    resolution: "rezolvare",
    link: "Solicitarea: {link}",
    closing: "Cu stimă,",
};

const RU: Words = Words {
    greeting: "Здравствуйте",
    comma: ",",
    new_ticket: "Новая заявка {number} в вашем отделе",
    customer_replied: "Клиент ответил по заявке {number}",
    assigned: "Заявка {number} назначена вам",
    mention: "Вас упомянули в заявке {number}",
    sla_warning: "Срок «{target}» по заявке {number} скоро истечёт",
    sla_breached: "Срок «{target}» по заявке {number} истёк",
    pending_reminder: "Заявка {number} снова ждёт: время ожидания истекло",
    priority_requested: "Клиент просит повысить приоритет заявки {number}",
    chat_waiting: "Чат ждёт специалиста (заявка {number})",
    other: "Заявка {number} изменилась",
    first_response: "первый ответ",
    next_response: "следующий ответ",
    resolution: "решение",
    link: "Заявка: {link}",
    closing: "С уважением,",
};

const FA: Words = Words {
    greeting: "سلام",
    comma: "،",
    new_ticket: "درخواست تازهٔ {number} در بخش شما",
    customer_replied: "مشتری به درخواست {number} پاسخ داد",
    assigned: "درخواست {number} به شما سپرده شد",
    mention: "در درخواست {number} از شما نام برده شد",
    sla_warning: "مهلت «{target}» درخواست {number} نزدیک است",
    sla_breached: "مهلت «{target}» درخواست {number} گذشت",
    pending_reminder: "زمان انتظار درخواست {number} به پایان رسید",
    priority_requested: "مشتری خواستار افزایش اولویت درخواست {number} است",
    chat_waiting: "یک گفتگو منتظر کارشناس است (درخواست {number})",
    other: "درخواست {number} تغییر کرد",
    first_response: "نخستین پاسخ",
    next_response: "پاسخ بعدی",
    resolution: "حل",
    link: "درخواست: {link}",
    closing: "با احترام،",
};

fn words(language: Language) -> &'static Words {
    match language {
        Language::English => &EN,
        Language::Romanian => &RO,
        Language::Russian => &RU,
        Language::Persian => &FA,
    }
}

/// Renders the notice of `kind` for an agent, in `language`.
///
/// ```
/// use helpdesk_core::domain::{Language, NotificationKind, TicketNumber};
/// use helpdesk_core::render::{AgentNoticeContext, render_agent_notice};
///
/// let email = render_agent_notice(
///     &NotificationKind::Assigned,
///     Language::Romanian,
///     &AgentNoticeContext {
///         number: &TicketNumber::new("2026010510000001", "10000001").unwrap(),
///         public_url: None,
///         subject: "Nu merge internetul",
///         agent_name: "Ivan",
///         desk_name: "Helpdesk",
///     },
/// );
/// assert_eq!(
///     email.subject,
///     "[#10000001] Solicitarea 10000001 v-a fost atribuită: Nu merge internetul"
/// );
/// assert!(email.body.starts_with("Bună ziua, Ivan,"));
/// ```
pub fn render_agent_notice(
    kind: &NotificationKind,
    language: Language,
    ctx: &AgentNoticeContext<'_>,
) -> RenderedEmail {
    let w = words(language);
    let target = |t: &SlaTarget| match t {
        SlaTarget::FirstResponse => w.first_response,
        SlaTarget::NextResponse => w.next_response,
        SlaTarget::Resolution => w.resolution,
    };
    let (line, target) = match kind {
        NotificationKind::NewTicket => (w.new_ticket, ""),
        NotificationKind::CustomerReplied => (w.customer_replied, ""),
        NotificationKind::Assigned => (w.assigned, ""),
        NotificationKind::SlaWarning { target: t } => (w.sla_warning, target(t)),
        NotificationKind::SlaBreached { target: t } => (w.sla_breached, target(t)),
        NotificationKind::PendingReminder => (w.pending_reminder, ""),
        NotificationKind::PriorityRequested => (w.priority_requested, ""),
        NotificationKind::ChatWaiting => (w.chat_waiting, ""),
        other if other.as_str() == "mention" => (w.mention, ""),
        _ => (w.other, ""),
    };
    let line = line
        .replace("{number}", ctx.number.short())
        .replace("{target}", target);
    let tag = crate::mail::tag::tag(ctx.number.short());
    let subject = format!("{tag} {line}: {}", ctx.subject);
    let mut body = format!(
        "{}{comma} {}{comma}\n\n{line}: {}\n",
        w.greeting,
        ctx.agent_name,
        ctx.subject,
        comma = w.comma
    );
    if let Some(url) = ctx.public_url {
        body.push('\n');
        body.push_str(&w.link.replace("{link}", &url.ticket_link(ctx.number)));
        body.push('\n');
    }
    body.push('\n');
    body.push_str(w.closing);
    body.push('\n');
    body.push_str(ctx.desk_name);
    body.push('\n');
    RenderedEmail { subject, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_names_the_breached_target_and_the_ticket() {
        let number = TicketNumber::new("2026010510000001", "10000001").unwrap();
        for language in Language::ALL {
            let email = render_agent_notice(
                &NotificationKind::SlaBreached {
                    target: SlaTarget::Resolution,
                },
                language,
                &AgentNoticeContext {
                    number: &number,
                    public_url: None,
                    subject: "Printer",
                    agent_name: "Ivan",
                    desk_name: "Helpdesk",
                },
            );
            assert!(email.subject.starts_with("[#10000001] "), "{language:?}");
            assert!(
                email.body.contains(words(language).resolution),
                "{language:?}"
            );
            assert!(!email.body.contains("{target}"), "{language:?}");
        }
    }
}
