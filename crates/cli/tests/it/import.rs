//! `kumuh import` on real files: the checked reader against the store's places, and
//! files from other GIS tools (made with GDAL's `ogr2ogr` at test time).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;
use crate::gdal;
use common::{kumuh, ok, sqlite3};
use gdal::ogr2ogr;

/// A file of the project's shared data folder, which sits beside the repository (or
/// beside a folder of work trees holding it).
fn shared(name: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|a| a.join("shared/data").join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| manifest.join("../../../shared/data").join(name))
}

#[test]
fn java_desa_with_clockwise_rings_are_stored_with_their_true_areas() {
    let gz = shared("jawa_desa.geojson.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(&gz)
            .unwrap_or_else(|e| panic!("{} is needed for this test: {e}", gz.display())),
    )
    .read_to_string(&mut text)
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jawa_desa.geojson");
    std::fs::write(&file, &text).unwrap();
    let store = dir.path().join("kumuh.gpkg");
    let out = ok(&kumuh(
        &store,
        // 11 source boundaries cross themselves; they are left out and listed.
        &[
            "import",
            file.to_str().unwrap(),
            "--level",
            "desa",
            "--skip-invalid",
        ],
    ));
    assert!(out.contains("added"), "{out}");
    let count: usize = sqlite3(&store, "SELECT count(*) FROM desa")
        .parse()
        .unwrap();
    assert!(count > 25_000, "{count}");
    // The largest desa of Java is a few hundred km²; a clockwise ring measured as the
    // rest of the globe would be hundreds of millions.
    let max_ha: f64 = sqlite3(&store, "SELECT max(luas_ha) FROM desa")
        .parse()
        .unwrap();
    assert!(max_ha > 1_000.0 && max_ha < 200_000.0, "{max_ha}");
    let min_ha: f64 = sqlite3(&store, "SELECT min(luas_ha) FROM desa")
        .parse()
        .unwrap();
    assert!(min_ha > 0.0, "{min_ha}");
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
}

/// Each desa's code, area (ha) and bounding box as the store holds them.
fn desa_rows(store: &Path) -> Vec<(String, f64, [f64; 4])> {
    let fc: serde_json::Value = serde_json::from_str(&ok(&kumuh(
        store,
        &["export", "--format", "geojson", "--layer", "desa"],
    )))
    .unwrap();
    let mut bboxes = std::collections::HashMap::new();
    for f in fc["features"].as_array().unwrap() {
        let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        fn walk(v: &serde_json::Value, b: &mut [f64; 4]) {
            match v.as_array() {
                Some(a) if a.first().is_some_and(|x| x.is_number()) => {
                    let (x, y) = (a[0].as_f64().unwrap(), a[1].as_f64().unwrap());
                    *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
                }
                Some(a) => a.iter().for_each(|i| walk(i, b)),
                None => {}
            }
        }
        walk(&f["geometry"]["coordinates"], &mut b);
        bboxes.insert(f["properties"]["kode"].as_str().unwrap().to_owned(), b);
    }
    sqlite3(store, "SELECT kode, luas_ha FROM desa ORDER BY kode")
        .lines()
        .map(|l| {
            let (kode, area) = l.split_once('|').unwrap();
            (kode.to_owned(), area.parse().unwrap(), bboxes[kode])
        })
        .collect()
}

/// The store holds the same desa as one loaded from the shipped GeoJSON: same codes,
/// areas within 0.01 %, bounding boxes within 1e-7° (about a centimetre).
fn same_desa(store: &Path, direct: &[(String, f64, [f64; 4])], what: &str) {
    let got = desa_rows(store);
    assert_eq!(
        got.iter().map(|r| &r.0).collect::<Vec<_>>(),
        direct.iter().map(|r| &r.0).collect::<Vec<_>>(),
        "{what}"
    );
    for ((kode, area, bbox), (_, want_area, want_bbox)) in got.iter().zip(direct) {
        assert!(
            ((area - want_area) / want_area).abs() < 1e-4,
            "{what} {kode}: {area} ha, not {want_area}"
        );
        for (a, b) in bbox.iter().zip(want_bbox) {
            assert!(
                (a - b).abs() < 1e-7,
                "{what} {kode}: bbox {bbox:?}, not {want_bbox:?}"
            );
        }
    }
}

