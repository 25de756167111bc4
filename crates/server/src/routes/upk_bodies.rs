//! The request bodies of the revolving-loan API as the OpenAPI document shows them.
//!
//! As for works, the handlers read bodies field by field; these types only describe what
//! that reading accepts, so they are never deserialized, hence never constructed.
#![allow(dead_code)]

use utoipa::ToSchema;

/// A member of a new KSM.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"nama": "Sulastri", "jenis_kelamin": "P"}))]
pub struct AnggotaBody {
    /// Name.
    pub nama: String,
    /// `L` (laki-laki) or `P` (perempuan).
    #[schema(example = "P")]
    pub jenis_kelamin: String,
    /// The household (head of household or family card number); the member's own name
    /// when not given.
    pub rumah_tangga: Option<String>,
    /// NIK, 16 digits; kept apart and shown only to users of the desa.
    pub nik: Option<String>,
}

/// A new KSM (`POST /api/ksm`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({
    "kode_desa": "35.19.09.2014", "nama": "KSM Berkah Jaya", "jenis": "ekonomi",
    "anggota": [{"nama": "Sulastri", "jenis_kelamin": "P"}, {"nama": "Sarni", "jenis_kelamin": "P"}]
}))]
pub struct KsmBody {
    /// Kemendagri code of the desa.
    #[schema(example = "35.19.09.2014")]
    pub kode_desa: String,
    /// Id; made from the desa when not given.
    pub id: Option<String>,
    /// Name.
    pub nama: String,
    /// `ekonomi`, `lingkungan` or `sosial`.
    #[schema(example = "ekonomi")]
    pub jenis: String,
    /// Formation date, `YYYY-MM-DD` (today when not given).
    pub dibentuk: Option<String>,
    /// Members.
    pub anggota: Option<Vec<AnggotaBody>>,
    /// The group's rules.
    pub aturan_main: Option<Vec<String>>,
    /// Marks illustrative data.
    pub contoh: Option<bool>,
}

/// A member who left.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"no": 4, "tanggal": "2020-06-01"}))]
pub struct KeluarBody {
    /// Member number.
    pub no: u32,
    /// The day the member left.
    pub tanggal: String,
}

/// A change of a KSM (`PATCH /api/ksm/{id}`); fields not sent stay as they are.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"versi": 1, "nama": "KSM Berkah Jaya Makmur",
    "anggota_keluar": [{"no": 2, "tanggal": "2020-06-01"}]}))]
pub struct KsmPatchBody {
    /// The version read (or send `If-Match`).
    pub versi: Option<i64>,
    /// New name.
    pub nama: Option<String>,
    /// New kind.
    pub jenis: Option<String>,
    /// New rules.
    pub aturan_main: Option<Vec<String>>,
    /// Members to add.
    pub anggota_baru: Option<Vec<AnggotaBody>>,
    /// Members who left.
    pub anggota_keluar: Option<Vec<KeluarBody>>,
}

/// A deposit or withdrawal of group savings (`POST /api/ksm/{id}/tabungan`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"jenis": "setoran", "tanggal": "2026-01-10", "jumlah_rp": 150000}))]
pub struct TabunganBody {
    /// `setoran` (deposit, the default) or `penarikan` (withdrawal).
    #[schema(example = "setoran")]
    pub jenis: Option<String>,
    /// The day.
    pub tanggal: String,
    /// Whole rupiah, above 0.
    #[schema(minimum = 1)]
    pub jumlah_rp: i64,
    /// Why the money goes out (required for a withdrawal).
    pub alasan: Option<String>,
    /// The member who paid in.
    pub anggota: Option<String>,
    /// Notes.
    pub keterangan: Option<String>,
    /// The version of the savings book read.
    pub versi: Option<i64>,
}

/// A new loan (`POST /api/pinjaman`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"ksm": "ksm-maju", "pokok_rp": 3000000, "jangka_bulan": 10,
    "jasa_persen_bulan": 1.5, "tanggal_cair": "2026-01-05"}))]
pub struct PinjamanBody {
    /// The borrowing KSM.
    pub ksm: String,
    /// Id; made from the desa when not given.
    pub id: Option<String>,
    /// Principal, whole rupiah.
    #[schema(minimum = 1)]
    pub pokok_rp: i64,
    /// Term, 1-120 months.
    #[schema(minimum = 1, maximum = 120)]
    pub jangka_bulan: u16,
    /// Service per month in percent, at most two decimals (`1.5`).
    #[schema(example = 1.5)]
    pub jasa_persen_bulan: f64,
    /// `flat` (default) or `menurun`.
    pub metode_jasa: Option<String>,
    /// Application day (the disbursement day, or today, when not given).
    pub tanggal_pengajuan: Option<String>,
    /// Disbursement day: a loan already disbursed is recorded approved and disbursed.
    pub tanggal_cair: Option<String>,
    /// What the money is for.
    pub tujuan: Option<String>,
    /// Marks illustrative data.
    pub contoh: Option<bool>,
}

/// A repayment (`POST /api/pinjaman/{id}/angsuran`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"tanggal": "2026-02-05", "jumlah_rp": 345000}))]
pub struct AngsuranBody {
    /// The day it was paid.
    pub tanggal: String,
    /// Whole rupiah, above 0.
    #[schema(minimum = 1)]
    pub jumlah_rp: i64,
    /// `angsuran` (default), `tabungan_tanggung_renteng` or `penagihan`.
    pub sumber: Option<String>,
    /// Notes.
    pub keterangan: Option<String>,
    /// The loan's version read.
    pub versi: Option<i64>,
}

/// A reversal of a repayment (`POST /api/pinjaman/{id}/batal`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"entri": 2, "alasan": "salah catat"}))]
pub struct BatalBody {
    /// The entry to reverse; the latest live repayment when not given.
    pub entri: Option<u64>,
    /// Why.
    pub alasan: String,
    /// The loan's version read.
    pub versi: Option<i64>,
}
