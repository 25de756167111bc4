//! Encoding one tile of an index: candidates from the R-tree, clipped and snapped to the
//! tile grid, written as MVT, and cut down when over the size limit.

use rstar::AABB;

use crate::TileId;
use crate::clip::{Parts, all_inside, clip_line, clip_ring};
use crate::mvt::{GeomType, LayerEncoder, TileGeometry};
use crate::projection::WORLD_UNITS;
use crate::shape::{Role, ShapeRef};
use crate::simplify::{clean_line, clean_ring, ring_area2, to_grid};

use super::{TileIndex, TileStats};

impl TileIndex {
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
    pub(super) fn max_step(&self) -> u32 {
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
