//! Computations per segment and per work: totals and shares per source, financial and
//! physical progress, cost per unit.
//!
//! Money stays in integers throughout. Shares and progress are exact [`Ratio`]s; basis
//! points (1/100 of a percent) are derived from them by rounding half up, and a list of
//! shares is rounded with the largest-remainder method so that the shown shares add up
//! to exactly 100,00 %. Floats appear only in [`Ratio::percent`], for display.
//!
//! Computations do not stop at imperfect data: unknown amounts, a missing planned volume
//! or spending beyond an allocation give a result plus a list of [`Issue`]s.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::dana::SumberDana;
use super::error::Result;
use super::kegiatan::{Kegiatan, KegiatanId};
use super::money::{Amount, AmountSum, Rupiah};
use super::segmen::{Satuan, Segmen, SegmenId, Terukur, Volume};

/// An exact non-negative fraction, kept in lowest terms.
///
/// # Examples
/// ```
/// use kumuh_domain::works::Ratio;
/// let r = Ratio::new(2, 3).unwrap();
/// assert_eq!(r.basis_points(), 6_667); // 66,67 %, rounded half up
/// assert_eq!(Ratio::new(1, 0), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ratio {
    /// Numerator.
    pub pembilang: i64,
    /// Denominator, always more than zero.
    pub penyebut: i64,
}

impl Ratio {
    /// `pembilang / penyebut`, or `None` when the denominator is not positive or the
    /// numerator is negative.
    pub fn new(pembilang: i64, penyebut: i64) -> Option<Ratio> {
        if penyebut <= 0 || pembilang < 0 {
            return None;
        }
        let g = gcd(pembilang, penyebut).max(1);
        Some(Ratio {
            pembilang: pembilang / g,
            penyebut: penyebut / g,
        })
    }

    /// In basis points (10 000 = 100 %), rounded half up; beyond `i64::MAX` it saturates.
    pub fn basis_points(self) -> i64 {
        let bp = div_round_half_up(
            i128::from(self.pembilang) * 10_000,
            i128::from(self.penyebut),
        );
        i64::try_from(bp).unwrap_or(i64::MAX)
    }

    /// In percent, for display only.
    #[allow(clippy::cast_precision_loss)]
    pub fn percent(self) -> f64 {
        self.pembilang as f64 * 100.0 / self.penyebut as f64
    }

    /// Whether the fraction is more than one (over 100 %).
    pub fn exceeds_one(self) -> bool {
        self.pembilang > self.penyebut
    }
}

impl fmt::Display for Ratio {
    /// `66,67 %`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} %", format_bp(self.basis_points()))
    }
}

fn gcd(mut a: i64, mut b: i64) -> i64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `n / d` for `n >= 0`, `d > 0`, rounded half up.
pub(crate) fn div_round_half_up(n: i128, d: i128) -> i128 {
    if d <= 0 {
        return 0;
    }
    (n / d) + i128::from((n % d) * 2 >= d)
}

/// Basis points as a percentage with an Indonesian decimal comma: `10588` → `105,88`.
pub(crate) fn format_bp(bp: i64) -> String {
    format!("{},{:02}", bp / 100, (bp % 100).abs())
}

/// Splits 100 % (10 000 basis points) over parts in proportion to their amounts, with the
/// largest-remainder method: each part gets its share rounded down, and the basis points
/// left over go to the parts with the largest remainders (earlier parts first on ties),
/// so the result always adds up to exactly 10 000 — or is all zeros when the total is 0.
///
/// # Examples
/// ```
/// use kumuh_domain::works::{Rupiah, split_basis_points};
/// let thirds = [Rupiah::from_u32(1), Rupiah::from_u32(1), Rupiah::from_u32(1)];
/// assert_eq!(split_basis_points(&thirds), vec![3_334, 3_333, 3_333]);
/// ```
pub fn split_basis_points(parts: &[Rupiah]) -> Vec<u32> {
    let wide: Vec<i128> = parts.iter().map(|p| i128::from(p.get())).collect();
    split_basis_points_wide(&wide)
}

