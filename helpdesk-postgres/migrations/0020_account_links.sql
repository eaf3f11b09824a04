-- helpdesk-postgres, schema version 20 (issue 18): one-time links that set a password
-- (`helpdesk_core::domain::AccountLink`): invitations and password resets, kept by the
-- SHA-256 of their secret (never the secret), apart from sessions and API tokens, since a
-- link never signs anyone in.
--
-- Same conventions as 0008: enums their stable texts, named unique constraints, an actor its
-- kind and id. A person has at most one link of each kind (the store deletes the older one
-- when it writes a new one).
CREATE TABLE account_links (
    hash        bytea       NOT NULL CHECK (length(hash) = 32),
    actor_kind  text        NOT NULL CHECK (actor_kind IN ('agent', 'customer')),
    actor_id    uuid        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('invitation', 'password_reset')),
    login       text        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    CONSTRAINT account_links_pkey PRIMARY KEY (hash)
);

-- A person's links, oldest first; and the sweep of expired ones.
CREATE INDEX account_links_actor_idx ON account_links (actor_kind, actor_id, created_at, hash);
CREATE INDEX account_links_expiry_idx ON account_links (expires_at);
