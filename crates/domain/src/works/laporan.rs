//! The funding report (laporan pendanaan): who paid for what, where and when.
//!
//! One row per segment, source and fiscal year, with totals per source, per desa and per
//! year. Every total is computed from the same rows in integer rupiah, so each set of
//! totals equals the sum of all live allocations to the rupiah; unknown amounts are
//! counted beside the known totals, never guessed.
//!
//! Cells and totals are summed in 128 bits ([`TotalRp`]): one entry is capped at
//! [`MAX_ENTRY_RP`](super::MAX_ENTRY_RP), but records written before the cap may hold
//! amounts near `i64::MAX`, and a report over them must still answer rather than fail
//! for everyone. In JSON a total is a plain number of whole rupiah.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::dana::SumberDana;
use super::error::Result;
use super::kegiatan::{Kegiatan, KegiatanId};
use super::ledger::EntryId;
use super::money::{Amount, Rupiah, group_thousands};
use super::segmen::SegmenId;
use super::summary::{Issue, IssueKind, split_basis_points_wide};
use crate::Kode;

/// One row: what one source gave to one segment in one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingRow {
    /// Code of the desa.
    pub kode_desa: Kode,
    /// Name of the desa, where known.
    pub desa: Option<String>,
    /// Id of the work.
    pub kegiatan_id: KegiatanId,
    /// Name of the work.
    pub kegiatan: String,
    /// Id of the segment.
    pub segmen_id: SegmenId,
    /// Name of the segment.
    pub segmen: String,
    /// Source of the money.
    pub sumber: SumberDana,
    /// Fiscal year, where known.
    pub tahun: Option<u16>,
    /// Known allocations, in rupiah.
    pub alokasi_rp: TotalRp,
    /// Number of allocations of unknown amount.
    pub alokasi_tidak_diketahui: u64,
    /// Spending from these allocations, in rupiah.
    pub realisasi_rp: TotalRp,
    /// Whether the work is illustrative (contoh), not surveyed.
    pub contoh: bool,
}

/// A sum of whole rupiah in 128 bits, for report cells and totals: sums of `i64`
/// amounts cannot overflow it (that would take 2^64 entries near `i64::MAX`), so a
/// report never fails on large stored values. Serialised as a plain JSON number.
///
/// # Examples
/// ```
/// use kumuh_domain::works::{Rupiah, TotalRp};
/// let mut t = TotalRp::ZERO;
/// t.add(Rupiah::MAX);
/// t.add(Rupiah::MAX);
/// assert_eq!(t.get(), 2 * i128::from(i64::MAX));
/// assert_eq!(TotalRp::from(Rupiah::from_u32(1_500)).to_string(), "Rp 1.500");
/// ```
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct TotalRp(i128);

impl TotalRp {
    /// Nothing.
    pub const ZERO: TotalRp = TotalRp(0);

    /// The sum in rupiah.
    pub fn get(self) -> i128 {
        self.0
    }

    /// Whether the sum is zero.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Adds one amount in rupiah.
    pub fn add(&mut self, r: Rupiah) {
        self.0 = self.0.saturating_add(i128::from(r.get()));
    }

    /// Adds another sum. Saturates rather than wraps, though no sum of stored amounts
    /// comes near the 128-bit limit.
    pub fn plus(self, other: TotalRp) -> TotalRp {
        TotalRp(self.0.saturating_add(other.0))
    }
}

impl From<Rupiah> for TotalRp {
    fn from(r: Rupiah) -> TotalRp {
        TotalRp(i128::from(r.get()))
    }
}

impl fmt::Display for TotalRp {
    /// `Rp 100.000.000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 0 {
            f.write_str("-")?;
        }
        f.write_str("Rp ")?;
        group_thousands(&self.0.unsigned_abs().to_string(), f)
    }
}

/// The sum of allocations in a report: the known part in 128 bits and how many parts
/// are unknown. With unknown parts it is a lower bound, never a total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TotalSum {
    /// Total of the known parts, in rupiah.
    pub diketahui_rp: TotalRp,
    /// How many parts have an unknown amount.
    pub tidak_diketahui: u64,
}

