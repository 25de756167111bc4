//! Administrative places and slum locations.
//!
//! Indonesia's administrative hierarchy, with the Kemendagri code of each level:
//!
//! | level | example code | name |
//! |---|---|---|
//! | provinsi (province) | `35` | Jawa Timur |
//! | kabupaten/kota (district) | `35.19` | Kabupaten Madiun |
//! | kecamatan (sub-district) | `35.19.09` | Jiwan |
//! | desa/kelurahan (village) | `35.19.09.2014` | Bibrik |
//! | RW (rukun warga, neighbourhood) | `35.19.09.2014.003` | RW 003 |
//! | RT (rukun tetangga, block) | `35.19.09.2014.003.009` | RT 009 |
//!
//! Kemendagri codes stop at desa; RW and RT codes extend the desa code with the RW and
//! RT numbers padded to three digits, so that every place's parent is its code minus the
//! last segment. BPS (statistics bureau) uses another scheme (`3519150014`), kept beside
//! the Kemendagri code where known.

use std::fmt;
use std::str::FromStr;

use geo_types::MultiPolygon;
use serde::{Deserialize, Serialize};

/// A level of the administrative hierarchy, from province down to RT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Province, e.g. `35` Jawa Timur.
    Provinsi,
    /// District (kabupaten or kota), e.g. `35.19` Kabupaten Madiun.
    Kabupaten,
    /// Sub-district, e.g. `35.19.09` Jiwan.
    Kecamatan,
    /// Village: a rural desa or an urban kelurahan.
    Desa,
    /// Rukun warga, a neighbourhood inside a desa.
    Rw,
    /// Rukun tetangga, a block inside an RW; the usual unit of a slum assessment.
    Rt,
}

impl Level {
    /// Every level, from the top down.
    pub const ALL: [Level; 6] = [
        Level::Provinsi,
        Level::Kabupaten,
        Level::Kecamatan,
        Level::Desa,
        Level::Rw,
        Level::Rt,
    ];

