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
    assert_eq!(info.schema_version, 10);
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
                known: 10,
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

/// An import of thousands of desa rebuilds the spatial index in one pass (its triggers
/// suspended meanwhile): the index must come out whole and valid, agree with the rows
/// (a moved desa where it now lies), give the layer's extent, and keep following single
/// edits through its triggers afterwards.
#[tokio::test]
async fn a_large_import_rebuilds_the_index_whole_and_keeps_its_triggers() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path()).await;
    let triggers = || {
        sqlite3(
            &dir.path().join("t.gpkg"),
            "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'desa' ORDER BY name)",
        )
    };
    let before = triggers();
    // The six of the R-tree and the change feed's three.
    assert_eq!(before.split(' ').count(), 9, "{before}");
    store
        .upsert_places(&[
            desa("35.19.09.2001", "Bukur", 111.40, -7.60),
            desa("35.19.10.2001", "Lain", 111.70, -7.70),
        ])
        .await
        .unwrap();
    // 3,000 desa on a grid of 0.02°, Bukur among them and moved to the grid's corner.
    let places: Vec<Place> = (0..3_000)
        .map(|i| {
            let (col, row) = (f64::from(i % 60), f64::from(i / 60));
            desa(
                &format!("35.19.09.{}", 2001 + i),
                &format!("Desa {i}"),
                110.0 + col * 0.02,
                -8.0 + row * 0.02,
            )
        })
        .collect();
    let feed_before = store.changes_since(0, 0).await.unwrap().latest;
    let report = store
        .import_audited(kumuh_store::ImportWrite::Places(&places), &[])
        .await
        .unwrap();
    assert_eq!((report.inserted, report.updated), (2_999, 1));
    // The change feed holds one whole-layer entry for the import, not 3,000.
    let feed = store.changes_since(feed_before, 5_000).await.unwrap();
    let feed: Vec<(&str, &str)> = feed
        .changes
        .iter()
        .map(|c| (c.lapisan.as_str(), c.kunci.as_str()))
        .collect();
    assert_eq!(feed, [("desa", kumuh_store::WHOLE_LAYER)]);
    let file = dir.path().join("t.gpkg");
    assert_eq!(sqlite3(&file, "SELECT rtreecheck('rtree_desa_geom')"), "ok");
    assert_eq!(
        sqlite3(&file, "SELECT count(*) FROM rtree_desa_geom"),
        "3001"
    );
    assert_eq!(triggers(), before, "the triggers are back as they were");
    // Bukur moved from 111.40 to the corner; the untouched desa of another kecamatan stays.
    assert!(
        store
            .rtree_codes(Level::Desa, [111.39, -7.61, 111.42, -7.58])
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .rtree_codes(Level::Desa, [109.999, -8.0, 110.005, -7.995])
            .await
            .unwrap(),
        ["35.19.09.2001"]
    );
    assert_eq!(
        store
            .rtree_codes(Level::Desa, [111.69, -7.71, 111.72, -7.68])
            .await
            .unwrap(),
        ["35.19.10.2001"]
    );
    // A box over the grid's middle: exactly the desa whose squares it touches.
    let hits = store
        .rtree_codes(Level::Desa, [110.405, -7.595, 110.425, -7.575])
        .await
        .unwrap();
    assert_eq!(hits.len(), 4, "{hits:?}");
    let extent = sqlite3(
        &file,
        "SELECT round(min_x, 3), round(min_y, 3), round(max_x, 3), round(max_y, 3) FROM gpkg_contents WHERE table_name = 'desa'",
    );
    assert_eq!(extent, "110.0|-8.0|111.71|-7.01");
    // A second large import keeps the first one's entries, read from the packed tree's
    // leaves, beside its own.
    let more: Vec<Place> = (0..2_500)
        .map(|i| {
            desa(
                &format!("35.19.11.{}", 2001 + i),
                &format!("Desa lain {i}"),
                112.0 + f64::from(i % 50) * 0.02,
                -8.0 + f64::from(i / 50) * 0.02,
            )
        })
        .collect();
    store
        .import_audited(kumuh_store::ImportWrite::Places(&more), &[])
        .await
        .unwrap();
    assert_eq!(sqlite3(&file, "SELECT rtreecheck('rtree_desa_geom')"), "ok");
    assert_eq!(
        sqlite3(&file, "SELECT count(*) FROM rtree_desa_geom"),
        "5501"
    );
    assert_eq!(
        store
            .rtree_codes(Level::Desa, [110.405, -7.595, 110.425, -7.575])
            .await
            .unwrap(),
        hits
    );
    assert_eq!(
        store
            .rtree_codes(Level::Desa, [111.999, -8.0, 112.005, -7.995])
            .await
            .unwrap(),
        ["35.19.11.2001"]
    );
    // Afterwards a single edit goes through the triggers again, the feed's among them.
    let feed_before = store.changes_since(0, 0).await.unwrap().latest;
    store
        .upsert_places(&[desa("35.19.09.2001", "Bukur", 111.40, -7.60)])
        .await
        .unwrap();
    let feed = store.changes_since(feed_before, 10).await.unwrap();
    assert_eq!(feed.changes.len(), 1);
    assert_eq!(feed.changes[0].kunci, "35.19.09.2001");
    assert_eq!(
        store
            .rtree_codes(Level::Desa, [111.39, -7.61, 111.42, -7.58])
            .await
            .unwrap(),
        ["35.19.09.2001"]
    );
    assert_eq!(sqlite3(&file, "SELECT rtreecheck('rtree_desa_geom')"), "ok");
}

