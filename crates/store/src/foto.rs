//! What the store keeps of the photos that document a segment (foto dokumentasi): each
//! photo's bytes and its thumbnail as blobs (GeoPackage) or `bytea` (PostGIS) beside its
//! facts, in the table `kegiatan_foto`.
//!
//! A photo belongs to a segment of a work. A work that is deleted takes its photos with
//! it (foreign key, `ON DELETE CASCADE`); a segment that leaves its work takes its
//! photos with it in the same write that saves the work, so no photo points at a segment
//! that is not there; and a work moved to another desa takes its photos there.

use kumuh_domain::Kode;
use kumuh_domain::works::Tahap;

use crate::NewAudit;

/// A photo to store, with its thumbnail and the audit line of its upload (written in the
/// same transaction).
#[derive(Debug, Clone, PartialEq)]
pub struct FotoBaru<'a> {
    /// The work.
    pub kegiatan_id: &'a str,
    /// The segment of the work.
    pub segmen_id: &'a str,
    /// The work's desa.
    pub kode_desa: &'a Kode,
    /// The stage it documents.
    pub tahap: Tahap,
    /// Its media type (`image/jpeg`, `image/png`, `image/webp`).
    pub media_type: &'a str,
    /// Width, pixels.
    pub lebar: u32,
    /// Height, pixels.
    pub tinggi: u32,
    /// When it was taken, from its EXIF (RFC 3339, perhaps without a zone).
    pub waktu_exif: Option<&'a str>,
    /// Where it was taken, from its EXIF: `[lon, lat]` in EPSG:4326.
    pub posisi: Option<[f64; 2]>,
    /// Who uploaded it (username).
    pub pengunggah: &'a str,
    /// The photo's bytes as uploaded.
    pub foto: &'a [u8],
    /// The thumbnail (JPEG).
    pub kecil: &'a [u8],
    /// The audit line (its key is filled in with the new photo's id: `K1/S1/foto/7`).
    pub audit: NewAudit,
}

/// A stored photo's facts, without its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFoto {
    /// Its id, given by the store.
    pub id: i64,
    /// The work.
    pub kegiatan_id: String,
    /// The segment.
    pub segmen_id: String,
    /// The work's desa.
    pub kode_desa: Kode,
    /// The stage it documents.
    pub tahap: Tahap,
    /// Its media type.
    pub media_type: String,
    /// Size of the photo, bytes.
    pub ukuran_byte: i64,
    /// Width, pixels.
    pub lebar: u32,
    /// Height, pixels.
    pub tinggi: u32,
    /// When it was taken (EXIF).
    pub waktu_exif: Option<String>,
    /// Where it was taken (EXIF): `[lon, lat]`.
    pub posisi: Option<[f64; 2]>,
    /// Who uploaded it (username: personal data).
    pub pengunggah: String,
    /// When it was uploaded (RFC 3339, UTC).
    pub diunggah: String,
}

/// Which photos to list (every filter given must hold).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FotoQuery {
    /// Only photos of this work.
    pub kegiatan_id: Option<String>,
    /// Only photos of this segment (of the work named).
    pub segmen_id: Option<String>,
    /// Only photos of works in this place: a desa, or any place above it.
    pub wilayah: Option<Kode>,
}

/// Which file of a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ukuran {
    /// The photo as uploaded.
    Asli,
    /// Its thumbnail.
    Kecil,
}

