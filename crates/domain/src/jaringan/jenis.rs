//! The codes of the mapped network: the kind of a line, its condition, and the source of
//! a volume, each read forgivingly from Indonesian or English.

use super::{JaringanError, Result};

/// Lower-cases and trims text and treats `_`, `-` and runs of spaces alike, so that
/// `Rusak_Ringan`, `rusak-ringan` and `rusak  ringan` read the same.
fn normalise(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

define_code! {
    /// The kind of a mapped line: neighbourhood road or drain; the code is the stable id
    /// used in files and tables.
    pub enum JenisJaringan {
        /// Jalan lingkungan: a neighbourhood road or footpath (criteria 2a, 2b).
        Jalan = "jalan",
        /// Drainase lingkungan: a neighbourhood drain (criteria 4b, 4c).
        Drainase = "drainase",
    }
    from_str: JenisJaringan::parse => JaringanError;
    try_from: JenisJaringan::parse => JaringanError;
}

impl JenisJaringan {
    /// Reads a kind in Indonesian or English: `jalan`, `jalan lingkungan`, `road`;
    /// `drainase`, `saluran`, `drain`, `drainage`. Case, spaces, `_` and `-` do not
    /// matter.
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::jaringan::JenisJaringan;
    /// assert_eq!(JenisJaringan::parse("Road").unwrap(), JenisJaringan::Jalan);
    /// assert_eq!(JenisJaringan::parse("saluran").unwrap(), JenisJaringan::Drainase);
    /// assert!(JenisJaringan::parse("river").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<JenisJaringan> {
        match normalise(text).as_str() {
            "jalan" | "jalan lingkungan" | "road" => Ok(JenisJaringan::Jalan),
            "drainase" | "drainase lingkungan" | "saluran" | "drain" | "drainage" => {
                Ok(JenisJaringan::Drainase)
            }
            _ => Err(JaringanError::UnknownJenis {
                value: text.to_owned(),
            }),
        }
    }
}

define_code! {
    /// The condition of a mapped road or drain, or the mark that one is missing.
    ///
    /// # What counts as damaged (rusak)
    /// Criterion 2b, *kualitas permukaan jalan lingkungan*, counts the road length whose
    /// surface is damaged, and criterion 4c, *kualitas konstruksi drainase*, the drain
    /// length whose construction is damaged. [`KondisiRuas::RusakRingan`] and
    /// [`KondisiRuas::RusakBerat`] are damage and count ([`KondisiRuas::is_rusak`]).
    /// [`KondisiRuas::Sedang`] (fair) does not: it describes a road or drain that is worn but
    /// whose surface or construction is not damaged, so counting it would score a location
    /// for wear the criteria do not name. [`KondisiRuas::TidakAda`] does not count either: a
    /// missing road has no surface and a missing drain no construction; its length belongs
    /// to the coverage criteria 2a and 4b instead.
    ///
    /// This is the condition of a mapped line for the assessment; the before and after state
    /// of a work ([`crate::works::KondisiSegmen`]) is a separate, coarser scale.
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::jaringan::KondisiRuas;
    /// assert_eq!(KondisiRuas::parse("Rusak Ringan").unwrap(), KondisiRuas::RusakRingan);
    /// assert_eq!(KondisiRuas::parse("poor").unwrap(), KondisiRuas::RusakBerat);
    /// assert!(KondisiRuas::RusakRingan.is_rusak());
    /// assert!(!KondisiRuas::Sedang.is_rusak());
    /// let err = KondisiRuas::parse("hancur").unwrap_err();
    /// assert!(err.to_string().contains("`hancur`"));
    /// ```
    pub enum KondisiRuas {
        /// Good.
        Baik = "baik",
        /// Fair: worn, but the surface or construction is not damaged.
        Sedang = "sedang",
        /// Minor damage (potholes, cracked or broken lining in places).
        RusakRingan = "rusak_ringan",
        /// Heavy damage: the surface or construction is mostly broken.
        RusakBerat = "rusak_berat",
        /// Mapped as missing: the alignment where a road or drain is needed but none exists.
        TidakAda = "tidak_ada",
    }
    from_str: KondisiRuas::parse => JaringanError;
    try_from: KondisiRuas::parse => JaringanError;
}

