//! Authorization properties over random desks (issue 10).
//!
//! Random users (the fixture's cast plus one agent of a random role with random departments
//! and permissions), random tickets (internal or not, for any customer, from customers and
//! agents, some with a file) and random commands by random actors, on the in-memory reference
//! store. After every step:
//!
//! - no read path (`ticket`, `ticket_by_number`, `thread`, `history`, `time_entries`,
//!   `list_tickets`, `search_tickets`, `notifications`, `attachment`) shows a customer an
//!   internal note, an internal ticket, another customer's ticket, or a time entry's note
//!   not made visible to them; the one exception: a member of an organisation allowed to see
//!   its tickets sees (the public side of) those of the organisation and its members, all of
//!   them, and never another organisation's (issue 20): the cast has such a member, a member
//!   without the flag, and a member of another organisation with it;
//! - no e-mail in the outbox to a customer carries an internal note's text, and none goes to
//!   a customer about a ticket that is not theirs;
//! - every refused command (and refused ticket) leaves the store exactly as it was: tickets,
//!   messages, history, time entries, notifications and the outbox;
//! - the change feed (issue 23) gives a customer only records about their own tickets that
//!   are not internal (never an internal note, never another customer's ticket, never a
//!   staff-only history kind), their own notifications, and every ticket of theirs; an
//!   agent only records of departments they may read and their own notifications.
//!
//! Internal text carries the marker `zqxsecret`; it never appears in public text, so finding
//! it anywhere a customer looks is a leak.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use helpdesk_core::Helpdesk;
use helpdesk_core::domain::{
    Actor, Agent, AgentId, CustomerId, CustomerKind, Email, Message, MessageBody, Minutes, Name,
    Notification, OutboundEmail, Permission, Priority, Rating, Recipient, Resolution, Role,
    ShortNote, Ticket, TicketEvent, TicketId, TicketKey, TimeEntry, Visibility,
};
use helpdesk_core::error::{Error, ForbiddenReason};
use helpdesk_core::machine::{Command, NewTicket};
use helpdesk_core::service::{
    AttachmentLimits, ExecOptions, MailSettings, NewAgent, NewCustomer, Upload,
};
use helpdesk_core::store::{
    MemoryBlobStore, MemoryStore, PageRequest, Store, TicketFilter, TicketOrder,
};
use helpdesk_core::testkit::Fixture;
use proptest::prelude::*;

/// The text every internal note, internal reason and internal ticket carries.
const SECRET: &str = "zqxsecret";

/// Who acts: an index into [`Cast::actors`].
type Who = usize;
/// Which ticket: an index into the tickets opened so far (modulo their number).
type Which = usize;

#[derive(Debug, Clone)]
struct RandomAgent {
    role: Role,
    /// Per department of the fixture (support, billing, sales): membership and permissions.
    departments: [Option<BTreeSet<Permission>>; 3],
}

#[derive(Debug, Clone)]
enum Step {
    Open {
        who: Who,
        department: usize,
        internal: bool,
        /// The customer an agent opens it for.
        for_customer: usize,
        with_file: bool,
    },
    Exec {
        who: Who,
        ticket: Which,
        command: Cmd,
        with_file: bool,
    },
    Tick,
}

#[derive(Debug, Clone)]
enum Cmd {
    Reply,
    Note,
    Assign(Option<Who>),
    Priority(Priority),
    Move(usize),
    Ask,
    Hold,
    Resolve,
    Confirm,
    Close(Resolution),
    Reopen,
    Link(Option<Which>),
    Merge(Which),
    /// Billable, and the note visible to the customer.
    LogTime(bool, bool),
    Rate(u8),
    RequestPriority(Priority),
    Decide(bool),
}

fn priority() -> impl Strategy<Value = Priority> {
    prop::sample::select(Priority::ALL.to_vec())
}

