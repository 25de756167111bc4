//! `GET /api/ekspor`: every layer format as a download with its media type and file
//! name, for anonymous callers too; bad values are refused naming the parameter.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::common;
use common::{Fixture, fixture_with_bibrik_work};

/// Status, content type, content disposition and body of an anonymous GET.
async fn download(f: &Fixture, uri: &str) -> (StatusCode, String, String, Vec<u8>) {
    let req = Request::builder()
        .method(Method::GET)
        .uri(uri)
        .body(Body::empty())
        .unwrap();
    let res = kumuh_server::app(f.state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let header = |h| {
        res.headers()
            .get(h)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (ct, cd) = (
        header(header::CONTENT_TYPE),
        header(header::CONTENT_DISPOSITION),
    );
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, ct, cd, body)
}

#[tokio::test]
async fn every_format_downloads_with_its_type_and_name() {
    let f = fixture_with_bibrik_work().await;
    for (format, lapisan, ct, name, magic) in [
        (
            "geojson",
            "desa",
            "application/geo+json",
            "kumuh-desa.geojson",
            &b"{"[..],
        ),
        (
            "gpkg",
            "desa",
            "application/geopackage+sqlite3",
            "kumuh-desa.gpkg",
            b"SQLite format 3\0",
        ),
        (
            "shp",
            "desa",
            "application/zip",
            "kumuh-desa.shp.zip",
            b"PK\x03\x04",
        ),
        (
            "kml",
            "kecamatan",
            "application/vnd.google-earth.kml+xml",
            "kumuh-kecamatan.kml",
            b"<?xml",
        ),
        (
            "fgb",
            "segmen",
            "application/flatgeobuf",
            "kumuh-segmen.fgb",
            b"fgb\x03",
        ),
        (
            "csv",
            "desa",
            "text/csv; charset=utf-8",
            "kumuh-desa.csv",
            b"WKT,kode,nama,",
        ),
    ] {
        let (s, got_ct, cd, body) = download(
            &f,
            &format!("/api/ekspor?lapisan={lapisan}&format={format}"),
        )
        .await;
        assert_eq!(
            s,
            StatusCode::OK,
            "{format}: {}",
            String::from_utf8_lossy(&body)
        );
        assert_eq!(got_ct, ct, "{format}");
        assert_eq!(cd, format!("attachment; filename=\"{name}\""), "{format}");
        assert!(
            body.starts_with(magic),
            "{format}: {:?}",
            &body[..body.len().min(16)]
        );
    }
    // The CSV holds every desa of the seed, one row each.
    let (_, _, _, body) = download(&f, "/api/ekspor?lapisan=desa&format=csv").await;
    assert_eq!(String::from_utf8(body).unwrap().lines().count(), 15);
}

#[tokio::test]
async fn bad_values_are_refused_naming_the_parameter() {
    let f = fixture_with_bibrik_work().await;
    let (s, _, _, body) = download(&f, "/api/ekspor?lapisan=pulau&format=shp").await;
    let text = String::from_utf8(body).unwrap();
    assert_eq!(s, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("lapisan") && text.contains("pulau"), "{text}");
    let (s, _, _, body) = download(&f, "/api/ekspor?lapisan=desa&format=dxf").await;
    let text = String::from_utf8(body).unwrap();
    assert_eq!(s, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("format") && text.contains("fgb"), "{text}");
    let (s, _, _, _) = download(&f, "/api/ekspor?lapisan=desa").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _, _, body) = download(&f, "/api/ekspor?lapisan=segmen&format=gpkg").await;
    let text = String::from_utf8(body).unwrap();
    assert!(s.is_client_error(), "{s} {text}");
    assert!(text.contains("format"), "{text}");
}
