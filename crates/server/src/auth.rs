//! Authentication: the extractor that turns a request into the signed-in user (if any),
//! by bearer token or session cookie with its CSRF header, resolved once per request by
//! [`resolve_caller`], which also refuses every anonymous write; and the sign-in limit.
//! Password hashes and tokens live in [`kumuh_app::users`]; authorization happens in the
//! use cases of `kumuh-app`, which call [`kumuh_domain::authorize`].

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use kumuh_domain::User;

use crate::AppState;
use crate::error::ApiError;

mod limit;
pub use limit::{ADDRESS_ATTEMPTS, LOGIN_ATTEMPTS, LOGIN_MAX_DELAY, LOGIN_WINDOW, LoginLimiter};

pub use kumuh_app::users::{
    TOKEN_LIFETIME_SECS, hash_password, new_token, now_unix, token_hash, verify_password,
};

/// Name of the session cookie set by `POST /api/auth/login` with `"sesi": true`.
pub const SESSION_COOKIE: &str = "kumuh_session";

/// Header a cookie-authenticated write must carry (see [`csrf_token`]).
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The CSRF token of a session: derived from the session token, which only the browser
/// holding the (HttpOnly) cookie and the server know, so another site cannot forge it.
pub fn csrf_token(session_token: &str) -> String {
    token_hash(&format!("csrf:{session_token}"))
}

/// How a request is authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// `Authorization: Bearer` (scripts).
    Bearer,
    /// The session cookie (the browser).
    Cookie,
}

/// The user a request is made by, if it carries a valid bearer token or session cookie.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Option<User>);

/// The signed-in user with how they signed in and their token (for sign-out).
#[derive(Debug, Clone)]
pub struct Session {
    /// The user.
    pub user: User,
    /// Bearer or cookie.
    pub via: Via,
    /// The token presented.
    pub token: String,
}

fn cookie_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Finds the session of a request: a bearer token first, else the session cookie. A
/// cookie-authenticated request that changes anything must carry the CSRF header.
async fn session(parts: &Parts, state: &AppState) -> Result<Option<Session>, ApiError> {
    let (token, via) = match parts.headers.get(header::AUTHORIZATION) {
        Some(value) => {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| {
                    ApiError::unauthenticated("the Authorization header must be `Bearer <token>`")
                })?;
            (token.to_owned(), Via::Bearer)
        }
        None => match cookie_token(parts) {
            Some(t) => (t, Via::Cookie),
            None => return Ok(None),
        },
    };
    let user = kumuh_app::users::user_for_token(&state.atlas(), &token)
        .await?
        .ok_or_else(|| {
            ApiError::unauthenticated(
                "the token or session is unknown or has expired; sign in again",
            )
        })?;
    if via == Via::Cookie && !is_safe(&parts.method) {
        let sent = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if sent != csrf_token(&token) {
            return Err(ApiError::forbidden(
                "csrf",
                format!(
                    "a change made with the session cookie needs the `{CSRF_HEADER}` header from sign-in (GET /api/auth/me gives it again)"
                ),
            ));
        }
    }
    Ok(Some(Session { user, via, token }))
}

/// The caller as [`resolve_caller`] found it, kept in the request's extensions so that
/// the token is looked up once per request whatever the handler extracts.
#[derive(Debug, Clone)]
struct Resolved(Result<Option<Session>, ApiError>);

/// The caller of a request: the one [`resolve_caller`] stored, or (for a router built
/// without that layer) looked up now.
async fn caller(parts: &Parts, state: &AppState) -> Result<Option<Session>, ApiError> {
    match parts.extensions.get::<Resolved>() {
        Some(Resolved(r)) => r.clone(),
        None => session(parts, state).await,
    }
}

/// Methods that change nothing.
fn is_safe(method: &axum::http::Method) -> bool {
    matches!(
        *method,
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    )
}

/// The one write open to anonymous callers: signing in.
pub const LOGIN_PATH: &str = "/api/auth/login";

/// Middleware: resolves the caller once, and answers 401 to a write under `/api` (other
/// than [`LOGIN_PATH`]) without valid credentials before its body is read or anything it
/// names is looked up, so an anonymous caller learns neither what a valid body looks
/// like nor which ids exist. Reads go on; a handler that needs a user refuses then.
pub async fn resolve_caller(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (mut parts, body) = req.into_parts();
    let path = parts.uri.path();
    // Tiles are the same for everyone: a signed-in browser's many tile requests are not
    // each a lookup of its session in the store.
    let resolved = if is_safe(&parts.method) && path.starts_with("/tiles/") {
        Ok(None)
    } else {
        session(&parts, &state).await
    };
    let write = !is_safe(&parts.method) && path.starts_with("/api/") && path != LOGIN_PATH;
    if write {
        match &resolved {
            Err(e) => return e.clone().into_response(),
            Ok(None) => {
                return ApiError::unauthenticated(
                    "sign in first: every change needs `Authorization: Bearer <token>` or a session",
                )
                .into_response();
            }
            Ok(Some(_)) => {}
        }
    }
    parts.extensions.insert(Resolved(resolved));
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(CurrentUser(caller(parts, state).await?.map(|s| s.user)))
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        caller(parts, state)
            .await?
            .ok_or_else(|| ApiError::unauthenticated("sign in first"))
    }
}

/// Both ends of a served connection: the client's address (for the sign-in limit) and
/// the server's own address the client reached (for absolute URLs without trusting the
/// `Host` header).
#[derive(Debug, Clone, Copy)]
pub struct Connection {
    /// The peer.
    pub client: std::net::SocketAddr,
    /// This server's address on the connection.
    pub local: Option<std::net::SocketAddr>,
}

impl
    axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, tokio::net::TcpListener>>
    for Connection
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, tokio::net::TcpListener>) -> Self {
        Connection {
            client: *stream.remote_addr(),
            local: stream.io().local_addr().ok(),
        }
    }
}

/// The client's address, where the server knows it (not for in-process calls). This is
/// the peer address: `X-Forwarded-For` is not read, as the server knows of no trusted
/// proxy, and a client could otherwise pick any address to be counted under.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<std::net::SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ext = &parts.extensions;
        Ok(ClientAddr(
            ext.get::<axum::extract::ConnectInfo<Connection>>()
                .map(|c| c.0.client)
                .or_else(|| {
                    ext.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                        .map(|c| c.0)
                }),
        ))
    }
}
