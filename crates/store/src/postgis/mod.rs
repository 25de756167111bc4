//! The shared backend: a PostgreSQL database with PostGIS, for several servers on one
//! atlas (selected with a `postgres://` store URL).
//!
//! It keeps the same tables as the GeoPackage (see [`schema`]) and behaves the same through
//! [`Store`]: every write is one transaction, versioned records change only on the
//! version they were read at, the audit log refuses UPDATE and DELETE, and triggers fill
//! the change feed whoever writes (another server, `psql`, QGIS).

mod foto;
mod layers;
mod load;
mod open;
mod peta_dasar;
mod places;
mod records;
mod rows;
mod schema;
mod upk;

use async_trait::async_trait;
use kumuh_domain::jaringan::Ruas;
use kumuh_domain::{Kode, LokasiKumuh, Place, PlaceSummary, User};
use sqlx::postgres::PgPool;
use sqlx::{PgConnection, Postgres, Transaction};

use crate::error::{DbContext, Result};
use crate::{
    AssessmentQuery, AssessmentRecord, AssessmentWriter, AuditEntry, AuditQuery, ChangeBatch,
    Credentials, FotoBaru, FotoBerkas, FotoQuery, KegiatanQuery, KegiatanWrite, LayerChange,
    NewAudit, PlaceQuery, SiteplanWrite, Store, StoreInfo, StoredFoto, StoredKegiatan,
    StoredSiteplan, Ukuran, UpsertReport,
};

pub use open::{create_database, is_postgres_url, redact_url, with_database};

/// A Kumuh store in a PostgreSQL database with PostGIS.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    /// The URL without its password, for messages and [`StoreInfo`].
    location: String,
}

impl PgStore {
    /// Where the store lives: its URL without the password.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Starts a write transaction.
    async fn begin_write(&self, action: &str) -> Result<Transaction<'static, Postgres>> {
        self.pool
            .begin()
            .await
            .ctx(format!("starting a transaction for {action}"))
    }
}

/// Failed sign-ins are kept in the database, so the count is the same for every server
/// on it.
#[async_trait]
impl crate::LoginFailureLog for PgStore {
    /// Counts a failed sign-in under `key` (a name at an address, an address) at
    /// `now_unix` and answers the count; failures are forgotten once `window_secs` pass
    /// without a new one, so the count then starts again at one.
    async fn record_login_failure(
        &self,
        key: &str,
        now_unix: i64,
        window_secs: i64,
    ) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(
            "INSERT INTO kumuh_gagal_masuk (kunci, jumlah, terakhir_unix) VALUES ($1, 1, $2)
             ON CONFLICT (kunci) DO UPDATE SET
               jumlah = CASE WHEN $2 - kumuh_gagal_masuk.terakhir_unix < $3
                             THEN kumuh_gagal_masuk.jumlah + 1 ELSE 1 END,
               terakhir_unix = $2
             RETURNING jumlah",
        )
        .bind(key)
        .bind(now_unix)
        .bind(window_secs)
        .fetch_one(&self.pool)
        .await
        .ctx("counting a failed sign-in")?;
        Ok(n.unsigned_abs())
    }

    /// The failures counted under `key` and when the last one was (Unix seconds), if
    /// the last came less than `window_secs` before `now_unix`.
    async fn login_failures(
        &self,
        key: &str,
        now_unix: i64,
        window_secs: i64,
    ) -> Result<Option<(u64, i64)>> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT jumlah, terakhir_unix FROM kumuh_gagal_masuk
             WHERE kunci = $1 AND $2 - terakhir_unix < $3",
        )
        .bind(key)
        .bind(now_unix)
        .bind(window_secs)
        .fetch_optional(&self.pool)
        .await
        .ctx("reading failed sign-ins")?;
        Ok(row.map(|(n, last)| (n.unsigned_abs(), last)))
    }

    /// Forgets the failures under `key` (after a successful sign-in).
    async fn clear_login_failures(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM kumuh_gagal_masuk WHERE kunci = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .ctx("clearing failed sign-ins")?;
        Ok(())
    }
}

/// Whether a row with `kode` exists in `table`.
async fn exists(conn: &mut PgConnection, table: &str, column: &str, kode: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM {table} WHERE {column} = $1"
    )))
    .bind(kode)
    .fetch_one(conn)
    .await
    .ctx(format!("looking up {kode} in {table}"))?;
    Ok(n > 0)
}

#[async_trait]
impl Store for PgStore {
    fn login_failure_log(&self) -> Option<&dyn crate::LoginFailureLog> {
        Some(self)
    }

