-- 0025 (issue 20): organisations' mail domains, and the members who see their
-- organisation's tickets (`OrganisationStore`).
--
-- * organisation_domains: one row per domain (lower-case, as the core's
--   `OrganisationDomain` keeps it), owned by one organisation (a customer of kind
--   organisation, checked by the library). The primary key makes a domain unique across
--   organisations.
-- * organisation_viewers: the members (customers) allowed to see the tickets of their
--   organisation; absent: not allowed.
-- Never edit this file once released: add a later migration instead.

CREATE TABLE organisation_domains (
    domain          TEXT NOT NULL PRIMARY KEY,
    organisation_id BLOB NOT NULL CHECK (length(organisation_id) = 16)
) STRICT;

CREATE INDEX organisation_domains_by_organisation
    ON organisation_domains (organisation_id, domain);

CREATE TABLE organisation_viewers (
    customer_id BLOB NOT NULL PRIMARY KEY CHECK (length(customer_id) = 16)
) STRICT;
