//! Tickets' CC addresses and following agents ([`FollowerStore`]) against the reference:
//! a random run of additions and removals on a few tickets, agents and addresses (some
//! repeated, some removed twice), every read compared after each step.

use std::sync::Arc;

use super::super::rng::Rng;
use crate::domain::{AgentId, Email, TicketId};
use crate::store::{FollowerStore, MemoryStore, Store};
use crate::testkit::samples::email;
use crate::testkit::{Fixture, ability};

/// Every read of `store` about `tickets` and `agents`.
async fn reads(
    store: &dyn FollowerStore,
    tickets: &[TicketId],
    agents: &[AgentId],
) -> (Vec<Vec<Email>>, Vec<Vec<AgentId>>, Vec<Vec<TicketId>>) {
    let (mut cc, mut followers, mut followed) = (Vec::new(), Vec::new(), Vec::new());
    for t in tickets {
        cc.push(store.cc_addresses(*t).await.unwrap());
        followers.push(store.followers(*t).await.unwrap());
    }
    for a in agents {
        followed.push(store.followed_tickets(*a).await.unwrap());
    }
    (cc, followers, followed)
}

pub async fn cc_addresses_and_followers_agree_with_the_reference(store: Arc<dyn Store>) {
    let Some(followers) = ability(store.as_follower_store(), "followers") else {
        return;
    };
    let f = Fixture::new(store.clone()).await;
    let mut tickets = Vec::new();
    for subject in ["Unu", "Două", "Три"] {
        tickets.push(f.open(&f.ana, subject).await.id);
    }
    let agents = [f.ivan.id, f.maria.id, f.boss.id, f.admin.id];
    let addresses: Vec<Email> = [
        "ops@client.example",
        "Ana.B@client.example",
        "z@x.example",
        "مریم@example.ir",
    ]
    .iter()
    .filter_map(|a| Email::parse(a).ok())
    .chain([email("a@b.example")])
    .collect();
    let reference = MemoryStore::new();
    let mut rng = Rng::new(0x5EED_0029);
    for step in 0..120 {
        let t = rng.pick(&tickets);
        let a = rng.pick(&agents);
        match rng.below(4) {
            0 => {
                let n = 1 + rng.below(3);
                let picked: Vec<Email> = (0..n).map(|_| rng.pick(&addresses)).collect();
                followers.add_cc(t, &picked).await.unwrap();
                reference.add_cc(t, &picked).await.unwrap();
            }
            1 => {
                let e = &rng.pick(&addresses);
                assert_eq!(
                    followers.remove_cc(t, e).await.unwrap(),
                    reference.remove_cc(t, e).await.unwrap(),
                    "step {step}: removing {e}"
                );
            }
            k => {
                let follows = k == 2;
                followers.set_following(t, a, follows).await.unwrap();
                reference.set_following(t, a, follows).await.unwrap();
            }
        }
        assert_eq!(
            reads(followers, &tickets, &agents).await,
            reads(&reference, &tickets, &agents).await,
            "step {step}"
        );
    }
}
