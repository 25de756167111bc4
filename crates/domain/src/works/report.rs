//! The funding report (laporan pendanaan): who paid for what, where and when.
//!
//! One row per segment, source and fiscal year, with totals per source, per desa and per
//! year. Every total is computed from the same rows in integer rupiah, so each set of
//! totals equals the sum of all live allocations to the rupiah; unknown amounts are
//! counted beside the known totals, never guessed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::dana::SumberDana;
use super::error::Result;
use super::kegiatan::{Kegiatan, KegiatanId};
use super::ledger::EntryId;
use super::money::{AmountSum, Rupiah};
use super::segmen::SegmenId;
use super::summary::{Issue, IssueKind, split_basis_points};
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
    pub alokasi_rp: Rupiah,
    /// Number of allocations of unknown amount.
    pub alokasi_tidak_diketahui: u64,
    /// Spending from these allocations, in rupiah.
    pub realisasi_rp: Rupiah,
    /// Whether the work is illustrative (contoh), not surveyed.
    pub contoh: bool,
}

/// Allocated and spent totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Allocated: known total and number of unknown parts.
    pub alokasi: AmountSum,
    /// Spent, in rupiah.
    pub realisasi_rp: Rupiah,
}

impl Totals {
    fn add_row(&mut self, row: &FundingRow) -> Result<()> {
        self.alokasi = self.alokasi.plus(AmountSum {
            diketahui_rp: row.alokasi_rp,
            tidak_diketahui: row.alokasi_tidak_diketahui,
        })?;
        self.realisasi_rp = self.realisasi_rp.checked_add(row.realisasi_rp)?;
        Ok(())
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
/// Fails only when a total does not fit in 64 bits.
///
/// # Examples
/// ```
/// use kumuh_domain::works::{contoh, funding_report};
/// let bibrik = contoh::bibrik_paving();
/// let report = funding_report([&bibrik], |_| Some("Bibrik".to_owned())).unwrap();
/// assert_eq!(report.total.alokasi.diketahui_rp.get(), 100_000_000);
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
            let mut spent: BTreeMap<EntryId, Rupiah> = BTreeMap::new();
            for (_, r) in s.live_realisasi() {
                let e = spent.entry(r.alokasi).or_default();
                *e = e.checked_add(r.jumlah)?;
            }
            let mut cells: BTreeMap<(SumberDana, YearKey), (AmountSum, Rupiah)> = BTreeMap::new();
            for (id, a) in s.live_alokasi() {
                let cell = cells
                    .entry((a.sumber, YearKey(a.tahun_anggaran)))
                    .or_default();
                cell.0.add(a.jumlah)?;
                cell.1 = cell
                    .1
                    .checked_add(spent.get(&id).copied().unwrap_or_default())?;
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
        total.add_row(row)?;
        per_sumber.entry(row.sumber).or_default().add_row(row)?;
        per_desa
            .entry(row.kode_desa.clone())
            .or_default()
            .add_row(row)?;
        per_tahun
            .entry(YearKey(row.tahun))
            .or_default()
            .add_row(row)?;
    }

    let known: Vec<Rupiah> = per_sumber
        .values()
        .map(|t| t.alokasi.diketahui_rp)
        .collect();
    let per_sumber = per_sumber
        .into_iter()
        .zip(split_basis_points(&known))
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
