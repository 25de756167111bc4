//! Revolving loans: KSM, group savings, loans, repayments, the UPK's indicators and the
//! arrears list. Totals per desa are public; names, NIKs and single loans only for users
//! who may read the desa's details (see `kumuh_app::upk`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kumuh_app::upk::{
    AnggotaBaru, BuatKsm, BuatPinjaman, CatatTabungan, DaftarKsm, JenisTabungan, KinerjaWilayah,
    KsmDetail, PinjamanDetail, Putuskan, TunggakanWilayah, UbahKsm,
};
use kumuh_domain::Kode;
use kumuh_domain::upk::{JenisKelamin, JenisKsm, MetodeJasa, Pembayaran};
use kumuh_domain::works::{EntryId, Tanggal};
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::routes::common::{Versioned, attachment, if_match, parse_wilayah};
use crate::routes::kegiatan::input::Body;
use crate::routes::upk_bodies::{
    AngsuranBody, BatalBody, CairBody, HapusBukuBody, KeputusanBody, KsmBody, KsmPatchBody,
    PinjamanBody, TabunganBody,
};

/// Which area to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WilayahParams {
    /// Only this place (a desa, or a kecamatan … by code prefix).
    pub wilayah: Option<String>,
}

/// An area and a date.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LaporanUpkParams {
    /// Only this place (a desa, or a kecamatan … by code prefix).
    pub wilayah: Option<String>,
    /// The date, `YYYY-MM-DD` (today when not given).
    pub per: Option<String>,
    /// `json` (default), `csv` or `xlsx` (the arrears list only).
    pub format: Option<String>,
}

/// A date.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PerParams {
    /// The date of the standing, `YYYY-MM-DD` (today when not given).
    pub per: Option<String>,
}

/// A change's body, and the version of the record it was made on: the `If-Match`
/// header, else the body's `versi`.
pub(crate) fn versioned_body(headers: &HeaderMap, body: Value) -> ApiResult<(Body, Option<i64>)> {
    let mut b = Body::new(body)?;
    let versi = if_match(headers)?.or(b.opt::<i64>("versi")?);
    Ok((b, versi))
}

pub(crate) fn parse_per(per: Option<&str>) -> ApiResult<Option<Tanggal>> {
    per.map(|p| Tanggal::parse(p).map_err(|e| ApiError::bad_request(format!("per: {e}"))))
        .transpose()
}

/// A member as a body carries it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnggotaIn {
    nama: String,
    jenis_kelamin: JenisKelamin,
    #[serde(default)]
    rumah_tangga: Option<String>,
    #[serde(default)]
    nik: Option<String>,
}

/// A member who left, as a body carries it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeluarIn {
    no: u32,
    tanggal: Tanggal,
}

/// Reads each element of a list, naming the list, the index and serde's complaint.
fn each<T: serde::de::DeserializeOwned>(list: Vec<Value>, field: &str) -> ApiResult<Vec<T>> {
    list.into_iter()
        .enumerate()
        .map(|(i, v)| {
            serde_json::from_value(v)
                .map_err(|e| ApiError::unprocessable(format!("{field}[{i}]: {e}")))
        })
        .collect()
}

fn anggota(list: Vec<Value>, field: &str) -> ApiResult<Vec<AnggotaBaru>> {
    Ok(each::<AnggotaIn>(list, field)?
        .into_iter()
        .map(|a| AnggotaBaru {
            nama: a.nama,
            jenis_kelamin: a.jenis_kelamin,
            rumah_tangga: a.rumah_tangga,
            nik: a.nik,
        })
        .collect())
}