/// One file of a photo.
#[derive(Debug, Clone, PartialEq)]
pub struct FotoBerkas {
    /// Its media type (the thumbnail's is `image/jpeg`).
    pub media_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// A photo whole, for copying an atlas: its facts and both files.
#[derive(Debug, Clone, PartialEq)]
pub struct FotoCopy {
    /// Its facts (the id is kept by the copy).
    pub foto: StoredFoto,
    /// The photo's bytes.
    pub isi: Vec<u8>,
    /// The thumbnail's bytes.
    pub kecil: Vec<u8>,
}

/// The audit log's entity for photos.
pub const FOTO_AUDIT_ENTITAS: &str = "foto";

/// The audit key of photo `id` of a segment: `K1/S1/foto/7`, so that the work's and the
/// segment's log (`kunci` prefix) shows it.
pub fn foto_kunci(kegiatan_id: &str, segmen_id: &str, id: i64) -> String {
    format!("{kegiatan_id}/{segmen_id}/foto/{id}")
}

/// The columns of a photo's facts, in the order of [`FotoRow`].
pub(crate) const FOTO_COLUMNS: &str = "fid, kegiatan_id, segmen_id, kode_desa, tahap, media_type,
    ukuran_byte, lebar, tinggi, waktu_exif, lon, lat, pengunggah, diunggah";

/// A photo's facts as either backend reads them.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct FotoRow {
    fid: i64,
    kegiatan_id: String,
    segmen_id: String,
    kode_desa: String,
    tahap: String,
    media_type: String,
    ukuran_byte: i64,
    lebar: i64,
    tinggi: i64,
    waktu_exif: Option<String>,
    lon: Option<f64>,
    lat: Option<f64>,
    pengunggah: String,
    diunggah: String,
}

impl FotoRow {
    /// The typed facts; a stored code this build does not read names the photo and field.
    pub(crate) fn typed(self) -> crate::Result<StoredFoto> {
        const TABLE: &str = "kegiatan_foto";
        let id = self.fid;
        let side = |v: i64, field: &'static str| {
            u32::try_from(v).map_err(|e| crate::StoreError::Corrupt {
                table: TABLE.into(),
                fid: id,
                field,
                message: e.to_string(),
            })
        };
        Ok(StoredFoto {
            id,
            kode_desa: crate::gpkg::rows::kode_field(TABLE, id, "kode_desa", &self.kode_desa)?,
            tahap: crate::gpkg::rows::code_field(TABLE, id, "tahap", &self.tahap)?,
            lebar: side(self.lebar, "lebar")?,
            tinggi: side(self.tinggi, "tinggi")?,
            posisi: self.lon.zip(self.lat).map(|(lon, lat)| [lon, lat]),
            kegiatan_id: self.kegiatan_id,
            segmen_id: self.segmen_id,
            media_type: self.media_type,
            ukuran_byte: self.ukuran_byte,
            waktu_exif: self.waktu_exif,
            pengunggah: self.pengunggah,
            diunggah: self.diunggah,
        })
    }
}

/// The audit line of a photo with its key made from the new id.
pub(crate) fn audit_of(f: &FotoBaru<'_>, id: i64) -> NewAudit {
    let mut a = f.audit.clone();
    a.kunci = foto_kunci(f.kegiatan_id, f.segmen_id, id);
    if let Some(serde_json::Value::Object(o)) = a.sesudah.as_mut() {
        o.insert("id".into(), serde_json::json!(id));
    }
    a
}

/// Removes, within a work's save, the photos of segments the work no longer has (the
/// segment layer was just rewritten from the work). The same SQL on both backends.
pub(crate) const ORPHANS: &str = "DELETE FROM kegiatan_foto
     WHERE kegiatan_id = $1
       AND segmen_id NOT IN (SELECT segmen_id FROM kegiatan_segmen WHERE kegiatan_id = $1)";

/// Moves, within a work's save, its photos to the work's desa (`$2`), so that a work moved
/// to another desa shows its photos there. The same SQL on both backends.
pub(crate) const FOLLOW_DESA: &str =
    "UPDATE kegiatan_foto SET kode_desa = $2 WHERE kegiatan_id = $1 AND kode_desa <> $2";

