//! Stored assessments read back typed: the class, the basis, the survey and the result,
//! from rows this release writes and from rows an earlier release wrote as JSON text.

use std::path::Path;

use kumuh_domain::Kode;
use kumuh_domain::assessment::{Dasar, SlumClass};
use kumuh_store::{AssessmentQuery, AssessmentRecord, GpkgStore, OpenMode, Store, StoreError};
use serde_json::{Value, json};

use crate::common;
use common::sqlite3;

async fn new_store(path: &Path) -> GpkgStore {
    let (store, created) = GpkgStore::open(path, OpenMode::CreateIfMissing)
        .await
        .unwrap();
    assert!(created);
    store
}

/// A survey as the previous release stored it under `masukan`.
fn masukan_json() -> Value {
    json!({
        "kode_lokasi": "SKL-01",
        "nama_lokasi": "Bibrik RT 09",
        "kode_desa": "35.19.09.2014",
        "tahun": 2018,
        "luas_ha": 2.0,
        "jumlah_bangunan": 40,
        "jumlah_penduduk": 150,
        "jumlah_kk": 50,
        "panjang_jalan_ideal_m": 400.0,
        "panjang_drainase_ideal_m": 300.0,
        "volumes": {"1a": 10.0, "3a": 50.0},
        "considerations": null,
        "legality": null
    })
}

/// The results of the seed's Bibrik location as the previous release stored them (its
/// 2017 survey and the evaluation after the paving was finished in 2018, both marked
/// contoh), surveys included.
const BIBRIK_2017: &str = include_str!("hasil/bibrik_2017.json");
const BIBRIK_2018: &str = include_str!("hasil/bibrik_2018.json");

/// A stored result without its survey.
fn without_masukan(text: &str) -> Value {
    let mut v: Value = serde_json::from_str(text).unwrap();
    assert!(v.as_object_mut().unwrap().remove("masukan").is_some());
    v
}

/// The rest of a stored result, as the previous release wrote it.
fn rest_json() -> Value {
    without_masukan(BIBRIK_2017)
}

fn with_masukan() -> Value {
    let mut v = rest_json();
    v.as_object_mut()
        .unwrap()
        .insert("masukan".into(), masukan_json());
    v
}

/// Inserts a row by SQL, as an earlier release (or another tool) wrote it.
fn insert_row(path: &Path, tahun: u16, kelas: &str, hasil: &Value, dasar: Option<&str>) {
    let hasil = hasil.to_string().replace('\'', "''");
    let (column, value) = match dasar {
        Some(d) => (", dasar", format!(", '{d}'")),
        None => ("", String::new()),
    };
    sqlite3(
        path,
        &format!(
            "INSERT INTO penilaian (kode_lokasi, tahun, nama_lokasi, kode_desa, aturan,
               versi_aturan, luas_ha, total, kelas, prioritas, hasil{column})
             VALUES ('SKL-01', {tahun}, 'Bibrik RT 09', '35.19.09.2014', 'permen-pupr-14-2018',
               '2018.1', 2.0, 40, '{kelas}', 'C2', '{hasil}'{value});"
        ),
    );
}

async fn read_all(path: &Path) -> kumuh_store::Result<Vec<AssessmentRecord>> {
    let (store, _) = GpkgStore::open(path, OpenMode::MustExist).await.unwrap();
    let all = store.assessments(&AssessmentQuery::default()).await;
    store.close().await;
    all
}

#[tokio::test]
async fn rows_written_as_json_text_by_the_previous_release_read_back_typed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.gpkg");
    new_store(&path).await.close().await;
    // A survey row with its survey, an evaluation after a finished segment, and a row
    // from before surveys were kept.
    insert_row(&path, 2018, "kumuh_ringan", &with_masukan(), None);
    insert_row(
        &path,
        2018,
        "tidak_kumuh",
        &with_masukan(),
        Some("kegiatan contoh-35.19.09.2014-2018-paving segmen S1"),
    );
    insert_row(&path, 2016, "kumuh_berat", &rest_json(), None);

    let all = read_all(&path).await.unwrap();
    let seen: Vec<(u16, SlumClass, &Dasar, bool)> = all
        .iter()
        .map(|r| (r.tahun, r.class, &r.dasar, r.masukan.is_some()))
        .collect();
    assert_eq!(
        seen,
        [
            (2016, SlumClass::KumuhBerat, &Dasar::Survei, false),
            (2018, SlumClass::KumuhRingan, &Dasar::Survei, true),
            (
                2018,
                SlumClass::TidakKumuh,
                &Dasar::segmen("contoh-35.19.09.2014-2018-paving", "S1"),
                true
            ),
        ]
    );
    let survey = all[1].masukan.as_ref().unwrap();
    assert_eq!(survey.kode_desa, Kode::parse("35.19.09.2014").unwrap());
    assert_eq!(survey.jumlah_kk, 50);
    assert_eq!(survey.panjang_jalan_ideal_m, 400.0);
    assert_eq!(survey.volumes.get("3a"), Some(&50.0));
    // The typed survey is not kept twice, and the result shown is the stored one.
    assert_eq!(serde_json::to_value(&all[1].result).unwrap(), rest_json());
    assert_eq!(all[1].result_json(), with_masukan());
    assert_eq!(all[0].result_json(), rest_json());
    assert!(all[1].result.contoh);
    assert_eq!(all[1].result.class, SlumClass::KumuhRingan);
    assert_eq!(all[1].result.criteria["2b"].volume, Some(330.8));
}

