//! Offline packages for the field: the atlas's tile layers over a place as one PMTiles
//! archive, and with a kept basemap named, both archives (the atlas's vector tiles and
//! the basemap's raster tiles over the same place) in one ZIP of stored entries that the
//! viewer opens whole. The same function answers `GET /api/peta-luring` and
//! `kumuh export --format pmtiles`.

use crate::tiles::{Package, PackageError, Tiles};
use crate::{AppError, Atlas, Result};

/// The most tiles a package asked over HTTP may address (the command line has no such
/// limit: it writes where its user chose).
pub const PAKET_MAX_UBIN: u64 = 200_000;

/// A package ready to be saved or sent.
#[derive(Debug, Clone)]
pub struct PaketAtlas {
    /// Its file name: `kumuh[-KODE].pmtiles`, or `.zip` with a basemap.
    pub nama_berkas: String,
    /// Its media type: `application/vnd.pmtiles` or `application/zip`.
    pub jenis: &'static str,
    /// The file.
    pub bytes: Vec<u8>,
    /// The tile layers in the atlas archive.
    pub lapisan: Vec<String>,
    /// The atlas archive's tiles: directory entries and distinct contents.
    pub ubin: (u64, u64),
    /// The basemap's tiles in the package, when one was asked.
    pub ubin_peta_dasar: Option<usize>,
}

impl From<PackageError> for AppError {
    fn from(e: PackageError) -> AppError {
        match e {
            PackageError::Zooms => AppError::invalid("minzoom/maxzoom", e.to_string()),
            PackageError::UnknownLayer(_) => AppError::invalid("lapisan", e.to_string()),
            PackageError::NoBoundary(_) => AppError::invalid("wilayah", e.to_string()),
            PackageError::NoPlace(_) | PackageError::Empty => AppError::NotFound(e.to_string()),
            PackageError::Store(e) => e.into(),
        }
    }
}

/// Packs `package` from the atlas's tile layers (and with `peta_dasar`, that kept
/// basemap's tiles over the same place, see [`crate::peta_dasar::luring`]), addressing at
/// most `max_ubin` tiles when given. The tiles are encoded on the blocking pool.
pub async fn paket(
    atlas: &Atlas,
    package: &Package,
    peta_dasar: Option<&str>,
    max_ubin: Option<u64>,
) -> Result<PaketAtlas> {
    let (layers, bbox) = atlas
        .tiles
        .package_extent(atlas.store.as_ref(), package)
        .await?;
    let zooms = package.minzoom..=package.maxzoom;
    let tiles = Tiles::package_tiles(bbox, zooms.clone());
    if let Some(max) = max_ubin.filter(|&max| tiles > max) {
        return Err(AppError::invalid(
            "wilayah",
            format!(
                "the package would address {tiles} tiles, more than {max}; choose a smaller area or a lower maxzoom, or use `kumuh export --format pmtiles`"
            ),
        ));
    }
    // The basemap first: a name that does not exist or a remote basemap is refused
    // before any tile is encoded.
    let basemap = match peta_dasar {
        Some(nama) => Some(crate::peta_dasar::luring(atlas, nama, package.wilayah.as_ref()).await?),
        None => None,
    };
    let lapisan: Vec<String> = layers.into_iter().map(str::to_owned).collect();
    let service = atlas.tiles.clone();
    let ids = lapisan.clone();
    let (archive, summary) = crate::blocking(move || {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        let summary = service
            .pmtiles(&ids, bbox, zooms, &mut out)
            .map_err(|e| AppError::internal(format!("writing the PMTiles archive: {e}")))?;
        Ok((out, summary))
    })
    .await?;
    let stem = match &package.wilayah {
        Some(k) => format!("kumuh-{k}"),
        None => "kumuh".to_owned(),
    };
    let ubin = (summary.tile_entries, summary.tile_contents);
    let atlas_name = format!("{stem}.pmtiles");
    let Some(basemap) = basemap else {
        return Ok(PaketAtlas {
            nama_berkas: atlas_name,
            jenis: "application/vnd.pmtiles",
            bytes: archive,
            lapisan,
            ubin,
            ubin_peta_dasar: None,
        });
    };
    let ubin_peta_dasar = Some(basemap.jumlah_ubin);
    let bytes = crate::blocking(move || {
        kumuh_io::ekspor::write_paket_zip(&[
            (&atlas_name, &archive),
            (&basemap.nama_berkas, &basemap.bytes),
        ])
        .map_err(|e| AppError::invalid("peta_dasar", e.to_string()))
    })
    .await?;
    Ok(PaketAtlas {
        nama_berkas: format!("{stem}.zip"),
        jenis: "application/zip",
        bytes,
        lapisan,
        ubin,
        ubin_peta_dasar,
    })
}
