//! Helpers shared by the integration tests.

#![allow(dead_code)]

pub mod geojson;
pub mod mvt;

use std::path::PathBuf;

use kumuh_tiles::Feature;

/// The 14 desa of Kecamatan Jiwan shipped in `data/`.
pub fn jiwan() -> Vec<Feature> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/jiwan_desa.geojson");
    let text = std::fs::read_to_string(&path).expect("data/jiwan_desa.geojson");
    geojson::features(&text)
}
