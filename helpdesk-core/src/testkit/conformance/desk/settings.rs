//! The desk's settings through the desk: only admins read and set its public URL, which the
//! desk reads back validated.

use std::sync::Arc;

use crate::domain::PublicUrl;
use crate::error::{Error, ForbiddenReason};
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
