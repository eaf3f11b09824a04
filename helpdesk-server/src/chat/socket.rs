//! Live chat in the example server (issue 8): the WebSocket at `/chat/ws?chat=ID`, the JSON
//! routes for starting a chat and for agents' presence, the chat widget of the customer pages
//! and the chat panel of the agent console.
//!
//! Frames are JSON. From the client: `{"say": "text"}`, `{"talk_to_person": true}`,
//! `{"this_helped": true}`, `{"end": true}`. From the server: `{"chat": {...}}` first, then
//! `{"message": {...}}` for every public message of the chat's ticket (the stored thread is
//! replayed on connect, so a reload loses nothing; internal notes never go out),
//! `{"place": {"state": "assistant" | "queued" | "with_agent" | "ended", ...}}`,
//! `{"suggestions": [...]}` (the assistant's articles), `{"ended": {"end": "..."}}` and
//! `{"error": {"code", "message"}}`.

use std::collections::HashSet;
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::http::header::{AUTHORIZATION, HOST, ORIGIN};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use helpdesk::Helpdesk;
use helpdesk::domain::{
    Actor, ChatId, ChatSession, ChatState, DepartmentId, Message, MessageBody, MessageId, Presence,
};
use helpdesk::service::ChatPlace;
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;

use super::AppState;
use super::api::{Caller, Id};
use super::auth::{Authed, PageUser, profile};
use super::chat_hub::{ChatEvent, Topic};
use super::error::{ApiError, ApiResult, Body, Query};

/// How often an open socket re-reads its chat from the store (hand-overs by `run_due`,
/// messages written on the ticket page).
const RESYNC_EVERY: Duration = Duration::from_secs(3);

/// The WebSocket route (outside `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new().route("/chat/ws", get(socket))
}

/// The JSON routes, merged into `/api/v1`.
pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/chats", post(start))
        .route("/chats/queue", get(queue))
        .route("/chats/{chat}", get(chat))
        .route("/agents/me/presence", get(presence).post(set_presence))
        .route("/agents/me/chats", get(my_chats))
}

// ---------------------------------------------------------------------------------------------
// JSON views

/// A person's name for the chat window.
async fn name_of(desk: &Helpdesk, actor: Actor) -> String {
    profile(desk, actor).await.0
}

/// A chat with its ticket's number and subject, its customer's name, and how long it has
/// waited (seconds, when queued).
async fn chat_view(desk: &Helpdesk, actor: Actor, chat: &ChatSession) -> Value {
    let mut view = json!(chat);
    if let Ok(ticket) = desk.ticket(actor, chat.ticket_id).await {
        view["ticket_number"] = json!(ticket.number.short());
        view["subject"] = json!(ticket.subject);
    }
    view["customer_name"] = json!(name_of(desk, Actor::Customer(chat.customer)).await);
    if let ChatState::Waiting { since } = chat.state {
        view["waiting_seconds"] = json!((Utc::now() - since).num_seconds().max(0));
    }
    view
}

async fn place_view(desk: &Helpdesk, place: ChatPlace) -> Value {
    match place {
        ChatPlace::Assistant => json!({"state": "assistant"}),
        ChatPlace::Queued { position } => json!({"state": "queued", "position": position}),
        ChatPlace::WithAgent(agent) => json!({
            "state": "with_agent", "agent": agent,
            "agent_name": name_of(desk, Actor::Agent(agent)).await,
        }),
        ChatPlace::Ended(end) => json!({"state": "ended", "end": end}),
    }
}

async fn message_view(desk: &Helpdesk, message: &Message) -> Value {
    let mut view = json!(message);
    let from = match message.author {
        Actor::Customer(_) => "customer",
        Actor::Agent(_) => "agent",
        Actor::System => "system",
    };
    view["from"] = json!(from);
    view["author_name"] = json!(name_of(desk, message.author).await);
    view
}

