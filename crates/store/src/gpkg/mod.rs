//! The embedded store: one OGC GeoPackage 1.3 file written through sqlx (SQLite).
//!
//! The file opens in QGIS and GDAL as it is: every spatial table is a registered feature
//! layer in EPSG:4326 with an R-tree index, and every other table is registered as
//! `attributes`. Connections run in WAL mode; every write is one transaction.

pub mod blob;
mod functions;
mod schema;
mod siteplan;
pub(crate) use siteplan::export as export_siteplan;
mod versioned;
mod works;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use geo::{Geodesic, Length};
use geo_types::{Geometry, MultiLineString, MultiPolygon};
use kumuh_domain::jaringan::{JenisJaringan, Kondisi, Ruas};
use kumuh_domain::search::{search_key, search_keys};
use kumuh_domain::{Kode, Level, LokasiKumuh, Place, PlaceSummary, Role, SkKumuh, User};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Row, SqliteConnection};

use crate::error::{DbContext, Result, StoreError};
use crate::{
    AssessmentQuery, AssessmentRecord, AuditEntry, AuditQuery, ChangeBatch, Credentials,
    KegiatanQuery, KegiatanWrite, LayerChange, PlaceQuery, SiteplanWrite, Store, StoreInfo,
    StoredKegiatan, StoredSiteplan, UpsertReport,
};

/// Whether [`GpkgStore::open`] may create a missing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create and migrate a new GeoPackage when the path does not exist.
    CreateIfMissing,
    /// Fail with [`StoreError::Missing`] when the path does not exist.
    MustExist,
}

/// A Kumuh store in one GeoPackage file.
#[derive(Debug, Clone)]
pub struct GpkgStore {
    pool: SqlitePool,
    path: PathBuf,
}

/// What is at a store path before it is opened.
enum Found {
    Nothing,
    GeoPackage,
}

/// Reads the SQLite header of an existing file without opening it as a database, so
/// that a file which is not a GeoPackage is never modified (not even its journal mode).
fn inspect(path: &Path) -> Result<Found> {
    use std::io::Read;
    let io = |source| StoreError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(e) => return Err(io(e)),
    };
    if file.metadata().map_err(io)?.is_dir() {
        return Err(StoreError::NotAGeoPackage {
            path: path.to_owned(),
            reason: "it is a directory".into(),
        });
    }
    let mut header = Vec::with_capacity(100);
    file.by_ref()
        .take(100)
        .read_to_end(&mut header)
        .map_err(io)?;
    if header.is_empty() {
        return Ok(Found::Nothing);
    }
    let not_gpkg = |reason: String| StoreError::NotAGeoPackage {
        path: path.to_owned(),
        reason,
    };
    if header.len() < 100 || &header[..16] != b"SQLite format 3\0" {
        return Err(not_gpkg("it is not an SQLite database".into()));
    }
    let application_id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    if application_id != schema::GPKG_APPLICATION_ID {
        return Err(not_gpkg(format!(
            "an SQLite database with application_id {application_id:#x}, not 'GPKG'"
        )));
    }
    Ok(Found::GeoPackage)
}

fn connect_options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
}

/// A pool whose every connection has the R-tree trigger functions registered.
async fn pool(options: SqliteConnectOptions, path: &Path) -> Result<SqlitePool> {
    SqlitePoolOptions::new()
        .max_connections(8)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                let mut handle = conn.lock_handle().await?;
                functions::register(handle.as_raw_handle()).map_err(|rc| {
                    sqlx::Error::Configuration(
                        format!("registering the GeoPackage R-tree functions: SQLite error {rc}")
                            .into(),
                    )
                })
            })
        })
        .connect_with(options)
        .await
        .ctx(format!("opening {}", path.display()))
}

async fn schema_version(conn: &mut SqliteConnection) -> Result<Option<i64>> {
    let has_table: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'kumuh_migrations'",
    )
    .fetch_one(&mut *conn)
    .await
    .ctx("reading the schema version")?;
    if has_table == 0 {
        return Ok(None);
    }
    let v: Option<i64> = sqlx::query_scalar("SELECT max(version) FROM kumuh_migrations")
        .fetch_one(&mut *conn)
        .await
        .ctx("reading the schema version")?;
    Ok(Some(v.unwrap_or(0)))
}

impl GpkgStore {
    /// Opens the store at `path`, creating and migrating a new one if allowed. Returns the
    /// store and whether it was created by this call.
    ///
    /// A file that is not a GeoPackage, a GeoPackage Kumuh did not create, or a store
    /// from a newer schema is refused and left untouched.
    pub async fn open(path: &Path, mode: OpenMode) -> Result<(GpkgStore, bool)> {
        match inspect(path)? {
            Found::Nothing if mode == OpenMode::MustExist => Err(StoreError::Missing {
                path: path.to_owned(),
            }),
            Found::Nothing => Ok((Self::create(path).await?, true)),
            Found::GeoPackage => Ok((Self::open_existing(path).await?, false)),
        }
    }

