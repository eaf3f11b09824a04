//! The e-mails the desk sends, one template per [`EmailKind`], in English, Romanian,
//! Russian and Persian. Every subject carries the ticket's tag (`[#10000001]`), which is how
//! replies find their ticket when mail clients drop the threading headers.
//!
//! Customers are told one number, the short one, in the subject and the body alike (as on
//! the pages); the full number goes in a header only (see [`OutboundEmail::ticket_number`](crate::domain::OutboundEmail::ticket_number)).
//! When the desk has a [`PublicUrl`], every e-mail carries the link to the ticket's page.

use chrono::{DateTime, Utc};

use crate::domain::{EmailKind, Language, PublicUrl, TicketNumber};

/// What a template is filled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmailContext<'a> {
    /// The ticket's number: the e-mail shows its short form.
    pub number: &'a TicketNumber,
    /// The desk's public URL, when set: the e-mail then links to the ticket's page.
    pub public_url: Option<&'a PublicUrl>,
    /// The ticket's subject.
    pub subject: &'a str,
    /// Who the e-mail greets.
    pub recipient_name: &'a str,
    /// The text it carries: the agent's reply (with their signature), or the public thread.
    pub text: Option<&'a str>,
    /// When the ticket closes itself (for the auto-close warning).
    pub closes_at: Option<DateTime<Utc>>,
    /// The desk's name, signing e-mails that no agent wrote.
    pub desk_name: &'a str,
}

/// A subject and a plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    /// The subject, with the ticket's tag.
    pub subject: String,
    /// The body.
    pub body: String,
}

struct Words {
    greeting: &'static str,
    comma: &'static str,
    received_subject: &'static str,
    received_body: &'static str,
    reply_intro: &'static str,
    resolved_subject: &'static str,
    resolved_body: &'static str,
    warning_subject: &'static str,
    warning_body: &'static str,
    closed_subject: &'static str,
    closed_body: &'static str,
    thread_subject: &'static str,
    thread_intro: &'static str,
    transcript_subject: &'static str,
    transcript_intro: &'static str,
    answer_hint: &'static str,
    link: &'static str,
    closing: &'static str,
}

const EN: Words = Words {
    comma: ",",
    greeting: "Hello",
    received_subject: "Request received",
    received_body: "we have received your request and registered it under number {number}. An agent will answer you as soon as possible.",
    reply_intro: "there is a new answer to your request {number}:",
    resolved_subject: "Resolved",
    resolved_body: "we consider your request {number} resolved. Please confirm the solution in the portal; if the problem remains, simply reply to this e-mail.",
    warning_subject: "Closing soon",
    warning_body: "we have been waiting for your answer on request {number}. Unless you reply, it will close on {closes_at}.",
    closed_subject: "Closed",
    closed_body: "your request {number} is now closed. Replying to this e-mail opens it again or starts a new request.",
    thread_subject: "Ticket",
    thread_intro: "here is the correspondence of request {number}:",
    transcript_subject: "Chat transcript",
    transcript_intro: "here is the transcript of your chat, kept as request {number}:",
    answer_hint: "Reply to this e-mail to answer; keep the number in the subject.",
    link: "The request in the portal: {link}",
    closing: "Kind regards,",
};

const RO: Words = Words {
    comma: ",",
    greeting: "Bună ziua",
    received_subject: "Solicitare înregistrată",
    received_body: "am primit solicitarea dumneavoastră și am înregistrat-o cu numărul {number}. Un specialist vă va răspunde cât mai curând.",
    reply_intro: "aveți un răspuns nou la solicitarea {number}:",
    resolved_subject: "Rezolvată",
    resolved_body: "considerăm solicitarea {number} rezolvată. Vă rugăm să confirmați soluția în portal; dacă problema persistă, răspundeți la acest e-mail.",
    warning_subject: "Se închide în curând",
    warning_body: "așteptăm răspunsul dumneavoastră la solicitarea {number}. Dacă nu răspundeți, se va închide la {closes_at}.",
    closed_subject: "Închisă",
    closed_body: "solicitarea {number} a fost închisă. Un răspuns la acest e-mail o redeschide sau deschide o solicitare nouă.",
    thread_subject: "Solicitare",
    thread_intro: "iată corespondența solicitării {number}:",
    transcript_subject: "Transcrierea conversației",
    transcript_intro: "iată transcrierea conversației dumneavoastră, păstrată ca solicitarea {number}:",
    answer_hint: "Pentru a răspunde, răspundeți la acest e-mail; păstrați numărul în subiect.",
    link: "Solicitarea în portal: {link}",
    closing: "Cu stimă,",
};

const RU: Words = Words {
    comma: ",",
    greeting: "Здравствуйте",
    received_subject: "Заявка принята",
    received_body: "мы получили вашу заявку и зарегистрировали её под номером {number}. Специалист ответит вам в ближайшее время.",
    reply_intro: "по вашей заявке {number} есть новый ответ:",
    resolved_subject: "Решена",
    resolved_body: "мы считаем заявку {number} решённой. Пожалуйста, подтвердите решение в личном кабинете; если проблема осталась, просто ответьте на это письмо.",
    warning_subject: "Скоро будет закрыта",
    warning_body: "мы ждём вашего ответа по заявке {number}. Если вы не ответите, она будет закрыта {closes_at}.",
    closed_subject: "Закрыта",
    closed_body: "заявка {number} закрыта. Ответ на это письмо откроет её снова или создаст новую заявку.",
    thread_subject: "Заявка",
    thread_intro: "переписка по заявке {number}:",
    transcript_subject: "Запись чата",
    transcript_intro: "запись вашего чата, сохранённая как заявка {number}:",
    answer_hint: "Чтобы ответить, ответьте на это письмо; сохраните номер в теме.",
    link: "Заявка в личном кабинете: {link}",
    closing: "С уважением,",
};

