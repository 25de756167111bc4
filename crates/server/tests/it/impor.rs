//! `POST /api/impor/pratinjau` and `POST /api/impor`: a GIS file as the request body, for
//! kabupaten and admin users; the upload limit; a zipped Shapefile in UTM 49S (made with
//! GDAL's `ogr2ogr` at test time) previewed with the suggested mapping and imported, with
//! the audit line naming the file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use kumuh_domain::Role;
use kumuh_server::Config;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::common;
use crate::gdal;
use common::{Fixture, fixture};
use gdal::ogr2ogr;

/// Sends `body` as the file to `uri`; answers status and JSON.
async fn send(f: &Fixture, uri: &str, token: Option<&str>, body: Vec<u8>) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/octet-stream");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let res = kumuh_server::app(f.state.clone())
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Two desa of Kecamatan Jiwan as a GeoJSON file in EPSG:4326.
fn two_desa() -> Vec<u8> {
    let square = |x: f64| json!({"type": "Polygon", "coordinates": [[[x, -7.6], [x + 0.01, -7.6], [x + 0.01, -7.59], [x, -7.59], [x, -7.6]]]});
    json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kode": "35.19.09.2101", "nama": "Satu"}, "geometry": square(111.45)},
        {"type": "Feature", "properties": {"kode": "35.19.09.2102", "nama": "Dua"}, "geometry": square(111.47)},
    ]})
    .to_string()
    .into_bytes()
}

const PREVIEW: &str = "/api/impor/pratinjau?berkas=desa.geojson&level=desa";

