//! Loans (pinjaman dana bergulir): application, approval, disbursement, repayments,
//! reversals and write-off.
//!
//! A loan goes to a KSM. It is applied for with its terms ([`Syarat`]), approved
//! (possibly on changed terms) or refused, and disbursed on `tanggal_cair`; from then on
//! its book ([`Ledger`] of [`PinjamanEntry`]) records repayments of any amount on any
//! date, write-off (hapus buku) and reversals. Nothing is ever edited or erased.

use serde::{Deserialize, Serialize};

use super::error::{Result, UpkError};
use super::jadwal::{Angsuran, Syarat, jadwal};
use super::tunggakan::CatatanPenyebab;
use crate::Kode;
use crate::works::{EntryId, Ledger, LedgerEntry, Reversal, Rupiah, Tanggal};

define_id! {
    /// The id of a loan, unique in the atlas (e.g. `35.19.09.2014-2026-001`).
    PinjamanId, "pinjaman id", crate::upk::UpkError
}

define_id! {
    /// The id of a KSM, unique in the atlas.
    KsmId, "ksm id", crate::upk::UpkError
}

/// Where the money of a repayment came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SumberBayar {
    /// The group's own instalment, collected within the group.
    #[default]
    Angsuran,
    /// Drawn from the group's joint-liability savings (tabungan tanggung renteng).
    TabunganTanggungRenteng,
    /// Collected on a collection visit (penagihan).
    Penagihan,
}

/// A repayment: any amount on any date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pembayaran {
    /// The day the money was received.
    pub tanggal: Tanggal,
    /// The amount, in rupiah; more than zero.
    pub jumlah_rp: Rupiah,
    /// Where the money came from.
    #[serde(default)]
    pub sumber: SumberBayar,
    /// Receipt number or notes.
    #[serde(default)]
    pub keterangan: Option<String>,
}

/// A write-off (hapus buku): the UPK stops counting the loan as outstanding. Repayments
/// may still come afterwards and are recorded as usual.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HapusBuku {
    /// The day of the decision.
    pub tanggal: Tanggal,
    /// Why (the borrower died, the group dissolved, …).
    pub alasan: String,
    /// The user who approved it.
    pub disetujui_oleh: String,
}

/// One entry of a loan's book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "jenis", rename_all = "snake_case")]
pub enum PinjamanEntry {
    /// Money received.
    Pembayaran(Pembayaran),
    /// The loan written off.
    HapusBuku(HapusBuku),
    /// An earlier entry undone.
    Reversal(Reversal),
}

impl LedgerEntry for PinjamanEntry {
    fn as_reversal(&self) -> Option<&Reversal> {
        match self {
            PinjamanEntry::Reversal(r) => Some(r),
            _ => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            PinjamanEntry::Pembayaran(_) => "a repayment (pembayaran)",
            PinjamanEntry::HapusBuku(_) => "a write-off (hapus buku)",
            PinjamanEntry::Reversal(_) => "a reversal",
        }
    }
}

/// The decision on an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "keputusan", rename_all = "snake_case")]
pub enum Keputusan {
    /// Approved, on these terms (which may differ from those applied for).
    Disetujui {
        /// The day of approval.
        tanggal: Tanggal,
        /// The user who approved.
        oleh: String,
        /// The approved terms.
        syarat: Syarat,
    },
    /// Refused.
    Ditolak {
        /// The day of refusal.
        tanggal: Tanggal,
        /// The user who refused.
        oleh: String,
        /// Why.
        alasan: String,
    },
}

/// Where a loan is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusPinjaman {
    /// Applied for, not yet decided.
    Diajukan,
    /// Approved, not yet disbursed.
    Disetujui,
    /// Refused.
    Ditolak,
    /// Disbursed and not yet fully repaid.
    Berjalan,
    /// Fully repaid, principal and service.
    Lunas,
    /// Written off and not fully repaid.
    DihapusBuku,
}

