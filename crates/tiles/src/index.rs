//! The in-memory tile index of one layer.

use std::collections::HashMap;
use std::fmt;
use std::ops::RangeInclusive;

use geo_types::{Geometry, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::clip::{Parts, all_inside, clip_line, clip_ring};
use crate::mvt::{DEFAULT_EXTENT, GeomType, LayerEncoder, TileGeometry, Value, ValueKey};
use crate::projection::{WORLD_UNITS, lonlat_to_unit};
use crate::shape::{Arena, Pool, Role, Shape, ShapeRef, generalise, project};
use crate::simplify::{clean_line, clean_ring, ring_area2, to_grid};
use crate::tile_id::{TileCover, unit_box_to_range};
use crate::{Error, MAX_ZOOM, Result, TileId};

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

/// Something wrong with one input feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// The feature's id.
    pub feature_id: u64,
    /// What is wrong.
    pub kind: IssueKind,
    /// `true` when the whole feature was left out of the index; `false` when only the
    /// named part was dropped, or nothing (the feature is drawn as it is).
    pub skipped: bool,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outcome = if self.skipped {
            "feature left out"
        } else {
            "feature kept"
        };
        write!(f, "feature {}: {} ({outcome})", self.feature_id, self.kind)
    }
}

/// The kinds of [`Issue`]. `part` counts the polygons (or lines) of a multi-geometry
/// from 0; `ring` is 0 for the exterior ring and 1.. for the holes.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum IssueKind {
    /// A coordinate that is not finite, or lies outside ±180° longitude / ±90° latitude.
    BadCoordinate {
        /// Polygon, line or point group.
        part: usize,
        /// Ring within the polygon.
        ring: usize,
        /// Vertex within the ring or line.
        vertex: usize,
        /// Longitude as given.
        lon: f64,
        /// Latitude as given.
        lat: f64,
    },
    /// No coordinates at all.
    Empty,
    /// A ring with fewer than three distinct points, or a line with fewer than two.
    TooFewPoints {
        /// Polygon or line.
        part: usize,
        /// Ring within the polygon.
        ring: usize,
    },
    /// A ring enclosing no area.
    ZeroArea {
        /// Polygon.
        part: usize,
        /// Ring within the polygon.
        ring: usize,
    },
    /// A geometry collection mixing points, lines and polygons (an MVT feature has one
    /// type).
    MixedGeometry,
    /// A polygon that is not valid by OGC rules (for instance a ring that touches or
    /// crosses itself); it is still drawn.
    Invalid {
        /// Polygon.
        part: usize,
        /// What the validator found.
        reason: String,
    },
    /// An id already used by an earlier feature, which this one replaced.
    DuplicateId,
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssueKind::BadCoordinate {
                part,
                ring,
                vertex,
                lon,
                lat,
            } => write!(
                f,
                "part {part} ring {ring} vertex {vertex}: ({lon}, {lat}) is not a finite lon/lat"
            ),
            IssueKind::Empty => write!(f, "geometry is empty"),
            IssueKind::TooFewPoints { part, ring } => {
                write!(
                    f,
                    "part {part} ring {ring}: too few distinct points, dropped"
                )
            }
            IssueKind::ZeroArea { part, ring } => {
                write!(f, "part {part} ring {ring}: zero area, dropped")
            }
            IssueKind::MixedGeometry => write!(f, "collection mixes geometry types"),
            IssueKind::Invalid { part, reason } => write!(f, "part {part}: {reason}"),
            IssueKind::DuplicateId => write!(f, "id used again; the later feature replaces it"),
        }
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

type TreeItem = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// A box that intersects nothing.
const EMPTY_BOX: [u32; 4] = [u32::MAX, u32::MAX, 0, 0];

#[derive(Debug)]
struct Stored {
    id: u64,
    /// Hash of the feature as given (geometry and properties), to tell a re-sent feature
    /// from a changed one.
    fingerprint: u64,
    kind: GeomType,
    bbox_world: [u32; 4],
    bbox_lonlat: Rect<f64>,
}

/// A feature ready to be placed in a slot: its record and its geometry copies.
#[derive(Debug)]
struct Prepared {
    stored: Stored,
    raw: Shape<[u32; 2]>,
    /// One generalised copy per configured level (none for points; empty where the
    /// feature vanished at that level).
    levels: Vec<Shape<[i32; 2]>>,
    /// Properties as indices into the index's key and value tables.
    tags: Vec<[u32; 2]>,
}

impl Stored {
    fn tree_item(&self, slot: usize) -> TreeItem {
        let [x0, y0, x1, y1] = self.bbox_world.map(f64::from);
        GeomWithData::new(Rectangle::from_corners([x0, y0], [x1, y1]), slot)
    }
}

