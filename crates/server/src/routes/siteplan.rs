//! Siteplans of desa: list, read (any version), create, save a new version, restore an
//! earlier one, change title or status, and export as GeoJSON or GeoPackage.
//!
//! Features travel as a GeoJSON FeatureCollection whose features carry `id`,
//! `kategori`, `label` and `catatan` properties. Every change names what it was read at,
//! as works do: the ETag (the record's revision) sent back as `If-Match`; the body field
//! `versi` (the siteplan's version number) is the older, deprecated way and still
//! accepted. A change on an older one is refused with 409 `stale_version`, so a plan
//! edited on two tablets never silently loses one of them.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use kumuh_app::siteplan::{CreateSiteplan, Expected, UpdateSiteplan};
use kumuh_domain::Kode;
use kumuh_domain::siteplan::{FiturDraft, Kategori, KategoriInfo, SiteplanError, StatusSiteplan};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

pub use kumuh_app::siteplan::{SiteplanDetail, VersiInfo};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::routes::common::{Versioned, attachment, if_match, parse_wilayah};
use crate::routes::kegiatan::input::Body;
use crate::routes::siteplan_bodies::{
    CreateSiteplanBody, FiturBody, PulihkanBody, UpdateSiteplanBody,
};

impl From<SiteplanError> for ApiError {
    fn from(e: SiteplanError) -> Self {
        kumuh_app::AppError::from(e).into()
    }
}

/// Reads a FeatureCollection into drafts, naming the feature and field of a problem.
fn drafts(v: &Value) -> ApiResult<Vec<FiturDraft>> {
    let bad = |m: String| ApiError::unprocessable(format!("fitur: {m}"));
    if v.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(bad("expected a GeoJSON FeatureCollection".into()));
    }
    let features = v
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("a FeatureCollection needs `features`".into()))?;
    features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let props = f.get("properties").cloned().unwrap_or(Value::Null);
            let text = |k: &str| props.get(k).and_then(Value::as_str).map(str::to_owned);
            let id = text("id")
                .or_else(|| f.get("id").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| format!("F{}", i + 1));
            let kategori = text("kategori")
                .ok_or_else(|| bad(format!("feature {i} (`{id}`), field kategori: is required")))?;
            let geometry =
                kumuh_io::geojson::geometry_from_json(f.get("geometry").unwrap_or(&Value::Null))
                    .map_err(|e| {
                        bad(format!(
                            "feature {i} (`{id}`), field geometry: {}",
                            e.join("; ")
                        ))
                    })?;
            Ok(FiturDraft {
                id,
                kategori,
                geometry,
                label: text("label"),
                catatan: text("catatan"),
            })
        })
        .collect()
}

/// Which siteplans to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SiteplanParams {
    /// Only siteplans in this place (a desa, or a kecamatan … by code prefix).
    pub wilayah: Option<String>,
}

/// One siteplan in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct SiteplanRingkas {
    /// Id.
    pub id: String,
    /// Desa code.
    pub kode_desa: String,
    /// Title.
    pub judul: String,
    /// Status.
    pub status: String,
    /// Illustrative.
    pub contoh: bool,
    /// Current version.
    pub versi: u32,
    /// Features in the current version.
    pub jumlah_fitur: usize,
    /// Last change.
    pub diubah: String,
}

/// Siteplans, by desa and id.
#[utoipa::path(get, path = "/api/siteplan", operation_id = "list_siteplan", tag = "siteplans", params(SiteplanParams),
    responses((status = 200, body = [SiteplanRingkas]), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Query(params): Query<SiteplanParams>,
) -> ApiResult<Json<Vec<SiteplanRingkas>>> {
    let wilayah = params.wilayah.as_deref().map(parse_wilayah).transpose()?;
    let all = state.store.list_siteplan(wilayah.as_ref()).await?;
    Ok(Json(
        all.iter()
            .map(|s| SiteplanRingkas {
                id: s.siteplan.id().to_string(),
                kode_desa: s.siteplan.kode_desa().to_string(),
                judul: s.siteplan.judul().to_owned(),
                status: s.siteplan.status().as_str().to_owned(),
                contoh: s.siteplan.contoh(),
                versi: s.siteplan.current_versi(),
                jumlah_fitur: s.siteplan.current().fitur.len(),
                diubah: s.diubah.clone(),
            })
            .collect(),
    ))
}

