//! The request bodies of the siteplan API as the OpenAPI document shows them.
//!
//! As for works, the handlers read bodies field by field; these types only describe what
//! that reading accepts, so they are never deserialized, hence never constructed.
#![allow(dead_code)]

use serde_json::Value;
use utoipa::ToSchema;

/// A new siteplan (`POST /api/siteplan`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({
    "kode_desa": "35.19.09.2014", "judul": "Siteplan RT 09/10", "catatan": "Draf pertama",
    "fitur": {"type": "FeatureCollection", "features": []}
}))]
pub struct CreateSiteplanBody {
    /// Kemendagri code of the desa.
    #[schema(example = "35.19.09.2014")]
    pub kode_desa: String,
    /// The siteplan's id; made when not given.
    pub id: Option<String>,
    /// Title.
    pub judul: String,
    /// Notes.
    pub keterangan: Option<String>,
    /// Marks an example siteplan.
    pub contoh: Option<bool>,
    /// Note of version 1.
    pub catatan: Option<String>,
    /// GeoJSON FeatureCollection in EPSG:4326; features carry `id`, `kategori`, `label`,
    /// `catatan`.
    #[schema(value_type = Option<Object>)]
    pub fitur: Option<Value>,
}

/// A new version of the features (`PUT /api/siteplan/{id}/fitur`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({
    "fitur": {"type": "FeatureCollection", "features": []}, "catatan": "Jalan baru"
}))]
pub struct FiturBody {
    /// GeoJSON FeatureCollection in EPSG:4326.
    #[schema(value_type = Object)]
    pub fitur: Value,
    /// Note of the new version.
    pub catatan: Option<String>,
    /// Deprecated: the version the features were edited on; send `If-Match` instead.
    #[schema(deprecated)]
    pub versi: Option<u32>,
}

/// A restore of an earlier version (`POST /api/siteplan/{id}/pulihkan`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"dari": 1, "catatan": "Kembali ke draf pertama"}))]
pub struct PulihkanBody {
    /// The version to restore.
    #[schema(minimum = 1)]
    pub dari: u32,
    /// Note of the new version.
    pub catatan: Option<String>,
    /// Deprecated: the current version, as read; send `If-Match` instead.
    #[schema(deprecated)]
    pub versi: Option<u32>,
}

/// Changes to a siteplan (`PATCH /api/siteplan/{id}`); fields left out are kept.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"status": "diusulkan"}))]
pub struct UpdateSiteplanBody {
    /// Title.
    pub judul: Option<String>,
    /// `draf`, `diusulkan` or `ditetapkan`.
    pub status: Option<String>,
    /// Notes; `null` clears them.
    pub keterangan: Option<String>,
    /// Marks an example siteplan.
    pub contoh: Option<bool>,
    /// Deprecated: the current version, as read; send `If-Match` instead.
    #[schema(deprecated)]
    pub versi: Option<u32>,
}