/// One layer of features, projected once and indexed, that encodes any tile on demand.
///
/// `tile` takes `&self`, so one index can serve many threads (behind an `RwLock` when
/// it is also updated).
///
/// # Examples
///
/// ```
/// use geo_types::{Geometry, polygon};
/// use kumuh_tiles::{Feature, IndexOptions, TileId, TileIndex};
///
/// let square = |id, x: f64| Feature {
///     id,
///     geometry: Geometry::Polygon(polygon![
///         (x: x, y: -7.6), (x: x + 0.01, y: -7.6), (x: x + 0.01, y: -7.59), (x: x, y: -7.59),
///     ]),
///     properties: vec![],
/// };
/// let (mut index, _issues) =
///     TileIndex::build("desa", IndexOptions::default(), [square(1, 111.45), square(2, 111.46)])?;
/// let tile = TileId::covering_lonlat(111.46, -7.595, 10)?;
/// assert!(!index.tile(tile).is_empty());
///
/// // Moving a feature says which tiles a cache must drop.
/// let change = index.upsert(square(2, 111.50));
/// let stale: Vec<TileId> = change
///     .affected_lonlat
///     .iter()
///     .flat_map(|bbox| index.affected_tiles(*bbox, 10..=14))
///     .collect();
/// assert!(stale.contains(&tile));
/// # Ok::<(), kumuh_tiles::Error>(())
/// ```
/// A hash of a feature's geometry (structure and coordinates, bit for bit) and properties.
fn fingerprint(feature: &Feature) -> u64 {
    use std::hash::{Hash, Hasher};
    fn coords(h: &mut impl Hasher, cs: &[geo_types::Coord<f64>]) {
        cs.len().hash(h);
        for c in cs {
            c.x.to_bits().hash(h);
            c.y.to_bits().hash(h);
        }
    }
    fn polygon(h: &mut impl Hasher, p: &geo_types::Polygon<f64>) {
        coords(h, &p.exterior().0);
        p.interiors().len().hash(h);
        for ring in p.interiors() {
            coords(h, &ring.0);
        }
    }
    fn geometry(h: &mut impl Hasher, g: &Geometry<f64>) {
        std::mem::discriminant(g).hash(h);
        match g {
            Geometry::Point(p) => coords(h, &[p.0]),
            Geometry::MultiPoint(mp) => coords(h, &mp.0.iter().map(|p| p.0).collect::<Vec<_>>()),
            Geometry::Line(l) => coords(h, &[l.start, l.end]),
            Geometry::LineString(l) => coords(h, &l.0),
            Geometry::MultiLineString(ml) => {
                ml.0.len().hash(h);
                for l in &ml.0 {
                    coords(h, &l.0);
                }
            }
            Geometry::Polygon(p) => polygon(h, p),
            Geometry::MultiPolygon(mp) => {
                mp.0.len().hash(h);
                for p in &mp.0 {
                    polygon(h, p);
                }
            }
            Geometry::Rect(r) => coords(h, &[r.min(), r.max()]),
            Geometry::Triangle(t) => coords(h, &[t.v1(), t.v2(), t.v3()]),
            Geometry::GeometryCollection(gc) => {
                gc.0.len().hash(h);
                for g in &gc.0 {
                    geometry(h, g);
                }
            }
        }
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    geometry(&mut h, &feature.geometry);
    feature.properties.len().hash(&mut h);
    for (k, v) in &feature.properties {
        k.hash(&mut h);
        ValueKey::from(v).hash(&mut h);
    }
    h.finish()
}

#[derive(Debug)]
pub struct TileIndex {
    name: String,
    options: IndexOptions,
    slots: Vec<Option<Stored>>,
    free: Vec<usize>,
    by_id: HashMap<u64, usize>,
    tree: RTree<TreeItem>,
    /// Full geometry in world units, by slot.
    raw: Arena<[u32; 2]>,
    /// Generalised copies, one arena per configured level, by slot.
    levels: Vec<Arena<[i32; 2]>>,
    /// Properties as `[key, value]` indices, by slot.
    tags: Pool<[u32; 2]>,
    /// World-unit boxes by slot (an empty slot's box intersects nothing), scanned instead
    /// of the R-tree when a tile covers much of the data.
    boxes: Vec<[u32; 4]>,
    /// World-unit box around every feature ever indexed.
    data_box: [u32; 4],
    keys: Vec<String>,
    key_ids: HashMap<String, u32>,
    values: Vec<Value>,
    value_ids: HashMap<ValueKey, u32>,
    /// Each value's MVT encoding, by value index.
    encoded_values: Pool<u8>,
}

impl TileIndex {
    /// An empty index for the layer `name`.
    pub fn new(name: impl Into<String>, options: IndexOptions) -> Result<Self> {
        options.check()?;
        let levels = options.levels.iter().map(|_| Arena::default()).collect();
        Ok(TileIndex {
            name: name.into(),
            options,
            slots: Vec::new(),
            free: Vec::new(),
            by_id: HashMap::new(),
            tree: RTree::new(),
            raw: Arena::default(),
            levels,
            tags: Pool::default(),
            boxes: Vec::new(),
            data_box: EMPTY_BOX,
            keys: Vec::new(),
            key_ids: HashMap::new(),
            values: Vec::new(),
            value_ids: HashMap::new(),
            encoded_values: Pool::default(),
        })
    }

    /// Builds the index from features, returning it with every problem found in them.
    /// Only the options can make it fail.
    pub fn build(
        name: impl Into<String>,
        options: IndexOptions,
        features: impl IntoIterator<Item = Feature>,
    ) -> Result<(Self, Vec<Issue>)> {
        let mut index = TileIndex::new(name, options)?;
        let mut issues = Vec::new();
        for feature in features {
            if index.by_id.contains_key(&feature.id) {
                issues.push(Issue {
                    feature_id: feature.id,
                    kind: IssueKind::DuplicateId,
                    skipped: false,
                });
                index.remove_slot(feature.id, false);
            }
            let (prepared, found) = index.prepare(&feature);
            issues.extend(found);
            if let Some(prepared) = prepared {
                index.place(index.slots.len(), prepared);
            }
        }
        index.raw.shrink();
        index.tags.shrink();
        index.levels.iter_mut().for_each(Arena::shrink);
        let items = index
            .slots
            .iter()
            .enumerate()
            .filter_map(|(slot, s)| s.as_ref().map(|s| s.tree_item(slot)))
            .collect();
        index.tree = RTree::bulk_load(items);
        Ok((index, issues))
    }

    /// Projects and generalises a feature and interns its properties.
    fn prepare(&mut self, feature: &Feature) -> (Option<Prepared>, Vec<Issue>) {
        let (projected, findings) = project(&feature.geometry, self.options.validate);
        let issues = findings
            .issues
            .into_iter()
            .map(|kind| Issue {
                feature_id: feature.id,
                kind,
                skipped: findings.skipped,
            })
            .collect();
        let Some(p) = projected else {
            return (None, issues);
        };
        let levels = if p.kind == GeomType::Point {
            Vec::new()
        } else {
            self.options
                .levels
                .iter()
                .map(|&level| generalise(&p.shape, self.level_grid_world(level)))
                .collect()
        };
        let tags = feature
            .properties
            .iter()
            .map(|(k, v)| [self.intern_key(k), self.intern_value(v)])
            .collect();
        let stored = Stored {
            id: feature.id,
            fingerprint: fingerprint(feature),
            kind: p.kind,
            bbox_world: p.bbox_world,
            bbox_lonlat: p.bbox_lonlat,
        };
        let prepared = Prepared {
            stored,
            raw: p.shape,
            levels,
            tags,
        };
        (Some(prepared), issues)
    }

    /// Puts a prepared feature in a slot (an empty one, or one past the end) without
    /// touching the R-tree.
    fn place(&mut self, slot: usize, prepared: Prepared) {
        let Prepared {
            stored,
            raw,
            levels,
            tags,
        } = prepared;
        self.raw.set(slot, &raw);
        self.tags.set(slot, &tags);
        if self.boxes.len() <= slot {
            self.boxes.resize(slot + 1, EMPTY_BOX);
        }
        self.boxes[slot] = stored.bbox_world;
        let [x0, y0, x1, y1] = stored.bbox_world;
        let d = &mut self.data_box;
        *d = [d[0].min(x0), d[1].min(y0), d[2].max(x1), d[3].max(y1)];
        for (arena, shape) in self.levels.iter_mut().zip(&levels) {
            arena.set(slot, shape);
        }
        self.by_id.insert(stored.id, slot);
        if slot == self.slots.len() {
            self.slots.push(Some(stored));
        } else {
            self.slots[slot] = Some(stored);
        }
    }

    fn intern_key(&mut self, key: &str) -> u32 {
        if let Some(&i) = self.key_ids.get(key) {
            return i;
        }
        let i = self.keys.len() as u32;
        self.keys.push(key.to_string());
        self.key_ids.insert(key.to_string(), i);
        i
    }

    fn intern_value(&mut self, value: &Value) -> u32 {
        let k = ValueKey::from(value);
        if let Some(&i) = self.value_ids.get(&k) {
            return i;
        }
        let i = self.values.len() as u32;
        let mut body = Vec::new();
        crate::mvt::encode_value(value, &mut body);
        self.encoded_values.set(i as usize, &body);
        self.values.push(value.clone());
        self.value_ids.insert(k, i);
        i
    }

    /// Size of a level's grid cell in world units.
    fn level_grid_world(&self, level: u8) -> f64 {
        let tile_units = f64::from(1u32 << level) * f64::from(self.options.extent);
        WORLD_UNITS / tile_units * f64::from(self.options.grid_units_at(level))
    }

    /// Adds a feature, or replaces the one with the same id. Returns the lon/lat boxes
    /// whose tiles changed and any problems with the new geometry (a skipped geometry
    /// removes the old feature too: the layer shows what it was last given). A feature
    /// identical to the one held (same geometry and properties) changes nothing and
    /// affects no tile.
    pub fn upsert(&mut self, feature: Feature) -> Change {
        let mut affected = Vec::new();
        if let Some(&slot) = self.by_id.get(&feature.id)
            && self.slots[slot]
                .as_ref()
                .is_some_and(|s| s.fingerprint == fingerprint(&feature))
        {
            return Change {
                affected_lonlat: Vec::new(),
                issues: Vec::new(),
            };
        }
        let old_slot = self.by_id.get(&feature.id).copied();
        if let Some(old) = self.remove_slot(feature.id, true) {
            affected.push(old);
        }
        let (prepared, issues) = self.prepare(&feature);
        if let Some(prepared) = prepared {
            affected.push(prepared.stored.bbox_lonlat);
            let slot = old_slot
                .filter(|&s| self.slots[s].is_none())
                .or_else(|| self.free.pop())
                .unwrap_or(self.slots.len());
            if let Some(i) = self.free.iter().position(|&s| s == slot) {
                self.free.swap_remove(i);
            }
            self.tree.insert(prepared.stored.tree_item(slot));
            self.place(slot, prepared);
        }
        Change {
            affected_lonlat: affected,
            issues,
        }
    }

    /// Removes the feature with this id; returns its lon/lat box, or `None` if there was
    /// no such feature.
    pub fn remove(&mut self, id: u64) -> Option<Rect<f64>> {
        self.remove_slot(id, true)
    }

    fn remove_slot(&mut self, id: u64, from_tree: bool) -> Option<Rect<f64>> {
        let slot = self.by_id.remove(&id)?;
        let stored = self.slots.get_mut(slot)?.take()?;
        if from_tree {
            self.tree.remove(&stored.tree_item(slot));
        }
        self.raw.clear(slot);
        self.tags.clear(slot);
        self.boxes[slot] = EMPTY_BOX;
        for arena in &mut self.levels {
            arena.clear(slot);
        }
        self.free.push(slot);
        Some(stored.bbox_lonlat)
    }

    /// The tiles at the given zooms whose content depends on a lon/lat box: those it
    /// touches, widened by the buffer and the snapping step. Drop these from a cache after
    /// [`TileIndex::upsert`] or [`TileIndex::remove`].
    pub fn affected_tiles(
        &self,
        bbox_lonlat: Rect<f64>,
        zooms: RangeInclusive<u8>,
    ) -> impl Iterator<Item = TileId> + '_ {
        let (min, max) = (bbox_lonlat.min(), bbox_lonlat.max());
        let finite = [min.x, min.y, max.x, max.y].iter().all(|v| v.is_finite());
        let (x0, y0) = lonlat_to_unit(min.x, max.y);
        let (x1, y1) = lonlat_to_unit(max.x, min.y);
        let (lo, hi) = (*zooms.start(), (*zooms.end()).min(MAX_ZOOM));
        (lo..=hi).flat_map(move |z| {
            if !finite {
                return TileCover::empty(z);
            }
            // Snapping moves a vertex by at most half a step, and the size limit may
            // coarsen the step up to `max_step`.
            let step = self.step_at(z).max(f64::from(self.max_step()));
            let margin_units = f64::from(self.options.buffer_units) + 2.0 * step;
            let m = margin_units / (f64::from(self.options.extent) * f64::from(1u32 << z));
            TileCover::new(z, unit_box_to_range([x0 - m, y0 - m, x1 + m, y1 + m], z))
        })
    }

    /// The grid step, in tile units at zoom `z`, of the copy tiles at `z` are cut from.
    fn step_at(&self, z: u8) -> f64 {
        match self.level_for(z) {
            Some(i) => {
                let level = self.options.levels[i];
                f64::from(self.options.grid_units_at(level))
                    * (f64::from(z) - f64::from(level)).exp2()
            }
            None => 0.0,
        }
    }

    /// Index into `options.levels` of the copy that tiles at zoom `z` are cut from.
    fn level_for(&self, z: u8) -> Option<usize> {
        self.options.levels.iter().position(|&l| l >= z)
    }

    /// The layer's tile: a complete MVT tile holding this one layer, or an empty `Vec`
    /// when no feature reaches the tile (serve that as `204 No Content`; zero bytes is
    /// also a valid empty tile).
    ///
    /// The layer's extent in the tile is `extent / step`, where `step` is the snapping
    /// step at this zoom ([`IndexOptions::grid_units`]): coordinates are multiples of the
    /// step, so dividing them out loses nothing and shortens the command stream. A tile
    /// that would exceed [`IndexOptions::max_tile_bytes`] is written without properties,
    /// and if still too large with the step doubled until it fits.
    ///
    /// # Examples
    ///
    /// ```
    /// use kumuh_tiles::{IndexOptions, TileId, TileIndex};
    /// let index = TileIndex::new("desa", IndexOptions::default())?;
    /// assert!(index.tile(TileId::new(0, 0, 0)?).is_empty());
    /// # Ok::<(), kumuh_tiles::Error>(())
    /// ```
    pub fn tile(&self, tile: TileId) -> Vec<u8> {
        self.tile_with_stats(tile).0
    }

    /// [`TileIndex::tile`] with counts of what went into it.
    pub fn tile_with_stats(&self, tile: TileId) -> (Vec<u8>, TileStats) {
        let z = tile.z();
        let extent = f64::from(self.options.extent);
        let buffer = f64::from(self.options.buffer_units);
        let tile_units_world = WORLD_UNITS / (extent * f64::from(1u32 << z));
        let query = [
            (f64::from(tile.x()) * extent - buffer) * tile_units_world,
            (f64::from(tile.y()) * extent - buffer) * tile_units_world,
            (f64::from(tile.x() + 1) * extent + buffer) * tile_units_world,
            (f64::from(tile.y() + 1) * extent + buffer) * tile_units_world,
        ];
        let candidates = self.candidates(query);

        let mut step = self.options.grid_units_at(z);
        loop {
            let (bytes, mut stats) = self.encode(tile, &candidates, step);
            stats.candidates = candidates.len();
            let coarser = step * 2;
            if bytes.len() <= self.options.max_tile_bytes || coarser > self.max_step() {
                return (bytes, stats);
            }
            step = coarser;
        }
    }

    /// Slots whose boxes meet a world-unit box, in slot order. When the box covers a
    /// good part of the data, a straight scan of the slot boxes beats the R-tree (and
    /// needs no sort).
    fn candidates(&self, query: [f64; 4]) -> Vec<usize> {
        let d = self.data_box.map(f64::from);
        let overlap = (query[2].min(d[2]) - query[0].max(d[0])).max(0.0)
            * (query[3].min(d[3]) - query[1].max(d[1])).max(0.0);
        let data_area = (d[2] - d[0]).max(1.0) * (d[3] - d[1]).max(1.0);
        if overlap > 0.02 * data_area {
            return self
                .boxes
                .iter()
                .enumerate()
                .filter(|(_, b)| {
                    f64::from(b[0]) <= query[2]
                        && f64::from(b[2]) >= query[0]
                        && f64::from(b[1]) <= query[3]
                        && f64::from(b[3]) >= query[1]
                })
                .map(|(slot, _)| slot)
                .collect();
        }
        let envelope = AABB::from_corners([query[0], query[1]], [query[2], query[3]]);
        let mut found: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|item| item.data)
            .collect();
        found.sort_unstable();
        found
    }

    /// The coarsest step the size limit may push a tile to (one pixel of a 256-pixel
    /// tile, at least the configured steps).
    fn max_step(&self) -> u32 {
        let configured = self.options.grid_units.iter().copied().max().unwrap_or(1);
        (self.options.extent / 256).max(configured)
    }

    /// Encodes the candidates at one snapping step.
    fn encode(&self, tile: TileId, candidates: &[usize], step_units: u32) -> (Vec<u8>, TileStats) {
        let mut stats = TileStats {
            grid_units: step_units,
            ..TileStats::default()
        };
        let z = tile.z();
        let extent = f64::from(self.options.extent);
        let buffer = f64::from(self.options.buffer_units);
        let step = f64::from(step_units);
        let scale_world = extent * f64::from(1u32 << z) / WORLD_UNITS;
        let (ox, oy) = (f64::from(tile.x()) * extent, f64::from(tile.y()) * extent);

        let level = self.level_for(z).map(|i| {
            let l = self.options.levels[i];
            // A level cell in tile units at this zoom: a power of two, so exact.
            let cell =
                f64::from(self.options.grid_units_at(l)) * (f64::from(z) - f64::from(l)).exp2();
            (i, cell)
        });
        // How far (tile units) snapped vertices may lie from the full geometry's box.
        let margin = level.map_or(0.0, |(_, cell)| cell) + step + 1.0;
        let cut = Cut {
            clip_min: -buffer,
            clip_max: extent + buffer,
            step,
        };
        // The level copy can be copied straight in when its cell is this step: grid
        // numbers then only shift by the tile's origin.
        let shift = level.filter(|&(_, cell)| cell == step).map(|_| {
            let per_tile = i64::from(self.options.extent / step_units);
            [
                i64::from(tile.x()) * per_tile,
                i64::from(tile.y()) * per_tile,
            ]
        });

        let with_properties = z >= self.options.properties_min_zoom;
        let mut layer = LayerEncoder::new(&self.name, self.options.extent / step_units);
        let mut key_map = vec![u32::MAX; if with_properties { self.keys.len() } else { 0 }];
        let mut value_map = vec![
            u32::MAX;
            if with_properties {
                self.values.len()
            } else {
                0
            }
        ];
        let mut tags: Vec<u32> = Vec::new();
        let mut work = Work::default();

        for &slot in candidates {
            let Some(f) = self.slots.get(slot).and_then(Option::as_ref) else {
                continue;
            };
            let b = f.bbox_world.map(f64::from);
            let inside = b[0] * scale_world - ox >= cut.clip_min + margin
                && b[1] * scale_world - oy >= cut.clip_min + margin
                && b[2] * scale_world - ox <= cut.clip_max - margin
                && b[3] * scale_world - oy <= cut.clip_max - margin;
            work.clip = !inside;
            work.geometry.clear(f.kind);
            match (f.kind, level) {
                (GeomType::Point, _) => {
                    let coords = self.raw.get(slot).coords();
                    cut.points(coords, scale_world, ox, oy, &mut work.geometry);
                }
                (_, Some((i, cell))) => {
                    let shape = self.levels[i].get(slot);
                    match shift {
                        Some(shift) if inside => copy_shifted(shape, shift, &mut work.geometry),
                        _ => {
                            let to_f64 = |c: [i32; 2]| c.map(f64::from);
                            stats.dropped_parts +=
                                cut.shape(shape, to_f64, cell, ox, oy, &mut work);
                        }
                    }
                }
                (_, None) => {
                    let to_f64 = |c: [u32; 2]| c.map(f64::from);
                    let shape = self.raw.get(slot);
                    stats.dropped_parts += cut.shape(shape, to_f64, scale_world, ox, oy, &mut work);
                }
            }
            if work.geometry.is_empty() {
                continue;
            }
            tags.clear();
            if with_properties {
                for &[k, v] in self.tags.get(slot) {
                    let lk = &mut key_map[k as usize];
                    if *lk == u32::MAX {
                        *lk = layer.push_key(&self.keys[k as usize]);
                    }
                    let lv = &mut value_map[v as usize];
                    if *lv == u32::MAX {
                        *lv = layer.push_encoded_value(self.encoded_values.get(v as usize));
                    }
                    tags.extend([*lk, *lv]);
                }
            }
            debug_assert!(work.geometry.validate().is_ok(), "{:?}", work.geometry);
            layer.add_feature_unchecked(Some(f.id), tags.iter().copied(), &work.geometry);
            stats.features += 1;
        }
        let finished = layer.finish_within(self.options.max_tile_bytes);
        stats.properties_dropped = finished.properties_dropped;
        stats.ids_dropped = finished.ids_dropped;
        stats.bytes = finished.bytes.len();
        (finished.bytes, stats)
    }

    /// The layer's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The options the index was built with.
    pub fn options(&self) -> &IndexOptions {
        &self.options
    }

    /// Number of features indexed.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// `true` when no feature is indexed.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// `true` when a feature with this id is indexed.
    pub fn contains(&self, id: u64) -> bool {
        self.by_id.contains_key(&id)
    }

    /// Lon/lat box of all features, `None` when empty.
    pub fn bbox_lonlat(&self) -> Option<Rect<f64>> {
        self.slots
            .iter()
            .flatten()
            .map(|s| s.bbox_lonlat)
            .reduce(|a, b| {
                Rect::new(
                    geo_types::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                    geo_types::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
                )
            })
    }

    /// Approximate heap memory held by the index and how it is spread.
    pub fn memory(&self) -> MemoryReport {
        let records = self.slots.capacity() * size_of::<Option<Stored>>()
            + self.tags.heap_bytes()
            + self.boxes.capacity() * size_of::<[u32; 4]>()
            + self.encoded_values.heap_bytes()
            + self.by_id.capacity() * (size_of::<(u64, usize)>() + 1);
        // An R-tree leaf entry plus about one parent node per leaf entry.
        let tree = self.tree.size() * 2 * size_of::<TreeItem>();
        let tables = self.keys.iter().map(|k| 2 * k.len() + 64).sum::<usize>()
            + self
                .values
                .iter()
                .map(|v| match v {
                    Value::String(s) => 2 * s.len() + 96,
                    _ => 96,
                })
                .sum::<usize>();
        let levels = self
            .options
            .levels
            .iter()
            .zip(&self.levels)
            .map(|(&z, a)| (z, a.coord_count(), a.heap_bytes()))
            .collect();
        MemoryReport {
            features: self.len(),
            raw_vertices: self.raw.coord_count(),
            raw_bytes: self.raw.heap_bytes(),
            levels,
            other_bytes: records + tree + tables,
        }
    }
}

