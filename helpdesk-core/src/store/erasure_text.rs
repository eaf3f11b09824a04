//! What an erasure rewrites in the records it keeps (issue 22, item 4): the personal text of
//! a ticket's history, of its satisfaction rating and priority request, the customer's
//! address where another ticket's history or mail names it, and the saved searches that
//! name the customer. Written once here; a backend selects the candidate rows (by
//! [`PERSONAL_CHANGE_KINDS`], [`ADDRESS_CHANGE_KIND`] and the address), applies these
//! functions and writes back what they return, in the erasure's transaction.
//!
//! The rule:
//! - In the history of an anonymised ticket, the subject at creation and every custom-field
//!   value recorded by a change are replaced by [`ANONYMISED`] and dropped, a satisfaction
//!   comment is dropped, a priority request's reason is replaced, and the address a thread
//!   was e-mailed to becomes [`anonymised_address`]. Kinds, actors and instants stay, so
//!   reports keep counting. (An erased ticket's history goes with it.)
//! - In the history of any ticket, the customer's address as the one a thread was e-mailed
//!   to becomes [`anonymised_address`]; in mail kept in the outbox for other tickets, their
//!   address leaves its copy (CC) list.
//! - An agent's saved search whose filter names the customer, or whose query holds their
//!   address, is deleted: it would tell whom it was about.

use crate::domain::{Change, CustomFields, Email, PriorityRequest, Satisfaction, ShortNote};
use crate::search::SavedSearch;

use super::erasure::{ANONYMISED, ErasureMode, ErasurePlan};

/// The address that replaces an e-mail address an erasure removes from history.
pub const ANONYMISED_ADDRESS: &str = "anonymised@anonymised.invalid";

/// The kinds of history entries ([`Change::kind`]) that may carry personal text: the ones
/// [`ErasurePlan::anonymised_change`] may rewrite.
pub const PERSONAL_CHANGE_KINDS: [&str; 5] = [
    "created",
    "custom_fields_changed",
    "satisfaction_rated",
    "priority_requested",
    ADDRESS_CHANGE_KIND,
];

/// The kind of history entry that names an e-mail address (a thread e-mailed to it): the one
/// [`ErasurePlan::change_without_address`] may rewrite, on any ticket. Its address is stored
/// as the `to` member of the change's JSON.
pub const ADDRESS_CHANGE_KIND: &str = "thread_emailed";

/// [`ANONYMISED_ADDRESS`] as an address.
pub fn anonymised_address() -> Email {
    // The constant is a valid address (a test below says so).
    Email::parse(ANONYMISED_ADDRESS).unwrap_or_else(|_| unreachable!("a valid address"))
}

/// The placeholder as a short note.
fn anonymised_note() -> ShortNote {
    ShortNote::parse(ANONYMISED).unwrap_or_else(|_| ShortNote::empty())
}

impl ErasurePlan {
    /// Whether the plan's tickets are anonymised (kept with their personal text replaced).
    fn anonymises(&self) -> bool {
        self.mode == ErasureMode::Anonymise
    }

    /// `change`, an entry of the history of one of the plan's tickets, as an anonymisation
    /// leaves it, or `None` when it stays as it is (erasing removes the whole history; an
    /// entry with no personal text stays).
    pub fn anonymised_change(&self, change: &Change) -> Option<Change> {
        if !self.anonymises() {
            return None;
        }
        let changed = match change {
            Change::Created { subject, .. } => {
                let placeholder = crate::domain::Subject::parse(ANONYMISED).ok()?;
                if *subject == placeholder {
                    return None;
                }
                let mut c = change.clone();
                if let Change::Created { subject, .. } = &mut c {
                    *subject = placeholder;
                }
                c
            }
            Change::CustomFieldsChanged { from, to } => {
                if from.is_empty() && to.is_empty() {
                    return None;
                }
                Change::CustomFieldsChanged {
                    from: CustomFields::default(),
                    to: CustomFields::default(),
                }
            }
            Change::SatisfactionRated { score, comment } => {
                comment.as_ref()?;
                Change::SatisfactionRated {
                    score: *score,
                    comment: None,
                }
            }
            Change::PriorityRequested { priority, reason } => {
                let placeholder = anonymised_note();
                if *reason == placeholder {
                    return None;
                }
                Change::PriorityRequested {
                    priority: *priority,
                    reason: placeholder,
                }
            }
            Change::ThreadEmailed { to } => {
                let placeholder = anonymised_address();
                if *to == placeholder {
                    return None;
                }
                Change::ThreadEmailed { to: placeholder }
            }
            _ => return None,
        };
        Some(changed)
    }

