//! Sweeps over the edges of rings, west to east: where a ring crosses itself, and how
//! the rings of a polygon and the parts of a multipolygon lie to each other.
//!
//! Comparing every pair of edges, as `geo`'s OGC validation does for each ring, takes
//! 8 s for a ring of 20,000 vertices and never ends for 200,000. Sorting the edges by
//! their west end and comparing each only with the edges that start before it ends
//! costs O(n log n + m), where m is the number of edge pairs whose longitude ranges
//! overlap: a few per edge for a drawn or surveyed boundary. Where m grows past a budget,
//! a Shamos-Hoey sweep (Bentley-Ottmann without the crossing events, which a check that
//! stops at the first crossing does not need) keeps the whole check O(n log n).

use std::fmt;

use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::line_intersection::{LineIntersection, line_intersection};
use geo::{BoundingRect, Intersects, PreparedGeometry, Relate};
use geo_types::{Coord, Line, MultiPolygon, Polygon, Rect};

use super::check::deg;

/// Where a ring crosses or touches itself: two edges, each given by the indices of its
/// two vertices as the positions were given (repeated positions counted), and the point
/// where they meet (the start of the shared stretch where they overlap).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crossing {
    /// The edge that comes first in the ring: `[from, to]` vertex indices.
    pub edge_a: [usize; 2],
    /// The other edge.
    pub edge_b: [usize; 2],
    /// Where the edges meet, (longitude, latitude).
    pub at: Coord<f64>,
}

impl fmt::Display for Crossing {
    /// `the ring crosses itself at (0.5, 0.5): the edge from vertex 0 to 1 meets the
    /// edge from vertex 2 to 3` (coordinates rounded to 7 decimals).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the ring crosses itself at ({}, {}): the edge from vertex {} to {} meets the \
             edge from vertex {} to {}",
            deg(self.at.x),
            deg(self.at.y),
            self.edge_a[0],
            self.edge_a[1],
            self.edge_b[0],
            self.edge_b[1]
        )
    }
}

/// The positions of a ring or line with repeats in a row dropped, each with its index
/// in the original list.
pub(crate) fn distinct_run(coords: &[Coord<f64>]) -> Vec<(usize, Coord<f64>)> {
    let mut out: Vec<(usize, Coord<f64>)> = Vec::with_capacity(coords.len());
    for (i, c) in coords.iter().enumerate() {
        if out.last().is_none_or(|(_, last)| last != c) {
            out.push((i, *c));
        }
    }
    out
}

/// The first place (by edge order) where a closed ring with at least 3 different points
/// crosses or touches itself, if it does. Neighbouring edges may only share their common
/// vertex; any other contact, or neighbours folding back over each other, counts.
/// Repeated positions in a row are not edges and are skipped; a ring that is not closed
/// or has fewer than 3 different points gives `None` (the structure checks name it).
///
/// Edges are sorted by their west end and each is compared with the edges that start
/// before it ends, which finds the first crossing for the shapes people draw in
/// O(n log n). A ring whose edges mostly overlap in longitude (a comb of long east-west
/// teeth) would make that quadratic, so after [`PAIR_BUDGET_PER_EDGE`] comparisons per
/// edge the check switches to a Shamos-Hoey sweep with an ordered set of active edges,
/// O(n log n) whatever the shape, which reports a crossing but not necessarily the
/// first.
///
/// # Examples
/// ```
/// use geo_types::coord;
/// use kumuh_domain::geometry::sweep::ring_crossing;
/// let bow = [(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)]
///     .map(|(x, y)| coord! { x: x, y: y });
/// let c = ring_crossing(&bow).unwrap();
/// assert_eq!((c.edge_a, c.edge_b), ([0, 1], [2, 3]));
/// assert_eq!((c.at.x, c.at.y), (0.5, 0.5));
/// ```
pub fn ring_crossing(ring: &[Coord<f64>]) -> Option<Crossing> {
    let pts = distinct_run(ring);
    if pts.len() < 4 || ring.first() != ring.last() {
        return None;
    }
    let budget = PAIR_BUDGET_PER_EDGE.saturating_mul(pts.len());
    let found = match first_contact(&pts, budget) {
        Ok(found) => found,
        Err(BudgetSpent) => shamos_hoey::any_contact(&pts),
    };
    found.map(|(a, b, at)| Crossing {
        edge_a: [pts[a].0, pts[a + 1].0],
        edge_b: [pts[b].0, pts[b + 1].0],
        at,
    })
}