#[tokio::test]
async fn only_the_kabupaten_and_admins_send_files() {
    let f = fixture().await;
    let (s, b) = send(&f, PREVIEW, None, two_desa()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
    let lkm = f.token_for_lkm("makmur", &["35.19.09.2014"]).await;
    let (s, b) = send(&f, PREVIEW, Some(&lkm), two_desa()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    assert_eq!(b["code"], "forbidden");
    let viewer = f.token_for("tamu", Role::Viewer).await;
    let (s, _) = send(
        &f,
        "/api/impor?berkas=desa.geojson&level=desa",
        Some(&viewer),
        two_desa(),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let kab = f.token_for("perencana", Role::Kabupaten).await;
    let (s, b) = send(&f, PREVIEW, Some(&kab), two_desa()).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        b["jumlah"],
        json!({"dibaca": 2, "diimpor": 2, "dilewati": 0})
    );
    let admin = f.token_for("ana", Role::Admin).await;
    let (s, b) = send(&f, PREVIEW, Some(&admin), two_desa()).await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

#[tokio::test]
async fn a_file_over_the_upload_limit_is_a_413_naming_the_limit() {
    let mut f = fixture().await;
    f.state.config = Arc::new(Config {
        max_upload_bytes: 100,
        ..Config::default()
    });
    let kab = f.token_for("perencana", Role::Kabupaten).await;
    let (s, b) = send(&f, PREVIEW, Some(&kab), two_desa()).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{b}");
    assert_eq!(b["code"], "payload_too_large");
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .contains("upload limit of 100 bytes"),
        "{b}"
    );
    // A file announced larger is refused by its Content-Length, before it is read (this
    // small body would pass).
    let req = Request::builder()
        .method(Method::POST)
        .uri(PREVIEW)
        .header(header::AUTHORIZATION, format!("Bearer {kab}"))
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header(header::CONTENT_LENGTH, "1000000")
        .body(Body::from(b"{}".to_vec()))
        .unwrap();
    let res = kumuh_server::app(f.state.clone())
        .oneshot(req)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // The request body limit of other routes does not apply: only the upload limit does.
    f.state.config = Arc::new(Config {
        max_body_bytes: 100,
        ..Config::default()
    });
    let (s, b) = send(&f, PREVIEW, Some(&kab), two_desa()).await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

#[tokio::test]
async fn bad_parameters_and_problems_are_named() {
    let f = fixture().await;
    let kab = f.token_for("perencana", Role::Kabupaten).await;
    let (s, b) = send(
        &f,
        "/api/impor/pratinjau?berkas=x.geojson&level=kota",
        Some(&kab),
        two_desa(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["message"].as_str().unwrap().starts_with("level: "), "{b}");
    let (s, b) = send(
        &f,
        "/api/impor/pratinjau?berkas=x.geojson&level=desa&crs=EPSG:3857",
        Some(&kab),
        two_desa(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["message"].as_str().unwrap().starts_with("crs: "), "{b}");
    // A feature without a name: the import refuses the file, naming feature and field.
    let mut fc: Value = serde_json::from_slice(&two_desa()).unwrap();
    fc["features"][1]["properties"]["nama"] = Value::Null;
    let body = fc.to_string().into_bytes();
    let (s, b) = send(
        &f,
        "/api/impor?berkas=desa.geojson&level=desa",
        Some(&kab),
        body.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let message = b["message"].as_str().unwrap();
    assert!(
        message.contains("desa.geojson")
            && message.contains("feature 1 (35.19.09.2102), field `nama`"),
        "{b}"
    );
    let (s, _) = f.get("/api/places/35.19.09.2101").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Left out on request, the other one imports.
    let (s, b) = send(
        &f,
        "/api/impor?berkas=desa.geojson&level=desa&lewati_salah=true",
        Some(&kab),
        body,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["ditambah"], 1);
    assert_eq!(b["dilewati"][0]["fitur"], 1);
    assert_eq!(b["dilewati"][0]["bidang"], "nama");
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
}

#[tokio::test]
async fn a_zipped_utm_shapefile_previews_with_the_suggested_mapping_and_imports() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("batas_desa.shp.zip");
    // Wayut and Bibrik under new codes, in a consultant's field names and UTM zone 49S.
    if !ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        zip.to_str().unwrap(),
        data("jiwan_desa.geojson").to_str().unwrap(),
        "-t_srs",
        "EPSG:32749",
        "-nln",
        "batas_desa",
        "-dialect",
        "SQLite",
        "-sql",
        "SELECT replace(kode, '35.19.09.20', '35.19.09.21') AS KD_DESA, nama || ' Baru' AS NAMA_DESA, geometry \
         FROM jiwan_desa WHERE kode IN ('35.19.09.2013', '35.19.09.2014')",
    ]) {
        return;
    }
    let bytes = std::fs::read(&zip).unwrap();
    let f = fixture().await;
    let kab = f.token_for("perencana", Role::Kabupaten).await;
    let (s, p) = send(
        &f,
        "/api/impor/pratinjau?berkas=batas_desa.shp.zip&level=desa",
        Some(&kab),
        bytes.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["berkas"], "batas_desa.shp.zip");
    assert_eq!(p["kolom"], json!(["KD_DESA", "NAMA_DESA"]));
    assert_eq!(
        p["bidang"][0],
        json!({"bidang": "kode", "wajib": true, "usulan": "KD_DESA"})
    );
    assert_eq!(
        p["bidang"][1],
        json!({"bidang": "nama", "wajib": true, "usulan": "NAMA_DESA"})
    );
    assert_eq!(p["pemetaan"], "kode=KD_DESA,nama=NAMA_DESA");
    assert!(
        p["crs_berkas"]
            .as_str()
            .unwrap()
            .contains("central meridian 111°"),
        "{p}"
    );
    assert_eq!(
        p["jumlah"],
        json!({"dibaca": 2, "diimpor": 2, "dilewati": 0})
    );
    assert_eq!(p["masalah"], json!([]));
    // The sample is in longitude and latitude, near Jiwan.
    let first = &p["contoh"]["features"][0];
    assert_eq!(first["properties"]["kode"], "35.19.09.2113");
    let mut position = &first["geometry"]["coordinates"];
    while position[0].is_array() {
        position = &position[0];
    }
    let lon = position[0].as_f64().unwrap();
    assert!((111.3..111.6).contains(&lon), "{lon}");
    let new = kumuh_domain::Kode::parse("35.19.09.2113").unwrap();
    assert!(f.store.place(&new).await.unwrap().is_none());

    let uri = format!(
        "/api/impor?berkas=batas_desa.shp.zip&level=desa&pemetaan={}",
        "kode%3DKD_DESA%2Cnama%3DNAMA_DESA"
    );
    let (s, r) = send(&f, &uri, Some(&kab), bytes).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (r["ditambah"].as_u64(), r["diubah"].as_u64()),
        (Some(2), Some(0)),
        "{r}"
    );
    let (s, place) = f.get("/api/places/35.19.09.2114").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(place["properties"]["nama"], "Bibrik Baru");
    let (_, audit) = f
        .call(
            Method::GET,
            "/api/audit?kunci=batas_desa.shp.zip",
            Some(&kab),
            None,
        )
        .await;
    assert_eq!(audit.as_array().unwrap().len(), 1, "{audit}");
    assert_eq!(audit[0]["pengguna"], "perencana");
    assert_eq!(audit[0]["entitas"], "impor");
    assert_eq!(audit[0]["aksi"], "impor");
    assert_eq!(
        audit[0]["sesudah"]["kode"],
        json!(["35.19.09.2113", "35.19.09.2114"])
    );
}

/// Sends `body` to the preview as two halves, `pause` apart, and keeps the body open
/// (never ending it) when `finish` is false.
async fn send_slowly(
    f: &Fixture,
    token: &str,
    body: Vec<u8>,
    pause: std::time::Duration,
    finish: bool,
) -> (StatusCode, Value) {
    use http_body_util::channel::Channel;
    let (mut tx, channel) = Channel::<axum::body::Bytes>::new(2);
    let req = Request::builder()
        .method(Method::POST)
        .uri(PREVIEW)
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::new(channel))
        .unwrap();
    let mut second = body;
    let first = second.drain(..second.len() / 2).collect::<Vec<u8>>();
    let writer = tokio::spawn(async move {
        tx.send_data(first.into()).await.unwrap();
        tokio::time::sleep(pause).await;
        // The request may have been answered (and its body dropped) by now.
        let _ = tx.send_data(second.into()).await;
        if !finish {
            std::future::pending::<()>().await;
        }
    });
    let res = kumuh_server::app(f.state.clone())
        .oneshot(req)
        .await
        .unwrap();
    writer.abort();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn imports_have_their_own_timeout_not_the_requests() {
    let mut f = fixture().await;
    let kab = f.token_for("perencana", Role::Kabupaten).await;
    let pause = std::time::Duration::from_millis(300);
    // An upload slower than every other request may be is still answered: it has its
    // own (long) limit.
    f.state.config = Arc::new(Config {
        request_timeout: std::time::Duration::from_millis(20),
        ..Config::default()
    });
    let (s, b) = send_slowly(&f, &kab, two_desa(), pause, true).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["jumlah"]["diimpor"], 2);
    // An upload past its own limit is cut off with a 503, not left hanging.
    f.state.config = Arc::new(Config {
        upload_timeout: std::time::Duration::from_millis(20),
        ..Config::default()
    });
    let (s, b) = send_slowly(&f, &kab, two_desa(), pause, false).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{b}");
}
