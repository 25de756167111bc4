//! Every writer read back by the importer's own readers.

use std::io::Read;

use geo_types::{Geometry, LineString, MultiLineString, MultiPolygon, Polygon, coord};
use serde_json::{Value, json};

use super::*;
use crate::foreign;

/// A square with a hole, counter-clockwise as RFC 7946 has it, in EPSG:4326.
fn square_with_hole() -> Geometry<f64> {
    let ring = |x0: f64, y0: f64, d: f64| {
        LineString(vec![
            coord! {x: x0, y: y0},
            coord! {x: x0 + d, y: y0},
            coord! {x: x0 + d, y: y0 + d},
            coord! {x: x0, y: y0 + d},
            coord! {x: x0, y: y0},
        ])
    };
    let hole = {
        let mut h = ring(111.502, -7.598, 0.002);
        h.0.reverse();
        h
    };
    Geometry::MultiPolygon(MultiPolygon(vec![Polygon::new(
        ring(111.5, -7.6, 0.01),
        vec![hole],
    )]))
}

fn layer() -> ExportLayer {
    let fc = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {
            "kode": "35.19.09.2014", "nama": "Bibrik & <Sons>", "luas_kumuh_ha": 1.25,
            "luas_kumuh_rp": 1_500_000_000_i64, "tahun": 2024, "rusak": true,
            "sk_tanggal": "2024-03-01", "catatan": "=SUM(A1)"},
         "geometry": geojson_of(&square_with_hole())},
        {"type": "Feature", "properties": {
            "kode": "35.19.09.2015", "nama": "Jiwan", "luas_kumuh_ha": 2,
            "luas_kumuh_rp": null, "tahun": null, "rusak": false,
            "sk_tanggal": null, "catatan": "é".repeat(200)},
         "geometry": geojson_of(&square_with_hole())},
    ]});
    ExportLayer::from_geojson("lokasi", &fc).unwrap()
}

fn geojson_of(g: &Geometry<f64>) -> Value {
    crate::geojson::geometry_json(g)
}

fn props(l: &foreign::Layer, i: usize) -> &serde_json::Map<String, Value> {
    l.features[i]["properties"].as_object().unwrap()
}

#[test]
fn columns_are_typed_from_their_values() {
    let l = layer();
    let kinds: Vec<(&str, ColumnType)> = l
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("kode", ColumnType::Text),
            ("nama", ColumnType::Text),
            ("catatan", ColumnType::Text),
            ("luas_kumuh_ha", ColumnType::Real),
            ("luas_kumuh_rp", ColumnType::Integer),
            ("rusak", ColumnType::Boolean),
            ("sk_tanggal", ColumnType::Date),
            ("tahun", ColumnType::Integer),
        ]
    );
}

fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().into_owned(), b)
        })
        .collect()
}

#[test]
fn shapefile_reads_back_with_short_names_types_and_rings() {
    let files = unzip(&write_shapefile_zip(&layer()).unwrap());
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "lokasi.cpg",
            "lokasi.dbf",
            "lokasi.prj",
            "lokasi.shp",
            "lokasi.shx"
        ]
    );
    assert_eq!(files["lokasi.cpg"], b"UTF-8");
    let back = foreign::read_shapefile(
        "lokasi.shp",
        &files["lokasi.shp"],
        Some(&files["lokasi.dbf"]),
        Some(std::str::from_utf8(&files["lokasi.prj"]).unwrap()),
        Some("UTF-8"),
    )
    .unwrap();
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!(back.crs, Some(foreign::Crs::LonLat));
    assert_eq!(
        back.fields,
        [
            "kode",
            "nama",
            "catatan",
            "luas_kumuh",
            "luas_kum_1",
            "rusak",
            "sk_tanggal",
            "tahun"
        ]
    );
    let p = props(&back, 0);
    assert_eq!(p["nama"], "Bibrik & <Sons>");
    assert_eq!(p["luas_kumuh"], 1.25);
    assert_eq!(p["luas_kum_1"], 1_500_000_000_i64);
    let p = props(&back, 1);
    // Cut to 254 bytes at a character boundary: 127 two-byte characters.
    assert_eq!(p["catatan"], "é".repeat(127));
    assert_eq!(p["luas_kum_1"], Value::Null);
    // One exterior and one hole survive the Shapefile's clockwise rule.
    let g = crate::geojson::geometry_from_json(&back.feature(0).unwrap()["geometry"]).unwrap();
    let area = |g: &Geometry<f64>| match super::promote(g.clone()) {
        Geometry::MultiPolygon(m) => kumuh_domain::geometry::geodesic_area_m2(&m),
        other => panic!("not an area: {other:?}"),
    };
    let want = area(&square_with_hole());
    assert!(
        (area(&g) - want).abs() / want < 1e-9,
        "{} vs {want}",
        area(&g)
    );
}

