//! People's own settings (tables `agent_settings` and `customer_settings`, migration 0044):
//! [`PersonSettingsStore`] for [`SqliteStore`].

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{Actor, Language, PersonSettings, TimeZone};
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::store::PersonSettingsStore;
use rusqlite::{OptionalExtension, Row, TransactionBehavior};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::{Reader, blob};

/// The table of `person`'s kind, its directory table and key column, and the person's key.
fn place(person: Actor) -> Result<(&'static str, &'static str, &'static str, [u8; 16])> {
    match person {
        Actor::Agent(id) => Ok(("agent_settings", "agents", "agent_id", blob(id.as_uuid()))),
        Actor::Customer(id) => Ok((
            "customer_settings",
            "customers",
            "customer_id",
            blob(id.as_uuid()),
        )),
        Actor::System => Err(Error::validation("person", "only a person has settings")),
    }
}

/// The error for a person missing from the directory.
pub(crate) fn missing(person: Actor) -> Error {
    match person {
        Actor::Agent(id) => Error::not_found(Entity::Agent, id),
        Actor::Customer(id) => Error::not_found(Entity::Customer, id),
        Actor::System => Error::validation("person", "only a person has settings"),
    }
}

fn read_settings(row: &Row<'_>) -> Outcome<PersonSettings> {
    let r = Reader::new(row, "person_settings");
    Ok(PersonSettings {
        time_zone: r.parse_opt("time_zone", |t| TimeZone::parse(&t))?,
        language: r.text_opt::<Language>("language")?,
    })
}

#[async_trait]
impl PersonSettingsStore for SqliteStore {
    async fn person_settings(&self, person: Actor) -> Result<PersonSettings> {
        let (table, _, key, id) = place(person)?;
        let sql = format!("SELECT time_zone, language FROM {table} WHERE {key} = ?1");
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query([id])?;
            match rows.next()? {
                Some(row) => read_settings(row),
                None => Ok(PersonSettings::default()),
            }
        })
        .await
    }

    async fn set_person_settings(&self, person: Actor, settings: &PersonSettings) -> Result<()> {
        let (table, directory, key, id) = place(person)?;
        let zone = settings.time_zone.map(TimeZone::name);
        let language = settings.language.map(Language::as_str);
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let known: Option<i64> = tx
                .prepare_cached(&format!("SELECT 1 FROM {directory} WHERE id = ?1"))?
                .query_row([id], |r| r.get(0))
                .optional()?;
            if known.is_none() {
                return Err(missing(person).into());
            }
            tx.prepare_cached(&format!(
                "INSERT INTO {table} ({key}, time_zone, language) VALUES (?1, ?2, ?3)
                 ON CONFLICT ({key}) DO UPDATE
                 SET time_zone = excluded.time_zone, language = excluded.language"
            ))?
            .execute((id, zone, language))?;
            tx.commit()?;
            Ok(())
        })
        .await
    }
}
