//! Printable planning documents (dokumen perencanaan): the profile (profil) of a desa,
//! kecamatan or kabupaten, the RPLP of a desa (Rencana Penataan Lingkungan Permukiman)
//! and the annex of the SK Kumuh (lampiran SK), each as one HTML page fit to print on A4
//! and as an XLSX workbook with named sheets.
//!
//! The types here are plain data: the application crate gathers them from the store
//! (`kumuh_app::dokumen`), this module only writes them out, escaping every text from
//! the store. Money is whole rupiah; an amount nobody recorded is "tidak diketahui",
//! never zero. Hectares are geodesic areas of the delineations.

use geo_types::{Geometry, MultiPolygon};
use kumuh_domain::assessment::SlumClass;
use kumuh_domain::works::{AmountSum, SumberDana, TotalRp, TotalSum};
use kumuh_domain::{Kode, Level};

pub mod grafik;
mod halaman;
pub mod peta;
mod profil;
mod rplp;
mod sk;
pub mod teks;
mod xlsx;

pub use peta::{Bentuk, LokasiPeta};
pub use profil::{money_table, profil_html, profil_xlsx};
pub use rplp::{rplp_html, rplp_xlsx};
pub use sk::{sk_html, sk_xlsx};

/// The sheets of a profile workbook, in order.
pub const SHEETS_PROFIL: [&str; 4] = ["Ringkasan", "Lokasi", "Luas per kelas", "Pendanaan"];
/// The sheets of an RPLP workbook, in order.
pub const SHEETS_RPLP: [&str; 7] = [
    "Ringkasan",
    "Lokasi",
    "Luas per kelas",
    "Pendanaan",
    "Rencana investasi",
    "Siteplan",
    "Target",
];
/// The sheets of an SK annex workbook, in order.
pub const SHEETS_SK: [&str; 2] = ["Lampiran SK", "Perbandingan"];

/// The area a document is about.
#[derive(Debug, Clone)]
pub struct Wilayah {
    /// Its Kemendagri code.
    pub kode: Kode,
    /// Its name.
    pub nama: String,
    /// Desa, kecamatan or kabupaten.
    pub level: Level,
}

impl Wilayah {
    /// `Desa Bibrik`, `Kecamatan Jiwan`; a name that already says its level
    /// (`Kabupaten Madiun`, `Kota Madiun`) stays as it is.
    pub fn judul(&self) -> String {
        let label = level_label(self.level);
        let lower = self.nama.to_lowercase();
        if lower.starts_with(&format!("{} ", label.to_lowercase()))
            || (self.level == Level::Kabupaten && lower.starts_with("kota "))
        {
            self.nama.clone()
        } else {
            format!("{label} {}", self.nama)
        }
    }
}

/// A level for people, capitalised (`Kecamatan`).
pub fn level_label(level: Level) -> &'static str {
    match level {
        Level::Provinsi => "Provinsi",
        Level::Kabupaten => "Kabupaten",
        Level::Kecamatan => "Kecamatan",
        Level::Desa => "Desa",
        _ => "Wilayah",
    }
}

/// Money of one source in one budget year (or in all, for the total).
#[derive(Debug, Clone, Default)]
pub struct DanaBaris {
    /// The source; `None` in the total.
    pub sumber: Option<SumberDana>,
    /// The budget year; `None` where not recorded.
    pub tahun: Option<u16>,
    /// Allocations: the known sum and how many are of unknown amount.
    pub alokasi: TotalSum,
    /// Spending in rupiah.
    pub realisasi_rp: TotalRp,
}

/// A map of an area: its boundaries and slum locations.
#[derive(Debug, Clone, Default)]
pub struct PetaWilayah {
    /// What it shows (`Kecamatan Jiwan`).
    pub judul: String,
    /// The boundaries of the desa in it.
    pub batas: Vec<MultiPolygon<f64>>,
    /// The slum locations, by their class in the document's year.
    pub lokasi: Vec<LokasiPeta>,
    /// Work segments drawn over it (label, geometry).
    pub segmen: Vec<(String, Geometry<f64>)>,
}

/// A slum location with its class year by year.
#[derive(Debug, Clone)]
pub struct LokasiRiwayat {
    /// Its code.
    pub kode: String,
    /// Its name.
    pub nama: String,
    /// The desa it lies in.
    pub desa: String,
    /// Geodesic area of its delineation, hectares.
    pub luas_ha: f64,
    /// Its class at the last record of each year, oldest first.
    pub riwayat: Vec<(u16, SlumClass)>,
}

