//! Human tables, or JSON with `--json`.

use std::collections::HashMap;
use std::io::Write;

use chrono::{DateTime, Utc};
use helpdesk::Helpdesk;
use helpdesk::domain::{
    Actor, Agent, Customer, CustomerKind, Department, Message, Notice, Ticket, TimeEntry,
    Visibility,
};
use helpdesk::service::Opened;
use helpdesk::store::CustomerPage;
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::CliResult;
use crate::listing::Listed;

/// A ticket just opened, as `--json` prints it.
#[derive(Serialize)]
struct OpenedJson<'a> {
    #[serde(flatten)]
    ticket: &'a Ticket,
    notices: Vec<NoticeJson<'a>>,
}

/// A notice, as `--json` prints it.
#[derive(Serialize)]
struct NoticeJson<'a> {
    #[serde(flatten)]
    notice: &'a Notice,
    message: String,
}

/// Where results go.
pub struct Out<'a> {
    w: &'a mut dyn Write,
    /// JSON instead of tables.
    pub json: bool,
    /// A customer reads it: tickets are named by the short number only, the one customers
    /// are told everywhere (pages, e-mail, chat); staff see the full number.
    customer: bool,
}

/// Display names of departments, agents and customers, by id.
pub struct Names {
    by_id: HashMap<Uuid, String>,
}

impl Names {
    /// Departments and agents; customers are looked up as tickets name them.
    /// Read by the desk itself: an operator's tables name people whoever acts.
    pub async fn load(desk: &Helpdesk) -> CliResult<Self> {
        let system = desk.as_system();
        let mut by_id = HashMap::new();
        for d in system.departments().await? {
            by_id.insert(d.id.as_uuid(), d.name.to_string());
        }
        for a in system.agents().await? {
            by_id.insert(a.id.as_uuid(), a.name.to_string());
        }
        Ok(Self { by_id })
    }

    /// Adds the customers of `tickets`.
    pub async fn with_customers(mut self, desk: &Helpdesk, tickets: &[Ticket]) -> Self {
        let system = desk.as_system();
        for id in tickets.iter().filter_map(|t| t.customer) {
            if let std::collections::hash_map::Entry::Vacant(slot) = self.by_id.entry(id.as_uuid())
                && let Ok(c) = system.customer(id).await
            {
                slot.insert(c.name.to_string());
            }
        }
        self
    }

    fn get(&self, id: Uuid) -> &str {
        self.by_id.get(&id).map_or("?", String::as_str)
    }

    fn actor(&self, actor: Actor) -> String {
        match actor {
            Actor::Agent(a) => format!("agent {}", self.get(a.as_uuid())),
            Actor::Customer(c) => format!("customer {}", self.get(c.as_uuid())),
            Actor::System => "system".to_owned(),
        }
    }
}

/// `1 ticket`, `3 tickets`.
fn counted(n: usize, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

fn time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Left-aligned columns, two spaces apart, widths in characters.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut s = String::new();
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(cell);
            let pad = widths[i] - cell.chars().count();
            s.extend(std::iter::repeat_n(' ', pad));
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut text = line(&mut header.iter().copied());
    for row in rows {
        text.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    text
}

/// At most `max` characters, with an ellipsis when cut.
/// Customers as a table.
fn customer_table(customers: &[Customer]) -> String {
    let opt = |o: Option<String>| o.unwrap_or_else(|| "-".to_owned());
    let rows: Vec<Vec<String>> = customers
        .iter()
        .map(|c| {
            vec![
                c.name.to_string(),
                match c.kind {
                    CustomerKind::Individual => "individual".to_owned(),
                    CustomerKind::Organisation => "organisation".to_owned(),
                },
                opt(c.contract_number.as_ref().map(|x| x.to_string())),
                opt(c.phone.as_ref().map(|x| x.to_string())),
                opt(c.email.as_ref().map(|x| x.to_string())),
                opt(c.address.as_ref().map(|x| cut(x.as_str(), 40))),
                if c.access_enabled { "yes" } else { "no" }.to_owned(),
            ]
        })
        .collect();
    let header = [
        "NAME", "KIND", "CONTRACT", "PHONE", "E-MAIL", "ADDRESS", "ACCESS",
    ];
    table(&header, &rows)
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max - 1).collect();
    s.push('…');
    s
}

