//! Users and their API tokens (`kumuh_users`, `kumuh_tokens`), one set of queries for both
//! backends: password and token hashes only, never the secrets themselves. The tables
//! and statements are the same in SQLite and PostgreSQL but for the placeholders
//! ([`placeholders`](crate::tile_index::placeholders) writes them). A write runs on the
//! transaction its backend began; committing it is the backend's.

use std::str::FromStr;

use kumuh_domain::{Kode, Role, User};
use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, Type};

use crate::Credentials;
use crate::error::{DbContext, Result, StoreError};
use crate::gpkg::rows::kode_field;
use crate::tile_index::placeholders;

/// `fid, username, role, desa` of a user row.
type UserRow = (i64, String, String, String);

/// A user from its row; a role or desa code that does not read is `Corrupt`.
fn user_of((fid, username, role, desa): UserRow) -> Result<User> {
    Ok(User {
        username,
        role: Role::from_str(&role).map_err(|e| StoreError::Corrupt {
            table: "kumuh_users".into(),
            fid,
            field: "role",
            message: e.to_string(),
        })?,
        desa: desa
            .split(',')
            .filter(|k| !k.is_empty())
            .map(|k| kode_field("kumuh_users", fid, "desa", k))
            .collect::<Result<_>>()?,
    })
}

pub(crate) async fn add_user<'e, DB, E>(ex: E, user: &User, password_hash: &str) -> Result<()>
where
    DB: Database,
    E: Executor<'e, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> DB::Arguments: IntoArguments<DB>,
{
    let username = &user.username;
    let desa: Vec<&str> = user.desa.iter().map(Kode::as_str).collect();
    let added = sqlx::query::<DB>(placeholders::<DB>(
        "INSERT INTO kumuh_users (username, password_hash, role, desa) VALUES ($1, $2, $3, $4)",
    ))
    .bind(username.as_str())
    .bind(password_hash)
    .bind(user.role.as_str())
    .bind(desa.join(","))
    .execute(ex)
    .await;
    match added {
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => Err(StoreError::Conflict(
            format!("a user named `{username}` already exists"),
        )),
        added => added.map(drop).ctx(format!("adding user {username}")),
    }
}

pub(crate) async fn credentials<'e, DB, E>(ex: E, username: &str) -> Result<Option<Credentials>>
where
    DB: Database,
    E: Executor<'e, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'r> (i64, String, String, String, String): FromRow<'r, DB::Row>,
    for<'q> DB::Arguments: IntoArguments<DB>,
{
    let row: Option<(i64, String, String, String, String)> =
        sqlx::query_as::<DB, _>(placeholders::<DB>(
            "SELECT fid, username, role, desa, password_hash FROM kumuh_users WHERE username = $1",
        ))
        .bind(username)
        .fetch_optional(ex)
        .await
        .ctx("reading a user")?;
    row.map(|(fid, username, role, desa, password_hash)| {
        Ok(Credentials {
            user: user_of((fid, username, role, desa))?,
            password_hash,
        })
    })
    .transpose()
}

/// Every user, by name in byte order (PostgreSQL told so: its default collation may
/// follow the locale).
pub(crate) async fn list_users<'e, DB, E>(ex: E) -> Result<Vec<User>>
where
    DB: Database,
    E: Executor<'e, Database = DB>,
    for<'r> UserRow: FromRow<'r, DB::Row>,
    for<'q> DB::Arguments: IntoArguments<DB>,
{
    let order = if DB::NAME == "SQLite" {
        "username"
    } else {
        "username COLLATE \"C\""
    };
    let rows: Vec<UserRow> = sqlx::query_as::<DB, _>(sqlx::AssertSqlSafe(format!(
        "SELECT fid, username, role, desa FROM kumuh_users ORDER BY {order}"
    )))
    .fetch_all(ex)
    .await
    .ctx("listing users")?;
    rows.into_iter().map(user_of).collect()
}

pub(crate) async fn add_token<'e, DB, E>(
    ex: E,
    username: &str,
    token_hash: &str,
    expires_unix: i64,
) -> Result<()>
where
    DB: Database,
    E: Executor<'e, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> DB::Arguments: IntoArguments<DB>,
{
    sqlx::query::<DB>(placeholders::<DB>(
        "INSERT INTO kumuh_tokens (token_hash, username, expires_unix) VALUES ($1, $2, $3)",
    ))
    .bind(token_hash)
    .bind(username)
    .bind(expires_unix)
    .execute(ex)
    .await
    .ctx(format!("adding a token for {username}"))?;
    Ok(())
}

/// Deletes a token; whether there was one.
pub(crate) async fn delete_token<'e, DB, E>(ex: E, token_hash: &str) -> Result<bool>
where
    DB: Database,
    E: Executor<'e, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'r> (String,): FromRow<'r, DB::Row>,
    for<'q> DB::Arguments: IntoArguments<DB>,
{
    let deleted: Option<(String,)> = sqlx::query_as::<DB, _>(placeholders::<DB>(
        "DELETE FROM kumuh_tokens WHERE token_hash = $1 RETURNING token_hash",
    ))
    .bind(token_hash)
    .fetch_optional(ex)
    .await
    .ctx("deleting a token")?;
    Ok(deleted.is_some())
}

/// The user a token that has not expired at `now_unix` signs in.
pub(crate) async fn user_for_token<'e, DB, E>(
    ex: E,
    token_hash: &str,
    now_unix: i64,
) -> Result<Option<User>>
where
    DB: Database,
    E: Executor<'e, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'r> UserRow: FromRow<'r, DB::Row>,
    for<'q> DB::Arguments: IntoArguments<DB>,
{
    let row: Option<UserRow> = sqlx::query_as::<DB, _>(placeholders::<DB>(
        "SELECT u.fid, u.username, u.role, u.desa FROM kumuh_tokens t
         JOIN kumuh_users u ON u.username = t.username
         WHERE t.token_hash = $1 AND t.expires_unix > $2",
    ))
    .bind(token_hash)
    .bind(now_unix)
    .fetch_optional(ex)
    .await
    .ctx("checking a token")?;
    row.map(user_of).transpose()
}
