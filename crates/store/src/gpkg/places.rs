//! Places (provinsi down to RT) in their feature tables: listing, search, and the
//! writes, which keep the R-tree, `gpkg_contents` and (for the audited writes) the audit
//! log in the same transaction.

use kumuh_domain::search::{search_key, search_keys};
use kumuh_domain::{Kode, Level, Place, PlaceSummary};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{AssertSqlSafe, Row, SqliteConnection};

use super::rows::{SUMMARY_COLUMNS, encode_multipolygon, place_from_row, summary_from_row};
use super::works::append_audit_lines;
use super::{GpkgStore, exists, touch_contents};
use crate::error::{DbContext, Result, StoreError};
use crate::{NewAudit, PLACE_AUDIT_ENTITAS, PlaceQuery, UpsertReport};

pub(super) async fn list_places(
    store: &GpkgStore,
    query: &PlaceQuery,
) -> Result<Vec<PlaceSummary>> {
    let t = query.level.as_str();
    let rows = place_rows(&store.pool, query, SUMMARY_COLUMNS).await?;
    rows.iter().map(|r| summary_from_row(t, r)).collect()
}

pub(super) async fn places(store: &GpkgStore, query: &PlaceQuery) -> Result<Vec<Place>> {
    let t = query.level.as_str();
    let rows = place_rows(&store.pool, query, "*").await?;
    rows.iter().map(|r| place_from_row(t, r)).collect()
}

pub(super) async fn place(store: &GpkgStore, kode: &Kode) -> Result<Option<Place>> {
    let t = kode.level().as_str();
    let row = sqlx::query(AssertSqlSafe(format!("SELECT * FROM {t} WHERE kode = ?")))
        .bind(kode.as_str())
        .fetch_optional(&store.pool)
        .await
        .ctx(format!("reading {kode} from {t}"))?;
    row.map(|r| place_from_row(t, &r)).transpose()
}

pub(super) async fn search_places(
    store: &GpkgStore,
    text: &str,
    limit: u32,
) -> Result<Vec<PlaceSummary>> {
    let key = search_key(text);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let mut hits = Vec::new();
    for level in Level::ALL {
        let t = level.as_str();
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS}, kunci_cari FROM {t} WHERE kunci_cari LIKE ?"
        )))
        .bind(format!("%{key}%"))
        .fetch_all(&store.pool)
        .await
        .ctx(format!("searching {t}"))?;
        for row in &rows {
            let keys: String = row.get("kunci_cari");
            let rank = if keys.contains(&format!("|{key}|")) {
                0
            } else if keys.contains(&format!("|{key}")) {
                1
            } else {
                2
            };
            hits.push((rank, summary_from_row(t, row)?));
        }
    }
    hits.sort_by(|(ra, a), (rb, b)| {
        ra.cmp(rb)
            .then(a.level.cmp(&b.level))
            .then(a.nama.cmp(&b.nama))
    });
    Ok(hits
        .into_iter()
        .take(limit as usize)
        .map(|(_, s)| s)
        .collect())
}

pub(super) async fn upsert_places(store: &GpkgStore, places: &[Place]) -> Result<UpsertReport> {
    let mut tx = store.begin_write("writing places").await?;
    let report = write_places(&mut tx, places).await?;
    tx.commit().await.ctx("committing places")?;
    Ok(report)
}

/// Writes one place and its audit line in one transaction.
pub(super) async fn save_place(
    store: &GpkgStore,
    place: &Place,
    pengguna: &str,
) -> Result<UpsertReport> {
    let mut tx = store
        .begin_write(&format!("writing place {}", place.kode))
        .await?;
    let before = audit_view(&mut tx, &place.kode).await?;
    let report = write_places(&mut tx, std::slice::from_ref(place)).await?;
    let line = NewAudit {
        pengguna: pengguna.to_owned(),
        entitas: PLACE_AUDIT_ENTITAS.into(),
        kunci: place.kode.to_string(),
        aksi: if before.is_some() { "ubah" } else { "buat" }.into(),
        sebelum: before,
        sesudah: audit_view(&mut tx, &place.kode).await?,
    };
    append_audit_lines(&mut tx, std::slice::from_ref(&line), None).await?;
    tx.commit()
        .await
        .ctx(format!("committing place {}", place.kode))?;
    Ok(report)
}

