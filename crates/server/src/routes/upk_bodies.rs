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
    /// Why the group's savings cover the instalment; required with `sumber`
    /// `tabungan_tanggung_renteng`.
    pub alasan: Option<String>,
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

/// The decision on an application (`POST /api/pinjaman/{id}/keputusan`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"setuju": true, "tanggal": "2026-01-03"}))]
pub struct KeputusanBody {
    /// `true` approves on the terms applied for, `false` refuses.
    pub setuju: bool,
    /// The day of the decision, not before the application.
    pub tanggal: String,
    /// Why; required for a refusal.
    pub alasan: Option<String>,
    /// The loan's version read.
    pub versi: Option<i64>,
}

/// A disbursement (`POST /api/pinjaman/{id}/cair`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"tanggal_cair": "2026-01-05"}))]
pub struct CairBody {
    /// The day the money went out, not before approval.
    pub tanggal_cair: String,
    /// The loan's version read.
    pub versi: Option<i64>,
}

/// A write-off (`POST /api/pinjaman/{id}/hapus-buku`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"tanggal": "2026-12-31", "alasan": "peminjam meninggal dunia"}))]
pub struct HapusBukuBody {
    /// The day of the decision, not before disbursement.
    pub tanggal: String,
    /// Why.
    pub alasan: String,
    /// The loan's version read.
    pub versi: Option<i64>,
}

/// A cause of arrears (`POST /api/pinjaman/{id}/penyebab`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"tanggal": "2026-07-10", "penyebab": "usaha_gagal",
    "keterangan": "warung tutup sejak Mei"}))]
pub struct PenyebabBody {
    /// The day it was noted.
    pub tanggal: String,
    /// `seleksi_lemah`, `usaha_gagal`, `meninggal`, `pindah`, `karakter` or `lainnya`.
    #[schema(example = "usaha_gagal")]
    pub penyebab: String,
    /// Details; required for `lainnya`.
    pub keterangan: Option<String>,
    /// The loan's version read.
    pub versi: Option<i64>,
}

/// A plan line of the collection plan (`POST /api/upk/penagihan`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"pinjaman": "P-01", "petugas": ["Bu Sri (UPK)", "Pak Kades"],
    "tanggal": "2026-07-14", "bersama_pemerintah_desa": true, "catatan": "RKTL langkah 1"}))]
pub struct RencanaBody {
    /// The loan in arrears (disbursed).
    pub pinjaman: String,
    /// Who visits: one name or more.
    pub petugas: Vec<String>,
    /// The planned day.
    pub tanggal: String,
    /// Whether the village government comes along (default false).
    pub bersama_pemerintah_desa: Option<bool>,
    /// What the visit is for.
    pub catatan: Option<String>,
}

/// What a visit found (`POST /api/upk/penagihan/{id}/hasil`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"tanggal": "2026-07-14", "hasil": "janji_bayar",
    "janji_tanggal": "2026-07-31", "catatan": "bayar setelah panen"}))]
pub struct HasilBody {
    /// The day of the visit.
    pub tanggal: String,
    /// `membayar`, `janji_bayar`, `tidak_ditemui`, `menolak` or `lainnya`.
    #[schema(example = "janji_bayar")]
    pub hasil: String,
    /// Who visited; the plan's visitors when not given.
    pub petugas: Option<Vec<String>>,
    /// Money collected, whole rupiah (required for `membayar`; recorded on the loan).
    #[schema(minimum = 1)]
    pub jumlah_rp: Option<i64>,
    /// The promised day (required for `janji_bayar`).
    pub janji_tanggal: Option<String>,
    /// Notes (required for `lainnya`).
    pub catatan: Option<String>,
}
