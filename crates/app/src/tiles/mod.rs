//! The vector tile service: one in-memory [`TileIndex`] per layer, built from the store
//! at start, a bounded cache of gzipped tiles, and precise invalidation.
//!
//! An edit through the API updates the features it changed in their layer's index and
//! drops the cached tiles whose area the old or new feature touches, before the edit's
//! response is sent; other tiles stay cached. A tile encoded from an index that changed
//! while it was being encoded is served but not cached (each layer counts its changes),
//! so the cache never holds a tile older than the last edit.
//!
//! Writes made elsewhere (the command line's `import` while serving, QGIS, another
//! server) reach the tiles through the store's change feed: [`Tiles::sync`] reads what
//! changed since it last looked and applies it the same way, feature by feature, or
//! rebuilds every layer after a bulk import. A feature re-sent unchanged (an API edit
//! seen again in the feed) touches no tile.

mod kept;
mod layers;

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use geo_types::Rect;
use hashlink::LruCache;
use kumuh_domain::works::Kegiatan;
use kumuh_domain::{Kode, Level, Place};
use kumuh_store::{AssessmentQuery, LayerChange, PlaceQuery, Store, latest_assessments};
use kumuh_tiles::mvt::Value;
use kumuh_tiles::{Feature, IndexOptions, TileId, TileIndex};

use self::layers::*;
pub use self::layers::{
    LAYERS, LayerDef, MAX_ZOOM, PACKAGE_MAX_ZOOM, Package, PackageError, feature_id, layer_def,
};

/// One cached tile: gzipped MVT bytes and their ETag; an empty tile has no bytes.
#[derive(Debug)]
pub struct CachedTile {
    /// The gzipped MVT (empty for an empty tile), shared: every request that sends it
    /// holds a reference, not a copy.
    pub gzip: bytes::Bytes,
    /// Strong ETag of the uncompressed bytes.
    pub etag: String,
}

struct Layer {
    def: &'static LayerDef,
    /// Shared, so that keeping it in the store can write it out on the blocking pool.
    index: Arc<RwLock<TileIndex>>,
    /// Counts the index's changes, so a tile encoded across a change is not cached.
    generation: AtomicU64,
}

impl std::fmt::Debug for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Layer").field("id", &self.def.id).finish()
    }
}

type Key = (&'static str, TileId);

struct Cache {
    map: LruCache<Key, Arc<CachedTile>>,
    bytes: usize,
    budget: usize,
}

/// The tile service.
pub struct Tiles {
    layers: BTreeMap<&'static str, Layer>,
    cache: Mutex<Cache>,
    /// The last change of the store's feed that the layers hold.
    feed: AtomicI64,
    /// The segment feature ids of each work, to drop the segments a change removed.
    segmen_ids: Mutex<HashMap<String, Vec<u64>>>,
    /// The layers were last read from the indexes kept in the store, not built.
    kept: std::sync::atomic::AtomicBool,
}

/// Changes read from the feed at most at once; more than this is a bulk write, answered
/// by rebuilding every layer.
const SYNC_BATCH: u32 = 2_000;

/// When a rebuild keeps its layers in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Always: what is kept could not be used.
    Always,
    /// Unless every layer is kept by this build at the same position or later (servers
    /// sharing a database all rebuild after a bulk import: the first to keep its layers
    /// saves the others the writing).
    UnlessKept,
}

/// What a change does to one layer.
struct Update {
    layer: &'static str,
    remove: Vec<u64>,
    upsert: Vec<Feature>,
    /// A work's segment ids after the change.
    segmen_of: Option<(String, Vec<u64>)>,
}

