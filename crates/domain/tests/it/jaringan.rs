//! Criteria 2a, 2b, 4b and 4c derived from mapped road and drain lines: clipping by the
//! location, geodesic lengths, bad data, the choice between survey and map, and parsing.

use std::collections::BTreeMap;

use geo::{Geodesic, Length};
use geo_types::{LineString, MultiLineString, MultiPolygon, Polygon, polygon};
use kumuh_domain::Kode;
use kumuh_domain::assessment::{AssessmentInput, RuleSet, assess};
use kumuh_domain::jaringan::Sumber::Peta;
use kumuh_domain::jaringan::*;
use proptest::prelude::*;

use crate::jaringan_fixture;
use jaringan_fixture::*;

/// Geodesic length in metres of a segment clipped by hand.
fn geodesic_m(points: &[(f64, f64)]) -> f64 {
    Geodesic.length(&LineString::from(points.to_vec()))
}

/// The road across the square at mid latitude, clipped by hand: about 99.3 m.
fn across_m() -> f64 {
    geodesic_m(&[(W, MID_LAT), (E, MID_LAT)])
}

/// What a derivation should give: lengths in metres (each within 0.5 m), the criteria
/// the map can give, and the kinds of issues in order.
#[derive(Debug, Default)]
struct Want {
    jalan: f64,
    jalan_rusak: f64,
    jalan_tidak_ada: f64,
    drainase: f64,
    drainase_rusak: f64,
    drainase_tidak_ada: f64,
    volumes: &'static [&'static str],
    issues: &'static [&'static str],
}

fn check(location: &MultiPolygon<f64>, ruas: &[Ruas], want: Want) -> DerivedVolumes {
    let d = derive_volumes(location, ruas);
    let got = [
        ("jalan_m", d.jalan_m, want.jalan),
        ("jalan_rusak_m", d.jalan_rusak_m, want.jalan_rusak),
        (
            "jalan_tidak_ada_m",
            d.jalan_tidak_ada_m,
            want.jalan_tidak_ada,
        ),
        ("drainase_m", d.drainase_m, want.drainase),
        ("drainase_rusak_m", d.drainase_rusak_m, want.drainase_rusak),
        (
            "drainase_tidak_ada_m",
            d.drainase_tidak_ada_m,
            want.drainase_tidak_ada,
        ),
    ];
    for (name, got, want) in got {
        assert!((got - want).abs() < 0.5, "{name}: got {got}, want {want}");
    }
    let codes: Vec<&str> = d.volumes().iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, want.volumes, "volumes: {:?}", d.volumes());
    let kinds: Vec<&str> = d.issues.iter().map(Issue::kind).collect();
    assert_eq!(kinds, want.issues, "issues: {:?}", d.issues);
    assert_eq!(d.per_ruas.len(), ruas.len());
    d
}

#[test]
fn a_road_crossing_the_square_counts_about_100_m_inside() {
    let expected = across_m();
    assert!((expected - 99.3).abs() < 0.1, "{expected}");
    let d = check(
        &location(),
        &[jalan(
            "J1",
            KondisiRuas::Baik,
            &[(111.4895, MID_LAT), (111.4914, MID_LAT)],
        )],
        Want {
            jalan: expected,
            volumes: &["2b"],
            ..Want::default()
        },
    );
    assert_eq!(d.volume("2b"), Some(0.0));
    let r = &d.per_ruas[0];
    assert!((r.total_m - geodesic_m(&[(111.4895, MID_LAT), (111.4914, MID_LAT)])).abs() < 1e-6);
    assert!(r.total_m > 200.0, "{}", r.total_m);
}

#[test]
fn a_road_half_inside_counts_only_its_part_inside() {
    let d = check(
        &location(),
        &[jalan(
            "J1",
            KondisiRuas::RusakRingan,
            &[(111.48955, MID_LAT), (111.49045, MID_LAT)],
        )],
        Want {
            jalan: geodesic_m(&[(W, MID_LAT), (111.49045, MID_LAT)]),
            jalan_rusak: geodesic_m(&[(W, MID_LAT), (111.49045, MID_LAT)]),
            volumes: &["2b"],
            ..Want::default()
        },
    );
    let r = &d.per_ruas[0];
    assert!((r.inside_m * 2.0 - r.total_m).abs() < 0.5, "{r:?}");
}