/// [`split_basis_points`] over non-negative 128-bit sums (report totals); parts are
/// scaled by 10 000, so each must stay below `i128::MAX / 10_000`, which any sum of
/// fewer than 2^50 amounts of 64 bits does.
pub(crate) fn split_basis_points_wide(parts: &[i128]) -> Vec<u32> {
    let total: i128 = parts.iter().fold(0i128, |a, p| a.saturating_add(*p));
    if total <= 0 {
        return vec![0; parts.len()];
    }
    let mut shares: Vec<(i128, i128)> = parts
        .iter()
        .map(|p| {
            let scaled = p.saturating_mul(10_000);
            (scaled / total, scaled % total)
        })
        .collect();
    let given: i128 = shares.iter().map(|(q, _)| q).sum();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| shares[b].1.cmp(&shares[a].1).then(a.cmp(&b)));
    let left = usize::try_from(10_000 - given).unwrap_or(0);
    for &i in order.iter().take(left) {
        shares[i].0 += 1;
    }
    shares
        .into_iter()
        .map(|(q, _)| u32::try_from(q).unwrap_or(0))
        .collect()
}

/// What is imperfect about the data behind a summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IssueKind {
    /// Some allocations have unknown amounts; totals are lower bounds.
    UnknownAmount,
    /// No allocation has a known amount, so there is no financial progress or cost.
    NoKnownAllocation,
    /// Money was spent from allocations of unknown amount; it is left out of financial
    /// progress.
    SpendingOnUnknownAllocation,
    /// An allocation was overspent (recorded with an override).
    SpendingOverAllocation,
    /// The planned volume is unknown, so there is no physical progress or cost per unit.
    NoPlannedVolume,
    /// Realised volume is beyond the planned volume (recorded with an override).
    ProgressOver100,
    /// The declared volume and the length or area measured on the map differ by more
    /// than 20 %.
    MeasureDiffers,
    /// Segments in different units cannot be added into one volume.
    MixedUnits,
    /// The name of a desa could not be found.
    MissingDesaName,
}

/// One imperfection, with a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// What kind of imperfection.
    pub kind: IssueKind,
    /// What it is about, in a sentence.
    pub message: String,
}

impl Issue {
    fn new(kind: IssueKind, message: impl Into<String>) -> Issue {
        Issue {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Totals of one funding source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLine {
    /// The source.
    pub sumber: SumberDana,
    /// Allocated: the known total and the number of unknown parts.
    pub alokasi: AmountSum,
    /// Spent, in rupiah.
    pub realisasi_rp: Rupiah,
    /// Exact share of the known allocated total; `None` when that total is zero.
    pub bagian: Option<Ratio>,
    /// Share in basis points, rounded so that the lines of one table add up to 10 000.
    pub bagian_bp: u32,
}

/// Fills in the shares of a set of source lines, in [`SumberDana::ALL`] order.
fn finish_lines(map: BTreeMap<SumberDana, (AmountSum, Rupiah)>) -> Vec<SourceLine> {
    let known: Vec<Rupiah> = map.values().map(|(a, _)| a.diketahui_rp).collect();
    let total: i128 = known.iter().map(|r| i128::from(r.get())).sum();
    let bp = split_basis_points(&known);
    map.into_iter()
        .zip(bp)
        .map(
            |((sumber, (alokasi, realisasi_rp)), bagian_bp)| SourceLine {
                sumber,
                alokasi,
                realisasi_rp,
                bagian: i64::try_from(total)
                    .ok()
                    .and_then(|t| Ratio::new(alokasi.diketahui_rp.get(), t)),
                bagian_bp,
            },
        )
        .collect()
}

/// Cost per unit of volume: known allocations divided by planned volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostPerUnit {
    /// Rupiah per unit, rounded half up to a whole rupiah.
    pub rp: Rupiah,
    /// The unit (Rp/m, Rp/m², Rp/unit, Rp/KK).
    pub satuan: Satuan,
    /// Whether every allocation is known; if not, the cost is a lower bound.
    pub lengkap: bool,
}

impl CostPerUnit {
    /// Allocated rupiah over a volume, rounded half up; `None` for a zero volume or
    /// when nothing is known.
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::works::{AmountSum, CostPerUnit, Rupiah, Satuan, Volume};
    /// let apbd = AmountSum { diketahui_rp: Rupiah::from_u32(100_000_000), tidak_diketahui: 0 };
    /// let c = CostPerUnit::of(apbd, Volume::whole(170), Satuan::M).unwrap();
    /// assert_eq!(c.rp.get(), 588_235); // 588 235,29… rounds down
    /// assert_eq!(c.to_string(), "Rp 588.235/m");
    /// ```
    pub fn of(alokasi: AmountSum, volume: Volume, satuan: Satuan) -> Option<CostPerUnit> {
        if volume.is_zero() || alokasi.diketahui_rp.is_zero() {
            return None;
        }
        // Volumes are in thousandths, so scale the money by 1000 to divide exactly.
        let rp = div_round_half_up(
            i128::from(alokasi.diketahui_rp.get()) * 1000,
            i128::from(volume.milli()),
        );
        Some(CostPerUnit {
            rp: i64::try_from(rp)
                .ok()
                .and_then(|v| Rupiah::new(v).ok())
                .unwrap_or(Rupiah::MAX),
            satuan,
            lengkap: alokasi.is_complete(),
        })
    }
}

impl fmt::Display for CostPerUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.rp, self.satuan)?;
        if !self.lengkap {
            f.write_str(" (belum lengkap)")?;
        }
        Ok(())
    }
}

