//! Works, their versions and the audit log, in every backend.

use std::sync::Arc;

use kumuh_domain::Kode;
use kumuh_domain::works::{
    Alokasi, Amount, Kegiatan, Rupiah, SegmenId, StatusKegiatan, SumberDana, contoh,
};
use kumuh_store::{
    AssessmentQuery, AssessmentRecord, AuditQuery, DASAR_SURVEI, KegiatanQuery, KegiatanWrite,
    NewAudit, Store, StoreError,
};

use crate::backend;
use backend::TestStore;

for_each_backend!(
    a_work_round_trips_whole_and_counts_its_versions,
    a_stale_change_writes_nothing_and_names_the_current_version,
    concurrent_changes_to_one_segment_never_lose_one,
    the_audit_log_refuses_to_be_rewritten,
    the_segment_layer_opens_in_gdal_with_money_and_status,
    an_evaluation_after_a_work_is_kept_beside_the_survey_of_its_year,
    line_conditions_change_with_the_work_or_not_at_all,
);

fn line(aksi: &str, kunci: &str) -> NewAudit {
    NewAudit {
        pengguna: "budi".into(),
        entitas: "kegiatan".into(),
        kunci: kunci.into(),
        aksi: aksi.into(),
        sebelum: None,
        sesudah: Some(serde_json::json!({"aksi": aksi})),
    }
}

async fn create(store: &dyn Store, k: &Kegiatan) -> i64 {
    store
        .save_kegiatan(&KegiatanWrite {
            kegiatan: k,
            versi: None,
            audit: vec![line("buat", k.id().as_str())],
            penilaian: vec![],
            kondisi_jaringan: vec![],
        })
        .await
        .unwrap()
}

async fn a_work_round_trips_whole_and_counts_its_versions(store: TestStore) {
    let bibrik = contoh::bibrik_paving();
    assert_eq!(create(&*store, &bibrik).await, 1);

    let stored = store.kegiatan(bibrik.id().as_str()).await.unwrap().unwrap();
    assert_eq!(stored.kegiatan, bibrik);
    assert_eq!(stored.versi, 1);

    let mut changed = bibrik.clone();
    changed.nama = "Jalan paving RT 09/10".into();
    let v = store
        .save_kegiatan(&KegiatanWrite {
            kegiatan: &changed,
            versi: Some(1),
            audit: vec![line("ubah", bibrik.id().as_str())],
            penilaian: vec![],
            kondisi_jaringan: vec![],
        })
        .await
        .unwrap();
    assert_eq!(v, 2);

    let in_desa = store
        .list_kegiatan(&KegiatanQuery {
            wilayah: Some(Kode::parse("35.19.09").unwrap()),
            tahun: Some(2018),
        })
        .await
        .unwrap();
    assert_eq!(in_desa.len(), 1);
    assert_eq!(in_desa[0].kegiatan.nama, "Jalan paving RT 09/10");
    let elsewhere = store
        .list_kegiatan(&KegiatanQuery {
            wilayah: Some(Kode::parse("35.19.08").unwrap()),
            tahun: None,
        })
        .await
        .unwrap();
    assert!(elsewhere.is_empty());

    let again = store.save_kegiatan(&KegiatanWrite::new(&bibrik)).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
}

async fn a_stale_change_writes_nothing_and_names_the_current_version(store: TestStore) {
    let bibrik = contoh::bibrik_paving();
    create(&*store, &bibrik).await;
    let mut first = bibrik.clone();
    first.nama = "first".into();
    let mut second = bibrik.clone();
    second.nama = "second".into();
    let save = |k: &Kegiatan| {
        let k = k.clone();
        let store = &store;
        async move {
            store
                .save_kegiatan(&KegiatanWrite {
                    kegiatan: &k,
                    versi: Some(1),
                    audit: vec![line("ubah", "x")],
                    penilaian: vec![],
                    kondisi_jaringan: vec![],
                })
                .await
        }
    };
    assert_eq!(save(&first).await.unwrap(), 2);
    match save(&second).await {
        Err(StoreError::Stale {
            expected, current, ..
        }) => assert_eq!((expected, current), (1, 2)),
        other => panic!("expected a stale version, got {other:?}"),
    }
    let stored = store.kegiatan(bibrik.id().as_str()).await.unwrap().unwrap();
    assert_eq!(stored.kegiatan.nama, "first");
    let log = store
        .audit(&AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 2, "the stale change left no audit line: {log:?}");

    let mut json = serde_json::to_value(contoh::bibrik_paving()).unwrap();
    json["id"] = "K-lain".into();
    let other: Kegiatan = serde_json::from_value(json).unwrap();
    let missing = store
        .save_kegiatan(&KegiatanWrite {
            kegiatan: &other,
            versi: Some(1),
            audit: vec![],
            penilaian: vec![],
            kondisi_jaringan: vec![],
        })
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
}

