//! Users: argon2id password hashes, API tokens (stored as their SHA-256), sign-in and
//! sign-out, and adding users.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use kumuh_domain::User;
use sha2::{Digest, Sha256};

use crate::{AppError, Atlas, Result};

/// How long a token from signing in stays valid.
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

/// Adds `user` with `password` (hashed here); [`AppError::Conflict`] if the name is taken.
pub async fn add_user(atlas: &Atlas, user: &User, password: &str) -> Result<()> {
    let password = password.to_owned();
    // Argon2 is deliberately slow: keep it off the async workers.
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::Internal)?;
    atlas.store.add_user(user, &hash).await?;
    Ok(())
}

/// The user whose name and password these are, or `None`. An unknown name costs the same
/// time as a wrong password, so names cannot be probed.
pub async fn check_login(atlas: &Atlas, username: &str, password: &str) -> Result<Option<User>> {
    let creds = atlas.store.credentials(username).await?;
    let password = password.to_owned();
    let hash = creds.as_ref().map(|c| c.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(h) => verify_password(&password, &h),
        None => {
            let _ = hash_password(&password);
            false
        }
    })
    .await
    .map_err(AppError::internal)?;
    Ok(match (ok, creds) {
        (true, Some(c)) => Some(c.user),
        _ => None,
    })
}

/// A new token for `username`, valid for `lifetime_secs`: the token and when it expires
/// (seconds since the Unix epoch). Only its hash is stored.
pub async fn issue_token(
    atlas: &Atlas,
    username: &str,
    lifetime_secs: i64,
) -> Result<(String, i64)> {
    let token = new_token().map_err(AppError::Internal)?;
    let expires_unix = now_unix() + lifetime_secs;
    atlas
        .store
        .add_token(username, &token_hash(&token), expires_unix)
        .await?;
    Ok((token, expires_unix))
}

/// The user a token belongs to, if it is known and has not expired.
pub async fn user_for_token(atlas: &Atlas, token: &str) -> Result<Option<User>> {
    Ok(atlas
        .store
        .user_for_token(&token_hash(token), now_unix())
        .await?)
}

/// Forgets a token (sign-out); true if it existed.
pub async fn sign_out(atlas: &Atlas, token: &str) -> Result<bool> {
    Ok(atlas.store.delete_token(&token_hash(token)).await?)
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