/// Funding and progress of one segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmenSummary {
    /// The segment.
    pub segmen: SegmenId,
    /// Its name.
    pub nama: String,
    /// Unit of the volumes.
    pub satuan: Satuan,
    /// Planned volume, where known.
    pub volume_rencana: Option<Volume>,
    /// Realised volume (sum of live progress).
    pub volume_realisasi: Volume,
    /// Length or area measured on the geometry.
    pub terukur: Option<Terukur>,
    /// Totals and shares per source, in [`SumberDana::ALL`] order.
    pub per_sumber: Vec<SourceLine>,
    /// All allocations.
    pub alokasi: AmountSum,
    /// All spending, in rupiah.
    pub realisasi_rp: Rupiah,
    /// Spending from allocations of known amount, in rupiah: the numerator of financial
    /// progress.
    pub realisasi_diketahui_rp: Rupiah,
    /// Spent from known allocations / known allocations.
    pub progres_keuangan: Option<Ratio>,
    /// Realised volume / planned volume.
    pub progres_fisik: Option<Ratio>,
    /// Known allocations / planned volume.
    pub biaya_per_satuan: Option<CostPerUnit>,
    /// What is imperfect.
    pub issues: Vec<Issue>,
}

/// The main source of a set of lines: the largest known amount; where nothing is known,
/// the source with the most allocations of unknown amount; ties go to the earlier source
/// in [`SumberDana::ALL`] order.
fn main_source(lines: &[SourceLine]) -> Option<SumberDana> {
    lines
        .iter()
        .filter(|l| !l.alokasi.diketahui_rp.is_zero() || l.alokasi.tidak_diketahui > 0)
        .min_by_key(|l| {
            (
                std::cmp::Reverse(l.alokasi.diketahui_rp),
                std::cmp::Reverse(l.alokasi.tidak_diketahui),
                l.sumber,
            )
        })
        .map(|l| l.sumber)
}

impl SegmenSummary {
    /// The source that paid most (see the map's colouring by source).
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::works::{SumberDana, contoh};
    /// let k = contoh::bibrik_paving();
    /// let s = k.summary().unwrap();
    /// assert_eq!(s.segmen[0].sumber_utama(), Some(SumberDana::ApbdKabupaten));
    /// assert_eq!(s.segmen[1].sumber_utama(), Some(SumberDana::DanaDesa)); // amount unknown
    /// ```
    pub fn sumber_utama(&self) -> Option<SumberDana> {
        main_source(&self.per_sumber)
    }
}

