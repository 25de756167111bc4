use super::*;
use geo_types::{
    GeometryCollection, MultiLineString, MultiPoint, Point, Rect, line_string, point, polygon,
};

fn id() -> SegmenId {
    SegmenId::new("S1").unwrap()
}

/// Checks whether a geometry and unit make a segment; `Err(field)` names the field
/// the error must be about.
fn check(g: Geometry<f64>, satuan: Satuan, expected: std::result::Result<(), &str>) {
    let got = Segmen::new(id(), "x", g.clone(), Some(Volume::whole(1)), satuan);
    match (got, expected) {
        (Ok(_), Ok(())) => {}
        (Err(WorksError::InvalidField { field, .. }), Err(want)) if field == want => {}
        (got, want) => panic!("{g:?} {satuan:?}: got {got:?}, want {want:?}"),
    }
}

#[test]
fn units_must_fit_the_geometry() {
    let line: Geometry<f64> = line_string![(x: 111.49, y: -7.57), (x: 111.491, y: -7.57)].into();
    let area: Geometry<f64> =
        polygon![(x: 111.49, y: -7.57), (x: 111.491, y: -7.57), (x: 111.491, y: -7.571)].into();
    let pt: Geometry<f64> = point!(x: 111.49, y: -7.57).into();
    let pts: Geometry<f64> = MultiPoint::from(vec![
        point!(x: 111.49, y: -7.57),
        point!(x: 111.5, y: -7.57),
    ])
    .into();
    let mls: Geometry<f64> = MultiLineString::new(vec![
        line_string![(x: 111.49, y: -7.57), (x: 111.5, y: -7.57)],
    ])
    .into();

    check(line.clone(), Satuan::M, Ok(()));
    check(mls.clone(), Satuan::M, Ok(()));
    check(area.clone(), Satuan::M2, Ok(()));
    for g in [&line, &area, &pt, &pts, &mls] {
        check(g.clone(), Satuan::Unit, Ok(()));
        check(g.clone(), Satuan::Kk, Ok(()));
    }
    check(line.clone(), Satuan::M2, Err("satuan"));
    check(pt.clone(), Satuan::M, Err("satuan"));
    check(pts, Satuan::M2, Err("satuan"));
    check(area, Satuan::M, Err("satuan"));
}

#[test]
fn bad_geometries_are_refused_with_the_reason() {
    let cases: Vec<(Geometry<f64>, &str)> = vec![
        (
            line_string![(x: 111.49, y: -7.57)].into(),
            "at least 2 points",
        ),
        (point!(x: f64::NAN, y: 0.0).into(), "not a finite number"),
        (
            point!(x: -7.57, y: 111.49).into(),
            "latitude 111.49 is outside -90..90",
        ),
        (
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)].into(),
            "polygon 0, exterior ring",
        ),
        (
            Geometry::GeometryCollection(GeometryCollection(vec![])),
            "use a line, polygon or point",
        ),
        (
            Rect::new((0.0, 0.0), (1.0, 1.0)).into(),
            "a Rect cannot be a segment",
        ),
        (
            MultiPoint::<f64>::new(Vec::<Point<f64>>::new()).into(),
            "empty",
        ),
    ];
    for (g, expected) in cases {
        let e = Segmen::new(id(), "x", g, None, Satuan::Unit).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("field `geometry`") && msg.contains(expected),
            "{msg}"
        );
    }
}

#[test]
fn planned_volume_must_be_positive_when_given() {
    let pt: Geometry<f64> = point!(x: 111.49, y: -7.57).into();
    let e = Segmen::new(id(), "x", pt.clone(), Some(Volume::ZERO), Satuan::Unit).unwrap_err();
    assert!(e.to_string().contains("field `volume_rencana`"), "{e}");
    assert!(Segmen::new(id(), "x", pt.clone(), None, Satuan::Unit).is_ok());
    let e = Segmen::new(id(), " ", pt, None, Satuan::Unit).unwrap_err();
    assert!(e.to_string().contains("field `nama`"), "{e}");
}

#[test]
fn geometry_is_measured_geodesically() {
    // 0.0009° of latitude is about 99.5 m near 7.6° S.
    let line: Geometry<f64> = line_string![(x: 111.49, y: -7.57), (x: 111.49, y: -7.5709)].into();
    let s = Segmen::new(id(), "x", line, Some(Volume::whole(100)), Satuan::M).unwrap();
    let Some(Terukur::PanjangM(m)) = s.measured() else {
        panic!("a line has a length")
    };
    assert!((m - 99.52).abs() < 0.1, "{m}");

    let sq: Geometry<f64> = polygon![(x: 111.49, y: -7.65), (x: 111.4909, y: -7.65),
             (x: 111.4909, y: -7.6491), (x: 111.49, y: -7.6491)]
    .into();
    let s = Segmen::new(id(), "x", sq, None, Satuan::M2).unwrap();
    assert!((s.measured().unwrap().value() - 9_850.0).abs() < 150.0);
    let pt: Geometry<f64> = point!(x: 111.49, y: -7.57).into();
    assert!(
        Segmen::new(id(), "x", pt, None, Satuan::Kk)
            .unwrap()
            .measured()
            .is_none()
    );
}

