//! Where a loan stands on a date (posisi per tanggal): what was paid against which
//! instalment, what is outstanding and in arrears, and its kolektibilitas.
//!
//! Repayments are applied in date order (then entry order): each to the oldest
//! instalment not yet fully paid, its service (jasa) first, then its principal (pokok);
//! what is left over rolls forward to the next instalments. A reversed repayment never
//! counted, whenever it was reversed: a reversal says the money was not received.

use serde::{Deserialize, Serialize};

use super::error::Result;
use super::jadwal::Angsuran;
use super::kolektibilitas::{AturanKolektibilitas, Kolektibilitas};
use super::pinjaman::{KsmId, Pinjaman, PinjamanId, StatusPinjaman};
use crate::Kode;
use crate::works::{Rupiah, Tanggal};

/// What has been paid on one instalment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Terbayar {
    /// The instalment number, from 1.
    pub ke: u16,
    /// Principal paid on it, in rupiah.
    pub pokok_rp: Rupiah,
    /// Service paid on it, in rupiah.
    pub jasa_rp: Rupiah,
}

/// Applies repayments (in the order given) to a schedule: service first, then
/// principal, oldest instalment first, the rest rolling forward. Money beyond the whole
/// schedule is returned as the second value.
///
/// # Examples
/// ```
/// use kumuh_domain::upk::{MetodeJasa, PersenBulan, Syarat, alokasikan, jadwal};
/// use kumuh_domain::works::{Rupiah, Tanggal};
/// let syarat = Syarat { pokok_rp: Rupiah::from_u32(3_000_000), jangka_bulan: 10,
///     jasa_persen_bulan: PersenBulan::from_basis_points(150).unwrap(), metode_jasa: MetodeJasa::Flat };
/// let j = jadwal(&syarat, Tanggal::parse("2026-01-05").unwrap()).unwrap();
/// // Rp 400.000: instalment 1 whole (45.000 + 300.000), then instalment 2's service
/// // (45.000) and Rp 10.000 of its principal.
/// let (paid, rest) = alokasikan(&j, [Rupiah::from_u32(400_000)]);
/// assert_eq!((paid[1].jasa_rp.get(), paid[1].pokok_rp.get()), (45_000, 10_000));
/// assert!(rest.is_zero());
/// ```
pub fn alokasikan(
    jadwal: &[Angsuran],
    pembayaran: impl IntoIterator<Item = Rupiah>,
) -> (Vec<Terbayar>, Rupiah) {
    let mut paid: Vec<Terbayar> = jadwal
        .iter()
        .map(|a| Terbayar {
            ke: a.ke,
            pokok_rp: Rupiah::ZERO,
            jasa_rp: Rupiah::ZERO,
        })
        .collect();
    let mut rest = Rupiah::ZERO;
    let mut i = 0;
    for amount in pembayaran {
        let mut left = amount.get();
        while left > 0 && i < jadwal.len() {
            let (a, p) = (&jadwal[i], &mut paid[i]);
            let jasa = (a.jasa_rp.get() - p.jasa_rp.get()).min(left);
            p.jasa_rp = Rupiah::new(p.jasa_rp.get() + jasa).unwrap_or(a.jasa_rp);
            left -= jasa;
            let pokok = (a.pokok_rp.get() - p.pokok_rp.get()).min(left);
            p.pokok_rp = Rupiah::new(p.pokok_rp.get() + pokok).unwrap_or(a.pokok_rp);
            left -= pokok;
            if p.jasa_rp == a.jasa_rp && p.pokok_rp == a.pokok_rp {
                i += 1;
            }
        }
        rest = Rupiah::new(rest.get().saturating_add(left)).unwrap_or(Rupiah::MAX);
    }
    (paid, rest)
}

/// A loan's standing on a date. All amounts are whole rupiah; a due date on the
/// standing date counts as due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posisi {
    /// The loan.
    pub pinjaman: PinjamanId,
    /// The borrowing group.
    pub ksm: KsmId,
    /// The group's desa.
    pub kode_desa: Kode,
    /// The standing date.
    pub per: Tanggal,
    /// The status on that date.
    pub status: StatusPinjaman,
    /// The principal lent.
    pub pokok_rp: Rupiah,
    /// The service of the whole schedule.
    pub jasa_rp: Rupiah,
    /// Principal repaid up to the date.
    pub dibayar_pokok_rp: Rupiah,
    /// Service repaid up to the date.
    pub dibayar_jasa_rp: Rupiah,
    /// Outstanding principal (sisa pokok, outstanding): lent and not repaid.
    pub sisa_pokok_rp: Rupiah,
    /// Service of the schedule not yet paid.
    pub sisa_jasa_rp: Rupiah,
    /// Principal of the instalments due by the date.
    pub pokok_jatuh_tempo_rp: Rupiah,
    /// Principal paid on the instalments due by the date (prepayments of later
    /// instalments not counted), so never above `pokok_jatuh_tempo_rp`.
    pub pokok_jatuh_tempo_dibayar_rp: Rupiah,
    /// Principal in arrears (tunggakan pokok): due and not paid.
    pub tunggakan_pokok_rp: Rupiah,
    /// Service in arrears (tunggakan jasa): due and not paid.
    pub tunggakan_jasa_rp: Rupiah,
    /// Instalments due by the date.
    pub angsuran_jatuh_tempo: u16,
    /// Instalments behind: due and not fully paid.
    pub angsuran_tertunggak: u16,
    /// Days from the due date of the oldest unpaid due instalment to the standing date;
    /// zero when nothing is behind.
    pub hari_tunggak: u32,
    /// The quality class.
    pub kolektibilitas: Kolektibilitas,
    /// Whether the loan was written off by the date.
    pub dihapusbukukan: bool,
}

