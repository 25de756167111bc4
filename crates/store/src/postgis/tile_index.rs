//! The kept tile indexes (`kumuh_indeks_ubin`).

use sqlx::postgres::PgPool;

use crate::StoredTileIndex;
use crate::error::{DbContext, Result};

pub(super) async fn list(pool: &PgPool) -> Result<Vec<StoredTileIndex>> {
    let rows: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT lapisan, perubahan, versi FROM kumuh_indeks_ubin ORDER BY lapisan")
            .fetch_all(pool)
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

pub(super) async fn get(
    pool: &PgPool,
    lapisan: &str,
) -> Result<Option<(StoredTileIndex, Vec<u8>)>> {
    let row: Option<(i64, String, Vec<u8>)> =
        sqlx::query_as("SELECT perubahan, versi, data FROM kumuh_indeks_ubin WHERE lapisan = $1")
            .bind(lapisan)
            .fetch_optional(pool)
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

pub(super) async fn keep(pool: &PgPool, index: &StoredTileIndex, data: &[u8]) -> Result<()> {
    sqlx::query(
        "INSERT INTO kumuh_indeks_ubin (lapisan, perubahan, versi, data) VALUES ($1, $2, $3, $4)
         ON CONFLICT (lapisan) DO UPDATE SET perubahan = EXCLUDED.perubahan, versi = EXCLUDED.versi,
           data = EXCLUDED.data, dibuat = EXCLUDED.dibuat",
    )
    .bind(&index.lapisan)
    .bind(index.perubahan)
    .bind(&index.versi)
    .bind(data)
    .execute(pool)
    .await
    .ctx(format!("keeping the tile index of {}", index.lapisan))?;
    Ok(())
}
