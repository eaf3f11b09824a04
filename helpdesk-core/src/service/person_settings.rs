//! People's own settings (issue 21): the time zone every page shows dates and times in, and
//! the language of a staff member's pages (a customer's language is their profile's,
//! [`Acting::set_own_language`]). Each person reads and sets their own only.

use super::{Acting, Helpdesk, Principal};
use crate::domain::{Actor, Language, PersonSettings, TimeZone};
use crate::error::{Ability, Error, ForbiddenReason, Result};

impl Helpdesk {
    /// The stored settings of `person`: none chosen for the system, or when the store keeps
    /// no settings.
    pub async fn person_settings(&self, person: Actor) -> Result<PersonSettings> {
        match (person, self.store.as_person_settings_store()) {
            (Actor::System, _) | (_, None) => Ok(PersonSettings::default()),
            (_, Some(store)) => store.person_settings(person).await,
        }
    }
}

impl Acting {
    /// The actor's own settings, a customer's language taken from their profile.
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] (people only) for the system.
    pub async fn own_settings(&self) -> Result<PersonSettings> {
        let mut settings = self.desk.person_settings(self.actor()).await?;
        match &self.principal {
            Principal::Customer(c) => settings.language = c.language,
            Principal::Agent(_) => {}
            Principal::System => return Err(Error::forbidden(ForbiddenReason::PeopleOnly)),
        }
        Ok(settings)
    }

    /// Changes the actor's own settings: the time zone and the page language when given
    /// (a customer's language is stored on their profile); the rest stays. Returns them as
    /// stored.
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] (people only) for the system; [`Error::Unsupported`] when the
    /// store keeps no settings.
    pub async fn change_own_settings(
        &self,
        time_zone: Option<TimeZone>,
        language: Option<Language>,
    ) -> Result<PersonSettings> {
        let store = self
            .desk
            .store
            .as_person_settings_store()
            .ok_or(Error::unsupported(Ability::PersonSettings))?;
        let mut settings = self.own_settings().await?;
        let actor = self.actor();
        if let (Actor::Customer(_), Some(lang)) = (actor, language) {
            self.set_own_language(lang).await?;
            settings.language = Some(lang);
        }
        let mut stored = store.person_settings(actor).await?;
        let before = stored;
        if let Some(zone) = time_zone {
            stored.time_zone = Some(zone);
            settings.time_zone = Some(zone);
        }
        if let (Actor::Agent(_), Some(lang)) = (actor, language) {
            stored.language = Some(lang);
            settings.language = Some(lang);
        }
        if stored != before {
            store.set_person_settings(actor, &stored).await?;
        }
        Ok(settings)
    }
}