fn articles_view(articles: &[helpdesk::domain::Article]) -> Value {
    Value::Array(
        articles
            .iter()
            .map(|a| json!({"id": a.id, "title": a.title, "body": a.body, "language": a.language}))
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// JSON routes

/// The body of `POST /api/v1/chats`.
#[derive(Debug, Deserialize)]
struct StartChat {
    department: DepartmentId,
    text: MessageBody,
}

/// `POST /api/v1/chats`: a customer starts a chat; 201 with the chat, its ticket and the
/// assistant's suggestions.
async fn start(Caller { desk, actor }: Caller, Body(body): Body<StartChat>) -> ApiResult<Response> {
    let started = desk.start_chat(actor, body.department, body.text).await?;
    let view = json!({
        "chat": chat_view(&desk, actor, &started.chat).await,
        "ticket": started.ticket,
        "suggestions": articles_view(&started.suggestions),
        "place": {"state": "assistant"},
    });
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// `GET /api/v1/chats/{chat}`: the chat and where it stands.
async fn chat(Caller { desk, actor }: Caller, Id(id): Id<ChatId>) -> ApiResult<Json<Value>> {
    let chat = desk.chat(actor, id).await?;
    let place = desk.chat_place(actor, id).await?;
    Ok(Json(json!({
        "chat": chat_view(&desk, actor, &chat).await,
        "place": place_view(&desk, place).await,
    })))
}

#[derive(Debug, Deserialize)]
struct QueueQuery {
    department: Option<DepartmentId>,
}

/// `GET /api/v1/chats/queue?department=`: the waiting chats of a department (or of all the
/// agent's departments), first in line first.
async fn queue(
    Caller { desk, actor }: Caller,
    Query(q): Query<QueueQuery>,
) -> ApiResult<Json<Value>> {
    let departments = match q.department {
        Some(d) => vec![d],
        None => match actor {
            Actor::Agent(id) => desk
                .agent(actor, id)
                .await?
                .departments
                .keys()
                .copied()
                .collect(),
            _ => {
                return Err(helpdesk::Error::forbidden(
                    helpdesk::error::ForbiddenReason::AgentsOnly,
                )
                .into());
            }
        },
    };
    let mut items = Vec::new();
    for department in departments {
        for chat in desk.chat_queue(actor, department).await? {
            items.push(chat_view(&desk, actor, &chat).await);
        }
    }
    Ok(Json(json!({ "items": items })))
}

/// `GET /api/v1/agents/me/chats`: the chats the agent is in now.
async fn my_chats(Caller { desk, actor }: Caller) -> ApiResult<Json<Value>> {
    let mut items = Vec::new();
    for chat in desk.my_chats(actor).await? {
        items.push(chat_view(&desk, actor, &chat).await);
    }
    Ok(Json(json!({ "items": items })))
}

/// The body of `POST /api/v1/agents/me/presence`.
#[derive(Debug, Deserialize)]
struct SetPresence {
    presence: Presence,
    #[serde(default)]
    max_chats: Option<u32>,
}

/// `GET /api/v1/agents/me/presence`: the agent's availability (offline when never set).
async fn presence(Caller { desk, actor }: Caller) -> ApiResult<Json<Value>> {
    let Actor::Agent(id) = actor else {
        return Err(
            helpdesk::Error::forbidden(helpdesk::error::ForbiddenReason::AgentsOnly).into(),
        );
    };
    let availability = desk.store().availability(id).await?;
    Ok(Json(match availability {
        Some(a) => json!(a),
        None => json!({"agent": id, "presence": Presence::Offline, "active_chats": 0}),
    }))
}

/// `POST /api/v1/agents/me/presence`: online, away or offline (and how many chats at once);
/// waiting chats may be routed to the agent at once, so their customers hear of it.
async fn set_presence(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Body(body): Body<SetPresence>,
) -> ApiResult<Json<Value>> {
    let desk = &state.desk;
    let availability = desk
        .set_presence(actor, body.presence, body.max_chats)
        .await?;
    if let Actor::Agent(id) = actor
        && let Ok(agent) = desk.agent(actor, id).await
    {
        for department in agent.departments.keys() {
            state
                .chats
                .publish(Topic::Department(*department), ChatEvent::Changed);
        }
    }
    Ok(Json(json!(availability)))
}

// ---------------------------------------------------------------------------------------------
// The WebSocket

#[derive(Debug, Deserialize)]
struct SocketQuery {
    chat: String,
}

/// `GET /chat/ws?chat=ID`: signed in with the session cookie (from a page of this origin) or
/// a bearer token, by the chat's customer, its agent or staff of its department.
async fn socket(
    State(state): State<AppState>,
    Authed(actor): Authed,
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
    let id: ChatId = q.chat.parse().map_err(ApiError::from)?;
    let chat = state.desk.chat(actor, id).await?;
    Ok(upgrade.on_upgrade(move |socket| async move {
        let mut session = Session {
            state,
            actor,
            chat,
            socket,
            sent: HashSet::new(),
            place: None,
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
    actor: Actor,
    chat: ChatSession,
    socket: WebSocket,
    /// The messages already sent (replay and broadcast meet without doubles).
    sent: HashSet<MessageId>,
    /// The place last sent.
    place: Option<ChatPlace>,
}

/// A frame from the client.
enum Frame {
    Say(String),
    TalkToPerson,
    ThisHelped,
    End,
}

impl Frame {
    /// `{"say": "…"}`, `{"talk_to_person": …}`, `{"this_helped": …}`, `{"end": …}`, or the
    /// bare names as strings.
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
            "end" => Frame::End,
            _ => return None,
        })
    }
}

impl Session {
    fn desk(&self) -> &Helpdesk {
        &self.state.desk
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
        let view = chat_view(self.desk(), self.actor, &self.chat).await;
        if !self.send(json!({ "chat": view })).await || !self.resync().await {
            return;
        }
        if self.place == Some(ChatPlace::Assistant) && matches!(self.actor, Actor::Customer(_)) {
            let first = self
                .desk()
                .thread(self.actor, self.chat.ticket_id)
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
                    Err(RecvError::Lagged(_)) => self.resync().await,
                    Err(RecvError::Closed) => false,
                },
                event = queue_events.recv() => match event {
                    Err(RecvError::Closed) => false,
                    _ => self.refresh_place().await,
                },
                _ = ticker.tick() => self.resync().await,
            };
            if !alive {
                break;
            }
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
        let thread = match self.desk().thread(self.actor, self.chat.ticket_id).await {
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
        let place = match self.desk().chat_place(self.actor, self.chat.id).await {
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

    async fn suggest(&mut self, text: &str) -> bool {
        let found = self
            .desk()
            .suggest_articles(
                self.actor,
                text,
                None,
                helpdesk::service::ChatSettings::default().suggestions,
            )
            .await
            .unwrap_or_default();
        self.send(json!({ "suggestions": articles_view(&found) }))
            .await
    }

    async fn error(&mut self, e: ApiError) -> bool {
        self.send(json!({"error": {"code": e.code, "message": e.message}}))
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
        let desk = self.state.desk.clone();
        let hub = self.state.chats.clone();
        let (actor, id, department) = (self.actor, self.chat.id, self.chat.department);
        let result = match frame {
            Frame::Say(text) => match MessageBody::parse(&text) {
                Err(e) => Err(ApiError::from(e)),
                Ok(body) => match desk.say(actor, id, body).await {
                    Err(e) => Err(e.into()),
                    Ok(message) => {
                        hub.publish(
                            Topic::Chat(id),
                            ChatEvent::Message(Box::new(message.clone())),
                        );
                        let alive = self.forward(&message).await;
                        // With the assistant, every new question goes to the knowledge base.
                        if alive
                            && self.place == Some(ChatPlace::Assistant)
                            && matches!(actor, Actor::Customer(_))
                        {
                            return self.suggest(&text).await;
                        }
                        return alive;
                    }
                },
            },
            Frame::TalkToPerson => desk
                .talk_to_person(actor, id)
                .await
                .map(drop)
                .map_err(Into::into),
            Frame::ThisHelped => desk
                .chat_answered(actor, id)
                .await
                .map(drop)
                .map_err(Into::into),
            Frame::End => desk.end_chat(actor, id).await.map(drop).map_err(Into::into),
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

// ---------------------------------------------------------------------------------------------
// The widget of the customer pages and the panel of the agent console

const CHAT_CSS: &str = r#"
#chat-widget{position:fixed;bottom:1em;inset-inline-end:1em;z-index:10;font-size:.95em}
#chat-open{background:#263238;color:#fff;border:0;border-radius:2em;padding:.7em 1.2em;cursor:pointer}
#chat-window{width:22em;max-height:34em;display:flex;flex-direction:column;background:#fff;border:1px solid #bbb;border-radius:.5em;box-shadow:0 2px 12px #0003}
#chat-window[hidden]{display:none}
.chat-head{background:#263238;color:#fff;padding:.4em .6em;display:flex;justify-content:space-between;align-items:center;border-radius:.5em .5em 0 0}
.chat-head button{background:none;border:0;color:#fff;font-size:1.2em;cursor:pointer}
.chat-body{padding:.5em;overflow-y:auto;flex:1}
.chat-note{color:#555;font-size:.85em;margin:.2em 0 .5em}
.chat-log{display:flex;flex-direction:column;gap:.3em}
.chat-msg{padding:.3em .5em;border-radius:.4em;white-space:pre-wrap;max-width:85%}
.chat-msg .meta{display:block;font-size:.75em}
.chat-msg.from-customer{background:#e3f2fd;align-self:flex-end}
.chat-msg.from-agent{background:#f1f8e9;align-self:flex-start}
.chat-article{background:#fffde7;border:1px solid #ffe082;border-radius:.3em;padding:.3em;margin:.3em 0;white-space:pre-wrap}
.chat-status{color:#37474f;font-style:italic;margin:.3em 0}
.chat-actions button,.chat-actions a{margin:.15em}
.chat-form{display:flex;gap:.3em;padding:.4em;border-top:1px solid #ddd}
.chat-form input{flex:1}
#chat-panel .chat-conv{background:#fff;border:1px solid #ddd;border-radius:.3em;padding:.5em;margin:.5em 0;max-width:40em}
#chat-panel .chat-conv .chat-log{max-height:18em;overflow-y:auto}
"#;

/// The chat widget, bottom-right on every customer page (nothing for agents).
pub fn widget(user: &PageUser) -> Markup {
    let Actor::Customer(id) = user.actor else {
        return html! {};
    };
    html! {
        style { (PreEscaped(CHAT_CSS)) }
        div #chat-widget data-csrf=(user.csrf) data-me=(id) {
            button #chat-open type="button" { "💬 Chat with us" }
            div #chat-window hidden {
                div.chat-head { strong { "Chat" } button #chat-close type="button" title="Close" { "×" } }
                div.chat-body #chat-body {
                    p.chat-note #chat-note {
                        "An automatic assistant answers first, with articles from our knowledge base "
                        "(it does not make up answers). Ask for a person at any time. "
                        "The conversation is kept as a ticket, so nothing is lost."
                    }
                    form #chat-start {
                        label { "Department " select #chat-department {} }
                        textarea #chat-question placeholder="Your question" required {}
                        button type="submit" { "Ask" }
                    }
                    div.chat-log #chat-log {}
                    div #chat-suggestions {}
                    div.chat-actions #chat-actions hidden {
                        button #chat-helped type="button" { "This helped" }
                        button #chat-person type="button" { "Talk to a person" }
                        button #chat-ticket type="button" { "Open a ticket" }
                    }
                    div.chat-status #chat-status {}
                    div.chat-actions #chat-after hidden {
                        a #chat-ticket-link href="#" { "The chat's ticket" }
                        " "
                        button #chat-end type="button" { "End chat" }
                        button #chat-new type="button" hidden { "New chat" }
                    }
                }
                form.chat-form #chat-form hidden {
                    input #chat-input type="text" autocomplete="off" placeholder="Write a message";
                    button type="submit" { "Send" }
                }
            }
        }
        script { (PreEscaped(COMMON_JS)) (PreEscaped(WIDGET_JS)) }
    }
}

const COMMON_JS: &str = r#"
function hdSocket(chat){return new WebSocket((location.protocol==='https:'?'wss://':'ws://')+location.host+'/chat/ws?chat='+encodeURIComponent(chat));}
function hdMessage(log,m){var d=document.createElement('div');d.className='chat-msg from-'+m.from;d.dataset.id=m.id;
  var who=document.createElement('span');who.className='meta';who.textContent=m.author_name+' · '+new Date(m.created_at).toLocaleTimeString();
  var body=document.createElement('span');body.className='chat-text';body.textContent=m.body;d.appendChild(who);d.appendChild(body);log.appendChild(d);
  if(log.parentNode)log.parentNode.scrollTop=log.parentNode.scrollHeight;log.scrollTop=log.scrollHeight;}
function hdEnded(end){return {answered:'The assistant answered it: the chat is closed.',by_customer:'You left the chat.',by_agent:'The chat is over.',no_agent:'Nobody was free in time: your question waits as a ticket and an agent will answer it there.'}[end]||'The chat is over.';}
"#;

const WIDGET_JS: &str = r#"
(function(){
  var root=document.getElementById('chat-widget');if(!root)return;
  var $=function(id){return document.getElementById(id);};
  var KEY='hd_chat_'+root.dataset.me, csrf=root.dataset.csrf;
  var ws=null, chat=null, ticket=null, ended=false, first=true, toTicket=false, seen={};
  function open(v){$('chat-window').hidden=!v;$('chat-open').hidden=v;}
  function status(t){$('chat-status').textContent=t;}
  function departments(){var s=$('chat-department');if(s.options.length)return;
    fetch('/api/v1/departments').then(function(r){return r.json();}).then(function(d){(d.items||[]).forEach(function(x){
      if(x.active===false)return;var o=document.createElement('option');o.value=x.id;o.textContent=x.name;s.appendChild(o);});});}
  function reset(){localStorage.removeItem(KEY);if(ws){ws.onclose=null;ws.close();}ws=null;chat=null;ticket=null;ended=false;first=true;seen={};
    $('chat-log').textContent='';$('chat-suggestions').textContent='';status('');$('chat-start').hidden=false;$('chat-question').value='';
    $('chat-actions').hidden=true;$('chat-after').hidden=true;$('chat-form').hidden=true;$('chat-new').hidden=true;$('chat-end').hidden=false;}
  function send(frame){if(ws&&ws.readyState===1)ws.send(JSON.stringify(frame));}
  function suggestions(items){var box=$('chat-suggestions');box.textContent='';
    var p=document.createElement('p');p.className='chat-note';
    if(!items.length){p.id='chat-no-article';p.textContent='The assistant found no article in the knowledge base for this.';box.appendChild(p);return;}
    p.textContent='From the knowledge base:';box.appendChild(p);
    items.forEach(function(a){var d=document.createElement('div');d.className='chat-article';var h=document.createElement('strong');h.textContent=a.title;
      var b=document.createElement('div');b.textContent=a.body;d.appendChild(h);d.appendChild(b);box.appendChild(d);});}
  function place(p){
    $('chat-actions').hidden=p.state!=='assistant';$('chat-after').hidden=false;
    $('chat-form').hidden=p.state==='ended';
    if(p.state==='assistant')status('The assistant answers from the knowledge base. Not what you need? Talk to a person.');
    else if(p.state==='queued')status('Waiting for a person: you are number '+p.position+' in the queue.');
    else if(p.state==='with_agent'){status('You are talking to '+p.agent_name+'.');$('chat-suggestions').textContent='';}
    else {status(hdEnded(p.end));$('chat-end').hidden=true;$('chat-new').hidden=false;}
  }
  function connect(id){
    chat=id;$('chat-start').hidden=true;ws=hdSocket(id);var sock=ws;
    sock.onmessage=function(e){var f=JSON.parse(e.data);
      if(f.chat){ticket=f.chat.ticket_id;var a=$('chat-ticket-link');a.href='/tickets/'+ticket;a.textContent='Ticket #'+(f.chat.ticket_number||'');}
      if(f.message&&!seen[f.message.id]){seen[f.message.id]=1;hdMessage($('chat-log'),f.message);}
      if(f.suggestions)suggestions(f.suggestions);
      if(f.place){if(first&&f.place.state==='ended'&&!toTicket){reset();open(false);return;}first=false;place(f.place);}
      if(f.ended){ended=true;localStorage.removeItem(KEY);if(toTicket&&ticket)location.href='/tickets/'+ticket;}
      if(f.error)status(f.error.message);};
    sock.onclose=function(){if(ws===sock&&!ended)setTimeout(function(){if(ws===sock)connect(id);},1500);};
  }
  $('chat-open').onclick=function(){open(true);departments();};
  $('chat-close').onclick=function(){open(false);if(ended)reset();};
  $('chat-new').onclick=function(){reset();departments();};
  $('chat-start').onsubmit=function(e){e.preventDefault();var text=$('chat-question').value.trim();if(!text)return;
    fetch('/api/v1/chats',{method:'POST',headers:{'content-type':'application/json','x-csrf-token':csrf},body:JSON.stringify({department:$('chat-department').value,text:text})})
      .then(function(r){return r.json().then(function(d){return {ok:r.ok,d:d};});})
      .then(function(x){if(!x.ok){status((x.d.error&&x.d.error.message)||'The chat could not start.');return;}
        localStorage.setItem(KEY,x.d.chat.id);connect(x.d.chat.id);});};
  $('chat-helped').onclick=function(){send({this_helped:true});};
  $('chat-person').onclick=function(){send({talk_to_person:true});};
  $('chat-ticket').onclick=function(){toTicket=true;send({end:true});setTimeout(function(){if(ticket)location.href='/tickets/'+ticket;},2000);};
  $('chat-end').onclick=function(){send({end:true});};
  $('chat-form').onsubmit=function(e){e.preventDefault();var i=$('chat-input');var t=i.value.trim();if(!t)return;send({say:t});i.value='';};
  var saved=localStorage.getItem(KEY);if(saved){open(true);connect(saved);}
})();
"#;

/// The chat panel of the agent console: presence, the queue with waiting times, and the
/// agent's chats with their conversations.
pub fn console_panel(user: &PageUser) -> Markup {
    if !matches!(user.actor, Actor::Agent(_)) {
        return html! {};
    }
    html! {
        style { (PreEscaped(CHAT_CSS)) }
        section #chat-panel data-csrf=(user.csrf) {
            h2 { "Live chat" }
            p {
                label.inline-label { "Presence "
                    select #presence {
                        option value="online" { "Online" }
                        option value="away" { "Away" }
                        option value="offline" { "Offline" }
                    }
                }
                " " label.inline-label { "Chats at once " input #seats type="number" min="1" max="50" value="3" style="width:4em"; }
                " " span.meta #presence-state {}
            }
            h3 { "Waiting" }
            table #chat-queue { tr { th { "Customer" } th { "Question" } th { "Waiting" } } }
            h3 { "My chats" }
            div #my-chats { p.meta #no-chats { "No chats now." } }
        }
        script { (PreEscaped(COMMON_JS)) (PreEscaped(CONSOLE_JS)) }
    }
}

const CONSOLE_JS: &str = r#"
(function(){
  var root=document.getElementById('chat-panel');if(!root)return;
  var $=function(id){return document.getElementById(id);}, csrf=root.dataset.csrf, open={};
  function api(method,url,body){return fetch(url,{method:method,headers:{'content-type':'application/json','x-csrf-token':csrf},body:body?JSON.stringify(body):undefined})
    .then(function(r){return r.json();});}
  function showPresence(a){if(!a||!a.presence)return;$('presence').value=a.presence;if(a.max_chats)$('seats').value=a.max_chats;
    $('presence-state').textContent=a.presence+' · '+(a.active_chats||0)+' of '+(a.max_chats||$('seats').value)+' seats taken';}
  function setPresence(){api('POST','/api/v1/agents/me/presence',{presence:$('presence').value,max_chats:parseInt($('seats').value,10)||1}).then(function(a){showPresence(a);poll();});}
  $('presence').onchange=setPresence;$('seats').onchange=setPresence;
  function mmss(s){s=Math.max(0,s|0);return Math.floor(s/60)+':'+('0'+s%60).slice(-2);}
  function cell(tr,text){var td=document.createElement('td');td.textContent=text;tr.appendChild(td);}
  function conversation(c){
    var box=document.createElement('div');box.className='chat-conv';box.dataset.chat=c.id;
    var head=document.createElement('div');var who=document.createElement('strong');who.textContent=c.customer_name;head.appendChild(who);
    head.appendChild(document.createTextNode(' · '));var link=document.createElement('a');link.href='/tickets/'+c.ticket_id;link.className='chat-ticket';
    link.textContent='Ticket #'+(c.ticket_number||'')+' '+(c.subject||'');link.title='Open the ticket to keep working on it or to close it';head.appendChild(link);box.appendChild(head);
    var log=document.createElement('div');log.className='chat-log';box.appendChild(log);
    var st=document.createElement('div');st.className='chat-status';box.appendChild(st);
    var form=document.createElement('form');form.className='chat-form';var input=document.createElement('input');input.type='text';input.name='say';input.autocomplete='off';input.placeholder='Answer';
    var b=document.createElement('button');b.type='submit';b.textContent='Send';form.appendChild(input);form.appendChild(b);box.appendChild(form);
    var end=document.createElement('button');end.type='button';end.className='chat-end';end.textContent='End chat';box.appendChild(end);
    var seen={}, ended=false, ws=null;
    function connect(){ws=hdSocket(c.id);var sock=ws;
      sock.onmessage=function(e){var f=JSON.parse(e.data);
        if(f.message&&!seen[f.message.id]){seen[f.message.id]=1;hdMessage(log,f.message);}
        if(f.place&&f.place.state==='with_agent')st.textContent='Talking with '+c.customer_name+'.';
        if(f.ended){ended=true;st.textContent=hdEnded(f.ended.end)+' The ticket stays: open it to keep working on it or close it.';form.hidden=true;end.hidden=true;}
        if(f.error)st.textContent=f.error.message;};
      sock.onclose=function(){if(!ended)setTimeout(connect,1500);};}
    form.onsubmit=function(e){e.preventDefault();var t=input.value.trim();if(!t||!ws||ws.readyState!==1)return;ws.send(JSON.stringify({say:t}));input.value='';};
    end.onclick=function(){if(ws&&ws.readyState===1)ws.send(JSON.stringify({end:true}));};
    connect();return box;}
  function poll(){
    api('GET','/api/v1/chats/queue').then(function(d){var t=$('chat-queue');while(t.rows.length>1)t.deleteRow(1);
      (d.items||[]).forEach(function(c){var tr=document.createElement('tr');cell(tr,c.customer_name);cell(tr,c.subject||'');cell(tr,mmss(c.waiting_seconds));t.appendChild(tr);});}).catch(function(){});
    api('GET','/api/v1/agents/me/chats').then(function(d){(d.items||[]).forEach(function(c){if(open[c.id])return;open[c.id]=1;
      $('no-chats').hidden=true;$('my-chats').appendChild(conversation(c));});}).catch(function(){});
    api('GET','/api/v1/agents/me/presence').then(showPresence).catch(function(){});
  }
  poll();setInterval(poll,2000);
})();
"#;
