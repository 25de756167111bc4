//! Siteplans of desa: list, read (any version), create, save a new version, restore an
//! earlier one, change title or status, and export as GeoJSON or GeoPackage.
//!
//! Features travel as a GeoJSON FeatureCollection whose features carry `id`,
//! `kategori`, `label` and `catatan` properties. Every change names the version it was
//! made on (`versi` in the body): a change on an older one is refused with 409, so a
//! plan edited on two tablets never silently loses one of them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kumuh_domain::siteplan::{
    Fitur, FiturDraft, Kategori, KategoriInfo, Siteplan, SiteplanBaru, SiteplanError, SiteplanId,
    StatusSiteplan, fitur_from_drafts,
};
use kumuh_domain::{Action, Kode, User};
use kumuh_store::{NewAudit, SiteplanWrite, StoreError, StoredSiteplan};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::{CurrentUser, require};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::routes::common::{attachment, check_desa, new_id, parse_wilayah};
use crate::routes::kegiatan::Versioned;
use crate::routes::kegiatan::input::Body;

impl From<SiteplanError> for ApiError {
    fn from(e: SiteplanError) -> Self {
        match &e {
            SiteplanError::Conflict { .. } => ApiError::conflict("stale_version", e.to_string()),
            SiteplanError::VersiNotFound { .. } => ApiError::not_found(e.to_string()),
            _ => ApiError::unprocessable(e.to_string()),
        }
    }
}

/// Now, as RFC 3339 UTC (`2026-11-28T03:04:05Z`).
fn now_rfc3339() -> String {
    let secs = crate::auth::now_unix();
    let day = secs.div_euclid(86_400);
    let s = secs.rem_euclid(86_400);
    let date = kumuh_domain::works::Tanggal::from_day_number(day)
        .map_or_else(|| "1970-01-01".to_owned(), |d| d.to_string());
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        s / 3600,
        (s % 3600) / 60,
        s % 60
    )
}

