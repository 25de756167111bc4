//! Siteplans in the GeoPackage: the `siteplan` table (each siteplan whole with every
//! version, as checked JSON, and a revision number) and the derived `siteplan_fitur`
//! layer holding the current version's features for GIS users.

use kumuh_domain::Kode;
use kumuh_domain::siteplan::Siteplan;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};

use super::works::append_audit;
use super::{blob, json_field, touch_contents};
use crate::error::{DbContext, Result, StoreError};
use crate::{SiteplanWrite, StoredSiteplan};

pub(super) async fn list(pool: &SqlitePool, wilayah: Option<&Kode>) -> Result<Vec<StoredSiteplan>> {
    let rows = sqlx::query(
        "SELECT fid, revisi, data, diubah FROM siteplan
         WHERE (?1 IS NULL OR kode_desa = ?1 OR kode_desa LIKE ?1 || '.%')
         ORDER BY kode_desa, id",
    )
    .bind(wilayah.map(Kode::as_str))
    .fetch_all(pool)
    .await
    .ctx("reading siteplans")?;
    rows.iter().map(from_row).collect()
}

pub(super) async fn get(pool: &SqlitePool, id: &str) -> Result<Option<StoredSiteplan>> {
    let row = sqlx::query("SELECT fid, revisi, data, diubah FROM siteplan WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
        .ctx(format!("reading siteplan {id}"))?;
    row.as_ref().map(from_row).transpose()
}

fn from_row(row: &SqliteRow) -> Result<StoredSiteplan> {
    let fid: i64 = row.get("fid");
    Ok(StoredSiteplan {
        siteplan: json_field("siteplan", fid, "data", row.get("data"))?,
        revisi: row.get("revisi"),
        diubah: row.get("diubah"),
    })
}

pub(super) async fn save(pool: &SqlitePool, w: &SiteplanWrite<'_>) -> Result<i64> {
    let sp = w.siteplan;
    let id = sp.id().as_str();
    let what = format!("siteplan {id}");
    let data = serde_json::to_string(sp)
        .map_err(|e| StoreError::Invalid(format!("{what}: cannot be written: {e}")))?;
    let mut tx = pool.begin().await.ctx("starting a transaction")?;
    let revisi = match w.revisi {
        Some(expected) => {
            let done = sqlx::query(
                "UPDATE siteplan SET kode_desa = ?3, judul = ?4, status = ?5, contoh = ?6,
                   versi = ?7, data = ?8, revisi = revisi + 1,
                   diubah = strftime('%Y-%m-%dT%H:%M:%fZ','now')
                 WHERE id = ?1 AND revisi = ?2",
            )
            .bind(id)
            .bind(expected)
            .bind(sp.kode_desa().as_str())
            .bind(sp.judul())
            .bind(sp.status().as_str())
            .bind(sp.contoh())
            .bind(sp.current_versi())
            .bind(&data)
            .execute(&mut *tx)
            .await
            .ctx(format!("writing {what}"))?;
            if done.rows_affected() == 0 {
                let current: Option<i64> =
                    sqlx::query_scalar("SELECT revisi FROM siteplan WHERE id = ?")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await
                        .ctx(format!("reading the revision of {what}"))?;
                return Err(match current {
                    Some(current) => StoreError::Stale {
                        what,
                        expected,
                        current,
                    },
                    None => StoreError::NotFound(what),
                });
            }
            expected + 1
        }
        None => {
            let done = sqlx::query(
                "INSERT INTO siteplan (id, kode_desa, judul, status, contoh, versi, revisi, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7) ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(sp.kode_desa().as_str())
            .bind(sp.judul())
            .bind(sp.status().as_str())
            .bind(sp.contoh())
            .bind(sp.current_versi())
            .bind(&data)
            .execute(&mut *tx)
            .await
            .ctx(format!("writing {what}"))?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(format!(
                    "{what} already exists; save a new version of it instead, or choose another id"
                )));
            }
            1
        }
    };
    write_features(&mut tx, sp).await?;
    append_audit(&mut tx, &w.audit, revisi).await?;
    tx.commit().await.ctx(format!("committing {what}"))?;
    Ok(revisi)
}

/// Rewrites the siteplan's rows of the feature layer from its current version.
async fn write_features(conn: &mut SqliteConnection, sp: &Siteplan) -> Result<()> {
    let id = sp.id().as_str();
    sqlx::query("DELETE FROM siteplan_fitur WHERE siteplan_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await
        .ctx(format!("clearing the features of siteplan {id}"))?;
    let current = sp.current();
    for f in &current.fitur {
        let geom = blob::encode(&f.geometry)
            .map_err(|e| StoreError::Invalid(format!("siteplan {id} feature {}: {e}", f.id)))?;
        sqlx::query(
            "INSERT INTO siteplan_fitur (geom, siteplan_id, fitur_id, kode_desa, versi, kategori,
               label, catatan, contoh) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(geom)
        .bind(id)
        .bind(f.id.as_str())
        .bind(sp.kode_desa().as_str())
        .bind(current.versi)
        .bind(f.kategori.as_str())
        .bind(&f.label)
        .bind(&f.catatan)
        .bind(sp.contoh())
        .execute(&mut *conn)
        .await
        .ctx(format!("writing siteplan {id} feature {}", f.id))?;
    }
    touch_contents(conn, "siteplan_fitur").await
}
