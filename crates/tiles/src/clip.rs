//! Clipping to the buffered tile square in tile coordinates.
//!
//! Rings are clipped with Sutherland–Hodgman (the clip square is convex), one side at a
//! time; lines are cut into parts. Where an edge crosses a side, the crossing is computed
//! from the edge's end points taken in a canonical order (smaller `(x, y)` first), so
//! the same edge walked in either direction — as two neighbouring polygons walk their
//! shared border — yields bit-identical crossing points.

/// One side of the clip square.
#[derive(Debug, Clone, Copy)]
enum Side {
    /// Keep `x >= c`.
    Left(f64),
    /// Keep `x <= c`.
    Right(f64),
    /// Keep `y >= c`.
    Top(f64),
    /// Keep `y <= c`.
    Bottom(f64),
}

impl Side {
    fn all(min: f64, max: f64) -> [Side; 4] {
        [
            Side::Left(min),
            Side::Right(max),
            Side::Top(min),
            Side::Bottom(max),
        ]
    }

    #[inline]
    fn inside(self, p: [f64; 2]) -> bool {
        match self {
            Side::Left(c) => p[0] >= c,
            Side::Right(c) => p[0] <= c,
            Side::Top(c) => p[1] >= c,
            Side::Bottom(c) => p[1] <= c,
        }
    }

    /// Where the edge `a`–`b` (one end inside, one outside) crosses this side.
    #[inline]
    fn cut(self, a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
        let (p, q) = if (a[0], a[1]) <= (b[0], b[1]) {
            (a, b)
        } else {
            (b, a)
        };
        match self {
            Side::Left(c) | Side::Right(c) => {
                let t = (c - p[0]) / (q[0] - p[0]);
                [c, p[1] + t * (q[1] - p[1])]
            }
            Side::Top(c) | Side::Bottom(c) => {
                let t = (c - p[1]) / (q[1] - p[1]);
                [p[0] + t * (q[0] - p[0]), c]
            }
        }
    }
}

/// `true` when every point lies inside the square `[min, max]²`.
pub(crate) fn all_inside(points: &[[f64; 2]], min: f64, max: f64) -> bool {
    points
        .iter()
        .all(|p| p[0] >= min && p[0] <= max && p[1] >= min && p[1] <= max)
}

/// Clips a closed ring (without its closing point) to the square `[min, max]²` in place.
/// The result may be empty, or may run along the square's sides where the ring left and
/// came back; both are cleaned up after snapping.
pub(crate) fn clip_ring(ring: &mut Vec<[f64; 2]>, tmp: &mut Vec<[f64; 2]>, min: f64, max: f64) {
    for side in Side::all(min, max) {
        if ring.is_empty() {
            return;
        }
        tmp.clear();
        let mut prev = ring[ring.len() - 1];
        let mut prev_in = side.inside(prev);
        for &p in ring.iter() {
            let p_in = side.inside(p);
            if p_in != prev_in {
                tmp.push(side.cut(prev, p));
            }
            if p_in {
                tmp.push(p);
            }
            (prev, prev_in) = (p, p_in);
        }
        std::mem::swap(ring, tmp);
    }
}

/// Lines as one coordinate list and the end index of each part.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    pub coords: Vec<[f64; 2]>,
    pub ends: Vec<usize>,
}

impl Parts {
    pub fn clear(&mut self) {
        self.coords.clear();
        self.ends.clear();
    }

    /// Closes the part being built, keeping it only when it has two points or more.
    fn end_part(&mut self) {
        let start = self.ends.last().copied().unwrap_or(0);
        match self.coords.len() - start {
            0 => {}
            1 => {
                self.coords.truncate(start);
            }
            _ => self.ends.push(self.coords.len()),
        }
    }

    pub fn parts(&self) -> impl Iterator<Item = &[[f64; 2]]> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let part = &self.coords[start..end];
            start = end;
            part
        })
    }
}

/// Clips a line to the square `[min, max]²`; `lines` holds the line on entry and its
/// parts inside the square on return.
pub(crate) fn clip_line(lines: &mut Parts, tmp: &mut Parts, min: f64, max: f64) {
    for side in Side::all(min, max) {
        tmp.clear();
        for part in lines.parts() {
            let mut prev: Option<([f64; 2], bool)> = None;
            for &p in part {
                let p_in = side.inside(p);
                if let Some((q, q_in)) = prev {
                    match (q_in, p_in) {
                        (true, true) => tmp.coords.push(p),
                        (true, false) => {
                            tmp.coords.push(side.cut(q, p));
                            tmp.end_part();
                        }
                        (false, true) => {
                            tmp.coords.push(side.cut(q, p));
                            tmp.coords.push(p);
                        }
                        (false, false) => {}
                    }
                } else if p_in {
                    tmp.coords.push(p);
                }
                prev = Some((p, p_in));
            }
            tmp.end_part();
        }
        std::mem::swap(lines, tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clipped(ring: &[[f64; 2]]) -> Vec<[f64; 2]> {
        let mut r = ring.to_vec();
        clip_ring(&mut r, &mut Vec::new(), 0.0, 10.0);
        r
    }

    #[test]
    fn ring_inside_is_unchanged_and_outside_vanishes() {
        let inside = [[1.0, 1.0], [9.0, 1.0], [9.0, 9.0]];
        assert_eq!(clipped(&inside), inside);
        assert!(clipped(&[[11.0, 1.0], [19.0, 1.0], [19.0, 9.0]]).is_empty());
        assert!(clipped(&[]).is_empty());
    }

    #[test]
    fn ring_around_the_square_becomes_the_square() {
        let r = clipped(&[[-5.0, -5.0], [15.0, -5.0], [15.0, 15.0], [-5.0, 15.0]]);
        let mut sorted = r.clone();
        sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(
            sorted,
            [[0.0, 0.0], [0.0, 10.0], [10.0, 0.0], [10.0, 10.0]],
            "{r:?}"
        );
    }

    #[test]
    fn crossings_do_not_depend_on_edge_direction() {
        // An awkward edge crossing the left side, walked both ways.
        let a = [-3.163_592_653, 2.738_281_828];
        let b = [7.319_056_098, -1.474_213_562];
        for side in Side::all(0.0, 5.0) {
            let (p, q) = (side.cut(a, b), side.cut(b, a));
            assert_eq!(p[0].to_bits(), q[0].to_bits());
            assert_eq!(p[1].to_bits(), q[1].to_bits());
        }
    }

    #[test]
    fn line_is_cut_into_parts() {
        let mut lines = Parts::default();
        lines.coords.extend([
            [-5.0, 5.0],
            [5.0, 5.0],
            [5.0, 15.0],
            [8.0, 15.0],
            [8.0, 5.0],
        ]);
        lines.ends.push(5);
        clip_line(&mut lines, &mut Parts::default(), 0.0, 10.0);
        let parts: Vec<_> = lines.parts().map(<[_]>::to_vec).collect();
        assert_eq!(
            parts,
            [
                vec![[0.0, 5.0], [5.0, 5.0], [5.0, 10.0]],
                vec![[8.0, 10.0], [8.0, 5.0]]
            ]
        );
    }

    #[test]
    fn line_touching_only_at_a_point_is_dropped() {
        let mut lines = Parts::default();
        lines.coords.extend([[-5.0, 0.0], [0.0, 0.0]]);
        lines.ends.push(2);
        clip_line(&mut lines, &mut Parts::default(), 0.0, 10.0);
        // The single point on the border is kept as a two-point part of zero length,
        // which snapping and cleaning then drop.
        assert!(lines.parts().all(|p| p.len() >= 2));
    }
}
