//! IMAP mailboxes stored for departments, through the desk: admins add, edit, list and
//! remove them, each change audited; the password is write-only (never listed, kept by an
//! edit without one, audited only as changed); bad settings are refused with nothing
//! written; the processes that fetch read the enabled ones with their passwords and record
//! each round.

use std::sync::Arc;

use crate::clock::Clock;
use crate::domain::{DepartmentId, MailboxId};
use crate::error::{ConflictKind, Entity, Error, ForbiddenReason};
use crate::service::{MAX_POLL_SECONDS, MailboxPassword};
use crate::store::{
    ChangedSetting, MailboxAfter, MailboxRound, MailboxSecurity, MailboxSettings, Store,
};
use crate::testkit::{Fixture, ability};

/// A change that makes settings wrong.
type Spoil = Box<dyn Fn(&mut MailboxSettings)>;

const SECRET: &str = "s3cret-pässword";

fn password(text: &str) -> MailboxPassword {
    MailboxPassword::parse(text).unwrap()
}

fn settings(department: DepartmentId, user: &str) -> MailboxSettings {
    let mut s = MailboxSettings::new(department, "imap.example.ro", user);
    s.security = MailboxSecurity::Plain;
    s.port = 143;
    s
}

/// Whether the desk keeps stored mailboxes and settings (for the audit).
fn offered(store: &Arc<dyn Store>) -> bool {
    ability(store.as_mailbox_store(), "stored mailboxes").is_some()
        && ability(store.as_settings_store(), "settings").is_some()
}

/// The audit trail of the mailboxes, as text.
async fn audit_text(f: &Fixture) -> Vec<(Option<String>, Option<String>)> {
    f.as_agent(&f.admin)
        .await
        .setting_changes(50)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.key == ChangedSetting::Mailbox)
        .map(|c| (c.before, c.after))
        .collect()
}

pub async fn an_admin_stores_a_mailbox_and_its_password_is_never_shown(store: Arc<dyn Store>) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store).await;
    let admin = f.as_agent(&f.admin).await;
    let added = admin
        .add_mailbox(settings(f.billing.id, "facturi"), password(SECRET))
        .await
        .unwrap();
    assert_eq!(added.settings.department, f.billing.id);
    assert_eq!(added.last_round, None);
    assert_eq!(admin.mailboxes().await.unwrap(), vec![added.clone()]);
    let login = f.desk.mailbox_login(added.id).await.unwrap();
    assert_eq!(login.password.expose(), SECRET);
    assert!(!format!("{login:?}").contains(SECRET), "{login:?}");
    let listed = serde_json::to_string(&admin.mailboxes().await.unwrap()).unwrap();
    assert!(!listed.contains("s3cret"), "{listed}");

    // An edit without a password keeps the stored one.
    let mut moved = added.settings.clone();
    moved.after = MailboxAfter::Move;
    moved.move_to = Some("Preluate".into());
    moved.poll_seconds = 120;
    let edited = admin
        .edit_mailbox(added.id, moved.clone(), None)
        .await
        .unwrap();
    assert_eq!(edited.settings, moved);
    let login = f.desk.mailbox_login(added.id).await.unwrap();
    assert_eq!(login.password.expose(), SECRET);

    // An edit that changes nothing writes nothing; a new password is audited as changed.
    let before = audit_text(&f).await.len();
    admin
        .edit_mailbox(added.id, moved.clone(), Some(password(SECRET)))
        .await
        .unwrap();
    assert_eq!(audit_text(&f).await.len(), before, "nothing changed");
    admin
        .edit_mailbox(added.id, moved.clone(), Some(password("another-one")))
        .await
        .unwrap();
    assert_eq!(
        f.desk
            .mailbox_login(added.id)
            .await
            .unwrap()
            .password
            .expose(),
        "another-one"
    );
    admin.remove_mailbox(added.id).await.unwrap();
    assert!(admin.mailboxes().await.unwrap().is_empty());
    assert!(matches!(
        admin.remove_mailbox(added.id).await.unwrap_err(),
        Error::NotFound {
            entity: Entity::Mailbox,
            ..
        }
    ));

    let trail = audit_text(&f).await;
    assert_eq!(
        trail.len(),
        4,
        "added, edited, password changed, removed: {trail:?}"
    );
    let text = format!("{trail:?}");
    assert!(
        !text.contains("s3cret") && !text.contains("another-one"),
        "{text}"
    );
    let changed = |t: &Option<String>| {
        t.as_deref()
            .is_some_and(|t| t.contains("\"password\":\"changed\""))
    };
    // Newest first: removed, password changed, edited, added.
    assert!(trail[0].1.is_none() && !changed(&trail[0].0));
    assert!(changed(&trail[1].1) && !changed(&trail[1].0));
    assert!(!changed(&trail[2].1));
    assert!(trail[3].0.is_none() && changed(&trail[3].1));
    assert!(trail[2].1.as_deref().unwrap().contains("Preluate"));
}

