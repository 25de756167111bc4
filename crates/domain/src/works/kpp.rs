//! Maintenance groups (KPP, Kelompok Pemanfaat dan Pemelihara): the users of a finished
//! work who collect dues (iuran, often a weekly jimpitan) and pay for its upkeep.

use serde::{Deserialize, Serialize};

use super::error::{Result, WorksError};
use super::ledger::{EntryId, Ledger, LedgerEntry, Reversal};
use super::money::Rupiah;
use super::tanggal::{Hari, Periode, Tanggal, days_in_month};

/// A member household of a KPP.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Anggota {
    /// Name of the head of household, where recorded.
    pub nama: Option<String>,
    /// The RT the household lives in, e.g. `09`.
    pub rt: Option<String>,
    /// First day dues are owed; `None` for members from the start.
    pub bergabung: Option<Tanggal>,
    /// The day the household left; no dues are owed from this day on.
    pub keluar: Option<Tanggal>,
}

impl Anggota {
    /// Whether dues are owed by this household on a date.
    pub fn active_on(&self, t: Tanggal) -> bool {
        self.bergabung.is_none_or(|b| b <= t) && self.keluar.is_none_or(|k| t < k)
    }
}

/// When dues fall due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Jadwal {
    /// Every week on this day, e.g. Friday (Jumat) for jimpitan.
    Mingguan {
        /// The collection day.
        hari: Hari,
    },
    /// Every month on this day of the month (1-31); in shorter months, on the last day.
    Bulanan {
        /// The collection day of the month.
        tanggal: u8,
    },
}

/// The dues rule (aturan iuran): an amount per household on each collection day.
///
/// # Examples
/// ```
/// use kumuh_domain::works::{AturanIuran, Hari, Jadwal, Rupiah};
/// // Jimpitan: Rp 5.000 per household every Friday.
/// let rule = AturanIuran { per_kk: Rupiah::from_u32(5_000), jadwal: Jadwal::Mingguan { hari: Hari::Jumat } };
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AturanIuran {
    /// Dues per household per collection day, in rupiah.
    pub per_kk: Rupiah,
    /// When dues fall due.
    pub jadwal: Jadwal,
}

impl AturanIuran {
    /// How many collection days fall in the dates from `a` to `b`, both included
    /// (zero when `b` is before `a`).
    pub fn collection_days(&self, a: Tanggal, b: Tanggal) -> u64 {
        if b < a {
            return 0;
        }
        match self.jadwal {
            Jadwal::Mingguan { hari } => {
                let offset = (hari.index() - a.hari().index()).rem_euclid(7);
                let first = a.day_number() + offset;
                let last = b.day_number();
                if first > last {
                    0
                } else {
                    u64::try_from((last - first) / 7 + 1).unwrap_or(0)
                }
            }
            Jadwal::Bulanan { tanggal } => {
                let month_index = |t: Tanggal| i64::from(t.tahun()) * 12 + i64::from(t.bulan()) - 1;
                let due = |t: Tanggal| {
                    let day = tanggal.clamp(1, days_in_month(t.tahun(), t.bulan()));
                    Tanggal::new(t.tahun(), t.bulan(), day).unwrap_or(t)
                };
                let months = month_index(b) - month_index(a) + 1;
                let skip_first = i64::from(due(a) < a);
                let skip_last = i64::from(due(b) > b);
                u64::try_from(months - skip_first - skip_last).unwrap_or(0)
            }
        }
    }
}

/// Dues collected on a day (for jimpitan, the whole round's takings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Iuran {
    /// The collection day.
    pub tanggal: Tanggal,
    /// The amount collected, in rupiah.
    pub jumlah: Rupiah,
    /// How many households paid, where counted.
    pub jumlah_kk: Option<u32>,
    /// Free notes.
    pub keterangan: Option<String>,
}

/// Money spent on upkeep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Belanja {
    /// When it was spent.
    pub tanggal: Tanggal,
    /// The amount, in rupiah.
    pub jumlah: Rupiah,
    /// What it paid for ("ganti paving 2 m²", "cat mural").
    pub uraian: String,
}

