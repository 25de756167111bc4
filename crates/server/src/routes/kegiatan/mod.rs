//! Works (kegiatan): segments, funding ledgers, maintenance groups, the segment map
//! layer, the funding report and the audit log.
//!
//! Every change loads the work, applies the change through the domain rules, and saves
//! it on the version it was loaded at. A client that sends `If-Match` with the ETag it
//! read gets 409 when someone changed the work since; without `If-Match` the server
//! applies the change on the newest version, retrying when another write wins the race,
//! so concurrent requests never lose one another's entries.

pub(crate) mod input;
pub mod laporan;

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use geo_types::{Geometry, MultiLineString};
use kumuh_domain::assessment::{AssessmentInput, RuleSet};
use kumuh_domain::jaringan::{self, Kondisi as JaringanKondisi, Ruas};
use kumuh_domain::works::{
    Alokasi, Anggota, AturanIuran, Belanja, Bentuk, Dokumen, EntryId, Evaluasi, Iuran,
    JenisKegiatan, JenisPelaksana, Kegiatan, KegiatanId, KegiatanSummary, KodeKriteria, Kondisi,
    Kpp, Override, Pelaksana, Progres, Realisasi, Reversal, Satuan, Segmen, SegmenId,
    StatusKegiatan, SumberDana, Tanggal, WorksError, evaluate_completion,
};
use kumuh_domain::{Action, Kode, User};
use kumuh_store::{
    AssessmentQuery, AssessmentRecord, AuditQuery, KegiatanQuery, KegiatanWrite, NewAudit,
    StoreError, StoredKegiatan,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use self::input::Body;
use crate::AppState;
use crate::auth::{CurrentUser, require};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::routes::common::{check_desa, new_id, parse_wilayah};
use crate::routes::places::GeoJson;

/// How often a change without `If-Match` is retried when other writes keep winning.
const MAX_ATTEMPTS: usize = 50;

impl From<WorksError> for ApiError {
    fn from(e: WorksError) -> Self {
        ApiError::unprocessable(e.to_string())
    }
}

/// A work with everything computed from it.
#[derive(Debug, Serialize, ToSchema)]
pub struct KegiatanDetail {
    /// Version: send it back as `If-Match` to change the work only if nobody else has.
    pub versi: i64,
    /// When it last changed.
    pub diubah: String,
    /// The work whole: segments with their ledgers, the maintenance group.
    #[schema(value_type = Object)]
    pub kegiatan: Kegiatan,
    /// Totals and shares per source, progress and cost per unit, per segment and in all.
    #[schema(value_type = Object)]
    pub ringkasan: KegiatanSummary,
    /// The main funding source per segment id.
    #[schema(value_type = Object)]
    pub sumber_utama: BTreeMap<String, Option<SumberDana>>,
    /// Balance of the maintenance group's cash book, rupiah.
    pub saldo_kpp_rp: Option<i64>,
    /// Warnings about the change just made (a segment outside its desa).
    pub peringatan: Vec<String>,
    /// Slum locations evaluated again because a segment was finished in this change.
    pub evaluasi: Vec<EvaluasiLokasi>,
}

/// Score and class of a location at one moment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Skor {
    /// Year.
    pub tahun: u16,
    /// Total score.
    pub total: u32,
    /// Class id.
    pub kelas: String,
}

/// What finishing a segment did to its slum location.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvaluasiLokasi {
    /// The finished segment.
    pub segmen: String,
    /// The location it lies in.
    pub kode_lokasi: Option<String>,
    /// The latest assessment before.
    pub sebelum: Option<Skor>,
    /// The new evaluation, when one was recorded.
    pub sesudah: Option<Skor>,
    /// The criteria changed.
    #[schema(value_type = Object)]
    pub dampak: Vec<kumuh_domain::works::Dampak>,
    /// Mapped road or drain lines the segment rebuilt: their condition changed.
    pub jaringan: Vec<JaringanBaru>,
    /// Why nothing (or not everything) was evaluated.
    pub catatan: Vec<String>,
}

/// A mapped road or drain line that a finished segment runs along for at least half its
/// length ([`kumuh_domain::jaringan::SEPANJANG_MIN`]), with its new condition.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JaringanBaru {
    /// The line's code.
    pub kode: String,
    /// Its condition before.
    pub sebelum: String,
    /// Its condition now (the segment's condition after the work).
    pub sesudah: String,
    /// The share of its length along the segment, in percent.
    pub bagian_persen: f64,
}

/// What finishing segments changed: evaluations, the report, audit lines, and new
/// conditions of mapped lines (with the lines as they now are, for the tiles).
struct Evaluated {
    penilaian: Vec<AssessmentRecord>,
    evaluasi: Vec<EvaluasiLokasi>,
    audit: Vec<NewAudit>,
    kondisi_jaringan: Vec<(String, JaringanKondisi)>,
    ruas: Vec<Ruas>,
}

/// A JSON body with the work's version as its ETag.
#[derive(Debug)]
pub struct Versioned<T>(pub StatusCode, pub i64, pub T);

impl<T: Serialize> IntoResponse for Versioned<T> {
    fn into_response(self) -> Response {
        let mut res = (self.0, axum::Json(self.2)).into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", self.1)) {
            res.headers_mut().insert(header::ETAG, v);
        }
        res
    }
}

/// The version named by `If-Match`, if any (`"3"`, `W/"3"` or `3`; `*` names none).
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = v.to_str().unwrap_or("").trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| {
            ApiError::bad_request(format!(
                "If-Match: `{text}` is not the ETag of a version (e.g. \"3\")"
            ))
        })
}

fn stale(id: &str, expected: i64, current: i64) -> ApiError {
    StoreError::Stale {
        what: format!("kegiatan {id}"),
        expected,
        current,
    }
    .into()
}

