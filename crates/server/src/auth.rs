//! Authentication: argon2id password hashes, bearer tokens, and the extractor that
//! turns a request into the signed-in user (if any). Authorization itself is one
//! function, [`kumuh_domain::authorize`], called through [`require`].

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine;
use kumuh_domain::{Action, User, authorize};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

/// How long a token from `POST /api/auth/login` stays valid.
pub const TOKEN_LIFETIME_SECS: i64 = 7 * 24 * 3600;

/// Hashes a password with argon2id and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt_bytes = [0u8; 16];
    getrandom::getrandom(&mut salt_bytes).map_err(|e| format!("no randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("hashing the password: {e}"))
}

/// Whether `password` matches a PHC hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A new random API token (256 bits, URL-safe base64).
pub fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored for a token: its SHA-256, so a copy of the store leaks no tokens.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Seconds since the Unix epoch.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The user a request is made by, if it carries a valid bearer token.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Option<User>);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(CurrentUser(None));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::unauthenticated("the Authorization header must be `Bearer <token>`")
            })?;
        let user = state
            .store
            .user_for_token(&token_hash(token), now_unix())
            .await?
            .ok_or_else(|| {
                ApiError::unauthenticated("the token is unknown or has expired; sign in again")
            })?;
        Ok(CurrentUser(Some(user)))
    }
}

/// The single gate every write goes through: the signed-in user, if allowed `action`.
pub fn require(user: &CurrentUser, action: &Action) -> Result<User, ApiError> {
    authorize(user.0.as_ref(), action)?;
    user.0
        .clone()
        .ok_or_else(|| ApiError::unauthenticated("sign in first"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let h = hash_password("rahasia-jiwan").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("rahasia-jiwan", &h));
        assert!(!verify_password("salah", &h));
        assert!(!verify_password("rahasia-jiwan", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
