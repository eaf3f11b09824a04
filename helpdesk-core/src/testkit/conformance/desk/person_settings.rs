//! People's own settings (issue 21): each person keeps a time zone, staff their page
//! language (a customer's goes to their profile), each their own; nothing chosen is none;
//! an erasure forgets the customer's.

use std::sync::Arc;

use crate::domain::{Actor, AgentId, CustomerId, Language, PersonSettings, TimeZone};
use crate::error::{Entity, Error};
use crate::store::{ErasureMode, Store, StoreExt};
use crate::testkit::{Fixture, ability};

fn zone(name: &str) -> TimeZone {
    TimeZone::parse(name).unwrap()
}

pub async fn people_keep_their_own_time_zone_and_staff_their_page_language(store: Arc<dyn Store>) {
    let Some(settings) = ability(store.as_person_settings_store(), "person settings") else {
        return;
    };
    let f = Fixture::new(store.clone()).await;
    let ivan = f.as_agent(&f.ivan).await;
    assert_eq!(
        ivan.own_settings().await.unwrap(),
        PersonSettings::default()
    );

    let tehran = ivan
        .change_own_settings(Some(zone("Asia/Tehran")), Some(Language::Persian))
        .await
        .unwrap();
    assert_eq!(tehran.time_zone, Some(zone("Asia/Tehran")));
    assert_eq!(tehran.language, Some(Language::Persian));
    assert_eq!(ivan.own_settings().await.unwrap(), tehran);
    let kept = ivan.change_own_settings(None, None).await.unwrap();
    assert_eq!(kept, tehran, "what is not given stays");
    let moved = ivan
        .change_own_settings(Some(zone("Europe/Moscow")), None)
        .await
        .unwrap();
    assert_eq!(moved.language, Some(Language::Persian));
    assert_eq!(moved.time_zone, Some(zone("Europe/Moscow")));

    // A customer's language is their profile's; their zone their own; others' untouched.
    let ana = f.as_customer(&f.ana).await;
    let hers = ana
        .change_own_settings(Some(zone("Europe/Bucharest")), Some(Language::Romanian))
        .await
        .unwrap();
    assert_eq!(hers.language, Some(Language::Romanian));
    let profile = store.require_customer(f.ana.id).await.unwrap();
    assert_eq!(profile.language, Some(Language::Romanian));
    let ana = f.as_customer(&profile).await;
    assert_eq!(ana.own_settings().await.unwrap(), hers);
    assert_eq!(
        settings
            .person_settings(Actor::Customer(f.ana.id))
            .await
            .unwrap()
            .time_zone,
        Some(zone("Europe/Bucharest"))
    );
    assert_eq!(ivan.own_settings().await.unwrap(), moved);
    assert_eq!(
        f.as_agent(&f.boss).await.own_settings().await.unwrap(),
        PersonSettings::default()
    );

    // Nobody missing from the directory, and not the system, gets a row.
    let any = PersonSettings {
        time_zone: Some(TimeZone::UTC),
        language: None,
    };
    for (person, entity) in [
        (Actor::Agent(AgentId::new()), Some(Entity::Agent)),
        (Actor::Customer(CustomerId::new()), Some(Entity::Customer)),
        (Actor::System, None),
    ] {
        let refused = settings.set_person_settings(person, &any).await;
        match entity {
            Some(e) => assert!(
                matches!(&refused, Err(Error::NotFound { entity, .. }) if *entity == e),
                "{refused:?}"
            ),
            None => assert!(matches!(refused, Err(Error::Validation(_))), "{refused:?}"),
        }
    }
    let system = f.desk.acting_as(Actor::System).await.unwrap();
    assert!(matches!(
        system.change_own_settings(Some(TimeZone::UTC), None).await,
        Err(Error::Forbidden { .. })
    ));

    // Erasing the customer forgets their settings.
    if store.as_erasure_store().is_some() {
        let admin = f.as_agent(&f.admin).await;
        admin
            .erase_customer(f.ana.id, ErasureMode::Anonymise)
            .await
            .unwrap();
        assert_eq!(
            settings
                .person_settings(Actor::Customer(f.ana.id))
                .await
                .unwrap()
                .time_zone,
            None
        );
    }
}
