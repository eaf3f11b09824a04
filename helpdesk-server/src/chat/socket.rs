//! The live chat's WebSocket at `/chat/ws?chat=ID`.
//!
//! Frames are JSON. From the client: `{"say": "text"}`, `{"talk_to_person": true}`,
//! `{"this_helped": true}`, `{"end": true}`. From the server: `{"chat": {...}}` first, then
//! `{"message": {...}}` for every public message of the chat's ticket (the stored thread is
//! replayed on connect, so a reload loses nothing; internal notes never go out),
//! `{"place": {"state": "assistant" | "queued" | "with_agent" | "ended", ...}}`,
//! `{"suggestions": [...]}` (the assistant's articles, as many as the desk's
//! [`ChatSettings`](helpdesk::service::ChatSettings) say: those in the reader's language first,
//! then the others, each with the link to its page), `{"ended": {"end": "..."}}` and
//! `{"error": {"code", "message", "said"}}` (`said`: what the refusal means, in the
//! reader's words; `message` is the desk's English detail).
//!
//! The reader's language is the one their pages are in: their own (a customer's profile
//! language, staff's stored setting), else the page switch's cookie, else the browser's
//! `Accept-Language` (sent with the handshake), else English.
//!
//! A socket lives long, so it acts through a principal made again for every frame the client
//! sends and every periodic re-read: a customer disabled (or an agent deactivated) meanwhile
//! is refused and the socket closes.

use std::collections::HashSet;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::http::header::{AUTHORIZATION, HOST, ORIGIN};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use helpdesk::Helpdesk;
use helpdesk::domain::{Actor, ChatId, ChatSession, Language, Message, MessageBody, MessageId};
use helpdesk::service::{Acting, ChatPlace, Principal};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;

use super::hub::{ChatEvent, Topic};
use super::views::{articles_view, chat_view, message_view, place_view};
use crate::error::{ApiError, ApiResult, Query};
use crate::extract::{Caller, parse};
use crate::pages::refusals::refusal_key;
use crate::pages::words::t;
use crate::state::AppState;

/// The WebSocket route (outside `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new().route("/chat/ws", get(socket))
}

/// How often an open socket re-reads its chat from the store (hand-overs by `run_due`,
/// messages written on the ticket page).
const RESYNC_EVERY: Duration = Duration::from_secs(3);

#[derive(Debug, Deserialize)]
struct SocketQuery {
    chat: String,
}

/// `GET /chat/ws?chat=ID`: signed in with the session cookie (from a page of this origin) or
/// a bearer token, by the chat's customer, its agent or staff of its department.
async fn socket(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
    headers: HeaderMap,
    Query(q): Query<SocketQuery>,
    upgrade: WebSocketUpgrade,
) -> ApiResult<Response> {
    if !headers.contains_key(AUTHORIZATION) && !same_origin(&headers) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "a chat socket opened with the session cookie must come from this site",
        ));
    }
    let id: ChatId = parse(&q.chat)?;
    let chat = acting.chat(id).await?;
    let browser_language =
        crate::pages::choice::kept(&headers).or_else(|| crate::pages::choice::accepted(&headers));
    let stored_language = acting.own_settings().await.ok().and_then(|s| s.language);
    Ok(upgrade.on_upgrade(move |socket| async move {
        let mut session = Session {
            state,
            acting,
            chat,
            socket,
            sent: HashSet::new(),
            place: None,
            last_beat: None,
            browser_language,
            stored_language,
        };
        session.run().await;
    }))
}

/// Whether the `Origin` of a cookie-authenticated handshake (browsers always send one) is
/// this server, so another site cannot open a socket with the visitor's cookie.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| Some(rest.trim_end_matches('/')) == host)
}

/// One open socket.
struct Session {
    state: AppState,
    /// The desk acting as the socket's person, made again for every frame.
    acting: Acting,
    chat: ChatSession,
    socket: WebSocket,
    /// The messages already sent (replay and broadcast meet without doubles).
    sent: HashSet<MessageId>,
    /// The place last sent.
    place: Option<ChatPlace>,
    /// When an agent's socket last said the agent is there.
    last_beat: Option<std::time::Instant>,
    /// The language the handshake asked for (the switch's cookie, else `Accept-Language`).
    browser_language: Option<Language>,
    /// The person's stored language when the socket opened (staff's setting; a customer's
    /// is read from the principal, made again for every frame).
    stored_language: Option<Language>,
}