/// One entry of a KPP's cash book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "jenis", rename_all = "snake_case")]
pub enum KasEntry {
    /// Dues collected.
    Iuran(Iuran),
    /// Upkeep paid.
    Belanja(Belanja),
    /// An earlier entry undone.
    Reversal(Reversal),
}

impl LedgerEntry for KasEntry {
    fn as_reversal(&self) -> Option<&Reversal> {
        match self {
            KasEntry::Reversal(r) => Some(r),
            _ => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            KasEntry::Iuran(_) => "dues (iuran)",
            KasEntry::Belanja(_) => "spending (belanja)",
            KasEntry::Reversal(_) => "a reversal",
        }
    }
}

/// A maintenance group with its members, its dues rule and its cash book.
///
/// The cash book never goes below zero: a group cannot spend money it has not collected,
/// and a collection that was already spent cannot be reversed before the spending is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "KppData")]
pub struct Kpp {
    /// Name, e.g. "Paseduluran Jalan Poros RT 09/10".
    pub nama: String,
    /// When the group was formed, where known.
    pub dibentuk: Option<Tanggal>,
    /// Member households.
    pub anggota: Vec<Anggota>,
    aturan_iuran: AturanIuran,
    /// Illustrative data (contoh), not surveyed.
    pub contoh: bool,
    /// Free notes.
    pub keterangan: Option<String>,
    kas: Ledger<KasEntry>,
}

#[derive(Deserialize)]
struct KppData {
    nama: String,
    dibentuk: Option<Tanggal>,
    #[serde(default)]
    anggota: Vec<Anggota>,
    aturan_iuran: AturanIuran,
    #[serde(default)]
    contoh: bool,
    keterangan: Option<String>,
    #[serde(default)]
    kas: Ledger<KasEntry>,
}

impl TryFrom<KppData> for Kpp {
    type Error = WorksError;
    fn try_from(d: KppData) -> Result<Kpp> {
        let mut k = Kpp::new(d.nama, d.aturan_iuran)?;
        k.dibentuk = d.dibentuk;
        k.anggota = d.anggota;
        k.contoh = d.contoh;
        k.keterangan = d.keterangan;
        check_running_balance(&d.kas).map_err(|message| WorksError::InvalidLedger {
            ledger: k.label(),
            message,
        })?;
        k.kas = d.kas;
        Ok(k)
    }
}

impl Kpp {
    /// A group with no members and an empty cash book.
    pub fn new(nama: impl Into<String>, aturan_iuran: AturanIuran) -> Result<Kpp> {
        let nama = nama.into();
        if nama.trim().is_empty() {
            return Err(WorksError::field("kpp", "nama", "a group needs a name"));
        }
        check_rule(&format!("kpp `{nama}`"), &aturan_iuran)?;
        Ok(Kpp {
            nama,
            dibentuk: None,
            anggota: Vec::new(),
            aturan_iuran,
            contoh: false,
            keterangan: None,
            kas: Ledger::new(),
        })
    }

    /// How this group is named in messages.
    pub fn label(&self) -> String {
        format!("kpp `{}`", self.nama)
    }

    /// The dues rule.
    pub fn aturan_iuran(&self) -> AturanIuran {
        self.aturan_iuran
    }

    /// Changes the dues rule; the day of the month must be 1-31.
    pub fn set_aturan_iuran(&mut self, aturan: AturanIuran) -> Result<()> {
        check_rule(&self.label(), &aturan)?;
        self.aturan_iuran = aturan;
        Ok(())
    }

    /// The cash book.
    pub fn kas(&self) -> &Ledger<KasEntry> {
        &self.kas
    }

    /// Records dues collected.
    pub fn record_iuran(&mut self, iuran: Iuran) -> Result<EntryId> {
        self.append(KasEntry::Iuran(iuran))
    }

    /// Records upkeep paid; refused when it exceeds the balance.
    pub fn record_belanja(&mut self, belanja: Belanja) -> Result<EntryId> {
        self.append(KasEntry::Belanja(belanja))
    }

