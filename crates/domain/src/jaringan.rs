//! Slum criteria derived from mapped road and drainage lines (jaringan: network).
//!
//! Four of the sixteen criteria of Permen PUPR 14/2018 are lengths in metres over an
//! ideal length (see [`crate::assessment`]):
//!
//! | code | criterion | volume |
//! |---|---|---|
//! | 2a | cakupan pelayanan jalan lingkungan | road length not served |
//! | 2b | kualitas permukaan jalan lingkungan | road length with a damaged surface |
//! | 4b | ketidaktersediaan drainase | length without drains |
//! | 4c | kualitas konstruksi drainase | drain length with damaged construction |
//!
//! A surveyor measures them on foot. When the roads and drains of a location are mapped
//! as lines ([`Ruas`]) with their condition ([`Kondisi`]), the same volumes can be read
//! off the map: [`derive_volumes`] clips every line by the location polygon and sums
//! the geodesic length inside by kind and condition. The planner then decides per
//! criterion whether an assessment uses the surveyed or the mapped value ([`Sumber`],
//! [`apply`]), and the record keeps both ([`Applied`]).
//!
//! Lines in bad shape never stop the computation: a line with an invalid coordinate,
//! no points or no length counts 0 m and is reported as an [`Issue`] in
//! [`DerivedVolumes::issues`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use geo::{BooleanOps, BoundingRect, Geodesic, Intersects, Length};
use geo_types::{Coord, LineString, MultiLineString, MultiPolygon};
use serde::{Deserialize, Serialize};

use crate::geometry::validate_area_geometry;

/// Code of criterion 2a, cakupan pelayanan jalan lingkungan (road length not served).
pub const KRITERIA_2A: &str = "2a";
/// Code of criterion 2b, kualitas permukaan jalan lingkungan (road length with a damaged
/// surface).
pub const KRITERIA_2B: &str = "2b";
/// Code of criterion 4b, ketidaktersediaan drainase (length without drains).
pub const KRITERIA_4B: &str = "4b";
/// Code of criterion 4c, kualitas konstruksi drainase (drain length with damaged
/// construction).
pub const KRITERIA_4C: &str = "4c";
/// Every criterion this module can derive, in rule-set order. The codes are the same in
/// Permen PUPR 14/2018 and 02/2016.
pub const KRITERIA: [&str; 4] = [KRITERIA_2A, KRITERIA_2B, KRITERIA_4B, KRITERIA_4C];

/// Why a value could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JaringanError {
    /// Text that is not a known condition.
    #[error(
        "unknown kondisi `{value}`; expected one of baik/good, sedang/fair, rusak ringan/minor \
         damage, rusak berat/rusak/poor/bad, tidak ada/none/missing"
    )]
    UnknownKondisi {
        /// The text as given.
        value: String,
    },
    /// Text that is not a known network kind.
    #[error("unknown jenis jaringan `{value}`; expected one of jalan/road, drainase/drain")]
    UnknownJenis {
        /// The text as given.
        value: String,
    },
    /// Text that is not a known source of a volume.
    #[error("unknown sumber `{value}`; expected one of survei/survey, peta/map")]
    UnknownSumber {
        /// The text as given.
        value: String,
    },
}

/// The result type of this module.
pub type Result<T, E = JaringanError> = std::result::Result<T, E>;

/// Lower-cases and trims text and treats `_`, `-` and runs of spaces alike, so that
/// `Rusak_Ringan`, `rusak-ringan` and `rusak  ringan` read the same.
fn normalise(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The kind of a mapped line: neighbourhood road or drain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum JenisJaringan {
    /// Jalan lingkungan: a neighbourhood road or footpath (criteria 2a, 2b).
    Jalan,
    /// Drainase lingkungan: a neighbourhood drain (criteria 4b, 4c).
    Drainase,
}

impl JenisJaringan {
    /// Both kinds.
    pub const ALL: [JenisJaringan; 2] = [JenisJaringan::Jalan, JenisJaringan::Drainase];

    /// The stable id used in files and tables: `jalan`, `drainase`.
    pub fn as_str(self) -> &'static str {
        match self {
            JenisJaringan::Jalan => "jalan",
            JenisJaringan::Drainase => "drainase",
        }
    }

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

impl fmt::Display for JenisJaringan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for JenisJaringan {
    type Err = JaringanError;
    fn from_str(s: &str) -> Result<JenisJaringan> {
        JenisJaringan::parse(s)
    }
}

impl TryFrom<String> for JenisJaringan {
    type Error = JaringanError;
    fn try_from(s: String) -> Result<JenisJaringan> {
        JenisJaringan::parse(&s)
    }
}

/// The condition of a mapped road or drain, or the mark that one is missing.
///
/// # What counts as damaged (rusak)
/// Criterion 2b, *kualitas permukaan jalan lingkungan*, counts the road length whose
/// surface is damaged, and criterion 4c, *kualitas konstruksi drainase*, the drain
/// length whose construction is damaged. [`Kondisi::RusakRingan`] and
/// [`Kondisi::RusakBerat`] are damage and count ([`Kondisi::is_rusak`]).
/// [`Kondisi::Sedang`] (fair) does not: it describes a road or drain that is worn but
/// whose surface or construction is not damaged, so counting it would score a location
/// for wear the criteria do not name. [`Kondisi::TidakAda`] does not count either: a
/// missing road has no surface and a missing drain no construction; its length belongs
/// to the coverage criteria 2a and 4b instead.
///
/// This is the condition of a mapped line for the assessment; the before and after state
/// of a work ([`crate::works::Kondisi`]) is a separate, coarser scale.
///
/// # Examples
/// ```
/// use kumuh_domain::jaringan::Kondisi;
/// assert_eq!(Kondisi::parse("Rusak Ringan").unwrap(), Kondisi::RusakRingan);
/// assert_eq!(Kondisi::parse("poor").unwrap(), Kondisi::RusakBerat);
/// assert!(Kondisi::RusakRingan.is_rusak());
/// assert!(!Kondisi::Sedang.is_rusak());
/// let err = Kondisi::parse("hancur").unwrap_err();
/// assert!(err.to_string().contains("`hancur`"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum Kondisi {
    /// Good.
    Baik,
    /// Fair: worn, but the surface or construction is not damaged.
    Sedang,
    /// Minor damage (potholes, cracked or broken lining in places).
    RusakRingan,
    /// Heavy damage: the surface or construction is mostly broken.
    RusakBerat,
    /// Mapped as missing: the alignment where a road or drain is needed but none exists.
    TidakAda,
}