/// Where an index's memory goes (see [`TileIndex::memory`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryReport {
    /// Features indexed.
    pub features: usize,
    /// Vertices of the full geometry.
    pub raw_vertices: usize,
    /// Bytes of the full geometry.
    pub raw_bytes: usize,
    /// Per generalised level: zoom, vertices, bytes.
    pub levels: Vec<(u8, usize, usize)>,
    /// Bytes of records, id map, R-tree and property tables (estimated).
    pub other_bytes: usize,
}

impl MemoryReport {
    /// Total bytes.
    pub fn total_bytes(&self) -> usize {
        self.raw_bytes + self.levels.iter().map(|l| l.2).sum::<usize>() + self.other_bytes
    }
}

/// Scratch buffers reused across the features of one tile.
#[derive(Debug)]
struct Work {
    geometry: TileGeometry,
    /// Whether the current feature reaches beyond the clip square.
    clip: bool,
    ring: Vec<[f64; 2]>,
    tmp: Vec<[f64; 2]>,
    snapped: Vec<[i32; 2]>,
    lines: Parts,
    lines_tmp: Parts,
}

impl Default for Work {
    fn default() -> Self {
        Work {
            geometry: TileGeometry::new(GeomType::Polygon),
            clip: false,
            ring: Vec::new(),
            tmp: Vec::new(),
            snapped: Vec::new(),
            lines: Parts::default(),
            lines_tmp: Parts::default(),
        }
    }
}

