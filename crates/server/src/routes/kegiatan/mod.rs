//! Works (kegiatan): segments, funding ledgers, maintenance groups, the segment map
//! layer, the funding report and the audit log.
//!
//! The handlers read the body field by field (so a refusal names the field) into a
//! command of [`kumuh_app::works`], which authorizes, applies and saves it. A client that
//! sends `If-Match` with the ETag it read gets 409 when someone changed the work since;
//! without `If-Match` the change is applied on the newest version.

pub mod bodies;
pub(crate) mod input;
pub mod laporan;
pub mod read;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kumuh_app::works::{
    AddSegmen, CreateKegiatan, KasEntry, PutKpp, SegmenEntry, UpdateKegiatan, UpdateSegmen,
};
use kumuh_domain::Kode;
use kumuh_domain::works::{
    Alokasi, Anggota, AturanIuran, Belanja, Bentuk, Dokumen, Iuran, JenisKegiatan, JenisPelaksana,
    KodeKriteria, KondisiSegmen, Override, Pelaksana, Progres, Realisasi, Reversal, Satuan,
    SegmenId, StatusKegiatan, WorksError,
};
use serde::Deserialize;
use serde_json::Value;

pub use kumuh_app::works::{EvaluasiLokasi, JaringanBaru, KegiatanDetail, Skor};

use self::bodies::{
    AddSegmenBody, AlokasiBody, BatalBody, BelanjaBody, CreateKegiatanBody, IuranBody, KppBody,
    ProgresBody, RealisasiBody, UpdateKegiatanBody, UpdateSegmenBody,
};
use self::input::Body;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path};
use crate::routes::common::{Versioned, if_match};

impl From<WorksError> for ApiError {
    fn from(e: WorksError) -> Self {
        ApiError::unprocessable(e.to_string())
    }
}

// ---------------------------------------------------------------------------------------
// Reading bodies

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

