//! Checking features (periksa: check): ids, categories, texts and geometry, with every
//! problem named by feature index, id and field.

use std::collections::HashMap;

use geo::CoordsIter;
use geo_types::{Coord, Geometry, LineString, Polygon};

use super::error::{Result, SiteplanError};
use super::fitur::{Fitur, FiturDraft, FiturId, FiturIssue, FiturProblem, Ring, geometry_kind};
use super::kategori::Kategori;
use super::{
    MAX_CATATAN_CHARS, MAX_FITUR, MAX_LABEL_CHARS, MAX_VERTICES_PER_FITUR, MAX_VERTICES_TOTAL,
    SiteplanId,
};
use crate::geometry::sweep::{distinct_run, holes_problem, ring_crossing};
#[cfg(doc)]
use crate::geometry::validate_area_geometry;
use crate::geometry::{coord_problem, geometry_type_name, normalise_geometry_orientation};

/// Checks the features of one version and refuses them with every problem found.
///
/// - at most [`MAX_FITUR`] features and [`MAX_VERTICES_TOTAL`] vertices in all;
/// - ids unique;
/// - label: not blank, one line, at most [`MAX_LABEL_CHARS`] characters; note: not
///   blank, at most [`MAX_CATATAN_CHARS`] characters (leave either out rather than
///   blank);
/// - geometry: a `Point`, `LineString` or `Polygon` of a kind the category allows
///   ([`Kategori::geometri`]), at most [`MAX_VERTICES_PER_FITUR`] vertices, every
///   coordinate a finite longitude in -180..180 and latitude in -90..90;
/// - a line: at least 2 positions and 2 different points (it may cross itself: roads
///   loop);
/// - a polygon: every ring closed, at least 4 positions and 3 different points, not
///   crossing or touching itself (the problem names the ring, both edges and the
///   point); holes inside the exterior ring, not overlapping each other, and touching
///   the exterior ring or each other at points only (the OGC rules
///   [`validate_area_geometry`] applies to desa and RT boundaries); enclosing some area.
///
/// Geometry checks of one feature stop at its first problem; other fields and other
/// features are still checked.
///
/// # Examples
/// ```
/// use geo_types::{point, polygon};
/// use kumuh_domain::siteplan::{validate_fitur, Fitur, FiturId, Kategori, SiteplanError, SiteplanId};
/// let sp = SiteplanId::new("wisata").unwrap();
/// let pond = Fitur::new(FiturId::new("K-01").unwrap(), Kategori::KolamLele, point!(x: 111.494, y: -7.5756));
/// assert!(validate_fitur(&sp, &[pond]).is_ok());
///
/// // A bow-tie garden: the exterior ring crosses itself.
/// let bow = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)];
/// let garden = Fitur::new(FiturId::new("T-01").unwrap(), Kategori::Taman, bow);
/// let e = validate_fitur(&sp, &[garden]).unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     "siteplan `wisata`: feature 0 (`T-01`), field `geometry`: exterior ring crosses itself \
///      at (0.5, 0.5): the edge from vertex 0 to 1 meets the edge from vertex 2 to 3"
/// );
/// ```
pub fn validate_fitur(siteplan: &SiteplanId, fitur: &[Fitur]) -> Result<()> {
    check_limits(siteplan, fitur.iter().map(|f| &f.geometry))?;
    let mut issues = Vec::new();
    for (index, f) in fitur.iter().enumerate() {
        feature_issues(
            index,
            f.id.as_str(),
            Some(f.kategori),
            &f.geometry,
            f.label.as_deref(),
            f.catatan.as_deref(),
            &mut issues,
        );
    }
    duplicate_ids(
        fitur.iter().enumerate().map(|(i, f)| (i, f.id.as_str())),
        &mut issues,
    );
    finish(siteplan, issues)
}