/// A level copy whose grid is the tile's: shift the grid numbers to the tile's origin.
/// The copy is already clean and wound for MVT, and shifting keeps both.
fn copy_shifted(shape: ShapeRef<'_, [i32; 2]>, shift: [i64; 2], out: &mut TileGeometry) {
    for (_, coords) in shape.iter() {
        out.push_part(coords.iter().map(|c| {
            [
                (i64::from(c[0]) - shift[0]) as i32,
                (i64::from(c[1]) - shift[1]) as i32,
            ]
        }));
    }
}

/// How one tile cuts geometry: the clip square in tile units and the snapping step.
#[derive(Debug)]
struct Cut {
    clip_min: f64,
    clip_max: f64,
    step: f64,
}

impl Cut {
    /// Transforms (`scale` tile units per shape unit, then the tile origin), clips, snaps
    /// and cleans every part of a line or polygon shape into `work.geometry`, in units of
    /// the step; returns how many parts collapsed.
    ///
    /// A vertex goes through the same arithmetic whether or not its feature needs
    /// clipping, so a border vertex shared by a clipped and an unclipped neighbour snaps
    /// to the same point.
    fn shape<C: Copy>(
        &self,
        shape: ShapeRef<'_, C>,
        to_f64: impl Fn(C) -> [f64; 2],
        scale: f64,
        ox: f64,
        oy: f64,
        work: &mut Work,
    ) -> usize {
        let mut dropped = 0;
        let mut exterior_kept = false;
        let transform = |c: C| {
            let [x, y] = to_f64(c);
            [x * scale - ox, y * scale - oy]
        };
        let inv_step = 1.0 / self.step;
        let grid = |p: [f64; 2]| [to_grid(p[0], inv_step), to_grid(p[1], inv_step)];
        for (role, coords) in shape.iter() {
            if role == Role::Hole && !exterior_kept {
                continue;
            }
            match role {
                Role::Exterior | Role::Hole => {
                    let s = &mut work.snapped;
                    s.clear();
                    if work.clip {
                        let ring = &mut work.ring;
                        ring.clear();
                        ring.extend(coords.iter().map(|&c| transform(c)));
                        if !all_inside(ring, self.clip_min, self.clip_max) {
                            clip_ring(ring, &mut work.tmp, self.clip_min, self.clip_max);
                        }
                        s.extend(ring.iter().map(|&p| grid(p)));
                    } else {
                        s.extend(coords.iter().map(|&c| grid(transform(c))));
                    }
                    let kept = !s.is_empty() && {
                        clean_ring(s);
                        let area = if s.len() >= 3 { ring_area2(s) } else { 0 };
                        if area == 0 {
                            dropped += 1;
                            false
                        } else {
                            // MVT 2.1: exterior rings positive (clockwise on screen), holes
                            // negative.
                            if (area > 0) != (role == Role::Exterior) {
                                s.reverse();
                            }
                            work.geometry.push_slice(s);
                            true
                        }
                    };
                    if role == Role::Exterior {
                        exterior_kept = kept;
                    }
                }
                Role::Line => {
                    let lines = &mut work.lines;
                    lines.clear();
                    lines.coords.extend(coords.iter().map(|&c| transform(c)));
                    lines.ends.push(lines.coords.len());
                    if work.clip && !all_inside(&lines.coords, self.clip_min, self.clip_max) {
                        clip_line(lines, &mut work.lines_tmp, self.clip_min, self.clip_max);
                    }
                    for part in work.lines.parts() {
                        let s = &mut work.snapped;
                        s.clear();
                        s.extend(part.iter().map(|&p| grid(p)));
                        clean_line(s);
                        if s.len() >= 2 {
                            work.geometry.push_slice(s);
                        } else {
                            dropped += 1;
                        }
                    }
                }
                Role::Points => {}
            }
        }
        dropped
    }

