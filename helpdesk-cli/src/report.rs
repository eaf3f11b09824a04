//! `report`: a report over a date range, as a table, JSON or CSV.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use helpdesk::domain::{ReportGroup, ReportQuery};
use helpdesk::render::{report_csv, report_table};
use serde_json::json;

use crate::CliResult;
use crate::args::{GroupArg, ReportArgs};
use crate::context::Ctx;
use crate::exit::Failure;
use crate::output::Out;

/// A day (`to`: the end of it) or an RFC 3339 instant.
fn instant(flag: &str, raw: &str, end: bool) -> CliResult<DateTime<Utc>> {
    if let Ok(day) = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
        let day = if end { day + Duration::days(1) } else { day };
        return Ok(day.and_hms_opt(0, 0, 0).expect("midnight").and_utc());
    }
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            Failure::usage(format!(
                "--{flag}: give a day (YYYY-MM-DD) or an RFC 3339 instant, not {raw:?}"
            ))
            .into()
        })
}

/// `report`: a table, JSON, or CSV.
pub(crate) async fn report(ctx: &Ctx, args: ReportArgs, out: &mut Out<'_>) -> CliResult {
    let group = match args.group {
        GroupArg::Department => ReportGroup::Department,
        GroupArg::Agent => ReportGroup::Agent,
        GroupArg::Customer => ReportGroup::Customer,
        GroupArg::Type => ReportGroup::Type,
    };
    let departments = match &args.department {
        Some(name) => Some(vec![ctx.department_id(Some(name)).await?]),
        None => None,
    };
    let query = ReportQuery {
        from: instant("from", &args.from, false)?,
        to: instant("to", &args.to, true)?,
        group,
        departments,
    };
    let report = ctx.acting.report(query).await?;
    let names = ctx.acting.report_row_names(&report).await?;
    let name = |key: &str| names.get(key).cloned().unwrap_or_else(|| key.to_owned());
    if args.csv {
        return out.raw(&report_csv(&report, &name));
    }
    if out.json {
        let rows: Vec<_> = report
            .rows
            .iter()
            .map(|row| {
                let mut value = serde_json::to_value(row).unwrap_or_default();
                value["name"] = json!(name(&row.key));
                value["reopen_rate"] = json!(row.reopen_rate());
                value["satisfaction_average"] = json!(row.satisfaction_average());
                value["billable_hours"] = json!(row.billable_hours());
                value
            })
            .collect();
        return out.json_value(&json!({
            "from": report.query.from,
            "to": report.query.to,
            "group": group.as_str(),
            "departments": report.query.departments,
            "rows": rows,
            "tags": report.tags,
        }));
    }
    out.raw(&report_table(&report, &name))
}
