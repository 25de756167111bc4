//! Orthophoto-like rasters for the basemap tests, made with GDAL's command-line tools
//! (Debian's gdal-bin): a uniform colour over a box, cut to an MBTiles with overviews, as
//! a planner cuts a drone orthophoto. Shared by the store, CLI and end-to-end tests
//! (`#[path]`), so each test crate builds its fixture the same way.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a GDAL tool (`args[0]`) that must succeed.
pub fn gdal(args: &[&str]) {
    let out = Command::new(args[0])
        .args(&args[1..])
        .output()
        .unwrap_or_else(|e| panic!("{} is needed (Debian package gdal-bin): {e}", args[0]));
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What to make.
pub struct Ortho<'a> {
    /// The file's stem (`NAME.tif`, `NAME.mbtiles` in the directory).
    pub name: &'a str,
    /// West, north, east, south in degrees.
    pub ullr: [&'a str; 4],
    /// Width and height in pixels.
    pub pixels: u32,
    /// Its one colour.
    pub rgb: [u8; 3],
    /// The tiles' format: `PNG` or `JPEG`.
    pub format: &'a str,
    /// Overview factors (`2 4 …`): each adds a lower zoom.
    pub overviews: &'a [&'a str],
}

/// Makes the raster in `dir` and cuts it to an MBTiles; answers the MBTiles.
pub fn orthophoto(dir: &Path, o: &Ortho<'_>) -> PathBuf {
    let tif = dir.join(format!("{}.tif", o.name));
    let mbtiles = dir.join(format!("{}.mbtiles", o.name));
    let (tif_s, mb_s) = (tif.to_str().unwrap(), mbtiles.to_str().unwrap());
    let size = o.pixels.to_string();
    let [r, g, b] = o.rgb.map(|c| c.to_string());
    let mut create = vec![
        "gdal_create",
        "-q",
        "-of",
        "GTiff",
        "-outsize",
        &size,
        &size,
        "-bands",
        "3",
    ];
    create.extend(["-burn", &r, "-burn", &g, "-burn", &b, "-ot", "Byte"]);
    create.extend(["-a_srs", "EPSG:4326", "-a_ullr"]);
    create.extend(o.ullr);
    create.push(tif_s);
    gdal(&create);
    let tile_format = format!("TILE_FORMAT={}", o.format);
    gdal(&[
        "gdal_translate",
        "-q",
        "-of",
        "MBTiles",
        "-co",
        &tile_format,
        tif_s,
        mb_s,
    ]);
    let mut addo = vec!["gdaladdo", "-q", mb_s];
    addo.extend(o.overviews);
    gdal(&addo);
    mbtiles
}