    async fn create(path: &Path) -> Result<GpkgStore> {
        // Mark the file as a GeoPackage before WAL is switched on, so the marks are in
        // the main file at once: another process inspecting the header (see `inspect`)
        // must see 'GPKG' even while the first writer's WAL is not yet checkpointed.
        {
            let opts = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Delete);
            let mut conn = <SqliteConnection as sqlx::Connection>::connect_with(&opts)
                .await
                .ctx(format!("creating {}", path.display()))?;
            sqlx::raw_sql(AssertSqlSafe(format!(
                "PRAGMA application_id = {}; PRAGMA user_version = {};",
                schema::GPKG_APPLICATION_ID,
                schema::GPKG_USER_VERSION
            )))
            .execute(&mut conn)
            .await
            .ctx("marking the file as a GeoPackage")?;
            sqlx::Connection::close(conn)
                .await
                .ctx(format!("creating {}", path.display()))?;
        }
        let pool = pool(connect_options(path), path).await?;
        let mut conn = pool.acquire().await.ctx("opening a connection")?;
        schema::migrate(&mut conn, 0).await?;
        drop(conn);
        Ok(GpkgStore {
            pool,
            path: path.to_owned(),
        })
    }

    async fn open_existing(path: &Path) -> Result<GpkgStore> {
        // Look first through a read-only connection: a foreign GeoPackage must not even
        // be switched to WAL.
        let version = {
            let ro = SqliteConnectOptions::new().filename(path).read_only(true);
            let mut conn = <SqliteConnection as sqlx::Connection>::connect_with(&ro)
                .await
                .ctx(format!("opening {}", path.display()))?;
            let v = schema_version(&mut conn).await?;
            sqlx::Connection::close(conn).await.ok();
            v
        };
        let current = version.ok_or_else(|| StoreError::NotAKumuhStore {
            path: path.to_owned(),
        })?;
        let known = schema::latest_version();
        if current > known {
            return Err(StoreError::NewerSchema {
                path: path.to_owned(),
                found: current,
                known,
            });
        }
        let pool = pool(connect_options(path), path).await?;
        if current < known {
            let mut conn = pool.acquire().await.ctx("opening a connection")?;
            schema::migrate(&mut conn, current).await?;
        }
        Ok(GpkgStore {
            pool,
            path: path.to_owned(),
        })
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes every connection (checkpointing the WAL into the main file).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Codes of the places of `level` whose R-tree bounds intersect `bbox`
    /// (`[min_lon, min_lat, max_lon, max_lat]`): a direct view of the spatial index.
    pub async fn rtree_codes(&self, level: Level, bbox: [f64; 4]) -> Result<Vec<String>> {
        let t = level.as_str();
        sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT t.kode FROM {t} t JOIN rtree_{t}_geom r ON r.id = t.fid
             WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?
             ORDER BY t.kode"
        )))
        .bind(bbox[0])
        .bind(bbox[2])
        .bind(bbox[1])
        .bind(bbox[3])
        .fetch_all(&self.pool)
        .await
        .ctx(format!("querying the {t} R-tree"))
    }
}

/// Removes a store file and its WAL companions, but only if it is a Kumuh store (or
/// nothing, or an empty file): anything else is refused and left in place.
pub async fn remove_store_file(path: &Path) -> Result<()> {
    if let Found::GeoPackage = inspect(path)? {
        let ro = SqliteConnectOptions::new().filename(path).read_only(true);
        let mut conn = <SqliteConnection as sqlx::Connection>::connect_with(&ro)
            .await
            .ctx(format!("opening {}", path.display()))?;
        let version = schema_version(&mut conn).await?;
        sqlx::Connection::close(conn).await.ok();
        if version.is_none() {
            return Err(StoreError::NotAKumuhStore {
                path: path.to_owned(),
            });
        }
    }
    for p in [
        path.to_owned(),
        PathBuf::from(format!("{}-wal", path.display())),
        PathBuf::from(format!("{}-shm", path.display())),
    ] {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(StoreError::Io { path: p, source }),
        }
    }
    Ok(())
}

fn encode_multipolygon(g: &MultiPolygon<f64>) -> Result<Vec<u8>> {
    blob::encode(&Geometry::MultiPolygon(g.clone()))
        .map_err(|e| StoreError::Invalid(format!("encoding geometry: {e}")))
}

