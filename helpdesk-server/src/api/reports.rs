//! `GET /api/v1/reports`: a report over a date range (supervisors and admins), as JSON or
//! CSV.

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::api::openapi::answers::{NotFound, Unsupported};
use crate::api::openapi::views::Report;
use crate::error::{ApiError, ApiResult, Query};
use crate::extract::Caller;
use crate::reports::{ReportParams, csv_response, given, report_json, run};
use crate::state::AppState;

/// The report route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/reports", get(api_report))
}

/// The report as JSON, or CSV with `format=csv`.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports",
    summary = "A report over `from`..`to` per `group`, as JSON or CSV (supervisors and admins)",
    description = "`from`..`to`: days (`to` included) or RFC 3339 instants; default the last 30 days. `group`: department, agent, customer or type; optionally for one `department` (id or name); `format=csv` for CSV.",
    params(ReportParams),
    responses(
        (status = 200, description = "the report", content(
            (Report = "application/json"),
            (String = "text/csv"),
        )),
        NotFound, Unsupported))]
pub(crate) async fn api_report(
    Caller { acting, .. }: Caller,
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
    let (report, names) = run(&acting, &params).await?;
    if csv {
        Ok(csv_response(&report, &names))
    } else {
        Ok(axum::Json(report_json(&report, &names)).into_response())
    }
}
