//! What a stored assessment rests on: a field survey, or a finished work segment that
//! changed the assessment before it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The basis (`dasar`) of a stored assessment. A location has at most one assessment per
/// year and basis.
///
/// It is written as text, the same in the store and in JSON: `survei`, or
/// `kegiatan K1 segmen S1` for the evaluation after segment `S1` of work `K1` was
/// finished.
///
/// # Examples
/// ```
/// use kumuh_domain::assessment::Dasar;
/// let d: Dasar = "kegiatan K1 segmen S2".parse().unwrap();
/// assert_eq!(d, Dasar::Segmen { kegiatan: "K1".into(), segmen: "S2".into() });
/// assert_eq!(d.to_string(), "kegiatan K1 segmen S2");
/// assert_eq!(Dasar::Survei.to_string(), "survei");
/// assert!("kunjungan".parse::<Dasar>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Dasar {
    /// A field survey (`survei`).
    Survei,
    /// The evaluation after a work's segment was finished.
    Segmen {
        /// The work's id.
        kegiatan: String,
        /// The segment's id within the work.
        segmen: String,
    },
}

/// The text of [`Dasar::Survei`].
pub const DASAR_SURVEI: &str = "survei";

const KEGIATAN: &str = "kegiatan ";
const SEGMEN: &str = " segmen ";

/// A basis that is neither `survei` nor `kegiatan <id> segmen <id>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown basis `{0}`: expected `survei` or `kegiatan <id> segmen <id>`")]
pub struct UnknownDasar(pub String);

impl Dasar {
    /// The basis of a finished segment's evaluation.
    pub fn segmen(kegiatan: impl Into<String>, segmen: impl Into<String>) -> Self {
        Dasar::Segmen {
            kegiatan: kegiatan.into(),
            segmen: segmen.into(),
        }
    }
}

impl fmt::Display for Dasar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dasar::Survei => f.write_str(DASAR_SURVEI),
            Dasar::Segmen { kegiatan, segmen } => write!(f, "{KEGIATAN}{kegiatan}{SEGMEN}{segmen}"),
        }
    }
}

impl FromStr for Dasar {
    type Err = UnknownDasar;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == DASAR_SURVEI {
            return Ok(Dasar::Survei);
        }
        // Ids may hold spaces, so the text alone cannot tell where an id with ` segmen `
        // inside it ends; the first ` segmen ` ends the work's id. Either way the text
        // is written back exactly as it was read, which is what the store keys on.
        let parsed = s
            .strip_prefix(KEGIATAN)
            .and_then(|rest| rest.split_once(SEGMEN))
            .filter(|(k, g)| !k.is_empty() && !g.is_empty());
        match parsed {
            Some((kegiatan, segmen)) => Ok(Dasar::segmen(kegiatan, segmen)),
            None => Err(UnknownDasar(s.to_owned())),
        }
    }
}

impl Serialize for Dasar {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Dasar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<Dasar>) {
        let parsed = text.parse::<Dasar>().ok();
        assert_eq!(parsed, expected, "{text}");
        if let Some(d) = parsed {
            assert_eq!(d.to_string(), text);
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(json, serde_json::to_string(text).unwrap());
            assert_eq!(serde_json::from_str::<Dasar>(&json).unwrap(), d);
        }
    }

    #[test]
    fn bases_read_back_as_written() {
        check("survei", Some(Dasar::Survei));
        check("kegiatan K1 segmen S1", Some(Dasar::segmen("K1", "S1")));
        check(
            "kegiatan contoh-35.19.09.2014-2018-paving segmen S1",
            Some(Dasar::segmen("contoh-35.19.09.2014-2018-paving", "S1")),
        );
        check("Survei", None);
        check("", None);
        check("kegiatan K1", None);
        check("kegiatan  segmen S1", None);
        check("kegiatan K1 segmen ", None);
        check("kegiatan K 1 segmen S 2", Some(Dasar::segmen("K 1", "S 2")));
        check(
            "kegiatan K segmen 2 segmen S",
            Some(Dasar::segmen("K", "2 segmen S")),
        );
    }

    #[test]
    fn unknown_basis_names_the_text() {
        let e = "kunjungan".parse::<Dasar>().unwrap_err();
        assert!(e.to_string().contains("`kunjungan`"), "{e}");
        assert!(serde_json::from_str::<Dasar>("\"kunjungan\"").is_err());
    }
}
