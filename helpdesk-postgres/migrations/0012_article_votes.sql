-- One vote per person per knowledge-base article (issue 24): "did this help?" counts a
-- customer's or an agent's answer once, and their changed answer moves it.
--
-- An article's `helpful` and `not_helpful` stay its counts. The votes counted before this
-- migration were anonymous: they stay counted there, with no row here, so the counts read
-- the same after it. From now on each person's vote has one row, and `vote_article` moves
-- the counts by the rule of `Article::count_vote` given the row it replaces (with the
-- article's row locked, so that one person's concurrent votes count once).
CREATE TABLE article_votes (
    voter_kind text        NOT NULL CHECK (voter_kind IN ('customer', 'agent')),
    voter_id   uuid        NOT NULL,
    article_id uuid        NOT NULL REFERENCES articles (id),
    helpful    boolean     NOT NULL,
    voted_at   timestamptz NOT NULL,
    PRIMARY KEY (voter_kind, voter_id, article_id)
);