    /// The identifier used in URLs, files and table names.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Provinsi => "provinsi",
            Level::Kabupaten => "kabupaten",
            Level::Kecamatan => "kecamatan",
            Level::Desa => "desa",
            Level::Rw => "rw",
            Level::Rt => "rt",
        }
    }

    /// How many dot-separated segments a code of this level has.
    pub fn code_segments(self) -> usize {
        match self {
            Level::Provinsi => 1,
            Level::Kabupaten => 2,
            Level::Kecamatan => 3,
            Level::Desa => 4,
            Level::Rw => 5,
            Level::Rt => 6,
        }
    }

    /// The level above this one, if any.
    pub fn parent(self) -> Option<Level> {
        match self {
            Level::Provinsi => None,
            Level::Kabupaten => Some(Level::Provinsi),
            Level::Kecamatan => Some(Level::Kabupaten),
            Level::Desa => Some(Level::Kecamatan),
            Level::Rw => Some(Level::Desa),
            Level::Rt => Some(Level::Rw),
        }
    }

    /// A label for people, in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Level::Provinsi => "Provinsi",
            Level::Kabupaten => "Kabupaten/Kota",
            Level::Kecamatan => "Kecamatan",
            Level::Desa => "Desa/Kelurahan",
            Level::Rw => "RW",
            Level::Rt => "RT",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A level name that is not one of [`Level::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown level `{0}`: expected one of provinsi, kabupaten, kecamatan, desa, rw, rt")]
pub struct UnknownLevel(pub String);

impl FromStr for Level {
    type Err = UnknownLevel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "provinsi" => Ok(Level::Provinsi),
            "kabupaten" | "kota" => Ok(Level::Kabupaten),
            "kecamatan" => Ok(Level::Kecamatan),
            "desa" | "kelurahan" => Ok(Level::Desa),
            "rw" => Ok(Level::Rw),
            "rt" => Ok(Level::Rt),
            other => Err(UnknownLevel(other.to_owned())),
        }
    }
}

/// A Kemendagri place code such as `35.19.09.2014`, checked for shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Kode(String);

/// Why a string is not a place code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KodeError {
    /// The code is empty.
    #[error("the code is empty")]
    Empty,
    /// A segment holds something other than digits.
    #[error("code `{code}`: segment {segment} (`{value}`) must be digits only")]
    NotDigits {
        /// The whole code.
        code: String,
        /// One-based position of the bad segment.
        segment: usize,
        /// The bad segment.
        value: String,
    },
    /// Too many segments for any level.
    #[error("code `{0}` has more than 6 segments")]
    TooDeep(String),
    /// A segment has the wrong number of digits for its level.
    #[error(
        "code `{code}`: segment {segment} (`{value}`) must be {digits} digits, the {what} \
         (as in {example})"
    )]
    WrongLength {
        /// The whole code.
        code: String,
        /// One-based position of the bad segment.
        segment: usize,
        /// The bad segment.
        value: String,
        /// How many digits a segment at this position has.
        digits: usize,
        /// What the segment numbers, e.g. `desa number`.
        what: &'static str,
        /// A whole code of this depth, e.g. `35.19.09.2014`.
        example: &'static str,
    },
}

/// The shape of each segment of a code: its number of digits, what it numbers, and an
/// example code ending at that segment. Kemendagri codes have 2 digits for the
/// province, district and sub-district and 4 for the desa (`35.19.09.2014`); RW and RT
/// numbers are padded to 3 digits.
const SEGMENTS: [(usize, &str, &str); 6] = [
    (2, "province number", "35"),
    (2, "district number", "35.19"),
    (2, "sub-district number", "35.19.09"),
    (4, "desa number", "35.19.09.2014"),
    (3, "RW number", "35.19.09.2014.003"),
    (3, "RT number", "35.19.09.2014.003.009"),
];

impl std::str::FromStr for Kode {
    type Err = KodeError;
    fn from_str(s: &str) -> Result<Kode, KodeError> {
        Kode::parse(s)
    }
}

impl Kode {
    /// Parses and checks a code: one to six dot-separated segments of digits, each of
    /// the length its level has: `35`, `35.19`, `35.19.09`, `35.19.09.2014`,
    /// `35.19.09.2014.003`, `35.19.09.2014.003.009`. Spaces around the code are
    /// dropped.
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::{Kode, Level};
    /// let bibrik = Kode::parse("35.19.09.2014").unwrap();
    /// assert_eq!(bibrik.level(), Level::Desa);
    /// assert_eq!(bibrik.parent().unwrap().as_str(), "35.19.09");
    /// let e = Kode::parse("35.19.9.2014").unwrap_err();
    /// assert_eq!(
    ///     e.to_string(),
    ///     "code `35.19.9.2014`: segment 3 (`9`) must be 2 digits, the sub-district number \
    ///      (as in 35.19.09)"
    /// );
    /// ```
    pub fn parse(s: &str) -> Result<Kode, KodeError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(KodeError::Empty);
        }
        let segments: Vec<&str> = s.split('.').collect();
        if segments.len() > SEGMENTS.len() {
            return Err(KodeError::TooDeep(s.to_owned()));
        }
        for (i, (seg, &(digits, what, example))) in segments.iter().zip(&SEGMENTS).enumerate() {
            if seg.is_empty() || !seg.bytes().all(|b| b.is_ascii_digit()) {
                return Err(KodeError::NotDigits {
                    code: s.to_owned(),
                    segment: i + 1,
                    value: (*seg).to_owned(),
                });
            }
            if seg.len() != digits {
                return Err(KodeError::WrongLength {
                    code: s.to_owned(),
                    segment: i + 1,
                    value: (*seg).to_owned(),
                    digits,
                    what,
                    example,
                });
            }
        }
        Ok(Kode(s.to_owned()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level this code belongs to, from its number of segments.
    pub fn level(&self) -> Level {
        let n = self.0.split('.').count();
        Level::ALL[n.clamp(1, 6) - 1]
    }

    /// The code of the enclosing place: this code minus its last segment.
    pub fn parent(&self) -> Option<Kode> {
        self.0.rsplit_once('.').map(|(p, _)| Kode(p.to_owned()))
    }
}

impl TryFrom<String> for Kode {
    type Error = KodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Kode::parse(&value)
    }
}

