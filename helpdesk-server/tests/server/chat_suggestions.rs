//! The chat assistant's articles in the reader's language (issue 21), over a real WebSocket:
//! the articles in the reader's language first, the others after with their language's name,
//! each with the link to its page; the reader's language is the customer's own, else the
//! browser's; as many articles as the desk's chat settings say.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use futures_util::{SinkExt, StreamExt};
use helpdesk::domain::{Actor, CustomerKind, Name, TokenKind};
use helpdesk::service::{ChatSettings, NewCustomer};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::kb_language::article;
use crate::support::*;

/// The English article (the better match: "modem" in its title and twice in its text) and
/// the Romanian one.
async fn two_articles(fx: &Fixture) -> (String, String) {
    crate::content_settings::add_category(fx, "internet").await;
    let en = article(fx, "Modem lights", "The modem modem blinks.", "en").await;
    let ro = article(fx, "Modemul nu pornește", "Verificați cablul modem.", "ro").await;
    (en, ro)
}

const QUESTION: &str = "My modem does not start";

/// `app` on 127.0.0.1:0.
async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

/// A customer's chat started over the API with `token`: its id and the suggestions' ids.
async fn start_chat(fx: &Fixture, token: &str) -> (String, Vec<String>) {
    let started = fx
        .post(
            "/api/v1/chats",
            token,
            json!({"department": fx.support, "text": QUESTION}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let ids = ids(&started["suggestions"]);
    (started["chat"]["id"].as_str().unwrap().to_owned(), ids)
}

fn ids(articles: &Value) -> Vec<String> {
    articles
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The chat's socket opened from a page of `addr` with the session `cookie` (`name=value`)
/// and, when given, the browser's `Accept-Language`.
async fn connect(addr: SocketAddr, chat: &str, cookie: &str, accept: Option<&str>) -> Socket {
    let mut request = format!("ws://{addr}/chat/ws?chat={chat}")
        .into_client_request()
        .unwrap();
    let headers = request.headers_mut();
    headers.insert(header::COOKIE, cookie.parse().unwrap());
    headers.insert(header::ORIGIN, format!("http://{addr}").parse().unwrap());
    if let Some(accept) = accept {
        headers.insert(header::ACCEPT_LANGUAGE, accept.parse().unwrap());
    }
    tokio_tungstenite::connect_async(request)
        .await
        .expect("the socket opens")
        .0
}

/// The value of the next frame with `key` (the frames before it skipped, none an error
/// unless `key` is; 5 s at most each).
async fn until(ws: &mut Socket, key: &str) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a frame within 5 s")
            .expect("the socket is open")
            .expect("a frame");
        let WsMessage::Text(text) = msg else { continue };
        let frame: Value = serde_json::from_str(text.as_str()).unwrap();
        if let Some(found) = frame.get(key) {
            return found.clone();
        }
        assert!(frame.get("error").is_none(), "an error frame: {frame}");
    }
}

/// The next `suggestions` frame's articles.
async fn suggestions(ws: &mut Socket) -> Vec<Value> {
    until(ws, "suggestions").await.as_array().unwrap().clone()
}

fn ids_of(articles: &[Value]) -> Vec<String> {
    ids(&Value::Array(articles.to_vec()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chat_assistant_offers_the_readers_language_first_linked_and_marks_the_others() {
    let fx = fixture().await;
    let (en, ro) = two_articles(&fx).await;
    // Ana reads Romanian: the chat's start already orders hers first.
    let (chat, started) = start_chat(&fx, &fx.ana).await;
    assert_eq!(started, [ro.clone(), en.clone()]);

    let ana = page_login(&fx, "ana@example.ro").await;
    let addr = serve(fx.app.clone()).await;
    // The browser asks for English; Ana's own language wins.
    let mut ws = connect(addr, &chat, &ana.cookie, Some("en")).await;
    let offered = suggestions(&mut ws).await;
    assert_eq!(ids_of(&offered), [ro.clone(), en.clone()], "{offered:?}");
    assert_eq!(offered[0]["language"], "ro");
    assert_eq!(offered[0]["language_name"], "Română");
    assert_eq!(offered[1]["language"], "en");
    assert_eq!(offered[1]["language_name"], "English");
    for (article, id) in offered.iter().zip([&ro, &en]) {
        let href = article["href"].as_str().unwrap();
        assert_eq!(href, format!("/portal/kb/{id}"));
        // The link opens the article's page for the customer.
        let html = page(&fx, &ana, href).await.expect(StatusCode::OK).text();
        assert!(html.contains(article["title"].as_str().unwrap()), "{html}");
    }

    // A new question with the assistant: the same order.
    ws.send(WsMessage::text(
        json!({"say": "The modem is still dark"}).to_string(),
    ))
    .await
    .unwrap();
    let again = suggestions(&mut ws).await;
    assert_eq!(ids_of(&again), [ro, en]);

    // A refusal says what it means in Ana's words, besides the desk's English detail.
    ws.send(WsMessage::text(json!("bogus").to_string()))
        .await
        .unwrap();
    let error = until(&mut ws, "error").await;
    assert_eq!(error["code"], "validation", "{error}");
    assert_eq!(
        error["said"], "Ceva din formular nu este valid: verificați și încercați din nou.",
        "{error}"
    );

    // The widget marks the others with the catalogue's word, in the reader's language.
    let portal = page(&fx, &ana, "/portal")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        portal.contains("&quot;other_language&quot;:&quot;în {language}&quot;"),
        "{portal}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_without_a_language_gets_the_browsers_language_first() {
    let fx = fixture().await;
    let (en, ro) = two_articles(&fx).await;
    let desk = fx.desk.clone().unwrap();
    let accounts = fx.accounts.clone().unwrap();
    let new = NewCustomer::new(CustomerKind::Individual, Name::parse("Anon").unwrap());
    let anon = desk.as_system().create_customer(new).await.unwrap();
    let actor = Actor::Customer(anon.id);
    let token = accounts.issue(actor, TokenKind::ApiToken).await.unwrap();
    let secret = accounts.issue(actor, TokenKind::Session).await.unwrap();
    let cookie = format!("{}={secret}", helpdesk_server::session::SESSION_COOKIE);
    // Without a language of theirs, the start offers every language, best first.
    let (chat, started) = start_chat(&fx, &token).await;
    assert_eq!(started, [en.clone(), ro.clone()]);

    let addr = serve(fx.app.clone()).await;
    for (accept, first, second) in [
        (Some("ro-RO,ro;q=0.9,en;q=0.5"), &ro, &en),
        (Some("en-GB,en;q=0.9"), &en, &ro),
        (None, &en, &ro),
    ] {
        let mut ws = connect(addr, &chat, &cookie, accept).await;
        let offered = suggestions(&mut ws).await;
        assert_eq!(
            ids_of(&offered),
            [first.clone(), second.clone()],
            "{accept:?}"
        );
    }
    // The page switch's cookie comes before Accept-Language, as on the pages.
    let with_switch = format!("{cookie}; hd_lang=ro");
    let mut ws = connect(addr, &chat, &with_switch, Some("en")).await;
    assert_eq!(ids_of(&suggestions(&mut ws).await), [ro, en]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_assistant_offers_as_many_articles_as_the_desks_chat_settings_say() {
    let fx = fixture().await;
    let (_, ro) = two_articles(&fx).await;
    let (chat, _) = start_chat(&fx, &fx.ana).await;
    let ana = page_login(&fx, "ana@example.ro").await;
    // The same store, served by a desk set to offer one article (the default is three).
    let mut settings = ChatSettings::default();
    settings.suggestions = 1;
    let one = fx.desk.clone().unwrap().with_chat(settings);
    let app = helpdesk_server::router(
        one,
        fx.accounts.clone().unwrap(),
        helpdesk_server::Options::default(),
    );
    let addr = serve(app).await;
    let mut ws = connect(addr, &chat, &ana.cookie, None).await;
    assert_eq!(ids_of(&suggestions(&mut ws).await), [ro]);
}