impl KegiatanSummary {
    /// The source that paid most over all segments.
    pub fn sumber_utama(&self) -> Option<SumberDana> {
        main_source(&self.per_sumber)
    }
}

impl Segmen {
    /// Totals, shares, progress and cost of this segment.
    ///
    /// Fails only when a sum does not fit in 64 bits.
    pub fn summary(&self) -> Result<SegmenSummary> {
        let label = self.label();
        let mut issues = Vec::new();
        let mut per: BTreeMap<SumberDana, (AmountSum, Rupiah)> = BTreeMap::new();
        let mut alokasi = AmountSum::default();
        let mut realisasi = Rupiah::ZERO;
        let mut realisasi_diketahui = Rupiah::ZERO;
        let mut spent_on_unknown = Rupiah::ZERO;
        for (id, a) in self.live_alokasi() {
            let spent = self.spent_on(id)?;
            let line = per.entry(a.sumber).or_default();
            line.0.add(a.jumlah)?;
            line.1 = line.1.checked_add(spent)?;
            alokasi.add(a.jumlah)?;
            realisasi = realisasi.checked_add(spent)?;
            match a.jumlah {
                Amount::Known(allocated) => {
                    realisasi_diketahui = realisasi_diketahui.checked_add(spent)?;
                    if spent > allocated {
                        issues.push(Issue::new(
                            IssueKind::SpendingOverAllocation,
                            format!(
                                "{label}: allocation {id} ({}) of {allocated} was overspent by {}",
                                a.sumber.label_id(),
                                spent.saturating_sub(allocated)
                            ),
                        ));
                    }
                }
                Amount::Unknown => spent_on_unknown = spent_on_unknown.checked_add(spent)?,
            }
        }
        if !alokasi.is_complete() {
            issues.push(Issue::new(
                IssueKind::UnknownAmount,
                format!(
                    "{label}: {} allocation(s) have unknown amounts; totals are lower bounds",
                    alokasi.tidak_diketahui
                ),
            ));
        }
        if !spent_on_unknown.is_zero() {
            issues.push(Issue::new(
                IssueKind::SpendingOnUnknownAllocation,
                format!(
                    "{label}: {spent_on_unknown} was spent from allocations of unknown amount and is left out of financial progress"
                ),
            ));
        }
        let progres_keuangan = Ratio::new(realisasi_diketahui.get(), alokasi.diketahui_rp.get());
        if progres_keuangan.is_none() && !per.is_empty() {
            issues.push(Issue::new(
                IssueKind::NoKnownAllocation,
                format!("{label}: no allocation has a known amount"),
            ));
        }

        let volume_realisasi = self.realised_volume()?;
        let satuan = self.satuan();
        let terukur = self.measured();
        let (progres_fisik, biaya_per_satuan) = match self.volume_rencana() {
            Some(planned) => {
                let p = Ratio::new(volume_realisasi.milli(), planned.milli());
                if p.is_some_and(Ratio::exceeds_one) {
                    issues.push(Issue::new(
                        IssueKind::ProgressOver100,
                        format!(
                            "{label}: realised {volume_realisasi} {satuan} is beyond the planned {planned} {satuan}"
                        ),
                    ));
                }
                if let Some(m) = terukur
                    && m.satuan() == satuan
                    && differs_by_more_than_a_fifth(m.value(), planned.as_f64())
                {
                    issues.push(Issue::new(
                        IssueKind::MeasureDiffers,
                        format!(
                            "{label}: planned {planned} {satuan}, but the map geometry measures {:.0} {satuan}",
                            m.value()
                        ),
                    ));
                }
                (p, CostPerUnit::of(alokasi, planned, satuan))
            }
            None => {
                issues.push(Issue::new(
                    IssueKind::NoPlannedVolume,
                    format!("{label}: the planned volume is unknown"),
                ));
                (None, None)
            }
        };

        Ok(SegmenSummary {
            segmen: self.id().clone(),
            nama: self.nama.clone(),
            satuan,
            volume_rencana: self.volume_rencana(),
            volume_realisasi,
            terukur,
            per_sumber: finish_lines(per),
            alokasi,
            realisasi_rp: realisasi,
            realisasi_diketahui_rp: realisasi_diketahui,
            progres_keuangan,
            progres_fisik,
            biaya_per_satuan,
            issues,
        })
    }
}

