//! KSM (Kelompok Swadaya Masyarakat): community self-help groups that borrow from the
//! UPK, jointly liable (tanggung renteng) for each other's loans.
//!
//! A KSM has its members, its rules (aturan main), and two dated checklists that show
//! its history: the Pancasutra, the five rules of a healthy KSM, and the independence
//! indicators (kemandirian). Members' NIK (national identity numbers) are personal data:
//! they are never part of a KSM's JSON, and travel only in a [`DaftarNik`] that the
//! caller asks for explicitly and keeps where only authorised users can read it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::{Result, UpkError};
use super::pinjaman::KsmId;
use crate::Kode;
use crate::works::Tanggal;

/// What a KSM does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JenisKsm {
    /// Economic: members borrow for small businesses (the revolving-loan groups).
    Ekonomi,
    /// Environmental: carries out infrastructure works.
    Lingkungan,
    /// Social: care for the poor, elderly, disabled.
    Sosial,
}

/// A member's sex as the forms record it: L (laki-laki) or P (perempuan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum JenisKelamin {
    /// Laki-laki, male.
    L,
    /// Perempuan, female.
    P,
}

/// A NIK (Nomor Induk Kependudukan), 16 digits. Debug and Display show only the first
/// four and last two digits, so that it does not leak into logs or messages.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nik(String);

impl Nik {
    /// Checks a NIK: exactly 16 digits after trimming spaces.
    pub fn new(nik: &str) -> Result<Nik> {
        let s = nik.trim();
        if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(UpkError::field(
                "anggota ksm",
                "nik",
                "a NIK has exactly 16 digits",
            ));
        }
        Ok(Nik(s.to_owned()))
    }

    /// The full number; call only where the user may see it.
    pub fn rahasia(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Nik {
    /// `3519**********01`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}**********{}", &self.0[..4], &self.0[14..])
    }
}

impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nik({self})")
    }
}

/// A member of a KSM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnggotaKsm {
    /// Member number within the group, from 1; what a [`DaftarNik`] refers to.
    pub no: u32,
    /// Name.
    pub nama: String,
    /// Sex, L or P.
    pub jenis_kelamin: JenisKelamin,
    /// The household (rumah tangga) the member belongs to: the head of household's name
    /// or the family card number as the UPK writes it.
    pub rumah_tangga: String,
    /// The day the member joined, where known.
    #[serde(default)]
    pub bergabung: Option<Tanggal>,
    /// The day the member left.
    #[serde(default)]
    pub keluar: Option<Tanggal>,
    /// The NIK, never serialised with the member: see [`DaftarNik`].
    #[serde(skip)]
    pub nik: Option<Nik>,
}

/// The NIKs of a KSM's members by member number: the only form in which NIKs are
/// serialised, produced by [`Ksm::daftar_nik`] and put back with [`Ksm::pasang_nik`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BTreeMap<u32, String>", into = "BTreeMap<u32, String>")]
pub struct DaftarNik(BTreeMap<u32, Nik>);

impl TryFrom<BTreeMap<u32, String>> for DaftarNik {
    type Error = UpkError;
    fn try_from(m: BTreeMap<u32, String>) -> Result<DaftarNik> {
        m.into_iter()
            .map(|(no, nik)| {
                Nik::new(&nik).map(|n| (no, n)).map_err(|_| {
                    UpkError::field(
                        format!("anggota no {no}"),
                        "nik",
                        "a NIK has exactly 16 digits",
                    )
                })
            })
            .collect::<Result<BTreeMap<_, _>>>()
            .map(DaftarNik)
    }
}

impl From<DaftarNik> for BTreeMap<u32, String> {
    fn from(d: DaftarNik) -> BTreeMap<u32, String> {
        d.0.into_iter().map(|(no, nik)| (no, nik.0)).collect()
    }
}

/// The Pancasutra checklist on a date: the five rules of a healthy KSM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pancasutra {
    /// The day of the check.
    pub tanggal: Tanggal,
    /// Regular meetings (pertemuan rutin).
    pub pertemuan_rutin: bool,
    /// Group savings (tabungan kelompok).
    pub tabungan_kelompok: bool,
    /// Bookkeeping (pembukuan).
    pub pembukuan: bool,
    /// Loans decided within the group (pinjaman dalam kelompok).
    pub pinjaman_dalam_kelompok: bool,
    /// Instalments collected within the group (angsuran dalam kelompok).
    pub angsuran_dalam_kelompok: bool,
    /// Notes.
    #[serde(default)]
    pub catatan: Option<String>,
}

impl Pancasutra {
    /// How many of the five rules the group keeps.
    pub fn terpenuhi(&self) -> u8 {
        [
            self.pertemuan_rutin,
            self.tabungan_kelompok,
            self.pembukuan,
            self.pinjaman_dalam_kelompok,
            self.angsuran_dalam_kelompok,
        ]
        .into_iter()
        .map(u8::from)
        .sum()
    }
}

