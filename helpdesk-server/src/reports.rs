//! Reports for supervisors and admins (issue 11), what the API (`GET /api/v1/reports`) and
//! the pages (`/reports`, `/reports.csv`) share: the query string, the names of the rows,
//! and the report as JSON and CSV. Agents get 403; so do customers.

use std::collections::HashMap;

use axum::response::Response;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use helpdesk::domain::{Department, DepartmentId, Report, ReportGroup, ReportQuery};
use helpdesk::render::report_csv;
use helpdesk::service::Acting;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::uploads::file_response;

/// The query string of the page, its CSV and the API. `from` and `to` are days
/// (`YYYY-MM-DD`, `to` included) or RFC 3339 instants (`to` excluded); by default the last
/// 30 days up to today. `group` is `department` (default), `agent`, `customer` or `type`;
/// `department` an id or a name.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// The start: a day (YYYY-MM-DD) or an RFC 3339 instant (default 30 days before `to`).
    pub from: Option<String>,
    /// The end: a day (included) or an RFC 3339 instant (default now).
    pub to: Option<String>,
    /// The rows: `department` (default), `agent`, `customer` or `type`.
    pub group: Option<String>,
    /// Only this department (id or name).
    pub department: Option<String>,
    /// `json` (default) or `csv` (the API only).
    pub format: Option<String>,
}

/// The value of a parameter, unless it is missing or blank.
pub fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A day or an instant; a day `to` means the end of that day.
fn instant(field: &str, raw: &str, end: bool) -> ApiResult<DateTime<Utc>> {
    if let Ok(day) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let day = if end { day + Duration::days(1) } else { day };
        return Ok(day.and_hms_opt(0, 0, 0).expect("midnight").and_utc());
    }
    DateTime::parse_from_rfc3339(raw)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            let mut e = ApiError::bad_request(format!(
                "{field}: give a day (YYYY-MM-DD) or an RFC 3339 instant, not {raw:?}"
            ));
            e.field = Some(field.to_owned());
            e
        })
}

impl ReportParams {
    /// The query these parameters ask for, the department looked up among `departments`.
    pub fn query(&self, departments: &[Department]) -> ApiResult<ReportQuery> {
        let to = match given(&self.to) {
            Some(raw) => instant("to", raw, true)?,
            None => instant("to", &Utc::now().format("%Y-%m-%d").to_string(), true)?,
        };
        let from = match given(&self.from) {
            Some(raw) => instant("from", raw, false)?,
            None => to - Duration::days(30),
        };
        let group = match given(&self.group) {
            Some(raw) => raw.parse::<ReportGroup>().map_err(|_| {
                let mut e = ApiError::bad_request(format!(
                    "group: one of department, agent, customer, type, not {raw:?}"
                ));
                e.field = Some("group".to_owned());
                e
            })?,
            None => ReportGroup::Department,
        };
        let departments = match given(&self.department) {
            Some(raw) => {
                let found = match raw.parse::<DepartmentId>() {
                    Ok(id) => departments.iter().find(|d| d.id == id),
                    Err(_) => departments
                        .iter()
                        .find(|d| d.name.as_str().eq_ignore_ascii_case(raw)),
                };
                let found =
                    found.ok_or_else(|| ApiError::not_found(format!("no department {raw:?}")))?;
                Some(vec![found.id])
            }
            None => None,
        };
        Ok(ReportQuery {
            from,
            to,
            group,
            departments,
        })
    }
}

/// The people-readable name of every row key of `report` (see
/// [`Acting::report_row_names`]).
pub async fn row_names(acting: &Acting, report: &Report) -> ApiResult<HashMap<String, String>> {
    Ok(acting.report_row_names(report).await?)
}

/// The name of a row key: its name in `names`, else the key.
pub fn name_of(names: &HashMap<String, String>) -> impl Fn(&str) -> String + '_ {
    |key| names.get(key).cloned().unwrap_or_else(|| key.to_owned())
}

/// The report `params` ask for, as `acting`, and its row names.
pub async fn run(
    acting: &Acting,
    params: &ReportParams,
) -> ApiResult<(Report, HashMap<String, String>)> {
    let departments = acting.departments().await?;
    let query = params.query(&departments)?;
    let report = acting.report(query).await?;
    let names = row_names(acting, &report).await?;
    Ok((report, names))
}

/// The report as a CSV download.
pub fn csv_response(report: &Report, names: &HashMap<String, String>) -> Response {
    let file = format!(
        "report-{}-{}-{}.csv",
        report.query.group.as_str(),
        report.query.from.format("%Y-%m-%d"),
        report.query.to.format("%Y-%m-%d")
    );
    file_response(
        "text/csv; charset=utf-8",
        &file,
        report_csv(report, &name_of(names)).into_bytes(),
    )
}

fn ratio(value: Option<f64>) -> Value {
    value.map_or(Value::Null, |v| json!((v * 1000.0).round() / 1000.0))
}

/// The report as JSON: the query, and per row its key, name, counts and derived figures.
pub fn report_json(report: &Report, names: &HashMap<String, String>) -> Value {
    let name = name_of(names);
    let rows: Vec<Value> = report
        .rows
        .iter()
        .map(|row| {
            let mut value = serde_json::to_value(row).unwrap_or(Value::Null);
            value["name"] = json!(name(&row.key));
            value["reopen_rate"] = ratio(row.reopen_rate());
            value["satisfaction_average"] = ratio(row.satisfaction_average());
            value["billable_hours"] = json!(row.billable_hours());
            value
        })
        .collect();
    json!({
        "from": report.query.from,
        "to": report.query.to,
        "group": report.query.group.as_str(),
        "departments": report.query.departments,
        "rows": rows,
        "tags": report.tags,
    })
}
