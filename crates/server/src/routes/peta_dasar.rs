//! Basemaps (peta dasar): the list the viewer's picker offers, and the tiles of basemaps
//! kept in the atlas. Both are public: imagery carries no personal data. Basemaps are
//! registered with `kumuh basemap add` (docs/peta-dasar.md).

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use kumuh_app::peta_dasar::PetaDasarInfo;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::routes::common::{attachment, parse_wilayah};
use crate::routes::foto::Gambar;

/// How long browsers may keep a basemap tile: an hour (a basemap registered again under
/// its name replaces its tiles).
const CACHE: &str = "public, max-age=3600";

/// Every registered basemap, with the tile URL template the viewer draws it from.
#[utoipa::path(get, path = "/api/peta-dasar", tag = "tiles", operation_id = "peta_dasar",
    responses((status = 200, body = Vec<PetaDasarInfo>)))]
pub async fn daftar(State(state): State<AppState>) -> ApiResult<Json<Vec<PetaDasarInfo>>> {
    Ok(Json(kumuh_app::peta_dasar::daftar(&state.atlas()).await?))
}

/// One tile of a basemap kept in the atlas (XYZ scheme, row 0 at the north).
#[utoipa::path(get, path = "/api/peta-dasar/{nama}/{z}/{x}/{y}", tag = "tiles",
    operation_id = "peta_dasar_ubin",
    params(("nama" = String, Path, description = "Basemap name"),
           ("z" = u8, Path, description = "Zoom"),
           ("x" = u32, Path, description = "Column"),
           ("y" = u32, Path, description = "Row, 0 at the north")),
    responses((status = 200, description = "The tile",
               content((Gambar = "image/png"), (Gambar = "image/jpeg"), (Gambar = "image/webp"))),
              (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn ubin(
    State(state): State<AppState>,
    Path((nama, z, x, y)): Path<(String, u8, u32, u32)>,
) -> ApiResult<Response> {
    if z > 30 || u64::from(x) >> z > 0 || u64::from(y) >> z > 0 {
        return Err(ApiError::bad_request(format!(
            "tile {z}/{x}/{y}: outside the zoom's grid (zoom at most 30, column and row below 2^zoom)"
        )));
    }
    let (media, data) = kumuh_app::peta_dasar::ubin(&state.atlas(), &nama, z, x, y).await?;
    let mut res = data.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}

/// The area of an offline basemap package.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LuringParams {
    /// The place whose boundary's box it covers (e.g. `35.19.09.2014`); the basemap's
    /// whole extent when omitted.
    pub wilayah: Option<String>,
}

/// A kept basemap's tiles over a place as a raster PMTiles file, opened in the viewer
/// beside the atlas package ("Buka berkas PMTiles") to draw over imagery offline. At
/// most 200,000 tiles and 1 GiB.
#[utoipa::path(get, path = "/api/peta-dasar/{nama}/luring", tag = "tiles",
    operation_id = "peta_dasar_luring",
    params(("nama" = String, Path, description = "Basemap name"), LuringParams),
    responses((status = 200, description = "PMTiles v3 archive of raster tiles (application/vnd.pmtiles)"),
              (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn luring(
    State(state): State<AppState>,
    Path(nama): Path<String>,
    Query(params): Query<LuringParams>,
) -> ApiResult<Response> {
    let wilayah = params.wilayah.as_deref().map(parse_wilayah).transpose()?;
    let paket = kumuh_app::peta_dasar::luring(&state.atlas(), &nama, wilayah.as_ref()).await?;
    Ok(attachment(
        &paket.nama_berkas,
        "application/vnd.pmtiles",
        paket.bytes,
    ))
}
