//! The geometry checks every part of the domain shares: coordinates in range, rings
//! closed, vertex limits, and the OGC validity of area geometries (desa, RT and slum
//! location boundaries, polygon segments).

use std::fmt;

use geo::CoordsIter;
use geo_types::{Coord, Geometry, LineString, MultiPolygon};

use super::sweep;

/// Most vertices one geometry drawn or sent through the API may have: a segment of a
/// work, or a siteplan feature (a polygon's rings together). Checked before anything
/// else, so that a huge body costs no more than counting.
pub const MAX_VERTICES_DRAWN: usize = 50_000;

/// Most vertices one feature of an imported file may have (a desa, RT or slum location
/// boundary, all its parts and rings together). Java's most detailed desa boundaries
/// have a few tens of thousands; the limit leaves room for finer surveys while bounding
/// the work one feature can cause.
pub const MAX_VERTICES_IMPORTED: usize = 1_000_000;

/// What is wrong with a vertex count, if anything: more than `max`.
///
/// # Examples
/// ```
/// use kumuh_domain::geometry::{vertex_limit_problem, MAX_VERTICES_DRAWN};
/// assert_eq!(vertex_limit_problem(50_000, MAX_VERTICES_DRAWN), None);
/// assert_eq!(
///     vertex_limit_problem(50_001, MAX_VERTICES_DRAWN).unwrap(),
///     "50001 vertices, at most 50000 are allowed"
/// );
/// ```
pub fn vertex_limit_problem(count: usize, max: usize) -> Option<String> {
    (count > max).then(|| format!("{count} vertices, at most {max} are allowed"))
}

/// What is wrong with one EPSG:4326 coordinate, if anything: not finite, or longitude or
/// latitude out of range (often a sign of swapped axes or a projected file).
pub fn coord_problem(c: Coord<f64>) -> Option<String> {
    if !c.x.is_finite() || !c.y.is_finite() {
        Some(format!(
            "coordinate ({}, {}) is not a finite number",
            c.x, c.y
        ))
    } else if !(-180.0..=180.0).contains(&c.x) {
        Some(format!(
            "longitude {} is outside -180..180 (is the file in EPSG:4326, lon/lat order?)",
            c.x
        ))
    } else if !(-90.0..=90.0).contains(&c.y) {
        Some(format!(
            "latitude {} is outside -90..90 (is the file in EPSG:4326, lon/lat order?)",
            c.y
        ))
    } else {
        None
    }
}

/// What is wrong with a ring's ends, if anything: its first and last positions differ.
/// `geo_types` closes rings it builds, but geometry read from JSON keeps the positions
/// it was given, and an unclosed ring is a sign of a truncated or hand-edited file.
///
/// # Examples
/// ```
/// use geo_types::coord;
/// use kumuh_domain::geometry::ring_not_closed;
/// let open = [coord! { x: 0.0, y: 0.0 }, coord! { x: 1.0, y: 0.0 }, coord! { x: 1.0, y: 1.0 }];
/// assert_eq!(
///     ring_not_closed(&open).unwrap(),
///     "the ring is not closed: it starts at (0, 0) and ends at (1, 1)"
/// );
/// ```
pub fn ring_not_closed(ring: &[Coord<f64>]) -> Option<String> {
    let (first, last) = (ring.first()?, ring.last()?);
    (first != last).then(|| {
        format!(
            "the ring is not closed: it starts at ({}, {}) and ends at ({}, {})",
            deg(first.x),
            deg(first.y),
            deg(last.x),
            deg(last.y)
        )
    })
}

/// The name of a geometry's type, as GeoJSON and WKT spell it.
pub fn geometry_type_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::Line(_) => "Line",
        Geometry::LineString(_) => "LineString",
        Geometry::Polygon(_) => "Polygon",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        Geometry::Rect(_) => "Rect",
        Geometry::Triangle(_) => "Triangle",
    }
}

