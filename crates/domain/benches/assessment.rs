//! Throughput of the scoring engine: one million generated locations per iteration.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kumuh_domain::Kode;
use kumuh_domain::assessment::{AssessmentInput, RuleSet, assess};

const ROWS: usize = 1_000_000;
const CACHED_ROWS: usize = 10_000;

/// A small deterministic generator (xorshift), so that every run scores the same rows.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn rows(rules: &RuleSet, count: usize) -> Vec<AssessmentInput> {
    let kode_desa = Kode::parse("35.19.09.2014").expect("a valid desa code");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..count)
        .map(|n| {
            let mut input = AssessmentInput::new(format!("K{n:07}"), kode_desa.clone(), 2024);
            input.luas_ha = 0.5 + rng.below(500) as f64 / 100.0;
            input.jumlah_bangunan = 10 + rng.below(90) as u32;
            input.jumlah_kk = 10 + rng.below(110) as u32;
            input.jumlah_penduduk = input.jumlah_kk * 4;
            input.panjang_jalan_ideal_m = 100.0 + rng.below(9000) as f64 / 10.0;
            input.panjang_drainase_ideal_m = 100.0 + rng.below(9000) as f64 / 10.0;
            let mut volumes = BTreeMap::new();
            for c in rules.criteria() {
                let d = input.denominator(c.denominator);
                // 0..110 % of the denominator, so every band and the over-100 % issue occur.
                let share = rng.below(111) as f64 / 100.0;
                volumes.insert(c.code.clone(), (d * share * 100.0).round() / 100.0);
            }
            input.volumes = volumes;
            input
        })
        .collect()
}

fn score_all(rules: &RuleSet, inputs: &[AssessmentInput]) -> u64 {
    let mut total = 0u64;
    for input in inputs {
        total += u64::from(assess(rules, black_box(input)).total);
    }
    total
}

fn bench(c: &mut Criterion) {
    let rules = RuleSet::default_rules();
    let inputs = rows(&rules, ROWS);
    let mut group = c.benchmark_group("assessment");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("score_1m_rows_permen_14_2018", |b| {
        b.iter(|| black_box(score_all(&rules, &inputs)));
    });
    // The same work on rows that stay in the CPU cache: the gap to the 1M-row figure is
    // the cost of fetching each row's volumes from memory.
    let small = &inputs[..CACHED_ROWS];
    group.throughput(Throughput::Elements(CACHED_ROWS as u64));
    group.bench_function("score_10k_rows_permen_14_2018", |b| {
        b.iter(|| black_box(score_all(&rules, small)));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
