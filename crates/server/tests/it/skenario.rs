//! Budget scenarios through the HTTP API on a real GeoPackage store: three planned road
//! works on three surveyed slum locations of Bibrik, where the best value for money
//! first is not the best set.

use axum::http::{Method, StatusCode};
use geo_types::{LineString, MultiPolygon, Polygon};
use kumuh_domain::assessment::AssessmentInput;
use kumuh_domain::{Kode, LokasiKumuh, Role};
use serde_json::{Value, json};

use crate::common;
use common::{Fixture, fixture};

const BIBRIK: &str = "35.19.09.2014";

/// A square of `side_m` metres at Bibrik's latitude.
fn square(x0: f64, side_m: f64) -> MultiPolygon<f64> {
    let lat = -7.575_f64;
    let dlat = side_m / 110_574.0;
    let dlon = side_m / (111_320.0 * lat.to_radians().cos());
    let ring = LineString::from(vec![
        (x0, lat),
        (x0 + dlon, lat),
        (x0 + dlon, lat + dlat),
        (x0, lat + dlat),
        (x0, lat),
    ]);
    MultiPolygon(vec![Polygon::new(ring, vec![])])
}

/// Three locations, each kumuh ringan (16 points) with 400 m of damaged road; LA is
/// about 6.6 ha, LB and LC about 5 ha.
async fn seed_locations(f: &Fixture) {
    let mut lokasi = Vec::new();
    let mut records = Vec::new();
    for (i, (kode, side)) in [("LA", 257.0), ("LB", 224.0), ("LC", 224.0)]
        .into_iter()
        .enumerate()
    {
        let geometry = square(111.49 + 0.004 * i as f64, side);
        let l = LokasiKumuh {
            kode: kode.into(),
            nama: format!("Lokasi {kode}"),
            kode_desa: Kode::parse(BIBRIK).unwrap(),
            kawasan: None,
            rt: vec![],
            sk: None,
            geometry,
            attributes: Default::default(),
        };
        let luas_ha = l.area_ha();
        let mut m = AssessmentInput::new(kode, Kode::parse(BIBRIK).unwrap(), 2024);
        m.nama_lokasi = l.nama.clone();
        m.luas_ha = luas_ha;
        m.jumlah_bangunan = 100;
        m.jumlah_kk = 100;
        m.jumlah_penduduk = 400;
        m.panjang_jalan_ideal_m = 400.0;
        m.panjang_drainase_ideal_m = 400.0;
        for (c, v) in [
            ("2b", 400.0),
            ("3a", 100.0),
            ("5a", 100.0),
            ("1b", luas_ha * 0.3),
        ] {
            m.volumes.insert(c.into(), v);
        }
        let record = common::survey_record(m);
        assert_eq!(record.total, 16, "{kode}");
        records.push(record);
        lokasi.push(l);
    }
    f.store.upsert_lokasi(&lokasi).await.unwrap();
    f.store.upsert_assessments(&records).await.unwrap();
}

/// A planned road work paving the 400 m of one location, at an estimated cost.
async fn plan_road(f: &Fixture, token: &str, id: &str, lokasi: &str, biaya: i64) {
    let (s, b) = f
        .call(
            Method::POST,
            "/api/kegiatan",
            Some(token),
            Some(json!({
                "id": id, "nama": format!("Jalan {lokasi}"), "jenis": "jalan_paving",
                "kode_desa": BIBRIK, "tahun": 2025,
                "pelaksana": {"jenis": "lkm", "nama": "Makmur Sentosa"}
            })),
        )
        .await;
    assert!(s.is_success(), "{s} {b}");
    let (s, b) = f
        .call(
            Method::POST,
            &format!("/api/kegiatan/{id}/segmen"),
            Some(token),
            Some(json!({
                "id": "S1", "nama": "Paving 400 m", "satuan": "m", "volume_rencana": 400,
                "geometry": {"type": "LineString",
                             "coordinates": [[111.4935, -7.5753], [111.4972, -7.5753]]},
                "kriteria": ["2b"], "kode_lokasi": lokasi, "perkiraan_biaya_rp": biaya
            })),
        )
        .await;
    assert!(s.is_success(), "{s} {b}");
}

async fn scenario() -> (Fixture, String) {
    let f = fixture().await;
    seed_locations(&f).await;
    let admin = f.token_for("ana", Role::Admin).await;
    plan_road(&f, &admin, "jalan-a", "LA", 60_000_000).await;
    plan_road(&f, &admin, "jalan-b", "LB", 50_000_000).await;
    plan_road(&f, &admin, "jalan-c", "LC", 50_000_000).await;
    let viewer = f.token_for("vera", Role::Viewer).await;
    (f, viewer)
}

