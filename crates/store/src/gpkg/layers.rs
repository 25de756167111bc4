//! The other map layers and what is stored about them: slum locations
//! (`lokasi_kumuh`), road and drainage lines (`jaringan`), and assessments
//! (`penilaian`), whose latest per location is copied onto the slum-location layer.

use geo::{Geodesic, Length};
use geo_types::Geometry;
use kumuh_domain::jaringan::Ruas;
use kumuh_domain::{Kode, LokasiKumuh};
use sqlx::{AssertSqlSafe, Sqlite, SqliteConnection, Transaction};

use super::rows::{assessment_from_row, encode_multipolygon, lokasi_from_row, ruas_from_row};
use super::{GpkgStore, blob, exists, touch_contents};
use crate::error::{DbContext, Result, StoreError};
use crate::{AssessmentQuery, AssessmentRecord, AssessmentWriter, UpsertReport};

pub(super) async fn upsert_lokasi(
    store: &GpkgStore,
    lokasi: &[LokasiKumuh],
) -> Result<UpsertReport> {
    let mut tx = store.begin_write("writing slum locations").await?;
    let report = write_lokasi(&mut tx, lokasi).await?;
    tx.commit().await.ctx("committing slum locations")?;
    Ok(report)
}

/// Inserts or replaces slum locations inside the caller's transaction.
pub(super) async fn write_lokasi(
    tx: &mut SqliteConnection,
    lokasi: &[LokasiKumuh],
) -> Result<UpsertReport> {
    let mut report = UpsertReport::default();
    for l in lokasi {
        let rt: Vec<&str> = l.rt.iter().map(Kode::as_str).collect();
        let sql = if exists(&mut *tx, "lokasi_kumuh", &l.kode).await? {
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
        refresh_latest(&mut *tx, Some(&l.kode)).await?;
    }
    touch_contents(&mut *tx, "lokasi_kumuh").await?;
    Ok(report)
}

pub(super) async fn list_lokasi(
    store: &GpkgStore,
    kode_desa: Option<&Kode>,
) -> Result<Vec<LokasiKumuh>> {
    let rows = sqlx::query(
        "SELECT * FROM lokasi_kumuh WHERE (?1 IS NULL OR kode_desa = ?1) ORDER BY kode",
    )
    .bind(kode_desa.map(Kode::as_str))
    .fetch_all(&store.pool)
    .await
    .ctx("reading slum locations")?;
    rows.iter().map(lokasi_from_row).collect()
}

pub(super) async fn lokasi(store: &GpkgStore, kode: &str) -> Result<Option<LokasiKumuh>> {
    let row = sqlx::query("SELECT * FROM lokasi_kumuh WHERE kode = ?")
        .bind(kode)
        .fetch_optional(&store.pool)
        .await
        .ctx(format!("reading slum location {kode}"))?;
    row.map(|r| lokasi_from_row(&r)).transpose()
}

pub(super) async fn upsert_jaringan(store: &GpkgStore, ruas: &[Ruas]) -> Result<UpsertReport> {
    let mut tx = store.begin_write("writing road and drainage lines").await?;
    let report = write_jaringan(&mut tx, ruas).await?;
    tx.commit().await.ctx("committing lines")?;
    Ok(report)
}

/// Inserts or replaces lines inside the caller's transaction.
pub(super) async fn write_jaringan(
    tx: &mut SqliteConnection,
    ruas: &[Ruas],
) -> Result<UpsertReport> {
    let mut report = UpsertReport::default();
    for r in ruas {
        let sql = if exists(&mut *tx, "jaringan", &r.kode).await? {
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
    touch_contents(&mut *tx, "jaringan").await?;
    Ok(report)
}

pub(super) async fn jaringan(store: &GpkgStore, bbox: Option<[f64; 4]>) -> Result<Vec<Ruas>> {
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
    .fetch_all(&store.pool)
    .await
    .ctx("reading road and drainage lines")?;
    rows.iter().map(ruas_from_row).collect()
}

pub(super) async fn upsert_assessments(
    store: &GpkgStore,
    records: &[AssessmentRecord],
) -> Result<UpsertReport> {
    let mut tx = store.begin_write("writing assessments").await?;
    let report = write_assessments(&mut tx, records).await?;
    tx.commit().await.ctx("committing assessments")?;
    Ok(report)
}

pub(super) async fn begin_assessments(store: &GpkgStore) -> Result<Box<dyn AssessmentWriter>> {
    let tx = store.begin_write("writing assessments").await?;
    Ok(Box::new(GpkgAssessmentWriter {
        tx,
        report: UpsertReport::default(),
    }))
}

/// The open transaction of a batched assessment write; dropping it rolls back.
struct GpkgAssessmentWriter {
    tx: Transaction<'static, Sqlite>,
    report: UpsertReport,
}

impl std::fmt::Debug for GpkgAssessmentWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GpkgAssessmentWriter")
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl AssessmentWriter for GpkgAssessmentWriter {
    async fn write(&mut self, records: &[AssessmentRecord]) -> Result<()> {
        let batch = write_assessments(&mut self.tx, records).await?;
        self.report.inserted += batch.inserted;
        self.report.updated += batch.updated;
        Ok(())
    }

    async fn commit(self: Box<Self>) -> Result<UpsertReport> {
        self.tx.commit().await.ctx("committing assessments")?;
        Ok(self.report)
    }
}

pub(super) async fn assessments(
    store: &GpkgStore,
    query: &AssessmentQuery,
) -> Result<Vec<AssessmentRecord>> {
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
    .fetch_all(&store.pool)
    .await
    .ctx("reading assessments")?;
    rows.iter().map(assessment_from_row).collect()
}

/// Copies the latest assessment of slum locations onto the `lokasi_kumuh` layer.
/// Writes assessments, one per location, year and basis, and copies each location's
/// latest onto the slum-location layer.
pub(super) async fn write_assessments(
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
        .bind(r.dasar.to_string())
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
            .bind(r.dasar.to_string())
            .bind(&r.nama_lokasi)
            .bind(r.kode_desa.as_str())
            .bind(&r.rule_set_id)
            .bind(&r.rule_set_version)
            .bind(r.luas_ha)
            .bind(r.total)
            .bind(r.class.as_str())
            .bind(&r.priority)
            .bind(r.result_json().to_string())
            .bind(&r.tanggal)
            .execute(&mut *conn)
            .await
            .ctx(format!(
                "writing the {} assessment of {}",
                r.tahun, r.kode_lokasi
            ))?;
    }
    // Each location once: its latest is read from the table as the writes above left it.
    let touched: std::collections::BTreeSet<&str> =
        records.iter().map(|r| r.kode_lokasi.as_str()).collect();
    for kode in touched {
        refresh_latest(conn, Some(kode)).await?;
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
