//! Reports for supervisors and admins (issue 11): the `/reports` page with a table and
//! server-rendered SVG charts, its CSV download (`/reports.csv`), and the JSON API
//! `GET /api/v1/reports` (`format=csv` for CSV). Agents get 403; so do customers.

use std::collections::HashMap;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use helpdesk::Helpdesk;
use helpdesk::domain::{
    Actor, Department, DepartmentId, Report, ReportGroup, ReportQuery, SlaTarget,
};
use helpdesk::render::{REPORT_COLUMNS, report_cells, report_csv};
use maud::html;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::api::file_response;
use super::auth::{Authed, PageUser};
use super::charts::{Series, grouped_bars, split_bars};
use super::error::{ApiError, ApiResult, Query};
use super::pages::{PageError, layout};

/// The report routes: the page, its CSV, and the API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports", get(page))
        .route("/reports.csv", get(csv_download))
        .route("/api/v1/reports", get(api_report))
}

/// The query string of the page, its CSV and the API. `from` and `to` are days
/// (`YYYY-MM-DD`, `to` included) or RFC 3339 instants (`to` excluded); by default the last
/// 30 days up to today. `group` is `department` (default), `agent`, `customer` or `type`;
/// `department` an id or a name.
#[derive(Debug, Default, Deserialize)]
pub struct ReportParams {
    /// The start.
    pub from: Option<String>,
    /// The end.
    pub to: Option<String>,
    /// The rows.
    pub group: Option<String>,
    /// Only this department.
    pub department: Option<String>,
    /// `json` (default) or `csv` (the API only).
    pub format: Option<String>,
}

fn given(value: &Option<String>) -> Option<&str> {
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
            Some(raw) => ReportGroup::parse(raw).ok_or_else(|| {
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

/// The people-readable name of every row key of `report`: department, agent and customer
/// names, type names as they are.
pub async fn row_names(desk: &Helpdesk, report: &Report) -> HashMap<String, String> {
    let mut names = HashMap::new();
    let sys = Actor::System;
    match report.query.group {
        ReportGroup::Department => {
            for d in desk.departments(sys).await.unwrap_or_default() {
                names.insert(d.id.to_string(), d.name.to_string());
            }
        }
        ReportGroup::Agent => {
            names.insert("none".to_owned(), "(unassigned)".to_owned());
            for a in desk.agents(sys).await.unwrap_or_default() {
                names.insert(a.id.to_string(), a.name.to_string());
            }
        }
        ReportGroup::Customer => {
            names.insert("none".to_owned(), "(no customer)".to_owned());
            for row in &report.rows {
                if let Ok(id) = row.key.parse()
                    && let Ok(c) = desk.customer(sys, id).await
                {
                    names.insert(row.key.clone(), c.name.to_string());
                }
            }
        }
        ReportGroup::Type => {
            names.insert("none".to_owned(), "(no type)".to_owned());
        }
    }
    names
}

fn name_of(names: &HashMap<String, String>) -> impl Fn(&str) -> String + '_ {
    |key| names.get(key).cloned().unwrap_or_else(|| key.to_owned())
}

/// A report and its row names, for `actor`.
async fn run(
    desk: &Helpdesk,
    actor: Actor,
    params: &ReportParams,
) -> ApiResult<(Report, HashMap<String, String>)> {
    let departments = desk.departments(actor).await?;
    let query = params.query(&departments)?;
    let report = desk.report(actor, query).await?;
    let names = row_names(desk, &report).await;
    Ok((report, names))
}

fn csv_response(report: &Report, names: &HashMap<String, String>) -> Response {
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
    })
}

/// `GET /api/v1/reports`: the report as JSON, or CSV with `format=csv`.
async fn api_report(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Query(params): Query<ReportParams>,
) -> ApiResult<Response> {
    let csv = match given(&params.format) {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "format: json or csv, not {other:?}"
            )));
        }
    };
    let (report, names) = run(&state.desk, actor, &params).await?;
    if csv {
        Ok(csv_response(&report, &names))
    } else {
        Ok(axum::Json(report_json(&report, &names)).into_response())
    }
}

/// `GET /reports.csv`: the page's report as a CSV download.
async fn csv_download(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Query(params): axum::extract::Query<ReportParams>,
) -> Result<Response, PageError> {
    let (report, names) = run(&state.desk, user.actor, &params).await?;
    Ok(csv_response(&report, &names))
}

/// The query string that asks for `query` again (days, `to` included).
fn query_string(query: &ReportQuery) -> String {
    let mut qs = format!(
        "from={}&to={}&group={}",
        query.from.format("%Y-%m-%d"),
        (query.to - Duration::days(1)).format("%Y-%m-%d"),
        query.group.as_str()
    );
    if let Some([d]) = query.departments.as_deref() {
        qs.push_str(&format!("&department={d}"));
    }
    qs
}

