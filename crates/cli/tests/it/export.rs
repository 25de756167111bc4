//! `kumuh export --layer L --format F` for every layer and format, read back with
//! GDAL (`ogrinfo`, `ogr2ogr` from Debian's gdal-bin).

use std::path::{Path, PathBuf};

use crate::common;
use crate::gdal;
use common::{fails, kumuh, ok, sqlite3};
use gdal::gdal;

/// A new store with the shipped desa and works, one slum location with two
/// assessments, and one road line.
fn store_with_lokasi(dir: &Path) -> PathBuf {
    let store = dir.join("kumuh.gpkg");
    ok(&kumuh(&store, &["init"]));
    let lokasi = dir.join("lokasi.geojson");
    std::fs::write(
        &lokasi,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kode":"SKL-01","nama":"Sukolilo RT 24 (uji)","kode_desa":"35.19.09.2005","kawasan":"Sukolilo"},
        "geometry":{"type":"Polygon","coordinates":[[[111.475,-7.64],[111.478,-7.64],[111.478,-7.637],[111.475,-7.637],[111.475,-7.64]]]}}]}"#,
    )
    .unwrap();
    ok(&kumuh(
        &store,
        &["import", lokasi.to_str().unwrap(), "--level", "lokasi"],
    ));
    let jalan = dir.join("jalan.geojson");
    std::fs::write(
        &jalan,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kode":"J-01","jenis":"jalan","kondisi":"rusak berat","contoh":true},
        "geometry":{"type":"LineString","coordinates":[[111.474,-7.6385],[111.479,-7.6385]]}}]}"#,
    )
    .unwrap();
    ok(&kumuh(
        &store,
        &["import", jalan.to_str().unwrap(), "--level", "jaringan"],
    ));
    let header = "kode_lokasi,nama_lokasi,kode_desa,tahun,luas_ha,jumlah_bangunan,jumlah_penduduk,jumlah_kk,panjang_jalan_ideal_m,panjang_drainase_ideal_m,v1a,v1b,v1c,v2a,v2b,v3a,v3b,v4a,v4b,v4c,v5a,v5b,v6a,v6b,v7a,v7b";
    let csv = dir.join("penilaian.csv");
    std::fs::write(
        &csv,
        format!(
            "{header}\nSKL-01,Sukolilo RT 24,35.19.09.2005,2024,11,33,168,42,400,0,0,0,0,100,300,1,0,0,0,0,7,7,42,42,33,33\n"
        ),
    )
    .unwrap();
    ok(&kumuh(
        &store,
        &["import-assessments", csv.to_str().unwrap()],
    ));
    store
}

/// The layer's GeoJSON export, the reference every other format is held to.
fn geojson(store: &Path, layer: &str) -> serde_json::Value {
    serde_json::from_str(&ok(&kumuh(
        store,
        &["export", "--format", "geojson", "--layer", layer],
    )))
    .unwrap()
}

/// What GDAL opens for an exported file: a zipped Shapefile through `/vsizip/`.
fn gdal_path(file: &Path) -> String {
    let p = file.to_str().unwrap();
    if p.ends_with(".zip") {
        format!("/vsizip/{p}")
    } else {
        p.to_owned()
    }
}

/// The features in every layer GDAL finds in `file`, or in its `table` alone (a
/// GeoPackage holds the store's other tables too, empty or not).
fn gdal_feature_count(file: &Path, table: Option<&str>) -> usize {
    let path = gdal_path(file);
    let info = match table {
        Some(t) => gdal("ogrinfo", &["-ro", "-so", &path, t]),
        None => gdal("ogrinfo", &["-ro", "-al", "-so", &path]),
    };
    let counts: Vec<usize> = info
        .lines()
        .filter_map(|l| l.strip_prefix("Feature Count: "))
        .map(|n| n.trim().parse().unwrap())
        .collect();
    assert!(!counts.is_empty(), "{info}");
    counts.iter().sum()
}

fn export(store: &Path, layer: &str, format: &str, out: &Path) -> String {
    ok(&kumuh(
        store,
        &[
            "export",
            "--layer",
            layer,
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ],
    ))
}

const FORMATS: [(&str, &str); 6] = [
    ("geojson", "geojson"),
    ("gpkg", "gpkg"),
    ("shp", "shp.zip"),
    ("kml", "kml"),
    ("fgb", "fgb"),
    ("csv", "csv"),
];

#[test]
fn every_layer_in_every_format_reads_back_in_gdal_with_its_feature_count() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_lokasi(dir.path());
    for layer in [
        "provinsi",
        "kabupaten",
        "kecamatan",
        "desa",
        "rt",
        "lokasi",
        "jaringan",
        "segmen",
    ] {
        let want = geojson(&store, layer)["features"].as_array().unwrap().len();
        // The new store has no RT: an empty layer must still be a file GDAL opens.
        assert_eq!(want == 0, layer == "rt", "{layer}: {want} features");
        for (format, ext) in FORMATS {
            let out = dir.path().join(format!("kumuh-{layer}.{ext}"));
            if layer == "segmen" && format == "gpkg" {
                let err = fails(&kumuh(
                    &store,
                    &[
                        "export",
                        "--layer",
                        layer,
                        "--format",
                        format,
                        "--out",
                        out.to_str().unwrap(),
                    ],
                ));
                assert!(err.contains("format"), "{err}");
                continue;
            }
            let said = export(&store, layer, format, &out);
            assert!(
                said.contains(&format!("{want} features")),
                "{layer} {format}: {said}"
            );
            let table = match (format, layer) {
                ("gpkg", "lokasi") => Some("lokasi_kumuh"),
                ("gpkg", l) => Some(l),
                _ => None,
            };
            assert_eq!(gdal_feature_count(&out, table), want, "{layer} as {format}");
        }
    }
}

