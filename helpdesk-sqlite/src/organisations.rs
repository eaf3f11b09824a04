//! Organisations' domains and the members who see their tickets (tables
//! `organisation_domains` and `organisation_viewers`, migration 0025): [`OrganisationStore`]
//! for [`SqliteStore`].

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{CustomerId, OrganisationDomain};
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::store::OrganisationStore;
use rusqlite::{OptionalExtension, Row, TransactionBehavior};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::{Reader, all, blob, first};

/// A domain from a row of `SELECT domain`.
fn read_domain(row: &Row<'_>) -> Outcome<OrganisationDomain> {
    Reader::new(row, "organisation_domains").parse("domain", OrganisationDomain::parse)
}

/// A customer from a row of `SELECT id`.
fn read_id(row: &Row<'_>) -> Outcome<CustomerId> {
    Ok(CustomerId::from_uuid(
        Reader::new(row, "customers").uuid("id")?,
    ))
}

#[async_trait]
impl OrganisationStore for SqliteStore {
    async fn set_organisation_domains(
        &self,
        organisation: CustomerId,
        domains: &[OrganisationDomain],
    ) -> Result<()> {
        let org = blob(organisation.as_uuid());
        let domains: Vec<String> = domains.iter().map(|d| d.as_str().to_owned()).collect();
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for d in &domains {
                let taken: Option<i64> = tx
                    .prepare_cached(
                        "SELECT 1 FROM organisation_domains
                         WHERE domain = ?1 AND organisation_id <> ?2",
                    )?
                    .query_row((d, org), |r| r.get(0))
                    .optional()?;
                if taken.is_some() {
                    return Err(Error::duplicate(Entity::Customer, "domain").into());
                }
            }
            tx.prepare_cached("DELETE FROM organisation_domains WHERE organisation_id = ?1")?
                .execute([org])?;
            for d in &domains {
                tx.prepare_cached(
                    "INSERT INTO organisation_domains (domain, organisation_id) VALUES (?1, ?2)",
                )?
                .execute((d, org))?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn organisation_domains(
        &self,
        organisation: CustomerId,
    ) -> Result<Vec<OrganisationDomain>> {
        let org = blob(organisation.as_uuid());
        self.read(move |conn| {
            let sql = "SELECT domain FROM organisation_domains
                       WHERE organisation_id = ?1 ORDER BY domain";
            all(conn, sql, [org], read_domain)
        })
        .await
    }

    async fn organisation_by_domain(
        &self,
        domain: &OrganisationDomain,
    ) -> Result<Option<CustomerId>> {
        let domain = domain.as_str().to_owned();
        self.read(move |conn| {
            let sql = "SELECT organisation_id AS id FROM organisation_domains WHERE domain = ?1";
            first(conn, sql, [domain], read_id)
        })
        .await
    }

    async fn set_sees_organisation_tickets(&self, customer: CustomerId, sees: bool) -> Result<()> {
        let id = blob(customer.as_uuid());
        self.write(move |conn| {
            let sql = if sees {
                "INSERT INTO organisation_viewers (customer_id) VALUES (?1)
                 ON CONFLICT (customer_id) DO NOTHING"
            } else {
                "DELETE FROM organisation_viewers WHERE customer_id = ?1"
            };
            conn.prepare_cached(sql)?.execute([id])?;
            Ok(())
        })
        .await
    }

    async fn sees_organisation_tickets(&self, customer: CustomerId) -> Result<bool> {
        let id = blob(customer.as_uuid());
        self.read(move |conn| {
            let found: Option<i64> = conn
                .prepare_cached("SELECT 1 FROM organisation_viewers WHERE customer_id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            Ok(found.is_some())
        })
        .await
    }

    async fn organisation_members(&self, organisation: CustomerId) -> Result<Vec<CustomerId>> {
        let org = blob(organisation.as_uuid());
        self.read(move |conn| {
            let sql = "SELECT id FROM customers WHERE organisation_id = ?1 ORDER BY id";
            all(conn, sql, [org], read_id)
        })
        .await
    }
}
