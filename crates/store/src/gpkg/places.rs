//! Places (provinsi down to RT) in their feature tables: listing, search, and the
//! writes, which keep the R-tree, `gpkg_contents` and (for the audited writes) the audit
//! log in the same transaction.

use std::collections::HashMap;

use kumuh_domain::search::search_key;
use kumuh_domain::{Kode, Level, Place, PlaceSummary};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{AssertSqlSafe, Row, SqliteConnection};

use super::rows::{
    PLACE_COLUMNS, SUMMARY_COLUMNS, encode_multipolygon, place_from_row, summary_from_row,
};
use super::rtree::Written;
use super::works::append_audit_lines;
use super::{GpkgStore, touch_contents};
use crate::error::{DbContext, Result, StoreError};
use crate::place_row::{PlaceRow, bind_place};
use crate::{NewAudit, PLACE_AUDIT_ENTITAS, PlaceQuery, UpsertReport};

pub(super) async fn list_places(
    store: &GpkgStore,
    query: &PlaceQuery,
) -> Result<Vec<PlaceSummary>> {
    let t = query.level.as_str();
    place_rows(&store.pool, query, SUMMARY_COLUMNS, |r| {
        summary_from_row(t, r)
    })
    .await
}

pub(super) async fn places(store: &GpkgStore, query: &PlaceQuery) -> Result<Vec<Place>> {
    let t = query.level.as_str();
    if query.bbox.is_none() && query.parent.is_none() {
        // A whole level: straight from SQLite, off the async workers (see `bulk`). A
        // parent's children or a box go through the pool: opening a connection of its
        // own costs about 1.5 ms, more than such a read.
        let path = store.path.clone();
        let read = tokio::task::spawn_blocking(move || super::bulk::read_level(&path, t)).await;
        if let Ok(read) = read
            && let Some(places) = read?
        {
            return Ok(places);
        }
    }
    place_rows(&store.pool, query, PLACE_COLUMNS, |r| place_from_row(t, r)).await
}

pub(super) async fn place_boxes(
    store: &GpkgStore,
    level: Level,
) -> Result<Vec<(Kode, Option<[f64; 4]>)>> {
    let t = level.as_str();
    let rows: Vec<crate::BoxRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT t.kode, r.minx, r.miny, r.maxx, r.maxy FROM {t} t
             LEFT JOIN rtree_{t}_geom r ON r.id = t.fid ORDER BY t.kode"
    )))
    .fetch_all(&store.pool)
    .await
    .ctx(format!("reading the boxes of {t}"))?;
    crate::boxes_of(t, rows)
}

pub(super) async fn place(store: &GpkgStore, kode: &Kode) -> Result<Option<Place>> {
    let t = kode.level().as_str();
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PLACE_COLUMNS} FROM {t} WHERE kode = ?"
    )))
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
///
/// Places go a chunk of [`WRITE_CHUNK`] at a time: which codes are there already is asked
/// per chunk, the new ones are written in one statement, and while SQLite (on its own
/// thread) writes a chunk, this task measures and encodes the next one, so that the
/// arithmetic of a large file hides behind the database's work.
pub(super) async fn write_places(
    conn: &mut SqliteConnection,
    places: &[Place],
) -> Result<UpsertReport> {
    Ok(write_places_noting(conn, places, false).await?.0)
}

