//! Fuzz target: see `bodies/geojson_import.rs`.
#![no_main]

#[allow(dead_code)]
#[path = "../bodies/geojson_import.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = body::geojson_import(data);
});