/// Imports `file` as desa into a fresh store, with `extra` arguments, and answers the
/// store's path.
fn import_desa(dir: &Path, file: &Path, extra: &[&str]) -> PathBuf {
    let store = dir.join(format!(
        "{}.gpkg",
        file.file_name()
            .unwrap()
            .to_string_lossy()
            .replace('.', "_")
    ));
    let mut args = vec!["import", file.to_str().unwrap(), "--level", "desa"];
    args.extend_from_slice(extra);
    let out = ok(&kumuh(&store, &args));
    assert!(
        out.contains("14 updated") || out.contains("14 added"),
        "{out}"
    );
    store
}

#[test]
fn files_from_other_gis_tools_import_like_the_geojson() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let source = data("jiwan_desa.geojson");
    let src = source.to_str().unwrap();
    let direct_store = import_desa(d, &source, &[]);
    let direct = desa_rows(&direct_store);
    assert_eq!(direct.len(), 14);

    let upper = "SELECT kode AS KD_DESA, nama AS NAMA_DESA FROM jiwan_desa";
    // A consultant's Shapefile: UTM zone 49S, upper-case field names.
    let shp = d.join("batas_desa.shp");
    if !ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        shp.to_str().unwrap(),
        src,
        "-t_srs",
        "EPSG:32749",
        "-sql",
        upper,
    ]) {
        return;
    }
    let map = "kode=KD_DESA,nama=NAMA_DESA";
    let store = import_desa(d, &shp, &["--map", map]);
    same_desa(&store, &direct, "Shapefile");

    // Without a mapping the missing field is named with the file's fields.
    let out = kumuh(
        &d.join("none.gpkg"),
        &["import", shp.to_str().unwrap(), "--level", "desa"],
    );
    let err = common::fails(&out);
    assert!(
        err.contains("field `kode`") && err.contains("KD_DESA, NAMA_DESA"),
        "{err}"
    );

    // The same Shapefile zipped, its .prj removed and the system given on the command line.
    let zip = d.join("batas.zip");
    let status = Command::new("zip")
        .current_dir(d)
        .args([
            "-q",
            "batas.zip",
            "batas_desa.shp",
            "batas_desa.dbf",
            "batas_desa.shx",
            "batas_desa.cpg",
        ])
        .status();
    if status.is_ok_and(|s| s.success()) {
        let store = import_desa(d, &zip, &["--map", map, "--crs", "EPSG:32749"]);
        same_desa(&store, &direct, "zipped Shapefile");
    }

    // A mapping file, and a GeoPackage in TM-3 zone 49.2 with two layers.
    let gpkg = d.join("qgis.gpkg");
    ogr2ogr(&[
        "-f",
        "GPKG",
        gpkg.to_str().unwrap(),
        src,
        "-t_srs",
        "EPSG:23836",
        "-nln",
        "desa_tm3",
        "-sql",
        upper,
    ]);
    ogr2ogr(&[
        "-update",
        "-f",
        "GPKG",
        gpkg.to_str().unwrap(),
        data("jiwan_points.geojson").to_str().unwrap(),
        "-nln",
        "titik",
    ]);
    let toml = d.join("map.toml");
    std::fs::write(
        &toml,
        "[fields]\nkode = \"KD_DESA\"\nnama = \"NAMA_DESA\"\n",
    )
    .unwrap();
    let out = kumuh(
        &d.join("x.gpkg"),
        &[
            "import",
            gpkg.to_str().unwrap(),
            "--level",
            "desa",
            "--mapping",
            toml.to_str().unwrap(),
        ],
    );
    let err = common::fails(&out);
    assert!(
        err.contains("desa_tm3, titik") && err.contains("--layer"),
        "{err}"
    );
    let store = import_desa(
        d,
        &gpkg,
        &["--mapping", toml.to_str().unwrap(), "--layer", "desa_tm3"],
    );
    same_desa(&store, &direct, "GeoPackage");

    // KML as a phone writes it: the name in <name>, the code in ExtendedData.
    let kml = d.join("desa.kml");
    ogr2ogr(&[
        "-f",
        "KML",
        kml.to_str().unwrap(),
        src,
        "-sql",
        "SELECT kode AS KD_DESA, nama AS Name FROM jiwan_desa",
    ]);
    let store = import_desa(d, &kml, &["--map", "kode=KD_DESA,nama=name"]);
    same_desa(&store, &direct, "KML");

    // The same KML zipped as a KMZ, as Google Earth saves it.
    std::fs::copy(&kml, d.join("doc.kml")).unwrap();
    let zipped = Command::new("zip")
        .current_dir(d)
        .args(["-q", "desa.kmz", "doc.kml"])
        .status();
    if zipped.is_ok_and(|s| s.success()) {
        let kmz = d.join("desa.kmz");
        let store = import_desa(d, &kmz, &["--map", "kode=KD_DESA,nama=name"]);
        same_desa(&store, &direct, "KMZ");
    }

    // A Shapefile whose DBF text is Latin-1, with a name that is not ASCII: read in the
    // code page its .cpg names, and in Latin-1/Windows-1252 when there is no .cpg.
    let latin = d.join("latin1.shp");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        latin.to_str().unwrap(),
        src,
        "-lco",
        "ENCODING=ISO-8859-1",
        "-sql",
        "SELECT kode AS KD_DESA, CONCAT(nama, ' Señor') AS NAMA_DESA FROM jiwan_desa",
    ]);
    let name_of_bibrik =
        |store: &Path| sqlite3(store, "SELECT nama FROM desa WHERE kode = '35.19.09.2014'");
    let dbf = std::fs::read(d.join("latin1.dbf")).unwrap();
    assert!(
        dbf.windows(5).any(|w| w == b"Se\xf1or"),
        "the DBF holds the name in Latin-1"
    );
    let store = import_desa(d, &latin, &["--map", map]);
    same_desa(&store, &direct, "Latin-1 Shapefile");
    assert_eq!(name_of_bibrik(&store), "Bibrik Señor");
    std::fs::remove_file(d.join("latin1.cpg")).unwrap();
    let store = import_desa(d, &latin, &["--map", map]);
    assert_eq!(name_of_bibrik(&store), "Bibrik Señor", "without a .cpg");

    // CSV with a WKT column.
    let csv = d.join("desa.csv");
    ogr2ogr(&[
        "-f",
        "CSV",
        csv.to_str().unwrap(),
        src,
        "-lco",
        "GEOMETRY=AS_WKT",
        "-sql",
        upper,
    ]);
    let store = import_desa(d, &csv, &["--map", map]);
    same_desa(&store, &direct, "CSV");
}