const FA: Words = Words {
    comma: "،",
    greeting: "سلام",
    received_subject: "درخواست ثبت شد",
    received_body: "درخواست شما دریافت و با شمارهٔ {number} ثبت شد. کارشناس ما در اولین فرصت پاسخ می‌دهد.",
    reply_intro: "پاسخ تازه‌ای برای درخواست {number} رسیده است:",
    resolved_subject: "حل شد",
    resolved_body: "درخواست {number} حل‌شده در نظر گرفته شد. لطفاً راه‌حل را در پرتال تأیید کنید؛ اگر مشکل باقی است، به همین ایمیل پاسخ دهید.",
    warning_subject: "به‌زودی بسته می‌شود",
    warning_body: "منتظر پاسخ شما دربارهٔ درخواست {number} هستیم. اگر پاسخ ندهید، در {closes_at} بسته می‌شود.",
    closed_subject: "بسته شد",
    closed_body: "درخواست {number} بسته شد. پاسخ به این ایمیل آن را دوباره باز می‌کند یا درخواست تازه‌ای می‌سازد.",
    thread_subject: "درخواست",
    thread_intro: "مکاتبات درخواست {number}:",
    transcript_subject: "متن گفتگو",
    transcript_intro: "متن گفتگوی شما که به‌عنوان درخواست {number} نگه داشته شده است:",
    answer_hint: "برای پاسخ، به همین ایمیل پاسخ دهید و شماره را در موضوع نگه دارید.",
    link: "این درخواست در پرتال: {link}",
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

/// Renders the e-mail of `kind` in `language`.
///
/// ```
/// use helpdesk_core::domain::{EmailKind, Language, PublicUrl, TicketNumber};
/// use helpdesk_core::render::{EmailContext, render_email};
///
/// let email = render_email(
///     EmailKind::TicketReceived,
///     Language::Romanian,
///     &EmailContext {
///         number: &TicketNumber::new("2026010510000001", "10000001").unwrap(),
///         public_url: Some(&PublicUrl::parse("https://desk.example.com").unwrap()),
///         subject: "Nu merge internetul",
///         recipient_name: "Ana",
///         text: None,
///         closes_at: None,
///         desk_name: "Helpdesk",
///     },
/// );
/// assert_eq!(email.subject, "[#10000001] Solicitare înregistrată: Nu merge internetul");
/// assert!(email.body.starts_with("Bună ziua, Ana,"));
/// assert!(email.body.contains("cu numărul 10000001."));
/// assert!(email.body.contains("Solicitarea în portal: https://desk.example.com/tickets/10000001\n"));
/// assert!(!email.body.contains("2026010510000001"));
/// ```
pub fn render_email(kind: EmailKind, language: Language, ctx: &EmailContext<'_>) -> RenderedEmail {
    let w = words(language);
    let fill = |template: &str| {
        let closes_at = ctx
            .closes_at
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        template
            .replace("{number}", ctx.number.short())
            .replace("{closes_at}", &closes_at)
    };
    let tag = crate::mail::tag::tag(ctx.number.short());
    let (label, lead) = match kind {
        EmailKind::TicketReceived => (Some(w.received_subject), fill(w.received_body)),
        EmailKind::AgentReply => (None, fill(w.reply_intro)),
        EmailKind::Resolved => (Some(w.resolved_subject), fill(w.resolved_body)),
        EmailKind::AutoCloseWarning => (Some(w.warning_subject), fill(w.warning_body)),
        EmailKind::Closed => (Some(w.closed_subject), fill(w.closed_body)),
        EmailKind::TicketThread => (Some(w.thread_subject), fill(w.thread_intro)),
        EmailKind::ChatTranscript => (Some(w.transcript_subject), fill(w.transcript_intro)),
        // About no ticket: rendered by `render_account_email`; here only a greeting. An
        // agent's notice is rendered by `render_agent_notice`.
        EmailKind::Invitation | EmailKind::PasswordReset | EmailKind::AgentNotice => {
            (None, String::new())
        }
    };
    let subject = match label {
        Some(label) => format!("{tag} {label}: {}", ctx.subject),
        None => format!("{tag} Re: {}", ctx.subject),
    };
    let mut body = format!(
        "{}{comma} {}{comma}\n\n{lead}\n",
        w.greeting,
        ctx.recipient_name,
        comma = w.comma
    );
    if !matches!(kind, EmailKind::TicketThread | EmailKind::ChatTranscript) {
        body.push('\n');
        body.push_str(w.answer_hint);
        body.push('\n');
    }
    if let Some(url) = ctx.public_url {
        body.push('\n');
        body.push_str(&w.link.replace("{link}", &url.ticket_link(ctx.number)));
        body.push('\n');
    }
    if let Some(text) = ctx.text {
        body.push('\n');
        body.push_str(text.trim_end());
        body.push('\n');
    }
    if kind != EmailKind::AgentReply {
        // An agent's reply already ends with their signature.
        body.push('\n');
        body.push_str(w.closing);
        body.push('\n');
        body.push_str(ctx.desk_name);
        body.push('\n');
    }
    RenderedEmail { subject, body }
}
