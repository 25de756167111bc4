//! The GeoPackage store against real SQLite files in a temporary directory.

use std::path::Path;

use geo_types::{MultiPolygon, polygon};
use kumuh_domain::{Kode, Level, Place, Role, User};
use kumuh_store::{GpkgStore, OpenMode, PlaceQuery, Store, StoreError, remove_store_file};

mod common;
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
    assert_eq!(info.schema_version, 7);
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
async fn places_round_trip_and_list_by_parent() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path()).await;
    let mut klagen = desa("35.19.09.2010", "Klagenserut", 111.46, -7.62);
    klagen.nama_alt = vec!["Klagen Serut".into()];
    klagen.kode_bps = Some("3519150010".into());
    klagen.attributes.insert("sumber".into(), "uji".into());
    let other = desa("35.20.04.2001", "Lain", 111.3, -7.6);
    store.upsert_places(&[klagen.clone(), other]).await.unwrap();

    let back = store.place(&klagen.kode).await.unwrap().unwrap();
    assert_eq!(back, klagen);
    let in_jiwan = store
        .list_places(&PlaceQuery {
            level: Level::Desa,
            parent: Some(Kode::parse("35.19.09").unwrap()),
            bbox: None,
        })
        .await
        .unwrap();
    assert_eq!(in_jiwan.len(), 1);
    let a = in_jiwan[0].area_ha.unwrap();
    assert!((a - klagen.area_ha().unwrap()).abs() < 1e-9);
    assert!(a > 100.0 && a < 130.0, "{a}");
}

#[tokio::test]
async fn search_ignores_case_and_spaces_and_ranks_exact_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path()).await;
    let mut klagen = desa("35.19.09.2010", "Klagenserut", 111.46, -7.62);
    klagen.nama_alt = vec!["Klagen Serut".into()];
    store
        .upsert_places(&[
            klagen,
            desa("35.19.09.2006", "Kincang Wetan", 111.47, -7.62),
            desa("35.19.09.2099", "Serut Baru", 111.48, -7.62),
        ])
        .await
        .unwrap();
    let names =
        |v: Vec<kumuh_domain::PlaceSummary>| v.into_iter().map(|p| p.nama).collect::<Vec<_>>();
    assert_eq!(
        names(store.search_places("klagen serut", 10).await.unwrap()),
        ["Klagenserut"]
    );
    assert_eq!(
        names(store.search_places("KINCANGWETAN", 10).await.unwrap()),
        ["Kincang Wetan"]
    );
    assert_eq!(
        names(store.search_places("serut", 10).await.unwrap()),
        ["Serut Baru", "Klagenserut"]
    );
    assert!(store.search_places("  ", 10).await.unwrap().is_empty());
    assert!(store.search_places("zzz", 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_failed_import_leaves_the_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path()).await;
    store
        .upsert_places(&[desa("35.19.09.2001", "Bukur", 111.4, -7.6)])
        .await
        .unwrap();
    // The second user insert fails inside its transaction; places are untouched by it,
    // and a duplicate user is reported as a conflict.
    store
        .add_user(&User::new("ana", Role::Admin), "hash")
        .await
        .unwrap();
    let e = store
        .add_user(&User::new("ana", Role::Viewer), "hash2")
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e}");
    assert_eq!(store.list_users().await.unwrap().len(), 1);
}

#[tokio::test]
async fn tokens_expire() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path()).await;
    store
        .add_user(&User::new("ana", Role::Admin), "hash")
        .await
        .unwrap();
    store.add_token("ana", "abc", 1_000).await.unwrap();
    let u = store.user_for_token("abc", 999).await.unwrap().unwrap();
    assert_eq!((u.username.as_str(), u.role), ("ana", Role::Admin));
    assert!(store.user_for_token("abc", 1_000).await.unwrap().is_none());
    assert!(store.user_for_token("nope", 0).await.unwrap().is_none());
    let c = store.credentials("ana").await.unwrap().unwrap();
    assert_eq!(c.password_hash, "hash");
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
                known: 7,
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

fn record(
    kode_lokasi: &str,
    kode_desa: &str,
    tahun: u16,
    class: &str,
    luas_ha: f64,
) -> kumuh_store::AssessmentRecord {
    kumuh_store::AssessmentRecord {
        kode_lokasi: kode_lokasi.to_owned(),
        nama_lokasi: format!("Lokasi {kode_lokasi}"),
        kode_desa: Kode::parse(kode_desa).unwrap(),
        tahun,
        rule_set_id: "permen-pupr-14-2018".into(),
        rule_set_version: "2018.1".into(),
        luas_ha,
        total: 24,
        class: class.parse().unwrap(),
        priority: Some("C2".into()),
        masukan: None,
        result: serde_json::json!({"total": 24}),
        dasar: kumuh_domain::assessment::Dasar::Survei,
        tanggal: None,
    }
}