async fn load(state: &AppState, id: &str) -> ApiResult<StoredKegiatan> {
    state
        .store
        .kegiatan(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no kegiatan {id}")))
}

/// Checks that `user` may change the works of `kode_desa`.
fn may_edit(user: &CurrentUser, kode_desa: &Kode) -> ApiResult<User> {
    require(
        user,
        &Action::EditKegiatan {
            kode_desa: kode_desa.clone(),
        },
    )
}

fn detail(
    stored: StoredKegiatan,
    peringatan: Vec<String>,
    evaluasi: Vec<EvaluasiLokasi>,
) -> ApiResult<KegiatanDetail> {
    let ringkasan = stored.kegiatan.summary()?;
    let sumber_utama = ringkasan
        .segmen
        .iter()
        .map(|s| (s.segmen.to_string(), s.sumber_utama()))
        .collect();
    let saldo_kpp_rp = match &stored.kegiatan.kpp {
        Some(k) => Some(k.saldo()?.get()),
        None => None,
    };
    Ok(KegiatanDetail {
        versi: stored.versi,
        diubah: stored.diubah,
        kegiatan: stored.kegiatan,
        ringkasan,
        sumber_utama,
        saldo_kpp_rp,
        peringatan,
        evaluasi,
    })
}

/// What one change did, besides changing the work.
#[derive(Debug, Default)]
struct Change {
    /// Audit lines (the user is filled in later).
    audit: Vec<NewAudit>,
    /// Warnings for the caller.
    peringatan: Vec<String>,
    /// Segments finished by this change, with the date.
    selesai: Vec<(SegmenId, Tanggal)>,
}

impl Change {
    fn line(
        entitas: &str,
        kunci: String,
        aksi: &str,
        sebelum: Option<Value>,
        sesudah: Option<Value>,
    ) -> Change {
        Change {
            audit: vec![NewAudit {
                pengguna: String::new(),
                entitas: entitas.into(),
                kunci,
                aksi: aksi.into(),
                sebelum,
                sesudah,
            }],
            ..Change::default()
        }
    }
}

/// Loads, authorizes, applies `apply`, evaluates finished segments and saves, retrying
/// on a lost race unless the client named a version.
async fn change(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    expected: Option<i64>,
    apply: impl Fn(&mut Kegiatan) -> ApiResult<Change>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    for _ in 0..MAX_ATTEMPTS {
        let stored = load(state, id).await?;
        let who = may_edit(user, stored.kegiatan.kode_desa())?;
        if let Some(v) = expected
            && v != stored.versi
        {
            return Err(stale(id, v, stored.versi));
        }
        let mut k = stored.kegiatan.clone();
        let mut ch = apply(&mut k)?;
        if k.kode_desa() != stored.kegiatan.kode_desa() {
            may_edit(user, k.kode_desa())?;
            check_desa(state, k.kode_desa(), "kode_desa").await?;
        }
        let Evaluated {
            penilaian,
            evaluasi,
            audit: mut lines,
            kondisi_jaringan,
            ruas,
        } = evaluate(state, &k, &ch.selesai).await?;
        ch.audit.append(&mut lines);
        for a in &mut ch.audit {
            a.pengguna.clone_from(&who.username);
        }
        let write = KegiatanWrite {
            kegiatan: &k,
            versi: Some(stored.versi),
            audit: ch.audit,
            penilaian,
            kondisi_jaringan,
        };
        match state.store.save_kegiatan(&write).await {
            Ok(versi) => {
                tracing::info!(user = %who.username, kegiatan = id, versi, "work changed");
                state.tiles.kegiatan_changed(&k);
                state.tiles.jaringan_changed(&ruas);
                for r in &write.penilaian {
                    if let Err(e) = state
                        .tiles
                        .lokasi_changed(state.store.as_ref(), &r.kode_lokasi)
                        .await
                    {
                        tracing::warn!(error = %e, lokasi = %r.kode_lokasi, "refreshing the slum-location tiles");
                    }
                }
                let saved = state
                    .store
                    .kegiatan(id)
                    .await?
                    .filter(|s| s.versi == versi)
                    .unwrap_or(StoredKegiatan {
                        kegiatan: k,
                        versi,
                        diubah: String::new(),
                    });
                return Ok(Versioned(
                    StatusCode::OK,
                    versi,
                    detail(saved, ch.peringatan, evaluasi)?,
                ));
            }
            Err(StoreError::Stale { .. }) if expected.is_none() => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::conflict(
        "busy",
        format!("kegiatan {id} is being changed by many requests at once; try again"),
    ))
}

/// A warning when a segment's geometry is not inside its desa.
fn outside_warning(desa: &kumuh_domain::Place, segmen: &Segmen) -> Option<String> {
    let boundary = desa.geometry.as_ref()?;
    if kumuh_domain::geometry::lies_within(boundary, segmen.geometry()) {
        None
    } else {
        Some(format!(
            "{} is not wholly inside desa {} ({}); check its geometry",
            segmen.label(),
            desa.nama,
            desa.kode
        ))
    }
}

/// New evaluations of the slum locations of the segments finished in a change.
async fn evaluate(
    state: &AppState,
    k: &Kegiatan,
    selesai: &[(SegmenId, Tanggal)],
) -> ApiResult<Evaluated> {
    let mut records: Vec<AssessmentRecord> = Vec::new();
    let mut out = Vec::new();
    let mut lines = Vec::new();
    let mut kondisi_jaringan = Vec::new();
    let mut ruas_baru: Vec<Ruas> = Vec::new();
    for (sid, tanggal) in selesai {
        let Some(s) = k.segmen_by_id(sid) else {
            continue;
        };
        let mut e = EvaluasiLokasi {
            segmen: sid.to_string(),
            kode_lokasi: s.kode_lokasi.clone(),
            sebelum: None,
            sesudah: None,
            dampak: Vec::new(),
            jaringan: Vec::new(),
            catatan: Vec::new(),
        };
        // The mapped lines it rebuilt take its condition after the work.
        for (mut r, along) in lines_rebuilt(state, s, &ruas_baru).await? {
            let sesudah = kondisi_garis(s.kondisi_sesudah);
            if !along.tertangani() {
                e.catatan.push(format!(
                    "line {} runs along the segment for only {:.0} % of its length: its condition stays {}",
                    r.kode,
                    along.bagian * 100.0,
                    r.kondisi
                ));
                continue;
            }
            if r.kondisi == sesudah {
                continue;
            }
            let baru = JaringanBaru {
                kode: r.kode.clone(),
                sebelum: r.kondisi.as_str().into(),
                sesudah: sesudah.as_str().into(),
                bagian_persen: (along.bagian * 1000.0).round() / 10.0,
            };
            lines.push(NewAudit {
                pengguna: String::new(),
                entitas: "jaringan".into(),
                kunci: r.kode.clone(),
                aksi: "kondisi".into(),
                sebelum: Some(json!({"kondisi": baru.sebelum})),
                sesudah: Some(json!({
                    "kondisi": baru.sesudah,
                    "kegiatan": k.id().as_str(),
                    "segmen": sid.as_str(),
                    "bagian_persen": baru.bagian_persen,
                })),
            });
            kondisi_jaringan.push((r.kode.clone(), sesudah));
            r.kondisi = sesudah;
            ruas_baru.retain(|x| x.kode != r.kode);
            ruas_baru.push(r);
            e.jaringan.push(baru);
        }
        let Some(kode_lokasi) = s.kode_lokasi.clone() else {
            e.catatan
                .push("no kode_lokasi: the segment is not linked to a slum location".into());
            out.push(e);
            continue;
        };
        if s.kriteria.is_empty() {
            e.catatan
                .push("no kriteria: the segment names no slum criterion it improves".into());
            out.push(e);
            continue;
        }
        // A second segment of the same location finished in the same change starts from
        // the first one's evaluation.
        let latest = match records.iter().rev().find(|r| r.kode_lokasi == kode_lokasi) {
            Some(r) => Some(r.clone()),
            None => state
                .store
                .assessments(&AssessmentQuery {
                    kode_lokasi: Some(kode_lokasi.clone()),
                    ..AssessmentQuery::default()
                })
                .await?
                .pop(),
        };
        let Some(latest) = latest else {
            e.catatan.push(format!(
                "slum location {kode_lokasi} has no assessment to start from"
            ));
            out.push(e);
            continue;
        };
        e.sebelum = Some(Skor {
            tahun: latest.tahun,
            total: latest.total,
            kelas: latest.class.clone(),
        });
        let Some(masukan) = latest
            .result
            .get("masukan")
            .and_then(|m| serde_json::from_value::<AssessmentInput>(m.clone()).ok())
        else {
            e.catatan.push(format!(
                "the {} assessment of {kode_lokasi} was stored without its survey; import it again with `kumuh import-assessments` to evaluate works against it",
                latest.tahun
            ));
            out.push(e);
            continue;
        };
        let Ok(rules) = RuleSet::builtin(&latest.rule_set_id) else {
            e.catatan.push(format!(
                "rule set {} of the latest assessment is not built in",
                latest.rule_set_id
            ));
            out.push(e);
            continue;
        };
        let Evaluasi {
            masukan,
            dampak,
            dilewati,
        } = evaluate_completion(&rules, s, &masukan, tanggal.tahun());
        e.catatan.extend(dilewati.iter().map(ToString::to_string));
        if dampak.is_empty() {
            out.push(e);
            continue;
        }
        let row = kumuh_io::assessment::AssessmentRow {
            row: 0,
            input: masukan,
            attributes: BTreeMap::new(),
        };
        let assessed = kumuh_io::assessment::assess_rows(&rules, vec![row]);
        let Some(a) = assessed.first() else {
            continue;
        };
        let dasar = format!("kegiatan {} segmen {sid}", k.id());
        let mut result = kumuh_io::assessment::stored_json(a);
        if let Some(obj) = result.as_object_mut() {
            obj.insert("dasar".into(), json!(dasar));
            obj.insert("tanggal".into(), json!(tanggal.to_string()));
            obj.insert("dampak".into(), json!(dampak));
            obj.insert("dilewati".into(), json!(dilewati));
        }
        let r = crate::routes::penilaian::record_of(a, result, dasar, Some(tanggal.to_string()));
        e.sesudah = Some(Skor {
            tahun: r.tahun,
            total: r.total,
            kelas: r.class.clone(),
        });
        e.dampak = dampak;
        lines.push(NewAudit {
            pengguna: String::new(),
            entitas: "penilaian".into(),
            kunci: kode_lokasi,
            aksi: "evaluasi".into(),
            sebelum: Some(json!(e.sebelum)),
            sesudah: Some(json!({"skor": e.sesudah, "dampak": e.dampak, "dasar": r.dasar})),
        });
        records.push(r);
        out.push(e);
    }
    Ok(Evaluated {
        penilaian: records,
        evaluasi: out,
        audit: lines,
        kondisi_jaringan,
        ruas: ruas_baru,
    })
}

/// A mapped line's condition for a segment's condition after the work (good when the
/// segment says nothing: it is finished).
fn kondisi_garis(k: Option<Kondisi>) -> JaringanKondisi {
    match k {
        None | Some(Kondisi::Baik) => JaringanKondisi::Baik,
        Some(Kondisi::Sedang) => JaringanKondisi::Sedang,
        Some(Kondisi::Buruk) => JaringanKondisi::RusakBerat,
        Some(Kondisi::TidakAda) => JaringanKondisi::TidakAda,
    }
}

/// The mapped lines of the kind the segment builds (from its criteria) that its line runs
/// along, as they are now (`changed` holds lines an earlier segment of the same change
/// already rebuilt).
async fn lines_rebuilt(
    state: &AppState,
    s: &Segmen,
    changed: &[Ruas],
) -> ApiResult<Vec<(Ruas, jaringan::Sepanjang)>> {
    let line = match s.geometry() {
        Geometry::LineString(l) => MultiLineString(vec![l.clone()]),
        Geometry::MultiLineString(m) => m.clone(),
        _ => return Ok(Vec::new()),
    };
    let Some(jenis) = jaringan::jenis_for_kriteria(s.kriteria.iter().map(KodeKriteria::as_str))
    else {
        return Ok(Vec::new());
    };
    let Some(b) = kumuh_domain::geometry::geometry_bbox(s.geometry()) else {
        return Ok(Vec::new());
    };
    // A little wider than the tolerance of a few metres.
    let m = 0.001;
    let mut ruas = state
        .store
        .jaringan(Some([b[0] - m, b[1] - m, b[2] + m, b[3] + m]))
        .await?;
    for r in &mut ruas {
        if let Some(c) = changed.iter().find(|c| c.kode == r.kode) {
            r.kondisi = c.kondisi;
        }
    }
    let along = jaringan::lines_along(&line, jenis, &ruas);
    Ok(along
        .into_iter()
        .filter_map(|a| {
            let r = ruas.iter().find(|r| r.kode == a.kode)?.clone();
            Some((r, a))
        })
        .collect())
}

// ---------------------------------------------------------------------------------------
// Reading

/// Which works to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KegiatanParams {
    /// Only works in this place (a desa, or a kecamatan, kabupaten … by code prefix).
    pub wilayah: Option<String>,
    /// Only works of this year.
    pub tahun: Option<u16>,
}

async fn works(state: &AppState, params: &KegiatanParams) -> ApiResult<Vec<StoredKegiatan>> {
    Ok(state
        .store
        .list_kegiatan(&KegiatanQuery {
            wilayah: params.wilayah.as_deref().map(parse_wilayah).transpose()?,
            tahun: params.tahun,
        })
        .await?)
}

/// One work in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct KegiatanRingkas {
    /// Id.
    pub id: String,
    /// Name.
    pub nama: String,
    /// Type.
    #[schema(value_type = String)]
    pub jenis: JenisKegiatan,
    /// Desa code.
    pub kode_desa: String,
    /// Year.
    pub tahun: u16,
    /// Stage.
    #[schema(value_type = String)]
    pub status: StatusKegiatan,
    /// Illustrative, not surveyed.
    pub contoh: bool,
    /// Version.
    pub versi: i64,
    /// Number of segments.
    pub jumlah_segmen: usize,
    /// Known allocations, rupiah.
    pub alokasi_rp: i64,
    /// Allocations of unknown amount.
    pub alokasi_tidak_diketahui: u64,
    /// Spent, rupiah.
    pub realisasi_rp: i64,
    /// The source that paid most.
    #[schema(value_type = Option<String>)]
    pub sumber_utama: Option<SumberDana>,
}

