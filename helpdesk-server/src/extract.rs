//! The extractors every handler takes its principal and its path from: one style for the API
//! and the pages.
//!
//! - [`Caller`]: an API request's principal, from a bearer token or the session cookie (with
//!   the CSRF header on writes); 401 without one.
//! - [`PageUser`]: a page's principal, from the session cookie; the sign-in page without one.
//! - [`Posted`]: a form posted from the pages, with its [`PageUser`] and CSRF token checked.
//! - [`PageSession`]: a page's session alone, for the hot pages that read their principal
//!   with their own reads (one store call) and make their [`PageUser`] after.
//!
//! Each makes the desk's [`Acting`] once, so every call a handler makes acts as the same
//! principal, loaded and checked once (a disabled customer or deactivated agent is refused
//! here, with 403).

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Request};
use axum::http::Method;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use helpdesk::domain::{Actor, Language, TokenHash, TokenKind};
use helpdesk::error::ValidationError;
use helpdesk::service::{Acting, Principal};
use helpdesk::{Error, Helpdesk};

use crate::error::{ApiError, ApiResult};
use crate::forms::StrictForm;
use crate::session::{
    CSRF_FIELD, CSRF_HEADER, csrf_matches, csrf_refused, csrf_token, session_cookie,
};
use crate::state::AppState;

/// How a request is signed in: the actor, and the hash of the token or session secret.
#[derive(Debug, Clone, Copy)]
pub struct Credential {
    /// Who.
    pub actor: Actor,
    /// The hash of the secret presented.
    pub hash: TokenHash,
}

/// The principal of an API request: the desk acting as the person its bearer token or
/// session cookie signs in, and that credential.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The desk acting as them.
    pub acting: Acting,
    /// How they signed in.
    pub credential: Credential,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let Signed(credential) = Signed::from_request_parts(parts, state).await?;
        let acting = act_as(&state.desk, credential.actor).await?;
        Ok(Caller { acting, credential })
    }
}

/// An API request's credential alone (checked as [`Caller`] checks it: 401 without a live
/// one, the CSRF header on writes with the cookie), for a handler that reads the principal
/// with its own reads (`Helpdesk::execute_as` and the like) and maps the principal's errors
/// with [`principal_refused`].
#[derive(Debug, Clone, Copy)]
pub struct Signed(pub Credential);

impl FromRequestParts<AppState> for Signed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
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
            .map_err(|e| ApiError::unavailable(&e))?
            .ok_or_else(ApiError::unauthorized)?;
        Ok(Signed(Credential {
            actor,
            hash: TokenHash::of(&secret),
        }))
    }
}

/// The desk acting as the actor a live token names. Someone removed since is not signed in
/// (401); a disabled customer or deactivated agent is refused (403).
pub async fn act_as(desk: &Helpdesk, actor: Actor) -> ApiResult<Acting> {
    desk.acting_as(actor)
        .await
        .map_err(|e| principal_refused(actor, e))
}

/// An error of a call that read `actor` as its principal, as the API answers it: the
/// principal not found (removed since the token was made) is 401, as [`Caller`] answers
/// it; anything else as itself (a disabled customer or deactivated agent 403). The
/// principal is admitted before anything else is used, so a not-found naming them is
/// theirs.
pub fn principal_refused(actor: Actor, e: Error) -> ApiError {
    let theirs = match (&e, actor) {
        (Error::NotFound { entity, key }, Actor::Agent(id)) => {
            *entity == helpdesk::error::Entity::Agent && *key == id.to_string()
        }
        (Error::NotFound { entity, key }, Actor::Customer(id)) => {
            *entity == helpdesk::error::Entity::Customer && *key == id.to_string()
        }
        _ => false,
    };
    if theirs {
        ApiError::unauthorized()
    } else {
        e.into()
    }
}

/// The signed-in user of a page: the desk acting as them, their name and page language, and
/// their session.
#[derive(Debug, Clone)]
pub struct PageUser {
    /// The desk acting as them.
    pub acting: Acting,
    /// Their name.
    pub name: String,
    /// The language of their pages.
    pub language: Language,
    /// The time zone of their pages (their own setting, else UTC).
    pub time_zone: helpdesk::domain::TimeZone,
    /// The CSRF token every form of theirs carries.
    pub csrf: String,
    /// The hash of their session's secret.
    pub session: TokenHash,
}

