//! The arrears workflow on the API: causes of arrears on a loan, the collection plan and
//! what each visit found (see `kumuh_app::upk` for who may read and write them).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kumuh_app::upk::{BarisPenagihan, CatatPenyebab, HasilBaru, PinjamanDetail, RencanaBaru};
use kumuh_domain::upk::{Hasil, Penyebab};
use kumuh_domain::works::Tanggal;
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::routes::common::{Versioned, parse_wilayah};
use crate::routes::kegiatan::input::Body;
use crate::routes::upk::versioned_body;
use crate::routes::upk_bodies::{HasilBody, PenyebabBody, RencanaBody};

/// Notes a cause of arrears on a loan; the standing's `penyebab` and the arrears list
/// show the causes noted by their date.
#[utoipa::path(post, path = "/api/pinjaman/{id}/penyebab", operation_id = "note_penyebab",
    tag = "upk", request_body = PenyebabBody,
    params(("id" = String, Path, description = "Loan id"),
           ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses((status = 200, body = PinjamanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn penyebab(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<PinjamanDetail>> {
    let (mut b, versi) = versioned_body(&headers, body)?;
    let cmd = CatatPenyebab {
        tanggal: b.req_tanggal("tanggal")?,
        penyebab: b.req::<Penyebab>("penyebab")?,
        keterangan: b.opt_text("keterangan")?,
        versi,
    };
    b.finish()?;
    let d = kumuh_app::upk::catat_penyebab(&state.atlas(), user.0.as_ref(), &id, cmd).await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Adds a plan line to the collection plan: who visits the group of a loan, and when.
#[utoipa::path(post, path = "/api/upk/penagihan", operation_id = "plan_penagihan", tag = "upk",
    request_body = RencanaBody,
    responses((status = 201, body = BarisPenagihan), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn rencana(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<Value>,
) -> ApiResult<(StatusCode, Json<BarisPenagihan>)> {
    let mut b = Body::new(body)?;
    let cmd = RencanaBaru {
        pinjaman: b.req_text("pinjaman")?,
        petugas: b.req::<Vec<String>>("petugas")?,
        tanggal: b.req_tanggal("tanggal")?,
        bersama_pemerintah_desa: b.opt::<bool>("bersama_pemerintah_desa")?.unwrap_or(false),
        catatan: b.opt_text("catatan")?,
    };
    b.finish()?;
    let row = kumuh_app::upk::rencana_penagihan(&state.atlas(), user.0.as_ref(), cmd).await?;
    Ok((StatusCode::CREATED, Json(row)))
}

/// Records what the visit of a plan line found. Money collected (`membayar`) is recorded
/// on the loan as a repayment from `penagihan` in the same transaction; a plan line has
/// one result.
#[utoipa::path(post, path = "/api/upk/penagihan/{id}/hasil", operation_id = "record_hasil_penagihan",
    tag = "upk", request_body = HasilBody,
    params(("id" = i64, Path, description = "The plan line's id")),
    responses((status = 200, body = BarisPenagihan), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn hasil(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult<Json<BarisPenagihan>> {
    let mut b = Body::new(body)?;
    let cmd = HasilBaru {
        tanggal: b.req_tanggal("tanggal")?,
        hasil: b.req::<Hasil>("hasil")?,
        petugas: b.opt::<Vec<String>>("petugas")?,
        jumlah_rp: b.opt_rupiah("jumlah_rp")?,
        janji_tanggal: b.opt_tanggal("janji_tanggal")?,
        catatan: b.opt_text("catatan")?,
    };
    b.finish()?;
    Ok(Json(
        kumuh_app::upk::hasil_penagihan(&state.atlas(), user.0.as_ref(), id, cmd).await?,
    ))
}

/// An area and a month.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PenagihanParams {
    /// Only this place (a desa, or a kecamatan … by code prefix).
    pub wilayah: Option<String>,
    /// Only plan lines planned in this month, `YYYY-MM`.
    pub bulan: Option<String>,
}

fn parse_bulan(bulan: &str) -> ApiResult<Tanggal> {
    let bad = || ApiError::bad_request(format!("bulan: `{bulan}` is not a month as YYYY-MM"));
    if bulan.len() != 7 {
        return Err(bad());
    }
    Tanggal::parse(&format!("{bulan}-01")).map_err(|_| bad())
}

/// The collection plan of an area, each line with its result (`null` until recorded),
/// by planned day. Names groups and visitors, so only for users who may read the
/// desa's details: anonymous callers get 401, others 403 for a desa not theirs.
#[utoipa::path(get, path = "/api/upk/penagihan", operation_id = "list_penagihan", tag = "upk",
    params(PenagihanParams),
    responses((status = 200, body = Vec<BarisPenagihan>), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn daftar(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<PenagihanParams>,
) -> ApiResult<Json<Vec<BarisPenagihan>>> {
    let wilayah = params.wilayah.as_deref().map(parse_wilayah).transpose()?;
    let bulan = params.bulan.as_deref().map(parse_bulan).transpose()?;
    Ok(Json(
        kumuh_app::upk::daftar_penagihan(&state.atlas(), user.0.as_ref(), wilayah.as_ref(), bulan)
            .await?,
    ))
}
