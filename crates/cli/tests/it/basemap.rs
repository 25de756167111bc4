//! `kumuh basemap add|list|remove`: a raster MBTiles cut by GDAL kept in the store, a
//! remote XYZ template registered, and mistakes refused with one line naming them.

use std::path::{Path, PathBuf};

use crate::common;
use crate::gdal;
use common::{fails, kumuh, ok, sqlite3};

/// An orthophoto-like GeoTIFF over Bibrik cut to an MBTiles of zooms 13 to 15, as a
/// planner would with `gdal_translate -of MBTiles` and `gdaladdo`.
fn orthophoto(dir: &Path) -> PathBuf {
    gdal::orthophoto(
        dir,
        &gdal::Ortho {
            name: "ortho-bibrik",
            ullr: ["111.60", "-7.62", "111.63", "-7.65"],
            pixels: 512,
            rgb: [90, 140, 70],
            format: "JPEG",
            overviews: &["2", "4"],
        },
    )
}

#[test]
fn basemaps_are_added_listed_and_removed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kumuh.gpkg");
    ok(&kumuh(&store, &["init"]));
    let file = orthophoto(dir.path());
    let file_s = file.to_str().unwrap();

    let out = kumuh(
        &store,
        &[
            "basemap",
            "add",
            file_s,
            "--name",
            "ortho-bibrik",
            "--title",
            "Foto udara Bibrik",
        ],
    );
    ok(&out);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("22 tiles") && said.contains("zoom 13-15"),
        "{said}"
    );
    ok(&kumuh(
        &store,
        &[
            "basemap",
            "add",
            "https://tile.example.org/{z}/{x}/{y}.png",
            "--name",
            "citra",
            "--attribution",
            "© Contoh",
            "--zoom",
            "3-18",
        ],
    ));
    let list = ok(&kumuh(&store, &["basemap", "list"]));
    assert!(
        list.contains("ortho-bibrik\tFoto udara Bibrik\tberkas\tzoom 13-15\t22 tiles"),
        "{list}"
    );
    assert!(
        list.contains("citra\tcitra\txyz\tzoom 3-18\thttps://tile.example.org/{z}/{x}/{y}.png"),
        "{list}"
    );
    // Kept in the store, JPEG as cut, and the registration audited.
    assert_eq!(
        sqlite3(
            &store,
            "SELECT format, jumlah_ubin FROM peta_dasar WHERE nama = 'ortho-bibrik'"
        ),
        "jpg|22"
    );
    assert_eq!(
        sqlite3(
            &store,
            "SELECT pengguna || ' ' || aksi FROM kumuh_audit WHERE entitas = 'peta_dasar' AND kunci = 'citra'"
        ),
        "kumuh basemap tambah"
    );

    let e = fails(&kumuh(
        &store,
        &["basemap", "add", file_s, "--name", "x", "--zoom", "1-2"],
    ));
    assert!(
        e.contains("--zoom and --bounds are for a URL template"),
        "{e}"
    );
    let e = fails(&kumuh(
        &store,
        &[
            "basemap",
            "add",
            "https://t.example.org/{z}/{x}.png",
            "--name",
            "x",
        ],
    ));
    assert!(e.contains("url") && e.contains("{y}"), "{e}");
    let e = fails(&kumuh(
        &store,
        &[
            "basemap",
            "add",
            "https://t.example.org/{z}/{x}/{y}",
            "--name",
            "x",
            "--zoom",
            "9",
        ],
    ));
    assert!(e.contains("--zoom \"9\""), "{e}");

    // Packed for the field: a raster PMTiles of every tile (no place named: the whole
    // extent), written whole; a remote basemap is not packed.
    let pkg = dir.path().join("ortho-luring.pmtiles");
    let out = kumuh(
        &store,
        &[
            "basemap",
            "export",
            "ortho-bibrik",
            "--out",
            pkg.to_str().unwrap(),
        ],
    );
    ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("22 tiles"),
        "{out:?}"
    );
    let bytes = std::fs::read(&pkg).unwrap();
    assert_eq!(&bytes[..7], b"PMTiles");
    assert_eq!(bytes[99], 3, "tile type JPEG");
    let e = fails(&kumuh(
        &store,
        &["basemap", "export", "citra", "--out", "x.pmtiles"],
    ));
    assert!(e.contains("remote"), "{e}");

    // The atlas's tiles and the basemap's in one file: a ZIP of both PMTiles archives.
    let paket = dir.path().join("paket.zip");
    let export = |out: &Path, basemap: &str| {
        kumuh(
            &store,
            &[
                "export",
                "--format",
                "pmtiles",
                "--basemap",
                basemap,
                "--out",
                out.to_str().unwrap(),
            ],
        )
    };
    let said = ok(&export(&paket, "ortho-bibrik"));
    assert!(
        said.contains("with basemap ortho-bibrik: 22 tiles"),
        "{said}"
    );
    let bytes = std::fs::read(&paket).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert_eq!(
        names,
        ["kumuh.pmtiles", "kumuh-peta-dasar-ortho-bibrik.pmtiles"],
        "{names:?}"
    );
    for (i, tile_type) in [(0, 1u8), (1, 3)] {
        let entry = zip.by_index(i).unwrap();
        assert_eq!(entry.compression(), zip::CompressionMethod::Stored);
        let start = usize::try_from(entry.data_start().unwrap()).unwrap();
        assert_eq!(&bytes[start..start + 7], b"PMTiles");
        assert_eq!(bytes[start + 99], tile_type, "entry {i}: MVT, then JPEG");
    }
    // Not a .zip, a remote basemap, and one that does not exist: named, nothing written.
    let e = fails(&export(&dir.path().join("paket.pmtiles"), "ortho-bibrik"));
    assert!(e.contains("NAME.zip"), "{e}");
    let e = fails(&export(&dir.path().join("citra.zip"), "citra"));
    assert!(e.contains("--basemap") && e.contains("remote"), "{e}");
    let e = fails(&export(&dir.path().join("lain.zip"), "lain"));
    assert!(e.contains("basemap lain does not exist"), "{e}");
    for name in ["paket.pmtiles", "citra.zip", "lain.zip"] {
        assert!(!dir.path().join(name).exists(), "{name}");
    }

    ok(&kumuh(&store, &["basemap", "remove", "ortho-bibrik"]));
    let e = fails(&kumuh(&store, &["basemap", "remove", "ortho-bibrik"]));
    assert!(e.contains("basemap ortho-bibrik does not exist"), "{e}");
    assert_eq!(sqlite3(&store, "SELECT count(*) FROM peta_dasar_ubin"), "0");
    let list = ok(&kumuh(&store, &["basemap", "list"]));
    assert_eq!(list.lines().count(), 1, "{list}");
}