impl StatusPinjaman {
    /// The status in Bahasa Indonesia, for messages.
    pub fn label_id(self) -> &'static str {
        match self {
            StatusPinjaman::Diajukan => "diajukan",
            StatusPinjaman::Disetujui => "disetujui",
            StatusPinjaman::Ditolak => "ditolak",
            StatusPinjaman::Berjalan => "berjalan",
            StatusPinjaman::Lunas => "lunas",
            StatusPinjaman::DihapusBuku => "dihapus buku",
        }
    }
}

/// A revolving loan to a KSM.
///
/// # Examples
/// ```
/// use kumuh_domain::Kode;
/// use kumuh_domain::upk::*;
/// use kumuh_domain::works::{Rupiah, Tanggal};
/// let t = |s| Tanggal::parse(s).unwrap();
/// let syarat = Syarat {
///     pokok_rp: Rupiah::from_u32(3_000_000),
///     jangka_bulan: 10,
///     jasa_persen_bulan: PersenBulan::from_percent(1.5).unwrap(),
///     metode_jasa: MetodeJasa::Flat,
/// };
/// let mut p = Pinjaman::ajukan(
///     PinjamanId::new("P-01").unwrap(), KsmId::new("ksm-maju").unwrap(),
///     Kode::parse("35.19.09.2014").unwrap(), t("2026-01-02"), syarat,
/// ).unwrap();
/// p.setujui(t("2026-01-03"), "upk-jiwan", None).unwrap();
/// p.cairkan(t("2026-01-05")).unwrap();
/// p.bayar(Pembayaran { tanggal: t("2026-02-05"), jumlah_rp: Rupiah::from_u32(345_000),
///     sumber: SumberBayar::Angsuran, keterangan: None }).unwrap();
/// let posisi = p.posisi(t("2026-02-10")).unwrap().unwrap();
/// assert_eq!(posisi.sisa_pokok_rp.get(), 2_700_000);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PinjamanData")]
pub struct Pinjaman {
    /// The loan's id.
    pub id: PinjamanId,
    /// The borrowing group.
    pub ksm: KsmId,
    /// The desa of the group (Kemendagri code), so that indicators add up by area.
    pub kode_desa: Kode,
    /// What the money is for, where recorded.
    pub tujuan: Option<String>,
    tanggal_pengajuan: Tanggal,
    syarat_diajukan: Syarat,
    keputusan: Option<Keputusan>,
    tanggal_cair: Option<Tanggal>,
    buku: Ledger<PinjamanEntry>,
    /// Causes of arrears noted for this loan, oldest first.
    pub penyebab_tunggakan: Vec<CatatanPenyebab>,
    /// Illustrative data (contoh), not a real loan.
    pub contoh: bool,
}

#[derive(Deserialize)]
struct PinjamanData {
    id: PinjamanId,
    ksm: KsmId,
    kode_desa: Kode,
    #[serde(default)]
    tujuan: Option<String>,
    tanggal_pengajuan: Tanggal,
    syarat_diajukan: Syarat,
    #[serde(default)]
    keputusan: Option<Keputusan>,
    #[serde(default)]
    tanggal_cair: Option<Tanggal>,
    #[serde(default)]
    buku: Ledger<PinjamanEntry>,
    #[serde(default)]
    penyebab_tunggakan: Vec<CatatanPenyebab>,
    #[serde(default)]
    contoh: bool,
}

