//! Authentication: the extractor that turns a request into the signed-in user (if any),
//! by bearer token or session cookie with its CSRF header, and the login rate limit.
//! Password hashes and tokens live in [`kumuh_app::users`]; authorization happens in the
//! use cases of `kumuh-app`, which call [`kumuh_domain::authorize`].

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use kumuh_domain::User;

use crate::AppState;
use crate::error::ApiError;

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
    let safe = matches!(
        parts.method,
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    if via == Via::Cookie && !safe {
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

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(CurrentUser(session(parts, state).await?.map(|s| s.user)))
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        session(parts, state)
            .await?
            .ok_or_else(|| ApiError::unauthenticated("sign in first"))
    }
}

/// The client's address, where the server knows it (not for in-process calls).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<std::net::SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

/// Failed sign-ins allowed per user name (and per client address) in one window.
pub const LOGIN_ATTEMPTS: usize = 5;

/// The window failed sign-ins are counted over.
pub const LOGIN_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Counts failed sign-ins per key (user name, client address) so that passwords cannot be
/// guessed at speed: after [`LOGIN_ATTEMPTS`] failures in [`LOGIN_WINDOW`], the key waits.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: std::sync::Mutex<std::collections::HashMap<String, Vec<std::time::Instant>>>,
}

impl LoginLimiter {
    /// Seconds to wait before `keys` may try again, if any of them is blocked.
    pub fn blocked(&self, keys: &[String]) -> Option<u64> {
        let now = std::time::Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = None;
        for key in keys {
            if let Some(times) = map.get_mut(key) {
                times.retain(|t| now.duration_since(*t) < LOGIN_WINDOW);
                if times.len() >= LOGIN_ATTEMPTS
                    && let Some(first) = times.first()
                {
                    let left = LOGIN_WINDOW.saturating_sub(now.duration_since(*first));
                    wait = Some(wait.unwrap_or(0).max(left.as_secs().max(1)));
                }
            }
        }
        wait
    }

    /// Counts a failure for each key.
    pub fn failed(&self, keys: &[String]) {
        let now = std::time::Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Bound the memory an attacker can make us use with made-up names.
        if map.len() > 100_000 {
            map.retain(|_, times| times.iter().any(|t| now.duration_since(*t) < LOGIN_WINDOW));
        }
        for key in keys {
            map.entry(key.clone()).or_default().push(now);
        }
    }

    /// Forgets the failures of `keys` after a successful sign-in.
    pub fn succeeded(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for key in keys {
            map.remove(key);
        }
    }
}
