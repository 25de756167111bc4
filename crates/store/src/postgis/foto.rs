//! Photos of work segments in PostGIS: the table `kegiatan_foto`, the photo and its
//! thumbnail as `bytea` beside their facts, as in the GeoPackage.

use sqlx::{PgConnection, PgPool};

crate::foto::backend!(
    pool = PgPool,
    conn = PgConnection,
    begin = begin,
    audit = super::records::append_audit_lines,
    insert = "INSERT INTO kegiatan_foto (fid, kegiatan_id, segmen_id, kode_desa, tahap, media_type,
           ukuran_byte, lebar, tinggi, waktu_exif, lon, lat, pengunggah, diunggah, foto, kecil)
         VALUES (coalesce($1, nextval(pg_get_serial_sequence('kegiatan_foto', 'fid'))),
           $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, coalesce($14, kumuh_sekarang()),
           $15, $16)
         RETURNING fid",
    list = "WHERE ($1::text IS NULL OR kegiatan_id = $1)
           AND ($2::text IS NULL OR segmen_id = $2)
           AND ($3::text IS NULL OR kode_desa = $3 OR kode_desa LIKE $3 || '.%')
         ORDER BY fid",
    orphans = ORPHANS,
    follow = FOLLOW_DESA,
    // New photos continue after the copied ones.
    after_load = |conn| {
        sqlx::query(
            "SELECT setval(pg_get_serial_sequence('kegiatan_foto', 'fid'),
                           greatest((SELECT max(fid) FROM kegiatan_foto), 1))",
        )
        .execute(conn)
        .await
        .ctx("continuing the numbering of kegiatan_foto")?;
        Ok(())
    },
);
