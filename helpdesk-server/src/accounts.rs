//! Accounts, API tokens and sessions, kept in the desk's store (its `AccountStore`), so they
//! survive a restart.
//!
//! Passwords are hashed here with argon2id (the store keeps only the PHC string); API tokens
//! (`Authorization: Bearer …`) and session cookies (see [`crate::session`]) are random
//! secrets of which the store keeps only the SHA-256. Failed sign-ins are throttled per
//! login and client address, counted in the store (its `SignInThrottle`), so a restart does
//! not clear them and every server process on the database counts the same; a sign-in the
//! store could not check is not a failure of the person's, is answered 503 and is not
//! counted.

use std::sync::Arc;
use std::time::Duration;

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use axum::http::StatusCode;
use chrono::Utc;
use helpdesk::domain::{Actor, AuthToken, Login, LoginName, PasswordHash, TokenHash, TokenKind};
use helpdesk::error::{Ability, Causes, ValidationError};
use helpdesk::store::{AccountStore, SignInAttempt, SignInThrottle, Store};
use helpdesk::{Error, Result};

use crate::error::ApiError;

/// How long a session lasts.
pub const SESSION_LIFETIME: chrono::Duration = chrono::Duration::days(14);
/// How long an API token lasts.
pub const API_TOKEN_LIFETIME: chrono::Duration = chrono::Duration::days(90);
/// Failed sign-ins allowed per login and address within [`THROTTLE_WINDOW`].
pub const THROTTLE_FAILURES: usize = 5;
/// The window of [`THROTTLE_FAILURES`].
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// The longest password, in bytes: longer ones are refused before any hashing, so a huge
/// password cannot make argon2 (or the memory holding it) the attacker's tool.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// How often a token's `last_used` is written at most.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::minutes(1);

/// Why a sign-in failed.
#[derive(Debug)]
pub enum SignInError {
    /// Unknown login or wrong password.
    Wrong,
    /// The password cannot be anyone's (longer than [`MAX_PASSWORD_BYTES`]): refused before
    /// hashing, and not counted.
    Invalid(ValidationError),
    /// Too many failures for this login from this address: wait this long.
    Throttled {
        /// How long until the oldest failure in the window is out of it.
        retry_after: Duration,
    },
    /// The store could not be read, so nobody can tell whether the password was right.
    Unavailable(Error),
}

impl SignInError {
    /// The API's answer: 401, 429, or 503 with the cause logged.
    pub fn api_error(self) -> ApiError {
        match self {
            SignInError::Wrong => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "wrong login or password",
            ),
            SignInError::Invalid(e) => e.into(),
            SignInError::Throttled { retry_after } => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                format!(
                    "too many failed sign-ins: try again in {} seconds",
                    retry_after.as_secs()
                ),
            )
            .with_retry_after(retry_after),
            SignInError::Unavailable(e) => ApiError::unavailable(&e),
        }
    }
}

/// The accounts, tokens and sessions of the server: the desk's store (the failed sign-ins
/// of the last minutes too) and argon2.
pub struct Accounts {
    argon: Argon2<'static>,
    store: Arc<dyn Store>,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts").finish_non_exhaustive()
    }
}

impl Accounts {
    /// Accounts in `store`, passwords hashed with argon2id's default parameters.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the store keeps no accounts or counts no sign-in
    /// attempts: nobody could sign in (safely).
    pub fn new(store: Arc<dyn Store>) -> Result<Self> {
        Self::with_params(store, Params::default())
    }

    /// Accounts in `store`, passwords hashed with these argon2id parameters.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the store keeps no accounts.
    pub fn with_params(store: Arc<dyn Store>, params: Params) -> Result<Self> {
        let accounts = Self {
            argon: Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
            store,
        };
        accounts.store()?;
        accounts.throttle()?;
        Ok(accounts)
    }

    /// Accounts with cheap hashing parameters, for tests only.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the store keeps no accounts.
    pub fn for_tests(store: Arc<dyn Store>) -> Result<Self> {
        let params = Params::new(256, 1, 1, None).map_err(|e| Error::backend(e.to_string()))?;
        Self::with_params(store, params)
    }