#[test]
fn a_road_outside_counts_nothing_and_gives_no_criterion() {
    let d = check(
        &location(),
        &[jalan(
            "J1",
            KondisiRuas::RusakBerat,
            &[(111.492, MID_LAT), (111.493, MID_LAT)],
        )],
        Want::default(),
    );
    assert_eq!(d.per_ruas[0].inside_m, 0.0);
    assert!(d.per_ruas[0].total_m > 100.0);
}

#[test]
fn a_damaged_drain_feeds_4c() {
    let inside = geodesic_m(&[(MID_LON, S), (MID_LON, N)]);
    assert!((inside - 99.5).abs() < 0.5, "{inside}");
    let d = check(
        &location(),
        &[drainase(
            "D1",
            KondisiRuas::RusakBerat,
            &[(MID_LON, -7.6505), (MID_LON, -7.6485)],
        )],
        Want {
            drainase: inside,
            drainase_rusak: inside,
            volumes: &["4c"],
            ..Want::default()
        },
    );
    assert_eq!(d.volume("4c"), Some(d.drainase_rusak_m));
    assert!(!d.coverage_mapped_drainase);
}

#[test]
fn a_missing_road_maps_coverage_and_feeds_2a_only() {
    let points = [(111.4901, MID_LAT), (111.4908, MID_LAT)];
    let d = check(
        &location(),
        &[jalan("J9", KondisiRuas::TidakAda, &points)],
        Want {
            jalan_tidak_ada: geodesic_m(&points),
            volumes: &["2a"],
            ..Want::default()
        },
    );
    assert!(d.coverage_mapped_jalan);
    assert!(!d.coverage_mapped_drainase);
}

#[test]
fn a_missing_road_outside_does_not_map_coverage() {
    let d = check(
        &location(),
        &[jalan(
            "J9",
            KondisiRuas::TidakAda,
            &[(111.492, MID_LAT), (111.493, MID_LAT)],
        )],
        Want::default(),
    );
    assert!(!d.coverage_mapped_jalan);
}

#[test]
fn conditions_are_summed_by_kind_and_damage() {
    // Three roads at different latitudes inside the square and two drains.
    let a = [(W - 0.001, -7.6499), (E + 0.001, -7.6499)]; // baik, crosses
    let b = [(111.4901, -7.6497), (111.4905, -7.6497)]; // sedang, inside
    let c = [(111.4901, -7.6495), (111.4906, -7.6495)]; // rusak ringan, inside
    let t = [(111.4901, -7.6493), (111.4908, -7.6493)]; // tidak ada, inside
    let d1 = [(111.4904, S - 0.001), (111.4904, N + 0.001)]; // drain baik, crosses
    let d2 = [(111.4906, -7.6499), (111.4906, -7.6493)]; // drain tidak ada, inside
    let (la, lb, lc, lt) = (
        across_at(-7.6499),
        geodesic_m(&b),
        geodesic_m(&c),
        geodesic_m(&t),
    );
    let ld1 = geodesic_m(&[(111.4904, S), (111.4904, N)]);
    let ld2 = geodesic_m(&d2);
    let d = check(
        &location(),
        &[
            jalan("A", KondisiRuas::Baik, &a),
            jalan("B", KondisiRuas::Sedang, &b),
            jalan("C", KondisiRuas::RusakRingan, &c),
            jalan("T", KondisiRuas::TidakAda, &t),
            drainase("D1", KondisiRuas::Baik, &d1),
            drainase("D2", KondisiRuas::TidakAda, &d2),
        ],
        Want {
            jalan: la + lb + lc,
            jalan_rusak: lc,
            jalan_tidak_ada: lt,
            drainase: ld1,
            drainase_rusak: 0.0,
            drainase_tidak_ada: ld2,
            volumes: &["2a", "2b", "4b", "4c"],
            ..Want::default()
        },
    );
    assert_eq!(d.volume("2a"), Some(d.jalan_tidak_ada_m));
    assert_eq!(d.volume("2b"), Some(d.jalan_rusak_m));
    assert_eq!(d.volume("4b"), Some(d.drainase_tidak_ada_m));
    assert_eq!(d.volume("4c"), Some(0.0));
    assert_eq!(d.volume("1a"), None);
}