/// A coordinate for messages: at most 7 decimals (about 1 cm), no trailing zeros.
pub(crate) fn deg(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let s = format!("{v:.7}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// Where in a (multi)polygon a problem lies, and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct GeometryIssue {
    /// Zero-based index of the polygon inside the multipolygon.
    pub polygon: usize,
    /// `None` for the exterior ring, `Some(i)` for the i-th (zero-based) hole.
    pub ring: Option<usize>,
    /// Zero-based index of the vertex, where the problem is at one vertex.
    pub vertex: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for GeometryIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "polygon {}", self.polygon)?;
        match self.ring {
            None => write!(f, ", exterior ring")?,
            Some(i) => write!(f, ", interior ring {i}")?,
        }
        if let Some(v) = self.vertex {
            write!(f, ", vertex {v}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Checks an area geometry (desa, RT, slum location, polygon segment) and lists every
/// problem found. An empty list means the geometry is valid.
///
/// In order, each step only when the ones before found nothing:
/// 1. at most [`MAX_VERTICES_IMPORTED`] vertices in all (counted before anything else);
/// 2. every coordinate finite and in longitude/latitude range, every ring closed and
///    with at least 3 different points;
/// 3. no ring crossing or touching itself (named with both edges and the point);
/// 4. holes inside their exterior ring, not overlapping each other, meeting the
///    exterior or each other at points only;
/// 5. the parts of a multipolygon not overlapping, meeting at points only.
///
/// Steps 3 to 5 sweep the edges from west to east, so a boundary of 200,000 vertices
/// is checked in well under a second.
///
/// # Examples
/// ```
/// use geo_types::{polygon, MultiPolygon};
/// use kumuh_domain::validate_area_geometry;
/// // A bow-tie: the exterior ring crosses itself.
/// let bow = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)];
/// let issues = validate_area_geometry(&MultiPolygon(vec![bow]));
/// assert_eq!(
///     issues[0].to_string(),
///     "polygon 0, exterior ring, vertex 0: the ring crosses itself at (0.5, 0.5): \
///      the edge from vertex 0 to 1 meets the edge from vertex 2 to 3"
/// );
/// ```
pub fn validate_area_geometry(g: &MultiPolygon<f64>) -> Vec<GeometryIssue> {
    let mut issues = Vec::new();
    let issue = |polygon, ring, vertex, message| GeometryIssue {
        polygon,
        ring,
        vertex,
        message,
    };
    if g.0.is_empty() {
        issues.push(issue(0, None, None, "the geometry is empty".to_owned()));
        return issues;
    }
    if let Some(message) = vertex_limit_problem(g.coords_count(), MAX_VERTICES_IMPORTED) {
        issues.push(issue(0, None, None, format!("the geometry has {message}")));
        return issues;
    }
    for (pi, poly) in g.0.iter().enumerate() {
        for (ring, ls) in rings(poly) {
            check_ring(pi, ring, ls, &mut issues);
        }
    }
    if !issues.is_empty() {
        return issues;
    }
    for (pi, poly) in g.0.iter().enumerate() {
        for (ring, ls) in rings(poly) {
            if let Some(c) = sweep::ring_crossing(&ls.0) {
                issues.push(issue(pi, ring, Some(c.edge_a[0]), c.to_string()));
            }
        }
    }
    if !issues.is_empty() {
        return issues;
    }
    for (pi, poly) in g.0.iter().enumerate() {
        if let Some((hole, message)) = sweep::holes_problem(poly) {
            issues.push(issue(pi, Some(hole), None, message));
        }
    }
    if issues.is_empty()
        && let Some((pi, message)) = sweep::parts_problem(g)
    {
        issues.push(issue(pi, None, None, message));
    }
    issues
}

/// The rings of a polygon, each with its name as [`GeometryIssue::ring`] gives it.
fn rings(p: &geo_types::Polygon<f64>) -> impl Iterator<Item = (Option<usize>, &LineString<f64>)> {
    std::iter::once((None, p.exterior()))
        .chain(p.interiors().iter().enumerate().map(|(i, r)| (Some(i), r)))
}

fn check_ring(
    polygon: usize,
    ring: Option<usize>,
    ls: &LineString<f64>,
    issues: &mut Vec<GeometryIssue>,
) {
    let before = issues.len();
    for (vi, c) in ls.0.iter().enumerate() {
        if let Some(message) = coord_problem(*c) {
            issues.push(GeometryIssue {
                polygon,
                ring,
                vertex: Some(vi),
                message,
            });
        }
    }
    if issues.len() > before {
        return;
    }
    let problem = if let Some(open) = ring_not_closed(&ls.0) {
        Some(open)
    } else if ls.0.len() < 4 {
        // The closing position repeats the first, so four make the smallest triangle.
        Some(format!(
            "a ring needs at least 3 distinct points, this one has {}",
            ls.0.len().saturating_sub(1)
        ))
    } else {
        let distinct = sweep::distinct_run(&ls.0).len() - 1;
        (distinct < 3)
            .then(|| format!("a ring needs at least 3 distinct points, this one has {distinct}"))
    };
    if let Some(message) = problem {
        issues.push(GeometryIssue {
            polygon,
            ring,
            vertex: None,
            message,
        });
    }
}
