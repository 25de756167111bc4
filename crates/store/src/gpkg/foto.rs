//! Photos of work segments in the GeoPackage: the attributes table `kegiatan_foto`, the
//! photo and its thumbnail as blobs beside their facts.

use sqlx::{AssertSqlSafe, SqliteConnection, SqlitePool};

use super::works::append_audit_lines;
use crate::error::{DbContext, Result, StoreError};
use crate::foto::{FOLLOW_DESA, FOTO_COLUMNS, FotoRow, ORPHANS, audit_of};
use crate::{FotoBaru, FotoBerkas, FotoCopy, FotoQuery, NewAudit, StoredFoto, Ukuran};

fn select(rest: &str) -> AssertSqlSafe<String> {
    AssertSqlSafe(format!("SELECT {FOTO_COLUMNS} FROM kegiatan_foto {rest}"))
}

pub(super) async fn save(pool: &SqlitePool, f: &FotoBaru<'_>) -> Result<StoredFoto> {
    let what = format!("a photo of kegiatan {} {}", f.kegiatan_id, f.segmen_id);
    let mut tx = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .ctx(format!("starting a transaction for {what}"))?;
    let work: Option<i64> = sqlx::query_scalar("SELECT fid FROM kegiatan WHERE id = ?")
        .bind(f.kegiatan_id)
        .fetch_optional(&mut *tx)
        .await
        .ctx(format!("looking up kegiatan {}", f.kegiatan_id))?;
    if work.is_none() {
        return Err(StoreError::NotFound(format!("kegiatan {}", f.kegiatan_id)));
    }
    let id = insert(&mut tx, None, f, None).await?;
    append_audit_lines(&mut tx, &[audit_of(f, id)], None).await?;
    let stored = one(&mut tx, id).await?;
    tx.commit().await.ctx(format!("committing {what}"))?;
    stored.ok_or_else(|| StoreError::NotFound(format!("photo {id}")))
}

/// Inserts a photo (with the id and upload time it had, when copied) and answers its id.
async fn insert(
    conn: &mut SqliteConnection,
    id: Option<i64>,
    f: &FotoBaru<'_>,
    diunggah: Option<&str>,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO kegiatan_foto (fid, kegiatan_id, segmen_id, kode_desa, tahap, media_type,
           ukuran_byte, lebar, tinggi, waktu_exif, lon, lat, pengunggah, diunggah, foto, kecil)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
           coalesce(?, strftime('%Y-%m-%dT%H:%M:%fZ','now')), ?, ?)
         RETURNING fid",
    )
    .bind(id)
    .bind(f.kegiatan_id)
    .bind(f.segmen_id)
    .bind(f.kode_desa.as_str())
    .bind(f.tahap.as_str())
    .bind(f.media_type)
    .bind(i64::try_from(f.foto.len()).unwrap_or(i64::MAX))
    .bind(i64::from(f.lebar))
    .bind(i64::from(f.tinggi))
    .bind(f.waktu_exif)
    .bind(f.posisi.map(|p| p[0]))
    .bind(f.posisi.map(|p| p[1]))
    .bind(f.pengunggah)
    .bind(diunggah)
    .bind(f.foto)
    .bind(f.kecil)
    .fetch_one(conn)
    .await
    .ctx(format!(
        "writing a photo of kegiatan {} {}",
        f.kegiatan_id, f.segmen_id
    ))
}