/// The independence indicators (indikator kemandirian) of a KSM on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kemandirian {
    /// The day of the check.
    pub tanggal: Tanggal,
    /// Has its articles (AD/ART).
    pub ad_art: bool,
    /// Keeps its books.
    pub pembukuan: bool,
    /// Keeps an information system (member and loan records others can read).
    pub sistem_informasi: bool,
    /// Its savings grow.
    pub tabungan_bertambah: bool,
    /// Repays 95 % or more of what falls due.
    pub pengembalian_95: bool,
    /// Its membership is stable or growing.
    pub keanggotaan: bool,
    /// Notes.
    #[serde(default)]
    pub catatan: Option<String>,
}

impl Kemandirian {
    /// How many of the six indicators the group meets.
    pub fn terpenuhi(&self) -> u8 {
        [
            self.ad_art,
            self.pembukuan,
            self.sistem_informasi,
            self.tabungan_bertambah,
            self.pengembalian_95,
            self.keanggotaan,
        ]
        .into_iter()
        .map(u8::from)
        .sum()
    }
}

/// A KSM.
///
/// # Examples
/// ```
/// use kumuh_domain::Kode;
/// use kumuh_domain::upk::*;
/// use kumuh_domain::works::Tanggal;
/// let mut ksm = Ksm::new(KsmId::new("ksm-lele").unwrap(), Kode::parse("35.19.09.2014").unwrap(),
///     "KSM Lele Makmur", JenisKsm::Ekonomi, Tanggal::parse("2018-03-01").unwrap()).unwrap();
/// ksm.tambah_anggota("Siti", JenisKelamin::P, "KK Siti", Some(Nik::new("3519094101800001").unwrap())).unwrap();
/// let json = serde_json::to_string(&ksm).unwrap();
/// assert!(!json.contains("3519094101800001"));
/// assert!(serde_json::to_string(&ksm.daftar_nik()).unwrap().contains("3519094101800001"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "KsmData")]
pub struct Ksm {
    /// The group's id.
    pub id: KsmId,
    /// The desa (Kemendagri code).
    pub kode_desa: Kode,
    /// Name.
    pub nama: String,
    /// What the group does.
    pub jenis: JenisKsm,
    /// The day it was formed.
    pub dibentuk: Tanggal,
    anggota: Vec<AnggotaKsm>,
    /// The group's rules (aturan main), one per line as agreed.
    pub aturan_main: Vec<String>,
    pancasutra: Vec<Pancasutra>,
    kemandirian: Vec<Kemandirian>,
    /// Illustrative data (contoh), not a real group.
    pub contoh: bool,
}

#[derive(Deserialize)]
struct KsmData {
    id: KsmId,
    kode_desa: Kode,
    nama: String,
    jenis: JenisKsm,
    dibentuk: Tanggal,
    #[serde(default)]
    anggota: Vec<AnggotaKsm>,
    #[serde(default)]
    aturan_main: Vec<String>,
    #[serde(default)]
    pancasutra: Vec<Pancasutra>,
    #[serde(default)]
    kemandirian: Vec<Kemandirian>,
    #[serde(default)]
    contoh: bool,
}

impl TryFrom<KsmData> for Ksm {
    type Error = UpkError;
    fn try_from(d: KsmData) -> Result<Ksm> {
        let mut k = Ksm::new(d.id, d.kode_desa, d.nama, d.jenis, d.dibentuk)?;
        k.aturan_main = d.aturan_main;
        k.contoh = d.contoh;
        let mut seen = std::collections::BTreeSet::new();
        for a in &d.anggota {
            k.check_anggota(a)?;
            if a.no == 0 || !seen.insert(a.no) {
                return Err(UpkError::field(
                    format!("{}: anggota no {}", k.label(), a.no),
                    "no",
                    "member numbers start at 1 and are not repeated",
                ));
            }
        }
        k.anggota = d.anggota;
        for p in d.pancasutra {
            k.catat_pancasutra(p)?;
        }
        for m in d.kemandirian {
            k.catat_kemandirian(m)?;
        }
        Ok(k)
    }
}

impl Ksm {
    /// A group with no members yet.
    pub fn new(
        id: KsmId,
        kode_desa: Kode,
        nama: impl Into<String>,
        jenis: JenisKsm,
        dibentuk: Tanggal,
    ) -> Result<Ksm> {
        let nama = nama.into().trim().to_owned();
        if nama.is_empty() {
            return Err(UpkError::field(
                format!("ksm `{id}`"),
                "nama",
                "a group needs a name",
            ));
        }
        Ok(Ksm {
            id,
            kode_desa,
            nama,
            jenis,
            dibentuk,
            anggota: Vec::new(),
            aturan_main: Vec::new(),
            pancasutra: Vec::new(),
            kemandirian: Vec::new(),
            contoh: false,
        })
    }

    /// How this group is named in messages.
    pub fn label(&self) -> String {
        format!("ksm `{}`", self.id)
    }

    /// Members, in the order they were added.
    pub fn anggota(&self) -> &[AnggotaKsm] {
        &self.anggota
    }

