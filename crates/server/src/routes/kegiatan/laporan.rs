//! The funding report (laporan pendanaan) as JSON, CSV or XLSX.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Query;
use crate::routes::common::{attachment, parse_wilayah};

/// What to report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LaporanParams {
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<String>,
    /// Only works in this place (a desa, or a kecamatan, kabupaten … by code prefix).
    pub wilayah: Option<String>,
    /// `false` leaves out illustrative (`contoh`) works, for official figures.
    pub contoh: Option<bool>,
}

/// One row per segment, source and fiscal year with totals per source, desa and year;
/// `format=csv` gives `kode_desa,desa,kegiatan,segmen,sumber,tahun,alokasi_rp,realisasi_rp`.
#[utoipa::path(get, path = "/api/laporan/pendanaan", tag = "works", params(LaporanParams),
    responses((status = 200, description = "JSON report, CSV or XLSX", body = Object),
              (status = 400, body = ErrorBody)))]
pub async fn pendanaan(
    State(state): State<AppState>,
    Query(params): Query<LaporanParams>,
) -> ApiResult<Response> {
    let wilayah = params.wilayah.as_deref().map(parse_wilayah).transpose()?;
    let format = params.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "csv" | "xlsx") {
        return Err(ApiError::bad_request(format!(
            "format: `{format}` is not one of json, csv, xlsx"
        )));
    }
    let report =
        kumuh_app::laporan::pendanaan(&state.atlas(), wilayah, params.contoh.unwrap_or(true))
            .await?;
    let (content_type, file) = match format {
        "csv" => ("text/csv; charset=utf-8", "laporan-pendanaan.csv"),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "laporan-pendanaan.xlsx",
        ),
        _ => return Ok(axum::Json(report).into_response()),
    };
    let xlsx = format == "xlsx";
    // Writing grows with the report's rows: off the async workers, as the report was.
    let out = kumuh_app::blocking(move || {
        let mut out = Vec::new();
        let written = if xlsx {
            kumuh_io::laporan::funding_xlsx(&report, &mut out)
        } else {
            kumuh_io::laporan::funding_csv(&report, &mut out)
        };
        written.map_err(kumuh_app::AppError::internal)?;
        Ok(out)
    })
    .await?;
    Ok(attachment(file, content_type, out))
}
