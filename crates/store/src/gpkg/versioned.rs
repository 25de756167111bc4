//! Tables that keep each record whole as checked JSON with a version number: reading
//! them back, and the one conditional write that lets a change land only on the version
//! it was made on.
//!
//! Such a table has `fid`, a key column, a version column, a JSON column, `diubah` (when
//! the record last changed) and some columns copied out of the record for SQL and GIS
//! users.

use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{AssertSqlSafe, Row, Sqlite, SqliteConnection, SqlitePool};

use super::json_field;
use crate::error::{DbContext, Result, StoreError};

/// A query to which a caller binds its own parameters.
pub(super) type SqliteQuery = Query<'static, Sqlite, SqliteArguments>;

/// One table of whole records `T`, read back as `S` (the record with its version).
pub(crate) struct Versioned<T, S> {
    /// The table, e.g. `kegiatan`.
    pub table: &'static str,
    /// The column that names a record, e.g. `id`.
    pub key: &'static str,
    /// The version column: 1 when created, one more on every change.
    pub version: &'static str,
    /// The column holding the whole record as JSON.
    pub json: &'static str,
    /// The columns copied out of the record, in the order the caller binds them.
    pub columns: &'static [&'static str],
    /// How errors name a record: `{what} {key}`, e.g. `kegiatan K1`.
    pub what: &'static str,
    /// How reading names a record, e.g. `work` (`reading work K1`, `reading works`).
    pub noun: &'static str,
    /// What the version is called in messages, e.g. `revision`.
    pub version_noun: &'static str,
    /// The advice when a new record's key is taken, e.g. `change it instead`.
    pub on_exists: &'static str,
    /// Builds what is read back from the record, its version and `diubah`.
    pub stored: fn(T, i64, String) -> S,
}

impl<T: Serialize + DeserializeOwned, S> Versioned<T, S> {
    /// The record's name in errors, e.g. `kegiatan K1`.
    pub(crate) fn what(&self, key: &str) -> String {
        format!("{} {key}", self.what)
    }

    fn select(&self, rest: &str) -> AssertSqlSafe<String> {
        AssertSqlSafe(format!(
            "SELECT fid, {}, {}, diubah FROM {} {rest}",
            self.version, self.json, self.table
        ))
    }

    /// The records that `filter` (the SQL after `FROM table`, parameters bound by
    /// `bind`) selects, in its order.
    pub(super) async fn list(
        &self,
        pool: &SqlitePool,
        filter: &str,
        bind: impl FnOnce(SqliteQuery) -> SqliteQuery,
    ) -> Result<Vec<S>> {
        let rows = bind(sqlx::query(self.select(filter)))
            .fetch_all(pool)
            .await
            .ctx(format!("reading {}s", self.noun))?;
        rows.iter().map(|row| self.read_row(row)).collect()
    }

    /// The record named `key`, if there is one.
    pub(super) async fn get(&self, pool: &SqlitePool, key: &str) -> Result<Option<S>> {
        let row = sqlx::query(self.select(&format!("WHERE {} = ?", self.key)))
            .bind(key)
            .fetch_optional(pool)
            .await
            .ctx(format!("reading {} {key}", self.noun))?;
        row.as_ref().map(|row| self.read_row(row)).transpose()
    }

    fn read_row(&self, row: &SqliteRow) -> Result<S> {
        let fid: i64 = row.get("fid");
        let value = json_field(self.table, fid, self.json, row.get(self.json))?;
        Ok((self.stored)(
            value,
            row.get(self.version),
            row.get("diubah"),
        ))
    }

    /// The record as the JSON to store; done before the transaction, as nothing can be
    /// written if it fails.
    pub(crate) fn encode(&self, key: &str, value: &T) -> Result<String> {
        serde_json::to_string(value)
            .map_err(|e| StoreError::Invalid(format!("{}: cannot be written: {e}", self.what(key))))
    }

