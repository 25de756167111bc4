//! Fuzz target: see `bodies/foto.rs`.
#![no_main]

#[allow(dead_code)]
#[path = "../bodies/foto.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = body::foto(data);
});
