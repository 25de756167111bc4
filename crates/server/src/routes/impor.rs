//! A GIS file imported through the API (the viewer's "Impor data"): the same use case as
//! `kumuh import`. The file is the request body, streamed to a temporary file (never held
//! in memory) up to the configured upload limit; reading, mapping and checking run on
//! the blocking pool inside the use case.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use kumuh_app::impor::{HasilImpor, Perintah, Pratinjau, tanpa_kemajuan};
use kumuh_io::foreign::{Crs, Mapping};
use serde::Deserialize;
use tokio::io::AsyncWriteExt;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Query};

/// The features a preview returns for the map.
pub const PREVIEW_FEATURES: usize = 500;

/// Which file, what it holds, and how to read it.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImporParams {
    /// The file's name as chosen (`batas_desa.zip`): its extension tells the format, and
    /// messages and the audit log name it.
    pub berkas: String,
    /// What the file holds: `desa`, `rw`, `rt`, `lokasi` or `jaringan`.
    pub level: String,
    /// The layer of a GeoPackage, or the Shapefile of a zip, that holds several (the
    /// preview reads the first when none is named).
    pub lapisan: Option<String>,
    /// The coordinate system when the file names none or the wrong one, e.g. `EPSG:32749`.
    pub crs: Option<String>,
    /// Kumuh's fields from the file's, as `kumuh import --map` writes them:
    /// `kode=KD_DESA,nama=NAMA_DESA` (transforms `padN`, `concat`, `m2_to_ha`). Without
    /// it, the preview applies the suggested mapping and the import maps only fields
    /// that carry Kumuh's names.
    pub pemetaan: Option<String>,
    /// Import the features without problems and leave the others out (default: a file
    /// with any problem imports nothing).
    #[serde(default)]
    pub lewati_salah: bool,
}

/// The file's bytes.
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct BerkasImpor(pub Vec<u8>);

/// What an import would do with the file, without writing anything: its layers and
/// fields, the mapping suggested for each of Kumuh's fields of the level (by the words of
/// the names, see `kumuh_app::impor::sarankan`), the counts, the first features mapped to
/// EPSG:4326 for the map, and every problem by feature and field. Kabupaten and admin
/// users only.
#[utoipa::path(post, path = "/api/impor/pratinjau", tag = "places", operation_id = "impor_pratinjau",
    params(ImporParams),
    request_body(content = BerkasImpor, content_type = "application/octet-stream",
                 description = "The file: GeoJSON, a zipped Shapefile, KML/KMZ, GeoPackage, FlatGeobuf or CSV"),
    responses((status = 200, body = Pratinjau),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 413, body = ErrorBody, description = "Larger than the upload limit"),
              (status = 422, body = ErrorBody, description = "A file that cannot be read")),
    security(("bearer" = [])))]
pub async fn pratinjau(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<ImporParams>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<Pratinjau>> {
    kumuh_app::impor::boleh(user.0.as_ref())?;
    let (cmd, _dir) = receive(&state, params, &headers, body).await?;
    let atlas = state.atlas();
    let p = kumuh_app::impor::pratinjau(
        Some(&atlas),
        user.0.as_ref(),
        &cmd,
        PREVIEW_FEATURES,
        tanpa_kemajuan(),
    )
    .await?;
    Ok(Json(p))
}

/// Imports the file in one transaction, with one line in the audit log naming the user
/// and the file (entity `impor`). A file with a problem imports nothing (422, every
/// problem named with feature and field) unless `lewati_salah` leaves those features out.
/// Kabupaten and admin users only.
#[utoipa::path(post, path = "/api/impor", tag = "places", operation_id = "impor_berkas",
    params(ImporParams),
    request_body(content = BerkasImpor, content_type = "application/octet-stream",
                 description = "The file: GeoJSON, a zipped Shapefile, KML/KMZ, GeoPackage, FlatGeobuf or CSV"),
    responses((status = 200, body = HasilImpor),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 413, body = ErrorBody, description = "Larger than the upload limit"),
              (status = 422, body = ErrorBody, description = "Problems, by feature and field; nothing imported")),
    security(("bearer" = [])))]
