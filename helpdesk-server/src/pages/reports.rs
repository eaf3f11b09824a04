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
use super::layout::{layout, num, t, t_args};
use super::when_text;
use super::words::{number, text as arg};
use crate::error::ApiError;
use crate::extract::PageUser;
use crate::reports::{ReportParams, csv_response, given, name_of, row_names, run};
use crate::state::AppState;
use helpdesk::domain::Language;

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

fn target_label(lang: Language, target: SlaTarget) -> &'static str {
    t(
        lang,
        match target {
            SlaTarget::FirstResponse => "sla_first_response",
            SlaTarget::NextResponse => "sla_next_response",
            SlaTarget::Resolution => "sla_resolution",
        },
    )
}

/// What a report's rows are, in `lang`.
fn group_word(lang: Language, group: ReportGroup) -> &'static str {
    t(
        lang,
        match group {
            ReportGroup::Department => "department",
            ReportGroup::Agent => "agent",
            ReportGroup::Customer => "author_customer",
            ReportGroup::Type => "ticket_type",
        },
    )
}

/// A column of the report's table in `lang` (the CSV keeps the stable names).
fn column_word(lang: Language, column: &str) -> String {
    let key = match column {
        "name" => "rc_name",
        "opened" => "rc_opened",
        "closed" => "rc_closed",
        "backlog" => "rc_backlog",
        "first_response_median_min" => "rc_first_response_median_min",
        "first_response_p90_min" => "rc_first_response_p90_min",
        "resolution_median_min" => "rc_resolution_median_min",
        "resolution_p90_min" => "rc_resolution_p90_min",
        "first_response_sla_met" => "rc_first_response_sla_met",
        "first_response_sla_breached" => "rc_first_response_sla_breached",
        "next_response_sla_met" => "rc_next_response_sla_met",
        "next_response_sla_breached" => "rc_next_response_sla_breached",
        "resolution_sla_met" => "rc_resolution_sla_met",
        "resolution_sla_breached" => "rc_resolution_sla_breached",
        "reopen_rate" => "rc_reopen_rate",
        "satisfaction_average" => "rc_satisfaction_average",
        "billable_hours" => "rc_billable_hours",
        other => return other.replace('_', " "),
    };
    t(lang, key).to_owned()
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
    let lang = user.language;
    let body = html! {
        h1 { (t(lang, "reports")) }
        form #report-form method="get" action="/reports" {
            label { (t(lang, "from")) " " input type="date" name="from" value=(from); }
            label { (t(lang, "to_included")) " " input type="date" name="to" value=(to); }
            label { (t(lang, "rows")) " " select name="group" {
                @for g in ReportGroup::ALL {
                    option value=(g.as_str()) selected[g == group] { (group_word(lang, g)) }
                }
            } }
            label { (t(lang, "department")) " " select name="department" {
                option value="" { (t(lang, "all_departments")) }
                @for d in &departments {
                    option value=(d.id) selected[department == Some(d.id)] { (d.name) }
                }
            } }
            button type="submit" { (t(lang, "show")) }
        }
        @if let Some(error) = &error { p.error #report-error { (error) } }
        @if let Ok((report, names)) = &outcome {
            @let name = name_of(names);
            p {
                a #csv href={ "/reports.csv?" (query_string(&report.query)) } download { (t(lang, "download_csv")) }
                " · " span.meta { (t_args(lang, "report_span", &[
                    ("count", number(u32::try_from(report.rows.len()).unwrap_or(u32::MAX))),
                    ("from", arg(when_text(report.query.from))),
                    ("to", arg(when_text(report.query.to))),
                ])) }
            }
            h2 { (t(lang, "tickets")) }
            (grouped_bars(
                "chart-volume",
                t(lang, "chart_volume"),
                &[
                    Series { label: t(lang, "series_opened"), colour: "#1e88e5" },
                    Series { label: t(lang, "series_closed"), colour: "#43a047" },
                    Series { label: t(lang, "series_backlog"), colour: "#fb8c00" },
                ],
                &report.rows.iter().map(|r| (name(&r.key), vec![r.opened, r.closed, r.backlog])).collect::<Vec<_>>(),
            ))
            h2 { (t(lang, "service_levels")) }
            (split_bars(
                "chart-sla",
                t(lang, "chart_sla"),
                [
                    Series { label: t(lang, "series_met"), colour: "#43a047" },
                    Series { label: t(lang, "series_breached"), colour: "#e53935" },
                ],
                &SlaTarget::ALL.into_iter().map(|target| {
                    let (met, breached) = report.rows.iter()
                        .flat_map(|r| r.sla.iter().filter(|s| s.target == target))
                        .fold((0, 0), |(m, b), s| (m + s.met, b + s.breached));
                    (target_label(lang, target).to_owned(), met, breached)
                }).collect::<Vec<_>>(),
            ))
            h2 { (t(lang, "table")) }
            // Scrolled sideways on a phone, with the keyboard too (it holds nothing focusable).
            div.scroll-x tabindex="0" role="region" aria-label=(t(lang, "table")) {
                table #report {
                    tr { @for c in REPORT_COLUMNS { th data-column=(c) { (column_word(lang, c)) } } }
                    @for row in &report.rows {
                        tr data-key=(row.key) {
                            @for cell in report_cells(row, &name(&row.key)) { td { (cell) } }
                        }
                    }
                }
            }
            @if report.rows.is_empty() { p #empty { (t(lang, "no_tickets_range")) } }
            @if !report.tags.is_empty() {
                h2 { (t(user.language, "report_tags")) }
                table #report-tags {
                    tr { th { (t(user.language, "tags")) } th { (t(user.language, "report_tag_tickets")) } }
                    @for c in &report.tags {
                        tr { td { bdi { (c.tag) } } td { (num(lang, i64::try_from(c.tickets).unwrap_or(i64::MAX))) } }
                    }
                }
            }
        }
    };
    Ok((status, layout(t(lang, "reports"), Some(&user), body)).into_response())
}
