//! Siteplans in the GeoPackage: the `siteplan` table (each siteplan whole with every
//! version, as checked JSON, and a revision number) and the derived `siteplan_fitur`
//! layer holding the current version's features for GIS users.

use kumuh_domain::Kode;
use kumuh_domain::siteplan::Siteplan;
use sqlx::{SqliteConnection, SqlitePool};

use super::versioned::Versioned;
use super::works::append_audit;
use super::{blob, touch_contents};
use crate::error::{DbContext, Result, StoreError};
use crate::{SiteplanWrite, StoredSiteplan};

/// Siteplans: the JSON in `data`, numbered by `revisi` (`versi` is the siteplan's own
/// current version, one of the columns copied out of it).
pub(crate) const SITEPLAN: Versioned<Siteplan, StoredSiteplan> = Versioned {
    table: "siteplan",
    key: "id",
    version: "revisi",
    json: "data",
    columns: &["kode_desa", "judul", "status", "contoh", "versi"],
    what: "siteplan",
    noun: "siteplan",
    version_noun: "revision",
    on_exists: "save a new version of it instead",
    stored: |siteplan, revisi, diubah| StoredSiteplan {
        siteplan,
        revisi,
        diubah,
    },
};

pub(super) async fn list(pool: &SqlitePool, wilayah: Option<&Kode>) -> Result<Vec<StoredSiteplan>> {
    SITEPLAN
        .list(
            pool,
            "WHERE (?1 IS NULL OR kode_desa = ?1 OR kode_desa LIKE ?1 || '.%')
             ORDER BY kode_desa, id",
            |q| q.bind(wilayah.map(Kode::as_str)),
        )
        .await
}

pub(super) async fn get(pool: &SqlitePool, id: &str) -> Result<Option<StoredSiteplan>> {
    SITEPLAN.get(pool, id).await
}

pub(super) async fn save(pool: &SqlitePool, w: &SiteplanWrite<'_>) -> Result<i64> {
    let mut tx = pool.begin().await.ctx("starting a transaction")?;
    let revisi = save_in(&mut tx, w).await?;
    tx.commit().await.ctx(format!(
        "committing {}",
        SITEPLAN.what(w.siteplan.id().as_str())
    ))?;
    Ok(revisi)
}

/// Writes a siteplan with its features and audit lines inside the caller's transaction;
/// answers the new revision.
pub(super) async fn save_in(tx: &mut SqliteConnection, w: &SiteplanWrite<'_>) -> Result<i64> {
    let sp = w.siteplan;
    let id = sp.id().as_str();
    let data = SITEPLAN.encode(id, sp)?;
    let revisi = SITEPLAN
        .write(&mut *tx, id, w.revisi, data, |q| {
            q.bind(sp.kode_desa().as_str())
                .bind(sp.judul())
                .bind(sp.status().as_str())
                .bind(sp.contoh())
                .bind(sp.current_versi())
        })
        .await?;
    write_features(&mut *tx, sp).await?;
    append_audit(&mut *tx, &w.audit, revisi).await?;
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

/// Writes siteplan `id` of `store` (every version, its current features as the
/// `siteplan_fitur` layer, and its desa) as a standalone GeoPackage at `path`, which must
/// not exist: the file QGIS opens. [`StoreError::NotFound`] if there is no such siteplan;
/// on any failure the half-written file is removed.
pub(crate) async fn export<S: crate::Store + ?Sized>(
    store: &S,
    id: &str,
    path: &std::path::Path,
) -> Result<()> {
    let stored = store
        .siteplan(id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("siteplan {id}")))?;
    let desa = store.place(stored.siteplan.kode_desa()).await?;
    if path.exists() {
        return Err(StoreError::Conflict(format!(
            "{} already exists; choose a new file",
            path.display()
        )));
    }
    let (out, _) = super::GpkgStore::open(path, super::OpenMode::CreateIfMissing).await?;
    let written = async {
        if let Some(d) = desa {
            crate::Store::upsert_places(&out, std::slice::from_ref(&d)).await?;
        }
        crate::Store::save_siteplan(
            &out,
            &SiteplanWrite {
                siteplan: &stored.siteplan,
                revisi: None,
                audit: vec![],
            },
        )
        .await
        .map(|_| ())
    }
    .await;
    out.close().await;
    if written.is_err() {
        let _ = super::remove_store_file(path).await;
    }
    written
}
