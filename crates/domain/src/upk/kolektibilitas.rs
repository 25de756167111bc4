//! Kolektibilitas: the quality class of a loan, 1 (lancar) to 5 (macet), with the limits
//! between classes kept as data.
//!
//! Two sets of limits ship with Kumuh, embedded from the crate's `data/`:
//! `upk-angsuran` (the default: 1 = nothing behind, 2 = 1-2 instalments behind, 3 = 3-5,
//! 4 = 6-11, 5 = 12 or more) and `bank-hari` (by days overdue: 1-90, 91-120, 121-180,
//! over 180). A UPK writes its own in the same form and loads it with
//! [`AturanKolektibilitas::from_toml_str`].

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::{Result, UpkError};

/// The limits shipped with Kumuh: identifier and TOML text.
const BUILTIN: [(&str, &str); 2] = [
    (
        "upk-angsuran",
        include_str!("../../data/kolektibilitas.toml"),
    ),
    (
        "bank-hari",
        include_str!("../../data/kolektibilitas-hari-bank.toml"),
    ),
];

/// A loan's quality class. Classes 1-2 are performing (lancar in the field's sense),
/// classes 3-5 are in arrears (menunggak). Serialised as its number, 1-5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Kolektibilitas {
    /// 1, lancar: nothing behind.
    Lancar,
    /// 2, dalam perhatian khusus: behind, but not yet in arrears.
    DalamPerhatianKhusus,
    /// 3, kurang lancar.
    KurangLancar,
    /// 4, diragukan.
    Diragukan,
    /// 5, macet.
    Macet,
}

impl Kolektibilitas {
    /// Every class, 1 to 5.
    pub const ALL: [Kolektibilitas; 5] = [
        Kolektibilitas::Lancar,
        Kolektibilitas::DalamPerhatianKhusus,
        Kolektibilitas::KurangLancar,
        Kolektibilitas::Diragukan,
        Kolektibilitas::Macet,
    ];

    /// The class number, 1-5.
    pub fn kelas(self) -> u8 {
        match self {
            Kolektibilitas::Lancar => 1,
            Kolektibilitas::DalamPerhatianKhusus => 2,
            Kolektibilitas::KurangLancar => 3,
            Kolektibilitas::Diragukan => 4,
            Kolektibilitas::Macet => 5,
        }
    }

    /// Whether the loan counts as in arrears (menunggak): class 3 or worse.
    pub fn menunggak(self) -> bool {
        self >= Kolektibilitas::KurangLancar
    }

    /// The class's name in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Kolektibilitas::Lancar => "lancar",
            Kolektibilitas::DalamPerhatianKhusus => "dalam perhatian khusus",
            Kolektibilitas::KurangLancar => "kurang lancar",
            Kolektibilitas::Diragukan => "diragukan",
            Kolektibilitas::Macet => "macet",
        }
    }
}

impl TryFrom<u8> for Kolektibilitas {
    type Error = UpkError;
    fn try_from(kelas: u8) -> Result<Kolektibilitas> {
        Kolektibilitas::ALL
            .into_iter()
            .find(|k| k.kelas() == kelas)
            .ok_or_else(|| {
                UpkError::field(
                    "kolektibilitas",
                    "kolektibilitas",
                    format!("class {kelas} does not exist; use 1-5"),
                )
            })
    }
}

impl From<Kolektibilitas> for u8 {
    fn from(k: Kolektibilitas) -> u8 {
        k.kelas()
    }
}

impl fmt::Display for Kolektibilitas {
    /// `3 (kurang lancar)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.kelas(), self.label_id())
    }
}

/// What the class limits count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dasar {
    /// Instalments behind: due and not fully paid.
    Angsuran,
    /// Days overdue of the oldest unpaid instalment.
    Hari,
}

/// The least count (instalments or days) at which classes 2-5 begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Minimum {
    /// Where class 2 begins; at least 1.
    pub kelas_2: u32,
    /// Where class 3 begins; above `kelas_2`.
    pub kelas_3: u32,
    /// Where class 4 begins; above `kelas_3`.
    pub kelas_4: u32,
    /// Where class 5 begins; above `kelas_4`.
    pub kelas_5: u32,
}

/// The limits between kolektibilitas classes.
///
/// # Examples
/// ```
/// use kumuh_domain::upk::{AturanKolektibilitas, Kolektibilitas};
/// let aturan = AturanKolektibilitas::bawaan();
/// assert_eq!(aturan.kelas(0, 0), Kolektibilitas::Lancar);
/// assert_eq!(aturan.kelas(4, 150), Kolektibilitas::KurangLancar);
/// assert_eq!(aturan.kelas(12, 360), Kolektibilitas::Macet);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AturanKolektibilitas {
    /// Identifier, e.g. `upk-angsuran`.
    pub id: String,
    /// A name for people.
    pub nama: String,
    /// What the limits count.
    pub dasar: Dasar,
    /// Where each class begins.
    pub minimum: Minimum,
}

impl AturanKolektibilitas {
    /// The default limits, `upk-angsuran`.
    ///
    /// # Panics
    /// Never in a released build: the file is embedded at compile time and loading it is
    /// checked by this crate's tests.
    pub fn bawaan() -> AturanKolektibilitas {
        AturanKolektibilitas::builtin("upk-angsuran").expect("the embedded default limits load")
    }