/// A frame from the client.
enum Frame {
    Say(String),
    TalkToPerson,
    ThisHelped,
    /// Ending the chat; `transcript`: the customer asks for it by e-mail.
    End {
        transcript: bool,
    },
}

impl Frame {
    /// `{"say": "…"}`, `{"talk_to_person": …}`, `{"this_helped": …}`, `{"end": …}` (with
    /// `{"end": {"transcript": true}}` the customer asks for the transcript), or the bare
    /// names as strings.
    fn parse(text: &str) -> Option<Frame> {
        let value: Value = serde_json::from_str(text).ok()?;
        let (name, arg) = match &value {
            Value::String(s) => (s.as_str(), &Value::Null),
            Value::Object(map) => map.iter().next().map(|(k, v)| (k.as_str(), v))?,
            _ => return None,
        };
        Some(match name {
            "say" => Frame::Say(arg.as_str()?.to_owned()),
            "talk_to_person" => Frame::TalkToPerson,
            "this_helped" => Frame::ThisHelped,
            "end" => Frame::End {
                transcript: arg
                    .get("transcript")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            },
            _ => return None,
        })
    }
}

impl Session {
    fn desk(&self) -> &Helpdesk {
        &self.state.desk
    }

    fn is_customer(&self) -> bool {
        matches!(self.acting.actor(), Actor::Customer(_))
    }

    /// Makes the principal again (it may have lost access since); false, after telling the
    /// client why, when it may no longer act.
    async fn renew(&mut self) -> bool {
        match self.state.desk.acting_as(self.acting.actor()).await {
            Ok(acting) => {
                self.acting = acting;
                true
            }
            Err(e) => {
                self.error(e.into()).await;
                false
            }
        }
    }

    async fn send(&mut self, frame: Value) -> bool {
        self.socket
            .send(WsMessage::Text(frame.to_string().into()))
            .await
            .is_ok()
    }

    async fn run(&mut self) {
        let id = self.chat.id;
        // Listen first, then read the store: nothing falls between the two.
        let mut chat_events = self.state.chats.subscribe(Topic::Chat(id));
        let mut queue_events = self
            .state
            .chats
            .subscribe(Topic::Department(self.chat.department));
        let mut ticket_events = self
            .state
            .chats
            .subscribe(Topic::Ticket(self.chat.ticket_id));
        let view = chat_view(&self.acting, &self.chat).await;
        if !self.send(json!({ "chat": view })).await || !self.beat().await || !self.resync().await {
            return;
        }
        if self.place == Some(ChatPlace::Assistant) && self.is_customer() {
            let first = self
                .acting
                .thread(self.chat.ticket_id)
                .await
                .ok()
                .and_then(|t| t.into_iter().next());
            if let Some(first) = first {
                self.suggest(first.body.as_str()).await;
            }
        }
        let mut ticker = tokio::time::interval(RESYNC_EVERY);
        ticker.tick().await;
        loop {
            let alive = tokio::select! {
                incoming = self.socket.recv() => match incoming {
                    Some(Ok(WsMessage::Text(text))) => self.handle(text.as_str()).await,
                    Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => false,
                    Some(Ok(_)) => true,
                },
                event = chat_events.recv() => match event {
                    Ok(ChatEvent::Message(m)) => self.forward(&m).await,
                    Ok(ChatEvent::Changed) => self.refresh_place().await,
                    Ok(ChatEvent::Stored(m)) => self.sent.contains(&m) || self.resync().await,
                    Err(RecvError::Lagged(_)) => self.resync().await,
                    Err(RecvError::Closed) => false,
                },
                event = ticket_events.recv() => match event {
                    Ok(ChatEvent::Stored(m)) => self.sent.contains(&m) || self.resync().await,
                    Ok(ChatEvent::Message(m)) => self.forward(&m).await,
                    Ok(ChatEvent::Changed) | Err(RecvError::Lagged(_)) => self.resync().await,
                    Err(RecvError::Closed) => false,
                },
                event = queue_events.recv() => match event {
                    Err(RecvError::Closed) => false,
                    _ => self.refresh_place().await,
                },
                _ = ticker.tick() => self.renew().await && self.beat().await && self.resync().await,
            };
            if !alive {
                break;
            }
        }
    }

    /// An agent's open chat window is a heartbeat of their presence, sent every third of
    /// the stored presence timeout (a customer's socket sends none).
    async fn beat(&mut self) -> bool {
        if !matches!(self.acting.actor(), Actor::Agent(_)) {
            return true;
        }
        let every = match self.desk().presence_timeout().await {
            Ok(timeout) => Duration::from_secs(u64::from(timeout.heartbeat_seconds())),
            Err(e) => return self.error(e.into()).await,
        };
        if self.last_beat.is_some_and(|at| at.elapsed() < every) {
            return true;
        }
        self.last_beat = Some(std::time::Instant::now());
        match self.acting.heartbeat().await {
            Ok(_) => true,
            Err(e) => self.error(e.into()).await,
        }
    }

