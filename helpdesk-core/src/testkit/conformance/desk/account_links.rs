//! Invitations and password-reset links through the desk: who may make them, that a link
//! sets a password once and only in its time, that a reset signs the person out everywhere,
//! that disabled people cannot use one, and that a link is e-mailed in the person's language
//! only when the desk can send it (an address, a public URL, the e-mail channel).

use std::sync::Arc;

use chrono::Duration;

use crate::Helpdesk;
use crate::clock::Clock;
use crate::domain::{
    Actor, AuthToken, EmailKind, Language, LinkKind, LoginName, PasswordHash, PublicUrl, TokenHash,
    TokenKind,
};
use crate::error::{ConflictKind, Entity, Error, ForbiddenReason};
use crate::service::{MailSettings, NewAgent};
use crate::store::Store;
use crate::testkit::samples::{email, name};
use crate::testkit::{Fixture, ability};

fn hash(tag: &str) -> PasswordHash {
    PasswordHash::parse(&format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA${tag}")).unwrap()
}

fn login(raw: &str) -> LoginName {
    LoginName::parse(raw).unwrap()
}

fn refused<T: std::fmt::Debug>(result: crate::Result<T>, reason: ForbiddenReason) {
    match result {
        Err(Error::Forbidden { reason: r }) if r == reason => {}
        other => panic!("expected Forbidden {reason:?}, got {other:?}"),
    }
}

pub async fn invitations_set_a_password_once_and_expire_after_seven_days(store: Arc<dyn Store>) {
    let Some(accounts) = ability(store.as_account_store(), "accounts") else {
        return;
    };
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    let nadia = admin
        .create_agent(NewAgent::new(
            name("Nadia"),
            email("nadia@desk.test"),
            crate::domain::Role::Agent,
        ))
        .await
        .unwrap();
    let who = Actor::Agent(nadia.id);
    let invited = admin.invite(who, None).await.unwrap();
    assert_eq!(invited.kind, LinkKind::Invitation);
    assert_eq!(
        invited.login,
        login("nadia@desk.test"),
        "the e-mail by default"
    );
    assert_eq!(invited.expires_at, f.clock.now() + Duration::days(7));
    assert_eq!(
        (invited.url.clone(), invited.emailed_to.clone()),
        (None, None)
    );
    assert!(
        !format!("{invited:?}").contains(&invited.token),
        "Debug hides the secret"
    );
    let stored = accounts.account_links_of(who).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].hash,
        TokenHash::of(&invited.token),
        "only the hash is kept"
    );
    assert_eq!(
        accounts.login_of(who).await.unwrap(),
        None,
        "no login until used"
    );

    f.tick(3600);
    let set = f
        .desk
        .set_password_with_link(&invited.token, hash("Zmlyc3Q"))
        .await
        .unwrap();
    assert_eq!(set.name, login("nadia@desk.test"));
    assert_eq!(set.password_hash, hash("Zmlyc3Q"));
    assert_eq!(accounts.login_of(who).await.unwrap(), Some(set));
    refused(
        f.desk
            .set_password_with_link(&invited.token, hash("YWdhaW4"))
            .await,
        ForbiddenReason::LinkInvalid,
    );
    refused(
        f.desk
            .set_password_with_link("no such link", hash("eA"))
            .await,
        ForbiddenReason::LinkInvalid,
    );
    assert!(matches!(
        admin.invite(who, None).await,
        Err(Error::Validation(v)) if v.field() == "login"
    ));

    // A newer invitation revokes the older one.
    let reza = Actor::Customer(f.reza.id);
    assert!(
        matches!(admin.invite(reza, None).await, Err(Error::Validation(v)) if v.field() == "login"),
        "a customer without an e-mail needs a name"
    );
    let older = admin.invite(reza, Some(login("reza"))).await.unwrap();
    let newer = admin.invite(reza, Some(login("reza"))).await.unwrap();
    refused(
        f.desk
            .set_password_with_link(&older.token, hash("eA"))
            .await,
        ForbiddenReason::LinkInvalid,
    );
    assert_eq!(
        f.desk
            .set_password_with_link(&newer.token, hash("eA"))
            .await
            .unwrap()
            .name,
        login("reza")
    );

    // A name someone holds cannot be invited to.
    let acme = Actor::Customer(f.acme.id);
    match admin.invite(acme, Some(login("nadia@desk.test"))).await {
        Err(Error::Conflict {
            entity: Entity::Login,
            kind: ConflictKind::Duplicate { field },
        }) if field == "login" => {}
        other => panic!("expected a Duplicate login, got {other:?}"),
    }
    // Seven days later, an invitation no longer works, and sets nothing.
    let late = admin.invite(acme, None).await.unwrap();
    assert_eq!(late.login, login("it@acme.example"));
    f.tick(7 * 24 * 3600 - 1);
    assert!(
        accounts
            .account_link(&TokenHash::of(&late.token))
            .await
            .unwrap()
            .is_some()
    );
    f.tick(1);
    refused(
        f.desk.set_password_with_link(&late.token, hash("eA")).await,
        ForbiddenReason::LinkExpired,
    );
    assert_eq!(accounts.login_of(acme).await.unwrap(), None);
}

