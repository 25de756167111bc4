//! What the UPK API tests share: the desa upk users, the worked-case loan, and the
//! checks every write is held to.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use kumuh_domain::{Kode, Role, User};
use serde_json::{Value, json};
use tower::ServiceExt;

use super::Fixture;

pub const BIBRIK: &str = "35.19.09.2014";
pub const WAYUT: &str = "35.19.09.2009";

pub async fn upk_token(f: &Fixture, name: &str, desa: &str) -> String {
    f.token_for_user(User {
        desa: vec![Kode::parse(desa).unwrap()],
        ..User::new(name, Role::Upk)
    })
    .await
}

pub async fn post(f: &Fixture, uri: &str, token: &str, body: Value) -> (StatusCode, Value) {
    f.call(Method::POST, uri, Some(token), Some(body)).await
}

/// KSM Maju of Bibrik with the worked-case loan: Rp 3,000,000 over 10 months at 1.5 %
/// a month flat, disbursed 2026-01-05, the first two instalments paid on time.
pub async fn worked_case(f: &Fixture, token: &str) -> Value {
    let (s, ksm) = post(
        f,
        "/api/ksm",
        token,
        json!({"kode_desa": BIBRIK, "id": "ksm-maju", "nama": "KSM Maju", "jenis": "ekonomi",
               "dibentuk": "2025-06-01",
               "anggota": [{"nama": "Sulastri", "jenis_kelamin": "P", "nik": "3519094101800001"},
                           {"nama": "Sarmin", "jenis_kelamin": "L"}]}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{ksm}");
    assert_eq!(ksm["id"], "ksm-maju");
    let (s, p) = post(
        f,
        "/api/pinjaman",
        token,
        json!({"ksm": "ksm-maju", "id": "P-01", "pokok_rp": 3_000_000, "jangka_bulan": 10,
               "jasa_persen_bulan": 1.5, "tanggal_cair": "2026-01-05"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    for tanggal in ["2026-02-05", "2026-03-05"] {
        let (s, b) = post(
            f,
            "/api/pinjaman/P-01/angsuran",
            token,
            json!({"tanggal": tanggal, "jumlah_rp": 345_000}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    p
}

pub async fn raw(f: &Fixture, uri: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
    let req = Request::builder()
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let res = kumuh_server::app(f.state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = res.status();
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, ct, bytes)
}

/// The audit lines of a key as `(aksi, pengguna)`, oldest first.
pub async fn audit_of(f: &Fixture, kunci: &str) -> Vec<(String, String)> {
    let mut lines = f
        .store
        .audit(&kumuh_store::AuditQuery {
            kunci: Some(kunci.to_owned()),
            sebelum_id: None,
            limit: 1000,
        })
        .await
        .unwrap();
    lines.sort_by_key(|l| l.id);
    lines.into_iter().map(|l| (l.aksi, l.pengguna)).collect()
}

/// POSTs `body` to `uri` as nobody, as the upk of another desa (`t.1`), and as the
/// desa's upk (`t.0`) with `bad` (a body missing or spoiling `field`): 401, 403 and a
/// 422 naming `field`.
pub async fn refused(
    f: &Fixture,
    t: &(String, String),
    uri: &str,
    body: Value,
    bad: Value,
    field: &str,
) {
    let (s, b) = f.call(Method::POST, uri, None, Some(body.clone())).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "POST {uri} anonymous: {b}");
    let (s, b) = post(f, uri, &t.1, body).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "POST {uri} as upk of Wayut: {b}");
    let (s, b) = post(f, uri, &t.0, bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "POST {uri}: {b}");
    assert!(
        b["message"].as_str().unwrap_or("").contains(field),
        "POST {uri}: the message names `{field}`: {b}"
    );
}
