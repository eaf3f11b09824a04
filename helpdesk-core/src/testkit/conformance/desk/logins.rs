//! Logins through the desk: admins give agents and customers a login, people change their
//! own, and disabling a person revokes every session and token and refuses sign-in.

use std::sync::Arc;

use chrono::Duration;

use crate::clock::Clock;
use crate::domain::{Actor, AuthToken, LoginName, PasswordHash, TokenHash, TokenKind};
use crate::error::{Error, ForbiddenReason};
use crate::store::Store;
use crate::testkit::{Fixture, ability};

fn hash(tag: &str) -> PasswordHash {
    PasswordHash::parse(&format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA${tag}")).unwrap()
}

pub async fn disabling_a_person_revokes_their_tokens_and_refuses_sign_in(store: Arc<dyn Store>) {
    let Some(accounts) = ability(store.as_account_store(), "accounts") else {
        return;
    };
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    let (ivan, ana) = (Actor::Agent(f.ivan.id), Actor::Customer(f.ana.id));
    for (who, name) in [(ivan, "ivan"), (ana, "ana")] {
        let login = admin
            .set_login(who, LoginName::parse(name).unwrap(), hash("aGFzaA"))
            .await
            .unwrap();
        assert_eq!(accounts.login_of(who).await.unwrap(), Some(login));
        for kind in [TokenKind::Session, TokenKind::ApiToken] {
            let token = AuthToken::new(
                TokenHash::of(&format!("{name}-{kind}")),
                who,
                kind,
                f.clock.now(),
                Duration::days(1),
            );
            accounts.put_token(&token).await.unwrap();
        }
        assert!(f.desk.may_sign_in(who).await.unwrap());
    }
    // A person changes their own password; not someone else's.
    let as_ivan = f.as_agent(&f.ivan).await;
    as_ivan
        .set_login(ivan, LoginName::parse("ivan").unwrap(), hash("bmV3"))
        .await
        .unwrap();
    assert!(matches!(
        as_ivan
            .set_login(ana, LoginName::parse("ana").unwrap(), hash("bmV3"))
            .await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::AdminOnly
        })
    ));
    assert!(matches!(
        admin
            .set_login(Actor::System, LoginName::parse("root").unwrap(), hash("eA"))
            .await,
        Err(Error::Validation(_))
    ));

    admin.disable_agent(f.ivan.id).await.unwrap();
    admin.disable_customer(f.ana.id).await.unwrap();
    for who in [ivan, ana] {
        assert_eq!(accounts.tokens_of(who).await.unwrap(), Vec::new(), "{who}");
        assert!(!f.desk.may_sign_in(who).await.unwrap(), "{who}");
        assert!(f.desk.acting_as(who).await.is_err());
    }
    // Others keep theirs.
    assert!(f.desk.may_sign_in(Actor::Agent(f.admin.id)).await.unwrap());
    assert!(!f.desk.may_sign_in(Actor::System).await.unwrap());
}
