//! The rules an import follows ([`Restore`]): the header first and of a version this build
//! reads; the directory before what names it; every id, ticket number and reference
//! resolved within the export; the trailer's counts equal to what came. A record that breaks
//! a rule is refused before anything of it is written.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::record::{FORMAT, Header, READS, Record, TicketRecord, Trailer, VERSION};
use crate::domain::{Actor, AgentId, CustomerId, CustomerKind, DepartmentId, TicketId};
use crate::error::{Error, Result};
use crate::store::{BlobKey, TicketWrite};

/// What a restore has taken so far; at the end, equal to the trailer's counts.
pub type RestoreCounts = Trailer;

/// Where a restore is: records must come in the format's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Start,
    Directory,
    Tickets,
    /// Webhook endpoints and their deliveries (version 3), after the tickets.
    Endpoints,
    Done,
}

/// Checks the records of an export one by one, in order, and turns tickets into the writes
/// that restore them exactly (their ids, numbers, versions and times).
///
/// ```
/// use chrono::Utc;
/// use helpdesk_core::export::{Header, Record, Restore, Trailer};
/// let mut restore = Restore::new();
/// restore.check(&Record::Header(Header::new(Utc::now(), 7))).unwrap();
/// restore.check(&Record::Trailer(Trailer::default())).unwrap();
/// assert_eq!(restore.sequence(), 7);
/// assert!(restore.is_done());
/// ```
#[derive(Debug)]
pub struct Restore {
    phase: Phase,
    sequence: u64,
    /// The header's version.
    pub(super) version: u32,
    pub(super) departments: HashSet<DepartmentId>,
    pub(super) agents: HashSet<AgentId>,
    pub(super) customers: HashMap<CustomerId, CustomerKind>,
    tickets: HashSet<TicketId>,
    numbers: HashSet<String>,
    /// Tickets named as master, merge target or original before they came.
    pending_links: BTreeSet<TicketId>,
    attachments: HashSet<BlobKey>,
    /// The ids of the messages (0), history entries (1) and time entries (2) met so far.
    children: HashSet<(u8, uuid::Uuid)>,
    /// What the records of version 3 named so far.
    pub(super) seen: super::restore_v3::Seen,
    pub(super) counts: RestoreCounts,
}

impl Default for Restore {
    fn default() -> Self {
        Self::new()
    }
}

/// A refusal on `field`, naming what is wrong.
pub(super) fn refuse(field: &'static str, message: impl Into<String>) -> Error {
    Error::validation(field, message.into())
}

impl Restore {
    /// A restore that has seen nothing yet.
    pub fn new() -> Self {
        Self {
            phase: Phase::Start,
            sequence: 0,
            version: 0,
            departments: HashSet::new(),
            agents: HashSet::new(),
            customers: HashMap::new(),
            tickets: HashSet::new(),
            numbers: HashSet::new(),
            pending_links: BTreeSet::new(),
            attachments: HashSet::new(),
            children: HashSet::new(),
            seen: Default::default(),
            counts: RestoreCounts::default(),
        }
    }

    /// The exporting desk's sequence, from the header.
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    /// Whether the trailer came and matched.
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// What has been taken so far.
    pub fn counts(&self) -> &RestoreCounts {
        &self.counts
    }

