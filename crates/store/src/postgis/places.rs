//! Places (provinsi down to RT) in PostGIS: listing (bounding boxes through the GiST
//! index), search, and the writes, audited ones with their audit line in the same
//! transaction.

use geo_types::Geometry;
use kumuh_domain::search::search_key;
use kumuh_domain::{Kode, Level, Place, PlaceSummary};
use sqlx::postgres::{PgPool, PgRow};
use sqlx::{AssertSqlSafe, PgConnection, Row};

use super::PgStore;
use super::records::append_audit_lines;
use super::rows::{PLACE_COLUMNS, SUMMARY_COLUMNS, place_from_row, summary_from_row, wkb};
use crate::error::{DbContext, Result, StoreError};
use crate::place_row::{PlaceRow, bind_place};
use crate::{NewAudit, PLACE_AUDIT_ENTITAS, PlaceQuery, UpsertReport};

pub(super) async fn list_places(store: &PgStore, query: &PlaceQuery) -> Result<Vec<PlaceSummary>> {
    let t = query.level.as_str();
    place_rows(&store.pool, query, SUMMARY_COLUMNS, |r| {
        summary_from_row(t, r)
    })
    .await
}

pub(super) async fn places(store: &PgStore, query: &PlaceQuery) -> Result<Vec<Place>> {
    let t = query.level.as_str();
    place_rows(&store.pool, query, PLACE_COLUMNS, |r| place_from_row(t, r)).await
}

pub(super) async fn place_boxes(
    store: &PgStore,
    level: Level,
) -> Result<Vec<(Kode, Option<[f64; 4]>)>> {
    let t = level.as_str();
    let rows: Vec<crate::BoxRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT kode, ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)
             FROM {t} ORDER BY kode"
    )))
    .fetch_all(&store.pool)
    .await
    .ctx(format!("reading the boxes of {t}"))?;
    crate::boxes_of(t, rows)
}

pub(super) async fn place(store: &PgStore, kode: &Kode) -> Result<Option<Place>> {
    let t = kode.level().as_str();
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PLACE_COLUMNS} FROM {t} WHERE kode = $1"
    )))
    .bind(kode.as_str())
    .fetch_optional(&store.pool)
    .await
    .ctx(format!("reading {kode} from {t}"))?;
    row.map(|r| place_from_row(t, &r)).transpose()
}

pub(super) async fn search_places(
    store: &PgStore,
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
        // strpos, not LIKE: the key is matched as it is, whatever it holds.
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS}, kunci_cari FROM {t} WHERE strpos(kunci_cari, $1) > 0"
        )))
        .bind(&key)
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

pub(super) async fn upsert_places(store: &PgStore, places: &[Place]) -> Result<UpsertReport> {
    let mut tx = store.begin_write("writing places").await?;
    let report = write_places(&mut tx, places).await?;
    tx.commit().await.ctx("committing places")?;
    Ok(report)
}

pub(super) async fn save_place(
    store: &PgStore,
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

/// Inserts or replaces places by code inside the caller's transaction: a chunk at a time,
/// its rows made on every core, its codes looked up in one statement, its new places
/// inserted in one statement (arrays unnested) and the known ones updated in order.
pub(super) async fn write_places(
    conn: &mut PgConnection,
    places: &[Place],
) -> Result<UpsertReport> {
    let mut report = UpsertReport::default();
    // Codes written earlier in this write: a code met again is replaced.
    let mut known: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    for chunk in places.chunks(WRITE_CHUNK) {
        let rows: Vec<PlaceRow<'_>> = kumuh_domain::paralel::map(chunk.len(), 128, |i| {
            PlaceRow::new(&chunk[i], |g| {
                wkb(&Geometry::MultiPolygon(g.clone()), &chunk[i].kode)
            })
        })
        .into_iter()
        .collect::<Result<_>>()?;
        for group in rows.chunk_by(|a, b| a.table == b.table) {
            let t = group[0].table;
            let codes: Vec<&str> = group.iter().map(|r| r.kode).collect();
            let stored: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT kode FROM {t} WHERE kode = ANY($1)"
            )))
            .bind(&codes)
            .fetch_all(&mut *conn)
            .await
            .ctx(format!("looking up {} codes in {t}", codes.len()))?;
            for kode in &stored {
                if let Some(r) = group.iter().find(|r| r.kode == kode) {
                    known.insert((t, r.kode));
                }
            }
            let mut new = Vec::new();
            let mut replaced = Vec::new();
            for r in group {
                if known.insert((t, r.kode)) {
                    new.push(r);
                    report.inserted += 1;
                } else {
                    replaced.push(r);
                    report.updated += 1;
                }
            }
            insert_rows(conn, t, &new).await?;
            for r in replaced {
                update_row(conn, r).await?;
            }
        }
    }
    Ok(report)
}

