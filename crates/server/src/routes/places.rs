//! Administrative places and slum locations: lists, GeoJSON, labels, search, edits.

use axum::extract::State;
use axum::http::StatusCode;
use kumuh_domain::{Kode, Level, PlaceSummary};
use kumuh_io::geojson as gj;
use kumuh_store::PlaceQuery;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};

/// Which places to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlacesParams {
    /// `provinsi`, `kabupaten`, `kecamatan`, `desa`, `rw` or `rt`.
    pub level: String,
    /// Only places inside this parent code, e.g. `35.19.09`.
    pub parent: Option<String>,
    /// Only places intersecting `min_lon,min_lat,max_lon,max_lat` (EPSG:4326).
    pub bbox: Option<String>,
}

impl PlacesParams {
    fn query(&self) -> ApiResult<PlaceQuery> {
        let level: Level = self
            .level
            .parse()
            .map_err(|e| ApiError::bad_request(format!("level: {e}")))?;
        let parent = self
            .parent
            .as_deref()
            .filter(|p| !p.trim().is_empty())
            .map(|p| Kode::parse(p).map_err(|e| ApiError::bad_request(format!("parent: {e}"))))
            .transpose()?;
        let bbox = self.bbox.as_deref().map(parse_bbox).transpose()?;
        Ok(PlaceQuery {
            level,
            parent,
            bbox,
        })
    }
}

pub(crate) fn parse_bbox(s: &str) -> ApiResult<[f64; 4]> {
    kumuh_domain::geometry::parse_bbox(s).ok_or_else(|| {
        ApiError::bad_request(format!(
            "bbox: `{s}` must be four numbers min_lon,min_lat,max_lon,max_lat in EPSG:4326"
        ))
    })
}

fn parse_kode(kode: &str) -> ApiResult<Kode> {
    Kode::parse(kode).map_err(|e| ApiError::bad_request(format!("kode: {e}")))
}

/// A place without geometry.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceInfo {
    /// Kemendagri code.
    pub kode: String,
    /// Level.
    pub level: String,
    /// Code of the enclosing place.
    pub parent: Option<String>,
    /// BPS code, where known.
    pub kode_bps: Option<String>,
    /// Official name.
    pub nama: String,
    /// Other spellings.
    pub nama_alt: Vec<String>,
    /// Geodesic area in hectares.
    pub area_ha: Option<f64>,
}

impl From<PlaceSummary> for PlaceInfo {
    fn from(p: PlaceSummary) -> Self {
        PlaceInfo {
            kode: p.kode.to_string(),
            level: p.level.to_string(),
            parent: p.parent.map(|k| k.to_string()),
            kode_bps: p.kode_bps,
            nama: p.nama,
            nama_alt: p.nama_alt,
            area_ha: p.area_ha.map(|a| (a * 100.0).round() / 100.0),
        }
    }
}

/// A list of places.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceList {
    /// The places, ordered by code.
    pub places: Vec<PlaceInfo>,
}

/// Places of one level, optionally inside a parent or a bounding box.
#[utoipa::path(get, path = "/api/places", operation_id = "list_places", tag = "places", params(PlacesParams),
    responses((status = 200, body = PlaceList), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Query(params): Query<PlacesParams>,
) -> ApiResult<Json<PlaceList>> {
    let places = state.store.list_places(&params.query()?).await?;
    Ok(Json(PlaceList {
        places: places.into_iter().map(PlaceInfo::from).collect(),
    }))
}

/// Places of one level as a GeoJSON FeatureCollection (RFC 7946), feature `id` = code.
#[utoipa::path(get, path = "/api/places/geojson", tag = "places", params(PlacesParams),
    responses((status = 200, description = "GeoJSON FeatureCollection", body = Object,
               content_type = "application/geo+json"),
              (status = 400, body = ErrorBody)))]
pub async fn geojson(
    State(state): State<AppState>,
    Query(params): Query<PlacesParams>,
) -> ApiResult<GeoJson> {
    let places = state.store.places(&params.query()?).await?;
    Ok(GeoJson(gj::places_collection(&places, false)))
}

/// One label point per place, always inside its polygon.
#[utoipa::path(get, path = "/api/places/labels", tag = "places", params(PlacesParams),
    responses((status = 200, description = "GeoJSON FeatureCollection of points", body = Object,
               content_type = "application/geo+json"),
              (status = 400, body = ErrorBody)))]
pub async fn labels(
    State(state): State<AppState>,
    Query(params): Query<PlacesParams>,
) -> ApiResult<GeoJson> {
    let places = state.store.places(&params.query()?).await?;
    Ok(GeoJson(gj::label_points(&places)))
}