    /// Checks `record`, the next one of the stream, and takes note of it.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] when the record breaks a rule: a stream not starting with a
    /// header of this format and a version this build reads; a record out of order or after
    /// the trailer; an id or ticket number met twice; a reference to a department, agent,
    /// customer or ticket the export does not hold; a message, history entry or time entry
    /// of another ticket; a trailer whose counts differ from what came. From version 3: such
    /// a record in an older stream; a login, person's settings, preferences, vote, rule run,
    /// mailbox or webhook delivery naming a person, department, rule or endpoint the export
    /// does not hold before it; a person with two logins or a login name twice; an article
    /// whose counts are lower than its votes; a ticket after the webhook endpoints.
    pub fn check(&mut self, record: &Record) -> Result<()> {
        if self.phase == Phase::Done {
            return Err(refuse("record", "a record after the trailer"));
        }
        match record {
            Record::Header(header) => self.header(header),
            _ if self.phase == Phase::Start => Err(refuse(
                "record",
                "the export does not start with its header",
            )),
            Record::Department(d) => {
                self.directory()?;
                if !self.departments.insert(d.id) {
                    return Err(refuse("department", format!("department {} twice", d.id)));
                }
                self.counts.departments += 1;
                Ok(())
            }
            Record::Agent(a) => {
                self.directory()?;
                if let Some(d) = a.departments.keys().find(|d| !self.departments.contains(d)) {
                    return Err(refuse(
                        "department",
                        format!("agent {} is in department {d}, not in the export", a.id),
                    ));
                }
                if !self.agents.insert(a.id) {
                    return Err(refuse("agent", format!("agent {} twice", a.id)));
                }
                self.counts.agents += 1;
                Ok(())
            }
            Record::Customer(c) => {
                self.directory()?;
                if let Some(o) = c.organisation
                    && self.customers.get(&o) != Some(&CustomerKind::Organisation)
                {
                    return Err(refuse(
                        "organisation",
                        format!("customer {}: organisation {o} does not come before", c.id),
                    ));
                }
                if self.customers.insert(c.id, c.kind).is_some() {
                    return Err(refuse("customer", format!("customer {} twice", c.id)));
                }
                self.counts.customers += 1;
                Ok(())
            }
            Record::Setting(_) => {
                self.directory()?;
                self.counts.settings += 1;
                Ok(())
            }
            Record::Organisation {
                organisation,
                viewers,
                ..
            } => {
                self.directory()?;
                if self.customers.get(organisation) != Some(&CustomerKind::Organisation) {
                    return Err(refuse(
                        "organisation",
                        format!("{organisation} is no organisation of the export"),
                    ));
                }
                if let Some(v) = viewers.iter().find(|v| !self.customers.contains_key(v)) {
                    return Err(refuse("customer", format!("no customer {v}")));
                }
                self.counts.organisations += 1;
                Ok(())
            }
            Record::SavedSearch(s) => {
                self.directory()?;
                if !self.agents.contains(&s.agent) {
                    return Err(refuse(
                        "agent",
                        format!("saved search {}: its agent is not in the export", s.id),
                    ));
                }
                self.counts.content += 1;
                Ok(())
            }
            Record::CannedResponse(c) => {
                self.directory()?;
                if let Some(d) = c.department
                    && !self.departments.contains(&d)
                {
                    return Err(refuse(
                        "department",
                        format!(
                            "canned response {}: department {d} is not in the export",
                            c.id
                        ),
                    ));
                }
                self.counts.content += 1;
                Ok(())
            }
            Record::Template(_) | Record::ArticleCategory { .. } => {
                self.directory()?;
                self.counts.content += 1;
                Ok(())
            }
            Record::Article(a) => {
                self.directory()?;
                self.article(a)?;
                self.counts.content += 1;
                Ok(())
            }
            Record::Ticket(t) => self.ticket(t),
            Record::Trailer(trailer) => self.trailer(trailer),
            Record::Webhook(_) | Record::WebhookDelivery(_) => {
                self.phase = Phase::Endpoints;
                self.extra(record)
            }
            _ => {
                self.directory()?;
                self.extra(record)
            }
        }
    }

    fn header(&mut self, header: &Header) -> Result<()> {
        if self.phase != Phase::Start {
            return Err(refuse("record", "a second header"));
        }
        if header.format != FORMAT {
            return Err(refuse(
                "format",
                format!("{:?} is not a {FORMAT} stream", header.format),
            ));
        }
        if !READS.contains(&header.version) {
            return Err(refuse(
                "version",
                format!(
                    "version {} of the format; this build reads versions {READS:?} (writes {VERSION})",
                    header.version
                ),
            ));
        }
        self.sequence = header.sequence;
        self.version = header.version;
        self.phase = Phase::Directory;
        Ok(())
    }

    pub(super) fn directory(&self) -> Result<()> {
        if self.phase == Phase::Directory {
            Ok(())
        } else {
            Err(refuse(
                "record",
                "the directory and settings come before the tickets",
            ))
        }
    }

