//! Group savings (tabungan tanggung renteng): the joint-liability savings of a KSM, which
//! the UPK may draw on to cover an instalment when the group falls behind.
//!
//! The savings book is append-only: deposits (setoran), withdrawals (penarikan) and uses
//! to cover an instalment (tutup angsuran), each with its reason where money goes out;
//! a mistake is undone by a reversal entry. The balance never goes below zero: an entry
//! that would take it there is refused with [`UpkError::InsufficientBalance`].

use serde::{Deserialize, Serialize};

use super::error::{Result, UpkError};
use super::pinjaman::{KsmId, PinjamanId};
use crate::works::{EntryId, Ledger, LedgerEntry, Reversal, Rupiah, Tanggal};

/// Money paid into the group savings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setoran {
    /// The day.
    pub tanggal: Tanggal,
    /// The amount, in rupiah; more than zero.
    pub jumlah_rp: Rupiah,
    /// The member who paid, where recorded.
    #[serde(default)]
    pub anggota: Option<String>,
    /// Notes.
    #[serde(default)]
    pub keterangan: Option<String>,
}

/// Money taken out of the group savings, for a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Penarikan {
    /// The day.
    pub tanggal: Tanggal,
    /// The amount, in rupiah; more than zero.
    pub jumlah_rp: Rupiah,
    /// Why (a member leaves, the group agreed to share out).
    pub alasan: String,
}

/// Savings used to cover a loan instalment; the same money is recorded on the loan as a
/// repayment from [`super::SumberBayar::TabunganTanggungRenteng`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TutupAngsuran {
    /// The day.
    pub tanggal: Tanggal,
    /// The amount, in rupiah; more than zero.
    pub jumlah_rp: Rupiah,
    /// The loan whose instalment it covers.
    pub pinjaman: PinjamanId,
    /// Why (which member did not pay, what the meeting decided).
    pub alasan: String,
}

/// One entry of a savings book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "jenis", rename_all = "snake_case")]
pub enum TabunganEntry {
    /// A deposit.
    Setoran(Setoran),
    /// A withdrawal.
    Penarikan(Penarikan),
    /// A use to cover an instalment.
    TutupAngsuran(TutupAngsuran),
    /// An earlier entry undone.
    Reversal(Reversal),
}

impl TabunganEntry {
    /// Money in (positive) or out (negative) of this entry alone, in rupiah.
    fn arus(&self) -> i64 {
        match self {
            TabunganEntry::Setoran(s) => s.jumlah_rp.get(),
            TabunganEntry::Penarikan(p) => -p.jumlah_rp.get(),
            TabunganEntry::TutupAngsuran(t) => -t.jumlah_rp.get(),
            TabunganEntry::Reversal(_) => 0,
        }
    }
}

impl LedgerEntry for TabunganEntry {
    fn as_reversal(&self) -> Option<&Reversal> {
        match self {
            TabunganEntry::Reversal(r) => Some(r),
            _ => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            TabunganEntry::Setoran(_) => "a deposit (setoran)",
            TabunganEntry::Penarikan(_) => "a withdrawal (penarikan)",
            TabunganEntry::TutupAngsuran(_) => "a use to cover an instalment (tutup angsuran)",
            TabunganEntry::Reversal(_) => "a reversal",
        }
    }
}

/// The group savings of one KSM.
///
/// # Examples
/// ```
/// use kumuh_domain::upk::*;
/// use kumuh_domain::works::{Rupiah, Tanggal};
/// let t = |s| Tanggal::parse(s).unwrap();
/// let mut tab = Tabungan::new(KsmId::new("ksm-maju").unwrap());
/// tab.setor(Setoran { tanggal: t("2026-01-10"), jumlah_rp: Rupiah::from_u32(50_000),
///     anggota: None, keterangan: None }).unwrap();
/// let e = tab.tarik(Penarikan { tanggal: t("2026-01-11"), jumlah_rp: Rupiah::from_u32(60_000),
///     alasan: "anggota keluar".into() }).unwrap_err();
/// assert!(e.to_string().contains("exceeds the balance of Rp 50.000"), "{e}");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TabunganData")]
pub struct Tabungan {
    /// The group.
    pub ksm: KsmId,
    buku: Ledger<TabunganEntry>,
}

#[derive(Deserialize)]
struct TabunganData {
    ksm: KsmId,
    #[serde(default)]
    buku: Ledger<TabunganEntry>,
}