    async fn info(&self) -> Result<StoreInfo> {
        let v: Option<i64> = sqlx::query_scalar("SELECT max(version) FROM kumuh_migrations")
            .fetch_one(&self.pool)
            .await
            .ctx("reading the schema version")?;
        Ok(StoreInfo {
            backend: "postgis",
            location: self.location.clone(),
            schema_version: v.unwrap_or(0),
        })
    }

    async fn list_places(&self, query: &PlaceQuery) -> Result<Vec<PlaceSummary>> {
        places::list_places(self, query).await
    }

    async fn places(&self, query: &PlaceQuery) -> Result<Vec<Place>> {
        places::places(self, query).await
    }

    async fn place_boxes(
        &self,
        level: kumuh_domain::Level,
    ) -> Result<Vec<(Kode, Option<[f64; 4]>)>> {
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
        let report = match write {
            crate::ImportWrite::Places(p) => places::write_places(&mut tx, p).await?,
            crate::ImportWrite::Lokasi(l) => layers::write_lokasi(&mut tx, l).await?,
            crate::ImportWrite::Jaringan(r) => layers::write_jaringan(&mut tx, r).await?,
        };
        records::append_audit_lines(&mut tx, audit, None).await?;
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
        let mut tx = self.begin_write("writing assessments").await?;
        let report = layers::write_assessments(&mut tx, records).await?;
        tx.commit().await.ctx("committing assessments")?;
        Ok(report)
    }

    async fn list_ksm(&self, wilayah: Option<&Kode>) -> Result<Vec<crate::StoredKsm>> {
        upk::list_ksm(&self.pool, wilayah).await
    }

    async fn ksm(&self, id: &str) -> Result<Option<crate::StoredKsm>> {
        upk::KSM.pg_get(&self.pool, id).await
    }

    async fn ksm_nik(&self, id: &str) -> Result<Option<kumuh_domain::upk::DaftarNik>> {
        upk::ksm_nik(&self.pool, id).await
    }

    async fn list_tabungan(&self, wilayah: Option<&Kode>) -> Result<Vec<crate::StoredTabungan>> {
        upk::list_tabungan(&self.pool, wilayah).await
    }

    async fn tabungan(&self, ksm: &str) -> Result<Option<crate::StoredTabungan>> {
        upk::TABUNGAN.pg_get(&self.pool, ksm).await
    }

    async fn list_pinjaman(
        &self,
        wilayah: Option<&Kode>,
        ksm: Option<&str>,
    ) -> Result<Vec<crate::StoredPinjaman>> {
        upk::list_pinjaman(&self.pool, wilayah, ksm).await
    }

    async fn pinjaman(&self, id: &str) -> Result<Option<crate::StoredPinjaman>> {
        upk::PINJAMAN.pg_get(&self.pool, id).await
    }

    async fn list_penagihan(&self, wilayah: Option<&Kode>) -> Result<Vec<crate::StoredPenagihan>> {
        upk::list_penagihan(&self.pool, wilayah).await
    }

    async fn save_upk(&self, write: &crate::UpkWrite<'_>) -> Result<crate::UpkVersi> {
        let mut tx = self.begin_write("saving the UPK's records").await?;
        let versi = upk::save(&mut tx, write).await?;
        tx.commit().await.ctx("committing the UPK's records")?;
        Ok(versi)
    }

    async fn save_upk_all(&self, writes: &[crate::UpkWrite<'_>]) -> Result<Vec<crate::UpkVersi>> {
        let mut tx = self.begin_write("saving the UPK's records").await?;
        let mut out = Vec::with_capacity(writes.len());
        for w in writes {
            out.push(upk::save(&mut tx, w).await?);
        }
        tx.commit().await.ctx("committing the UPK's records")?;
        Ok(out)
    }

    async fn begin_assessments(&self) -> Result<Box<dyn AssessmentWriter>> {
        let tx = self.begin_write("writing assessments").await?;
        Ok(Box::new(PgAssessmentWriter {
            tx,
            report: UpsertReport::default(),
        }))
    }

    async fn assessments(&self, query: &AssessmentQuery) -> Result<Vec<AssessmentRecord>> {
        layers::assessments(self, query).await
    }

    async fn list_kegiatan(&self, query: &KegiatanQuery) -> Result<Vec<StoredKegiatan>> {
        records::list_kegiatan(&self.pool, query).await
    }

    async fn kegiatan(&self, id: &str) -> Result<Option<StoredKegiatan>> {
        records::KEGIATAN.pg_get(&self.pool, id).await
    }

    async fn save_kegiatan(&self, write: &KegiatanWrite<'_>) -> Result<i64> {
        let action = format!("saving kegiatan {}", write.kegiatan.id());
        let mut tx = self.begin_write(&action).await?;
        let versi = records::save_kegiatan(&mut tx, write).await?;
        tx.commit().await.ctx(action)?;
        Ok(versi)
    }

    async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        records::audit(&self.pool, query).await
    }