    /// Points inside the clip square, snapped.
    fn points(&self, coords: &[[u32; 2]], scale: f64, ox: f64, oy: f64, out: &mut TileGeometry) {
        let inside: Vec<[i32; 2]> = coords
            .iter()
            .map(|c| [f64::from(c[0]) * scale - ox, f64::from(c[1]) * scale - oy])
            .filter(|p| all_inside(&[*p], self.clip_min, self.clip_max))
            .map(|p| {
                [
                    to_grid(p[0], 1.0 / self.step),
                    to_grid(p[1], 1.0 / self.step),
                ]
            })
            .collect();
        if !inside.is_empty() {
            out.push_slice(&inside);
        }
    }
}

/// Several layers in one tile: the layers' tiles concatenated (a tile's layers are a
/// repeated protobuf field, so this is a valid MVT). Layers empty in this tile add
/// nothing; if all are empty the result is empty.
///
/// # Examples
///
/// ```
/// use kumuh_tiles::{IndexOptions, TileId, TileIndex, encode_layers};
/// let desa = TileIndex::new("desa", IndexOptions::default())?;
/// let lokasi = TileIndex::new("lokasi_kumuh", IndexOptions::default())?;
/// assert!(encode_layers([&desa, &lokasi], TileId::new(0, 0, 0)?).is_empty());
/// # Ok::<(), kumuh_tiles::Error>(())
/// ```
pub fn encode_layers<'a>(layers: impl IntoIterator<Item = &'a TileIndex>, tile: TileId) -> Vec<u8> {
    let mut out = Vec::new();
    for layer in layers {
        out.extend_from_slice(&layer.tile(tile));
    }
    out
}

