//! Basemaps over HTTP: a kept basemap (a raster PMTiles) listed with its tile template
//! and its tiles served to anyone with their type; a remote one listed with its own
//! template; and what a bad source, a bad tile address or a caller without the right
//! gets.

use axum::http::{Method, StatusCode, header};
use kumuh_app::peta_dasar::{Sumber, Tambah};
use kumuh_domain::{Role, User};
use kumuh_io::foto::contoh::{jpeg, png};
use kumuh_tiles::TileId;
use kumuh_tiles::pmtiles::{PmTilesOptions, PmTilesReader, PmTilesWriter, TileType};

use crate::common;
use common::fixture;

fn admin() -> User {
    User::new("ana", Role::Admin)
}

fn tambah(nama: &str) -> Tambah {
    Tambah {
        nama: nama.into(),
        judul: Some("Foto udara Bibrik".into()),
        atribusi: None,
        zoom: None,
        batas: None,
    }
}

/// A raster PMTiles of two 256-pixel tiles over Bibrik at zoom 16, as a drone
/// processing suite would cut an orthophoto; `tile` makes each tile's bytes.
fn pmtiles(path: &std::path::Path, tile_type: TileType, tile: fn() -> Vec<u8>) -> [TileId; 2] {
    let a = TileId::covering_lonlat(111.6217, -7.6319, 16).unwrap();
    let b = TileId::new(16, a.x() + 1, a.y()).unwrap();
    let mut options = PmTilesOptions {
        tile_type,
        ..Default::default()
    };
    options
        .metadata
        .insert("attribution".into(), "Drone LKM Bibrik 2024".into());
    let mut w = PmTilesWriter::new(options);
    w.add_tile(a, tile()).unwrap();
    w.add_tile(b, tile()).unwrap();
    let mut out = std::fs::File::create(path).unwrap();
    w.finish(&mut out).unwrap();
    [a, b]
}

fn tile_png() -> Vec<u8> {
    png(256, 256)
}

fn tile_jpeg() -> Vec<u8> {
    jpeg(256, 256, None)
}