    /// Limits shipped with Kumuh, by identifier (`upk-angsuran`, `bank-hari`).
    pub fn builtin(id: &str) -> Result<AturanKolektibilitas> {
        let (_, text) =
            BUILTIN
                .iter()
                .find(|(i, _)| *i == id)
                .ok_or_else(|| UpkError::InvalidLimits {
                    file: id.to_owned(),
                    key: "id".to_owned(),
                    message: format!(
                        "no limits shipped with this id; shipped: {}",
                        BUILTIN.map(|(i, _)| i).join(", ")
                    ),
                })?;
        AturanKolektibilitas::read(text, &format!("{id}.toml"))
    }

    /// Reads limits written as TOML (see the shipped `data/kolektibilitas.toml`).
    pub fn from_toml_str(text: &str) -> Result<AturanKolektibilitas> {
        AturanKolektibilitas::read(text, "<text>")
    }

    /// Reads limits written as TOML from the file named `file` (errors name it).
    pub fn read(text: &str, file: &str) -> Result<AturanKolektibilitas> {
        let aturan: AturanKolektibilitas =
            toml::from_str(text).map_err(|source| UpkError::Toml {
                file: file.to_owned(),
                source,
            })?;
        let m = aturan.minimum;
        let steps = [
            ("minimum.kelas_2", 0, m.kelas_2),
            ("minimum.kelas_3", m.kelas_2, m.kelas_3),
            ("minimum.kelas_4", m.kelas_3, m.kelas_4),
            ("minimum.kelas_5", m.kelas_4, m.kelas_5),
        ];
        for (key, below, value) in steps {
            if value <= below {
                return Err(UpkError::InvalidLimits {
                    file: file.to_owned(),
                    key: key.to_owned(),
                    message: format!(
                        "{value} must be above {below}: each class begins after the one before"
                    ),
                });
            }
        }
        Ok(aturan)
    }

    /// The class of a loan with `angsuran_tertunggak` instalments behind whose oldest
    /// unpaid instalment is `hari_tunggak` days overdue.
    pub fn kelas(&self, angsuran_tertunggak: u32, hari_tunggak: u32) -> Kolektibilitas {
        let n = match self.dasar {
            Dasar::Angsuran => angsuran_tertunggak,
            Dasar::Hari => hari_tunggak,
        };
        let m = self.minimum;
        if n >= m.kelas_5 {
            Kolektibilitas::Macet
        } else if n >= m.kelas_4 {
            Kolektibilitas::Diragukan
        } else if n >= m.kelas_3 {
            Kolektibilitas::KurangLancar
        } else if n >= m.kelas_2 {
            Kolektibilitas::DalamPerhatianKhusus
        } else {
            Kolektibilitas::Lancar
        }
    }
}

impl Default for AturanKolektibilitas {
    fn default() -> Self {
        AturanKolektibilitas::bawaan()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(aturan: &AturanKolektibilitas, behind: u32, days: u32, kelas: u8) {
        assert_eq!(
            aturan.kelas(behind, days).kelas(),
            kelas,
            "{} {behind} {days}",
            aturan.id
        );
    }

    #[test]
    fn default_limits_follow_instalments_behind() {
        let a = AturanKolektibilitas::bawaan();
        assert_eq!(a.dasar, Dasar::Angsuran);
        for (behind, kelas) in [
            (0, 1),
            (1, 2),
            (2, 2),
            (3, 3),
            (5, 3),
            (6, 4),
            (11, 4),
            (12, 5),
            (40, 5),
        ] {
            check(&a, behind, 0, kelas);
        }
    }

    #[test]
    fn bank_limits_follow_days_overdue() {
        let a = AturanKolektibilitas::builtin("bank-hari").unwrap();
        for (days, kelas) in [
            (0, 1),
            (1, 2),
            (90, 2),
            (91, 3),
            (120, 3),
            (121, 4),
            (180, 4),
            (181, 5),
        ] {
            check(&a, 99, days, kelas);
        }
    }

    #[test]
    fn bad_limits_are_named() {
        let e = AturanKolektibilitas::from_toml_str(
            "id = \"x\"\nnama = \"x\"\ndasar = \"angsuran\"\n[minimum]\nkelas_2 = 1\nkelas_3 = 3\nkelas_4 = 3\nkelas_5 = 9\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("key `minimum.kelas_4`"), "{e}");
        let e = AturanKolektibilitas::from_toml_str("id = \"x\"").unwrap_err();
        assert!(matches!(e, UpkError::Toml { .. }), "{e}");
        let e = AturanKolektibilitas::builtin("ojk").unwrap_err();
        assert!(e.to_string().contains("upk-angsuran, bank-hari"), "{e}");
    }

    #[test]
    fn classes_serialise_as_numbers() {
        assert_eq!(
            serde_json::to_string(&Kolektibilitas::KurangLancar).unwrap(),
            "3"
        );
        assert_eq!(
            serde_json::from_str::<Kolektibilitas>("5").unwrap(),
            Kolektibilitas::Macet
        );
        assert!(serde_json::from_str::<Kolektibilitas>("6").is_err());
        assert!(Kolektibilitas::KurangLancar.menunggak());
        assert!(!Kolektibilitas::DalamPerhatianKhusus.menunggak());
    }
}
