//! Accounts, API tokens and sessions, kept in the desk's store (`AccountStore`), so they
//! survive a restart.
//!
//! Passwords are hashed here with argon2id (the store keeps only the PHC string); API tokens
//! (`Authorization: Bearer …`) and session cookies (`hd_session`, HttpOnly, SameSite=Lax,
//! Secure with `--secure-cookies`) are random secrets of which the store keeps only the
//! SHA-256. Failed sign-ins are throttled per login and client address, in memory. Forms and
//! cookie-authenticated API writes carry a CSRF token derived from the session's secret.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use helpdesk::Helpdesk;
use helpdesk::domain::{
    Actor, AuthToken, Language, Login, LoginName, PasswordHash, TokenHash, TokenKind,
};
use helpdesk::store::Store;

use super::AppState;
use super::error::ApiError;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "hd_session";
/// The form field (and, for API writes with the session cookie, the header) of the CSRF
/// token.
pub const CSRF_FIELD: &str = "csrf";
/// The header of the CSRF token on cookie-authenticated API writes.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts.
pub const SESSION_LIFETIME: chrono::Duration = chrono::Duration::days(14);
/// How long an API token lasts.
pub const API_TOKEN_LIFETIME: chrono::Duration = chrono::Duration::days(90);
/// Failed sign-ins allowed per login and address within [`THROTTLE_WINDOW`].
pub const THROTTLE_FAILURES: usize = 5;
/// The window of [`THROTTLE_FAILURES`].
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// How often a token's `last_used` is written at most.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::minutes(1);

/// Why a sign-in failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInError {
    /// Unknown login or wrong password.
    Wrong,
    /// Too many failures for this login from this address: wait.
    Throttled,
}

impl SignInError {
    /// The API's answer.
    pub fn api_error(self) -> ApiError {
        match self {
            SignInError::Wrong => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "wrong login or password",
            ),
            SignInError::Throttled => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "too many failed sign-ins: try again in 15 minutes",
            ),
        }
    }
}

/// The accounts, tokens and sessions of the server: the desk's store, argon2, and the
/// failed sign-ins of the last minutes.
pub struct Accounts {
    argon: Argon2<'static>,
    store: Arc<dyn Store>,
    failures: Mutex<HashMap<(String, String), Vec<Instant>>>,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts").finish_non_exhaustive()
    }
}

