//! A [`Report`] for people: CSV for spreadsheets, and an aligned text table for terminals.

use std::fmt::Write as _;

use crate::domain::{Report, ReportRow};

/// The columns, in order.
pub const REPORT_COLUMNS: [&str; 17] = [
    "name",
    "opened",
    "closed",
    "backlog",
    "first_response_median_min",
    "first_response_p90_min",
    "resolution_median_min",
    "resolution_p90_min",
    "first_response_sla_met",
    "first_response_sla_breached",
    "next_response_sla_met",
    "next_response_sla_breached",
    "resolution_sla_met",
    "resolution_sla_breached",
    "reopen_rate",
    "satisfaction_average",
    "billable_hours",
];

fn minutes(secs: Option<i64>) -> String {
    secs.map_or_else(String::new, |s| format!("{:.1}", s as f64 / 60.0))
}

fn ratio(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| format!("{v:.2}"))
}

/// A row's cells, in [`REPORT_COLUMNS`] order, with `name` for its key.
pub fn report_cells(row: &ReportRow, name: &str) -> Vec<String> {
    let mut cells = vec![
        name.to_owned(),
        row.opened.to_string(),
        row.closed.to_string(),
        row.backlog.to_string(),
        minutes(row.first_response.median_secs),
        minutes(row.first_response.p90_secs),
        minutes(row.resolution.median_secs),
        minutes(row.resolution.p90_secs),
    ];
    for share in &row.sla {
        cells.push(share.met.to_string());
        cells.push(share.breached.to_string());
    }
    cells.push(ratio(row.reopen_rate()));
    cells.push(ratio(row.satisfaction_average()));
    cells.push(format!("{:.2}", row.billable_hours()));
    cells
}

/// The report as CSV (RFC 4180, by the `csv` crate: a header line, quotes where needed, CRLF
/// line ends). `name` turns a row key into what people read (a department's name for its
/// id); a name a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) gets a `'` first.
///
/// ```
/// use helpdesk_core::domain::{Report, ReportGroup, ReportQuery, ReportRow};
/// use helpdesk_core::render::report_csv;
/// let mut row = ReportRow::empty("x");
/// row.opened = 2;
/// let report = Report {
///     query: ReportQuery {
///         from: "2026-01-01T00:00:00Z".parse().unwrap(),
///         to: "2026-02-01T00:00:00Z".parse().unwrap(),
///         group: ReportGroup::Department,
///         departments: None,
///     },
///     rows: vec![row],
///     tags: Vec::new(),
/// };
/// let csv = report_csv(&report, &|_| "Support, \"L1\"".to_owned());
/// assert!(csv.starts_with("name,opened,"));
/// assert!(csv.contains("\r\n\"Support, \"\"L1\"\"\",2,0,0,"));
/// ```
pub fn report_csv(report: &Report, name: &dyn Fn(&str) -> String) -> String {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let rows = std::iter::once(REPORT_COLUMNS.map(String::from).to_vec()).chain(
        report
            .rows
            .iter()
            .map(|row| report_cells(row, &formula_safe(&name(&row.key)))),
    );
    for cells in rows {
        out.write_record(&cells)
            .expect("writing CSV into memory cannot fail");
    }
    String::from_utf8(out.into_inner().expect("an in-memory writer flushes"))
        .expect("CSV of strings is UTF-8")
}

/// A name a spreadsheet will not run as a formula.
fn formula_safe(name: &str) -> String {
    if name.starts_with(['=', '+', '-', '@']) {
        format!("'{name}")
    } else {
        name.to_owned()
    }
}

/// The report as an aligned text table (the columns that matter most at a terminal).
pub fn report_table(report: &Report, name: &dyn Fn(&str) -> String) -> String {
    let header = [
        "name",
        "opened",
        "closed",
        "backlog",
        "1st resp. med/p90 min",
        "resol. med/p90 min",
        "SLA met/breached",
        "reopen",
        "CSAT",
        "billable h",
    ];
    let mut rows: Vec<Vec<String>> = vec![header.map(String::from).to_vec()];
    for row in &report.rows {
        let (met, breached) = row
            .sla
            .iter()
            .fold((0, 0), |(m, b), s| (m + s.met, b + s.breached));
        rows.push(vec![
            name(&row.key),
            row.opened.to_string(),
            row.closed.to_string(),
            row.backlog.to_string(),
            format!(
                "{}/{}",
                minutes(row.first_response.median_secs),
                minutes(row.first_response.p90_secs)
            ),
            format!(
                "{}/{}",
                minutes(row.resolution.median_secs),
                minutes(row.resolution.p90_secs)
            ),
            format!("{met}/{breached}"),
            ratio(row.reopen_rate()),
            ratio(row.satisfaction_average()),
            format!("{:.2}", row.billable_hours()),
        ]);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    out.push_str(&tag_table(report));
    out
}

/// The tickets per tag of `report` as text lines after a blank line, or nothing when no
/// ticket of the report carries a tag.
fn tag_table(report: &Report) -> String {
    let mut out = String::new();
    if report.tags.is_empty() {
        return out;
    }
    let width = (report.tags.iter())
        .map(|t| t.tag.as_str().chars().count())
        .max()
        .unwrap_or(0)
        .max(3);
    let _ = writeln!(out, "\ntag{}  tickets", " ".repeat(width - 3));
    for t in &report.tags {
        let pad = " ".repeat(width - t.tag.as_str().chars().count());
        let _ = writeln!(out, "{}{pad}  {}", t.tag, t.tickets);
    }
    out
}
