//! Stored slum assessments: per location and year, and summarised over an area.

use axum::extract::State;
use kumuh_domain::assessment::summary::{Summary, SummaryItem, summarize};
use kumuh_store::{AssessmentQuery, AssessmentRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Json, Query};
use crate::routes::common::parse_wilayah;

/// Which assessments to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PenilaianParams {
    /// Only locations inside this place: a desa code, or a kecamatan/kabupaten code.
    pub wilayah: Option<String>,
    /// Only this location (its history across years).
    pub lokasi: Option<String>,
    /// Only this survey year.
    pub tahun: Option<u16>,
}

impl PenilaianParams {
    fn query(&self) -> ApiResult<AssessmentQuery> {
        Ok(AssessmentQuery {
            wilayah: self.wilayah.as_deref().map(parse_wilayah).transpose()?,
            kode_lokasi: self.lokasi.clone(),
            tahun: self.tahun,
        })
    }
}

/// One stored assessment.
#[derive(Debug, Serialize, ToSchema)]
pub struct PenilaianInfo {
    /// The location's code.
    pub kode_lokasi: String,
    /// The location's name.
    pub nama_lokasi: String,
    /// The desa it lies in.
    pub kode_desa: String,
    /// Survey year.
    pub tahun: u16,
    /// The rule set that computed it, and its version.
    pub rule_set: String,
    /// Version of the rule set.
    pub rule_set_version: String,
    /// Verified area, hectares.
    pub luas_ha: f64,
    /// Total score.
    pub total: u32,
    /// `kumuh_berat`, `kumuh_sedang`, `kumuh_ringan` or `tidak_kumuh`.
    pub kelas: String,
    /// Priority `A1` … `C3`, where computed.
    pub prioritas: Option<String>,
    /// The same as `kelas`, under its earlier name (kept for existing clients).
    pub class: String,
    /// The same as `prioritas`, under its earlier name (kept for existing clients).
    pub priority: Option<String>,
    /// Criteria (percent, score), aspect averages, considerations, handling and issues.
    #[schema(value_type = Object)]
    pub result: serde_json::Value,
}

impl From<AssessmentRecord> for PenilaianInfo {
    fn from(r: AssessmentRecord) -> Self {
        let result = r.result_json();
        PenilaianInfo {
            kode_lokasi: r.kode_lokasi,
            nama_lokasi: r.nama_lokasi,
            kode_desa: r.kode_desa.to_string(),
            tahun: r.tahun,
            rule_set: r.rule_set_id,
            rule_set_version: r.rule_set_version,
            luas_ha: r.luas_ha,
            total: r.total,
            kelas: r.class.to_string(),
            prioritas: r.priority.clone(),
            class: r.class.to_string(),
            priority: r.priority,
            result,
        }
    }
}

/// A list of assessments.
#[derive(Debug, Serialize, ToSchema)]
pub struct PenilaianList {
    /// Ordered by location code, then year.
    pub penilaian: Vec<PenilaianInfo>,
}

/// Stored slum assessments (filter by area, location or year).
#[utoipa::path(get, path = "/api/penilaian", operation_id = "list_penilaian", tag = "assessments", params(PenilaianParams),
    responses((status = 200, body = PenilaianList), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Query(params): Query<PenilaianParams>,
) -> ApiResult<Json<PenilaianList>> {
    let records = state.store.assessments(&params.query()?).await?;
    Ok(Json(PenilaianList {
        penilaian: records.into_iter().map(PenilaianInfo::from).collect(),
    }))
}

/// What to summarise.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RingkasanParams {
    /// The area: a desa, kecamatan or kabupaten code.
    pub wilayah: String,
    /// Only this survey year; without it, the latest assessment of each location.
    pub tahun: Option<u16>,
}

/// A summary of the slum assessments of an area.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ringkasan {
    /// The area's code.
    pub wilayah: String,
    /// Number of locations counted.
    pub lokasi: usize,
    /// Hectares per class.
    #[schema(value_type = Object)]
    pub hektar_per_kelas: std::collections::BTreeMap<String, f64>,
    /// Locations per priority (`tanpa_prioritas` for those without one).
    #[schema(value_type = Object)]
    pub lokasi_per_prioritas: std::collections::BTreeMap<String, usize>,
    /// Hectares in any slum class.
    pub luas_kumuh_ha: f64,
    /// Hectares of locations that were in a slum class and are now `tidak_kumuh`.
    pub luas_keluar_kumuh_ha: f64,
    /// The survey years counted.
    pub tahun: Vec<u16>,
}

/// Hectares by class and locations by priority over a desa or kecamatan.
#[utoipa::path(get, path = "/api/ringkasan", tag = "assessments", params(RingkasanParams),
    responses((status = 200, body = Ringkasan), (status = 400, body = ErrorBody)))]
pub async fn ringkasan(
    State(state): State<AppState>,
    Query(params): Query<RingkasanParams>,
) -> ApiResult<Json<Ringkasan>> {
    let wilayah = parse_wilayah(&params.wilayah)?;
    let records = state
        .store
        .assessments(&AssessmentQuery {
            wilayah: Some(wilayah.clone()),
            kode_lokasi: None,
            tahun: params.tahun,
        })
        .await?;
    let Summary {
        lokasi,
        hektar_per_kelas,
        lokasi_per_prioritas,
        luas_kumuh_ha,
        luas_keluar_kumuh_ha,
        tahun,
    } = summarize(records.iter().map(|r| SummaryItem {
        kode_lokasi: &r.kode_lokasi,
        tahun: r.tahun,
        class: r.class.as_str(),
        priority: r.priority.as_deref(),
        luas_ha: r.luas_ha,
    }));
    Ok(Json(Ringkasan {
        wilayah: wilayah.to_string(),
        lokasi,
        hektar_per_kelas,
        lokasi_per_prioritas,
        luas_kumuh_ha,
        luas_keluar_kumuh_ha,
        tahun,
    }))
}
