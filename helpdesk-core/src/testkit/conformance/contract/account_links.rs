//! One-time links ([`AccountStore`](crate::store::AccountStore)): invitations and password
//! resets read back, one per person and kind, hashes unique, taken once, listed, deleted and
//! expired.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::clock::to_micros;
use crate::domain::{AccountLink, Actor, AgentId, CustomerId, LinkKind, LoginName, TokenHash};
use crate::error::{ConflictKind, Entity, Error};
use crate::store::Store;

fn now() -> DateTime<Utc> {
    to_micros(Utc::now())
}

fn link(secret: &str, actor: Actor, kind: LinkKind, at: DateTime<Utc>) -> AccountLink {
    let login = LoginName::parse(&format!("{}@example.com", secret.replace(' ', "-"))).unwrap();
    AccountLink::new(TokenHash::of(secret), actor, kind, login, at).unwrap()
}

pub async fn account_links_round_trip_replace_older_ones_of_their_kind_and_are_taken_once(
    store: Arc<dyn Store>,
) {
    let Some(accounts) = crate::testkit::ability(store.as_account_store(), "accounts") else {
        return;
    };
    let at = now();
    let ivan = Actor::Agent(AgentId::new());
    let ana = Actor::Customer(CustomerId::new());
    let invitation = link("ivan invited", ivan, LinkKind::Invitation, at);
    let reset = link(
        "ivan reset",
        ivan,
        LinkKind::PasswordReset,
        at + Duration::seconds(1),
    );
    let anas = link("ana invited", ana, LinkKind::Invitation, at);
    for l in [&reset, &invitation, &anas] {
        accounts.put_account_link(l).await.unwrap();
    }
    assert_eq!(
        accounts.account_link(&invitation.hash).await.unwrap(),
        Some(invitation.clone()),
        "read back field by field"
    );
    assert_eq!(
        accounts
            .account_link(&TokenHash::of("no such secret"))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        accounts.account_links_of(ivan).await.unwrap(),
        vec![invitation.clone(), reset.clone()],
        "oldest first, both kinds"
    );

    // A taken hash conflicts and changes nothing (Ana's other link stays).
    let taken = link("ivan invited", ana, LinkKind::Invitation, at);
    match accounts.put_account_link(&taken).await {
        Err(Error::Conflict {
            entity: Entity::AccountLink,
            kind: ConflictKind::Duplicate { field },
        }) if field == "hash" => {}
        other => panic!("expected a Duplicate hash conflict on the link, got {other:?}"),
    }
    assert_eq!(
        accounts.account_links_of(ana).await.unwrap(),
        vec![anas.clone()]
    );
    assert_eq!(
        accounts.account_link(&invitation.hash).await.unwrap(),
        Some(invitation.clone())
    );

    // A new invitation for Ivan revokes his older one; his reset link stays.
    let newer = link(
        "ivan invited again",
        ivan,
        LinkKind::Invitation,
        at + Duration::seconds(2),
    );
    accounts.put_account_link(&newer).await.unwrap();
    assert_eq!(accounts.account_link(&invitation.hash).await.unwrap(), None);
    assert_eq!(
        accounts.account_links_of(ivan).await.unwrap(),
        vec![reset.clone(), newer.clone()]
    );

    // Taking gives the link once.
    assert_eq!(
        accounts.take_account_link(&newer.hash).await.unwrap(),
        Some(newer.clone())
    );
    assert_eq!(accounts.take_account_link(&newer.hash).await.unwrap(), None);
    assert_eq!(accounts.account_link(&newer.hash).await.unwrap(), None);
    assert_eq!(
        accounts
            .take_account_link(&TokenHash::of("no such secret"))
            .await
            .unwrap(),
        None
    );

    // Deleting a person's links leaves the others'.
    assert_eq!(accounts.delete_account_links_of(ivan).await.unwrap(), 1);
    assert_eq!(accounts.delete_account_links_of(ivan).await.unwrap(), 0);
    assert!(accounts.account_links_of(ivan).await.unwrap().is_empty());
    assert_eq!(accounts.account_links_of(ana).await.unwrap(), vec![anas]);
    assert_eq!(
        accounts
            .delete_account_links_of(Actor::System)
            .await
            .unwrap(),
        0
    );
}

pub async fn expired_account_links_are_deleted_and_live_ones_kept(store: Arc<dyn Store>) {
    let Some(accounts) = crate::testkit::ability(store.as_account_store(), "accounts") else {
        return;
    };
    let at = now();
    let ana = Actor::Customer(CustomerId::new());
    let ivan = Actor::Agent(AgentId::new());
    let reset = link("ana reset", ana, LinkKind::PasswordReset, at);
    let invitation = link("ana invited", ana, LinkKind::Invitation, at);
    let ivans = link(
        "ivan reset",
        ivan,
        LinkKind::PasswordReset,
        at + Duration::minutes(30),
    );
    for l in [&reset, &invitation, &ivans] {
        accounts.put_account_link(l).await.unwrap();
    }
    assert_eq!(reset.expires_at, at + Duration::hours(1));
    assert_eq!(invitation.expires_at, at + Duration::days(7));
    assert_eq!(accounts.delete_expired_account_links(at).await.unwrap(), 0);
    // Expired at the instant itself: `expires_at <= now`.
    let later = at + Duration::hours(1);
    assert_eq!(
        accounts.delete_expired_account_links(later).await.unwrap(),
        1
    );
    assert_eq!(accounts.account_link(&reset.hash).await.unwrap(), None);
    assert_eq!(
        accounts.account_links_of(ana).await.unwrap(),
        vec![invitation]
    );
    assert_eq!(accounts.account_links_of(ivan).await.unwrap(), vec![ivans]);
    assert_eq!(
        accounts.delete_expired_account_links(later).await.unwrap(),
        0
    );
}

pub async fn concurrent_takes_of_a_link_give_it_to_exactly_one(store: Arc<dyn Store>) {
    if crate::testkit::ability(store.as_account_store(), "accounts").is_none() {
        return;
    }
    let at = now();
    let mut links = Vec::new();
    for i in 0..4 {
        let who = Actor::Customer(CustomerId::new());
        let l = link(&format!("race {i}"), who, LinkKind::PasswordReset, at);
        store
            .as_account_store()
            .unwrap()
            .put_account_link(&l)
            .await
            .unwrap();
        links.push(l);
    }
    for l in links {
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let store = store.clone();
            let hash = l.hash;
            tasks.push(tokio::spawn(async move {
                store
                    .as_account_store()
                    .unwrap()
                    .take_account_link(&hash)
                    .await
                    .unwrap()
            }));
        }
        let mut got = Vec::new();
        for t in tasks {
            got.extend(t.await.unwrap());
        }
        assert_eq!(got, vec![l.clone()], "exactly one take gets the link");
    }
}
