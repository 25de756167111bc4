//! The request bodies of the works API as the OpenAPI document shows them.
//!
//! The handlers read bodies field by field (`input.rs`) so that a refusal names the
//! field; these types only describe what that reading accepts, so that clients can be
//! generated from the document. They are never deserialized, hence never constructed.
//! Amounts are whole rupiah (the reader also takes text such as `Rp 100.000`; the
//! document shows the integer form), dates are `YYYY-MM-DD`.
#![allow(dead_code)]

use serde_json::Value;
use utoipa::ToSchema;

/// Who carries out a work or a segment.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"jenis": "lkm", "nama": "Makmur Sentosa"}))]
pub struct PelaksanaBody {
    /// `lkm`, `ksm`, `pemerintah_desa`, `dinas`, `kontraktor` or `lainnya`.
    #[schema(example = "lkm")]
    pub jenis: String,
    /// Name of the body.
    pub nama: String,
}

/// Permission to go beyond a limit (spending beyond the allocation, progress beyond the
/// plan), with the reason recorded.
#[derive(Debug, ToSchema)]
pub struct IzinLebihBody {
    /// Why the limit is passed.
    pub alasan: String,
}

/// A new work (`POST /api/kegiatan`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({
    "id": "paving-bibrik-2018", "nama": "Jalan paving RT 09/10", "jenis": "jalan_paving",
    "kode_desa": "35.19.09.2014", "tahun": 2018,
    "pelaksana": {"jenis": "lkm", "nama": "Makmur Sentosa"}
}))]
pub struct CreateKegiatanBody {
    /// Kemendagri code of the desa.
    #[schema(example = "35.19.09.2014")]
    pub kode_desa: String,
    /// The work's id; made from the name when not given.
    pub id: Option<String>,
    /// Name of the work.
    pub nama: String,
    /// Type of work, e.g. `jalan_paving`, `rabat_beton`, `drainase`, `air_minum`.
    #[schema(example = "jalan_paving")]
    pub jenis: String,
    /// Budget year.
    #[schema(example = 2018)]
    pub tahun: u16,
    /// Who carries it out.
    pub pelaksana: PelaksanaBody,
    /// Notes.
    pub keterangan: Option<String>,
    /// Marks an example work.
    pub contoh: Option<bool>,
}

/// Changes to a work (`PATCH /api/kegiatan/{id}`); fields left out are kept.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"status": "pelaksanaan", "keterangan": "Mulai Juli"}))]
pub struct UpdateKegiatanBody {
    /// Name of the work.
    pub nama: Option<String>,
    /// Type of work.
    pub jenis: Option<String>,
    /// Kemendagri code of the desa.
    pub kode_desa: Option<String>,
    /// Budget year.
    pub tahun: Option<u16>,
    /// Stage: `rencana`, `persiapan`, `pelaksanaan`, `selesai` or `pemeliharaan`.
    pub status: Option<String>,
    /// Who carries it out.
    pub pelaksana: Option<PelaksanaBody>,
    /// Notes; `null` clears them.
    pub keterangan: Option<String>,
    /// Marks an example work.
    pub contoh: Option<bool>,
}