#[tokio::test]
async fn a_kept_basemap_is_listed_and_its_tiles_served_to_anyone() {
    let f = fixture().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("drone.pmtiles");
    let [a, b] = pmtiles(&file, TileType::Png, tile_png);
    let added = kumuh_app::peta_dasar::tambah(
        &f.state.atlas(),
        Some(&admin()),
        &Sumber::Berkas(file.clone()),
        &tambah("drone-bibrik"),
    )
    .await
    .unwrap();
    assert_eq!(
        (added.jumlah_ubin, added.minzoom, added.maxzoom),
        (2, 16, 16)
    );
    assert_eq!(added.atribusi, "Drone LKM Bibrik 2024");

    let (status, list) = f.get("/api/peta-dasar").await;
    assert_eq!(status, StatusCode::OK);
    let p = &list[0];
    assert_eq!(p["nama"], "drone-bibrik");
    assert_eq!(p["jenis"], "berkas");
    assert_eq!(p["ubin"], "/api/peta-dasar/drone-bibrik/{z}/{x}/{y}");
    assert_eq!(p["format"], "png");
    let batas: Vec<f64> = serde_json::from_value(p["batas"].clone()).unwrap();
    assert!(batas[0] <= 111.6217 && batas[2] >= 111.6217, "{batas:?}");

    for t in [a, b] {
        let uri = format!("/api/peta-dasar/drone-bibrik/{}/{}/{}", t.z(), t.x(), t.y());
        let (status, headers, body) = f.call_bytes(Method::GET, &uri, None, &[], None).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(headers[header::CONTENT_TYPE], "image/png");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(body, tile_png());
    }
    // The row below has no tile; an address off the grid is a bad request.
    let (status, e) = f
        .get(&format!(
            "/api/peta-dasar/drone-bibrik/16/{}/{}",
            a.x(),
            a.y() + 1
        ))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(e["message"].as_str().unwrap().contains("no tile"), "{e}");
    let (status, e) = f.get("/api/peta-dasar/drone-bibrik/2/4/0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().contains("2/4/0"), "{e}");
    let (status, _) = f.get("/api/peta-dasar/drone-bibrik/99/0/0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, e) = f.get("/api/peta-dasar/lain/16/0/0").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        e["message"].as_str().unwrap().contains("basemap lain"),
        "{e}"
    );
}

async fn refused(f: &common::Fixture, user: Option<&User>, sumber: Sumber, nama: &str) -> String {
    kumuh_app::peta_dasar::tambah(&f.state.atlas(), user, &sumber, &tambah(nama))
        .await
        .unwrap_err()
        .to_string()
}

#[tokio::test]
async fn a_remote_basemap_is_listed_with_its_template_and_bad_sources_are_named() {
    let f = fixture().await;
    let url = "https://tile.example.org/{z}/{x}/{y}.jpg";
    kumuh_app::peta_dasar::tambah(
        &f.state.atlas(),
        Some(&User::new("budi", Role::Kabupaten)),
        &Sumber::parse(url),
        &Tambah {
            atribusi: Some("© Contoh".into()),
            zoom: Some((5, 18)),
            ..tambah("citra")
        },
    )
    .await
    .unwrap();
    let (_, list) = f.get("/api/peta-dasar").await;
    let p = &list.as_array().unwrap()[0];
    assert_eq!(
        (p["jenis"].as_str(), p["ubin"].as_str()),
        (Some("xyz"), Some(url))
    );
    assert_eq!(
        (p["minzoom"].as_u64(), p["maxzoom"].as_u64()),
        (Some(5), Some(18))
    );
    assert_eq!(
        (p["format"].as_str(), p["atribusi"].as_str()),
        (Some("jpg"), Some("© Contoh"))
    );

    let dir = tempfile::tempdir().unwrap();
    let e = refused(
        &f,
        Some(&admin()),
        Sumber::parse("https://x.example.org/tiles.png"),
        "x",
    )
    .await;
    assert!(e.contains("url") && e.contains("{z}"), "{e}");
    let e = refused(
        &f,
        Some(&admin()),
        Sumber::parse("https://x.example.org/{z}/{x}/{y}"),
        "Bad Name",
    )
    .await;
    assert!(e.contains("nama"), "{e}");
    let e = refused(
        &f,
        Some(&User::new("v", Role::Viewer)),
        Sumber::parse(url),
        "x",
    )
    .await;
    assert!(e.to_lowercase().contains("import gis files"), "{e}");
    let e = refused(&f, None, Sumber::parse(url), "x").await;
    assert!(!e.is_empty());

    // A GeoTIFF is named with the way to cut it; a vector archive is refused.
    let tif = dir.path().join("ortho.tif");
    std::fs::write(&tif, b"II*\0").unwrap();
    let e = refused(&f, Some(&admin()), Sumber::Berkas(tif), "x").await;
    assert!(
        e.contains("ortho.tif") && e.contains("gdal_translate"),
        "{e}"
    );
    let vector = dir.path().join("vektor.pmtiles");
    pmtiles(&vector, TileType::Mvt, tile_png);
    let e = refused(&f, Some(&admin()), Sumber::Berkas(vector), "x").await;
    assert!(
        e.contains("vektor.pmtiles") && e.contains("vector tiles"),
        "{e}"
    );
    // Tiles that are not what the header says: named by tile, and nothing registered.
    let lying = dir.path().join("bohong.pmtiles");
    let [a, _] = pmtiles(&lying, TileType::Png, tile_jpeg);
    let e = refused(&f, Some(&admin()), Sumber::Berkas(lying), "bohong").await;
    assert!(
        e.contains("bohong.pmtiles")
            && e.contains(&format!("tile 16/{}/{}", a.x(), a.y()))
            && e.contains("png"),
        "{e}"
    );
    let damaged = dir.path().join("rusak.pmtiles");
    std::fs::write(&damaged, b"PMTiles\x03 not really").unwrap();
    let e = refused(&f, Some(&admin()), Sumber::Berkas(damaged), "x").await;
    assert!(e.contains("rusak.pmtiles"), "{e}");
    let missing = dir.path().join("tidak-ada.mbtiles");
    let e = refused(&f, Some(&admin()), Sumber::Berkas(missing), "x").await;
    assert!(
        e.contains("tidak-ada.mbtiles") && e.contains("no such file"),
        "{e}"
    );

    let (_, list) = f.get("/api/peta-dasar").await;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["nama"].as_str())
        .collect();
    assert_eq!(names, ["citra"]);
}

