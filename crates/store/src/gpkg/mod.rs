//! The embedded store: one OGC GeoPackage 1.3 file written through sqlx (SQLite).
//!
//! The file opens in QGIS and GDAL as it is: every spatial table is a registered feature
//! layer in EPSG:4326 with an R-tree index, and every other table is registered as
//! `attributes`. Connections run in WAL mode; every write is one transaction.
//!
//! Reads and writes go through separate pools. SQLite lets one connection write at a
//! time anyway, so writes have a pool of exactly one connection of their own, and start
//! with `BEGIN IMMEDIATE` (taking the write lock at once, waiting on the busy timeout for
//! another process's writer): under a crowd of readers a write never waits for a pooled
//! connection, only for the previous write.

pub mod blob;
mod bulk;
mod foreign;
mod foto;
mod functions;
mod layers;
mod load;
mod maintenance;
mod open;
mod peta_dasar;
mod places;
pub(crate) mod rows;
mod rtree;
mod schema;
pub(crate) mod siteplan;
pub(crate) mod upk;
pub(crate) use siteplan::export as export_siteplan;
pub(crate) mod versioned;
pub(crate) mod works;

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use kumuh_domain::jaringan::Ruas;
use kumuh_domain::upk::DaftarNik;
use kumuh_domain::{Kode, Level, LokasiKumuh, Place, PlaceSummary, User};
use sqlx::sqlite::SqlitePool;
use sqlx::{AssertSqlSafe, Sqlite, SqliteConnection, Transaction};

use crate::error::{DbContext, Result, StoreError};
use crate::{
    AssessmentQuery, AssessmentRecord, AssessmentWriter, AuditEntry, AuditQuery, ChangeBatch,
    Credentials, FotoBaru, FotoBerkas, FotoQuery, KegiatanQuery, KegiatanWrite, LayerChange,
    NewAudit, PlaceQuery, SiteplanWrite, Store, StoreInfo, StoredFoto, StoredKegiatan, StoredKsm,
    StoredPenagihan, StoredPinjaman, StoredSiteplan, StoredTabungan, Ukuran, UpkVersi, UpkWrite,
    UpsertReport,
};

pub use foreign::{ForeignLayer, foreign_layers, read_foreign_layer};
pub use maintenance::{CheckReport, RestoreReport, check_file, restore_file};
pub use open::{OpenWarning, remove_store_file};
use rows::json_field;

/// Whether [`GpkgStore::open`] may create a missing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create and migrate a new GeoPackage when the path does not exist (or is an empty
    /// file).
    CreateIfMissing,
    /// Fail with [`StoreError::Missing`] when the path does not exist.
    MustExist,
}

/// A Kumuh store in one GeoPackage file.
#[derive(Debug, Clone)]
pub struct GpkgStore {
    /// The readers' connections (`query_only`).
    pool: SqlitePool,
    /// The one writing connection; `None` when the file is read-only.
    writer: Option<SqlitePool>,
    path: PathBuf,
    warnings: Vec<OpenWarning>,
}