/// Hectares of slum locations by class as they stood in one year: each location counted
/// with its latest record up to that year.
#[derive(Debug, Clone, PartialEq)]
pub struct LuasTahun {
    /// The year.
    pub tahun: u16,
    /// Hectares per class, in [`SlumClass::ALL`] order (heaviest first).
    pub per_kelas_ha: [f64; 4],
}

/// A work as a printed document lists it.
#[derive(Debug, Clone)]
pub struct KegiatanBaris {
    /// Its id.
    pub id: String,
    /// Its name.
    pub nama: String,
    /// What kind of work (`Jalan paving`).
    pub jenis: String,
    /// The desa it lies in.
    pub desa: String,
    /// Its year.
    pub tahun: u16,
    /// Its stage (`Selesai`).
    pub tahap: String,
    /// Who carries it out.
    pub pelaksana: String,
    /// Its allocations: the known sum and the parts of unknown amount.
    pub alokasi: AmountSum,
    /// Illustrative, not a surveyed record.
    pub contoh: bool,
}

/// A maintenance group's cash, without member names.
#[derive(Debug, Clone)]
pub struct KasKpp {
    /// The work it maintains.
    pub kegiatan: String,
    /// The group's name.
    pub nama: String,
    /// How many member households.
    pub jumlah_kk: usize,
    /// The balance of its cash book, rupiah.
    pub saldo_rp: i64,
}

/// The revolving loans of an area as totals only: no group or borrower names.
#[derive(Debug, Clone, Default)]
pub struct PinjamanRingkas {
    /// The date of the figures (`2026-07-10`).
    pub per: String,
    /// Loans disbursed by then.
    pub pinjaman_dicairkan: u32,
    /// Loans running.
    pub pinjaman_aktif: u32,
    /// Groups with a running loan.
    pub ksm_aktif: u32,
    /// Of which 3 or more instalments behind.
    pub ksm_menunggak: u32,
    /// Outstanding principal, rupiah.
    pub outstanding_rp: i64,
    /// Of which in loans 3 or more instalments behind, rupiah.
    pub outstanding_menunggak_rp: i64,
    /// Loan at risk, percent; `None` without active groups.
    pub lar_persen: Option<f64>,
    /// Portfolio at risk, percent.
    pub par_persen: Option<f64>,
    /// Repayment rate, percent.
    pub rr_persen: Option<f64>,
}

/// The profile of a desa, kecamatan or kabupaten.
#[derive(Debug, Clone)]
pub struct Profil {
    /// The area.
    pub wilayah: Wilayah,
    /// Its map.
    pub peta: PetaWilayah,
    /// Its slum locations with their class history, at most `batas_baris`.
    pub lokasi: Vec<LokasiRiwayat>,
    /// How many slum locations the area has in all.
    pub jumlah_lokasi: usize,
    /// Hectares by class in each year with a record.
    pub luas: Vec<LuasTahun>,
    /// The works listed, at most `batas_baris`.
    pub kegiatan: Vec<KegiatanBaris>,
    /// How many works the area has in all.
    pub jumlah_kegiatan: usize,
    /// Money of every work of the area by source and budget year.
    pub dana: Vec<DanaBaris>,
    /// The total of [`Profil::dana`].
    pub dana_total: DanaBaris,
    /// The maintenance groups' cash.
    pub kas: Vec<KasKpp>,
    /// The revolving loans, where the area has any.
    pub pinjaman: Option<PinjamanRingkas>,
    /// Photos documenting the works (thumbnails), at most [`MAX_FOTO_DOKUMEN`].
    pub foto: Vec<FotoCetak>,
    /// The most rows a list holds; a longer list is cut and says so.
    pub batas_baris: usize,
}

/// The most photos a printed document shows.
pub const MAX_FOTO_DOKUMEN: usize = 24;

/// A photo of a work's segment as a printed document shows it: the thumbnail itself, so
/// that a page saved from the CLI or printed to PDF holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct FotoCetak {
    /// The work's name.
    pub kegiatan: String,
    /// The segment's name.
    pub segmen: String,
    /// The stage it documents (`0 %`, `50 %`, `100 %`, `bebas`).
    pub tahap: String,
    /// When it was taken (EXIF), where known.
    pub waktu: Option<String>,
    /// The thumbnail, a JPEG.
    pub jpeg: Vec<u8>,
}

/// The investment plan of an RPLP: works × (budget year, source), with totals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatriksInvestasi {
    /// The columns: each budget year (unknown last) and source that has an allocation.
    pub kolom: Vec<(Option<u16>, SumberDana)>,
    /// One row per work, at most a document's bound.
    pub baris: Vec<BarisInvestasi>,
    /// How many works have an allocation in all (the totals count every one).
    pub jumlah_kegiatan: usize,
    /// The total of each column.
    pub total_kolom: Vec<TotalSum>,
    /// The total of everything.
    pub total: TotalSum,
}

