//! Fuzz target: see `bodies/assessment.rs`.
#![no_main]

#[allow(dead_code)]
#[path = "../bodies/assessment.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = body::assessment_csv(data);
});
