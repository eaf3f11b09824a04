//! What every handler shares: the desk, the accounts, the router's options and the chat hub.

use std::sync::Arc;

use helpdesk::Helpdesk;

use crate::accounts::Accounts;
use crate::chat::hub::ChatHub;

/// How the router behaves.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Mark the session cookie `Secure` (set when the server is reached over https).
    pub secure_cookies: bool,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The desk.
    pub desk: Helpdesk,
    /// Logins, API tokens and sessions.
    pub accounts: Arc<Accounts>,
    /// The router's options.
    pub options: Arc<Options>,
    /// The live chat's fan-out between sockets.
    pub chats: Arc<ChatHub>,
}