/// A new segment of a work (`POST /api/kegiatan/{id}/segmen`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({
    "id": "S1", "nama": "Paving 170 m RT 09/10", "satuan": "m", "volume_rencana": 170,
    "geometry": {"type": "LineString", "coordinates": [[111.4935, -7.5753], [111.49504, -7.5753]]},
    "kriteria": ["2b"], "kondisi_sebelum": "buruk"
}))]
pub struct AddSegmenBody {
    /// The segment's id; made when not given.
    pub id: Option<String>,
    /// Name of the segment.
    pub nama: String,
    /// GeoJSON LineString, Polygon or Point (or their multi forms) in EPSG:4326.
    #[schema(value_type = Object)]
    pub geometry: Value,
    /// Unit of volume: `m` needs a line, `m2` a polygon; `unit` and `kk` take any.
    #[schema(example = "m")]
    pub satuan: String,
    /// Planned volume in the segment's unit.
    pub volume_rencana: Option<f64>,
    /// Condition before: `tidak_ada`, `buruk`, `sedang` or `baik`.
    pub kondisi_sebelum: Option<String>,
    /// Condition after.
    pub kondisi_sesudah: Option<String>,
    /// Slum criteria the segment improves, e.g. `["2b"]`.
    pub kriteria: Option<Vec<String>>,
    /// Code of the slum location it lies in.
    pub kode_lokasi: Option<String>,
    /// Estimated cost in whole rupiah, for budget scenarios (`POST /api/skenario`).
    #[schema(minimum = 0)]
    pub perkiraan_biaya_rp: Option<i64>,
    /// Notes.
    pub keterangan: Option<String>,
    /// Who carries it out, when not the work's body.
    pub pelaksana: Option<PelaksanaBody>,
}

/// Changes to a segment (`PATCH /api/kegiatan/{id}/segmen/{segmen}`); fields left out are
/// kept, `null` clears a field that may be empty.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"status": "selesai", "tanggal_selesai": "2018-08-31"}))]
pub struct UpdateSegmenBody {
    /// Name of the segment.
    pub nama: Option<String>,
    /// Stage: `rencana`, `persiapan`, `pelaksanaan`, `selesai` or `pemeliharaan`.
    pub status: Option<String>,
    /// With `status: selesai`: the day it was finished (default today).
    pub tanggal_selesai: Option<String>,
    /// Condition before.
    pub kondisi_sebelum: Option<String>,
    /// Condition after.
    pub kondisi_sesudah: Option<String>,
    /// Slum criteria the segment improves.
    pub kriteria: Option<Vec<String>>,
    /// Code of the slum location it lies in.
    pub kode_lokasi: Option<String>,
    /// Estimated cost in whole rupiah, for budget scenarios (`POST /api/skenario`).
    #[schema(minimum = 0)]
    pub perkiraan_biaya_rp: Option<i64>,
    /// Notes.
    pub keterangan: Option<String>,
    /// Who carries it out.
    pub pelaksana: Option<PelaksanaBody>,
    /// New geometry (GeoJSON, EPSG:4326).
    #[schema(value_type = Option<Object>)]
    pub geometry: Option<Value>,
    /// Planned volume in the segment's unit.
    pub volume_rencana: Option<f64>,
    /// Unit of volume.
    pub satuan: Option<String>,
}

/// The document an allocation rests on.
#[derive(Debug, ToSchema)]
pub struct DokumenBody {
    /// `dpa`, `apbdes`, `perjanjian`, `berita_acara` or `lainnya`.
    #[schema(example = "dpa")]
    pub jenis: String,
    /// Its number, where known.
    pub nomor: Option<String>,
}

/// An allocation (`POST …/segmen/{segmen}/alokasi`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({
    "sumber": "apbd_kabupaten", "tahun_anggaran": 2018, "jumlah": 100000000,
    "dokumen": {"jenis": "dpa", "nomor": null}, "uraian": "APBD Kabupaten Madiun 2018"
}))]
pub struct AlokasiBody {
    /// Funding source: `apbn`, `apbd_provinsi`, `apbd_kabupaten`, `dana_desa`,
    /// `swadaya`, `csr` or `lainnya`.
    #[schema(example = "swadaya")]
    pub sumber: String,
    /// Budget year.
    pub tahun_anggaran: Option<u16>,
    /// Whole rupiah, or `null` when the amount is not known (which is not zero). The
    /// field must be sent.
    #[schema(required = true, minimum = 0)]
    pub jumlah: Option<i64>,
    /// Form: `tunai` (default), `tenaga`, `material`, `tenaga_dan_material`,
    /// `natura_lainnya`.
    pub bentuk: Option<String>,
    /// The document it rests on.
    pub dokumen: Option<DokumenBody>,
    /// Date of the allocation.
    pub tanggal: Option<String>,
    /// Description.
    pub uraian: Option<String>,
}