#[cfg(test)]
mod tests {
    use geo_types::{line_string, point, polygon};

    use super::*;

    fn feature(id: u64, geometry: Geometry<f64>) -> Feature {
        Feature {
            id,
            geometry,
            properties: vec![("n".to_string(), Value::from(id))],
        }
    }

    fn square(id: u64, lon: f64, lat: f64, size: f64) -> Feature {
        feature(
            id,
            Geometry::Polygon(polygon![
                (x: lon, y: lat), (x: lon + size, y: lat), (x: lon + size, y: lat + size), (x: lon, y: lat + size),
            ]),
        )
    }

    #[test]
    fn options_are_checked() {
        let bad = |f: fn(&mut IndexOptions)| {
            let mut o = IndexOptions::default();
            f(&mut o);
            TileIndex::new("t", o).is_err()
        };
        assert!(!bad(|_| {}));
        assert!(bad(|o| o.extent = 0));
        assert!(bad(|o| o.levels = vec![8, 6]));
        assert!(bad(|o| o.levels = vec![20]));
        assert!(bad(|o| o.grid_units = vec![]));
        assert!(bad(|o| o.grid_units = vec![0]));
        assert!(bad(|o| o.buffer_units = 5000));
    }

    #[test]
    fn grid_units_by_zoom() {
        let o = IndexOptions::default();
        let steps: Vec<u32> = (0..=22).map(|z| o.grid_units_at(z)).collect();
        assert_eq!(steps[..13], [8, 8, 8, 8, 8, 8, 8, 8, 4, 2, 2, 1, 1]);
        assert_eq!(steps[22], 1);
    }

