//! Road and drainage lines, and the criteria volumes they give a slum location.

use axum::extract::State;
use kumuh_domain::jaringan::{DerivedVolumes, KRITERIA, derive_volumes};
use kumuh_store::AssessmentQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::routes::places::GeoJson;

/// Which lines to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JaringanParams {
    /// Only lines intersecting `min_lon,min_lat,max_lon,max_lat` (EPSG:4326).
    pub bbox: Option<String>,
}

/// Road and drainage lines with their condition, as GeoJSON.
#[utoipa::path(get, path = "/api/jaringan", operation_id = "list_jaringan", tag = "assessments", params(JaringanParams),
    responses((status = 200, description = "GeoJSON FeatureCollection of lines", body = Object,
               content_type = "application/geo+json"),
              (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Query(params): Query<JaringanParams>,
) -> ApiResult<GeoJson> {
    let bbox = params
        .bbox
        .as_deref()
        .map(crate::routes::places::parse_bbox)
        .transpose()?;
    let ruas = state.store.jaringan(bbox).await?;
    Ok(GeoJson(kumuh_io::geojson::jaringan_collection(&ruas)))
}

/// One criterion: the surveyed volume beside the one the map gives.
#[derive(Debug, Serialize, ToSchema)]
pub struct Turunan {
    /// Criterion code (`2a`, `2b`, `4b`, `4c`).
    pub kriteria: String,
    /// The surveyed volume of the latest assessment, metres.
    pub survei_m: Option<f64>,
    /// The volume derived from the mapped lines inside the location, metres.
    pub peta_m: Option<f64>,
    /// Whether the mapped value rests on illustrative (`contoh`) lines.
    pub peta_contoh: bool,
    /// Which one the latest stored assessment used (`survei` or `peta`).
    pub dipakai: Option<String>,
}

/// What the map says about a slum location's road and drainage criteria.
#[derive(Debug, Serialize, ToSchema)]
pub struct TurunanLokasi {
    /// The location.
    pub kode_lokasi: String,
    /// Year of the latest assessment compared against, if any.
    pub tahun: Option<u16>,
    /// One entry per derivable criterion.
    pub kriteria: Vec<Turunan>,
    /// Lengths by kind and condition, per line, and data issues.
    #[schema(value_type = Object)]
    pub rincian: DerivedVolumes,
}

/// Criteria 2a/2b/4b/4c derived from the road and drainage lines inside a location,
/// beside the surveyed values of its latest assessment.
#[utoipa::path(get, path = "/api/lokasi/{kode}/turunan", tag = "assessments",
    params(("kode" = String, Path, description = "The slum location's code")),
    responses((status = 200, body = TurunanLokasi), (status = 404, body = ErrorBody)))]
pub async fn turunan(
    State(state): State<AppState>,
    Path(kode): Path<String>,
) -> ApiResult<Json<TurunanLokasi>> {
    let lokasi = state
        .store
        .lokasi(&kode)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no slum location with code {kode}")))?;
    let ruas = match kumuh_domain::geometry::bbox(&lokasi.geometry) {
        Some(b) => state.store.jaringan(Some(b)).await?,
        None => Vec::new(),
    };
    let derived = derive_volumes(&lokasi.geometry, &ruas);
    let records = state
        .store
        .assessments(&AssessmentQuery {
            kode_lokasi: Some(kode.clone()),
            ..Default::default()
        })
        .await?;
    let latest = records.last();
    let kriteria = KRITERIA
        .iter()
        .map(|code| {
            let result = latest.map(|r| &r.result);
            let used = result
                .and_then(|r| r.sumber_volume.as_deref())
                .and_then(|a| a.iter().find(|x| x.criterion == *code))
                .map(|x| x.used.as_str().to_owned());
            Turunan {
                kriteria: (*code).to_owned(),
                survei_m: result
                    .and_then(|r| r.criteria.get(*code))
                    .and_then(|c| c.volume),
                peta_m: derived.volume(code).map(|v| (v * 100.0).round() / 100.0),
                peta_contoh: derived.contoh_for(code),
                dipakai: used.or_else(|| latest.map(|_| "survei".to_owned())),
            }
        })
        .collect();
    Ok(Json(TurunanLokasi {
        kode_lokasi: kode,
        tahun: latest.map(|r| r.tahun),
        kriteria,
        rincian: derived,
    }))
}