    async fn save_foto(&self, f: &FotoBaru<'_>) -> Result<StoredFoto> {
        foto::save(&self.pool, f).await
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
        foto::delete(&self.pool, id, audit).await
    }

    async fn save_peta_dasar(
        &self,
        peta: &crate::PetaDasarBaru<'_>,
        ubin: &mut dyn crate::SumberUbin,
    ) -> Result<crate::PetaDasar> {
        peta_dasar::save(&self.pool, peta, ubin).await
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
        peta_dasar::delete(&self.pool, nama, audit).await
    }

    async fn list_siteplan(&self, wilayah: Option<&Kode>) -> Result<Vec<StoredSiteplan>> {
        records::list_siteplan(&self.pool, wilayah).await
    }

    async fn siteplan(&self, id: &str) -> Result<Option<StoredSiteplan>> {
        records::SITEPLAN.pg_get(&self.pool, id).await
    }

    async fn save_siteplan(&self, write: &SiteplanWrite<'_>) -> Result<i64> {
        let action = format!("saving siteplan {}", write.siteplan.id());
        let mut tx = self.begin_write(&action).await?;
        let revisi = records::save_siteplan(&mut tx, write).await?;
        tx.commit().await.ctx(action)?;
        Ok(revisi)
    }

    async fn tile_indexes(&self) -> Result<Vec<crate::StoredTileIndex>> {
        crate::tile_index::list(&self.pool).await
    }

    async fn tile_index(&self, lapisan: &str) -> Result<Option<(crate::StoredTileIndex, Vec<u8>)>> {
        // On a connection of its own, closed after: the connection's receive buffer grows
        // to the largest row it read (tens of megabytes) and would stay so in the pool.
        let mut conn = self
            .pool
            .acquire()
            .await
            .ctx("reading the kept tile indexes")?;
        let read = crate::tile_index::get(&mut *conn, lapisan).await;
        conn.close_on_drop();
        read
    }

    async fn keep_tile_index(&self, index: &crate::StoredTileIndex, data: Vec<u8>) -> Result<()> {
        // On a connection of its own, closed after, for the same reason as reading.
        let mut conn = self.pool.acquire().await.ctx("keeping the tile indexes")?;
        let kept = crate::tile_index::keep(&mut *conn, index, data).await;
        conn.close_on_drop();
        kept
    }

    async fn changes_since(&self, after: i64, limit: u32) -> Result<ChangeBatch> {
        // One snapshot: the newest id, how far the feed was pruned and the rows agree.
        let mut tx = self.pool.begin().await.ctx("reading the change feed")?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await
            .ctx("reading the change feed")?;
        let (latest, pruned): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT coalesce(max(id), 0) FROM kumuh_perubahan),
                    (SELECT sampai FROM kumuh_perubahan_pangkas)",
        )
        .fetch_one(&mut *tx)
        .await
        .ctx("reading the change feed")?;
        let gap = pruned > after && latest > after;
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, lapisan, kunci FROM kumuh_perubahan WHERE id > $1 ORDER BY id LIMIT $2",
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

    async fn export_copy(&self, path: &std::path::Path) -> Result<()> {
        crate::copy::export_to_gpkg(self, path).await
    }
}

/// The open transaction of a batched assessment write; dropping it rolls back.
struct PgAssessmentWriter {
    tx: Transaction<'static, Postgres>,
    report: UpsertReport,
}

impl std::fmt::Debug for PgAssessmentWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgAssessmentWriter")
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl AssessmentWriter for PgAssessmentWriter {
    async fn write(&mut self, records: &[AssessmentRecord]) -> Result<()> {
        let batch = layers::write_assessments(&mut self.tx, records).await?;
        self.report.inserted += batch.inserted;
        self.report.updated += batch.updated;
        Ok(())
    }

    async fn commit(self: Box<Self>) -> Result<UpsertReport> {
        self.tx.commit().await.ctx("committing assessments")?;
        Ok(self.report)
    }
}