fn decode_multipolygon(table: &str, fid: i64, bytes: &[u8]) -> Result<MultiPolygon<f64>> {
    let corrupt = |message: String| StoreError::Corrupt {
        table: table.to_owned(),
        fid,
        field: "geom",
        message,
    };
    match blob::decode(bytes).map_err(|e| corrupt(e.to_string()))? {
        Geometry::MultiPolygon(mp) => Ok(mp),
        Geometry::Polygon(p) => Ok(MultiPolygon(vec![p])),
        Geometry::GeometryCollection(gc) if gc.0.is_empty() => Ok(MultiPolygon(vec![])),
        other => Err(corrupt(format!(
            "expected a (multi)polygon, found {}",
            geometry_name(&other)
        ))),
    }
}

fn geometry_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "a point",
        Geometry::Line(_) | Geometry::LineString(_) => "a line",
        Geometry::MultiPoint(_) => "a multipoint",
        Geometry::MultiLineString(_) => "a multiline",
        Geometry::GeometryCollection(_) => "a geometry collection",
        _ => "another geometry type",
    }
}

fn json_field<T: serde::de::DeserializeOwned>(
    table: &str,
    fid: i64,
    field: &'static str,
    text: &str,
) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        table: table.to_owned(),
        fid,
        field,
        message: e.to_string(),
    })
}

fn kode_field(table: &str, fid: i64, field: &'static str, text: &str) -> Result<Kode> {
    Kode::parse(text).map_err(|e| StoreError::Corrupt {
        table: table.to_owned(),
        fid,
        field,
        message: e.to_string(),
    })
}

const SUMMARY_COLUMNS: &str = "fid, kode, kode_bps, nama, nama_alt, luas_ha";

fn summary_from_row(table: &str, row: &SqliteRow) -> Result<PlaceSummary> {
    let fid: i64 = row.get("fid");
    let kode = kode_field(table, fid, "kode", row.get("kode"))?;
    Ok(PlaceSummary {
        level: kode.level(),
        parent: kode.parent(),
        kode,
        kode_bps: row.get("kode_bps"),
        nama: row.get("nama"),
        nama_alt: json_field(table, fid, "nama_alt", row.get("nama_alt"))?,
        area_ha: row.get("luas_ha"),
    })
}

fn place_from_row(table: &str, row: &SqliteRow) -> Result<Place> {
    let fid: i64 = row.get("fid");
    let geom: Option<Vec<u8>> = row.get("geom");
    Ok(Place {
        kode: kode_field(table, fid, "kode", row.get("kode"))?,
        kode_bps: row.get("kode_bps"),
        nama: row.get("nama"),
        nama_alt: json_field(table, fid, "nama_alt", row.get("nama_alt"))?,
        geometry: geom
            .map(|b| decode_multipolygon(table, fid, &b))
            .transpose()?,
        attributes: json_field(table, fid, "atribut", row.get("atribut"))?,
    })
}

fn lokasi_from_row(row: &SqliteRow) -> Result<LokasiKumuh> {
    const T: &str = "lokasi_kumuh";
    let fid: i64 = row.get("fid");
    let geom: Option<Vec<u8>> = row.get("geom");
    let rt: Vec<String> = json_field(T, fid, "rt", row.get("rt"))?;
    let nomor: Option<String> = row.get("sk_nomor");
    Ok(LokasiKumuh {
        kode: row.get("kode"),
        nama: row.get("nama"),
        kode_desa: kode_field(T, fid, "kode_desa", row.get("kode_desa"))?,
        kawasan: row.get("kawasan"),
        rt: rt
            .iter()
            .map(|r| kode_field(T, fid, "rt", r))
            .collect::<Result<_>>()?,
        sk: nomor.map(|nomor| SkKumuh {
            nomor,
            tanggal: row.get("sk_tanggal"),
        }),
        geometry: match geom {
            Some(b) => decode_multipolygon(T, fid, &b)?,
            None => MultiPolygon(vec![]),
        },
        attributes: json_field(T, fid, "atribut", row.get("atribut"))?,
    })
}