impl PageUser {
    /// Who they are to the desk.
    pub fn actor(&self) -> Actor {
        self.acting.actor()
    }

    /// Whether they are a customer (not staff).
    pub fn is_customer(&self) -> bool {
        !self.acting.principal().is_staff()
    }

    /// 403 unless `given` is this session's CSRF token.
    pub fn check_csrf(&self, given: Option<&String>) -> ApiResult<()> {
        if given.is_some_and(|g| *g == self.csrf) {
            Ok(())
        } else {
            Err(csrf_refused())
        }
    }
}

/// Why a page was not shown: nobody is signed in (to the sign-in page), or an error (shown
/// as a page, see `pages`).
#[derive(Debug)]
pub enum PageRefusal {
    /// No live session: sign in.
    SignIn,
    /// Refused or failed.
    Error(ApiError),
}

impl From<ApiError> for PageRefusal {
    fn from(e: ApiError) -> Self {
        PageRefusal::Error(e)
    }
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = PageRefusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageRefusal> {
        let session = PageSession::from_request_parts(parts, state).await?;
        session.read_user(&state.desk).await
    }
}

/// A page's session whose principal is not read yet: for a hot page that reads its
/// principal in the same store call as its own reads (`Helpdesk::list_tickets_as`,
/// `ticket_with_thread_as`, `execute_as_with`, `open_ticket_as`), then makes its
/// [`PageUser`] from the desk that call answers with ([`PageSession::admitted`]). The
/// sign-in page without a live session, as for [`PageUser`].
#[derive(Debug, Clone)]
pub struct PageSession {
    /// Who the session signs in.
    actor: Actor,
    /// The session's secret.
    secret: String,
    /// The address's query (its `?lang=` switch).
    query: Option<String>,
    /// The request's headers (the language cookie, `Accept-Language`).
    headers: axum::http::HeaderMap,
}

impl FromRequestParts<AppState> for PageSession {
    type Rejection = PageRefusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageRefusal> {
        let secret = session_cookie(parts).ok_or(PageRefusal::SignIn)?;
        let actor = state
            .accounts
            .actor_of(&secret, TokenKind::Session)
            .await
            .map_err(|e| ApiError::unavailable(&e))?
            .ok_or(PageRefusal::SignIn)?;
        Ok(PageSession {
            actor,
            secret,
            query: parts.uri.query().map(str::to_owned),
            headers: parts.headers.clone(),
        })
    }
}

impl PageSession {
    /// Who the session signs in (not yet admitted).
    pub fn actor(&self) -> Actor {
        self.actor
    }

    /// Whether `given` is this session's CSRF token.
    pub fn csrf_matches(&self, given: Option<&String>) -> bool {
        given.is_some_and(|g| *g == csrf_token(&self.secret))
    }

    /// The page's user, the principal read apart (`acting_as`): the person removed since
    /// is not signed in (the sign-in page); a disabled customer or deactivated agent is
    /// refused (403).
    pub async fn read_user(&self, desk: &Helpdesk) -> Result<PageUser, PageRefusal> {
        let acting = desk.acting_as(self.actor).await.map_err(|e| match e {
            Error::NotFound { .. } => PageRefusal::SignIn,
            other => PageRefusal::Error(other.into()),
        })?;
        self.user(acting).await
    }

    /// The page's user acting as `acting` (admitted by a call that read the principal):
    /// their settings, the language of their pages and their name.
    pub async fn user(&self, acting: Acting) -> Result<PageUser, PageRefusal> {
        let settings = acting
            .own_settings()
            .await
            .map_err(|e| PageRefusal::Error(e.into()))?;
        let language =
            page_language(&acting, settings, self.query.as_deref(), &self.headers).await?;
        crate::pages::choice::set_current(language);
        let time_zone = settings
            .time_zone
            .unwrap_or(helpdesk::domain::TimeZone::UTC);
        crate::pages::choice::set_zone(time_zone.zone());
        let (name, _) = profile(acting.principal());
        Ok(PageUser {
            acting,
            name,
            language,
            time_zone,
            csrf: csrf_token(&self.secret),
            session: TokenHash::of(&self.secret),
        })
    }

