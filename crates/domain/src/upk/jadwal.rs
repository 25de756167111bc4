//! Loan terms and the instalment schedule (jadwal angsuran).
//!
//! The service charge (jasa) is a rate per month in hundredths of a percent, so that
//! every amount is computed in integers: `1,5 %` is 150 basis points. A schedule splits
//! each monthly instalment into principal (pokok) and service (jasa) in whole rupiah; what
//! integer division leaves over goes to the last instalment, so the schedule sums exactly
//! to the principal and the service.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::{Result, UpkError};
use crate::works::tanggal::days_in_month;
use crate::works::{Rupiah, Tanggal};

/// Longest term accepted, in months (ten years; UPK loans run 3-12 months).
pub const MAX_JANGKA_BULAN: u16 = 120;
/// Highest service rate accepted, in basis points per month (10 % a month).
pub const MAX_JASA_BP: u32 = 1_000;

/// A service rate per month (jasa per bulan), held in basis points (hundredths of a
/// percent) and written in JSON as a percentage with at most two decimals (`1.5`).
///
/// # Examples
/// ```
/// use kumuh_domain::upk::PersenBulan;
/// let jasa = PersenBulan::from_percent(1.5).unwrap();
/// assert_eq!(jasa.basis_points(), 150);
/// assert_eq!(jasa.to_string(), "1,5 % per bulan");
/// assert!(PersenBulan::from_percent(1.555).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct PersenBulan(u32);

impl PersenBulan {
    /// A rate from basis points per month, at most [`MAX_JASA_BP`].
    pub fn from_basis_points(bp: u32) -> Result<PersenBulan> {
        if bp > MAX_JASA_BP {
            return Err(UpkError::field(
                "syarat pinjaman",
                "jasa_persen_bulan",
                format!("{bp} basis points is above the highest rate accepted, 10 % per month"),
            ));
        }
        Ok(PersenBulan(bp))
    }

    /// A rate from a percentage per month with at most two decimals (`1.5` is 1,5 %).
    pub fn from_percent(percent: f64) -> Result<PersenBulan> {
        let scaled = percent * 100.0;
        let rounded = scaled.round();
        if !percent.is_finite() || percent < 0.0 || (scaled - rounded).abs() > 1e-6 {
            return Err(UpkError::field(
                "syarat pinjaman",
                "jasa_persen_bulan",
                format!("{percent} is not a percentage with at most two decimals between 0 and 10"),
            ));
        }
        if rounded > f64::from(MAX_JASA_BP) {
            return PersenBulan::from_basis_points(u32::MAX);
        }
        // In range 0..=1000 after the checks above, so the cast is exact.
        PersenBulan::from_basis_points(rounded as u32)
    }

    /// The rate in basis points per month.
    pub fn basis_points(self) -> u32 {
        self.0
    }
}

impl TryFrom<f64> for PersenBulan {
    type Error = UpkError;
    fn try_from(p: f64) -> Result<PersenBulan> {
        PersenBulan::from_percent(p)
    }
}

impl From<PersenBulan> for f64 {
    fn from(p: PersenBulan) -> f64 {
        f64::from(p.0) / 100.0
    }
}

impl fmt::Display for PersenBulan {
    /// `1,5 % per bulan`, with the Indonesian decimal comma.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        match frac {
            0 => write!(f, "{whole} % per bulan"),
            n if n % 10 == 0 => write!(f, "{whole},{} % per bulan", n / 10),
            n => write!(f, "{whole},{n:02} % per bulan"),
        }
    }
}

/// How the monthly service is reckoned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetodeJasa {
    /// Flat (tetap): every month the rate on the original principal. The usual UPK way.
    #[default]
    Flat,
    /// Declining balance (menurun): every month the rate on the principal still
    /// scheduled at the start of that month.
    Menurun,
}

/// The terms of a loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Syarat {
    /// Principal lent, in whole rupiah; more than zero.
    pub pokok_rp: Rupiah,
    /// Term in months, 1 to [`MAX_JANGKA_BULAN`]; one instalment a month.
    pub jangka_bulan: u16,
    /// Service rate per month.
    pub jasa_persen_bulan: PersenBulan,
    /// Flat on the original principal (default) or on the declining balance.
    #[serde(default)]
    pub metode_jasa: MetodeJasa,
}

impl Syarat {
    /// Checks the terms: a principal above zero and a term of 1-120 months.
    pub fn check(&self, record: &str) -> Result<()> {
        if self.pokok_rp.is_zero() {
            return Err(UpkError::field(
                record,
                "pokok_rp",
                "a loan needs a principal above Rp 0",
            ));
        }
        if !(1..=MAX_JANGKA_BULAN).contains(&self.jangka_bulan) {
            return Err(UpkError::field(
                record,
                "jangka_bulan",
                format!(
                    "a term of {} months is not allowed; use 1-{MAX_JANGKA_BULAN}",
                    self.jangka_bulan
                ),
            ));
        }
        Ok(())
    }
}