/// Copies the latest assessment of slum locations onto the `lokasi_kumuh` layer.
/// Writes assessments, one per location, year and basis, and copies each location's
/// latest onto the slum-location layer.
async fn write_assessments(
    conn: &mut SqliteConnection,
    records: &[AssessmentRecord],
) -> Result<UpsertReport> {
    let mut report = UpsertReport::default();
    for r in records {
        let existing: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM penilaian WHERE kode_lokasi = ? AND tahun = ? AND dasar = ?",
        )
        .bind(&r.kode_lokasi)
        .bind(r.tahun)
        .bind(&r.dasar)
        .fetch_one(&mut *conn)
        .await
        .ctx("looking up an assessment")?;
        let sql = if existing > 0 {
            report.updated += 1;
            "UPDATE penilaian SET nama_lokasi = ?4, kode_desa = ?5, aturan = ?6,
               versi_aturan = ?7, luas_ha = ?8, total = ?9, kelas = ?10, prioritas = ?11,
               hasil = ?12, tanggal = ?13, dicatat = strftime('%Y-%m-%dT%H:%M:%fZ','now')
             WHERE kode_lokasi = ?1 AND tahun = ?2 AND dasar = ?3"
        } else {
            report.inserted += 1;
            "INSERT INTO penilaian (kode_lokasi, tahun, dasar, nama_lokasi, kode_desa, aturan,
               versi_aturan, luas_ha, total, kelas, prioritas, hasil, tanggal)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        };
        sqlx::query(sql)
            .bind(&r.kode_lokasi)
            .bind(r.tahun)
            .bind(&r.dasar)
            .bind(&r.nama_lokasi)
            .bind(r.kode_desa.as_str())
            .bind(&r.rule_set_id)
            .bind(&r.rule_set_version)
            .bind(r.luas_ha)
            .bind(r.total)
            .bind(&r.class)
            .bind(&r.priority)
            .bind(r.result.to_string())
            .bind(&r.tanggal)
            .execute(&mut *conn)
            .await
            .ctx(format!(
                "writing the {} assessment of {}",
                r.tahun, r.kode_lokasi
            ))?;
    }
    for r in records {
        refresh_latest(conn, Some(&r.kode_lokasi)).await?;
    }
    Ok(report)
}

/// The order of a location's assessments, oldest first: by year, then by the date of an
/// evaluation within the year (a survey, without a date, comes first), then by entry.
const ASSESSMENT_ORDER: &str = "tahun, coalesce(tanggal, ''), fid";

async fn refresh_latest(conn: &mut SqliteConnection, kode: Option<&str>) -> Result<()> {
    sqlx::query(
        "UPDATE lokasi_kumuh SET
           tahun_penilaian = (SELECT p.tahun FROM penilaian p WHERE p.kode_lokasi = lokasi_kumuh.kode ORDER BY p.tahun DESC, coalesce(p.tanggal, '') DESC, p.fid DESC LIMIT 1),
           total_nilai = (SELECT p.total FROM penilaian p WHERE p.kode_lokasi = lokasi_kumuh.kode ORDER BY p.tahun DESC, coalesce(p.tanggal, '') DESC, p.fid DESC LIMIT 1),
           kelas = (SELECT p.kelas FROM penilaian p WHERE p.kode_lokasi = lokasi_kumuh.kode ORDER BY p.tahun DESC, coalesce(p.tanggal, '') DESC, p.fid DESC LIMIT 1),
           prioritas = (SELECT p.prioritas FROM penilaian p WHERE p.kode_lokasi = lokasi_kumuh.kode ORDER BY p.tahun DESC, coalesce(p.tanggal, '') DESC, p.fid DESC LIMIT 1)
         WHERE ?1 IS NULL OR kode = ?1",
    )
    .bind(kode)
    .execute(conn)
    .await
    .ctx("copying the latest assessment onto the slum-location layer")?;
    Ok(())
}

/// Keeps `gpkg_contents` true after a write: the layer's extent and last change.
async fn touch_contents(conn: &mut SqliteConnection, table: &str) -> Result<()> {
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE gpkg_contents SET
           last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
           min_x = (SELECT min(minx) FROM rtree_{table}_geom),
           max_x = (SELECT max(maxx) FROM rtree_{table}_geom),
           min_y = (SELECT min(miny) FROM rtree_{table}_geom),
           max_y = (SELECT max(maxy) FROM rtree_{table}_geom)
         WHERE table_name = ?"
    )))
    .bind(table)
    .execute(conn)
    .await
    .ctx(format!("updating gpkg_contents for {table}"))?;
    Ok(())
}

async fn exists(conn: &mut SqliteConnection, table: &str, kode: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT count(*) FROM {table} WHERE kode = ?"
    )))
    .bind(kode)
    .fetch_one(conn)
    .await
    .ctx(format!("looking up {kode} in {table}"))?;
    Ok(n > 0)
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

#[async_trait]
impl Store for GpkgStore {
    async fn info(&self) -> Result<StoreInfo> {
        let mut conn = self.pool.acquire().await.ctx("opening a connection")?;
        Ok(StoreInfo {
            backend: "geopackage",
            location: self.path.display().to_string(),
            schema_version: schema_version(&mut conn).await?.unwrap_or(0),
        })
    }

