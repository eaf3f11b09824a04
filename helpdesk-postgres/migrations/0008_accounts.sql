-- helpdesk-postgres, schema version 8: sign-in accounts
-- (`helpdesk_core::domain::{Login, AuthToken}`, `helpdesk_core::store::AccountStore`): one
-- login per agent or customer, and the sessions and API tokens they hold, kept by the
-- SHA-256 of their secret (never the secret).
--
-- Same conventions as 0001: enums are their stable text forms, unique constraints are named
-- (the store maps their violations onto Error::Conflict by name). An actor is its kind and
-- id, as in notifications; neither table references agents or customers (an actor is
-- either).

-- One login per actor; a name (lower-cased) belongs to one login.
CREATE TABLE logins (
    actor_kind     text        NOT NULL CHECK (actor_kind IN ('agent', 'customer')),
    actor_id       uuid        NOT NULL,
    login          text        NOT NULL,
    password_hash  text        NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT logins_pkey PRIMARY KEY (actor_kind, actor_id),
    CONSTRAINT logins_login_key UNIQUE (login)
);

-- Sessions and API tokens, by the hash of their secret.
CREATE TABLE auth_tokens (
    hash        bytea       NOT NULL CHECK (length(hash) = 32),
    actor_kind  text        NOT NULL CHECK (actor_kind IN ('agent', 'customer')),
    actor_id    uuid        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('session', 'api_token')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    last_used   timestamptz,
    CONSTRAINT auth_tokens_pkey PRIMARY KEY (hash)
);

-- An actor's tokens, oldest first; and the sweep of expired ones.
CREATE INDEX auth_tokens_actor_idx ON auth_tokens (actor_kind, actor_id, created_at, hash);
CREATE INDEX auth_tokens_expiry_idx ON auth_tokens (expires_at);