/// Spending from an allocation (`POST …/segmen/{segmen}/realisasi`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"alokasi": 1, "jumlah": 100000000, "tanggal": "2018-08-31"}))]
pub struct RealisasiBody {
    /// The allocation's entry id.
    pub alokasi: u64,
    /// Whole rupiah.
    #[schema(minimum = 0)]
    pub jumlah: i64,
    /// Date of spending (`YYYY-MM-DD`).
    #[schema(example = "2018-08-31")]
    pub tanggal: String,
    /// Description.
    pub uraian: Option<String>,
    /// Reference of the receipt.
    pub bukti: Option<String>,
    /// To spend beyond the allocation.
    pub izin_lebih: Option<IzinLebihBody>,
}

/// Physical progress (`POST …/segmen/{segmen}/progres`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"volume": 170, "tanggal": "2018-08-31"}))]
pub struct ProgresBody {
    /// Volume done, in the segment's unit.
    #[schema(minimum = 0)]
    pub volume: f64,
    /// Date (`YYYY-MM-DD`).
    #[schema(example = "2018-08-31")]
    pub tanggal: String,
    /// Description.
    pub uraian: Option<String>,
    /// To go beyond 100 % of the plan.
    pub izin_lebih: Option<IzinLebihBody>,
}

/// A reversal of a ledger entry (`…/segmen/{segmen}/batal`, `…/kpp/batal`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"entri": 1, "alasan": "Dicatat dua kali"}))]
pub struct BatalBody {
    /// The entry id.
    pub entri: u64,
    /// Why.
    pub alasan: String,
    /// Date (`YYYY-MM-DD`).
    pub tanggal: Option<String>,
}

/// The maintenance group of a work (`PUT /api/kegiatan/{id}/kpp`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({
    "nama": "Paseduluran Jalan Poros RT 09/10", "anggota": 30,
    "aturan_iuran": {"per_kk": 5000, "jadwal": {"mingguan": {"hari": "jumat"}}}
}))]
pub struct KppBody {
    /// Name of the group.
    pub nama: String,
    /// Dues: `{per_kk, jadwal}` where `jadwal` is `{"mingguan": {"hari": "jumat"}}` or
    /// `{"bulanan": {"tanggal": 1}}`.
    #[schema(value_type = Object)]
    pub aturan_iuran: Value,
    /// A number of households (at most 100000), or a list of `{nama, rt, bergabung,
    /// keluar}`.
    #[schema(value_type = Object)]
    pub anggota: Option<Value>,
    /// Notes.
    pub keterangan: Option<String>,
    /// Marks an example.
    pub contoh: Option<bool>,
}

/// Dues collected (`POST /api/kegiatan/{id}/kpp/iuran`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"tanggal": "2018-09-07", "jumlah": 150000, "jumlah_kk": 30}))]
pub struct IuranBody {
    /// Date (`YYYY-MM-DD`).
    #[schema(example = "2018-09-07")]
    pub tanggal: String,
    /// Whole rupiah.
    #[schema(minimum = 0)]
    pub jumlah: i64,
    /// Households that paid.
    pub jumlah_kk: Option<u32>,
    /// Notes.
    pub keterangan: Option<String>,
}

/// Maintenance spending (`POST /api/kegiatan/{id}/kpp/belanja`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"tanggal": "2018-10-01", "jumlah": 75000, "uraian": "Semen 1 sak"}))]
pub struct BelanjaBody {
    /// Date (`YYYY-MM-DD`).
    #[schema(example = "2018-10-01")]
    pub tanggal: String,
    /// Whole rupiah.
    #[schema(minimum = 0)]
    pub jumlah: i64,
    /// What was bought.
    pub uraian: String,
}
