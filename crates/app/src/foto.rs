//! Photos that document a segment's progress (foto dokumentasi): at 0 %, 50 % and 100 %
//! and free ones (`Tahap`), uploaded by whoever may change the work, listed and shown to
//! everyone.
//!
//! An upload is checked and thumbnailed by [`kumuh_io::foto::baca`] on the blocking pool,
//! at most [`DECODES_AT_ONCE`] at a time, so a burst of uploads neither stalls the async
//! workers nor holds many decoded pictures in memory at once. Its EXIF position, where
//! it has one, is compared with the desa's boundary: a photo taken elsewhere is stored
//! with a warning (`peringatan`), as a segment drawn outside its desa is.

use geo_types::{Geometry, Point};
use kumuh_domain::works::{SegmenId, Tahap};
use kumuh_domain::{Action, User};
use kumuh_io::foto::{Batas, FotoError};
use kumuh_store::{
    FOTO_AUDIT_ENTITAS, FotoBaru, FotoBerkas, FotoQuery, NewAudit, StoredFoto, StoredKegiatan,
    Ukuran,
};
use serde::Serialize;
use serde_json::json;

use crate::{AppError, Atlas, Result, authorize};

/// How many uploads are decoded at the same time; the rest wait their turn.
pub const DECODES_AT_ONCE: usize = 2;

static DECODES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(DECODES_AT_ONCE);

/// A photo as the API lists it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FotoInfo {
    /// Its id (`/api/foto/{id}`).
    pub id: i64,
    /// The work.
    pub kegiatan_id: String,
    /// The segment.
    pub segmen_id: String,
    /// The stage it documents: `0`, `50`, `100` or `bebas`.
    #[schema(value_type = String)]
    pub tahap: Tahap,
    /// When it was taken, from its EXIF (`2018-08-31T09:15:00`, with the camera's offset
    /// where it wrote one).
    pub waktu_exif: Option<String>,
    /// Where it was taken, from its EXIF: `[lon, lat]` in EPSG:4326.
    pub posisi: Option<[f64; 2]>,
    /// Its media type.
    pub media_type: String,
    /// Its size, bytes.
    pub ukuran_byte: i64,
    /// Width, pixels.
    pub lebar: u32,
    /// Height, pixels.
    pub tinggi: u32,
    /// When it was uploaded (RFC 3339, UTC).
    pub diunggah: String,
    /// Who uploaded it: the username for callers who may see personal data of its desa
    /// ([`crate::personal`]), otherwise the uploader's role and organisation
    /// (`lkm Bibrik`).
    pub pengunggah: String,
    /// The photo.
    pub url: String,
    /// Its thumbnail (JPEG, longest side 320 px).
    pub url_kecil: String,
}

/// What an upload stored, with what deserves a look.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FotoDiunggah {
    /// The photo stored.
    pub foto: FotoInfo,
    /// Warnings (a position outside the segment's desa).
    pub peringatan: Vec<String>,
}

/// A photo to upload.
#[derive(Debug, Clone)]
pub struct Unggah {
    /// The work.
    pub kegiatan_id: String,
    /// The segment of the work.
    pub segmen: SegmenId,
    /// The stage it documents.
    pub tahap: Tahap,
    /// The media type the sender declared.
    pub media_type: String,
    /// The file.
    pub bytes: Vec<u8>,
}

impl From<FotoError> for AppError {
    fn from(e: FotoError) -> Self {
        match e {
            FotoError::TooLarge { .. } => AppError::TooLarge(e.to_string()),
            FotoError::Thumbnail(_) => AppError::internal(e),
            other => AppError::Unreadable(other.to_string()),
        }
    }
}