    /// `change`, an entry of any ticket's history, without the plan's address, or `None`
    /// when it does not name it.
    pub fn change_without_address(&self, change: &Change) -> Option<Change> {
        let address = self.address.as_ref()?;
        match change {
            Change::ThreadEmailed { to } if to == address => Some(Change::ThreadEmailed {
                to: anonymised_address(),
            }),
            _ => None,
        }
    }

    /// The rating of one of the plan's tickets as an anonymisation leaves it (without its
    /// comment), or `None` when it stays as it is.
    pub fn anonymised_satisfaction(&self, rating: &Satisfaction) -> Option<Satisfaction> {
        (self.anonymises() && rating.comment.is_some()).then(|| Satisfaction {
            comment: None,
            ..rating.clone()
        })
    }

    /// The pending priority request of one of the plan's tickets as an anonymisation leaves
    /// it (its reason replaced), or `None` when it stays as it is.
    pub fn anonymised_priority_request(
        &self,
        request: &PriorityRequest,
    ) -> Option<PriorityRequest> {
        let placeholder = anonymised_note();
        (self.anonymises() && request.reason != placeholder).then(|| PriorityRequest {
            reason: placeholder,
            ..request.clone()
        })
    }

    /// The copy list of a mail kept for another ticket without the plan's address, or
    /// `None` when it does not hold it.
    pub fn cc_without_address(&self, cc: &[Email]) -> Option<Vec<Email>> {
        let address = self.address.as_ref()?;
        cc.contains(address)
            .then(|| cc.iter().filter(|a| *a != address).cloned().collect())
    }

