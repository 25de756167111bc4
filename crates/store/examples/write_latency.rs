//! How long a write takes while many readers keep the store busy.
//!
//! `cargo run --release -p kumuh-store --example write_latency -- [readers] [writes]`
//! (defaults 200 and 60): fills a temporary store with 300 desa, times `writes` single
//! place writes with no readers, then again while `readers` tasks list every desa with its
//! geometry in a loop, and prints p50 and p99 of each run in milliseconds.

#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use geo_types::{LineString, MultiPolygon, Polygon};
use kumuh_domain::{Kode, Level, Place};
use kumuh_store::{GpkgStore, OpenMode, PlaceQuery, Store};

/// A desa with a 64-vertex boundary, so reads carry real geometry.
fn desa(i: usize, nama: &str) -> Place {
    let (lon, lat) = (
        111.0 + (i % 20) as f64 * 0.02,
        -7.6 + (i / 20) as f64 * 0.02,
    );
    let ring: Vec<(f64, f64)> = (0..=64)
        .map(|k| {
            let a = std::f64::consts::TAU * f64::from(k % 64) / 64.0;
            (lon + 0.008 * a.cos(), lat + 0.008 * a.sin())
        })
        .collect();
    Place {
        kode: Kode::parse(&format!("35.19.09.{}", 2001 + i)).expect("a valid code"),
        kode_bps: None,
        nama: nama.to_owned(),
        nama_alt: vec![],
        geometry: Some(MultiPolygon(vec![Polygon::new(
            LineString::from(ring),
            vec![],
        )])),
        attributes: Default::default(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn time_writes(store: &GpkgStore, writes: usize) -> Vec<Duration> {
    let mut took = Vec::with_capacity(writes);
    for w in 0..writes {
        let place = desa(w % 300, &format!("Desa {w}"));
        let start = Instant::now();
        store
            .upsert_places(std::slice::from_ref(&place))
            .await
            .expect("a write");
        took.push(start.elapsed());
    }
    took.sort();
    took
}

fn report(label: &str, took: &[Duration]) {
    println!(
        "{label:<24} writes {:>4}  p50 {:>9.2} ms  p99 {:>9.2} ms",
        took.len(),
        percentile(took, 0.50),
        percentile(took, 0.99)
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let readers: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let writes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(60);

    let dir = tempfile::tempdir().expect("a temporary directory");
    let (store, _) = GpkgStore::open(&dir.path().join("bench.gpkg"), OpenMode::CreateIfMissing)
        .await
        .expect("a new store");
    let places: Vec<Place> = (0..300).map(|i| desa(i, &format!("Desa {i}"))).collect();
    store.upsert_places(&places).await.expect("seeding");

    report("no readers", &time_writes(&store, writes).await);

    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..readers)
        .map(|_| {
            let (store, stop, reads) = (store.clone(), stop.clone(), reads.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    store
                        .places(&PlaceQuery::level(Level::Desa))
                        .await
                        .expect("a read");
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    // Let the readers fill every connection before timing.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let start = Instant::now();
    let took = time_writes(&store, writes).await;
    let elapsed = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.expect("a reader task");
    }
    report(&format!("{readers} readers"), &took);
    println!(
        "{:<24} {:.0} reads/s while writing",
        "",
        reads.load(Ordering::Relaxed) as f64 / elapsed.as_secs_f64()
    );
    store.close().await;
}