impl Kondisi {
    /// Every condition, from good to missing.
    pub const ALL: [Kondisi; 5] = [
        Kondisi::Baik,
        Kondisi::Sedang,
        Kondisi::RusakRingan,
        Kondisi::RusakBerat,
        Kondisi::TidakAda,
    ];

    /// The stable id used in files and tables: `baik`, `sedang`, `rusak_ringan`,
    /// `rusak_berat`, `tidak_ada`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kondisi::Baik => "baik",
            Kondisi::Sedang => "sedang",
            Kondisi::RusakRingan => "rusak_ringan",
            Kondisi::RusakBerat => "rusak_berat",
            Kondisi::TidakAda => "tidak_ada",
        }
    }

    /// Reads a condition in Indonesian or English. Case, spaces, `_` and `-` do not
    /// matter.
    ///
    /// | condition | accepted |
    /// |---|---|
    /// | [`Kondisi::Baik`] | `baik`, `good` |
    /// | [`Kondisi::Sedang`] | `sedang`, `fair` |
    /// | [`Kondisi::RusakRingan`] | `rusak ringan`, `rusak_ringan`, `minor damage` |
    /// | [`Kondisi::RusakBerat`] | `rusak berat`, `rusak`, `poor`, `bad` |
    /// | [`Kondisi::TidakAda`] | `tidak ada`, `none`, `missing` |
    ///
    /// Plain `rusak` reads as heavy damage because forms that know only one grade of
    /// damage use it for a surface or construction that no longer serves.
    pub fn parse(text: &str) -> Result<Kondisi> {
        match normalise(text).as_str() {
            "baik" | "good" => Ok(Kondisi::Baik),
            "sedang" | "fair" => Ok(Kondisi::Sedang),
            "rusak ringan" | "minor damage" => Ok(Kondisi::RusakRingan),
            "rusak berat" | "rusak" | "poor" | "bad" => Ok(Kondisi::RusakBerat),
            "tidak ada" | "none" | "missing" => Ok(Kondisi::TidakAda),
            _ => Err(JaringanError::UnknownKondisi {
                value: text.to_owned(),
            }),
        }
    }

    /// Whether the length counts as damaged for criteria 2b and 4c: minor and heavy
    /// damage do, good, fair and missing do not (see the type's documentation).
    pub fn is_rusak(self) -> bool {
        matches!(self, Kondisi::RusakRingan | Kondisi::RusakBerat)
    }

    /// Whether a road or drain exists along the line (every condition but
    /// [`Kondisi::TidakAda`]).
    pub fn ada(self) -> bool {
        self != Kondisi::TidakAda
    }
}

impl fmt::Display for Kondisi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kondisi {
    type Err = JaringanError;
    fn from_str(s: &str) -> Result<Kondisi> {
        Kondisi::parse(s)
    }
}

impl TryFrom<String> for Kondisi {
    type Error = JaringanError;
    fn try_from(s: String) -> Result<Kondisi> {
        Kondisi::parse(&s)
    }
}

/// A mapped line (ruas: stretch) of road or drain with one condition along it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ruas {
    /// The line's code, unique within a location's map (e.g. `J-03`); issues name it.
    pub kode: String,
    /// Road or drain.
    pub jenis: JenisJaringan,
    /// Condition along the whole line.
    pub kondisi: Kondisi,
    /// The line in EPSG:4326 (longitude, latitude in degrees).
    pub geometry: MultiLineString<f64>,
    /// Illustrative, not surveyed: the line stands in for one nobody has mapped yet.
    pub contoh: bool,
}

impl Ruas {
    /// A surveyed (not illustrative) line.
    pub fn new(
        kode: impl Into<String>,
        jenis: JenisJaringan,
        kondisi: Kondisi,
        geometry: impl Into<MultiLineString<f64>>,
    ) -> Ruas {
        Ruas {
            kode: kode.into(),
            jenis,
            kondisi,
            geometry: geometry.into(),
            contoh: false,
        }
    }
}

/// How much of one line lies inside the location.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuasLength {
    /// The line's code.
    pub kode: String,
    /// Road or drain.
    pub jenis: JenisJaringan,
    /// Its condition.
    pub kondisi: Kondisi,
    /// Geodesic length inside the location, metres; 0 for a line outside or unusable.
    pub inside_m: f64,
    /// Geodesic length of the whole line, metres; 0 for an unusable line.
    pub total_m: f64,
    /// Whether the line is illustrative.
    pub contoh: bool,
}

