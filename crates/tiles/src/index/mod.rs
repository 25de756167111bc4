//! The in-memory tile index of one layer: features projected once, generalised copies
//! for the low zooms, an R-tree, and the updates that say which tiles went stale.

mod encode;
mod options;
mod snapshot;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::ops::RangeInclusive;

use geo_types::{Geometry, Rect};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::issue::{Issue, IssueKind};
use crate::mvt::{GeomType, Value, ValueKey};
use crate::projection::{WORLD_UNITS, lonlat_to_unit};
use crate::shape::{Arena, Pool, Shape, generalise, project};
use crate::tile_id::{TileCover, unit_box_to_range};
use crate::{MAX_ZOOM, Result, TileId};
pub use encode::encode_layers;
pub use options::{Change, Feature, IndexOptions, TileStats};
pub use snapshot::SNAPSHOT_FORMAT;

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

/// Features per batch of [`TileIndex::build`].
const BUILD_BATCH: usize = 4_096;

/// A feature's geometry work, which needs nothing of the index but its options.
struct Shaped {
    stored: Stored,
    raw: Shape<[u32; 2]>,
    levels: Vec<Shape<[i32; 2]>>,
}

/// Projects and generalises a feature.
fn shape(options: &IndexOptions, feature: &Feature) -> (Option<Shaped>, Vec<Issue>) {
    let (projected, findings) = project(&feature.geometry, options.validate);
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
        options
            .levels
            .iter()
            .map(|&level| generalise(&p.shape, level_grid_world(options, level)))
            .collect()
    };
    let stored = Stored {
        id: feature.id,
        fingerprint: fingerprint(feature),
        kind: p.kind,
        bbox_world: p.bbox_world,
        bbox_lonlat: p.bbox_lonlat,
    };
    let shaped = Shaped {
        stored,
        raw: p.shape,
        levels,
    };
    (Some(shaped), issues)
}

/// Size of a level's grid cell in world units.
fn level_grid_world(options: &IndexOptions, level: u8) -> f64 {
    let tile_units = f64::from(1u32 << level) * f64::from(options.extent);
    WORLD_UNITS / tile_units * f64::from(options.grid_units_at(level))
}

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
        let mut features = features.into_iter();
        loop {
            // In batches: the geometry work of a batch on every core, then its features
            // placed in order (and their source geometries dropped) on this thread.
            let batch: Vec<Feature> = features.by_ref().take(BUILD_BATCH).collect();
            if batch.is_empty() {
                break;
            }
            let options = &index.options;
            let shaped = kumuh_domain::paralel::map(batch.len(), 64, |i| shape(options, &batch[i]));
            for (feature, (shaped, found)) in batch.iter().zip(shaped) {
                if index.by_id.contains_key(&feature.id) {
                    issues.push(Issue {
                        feature_id: feature.id,
                        kind: IssueKind::DuplicateId,
                        skipped: false,
                    });
                    index.remove_slot(feature.id, false);
                }
                issues.extend(found);
                if let Some(shaped) = shaped {
                    let prepared = index.tagged(shaped, feature);
                    index.place(index.slots.len(), prepared);
                }
            }
        }
        index.seal();
        Ok((index, issues))
    }

    /// Ends a build of every feature in one go: the lists shrunk to what they hold and
    /// the R-tree packed at once.
    fn seal(&mut self) {
        self.raw.shrink();
        self.tags.shrink();
        self.levels.iter_mut().for_each(Arena::shrink);
        let items = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(slot, s)| s.as_ref().map(|s| s.tree_item(slot)))
            .collect();
        self.tree = RTree::bulk_load(items);
    }

    /// Projects and generalises a feature and interns its properties.
    fn prepare(&mut self, feature: &Feature) -> (Option<Prepared>, Vec<Issue>) {
        let (shaped, issues) = shape(&self.options, feature);
        (shaped.map(|s| self.tagged(s, feature)), issues)
    }

    /// A shaped feature with its properties interned.
    fn tagged(&mut self, shaped: Shaped, feature: &Feature) -> Prepared {
        let tags = feature
            .properties
            .iter()
            .map(|(k, v)| [self.intern_key(k), self.intern_value(v)])
            .collect();
        Prepared {
            stored: shaped.stored,
            raw: shaped.raw,
            levels: shaped.levels,
            tags,
        }
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

    /// Each feature's value of the property `key`, for the features that have it.
    pub fn values_of(&self, key: &str) -> Vec<(u64, &Value)> {
        let Some(&k) = self.key_ids.get(key) else {
            return Vec::new();
        };
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(slot, s)| {
                let s = s.as_ref()?;
                let [_, v] = self.tags.get(slot).iter().find(|t| t[0] == k)?;
                Some((s.id, &self.values[*v as usize]))
            })
            .collect()
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