#[test]
fn volumes_round_to_thousandths_and_print_indonesian_style() {
    let cases = [
        (0.0, 0, "0"),
        (170.0, 170_000, "170"),
        (12.5, 12_500, "12,5"),
        (2_823.0, 2_823_000, "2.823"),
        (0.0004, 0, "0"),
        (0.0005, 1, "0,001"),
        (1_234_567.25, 1_234_567_250, "1.234.567,25"),
    ];
    for (f, milli, text) in cases {
        let v = Volume::from_f64(f).unwrap();
        assert_eq!(v.milli(), milli, "{f}");
        assert_eq!(v.to_string(), text, "{f}");
    }
    for bad in [-0.5, f64::NAN, f64::INFINITY, 1e17] {
        assert!(Volume::from_f64(bad).is_err(), "{bad}");
    }
    assert!(Volume::from_milli(-1).is_err());
    assert_eq!(
        serde_json::to_string(&Volume::from_f64(12.5).unwrap()).unwrap(),
        "12.5"
    );
}

#[test]
fn criterion_codes_are_checked_and_normalised() {
    for (text, want) in [
        ("2b", Some("2b")),
        (" 7A ", Some("7a")),
        ("10c", Some("10c")),
    ] {
        assert_eq!(
            KodeKriteria::parse(text)
                .ok()
                .as_ref()
                .map(KodeKriteria::as_str),
            want
        );
    }
    for bad in ["", "b", "2", "02b", "2bb", "123a", "2-b", "2é"] {
        assert!(KodeKriteria::parse(bad).is_err(), "{bad}");
    }
}

fn square(clockwise: bool) -> Geometry<f64> {
    let mut ring = vec![
        (111.49, -7.57),
        (111.491, -7.57),
        (111.491, -7.571),
        (111.49, -7.571),
        (111.49, -7.57),
    ];
    if !clockwise {
        ring.reverse();
    }
    Geometry::Polygon(geo_types::Polygon::new(ring.into(), vec![]))
}

#[test]
fn the_measure_is_stored_with_the_geometry_and_read_back_unchanged() {
    let s = Segmen::new(id(), "Taman", square(false), None, Satuan::M2).unwrap();
    let Some(Terukur::LuasM2(m2)) = s.measured() else {
        panic!("{:?}", s.measured())
    };
    assert!((12_000.0..12_500.0).contains(&m2), "{m2}");
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["terukur"]["luas_m2"], m2, "{json}");
    let back: Segmen = serde_json::from_value(json).unwrap();
    assert_eq!(back, s);

    // Replacing the geometry measures the new one.
    let mut s = s;
    let road: Geometry<f64> = line_string![(x: 111.49, y: -7.57), (x: 111.491, y: -7.57)].into();
    s.set_rencana(road, None, Satuan::M).unwrap();
    let Some(Terukur::PanjangM(m)) = s.measured() else {
        panic!("{:?}", s.measured())
    };
    assert!((110.0..111.0).contains(&m), "{m}");
}

#[test]
fn a_segment_stored_before_measures_were_kept_is_checked_measured_and_oriented() {
    let s = Segmen::new(id(), "Taman", square(false), None, Satuan::M2).unwrap();
    let mut json = serde_json::to_value(&s).unwrap();
    json.as_object_mut().unwrap().remove("terukur");
    // Stored clockwise, as an older version wrote it from a Shapefile.
    json["geometry"] = serde_json::to_value(square(true)).unwrap();
    let back: Segmen = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back.measured(), s.measured());
    assert_eq!(back.geometry(), s.geometry(), "oriented on the way in");

    // Without a stored measure the full check runs: a crossing ring is refused.
    json["geometry"] = serde_json::to_value(Geometry::Polygon(polygon![
        (x: 111.49, y: -7.57), (x: 111.491, y: -7.571), (x: 111.491, y: -7.57),
        (x: 111.49, y: -7.571)
    ]))
    .unwrap();
    let e = serde_json::from_value::<Segmen>(json).unwrap_err();
    assert!(e.to_string().contains("geometry"), "{e}");
}

#[test]
fn a_damaged_stored_segment_is_refused_naming_the_field() {
    let s = Segmen::new(id(), "Taman", square(false), None, Satuan::M2).unwrap();
    let json = serde_json::to_value(&s).unwrap();
    let damaged = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut j = json.clone();
        edit(&mut j);
        serde_json::from_value::<Segmen>(j).unwrap_err().to_string()
    };
    let e = damaged(&|j| j["terukur"] = serde_json::json!({"panjang_m": 5.0}));
    assert!(e.contains("`terukur`") && e.contains("PanjangM"), "{e}");
    let e = damaged(&|j| j["terukur"] = serde_json::json!({"luas_m2": -1.0}));
    assert!(e.contains("`terukur`"), "{e}");
    let with_ring = |ring: Vec<(f64, f64)>| {
        let g = Geometry::Polygon(geo_types::Polygon::new(ring.into(), vec![]));
        serde_json::to_value(g).unwrap()
    };
    let far = with_ring(vec![
        (111.49, -7.57),
        (200.0, -7.57),
        (111.491, -7.571),
        (111.49, -7.57),
    ]);
    let e = damaged(&|j| j["geometry"] = far.clone());
    assert!(e.contains("`geometry`") && e.contains("longitude"), "{e}");
    // geo_types closes rings it builds, so an open one can only come from stored text.
    let mut open = with_ring(vec![(111.49, -7.57), (111.491, -7.57), (111.491, -7.571)]);
    open["Polygon"]["exterior"].as_array_mut().unwrap().pop();
    let e = damaged(&|j| j["geometry"] = open.clone());
    assert!(e.contains("not closed"), "{e}");
    let e = damaged(&|j| j["satuan"] = serde_json::json!("m"));
    assert!(e.contains("`satuan`"), "{e}");
}