impl std::fmt::Debug for Tiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tiles")
            .field("layers", &self.layers.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Why the tile service could not start.
#[derive(Debug, thiserror::Error)]
pub enum TilesError {
    /// Reading the store failed.
    #[error("reading the store for tiles: {0}")]
    Store(#[from] kumuh_store::StoreError),
    /// The tile index refused its options.
    #[error("building the {layer} tile layer: {source}")]
    Index {
        /// The layer.
        layer: &'static str,
        /// The cause.
        #[source]
        source: kumuh_tiles::Error,
    },
    /// The blocking pool did not finish building a layer (the runtime shutting down).
    #[error("building the {layer} tile layer: {message}")]
    Stopped {
        /// The layer.
        layer: &'static str,
        /// What the runtime said.
        message: String,
    },
}

fn options() -> IndexOptions {
    IndexOptions::default()
}

/// A layer being built on the blocking pool.
struct Built {
    layer: &'static str,
    started: std::time::Instant,
    /// How long reading its features took.
    read: std::time::Duration,
    features: usize,
    build: tokio::task::JoinHandle<kumuh_tiles::Result<(TileIndex, Vec<kumuh_tiles::Issue>)>>,
}

impl Tiles {
    /// An empty service (no features), with a cache of `cache_bytes`.
    pub fn empty(cache_bytes: usize) -> Result<Tiles, TilesError> {
        let mut layers = BTreeMap::new();
        for def in LAYERS {
            let index = TileIndex::new(def.id, options()).map_err(|source| TilesError::Index {
                layer: def.id,
                source,
            })?;
            layers.insert(
                def.id,
                Layer {
                    def,
                    index: Arc::new(RwLock::new(index)),
                    generation: AtomicU64::new(0),
                },
            );
        }
        Ok(Tiles {
            layers,
            cache: Mutex::new(Cache {
                map: LruCache::new_unbounded(),
                bytes: 0,
                budget: cache_bytes,
            }),
            feed: AtomicI64::new(0),
            segmen_ids: Mutex::new(HashMap::new()),
            kept: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Every layer, from the indexes the store keeps when they are there and of this
    /// build (then brought up to date with the changes made since, by any process), or
    /// else built from the store's features, and then kept in it. Invalid geometries are
    /// drawn as they are and reported in the log when a layer is built.
    pub async fn load(store: &dyn Store, cache_bytes: usize) -> Result<Tiles, TilesError> {
        let tiles = Tiles::empty(cache_bytes)?;
        if tiles.read_kept(store).await? {
            tiles.sync(store).await?;
        } else {
            // Whatever is kept was not usable: written again whatever it says of itself.
            tiles.rebuild(store, Keep::Always).await?;
        }
        Ok(tiles)
    }

    /// Rebuilds every layer from the store and empties the cache. Changes of the feed up
    /// to the moment it starts are then held, and the layers are kept in the store
    /// unless they already are at that position.
    pub async fn reload(&self, store: &dyn Store) -> Result<(), TilesError> {
        self.rebuild(store, Keep::UnlessKept).await
    }

    async fn rebuild(&self, store: &dyn Store, keep: Keep) -> Result<(), TilesError> {
        let latest = store.changes_since(0, 0).await?.latest;
        let mut segmen_ids: HashMap<String, Vec<u64>> = HashMap::new();
        // Label points come from the same read as their places' polygons (LAYERS puts
        // `label` after the place levels).
        let mut labels = Vec::new();
        let mut building: Option<Built> = None;
        for def in LAYERS {
            let started = std::time::Instant::now();
            let features = match level_of(def.id) {
                Some(level) => {
                    let places = store.places(&PlaceQuery::level(level)).await?;
                    if LABEL_LEVELS.contains(&level) {
                        labels.extend(places.iter().filter_map(label_feature));
                    }
                    places.into_iter().filter_map(into_place_feature).collect()
                }
                None if def.id == "label" => std::mem::take(&mut labels),
                None => features_of(store, def.id).await?,
            };
            if def.id == "segmen" {
                for f in &features {
                    if let Some((_, Value::String(k))) =
                        f.properties.iter().find(|(key, _)| key == "kegiatan_id")
                    {
                        segmen_ids.entry(k.clone()).or_default().push(f.id);
                    }
                }
            }
            // Projecting and generalising every feature is CPU work: on the blocking
            // pool, off the workers that answer requests meanwhile. A layer builds while
            // the next one is read.
            let layer = def.id;
            let built = Built {
                layer,
                started,
                read: started.elapsed(),
                features: features.len(),
                build: tokio::task::spawn_blocking(move || {
                    TileIndex::build(layer, options(), features)
                }),
            };
            if let Some(before) = building.replace(built) {
                self.install(before).await?;
            }
        }
        if let Some(last) = building {
            self.install(last).await?;
        }
        *self.segmen_ids.lock().unwrap_or_else(|p| p.into_inner()) = segmen_ids;
        {
            let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            cache.map.clear();
            cache.bytes = 0;
        }
        self.feed.store(latest, Ordering::SeqCst);
        self.kept.store(false, Ordering::SeqCst);
        // Walking the whole heap takes a while after a large build: not on a worker. Done
        // before the layers are written out, whose bytes would otherwise come on top of
        // the build's freed memory (at RT scale, 0.5 GB more at the peak).
        let _ = tokio::task::spawn_blocking(release_freed_memory).await;
        self.keep(store, latest, keep).await;
        Ok(())
    }

    /// Waits for a layer's build and puts the index in place.
    async fn install(&self, built: Built) -> Result<(), TilesError> {
        let Built {
            layer,
            started,
            read,
            features,
            build,
        } = built;
        let (index, issues) = build
            .await
            .map_err(|e| TilesError::Stopped {
                layer,
                message: e.to_string(),
            })?
            .map_err(|source| TilesError::Index { layer, source })?;
        tracing::debug!(
            layer,
            features,
            read_ms = read.as_millis(),
            built_ms = (started.elapsed() - read).as_millis(),
            "tile layer built"
        );
        for issue in issues.iter().take(20) {
            tracing::warn!(layer, %issue, "tile layer: feature drawn as it is or skipped");
        }
        if issues.len() > 20 {
            tracing::warn!(layer, more = issues.len() - 20, "more tile issues");
        }
        if let Some(held) = self.layers.get(layer) {
            *held.index.write().unwrap_or_else(|p| p.into_inner()) = index;
            held.generation.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }

    /// Applies what the store's change feed recorded since the last call (or the load):
    /// writes made by any process. Returns how many changes were read. A change that
    /// races an API edit of the same layer is read again on the next call.
    pub async fn sync(&self, store: &dyn Store) -> Result<usize, TilesError> {
        let after = self.feed.load(Ordering::SeqCst);
        let batch = store.changes_since(after, SYNC_BATCH).await?;
        if batch.gap
            || batch.changes.len() >= SYNC_BATCH as usize
            || batch
                .changes
                .iter()
                .any(|c| c.kunci == kumuh_store::WHOLE_LAYER)
        {
            tracing::info!(
                changes = batch.latest - after,
                "many changes in the store: rebuilding the tile layers"
            );
            self.reload(store).await?;
            return Ok(usize::try_from(batch.latest - after).unwrap_or(usize::MAX));
        }
        let Some(last) = batch.changes.last().map(|c| c.id) else {
            return Ok(0);
        };
        let mut generations: HashMap<&str, u64> = self
            .layers
            .iter()
            .map(|(id, l)| (*id, l.generation.load(Ordering::SeqCst)))
            .collect();
        let updates = self.updates(store, &batch.changes).await?;
        let mut current = true;
        for u in updates {
            let expected = generations.get(u.layer).copied();
            match self.apply_at(u.layer, expected, &u.remove, u.upsert) {
                Some(now) => {
                    generations.insert(u.layer, now);
                }
                None => {
                    current = false;
                    continue;
                }
            }
            if let Some((kegiatan, ids)) = u.segmen_of {
                self.segmen_ids
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(kegiatan, ids);
            }
        }
        if current {
            // Only forward: a reload meanwhile may already hold more.
            self.feed.fetch_max(last, Ordering::SeqCst);
        }
        Ok(batch.changes.len())
    }

    /// The updates that bring the layers to the store's state for these changes.
    async fn updates(
        &self,
        store: &dyn Store,
        changes: &[LayerChange],
    ) -> Result<Vec<Update>, TilesError> {
        let mut seen = std::collections::HashSet::new();
        let mut updates = Vec::new();
        let mut jaringan = None;
        // One feature written (or, when gone, removed).
        let one = |layer, id, feature: Option<Feature>| Update {
            layer,
            remove: if feature.is_none() { vec![id] } else { vec![] },
            upsert: feature.into_iter().collect(),
            segmen_of: None,
        };
        for c in changes {
            if !seen.insert((c.lapisan.as_str(), c.kunci.as_str())) {
                continue;
            }
            if let Some(level) = level_of(&c.lapisan) {
                let Ok(kode) = Kode::parse(&c.kunci) else {
                    tracing::warn!(layer = %c.lapisan, kode = %c.kunci, "change feed: not a place code");
                    continue;
                };
                let place = store.place(&kode).await?;
                let layer = LAYERS
                    .iter()
                    .find(|d| d.id == c.lapisan)
                    .map_or("", |d| d.id);
                let id = place_id(&c.kunci);
                updates.push(one(layer, id, place.as_ref().and_then(place_feature)));
                if LABEL_LEVELS.contains(&level) {
                    updates.push(one("label", id, place.as_ref().and_then(label_feature)));
                }
                continue;
            }
            match c.lapisan.as_str() {
                "lokasi" => {
                    let records = store
                        .assessments(&AssessmentQuery {
                            kode_lokasi: Some(c.kunci.clone()),
                            ..AssessmentQuery::default()
                        })
                        .await?;
                    let latest = latest_assessments(&records);
                    let feature = store
                        .lokasi(&c.kunci)
                        .await?
                        .map(|l| lokasi_feature(&l, latest(&c.kunci)));
                    updates.push(one("lokasi", feature_id(&c.kunci), feature));
                }
                "jaringan" => {
                    if jaringan.is_none() {
                        let all: HashMap<String, Feature> = store
                            .jaringan(None)
                            .await?
                            .into_iter()
                            .map(|r| (r.kode.clone(), jaringan_feature(r)))
                            .collect();
                        jaringan = Some(all);
                    }
                    let feature = jaringan.as_mut().and_then(|all| all.remove(&c.kunci));
                    updates.push(one("jaringan", feature_id(&c.kunci), feature));
                }
                "kegiatan" => {
                    let new = store
                        .kegiatan(&c.kunci)
                        .await?
                        .map(|k| segmen_features(&k.kegiatan))
                        .unwrap_or_default();
                    let ids: Vec<u64> = new.iter().map(|f| f.id).collect();
                    let known = self
                        .segmen_ids
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get(&c.kunci)
                        .cloned()
                        .unwrap_or_default();
                    updates.push(Update {
                        layer: "segmen",
                        remove: known.into_iter().filter(|id| !ids.contains(id)).collect(),
                        upsert: new,
                        segmen_of: Some((c.kunci.clone(), ids)),
                    });
                }
                // Layers without tiles (rw).
                _ => {}
            }
        }
        Ok(updates)
    }

    /// The feed position the layers hold (for tests and the log).
    pub fn feed_position(&self) -> i64 {
        self.feed.load(Ordering::SeqCst)
    }

    /// The layer ids.
    pub fn layer_ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.layers.keys().copied()
    }

    /// The lon/lat bounds of a layer's features.
    pub fn bounds(&self, layer: &str) -> Option<Rect<f64>> {
        self.layers
            .get(layer)?
            .index
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .bbox_lonlat()
    }

    /// The tile from the cache alone, if it is there: a lookup cheap enough for the
    /// async workers, so that only a miss goes to the blocking pool to be encoded
    /// ([`tile`](Self::tile)).
    pub fn cached(&self, layer: &str, tile: TileId) -> Option<Arc<CachedTile>> {
        let l = self.layers.get(layer)?;
        self.cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .map
            .get(&(l.def.id, tile))
            .map(Arc::clone)
    }

    /// A tile of a layer, from the cache or encoded now; `None` for an unknown layer.
    pub fn tile(&self, layer: &str, tile: TileId) -> Option<Arc<CachedTile>> {
        let l = self.layers.get(layer)?;
        if let Some(hit) = self.cached(layer, tile) {
            return Some(hit);
        }
        let key: Key = (l.def.id, tile);
        let (bytes, generation) = {
            let index = l.index.read().unwrap_or_else(|p| p.into_inner());
            (index.tile(tile), l.generation.load(Ordering::SeqCst))
        };
        let entry = Arc::new(CachedTile {
            etag: etag(&bytes),
            gzip: if bytes.is_empty() {
                bytes::Bytes::new()
            } else {
                gzip(&bytes).into()
            },
        });
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.budget > 0 && l.generation.load(Ordering::SeqCst) == generation {
            let size = entry.gzip.len() + 64;
            if let Some(old) = cache.map.insert(key, Arc::clone(&entry)) {
                cache.bytes -= old.gzip.len() + 64;
            }
            cache.bytes += size;
            while cache.bytes > cache.budget {
                match cache.map.remove_lru() {
                    Some((_, old)) => cache.bytes -= old.gzip.len() + 64,
                    None => break,
                }
            }
        }
        Some(entry)
    }

    /// Applies a change to a layer: removes `remove` ids, inserts or replaces `upsert`,
    /// and drops the cached tiles of every area touched, before returning.
    pub fn apply(&self, layer: &str, remove: &[u64], upsert: Vec<Feature>) {
        self.apply_at(layer, None, remove, upsert);
    }

    /// [`Tiles::apply`], only if the layer is still at generation `expected` (when given).
    /// Returns the layer's generation after the change, or `None` (and nothing done) if
    /// it had changed since `expected`.
    fn apply_at(
        &self,
        layer: &str,
        expected: Option<u64>,
        remove: &[u64],
        upsert: Vec<Feature>,
    ) -> Option<u64> {
        let Some(l) = self.layers.get(layer) else {
            return Some(0);
        };
        let mut touched: Vec<Rect<f64>> = Vec::new();
        let generation;
        {
            let mut index = l.index.write().unwrap_or_else(|p| p.into_inner());
            if expected.is_some_and(|g| g != l.generation.load(Ordering::SeqCst)) {
                return None;
            }
            for id in remove {
                touched.extend(index.remove(*id));
            }
            for f in upsert {
                let change = index.upsert(f);
                for issue in &change.issues {
                    tracing::warn!(layer, %issue, "tile layer: edited feature");
                }
                touched.extend(change.affected_lonlat);
            }
            if !touched.is_empty() {
                l.generation.fetch_add(1, Ordering::SeqCst);
            }
            generation = l.generation.load(Ordering::SeqCst);
        }
        if touched.is_empty() {
            return Some(generation);
        }
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let stale: Vec<Key> = cache
            .map
            .iter()
            .filter(|((name, tile), _)| {
                *name == l.def.id && touched.iter().any(|r| touches(*tile, r))
            })
            .map(|(k, _)| *k)
            .collect();
        for k in stale {
            if let Some(old) = cache.map.remove(&k) {
                cache.bytes -= old.gzip.len() + 64;
            }
        }
        Some(generation)
    }

    /// A place was written or deleted.
    pub fn place_changed(&self, level: Level, kode: &str, place: Option<&Place>) {
        let Some(layer) = LAYERS.iter().find(|d| level_of(d.id) == Some(level)) else {
            return;
        };
        let id = place_id(kode);
        match place.and_then(place_feature) {
            Some(f) => self.apply(layer.id, &[], vec![f]),
            None => self.apply(layer.id, &[id], vec![]),
        }
        if LABEL_LEVELS.contains(&level) {
            match place.and_then(label_feature) {
                Some(f) => self.apply("label", &[], vec![f]),
                None => self.apply("label", &[id], vec![]),
            }
        }
    }

    /// A work was created or changed: its segments now (those it no longer has leave
    /// the layer).
    pub fn kegiatan_changed(&self, k: &Kegiatan) {
        let upsert = segmen_features(k);
        let ids: Vec<u64> = upsert.iter().map(|f| f.id).collect();
        let before = self
            .segmen_ids
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(k.id().as_str().to_owned(), ids.clone())
            .unwrap_or_default();
        let remove: Vec<u64> = before.into_iter().filter(|id| !ids.contains(id)).collect();
        self.apply("segmen", &remove, upsert);
    }

    /// Mapped road or drain lines were written (as they now are).
    pub fn jaringan_changed(&self, ruas: &[kumuh_domain::jaringan::Ruas]) {
        if !ruas.is_empty() {
            self.apply(
                "jaringan",
                &[],
                ruas.iter().cloned().map(jaringan_feature).collect(),
            );
        }
    }

    /// A slum location's geometry or latest assessment changed.
    pub async fn lokasi_changed(&self, store: &dyn Store, kode: &str) -> Result<(), TilesError> {
        let records = store
            .assessments(&AssessmentQuery {
                kode_lokasi: Some(kode.to_owned()),
                ..AssessmentQuery::default()
            })
            .await?;
        let latest = latest_assessments(&records);
        match store.lokasi(kode).await? {
            Some(l) => self.apply("lokasi", &[], vec![lokasi_feature(&l, latest(kode))]),
            None => self.apply("lokasi", &[feature_id(kode)], vec![]),
        }
        Ok(())
    }

    /// The area and layers of an offline package (see [`Package`]), checked against the
    /// store and the layers: the layer ids (all when none are asked) and the lon/lat box
    /// (the place's boundary, else every feature of those layers).
    pub async fn package_extent<'a>(
        &self,
        store: &dyn Store,
        p: &'a Package,
    ) -> Result<(Vec<&'a str>, Rect<f64>), PackageError> {
        if p.minzoom > p.maxzoom || p.maxzoom > PACKAGE_MAX_ZOOM {
            return Err(PackageError::Zooms);
        }
        let all: Vec<&'static str> = LAYERS.iter().map(|l| l.id).collect();
        let mut layers: Vec<&'a str> = Vec::new();
        for l in &p.layers {
            if !all.contains(&l.as_str()) {
                return Err(PackageError::UnknownLayer(l.clone()));
            }
            layers.push(l.as_str());
        }
        if layers.is_empty() {
            layers = all;
        }
        let bbox = match &p.wilayah {
            Some(kode) => {
                let place = store
                    .place(kode)
                    .await?
                    .ok_or_else(|| PackageError::NoPlace(kode.clone()))?;
                let b = place
                    .geometry
                    .as_ref()
                    .and_then(kumuh_domain::geometry::bbox)
                    .ok_or_else(|| PackageError::NoBoundary(kode.clone()))?;
                Rect::new((b[0], b[1]), (b[2], b[3]))
            }
            None => layers
                .iter()
                .filter_map(|l| self.bounds(l))
                .reduce(|a, b| {
                    Rect::new(
                        (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
                        (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
                    )
                })
                .ok_or(PackageError::Empty)?,
        };
        Ok((layers, bbox))
    }

    /// How many tiles a package over `bbox_lonlat` at `zooms` addresses at most.
    pub fn package_tiles(bbox_lonlat: Rect<f64>, zooms: std::ops::RangeInclusive<u8>) -> u64 {
        zooms
            .filter_map(|z| TileId::covering(bbox_lonlat, z).ok())
            .map(|c| c.size_hint().0 as u64)
            .sum()
    }

    /// Writes the layers `ids` over `bbox_lonlat` at `zooms` as one PMTiles archive
    /// (every tile holds all the layers; gzipped MVT; empty tiles left out).
    pub fn pmtiles(
        &self,
        ids: &[&str],
        bbox_lonlat: Rect<f64>,
        zooms: std::ops::RangeInclusive<u8>,
        out: &mut impl Write,
    ) -> Result<kumuh_tiles::pmtiles::PmTilesSummary, kumuh_tiles::Error> {
        use kumuh_tiles::pmtiles::{Compression, PmTilesOptions, PmTilesWriter, VectorLayer};
        let layers: Vec<&Layer> = ids.iter().filter_map(|id| self.layers.get(id)).collect();
        let guards: Vec<_> = layers
            .iter()
            .map(|l| l.index.read().unwrap_or_else(|p| p.into_inner()))
            .collect();
        let mut writer = PmTilesWriter::new(PmTilesOptions {
            tile_compression: Compression::Gzip,
            vector_layers: layers
                .iter()
                .map(|l| VectorLayer {
                    id: l.def.id.to_owned(),
                    fields: l
                        .def
                        .fields
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                        .collect(),
                    minzoom: *zooms.start(),
                    maxzoom: *zooms.end(),
                    description: Some(l.def.description.to_owned()),
                })
                .collect(),
            metadata: [
                ("name".to_owned(), "Kumuh".to_owned()),
                (
                    "attribution".to_owned(),
                    "Batas wilayah: cahyadsn/wilayah_boundaries (MIT)".to_owned(),
                ),
            ]
            .into_iter()
            .collect(),
            bounds_lonlat: Some(bbox_lonlat),
            ..PmTilesOptions::default()
        });
        for z in zooms {
            for tile in TileId::covering(bbox_lonlat, z)? {
                let bytes: Vec<u8> = guards.iter().flat_map(|g| g.tile(tile)).collect();
                if !bytes.is_empty() {
                    writer.add_tile(tile, gzip(&bytes))?;
                }
            }
        }
        writer.finish(out)
    }

    /// Number of cached tiles and their bytes.
    pub fn cache_stats(&self) -> (usize, usize) {
        let c = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        (c.map.len(), c.bytes)
    }
}

/// Whether a tile (with a margin for its buffer and snapping) touches a box.
fn touches(tile: TileId, r: &Rect<f64>) -> bool {
    let b = tile.bounds_lonlat();
    let mx = (b.max().x - b.min().x) * 0.05;
    let my = (b.max().y - b.min().y) * 0.05;
    b.min().x - mx <= r.max().x
        && b.max().x + mx >= r.min().x
        && b.min().y - my <= r.max().y
        && b.max().y + my >= r.min().y
}

fn etag(bytes: &[u8]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    format!("\"{:016x}-{:x}\"", h.finish(), bytes.len())
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// Decompresses a cached tile for a client that does not accept gzip.
pub fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut dec = flate2::write::GzDecoder::new(&mut out);
    let _ = dec.write_all(bytes);
    let _ = dec.finish();
    out
}

/// Gives the heap that a build of every layer used and freed back to the system. The
/// store's rows and the features they become (for 758,000 RT: over a gigabyte) are freed
/// once the index is built, but glibc keeps freed memory between live allocations for
/// reuse, so the server would hold it for good (1.9 GB resident after start instead of
/// 0.7 GB); `malloc_trim` returns those pages. Elsewhere (other C libraries, other
/// systems) nothing is done.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: malloc_trim only releases free pages of glibc's own heap; it takes no
    // pointer and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_touches_a_box_inside_or_at_its_buffer() {
        let t = TileId::covering_lonlat(111.49, -7.57, 14).unwrap();
        let b = t.bounds_lonlat();
        let inside = Rect::new(b.center(), b.center());
        assert!(touches(t, &inside));
        let far = Rect::new((0.0, 0.0), (1.0, 1.0));
        assert!(!touches(t, &far));
    }
}
