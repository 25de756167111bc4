//! The crate's one error type.

use crate::TileId;

/// What can go wrong in `kumuh-tiles`.
///
/// Bad input geometry is not an error: the tile index skips it and reports an
/// [`Issue`](crate::Issue) instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A tile address outside the pyramid: `field` is `z`, `x` or `y`.
    #[error("tile {field} = {value} is out of range: it must be at most {max}")]
    InvalidTile {
        /// Which part of the address is wrong: `"z"`, `"x"` or `"y"`.
        field: &'static str,
        /// The value given.
        value: u64,
        /// The largest value allowed (for `x` and `y`, `2^z - 1`).
        max: u64,
    },

    /// A `z/x/y` string that does not parse.
    #[error("{input:?} is not a tile address of the form z/x/y")]
    ParseTile {
        /// The text given.
        input: String,
    },

    /// A coordinate that is not a finite longitude and latitude.
    #[error("({lon}, {lat}) is not a finite longitude/latitude in degrees")]
    InvalidLonLat {
        /// Longitude in degrees.
        lon: f64,
        /// Latitude in degrees.
        lat: f64,
    },

    /// An option out of its range.
    #[error("option {field}: {reason}")]
    InvalidOptions {
        /// The option's name.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },

    /// Tile geometry handed to [`LayerEncoder`](crate::LayerEncoder) that would make an
    /// invalid MVT command stream.
    #[error("tile geometry part {part}: {reason}")]
    InvalidTileGeometry {
        /// Index of the point group, line or ring.
        part: usize,
        /// Why it cannot be encoded.
        reason: &'static str,
    },

    /// The same tile added twice to a PMTiles archive.
    #[error("tile {tile} was added twice to the PMTiles archive")]
    DuplicateTile {
        /// The tile.
        tile: TileId,
    },

    /// A PMTiles archive with no tile (the format has no empty directories).
    #[error("a PMTiles archive needs at least one non-empty tile")]
    EmptyArchive,

    /// A PMTiles archive that cannot be read.
    #[error("not a readable PMTiles v3 archive: {reason}")]
    PmTiles {
        /// What is wrong with it.
        reason: String,
    },

    /// Bytes that [`TileIndex::from_snapshot`](crate::TileIndex::from_snapshot) refused.
    #[error("not a usable tile index snapshot: {reason}")]
    Snapshot {
        /// Why.
        reason: String,
    },

    /// Writing to the caller's sink failed.
    #[error("{context}")]
    Io {
        /// What was being written.
        context: &'static str,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
