//! `mail-settings show|set|unset` and `department mail-address`: the mail settings kept in
//! the store (admins), which every process applies — the server, `cli ingest`, an embedding
//! application. Each change is audited (`audit`).

use clap::{Subcommand, ValueEnum};
use helpdesk::domain::{Email, Name};
use helpdesk::service::{
    DepartmentAddress, ListMail, MailDefaults, StoredMailSettings, UnknownSenders,
};
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

#[derive(Debug, Subcommand)]
pub(crate) enum MailSettingsCmd {
    /// Show the stored mail settings and each department's own address.
    Show,
    /// Set desk-wide mail settings; the ones not given keep their stored value.
    Set {
        /// The address the desk sends from and receives at.
        #[arg(long)]
        from: Option<String>,
        /// The display name beside it.
        #[arg(long)]
        from_name: Option<String>,
        /// The department (by name) new tickets from mail go to when it was sent to no
        /// department's own address.
        #[arg(long)]
        inbound_department: Option<String>,
        /// Mail from unknown senders: create_customer or reject.
        #[arg(long)]
        unknown_senders: Option<UnknownSenders>,
        /// The most "request received" answers one customer gets in an hour (0–10000).
        #[arg(long)]
        auto_answers_per_hour: Option<u32>,
        /// List mail to the desk's address: take_in or ignore.
        #[arg(long)]
        list_mail: Option<ListMail>,
        /// Whether each e-mail goes out with an envelope sender naming it (VERP), so its
        /// bounce is matched to it: on or off.
        #[arg(long)]
        verp: Option<Switch>,
        /// How long, in hours, an address stays undeliverable after a permanent bounce
        /// (0–8784; 0: never marked).
        #[arg(long)]
        undeliverable_hours: Option<u32>,
    },
    /// Unset desk-wide mail settings: the values the process was given apply again.
    Unset {
        /// Which settings.
        #[arg(required = true)]
        names: Vec<MailSettingName>,
    },
}

/// A desk-wide mail setting's name as typed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum MailSettingName {
    /// The desk's address.
    From,
    /// Its display name.
    FromName,
    /// The inbound department.
    InboundDepartment,
    /// The rule for unknown senders.
    UnknownSenders,
    /// Automatic answers per customer an hour.
    AutoAnswersPerHour,
    /// List mail to the desk's address.
    ListMail,
    /// VERP.
    Verp,
    /// The hours an address stays undeliverable.
    UndeliverableHours,
}

/// On or off, as typed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Switch {
    /// On.
    On,
    /// Off.
    Off,
}

/// `mail-settings …`.
pub(crate) async fn mail_settings(ctx: &Ctx, cmd: MailSettingsCmd, out: &mut Out<'_>) -> CliResult {
    let settings = match cmd {
        MailSettingsCmd::Show => ctx.acting.mail_settings().await?,
        MailSettingsCmd::Set {
            from,
            from_name,
            inbound_department,
            unknown_senders,
            auto_answers_per_hour,
            list_mail,
            verp,
            undeliverable_hours,
        } => {
            let mut d = ctx.acting.mail_settings().await?.desk;
            if let Some(from) = from {
                d.from = Some(Email::parse(&from)?);
            }
            if let Some(name) = from_name {
                d.from_name = Some(Name::parse(&name)?);
            }
            if let Some(name) = inbound_department {
                d.inbound_department = Some(ctx.department_id(Some(&name)).await?);
            }
            d.unknown_senders = unknown_senders.or(d.unknown_senders);
            d.auto_answers_per_hour = auto_answers_per_hour.or(d.auto_answers_per_hour);
            d.list_mail = list_mail.or(d.list_mail);
            d.verp = verp.map(|v| matches!(v, Switch::On)).or(d.verp);
            d.undeliverable_hours = undeliverable_hours.or(d.undeliverable_hours);
            ctx.acting.set_mail_settings(d).await?
        }
        MailSettingsCmd::Unset { names } => {
            let mut d = ctx.acting.mail_settings().await?.desk;
            for name in names {
                match name {
                    MailSettingName::From => d.from = None,
                    MailSettingName::FromName => d.from_name = None,
                    MailSettingName::InboundDepartment => d.inbound_department = None,
                    MailSettingName::UnknownSenders => d.unknown_senders = None,
                    MailSettingName::AutoAnswersPerHour => d.auto_answers_per_hour = None,
                    MailSettingName::ListMail => d.list_mail = None,
                    MailSettingName::Verp => d.verp = None,
                    MailSettingName::UndeliverableHours => d.undeliverable_hours = None,
                }
            }
            ctx.acting.set_mail_settings(d).await?
        }
    };
    show(ctx, &settings, out).await
}

/// `department mail-address NAME ADDRESS|none [--list-mail take_in|ignore]`.
pub(crate) async fn department_address(
    ctx: &Ctx,
    department: &str,
    address: &str,
    list_mail: ListMail,
    out: &mut Out<'_>,
) -> CliResult {
    let id = ctx.department_id(Some(department)).await?;
    let address = match address.trim() {
        "none" | "" => None,
        raw => Some(DepartmentAddress {
            address: Email::parse(raw)?,
            list_mail,
        }),
    };
    let settings = ctx.acting.set_department_mail_address(id, address).await?;
    show(ctx, &settings, out).await
}

/// The settings as JSON, or a line each.
async fn show(ctx: &Ctx, settings: &StoredMailSettings, out: &mut Out<'_>) -> CliResult {
    let departments = ctx.desk.as_system().departments().await?;
    let name_of = |id| {
        departments
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_string(), |d| d.name.as_str().to_owned())
    };
    let d: &MailDefaults = &settings.desk;
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
    let mut text = format!(
        "from  {}\nfrom-name  {}\ninbound-department  {}\nunknown-senders  {}\n\
         auto-answers-per-hour  {}\nlist-mail  {}\nverp  {}\nundeliverable-hours  {}\n",
        or_dash(d.from.as_ref().map(ToString::to_string)),
        or_dash(d.from_name.as_ref().map(|n| n.as_str().to_owned())),
        or_dash(d.inbound_department.map(name_of)),
        or_dash(d.unknown_senders.map(|u| u.as_str().to_owned())),
        or_dash(d.auto_answers_per_hour.map(|n| n.to_string())),
        or_dash(d.list_mail.map(|l| l.as_str().to_owned())),
        or_dash(d.verp.map(|on| if on { "on" } else { "off" }.to_owned())),
        or_dash(d.undeliverable_hours.map(|n| n.to_string())),
    );
    for (id, a) in &settings.departments {
        text += &format!(
            "department {}  {}  list-mail {}\n",
            name_of(*id),
            a.address,
            a.list_mail
        );
    }
    out.value(&json!(settings), &text)
}