pub async fn bad_mailbox_settings_are_refused_and_nothing_is_written(store: Arc<dyn Store>) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store).await;
    let admin = f.as_agent(&f.admin).await;
    let kept = admin
        .add_mailbox(settings(f.support.id, "help"), password(SECRET))
        .await
        .unwrap();
    let trail = audit_text(&f).await;
    let good = settings(f.billing.id, "facturi");
    let field_of = |e: Error| match e {
        Error::Validation(v) => v.field().to_owned(),
        other => panic!("expected a validation error, got {other:?}"),
    };
    let cases: Vec<(&str, Spoil)> = vec![
        ("host", Box::new(|s| s.host = " ".into())),
        (
            "host",
            Box::new(|s| s.host = "imaps://imap.example.ro".into()),
        ),
        ("host", Box::new(|s| s.host = "imap example".into())),
        ("port", Box::new(|s| s.port = 0)),
        ("user", Box::new(|s| s.user = String::new())),
        ("user", Box::new(|s| s.user = "a\r\nb".into())),
        ("folder", Box::new(|s| s.folder = "x".repeat(256))),
        ("move_to", Box::new(|s| s.after = MailboxAfter::Move)),
        ("move_to", Box::new(|s| s.move_to = Some("Done".into()))),
        (
            "move_to",
            Box::new(|s| {
                s.after = MailboxAfter::Move;
                s.move_to = Some("INBOX".into());
            }),
        ),
        ("poll_seconds", Box::new(|s| s.poll_seconds = 1)),
        (
            "poll_seconds",
            Box::new(|s| s.poll_seconds = MAX_POLL_SECONDS + 1),
        ),
    ];
    for (field, spoil) in &cases {
        let mut bad = good.clone();
        spoil(&mut bad);
        let err = admin
            .add_mailbox(bad.clone(), password(SECRET))
            .await
            .unwrap_err();
        assert_eq!(field_of(err), *field, "{bad:?}");
        let err = admin.edit_mailbox(kept.id, bad, None).await.unwrap_err();
        assert_eq!(field_of(err), *field);
    }
    for typed in ["", "a\nb", &"x".repeat(1025)] {
        assert_eq!(
            field_of(MailboxPassword::parse(typed).unwrap_err()),
            "password"
        );
    }
    let mut nowhere = good.clone();
    nowhere.department = DepartmentId::new();
    assert!(matches!(
        admin
            .add_mailbox(nowhere, password(SECRET))
            .await
            .unwrap_err(),
        Error::NotFound {
            entity: Entity::Department,
            ..
        }
    ));
    // The same folder of the same login, the host written in capitals: taken.
    let mut same = kept.settings.clone();
    same.host = same.host.to_uppercase();
    same.department = f.billing.id;
    let err = admin.add_mailbox(same, password(SECRET)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Conflict {
                entity: Entity::Mailbox,
                kind: ConflictKind::Duplicate { .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert!(matches!(
        admin
            .edit_mailbox(MailboxId::new(), good.clone(), None)
            .await
            .unwrap_err(),
        Error::NotFound {
            entity: Entity::Mailbox,
            ..
        }
    ));
    assert_eq!(admin.mailboxes().await.unwrap(), vec![kept.clone()]);
    assert_eq!(
        f.desk
            .mailbox_login(kept.id)
            .await
            .unwrap()
            .password
            .expose(),
        SECRET
    );
    assert_eq!(audit_text(&f).await, trail, "nothing audited");
}

pub async fn only_admins_reach_the_stored_mailboxes(store: Arc<dyn Store>) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store).await;
    let admin = f.as_agent(&f.admin).await;
    let kept = admin
        .add_mailbox(settings(f.support.id, "help"), password(SECRET))
        .await
        .unwrap();
    let admin_only = |e: Error| {
        assert!(
            matches!(
                e,
                Error::Forbidden {
                    reason: ForbiddenReason::AdminOnly
                }
            ),
            "{e:?}"
        );
    };
    for who in [
        f.as_agent(&f.ivan).await,
        f.as_agent(&f.boss).await,
        f.as_customer(&f.ana).await,
    ] {
        admin_only(who.mailboxes().await.unwrap_err());
        admin_only(who.mailbox(kept.id).await.unwrap_err());
        admin_only(
            who.add_mailbox(settings(f.billing.id, "x"), password(SECRET))
                .await
                .unwrap_err(),
        );
        admin_only(
            who.edit_mailbox(kept.id, settings(f.billing.id, "x"), None)
                .await
                .unwrap_err(),
        );
        admin_only(who.remove_mailbox(kept.id).await.unwrap_err());
    }
    assert_eq!(admin.mailboxes().await.unwrap(), vec![kept]);
}