#[test]
fn lokasi_exports_carry_the_latest_assessment() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_lokasi(dir.path());
    let out = dir.path().join("lokasi.fgb");
    export(&store, "lokasi", "fgb", &out);
    let gj = gdal(
        "ogr2ogr",
        &["-f", "GeoJSON", "/vsistdout/", out.to_str().unwrap()],
    );
    let fc: serde_json::Value = serde_json::from_str(&gj).unwrap();
    // FlatGeobuf orders features along its index, GeoJSON by code: find SKL-01 in both.
    let skl = |fc: &serde_json::Value| -> serde_json::Value {
        fc["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["kode"] == "SKL-01")
            .map(|f| f["properties"].clone())
            .unwrap_or_else(|| panic!("no SKL-01 in {fc}"))
    };
    let p = &skl(&fc);
    let want = &skl(&geojson(&store, "lokasi"));
    assert_eq!(p["kode"], "SKL-01", "{p}");
    assert_eq!(p["tahun"], 2024, "{p}");
    assert!(!p["total"].is_null() && !p["kelas"].is_null(), "{p}");
    for field in [
        "tahun",
        "total",
        "kelas",
        "prioritas",
        "area_ha",
        "kode_desa",
    ] {
        assert_eq!(p[field], want[field], "{field}: {p} vs {want}");
    }
}

#[test]
fn shapefile_fields_are_short_and_unique_and_desa_areas_hold() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = d.join("kumuh.gpkg");
    ok(&kumuh(&store, &["init"]));
    let shp = d.join("desa.shp.zip");
    export(&store, "desa", "shp", &shp);

    let info = gdal("ogrinfo", &["-ro", "-al", "-so", &gdal_path(&shp)]);
    assert!(info.contains("Geometry: Polygon"), "{info}");
    assert!(
        info.contains("WGS 84") || info.contains("WGS_1984"),
        "{info}"
    );
    let fields: Vec<&str> = info
        .lines()
        .filter_map(|l| {
            let (name, kind) = l.split_once(": ")?;
            let kind = kind.split(' ').next()?;
            ["String", "Integer", "Integer64", "Real", "Date"]
                .contains(&kind)
                .then_some(name)
        })
        .collect();
    assert!(
        fields.contains(&"kode") && fields.contains(&"area_ha"),
        "{info}"
    );
    let mut unique = std::collections::HashSet::new();
    for f in &fields {
        assert!(f.len() <= 10, "{f} is longer than 10 characters");
        assert!(
            unique.insert(f.to_ascii_lowercase()),
            "{f} twice: {fields:?}"
        );
    }

    // GDAL reads the Shapefile; the atlas measures what it read.
    let back = d.join("back.geojson");
    gdal(
        "ogr2ogr",
        &["-f", "GeoJSON", back.to_str().unwrap(), &gdal_path(&shp)],
    );
    let again = d.join("again.gpkg");
    ok(&kumuh(
        &again,
        &["import", back.to_str().unwrap(), "--level", "desa"],
    ));
    let areas = |s: &Path| -> Vec<(String, f64)> {
        sqlite3(s, "SELECT kode, luas_ha FROM desa ORDER BY kode")
            .lines()
            .map(|l| {
                let (k, a) = l.split_once('|').unwrap();
                (k.to_owned(), a.parse().unwrap())
            })
            .collect()
    };
    let (want, got) = (areas(&store), areas(&again));
    assert_eq!(want.len(), 14);
    assert_eq!(
        got.iter().map(|r| &r.0).collect::<Vec<_>>(),
        want.iter().map(|r| &r.0).collect::<Vec<_>>()
    );
    for ((kode, a), (_, w)) in got.iter().zip(&want) {
        assert!(((a - w) / w).abs() < 5e-4, "{kode}: {a} ha, not {w}");
    }
}

#[test]
fn whole_atlas_gpkg_stays_and_binary_formats_need_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kumuh.gpkg");
    ok(&kumuh(&store, &["init"]));
    let copy = dir.path().join("copy.gpkg");
    ok(&kumuh(
        &store,
        &[
            "export",
            "--format",
            "gpkg",
            "--out",
            copy.to_str().unwrap(),
        ],
    ));
    assert_eq!(sqlite3(&copy, "SELECT count(*) FROM desa"), "14");
    assert!(sqlite3(&copy, "SELECT count(*) FROM kegiatan") != "0");

    let err = fails(&kumuh(
        &store,
        &["export", "--format", "fgb", "--layer", "desa"],
    ));
    assert!(err.contains("--out"), "{err}");
    let err = fails(&kumuh(
        &store,
        &["export", "--format", "csv", "--layer", "pulau"],
    ));
    assert!(err.contains("--layer") && err.contains("jaringan"), "{err}");
    let csv = ok(&kumuh(
        &store,
        &["export", "--format", "csv", "--layer", "desa"],
    ));
    assert!(csv.starts_with("WKT,kode,nama,"), "{csv}");
    assert_eq!(csv.lines().count(), 15, "{csv}");
}
