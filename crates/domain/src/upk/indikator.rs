//! Performance indicators of a UPK's loans (indikator kinerja) on a date, each with its
//! band: baik (good), cukup (adequate) or kurang (poor).
//!
//! | indicator | definition | baik | cukup | kurang |
//! |---|---|---|---|---|
//! | LAR | groups with an active loan in class 3-5 / groups with an active loan | < 10 % | 10-20 % | > 20 % |
//! | PAR | outstanding principal of active loans in class 3-5 / outstanding principal of active loans | < 10 % | 10-20 % | > 20 % |
//! | tingkat pengembalian | principal paid on instalments due / principal due, cumulative | > 90 % | 80-90 % | < 80 % |
//! | cost coverage | income / costs of a period | > 125 % | 100-125 % | < 100 % |
//! | ROI | net profit / capital | > 10 % | 0-10 % | < 0 % |
//! | dana idle | cash not lent out / capital | no band | | |
//!
//! A loan is active (aktif) on a date when it was disbursed by then and is neither fully
//! repaid nor written off. Class 3-5 (menunggak) is, with the default limits, 3 or more
//! instalments behind. The ends of the middle band belong to it (exactly 10 % LAR is
//! cukup). Bands are decided on the exact fractions, not on rounded percentages.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::error::Result;
use super::kolektibilitas::AturanKolektibilitas;
use super::pinjaman::Pinjaman;
use crate::Kode;
use crate::works::{Rupiah, Tanggal};

/// The band of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pita {
    /// Good.
    Baik,
    /// Adequate.
    Cukup,
    /// Poor.
    Kurang,
}

/// Which way an indicator is better.
#[derive(Debug, Clone, Copy)]
enum Arah {
    /// Lower is better: baik below `a` %, cukup from `a` to `b` %, kurang above `b` %.
    Rendah(i64, i64),
    /// Higher is better: baik above `b` %, cukup from `a` to `b` %, kurang below `a` %.
    Tinggi(i64, i64),
}

/// One indicator: the exact fraction, the percentage in basis points (10 000 = 100 %,
/// rounded half up) and the band. Both are `None` when the denominator is zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Nilai {
    /// Numerator (rupiah or a count of groups).
    pub pembilang: i64,
    /// Denominator (rupiah or a count of groups).
    pub penyebut: i64,
    /// The value in basis points, rounded half up (away from zero for a loss).
    pub persen_bp: Option<i64>,
    /// The band, where the notes give one.
    pub pita: Option<Pita>,
}

impl Nilai {
    fn new(pembilang: i64, penyebut: i64, arah: Option<Arah>) -> Nilai {
        if penyebut <= 0 {
            return Nilai {
                pembilang,
                penyebut,
                persen_bp: None,
                pita: None,
            };
        }
        let (n, d) = (i128::from(pembilang) * 10_000, i128::from(penyebut));
        let bp = if n >= 0 {
            (2 * n + d) / (2 * d)
        } else {
            -((-2 * n + d) / (2 * d))
        };
        // Compares pembilang / penyebut with `percent` % exactly.
        let cmp = |percent: i64| (i128::from(pembilang) * 100).cmp(&(i128::from(percent) * d));
        let pita = arah.map(|arah| match arah {
            Arah::Rendah(a, b) => {
                if cmp(a).is_lt() {
                    Pita::Baik
                } else if cmp(b).is_le() {
                    Pita::Cukup
                } else {
                    Pita::Kurang
                }
            }
            Arah::Tinggi(a, b) => {
                if cmp(b).is_gt() {
                    Pita::Baik
                } else if cmp(a).is_ge() {
                    Pita::Cukup
                } else {
                    Pita::Kurang
                }
            }
        });
        Nilai {
            pembilang,
            penyebut,
            persen_bp: Some(i64::try_from(bp).unwrap_or(i64::MAX)),
            pita,
        }
    }
}

