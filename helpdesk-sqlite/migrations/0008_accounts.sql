-- 0008: sign-in accounts (`helpdesk_core::domain::{Login, AuthToken}`,
-- `helpdesk_core::store::AccountStore`): one login per agent or customer, and the sessions
-- and API tokens they hold, kept by the SHA-256 of their secret (never the secret).
--
-- Same conventions as 0001: ids are 16-byte BLOBs, instants INTEGER microseconds since the
-- epoch, enums their stable text forms. An actor is its kind and id, as in notifications;
-- neither table references agents or customers (an actor is either).
-- Never edit this file once released: add 0009_*.sql instead.

-- One login per actor; a name (lower-cased) belongs to one login.
CREATE TABLE logins (
    actor_kind     TEXT    NOT NULL CHECK (actor_kind IN ('agent', 'customer')),
    actor_id       BLOB    NOT NULL CHECK (length(actor_id) = 16),
    login          TEXT    NOT NULL UNIQUE,
    password_hash  TEXT    NOT NULL,     -- a PHC string
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (actor_kind, actor_id)
) STRICT, WITHOUT ROWID;

-- Sessions and API tokens, by the hash of their secret.
CREATE TABLE auth_tokens (
    hash        BLOB    NOT NULL PRIMARY KEY CHECK (length(hash) = 32),
    actor_kind  TEXT    NOT NULL CHECK (actor_kind IN ('agent', 'customer')),
    actor_id    BLOB    NOT NULL CHECK (length(actor_id) = 16),
    kind        TEXT    NOT NULL CHECK (kind IN ('session', 'api_token')),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    last_used   INTEGER
) STRICT, WITHOUT ROWID;

-- An actor's tokens, oldest first; and the sweep of expired ones.
CREATE INDEX auth_tokens_by_actor ON auth_tokens (actor_kind, actor_id, created_at, hash);
CREATE INDEX auth_tokens_by_expiry ON auth_tokens (expires_at);