/// [`write_places`], and with `note` each row written and its box by table, for an
/// index rebuilt after the write (see `rtree`); `None` when the ids cannot be vouched
/// for (the index is then rebuilt from the table).
pub(super) async fn write_places_noting(
    conn: &mut SqliteConnection,
    places: &[Place],
    note: bool,
) -> Result<(UpsertReport, Option<HashMap<&'static str, Written>>)> {
    let mut report = UpsertReport::default();
    let mut touched = std::collections::BTreeSet::new();
    let mut known: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    let mut noted: Vec<Noted<'_>> = Vec::new();
    let mut chunks = places.chunks(WRITE_CHUNK);
    let mut next = chunks.next().map(rows_of).transpose()?;
    while let Some(rows) = next.take() {
        for group in rows.chunk_by(|a, b| a.table == b.table) {
            let t = group[0].table;
            touched.insert(t);
            for kode in existing(conn, t, group).await? {
                if let Some(r) = group.iter().find(|r| r.kode == kode) {
                    known.insert((t, r.kode));
                }
            }
        }
        let following = chunks.next();
        // The write is polled first, so its statement is on SQLite's thread before the
        // next chunk is computed here.
        let (result, computed) = tokio::join!(
            write_rows(conn, &rows, &mut known, &mut report, note),
            async { following.map(rows_of).transpose() },
        );
        noted.extend(result?);
        next = computed?;
    }
    for t in touched {
        touch_contents(conn, t).await?;
    }
    if !note {
        return Ok((report, None));
    }
    let mut written: HashMap<&'static str, Written> = HashMap::new();
    let mut ends: HashMap<&'static str, Vec<(i64, &str)>> = HashMap::new();
    for (i, n) in noted.iter().enumerate() {
        let follows = |a: Option<&Noted<'_>>, b: Option<&Noted<'_>>| matches!((a, b), (Some(a), Some(b)) if a.table == b.table && a.fid + 1 == b.fid);
        let run_start = !follows(i.checked_sub(1).and_then(|j| noted.get(j)), Some(n));
        let run_end = !follows(Some(n), noted.get(i + 1));
        if run_start || run_end {
            ends.entry(n.table).or_default().push((n.fid, n.kode));
        }
        written.entry(n.table).or_default().push((n.fid, n.bbox));
    }
    for (t, pairs) in &ends {
        if !ids_hold(conn, t, pairs).await? {
            tracing::warn!(
                table = t,
                "written ids not as expected; the index is read from the table"
            );
            return Ok((report, None));
        }
    }
    Ok((report, Some(written)))
}

/// A row written: its table, id, code and box.
struct Noted<'a> {
    table: &'static str,
    fid: i64,
    kode: &'a str,
    bbox: Option<[f64; 4]>,
}

/// One chunk's rows: new codes inserted together, known ones updated in place. With
/// `note`, the rows written come back.
async fn write_rows<'a>(
    conn: &mut SqliteConnection,
    rows: &[PlaceRow<'a>],
    known: &mut std::collections::HashSet<(&'static str, &'a str)>,
    report: &mut UpsertReport,
    note: bool,
) -> Result<Vec<Noted<'a>>> {
    let mut noted = Vec::new();
    for group in rows.chunk_by(|a, b| a.table == b.table) {
        let t = group[0].table;
        let mut pending: Vec<&PlaceRow<'a>> = Vec::with_capacity(group.len());
        for r in group {
            if known.contains(&(t, r.kode)) {
                noted.extend(insert_rows(conn, t, &pending, note).await?);
                pending.clear();
                noted.extend(update_row(conn, r, note).await?);
                report.updated += 1;
            } else {
                known.insert((t, r.kode));
                pending.push(r);
                report.inserted += 1;
            }
        }
        noted.extend(insert_rows(conn, t, &pending, note).await?);
    }
    Ok(noted)
}

/// Places per statement of a bulk write (9 parameters each, far below SQLite's limit).
const WRITE_CHUNK: usize = 100;

/// The codes of `rows` that `table` holds already.
async fn existing(
    conn: &mut SqliteConnection,
    table: &str,
    rows: &[PlaceRow<'_>],
) -> Result<Vec<String>> {
    let marks = vec!["?"; rows.len()].join(",");
    let sql = format!("SELECT kode FROM {table} WHERE kode IN ({marks})");
    let mut q = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql));
    for r in rows {
        q = q.bind(r.kode);
    }
    q.fetch_all(&mut *conn)
        .await
        .ctx(format!("looking up {} codes in {table}", rows.len()))
}