#[tokio::test]
async fn the_seeds_stored_results_read_back_typed_and_show_as_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.gpkg");
    new_store(&path).await.close().await;
    let survey: Value = serde_json::from_str(BIBRIK_2017).unwrap();
    let evaluation: Value = serde_json::from_str(BIBRIK_2018).unwrap();
    let dasar = "kegiatan contoh-35.19.09.2014-2018-paving segmen S1";
    insert_row(&path, 2017, "kumuh_ringan", &survey, None);
    insert_row(&path, 2018, "tidak_kumuh", &evaluation, Some(dasar));

    let all = read_all(&path).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].result_json(), survey);
    assert_eq!(all[1].result_json(), evaluation);
    let (s, e) = (&all[0].result, &all[1].result);
    assert!(s.contoh && e.contoh);
    assert_eq!((s.total, s.class), (16, SlumClass::KumuhRingan));
    assert_eq!((e.total, e.class), (12, SlumClass::TidakKumuh));
    assert_eq!(e.dasar.as_ref(), Some(&dasar.parse::<Dasar>().unwrap()));
    assert_eq!(e.tanggal.as_deref(), Some("2018-08-31"));
    let dampak = e.dampak.as_deref().unwrap();
    assert_eq!(dampak.len(), 1);
    assert_eq!(dampak[0].kriteria, "2b");
    assert_eq!(dampak[0].volume_sesudah, e.criteria["2b"].volume.unwrap());
    assert_eq!(e.dilewati.as_deref(), Some(&[][..]));
    assert!(s.dasar.is_none() && s.dampak.is_none() && s.sumber_volume.is_none());
    // Both surveys are kept typed beside the results.
    assert_eq!(all[1].masukan.as_ref().unwrap().tahun, 2018);
    assert_eq!(
        all[1].masukan.as_ref().unwrap().volumes["2b"],
        dampak[0].volume_sesudah
    );
}

#[tokio::test]
async fn a_typed_record_is_stored_as_the_same_text_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.gpkg");
    let store = new_store(&path).await;
    let masukan = serde_json::from_value(masukan_json()).unwrap();
    let record = AssessmentRecord {
        kode_lokasi: "SKL-01".into(),
        nama_lokasi: "Bibrik RT 09".into(),
        kode_desa: Kode::parse("35.19.09.2014").unwrap(),
        tahun: 2018,
        rule_set_id: "permen-pupr-14-2018".into(),
        rule_set_version: "2018.1".into(),
        luas_ha: 2.0,
        total: 40,
        class: SlumClass::KumuhRingan,
        priority: Some("C2".into()),
        masukan: Some(masukan),
        result: serde_json::from_value(rest_json()).unwrap(),
        dasar: Dasar::segmen("K1", "S2"),
        tanggal: Some("2018-08-31".into()),
    };
    store
        .upsert_assessments(std::slice::from_ref(&record))
        .await
        .unwrap();
    store.close().await;
    let text = sqlite3(&path, "SELECT kelas, dasar FROM penilaian;");
    assert_eq!(text.trim(), "kumuh_ringan|kegiatan K1 segmen S2");
    let hasil: Value =
        serde_json::from_str(&sqlite3(&path, "SELECT hasil FROM penilaian;")).unwrap();
    assert_eq!(hasil, with_masukan());
    assert_eq!(read_all(&path).await.unwrap(), [record]);
}

async fn corrupt_field(kelas: &str, hasil: &Value, dasar: Option<&str>) -> &'static str {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.gpkg");
    new_store(&path).await.close().await;
    insert_row(&path, 2018, kelas, hasil, dasar);
    match read_all(&path).await {
        Err(StoreError::Corrupt {
            table, fid, field, ..
        }) => {
            assert_eq!((table.as_str(), fid), ("penilaian", 1));
            field
        }
        other => panic!("expected a corrupt row, got {other:?}"),
    }
}

#[tokio::test]
async fn a_row_with_an_unknown_class_basis_or_survey_names_its_field() {
    assert_eq!(
        corrupt_field("kumuh_parah", &with_masukan(), None).await,
        "kelas"
    );
    assert_eq!(
        corrupt_field("kumuh_ringan", &with_masukan(), Some("kunjungan")).await,
        "dasar"
    );
    let mut bad = rest_json();
    bad.as_object_mut()
        .unwrap()
        .insert("masukan".into(), json!({"kode_lokasi": 7}));
    assert_eq!(
        corrupt_field("kumuh_ringan", &bad, None).await,
        "hasil.masukan"
    );
}

#[tokio::test]
async fn a_row_whose_result_does_not_read_names_it() {
    let check = |key: &'static str, value: Option<Value>| async move {
        let mut bad = with_masukan();
        let obj = bad.as_object_mut().unwrap();
        match value {
            Some(v) => obj.insert(key.into(), v),
            None => obj.remove(key),
        };
        assert_eq!(
            corrupt_field("kumuh_ringan", &bad, None).await,
            "hasil",
            "{key}"
        );
    };
    check("class", Some(json!("kumuh_parah"))).await;
    check("criteria", Some(json!({"1a": {"volume": "sepuluh"}}))).await;
    check("contoh", Some(json!("ya"))).await;
    check("aspects", None).await;
    assert_eq!(
        corrupt_field("kumuh_ringan", &json!([1, 2]), None).await,
        "hasil"
    );
    assert_eq!(
        corrupt_field("kumuh_ringan", &json!("{"), None).await,
        "hasil"
    );
}