#[test]
fn an_empty_layer_has_code_and_name_columns_and_every_format_writes() {
    let fc = json!({"type": "FeatureCollection", "features": []});
    let l = ExportLayer::from_geojson("rt", &fc).unwrap();
    let names: Vec<&str> = l.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["kode", "nama"]);
    assert_eq!(write_csv(&l).unwrap(), b"WKT,kode,nama\n");
    let back = foreign::read_flatgeobuf("rt.fgb", &write_fgb(&l).unwrap()).unwrap();
    assert_eq!((back.features.len(), back.fields.len()), (0, 2));
    assert!(write_kml(&l).is_ok() && write_shapefile_zip(&l).is_ok());
}

#[test]
fn a_layer_wider_than_a_dbf_is_refused_naming_the_limit() {
    let props: serde_json::Map<String, Value> =
        (0..300).map(|i| (format!("f{i}"), json!("x"))).collect();
    let fc = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geojson_of(&square_with_hole())}]});
    let l = ExportLayer::from_geojson("desa", &fc).unwrap();
    let e = write_shapefile_zip(&l).unwrap_err().to_string();
    assert!(e.contains("desa") && e.contains("255"), "{e}");
    // 255 fields of the widest text still fit the DBF's 65,535-byte record.
    let widest: serde_json::Map<String, Value> = (0..255)
        .map(|i| (format!("f{i}"), json!("y".repeat(300))))
        .collect();
    let fc = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": widest, "geometry": geojson_of(&square_with_hole())}]});
    let l = ExportLayer::from_geojson("desa", &fc).unwrap();
    assert!(write_shapefile_zip(&l).is_ok());
}

#[test]
fn shapefile_of_mixed_kinds_is_one_per_kind() {
    let fc = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kode": "S1"}, "geometry": geojson_of(&square_with_hole())},
        {"type": "Feature", "properties": {"kode": "S2"}, "geometry": geojson_of(
            &Geometry::MultiLineString(MultiLineString(vec![LineString(vec![
                coord! {x: 111.5, y: -7.5}, coord! {x: 111.6, y: -7.5}])])))},
    ]});
    let l = ExportLayer::from_geojson("segmen", &fc).unwrap();
    let files = unzip(&write_shapefile_zip(&l).unwrap());
    for base in ["segmen_polygon", "segmen_line"] {
        let back = foreign::read_shapefile(
            base,
            &files[&format!("{base}.shp")],
            Some(&files[&format!("{base}.dbf")]),
            None,
            Some("UTF-8"),
        )
        .unwrap();
        assert_eq!(back.features.len(), 1, "{base}");
    }
}

#[test]
fn kml_reads_back_with_names_and_fields() {
    let bytes = write_kml(&layer()).unwrap();
    let back = foreign::read_kml("lokasi.kml", std::str::from_utf8(&bytes).unwrap()).unwrap();
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!(back.features.len(), 2);
    let p = props(&back, 0);
    assert_eq!(p["name"], "Bibrik & <Sons>");
    assert_eq!(p["kode"], "35.19.09.2014");
    assert_eq!(p["sk_tanggal"], "2024-03-01");
}

