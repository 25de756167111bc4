//! What an index takes (features and options) and what it reports about an update or a
//! tile.

use geo_types::{Geometry, Rect};

use crate::mvt::{DEFAULT_EXTENT, Value};
use crate::{Error, Issue, MAX_ZOOM, Result};

/// A feature as the index takes it: an id (written as the MVT feature id), a geometry in
/// EPSG:4326 degrees (x longitude, y latitude) and its properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The feature's id, unique in the layer (a later feature with the same id replaces
    /// an earlier one).
    pub id: u64,
    /// Point, line or polygon geometry (multi and collections of one type too).
    pub geometry: Geometry<f64>,
    /// Properties in the order they should be written.
    pub properties: Vec<(String, Value)>,
}

impl From<(u64, Geometry<f64>, Vec<(String, Value)>)> for Feature {
    fn from((id, geometry, properties): (u64, Geometry<f64>, Vec<(String, Value)>)) -> Self {
        Feature {
            id,
            geometry,
            properties,
        }
    }
}

/// How the index generalises and encodes.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexOptions {
    /// Side of a tile in tile units (the MVT `extent`); 4096 by default.
    pub extent: u32,
    /// How far beyond the tile edge geometry is kept, in tile units; 64 by default, so
    /// that line joins and polygon outlines at the tile edge render without seams.
    pub buffer_units: u32,
    /// Zooms that get a pre-generalised copy of every line and polygon, ascending. A
    /// tile at zoom `z` is cut from the copy of the smallest level `>= z`, or from the
    /// full geometry above the last level; a tile at a level's own zoom is copied from it
    /// without clipping or snapping when it lies inside the tile. Default `[6, 7, 8]`: a
    /// z6 tile over all of Java then reads 160 thousand vertices instead of two and a
    /// half million. (Levels from z9 on would barely shrink the shipped boundaries, which
    /// the source already simplified, so they would only cost memory.)
    pub levels: Vec<u8>,
    /// Snapping step in tile units, by zoom: entry `z` applies to zoom `z`, and the last
    /// entry to every zoom beyond. Each is a power of two in `1..=extent/16` dividing the
    /// extent. Coordinates are rounded to multiples of the step, and the tile's extent is
    /// divided by it (see [`TileIndex::tile`]); steps above 1 generalise the low zooms
    /// (the crate documentation says why this keeps shared borders closed). The default
    /// is 8 up to z7 (one pixel of a 512-pixel tile at the default extent), 4 at z8
    /// (half a pixel), 2 at z9 and z10 (a quarter) and 1 from z11 on, where tiles may be
    /// overzoomed.
    pub grid_units: Vec<u32>,
    /// Below this zoom features carry only their id and geometry, no properties.
    /// Default 0 (properties at every zoom, as far as `max_tile_bytes` allows).
    pub properties_min_zoom: u8,
    /// Size limit of one tile in bytes, 500 KB by default. A tile over it is written
    /// without properties; one still over it is snapped to a step twice as coarse, and so
    /// on up to one pixel of a 256-pixel tile. At z6 over Java the desa names and codes
    /// alone would take more room than the shapes.
    pub max_tile_bytes: usize,
    /// Check polygons for self-intersections and other invalidity (geo's `Validation`)
    /// while indexing; found problems are reported as issues and the polygons are kept.
    /// It is most of the build time: for Java's desa some 3 s of a 4 s build (0.7 s
    /// without).
    /// Non-finite coordinates and degenerate rings are reported either way. Default
    /// `true`.
    pub validate: bool,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            extent: DEFAULT_EXTENT,
            buffer_units: 64,
            levels: vec![6, 7, 8],
            grid_units: vec![8, 8, 8, 8, 8, 8, 8, 8, 4, 2, 2, 1],
            properties_min_zoom: 0,
            max_tile_bytes: 500_000,
            validate: true,
        }
    }
}

impl IndexOptions {
    /// Checks the options: extent in `16..=65536`, buffer at most one extent, levels
    /// ascending and fine enough to index with 32-bit grid numbers (`2^level × extent ≤
    /// 2^30`), grid steps powers of two in `1..=extent/16` that divide the extent.
    pub fn check(&self) -> Result<()> {
        let fail = |field, reason: &str| {
            Err(Error::InvalidOptions {
                field,
                reason: reason.to_string(),
            })
        };
        if !(16..=65_536).contains(&self.extent) {
            return fail("extent", "must be in 16..=65536");
        }
        if self.buffer_units > self.extent {
            return fail("buffer_units", "must not exceed the extent");
        }
        if self.levels.windows(2).any(|w| w[0] >= w[1]) {
            return fail("levels", "must be strictly ascending");
        }
        if self
            .levels
            .iter()
            .any(|&l| l > MAX_ZOOM || (1u64 << l) * u64::from(self.extent) > 1 << 30)
        {
            return fail("levels", "2^level × extent must not exceed 2^30");
        }
        if self.grid_units.is_empty() {
            return fail("grid_units", "needs at least one entry");
        }
        if self.grid_units.iter().any(|&g| {
            !g.is_power_of_two() || g > self.extent / 16 || !self.extent.is_multiple_of(g)
        }) {
            return fail(
                "grid_units",
                "each step must be a power of two in 1..=extent/16 dividing the extent",
            );
        }
        Ok(())
    }

    /// Snapping step at zoom `z`, in tile units.
    pub fn grid_units_at(&self, z: u8) -> u32 {
        let last = self.grid_units.len() - 1;
        self.grid_units[usize::from(z).min(last)]
    }
}

/// What an [`TileIndex::upsert`] changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Lon/lat boxes whose tiles are stale: the old feature's and the new one's. Pass
    /// each to [`TileIndex::affected_tiles`].
    pub affected_lonlat: Vec<Rect<f64>>,
    /// Problems with the new geometry; if it was skipped, the old feature is gone too.
    pub issues: Vec<Issue>,
}

/// Counts from encoding one tile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TileStats {
    /// Features the R-tree offered for the tile.
    pub candidates: usize,
    /// Features written.
    pub features: usize,
    /// Rings and lines that collapsed at this zoom (fewer than three distinct points, or
    /// zero area, after snapping) and were left out.
    pub dropped_parts: usize,
    /// Encoded size in bytes.
    pub bytes: usize,
    /// Snapping step used, in tile units (the layer's extent in the tile is the index's
    /// extent divided by it).
    pub grid_units: u32,
    /// `true` when the tile was over [`IndexOptions::max_tile_bytes`] and was written
    /// without properties.
    pub properties_dropped: bool,
    /// `true` when it was still over and was written without feature ids too.
    pub ids_dropped: bool,
}
