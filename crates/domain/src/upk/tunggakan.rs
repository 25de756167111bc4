//! Arrears (tunggakan): why a loan fell behind, the monthly arrears list (Daftar
//! Tunggakan), and collection plans and visits.
//!
//! Each month the UPK lists the groups behind with their causes, holds a residents'
//! meeting that agrees a follow-up plan (RKTL) for groups in arrears, and plans
//! collection visits, often with the village government; each visit has a result.

use serde::{Deserialize, Serialize};

use super::error::{Result, UpkError};
use super::kolektibilitas::{AturanKolektibilitas, Kolektibilitas};
use super::pinjaman::{KsmId, Pinjaman, PinjamanId};
use super::posisi::Posisi;
use crate::Kode;
use crate::works::{Rupiah, Tanggal};

/// Why a loan fell behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Penyebab {
    /// The group or borrower was not checked well enough before the loan (seleksi lemah).
    SeleksiLemah,
    /// The business failed (usaha gagal).
    UsahaGagal,
    /// The borrower died (meninggal dunia).
    Meninggal,
    /// The borrower moved away (pindah).
    Pindah,
    /// Unwillingness to pay (karakter).
    Karakter,
    /// Anything else; say what in the note.
    Lainnya,
}

impl Penyebab {
    /// The cause in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Penyebab::SeleksiLemah => "seleksi kelayakan lemah",
            Penyebab::UsahaGagal => "usaha gagal",
            Penyebab::Meninggal => "peminjam meninggal dunia",
            Penyebab::Pindah => "peminjam pindah",
            Penyebab::Karakter => "karakter peminjam",
            Penyebab::Lainnya => "lainnya",
        }
    }
}

/// A cause of arrears noted for a loan on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatatanPenyebab {
    /// When it was noted.
    pub tanggal: Tanggal,
    /// The cause.
    pub penyebab: Penyebab,
    /// Details; required for [`Penyebab::Lainnya`].
    #[serde(default)]
    pub keterangan: Option<String>,
}

impl CatatanPenyebab {
    /// Checks that a cause `lainnya` says what it is.
    pub fn check(&self, record: &str) -> Result<()> {
        if self.penyebab == Penyebab::Lainnya
            && self
                .keterangan
                .as_deref()
                .is_none_or(|k| k.trim().is_empty())
        {
            return Err(UpkError::field(
                record,
                "keterangan",
                "say what the other cause is",
            ));
        }
        Ok(())
    }
}

impl Pinjaman {
    /// Notes a cause of arrears.
    pub fn catat_penyebab(&mut self, catatan: CatatanPenyebab) -> Result<()> {
        catatan.check(&self.label())?;
        self.penyebab_tunggakan.push(catatan);
        Ok(())
    }

    /// The causes noted on or before a date, each once, in the order first noted.
    pub fn penyebab_per(&self, per: Tanggal) -> Vec<Penyebab> {
        let mut out: Vec<Penyebab> = Vec::new();
        for c in self.penyebab_tunggakan.iter().filter(|c| c.tanggal <= per) {
            if !out.contains(&c.penyebab) {
                out.push(c.penyebab);
            }
        }
        out
    }
}

/// One row of the monthly arrears list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarisTunggakan {
    /// The loan.
    pub pinjaman: PinjamanId,
    /// The group.
    pub ksm: KsmId,
    /// The group's desa.
    pub kode_desa: Kode,
    /// Outstanding principal.
    pub sisa_pokok_rp: Rupiah,
    /// Principal in arrears.
    pub tunggakan_pokok_rp: Rupiah,
    /// Service in arrears.
    pub tunggakan_jasa_rp: Rupiah,
    /// Instalments behind.
    pub angsuran_tertunggak: u16,
    /// Days overdue of the oldest unpaid instalment.
    pub hari_tunggak: u32,
    /// The quality class.
    pub kolektibilitas: Kolektibilitas,
    /// Class 3-5: in arrears in the field's sense, for a follow-up plan and visits.
    pub menunggak: bool,
    /// Causes noted by the list's date.
    pub penyebab: Vec<Penyebab>,
}

/// The arrears list (Daftar Tunggakan) on a date: every disbursed loan, not written off,
/// with at least one instalment behind; the worst first (class, then days overdue, then
/// loan id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaftarTunggakan {
    /// The list's date, usually the last day of the month.
    pub per: Tanggal,
    /// The rows.
    pub baris: Vec<BarisTunggakan>,
    /// Total principal in arrears.
    pub total_tunggakan_pokok_rp: Rupiah,
    /// Total service in arrears.
    pub total_tunggakan_jasa_rp: Rupiah,
}