async fn one(conn: &mut SqliteConnection, id: i64) -> Result<Option<StoredFoto>> {
    let row: Option<FotoRow> = sqlx::query_as(select("WHERE fid = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .ctx(format!("reading photo {id}"))?;
    row.map(FotoRow::typed).transpose()
}

pub(super) async fn get(pool: &SqlitePool, id: i64) -> Result<Option<StoredFoto>> {
    let mut conn = pool.acquire().await.ctx("opening a connection")?;
    one(&mut conn, id).await
}

pub(super) async fn list(pool: &SqlitePool, q: &FotoQuery) -> Result<Vec<StoredFoto>> {
    let rows: Vec<FotoRow> = sqlx::query_as(select(
        "WHERE (?1 IS NULL OR kegiatan_id = ?1)
           AND (?2 IS NULL OR segmen_id = ?2)
           AND (?3 IS NULL OR kode_desa = ?3 OR kode_desa LIKE ?3 || '.%')
         ORDER BY fid",
    ))
    .bind(&q.kegiatan_id)
    .bind(&q.segmen_id)
    .bind(q.wilayah.as_ref().map(|k| k.as_str()))
    .fetch_all(pool)
    .await
    .ctx("reading photos")?;
    rows.into_iter().map(FotoRow::typed).collect()
}

pub(super) async fn berkas(
    pool: &SqlitePool,
    id: i64,
    ukuran: Ukuran,
) -> Result<Option<FotoBerkas>> {
    let sql = match ukuran {
        Ukuran::Asli => "SELECT media_type, foto FROM kegiatan_foto WHERE fid = ?",
        Ukuran::Kecil => "SELECT 'image/jpeg', kecil FROM kegiatan_foto WHERE fid = ?",
    };
    let row: Option<(String, Vec<u8>)> = sqlx::query_as(sql)
        .bind(id)
        .fetch_optional(pool)
        .await
        .ctx(format!("reading photo {id}"))?;
    Ok(row.map(|(media_type, bytes)| FotoBerkas { media_type, bytes }))
}

pub(super) async fn delete(pool: &SqlitePool, id: i64, audit: &NewAudit) -> Result<bool> {
    let mut tx = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .ctx(format!("starting a transaction for deleting photo {id}"))?;
    let done = sqlx::query("DELETE FROM kegiatan_foto WHERE fid = ?")
        .bind(id)
        .execute(&mut *tx)
        .await
        .ctx(format!("deleting photo {id}"))?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    append_audit_lines(&mut tx, std::slice::from_ref(audit), None).await?;
    tx.commit()
        .await
        .ctx(format!("committing the deletion of photo {id}"))?;
    Ok(true)
}

/// Keeps a work's photos with it inside the transaction that saves it (after its
/// segment layer was rewritten): the photos of segments it no longer has are removed, and
/// the rest follow it to its desa.
pub(super) async fn follow_work(
    conn: &mut SqliteConnection,
    kegiatan_id: &str,
    kode_desa: &str,
) -> Result<()> {
    sqlx::query(AssertSqlSafe(ORPHANS.replace("$1", "?1")))
        .bind(kegiatan_id)
        .execute(&mut *conn)
        .await
        .ctx(format!(
            "removing the photos of segments kegiatan {kegiatan_id} no longer has"
        ))?;
    sqlx::query(AssertSqlSafe(
        FOLLOW_DESA.replace("$1", "?1").replace("$2", "?2"),
    ))
    .bind(kegiatan_id)
    .bind(kode_desa)
    .execute(&mut *conn)
    .await
    .ctx(format!(
        "moving the photos of kegiatan {kegiatan_id} to desa {kode_desa}"
    ))?;
    Ok(())
}

/// Writes copied photos with their ids and upload times.
pub(super) async fn load(conn: &mut SqliteConnection, photos: &[FotoCopy]) -> Result<()> {
    for p in photos {
        let f = &p.foto;
        let write = FotoBaru {
            kegiatan_id: &f.kegiatan_id,
            segmen_id: &f.segmen_id,
            kode_desa: &f.kode_desa,
            tahap: f.tahap,
            media_type: &f.media_type,
            lebar: f.lebar,
            tinggi: f.tinggi,
            waktu_exif: f.waktu_exif.as_deref(),
            posisi: f.posisi,
            pengunggah: &f.pengunggah,
            foto: &p.isi,
            kecil: &p.kecil,
            audit: NewAudit {
                pengguna: String::new(),
                entitas: String::new(),
                kunci: String::new(),
                aksi: String::new(),
                sebelum: None,
                sesudah: None,
            },
        };
        insert(&mut *conn, Some(f.id), &write, Some(&f.diunggah)).await?;
    }
    Ok(())
}