fn across_at(lat: f64) -> f64 {
    geodesic_m(&[(W, lat), (E, lat)])
}

#[test]
fn sedang_is_not_damage() {
    let points = [(111.4901, MID_LAT), (111.4908, MID_LAT)];
    check(
        &location(),
        &[jalan("J1", KondisiRuas::Sedang, &points)],
        Want {
            jalan: geodesic_m(&points),
            volumes: &["2b"],
            ..Want::default()
        },
    );
}

#[test]
fn a_two_part_location_counts_both_parts_and_not_the_gap() {
    // A second square 0.0009° east of the first, with a gap of the same width between.
    let location = MultiPolygon(vec![
        square(W, S, E, N),
        square(E + 0.0009, S, E + 0.0018, N),
    ]);
    let gap = geodesic_m(&[(E, MID_LAT), (E + 0.0009, MID_LAT)]);
    let second = geodesic_m(&[(E + 0.0009, MID_LAT), (E + 0.0018, MID_LAT)]);
    let d = check(
        &location,
        &[drainase(
            "D1",
            KondisiRuas::RusakRingan,
            &[(W - 0.0005, MID_LAT), (E + 0.0025, MID_LAT)],
        )],
        Want {
            drainase: across_m() + second,
            drainase_rusak: across_m() + second,
            volumes: &["4c"],
            ..Want::default()
        },
    );
    let r = &d.per_ruas[0];
    assert!(r.total_m - r.inside_m > gap, "{r:?}");
}

#[test]
fn a_hole_in_the_location_is_outside() {
    let hole = LineString::from(vec![
        (111.4903, S + 0.0003),
        (111.4906, S + 0.0003),
        (111.4906, N - 0.0003),
        (111.4903, N - 0.0003),
        (111.4903, S + 0.0003),
    ]);
    let location = MultiPolygon(vec![Polygon::new(
        square(W, S, E, N).exterior().clone(),
        vec![hole],
    )]);
    let in_hole = geodesic_m(&[(111.4903, MID_LAT), (111.4906, MID_LAT)]);
    check(
        &location,
        &[jalan(
            "J1",
            KondisiRuas::Baik,
            &[(111.4895, MID_LAT), (111.4914, MID_LAT)],
        )],
        Want {
            jalan: across_m() - in_hole,
            volumes: &["2b"],
            ..Want::default()
        },
    );
}

#[test]
fn touching_the_boundary_counts_nothing_running_along_it_counts_in_full() {
    let touching = [(W - 0.0005, S - 0.0005), (W, S), (W - 0.0005, S + 0.0005)];
    check(
        &location(),
        &[jalan("J1", KondisiRuas::Baik, &touching)],
        Want::default(),
    );
    // The boundary belongs to the location, so a road along the edge counts for it (and
    // for the neighbour on the other side).
    let along = [(W - 0.0005, S), (E + 0.0005, S)];
    check(
        &location(),
        &[jalan("J1", KondisiRuas::RusakBerat, &along)],
        Want {
            jalan: geodesic_m(&[(W, S), (E, S)]),
            jalan_rusak: geodesic_m(&[(W, S), (E, S)]),
            volumes: &["2b"],
            ..Want::default()
        },
    );
}

#[test]
fn a_line_of_several_parts_counts_each_part_inside() {
    let r = Ruas::new(
        "J1",
        JenisJaringan::Jalan,
        KondisiRuas::Baik,
        MultiLineString(vec![
            LineString::from(vec![(111.4895, -7.6498), (111.4914, -7.6498)]),
            LineString::from(vec![(111.4895, -7.6493), (111.4914, -7.6493)]),
        ]),
    );
    check(
        &location(),
        &[r],
        Want {
            jalan: across_at(-7.6498) + across_at(-7.6493),
            volumes: &["2b"],
            ..Want::default()
        },
    );
}