/// The same for slum locations, whose boxes the rebuild reads from the table itself.
#[tokio::test]
async fn a_large_location_import_rebuilds_its_index_from_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path()).await;
    store
        .upsert_places(&[desa("35.19.09.2014", "Bibrik", 111.49, -7.58)])
        .await
        .unwrap();
    let lokasi: Vec<kumuh_domain::LokasiKumuh> = (0..2_500)
        .map(|i| kumuh_domain::LokasiKumuh {
            kode: format!("L-{i:04}"),
            nama: format!("Lokasi {i}"),
            kode_desa: Kode::parse("35.19.09.2014").unwrap(),
            kawasan: None,
            rt: vec![],
            sk: None,
            geometry: square(
                110.0 + f64::from(i % 50) * 0.01,
                -8.0 + f64::from(i / 50) * 0.01,
                0.005,
            ),
            attributes: Default::default(),
        })
        .collect();
    store
        .import_audited(kumuh_store::ImportWrite::Lokasi(&lokasi), &[])
        .await
        .unwrap();
    let file = dir.path().join("t.gpkg");
    assert_eq!(
        sqlite3(&file, "SELECT rtreecheck('rtree_lokasi_kumuh_geom')"),
        "ok"
    );
    assert_eq!(
        sqlite3(
            &file,
            "SELECT count(*) FROM rtree_lokasi_kumuh_geom WHERE minx < 110.0051 AND maxx > 110.0049 AND miny < -7.9949 AND maxy > -7.9951"
        ),
        "1"
    );
    assert_eq!(
        sqlite3(&file, "SELECT count(*) FROM rtree_lokasi_kumuh_geom"),
        "2500"
    );
    assert_eq!(
        sqlite3(
            &file,
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_lokasi_kumuh_geom_%'"
        ),
        "6"
    );
}

#[tokio::test]
async fn a_whole_level_read_straight_from_sqlite_matches_the_pool_and_names_a_bad_cell() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path()).await;
    let mut named = desa("35.19.10.2001", "Sukorejo", 111.60, -7.60);
    named.kode_bps = Some("3519102001".into());
    named.nama_alt = vec!["Sukoredjo".into()];
    named
        .attributes
        .insert("luas_sawah".into(), serde_json::json!(12.5));
    let mut bare = desa("35.19.10.2002", "Kaibon", 111.62, -7.60);
    bare.geometry = None;
    store
        .upsert_places(&[bare.clone(), named.clone()])
        .await
        .unwrap();
    store
        .upsert_places(&[desa("35.19.09.2014", "Bibrik", 111.5, -7.6)])
        .await
        .unwrap();

    // A whole level is read straight from SQLite; with a box that covers the world (or
    // a parent), through the pool. Both give the same places (the pool's R-tree holds no
    // place without a geometry, so that one is left out there).
    let whole = store.places(&PlaceQuery::level(Level::Desa)).await.unwrap();
    let mut boxed = PlaceQuery::level(Level::Desa);
    boxed.bbox = Some([-180.0, -90.0, 180.0, 90.0]);
    let through_pool = store.places(&boxed).await.unwrap();
    let with_geometry: Vec<&Place> = whole.iter().filter(|p| p.geometry.is_some()).collect();
    assert_eq!(with_geometry, through_pool.iter().collect::<Vec<_>>());

    let mut children = PlaceQuery::level(Level::Desa);
    children.parent = Some(Kode::parse("35.19.10").unwrap());
    let kecamatan = store.places(&children).await.unwrap();
    assert_eq!(kecamatan, [named, bare]);
    assert_eq!(whole.len(), 3);
    assert!(whole.windows(2).all(|w| w[0].kode < w[1].kode));

    // A cell another tool broke is named, not panicked on. (The sqlite3 shell has no
    // ST_IsEmpty for the R-tree triggers, so they go first.)
    let path = dir.path().join("t.gpkg");
    store.close().await;
    sqlite3(
        &path,
        "DROP TRIGGER rtree_desa_geom_update1; DROP TRIGGER rtree_desa_geom_update2;
         DROP TRIGGER rtree_desa_geom_update3; DROP TRIGGER rtree_desa_geom_update4;
         UPDATE desa SET nama_alt = 'not json' WHERE kode = '35.19.10.2001';",
    );
    let (store, _) = GpkgStore::open(&path, OpenMode::MustExist).await.unwrap();
    match store.places(&PlaceQuery::level(Level::Desa)).await {
        Err(StoreError::Corrupt { table, field, .. }) => {
            assert_eq!((table.as_str(), field), ("desa", "nama_alt"));
        }
        other => panic!("expected a corrupt cell, got {other:?}"),
    }
    sqlite3(
        &path,
        "UPDATE desa SET nama_alt = '[]', geom = X'00ff' WHERE kode = '35.19.10.2001';",
    );
    for query in [PlaceQuery::level(Level::Desa), children] {
        match store.places(&query).await {
            Err(StoreError::Corrupt { table, field, .. }) => {
                assert_eq!((table.as_str(), field), ("desa", "geom"));
            }
            other => panic!("expected a corrupt geometry, got {other:?}"),
        }
    }
}