#[tokio::test]
async fn the_optimal_set_beats_the_best_value_for_money_first() {
    let (f, viewer) = scenario().await;
    let (s, b) = f
        .call(
            Method::POST,
            "/api/skenario",
            Some(&viewer),
            Some(json!({"wilayah": BIBRIK, "anggaran_rp": 100_000_000})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["terpilih"], json!(["jalan-b", "jalan-c"]), "{b}");
    assert_eq!(b["optimal"], json!(true));
    assert_eq!(b["biaya_rp"], json!(100_000_000));
    let out = b["luas_keluar_kumuh_ha"].as_f64().unwrap();
    assert!((out - 10.0).abs() < 0.1, "{out}");
    let lb = b["per_lokasi"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kode_lokasi"] == "LB")
        .unwrap();
    assert_eq!(lb["kelas_sebelum"], "kumuh_ringan");
    assert_eq!(lb["kelas_sesudah"], "tidak_kumuh");
    // Names as well as codes, for people reading the answer.
    assert_eq!(lb["nama_lokasi"], "Lokasi LB", "{b}");
    assert_eq!(b["rincian"][0]["nama"], "Jalan LB", "{b}");
    // The estimated cost is part of the stored segment.
    let (_, k) = f.get("/api/kegiatan/jalan-a").await;
    assert_eq!(
        k["kegiatan"]["segmen"][0]["perkiraan_biaya_rp"],
        json!(60_000_000),
        "{k}"
    );
}

#[tokio::test]
async fn a_scenario_is_for_signed_in_users_and_writes_nothing() {
    let (f, viewer) = scenario().await;
    let body = json!({"wilayah": BIBRIK, "anggaran_rp": 100_000_000});
    let (s, _) = f
        .call(Method::POST, "/api/skenario", None, Some(body.clone()))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (_, before) = f.get("/api/audit").await;
    let (s, _) = f
        .call(Method::POST, "/api/skenario", Some(&viewer), Some(body))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, after) = f.get("/api/audit").await;
    assert_eq!(before, after);
}

#[tokio::test]
async fn bad_envelopes_and_candidates_are_refused_naming_the_field() {
    let (f, viewer) = scenario().await;
    for (body, field) in [
        (json!({"wilayah": BIBRIK}), "anggaran_rp"),
        (
            json!({"wilayah": BIBRIK, "anggaran_rp": 1, "anggaran": {"apbn": 1}}),
            "anggaran_rp",
        ),
        (json!({"wilayah": BIBRIK, "anggaran_rp": -5}), "anggaran_rp"),
        (
            json!({"wilayah": BIBRIK, "anggaran": {"apbn": i64::MAX, "csr": i64::MAX}}),
            "anggaran.apbn",
        ),
        (
            json!({"wilayah": BIBRIK, "anggaran": {"apbd_desa": 5}}),
            "anggaran.apbd_desa",
        ),
        (
            json!({"wilayah": BIBRIK, "anggaran_rp": 5, "kandidat": ["tidak-ada"]}),
            "kandidat",
        ),
        (
            json!({"wilayah": BIBRIK, "anggaran_rp": 5, "tujuan": "paling_murah"}),
            "tujuan",
        ),
    ] {
        let (s, b) = f
            .call(
                Method::POST,
                "/api/skenario",
                Some(&viewer),
                Some(body.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {b}");
        assert!(b.to_string().contains(field), "{body}: {b}");
    }
}

#[tokio::test]
async fn per_source_envelopes_pay_each_chosen_work_in_full() {
    let (f, viewer) = scenario().await;
    let (s, b) = f
        .call(
            Method::POST,
            "/api/skenario",
            Some(&viewer),
            Some(json!({"wilayah": BIBRIK,
                        "anggaran": {"apbd_kabupaten": 60_000_000, "dana_desa": 50_000_000}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let rincian = b["rincian"].as_array().unwrap();
    assert_eq!(rincian.len(), 2, "{b}");
    for r in rincian {
        let paid: i64 = r["sumber"]
            .as_object()
            .unwrap()
            .values()
            .map(|v: &Value| v.as_i64().unwrap())
            .sum();
        assert_eq!(paid, r["biaya_rp"].as_i64().unwrap(), "{r}");
    }
}

#[tokio::test]
async fn the_scenario_downloads_as_a_workbook() {
    let (f, viewer) = scenario().await;
    let (s, headers, b) = f
        .call_full(
            Method::POST,
            "/api/skenario?format=xlsx",
            Some(&viewer),
            &[],
            Some(json!({"wilayah": BIBRIK, "anggaran_rp": 100_000_000})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml"),
        "{headers:?}"
    );
    assert!(b.as_str().unwrap().starts_with("PK"), "not a zip file");
}