#[test]
fn parts_of_one_line_drawn_twice_count_once() {
    let part = LineString::from(vec![(111.4895, MID_LAT), (111.4914, MID_LAT)]);
    let r = Ruas::new(
        "J1",
        JenisJaringan::Jalan,
        KondisiRuas::Baik,
        MultiLineString(vec![part.clone(), part]),
    );
    let d = check(
        &location(),
        &[r],
        Want {
            jalan: across_m(),
            volumes: &["2b"],
            ..Want::default()
        },
    );
    assert!(
        d.per_ruas[0].total_m > 4.0 * across_m(),
        "{:?}",
        d.per_ruas[0]
    );
}

#[test]
fn illustrative_lines_are_flagged() {
    let mut r = jalan(
        "J1",
        KondisiRuas::RusakBerat,
        &[(111.4901, MID_LAT), (111.4908, MID_LAT)],
    );
    r.contoh = true;
    let mut outside = drainase(
        "D1",
        KondisiRuas::RusakBerat,
        &[(111.492, MID_LAT), (111.493, MID_LAT)],
    );
    outside.contoh = true;
    let d = derive_volumes(&location(), &[r, outside]);
    assert!(d.contoh_jalan);
    // The illustrative drain lies outside and contributes nothing.
    assert!(!d.contoh_drainase);
    assert!(d.contoh_for("2b"));
    assert!(!d.contoh_for("4c"));
    assert!(d.per_ruas.iter().all(|r| r.contoh));
}

#[test]
fn coverage_can_be_marked_mapped_explicitly() {
    let d = derive_volumes(
        &location(),
        &[drainase(
            "D1",
            KondisiRuas::Baik,
            &[(MID_LON, S), (MID_LON, N)],
        )],
    );
    assert_eq!(d.volumes().iter().map(|v| v.0).collect::<Vec<_>>(), ["4c"]);
    let d = d.with_coverage_mapped(JenisJaringan::Drainase);
    assert_eq!(d.volume("4b"), Some(0.0));
    assert_eq!(d.volume("2a"), None);
}

// ---------------------------------------------------------------------------------------
// Bad data: never a panic, always 0 m and an issue.

#[test]
fn bad_locations_count_nothing_and_say_why() {
    let road = [jalan(
        "J1",
        KondisiRuas::RusakBerat,
        &[(111.4895, MID_LAT), (111.4914, MID_LAT)],
    )];
    let cases: Vec<(MultiPolygon<f64>, &[&str])> = vec![
        (MultiPolygon(vec![]), &["location_empty"]),
        (
            MultiPolygon(vec![Polygon::new(LineString::new(vec![]), vec![])]),
            &["location_empty"],
        ),
        (
            MultiPolygon(vec![
                polygon![(x: W, y: S), (x: f64::NAN, y: S), (x: E, y: N)],
            ]),
            &["location_coordinate"],
        ),
        (
            MultiPolygon(vec![
                polygon![(x: W, y: S), (x: f64::INFINITY, y: S), (x: E, y: N), (x: W, y: N)],
            ]),
            &["location_coordinate"],
        ),
        (
            // Latitude and longitude swapped.
            MultiPolygon(vec![square(S, W, N, E)]),
            &[
                "location_coordinate",
                "location_coordinate",
                "location_coordinate",
                "location_coordinate",
                "location_coordinate",
            ],
        ),
        (
            // All corners on one line: no area.
            MultiPolygon(vec![
                polygon![(x: W, y: S), (x: E, y: S), (x: 111.4905, y: S)],
            ]),
            &["location_no_area"],
        ),
    ];
    for (location, issues) in cases {
        check(
            &location,
            &road,
            Want {
                issues,
                ..Want::default()
            },
        );
    }
}