    /// Sends a message unless it was sent or is internal.
    async fn forward(&mut self, message: &Message) -> bool {
        if !message.is_public() || !self.sent.insert(message.id) {
            return true;
        }
        let view = message_view(self.desk(), message).await;
        self.send(json!({ "message": view })).await
    }

    /// Sends what the store has that this socket has not: the thread's public messages, and
    /// the place when it changed.
    async fn resync(&mut self) -> bool {
        let thread = match self.acting.thread(self.chat.ticket_id).await {
            Ok(thread) => thread,
            Err(e) => return self.error(e.into()).await,
        };
        for message in &thread {
            if !self.forward(message).await {
                return false;
            }
        }
        self.refresh_place().await
    }

    async fn refresh_place(&mut self) -> bool {
        let place = match self.acting.chat_place(self.chat.id).await {
            Ok(place) => place,
            Err(e) => return self.error(e.into()).await,
        };
        if self.place == Some(place) {
            return true;
        }
        self.place = Some(place);
        let view = place_view(self.desk(), place).await;
        if !self.send(json!({ "place": view })).await {
            return false;
        }
        match place {
            ChatPlace::Ended(end) => self.send(json!({"ended": {"end": end}})).await,
            _ => true,
        }
    }

    /// The language the socket's person reads: their own, else the browser's, else English.
    fn reader(&self) -> Language {
        let own = match self.acting.principal() {
            Principal::Customer(c) => c.language,
            _ => self.stored_language,
        };
        own.or(self.browser_language).unwrap_or(Language::English)
    }

    /// The assistant's articles for `text`: the reader's language first, then the others,
    /// as many as the desk's chat settings say.
    async fn suggest(&mut self, text: &str) -> bool {
        let limit = self.desk().chat_settings().suggestions.max(1);
        let found = self
            .acting
            .suggest_articles_in(text, self.reader(), limit)
            .await
            .unwrap_or_default();
        self.send(json!({ "suggestions": articles_view(&found) }))
            .await
    }

    /// Tells the client of a refusal: its code, the desk's detail, and what it means in the
    /// reader's words.
    async fn error(&mut self, e: ApiError) -> bool {
        let said = t(self.reader(), refusal_key(&e));
        self.send(json!({"error": {"code": e.code, "message": e.message, "said": said}}))
            .await
    }

    /// Does what the client asked; tells the other sockets after each successful call.
    async fn handle(&mut self, text: &str) -> bool {
        let Some(frame) = Frame::parse(text) else {
            return self
                .error(ApiError::bad_request(
                    "send {\"say\": text}, {\"talk_to_person\": true}, {\"this_helped\": true} or {\"end\": true}",
                ))
                .await;
        };
        if !self.renew().await {
            return false;
        }
        let acting = self.acting.clone();
        let hub = self.state.chats.clone();
        let (id, department) = (self.chat.id, self.chat.department);
        let result = match frame {
            Frame::Say(text) => match MessageBody::parse(&text) {
                Err(e) => Err(ApiError::from(e)),
                Ok(body) => match acting.say(id, body).await {
                    Err(e) => Err(e.into()),
                    Ok(message) => {
                        hub.publish(
                            Topic::Chat(id),
                            ChatEvent::Message(Box::new(message.clone())),
                        );
                        let alive = self.forward(&message).await;
                        // With the assistant, every new question goes to the knowledge base.
                        if alive && self.place == Some(ChatPlace::Assistant) && self.is_customer() {
                            return self.suggest(&text).await;
                        }
                        return alive;
                    }
                },
            },
            Frame::TalkToPerson => acting
                .talk_to_person(id)
                .await
                .map(drop)
                .map_err(Into::into),
            Frame::ThisHelped => acting.chat_answered(id).await.map(drop).map_err(Into::into),
            Frame::End { transcript } => acting
                .end_chat_with(id, transcript)
                .await
                .map(drop)
                .map_err(Into::into),
        };
        match result {
            Ok(()) => {
                hub.publish(Topic::Chat(id), ChatEvent::Changed);
                hub.publish(Topic::Department(department), ChatEvent::Changed);
                self.refresh_place().await
            }
            Err(e) => self.error(e).await,
        }
    }
}
