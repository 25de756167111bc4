//! The funding report (laporan pendanaan) as JSON, CSV or XLSX.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kumuh_domain::works::{FundingReport, funding_report};
use kumuh_domain::{Kode, Level};
use kumuh_store::{KegiatanQuery, PlaceQuery, Store};
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

/// Why a report could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] kumuh_store::StoreError),
    /// A total did not fit.
    #[error(transparent)]
    Works(#[from] kumuh_domain::works::WorksError),
}

impl From<ReportError> for ApiError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Store(e) => e.into(),
            ReportError::Works(e) => e.into(),
        }
    }
}

/// Builds the funding report of the works in `wilayah` from any store.
pub async fn build(
    store: &dyn Store,
    wilayah: Option<Kode>,
    with_contoh: bool,
) -> Result<FundingReport, ReportError> {
    let works = store
        .list_kegiatan(&KegiatanQuery {
            wilayah,
            tahun: None,
        })
        .await?;
    let names: HashMap<Kode, String> = store
        .list_places(&PlaceQuery::level(Level::Desa))
        .await?
        .into_iter()
        .map(|p| (p.kode, p.nama))
        .collect();
    let kept = works
        .iter()
        .map(|s| &s.kegiatan)
        .filter(|k| with_contoh || !k.contoh);
    Ok(funding_report(kept, |k| names.get(k).cloned())?)
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
    let report = build(state.store.as_ref(), wilayah, params.contoh.unwrap_or(true)).await?;
    let mut out = Vec::new();
    let (content_type, file) = match format {
        "csv" => {
            kumuh_io::laporan::funding_csv(&report, &mut out).map_err(ApiError::internal)?;
            ("text/csv; charset=utf-8", "laporan-pendanaan.csv")
        }
        "xlsx" => {
            kumuh_io::laporan::funding_xlsx(&report, &mut out).map_err(ApiError::internal)?;
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "laporan-pendanaan.xlsx",
            )
        }
        _ => return Ok(axum::Json(report).into_response()),
    };
    Ok(attachment(file, content_type, out))
}
