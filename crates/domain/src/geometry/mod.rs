//! Geometry checks and geodesic measures, all in EPSG:4326.
//!
//! Areas are computed on the WGS84 ellipsoid (on its authalic sphere, [`area`], or with
//! Karney's algorithm through `geo` for rings with long edges), never on projected or raw
//! degree coordinates, and they do not depend on the winding of the
//! rings: shapefiles store exterior rings clockwise, GeoJSON (RFC 7946) counter-clockwise,
//! and both must give the same hectares. Geometry that enters the domain is brought to
//! the RFC 7946 winding with [`normalise_orientation`].
//!
//! The checks ([`validate_area_geometry`], [`check`]) refuse what cannot be measured or
//! drawn: coordinates out of range, unclosed rings, rings that cross themselves, holes
//! outside their shell, and geometries with more vertices than [`MAX_VERTICES_DRAWN`]
//! or [`MAX_VERTICES_IMPORTED`]. They run in O(n log n) for the shapes people draw and
//! import (a sweep over the edges, [`sweep`]).

use geo::{BoundingRect, Contains, GeodesicArea, Winding};
use geo_types::{Geometry, LineString, MultiPolygon, Polygon, Rect};

pub mod area;
pub mod check;
pub mod sweep;
#[cfg(test)]
mod tests;

pub use check::{
    GeometryIssue, MAX_VERTICES_DRAWN, MAX_VERTICES_IMPORTED, coord_problem, geometry_type_name,
    ring_not_closed, validate_area_geometry, vertex_limit_problem,
};

/// Square metres in one hectare.
pub const M2_PER_HA: f64 = 10_000.0;

/// Geodesic area of a (multi)polygon in square metres, holes subtracted, whatever the
/// winding of its rings.
///
/// # Examples
/// ```
/// use geo_types::{polygon, MultiPolygon, Polygon};
/// use kumuh_domain::geometry::geodesic_area_m2;
/// // About 100 m × 100 m near Jiwan (0.0009° ≈ 100 m).
/// let p = polygon![(x: 111.49, y: -7.65), (x: 111.4909, y: -7.65),
///                  (x: 111.4909, y: -7.6491), (x: 111.49, y: -7.6491)];
/// let a = geodesic_area_m2(&MultiPolygon(vec![p.clone()]));
/// assert!((a - 9_850.0).abs() < 150.0, "{a}");
/// // The same square drawn clockwise, as a shapefile stores it.
/// let mut cw = p.exterior().clone();
/// cw.0.reverse();
/// let b = geodesic_area_m2(&MultiPolygon(vec![Polygon::new(cw, vec![])]));
/// assert!((a - b).abs() < 1e-6, "{a} {b}");
/// ```
pub fn geodesic_area_m2(g: &MultiPolygon<f64>) -> f64 {
    g.0.iter().map(polygon_area_m2).sum()
}

/// Geodesic area of a (multi)polygon in hectares, whatever the winding of its rings.
pub fn geodesic_area_ha(g: &MultiPolygon<f64>) -> f64 {
    geodesic_area_m2(g) / M2_PER_HA
}

/// Geodesic area of one polygon in square metres: its exterior ring's area less its
/// holes', each measured whatever its winding (never below zero).
pub fn polygon_area_m2(p: &Polygon<f64>) -> f64 {
    let holes: f64 = p.interiors().iter().map(ring_area_m2).sum();
    (ring_area_m2(p.exterior()) - holes).max(0.0)
}

/// Geodesic area enclosed by one ring in square metres, whatever its winding.
///
/// `geo`'s unsigned measure assumes a counter-clockwise ring and gives the rest of the
/// earth for a clockwise one; the signed measure keeps the smaller side, which for a
/// ring drawn on a map is the side that was meant.
///
/// Rings with edges up to [`area::LONG_EDGE_DEG`] are measured on the authalic sphere
/// ([`area`], agreeing with the geodesic polygon area to better than one part in a
/// million); others with Karney's geodesic polygon area.
pub fn ring_area_m2(ring: &LineString<f64>) -> f64 {
    if ring.0.len() < 3 {
        return 0.0;
    }
    let area = match area::signed_ring_area_m2(&ring.0) {
        Some(a) => a.abs(),
        None => Polygon::new(ring.clone(), vec![])
            .geodesic_area_signed()
            .abs(),
    };
    if area.is_finite() { area } else { 0.0 }
}

