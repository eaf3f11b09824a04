//! The e-mails of one-time links ([`LinkKind`]): an invitation to set the password of a new
//! login, and a password reset, in English, Romanian, Russian and Persian. They are about no
//! ticket, so they carry no ticket tag.

use chrono::{DateTime, Utc};

use super::RenderedEmail;
use crate::domain::{Language, LinkKind};

/// What an account e-mail is filled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountEmailContext<'a> {
    /// Who the e-mail greets.
    pub recipient_name: &'a str,
    /// The login name the link sets the password of.
    pub login: &'a str,
    /// The link itself.
    pub link: &'a str,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// The desk's name, signing the e-mail.
    pub desk_name: &'a str,
}

struct Words {
    greeting: &'static str,
    comma: &'static str,
    invitation_subject: &'static str,
    invitation_body: &'static str,
    reset_subject: &'static str,
    reset_body: &'static str,
    login: &'static str,
    expires: &'static str,
    not_you: &'static str,
    closing: &'static str,
}

const EN: Words = Words {
    greeting: "Hello",
    comma: ",",
    invitation_subject: "Your invitation to {desk}",
    invitation_body: "you have been invited to {desk}. Choose your password with this link:",
    reset_subject: "Set a new password for {desk}",
    reset_body: "someone asked to set a new password for your login at {desk}. Choose it with this link:",
    login: "Your login: {login}",
    expires: "The link works once, until {expires}.",
    not_you: "If you did not expect this e-mail, ignore it: nothing changes.",
    closing: "Kind regards,",
};

const RO: Words = Words {
    greeting: "Bună ziua",
    comma: ",",
    invitation_subject: "Invitație la {desk}",
    invitation_body: "ați fost invitat(ă) la {desk}. Alegeți-vă parola cu acest link:",
    reset_subject: "Parolă nouă pentru {desk}",
    reset_body: "cineva a cerut o parolă nouă pentru contul dumneavoastră la {desk}. Alegeți-o cu acest link:",
    login: "Numele de utilizator: {login}",
    expires: "Linkul funcționează o singură dată, până la {expires}.",
    not_you: "Dacă nu așteptați acest e-mail, ignorați-l: nu se schimbă nimic.",
    closing: "Cu stimă,",
};

const RU: Words = Words {
    greeting: "Здравствуйте",
    comma: ",",
    invitation_subject: "Приглашение в {desk}",
    invitation_body: "вас пригласили в {desk}. Задайте пароль по этой ссылке:",
    reset_subject: "Новый пароль для {desk}",
    reset_body: "поступил запрос на новый пароль для вашей учётной записи в {desk}. Задайте его по этой ссылке:",
    login: "Ваш логин: {login}",
    expires: "Ссылка действует один раз, до {expires}.",
    not_you: "Если вы не ждали этого письма, просто проигнорируйте его: ничего не изменится.",
    closing: "С уважением,",
};

const FA: Words = Words {
    greeting: "سلام",
    comma: "،",
    invitation_subject: "دعوت به {desk}",
    invitation_body: "شما به {desk} دعوت شده‌اید. رمز عبور خود را با این پیوند انتخاب کنید:",
    reset_subject: "رمز عبور تازه برای {desk}",
    reset_body: "درخواست رمز عبور تازه برای حساب شما در {desk} ثبت شد. آن را با این پیوند انتخاب کنید:",
    login: "نام کاربری شما: {login}",
    expires: "این پیوند یک بار و تا {expires} کار می‌کند.",
    not_you: "اگر منتظر این ایمیل نبودید، آن را نادیده بگیرید: چیزی تغییر نمی‌کند.",
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

/// Renders the e-mail of a link of `kind` in `language`.
///
/// ```
/// use helpdesk_core::domain::{Language, LinkKind};
/// use helpdesk_core::render::{AccountEmailContext, render_account_email};
///
/// let email = render_account_email(
///     LinkKind::Invitation,
///     Language::Romanian,
///     &AccountEmailContext {
///         recipient_name: "Ana",
///         login: "ana@example.ro",
///         link: "https://desk.example.com/setup-password?token=abc",
///         expires_at: "2026-12-13T10:00:00Z".parse().unwrap(),
///         desk_name: "Helpdesk",
///     },
/// );
/// assert_eq!(email.subject, "Invitație la Helpdesk");
/// assert!(email.body.starts_with("Bună ziua, Ana,"));
/// assert!(email.body.contains("\nhttps://desk.example.com/setup-password?token=abc\n"));
/// assert!(email.body.contains("până la 2026-12-13 10:00 UTC."));
/// ```
pub fn render_account_email(
    kind: LinkKind,
    language: Language,
    ctx: &AccountEmailContext<'_>,
) -> RenderedEmail {
    let w = words(language);
    let desk = |t: &str| t.replace("{desk}", ctx.desk_name);
    let (subject, lead) = match kind {
        LinkKind::Invitation => (desk(w.invitation_subject), desk(w.invitation_body)),
        LinkKind::PasswordReset => (desk(w.reset_subject), desk(w.reset_body)),
    };
    let expires = ctx.expires_at.format("%Y-%m-%d %H:%M UTC").to_string();
    let body = format!(
        "{greeting}{comma} {name}{comma}\n\n{lead}\n\n{link}\n\n{login}\n{expires}\n\n{not_you}\n\n{closing}\n{desk}\n",
        greeting = w.greeting,
        comma = w.comma,
        name = ctx.recipient_name,
        link = ctx.link,
        login = w.login.replace("{login}", ctx.login),
        expires = w.expires.replace("{expires}", &expires),
        not_you = w.not_you,
        closing = w.closing,
        desk = ctx.desk_name,
    );
    RenderedEmail { subject, body }
}
