//! Vector tiles for Kumuh: EPSG:4326 features in, Mapbox Vector Tiles 2.1 and PMTiles v3
//! out.
//!
//! The crate is pure: it takes iterators of features and returns bytes; it never opens a
//! file, a socket or a database. The pieces:
//!
//! - [`TileId`]: a checked `z/x/y` address in the Web Mercator tile pyramid, its bounds, the
//!   tiles covering a box, parents and children.
//! - [`mvt`]: a hand-written MVT 2.1 protobuf encoder ([`LayerEncoder`]) with per-layer
//!   key and value tables and the geometry command stream.
//! - [`TileIndex`]: one layer of features projected to Web Mercator once, with
//!   pre-generalised copies for the low zooms and an R-tree, answering `tile(z, x, y)` in
//!   a few milliseconds even for all of Java's 25,267 desa (villages).
//! - [`pmtiles`]: a PMTiles v3 archive writer (and a reader, used to check it).
//!
//! # Geometry pipeline and why shared borders do not crack
//!
//! Each feature is projected to Web Mercator, scaled to the tile's integer grid (the
//! layer's `extent`, 4096 by default), clipped to the tile expanded by a buffer, snapped
//! to the grid, and cleaned of repeated and collinear points. Every step is a function of
//! the coordinates alone:
//!
//! - snapping maps a vertex to the same grid point whichever polygon it belongs to, so a
//!   border that two desa share (the same vertices in both) becomes the same snapped
//!   border in both;
//! - a clip intersection is computed from the edge's two end points taken in a canonical
//!   order, so the edge `a→b` of one polygon and `b→a` of its neighbour meet the tile
//!   boundary at exactly the same point;
//! - removing a collinear point does not move the line it lies on, so one neighbour may
//!   drop a point the other keeps without opening a gap.
//!
//! Simplifying each polygon on its own (Douglas–Peucker per polygon) would move the two
//! copies of a shared border differently and open slivers between neighbours; grid
//! snapping cannot. At low zooms the snapping step is coarser than one unit (see
//! [`IndexOptions::grid_units`]; at z6 it is one pixel of a 512-pixel tile), which is
//! what generalises Java's desa to a few hundred kilobytes at z6; a desa smaller than a
//! step collapses and its neighbours' snapped borders close over it, so the mosaic stays
//! without holes. Since coordinates are then multiples of the step, a tile's layer is
//! written with `extent / step` and the step divided out.
//!
//! # Size limit
//!
//! A tile over [`IndexOptions::max_tile_bytes`] (500 KB) is written without properties,
//! then without feature ids, and only then with a coarser step. Over Java, the densest z6
//! tile (18,000 desa) draws 99.9 % of the desa of two square pixels or more, but with
//! geometry only; set [`IndexOptions::properties_min_zoom`] to make such a cut the same
//! on every tile of a zoom.
//!
//! # Examples
//!
//! ```
//! use geo_types::{Geometry, polygon};
//! use kumuh_tiles::{Feature, IndexOptions, TileId, TileIndex, Value};
//!
//! let desa = Feature {
//!     id: 3519092001,
//!     geometry: Geometry::Polygon(polygon![
//!         (x: 111.45, y: -7.60), (x: 111.47, y: -7.60), (x: 111.47, y: -7.58), (x: 111.45, y: -7.58),
//!     ]),
//!     properties: vec![("nama".to_string(), Value::from("Jiwan"))],
//! };
//! let (index, issues) = TileIndex::build("desa", IndexOptions::default(), [desa])?;
//! assert!(issues.is_empty());
//! let tile = TileId::covering_lonlat(111.46, -7.59, 12)?;
//! let mvt: Vec<u8> = index.tile(tile);
//! assert!(!mvt.is_empty());
//! # Ok::<(), kumuh_tiles::Error>(())
//! ```

mod clip;
mod error;
mod index;
mod issue;
pub mod mvt;
pub mod pmtiles;
pub mod projection;
mod shape;
mod simplify;
mod tile_id;

pub use error::{Error, Result};
pub use index::{
    Change, Feature, IndexOptions, MemoryReport, SNAPSHOT_FORMAT, TileIndex, TileStats,
    encode_layers,
};
pub use issue::{Issue, IssueKind};
pub use mvt::{Finished, GeomType, LayerEncoder, TileGeometry, Value};
pub use tile_id::{MAX_ZOOM, TileCover, TileId};