/// One place with its boundary, as a GeoJSON Feature.
#[utoipa::path(get, path = "/api/places/{kode}", operation_id = "get_place", tag = "places",
    params(("kode" = String, Path, description = "Kemendagri code, e.g. 35.19.09.2014")),
    responses((status = 200, description = "GeoJSON Feature", body = Object,
               content_type = "application/geo+json"),
              (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, Path(kode): Path<String>) -> ApiResult<GeoJson> {
    let kode = parse_kode(&kode)?;
    let place = state
        .store
        .place(&kode)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no place with code {kode}")))?;
    Ok(GeoJson(gj::place_feature(&place, false)))
}

/// A place to create or replace.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({
    "nama": "Bibrik", "nama_alt": ["Desa Bibrik"],
    "geometry": {"type": "Polygon", "coordinates": [[
        [111.49, -7.58], [111.50, -7.58], [111.50, -7.57], [111.49, -7.57], [111.49, -7.58]
    ]]}
}))]
#[serde(deny_unknown_fields)]
pub struct PlaceInput {
    /// Official name.
    pub nama: String,
    /// Other spellings.
    #[serde(default)]
    pub nama_alt: Vec<String>,
    /// BPS code, where known.
    pub kode_bps: Option<String>,
    /// GeoJSON Polygon or MultiPolygon in EPSG:4326.
    #[schema(value_type = Object)]
    pub geometry: Value,
}

/// Creates or replaces a place (admin). Its other attributes are kept.
#[utoipa::path(put, path = "/api/places/{kode}", tag = "places", request_body = PlaceInput,
    params(("kode" = String, Path, description = "Kemendagri code")),
    responses((status = 200, description = "the stored GeoJSON Feature", body = Object),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kode): Path<String>,
    Json(input): Json<PlaceInput>,
) -> ApiResult<GeoJson> {
    let kode = parse_kode(&kode)?;
    let place = kumuh_app::places::put(
        &state.atlas(),
        user.0.as_ref(),
        kumuh_app::places::PutPlace {
            kode,
            nama: input.nama,
            nama_alt: input.nama_alt,
            kode_bps: input.kode_bps,
            geometry: input.geometry,
        },
    )
    .await?;
    Ok(GeoJson(gj::place_feature(&place, false)))
}

/// Deletes a place (admin).
#[utoipa::path(delete, path = "/api/places/{kode}", tag = "places",
    params(("kode" = String, Path, description = "Kemendagri code")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kode): Path<String>,
) -> ApiResult<StatusCode> {
    let kode = parse_kode(&kode)?;
    kumuh_app::places::delete(&state.atlas(), user.0.as_ref(), &kode).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What to search for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Name or part of a name; case, spaces and punctuation are ignored.
    pub q: String,
    /// At most this many results (1..=100, default 10).
    pub limit: Option<u32>,
}

/// Search results, best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    /// Matching places.
    pub results: Vec<PlaceInfo>,
}

/// Finds places by name: "klagen serut" finds Klagenserut.
#[utoipa::path(get, path = "/api/search", tag = "places", params(SearchParams),
    responses((status = 200, body = SearchResults), (status = 400, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> ApiResult<Json<SearchResults>> {
    let limit = params.limit.unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::bad_request("limit: must be between 1 and 100"));
    }
    if params.q.chars().count() > 200 {
        return Err(ApiError::bad_request("q: at most 200 characters"));
    }
    let hits = state.store.search_places(&params.q, limit).await?;
    Ok(Json(SearchResults {
        results: hits.into_iter().map(PlaceInfo::from).collect(),
    }))
}

/// Which slum locations to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LokasiParams {
    /// Only the locations of this desa.
    pub desa: Option<String>,
}

/// Slum locations (lokasi kumuh) as a GeoJSON FeatureCollection, each with its latest
/// assessment's year, total, class (`kelas`) and priority (`prioritas`) where assessed.
#[utoipa::path(get, path = "/api/lokasi", tag = "places", params(LokasiParams),
    responses((status = 200, description = "GeoJSON FeatureCollection", body = Object,
               content_type = "application/geo+json"),
              (status = 400, body = ErrorBody)))]
pub async fn lokasi(
    State(state): State<AppState>,
    Query(params): Query<LokasiParams>,
) -> ApiResult<GeoJson> {
    let desa = params.desa.as_deref().map(parse_kode).transpose()?;
    let items = state.store.list_lokasi(desa.as_ref()).await?;
    let records = state
        .store
        .assessments(&kumuh_store::AssessmentQuery {
            wilayah: desa,
            ..Default::default()
        })
        .await?;
    Ok(GeoJson(gj::lokasi_collection(
        &items,
        kumuh_store::latest_assessments(&records),
    )))
}

/// A GeoJSON response with the `application/geo+json` media type.
#[derive(Debug)]
pub struct GeoJson(pub Value);

impl axum::response::IntoResponse for GeoJson {
    fn into_response(self) -> axum::response::Response {
        (
            [(axum::http::header::CONTENT_TYPE, "application/geo+json")],
            self.0.to_string(),
        )
            .into_response()
    }
}