impl From<Kode> for String {
    fn from(k: Kode) -> String {
        k.0
    }
}

impl fmt::Display for Kode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An administrative place with its boundary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Kemendagri code; determines the level and the parent.
    pub kode: Kode,
    /// BPS code where known.
    pub kode_bps: Option<String>,
    /// Official name.
    pub nama: String,
    /// Other spellings seen in the wild (e.g. `Klagenserut` for `Klagen Serut`).
    pub nama_alt: Vec<String>,
    /// Boundary in EPSG:4326; absent where no open boundary is known.
    pub geometry: Option<MultiPolygon<f64>>,
    /// Further attributes from the source, kept as they came.
    pub attributes: serde_json::Map<String, serde_json::Value>,
}

impl Place {
    /// The level of this place (from its code).
    pub fn level(&self) -> Level {
        self.kode.level()
    }

    /// A point inside the boundary (geo's interior point), for the place's map label; None
    /// without a boundary.
    pub fn label_point(&self) -> Option<geo_types::Point<f64>> {
        use geo::InteriorPoint;
        self.geometry.as_ref()?.interior_point()
    }

    /// Geodesic area of the boundary in hectares, if there is one, whatever the winding
    /// of its rings.
    pub fn area_ha(&self) -> Option<f64> {
        self.geometry
            .as_ref()
            .map(crate::geometry::geodesic_area_ha)
    }

    /// Brings the boundary to the RFC 7946 winding (exterior rings counter-clockwise,
    /// holes clockwise), as files in other windings (shapefiles: clockwise) arrive.
    /// Callers do this once the boundary has passed
    /// [`validate_area_geometry`](crate::geometry::validate_area_geometry).
    pub fn normalise_orientation(&mut self) {
        if let Some(g) = &mut self.geometry {
            crate::geometry::normalise_orientation(g);
        }
    }

    /// The summary of this place, without geometry.
    pub fn summary(&self) -> PlaceSummary {
        PlaceSummary {
            kode: self.kode.clone(),
            level: self.level(),
            parent: self.kode.parent(),
            kode_bps: self.kode_bps.clone(),
            nama: self.nama.clone(),
            nama_alt: self.nama_alt.clone(),
            area_ha: self.area_ha(),
        }
    }
}

/// A place without its geometry: what lists and searches return.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceSummary {
    /// Kemendagri code.
    pub kode: Kode,
    /// Level of the place.
    pub level: Level,
    /// Code of the enclosing place.
    pub parent: Option<Kode>,
    /// BPS code where known.
    pub kode_bps: Option<String>,
    /// Official name.
    pub nama: String,
    /// Other spellings.
    pub nama_alt: Vec<String>,
    /// Geodesic area in hectares, where the boundary is known.
    pub area_ha: Option<f64>,
}

/// The Bupati's decree (SK Kumuh) that fixes a slum location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkKumuh {
    /// Decree number, e.g. `118.45/325A/KPTS/402.013/2019`.
    pub nomor: String,
    /// Decree date, ISO 8601 (`2019-07-01`), where known.
    pub tanggal: Option<String>,
}

