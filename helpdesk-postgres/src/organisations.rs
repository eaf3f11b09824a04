//! Organisations' domains and the members who see their tickets (tables
//! `organisation_domains` and `organisation_viewers`, migration 0025): [`OrganisationStore`]
//! for [`PostgresStore`].

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{CustomerId, OrganisationDomain};
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::store::OrganisationStore;
use sqlx::postgres::PgRow;

use crate::connection::PostgresStore;
use crate::error;
use crate::rows::{Reader, all, execute, optional};

/// A domain from a row of `SELECT domain`.
fn domain(row: &PgRow) -> Result<OrganisationDomain> {
    Reader::new(row, "organisation_domains").parse("domain", OrganisationDomain::parse)
}

/// A customer from a row of `SELECT id`.
fn customer_id(row: &PgRow) -> Result<CustomerId> {
    Ok(CustomerId::from_uuid(
        Reader::new(row, "customers").get::<uuid::Uuid>("id")?,
    ))
}

#[async_trait]
impl OrganisationStore for PostgresStore {
    async fn set_organisation_domains(
        &self,
        organisation: CustomerId,
        domains: &[OrganisationDomain],
    ) -> Result<()> {
        let names: Vec<String> = domains.iter().map(|d| d.as_str().to_owned()).collect();
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        sqlx::query("DELETE FROM organisation_domains WHERE organisation_id = $1")
            .bind(organisation.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        // A domain another organisation owns is left out (waiting for a concurrent writer
        // of it to finish): fewer rows than domains is the conflict, and nothing is kept.
        let inserted = sqlx::query(
            "INSERT INTO organisation_domains (domain, organisation_id) \
             SELECT d, $2 FROM unnest($1::text[]) AS d \
             ON CONFLICT (domain) DO NOTHING",
        )
        .bind(&names)
        .bind(organisation.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(error::db)?
        .rows_affected();
        if inserted != names.len() as u64 {
            tx.rollback().await.map_err(error::db)?;
            return Err(Error::duplicate(Entity::Customer, "domain"));
        }
        tx.commit().await.map_err(error::db)
    }

    async fn organisation_domains(
        &self,
        organisation: CustomerId,
    ) -> Result<Vec<OrganisationDomain>> {
        let query = sqlx::query(
            "SELECT domain FROM organisation_domains WHERE organisation_id = $1 ORDER BY domain",
        )
        .bind(organisation.as_uuid());
        all(&self.pool, query, domain).await
    }

    async fn organisation_by_domain(
        &self,
        domain: &OrganisationDomain,
    ) -> Result<Option<CustomerId>> {
        let query =
            sqlx::query("SELECT organisation_id AS id FROM organisation_domains WHERE domain = $1")
                .bind(domain.as_str());
        optional(&self.pool, query, customer_id).await
    }

    async fn set_sees_organisation_tickets(&self, customer: CustomerId, sees: bool) -> Result<()> {
        let sql = if sees {
            "INSERT INTO organisation_viewers (customer_id) VALUES ($1) \
             ON CONFLICT (customer_id) DO NOTHING"
        } else {
            "DELETE FROM organisation_viewers WHERE customer_id = $1"
        };
        execute(&self.pool, sqlx::query(sql).bind(customer.as_uuid()))
            .await
            .map(drop)
    }

    async fn sees_organisation_tickets(&self, customer: CustomerId) -> Result<bool> {
        let query = sqlx::query(
            "SELECT customer_id AS id FROM organisation_viewers WHERE customer_id = $1",
        )
        .bind(customer.as_uuid());
        Ok(optional(&self.pool, query, customer_id).await?.is_some())
    }

    async fn organisation_members(&self, organisation: CustomerId) -> Result<Vec<CustomerId>> {
        let query = sqlx::query("SELECT id FROM customers WHERE organisation_id = $1 ORDER BY id")
            .bind(organisation.as_uuid());
        all(&self.pool, query, customer_id).await
    }
}
