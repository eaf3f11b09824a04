//! The reports page for supervisors and admins (issue 11): a table and server-rendered SVG
//! charts (`/reports`), and its CSV download (`/reports.csv`).

use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{Duration, Utc};
use helpdesk::domain::{ReportGroup, ReportQuery, SlaTarget};
use helpdesk::render::{REPORT_COLUMNS, report_cells};
use maud::html;

use super::PageResult;
use super::charts::{Series, grouped_bars, split_bars};
use super::layout::{layout, t};
use crate::error::ApiError;
use crate::extract::PageUser;
use crate::reports::{ReportParams, csv_response, given, name_of, row_names, run};
use crate::state::AppState;

/// The report page and its CSV.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports", get(page))
        .route("/reports.csv", get(csv_download))
}

/// `GET /reports.csv`: the page's report as a CSV download.
async fn csv_download(user: PageUser, Query(params): Query<ReportParams>) -> PageResult {
    let (report, names) = run(&user.acting, &params).await?;
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
async fn page(user: PageUser, Query(params): Query<ReportParams>) -> PageResult {
    let acting = &user.acting;
    let departments = acting.departments().await?;
    // Agents and customers: 403 before anything else is shown.
    let probe = ReportQuery {
        from: Utc::now() - Duration::days(1),
        to: Utc::now(),
        group: ReportGroup::Department,
        departments: Some(Vec::new()),
    };
    acting.report(probe).await?;
    let outcome = async {
        let query = params.query(&departments)?;
        let report = acting.report(query).await?;
        let names = row_names(acting, &report).await?;
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
            div.scroll-x {
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
            @if !report.tags.is_empty() {
                h2 { (t(user.language, "report_tags")) }
                table #report-tags {
                    tr { th { (t(user.language, "tags")) } th { (t(user.language, "report_tag_tickets")) } }
                    @for c in &report.tags {
                        tr { td { (c.tag) } td { (c.tickets) } }
                    }
                }
            }
        }
    };
    Ok((status, layout("Reports", Some(&user), body)).into_response())
}