#[test]
fn a_polygon_without_area_is_left_out_even_under_a_road_along_it() {
    // The clipper keeps lines on the boundary; a flat "polygon" under a road along the
    // square's south edge must not make that road count.
    let flat = polygon![(x: W, y: S), (x: E, y: S), (x: 111.4905, y: S)];
    let along = [(W - 0.0005, S), (E + 0.0005, S)];
    let crossing = [(111.4895, MID_LAT), (111.4914, MID_LAT)];
    let road = [
        jalan("J1", KondisiRuas::Baik, &along),
        jalan("J2", KondisiRuas::Baik, &crossing),
    ];
    check(
        &MultiPolygon(vec![flat.clone()]),
        &road,
        Want {
            issues: &["location_no_area"],
            ..Want::default()
        },
    );
    // Next to a real square (north of the flat part, not touching it) the square counts.
    let north = square(W, S + 0.0001, E, N);
    let d = check(
        &MultiPolygon(vec![flat, north]),
        &road,
        Want {
            jalan: across_m(),
            volumes: &["2b"],
            issues: &["location_no_area"],
            ..Want::default()
        },
    );
    assert_eq!(d.issues[0], Issue::LocationNoArea { polygon: 0 });
}

#[test]
fn an_invalid_location_is_still_clipped_and_reported() {
    // A bow-tie over the square: the two triangles meet in the middle.
    let bow = MultiPolygon(vec![polygon![
        (x: W, y: S), (x: E, y: N), (x: E, y: S), (x: W, y: N)
    ]]);
    let d = derive_volumes(
        &bow,
        &[jalan(
            "J1",
            KondisiRuas::Baik,
            &[(111.4895, MID_LAT), (111.4914, MID_LAT)],
        )],
    );
    assert_eq!(d.issues.len(), 1, "{:?}", d.issues);
    assert_eq!(d.issues[0].kind(), "location_invalid");
    // Behind a part without area, the bow-tie keeps its own number.
    let flat = polygon![(x: W, y: S), (x: E, y: S), (x: 111.4905, y: S)];
    let both = MultiPolygon(vec![flat, bow.0[0].clone()]);
    let d2 = derive_volumes(&both, &[]);
    assert_eq!(d2.issues[0], Issue::LocationNoArea { polygon: 0 });
    assert!(
        d2.issues[1]
            .to_string()
            .contains("polygon 1, exterior ring"),
        "{}",
        d2.issues[1]
    );
    assert!(
        d.issues[0].to_string().contains("may be off"),
        "{}",
        d.issues[0]
    );
    // The triangles meet at mid latitude, where together they span the square's width.
    assert!((d.jalan_m - across_m()).abs() < 0.5, "{}", d.jalan_m);
}

#[test]
fn bad_lines_count_nothing_and_say_why() {
    let empty = Ruas::new(
        "E",
        JenisJaringan::Jalan,
        KondisiRuas::Baik,
        MultiLineString(vec![]),
    );
    let empty_part = Ruas::new(
        "EP",
        JenisJaringan::Jalan,
        KondisiRuas::Baik,
        MultiLineString(vec![LineString::new(vec![])]),
    );
    let cases: Vec<(Ruas, &'static [&'static str])> = vec![
        (empty, &["ruas_empty"]),
        (empty_part, &["ruas_empty"]),
        (
            jalan("P", KondisiRuas::Baik, &[(MID_LON, MID_LAT)]),
            &["ruas_zero_length"],
        ),
        (
            jalan(
                "Z",
                KondisiRuas::Baik,
                &[(MID_LON, MID_LAT), (MID_LON, MID_LAT)],
            ),
            &["ruas_zero_length"],
        ),
        (
            jalan(
                "N",
                KondisiRuas::Baik,
                &[(111.4895, MID_LAT), (f64::NAN, MID_LAT)],
            ),
            &["ruas_coordinate"],
        ),
        (
            jalan(
                "I",
                KondisiRuas::Baik,
                &[(111.4895, f64::NEG_INFINITY), (111.4914, MID_LAT)],
            ),
            &["ruas_coordinate"],
        ),
        (
            // Latitude and longitude swapped.
            jalan(
                "S",
                KondisiRuas::Baik,
                &[(MID_LAT, 111.4895), (MID_LAT, 111.4914)],
            ),
            &["ruas_coordinate"],
        ),
    ];
    for (r, issues) in cases {
        let kode = r.kode.clone();
        let d = check(
            &location(),
            std::slice::from_ref(&r),
            Want {
                issues,
                ..Want::default()
            },
        );
        assert_eq!(d.issues[0].kode(), Some(kode.as_str()));
        assert!(
            d.issues[0].to_string().contains(&format!("`{kode}`")),
            "{}",
            d.issues[0]
        );
        assert_eq!(d.per_ruas[0].inside_m, 0.0);
    }
}