fn cmd() -> impl Strategy<Value = Cmd> {
    prop_oneof![
        3 => Just(Cmd::Reply),
        3 => Just(Cmd::Note),
        1 => prop::option::of(0..ACTORS).prop_map(Cmd::Assign),
        1 => priority().prop_map(Cmd::Priority),
        1 => (0..3usize).prop_map(Cmd::Move),
        1 => Just(Cmd::Ask),
        1 => Just(Cmd::Hold),
        2 => Just(Cmd::Resolve),
        1 => Just(Cmd::Confirm),
        1 => prop::sample::select(vec![Resolution::Solved, Resolution::Unsolved, Resolution::Duplicate])
            .prop_map(Cmd::Close),
        1 => Just(Cmd::Reopen),
        1 => prop::option::of(0..8usize).prop_map(Cmd::Link),
        1 => (0..8usize).prop_map(Cmd::Merge),
        1 => (any::<bool>(), any::<bool>()).prop_map(|(b, v)| Cmd::LogTime(b, v)),
        1 => (1..=5u8).prop_map(Cmd::Rate),
        1 => priority().prop_map(Cmd::RequestPriority),
        1 => any::<bool>().prop_map(Cmd::Decide),
    ]
}

/// admin, ivan, maria, boss, the random agent, ana, acme, reza, a disabled customer, then
/// Acme's member who sees its tickets, Acme's member who does not, and a member of another
/// organisation who sees that one's.
const ACTORS: usize = 12;
/// The customers among the actors.
const CUSTOMERS: usize = 7;

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..ACTORS, 0..3usize, any::<bool>(), 0..CUSTOMERS, prop::bool::weighted(0.2)).prop_map(
            |(who, department, internal, for_customer, with_file)| Step::Open {
                who,
                department,
                internal,
                for_customer,
                with_file,
            }
        ),
        6 => (0..ACTORS, 0..8usize, cmd(), prop::bool::weighted(0.15)).prop_map(
            |(who, ticket, command, with_file)| Step::Exec {
                who,
                ticket,
                command,
                with_file,
            }
        ),
        1 => Just(Step::Tick),
    ]
}

fn permissions() -> impl Strategy<Value = BTreeSet<Permission>> {
    prop::collection::btree_set(prop::sample::select(Permission::ALL.to_vec()), 0..=8)
}

fn random_agent() -> impl Strategy<Value = RandomAgent> {
    (
        prop::sample::select(vec![Role::Agent, Role::Supervisor, Role::Admin]),
        prop::option::of(permissions()),
        prop::option::of(permissions()),
        prop::option::of(permissions()),
    )
        .prop_map(|(role, a, b, c)| RandomAgent {
            role,
            departments: [a, b, c],
        })
}

/// The desk, its store and who is who.
struct Cast {
    f: Fixture,
    store: Arc<dyn Store>,
    actors: Vec<Actor>,
    customers: Vec<CustomerId>,
    emails: Vec<Email>,
    /// Whose tickets each customer may see (their own, and for a member with the flag,
    /// the organisation's and its members').
    circles: HashMap<CustomerId, Vec<CustomerId>>,
    tickets: Vec<TicketId>,
    counter: usize,
}

/// A ticket with its thread (notes too), history and time entries.
type TicketState = (Ticket, Vec<Message>, Vec<TicketEvent>, Vec<TimeEntry>);

/// Everything a command may change, read straight from the store.
#[derive(Debug, PartialEq)]
struct Snapshot {
    tickets: Vec<TicketState>,
    emails: Vec<OutboundEmail>,
    notifications: Vec<Vec<Notification>>,
}

