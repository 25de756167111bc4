//! The UPK's indicators month by month, for the viewer's charts: totals only, public.

use axum::extract::State;
use kumuh_app::upk::{KinerjaBulan, MAKS_BULAN};
use kumuh_domain::works::Tanggal;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Query};
use crate::routes::common::parse_wilayah;

/// An area, the last month and how many months.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BulananParams {
    /// Only this place (a desa, or a kecamatan … by code prefix).
    pub wilayah: Option<String>,
    /// The last month, `YYYY-MM` (this month when not given).
    pub sampai: Option<String>,
    /// How many months, 1 to 36 (12 when not given).
    pub bulan: Option<u8>,
}

/// `YYYY-MM` as the first day of that month.
fn parse_bulan(text: &str) -> ApiResult<Tanggal> {
    let shape_ok = text.len() == 7 && text.as_bytes()[4] == b'-';
    shape_ok
        .then(|| Tanggal::parse(&format!("{text}-01")).ok())
        .flatten()
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "sampai: `{text}` is not a month of the form YYYY-MM, e.g. 2026-07"
            ))
        })
}

/// LAR, PAR and repayment rate of an area at the end of each month (the current month on
/// today), oldest first, with their bands. Totals only, so everyone may read them.
#[utoipa::path(get, path = "/api/upk/kinerja/bulanan", operation_id = "upk_kinerja_bulanan",
    tag = "upk", params(BulananParams),
    responses(
        (status = 200, body = [KinerjaBulan], example = json!([
            {"bulan": "2026-06", "per": "2026-06-30", "pinjaman_aktif": 1,
             "lar_persen": {"pembilang": 1, "penyebut": 1, "persen": 100.0, "pita": "kurang"},
             "par_persen": {"pembilang": 2_400_000, "penyebut": 2_400_000, "persen": 100.0, "pita": "kurang"},
             "rr_persen": {"pembilang": 600_000, "penyebut": 1_500_000, "persen": 40.0, "pita": "kurang"}},
            {"bulan": "2026-07", "per": "2026-07-31", "pinjaman_aktif": 1,
             "lar_persen": {"pembilang": 1, "penyebut": 1, "persen": 100.0, "pita": "kurang"},
             "par_persen": {"pembilang": 2_400_000, "penyebut": 2_400_000, "persen": 100.0, "pita": "kurang"},
             "rr_persen": {"pembilang": 600_000, "penyebut": 1_800_000, "persen": 33.33, "pita": "kurang"}}
        ])),
        (status = 400, body = ErrorBody)))]
pub async fn kinerja_bulanan(
    State(state): State<AppState>,
    Query(params): Query<BulananParams>,
) -> ApiResult<Json<Vec<KinerjaBulan>>> {
    let wilayah = params.wilayah.as_deref().map(parse_wilayah).transpose()?;
    let sampai = params.sampai.as_deref().map(parse_bulan).transpose()?;
    let bulan = params.bulan.unwrap_or(12);
    if !(1..=MAKS_BULAN).contains(&bulan) {
        return Err(ApiError::bad_request(format!(
            "bulan: {bulan} months asked for; give 1 to {MAKS_BULAN}"
        )));
    }
    Ok(Json(
        kumuh_app::upk::kinerja_bulanan(&state.atlas(), wilayah.as_ref(), sampai, bulan).await?,
    ))
}
