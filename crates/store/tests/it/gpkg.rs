//! The GeoPackage store against real SQLite files in a temporary directory.

use std::path::Path;

use geo_types::{MultiPolygon, polygon};
use kumuh_domain::{Kode, Level, Place};
use kumuh_store::{GpkgStore, OpenMode, PlaceQuery, Store, StoreError, remove_store_file};

use crate::common;
use common::sqlite3;

fn square(lon: f64, lat: f64, size: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![polygon![
        (x: lon, y: lat), (x: lon + size, y: lat), (x: lon + size, y: lat + size), (x: lon, y: lat + size)
    ]])
}

fn desa(kode: &str, nama: &str, lon: f64, lat: f64) -> Place {
    Place {
        kode: Kode::parse(kode).unwrap(),
        kode_bps: None,
        nama: nama.to_owned(),
        nama_alt: vec![],
        geometry: Some(square(lon, lat, 0.01)),
        attributes: Default::default(),
    }
}

async fn new_store(dir: &Path) -> GpkgStore {
    let (store, created) = GpkgStore::open(&dir.join("t.gpkg"), OpenMode::CreateIfMissing)
        .await
        .unwrap();
    assert!(created);
    store
}

#[tokio::test]
async fn new_store_is_a_geopackage_with_registered_layers() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path()).await;
    let info = store.info().await.unwrap();
    assert_eq!(info.backend, "geopackage");
    assert_eq!(info.schema_version, 9);
    store.close().await;

    let bytes = std::fs::read(dir.path().join("t.gpkg")).unwrap();
    assert_eq!(&bytes[68..72], b"GPKG", "application_id");
    assert_eq!(
        i32::from_be_bytes([bytes[60], bytes[61], bytes[62], bytes[63]]),
        10300
    );

    // Reopening finds it as a Kumuh store and does not create it again.
    let (store, created) = GpkgStore::open(&dir.path().join("t.gpkg"), OpenMode::MustExist)
        .await
        .unwrap();
    assert!(!created);
    assert!(
        store
            .list_places(&PlaceQuery::level(Level::Desa))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn rtree_follows_insert_update_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path()).await;
    let r = store
        .upsert_places(&[
            desa("35.19.09.2001", "Bukur", 111.40, -7.60),
            desa("35.19.09.2002", "Sambirejo", 111.50, -7.60),
        ])
        .await
        .unwrap();
    assert_eq!((r.inserted, r.updated), (2, 0));
    let west = [111.39, -7.61, 111.45, -7.55];
    let east = [111.49, -7.61, 111.55, -7.55];
    assert_eq!(
        store.rtree_codes(Level::Desa, west).await.unwrap(),
        ["35.19.09.2001"]
    );
    assert_eq!(
        store.rtree_codes(Level::Desa, east).await.unwrap(),
        ["35.19.09.2002"]
    );

    // Move Bukur east: the index must follow the update.
    let r = store
        .upsert_places(&[desa("35.19.09.2001", "Bukur", 111.52, -7.60)])
        .await
        .unwrap();
    assert_eq!((r.inserted, r.updated), (0, 1));
    assert!(
        store
            .rtree_codes(Level::Desa, west)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.rtree_codes(Level::Desa, east).await.unwrap(),
        ["35.19.09.2001", "35.19.09.2002"]
    );

    // A bbox query through the trait agrees with the raw index.
    let q = PlaceQuery {
        level: Level::Desa,
        parent: None,
        bbox: Some([111.515, -7.61, 111.6, -7.55]),
    };
    let hits: Vec<String> = store
        .list_places(&q)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.kode.to_string())
        .collect();
    assert_eq!(hits, ["35.19.09.2001"]);

    // Removing the geometry drops the entry; deleting the row too.
    let mut no_geom = desa("35.19.09.2002", "Sambirejo", 0.0, 0.0);
    no_geom.geometry = None;
    store.upsert_places(&[no_geom]).await.unwrap();
    assert_eq!(
        store.rtree_codes(Level::Desa, east).await.unwrap(),
        ["35.19.09.2001"]
    );
    assert!(
        store
            .delete_place(&Kode::parse("35.19.09.2001").unwrap())
            .await
            .unwrap()
    );
    assert!(
        store
            .rtree_codes(Level::Desa, east)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !store
            .delete_place(&Kode::parse("35.19.09.2001").unwrap())
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn foreign_files_are_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();

    let text = dir.path().join("notes.gpkg");
    std::fs::write(&text, "not a database").unwrap();
    let e = GpkgStore::open(&text, OpenMode::CreateIfMissing)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::NotAGeoPackage { .. }), "{e}");
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "not a database");
    assert!(remove_store_file(&text).await.is_err());
    assert!(text.exists());

    // A plain SQLite database (no GPKG application_id).
    let plain = dir.path().join("plain.sqlite");
    {
        let store = new_store(dir.path()).await;
        store.close().await;
    }
    let mut bytes = std::fs::read(dir.path().join("t.gpkg")).unwrap();
    bytes[68..72].copy_from_slice(&[0, 0, 0, 0]);
    std::fs::write(&plain, &bytes).unwrap();
    let e = GpkgStore::open(&plain, OpenMode::CreateIfMissing)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("not 'GPKG'"), "{e}");
    assert_eq!(std::fs::read(&plain).unwrap(), bytes);

    let missing = dir.path().join("missing.gpkg");
    let e = GpkgStore::open(&missing, OpenMode::MustExist)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Missing { .. }), "{e}");
    assert!(!missing.exists());
}