impl Cast {
    async fn new(extra: RandomAgent) -> Self {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let mut f = Fixture::new(store.clone()).await;
        let limits = AttachmentLimits {
            max_size: 1024,
            ..AttachmentLimits::default()
        };
        let mail = MailSettings::new(Email::parse("desk@desk.test").unwrap(), f.support.id);
        f.desk = f
            .desk
            .clone()
            .with_blobs(Arc::new(MemoryBlobStore::default()), limits)
            .with_mail(mail);
        let departments = [f.support.id, f.billing.id, f.sales.id];
        let mut new = NewAgent::new(
            Name::parse("Random Agent").unwrap(),
            Email::parse("random@desk.test").unwrap(),
            extra.role,
        );
        for (i, perms) in extra.departments.iter().enumerate() {
            if let Some(perms) = perms {
                new = new.in_department(departments[i], perms.clone());
            }
        }
        let random: Agent = f.desk.as_system().create_agent(new).await.unwrap();
        let disabled = f
            .desk
            .as_system()
            .create_customer(
                NewCustomer::new(
                    CustomerKind::Individual,
                    Name::parse("Disabled Person").unwrap(),
                )
                .with_email(Email::parse("disabled@example.com").unwrap()),
            )
            .await
            .unwrap();
        f.desk
            .as_system()
            .set_customer_access(disabled.id, false)
            .await
            .unwrap();
        let system = f.desk.as_system();
        let person = |n: &str, mail: &str, org: CustomerId| {
            NewCustomer::new(CustomerKind::Individual, Name::parse(n).unwrap())
                .with_email(Email::parse(mail).unwrap())
                .with_organisation(org)
        };
        let other = system
            .create_customer(NewCustomer::new(
                CustomerKind::Organisation,
                Name::parse("Other SRL").unwrap(),
            ))
            .await
            .unwrap();
        let colleague = system
            .create_customer(person("Colleague", "colleague@acme.example", f.acme.id))
            .await
            .unwrap();
        let member = system
            .create_customer(person("Member", "member@acme.example", f.acme.id))
            .await
            .unwrap();
        let outsider = system
            .create_customer(person("Outsider", "outsider@other.example", other.id))
            .await
            .unwrap();
        for sees in [colleague.id, outsider.id] {
            system
                .set_sees_organisation_tickets(sees, true)
                .await
                .unwrap();
        }
        let actors = vec![
            Actor::Agent(f.admin.id),
            Actor::Agent(f.ivan.id),
            Actor::Agent(f.maria.id),
            Actor::Agent(f.boss.id),
            Actor::Agent(random.id),
            Actor::Customer(f.ana.id),
            Actor::Customer(f.acme.id),
            Actor::Customer(f.reza.id),
            Actor::Customer(disabled.id),
            Actor::Customer(colleague.id),
            Actor::Customer(member.id),
            Actor::Customer(outsider.id),
        ];
        let customers = vec![
            f.ana.id,
            f.acme.id,
            f.reza.id,
            disabled.id,
            colleague.id,
            member.id,
            outsider.id,
        ];
        assert_eq!((actors.len(), customers.len()), (ACTORS, CUSTOMERS));
        let emails = [
            &f.ana, &f.acme, &f.reza, &disabled, &colleague, &member, &outsider,
        ]
        .iter()
        .filter_map(|c| c.email.clone())
        .collect();
        let mut circles: HashMap<CustomerId, Vec<CustomerId>> =
            customers.iter().map(|&c| (c, vec![c])).collect();
        circles.insert(colleague.id, vec![f.acme.id, colleague.id, member.id]);
        circles.insert(outsider.id, vec![other.id, outsider.id]);
        Self {
            f,
            store,
            actors,
            customers,
            emails,
            circles,
            tickets: Vec::new(),
            counter: 0,
        }
    }

    fn desk(&self) -> &Helpdesk {
        &self.f.desk
    }

    fn ticket_at(&self, which: Which) -> Option<TicketId> {
        (!self.tickets.is_empty()).then(|| self.tickets[which % self.tickets.len()])
    }

    fn agent_id(&self, who: Who) -> Option<AgentId> {
        match self.actors[who] {
            Actor::Agent(id) => Some(id),
            _ => None,
        }
    }