    async fn list_places(&self, query: &PlaceQuery) -> Result<Vec<PlaceSummary>> {
        let t = query.level.as_str();
        let rows = place_rows(&self.pool, query, SUMMARY_COLUMNS).await?;
        rows.iter().map(|r| summary_from_row(t, r)).collect()
    }

    async fn places(&self, query: &PlaceQuery) -> Result<Vec<Place>> {
        let t = query.level.as_str();
        let rows = place_rows(&self.pool, query, "*").await?;
        rows.iter().map(|r| place_from_row(t, r)).collect()
    }

    async fn place(&self, kode: &Kode) -> Result<Option<Place>> {
        let t = kode.level().as_str();
        let row = sqlx::query(AssertSqlSafe(format!("SELECT * FROM {t} WHERE kode = ?")))
            .bind(kode.as_str())
            .fetch_optional(&self.pool)
            .await
            .ctx(format!("reading {kode} from {t}"))?;
        row.map(|r| place_from_row(t, &r)).transpose()
    }

    async fn search_places(&self, text: &str, limit: u32) -> Result<Vec<PlaceSummary>> {
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
            .fetch_all(&self.pool)
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

    async fn upsert_places(&self, places: &[Place]) -> Result<UpsertReport> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let mut report = UpsertReport::default();
        let mut touched = std::collections::BTreeSet::new();
        for p in places {
            let t = p.level().as_str();
            touched.insert(t);
            let existing = exists(&mut tx, t, p.kode.as_str()).await?;
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
                .execute(&mut *tx)
                .await
                .ctx(format!("writing {} to {t}", p.kode))?;
        }
        for t in touched {
            touch_contents(&mut tx, t).await?;
        }
        tx.commit().await.ctx("committing places")?;
        Ok(report)
    }

    async fn delete_place(&self, kode: &Kode) -> Result<bool> {
        let t = kode.level().as_str();
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let n = sqlx::query(AssertSqlSafe(format!("DELETE FROM {t} WHERE kode = ?")))
            .bind(kode.as_str())
            .execute(&mut *tx)
            .await
            .ctx(format!("deleting {kode}"))?
            .rows_affected();
        touch_contents(&mut tx, t).await?;
        tx.commit().await.ctx("committing the delete")?;
        Ok(n > 0)
    }

    async fn upsert_lokasi(&self, lokasi: &[LokasiKumuh]) -> Result<UpsertReport> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let mut report = UpsertReport::default();
        for l in lokasi {
            let rt: Vec<&str> = l.rt.iter().map(Kode::as_str).collect();
            let sql = if exists(&mut tx, "lokasi_kumuh", &l.kode).await? {
                report.updated += 1;
                "UPDATE lokasi_kumuh SET geom = ?1, nama = ?3, kode_desa = ?4, kawasan = ?5,
                   rt = ?6, sk_nomor = ?7, sk_tanggal = ?8, luas_ha = ?9, atribut = ?10
                 WHERE kode = ?2"
            } else {
                report.inserted += 1;
                "INSERT INTO lokasi_kumuh (geom, kode, nama, kode_desa, kawasan, rt, sk_nomor, sk_tanggal, luas_ha, atribut)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            };
            sqlx::query(sql)
                .bind(encode_multipolygon(&l.geometry)?)
                .bind(&l.kode)
                .bind(&l.nama)
                .bind(l.kode_desa.as_str())
                .bind(&l.kawasan)
                .bind(serde_json::Value::from(rt).to_string())
                .bind(l.sk.as_ref().map(|s| s.nomor.clone()))
                .bind(l.sk.as_ref().and_then(|s| s.tanggal.clone()))
                .bind(l.area_ha())
                .bind(serde_json::Value::Object(l.attributes.clone()).to_string())
                .execute(&mut *tx)
                .await
                .ctx(format!("writing slum location {}", l.kode))?;
        }
        for l in lokasi {
            refresh_latest(&mut tx, Some(&l.kode)).await?;
        }
        touch_contents(&mut tx, "lokasi_kumuh").await?;
        tx.commit().await.ctx("committing slum locations")?;
        Ok(report)
    }

    async fn list_lokasi(&self, kode_desa: Option<&Kode>) -> Result<Vec<LokasiKumuh>> {
        let rows = sqlx::query(
            "SELECT * FROM lokasi_kumuh WHERE (?1 IS NULL OR kode_desa = ?1) ORDER BY kode",
        )
        .bind(kode_desa.map(Kode::as_str))
        .fetch_all(&self.pool)
        .await
        .ctx("reading slum locations")?;
        rows.iter().map(lokasi_from_row).collect()
    }