impl Accounts {
    /// Accounts in `store`, passwords hashed with argon2id's default parameters.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self::with_params(store, Params::default())
    }

    /// Accounts in `store`, passwords hashed with these argon2id parameters.
    pub fn with_params(store: Arc<dyn Store>, params: Params) -> Self {
        Self {
            argon: Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
            store,
            failures: Mutex::default(),
        }
    }

    /// Cheap hashing parameters, for tests only (`tests/server_api.rs`).
    #[allow(dead_code)]
    pub fn for_tests(store: Arc<dyn Store>) -> Self {
        let params = Params::new(256, 1, 1, None).expect("valid argon2 parameters");
        Self::with_params(store, params)
    }

    /// Sets `actor`'s login to `login` and `password` (creating it, or replacing the name and
    /// password of the one it has). A login another actor holds is a 409 conflict.
    pub async fn set_login(
        &self,
        login: &str,
        password: &str,
        actor: Actor,
    ) -> helpdesk::Result<()> {
        let name = LoginName::parse(login)?;
        if password.is_empty() {
            return Err(helpdesk::Error::validation("password", "must not be empty"));
        }
        let argon = self.argon.clone();
        let password = password.to_owned();
        let phc = tokio::task::spawn_blocking(move || {
            argon
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
        })
        .await
        .map_err(helpdesk::Error::backend)?
        .map_err(|e| helpdesk::Error::backend(e.to_string()))?;
        let now = helpdesk::clock::to_micros(Utc::now());
        let mut login = Login::new(name, actor, PasswordHash::parse(&phc)?, now)?;
        if let Some(old) = self.store.login_of(actor).await? {
            login.created_at = old.created_at;
        }
        self.store.put_login(&login).await
    }

    /// Creates `actor`'s login unless it has one; whether it was created.
    pub async fn ensure_login(
        &self,
        login: &str,
        password: &str,
        actor: Actor,
    ) -> helpdesk::Result<bool> {
        if self.store.login_of(actor).await?.is_some() {
            return Ok(false);
        }
        self.set_login(login, password, actor).await.map(|()| true)
    }

    /// The login of `actor`, if it has one.
    pub async fn login_of(&self, actor: Actor) -> Option<Login> {
        self.store.login_of(actor).await.ok().flatten()
    }

    /// Checks a login and password from `client`: the login, or why not. After
    /// [`THROTTLE_FAILURES`] failures in [`THROTTLE_WINDOW`] for this login and address,
    /// every attempt is refused (even a right one) until the oldest failure is that old.
    pub async fn sign_in(
        &self,
        login: &str,
        password: &str,
        client: &str,
    ) -> Result<Login, SignInError> {
        let key = (login.trim().to_lowercase(), client.to_owned());
        // Count the attempt before the slow check, so a burst of parallel attempts is held to
        // the limit too; a success clears the count.
        {
            let mut failures = self.failures_lock();
            prune(&mut failures);
            let attempts = failures.entry(key.clone()).or_default();
            if attempts.len() >= THROTTLE_FAILURES {
                return Err(SignInError::Throttled);
            }
            attempts.push(Instant::now());
        }
        match self.verify(login, password).await {
            Some(found) => {
                self.failures_lock().remove(&key);
                Ok(found)
            }
            None => Err(SignInError::Wrong),
        }
    }

    fn failures_lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Vec<Instant>>> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The login `login` if `password` is its password (argon2 runs off the async threads).
    /// An unknown login is checked against a stand-in hash, so it takes as long as a wrong
    /// password and the answer's timing does not tell which logins exist.
    async fn verify(&self, login: &str, password: &str) -> Option<Login> {
        let found = match LoginName::parse(login) {
            Ok(name) => self.store.login(&name).await.ok().flatten(),
            Err(_) => None,
        };
        let argon = self.argon.clone();
        let phc = found.as_ref().map(|f| f.password_hash.as_str().to_owned());
        let password = password.to_owned();
        let known = found.is_some();
        let ok = tokio::task::spawn_blocking(move || {
            let phc = phc.unwrap_or_else(|| stand_in_hash(&argon).to_owned());
            let matches = argon2::PasswordHash::new(&phc)
                .is_ok_and(|hash| argon.verify_password(password.as_bytes(), &hash).is_ok());
            matches && known
        })
        .await
        .unwrap_or(false);
        if ok { found } else { None }
    }

    /// A new session or API token for `actor`: its secret (the store keeps only its hash).
    pub async fn issue(&self, actor: Actor, kind: TokenKind) -> helpdesk::Result<String> {
        let secret = random_secret();
        let lifetime = match kind {
            TokenKind::Session => SESSION_LIFETIME,
            TokenKind::ApiToken => API_TOKEN_LIFETIME,
        };
        let now = helpdesk::clock::to_micros(Utc::now());
        let token = AuthToken::new(TokenHash::of(&secret), actor, kind, now, lifetime);
        self.store.put_token(&token).await?;
        Ok(secret)
    }

    /// The actor a live token of `kind` with this secret signs in (its use is recorded).
    pub async fn actor_of(&self, secret: &str, kind: TokenKind) -> Option<Actor> {
        let hash = TokenHash::of(secret);
        let token = match self.store.token(&hash).await {
            Ok(token) => token?,
            Err(e) => {
                eprintln!("reading a token failed: {e}");
                return None;
            }
        };
        let now = Utc::now();
        if token.kind != kind || token.is_expired(now) {
            return None;
        }
        if token.last_used.is_none_or(|at| now - at >= TOUCH_EVERY) {
            let _ = self
                .store
                .touch_token(&hash, helpdesk::clock::to_micros(now))
                .await;
        }
        Some(token.actor)
    }

    /// Revokes the token or session with this hash if it is `actor`'s; whether it was.
    pub async fn revoke(&self, actor: Actor, hash: &TokenHash) -> helpdesk::Result<bool> {
        match self.store.token(hash).await? {
            Some(token) if token.actor == actor => self.store.delete_token(hash).await,
            _ => Ok(false),
        }
    }

    /// `actor`'s live sessions and API tokens, oldest first.
    pub async fn tokens_of(&self, actor: Actor) -> helpdesk::Result<Vec<AuthToken>> {
        let now = Utc::now();
        let mut tokens = self.store.tokens_of(actor).await?;
        tokens.retain(|t| !t.is_expired(now));
        Ok(tokens)
    }

    /// Deletes the expired tokens and sessions; how many.
    pub async fn sweep(&self) -> helpdesk::Result<u64> {
        self.store.delete_expired_tokens(Utc::now()).await
    }
}

