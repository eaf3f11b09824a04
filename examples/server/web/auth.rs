//! Accounts, API tokens and sessions.
//!
//! The library has no account API (who may sign in is the embedding application's business),
//! so this example keeps its accounts **in memory**: `--demo` seeds them and prints them.
//! Passwords are hashed with argon2id; API tokens (`Authorization: Bearer …`) and session
//! cookies (`hd_session`, HttpOnly, SameSite=Lax, Secure behind https) are random 256-bit
//! strings kept in memory too, so a restart signs everyone out.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use helpdesk::domain::{Actor, Language};

use super::AppState;
use super::error::ApiError;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "hd_session";

/// Someone who may sign in.
#[derive(Debug, Clone)]
pub struct Account {
    /// What they sign in with (an e-mail address in the demo).
    pub login: String,
    /// The name shown on the pages.
    pub display_name: String,
    /// Who they are to the desk.
    pub actor: Actor,
    /// The language of their pages.
    pub language: Language,
    password_hash: String,
}

#[derive(Default)]
struct Inner {
    accounts: HashMap<String, Account>,
    tokens: HashMap<String, Actor>,
    sessions: HashMap<String, Actor>,
}

/// The accounts, tokens and sessions of the server.
pub struct Accounts {
    argon: Argon2<'static>,
    inner: RwLock<Inner>,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts").finish_non_exhaustive()
    }
}

impl Default for Accounts {
    fn default() -> Self {
        Self::with_params(Params::default())
    }
}

impl Accounts {
    /// Accounts whose passwords are hashed with these argon2id parameters.
    pub fn with_params(params: Params) -> Self {
        Self {
            argon: Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
            inner: RwLock::default(),
        }
    }

    /// Cheap hashing parameters, for tests only (`tests/server_api.rs`).
    #[allow(dead_code)]
    pub fn for_tests() -> Self {
        Self::with_params(Params::new(256, 1, 1, None).expect("valid argon2 parameters"))
    }

    /// Adds (or replaces) an account.
    pub fn add(
        &self,
        login: &str,
        password: &str,
        display_name: &str,
        actor: Actor,
        language: Language,
    ) -> Result<(), String> {
        let hash = self
            .argon
            .hash_password(password.as_bytes())
            .map_err(|e| format!("cannot hash the password: {e}"))?
            .to_string();
        let account = Account {
            login: login.trim().to_lowercase(),
            display_name: display_name.to_owned(),
            actor,
            language,
            password_hash: hash,
        };
        self.write().accounts.insert(account.login.clone(), account);
        Ok(())
    }

    /// The account `login` if `password` is its password.
    pub fn verify(&self, login: &str, password: &str) -> Option<Account> {
        let account = self
            .read()
            .accounts
            .get(&login.trim().to_lowercase())?
            .clone();
        let hash = PasswordHash::new(&account.password_hash).ok()?;
        self.argon
            .verify_password(password.as_bytes(), &hash)
            .ok()
            .map(|()| account)
    }

    /// The account of `actor`, if it has one.
    pub fn account_of(&self, actor: Actor) -> Option<Account> {
        self.read()
            .accounts
            .values()
            .find(|a| a.actor == actor)
            .cloned()
    }

    /// A new API token for `actor`.
    pub fn issue_token(&self, actor: Actor) -> String {
        let token = random_token();
        self.write().tokens.insert(token.clone(), actor);
        token
    }

    /// A new session for `actor`.
    pub fn open_session(&self, actor: Actor) -> String {
        let token = random_token();
        self.write().sessions.insert(token.clone(), actor);
        token
    }

    /// Ends a session.
    pub fn close_session(&self, token: &str) {
        self.write().sessions.remove(token);
    }

    fn token_actor(&self, token: &str) -> Option<Actor> {
        self.read().tokens.get(token).copied()
    }

    /// The actor of a session, if it is open.
    pub fn account_of_session(&self, token: &str) -> Option<Actor> {
        self.session_actor(token)
    }

    fn session_actor(&self, token: &str) -> Option<Actor> {
        self.read().sessions.get(token).copied()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// Checks a password off the async threads (argon2 is deliberately slow).
pub async fn verify(accounts: Arc<Accounts>, login: String, password: String) -> Option<Account> {
    tokio::task::spawn_blocking(move || accounts.verify(&login, &password))
        .await
        .ok()
        .flatten()
}

fn random_token() -> String {
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    format!("{}{}", a.simple(), b.simple())
}

/// The session cookie's value in `parts`, if any.
pub fn session_cookie(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// The `Set-Cookie` value that opens (or, with `None`, clears) a session.
pub fn session_set_cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(token) => {
            format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}")
        }
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

fn actor_of(parts: &Parts, state: &AppState) -> Option<Actor> {
    let bearer = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if let Some(token) = bearer {
        return state.accounts.token_actor(token);
    }
    session_cookie(parts).and_then(|token| state.accounts.session_actor(&token))
}

/// The signed-in actor of an API request (bearer token or session cookie); 401 otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Authed(pub Actor);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        actor_of(parts, state)
            .map(Authed)
            .ok_or_else(ApiError::unauthorized)
    }
}

/// The signed-in user of a page; a redirect to the sign-in page otherwise.
#[derive(Debug, Clone)]
pub struct PageUser {
    /// Who they are to the desk.
    pub actor: Actor,
    /// Their name.
    pub name: String,
    /// The language of their pages.
    pub language: Language,
}

/// Sends a visitor who is not signed in to `/login`.
pub struct ToLogin;

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        Redirect::to("/login").into_response()
    }
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = ToLogin;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ToLogin> {
        let actor = session_cookie(parts)
            .and_then(|token| state.accounts.session_actor(&token))
            .ok_or(ToLogin)?;
        let account = state.accounts.account_of(actor);
        Ok(PageUser {
            actor,
            name: account
                .as_ref()
                .map_or_else(|| actor.to_string(), |a| a.display_name.clone()),
            language: account.map_or(Language::English, |a| a.language),
        })
    }
}
