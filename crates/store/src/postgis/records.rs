//! Records kept whole with a version (works in `kegiatan`, siteplans in `siteplan`), the
//! layers derived from them (`kegiatan_segmen`, `siteplan_fitur`) and the append-only
//! audit log, in PostgreSQL.
//!
//! A change is one conditional `UPDATE … WHERE versi = $2`: PostgreSQL makes a second
//! change of the same row wait for the first to commit and then re-checks the condition
//! on the new row, so two changes made on the same version cannot both pass, and the
//! loser learns the current version.

use geo_types::Geometry;
use kumuh_domain::Kode;
use kumuh_domain::works::{Kegiatan, Ratio};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::postgres::{PgArguments, PgPool, PgRow};
use sqlx::query::Query;
use sqlx::{AssertSqlSafe, PgConnection, Postgres, Row};

use super::layers::write_assessments;
use super::rows::wkb;
use crate::error::{DbContext, Result, StoreError};
use crate::gpkg::rows::json_field;
use crate::gpkg::versioned::Versioned;
use crate::{
    AuditEntry, AuditQuery, KegiatanQuery, KegiatanWrite, NewAudit, SiteplanWrite, StoredKegiatan,
    StoredSiteplan,
};

pub(super) use crate::gpkg::siteplan::SITEPLAN;
pub(super) use crate::gpkg::works::KEGIATAN;

/// A query to which a caller binds its own parameters.
type PgQuery = Query<'static, Postgres, PgArguments>;

impl<T: Serialize + DeserializeOwned, S> Versioned<T, S> {
    fn pg_select(&self, rest: &str) -> AssertSqlSafe<String> {
        AssertSqlSafe(format!(
            "SELECT fid, {}, {}, diubah FROM {} {rest}",
            self.version, self.json, self.table
        ))
    }

    fn pg_read(&self, row: &PgRow) -> Result<S> {
        let fid: i64 = row.get("fid");
        let value = json_field(self.table, fid, self.json, row.get(self.json))?;
        Ok((self.stored)(
            value,
            row.get(self.version),
            row.get("diubah"),
        ))
    }

    /// The records `filter` selects (the SQL after `FROM table`), in its order.
    pub(super) async fn pg_list(
        &self,
        pool: &PgPool,
        filter: &str,
        bind: impl FnOnce(PgQuery) -> PgQuery,
    ) -> Result<Vec<S>> {
        let rows = bind(sqlx::query(self.pg_select(filter)))
            .fetch_all(pool)
            .await
            .ctx(format!("reading {}s", self.noun))?;
        rows.iter().map(|row| self.pg_read(row)).collect()
    }

    /// The record named `key`, if there is one.
    pub(super) async fn pg_get(&self, pool: &PgPool, key: &str) -> Result<Option<S>> {
        let row = sqlx::query(self.pg_select(&format!("WHERE {} = $1", self.key)))
            .bind(key)
            .fetch_optional(pool)
            .await
            .ctx(format!("reading {} {key}", self.noun))?;
        row.as_ref().map(|row| self.pg_read(row)).transpose()
    }

    /// Writes the record as the GeoPackage's `Versioned::write` does: created at version
    /// 1 (`Conflict` if the key is taken), or changed only if still at `expected`
    /// (`Stale` if it moved on, `NotFound` if it is gone).
    pub(super) async fn pg_write(
        &self,
        conn: &mut PgConnection,
        key: &str,
        expected: Option<i64>,
        data: String,
        bind: impl FnOnce(PgQuery) -> PgQuery,
    ) -> Result<i64> {
        let (table, k, v, json) = (self.table, self.key, self.version, self.json);
        let what = self.what(key);
        let n = self.columns.len();
        let Some(expected) = expected else {
            // $1 is the key, the copied columns follow, the JSON comes last.
            let columns = self.columns.join(", ");
            let params: String = (2..n + 2).map(|i| format!("${i}, ")).collect();
            let sql = format!(
                "INSERT INTO {table} ({k}, {columns}, {v}, {json}) VALUES ($1, {params}1, ${})
                 ON CONFLICT ({k}) DO NOTHING",
                n + 2
            );
            let done = bind(sqlx::query(AssertSqlSafe(sql)).bind(key.to_owned()))
                .bind(data)
                .execute(&mut *conn)
                .await
                .ctx(format!("writing {what}"))?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(format!(
                    "{what} already exists; {}, or choose another id",
                    self.on_exists
                )));
            }
            return Ok(1);
        };
        // $1 is the key, $2 the expected version, the copied columns follow, the JSON
        // comes last.
        let set: String = (self.columns.iter().zip(3..))
            .map(|(c, i)| format!("{c} = ${i}, "))
            .collect();
        let sql = format!(
            "UPDATE {table} SET {set}{json} = ${}, {v} = {v} + 1, diubah = kumuh_sekarang()
             WHERE {k} = $1 AND {v} = $2",
            n + 3
        );
        let query = sqlx::query(AssertSqlSafe(sql))
            .bind(key.to_owned())
            .bind(expected);
        let done = bind(query)
            .bind(data)
            .execute(&mut *conn)
            .await
            .ctx(format!("writing {what}"))?;
        if done.rows_affected() == 0 {
            let current: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT {v} FROM {table} WHERE {k} = $1"
            )))
            .bind(key)
            .fetch_optional(&mut *conn)
            .await
            .ctx(format!("reading the {} of {what}", self.version_noun))?;
            return Err(match current {
                Some(current) => StoreError::Stale {
                    what,
                    expected,
                    current,
                },
                None => StoreError::NotFound(what),
            });
        }
        Ok(expected + 1)
    }
}