    /// Writes the record `data` under `key`, with `bind` binding its copied columns, and
    /// answers its new version. With `expected`, changes the record only if it is still
    /// at that version (`Stale` if it moved on, `NotFound` if it is gone); without,
    /// creates it at version 1 (`Conflict` if the key is taken).
    ///
    /// Issue it first in its transaction: the UPDATE takes SQLite's write lock at once,
    /// so two changes made on the same version cannot both pass.
    pub(super) async fn write(
        &self,
        conn: &mut SqliteConnection,
        key: &str,
        expected: Option<i64>,
        data: String,
        bind: impl FnOnce(SqliteQuery) -> SqliteQuery,
    ) -> Result<i64> {
        let (table, k, v, json) = (self.table, self.key, self.version, self.json);
        let what = self.what(key);
        let Some(expected) = expected else {
            // ?1 is the key, the copied columns follow, the JSON comes last.
            let n = self.columns.len();
            let columns = self.columns.join(", ");
            let params: String = (2..n + 2).map(|i| format!("?{i}, ")).collect();
            let sql = format!(
                "INSERT INTO {table} ({k}, {columns}, {v}, {json}) VALUES (?1, {params}1, ?{})
                 ON CONFLICT ({k}) DO NOTHING",
                n + 2
            );
            let done = bind(sqlx::query(AssertSqlSafe(sql)).bind(key))
                .bind(data)
                .execute(&mut *conn)
                .await
                .ctx(format!("writing {what}"))?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(format!(
                    "{what} already exists; {}, or choose another id",
                    self.on_exists
                )));
            }
            return Ok(1);
        };
        // ?1 is the key, ?2 the expected version, the copied columns follow, the JSON
        // comes last.
        let set: String = (self.columns.iter().zip(3..))
            .map(|(c, i)| format!("{c} = ?{i}, "))
            .collect();
        let sql = format!(
            "UPDATE {table} SET {set}{json} = ?{}, {v} = {v} + 1,
               diubah = strftime('%Y-%m-%dT%H:%M:%fZ','now')
             WHERE {k} = ?1 AND {v} = ?2",
            self.columns.len() + 3
        );
        let query = sqlx::query(AssertSqlSafe(sql)).bind(key).bind(expected);
        let done = bind(query)
            .bind(data)
            .execute(&mut *conn)
            .await
            .ctx(format!("writing {what}"))?;
        if done.rows_affected() == 0 {
            let current: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT {v} FROM {table} WHERE {k} = ?"
            )))
            .bind(key)
            .fetch_optional(&mut *conn)
            .await
            .ctx(format!("reading the {} of {what}", self.version_noun))?;
            return Err(match current {
                Some(current) => StoreError::Stale {
                    what,
                    expected,
                    current,
                },
                None => StoreError::NotFound(what),
            });
        }
        Ok(expected + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::SqlitePoolOptions;

    /// Names unlike those of any real table, so that nothing passes on a name the helper
    /// assumed instead of taking it from here.
    const THING: Versioned<String, (String, i64)> = Versioned {
        table: "thing",
        key: "name",
        version: "rev",
        json: "body",
        columns: &["label"],
        what: "thing",
        noun: "item",
        version_noun: "revision",
        on_exists: "edit it instead",
        stored: |body, rev, _| (body, rev),
    };

    async fn write(
        pool: &SqlitePool,
        name: &str,
        expected: Option<i64>,
        label: &str,
    ) -> Result<i64> {
        let data = THING.encode(name, &format!("{label} body"))?;
        let label = label.to_owned();
        let mut conn = pool.acquire().await.unwrap();
        THING
            .write(&mut conn, name, expected, data, |q| q.bind(label))
            .await
    }

    /// Stale, NotFound and Conflict each name the record and leave it as it was; the
    /// copied columns follow the JSON.
    #[tokio::test]
    async fn a_change_lands_only_on_the_version_it_was_made_on() {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        sqlx::query(
            "CREATE TABLE thing (fid INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
               label TEXT NOT NULL, rev INTEGER NOT NULL, body TEXT NOT NULL,
               diubah TEXT NOT NULL DEFAULT '')",
        )
        .execute(&pool)
        .await
        .unwrap();

        assert_eq!(write(&pool, "a", None, "one").await.unwrap(), 1);
        let taken = write(&pool, "a", None, "again").await.unwrap_err();
        assert_eq!(
            taken.to_string(),
            "thing a already exists; edit it instead, or choose another id"
        );
        assert_eq!(write(&pool, "a", Some(1), "two").await.unwrap(), 2);
        match write(&pool, "a", Some(1), "late").await {
            Err(StoreError::Stale {
                what,
                expected,
                current,
            }) => assert_eq!((what.as_str(), expected, current), ("thing a", 1, 2)),
            other => panic!("expected a stale version, got {other:?}"),
        }
        match write(&pool, "b", Some(1), "none").await {
            Err(StoreError::NotFound(what)) => assert_eq!(what, "thing b"),
            other => panic!("expected a missing record, got {other:?}"),
        }

        let label: String = sqlx::query_scalar("SELECT label FROM thing WHERE name = 'a'")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(label, "two");
        let a = ("two body".to_owned(), 2);
        assert_eq!(THING.get(&pool, "a").await.unwrap(), Some(a.clone()));
        assert_eq!(THING.get(&pool, "b").await.unwrap(), None);
        let listed = THING
            .list(&pool, "WHERE label = ?1 ORDER BY name", |q| q.bind("two"))
            .await
            .unwrap();
        assert_eq!(listed, vec![a]);
    }
}
