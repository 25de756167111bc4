//! The PMTiles reader's fuzz target (fuzz/bodies/pmtiles.rs), run on stable: every
//! committed seed, then a few hundred inputs near the seeds. It asserts no panic: the
//! reader answers its value or an error.

#[path = "../../../../fuzz/bodies/pmtiles.rs"]
mod pmtiles;
#[path = "../../../../fuzz/bodies/props.rs"]
mod props;

use proptest::prelude::*;

#[test]
fn pmtiles_seeds_are_read() {
    let read = props::seeds("pmtiles")
        .into_iter()
        .filter(|(_, bytes)| pmtiles::pmtiles(bytes))
        .count();
    assert!(read > 0, "no seed archive gave a tile");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn pmtiles_never_panics(data in props::near_seeds("pmtiles")) {
        pmtiles::pmtiles(&data);
    }
}
