//! The store through its trait, against every backend (see `backend`): places, search,
//! users and tokens, assessments and the change feed behave the same in a GeoPackage
//! file and in PostGIS.

use geo_types::{MultiPolygon, polygon};
use kumuh_domain::{Kode, Level, Place, Role, User};
use kumuh_store::{PlaceQuery, Store, StoreError, StoredTileIndex};

use crate::backend;
use backend::{Backend, TestStore};

for_each_backend!(
    places_round_trip_and_list_by_parent,
    search_ignores_case_and_spaces_and_ranks_exact_first,
    a_failed_import_leaves_the_store_unchanged,
    tokens_expire,
    users_are_unique_listed_in_byte_order_and_sign_out_once,
    assessments_are_kept_per_location_and_year,
    the_change_feed_records_writes_from_any_process,
    the_change_feed_stays_bounded_and_says_when_it_lost_changes,
    the_slum_location_layer_shows_the_latest_assessment_in_gdal,
    kept_tile_indexes_are_replaced_by_layer_and_left_out_of_copies,
);

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
        result: kumuh_domain::assessment::Hasil {
            total: 24,
            ..crate::common::hasil(kode_lokasi, kode_desa, tahun)
        },
        dasar: kumuh_domain::assessment::Dasar::Survei,
        tanggal: None,
    }
}