/// One instalment of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Angsuran {
    /// Its number, from 1.
    pub ke: u16,
    /// The due date.
    pub jatuh_tempo: Tanggal,
    /// Principal due, in rupiah.
    pub pokok_rp: Rupiah,
    /// Service due, in rupiah.
    pub jasa_rp: Rupiah,
}

impl Angsuran {
    /// Principal and service together.
    pub fn jumlah_rp(&self) -> Rupiah {
        // Both parts are bounded by the principal times 1 + 10 % × 120, far below i64::MAX.
        Rupiah::new(self.pokok_rp.get().saturating_add(self.jasa_rp.get())).unwrap_or(Rupiah::MAX)
    }
}

/// The date `months` months after `start`, on the same day of the month, or on the last
/// day of a shorter month (a loan disbursed on 31 January falls due on 28 or 29 February,
/// then on 31 March).
///
/// # Examples
/// ```
/// use kumuh_domain::upk::add_months;
/// use kumuh_domain::works::Tanggal;
/// let cair = Tanggal::parse("2024-01-31").unwrap();
/// assert_eq!(add_months(cair, 1).unwrap().to_string(), "2024-02-29");
/// assert_eq!(add_months(cair, 2).unwrap().to_string(), "2024-03-31");
/// ```
pub fn add_months(start: Tanggal, months: u32) -> Option<Tanggal> {
    let index = u32::from(start.tahun()) * 12 + u32::from(start.bulan()) - 1 + months;
    let tahun = u16::try_from(index / 12).ok()?;
    let bulan = u8::try_from(index % 12 + 1).ok()?;
    if tahun > 9999 {
        return None;
    }
    let hari = start.tanggal().min(days_in_month(tahun, bulan));
    Tanggal::new(tahun, bulan, hari).ok()
}

/// `value × bp / 10 000`, rounded half up, in i128 so that it cannot overflow.
fn apply_rate(value: i128, bp: u32) -> i128 {
    (value * i128::from(bp) * 2 + 10_000) / 20_000
}

fn rupiah(value: i128, record: &str) -> Result<Rupiah> {
    i64::try_from(value)
        .ok()
        .and_then(|v| Rupiah::new(v).ok())
        .ok_or_else(|| {
            UpkError::field(
                record,
                "pokok_rp",
                "the schedule's amounts do not fit in rupiah",
            )
        })
}