/// Builds the arrears list for a set of loans on a date.
pub fn daftar_tunggakan<'a>(
    pinjaman: impl IntoIterator<Item = &'a Pinjaman>,
    per: Tanggal,
    aturan: &AturanKolektibilitas,
) -> Result<DaftarTunggakan> {
    let mut baris = Vec::new();
    for p in pinjaman {
        let Some(pos): Option<Posisi> = p.posisi_dengan(per, aturan)? else {
            continue;
        };
        if !pos.aktif() || pos.angsuran_tertunggak == 0 {
            continue;
        }
        baris.push(BarisTunggakan {
            pinjaman: pos.pinjaman,
            ksm: pos.ksm,
            kode_desa: pos.kode_desa,
            sisa_pokok_rp: pos.sisa_pokok_rp,
            tunggakan_pokok_rp: pos.tunggakan_pokok_rp,
            tunggakan_jasa_rp: pos.tunggakan_jasa_rp,
            angsuran_tertunggak: pos.angsuran_tertunggak,
            hari_tunggak: pos.hari_tunggak,
            kolektibilitas: pos.kolektibilitas,
            menunggak: pos.kolektibilitas.menunggak(),
            penyebab: p.penyebab_per(per),
        });
    }
    baris.sort_by(|a, b| {
        b.kolektibilitas
            .cmp(&a.kolektibilitas)
            .then(b.hari_tunggak.cmp(&a.hari_tunggak))
            .then(a.pinjaman.cmp(&b.pinjaman))
    });
    Ok(DaftarTunggakan {
        per,
        total_tunggakan_pokok_rp: Rupiah::checked_sum(baris.iter().map(|b| b.tunggakan_pokok_rp))?,
        total_tunggakan_jasa_rp: Rupiah::checked_sum(baris.iter().map(|b| b.tunggakan_jasa_rp))?,
        baris,
    })
}

/// A planned collection visit: who visits which group, when, and with whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RencanaPenagihan {
    /// The loan in arrears.
    pub pinjaman: PinjamanId,
    /// The group visited.
    pub ksm: KsmId,
    /// The planned day.
    pub tanggal: Tanggal,
    /// Who visits (UPK staff, LKM members, a special collection team).
    pub petugas: Vec<String>,
    /// Whether the village government comes along.
    #[serde(default)]
    pub bersama_pemerintah_desa: bool,
    /// A note: what the visit is for, e.g. the step of the follow-up plan (RKTL) it
    /// carries out. Records written before it had this name call it `tujuan`.
    #[serde(default, alias = "tujuan")]
    pub catatan: Option<String>,
}

impl RencanaPenagihan {
    /// Checks that someone is named to visit.
    pub fn check(&self) -> Result<()> {
        if self.petugas.iter().all(|p| p.trim().is_empty()) {
            return Err(UpkError::field(
                format!("rencana penagihan {} {}", self.pinjaman, self.tanggal),
                "petugas",
                "name who visits",
            ));
        }
        Ok(())
    }
}

/// What came of a collection visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hasil {
    /// Money was collected (record it on the loan as a repayment).
    Membayar,
    /// The group promised to pay by a date.
    JanjiBayar,
    /// Nobody responsible was found.
    TidakDitemui,
    /// The group refused to pay.
    Menolak,
    /// Anything else; say what in the note.
    Lainnya,
}

/// The result of a visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HasilKunjungan {
    /// The loan.
    pub pinjaman: PinjamanId,
    /// The planned visit this is the result of (the plan's id among the collection
    /// records), where the visit was planned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rencana: Option<i64>,
    /// The day of the visit.
    pub tanggal: Tanggal,
    /// Who visited.
    pub petugas: Vec<String>,
    /// The outcome.
    pub hasil: Hasil,
    /// Money collected on the visit, if any.
    #[serde(default)]
    pub jumlah_rp: Option<Rupiah>,
    /// The promised day, for [`Hasil::JanjiBayar`].
    #[serde(default)]
    pub janji_tanggal: Option<Tanggal>,
    /// Notes.
    #[serde(default)]
    pub catatan: Option<String>,
}

impl HasilKunjungan {
    /// Checks that the fields fit the outcome: money for `membayar`, a later day for
    /// `janji_bayar`, a note for `lainnya`.
    pub fn check(&self) -> Result<()> {
        let record = format!("hasil kunjungan {} {}", self.pinjaman, self.tanggal);
        match self.hasil {
            Hasil::Membayar if self.jumlah_rp.is_none_or(Rupiah::is_zero) => Err(UpkError::field(
                record,
                "jumlah_rp",
                "say how much was collected",
            )),
            Hasil::JanjiBayar if self.janji_tanggal.is_none_or(|j| j < self.tanggal) => {
                Err(UpkError::field(
                    record,
                    "janji_tanggal",
                    "a promise needs a day on or after the visit",
                ))
            }
            Hasil::Lainnya if self.catatan.as_deref().is_none_or(|c| c.trim().is_empty()) => {
                Err(UpkError::field(record, "catatan", "say what happened"))
            }
            _ => Ok(()),
        }
    }
}