    /// The store's accounts.
    fn store(&self) -> Result<&dyn AccountStore> {
        self.store
            .as_account_store()
            .ok_or(Error::unsupported(Ability::Accounts))
    }

    /// The store's count of sign-in attempts.
    fn throttle(&self) -> Result<&dyn SignInThrottle> {
        self.store
            .as_sign_in_throttle()
            .ok_or(Error::unsupported(Ability::SignInThrottle))
    }

    /// Sets `actor`'s login to `login` and `password` (creating it, or replacing the name and
    /// password of the one it has). A login another actor holds is a 409 conflict.
    pub async fn set_login(&self, login: &str, password: &str, actor: Actor) -> Result<()> {
        let name = LoginName::parse(login)?;
        let hash = self.hash_password(password).await?;
        let now = helpdesk::clock::to_micros(Utc::now());
        let mut login = Login::new(name, actor, hash, now)?;
        let store = self.store()?;
        if let Some(old) = store.login_of(actor).await? {
            login.created_at = old.created_at;
        }
        store.put_login(&login).await
    }

    /// `password` hashed with this server's argon2id parameters, for the desk's
    /// [`set_login`](helpdesk::service::Acting::set_login), which checks who may set it.
    /// A password longer than [`MAX_PASSWORD_BYTES`] is refused before hashing.
    pub async fn hash_password(&self, password: &str) -> Result<PasswordHash> {
        check_password(password)?;
        if password.is_empty() {
            return Err(Error::validation("password", "must not be empty"));
        }
        let argon = self.argon.clone();
        let password = password.to_owned();
        let phc = tokio::task::spawn_blocking(move || {
            argon
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
        })
        .await
        .map_err(Error::backend)?
        .map_err(|e| Error::backend(e.to_string()))?;
        Ok(PasswordHash::parse(&phc)?)
    }

    /// Creates `actor`'s login unless it has one; whether it was created.
    pub async fn ensure_login(&self, login: &str, password: &str, actor: Actor) -> Result<bool> {
        if self.store()?.login_of(actor).await?.is_some() {
            return Ok(false);
        }
        self.set_login(login, password, actor).await.map(|()| true)
    }

    /// The login of `actor`, if it has one.
    pub async fn login_of(&self, actor: Actor) -> Result<Option<Login>> {
        self.store()?.login_of(actor).await
    }

    /// Checks a login and password from `client`: the login, or why not. After
    /// [`THROTTLE_FAILURES`] failures in [`THROTTLE_WINDOW`] for this login and address,
    /// every attempt is refused (even a right one) until the oldest failure is that old. An
    /// attempt the store could not check is [`SignInError::Unavailable`] and not a failure.
    pub async fn sign_in(
        &self,
        login: &str,
        password: &str,
        client: &str,
    ) -> std::result::Result<Login, SignInError> {
        check_password(password).map_err(SignInError::Invalid)?;
        let throttle = self.throttle().map_err(SignInError::Unavailable)?;
        let key = throttle_key(login, client);
        // Count the attempt before the slow check, so a burst of parallel attempts is held to
        // the limit too; a success clears the count.
        let now = helpdesk::clock::to_micros(Utc::now());
        let window = chrono::Duration::from_std(THROTTLE_WINDOW)
            .map_err(Error::backend)
            .map_err(SignInError::Unavailable)?;
        let attempt = SignInAttempt {
            id: uuid::Uuid::now_v7(),
            key,
            at: now,
        };
        let limit = u32::try_from(THROTTLE_FAILURES).unwrap_or(u32::MAX);
        if let Some(earliest) = throttle
            .record(&attempt, now - window, limit)
            .await
            .map_err(SignInError::Unavailable)?
        {
            let wait = (earliest + window - now).to_std().unwrap_or_default();
            return Err(SignInError::Throttled {
                retry_after: wait.max(Duration::from_secs(1)),
            });
        }
        match self.verify(login, password).await {
            Ok(Some(found)) => {
                if let Err(e) = throttle.clear(&attempt.key).await {
                    // The failures stay counted until they age out: the sign-in goes on.
                    eprintln!("clearing failed sign-ins failed: {}", Causes(&e));
                }
                Ok(found)
            }
            Ok(None) => Err(SignInError::Wrong),
            Err(e) => {
                if let Err(e) = throttle.forget(attempt.id).await {
                    eprintln!("taking back a sign-in attempt failed: {}", Causes(&e));
                }
                Err(SignInError::Unavailable(e))
            }
        }
    }