impl GpkgStore {
    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the caller should tell whoever opened the store (a read-only file, an empty
    /// file that was seeded); empty when there is nothing to say.
    pub fn warnings(&self) -> &[OpenWarning] {
        &self.warnings
    }

    /// Whether the store refuses writes (the file is read-only).
    pub fn is_read_only(&self) -> bool {
        self.writer.is_none()
    }

    /// Closes every connection (checkpointing the WAL into the main file).
    pub async fn close(&self) {
        self.pool.close().await;
        if let Some(w) = &self.writer {
            w.close().await;
        }
    }

    /// The writer's pool, or [`StoreError::ReadOnly`] naming `action`.
    fn writer(&self, action: &str) -> Result<&SqlitePool> {
        self.writer.as_ref().ok_or_else(|| StoreError::ReadOnly {
            path: self.path.clone(),
            action: action.to_owned(),
        })
    }

    /// Starts a write transaction on the writer's connection with `BEGIN IMMEDIATE`, so
    /// the write lock is taken before anything is read and the write cannot fail half
    /// way on a lock another writer took in between.
    async fn begin_write(&self, action: &str) -> Result<Transaction<'static, Sqlite>> {
        self.writer(action)?
            .begin_with("BEGIN IMMEDIATE")
            .await
            .ctx(format!("starting a transaction for {action}"))
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

#[async_trait]
impl Store for GpkgStore {
    async fn info(&self) -> Result<StoreInfo> {
        let mut conn = self.pool.acquire().await.ctx("opening a connection")?;
        Ok(StoreInfo {
            backend: "geopackage",
            location: self.path.display().to_string(),
            schema_version: open::schema_version(&mut conn).await?.unwrap_or(0),
        })
    }

    async fn list_places(&self, query: &PlaceQuery) -> Result<Vec<PlaceSummary>> {
        places::list_places(self, query).await
    }

    async fn places(&self, query: &PlaceQuery) -> Result<Vec<Place>> {
        places::places(self, query).await
    }

    async fn place_boxes(&self, level: Level) -> Result<Vec<(Kode, Option<[f64; 4]>)>> {
        places::place_boxes(self, level).await
    }

    async fn place(&self, kode: &Kode) -> Result<Option<Place>> {
        places::place(self, kode).await
    }

    async fn search_places(&self, text: &str, limit: u32) -> Result<Vec<PlaceSummary>> {
        places::search_places(self, text, limit).await
    }

    async fn upsert_places(&self, places: &[Place]) -> Result<UpsertReport> {
        places::upsert_places(self, places).await
    }

    async fn save_place(&self, place: &Place, pengguna: &str) -> Result<UpsertReport> {
        places::save_place(self, place, pengguna).await
    }

    async fn import_audited(
        &self,
        write: crate::ImportWrite<'_>,
        audit: &[crate::NewAudit],
    ) -> Result<UpsertReport> {
        let mut tx = self.begin_write("writing an import").await?;
        // A large import's tables get their spatial index rebuilt once, in bulk, instead
        // of one entry per row (see `rtree`).
        let mut rows: Vec<(&str, usize)> = Vec::new();
        match write {
            crate::ImportWrite::Places(p) => {
                for place in p {
                    let t = place.level().as_str();
                    match rows.iter_mut().find(|(table, _)| *table == t) {
                        Some((_, n)) => *n += 1,
                        None => rows.push((t, 1)),
                    }
                }
            }
            crate::ImportWrite::Lokasi(l) => rows.push(("lokasi_kumuh", l.len())),
            crate::ImportWrite::Jaringan(r) => rows.push(("jaringan", r.len())),
        }
        let mut suspended = Vec::new();
        // A large import is one whole-layer entry in the change feed instead of one entry
        // per row: a reader of the feed reloads after that many changes either way.
        let mut quiet_feeds = Vec::new();
        for (table, n) in rows {
            if n >= rtree::BULK_ROWS
                && let Some(layer) = schema::feed_layer(table)
            {
                let prefix = format!("kumuh_perubahan_{table}_");
                let triggers = schema::drop_triggers(&mut tx, table, &prefix).await?;
                quiet_feeds.push((table, layer, triggers));
            }
            if rtree::worth_it(&mut tx, table, n).await? {
                suspended.push(rtree::suspend(&mut tx, table).await?);
            }
        }
        // Places note the rows they write, so that only those are read for the index.
        let (report, mut written) = match write {
            crate::ImportWrite::Places(p) => {
                places::write_places_noting(&mut tx, p, !suspended.is_empty()).await?
            }
            crate::ImportWrite::Lokasi(l) => (layers::write_lokasi(&mut tx, l).await?, None),
            crate::ImportWrite::Jaringan(r) => (layers::write_jaringan(&mut tx, r).await?, None),
        };
        for s in suspended {
            let rows = written
                .as_mut()
                .map(|w| w.remove(s.table()).unwrap_or_default());
            rtree::rebuild(&mut tx, s, rows).await?;
        }
        for (table, layer, triggers) in quiet_feeds {
            schema::restore_triggers(&mut tx, table, triggers).await?;
            sqlx::query("INSERT INTO kumuh_perubahan (lapisan, kunci) VALUES (?1, ?2)")
                .bind(layer)
                .bind(crate::WHOLE_LAYER)
                .execute(&mut *tx)
                .await
                .ctx(format!("noting the import of {table} in the change feed"))?;
        }
        works::append_audit_lines(&mut tx, audit, None).await?;
        tx.commit().await.ctx("committing the import")?;
        Ok(report)
    }

    async fn delete_place(&self, kode: &Kode) -> Result<bool> {
        places::delete_place(self, kode).await
    }

    async fn delete_place_as(&self, kode: &Kode, pengguna: &str) -> Result<bool> {
        places::delete_place_as(self, kode, pengguna).await
    }

    async fn upsert_lokasi(&self, lokasi: &[LokasiKumuh]) -> Result<UpsertReport> {
        layers::upsert_lokasi(self, lokasi).await
    }

    async fn list_lokasi(&self, kode_desa: Option<&Kode>) -> Result<Vec<LokasiKumuh>> {
        layers::list_lokasi(self, kode_desa).await
    }

    async fn lokasi(&self, kode: &str) -> Result<Option<LokasiKumuh>> {
        layers::lokasi(self, kode).await
    }

    async fn upsert_jaringan(&self, ruas: &[Ruas]) -> Result<UpsertReport> {
        layers::upsert_jaringan(self, ruas).await
    }

    async fn jaringan(&self, bbox: Option<[f64; 4]>) -> Result<Vec<Ruas>> {
        layers::jaringan(self, bbox).await
    }

    async fn add_user(&self, user: &User, password_hash: &str) -> Result<()> {
        let mut tx = self
            .begin_write(&format!("adding user {}", user.username))
            .await?;
        crate::users::add_user(&mut *tx, user, password_hash).await?;
        tx.commit().await.ctx("committing the user")
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        crate::users::credentials(&self.pool, username).await
    }

    async fn list_users(&self) -> Result<Vec<User>> {
        crate::users::list_users(&self.pool).await
    }

    async fn add_token(&self, username: &str, token_hash: &str, expires_unix: i64) -> Result<()> {
        let mut tx = self.begin_write("adding a token").await?;
        crate::users::add_token(&mut *tx, username, token_hash, expires_unix).await?;
        tx.commit().await.ctx("committing the token")
    }

    async fn delete_token(&self, token_hash: &str) -> Result<bool> {
        let mut tx = self.begin_write("signing out").await?;
        let deleted = crate::users::delete_token(&mut *tx, token_hash).await?;
        tx.commit().await.ctx("committing the sign-out")?;
        Ok(deleted)
    }

    async fn user_for_token(&self, token_hash: &str, now_unix: i64) -> Result<Option<User>> {
        crate::users::user_for_token(&self.pool, token_hash, now_unix).await
    }

    async fn upsert_assessments(&self, records: &[AssessmentRecord]) -> Result<UpsertReport> {
        layers::upsert_assessments(self, records).await
    }

    async fn begin_assessments(&self) -> Result<Box<dyn AssessmentWriter>> {
        layers::begin_assessments(self).await
    }

    async fn assessments(&self, query: &AssessmentQuery) -> Result<Vec<AssessmentRecord>> {
        layers::assessments(self, query).await
    }

    async fn list_kegiatan(&self, query: &KegiatanQuery) -> Result<Vec<StoredKegiatan>> {
        works::list(&self.pool, query).await
    }

    async fn kegiatan(&self, id: &str) -> Result<Option<StoredKegiatan>> {
        works::get(&self.pool, id).await
    }

    async fn save_kegiatan(&self, write: &KegiatanWrite<'_>) -> Result<i64> {
        let action = format!("saving kegiatan {}", write.kegiatan.id());
        works::save(self.writer(&action)?, write).await
    }

    async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        works::audit(&self.pool, query).await
    }

    async fn save_foto(&self, f: &FotoBaru<'_>) -> Result<StoredFoto> {
        let action = format!("saving a photo of kegiatan {}", f.kegiatan_id);
        foto::save(self.writer(&action)?, f).await
    }

    async fn list_foto(&self, query: &FotoQuery) -> Result<Vec<StoredFoto>> {
        foto::list(&self.pool, query).await
    }

    async fn foto(&self, id: i64) -> Result<Option<StoredFoto>> {
        foto::get(&self.pool, id).await
    }

    async fn foto_berkas(&self, id: i64, ukuran: Ukuran) -> Result<Option<FotoBerkas>> {
        foto::berkas(&self.pool, id, ukuran).await
    }

    async fn delete_foto(&self, id: i64, audit: &NewAudit) -> Result<bool> {
        foto::delete(self.writer(&format!("deleting photo {id}"))?, id, audit).await
    }

    async fn save_peta_dasar(
        &self,
        peta: &crate::PetaDasarBaru<'_>,
        ubin: &mut dyn crate::SumberUbin,
    ) -> Result<crate::PetaDasar> {
        peta_dasar::save(
            self.writer(&format!("writing basemap {}", peta.nama))?,
            peta,
            ubin,
        )
        .await
    }

    async fn list_peta_dasar(&self) -> Result<Vec<crate::PetaDasar>> {
        peta_dasar::list(&self.pool).await
    }

    async fn peta_dasar_ubin(
        &self,
        nama: &str,
        z: u8,
        x: u32,
        y: u32,
    ) -> Result<Option<(String, Vec<u8>)>> {
        peta_dasar::tile(&self.pool, nama, z, x, y).await
    }

    async fn peta_dasar_ubin_kotak(
        &self,
        nama: &str,
        z: u8,
        x: (u32, u32),
        y: (u32, u32),
    ) -> Result<Vec<crate::Ubin>> {
        peta_dasar::kotak(&self.pool, nama, z, x, y).await
    }

    async fn peta_dasar_ubin_halaman(
        &self,
        nama: &str,
        setelah: Option<(u8, u32, u32)>,
        limit: u32,
    ) -> Result<Vec<crate::Ubin>> {
        peta_dasar::halaman(&self.pool, nama, setelah, limit).await
    }

    async fn delete_peta_dasar(&self, nama: &str, audit: &NewAudit) -> Result<bool> {
        peta_dasar::delete(
            self.writer(&format!("removing basemap {nama}"))?,
            nama,
            audit,
        )
        .await
    }

    async fn list_siteplan(&self, wilayah: Option<&Kode>) -> Result<Vec<StoredSiteplan>> {
        siteplan::list(&self.pool, wilayah).await
    }

    async fn siteplan(&self, id: &str) -> Result<Option<StoredSiteplan>> {
        siteplan::get(&self.pool, id).await
    }

    async fn list_ksm(&self, wilayah: Option<&Kode>) -> Result<Vec<StoredKsm>> {
        upk::list_ksm(&self.pool, wilayah).await
    }

    async fn ksm(&self, id: &str) -> Result<Option<StoredKsm>> {
        upk::ksm(&self.pool, id).await
    }

    async fn ksm_nik(&self, id: &str) -> Result<Option<DaftarNik>> {
        upk::ksm_nik(&self.pool, id).await
    }

    async fn list_tabungan(&self, wilayah: Option<&Kode>) -> Result<Vec<StoredTabungan>> {
        upk::list_tabungan(&self.pool, wilayah).await
    }

    async fn tabungan(&self, ksm: &str) -> Result<Option<StoredTabungan>> {
        upk::tabungan(&self.pool, ksm).await
    }

    async fn list_pinjaman(
        &self,
        wilayah: Option<&Kode>,
        ksm: Option<&str>,
    ) -> Result<Vec<StoredPinjaman>> {
        upk::list_pinjaman(&self.pool, wilayah, ksm).await
    }

    async fn pinjaman(&self, id: &str) -> Result<Option<StoredPinjaman>> {
        upk::pinjaman(&self.pool, id).await
    }

    async fn list_penagihan(&self, wilayah: Option<&Kode>) -> Result<Vec<StoredPenagihan>> {
        upk::list_penagihan(&self.pool, wilayah).await
    }

    async fn save_upk(&self, write: &UpkWrite<'_>) -> Result<UpkVersi> {
        upk::save(self.writer("saving the UPK's records")?, write).await
    }

    async fn save_upk_all(&self, writes: &[UpkWrite<'_>]) -> Result<Vec<UpkVersi>> {
        upk::save_all(self.writer("saving the UPK's records")?, writes).await
    }

    async fn save_siteplan(&self, write: &SiteplanWrite<'_>) -> Result<i64> {
        let action = format!("saving siteplan {}", write.siteplan.id());
        siteplan::save(self.writer(&action)?, write).await
    }

    async fn tile_indexes(&self) -> Result<Vec<crate::StoredTileIndex>> {
        crate::tile_index::list(&self.pool).await
    }

    async fn tile_index(&self, lapisan: &str) -> Result<Option<(crate::StoredTileIndex, Vec<u8>)>> {
        crate::tile_index::get(&self.pool, lapisan).await
    }

    async fn keep_tile_index(&self, index: &crate::StoredTileIndex, data: Vec<u8>) -> Result<()> {
        const ACTION: &str = "keeping a tile index";
        let mut conn = self.writer(ACTION)?.acquire().await.ctx(ACTION)?;
        let kept = crate::tile_index::keep(&mut *conn, index, data).await;
        // The writer's page cache (64 MiB, for large imports) would go on holding the
        // pages just written: tens of megabytes of a server's memory for nothing.
        sqlx::query("PRAGMA shrink_memory")
            .execute(&mut *conn)
            .await
            .ctx(ACTION)?;
        kept
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
        self.export_without_secrets(path).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{Geometry, Point, polygon};
    use sqlx::Row;

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

    /// Writes have a connection of their own: with every reader's connection held (a
    /// crowd of readers), a write still lands at once; and a reader's connection cannot
    /// write, so no write can slip into the readers' queue.
    #[tokio::test]
    async fn writes_never_wait_for_a_readers_connection() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = GpkgStore::open(&dir.path().join("f.gpkg"), OpenMode::CreateIfMissing)
            .await
            .unwrap();
        let mut held = Vec::new();
        for _ in 0..open::READERS {
            held.push(store.pool.acquire().await.unwrap());
        }
        let bukur = Place {
            kode: Kode::parse("35.19.09.2001").unwrap(),
            kode_bps: None,
            nama: "Bukur".into(),
            nama_alt: vec![],
            geometry: Some(geo_types::MultiPolygon(vec![
                polygon![(x: 1.0, y: 2.0), (x: 3.0, y: 2.0), (x: 3.0, y: 5.0)],
            ])),
            attributes: Default::default(),
        };
        let written = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            store.upsert_places(std::slice::from_ref(&bukur)),
        )
        .await
        .expect("the write waited for a reader's connection")
        .unwrap();
        assert_eq!(written.inserted, 1);

        let refused = sqlx::query("DELETE FROM desa")
            .execute(&mut *held[0])
            .await
            .unwrap_err();
        assert!(refused.to_string().contains("readonly"), "{refused}");
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM desa")
            .fetch_one(&mut *held[1])
            .await
            .unwrap();
        assert_eq!(n, 1);
    }
}
