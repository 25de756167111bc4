//! Works in the GeoPackage: the `kegiatan` table (each work whole, as checked JSON, with
//! a version), the derived `kegiatan_segmen` layer, and the append-only `kumuh_audit`.
//!
//! A change is one conditional `UPDATE … WHERE versi = ?` issued first in its
//! transaction: it takes SQLite's write lock at once, so two changes made on the same
//! version cannot both pass, and the loser learns the current version.

use kumuh_domain::Kode;
use kumuh_domain::works::{Kegiatan, Ratio};
use sqlx::{Row, SqliteConnection, SqlitePool};

use super::layers::write_assessments;
use super::versioned::Versioned;
use super::{blob, json_field, touch_contents};
use crate::error::{DbContext, Result, StoreError};
use crate::{AuditEntry, AuditQuery, KegiatanQuery, KegiatanWrite, StoredKegiatan};

/// Works: the JSON in `data`, numbered by `versi`.
pub(crate) const KEGIATAN: Versioned<Kegiatan, StoredKegiatan> = Versioned {
    table: "kegiatan",
    key: "id",
    version: "versi",
    json: "data",
    columns: &["kode_desa", "tahun", "nama", "jenis", "status", "contoh"],
    what: "kegiatan",
    noun: "work",
    version_noun: "version",
    on_exists: "change it instead",
    stored: |kegiatan, versi, diubah| StoredKegiatan {
        kegiatan,
        versi,
        diubah,
    },
};

pub(super) async fn list(pool: &SqlitePool, query: &KegiatanQuery) -> Result<Vec<StoredKegiatan>> {
    KEGIATAN
        .list(
            pool,
            "WHERE (?1 IS NULL OR kode_desa = ?1 OR kode_desa LIKE ?1 || '.%')
               AND (?2 IS NULL OR tahun = ?2)
             ORDER BY kode_desa, id",
            |q| {
                q.bind(query.wilayah.as_ref().map(Kode::as_str))
                    .bind(query.tahun)
            },
        )
        .await
}

pub(super) async fn get(pool: &SqlitePool, id: &str) -> Result<Option<StoredKegiatan>> {
    KEGIATAN.get(pool, id).await
}

pub(super) async fn save(pool: &SqlitePool, w: &KegiatanWrite<'_>) -> Result<i64> {
    let mut tx = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .ctx("starting a transaction")?;
    let versi = save_in(&mut tx, w).await?;
    tx.commit().await.ctx(format!(
        "committing {}",
        KEGIATAN.what(w.kegiatan.id().as_str())
    ))?;
    Ok(versi)
}

/// Writes a work with its segments, audit lines, evaluations and line conditions inside
/// the caller's transaction; answers the new version.
pub(super) async fn save_in(tx: &mut SqliteConnection, w: &KegiatanWrite<'_>) -> Result<i64> {
    let k = w.kegiatan;
    let id = k.id().as_str();
    let data = KEGIATAN.encode(id, k)?;
    let versi = KEGIATAN
        .write(&mut *tx, id, w.versi, data, |q| {
            q.bind(k.kode_desa().as_str())
                .bind(k.tahun())
                .bind(&k.nama)
                .bind(k.jenis.as_str())
                .bind(k.status().as_str())
                .bind(k.contoh)
        })
        .await?;
    write_segments(&mut *tx, k).await?;
    super::foto::follow_work(&mut *tx, id, k.kode_desa().as_str()).await?;
    append_audit(&mut *tx, &w.audit, versi).await?;
    write_assessments(&mut *tx, &w.penilaian).await?;
    for (kode, kondisi) in &w.kondisi_jaringan {
        let changed = sqlx::query("UPDATE jaringan SET kondisi = ? WHERE kode = ?")
            .bind(kondisi.as_str())
            .bind(kode)
            .execute(&mut *tx)
            .await
            .ctx(format!("writing the condition of line {kode}"))?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("line {kode}")));
        }
    }
    Ok(versi)
}

/// Appends audit lines, each stamped with the version the change produced.
pub(super) async fn append_audit(
    conn: &mut SqliteConnection,
    lines: &[crate::NewAudit],
    versi: i64,
) -> Result<()> {
    append_audit_lines(conn, lines, Some(versi)).await
}