    /// A fresh word, so bodies differ from step to step.
    fn word(&mut self) -> String {
        self.counter += 1;
        format!("w{}", self.counter)
    }

    fn public_body(&mut self) -> MessageBody {
        let w = self.word();
        MessageBody::parse(format!("public reply {w}")).unwrap()
    }

    fn secret_body(&mut self) -> MessageBody {
        let w = self.word();
        MessageBody::parse(format!("{SECRET} note {w}")).unwrap()
    }

    fn upload(&mut self, internal: bool) -> Vec<Upload> {
        let w = self.word();
        let prefix = if internal { SECRET } else { "public" };
        vec![Upload::new(
            format!("{prefix}-{w}.txt"),
            "text/plain",
            format!("{prefix} file {w}").into_bytes(),
        )]
    }

    fn all_tickets(&self) -> Vec<TicketId> {
        self.tickets.clone()
    }

    async fn snapshot(&self) -> Snapshot {
        let page = PageRequest::first(TicketOrder::LastUpdate, PageRequest::MAX_LIMIT);
        let listed = self
            .store
            .list_tickets(&TicketFilter::default(), &page)
            .await
            .unwrap();
        let mut ids: Vec<TicketId> = listed.items.iter().map(|t| t.id).collect();
        ids.sort();
        let mut tickets = Vec::new();
        let mut emails = Vec::new();
        for id in ids {
            let ticket = self.store.ticket(id).await.unwrap().unwrap();
            let messages = self.store.messages(id, true).await.unwrap();
            let history = self.store.history(id).await.unwrap();
            let time = self.store.time_entries(id).await.unwrap();
            emails.extend(self.store.ticket_emails(id).await.unwrap());
            tickets.push((ticket, messages, history, time));
        }
        let far = self.f.clock_now() + chrono::Duration::days(3650);
        let mut notifications = Vec::new();
        for actor in &self.actors {
            let recipient = match *actor {
                Actor::Agent(id) => Recipient::Agent(id),
                Actor::Customer(id) => Recipient::Customer(id),
                Actor::System => continue,
            };
            notifications.push(
                self.store
                    .notifications(recipient, far, 10_000)
                    .await
                    .unwrap(),
            );
        }
        Snapshot {
            tickets,
            emails,
            notifications,
        }
    }