impl Posisi {
    /// Whether the loan counts in the portfolio on its date: disbursed, not fully
    /// repaid and not written off.
    pub fn aktif(&self) -> bool {
        self.status == StatusPinjaman::Berjalan
    }

    /// Principal and service still owed, in rupiah.
    pub fn sisa_rp(&self) -> Rupiah {
        Rupiah::new(
            self.sisa_pokok_rp
                .get()
                .saturating_add(self.sisa_jasa_rp.get()),
        )
        .unwrap_or(Rupiah::MAX)
    }
}

fn sum(values: impl Iterator<Item = Rupiah>) -> Result<Rupiah> {
    Ok(Rupiah::checked_sum(values)?)
}

impl Pinjaman {
    /// The standing on a date with the default kolektibilitas limits; `None` when the
    /// loan was not disbursed by then.
    ///
    /// # Examples
    /// See [`Pinjaman`]; the full worked case is in `docs/upk.md`.
    pub fn posisi(&self, per: Tanggal) -> Result<Option<Posisi>> {
        self.posisi_dengan(per, &AturanKolektibilitas::bawaan())
    }

    /// The standing on a date, classed with the given kolektibilitas limits.
    pub fn posisi_dengan(
        &self,
        per: Tanggal,
        aturan: &AturanKolektibilitas,
    ) -> Result<Option<Posisi>> {
        let Some(cair) = self.tanggal_cair() else {
            return Ok(None);
        };
        if per < cair {
            return Ok(None);
        }
        let jadwal = self.jadwal()?;
        let (paid, _) = alokasikan(
            &jadwal,
            self.pembayaran(Some(per)).map(|(_, p)| p.jumlah_rp),
        );
        let pokok_rp = sum(jadwal.iter().map(|a| a.pokok_rp))?;
        let jasa_rp = sum(jadwal.iter().map(|a| a.jasa_rp))?;
        let dibayar_pokok_rp = sum(paid.iter().map(|p| p.pokok_rp))?;
        let dibayar_jasa_rp = sum(paid.iter().map(|p| p.jasa_rp))?;
        let due: Vec<(&Angsuran, &Terbayar)> = jadwal
            .iter()
            .zip(&paid)
            .filter(|(a, _)| a.jatuh_tempo <= per)
            .collect();
        let pokok_jatuh_tempo_rp = sum(due.iter().map(|(a, _)| a.pokok_rp))?;
        let pokok_jatuh_tempo_dibayar_rp = sum(due.iter().map(|(_, p)| p.pokok_rp))?;
        let behind: Vec<&(&Angsuran, &Terbayar)> = due
            .iter()
            .filter(|(a, p)| p.pokok_rp < a.pokok_rp || p.jasa_rp < a.jasa_rp)
            .collect();
        let tunggakan_pokok_rp = sum(behind
            .iter()
            .map(|(a, p)| a.pokok_rp.saturating_sub(p.pokok_rp)))?;
        let tunggakan_jasa_rp = sum(behind
            .iter()
            .map(|(a, p)| a.jasa_rp.saturating_sub(p.jasa_rp)))?;
        let hari_tunggak = behind.first().map_or(0, |(a, _)| {
            u32::try_from(per.day_number() - a.jatuh_tempo.day_number()).unwrap_or(u32::MAX)
        });
        // A schedule has at most 120 instalments.
        let angsuran_jatuh_tempo = u16::try_from(due.len()).unwrap_or(u16::MAX);
        let angsuran_tertunggak = u16::try_from(behind.len()).unwrap_or(u16::MAX);
        let dihapusbukukan = self.hapus_buku_live(Some(per)).is_some();
        let lunas = dibayar_pokok_rp == pokok_rp && dibayar_jasa_rp == jasa_rp;
        let status = if lunas {
            StatusPinjaman::Lunas
        } else if dihapusbukukan {
            StatusPinjaman::DihapusBuku
        } else {
            StatusPinjaman::Berjalan
        };
        Ok(Some(Posisi {
            pinjaman: self.id.clone(),
            ksm: self.ksm.clone(),
            kode_desa: self.kode_desa.clone(),
            per,
            status,
            pokok_rp,
            jasa_rp,
            dibayar_pokok_rp,
            dibayar_jasa_rp,
            sisa_pokok_rp: pokok_rp.saturating_sub(dibayar_pokok_rp),
            sisa_jasa_rp: jasa_rp.saturating_sub(dibayar_jasa_rp),
            pokok_jatuh_tempo_rp,
            pokok_jatuh_tempo_dibayar_rp,
            tunggakan_pokok_rp,
            tunggakan_jasa_rp,
            angsuran_jatuh_tempo,
            angsuran_tertunggak,
            hari_tunggak,
            kolektibilitas: aturan.kelas(u32::from(angsuran_tertunggak), hari_tunggak),
            dihapusbukukan,
        }))
    }
}
