use super::*;
use geo::Winding;
use geo_types::{Coord, Polygon, polygon};

fn mp(p: Polygon<f64>) -> MultiPolygon<f64> {
    MultiPolygon(vec![p])
}

/// A polygon as stored JSON gives it: `Polygon::new` would close an open ring.
fn raw_polygon(exterior: &[(f64, f64)], holes: &[&[(f64, f64)]]) -> Polygon<f64> {
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

fn reversed(ls: &LineString<f64>) -> LineString<f64> {
    LineString(ls.0.iter().rev().copied().collect())
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
    let p =
        polygon![(x: 0.0, y: 0.0), (x: d_lon, y: 0.0), (x: d_lon, y: d_lat), (x: 0.0, y: d_lat)];
    let ha = geodesic_area_ha(&mp(p));
    assert!((ha - 1.0).abs() < 0.001, "{ha}");
}

/// A square of about 1 km near Jiwan with a hole of about 100 m, in RFC 7946 winding.
fn square_with_hole() -> Polygon<f64> {
    let ext = LineString::from(vec![
        (111.49, -7.66),
        (111.499, -7.66),
        (111.499, -7.651),
        (111.49, -7.651),
        (111.49, -7.66),
    ]);
    let hole = LineString::from(vec![
        (111.494, -7.656),
        (111.494, -7.6551),
        (111.4949, -7.6551),
        (111.4949, -7.656),
        (111.494, -7.656),
    ]);
    Polygon::new(ext, vec![hole])
}

#[test]
fn areas_do_not_depend_on_winding() {
    let ccw = square_with_hole();
    assert!(ccw.exterior().is_ccw() && ccw.interiors()[0].is_cw());
    let want = geodesic_area_m2(&mp(ccw.clone()));
    // About 0.99 km² less 0.0099 km².
    assert!((want - 980_000.0).abs() < 15_000.0, "{want}");
    // Every combination of windings gives the same area.
    for (flip_ext, flip_hole) in [(true, false), (false, true), (true, true)] {
        let ext = if flip_ext {
            reversed(ccw.exterior())
        } else {
            ccw.exterior().clone()
        };
        let hole = if flip_hole {
            reversed(&ccw.interiors()[0])
        } else {
            ccw.interiors()[0].clone()
        };
        let p = Polygon::new(ext, vec![hole]);
        let got = geodesic_area_m2(&mp(p.clone()));
        assert!(
            (got - want).abs() < 1e-3,
            "{flip_ext} {flip_hole}: {got} {want}"
        );
        assert!((polygon_perimeter_area(&p).1 - want).abs() < 1e-3);
    }
}

#[test]
fn normalising_gives_rfc_7946_winding_and_keeps_the_area() {
    let ccw = square_with_hole();
    let mut p = Polygon::new(
        reversed(ccw.exterior()),
        vec![reversed(&ccw.interiors()[0])],
    );
    assert!(p.exterior().is_cw());
    normalise_polygon_orientation(&mut p);
    assert!(p.exterior().is_ccw(), "{p:?}");
    assert!(p.interiors()[0].is_cw(), "{p:?}");
    // geo's unsigned measure is right once the winding is.
    let unsigned = p.geodesic_area_unsigned();
    assert!(
        (unsigned - geodesic_area_m2(&mp(ccw.clone()))).abs() < 1e-3,
        "{unsigned}"
    );

    // A ring that is not closed stays as it is, for the check to name.
    let mut open = raw_polygon(&[(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0)], &[]);
    let before = open.clone();
    normalise_polygon_orientation(&mut open);
    assert_eq!(open, before);

    let mut g = Geometry::MultiPolygon(mp(Polygon::new(reversed(ccw.exterior()), vec![])));
    normalise_geometry_orientation(&mut g);
    let Geometry::MultiPolygon(m) = g else {
        panic!("still a multipolygon")
    };
    assert!(m.0[0].exterior().is_ccw());
}

#[test]
fn unclosed_rings_are_refused_and_named() {
    let square = [(0.0, 0.0), (0.001, 0.0), (0.001, 0.001), (0.0, 0.001)];
    let p = raw_polygon(&square, &[]);
    let issues = validate_area_geometry(&mp(p));
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(
        issues[0].to_string(),
        "polygon 0, exterior ring: the ring is not closed: it starts at (0, 0) and ends at \
         (0, 0.001)"
    );
    let mut closed = square.to_vec();
    closed.push(square[0]);
    let hole = [(0.0002, 0.0002), (0.0004, 0.0002), (0.0004, 0.0004)];
    let issues = validate_area_geometry(&mp(raw_polygon(&closed, &[&hole])));
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].ring, Some(0));
    assert!(issues[0].message.contains("not closed"), "{}", issues[0]);
}

#[test]
fn crossings_name_the_ring_edges_and_point() {
    let bow = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)];
    let issues = validate_area_geometry(&mp(bow));
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].vertex, Some(0));
    assert_eq!(
        issues[0].to_string(),
        "polygon 0, exterior ring, vertex 0: the ring crosses itself at (0.5, 0.5): the edge \
         from vertex 0 to 1 meets the edge from vertex 2 to 3"
    );
    // A spike folding back along itself.
    let spike = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)];
    let issues = validate_area_geometry(&mp(spike));
    assert!(
        issues[0].message.contains("crosses itself at (1, 0)"),
        "{}",
        issues[0]
    );
}

