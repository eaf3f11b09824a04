//! The desk's settings through the desk: only admins read and set its public URL, which the
//! desk reads back validated; and the service levels kept in the store.

use std::sync::Arc;

use super::note;
use super::sla::at;
use crate::Helpdesk;
use crate::domain::{Actor, Name, Priority, PublicUrl, SlaTarget};
use crate::error::{Error, ForbiddenReason};
use crate::policy::{CalendarSpec, ServiceLevelSettings, SlaPolicySetting};
use crate::store::{SettingKey, Store};
use crate::testkit::{Fixture, ability};

pub async fn only_admins_read_and_set_the_public_url(store: Arc<dyn Store>) {
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let (admin, ivan, ana) = (
        f.as_agent(&f.admin).await,
        f.as_agent(&f.ivan).await,
        f.as_customer(&f.ana).await,
    );
    assert_eq!(f.desk.public_url().await.unwrap(), None);
    assert_eq!(admin.settings().await.unwrap().public_url, None);

    let url = PublicUrl::parse("Desk.Example.com/help").unwrap();
    admin.set_public_url(Some(url.clone())).await.unwrap();
    assert_eq!(f.desk.public_url().await.unwrap(), Some(url.clone()));
    assert_eq!(
        admin.settings().await.unwrap().public_url,
        Some(url.clone())
    );
    let stored = store.as_settings_store().unwrap();
    assert_eq!(
        stored
            .setting(SettingKey::PublicUrl)
            .await
            .unwrap()
            .as_deref(),
        Some("https://desk.example.com/help/"),
        "stored normalised"
    );

    // Agents and customers may neither read nor change it; nothing changes.
    let other = PublicUrl::parse("http://evil.example").unwrap();
    for who in [&ivan, &ana] {
        for result in [
            who.set_public_url(Some(other.clone())).await,
            who.set_public_url(None).await,
            who.settings().await.map(|_| ()),
        ] {
            assert!(
                matches!(
                    result,
                    Err(Error::Forbidden {
                        reason: ForbiddenReason::AdminOnly
                    })
                ),
                "{result:?}"
            );
        }
    }
    assert_eq!(f.desk.public_url().await.unwrap(), Some(url));

    // The desk itself may set it (a server's start-up option does); unset, it is gone.
    f.desk
        .as_system()
        .set_public_url(Some(other.clone()))
        .await
        .unwrap();
    assert_eq!(f.desk.public_url().await.unwrap(), Some(other));
    admin.set_public_url(None).await.unwrap();
    assert_eq!(f.desk.public_url().await.unwrap(), None);
    admin.set_public_url(None).await.unwrap();

    // A stored value that is no public URL (written behind the desk's back) is a backend
    // error, not a link.
    stored
        .put_setting(SettingKey::PublicUrl, "ftp://tampered.example/")
        .await
        .unwrap();
    assert!(matches!(
        f.desk.public_url().await,
        Err(Error::Backend { .. })
    ));
}

/// Service levels stored by an admin apply in a process that was given none in code: its
/// tickets get clocks, its writes keep them, its `run_due` fires them; every change is in the
/// audit trail with who, when, before and after; only admins change them.
pub async fn stored_service_levels_apply_in_every_process_and_are_audited(store: Arc<dyn Store>) {
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    // Monday 5 January 2026, 17:00 UTC: one working hour left today.
    f.clock.set(at("2026-01-05T17:00:00Z"));
    let admin = f.as_agent(&f.admin).await;
    let office = Name::parse("office").unwrap();
    let calendar = CalendarSpec {
        zone: "UTC".into(),
        hours: vec!["mon-fri 09:00-18:00".into()],
        holidays: vec!["2026-01-06".parse().unwrap()],
        yearly_holidays: Vec::new(),
    }
    .to_calendar()
    .unwrap();
    let mut urgent = SlaPolicySetting::new(Name::parse("urgent").unwrap());
    urgent.priorities = vec![
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];
    urgent.first_response_minutes = Some(120);

    // Agents and customers change nothing.
    let ivan = f.as_agent(&f.ivan).await;
    for result in [
        ivan.put_calendar(office.clone(), calendar.clone()).await,
        ivan.put_sla_policy(urgent.clone()).await,
        f.as_customer(&f.ana).await.service_level_settings().await,
    ] {
        assert!(
            matches!(
                result,
                Err(Error::Forbidden {
                    reason: ForbiddenReason::AdminOnly
                })
            ),
            "{result:?}"
        );
    }
    assert!(f.desk.stored_service_levels().await.unwrap().is_empty());

    admin.put_calendar(office.clone(), calendar).await.unwrap();
    admin
        .set_department_calendar(f.support.id, Some(office.clone()))
        .await
        .unwrap();
    let stored = admin.put_sla_policy(urgent.clone()).await.unwrap();
    assert_eq!(stored.policies, vec![urgent.clone()]);
    // A policy naming a missing calendar is refused, and nothing changes.
    let mut broken = urgent.clone();
    broken.calendar = Some(Name::parse("nowhere").unwrap());
    assert!(matches!(
        admin.put_sla_policy(broken).await,
        Err(Error::Validation(_))
    ));
    assert!(matches!(
        admin.delete_calendar(&office).await,
        Err(Error::Validation(_))
    ));
    assert_eq!(f.desk.stored_service_levels().await.unwrap(), stored);

    // Another process, opened with no levels in code, applies the stored ones.
    let other = Helpdesk::new(store.clone()).with_clock(f.clock.clone());
    let ana = other.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    let t = ana
        .open_ticket(f.new_ticket(&f.support, "Down"))
        .await
        .unwrap();
    assert_eq!(t.timers.sla_policy.as_deref(), Some("urgent"));
    // One hour on Monday, the Tuesday holiday skipped, one hour on Wednesday.
    let due = t.timers.clock(SlaTarget::FirstResponse).unwrap().due_at;
    assert_eq!(due, Some(at("2026-01-07T10:00:00Z")));
    // A write from that process keeps the clock running.
    let ivan = other.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    ivan.execute(t.id, note("looking")).await.unwrap();
    let after = store.ticket(t.id).await.unwrap().unwrap();
    assert_eq!(
        after.timers.clock(SlaTarget::FirstResponse).unwrap().due_at,
        due
    );
    let report = other.run_due(at("2026-01-07T11:00:00Z")).await.unwrap();
    assert_eq!(report.events, 2, "warning and breach: {report:?}");

    // The audit trail: newest first, who, before and after.
    let changes = admin.setting_changes(10).await.unwrap();
    assert_eq!(changes.len(), 3);
    assert!(changes.iter().all(|c| c.key == SettingKey::ServiceLevels));
    assert!(changes.iter().all(|c| c.actor == Actor::Agent(f.admin.id)));
    assert_eq!(changes[2].before, None);
    assert_eq!(changes[0].before, changes[1].after);
    let last: ServiceLevelSettings =
        serde_json::from_str(changes[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(last, stored);
    assert!(matches!(
        ivan.setting_changes(10).await,
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        admin.setting_changes(0).await,
        Err(Error::Validation(_))
    ));
}
