//! Failed sign-ins counted in the store ([`SignInThrottle`](crate::store::SignInThrottle)):
//! counted within a window up to a limit, refused past it with the earliest attempt, taken
//! back, cleared and pruned per key, and held to the limit under concurrent attempts.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::clock::to_micros;
use crate::error::Error;
use crate::store::{SignInAttempt, Store};

fn attempt(key: &str, at: DateTime<Utc>) -> SignInAttempt {
    SignInAttempt {
        id: Uuid::now_v7(),
        key: key.to_owned(),
        at,
    }
}

pub async fn attempts_are_counted_in_the_window_and_refused_past_the_limit(store: Arc<dyn Store>) {
    let Some(throttle) = crate::testkit::ability(store.as_sign_in_throttle(), "a sign-in throttle")
    else {
        return;
    };
    let now = to_micros(Utc::now());
    let since = now - Duration::minutes(15);
    // An attempt before the window does not count.
    let old = attempt("ana|10.0.0.1", since - Duration::seconds(1));
    assert_eq!(throttle.record(&old, old.at, 3).await.unwrap(), None);
    let first = attempt("ana|10.0.0.1", now - Duration::minutes(10));
    assert_eq!(throttle.record(&first, since, 3).await.unwrap(), None);
    let second = attempt("ana|10.0.0.1", now - Duration::minutes(5));
    assert_eq!(throttle.record(&second, since, 3).await.unwrap(), None);
    let third = attempt("ana|10.0.0.1", now);
    assert_eq!(throttle.record(&third, since, 3).await.unwrap(), None);
    // The fourth in the window is refused with the earliest in it, and not written.
    let fourth = attempt("ana|10.0.0.1", now);
    assert_eq!(
        throttle.record(&fourth, since, 3).await.unwrap(),
        Some(first.at)
    );
    assert!(
        !throttle.forget(fourth.id).await.unwrap(),
        "nothing written"
    );
    // Another key counts on its own.
    let other = attempt("ana|10.0.0.2", now);
    assert_eq!(throttle.record(&other, since, 3).await.unwrap(), None);
    // Taking one back makes room for one more.
    assert!(throttle.forget(second.id).await.unwrap());
    assert!(!throttle.forget(second.id).await.unwrap());
    assert_eq!(throttle.record(&fourth, since, 3).await.unwrap(), None);
    let fifth = attempt("ana|10.0.0.1", now);
    assert_eq!(
        throttle.record(&fifth, since, 3).await.unwrap(),
        Some(first.at)
    );
    // Pruning deletes what is older than the instant, of every key.
    assert_eq!(throttle.prune(since).await.unwrap(), 1);
    assert_eq!(throttle.prune(since).await.unwrap(), 0);
    // Clearing a key forgets all of its attempts and no other key's.
    assert_eq!(throttle.clear("ana|10.0.0.1").await.unwrap(), 3);
    assert_eq!(throttle.record(&fifth, since, 3).await.unwrap(), None);
    assert!(
        throttle.forget(other.id).await.unwrap(),
        "the other key's attempt stays"
    );
    // A key over the longest is refused.
    let long = attempt(&"k".repeat(SignInAttempt::MAX_KEY_BYTES + 1), now);
    match throttle.record(&long, since, 3).await {
        Err(Error::Validation(v)) => assert_eq!(v.field(), "key"),
        other => panic!("expected a validation error on `key`, got {other:?}"),
    }
}

pub async fn concurrent_attempts_for_one_key_record_at_most_the_limit(store: Arc<dyn Store>) {
    if crate::testkit::ability(store.as_sign_in_throttle(), "a sign-in throttle").is_none() {
        return;
    }
    let now = to_micros(Utc::now());
    let since = now - Duration::minutes(15);
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let throttle = store.as_sign_in_throttle().unwrap();
                throttle
                    .record(&attempt("burst|10.0.0.9", now), since, 5)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut recorded = 0;
    for task in tasks {
        if task.await.unwrap().is_none() {
            recorded += 1;
        }
    }
    assert_eq!(
        recorded, 5,
        "of 16 concurrent attempts, exactly the limit is counted"
    );
    let throttle = store.as_sign_in_throttle().unwrap();
    assert_eq!(throttle.clear("burst|10.0.0.9").await.unwrap(), 5);
}
