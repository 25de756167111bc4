//! Checking large boundaries: a wavy ring of 20,000 and of 200,000 vertices (valid, so
//! every edge is swept), and a comb of 200,000 vertices whose long teeth all overlap in
//! longitude (the shape that makes a plain sweep quadratic).

use std::f64::consts::TAU;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use kumuh_domain::validate_area_geometry;

/// A ring of `n` vertices around Jiwan, about 2 km across, with 40 waves.
fn wavy(n: usize) -> MultiPolygon<f64> {
    let ring: LineString<f64> = (0..n)
        .map(|i| {
            let t = TAU * i as f64 / n as f64;
            let r = 0.01 * (1.0 + 0.1 * (40.0 * t).sin());
            Coord {
                x: 111.5 + r * t.cos(),
                y: -7.6 + r * t.sin(),
            }
        })
        .collect();
    MultiPolygon(vec![Polygon::new(ring, vec![])])
}

/// A comb of `teeth` east-west teeth, 4 vertices each, 0.01° long.
fn comb(teeth: usize) -> MultiPolygon<f64> {
    let h = 0.01 / (2.0 * teeth as f64);
    let (x0, y0) = (111.5, -7.6);
    let mut ring = vec![Coord { x: x0, y: y0 }];
    for t in 0..teeth {
        let y = y0 + 2.0 * t as f64 * h;
        for (x, y) in [
            (x0 + 0.01, y),
            (x0 + 0.01, y + h),
            (x0 + 0.0001, y + h),
            (x0 + 0.0001, y + 2.0 * h),
        ] {
            ring.push(Coord { x, y });
        }
    }
    ring.push(Coord {
        x: x0,
        y: y0 + 2.0 * teeth as f64 * h,
    });
    MultiPolygon(vec![Polygon::new(LineString(ring), vec![])])
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate_area_geometry");
    group.sample_size(10);
    for (name, g) in [
        ("wavy_20000", wavy(20_000)),
        ("wavy_200000", wavy(200_000)),
        ("comb_200000", comb(50_000)),
    ] {
        assert!(validate_area_geometry(&g).is_empty(), "{name} is valid");
        group.bench_function(name, |b| b.iter(|| validate_area_geometry(black_box(&g))));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