impl TotalSum {
    /// Adds one amount.
    pub fn add(&mut self, amount: Amount) {
        match amount {
            Amount::Known(r) => self.diketahui_rp.add(r),
            Amount::Unknown => self.tidak_diketahui = self.tidak_diketahui.saturating_add(1),
        }
    }

    /// Adds another sum.
    pub fn plus(self, other: TotalSum) -> TotalSum {
        TotalSum {
            diketahui_rp: self.diketahui_rp.plus(other.diketahui_rp),
            tidak_diketahui: self.tidak_diketahui.saturating_add(other.tidak_diketahui),
        }
    }

    /// Whether every part is known, so that the known total is the whole total.
    pub fn is_complete(&self) -> bool {
        self.tidak_diketahui == 0
    }
}

impl fmt::Display for TotalSum {
    /// `Rp 100.000.000`, or `Rp 100.000.000 + 2 nilai tidak diketahui`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diketahui_rp.fmt(f)?;
        if self.tidak_diketahui > 0 {
            write!(f, " + {} nilai tidak diketahui", self.tidak_diketahui)?;
        }
        Ok(())
    }
}

/// Allocated and spent totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Allocated: known total and number of unknown parts.
    pub alokasi: TotalSum,
    /// Spent, in rupiah.
    pub realisasi_rp: TotalRp,
}

impl Totals {
    fn add_row(&mut self, row: &FundingRow) {
        self.alokasi = self.alokasi.plus(TotalSum {
            diketahui_rp: row.alokasi_rp,
            tidak_diketahui: row.alokasi_tidak_diketahui,
        });
        self.realisasi_rp = self.realisasi_rp.plus(row.realisasi_rp);
    }
}

/// Totals of one source, with its share of the known allocated total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceTotal {
    /// The source.
    pub sumber: SumberDana,
    /// Its totals.
    pub total: Totals,
    /// Share of the known allocated total in basis points; the shares of the report add
    /// up to exactly 10 000 (largest-remainder rounding), or are all 0 when nothing is
    /// known.
    pub bagian_bp: u32,
}

/// Totals of one desa.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesaTotal {
    /// Code of the desa.
    pub kode_desa: Kode,
    /// Name of the desa, where known.
    pub desa: Option<String>,
    /// Its totals.
    pub total: Totals,
}

/// Totals of one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearTotal {
    /// The year; `None` collects allocations whose year is unknown.
    pub tahun: Option<u16>,
    /// Its totals.
    pub total: Totals,
}

/// The funding report over a set of works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingReport {
    /// Rows by desa code, work id, segment order, source and year.
    pub rows: Vec<FundingRow>,
    /// Totals per source, in [`SumberDana::ALL`] order.
    pub per_sumber: Vec<SourceTotal>,
    /// Totals per desa, by code.
    pub per_desa: Vec<DesaTotal>,
    /// Totals per fiscal year, ascending, unknown year last.
    pub per_tahun: Vec<YearTotal>,
    /// Grand total.
    pub total: Totals,
    /// What is imperfect.
    pub issues: Vec<Issue>,
}