    /// What a call that read the principal with its own reads answered, as the page takes
    /// it: the user and what was read; or, when it failed, the refusal of the principal
    /// read apart (exactly as [`PageUser`] refuses: removed since, to the sign-in page; a
    /// disabled customer or deactivated agent, 403), else the user and the call's error
    /// (for the page to show as before). The apart read is made only when the call failed.
    ///
    /// # Errors
    ///
    /// The principal's refusal.
    pub async fn admitted<T>(
        &self,
        desk: &Helpdesk,
        answer: helpdesk::Result<(Acting, T)>,
    ) -> Result<(PageUser, Result<T, ApiError>), PageRefusal> {
        match answer {
            Ok((acting, found)) => Ok((self.user(acting).await?, Ok(found))),
            Err(e) => Ok((self.read_user(desk).await?, Err(e.into()))),
        }
    }

    /// The page's answer to `e`, an error of a call that read the principal with its own
    /// reads (or of checks made before it): the principal's refusal first, as
    /// [`PageUser`] refuses, else `e`.
    pub async fn refused(&self, desk: &Helpdesk, e: ApiError) -> PageRefusal {
        match self.read_user(desk).await {
            Ok(_) => PageRefusal::Error(e),
            Err(refusal) => refusal,
        }
    }
}

/// The language of a signed-in person's pages (see [`crate::pages::choice`]): a `?lang=`
/// switch (stored: a customer's as their profile language, staff's in their settings); the
/// stored language; the switch's cookie; the browser's `Accept-Language`; English.
async fn page_language(
    acting: &Acting,
    settings: helpdesk::domain::PersonSettings,
    query: Option<&str>,
    headers: &axum::http::HeaderMap,
) -> Result<Language, PageRefusal> {
    use crate::pages::choice;
    let switched = choice::switched(query);
    let stored = match acting.principal() {
        Principal::Customer(c) => c.language,
        _ => settings.language,
    };
    if let Some(lang) = switched.filter(|l| stored != Some(*l)) {
        let kept = match acting.principal() {
            Principal::Customer(_) => acting.set_own_language(lang).await.map(|_| ()),
            // Staff's choice is kept where the store keeps settings (else the cookie only).
            _ => match acting.change_own_settings(None, Some(lang)).await {
                Err(helpdesk::Error::Unsupported { .. }) => Ok(()),
                other => other.map(|_| ()),
            },
        };
        kept.map_err(|e| PageRefusal::Error(e.into()))?;
    }
    if let Some(lang) = switched.or(stored) {
        return Ok(lang);
    }
    Ok(switched
        .or_else(|| choice::kept(headers))
        .or_else(|| choice::accepted(headers))
        .unwrap_or(Language::English))
}

/// A principal's name and the language of their pages (customers' own, else English).
pub fn profile(principal: &Principal) -> (String, Language) {
    match principal {
        Principal::Customer(c) => (c.name.to_string(), c.language.unwrap_or(Language::English)),
        Principal::Agent(a) => (a.name.to_string(), Language::English),
        Principal::System => ("System".to_owned(), Language::English),
    }
}

/// A form posted from the pages by a signed-in user, with the session's CSRF token checked:
/// the sign-in page without a session, 403 with a missing or wrong token.
pub struct Posted {
    /// Who posted it.
    pub user: PageUser,
    /// Its fields.
    pub form: HashMap<String, String>,
}

impl FromRequest<AppState> for Posted {
    type Rejection = PageRefusal;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageRefusal> {
        let (mut parts, body) = req.into_parts();
        let user = PageUser::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let StrictForm(form) = StrictForm::from_request(req, state).await?;
        user.check_csrf(form.get(CSRF_FIELD))?;
        Ok(Posted { user, form })
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

/// The one path parameter of a route, parsed (400 when it does not parse): an id, or a
/// [`TicketKey`](helpdesk::domain::TicketKey) as a person typed it.
pub struct Id<T>(pub T);

impl<T, S> FromRequestParts<S> for Id<T>
where
    T: std::str::FromStr<Err = ValidationError> + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        parse(&raw).map(Id)
    }
}

/// `raw` parsed; a validation error (400) when it does not parse.
pub fn parse<T: std::str::FromStr<Err = ValidationError>>(raw: &str) -> ApiResult<T> {
    raw.parse::<T>().map_err(ApiError::from)
}