    #[test]
    fn upsert_and_remove_report_boxes() {
        let (mut index, issues) = TileIndex::build(
            "t",
            IndexOptions::default(),
            [square(1, 111.0, -7.0, 0.01), square(2, 111.02, -7.0, 0.01)],
        )
        .unwrap();
        assert!(issues.is_empty());
        assert_eq!(index.len(), 2);

        let change = index.upsert(square(1, 112.0, -7.0, 0.01));
        assert_eq!(change.affected_lonlat.len(), 2);
        assert_eq!(change.affected_lonlat[0].min().x, 111.0);
        assert_eq!(change.affected_lonlat[1].min().x, 112.0);
        let t_old = TileId::covering_lonlat(111.005, -6.995, 14).unwrap();
        let t_new = TileId::covering_lonlat(112.005, -6.995, 14).unwrap();
        assert!(index.tile(t_old).is_empty());
        assert!(!index.tile(t_new).is_empty());

        let bbox = index.remove(1).unwrap();
        assert_eq!(bbox.min().x, 112.0);
        assert!(index.remove(1).is_none());
        assert!(index.tile(t_new).is_empty());
        assert_eq!(index.len(), 1);

        // A new feature takes the freed slot; an invalid replacement removes the old one.
        index.upsert(square(3, 113.0, -7.0, 0.01));
        assert_eq!(index.len(), 2);
        let bad = feature(3, Geometry::Point(point!(x: f64::NAN, y: 0.0)));
        let change = index.upsert(bad);
        assert!(change.issues[0].skipped);
        assert!(!index.contains(3));
        assert_eq!(change.affected_lonlat.len(), 1);
    }