fn random_secret() -> String {
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    format!("{}{}", a.simple(), b.simple())
}

/// The CSRF token of a session: derived from its secret, so only someone who holds the
/// cookie can know it, and nothing more is stored.
pub fn csrf_token(session_secret: &str) -> String {
    TokenHash::of(&format!("csrf:{session_secret}")).to_string()
}

/// Whether `given` is the CSRF token of the session `secret`.
pub fn csrf_matches(session_secret: &str, given: Option<&str>) -> bool {
    given.is_some_and(|g| g == csrf_token(session_secret))
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

/// The `Set-Cookie` value that opens (or, with `None`, clears) a session: HttpOnly,
/// SameSite=Lax, and Secure when `secure`.
pub fn session_set_cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(token) => format!(
            "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            SESSION_LIFETIME.num_seconds()
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

/// The client's address (for throttling sign-ins), or `unknown` when the server was not
/// started with connection info (as in the in-process tests).
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string()),
        ))
    }
}

/// How a request is signed in: the actor, and the hash of the token or session secret.
#[derive(Debug, Clone, Copy)]
pub struct Credential {
    /// Who.
    pub actor: Actor,
    /// The hash of the secret presented.
    pub hash: TokenHash,
}

impl FromRequestParts<AppState> for Credential {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let bearer = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let (secret, kind) = match bearer {
            Some(token) => (token.to_owned(), TokenKind::ApiToken),
            None => {
                let secret = session_cookie(parts).ok_or_else(ApiError::unauthorized)?;
                // A write with the session cookie must carry the session's CSRF token.
                let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
                let given = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
                if !safe && !csrf_matches(&secret, given) {
                    return Err(csrf_refused());
                }
                (secret, TokenKind::Session)
            }
        };
        let actor = state
            .accounts
            .actor_of(&secret, kind)
            .await
            .ok_or_else(ApiError::unauthorized)?;
        Ok(Credential {
            actor,
            hash: TokenHash::of(&secret),
        })
    }
}

/// 403 for a form or write without the session's CSRF token.
pub fn csrf_refused() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "the CSRF token is missing or wrong: reload the page and try again",
    )
}

/// The signed-in actor of an API request (bearer token or session cookie); 401 otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Authed(pub Actor);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Credential::from_request_parts(parts, state)
            .await
            .map(|c| Authed(c.actor))
    }
}

/// The name and page language of an actor, from the desk's directory.
pub async fn profile(desk: &Helpdesk, actor: Actor) -> (String, Language) {
    match actor {
        Actor::Agent(id) => desk.agent(Actor::System, id).await.map_or_else(
            |_| (actor.to_string(), Language::English),
            |a| (a.name.to_string(), Language::English),
        ),
        Actor::Customer(id) => desk.customer(Actor::System, id).await.map_or_else(
            |_| (actor.to_string(), Language::English),
            |c| (c.name.to_string(), c.language.unwrap_or(Language::English)),
        ),
        Actor::System => ("System".to_owned(), Language::English),
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
    /// The CSRF token every form of theirs carries.
    pub csrf: String,
    /// The hash of their session's secret.
    pub session: TokenHash,
}

impl PageUser {
    /// 403 unless `given` is this session's CSRF token.
    pub fn check_csrf(&self, given: Option<&String>) -> Result<(), ApiError> {
        if given.is_some_and(|g| *g == self.csrf) {
            Ok(())
        } else {
            Err(csrf_refused())
        }
    }
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
        let secret = session_cookie(parts).ok_or(ToLogin)?;
        let actor = state
            .accounts
            .actor_of(&secret, TokenKind::Session)
            .await
            .ok_or(ToLogin)?;
        let (name, language) = profile(&state.desk, actor).await;
        Ok(PageUser {
            actor,
            name,
            language,
            csrf: csrf_token(&secret),
            session: TokenHash::of(&secret),
        })
    }
}

/// Forgets attempts older than the throttle window.
fn prune(failures: &mut HashMap<(String, String), Vec<Instant>>) {
    let now = Instant::now();
    failures.retain(|_, times| {
        times.retain(|t| now.duration_since(*t) < THROTTLE_WINDOW);
        !times.is_empty()
    });
}

/// A hash of a random password with the server's parameters, made once: what an unknown
/// login is checked against.
fn stand_in_hash(argon: &Argon2<'static>) -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        argon
            .hash_password(random_secret().as_bytes())
            .expect("hashing with valid parameters")
            .to_string()
    })
}
