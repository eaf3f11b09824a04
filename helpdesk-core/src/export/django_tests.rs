//! The django-helpdesk mapping, on a fixture written by hand in `dumpdata`'s documented
//! shape (`django-helpdesk.json`).

use chrono::{TimeZone, Utc};

use super::{Django, Record, Restore, TicketRecord};
use crate::domain::{Actor, Change, Priority, Resolution, Role, Status, Visibility};
use crate::error::Error;

const FIXTURE: &str = include_str!("django-helpdesk.json");

fn mapped() -> Django {
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap();
    Django::map(FIXTURE, now, |path| {
        (path == "helpdesk/attachments/17/poza.txt").then(|| b"poza routerului".to_vec())
    })
    .unwrap()
}

fn ticket<'a>(d: &'a Django, number: &str) -> &'a TicketRecord {
    d.records
        .iter()
        .find_map(|r| match r {
            Record::Ticket(t) if t.ticket.number.full() == number => Some(&**t),
            _ => None,
        })
        .unwrap()
}

#[test]
fn the_mapped_fixture_passes_every_rule_of_an_import() {
    let d = mapped();
    let mut restore = Restore::new();
    for r in &d.records {
        restore.check(r).unwrap();
    }
    assert!(restore.is_done());
    let counts = restore.counts();
    assert_eq!(
        (
            counts.departments,
            counts.agents,
            counts.tickets,
            counts.attachments
        ),
        (2, 2, 3, 1)
    );
    // Ana (a user) and office@acme.example (a submitter only).
    assert_eq!(counts.customers, 2);
    assert_eq!(
        restore.sequence(),
        19,
        "the sequence passes the highest ticket id"
    );
}

#[test]
fn staff_become_agents_superusers_admins_and_the_rest_customers() {
    let d = mapped();
    let roles: Vec<_> = (d.records.iter())
        .filter_map(|r| match r {
            Record::Agent(a) => Some((a.email.as_str().to_owned(), a.role, a.departments.len())),
            _ => None,
        })
        .collect();
    assert_eq!(
        roles,
        vec![
            ("elena@example.com".to_owned(), Role::Admin, 2),
            ("ivan@example.com".to_owned(), Role::Agent, 2)
        ]
    );
    assert!(d.skipped.iter().any(|s| s.contains("ghost")));
    assert!(d.skipped.iter().any(|s| s.contains("helpdesk.kbitem")));
}

#[test]
fn tickets_keep_their_ids_as_numbers_with_thread_history_and_time() {
    let d = mapped();
    let t = ticket(&d, "17");
    assert_eq!(t.ticket.number.short(), "17");
    assert_eq!(t.ticket.status, Status::Closed(Resolution::Solved));
    assert_eq!(t.ticket.priority, Priority::High);
    assert!(t.ticket.assignee.is_some());
    let bodies: Vec<_> = (t.messages.iter())
        .map(|m| (m.body.as_str(), m.visibility))
        .collect();
    assert_eq!(
        bodies,
        vec![
            ("Ledul clipește roșu.", Visibility::Public),
            ("Verificăm linia.", Visibility::Public),
            ("Sectorul 3 are o pană.", Visibility::Internal),
            ("Am atașat poza.", Visibility::Public),
            ("Due on: — → 2023-03-03", Visibility::Internal),
            ("Am înlocuit routerul.", Visibility::Public),
        ]
    );
    assert_eq!(
        t.messages[3].attachments.len(),
        1,
        "the missing file is left out"
    );
    assert!(d.skipped.iter().any(|s| s.contains("missing.png")));
    assert!(matches!(t.messages[3].author, Actor::Customer(_)));
    assert_eq!(
        t.ticket.first_response_at,
        Some(Utc.with_ymd_and_hms(2023, 3, 1, 10, 30, 0).unwrap())
    );
    let changes: Vec<_> = (t.history.iter())
        .filter(|e| {
            matches!(
                e.change,
                Change::PriorityChanged { .. } | Change::StatusChanged { .. }
            )
        })
        .map(|e| e.change.clone())
        .collect();
    assert_eq!(
        changes,
        vec![
            Change::PriorityChanged {
                from: Priority::Normal,
                to: Priority::High
            },
            Change::StatusChanged {
                from: Status::Open,
                to: Status::Closed(Resolution::Solved)
            },
        ]
    );
    // 25 minutes, then a day and an hour split into entries of at most a day.
    let minutes: Vec<u32> = t.time_entries.iter().map(|e| e.minutes.into()).collect();
    assert_eq!(minutes, vec![25, 1_440, 60]);
    assert_eq!(t.cc.len(), 1);
}

#[test]
fn a_merged_ticket_points_at_its_target_and_on_hold_is_kept() {
    let d = mapped();
    let target = ticket(&d, "17").ticket.id;
    let merged = ticket(&d, "19");
    assert_eq!(merged.ticket.merged_into, Some(target));
    assert_eq!(merged.ticket.status, Status::Closed(Resolution::Merged));
    let billing = ticket(&d, "18");
    assert_eq!(billing.ticket.status, Status::OnHold);
    assert_eq!(billing.cc[0].as_str(), "contabil@acme.example");
}

#[test]
fn what_is_not_a_fixture_or_names_a_missing_queue_is_refused() {
    let now = Utc::now();
    let field = |json: &str| match Django::map(json, now, |_| None) {
        Err(Error::Validation(v)) => v.field().to_owned(),
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(field("{\"model\": 1}"), "fixture");
    assert_eq!(
        field(r#"[{"model": "helpdesk.ticket", "pk": 1, "fields": {"queue": 9, "title": "x"}}]"#),
        "department"
    );
    assert_eq!(
        field(
            r#"[{"model": "helpdesk.queue", "pk": 1, "fields": {"title": "Q"}},
                  {"model": "helpdesk.ticket", "pk": "abc", "fields": {"queue": 1}}]"#
        ),
        "number"
    );
}
