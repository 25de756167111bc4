//! Geometry checks and geodesic measures, all in EPSG:4326.
//!
//! Areas are computed on the WGS84 ellipsoid (Karney's algorithm through `geo`), never on
//! projected or raw degree coordinates.

use std::fmt;

use geo::{BoundingRect, Contains, GeodesicArea, Validation};
use geo_types::{Coord, Geometry, LineString, MultiPolygon, Rect};

/// Square metres in one hectare.
pub const M2_PER_HA: f64 = 10_000.0;

/// Geodesic area of a (multi)polygon in square metres, holes subtracted.
///
/// # Examples
/// ```
/// use geo_types::{polygon, MultiPolygon};
/// use kumuh_domain::geometry::geodesic_area_m2;
/// // About 100 m × 100 m near Jiwan (0.0009° ≈ 100 m).
/// let p = polygon![(x: 111.49, y: -7.65), (x: 111.4909, y: -7.65),
///                  (x: 111.4909, y: -7.6491), (x: 111.49, y: -7.6491)];
/// let a = geodesic_area_m2(&MultiPolygon(vec![p]));
/// assert!((a - 9_850.0).abs() < 150.0, "{a}");
/// ```
pub fn geodesic_area_m2(g: &MultiPolygon<f64>) -> f64 {
    g.0.iter().map(|p| p.geodesic_area_unsigned()).sum()
}

/// Geodesic area of a (multi)polygon in hectares.
pub fn geodesic_area_ha(g: &MultiPolygon<f64>) -> f64 {
    geodesic_area_m2(g) / M2_PER_HA
}

/// Bounding box `[min_lon, min_lat, max_lon, max_lat]` of a geometry, if it has points.
pub fn bbox(g: &MultiPolygon<f64>) -> Option<[f64; 4]> {
    g.bounding_rect()
        .map(|r: Rect<f64>| [r.min().x, r.min().y, r.max().x, r.max().y])
}

/// Bounding box `[min_lon, min_lat, max_lon, max_lat]` of any geometry, if it has points.
pub fn geometry_bbox(g: &Geometry<f64>) -> Option<[f64; 4]> {
    g.bounding_rect()
        .map(|r: Rect<f64>| [r.min().x, r.min().y, r.max().x, r.max().y])
}

/// Whether two boxes `[min_lon, min_lat, max_lon, max_lat]` overlap (touching counts).
pub fn bbox_intersects(a: [f64; 4], b: [f64; 4]) -> bool {
    a[2] >= b[0] && a[0] <= b[2] && a[3] >= b[1] && a[1] <= b[3]
}