pub async fn impor(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<ImporParams>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<HasilImpor>> {
    kumuh_app::impor::boleh(user.0.as_ref())?;
    let (cmd, _dir) = receive(&state, params, &headers, body).await?;
    let hasil =
        kumuh_app::impor::impor(&state.atlas(), user.0.as_ref(), &cmd, tanpa_kemajuan()).await?;
    Ok(Json(hasil))
}

/// The command of a request, with its body saved to a temporary folder (removed when
/// the folder is dropped).
async fn receive(
    state: &AppState,
    params: ImporParams,
    headers: &HeaderMap,
    body: Body,
) -> ApiResult<(Perintah, tempfile::TempDir)> {
    // A file announced larger than the limit is refused before a byte of it is read.
    let limit = state.config.max_upload_bytes;
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let jenis = kumuh_app::impor::jenis(&params.level)?;
    let crs = params
        .crs
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .map(Crs::parse_name)
        .transpose()
        .map_err(|e| ApiError::unprocessable(format!("crs: {e}")))?;
    let pemetaan = params
        .pemetaan
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .map(Mapping::parse_list)
        .transpose()
        .map_err(|(f, m)| ApiError::unprocessable(format!("pemetaan, field `{f}`: {m}")))?;
    let nama = file_name(&params.berkas);
    let dir = tempfile::tempdir()
        .map_err(|e| ApiError::internal(format!("making a temporary folder: {e}")))?;
    let path = dir.path().join(&nama);
    save(body, &path, limit).await?;
    Ok((
        Perintah {
            path,
            nama,
            jenis,
            lapisan: params.lapisan.filter(|l| !l.trim().is_empty()),
            crs,
            pemetaan,
            lewati_salah: params.lewati_salah,
        },
        dir,
    ))
}

/// The last part of a sent name, with only letters, digits, `.`, `_`, `-` and spaces
/// (so that it is a plain file name in the temporary folder and in the audit log).
fn file_name(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or(sent);
    let clean: String = last
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | ' '))
        .take(120)
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_owned();
    if clean.is_empty() {
        "berkas".to_owned()
    } else {
        clean
    }
}

/// The upload limit in words: `200 MB`.
fn limit_words(limit: u64) -> String {
    if limit >= 1024 * 1024 && limit.is_multiple_of(1024 * 1024) {
        format!("{} MB", limit / 1024 / 1024)
    } else {
        format!("{limit} bytes")
    }
}

fn too_large(limit: u64) -> ApiError {
    ApiError::payload_too_large(format!(
        "the file is larger than the upload limit of {} (kumuh serve --max-upload-mb)",
        limit_words(limit)
    ))
}

/// Streams the body to `path`, refusing it once it passes `limit` bytes.
async fn save(body: Body, path: &Path, limit: u64) -> ApiResult<PathBuf> {
    use http_body_util::BodyExt;
    let mut file = tokio::fs::File::create(path)
        .await
        .map_err(|e| ApiError::internal(format!("saving the upload: {e}")))?;
    let mut body = body;
    let mut written: u64 = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| ApiError::bad_request(format!("reading the file: {e}")))?;
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        written = written.saturating_add(chunk.len() as u64);
        if written > limit {
            return Err(too_large(limit));
        }
        file.write_all(&chunk)
            .await
            .map_err(|e| ApiError::internal(format!("saving the upload: {e}")))?;
    }
    file.flush()
        .await
        .map_err(|e| ApiError::internal(format!("saving the upload: {e}")))?;
    if written == 0 {
        return Err(ApiError::bad_request("the request holds no file"));
    }
    Ok(path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sent_names_become_plain_file_names() {
        assert_eq!(file_name("batas_desa.zip"), "batas_desa.zip");
        assert_eq!(
            file_name("C:\\data\\Batas Desa.shp.zip"),
            "Batas Desa.shp.zip"
        );
        assert_eq!(file_name("../../etc/passwd"), "passwd");
        assert_eq!(file_name(".."), "berkas");
        assert_eq!(file_name("a<b>.geojson"), "ab.geojson");
    }

    #[test]
    fn the_limit_is_named_in_megabytes() {
        assert_eq!(limit_words(200 * 1024 * 1024), "200 MB");
        assert_eq!(limit_words(1000), "1000 bytes");
    }
}
