use std::path::Path;

use serde_json::json;

use super::*;

#[test]
fn formats_by_content_then_name() {
    let p = Path::new("x.dat");
    assert_eq!(
        Format::detect(p, b"SQLite format 3\0"),
        Some(Format::GeoPackage)
    );
    assert_eq!(
        Format::detect(p, &[0, 0, 0x27, 0x0a, 0]),
        Some(Format::Shapefile)
    );
    assert_eq!(Format::detect(p, b"PK\x03\x04"), Some(Format::Zip));
    assert_eq!(
        Format::detect(Path::new("a.KMZ"), b"PK\x03\x04"),
        Some(Format::Kmz)
    );
    assert_eq!(Format::detect(p, b"  {\"type\""), Some(Format::GeoJson));
    assert_eq!(Format::detect(p, b"<?xml"), Some(Format::Kml));
    // GML and GPX are XML too, but not KML: they are left to GDAL.
    assert_eq!(Format::detect(Path::new("a.gml"), b"<?xml"), None);
    assert_eq!(Format::detect(Path::new("a.GPX"), b"<?xml"), None);
    assert_eq!(
        Format::detect(Path::new("a.gml"), b"<?xml?><kml xmlns"),
        Some(Format::Kml)
    );
    assert_eq!(
        Format::detect(Path::new("a.csv"), b"WKT,kode"),
        Some(Format::Csv)
    );
    assert_eq!(Format::detect(p, b"WKT,kode"), None);
}

#[test]
fn geojson_in_utm_is_reprojected() {
    let text = json!({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32749"}},
        "features": [{"type": "Feature", "properties": {"kode": "1"},
            "geometry": {"type": "Point", "coordinates": [500000.0, 10000000.0]}}]
    })
    .to_string();
    let layer = read_geojson("f.geojson", &text).unwrap();
    let out = layer
        .to_geojson("f.geojson", None, &Mapping::default(), &|_| {})
        .unwrap();
    let c = &out["features"][0]["geometry"]["coordinates"];
    assert!((c[0].as_f64().unwrap() - 111.0).abs() < 1e-12, "{c}");
    assert!(c[1].as_f64().unwrap().abs() < 1e-12, "{c}");
    assert!(out.get("crs").is_none());
}

#[test]
fn kml_placemarks_with_folders_and_extended_data() {
    let kml = r#"<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>d</name>
      <Folder><name>Jiwan</name><Placemark><name>Bukur &amp; co</name>
        <ExtendedData><Data name="kode"><value>35.19.09.2001</value></Data>
          <SchemaData><SimpleData name="LUAS">2.5</SimpleData></SchemaData></ExtendedData>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>111.4,-7.6 111.5,-7.6 111.5,-7.5 111.4,-7.6</coordinates></LinearRing></outerBoundaryIs>
          <innerBoundaryIs><LinearRing><coordinates>111.45,-7.58,0 111.46,-7.58,0 111.46,-7.57,0 111.45,-7.58,0</coordinates></LinearRing></innerBoundaryIs></Polygon>
      </Placemark></Folder>
      <Placemark><name>bad</name><Point><coordinates>x,y</coordinates></Point></Placemark></Document></kml>"#;
    let layer = read_kml("p.kml", kml).unwrap();
    assert_eq!(layer.features.len(), 1);
    let f = &layer.features[0];
    assert_eq!(f["properties"]["name"], "Bukur & co");
    assert_eq!(f["properties"]["kode"], "35.19.09.2001");
    assert_eq!(f["properties"]["LUAS"], "2.5");
    assert_eq!(f["properties"]["folder"], "d / Jiwan");
    assert_eq!(f["geometry"]["type"], "Polygon");
    assert_eq!(f["geometry"]["coordinates"].as_array().unwrap().len(), 2);
    assert_eq!(layer.problems.len(), 1);
    assert_eq!(layer.problems[0].feature, Some(1));
}

#[test]
fn csv_with_wkt_and_with_lon_lat() {
    let layer = read_csv(
        "t.csv",
        "WKT,kode\n\"POLYGON ((0 0,1 0,1 1,0 0))\",a\n\"POINT (1\",b\n",
    )
    .unwrap();
    assert_eq!(layer.fields, ["WKT", "kode"]);
    assert_eq!(layer.features[0]["geometry"]["type"], "Polygon");
    assert_eq!(layer.problems[0].feature, Some(1));
    assert_eq!(layer.problems[0].field, "WKT");
    let layer = read_csv("t.csv", "nama;lat;lon\nx;-7,6;111,5\n").unwrap();
    assert_eq!(
        layer.features[0]["geometry"]["coordinates"],
        json!([111.5, -7.6])
    );
    let e = read_csv("t.csv", "a,b\n1,2\n").unwrap_err().to_string();
    assert!(e.contains("a, b"), "{e}");
}