    async fn lokasi(&self, kode: &str) -> Result<Option<LokasiKumuh>> {
        let row = sqlx::query("SELECT * FROM lokasi_kumuh WHERE kode = ?")
            .bind(kode)
            .fetch_optional(&self.pool)
            .await
            .ctx(format!("reading slum location {kode}"))?;
        row.map(|r| lokasi_from_row(&r)).transpose()
    }

    async fn upsert_jaringan(&self, ruas: &[Ruas]) -> Result<UpsertReport> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let mut report = UpsertReport::default();
        for r in ruas {
            let sql = if exists(&mut tx, "jaringan", &r.kode).await? {
                report.updated += 1;
                "UPDATE jaringan SET geom = ?1, jenis = ?3, kondisi = ?4, contoh = ?5,
                   panjang_m = ?6 WHERE kode = ?2"
            } else {
                report.inserted += 1;
                "INSERT INTO jaringan (geom, kode, jenis, kondisi, contoh, panjang_m)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
            };
            let geom = blob::encode(&Geometry::MultiLineString(r.geometry.clone()))
                .map_err(|e| StoreError::Invalid(format!("line {}: {e}", r.kode)))?;
            sqlx::query(sql)
                .bind(geom)
                .bind(&r.kode)
                .bind(r.jenis.as_str())
                .bind(r.kondisi.as_str())
                .bind(r.contoh)
                .bind(Geodesic.length(&r.geometry))
                .execute(&mut *tx)
                .await
                .ctx(format!("writing line {}", r.kode))?;
        }
        touch_contents(&mut tx, "jaringan").await?;
        tx.commit().await.ctx("committing lines")?;
        Ok(report)
    }

    async fn jaringan(&self, bbox: Option<[f64; 4]>) -> Result<Vec<Ruas>> {
        let b = bbox.unwrap_or([f64::MIN, f64::MIN, f64::MAX, f64::MAX]);
        let rows = sqlx::query(
            "SELECT t.* FROM jaringan t JOIN rtree_jaringan_geom r ON r.id = t.fid
             WHERE r.maxx >= ?1 AND r.minx <= ?3 AND r.maxy >= ?2 AND r.miny <= ?4
             ORDER BY t.kode",
        )
        .bind(b[0])
        .bind(b[1])
        .bind(b[2])
        .bind(b[3])
        .fetch_all(&self.pool)
        .await
        .ctx("reading road and drainage lines")?;
        rows.iter().map(ruas_from_row).collect()
    }

    async fn add_user(&self, user: &User, password_hash: &str) -> Result<()> {
        let username = &user.username;
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let desa: Vec<&str> = user.desa.iter().map(Kode::as_str).collect();
        let r = sqlx::query(
            "INSERT INTO kumuh_users (username, password_hash, role, desa) VALUES (?, ?, ?, ?)",
        )
        .bind(username)
        .bind(password_hash)
        .bind(user.role.as_str())
        .bind(desa.join(","))
        .execute(&mut *tx)
        .await;
        match r {
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::Conflict(format!(
                    "a user named `{username}` already exists"
                )));
            }
            r => {
                r.ctx(format!("adding user {username}"))?;
            }
        }
        tx.commit().await.ctx("committing the user")
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        let row = sqlx::query(
            "SELECT fid, username, password_hash, role, desa FROM kumuh_users WHERE username = ?",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await
        .ctx("reading a user")?;
        row.map(|r| {
            Ok(Credentials {
                user: user_from_row(&r)?,
                password_hash: r.get("password_hash"),
            })
        })
        .transpose()
    }

    async fn list_users(&self) -> Result<Vec<User>> {
        let rows =
            sqlx::query("SELECT fid, username, role, desa FROM kumuh_users ORDER BY username")
                .fetch_all(&self.pool)
                .await
                .ctx("listing users")?;
        rows.iter().map(user_from_row).collect()
    }

    async fn add_token(&self, username: &str, token_hash: &str, expires_unix: i64) -> Result<()> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        sqlx::query(
            "INSERT INTO kumuh_tokens (token_hash, username, expires_unix) VALUES (?, ?, ?)",
        )
        .bind(token_hash)
        .bind(username)
        .bind(expires_unix)
        .execute(&mut *tx)
        .await
        .ctx(format!("adding a token for {username}"))?;
        tx.commit().await.ctx("committing the token")
    }

    async fn delete_token(&self, token_hash: &str) -> Result<bool> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let done = sqlx::query("DELETE FROM kumuh_tokens WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&mut *tx)
            .await
            .ctx("deleting a token")?;
        tx.commit().await.ctx("committing the sign-out")?;
        Ok(done.rows_affected() > 0)
    }

    async fn user_for_token(&self, token_hash: &str, now_unix: i64) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT u.fid, u.username, u.role, u.desa FROM kumuh_tokens t
             JOIN kumuh_users u ON u.username = t.username
             WHERE t.token_hash = ? AND t.expires_unix > ?",
        )
        .bind(token_hash)
        .bind(now_unix)
        .fetch_optional(&self.pool)
        .await
        .ctx("checking a token")?;
        row.map(|r| user_from_row(&r)).transpose()
    }

    async fn upsert_assessments(&self, records: &[AssessmentRecord]) -> Result<UpsertReport> {
        let mut tx = self.pool.begin().await.ctx("starting a transaction")?;
        let report = write_assessments(&mut tx, records).await?;
        tx.commit().await.ctx("committing assessments")?;
        Ok(report)
    }

    async fn assessments(&self, query: &AssessmentQuery) -> Result<Vec<AssessmentRecord>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT * FROM penilaian
             WHERE (?1 IS NULL OR kode_desa = ?1 OR kode_desa LIKE ?1 || '.%')
               AND (?2 IS NULL OR kode_lokasi = ?2)
               AND (?3 IS NULL OR tahun = ?3)
             ORDER BY kode_lokasi, {ASSESSMENT_ORDER}"
        )))
        .bind(query.wilayah.as_ref().map(Kode::as_str))
        .bind(&query.kode_lokasi)
        .bind(query.tahun)
        .fetch_all(&self.pool)
        .await
        .ctx("reading assessments")?;
        rows.iter().map(assessment_from_row).collect()
    }

    async fn list_kegiatan(&self, query: &KegiatanQuery) -> Result<Vec<StoredKegiatan>> {
        works::list(&self.pool, query).await
    }

    async fn kegiatan(&self, id: &str) -> Result<Option<StoredKegiatan>> {
        works::get(&self.pool, id).await
    }

    async fn save_kegiatan(&self, write: &KegiatanWrite<'_>) -> Result<i64> {
        works::save(&self.pool, write).await
    }

    async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        works::audit(&self.pool, query).await
    }

    async fn list_siteplan(&self, wilayah: Option<&Kode>) -> Result<Vec<StoredSiteplan>> {
        siteplan::list(&self.pool, wilayah).await
    }

    async fn siteplan(&self, id: &str) -> Result<Option<StoredSiteplan>> {
        siteplan::get(&self.pool, id).await
    }

    async fn save_siteplan(&self, write: &SiteplanWrite<'_>) -> Result<i64> {
        siteplan::save(&self.pool, write).await
    }

    async fn changes_since(&self, after: i64, limit: u32) -> Result<ChangeBatch> {
        // One read transaction: the newest id, the oldest kept and the rows agree.
        let mut tx = self.pool.begin().await.ctx("reading the change feed")?;
        let (latest, oldest): (i64, Option<i64>) =
            sqlx::query_as("SELECT coalesce(max(id), 0), min(id) FROM kumuh_perubahan")
                .fetch_one(&mut *tx)
                .await
                .ctx("reading the change feed")?;
        let gap = oldest.is_some_and(|o| o > after.saturating_add(1)) && latest > after;
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, lapisan, kunci FROM kumuh_perubahan WHERE id > ? ORDER BY id LIMIT ?",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .ctx("reading the change feed")?;
        tx.commit().await.ctx("reading the change feed")?;
        Ok(ChangeBatch {
            changes: rows
                .into_iter()
                .map(|(id, lapisan, kunci)| LayerChange { id, lapisan, kunci })
                .collect(),
            latest,
            gap,
        })
    }

    async fn export_copy(&self, path: &Path) -> Result<()> {
        if path.exists() {
            return Err(StoreError::Invalid(format!(
                "{}: already exists; choose a new file",
                path.display()
            )));
        }
        let target = path.to_str().ok_or_else(|| {
            StoreError::Invalid(format!("{}: the path is not valid UTF-8", path.display()))
        })?;
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.pool)
            .await
            .ctx(format!("copying the store to {}", path.display()))?;
        Ok(())
    }
}

