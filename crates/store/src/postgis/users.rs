//! Users and their API tokens in PostgreSQL (`kumuh_users`, `kumuh_tokens`): password and token
//! hashes only, never the secrets themselves.

use kumuh_domain::{Kode, User};
use sqlx::Row;

use super::rows::user_from_row;
use super::{PgStore, is_unique_violation};
use crate::Credentials;
use crate::error::{DbContext, Result, StoreError};

pub(super) async fn add_user(store: &PgStore, user: &User, password_hash: &str) -> Result<()> {
    let username = &user.username;
    let mut tx = store
        .begin_write(&format!("adding user {username}"))
        .await?;
    let desa: Vec<&str> = user.desa.iter().map(Kode::as_str).collect();
    let r = sqlx::query(
        "INSERT INTO kumuh_users (username, password_hash, role, desa) VALUES ($1, $2, $3, $4)",
    )
    .bind(username)
    .bind(password_hash)
    .bind(user.role.as_str())
    .bind(desa.join(","))
    .execute(&mut *tx)
    .await;
    match r {
        Err(e) if is_unique_violation(&e) => {
            return Err(StoreError::Conflict(format!(
                "a user named `{username}` already exists"
            )));
        }
        r => {
            r.ctx(format!("adding user {username}"))?;
        }
    }
    tx.commit().await.ctx("committing the user")
}

pub(super) async fn credentials(store: &PgStore, username: &str) -> Result<Option<Credentials>> {
    let row = sqlx::query(
        "SELECT fid, username, password_hash, role, desa FROM kumuh_users WHERE username = $1",
    )
    .bind(username)
    .fetch_optional(&store.pool)
    .await
    .ctx("reading a user")?;
    row.map(|r| {
        Ok(Credentials {
            user: user_from_row(&r)?,
            password_hash: r.get("password_hash"),
        })
    })
    .transpose()
}

pub(super) async fn list_users(store: &PgStore) -> Result<Vec<User>> {
    let rows = sqlx::query(
        "SELECT fid, username, role, desa FROM kumuh_users ORDER BY username COLLATE \"C\"",
    )
    .fetch_all(&store.pool)
    .await
    .ctx("listing users")?;
    rows.iter().map(user_from_row).collect()
}

pub(super) async fn add_token(
    store: &PgStore,
    username: &str,
    token_hash: &str,
    expires_unix: i64,
) -> Result<()> {
    let mut tx = store.begin_write("adding a token").await?;
    sqlx::query(
        "INSERT INTO kumuh_tokens (token_hash, username, expires_unix) VALUES ($1, $2, $3)",
    )
    .bind(token_hash)
    .bind(username)
    .bind(expires_unix)
    .execute(&mut *tx)
    .await
    .ctx(format!("adding a token for {username}"))?;
    tx.commit().await.ctx("committing the token")
}

pub(super) async fn delete_token(store: &PgStore, token_hash: &str) -> Result<bool> {
    let mut tx = store.begin_write("signing out").await?;
    let done = sqlx::query("DELETE FROM kumuh_tokens WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *tx)
        .await
        .ctx("deleting a token")?;
    tx.commit().await.ctx("committing the sign-out")?;
    Ok(done.rows_affected() > 0)
}

pub(super) async fn user_for_token(
    store: &PgStore,
    token_hash: &str,
    now_unix: i64,
) -> Result<Option<User>> {
    let row = sqlx::query(
        "SELECT u.fid, u.username, u.role, u.desa FROM kumuh_tokens t
         JOIN kumuh_users u ON u.username = t.username
         WHERE t.token_hash = $1 AND t.expires_unix > $2",
    )
    .bind(token_hash)
    .bind(now_unix)
    .fetch_optional(&store.pool)
    .await
    .ctx("checking a token")?;
    row.map(|r| user_from_row(&r)).transpose()
}
