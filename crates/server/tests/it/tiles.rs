//! Vector tiles over real HTTP: the catalog, TileJSON, tiles decoded by GDAL's MVT
//! driver (`ogrinfo` from Debian's gdal-bin), ETags, gzip, bad coordinates, and the cache
//! dropping exactly the tiles an edit touched.

use std::process::Command;

use axum::http::{Method, StatusCode};
use kumuh_domain::{Kode, Role};
use kumuh_store::{GpkgStore, KegiatanWrite, OpenMode, Store};
use kumuh_tiles::TileId;
use serde_json::{Value, json};

use crate::common;
use common::{fixture, fixture_with_bibrik_work};

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_gzip().build().unwrap()
}

/// GETs a URL and reads its JSON body.
async fn get_json(http: &reqwest::Client, url: impl reqwest::IntoUrl) -> Value {
    http.get(url).send().await.unwrap().json().await.unwrap()
}

fn ogrinfo_tile(bytes: &[u8], tile: TileId) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.mvt");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("ogrinfo")
        .args(["-ro", "-al", "-oo"])
        .arg(format!("Z={}", tile.z()))
        .args(["-oo"])
        .arg(format!("X={}", tile.x()))
        .args(["-oo"])
        .arg(format!("Y={}", tile.y()))
        .arg(&path)
        .output()
        .expect("ogrinfo from gdal-bin is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[tokio::test]
async fn catalog_tilejson_and_tiles_gdal_can_read() {
    let f = fixture_with_bibrik_work().await;
    let base = f.serve().await;
    let http = client();

    let catalog: Value = get_json(&http, format!("{base}/tiles")).await;
    let ids: Vec<&str> = catalog["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "provinsi",
            "kabupaten",
            "kecamatan",
            "desa",
            "rw",
            "rt",
            "lokasi",
            "jaringan",
            "segmen",
            "label"
        ]
    );
    let tj: Value = get_json(&http, catalog["layers"][3]["tilejson"].as_str().unwrap()).await;
    assert_eq!(tj["tilejson"], "3.0.0");
    let template = tj["tiles"][0].as_str().unwrap().to_owned();
    assert_eq!(template, format!("{base}/tiles/desa/{{z}}/{{x}}/{{y}}.mvt"));
    assert_eq!(tj["vector_layers"][0]["id"], "desa");
    assert!(tj["vector_layers"][0]["fields"]["nama"].is_string());
    let bounds: Vec<f64> = serde_json::from_value(tj["bounds"].clone()).unwrap();
    assert!(bounds[0] < 111.46 && bounds[2] > 111.51, "{bounds:?}");

    // Bibrik at z14, through the URL template, gzipped.
    let tile = TileId::covering_lonlat(111.4935, -7.5753, 14).unwrap();
    let url = template
        .replace("{z}", &tile.z().to_string())
        .replace("{x}", &tile.x().to_string())
        .replace("{y}", &tile.y().to_string());
    let res = http
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.mapbox-vector-tile"
    );
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let bytes = gunzip(&res.bytes().await.unwrap());
    let info = ogrinfo_tile(&bytes, tile);
    assert!(info.contains("Layer name: desa"), "{info}");
    assert!(info.contains("nama (String) = Bibrik"), "{info}");
    assert!(info.contains("kode (String) = 35.19.09.2014"), "{info}");

    // Without gzip the same bytes come plain; with the ETag, 304.
    let plain = http.get(&url).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let again = http
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    // The example work's segments are a layer too, with their main funding source.
    let seg = http
        .get(format!(
            "{base}/tiles/segmen/{}/{}/{}.mvt",
            tile.z(),
            tile.x(),
            tile.y()
        ))
        .send()
        .await
        .unwrap();
    let info = ogrinfo_tile(&seg.bytes().await.unwrap(), tile);
    assert!(
        info.contains("sumber_utama (String) = apbd_kabupaten"),
        "{info}"
    );
    assert!(info.contains("status (String) = selesai"), "{info}");

    // Bibrik's label point (the one /api/places/labels gives) in the label layer.
    let labels = get_json(
        &http,
        format!("{base}/api/places/labels?level=desa&parent=35.19.09"),
    )
    .await;
    let point = labels["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["nama"] == "Bibrik")
        .unwrap()["geometry"]["coordinates"]
        .clone();
    let (lon, lat) = (point[0].as_f64().unwrap(), point[1].as_f64().unwrap());
    let at = TileId::covering_lonlat(lon, lat, 12).unwrap();
    let label = http
        .get(format!(
            "{base}/tiles/label/{}/{}/{}.mvt",
            at.z(),
            at.x(),
            at.y()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(label.status(), 200);
    let info = ogrinfo_tile(&label.bytes().await.unwrap(), at);
    assert!(info.contains("Layer name: label"), "{info}");
    assert!(info.contains("nama (String) = Bibrik"), "{info}");
    assert!(info.contains("level (String) = desa"), "{info}");
    assert!(info.contains("POINT ("), "{info}");

    // Far from any feature: 204, the one answer for an empty tile.
    let empty = http
        .get(format!("{base}/tiles/desa/14/0/0.mvt"))
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 204);
}

#[tokio::test]
async fn bad_tile_addresses_are_4xx_json() {
    let f = fixture().await;
    for (uri, status, needle) in [
        ("/tiles/desa/23/0/0", StatusCode::BAD_REQUEST, "z"),
        ("/tiles/desa/300/0/0", StatusCode::BAD_REQUEST, "z: 300"),
        ("/tiles/desa/2/4/0", StatusCode::BAD_REQUEST, "x"),
        ("/tiles/desa/2/0/9.mvt", StatusCode::BAD_REQUEST, "y"),
        ("/tiles/desa/a/0/0", StatusCode::BAD_REQUEST, "z: `a`"),
        ("/tiles/desa/1/-1/0", StatusCode::BAD_REQUEST, "x: `-1`"),
        ("/tiles/sungai/1/0/0", StatusCode::NOT_FOUND, "sungai"),
        ("/tiles/sungai", StatusCode::NOT_FOUND, "sungai"),
    ] {
        let (s, b) = f.get(uri).await;
        assert_eq!(s, status, "{uri}: {b}");
        assert!(
            b["message"].as_str().unwrap_or_default().contains(needle),
            "{uri}: {needle:?} not in {b}"
        );
    }
}

#[tokio::test]
async fn an_edit_drops_exactly_the_tiles_it_touched() {
    let f = fixture_with_bibrik_work().await;
    let token = f.token_for("ana", Role::Admin).await;
    let bibrik = TileId::covering_lonlat(111.4935, -7.5753, 14).unwrap();
    // A tile in Kecamatan Jiwan far from Bibrik (Bukur, in the south).
    let far = TileId::covering_lonlat(111.491857, -7.653604, 14).unwrap();
    let url = |t: TileId| format!("/tiles/desa/{}/{}/{}", t.z(), t.x(), t.y());
    let (s, _, _) = f.call_full(Method::GET, &url(far), None, &[], None).await;
    assert_eq!(s, StatusCode::OK);
    let (_, h, _) = f
        .call_full(Method::GET, &url(bibrik), None, &[], None)
        .await;
    let old_etag = h["etag"].to_str().unwrap().to_owned();
    assert_eq!(f.state.tiles.cache_stats().0, 2);

    // Bibrik gets a new, smaller boundary through the API.
    shrink_bibrik(&f, &token).await;
    assert_eq!(
        f.state.tiles.cache_stats().0,
        1,
        "only the Bibrik tile was dropped"
    );
    let (_, h, _) = f
        .call_full(Method::GET, &url(bibrik), None, &[], None)
        .await;
    assert_ne!(
        h["etag"].to_str().unwrap(),
        old_etag,
        "the edit shows at once"
    );

    // Its label point moved into the new boundary with it.
    let inside = TileId::covering_lonlat(111.4935, -7.576, 16).unwrap();
    let label = f.state.tiles.tile("label", inside).expect("a label tile");
    let info = ogrinfo_tile(&gunzip(&label.gzip), inside);
    assert!(info.contains("nama (String) = Bibrik"), "{info}");

    // A work's allocation changes the segment layer's tile at once.
    let seg = |t: TileId| format!("/tiles/segmen/{}/{}/{}", t.z(), t.x(), t.y());
    let (_, h, _) = f
        .call_full(Method::GET, &seg(bibrik), None, &[], None)
        .await;
    let before = h["etag"].to_str().unwrap().to_owned();
    let (s, b) = f
        .call(
            Method::POST,
            "/api/kegiatan/contoh-35.19.09.2014-2018-paving/segmen/S2/alokasi",
            Some(&token),
            Some(json!({"sumber": "csr", "jumlah": 900_000_000})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (_, h, _) = f
        .call_full(Method::GET, &seg(bibrik), None, &[], None)
        .await;
    assert_ne!(h["etag"].to_str().unwrap(), before);
}

/// Gives Bibrik a new, smaller boundary through the API.
async fn shrink_bibrik(f: &common::Fixture, token: &str) {
    let (s, b) = f
        .call(
            Method::PUT,
            "/api/places/35.19.09.2014",
            Some(token),
            Some(json!({"nama": "Bibrik", "geometry": {"type": "Polygon", "coordinates": [[
                [111.490, -7.580], [111.497, -7.580], [111.497, -7.572], [111.490, -7.572], [111.490, -7.580]
            ]]}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

/// Decodes a cached tile with GDAL.
fn decoded(f: &common::Fixture, layer: &str, tile: TileId) -> String {
    let t = f.state.tiles.tile(layer, tile).expect("a tile");
    ogrinfo_tile(&gunzip(&t.gzip), tile)
}

#[tokio::test]
async fn writes_from_other_processes_reach_the_tiles() {
    let f = fixture_with_bibrik_work().await;
    // Another process on the same file; on PostGIS the two-server test of the command
    // line (crates/cli/tests/postgis.rs) covers the same path.
    if f.gpkg.is_none() {
        return;
    }
    let bibrik = TileId::covering_lonlat(111.4935, -7.5753, 14).unwrap();
    let far = TileId::covering_lonlat(111.491857, -7.653604, 14).unwrap();
    assert_eq!(f.state.tiles.sync(f.store.as_ref()).await.unwrap(), 0);
    assert!(decoded(&f, "desa", bibrik).contains("nama (String) = Bibrik"));
    f.state.tiles.tile("desa", far).unwrap();
    assert_eq!(f.state.tiles.cache_stats().0, 2);

    // Another writer on the file (as the command line's `import` is) renames Bibrik.
    let path = f._dir.path().join("api.gpkg");
    let (other, _) = GpkgStore::open(&path, OpenMode::MustExist).await.unwrap();
    let mut bibrik_place = other
        .place(&Kode::parse("35.19.09.2014").unwrap())
        .await
        .unwrap()
        .unwrap();
    bibrik_place.nama = "Bibrik Lor".into();
    other.upsert_places(&[bibrik_place]).await.unwrap();
    assert_eq!(f.state.tiles.sync(f.store.as_ref()).await.unwrap(), 1);
    assert_eq!(
        f.state.tiles.cache_stats().0,
        1,
        "only the Bibrik tile was dropped"
    );
    assert!(decoded(&f, "desa", bibrik).contains("nama (String) = Bibrik Lor"));
    assert!(decoded(&f, "label", bibrik).contains("nama (String) = Bibrik Lor"));
    assert_eq!(f.state.tiles.sync(f.store.as_ref()).await.unwrap(), 0);

    // It renames the example work: its segments follow.
    let mut stored = other
        .kegiatan("contoh-35.19.09.2014-2018-paving")
        .await
        .unwrap()
        .unwrap();
    stored.kegiatan.nama = "Paving gang lele".into();
    other
        .save_kegiatan(&KegiatanWrite {
            kegiatan: &stored.kegiatan,
            versi: Some(stored.versi),
            audit: vec![],
            penilaian: vec![],
            kondisi_jaringan: vec![],
        })
        .await
        .unwrap();
    assert_eq!(f.state.tiles.sync(f.store.as_ref()).await.unwrap(), 1);
    assert!(decoded(&f, "segmen", bibrik).contains("kegiatan (String) = Paving gang lele"));

    // An API edit is applied at once; seen again in the feed, it drops nothing.
    let token = f.token_for("ana", Role::Admin).await;
    shrink_bibrik(&f, &token).await;
    assert!(decoded(&f, "desa", bibrik).contains("nama (String) = Bibrik\n"));
    let cached = f.state.tiles.cache_stats().0;
    assert!(f.state.tiles.sync(f.store.as_ref()).await.unwrap() >= 1);
    assert_eq!(
        f.state.tiles.cache_stats().0,
        cached,
        "the API's own change dropped a tile"
    );
}

#[tokio::test]
async fn a_large_import_by_another_process_reloads_the_tiles() {
    let f = fixture().await;
    if f.gpkg.is_none() {
        return;
    }
    let bibrik = TileId::covering_lonlat(111.4935, -7.5753, 14).unwrap();
    assert!(decoded(&f, "desa", bibrik).contains("nama (String) = Bibrik"));
    // `kumuh import` of 2,500 desa in another process: Bibrik renamed, and desa of a
    // made-up kecamatan on a grid further east. The feed holds one whole-layer entry
    // for it.
    let path = f._dir.path().join("api.gpkg");
    let (other, _) = GpkgStore::open(&path, OpenMode::MustExist).await.unwrap();
    let mut renamed = other
        .place(&Kode::parse("35.19.09.2014").unwrap())
        .await
        .unwrap()
        .unwrap();
    renamed.nama = "Bibrik Kidul".into();
    use geo_types::polygon;
    let grid = (0..2_499).map(|i| {
        let (lon, lat) = (112.0 + f64::from(i % 50) * 0.01, -7.5 + f64::from(i / 50) * 0.01);
        kumuh_domain::Place {
            kode: Kode::parse(&format!("35.19.19.{}", 2001 + i)).unwrap(),
            kode_bps: None,
            nama: format!("Grid {i}"),
            nama_alt: vec![],
            geometry: Some(geo_types::MultiPolygon(vec![polygon![
                (x: lon, y: lat), (x: lon + 0.005, y: lat), (x: lon + 0.005, y: lat + 0.005), (x: lon, y: lat + 0.005)
            ]])),
            attributes: Default::default(),
        }
    });
    let places: Vec<_> = std::iter::once(renamed).chain(grid).collect();
    other
        .import_audited(kumuh_store::ImportWrite::Places(&places), &[])
        .await
        .unwrap();
    assert_eq!(f.state.tiles.sync(f.store.as_ref()).await.unwrap(), 1);
    assert!(decoded(&f, "desa", bibrik).contains("nama (String) = Bibrik Kidul"));
    let first = TileId::covering_lonlat(112.0025, -7.4975, 14).unwrap();
    assert!(decoded(&f, "desa", first).contains("nama (String) = Grid 0"));
    assert_eq!(f.state.tiles.sync(f.store.as_ref()).await.unwrap(), 0);
}

#[tokio::test]
async fn an_offline_package_downloads_for_a_place() {
    use kumuh_tiles::pmtiles::PmTilesReader;
    let f = fixture_with_bibrik_work().await;
    let base = f.serve().await;
    let http = client();
    let res = http
        .get(format!("{base}/api/peta-luring?wilayah=35.19.09"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/vnd.pmtiles");
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"kumuh-35.19.09.pmtiles\""
    );
    let bytes = res.bytes().await.unwrap();
    let archive = PmTilesReader::new(&bytes).unwrap();
    let metadata = archive.metadata().unwrap();
    for layer in ["\"desa\"", "\"segmen\"", "\"label\""] {
        assert!(metadata.contains(layer), "{layer} missing from {metadata}");
    }
    let tile = TileId::covering_lonlat(111.4935, -7.5753, 14).unwrap();
    let gz = archive.tile(tile).unwrap().expect("Bibrik's z14 tile");
    let info = ogrinfo_tile(&gunzip(gz), tile);
    assert!(info.contains("nama (String) = Bibrik"), "{info}");

    // Bad requests name their parameter; a place not in the store is 404; East Java at
    // z16 is too much for one download.
    let jatim = kumuh_domain::Place {
        kode: Kode::parse("35").unwrap(),
        kode_bps: None,
        nama: "Jawa Timur".into(),
        nama_alt: vec![],
        geometry: Some(geo_types::MultiPolygon(vec![geo_types::Polygon::new(
            geo_types::LineString::from(vec![
                (111.0, -8.8),
                (114.6, -8.8),
                (114.6, -6.8),
                (111.0, -6.8),
            ]),
            vec![],
        )])),
        attributes: Default::default(),
    };
    f.store.upsert_places(&[jatim]).await.unwrap();
    for (query, status, names) in [
        ("wilayah=35.19.09&lapisan=desa,sungai", 400, "lapisan"),
        ("wilayah=35.19.09&maxzoom=20", 400, "maxzoom"),
        ("wilayah=35.19.99", 404, "35.19.99"),
        ("wilayah=35&maxzoom=16", 400, "tiles"),
    ] {
        let res = http
            .get(format!("{base}/api/peta-luring?{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{query}");
        let body: Value = res.json().await.unwrap();
        assert!(
            body["message"].as_str().unwrap().contains(names),
            "{query}: {body}"
        );
    }
}