async fn load(atlas: &Atlas, id: &str) -> Result<StoredKegiatan> {
    atlas
        .store
        .kegiatan(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no kegiatan {id}")))
}

fn has_segmen(stored: &StoredKegiatan, segmen: &SegmenId) -> Result<()> {
    if stored.kegiatan.segmen().iter().any(|s| s.id() == segmen) {
        Ok(())
    } else {
        Err(AppError::NotFound(format!(
            "no segmen {segmen} in kegiatan {}",
            stored.kegiatan.id()
        )))
    }
}

/// Stores a photo of a segment: the caller must be allowed to change the work (the
/// desa's `lkm`, the kabupaten, admins). The file is refused when it is larger than
/// `batas` allows ([`AppError::TooLarge`]), not a JPEG, PNG or WebP, not of the declared
/// type, or of more pixels than allowed ([`AppError::Unreadable`]).
pub async fn unggah(
    atlas: &Atlas,
    user: Option<&User>,
    cmd: Unggah,
    batas: &Batas,
) -> Result<FotoDiunggah> {
    let stored = load(atlas, &cmd.kegiatan_id).await?;
    let desa = stored.kegiatan.kode_desa().clone();
    let who = authorize(
        user,
        &Action::EditKegiatan {
            kode_desa: desa.clone(),
        },
    )?;
    has_segmen(&stored, &cmd.segmen)?;
    if cmd.bytes.len() > batas.max_bytes {
        return Err(FotoError::TooLarge {
            bytes: cmd.bytes.len(),
            max: batas.max_bytes,
        }
        .into());
    }
    let (read, bytes) = {
        let _turn = DECODES
            .acquire()
            .await
            .map_err(|e| AppError::internal(format!("waiting to decode a photo: {e}")))?;
        let (bytes, media_type, batas) = (cmd.bytes, cmd.media_type, *batas);
        crate::blocking(move || {
            let read = kumuh_io::foto::baca(&bytes, &media_type, &batas)?;
            Ok((read, bytes))
        })
        .await?
    };
    let posisi = read.posisi.map(|p| [p.lon, p.lat]);
    let mut peringatan = Vec::new();
    if let Some([lon, lat]) = posisi
        && let Some(place) = atlas.store.place(&desa).await?
        && let Some(boundary) = &place.geometry
        && !kumuh_domain::geometry::lies_within(boundary, &Geometry::Point(Point::new(lon, lat)))
    {
        peringatan.push(format!(
            "the photo's position ({lon:.6}, {lat:.6}) lies outside desa {} ({}); check that it shows segmen {} of kegiatan {}",
            place.nama,
            place.kode,
            cmd.segmen,
            stored.kegiatan.id()
        ));
    }
    let media_type = read.jenis.media_type();
    let lebar = read.lebar;
    let tinggi = read.tinggi;
    let saved = atlas
        .store
        .save_foto(&FotoBaru {
            kegiatan_id: stored.kegiatan.id().as_str(),
            segmen_id: cmd.segmen.as_str(),
            kode_desa: &desa,
            tahap: cmd.tahap,
            media_type,
            lebar,
            tinggi,
            waktu_exif: read.waktu_exif.as_deref(),
            posisi,
            pengunggah: &who.username,
            foto: &bytes,
            kecil: &read.kecil,
            audit: NewAudit {
                pengguna: who.username.clone(),
                entitas: FOTO_AUDIT_ENTITAS.into(),
                kunci: String::new(),
                aksi: "unggah".into(),
                sebelum: None,
                sesudah: Some(json!({
                    "tahap": cmd.tahap, "media_type": media_type, "ukuran_byte": bytes.len(),
                    "lebar": lebar, "tinggi": tinggi, "waktu_exif": read.waktu_exif,
                    "posisi": posisi,
                })),
            },
        })
        .await?;
    tracing::info!(user = %who.username, kegiatan = %saved.kegiatan_id, segmen = %saved.segmen_id, foto = saved.id, "photo uploaded");
    let mut shown = info_all(atlas, user, vec![saved]).await?;
    let foto = shown
        .pop()
        .ok_or_else(|| AppError::internal("the stored photo vanished"))?;
    Ok(FotoDiunggah { foto, peringatan })
}

/// The photos of a segment, oldest first.
pub async fn daftar(
    atlas: &Atlas,
    user: Option<&User>,
    kegiatan_id: &str,
    segmen: &SegmenId,
) -> Result<Vec<FotoInfo>> {
    let stored = load(atlas, kegiatan_id).await?;
    has_segmen(&stored, segmen)?;
    let photos = atlas
        .store
        .list_foto(&FotoQuery {
            kegiatan_id: Some(kegiatan_id.to_owned()),
            segmen_id: Some(segmen.to_string()),
            wilayah: None,
        })
        .await?;
    info_all(atlas, user, photos).await
}

/// One file of a photo (as uploaded, or its thumbnail).
pub async fn berkas(atlas: &Atlas, id: i64, ukuran: Ukuran) -> Result<FotoBerkas> {
    atlas
        .store
        .foto_berkas(id, ukuran)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no photo {id}")))
}

/// Deletes a photo: the caller must be allowed to change its work.
pub async fn hapus(atlas: &Atlas, user: Option<&User>, id: i64) -> Result<()> {
    let foto = atlas
        .store
        .foto(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no photo {id}")))?;
    // The work's desa now, should the work have moved since the upload.
    let desa = match atlas.store.kegiatan(&foto.kegiatan_id).await? {
        Some(k) => k.kegiatan.kode_desa().clone(),
        None => foto.kode_desa.clone(),
    };
    let who = authorize(user, &Action::EditKegiatan { kode_desa: desa })?;
    let audit = NewAudit {
        pengguna: who.username.clone(),
        entitas: FOTO_AUDIT_ENTITAS.into(),
        kunci: kumuh_store::foto_kunci(&foto.kegiatan_id, &foto.segmen_id, id),
        aksi: "hapus".into(),
        sebelum: Some(json!({
            "tahap": foto.tahap, "media_type": foto.media_type, "ukuran_byte": foto.ukuran_byte,
            "lebar": foto.lebar, "tinggi": foto.tinggi, "waktu_exif": foto.waktu_exif,
            "posisi": foto.posisi, "diunggah": foto.diunggah,
        })),
        sesudah: None,
    };
    if !atlas.store.delete_foto(id, &audit).await? {
        return Err(AppError::NotFound(format!("no photo {id}")));
    }
    tracing::info!(user = %who.username, foto = id, "photo deleted");
    Ok(())
}

/// The listed form of stored photos, the uploader shown as [`crate::personal`] allows.
pub(crate) async fn info_all(
    atlas: &Atlas,
    user: Option<&User>,
    photos: Vec<StoredFoto>,
) -> Result<Vec<FotoInfo>> {
    let mut labels = crate::personal::Labels::new(atlas.store.as_ref());
    let mut out = Vec::with_capacity(photos.len());
    for f in photos {
        let pengunggah = if crate::personal::sees(user, Some(&f.kode_desa)) {
            f.pengunggah
        } else {
            labels.label(&f.pengunggah).await?
        };
        out.push(FotoInfo {
            url: format!("/api/foto/{}", f.id),
            url_kecil: format!("/api/foto/{}/kecil", f.id),
            id: f.id,
            kegiatan_id: f.kegiatan_id,
            segmen_id: f.segmen_id,
            tahap: f.tahap,
            waktu_exif: f.waktu_exif,
            posisi: f.posisi,
            media_type: f.media_type,
            ukuran_byte: f.ukuran_byte,
            lebar: f.lebar,
            tinggi: f.tinggi,
            diunggah: f.diunggah,
            pengunggah,
        });
    }
    Ok(out)
}
