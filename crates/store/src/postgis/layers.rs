//! Slum locations, road and drainage lines and assessments in PostGIS; as in the
//! GeoPackage, each location's latest assessment is copied onto `lokasi_kumuh`, so the
//! layer read by QGIS or `ogrinfo` shows its year, total, class and priority.

use geo::{Geodesic, Length};
use geo_types::Geometry;
use kumuh_domain::jaringan::Ruas;
use kumuh_domain::{Kode, LokasiKumuh};
use sqlx::{AssertSqlSafe, PgConnection};

use super::rows::{
    LOKASI_COLUMNS, RUAS_COLUMNS, assessment_from_row, lokasi_from_row, ruas_from_row, wkb,
};
use super::{PgStore, exists};
use crate::error::{DbContext, Result};
use crate::{AssessmentQuery, AssessmentRecord, UpsertReport};

pub(super) async fn upsert_lokasi(store: &PgStore, lokasi: &[LokasiKumuh]) -> Result<UpsertReport> {
    let mut tx = store.begin_write("writing slum locations").await?;
    let report = write_lokasi(&mut tx, lokasi).await?;
    tx.commit().await.ctx("committing slum locations")?;
    Ok(report)
}

/// Inserts or replaces slum locations inside the caller's transaction.
pub(super) async fn write_lokasi(
    tx: &mut PgConnection,
    lokasi: &[LokasiKumuh],
) -> Result<UpsertReport> {
    let mut report = UpsertReport::default();
    for l in lokasi {
        let rt: Vec<&str> = l.rt.iter().map(Kode::as_str).collect();
        let sql = if exists(&mut *tx, "lokasi_kumuh", "kode", &l.kode).await? {
            report.updated += 1;
            "UPDATE lokasi_kumuh SET geom = ST_Multi(ST_GeomFromWKB($1, 4326)), nama = $3,
               kode_desa = $4, kawasan = $5, rt = $6, sk_nomor = $7, sk_tanggal = $8,
               luas_ha = $9, atribut = $10
             WHERE kode = $2"
        } else {
            report.inserted += 1;
            "INSERT INTO lokasi_kumuh (geom, kode, nama, kode_desa, kawasan, rt, sk_nomor, sk_tanggal, luas_ha, atribut)
             VALUES (ST_Multi(ST_GeomFromWKB($1, 4326)), $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        };
        sqlx::query(sql)
            .bind(wkb(
                &Geometry::MultiPolygon(l.geometry.clone()),
                format!("slum location {}", l.kode),
            )?)
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
        refresh_latest(&mut *tx, &l.kode).await?;
    }
    Ok(report)
}

pub(super) async fn list_lokasi(
    store: &PgStore,
    kode_desa: Option<&Kode>,
) -> Result<Vec<LokasiKumuh>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {LOKASI_COLUMNS} FROM lokasi_kumuh WHERE ($1::text IS NULL OR kode_desa = $1)
         ORDER BY kode COLLATE \"C\""
    )))
    .bind(kode_desa.map(Kode::as_str))
    .fetch_all(&store.pool)
    .await
    .ctx("reading slum locations")?;
    rows.iter().map(lokasi_from_row).collect()
}

pub(super) async fn lokasi(store: &PgStore, kode: &str) -> Result<Option<LokasiKumuh>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {LOKASI_COLUMNS} FROM lokasi_kumuh WHERE kode = $1"
    )))
    .bind(kode)
    .fetch_optional(&store.pool)
    .await
    .ctx(format!("reading slum location {kode}"))?;
    row.map(|r| lokasi_from_row(&r)).transpose()
}

pub(super) async fn upsert_jaringan(store: &PgStore, ruas: &[Ruas]) -> Result<UpsertReport> {
    let mut tx = store.begin_write("writing road and drainage lines").await?;
    let report = write_jaringan(&mut tx, ruas).await?;
    tx.commit().await.ctx("committing lines")?;
    Ok(report)
}

/// Inserts or replaces lines inside the caller's transaction.
pub(super) async fn write_jaringan(tx: &mut PgConnection, ruas: &[Ruas]) -> Result<UpsertReport> {
    let mut report = UpsertReport::default();
    for r in ruas {
        let sql = if exists(&mut *tx, "jaringan", "kode", &r.kode).await? {
            report.updated += 1;
            "UPDATE jaringan SET geom = ST_Multi(ST_GeomFromWKB($1, 4326)), jenis = $3,
               kondisi = $4, contoh = $5, panjang_m = $6 WHERE kode = $2"
        } else {
            report.inserted += 1;
            "INSERT INTO jaringan (geom, kode, jenis, kondisi, contoh, panjang_m)
             VALUES (ST_Multi(ST_GeomFromWKB($1, 4326)), $2, $3, $4, $5, $6)"
        };
        sqlx::query(sql)
            .bind(wkb(
                &Geometry::MultiLineString(r.geometry.clone()),
                format!("line {}", r.kode),
            )?)
            .bind(&r.kode)
            .bind(r.jenis.as_str())
            .bind(r.kondisi.as_str())
            .bind(r.contoh)
            .bind(Geodesic.length(&r.geometry))
            .execute(&mut *tx)
            .await
            .ctx(format!("writing line {}", r.kode))?;
    }
    Ok(report)
}