impl TryFrom<PinjamanData> for Pinjaman {
    type Error = UpkError;
    fn try_from(d: PinjamanData) -> Result<Pinjaman> {
        let mut p = Pinjaman::ajukan(
            d.id,
            d.ksm,
            d.kode_desa,
            d.tanggal_pengajuan,
            d.syarat_diajukan,
        )?;
        p.tujuan = d.tujuan;
        p.penyebab_tunggakan = d.penyebab_tunggakan;
        p.contoh = d.contoh;
        match d.keputusan {
            Some(Keputusan::Disetujui {
                tanggal,
                oleh,
                syarat,
            }) => {
                p.setujui(tanggal, &oleh, Some(syarat))?;
            }
            Some(Keputusan::Ditolak {
                tanggal,
                oleh,
                alasan,
            }) => p.tolak(tanggal, &oleh, &alasan)?,
            None => {}
        }
        if let Some(t) = d.tanggal_cair {
            p.cairkan(t)?;
        }
        // The stored book is replayed through the same checks as live changes, so one
        // set of rules decides what a book may hold.
        let label = p.label();
        for e in d.buku.entries() {
            let id = p
                .append(e.isi.clone())
                .map_err(|err| UpkError::InvalidStored {
                    record: label.clone(),
                    message: format!("entry {}: {err}", e.id),
                })?;
            if id != e.id {
                return Err(UpkError::InvalidStored {
                    record: label,
                    message: format!(
                        "entry {} is stored where entry {id} belongs; ids run 1, 2, 3, …",
                        e.id
                    ),
                });
            }
        }
        Ok(p)
    }
}

impl Pinjaman {
    /// An application for a loan on the given terms.
    pub fn ajukan(
        id: PinjamanId,
        ksm: KsmId,
        kode_desa: Kode,
        tanggal_pengajuan: Tanggal,
        syarat: Syarat,
    ) -> Result<Pinjaman> {
        syarat.check(&format!("pinjaman `{id}`: syarat_diajukan"))?;
        Ok(Pinjaman {
            id,
            ksm,
            kode_desa,
            tujuan: None,
            tanggal_pengajuan,
            syarat_diajukan: syarat,
            keputusan: None,
            tanggal_cair: None,
            buku: Ledger::new(),
            penyebab_tunggakan: Vec::new(),
            contoh: false,
        })
    }

    /// How this loan is named in messages.
    pub fn label(&self) -> String {
        format!("pinjaman `{}`", self.id)
    }

    /// The day of the application.
    pub fn tanggal_pengajuan(&self) -> Tanggal {
        self.tanggal_pengajuan
    }

    /// The decision, if made.
    pub fn keputusan(&self) -> Option<&Keputusan> {
        self.keputusan.as_ref()
    }

    /// The day of disbursement, if disbursed.
    pub fn tanggal_cair(&self) -> Option<Tanggal> {
        self.tanggal_cair
    }

    /// The book: repayments, write-off and reversals, oldest first.
    pub fn buku(&self) -> &Ledger<PinjamanEntry> {
        &self.buku
    }

    /// The terms in force: the approved ones, or those applied for.
    pub fn syarat(&self) -> Syarat {
        match &self.keputusan {
            Some(Keputusan::Disetujui { syarat, .. }) => *syarat,
            _ => self.syarat_diajukan,
        }
    }

    /// The status over every entry recorded so far.
    pub fn status(&self) -> Result<StatusPinjaman> {
        match (&self.keputusan, self.tanggal_cair) {
            (None, _) => Ok(StatusPinjaman::Diajukan),
            (Some(Keputusan::Ditolak { .. }), _) => Ok(StatusPinjaman::Ditolak),
            (Some(Keputusan::Disetujui { .. }), None) => Ok(StatusPinjaman::Disetujui),
            (Some(Keputusan::Disetujui { .. }), Some(_)) => {
                if self.total_dibayar(None)? >= self.total_terjadwal()? {
                    Ok(StatusPinjaman::Lunas)
                } else if self.hapus_buku_live(None).is_some() {
                    Ok(StatusPinjaman::DihapusBuku)
                } else {
                    Ok(StatusPinjaman::Berjalan)
                }
            }
        }
    }

    fn life_cycle(&self, action: &'static str) -> Result<UpkError> {
        Ok(UpkError::LifeCycle {
            pinjaman: self.label(),
            action,
            status: self.status()?.label_id(),
        })
    }