    /// Undoes an earlier entry; reversing dues that were already spent is refused.
    pub fn reverse(&mut self, reversal: Reversal) -> Result<EntryId> {
        self.append(KasEntry::Reversal(reversal))
    }

    fn append(&mut self, entry: KasEntry) -> Result<EntryId> {
        let label = self.label();
        let balance = self.saldo()?;
        match &entry {
            KasEntry::Iuran(i) => {
                if i.jumlah.is_zero() {
                    return Err(WorksError::field(
                        label,
                        "jumlah",
                        "dues must be more than Rp 0",
                    ));
                }
                balance.checked_add(i.jumlah)?;
            }
            KasEntry::Belanja(b) => {
                if b.jumlah.is_zero() {
                    return Err(WorksError::field(
                        label,
                        "jumlah",
                        "spending must be more than Rp 0",
                    ));
                }
                if b.uraian.trim().is_empty() {
                    return Err(WorksError::field(
                        label,
                        "uraian",
                        "say what the money paid for",
                    ));
                }
                if b.jumlah > balance {
                    return Err(WorksError::InsufficientBalance {
                        ledger: label,
                        action: "spending",
                        amount: b.jumlah,
                        balance,
                    });
                }
            }
            KasEntry::Reversal(r) => {
                self.kas.check_reversal(r, &label)?;
                if let Some(KasEntry::Iuran(i)) = self.kas.get(r.of).map(|e| &e.isi)
                    && i.jumlah > balance
                {
                    return Err(WorksError::InsufficientBalance {
                        ledger: label,
                        action: "reversing dues",
                        amount: i.jumlah,
                        balance,
                    });
                }
            }
        }
        self.kas.push(entry, &label)
    }

    /// The balance: live dues minus live spending, in rupiah.
    pub fn saldo(&self) -> Result<Rupiah> {
        let (masuk, keluar) = self.totals(None)?;
        masuk.checked_sub(keluar)
    }

    /// Dues collected in a period (live entries only), in rupiah.
    pub fn collected(&self, periode: Periode) -> Result<Rupiah> {
        Ok(self.totals(Some(periode))?.0)
    }

    /// Upkeep paid in a period (live entries only), in rupiah.
    pub fn spent(&self, periode: Periode) -> Result<Rupiah> {
        Ok(self.totals(Some(periode))?.1)
    }

    fn totals(&self, periode: Option<Periode>) -> Result<(Rupiah, Rupiah)> {
        let within = |t: Tanggal| periode.is_none_or(|p| p.contains(t));
        let mut masuk = Rupiah::ZERO;
        let mut keluar = Rupiah::ZERO;
        for e in self.kas.live() {
            match &e.isi {
                KasEntry::Iuran(i) if within(i.tanggal) => masuk = masuk.checked_add(i.jumlah)?,
                KasEntry::Belanja(b) if within(b.tanggal) => {
                    keluar = keluar.checked_add(b.jumlah)?;
                }
                _ => {}
            }
        }
        Ok((masuk, keluar))
    }

    /// The dues expected in a period: for every member, the collection days in the period
    /// while the household was a member, times the rate.
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::works::*;
    /// let rule = AturanIuran { per_kk: Rupiah::from_u32(5_000), jadwal: Jadwal::Mingguan { hari: Hari::Jumat } };
    /// let mut kpp = Kpp::new("Paseduluran", rule).unwrap();
    /// kpp.anggota = vec![Anggota::default(); 30];
    /// // September 2018 has four Fridays: 30 × 4 × Rp 5.000.
    /// let sept = Periode::new(Tanggal::parse("2018-09-01").unwrap(), Tanggal::parse("2018-09-30").unwrap()).unwrap();
    /// assert_eq!(kpp.expected_dues(sept).unwrap().get(), 600_000);
    /// ```
    pub fn expected_dues(&self, periode: Periode) -> Result<Rupiah> {
        let mut days: u64 = 0;
        for a in &self.anggota {
            let start = a
                .bergabung
                .map_or(periode.mulai(), |b| b.max(periode.mulai()));
            let end = match a.keluar {
                Some(k) => match k.plus_days(-1) {
                    Some(last) => last.min(periode.selesai()),
                    None => continue,
                },
                None => periode.selesai(),
            };
            days = days.saturating_add(self.aturan_iuran.collection_days(start, end));
        }
        self.aturan_iuran.per_kk.checked_mul(days)
    }