pub(super) async fn jaringan(store: &PgStore, bbox: Option<[f64; 4]>) -> Result<Vec<Ruas>> {
    // As in the GeoPackage, whose R-tree holds no empty geometry, a line without one is
    // never listed.
    let b = bbox.unwrap_or([-180.0, -90.0, 180.0, 90.0]);
    let filter = if bbox.is_some() {
        "geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)"
    } else {
        "$1::float8 IS NOT NULL AND $2::float8 IS NOT NULL AND $3::float8 IS NOT NULL AND $4::float8 IS NOT NULL"
    };
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {RUAS_COLUMNS} FROM jaringan
         WHERE {filter} AND geom IS NOT NULL AND NOT ST_IsEmpty(geom)
         ORDER BY kode COLLATE \"C\""
    )))
    .bind(b[0])
    .bind(b[1])
    .bind(b[2])
    .bind(b[3])
    .fetch_all(&store.pool)
    .await
    .ctx("reading road and drainage lines")?;
    rows.iter().map(ruas_from_row).collect()
}

pub(super) async fn assessments(
    store: &PgStore,
    query: &AssessmentQuery,
) -> Result<Vec<AssessmentRecord>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT * FROM penilaian
         WHERE ($1::text IS NULL OR kode_desa = $1 OR starts_with(kode_desa, $1 || '.'))
           AND ($2::text IS NULL OR kode_lokasi = $2)
           AND ($3::int4 IS NULL OR tahun = $3)
         ORDER BY kode_lokasi COLLATE \"C\", {ASSESSMENT_ORDER}"
    )))
    .bind(query.wilayah.as_ref().map(Kode::as_str))
    .bind(&query.kode_lokasi)
    .bind(query.tahun.map(i32::from))
    .fetch_all(&store.pool)
    .await
    .ctx("reading assessments")?;
    rows.iter().map(assessment_from_row).collect()
}

/// Writes assessments, one per location, year and basis, and copies each location's
/// latest onto the slum-location layer.
pub(super) async fn write_assessments(
    conn: &mut PgConnection,
    records: &[AssessmentRecord],
) -> Result<UpsertReport> {
    let mut report = UpsertReport::default();
    for r in records {
        let existing: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM penilaian WHERE kode_lokasi = $1 AND tahun = $2 AND dasar = $3",
        )
        .bind(&r.kode_lokasi)
        .bind(i32::from(r.tahun))
        .bind(r.dasar.to_string())
        .fetch_one(&mut *conn)
        .await
        .ctx("looking up an assessment")?;
        let sql = if existing > 0 {
            report.updated += 1;
            "UPDATE penilaian SET nama_lokasi = $4, kode_desa = $5, aturan = $6,
               versi_aturan = $7, luas_ha = $8, total = $9, kelas = $10, prioritas = $11,
               hasil = $12, tanggal = $13, dicatat = kumuh_sekarang()
             WHERE kode_lokasi = $1 AND tahun = $2 AND dasar = $3"
        } else {
            report.inserted += 1;
            "INSERT INTO penilaian (kode_lokasi, tahun, dasar, nama_lokasi, kode_desa, aturan,
               versi_aturan, luas_ha, total, kelas, prioritas, hasil, tanggal)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        };
        sqlx::query(sql)
            .bind(&r.kode_lokasi)
            .bind(i32::from(r.tahun))
            .bind(r.dasar.to_string())
            .bind(&r.nama_lokasi)
            .bind(r.kode_desa.as_str())
            .bind(&r.rule_set_id)
            .bind(&r.rule_set_version)
            .bind(r.luas_ha)
            .bind(i64::from(r.total))
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
    for r in records {
        refresh_latest(conn, &r.kode_lokasi).await?;
    }
    Ok(report)
}

/// The order of a location's assessments, oldest first: by year, then by the date of an
/// evaluation within the year (a survey, without a date, comes first), then by entry.
const ASSESSMENT_ORDER: &str = "tahun, coalesce(tanggal, '') COLLATE \"C\", fid";

/// Copies the latest assessment of a slum location onto the `lokasi_kumuh` layer.
async fn refresh_latest(conn: &mut PgConnection, kode: &str) -> Result<()> {
    sqlx::query(
        "UPDATE lokasi_kumuh l SET
           tahun_penilaian = p.tahun, total_nilai = p.total, kelas = p.kelas,
           prioritas = p.prioritas
         FROM (SELECT $1::text AS kode) k
         LEFT JOIN LATERAL (
           SELECT tahun, total, kelas, prioritas FROM penilaian
           WHERE kode_lokasi = k.kode
           ORDER BY tahun DESC, coalesce(tanggal, '') COLLATE \"C\" DESC, fid DESC LIMIT 1
         ) p ON true
         WHERE l.kode = k.kode",
    )
    .bind(kode)
    .execute(conn)
    .await
    .ctx("copying the latest assessment onto the slum-location layer")?;
    Ok(())
}
