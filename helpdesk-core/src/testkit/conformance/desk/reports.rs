//! Reports of a week of work done through the desk: the store's aggregates give the
//! reference report for every grouping and range, as counted by hand, and only supervisors
//! and admins read them, of their departments.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::reply;
use crate::domain::{
    Minutes, Priority, Rating, ReportGroup, ReportQuery, ShortNote, SlaTarget, Ticket, TicketType,
};
use crate::error::{Error, ForbiddenReason};
use crate::machine::Command;
use crate::store::{Store, reference_report};
use crate::testkit::{Fixture, ability, body};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("an RFC 3339 instant")
}

/// A week of work in support and billing: answered, resolved, confirmed, reopened, rated,
/// breached and billed tickets, spread over the days.
async fn a_week_of_work(f: &Fixture) -> Vec<Ticket> {
    let (ivan, admin) = (f.as_agent(&f.ivan).await, f.as_agent(&f.admin).await);
    let customers = [&f.ana, &f.acme, &f.reza];
    let mut tickets = Vec::new();
    for i in 0..18i64 {
        // Monday 5 January 2026, 08:00 UTC, then every seven hours.
        f.clock
            .set(at("2026-01-05T08:00:00Z") + Duration::hours(7 * i));
        let customer = customers[i as usize % 3];
        let department = if i % 3 == 1 { &f.billing } else { &f.support };
        let mut new = f.new_ticket(department, &format!("Case {i}"));
        new.customer = Some(customer.id);
        if i % 4 == 0 {
            new.ticket_type = TicketType::Question;
        }
        if i % 5 == 0 && customer.id == f.acme.id {
            new.priority = Some(Priority::Urgent);
        }
        let t = admin.open_ticket(new).await.unwrap();
        tickets.push(t.clone());
        let agent = if department.id == f.billing.id {
            &admin
        } else {
            &ivan
        };
        if i % 6 == 5 {
            continue; // never answered
        }
        if i % 2 == 0 {
            let who = agent.principal().agent().map(|a| a.id);
            admin
                .execute(t.id, Command::Assign { agent: who })
                .await
                .unwrap();
        }
        f.tick(60 * (20 + 37 * i));
        agent.execute(t.id, reply("Looking into it")).await.unwrap();
        if i % 3 == 0 {
            let log = Command::LogTime {
                minutes: Minutes::new(15 + i as u32).unwrap(),
                billable: i % 2 == 0,
                note: ShortNote::parse("diagnosis").unwrap(),
                note_visible_to_customer: i % 3 == 0,
            };
            agent.execute(t.id, log).await.unwrap();
        }
        if i % 6 == 4 {
            continue; // answered, still open
        }
        f.tick(3600 * (1 + i % 5));
        let resolve = Command::Resolve {
            body: Some(body("Fixed")),
        };
        agent.execute(t.id, resolve).await.unwrap();
        let customer = f.as_customer(customer).await;
        match i % 6 {
            0 | 3 => {
                f.tick(600);
                customer
                    .execute(t.id, Command::ConfirmResolution)
                    .await
                    .unwrap();
                let rate = Command::RateSatisfaction {
                    score: Rating::new(1 + (i % 5) as u8).unwrap(),
                    comment: None,
                };
                customer.execute(t.id, rate).await.unwrap();
            }
            1 => {
                // Not fixed after all: the customer's reply reopens it.
                f.tick(900);
                customer.execute(t.id, reply("Still broken")).await.unwrap();
            }
            _ => {}
        }
    }
    f.clock.set(at("2026-01-12T12:00:00Z"));
    f.desk.run_due(at("2026-01-12T12:00:00Z")).await.unwrap();
    tickets
}

async fn reference(
    store: &dyn Store,
    tickets: &[Ticket],
    query: &ReportQuery,
) -> crate::domain::Report {
    let mut now = Vec::new();
    let mut entries = Vec::new();
    for t in tickets {
        now.push(store.ticket(t.id).await.unwrap().unwrap());
        entries.extend(store.time_entries(t.id).await.unwrap());
    }
    reference_report(&now, &entries, query)
}