async fn places_round_trip_and_list_by_parent(store: TestStore) {
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

async fn search_ignores_case_and_spaces_and_ranks_exact_first(store: TestStore) {
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

async fn a_failed_import_leaves_the_store_unchanged(store: TestStore) {
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

async fn tokens_expire(store: TestStore) {
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

async fn users_are_unique_listed_in_byte_order_and_sign_out_once(store: TestStore) {
    let mut lkm = User::new("lkm_bibrik", Role::Lkm);
    lkm.desa = vec![Kode::parse("35.19.09.2014").unwrap()];
    for user in [
        &User::new("ana", Role::Admin),
        &User::new("Zaki", Role::Viewer),
        &lkm,
    ] {
        store.add_user(user, "hash").await.unwrap();
    }
    let again = store
        .add_user(&User::new("ana", Role::Viewer), "other")
        .await;
    assert!(
        matches!(&again, Err(StoreError::Conflict(m)) if m.contains("`ana` already exists")),
        "{again:?}"
    );
    let names: Vec<String> = store
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    // Byte order on both backends: capitals first, whatever the database's locale.
    assert_eq!(names, ["Zaki", "ana", "lkm_bibrik"]);
    let c = store.credentials("lkm_bibrik").await.unwrap().unwrap();
    assert_eq!((c.user, c.password_hash.as_str()), (lkm.clone(), "hash"));
    assert!(store.credentials("nobody").await.unwrap().is_none());

    store.add_token("lkm_bibrik", "t1", 1_000).await.unwrap();
    assert_eq!(store.user_for_token("t1", 0).await.unwrap(), Some(lkm));
    assert!(store.delete_token("t1").await.unwrap());
    assert!(!store.delete_token("t1").await.unwrap());
    assert!(store.user_for_token("t1", 0).await.unwrap().is_none());
}

async fn assessments_are_kept_per_location_and_year(store: TestStore) {
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
    assert_eq!(history[1].result.total, 24);
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

async fn the_change_feed_records_writes_from_any_process(store: TestStore) {
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

    // Another writer renames it, and another process (sqlite3, psql) deletes it: both
    // are in the feed, in order.
    let other = store.reopen().await;
    other
        .upsert_places(&[desa("35.19.09.2014", "Bibrik Baru", 111.49, -7.58)])
        .await
        .unwrap();
    drop(other);
    store
        .sql("DELETE FROM desa WHERE kode = '35.19.09.2014';")
        .unwrap();
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

async fn the_change_feed_stays_bounded_and_says_when_it_lost_changes(store: TestStore) {
    // 105,000 changes, as from a bulk import.
    let numbers = match store.backend {
        Backend::Gpkg => {
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 105000)"
        }
        Backend::Postgis => "WITH n(i) AS (SELECT generate_series(1, 105000))",
    };
    store
        .sql(&format!(
            "{numbers} INSERT INTO kumuh_perubahan (lapisan, kunci) SELECT 'desa', 'd' || i FROM n;"
        ))
        .unwrap();
    let kept: u64 = store
        .sql("SELECT count(*) FROM kumuh_perubahan;")
        .unwrap()
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

async fn kept_tile_indexes_are_replaced_by_layer_and_left_out_of_copies(store: TestStore) {
    assert!(store.tile_indexes().await.unwrap().is_empty());
    assert!(store.tile_index("desa").await.unwrap().is_none());
    let key = |lapisan: &str, perubahan| StoredTileIndex {
        lapisan: lapisan.into(),
        perubahan,
        versi: "v1".into(),
    };
    store
        .keep_tile_index(&key("desa", 7), vec![0, 1, 2, 255])
        .await
        .unwrap();
    store
        .keep_tile_index(&key("lokasi", 7), Vec::new())
        .await
        .unwrap();
    assert_eq!(
        store.tile_indexes().await.unwrap(),
        [key("desa", 7), key("lokasi", 7)]
    );
    // Keeping a layer again replaces it, from any process; the others stay.
    let big = vec![0xA5; 3 << 20];
    store
        .reopen()
        .await
        .keep_tile_index(&key("desa", 9), big.clone())
        .await
        .unwrap();
    assert_eq!(
        store.tile_indexes().await.unwrap(),
        [key("desa", 9), key("lokasi", 7)]
    );
    assert_eq!(
        store.tile_index("desa").await.unwrap(),
        Some((key("desa", 9), big))
    );
    assert_eq!(
        store.tile_index("lokasi").await.unwrap(),
        Some((key("lokasi", 7), vec![]))
    );
    // A copy for sharing leaves them out.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("salinan.gpkg");
    store.export_copy(&copy).await.unwrap();
    let (copy, _) = kumuh_store::GpkgStore::open(&copy, kumuh_store::OpenMode::MustExist)
        .await
        .unwrap();
    assert!(copy.tile_indexes().await.unwrap().is_empty());
}

/// The slum-location layer carries each location's latest assessment (year, total,
/// class, priority), and GDAL reads it from either backend.
async fn the_slum_location_layer_shows_the_latest_assessment_in_gdal(store: TestStore) {
    let lokasi = kumuh_domain::LokasiKumuh {
        kode: "BBR-01".into(),
        nama: "Bibrik RT 09".into(),
        kode_desa: Kode::parse("35.19.09.2014").unwrap(),
        kawasan: None,
        rt: vec![],
        sk: None,
        geometry: square(111.49, -7.58, 0.002),
        attributes: Default::default(),
    };
    store
        .upsert_lokasi(std::slice::from_ref(&lokasi))
        .await
        .unwrap();
    let mut older = record("BBR-01", "35.19.09.2014", 2019, "kumuh_berat", 3.0);
    older.total = 61;
    let mut latest = record("BBR-01", "35.19.09.2014", 2024, "kumuh_ringan", 3.0);
    latest.total = 27;
    latest.priority = Some("B3".into());
    store.upsert_assessments(&[latest, older]).await.unwrap();
    assert_eq!(store.lokasi("BBR-01").await.unwrap(), Some(lokasi));

    let text = store.ogrinfo("lokasi_kumuh");
    assert_eq!(
        text.matches("OGRFeature(lokasi_kumuh)").count(),
        1,
        "{text}"
    );
    for field in [
        "kode (String) = BBR-01",
        "tahun_penilaian (Integer",
        ") = 2024",
        "total_nilai (Integer",
        ") = 27",
        "kelas (String) = kumuh_ringan",
        "prioritas (String) = B3",
        "MULTIPOLYGON (((111.49 -7.58",
    ] {
        assert!(text.contains(field), "{field} missing from:\n{text}");
    }
}
