//! Sign-in accounts: logins, sessions and API tokens (see [`crate::domain::Login`] and
//! [`crate::domain::AuthToken`]).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{AccountLink, Actor, AuthToken, Login, LoginName, TokenHash};
use crate::error::Result;

/// An ability a store may offer ([`Store::as_account_store`](super::Store::as_account_store)):
/// who may sign in, and the sessions and API tokens they hold.
///
/// The contract (checked by `testkit::conformance_accounts`):
/// - An actor has at most one login, and a name belongs to one login: a name another actor's
///   login holds is [`Error::Conflict`](crate::Error::Conflict) on
///   [`Entity::Login`](crate::error::Entity::Login) with `Duplicate { field: "login" }`, and
///   nothing is written.
/// - Tokens are kept and found by the hash of their secret; a taken hash is a `Duplicate`
///   `"hash"` conflict on [`Entity::Session`](crate::error::Entity::Session).
/// - Reads return what was written, field by field (instants in whole microseconds).
/// - The store does not judge expiry: [`token`](AccountStore::token) returns an expired
///   token too, and callers compare `expires_at` with their clock. The same for links.
/// - One-time links (invitations, password resets) are kept by the hash of their secret, apart
///   from sessions and tokens (a link never signs anyone in). A person has at most one link
///   of each kind: [`put_account_link`](AccountStore::put_account_link) deletes their older
///   ones of its kind in the same step. A taken hash is a `Duplicate` `"hash"` conflict on
///   [`Entity::AccountLink`](crate::error::Entity::AccountLink), and nothing is written.
/// - [`take_account_link`](AccountStore::take_account_link) deletes and returns a link in one
///   step: of concurrent takes of one link, exactly one gets it.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Inserts the login of `login.actor`, or replaces it (name, hash and instants).
    async fn put_login(&self, login: &Login) -> Result<()>;
    /// The login with this name.
    async fn login(&self, name: &LoginName) -> Result<Option<Login>>;
    /// The login of an actor.
    async fn login_of(&self, actor: Actor) -> Result<Option<Login>>;
    /// Deletes the login of an actor (its tokens stay until deleted); whether it existed.
    async fn delete_login(&self, actor: Actor) -> Result<bool>;

    /// Stores a new session or API token.
    async fn put_token(&self, token: &AuthToken) -> Result<()>;
    /// The token with this hash, expired or not.
    async fn token(&self, hash: &TokenHash) -> Result<Option<AuthToken>>;
    /// Records a use of the token at `at` (its `last_used`); whether it exists.
    async fn touch_token(&self, hash: &TokenHash, at: DateTime<Utc>) -> Result<bool>;
    /// Deletes (revokes) one token; whether it existed.
    async fn delete_token(&self, hash: &TokenHash) -> Result<bool>;
    /// Deletes every token whose `expires_at` is at or before `now`; how many.
    async fn delete_expired_tokens(&self, now: DateTime<Utc>) -> Result<u64>;
    /// An actor's tokens of both kinds, expired ones included, oldest first (`created_at`,
    /// then hash).
    async fn tokens_of(&self, actor: Actor) -> Result<Vec<AuthToken>>;

    /// Stores a new invitation or password-reset link, deleting `link.actor`'s other links
    /// of `link.kind` in the same step (a new link revokes the older ones).
    async fn put_account_link(&self, link: &AccountLink) -> Result<()>;
    /// The link with this hash, expired or not.
    async fn account_link(&self, hash: &TokenHash) -> Result<Option<AccountLink>>;
    /// Deletes the link with this hash and returns it (of concurrent takes, one gets it).
    async fn take_account_link(&self, hash: &TokenHash) -> Result<Option<AccountLink>>;
    /// An actor's links of both kinds, expired ones included, oldest first (`created_at`,
    /// then hash).
    async fn account_links_of(&self, actor: Actor) -> Result<Vec<AccountLink>>;
    /// Deletes every link of an actor; how many.
    async fn delete_account_links_of(&self, actor: Actor) -> Result<u64>;
    /// Deletes every link whose `expires_at` is at or before `now`; how many.
    async fn delete_expired_account_links(&self, now: DateTime<Utc>) -> Result<u64>;
}