fn differs_by_more_than_a_fifth(measured: f64, declared: f64) -> bool {
    declared > 0.0 && ((measured - declared).abs() / declared) > 0.2
}

/// Funding and progress of one work, with the summaries of its segments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KegiatanSummary {
    /// The work.
    pub kegiatan: KegiatanId,
    /// Its name.
    pub nama: String,
    /// Its segments.
    pub segmen: Vec<SegmenSummary>,
    /// Totals and shares per source over all segments.
    pub per_sumber: Vec<SourceLine>,
    /// All allocations.
    pub alokasi: AmountSum,
    /// All spending, in rupiah.
    pub realisasi_rp: Rupiah,
    /// Spent from known allocations / known allocations.
    pub progres_keuangan: Option<Ratio>,
    /// The common unit of the segments, if they share one.
    pub satuan: Option<Satuan>,
    /// Total planned volume, when every segment has one in the common unit.
    pub volume_rencana: Option<Volume>,
    /// Total realised volume in the common unit.
    pub volume_realisasi: Option<Volume>,
    /// Realised / planned volume over all segments.
    pub progres_fisik: Option<Ratio>,
    /// Known allocations / planned volume over all segments.
    pub biaya_per_satuan: Option<CostPerUnit>,
    /// Imperfections of the work as a whole (each segment lists its own).
    pub issues: Vec<Issue>,
}

