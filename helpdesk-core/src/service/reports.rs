//! Reports for supervisors: over a date range, per department, agent, customer or type.

use super::Acting;
use super::acting::Principal;
use crate::domain::{Report, ReportQuery, Role};
use crate::error::{Error, ForbiddenReason, Result};

/// The longest range a report covers.
pub const MAX_REPORT_DAYS: i64 = 3 * 366;

impl Acting {
    /// The report `query` asks for. Admins (and the system) see every department;
    /// supervisors only theirs (the query's departments are narrowed to them); other agents
    /// and customers may not read reports.
    pub async fn report(&self, mut query: ReportQuery) -> Result<Report> {
        if query.to <= query.from {
            return Err(Error::validation("to", "must be after from"));
        }
        if query.to - query.from > chrono::Duration::days(MAX_REPORT_DAYS) {
            return Err(Error::validation(
                "to",
                "a report covers at most three years",
            ));
        }
        match &self.principal {
            Principal::System => {}
            Principal::Agent(a) if a.role == Role::Admin => {}
            Principal::Agent(a) if a.role == Role::Supervisor => {
                let mine: Vec<_> = a.departments.keys().copied().collect();
                query.departments = Some(match query.departments.take() {
                    Some(asked) => asked.into_iter().filter(|d| mine.contains(d)).collect(),
                    None => mine,
                });
            }
            _ => return Err(Error::forbidden(ForbiddenReason::SupervisorsOnly)),
        }
        self.desk.report_store()?.report(&query).await
    }
}
