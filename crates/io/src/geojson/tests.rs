//! Reading and writing GeoJSON.

use kumuh_domain::jaringan::{JenisJaringan, KondisiRuas};
use serde_json::json;

use geo_types::MultiPolygon;
use kumuh_domain::{Kode, Place};

use super::*;

const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[111.4,-7.6],[111.41,-7.6],[111.41,-7.59],[111.4,-7.59],[111.4,-7.6]]]}"#;

fn fc(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

fn feature(props: &str, geometry: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{props},"geometry":{geometry}}}"#)
}

fn desa_file(features: &[String]) -> Result<Import, ImportError> {
    parse("f.geojson", &fc(features), ImportKind::Places(Level::Desa))
}

fn problems(r: Result<Import, ImportError>) -> Vec<String> {
    r.unwrap_err()
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_good_desa_file_parses_with_attributes_kept() {
    let f = feature(
        r#"{"kode":"35.19.09.2010","nama":"Klagenserut","nama_alt":"Klagen Serut","kode_bps":"3519150010","luas_km2":2.5}"#,
        SQUARE,
    );
    let Import::Places(p) = desa_file(&[f]).unwrap() else {
        panic!("expected places")
    };
    assert_eq!(p[0].nama_alt, ["Klagen Serut"]);
    assert_eq!(p[0].attributes["luas_km2"], json!(2.5));
    assert!(!p[0].attributes.contains_key("kode"));
}

/// A clockwise exterior (as a Shapefile stores it) with a counter-clockwise hole comes
/// out of the checks in the RFC 7946 winding, with its area.
#[test]
fn areas_leave_the_checks_in_rfc_7946_winding() {
    use geo::Winding;
    let clockwise = r#"{"type":"Polygon","coordinates":[[[111.4,-7.6],[111.4,-7.59],[111.41,-7.59],[111.41,-7.6],[111.4,-7.6]],[[111.402,-7.598],[111.404,-7.598],[111.404,-7.596],[111.402,-7.598]]]}"#;
    let f = feature(
        r#"{"kode":"35.19.09.2010","nama":"Klagenserut"}"#,
        clockwise,
    );
    let Import::Places(p) = desa_file(&[f]).unwrap() else {
        panic!("expected places")
    };
    let g = p[0].geometry.as_ref().unwrap();
    assert!(g.0[0].exterior().is_ccw(), "{g:?}");
    assert!(g.0[0].interiors()[0].is_cw(), "{g:?}");
}

#[test]
fn every_problem_is_named_with_feature_and_field() {
    let bow = r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"#;
    let line = r#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#;
    let out_of_range = r#"{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,95],[0,0]]]}"#;
    let p = problems(desa_file(&[
        feature(r#"{"nama":"Tanpa Kode"}"#, SQUARE),
        feature(r#"{"kode":"35.19.09.2001","nama":"A"}"#, bow),
        feature(r#"{"kode":"35.19.09.2002","nama":"B"}"#, line),
        feature(r#"{"kode":"35.19.09.2003","nama":"C"}"#, out_of_range),
        feature(r#"{"kode":"35.19.09.2004","nama":"D"}"#, SQUARE),
        feature(r#"{"kode":"35.19.09.2004","nama":"E"}"#, SQUARE),
        feature(r#"{"kode":"35.19.09","nama":"F"}"#, SQUARE),
    ]));
    assert_eq!(p.len(), 6, "{p:#?}");
    assert_eq!(
        p[0],
        "feature 0, field `kode`: missing; every feature needs one"
    );
    assert!(
        p[1].starts_with("feature 1 (35.19.09.2001), field `geometry`: polygon 0, exterior ring"),
        "{}",
        p[1]
    );
    assert_eq!(
        p[2],
        "feature 2 (35.19.09.2002), field `geometry`: expected Polygon or MultiPolygon, found LineString"
    );
    assert!(
        p[3].contains("vertex 2: latitude 95 is outside -90..90"),
        "{}",
        p[3]
    );
    assert_eq!(
        p[4],
        "feature 5 (35.19.09.2004), field `kode`: duplicate: feature 4 has the same code"
    );
    assert!(p[5].contains("is a kecamatan code"), "{}", p[5]);
}

#[test]
fn files_that_are_not_geojson_say_so() {
    for (text, expect) in [
        ("hello", "not GeoJSON: invalid JSON"),
        (r#"{"a":1}"#, "no `type` member"),
        (r#"{"type":"Topology"}"#, "type is `Topology`"),
        (
            r#"{"type":"FeatureCollection","features":[]}"#,
            "holds no features",
        ),
        (
            r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32749"}},"features":[]}"#,
            "EPSG:4326 longitude/latitude only",
        ),
    ] {
        let e = parse("x.geojson", text, ImportKind::Places(Level::Desa)).unwrap_err();
        assert!(e.to_string().starts_with("x.geojson: "), "{e}");
        assert!(
            e.to_string().contains(expect),
            "{e} should contain {expect}"
        );
    }
}

#[test]
fn rt_codes_can_be_composed_from_desa_rw_rt() {
    let f = feature(
        r#"{"kode_desa":"35.19.09.2014","rw":"3","rt":9,"nama":"RT 009"}"#,
        SQUARE,
    );
    let Import::Places(p) = parse("rt.geojson", &fc(&[f]), ImportKind::Places(Level::Rt)).unwrap()
    else {
        panic!()
    };
    assert_eq!(p[0].kode.as_str(), "35.19.09.2014.003.009");
    let bad = feature(
        r#"{"kode_desa":"35.19.09.2014","rw":"x","rt":9,"nama":"RT"}"#,
        SQUARE,
    );
    let p = problems(parse(
        "rt.geojson",
        &fc(&[bad]),
        ImportKind::Places(Level::Rt),
    ));
    assert_eq!(p, ["feature 0, field `rw`: `x` is not an RW/RT number"]);
}

#[test]
fn lokasi_read_with_rts_and_decree() {
    let f = feature(
        r#"{"kode":"SKL-01","nama":"Sukolilo RT 24-28","kode_desa":"35.19.09.2005","kawasan":"Sukolilo","rt":"35.19.09.2005.006.024, 35.19.09.2005.006.026","sk_nomor":"118.45/325A/KPTS/402.013/2019","sk_tanggal":"2019-07-01"}"#,
        SQUARE,
    );
    let Import::Lokasi(l) = parse("l.geojson", &fc(&[f]), ImportKind::Lokasi).unwrap() else {
        panic!()
    };
    assert_eq!(l[0].rt.len(), 2);
    assert_eq!(
        l[0].sk.as_ref().unwrap().tanggal.as_deref(),
        Some("2019-07-01")
    );
    let bad = feature(
        r#"{"kode":"X","nama":"X","kode_desa":"35.19.09","rt":["1.2.x"]}"#,
        SQUARE,
    );
    let p = problems(parse("l.geojson", &fc(&[bad]), ImportKind::Lokasi));
    assert_eq!(p.len(), 2, "{p:?}");
}

#[test]
fn lines_read_with_kind_and_condition() {
    let line = r#"{"type":"LineString","coordinates":[[111.49,-7.65],[111.491,-7.65]]}"#;
    let good = feature(
        r#"{"kode":"J-01","jenis":"jalan","kondisi":"rusak berat","contoh":true}"#,
        line,
    );
    let Import::Jaringan(j) = parse("j.geojson", &fc(&[good]), ImportKind::Jaringan).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (j[0].jenis, j[0].kondisi, j[0].contoh),
        (JenisJaringan::Jalan, KondisiRuas::RusakBerat, true)
    );
    let p = problems(parse(
        "j.geojson",
        &fc(&[
            feature(r#"{"kode":"J-02","jenis":"sungai","kondisi":"baik"}"#, line),
            feature(
                r#"{"kode":"J-03","jenis":"jalan","kondisi":"baik"}"#,
                SQUARE,
            ),
            feature(
                r#"{"kode":"J-04","jenis":"drainase","kondisi":"hancur"}"#,
                line,
            ),
        ]),
        ImportKind::Jaringan,
    ));
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(
        p[0].starts_with("feature 0 (J-02), field `jenis`"),
        "{}",
        p[0]
    );
    assert_eq!(
        p[1],
        "feature 1 (J-03), field `geometry`: expected LineString or MultiLineString, found Polygon"
    );
    assert!(
        p[2].starts_with("feature 2 (J-04), field `kondisi`"),
        "{}",
        p[2]
    );
}

#[test]
fn features_round_trip_through_geojson() {
    let f = feature(r#"{"kode":"35.19.09.2001","nama":"A","extra":1}"#, SQUARE);
    let Import::Places(p) = desa_file(&[f]).unwrap() else {
        panic!()
    };
    let out = places_collection(&p, true).to_string();
    let Import::Places(back) = parse("out.geojson", &out, ImportKind::Places(Level::Desa)).unwrap()
    else {
        panic!()
    };
    assert_eq!(back[0].geometry, p[0].geometry);
    assert_eq!(back[0].attributes["extra"], json!(1));
    let labels = label_points(&p);
    assert_eq!(labels["features"][0]["geometry"]["type"], "Point");
}

/// The problems of a file that does not parse, as text.
fn file_problems(file: &str, text: &str, kind: ImportKind) -> Vec<String> {
    let e = parse(file, text, kind).unwrap_err();
    assert_eq!(e.file, file);
    e.problems.iter().map(ToString::to_string).collect()
}

#[test]
fn a_crs_that_only_ends_in_4326_is_refused_with_file_and_crs() {
    let crs = |name: &str| {
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"{name}"}}}},"features":[{}]}}"#,
            feature(r#"{"kode":"35.19.09.2001","nama":"A"}"#, SQUARE)
        )
    };
    let e = parse(
        "utm.geojson",
        &crs("EPSG:32749 not 4326"),
        ImportKind::Places(Level::Desa),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with("utm.geojson: field `crs`: coordinates are in `EPSG:32749 not 4326`"),
        "{e}"
    );
    for ok in [
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "EPSG:4326",
        "urn:ogc:def:crs:EPSG::4326",
    ] {
        assert!(
            parse("ok.geojson", &crs(ok), ImportKind::Places(Level::Desa)).is_ok(),
            "{ok}"
        );
    }
    let feature_crs = fc(&[r#"{"type":"Feature","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"properties":{"kode":"35.19.09.2001","nama":"A"},"geometry":null}"#.to_owned()]);
    let p = file_problems("f.geojson", &feature_crs, ImportKind::Places(Level::Desa));
    assert!(
        p[0].starts_with("feature 0, field `crs`: coordinates are in `EPSG:3857`"),
        "{p:?}"
    );
}

#[test]
fn an_unclosed_ring_names_feature_field_and_ring() {
    let open = r#"{"type":"Polygon","coordinates":[[[111.4,-7.6],[111.41,-7.6],[111.41,-7.59],[111.4,-7.59]]]}"#;
    let hole_open = r#"{"type":"MultiPolygon","coordinates":[[[[111.4,-7.6],[111.5,-7.6],[111.5,-7.5],[111.4,-7.6]],[[111.45,-7.58],[111.46,-7.58],[111.46,-7.57]]]]}"#;
    let p = file_problems(
        "open.geojson",
        &fc(&[
            feature(r#"{"kode":"35.19.09.2001","nama":"A"}"#, open),
            feature(r#"{"kode":"35.19.09.2002","nama":"B"}"#, hole_open),
        ]),
        ImportKind::Places(Level::Desa),
    );
    assert_eq!(
        p[0],
        "feature 0 (35.19.09.2001), field `geometry`: polygon 0, exterior ring: not closed: the first position (111.4, -7.6) and the last (111.4, -7.59) differ; a ring must end where it starts"
    );
    assert!(
        p[1].starts_with(
            "feature 1 (35.19.09.2002), field `geometry`: polygon 0, interior ring 0: not closed"
        ),
        "{}",
        p[1]
    );
    let e = parse(
        "open.geojson",
        &fc(&[feature(r#"{"kode":"35.19.09.2001","nama":"A"}"#, open)]),
        ImportKind::Places(Level::Desa),
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("open.geojson: feature 0"), "{e}");
}

#[test]
fn control_characters_in_properties_are_refused() {
    let p = file_problems(
        "nul.geojson",
        &fc(&[feature(
            r#"{"kode":"35.19.09.2001","nama":"Klagen\u0000serut","nama_alt":["ok","b\u001b[1m"]}"#,
            SQUARE,
        )]),
        ImportKind::Places(Level::Desa),
    );
    assert_eq!(
        p,
        [
            "feature 0 (35.19.09.2001), field `nama`: contains the control character U+0000; remove it",
            "feature 0 (35.19.09.2001), field `nama_alt`: item 1: contains the control character U+001B; remove it",
        ]
    );
}

fn rt_feature(kode: &str) -> String {
    feature(&format!(r#"{{"kode":"{kode}","nama":"RT"}}"#), SQUARE)
}

#[test]
fn an_rt_needs_its_desa_in_the_file_or_the_atlas() {
    let mut known = KnownPlaces::default();
    known.insert(Kode::parse("35.19.09.2014").unwrap(), None);
    let text = fc(&[
        rt_feature("35.19.09.2014.003.009"),
        rt_feature("35.19.09.2099.001.001"),
    ]);
    let checked =
        parse_checked("rt.geojson", &text, ImportKind::Places(Level::Rt), &known).unwrap();
    let Import::Places(kept) = &checked.import else {
        panic!("expected places")
    };
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].kode.as_str(), "35.19.09.2014.003.009");
    let left: Vec<String> = checked.left_out.iter().map(ToString::to_string).collect();
    assert_eq!(
        left,
        [
            "feature 1 (35.19.09.2099.001.001), field `kode`: desa 35.19.09.2099 is neither in the file nor in the atlas; import the desa first"
        ]
    );
    let e = checked.strict("rt.geojson").unwrap_err().to_string();
    assert!(
        e.starts_with("rt.geojson: feature 1 (35.19.09.2099.001.001)"),
        "{e}"
    );
    // Nothing known at all: every RT is left out.
    let none = parse_checked(
        "rt.geojson",
        &text,
        ImportKind::Places(Level::Rt),
        &KnownPlaces::default(),
    )
    .unwrap();
    assert_eq!(none.left_out.len(), 2);
}

#[test]
fn a_location_needs_its_desa_in_the_atlas() {
    let text = fc(&[feature(
        r#"{"kode":"L-1","nama":"L","kode_desa":"35.19.09.2099"}"#,
        SQUARE,
    )]);
    let checked = parse_checked(
        "l.geojson",
        &text,
        ImportKind::Lokasi,
        &KnownPlaces::default(),
    )
    .unwrap();
    assert_eq!(checked.import, Import::Lokasi(vec![]));
    assert_eq!(
        checked.left_out[0].to_string(),
        "feature 0 (L-1), field `kode_desa`: no desa 35.19.09.2099 in the atlas; import the desa first"
    );
}

#[test]
fn a_desa_far_outside_its_kecamatan_is_a_warning_naming_the_feature() {
    let jiwan: MultiPolygon<f64> = match geometry_from_json(&json!({"type":"Polygon","coordinates":[[[111.45,-7.66],[111.53,-7.66],[111.53,-7.58],[111.45,-7.58],[111.45,-7.66]]]})).unwrap() {
        geo_types::Geometry::Polygon(p) => MultiPolygon(vec![p]),
        other => panic!("{other:?}"),
    };
    let mut known = KnownPlaces::default();
    known.insert(Kode::parse("35.19.09").unwrap(), Some(&jiwan));
    let africa = r#"{"type":"Polygon","coordinates":[[[20.0,0.0],[20.01,0.0],[20.01,0.01],[20.0,0.01],[20.0,0.0]]]}"#;
    let text = fc(&[
        feature(r#"{"kode":"35.19.09.2010","nama":"Klagenserut"}"#, SQUARE),
        feature(r#"{"kode":"35.19.09.2011","nama":"Di Afrika"}"#, africa),
    ]);
    let checked = parse_checked(
        "desa.geojson",
        &text,
        ImportKind::Places(Level::Desa),
        &known,
    )
    .unwrap();
    let Import::Places(kept) = &checked.import else {
        panic!("expected places")
    };
    assert_eq!(kept.len(), 2, "a warning does not leave the desa out");
    assert!(checked.left_out.is_empty());
    assert_eq!(checked.warnings.len(), 1, "{:?}", checked.warnings);
    let w = checked.warnings[0].to_string();
    assert!(
        w.starts_with("feature 1 (35.19.09.2011), field `geometry`: lies ")
            && w.contains("km from its kecamatan 35.19.09"),
        "{w}"
    );
}

#[test]
fn the_seed_desa_lie_inside_their_kecamatan() {
    let places = crate::seed::jiwan().unwrap();
    let kecamatan: Vec<&Place> = places
        .iter()
        .filter(|p| p.level() == Level::Kecamatan)
        .collect();
    let known = KnownPlaces::from_places(kecamatan);
    let text = include_str!("../../../../data/jiwan_desa.geojson");
    let checked = parse_checked(
        "data/jiwan_desa.geojson",
        text,
        ImportKind::Places(Level::Desa),
        &known,
    )
    .unwrap();
    assert!(
        checked.left_out.is_empty() && checked.warnings.is_empty(),
        "{checked:?}"
    );
}

#[test]
fn a_feature_collection_holds_its_features_as_given() {
    let features = vec![
        json!({"type": "Feature", "properties": {"kode": "35.19.09.2014"}, "geometry": null}),
        json!({"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [111.5, -7.6]}}),
    ];
    assert_eq!(
        feature_collection(features.clone()),
        json!({"type": "FeatureCollection", "features": features})
    );
    assert_eq!(
        feature_collection(vec![]).to_string(),
        r#"{"features":[],"type":"FeatureCollection"}"#
    );
}