/// A slum location (lokasi kumuh): a delineated settlement polygon inside one desa,
/// covering one or more RTs, usually part of a named kawasan (cluster).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LokasiKumuh {
    /// The location's own code, unique in the atlas (e.g. `35.19.09.2005-K01`).
    pub kode: String,
    /// Name of the location.
    pub nama: String,
    /// Code of the desa the location lies in.
    pub kode_desa: Kode,
    /// Name of the kawasan (cluster of slum locations) it belongs to.
    pub kawasan: Option<String>,
    /// Codes of the RTs it covers.
    pub rt: Vec<Kode>,
    /// The decree that fixed it, if any.
    pub sk: Option<SkKumuh>,
    /// The delineation, EPSG:4326.
    pub geometry: MultiPolygon<f64>,
    /// Further attributes from the source.
    pub attributes: serde_json::Map<String, serde_json::Value>,
}

impl LokasiKumuh {
    /// Geodesic area of the delineation in hectares, whatever the winding of its rings.
    pub fn area_ha(&self) -> f64 {
        crate::geometry::geodesic_area_ha(&self.geometry)
    }

    /// Brings the delineation to the RFC 7946 winding, as [`Place::normalise_orientation`]
    /// does for a boundary.
    pub fn normalise_orientation(&mut self) {
        crate::geometry::normalise_orientation(&mut self.geometry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(code: &str, level: Level, parent: Option<&str>) {
        let k = Kode::parse(code).unwrap();
        assert_eq!(k.level(), level, "{code}");
        assert_eq!(k.parent().map(|p| p.0), parent.map(str::to_owned), "{code}");
    }

    #[test]
    fn codes_give_level_and_parent() {
        check("35", Level::Provinsi, None);
        check("35.19", Level::Kabupaten, Some("35"));
        check("35.19.09", Level::Kecamatan, Some("35.19"));
        check("35.19.09.2014", Level::Desa, Some("35.19.09"));
        check("35.19.09.2014.003", Level::Rw, Some("35.19.09.2014"));
        check(
            "35.19.09.2014.003.009",
            Level::Rt,
            Some("35.19.09.2014.003"),
        );
    }

    #[test]
    fn bad_codes_say_what_is_wrong() {
        assert_eq!(Kode::parse("  "), Err(KodeError::Empty));
        let e = Kode::parse("35.1a.09").unwrap_err();
        assert_eq!(
            e.to_string(),
            "code `35.1a.09`: segment 2 (`1a`) must be digits only"
        );
        assert!(Kode::parse("35..09").is_err());
        assert!(matches!(
            Kode::parse("1.2.3.4.5.6.7"),
            Err(KodeError::TooDeep(_))
        ));
    }

    #[test]
    fn every_level_has_its_shape() {
        let wrong = |code: &str, segment: usize, digits: usize| match Kode::parse(code) {
            Err(KodeError::WrongLength {
                segment: s,
                digits: d,
                ..
            }) => assert_eq!((s, d), (segment, digits), "{code}"),
            other => panic!("{code}: {other:?}"),
        };
        wrong("35.19.09.99999999999999999999", 4, 4);
        wrong("3", 1, 2);
        wrong("351", 1, 2);
        wrong("35.1", 2, 2);
        wrong("35.19.9", 3, 2);
        wrong("35.19.09.201", 4, 4);
        wrong("35.19.09.20144", 4, 4);
        wrong("35.19.09.2014.3", 5, 3);
        wrong("35.19.09.2014.003.9", 6, 3);
        wrong("35.19.09.2014.003.0009", 6, 3);
        let e = Kode::parse("35.19.09.99999999999999999999").unwrap_err();
        assert_eq!(
            e.to_string(),
            "code `35.19.09.99999999999999999999`: segment 4 (`99999999999999999999`) must be \
             4 digits, the desa number (as in 35.19.09.2014)"
        );
        for good in ["31", "31.01.01.1001", " 35.19.09.2014.003.009 "] {
            assert!(Kode::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn levels_parse_from_their_names_and_synonyms() {
        for level in Level::ALL {
            assert_eq!(level.as_str().parse::<Level>().unwrap(), level);
        }
        assert_eq!("Kelurahan".parse::<Level>().unwrap(), Level::Desa);
        assert!("dusun".parse::<Level>().is_err());
    }
}