/// Geodesic perimeter (all rings) and area of a polygon, in metres and square metres,
/// whatever the winding of its rings.
pub fn polygon_perimeter_area(p: &Polygon<f64>) -> (f64, f64) {
    (p.geodesic_perimeter(), polygon_area_m2(p))
}

/// Brings a polygon's rings to the RFC 7946 winding: exterior counter-clockwise, holes
/// clockwise. A ring that is not closed, or has no winding (fewer than three different
/// points), is left as it is, so that the checks still see and name it.
///
/// # Examples
/// ```
/// use geo::Winding;
/// use geo_types::{LineString, Polygon};
/// use kumuh_domain::geometry::normalise_polygon_orientation;
/// let cw = LineString::from(vec![(0., 0.), (0., 1.), (1., 1.), (1., 0.), (0., 0.)]);
/// let hole = LineString::from(vec![(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.2)]);
/// let mut p = Polygon::new(cw, vec![hole]);
/// normalise_polygon_orientation(&mut p);
/// assert!(p.exterior().is_ccw());
/// assert!(p.interiors()[0].is_cw());
/// ```
pub fn normalise_polygon_orientation(p: &mut Polygon<f64>) {
    let wrong = |ls: &LineString<f64>, ccw: bool| {
        ls.is_closed() && ls.0.len() >= 4 && if ccw { ls.is_cw() } else { ls.is_ccw() }
    };
    if !wrong(p.exterior(), true) && !p.interiors().iter().any(|r| wrong(r, false)) {
        return;
    }
    let (mut exterior, mut interiors) =
        std::mem::replace(p, Polygon::new(LineString(Vec::new()), Vec::new())).into_inner();
    if wrong(&exterior, true) {
        exterior.0.reverse();
    }
    for r in &mut interiors {
        if wrong(r, false) {
            r.0.reverse();
        }
    }
    // Every ring is unchanged or reversed and closed, so rebuilding closes nothing new.
    *p = Polygon::new(exterior, interiors);
}

/// [`normalise_polygon_orientation`] for every part of a multipolygon.
pub fn normalise_orientation(g: &mut MultiPolygon<f64>) {
    g.0.iter_mut().for_each(normalise_polygon_orientation);
}

/// [`normalise_polygon_orientation`] for the polygons of any geometry (points and lines
/// are left as they are).
pub fn normalise_geometry_orientation(g: &mut Geometry<f64>) {
    match g {
        Geometry::Polygon(p) => normalise_polygon_orientation(p),
        Geometry::MultiPolygon(mp) => normalise_orientation(mp),
        Geometry::GeometryCollection(c) => {
            c.0.iter_mut().for_each(normalise_geometry_orientation);
        }
        _ => {}
    }
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

/// Whether `b` is a box `[west, south, east, north]` in EPSG:4326 degrees: longitudes in
/// −180…180, latitudes in −90…90, west ≤ east and south ≤ north (NaN is none of these).
///
/// # Examples
///
/// ```
/// use kumuh_domain::geometry::is_bbox;
/// assert!(is_bbox([111.48, -7.59, 111.50, -7.57]));
/// assert!(!is_bbox([111.50, -7.59, 111.48, -7.57]));
/// assert!(!is_bbox([0.0, 95.0, 1.0, 96.0]));
/// ```
pub fn is_bbox(b: [f64; 4]) -> bool {
    let [w, s, e, n] = b;
    [w, e].iter().all(|x| (-180.0..=180.0).contains(x))
        && [s, n].iter().all(|y| (-90.0..=90.0).contains(y))
        && w <= e
        && s <= n
}

/// A box written `west,south,east,north` (spaces around the numbers allowed) that
/// [`is_bbox`]; `None` for anything else.
///
/// # Examples
///
/// ```
/// use kumuh_domain::geometry::parse_bbox;
/// assert_eq!(parse_bbox("111.48, -7.59,111.50,-7.57"), Some([111.48, -7.59, 111.50, -7.57]));
/// assert_eq!(parse_bbox("111.48,-7.59,111.50"), None);
/// assert_eq!(parse_bbox("1,2,3,x"), None);
/// ```
pub fn parse_bbox(text: &str) -> Option<[f64; 4]> {
    let v: Vec<f64> = text
        .split(',')
        .map(|p| p.trim().parse::<f64>().ok())
        .collect::<Option<_>>()?;
    <[f64; 4]>::try_from(v).ok().filter(|b| is_bbox(*b))
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