/// A siteplan's features as GeoJSON, with their geodesic size.
fn fitur_collection(fitur: &[Fitur]) -> Value {
    let features: Vec<Value> = fitur
        .iter()
        .map(|f| {
            json!({
                "type": "Feature",
                "id": f.id.as_str(),
                "properties": {
                    "id": f.id.as_str(), "kategori": f.kategori.as_str(),
                    "label": f.label, "catatan": f.catatan, "ukuran": f.ukuran(),
                    "warna": f.kategori.simbol().warna,
                },
                "geometry": kumuh_io::geojson::geometry_json(&f.geometry),
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
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

/// One version in a siteplan's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersiInfo {
    /// Version number, from 1.
    pub versi: u32,
    /// Who saved it.
    pub dibuat_oleh: String,
    /// When (RFC 3339).
    pub waktu: String,
    /// The saver's note.
    pub catatan: Option<String>,
    /// The version it restored, if it is a restore.
    pub dipulihkan_dari: Option<u32>,
    /// Number of features.
    pub jumlah_fitur: usize,
}

/// A siteplan as the viewer needs it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SiteplanDetail {
    /// Id.
    pub id: String,
    /// Desa code.
    pub kode_desa: String,
    /// Title.
    pub judul: String,
    /// `draf`, `diusulkan` or `ditetapkan`.
    pub status: String,
    /// Illustrative (contoh), not an adopted plan.
    pub contoh: bool,
    /// Notes.
    pub keterangan: Option<String>,
    /// The version shown (the current one unless asked).
    pub versi: u32,
    /// The current version.
    pub versi_terkini: u32,
    /// Revision of the record: send it back as `revisi` with a change.
    pub revisi: i64,
    /// The features of `versi`, as GeoJSON.
    #[schema(value_type = Object)]
    pub fitur: Value,
    /// Every version, oldest first.
    pub riwayat: Vec<VersiInfo>,
    /// Features lying outside the desa (warnings, shown on the map).
    #[schema(value_type = Object)]
    pub di_luar_desa: Value,
}

async fn detail(
    state: &AppState,
    stored: &StoredSiteplan,
    versi: Option<u32>,
) -> ApiResult<SiteplanDetail> {
    let sp = &stored.siteplan;
    let shown = match versi {
        Some(n) => sp.version(n).ok_or_else(|| {
            ApiError::not_found(format!(
                "siteplan {} has no version {n} (it has 1 to {})",
                sp.id(),
                sp.current_versi()
            ))
        })?,
        None => sp.current(),
    };
    let outside = match state.store.place(sp.kode_desa()).await? {
        Some(desa) => desa
            .geometry
            .map(|g| kumuh_domain::siteplan::outside_desa(&g, &shown.fitur))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let di_luar_desa = Value::Array(
        outside
            .iter()
            .map(|o| json!({"id": o.id.as_str(), "index": o.index, "luar": o.luar, "pesan": o.to_string()}))
            .collect(),
    );
    Ok(SiteplanDetail {
        id: sp.id().to_string(),
        kode_desa: sp.kode_desa().to_string(),
        judul: sp.judul().to_owned(),
        status: sp.status().as_str().to_owned(),
        contoh: sp.contoh(),
        keterangan: sp.keterangan().map(str::to_owned),
        versi: shown.versi,
        versi_terkini: sp.current_versi(),
        revisi: stored.revisi,
        fitur: fitur_collection(&shown.fitur),
        riwayat: sp
            .versions()
            .iter()
            .map(|v| VersiInfo {
                versi: v.versi,
                dibuat_oleh: v.dibuat_oleh.clone(),
                waktu: v.waktu.clone(),
                catatan: v.catatan.clone(),
                dipulihkan_dari: v.dipulihkan_dari,
                jumlah_fitur: v.fitur.len(),
            })
            .collect(),
        di_luar_desa,
    })
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
#[utoipa::path(get, path = "/api/siteplan", tag = "siteplans", params(SiteplanParams),
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
    responses((status = 200, body = Object)))]
pub async fn kategori() -> Json<Vec<KategoriInfo>> {
    Json(Kategori::ALL.iter().map(|k| k.info()).collect())
}

async fn load(state: &AppState, id: &str) -> ApiResult<StoredSiteplan> {
    state
        .store
        .siteplan(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no siteplan {id}")))
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
#[utoipa::path(get, path = "/api/siteplan/{id}", tag = "siteplans",
    params(("id" = String, Path, description = "Siteplan id"), VersiParams),
    responses((status = 200, body = SiteplanDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<VersiParams>,
) -> ApiResult<Versioned<SiteplanDetail>> {
    let stored = load(&state, &id).await?;
    let d = detail(&state, &stored, params.versi).await?;
    Ok(Versioned(StatusCode::OK, stored.revisi, d))
}

/// Saves a change: stores it on the revision it was made on and logs it.
async fn save(
    state: &AppState,
    user: &User,
    stored: Option<&StoredSiteplan>,
    sp: &Siteplan,
    aksi: &str,
    sesudah: Value,
) -> ApiResult<(i64, StatusCode)> {
    let revisi = state
        .store
        .save_siteplan(&SiteplanWrite {
            siteplan: sp,
            revisi: stored.map(|s| s.revisi),
            audit: vec![NewAudit {
                pengguna: user.username.clone(),
                entitas: "siteplan".into(),
                kunci: sp.id().to_string(),
                aksi: aksi.into(),
                sebelum: stored.map(|s| {
                    json!({"versi": s.siteplan.current_versi(), "status": s.siteplan.status().as_str(),
                           "judul": s.siteplan.judul()})
                }),
                sesudah: Some(sesudah),
            }],
        })
        .await
        .map_err(|e| match e {
            e @ StoreError::Stale { .. } => ApiError::conflict("stale_version", e.to_string()),
            other => other.into(),
        })?;
    tracing::info!(user = %user.username, siteplan = %sp.id(), aksi, "siteplan changed");
    Ok((
        revisi,
        if stored.is_some() {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        },
    ))
}

async fn answer(
    state: &AppState,
    id: &str,
    revisi: i64,
    status: StatusCode,
) -> ApiResult<Versioned<SiteplanDetail>> {
    let stored = load(state, id).await?;
    let d = detail(state, &stored, None).await?;
    Ok(Versioned(status, revisi, d))
}

/// Creates a siteplan for a desa. Body: `kode_desa`, `judul`, optional `id`,
/// `keterangan`, `contoh`, `catatan` (note of version 1) and `fitur` (GeoJSON
/// FeatureCollection; features carry `id`, `kategori`, `label`, `catatan`).
#[utoipa::path(post, path = "/api/siteplan", tag = "siteplans", request_body = Object,
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
    let who = may_edit(&user, &kode_desa)?;
    check_desa(&state, &kode_desa, "kode_desa").await?;
    let id = SiteplanId::new(new_id(b.opt_text("id")?, "SP", &kode_desa)?)?;
    let judul = b.req_text("judul")?;
    let keterangan = b.opt_text("keterangan")?;
    let contoh = b.opt::<bool>("contoh")?.unwrap_or(false);
    let catatan = b.opt_text("catatan")?;
    let fitur = match b.opt::<Value>("fitur")? {
        Some(v) => fitur_from_drafts(&id, drafts(&v)?)?,
        None => Vec::new(),
    };
    b.finish()?;
    let sp = Siteplan::new(
        SiteplanBaru {
            id,
            kode_desa,
            judul,
            keterangan,
            contoh,
        },
        fitur,
        &who.username,
        &now_rfc3339(),
        catatan,
    )?;
    let (revisi, status) = save(
        &state,
        &who,
        None,
        &sp,
        "buat",
        json!({"versi": 1, "jumlah_fitur": sp.current().fitur.len()}),
    )
    .await?;
    answer(&state, sp.id().as_str(), revisi, status).await
}

fn expected_versi(b: &mut Body) -> ApiResult<u32> {
    b.req::<u32>("versi")
}

/// Checks that `user` may change the siteplans of `kode_desa`.
fn may_edit(user: &CurrentUser, kode_desa: &Kode) -> ApiResult<User> {
    require(
        user,
        &Action::EditSiteplan {
            kode_desa: kode_desa.clone(),
        },
    )
}

/// Changes a siteplan: loads it, checks that `user` may change it, lets `apply` read the
/// body and change a copy (given the user's name; it returns the audit line's `sesudah`),
/// saves the copy on the revision loaded and answers with the result.
async fn change(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    body: Value,
    aksi: &str,
    apply: impl FnOnce(Body, &mut Siteplan, &str) -> ApiResult<Value>,
) -> ApiResult<Versioned<SiteplanDetail>> {
    let stored = load(state, id).await?;
    let who = may_edit(user, stored.siteplan.kode_desa())?;
    let b = Body::new(body)?;
    let mut sp = stored.siteplan.clone();
    let sesudah = apply(b, &mut sp, &who.username)?;
    let (revisi, _) = save(state, &who, Some(&stored), &sp, aksi, sesudah).await?;
    answer(state, id, revisi, StatusCode::OK).await
}

/// Saves a new version of the features. Body: `versi` (the version they were edited
/// on; 409 if another was saved since), `fitur` (FeatureCollection), optional
/// `catatan`. Only a `draf` siteplan takes new features.
#[utoipa::path(put, path = "/api/siteplan/{id}/fitur", tag = "siteplans", request_body = Object,
    params(("id" = String, Path, description = "Siteplan id")),
    responses((status = 200, body = SiteplanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn put_fitur(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<SiteplanDetail>> {
    change(&state, &user, &id, body, "simpan", |mut b, sp, by| {
        let versi = expected_versi(&mut b)?;
        let fitur_json = b
            .opt::<Value>("fitur")?
            .ok_or_else(|| ApiError::unprocessable("fitur: is required"))?;
        let catatan = b.opt_text("catatan")?;
        b.finish()?;
        let fitur = fitur_from_drafts(sp.id(), drafts(&fitur_json)?)?;
        let n = sp.save(fitur, by, &now_rfc3339(), catatan, versi)?;
        Ok(json!({"versi": n, "jumlah_fitur": sp.current().fitur.len()}))
    })
    .await
}

/// Restores an earlier version as a new version (the history keeps both). Body:
/// `dari` (the version to restore), `versi` (the current version, as read), optional
/// `catatan`.
#[utoipa::path(post, path = "/api/siteplan/{id}/pulihkan", tag = "siteplans",
    request_body = Object,
    params(("id" = String, Path, description = "Siteplan id")),
    responses((status = 200, body = SiteplanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn pulihkan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<SiteplanDetail>> {
    change(&state, &user, &id, body, "pulihkan", |mut b, sp, by| {
        let dari: u32 = b.req("dari")?;
        let versi = expected_versi(&mut b)?;
        let catatan = b.opt_text("catatan")?;
        b.finish()?;
        let n = sp.restore(dari, by, &now_rfc3339(), catatan, versi)?;
        Ok(json!({"versi": n, "dipulihkan_dari": dari}))
    })
    .await
}

/// Changes title, status (`draf`, `diusulkan`, `ditetapkan`), notes or the `contoh`
/// mark. Body: `versi` (current version, as read) and the fields to change.
#[utoipa::path(patch, path = "/api/siteplan/{id}", tag = "siteplans", request_body = Object,
    params(("id" = String, Path, description = "Siteplan id")),
    responses((status = 200, body = SiteplanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<SiteplanDetail>> {
    change(&state, &user, &id, body, "ubah", |mut b, sp, by| {
        let versi = expected_versi(&mut b)?;
        let judul = b.opt_text("judul")?;
        let status = b
            .opt_text("status")?
            .map(|s| StatusSiteplan::parse(&s))
            .transpose()?;
        let set_keterangan = b.has("keterangan");
        let keterangan = b.opt_text("keterangan")?;
        let contoh: Option<bool> = b.opt("contoh")?;
        b.finish()?;
        let now = now_rfc3339();
        if let Some(j) = &judul {
            sp.set_judul(j, by, &now, versi)?;
        }
        if set_keterangan {
            sp.set_keterangan(keterangan, by, &now, versi)?;
        }
        if let Some(c) = contoh {
            sp.set_contoh(c, by, &now, versi)?;
        }
        if let Some(st) = status {
            sp.set_status(st, by, &now, versi)?;
        }
        Ok(json!({"judul": sp.judul(), "status": sp.status().as_str(), "contoh": sp.contoh()}))
    })
    .await
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
    let stored = load(&state, &id).await?;
    let d = detail(&state, &stored, params.versi).await?;
    let mut fc = d.fitur;
    if let Some(o) = fc.as_object_mut() {
        o.insert(
            "siteplan".into(),
            json!({"id": d.id, "kode_desa": d.kode_desa, "judul": d.judul, "status": d.status,
                   "versi": d.versi, "contoh": d.contoh}),
        );
    }
    Ok(attachment(
        &format!("siteplan-{id}-v{}.geojson", d.versi),
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
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let stored = load(&state, &id).await?;
    let desa = state.store.place(stored.siteplan.kode_desa()).await?;
    let dir = tempfile::tempdir().map_err(ApiError::internal)?;
    let path = dir.path().join("siteplan.gpkg");
    let (out, _) =
        kumuh_store::GpkgStore::open(&path, kumuh_store::OpenMode::CreateIfMissing).await?;
    if let Some(d) = desa {
        kumuh_store::Store::upsert_places(&out, std::slice::from_ref(&d)).await?;
    }
    kumuh_store::Store::save_siteplan(
        &out,
        &SiteplanWrite {
            siteplan: &stored.siteplan,
            revisi: None,
            audit: vec![],
        },
    )
    .await?;
    out.close().await;
    let bytes = tokio::fs::read(&path).await.map_err(ApiError::internal)?;
    Ok(attachment(
        &format!("siteplan-{id}.gpkg"),
        "application/geopackage+sqlite3",
        bytes,
    ))
}
