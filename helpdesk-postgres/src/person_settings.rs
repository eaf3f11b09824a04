//! People's own settings (tables `agent_settings` and `customer_settings`, migration 0044):
//! [`PersonSettingsStore`] for [`PostgresStore`].

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{Actor, Language, PersonSettings, TimeZone};
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::store::PersonSettingsStore;
use sqlx::postgres::PgRow;

use crate::connection::PostgresStore;
use crate::rows::{Reader, execute, optional};

/// The statements of `person`'s kind: its read and its write (written only for a person in
/// the directory: no row written is the missing person), and the person's key.
fn statements(person: Actor) -> Result<(&'static str, &'static str, uuid::Uuid)> {
    match person {
        Actor::Agent(id) => Ok((
            "SELECT time_zone, language FROM agent_settings WHERE agent_id = $1",
            "INSERT INTO agent_settings (agent_id, time_zone, language) \
             SELECT id, $2, $3 FROM agents WHERE id = $1 \
             ON CONFLICT (agent_id) DO UPDATE \
             SET time_zone = excluded.time_zone, language = excluded.language",
            id.as_uuid(),
        )),
        Actor::Customer(id) => Ok((
            "SELECT time_zone, language FROM customer_settings WHERE customer_id = $1",
            "INSERT INTO customer_settings (customer_id, time_zone, language) \
             SELECT id, $2, $3 FROM customers WHERE id = $1 \
             ON CONFLICT (customer_id) DO UPDATE \
             SET time_zone = excluded.time_zone, language = excluded.language",
            id.as_uuid(),
        )),
        Actor::System => Err(Error::validation("person", "only a person has settings")),
    }
}

/// Settings from a row of `SELECT time_zone, language`.
fn settings(row: &PgRow) -> Result<PersonSettings> {
    let r = Reader::new(row, "person_settings");
    Ok(PersonSettings {
        time_zone: r.parse_opt("time_zone", |t| TimeZone::parse(&t))?,
        language: r.text_opt::<Language>("language")?,
    })
}

#[async_trait]
impl PersonSettingsStore for PostgresStore {
    async fn person_settings(&self, person: Actor) -> Result<PersonSettings> {
        let (read, _, id) = statements(person)?;
        let found = optional(&self.pool, sqlx::query(read).bind(id), settings).await?;
        Ok(found.unwrap_or_default())
    }

    async fn set_person_settings(&self, person: Actor, settings: &PersonSettings) -> Result<()> {
        let (_, write, id) = statements(person)?;
        let query = sqlx::query(write)
            .bind(id)
            .bind(settings.time_zone.map(TimeZone::name))
            .bind(settings.language.map(Language::as_str));
        if execute(&self.pool, query).await? == 0 {
            return Err(match person {
                Actor::Customer(c) => Error::not_found(Entity::Customer, c),
                _ => Error::not_found(Entity::Agent, id),
            });
        }
        Ok(())
    }
}
