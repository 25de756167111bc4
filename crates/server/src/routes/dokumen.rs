//! Printable planning documents (`/api/dokumen/{profil|rplp|sk-kumuh}`): the profile of a
//! place, the RPLP of a desa and the SK Kumuh annex of a kabupaten or kecamatan, as an
//! HTML page to print (shown in the browser) or an XLSX workbook (downloaded). They carry
//! no personal data, so anyone may read them, as the public pages.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use kumuh_app::AppError;
use kumuh_app::dokumen::{Berkas, Format, Jenis, Permintaan};
use serde::Deserialize;
use utoipa::IntoParams;

use super::common::{attachment, parse_wilayah};
use super::ekspor::Berkas as BerkasSchema;
use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Query;

/// Which place, in which format.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DokumenParams {
    /// Kemendagri code of the place, e.g. `35.19.09.2014`.
    pub wilayah: String,
    /// `html` (the default: a page to print) or `xlsx` (a workbook to download).
    pub format: Option<String>,
}

/// Which kabupaten or kecamatan, which years, in which format.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SkParams {
    /// Kemendagri code of the kabupaten or kecamatan, e.g. `35.19`.
    pub wilayah: String,
    /// The year of the table, e.g. `2018`; the latest year with a record by default.
    pub tahun: Option<String>,
    /// A second year to compare hectares by class with, e.g. `2017`.
    pub banding: Option<String>,
    /// `html` (the default) or `xlsx`.
    pub format: Option<String>,
}

fn format_of(text: Option<&str>) -> ApiResult<Format> {
    text.unwrap_or("html")
        .parse()
        .map_err(|e: String| ApiError::bad_request(format!("format: {e}")))
}

fn year_of(name: &str, text: Option<&str>) -> ApiResult<Option<u16>> {
    text.map(|t| {
        t.trim()
            .parse::<u16>()
            .map_err(|_| ApiError::bad_request(format!("{name}: `{t}` is not a year")))
    })
    .transpose()
}

async fn answer(state: &AppState, p: Permintaan) -> ApiResult<Response> {
    // The code's form is the caller's mistake: 400 naming `wilayah`, like every filter.
    parse_wilayah(&p.wilayah)?;
    let file = kumuh_app::dokumen::berkas(&state.atlas(), p)
        .await
        .map_err(|e| match e {
            // A parameter that does not fit the document (a kecamatan for an RPLP, a
            // year out of range) is a bad request naming it.
            e @ AppError::Invalid { .. } => ApiError::bad_request(e.to_string()),
            e => ApiError::from(e),
        })?;
    Ok(respond(file))
}

fn respond(file: Berkas) -> Response {
    if file.content_type == kumuh_app::dokumen::HTML {
        let mut res = file.bytes.into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(file.content_type),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        res
    } else {
        attachment(&file.file_name, file.content_type, file.bytes)
    }
}

/// The profile of a desa, kecamatan or kabupaten: map, slum locations with their class
/// history, hectares by class per year, works and money by source and year, maintenance
/// cash and revolving loans as totals.
#[utoipa::path(get, path = "/api/dokumen/profil", tag = "dokumen", operation_id = "dokumen_profil",
    params(DokumenParams),
    responses(
        (status = 200, description = "The page (HTML) or the workbook (XLSX: sheets Ringkasan, Lokasi, Luas per kelas, Pendanaan)",
         content((String = "text/html"),
                 (BerkasSchema = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, description = "A malformed or unfitting parameter, named", body = ErrorBody),
        (status = 404, description = "No such place", body = ErrorBody)))]
pub async fn profil(
    State(state): State<AppState>,
    Query(q): Query<DokumenParams>,
) -> ApiResult<Response> {
    of_place(&state, q, Jenis::Profil).await
}

/// The RPLP of a desa: its profile, the investment plan (works × budget years × sources,
/// with totals), the siteplans, the baseline and the targets.
#[utoipa::path(get, path = "/api/dokumen/rplp", tag = "dokumen", operation_id = "dokumen_rplp",
    params(DokumenParams),
    responses(
        (status = 200, description = "The page (HTML) or the workbook (XLSX: the profile's sheets, Rencana investasi, Siteplan, Target)",
         content((String = "text/html"),
                 (BerkasSchema = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, description = "A malformed parameter, or a place that is not a desa", body = ErrorBody),
        (status = 404, description = "No such desa", body = ErrorBody)))]
pub async fn rplp(
    State(state): State<AppState>,
    Query(q): Query<DokumenParams>,
) -> ApiResult<Response> {
    of_place(&state, q, Jenis::Rplp).await
}

/// The SK Kumuh annex of a kabupaten or kecamatan in a year: the decree's table, a map
/// per kecamatan and, with `banding`, the hectares by class compared with that year.
#[utoipa::path(get, path = "/api/dokumen/sk-kumuh", tag = "dokumen", operation_id = "dokumen_sk_kumuh",
    params(SkParams),
    responses(
        (status = 200, description = "The page (HTML) or the workbook (XLSX: sheets Lampiran SK, Perbandingan)",
         content((String = "text/html"),
                 (BerkasSchema = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, description = "A malformed parameter, or a place that is not a kabupaten or kecamatan", body = ErrorBody),
        (status = 404, description = "No such place", body = ErrorBody)))]
pub async fn sk_kumuh(
    State(state): State<AppState>,
    Query(q): Query<SkParams>,
) -> ApiResult<Response> {
    let format = format_of(q.format.as_deref())?;
    let tahun = year_of("tahun", q.tahun.as_deref())?;
    let banding = year_of("banding", q.banding.as_deref())?;
    answer(
        &state,
        Permintaan {
            jenis: Jenis::SkKumuh { tahun, banding },
            wilayah: q.wilayah,
            format,
        },
    )
    .await
}

/// A document of one place with no more parameters than its format.
async fn of_place(state: &AppState, q: DokumenParams, jenis: Jenis) -> ApiResult<Response> {
    let format = format_of(q.format.as_deref())?;
    answer(
        state,
        Permintaan {
            jenis,
            wilayah: q.wilayah,
            format,
        },
    )
    .await
}
