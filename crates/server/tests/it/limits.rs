//! What one request may send and ask for: bounded texts and amounts, paged audit reads,
//! and place edits that are audited like every other write.

use axum::http::{Method, StatusCode};
use kumuh_domain::Role;
use serde_json::{Value, json};

use crate::common;
use common::{fixture, fixture_with_bibrik_work};

const WORK: &str = "/api/kegiatan/contoh-35.19.09.2014-2018-paving";

fn square(lon: f64, lat: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]]})
}

fn message(b: &Value) -> &str {
    b["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_place_edit_is_audited_and_a_parent_with_children_stays() {
    let f = fixture().await;
    let admin = f.token_for("ana", Role::Admin).await;
    let (s, b) = f
        .call(
            Method::PUT,
            "/api/places/35.19.09.2014",
            Some(&admin),
            Some(json!({"nama": "Bibrik", "geometry": square(111.49, -7.58)})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, lines) = f
        .call(
            Method::GET,
            "/api/audit?kunci=35.19.09.2014",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{lines}");
    let lines = lines.as_array().unwrap();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["pengguna"], "ana");
    assert_eq!(lines[0]["entitas"], "wilayah");

    // Kecamatan Jiwan has its fourteen desa below it.
    let (s, b) = f
        .call(Method::DELETE, "/api/places/35.19.09", Some(&admin), None)
        .await;
    assert_eq!(
        (s, b["code"].as_str()),
        (StatusCode::CONFLICT, Some("has_children")),
        "{b}"
    );
    let (s, _) = f.get("/api/places/35.19.09").await;
    assert_eq!(s, StatusCode::OK);

    let (s, b) = f
        .call(
            Method::DELETE,
            "/api/places/35.19.09.2014",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    let (_, lines) = f
        .call(
            Method::GET,
            "/api/audit?kunci=35.19.09.2014",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(lines[0]["aksi"], "hapus", "{lines}");
    assert_eq!(lines[0]["pengguna"], "ana", "{lines}");
}

#[tokio::test]
async fn an_amount_beyond_one_entry_is_refused_and_reports_still_add_up() {
    let f = fixture_with_bibrik_work().await;
    let admin = f.token_for("ana", Role::Admin).await;
    for jumlah in [
        json!(9_223_372_036_854_775_807i64),
        json!(10_000_000_000_001i64),
    ] {
        let (s, b) = f
            .call(
                Method::POST,
                &format!("{WORK}/segmen/S1/alokasi"),
                Some(&admin),
                Some(json!({"sumber": "apbd_kabupaten", "tahun_anggaran": 2018, "jumlah": jumlah})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(message(&b).starts_with("jumlah: "), "{b}");
        assert!(message(&b).contains("Rp 10.000.000.000.000"), "{b}");
    }
    let (s, b) = f
        .call(
            Method::POST,
            &format!("{WORK}/segmen/S1/alokasi"),
            Some(&admin),
            Some(json!({"sumber": "apbd_kabupaten", "tahun_anggaran": 2018,
                        "jumlah": 10_000_000_000_000i64})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = f.get("/api/laporan/pendanaan?wilayah=35.19.09").await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

#[tokio::test]
async fn texts_are_bounded_naming_the_field_and_the_limit() {
    let f = fixture_with_bibrik_work().await;
    let admin = f.token_for("ana", Role::Admin).await;
    let cases = [
        (
            json!({"keterangan": "x".repeat(10_001)}),
            "keterangan: is 10001 characters long; at most 10000",
        ),
        (
            json!({"keterangan": "x".repeat(10 * 1024 * 1024 / 2)}),
            "keterangan: is 5242880 characters",
        ),
        (
            json!({"nama": "x".repeat(201)}),
            "nama: is 201 characters long; at most 200",
        ),
        (
            json!({"keterangan": "baris\u{0}"}),
            "keterangan: holds the control character U+0000",
        ),
    ];
    for (body, expected) in cases {
        let (s, b) = f.call(Method::PATCH, WORK, Some(&admin), Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(message(&b).contains(expected), "{b}");
    }
    let (s, b) = f
        .call(
            Method::PATCH,
            WORK,
            Some(&admin),
            Some(json!({"keterangan": "baris 1\n\tbaris 2 ".repeat(500)})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");

    let (s, b) = f
        .call(
            Method::PUT,
            "/api/places/35.19.09.2014",
            Some(&admin),
            Some(json!({"nama": "B".repeat(201), "geometry": square(111.49, -7.58)})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(message(&b).contains("nama: is 201 characters"), "{b}");
}

#[tokio::test]
async fn the_audit_log_is_read_in_bounded_pages() {
    let f = fixture_with_bibrik_work().await;
    let admin = f.token_for("ana", Role::Admin).await;
    for i in 0..5 {
        let (s, b) = f
            .call(
                Method::PATCH,
                WORK,
                Some(&admin),
                Some(json!({"keterangan": format!("catatan {i}")})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    let (_, all) = f.get("/api/audit").await;
    let all = all.as_array().unwrap().clone();
    assert!(all.len() >= 5, "{all:?}");
    let (_, page) = f.get("/api/audit?limit=2").await;
    let page = page.as_array().unwrap();
    assert_eq!(page.as_slice(), &all[..2]);
    let cursor = page[1]["id"].as_i64().unwrap();
    let (_, next) = f.get(&format!("/api/audit?limit=2&sebelum={cursor}")).await;
    assert_eq!(next.as_array().unwrap().as_slice(), &all[2..4]);
    for bad in ["limit=0", "limit=1001"] {
        let (s, b) = f.get(&format!("/api/audit?{bad}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    }
    let (s, _) = f.get("/api/audit?limit=1000").await;
    assert_eq!(s, StatusCode::OK);
}

/// Sets every known amount in the segments' ledgers to `i64::MAX`.
fn near_max(v: &mut Value) {
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                if k == "jumlah" && x.is_i64() {
                    *x = json!(i64::MAX);
                } else {
                    near_max(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(near_max),
        _ => {}
    }
}

#[tokio::test]
async fn a_report_over_stored_amounts_near_i64_max_still_answers() {
    let f = common::fixture().await;
    // Two works whose amounts were stored before the entry cap, through the store's
    // own write path: their sum is beyond 64 bits.
    for id in ["lama-1", "lama-2"] {
        let mut v = serde_json::to_value(kumuh_domain::works::contoh::bibrik_paving()).unwrap();
        v["id"] = json!(id);
        near_max(&mut v["segmen"]);
        let k: kumuh_domain::works::Kegiatan = serde_json::from_value(v).unwrap();
        kumuh_store::Store::save_kegiatan(f.store.as_ref(), &kumuh_store::KegiatanWrite::new(&k))
            .await
            .unwrap();
    }
    let twice = (2 * i128::from(i64::MAX)).to_string();
    let (s, b) = f.get("/api/laporan/pendanaan").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        b["total"]["alokasi"]["diketahui_rp"].to_string(),
        twice,
        "{b}"
    );
    assert_eq!(b["total"]["realisasi_rp"].to_string(), twice, "{b}");
    for format in ["csv", "xlsx"] {
        let (s, b) = f
            .get(&format!("/api/laporan/pendanaan?format={format}"))
            .await;
        assert_eq!(s, StatusCode::OK, "{format}: {b}");
    }
}