/// The instalment schedule of a loan disbursed on `tanggal_cair`: one instalment a month
/// from the month after, on the same day of the month (clamped to the month's end).
///
/// Principal: `pokok / n` rupiah each, rounded down, and the rest on the last
/// instalment. Service, flat: `pokok × rate × n` in total (rounded half up to the
/// rupiah), `total / n` each, rounded down, and the rest on the last instalment.
/// Service, declining: each month the rate on the principal still scheduled, rounded
/// half up.
///
/// # Examples
/// Rp 3.000.000 over 10 months at 1,5 % flat: Rp 300.000 principal and Rp 45.000
/// service a month, Rp 345.000 in all.
/// ```
/// use kumuh_domain::upk::{MetodeJasa, PersenBulan, Syarat, jadwal};
/// use kumuh_domain::works::{Rupiah, Tanggal};
/// let syarat = Syarat {
///     pokok_rp: Rupiah::from_u32(3_000_000),
///     jangka_bulan: 10,
///     jasa_persen_bulan: PersenBulan::from_basis_points(150).unwrap(),
///     metode_jasa: MetodeJasa::Flat,
/// };
/// let j = jadwal(&syarat, Tanggal::parse("2026-01-05").unwrap()).unwrap();
/// assert_eq!(j.len(), 10);
/// assert_eq!(j[0].jatuh_tempo.to_string(), "2026-02-05");
/// assert_eq!(j[0].jumlah_rp().get(), 345_000);
/// ```
pub fn jadwal(syarat: &Syarat, tanggal_cair: Tanggal) -> Result<Vec<Angsuran>> {
    const RECORD: &str = "jadwal angsuran";
    syarat.check(RECORD)?;
    let n = i128::from(syarat.jangka_bulan);
    let pokok = i128::from(syarat.pokok_rp.get());
    let bp = syarat.jasa_persen_bulan.basis_points();
    let pokok_each = pokok / n;
    let flat_total = apply_rate(pokok * n, bp);
    let flat_each = flat_total / n;
    let mut scheduled = pokok;
    // Principal and service together must fit in rupiah, so that every total a caller
    // takes of the schedule does too.
    let mut total = pokok;
    let mut out = Vec::with_capacity(usize::from(syarat.jangka_bulan));
    for ke in 1..=syarat.jangka_bulan {
        let last = ke == syarat.jangka_bulan;
        let pokok_k = if last {
            pokok - pokok_each * (n - 1)
        } else {
            pokok_each
        };
        let jasa_k = match syarat.metode_jasa {
            MetodeJasa::Flat if last => flat_total - flat_each * (n - 1),
            MetodeJasa::Flat => flat_each,
            MetodeJasa::Menurun => apply_rate(scheduled, bp),
        };
        scheduled -= pokok_k;
        total += jasa_k;
        rupiah(total, RECORD)?;
        let jatuh_tempo = add_months(tanggal_cair, u32::from(ke)).ok_or_else(|| {
            UpkError::field(
                RECORD,
                "tanggal_cair",
                "the due dates run past the year 9999",
            )
        })?;
        out.push(Angsuran {
            ke,
            jatuh_tempo,
            pokok_rp: rupiah(pokok_k, RECORD)?,
            jasa_rp: rupiah(jasa_k, RECORD)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Tanggal {
        Tanggal::parse(s).unwrap()
    }

    fn syarat(pokok: u32, n: u16, bp: u32, metode: MetodeJasa) -> Syarat {
        Syarat {
            pokok_rp: Rupiah::from_u32(pokok),
            jangka_bulan: n,
            jasa_persen_bulan: PersenBulan::from_basis_points(bp).unwrap(),
            metode_jasa: metode,
        }
    }

    #[test]
    fn rates_read_two_decimals_and_print_the_indonesian_way() {
        for (p, bp, text) in [
            (1.5, 150, "1,5 % per bulan"),
            (2.0, 200, "2 % per bulan"),
            (1.25, 125, "1,25 % per bulan"),
            (0.0, 0, "0 % per bulan"),
            (1.15, 115, "1,15 % per bulan"),
        ] {
            let r = PersenBulan::from_percent(p).unwrap();
            assert_eq!(r.basis_points(), bp, "{p}");
            assert_eq!(r.to_string(), text);
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                serde_json::to_string(&p).unwrap()
            );
        }
        for bad in [-1.0, 1.234, 10.01, f64::NAN, f64::INFINITY, 1e300] {
            assert!(PersenBulan::from_percent(bad).is_err(), "{bad}");
        }
        let e = serde_json::from_str::<PersenBulan>("1.234").unwrap_err();
        assert!(e.to_string().contains("jasa_persen_bulan"), "{e}");
    }

    #[test]
    fn due_dates_clamp_to_the_end_of_the_month() {
        let cair = t("2026-01-31");
        let got: Vec<String> = (1..=4)
            .map(|m| add_months(cair, m).unwrap().to_string())
            .collect();
        assert_eq!(
            got,
            ["2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"]
        );
        assert_eq!(
            add_months(t("2026-11-30"), 3).unwrap().to_string(),
            "2027-02-28"
        );
        assert!(add_months(t("9999-12-01"), 1).is_none());
    }

    #[test]
    fn flat_rests_go_to_the_last_instalment() {
        // Rp 1.000.000 over 3 months at 1,5 %: service 45.000 in all, 15.000 each;
        // principal 333.333, 333.333, 333.334.
        let j = jadwal(
            &syarat(1_000_000, 3, 150, MetodeJasa::Flat),
            t("2026-01-05"),
        )
        .unwrap();
        let pokok: Vec<i64> = j.iter().map(|a| a.pokok_rp.get()).collect();
        let jasa: Vec<i64> = j.iter().map(|a| a.jasa_rp.get()).collect();
        assert_eq!(pokok, [333_333, 333_333, 333_334]);
        assert_eq!(jasa, [15_000, 15_000, 15_000]);
        // Rp 100.001 over 7 months at 1,33 %: service 100.001 × 0,0133 × 7 = 9.310,09 → 9.310.
        let j = jadwal(&syarat(100_001, 7, 133, MetodeJasa::Flat), t("2026-01-05")).unwrap();
        let jasa: Vec<i64> = j.iter().map(|a| a.jasa_rp.get()).collect();
        assert_eq!(jasa, [1_330, 1_330, 1_330, 1_330, 1_330, 1_330, 1_330]);
        assert_eq!(j.iter().map(|a| a.pokok_rp.get()).sum::<i64>(), 100_001);
        assert_eq!(j[6].pokok_rp.get(), 100_001 - 6 * 14_285);
    }

    #[test]
    fn declining_service_follows_the_scheduled_principal() {
        // Rp 1.200.000 over 3 months at 2 %: 24.000, 16.000, 8.000.
        let j = jadwal(
            &syarat(1_200_000, 3, 200, MetodeJasa::Menurun),
            t("2026-01-05"),
        )
        .unwrap();
        let jasa: Vec<i64> = j.iter().map(|a| a.jasa_rp.get()).collect();
        assert_eq!(jasa, [24_000, 16_000, 8_000]);
    }

    #[test]
    fn terms_are_checked() {
        let e = jadwal(&syarat(0, 3, 150, MetodeJasa::Flat), t("2026-01-05")).unwrap_err();
        assert!(e.to_string().contains("field `pokok_rp`"), "{e}");
        let e = jadwal(&syarat(10, 0, 150, MetodeJasa::Flat), t("2026-01-05")).unwrap_err();
        assert!(e.to_string().contains("field `jangka_bulan`"), "{e}");
        let e = jadwal(&syarat(10, 121, 150, MetodeJasa::Flat), t("2026-01-05")).unwrap_err();
        assert!(e.to_string().contains("1-120"), "{e}");
        let big = Syarat {
            pokok_rp: Rupiah::MAX,
            ..syarat(1, 120, 1_000, MetodeJasa::Flat)
        };
        assert!(jadwal(&big, t("2026-01-05")).is_err());
    }
}
