//! What an attacker tries: writing without signing in (every write is refused with 401
//! before its body is read or anything it names is looked up), and locking a user out
//! with wrong passwords (failures slow down only the address that made them), and
//! steering tile URLs with a forged `Host` header.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use kumuh_domain::{Role, User};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::common;
use common::{Fixture, fixture_with_bibrik_work};

/// Every write in the OpenAPI document: method and path template.
async fn write_routes(f: &Fixture) -> Vec<(Method, String)> {
    let (s, doc) = f.get("/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, _) in item.as_object().unwrap() {
            let m = match method.as_str() {
                "post" => Method::POST,
                "put" => Method::PUT,
                "patch" => Method::PATCH,
                "delete" => Method::DELETE,
                _ => continue,
            };
            routes.push((m, path.clone()));
        }
    }
    assert!(routes.len() > 10, "{routes:?}");
    routes
}

/// Extra request headers.
type Headers<'a> = &'a [(&'a str, &'a str)];

/// `template` with every `{param}` replaced by `value`.
fn fill(template: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        out.push_str(value);
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Sends `body` as raw JSON text (possibly malformed).
async fn send_raw(
    f: &Fixture,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Body::from(body.to_owned())).unwrap();
    let res = kumuh_server::app(f.state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, value)
}

#[tokio::test]
async fn every_anonymous_write_is_refused_before_its_body_or_ids_are_looked_at() {
    let f = fixture_with_bibrik_work().await;
    let routes = write_routes(&f).await;
    let k = kumuh_domain::works::contoh::bibrik_paving();
    for (method, template) in &routes {
        if template == kumuh_server::auth::LOGIN_PATH {
            continue;
        }
        // A malformed body and an id that does not exist; then a valid id (one work is
        // stored) with an empty object for a body, and a made-up token.
        let cases: [(String, &str, Headers<'_>); 3] = [
            (fill(template, "tidak-ada"), "{ini bukan json", &[]),
            (fill(template, k.id().as_str()), "{}", &[]),
            (
                fill(template, k.id().as_str()),
                "{}",
                &[("authorization", "Bearer token-karangan")],
            ),
        ];
        for (uri, body, headers) in cases {
            let (s, b) = send_raw(&f, method.clone(), &uri, headers, body).await;
            assert_eq!(
                s,
                StatusCode::UNAUTHORIZED,
                "{method} {uri} with {body:?}: {b}"
            );
            assert_eq!(b["code"], "unauthenticated", "{method} {uri}: {b}");
        }
    }
    // Signed in, the same malformed requests reach the handlers (which then refuse them
    // for what they are), so the 401s above come from the missing credentials.
    let token = f.token_for("kab", Role::Kabupaten).await;
    let bearer = format!("Bearer {token}");
    for (method, template) in &routes {
        if template.starts_with("/api/auth/") {
            continue;
        }
        let uri = fill(template, "tidak-ada");
        let (s, b) = send_raw(
            &f,
            method.clone(),
            &uri,
            &[("authorization", &bearer)],
            "{ini bukan json",
        )
        .await;
        assert_ne!(s, StatusCode::UNAUTHORIZED, "{method} {uri}: {b}");
        assert!(s.is_client_error(), "{method} {uri}: {s} {b}");
    }
}

#[tokio::test]
async fn anonymous_reads_still_work() {
    let f = fixture_with_bibrik_work().await;
    let (s, b) = f.get("/api/kegiatan").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = f.get("/api/auth/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
}

const ADDR_A: &str = "192.0.2.1:40000";
const ADDR_B: &str = "198.51.100.7:40000";

/// Signs in from `addr` (the connection's peer address, as `serve` records it).
async fn login_from(
    f: &Fixture,
    addr: &str,
    name: &str,
    password: &str,
) -> (StatusCode, HeaderMap) {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        // A forwarded-for header is not trusted: the server has no trusted proxy.
        .header("x-forwarded-for", "203.0.113.9")
        .body(Body::from(
            json!({"username": name, "password": password}).to_string(),
        ))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(addr.parse::<SocketAddr>().unwrap()));
    let res = kumuh_server::app(f.state.clone())
        .oneshot(req)
        .await
        .unwrap();
    (res.status(), res.headers().clone())
}

fn retry_after(h: &HeaderMap) -> u64 {
    h[header::RETRY_AFTER].to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn wrong_passwords_from_one_address_do_not_lock_the_user_out_elsewhere() {
    let f = fixture_with_bibrik_work().await;
    let hash = kumuh_server::auth::hash_password("kata-sandi-uji").unwrap();
    kumuh_store::Store::add_user(f.store.as_ref(), &User::new("admin", Role::Admin), &hash)
        .await
        .unwrap();
    for _ in 0..kumuh_server::auth::LOGIN_ATTEMPTS {
        let (s, _) = login_from(&f, ADDR_A, "admin", "salah").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    // Address A waits, even with the right password, and is told for how long.
    let (s, h) = login_from(&f, ADDR_A, "admin", "kata-sandi-uji").await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&h), 1);
    // The admin signs in from address B all the same.
    let (s, _) = login_from(&f, ADDR_B, "admin", "kata-sandi-uji").await;
    assert_eq!(s, StatusCode::OK);
    // After waiting, A may try again; another failure doubles the wait.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (s, _) = login_from(&f, ADDR_A, "admin", "salah").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, h) = login_from(&f, ADDR_A, "admin", "salah").await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&h), 2);
}

#[tokio::test]
async fn a_hostile_host_header_never_reaches_tilejson() {
    let f = fixture_with_bibrik_work().await;
    let base = f.serve().await;
    let http = reqwest::Client::new();
    for path in ["/tiles", "/tiles/desa"] {
        let text = http
            .get(format!("{base}{path}"))
            .header("host", "penyerang.example")
            .header("x-forwarded-proto", "https")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!text.contains("penyerang"), "{path}: {text}");
        assert!(
            text.contains(&format!("{base}/tiles/desa")),
            "{path}: {text}"
        );
    }
    // In-process, with no connection and no public URL: still not the Host header.
    let (s, _, tj) = f
        .call_full(
            Method::GET,
            "/tiles/desa",
            None,
            &[("host", "penyerang.example")],
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(!tj.to_string().contains("penyerang"), "{tj}");
}

#[tokio::test]
async fn tilejson_uses_the_configured_public_url() {
    let mut f = fixture_with_bibrik_work().await;
    let mut config = f.state.config.as_ref().clone();
    config.public_url =
        Some(kumuh_server::public_url("https://kumuh.example.go.id/atlas/").unwrap());
    f.state.config = std::sync::Arc::new(config);
    let (s, _, tj) = f
        .call_full(
            Method::GET,
            "/tiles/desa",
            None,
            &[("host", "penyerang.example")],
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        tj["tiles"][0],
        "https://kumuh.example.go.id/atlas/tiles/desa/{z}/{x}/{y}.mvt"
    );
}

#[test]
fn public_urls_are_plain_http_urls() {
    for bad in [
        "kumuh.example",
        "ftp://kumuh.example",
        "https://",
        "https://kumuh.example/?x=1",
        "https://kumuh.example/#a",
        "https://a@kumuh.example",
        "https://kumuh.example/<b>",
    ] {
        assert!(kumuh_server::public_url(bad).is_err(), "{bad}");
    }
    assert_eq!(
        kumuh_server::public_url("http://10.0.0.5:8080/").unwrap(),
        "http://10.0.0.5:8080"
    );
}

/// Ids travel in URL paths and audit keys: a client-chosen id with a path separator,
/// a query or fragment mark, markup or a space is refused naming the field, so one
/// desa's lines can never be filed under another record's key.
#[tokio::test]
async fn hostile_ids_are_refused_naming_the_field() {
    let f = common::fixture().await;
    let token = f.token_for("ana", Role::Admin).await;
    for bad in [
        "a/b",
        "../K1",
        "..",
        "K1?x=1",
        "K1#a",
        "<b>K1</b>",
        "K 1",
        &"x".repeat(65),
    ] {
        let (s, body) = f
            .call(
                Method::POST,
                "/api/kegiatan",
                Some(&token),
                Some(json!({
                    "id": bad, "nama": "Jalan paving", "jenis": "jalan_paving",
                    "kode_desa": "35.19.09.2014", "tahun": 2018,
                    "pelaksana": {"jenis": "lkm", "nama": "Makmur Sentosa"}
                })),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains("id"), "{bad}: {message}");
    }
    let (s, body) = f
        .call(
            Method::POST,
            "/api/kegiatan",
            Some(&token),
            Some(json!({
                "id": "35.19.09.2014-2018_01", "nama": "Jalan paving", "jenis": "jalan_paving",
                "kode_desa": "35.19.09.2014", "tahun": 2018,
                "pelaksana": {"jenis": "lkm", "nama": "Makmur Sentosa"}
            })),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
}
