//! Fuzz target: see `bodies/foreign.rs`.
#![no_main]

#[allow(dead_code)]
#[path = "../bodies/foreign.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = body::flatgeobuf(data);
});