    /// Runs a step; `Err` when the desk refused it, with the refusal.
    async fn run(&mut self, step: &Step) -> Result<(), String> {
        match step {
            Step::Tick => {
                self.f.tick(3600);
                Ok(())
            }
            Step::Open {
                who,
                department,
                internal,
                for_customer,
                with_file,
            } => {
                let actor = self.actors[*who];
                let dept = [&self.f.support, &self.f.billing, &self.f.sales][*department].clone();
                let w = self.word();
                let text = if *internal {
                    format!("{SECRET} internal {w}")
                } else {
                    format!("public ticket {w}")
                };
                let mut new = NewTicket::new(
                    helpdesk_core::domain::Subject::parse(&text).unwrap(),
                    MessageBody::parse(format!("{text} body")).unwrap(),
                    dept.id,
                );
                new.internal = *internal;
                if matches!(actor, Actor::Agent(_)) {
                    new.customer = Some(self.customers[*for_customer]);
                }
                let uploads = if *with_file {
                    self.upload(*internal)
                } else {
                    Vec::new()
                };
                let opened = match self.desk().acting_as(actor).await {
                    Ok(me) => me.open_ticket_with_uploads(new, uploads).await,
                    Err(e) => Err(e),
                };
                match opened {
                    Ok(ticket) => {
                        self.tickets.push(ticket.id);
                        self.f.tick(1);
                        Ok(())
                    }
                    Err(e) => Err(format!("{e:?}")),
                }
            }
            Step::Exec {
                who,
                ticket,
                command,
                with_file,
            } => {
                let Some(id) = self.ticket_at(*ticket) else {
                    return Ok(());
                };
                let actor = self.actors[*who];
                let (command, internal) = match command {
                    Cmd::Reply => (
                        Command::Reply {
                            body: self.public_body(),
                            attachments: vec![],
                        },
                        false,
                    ),
                    Cmd::Note => (
                        Command::AddNote {
                            body: self.secret_body(),
                            attachments: vec![],
                        },
                        true,
                    ),
                    Cmd::Assign(agent) => (
                        Command::Assign {
                            agent: agent.and_then(|a| self.agent_id(a)),
                        },
                        false,
                    ),
                    Cmd::Priority(priority) => (
                        Command::ChangePriority {
                            priority: *priority,
                        },
                        false,
                    ),
                    Cmd::Move(d) => (
                        Command::MoveToDepartment {
                            department: [self.f.support.id, self.f.billing.id, self.f.sales.id][*d],
                        },
                        false,
                    ),
                    Cmd::Ask => (
                        Command::AskCustomer {
                            body: self.public_body(),
                            until: None,
                        },
                        false,
                    ),
                    Cmd::Hold => (
                        Command::PutOnHold {
                            reason: Some(self.secret_body()),
                            until: None,
                        },
                        true,
                    ),
                    Cmd::Resolve => (
                        Command::Resolve {
                            body: Some(self.public_body()),
                        },
                        false,
                    ),
                    Cmd::Confirm => (Command::ConfirmResolution, false),
                    Cmd::Close(resolution) => (
                        Command::Close {
                            resolution: *resolution,
                        },
                        false,
                    ),
                    Cmd::Reopen => (Command::Reopen, false),
                    Cmd::Link(master) => (
                        Command::LinkToMaster {
                            master: master.and_then(|m| self.ticket_at(m)),
                        },
                        false,
                    ),
                    Cmd::Merge(target) => (
                        Command::MergeInto {
                            target: self.ticket_at(*target).unwrap_or(id),
                        },
                        false,
                    ),
                    Cmd::LogTime(billable, visible) => {
                        let w = self.word();
                        // A note kept from the customer is internal text.
                        let note = if *visible {
                            format!("time {w}")
                        } else {
                            format!("{SECRET} time {w}")
                        };
                        (
                            Command::LogTime {
                                minutes: Minutes::new(15).unwrap(),
                                billable: *billable,
                                note: ShortNote::parse(note).unwrap(),
                                note_visible_to_customer: *visible,
                            },
                            false,
                        )
                    }
                    Cmd::Rate(score) => (
                        Command::RateSatisfaction {
                            score: Rating::new(*score).unwrap(),
                            comment: None,
                        },
                        false,
                    ),
                    Cmd::RequestPriority(priority) => (
                        Command::RequestPriority {
                            priority: *priority,
                            reason: ShortNote::parse("please").unwrap(),
                        },
                        false,
                    ),
                    Cmd::Decide(approve) => {
                        (Command::DecidePriorityRequest { approve: *approve }, false)
                    }
                };
                let carries_files =
                    matches!(command, Command::Reply { .. } | Command::AddNote { .. });
                let uploads = if *with_file && carries_files {
                    self.upload(internal)
                } else {
                    Vec::new()
                };
                let executed = match self.desk().acting_as(actor).await {
                    Ok(me) => {
                        me.execute_with_uploads(id, command, uploads, ExecOptions::default())
                            .await
                    }
                    Err(e) => Err(e),
                };
                match executed {
                    Ok(outcome) => {
                        let ticket = outcome.ticket().id;
                        if !self.tickets.contains(&ticket) {
                            // A follow-up ticket.
                            self.tickets.push(ticket);
                        }
                        self.f.tick(1);
                        Ok(())
                    }
                    Err(e) => Err(format!("{e:?}")),
                }
            }
        }
    }