/// Something wrong with the location or a line that the derivation went past. Every
/// variant says what was counted instead.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Issue {
    /// The location has no polygon with points: every length is 0.
    LocationEmpty,
    /// A vertex of the location is not a finite longitude/latitude: every length is 0.
    LocationCoordinate {
        /// Zero-based index of the polygon inside the multipolygon.
        polygon: usize,
        /// `None` for the exterior ring, `Some(i)` for the i-th hole.
        ring: Option<usize>,
        /// Zero-based index of the vertex.
        vertex: usize,
        /// What is wrong.
        detail: String,
    },
    /// One polygon of the location has no area (its corners lie on one line, or it has
    /// no points): it was left out.
    LocationNoArea {
        /// Zero-based index of the polygon inside the multipolygon.
        polygon: usize,
    },
    /// The location breaks a validity rule (a self-intersection, a hole outside its
    /// shell, too few points); lengths were still clipped, reading overlapping parts
    /// with the even-odd rule, and may be off.
    LocationInvalid {
        /// What is wrong, from [`validate_area_geometry`].
        detail: String,
    },
    /// The line has no points: it counts 0 m.
    RuasEmpty {
        /// The line's code.
        kode: String,
    },
    /// A vertex of the line is not a finite longitude/latitude: the whole line counts
    /// 0 m, since the other vertices are suspect too (swapped axes, wrong projection).
    RuasCoordinate {
        /// The line's code.
        kode: String,
        /// Zero-based index of the part inside the multiline.
        part: usize,
        /// Zero-based index of the vertex inside the part.
        vertex: usize,
        /// What is wrong.
        detail: String,
    },
    /// One part of the line has fewer than two distinct points; it was left out and
    /// the other parts counted.
    RuasDegeneratePart {
        /// The line's code.
        kode: String,
        /// Zero-based index of the part.
        part: usize,
    },
    /// The line has points but no length: it counts 0 m.
    RuasZeroLength {
        /// The line's code.
        kode: String,
    },
    /// Two or more lines share a code; all were counted, and if they are the same line
    /// mapped twice its length is counted twice.
    DuplicateKode {
        /// The shared code.
        kode: String,
    },
}

impl Issue {
    /// A stable identifier of the kind of issue, e.g. `ruas_zero_length`.
    pub fn kind(&self) -> &'static str {
        match self {
            Issue::LocationEmpty => "location_empty",
            Issue::LocationCoordinate { .. } => "location_coordinate",
            Issue::LocationNoArea { .. } => "location_no_area",
            Issue::LocationInvalid { .. } => "location_invalid",
            Issue::RuasEmpty { .. } => "ruas_empty",
            Issue::RuasCoordinate { .. } => "ruas_coordinate",
            Issue::RuasDegeneratePart { .. } => "ruas_degenerate_part",
            Issue::RuasZeroLength { .. } => "ruas_zero_length",
            Issue::DuplicateKode { .. } => "duplicate_kode",
        }
    }

    /// The code of the line the issue is about, if it is about one.
    pub fn kode(&self) -> Option<&str> {
        match self {
            Issue::RuasEmpty { kode }
            | Issue::RuasCoordinate { kode, .. }
            | Issue::RuasDegeneratePart { kode, .. }
            | Issue::RuasZeroLength { kode }
            | Issue::DuplicateKode { kode } => Some(kode),
            Issue::LocationEmpty
            | Issue::LocationCoordinate { .. }
            | Issue::LocationNoArea { .. }
            | Issue::LocationInvalid { .. } => None,
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Issue::LocationEmpty => {
                f.write_str("the location geometry is empty; every length counts 0 m")
            }
            Issue::LocationCoordinate {
                polygon,
                ring,
                vertex,
                detail,
            } => {
                write!(f, "location polygon {polygon}, ")?;
                match ring {
                    None => f.write_str("exterior ring")?,
                    Some(i) => write!(f, "interior ring {i}")?,
                }
                write!(f, ", vertex {vertex}: {detail}; every length counts 0 m")
            }
            Issue::LocationNoArea { polygon } => {
                write!(f, "location polygon {polygon} has no area; it was left out")
            }
            Issue::LocationInvalid { detail } => write!(
                f,
                "location geometry is not valid ({detail}); lengths were clipped anyway and \
                 may be off"
            ),
            Issue::RuasEmpty { kode } => write!(f, "ruas `{kode}` has no points; it counts 0 m"),
            Issue::RuasCoordinate {
                kode,
                part,
                vertex,
                detail,
            } => write!(
                f,
                "ruas `{kode}`, part {part}, vertex {vertex}: {detail}; the line counts 0 m"
            ),
            Issue::RuasDegeneratePart { kode, part } => write!(
                f,
                "ruas `{kode}`, part {part}: fewer than two distinct points; the part was left \
                 out"
            ),
            Issue::RuasZeroLength { kode } => {
                write!(f, "ruas `{kode}` has no length; it counts 0 m")
            }
            Issue::DuplicateKode { kode } => write!(
                f,
                "more than one ruas has the code `{kode}`; all were counted"
            ),
        }
    }
}

