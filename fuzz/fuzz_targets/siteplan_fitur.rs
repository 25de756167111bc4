//! Fuzz target: see `bodies/siteplan_fitur.rs`.
#![no_main]

#[allow(dead_code)]
#[path = "../bodies/siteplan_fitur.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = body::siteplan_fitur(data);
});
