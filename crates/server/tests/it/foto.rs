//! Photos of work segments over HTTP: who may upload and delete, what a bad or large
//! file gets, the thumbnail and the photo with their headers, and an anonymous list
//! without user names.

use std::sync::Arc;

use axum::http::{Method, StatusCode, header};
use kumuh_domain::Role;
use kumuh_io::foto::Posisi;
use kumuh_io::foto::contoh::{ContohExif, jpeg, png};
use kumuh_server::Config;
use serde_json::Value;

use crate::common;
use common::{Fixture, fixture_with_bibrik_work};

const BIBRIK: &str = "35.19.09.2014";
const WORK: &str = "contoh-35.19.09.2014-2018-paving";
const WRITER: &str = "sutrisnowidodo";

fn upload_uri(tahap: &str) -> String {
    format!("/api/kegiatan/{WORK}/segmen/S1/foto?tahap={tahap}")
}

fn at(lon: f64, lat: f64) -> ContohExif {
    ContohExif {
        waktu: "2018:08:31 09:15:00".into(),
        posisi: Posisi { lon, lat },
    }
}

async fn send(
    f: &Fixture,
    uri: &str,
    token: Option<&str>,
    content_type: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let (s, _, body) = f
        .call_bytes(Method::POST, uri, token, &[], Some((content_type, bytes)))
        .await;
    let v = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into()));
    (s, v)
}