fn ruas_from_row(row: &SqliteRow) -> Result<Ruas> {
    const T: &str = "jaringan";
    let fid: i64 = row.get("fid");
    let corrupt = |field: &'static str, message: String| StoreError::Corrupt {
        table: T.into(),
        fid,
        field,
        message,
    };
    let geom: Option<Vec<u8>> = row.get("geom");
    let geometry = match geom.map(|b| blob::decode(&b)).transpose() {
        Err(e) => return Err(corrupt("geom", e.to_string())),
        Ok(None) => MultiLineString(vec![]),
        Ok(Some(Geometry::MultiLineString(m))) => m,
        Ok(Some(Geometry::LineString(l))) => MultiLineString(vec![l]),
        Ok(Some(other)) => {
            return Err(corrupt(
                "geom",
                format!("expected a line, found {}", geometry_name(&other)),
            ));
        }
    };
    let jenis: String = row.get("jenis");
    let kondisi: String = row.get("kondisi");
    Ok(Ruas {
        kode: row.get("kode"),
        jenis: JenisJaringan::parse(&jenis).map_err(|e| corrupt("jenis", e.to_string()))?,
        kondisi: Kondisi::parse(&kondisi).map_err(|e| corrupt("kondisi", e.to_string()))?,
        geometry,
        contoh: row.get("contoh"),
    })
}

