//! What a public read of works costs once a large segment is stored.
//!
//! `cargo run --release -p kumuh-app --example read_cost -- [vertices] [rounds]`
//! (defaults 49999, the cap with the closing vertex, and 5): stores the Bibrik example work with one more
//! segment, a polygon of `vertices` vertices, then times what the public reads do: load
//! every work (`list_kegiatan`), summarise each (what `/api/kegiatan` and `/api/segmen`
//! show) and build the funding report. Prints the median of `rounds` runs in
//! milliseconds.

#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::time::Instant;

use geo_types::{Geometry, LineString, Polygon};
use kumuh_domain::works::{Satuan, Segmen, SegmenId, Volume};
use kumuh_store::{GpkgStore, KegiatanQuery, KegiatanWrite, OpenMode, Store};

fn median_ms(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let vertices: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(49_999);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (store, _) = GpkgStore::open(&dir.path().join("read.gpkg"), OpenMode::CreateIfMissing)
        .await
        .expect("a new store");
    let mut k = kumuh_domain::works::contoh::bibrik_paving();
    let ring: Vec<(f64, f64)> = (0..=vertices)
        .map(|i| {
            let a = std::f64::consts::TAU * (i % vertices) as f64 / vertices as f64;
            (111.49 + 0.001 * a.cos(), -7.58 + 0.001 * a.sin())
        })
        .collect();
    let big = Segmen::new(
        SegmenId::new("BESAR").expect("an id"),
        "Taman besar".to_owned(),
        Geometry::Polygon(Polygon::new(LineString::from(ring), vec![])),
        Some(Volume::whole(1_000)),
        Satuan::M2,
    )
    .expect("a valid segment");
    k.add_segmen(big).expect("a new segment");
    store
        .save_kegiatan(&KegiatanWrite::new(&k))
        .await
        .expect("saved");
    let atlas = kumuh_app::Atlas::new(Arc::new(store.clone()));

    let (mut load, mut summary, mut report) = (vec![], vec![], vec![]);
    for _ in 0..rounds {
        let t = Instant::now();
        let works = store
            .list_kegiatan(&KegiatanQuery::default())
            .await
            .expect("listed");
        load.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        for w in &works {
            w.kegiatan.summary().expect("a summary");
        }
        summary.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        kumuh_app::laporan::pendanaan(&atlas, None, true)
            .await
            .expect("a report");
        report.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "{vertices} vertices: load {:.1} ms, summaries {:.1} ms, funding report {:.1} ms (median of {rounds})",
        median_ms(load),
        median_ms(summary),
        median_ms(report)
    );
}