#[test]
fn a_degenerate_part_is_left_out_and_the_rest_counts() {
    let r = Ruas::new(
        "J1",
        JenisJaringan::Jalan,
        KondisiRuas::Baik,
        MultiLineString(vec![
            LineString::from(vec![(MID_LON, MID_LAT)]),
            LineString::from(vec![(111.4895, MID_LAT), (111.4914, MID_LAT)]),
        ]),
    );
    let d = check(
        &location(),
        &[r],
        Want {
            jalan: across_m(),
            volumes: &["2b"],
            issues: &["ruas_degenerate_part"],
            ..Want::default()
        },
    );
    assert_eq!(
        d.issues[0],
        Issue::RuasDegeneratePart {
            kode: "J1".to_owned(),
            part: 0
        }
    );
}

#[test]
fn a_bad_line_does_not_spoil_the_others() {
    check(
        &location(),
        &[
            jalan(
                "N",
                KondisiRuas::RusakBerat,
                &[(f64::NAN, f64::NAN), (111.4914, MID_LAT)],
            ),
            jalan(
                "J1",
                KondisiRuas::RusakBerat,
                &[(111.4895, MID_LAT), (111.4914, MID_LAT)],
            ),
        ],
        Want {
            jalan: across_m(),
            jalan_rusak: across_m(),
            volumes: &["2b"],
            issues: &["ruas_coordinate"],
            ..Want::default()
        },
    );
}

#[test]
fn a_repeated_code_is_reported_once_and_all_lines_count() {
    let points = [(111.4901, MID_LAT), (111.4908, MID_LAT)];
    let d = check(
        &location(),
        &[
            jalan("J1", KondisiRuas::Baik, &points),
            jalan("J1", KondisiRuas::Baik, &points),
            jalan("J1", KondisiRuas::Baik, &points),
        ],
        Want {
            jalan: 3.0 * geodesic_m(&points),
            volumes: &["2b"],
            issues: &["duplicate_kode"],
            ..Want::default()
        },
    );
    assert_eq!(d.issues[0].kode(), Some("J1"));
}

#[test]
fn issues_serialise_with_their_kind() {
    let d = derive_volumes(
        &location(),
        &[jalan(
            "Z",
            KondisiRuas::Baik,
            &[(MID_LON, MID_LAT), (MID_LON, MID_LAT)],
        )],
    );
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["issues"][0]["kind"], "ruas_zero_length");
    assert_eq!(json["issues"][0]["kode"], "Z");
    assert_eq!(json["per_ruas"][0]["kondisi"], "baik");
}

// ---------------------------------------------------------------------------------------
// The chosen volumes in an assessment (the choice itself: tests/it/jaringan_pilihan.rs;
// reading codes: tests/it/jaringan_kode.rs).

#[test]
fn applied_volumes_reach_the_assessment() {
    // Map the square, derive, choose the map for 2a and 2b, then score.
    let d = derive_volumes(
        &location(),
        &[
            jalan(
                "J1",
                KondisiRuas::RusakBerat,
                &[(111.4895, MID_LAT), (111.4914, MID_LAT)],
            ),
            jalan("J2", KondisiRuas::TidakAda, &[(MID_LON, S), (MID_LON, N)]),
        ],
    );
    let mut input = AssessmentInput::new(
        "35.19.09.2014-K01",
        Kode::parse("35.19.09.2014").unwrap(),
        2024,
    );
    input.panjang_jalan_ideal_m = 200.0;
    input.volumes = BTreeMap::from([("2a".to_owned(), 0.0), ("2b".to_owned(), 10.0)]);
    let choices = Choices::from([("2a".to_owned(), Peta), ("2b".to_owned(), Peta)]);
    let applied = apply(&mut input.volumes, &d, &choices);
    assert!(applied.iter().all(|a| a.used == Peta), "{applied:?}");
    let result = assess(&RuleSet::default_rules(), &input);
    // About 99.3 m damaged and 99.5 m missing of 200 m: both just under 50 %, score 1.
    let p2b = result.criterion("2b").unwrap();
    assert!((p2b.percent - across_m() / 2.0).abs() < 0.01, "{p2b:?}");
    assert_eq!(p2b.score, 1);
    assert_eq!(result.criterion("2a").unwrap().score, 1);
    let json = serde_json::to_value(&applied).unwrap();
    assert_eq!(json[0]["used"], "peta");
    assert_eq!(json[0]["survei"], 0.0);
}