/// Turns features as an editor sends them into checked [`Fitur`]s: reads ids and
/// categories, drops blank labels and notes and trims the others, and then checks
/// everything as [`validate_fitur`] does, listing every problem with the feature's
/// index (an unknown category names the valid ones). Polygons come out in the RFC 7946
/// winding (exterior counter-clockwise, holes clockwise), whatever the editor drew.
///
/// # Examples
/// ```
/// use geo_types::point;
/// use kumuh_domain::siteplan::{fitur_from_drafts, FiturDraft, SiteplanId};
/// let sp = SiteplanId::new("wisata").unwrap();
/// let draft = |id: &str, kategori: &str| FiturDraft {
///     id: id.to_owned(),
///     kategori: kategori.to_owned(),
///     geometry: point!(x: 111.4942, y: -7.5751).into(),
///     label: Some("  ".to_owned()),
///     catatan: None,
/// };
/// let fitur = fitur_from_drafts(&sp, vec![draft("BJ-01", "Budidaya jamur")]).unwrap();
/// assert_eq!(fitur[0].label, None);
/// let e = fitur_from_drafts(&sp, vec![draft("A", "jamur"), draft("A", "taman")]).unwrap_err();
/// assert!(e.to_string().starts_with(
///     "siteplan `wisata`: feature 0 (`A`), field `kategori`: unknown kategori `jamur`; \
///      expected one of jalan, drainase,"
/// ), "{e}");
/// assert!(e.to_string().ends_with("(and 1 more problems)"), "{e}");
/// ```
pub fn fitur_from_drafts(siteplan: &SiteplanId, drafts: Vec<FiturDraft>) -> Result<Vec<Fitur>> {
    check_limits(siteplan, drafts.iter().map(|d| &d.geometry))?;
    let mut issues = Vec::new();
    let mut fitur = Vec::with_capacity(drafts.len());
    let mut ids: Vec<(usize, String)> = Vec::with_capacity(drafts.len());
    for (index, d) in drafts.into_iter().enumerate() {
        let id = match FiturId::new(d.id.as_str()) {
            Ok(id) => Some(id),
            Err(e) => {
                let message = match e {
                    SiteplanError::InvalidField { message, .. } => message,
                    other => other.to_string(),
                };
                issues.push(FiturIssue::new(
                    index,
                    &d.id,
                    FiturProblem::InvalidId { message },
                ));
                None
            }
        };
        if let Some(id) = &id {
            ids.push((index, id.as_str().to_owned()));
        }
        let shown_id = id.as_ref().map_or(d.id.as_str(), FiturId::as_str);
        let kategori = match Kategori::parse(&d.kategori) {
            Ok(k) => Some(k),
            Err(_) => {
                issues.push(FiturIssue::new(
                    index,
                    shown_id,
                    FiturProblem::UnknownKategori {
                        value: d.kategori.clone(),
                    },
                ));
                None
            }
        };
        let tidy = |t: Option<String>| t.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let label = tidy(d.label);
        let catatan = tidy(d.catatan);
        feature_issues(
            index,
            shown_id,
            kategori,
            &d.geometry,
            label.as_deref(),
            catatan.as_deref(),
            &mut issues,
        );
        if let (Some(id), Some(kategori)) = (id, kategori) {
            let mut geometry = d.geometry;
            normalise_geometry_orientation(&mut geometry);
            fitur.push(Fitur {
                id,
                kategori,
                geometry,
                label,
                catatan,
            });
        }
    }
    duplicate_ids(ids.iter().map(|(i, id)| (*i, id.as_str())), &mut issues);
    finish(siteplan, issues).map(|()| fitur)
}

/// Refuses with every issue, in feature order (stable: one feature's issues keep the
/// order they were found in).
fn finish(siteplan: &SiteplanId, mut issues: Vec<FiturIssue>) -> Result<()> {
    issues.sort_by_key(|i| i.index);
    if issues.is_empty() {
        Ok(())
    } else {
        Err(SiteplanError::InvalidFitur {
            siteplan: siteplan.to_string(),
            issues,
        })
    }
}

fn check_limits<'a>(
    siteplan: &SiteplanId,
    geometries: impl ExactSizeIterator<Item = &'a Geometry<f64>>,
) -> Result<()> {
    let count = geometries.len();
    if count > MAX_FITUR {
        return Err(SiteplanError::TooManyFitur {
            siteplan: siteplan.to_string(),
            count,
            max: MAX_FITUR,
        });
    }
    let vertices: usize = geometries.map(CoordsIter::coords_count).sum();
    if vertices > MAX_VERTICES_TOTAL {
        return Err(SiteplanError::TooManyVerticesTotal {
            siteplan: siteplan.to_string(),
            count: vertices,
            max: MAX_VERTICES_TOTAL,
        });
    }
    Ok(())
}

