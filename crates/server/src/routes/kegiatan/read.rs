//! Reading works: the list, one work whole, the segments as GeoJSON, and the audit log.

use axum::extract::State;
use axum::http::StatusCode;
use kumuh_domain::works::{JenisKegiatan, StatusKegiatan, SumberDana};
use kumuh_store::{AuditQuery, KegiatanQuery, StoredKegiatan};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::KegiatanDetail;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::routes::common::{Versioned, parse_wilayah};
use crate::routes::places::GeoJson;

/// Which works to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KegiatanParams {
    /// Only works in this place (a desa, or a kecamatan, kabupaten … by code prefix).
    pub wilayah: Option<String>,
    /// Only works of this year.
    pub tahun: Option<u16>,
}

async fn works(state: &AppState, params: &KegiatanParams) -> ApiResult<Vec<StoredKegiatan>> {
    Ok(state
        .store
        .list_kegiatan(&KegiatanQuery {
            wilayah: params.wilayah.as_deref().map(parse_wilayah).transpose()?,
            tahun: params.tahun,
        })
        .await?)
}

/// One work in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct KegiatanRingkas {
    /// Id.
    pub id: String,
    /// Name.
    pub nama: String,
    /// Type.
    #[schema(value_type = String)]
    pub jenis: JenisKegiatan,
    /// Desa code.
    pub kode_desa: String,
    /// Year.
    pub tahun: u16,
    /// Stage.
    #[schema(value_type = String)]
    pub status: StatusKegiatan,
    /// Illustrative, not surveyed.
    pub contoh: bool,
    /// Version.
    pub versi: i64,
    /// Number of segments.
    pub jumlah_segmen: usize,
    /// Known allocations, rupiah.
    pub alokasi_rp: i64,
    /// Allocations of unknown amount.
    pub alokasi_tidak_diketahui: u64,
    /// Spent, rupiah.
    pub realisasi_rp: i64,
    /// The source that paid most.
    #[schema(value_type = Option<String>)]
    pub sumber_utama: Option<SumberDana>,
}

/// Works, by desa and id.
#[utoipa::path(get, path = "/api/kegiatan", operation_id = "list_kegiatan", tag = "works", params(KegiatanParams),
    responses((status = 200, body = [KegiatanRingkas]), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Query(params): Query<KegiatanParams>,
) -> ApiResult<Json<Vec<KegiatanRingkas>>> {
    let mut out = Vec::new();
    for s in works(&state, &params).await? {
        let k = &s.kegiatan;
        let r = k.summary()?;
        out.push(KegiatanRingkas {
            id: k.id().to_string(),
            nama: k.nama.clone(),
            jenis: k.jenis,
            kode_desa: k.kode_desa().to_string(),
            tahun: k.tahun(),
            status: k.status(),
            contoh: k.contoh,
            versi: s.versi,
            jumlah_segmen: k.segmen().len(),
            alokasi_rp: r.alokasi.diketahui_rp.get(),
            alokasi_tidak_diketahui: r.alokasi.tidak_diketahui,
            realisasi_rp: r.realisasi_rp.get(),
            sumber_utama: r.sumber_utama(),
        });
    }
    Ok(Json(out))
}

/// One work whole, with its summary; the ETag is its version. Personal data (the names
/// and RT of the maintenance group's households, who approved an override) only for
/// callers signed in for its desa, the kabupaten and admins; for everyone else member
/// `nama` and `rt` are `null` and `oleh` is role and organisation (`lkm Bibrik`).
#[utoipa::path(get, path = "/api/kegiatan/{id}", operation_id = "get_kegiatan", tag = "works",
    params(("id" = String, Path, description = "Work id")),
    responses((status = 200, body = KegiatanDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let d = kumuh_app::works::get(&state.atlas(), user.0.as_ref(), &id).await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Which segments to draw.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SegmenParams {
    /// Only segments of works in this place (code prefix).
    pub wilayah: Option<String>,
    /// Only segments of works of this year.
    pub tahun: Option<u16>,
    /// Only segments whose bounds intersect `min_lon,min_lat,max_lon,max_lat`.
    pub bbox: Option<String>,
}

/// Work segments as GeoJSON, with status, main source, money and progress per segment.
#[utoipa::path(get, path = "/api/segmen", tag = "works", params(SegmenParams),
    responses((status = 200, description = "GeoJSON FeatureCollection of segments",
               body = Object, content_type = "application/geo+json"),
              (status = 400, body = ErrorBody)))]
pub async fn segmen_geojson(
    State(state): State<AppState>,
    Query(params): Query<SegmenParams>,
) -> ApiResult<GeoJson> {
    let bbox = params
        .bbox
        .as_deref()
        .map(crate::routes::places::parse_bbox)
        .transpose()?;
    let all = works(
        &state,
        &KegiatanParams {
            wilayah: params.wilayah,
            tahun: params.tahun,
        },
    )
    .await?;
    // Summaries and the GeoJSON grow with every vertex of every segment: off the async
    // workers.
    let features =
        kumuh_app::blocking(move || kumuh_app::ekspor::segmen_features(&all, bbox)).await?;
    Ok(GeoJson(kumuh_io::geojson::feature_collection(features)))
}

/// Which audit lines to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only lines about this key and below it (`K1` gives the work and its segments).
    pub kunci: Option<String>,
    /// Only lines older than this id (paging).
    pub sebelum: Option<i64>,
    /// At most this many lines (default 100, at most 1000).
    pub limit: Option<u32>,
}

/// The audit log, newest first: who changed which work, money or progress, when, and
/// what it was before and after. `pengguna` is the username for callers signed in for
/// the line's desa, the kabupaten and admins; for everyone else it is the writer's role
/// and organisation (`lkm Bibrik`, `kabupaten`, `admin`).
#[utoipa::path(get, path = "/api/audit", tag = "works", params(AuditParams),
    responses((status = 200, body = [Object]), (status = 400, body = ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<AuditParams>,
) -> ApiResult<Json<Vec<kumuh_store::AuditEntry>>> {
    let limit = params.limit.unwrap_or(100);
    if limit == 0 || limit > 1000 {
        return Err(ApiError::bad_request("limit: between 1 and 1000"));
    }
    let query = AuditQuery {
        kunci: params.kunci,
        sebelum_id: params.sebelum,
        limit,
    };
    Ok(Json(
        kumuh_app::audit::lines(&state.atlas(), user.0.as_ref(), &query).await?,
    ))
}
