//! Place writes that leave a trace: audit lines in the same transaction, and deletions
//! that would orphan the places below refused.

use geo_types::{MultiPolygon, polygon};
use kumuh_domain::{Kode, Level, Place};
use kumuh_store::{AuditQuery, PLACE_AUDIT_ENTITAS, PlaceQuery, Store, StoreError};

use crate::backend;
use backend::TestStore;

for_each_backend!(
    place_writes_and_deletions_are_audited_in_the_same_transaction,
    a_place_with_places_below_it_is_not_deleted,
    a_bulk_write_of_new_known_and_repeated_places_keeps_each_once_with_its_last_version,
    place_boxes_give_every_code_of_a_level_with_its_box,
);

async fn place_boxes_give_every_code_of_a_level_with_its_box(store: TestStore) {
    let mut bare = place("35.19.09.2002", "tanpa batas");
    bare.geometry = None;
    store
        .upsert_places(&[place("35.19.09.2001", "Bukur"), bare])
        .await
        .unwrap();
    let boxes = store.place_boxes(Level::Desa).await.unwrap();
    let codes: Vec<&str> = boxes.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(codes, ["35.19.09.2001", "35.19.09.2002"]);
    let b = boxes[0].1.expect("Bukur has a boundary");
    // The square of 111.40..111.41 by -7.60..-7.59, within a few metres (the index's
    // 32-bit floats, rounded outwards).
    for (got, want) in b.iter().zip([111.40, -7.60, 111.41, -7.59]) {
        assert!((got - want).abs() < 3e-5, "{b:?}");
    }
    assert!(
        b[0] <= 111.40 && b[2] >= 111.41,
        "the box holds the boundary: {b:?}"
    );
    assert_eq!(boxes[1].1, None);
    assert!(store.place_boxes(Level::Rt).await.unwrap().is_empty());
}

fn place(kode: &str, nama: &str) -> Place {
    Place {
        kode: Kode::parse(kode).unwrap(),
        kode_bps: None,
        nama: nama.to_owned(),
        nama_alt: vec![],
        geometry: Some(MultiPolygon(vec![polygon![
            (x: 111.4, y: -7.6), (x: 111.41, y: -7.6), (x: 111.41, y: -7.59), (x: 111.4, y: -7.59)
        ]])),
        attributes: Default::default(),
    }
}

async fn audit_of(store: &dyn Store, kode: &str) -> Vec<kumuh_store::AuditEntry> {
    store
        .audit(&AuditQuery {
            kunci: Some(kode.to_owned()),
            sebelum_id: None,
            limit: 50,
        })
        .await
        .unwrap()
}

async fn place_writes_and_deletions_are_audited_in_the_same_transaction(store: TestStore) {
    let kode = "35.19.09.2014";

    let r = store
        .save_place(&place(kode, "Bibrik"), "ana")
        .await
        .unwrap();
    assert_eq!((r.inserted, r.updated), (1, 0));
    let r = store
        .save_place(&place(kode, "Bibrik Baru"), "budi")
        .await
        .unwrap();
    assert_eq!((r.inserted, r.updated), (0, 1));
    assert!(
        store
            .delete_place_as(&Kode::parse(kode).unwrap(), "citra")
            .await
            .unwrap()
    );
    assert!(
        !store
            .delete_place_as(&Kode::parse(kode).unwrap(), "citra")
            .await
            .unwrap(),
        "nothing left to delete"
    );

    // Newest first: delete, change, create; nothing for the delete that found nothing.
    let lines = audit_of(&*store, kode).await;
    let seen: Vec<(&str, &str, &str, &str)> = lines
        .iter()
        .map(|a| {
            (
                a.pengguna.as_str(),
                a.entitas.as_str(),
                a.kunci.as_str(),
                a.aksi.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("citra", PLACE_AUDIT_ENTITAS, kode, "hapus"),
            ("budi", PLACE_AUDIT_ENTITAS, kode, "ubah"),
            ("ana", PLACE_AUDIT_ENTITAS, kode, "buat"),
        ]
    );
    let nama = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v["nama"].clone());
    assert_eq!(nama(&lines[2].sebelum), None);
    assert_eq!(nama(&lines[2].sesudah), Some("Bibrik".into()));
    assert_eq!(nama(&lines[1].sebelum), Some("Bibrik".into()));
    assert_eq!(nama(&lines[1].sesudah), Some("Bibrik Baru".into()));
    assert_eq!(nama(&lines[0].sebelum), Some("Bibrik Baru".into()));
    assert_eq!(nama(&lines[0].sesudah), None);
    assert!(
        lines[1].sesudah.as_ref().unwrap()["luas_ha"]
            .as_f64()
            .unwrap()
            > 0.0
    );
}