/// Reports every feature whose id an earlier feature already has; `ids` are (feature
/// index, id) in feature order.
fn duplicate_ids<'a>(ids: impl Iterator<Item = (usize, &'a str)>, issues: &mut Vec<FiturIssue>) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (index, id) in ids {
        match first.get(id) {
            Some(&first_index) => issues.push(FiturIssue::new(
                index,
                id,
                FiturProblem::DuplicateId { first_index },
            )),
            None => {
                first.insert(id, index);
            }
        }
    }
}

fn feature_issues(
    index: usize,
    id: &str,
    kategori: Option<Kategori>,
    geometry: &Geometry<f64>,
    label: Option<&str>,
    catatan: Option<&str>,
    issues: &mut Vec<FiturIssue>,
) {
    for (field, text, max, multiline) in [
        ("label", label, MAX_LABEL_CHARS, false),
        ("catatan", catatan, MAX_CATATAN_CHARS, true),
    ] {
        if let Some(message) = text.and_then(|t| text_problem(t, max, multiline)) {
            issues.push(FiturIssue::new(
                index,
                id,
                FiturProblem::InvalidText { field, message },
            ));
        }
    }
    if let Some(problem) = geometry_problem(kategori, geometry) {
        issues.push(FiturIssue::new(index, id, problem));
    }
}

/// What is wrong with a piece of free text, if anything: blank, longer than `max`
/// characters, or holding control characters (line breaks and tabs are allowed where
/// `multiline`).
pub(crate) fn text_problem(text: &str, max: usize, multiline: bool) -> Option<String> {
    if text.trim().is_empty() {
        Some("the text is blank; leave it out instead".to_owned())
    } else if text.chars().count() > max {
        Some(format!(
            "the text has {} characters, at most {max} are allowed",
            text.chars().count()
        ))
    } else if text
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        Some(if multiline {
            "the text holds control characters other than line breaks and tabs".to_owned()
        } else {
            "the text must be one line without control characters".to_owned()
        })
    } else {
        None
    }
}

/// The first problem of a feature's geometry, if any. Without a category (it could not
/// be read) the kind is not checked.
pub(crate) fn geometry_problem(
    kategori: Option<Kategori>,
    g: &Geometry<f64>,
) -> Option<FiturProblem> {
    let Some(kind) = geometry_kind(g) else {
        return Some(FiturProblem::UnsupportedGeometry {
            found: geometry_type_name(g),
        });
    };
    let count = g.coords_count();
    if count > MAX_VERTICES_PER_FITUR {
        return Some(FiturProblem::TooManyVertices {
            count,
            max: MAX_VERTICES_PER_FITUR,
        });
    }
    if let Some(k) = kategori
        && !k.allows(kind)
    {
        return Some(FiturProblem::WrongGeometryKind {
            kategori: k,
            found: kind,
        });
    }
    match g {
        Geometry::Point(p) => coordinates(None, std::slice::from_ref(&p.0)),
        Geometry::LineString(ls) => line_problem(ls),
        Geometry::Polygon(p) => polygon_problem(p),
        _ => None,
    }
}

fn coordinates(ring: Option<Ring>, coords: &[Coord<f64>]) -> Option<FiturProblem> {
    coords.iter().enumerate().find_map(|(vertex, c)| {
        coord_problem(*c).map(|detail| FiturProblem::Coordinate {
            ring,
            vertex,
            detail,
        })
    })
}

fn line_problem(ls: &LineString<f64>) -> Option<FiturProblem> {
    if let Some(p) = coordinates(None, &ls.0) {
        return Some(p);
    }
    if ls.0.len() < 2 {
        return Some(FiturProblem::TooFewPositions {
            ring: None,
            found: ls.0.len(),
            min: 2,
        });
    }
    let distinct = distinct_run(&ls.0).len();
    if distinct < 2 {
        return Some(FiturProblem::TooFewDistinctPoints {
            ring: None,
            found: distinct,
            min: 2,
        });
    }
    None
}

fn rings(p: &Polygon<f64>) -> impl Iterator<Item = (Ring, &LineString<f64>)> {
    std::iter::once((Ring::Exterior, p.exterior())).chain(
        p.interiors()
            .iter()
            .enumerate()
            .map(|(i, r)| (Ring::Interior(i), r)),
    )
}

