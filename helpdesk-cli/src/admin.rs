//! The admin commands: departments, agents and their logins, customers' logins and access,
//! business-hours calendars, SLA policies, attachment limits and the audit trail of settings
//! (templates, canned responses and the knowledge base are in `content` and `kb`). Each acts
//! through the library as `--as`, which checks that they may.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};

use argon2::{Argon2, PasswordHasher};
use helpdesk::domain::{Actor, Email, LoginName, Name, PasswordHash, standard_permissions};
use helpdesk::policy::{CalendarSpec, ServiceLevelSettings, SlaPolicySetting};
use helpdesk::service::{AttachmentLimits, NewAgent};
use serde_json::json;

use crate::CliResult;
use crate::admin_args::{
    AgentAddArgs, AgentCmd, CalendarCmd, DepartmentCmd, LimitsCmd, LoginArgs, SlaCmd, SlaSetArgs,
};
use crate::context::Ctx;
use crate::exit::Failure;
use crate::output::Out;

/// The longest password accepted, in bytes.
const MAX_PASSWORD_BYTES: usize = 1024;

/// The password on the first line of `stdin`, hashed with argon2id.
pub(crate) async fn password_from(stdin: &mut dyn Read) -> CliResult<PasswordHash> {
    let mut line = String::new();
    BufReader::new(stdin.take(MAX_PASSWORD_BYTES as u64 + 2)).read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(Failure::invalid("password: give it on the first line of stdin").into());
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(
            Failure::invalid(format!("password: at most {MAX_PASSWORD_BYTES} bytes")).into(),
        );
    }
    let phc = tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await?
    .map_err(|e| Failure::invalid(format!("password: {e}")))?;
    Ok(PasswordHash::parse(&phc)?)
}

/// `department …`.
pub(crate) async fn department(ctx: &Ctx, cmd: DepartmentCmd, out: &mut Out<'_>) -> CliResult {
    match cmd {
        DepartmentCmd::List => {}
        DepartmentCmd::MailAddress {
            name,
            address,
            list_mail,
        } => {
            return crate::mail_settings::department_address(ctx, &name, &address, list_mail, out)
                .await;
        }
        DepartmentCmd::Add { name, follow_up } => {
            ctx.acting
                .create_department(Name::parse(&name)?, follow_up)
                .await?;
        }
        DepartmentCmd::Edit {
            name,
            rename,
            follow_up,
            calendar,
            disable,
            enable,
        } => {
            let id = ctx.department_id(Some(&name)).await?;
            let d = ctx
                .desk
                .as_system()
                .departments()
                .await?
                .into_iter()
                .find(|d| d.id == id)
                .ok_or_else(|| Failure::not_found(format!("no department named {name:?}")))?;
            let new_name = match rename {
                Some(n) => Name::parse(&n)?,
                None => d.name.clone(),
            };
            let active = if disable { false } else { enable || d.active };
            ctx.acting
                .update_department(id, new_name, follow_up.unwrap_or(d.follow_up), active)
                .await?;
            if let Some(calendar) = calendar {
                let calendar = none_or(&calendar).map(Name::parse).transpose()?;
                ctx.acting.set_department_calendar(id, calendar).await?;
            }
        }
    }
    let departments = ctx.acting.departments().await?;
    out.departments(&departments)
}

/// `none` (any case) as `None`, anything else as itself.
fn none_or(text: &str) -> Option<&str> {
    (!text.trim().eq_ignore_ascii_case("none")).then_some(text)
}

/// The departments named, each with the standard permissions.
async fn departments_named(
    ctx: &Ctx,
    names: &[String],
) -> CliResult<BTreeMap<helpdesk::domain::DepartmentId, helpdesk::domain::PermissionSet>> {
    let mut out = BTreeMap::new();
    for name in names {
        out.insert(ctx.department_id(Some(name)).await?, standard_permissions());
    }
    Ok(out)
}

