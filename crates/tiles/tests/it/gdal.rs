//! GDAL reads our tiles: `ogrinfo` (Debian's gdal-bin) on a tile written to a file.

use crate::common;

use std::process::Command;

use kumuh_tiles::{IndexOptions, TileId, TileIndex};

fn ogrinfo(args: &[&str]) -> String {
    let out = Command::new("ogrinfo")
        .args(args)
        .output()
        .expect("ogrinfo from gdal-bin is installed");
    assert!(
        out.status.success(),
        "ogrinfo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn ogrinfo_reads_a_desa_tile() {
    let (index, _) = TileIndex::build("desa", IndexOptions::default(), common::jiwan()).unwrap();
    let tile = TileId::covering_lonlat(111.48, -7.61, 12).unwrap();
    let (bytes, stats) = index.tile_with_stats(tile);
    assert!(stats.features > 3);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tile.mvt");
    std::fs::write(&path, &bytes).unwrap();
    let (z, x, y) = (
        tile.z().to_string(),
        tile.x().to_string(),
        tile.y().to_string(),
    );
    let info = ogrinfo(&[
        "-ro",
        "-al",
        "-so",
        "-oo",
        &format!("Z={z}"),
        "-oo",
        &format!("X={x}"),
        "-oo",
        &format!("Y={y}"),
        path.to_str().unwrap(),
    ]);
    assert!(info.contains("Layer name: desa"), "{info}");
    assert!(
        info.contains(&format!("Feature Count: {}", stats.features)),
        "{info}"
    );
    for field in ["nama: String", "kode: String", "luas_km2: Real"] {
        assert!(info.contains(field), "{field} missing from\n{info}");
    }

    // With the tile's address GDAL georeferences it: the features' extent lies in the
    // tile (Web Mercator metres), give or take the buffer.
    let b = tile.bounds_mercator_m();
    let extent_line = info
        .lines()
        .find(|l| l.starts_with("Extent:"))
        .expect("an Extent line");
    let numbers: Vec<f64> = extent_line
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|s| s.parse().ok())
        .collect();
    let margin = (b.max().x - b.min().x) * 64.0 / 4096.0 + 1.0;
    assert_eq!(numbers.len(), 4, "{extent_line}");
    assert!(
        numbers[0] >= b.min().x - margin && numbers[2] <= b.max().x + margin,
        "{extent_line}"
    );
    assert!(
        numbers[1] >= b.min().y - margin && numbers[3] <= b.max().y + margin,
        "{extent_line}"
    );
}