    /// Approves the application, on changed terms where given.
    pub fn setujui(&mut self, tanggal: Tanggal, oleh: &str, syarat: Option<Syarat>) -> Result<()> {
        if self.keputusan.is_some() {
            return Err(self.life_cycle("approve")?);
        }
        self.check_decision(tanggal, oleh)?;
        let syarat = syarat.unwrap_or(self.syarat_diajukan);
        syarat.check(&format!("{}: syarat", self.label()))?;
        self.keputusan = Some(Keputusan::Disetujui {
            tanggal,
            oleh: oleh.trim().to_owned(),
            syarat,
        });
        Ok(())
    }

    /// Refuses the application, with the reason.
    pub fn tolak(&mut self, tanggal: Tanggal, oleh: &str, alasan: &str) -> Result<()> {
        if self.keputusan.is_some() {
            return Err(self.life_cycle("refuse")?);
        }
        self.check_decision(tanggal, oleh)?;
        if alasan.trim().is_empty() {
            return Err(UpkError::field(
                self.label(),
                "alasan",
                "a refusal needs a reason",
            ));
        }
        self.keputusan = Some(Keputusan::Ditolak {
            tanggal,
            oleh: oleh.trim().to_owned(),
            alasan: alasan.trim().to_owned(),
        });
        Ok(())
    }

    fn check_decision(&self, tanggal: Tanggal, oleh: &str) -> Result<()> {
        if tanggal < self.tanggal_pengajuan {
            return Err(UpkError::field(
                self.label(),
                "keputusan.tanggal",
                format!(
                    "the decision ({tanggal}) comes before the application ({})",
                    self.tanggal_pengajuan
                ),
            ));
        }
        if oleh.trim().is_empty() {
            return Err(UpkError::field(
                self.label(),
                "keputusan.oleh",
                "name the user who decided",
            ));
        }
        Ok(())
    }

    /// Disburses an approved loan; the schedule runs from the month after.
    pub fn cairkan(&mut self, tanggal_cair: Tanggal) -> Result<()> {
        let approved = match &self.keputusan {
            Some(Keputusan::Disetujui { tanggal, .. }) if self.tanggal_cair.is_none() => *tanggal,
            _ => return Err(self.life_cycle("disburse")?),
        };
        if tanggal_cair < approved {
            return Err(UpkError::field(
                self.label(),
                "tanggal_cair",
                format!("disbursement ({tanggal_cair}) comes before approval ({approved})"),
            ));
        }
        // Refuse a disbursement whose schedule cannot be built (due dates past 9999).
        jadwal(&self.syarat(), tanggal_cair)?;
        self.tanggal_cair = Some(tanggal_cair);
        Ok(())
    }

    /// The instalment schedule; empty before disbursement.
    pub fn jadwal(&self) -> Result<Vec<Angsuran>> {
        match self.tanggal_cair {
            None => Ok(Vec::new()),
            Some(t) => jadwal(&self.syarat(), t),
        }
    }

    /// Principal and service of the whole schedule, in rupiah (zero before disbursement).
    pub fn total_terjadwal(&self) -> Result<Rupiah> {
        let j = self.jadwal()?;
        Ok(Rupiah::checked_sum(
            j.iter().flat_map(|a| [a.pokok_rp, a.jasa_rp]),
        )?)
    }

    /// Live repayments received up to a date (all of them for `None`), in rupiah.
    pub fn total_dibayar(&self, per: Option<Tanggal>) -> Result<Rupiah> {
        Ok(Rupiah::checked_sum(
            self.pembayaran(per).map(|(_, p)| p.jumlah_rp),
        )?)
    }