    /// Expected and collected dues, spending and the closing balance for a period.
    pub fn statement(&self, periode: Periode) -> Result<KasSummary> {
        let diharapkan = self.expected_dues(periode)?;
        let terkumpul = self.collected(periode)?;
        Ok(KasSummary {
            periode,
            diharapkan_rp: diharapkan,
            terkumpul_rp: terkumpul,
            tunggakan_rp: diharapkan.saturating_sub(terkumpul),
            belanja_rp: self.spent(periode)?,
            saldo_rp: self.saldo()?,
        })
    }
}

/// Walks a stored cash book in order and checks that the balance never went below zero.
fn check_running_balance(kas: &Ledger<KasEntry>) -> std::result::Result<(), String> {
    let mut balance = Rupiah::ZERO;
    for e in kas.entries() {
        let (plus, minus) = match &e.isi {
            KasEntry::Iuran(i) => (i.jumlah, Rupiah::ZERO),
            KasEntry::Belanja(b) => (Rupiah::ZERO, b.jumlah),
            KasEntry::Reversal(r) => match kas.get(r.of).map(|t| &t.isi) {
                Some(KasEntry::Iuran(i)) => (Rupiah::ZERO, i.jumlah),
                Some(KasEntry::Belanja(b)) => (b.jumlah, Rupiah::ZERO),
                _ => (Rupiah::ZERO, Rupiah::ZERO),
            },
        };
        balance = balance
            .checked_add(plus)
            .and_then(|b| b.checked_sub(minus))
            .map_err(|err| format!("entry {}: the balance would break: {err}", e.id))?;
    }
    Ok(())
}

fn check_rule(label: &str, aturan: &AturanIuran) -> Result<()> {
    match aturan.jadwal {
        Jadwal::Bulanan { tanggal } if !(1..=31).contains(&tanggal) => Err(WorksError::field(
            label,
            "aturan_iuran.jadwal.tanggal",
            format!("day {tanggal} of the month does not exist; use 1-31"),
        )),
        _ => Ok(()),
    }
}

