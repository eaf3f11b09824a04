//! Reports for supervisors: over a date range, per department, agent, customer or type.

use std::collections::HashMap;

use super::Acting;
use super::acting::Principal;
use crate::domain::{Report, ReportGroup, ReportQuery, Role};
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
        let mut report = self.desk.report_store()?.report(&query).await?;
        // Tickets per tag, where the store counts tags.
        if let Some(tags) = self.desk.store.as_tag_store()
            && !query.departments.as_ref().is_some_and(Vec::is_empty)
        {
            let scope = crate::store::TagScope {
                prefix: String::new(),
                departments: query.departments.clone(),
                created: crate::listing::TimeRange {
                    from: Some(query.from),
                    to: Some(query.to),
                },
            };
            report.tags = tags.tag_counts(&scope, super::MAX_TAG_COUNTS).await?;
        }
        Ok(report)
    }

    /// The name people read for each row key of `report` (which this actor read, so is
    /// staff): departments', agents' and customers' names, `(unassigned)`, `(no customer)`
    /// and `(no type)` for the `none` rows; a type's key is its name already and is left out.
    pub async fn report_row_names(&self, report: &Report) -> Result<HashMap<String, String>> {
        let mut names = HashMap::new();
        let none = |names: &mut HashMap<String, String>, name: &str| {
            names.insert("none".to_owned(), name.to_owned());
        };
        match report.query.group {
            ReportGroup::Department => {
                for d in self.departments().await? {
                    names.insert(d.id.to_string(), d.name.to_string());
                }
            }
            ReportGroup::Agent => {
                none(&mut names, "(unassigned)");
                for a in self.agents().await? {
                    names.insert(a.id.to_string(), a.name.to_string());
                }
            }
            ReportGroup::Customer => {
                none(&mut names, "(no customer)");
                for row in &report.rows {
                    if let Ok(id) = row.key.parse() {
                        names.insert(row.key.clone(), self.customer(id).await?.name.to_string());
                    }
                }
            }
            ReportGroup::Type => none(&mut names, "(no type)"),
        }
        Ok(names)
    }
}