fn assessment_from_row(row: &SqliteRow) -> Result<AssessmentRecord> {
    const T: &str = "penilaian";
    let fid: i64 = row.get("fid");
    let tahun: i64 = row.get("tahun");
    let total: i64 = row.get("total");
    let number = |field: &'static str, v: i64| StoreError::Corrupt {
        table: T.into(),
        fid,
        field,
        message: format!("{v} is out of range"),
    };
    Ok(AssessmentRecord {
        kode_lokasi: row.get("kode_lokasi"),
        nama_lokasi: row.get("nama_lokasi"),
        kode_desa: kode_field(T, fid, "kode_desa", row.get("kode_desa"))?,
        tahun: u16::try_from(tahun).map_err(|_| number("tahun", tahun))?,
        rule_set_id: row.get("aturan"),
        rule_set_version: row.get("versi_aturan"),
        luas_ha: row.get("luas_ha"),
        total: u32::try_from(total).map_err(|_| number("total", total))?,
        class: row.get("kelas"),
        priority: row.get("prioritas"),
        result: json_field(T, fid, "hasil", row.get("hasil"))?,
        dasar: row.get("dasar"),
        tanggal: row.get("tanggal"),
    })
}

fn user_from_row(row: &SqliteRow) -> Result<User> {
    let role: String = row.get("role");
    let fid: i64 = row.get("fid");
    let desa: String = row.get("desa");
    Ok(User {
        username: row.get("username"),
        role: Role::from_str(&role).map_err(|e| StoreError::Corrupt {
            table: "kumuh_users".into(),
            fid,
            field: "role",
            message: e.to_string(),
        })?,
        desa: desa
            .split(',')
            .filter(|k| !k.is_empty())
            .map(|k| kode_field("kumuh_users", fid, "desa", k))
            .collect::<Result<_>>()?,
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{Point, polygon};

    /// The trigger functions answer on every connection of the pool, for good blobs,
    /// NULLs and garbage alike (garbage gives NULL, never a crash).
    #[tokio::test]
    async fn rtree_functions_are_registered_on_every_pooled_connection() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = GpkgStore::open(&dir.path().join("f.gpkg"), OpenMode::CreateIfMissing)
            .await
            .unwrap();
        let poly =
            Geometry::Polygon(polygon![(x: 1.0, y: 2.0), (x: 3.0, y: 2.0), (x: 3.0, y: 5.0)]);
        let good = blob::encode(&poly).unwrap();
        let point = blob::encode(&Geometry::Point(Point::new(7.0, 8.0))).unwrap();
        // Hold several connections at once so that more than one is created.
        let mut conns = Vec::new();
        for _ in 0..4 {
            conns.push(store.pool.acquire().await.unwrap());
        }
        for conn in &mut conns {
            let row = sqlx::query(
                "SELECT ST_MinX(?1), ST_MaxX(?1), ST_MinY(?1), ST_MaxY(?1), ST_IsEmpty(?1),
                        ST_MinX(?2), ST_MinX(NULL), ST_MinX(x'00'), ST_IsEmpty('text'), ST_MaxY(?3)",
            )
            .bind(&good)
            .bind(b"GP\x00\x01garbage".as_slice())
            .bind(&point)
            .fetch_one(&mut **conn)
            .await
            .unwrap();
            let f = |i: usize| row.get::<Option<f64>, _>(i);
            assert_eq!(
                (f(0), f(1), f(2), f(3)),
                (Some(1.0), Some(3.0), Some(2.0), Some(5.0))
            );
            assert_eq!(row.get::<Option<i64>, _>(4), Some(0));
            assert_eq!((f(5), f(6), f(7)), (None, None, None));
            assert_eq!(row.get::<Option<i64>, _>(8), None);
            assert_eq!(f(9), Some(8.0));
        }
    }
}