/// Writes the photo functions of one backend (`save`, `get`, `list`, `berkas`, `delete`,
/// `follow_work`, `load`) from one text: the backends differ in their pool and connection
/// types, how a write transaction begins, their audit writer, the statements that need
/// each engine's own SQL (the insert with its id and time, the list's optional filters,
/// the two statements run within a work's save), and what follows a copy's load.
macro_rules! backend {
    (
        pool = $pool:ty,
        conn = $conn:ty,
        begin = $begin:ident $(($arg:expr))?,
        audit = $audit:path,
        insert = $insert:expr,
        list = $list:expr,
        orphans = $orphans:expr,
        follow = $follow:expr,
        after_load = |$c:ident| $after:block $(,)?
    ) => {
        #[allow(unused_imports)]
        use sqlx::AssertSqlSafe;

        use $audit as append_audit_lines;
        use crate::error::{DbContext, Result, StoreError};
        use crate::foto::{FOTO_COLUMNS, FotoRow, audit_of};
        #[allow(unused_imports)]
        use crate::foto::{FOLLOW_DESA, ORPHANS};
        use crate::{FotoBaru, FotoBerkas, FotoCopy, FotoQuery, NewAudit, StoredFoto, Ukuran};

        fn select(rest: &str) -> AssertSqlSafe<String> {
            AssertSqlSafe(format!("SELECT {FOTO_COLUMNS} FROM kegiatan_foto {rest}"))
        }

        pub(super) async fn save(pool: &$pool, f: &FotoBaru<'_>) -> Result<StoredFoto> {
            let what = format!("a photo of kegiatan {} {}", f.kegiatan_id, f.segmen_id);
            let mut tx = pool
                .$begin($($arg)?)
                .await
                .ctx(format!("starting a transaction for {what}"))?;
            let work: Option<i64> = sqlx::query_scalar("SELECT fid FROM kegiatan WHERE id = $1")
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
            conn: &mut $conn,
            id: Option<i64>,
            f: &FotoBaru<'_>,
            diunggah: Option<&str>,
        ) -> Result<i64> {
            sqlx::query_scalar(
                $insert,
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

        async fn one(conn: &mut $conn, id: i64) -> Result<Option<StoredFoto>> {
            let row: Option<FotoRow> = sqlx::query_as(select("WHERE fid = $1"))
                .bind(id)
                .fetch_optional(conn)
                .await
                .ctx(format!("reading photo {id}"))?;
            row.map(FotoRow::typed).transpose()
        }

        pub(super) async fn get(pool: &$pool, id: i64) -> Result<Option<StoredFoto>> {
            let mut conn = pool.acquire().await.ctx("opening a connection")?;
            one(&mut conn, id).await
        }

        pub(super) async fn list(pool: &$pool, q: &FotoQuery) -> Result<Vec<StoredFoto>> {
            let rows: Vec<FotoRow> = sqlx::query_as(select(
                $list,
            ))
            .bind(&q.kegiatan_id)
            .bind(&q.segmen_id)
            .bind(q.wilayah.as_ref().map(|k| k.as_str()))
            .fetch_all(pool)
            .await
            .ctx("reading photos")?;
            rows.into_iter().map(FotoRow::typed).collect()
        }

        pub(super) async fn berkas(pool: &$pool, id: i64, ukuran: Ukuran) -> Result<Option<FotoBerkas>> {
            let sql = match ukuran {
                Ukuran::Asli => "SELECT media_type, foto FROM kegiatan_foto WHERE fid = $1",
                Ukuran::Kecil => "SELECT 'image/jpeg', kecil FROM kegiatan_foto WHERE fid = $1",
            };
            let row: Option<(String, Vec<u8>)> = sqlx::query_as(sql)
                .bind(id)
                .fetch_optional(pool)
                .await
                .ctx(format!("reading photo {id}"))?;
            Ok(row.map(|(media_type, bytes)| FotoBerkas { media_type, bytes }))
        }

        pub(super) async fn delete(pool: &$pool, id: i64, audit: &NewAudit) -> Result<bool> {
            let mut tx = pool
                .$begin($($arg)?)
                .await
                .ctx(format!("starting a transaction for deleting photo {id}"))?;
            let done = sqlx::query("DELETE FROM kegiatan_foto WHERE fid = $1")
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
            conn: &mut $conn,
            kegiatan_id: &str,
            kode_desa: &str,
        ) -> Result<()> {
            sqlx::query($orphans)
                .bind(kegiatan_id)
                .execute(&mut *conn)
                .await
                .ctx(format!(
                    "removing the photos of segments kegiatan {kegiatan_id} no longer has"
                ))?;
            sqlx::query($follow)
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
        pub(super) async fn load(conn: &mut $conn, photos: &[FotoCopy]) -> Result<()> {
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
            let $c: &mut $conn = conn;
            $after
        }
    };
}
pub(crate) use backend;