/// With the `gdal` feature a GeoTIFF orthophoto is cut into tiles on the way in: the
/// same tiles at the photo's own zoom as `gdal_translate -of MBTiles` makes, JPEG for a
/// photo without alpha, and lower zooms down to one tile.
#[cfg(feature = "gdal")]
#[test]
fn a_geotiff_is_cut_into_a_kept_basemap_with_the_gdal_feature() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kumuh.gpkg");
    ok(&kumuh(&store, &["init"]));
    let mbtiles = orthophoto(dir.path());
    let tif = mbtiles.with_extension("tif");
    let out = kumuh(
        &store,
        &["basemap", "add", tif.to_str().unwrap(), "--name", "foto"],
    );
    ok(&out);
    let at = |db: &Path, sql: &str| sqlite3(db, sql);
    let top = at(&mbtiles, "SELECT max(zoom_level) FROM tiles");
    assert_eq!(
        at(
            &store,
            &format!("SELECT count(*) FROM peta_dasar_ubin WHERE z = {top}")
        ),
        at(
            &mbtiles,
            &format!("SELECT count(*) FROM tiles WHERE zoom_level = {top}")
        ),
        "{out:?}"
    );
    assert_eq!(
        at(&store, "SELECT format FROM peta_dasar WHERE nama = 'foto'"),
        "jpg"
    );
    // Down to a zoom where the photo is one tile or two.
    let lowest: u32 = at(&store, "SELECT min(z) FROM peta_dasar_ubin")
        .parse()
        .unwrap();
    assert!(lowest < top.parse().unwrap(), "{lowest}");
    assert_eq!(
        at(
            &store,
            "SELECT json_extract(sesudah, '$.sumber') FROM kumuh_audit WHERE entitas = 'peta_dasar' AND kunci = 'foto'"
        ),
        "ortho-bibrik.tif"
    );
    // A raster without georeferencing is refused, naming the file.
    let plain = dir.path().join("polos.tif");
    gdal::gdal(
        "gdal_create",
        &[
            "-q",
            "-of",
            "GTiff",
            "-outsize",
            "64",
            "64",
            "-bands",
            "3",
            plain.to_str().unwrap(),
        ],
    );
    let e = fails(&kumuh(
        &store,
        &["basemap", "add", plain.to_str().unwrap(), "--name", "polos"],
    ));
    assert!(
        e.contains("polos.tif") && e.contains("georeferencing"),
        "{e}"
    );
}

/// Without the `gdal` feature a GeoTIFF is refused with the way to cut it by hand.
#[cfg(not(feature = "gdal"))]
#[test]
fn a_geotiff_names_the_gdal_feature_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kumuh.gpkg");
    ok(&kumuh(&store, &["init"]));
    let tif = orthophoto(dir.path()).with_extension("tif");
    let e = fails(&kumuh(
        &store,
        &["basemap", "add", tif.to_str().unwrap(), "--name", "foto"],
    ));
    assert!(
        e.contains("ortho-bibrik.tif")
            && e.contains("`gdal` feature")
            && e.contains("gdal_translate -of MBTiles"),
        "{e}"
    );
    assert_eq!(sqlite3(&store, "SELECT count(*) FROM peta_dasar"), "0");
}