/// Lengths of the mapped network inside one location, in metres, and the criterion
/// volumes they give.
///
/// | field | meaning | feeds |
/// |---|---|---|
/// | `jalan_m` | existing road, any condition but tidak ada | makes 2b derivable |
/// | `jalan_rusak_m` | road with minor or heavy damage | volume of 2b |
/// | `jalan_tidak_ada_m` | road mapped as missing | volume of 2a, if coverage mapped |
/// | `drainase_m` | existing drain, any condition but tidak ada | makes 4c derivable |
/// | `drainase_rusak_m` | drain with minor or heavy damage | volume of 4c |
/// | `drainase_tidak_ada_m` | drain mapped as missing | volume of 4b, if coverage mapped |
///
/// `jalan_m + jalan_tidak_ada_m` is the mapped road network the location needs; where
/// coverage was mapped it is a check on the ideal road length (panjang jalan lingkungan
/// ideal), and likewise for drains.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DerivedVolumes {
    /// Existing road inside the location (baik, sedang, rusak ringan, rusak berat), m.
    pub jalan_m: f64,
    /// Road inside with a damaged surface (rusak ringan, rusak berat), m: volume of 2b.
    pub jalan_rusak_m: f64,
    /// Road inside mapped as missing (tidak ada), m: volume of 2a when
    /// [`coverage_mapped_jalan`](Self::coverage_mapped_jalan).
    pub jalan_tidak_ada_m: f64,
    /// Existing drain inside the location, m.
    pub drainase_m: f64,
    /// Drain inside with damaged construction, m: volume of 4c.
    pub drainase_rusak_m: f64,
    /// Drain inside mapped as missing, m: volume of 4b when
    /// [`coverage_mapped_drainase`](Self::coverage_mapped_drainase).
    pub drainase_tidak_ada_m: f64,
    /// Whether the roads the location lacks were mapped, so that 2a can be read from the
    /// map: true when a road line mapped as missing lies inside, or when set with
    /// [`DerivedVolumes::with_coverage_mapped`].
    pub coverage_mapped_jalan: bool,
    /// Whether the drains the location lacks were mapped, so that 4b can be read from
    /// the map; as for roads.
    pub coverage_mapped_drainase: bool,
    /// Whether some road length inside comes from illustrative lines.
    pub contoh_jalan: bool,
    /// Whether some drain length inside comes from illustrative lines.
    pub contoh_drainase: bool,
    /// Every line given, in input order, with its length inside and in total.
    pub per_ruas: Vec<RuasLength>,
    /// Data problems the derivation went past.
    pub issues: Vec<Issue>,
}

impl DerivedVolumes {
    /// Marks the coverage of one kind as mapped although no line mapped as missing may
    /// lie inside: the mapper states that every gap of that kind was drawn, so the map
    /// gives 2a (roads) or 4b (drains) as the missing length, 0 m when there is none.
    pub fn with_coverage_mapped(mut self, jenis: JenisJaringan) -> DerivedVolumes {
        match jenis {
            JenisJaringan::Jalan => self.coverage_mapped_jalan = true,
            JenisJaringan::Drainase => self.coverage_mapped_drainase = true,
        }
        self
    }

    /// The criterion volumes the map can give, as (criterion code, metres), in the order
    /// 2a, 2b, 4b, 4c:
    /// - 2a (`jalan_tidak_ada_m`) and 4b (`drainase_tidak_ada_m`) only when coverage of
    ///   that kind was mapped, since a map without missing alignments cannot tell "no
    ///   gap" from "gaps not drawn";
    /// - 2b (`jalan_rusak_m`) and 4c (`drainase_rusak_m`) only when some existing line of
    ///   that kind lies inside, since a map without existing roads says nothing about
    ///   their surface.
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::jaringan::{DerivedVolumes, JenisJaringan};
    /// let d = DerivedVolumes { jalan_m: 120.0, jalan_rusak_m: 30.0, ..Default::default() };
    /// assert_eq!(d.volumes(), vec![("2b", 30.0)]);
    /// let d = d.with_coverage_mapped(JenisJaringan::Jalan);
    /// assert_eq!(d.volumes(), vec![("2a", 0.0), ("2b", 30.0)]);
    /// ```
    pub fn volumes(&self) -> Vec<(&'static str, f64)> {
        let mut v = Vec::with_capacity(4);
        if self.coverage_mapped_jalan {
            v.push((KRITERIA_2A, self.jalan_tidak_ada_m));
        }
        if self.jalan_m > 0.0 {
            v.push((KRITERIA_2B, self.jalan_rusak_m));
        }
        if self.coverage_mapped_drainase {
            v.push((KRITERIA_4B, self.drainase_tidak_ada_m));
        }
        if self.drainase_m > 0.0 {
            v.push((KRITERIA_4C, self.drainase_rusak_m));
        }
        v
    }

    /// The volume the map gives for one criterion, in metres, if it can give one.
    pub fn volume(&self, criterion: &str) -> Option<f64> {
        self.volumes()
            .into_iter()
            .find(|(code, _)| *code == criterion)
            .map(|(_, m)| m)
    }

    /// Whether the map value of a criterion rests in part on illustrative lines.
    pub fn contoh_for(&self, criterion: &str) -> bool {
        match criterion {
            KRITERIA_2A | KRITERIA_2B => self.contoh_jalan,
            KRITERIA_4B | KRITERIA_4C => self.contoh_drainase,
            _ => false,
        }
    }

    fn add(&mut self, jenis: JenisJaringan, kondisi: Kondisi, length_m: f64, contoh: bool) {
        let (ada, rusak, tidak_ada, coverage, contoh_flag) = match jenis {
            JenisJaringan::Jalan => (
                &mut self.jalan_m,
                &mut self.jalan_rusak_m,
                &mut self.jalan_tidak_ada_m,
                &mut self.coverage_mapped_jalan,
                &mut self.contoh_jalan,
            ),
            JenisJaringan::Drainase => (
                &mut self.drainase_m,
                &mut self.drainase_rusak_m,
                &mut self.drainase_tidak_ada_m,
                &mut self.coverage_mapped_drainase,
                &mut self.contoh_drainase,
            ),
        };
        if kondisi.ada() {
            *ada += length_m;
        } else {
            *tidak_ada += length_m;
            *coverage = true;
        }
        if kondisi.is_rusak() {
            *rusak += length_m;
        }
        *contoh_flag |= contoh;
    }
}

