//! Fuzz target: see `bodies/pmtiles.rs`.
#![no_main]

#[allow(dead_code)]
#[path = "../bodies/pmtiles.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = body::pmtiles(data);
});
