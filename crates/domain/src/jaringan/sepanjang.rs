//! Which mapped lines a work's line runs along, so that a finished work can mark them
//! rebuilt.

use geo::{BoundingRect, Geodesic, Length};
use geo_types::{Coord, LineString, MultiLineString};
use serde::Serialize;

use super::volume::usable_lines;
use super::{JenisJaringan, KRITERIA_2A, KRITERIA_2B, KRITERIA_4B, KRITERIA_4C, KondisiRuas, Ruas};

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
    pub kondisi: KondisiRuas,
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
/// use kumuh_domain::jaringan::{lines_along, JenisJaringan, KondisiRuas, Ruas};
/// // A 170 m paving over the first half of a 340 m road mapped 2 m beside it.
/// let work = MultiLineString(vec![line_string![(x: 111.4900, y: -7.576), (x: 111.491542, y: -7.576)]]);
/// let road = Ruas::new("J-01", JenisJaringan::Jalan, KondisiRuas::RusakBerat,
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
    use geo_types::MultiLineString;

    use super::*;
    use crate::jaringan::{JenisJaringan, KondisiRuas, Ruas};

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
                KondisiRuas::RusakBerat,
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
}