/// The categories a feature may have, with labels, geometry kinds and map symbols.
#[utoipa::path(get, path = "/api/siteplan-kategori", tag = "siteplans",
    responses((status = 200, body = [Object])))]
pub async fn kategori() -> Json<Vec<KategoriInfo>> {
    Json(Kategori::ALL.iter().map(|k| k.info()).collect())
}

/// One version of a siteplan.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersiParams {
    /// The version to show (default: the current one).
    pub versi: Option<u32>,
}

/// A siteplan with the features of its current version (or of `?versi=N`), its history
/// and the features lying outside its desa.
#[utoipa::path(get, path = "/api/siteplan/{id}", operation_id = "get_siteplan", tag = "siteplans",
    params(("id" = String, Path, description = "Siteplan id"), VersiParams),
    responses((status = 200, body = SiteplanDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<VersiParams>,
) -> ApiResult<Versioned<SiteplanDetail>> {
    let d = kumuh_app::siteplan::get(&state.atlas(), user.0.as_ref(), &id, params.versi).await?;
    Ok(Versioned(StatusCode::OK, d.revisi, d))
}

/// Creates a siteplan for a desa. Body: `kode_desa`, `judul`, optional `id`,
/// `keterangan`, `contoh`, `catatan` (note of version 1) and `fitur` (GeoJSON
/// FeatureCollection; features carry `id`, `kategori`, `label`, `catatan`).
#[utoipa::path(post, path = "/api/siteplan", operation_id = "create_siteplan", tag = "siteplans", request_body = CreateSiteplanBody,
    responses((status = 201, body = SiteplanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<SiteplanDetail>> {
    let mut b = Body::new(body)?;
    let kode_desa: Kode = b.req_parse("kode_desa")?;
    let id = b.opt_text("id")?;
    let judul = b.req_text("judul")?;
    let keterangan = b.opt_text("keterangan")?;
    let contoh = b.opt::<bool>("contoh")?.unwrap_or(false);
    let catatan = b.opt_text("catatan")?;
    let fitur = match b.opt::<Value>("fitur")? {
        Some(v) => kumuh_app::blocking(move || Ok(drafts(&v))).await??,
        None => Vec::new(),
    };
    b.finish()?;
    let cmd = CreateSiteplan {
        id,
        kode_desa,
        judul,
        keterangan,
        contoh,
        catatan,
        fitur,
    };
    let d = kumuh_app::siteplan::create(&state.atlas(), user.0.as_ref(), cmd).await?;
    Ok(Versioned(StatusCode::CREATED, d.revisi, d))
}

/// What a change was read at: the ETag in `If-Match`, and the deprecated body field
/// `versi` (still accepted; when both are sent both must be current).
fn expected(headers: &HeaderMap, b: &mut Body) -> ApiResult<Expected> {
    Ok(Expected {
        revisi: if_match(headers)?,
        versi: b.opt::<u32>("versi")?,
    })
}

/// Saves a new version of the features. Send `If-Match` with the ETag read (409
/// `stale_version` if the siteplan changed since). Body: `fitur` (FeatureCollection),
/// optional `catatan`, and `versi` (deprecated: the version the features were edited on;
/// use `If-Match`). Only a `draf` siteplan takes new features.
#[utoipa::path(put, path = "/api/siteplan/{id}/fitur", tag = "siteplans", request_body = FiturBody,
    params(("id" = String, Path, description = "Siteplan id"),
           ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses((status = 200, body = SiteplanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn put_fitur(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<SiteplanDetail>> {
    let mut b = Body::new(body)?;
    let expected = expected(&headers, &mut b)?;
    let fitur = b
        .opt::<Value>("fitur")?
        .ok_or_else(|| ApiError::unprocessable("fitur: is required"))?;
    let catatan = b.opt_text("catatan")?;
    b.finish()?;
    // Reading the geometry grows with the body: off the async workers.
    let fitur = kumuh_app::blocking(move || Ok(drafts(&fitur))).await??;
    let atlas = state.atlas();
    let d = kumuh_app::siteplan::save_fitur(&atlas, user.0.as_ref(), &id, expected, fitur, catatan)
        .await?;
    Ok(Versioned(StatusCode::OK, d.revisi, d))
}

/// Restores an earlier version as a new version (the history keeps both). Send
/// `If-Match` with the ETag read. Body: `dari` (the version to restore), optional
/// `catatan`, and `versi` (deprecated: the current version, as read; use `If-Match`).
#[utoipa::path(post, path = "/api/siteplan/{id}/pulihkan", tag = "siteplans",
    request_body = PulihkanBody,
    params(("id" = String, Path, description = "Siteplan id"),
           ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses((status = 200, body = SiteplanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn pulihkan(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<SiteplanDetail>> {
    let mut b = Body::new(body)?;
    let dari: u32 = b.req("dari")?;
    let expected = expected(&headers, &mut b)?;
    let catatan = b.opt_text("catatan")?;
    b.finish()?;
    let atlas = state.atlas();
    let d =
        kumuh_app::siteplan::restore(&atlas, user.0.as_ref(), &id, expected, dari, catatan).await?;
    Ok(Versioned(StatusCode::OK, d.revisi, d))
}

/// Changes title, status (`draf`, `diusulkan`, `ditetapkan`), notes or the `contoh`
/// mark. Send `If-Match` with the ETag read; `versi` in the body (the current version,
/// as read) is deprecated.
#[utoipa::path(patch, path = "/api/siteplan/{id}", operation_id = "update_siteplan", tag = "siteplans", request_body = UpdateSiteplanBody,
    params(("id" = String, Path, description = "Siteplan id"),
           ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses((status = 200, body = SiteplanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<SiteplanDetail>> {
    let mut b = Body::new(body)?;
    let expected = expected(&headers, &mut b)?;
    let judul = b.opt_text("judul")?;
    let status = b
        .opt_text("status")?
        .map(|s| StatusSiteplan::parse(&s))
        .transpose()?;
    let set_keterangan = b.has("keterangan");
    let keterangan = b.opt_text("keterangan")?;
    let contoh: Option<bool> = b.opt("contoh")?;
    b.finish()?;
    let cmd = UpdateSiteplan {
        judul,
        status,
        keterangan: set_keterangan.then_some(keterangan),
        contoh,
    };
    let d =
        kumuh_app::siteplan::update(&state.atlas(), user.0.as_ref(), &id, expected, cmd).await?;
    Ok(Versioned(StatusCode::OK, d.revisi, d))
}

/// The current version (or `?versi=N`) as a GeoJSON file.
#[utoipa::path(get, path = "/api/siteplan/{id}/geojson", tag = "siteplans",
    params(("id" = String, Path, description = "Siteplan id"), VersiParams),
    responses((status = 200, description = "GeoJSON FeatureCollection", body = Object,
               content_type = "application/geo+json"),
              (status = 404, body = ErrorBody)))]
pub async fn export_geojson(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<VersiParams>,
) -> ApiResult<Response> {
    let (fc, versi) =
        kumuh_app::siteplan::export_geojson(&state.atlas(), &id, params.versi).await?;
    Ok(attachment(
        &format!("siteplan-{id}-v{versi}.geojson"),
        "application/geo+json",
        serde_json::to_vec_pretty(&fc).map_err(ApiError::internal)?,
    ))
}

/// The siteplan (every version, with the current features as the `siteplan_fitur` layer
/// and its desa) as a standalone GeoPackage for QGIS.
#[utoipa::path(get, path = "/api/siteplan/{id}/gpkg", tag = "siteplans",
    params(("id" = String, Path, description = "Siteplan id")),
    responses((status = 200, description = "GeoPackage",
               content_type = "application/geopackage+sqlite3"),
              (status = 404, body = ErrorBody)))]
pub async fn export_gpkg(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let bytes = kumuh_app::siteplan::export_gpkg(&state.atlas(), user.0.as_ref(), &id).await?;
    Ok(attachment(
        &format!("siteplan-{id}.gpkg"),
        "application/geopackage+sqlite3",
        bytes,
    ))
}
