//! Who wrote each message of a ticket's thread, as the page labels it (issue 21, problem 5):
//! the customer by name, an agent by name (customers see "Support" for agents), the desk as
//! "System". Internal notes are marked as such beside the author.

use helpdesk::domain::{Actor, Agent, Customer, Language};

use super::layout::t;

/// The names a thread's authors are labelled with.
pub(crate) struct Authors<'a> {
    /// The page's language.
    pub lang: Language,
    /// The agents (empty on a customer's page: agents are "Support" there).
    pub agents: &'a [Agent],
    /// The ticket's customer, when the reader may see their record.
    pub customer: Option<&'a Customer>,
}

impl Authors<'_> {
    /// The label of a message written by `actor`.
    pub(crate) fn label(&self, actor: Actor) -> String {
        let lang = self.lang;
        match actor {
            Actor::Agent(id) => self.agents.iter().find(|a| a.id == id).map_or_else(
                || t(lang, "author_support").to_owned(),
                |a| a.name.to_string(),
            ),
            Actor::Customer(id) => match self.customer {
                Some(c) if c.id == id => c.name.to_string(),
                _ => t(lang, "author_customer").to_owned(),
            },
            Actor::System => t(lang, "author_system").to_owned(),
        }
    }
}