    #[test]
    fn an_identical_upsert_changes_nothing() {
        let (mut index, _) =
            TileIndex::build("t", IndexOptions::default(), [square(1, 111.0, -7.0, 0.01)]).unwrap();
        let tile = TileId::covering_lonlat(111.005, -6.995, 14).unwrap();
        let before = index.tile(tile);
        let change = index.upsert(square(1, 111.0, -7.0, 0.01));
        assert!(change.affected_lonlat.is_empty());
        assert_eq!(index.tile(tile), before);

        // A changed property, or a coordinate moved by the smallest step, is a change.
        let mut renamed = square(1, 111.0, -7.0, 0.01);
        renamed
            .properties
            .push(("nama".into(), Value::String("Bibrik".into())));
        assert_eq!(index.upsert(renamed).affected_lonlat.len(), 2);
        let nudged = square(1, f64::from_bits(111.0f64.to_bits() + 1), -7.0, 0.01);
        assert_eq!(index.upsert(nudged).affected_lonlat.len(), 2);
    }

    #[test]
    fn duplicate_ids_are_reported_and_replaced() {
        let (index, issues) = TileIndex::build(
            "t",
            IndexOptions::default(),
            [square(1, 111.0, -7.0, 0.01), square(1, 112.0, -7.0, 0.01)],
        )
        .unwrap();
        assert_eq!(issues[0].kind, IssueKind::DuplicateId);
        assert_eq!(index.len(), 1);
        assert_eq!(index.bbox_lonlat().unwrap().min().x, 112.0);
        let t_old = TileId::covering_lonlat(111.005, -6.995, 14).unwrap();
        assert!(index.tile(t_old).is_empty());
    }

    #[test]
    fn affected_tiles_include_the_buffer() {
        let index = TileIndex::new("t", IndexOptions::default()).unwrap();
        // A box just east of a tile edge also stales the tile west of it.
        let tile = TileId::covering_lonlat(111.5, -7.5, 10).unwrap();
        let east = tile.bounds_lonlat().max().x;
        let bbox = Rect::new(
            geo_types::coord! { x: east + 1e-6, y: -7.5 },
            geo_types::coord! { x: east + 2e-6, y: -7.5 },
        );
        let tiles: Vec<_> = index.affected_tiles(bbox, 10..=10).collect();
        assert!(tiles.contains(&tile), "{tiles:?}");
        assert!(tiles.len() >= 2);
        let nan = Rect::new(
            geo_types::coord! { x: f64::NAN, y: 0.0 },
            geo_types::coord! { x: 0.0, y: 0.0 },
        );
        assert_eq!(index.affected_tiles(nan, 0..=22).count(), 0);
        // Zooms beyond 22 are ignored.
        assert!(index.affected_tiles(bbox, 20..=30).count() > 0);
    }

    #[test]
    fn lines_and_points_are_encoded() {
        let (index, issues) = TileIndex::build(
            "t",
            IndexOptions::default(),
            [
                feature(
                    1,
                    Geometry::LineString(
                        line_string![(x: 111.0, y: -7.0), (x: 111.5, y: -7.2), (x: 112.0, y: -7.0)],
                    ),
                ),
                feature(2, Geometry::Point(point!(x: 111.5, y: -7.2))),
            ],
        )
        .unwrap();
        assert!(issues.is_empty());
        for z in [0, 6, 9, 12, 15] {
            let t = TileId::covering_lonlat(111.5, -7.2, z).unwrap();
            let (bytes, stats) = index.tile_with_stats(t);
            assert!(!bytes.is_empty());
            assert_eq!(stats.features, 2, "z{z}");
        }
    }

    #[test]
    fn properties_can_wait_for_a_zoom() {
        let options = IndexOptions {
            properties_min_zoom: 10,
            ..IndexOptions::default()
        };
        let (index, _) = TileIndex::build("t", options, [square(1, 111.0, -7.0, 0.05)]).unwrap();
        let low = index.tile(TileId::covering_lonlat(111.02, -6.98, 8).unwrap());
        let high = index.tile(TileId::covering_lonlat(111.02, -6.98, 10).unwrap());
        let has_key = |t: &[u8]| t.windows(3).any(|w| w == [0x1a, 1, b'n']);
        assert!(!has_key(&low));
        assert!(has_key(&high));
    }

    #[test]
    fn huge_and_tiny_geometry_do_not_panic() {
        let (index, issues) = TileIndex::build(
            "t",
            IndexOptions::default(),
            [
                feature(1, Geometry::Polygon(polygon![
                    (x: -180.0, y: -90.0), (x: 180.0, y: -90.0), (x: 180.0, y: 90.0), (x: -180.0, y: 90.0),
                ])),
                square(2, 111.0, -7.0, 1e-12),
                feature(3, Geometry::Polygon(polygon![(x: 0.0, y: 0.0), (x: 1e-300, y: 0.0), (x: 0.0, y: 1e-300)])),
            ],
        )
        .unwrap();
        // The whole world is fine; the two specks vanish in the world grid.
        assert!(issues.iter().all(|i| i.feature_id != 1), "{issues:?}");
        assert_eq!(issues.len(), 2, "{issues:?}");
        for z in 0..=22 {
            let t = TileId::covering_lonlat(111.0, -7.0, z).unwrap();
            let (_, stats) = index.tile_with_stats(t);
            assert!(stats.features >= 1, "z{z}");
        }
    }
}