fn target_label(target: SlaTarget) -> &'static str {
    match target {
        SlaTarget::FirstResponse => "First response",
        SlaTarget::NextResponse => "Next response",
        SlaTarget::Resolution => "Resolution",
    }
}

/// `GET /reports`: the form, the table, the charts and the CSV link.
async fn page(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Query(params): axum::extract::Query<ReportParams>,
) -> Result<Response, PageError> {
    let desk = &state.desk;
    let departments = desk.departments(user.actor).await?;
    // Agents and customers: 403 before anything else is shown.
    let probe = ReportQuery {
        from: Utc::now() - Duration::days(1),
        to: Utc::now(),
        group: ReportGroup::Department,
        departments: Some(Vec::new()),
    };
    desk.report(user.actor, probe).await?;
    let outcome = async {
        let query = params.query(&departments)?;
        let report = desk.report(user.actor, query).await?;
        let names = row_names(desk, &report).await;
        Ok::<_, ApiError>((report, names))
    }
    .await;
    let value = |v: &Option<String>| given(v).unwrap_or_default().to_owned();
    let (error, status) = match &outcome {
        Err(e) => (Some(e.message.clone()), e.status),
        Ok(_) => (None, StatusCode::OK),
    };
    let shown = outcome.as_ref().ok().map(|(r, _)| &r.query);
    let from = shown.map_or_else(
        || value(&params.from),
        |q| q.from.format("%Y-%m-%d").to_string(),
    );
    let to = shown.map_or_else(
        || value(&params.to),
        |q| (q.to - Duration::days(1)).format("%Y-%m-%d").to_string(),
    );
    let group = shown.map_or(ReportGroup::Department, |q| q.group);
    let department = shown
        .and_then(|q| q.departments.as_deref())
        .and_then(|d| d.first().copied());
    let body = html! {
        h1 { "Reports" }
        form #report-form method="get" action="/reports" {
            label { "From " input type="date" name="from" value=(from); }
            label { "To (included) " input type="date" name="to" value=(to); }
            label { "Rows " select name="group" {
                @for g in ReportGroup::ALL {
                    option value=(g.as_str()) selected[g == group] { (g.as_str()) }
                }
            } }
            label { "Department " select name="department" {
                option value="" { "All departments" }
                @for d in &departments {
                    option value=(d.id) selected[department == Some(d.id)] { (d.name) }
                }
            } }
            button type="submit" { "Show" }
        }
        @if let Some(error) = &error { p.error #report-error { (error) } }
        @if let Ok((report, names)) = &outcome {
            @let name = name_of(names);
            p {
                a #csv href={ "/reports.csv?" (query_string(&report.query)) } download { "Download CSV" }
                " · " span.meta { (report.rows.len()) " rows · " (report.query.from.format("%Y-%m-%d %H:%M")) " – " (report.query.to.format("%Y-%m-%d %H:%M")) " UTC (times in minutes of business time)" }
            }
            h2 { "Tickets" }
            (grouped_bars(
                "chart-volume",
                "Opened, closed and backlog per row",
                &[
                    Series { label: "opened", colour: "#1e88e5" },
                    Series { label: "closed", colour: "#43a047" },
                    Series { label: "backlog", colour: "#fb8c00" },
                ],
                &report.rows.iter().map(|r| (name(&r.key), vec![r.opened, r.closed, r.backlog])).collect::<Vec<_>>(),
            ))
            h2 { "Service levels" }
            (split_bars(
                "chart-sla",
                "Service-level targets met and breached",
                [
                    Series { label: "met", colour: "#43a047" },
                    Series { label: "breached", colour: "#e53935" },
                ],
                &SlaTarget::ALL.into_iter().map(|target| {
                    let (met, breached) = report.rows.iter()
                        .flat_map(|r| r.sla.iter().filter(|s| s.target == target))
                        .fold((0, 0), |(m, b), s| (m + s.met, b + s.breached));
                    (target_label(target).to_owned(), met, breached)
                }).collect::<Vec<_>>(),
            ))
            h2 { "Table" }
            div style="overflow-x:auto" {
                table #report {
                    tr { @for c in REPORT_COLUMNS { th { (c.replace('_', " ")) } } }
                    @for row in &report.rows {
                        tr data-key=(row.key) {
                            @for cell in report_cells(row, &name(&row.key)) { td { (cell) } }
                        }
                    }
                }
            }
            @if report.rows.is_empty() { p #empty { "No tickets in this range." } }
        }
    };
    Ok((status, layout("Reports", Some(&user), body)).into_response())
}