#[tokio::test]
async fn a_kept_basemap_packs_for_offline_use_over_a_place() {
    let f = fixture().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("drone.pmtiles");
    let [a, b] = pmtiles(&file, TileType::Png, tile_png);
    kumuh_app::peta_dasar::tambah(
        &f.state.atlas(),
        Some(&admin()),
        &Sumber::Berkas(file),
        &tambah("drone"),
    )
    .await
    .unwrap();
    kumuh_app::peta_dasar::tambah(
        &f.state.atlas(),
        Some(&admin()),
        &Sumber::parse("https://tile.example.org/{z}/{x}/{y}.png"),
        &tambah("citra"),
    )
    .await
    .unwrap();

    // Without a place: the basemap's whole extent, both tiles, as a raster PMTiles.
    let (status, headers, body) = f
        .call_bytes(Method::GET, "/api/peta-dasar/drone/luring", None, &[], None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/vnd.pmtiles");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("kumuh-peta-dasar-drone.pmtiles")
    );
    let r = PmTilesReader::new(&body).unwrap();
    assert_eq!(r.header().tile_type, TileType::Png as u8);
    assert_eq!(r.tile(a).unwrap(), Some(&tile_png()[..]));
    assert_eq!(r.tile(b).unwrap(), Some(&tile_png()[..]));
    assert!(r.metadata().unwrap().contains("Drone LKM Bibrik 2024"));

    // A place whose box misses the imagery, one that does not exist, a bad code, and a
    // remote basemap: each named.
    let (status, e) = f
        .get("/api/peta-dasar/drone/luring?wilayah=35.19.09.2001")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["message"].as_str().unwrap().contains("wilayah"), "{e}");
    let (status, _) = f
        .get("/api/peta-dasar/drone/luring?wilayah=35.19.09.9999")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, e) = f.get("/api/peta-dasar/drone/luring?wilayah=jiwan").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    let (status, e) = f.get("/api/peta-dasar/citra/luring").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["message"].as_str().unwrap().contains("remote"), "{e}");
    let (status, _) = f.get("/api/peta-dasar/lain/luring").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_offline_package_carries_a_kept_basemap_in_one_zip() {
    use std::io::Read;
    let f = fixture().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("drone.pmtiles");
    // One JPEG tile over Bibrik at zoom 16.
    let a = TileId::covering_lonlat(111.4935, -7.5753, 16).unwrap();
    let mut w = PmTilesWriter::new(PmTilesOptions {
        tile_type: TileType::Jpeg,
        ..Default::default()
    });
    w.add_tile(a, tile_jpeg()).unwrap();
    w.finish(&mut std::fs::File::create(&file).unwrap())
        .unwrap();
    for (nama, sumber) in [
        ("drone", Sumber::Berkas(file)),
        (
            "citra",
            Sumber::parse("https://tile.example.org/{z}/{x}/{y}.png"),
        ),
    ] {
        kumuh_app::peta_dasar::tambah(&f.state.atlas(), Some(&admin()), &sumber, &tambah(nama))
            .await
            .unwrap();
    }

    // Jiwan's tiles and the drone's over Jiwan, one ZIP of two stored PMTiles archives.
    let (status, headers, body) = f
        .call_bytes(
            Method::GET,
            "/api/peta-luring?wilayah=35.19.09&peta_dasar=drone",
            None,
            &[],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/zip");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"kumuh-35.19.09.zip\""
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&body)).unwrap();
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        assert_eq!(entry.compression(), zip::CompressionMethod::Stored);
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        entries.push((name, bytes));
    }
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "kumuh-35.19.09.pmtiles",
            "kumuh-peta-dasar-drone-35.19.09.pmtiles"
        ]
    );
    let atlas = PmTilesReader::new(&entries[0].1).unwrap();
    assert_eq!(atlas.header().tile_type, TileType::Mvt as u8);
    let bibrik = TileId::covering_lonlat(111.4935, -7.5753, 14).unwrap();
    assert!(atlas.tile(bibrik).unwrap().is_some(), "Bibrik's z14 tile");
    let basemap = PmTilesReader::new(&entries[1].1).unwrap();
    assert_eq!(basemap.header().tile_type, TileType::Jpeg as u8);
    assert_eq!(basemap.tile(a).unwrap(), Some(&tile_jpeg()[..]));

    // Without the parameter the answer stays one PMTiles archive.
    let (status, headers, _) = f
        .call_bytes(
            Method::GET,
            "/api/peta-luring?wilayah=35.19.09",
            None,
            &[],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/vnd.pmtiles");

    // A basemap that does not exist, a remote one, and one with no imagery over the
    // place are named; nothing is packed for them.
    for (query, want, says) in [
        (
            "wilayah=35.19.09&peta_dasar=lain",
            StatusCode::NOT_FOUND,
            "lain",
        ),
        (
            "wilayah=35.19.09&peta_dasar=citra",
            StatusCode::UNPROCESSABLE_ENTITY,
            "remote",
        ),
        (
            "wilayah=35.19.09.2001&peta_dasar=drone",
            StatusCode::BAD_REQUEST,
            "wilayah",
        ),
    ] {
        let (status, e) = f.get(&format!("/api/peta-luring?{query}")).await;
        assert_eq!(status, want, "{query}: {e}");
        assert!(
            e["message"].as_str().unwrap().contains(says),
            "{query}: {e}"
        );
    }
}
