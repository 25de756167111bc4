//! The Shamos-Hoey sweep: whether any two edges of a ring meet where a simple ring does
//! not allow it, in O(n log n) whatever the shape.
//!
//! Edge ends are visited west to east (south to north at equal longitude, as if the
//! sweep line were turned by a hair, so that north-south edges need no special case).
//! The edges the sweep line crosses are kept in an ordered set by where they cross it;
//! only edges that become neighbours in that order are compared. Until the sweep passes
//! the first contact, active edges do not cross, so their order is well defined; the
//! first contact is found when the two edges (or two edges squeezed between them)
//! become neighbours, at the latest at the event where they meet.

use std::cmp::Ordering;

use geo_types::Coord;

use super::active::ActiveSet;
use super::contact;

/// Where the sweep stands, and whether edges are compared just after it (when one is
/// inserted) or just before (when one is removed). The order of the active edges depends
/// on it; every comparison happens inside one event, with the position set for it.
#[derive(Debug, Clone, Copy)]
struct At {
    x: f64,
    y: f64,
    after: bool,
}

/// An active edge: its west (or south) end `w`, its other end `e`, and its index.
#[derive(Debug, Clone, Copy)]
struct Active {
    w: Coord<f64>,
    e: Coord<f64>,
    k: usize,
}

impl Active {
    /// Latitude where the edge crosses the sweep line at `(x, y)`. A north-south edge
    /// crosses the (slightly turned) line where the sweep point is, within its length.
    fn y_at(&self, x: f64, y: f64) -> f64 {
        if self.w.x == self.e.x {
            y.clamp(self.w.y, self.e.y)
        } else if x <= self.w.x {
            self.w.y
        } else if x >= self.e.x {
            self.e.y
        } else {
            self.w.y + (self.e.y - self.w.y) * ((x - self.w.x) / (self.e.x - self.w.x))
        }
    }

    /// South to north where the edges cross the sweep line; edges through the same
    /// point by direction (just after the point the steeper is north, just before it
    /// is south), and the same edge only equal to itself.
    fn order(&self, other: &Active, at: At) -> Ordering {
        if self.k == other.k {
            return Ordering::Equal;
        }
        let At { x, y, after } = at;
        let by_y = self.y_at(x, y).total_cmp(&other.y_at(x, y));
        if by_y != Ordering::Equal {
            return by_y;
        }
        let (d1, d2) = (self.e - self.w, other.e - other.w);
        // Positive when `other` turns counter-clockwise from `self`: north of it after
        // the point, south of it before.
        let cross = d1.x * d2.y - d1.y * d2.x;
        let by_direction = if after {
            0.0_f64.total_cmp(&cross)
        } else {
            cross.total_cmp(&0.0)
        };
        if cross.is_nan() || cross == 0.0 {
            self.k.cmp(&other.k)
        } else {
            by_direction
        }
    }
}

/// West-to-east order of points, south to north at equal longitude.
fn before(a: Coord<f64>, b: Coord<f64>) -> Ordering {
    a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y))
}

/// Some contact `(a, b, at)`, `a < b`, between edges of the closed ring `pts` (distinct
/// positions in a row) that a simple ring does not allow, if there is one.
pub(super) fn any_contact(pts: &[(usize, Coord<f64>)]) -> Option<(usize, usize, Coord<f64>)> {
    let m = pts.len() - 1;
    // A vertex visited twice (other than the closing one) is a contact, whatever the
    // sweep makes of it.
    let mut vertices: Vec<usize> = (0..m).collect();
    vertices.sort_by(|&i, &j| before(pts[i].1, pts[j].1).then(i.cmp(&j)));
    if let Some(w) = vertices.windows(2).find(|w| pts[w[0]].1 == pts[w[1]].1) {
        let (i, j) = (w[0], w[1]);
        return Some((i, j, pts[i].1));
    }
    let edges: Vec<Active> = (0..m)
        .map(|k| {
            let (p, q) = (pts[k].1, pts[k + 1].1);
            let (w, e) = if before(p, q) == Ordering::Greater {
                (q, p)
            } else {
                (p, q)
            };
            Active { w, e, k }
        })
        .collect();
    // (point, 0 for a removal and 1 for an insertion, edge): removals first, so that
    // edges meeting end to end are not both active at their common point.
    let mut events: Vec<(Coord<f64>, u8, usize)> = Vec::with_capacity(2 * m);
    for a in &edges {
        events.push((a.w, 1, a.k));
        events.push((a.e, 0, a.k));
    }
    events.sort_by(|a, b| before(a.0, b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut active: ActiveSet<Active> = ActiveSet::with_capacity(m.min(1 << 16));
    let check = |a: &Active, b: &Active| {
        let (i, j) = (a.k.min(b.k), a.k.max(b.k));
        contact(pts, m, i, j).map(|at| (i, j, at))
    };
    for (p, kind, k) in events {
        let me = edges[k];
        let at = At {
            x: p.x,
            y: p.y,
            after: kind == 1,
        };
        let order = |a: &Active, b: &Active| a.order(b, at);
        if kind == 0 {
            let Some((south, north)) = active.remove(&me, &order) else {
                // The order broke down: rounding has made two active edges cross. Only
                // a contact can do that; find it among all active pairs near the point.
                return nearest_contact(&active.items(), &me, &check);
            };
            if let (Some(s), Some(n)) = (south, north)
                && let Some(found) = check(&s, &n)
            {
                return Some(found);
            }
        } else {
            let (south, north) = active.insert(me, &order);
            for other in [south, north].into_iter().flatten() {
                if let Some(found) = check(&me, &other) {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// The contact of `me` with any active edge, when the ordered set could not find `me`:
/// one exists, since edges that do not meet keep a consistent order.
fn nearest_contact(
    active: &[Active],
    me: &Active,
    check: &impl Fn(&Active, &Active) -> Option<(usize, usize, Coord<f64>)>,
) -> Option<(usize, usize, Coord<f64>)> {
    active
        .iter()
        .filter(|a| a.k != me.k)
        .find_map(|a| check(me, a))
        .or_else(|| {
            active
                .iter()
                .enumerate()
                .find_map(|(i, a)| active[i + 1..].iter().find_map(|b| check(a, b)))
        })
}
