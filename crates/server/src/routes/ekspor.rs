//! One layer of the atlas as a file to download, in a common GIS format (the same as
//! `kumuh export --layer L --format F`).

use axum::extract::State;
use axum::response::Response;
use kumuh_app::ekspor::{Format, Lapisan};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::common::attachment;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Query;

/// Which layer, in which format.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EksporParams {
    /// `provinsi`, `kabupaten`, `kecamatan`, `desa`, `rw`, `rt`, `lokasi`, `jaringan` or
    /// `segmen`.
    pub lapisan: String,
    /// `geojson`, `gpkg`, `shp` (a zip), `kml`, `fgb` or `csv`.
    pub format: String,
}

/// The bytes of an exported file.
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Berkas(pub Vec<u8>);

/// A layer as a file to download, named `kumuh-LAPISAN.EXT` (`kumuh-desa.shp.zip`).
/// No layer carries personal data, so anyone may download them, as the GeoJSON reads.
#[utoipa::path(get, path = "/api/ekspor", tag = "places", operation_id = "ekspor_lapisan",
    params(EksporParams),
    responses((status = 200, description = "The layer as a file (Content-Disposition names it)",
               content((Berkas = "application/geo+json"),
                       (Berkas = "application/geopackage+sqlite3"),
                       (Berkas = "application/zip"),
                       (Berkas = "application/vnd.google-earth.kml+xml"),
                       (Berkas = "application/flatgeobuf"),
                       (Berkas = "text/csv"))),
              (status = 400, body = ErrorBody)))]
pub async fn ekspor(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<EksporParams>,
) -> ApiResult<Response> {
    let lapisan: Lapisan = params
        .lapisan
        .parse()
        .map_err(|e| ApiError::bad_request(format!("lapisan: {e}")))?;
    let format: Format = params
        .format
        .parse()
        .map_err(|e| ApiError::bad_request(format!("format: {e}")))?;
    let file = kumuh_app::ekspor::ekspor(&state.atlas(), user.0.as_ref(), lapisan, format).await?;
    Ok(attachment(&file.file_name, file.content_type, file.bytes))
}