/// Clips every line by the location and sums the geodesic length inside, in metres, by
/// kind and condition.
///
/// A line crossing the boundary counts only its part inside; a line outside counts 0 m.
/// The boundary belongs to the location: a line that only touches it counts 0 m, but a
/// line running along it counts in full, for each of the two locations it separates.
/// Parts of one line that lie over each other are merged by the clipper and count
/// once; separate lines drawn over each other count each time (a repeated code is
/// reported). Lengths are measured on the WGS84 ellipsoid (Karney's algorithm through
/// `geo`).
///
/// Never fails: an empty location or one with a non-finite or out-of-range vertex gives
/// 0 m everywhere; a polygon of the location without area is left out; a line with no
/// points, no length or a bad vertex counts 0 m; each is listed in
/// [`DerivedVolumes::issues`].
///
/// # Examples
/// ```
/// use geo_types::{line_string, polygon, MultiLineString, MultiPolygon};
/// use kumuh_domain::jaringan::{derive_volumes, JenisJaringan, Kondisi, Ruas};
/// // About 100 m × 100 m near Jiwan (0.0009° ≈ 100 m).
/// let square = MultiPolygon(vec![polygon![
///     (x: 111.49, y: -7.65), (x: 111.4909, y: -7.65),
///     (x: 111.4909, y: -7.6491), (x: 111.49, y: -7.6491)]]);
/// // A damaged road from 50 m west of the square to its middle.
/// let road = line_string![(x: 111.48955, y: -7.64955), (x: 111.49045, y: -7.64955)];
/// let ruas = [Ruas::new("J-01", JenisJaringan::Jalan, Kondisi::RusakRingan,
///                       MultiLineString(vec![road]))];
/// let d = derive_volumes(&square, &ruas);
/// assert!((d.jalan_rusak_m - 49.6).abs() < 0.5, "{}", d.jalan_rusak_m);
/// assert_eq!(d.volumes(), vec![("2b", d.jalan_rusak_m)]);
/// assert!(d.issues.is_empty());
/// ```
pub fn derive_volumes(location: &MultiPolygon<f64>, ruas: &[Ruas]) -> DerivedVolumes {
    let mut out = DerivedVolumes::default();
    let location = check_location(location, &mut out.issues);
    let location_rect = location.as_ref().and_then(|l| l.bounding_rect());

    let mut seen = BTreeSet::new();
    let mut reported = BTreeSet::new();
    for r in ruas {
        if !seen.insert(r.kode.as_str()) && reported.insert(r.kode.as_str()) {
            out.issues.push(Issue::DuplicateKode {
                kode: r.kode.clone(),
            });
        }
    }

    for r in ruas {
        let (lines, total_m) = usable_lines(r, &mut out.issues);
        let inside_m = match (&location, location_rect, lines.0.is_empty()) {
            (Some(location), Some(rect), false) => inside_length_m(location, rect, &lines, total_m),
            _ => 0.0,
        };
        if inside_m > 0.0 {
            out.add(r.jenis, r.kondisi, inside_m, r.contoh);
        }
        out.per_ruas.push(RuasLength {
            kode: r.kode.clone(),
            jenis: r.jenis,
            kondisi: r.kondisi,
            inside_m,
            total_m,
            contoh: r.contoh,
        });
    }
    out
}

/// Geodesic length of the part of `lines` inside `location`, in metres.
fn inside_length_m(
    location: &MultiPolygon<f64>,
    location_rect: geo_types::Rect<f64>,
    lines: &MultiLineString<f64>,
    total_m: f64,
) -> f64 {
    // Skipping lines whose box misses the location is cheaper than clipping them, and
    // keeps the clipper's integer grid (2^29 steps over the joint extent) fine.
    match lines.bounding_rect() {
        Some(r) if r.intersects(&location_rect) => {}
        _ => return 0.0,
    }
    let clipped = location.clip(lines, false);
    let inside_m = Geodesic.length(&clipped);
    // The clipper snaps vertices to its integer grid, so a line wholly inside can come
    // back a few nanometres longer than it is; the part inside can never be longer than
    // the whole.
    if inside_m.is_finite() {
        inside_m.clamp(0.0, total_m)
    } else {
        0.0
    }
}

/// Checks the location and returns the polygons lines can be clipped by, or `None` when
/// there are none.
fn check_location(
    location: &MultiPolygon<f64>,
    issues: &mut Vec<Issue>,
) -> Option<MultiPolygon<f64>> {
    if location.0.iter().all(|p| p.exterior().0.is_empty()) {
        issues.push(Issue::LocationEmpty);
        return None;
    }
    let mut coordinates_ok = true;
    for (pi, poly) in location.0.iter().enumerate() {
        let rings = std::iter::once((None, poly.exterior())).chain(
            poly.interiors()
                .iter()
                .enumerate()
                .map(|(i, r)| (Some(i), r)),
        );
        for (ring, ls) in rings {
            for (vi, c) in ls.0.iter().enumerate() {
                if let Some(detail) = crate::geometry::coord_problem(*c) {
                    issues.push(Issue::LocationCoordinate {
                        polygon: pi,
                        ring,
                        vertex: vi,
                        detail,
                    });
                    coordinates_ok = false;
                }
            }
        }
    }
    if !coordinates_ok {
        return None;
    }
    // The clipper keeps lines on the boundary, so a polygon without area (its corners
    // on one line) would count a road drawn along it although nothing lies inside.
    let mut kept = Vec::with_capacity(location.0.len());
    let mut kept_index = Vec::with_capacity(location.0.len());
    for (pi, poly) in location.0.iter().enumerate() {
        if spans_area(poly.exterior()) {
            kept.push(poly.clone());
            kept_index.push(pi);
        } else {
            issues.push(Issue::LocationNoArea { polygon: pi });
        }
    }
    if kept.is_empty() {
        return None;
    }
    let kept = MultiPolygon(kept);
    // Only OGC validity is left to check, and the clipper copes with it. The issues
    // must name polygons as the caller numbers them, not as they are numbered in `kept`.
    issues.extend(validate_area_geometry(&kept).into_iter().map(|mut i| {
        i.polygon = kept_index.get(i.polygon).copied().unwrap_or(i.polygon);
        Issue::LocationInvalid {
            detail: i.to_string(),
        }
    }));
    Some(kept)
}