impl KondisiRuas {
    /// Reads a condition in Indonesian or English. Case, spaces, `_` and `-` do not
    /// matter.
    ///
    /// | condition | accepted |
    /// |---|---|
    /// | [`KondisiRuas::Baik`] | `baik`, `good` |
    /// | [`KondisiRuas::Sedang`] | `sedang`, `fair` |
    /// | [`KondisiRuas::RusakRingan`] | `rusak ringan`, `rusak_ringan`, `minor damage` |
    /// | [`KondisiRuas::RusakBerat`] | `rusak berat`, `rusak`, `poor`, `bad` |
    /// | [`KondisiRuas::TidakAda`] | `tidak ada`, `none`, `missing` |
    ///
    /// Plain `rusak` reads as heavy damage because forms that know only one grade of
    /// damage use it for a surface or construction that no longer serves.
    pub fn parse(text: &str) -> Result<KondisiRuas> {
        match normalise(text).as_str() {
            "baik" | "good" => Ok(KondisiRuas::Baik),
            "sedang" | "fair" => Ok(KondisiRuas::Sedang),
            "rusak ringan" | "minor damage" => Ok(KondisiRuas::RusakRingan),
            "rusak berat" | "rusak" | "poor" | "bad" => Ok(KondisiRuas::RusakBerat),
            "tidak ada" | "none" | "missing" => Ok(KondisiRuas::TidakAda),
            _ => Err(JaringanError::UnknownKondisi {
                value: text.to_owned(),
            }),
        }
    }

    /// Whether the length counts as damaged for criteria 2b and 4c: minor and heavy
    /// damage do, good, fair and missing do not (see the type's documentation).
    pub fn is_rusak(self) -> bool {
        matches!(self, KondisiRuas::RusakRingan | KondisiRuas::RusakBerat)
    }

    /// Whether a road or drain exists along the line (every condition but
    /// [`KondisiRuas::TidakAda`]).
    pub fn ada(self) -> bool {
        self != KondisiRuas::TidakAda
    }
}

define_code! {
    /// Where an assessment's volume for a criterion comes from; the code is the stable id
    /// used in files and tables.
    pub enum Sumber {
        /// Survei: measured in the field, as recorded in the assessment.
        Survei = "survei",
        /// Peta: derived from the mapped lines ([`derive_volumes`]).
        Peta = "peta",
    }
    from_str: Sumber::parse => JaringanError;
    try_from: Sumber::parse => JaringanError;
}

impl Sumber {
    /// Reads a source: `survei`, `survey`, `lapangan`; `peta`, `map`. Case and spaces do
    /// not matter.
    pub fn parse(text: &str) -> Result<Sumber> {
        match normalise(text).as_str() {
            "survei" | "survey" | "lapangan" => Ok(Sumber::Survei),
            "peta" | "map" => Ok(Sumber::Peta),
            _ => Err(JaringanError::UnknownSumber {
                value: text.to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_folds_separators_and_case() {
        assert_eq!(normalise("  Rusak_Ringan "), "rusak ringan");
        assert_eq!(normalise("rusak--BERAT"), "rusak berat");
        assert_eq!(normalise("tidak \t ada"), "tidak ada");
        assert_eq!(normalise(""), "");
    }

    #[test]
    fn every_kondisi_reads_back_from_its_id() {
        for k in KondisiRuas::ALL {
            assert_eq!(KondisiRuas::parse(k.as_str()), Ok(k));
        }
        for j in JenisJaringan::ALL {
            assert_eq!(JenisJaringan::parse(j.as_str()), Ok(j));
        }
    }
}
