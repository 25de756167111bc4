//! The test fixture shared by the API tests: a real store with the Jiwan seed, the router
//! from `app(state)`, and signed-in users. The store is a GeoPackage in a temporary
//! directory, or with `KUMUH_TEST_BACKEND=postgis` a new database on the PostgreSQL
//! server `KUMUH_TEST_POSTGRES` names (`scripts/test.sh` runs the API tests both ways).
#![allow(dead_code)]

pub mod upk;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use kumuh_domain::{Kode, Role, User};
use kumuh_server::{AppState, Config, app, auth};
use kumuh_store::{GpkgStore, OpenMode, PgStore, Store};
use serde_json::{Value, json};
use tower::ServiceExt;

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub store: Arc<dyn Store>,
    /// The GeoPackage, when the store is one (tests of its R-tree need it).
    pub gpkg: Option<GpkgStore>,
    pub state: AppState,
}

/// Whether the API tests run on PostGIS (`KUMUH_TEST_BACKEND=postgis`).
pub fn on_postgis() -> bool {
    std::env::var("KUMUH_TEST_BACKEND").is_ok_and(|b| b == "postgis")
}

/// A new empty store of the backend the run asks for.
async fn new_store(dir: &std::path::Path) -> (Arc<dyn Store>, Option<GpkgStore>) {
    if !on_postgis() {
        let (store, _) = GpkgStore::open(&dir.join("api.gpkg"), OpenMode::CreateIfMissing)
            .await
            .unwrap();
        return (Arc::new(store.clone()), Some(store));
    }
    let url = std::env::var("KUMUH_TEST_POSTGRES").expect(
        "KUMUH_TEST_BACKEND=postgis needs KUMUH_TEST_POSTGRES, the URL of a PostgreSQL server \
         with PostGIS: run the tests through scripts/with-postgres.sh, which starts one",
    );
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "kumuh_api_{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let db = kumuh_store::postgis::create_database(&url, &name)
        .await
        .unwrap();
    let (store, _) = PgStore::open(&db, OpenMode::CreateIfMissing).await.unwrap();
    (Arc::new(store), None)
}

pub async fn fixture() -> Fixture {
    fixture_with(false).await
}

/// The fixture with the example Bibrik work stored before the server starts.
pub async fn fixture_with_bibrik_work() -> Fixture {
    fixture_with(true).await
}

async fn fixture_with(bibrik_work: bool) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let (store, gpkg) = new_store(dir.path()).await;
    store
        .upsert_places(&kumuh_io::seed::jiwan().unwrap())
        .await
        .unwrap();
    if bibrik_work {
        let k = kumuh_domain::works::contoh::bibrik_paving();
        store
            .save_kegiatan(&kumuh_store::KegiatanWrite::new(&k))
            .await
            .unwrap();
    }
    let state = AppState::open(Arc::clone(&store), Config::default())
        .await
        .unwrap();
    Fixture {
        _dir: dir,
        store,
        gpkg,
        state,
    }
}

/// A surveyed assessment record of `input`, scored with the default rule set (its
/// year, area and location as the input says).
pub fn survey_record(
    input: kumuh_domain::assessment::AssessmentInput,
) -> kumuh_store::AssessmentRecord {
    let rules = kumuh_domain::assessment::RuleSet::default_rules();
    let (tahun, luas_ha, kode) = (input.tahun, input.luas_ha, input.kode_lokasi.clone());
    let rows = kumuh_io::assessment::assess_rows(
        &rules,
        vec![kumuh_io::assessment::AssessmentRow {
            row: 2,
            input,
            attributes: Default::default(),
        }],
    );
    let a = &rows[0];
    kumuh_store::AssessmentRecord {
        kode_lokasi: kode,
        nama_lokasi: a.result.nama_lokasi.clone(),
        kode_desa: a.result.kode_desa.clone(),
        tahun,
        rule_set_id: a.result.rule_set_id.clone(),
        rule_set_version: a.result.rule_set_version.clone(),
        luas_ha,
        total: a.result.total,
        class: a.result.class,
        priority: None,
        masukan: Some(a.source.input.clone()),
        result: kumuh_io::assessment::hasil(a),
        dasar: kumuh_domain::assessment::Dasar::Survei,
        tanggal: None,
    }
}

impl Fixture {
    /// Serves the app on a free port of 127.0.0.1; returns its base URL.
    pub async fn serve(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = self.state.clone();
        tokio::spawn(async move {
            kumuh_server::serve(listener, state, std::future::pending())
                .await
                .unwrap();
        });
        format!("http://{addr}")
    }

    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let (status, _, value) = self.call_full(method, uri, token, &[], body).await;
        (status, value)
    }

    /// A request with extra headers; answers status, headers and the JSON body (or the
    /// text, as a JSON string).
    pub async fn call_full(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> (StatusCode, HeaderMap, Value) {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        let res = app(self.state.clone()).oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        (status, headers, value)
    }

    /// A request with a raw body of `content_type` (a photo); answers status, headers and
    /// the body's bytes.
    pub async fn call_bytes(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<(&str, Vec<u8>)>,
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some((content_type, b)) => req
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(b)),
            None => req.body(Body::empty()),
        }
        .unwrap();
        let res = app(self.state.clone()).oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        (status, headers, bytes)
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, Value) {
        self.call(Method::GET, uri, None, None).await
    }

    pub async fn token_for(&self, username: &str, role: Role) -> String {
        self.token_for_user(User::new(username, role)).await
    }

    /// A token for an `lkm` user writing for `desa`.
    pub async fn token_for_lkm(&self, username: &str, desa: &[&str]) -> String {
        let user = User {
            desa: desa.iter().map(|d| Kode::parse(d).unwrap()).collect(),
            ..User::new(username, Role::Lkm)
        };
        self.token_for_user(user).await
    }

    pub async fn token_for_user(&self, user: User) -> String {
        let username = user.username.clone();
        let hash = auth::hash_password("kata-sandi-uji").unwrap();
        self.store.add_user(&user, &hash).await.unwrap();
        let (status, body) = self
            .call(
                Method::POST,
                "/api/auth/login",
                None,
                Some(json!({"username": username, "password": "kata-sandi-uji"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }
}