pub async fn only_enabled_mailboxes_are_fetched_and_each_round_is_recorded(store: Arc<dyn Store>) {
    if !offered(&store) {
        return;
    }
    let f = Fixture::new(store).await;
    let admin = f.as_agent(&f.admin).await;
    let on = admin
        .add_mailbox(settings(f.support.id, "help"), password(SECRET))
        .await
        .unwrap();
    let mut off_settings = settings(f.billing.id, "facturi");
    off_settings.enabled = false;
    let off = admin
        .add_mailbox(off_settings, password("other"))
        .await
        .unwrap();
    let fetched = f.desk.mailboxes_to_fetch().await.unwrap();
    assert_eq!(fetched.len(), 1);
    assert_eq!(fetched[0].mailbox.id, on.id);
    assert_eq!(fetched[0].password.expose(), SECRET);
    // Asked for by id, a disabled one is there too.
    assert_eq!(f.desk.mailbox_login(off.id).await.unwrap().mailbox, off);

    f.desk.record_mailbox_round(on.id, 2, None).await.unwrap();
    let round = MailboxRound {
        at: crate::clock::to_micros(f.clock.now()),
        taken: 2,
        error: None,
    };
    assert_eq!(
        admin.mailbox(on.id).await.unwrap().last_round,
        Some(round.clone())
    );
    // An edit keeps the round; a removed mailbox is no longer fetched, and a round
    // recorded for it afterwards changes nothing.
    let mut slower = on.settings.clone();
    slower.poll_seconds = 300;
    let edited = admin.edit_mailbox(on.id, slower, None).await.unwrap();
    assert_eq!(edited.last_round, Some(round.clone()));
    admin.remove_mailbox(on.id).await.unwrap();
    assert!(f.desk.mailboxes_to_fetch().await.unwrap().is_empty());
    f.desk
        .record_mailbox_round(on.id, 0, Some("late".into()))
        .await
        .unwrap();
    assert_eq!(admin.mailboxes().await.unwrap(), vec![off]);
}
