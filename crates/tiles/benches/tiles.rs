//! Tile encoding speed and size.
//!
//! Jiwan (14 desa, shipped in `data/`) always; Java's 25,267 desa when
//! `shared/data/jawa_desa.geojson.gz` sits three folders above the crate or `KUMUH_JAWA`
//! names the file. For Java the bench first prints a summary to stderr — index build time
//! and size, the average time per tile over the 2,000 tiles of `tile_list_jawa.txt`
//! (made by `shared/bench/tile_list.py`), per-zoom figures and the z6 tile sizes — then
//! measures with criterion.

use std::collections::HashMap;
use std::hint::black_box;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use geo_types::Geometry;
use kumuh_tiles::projection::lonlat_to_unit;
use kumuh_tiles::{Feature, IndexOptions, TileId, TileIndex};

#[path = "../tests/it/common/geojson.rs"]
mod geojson;
#[path = "../tests/it/common/mvt.rs"]
#[allow(dead_code)]
mod mvt;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn jiwan() -> Vec<Feature> {
    let path = manifest_dir().join("../../data/jiwan_desa.geojson");
    let text = std::fs::read_to_string(&path).expect("data/jiwan_desa.geojson");
    geojson::features(&text)
}

fn jawa_path() -> Option<PathBuf> {
    let path = std::env::var_os("KUMUH_JAWA")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../../../shared/data/jawa_desa.geojson.gz"));
    path.exists().then_some(path)
}

fn jawa(path: &Path) -> Vec<Feature> {
    let file = std::fs::File::open(path).expect("Java GeoJSON");
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .expect("gzip GeoJSON");
    geojson::features(&text)
}

fn tile_list() -> Vec<TileId> {
    let text = include_str!("tile_list_jawa.txt");
    text.lines()
        .map(|l| l.parse().expect("z/x/y line"))
        .collect()
}

/// Area of a (multi)polygon in pixels² of 512-pixel tiles at zoom `z`.
fn area_px2(geometry: &Geometry<f64>, z: u8) -> f64 {
    let px = f64::from(1u32 << z) * 512.0;
    let ring_area = |ring: &geo_types::LineString<f64>| {
        let pts: Vec<(f64, f64)> = ring.0.iter().map(|c| lonlat_to_unit(c.x, c.y)).collect();
        let mut s = 0.0;
        for w in pts.windows(2) {
            s += w[0].0 * w[1].1 - w[1].0 * w[0].1;
        }
        (s / 2.0).abs() * px * px
    };
    let polygon = |p: &geo_types::Polygon<f64>| {
        ring_area(p.exterior()) - p.interiors().iter().map(ring_area).sum::<f64>()
    };
    match geometry {
        Geometry::Polygon(p) => polygon(p),
        Geometry::MultiPolygon(mp) => mp.0.iter().map(polygon).sum(),
        _ => 0.0,
    }
}

/// Which desa the z6 tiles draw, against their size in pixels. The index must have no
/// size limit, so that the ids stay in and can be matched; the geometry is the same.
fn pixel_check(index: &TileIndex, areas_px2: &HashMap<u64, f64>) {
    let mut drawn = std::collections::HashSet::new();
    for x in 50..=52 {
        let tile = TileId::new(6, x, 33).unwrap();
        for layer in mvt::decode(&index.tile(tile)).unwrap() {
            drawn.extend(layer.features.iter().filter_map(|f| f.id));
        }
    }
    for min_px2 in [0.5, 1.0, 2.0, 4.0] {
        let big: Vec<u64> = areas_px2
            .iter()
            .filter(|(_, a)| **a >= min_px2)
            .map(|(id, _)| *id)
            .collect();
        let missing = big.iter().filter(|id| !drawn.contains(id)).count();
        eprintln!(
            "  z6: {} desa of at least {min_px2} px² (512-px tiles), {missing} of them not drawn",
            big.len()
        );
    }
}

