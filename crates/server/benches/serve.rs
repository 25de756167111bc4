//! Opening the store and serving the 14 Jiwan desa as GeoJSON, through the real router.
//!
//! `cargo bench -p kumuh-server --bench serve`

use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use kumuh_server::{AppState, Config, app};
use kumuh_store::{GpkgStore, OpenMode, Store};
use tower::ServiceExt;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.gpkg");
    let store = rt.block_on(async {
        let (store, _) = GpkgStore::open(&path, OpenMode::CreateIfMissing)
            .await
            .expect("store");
        store
            .upsert_places(&kumuh_io::seed::jiwan().expect("seed"))
            .await
            .expect("seeding");
        store
    });

    c.bench_function("open_store", |b| {
        b.to_async(&rt).iter(|| async {
            let (s, created) = GpkgStore::open(&path, OpenMode::MustExist)
                .await
                .expect("open");
            assert!(!created);
            s.close().await;
        })
    });

    let router = app(AppState::new(Arc::new(store), Config::default()));
    c.bench_function("geojson_14_desa", |b| {
        b.to_async(&rt).iter(|| async {
            let req = Request::get("/api/places/geojson?level=desa&parent=35.19.09")
                .body(Body::empty())
                .expect("request");
            let res = router.clone().oneshot(req).await.expect("response");
            assert!(res.status().is_success());
            let body = res.into_body().collect().await.expect("body").to_bytes();
            assert!(body.len() > 30_000);
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
