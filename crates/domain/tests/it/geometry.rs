//! Geometry as it arrives from files and editors: either winding, unclosed rings, huge
//! rings, too many vertices.

use std::f64::consts::TAU;

use geo::Winding;
use geo_types::{Coord, Geometry, LineString, MultiPolygon, Polygon};
use kumuh_domain::geometry::{
    self, MAX_VERTICES_DRAWN, geodesic_area_m2, normalise_orientation, validate_area_geometry,
};
use kumuh_domain::siteplan::{FiturDraft, SiteplanId, fitur_from_drafts};
use kumuh_domain::works::{Satuan, Segmen, SegmenId, Terukur, Volume};
use kumuh_domain::{Kode, LokasiKumuh, Place};

/// Bibrik's boundary from the shipped desa file.
fn bibrik() -> MultiPolygon<f64> {
    let file: serde_json::Value =
        serde_json::from_str(include_str!("../../../../data/jiwan_desa.geojson")).unwrap();
    let feature = file["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["kode"] == "35.19.09.2014")
        .expect("Bibrik is in the file");
    let ring = |r: &serde_json::Value| -> LineString<f64> {
        r.as_array()
            .unwrap()
            .iter()
            .map(|p| Coord {
                x: p[0].as_f64().unwrap(),
                y: p[1].as_f64().unwrap(),
            })
            .collect()
    };
    let polygon = |rings: &serde_json::Value| {
        let rings = rings.as_array().unwrap();
        Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect())
    };
    let g = &feature["geometry"];
    match g["type"].as_str().unwrap() {
        "Polygon" => MultiPolygon(vec![polygon(&g["coordinates"])]),
        _ => MultiPolygon(
            g["coordinates"]
                .as_array()
                .unwrap()
                .iter()
                .map(polygon)
                .collect(),
        ),
    }
}

/// Every ring reversed: a clockwise copy of a counter-clockwise polygon and back.
fn reversed(g: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let rev = |ls: &LineString<f64>| LineString(ls.0.iter().rev().copied().collect());
    MultiPolygon(
        g.0.iter()
            .map(|p| Polygon::new(rev(p.exterior()), p.interiors().iter().map(rev).collect()))
            .collect(),
    )
}

#[test]
fn bibrik_has_the_same_area_in_either_winding() {
    let as_shipped = bibrik();
    let flipped = reversed(&as_shipped);
    let (a, b) = (geodesic_area_m2(&as_shipped), geodesic_area_m2(&flipped));
    assert!((a - b).abs() < 1e-3, "{a} {b}");
    // Bibrik is a village of a few square kilometres, not the earth without it.
    for area in [a, b] {
        assert!(area > 100_000.0 && area < 2_000_000_000.0, "{area}");
        assert!(area < 20_000_000.0, "{area}");
    }
    for g in [as_shipped, flipped] {
        let mut place = Place {
            kode: Kode::parse("35.19.09.2014").unwrap(),
            kode_bps: None,
            nama: "Bibrik".to_owned(),
            nama_alt: vec![],
            geometry: Some(g.clone()),
            attributes: serde_json::Map::new(),
        };
        let ha = place.area_ha().unwrap();
        assert!((ha * 10_000.0 - a).abs() < 1e-3, "{ha}");
        place.normalise_orientation();
        let normal = place.geometry.as_ref().unwrap();
        assert!(normal.0.iter().all(|p| p.exterior().is_ccw()));
        let mut lokasi = LokasiKumuh {
            kode: "35.19.09.2014-K01".to_owned(),
            nama: "Bibrik".to_owned(),
            kode_desa: place.kode.clone(),
            kawasan: None,
            rt: vec![],
            sk: None,
            geometry: g,
            attributes: serde_json::Map::new(),
        };
        assert!((lokasi.area_ha() - ha).abs() < 1e-9);
        lokasi.normalise_orientation();
        assert_eq!(&lokasi.geometry, normal);
    }
}

/// A ring of `n` vertices around Jiwan, wavy so that edges are not all alike, about
/// 2 km across; counter-clockwise.
fn wavy_ring(n: usize) -> Vec<Coord<f64>> {
    let mut ring: Vec<Coord<f64>> = (0..n)
        .map(|i| {
            let t = TAU * i as f64 / n as f64;
            let r = 0.01 * (1.0 + 0.1 * (40.0 * t).sin());
            Coord {
                x: 111.5 + r * t.cos(),
                y: -7.6 + r * t.sin(),
            }
        })
        .collect();
    ring.push(ring[0]);
    ring
}

