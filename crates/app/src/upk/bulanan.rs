//! The UPK's indicators month by month (LAR, PAR, repayment rate at each month end), for
//! the charts of the viewer: totals only, so everyone may read them.

use kumuh_domain::Kode;
use kumuh_domain::upk::{AturanKolektibilitas, Pinjaman, indikator};
use kumuh_domain::works::Tanggal;
use serde::Serialize;

use super::hari_ini;
use super::laporan::NilaiPersen;
use crate::{AppError, Atlas, Result};

/// The longest series asked for at once, in months: each month reads the standing of
/// every loan of the area again, so the work grows with the months asked for.
pub const MAKS_BULAN: u8 = 36;

/// The indicators of an area at the end of one month.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct KinerjaBulan {
    /// The month, `YYYY-MM`.
    #[schema(example = "2026-07")]
    pub bulan: String,
    /// The date of the standing: the month's last day, or today for the current month.
    #[schema(value_type = String, example = "2026-07-31")]
    pub per: Tanggal,
    /// Loans running on that date.
    pub pinjaman_aktif: u32,
    /// Loan at risk: groups in arrears ÷ active groups.
    pub lar_persen: NilaiPersen,
    /// Portfolio at risk: outstanding in arrears ÷ outstanding.
    pub par_persen: NilaiPersen,
    /// Repayment rate: principal paid on what fell due ÷ principal due.
    pub rr_persen: NilaiPersen,
}

/// The last day of the month of `t`.
fn akhir_bulan(t: Tanggal) -> Result<Tanggal> {
    let (tahun, bulan) = if t.bulan() == 12 {
        (t.tahun().saturating_add(1), 1)
    } else {
        (t.tahun(), t.bulan() + 1)
    };
    // December 9999 has no next month to step back from; its end is the 31st.
    let end = if tahun > 9999 {
        Tanggal::new(9999, 12, 31)
    } else {
        Tanggal::new(tahun, bulan, 1).map(|first| first.plus_days(-1).unwrap_or(first))
    };
    end.map_err(AppError::rule)
}

/// The first day of the month `n` months before the month of `t`, if it exists.
fn bulan_sebelum(t: Tanggal, n: u8) -> Option<Tanggal> {
    let index = i32::from(t.tahun()) * 12 + i32::from(t.bulan()) - 1 - i32::from(n);
    let tahun = u16::try_from(index.div_euclid(12)).ok()?;
    let bulan = u8::try_from(index.rem_euclid(12) + 1).ok()?;
    Tanggal::new(tahun, bulan, 1).ok()
}

/// The month ends of the `bulan` months up to and including the month of `sampai`, oldest
/// first; a month end after `hari_ini` is replaced by `hari_ini`, and months that begin
/// after it are left out (a standing in the future would count instalments not yet paid
/// as behind).
fn tanggal_akhir(sampai: Tanggal, bulan: u8, hari_ini: Tanggal) -> Result<Vec<Tanggal>> {
    let mut out = Vec::with_capacity(usize::from(bulan));
    for back in (0..bulan).rev() {
        let Some(first) = bulan_sebelum(sampai, back) else {
            continue;
        };
        if first > hari_ini {
            continue;
        }
        out.push(akhir_bulan(first)?.min(hari_ini));
    }
    Ok(out)
}

/// The indicators of `pinjaman` at each of the dates given.
fn seri(
    aturan: &AturanKolektibilitas,
    pinjaman: &[Pinjaman],
    tanggal: &[Tanggal],
) -> Result<Vec<KinerjaBulan>> {
    tanggal
        .iter()
        .map(|&per| {
            let i = indikator(pinjaman, per, aturan, None)?;
            Ok(KinerjaBulan {
                bulan: format!("{:04}-{:02}", per.tahun(), per.bulan()),
                per,
                pinjaman_aktif: i.pinjaman_aktif,
                lar_persen: i.lar.into(),
                par_persen: i.par.into(),
                rr_persen: i.tingkat_pengembalian.into(),
            })
        })
        .collect()
}

/// The indicators of the loans of an area (all of them without `wilayah`) at the end of
/// each of the `bulan` months (1 to [`MAKS_BULAN`]) up to the month of `sampai` (this
/// month by default), oldest first. The current month stands on today; months after it
/// are left out.
pub async fn kinerja_bulanan(
    atlas: &Atlas,
    wilayah: Option<&Kode>,
    sampai: Option<Tanggal>,
    bulan: u8,
) -> Result<Vec<KinerjaBulan>> {
    if !(1..=MAKS_BULAN).contains(&bulan) {
        return Err(AppError::invalid(
            "bulan",
            format!("{bulan} months asked for; give 1 to {MAKS_BULAN}"),
        ));
    }
    let today = hari_ini()?;
    let tanggal = tanggal_akhir(sampai.unwrap_or(today), bulan, today)?;
    let pinjaman: Vec<Pinjaman> = atlas
        .store
        .list_pinjaman(wilayah, None)
        .await?
        .into_iter()
        .map(|s| s.pinjaman)
        .collect();
    let aturan = std::sync::Arc::clone(&atlas.kolektibilitas);
    crate::blocking(move || seri(&aturan, &pinjaman, &tanggal)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tgl(s: &str) -> Tanggal {
        Tanggal::parse(s).unwrap()
    }

    fn check(sampai: &str, bulan: u8, today: &str, expected: &[&str]) {
        let got: Vec<String> = tanggal_akhir(tgl(sampai), bulan, tgl(today))
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            got, expected,
            "sampai {sampai}, {bulan} months, today {today}"
        );
    }

    #[test]
    fn month_ends_cross_years_and_leap_februaries() {
        check(
            "2024-03-01",
            3,
            "2026-12-07",
            &["2024-01-31", "2024-02-29", "2024-03-31"],
        );
        check(
            "2026-02-15",
            4,
            "2026-12-07",
            &["2025-11-30", "2025-12-31", "2026-01-31", "2026-02-28"],
        );
        check("2026-06-01", 1, "2026-12-07", &["2026-06-30"]);
    }

    #[test]
    fn the_current_month_stands_on_today_and_later_months_are_left_out() {
        check(
            "2026-12-01",
            3,
            "2026-12-07",
            &["2026-10-31", "2026-11-30", "2026-12-07"],
        );
        check("2027-02-01", 4, "2026-12-07", &["2026-11-30", "2026-12-07"]);
    }

    #[test]
    fn the_last_month_of_the_calendar_ends_on_its_31st() {
        assert_eq!(akhir_bulan(tgl("9999-12-05")).unwrap(), tgl("9999-12-31"));
        assert_eq!(bulan_sebelum(tgl("0001-01-01"), 1), None);
    }
}