/// A UPK's accounts for a period, for the indicators that need more than the loans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Keuangan {
    /// Income of the period (service received, fees), in rupiah.
    pub pendapatan_rp: Rupiah,
    /// Operating costs of the period, in rupiah.
    pub biaya_rp: Rupiah,
    /// Net profit of the period (laba bersih) in rupiah; negative for a loss.
    pub laba_bersih_rp: i64,
    /// Capital of the revolving fund (modal) at the end of the period.
    pub modal_rp: Rupiah,
    /// Cash and bank balances not lent out (dana idle) at the end of the period.
    #[serde(default)]
    pub kas_rp: Option<Rupiah>,
}

/// The indicators of a set of loans (a desa, kecamatan or kabupaten) on a date.
///
/// # Examples
/// Ten groups on 2026-07-10: one is 4 instalments behind with Rp 2.400.000
/// outstanding, nine are paid up with Rp 800.000 each. LAR 1/10 = 10 % (cukup); PAR
/// 2.400.000 / 9.600.000 = 25 % (kurang); repayment 11.400.000 / 12.600.000 = 90,48 %
/// (baik). The computation is shown step by step in `docs/upk.md` and checked in
/// `tests/it/upk.rs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indikator {
    /// The date.
    pub per: Tanggal,
    /// Loans disbursed by the date.
    pub pinjaman_dicairkan: u32,
    /// Active loans.
    pub pinjaman_aktif: u32,
    /// Groups with an active loan.
    pub ksm_aktif: u32,
    /// Groups with an active loan in class 3-5.
    pub ksm_menunggak: u32,
    /// Outstanding principal of active loans.
    pub outstanding_rp: Rupiah,
    /// Outstanding principal of active loans in class 3-5.
    pub outstanding_menunggak_rp: Rupiah,
    /// Outstanding principal of loans written off (not in `outstanding_rp`).
    pub dihapusbukukan_rp: Rupiah,
    /// Loan at risk: groups in arrears / active groups.
    pub lar: Nilai,
    /// Portfolio at risk: outstanding in arrears / outstanding.
    pub par: Nilai,
    /// Repayment rate (tingkat pengembalian): principal paid on the instalments due by
    /// the date / principal due by the date, over every disbursed loan.
    pub tingkat_pengembalian: Nilai,
    /// Income / costs, where the accounts are given.
    pub cost_coverage: Option<Nilai>,
    /// Net profit / capital, where the accounts are given.
    pub roi: Option<Nilai>,
    /// Cash not lent out / capital, where given; the notes give no band.
    pub dana_idle: Option<Nilai>,
}

/// Whether the desa code `kode_desa` lies in the area `wilayah` (itself or a parent:
/// kecamatan, kabupaten, provinsi).
pub fn dalam_wilayah(kode_desa: &Kode, wilayah: &Kode) -> bool {
    let (k, w) = (kode_desa.as_str(), wilayah.as_str());
    k == w || (k.starts_with(w) && k.as_bytes().get(w.len()) == Some(&b'.'))
}

