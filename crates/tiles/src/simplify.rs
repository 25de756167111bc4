//! Grid snapping and the removal of repeated and collinear points.
//!
//! Both are functions of the coordinates alone, which is what keeps shared borders
//! shared (see the crate documentation).

/// Twice the signed area of a ring (surveyor's formula, ring given without its closing
/// point). Positive for a ring that turns clockwise on screen when y points down.
pub(crate) fn ring_area2(ring: &[[i32; 2]]) -> i128 {
    let Some(&last) = ring.last() else {
        return 0;
    };
    let mut prev = last;
    let mut sum = 0i128;
    for &p in ring {
        sum += i128::from(prev[0]) * i128::from(p[1]) - i128::from(p[0]) * i128::from(prev[1]);
        prev = p;
    }
    sum
}

/// Cross product of `a→b` and `b→c`: zero when the three points are collinear.
fn cross(a: [i32; 2], b: [i32; 2], c: [i32; 2]) -> i64 {
    let (abx, aby) = (
        i64::from(b[0]) - i64::from(a[0]),
        i64::from(b[1]) - i64::from(a[1]),
    );
    let (bcx, bcy) = (
        i64::from(c[0]) - i64::from(b[0]),
        i64::from(c[1]) - i64::from(b[1]),
    );
    abx * bcy - aby * bcx
}

/// Dot product of `a→b` and `b→c`: positive when `c` goes on in the same direction.
fn dot(a: [i32; 2], b: [i32; 2], c: [i32; 2]) -> i64 {
    (i64::from(b[0]) - i64::from(a[0])) * (i64::from(c[0]) - i64::from(b[0]))
        + (i64::from(b[1]) - i64::from(a[1])) * (i64::from(c[1]) - i64::from(b[1]))
}

/// Removes repeated points and every point collinear with its neighbours from a closed
/// ring (given without its closing point), including zero-width spikes. Works in place;
/// the ring may end with fewer than three points, which the caller drops.
pub(crate) fn clean_ring(ring: &mut Vec<[i32; 2]>) {
    let mut n = 0;
    for i in 0..ring.len() {
        let p = ring[i];
        if n > 0 && ring[n - 1] == p {
            continue;
        }
        while n >= 2 && cross(ring[n - 2], ring[n - 1], p) == 0 {
            n -= 1;
        }
        if n > 0 && ring[n - 1] == p {
            continue;
        }
        ring[n] = p;
        n += 1;
    }
    ring.truncate(n);
    // The loop above saw the ring as an open path; now close it, dropping points at the
    // seam (the last and the first) while they repeat or are collinear.
    let mut start = 0;
    loop {
        let len = ring.len() - start;
        if len < 3 {
            break;
        }
        let (first, second) = (ring[start], ring[start + 1]);
        let (before_last, last) = (ring[ring.len() - 2], ring[ring.len() - 1]);
        if last == first || cross(before_last, last, first) == 0 {
            ring.pop();
        } else if cross(last, first, second) == 0 {
            start += 1;
        } else {
            break;
        }
    }
    if start > 0 {
        ring.drain(..start);
    }
}

/// Removes repeated points and interior points that continue straight on from a line.
/// A point where the line turns back on itself is kept, since it ends part of the line.
pub(crate) fn clean_line(line: &mut Vec<[i32; 2]>) {
    let mut n = 0;
    for i in 0..line.len() {
        let p = line[i];
        if n > 0 && line[n - 1] == p {
            continue;
        }
        if n >= 2 && cross(line[n - 2], line[n - 1], p) == 0 && dot(line[n - 2], line[n - 1], p) > 0
        {
            n -= 1;
        }
        line[n] = p;
        n += 1;
    }
    line.truncate(n);
}

/// The grid cell nearest to `v` for a step whose inverse is `inv_step`: `v / step`
/// rounded half away from zero. Steps are powers of two, so multiplying by the inverse
/// is exact. Written out rather than `f64::round`, which is a library call on baseline
/// x86-64 and showed in profiles; either way it is a function of `v` alone.
#[inline]
pub(crate) fn to_grid(v: f64, inv_step: f64) -> i32 {
    let t = v * inv_step;
    // `as` truncates toward zero and saturates; NaN cannot reach here (coordinates are
    // checked on input).
    (t + 0.5f64.copysign(t)) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(points: &[[i32; 2]]) -> Vec<[i32; 2]> {
        let mut r = points.to_vec();
        clean_ring(&mut r);
        r
    }

    #[test]
    fn area_sign_follows_screen_winding() {
        // Clockwise on screen with y down: right, then down.
        assert_eq!(ring_area2(&[[0, 0], [10, 0], [10, 10], [0, 10]]), 200);
        assert_eq!(ring_area2(&[[0, 0], [0, 10], [10, 10], [10, 0]]), -200);
        assert_eq!(ring_area2(&[]), 0);
    }

    #[test]
    fn clean_ring_cases() {
        let square = [[0, 0], [10, 0], [10, 10], [0, 10]];
        assert_eq!(ring(&square), square);
        // Collinear points on the edges and at the seam, and repeats.
        assert_eq!(
            ring(&[
                [5, 0],
                [10, 0],
                [10, 0],
                [10, 5],
                [10, 10],
                [0, 10],
                [0, 5],
                [0, 0]
            ]),
            [[10, 0], [10, 10], [0, 10], [0, 0]]
        );
        // The closing point given twice.
        assert_eq!(ring(&[[0, 0], [10, 0], [10, 10], [0, 0]]).len(), 3);
        // A spike is removed.
        assert_eq!(
            ring(&[[0, 0], [10, 0], [20, 0], [10, 0], [10, 10]]),
            [[0, 0], [10, 0], [10, 10]]
        );
        // Degenerate rings shrink below three points.
        assert!(ring(&[[0, 0], [5, 0], [10, 0]]).len() < 3);
        assert!(ring(&[[1, 1], [1, 1], [1, 1]]).len() < 3);
        assert!(ring(&[]).is_empty());
    }

    #[test]
    fn clean_line_keeps_turns_back() {
        let mut l = vec![[0, 0], [5, 0], [5, 0], [10, 0], [10, 5], [10, 0]];
        clean_line(&mut l);
        assert_eq!(l, [[0, 0], [10, 0], [10, 5], [10, 0]]);
    }

    #[test]
    fn snapping_is_a_function_of_the_value() {
        assert_eq!(to_grid(2.5, 1.0), 3);
        assert_eq!(to_grid(2.4, 1.0), 2);
        assert_eq!(to_grid(-2.5, 1.0), -3);
        assert_eq!(to_grid(-0.4, 1.0), 0);
        assert_eq!(to_grid(13.0, 0.125), 2);
        assert_eq!(to_grid(11.9, 0.125), 1);
        assert_eq!(to_grid(1e30, 1.0), i32::MAX);
    }
}