#[test]
fn csv_reads_back_and_guards_formulas() {
    let bytes = write_csv(&layer()).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    assert!(text.starts_with("WKT,kode,nama,catatan,"), "{text}");
    assert!(text.contains("\"MULTIPOLYGON (((111.5 -7.6, "), "{text}");
    assert!(text.contains("'=SUM(A1)"), "{text}");
    let back = foreign::read_csv("lokasi.csv", text).unwrap();
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!(back.features.len(), 2);
    assert_eq!(back.features[0]["geometry"]["type"], "MultiPolygon");
}

#[test]
fn flatgeobuf_reads_back_typed() {
    let bytes = write_fgb(&layer()).unwrap();
    assert_eq!(&bytes[..3], b"fgb");
    let back = foreign::read_flatgeobuf("lokasi.fgb", &bytes).unwrap();
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!(back.crs, Some(foreign::Crs::LonLat));
    assert_eq!(back.features.len(), 2);
    assert_eq!(back.fields.len(), layer().columns.len());
    // The index orders features along a Hilbert curve: find each by its code.
    let bibrik = back
        .features
        .iter()
        .find(|f| f["properties"]["kode"] == "35.19.09.2014")
        .unwrap();
    assert_eq!(bibrik["properties"]["luas_kumuh_rp"], 1_500_000_000_i64);
    assert_eq!(bibrik["properties"]["rusak"], true);
    let g = crate::geojson::area_geometry_from_json(&bibrik["geometry"]).unwrap();
    let want = match square_with_hole() {
        Geometry::MultiPolygon(m) => kumuh_domain::geometry::geodesic_area_m2(&m),
        _ => unreachable!(),
    };
    let got = kumuh_domain::geometry::geodesic_area_m2(&g);
    assert!((got - want).abs() / want < 1e-9, "{got} vs {want}");
    assert_eq!(g.0[0].interiors().len(), 1);
}

#[test]
fn damaged_flatgeobuf_is_refused_not_a_panic() {
    let bytes = write_fgb(&layer()).unwrap();
    for cut in [8, 12, bytes.len() / 2, bytes.len() - 3] {
        let mut b = bytes[..cut].to_vec();
        b.extend_from_slice(&[0xff; 16]);
        let _ = foreign::read_flatgeobuf("cut.fgb", &b);
    }
    let e = foreign::read_flatgeobuf("cut.fgb", &bytes[..8]).unwrap_err();
    assert!(e.to_string().contains("cut.fgb"), "{e}");
}

#[test]
fn flatgeobuf_with_a_forged_feature_length_is_refused_before_reading() {
    let mut bytes = write_fgb(&layer()).unwrap();
    // The last feature's stated length, 4 bytes before its body, becomes 4 GiB - 1.
    let header = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let mut at = 12 + header + flatgeobuf::packed_r_tree::PackedRTree::index_size(2, 16);
    let first = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
    at += 4 + first;
    bytes[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let e = foreign::read_flatgeobuf("forged.fgb", &bytes).unwrap_err();
    assert!(e.to_string().contains("feature 1 runs past its end"), "{e}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// A FlatGeobuf file with bytes overwritten or cut answers a layer or an error: no
    /// panic escapes and no forged length makes it allocate beyond the file.
    #[test]
    fn damaged_flatgeobuf_answers(
        edits in proptest::collection::vec((0usize..4096, proptest::prelude::any::<u8>()), 1..8),
        keep in 0usize..4096,
    ) {
        let mut bytes = write_fgb(&layer()).unwrap();
        let len = bytes.len();
        for (at, b) in edits {
            bytes[at % len] = b;
        }
        bytes.truncate(keep.max(8).min(len));
        let _ = foreign::read_flatgeobuf("damaged.fgb", &bytes);
    }
}