/// Appends audit lines stamped with a version, or with none for things that have no
/// versions (places).
pub(super) async fn append_audit_lines(
    conn: &mut SqliteConnection,
    lines: &[crate::NewAudit],
    versi: Option<i64>,
) -> Result<()> {
    for a in lines {
        sqlx::query(
            "INSERT INTO kumuh_audit (pengguna, entitas, kunci, aksi, versi, sebelum, sesudah)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&a.pengguna)
        .bind(&a.entitas)
        .bind(&a.kunci)
        .bind(&a.aksi)
        .bind(versi)
        .bind(a.sebelum.as_ref().map(serde_json::Value::to_string))
        .bind(a.sesudah.as_ref().map(serde_json::Value::to_string))
        .execute(&mut *conn)
        .await
        .ctx("appending to the audit log")?;
    }
    Ok(())
}

fn percent(r: Option<Ratio>) -> Option<f64> {
    r.map(Ratio::percent)
}

/// Rewrites the work's rows of the segment layer from the work.
async fn write_segments(conn: &mut SqliteConnection, k: &Kegiatan) -> Result<()> {
    let id = k.id().as_str();
    sqlx::query("DELETE FROM kegiatan_segmen WHERE kegiatan_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await
        .ctx(format!("clearing the segments of kegiatan {id}"))?;
    let summary = k
        .summary()
        .map_err(|e| StoreError::Invalid(format!("kegiatan {id}: {e}")))?;
    for (s, sum) in k.segmen().iter().zip(&summary.segmen) {
        let geom = blob::encode(s.geometry())
            .map_err(|e| StoreError::Invalid(format!("kegiatan {id} {}: {e}", s.label())))?;
        let kriteria: Vec<&str> = s.kriteria.iter().map(|c| c.as_str()).collect();
        sqlx::query(
            "INSERT INTO kegiatan_segmen (geom, kegiatan_id, segmen_id, kode_desa, tahun,
               kegiatan, segmen, jenis, status, sumber_utama, alokasi_rp,
               alokasi_tidak_diketahui, realisasi_rp, progres_fisik_persen,
               progres_keuangan_persen, volume_rencana, satuan, terukur, kondisi_sebelum,
               kondisi_sesudah, kriteria, kode_lokasi, contoh)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(geom)
        .bind(id)
        .bind(s.id().as_str())
        .bind(k.kode_desa().as_str())
        .bind(k.tahun())
        .bind(&k.nama)
        .bind(&s.nama)
        .bind(k.jenis.as_str())
        .bind(s.status().as_str())
        .bind(sum.sumber_utama().map(|x| x.as_str()))
        .bind(sum.alokasi.diketahui_rp.get())
        .bind(i64::try_from(sum.alokasi.tidak_diketahui).unwrap_or(i64::MAX))
        .bind(sum.realisasi_rp.get())
        .bind(percent(sum.progres_fisik))
        .bind(percent(sum.progres_keuangan))
        .bind(s.volume_rencana().map(|v| v.as_f64()))
        .bind(s.satuan().as_str())
        .bind(s.measured().map(|t| t.value()))
        .bind(s.kondisi_sebelum.map(kondisi))
        .bind(s.kondisi_sesudah.map(kondisi))
        .bind(kriteria.join(","))
        .bind(&s.kode_lokasi)
        .bind(k.contoh)
        .execute(&mut *conn)
        .await
        .ctx(format!("writing kegiatan {id} {}", s.label()))?;
    }
    touch_contents(conn, "kegiatan_segmen").await
}

fn kondisi(k: kumuh_domain::works::KondisiSegmen) -> &'static str {
    k.as_str()
}

pub(super) async fn audit(pool: &SqlitePool, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT * FROM kumuh_audit
         WHERE (?1 IS NULL OR kunci = ?1 OR kunci LIKE ?1 || '/%')
           AND (?2 IS NULL OR fid < ?2)
         ORDER BY fid DESC LIMIT ?3",
    )
    .bind(&q.kunci)
    .bind(q.sebelum_id)
    .bind(q.limit)
    .fetch_all(pool)
    .await
    .ctx("reading the audit log")?;
    rows.iter()
        .map(|row| {
            let fid: i64 = row.get("fid");
            let json = |field: &'static str| -> Result<Option<serde_json::Value>> {
                let text: Option<String> = row.get(field);
                text.map(|t| json_field("kumuh_audit", fid, field, &t))
                    .transpose()
            };
            Ok(AuditEntry {
                id: fid,
                waktu: row.get("waktu"),
                pengguna: row.get("pengguna"),
                entitas: row.get("entitas"),
                kunci: row.get("kunci"),
                aksi: row.get("aksi"),
                versi: row.get("versi"),
                sebelum: json("sebelum")?,
                sesudah: json("sesudah")?,
            })
        })
        .collect()
}