impl<'a> Out<'a> {
    /// Results to `w`, for staff.
    pub fn new(w: &'a mut dyn Write, json: bool) -> Self {
        Self {
            w,
            json,
            customer: false,
        }
    }

    /// Results read by a customer (`--as customer:EMAIL`) when `customer`.
    pub fn for_customer(mut self, customer: bool) -> Self {
        self.customer = customer;
        self
    }

    /// How a ticket is named to the reader: its short number for customers, the full one
    /// for staff.
    fn number<'t>(&self, ticket: &'t Ticket) -> &'t str {
        if self.customer {
            ticket.number.short()
        } else {
            ticket.number.full()
        }
    }

    /// Text as it is.
    pub fn raw(&mut self, text: &str) -> CliResult {
        self.w.write_all(text.as_bytes())?;
        Ok(())
    }

    /// Bytes as they are (a message, say).
    pub fn bytes(&mut self, bytes: &[u8]) -> CliResult {
        self.w.write_all(bytes)?;
        Ok(())
    }

    /// Pretty JSON and a newline.
    pub fn json_value<T: Serialize>(&mut self, value: &T) -> CliResult {
        let text = serde_json::to_string_pretty(value)? + "\n";
        self.raw(&text)
    }

    /// `json` with `--json`, else `human`.
    pub fn value(&mut self, json: &Value, human: &str) -> CliResult {
        if self.json {
            self.json_value(json)
        } else {
            self.raw(human)
        }
    }

    /// A ticket just opened, and what the desk did otherwise than asked: with `--json` the
    /// ticket's fields and `notices` (each with an English `message`), else a `note:` line
    /// per notice.
    pub fn created(&mut self, opened: &Opened) -> CliResult {
        let ticket = &opened.ticket;
        if self.json {
            let notices: Vec<NoticeJson<'_>> = opened
                .notices
                .iter()
                .map(|notice| NoticeJson {
                    notice,
                    message: notice.to_string(),
                })
                .collect();
            return self.json_value(&OpenedJson { ticket, notices });
        }
        let text = if self.customer {
            format!("opened {}", ticket.number.short())
        } else {
            format!(
                "opened {} (short {})",
                ticket.number.full(),
                ticket.number.short()
            )
        };
        let mut text = format!(
            "{text}: {} [{}, {}]\n",
            ticket.subject, ticket.status, ticket.priority
        );
        for notice in &opened.notices {
            text += &format!("note: {notice}\n");
        }
        self.raw(&text)
    }

    /// A ticket just changed.
    pub fn changed(&mut self, ticket: &Ticket, what: &str) -> CliResult {
        if self.json {
            return self.json_value(ticket);
        }
        let number = self.number(ticket);
        self.raw(&format!(
            "{number} {what}: now {}, priority {}\n",
            ticket.status, ticket.priority
        ))
    }

    /// Time entries as a table: when, how long, billable, by whom, whether the customer may
    /// read the note, and the note.
    pub fn time_entries(&mut self, entries: &[TimeEntry], names: &Names) -> CliResult {
        if self.json {
            return self.json_value(&entries);
        }
        if entries.is_empty() {
            return self.raw("no time logged\n");
        }
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
        let rows: Vec<Vec<String>> = entries
            .iter()
            .map(|e| {
                vec![
                    time(e.created_at),
                    e.minutes.get().to_string(),
                    yes_no(e.billable),
                    names.get(e.agent.as_uuid()).to_owned(),
                    yes_no(e.note_visible_to_customer),
                    cut(e.note.as_str(), 50),
                ]
            })
            .collect();
        let header = [
            "Logged",
            "Minutes",
            "Billable",
            "Agent",
            "Customer sees note",
            "Note",
        ];
        self.raw(&table(&header, &rows))
    }

    /// A list of tickets: with `--json` the API's shape (`items`, `next`, `changed`,
    /// `total`); else a table and a last line saying how many of how many (`first 50 of
    /// 120`), where the next page starts, and what changed since the first page (`first`:
    /// whether this is the first page).
    pub(crate) fn tickets(
        &mut self,
        listed: &Listed,
        total: Option<u64>,
        first: bool,
        names: &Names,
    ) -> CliResult {
        if self.json {
            return self.json_value(&json!({
                "items": listed.items,
                "next": listed.next.map(|c| c.encode()),
                "changed": listed.changed,
                "total": total,
            }));
        }
        let tickets = &listed.items;
        let mut tail = String::new();
        if let Some(changed) = listed.changed.as_ref().filter(|c| !c.tickets.is_empty()) {
            let more = if changed.more { " or more" } else { "" };
            tail = format!(
                "{}{more} changed since the first page and left out of the pages after it: \
                 list again from the first page to see them\n",
                counted(changed.tickets.len(), "ticket")
            );
        }
        if tickets.is_empty() && listed.next.is_none() {
            let none = if first {
                "no tickets\n"
            } else {
                "no more tickets\n"
            };
            return self.raw(&format!("{none}{tail}"));
        }
        let rows: Vec<Vec<String>> = tickets
            .iter()
            .map(|t| {
                vec![
                    self.number(t).to_owned(),
                    t.status.to_string(),
                    t.priority.to_string(),
                    names.get(t.department.as_uuid()).to_owned(),
                    t.assignee
                        .map_or("-".to_owned(), |a| names.get(a.as_uuid()).to_owned()),
                    t.channel.as_str().to_owned(),
                    time(t.updated_at),
                    cut(t.subject.as_str(), 40),
                ]
            })
            .collect();
        let header = [
            "NUMBER",
            "STATUS",
            "PRIORITY",
            "DEPARTMENT",
            "ASSIGNEE",
            "CHANNEL",
            "UPDATED",
            "SUBJECT",
        ];
        let n = tickets.len();
        let mut count = match (first, listed.next.is_some(), total) {
            (true, false, _) => counted(n, "ticket"),
            (true, true, Some(total)) => format!("first {n} of {total}"),
            (true, true, None) => format!("first {n}"),
            (false, _, Some(total)) => format!("{n} more of {total}"),
            (false, _, None) => format!("{n} more"),
        };
        if let Some(next) = &listed.next {
            count.push_str(&format!("; the next page: --after {}", next.encode()));
        }
        let text = table(&header, &rows) + &count + "\n" + &tail;
        self.raw(&text)
    }

    /// One ticket with its thread and history.
    pub fn ticket(
        &mut self,
        ticket: &Ticket,
        thread: &[Message],
        history: &str,
        names: &Names,
    ) -> CliResult {
        let mut s = String::new();
        s.push_str(&format!(
            "Ticket {}  {}\n",
            self.number(ticket),
            ticket.subject
        ));
        let customer = ticket
            .customer
            .map_or("-".to_owned(), |c| names.get(c.as_uuid()).to_owned());
        let assignee = ticket
            .assignee
            .map_or("-".to_owned(), |a| names.get(a.as_uuid()).to_owned());
        let rows = [
            ("Status", ticket.status.to_string()),
            ("Priority", ticket.priority.to_string()),
            ("Type", ticket.ticket_type.to_string()),
            (
                "Department",
                names.get(ticket.department.as_uuid()).to_owned(),
            ),
            ("Customer", customer),
            ("Assignee", assignee),
            ("Channel", ticket.channel.as_str().to_owned()),
            ("Created", time(ticket.created_at)),
            ("Updated", time(ticket.updated_at)),
        ];
        for (k, v) in rows {
            s.push_str(&format!("  {k:<11}{v}\n"));
        }
        s.push_str(&format!("\nThread ({} messages)\n", thread.len()));
        for m in thread {
            let kind = match m.visibility {
                Visibility::Public => "public",
                Visibility::Internal => "INTERNAL NOTE",
            };
            s.push_str(&format!(
                "--- {} · {} · {kind} · {}\n",
                time(m.created_at),
                names.actor(m.author),
                m.channel.as_str()
            ));
            for line in m.body.as_str().lines() {
                s.push_str(&format!("    {line}\n"));
            }
            for a in &m.attachments {
                s.push_str(&format!(
                    "    [attachment] {} ({}, {} bytes)\n",
                    a.display_name(),
                    a.content_type(),
                    a.size()
                ));
            }
        }
        s.push_str("\nHistory\n");
        for line in history.lines() {
            s.push_str(&format!("  {line}\n"));
        }
        self.raw(&s)
    }

    /// Customers as a table.
    pub fn customers(&mut self, customers: &[Customer]) -> CliResult {
        if self.json {
            return self.json_value(&customers);
        }
        if customers.is_empty() {
            return self.raw("no customers\n");
        }
        self.raw(&customer_table(customers))
    }

    /// A page of the customer directory: a table and "first N of TOTAL" (with the next
    /// page's `--after`), or `{"items", "total", "next"}`.
    pub fn customer_page(&mut self, page: &CustomerPage, first: bool) -> CliResult {
        if self.json {
            return self.json_value(&json!({
                "items": page.items,
                "total": page.total,
                "next": page.next.as_ref().map(|c| c.encode()),
            }));
        }
        if page.items.is_empty() && page.next.is_none() {
            return self.raw(if first {
                "no customers\n"
            } else {
                "no more customers\n"
            });
        }
        let n = page.items.len();
        let total = page.total;
        let mut count = match (first, page.next.is_some()) {
            (true, false) => counted(n, "customer"),
            (true, true) => format!("first {n} of {total}"),
            (false, _) => format!("{n} more of {total}"),
        };
        if let Some(next) = &page.next {
            count.push_str(&format!("; the next page: --after {}", next.encode()));
        }
        let text = customer_table(&page.items) + &count + "\n";
        self.raw(&text)
    }

    /// Departments as a table.
    pub fn departments(&mut self, departments: &[Department]) -> CliResult {
        if self.json {
            return self.json_value(&departments);
        }
        let rows: Vec<Vec<String>> = departments
            .iter()
            .map(|d| {
                vec![
                    d.name.to_string(),
                    d.follow_up.as_str().to_owned(),
                    if d.active { "yes" } else { "no" }.to_owned(),
                ]
            })
            .collect();
        self.raw(&table(&["NAME", "FOLLOW-UP", "ACTIVE"], &rows))
    }

    /// Agents as a table.
    pub fn agents(&mut self, agents: &[Agent], departments: &[Department]) -> CliResult {
        if self.json {
            return self.json_value(&agents);
        }
        let rows: Vec<Vec<String>> = agents
            .iter()
            .map(|a| {
                let in_departments: Vec<&str> = departments
                    .iter()
                    .filter(|d| a.departments.contains_key(&d.id))
                    .map(|d| d.name.as_str())
                    .collect();
                vec![
                    a.name.to_string(),
                    a.email.to_string(),
                    format!("{:?}", a.role).to_lowercase(),
                    in_departments.join(", "),
                    if a.active { "yes" } else { "no" }.to_owned(),
                ]
            })
            .collect();
        self.raw(&table(
            &["NAME", "E-MAIL", "ROLE", "DEPARTMENTS", "ACTIVE"],
            &rows,
        ))
    }
}