    fn ticket(&mut self, record: &TicketRecord) -> Result<()> {
        if self.phase == Phase::Endpoints {
            return Err(refuse(
                "record",
                "the tickets come before the webhook endpoints",
            ));
        }
        self.phase = Phase::Tickets;
        let t = &record.ticket;
        let at = |what: &str| format!("ticket {}: {what}", t.number.full());
        if !self.departments.contains(&t.department) {
            return Err(refuse(
                "department",
                at("its department is not in the export"),
            ));
        }
        if let Some(c) = t.customer
            && !self.customers.contains_key(&c)
        {
            return Err(refuse("customer", at("its customer is not in the export")));
        }
        let agents = (t.assignee.into_iter())
            .chain(record.followers.iter().copied())
            .chain(record.time_entries.iter().map(|e| e.agent));
        for agent in agents {
            if !self.agents.contains(&agent) {
                return Err(refuse(
                    "agent",
                    at(&format!("agent {agent} is not in the export")),
                ));
            }
        }
        let authors = (record.messages.iter().map(|m| m.author))
            .chain(record.history.iter().map(|e| e.actor))
            .chain(std::iter::once(t.opened_by));
        for author in authors {
            let known = match author {
                Actor::Agent(a) => self.agents.contains(&a),
                Actor::Customer(c) => self.customers.contains_key(&c),
                _ => true,
            };
            if !known {
                return Err(refuse("author", at("an author is not in the export")));
            }
        }
        let foreign = (record.messages.iter().map(|m| m.ticket_id))
            .chain(record.history.iter().map(|e| e.ticket_id))
            .chain(record.time_entries.iter().map(|e| e.ticket_id))
            .any(|id| id != t.id);
        if foreign {
            return Err(refuse(
                "ticket_id",
                at("a message, history entry or time entry of another ticket"),
            ));
        }
        if !self.tickets.insert(t.id) {
            return Err(refuse("ticket", at("twice")));
        }
        // Each id once in the export: a message, history entry or time entry whose id came
        // before would be refused by the store half-way through the writes.
        let children = (record.messages.iter().map(|m| (0, m.id.as_uuid())))
            .chain(record.history.iter().map(|e| (1, e.id.as_uuid())))
            .chain(record.time_entries.iter().map(|e| (2, e.id.as_uuid())));
        for (kind, id) in children {
            if !self.children.insert((kind, id)) {
                return Err(refuse(
                    "id",
                    at(&format!(
                        "a message, history entry or time entry id {id} twice"
                    )),
                ));
            }
        }
        // A number whose short form is the full one (a counter scheme) is one number.
        let short = Some(t.number.short()).filter(|s| *s != t.number.full());
        for number in std::iter::once(t.number.full()).chain(short) {
            if !self.numbers.insert(number.to_owned()) {
                return Err(refuse(
                    "number",
                    at("its number is taken by another ticket"),
                ));
            }
        }
        self.pending_links.remove(&t.id);
        for link in [t.master, t.merged_into, t.follow_up_of]
            .into_iter()
            .flatten()
        {
            if !self.tickets.contains(&link) {
                self.pending_links.insert(link);
            }
        }
        self.counts.tickets += 1;
        self.counts.messages += record.messages.len() as u64;
        for m in &record.messages {
            for a in &m.attachments {
                let key = BlobKey::parse(a.sha256())?;
                if self.attachments.insert(key) {
                    self.counts.attachments += 1;
                }
            }
        }
        Ok(())
    }

    fn trailer(&mut self, trailer: &Trailer) -> Result<()> {
        if let Some(missing) = self.pending_links.first() {
            return Err(refuse(
                "ticket",
                format!("ticket {missing} is linked to but not in the export"),
            ));
        }
        if trailer != &self.counts {
            return Err(refuse(
                "trailer",
                format!(
                    "the export says {trailer:?} but holds {:?}: it is cut off or altered",
                    self.counts
                ),
            ));
        }
        self.phase = Phase::Done;
        Ok(())
    }

    /// The attachment keys of `record`'s messages, each once.
    pub fn attachment_keys(record: &TicketRecord) -> Result<Vec<BlobKey>> {
        let mut keys = BTreeSet::new();
        for m in &record.messages {
            for a in &m.attachments {
                keys.insert(BlobKey::parse(a.sha256())?);
            }
        }
        Ok(keys.into_iter().collect())
    }