/// Inserts or replaces places by code inside the caller's transaction.
pub(super) async fn write_places(
    conn: &mut SqliteConnection,
    places: &[Place],
) -> Result<UpsertReport> {
    let mut report = UpsertReport::default();
    let mut touched = std::collections::BTreeSet::new();
    for p in places {
        let t = p.level().as_str();
        touched.insert(t);
        let existing = exists(conn, t, p.kode.as_str()).await?;
        let geom = p.geometry.as_ref().map(encode_multipolygon).transpose()?;
        let keys: Vec<String> = search_keys(&p.nama, &p.nama_alt).collect();
        // Plain INSERT or UPDATE, never an upsert: an ON CONFLICT clause on the outer
        // statement would override the R-tree triggers' INSERT OR REPLACE.
        let sql = if existing {
            report.updated += 1;
            format!(
                "UPDATE {t} SET geom = ?1, kode_induk = ?3, kode_bps = ?4, nama = ?5,
                   nama_alt = ?6, luas_ha = ?7, kunci_cari = ?8, atribut = ?9
                 WHERE kode = ?2"
            )
        } else {
            report.inserted += 1;
            format!(
                "INSERT INTO {t} (geom, kode, kode_induk, kode_bps, nama, nama_alt, luas_ha, kunci_cari, atribut)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            )
        };
        sqlx::query(AssertSqlSafe(sql))
            .bind(geom)
            .bind(p.kode.as_str())
            .bind(p.kode.parent().map(String::from))
            .bind(&p.kode_bps)
            .bind(&p.nama)
            .bind(serde_json::Value::from(p.nama_alt.clone()).to_string())
            .bind(p.area_ha())
            .bind(format!("|{}|", keys.join("|")))
            .bind(serde_json::Value::Object(p.attributes.clone()).to_string())
            .execute(&mut *conn)
            .await
            .ctx(format!("writing {} to {t}", p.kode))?;
    }
    for t in touched {
        touch_contents(conn, t).await?;
    }
    Ok(report)
}

pub(super) async fn delete_place(store: &GpkgStore, kode: &Kode) -> Result<bool> {
    let mut tx = store.begin_write(&format!("deleting place {kode}")).await?;
    let deleted = remove(&mut tx, kode).await?;
    tx.commit().await.ctx("committing the delete")?;
    Ok(deleted)
}

/// Deletes a place and writes its audit line in one transaction.
pub(super) async fn delete_place_as(
    store: &GpkgStore,
    kode: &Kode,
    pengguna: &str,
) -> Result<bool> {
    let mut tx = store.begin_write(&format!("deleting place {kode}")).await?;
    let Some(before) = audit_view(&mut tx, kode).await? else {
        return Ok(false);
    };
    remove(&mut tx, kode).await?;
    let line = NewAudit {
        pengguna: pengguna.to_owned(),
        entitas: PLACE_AUDIT_ENTITAS.into(),
        kunci: kode.to_string(),
        aksi: "hapus".into(),
        sebelum: Some(before),
        sesudah: None,
    };
    append_audit_lines(&mut tx, std::slice::from_ref(&line), None).await?;
    tx.commit()
        .await
        .ctx(format!("committing the delete of {kode}"))?;
    Ok(true)
}

/// Deletes a place inside the caller's transaction, refusing while places of the level
/// below name it as their parent: they would be left orphaned.
async fn remove(conn: &mut SqliteConnection, kode: &Kode) -> Result<bool> {
    let level = kode.level();
    if let Some(child) = Level::ALL.into_iter().find(|l| l.parent() == Some(level)) {
        let c = child.as_str();
        let children: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT count(*) FROM {c} WHERE kode_induk = ?"
        )))
        .bind(kode.as_str())
        .fetch_one(&mut *conn)
        .await
        .ctx(format!("counting the places below {kode}"))?;
        if children > 0 {
            return Err(StoreError::HasChildren {
                kode: kode.clone(),
                children: children.unsigned_abs(),
            });
        }
    }
    let t = level.as_str();
    let n = sqlx::query(AssertSqlSafe(format!("DELETE FROM {t} WHERE kode = ?")))
        .bind(kode.as_str())
        .execute(&mut *conn)
        .await
        .ctx(format!("deleting {kode}"))?
        .rows_affected();
    touch_contents(conn, t).await?;
    Ok(n > 0)
}

/// What the audit log keeps of a place: its names, codes and area, not its boundary
/// (a boundary can run to megabytes, and the map layer holds the current one).
async fn audit_view(conn: &mut SqliteConnection, kode: &Kode) -> Result<Option<serde_json::Value>> {
    let t = kode.level().as_str();
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {SUMMARY_COLUMNS} FROM {t} WHERE kode = ?"
    )))
    .bind(kode.as_str())
    .fetch_optional(&mut *conn)
    .await
    .ctx(format!("reading {kode} from {t}"))?;
    row.map(|r| {
        let s = summary_from_row(t, &r)?;
        Ok(serde_json::json!({
            "kode": s.kode.as_str(),
            "kode_bps": s.kode_bps,
            "nama": s.nama,
            "nama_alt": s.nama_alt,
            "luas_ha": s.area_ha,
        }))
    })
    .transpose()
}

async fn place_rows(
    pool: &SqlitePool,
    query: &PlaceQuery,
    columns: &str,
) -> Result<Vec<SqliteRow>> {
    let t = query.level.as_str();
    let bbox = query
        .bbox
        .unwrap_or([f64::MIN, f64::MIN, f64::MAX, f64::MAX]);
    let (join, filter) = if query.bbox.is_some() {
        (
            format!("JOIN rtree_{t}_geom r ON r.id = t.fid"),
            "AND r.maxx >= ?2 AND r.minx <= ?4 AND r.maxy >= ?3 AND r.miny <= ?5",
        )
    } else {
        (
            String::new(),
            "AND ?2 IS NOT NULL AND ?3 IS NOT NULL AND ?4 IS NOT NULL AND ?5 IS NOT NULL",
        )
    };
    let cols = columns
        .split(", ")
        .map(|c| format!("t.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {cols} FROM {t} t {join}
         WHERE (?1 IS NULL OR t.kode_induk = ?1) {filter}
         ORDER BY t.kode"
    )))
    .bind(query.parent.as_ref().map(Kode::as_str))
    .bind(bbox[0])
    .bind(bbox[1])
    .bind(bbox[2])
    .bind(bbox[3])
    .fetch_all(pool)
    .await
    .ctx(format!("listing {t}"))
}
