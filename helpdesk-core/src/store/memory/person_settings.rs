//! [`PersonSettingsStore`] for the in-memory reference store.

use async_trait::async_trait;

use super::MemoryStore;
use crate::domain::{Actor, PersonSettings};
use crate::error::{Entity, Error, Result};
use crate::store::PersonSettingsStore;

#[async_trait]
impl PersonSettingsStore for MemoryStore {
    async fn person_settings(&self, person: Actor) -> Result<PersonSettings> {
        Ok(self
            .lock()
            .person_settings
            .get(&person)
            .copied()
            .unwrap_or_default())
    }

    async fn set_person_settings(&self, person: Actor, settings: &PersonSettings) -> Result<()> {
        let mut inner = self.lock();
        match person {
            Actor::Agent(id) if !inner.agents.contains_key(&id) => {
                return Err(Error::not_found(Entity::Agent, id));
            }
            Actor::Customer(id) if !inner.customers.contains_key(&id) => {
                return Err(Error::not_found(Entity::Customer, id));
            }
            Actor::System => {
                return Err(Error::validation("person", "only a person has settings"));
            }
            _ => {}
        }
        inner.person_settings.insert(person, *settings);
        Ok(())
    }
}