pub async fn reset_links_replace_the_password_and_sign_the_person_out(store: Arc<dyn Store>) {
    let Some(accounts) = ability(store.as_account_store(), "accounts") else {
        return;
    };
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    let ivan = Actor::Agent(f.ivan.id);
    let old = admin
        .set_login(ivan, login("ivan"), hash("b2xk"))
        .await
        .unwrap();
    for kind in [TokenKind::Session, TokenKind::ApiToken] {
        let token = AuthToken::new(
            TokenHash::of(&format!("ivan-{kind}")),
            ivan,
            kind,
            f.clock.now(),
            Duration::days(1),
        );
        accounts.put_token(&token).await.unwrap();
    }
    let first = admin.reset_link(ivan).await.unwrap();
    assert_eq!(first.kind, LinkKind::PasswordReset);
    assert_eq!(first.login, login("ivan"));
    assert_eq!(first.expires_at, f.clock.now() + Duration::hours(1));
    let second = admin.reset_link(ivan).await.unwrap();
    refused(
        f.desk
            .set_password_with_link(&first.token, hash("eA"))
            .await,
        ForbiddenReason::LinkInvalid,
    );
    assert_eq!(accounts.login_of(ivan).await.unwrap(), Some(old.clone()));
    assert_eq!(
        accounts.tokens_of(ivan).await.unwrap().len(),
        2,
        "a refused link signs nobody out"
    );

    f.tick(59 * 60);
    let set = f
        .desk
        .set_password_with_link(&second.token, hash("bmV3"))
        .await
        .unwrap();
    assert_eq!(set.name, old.name);
    assert_eq!(set.created_at, old.created_at);
    assert_eq!(set.password_hash, hash("bmV3"));
    assert!(
        accounts.tokens_of(ivan).await.unwrap().is_empty(),
        "signed out everywhere"
    );
    assert!(accounts.account_links_of(ivan).await.unwrap().is_empty());
    refused(
        f.desk
            .set_password_with_link(&second.token, hash("eA"))
            .await,
        ForbiddenReason::LinkInvalid,
    );

    // One hour is the limit.
    let ana = Actor::Customer(f.ana.id);
    admin
        .set_login(ana, login("ana"), hash("YW5h"))
        .await
        .unwrap();
    let link = admin.reset_link(ana).await.unwrap();
    f.tick(3600);
    refused(
        f.desk.set_password_with_link(&link.token, hash("eA")).await,
        ForbiddenReason::LinkExpired,
    );
    assert_eq!(
        accounts.login_of(ana).await.unwrap().unwrap().password_hash,
        hash("YW5h")
    );
    // No login, nothing to reset.
    assert!(matches!(
        admin.reset_link(Actor::Agent(f.maria.id)).await,
        Err(Error::NotFound {
            entity: Entity::Login,
            ..
        })
    ));
}