fn bench_jiwan(c: &mut Criterion) {
    let features = jiwan();
    c.bench_function("jiwan/build", |b| {
        b.iter(|| TileIndex::build("desa", IndexOptions::default(), features.clone()))
    });
    let (index, _) = TileIndex::build("desa", IndexOptions::default(), features).unwrap();
    let bbox = index.bbox_lonlat().unwrap();
    let tiles: Vec<TileId> = (10..=16)
        .flat_map(|z| TileId::covering(bbox, z).unwrap())
        .collect();
    c.bench_function(&format!("jiwan/{} tiles z10-z16", tiles.len()), |b| {
        b.iter(|| {
            tiles
                .iter()
                .map(|&t| index.tile(black_box(t)).len())
                .sum::<usize>()
        })
    });
}

fn summary(index: &TileIndex, tiles: &[TileId]) {
    let mut per_zoom = [(0usize, 0f64, 0usize); 23];
    let start = Instant::now();
    let mut total_bytes = 0;
    for &t in tiles {
        let t0 = Instant::now();
        let bytes = index.tile(t);
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        let z = &mut per_zoom[usize::from(t.z())];
        z.0 += 1;
        z.1 += ms;
        z.2 = z.2.max(bytes.len());
        total_bytes += bytes.len();
    }
    let elapsed = start.elapsed().as_secs_f64();
    eprintln!(
        "jawa: {} tiles in {:.2} s: {:.3} ms per tile on average, {:.1} KB per tile",
        tiles.len(),
        elapsed,
        elapsed * 1e3 / tiles.len() as f64,
        total_bytes as f64 / tiles.len() as f64 / 1e3
    );
    for (z, (n, ms, max)) in per_zoom.iter().enumerate().filter(|(_, z)| z.0 > 0) {
        eprintln!(
            "  z{z:<2} {n:>4} tiles, {:>7.3} ms average, largest {:>7.1} KB",
            ms / *n as f64,
            *max as f64 / 1e3
        );
    }
    let mut z6: Vec<TileId> = tiles.iter().copied().filter(|t| t.z() == 6).collect();
    z6.sort();
    z6.dedup();
    for t in z6 {
        let (bytes, stats) = index.tile_with_stats(t);
        eprintln!(
            "  z6 tile {t}: {:.1} KB, {} features, {} parts collapsed",
            bytes.len() as f64 / 1e3,
            stats.features,
            stats.dropped_parts
        );
    }
}

fn bench_jawa(c: &mut Criterion) {
    let Some(path) = jawa_path() else {
        eprintln!("jawa: no jawa_desa.geojson.gz (set KUMUH_JAWA); skipped");
        return;
    };
    let features = jawa(&path);
    let areas_px2: HashMap<u64, f64> = features
        .iter()
        .map(|f| (f.id, area_px2(&f.geometry, 6)))
        .collect();
    let t0 = Instant::now();
    let (index, issues) =
        TileIndex::build("desa", IndexOptions::default(), features.clone()).unwrap();
    let build_s = t0.elapsed().as_secs_f64();
    // The same without the validity check, and without the size limit so that the z6
    // tiles keep their ids for the pixel check.
    let t0 = Instant::now();
    let unchecked = IndexOptions {
        validate: false,
        max_tile_bytes: usize::MAX,
        properties_min_zoom: 7,
        ..IndexOptions::default()
    };
    let (unlimited, _) = TileIndex::build("desa", unchecked, features).unwrap();
    let build_unchecked_s = t0.elapsed().as_secs_f64();
    let memory = index.memory();
    eprintln!(
        "jawa: {} desa indexed in {build_s:.2} s ({build_unchecked_s:.2} s without the \
         validity check), {} issues; index about {:.1} MB: {memory:?}",
        index.len(),
        issues.len(),
        memory.total_bytes() as f64 / 1e6,
    );
    for issue in issues.iter().take(5) {
        eprintln!("  {issue}");
    }
    pixel_check(&unlimited, &areas_px2);
    drop(unlimited);
    let tiles = tile_list();
    summary(&index, &tiles);

    let mut group = c.benchmark_group("jawa");
    group.sample_size(10);
    group.bench_function("2000 listed tiles", |b| {
        b.iter(|| {
            tiles
                .iter()
                .map(|&t| index.tile(black_box(t)).len())
                .sum::<usize>()
        })
    });
    let z6 = TileId::new(6, 51, 33).unwrap();
    group.bench_function("z6 tile 6/51/33", |b| b.iter(|| index.tile(black_box(z6))));
    group.finish();
}

criterion_group!(benches, bench_jiwan, bench_jawa);
criterion_main!(benches);