impl Kegiatan {
    /// Totals, shares, progress and cost of this work and of each of its segments.
    ///
    /// Volumes are only added up when all segments share a unit and have a planned
    /// volume; otherwise physical progress and cost per unit are left to the segments.
    pub fn summary(&self) -> Result<KegiatanSummary> {
        let label = self.label();
        let segmen: Vec<SegmenSummary> = self
            .segmen()
            .iter()
            .map(Segmen::summary)
            .collect::<Result<_>>()?;
        let mut issues = Vec::new();
        let mut per: BTreeMap<SumberDana, (AmountSum, Rupiah)> = BTreeMap::new();
        let mut alokasi = AmountSum::default();
        let mut realisasi = Rupiah::ZERO;
        let mut realisasi_diketahui = Rupiah::ZERO;
        for s in &segmen {
            for line in &s.per_sumber {
                let e = per.entry(line.sumber).or_default();
                e.0 = e.0.plus(line.alokasi)?;
                e.1 = e.1.checked_add(line.realisasi_rp)?;
            }
            alokasi = alokasi.plus(s.alokasi)?;
            realisasi = realisasi.checked_add(s.realisasi_rp)?;
            realisasi_diketahui = realisasi_diketahui.checked_add(s.realisasi_diketahui_rp)?;
        }

        let satuan = segmen.first().map(|s| s.satuan);
        let same_unit = segmen.iter().all(|s| Some(s.satuan) == satuan);
        let (mut volume_rencana, mut volume_realisasi) = (None, None);
        let (mut progres_fisik, mut biaya_per_satuan) = (None, None);
        if !same_unit {
            issues.push(Issue::new(
                IssueKind::MixedUnits,
                format!("{label}: segments use different units; see each segment's progress"),
            ));
        } else if let Some(satuan) = satuan {
            let mut realised = Volume::ZERO;
            for s in &segmen {
                realised = realised.checked_add(s.volume_realisasi)?;
            }
            volume_realisasi = Some(realised);
            let planned: Option<Vec<Volume>> = segmen.iter().map(|s| s.volume_rencana).collect();
            match planned {
                Some(planned) => {
                    let total = planned
                        .into_iter()
                        .try_fold(Volume::ZERO, Volume::checked_add)?;
                    volume_rencana = Some(total);
                    progres_fisik = Ratio::new(realised.milli(), total.milli());
                    biaya_per_satuan = CostPerUnit::of(alokasi, total, satuan);
                }
                None => issues.push(Issue::new(
                    IssueKind::NoPlannedVolume,
                    format!(
                        "{label}: some segments have no planned volume; see each segment's progress"
                    ),
                )),
            }
        }

        Ok(KegiatanSummary {
            kegiatan: self.id().clone(),
            nama: self.nama.clone(),
            segmen,
            per_sumber: finish_lines(per),
            alokasi,
            realisasi_rp: realisasi,
            progres_keuangan: Ratio::new(realisasi_diketahui.get(), alokasi.diketahui_rp.get()),
            satuan: satuan.filter(|_| same_unit),
            volume_rencana,
            volume_realisasi,
            progres_fisik,
            biaya_per_satuan,
            issues,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rp(v: u32) -> Rupiah {
        Rupiah::from_u32(v)
    }

    fn check_split(parts: &[u32], expected: &[u32]) {
        let parts: Vec<Rupiah> = parts.iter().copied().map(rp).collect();
        assert_eq!(split_basis_points(&parts), expected, "{parts:?}");
    }

    #[test]
    fn shares_add_up_to_exactly_one_hundred_percent() {
        check_split(&[], &[]);
        check_split(&[0, 0], &[0, 0]);
        check_split(&[5], &[10_000]);
        check_split(&[1, 1, 1], &[3_334, 3_333, 3_333]);
        check_split(&[1, 2], &[3_333, 6_667]);
        check_split(&[100_000_000, 0, 50_000_000], &[6_667, 0, 3_333]);
        check_split(
            &[1, 1, 1, 1, 1, 1],
            &[1_667, 1_667, 1_667, 1_667, 1_666, 1_666],
        );
    }

    #[test]
    fn ratios_round_half_up_in_basis_points() {
        let cases = [
            (1, 3, 3_333),
            (2, 3, 6_667),
            (1, 8, 1_250),
            (1, 20_000, 1), // 0.5 bp rounds up
            (1, 20_001, 0),
            (180, 170, 10_588),
            (i64::MAX, 1, i64::MAX),
        ];
        for (n, d, bp) in cases {
            assert_eq!(Ratio::new(n, d).unwrap().basis_points(), bp, "{n}/{d}");
        }
        assert_eq!(Ratio::new(2, 4), Ratio::new(1, 2));
        assert_eq!(Ratio::new(0, 5).unwrap().basis_points(), 0);
        assert!(Ratio::new(-1, 5).is_none());
        assert_eq!(Ratio::new(2, 3).unwrap().to_string(), "66,67 %");
    }

    #[test]
    fn cost_per_unit_rounds_half_up_to_the_rupiah() {
        let sum = |v: u32, unknown: u64| AmountSum {
            diketahui_rp: rp(v),
            tidak_diketahui: unknown,
        };
        let cases = [
            (100_000_000, Volume::whole(170), Some(588_235)),
            (5, Volume::whole(2), Some(3)), // 2,5 → 3
            (7, Volume::whole(2), Some(4)), // 3,5 → 4
            (1, Volume::whole(3), Some(0)),
            (10, Volume::from_milli(2_500).unwrap(), Some(4)),
            (0, Volume::whole(3), None),
            (10, Volume::ZERO, None),
        ];
        for (money, volume, expected) in cases {
            let got = CostPerUnit::of(sum(money, 0), volume, Satuan::M).map(|c| c.rp.get());
            assert_eq!(got, expected, "{money} / {volume}");
        }
        let partial = CostPerUnit::of(sum(100_000_000, 2), Volume::whole(170), Satuan::M).unwrap();
        assert!(!partial.lengkap);
        assert_eq!(partial.to_string(), "Rp 588.235/m (belum lengkap)");
    }
}