#[tokio::test]
async fn a_geopackage_from_another_tool_is_not_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.gpkg");
    {
        let store = new_store(dir.path()).await;
        store.close().await;
        std::fs::rename(dir.path().join("t.gpkg"), &path).unwrap();
    }
    // Strip Kumuh's own table the way another tool's GeoPackage would lack it.
    let status = std::process::Command::new("sqlite3")
        .arg(&path)
        .arg("DROP TABLE kumuh_migrations; PRAGMA journal_mode=DELETE;")
        .output();
    if let Ok(out) = status {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let before = std::fs::read(&path).unwrap();
        let e = GpkgStore::open(&path, OpenMode::CreateIfMissing)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::NotAKumuhStore { .. }), "{e}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "file was modified");
        assert!(remove_store_file(&path).await.is_err());
    } else {
        panic!("the sqlite3 command is needed for this test (Debian package sqlite3)");
    }
}

#[tokio::test]
async fn a_store_from_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.gpkg");
    {
        let store = new_store(dir.path()).await;
        store.close().await;
    }
    sqlite3(
        &path,
        "INSERT INTO kumuh_migrations (version, name) VALUES (999, 'future');",
    );
    let e = GpkgStore::open(&path, OpenMode::CreateIfMissing)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            StoreError::NewerSchema {
                found: 999,
                known: 9,
                ..
            }
        ),
        "{e}"
    );
}

#[tokio::test]
async fn export_copy_writes_a_standalone_geopackage() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path()).await;
    store
        .upsert_places(&[desa("35.19.09.2001", "Bukur", 111.4, -7.6)])
        .await
        .unwrap();
    let copy = dir.path().join("copy.gpkg");
    store.export_copy(&copy).await.unwrap();
    assert!(
        store.export_copy(&copy).await.is_err(),
        "must not overwrite"
    );
    let (c, created) = GpkgStore::open(&copy, OpenMode::MustExist).await.unwrap();
    assert!(!created);
    assert_eq!(
        c.list_places(&PlaceQuery::level(Level::Desa))
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_second_opener_recognises_a_store_still_open_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.gpkg");
    let first = new_store(dir.path()).await;
    first
        .upsert_places(&[desa("35.19.09.2001", "Bukur", 111.4, -7.6)])
        .await
        .unwrap();
    // `first` stays open: its WAL is not checkpointed into the main file yet.
    let (second, created) = GpkgStore::open(&path, OpenMode::MustExist).await.unwrap();
    assert!(!created);
    assert_eq!(
        second
            .list_places(&PlaceQuery::level(Level::Desa))
            .await
            .unwrap()
            .len(),
        1
    );
    drop(first);
}
