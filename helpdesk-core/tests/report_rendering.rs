//! Reports rendered as CSV and as a text table, as snapshots.

use helpdesk_core::domain::{Percentiles, Report, ReportGroup, ReportQuery, ReportRow};
use helpdesk_core::render::{report_csv, report_table};

fn report() -> Report {
    let mut support = ReportRow::empty("a");
    support.opened = 12;
    support.closed = 9;
    support.backlog = 3;
    support.first_response = Percentiles::of(vec![600, 1200, 1800, 5400]);
    support.resolution = Percentiles::of(vec![3600, 7200, 30_000]);
    support.sla[0].met = 7;
    support.sla[0].breached = 2;
    support.reopened = 1;
    support.satisfaction_count = 4;
    support.satisfaction_sum = 17;
    support.billable_minutes = 135;
    let mut odd = ReportRow::empty("b");
    odd.opened = 1;
    Report {
        query: ReportQuery {
            from: "2026-01-01T00:00:00Z".parse().unwrap(),
            to: "2026-02-01T00:00:00Z".parse().unwrap(),
            group: ReportGroup::Department,
            departments: None,
        },
        rows: vec![support, odd],
        tags: Vec::new(),
    }
}

fn name(key: &str) -> String {
    match key {
        "a" => "Поддержка, \"L1\"".to_owned(),
        _ => "=HYPERLINK(\"http://evil\")".to_owned(),
    }
}

#[test]
fn a_report_as_csv_quotes_and_defuses_formulas() {
    insta::assert_snapshot!(report_csv(&report(), &name));
}

#[test]
fn a_report_as_a_table_aligns_its_columns() {
    insta::assert_snapshot!(report_table(&report(), &name));
}

#[test]
fn a_report_table_lists_the_tickets_per_tag_after_the_rows() {
    use helpdesk_core::domain::{Tag, TagCount};
    let mut report = report();
    report.tags = [("Întârziere plată", 3), ("VIP", 2), ("روتر", 1)]
        .into_iter()
        .map(|(tag, tickets)| TagCount {
            tag: Tag::parse(tag).unwrap(),
            tickets,
        })
        .collect();
    insta::assert_snapshot!(report_table(&report, &name));
}
