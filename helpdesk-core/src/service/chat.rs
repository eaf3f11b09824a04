//! Live chat (seeds 000 and 001), kept as a ticket.
//!
//! A customer starts a chat in a department: a ticket on the chat channel opens at once, so
//! every message is stored as it is sent and the conversation stays in the case history. The
//! knowledge-base assistant answers first ([`ChatStarted::suggestions`], from
//! [`Acting::suggest_articles_in`]: the customer's language first, then the others); "this
//! helped" ends the chat and closes the ticket as solved, "talk to a person" puts the chat in
//! the department's queue. Queued chats go to the department's online agent with a free
//! seat, least busy first (then the one longest without a chat); the customer sees their
//! place in the queue. A chat nobody takes within
//! [`ChatSettings::answer_within`] is handed over: the chat ends and its ticket waits in the
//! department's queue like any other ([`Helpdesk::run_due`] does this).

use chrono::{DateTime, Duration, Utc};

use super::acting::Principal;
use super::tickets::ExecOptions;
use super::{Acting, Helpdesk};
use crate::domain::{
    Agent, AgentId, Article, Availability, Channel, ChatEnd, ChatId, ChatSession, ChatState,
    DepartmentId, Message, MessageBody, Permission, Presence, Resolution, Subject, Ticket, Version,
};
use crate::error::{ConflictKind, Entity, Error, ForbiddenReason, Result};
use crate::machine::{Command, NewTicket};
use crate::store::ChatCommit;

/// How chats run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChatSettings {
    /// How long a queued chat waits for an agent before it is handed to the ticket queue.
    pub answer_within: Duration,
    /// How many articles the assistant offers.
    pub suggestions: u32,
    /// The seats an agent has when they first go online without saying.
    pub default_max_chats: u32,
}

impl Default for ChatSettings {
    /// Five minutes, three articles, three chats at once.
    fn default() -> Self {
        Self {
            answer_within: Duration::minutes(5),
            suggestions: 3,
            default_max_chats: 3,
        }
    }
}

/// A chat just started.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatStarted {
    /// The chat (with the assistant).
    pub chat: ChatSession,
    /// The ticket that keeps its transcript.
    pub ticket: Ticket,
    /// What the assistant offers from the knowledge base (maybe none): the articles in the
    /// customer's language first, then those in other languages, each group best first.
    pub suggestions: Vec<Article>,
}

/// Where a chat stands, as its customer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatPlace {
    /// The assistant is answering.
    Assistant,
    /// In the queue; 1 is next.
    Queued {
        /// The place in the department's queue.
        position: usize,
    },
    /// With an agent.
    WithAgent(AgentId),
    /// Over.
    Ended(ChatEnd),
}

/// How many times routing re-reads after a concurrent change.
const ROUTING_ATTEMPTS: usize = 8;

impl Helpdesk {
    /// Sets how chats run.
    pub fn with_chat(mut self, settings: ChatSettings) -> Self {
        self.chat = settings;
        self
    }

    /// How chats run on this desk (set with [`Helpdesk::with_chat`], else the defaults):
    /// what the assistant, the queue and the seats go by.
    pub fn chat_settings(&self) -> &ChatSettings {
        &self.chat
    }

