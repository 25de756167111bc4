//! The works fuzz target (fuzz/bodies/kegiatan.rs), run on stable: every committed
//! seed, then a few hundred inputs near the seeds. It asserts no panic: a work as JSON
//! and each works field parser answer a value or an error.

#[path = "../../../../fuzz/bodies/kegiatan.rs"]
mod kegiatan;
#[path = "../../../../fuzz/bodies/props.rs"]
mod props;

use proptest::prelude::*;

#[test]
fn kegiatan_seeds_are_read() {
    let read = props::seeds("kegiatan")
        .into_iter()
        .filter(|(_, bytes)| kegiatan::kegiatan(bytes))
        .count();
    assert!(read > 0, "no seed is a valid work");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn kegiatan_never_panics(data in props::near_seeds("kegiatan")) {
        kegiatan::kegiatan(&data);
    }
}
