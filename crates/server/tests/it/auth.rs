//! Sign-in for scripts (bearer tokens) and for the browser (an HttpOnly session cookie
//! with a CSRF token), sign-out, and the rate limit on failed sign-ins.

use axum::http::{Method, StatusCode};
use kumuh_domain::{Role, User};
use serde_json::{Value, json};

use crate::common;
use common::{Fixture, fixture};

async fn add_user(f: &Fixture, name: &str) {
    let hash = kumuh_server::auth::hash_password("kata-sandi-uji").unwrap();
    kumuh_store::Store::add_user(f.store.as_ref(), &User::new(name, Role::Admin), &hash)
        .await
        .unwrap();
}

async fn login(
    f: &Fixture,
    name: &str,
    password: &str,
    sesi: bool,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    f.call_full(
        Method::POST,
        "/api/auth/login",
        None,
        &[],
        Some(json!({"username": name, "password": password, "sesi": sesi})),
    )
    .await
}

#[tokio::test]
async fn a_browser_session_lives_in_an_httponly_cookie_and_writes_need_its_csrf_token() {
    let f = fixture().await;
    add_user(&f, "ana").await;
    let (s, headers, body) = login(&f, "ana", "kata-sandi-uji", true).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(
        body.get("token").is_none(),
        "no bearer token for a cookie session: {body}"
    );
    let cookie = headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("kumuh_session="), "{cookie}");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} missing in {cookie}");
    }
    let session = cookie.split(';').next().unwrap().to_owned();
    let csrf = body["user"]["csrf_token"].as_str().unwrap().to_owned();

    // Reads with the cookie; /me gives the CSRF token back after a reload.
    let (s, _, me) = f
        .call_full(
            Method::GET,
            "/api/auth/me",
            None,
            &[("cookie", &session)],
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["username"], "ana");
    assert_eq!(me["csrf_token"], csrf.as_str());

    // A change with the cookie alone is refused; with the header it passes.
    let work = json!({"nama": "Drainase", "jenis": "drainase", "kode_desa": "35.19.09.2014",
                      "tahun": 2020, "pelaksana": {"jenis": "ksm", "nama": "Maju"}});
    let (s, _, b) = f
        .call_full(
            Method::POST,
            "/api/kegiatan",
            None,
            &[("cookie", &session)],
            Some(work.clone()),
        )
        .await;
    assert_eq!(
        (s, b["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("csrf")),
        "{b}"
    );
    let (s, _, b) = f
        .call_full(
            Method::POST,
            "/api/kegiatan",
            None,
            &[("cookie", &session), ("x-csrf-token", "forged")],
            Some(work.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    let (s, _, b) = f
        .call_full(
            Method::POST,
            "/api/kegiatan",
            None,
            &[("cookie", &session), ("x-csrf-token", &csrf)],
            Some(work),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");

    // Sign-out ends the session and clears the cookie.
    let (s, headers, _) = f
        .call_full(
            Method::POST,
            "/api/auth/logout",
            None,
            &[("cookie", &session), ("x-csrf-token", &csrf)],
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(
        headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let (s, _, _) = f
        .call_full(
            Method::GET,
            "/api/auth/me",
            None,
            &[("cookie", &session)],
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bearer_tokens_need_no_csrf_and_end_at_sign_out() {
    let f = fixture().await;
    add_user(&f, "ana").await;
    let (_, _, body) = login(&f, "ana", "kata-sandi-uji", false).await;
    let token = body["token"].as_str().unwrap().to_owned();
    let (s, _) = f
        .call(Method::POST, "/api/auth/logout", Some(&token), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, b) = f
        .call(Method::GET, "/api/auth/me", Some(&token), None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
}

#[tokio::test]
async fn failed_sign_ins_are_rate_limited_per_user() {
    let f = fixture().await;
    add_user(&f, "ana").await;
    for _ in 0..kumuh_server::auth::LOGIN_ATTEMPTS {
        let (s, _, _) = login(&f, "ana", "salah", false).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits now, and the answer says how long.
    let (s, headers, b) = login(&f, "ana", "kata-sandi-uji", false).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{b}");
    assert_eq!(b["code"], "too_many_requests");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait > 0 && wait <= 900, "{wait}");
    // Another user is not affected.
    add_user(&f, "budi").await;
    let (s, _, _) = login(&f, "budi", "kata-sandi-uji", false).await;
    assert_eq!(s, StatusCode::OK);
}
