//! IMAP mailboxes stored for departments ([`MailboxStore`](crate::store::MailboxStore)):
//! settings and passwords read back exactly, oldest first; a replacement keeps the last
//! round; every change is in the settings' audit trail with it; deleted once.

use std::sync::Arc;

use chrono::{TimeZone, Utc};

use crate::domain::{Actor, AgentId, DepartmentId, MailboxId};
use crate::store::{
    ChangedSetting, MailboxAfter, MailboxRound, MailboxSecurity, MailboxSettings, SettingChange,
    SettingKey, Store,
};
use crate::testkit::ability;

fn settings(n: u16) -> MailboxSettings {
    MailboxSettings {
        department: DepartmentId::from_uuid(uuid::Uuid::from_u128(u128::from(n) + 1)),
        host: format!("imap{n}.example.ro"),
        port: 993 + n,
        security: MailboxSecurity::Tls,
        user: format!("suport{n}@example.ro"),
        folder: format!("INBOX/Ажутор {n}"),
        after: MailboxAfter::Move,
        move_to: Some(format!("Preluate \"{n}\"")),
        enabled: n.is_multiple_of(2),
        poll_seconds: 60 + u32::from(n),
    }
}

fn change(before: Option<&str>, after: Option<&str>) -> SettingChange {
    SettingChange {
        key: ChangedSetting::Mailbox,
        item: None,
        actor: Actor::Agent(AgentId::new()),
        at: Utc.with_ymd_and_hms(2026, 1, 5, 10, 0, 0).unwrap(),
        before: before.map(str::to_owned),
        after: after.map(str::to_owned),
    }
}

pub async fn mailboxes_round_trip_keep_their_last_round_and_audit_each_change(
    store: Arc<dyn Store>,
) {
    let Some(boxes) = ability(store.as_mailbox_store(), "stored mailboxes") else {
        return;
    };
    let Some(audit) = ability(store.as_settings_store(), "settings") else {
        return;
    };
    assert!(boxes.mailboxes().await.unwrap().is_empty());
    let mut ids = Vec::new();
    for n in 0..3u16 {
        let id = MailboxId::new();
        // Passwords with quotes, non-ASCII letters and a backslash come back the same.
        let password = format!("p\"ä\\{n}");
        boxes
            .put_mailbox(id, &settings(n), &password, &change(None, Some("added")))
            .await
            .unwrap();
        ids.push((id, password));
    }
    let listed = boxes.mailboxes().await.unwrap();
    assert_eq!(
        listed.iter().map(|m| m.id).collect::<Vec<_>>(),
        ids.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        "oldest first"
    );
    for (n, ((id, password), m)) in ids.iter().zip(&listed).enumerate() {
        let n = u16::try_from(n).unwrap();
        assert_eq!(m.settings, settings(n));
        assert_eq!(m.last_round, None);
        assert_eq!(boxes.mailbox(*id).await.unwrap().as_ref(), Some(m));
        assert_eq!(
            boxes.mailbox_password(*id).await.unwrap().as_deref(),
            Some(password.as_str())
        );
    }

    // A round is recorded; replacing the settings keeps it.
    let (id, _) = ids[1].clone();
    let round = MailboxRound {
        at: Utc.with_ymd_and_hms(2026, 1, 5, 11, 0, 0).unwrap(),
        taken: 3,
        error: Some("the IMAP server refused the login — «x»".into()),
    };
    assert!(boxes.record_mailbox_round(id, &round).await.unwrap());
    let mut edited = settings(7);
    edited.after = MailboxAfter::Flag;
    edited.move_to = None;
    edited.security = MailboxSecurity::Plain;
    boxes
        .put_mailbox(id, &edited, "new", &change(Some("before"), Some("after")))
        .await
        .unwrap();
    let read = boxes.mailbox(id).await.unwrap().unwrap();
    assert_eq!(read.settings, edited);
    assert_eq!(read.last_round, Some(round));
    assert_eq!(
        boxes.mailbox_password(id).await.unwrap().as_deref(),
        Some("new")
    );
    assert_eq!(boxes.mailboxes().await.unwrap().len(), 3);

    // Deleted once, audited once.
    assert!(
        boxes
            .delete_mailbox(id, &change(Some("gone"), None))
            .await
            .unwrap()
    );
    assert!(
        !boxes
            .delete_mailbox(id, &change(Some("again"), None))
            .await
            .unwrap()
    );
    assert_eq!(boxes.mailbox(id).await.unwrap(), None);
    assert_eq!(boxes.mailbox_password(id).await.unwrap(), None);
    assert!(
        !boxes
            .record_mailbox_round(
                id,
                &MailboxRound {
                    at: Utc::now(),
                    taken: 0,
                    error: None
                }
            )
            .await
            .unwrap()
    );
    assert_eq!(boxes.mailboxes().await.unwrap().len(), 2);

    let trail: Vec<_> = audit
        .setting_changes(10)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.key, c.before, c.after))
        .collect();
    let entry = |b: Option<&str>, a: Option<&str>| {
        (
            ChangedSetting::Mailbox,
            b.map(str::to_owned),
            a.map(str::to_owned),
        )
    };
    assert_eq!(
        trail,
        vec![
            entry(Some("gone"), None),
            entry(Some("before"), Some("after")),
            entry(None, Some("added")),
            entry(None, Some("added")),
            entry(None, Some("added")),
        ],
        "newest first; a delete of nothing is not audited"
    );
    assert_eq!(
        audit.setting(SettingKey::Mail).await.unwrap(),
        None,
        "a mailbox's change writes no setting row"
    );
}