    /// The login `login` if `password` is its password (argon2 runs off the async threads);
    /// an error when the store could not be read. An unknown login is checked against a
    /// stand-in hash, so it takes as long as a wrong password and the answer's timing does
    /// not tell which logins exist.
    async fn verify(&self, login: &str, password: &str) -> Result<Option<Login>> {
        let found = match LoginName::parse(login) {
            Ok(name) => self.store()?.login(&name).await?,
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
        .map_err(Error::backend)?;
        Ok(if ok { found } else { None })
    }

    /// A new session or API token for `actor`: its secret (the store keeps only its hash).
    pub async fn issue(&self, actor: Actor, kind: TokenKind) -> Result<String> {
        let secret = random_secret();
        let lifetime = match kind {
            TokenKind::Session => SESSION_LIFETIME,
            TokenKind::ApiToken => API_TOKEN_LIFETIME,
        };
        let now = helpdesk::clock::to_micros(Utc::now());
        let token = AuthToken::new(TokenHash::of(&secret), actor, kind, now, lifetime);
        self.store()?.put_token(&token).await?;
        Ok(secret)
    }

    /// The actor a live token of `kind` with this secret signs in, if any (its use is
    /// recorded).
    pub async fn actor_of(&self, secret: &str, kind: TokenKind) -> Result<Option<Actor>> {
        let store = self.store()?;
        let hash = TokenHash::of(secret);
        let Some(token) = store.token(&hash).await? else {
            return Ok(None);
        };
        let now = Utc::now();
        if token.kind != kind || token.is_expired(now) {
            return Ok(None);
        }
        if token.last_used.is_none_or(|at| now - at >= TOUCH_EVERY)
            && let Err(e) = store
                .touch_token(&hash, helpdesk::clock::to_micros(now))
                .await
        {
            // Only the "last used" instant is lost: the request goes on.
            eprintln!("recording a token's use failed: {}", Causes(&e));
        }
        Ok(Some(token.actor))
    }

    /// Revokes the token or session with this hash if it is `actor`'s; whether it was.
    pub async fn revoke(&self, actor: Actor, hash: &TokenHash) -> Result<bool> {
        let store = self.store()?;
        match store.token(hash).await? {
            Some(token) if token.actor == actor => store.delete_token(hash).await,
            _ => Ok(false),
        }
    }

    /// `actor`'s live sessions and API tokens, oldest first.
    pub async fn tokens_of(&self, actor: Actor) -> Result<Vec<AuthToken>> {
        let now = Utc::now();
        let mut tokens = self.store()?.tokens_of(actor).await?;
        tokens.retain(|t| !t.is_expired(now));
        Ok(tokens)
    }

    /// Deletes the expired tokens and sessions, invitation and password-reset links, and the
    /// sign-in attempts older than the throttle's window; how many tokens and sessions.
    pub async fn sweep(&self) -> Result<u64> {
        let now = Utc::now();
        let window = chrono::Duration::from_std(THROTTLE_WINDOW).map_err(Error::backend)?;
        self.throttle()?.prune(now - window).await?;
        self.store()?.delete_expired_account_links(now).await?;
        self.store()?.delete_expired_tokens(now).await
    }
}

/// A random secret: 256 bits, as hex.
pub(crate) fn random_secret() -> String {
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    format!("{}{}", a.simple(), b.simple())
}

/// Refuses a password longer than [`MAX_PASSWORD_BYTES`] (before it is hashed).
///
/// # Errors
///
/// A validation error on the field `password`.
pub fn check_password(password: &str) -> std::result::Result<(), ValidationError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(ValidationError::new(
            "password",
            format!("must be at most {MAX_PASSWORD_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// What an attempt counts against: the SHA-256 of the login (as people type it: trimmed,
/// any case) and the client address, so the store keeps neither.
fn throttle_key(login: &str, client: &str) -> String {
    TokenHash::of(&format!(
        "sign-in\n{}\n{client}",
        login.trim().to_lowercase()
    ))
    .to_string()
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