    /// Whether an agent's saved search names the plan's customer (in its filter) or their
    /// address (in its query), and so goes.
    pub fn names_in_saved_search(&self, saved: &SavedSearch) -> bool {
        let by_filter = self.customer.is_some_and(|id| {
            saved.filter.customer == Some(id)
                || (saved.filter.customers.as_ref()).is_some_and(|all| all.contains(&id))
        });
        let by_query = match (&self.address, &saved.query) {
            (Some(address), Some(query)) => query.to_lowercase().contains(address.as_str()),
            _ => false,
        };
        by_filter || by_query
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::domain::{
        Actor, AgentId, Channel, CustomerId, DepartmentId, FieldValue, Name, Priority, Rating,
        SavedSearchId, Status, Subject, TicketId, TicketType,
    };
    use crate::store::{ErasureCause, ErasureRecord, TicketFilter, TicketOrder};

    fn plan(mode: ErasureMode) -> ErasurePlan {
        ErasurePlan {
            mode,
            tickets: vec![TicketId::new()],
            customer: Some(CustomerId::new()),
            address: Some(Email::parse("ana@example.ro").unwrap()),
            placeholder: None,
            record: ErasureRecord {
                mode,
                cause: ErasureCause::Request,
                actor: Actor::System,
                at: Utc.timestamp_opt(0, 0).unwrap(),
                tickets: 1,
                customer: true,
            },
        }
    }

    fn created(subject: &str) -> Change {
        Change::Created {
            subject: Subject::parse(subject).unwrap(),
            department: DepartmentId::new(),
            status: Status::New,
            priority: Priority::Normal,
            ticket_type: TicketType::Question,
            channel: Channel::Email,
            internal: false,
            follow_up_of: None,
        }
    }

    #[test]
    fn the_replacement_address_is_valid() {
        assert_eq!(anonymised_address().as_str(), ANONYMISED_ADDRESS);
    }

    #[test]
    fn anonymising_replaces_every_personal_text_of_the_history_and_keeps_the_kind() {
        let p = plan(ErasureMode::Anonymise);
        let fields = CustomFields::new()
            .with("phone", FieldValue::Text("+40 721 000 000".into()))
            .unwrap();
        let personal = [
            created("Ana's router"),
            Change::CustomFieldsChanged {
                from: CustomFields::default(),
                to: fields,
            },
            Change::SatisfactionRated {
                score: Rating::new(5).unwrap(),
                comment: Some(ShortNote::parse("Thanks, Ana").unwrap()),
            },
            Change::PriorityRequested {
                priority: Priority::High,
                reason: ShortNote::parse("Ana's shop is down").unwrap(),
            },
            Change::ThreadEmailed {
                to: Email::parse("boss@example.ro").unwrap(),
            },
        ];
        for change in &personal {
            assert!(PERSONAL_CHANGE_KINDS.contains(&change.kind()));
            let after = p.anonymised_change(change).expect("rewritten");
            assert_eq!(after.kind(), change.kind());
            let text = format!("{after:?}");
            assert!(!text.contains("Ana") && !text.contains("boss") && !text.contains("721"));
            assert_eq!(p.anonymised_change(&after), None, "once is enough");
            assert_eq!(plan(ErasureMode::Erase).anonymised_change(change), None);
        }
        let plain = Change::StatusChanged {
            from: Status::New,
            to: Status::Open,
        };
        assert_eq!(p.anonymised_change(&plain), None);
    }

    #[test]
    fn the_customers_address_leaves_the_history_and_copy_lists_of_other_tickets() {
        for mode in [ErasureMode::Erase, ErasureMode::Anonymise] {
            let p = plan(mode);
            let theirs = Email::parse("Ana@Example.ro").unwrap();
            let other = Email::parse("dan@example.ro").unwrap();
            let change = Change::ThreadEmailed { to: theirs.clone() };
            assert_eq!(change.kind(), ADDRESS_CHANGE_KIND);
            assert_eq!(
                p.change_without_address(&change),
                Some(Change::ThreadEmailed {
                    to: anonymised_address()
                })
            );
            let kept = Change::ThreadEmailed { to: other.clone() };
            assert_eq!(p.change_without_address(&kept), None);
            assert_eq!(
                p.cc_without_address(&[other.clone(), theirs]),
                Some(vec![other.clone()])
            );
            assert_eq!(p.cc_without_address(std::slice::from_ref(&other)), None);
        }
    }

    #[test]
    fn anonymising_drops_the_rating_comment_and_the_request_reason() {
        let p = plan(ErasureMode::Anonymise);
        let at = Utc.timestamp_opt(0, 0).unwrap();
        let rating = Satisfaction {
            score: Rating::new(2).unwrap(),
            comment: Some(ShortNote::parse("Ana is angry").unwrap()),
            at,
        };
        let after = p.anonymised_satisfaction(&rating).unwrap();
        assert_eq!(
            (after.score, after.comment, after.at),
            (rating.score, None, at)
        );
        let request = PriorityRequest {
            priority: Priority::Urgent,
            reason: ShortNote::parse("call Ana").unwrap(),
            at,
        };
        let after = p.anonymised_priority_request(&request).unwrap();
        assert_eq!(after.reason.as_str(), ANONYMISED);
        assert_eq!(p.anonymised_priority_request(&after), None);
        assert_eq!(
            plan(ErasureMode::Erase).anonymised_satisfaction(&rating),
            None
        );
    }

    #[test]
    fn a_saved_search_naming_the_customer_goes() {
        let p = plan(ErasureMode::Anonymise);
        let saved = |query: Option<&str>, filter: TicketFilter| SavedSearch {
            id: SavedSearchId::new(),
            agent: AgentId::new(),
            name: Name::parse("Mine").unwrap(),
            query: query.map(str::to_owned),
            filter,
            order: TicketOrder::default(),
            created_at: Utc.timestamp_opt(0, 0).unwrap(),
        };
        let theirs = TicketFilter {
            customer: p.customer,
            ..TicketFilter::default()
        };
        let among = TicketFilter {
            customers: Some(vec![CustomerId::new(), p.customer.unwrap()]),
            ..TicketFilter::default()
        };
        assert!(p.names_in_saved_search(&saved(None, theirs)));
        assert!(p.names_in_saved_search(&saved(None, among)));
        assert!(
            p.names_in_saved_search(&saved(Some("from ANA@example.ro"), TicketFilter::default()))
        );
        assert!(!p.names_in_saved_search(&saved(Some("router"), TicketFilter::default())));
    }
}