#[test]
fn a_ring_of_200_000_vertices_is_checked() {
    let ring = wavy_ring(200_000);
    let valid = MultiPolygon(vec![Polygon::new(LineString(ring.clone()), vec![])]);
    assert_eq!(validate_area_geometry(&valid), vec![]);
    // Two neighbouring vertices swapped: their edges cross.
    let mut broken = ring;
    broken.swap(123_456, 123_457);
    let broken = MultiPolygon(vec![Polygon::new(LineString(broken), vec![])]);
    let issues = validate_area_geometry(&broken);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert!(
        issues[0]
            .to_string()
            .starts_with("polygon 0, exterior ring, vertex 123455: the ring crosses itself at"),
        "{}",
        issues[0]
    );
}

#[test]
fn a_clockwise_segment_is_measured_and_kept_counter_clockwise() {
    let ring = wavy_ring(1_000);
    let ccw = Polygon::new(LineString(ring.clone()), vec![]);
    let mut cw_ring = ring;
    cw_ring.reverse();
    let cw = Polygon::new(LineString(cw_ring), vec![]);
    let id = SegmenId::new("S1").unwrap();
    let measure = |p: &Polygon<f64>| {
        let s = Segmen::new(id.clone(), "Taman", p.clone().into(), None, Satuan::M2).unwrap();
        let Geometry::Polygon(kept) = s.geometry() else {
            panic!("a polygon stays a polygon")
        };
        assert!(kept.exterior().is_ccw());
        match s.measured() {
            Some(Terukur::LuasM2(m2)) => m2,
            other => panic!("{other:?}"),
        }
    };
    let (a, b) = (measure(&ccw), measure(&cw));
    assert!(
        (a - b).abs() < 1e-3 && a > 1_000_000.0 && a < 5_000_000.0,
        "{a} {b}"
    );
}

#[test]
fn a_clockwise_siteplan_feature_is_kept_counter_clockwise() {
    let mut ring = wavy_ring(100);
    ring.reverse();
    let draft = FiturDraft {
        id: "T-01".to_owned(),
        kategori: "taman".to_owned(),
        geometry: Polygon::new(LineString(ring), vec![]).into(),
        label: None,
        catatan: None,
    };
    let sp = SiteplanId::new("wisata").unwrap();
    let fitur = fitur_from_drafts(&sp, vec![draft]).unwrap();
    let Geometry::Polygon(p) = &fitur[0].geometry else {
        panic!("a polygon stays a polygon")
    };
    assert!(p.exterior().is_ccw());
}

#[test]
fn segments_have_a_vertex_limit() {
    let line: LineString<f64> = (0..=MAX_VERTICES_DRAWN)
        .map(|i| Coord {
            x: 111.0 + i as f64 * 1e-7,
            y: -7.6,
        })
        .collect();
    let id = SegmenId::new("S1").unwrap();
    let e = Segmen::new(id, "Jalan", line.into(), Some(Volume::whole(1)), Satuan::M)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("field `geometry`") && e.contains("50001 vertices, at most 50000 are allowed"),
        "{e}"
    );
}

#[test]
fn unclosed_rings_from_json_are_refused() {
    // serde keeps the positions as given; `Polygon::new` would close the ring.
    let p: Polygon<f64> = serde_json::from_value(serde_json::json!({
        "exterior": [{"x": 111.0, "y": -7.0}, {"x": 111.01, "y": -7.0}, {"x": 111.01, "y": -6.99}],
        "interiors": [],
    }))
    .unwrap();
    let mut g = MultiPolygon(vec![p]);
    normalise_orientation(&mut g);
    let issues = validate_area_geometry(&g);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(
        issues[0].to_string(),
        "polygon 0, exterior ring: the ring is not closed: it starts at (111, -7) and ends at \
         (111.01, -6.99)"
    );
    let id = SegmenId::new("S1").unwrap();
    let e = Segmen::new(id, "Taman", g.into(), None, Satuan::M2)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not closed"), "{e}");
    assert_eq!(geometry::ring_not_closed(&[]), None);
}