fn ring_structure(ring: Ring, ls: &LineString<f64>) -> Option<FiturProblem> {
    if let Some(p) = coordinates(Some(ring), &ls.0) {
        return Some(p);
    }
    let (Some(first), Some(last)) = (ls.0.first(), ls.0.last()) else {
        return Some(FiturProblem::TooFewPositions {
            ring: Some(ring),
            found: 0,
            min: 4,
        });
    };
    if first != last {
        return Some(FiturProblem::RingNotClosed {
            ring,
            first: [first.x, first.y],
            last: [last.x, last.y],
        });
    }
    if ls.0.len() < 4 {
        return Some(FiturProblem::TooFewPositions {
            ring: Some(ring),
            found: ls.0.len(),
            min: 4,
        });
    }
    // The closing position repeats the first and does not count.
    let distinct = distinct_run(&ls.0).len() - 1;
    if distinct < 3 {
        return Some(FiturProblem::TooFewDistinctPoints {
            ring: Some(ring),
            found: distinct,
            min: 3,
        });
    }
    None
}

fn polygon_problem(p: &Polygon<f64>) -> Option<FiturProblem> {
    if let Some(problem) = rings(p).find_map(|(ring, ls)| ring_structure(ring, ls)) {
        return Some(problem);
    }
    let crossing = rings(p).find_map(|(ring, ls)| {
        ring_crossing(&ls.0).map(|c| FiturProblem::SelfIntersection {
            ring,
            edge_a: c.edge_a,
            edge_b: c.edge_b,
            at: [c.at.x, c.at.y],
        })
    });
    if crossing.is_some() {
        return crossing;
    }
    if let Some((hole, message)) = holes_problem(p) {
        return Some(FiturProblem::InvalidPolygon {
            ring: Some(Ring::Interior(hole)),
            message,
        });
    }
    let area = crate::geometry::polygon_area_m2(p);
    if area.is_nan() || area <= 0.0 {
        return Some(FiturProblem::NoArea);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{LineString, Point, line_string, point, polygon};

    /// A position, (longitude, latitude).
    type Pt = (f64, f64);
    /// The holes of a polygon, as positions.
    type Holes = Vec<Vec<Pt>>;

    fn check(kategori: Kategori, g: impl Into<Geometry<f64>>, expected: Option<&str>) {
        let got = geometry_problem(Some(kategori), &g.into()).map(|p| p.to_string());
        assert_eq!(got.as_deref(), expected);
    }

    /// A polygon as stored JSON gives it: `Polygon::new` and `exterior_mut` would close
    /// an open ring.
    fn raw_polygon(exterior: &[(f64, f64)], holes: &[&[(f64, f64)]]) -> Polygon<f64> {
        let all = exterior.iter().chain(holes.iter().flat_map(|h| h.iter()));
        if all.clone().any(|(x, y)| !x.is_finite() || !y.is_finite()) {
            // JSON has no infinity; these cases are closed rings anyway.
            let ls = |r: &[(f64, f64)]| LineString::from(r.to_vec());
            return Polygon::new(ls(exterior), holes.iter().map(|h| ls(h)).collect());
        }
        let ring = |r: &[(f64, f64)]| -> Vec<serde_json::Value> {
            r.iter()
                .map(|&(x, y)| serde_json::json!({ "x": x, "y": y }))
                .collect()
        };
        let interiors: Vec<_> = holes.iter().map(|h| ring(h)).collect();
        serde_json::from_value(serde_json::json!({
            "exterior": ring(exterior),
            "interiors": interiors,
        }))
        .unwrap()
    }

    #[test]
    fn points_and_lines() {
        use Kategori::*;
        check(BudidayaJamur, point!(x: 111.49, y: -7.57), None);
        check(
            BudidayaJamur,
            point!(x: -7.57, y: 111.49),
            Some(
                "vertex 0: latitude 111.49 is outside -90..90 (is the file in EPSG:4326, lon/lat order?)",
            ),
        );
        check(
            Taman,
            point!(x: f64::NAN, y: 1.0),
            Some("vertex 0: coordinate (NaN, 1) is not a finite number"),
        );
        check(
            Jalan,
            point!(x: 111.49, y: -7.57),
            Some("a jalan (Jalan) is drawn as a line or a polygon, not a point"),
        );
        check(
            Jalan,
            line_string![(x: 111.49, y: -7.57), (x: 111.491, y: -7.57)],
            None,
        );
        check(
            Mural,
            line_string![(x: 111.49, y: -7.57), (x: 111.49, y: -7.57)],
            Some("1 different points, at least 2 are needed"),
        );
        check(
            Drainase,
            LineString::<f64>(vec![Coord { x: 1.0, y: 1.0 }]),
            Some("1 positions, at least 2 are needed"),
        );
        check(
            Jalan,
            line_string![(x: 111.49, y: -7.57), (x: 200.0, y: -7.57), (x: 300.0, y: 0.0)],
            Some(
                "vertex 1: longitude 200 is outside -180..180 (is the file in EPSG:4326, lon/lat order?)",
            ),
        );
        // A road that loops back over itself is a road.
        check(
            Jalan,
            line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)],
            None,
        );
        check(
            BatasKawasan,
            line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0)],
            Some("a batas_kawasan (Batas kawasan) is drawn as a polygon, not a line"),
        );
        check(
            Taman,
            geo_types::MultiPoint(vec![Point::new(0.0, 0.0)]),
            Some(
                "a MultiPoint cannot be drawn on a siteplan; draw a Point, LineString or Polygon (one feature per part)",
            ),
        );
    }

    #[test]
    fn polygons() {
        use Kategori::*;
        let square = [
            (0.0, 0.0),
            (0.001, 0.0),
            (0.001, 0.001),
            (0.0, 0.001),
            (0.0, 0.0),
        ];
        // (exterior, holes, expected)
        let cases: Vec<(Vec<Pt>, Holes, Option<&str>)> = vec![
            (square.to_vec(), vec![], None),
            // Clockwise is as good as counter-clockwise.
            (square.iter().rev().copied().collect(), vec![], None),
            (
                square[..4].to_vec(),
                vec![],
                Some("exterior ring is not closed: it starts at (0, 0) and ends at (0, 0.001)"),
            ),
            (
                vec![(0.0, 0.0), (1.0, 0.0), (0.0, 0.0)],
                vec![],
                Some("exterior ring: 3 positions, at least 4 are needed"),
            ),
            (
                vec![],
                vec![],
                Some("exterior ring: 0 positions, at least 4 are needed"),
            ),
            (
                vec![(0.0, 0.0), (1.0, 0.0), (1.0, 0.0), (0.0, 0.0)],
                vec![],
                Some("exterior ring: 2 different points, at least 3 are needed"),
            ),
            (
                vec![(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)],
                vec![],
                Some(
                    "exterior ring crosses itself at (0.5, 0.5): the edge from vertex 0 to 1 \
                     meets the edge from vertex 2 to 3",
                ),
            ),
            // A repeated vertex does not hide the crossing, and edges are numbered by
            // the positions as given.
            (
                vec![
                    (0.0, 0.0),
                    (1.0, 1.0),
                    (1.0, 1.0),
                    (1.0, 0.0),
                    (0.0, 1.0),
                    (0.0, 0.0),
                ],
                vec![],
                Some(
                    "exterior ring crosses itself at (0.5, 0.5): the edge from vertex 0 to 1 \
                     meets the edge from vertex 3 to 4",
                ),
            ),
            // A spike: the ring runs out to (2, 0) and back along itself.
            (
                vec![(0.0, 0.0), (2.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)],
                vec![],
                Some(
                    "exterior ring crosses itself at (1, 0): the edge from vertex 0 to 1 \
                     meets the edge from vertex 1 to 2",
                ),
            ),
            // Corners on one line: the closing edge runs back over the first one.
            (
                vec![(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (0.0, 0.0)],
                vec![],
                Some(
                    "exterior ring crosses itself at (1, 0): the edge from vertex 0 to 1 \
                     meets the edge from vertex 2 to 3",
                ),
            ),
            // The ring passes through one vertex twice (a figure eight).
            (
                vec![
                    (0.0, 0.0),
                    (1.0, 1.0),
                    (2.0, 0.0),
                    (2.0, 2.0),
                    (1.0, 1.0),
                    (0.0, 2.0),
                    (0.0, 0.0),
                ],
                vec![],
                Some(
                    "exterior ring crosses itself at (1, 1): the edge from vertex 0 to 1 \
                     meets the edge from vertex 3 to 4",
                ),
            ),
            (
                vec![(0.0, 0.0), (f64::INFINITY, 0.0), (1.0, 1.0), (0.0, 0.0)],
                vec![],
                Some("exterior ring: vertex 1: coordinate (inf, 0) is not a finite number"),
            ),
            (
                square.to_vec(),
                vec![vec![
                    (0.0002, 0.0002),
                    (0.0004, 0.0004),
                    (0.0004, 0.0002),
                    (0.0002, 0.0004),
                    (0.0002, 0.0002),
                ]],
                Some(
                    "interior ring 0 crosses itself at (0.0003, 0.0003): the edge from vertex \
                     0 to 1 meets the edge from vertex 2 to 3",
                ),
            ),
            (
                square.to_vec(),
                vec![vec![(0.0002, 0.0002), (0.0004, 0.0002), (0.0004, 0.0004)]],
                Some(
                    "interior ring 0 is not closed: it starts at (0.0002, 0.0002) and ends at \
                     (0.0004, 0.0004)",
                ),
            ),
        ];
        for (exterior, holes, expected) in cases {
            let holes: Vec<&[(f64, f64)]> = holes.iter().map(Vec::as_slice).collect();
            let p = raw_polygon(&exterior, &holes);
            let got = geometry_problem(Some(Taman), &p.into()).map(|p| p.to_string());
            assert_eq!(got.as_deref(), expected, "{exterior:?} {holes:?}");
        }

        // Rings that do not fit together.
        let hole = |w: f64, s: f64, e: f64, n: f64| vec![(w, s), (e, s), (e, n), (w, n), (w, s)];
        let far = hole(0.002, 0.002, 0.003, 0.003);
        let a = hole(0.0001, 0.0001, 0.0004, 0.0004);
        let b = hole(0.0003, 0.0003, 0.0006, 0.0006);
        let c = hole(0.0004, 0.0001, 0.0006, 0.0002);
        let d = hole(0.0007, 0.0007, 0.0009, 0.0009);
        let edge = hole(0.0, 0.0002, 0.0002, 0.0004);
        let corner = vec![(0.0, 0.0), (0.0002, 0.0001), (0.0001, 0.0002), (0.0, 0.0)];
        let touching = hole(0.0004, 0.0004, 0.0005, 0.0005);
        // (holes, expected)
        let cases: Vec<(Vec<&[Pt]>, Option<&str>)> = vec![
            (vec![&a, &d], None),
            // Touching at a point is allowed, with the shell and between holes.
            (vec![&corner], None),
            (vec![&a, &touching], None),
            (
                vec![&far],
                Some("interior ring 0: the hole does not lie inside the exterior ring"),
            ),
            (
                vec![&edge],
                Some(
                    "interior ring 0: the hole touches the exterior ring along a line; rings \
                     may meet at points only",
                ),
            ),
            (
                vec![&d, &a, &b],
                Some(
                    "interior ring 2: the hole overlaps interior ring 1; holes may meet at \
                     points only",
                ),
            ),
            (
                vec![&a, &c],
                Some(
                    "interior ring 1: the hole meets along a line interior ring 0; holes may \
                     meet at points only",
                ),
            ),
        ];
        for (holes, expected) in cases {
            let p = raw_polygon(&square, &holes);
            let got = geometry_problem(Some(BatasKawasan), &p.into());
            if let Some(g) = &got {
                assert!(matches!(g, FiturProblem::InvalidPolygon { .. }), "{g:?}");
                assert_eq!(g.field(), "geometry");
            }
            let got = got.map(|p| p.to_string());
            assert_eq!(got.as_deref(), expected, "{holes:?}");
        }

        let rect = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)];
        check(Jalan, rect, None);
    }

    #[test]
    fn vertex_limit() {
        let many: LineString<f64> = (0..=MAX_VERTICES_PER_FITUR)
            .map(|i| Coord {
                x: i as f64 * 1e-6,
                y: 0.0,
            })
            .collect();
        check(
            Kategori::Jalan,
            many,
            Some("50001 vertices, at most 50000 are allowed"),
        );
    }

    #[test]
    fn texts() {
        // (text, max, multiline, expected)
        let cases = [
            ("Mural 3D", 200, false, None),
            (
                "",
                200,
                false,
                Some("the text is blank; leave it out instead"),
            ),
            (
                " \t",
                200,
                true,
                Some("the text is blank; leave it out instead"),
            ),
            (
                "abc",
                2,
                false,
                Some("the text has 3 characters, at most 2 are allowed"),
            ),
            ("ééé", 3, false, None),
            (
                "a\nb",
                200,
                false,
                Some("the text must be one line without control characters"),
            ),
            ("a\nb\tc", 200, true, None),
            (
                "a\u{7}b",
                200,
                true,
                Some("the text holds control characters other than line breaks and tabs"),
            ),
        ];
        for (text, max, multiline, expected) in cases {
            assert_eq!(
                text_problem(text, max, multiline).as_deref(),
                expected,
                "{text:?}"
            );
        }
    }
}