pub async fn links_are_emailed_in_the_persons_language_when_the_desk_can(store: Arc<dyn Store>) {
    let Some(accounts) = ability(store.as_account_store(), "accounts") else {
        return;
    };
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let mailing: Helpdesk = f.desk.clone().with_mail(
        MailSettings::new(email("support@desk.test"), f.support.id).with_from_name("Desk Support"),
    );
    let admin = mailing.acting_as(Actor::Agent(f.admin.id)).await.unwrap();
    let ana = Actor::Customer(f.ana.id);
    let unsent = admin.invite(ana, None).await.unwrap();
    assert_eq!(
        (unsent.url, unsent.emailed_to),
        (None, None),
        "no public URL: no e-mail"
    );

    admin
        .set_public_url(Some(PublicUrl::parse("https://desk.example.com").unwrap()))
        .await
        .unwrap();
    let sent = admin.invite(ana, None).await.unwrap();
    let url = format!(
        "https://desk.example.com/setup-password?token={}",
        sent.token
    );
    assert_eq!(sent.url.as_deref(), Some(url.as_str()));
    assert_eq!(sent.emailed_to, Some(email("ana@example.ro")));
    let queued = store
        .outbox_email(sent.email_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(queued.kind, EmailKind::Invitation);
    assert_eq!(queued.language, Language::Romanian);
    assert_eq!(queued.ticket_id, None);
    assert_eq!(queued.to, email("ana@example.ro"));
    assert_eq!(queued.subject, "Invitație la Desk Support");
    assert!(
        queued.body.contains(&format!("\n{url}\n")),
        "{}",
        queued.body
    );
    assert!(queued.message_id.ends_with("@desk.test"));

    // Without the e-mail channel the link is only returned.
    let plain = f.as_agent(&f.admin).await;
    let acme = plain
        .invite(Actor::Customer(f.acme.id), None)
        .await
        .unwrap();
    assert!(acme.url.is_some());
    assert_eq!((acme.emailed_to, acme.email_id), (None, None));

    // Ana asks for a reset by her address: an e-mail, never the link in the answer; asking
    // again at once makes no second one; nobody's address makes nothing.
    mailing
        .set_password_with_link(&sent.token, hash("YW5h"))
        .await
        .unwrap();
    let resets = || async {
        let mut found: Vec<_> = accounts
            .account_links_of(ana)
            .await
            .unwrap()
            .into_iter()
            .filter(|l| l.kind == LinkKind::PasswordReset)
            .collect();
        found.sort_by_key(|l| l.hash);
        found
    };
    mailing
        .request_password_reset(" ANA@example.ro ")
        .await
        .unwrap();
    let made = resets().await;
    assert_eq!(made.len(), 1);
    mailing
        .request_password_reset("ana@example.ro")
        .await
        .unwrap();
    assert_eq!(resets().await, made, "none again within minutes");
    mailing
        .request_password_reset("nobody@example.com")
        .await
        .unwrap();
    mailing.request_password_reset("not a login").await.unwrap();
    let now = f.clock.now() + Duration::seconds(1);
    let pending = store
        .lease_outbox(now, now + Duration::minutes(1), 100)
        .await
        .unwrap();
    let reset_mail: Vec<_> = pending
        .iter()
        .filter(|e| e.kind == EmailKind::PasswordReset)
        .collect();
    assert_eq!(reset_mail.len(), 1, "{pending:?}");
    assert_eq!(reset_mail[0].to, email("ana@example.ro"));
    assert_eq!(reset_mail[0].language, Language::Romanian);
    assert!(
        reset_mail[0]
            .body
            .contains("https://desk.example.com/setup-password?token=")
    );

    // An agent asks by their login name; the e-mail goes to their address, in English.
    let ivan = Actor::Agent(f.ivan.id);
    admin
        .set_login(ivan, login("ivan"), hash("aXZhbg"))
        .await
        .unwrap();
    mailing.request_password_reset("Ivan").await.unwrap();
    assert_eq!(accounts.account_links_of(ivan).await.unwrap().len(), 1);
    let pending = store
        .lease_outbox(now, now + Duration::minutes(1), 100)
        .await
        .unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0].to, email("ivan@desk.test"));
    assert_eq!(pending[0].language, Language::English);
    assert_eq!(pending[0].subject, "Set a new password for Desk Support");
}

pub async fn who_may_make_links_and_disabled_people_cannot_use_them(store: Arc<dyn Store>) {
    let Some(accounts) = ability(store.as_account_store(), "accounts") else {
        return;
    };
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    let ivan = f.as_agent(&f.ivan).await;
    let ana = f.as_customer(&f.ana).await;
    let (maria, acme, reza) = (
        Actor::Agent(f.maria.id),
        Actor::Customer(f.acme.id),
        Actor::Customer(f.reza.id),
    );
    // Agents invite customers (they add them too), not agents; only admins make reset links.
    assert_eq!(ivan.invite(acme, None).await.unwrap().actor, acme);
    refused(ivan.invite(maria, None).await, ForbiddenReason::AdminOnly);
    refused(
        ivan.reset_link(Actor::Customer(f.ana.id)).await,
        ForbiddenReason::AdminOnly,
    );
    refused(
        ana.invite(reza, Some(login("reza"))).await,
        ForbiddenReason::AgentsOnly,
    );
    assert!(matches!(
        admin.invite(Actor::System, Some(login("root"))).await,
        Err(Error::Validation(_))
    ));

    // A link made before a person was disabled does not work, and stays.
    let marias = admin.invite(maria, None).await.unwrap();
    let rezas = admin.invite(reza, Some(login("reza"))).await.unwrap();
    admin.disable_agent(f.maria.id).await.unwrap();
    admin.disable_customer(f.reza.id).await.unwrap();
    refused(
        f.desk
            .set_password_with_link(&marias.token, hash("eA"))
            .await,
        ForbiddenReason::AgentInactive,
    );
    refused(
        f.desk
            .set_password_with_link(&rezas.token, hash("eA"))
            .await,
        ForbiddenReason::AccessDisabled,
    );
    assert_eq!(accounts.login_of(maria).await.unwrap(), None);
    assert_eq!(accounts.login_of(reza).await.unwrap(), None);
    // ...and no new link is made for them.
    refused(
        admin.invite(maria, None).await,
        ForbiddenReason::AgentInactive,
    );
    refused(
        admin.invite(reza, Some(login("reza"))).await,
        ForbiddenReason::AccessDisabled,
    );
    assert_eq!(
        f.desk.request_password_reset("reza").await.map(drop).ok(),
        Some(())
    );
}