async fn a_place_with_places_below_it_is_not_deleted(store: TestStore) {
    store
        .upsert_places(&[
            place("35.19.09", "Jiwan"),
            place("35.19.09.2014", "Bibrik"),
            place("35.19.09.2015", "Kincang Wetan"),
        ])
        .await
        .unwrap();
    let kecamatan = Kode::parse("35.19.09").unwrap();

    for r in [
        store.delete_place_as(&kecamatan, "ana").await,
        store.delete_place(&kecamatan).await,
    ] {
        match r {
            Err(StoreError::HasChildren { kode, children }) => {
                assert_eq!((kode.as_str(), children), ("35.19.09", 2));
            }
            other => panic!("expected HasChildren, got {other:?}"),
        }
    }
    assert!(store.place(&kecamatan).await.unwrap().is_some());
    assert!(audit_of(&*store, "35.19.09").await.is_empty());

    // Once the desa are gone, the kecamatan goes too.
    for d in ["35.19.09.2014", "35.19.09.2015"] {
        assert!(
            store
                .delete_place_as(&Kode::parse(d).unwrap(), "ana")
                .await
                .unwrap()
        );
    }
    assert!(store.delete_place_as(&kecamatan, "ana").await.unwrap());
    assert!(
        store
            .list_places(&PlaceQuery::level(Level::Kecamatan))
            .await
            .unwrap()
            .is_empty()
    );
}

/// Hundreds of places in one write (more than one statement's worth), mixing new ones,
/// ones the store holds, a code given twice and two levels: each place is stored once,
/// as its last version in the list, with its area, and the counts say what happened.
async fn a_bulk_write_of_new_known_and_repeated_places_keeps_each_once_with_its_last_version(
    store: TestStore,
) {
    let known: Vec<Place> = (1..=3)
        .map(|i| place(&format!("35.19.09.{:04}", 2100 + i), "lama"))
        .collect();
    let r = store.upsert_places(&known).await.unwrap();
    assert_eq!((r.inserted, r.updated), (3, 0));

    let mut batch: Vec<Place> = (1..=1_200)
        .map(|i| place(&format!("35.19.09.{:04}", 2100 + i), &format!("desa {i}")))
        .collect();
    // The second version of desa 150 comes later in the same list, in another chunk of
    // the write (1,000 places a chunk).
    batch.push(place("35.19.09.2250", "desa 150 (koreksi)"));
    // RTs of desa 1 after the desa, then one more desa.
    batch.extend((1..=3).map(|i| place(&format!("35.19.09.2101.001.{i:03}"), &format!("RT {i}"))));
    batch.push(place("35.19.09.3351", "desa terakhir"));
    let r = store.upsert_places(&batch).await.unwrap();
    assert_eq!(
        (r.inserted, r.updated),
        (1_200 - 3 + 3 + 1, 3 + 1),
        "3 known desa and the repeated one are updates"
    );

    let desa = store.places(&PlaceQuery::level(Level::Desa)).await.unwrap();
    let ours: Vec<&Place> = desa
        .iter()
        .filter(|p| p.kode.as_str() > "35.19.09.2100" && p.kode.as_str() < "35.19.09.3400")
        .collect();
    assert_eq!(ours.len(), 1_201);
    let named = |kode: &str| {
        ours.iter()
            .find(|p| p.kode.as_str() == kode)
            .map(|p| p.nama.clone())
    };
    assert_eq!(named("35.19.09.2101").as_deref(), Some("desa 1"));
    assert_eq!(
        named("35.19.09.2250").as_deref(),
        Some("desa 150 (koreksi)")
    );
    assert_eq!(named("35.19.09.3351").as_deref(), Some("desa terakhir"));
    let rt = store.places(&PlaceQuery::level(Level::Rt)).await.unwrap();
    assert_eq!(
        rt.iter()
            .filter(|p| p.kode.as_str().starts_with("35.19.09.2101.001."))
            .count(),
        3
    );
    let summaries = store
        .list_places(&PlaceQuery::level(Level::Desa))
        .await
        .unwrap();
    let summary = summaries
        .iter()
        .find(|p| p.kode.as_str() == "35.19.09.2300")
        .expect("a place written in the middle of the list");
    // 0.01° by 0.01° at 7.6° S: about 1,103 m by 1,105 m.
    let area = summary.area_ha.expect("its area was measured");
    assert!((area - 121.9).abs() < 1.0, "{area} ha");
}
