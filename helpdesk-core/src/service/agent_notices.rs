//! Telling agents of what needs them (issue 20), as each one's notification preferences say:
//! an in-app notification, an e-mail through the outbox in their language, both, or nothing.
//! Part of the change's own batch, like every effect.

use super::Helpdesk;
use crate::domain::{
    Agent, AgentId, Delivery, EmailKind, Notification, NotificationId, NotificationKind,
    NotificationState, NotifyChannel, NotifyEvent, OutboundEmail, OutboxId, Ticket, TicketEvent,
};
use crate::error::Result;
use crate::render::{AgentNoticeContext, render_agent_notice};

/// One agent to be told of one event.
pub(crate) struct AgentNotice<'a> {
    /// The agent.
    pub agent: AgentId,
    /// What to tell.
    pub kind: NotificationKind,
    /// The ticket, as the change leaves it.
    pub ticket: &'a Ticket,
    /// The event.
    pub event: &'a TicketEvent,
}

/// What telling agents adds to a batch.
#[derive(Default)]
pub(crate) struct Told {
    /// In-app notifications.
    pub notifications: Vec<Notification>,
    /// E-mails to agents.
    pub outbox: Vec<OutboundEmail>,
}

impl Helpdesk {
    /// The notifications and e-mails that tell `notices` as each agent's preferences say
    /// (read once for all of them). A kind no preference covers (a note on the agent's
    /// ticket) goes in the app. E-mail needs mail settings in force; without them only the
    /// in-app part is told. `stored_mail` is the stored mail settings when already read.
    pub(crate) async fn tell_agents(
        &self,
        notices: &[AgentNotice<'_>],
        agents: &[Agent],
        stored_mail: &Option<Option<String>>,
    ) -> Result<Told> {
        let mut told = Told::default();
        if notices.is_empty() {
            return Ok(told);
        }
        let mut ids: Vec<AgentId> = notices.iter().map(|n| n.agent).collect();
        ids.sort_unstable();
        ids.dedup();
        let preferences = self.preferences_of(&ids).await?;
        let mut mail = None;
        let mut public_url = None;
        for n in notices {
            let channel = match NotifyEvent::of(&n.kind) {
                Some(event) => preferences
                    .get(&n.agent)
                    .map_or(event.default_channel(), |p| p.channel(event)),
                None => NotifyChannel::InApp,
            };
            if channel.in_app() {
                told.notifications.push(Notification {
                    id: NotificationId::new(),
                    recipient: crate::domain::Recipient::Agent(n.agent),
                    ticket_id: n.ticket.id,
                    event_id: n.event.id,
                    kind: n.kind,
                    created_at: n.event.at,
                    state: NotificationState::default(),
                });
            }
            if !channel.email() {
                continue;
            }
            let Some(agent) = agents.iter().find(|a| a.id == n.agent) else {
                continue;
            };
            if mail.is_none() {
                mail = Some(match stored_mail {
                    Some(stored) => self.mail_in_force_from(stored.as_deref())?,
                    None => self.mail_in_force().await?,
                });
            }
            let Some(settings) = mail.as_ref().and_then(Option::as_deref) else {
                continue;
            };
            if public_url.is_none() {
                public_url = Some(self.public_url().await?);
            }
            let language = preferences
                .get(&n.agent)
                .map_or(crate::domain::Language::English, |p| p.language);
            let rendered = render_agent_notice(
                &n.kind,
                language,
                &AgentNoticeContext {
                    number: &n.ticket.number,
                    public_url: public_url.as_ref().and_then(Option::as_ref),
                    subject: n.ticket.subject.as_str(),
                    agent_name: agent.name.as_str(),
                    desk_name: &settings.from_name,
                },
            );
            // Not filed as a mail reference: an answer to a notice is no message of the
            // ticket's conversation.
            told.outbox.push(OutboundEmail {
                id: OutboxId::new(),
                message_id: settings.new_message_id(),
                ticket_id: Some(n.ticket.id),
                ticket_number: Some(n.ticket.number.full().to_owned()),
                kind: EmailKind::AgentNotice,
                language,
                to: agent.email.clone(),
                to_name: Some(agent.name.as_str().to_owned()),
                cc: Vec::new(),
                subject: rendered.subject,
                body: rendered.body,
                references: Vec::new(),
                created_at: n.event.at,
                attempts: 0,
                delivery: Delivery::Pending { at: n.event.at },
                last_error: None,
            });
        }
        Ok(told)
    }
}
