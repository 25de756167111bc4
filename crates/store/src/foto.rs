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
