//! django-helpdesk's `manage.py dumpdata` as this desk's export (issue 22, item 5): a Django
//! fixture — a JSON list of `{"model", "pk", "fields"}` objects — mapped onto [`Record`]s.
//! Queues become departments, staff users agents, other users and submitters customers,
//! tickets keep their ids as their numbers, follow-ups become messages (the description the
//! first one), status changes and ticket changes history, spent time time entries, CC
//! addresses CC. The bytes of attachments are asked of the caller ([`Django::map`] takes a
//! function from a stored file's path to its bytes): the core reads no file. What does not
//! map is listed in docs/export-format.md.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::record::{Header, Record, TicketRecord, Trailer};
use crate::domain::{
    Actor, Agent, AgentId, Attachment, Change, Channel, CustomFields, Customer, CustomerId,
    CustomerKind, Department, DepartmentId, Email, EventId, FollowUpPolicy, Message, MessageBody,
    MessageId, Minutes, Name, Priority, Resolution, Role, ShortNote, Signature, Status, Subject,
    Ticket, TicketEvent, TicketId, TicketNumber, TicketType, TimeEntry, TimeEntryId, Timers,
    Version, Visibility, standard_permissions,
};
use crate::error::{Error, Result};
use crate::store::BlobKey;

/// The fields of a fixture object.
type Fields = Map<String, Value>;

/// One object of a Django fixture.
#[derive(Debug, Deserialize)]
struct Object {
    model: String,
    pk: Value,
    #[serde(default)]
    fields: Map<String, Value>,
}

/// A django-helpdesk fixture mapped onto the export format: the records, in the format's
/// order (header to trailer), and the attachments' bytes by key.
#[derive(Debug, Default)]
pub struct Django {
    /// The records, header first, trailer last.
    pub records: Vec<Record>,
    /// The bytes of each attachment the records name, each once.
    pub attachments: BTreeMap<BlobKey, Vec<u8>>,
    /// What was left out, one line each (an attachment whose file was not given, a user
    /// with no usable address, …), for the operator to read.
    pub skipped: Vec<String>,
}

fn refuse(field: &'static str, message: impl Into<String>) -> Error {
    Error::validation(field, message.into())
}

/// A field as text (`None` when absent, null or empty).
fn text<'a>(fields: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    fields
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A field as a foreign key (a number or a string key).
fn key(fields: &Map<String, Value>, name: &str) -> Option<String> {
    pk(fields.get(name)?)
}

