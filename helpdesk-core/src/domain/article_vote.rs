//! "Did this help?": one vote per person per article, and how an article's counts follow
//! it (the one rule every store applies, see
//! [`KnowledgeStore::vote_article`](crate::store::KnowledgeStore::vote_article)).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Actor, ActorKind, AgentId, Article, ArticleId, CustomerId, ValidationError};

/// Who votes on an article: a person, a customer or an agent. The system is no person and
/// has no vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Voter {
    /// A customer.
    Customer(CustomerId),
    /// An agent.
    Agent(AgentId),
}

impl Voter {
    /// The person `actor` is; `None` for the system.
    pub fn of(actor: Actor) -> Option<Self> {
        match actor {
            Actor::Customer(id) => Some(Voter::Customer(id)),
            Actor::Agent(id) => Some(Voter::Agent(id)),
            Actor::System => None,
        }
    }

    /// The person as an actor.
    pub fn actor(self) -> Actor {
        match self {
            Voter::Customer(id) => Actor::Customer(id),
            Voter::Agent(id) => Actor::Agent(id),
        }
    }

    /// Their kind, as stored ([`ActorKind::Customer`] or [`ActorKind::Agent`]).
    pub fn kind(self) -> ActorKind {
        self.actor().kind()
    }

    /// Their id.
    pub fn id(self) -> uuid::Uuid {
        match self {
            Voter::Customer(id) => id.as_uuid(),
            Voter::Agent(id) => id.as_uuid(),
        }
    }

    /// The voter stored as `kind` and `id`.
    ///
    /// # Errors
    ///
    /// A validation error for the system's kind.
    pub fn from_parts(kind: ActorKind, id: uuid::Uuid) -> Result<Self, ValidationError> {
        Voter::of(Actor::from_parts(kind, Some(id))?)
            .ok_or_else(|| ValidationError::new("voter", "the system does not vote"))
    }
}

/// One person's answer to "did this article help?", as stored: one per person per article,
/// replaced when they change their mind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleVote {
    /// The article.
    pub article: ArticleId,
    /// Who voted.
    pub voter: Voter,
    /// "This helped" (`true`) or "this did not help".
    pub helpful: bool,
    /// When they last changed it.
    pub at: DateTime<Utc>,
}

impl Article {
    /// Counts a person's vote `helpful`, given their vote before it (`previous`, `None` when
    /// they had none): a first vote adds one, a changed vote moves one from the other count,
    /// the same vote again changes nothing. Whether the counts changed (when not, nothing
    /// is to be written).
    ///
    /// Counts never go below zero: votes counted before votes were per person (anonymous
    /// tallies) stay counted, and a count that lost a person's vote is not taken below zero
    /// when they change it.
    pub fn count_vote(&mut self, previous: Option<bool>, helpful: bool) -> bool {
        if previous == Some(helpful) {
            return false;
        }
        let (gains, loses) = if helpful {
            (&mut self.helpful, &mut self.not_helpful)
        } else {
            (&mut self.not_helpful, &mut self.helpful)
        };
        *gains = gains.saturating_add(1);
        if previous.is_some() {
            *loses = loses.saturating_sub(1);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;
    use crate::domain::{ArticleStatus, ArticleTitle, Category, Language, MessageBody, Visibility};

    fn article(helpful: u32, not_helpful: u32) -> Article {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        Article {
            id: ArticleId::new(),
            title: ArticleTitle::parse("Router").unwrap(),
            body: MessageBody::parse("Restart it.").unwrap(),
            category: Category::parse("faq").unwrap(),
            language: Language::English,
            status: ArticleStatus::Published,
            visibility: Visibility::Public,
            helpful,
            not_helpful,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn a_first_vote_adds_a_change_moves_and_a_repeat_changes_nothing() {
        let mut a = article(3, 1);
        assert!(a.count_vote(None, true));
        assert_eq!((a.helpful, a.not_helpful), (4, 1));
        assert!(!a.count_vote(Some(true), true));
        assert_eq!((a.helpful, a.not_helpful), (4, 1));
        assert!(a.count_vote(Some(true), false));
        assert_eq!((a.helpful, a.not_helpful), (3, 2));
        assert!(a.count_vote(None, false));
        assert_eq!((a.helpful, a.not_helpful), (3, 3));
    }

    #[test]
    fn counts_never_go_below_zero_or_wrap() {
        let mut a = article(0, u32::MAX);
        assert!(a.count_vote(Some(true), false));
        assert_eq!((a.helpful, a.not_helpful), (0, u32::MAX));
    }

    #[test]
    fn voters_are_people_stored_as_kind_and_id() {
        let ana = Voter::Customer(CustomerId::new());
        let ivan = Voter::Agent(AgentId::new());
        for v in [ana, ivan] {
            assert_eq!(Voter::from_parts(v.kind(), v.id()), Ok(v));
            assert_eq!(Voter::of(v.actor()), Some(v));
        }
        assert_eq!(Voter::of(Actor::System), None);
        assert!(Voter::from_parts(ActorKind::System, uuid::Uuid::nil()).is_err());
    }

    proptest! {
        /// After any votes by a few people, the counts are the tallies from before plus
        /// each person's last vote, once.
        #[test]
        fn counts_are_the_tallies_plus_each_persons_last_vote(
            start in (0u32..5, 0u32..5),
            votes in proptest::collection::vec((0usize..4, any::<bool>()), 0..40),
        ) {
            let mut a = article(start.0, start.1);
            let mut last: HashMap<usize, bool> = HashMap::new();
            for (person, helpful) in votes {
                let previous = last.insert(person, helpful);
                prop_assert_eq!(a.count_vote(previous, helpful), previous != Some(helpful));
            }
            let yes = last.values().filter(|h| **h).count() as u32;
            let no = last.len() as u32 - yes;
            prop_assert_eq!((a.helpful, a.not_helpful), (start.0 + yes, start.1 + no));
        }
    }
}
