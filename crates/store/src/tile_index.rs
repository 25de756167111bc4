//! The kept tile indexes (`kumuh_indeks_ubin`), one set of queries for both backends:
//! the table and its statements are the same in SQLite and PostgreSQL but for the
//! placeholders (`?1` and `$1`), which [`placeholders`] writes.

use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, SqlSafeStr, Type};

use crate::StoredTileIndex;
use crate::error::{DbContext, Result};

const LIST: &str = "SELECT lapisan, perubahan, versi FROM kumuh_indeks_ubin ORDER BY lapisan";
const GET: &str = "SELECT perubahan, versi, data FROM kumuh_indeks_ubin WHERE lapisan = $1";
const KEEP: &str = "INSERT INTO kumuh_indeks_ubin (lapisan, perubahan, versi, data)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (lapisan) DO UPDATE SET perubahan = excluded.perubahan,
       versi = excluded.versi, data = excluded.data, dibuat = excluded.dibuat";

/// `sql` with PostgreSQL's `$n` placeholders as the backend writes them.
pub(crate) fn placeholders<DB: Database>(sql: &'static str) -> sqlx::AssertSqlSafe<String> {
    let sql = if DB::NAME == "SQLite" {
        sql.replace('$', "?")
    } else {
        sql.to_owned()
    };
    sqlx::AssertSqlSafe(sql)
}

pub(crate) async fn list<'e, DB, E>(ex: E) -> Result<Vec<StoredTileIndex>>
where
    DB: Database,
    E: Executor<'e, Database = DB>,
    for<'r> (String, i64, String): FromRow<'r, DB::Row>,
    for<'q> DB::Arguments: IntoArguments<DB>,
{
    let rows: Vec<(String, i64, String)> = sqlx::query_as::<DB, _>(LIST.into_sql_str())
        .fetch_all(ex)
        .await
        .ctx("reading the kept tile indexes")?;
    Ok(rows
        .into_iter()
        .map(|(lapisan, perubahan, versi)| StoredTileIndex {
            lapisan,
            perubahan,
            versi,
        })
        .collect())
}

pub(crate) async fn get<'e, DB, E>(
    ex: E,
    lapisan: &str,
) -> Result<Option<(StoredTileIndex, Vec<u8>)>>
where
    DB: Database,
    E: Executor<'e, Database = DB>,
    for<'r> (i64, String, Vec<u8>): FromRow<'r, DB::Row>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> DB::Arguments: IntoArguments<DB>,
{
    let row: Option<(i64, String, Vec<u8>)> = sqlx::query_as::<DB, _>(placeholders::<DB>(GET))
        .bind(lapisan)
        .fetch_optional(ex)
        .await
        .ctx(format!("reading the kept tile index of {lapisan}"))?;
    Ok(row.map(|(perubahan, versi, data)| {
        let index = StoredTileIndex {
            lapisan: lapisan.to_owned(),
            perubahan,
            versi,
        };
        (index, data)
    }))
}

/// Keeps `data` (moved in: the query takes it as it is, where a borrowed slice would be
/// copied, and at RT scale it is a quarter of a gigabyte).
pub(crate) async fn keep<'e, DB, E>(ex: E, index: &StoredTileIndex, data: Vec<u8>) -> Result<()>
where
    DB: Database,
    E: Executor<'e, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> Vec<u8>: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> DB::Arguments: IntoArguments<DB>,
{
    sqlx::query::<DB>(placeholders::<DB>(KEEP))
        .bind(index.lapisan.as_str())
        .bind(index.perubahan)
        .bind(index.versi.as_str())
        .bind(data)
        .execute(ex)
        .await
        .ctx(format!("keeping the tile index of {}", index.lapisan))?;
    Ok(())
}