    /// Live repayments up to a date (all for `None`), in the order they are applied:
    /// by date, then by entry id.
    pub fn pembayaran(&self, per: Option<Tanggal>) -> impl Iterator<Item = (EntryId, &Pembayaran)> {
        let mut list: Vec<(EntryId, &Pembayaran)> = self
            .buku
            .live()
            .filter_map(|e| match &e.isi {
                PinjamanEntry::Pembayaran(p) if per.is_none_or(|d| p.tanggal <= d) => {
                    Some((e.id, p))
                }
                _ => None,
            })
            .collect();
        list.sort_by_key(|(id, p)| (p.tanggal, *id));
        list.into_iter()
    }

    /// The live write-off in force on a date (any date for `None`), if any.
    pub fn hapus_buku_live(&self, per: Option<Tanggal>) -> Option<&HapusBuku> {
        self.buku.live().find_map(|e| match &e.isi {
            PinjamanEntry::HapusBuku(h) if per.is_none_or(|d| h.tanggal <= d) => Some(h),
            _ => None,
        })
    }

    /// Records a repayment; refused before disbursement, dated before it, or larger than
    /// what is still owed.
    pub fn bayar(&mut self, pembayaran: Pembayaran) -> Result<EntryId> {
        self.append(PinjamanEntry::Pembayaran(pembayaran))
    }

    /// Writes the loan off, with the reason and the approving user.
    pub fn hapus_buku(&mut self, hapus: HapusBuku) -> Result<EntryId> {
        self.append(PinjamanEntry::HapusBuku(hapus))
    }

    /// Undoes a repayment or a write-off; the entry stays in the book.
    pub fn batalkan(&mut self, reversal: Reversal) -> Result<EntryId> {
        self.append(PinjamanEntry::Reversal(reversal))
    }

    fn append(&mut self, entry: PinjamanEntry) -> Result<EntryId> {
        self.check_entry(&entry)?;
        let label = self.label();
        Ok(self.buku.push(entry, &label)?)
    }

    /// The rules an entry must keep against the book as it stands.
    fn check_entry(&self, entry: &PinjamanEntry) -> Result<()> {
        let label = self.label();
        let Some(cair) = self.tanggal_cair else {
            return Err(self.life_cycle("record a book entry on")?);
        };
        let not_before_cair = |tanggal: Tanggal, field| {
            if tanggal < cair {
                Err(UpkError::field(
                    &label,
                    field,
                    format!("{tanggal} is before the disbursement on {cair}"),
                ))
            } else {
                Ok(())
            }
        };
        match entry {
            PinjamanEntry::Pembayaran(p) => {
                not_before_cair(p.tanggal, "tanggal")?;
                if p.jumlah_rp.is_zero() {
                    return Err(UpkError::field(
                        &label,
                        "jumlah_rp",
                        "a repayment must be more than Rp 0",
                    ));
                }
                let owed = self
                    .total_terjadwal()?
                    .saturating_sub(self.total_dibayar(None)?);
                if p.jumlah_rp > owed {
                    return Err(UpkError::Overpayment {
                        pinjaman: label,
                        amount: p.jumlah_rp,
                        owed,
                    });
                }
            }
            PinjamanEntry::HapusBuku(h) => {
                not_before_cair(h.tanggal, "tanggal")?;
                if h.alasan.trim().is_empty() {
                    return Err(UpkError::field(
                        &label,
                        "alasan",
                        "a write-off needs a reason",
                    ));
                }
                if h.disetujui_oleh.trim().is_empty() {
                    return Err(UpkError::field(
                        &label,
                        "disetujui_oleh",
                        "name the user who approved the write-off",
                    ));
                }
                if self.hapus_buku_live(None).is_some() {
                    return Err(self.life_cycle("write off")?);
                }
                if self.total_dibayar(None)? >= self.total_terjadwal()? {
                    return Err(self.life_cycle("write off")?);
                }
            }
            PinjamanEntry::Reversal(r) => self.buku.check_reversal(r, &label)?,
        }
        Ok(())
    }
}