    /// Every read path, as every customer: nothing internal, nothing of anyone else.
    async fn check_customer_reads(&self) -> Result<(), TestCaseError> {
        let desk = self.desk();
        let all = self.all_tickets();
        for &customer in &self.customers {
            let actor = Actor::Customer(customer);
            // A customer whose access is disabled gets no way in at all.
            let me = match desk.acting_as(actor).await {
                Ok(me) => me,
                Err(Error::Forbidden {
                    reason: ForbiddenReason::AccessDisabled,
                }) => continue,
                Err(e) => return Err(TestCaseError::fail(format!("{actor:?}: {e:?}"))),
            };
            let circle = &self.circles[&customer];
            let mine = |t: &Ticket| !t.internal && t.customer.is_some_and(|c| circle.contains(&c));
            for &id in &all {
                let stored = self.store.ticket(id).await.unwrap().unwrap();
                match me.ticket(id).await {
                    Ok(t) => prop_assert!(mine(&t), "ticket {t:?} shown to {customer:?}"),
                    // Every ticket of the circle is seen: the flag works, not only refuses.
                    Err(e) => {
                        prop_assert!(!mine(&stored), "{stored:?} hidden from {customer:?}: {e}")
                    }
                }
                if let Ok(t) = me
                    .ticket(TicketKey::parse(stored.number.short()).unwrap())
                    .await
                {
                    prop_assert!(mine(&t), "ticket by number {t:?} shown to {customer:?}");
                }
                if let Ok(thread) = me.thread(id).await {
                    prop_assert!(mine(&stored), "thread of {id:?} shown to {customer:?}");
                    for m in &thread {
                        prop_assert_eq!(m.visibility, Visibility::Public, "{:?}", m);
                        prop_assert!(!format!("{m:?}").contains(SECRET), "{:?}", m);
                    }
                }
                if let Ok(history) = me.history(id).await {
                    prop_assert!(mine(&stored), "history of {id:?} shown to {customer:?}");
                    for e in &history {
                        prop_assert!(e.change.is_public(), "{:?}", e);
                        prop_assert!(!format!("{e:?}").contains(SECRET), "{:?}", e);
                    }
                }
                if let Ok(entries) = me.time_entries(id).await {
                    prop_assert!(mine(&stored));
                    prop_assert!(entries.iter().all(|e| e.billable));
                    for e in &entries {
                        prop_assert!(!e.note.as_str().contains(SECRET), "{:?}", e);
                    }
                }
                // Every file of the ticket: only public messages' files of their own tickets.
                for m in self.store.messages(id, true).await.unwrap() {
                    for a in &m.attachments {
                        let got = me.attachment(id, m.id, a.sha256()).await;
                        if got.is_ok() {
                            prop_assert!(
                                mine(&stored) && m.is_public(),
                                "file {} of {:?} given to {customer:?}",
                                a.file_name(),
                                m
                            );
                        }
                    }
                }
            }
            let page = PageRequest::first(TicketOrder::LastUpdate, PageRequest::MAX_LIMIT);
            if let Ok(listed) = me.list_tickets(TicketFilter::default(), page.clone()).await {
                for t in &listed.items {
                    prop_assert!(mine(t), "listed {t:?} for {customer:?}");
                }
            }
            let internal_filter = TicketFilter {
                internal: Some(true),
                ..TicketFilter::default()
            };
            if let Ok(listed) = me.list_tickets(internal_filter, page.clone()).await {
                prop_assert!(listed.items.is_empty(), "internal tickets listed");
            }
            for query in [SECRET, "zqxsecret*", "public", "note", "internal", "w1*"] {
                if let Ok(found) = me
                    .search_tickets(query, TicketFilter::default(), page.clone())
                    .await
                {
                    for t in &found.items {
                        prop_assert!(mine(t), "search {query} found {t:?} for {customer:?}");
                    }
                    if query.starts_with(SECRET) {
                        prop_assert!(found.items.is_empty(), "{query} found {:?}", found.items);
                    }
                }
            }
            if let Ok(notes) = me.notifications(500).await {
                for n in &notes {
                    let t = self.store.ticket(n.ticket_id).await.unwrap().unwrap();
                    prop_assert!(mine(&t), "notification {n:?} about {t:?}");
                    prop_assert_ne!(&n.kind, &helpdesk_core::domain::NotificationKind::NoteAdded);
                    prop_assert_eq!(n.recipient, Recipient::Customer(customer));
                }
            }
        }
        Ok(())
    }