/// The indicators of the loans given, on a date. Pass the loans of one area (see
/// [`dalam_wilayah`]).
pub fn indikator<'a>(
    pinjaman: impl IntoIterator<Item = &'a Pinjaman>,
    per: Tanggal,
    aturan: &AturanKolektibilitas,
    keuangan: Option<&Keuangan>,
) -> Result<Indikator> {
    let mut dicairkan = 0u32;
    let mut aktif = 0u32;
    let mut ksm_aktif = BTreeSet::new();
    let mut ksm_menunggak = BTreeSet::new();
    let mut outstanding = Rupiah::ZERO;
    let mut outstanding_menunggak = Rupiah::ZERO;
    let mut dihapus = Rupiah::ZERO;
    let mut due = Rupiah::ZERO;
    let mut paid = Rupiah::ZERO;
    for p in pinjaman {
        let Some(pos) = p.posisi_dengan(per, aturan)? else {
            continue;
        };
        dicairkan = dicairkan.saturating_add(1);
        due = due.checked_add(pos.pokok_jatuh_tempo_rp)?;
        paid = paid.checked_add(pos.pokok_jatuh_tempo_dibayar_rp)?;
        if pos.dihapusbukukan && !pos.aktif() {
            dihapus = dihapus.checked_add(pos.sisa_pokok_rp)?;
        }
        if !pos.aktif() {
            continue;
        }
        aktif = aktif.saturating_add(1);
        outstanding = outstanding.checked_add(pos.sisa_pokok_rp)?;
        ksm_aktif.insert(pos.ksm.clone());
        if pos.kolektibilitas.menunggak() {
            outstanding_menunggak = outstanding_menunggak.checked_add(pos.sisa_pokok_rp)?;
            ksm_menunggak.insert(pos.ksm);
        }
    }
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let band = |a, b| Some(Arah::Rendah(a, b));
    Ok(Indikator {
        per,
        pinjaman_dicairkan: dicairkan,
        pinjaman_aktif: aktif,
        ksm_aktif: u32::try_from(ksm_aktif.len()).unwrap_or(u32::MAX),
        ksm_menunggak: u32::try_from(ksm_menunggak.len()).unwrap_or(u32::MAX),
        outstanding_rp: outstanding,
        outstanding_menunggak_rp: outstanding_menunggak,
        dihapusbukukan_rp: dihapus,
        lar: Nilai::new(
            count(ksm_menunggak.len()),
            count(ksm_aktif.len()),
            band(10, 20),
        ),
        par: Nilai::new(outstanding_menunggak.get(), outstanding.get(), band(10, 20)),
        tingkat_pengembalian: Nilai::new(paid.get(), due.get(), Some(Arah::Tinggi(80, 90))),
        cost_coverage: keuangan.map(|k| {
            Nilai::new(
                k.pendapatan_rp.get(),
                k.biaya_rp.get(),
                Some(Arah::Tinggi(100, 125)),
            )
        }),
        roi: keuangan.map(|k| {
            Nilai::new(
                k.laba_bersih_rp,
                k.modal_rp.get(),
                Some(Arah::Tinggi(0, 10)),
            )
        }),
        dana_idle: keuangan.and_then(|k| {
            k.kas_rp
                .map(|kas| Nilai::new(kas.get(), k.modal_rp.get(), None))
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(p: i64, q: i64, arah: Arah, bp: Option<i64>, pita: Option<Pita>) {
        let n = Nilai::new(p, q, Some(arah));
        assert_eq!((n.persen_bp, n.pita), (bp, pita), "{p}/{q} {arah:?}");
    }

    #[test]
    fn bands_put_their_ends_in_the_middle_band() {
        let lar = Arah::Rendah(10, 20);
        check(0, 10, lar, Some(0), Some(Pita::Baik));
        check(99, 1000, lar, Some(990), Some(Pita::Baik));
        check(1, 10, lar, Some(1_000), Some(Pita::Cukup));
        check(2, 10, lar, Some(2_000), Some(Pita::Cukup));
        // 20,001 % rounds to 20,00 % but is above the limit.
        check(20_001, 100_000, lar, Some(2_000), Some(Pita::Kurang));
        check(1, 0, lar, None, None);
        let rr = Arah::Tinggi(80, 90);
        check(91, 100, rr, Some(9_100), Some(Pita::Baik));
        check(90, 100, rr, Some(9_000), Some(Pita::Cukup));
        check(80, 100, rr, Some(8_000), Some(Pita::Cukup));
        check(79, 100, rr, Some(7_900), Some(Pita::Kurang));
        let roi = Arah::Tinggi(0, 10);
        check(-1, 3, roi, Some(-3_333), Some(Pita::Kurang));
        check(0, 3, roi, Some(0), Some(Pita::Cukup));
        check(11, 100, roi, Some(1_100), Some(Pita::Baik));
    }

    #[test]
    fn areas_contain_their_desa() {
        let k = |s| Kode::parse(s).unwrap();
        assert!(dalam_wilayah(&k("35.19.09.2014"), &k("35.19.09")));
        assert!(dalam_wilayah(&k("35.19.09.2014"), &k("35.19")));
        assert!(dalam_wilayah(&k("35.19.09.2014"), &k("35.19.09.2014")));
        assert!(!dalam_wilayah(&k("35.19.09.2014"), &k("35.19.01")));
        assert!(!dalam_wilayah(&k("35.19.09.2014"), &k("35.20")));
        // A code cut inside a segment is not a region at all.
        assert!(Kode::parse("35.1").is_err());
    }
}
