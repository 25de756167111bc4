//! Budget scenarios (`POST /api/skenario`): which planned works to fund for the most
//! slum taken out, as JSON or as a workbook.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kumuh_app::AppError;
use kumuh_app::skenario::{SkenarioCommand, sumber};
use kumuh_domain::skenario::{Anggaran, AturanTingkat, Tujuan};
use kumuh_domain::works::KegiatanId;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Query};
use crate::routes::common::{attachment, parse_wilayah};

/// The question of a scenario. Give either `anggaran_rp` (one envelope for any work) or
/// `anggaran` (an envelope per funding source: `apbn`, `apbd_provinsi`,
/// `apbd_kabupaten`, `dana_desa`, `swadaya`, `csr`, `lainnya`).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({
    "wilayah": "35.19.09", "anggaran_rp": 500_000_000, "tujuan": "luas_keluar_kumuh_ha"
}))]
#[serde(deny_unknown_fields)]
pub struct SkenarioBody {
    /// The place whose planned works and slum locations are weighed (a desa, kecamatan
    /// or kabupaten code).
    #[schema(example = "35.19.09")]
    pub wilayah: String,
    /// One envelope for any work, whole rupiah.
    #[schema(minimum = 0)]
    pub anggaran_rp: Option<i64>,
    /// An envelope per funding source, whole rupiah; each source pays only for the
    /// locations its level is responsible for (Dana Desa, swadaya, CSR anywhere).
    #[schema(value_type = Option<Object>, example = json!({"apbd_kabupaten": 300_000_000, "dana_desa": 100_000_000}))]
    pub anggaran: Option<BTreeMap<String, i64>>,
    /// Only these works (each planned, `rencana`); all planned works of the place when
    /// absent.
    pub kandidat: Option<Vec<String>>,
    /// `luas_keluar_kumuh_ha` (default): hectares leaving the slum classes;
    /// `penurunan_nilai`: the fall of the scores weighted by hectares.
    pub tujuan: Option<String>,
    /// Below this many hectares a location is the kabupaten's (default 10).
    pub batas_kabupaten_ha: Option<f64>,
    /// Up to this many hectares it is the province's, above it the nation's (default 15).
    pub batas_provinsi_ha: Option<f64>,
    /// The year the works would be finished (default: the year after the latest survey).
    pub tahun: Option<u16>,
}

/// The answer's format.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SkenarioParams {
    /// `json` (default) or `xlsx`.
    pub format: Option<String>,
}

fn command(body: SkenarioBody) -> Result<SkenarioCommand, ApiError> {
    let wilayah = parse_wilayah(&body.wilayah)?;
    let anggaran = match (body.anggaran_rp, body.anggaran) {
        (Some(rp), None) => Anggaran::Total(rp),
        (None, Some(m)) => Anggaran::PerSumber(
            m.into_iter()
                .map(|(s, rp)| Ok((sumber(&s)?, rp)))
                .collect::<Result<_, AppError>>()?,
        ),
        _ => {
            return Err(AppError::invalid(
                "anggaran_rp",
                "give either anggaran_rp (one envelope) or anggaran (per source), not both",
            )
            .into());
        }
    };
    let tujuan = match body.tujuan.as_deref() {
        None | Some("luas_keluar_kumuh_ha") => Tujuan::LuasKeluarKumuhHa,
        Some("penurunan_nilai") => Tujuan::PenurunanNilai,
        Some(other) => {
            return Err(AppError::invalid(
                "tujuan",
                format!("`{other}` is not one of luas_keluar_kumuh_ha, penurunan_nilai"),
            )
            .into());
        }
    };
    let kandidat = body
        .kandidat
        .map(|ids| {
            ids.into_iter()
                .map(|id| {
                    KegiatanId::new(id).map_err(|e| AppError::invalid("kandidat", e.to_string()))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let default = AturanTingkat::default();
    Ok(SkenarioCommand {
        wilayah,
        anggaran,
        kandidat,
        tujuan,
        aturan_tingkat: AturanTingkat {
            batas_kabupaten_ha: body
                .batas_kabupaten_ha
                .unwrap_or(default.batas_kabupaten_ha),
            batas_provinsi_ha: body.batas_provinsi_ha.unwrap_or(default.batas_provinsi_ha),
        },
        tahun: body.tahun,
    })
}

/// Chooses the planned works that take the most slum out within the envelope, by an
/// exact method (`optimal: true`; see `metode`). Writes nothing. For signed-in users.
#[utoipa::path(post, path = "/api/skenario", tag = "works", request_body = SkenarioBody,
    params(SkenarioParams),
    responses((status = 200, description = "the scenario (JSON) or its workbook (XLSX)", body = Object),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn hitung(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<SkenarioParams>,
    Json(body): Json<SkenarioBody>,
) -> ApiResult<Response> {
    let format = params.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "xlsx") {
        return Err(ApiError::bad_request(format!(
            "format: `{format}` is not one of json, xlsx"
        )));
    }
    let cmd = command(body)?;
    let s = kumuh_app::skenario::hitung_as(&state.atlas(), user.0.as_ref(), cmd).await?;
    if format == "xlsx" {
        let mut out = Vec::new();
        kumuh_io::skenario::skenario_xlsx(&s, &mut out).map_err(ApiError::internal)?;
        return Ok(attachment(
            "skenario-anggaran.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            out,
        ));
    }
    Ok(axum::Json(s).into_response())
}