    /// Hands chats that waited longer than [`ChatSettings::answer_within`] at `now` to the
    /// ticket queue; how many. [`Helpdesk::run_due`] calls it.
    pub async fn hand_over_unanswered_chats(&self, now: DateTime<Utc>) -> Result<usize> {
        // A desk without live chat has no chats to hand over.
        let Some(chats) = self.store.as_chat_store() else {
            return Ok(0);
        };
        let late = chats
            .chats_waiting_since_before(now - self.chat.answer_within + Duration::microseconds(1))
            .await?;
        let mut handed = 0;
        for chat in late {
            match self.end(chat, ChatEnd::NoAgent).await {
                Ok(_) => handed += 1,
                // Taken by an agent or ended meanwhile.
                Err(Error::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(handed)
    }

    async fn require_chat(&self, id: ChatId) -> Result<ChatSession> {
        self.chat_store()?
            .chat(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Chat, id))
    }

    /// Ends `chat` (at its version) and frees its agent's seat, together.
    async fn end(&self, chat: ChatSession, end: ChatEnd) -> Result<ChatSession> {
        let mut ended = chat.clone();
        ended.state = ChatState::Ended {
            at: self.now(),
            end,
        };
        let mut availability = Vec::new();
        if let Some(agent) = chat.agent() {
            for _ in 0..ROUTING_ATTEMPTS {
                let Some(a) = self.chat_store()?.availability(agent).await? else {
                    break;
                };
                let mut freed = a.clone();
                freed.active_chats = a.active_chats.saturating_sub(1);
                availability = vec![(Some(a.version), freed)];
                match self
                    .chat_store()?
                    .commit_chat(ChatCommit {
                        chats: vec![(Some(chat.version), ended.clone())],
                        availability: availability.clone(),
                    })
                    .await
                {
                    Err(Error::Conflict {
                        entity: Entity::Availability,
                        ..
                    }) => continue,
                    other => return other.map(|()| self.versioned(ended, chat.version)),
                }
            }
        }
        self.chat_store()?
            .commit_chat(ChatCommit {
                chats: vec![(Some(chat.version), ended.clone())],
                availability,
            })
            .await?;
        Ok(self.versioned(ended, chat.version))
    }

    fn versioned(&self, mut chat: ChatSession, from: Version) -> ChatSession {
        chat.version = from.next();
        chat
    }

    /// Gives queued chats of `department` to its online agents with free seats, least busy
    /// first, until the queue or the seats run out.
    pub(crate) async fn route_chats(&self, department: DepartmentId) -> Result<()> {
        let mut conflicts = 0;
        loop {
            let Some(next) = self
                .chat_store()?
                .waiting_chats(department)
                .await?
                .into_iter()
                .next()
            else {
                return Ok(());
            };
            let agents: Vec<Agent> = self
                .store
                .agents()
                .await?
                .into_iter()
                .filter(|a| {
                    a.can(Permission::Reply, department) && a.departments.contains_key(&department)
                })
                .collect();
            let seats = self.chat_store()?.availabilities().await?;
            let (now, timeout) = (self.now(), self.presence_timeout().await?);
            let best = seats
                .into_iter()
                .filter(|s| s.has_seat_at(now, timeout) && agents.iter().any(|a| a.id == s.agent))
                .min_by_key(|s| (s.active_chats, s.last_assigned_at, s.agent));
            let Some(seat) = best else {
                return Ok(());
            };
            let now = self.now();
            let mut taken = next.clone();
            taken.state = ChatState::Active {
                agent: seat.agent,
                since: now,
            };
            let mut busier = seat.clone();
            busier.active_chats += 1;
            busier.last_assigned_at = Some(now);
            let result = self
                .chat_store()?
                .commit_chat(ChatCommit {
                    chats: vec![(Some(next.version), taken)],
                    availability: vec![(Some(seat.version), busier)],
                })
                .await;
            match result {
                Ok(()) => {
                    // The chat's ticket is the agent's from now on.
                    self.as_system()
                        .execute(
                            next.ticket_id,
                            Command::Assign {
                                agent: Some(seat.agent),
                            },
                        )
                        .await?;
                }
                Err(Error::Conflict {
                    kind: ConflictKind::StaleVersion { .. },
                    ..
                }) => {
                    // Another router moved first; it keeps routing this queue.
                    conflicts += 1;
                    if conflicts > 4 * ROUTING_ATTEMPTS {
                        return Ok(());
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl Acting {
    /// Starts a chat: opens its ticket (channel `chat`) with the customer's first words and
    /// asks the knowledge base.
    pub async fn start_chat(
        &self,
        department: DepartmentId,
        text: MessageBody,
    ) -> Result<ChatStarted> {
        let Principal::Customer(customer) = &self.principal else {
            return Err(Error::forbidden(ForbiddenReason::CustomersOnly));
        };
        // Before anything is written: a desk without live chat opens no chat's ticket.
        let chats = self.desk.chat_store()?;
        let first_line = text.as_str().lines().next().unwrap_or_default();
        let subject: String = first_line.chars().take(80).collect();
        let subject = Subject::parse(&subject).or_else(|_| Subject::parse("Chat"))?;
        let mut new = NewTicket::new(subject, text.clone(), department);
        new.channel = Channel::Chat;
        let ticket = self
            .open_staged(new, None, &super::attachments::Staged::default())
            .await?
            .ticket;
        let chat = ChatSession {
            id: ChatId::new(),
            ticket_id: ticket.id,
            customer: customer.id,
            department,
            state: ChatState::Assistant,
            created_at: self.desk.now(),
            version: Version::FIRST,
        };
        chats
            .commit_chat(ChatCommit {
                chats: vec![(None, chat.clone())],
                availability: vec![],
            })
            .await?;
        // Without a knowledge base the assistant has nothing to offer; the customer asks for
        // a person.
        // In the customer's language first, then the others (see `knowledge_language`).
        let limit = self.desk.chat.suggestions.max(1);
        let suggestions = match (self.desk.knowledge_store(), customer.language) {
            (Err(_), _) => Vec::new(),
            (Ok(_), Some(reader)) => {
                self.suggest_articles_in(text.as_str(), reader, limit)
                    .await?
            }
            (Ok(_), None) => self.suggest_articles(text.as_str(), None, limit).await?,
        };
        Ok(ChatStarted {
            chat,
            ticket,
            suggestions,
        })
    }

    /// A chat, for its customer, its agent, or staff of its department.
    pub async fn chat(&self, id: ChatId) -> Result<ChatSession> {
        let chat = self.desk.require_chat(id).await?;
        self.check_chat_reader(&chat)?;
        Ok(chat)
    }

    /// Where a chat stands for its customer: with the assistant, queued (and where), with an
    /// agent, or over.
    pub async fn chat_place(&self, id: ChatId) -> Result<ChatPlace> {
        let chat = self.chat(id).await?;
        // An agent who left is not someone to talk to: the chat goes back to the queue.
        let chat = self
            .desk
            .requeue_if_agent_gone(chat, self.desk.now())
            .await?;
        Ok(match chat.state {
            ChatState::Assistant => ChatPlace::Assistant,
            ChatState::Active { agent, .. } => ChatPlace::WithAgent(agent),
            ChatState::Ended { end, .. } => ChatPlace::Ended(end),
            ChatState::Waiting { .. } => {
                let queue = self
                    .desk
                    .chat_store()?
                    .waiting_chats(chat.department)
                    .await?;
                let position = queue
                    .iter()
                    .position(|c| c.id == chat.id)
                    .map_or(1, |p| p + 1);
                ChatPlace::Queued { position }
            }
        })
    }

    /// "Talk to a person": the chat joins its department's queue and goes to an agent at
    /// once when one has a free seat.
    pub async fn talk_to_person(&self, id: ChatId) -> Result<ChatPlace> {
        let chat = self.customers_chat(id).await?;
        if chat.state != ChatState::Assistant {
            return self.chat_place(id).await;
        }
        let mut waiting = chat.clone();
        waiting.state = ChatState::Waiting {
            since: self.desk.now(),
        };
        self.desk
            .chat_store()?
            .commit_chat(ChatCommit {
                chats: vec![(Some(chat.version), waiting)],
                availability: vec![],
            })
            .await?;
        self.desk.route_chats(chat.department).await?;
        let place = self.chat_place(id).await?;
        if let ChatPlace::Queued { .. } = place {
            // Nobody took it at once: the department's agents are told it waits.
            self.desk.chat_waits(chat.ticket_id).await?;
        }
        Ok(place)
    }

    /// "This helped": the assistant's answer solved it; the chat ends and its ticket closes
    /// as solved.
    pub async fn chat_answered(&self, id: ChatId) -> Result<ChatSession> {
        let chat = self.customers_chat(id).await?;
        if chat.state != ChatState::Assistant {
            return Err(Error::validation(
                "chat",
                "only a chat still with the assistant ends as answered",
            ));
        }
        let ended = self.desk.end(chat, ChatEnd::Answered).await?;
        self.desk
            .as_system()
            .execute(
                ended.ticket_id,
                Command::Close {
                    resolution: Resolution::Solved,
                },
            )
            .await?;
        Ok(ended)
    }

    /// Says something in a chat, as its customer or its agent: the message is stored in the
    /// chat's ticket at once and returned.
    pub async fn say(&self, id: ChatId, text: MessageBody) -> Result<Message> {
        let chat = self.desk.require_chat(id).await?;
        // Someone else's chat answers as a missing one, whatever its state.
        self.check_chat_reader(&chat)?;
        let allowed = match (&self.principal, chat.state) {
            (_, ChatState::Ended { .. }) => {
                return Err(Error::validation("chat", "the chat is over"));
            }
            (Principal::Customer(c), _) => c.id == chat.customer,
            (Principal::Agent(a), ChatState::Active { agent, .. }) => a.id == agent,
            _ => false,
        };
        if !allowed {
            return Err(Error::not_found(Entity::Chat, id));
        }
        let options = ExecOptions {
            expected: None,
            channel: Channel::Chat,
        };
        let command = Command::Reply {
            body: text,
            attachments: vec![],
        };
        self.execute_with(chat.ticket_id, command, options).await?;
        let thread = self.desk.store.messages(chat.ticket_id, false).await?;
        thread
            .into_iter()
            .rev()
            .find(|m| m.author == self.actor())
            .ok_or_else(|| Error::not_found(Entity::Chat, id))
    }

    /// Ends a chat: its customer leaves, or its agent closes the conversation (the ticket
    /// stays, to be closed or worked on like any other). The agent's seat goes to the next
    /// queued chat. No transcript is sent ([`Acting::end_chat_with`] sends one).
    pub async fn end_chat(&self, id: ChatId) -> Result<ChatSession> {
        self.end_chat_with(id, false).await
    }

    /// Ends a chat as [`Acting::end_chat`] does; with `transcript`, its customer ending it
    /// asks for the transcript, e-mailed to them once as the chat ends (needs mail settings
    /// and the customer's address, checked before anything is written). Ending a chat
    /// already over sends nothing.
    pub async fn end_chat_with(&self, id: ChatId, transcript: bool) -> Result<ChatSession> {
        let chat = self.desk.require_chat(id).await?;
        // Someone else's chat answers as a missing one, whatever its state.
        self.check_chat_reader(&chat)?;
        let end = match (&self.principal, chat.state) {
            (_, ChatState::Ended { .. }) => return Ok(chat),
            (Principal::Customer(c), _) if c.id == chat.customer => ChatEnd::ByCustomer,
            (Principal::Agent(a), ChatState::Active { agent, .. }) if a.id == agent => {
                ChatEnd::ByAgent
            }
            _ => return Err(Error::not_found(Entity::Chat, id)),
        };
        let department = chat.department;
        let send_to = if transcript {
            Some(self.transcript_to(&chat).await?)
        } else {
            None
        };
        let ended = self.desk.end(chat, end).await?;
        if let Some((to, customer)) = send_to {
            self.desk
                .send_transcript(ended.ticket_id, to, customer)
                .await?;
        }
        self.desk.route_chats(department).await?;
        Ok(ended)
    }

    /// Sets an agent's presence (and how many chats they take at once, when given). Going
    /// online routes waiting chats of their departments to them.
    pub async fn set_presence(
        &self,
        presence: Presence,
        max_chats: Option<u32>,
    ) -> Result<Availability> {
        let Principal::Agent(agent) = &self.principal else {
            return Err(Error::forbidden(ForbiddenReason::AgentsOnly));
        };
        if max_chats.is_some_and(|m| m > 50) {
            return Err(Error::validation("max_chats", "at most 50"));
        }
        let updated = loop {
            let current = self.desk.chat_store()?.availability(agent.id).await?;
            let expected = current.as_ref().map(|a| a.version);
            let mut next = current.unwrap_or_else(|| {
                Availability::offline(agent.id, self.desk.chat.default_max_chats)
            });
            next.presence = presence;
            // Setting one's presence is a heartbeat.
            next.last_seen_at = Some(self.desk.now());
            if let Some(m) = max_chats {
                next.max_chats = m;
            }
            match self
                .desk
                .chat_store()?
                .commit_chat(ChatCommit {
                    chats: vec![],
                    availability: vec![(expected, next.clone())],
                })
                .await
            {
                Ok(()) => break next,
                Err(Error::Conflict { .. }) => continue,
                Err(e) => return Err(e),
            }
        };
        if presence == Presence::Online {
            for department in agent.departments.keys() {
                self.desk.route_chats(*department).await?;
            }
        }
        let (now, timeout) = (self.desk.now(), self.desk.presence_timeout().await?);
        Ok(self
            .desk
            .chat_store()?
            .availability(agent.id)
            .await?
            .unwrap_or(updated)
            .as_of(now, timeout))
    }

    /// The acting agent's availability for chats: as last set (offline once their presence
    /// expired), or offline with the desk's default seats when never set.
    pub async fn my_availability(&self) -> Result<Availability> {
        let agent = self.require_agent()?;
        let (now, timeout) = (self.desk.now(), self.desk.presence_timeout().await?);
        Ok(self
            .desk
            .chat_store()?
            .availability(agent.id)
            .await?
            .unwrap_or_else(|| Availability::offline(agent.id, self.desk.chat.default_max_chats))
            .as_of(now, timeout))
    }

    /// The chats an agent is in now.
    pub async fn my_chats(&self) -> Result<Vec<ChatSession>> {
        let Principal::Agent(agent) = &self.principal else {
            return Err(Error::forbidden(ForbiddenReason::AgentsOnly));
        };
        self.desk.chat_store()?.agent_chats(agent.id).await
    }

    /// A department's queue of waiting chats, for its staff.
    pub async fn chat_queue(&self, department: DepartmentId) -> Result<Vec<ChatSession>> {
        match &self.principal {
            Principal::System => {}
            Principal::Agent(a) if a.can(Permission::Read, department) => {}
            Principal::Agent(_) => {
                return Err(Error::forbidden(ForbiddenReason::MissingPermission {
                    permission: Permission::Read,
                }));
            }
            Principal::Customer(_) => return Err(Error::forbidden(ForbiddenReason::AgentsOnly)),
        }
        self.desk.chat_store()?.waiting_chats(department).await
    }

    async fn customers_chat(&self, id: ChatId) -> Result<ChatSession> {
        let chat = self.desk.require_chat(id).await?;
        match &self.principal {
            Principal::Customer(c) if c.id == chat.customer => Ok(chat),
            Principal::Customer(_) => Err(Error::not_found(Entity::Chat, id)),
            _ => Err(Error::forbidden(ForbiddenReason::CustomersOnly)),
        }
    }

    fn check_chat_reader(&self, chat: &ChatSession) -> Result<()> {
        match &self.principal {
            Principal::System => Ok(()),
            Principal::Customer(c) if c.id == chat.customer => Ok(()),
            Principal::Agent(a)
                if chat.agent() == Some(a.id) || a.can(Permission::Read, chat.department) =>
            {
                Ok(())
            }
            _ => Err(Error::not_found(Entity::Chat, chat.id)),
        }
    }
}