    /// The change feed as every actor reads it: nothing they may not see.
    async fn check_feed(&self) -> Result<(), TestCaseError> {
        use helpdesk_core::feed::{FeedChange, FeedPosition, MessageScope};
        let desk = self.desk();
        for &actor in &self.actors {
            let Ok(me) = desk.acting_as(actor).await else {
                continue;
            };
            let page = me
                .changes_after(FeedPosition::START, helpdesk_core::store::MAX_FEED_READ)
                .await
                .map_err(|e| TestCaseError::fail(format!("{actor:?}: {e:?}")))?;
            let raw = desk
                .as_system()
                .changes_after(FeedPosition::START, helpdesk_core::store::MAX_FEED_READ)
                .await
                .unwrap();
            prop_assert_eq!(page.next, raw.next);
            match actor {
                Actor::Customer(customer) => {
                    let mut created = BTreeSet::new();
                    for entry in &page.changes {
                        let change = &entry.change;
                        if let Some(id) = change.ticket() {
                            let stored = self.store.ticket(id).await.unwrap().unwrap();
                            prop_assert_eq!(stored.customer, Some(customer), "{:?}", change);
                            prop_assert!(!stored.internal, "{:?}", change);
                        }
                        match change {
                            FeedChange::TicketCreated {
                                ticket, internal, ..
                            } => {
                                prop_assert!(!internal);
                                created.insert(*ticket);
                            }
                            FeedChange::TicketChanged { ticket, events, .. } => {
                                let public: Vec<&str> = (self.store.history(*ticket).await)
                                    .unwrap()
                                    .iter()
                                    .filter(|e| e.change.is_public())
                                    .map(|e| e.change.kind())
                                    .collect();
                                for kind in events {
                                    prop_assert!(public.contains(&kind.as_str()), "{kind}");
                                }
                            }
                            FeedChange::MessageAdded {
                                ticket,
                                message,
                                scope,
                                ..
                            } => {
                                prop_assert_eq!(*scope, MessageScope::Public);
                                let thread = self.store.messages(*ticket, true).await.unwrap();
                                if let Some(m) = thread.iter().find(|m| m.id == *message) {
                                    prop_assert!(m.is_public(), "{:?}", m);
                                }
                            }
                            FeedChange::NotificationCreated { recipient, .. } => {
                                prop_assert_eq!(*recipient, Recipient::Customer(customer));
                            }
                            FeedChange::ChatChanged {
                                customer: owner, ..
                            } => {
                                prop_assert_eq!(*owner, customer);
                            }
                            other => prop_assert!(false, "{other:?} shown to {customer:?}"),
                        }
                    }
                    // Not only refusals: every ticket of theirs is seen to be opened.
                    for entry in &raw.changes {
                        if let FeedChange::TicketCreated {
                            ticket,
                            customer: Some(owner),
                            internal: false,
                            ..
                        } = &entry.change
                            && *owner == customer
                        {
                            prop_assert!(created.contains(ticket), "{ticket:?} not seen");
                        }
                    }
                }
                Actor::Agent(id) => {
                    let agent = self.store.agent(id).await.unwrap().unwrap();
                    if agent.role == Role::Admin {
                        prop_assert_eq!(page.changes.len(), raw.changes.len());
                        continue;
                    }
                    for entry in &page.changes {
                        match &entry.change {
                            FeedChange::TicketCreated { department, .. }
                            | FeedChange::TicketChanged { department, .. }
                            | FeedChange::MessageAdded { department, .. } => {
                                prop_assert!(agent.can(Permission::Read, *department));
                            }
                            FeedChange::NotificationCreated { recipient, .. } => {
                                prop_assert_eq!(*recipient, Recipient::Agent(id));
                            }
                            _ => {}
                        }
                    }
                }
                Actor::System => {}
            }
        }
        Ok(())
    }