pub async fn reports_of_a_week_of_work_match_the_reference(store: Arc<dyn Store>) {
    let Some(reports) = ability(store.as_report_store(), "reports") else {
        return;
    };
    let f = Fixture::with_service_levels(store.clone()).await;
    let tickets = a_week_of_work(&f).await;
    let ranges = [
        (at("2026-01-01T00:00:00Z"), at("2026-02-01T00:00:00Z")),
        (at("2026-01-06T00:00:00Z"), at("2026-01-08T00:00:00Z")),
        (at("2026-01-05T08:00:00Z"), at("2026-01-05T08:00:01Z")),
        (at("2025-01-01T00:00:00Z"), at("2025-02-01T00:00:00Z")),
    ];
    let filters = [None, Some(vec![f.billing.id]), Some(vec![])];
    for (from, to) in ranges {
        for group in ReportGroup::ALL {
            for departments in filters.clone() {
                let query = ReportQuery {
                    from,
                    to,
                    group,
                    departments,
                };
                let got = reports.report(&query).await.unwrap();
                let want = reference(store.as_ref(), &tickets, &query).await;
                assert_eq!(got, want, "{query:?}");
            }
        }
    }

    // The whole month, by department, checked by hand against the week above.
    let month = ReportQuery {
        from: ranges[0].0,
        to: ranges[0].1,
        group: ReportGroup::Department,
        departments: None,
    };
    let report = reports.report(&month).await.unwrap();
    let support = report
        .rows
        .iter()
        .find(|r| r.key == f.support.id.to_string())
        .unwrap();
    let billing = report
        .rows
        .iter()
        .find(|r| r.key == f.billing.id.to_string())
        .unwrap();
    assert_eq!((support.opened, billing.opened), (12, 6));
    assert_eq!(support.opened + billing.opened, tickets.len() as u64);
    assert_eq!(
        support.first_response.count + billing.first_response.count,
        15
    );
    assert!(support.first_response.median_secs <= support.first_response.p90_secs);
    assert_eq!(
        billing.reopened, 3,
        "every i % 6 == 1 ticket is in billing and reopened"
    );
    assert!(billing.closed <= billing.opened);
    let rated: u64 = report.rows.iter().map(|r| r.satisfaction_count).sum();
    assert_eq!(rated, 6);
    let billable: u64 = report.rows.iter().map(|r| r.billable_minutes).sum();
    assert_eq!(billable, (15) + (15 + 6) + (15 + 12), "i = 0, 6, 12");
    let breached: u64 = report
        .rows
        .iter()
        .flat_map(|r| &r.sla)
        .filter(|s| s.target == SlaTarget::FirstResponse)
        .map(|s| s.breached)
        .sum();
    let met: u64 = report
        .rows
        .iter()
        .flat_map(|r| &r.sla)
        .filter(|s| s.target == SlaTarget::FirstResponse)
        .map(|s| s.met)
        .sum();
    assert!(breached > 0 && met > 0, "met {met}, breached {breached}");
}

pub async fn only_supervisors_and_admins_read_reports_of_their_departments(store: Arc<dyn Store>) {
    if ability(store.as_report_store(), "reports").is_none() {
        return;
    }
    let f = Fixture::with_service_levels(store).await;
    let tickets = a_week_of_work(&f).await;
    assert_eq!(tickets.len(), 18);
    let query = ReportQuery {
        from: at("2026-01-01T00:00:00Z"),
        to: at("2026-02-01T00:00:00Z"),
        group: ReportGroup::Department,
        departments: None,
    };
    let (admin, boss) = (f.as_agent(&f.admin).await, f.as_agent(&f.boss).await);
    let all = admin.report(query.clone()).await.unwrap();
    assert_eq!(all.rows.len(), 2);
    let theirs = boss.report(query.clone()).await.unwrap();
    assert_eq!(
        theirs
            .rows
            .iter()
            .map(|r| r.key.clone())
            .collect::<Vec<_>>(),
        [f.support.id.to_string()],
        "a supervisor sees their departments only"
    );
    let asked_billing = ReportQuery {
        departments: Some(vec![f.billing.id]),
        ..query.clone()
    };
    assert!(boss.report(asked_billing).await.unwrap().rows.is_empty());
    for who in [f.as_agent(&f.ivan).await, f.as_customer(&f.ana).await] {
        let err = who.report(query.clone()).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Forbidden {
                    reason: ForbiddenReason::SupervisorsOnly
                }
            ),
            "{err:?}"
        );
    }
    let backwards = ReportQuery {
        from: query.to,
        to: query.from,
        ..query
    };
    assert!(matches!(
        admin.report(backwards).await,
        Err(Error::Validation(_))
    ));
}