/// Places per chunk of a bulk write.
const WRITE_CHUNK: usize = 1_000;

/// New places of one table in one statement, their columns bound as arrays.
async fn insert_rows(conn: &mut PgConnection, t: &str, rows: &[&PlaceRow<'_>]) -> Result<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO {t} (geom, kode, kode_induk, kode_bps, nama, nama_alt, luas_ha, kunci_cari, atribut)
         SELECT ST_Multi(ST_GeomFromWKB(g, 4326)), k, ki, kb, n, na, l, kc, a
         FROM UNNEST($1::bytea[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::float8[], $8::text[], $9::text[]) AS u(g, k, ki, kb, n, na, l, kc, a)"
    )))
    .bind(rows.iter().map(|r| r.geom.as_deref()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.kode).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.kode_induk.as_deref()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.kode_bps).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.nama).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.nama_alt.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.luas_ha).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.kunci_cari.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.atribut.as_str()).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .ctx(if rows.len() == 1 {
        format!("writing {} to {t}", first.kode)
    } else {
        format!("writing {} places from {} on to {t}", rows.len(), first.kode)
    })?;
    Ok(())
}

async fn update_row(conn: &mut PgConnection, r: &PlaceRow<'_>) -> Result<()> {
    let t = r.table;
    let q = sqlx::query(AssertSqlSafe(format!(
        "UPDATE {t} SET geom = ST_Multi(ST_GeomFromWKB($1, 4326)), kode_induk = $3,
           kode_bps = $4, nama = $5, nama_alt = $6, luas_ha = $7, kunci_cari = $8,
           atribut = $9
         WHERE kode = $2"
    )));
    bind_place!(q, r)
        .execute(&mut *conn)
        .await
        .ctx(format!("writing {} to {t}", r.kode))?;
    Ok(())
}

pub(super) async fn delete_place(store: &PgStore, kode: &Kode) -> Result<bool> {
    let mut tx = store.begin_write(&format!("deleting place {kode}")).await?;
    let deleted = remove(&mut tx, kode).await?;
    tx.commit().await.ctx("committing the delete")?;
    Ok(deleted)
}

pub(super) async fn delete_place_as(store: &PgStore, kode: &Kode, pengguna: &str) -> Result<bool> {
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
async fn remove(conn: &mut PgConnection, kode: &Kode) -> Result<bool> {
    let level = kode.level();
    if let Some(child) = Level::ALL.into_iter().find(|l| l.parent() == Some(level)) {
        let c = child.as_str();
        let children: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT count(*) FROM {c} WHERE kode_induk = $1"
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
    let n = sqlx::query(AssertSqlSafe(format!("DELETE FROM {t} WHERE kode = $1")))
        .bind(kode.as_str())
        .execute(&mut *conn)
        .await
        .ctx(format!("deleting {kode}"))?
        .rows_affected();
    Ok(n > 0)
}

/// What the audit log keeps of a place: its names, codes and area, not its boundary.
async fn audit_view(conn: &mut PgConnection, kode: &Kode) -> Result<Option<serde_json::Value>> {
    let t = kode.level().as_str();
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {SUMMARY_COLUMNS} FROM {t} WHERE kode = $1"
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

/// The places a query finds, each row made into a `T` as it is read (as in the
/// GeoPackage).
async fn place_rows<T>(
    pool: &PgPool,
    query: &PlaceQuery,
    columns: &str,
    make: impl Fn(&PgRow) -> Result<T>,
) -> Result<Vec<T>> {
    let t = query.level.as_str();
    let bbox = query.bbox.unwrap_or([0.0; 4]);
    // The GeoPackage's R-tree holds no row without a geometry, so a bounding box never
    // finds one here either.
    let filter = if query.bbox.is_some() {
        "AND geom && ST_MakeEnvelope($2, $3, $4, $5, 4326) AND NOT ST_IsEmpty(geom)"
    } else {
        "AND $2::float8 IS NOT NULL AND $3::float8 IS NOT NULL AND $4::float8 IS NOT NULL AND $5::float8 IS NOT NULL"
    };
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {columns} FROM {t}
         WHERE ($1::text IS NULL OR kode_induk = $1) {filter}
         ORDER BY kode"
    )))
    .bind(query.parent.as_ref().map(Kode::as_str))
    .bind(bbox[0])
    .bind(bbox[1])
    .bind(bbox[2])
    .bind(bbox[3])
    .fetch(pool);
    crate::decoded(rows, make, || format!("listing {t}")).await
}