#[test]
fn wkt_geometry() {
    let g = parse_wkt(
        "MULTIPOLYGON Z (((0 0 1, 1 0 1, 1 1 1, 0 0 1)), ((5 5 0, 6 5 0, 6 6 0, 5 5 0)))",
    )
    .unwrap();
    assert_eq!(g["type"], "MultiPolygon");
    assert_eq!(g["coordinates"][1][0][0], json!([5.0, 5.0]));
    assert_eq!(
        parse_wkt("POINT (1 2)").unwrap()["coordinates"],
        json!([1.0, 2.0])
    );
    assert_eq!(
        parse_wkt("MULTIPOINT (1 2, 3 4)").unwrap()["coordinates"][1],
        json!([3.0, 4.0])
    );
    for bad in [
        "POINT EMPTY",
        "CIRCLE (1 2)",
        "POLYGON ((0 0, 1))",
        "POINT (1 2) x",
        "LINESTRING (a b)",
    ] {
        assert!(parse_wkt(bad).is_err(), "{bad}");
    }
}

#[test]
fn shapefile_bytes_that_lie_are_refused_without_panic() {
    let mut shp = vec![0u8; 100];
    shp[..4].copy_from_slice(&9994i32.to_be_bytes());
    // One polygon record claiming a billion points.
    let mut rec = Vec::new();
    rec.extend_from_slice(&5i32.to_le_bytes());
    rec.extend_from_slice(&[0u8; 32]);
    rec.extend_from_slice(&1i32.to_le_bytes());
    rec.extend_from_slice(&1_000_000_000i32.to_le_bytes());
    rec.extend_from_slice(&0i32.to_le_bytes());
    shp.extend_from_slice(&1i32.to_be_bytes());
    shp.extend_from_slice(&i32::try_from(rec.len() / 2).unwrap().to_be_bytes());
    shp.extend_from_slice(&rec);
    let layer = read_shapefile("a.shp", &shp, None, None, None).unwrap();
    assert_eq!(layer.problems.len(), 1);
    assert_eq!(layer.problems[0].field, "geometry");
    assert!(read_shapefile("a.shp", &shp[..50], None, None, None).is_err());
    assert!(read_shapefile("a.shp", &shp, Some(b"short"), None, None).is_err());
    let e = read_shapefile("a.shp", &shp, None, None, Some("KOI9-X"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("KOI9-X") && e.contains(".cpg"), "{e}");
}

/// A polygon record whose ring does not end where it starts is refused, naming the ring,
/// instead of being closed with an edge nobody drew.
#[test]
fn an_open_shapefile_ring_is_refused() {
    let mut shp = vec![0u8; 100];
    shp[..4].copy_from_slice(&9994i32.to_be_bytes());
    let points = [(0.0_f64, 0.0_f64), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0)];
    let mut rec = Vec::new();
    rec.extend_from_slice(&5i32.to_le_bytes());
    rec.extend_from_slice(&[0u8; 32]);
    rec.extend_from_slice(&1i32.to_le_bytes());
    rec.extend_from_slice(&i32::try_from(points.len()).unwrap().to_le_bytes());
    rec.extend_from_slice(&0i32.to_le_bytes());
    for (x, y) in points {
        rec.extend_from_slice(&x.to_le_bytes());
        rec.extend_from_slice(&y.to_le_bytes());
    }
    shp.extend_from_slice(&1i32.to_be_bytes());
    shp.extend_from_slice(&i32::try_from(rec.len() / 2).unwrap().to_be_bytes());
    shp.extend_from_slice(&rec);
    let layer = read_shapefile("a.shp", &shp, None, None, None).unwrap();
    assert!(layer.features.is_empty());
    assert_eq!(layer.problems.len(), 1);
    assert_eq!(layer.problems[0].feature, Some(0));
    assert_eq!(layer.problems[0].field, "geometry");
    assert_eq!(
        layer.problems[0].message,
        "ring 0: the ring is not closed: it starts at (0, 0) and ends at (1, 0)"
    );
}

#[test]
fn the_layers_of_a_zip_are_its_shapefiles() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for name in [
        "batas_desa.shp",
        "batas_desa.dbf",
        "rt/batas_rt.SHP",
        "readme.txt",
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(b"x").unwrap();
    }
    zip.finish().unwrap();
    assert_eq!(zip_layers(&path).unwrap(), ["batas_desa", "batas_rt"]);
    let not_zip = dir.path().join("x.zip");
    std::fs::write(&not_zip, b"not a zip").unwrap();
    assert_eq!(zip_layers(&not_zip).unwrap_err().problems[0].field, "-");
}