/// Records of a place: a desa, or any place above it (a prefix of the code).
const IN_PLACE: &str = "($1::text IS NULL OR kode_desa = $1 OR starts_with(kode_desa, $1 || '.'))";

pub(super) async fn list_kegiatan(
    pool: &PgPool,
    query: &KegiatanQuery,
) -> Result<Vec<StoredKegiatan>> {
    KEGIATAN
        .pg_list(
            pool,
            &format!(
                "WHERE {IN_PLACE} AND ($2::int4 IS NULL OR tahun = $2)
                 ORDER BY kode_desa COLLATE \"C\", id COLLATE \"C\""
            ),
            |q| {
                q.bind(query.wilayah.as_ref().map(|k| k.as_str().to_owned()))
                    .bind(query.tahun.map(i32::from))
            },
        )
        .await
}

pub(super) async fn list_siteplan(
    pool: &PgPool,
    wilayah: Option<&Kode>,
) -> Result<Vec<StoredSiteplan>> {
    SITEPLAN
        .pg_list(
            pool,
            &format!("WHERE {IN_PLACE} ORDER BY kode_desa COLLATE \"C\", id COLLATE \"C\""),
            |q| q.bind(wilayah.map(|k| k.as_str().to_owned())),
        )
        .await
}

/// Writes a work with its segments, audit lines, evaluations and line conditions inside
/// the caller's transaction; answers the new version.
pub(super) async fn save_kegiatan(conn: &mut PgConnection, w: &KegiatanWrite<'_>) -> Result<i64> {
    let k = w.kegiatan;
    let id = k.id().as_str();
    let data = KEGIATAN.encode(id, k)?;
    let (desa, nama) = (k.kode_desa().as_str().to_owned(), k.nama.clone());
    let (jenis, status) = (k.jenis.as_str(), k.status().as_str());
    let versi = KEGIATAN
        .pg_write(conn, id, w.versi, data, |q| {
            q.bind(desa)
                .bind(i32::from(k.tahun()))
                .bind(nama)
                .bind(jenis)
                .bind(status)
                .bind(k.contoh)
        })
        .await?;
    write_segments(conn, k).await?;
    super::foto::follow_work(conn, id, k.kode_desa().as_str()).await?;
    append_audit_lines(conn, &w.audit, Some(versi)).await?;
    write_assessments(conn, &w.penilaian).await?;
    for (kode, kondisi) in &w.kondisi_jaringan {
        let changed = sqlx::query("UPDATE jaringan SET kondisi = $1 WHERE kode = $2")
            .bind(kondisi.as_str())
            .bind(kode)
            .execute(&mut *conn)
            .await
            .ctx(format!("writing the condition of line {kode}"))?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("line {kode}")));
        }
    }
    Ok(versi)
}

