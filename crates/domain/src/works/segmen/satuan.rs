//! Units and quantities of segments: the unit a volume is counted in, exact volumes,
//! conditions, criterion codes and what is measured on a geometry.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::works::error::{Result, WorksError};
use crate::works::money::group_thousands;

/// The unit a volume is planned and measured in (satuan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satuan {
    /// Metres of length: roads, drains, pipes. Needs a line geometry.
    M,
    /// Square metres: public spaces, plots, walls. Needs a polygon geometry.
    M2,
    /// Countable items: waste carts, hydrants, toilets. Any geometry.
    Unit,
    /// Households (kepala keluarga) served: house connections. Any geometry.
    Kk,
}

impl Satuan {
    /// The stable id used in files and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Satuan::M => "m",
            Satuan::M2 => "m2",
            Satuan::Unit => "unit",
            Satuan::Kk => "kk",
        }
    }

    /// How people write it: `m`, `m²`, `unit`, `KK`.
    pub fn label_id(self) -> &'static str {
        match self {
            Satuan::M => "m",
            Satuan::M2 => "m²",
            Satuan::Unit => "unit",
            Satuan::Kk => "KK",
        }
    }

    /// Whether a geometry of this kind can carry a volume in this unit: a length needs a
    /// line and an area a polygon, while counts may sit on anything (a point per cart,
    /// or the line of the pipe that serves the households).
    pub fn fits(self, kind: GeometryKind) -> bool {
        match self {
            Satuan::M => kind == GeometryKind::Garis,
            Satuan::M2 => kind == GeometryKind::Area,
            Satuan::Unit | Satuan::Kk => true,
        }
    }
}

impl fmt::Display for Satuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_id())
    }
}

/// The kind of a segment's geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeometryKind {
    /// (Multi)line: roads, drains.
    Garis,
    /// (Multi)polygon: areas.
    Area,
    /// (Multi)point: units.
    Titik,
}

/// A non-negative quantity held in thousandths of its unit (millimetres for `m`), so that
/// volumes add up exactly and cost per unit can be computed in integers. Stored and
/// serialised as a plain decimal number (`170`, `12.5`).
///
/// # Examples
/// ```
/// use kumuh_domain::works::Volume;
/// let v = Volume::from_f64(12.5).unwrap();
/// assert_eq!(v.milli(), 12_500);
/// assert_eq!(v.to_string(), "12,5");
/// assert_eq!(Volume::whole(2_823).to_string(), "2.823");
/// assert!(Volume::from_f64(-1.0).is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Volume(i64);

impl Volume {
    /// Nothing.
    pub const ZERO: Volume = Volume(0);

    /// A whole number of units.
    pub const fn whole(units: u32) -> Volume {
        Volume(units as i64 * 1000)
    }

    /// A volume in thousandths of a unit.
    pub fn from_milli(milli: i64) -> Result<Volume> {
        if milli < 0 {
            return Err(WorksError::InvalidVolume {
                value: milli.to_string(),
                problem: "a volume cannot be negative",
            });
        }
        Ok(Volume(milli))
    }

    /// A volume from a decimal number, rounded to the nearest thousandth.
    pub fn from_f64(value: f64) -> Result<Volume> {
        let err = |problem| WorksError::InvalidVolume {
            value: value.to_string(),
            problem,
        };
        if !value.is_finite() {
            return Err(err("a volume must be a finite number"));
        }
        if value < 0.0 {
            return Err(err("a volume cannot be negative"));
        }
        let milli = (value * 1000.0).round();
        // i64::MAX as f64 rounds up to 2^63, which no longer fits.
        if milli >= 9.2e18 {
            return Err(err("a volume this large cannot be held"));
        }
        #[allow(clippy::cast_possible_truncation)]
        Ok(Volume(milli as i64))
    }

    /// Thousandths of a unit.
    pub const fn milli(self) -> i64 {
        self.0
    }