/// Works, by desa and id.
#[utoipa::path(get, path = "/api/kegiatan", tag = "works", params(KegiatanParams),
    responses((status = 200, body = [KegiatanRingkas]), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Query(params): Query<KegiatanParams>,
) -> ApiResult<Json<Vec<KegiatanRingkas>>> {
    let mut out = Vec::new();
    for s in works(&state, &params).await? {
        let k = &s.kegiatan;
        let r = k.summary()?;
        out.push(KegiatanRingkas {
            id: k.id().to_string(),
            nama: k.nama.clone(),
            jenis: k.jenis,
            kode_desa: k.kode_desa().to_string(),
            tahun: k.tahun(),
            status: k.status(),
            contoh: k.contoh,
            versi: s.versi,
            jumlah_segmen: k.segmen().len(),
            alokasi_rp: r.alokasi.diketahui_rp.get(),
            alokasi_tidak_diketahui: r.alokasi.tidak_diketahui,
            realisasi_rp: r.realisasi_rp.get(),
            sumber_utama: r.sumber_utama(),
        });
    }
    Ok(Json(out))
}

/// One work whole, with its summary; the ETag is its version.
#[utoipa::path(get, path = "/api/kegiatan/{id}", tag = "works",
    params(("id" = String, Path, description = "Work id")),
    responses((status = 200, body = KegiatanDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let stored = load(&state, &id).await?;
    let versi = stored.versi;
    Ok(Versioned(
        StatusCode::OK,
        versi,
        detail(stored, vec![], vec![])?,
    ))
}

/// Which segments to draw.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SegmenParams {
    /// Only segments of works in this place (code prefix).
    pub wilayah: Option<String>,
    /// Only segments of works of this year.
    pub tahun: Option<u16>,
    /// Only segments whose bounds intersect `min_lon,min_lat,max_lon,max_lat`.
    pub bbox: Option<String>,
}

