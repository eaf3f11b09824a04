//! `seed N`: synthetic tickets in the four languages of the seeds, with a progress bar.

use std::io::Write;

use helpdesk::domain::{
    Channel, CustomerId, CustomerKind, Email, Language, MessageBody, Name, Phone, Subject,
};
use helpdesk::machine::NewTicket;
use helpdesk::policy::FollowUpPolicy;
use helpdesk::search::CustomerLookup;
use helpdesk::service::NewCustomer;

use crate::CliResult;
use crate::context::Ctx;

/// Subjects and descriptions, in English, Romanian, Russian and Persian.
const SAMPLES: [(&str, &str, Language); 8] = [
    (
        "The internet is down",
        "The router blinks red since this morning.",
        Language::English,
    ),
    (
        "Invoice is wrong",
        "I was charged twice this month.",
        Language::English,
    ),
    (
        "Nu funcționează internetul",
        "Routerul clipește roșu de azi-dimineață.",
        Language::Romanian,
    ),
    (
        "Factura este greșită",
        "Am fost taxat de două ori luna aceasta.",
        Language::Romanian,
    ),
    (
        "Не работает интернет",
        "Роутер мигает красным с утра.",
        Language::Russian,
    ),
    (
        "Ошибка в счёте",
        "С меня списали деньги дважды в этом месяце.",
        Language::Russian,
    ),
    (
        "اینترنت قطع است",
        "مودم از صبح چراغ قرمز نشان می‌دهد.",
        Language::Persian,
    ),
    (
        "صورتحساب اشتباه است",
        "این ماه دو بار از من پول کسر شده است.",
        Language::Persian,
    ),
];

/// The synthetic customers' names, one per language.
const CUSTOMERS: [(&str, Language); 4] = [
    ("Seed Customer", Language::English),
    ("Client Sămânță", Language::Romanian),
    ("Клиент Посевной", Language::Russian),
    ("مشتری نمونه", Language::Persian),
];

const CHANNELS: [Channel; 4] = [Channel::Phone, Channel::Web, Channel::Email, Channel::Chat];

/// A progress bar on `w`, redrawn only when the shown fraction changes.
pub(crate) struct Progress<'a> {
    w: &'a mut dyn Write,
    label: &'static str,
    total: usize,
    shown: Option<usize>,
}

impl<'a> Progress<'a> {
    const WIDTH: usize = 40;

    fn new(w: &'a mut dyn Write, total: usize) -> Self {
        Self::labelled(w, "seeding", total)
    }

    /// A bar saying `label` before it.
    pub(crate) fn labelled(w: &'a mut dyn Write, label: &'static str, total: usize) -> Self {
        let mut bar = Self {
            w,
            label,
            total,
            shown: None,
        };
        bar.set(0);
        bar
    }

    /// Shows `done` of the total.
    pub(crate) fn set(&mut self, done: usize) {
        let filled = (done * Self::WIDTH)
            .checked_div(self.total)
            .unwrap_or(Self::WIDTH);
        let percent = (done * 100).checked_div(self.total).unwrap_or(100);
        if self.shown == Some(percent) {
            return;
        }
        self.shown = Some(percent);
        let _ = write!(
            self.w,
            "\r{} [{}{}] {done}/{} ({percent}%)",
            self.label,
            "#".repeat(filled),
            "-".repeat(Self::WIDTH - filled),
            self.total
        );
        let _ = self.w.flush();
    }

    /// Ends the bar's line.
    pub(crate) fn finish(self) {
        let _ = writeln!(self.w);
    }
}

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("the seed's own values are valid: {e}"),
    }
}

/// Opens `count` tickets (creating a Support department and four customers when missing) and
/// returns how many it opened.
pub async fn seed(ctx: &Ctx, count: usize, progress: &mut dyn Write) -> CliResult<usize> {
    let acting = &ctx.acting;
    let departments = ctx.desk.as_system().departments().await?;
    let department = match departments
        .iter()
        .min_by_key(|d| (d.created_at, d.id.as_uuid()))
    {
        Some(d) => d.id,
        None => {
            acting
                .create_department(ok(Name::parse("Support")), FollowUpPolicy::Reopen)
                .await?
                .id
        }
    };
    let mut customers: Vec<CustomerId> = Vec::new();
    for (i, (name, language)) in CUSTOMERS.into_iter().enumerate() {
        let email = ok(Email::parse(format!("seed{}@example.com", i + 1).as_str()));
        let found = ctx
            .desk
            .as_system()
            .find_customers(&CustomerLookup::Email(email.clone()))
            .await?;
        let id = match found.first() {
            Some(c) => c.id,
            None => {
                let new = NewCustomer::new(CustomerKind::Individual, ok(Name::parse(name)))
                    .with_email(email)
                    .with_phone(ok(Phone::parse(
                        format!("+1 555 010 {:04}", i + 1).as_str(),
                    )))
                    .with_language(language);
                acting.create_customer(new).await?.id
            }
        };
        customers.push(id);
    }
    let mut bar = Progress::new(progress, count);
    for i in 0..count {
        let (subject, body, language) = SAMPLES[i % SAMPLES.len()];
        let customer = customers[Language::ALL
            .iter()
            .position(|l| *l == language)
            .unwrap_or(0)];
        let mut new = NewTicket::new(
            ok(Subject::parse(format!("{subject} ({})", i + 1).as_str())),
            ok(MessageBody::parse(body)),
            department,
        );
        new.customer = Some(customer);
        new.channel = CHANNELS[i % CHANNELS.len()];
        acting.open_ticket(new).await?;
        bar.set(i + 1);
    }
    bar.finish();
    Ok(count)
}