/// A KPP's cash statement for a period, all amounts in rupiah.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KasSummary {
    /// The period.
    pub periode: Periode,
    /// Dues expected from members.
    pub diharapkan_rp: Rupiah,
    /// Dues collected.
    pub terkumpul_rp: Rupiah,
    /// Dues expected but not collected (zero when more was collected).
    pub tunggakan_rp: Rupiah,
    /// Upkeep paid.
    pub belanja_rp: Rupiah,
    /// The balance now, over all entries.
    pub saldo_rp: Rupiah,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Tanggal {
        Tanggal::parse(s).unwrap()
    }

    fn rule(jadwal: Jadwal) -> AturanIuran {
        AturanIuran {
            per_kk: Rupiah::from_u32(5_000),
            jadwal,
        }
    }

    fn check(jadwal: Jadwal, a: &str, b: &str, expected: u64) {
        assert_eq!(
            rule(jadwal).collection_days(t(a), t(b)),
            expected,
            "{jadwal:?} {a}..{b}"
        );
    }

    #[test]
    fn collection_days_are_counted() {
        let jumat = Jadwal::Mingguan { hari: Hari::Jumat };
        check(jumat, "2018-09-01", "2018-09-30", 4);
        check(jumat, "2018-09-07", "2018-09-07", 1);
        check(jumat, "2018-09-08", "2018-09-13", 0);
        check(jumat, "2018-08-31", "2018-09-28", 5);
        check(jumat, "2018-01-01", "2018-12-31", 52);
        check(jumat, "2018-09-30", "2018-09-01", 0);
        let tgl31 = Jadwal::Bulanan { tanggal: 31 };
        check(tgl31, "2018-01-01", "2018-12-31", 12);
        check(tgl31, "2018-02-01", "2018-02-28", 1);
        check(tgl31, "2018-02-01", "2018-02-27", 0);
        let tgl10 = Jadwal::Bulanan { tanggal: 10 };
        check(tgl10, "2018-01-11", "2018-03-09", 1);
        check(tgl10, "2018-01-10", "2018-03-10", 3);
        check(tgl10, "2018-01-11", "2018-01-20", 0);
        check(tgl10, "0001-01-01", "9999-12-31", 119_988);
    }

    #[test]
    fn expected_dues_follow_membership() {
        let mut kpp = Kpp::new("K", rule(Jadwal::Mingguan { hari: Hari::Jumat })).unwrap();
        kpp.anggota = vec![
            Anggota::default(),
            Anggota {
                bergabung: Some(t("2018-09-14")),
                ..Anggota::default()
            },
            Anggota {
                keluar: Some(t("2018-09-14")),
                ..Anggota::default()
            },
            Anggota {
                keluar: Some(t("2018-08-01")),
                ..Anggota::default()
            },
        ];
        let sept = Periode::new(t("2018-09-01"), t("2018-09-30")).unwrap();
        // 4 Fridays + 3 (14, 21, 28) + 1 (7) + 0.
        assert_eq!(kpp.expected_dues(sept).unwrap().get(), 8 * 5_000);
    }

    #[test]
    fn the_cash_book_never_goes_below_zero() {
        let mut kpp = Kpp::new("K", rule(Jadwal::Mingguan { hari: Hari::Jumat })).unwrap();
        let iuran = kpp
            .record_iuran(Iuran {
                tanggal: t("2018-09-07"),
                jumlah: Rupiah::from_u32(150_000),
                jumlah_kk: Some(30),
                keterangan: None,
            })
            .unwrap();
        let belanja = |jumlah| Belanja {
            tanggal: t("2018-09-10"),
            jumlah: Rupiah::from_u32(jumlah),
            uraian: "ganti paving".to_owned(),
        };
        let e = kpp.record_belanja(belanja(200_000)).unwrap_err();
        assert!(
            e.to_string()
                .contains("spending of Rp 200.000 exceeds the balance of Rp 150.000"),
            "{e}"
        );
        let b = kpp.record_belanja(belanja(100_000)).unwrap();
        assert_eq!(kpp.saldo().unwrap().get(), 50_000);
        let e = kpp
            .reverse(Reversal::new(iuran, "salah catat"))
            .unwrap_err();
        assert!(matches!(e, WorksError::InsufficientBalance { .. }), "{e}");
        kpp.reverse(Reversal::new(b, "batal")).unwrap();
        kpp.reverse(Reversal::new(iuran, "salah catat")).unwrap();
        assert_eq!(kpp.saldo().unwrap(), Rupiah::ZERO);
        assert_eq!(kpp.kas().len(), 4);

        let sept = Periode::new(t("2018-09-01"), t("2018-09-30")).unwrap();
        let s = kpp.statement(sept).unwrap();
        assert_eq!(s.terkumpul_rp, Rupiah::ZERO);
        assert_eq!(s.diharapkan_rp, Rupiah::ZERO);
    }

    #[test]
    fn stored_cash_books_are_replayed() {
        let mut kpp = Kpp::new("K", rule(Jadwal::Bulanan { tanggal: 1 })).unwrap();
        kpp.record_iuran(Iuran {
            tanggal: t("2018-09-01"),
            jumlah: Rupiah::from_u32(10_000),
            jumlah_kk: None,
            keterangan: None,
        })
        .unwrap();
        let json = serde_json::to_value(&kpp).unwrap();
        let back: Kpp = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, kpp);

        let mut bad = json.clone();
        bad["kas"][0]["isi"] = serde_json::json!({
            "jenis": "belanja", "tanggal": "2018-09-01", "jumlah": 1, "uraian": "x"
        });
        assert!(serde_json::from_value::<Kpp>(bad).is_err());
        let mut bad = json;
        bad["aturan_iuran"]["jadwal"] = serde_json::json!({"bulanan": {"tanggal": 32}});
        assert!(serde_json::from_value::<Kpp>(bad).is_err());
    }
}
