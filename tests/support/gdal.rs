//! GDAL's command-line tools (Debian's gdal-bin) in tests: running them, and the
//! orthophoto-like rasters of the basemap tests (a uniform colour over a box, cut to an
//! MBTiles with overviews, as a planner cuts a drone orthophoto). Shared by the store,
//! server, CLI and end-to-end tests (`#[path]`), so each builds its fixtures the same way.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs GDAL's `tool` with `args`, which must succeed; answers its standard output.
pub fn gdal(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed (Debian package gdal-bin): {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `ogr2ogr ARGS`; `false` (with a message) when GDAL is not installed.
pub fn ogr2ogr(args: &[&str]) -> bool {
    match Command::new("ogr2ogr").args(args).output() {
        Err(e) => {
            eprintln!(
                "ogr2ogr is not installed ({e}): skipping (scripts/test.sh installs gdal-bin)"
            );
            false
        }
        Ok(out) => {
            assert!(
                out.status.success(),
                "ogr2ogr {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            true
        }
    }
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
        "-q", "-of", "GTiff", "-outsize", &size, &size, "-bands", "3",
    ];
    create.extend(["-burn", &r, "-burn", &g, "-burn", &b, "-ot", "Byte"]);
    create.extend(["-a_srs", "EPSG:4326", "-a_ullr"]);
    create.extend(o.ullr);
    create.push(tif_s);
    gdal("gdal_create", &create);
    let tile_format = format!("TILE_FORMAT={}", o.format);
    let translate = ["-q", "-of", "MBTiles", "-co", &tile_format, tif_s, mb_s];
    gdal("gdal_translate", &translate);
    let mut addo = vec!["-q", mb_s];
    addo.extend(o.overviews);
    gdal("gdaladdo", &addo);
    mbtiles
}
