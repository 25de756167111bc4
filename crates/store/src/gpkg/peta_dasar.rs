//! Basemaps in the GeoPackage: the attributes tables `peta_dasar` (the register) and
//! `peta_dasar_ubin` (the tiles of kept basemaps, as blobs).

use sqlx::{AssertSqlSafe, SqlitePool};

use super::works::append_audit_lines;
use crate::error::{DbContext, Result};
use crate::peta_dasar::{
    COLUMNS, INSERT, KOTAK, MEASURE, PetaDasarRow, UBIN_PER_STATEMENT, insert_ubin, ubin_of,
};
use crate::{NewAudit, PetaDasar, PetaDasarBaru, SumberUbin, Ubin};

pub(super) async fn save(
    pool: &SqlitePool,
    p: &PetaDasarBaru<'_>,
    ubin: &mut dyn SumberUbin,
) -> Result<PetaDasar> {
    let what = format!("basemap {}", p.nama);
    let mut tx = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .ctx(format!("starting a transaction for {what}"))?;
    sqlx::query("DELETE FROM peta_dasar WHERE nama = ?")
        .bind(p.nama)
        .execute(&mut *tx)
        .await
        .ctx(format!("replacing {what}"))?;
    sqlx::query(INSERT)
        .bind(p.nama)
        .bind(p.judul)
        .bind(p.jenis.as_str())
        .bind(p.sumber)
        .bind(p.format)
        .bind(p.atribusi)
        .bind(i64::from(p.minzoom))
        .bind(i64::from(p.maxzoom))
        .bind(p.batas.map(|b| b[0]))
        .bind(p.batas.map(|b| b[1]))
        .bind(p.batas.map(|b| b[2]))
        .bind(p.batas.map(|b| b[3]))
        .execute(&mut *tx)
        .await
        .ctx(format!("registering {what}"))?;
    while let Some(batch) = ubin.berikut().await? {
        for chunk in batch.chunks(UBIN_PER_STATEMENT) {
            let sql = insert_ubin(chunk.len());
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for u in chunk {
                q = q
                    .bind(p.nama)
                    .bind(i64::from(u.z))
                    .bind(i64::from(u.x))
                    .bind(i64::from(u.y))
                    .bind(&u.data[..]);
            }
            q.execute(&mut *tx)
                .await
                .ctx(format!("writing the tiles of {what}"))?;
        }
    }
    let mut measure = sqlx::query(MEASURE);
    for _ in 0..5 {
        measure = measure.bind(p.nama);
    }
    measure
        .execute(&mut *tx)
        .await
        .ctx(format!("measuring {what}"))?;
    append_audit_lines(&mut tx, std::slice::from_ref(&p.audit), None).await?;
    let row: PetaDasarRow = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM peta_dasar WHERE nama = ?"
    )))
    .bind(p.nama)
    .fetch_one(&mut *tx)
    .await
    .ctx(format!("reading {what} back"))?;
    tx.commit().await.ctx(format!("committing {what}"))?;
    row.typed()
}

pub(super) async fn list(pool: &SqlitePool) -> Result<Vec<PetaDasar>> {
    let rows: Vec<PetaDasarRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM peta_dasar ORDER BY judul, nama"
    )))
    .fetch_all(pool)
    .await
    .ctx("reading the basemaps")?;
    rows.into_iter().map(PetaDasarRow::typed).collect()
}

pub(super) async fn tile(
    pool: &SqlitePool,
    nama: &str,
    z: u8,
    x: u32,
    y: u32,
) -> Result<Option<Vec<u8>>> {
    sqlx::query_scalar(
        "SELECT data FROM peta_dasar_ubin WHERE nama = ? AND z = ? AND x = ? AND y = ?",
    )
    .bind(nama)
    .bind(i64::from(z))
    .bind(i64::from(x))
    .bind(i64::from(y))
    .fetch_optional(pool)
    .await
    .ctx(format!("reading tile {z}/{x}/{y} of basemap {nama}"))
}

pub(super) async fn delete(pool: &SqlitePool, nama: &str, audit: &NewAudit) -> Result<bool> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.ctx(format!(
        "starting a transaction for removing basemap {nama}"
    ))?;
    // The tiles go by foreign key (ON DELETE CASCADE).
    let done = sqlx::query("DELETE FROM peta_dasar WHERE nama = ?")
        .bind(nama)
        .execute(&mut *tx)
        .await
        .ctx(format!("removing basemap {nama}"))?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    append_audit_lines(&mut tx, std::slice::from_ref(audit), None).await?;
    tx.commit()
        .await
        .ctx(format!("committing the removal of basemap {nama}"))?;
    Ok(true)
}

pub(super) async fn kotak(
    pool: &SqlitePool,
    nama: &str,
    z: u8,
    x: (u32, u32),
    y: (u32, u32),
) -> Result<Vec<Ubin>> {
    let rows: Vec<(i64, i64, i64, Vec<u8>)> = sqlx::query_as(KOTAK)
        .bind(nama)
        .bind(i64::from(z))
        .bind(i64::from(x.0))
        .bind(i64::from(x.1))
        .bind(i64::from(y.0))
        .bind(i64::from(y.1))
        .fetch_all(pool)
        .await
        .ctx(format!("reading the tiles of basemap {nama} at zoom {z}"))?;
    Ok(ubin_of(rows))
}