#[tokio::test]
async fn a_writer_uploads_and_anyone_sees_the_thumbnail_without_user_names() {
    let f = fixture_with_bibrik_work().await;
    let lkm = f.token_for_lkm(WRITER, &[BIBRIK]).await;
    let photo = jpeg(640, 480, Some(&at(111.4936, -7.5753)));
    let (s, done) = send(
        &f,
        &upload_uri("50"),
        Some(&lkm),
        "image/jpeg",
        photo.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    assert_eq!(done["peringatan"], serde_json::json!([]));
    let foto = &done["foto"];
    assert_eq!(foto["tahap"], "50");
    assert_eq!(foto["waktu_exif"], "2018-08-31T09:15:00");
    assert_eq!(
        (foto["lebar"].as_u64(), foto["tinggi"].as_u64()),
        (Some(640), Some(480))
    );
    assert_eq!(foto["media_type"], "image/jpeg");
    let id = foto["id"].as_i64().unwrap();

    // Taken far from Bibrik: stored, with a warning.
    let (s, far) = send(
        &f,
        &upload_uri("bebas"),
        Some(&lkm),
        "image/jpeg",
        jpeg(32, 32, Some(&at(110.0, -7.0))),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{far}");
    let warning = far["peringatan"][0].as_str().unwrap();
    assert!(warning.contains("outside desa Bibrik"), "{warning}");

    let (s, list) = f.get(&format!("/api/kegiatan/{WORK}/segmen/S1/foto")).await;
    assert_eq!(s, StatusCode::OK);
    let text = list.to_string();
    assert!(!text.contains(WRITER), "{text}");
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["pengunggah"], "lkm Bibrik");
    assert_eq!(list[0]["url_kecil"], format!("/api/foto/{id}/kecil"));
    // The writer sees their name.
    let (_, _, mine) = f
        .call_bytes(
            Method::GET,
            &format!("/api/kegiatan/{WORK}/segmen/S1/foto"),
            Some(&lkm),
            &[],
            None,
        )
        .await;
    assert!(String::from_utf8_lossy(&mine).contains(WRITER));

    let (s, h, small) = f
        .call_bytes(
            Method::GET,
            &format!("/api/foto/{id}/kecil"),
            None,
            &[],
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        h[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("max-age=")
    );
    assert!(small.starts_with(&[0xFF, 0xD8]));
    assert!(small.len() < photo.len());

    let (s, h, full) = f
        .call_bytes(Method::GET, &format!("/api/foto/{id}"), None, &[], None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(full, photo);
    let etag = h[header::ETAG].to_str().unwrap().to_owned();
    let (s, _, none) = f
        .call_bytes(
            Method::GET,
            &format!("/api/foto/{id}"),
            None,
            &[("if-none-match", &etag)],
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_MODIFIED);
    assert!(none.is_empty());

    // The upload is in the work's audit log, under the segment.
    let (_, audit) = f.get(&format!("/api/audit?kunci={WORK}/S1")).await;
    let key = format!("{WORK}/S1/foto/{id}");
    let line = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kunci"] == key.as_str())
        .unwrap_or_else(|| panic!("{audit}"));
    assert_eq!(
        (&line["entitas"], &line["aksi"]),
        (&"foto".into(), &"unggah".into())
    );
    assert_eq!(line["pengguna"], "lkm Bibrik");
    assert_eq!(line["sesudah"]["tahap"], "50");
}

#[tokio::test]
async fn anonymous_callers_and_other_desas_writers_are_refused() {
    let f = fixture_with_bibrik_work().await;
    let wayut = f.token_for_lkm("lkm-wayut", &["35.19.09.2013"]).await;
    let viewer = f.token_for("tamu", Role::Viewer).await;
    let photo = || png(16, 16);
    let (s, b) = send(&f, &upload_uri("0"), None, "image/png", photo()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
    let (s, b) = send(&f, &upload_uri("0"), Some(&wayut), "image/png", photo()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    assert_eq!(b["code"], "forbidden");
    let (s, _) = send(&f, &upload_uri("0"), Some(&viewer), "image/png", photo()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let lkm = f.token_for_lkm(WRITER, &[BIBRIK]).await;
    let (s, done) = send(&f, &upload_uri("100"), Some(&lkm), "image/png", photo()).await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    let uri = format!("/api/foto/{}", done["foto"]["id"]);
    let delete = |token: Option<String>| {
        let uri = uri.clone();
        let f = &f;
        async move {
            f.call_bytes(Method::DELETE, &uri, token.as_deref(), &[], None)
                .await
                .0
        }
    };
    assert_eq!(delete(None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(delete(Some(wayut.clone())).await, StatusCode::FORBIDDEN);
    assert_eq!(delete(Some(lkm.clone())).await, StatusCode::NO_CONTENT);
    assert_eq!(delete(Some(lkm)).await, StatusCode::NOT_FOUND);
    assert_eq!(f.get(&uri).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_files_get_a_400_and_large_ones_a_413_naming_the_problem() {
    let mut f = fixture_with_bibrik_work().await;
    let lkm = f.token_for_lkm(WRITER, &[BIBRIK]).await;

    let (s, b) = send(&f, &upload_uri("0"), Some(&lkm), "image/jpeg", png(8, 8)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let m = b["message"].as_str().unwrap();
    assert!(
        m.contains("is image/png, but was sent as image/jpeg"),
        "{m}"
    );
    let noise: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
    let (s, b) = send(&f, &upload_uri("0"), Some(&lkm), "image/jpeg", noise).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert!(
        b["message"].as_str().unwrap().starts_with("not an image"),
        "{b}"
    );
    let (s, b) = send(&f, &upload_uri("0"), Some(&lkm), "image/heic", png(8, 8)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .contains("unsupported type `image/heic`")
    );
    let (s, b) = send(&f, &upload_uri("75"), Some(&lkm), "image/png", png(8, 8)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert!(b["message"].as_str().unwrap().starts_with("tahap: "), "{b}");
    let uri = format!("/api/kegiatan/{WORK}/segmen/S1/foto");
    let (s, b) = send(&f, &uri, Some(&lkm), "image/png", png(8, 8)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");

    // Over the limit: refused by its Content-Length, and without one when the body
    // reaches the limit.
    f.state.config = Arc::new(Config {
        max_foto_bytes: 1000,
        ..Config::default()
    });
    let big = png(200, 200);
    assert!(big.len() > 1000);
    let (s, b) = send(&f, &upload_uri("0"), Some(&lkm), "image/png", big.clone()).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{b}");
    assert_eq!(b["code"], "payload_too_large");
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .contains("at most 1000 bytes"),
        "{b}"
    );
    let length = big.len().to_string();
    let (s, _, b) = f
        .call_bytes(
            Method::POST,
            &upload_uri("0"),
            Some(&lkm),
            &[("content-length", &length)],
            Some(("image/png", big)),
        )
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    let b: Value = serde_json::from_slice(&b).unwrap();
    assert!(b["message"].as_str().unwrap().contains(&length), "{b}");

    // Nothing was stored.
    let (_, list) = f.get(&uri).await;
    assert_eq!(list, serde_json::json!([]));
}

/// The profile and the RPLP of the desa carry the photos' thumbnails themselves (a page
/// saved or printed keeps them), captioned with the work, the segment, the stage and the
/// time taken.
#[tokio::test]
async fn the_printed_profile_shows_the_thumbnails_of_the_works_photos() {
    let f = fixture_with_bibrik_work().await;
    let lkm = f.token_for_lkm(WRITER, &[BIBRIK]).await;
    let before = f
        .call_bytes(
            Method::GET,
            &format!("/api/dokumen/profil?wilayah={BIBRIK}&format=html"),
            None,
            &[],
            None,
        )
        .await;
    assert_eq!(before.0, StatusCode::OK);
    let before = String::from_utf8_lossy(&before.2).into_owned();
    assert!(!before.contains("Dokumentasi kegiatan"), "no photo yet");
    let (s, done) = send(
        &f,
        &upload_uri("100"),
        Some(&lkm),
        "image/jpeg",
        jpeg(640, 480, Some(&at(111.4936, -7.5753))),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    for doc in ["profil", "rplp"] {
        let (s, _, body) = f
            .call_bytes(
                Method::GET,
                &format!("/api/dokumen/{doc}?wilayah={BIBRIK}&format=html"),
                None,
                &[],
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{doc}");
        let page = String::from_utf8_lossy(&body);
        assert!(page.contains("<h2>Dokumentasi kegiatan</h2>"), "{doc}");
        assert_eq!(
            page.matches("src=\"data:image/jpeg;base64,").count(),
            1,
            "{doc}: one thumbnail"
        );
        assert!(page.contains("· 100% · 2018-08-31"), "{doc}: caption");
        assert!(!page.contains(WRITER), "{doc}: no user name");
    }
}