/// `agent …`.
pub(crate) async fn agent(
    ctx: &Ctx,
    cmd: AgentCmd,
    stdin: &mut dyn Read,
    out: &mut Out<'_>,
) -> CliResult {
    match cmd {
        AgentCmd::List => {}
        AgentCmd::Add(AgentAddArgs {
            name,
            email,
            role,
            department,
            login,
        }) => {
            let mut new = NewAgent::new(Name::parse(&name)?, Email::parse(&email)?, role);
            for (id, permissions) in departments_named(ctx, &department).await? {
                new = new.in_department(id, permissions);
            }
            // The login is checked before the agent is written.
            let login = match login {
                Some(l) => Some((LoginName::parse(&l)?, password_from(stdin).await?)),
                None => None,
            };
            let agent = ctx.acting.create_agent(new).await?;
            if let Some((name, hash)) = login {
                ctx.acting
                    .set_login(Actor::Agent(agent.id), name, hash)
                    .await?;
            }
        }
        AgentCmd::Edit {
            email,
            role,
            department,
        } => {
            let id = ctx.agent_by_email(&email).await?;
            let agent = ctx.acting.agent(id).await?;
            let departments = match department {
                Some(names) => departments_named(ctx, &names).await?,
                None => agent.departments.clone(),
            };
            ctx.acting
                .update_agent(id, role.unwrap_or(agent.role), departments, agent.active)
                .await?;
        }
        AgentCmd::Login(args) => {
            let id = ctx.agent_by_email(&args.email).await?;
            return login(ctx, Actor::Agent(id), args, stdin, out).await;
        }
        AgentCmd::Disable { email } => {
            let id = ctx.agent_by_email(&email).await?;
            ctx.acting.disable_agent(id).await?;
        }
        AgentCmd::Invite { email, login } => {
            let id = ctx.agent_by_email(&email).await?;
            return crate::links::invite(ctx, Actor::Agent(id), login, out).await;
        }
        AgentCmd::ResetLink { email } => {
            let id = ctx.agent_by_email(&email).await?;
            return crate::links::reset_link(ctx, Actor::Agent(id), out).await;
        }
    }
    let agents = ctx.acting.agents().await?;
    let departments = ctx.desk.as_system().departments().await?;
    out.agents(&agents, &departments)
}

/// `agent login` and `customer login`: the login's name, never the hash.
pub(crate) async fn login(
    ctx: &Ctx,
    actor: Actor,
    args: LoginArgs,
    stdin: &mut dyn Read,
    out: &mut Out<'_>,
) -> CliResult {
    let name = LoginName::parse(&args.login)?;
    let hash = password_from(stdin).await?;
    let login = ctx.acting.set_login(actor, name, hash).await?;
    out.value(
        &json!({"login": login.name.as_str(), "actor": actor}),
        &format!("login {} set for {}\n", login.name.as_str(), args.email),
    )
}

/// `customer disable` and `customer enable`.
pub(crate) async fn customer_access(
    ctx: &Ctx,
    email: &str,
    enabled: bool,
    out: &mut Out<'_>,
) -> CliResult {
    let customer = ctx.customer_by_email(email).await?;
    let customer = ctx.acting.set_customer_access(customer.id, enabled).await?;
    out.customers(&[customer])
}

/// The service levels as a table: calendars with their departments, then policies.
async fn print_levels(ctx: &Ctx, levels: &ServiceLevelSettings, out: &mut Out<'_>) -> CliResult {
    let departments = ctx.desk.as_system().departments().await?;
    let dept_name = |id| {
        departments
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id_text(id), |d| d.name.as_str().to_owned())
    };
    let mut text = String::new();
    for (name, calendar) in &levels.calendars {
        let used: Vec<String> = levels
            .department_calendars
            .iter()
            .filter(|(_, c)| *c == name)
            .map(|(d, _)| dept_name(*d))
            .collect();
        let default = if levels.default_calendar.as_ref() == Some(name) {
            " (default)"
        } else {
            ""
        };
        text += &format!(
            "calendar {}{default}  zone {}  departments: {}\n",
            name.as_str(),
            calendar.zone(),
            if used.is_empty() {
                "-".into()
            } else {
                used.join(", ")
            }
        );
    }
    for p in &levels.policies {
        let minutes = |m: Option<u32>| m.map_or_else(|| "-".to_owned(), |m| format!("{m}m"));
        text += &format!(
            "sla {}  first {}  next {}  resolution {}  priorities: {}  departments: {}\n",
            p.name.as_str(),
            minutes(p.first_response_minutes),
            minutes(p.next_response_minutes),
            minutes(p.resolution_minutes),
            if p.priorities.is_empty() {
                "any".to_owned()
            } else {
                p.priorities
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            },
            if p.departments.is_empty() {
                "any".to_owned()
            } else {
                p.departments
                    .iter()
                    .map(|d| dept_name(*d))
                    .collect::<Vec<_>>()
                    .join(",")
            },
        );
    }
    if text.is_empty() {
        text = "no calendars or SLA policies stored\n".into();
    }
    out.value(&serde_json::to_value(levels)?, &text)
}

fn id_text(id: helpdesk::domain::DepartmentId) -> String {
    id.as_uuid().to_string()
}

/// `calendar …`.
pub(crate) async fn calendar(ctx: &Ctx, cmd: CalendarCmd, out: &mut Out<'_>) -> CliResult {
    let levels = match cmd {
        CalendarCmd::List => ctx.acting.service_level_settings().await?,
        CalendarCmd::Set {
            name,
            zone,
            hours,
            holidays,
            yearly_holidays,
        } => {
            let calendar = CalendarSpec {
                zone,
                hours,
                holidays,
                yearly_holidays,
            }
            .to_calendar()?;
            ctx.acting
                .put_calendar(Name::parse(&name)?, calendar)
                .await?
        }
        CalendarCmd::Remove { name } => ctx.acting.delete_calendar(&Name::parse(&name)?).await?,
        CalendarCmd::Default { name } => {
            let name = none_or(&name).map(Name::parse).transpose()?;
            ctx.acting.set_default_calendar(name).await?
        }
    };
    print_levels(ctx, &levels, out).await
}