/// How many edge pairs per edge the exhaustive pass of [`ring_crossing`] may compare
/// before it gives way to the Shamos-Hoey sweep. Drawn and surveyed boundaries need a
/// few; 64 keeps the exact first crossing for all of them.
pub const PAIR_BUDGET_PER_EDGE: usize = 64;

/// The exhaustive pass ran out of comparisons.
#[derive(Debug)]
struct BudgetSpent;

/// Edge `k` of the ring `pts` (distinct positions, closed).
fn edge(pts: &[(usize, Coord<f64>)], k: usize) -> Line<f64> {
    Line::new(pts[k].1, pts[k + 1].1)
}

/// Whether two edges `a < b` of a ring meet in a way a simple ring does not allow, and
/// where: anything but neighbours sharing just their common vertex. `m` is the number
/// of edges.
fn contact(pts: &[(usize, Coord<f64>)], m: usize, a: usize, b: usize) -> Option<Coord<f64>> {
    let hit = line_intersection(edge(pts, a), edge(pts, b))?;
    let shared = if b == a + 1 {
        Some(pts[b].1)
    } else if a == 0 && b == m - 1 {
        Some(pts[0].1)
    } else {
        None
    };
    match (hit, shared) {
        // Neighbours that are not collinear meet only at their common vertex.
        (LineIntersection::SinglePoint { .. }, Some(_)) => None,
        (LineIntersection::SinglePoint { intersection, .. }, None) => Some(intersection),
        // Neighbours folding back over each other: the overlap runs from the common
        // vertex to the point where the fold turns.
        (LineIntersection::Collinear { intersection }, Some(v)) => {
            Some(if intersection.start == v {
                intersection.end
            } else {
                intersection.start
            })
        }
        (LineIntersection::Collinear { intersection }, None) => Some(intersection.start),
    }
}

