//! Georeferenced rasters (a drone orthophoto as GeoTIFF, or any raster GDAL reads) cut
//! into a raster MBTiles in Web Mercator, which Kumuh then keeps as a basemap like any
//! MBTiles. Only with the `gdal` feature; without it [`ke_mbtiles`] says how to cut the
//! file with GDAL's own tools.
//!
//! Bounded work: at most [`MAX_PIKSEL`] pixels are read; the tiles then pass the
//! basemap's own limits when they are kept.

use std::path::Path;

/// The most pixels (width × height) of a raster cut into tiles: 2 gigapixels, a drone
/// orthophoto of about 4 km² at 5 cm.
pub const MAX_PIKSEL: u64 = 2_000_000_000;

/// Cuts the raster at `src` into tiles written to a new raster MBTiles at `dst`: JPEG
/// tiles for a raster without an alpha band, PNG with one (transparent outside the
/// photo), zoom levels from the raster's resolution down to one tile.
#[cfg(feature = "gdal")]
pub fn ke_mbtiles(src: &Path, dst: &Path) -> Result<(), String> {
    use gdal::raster::{ColorInterpretation, RasterCreationOptions};
    use gdal::{Dataset, DatasetOptions, DriverManager, GdalOpenFlags};

    let name = crate::foreign::ogr::local_name(src)?;
    let options = DatasetOptions {
        open_flags: GdalOpenFlags::GDAL_OF_RASTER | GdalOpenFlags::GDAL_OF_READONLY,
        ..Default::default()
    };
    let ds = Dataset::open_ex(src, options)
        .map_err(|e| format!("{name}: not a raster GDAL reads ({e})"))?;
    let (w, h) = ds.raster_size();
    if (w as u64).saturating_mul(h as u64) > MAX_PIKSEL {
        return Err(format!(
            "{name}: {w} × {h} pixels is more than the {MAX_PIKSEL} a basemap is cut from; cut it into parts or lower its resolution (gdal_translate -outsize)"
        ));
    }
    if ds.spatial_ref().is_err() || ds.geo_transform().is_err() {
        return Err(format!(
            "{name}: has no georeferencing (no coordinate system or no geotransform)"
        ));
    }
    let alpha = ds
        .rasterbands()
        .filter_map(Result::ok)
        .any(|b| b.color_interpretation() == ColorInterpretation::AlphaBand);
    let format = if alpha { "PNG" } else { "JPEG" };
    let driver = DriverManager::get_driver_by_name("MBTiles")
        .map_err(|e| format!("this GDAL has no MBTiles driver ({e})"))?;
    let creation = RasterCreationOptions::from_iter([format!("TILE_FORMAT={format}")]);
    let mut out = ds
        .create_copy(&driver, dst, &creation)
        .map_err(|e| format!("{name}: cannot be cut into tiles ({e})"))?;
    // Overviews halve the resolution until the whole raster fits one 256-pixel tile.
    let (ow, oh) = out.raster_size();
    let mut levels = Vec::new();
    let mut factor: usize = 2;
    while ow.max(oh) / factor >= 256 && factor < 1 << 20 {
        levels.push(factor as i32);
        factor *= 2;
    }
    if !levels.is_empty() {
        out.build_overviews("AVERAGE", &levels, &[])
            .map_err(|e| format!("{name}: its lower zoom levels failed ({e})"))?;
    }
    Ok(())
}

/// Without the `gdal` feature: says how to cut the file with GDAL's tools instead.
#[cfg(not(feature = "gdal"))]
pub fn ke_mbtiles(src: &Path, _dst: &Path) -> Result<(), String> {
    Err(format!(
        "{}: a GeoTIFF basemap needs a Kumuh built with the `gdal` feature; or cut it yourself with `gdal_translate -of MBTiles` and `gdaladdo`, and add the .mbtiles",
        src.display()
    ))
}