/// Whether a ring has three points off one line. The signed area cannot tell: a bow-tie's
/// two halves cancel to 0 although it covers ground.
fn spans_area(ring: &LineString<f64>) -> bool {
    let Some(&a) = ring.0.first() else {
        return false;
    };
    let Some(b) = ring.0.iter().copied().find(|&c| c != a) else {
        return false;
    };
    let ab = b - a;
    ring.0.iter().any(|&c| {
        let ac = c - a;
        let cross = ab.x * ac.y - ab.y * ac.x;
        // Relative to the lengths, so the test means "an angle above about 1e-12
        // radians" whatever the size of the polygon.
        cross.abs() > 1e-12 * ab.x.hypot(ab.y) * ac.x.hypot(ac.y)
    })
}

/// The parts of a line that can be clipped and measured, and their geodesic length in
/// metres; reports what was left out.
fn usable_lines(r: &Ruas, issues: &mut Vec<Issue>) -> (MultiLineString<f64>, f64) {
    let none = (MultiLineString(Vec::new()), 0.0);
    if r.geometry.0.iter().all(|ls| ls.0.is_empty()) {
        issues.push(Issue::RuasEmpty {
            kode: r.kode.clone(),
        });
        return none;
    }
    for (part, ls) in r.geometry.0.iter().enumerate() {
        if let Some((vertex, detail)) =
            ls.0.iter()
                .enumerate()
                .find_map(|(vi, c)| crate::geometry::coord_problem(*c).map(|d| (vi, d)))
        {
            issues.push(Issue::RuasCoordinate {
                kode: r.kode.clone(),
                part,
                vertex,
                detail,
            });
            return none;
        }
    }
    let mut kept: Vec<LineString<f64>> = Vec::with_capacity(r.geometry.0.len());
    let mut degenerate = Vec::new();
    let mut total_m = 0.0;
    for (part, ls) in r.geometry.0.iter().enumerate() {
        let length_m = Geodesic.length(ls);
        if length_m > 0.0 {
            total_m += length_m;
            kept.push(ls.clone());
        } else {
            degenerate.push(part);
        }
    }
    if kept.is_empty() {
        issues.push(Issue::RuasZeroLength {
            kode: r.kode.clone(),
        });
        return none;
    }
    issues.extend(
        degenerate
            .into_iter()
            .map(|part| Issue::RuasDegeneratePart {
                kode: r.kode.clone(),
                part,
            }),
    );
    (MultiLineString(kept), total_m)
}

/// Where an assessment's volume for a criterion comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum Sumber {
    /// Survei: measured in the field, as recorded in the assessment.
    Survei,
    /// Peta: derived from the mapped lines ([`derive_volumes`]).
    Peta,
}

impl Sumber {
    /// The stable id used in files and tables: `survei`, `peta`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sumber::Survei => "survei",
            Sumber::Peta => "peta",
        }
    }

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

impl fmt::Display for Sumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Sumber {
    type Err = JaringanError;
    fn from_str(s: &str) -> Result<Sumber> {
        Sumber::parse(s)
    }
}

impl TryFrom<String> for Sumber {
    type Error = JaringanError;
    fn try_from(s: String) -> Result<Sumber> {
        Sumber::parse(&s)
    }
}

/// The planner's choice of source per criterion code (`2a`, `2b`, `4b`, `4c`, as in the
/// rule set, lower case). A criterion without a choice keeps its surveyed value.
pub type Choices = BTreeMap<String, Sumber>;

/// What [`apply`] did for one criterion; store it with the assessment so the record says
/// where each volume came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applied {
    /// Criterion code.
    pub criterion: String,
    /// The surveyed volume that was in the input before, in metres, if any.
    pub survei: Option<f64>,
    /// The volume the map gives, in metres, if it can give one.
    pub peta: Option<f64>,
    /// The source the planner chose (survei when no choice was made).
    pub chosen: Sumber,
    /// The source of the volume the assessment now holds. It differs from `chosen` only
    /// when the map was chosen but cannot give the criterion; the surveyed value (or its
    /// absence) then stays.
    pub used: Sumber,
    /// Whether the map value rests in part on illustrative (contoh) lines.
    pub peta_contoh: bool,
}