#[tokio::test]
async fn assessments_are_kept_per_location_and_year() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path()).await;
    let r = store
        .upsert_assessments(&[
            record("SKL-01", "35.19.09.2005", 2019, "kumuh_ringan", 10.2),
            record("SKL-01", "35.19.09.2005", 2024, "tidak_kumuh", 10.2),
            record("BBR-01", "35.19.09.2014", 2024, "kumuh_sedang", 3.0),
            record("LAIN-1", "35.20.04.2001", 2024, "kumuh_berat", 1.0),
        ])
        .await
        .unwrap();
    assert_eq!((r.inserted, r.updated), (4, 0));
    // Re-importing a year replaces it.
    let r = store
        .upsert_assessments(&[record(
            "SKL-01",
            "35.19.09.2005",
            2024,
            "kumuh_ringan",
            10.0,
        )])
        .await
        .unwrap();
    assert_eq!((r.inserted, r.updated), (0, 1));

    let q = |wilayah: Option<&str>, lokasi: Option<&str>, tahun: Option<u16>| {
        kumuh_store::AssessmentQuery {
            wilayah: wilayah.map(|w| Kode::parse(w).unwrap()),
            kode_lokasi: lokasi.map(str::to_owned),
            tahun,
        }
    };
    let jiwan = store
        .assessments(&q(Some("35.19.09"), None, None))
        .await
        .unwrap();
    let keys: Vec<(String, u16)> = jiwan
        .iter()
        .map(|a| (a.kode_lokasi.clone(), a.tahun))
        .collect();
    assert_eq!(
        keys,
        [
            ("BBR-01".into(), 2024),
            ("SKL-01".into(), 2019),
            ("SKL-01".into(), 2024)
        ]
    );
    let history = store
        .assessments(&q(None, Some("SKL-01"), None))
        .await
        .unwrap();
    assert_eq!(history[1].class.as_str(), "kumuh_ringan");
    assert_eq!(history[1].luas_ha, 10.0);
    assert_eq!(history[1].result["total"], 24);
    let in_2024 = store
        .assessments(&q(Some("35.19.09.2014"), None, Some(2024)))
        .await
        .unwrap();
    assert_eq!(in_2024.len(), 1);
    // A prefix must end at a code boundary: 35.19.0 is not 35.19.09, and a code of
    // that shape cannot even be written as a region to filter by.
    assert!(Kode::parse("35.19.0").is_err());
    let kabupaten = store
        .assessments(&q(Some("35.19"), None, None))
        .await
        .unwrap();
    assert_eq!(kabupaten.len(), jiwan.len());
}

#[tokio::test]
async fn the_change_feed_records_writes_from_any_process() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path()).await;
    let empty = store.changes_since(0, 100).await.unwrap();
    assert_eq!(empty.latest, 0);
    assert!(empty.changes.is_empty() && !empty.gap);

    store
        .upsert_places(&[desa("35.19.09.2014", "Bibrik", 111.49, -7.58)])
        .await
        .unwrap();
    let batch = store.changes_since(0, 100).await.unwrap();
    let seen: Vec<(&str, &str)> = batch
        .changes
        .iter()
        .map(|c| (c.lapisan.as_str(), c.kunci.as_str()))
        .collect();
    assert_eq!(seen, [("desa", "35.19.09.2014")]);
    let after = batch.latest;

    // Another writer renames it, and another process (the sqlite3 command) deletes it:
    // both are in the feed, in order.
    let path = dir.path().join("t.gpkg");
    let (other, _) = GpkgStore::open(&path, OpenMode::MustExist).await.unwrap();
    other
        .upsert_places(&[desa("35.19.09.2014", "Bibrik Baru", 111.49, -7.58)])
        .await
        .unwrap();
    other.close().await;
    sqlite3(&path, "DELETE FROM desa WHERE kode = '35.19.09.2014';");
    let batch = store.changes_since(after, 100).await.unwrap();
    assert_eq!(batch.changes.len(), 2);
    assert!(batch.changes.iter().all(|c| c.kunci == "35.19.09.2014"));
    assert!(batch.changes[0].id < batch.changes[1].id);
    assert_eq!(batch.latest, batch.changes[1].id);
    // A limit of 0 answers the newest id alone.
    let newest = store.changes_since(0, 0).await.unwrap();
    assert!(newest.changes.is_empty());
    assert_eq!(newest.latest, batch.latest);
}

#[tokio::test]
async fn the_change_feed_stays_bounded_and_says_when_it_lost_changes() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(dir.path()).await;
    let path = dir.path().join("t.gpkg");
    // 105,000 changes, as from a bulk import.
    sqlite3(
        &path,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 105000)
         INSERT INTO kumuh_perubahan (lapisan, kunci) SELECT 'desa', 'd' || i FROM n;",
    );
    let kept: u64 = sqlite3(&path, "SELECT count(*) FROM kumuh_perubahan;")
        .trim()
        .parse()
        .unwrap();
    assert!((100_000..=101_000).contains(&kept), "{kept}");
    // A reader at 0 has lost changes; one near the end has not.
    let behind = store.changes_since(0, 10).await.unwrap();
    assert!(behind.gap);
    assert_eq!(behind.latest, 105_000);
    let near = store.changes_since(104_990, 100).await.unwrap();
    assert!(!near.gap);
    assert_eq!(near.changes.len(), 10);
    assert_eq!(near.changes[0].kunci, "d104991");
}