    /// No e-mail to a customer carries internal text or is about another's ticket.
    async fn check_outbox(&self) -> Result<(), TestCaseError> {
        for id in self.all_tickets() {
            let ticket = self.store.ticket(id).await.unwrap().unwrap();
            let owner = match ticket.customer {
                Some(c) => self.store.customer(c).await.unwrap().and_then(|c| c.email),
                None => None,
            };
            for email in self.store.ticket_emails(id).await.unwrap() {
                if self.emails.contains(&email.to) {
                    prop_assert!(
                        !email.body.contains(SECRET) && !email.subject.contains(SECRET),
                        "e-mail to {} carries internal text: {}\n{}",
                        email.to,
                        email.subject,
                        email.body
                    );
                    prop_assert!(!ticket.internal, "e-mail about an internal ticket");
                    prop_assert_eq!(Some(&email.to), owner.as_ref(), "e-mail to a stranger");
                }
            }
        }
        Ok(())
    }
}

impl FixtureNow for Fixture {
    fn clock_now(&self) -> chrono::DateTime<chrono::Utc> {
        use helpdesk_core::clock::Clock;
        self.clock.now()
    }
}

trait FixtureNow {
    fn clock_now(&self) -> chrono::DateTime<chrono::Utc>;
}

async fn scenario(extra: RandomAgent, steps: Vec<Step>) -> Result<(), TestCaseError> {
    let mut cast = Cast::new(extra).await;
    // Something to act on from the start: each customer's ticket in each department, an
    // internal ticket about Ana, and a note on hers.
    let seed = [
        Step::Open {
            who: 5,
            department: 0,
            internal: false,
            for_customer: 0,
            with_file: true,
        },
        Step::Open {
            who: 6,
            department: 1,
            internal: false,
            for_customer: 1,
            with_file: false,
        },
        Step::Open {
            who: 7,
            department: 2,
            internal: false,
            for_customer: 2,
            with_file: false,
        },
        Step::Open {
            who: 1,
            department: 0,
            internal: true,
            for_customer: 0,
            with_file: true,
        },
        Step::Exec {
            who: 1,
            ticket: 0,
            command: Cmd::Note,
            with_file: true,
        },
    ];
    for step in &seed {
        cast.run(step)
            .await
            .map_err(|e| TestCaseError::fail(format!("seed {step:?}: {e}")))?;
    }
    let (mut done, mut refused) = (0, 0);
    for step in &steps {
        let before = cast.snapshot().await;
        let result = cast.run(step).await;
        if result.is_ok() {
            done += 1;
        }
        if let Err(refusal) = result {
            refused += 1;
            let after = cast.snapshot().await;
            prop_assert!(
                before == after,
                "refused {step:?} ({refusal}) changed the store"
            );
        }
        cast.check_customer_reads().await?;
        cast.check_outbox().await?;
        cast.check_feed().await?;
    }
    if std::env::var_os("AUTHZ_STATS").is_some() {
        let emails = cast.snapshot().await.emails.len();
        eprintln!(
            "steps: {done} done, {refused} refused; {} tickets, {emails} e-mails",
            cast.tickets.len()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    #[test]
    fn customers_see_only_their_public_tickets_and_refusals_change_nothing(
        extra in random_agent(),
        steps in prop::collection::vec(step(), 1..32),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(scenario(extra, steps))?;
    }
}
