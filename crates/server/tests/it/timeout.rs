//! Heavy requests run off the async workers, so the request timeout answers them on
//! time while they compute.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kumuh_server::Config;
use serde_json::{Value, json};

use crate::common;
use common::fixture;

const BIBRIK: &str = "35.19.09.2014";
const LIMIT: Duration = Duration::from_secs(1);

/// A simple polygon of `n` vertices on a circle around (`lon`, `lat`), about 20 m across.
fn ring(lon: f64, lat: f64, n: usize) -> Value {
    let mut coords: Vec<Value> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            json!([lon + 0.0001 * a.cos(), lat + 0.0001 * a.sin()])
        })
        .collect();
    coords.push(coords[0].clone());
    json!({"type": "Polygon", "coordinates": [coords]})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_heavy_request_times_out_on_time_while_it_computes() {
    let mut f = fixture().await;
    let mut state = f.state.clone();
    state.config = Arc::new(Config {
        request_timeout: LIMIT,
        ..Config::default()
    });
    f.state = state;
    let lkm = f.token_for_lkm("makmur", &[BIBRIK]).await;
    let base = f.serve().await;
    let http = reqwest::Client::new();
    let res = http
        .post(format!("{base}/api/siteplan"))
        .bearer_auth(&lkm)
        .json(&json!({"id": "SP-BERAT", "kode_desa": BIBRIK, "judul": "Rencana tapak"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());

    // Ten features of 40,000 vertices each: every ring is checked and measured.
    let features: Vec<Value> = (0..10)
        .map(|i| {
            json!({"type": "Feature",
                   "properties": {"id": format!("T{i}"), "kategori": "taman", "label": "taman"},
                   "geometry": ring(111.49 + 0.0003 * f64::from(i), -7.58, 40_000)})
        })
        .collect();
    let body = json!({"versi": 1, "fitur": {"type": "FeatureCollection", "features": features}});
    // Serialised here, so the one test worker is free while the request is in flight.
    let body = serde_json::to_vec(&body).unwrap();
    let heavy = {
        let (http, url, lkm) = (
            http.clone(),
            format!("{base}/api/siteplan/SP-BERAT/fitur"),
            lkm.clone(),
        );
        tokio::spawn(async move {
            let start = Instant::now();
            let res = http
                .put(url)
                .bearer_auth(lkm)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), start.elapsed(), Instant::now())
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let res = http.get(format!("{base}/api/health")).send().await.unwrap();
    let light_done = Instant::now();
    assert_eq!(res.status(), 200);

    let (status, took, heavy_done) = heavy.await.unwrap();
    // Before the checks moved off the async workers this answered 200 once they ended.
    assert_eq!(status, 503, "the heavy request answers the timeout status");
    // The server has one async worker; the light request is answered while the heavy
    // one's body (8 MB) is parsed and checked on the blocking pool.
    assert!(
        light_done < heavy_done,
        "the light request waited for the heavy one"
    );
    assert!(
        took < LIMIT * 10,
        "the timeout answered after {took:?}, not near {LIMIT:?}"
    );
}