    /// Members on a date: joined by then (or from the start) and not yet left.
    pub fn anggota_per(&self, per: Tanggal) -> impl Iterator<Item = &AnggotaKsm> {
        self.anggota.iter().filter(move |a| {
            a.bergabung.is_none_or(|b| b <= per) && a.keluar.is_none_or(|k| per < k)
        })
    }

    fn check_anggota(&self, a: &AnggotaKsm) -> Result<()> {
        let record = format!("{}: anggota no {}", self.label(), a.no);
        if a.nama.trim().is_empty() {
            return Err(UpkError::field(record, "nama", "a member needs a name"));
        }
        if a.rumah_tangga.trim().is_empty() {
            return Err(UpkError::field(
                record,
                "rumah_tangga",
                "name the member's household",
            ));
        }
        if let (Some(b), Some(k)) = (a.bergabung, a.keluar)
            && k < b
        {
            return Err(UpkError::field(
                record,
                "keluar",
                format!("leaving ({k}) comes before joining ({b})"),
            ));
        }
        Ok(())
    }

    /// Adds a member with the next member number and returns that number.
    pub fn tambah_anggota(
        &mut self,
        nama: &str,
        jenis_kelamin: JenisKelamin,
        rumah_tangga: &str,
        nik: Option<Nik>,
    ) -> Result<u32> {
        let no = self
            .anggota
            .iter()
            .map(|a| a.no)
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        let a = AnggotaKsm {
            no,
            nama: nama.trim().to_owned(),
            jenis_kelamin,
            rumah_tangga: rumah_tangga.trim().to_owned(),
            bergabung: None,
            keluar: None,
            nik,
        };
        self.check_anggota(&a)?;
        self.anggota.push(a);
        Ok(no)
    }

    /// Records that a member left on a date.
    pub fn anggota_keluar(&mut self, no: u32, tanggal: Tanggal) -> Result<()> {
        let i = self
            .anggota
            .iter()
            .position(|a| a.no == no)
            .ok_or_else(|| {
                UpkError::field(
                    self.label(),
                    "anggota",
                    format!("there is no member number {no}"),
                )
            })?;
        let mut a = self.anggota[i].clone();
        a.keluar = Some(tanggal);
        self.check_anggota(&a)?;
        self.anggota[i] = a;
        Ok(())
    }

    /// Members' NIKs by member number, for storage where only authorised users read it.
    pub fn daftar_nik(&self) -> DaftarNik {
        DaftarNik(
            self.anggota
                .iter()
                .filter_map(|a| a.nik.clone().map(|n| (a.no, n)))
                .collect(),
        )
    }

    /// Puts NIKs back on the members they belong to; a number with no member is refused.
    pub fn pasang_nik(&mut self, daftar: DaftarNik) -> Result<()> {
        if let Some(no) = daftar
            .0
            .keys()
            .find(|no| !self.anggota.iter().any(|a| a.no == **no))
        {
            return Err(UpkError::field(
                self.label(),
                "nik",
                format!("there is no member number {no}"),
            ));
        }
        for a in &mut self.anggota {
            if let Some(n) = daftar.0.get(&a.no) {
                a.nik = Some(n.clone());
            }
        }
        Ok(())
    }

    /// Every Pancasutra check, oldest first.
    pub fn pancasutra(&self) -> &[Pancasutra] {
        &self.pancasutra
    }

    /// The latest Pancasutra check on or before a date.
    pub fn pancasutra_per(&self, per: Tanggal) -> Option<&Pancasutra> {
        self.pancasutra.iter().rev().find(|p| p.tanggal <= per)
    }

    /// Records a Pancasutra check. Checks are kept in date order (one dated before the
    /// latest is refused); of two on one day, the one recorded later counts.
    pub fn catat_pancasutra(&mut self, p: Pancasutra) -> Result<()> {
        check_date_order(
            &self.label(),
            "pancasutra",
            self.pancasutra.last().map(|l| l.tanggal),
            p.tanggal,
        )?;
        self.pancasutra.push(p);
        Ok(())
    }

    /// Every independence check, oldest first.
    pub fn kemandirian(&self) -> &[Kemandirian] {
        &self.kemandirian
    }

    /// The latest independence check on or before a date.
    pub fn kemandirian_per(&self, per: Tanggal) -> Option<&Kemandirian> {
        self.kemandirian.iter().rev().find(|k| k.tanggal <= per)
    }

    /// Records an independence check, in date order.
    pub fn catat_kemandirian(&mut self, k: Kemandirian) -> Result<()> {
        check_date_order(
            &self.label(),
            "kemandirian",
            self.kemandirian.last().map(|l| l.tanggal),
            k.tanggal,
        )?;
        self.kemandirian.push(k);
        Ok(())
    }
}

fn check_date_order(
    label: &str,
    field: &'static str,
    last: Option<Tanggal>,
    next: Tanggal,
) -> Result<()> {
    match last {
        Some(l) if next < l => Err(UpkError::field(
            label,
            field,
            format!(
                "a check dated {next} comes before the latest one ({l}); checks are recorded in date order"
            ),
        )),
        _ => Ok(()),
    }
}