/// New places in one statement. Plain INSERT, never an upsert: an ON CONFLICT clause on
/// the outer statement would override the R-tree triggers' INSERT OR REPLACE.
async fn insert_rows<'a>(
    conn: &mut SqliteConnection,
    table: &'static str,
    rows: &[&PlaceRow<'a>],
    note: bool,
) -> Result<Vec<Noted<'a>>> {
    let Some(first) = rows.first() else {
        return Ok(Vec::new());
    };
    let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?)"; rows.len()].join(", ");
    let sql = format!(
        "INSERT INTO {table} (geom, kode, kode_induk, kode_bps, nama, nama_alt, luas_ha, kunci_cari, atribut)
         VALUES {values}"
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for r in rows {
        q = bind_place!(q, r);
    }
    let done = q.execute(&mut *conn).await.ctx(if rows.len() == 1 {
        format!("writing {} to {table}", first.kode)
    } else {
        format!(
            "writing {} places from {} on to {table}",
            rows.len(),
            first.kode
        )
    })?;
    if !note {
        return Ok(Vec::new());
    }
    // The rows of one INSERT take ids one after another in their order (`fid` is
    // AUTOINCREMENT and nothing else writes the table meanwhile), the last being the
    // statement's last id; `ids_hold` checks it before the ids are used.
    let n = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    let start = done.last_insert_rowid() - n + 1;
    Ok(rows
        .iter()
        .zip(start..)
        .map(|(r, fid)| Noted {
            table,
            fid,
            kode: r.kode,
            bbox: r.bbox,
        })
        .collect())
}

/// Whether the rows noted as written hold the codes they were written with: the first
/// and last of every run of consecutive ids are looked up in one statement per 400.
async fn ids_hold(conn: &mut SqliteConnection, table: &str, pairs: &[(i64, &str)]) -> Result<bool> {
    for chunk in pairs.chunks(400) {
        let values = vec!["(?, ?)"; chunk.len()].join(", ");
        let mut q = sqlx::query_scalar::<_, i64>(AssertSqlSafe(format!(
            "SELECT count(*) FROM (VALUES {values}) AS v JOIN {table} t
               ON t.fid = v.column1 AND t.kode = v.column2"
        )));
        for (fid, kode) in chunk {
            q = q.bind(fid).bind(*kode);
        }
        let found = q
            .fetch_one(&mut *conn)
            .await
            .ctx(format!("checking the ids written to {table}"))?;
        if usize::try_from(found).ok() != Some(chunk.len()) {
            return Ok(false);
        }
    }
    Ok(true)
}

async fn update_row<'a>(
    conn: &mut SqliteConnection,
    r: &PlaceRow<'a>,
    note: bool,
) -> Result<Option<Noted<'a>>> {
    let t = r.table;
    let returning = if note { " RETURNING fid" } else { "" };
    let q = sqlx::query_scalar::<_, i64>(AssertSqlSafe(format!(
        "UPDATE {t} SET geom = ?1, kode_induk = ?3, kode_bps = ?4, nama = ?5,
           nama_alt = ?6, luas_ha = ?7, kunci_cari = ?8, atribut = ?9
         WHERE kode = ?2{returning}"
    )));
    let fid = bind_place!(q, r)
        .fetch_optional(&mut *conn)
        .await
        .ctx(format!("writing {} to {t}", r.kode))?;
    Ok(fid.map(|fid| Noted {
        table: t,
        fid,
        kode: r.kode,
        bbox: r.bbox,
    }))
}

/// Places as their tables' rows: each area measured and geometry encoded.
fn rows_of(places: &[Place]) -> Result<Vec<PlaceRow<'_>>> {
    places
        .iter()
        .map(|p| PlaceRow::new(p, encode_multipolygon))
        .collect()
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

/// The places a query finds, each row made into a `T` as it is read: a level of three
/// quarters of a million RT is never held as rows and as places at once.
async fn place_rows<T>(
    pool: &SqlitePool,
    query: &PlaceQuery,
    columns: &str,
    make: impl Fn(&SqliteRow) -> Result<T>,
) -> Result<Vec<T>> {
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
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {cols} FROM {t} t {join}
         WHERE (?1 IS NULL OR t.kode_induk = ?1) {filter}
         ORDER BY t.kode"
    )))
    .bind(query.parent.as_ref().map(Kode::as_str))
    .bind(bbox[0])
    .bind(bbox[1])
    .bind(bbox[2])
    .bind(bbox[3])
    .fetch(pool);
    crate::decoded(rows, make, || format!("listing {t}")).await
}