/// One work of the investment plan.
#[derive(Debug, Clone, PartialEq)]
pub struct BarisInvestasi {
    /// The work's id.
    pub kegiatan: String,
    /// Its name.
    pub nama: String,
    /// Its stage.
    pub tahap: String,
    /// Its allocations in each column of [`MatriksInvestasi::kolom`].
    pub sel: Vec<TotalSum>,
    /// The row's total.
    pub total: TotalSum,
}

/// A siteplan as the RPLP shows it: title, stage and its current features.
#[derive(Debug, Clone)]
pub struct SiteplanRingkas {
    /// Its id.
    pub id: String,
    /// Its title.
    pub judul: String,
    /// Its status, for people.
    pub status: String,
    /// Its current version number.
    pub versi: u32,
    /// Each current feature, labelled and coloured by its category.
    pub fitur: Vec<Bentuk>,
}

/// A slum location's baseline and target.
#[derive(Debug, Clone)]
pub struct TargetLokasi {
    /// Its code.
    pub kode: String,
    /// Its name.
    pub nama: String,
    /// Geodesic area, hectares.
    pub luas_ha: f64,
    /// The year of its latest survey (the baseline).
    pub tahun_dasar: u16,
    /// Its class in that survey.
    pub kelas_dasar: SlumClass,
    /// Its total score in that survey.
    pub nilai_dasar: u32,
    /// The year of its latest record of any kind.
    pub tahun_kini: u16,
    /// Its class in that record.
    pub kelas_kini: SlumClass,
    /// The year by which it is to be tidak kumuh.
    pub tahun_target: u16,
}

/// The RPLP of a desa: its profile, the investment plan, the siteplans, the baseline and
/// the targets.
#[derive(Debug, Clone)]
pub struct Rplp {
    /// The profile of the desa.
    pub profil: Profil,
    /// The investment plan.
    pub matriks: MatriksInvestasi,
    /// The desa's siteplans, at most `batas_baris`.
    pub siteplan: Vec<SiteplanRingkas>,
    /// How many siteplans the desa has in all.
    pub jumlah_siteplan: usize,
    /// The most rows the plan and the siteplan list hold.
    pub batas_baris: usize,
    /// Baseline and target of each surveyed slum location.
    pub target: Vec<TargetLokasi>,
    /// How the target year is set, for the page.
    pub aturan_target: String,
}

/// One row of the SK Kumuh's table.
#[derive(Debug, Clone)]
pub struct BarisSk {
    /// The location's code.
    pub kode: String,
    /// The location's name.
    pub lokasi: String,
    /// `RT 09, 10 / RW 03`, or `-`.
    pub rt_rw: String,
    /// The desa.
    pub desa: String,
    /// The kecamatan.
    pub kecamatan: String,
    /// Geodesic area, hectares.
    pub luas_ha: f64,
    /// Its class in the year.
    pub kelas: SlumClass,
    /// Land legality, where surveyed.
    pub legal: Option<bool>,
    /// Priority code (`A1` … `C3`), where computed.
    pub prioritas: Option<String>,
}

/// Hectares by class in two years.
#[derive(Debug, Clone, PartialEq)]
pub struct Perbandingan {
    /// The earlier year.
    pub tahun_awal: u16,
    /// The later year.
    pub tahun_akhir: u16,
    /// Per class in [`SlumClass::ALL`] order: hectares in the earlier and the later year.
    pub per_kelas_ha: [(f64, f64); 4],
}

/// The annex of an SK Kumuh for a kabupaten or kecamatan and a year.
#[derive(Debug, Clone)]
pub struct LampiranSk {
    /// The area.
    pub wilayah: Wilayah,
    /// The year the table stands in.
    pub tahun: u16,
    /// The decree's numbers already recorded on the locations, if any.
    pub nomor_sk: Vec<String>,
    /// The slum locations, by kecamatan, desa and name; at most `batas_baris`.
    pub baris: Vec<BarisSk>,
    /// How many slum locations in all.
    pub jumlah_baris: usize,
    /// One map per kecamatan.
    pub peta: Vec<PetaWilayah>,
    /// The comparison with a second year, when asked for.
    pub banding: Option<Perbandingan>,
    /// The most rows the table holds.
    pub batas_baris: usize,
}

/// A document that could not be written.
pub use crate::laporan::Error;

#[cfg(test)]
mod tests;