/// Work segments as GeoJSON, with status, main source, money and progress per segment.
#[utoipa::path(get, path = "/api/segmen", tag = "works", params(SegmenParams),
    responses((status = 200, description = "GeoJSON FeatureCollection of segments",
               body = Object, content_type = "application/geo+json"),
              (status = 400, body = ErrorBody)))]
pub async fn segmen_geojson(
    State(state): State<AppState>,
    Query(params): Query<SegmenParams>,
) -> ApiResult<GeoJson> {
    let bbox = params
        .bbox
        .as_deref()
        .map(crate::routes::places::parse_bbox)
        .transpose()?;
    let all = works(
        &state,
        &KegiatanParams {
            wilayah: params.wilayah,
            tahun: params.tahun,
        },
    )
    .await?;
    let mut features = Vec::new();
    for stored in &all {
        let k = &stored.kegiatan;
        let summary = k.summary()?;
        for (s, sum) in k.segmen().iter().zip(&summary.segmen) {
            if let Some(b) = bbox
                && !intersects(s.geometry(), b)
            {
                continue;
            }
            let per_sumber: Vec<Value> = sum
                .per_sumber
                .iter()
                .map(|l| {
                    json!({
                        "sumber": l.sumber, "alokasi_rp": l.alokasi.diketahui_rp,
                        "tidak_diketahui": l.alokasi.tidak_diketahui,
                        "realisasi_rp": l.realisasi_rp, "bagian_bp": l.bagian_bp,
                    })
                })
                .collect();
            features.push(json!({
                "type": "Feature",
                "id": format!("{}/{}", k.id(), s.id()),
                "properties": {
                    "kegiatan_id": k.id(), "segmen_id": s.id(),
                    "kegiatan": k.nama, "segmen": s.nama,
                    "jenis": k.jenis, "kode_desa": k.kode_desa(), "tahun": k.tahun(),
                    "status": s.status(), "status_kegiatan": k.status(),
                    "sumber_utama": sum.sumber_utama(),
                    "alokasi_rp": sum.alokasi.diketahui_rp,
                    "alokasi_tidak_diketahui": sum.alokasi.tidak_diketahui,
                    "realisasi_rp": sum.realisasi_rp,
                    "progres_fisik_persen": sum.progres_fisik.map(|r| r.percent()),
                    "progres_keuangan_persen": sum.progres_keuangan.map(|r| r.percent()),
                    "volume_rencana": s.volume_rencana().map(|v| v.as_f64()),
                    "volume_realisasi": sum.volume_realisasi.as_f64(),
                    "satuan": s.satuan(),
                    "terukur": s.measured().map(|t| t.value()),
                    "kondisi_sebelum": s.kondisi_sebelum, "kondisi_sesudah": s.kondisi_sesudah,
                    "kriteria": s.kriteria.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(","),
                    "kode_lokasi": s.kode_lokasi, "contoh": k.contoh,
                    "per_sumber": per_sumber,
                },
                "geometry": kumuh_io::geojson::geometry_json(s.geometry()),
            }));
        }
    }
    Ok(GeoJson(
        json!({"type": "FeatureCollection", "features": features}),
    ))
}

fn intersects(g: &geo_types::Geometry<f64>, b: [f64; 4]) -> bool {
    kumuh_domain::geometry::geometry_bbox(g)
        .is_some_and(|g| kumuh_domain::geometry::bbox_intersects(g, b))
}

/// Which audit lines to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only lines about this key and below it (`K1` gives the work and its segments).
    pub kunci: Option<String>,
    /// Only lines older than this id (paging).
    pub sebelum: Option<i64>,
    /// At most this many lines (default 100, at most 1000).
    pub limit: Option<u32>,
}

