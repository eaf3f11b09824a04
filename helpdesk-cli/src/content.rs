//! The content commands: ticket templates (admins add, edit and delete them) and canned
//! responses (agents do). Each acts through the library as `--as`, which checks that they
//! may; a list follows each change, a deletion answers `deleted <id>`.

use helpdesk::domain::{CannedResponse, MessageBody, Name, TicketTemplate};
use helpdesk::service::TemplateDraft;
use serde_json::json;

use crate::CliResult;
use crate::admin_args::{CannedCmd, TemplateCmd};
use crate::context::Ctx;
use crate::output::Out;

/// `template …`.
pub(crate) async fn template(ctx: &Ctx, cmd: TemplateCmd, out: &mut Out<'_>) -> CliResult {
    match cmd {
        TemplateCmd::List => {}
        TemplateCmd::Add {
            name,
            department,
            ticket_type,
            subject_prefix,
            priority,
            body,
        } => {
            let draft = TemplateDraft {
                name: Name::parse(&name)?,
                ticket_type,
                subject_prefix: subject_prefix.as_deref().map(Name::parse).transpose()?,
                department: ctx.department_id(Some(&department)).await?,
                priority,
                categories: Default::default(),
                required_fields: Vec::new(),
                body: MessageBody::parse(&body)?,
            };
            ctx.acting.create_template(draft).await?;
        }
        TemplateCmd::Edit {
            template,
            name,
            department,
            ticket_type,
            subject_prefix,
            priority,
            no_priority,
            body,
        } => {
            let old = ctx.acting.template(template).await?;
            let draft = TemplateDraft {
                name: name
                    .as_deref()
                    .map(Name::parse)
                    .transpose()?
                    .unwrap_or(old.name),
                ticket_type: ticket_type.unwrap_or(old.ticket_type),
                subject_prefix: match subject_prefix.as_deref() {
                    None => old.subject_prefix,
                    Some("") => None,
                    Some(p) => Some(Name::parse(p)?),
                },
                department: match department {
                    Some(d) => ctx.department_id(Some(&d)).await?,
                    None => old.department,
                },
                priority: if no_priority {
                    None
                } else {
                    priority.or(old.priority)
                },
                categories: old.categories,
                required_fields: old.required_fields,
                body: match body {
                    Some(b) => MessageBody::parse(&b)?,
                    None => old.body,
                },
            };
            let edited = ctx.acting.update_template(template, draft).await?;
            return out.value(&json!(edited), &template_line(&edited));
        }
        TemplateCmd::Delete { template } => {
            ctx.acting.delete_template(template).await?;
            return deleted(out, template);
        }
    }
    let templates = ctx.acting.templates().await?;
    let text: String = templates.iter().map(template_line).collect();
    out.value(&serde_json::to_value(&templates)?, &text)
}

/// A template as a line: id, name and type.
fn template_line(t: &TicketTemplate) -> String {
    format!(
        "{}  {}  {}\n",
        t.id.as_uuid(),
        t.name.as_str(),
        t.ticket_type
    )
}

/// `deleted <id>`, or `{"deleted": id}` with `--json`.
pub(crate) fn deleted(out: &mut Out<'_>, id: impl std::fmt::Display) -> CliResult {
    let id = id.to_string();
    out.value(&json!({ "deleted": id }), &format!("deleted {id}\n"))
}

/// `canned …`.
pub(crate) async fn canned(ctx: &Ctx, cmd: CannedCmd, out: &mut Out<'_>) -> CliResult {
    let (department, language) = match cmd {
        CannedCmd::List {
            department,
            language,
        } => (department, language),
        CannedCmd::Add {
            name,
            language,
            department,
            body,
        } => {
            let id = match &department {
                Some(d) => Some(ctx.department_id(Some(d)).await?),
                None => None,
            };
            ctx.acting
                .create_canned_response(
                    id,
                    Name::parse(&name)?,
                    language,
                    MessageBody::parse(&body)?,
                )
                .await?;
            (department, Some(language))
        }
        CannedCmd::Edit {
            canned,
            name,
            language,
            department,
            all_departments,
            body,
        } => {
            let old = ctx.acting.canned_response(canned).await?;
            let department = match department {
                Some(d) => Some(ctx.department_id(Some(&d)).await?),
                None if all_departments => None,
                None => old.department,
            };
            let edited = ctx
                .acting
                .update_canned_response(
                    canned,
                    department,
                    name.as_deref()
                        .map(Name::parse)
                        .transpose()?
                        .unwrap_or(old.name),
                    language.unwrap_or(old.language),
                    match body {
                        Some(b) => MessageBody::parse(&b)?,
                        None => old.body,
                    },
                )
                .await?;
            return out.value(&json!(edited), &canned_line(&edited));
        }
        CannedCmd::Delete { canned } => {
            ctx.acting.delete_canned_response(canned).await?;
            return deleted(out, canned);
        }
    };
    let department = match department {
        Some(d) => Some(ctx.department_id(Some(&d)).await?),
        None => None,
    };
    let responses = ctx.acting.canned_responses(department, language).await?;
    let text: String = responses.iter().map(canned_line).collect();
    out.value(&serde_json::to_value(&responses)?, &text)
}

/// A canned response as a line: id, language and name.
fn canned_line(r: &CannedResponse) -> String {
    format!(
        "{}  {}  {}\n",
        r.id.as_uuid(),
        r.language.code(),
        r.name.as_str()
    )
}
