-- 0020 (issue 18): one-time links that set a password (`helpdesk_core::domain::AccountLink`):
-- invitations and password resets, kept by the SHA-256 of their secret (never the secret),
-- apart from sessions and API tokens, since a link never signs anyone in.
--
-- Same conventions as 0008: instants INTEGER microseconds, enums their stable texts, an
-- actor its kind and id. A person has at most one link of each kind (the store deletes the
-- older one when it writes a new one).
CREATE TABLE account_links (
    hash        BLOB    NOT NULL PRIMARY KEY CHECK (length(hash) = 32),
    actor_kind  TEXT    NOT NULL CHECK (actor_kind IN ('agent', 'customer')),
    actor_id    BLOB    NOT NULL CHECK (length(actor_id) = 16),
    kind        TEXT    NOT NULL CHECK (kind IN ('invitation', 'password_reset')),
    login       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- A person's links, oldest first; and the sweep of expired ones.
CREATE INDEX account_links_by_actor ON account_links (actor_kind, actor_id, created_at, hash);
CREATE INDEX account_links_by_expiry ON account_links (expires_at);
