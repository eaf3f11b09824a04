//! Presence kept by heartbeats and expiring after the stored timeout, driven by the desk's
//! clock (no sleeps): routing passes an absent agent by, their availability reads offline,
//! a heartbeat brings them back, and a chat with an agent who left goes back to the queue,
//! when its customer looks and at `run_due`.

use std::sync::Arc;

use crate::clock::Clock;
use crate::domain::{Presence, PresenceTimeout};
use crate::error::Error;
use crate::service::ChatPlace;
use crate::store::{ChangedSetting, Store};
use crate::testkit::{Fixture, ability, body};

pub async fn presence_expires_without_heartbeats_and_routing_passes_the_absent_by(
    store: Arc<dyn Store>,
) {
    let Some(chats) = ability(store.as_chat_store(), "live chat") else {
        return;
    };
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    assert_eq!(
        f.desk.presence_timeout().await.unwrap(),
        PresenceTimeout::DEFAULT
    );
    admin
        .set_presence_timeout(Some(PresenceTimeout::from_seconds(30).unwrap()))
        .await
        .unwrap();
    assert_eq!(f.desk.presence_timeout().await.unwrap().seconds(), 30);
    let (ivan, boss) = (f.as_agent(&f.ivan).await, f.as_agent(&f.boss).await);
    ivan.set_presence(Presence::Online, Some(1)).await.unwrap();
    boss.set_presence(Presence::Online, Some(1)).await.unwrap();

    // 35 s later: the boss's console said it is there 15 s ago, Ivan's never did.
    f.tick(20);
    assert_eq!(boss.heartbeat().await.unwrap().presence, Presence::Online);
    f.tick(15);
    assert_eq!(
        ivan.my_availability().await.unwrap().presence,
        Presence::Offline,
        "not seen for longer than the timeout: offline"
    );
    let stored = chats.availability(f.ivan.id).await.unwrap().unwrap();
    assert_eq!(stored.presence, Presence::Online, "as chosen, in the store");
    let listed = boss.chat_availabilities().await.unwrap();
    let presence_of = |id| listed.iter().find(|a| a.agent == id).map(|a| a.presence);
    assert_eq!(presence_of(f.ivan.id), Some(Presence::Offline));
    assert_eq!(presence_of(f.boss.id), Some(Presence::Online));

    // Routing passes Ivan by: the first chat goes to the boss, the second waits.
    let (ana, acme) = (f.as_customer(&f.ana).await, f.as_customer(&f.acme).await);
    let first = ana
        .start_chat(f.support.id, body("Nu merge"))
        .await
        .unwrap();
    let second = acme.start_chat(f.support.id, body("Down")).await.unwrap();
    assert_eq!(
        ana.talk_to_person(first.chat.id).await.unwrap(),
        ChatPlace::WithAgent(f.boss.id)
    );
    assert_eq!(
        acme.talk_to_person(second.chat.id).await.unwrap(),
        ChatPlace::Queued { position: 1 },
        "Ivan has a free seat but is not there"
    );

    // Ivan's console comes back: he is online again and takes the waiting chat at once.
    assert_eq!(ivan.heartbeat().await.unwrap().presence, Presence::Online);
    assert_eq!(
        acme.chat_place(second.chat.id).await.unwrap(),
        ChatPlace::WithAgent(f.ivan.id)
    );

    // Ivan leaves without a word; 31 s later his customer is not told they talk to him:
    // the chat is back in the queue (the boss's seat is taken) and his seat is free.
    f.tick(20);
    boss.heartbeat().await.unwrap();
    f.tick(11);
    assert_eq!(
        acme.chat_place(second.chat.id).await.unwrap(),
        ChatPlace::Queued { position: 1 }
    );
    let seat = chats.availability(f.ivan.id).await.unwrap().unwrap();
    assert_eq!(seat.active_chats, 0);
    assert!(ivan.my_chats().await.unwrap().is_empty());

    // Nobody looks at the boss's chat when the boss leaves too: run_due moves it.
    f.tick(31);
    let report = f.desk.run_due(f.clock.now()).await.unwrap();
    assert_eq!(report.chats_requeued, 1);
    assert_eq!(
        ana.chat_place(first.chat.id).await.unwrap(),
        ChatPlace::Queued { position: 2 },
        "behind the chat that waited first"
    );
    assert!(boss.my_chats().await.unwrap().is_empty());
    let again = f.desk.run_due(f.clock.now()).await.unwrap();
    assert_eq!(again.chats_requeued, 0, "moved once");

    // An agent who chose offline stays offline: a heartbeat writes nothing.
    boss.set_presence(Presence::Offline, None).await.unwrap();
    let before = chats.availability(f.boss.id).await.unwrap().unwrap();
    f.tick(1);
    assert_eq!(boss.heartbeat().await.unwrap().presence, Presence::Offline);
    assert_eq!(
        chats.availability(f.boss.id).await.unwrap().unwrap(),
        before
    );
    // Customers have no presence.
    assert!(matches!(
        ana.heartbeat().await,
        Err(Error::Forbidden { .. })
    ));
}

pub async fn only_admins_set_the_presence_timeout_and_it_is_audited(store: Arc<dyn Store>) {
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let (admin, ivan) = (f.as_agent(&f.admin).await, f.as_agent(&f.ivan).await);
    let ten = PresenceTimeout::from_seconds(10).unwrap();
    assert!(matches!(
        ivan.set_presence_timeout(Some(ten)).await,
        Err(Error::Forbidden { .. })
    ));
    assert_eq!(
        f.desk.presence_timeout().await.unwrap(),
        PresenceTimeout::DEFAULT
    );
    admin.set_presence_timeout(Some(ten)).await.unwrap();
    assert_eq!(
        admin.settings().await.unwrap().presence_timeout_seconds,
        Some(ten)
    );
    admin.set_presence_timeout(None).await.unwrap();
    assert_eq!(
        f.desk.presence_timeout().await.unwrap(),
        PresenceTimeout::DEFAULT
    );
    assert_eq!(
        admin.settings().await.unwrap().presence_timeout_seconds,
        None
    );
    let changes = admin.setting_changes(10).await.unwrap();
    let ours: Vec<_> = changes
        .iter()
        .filter(|c| c.key == ChangedSetting::PresenceTimeout)
        .map(|c| (c.before.clone(), c.after.clone()))
        .collect();
    assert_eq!(
        ours,
        [(Some("10".to_owned()), None), (None, Some("10".to_owned()))],
        "newest first"
    );
}
