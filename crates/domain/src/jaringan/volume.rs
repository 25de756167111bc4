//! Lengths of mapped roads and drains inside a location, by kind and condition, and the
//! criteria volumes they give.

use std::collections::BTreeSet;
use std::fmt;

use geo::{BooleanOps, BoundingRect, Geodesic, Intersects, Length};
use geo_types::{LineString, MultiLineString, MultiPolygon};
use serde::{Deserialize, Serialize};

use super::{JenisJaringan, KRITERIA_2A, KRITERIA_2B, KRITERIA_4B, KRITERIA_4C, KondisiRuas};
use crate::geometry::validate_area_geometry;

/// A mapped line (ruas: stretch) of road or drain with one condition along it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ruas {
    /// The line's code, unique within a location's map (e.g. `J-03`); issues name it.
    pub kode: String,
    /// Road or drain.
    pub jenis: JenisJaringan,
    /// Condition along the whole line.
    pub kondisi: KondisiRuas,
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
        kondisi: KondisiRuas,
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
    pub kondisi: KondisiRuas,
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

    fn add(&mut self, jenis: JenisJaringan, kondisi: KondisiRuas, length_m: f64, contoh: bool) {
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
/// use kumuh_domain::jaringan::{derive_volumes, JenisJaringan, KondisiRuas, Ruas};
/// // About 100 m × 100 m near Jiwan (0.0009° ≈ 100 m).
/// let square = MultiPolygon(vec![polygon![
///     (x: 111.49, y: -7.65), (x: 111.4909, y: -7.65),
///     (x: 111.4909, y: -7.6491), (x: 111.49, y: -7.6491)]]);
/// // A damaged road from 50 m west of the square to its middle.
/// let road = line_string![(x: 111.48955, y: -7.64955), (x: 111.49045, y: -7.64955)];
/// let ruas = [Ruas::new("J-01", JenisJaringan::Jalan, KondisiRuas::RusakRingan,
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
pub(super) fn usable_lines(r: &Ruas, issues: &mut Vec<Issue>) -> (MultiLineString<f64>, f64) {
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