#[test]
fn a_dry_run_shows_the_mapped_features_and_problems_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shp = d.join("rt.shp");
    // Two RT of Bukur and one of a desa the atlas does not hold, in UTM 49S.
    let geojson = d.join("rt.geojson");
    let ring = |x: f64| {
        format!(
            "[[[{x},-7.60],[{},-7.60],[{},-7.59],[{x},-7.59],[{x},-7.60]]]",
            x + 0.002,
            x + 0.002
        )
    };
    std::fs::write(
        &geojson,
        format!(
            r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","properties":{{"KD_DESA":"35.19.09.2001","NO_RW":1,"NO_RT":3,"NAMA_RT":"RT 3"}},"geometry":{{"type":"Polygon","coordinates":{}}}}},
            {{"type":"Feature","properties":{{"KD_DESA":"35.19.09.2001","NO_RW":1,"NO_RT":4,"NAMA_RT":"RT 4"}},"geometry":{{"type":"Polygon","coordinates":{}}}}},
            {{"type":"Feature","properties":{{"KD_DESA":"35.19.09.2099","NO_RW":2,"NO_RT":1,"NAMA_RT":"RT 1"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}]}}"#,
            ring(111.47),
            ring(111.475),
            ring(111.48)
        ),
    )
    .unwrap();
    if !ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        shp.to_str().unwrap(),
        geojson.to_str().unwrap(),
        "-t_srs",
        "EPSG:32749",
    ]) {
        return;
    }
    let store = d.join("kumuh.gpkg");
    ok(&kumuh(&store, &["init"]));
    let changes = || sqlite3(&store, "SELECT count(*) FROM kumuh_perubahan");
    let before = changes();
    let map = "kode=concat(KD_DESA,'.',pad3(NO_RW),'.',pad3(NO_RT)),nama=NAMA_RT";
    let out = ok(&kumuh(
        &store,
        &[
            "import",
            shp.to_str().unwrap(),
            "--level",
            "rt",
            "--map",
            map,
            "--dry-run",
        ],
    ));
    assert!(
        out.contains("3 features read; 2 places would be imported, 1 left out"),
        "{out}"
    );
    assert!(out.contains(r#"kode="35.19.09.2001.001.003""#), "{out}");
    assert!(
        out.contains("feature 2 (35.19.09.2099.002.001), field `kode`: desa 35.19.09.2099"),
        "{out}"
    );
    assert_eq!(changes(), before, "a dry run wrote");
    assert_eq!(
        sqlite3(
            &store,
            "SELECT count(*) FROM rt WHERE kode LIKE '35.19.09.2001.%'"
        ),
        "0"
    );
    // The real run refuses the file whole; with --skip-invalid it writes the two.
    common::fails(&kumuh(
        &store,
        &[
            "import",
            shp.to_str().unwrap(),
            "--level",
            "rt",
            "--map",
            map,
        ],
    ));
    let out = ok(&kumuh(
        &store,
        &[
            "import",
            shp.to_str().unwrap(),
            "--level",
            "rt",
            "--map",
            map,
            "--skip-invalid",
        ],
    ));
    assert!(out.contains("2 added"), "{out}");
    assert_eq!(
        sqlite3(
            &store,
            "SELECT count(*) FROM rt WHERE kode LIKE '35.19.09.2001.001.00_'"
        ),
        "2"
    );
    // A dry run on a store that does not exist (a missing file, an empty database)
    // does not create it.
    let none = d.join("none.gpkg");
    ok(&kumuh(
        &none,
        &[
            "import",
            shp.to_str().unwrap(),
            "--level",
            "rt",
            "--map",
            map,
            "--dry-run",
            "--skip-invalid",
        ],
    ));
    assert!(!none.exists());
    if common::on_postgis() {
        assert_eq!(
            sqlite3(
                &none,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'rt'"
            ),
            "0"
        );
    }
}

/// A FlatGeobuf file (GDAL's, with its spatial index) imports, and every desa's area
/// matches the one loaded from the shipped GeoJSON within 0.05 %.
#[test]
fn flatgeobuf_imports_with_the_areas_of_the_geojson() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let source = data("jiwan_desa.geojson");
    let fgb = d.join("desa.fgb");
    if !ogr2ogr(&[
        "-f",
        "FlatGeobuf",
        fgb.to_str().unwrap(),
        source.to_str().unwrap(),
    ]) {
        return;
    }
    let direct = desa_rows(&import_desa(d, &source, &[]));
    let got = desa_rows(&import_desa(d, &fgb, &[]));
    assert_eq!(direct.len(), 14);
    assert_eq!(
        got.iter().map(|r| &r.0).collect::<Vec<_>>(),
        direct.iter().map(|r| &r.0).collect::<Vec<_>>()
    );
    for ((kode, area, _), (_, want, _)) in got.iter().zip(&direct) {
        assert!(
            ((area - want) / want).abs() < 5e-4,
            "{kode}: {area} ha, not {want}"
        );
    }
}