    /// The write that restores a checked `record` as it was: a new ticket with its id,
    /// number, version and times, its thread, history and time entries.
    pub fn ticket_write(record: TicketRecord) -> TicketWrite {
        let mut write = TicketWrite::create(record.ticket);
        write.messages = record.messages;
        write.events = record.history;
        write.time_entries = record.time_entries;
        write
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::{Ticket, Visibility};
    use crate::testkit::samples::{customer, department, message, number, ticket};

    /// A header, a department, a customer; what a ticket needs.
    fn started() -> (Restore, Ticket) {
        let mut restore = Restore::new();
        let d = department("Support");
        let c = customer("Ana", Some("ana@example.com"));
        let t = ticket(number(1), d.id, c.id);
        for record in [
            Record::Header(Header::new(Utc::now(), 9)),
            Record::Department(d),
            Record::Customer(c),
        ] {
            restore.check(&record).unwrap();
        }
        (restore, t)
    }

    fn whole(t: &Ticket) -> Record {
        Record::Ticket(Box::new(TicketRecord {
            messages: vec![message(t, "Первое", Visibility::Public)],
            history: Vec::new(),
            time_entries: Vec::new(),
            ticket: t.clone(),
            cc: Vec::new(),
            followers: Vec::new(),
        }))
    }

    fn field(result: Result<()>) -> String {
        match result {
            Err(Error::Validation(v)) => v.field().to_owned(),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_stream_must_start_with_a_header_of_this_format_and_version() {
        let d = Record::Department(department("Support"));
        assert_eq!(field(Restore::new().check(&d)), "record");
        let mut other = Header::new(Utc::now(), 1);
        other.version = VERSION + 1;
        assert_eq!(
            field(Restore::new().check(&Record::Header(other))),
            "version"
        );
        let mut foreign = Header::new(Utc::now(), 1);
        foreign.format = "zammad".into();
        assert_eq!(
            field(Restore::new().check(&Record::Header(foreign))),
            "format"
        );
    }

    #[test]
    fn a_version_1_stream_is_still_read_and_a_saved_search_needs_its_agent() {
        let mut old = Header::new(Utc::now(), 1);
        old.version = 1;
        let mut restore = Restore::new();
        restore.check(&Record::Header(old)).unwrap();
        restore.check(&Record::Trailer(Trailer::default())).unwrap();
        assert!(restore.is_done());
        let (mut restore, _) = started();
        let search = crate::search::SavedSearch {
            id: crate::domain::SavedSearchId::new(),
            agent: AgentId::new(),
            name: crate::domain::Name::parse("VIP").unwrap(),
            query: None,
            filter: Default::default(),
            order: crate::listing::TicketOrder::LastUpdate,
            created_at: Utc::now(),
        };
        assert_eq!(field(restore.check(&Record::SavedSearch(search))), "agent");
    }

    #[test]
    fn tickets_name_only_what_came_before_and_numbers_are_unique() {
        let (mut restore, t) = started();
        restore.check(&whole(&t)).unwrap();
        // The same number on another ticket.
        let mut twin = t.clone();
        twin.id = crate::domain::TicketId::new();
        assert_eq!(field(restore.check(&whole(&twin))), "number");
        // A department the export does not hold.
        let elsewhere = ticket(number(2), department("Billing").id, t.customer.unwrap());
        assert_eq!(field(restore.check(&whole(&elsewhere))), "department");
        // The directory after the tickets.
        let late = Record::Department(department("Late"));
        assert_eq!(field(restore.check(&late)), "record");
    }

    #[test]
    fn a_trailer_that_differs_from_what_came_or_a_dangling_link_is_refused() {
        let (mut restore, t) = started();
        let mut child = ticket(number(2), t.department, t.customer.unwrap());
        child.master = Some(t.id);
        restore.check(&whole(&child)).unwrap();
        // The master is named but has not come: refused at the end.
        let counts = restore.counts().clone();
        assert_eq!(field(restore.check(&Record::Trailer(counts))), "ticket");
        restore.check(&whole(&t)).unwrap();
        let mut wrong = restore.counts().clone();
        wrong.tickets += 1;
        assert_eq!(field(restore.check(&Record::Trailer(wrong))), "trailer");
        let right = restore.counts().clone();
        restore.check(&Record::Trailer(right)).unwrap();
        assert!(restore.is_done());
        assert_eq!(restore.sequence(), 9);
        assert_eq!(
            field(restore.check(&whole(&t))),
            "record",
            "after the trailer"
        );
    }
}