/// Builds the funding report for a set of works. `nama_desa` gives the name of a desa
/// from its code (from the store's places); a missing name is reported as an issue.
/// Illustrative (`contoh`) works are included and marked: filter them out first for
/// official figures.
///
/// Sums in 128 bits ([`TotalRp`]), so no stored amount makes it fail; the `Result`
/// stays for errors of the works themselves.
///
/// # Examples
/// ```
/// use kumuh_domain::works::{contoh, funding_report};
/// let bibrik = contoh::bibrik_paving();
/// let report = funding_report([&bibrik], |_| Some("Bibrik".to_owned())).unwrap();
/// assert_eq!(report.total.alokasi.diketahui_rp.get(), 100_000_000i128);
/// assert_eq!(report.total.alokasi.tidak_diketahui, 3);
/// ```
pub fn funding_report<'a>(
    kegiatan: impl IntoIterator<Item = &'a Kegiatan>,
    nama_desa: impl Fn(&Kode) -> Option<String>,
) -> Result<FundingReport> {
    let mut works: Vec<&Kegiatan> = kegiatan.into_iter().collect();
    works.sort_by(|a, b| (a.kode_desa(), a.id()).cmp(&(b.kode_desa(), b.id())));

    let mut names: BTreeMap<Kode, Option<String>> = BTreeMap::new();
    let mut rows = Vec::new();
    for k in works {
        let desa = names
            .entry(k.kode_desa().clone())
            .or_insert_with(|| nama_desa(k.kode_desa()))
            .clone();
        for s in k.segmen() {
            let mut spent: BTreeMap<EntryId, TotalRp> = BTreeMap::new();
            for (_, r) in s.live_realisasi() {
                spent.entry(r.alokasi).or_default().add(r.jumlah);
            }
            let mut cells: BTreeMap<(SumberDana, YearKey), (TotalSum, TotalRp)> = BTreeMap::new();
            for (id, a) in s.live_alokasi() {
                let cell = cells
                    .entry((a.sumber, YearKey(a.tahun_anggaran)))
                    .or_default();
                cell.0.add(a.jumlah);
                cell.1 = cell.1.plus(spent.get(&id).copied().unwrap_or_default());
            }
            for ((sumber, tahun), (alokasi, realisasi)) in cells {
                rows.push(FundingRow {
                    kode_desa: k.kode_desa().clone(),
                    desa: desa.clone(),
                    kegiatan_id: k.id().clone(),
                    kegiatan: k.nama.clone(),
                    segmen_id: s.id().clone(),
                    segmen: s.nama.clone(),
                    sumber,
                    tahun: tahun.0,
                    alokasi_rp: alokasi.diketahui_rp,
                    alokasi_tidak_diketahui: alokasi.tidak_diketahui,
                    realisasi_rp: realisasi,
                    contoh: k.contoh,
                });
            }
        }
    }

    let mut total = Totals::default();
    let mut per_sumber: BTreeMap<SumberDana, Totals> = BTreeMap::new();
    let mut per_desa: BTreeMap<Kode, Totals> = BTreeMap::new();
    let mut per_tahun: BTreeMap<YearKey, Totals> = BTreeMap::new();
    for row in &rows {
        total.add_row(row);
        per_sumber.entry(row.sumber).or_default().add_row(row);
        per_desa
            .entry(row.kode_desa.clone())
            .or_default()
            .add_row(row);
        per_tahun
            .entry(YearKey(row.tahun))
            .or_default()
            .add_row(row);
    }

    let known: Vec<i128> = per_sumber
        .values()
        .map(|t| t.alokasi.diketahui_rp.get())
        .collect();
    let per_sumber = per_sumber
        .into_iter()
        .zip(split_basis_points_wide(&known))
        .map(|((sumber, total), bagian_bp)| SourceTotal {
            sumber,
            total,
            bagian_bp,
        })
        .collect();

    let mut issues = Vec::new();
    for (kode, name) in &names {
        if name.is_none() {
            issues.push(Issue {
                kind: IssueKind::MissingDesaName,
                message: format!("no name is known for desa {kode}"),
            });
        }
    }
    if !total.alokasi.is_complete() {
        issues.push(Issue {
            kind: IssueKind::UnknownAmount,
            message: format!(
                "{} allocation(s) have unknown amounts; the totals are lower bounds",
                total.alokasi.tidak_diketahui
            ),
        });
    }

    Ok(FundingReport {
        rows,
        per_sumber,
        per_desa: per_desa
            .into_iter()
            .map(|(kode_desa, total)| DesaTotal {
                desa: names.get(&kode_desa).cloned().flatten(),
                kode_desa,
                total,
            })
            .collect(),
        per_tahun: per_tahun
            .into_iter()
            .map(|(tahun, total)| YearTotal {
                tahun: tahun.0,
                total,
            })
            .collect(),
        total,
        issues,
    })
}

/// A fiscal year that sorts unknown years after known ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct YearKey(Option<u16>);

impl Ord for YearKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.0.is_none(), self.0).cmp(&(other.0.is_none(), other.0))
    }
}

impl PartialOrd for YearKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
