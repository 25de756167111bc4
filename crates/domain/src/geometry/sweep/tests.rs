use super::*;
use geo_types::coord;

fn ring(points: &[(f64, f64)]) -> Vec<Coord<f64>> {
    points.iter().map(|&(x, y)| coord! { x: x, y: y }).collect()
}

/// Both sweeps on one ring: whether the exhaustive pass finds a contact, and whether
/// Shamos-Hoey does.
fn both(points: &[Coord<f64>]) -> (bool, bool) {
    let pts = distinct_run(points);
    let exhaustive = first_contact(&pts, usize::MAX).unwrap().is_some();
    (exhaustive, shamos_hoey::any_contact(&pts).is_some())
}

#[test]
fn shamos_hoey_agrees_on_the_hard_cases() {
    let cases: [(&[(f64, f64)], bool); 9] = [
        (&[(0., 0.), (1., 0.), (1., 1.), (0., 1.), (0., 0.)], false),
        (&[(0., 0.), (1., 1.), (1., 0.), (0., 1.), (0., 0.)], true),
        // A spike running back along itself.
        (&[(0., 0.), (2., 0.), (1., 0.), (1., 1.), (0., 0.)], true),
        // The closing edge back over the first.
        (&[(0., 0.), (1., 0.), (2., 0.), (0., 0.)], true),
        // A figure eight through one vertex.
        (
            &[
                (0., 0.),
                (1., 1.),
                (2., 0.),
                (2., 2.),
                (1., 1.),
                (0., 2.),
                (0., 0.),
            ],
            true,
        ),
        // A vertex on another edge (a T).
        (
            &[(0., 0.), (2., 0.), (2., 2.), (1., 0.), (0., 2.), (0., 0.)],
            true,
        ),
        // North-south edges side by side, and a collinear run.
        (
            &[(0., 0.), (0., 1.), (0., 2.), (1., 2.), (1., 0.), (0., 0.)],
            false,
        ),
        (
            &[
                (0., 0.),
                (3., 0.),
                (3., 3.),
                (2., 3.),
                (2., 1.),
                (1., 1.),
                (1., 3.),
                (0., 3.),
                (0., 0.),
            ],
            false,
        ),
        (
            &[
                (0., 0.),
                (3., 0.),
                (3., 3.),
                (2., 3.),
                (2., 0.),
                (1., 3.),
                (0., 3.),
                (0., 0.),
            ],
            true,
        ),
    ];
    for (points, crosses) in cases {
        assert_eq!(both(&ring(points)), (crosses, crosses), "{points:?}");
    }
}

#[test]
fn shamos_hoey_agrees_with_the_exhaustive_pass_on_random_rings() {
    // Small rings on a coarse grid: full of shared vertices, collinear edges and
    // north-south edges, where a sweep is most easily wrong.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut crossing = 0;
    for _ in 0..20_000 {
        let len = 3 + next(6) as usize;
        let mut points: Vec<Coord<f64>> = (0..len)
            .map(|_| coord! { x: next(4) as f64, y: next(4) as f64 })
            .collect();
        points.push(points[0]);
        let pts = distinct_run(&points);
        if pts.len() < 4 {
            continue;
        }
        let (exhaustive, sweep) = both(&points);
        assert_eq!(exhaustive, sweep, "{points:?}");
        crossing += usize::from(exhaustive);
    }
    // Most random rings cross themselves; some must not, or the test shows nothing.
    assert!(crossing > 1_000 && crossing < 19_000, "{crossing}");
}

#[test]
fn a_comb_spends_the_budget_and_is_still_checked() {
    // Long east-west teeth: every edge overlaps every other in longitude.
    let teeth = 2_000;
    let h = 1.0 / (2.0 * f64::from(teeth));
    let mut points = vec![(0.0, 0.0)];
    for t in 0..teeth {
        let y = 2.0 * f64::from(t) * h;
        points.extend([(1.0, y), (1.0, y + h), (0.01, y + h), (0.01, y + 2.0 * h)]);
    }
    points.push((0.0, 2.0 * f64::from(teeth) * h));
    points.push((0.0, 0.0));
    let valid = ring(&points);
    let pts = distinct_run(&valid);
    assert!(first_contact(&pts, PAIR_BUDGET_PER_EDGE * pts.len()).is_err());
    assert_eq!(ring_crossing(&valid), None);
    // One slit's inner corner pulled west through the spine.
    let mut broken = valid.clone();
    broken[4 * 700 + 3].x = -0.5;
    let c = ring_crossing(&broken).expect("the spine is crossed");
    let moved = 4 * 700 + 3;
    assert!(
        c.edge_a.contains(&moved) || c.edge_b.contains(&moved),
        "{c:?}"
    );
}
