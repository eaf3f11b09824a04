//! Tags in use ([`TagStore::tag_counts`](crate::store::TagStore::tag_counts)) against the
//! reference: varied random tickets, some of them retagged, one tag spelt two ways; every
//! prefix of every tag, department subsets, opening ranges and small limits. The tickets'
//! tags themselves round-trip with the tickets (`tickets` and `lists`).

use std::sync::Arc;

use super::super::rng::Rng;
use super::world::World;
use crate::domain::Tag;
use crate::store::{MemoryStore, Store, TagScope, TagStore, TimeRange};
use crate::testkit::ability;

pub async fn tag_counts_agree_with_the_reference(store: Arc<dyn Store>) {
    let Some(tags) = ability(store.as_tag_store(), "tags") else {
        return;
    };
    let reference = MemoryStore::new();
    let world = World::new();
    let mut rng = Rng::new(0x5EED_0027);
    let tickets = world
        .populate(store.as_ref(), &reference, &mut rng, 120)
        .await;
    let mut prefixes = vec![String::new(), "zzz".to_owned()];
    for tag in &world.tags {
        let key = tag.key();
        for end in key.char_indices().map(|(i, _)| i).skip(1) {
            prefixes.push(key[..end].to_owned());
        }
        prefixes.push(key.to_owned());
    }
    prefixes.push(Tag::fold("ÎN"));
    let ranges = [
        TimeRange::default(),
        TimeRange {
            from: Some(tickets[3].created_at),
            to: None,
        },
        TimeRange {
            from: None,
            to: Some(tickets[9].created_at),
        },
    ];
    let departments = [
        None,
        Some(vec![]),
        Some(vec![world.departments[0]]),
        Some(vec![world.departments[1], world.departments[2]]),
    ];
    let mut checked = 0;
    for prefix in &prefixes {
        for created in &ranges {
            for departments in &departments {
                for limit in [1, 3, 100] {
                    let scope = TagScope {
                        prefix: prefix.clone(),
                        departments: departments.clone(),
                        created: *created,
                    };
                    let got = tags.tag_counts(&scope, limit).await.unwrap();
                    let want = reference.tag_counts(&scope, limit).await.unwrap();
                    // Compared by text too: a tag spelt two ways shows its least spelling.
                    let text = |v: &[crate::domain::TagCount]| -> Vec<(String, u64)> {
                        v.iter()
                            .map(|c| (c.tag.as_str().to_owned(), c.tickets))
                            .collect()
                    };
                    assert_eq!(text(&got), text(&want), "{scope:?} {limit}");
                    checked += usize::from(!want.is_empty());
                }
            }
        }
    }
    assert!(checked > 50, "the world has tags to count ({checked})");
}