/// Writes a siteplan with its features and audit lines inside the caller's
/// transaction; answers the new revision.
pub(super) async fn save_siteplan(conn: &mut PgConnection, w: &SiteplanWrite<'_>) -> Result<i64> {
    let sp = w.siteplan;
    let id = sp.id().as_str();
    let data = SITEPLAN.encode(id, sp)?;
    let (desa, judul) = (sp.kode_desa().as_str().to_owned(), sp.judul().to_owned());
    let status = sp.status().as_str();
    let revisi = SITEPLAN
        .pg_write(conn, id, w.revisi, data, |q| {
            q.bind(desa)
                .bind(judul)
                .bind(status)
                .bind(sp.contoh())
                .bind(i64::from(sp.current_versi()))
        })
        .await?;
    write_features(conn, sp).await?;
    append_audit_lines(conn, &w.audit, Some(revisi)).await?;
    Ok(revisi)
}

/// Appends audit lines stamped with a version, or with none for things that have no
/// versions (places).
pub(super) async fn append_audit_lines(
    conn: &mut PgConnection,
    lines: &[NewAudit],
    versi: Option<i64>,
) -> Result<()> {
    for a in lines {
        sqlx::query(
            "INSERT INTO kumuh_audit (pengguna, entitas, kunci, aksi, versi, sebelum, sesudah)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
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
async fn write_segments(conn: &mut PgConnection, k: &Kegiatan) -> Result<()> {
    let id = k.id().as_str();
    sqlx::query("DELETE FROM kegiatan_segmen WHERE kegiatan_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .ctx(format!("clearing the segments of kegiatan {id}"))?;
    let summary = k
        .summary()
        .map_err(|e| StoreError::Invalid(format!("kegiatan {id}: {e}")))?;
    for (s, sum) in k.segmen().iter().zip(&summary.segmen) {
        let geom = wkb(s.geometry(), format!("kegiatan {id} {}", s.label()))?;
        let kriteria: Vec<&str> = s.kriteria.iter().map(|c| c.as_str()).collect();
        sqlx::query(
            "INSERT INTO kegiatan_segmen (geom, kegiatan_id, segmen_id, kode_desa, tahun,
               kegiatan, segmen, jenis, status, sumber_utama, alokasi_rp,
               alokasi_tidak_diketahui, realisasi_rp, progres_fisik_persen,
               progres_keuangan_persen, volume_rencana, satuan, terukur, kondisi_sebelum,
               kondisi_sesudah, kriteria, kode_lokasi, contoh)
             VALUES (ST_GeomFromWKB($1, 4326), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
               $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)",
        )
        .bind(geom)
        .bind(id)
        .bind(s.id().as_str())
        .bind(k.kode_desa().as_str())
        .bind(i32::from(k.tahun()))
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
        .bind(s.kondisi_sebelum.map(|c| c.as_str()))
        .bind(s.kondisi_sesudah.map(|c| c.as_str()))
        .bind(kriteria.join(","))
        .bind(&s.kode_lokasi)
        .bind(k.contoh)
        .execute(&mut *conn)
        .await
        .ctx(format!("writing kegiatan {id} {}", s.label()))?;
    }
    Ok(())
}

/// Rewrites the siteplan's rows of the feature layer from its current version.
async fn write_features(
    conn: &mut PgConnection,
    sp: &kumuh_domain::siteplan::Siteplan,
) -> Result<()> {
    let id = sp.id().as_str();
    sqlx::query("DELETE FROM siteplan_fitur WHERE siteplan_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .ctx(format!("clearing the features of siteplan {id}"))?;
    let current = sp.current();
    for f in &current.fitur {
        let geom: &Geometry<f64> = &f.geometry;
        let geom = wkb(geom, format!("siteplan {id} feature {}", f.id))?;
        sqlx::query(
            "INSERT INTO siteplan_fitur (geom, siteplan_id, fitur_id, kode_desa, versi, kategori,
               label, catatan, contoh)
             VALUES (ST_GeomFromWKB($1, 4326), $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(geom)
        .bind(id)
        .bind(f.id.as_str())
        .bind(sp.kode_desa().as_str())
        .bind(i64::from(current.versi))
        .bind(f.kategori.as_str())
        .bind(&f.label)
        .bind(&f.catatan)
        .bind(sp.contoh())
        .execute(&mut *conn)
        .await
        .ctx(format!("writing siteplan {id} feature {}", f.id))?;
    }
    Ok(())
}

pub(super) async fn audit(pool: &PgPool, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT * FROM kumuh_audit
         WHERE ($1::text IS NULL OR kunci = $1 OR starts_with(kunci, $1 || '/'))
           AND ($2::int8 IS NULL OR fid < $2)
         ORDER BY fid DESC LIMIT $3",
    )
    .bind(&q.kunci)
    .bind(q.sebelum_id)
    .bind(i64::from(q.limit))
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