/// A field that may be set, cleared (`null`) or left out: `None` when left out.
fn settable<T>(
    b: &mut Body,
    field: &str,
    read: impl FnOnce(&mut Body, &str) -> ApiResult<Option<T>>,
) -> ApiResult<Option<Option<T>>> {
    let sent = b.has(field);
    let v = read(b, field)?;
    Ok(sent.then_some(v))
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

fn reversal(b: &mut Body) -> ApiResult<Reversal> {
    Ok(Reversal {
        of: b.req("entri")?,
        alasan: b.req_text("alasan")?,
        tanggal: b.opt_tanggal("tanggal")?,
    })
}

/// Records a ledger entry of a segment through [`kumuh_app::works::record_segmen`].
async fn ledger(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    (id, segmen): (String, String),
    entry: SegmenEntry,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let expected = if_match(headers)?;
    let sid = SegmenId::new(segmen)?;
    let atlas = state.atlas();
    let d = kumuh_app::works::record_segmen(&atlas, user.0.as_ref(), &id, &sid, expected, entry)
        .await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Records a cash-book entry through [`kumuh_app::works::record_kas`].
async fn kas(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    id: &str,
    entry: KasEntry,
) -> ApiResult<Versioned<KegiatanDetail>> {
    let expected = if_match(headers)?;
    let atlas = state.atlas();
    let d = kumuh_app::works::record_kas(&atlas, user.0.as_ref(), id, expected, entry).await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

// ---------------------------------------------------------------------------------------
// Changes

/// Creates a work in a desa (`id` is made when not given). Body: `nama`, `jenis`,
/// `kode_desa`, `tahun`, `pelaksana {jenis, nama}`, optional `id`, `keterangan`,
/// `contoh`.
#[utoipa::path(post, path = "/api/kegiatan", operation_id = "create_kegiatan", tag = "works", request_body = CreateKegiatanBody,
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
    let id = b.opt_text("id")?;
    let nama = b.req_text("nama")?;
    let jenis: JenisKegiatan = b.req("jenis")?;
    let tahun: u16 = b.req("tahun")?;
    let pelaksana = pelaksana(&mut b, "pelaksana")?
        .ok_or_else(|| ApiError::unprocessable("pelaksana: is required ({jenis, nama})"))?;
    let keterangan = b.opt_text("keterangan")?;
    let contoh = b.opt::<bool>("contoh")?.unwrap_or(false);
    b.finish()?;
    let cmd = CreateKegiatan {
        id,
        nama,
        jenis,
        kode_desa,
        tahun,
        pelaksana,
        keterangan,
        contoh,
    };
    let d = kumuh_app::works::create(&state.atlas(), user.0.as_ref(), cmd).await?;
    Ok(Versioned(StatusCode::CREATED, d.versi, d))
}

/// Changes a work's name, type, desa, year, stage, executing body or notes. Send
/// `If-Match` with the ETag read to refuse the change (409) if someone changed the work
/// since.
#[utoipa::path(patch, path = "/api/kegiatan/{id}", operation_id = "update_kegiatan", tag = "works", request_body = UpdateKegiatanBody,
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
    let keterangan = settable(&mut b, "keterangan", Body::opt_text)?;
    let contoh: Option<bool> = b.opt("contoh")?;
    b.finish()?;
    let cmd = UpdateKegiatan {
        nama,
        jenis,
        kode_desa,
        tahun,
        status,
        pelaksana: pel,
        keterangan,
        contoh,
    };
    let d = kumuh_app::works::update(&state.atlas(), user.0.as_ref(), &id, expected, cmd).await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Adds a segment. Body: `nama`, `geometry` (GeoJSON line, polygon or point,
/// EPSG:4326), `satuan` (`m` needs a line, `m2` a polygon; `unit`, `kk` any),
/// optional `id`, `volume_rencana`, `kondisi_sebelum`, `kondisi_sesudah`, `kriteria`
/// (`["2b"]`), `kode_lokasi`, `perkiraan_biaya_rp` (the estimated cost, for budget
/// scenarios), `keterangan`, `pelaksana`.
#[utoipa::path(post, path = "/api/kegiatan/{id}/segmen", tag = "works", request_body = AddSegmenBody,
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
    let volume_rencana = b.opt_volume("volume_rencana")?;
    let kondisi_sebelum: Option<KondisiSegmen> = b.opt("kondisi_sebelum")?;
    let kondisi_sesudah: Option<KondisiSegmen> = b.opt("kondisi_sesudah")?;
    let kriteria = kriteria(&mut b)?.unwrap_or_default();
    let kode_lokasi = b.opt_text("kode_lokasi")?;
    let perkiraan_biaya_rp = b.opt_rupiah("perkiraan_biaya_rp")?;
    let keterangan = b.opt_text("keterangan")?;
    let pel = pelaksana(&mut b, "pelaksana")?;
    b.finish()?;
    let cmd = AddSegmen {
        perkiraan_biaya_rp,
        id: sid,
        nama,
        geometry,
        satuan,
        volume_rencana,
        kondisi_sebelum,
        kondisi_sesudah,
        kriteria,
        kode_lokasi,
        keterangan,
        pelaksana: pel,
    };
    let atlas = state.atlas();
    let d = kumuh_app::works::add_segmen(&atlas, user.0.as_ref(), &id, expected, cmd).await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Changes a segment: `nama`, `status`, `kondisi_sebelum`, `kondisi_sesudah`,
/// `kriteria`, `kode_lokasi`, `perkiraan_biaya_rp`, `keterangan`, `pelaksana`, and
/// together `geometry`,
/// `volume_rencana`, `satuan`. Setting `status` to `selesai` (with `tanggal_selesai`,
/// default today) marks the improved thing `baik` unless `kondisi_sesudah` says
/// otherwise, and records a new evaluation of the segment's slum location.
#[utoipa::path(patch, path = "/api/kegiatan/{id}/segmen/{segmen}", tag = "works",
    request_body = UpdateSegmenBody,
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
    let kondisi_sebelum = settable(&mut b, "kondisi_sebelum", Body::opt::<KondisiSegmen>)?;
    let kondisi_sesudah = settable(&mut b, "kondisi_sesudah", Body::opt::<KondisiSegmen>)?;
    let krit = kriteria(&mut b)?;
    let kode_lokasi = settable(&mut b, "kode_lokasi", Body::opt_text)?;
    let perkiraan_biaya_rp = settable(&mut b, "perkiraan_biaya_rp", Body::opt_rupiah)?;
    let keterangan = settable(&mut b, "keterangan", Body::opt_text)?;
    let pel = pelaksana(&mut b, "pelaksana")?;
    let geometry = b.opt_geometry("geometry")?;
    let volume_rencana = settable(&mut b, "volume_rencana", Body::opt_volume)?;
    let satuan: Option<Satuan> = b.opt("satuan")?;
    b.finish()?;
    let cmd = UpdateSegmen {
        perkiraan_biaya_rp,
        nama,
        status,
        tanggal_selesai,
        kondisi_sebelum,
        kondisi_sesudah,
        kriteria: krit,
        kode_lokasi,
        keterangan,
        pelaksana: pel,
        geometry,
        volume_rencana,
        satuan,
    };
    let atlas = state.atlas();
    let d =
        kumuh_app::works::update_segmen(&atlas, user.0.as_ref(), &id, &sid, expected, cmd).await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Records an allocation. Body: `sumber` (`apbn`, `apbd_provinsi`, `apbd_kabupaten`,
/// `dana_desa`, `swadaya`, `csr`, `lainnya`), `jumlah` (whole rupiah, or `null` when not
/// known), optional `tahun_anggaran`, `bentuk` (`tunai`, `tenaga`, `material`,
/// `tenaga_dan_material`, `natura_lainnya`), `dokumen {jenis, nomor}`, `tanggal`,
/// `uraian`.
#[utoipa::path(post, path = "/api/kegiatan/{id}/segmen/{segmen}/alokasi", tag = "works",
    request_body = AlokasiBody,
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
    let entry = Alokasi {
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
        SegmenEntry::Alokasi(entry),
    )
    .await
}

/// Records spending from an allocation. Body: `alokasi` (the allocation's entry id),
/// `jumlah` (whole rupiah), `tanggal`, optional `uraian`, `bukti`, and `izin_lebih
/// {alasan}` to spend beyond the allocation.
#[utoipa::path(post, path = "/api/kegiatan/{id}/segmen/{segmen}/realisasi", tag = "works",
    request_body = RealisasiBody,
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
    let entry = Realisasi {
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
        SegmenEntry::Realisasi(entry),
    )
    .await
}

/// Records physical progress. Body: `volume` (in the segment's unit), `tanggal`,
/// optional `uraian`, and `izin_lebih {alasan}` to go beyond 100 % of the plan.
#[utoipa::path(post, path = "/api/kegiatan/{id}/segmen/{segmen}/progres", tag = "works",
    request_body = ProgresBody,
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
    let entry = Progres {
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
        SegmenEntry::Progres(entry),
    )
    .await
}

/// Reverses an entry of a segment's ledger (nothing with money is erased). Body:
/// `entri` (entry id), `alasan`, optional `tanggal`.
#[utoipa::path(post, path = "/api/kegiatan/{id}/segmen/{segmen}/batal", tag = "works",
    request_body = BatalBody,
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
    let entry = reversal(&mut b)?;
    b.finish()?;
    ledger(
        &state,
        &user,
        &headers,
        (id, segmen),
        SegmenEntry::Batal(entry),
    )
    .await
}