/// Puts the chosen map volumes into a map of volumes by criterion code and records, for
/// every criterion the map can give or the planner made a choice for, which value is
/// used. The map never replaces or fills a volume unless the planner chose it, so an
/// assessment stays a record of the survey unless stated otherwise.
///
/// To use with an assessment, pass its volumes: `apply(&mut input.volumes, &derived,
/// &choices)` on an [`AssessmentInput`](crate::assessment::AssessmentInput), then
/// [`assess`](crate::assessment::assess) it and store the returned [`Applied`] list with
/// the result.
///
/// # Examples
/// ```
/// use std::collections::BTreeMap;
/// use kumuh_domain::Kode;
/// use kumuh_domain::assessment::{AssessmentInput, RuleSet, assess};
/// use kumuh_domain::jaringan::{apply, DerivedVolumes, Sumber};
///
/// let mut input = AssessmentInput::new("35.19.09.2014-K01", Kode::parse("35.19.09.2014").unwrap(), 2024);
/// input.panjang_jalan_ideal_m = 400.0;
/// input.volumes = BTreeMap::from([("2b".to_owned(), 80.0)]);
/// let derived = DerivedVolumes { jalan_m: 380.0, jalan_rusak_m: 210.0, ..Default::default() };
/// let choices = BTreeMap::from([("2b".to_owned(), Sumber::Peta)]);
///
/// let applied = apply(&mut input.volumes, &derived, &choices);
/// assert_eq!(applied[0].survei, Some(80.0));
/// assert_eq!(applied[0].used, Sumber::Peta);
/// let result = assess(&RuleSet::default_rules(), &input);
/// assert_eq!(result.criterion("2b").unwrap().score, 3); // 210 m of 400 m: 52.5 %
/// ```
pub fn apply(
    volumes: &mut BTreeMap<String, f64>,
    derived: &DerivedVolumes,
    choices: &Choices,
) -> Vec<Applied> {
    let peta: BTreeMap<&str, f64> = derived.volumes().into_iter().collect();
    let codes: BTreeSet<&str> = peta
        .keys()
        .copied()
        .chain(choices.keys().map(String::as_str))
        .collect();
    codes
        .into_iter()
        .map(|code| {
            let survei = volumes.get(code).copied();
            let peta_m = peta.get(code).copied();
            let chosen = choices.get(code).copied().unwrap_or(Sumber::Survei);
            let used = match (chosen, peta_m) {
                (Sumber::Peta, Some(m)) => {
                    volumes.insert(code.to_owned(), m);
                    Sumber::Peta
                }
                _ => Sumber::Survei,
            };
            Applied {
                criterion: code.to_owned(),
                survei,
                peta: peta_m,
                chosen,
                used,
                peta_contoh: peta_m.is_some() && derived.contoh_for(code),
            }
        })
        .collect()
}

/// How far, in metres, a mapped line may lie from a work's line and still count as the
/// same road or drain (the width of a neighbourhood road, with mapping error).
pub const SEJAJAR_M: f64 = 5.0;

/// The share of a mapped line's length that a work's line runs along, of at least
/// [`SEPANJANG_MIN`] to count the line as rebuilt by the work.
pub const SEPANJANG_MIN: f64 = 0.5;

/// A mapped line that a work's line runs along.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sepanjang {
    /// The line's code.
    pub kode: String,
    /// Its condition as mapped.
    pub kondisi: Kondisi,
    /// The share (0 to 1) of its geodesic length within [`SEJAJAR_M`] of the work's line.
    pub bagian: f64,
    /// Its geodesic length, metres.
    pub panjang_m: f64,
}

impl Sepanjang {
    /// Whether the work covers enough of it ([`SEPANJANG_MIN`]) to rebuild it.
    pub fn tertangani(&self) -> bool {
        self.bagian >= SEPANJANG_MIN
    }
}

/// The kind of line a work on these criteria builds: roads for 2a/2b, drains for 4b/4c,
/// none for anything else (or a mix of both).
pub fn jenis_for_kriteria<'a>(
    kriteria: impl IntoIterator<Item = &'a str>,
) -> Option<JenisJaringan> {
    let mut jenis = None;
    for k in kriteria {
        let this = match k {
            KRITERIA_2A | KRITERIA_2B => JenisJaringan::Jalan,
            KRITERIA_4B | KRITERIA_4C => JenisJaringan::Drainase,
            _ => continue,
        };
        if jenis.is_some_and(|j| j != this) {
            return None;
        }
        jenis = Some(this);
    }
    jenis
}

/// The mapped lines of kind `jenis` that `line` (a work's line) runs along: for each line
/// with any part within [`SEJAJAR_M`] of it, the share of its length that is, measured on
/// points every metre along it. Distances are taken in a local plane at each point, exact
/// enough at these few metres. Lines with bad coordinates are left out.
///
/// # Examples
/// ```
/// use geo_types::{line_string, MultiLineString};
/// use kumuh_domain::jaringan::{lines_along, JenisJaringan, Kondisi, Ruas};
/// // A 170 m paving over the first half of a 340 m road mapped 2 m beside it.
/// let work = MultiLineString(vec![line_string![(x: 111.4900, y: -7.576), (x: 111.491542, y: -7.576)]]);
/// let road = Ruas::new("J-01", JenisJaringan::Jalan, Kondisi::RusakBerat,
///     line_string![(x: 111.4900, y: -7.575982), (x: 111.493084, y: -7.575982)]);
/// let along = lines_along(&work, JenisJaringan::Jalan, &[road]);
/// assert_eq!(along.len(), 1);
/// // Half the road, and the few metres past the work's end within the tolerance.
/// assert!(along[0].bagian > 0.5 && along[0].bagian < 0.52, "{}", along[0].bagian);
/// ```
pub fn lines_along(
    line: &MultiLineString<f64>,
    jenis: JenisJaringan,
    ruas: &[Ruas],
) -> Vec<Sepanjang> {
    let work: Vec<[Coord<f64>; 2]> = line
        .0
        .iter()
        .flat_map(|l| l.0.windows(2).map(|w| [w[0], w[1]]))
        .filter(|[a, b]| {
            crate::geometry::coord_problem(*a).is_none()
                && crate::geometry::coord_problem(*b).is_none()
        })
        .collect();
    let Some(reach) = work_box(&work) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for r in ruas.iter().filter(|r| r.jenis == jenis) {
        let near = r.geometry.bounding_rect().is_some_and(|b| {
            crate::geometry::bbox_intersects([b.min().x, b.min().y, b.max().x, b.max().y], reach)
        });
        if !near {
            continue;
        }
        // The parts with length, none for a line with a bad coordinate.
        let (lines, _) = usable_lines(r, &mut Vec::new());
        let (mut total, mut inside) = (0.0, 0.0);
        for l in &lines.0 {
            for w in l.0.windows(2) {
                let length = Geodesic.length(&LineString::new(vec![w[0], w[1]]));
                if length <= 0.0 {
                    continue;
                }
                let steps = length.ceil().max(1.0);
                let part = length / steps;
                // Sample the middle of each metre of the edge.
                for i in 0..steps as usize {
                    let t = (i as f64 + 0.5) / steps;
                    let p = Coord {
                        x: w[0].x + (w[1].x - w[0].x) * t,
                        y: w[0].y + (w[1].y - w[0].y) * t,
                    };
                    total += part;
                    if work.iter().any(|e| distance_m(p, e) <= SEJAJAR_M) {
                        inside += part;
                    }
                }
            }
        }
        if inside > 0.0 && total > 0.0 {
            out.push(Sepanjang {
                kode: r.kode.clone(),
                kondisi: r.kondisi,
                bagian: (inside / total).min(1.0),
                panjang_m: total,
            });
        }
    }
    out
}

