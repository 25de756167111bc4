//! Photos of work segments (foto dokumentasi): upload, list, the photo and its
//! thumbnail, delete.
//!
//! An upload is the image itself as the request body, with its `Content-Type`
//! (`image/jpeg`, `image/png` or `image/webp`) and the stage as `?tahap=0|50|100|bebas`:
//! no multipart, so a phone's `fetch(file)` sends it as it is. The body is read up to
//! [`crate::Config::max_foto_bytes`] (15 MiB by default) and no further; a larger one is
//! a JSON 413 naming the limit. Images are served with their checked type,
//! `X-Content-Type-Options: nosniff`, and caching: a photo's bytes never change under
//! its id.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kumuh_app::foto::{FotoDiunggah, FotoInfo, Unggah};
use kumuh_domain::works::{SegmenId, Tahap};
use kumuh_store::Ukuran;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};

/// The stage an uploaded photo documents.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TahapParams {
    /// `0` (before the work), `50` (half way), `100` (finished) or `bebas` (any time).
    pub tahap: String,
}

/// The bytes of an image.
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Gambar(pub Vec<u8>);

/// How long browsers and proxies may keep a photo: a day. An id's bytes never change,
/// but a deleted photo should not linger in caches for long.
const CACHE: &str = "public, max-age=86400";

/// The body, read up to `max` bytes: a `Content-Length` over the limit is refused before
/// anything is read, and a body without one is cut off at the limit.
async fn read_body(body: Body, headers: &HeaderMap, max: usize) -> ApiResult<Vec<u8>> {
    let too_large = |size: String| {
        ApiError::payload_too_large(format!(
            "photo too large: {size}, at most {max} bytes ({} MB) are accepted",
            max / (1024 * 1024)
        ))
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(n) = declared
        && n > max as u64
    {
        return Err(too_large(format!("{n} bytes")));
    }
    match axum::body::to_bytes(body, max).await {
        Ok(bytes) => Ok(bytes.to_vec()),
        Err(e) => {
            let over = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            if over {
                Err(too_large(format!("more than {max} bytes")))
            } else {
                Err(ApiError::bad_request(format!(
                    "reading the photo failed: {e}"
                )))
            }
        }
    }
}

/// Uploads a photo of a segment: the image as the body (`Content-Type` `image/jpeg`,
/// `image/png` or `image/webp`, at most 15 MiB and 64 megapixels by default), the stage
/// as `tahap`. Allowed to whoever may change the work (the desa's `lkm`, the kabupaten,
/// admins). The answer lists the photo as `GET …/foto` does, with `peringatan` when its
/// EXIF position lies outside the work's desa. A file that is no image, of another type
/// than declared, or of too many pixels is a 400 naming the problem; a larger one 413.
#[utoipa::path(post, path = "/api/kegiatan/{id}/segmen/{segmen}/foto", tag = "works",
    operation_id = "unggah_foto",
    params(("id" = String, Path, description = "Work id"),
           ("segmen" = String, Path, description = "Segment id"), TahapParams),
    request_body(description = "The image, as taken",
                 content((Gambar = "image/jpeg"), (Gambar = "image/png"), (Gambar = "image/webp"))),
    responses((status = 201, body = FotoDiunggah), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn unggah(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, segmen)): Path<(String, String)>,
    Query(params): Query<TahapParams>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<FotoDiunggah>)> {
    let tahap: Tahap = params
        .tahap
        .parse()
        .map_err(|e| ApiError::bad_request(format!("tahap: {e}")))?;
    let segmen = SegmenId::new(segmen)?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiError::bad_request(
                "Content-Type is missing: send the photo as image/jpeg, image/png or image/webp",
            )
        })?
        .to_owned();
    let batas = kumuh_io::foto::Batas {
        max_bytes: state.config.max_foto_bytes,
        ..kumuh_io::foto::Batas::default()
    };
    let bytes = read_body(body, &headers, batas.max_bytes).await?;
    let cmd = Unggah {
        kegiatan_id: id,
        segmen,
        tahap,
        media_type,
        bytes,
    };
    let done = kumuh_app::foto::unggah(&state.atlas(), user.0.as_ref(), cmd, &batas).await?;
    Ok((StatusCode::CREATED, Json(done)))
}

/// The photos of a segment, oldest first. The uploader is named only to callers who may
/// see personal data of the desa; everyone else sees their role and organisation.
#[utoipa::path(get, path = "/api/kegiatan/{id}/segmen/{segmen}/foto", tag = "works",
    operation_id = "daftar_foto",
    params(("id" = String, Path, description = "Work id"),
           ("segmen" = String, Path, description = "Segment id")),
    responses((status = 200, body = [FotoInfo]), (status = 404, body = ErrorBody)))]
pub async fn daftar(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, segmen)): Path<(String, String)>,
) -> ApiResult<Json<Vec<FotoInfo>>> {
    let segmen = SegmenId::new(segmen)?;
    let list = kumuh_app::foto::daftar(&state.atlas(), user.0.as_ref(), &id, &segmen).await?;
    Ok(Json(list))
}

/// A photo file with its type, caching and `nosniff`; `304` when the caller's
/// `If-None-Match` names it already.
async fn serve(
    state: &AppState,
    headers: &HeaderMap,
    id: i64,
    ukuran: Ukuran,
) -> ApiResult<Response> {
    let etag = match ukuran {
        Ukuran::Asli => format!("\"foto-{id}\""),
        Ukuran::Kecil => format!("\"foto-{id}-kecil\""),
    };
    let cached = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim().trim_start_matches("W/") == etag);
    let file = kumuh_app::foto::berkas(&state.atlas(), id, ukuran).await?;
    let mut res = if cached {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        file.bytes.into_response()
    };
    let h = res.headers_mut();
    let content_type = HeaderValue::from_str(&file.media_type).map_err(|_| {
        ApiError::internal(format!("photo {id} has media type {:?}", file.media_type))
    })?;
    h.insert(header::CONTENT_TYPE, content_type);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(res)
}

/// A photo as uploaded, with its type (`image/jpeg`, `image/png` or `image/webp`).
#[utoipa::path(get, path = "/api/foto/{id}", tag = "works", operation_id = "foto",
    params(("id" = i64, Path, description = "Photo id")),
    responses((status = 200, description = "The photo",
               content((Gambar = "image/jpeg"), (Gambar = "image/png"), (Gambar = "image/webp"))),
              (status = 304, description = "Not modified (If-None-Match)"),
              (status = 404, body = ErrorBody)))]
pub async fn foto(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    serve(&state, &headers, id, Ukuran::Asli).await
}

/// A photo's thumbnail: JPEG, its longest side 320 px, upright as its EXIF says; made
/// once, at upload.
#[utoipa::path(get, path = "/api/foto/{id}/kecil", tag = "works", operation_id = "foto_kecil",
    params(("id" = i64, Path, description = "Photo id")),
    responses((status = 200, description = "The thumbnail", content((Gambar = "image/jpeg"))),
              (status = 304, description = "Not modified (If-None-Match)"),
              (status = 404, body = ErrorBody)))]
pub async fn kecil(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    serve(&state, &headers, id, Ukuran::Kecil).await
}

/// Deletes a photo; allowed to whoever may change its work. Audited.
#[utoipa::path(delete, path = "/api/foto/{id}", tag = "works", operation_id = "hapus_foto",
    params(("id" = i64, Path, description = "Photo id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn hapus(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    kumuh_app::foto::hapus(&state.atlas(), user.0.as_ref(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