/// Forms or changes the maintenance group (KPP) of a work. Body: `nama`, `aturan_iuran
/// {per_kk, jadwal: {"mingguan": {"hari": "jumat"}} or {"bulanan": {"tanggal": 1}}}`,
/// `anggota` (a number of households, or a list of `{nama, rt, bergabung, keluar}`),
/// optional `keterangan`, `contoh`. The cash book is kept.
#[utoipa::path(put, path = "/api/kegiatan/{id}/kpp", tag = "works", request_body = KppBody,
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
    let aturan_iuran: AturanIuran = b.req("aturan_iuran")?;
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
    let cmd = PutKpp {
        nama,
        aturan_iuran,
        anggota,
        keterangan,
        contoh,
    };
    let d = kumuh_app::works::put_kpp(&state.atlas(), user.0.as_ref(), &id, expected, cmd).await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Records dues collected by the maintenance group. Body: `tanggal`, `jumlah`, optional
/// `jumlah_kk`, `keterangan`.
#[utoipa::path(post, path = "/api/kegiatan/{id}/kpp/iuran", tag = "works", request_body = IuranBody,
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
    let entry = Iuran {
        tanggal: b.req_tanggal("tanggal")?,
        jumlah: b.req_rupiah("jumlah")?,
        jumlah_kk: b.opt("jumlah_kk")?,
        keterangan: b.opt_text("keterangan")?,
    };
    b.finish()?;
    kas(&state, &user, &headers, &id, KasEntry::Iuran(entry)).await
}

/// Records maintenance spending. Body: `tanggal`, `jumlah`, `uraian`.
#[utoipa::path(post, path = "/api/kegiatan/{id}/kpp/belanja", tag = "works",
    request_body = BelanjaBody,
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
    let entry = Belanja {
        tanggal: b.req_tanggal("tanggal")?,
        jumlah: b.req_rupiah("jumlah")?,
        uraian: b.req_text("uraian")?,
    };
    b.finish()?;
    kas(&state, &user, &headers, &id, KasEntry::Belanja(entry)).await
}

/// Reverses an entry of the maintenance cash book. Body: `entri`, `alasan`, optional
/// `tanggal`.
#[utoipa::path(post, path = "/api/kegiatan/{id}/kpp/batal", tag = "works", request_body = BatalBody,
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
    let entry = reversal(&mut b)?;
    b.finish()?;
    kas(&state, &user, &headers, &id, KasEntry::Batal(entry)).await
}