/// Makes the shipped Jiwan desa as a MapInfo TAB in UTM 49S with a consultant's field
/// names, and as a GML in Web Mercator (a system Kumuh does not know itself); `None`
/// without GDAL.
fn gdal_only_files(d: &Path) -> Option<[PathBuf; 2]> {
    let src = data("jiwan_desa.geojson");
    let src = src.to_str().unwrap();
    let upper = "SELECT kode AS KD_DESA, nama AS NAMA_DESA FROM jiwan_desa";
    let tab = d.join("batas_desa.tab");
    let gml = d.join("batas_desa.gml");
    let made = ogr2ogr(&[
        "-f",
        "MapInfo File",
        tab.to_str().unwrap(),
        src,
        "-t_srs",
        "EPSG:32749",
        "-sql",
        upper,
    ]) && ogr2ogr(&[
        "-f",
        "GML",
        gml.to_str().unwrap(),
        src,
        "-t_srs",
        "EPSG:3857",
        "-sql",
        upper,
    ]);
    made.then_some([tab, gml])
}

/// With the `gdal` feature, formats only GDAL reads import like the GeoJSON: a MapInfo
/// TAB in UTM 49S (Kumuh reprojects the file's coordinates itself, as for a Shapefile)
/// and a GML in Web Mercator (GDAL brings it to EPSG:4326 while reading); every desa's
/// area within 0.05 % of the one loaded from the GeoJSON.
#[cfg(feature = "gdal")]
#[test]
fn formats_only_gdal_reads_import_with_the_gdal_feature() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let Some(files) = gdal_only_files(d) else {
        return;
    };
    let direct = desa_rows(&import_desa(d, &data("jiwan_desa.geojson"), &[]));
    let map = ["--map", "kode=KD_DESA,nama=NAMA_DESA"];
    for file in &files {
        let got = desa_rows(&import_desa(d, file, &map));
        assert_eq!(
            got.iter().map(|r| &r.0).collect::<Vec<_>>(),
            direct.iter().map(|r| &r.0).collect::<Vec<_>>(),
            "{}",
            file.display()
        );
        for ((kode, area, _), (_, want, _)) in got.iter().zip(&direct) {
            assert!(
                ((area - want) / want).abs() < 5e-4,
                "{} {kode}: {area} ha, not {want}",
                file.display()
            );
        }
    }
    // The dry run lists the GML's fields for a mapping, like any other format.
    let out = common::kumuh(
        &d.join("none.gpkg"),
        &["import", files[1].to_str().unwrap(), "--level", "desa"],
    );
    let err = common::fails(&out);
    assert!(
        err.contains("field `kode`") && err.contains("KD_DESA") && err.contains("NAMA_DESA"),
        "{err}"
    );
}

/// Without the `gdal` feature, such a file is refused with one line naming the feature
/// and the formats Kumuh reads, and nothing is written.
#[cfg(not(feature = "gdal"))]
#[test]
fn a_format_only_gdal_reads_names_the_gdal_feature_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let Some([tab, _]) = gdal_only_files(d) else {
        return;
    };
    let store = d.join("kumuh.gpkg");
    ok(&kumuh(&store, &["init"]));
    let before = sqlite3(&store, "SELECT count(*) FROM desa");
    let out = kumuh(
        &store,
        &["import", tab.to_str().unwrap(), "--level", "desa"],
    );
    let err = common::fails(&out);
    assert!(
        err.contains("batas_desa.tab")
            && err.contains("`gdal` feature")
            && err.contains("GeoJSON, Shapefile"),
        "{err}"
    );
    assert_eq!(sqlite3(&store, "SELECT count(*) FROM desa"), before);
}
