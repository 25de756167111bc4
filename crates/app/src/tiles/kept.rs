//! Tile indexes kept in the store (`kumuh_indeks_ubin`), so that a start reads every
//! layer instead of projecting and generalising every feature again: Java's desa take
//! some 0.2 s to read against 4 s to build.
//!
//! Each kept index holds the change feed's position it was built at. A start uses them
//! only when every layer is kept, by this build, at one position the feed has reached;
//! it then applies what the feed recorded after that position, as a running server
//! does ([`Tiles::sync`]), so writes made while no server ran (an import, QGIS, another
//! server) are in the tiles: feature by feature, or by building every layer when they
//! are many, a bulk import, or pruned from the feed. Anything else (another build,
//! bytes that fail their checks, a layer missing) builds the layers, and keeps them
//! again.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use kumuh_store::{Store, StoreError, StoredTileIndex};
use kumuh_tiles::TileIndex;
use kumuh_tiles::mvt::Value;

use super::{Keep, LAYERS, Tiles, TilesError, options, release_freed_memory};

/// Bump when what a layer's features carry changes for a reason outside the files in
/// [`CODE`] (say, a label point placed differently by `kumuh-domain`): kept indexes
/// of an older format are then built again. The tile index checks its own code.
const KEPT_FORMAT: u32 = 1;

/// The files that decide which features and properties each layer holds.
const CODE: &[&str] = &[
    include_str!("mod.rs"),
    include_str!("layers.rs"),
    include_str!("kept.rs"),
];

/// Which build keeps an index: the release and a fingerprint of the layer definitions.
pub(super) fn versi() -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    KEPT_FORMAT.hash(&mut h);
    CODE.hash(&mut h);
    format!("{}+{:016x}", env!("CARGO_PKG_VERSION"), h.finish())
}

/// A layer being read from its kept bytes on the blocking pool.
type Decoding = (
    &'static str,
    tokio::task::JoinHandle<kumuh_tiles::Result<TileIndex>>,
);

impl Tiles {
    /// `true` when the layers were last read from the indexes kept in the store rather
    /// than built from its features.
    pub fn read_from_kept(&self) -> bool {
        self.kept.load(Ordering::SeqCst)
    }

    /// Reads every layer from the kept indexes, when they can be used (see the module
    /// documentation); `false`, with the reason in the log, when the layers must be built.
    /// Only an unreadable change feed is an error: building would fail on it too.
    pub(super) async fn read_kept(&self, store: &dyn Store) -> Result<bool, TilesError> {
        let started = Instant::now();
        let listed = match store.tile_indexes().await {
            Ok(listed) => listed,
            Err(e) => {
                tracing::warn!(error = %e, "the kept tile indexes cannot be read: building the layers");
                return Ok(false);
            }
        };
        let Some(position) = listed.first().map(|k| k.perubahan) else {
            return Ok(false);
        };
        let latest = store.changes_since(0, 0).await?.latest;
        let versi = versi();
        let refused = if listed.len() != LAYERS.len()
            || LAYERS
                .iter()
                .any(|d| !listed.iter().any(|k| k.lapisan == d.id))
        {
            Some("the kept layers are not this build's layers")
        } else if listed.iter().any(|k| k.versi != versi) {
            Some("kept by another build")
        } else if listed.iter().any(|k| k.perubahan != position) {
            Some("the layers were kept at different changes")
        } else if position > latest {
            Some("kept at a change the store's feed has not reached")
        } else {
            None
        };
        if let Some(reason) = refused {
            tracing::info!(
                reason,
                "the kept tile indexes are not used: building the layers"
            );
            return Ok(false);
        }

        // A layer is checked and read on the blocking pool while the next one's bytes
        // come from the store.
        let mut read = Vec::with_capacity(LAYERS.len());
        let mut decoding: Option<Decoding> = None;
        let mut bytes_read = 0;
        for def in LAYERS {
            let kept = match store.tile_index(def.id).await {
                Ok(Some((key, bytes))) if key.perubahan == position && key.versi == versi => bytes,
                Ok(_) => {
                    tracing::info!(
                        layer = def.id,
                        "a kept tile index was replaced while being read: building the layers"
                    );
                    return Ok(false);
                }
                Err(e) => {
                    tracing::warn!(layer = def.id, error = %e, "a kept tile index cannot be read: building the layers");
                    return Ok(false);
                }
            };
            bytes_read += kept.len();
            let layer = def.id;
            let next = tokio::task::spawn_blocking(move || {
                TileIndex::from_snapshot(layer, options(), &kept)
            });
            if let Some(before) = decoding.replace((layer, next)) {
                match decoded(before).await? {
                    Some(index) => read.push(index),
                    None => return Ok(false),
                }
            }
        }
        if let Some(last) = decoding {
            match decoded(last).await? {
                Some(index) => read.push(index),
                None => return Ok(false),
            }
        }

        let segmen_ids = read
            .iter()
            .filter(|index| index.name() == "segmen")
            .flat_map(|index| index.values_of("kegiatan_id"))
            .filter_map(|(id, v)| match v {
                Value::String(kegiatan) => Some((kegiatan.clone(), id)),
                _ => None,
            })
            .fold(
                std::collections::HashMap::<String, Vec<u64>>::new(),
                |mut by_work, (kegiatan, id)| {
                    by_work.entry(kegiatan).or_default().push(id);
                    by_work
                },
            );
        for index in read {
            if let Some(held) = self.layers.get(index.name()) {
                *held.index.write().unwrap_or_else(|p| p.into_inner()) = index;
                held.generation.fetch_add(1, Ordering::SeqCst);
            }
        }
        *self.segmen_ids.lock().unwrap_or_else(|p| p.into_inner()) = segmen_ids;
        {
            let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            cache.map.clear();
            cache.bytes = 0;
        }
        self.feed.store(position, Ordering::SeqCst);
        self.kept.store(true, Ordering::SeqCst);
        let _ = tokio::task::spawn_blocking(release_freed_memory).await;
        tracing::info!(
            position,
            bytes = bytes_read,
            ms = started.elapsed().as_millis(),
            "tile layers read from the indexes kept in the store"
        );
        Ok(true)
    }