fn pk(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn flag(fields: &Map<String, Value>, name: &str) -> bool {
    fields.get(name).and_then(Value::as_bool).unwrap_or(false)
}

/// A Django date-time: RFC 3339, or naive (taken as UTC), or a bare date.
fn time(fields: &Map<String, Value>, name: &str) -> Option<DateTime<Utc>> {
    let raw = text(fields, name)?;
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    let naive = raw.trim_end_matches('Z');
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(naive, format) {
            return Some(t.and_utc());
        }
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

/// A Django duration (`[DD ][HH:[MM:]]ss[.uuuuuu]`) in whole minutes, rounded up.
fn minutes(raw: &str) -> Option<u32> {
    let (days, clock) = match raw.trim().split_once(' ') {
        Some((d, rest)) => (d.parse::<u64>().ok()?, rest),
        None => (0, raw.trim()),
    };
    let mut seconds = 0f64;
    for part in clock.split(':') {
        seconds = seconds * 60.0 + part.parse::<f64>().ok()?;
    }
    let total = days as f64 * 86_400.0 + seconds;
    let whole = (total / 60.0).ceil();
    (whole >= 1.0 && whole <= f64::from(u32::MAX)).then_some(whole as u32)
}

/// django-helpdesk's status numbers (1 open, 2 reopened, 3 resolved, 4 closed, 5 duplicate).
fn status(code: i64, on_hold: bool) -> Status {
    match code {
        3 => Status::Resolved,
        4 => Status::Closed(Resolution::Solved),
        5 => Status::Closed(Resolution::Duplicate),
        _ if on_hold => Status::OnHold,
        _ => Status::Open,
    }
}

/// django-helpdesk's priorities (1 critical … 5 very low).
fn priority(code: i64) -> Priority {
    match code {
        1 => Priority::Urgent,
        2 => Priority::High,
        4 | 5 => Priority::Low,
        _ => Priority::Normal,
    }
}

/// A user of the fixture, as this desk will know them.
#[derive(Debug, Clone, Copy)]
enum Person {
    Agent(AgentId),
    Customer(CustomerId),
}

impl Person {
    fn actor(self) -> Actor {
        match self {
            Person::Agent(a) => Actor::Agent(a),
            Person::Customer(c) => Actor::Customer(c),
        }
    }
}

/// The fixture's objects by model.
#[derive(Default)]
struct Models {
    users: Vec<(String, Map<String, Value>)>,
    queues: Vec<(String, Map<String, Value>)>,
    tickets: Vec<(String, Map<String, Value>)>,
    followups: Vec<(String, Map<String, Value>)>,
    changes: Vec<Map<String, Value>>,
    attachments: Vec<Map<String, Value>>,
    ccs: Vec<Map<String, Value>>,
    other: BTreeMap<String, usize>,
}

impl Models {
    fn of(objects: Vec<Object>) -> Self {
        let mut m = Models::default();
        for o in objects {
            let id = pk(&o.pk).unwrap_or_default();
            match o.model.as_str() {
                "auth.user" | "helpdesk.user" => m.users.push((id, o.fields)),
                "helpdesk.queue" => m.queues.push((id, o.fields)),
                "helpdesk.ticket" => m.tickets.push((id, o.fields)),
                "helpdesk.followup" => m.followups.push((id, o.fields)),
                "helpdesk.ticketchange" => m.changes.push(o.fields),
                "helpdesk.attachment" | "helpdesk.followupattachment" => {
                    m.attachments.push(o.fields)
                }
                "helpdesk.ticketcc" => m.ccs.push(o.fields),
                other => *m.other.entry(other.to_owned()).or_default() += 1,
            }
        }
        m
    }
}

impl Django {
    /// Maps the fixture `json` (django-helpdesk's `dumpdata` output) onto the export format,
    /// as exported `now`. `file` gives the bytes of an attachment's stored file (its `file`
    /// field, a path under Django's media root), or `None` when the caller has not got it:
    /// that attachment is then left out and named in [`skipped`](Self::skipped).
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] when `json` is not a fixture (a list of objects with `model`,
    /// `pk` and `fields`), or a ticket names a queue the fixture does not hold, or has an
    /// id that cannot be a ticket number.
    pub fn map(
        json: &str,
        now: DateTime<Utc>,
        mut file: impl FnMut(&str) -> Option<Vec<u8>>,
    ) -> Result<Self> {
        let objects: Vec<Object> = serde_json::from_str(json)
            .map_err(|e| refuse("fixture", format!("not a Django fixture: {e}")))?;
        let m = Models::of(objects);
        let mut out = Django::default();
        for (model, n) in &m.other {
            out.skipped
                .push(format!("{n} object(s) of {model}: not mapped"));
        }

        // Queues → departments.
        let mut departments = HashMap::new();
        let mut records = Vec::new();
        for (id, f) in &m.queues {
            let title = text(f, "title").or(text(f, "slug")).unwrap_or("Queue");
            let d = Department {
                id: DepartmentId::new(),
                name: Name::parse(title)?,
                follow_up: FollowUpPolicy::Reopen,
                active: true,
                created_at: now,
            };
            departments.insert(id.clone(), d.id);
            records.push(Record::Department(d));
        }

        // Staff → agents (in every department), others → customers.
        let mut people: HashMap<String, Person> = HashMap::new();
        let mut by_email: HashMap<String, CustomerId> = HashMap::new();
        let mut customers = Vec::new();
        let mut taken_emails = std::collections::HashSet::new();
        for (id, f) in &m.users {
            let username = text(f, "username").unwrap_or(id);
            let full = [text(f, "first_name"), text(f, "last_name")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let name = Name::parse(if full.is_empty() { username } else { &full })?;
            let email = text(f, "email").and_then(|e| Email::parse(e).ok());
            let joined = time(f, "date_joined").unwrap_or(now);
            if flag(f, "is_staff") || flag(f, "is_superuser") {
                let Some(email) = email.filter(|e| taken_emails.insert(e.as_str().to_owned()))
                else {
                    out.skipped
                        .push(format!("staff user {username}: no unique e-mail address"));
                    continue;
                };
                let agent = Agent {
                    id: AgentId::new(),
                    name,
                    email,
                    role: if flag(f, "is_superuser") {
                        Role::Admin
                    } else {
                        Role::Agent
                    },
                    signature: Signature::parse("")?,
                    active: fields_active(f),
                    departments: departments
                        .values()
                        .map(|d| (*d, standard_permissions()))
                        .collect(),
                    created_at: joined,
                };
                people.insert(id.clone(), Person::Agent(agent.id));
                records.push(Record::Agent(agent));
            } else {
                let c = new_customer(name, email.clone(), joined);
                if let Some(e) = &email {
                    by_email.insert(e.as_str().to_lowercase(), c.id);
                }
                people.insert(id.clone(), Person::Customer(c.id));
                customers.push(c);
            }
        }

        // Submitters without a user → customers, one per address.
        for (_, f) in &m.tickets {
            if let Some(e) = text(f, "submitter_email").and_then(|e| Email::parse(e).ok()) {
                let lower = e.as_str().to_lowercase();
                if let std::collections::hash_map::Entry::Vacant(slot) = by_email.entry(lower) {
                    let local = e
                        .as_str()
                        .split('@')
                        .next()
                        .unwrap_or("customer")
                        .to_owned();
                    let c = new_customer(Name::parse(&local)?, Some(e), now);
                    slot.insert(c.id);
                    customers.push(c);
                }
            }
        }
        records.extend(customers.into_iter().map(Record::Customer));

        // Tickets, with ids for their links.
        let ids: HashMap<String, TicketId> = (m.tickets.iter())
            .map(|(id, _)| (id.clone(), TicketId::new()))
            .collect();
        let mut followups: HashMap<String, Vec<(&str, &Fields)>> = HashMap::new();
        for (id, f) in &m.followups {
            if let Some(t) = key(f, "ticket") {
                followups.entry(t).or_default().push((id.as_str(), f));
            }
        }
        let mut changes: HashMap<String, Vec<&Map<String, Value>>> = HashMap::new();
        for f in &m.changes {
            if let Some(fu) = key(f, "followup") {
                changes.entry(fu).or_default().push(f);
            }
        }
        let mut files: HashMap<String, Vec<&Map<String, Value>>> = HashMap::new();
        for f in &m.attachments {
            if let Some(fu) = key(f, "followup") {
                files.entry(fu).or_default().push(f);
            }
        }
        let mut sequence = 0u64;
        let mut tickets = Vec::new();
        for (id, f) in &m.tickets {
            let number = TicketNumber::new(id.clone(), id.clone())
                .map_err(|_| refuse("number", format!("ticket {id:?} is no number")))?;
            sequence = sequence.max(id.parse().unwrap_or(0));
            let queue = key(f, "queue").unwrap_or_default();
            let department = *departments.get(&queue).ok_or_else(|| {
                refuse(
                    "department",
                    format!("ticket {id}: queue {queue:?} is not in the fixture"),
                )
            })?;
            let customer =
                text(f, "submitter_email").and_then(|e| by_email.get(&e.to_lowercase()).copied());
            let assignee = match key(f, "assigned_to").and_then(|u| people.get(&u).copied()) {
                Some(Person::Agent(a)) => Some(a),
                _ => None,
            };
            let created = time(f, "created").unwrap_or(now);
            let modified = time(f, "modified").unwrap_or(created).max(created);
            let code = f.get("status").and_then(Value::as_i64).unwrap_or(1);
            let merged_into = key(f, "merged_to").and_then(|t| ids.get(&t).copied());
            let final_status = if merged_into.is_some() {
                Status::Closed(Resolution::Merged)
            } else {
                status(code, flag(f, "on_hold"))
            };
            let opened_by = customer.map_or(Actor::System, Actor::Customer);
            let tid = ids[id];
            let subject = Subject::parse(text(f, "title").unwrap_or("(no subject)"))
                .or_else(|_| Subject::parse("(no subject)"))?;
            let first_priority = priority(f.get("priority").and_then(Value::as_i64).unwrap_or(3));
            let mut record = TicketRecord {
                ticket: Ticket {
                    id: tid,
                    number,
                    subject: subject.clone(),
                    customer,
                    department,
                    assignee,
                    status: final_status,
                    priority: first_priority,
                    ticket_type: TicketType::Incident,
                    categories: Default::default(),
                    service: None,
                    custom_fields: CustomFields::new(),
                    channel: Channel::Web,
                    internal: false,
                    master: None,
                    merged_into,
                    follow_up_of: None,
                    opened_by,
                    created_at: created,
                    updated_at: modified,
                    first_response_at: None,
                    resolved_at: None,
                    closed_at: None,
                    waiting_since: None,
                    timers: Timers::default(),
                    next_due_at: None,
                    satisfaction: None,
                    priority_request: None,
                    tags: Default::default(),
                    metrics: Default::default(),
                    version: Version::FIRST,
                },
                messages: Vec::new(),
                history: Vec::new(),
                time_entries: Vec::new(),
                cc: Vec::new(),
                followers: Vec::new(),
            };
            let event = |at, actor, change| TicketEvent {
                id: EventId::new(),
                ticket_id: tid,
                actor,
                at,
                change,
                origin: None,
            };
            record.history.push(event(
                created,
                opened_by,
                Change::Created {
                    subject,
                    department,
                    status: Status::Open,
                    priority: first_priority,
                    ticket_type: TicketType::Incident,
                    channel: Channel::Web,
                    internal: false,
                    follow_up_of: None,
                },
            ));
            if let Some(body) = text(f, "description").and_then(|b| MessageBody::parse(b).ok()) {
                let message = Message {
                    id: MessageId::new(),
                    ticket_id: tid,
                    author: opened_by,
                    visibility: Visibility::Public,
                    channel: Channel::Web,
                    body,
                    attachments: Vec::new(),
                    created_at: created,
                    origin: None,
                };
                record.history.push(event(
                    created,
                    opened_by,
                    Change::Replied {
                        message: message.id,
                        first_response: false,
                    },
                ));
                record.messages.push(message);
            }
            let mut now_status = Status::Open;
            let mut ups = followups.remove(id.as_str()).unwrap_or_default();
            ups.sort_by_key(|(fid, fu)| (time(fu, "date"), fid.parse::<u64>().unwrap_or(0)));
            for (fid, fu) in ups {
                let at = time(fu, "date").unwrap_or(modified).max(created);
                let author = key(fu, "user").and_then(|u| people.get(&u).copied());
                let public = flag(fu, "public");
                let actor = match author {
                    Some(p) => p.actor(),
                    None if public => opened_by,
                    None => Actor::System,
                };
                let mut attachments = Vec::new();
                for a in files.get(fid).into_iter().flatten() {
                    let Some(path) = text(a, "file") else {
                        continue;
                    };
                    let name = text(a, "filename")
                        .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path));
                    let Some(bytes) = file(path) else {
                        out.skipped
                            .push(format!("ticket {id}: attachment {path}: no file"));
                        continue;
                    };
                    let k = BlobKey::of(&bytes);
                    let mime = text(a, "mime_type").unwrap_or("application/octet-stream");
                    match Attachment::new(name, mime, bytes.len() as u64, k.as_str()) {
                        Ok(att) => {
                            attachments.push(att);
                            out.attachments.insert(k, bytes);
                        }
                        Err(e) => out.skipped.push(format!("ticket {id}: {path}: {e}")),
                    }
                }
                let comment = text(fu, "comment").and_then(|c| MessageBody::parse(c).ok());
                let body = match (comment, attachments.is_empty()) {
                    (Some(b), _) => Some(b),
                    (None, false) => Some(MessageBody::parse(
                        text(fu, "title").unwrap_or("(attachment)"),
                    )?),
                    (None, true) => None,
                };
                if let Some(body) = body {
                    let message = Message {
                        id: MessageId::new(),
                        ticket_id: tid,
                        author: actor,
                        visibility: if public {
                            Visibility::Public
                        } else {
                            Visibility::Internal
                        },
                        channel: Channel::Web,
                        body,
                        attachments,
                        created_at: at,
                        origin: None,
                    };
                    let first = public
                        && matches!(actor, Actor::Agent(_))
                        && record.ticket.first_response_at.is_none();
                    if first {
                        record.ticket.first_response_at = Some(at);
                    }
                    let change = if public {
                        Change::Replied {
                            message: message.id,
                            first_response: first,
                        }
                    } else {
                        Change::NoteAdded {
                            message: message.id,
                        }
                    };
                    record.history.push(event(at, actor, change));
                    record.messages.push(message);
                }
                if let Some(code) = fu.get("new_status").and_then(Value::as_i64) {
                    let to = status(code, false);
                    if to != now_status {
                        record.history.push(event(
                            at,
                            actor,
                            Change::StatusChanged {
                                from: now_status,
                                to,
                            },
                        ));
                        if to == Status::Resolved {
                            record.ticket.resolved_at = Some(at);
                        }
                        if matches!(to, Status::Closed(_)) {
                            record.ticket.closed_at = Some(at);
                        }
                        now_status = to;
                    }
                }
                for change in changes.get(fid).into_iter().flatten() {
                    let field = text(change, "field").unwrap_or_default();
                    let (old, new) = (text(change, "old_value"), text(change, "new_value"));
                    if field.eq_ignore_ascii_case("priority") {
                        let parse = |v: Option<&str>| v.and_then(|v| v.parse::<i64>().ok());
                        if let (Some(from), Some(to)) = (parse(old), parse(new)) {
                            record.history.push(event(
                                at,
                                actor,
                                Change::PriorityChanged {
                                    from: priority(from),
                                    to: priority(to),
                                },
                            ));
                            continue;
                        }
                    }
                    // A change this desk has no kind for: kept as an internal note.
                    let note = format!("{field}: {} → {}", old.unwrap_or("—"), new.unwrap_or("—"));
                    let message = Message {
                        id: MessageId::new(),
                        ticket_id: tid,
                        author: actor,
                        visibility: Visibility::Internal,
                        channel: Channel::Internal,
                        body: MessageBody::parse(&note)?,
                        attachments: Vec::new(),
                        created_at: at,
                        origin: None,
                    };
                    record.history.push(event(
                        at,
                        actor,
                        Change::NoteAdded {
                            message: message.id,
                        },
                    ));
                    record.messages.push(message);
                }
                let spent = text(fu, "time_spent").and_then(minutes);
                if let (Some(spent), Some(Person::Agent(agent))) = (spent, author) {
                    let mut left = spent;
                    while left > 0 {
                        let chunk = left.min(1_440);
                        left -= chunk;
                        record.time_entries.push(TimeEntry {
                            id: TimeEntryId::new(),
                            ticket_id: tid,
                            agent,
                            minutes: Minutes::new(chunk)?,
                            billable: false,
                            note: ShortNote::parse("")?,
                            note_visible_to_customer: false,
                            created_at: at,
                        });
                    }
                }
            }
            if final_status != now_status {
                record.history.push(event(
                    modified,
                    Actor::System,
                    Change::StatusChanged {
                        from: now_status,
                        to: final_status,
                    },
                ));
            }
            match final_status {
                Status::Resolved if record.ticket.resolved_at.is_none() => {
                    record.ticket.resolved_at = Some(modified)
                }
                Status::Closed(_) if record.ticket.closed_at.is_none() => {
                    record.ticket.closed_at = Some(modified)
                }
                _ => {}
            }
            tickets.push(record);
        }

        // CC: addresses, or users' addresses.
        let emails: HashMap<&str, &str> = (m.users.iter())
            .filter_map(|(id, f)| Some((id.as_str(), text(f, "email")?)))
            .collect();
        for cc in &m.ccs {
            let Some(t) = key(cc, "ticket").and_then(|t| ids.get(&t).copied()) else {
                continue;
            };
            let address = text(cc, "email")
                .or_else(|| key(cc, "user").and_then(|u| emails.get(u.as_str()).copied()));
            if let Some(e) = address.and_then(|a| Email::parse(a).ok())
                && let Some(r) = tickets.iter_mut().find(|r| r.ticket.id == t)
                && !r.cc.contains(&e)
            {
                r.cc.push(e);
            }
        }

        // The format's order: a merge target before the tickets merged into it.
        tickets.sort_by_key(|r| (r.ticket.merged_into.is_some(), r.ticket.created_at));
        let mut trailer = Trailer {
            departments: m.queues.len() as u64,
            ..Trailer::default()
        };
        for r in &records {
            match r {
                Record::Agent(_) => trailer.agents += 1,
                Record::Customer(_) => trailer.customers += 1,
                _ => {}
            }
        }
        let mut seen = std::collections::HashSet::new();
        for t in &tickets {
            trailer.tickets += 1;
            trailer.messages += t.messages.len() as u64;
            for m in &t.messages {
                for a in &m.attachments {
                    if seen.insert(a.sha256().to_owned()) {
                        trailer.attachments += 1;
                    }
                }
            }
        }
        out.records.push(Record::Header(Header::new(now, sequence)));
        out.records.extend(records);
        out.records
            .extend(tickets.into_iter().map(|t| Record::Ticket(Box::new(t))));
        out.records.push(Record::Trailer(trailer));
        Ok(out)
    }
}

fn fields_active(f: &Map<String, Value>) -> bool {
    f.get("is_active").and_then(Value::as_bool).unwrap_or(true)
}

fn new_customer(name: Name, email: Option<Email>, at: DateTime<Utc>) -> Customer {
    Customer {
        id: CustomerId::new(),
        kind: CustomerKind::Individual,
        name,
        email,
        phone: None,
        contract_number: None,
        address: None,
        custom_fields: CustomFields::new(),
        language: None,
        access_enabled: true,
        organisation: None,
        created_at: at,
    }
}