impl TryFrom<TabunganData> for Tabungan {
    type Error = UpkError;
    fn try_from(d: TabunganData) -> Result<Tabungan> {
        let mut t = Tabungan::new(d.ksm);
        let label = t.label();
        // Replayed through the live checks, so a stored book can never hold a negative
        // balance either.
        for e in d.buku.entries() {
            let id = t
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
        Ok(t)
    }
}

impl Tabungan {
    /// An empty savings book.
    pub fn new(ksm: KsmId) -> Tabungan {
        Tabungan {
            ksm,
            buku: Ledger::new(),
        }
    }

    /// How this book is named in messages.
    pub fn label(&self) -> String {
        format!("tabungan ksm `{}`", self.ksm)
    }

    /// Every entry, oldest first.
    pub fn buku(&self) -> &Ledger<TabunganEntry> {
        &self.buku
    }

    /// Records a deposit.
    pub fn setor(&mut self, setoran: Setoran) -> Result<EntryId> {
        self.append(TabunganEntry::Setoran(setoran))
    }

    /// Records a withdrawal; refused beyond the balance.
    pub fn tarik(&mut self, penarikan: Penarikan) -> Result<EntryId> {
        self.append(TabunganEntry::Penarikan(penarikan))
    }

    /// Records savings used to cover an instalment; refused beyond the balance.
    pub fn tutup_angsuran(&mut self, tutup: TutupAngsuran) -> Result<EntryId> {
        self.append(TabunganEntry::TutupAngsuran(tutup))
    }

    /// Undoes an entry; undoing a deposit that was already spent is refused.
    pub fn batalkan(&mut self, reversal: Reversal) -> Result<EntryId> {
        self.append(TabunganEntry::Reversal(reversal))
    }

    /// The balance over every live entry, in rupiah.
    pub fn saldo(&self) -> Result<Rupiah> {
        self.saldo_per(None)
    }

    /// The balance from live entries dated on or before a date (all for `None`).
    pub fn saldo_per(&self, per: Option<Tanggal>) -> Result<Rupiah> {
        let mut total: i64 = 0;
        for e in self.buku.live() {
            let tanggal = match &e.isi {
                TabunganEntry::Setoran(s) => s.tanggal,
                TabunganEntry::Penarikan(p) => p.tanggal,
                TabunganEntry::TutupAngsuran(t) => t.tanggal,
                TabunganEntry::Reversal(_) => continue,
            };
            if per.is_none_or(|d| tanggal <= d) {
                total = total.checked_add(e.isi.arus()).ok_or_else(|| {
                    UpkError::from(crate::works::WorksError::RupiahOverflow { what: self.label() })
                })?;
            }
        }
        // A balance dated in the past can be negative when money went out before the
        // deposit that covered it was dated; it is shown as zero.
        Ok(Rupiah::new(total.max(0))?)
    }

    fn append(&mut self, entry: TabunganEntry) -> Result<EntryId> {
        let label = self.label();
        let balance = self.saldo()?;
        let out = |amount: Rupiah, action| -> Result<()> {
            if amount > balance {
                Err(UpkError::InsufficientBalance {
                    ledger: label.clone(),
                    action,
                    amount,
                    balance,
                })
            } else {
                Ok(())
            }
        };
        let need_reason = |alasan: &str| -> Result<()> {
            if alasan.trim().is_empty() {
                Err(UpkError::field(
                    &label,
                    "alasan",
                    "say why the money goes out",
                ))
            } else {
                Ok(())
            }
        };
        let positive = |amount: Rupiah| -> Result<()> {
            if amount.is_zero() {
                Err(UpkError::field(
                    &label,
                    "jumlah_rp",
                    "the amount must be more than Rp 0",
                ))
            } else {
                Ok(())
            }
        };
        match &entry {
            TabunganEntry::Setoran(s) => {
                positive(s.jumlah_rp)?;
                balance.checked_add(s.jumlah_rp)?;
            }
            TabunganEntry::Penarikan(p) => {
                positive(p.jumlah_rp)?;
                need_reason(&p.alasan)?;
                out(p.jumlah_rp, "withdrawal")?;
            }
            TabunganEntry::TutupAngsuran(t) => {
                positive(t.jumlah_rp)?;
                need_reason(&t.alasan)?;
                out(t.jumlah_rp, "covering an instalment")?;
            }
            TabunganEntry::Reversal(r) => {
                self.buku.check_reversal(r, &label)?;
                if let Some(TabunganEntry::Setoran(s)) = self.buku.get(r.of).map(|e| &e.isi) {
                    out(s.jumlah_rp, "reversing a deposit")?;
                }
            }
        }
        Ok(self.buku.push(entry, &label)?)
    }
}
