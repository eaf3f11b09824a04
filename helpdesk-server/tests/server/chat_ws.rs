//! The example server's live chat over WebSocket (issue 8): the router runs on a real
//! 127.0.0.1:0 listener; a customer (session cookie) and an agent (bearer token) talk through
//! `/chat/ws`, the transcript is checked in the store, a reconnecting client gets the
//! history replayed, and a second customer waits in the queue while the agent's one seat is
//! taken.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use futures_util::{SinkExt, StreamExt};
use helpdesk::Helpdesk;
use helpdesk::domain::{
    Actor, Channel, CustomerKind, Email, MessageBody, Name, Role, Signature, TicketId, TokenKind,
    standard_permissions,
};
use helpdesk::machine::Command;
use helpdesk::policy::FollowUpPolicy;
use helpdesk::service::{NewAgent, NewCustomer};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tower::ServiceExt;

struct Fixture {
    desk: Helpdesk,
    app: Router,
    addr: SocketAddr,
    support: String,
    ivan: Actor,
    /// API tokens.
    ivan_token: String,
    ana_token: String,
    john_token: String,
    /// Session cookies' secrets.
    ana_session: String,
    john_session: String,
}

async fn fixture() -> Fixture {
    let store = helpdesk::connect(":memory:").await.unwrap();
    let desk = Helpdesk::new(store);
    let name = |n: &str| Name::parse(n).unwrap();
    let support = desk
        .as_system()
        .create_department(name("Support"), FollowUpPolicy::Reopen)
        .await
        .unwrap();
    let ivan = desk
        .as_system()
        .create_agent(
            NewAgent::new(
                name("Ivan Petrov"),
                Email::parse("ivan@example.com").unwrap(),
                Role::Agent,
            )
            .in_department(support.id, standard_permissions())
            // Signs his e-mail replies; his chat lines go out as he types them.
            .with_signature(Signature::parse("Ivan Petrov, support").unwrap()),
        )
        .await
        .unwrap();
    let mut customers = Vec::new();
    for n in ["Ana Popescu", "John Smith"] {
        let c = desk
            .as_system()
            .create_customer(NewCustomer::new(CustomerKind::Individual, name(n)))
            .await
            .unwrap();
        customers.push(Actor::Customer(c.id));
    }
    let accounts = Arc::new(helpdesk_server::Accounts::for_tests(desk.store().clone()).unwrap());
    let issue = |actor, kind| {
        let accounts = accounts.clone();
        async move { accounts.issue(actor, kind).await.unwrap() }
    };
    let ivan = Actor::Agent(ivan.id);
    let ivan_token = issue(ivan, TokenKind::ApiToken).await;
    let ana_token = issue(customers[0], TokenKind::ApiToken).await;
    let john_token = issue(customers[1], TokenKind::ApiToken).await;
    let ana_session = issue(customers[0], TokenKind::Session).await;
    let john_session = issue(customers[1], TokenKind::Session).await;
    let app = helpdesk_server::router(desk.clone(), accounts, helpdesk_server::Options::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let served = app.clone();
    tokio::spawn(async move {
        let _ = axum::serve(listener, served).await;
    });
    Fixture {
        desk,
        app,
        addr,
        support: support.id.to_string(),
        ivan,
        ivan_token,
        ana_token,
        john_token,
        ana_session,
        john_session,
    }
}

impl Fixture {
    /// A JSON API call with a bearer token.
    async fn call(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> Value {
        let (status, value) = self.call_status(method, path, token, body).await;
        assert!(status.is_success(), "{method} {path}: {status} {value}");
        value
    }

    async fn call_status(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn start_chat(&self, token: &str, text: &str) -> Value {
        self.call(
            "POST",
            "/api/v1/chats",
            token,
            Some(json!({"department": self.support, "text": text})),
        )
        .await
    }

    fn ws_url(&self, chat: &str) -> String {
        format!("ws://{}/chat/ws?chat={chat}", self.addr)
    }

    /// A socket signed in with a session cookie, from a page of the server's own origin.
    async fn connect_cookie(&self, chat: &str, session: &str) -> Client {
        let mut request = self.ws_url(chat).into_client_request().unwrap();
        let headers = request.headers_mut();
        headers.insert(
            header::COOKIE,
            format!("{}={session}", helpdesk_server::session::SESSION_COOKIE)
                .parse()
                .unwrap(),
        );
        headers.insert(
            header::ORIGIN,
            format!("http://{}", self.addr).parse().unwrap(),
        );
        Client::connect(request).await
    }

    /// A socket signed in with a bearer token (an API client).
    async fn connect_bearer(&self, chat: &str, token: &str) -> Client {
        let mut request = self.ws_url(chat).into_client_request().unwrap();
        request.headers_mut().insert(
            header::AUTHORIZATION,
            format!("Bearer {token}").parse().unwrap(),
        );
        Client::connect(request).await
    }
}

/// One WebSocket client.
struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Client {
    async fn connect(request: tokio_tungstenite::tungstenite::handshake::client::Request) -> Self {
        let (ws, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("the socket opens");
        Client { ws }
    }

    async fn send(&mut self, frame: Value) {
        self.ws
            .send(WsMessage::text(frame.to_string()))
            .await
            .unwrap();
    }

    async fn say(&mut self, text: &str) {
        self.send(json!({ "say": text })).await;
    }

    /// The next JSON frame (5 s at most).
    async fn next(&mut self) -> Value {
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(5), self.ws.next())
                .await
                .expect("a frame within 5 s")
                .expect("the socket is open")
                .expect("a frame");
            if let WsMessage::Text(text) = msg {
                return serde_json::from_str(text.as_str()).unwrap();
            }
        }
    }

    /// Frames until one has `key` (the frames before it are skipped); that frame's value.
    async fn until(&mut self, key: &str) -> Value {
        loop {
            let frame = self.next().await;
            assert!(frame.get("error").is_none(), "an error frame: {frame}");
            if let Some(v) = frame.get(key) {
                return v.clone();
            }
        }
    }

    /// Frames until a place in `state`; that place.
    async fn until_place(&mut self, state: &str) -> Value {
        loop {
            let place = self.until("place").await;
            if place["state"] == state {
                return place;
            }
        }
    }

    /// The bodies of the messages replayed on connect (they come before the first place).
    async fn replay(&mut self) -> Vec<String> {
        let mut bodies = Vec::new();
        loop {
            let frame = self.next().await;
            if let Some(m) = frame.get("message") {
                bodies.push(m["body"].as_str().unwrap().to_owned());
            }
            if frame.get("place").is_some() {
                return bodies;
            }
        }
    }
}

const QUESTION: &str = "My invoice for March is twice what it should be";
const HELLO: &str = "Hello, is anyone there?";
const ANSWER: &str = "Yes, Ivan here: let me look at your invoice.";
const NOTE: &str = "Internal: the March run double-billed some customers.";
const AFTER: &str = "I found it: a credit note is on its way.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_and_an_agent_chat_and_the_transcript_is_the_ticket() {
    let fx = fixture().await;

    // The agent goes online with one seat.
    let availability = fx
        .call(
            "POST",
            "/api/v1/agents/me/presence",
            &fx.ivan_token,
            Some(json!({"presence": "online", "max_chats": 1})),
        )
        .await;
    assert_eq!(availability["presence"], "online");
    assert_eq!(availability["max_chats"], 1);
    let read = fx
        .call("GET", "/api/v1/agents/me/presence", &fx.ivan_token, None)
        .await;
    assert_eq!(read["presence"], "online");

    // The customer starts a chat over HTTP and opens its socket with the session cookie.
    let started = fx.start_chat(&fx.ana_token, QUESTION).await;
    let chat = started["chat"]["id"].as_str().unwrap().to_owned();
    let ticket = started["ticket"]["id"].as_str().unwrap().to_owned();
    assert_eq!(started["ticket"]["channel"], "chat", "{started}");
    assert!(started["suggestions"].is_array(), "{started}");
    assert_eq!(started["place"]["state"], "assistant");

    let mut ana = fx.connect_cookie(&chat, &fx.ana_session).await;
    let hello = ana.next().await;
    assert_eq!(hello["chat"]["id"], chat.as_str(), "{hello}");
    assert_eq!(hello["chat"]["ticket_id"], ticket.as_str());
    assert_eq!(ana.replay().await, vec![QUESTION.to_owned()]);
    let suggestions = ana.until("suggestions").await;
    assert!(suggestions.is_array(), "{suggestions}");

    // "Talk to a person": the agent's free seat takes it at once.
    ana.send(json!({"talk_to_person": true})).await;
    let place = ana.until_place("with_agent").await;
    assert_eq!(place["agent_name"], "Ivan Petrov", "{place}");

    let mine = fx
        .call("GET", "/api/v1/agents/me/chats", &fx.ivan_token, None)
        .await;
    let mine = mine["items"].as_array().unwrap().clone();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["id"], chat.as_str());
    assert_eq!(mine[0]["customer_name"], "Ana Popescu");
    let one = fx
        .call("GET", &format!("/api/v1/chats/{chat}"), &fx.ana_token, None)
        .await;
    assert_eq!(one["place"]["state"], "with_agent", "{one}");

    // The agent opens the chat with a bearer token: the thread so far is replayed.
    let mut ivan = fx.connect_bearer(&chat, &fx.ivan_token).await;
    ivan.until("chat").await;
    assert_eq!(ivan.replay().await, vec![QUESTION.to_owned()]);

    // They talk; each side hears the other.
    ana.say(HELLO).await;
    let heard = ivan.until("message").await;
    assert_eq!(heard["body"], HELLO);
    assert_eq!(heard["from"], "customer");
    assert_eq!(heard["channel"], "chat");
    ivan.say(ANSWER).await;
    let mut heard = ana.until("message").await;
    if heard["body"] == HELLO {
        // Her own message comes back to her socket first.
        heard = ana.until("message").await;
    }
    assert_eq!(heard["body"], ANSWER, "{heard}");
    assert_eq!(heard["from"], "agent");
    assert_eq!(heard["author_name"], "Ivan Petrov");

    // An internal note on the chat's ticket never reaches the customer's socket.
    fx.desk
        .acting_as(fx.ivan)
        .await
        .unwrap()
        .execute(
            ticket.parse::<TicketId>().unwrap(),
            Command::note(MessageBody::parse(NOTE).unwrap()),
        )
        .await
        .unwrap();
    ivan.say(AFTER).await;
    let next = ana.until("message").await;
    assert_eq!(next["body"], AFTER, "{next}");

    // The transcript is the thread of the chat's ticket, in the store.
    let thread = fx
        .desk
        .as_system()
        .thread(ticket.parse::<TicketId>().unwrap())
        .await
        .unwrap();
    let public: Vec<&str> = thread
        .iter()
        .filter(|m| m.is_public())
        .map(|m| m.body.as_str())
        .collect();
    assert_eq!(public, [QUESTION, HELLO, ANSWER, AFTER]);
    assert!(
        thread
            .iter()
            .filter(|m| m.is_public())
            .all(|m| m.channel == Channel::Chat)
    );
    assert!(thread.iter().any(|m| m.body.as_str() == NOTE));

    // A reload: the customer's new socket gets the whole conversation back, without the note.
    drop(ana);
    let mut ana = fx.connect_cookie(&chat, &fx.ana_session).await;
    ana.until("chat").await;
    let replayed = ana.replay().await;
    // Without the note.
    assert_eq!(replayed, [QUESTION, HELLO, ANSWER, AFTER]);

    // A second customer asks for a person while the agent's one seat is taken: queued, first.
    let second = fx
        .start_chat(&fx.john_token, "The app crashes when I log in")
        .await;
    let second_chat = second["chat"]["id"].as_str().unwrap().to_owned();
    let mut john = fx.connect_cookie(&second_chat, &fx.john_session).await;
    john.until_place("assistant").await;
    john.send(json!({"talk_to_person": true})).await;
    let queued = john.until_place("queued").await;
    assert_eq!(queued["position"], 1, "{queued}");
    let queue = fx
        .call(
            "GET",
            &format!("/api/v1/chats/queue?department={}", fx.support),
            &fx.ivan_token,
            None,
        )
        .await;
    let queue = queue["items"].as_array().unwrap().clone();
    assert_eq!(queue.len(), 1, "{queue:?}");
    assert_eq!(queue[0]["id"], second_chat.as_str());
    assert_eq!(queue[0]["customer_name"], "John Smith");
    assert!(queue[0]["waiting_seconds"].is_number(), "{queue:?}");
    let (status, _) = fx
        .call_status("GET", "/api/v1/chats/queue", &fx.john_token, None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The agent ends the first chat: its customer hears it, and the seat goes to the queue.
    ivan.send(json!({"end": true})).await;
    let ended = ana.until("ended").await;
    assert_eq!(ended["end"], "by_agent");
    let place = john.until_place("with_agent").await;
    assert_eq!(place["agent_name"], "Ivan Petrov");
    // The ended chat's ticket stays, with its transcript, in the customer's tickets.
    let tickets = fx.call("GET", "/api/v1/tickets", &fx.ana_token, None).await;
    assert!(
        tickets["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == ticket.as_str()),
        "{tickets}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_socket_is_for_the_chats_people_only() {
    let fx = fixture().await;
    let started = fx.start_chat(&fx.ana_token, "Where is my parcel?").await;
    let chat = started["chat"]["id"].as_str().unwrap().to_owned();

    let refused = |request| async move {
        match tokio_tungstenite::connect_async(request).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status(),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("the socket opened"),
        }
    };
    // No credentials.
    let request = fx.ws_url(&chat).into_client_request().unwrap();
    assert_eq!(refused(request).await, StatusCode::UNAUTHORIZED);
    // Another customer.
    let mut request = fx.ws_url(&chat).into_client_request().unwrap();
    request.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Bearer {}", fx.john_token).parse().unwrap(),
    );
    assert_eq!(refused(request).await, StatusCode::NOT_FOUND);
    // The right cookie from another site's page.
    let mut request = fx.ws_url(&chat).into_client_request().unwrap();
    let headers = request.headers_mut();
    headers.insert(
        header::COOKIE,
        format!(
            "{}={}",
            helpdesk_server::session::SESSION_COOKIE,
            fx.ana_session
        )
        .parse()
        .unwrap(),
    );
    headers.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert_eq!(refused(request).await, StatusCode::FORBIDDEN);

    // "This helped" ends the chat and closes its ticket as solved.
    let mut ana = fx.connect_cookie(&chat, &fx.ana_session).await;
    ana.until_place("assistant").await;
    ana.send(json!("bogus")).await;
    let error = loop {
        let frame = ana.next().await;
        if let Some(e) = frame.get("error") {
            break e.clone();
        }
    };
    assert_eq!(error["code"], "validation", "{error}");
    ana.send(json!({"this_helped": true})).await;
    assert_eq!(ana.until("ended").await["end"], "answered");
    let ticket = fx
        .call(
            "GET",
            &format!(
                "/api/v1/tickets/{}",
                started["ticket"]["id"].as_str().unwrap()
            ),
            &fx.ana_token,
            None,
        )
        .await;
    assert_eq!(ticket["status"], "closed:solved", "{ticket}");
    // The chat routes are in the OpenAPI document.
    let doc = fx
        .call("GET", "/api/openapi.json", &fx.ana_token, None)
        .await;
    for (path, method) in [
        ("/api/v1/chats", "post"),
        ("/api/v1/chats/{chat}", "get"),
        ("/api/v1/chats/queue", "get"),
        ("/api/v1/agents/me/presence", "post"),
        ("/api/v1/agents/me/chats", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    assert!(doc["components"]["schemas"]["StartChat"].is_object());
    // A customer cannot set a presence.
    let (status, _) = fx
        .call_status(
            "POST",
            "/api/v1/agents/me/presence",
            &fx.ana_token,
            Some(json!({"presence": "online"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