    /// Keeps every layer's index in the store, holding the feed's `position` (see
    /// [`Keep`] for when it is left as it is). A store
    /// that cannot take them (read-only, full, a layer over its size limit for one value)
    /// only costs the next start its build: said in the log, never an error.
    pub(super) async fn keep(&self, store: &dyn Store, position: i64, when: Keep) {
        let started = Instant::now();
        let versi = versi();
        if when == Keep::UnlessKept
            && let Ok(listed) = store.tile_indexes().await
            && LAYERS.iter().all(|d| {
                listed
                    .iter()
                    .any(|k| k.lapisan == d.id && k.versi == versi && k.perubahan >= position)
            })
        {
            return;
        }
        let mut bytes_kept = 0;
        for (id, layer) in &self.layers {
            let index = Arc::clone(&layer.index);
            // Written out on the blocking pool: tens of megabytes for Java's desa.
            let written = tokio::task::spawn_blocking(move || {
                index.read().unwrap_or_else(|p| p.into_inner()).snapshot()
            })
            .await;
            let Ok(bytes) = written else {
                return;
            };
            let key = StoredTileIndex {
                lapisan: (*id).to_owned(),
                perubahan: position,
                versi: versi.clone(),
            };
            let size = bytes.len();
            if let Err(e) = store.keep_tile_index(&key, bytes).await {
                match e {
                    StoreError::ReadOnly { .. } => {
                        tracing::info!(error = %e, "the tile indexes are not kept: the next start builds them again");
                    }
                    e => {
                        tracing::warn!(layer = id, error = %e, "the tile indexes are not kept: the next start builds them again");
                    }
                }
                return;
            }
            bytes_kept += size;
        }
        tracing::info!(
            position,
            bytes = bytes_kept,
            ms = started.elapsed().as_millis(),
            "tile layers kept in the store"
        );
    }
}

/// A layer's index read from its kept bytes, or `None` (said in the log) when they were
/// refused.
async fn decoded((layer, decoding): Decoding) -> Result<Option<TileIndex>, TilesError> {
    let read = decoding.await.map_err(|e| TilesError::Stopped {
        layer,
        message: e.to_string(),
    })?;
    match read {
        Ok(index) => Ok(Some(index)),
        Err(e) => {
            tracing::warn!(layer, error = %e, "a kept tile index was refused: building the layers");
            Ok(None)
        }
    }
}