/// The first contact by edge order, `(a, b, at)` with `a < b`, comparing every pair of
/// edges whose longitude ranges overlap, or [`BudgetSpent`] after `budget` pairs.
fn first_contact(
    pts: &[(usize, Coord<f64>)],
    budget: usize,
) -> Result<Option<(usize, usize, Coord<f64>)>, BudgetSpent> {
    let m = pts.len() - 1;
    let span = |k: usize| {
        let (p, q) = (pts[k].1, pts[k + 1].1);
        (p.x.min(q.x), p.x.max(q.x), p.y.min(q.y), p.y.max(q.y))
    };
    let mut order: Vec<(f64, f64, f64, f64, usize)> = (0..m)
        .map(|k| {
            let (w, e, s, n) = span(k);
            (w, e, s, n, k)
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut spent = 0usize;
    let mut best: Option<(usize, usize, Coord<f64>)> = None;
    for (i, &(_, east, south, north, k1)) in order.iter().enumerate() {
        for &(west2, _, south2, north2, k2) in &order[i + 1..] {
            if west2 > east {
                break;
            }
            spent += 1;
            if spent > budget {
                return Err(BudgetSpent);
            }
            if south2 > north || north2 < south {
                continue;
            }
            let (a, b) = (k1.min(k2), k1.max(k2));
            if best.is_some_and(|(ba, bb, _)| (ba, bb) <= (a, b)) {
                continue;
            }
            if let Some(at) = contact(pts, m, a, b) {
                best = Some((a, b, at));
            }
        }
    }
    Ok(best)
}

mod active;
mod shamos_hoey;

/// The OGC rules between the rings of a polygon whose rings are each simple: every hole
/// inside the exterior ring, touching it or another hole at points only, and no two
/// holes overlapping. Gives the (zero-based) hole named and what is wrong.
///
/// Only holes whose boxes overlap can overlap: they are sorted by west edge and each is
/// compared with those starting before it ends, and each comparison is `geo`'s relate
/// on prepared (indexed) geometry.
pub fn holes_problem(p: &Polygon<f64>) -> Option<(usize, String)> {
    if p.interiors().is_empty() {
        return None;
    }
    let shell = Polygon::new(p.exterior().clone(), vec![]);
    let shell = PreparedGeometry::from(&shell);
    let holes: Vec<Polygon<f64>> = p
        .interiors()
        .iter()
        .map(|r| Polygon::new(r.clone(), vec![]))
        .collect();
    let holes: Vec<PreparedGeometry<'_, &Polygon<f64>>> =
        holes.iter().map(PreparedGeometry::from).collect();
    for (i, hole) in holes.iter().enumerate() {
        let m = shell.relate(hole);
        if !m.is_contains() {
            return Some((
                i,
                "the hole does not lie inside the exterior ring".to_owned(),
            ));
        }
        if m.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
            return Some((
                i,
                "the hole touches the exterior ring along a line; rings may meet at points only"
                    .to_owned(),
            ));
        }
    }
    first_overlap(&holes).map(|(a, b, what)| {
        (
            b,
            format!("the hole {what} interior ring {a}; holes may meet at points only"),
        )
    })
}

/// The OGC rule between the parts of a multipolygon whose parts are each valid: no two
/// overlapping, and meeting at points only. Gives the (zero-based) later part of the
/// first offending pair and what is wrong.
pub fn parts_problem(g: &MultiPolygon<f64>) -> Option<(usize, String)> {
    if g.0.len() < 2 {
        return None;
    }
    let parts: Vec<PreparedGeometry<'_, &Polygon<f64>>> =
        g.0.iter().map(PreparedGeometry::from).collect();
    first_overlap(&parts).map(|(a, b, what)| {
        (
            b,
            format!(
                "the polygon {what} polygon {a}; the parts of a multipolygon may meet at \
                 points only"
            ),
        )
    })
}

/// The first pair (by index) of polygons that overlap or meet along a line, as
/// `(earlier, later, "overlaps" or "meets along a line")`.
fn first_overlap<'a>(
    polygons: &[PreparedGeometry<'a, &'a Polygon<f64>>],
) -> Option<(usize, usize, &'static str)> {
    let boxes: Vec<Option<Rect<f64>>> = polygons.iter().map(BoundingRect::bounding_rect).collect();
    let mut order: Vec<usize> = (0..polygons.len())
        .filter(|&i| boxes[i].is_some())
        .collect();
    order.sort_by(|&a, &b| {
        let west = |i: usize| boxes[i].map_or(f64::NAN, |r| r.min().x);
        west(a).total_cmp(&west(b))
    });
    let mut found: Option<(usize, usize, &'static str)> = None;
    for (k, &a) in order.iter().enumerate() {
        let Some(ra) = boxes[a] else { continue };
        for &b in &order[k + 1..] {
            let Some(rb) = boxes[b] else { continue };
            if rb.min().x > ra.max().x {
                break;
            }
            if !ra.intersects(&rb) {
                continue;
            }
            let m = polygons[a].relate(&polygons[b]);
            let what = if m.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                "overlaps"
            } else if m.get(CoordPos::OnBoundary, CoordPos::OnBoundary)
                == Dimensions::OneDimensional
            {
                "meets along a line"
            } else {
                continue;
            };
            let pair = (a.min(b), a.max(b), what);
            if found.is_none_or(|f| (pair.0, pair.1) < (f.0, f.1)) {
                found = Some(pair);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests;
