//! Opening a database: the refusal of a database that holds something else or comes
//! from a newer Kumuh (both left untouched), the PostGIS extension, and the schema.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::PgStore;
use super::schema::{MIGRATION_LOCK, latest_version, migrate};
use crate::OpenMode;
use crate::error::{DbContext, Result, StoreError};

/// Whether a `--store` value names a PostgreSQL database rather than a file.
pub fn is_postgres_url(store: &str) -> bool {
    store.starts_with("postgres://") || store.starts_with("postgresql://")
}

/// The URL without its password (`postgres://user:secret@host/db` becomes
/// `postgres://user@host/db`), for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{user}@{host}")
        }
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|part| match part.split_once('=') {
                    Some(("password", _)) => "password=…".to_owned(),
                    _ => part.to_owned(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// `url` with its database name replaced by `name` (the rest, host, user and options,
/// kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let start = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[start..].find('/').map_or(base.len(), |i| start + i);
    format!("{}/{name}{query}", &base[..authority_end])
}

/// Creates the empty database `name` on the server `url` points at (connecting to the
/// database `url` names) and answers its URL: a fresh atlas for a test or a copy.
/// `name` is letters, digits and `_` only.
pub async fn create_database(url: &str, name: &str) -> Result<String> {
    let location = redact_url(url);
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(StoreError::Invalid(format!(
            "{name}: a database name of letters, digits and _ only"
        )));
    }
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .ctx(format!("connecting to {location}"))?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .ctx(format!("creating the database {name} beside {location}"))?;
    conn.close().await.ok();
    Ok(with_database(url, name))
}

/// How many connections a store keeps open at most.
const CONNECTIONS: u32 = 10;

impl PgStore {
    /// Opens the Kumuh store in the database at `url`; with
    /// [`OpenMode::CreateIfMissing`] creates the PostGIS extension (where it is missing
    /// and the role may) and the schema in an empty database, with
    /// [`OpenMode::MustExist`] refuses one ([`StoreError::Missing`]).
    /// Answers the store and whether this call created the schema (the caller then
    /// seeds it, as for a new GeoPackage).
    ///
    /// A database holding tables that are not Kumuh's is refused
    /// ([`StoreError::NotAKumuhDatabase`]), one from a newer Kumuh too
    /// ([`StoreError::NewerDatabaseSchema`]); neither is changed.
    pub async fn open(url: &str, mode: OpenMode) -> Result<(PgStore, bool)> {
        let location = redact_url(url);
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Invalid(format!("{location}: not a PostgreSQL URL: {e}")))?;
        let options = options.application_name("kumuh");
        let mut conn = sqlx::PgConnection::connect_with(&options)
            .await
            .ctx(format!("connecting to {location}"))?;
        let mut tx = conn.begin().await.ctx(format!("opening {location}"))?;
        // Two servers starting on one empty database: the second waits here and then
        // finds the schema whole.
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *tx)
            .await
            .ctx(format!("locking {location} for its schema"))?;
        let current = schema_version(&mut tx, &location).await?;
        let known = latest_version();
        if let Some(found) = current
            && found > known
        {
            return Err(StoreError::NewerDatabaseSchema {
                location,
                found,
                known,
            });
        }
        if current.is_none() && mode == OpenMode::MustExist {
            return Err(StoreError::Missing {
                path: location.into(),
            });
        }
        let created = current.is_none();
        if current.unwrap_or(0) < known {
            ensure_postgis(&mut tx, &location).await?;
            migrate(&mut tx, current.unwrap_or(0)).await?;
        }
        tx.commit().await.ctx(format!("migrating {location}"))?;
        conn.close().await.ok();

        let pool = PgPoolOptions::new()
            .max_connections(CONNECTIONS)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .ctx(format!("connecting to {location}"))?;
        Ok((PgStore { pool, location }, created))
    }
}

/// The schema version of the Kumuh store in the current schema, `None` for a database
/// without one. A database with tables of its own but no Kumuh store is refused.
async fn schema_version(conn: &mut sqlx::PgConnection, location: &str) -> Result<Option<i64>> {
    let has_migrations: bool =
        sqlx::query_scalar("SELECT to_regclass('kumuh_migrations') IS NOT NULL")
            .fetch_one(&mut *conn)
            .await
            .ctx(format!("reading the schema version of {location}"))?;
    if has_migrations {
        let v: Option<i64> = sqlx::query_scalar("SELECT max(version) FROM kumuh_migrations")
            .fetch_one(&mut *conn)
            .await
            .ctx(format!("reading the schema version of {location}"))?;
        return Ok(Some(v.unwrap_or(0)));
    }
    // PostGIS's own table may be there already; anything else belongs to someone else.
    let foreign: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema()
           AND table_name NOT IN ('spatial_ref_sys', 'geography_columns', 'geometry_columns')
         ORDER BY table_name LIMIT 5",
    )
    .fetch_all(&mut *conn)
    .await
    .ctx(format!("looking at the tables of {location}"))?;
    if !foreign.is_empty() {
        return Err(StoreError::NotAKumuhDatabase {
            location: location.to_owned(),
            tables: foreign.join(", "),
        });
    }
    Ok(None)
}

/// Creates the `postgis` extension when it is missing; a role that may not is told
/// which privilege it lacks.
async fn ensure_postgis(conn: &mut sqlx::PgConnection, location: &str) -> Result<()> {
    let present: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')")
            .fetch_one(&mut *conn)
            .await
            .ctx(format!("looking for PostGIS in {location}"))?;
    if present {
        return Ok(());
    }
    match sqlx::query("CREATE EXTENSION postgis").execute(&mut *conn).await {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some("42501") => {
            Err(StoreError::MissingPrivilege {
                location: location.to_owned(),
                privilege: "CREATE on the database (or superuser), to create the postgis extension; or have an administrator run `CREATE EXTENSION postgis` in it first".into(),
                message: d.message().to_owned(),
            })
        }
        Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some("0A000") || d.code().as_deref() == Some("58P01") => {
            Err(StoreError::MissingPrivilege {
                location: location.to_owned(),
                privilege: "the PostGIS extension installed on the server (Debian: postgresql-15-postgis-3)".into(),
                message: d.message().to_owned(),
            })
        }
        Err(e) => Err(e).ctx(format!("creating the postgis extension in {location}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_password() {
        let check = |url: &str, expected: &str| assert_eq!(redact_url(url), expected, "{url}");
        check(
            "postgres://kumuh:geheim@db:5432/atlas",
            "postgres://kumuh@db:5432/atlas",
        );
        check("postgres://db/atlas", "postgres://db/atlas");
        check(
            "postgresql://u@h/d?password=x&sslmode=require",
            "postgresql://u@h/d?password=…&sslmode=require",
        );
        check("postgres://u:p@h", "postgres://u@h");
        assert!(is_postgres_url("postgres://h/d"));
        assert!(is_postgres_url("postgresql://h/d"));
        assert!(!is_postgres_url("atlas.gpkg"));
        assert_eq!(
            with_database("postgres://u@localhost/postgres?host=/tmp/x&port=5", "t1"),
            "postgres://u@localhost/t1?host=/tmp/x&port=5"
        );
        assert_eq!(
            with_database("postgres://h:5432", "t1"),
            "postgres://h:5432/t1"
        );
    }
}
