//! Siteplans through the HTTP API: versions and restore, stale versions, bad features,
//! features outside the desa, exports read back by GDAL, and every write endpoint
//! (siteplans, works, ledgers) tried by every role.

use axum::http::{Method, StatusCode};
use kumuh_domain::Role;
use serde_json::{Value, json};

use crate::common;
use common::{Fixture, fixture};

const BIBRIK: &str = "35.19.09.2014";
const WAYUT: &str = "35.19.09.2009";

fn garden(lon: f64, lat: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.0002, lat],
        [lon + 0.0002, lat + 0.0002], [lon, lat + 0.0002], [lon, lat]]]})
}

fn fc(features: Vec<Value>) -> Value {
    json!({"type": "FeatureCollection", "features": features})
}

fn feature(id: &str, kategori: &str, geometry: Value) -> Value {
    json!({"type": "Feature", "properties": {"id": id, "kategori": kategori, "label": id},
           "geometry": geometry})
}

async fn create(f: &Fixture, token: &str, id: &str, desa: &str, lon: f64, lat: f64) -> Value {
    let (s, b) = f
        .call(
            Method::POST,
            "/api/siteplan",
            Some(token),
            Some(
                json!({"id": id, "kode_desa": desa, "judul": "Rencana tapak",
                        "fitur": fc(vec![feature("T1", "taman", garden(lon, lat))])}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    b
}

#[tokio::test]
async fn versions_are_kept_and_a_restore_is_a_new_recorded_version() {
    let f = fixture().await;
    let lkm = f.token_for_lkm("makmur", &[BIBRIK]).await;
    let b = create(&f, &lkm, "SP-1", BIBRIK, 111.4940, -7.5760).await;
    assert_eq!(b["versi"], 1);
    assert!(b["fitur"]["features"][0]["properties"]["ukuran"]["area_m2"].as_f64() > Some(400.0));

    // Version 2 adds a road; version 3 is a restore of version 1.
    let road =
        json!({"type": "LineString", "coordinates": [[111.4935, -7.5753], [111.49504, -7.5753]]});
    let (s, b) = f
        .call(
            Method::PUT,
            "/api/siteplan/SP-1/fitur",
            Some(&lkm),
            Some(
                json!({"versi": 1, "catatan": "jalan ditambah", "fitur": fc(vec![
                    feature("T1", "taman", garden(111.4940, -7.5760)),
                    feature("J1", "jalan", road),
                ])}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["versi"], 2);
    let (s, b) = f
        .call(
            Method::PUT,
            "/api/siteplan/SP-1/fitur",
            Some(&lkm),
            Some(json!({"versi": 1, "fitur": fc(vec![])})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert_eq!(b["code"], "stale_version");
    let (s, b) = f
        .call(
            Method::POST,
            "/api/siteplan/SP-1/pulihkan",
            Some(&lkm),
            Some(json!({"dari": 1, "versi": 2, "catatan": "kembali ke rencana awal"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["versi"], 3);
    assert_eq!(b["fitur"]["features"].as_array().unwrap().len(), 1);
    assert_eq!(b["riwayat"][2]["dipulihkan_dari"], 1);
    assert_eq!(b["riwayat"][2]["dibuat_oleh"], "makmur");
    let (_, v2) = f.get("/api/siteplan/SP-1?versi=2").await;
    assert_eq!(
        v2["fitur"]["features"].as_array().unwrap().len(),
        2,
        "version 2 is kept"
    );
    let (_, log) = f.get("/api/audit?kunci=SP-1").await;
    let aksi: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["aksi"].as_str().unwrap())
        .collect();
    assert_eq!(aksi, ["pulihkan", "simpan", "buat"]);

    // Proposed plans are frozen until set back to draft.
    let (s, b) = f
        .call(
            Method::PATCH,
            "/api/siteplan/SP-1",
            Some(&lkm),
            Some(json!({"versi": 3, "status": "diusulkan"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = f
        .call(
            Method::PUT,
            "/api/siteplan/SP-1/fitur",
            Some(&lkm),
            Some(json!({"versi": 3, "fitur": fc(vec![])})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["message"].as_str().unwrap().contains("draf"), "{b}");
}

#[tokio::test]
async fn bad_features_are_refused_with_where_and_outside_ones_warned() {
    let f = fixture().await;
    let admin = f.token_for("ana", Role::Admin).await;
    create(&f, &admin, "SP-2", BIBRIK, 111.4940, -7.5760).await;
    let put = |fitur: Value| {
        let admin = admin.clone();
        let f = &f;
        async move {
            f.call(
                Method::PUT,
                "/api/siteplan/SP-2/fitur",
                Some(&admin),
                Some(json!({"versi": 1, "fitur": fitur})),
            )
            .await
        }
    };
    let bow = json!({"type": "Polygon", "coordinates": [[[111.494, -7.576], [111.495, -7.575],
        [111.495, -7.576], [111.494, -7.575], [111.494, -7.576]]]});
    let (s, b) = put(fc(vec![feature("K1", "kolam_lele", bow)])).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let m = b["message"].as_str().unwrap();
    assert!(
        m.contains("K1") && m.contains("111.4945") && m.contains("-7.5755"),
        "{m}"
    );
    let (s, b) = put(fc(vec![feature("X1", "helipad", garden(111.494, -7.576))])).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["message"].as_str().unwrap().contains("helipad"), "{b}");
    let point = json!({"type": "Point", "coordinates": [111.494, -7.576]});
    let (s, b) = put(fc(vec![feature("B1", "batas_kawasan", point)])).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (s, b) = put(json!({"type": "Feature"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    // Outside Bibrik: saved, with a warning naming the feature.
    let (s, b) = put(fc(vec![feature("T9", "taman", garden(111.40, -7.60))])).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["di_luar_desa"][0]["id"], "T9", "{b}");
    let (_, after) = f.get("/api/siteplan/SP-2").await;
    assert_eq!(after["versi"], 2, "the refused saves wrote nothing");
}

#[tokio::test]
async fn exports_open_in_gdal() {
    let f = fixture().await;
    let admin = f.token_for("ana", Role::Admin).await;
    create(&f, &admin, "SP-3", BIBRIK, 111.4940, -7.5760).await;
    let dir = tempfile::tempdir().unwrap();
    let (s, _, body) = f
        .call_full(Method::GET, "/api/siteplan/SP-3/geojson", None, &[], None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let path = dir.path().join("sp.geojson");
    std::fs::write(&path, body.to_string()).unwrap();
    let out = std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-q"])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("kategori (String) = taman"), "{text}");

    let url = format!("{}/api/siteplan/SP-3/gpkg", f.serve().await);
    let bytes = reqwest::get(url).await.unwrap().bytes().await.unwrap();
    let gpkg = dir.path().join("sp.gpkg");
    std::fs::write(&gpkg, &bytes).unwrap();
    let out = std::process::Command::new("ogrinfo")
        .args(["-ro", "-q"])
        .arg(&gpkg)
        .args(["siteplan_fitur", "-al"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("fitur_id (String) = T1"), "{text}");
    assert!(text.contains("POLYGON ((111.494 -7.576"), "{text}");
}

/// Every write endpoint for every role: the LKM of Bibrik writes Bibrik only; the
/// district writes works anywhere but no siteplan; viewers nothing; anonymous 401.
#[tokio::test]
async fn every_write_endpoint_for_every_role() {
    let f = fixture().await;
    let admin = f.token_for("ana", Role::Admin).await;
    let kab = f.token_for("bappeda", Role::Kabupaten).await;
    let lkm = f.token_for_lkm("makmur", &[BIBRIK]).await;
    let viewer = f.token_for("tamu", Role::Viewer).await;
    // Wayut's plan and work, made by the admin.
    create(&f, &admin, "SP-WAYUT", WAYUT, 111.5120, -7.5970).await;
    create(&f, &admin, "SP-BIBRIK", BIBRIK, 111.4940, -7.5760).await;
    for (id, desa) in [("K-WAYUT", WAYUT), ("K-BIBRIK", BIBRIK)] {
        let (s, b) = f
            .call(
                Method::POST,
                "/api/kegiatan",
                Some(&admin),
                Some(json!({
                "id": id, "nama": "Drainase", "jenis": "drainase", "kode_desa": desa,
                "tahun": 2024, "pelaksana": {"jenis": "ksm", "nama": "Maju"}})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let lon = if desa == WAYUT { 111.5120 } else { 111.4940 };
        let lat = if desa == WAYUT { -7.5970 } else { -7.5760 };
        let (s, b) = f
            .call(Method::POST, &format!("/api/kegiatan/{id}/segmen"), Some(&admin), Some(json!({
                "id": "S1", "nama": "Saluran", "satuan": "m",
                "geometry": {"type": "LineString", "coordinates": [[lon, lat], [lon + 0.001, lat]]}})))
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, b) = f
            .call(Method::PUT, &format!("/api/kegiatan/{id}/kpp"), Some(&admin), Some(json!({
                "nama": "KPP", "aturan_iuran": {"per_kk": 5000, "jadwal": {"mingguan": {"hari": "jumat"}}}})))
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }

    // (method, path for desa X, body); X is replaced by WAYUT or BIBRIK ids.
    let writes: Vec<(Method, &str, Value)> = vec![
        (
            Method::PUT,
            "/api/siteplan/SP-X/fitur",
            json!({"versi": 0, "fitur": fc(vec![])}),
        ),
        (
            Method::POST,
            "/api/siteplan/SP-X/pulihkan",
            json!({"dari": 1, "versi": 0}),
        ),
        (
            Method::PATCH,
            "/api/siteplan/SP-X",
            json!({"versi": 0, "judul": "Baru"}),
        ),
        (
            Method::PATCH,
            "/api/kegiatan/K-X",
            json!({"keterangan": "x"}),
        ),
        (
            Method::POST,
            "/api/kegiatan/K-X/segmen",
            json!({"nama": "T", "satuan": "unit",
            "geometry": {"type": "Point", "coordinates": [111.5, -7.59]}}),
        ),
        (
            Method::PATCH,
            "/api/kegiatan/K-X/segmen/S1",
            json!({"keterangan": "x"}),
        ),
        (
            Method::POST,
            "/api/kegiatan/K-X/segmen/S1/alokasi",
            json!({"sumber": "swadaya", "jumlah": null}),
        ),
        (
            Method::POST,
            "/api/kegiatan/K-X/segmen/S1/progres",
            json!({"volume": 1, "tanggal": "2024-05-01"}),
        ),
        (
            Method::PUT,
            "/api/kegiatan/K-X/kpp",
            json!({"nama": "KPP", "aturan_iuran": {"per_kk": 5000, "jadwal": {"mingguan": {"hari": "jumat"}}}}),
        ),
        (
            Method::POST,
            "/api/kegiatan/K-X/kpp/iuran",
            json!({"tanggal": "2024-05-03", "jumlah": 150000}),
        ),
        (
            Method::POST,
            "/api/kegiatan/K-X/kpp/belanja",
            json!({"tanggal": "2024-05-04", "jumlah": 1000, "uraian": "cat"}),
        ),
    ];
    let forbidden = StatusCode::FORBIDDEN;
    for (method, template, body) in &writes {
        let siteplan = template.starts_with("/api/siteplan");
        for (who, token) in [
            ("anonymous", None),
            ("viewer", Some(viewer.as_str())),
            ("lkm", Some(lkm.as_str())),
            ("kabupaten", Some(kab.as_str())),
        ] {
            for desa in ["WAYUT", "BIBRIK"] {
                let path = template.replace('X', desa);
                // Siteplan writes name the current version, read first.
                let mut body = body.clone();
                if siteplan && body.get("versi").is_some() {
                    let (_, cur) = f.get(&format!("/api/siteplan/SP-{desa}")).await;
                    body["versi"] = cur["versi"].clone();
                }
                let (s, b) = f.call(method.clone(), &path, token, Some(body)).await;
                let expected_denied = match (who, desa, siteplan) {
                    ("anonymous", _, _) => Some(StatusCode::UNAUTHORIZED),
                    ("viewer", _, _) => Some(forbidden),
                    ("lkm", "WAYUT", _) => Some(forbidden),
                    ("kabupaten", _, true) => Some(forbidden),
                    _ => None,
                };
                match expected_denied {
                    Some(code) => assert_eq!(s, code, "{who} {method} {path}: {b}"),
                    None => assert!(
                        s.is_success() || s == StatusCode::UNPROCESSABLE_ENTITY,
                        "{who} {method} {path} should be allowed: {s} {b}"
                    ),
                }
            }
        }
    }
    // Creating in another desa is refused as well.
    let (s, _) = f
        .call(
            Method::POST,
            "/api/siteplan",
            Some(&lkm),
            Some(json!({"kode_desa": WAYUT, "judul": "X"})),
        )
        .await;
    assert_eq!(s, forbidden);
    let (s, _) = f
        .call(
            Method::POST,
            "/api/siteplan",
            None,
            Some(json!({"kode_desa": BIBRIK, "judul": "X"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Wayut's plan is untouched by anyone but the admin.
    let (_, w) = f.get("/api/siteplan/SP-WAYUT").await;
    assert_eq!(w["judul"], "Rencana tapak");
    assert_eq!(w["versi"], 1);
}

/// The ETag of a siteplan answer, checked against the body's `revisi`.
fn etag_of(h: &axum::http::HeaderMap, b: &Value) -> String {
    let etag = h["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, format!("\"{}\"", b["revisi"]), "{b}");
    etag
}

#[tokio::test]
async fn siteplan_changes_round_trip_the_etag_as_if_match() {
    let f = fixture().await;
    let lkm = f.token_for_lkm("makmur", &[BIBRIK]).await;
    create(&f, &lkm, "SP-E", BIBRIK, 111.4940, -7.5760).await;
    let (s, h, b) = f
        .call_full(Method::GET, "/api/siteplan/SP-E", None, &[], None)
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let read = etag_of(&h, &b);

    // A change with only If-Match (no `versi` in the body) lands and answers a new ETag.
    let (s, h, b) = f
        .call_full(
            Method::PATCH,
            "/api/siteplan/SP-E",
            Some(&lkm),
            &[("if-match", &read)],
            Some(json!({"judul": "Rencana tapak wisata"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["judul"], "Rencana tapak wisata");
    let after_patch = etag_of(&h, &b);
    assert_ne!(after_patch, read);

    // That ETag carries the next change: a new version of the features.
    let (s, h, b) = f
        .call_full(
            Method::PUT,
            "/api/siteplan/SP-E/fitur",
            Some(&lkm),
            &[("if-match", &after_patch)],
            Some(json!({"fitur": fc(vec![feature("T2", "taman", garden(111.4941, -7.5761))])})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["versi"], 2);
    let after_save = etag_of(&h, &b);

    // And a restore, with the weak form of the ETag.
    let (s, _, b) = f
        .call_full(
            Method::POST,
            "/api/siteplan/SP-E/pulihkan",
            Some(&lkm),
            &[("if-match", &format!("W/{after_save}"))],
            Some(json!({"dari": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["versi"], 3);
    assert_eq!(b["riwayat"][2]["dipulihkan_dari"], 1);
}

#[tokio::test]
async fn a_siteplan_saved_with_a_stale_if_match_is_refused_with_the_current_revision() {
    let f = fixture().await;
    let lkm = f.token_for_lkm("makmur", &[BIBRIK]).await;
    let b = create(&f, &lkm, "SP-S", BIBRIK, 111.4940, -7.5760).await;
    let first = format!("\"{}\"", b["revisi"]);

    // Someone else changes the title: the features' version stays 1, the revision moves.
    let (s, b) = f
        .call(
            Method::PATCH,
            "/api/siteplan/SP-S",
            Some(&lkm),
            Some(json!({"versi": 1, "status": "diusulkan"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let current = b["revisi"].as_i64().unwrap();

    // A save made on the first revision is refused, naming both, and writes nothing.
    let (s, _, b) = f
        .call_full(
            Method::PUT,
            "/api/siteplan/SP-S/fitur",
            Some(&lkm),
            &[("if-match", &first)],
            Some(json!({"fitur": fc(vec![])})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert_eq!(b["code"], "stale_version");
    let message = b["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("it is now at version {current}")),
        "{message}"
    );
    let (_, b) = f.get("/api/siteplan/SP-S").await;
    assert_eq!(b["versi"], 1);
    assert_eq!(b["revisi"], current);
    assert_eq!(b["status"], "diusulkan");

    // A current If-Match with a stale `versi` in the body is refused too.
    let (s, _, b) = f
        .call_full(
            Method::PATCH,
            "/api/siteplan/SP-S",
            Some(&lkm),
            &[("if-match", &format!("\"{current}\""))],
            Some(json!({"versi": 7, "judul": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert_eq!(b["code"], "stale_version");

    // Neither If-Match nor `versi`: the change does not say what it was read at.
    let (s, b) = f
        .call(
            Method::PATCH,
            "/api/siteplan/SP-S",
            Some(&lkm),
            Some(json!({"judul": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .starts_with("versi: is required"),
        "{b}"
    );
}
