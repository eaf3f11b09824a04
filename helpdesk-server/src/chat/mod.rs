//! Live chat (issue 8): the in-process fan-out between sockets ([`hub`]), the WebSocket at
//! `/chat/ws?chat=ID` ([`socket`]), and the JSON views of chats and their messages that the
//! socket and the API (`api::chat`) send. The widget and the console panel are in
//! `pages::chat`.

pub mod hub;
pub mod socket;
pub mod views;

pub use socket::routes;