/// Creates a KSM with its members. NIKs sent with members are kept apart from the KSM
/// and shown only to users who may read the desa's details.
#[utoipa::path(post, path = "/api/ksm", operation_id = "create_ksm", tag = "upk", request_body = KsmBody,
    responses((status = 201, body = KsmDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_ksm(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KsmDetail>> {
    let mut b = Body::new(body)?;
    let kode_desa: Kode = b.req_parse("kode_desa")?;
    let id = b.opt_text("id")?;
    let nama = b.req_text("nama")?;
    let jenis: JenisKsm = b.req("jenis")?;
    let dibentuk = b.opt_tanggal("dibentuk")?;
    let list = b.opt::<Vec<Value>>("anggota")?.unwrap_or_default();
    let aturan_main = b.opt::<Vec<String>>("aturan_main")?.unwrap_or_default();
    let contoh = b.opt::<bool>("contoh")?.unwrap_or(false);
    b.finish()?;
    let cmd = BuatKsm {
        id,
        kode_desa,
        nama,
        jenis,
        dibentuk,
        anggota: anggota(list, "anggota")?,
        aturan_main,
        contoh,
    };
    let d = kumuh_app::upk::buat_ksm(&state.atlas(), user.0.as_ref(), cmd).await?;
    Ok(Versioned(StatusCode::CREATED, d.versi, d))
}

/// KSM of an area: one by one (with their loans and class) for the desa whose details
/// the caller may read, and totals per desa for everyone.
#[utoipa::path(get, path = "/api/ksm", operation_id = "list_ksm", tag = "upk", params(WilayahParams),
    responses((status = 200, body = DaftarKsm), (status = 400, body = ErrorBody)))]
pub async fn list_ksm(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<WilayahParams>,
) -> ApiResult<Json<DaftarKsm>> {
    let wilayah = params.wilayah.as_deref().map(parse_wilayah).transpose()?;
    Ok(Json(
        kumuh_app::upk::daftar_ksm(&state.atlas(), user.0.as_ref(), wilayah.as_ref()).await?,
    ))
}

/// One KSM with members, NIKs, savings and loans; for users who may read its desa.
#[utoipa::path(get, path = "/api/ksm/{id}", operation_id = "get_ksm", tag = "upk",
    params(("id" = String, Path, description = "KSM id")),
    responses((status = 200, body = KsmDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_ksm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Versioned<KsmDetail>> {
    let d = kumuh_app::upk::ksm(&state.atlas(), user.0.as_ref(), &id).await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Changes a KSM: name, kind, rules, members joining (`anggota_baru`) and leaving
/// (`anggota_keluar`). Send the version read as `If-Match` or `versi`.
#[utoipa::path(patch, path = "/api/ksm/{id}", operation_id = "update_ksm", tag = "upk",
    request_body = KsmPatchBody,
    params(("id" = String, Path, description = "KSM id"),
           ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses((status = 200, body = KsmDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update_ksm(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KsmDetail>> {
    let (mut b, versi) = versioned_body(&headers, body)?;
    let nama = b.opt_text("nama")?;
    let jenis: Option<JenisKsm> = b.opt("jenis")?;
    let aturan_main = b.opt::<Vec<String>>("aturan_main")?;
    let baru = b.opt::<Vec<Value>>("anggota_baru")?.unwrap_or_default();
    let keluar = b.opt::<Vec<Value>>("anggota_keluar")?.unwrap_or_default();
    b.finish()?;
    let anggota_keluar = each::<KeluarIn>(keluar, "anggota_keluar")?
        .into_iter()
        .map(|k| (k.no, k.tanggal))
        .collect();
    let cmd = UbahKsm {
        versi,
        nama,
        jenis,
        aturan_main,
        anggota_baru: anggota(baru, "anggota_baru")?,
        anggota_keluar,
    };
    let d = kumuh_app::upk::ubah_ksm(&state.atlas(), user.0.as_ref(), &id, cmd).await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Records a deposit (`setoran`) into or a withdrawal (`penarikan`, with `alasan`) from
/// the group's joint-liability savings; the balance never goes below zero.
#[utoipa::path(post, path = "/api/ksm/{id}/tabungan", operation_id = "record_tabungan", tag = "upk",
    request_body = TabunganBody,
    params(("id" = String, Path, description = "KSM id")),
    responses((status = 200, body = KsmDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn tabungan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<KsmDetail>> {
    let mut b = Body::new(body)?;
    let jenis = match b.opt_text("jenis")?.as_deref() {
        None | Some("setoran") => JenisTabungan::Setoran,
        Some("penarikan") => JenisTabungan::Penarikan,
        Some(other) => {
            return Err(ApiError::unprocessable(format!(
                "jenis: `{other}` is neither setoran nor penarikan"
            )));
        }
    };
    let cmd = CatatTabungan {
        jenis,
        tanggal: b.req_tanggal("tanggal")?,
        jumlah_rp: b.req_rupiah("jumlah_rp")?,
        alasan: b.opt_text("alasan")?,
        anggota: b.opt_text("anggota")?,
        keterangan: b.opt_text("keterangan")?,
        versi: b.opt::<i64>("versi")?,
    };
    b.finish()?;
    let d = kumuh_app::upk::catat_tabungan(&state.atlas(), user.0.as_ref(), &id, cmd).await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Records a loan to a KSM: an application, or with `tanggal_cair` a loan already
/// disbursed. Answers the loan with its `id` and schedule (`jadwal`).
#[utoipa::path(post, path = "/api/pinjaman", operation_id = "create_pinjaman", tag = "upk",
    request_body = PinjamanBody,
    responses((status = 201, body = PinjamanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_pinjaman(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<PinjamanDetail>> {
    let mut b = Body::new(body)?;
    let cmd = BuatPinjaman {
        ksm: b.req_text("ksm")?,
        id: b.opt_text("id")?,
        pokok_rp: b.req_rupiah("pokok_rp")?,
        jangka_bulan: b.req("jangka_bulan")?,
        jasa_persen_bulan: b.req("jasa_persen_bulan")?,
        metode_jasa: b.opt::<MetodeJasa>("metode_jasa")?.unwrap_or_default(),
        tanggal_pengajuan: b.opt_tanggal("tanggal_pengajuan")?,
        tanggal_cair: b.opt_tanggal("tanggal_cair")?,
        tujuan: b.opt_text("tujuan")?,
        contoh: b.opt::<bool>("contoh")?.unwrap_or(false),
    };
    b.finish()?;
    let d = kumuh_app::upk::buat_pinjaman(&state.atlas(), user.0.as_ref(), cmd).await?;
    Ok(Versioned(StatusCode::CREATED, d.versi, d))
}

/// A loan with its schedule and its standing on `per`: outstanding principal, arrears,
/// instalments behind, days overdue and kolektibilitas; for users who may read its desa.
#[utoipa::path(get, path = "/api/pinjaman/{id}", operation_id = "get_pinjaman", tag = "upk",
    params(("id" = String, Path, description = "Loan id"), PerParams),
    responses((status = 200, body = PinjamanDetail), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn get_pinjaman(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<PerParams>,
) -> ApiResult<Versioned<PinjamanDetail>> {
    let per = parse_per(params.per.as_deref())?;
    let d = kumuh_app::upk::pinjaman(&state.atlas(), user.0.as_ref(), &id, per).await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Records a repayment: applied to the oldest instalment not paid, service first. A
/// repayment beyond what is still owed is refused. With `sumber`
/// `tabungan_tanggung_renteng` (and `alasan`) the same amount is taken out of the
/// group's savings in the same transaction, refused (422, `jumlah_rp`) when the savings
/// hold less. Answers the standing on its day.
#[utoipa::path(post, path = "/api/pinjaman/{id}/angsuran", operation_id = "record_angsuran", tag = "upk",
    request_body = AngsuranBody,
    params(("id" = String, Path, description = "Loan id"),
           ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses((status = 200, body = PinjamanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn angsuran(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<PinjamanDetail>> {
    let (mut b, versi) = versioned_body(&headers, body)?;
    let tanggal = b.req_tanggal("tanggal")?;
    let jumlah_rp = b.req_rupiah("jumlah_rp")?;
    let sumber = kumuh_app::upk::sumber_bayar(b.opt_text("sumber")?.as_deref())?;
    let keterangan = b.opt_text("keterangan")?;
    let alasan = b.opt_text("alasan")?;
    b.finish()?;
    let bayar = Pembayaran {
        tanggal,
        jumlah_rp,
        sumber,
        keterangan,
    };
    let d = kumuh_app::upk::angsuran(&state.atlas(), user.0.as_ref(), &id, bayar, alasan, versi)
        .await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Reverses a repayment (`entri`, or the latest live one), with the reason; the entry
/// stays in the book.
#[utoipa::path(post, path = "/api/pinjaman/{id}/batal", operation_id = "reverse_angsuran", tag = "upk",
    request_body = BatalBody,
    params(("id" = String, Path, description = "Loan id"),
           ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses((status = 200, body = PinjamanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn batal(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<PinjamanDetail>> {
    let (mut b, versi) = versioned_body(&headers, body)?;
    let entri = b.opt::<u64>("entri")?.map(EntryId);
    let alasan = b.req_text("alasan")?;
    b.finish()?;
    let d =
        kumuh_app::upk::batal_angsuran(&state.atlas(), user.0.as_ref(), &id, entri, &alasan, versi)
            .await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Decides a loan application: `setuju` true approves it on the terms applied for,
/// false refuses it (with `alasan`). The signed-in user is recorded as the one who
/// decided.
#[utoipa::path(post, path = "/api/pinjaman/{id}/keputusan", operation_id = "decide_pinjaman",
    tag = "upk", request_body = KeputusanBody,
    params(("id" = String, Path, description = "Loan id"),
           ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses((status = 200, body = PinjamanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn keputusan(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<PinjamanDetail>> {
    let (mut b, versi) = versioned_body(&headers, body)?;
    let cmd = Putuskan {
        setuju: b.req::<bool>("setuju")?,
        tanggal: b.req_tanggal("tanggal")?,
        alasan: b.opt_text("alasan")?,
        versi,
    };
    b.finish()?;
    let d = kumuh_app::upk::putuskan(&state.atlas(), user.0.as_ref(), &id, cmd).await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Disburses an approved loan on `tanggal_cair`; answers the loan with its schedule.
#[utoipa::path(post, path = "/api/pinjaman/{id}/cair", operation_id = "disburse_pinjaman",
    tag = "upk", request_body = CairBody,
    params(("id" = String, Path, description = "Loan id"),
           ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses((status = 200, body = PinjamanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn cair(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<PinjamanDetail>> {
    let (mut b, versi) = versioned_body(&headers, body)?;
    let tanggal_cair = b.req_tanggal("tanggal_cair")?;
    b.finish()?;
    let d =
        kumuh_app::upk::cairkan(&state.atlas(), user.0.as_ref(), &id, tanggal_cair, versi).await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// Writes a disbursed loan off (hapus buku) on `tanggal`, with the reason; the
/// signed-in user (the desa's `upk` user, or an admin) is recorded as approving it.
#[utoipa::path(post, path = "/api/pinjaman/{id}/hapus-buku", operation_id = "write_off_pinjaman",
    tag = "upk", request_body = HapusBukuBody,
    params(("id" = String, Path, description = "Loan id"),
           ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses((status = 200, body = PinjamanDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn hapus_buku(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Versioned<PinjamanDetail>> {
    let (mut b, versi) = versioned_body(&headers, body)?;
    let tanggal = b.req_tanggal("tanggal")?;
    let alasan = b.req_text("alasan")?;
    b.finish()?;
    let d = kumuh_app::upk::hapus_buku(
        &state.atlas(),
        user.0.as_ref(),
        &id,
        tanggal,
        &alasan,
        versi,
    )
    .await?;
    Ok(Versioned(StatusCode::OK, d.versi, d))
}

/// The UPK's indicators for an area and each of its desa on `per`: LAR, PAR and
/// repayment rate with their bands (`baik`, `cukup`, `kurang`). Totals only.
#[utoipa::path(get, path = "/api/upk/kinerja", operation_id = "upk_kinerja", tag = "upk",
    params(LaporanUpkParams),
    responses((status = 200, body = KinerjaWilayah), (status = 400, body = ErrorBody)))]
pub async fn kinerja(
    State(state): State<AppState>,
    Query(params): Query<LaporanUpkParams>,
) -> ApiResult<Json<KinerjaWilayah>> {
    let wilayah = params.wilayah.as_deref().map(parse_wilayah).transpose()?;
    let per = parse_per(params.per.as_deref())?;
    Ok(Json(
        kumuh_app::upk::kinerja(&state.atlas(), wilayah.as_ref(), per).await?,
    ))
}

/// The arrears list (Daftar Tunggakan) on `per`, worst first, with totals; as JSON, CSV
/// or XLSX. Names borrowers, so only for users who may read the desa's details.
#[utoipa::path(get, path = "/api/upk/tunggakan", operation_id = "upk_tunggakan", tag = "upk",
    params(LaporanUpkParams),
    responses((status = 200, description = "JSON list, CSV or XLSX", body = TunggakanWilayah),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn tunggakan(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<LaporanUpkParams>,
) -> ApiResult<Response> {
    let wilayah = params.wilayah.as_deref().map(parse_wilayah).transpose()?;
    let per = parse_per(params.per.as_deref())?;
    let format = params.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "csv" | "xlsx") {
        return Err(ApiError::bad_request(format!(
            "format: `{format}` is not one of json, csv, xlsx"
        )));
    }
    let t =
        kumuh_app::upk::tunggakan(&state.atlas(), user.0.as_ref(), wilayah.as_ref(), per).await?;
    let mut out = Vec::new();
    let (content_type, file) = match format {
        "csv" => {
            kumuh_io::upk::tunggakan_csv(&t.daftar, &t.nama_ksm, &mut out)
                .map_err(ApiError::internal)?;
            ("text/csv; charset=utf-8", "daftar-tunggakan.csv")
        }
        "xlsx" => {
            kumuh_io::upk::tunggakan_xlsx(&t.daftar, &t.nama_ksm, &mut out)
                .map_err(ApiError::internal)?;
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "daftar-tunggakan.xlsx",
            )
        }
        _ => return Ok(axum::Json(t).into_response()),
    };
    Ok(attachment(file, content_type, out))
}