/// Whether `g` lies wholly inside `area` (a segment or siteplan feature inside its desa).
///
/// # Examples
/// ```
/// use geo_types::{Geometry, MultiPolygon, point, polygon};
/// use kumuh_domain::geometry::lies_within;
/// let desa = MultiPolygon(vec![polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)]]);
/// assert!(lies_within(&desa, &Geometry::Point(point!(x: 0.5, y: 0.5))));
/// assert!(!lies_within(&desa, &Geometry::Point(point!(x: 1.5, y: 0.5))));
/// ```
pub fn lies_within(area: &MultiPolygon<f64>, g: &Geometry<f64>) -> bool {
    area.contains(g)
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

/// Checks an area geometry (desa, RT, slum location) and lists every problem found:
/// coordinates outside longitude/latitude range, rings with too few points, and
/// anything `geo`'s OGC validation finds (self-intersections, holes outside the shell,
/// overlapping parts). An empty list means the geometry is valid.
///
/// # Examples
/// ```
/// use geo_types::{polygon, MultiPolygon};
/// use kumuh_domain::validate_area_geometry;
/// // A bow-tie: the exterior ring crosses itself.
/// let bow = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)];
/// let issues = validate_area_geometry(&MultiPolygon(vec![bow]));
/// assert!(issues[0].to_string().starts_with("polygon 0, exterior ring"));
/// ```
pub fn validate_area_geometry(g: &MultiPolygon<f64>) -> Vec<GeometryIssue> {
    let mut issues = Vec::new();
    if g.0.is_empty() {
        issues.push(GeometryIssue {
            polygon: 0,
            ring: None,
            vertex: None,
            message: "the geometry is empty".to_owned(),
        });
        return issues;
    }
    for (pi, poly) in g.0.iter().enumerate() {
        let rings = std::iter::once((None, poly.exterior())).chain(
            poly.interiors()
                .iter()
                .enumerate()
                .map(|(i, r)| (Some(i), r)),
        );
        for (ring, ls) in rings {
            check_ring(pi, ring, ls, &mut issues);
        }
    }
    if issues.is_empty() {
        for (pi, poly) in g.0.iter().enumerate() {
            if let Err(e) = poly.check_validation() {
                let message = e.to_string();
                let ring = ring_from_message(&message);
                issues.push(GeometryIssue {
                    polygon: pi,
                    ring,
                    vertex: None,
                    message,
                });
            }
        }
    }
    if issues.is_empty()
        && g.0.len() > 1
        && let Err(e) = g.check_validation()
    {
        issues.push(GeometryIssue {
            polygon: 0,
            ring: None,
            vertex: None,
            message: format!("the parts of the multipolygon are not valid together: {e}"),
        });
    }
    issues
}

fn check_ring(
    polygon: usize,
    ring: Option<usize>,
    ls: &LineString<f64>,
    issues: &mut Vec<GeometryIssue>,
) {
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
    // geo_types closes rings on construction, so four points make the smallest triangle.
    if ls.0.len() < 4 {
        issues.push(GeometryIssue {
            polygon,
            ring,
            vertex: None,
            message: format!(
                "a ring needs at least 3 distinct points, this one has {}",
                ls.0.len().saturating_sub(1)
            ),
        });
    }
}

/// What is wrong with one EPSG:4326 coordinate, if anything: not finite, or longitude or
/// latitude out of range (often a sign of swapped axes or a projected file).
pub(crate) fn coord_problem(c: Coord<f64>) -> Option<String> {
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

/// `geo` names the ring in its message ("exterior ring", "interior ring at index 2");
/// recover the index so the issue's position fields agree with its text.
fn ring_from_message(message: &str) -> Option<usize> {
    let rest = message.split("interior ring at index ").nth(1)?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{Polygon, polygon};

    fn mp(p: Polygon<f64>) -> MultiPolygon<f64> {
        MultiPolygon(vec![p])
    }

    #[test]
    fn a_square_is_valid() {
        let sq = polygon![(x: 111.0, y: -7.0), (x: 111.01, y: -7.0), (x: 111.01, y: -6.99), (x: 111.0, y: -6.99)];
        assert!(validate_area_geometry(&mp(sq)).is_empty());
    }

    #[test]
    fn out_of_range_coordinates_name_the_vertex() {
        let p = polygon![(x: 0.0, y: 0.0), (x: 200.0, y: 0.0), (x: 1.0, y: 1.0)];
        let issues = validate_area_geometry(&mp(p));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].vertex, Some(1));
        assert!(
            issues[0].to_string().contains("longitude 200"),
            "{}",
            issues[0]
        );
    }

    #[test]
    fn swapped_lat_lon_is_caught() {
        let p = polygon![(x: -7.6, y: 111.4), (x: -7.6, y: 111.5), (x: -7.5, y: 111.5)];
        let issues = validate_area_geometry(&mp(p));
        assert!(issues.iter().all(|i| i.message.contains("latitude")));
        assert_eq!(issues.len(), 4);
    }

    #[test]
    fn self_intersection_in_a_hole_names_the_hole() {
        let p = Polygon::new(
            LineString::from(vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]),
            vec![LineString::from(vec![
                (2.0, 2.0),
                (4.0, 4.0),
                (4.0, 2.0),
                (2.0, 4.0),
            ])],
        );
        let issues = validate_area_geometry(&mp(p));
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].ring, Some(0), "{}", issues[0]);
    }

    #[test]
    fn empty_geometry_is_an_issue() {
        assert_eq!(validate_area_geometry(&MultiPolygon(vec![])).len(), 1);
    }

    #[test]
    fn area_of_one_hectare_square_at_the_equator() {
        // 100 m of longitude at the equator is 0.000898315°; of latitude 0.000904369°.
        let d_lon = 100.0 / 111_319.49;
        let d_lat = 100.0 / 110_574.39;
        let p = polygon![(x: 0.0, y: 0.0), (x: d_lon, y: 0.0), (x: d_lon, y: d_lat), (x: 0.0, y: d_lat)];
        let ha = geodesic_area_ha(&mp(p));
        assert!((ha - 1.0).abs() < 0.001, "{ha}");
    }
}