/// `sla …`.
pub(crate) async fn sla(ctx: &Ctx, cmd: SlaCmd, out: &mut Out<'_>) -> CliResult {
    let levels = match cmd {
        SlaCmd::List => ctx.acting.service_level_settings().await?,
        SlaCmd::Set(args) => {
            let policy = sla_policy(ctx, args).await?;
            ctx.acting.put_sla_policy(policy).await?
        }
        SlaCmd::Remove { name } => ctx.acting.delete_sla_policy(&Name::parse(&name)?).await?,
    };
    print_levels(ctx, &levels, out).await
}

async fn sla_policy(ctx: &Ctx, args: SlaSetArgs) -> CliResult<SlaPolicySetting> {
    let mut policy = SlaPolicySetting::new(Name::parse(&args.name)?);
    policy.priorities = args.priority;
    policy.departments = departments_named(ctx, &args.department)
        .await?
        .into_keys()
        .collect();
    policy.ticket_types = args.ticket_type;
    policy.customer_kinds = args.customer_kind;
    for organisation in &args.organisation {
        let id = crate::customers::customer_id(ctx, organisation).await?;
        policy.organisations.push(id);
    }
    policy.first_response_minutes = args.first_response;
    policy.next_response_minutes = args.next_response;
    policy.resolution_minutes = args.resolution;
    policy.calendar = args.calendar.as_deref().map(Name::parse).transpose()?;
    policy.warn_percent = args.warn_percent;
    Ok(policy)
}

/// `limits …`.
pub(crate) async fn limits(ctx: &Ctx, cmd: LimitsCmd, out: &mut Out<'_>) -> CliResult {
    let settings = match cmd {
        LimitsCmd::Show => ctx.acting.attachment_settings().await?,
        LimitsCmd::Set {
            department,
            max_size,
            max_files,
            max_per_ticket,
            max_bytes_per_ticket,
            types,
        } => {
            let department = match department {
                Some(name) => Some(ctx.department_id(Some(&name)).await?),
                None => None,
            };
            let mut limits = AttachmentLimits {
                max_size,
                max_count: max_files,
                max_per_ticket,
                max_bytes_per_ticket,
                ..AttachmentLimits::default()
            };
            if !types.is_empty() {
                limits.allowed_types = types;
            }
            ctx.acting
                .set_attachment_limits(department, Some(limits))
                .await?
        }
        LimitsCmd::Unset { department } => {
            let department = match department {
                Some(name) => Some(ctx.department_id(Some(&name)).await?),
                None => None,
            };
            ctx.acting.set_attachment_limits(department, None).await?
        }
    };
    let departments = ctx.desk.as_system().departments().await?;
    let line = |who: &str, l: &AttachmentLimits| {
        format!(
            "{who}  max-size {}  max-files {}  max-per-ticket {}  max-bytes-per-ticket {}  types {}\n",
            l.max_size,
            l.max_count,
            l.max_per_ticket
                .map_or_else(|| "-".to_owned(), |n| n.to_string()),
            l.max_bytes_per_ticket
                .map_or_else(|| "-".to_owned(), |n| n.to_string()),
            l.allowed_types.join(",")
        )
    };
    let mut text = String::new();
    if let Some(l) = &settings.default {
        text += &line("default", l);
    }
    for (id, l) in &settings.departments {
        let name = departments
            .iter()
            .find(|d| d.id == *id)
            .map_or_else(|| id_text(*id), |d| d.name.as_str().to_owned());
        text += &line(&name, l);
    }
    if text.is_empty() {
        text = "no attachment limits stored (the built-in ones apply)\n".into();
    }
    out.value(&serde_json::to_value(&settings)?, &text)
}

/// `audit`: the latest settings changes (templates, canned responses and knowledge-base
/// categories among them), newest first.
pub(crate) async fn audit(ctx: &Ctx, limit: u32, out: &mut Out<'_>) -> CliResult {
    let changes = ctx.acting.setting_changes(limit).await?;
    let text: String = changes
        .iter()
        .map(|c| {
            let what = match &c.item {
                Some(item) => format!("{} {item}", c.key),
                None => c.key.to_string(),
            };
            let done = match (&c.before, &c.after, &c.item) {
                (_, Some(_), None) => "set",
                (_, None, None) => "unset",
                (None, Some(_), Some(_)) => "added",
                (Some(_), Some(_), Some(_)) => "changed",
                (_, None, Some(_)) => "removed",
            };
            format!("{}  {}  {what}  {done}\n", c.at.to_rfc3339(), c.actor)
        })
        .collect();
    out.value(&serde_json::to_value(&changes)?, &text)
}