/// Many writers allocating to the same segment at once, each retrying on a stale version
/// as the API's clients do: every allocation lands, none is lost.
async fn concurrent_changes_to_one_segment_never_lose_one(t: TestStore) {
    let store = t.shared();
    let bibrik = contoh::bibrik_paving();
    create(&*store, &bibrik).await;
    let id = bibrik.id().as_str().to_owned();
    let s1 = SegmenId::new("S1").unwrap();
    let writers = 12u32;
    let mut tasks = Vec::new();
    for n in 0..writers {
        let store = Arc::clone(&store);
        let id = id.clone();
        let s1 = s1.clone();
        tasks.push(tokio::spawn(async move {
            let mut stale = 0;
            loop {
                let mut stored = store.kegiatan(&id).await.unwrap().unwrap();
                stored
                    .kegiatan
                    .segmen_mut(&s1)
                    .unwrap()
                    .allocate(Alokasi::tunai(
                        SumberDana::Csr,
                        Some(2019),
                        Amount::Known(Rupiah::from_u32(1_000 + n)),
                    ))
                    .unwrap();
                let w = KegiatanWrite {
                    kegiatan: &stored.kegiatan,
                    versi: Some(stored.versi),
                    audit: vec![line("alokasi", &format!("{id}/S1"))],
                    penilaian: vec![],
                    kondisi_jaringan: vec![],
                };
                match store.save_kegiatan(&w).await {
                    Ok(_) => return stale,
                    Err(StoreError::Stale { .. }) => stale += 1,
                    Err(e) => panic!("{e}"),
                }
            }
        }));
    }
    let mut stale_total = 0;
    for t in tasks {
        stale_total += t.await.unwrap();
    }
    let stored = store.kegiatan(&id).await.unwrap().unwrap();
    assert_eq!(stored.versi, 1 + i64::from(writers));
    let csr: i64 = stored.kegiatan.segmen()[0]
        .live_alokasi()
        .filter(|(_, a)| a.sumber == SumberDana::Csr)
        .filter_map(|(_, a)| a.jumlah.known())
        .map(Rupiah::get)
        .sum();
    let expected: i64 = (0..writers).map(|n| 1_000 + i64::from(n)).sum();
    assert_eq!(csr, expected, "{stale_total} stale attempts were retried");
    let log = store
        .audit(&AuditQuery {
            kunci: Some(id.clone()),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 1 + writers as usize);
    let versions: std::collections::BTreeSet<i64> = log.iter().filter_map(|l| l.versi).collect();
    assert_eq!(versions.len(), log.len(), "each change has its own version");
}

async fn the_audit_log_refuses_to_be_rewritten(store: TestStore) {
    create(&*store, &contoh::bibrik_paving()).await;
    for sql in [
        "UPDATE kumuh_audit SET pengguna = 'x'",
        "DELETE FROM kumuh_audit",
    ] {
        let refused = store.sql(sql).expect_err(&format!("{sql} was allowed"));
        assert!(refused.contains("append-only"), "{refused}");
    }
    assert_eq!(store.sql("SELECT count(*) FROM kumuh_audit").unwrap(), "1");
}

async fn the_segment_layer_opens_in_gdal_with_money_and_status(store: TestStore) {
    let mut k = contoh::bibrik_paving();
    k.set_status(StatusKegiatan::Pemeliharaan).unwrap();
    create(&*store, &k).await;
    let text = store.ogrinfo("kegiatan_segmen");
    assert!(text.contains("segmen_id (String) = S1"), "{text}");
    assert!(
        text.contains("sumber_utama (String) = apbd_kabupaten"),
        "{text}"
    );
    assert!(
        text.contains("alokasi_rp (Integer64) = 100000000"),
        "{text}"
    );
    assert!(text.contains("sumber_utama (String) = dana_desa"), "{text}");
    assert!(text.contains("LINESTRING (111.4935 -7.5753"), "{text}");
    assert_eq!(
        text.matches("OGRFeature(kegiatan_segmen)").count(),
        2,
        "{text}"
    );
}

fn assessment(dasar: &str, tanggal: Option<&str>, total: u32, class: &str) -> AssessmentRecord {
    AssessmentRecord {
        kode_lokasi: "SKL-01".into(),
        nama_lokasi: "Bibrik RT 09".into(),
        kode_desa: Kode::parse(contoh::BIBRIK_KODE).unwrap(),
        tahun: 2018,
        rule_set_id: "permen-pupr-14-2018".into(),
        rule_set_version: "2018.1".into(),
        luas_ha: 2.0,
        total,
        class: class.parse().unwrap(),
        priority: None,
        masukan: None,
        result: kumuh_domain::assessment::Hasil {
            total,
            class: class.parse().unwrap(),
            ..crate::common::hasil("SKL-01", contoh::BIBRIK_KODE, 2018)
        },
        dasar: dasar.parse().unwrap(),
        tanggal: tanggal.map(Into::into),
    }
}

async fn an_evaluation_after_a_work_is_kept_beside_the_survey_of_its_year(store: TestStore) {
    store
        .upsert_assessments(&[assessment(DASAR_SURVEI, None, 40, "kumuh_ringan")])
        .await
        .unwrap();
    let k = contoh::bibrik_paving();
    store
        .save_kegiatan(&KegiatanWrite {
            kegiatan: &k,
            versi: None,
            audit: vec![],
            penilaian: vec![assessment(
                "kegiatan contoh-35.19.09.2014-2018-paving segmen S1",
                Some("2018-08-31"),
                30,
                "tidak_kumuh",
            )],
            kondisi_jaringan: vec![],
        })
        .await
        .unwrap();
    // Importing the survey again does not replace the evaluation.
    store
        .upsert_assessments(&[assessment(DASAR_SURVEI, None, 41, "kumuh_ringan")])
        .await
        .unwrap();
    let all = store
        .assessments(&AssessmentQuery::default())
        .await
        .unwrap();
    let seen: Vec<(u32, Option<&str>)> = all
        .iter()
        .map(|r| (r.total, r.tanggal.as_deref()))
        .collect();
    assert_eq!(seen, vec![(41, None), (30, Some("2018-08-31"))]);
}

async fn line_conditions_change_with_the_work_or_not_at_all(store: TestStore) {
    use kumuh_domain::jaringan::{JenisJaringan, KondisiRuas, Ruas};
    let bibrik = contoh::bibrik_paving();
    create(&*store, &bibrik).await;
    store
        .upsert_jaringan(&[Ruas::new(
            "J-01",
            JenisJaringan::Jalan,
            KondisiRuas::RusakBerat,
            geo_types::LineString::from(vec![(111.4935, -7.5753), (111.49504, -7.5753)]),
        )])
        .await
        .unwrap();
    let kondisi = |all: Vec<Ruas>| all.into_iter().find(|r| r.kode == "J-01").unwrap().kondisi;

    // A line that does not exist: nothing is written, the work keeps its version.
    let e = store
        .save_kegiatan(&KegiatanWrite {
            kegiatan: &bibrik,
            versi: Some(1),
            audit: vec![line("selesai", bibrik.id().as_str())],
            penilaian: vec![],
            kondisi_jaringan: vec![
                ("J-01".into(), KondisiRuas::Baik),
                ("J-99".into(), KondisiRuas::Baik),
            ],
        })
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::NotFound(ref what) if what.contains("J-99")),
        "{e}"
    );
    assert_eq!(
        store
            .kegiatan(bibrik.id().as_str())
            .await
            .unwrap()
            .unwrap()
            .versi,
        1
    );
    assert_eq!(
        kondisi(store.jaringan(None).await.unwrap()),
        KondisiRuas::RusakBerat
    );

    // With the work: the line's condition and the work's version change together.
    let v = store
        .save_kegiatan(&KegiatanWrite {
            kegiatan: &bibrik,
            versi: Some(1),
            audit: vec![line("selesai", bibrik.id().as_str())],
            penilaian: vec![],
            kondisi_jaringan: vec![("J-01".into(), KondisiRuas::Baik)],
        })
        .await
        .unwrap();
    assert_eq!(v, 2);
    assert_eq!(
        kondisi(store.jaringan(None).await.unwrap()),
        KondisiRuas::Baik
    );
}