/// The audit log, newest first: who changed which work, money or progress, when, and
/// what it was before and after.
#[utoipa::path(get, path = "/api/audit", tag = "works", params(AuditParams),
    responses((status = 200, body = Object), (status = 400, body = ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    Query(params): Query<AuditParams>,
) -> ApiResult<Json<Vec<kumuh_store::AuditEntry>>> {
    let limit = params.limit.unwrap_or(100);
    if limit == 0 || limit > 1000 {
        return Err(ApiError::bad_request("limit: between 1 and 1000"));
    }
    Ok(Json(
        state
            .store
            .audit(&AuditQuery {
                kunci: params.kunci,
                sebelum_id: params.sebelum,
                limit,
            })
            .await?,
    ))
}

// ---------------------------------------------------------------------------------------
// Works

fn pelaksana(body: &mut Body, field: &str) -> ApiResult<Option<Pelaksana>> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct P {
        jenis: JenisPelaksana,
        nama: String,
    }
    Ok(body
        .opt::<P>(field)?
        .map(|p| Pelaksana::new(p.jenis, p.nama.trim())))
}

/// Creates a work in a desa (`id` is made when not given). Body: `nama`, `jenis`,
/// `kode_desa`, `tahun`, `pelaksana {jenis, nama}`, optional `id`, `keterangan`,
/// `contoh`.
#[utoipa::path(post, path = "/api/kegiatan", tag = "works", request_body = Object,
    responses((status = 201, body = KegiatanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let mut b = Body::new(body)?;
    let kode_desa: Kode = b.req_parse("kode_desa")?;
    let who = may_edit(&user, &kode_desa)?;
    let id = KegiatanId::new(new_id(b.opt_text("id")?, "K", &kode_desa)?)?;
    let nama = b.req_text("nama")?;
    let jenis: JenisKegiatan = b.req("jenis")?;
    let tahun: u16 = b.req("tahun")?;
    let pel = pelaksana(&mut b, "pelaksana")?
        .ok_or_else(|| ApiError::unprocessable("pelaksana: is required ({jenis, nama})"))?;
    let keterangan = b.opt_text("keterangan")?;
    let contoh = b.opt::<bool>("contoh")?.unwrap_or(false);
    b.finish()?;
    check_desa(&state, &kode_desa, "kode_desa").await?;
    let mut k = Kegiatan::new(id, nama, jenis, kode_desa, tahun, pel)?;
    k.keterangan = keterangan;
    k.contoh = contoh;
    let versi = state
        .store
        .save_kegiatan(&KegiatanWrite {
            kegiatan: &k,
            versi: None,
            audit: vec![NewAudit {
                pengguna: who.username.clone(),
                entitas: "kegiatan".into(),
                kunci: k.id().to_string(),
                aksi: "buat".into(),
                sebelum: None,
                sesudah: Some(json!(k)),
            }],
            penilaian: vec![],
            kondisi_jaringan: vec![],
        })
        .await?;
    state.tiles.kegiatan_changed(&k);
    let stored = state
        .store
        .kegiatan(k.id().as_str())
        .await?
        .ok_or_else(|| ApiError::internal("the new work was not found after saving"))?;
    Ok(Versioned(
        StatusCode::CREATED,
        versi,
        detail(stored, vec![], vec![])?,
    ))
}

/// The work without its segments and group, for the audit log.
fn header_json(k: &Kegiatan) -> Value {
    let mut v = json!(k);
    if let Some(o) = v.as_object_mut() {
        o.remove("segmen");
        o.remove("kpp");
    }
    v
}

/// Only the keys whose values differ, before and after.
fn diff(before: &Value, after: &Value) -> (Value, Value) {
    let (mut b, mut a) = (serde_json::Map::new(), serde_json::Map::new());
    if let (Some(bo), Some(ao)) = (before.as_object(), after.as_object()) {
        for (key, av) in ao {
            let bv = bo.get(key).unwrap_or(&Value::Null);
            if bv != av {
                b.insert(key.clone(), bv.clone());
                a.insert(key.clone(), av.clone());
            }
        }
    }
    (Value::Object(b), Value::Object(a))
}

/// Changes a work's name, type, desa, year, stage, executing body or notes. Send
/// `If-Match` with the ETag read to refuse the change (409) if someone changed the work
/// since.
#[utoipa::path(patch, path = "/api/kegiatan/{id}", tag = "works", request_body = Object,
    params(("id" = String, Path, description = "Work id")),
    responses((status = 200, body = KegiatanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let expected = if_match(&headers)?;
    let mut b = Body::new(body)?;
    let nama = b.opt_text("nama")?;
    let jenis: Option<JenisKegiatan> = b.opt("jenis")?;
    let kode_desa: Option<Kode> = b.opt_parse("kode_desa")?;
    let tahun: Option<u16> = b.opt("tahun")?;
    let status: Option<StatusKegiatan> = b.opt("status")?;
    let pel = pelaksana(&mut b, "pelaksana")?;
    let set_keterangan = b.has("keterangan");
    let keterangan = b.opt_text("keterangan")?;
    let contoh: Option<bool> = b.opt("contoh")?;
    b.finish()?;
    change(&state, &user, &id, expected, |k| {
        let before = header_json(k);
        if let Some(n) = &nama {
            k.nama.clone_from(n);
        }
        if let Some(j) = jenis {
            k.jenis = j;
        }
        if let Some(d) = &kode_desa {
            k.set_kode_desa(d.clone())?;
        }
        if let Some(t) = tahun {
            k.set_tahun(t)?;
        }
        if let Some(s) = status {
            k.set_status(s)?;
        }
        if let Some(p) = &pel {
            k.pelaksana = p.clone();
        }
        if set_keterangan {
            k.keterangan.clone_from(&keterangan);
        }
        if let Some(c) = contoh {
            k.contoh = c;
        }
        let (sebelum, sesudah) = diff(&before, &header_json(k));
        Ok(Change::line(
            "kegiatan",
            k.id().to_string(),
            "ubah",
            Some(sebelum),
            Some(sesudah),
        ))
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Segments

/// The segment without its ledger, for the audit log.
fn segmen_json(s: &Segmen) -> Value {
    let mut v = json!(s);
    if let Some(o) = v.as_object_mut() {
        o.remove("buku");
    }
    v
}

fn kriteria(b: &mut Body) -> ApiResult<Option<Vec<KodeKriteria>>> {
    let Some(list) = b.opt::<Vec<String>>("kriteria")? else {
        return Ok(None);
    };
    list.iter()
        .map(|c| {
            KodeKriteria::parse(c).map_err(|e| ApiError::unprocessable(format!("kriteria: {e}")))
        })
        .collect::<ApiResult<Vec<_>>>()
        .map(Some)
}

async fn check_lokasi(state: &AppState, kode: Option<&String>) -> ApiResult<()> {
    if let Some(kode) = kode
        && state.store.lokasi(kode).await?.is_none()
    {
        return Err(ApiError::unprocessable(format!(
            "kode_lokasi: no slum location {kode} in the atlas"
        )));
    }
    Ok(())
}

async fn desa_of(state: &AppState, id: &str) -> ApiResult<Option<kumuh_domain::Place>> {
    let stored = load(state, id).await?;
    Ok(state.store.place(stored.kegiatan.kode_desa()).await?)
}

/// Adds a segment. Body: `nama`, `geometry` (GeoJSON line, polygon or point,
/// EPSG:4326), `satuan` (`m` needs a line, `m2` a polygon; `unit`, `kk` any),
/// optional `id`, `volume_rencana`, `kondisi_sebelum`, `kondisi_sesudah`, `kriteria`
/// (`["2b"]`), `kode_lokasi`, `keterangan`, `pelaksana`.
#[utoipa::path(post, path = "/api/kegiatan/{id}/segmen", tag = "works", request_body = Object,
    params(("id" = String, Path, description = "Work id")),
    responses((status = 200, body = KegiatanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn add_segmen(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let expected = if_match(&headers)?;
    let mut b = Body::new(body)?;
    let sid = b.opt_text("id")?;
    let nama = b.req_text("nama")?;
    let geometry = b
        .opt_geometry("geometry")?
        .ok_or_else(|| ApiError::unprocessable("geometry: is required"))?;
    let satuan: Satuan = b.req("satuan")?;
    let volume = b.opt_volume("volume_rencana")?;
    let sebelum: Option<Kondisi> = b.opt("kondisi_sebelum")?;
    let sesudah: Option<Kondisi> = b.opt("kondisi_sesudah")?;
    let krit = kriteria(&mut b)?.unwrap_or_default();
    let kode_lokasi = b.opt_text("kode_lokasi")?;
    let keterangan = b.opt_text("keterangan")?;
    let pel = pelaksana(&mut b, "pelaksana")?;
    b.finish()?;
    check_lokasi(&state, kode_lokasi.as_ref()).await?;
    let desa = desa_of(&state, &id).await?;
    change(&state, &user, &id, expected, |k| {
        let sid = match &sid {
            Some(s) => SegmenId::new(s.clone())?,
            None => SegmenId::new(format!("S{}", k.segmen().len() + 1))?,
        };
        let mut s = Segmen::new(sid, nama.clone(), geometry.clone(), volume, satuan)?;
        s.kondisi_sebelum = sebelum;
        s.kondisi_sesudah = sesudah;
        s.kriteria.clone_from(&krit);
        s.kode_lokasi.clone_from(&kode_lokasi);
        s.keterangan.clone_from(&keterangan);
        s.pelaksana.clone_from(&pel);
        let mut ch = Change::line(
            "segmen",
            format!("{}/{}", k.id(), s.id()),
            "buat",
            None,
            Some(segmen_json(&s)),
        );
        ch.peringatan
            .extend(desa.as_ref().and_then(|d| outside_warning(d, &s)));
        k.add_segmen(s)?;
        Ok(ch)
    })
    .await
}

/// Today in UTC, the default date of a completion.
fn today() -> Option<Tanggal> {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs() / 86_400).ok())?;
    Tanggal::from_day_number(days)
}

/// Changes a segment: `nama`, `status`, `kondisi_sebelum`, `kondisi_sesudah`,
/// `kriteria`, `kode_lokasi`, `keterangan`, `pelaksana`, and together `geometry`,
/// `volume_rencana`, `satuan`. Setting `status` to `selesai` (with `tanggal_selesai`,
/// default today) marks the improved thing `baik` unless `kondisi_sesudah` says
/// otherwise, and records a new evaluation of the segment's slum location.
#[utoipa::path(patch, path = "/api/kegiatan/{id}/segmen/{segmen}", tag = "works",
    request_body = Object,
    params(("id" = String, Path, description = "Work id"),
           ("segmen" = String, Path, description = "Segment id")),
    responses((status = 200, body = KegiatanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update_segmen(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, segmen)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let expected = if_match(&headers)?;
    let sid = SegmenId::new(segmen)?;
    let mut b = Body::new(body)?;
    let nama = b.opt_text("nama")?;
    let status: Option<StatusKegiatan> = b.opt("status")?;
    let tanggal_selesai = b.opt_tanggal("tanggal_selesai")?;
    let set_sebelum = b.has("kondisi_sebelum");
    let sebelum: Option<Kondisi> = b.opt("kondisi_sebelum")?;
    let set_sesudah = b.has("kondisi_sesudah");
    let sesudah: Option<Kondisi> = b.opt("kondisi_sesudah")?;
    let krit = kriteria(&mut b)?;
    let set_lokasi = b.has("kode_lokasi");
    let kode_lokasi = b.opt_text("kode_lokasi")?;
    let set_keterangan = b.has("keterangan");
    let keterangan = b.opt_text("keterangan")?;
    let pel = pelaksana(&mut b, "pelaksana")?;
    let geometry = b.opt_geometry("geometry")?;
    let set_volume = b.has("volume_rencana");
    let volume = b.opt_volume("volume_rencana")?;
    let satuan: Option<Satuan> = b.opt("satuan")?;
    b.finish()?;
    check_lokasi(&state, kode_lokasi.as_ref()).await?;
    let desa = desa_of(&state, &id).await?;
    change(&state, &user, &id, expected, |k| {
        let key = format!("{}/{sid}", k.id());
        let s = k.segmen_mut(&sid)?;
        let before = segmen_json(s);
        let was = s.status();
        if let Some(n) = &nama {
            s.nama.clone_from(n);
        }
        if set_sebelum {
            s.kondisi_sebelum = sebelum;
        }
        if set_sesudah {
            s.kondisi_sesudah = sesudah;
        }
        if let Some(c) = &krit {
            s.kriteria.clone_from(c);
        }
        if set_lokasi {
            s.kode_lokasi.clone_from(&kode_lokasi);
        }
        if set_keterangan {
            s.keterangan.clone_from(&keterangan);
        }
        if let Some(p) = &pel {
            s.pelaksana = Some(p.clone());
        }
        if geometry.is_some() || set_volume || satuan.is_some() {
            s.set_rencana(
                geometry.clone().unwrap_or_else(|| s.geometry().clone()),
                if set_volume {
                    volume
                } else {
                    s.volume_rencana()
                },
                satuan.unwrap_or(s.satuan()),
            )?;
        }
        let mut selesai = Vec::new();
        if let Some(st) = status {
            s.set_status(st)?;
            if st == StatusKegiatan::Selesai && was != StatusKegiatan::Selesai {
                if s.kondisi_sesudah.is_none() {
                    s.kondisi_sesudah = Some(Kondisi::Baik);
                }
                let tanggal = tanggal_selesai
                    .or_else(today)
                    .ok_or_else(|| ApiError::unprocessable("tanggal_selesai: is required"))?;
                selesai.push((sid.clone(), tanggal));
            }
        }
        let (b4, after) = diff(&before, &segmen_json(s));
        let mut ch = Change::line("segmen", key, "ubah", Some(b4), Some(after));
        if geometry.is_some() {
            ch.peringatan
                .extend(desa.as_ref().and_then(|d| outside_warning(d, s)));
        }
        ch.selesai = selesai;
        Ok(ch)
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Ledgers

fn totals(s: &Segmen) -> Value {
    match s.summary() {
        Ok(sum) => json!({
            "alokasi": sum.alokasi, "realisasi_rp": sum.realisasi_rp,
            "volume_realisasi": sum.volume_realisasi.as_f64(),
        }),
        Err(e) => json!({"error": e.to_string()}),
    }
}

/// Records `entry` in the ledger of segment `segmen` of work `id` with `record` (a
/// `Segmen` method) and logs it with the totals before and after.
async fn ledger<T: Clone + Serialize>(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    (id, segmen): (String, String),
    aksi: &'static str,
    entry: T,
    record: impl Fn(&mut Segmen, T) -> Result<EntryId, WorksError>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let expected = if_match(headers)?;
    let sid = SegmenId::new(segmen)?;
    change(state, user, &id, expected, |k| {
        let key = format!("{}/{sid}", k.id());
        let s = k.segmen_mut(&sid)?;
        let before = totals(s);
        let entri = record(s, entry.clone())?;
        Ok(Change::line(
            "segmen",
            key,
            aksi,
            Some(before),
            Some(json!({"entri": entri.0, "isi": entry, "total": totals(s)})),
        ))
    })
    .await
}

fn override_of(b: &mut Body, user: &CurrentUser) -> ApiResult<Option<Override>> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct O {
        alasan: String,
    }
    Ok(b.opt::<O>("izin_lebih")?.map(|o| Override {
        alasan: o.alasan,
        oleh: user.0.as_ref().map(|u| u.username.clone()),
    }))
}

/// Records an allocation. Body: `sumber` (`apbn`, `apbd_provinsi`, `apbd_kabupaten`,
/// `dana_desa`, `swadaya`, `csr`, `lainnya`), `jumlah` (whole rupiah, or `null` when not
/// known), optional `tahun_anggaran`, `bentuk` (`tunai`, `tenaga`, `material`,
/// `tenaga_dan_material`, `natura_lainnya`), `dokumen {jenis, nomor}`, `tanggal`,
/// `uraian`.
#[utoipa::path(post, path = "/api/kegiatan/{id}/segmen/{segmen}/alokasi", tag = "works",
    request_body = Object,
    params(("id" = String, Path, description = "Work id"),
           ("segmen" = String, Path, description = "Segment id")),
    responses((status = 200, body = KegiatanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn alokasi(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, segmen)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let mut b = Body::new(body)?;
    let a = Alokasi {
        sumber: b.req_parse("sumber")?,
        tahun_anggaran: b.opt("tahun_anggaran")?,
        jumlah: b.req_amount("jumlah")?,
        bentuk: b.opt::<Bentuk>("bentuk")?.unwrap_or(Bentuk::Tunai),
        dokumen: b.opt::<Dokumen>("dokumen")?,
        tanggal: b.opt_tanggal("tanggal")?,
        uraian: b.opt_text("uraian")?,
    };
    b.finish()?;
    ledger(
        &state,
        &user,
        &headers,
        (id, segmen),
        "alokasi",
        a,
        Segmen::allocate,
    )
    .await
}

/// Records spending from an allocation. Body: `alokasi` (the allocation's entry id),
/// `jumlah` (whole rupiah), `tanggal`, optional `uraian`, `bukti`, and `izin_lebih
/// {alasan}` to spend beyond the allocation.
#[utoipa::path(post, path = "/api/kegiatan/{id}/segmen/{segmen}/realisasi", tag = "works",
    request_body = Object,
    params(("id" = String, Path, description = "Work id"),
           ("segmen" = String, Path, description = "Segment id")),
    responses((status = 200, body = KegiatanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn realisasi(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, segmen)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let mut b = Body::new(body)?;
    let r = Realisasi {
        alokasi: b.req("alokasi")?,
        jumlah: b.req_rupiah("jumlah")?,
        tanggal: b.req_tanggal("tanggal")?,
        uraian: b.opt_text("uraian")?,
        bukti: b.opt_text("bukti")?,
        izin_lebih: override_of(&mut b, &user)?,
    };
    b.finish()?;
    ledger(
        &state,
        &user,
        &headers,
        (id, segmen),
        "realisasi",
        r,
        Segmen::record_realisasi,
    )
    .await
}

/// Records physical progress. Body: `volume` (in the segment's unit), `tanggal`,
/// optional `uraian`, and `izin_lebih {alasan}` to go beyond 100 % of the plan.
#[utoipa::path(post, path = "/api/kegiatan/{id}/segmen/{segmen}/progres", tag = "works",
    request_body = Object,
    params(("id" = String, Path, description = "Work id"),
           ("segmen" = String, Path, description = "Segment id")),
    responses((status = 200, body = KegiatanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn progres(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, segmen)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let mut b = Body::new(body)?;
    let p = Progres {
        volume: b.req_volume("volume")?,
        tanggal: b.req_tanggal("tanggal")?,
        uraian: b.opt_text("uraian")?,
        izin_lebih: override_of(&mut b, &user)?,
    };
    b.finish()?;
    ledger(
        &state,
        &user,
        &headers,
        (id, segmen),
        "progres",
        p,
        Segmen::record_progres,
    )
    .await
}

fn reversal(b: &mut Body) -> ApiResult<Reversal> {
    Ok(Reversal {
        of: b.req("entri")?,
        alasan: b.req_text("alasan")?,
        tanggal: b.opt_tanggal("tanggal")?,
    })
}

/// Reverses an entry of a segment's ledger (nothing with money is erased). Body:
/// `entri` (entry id), `alasan`, optional `tanggal`.
#[utoipa::path(post, path = "/api/kegiatan/{id}/segmen/{segmen}/batal", tag = "works",
    request_body = Object,
    params(("id" = String, Path, description = "Work id"),
           ("segmen" = String, Path, description = "Segment id")),
    responses((status = 200, body = KegiatanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn batal(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, segmen)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let mut b = Body::new(body)?;
    let r = reversal(&mut b)?;
    b.finish()?;
    ledger(
        &state,
        &user,
        &headers,
        (id, segmen),
        "batal",
        r,
        Segmen::reverse,
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Maintenance group

/// Forms or changes the maintenance group (KPP) of a work. Body: `nama`, `aturan_iuran
/// {per_kk, jadwal: {"mingguan": {"hari": "jumat"}} or {"bulanan": {"tanggal": 1}}}`,
/// `anggota` (a number of households, or a list of `{nama, rt, bergabung, keluar}`),
/// optional `keterangan`, `contoh`. The cash book is kept.
#[utoipa::path(put, path = "/api/kegiatan/{id}/kpp", tag = "works", request_body = Object,
    params(("id" = String, Path, description = "Work id")),
    responses((status = 200, body = KegiatanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn put_kpp(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Members {
        Count(u32),
        List(Vec<Anggota>),
    }
    let expected = if_match(&headers)?;
    let mut b = Body::new(body)?;
    let nama = b.req_text("nama")?;
    let aturan: AturanIuran = b.req("aturan_iuran")?;
    let anggota = match b.opt::<Members>("anggota")? {
        None => None,
        Some(Members::Count(n)) if n > 100_000 => {
            return Err(ApiError::unprocessable(
                "anggota: at most 100000 households",
            ));
        }
        Some(Members::Count(n)) => Some(vec![Anggota::default(); n as usize]),
        Some(Members::List(l)) => Some(l),
    };
    let keterangan = b.opt_text("keterangan")?;
    let contoh: Option<bool> = b.opt("contoh")?;
    b.finish()?;
    change(&state, &user, &id, expected, |k| {
        let before = k.kpp.as_ref().map(kpp_json);
        let mut kpp = match k.kpp.take() {
            Some(mut kpp) => {
                kpp.nama.clone_from(&nama);
                kpp.set_aturan_iuran(aturan)?;
                kpp
            }
            None => Kpp::new(nama.clone(), aturan)?,
        };
        if let Some(a) = &anggota {
            kpp.anggota.clone_from(a);
        }
        kpp.keterangan.clone_from(&keterangan);
        if let Some(c) = contoh {
            kpp.contoh = c;
        }
        let after = kpp_json(&kpp);
        k.kpp = Some(kpp);
        Ok(Change::line(
            "kpp",
            k.id().to_string(),
            if before.is_some() { "ubah" } else { "buat" },
            before,
            Some(after),
        ))
    })
    .await
}

fn kpp_json(k: &Kpp) -> Value {
    let mut v = json!(k);
    if let Some(o) = v.as_object_mut() {
        o.remove("kas");
        o.insert("jumlah_anggota".into(), json!(k.anggota.len()));
        o.remove("anggota");
    }
    v
}

/// Records `entry` in the cash book of the maintenance group of work `id` with `record`
/// (a `Kpp` method) and logs it with the balance before and after.
async fn kas<T: Clone + Serialize>(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    id: &str,
    aksi: &'static str,
    entry: T,
    record: impl Fn(&mut Kpp, T) -> Result<EntryId, WorksError>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let expected = if_match(headers)?;
    change(state, user, id, expected, |k| {
        let key = k.id().to_string();
        let kpp = k.kpp.as_mut().ok_or_else(|| {
            ApiError::unprocessable(format!(
                "kegiatan {key} has no maintenance group yet; form it with PUT /api/kegiatan/{key}/kpp"
            ))
        })?;
        let before = kpp.saldo()?;
        let entri = record(kpp, entry.clone())?;
        Ok(Change::line(
            "kpp",
            key,
            aksi,
            Some(json!({"saldo_rp": before})),
            Some(json!({"entri": entri.0, "isi": entry, "saldo_rp": kpp.saldo()?})),
        ))
    })
    .await
}

/// Records dues collected by the maintenance group. Body: `tanggal`, `jumlah`, optional
/// `jumlah_kk`, `keterangan`.
#[utoipa::path(post, path = "/api/kegiatan/{id}/kpp/iuran", tag = "works", request_body = Object,
    params(("id" = String, Path, description = "Work id")),
    responses((status = 200, body = KegiatanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn iuran(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let mut b = Body::new(body)?;
    let i = Iuran {
        tanggal: b.req_tanggal("tanggal")?,
        jumlah: b.req_rupiah("jumlah")?,
        jumlah_kk: b.opt("jumlah_kk")?,
        keterangan: b.opt_text("keterangan")?,
    };
    b.finish()?;
    kas(&state, &user, &headers, &id, "iuran", i, Kpp::record_iuran).await
}

/// Records maintenance spending. Body: `tanggal`, `jumlah`, `uraian`.
#[utoipa::path(post, path = "/api/kegiatan/{id}/kpp/belanja", tag = "works",
    request_body = Object,
    params(("id" = String, Path, description = "Work id")),
    responses((status = 200, body = KegiatanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn belanja(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let mut b = Body::new(body)?;
    let x = Belanja {
        tanggal: b.req_tanggal("tanggal")?,
        jumlah: b.req_rupiah("jumlah")?,
        uraian: b.req_text("uraian")?,
    };
    b.finish()?;
    kas(
        &state,
        &user,
        &headers,
        &id,
        "belanja",
        x,
        Kpp::record_belanja,
    )
    .await
}

/// Reverses an entry of the maintenance cash book. Body: `entri`, `alasan`, optional
/// `tanggal`.
#[utoipa::path(post, path = "/api/kegiatan/{id}/kpp/batal", tag = "works", request_body = Object,
    params(("id" = String, Path, description = "Work id")),
    responses((status = 200, body = KegiatanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn kpp_batal(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let mut b = Body::new(body)?;
    let r = reversal(&mut b)?;
    b.finish()?;
    kas(&state, &user, &headers, &id, "batal", r, Kpp::reverse).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_takes_strong_weak_and_bare_versions() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::IF_MATCH, HeaderValue::from_str(v).unwrap());
            m
        };
        assert_eq!(if_match(&h("\"3\"")).unwrap(), Some(3));
        assert_eq!(if_match(&h("W/\"4\"")).unwrap(), Some(4));
        assert_eq!(if_match(&h("5")).unwrap(), Some(5));
        assert_eq!(if_match(&h("*")).unwrap(), None);
        assert_eq!(if_match(&HeaderMap::new()).unwrap(), None);
        assert!(if_match(&h("\"abc\"")).is_err());
    }

    #[test]
    fn diff_keeps_only_what_changed() {
        let (b, a) = diff(&json!({"x": 1, "y": 2}), &json!({"x": 1, "y": 3, "z": 4}));
        assert_eq!(b, json!({"y": 2, "z": null}));
        assert_eq!(a, json!({"y": 3, "z": 4}));
    }
}
