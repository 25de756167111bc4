//! Fuzz target: see `bodies/upk_pinjaman.rs`.
#![no_main]

#[allow(dead_code)]
#[path = "../bodies/upk_pinjaman.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = body::upk_pinjaman_csv(data);
});