#[test]
fn holes_and_parts_must_fit_together() {
    let outer = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
    let far_hole = LineString::from(vec![(2.0, 2.0), (3.0, 2.0), (3.0, 3.0), (2.0, 2.0)]);
    let p = Polygon::new(outer.exterior().clone(), vec![far_hole]);
    let issues = validate_area_geometry(&mp(p));
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(
        issues[0].to_string(),
        "polygon 0, interior ring 0: the hole does not lie inside the exterior ring"
    );

    let shifted = polygon![(x: 0.5, y: 0.5), (x: 1.5, y: 0.5), (x: 1.5, y: 1.5), (x: 0.5, y: 1.5)];
    let beside = polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)];
    let corner = polygon![(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0)];
    let check = |parts: Vec<Polygon<f64>>, expected: Option<&str>| {
        let issues = validate_area_geometry(&MultiPolygon(parts));
        assert_eq!(
            issues.first().map(ToString::to_string).as_deref(),
            expected,
            "{issues:?}"
        );
    };
    check(vec![outer.clone(), corner], None);
    check(
        vec![outer.clone(), shifted],
        Some(
            "polygon 1, exterior ring: the polygon overlaps polygon 0; the parts of a \
             multipolygon may meet at points only",
        ),
    );
    check(
        vec![outer, beside],
        Some(
            "polygon 1, exterior ring: the polygon meets along a line polygon 0; the parts \
             of a multipolygon may meet at points only",
        ),
    );
}

#[test]
fn too_many_vertices_are_refused_before_anything_else() {
    let n = MAX_VERTICES_IMPORTED;
    // An open ring full of out-of-range points: only the count is reported.
    let ring: Vec<Coord<f64>> = (0..n)
        .map(|i| Coord {
            x: 500.0 + i as f64,
            y: 0.0,
        })
        .collect();
    let p = Polygon::new(LineString(ring), vec![]);
    let issues = validate_area_geometry(&mp(p));
    assert_eq!(issues.len(), 1);
    assert_eq!(
        issues[0].message,
        format!(
            "the geometry has {} vertices, at most {n} are allowed",
            n + 1
        )
    );
}

/// A star-shaped ring of `n` vertices around (`lon`, `lat`), radii up to `r_deg`, closed,
/// counter-clockwise; `next` gives numbers in [0, 1).
fn star(lon: f64, lat: f64, r_deg: f64, n: usize, next: &mut impl FnMut() -> f64) -> LineString {
    let mut pts: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * (i as f64 + 0.8 * next()) / n as f64;
            let r = r_deg * (0.3 + 0.7 * next());
            (lon + r * a.cos(), lat + r * a.sin())
        })
        .collect();
    pts.push(pts[0]);
    LineString::from(pts)
}

/// The authalic-sphere area agrees with Karney's geodesic polygon area on rings of every
/// size it is used for, at Indonesia's latitudes and far from them, either winding.
#[test]
fn authalic_areas_agree_with_the_geodesic_ones() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut worst = 0.0_f64;
    for case in 0..2_000 {
        let lat = if case % 4 == 0 {
            -70.0 + 140.0 * next()
        } else {
            -11.0 + 17.0 * next()
        };
        let lon = -180.0 + 360.0 * next();
        // 1 m to about 20 km across, 3 to 300 vertices.
        let r_deg = 10f64.powf(-5.0 + 4.0 * next());
        let n = 3 + (next() * 297.0) as usize;
        let ring = star(lon, lat, r_deg, n, &mut next);
        let Some(fast) = area::signed_ring_area_m2(&ring.0) else {
            continue;
        };
        let want = Polygon::new(ring.clone(), vec![]).geodesic_area_signed();
        assert!(fast > 0.0 && want > 0.0, "{case}: {fast} {want}");
        let rel = (fast - want).abs() / want;
        if want > 10_000.0 {
            worst = worst.max(rel);
        }
        // Karney's polygon area is exact to about 1e-4 m² for the smallest rings here (a
        // local planar measure of a 5 m² star agrees with the authalic one to 1e-8 m²
        // and with Karney's to 2e-5 m²): below a millimetre squared, either may be off.
        assert!(
            rel < 1e-6 || (fast - want).abs() < 1e-3,
            "{case}: lon {lon} lat {lat} r {r_deg}° n {n}: {fast} m² against {want} m²"
        );
        let back = area::signed_ring_area_m2(&reversed(&ring).0).unwrap();
        assert!(
            (back + fast).abs() <= 1e-9 * fast + 1e-6,
            "{case}: {back} {fast}"
        );
    }
    // Measured: 1.4e-7 over the rings of more than a hectare.
    assert!(
        worst < 1e-6,
        "worst relative difference over 1 ha: {worst:e}"
    );
}

/// A ring with an edge longer than the authalic measure takes is left to the geodesic one.
#[test]
fn rings_with_long_edges_are_measured_geodesically() {
    let big = LineString::from(vec![
        (100.0, -5.0),
        (101.0, -5.0),
        (101.0, -4.0),
        (100.0, -5.0),
    ]);
    assert_eq!(area::signed_ring_area_m2(&big.0), None);
    let want = Polygon::new(big.clone(), vec![])
        .geodesic_area_signed()
        .abs();
    assert_eq!(ring_area_m2(&big), want);
}