    /// As a decimal number, for display and measurement comparisons.
    #[allow(clippy::cast_precision_loss)]
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// Whether the volume is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The sum, or an error if it does not fit.
    pub fn checked_add(self, other: Volume) -> Result<Volume> {
        self.0
            .checked_add(other.0)
            .map(Volume)
            .ok_or_else(|| WorksError::InvalidVolume {
                value: format!("{self} + {other}"),
                problem: "the sum is too large to hold",
            })
    }
}

impl fmt::Display for Volume {
    /// Indonesian style: `2.823`, `12,5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        group_thousands(&(self.0 / 1000).to_string(), f)?;
        let frac = self.0 % 1000;
        if frac != 0 {
            let digits = format!("{frac:03}");
            write!(f, ",{}", digits.trim_end_matches('0'))?;
        }
        Ok(())
    }
}

impl Serialize for Volume {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Volume {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        Volume::from_f64(v).map_err(serde::de::Error::custom)
    }
}

/// The state of the thing a segment improves, before or after the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KondisiSegmen {
    /// Nothing there (an earth track where a road should be, no drain at all).
    TidakAda,
    /// Badly damaged or not working.
    Buruk,
    /// Working, with damage.
    Sedang,
    /// Good.
    Baik,
}

impl KondisiSegmen {
    /// Every condition, worst first.
    pub const ALL: [KondisiSegmen; 4] = [
        KondisiSegmen::TidakAda,
        KondisiSegmen::Buruk,
        KondisiSegmen::Sedang,
        KondisiSegmen::Baik,
    ];

    /// The stable id (`tidak_ada`, `buruk`, `sedang`, `baik`).
    pub fn as_str(self) -> &'static str {
        match self {
            KondisiSegmen::TidakAda => "tidak_ada",
            KondisiSegmen::Buruk => "buruk",
            KondisiSegmen::Sedang => "sedang",
            KondisiSegmen::Baik => "baik",
        }
    }
}

/// The code of a slum criterion (kriteria kumuh) a segment addresses: the aspect number
/// and a letter, e.g. `2b` (quality of the neighbourhood road surface) in the national
/// assessment format. Only the shape is checked here; the rule sets live in
/// [`crate::assessment`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KodeKriteria(String);

impl KodeKriteria {
    /// Checks and normalises a code: one or two digits and one letter (`2b`, `7A`→`7a`).
    pub fn parse(text: &str) -> Result<KodeKriteria> {
        let s = text.trim().to_ascii_lowercase();
        let mut chars = s.chars();
        let letter = chars.next_back();
        let digits = chars.as_str();
        let ok = (1..=2).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
            && letter.is_some_and(|c| c.is_ascii_lowercase());
        if ok {
            Ok(KodeKriteria(s))
        } else {
            Err(WorksError::field(
                format!("kriteria `{text}`"),
                "kriteria",
                "a criterion code is an aspect number and a letter, e.g. 2b",
            ))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for KodeKriteria {
    type Error = WorksError;
    fn try_from(s: String) -> Result<KodeKriteria> {
        KodeKriteria::parse(&s)
    }
}

impl From<KodeKriteria> for String {
    fn from(k: KodeKriteria) -> String {
        k.0
    }
}

impl fmt::Display for KodeKriteria {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A size measured on the segment's geometry, on the WGS84 ellipsoid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Terukur {
    /// Geodesic length of a line geometry, metres.
    PanjangM(f64),
    /// Geodesic area of a polygon geometry, square metres.
    LuasM2(f64),
}

impl Terukur {
    /// The measured value in its unit (m or m²).
    pub fn value(self) -> f64 {
        match self {
            Terukur::PanjangM(v) | Terukur::LuasM2(v) => v,
        }
    }

    /// The unit of the measure.
    pub fn satuan(self) -> Satuan {
        match self {
            Terukur::PanjangM(_) => Satuan::M,
            Terukur::LuasM2(_) => Satuan::M2,
        }
    }
}