/// The work's box widened by the tolerance (in degrees, generously).
fn work_box(edges: &[[Coord<f64>; 2]]) -> Option<[f64; 4]> {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for c in edges.iter().flatten() {
        b = [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)];
    }
    if !b[0].is_finite() {
        return None;
    }
    let lat = (b[1].abs().max(b[3].abs())).min(89.0).to_radians();
    let dy = SEJAJAR_M * 2.0 / 111_000.0;
    let dx = dy / lat.cos().max(0.01);
    Some([b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy])
}

/// Distance in metres from `p` to the edge `e`, in a plane tangent at `p`.
fn distance_m(p: Coord<f64>, e: &[Coord<f64>; 2]) -> f64 {
    const M_PER_DEG: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;
    let kx = M_PER_DEG * p.y.to_radians().cos();
    let a = ((e[0].x - p.x) * kx, (e[0].y - p.y) * M_PER_DEG);
    let b = ((e[1].x - p.x) * kx, (e[1].y - p.y) * M_PER_DEG);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (x, y) = (a.0 + t * dx, a.1 + t * dy);
    (x * x + y * y).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_along_count_only_lines_of_the_kind_near_the_work() {
        use geo_types::line_string;
        let work = MultiLineString(vec![
            line_string![(x: 111.49, y: -7.576), (x: 111.491542, y: -7.576)],
        ]);
        let beside = |kode: &str, jenis, dy: f64| {
            Ruas::new(
                kode,
                jenis,
                Kondisi::RusakBerat,
                line_string![(x: 111.49, y: -7.576 + dy), (x: 111.491542, y: -7.576 + dy)],
            )
        };
        let ruas = [
            beside("J-2m", JenisJaringan::Jalan, 0.000018),
            beside("J-10m", JenisJaringan::Jalan, 0.00009),
            beside("D-2m", JenisJaringan::Drainase, 0.000018),
        ];
        let along = lines_along(&work, JenisJaringan::Jalan, &ruas);
        assert_eq!(along.len(), 1, "{along:?}");
        assert_eq!(along[0].kode, "J-2m");
        assert!(along[0].bagian > 0.99 && along[0].tertangani());
        assert!(
            (along[0].panjang_m - 170.0).abs() < 1.0,
            "{}",
            along[0].panjang_m
        );
        let drains = lines_along(&work, JenisJaringan::Drainase, &ruas);
        assert_eq!(drains.len(), 1);
        assert_eq!(drains[0].kode, "D-2m");
        // A bad coordinate in the work or a line is left out, never a panic.
        let bad = MultiLineString(vec![line_string![(x: f64::NAN, y: 0.0), (x: 1.0, y: 1.0)]]);
        assert!(lines_along(&bad, JenisJaringan::Jalan, &ruas).is_empty());
    }

    #[test]
    fn the_kind_of_line_follows_the_criteria() {
        assert_eq!(jenis_for_kriteria(["2b"]), Some(JenisJaringan::Jalan));
        assert_eq!(jenis_for_kriteria(["2a", "2b"]), Some(JenisJaringan::Jalan));
        assert_eq!(
            jenis_for_kriteria(["4c", "7a"]),
            Some(JenisJaringan::Drainase)
        );
        assert_eq!(jenis_for_kriteria(["2b", "4c"]), None);
        assert_eq!(jenis_for_kriteria(["7a"]), None);
    }
    #[test]
    fn normalise_folds_separators_and_case() {
        assert_eq!(normalise("  Rusak_Ringan "), "rusak ringan");
        assert_eq!(normalise("rusak--BERAT"), "rusak berat");
        assert_eq!(normalise("tidak \t ada"), "tidak ada");
        assert_eq!(normalise(""), "");
    }

    #[test]
    fn every_kondisi_reads_back_from_its_id() {
        for k in Kondisi::ALL {
            assert_eq!(Kondisi::parse(k.as_str()), Ok(k));
        }
        for j in JenisJaringan::ALL {
            assert_eq!(JenisJaringan::parse(j.as_str()), Ok(j));
        }
    }
}
