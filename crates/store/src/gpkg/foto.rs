//! Photos of work segments in the GeoPackage: the attributes table `kegiatan_foto`, the
//! photo and its thumbnail as blobs beside their facts. Writes take the write lock first
//! (`BEGIN IMMEDIATE`); SQLite numbers a repeated parameter `?N`.

use sqlx::{SqliteConnection, SqlitePool};

crate::foto::backend!(
    pool = SqlitePool,
    conn = SqliteConnection,
    begin = begin_with("BEGIN IMMEDIATE"),
    audit = super::works::append_audit_lines,
    insert = "INSERT INTO kegiatan_foto (fid, kegiatan_id, segmen_id, kode_desa, tahap, media_type,
           ukuran_byte, lebar, tinggi, waktu_exif, lon, lat, pengunggah, diunggah, foto, kecil)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
           coalesce(?, strftime('%Y-%m-%dT%H:%M:%fZ','now')), ?, ?)
         RETURNING fid",
    list = "WHERE (?1 IS NULL OR kegiatan_id = ?1)
           AND (?2 IS NULL OR segmen_id = ?2)
           AND (?3 IS NULL OR kode_desa = ?3 OR kode_desa LIKE ?3 || '.%')
         ORDER BY fid",
    orphans = AssertSqlSafe(ORPHANS.replace("$1", "?1")),
    follow = AssertSqlSafe(FOLLOW_DESA.replace("$1", "?1").replace("$2", "?2")),
    after_load = |conn| {
        let _ = conn;
        Ok(())
    },
);
