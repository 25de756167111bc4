//! Fuzz target: see `bodies/kegiatan.rs`.
#![no_main]

#[allow(dead_code)]
#[path = "../bodies/kegiatan.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = body::kegiatan(data);
});