// ---------------------------------------------------------------------------------------
// Properties.

/// A line of 2 to 6 vertices within about 300 m of the square.
fn near_line() -> impl Strategy<Value = Vec<(f64, f64)>> {
    proptest::collection::vec((W - 0.003..E + 0.003, S - 0.003..N + 0.003), 2..7)
}

/// A line of 2 to 6 vertices strictly inside the square.
fn inside_line() -> impl Strategy<Value = Vec<(f64, f64)>> {
    proptest::collection::vec((W + 1e-6..E - 1e-6, S + 1e-6..N - 1e-6), 2..7)
}

/// Any coordinate, including the ones that break things.
fn any_coord() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -200.0..200.0f64,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(0.0),
        2 => Just(W),
        2 => Just(S),
    ]
}

proptest! {
    #[test]
    fn inside_is_never_negative_nor_longer_than_the_line(
        points in near_line(),
        kondisi in proptest::sample::select(KondisiRuas::ALL.to_vec()),
    ) {
        let total = geodesic_m(&points);
        let d = derive_volumes(&location(), &[jalan("J", kondisi, &points)]);
        let inside = d.jalan_m + d.jalan_tidak_ada_m;
        prop_assert!(inside >= 0.0, "{inside}");
        prop_assert!(inside <= total, "{inside} > {total}");
        prop_assert!(d.jalan_rusak_m <= d.jalan_m);
        prop_assert_eq!(d.per_ruas[0].inside_m, inside);
    }

    #[test]
    fn the_halves_of_the_square_add_up_to_the_whole(points in near_line()) {
        let mid = (W + E) / 2.0;
        let r = [jalan("J", KondisiRuas::Baik, &points)];
        let whole = derive_volumes(&location(), &r).jalan_m;
        let west = derive_volumes(&MultiPolygon(vec![square(W, S, mid, N)]), &r).jalan_m;
        let east = derive_volumes(&MultiPolygon(vec![square(mid, S, E, N)]), &r).jalan_m;
        prop_assert!((west + east - whole).abs() < 1e-3, "{west} + {east} != {whole}");
    }

    #[test]
    fn a_line_inside_counts_in_full(points in inside_line()) {
        let total = geodesic_m(&points);
        prop_assume!(total > 1e-3);
        let d = derive_volumes(&location(), &[drainase("D", KondisiRuas::RusakRingan, &points)]);
        prop_assert!((d.drainase_rusak_m - total).abs() < 1e-6, "{} vs {total}", d.drainase_rusak_m);
    }

    #[test]
    fn any_coordinates_give_finite_non_negative_lengths(
        line_coords in proptest::collection::vec((any_coord(), any_coord()), 0..6),
        ring in proptest::collection::vec((any_coord(), any_coord()), 0..6),
    ) {
        let location = MultiPolygon(vec![Polygon::new(LineString::from(ring), vec![])]);
        let r = [drainase("D", KondisiRuas::TidakAda, &line_coords)];
        let d = derive_volumes(&location, &r);
        for v in [d.drainase_m, d.drainase_tidak_ada_m, d.per_ruas[0].inside_m] {
            prop_assert!(v.is_finite() && v >= 0.0, "{v}");
        }
        prop_assert!(d.per_ruas[0].inside_m <= d.per_ruas[0].total_m);
    }

    #[test]
    fn parsing_never_panics_and_ids_round_trip(text in "\\PC{0,20}") {
        if let Ok(k) = KondisiRuas::parse(&text) {
            prop_assert_eq!(KondisiRuas::parse(k.as_str()), Ok(k));
        }
        let _ = JenisJaringan::parse(&text);
        let _ = Sumber::parse(&text);
    }
}
