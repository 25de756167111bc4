//! PMTiles v3 archives: a writer for any `std::io::Write`, and a reader over bytes.
//!
//! Layout written: the 127-byte header, the root directory, the JSON metadata, the leaf
//! directories, then the tile data in Hilbert tile-id order ("clustered"). Identical
//! tiles are stored once (found by hash, confirmed by comparing bytes) and consecutive
//! tile ids with the same content become one run-length entry. When the root directory
//! would not fit in the first 16,384 bytes, entries move to leaf directories and the root
//! points at them.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, RandomState};
use std::io::{Read, Write};

use geo_types::Rect;

use crate::mvt::put_varint;
use crate::{Error, Result, TileId};

/// Size of the fixed header.
pub const HEADER_BYTES: usize = 127;

/// The header plus the root directory must fit in this many bytes.
pub const ROOT_LIMIT_BYTES: usize = 16_384;

/// Compression of directories, metadata or tiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Not known.
    Unknown = 0,
    /// Stored as is.
    None = 1,
    /// gzip.
    Gzip = 2,
    /// Brotli (only declared: the writer never compresses with it).
    Brotli = 3,
    /// Zstandard (only declared).
    Zstd = 4,
}

impl Compression {
    fn from_byte(b: u8) -> Result<Self> {
        Ok(match b {
            0 => Compression::Unknown,
            1 => Compression::None,
            2 => Compression::Gzip,
            3 => Compression::Brotli,
            4 => Compression::Zstd,
            _ => return Err(malformed(format!("compression {b} is not defined"))),
        })
    }
}

/// Kind of tile stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileType {
    /// Not known or other.
    Unknown = 0,
    /// Mapbox Vector Tiles.
    Mvt = 1,
    /// PNG.
    Png = 2,
    /// JPEG.
    Jpeg = 3,
    /// WebP.
    Webp = 4,
    /// AVIF.
    Avif = 5,
}

/// One entry of `vector_layers` in the metadata (TileJSON 3.0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VectorLayer {
    /// Layer name as in the tiles.
    pub id: String,
    /// Field name to type (`"String"`, `"Number"` or `"Boolean"`).
    pub fields: BTreeMap<String, String>,
    /// Lowest zoom with this layer.
    pub minzoom: u8,
    /// Highest zoom with this layer.
    pub maxzoom: u8,
    /// Optional description.
    pub description: Option<String>,
}

/// What the writer puts in the header and metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct PmTilesOptions {
    /// Compression of directories and metadata; gzip by default (`None` and `Gzip` are
    /// supported).
    pub internal_compression: Compression,
    /// How the tiles given are compressed (the writer stores them as given); `None` by
    /// default, as [`TileIndex::tile`](crate::TileIndex::tile) returns them.
    pub tile_compression: Compression,
    /// Tile type; MVT by default.
    pub tile_type: TileType,
    /// The `vector_layers` metadata entry.
    pub vector_layers: Vec<VectorLayer>,
    /// Other metadata entries, all strings: `name`, `description`, `attribution`, …
    pub metadata: BTreeMap<String, String>,
    /// Bounds in degrees; by default the union of the tiles' bounds.
    pub bounds_lonlat: Option<Rect<f64>>,
    /// Centre longitude, latitude (degrees) and zoom; by default the middle of the
    /// bounds at the lowest zoom.
    pub center: Option<(f64, f64, u8)>,
    /// Most entries the root directory may hold before leaf directories are used (the
    /// 16 KiB limit applies in any case). Mainly for tests.
    pub max_root_entries: usize,
}

impl Default for PmTilesOptions {
    fn default() -> Self {
        PmTilesOptions {
            internal_compression: Compression::Gzip,
            tile_compression: Compression::None,
            tile_type: TileType::Mvt,
            vector_layers: Vec::new(),
            metadata: BTreeMap::new(),
            bounds_lonlat: None,
            center: None,
            max_root_entries: usize::MAX,
        }
    }
}

/// What [`PmTilesWriter::finish`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PmTilesSummary {
    /// Tiles addressed (before run-length encoding).
    pub addressed_tiles: u64,
    /// Directory entries pointing at tiles.
    pub tile_entries: u64,
    /// Distinct tile contents stored.
    pub tile_contents: u64,
    /// Leaf directories written.
    pub leaf_directories: usize,
    /// Bytes written in all.
    pub bytes: u64,
}

/// Collects tiles in any order and writes a PMTiles v3 archive.
///
/// Tiles are held in memory until [`PmTilesWriter::finish`]; empty tiles are skipped (the
/// format forbids zero-length entries, and a missing tile reads as empty).
///
/// # Examples
///
/// ```
/// use kumuh_tiles::TileId;
/// use kumuh_tiles::pmtiles::{PmTilesOptions, PmTilesReader, PmTilesWriter};
///
/// let mut writer = PmTilesWriter::new(PmTilesOptions::default());
/// writer.add_tile(TileId::new(1, 1, 0)?, b"tile one".to_vec())?;
/// writer.add_tile(TileId::new(0, 0, 0)?, b"tile zero".to_vec())?;
/// let mut archive = Vec::new();
/// writer.finish(&mut archive)?;
///
/// let reader = PmTilesReader::new(&archive)?;
/// assert_eq!(reader.tile(TileId::new(1, 1, 0)?)?, Some(&b"tile one"[..]));
/// assert_eq!(reader.tile(TileId::new(1, 0, 0)?)?, None);
/// # Ok::<(), kumuh_tiles::Error>(())
/// ```
#[derive(Debug)]
pub struct PmTilesWriter {
    options: PmTilesOptions,
    /// (Hilbert tile id, index into `contents`).
    tiles: Vec<(u64, usize)>,
    seen: HashMap<u64, TileId>,
    contents: Vec<Vec<u8>>,
    by_hash: HashMap<u64, Vec<usize>>,
    hasher: RandomState,
}

impl PmTilesWriter {
    /// A writer with nothing in it yet.
    pub fn new(options: PmTilesOptions) -> Self {
        PmTilesWriter {
            options,
            tiles: Vec::new(),
            seen: HashMap::new(),
            contents: Vec::new(),
            by_hash: HashMap::new(),
            hasher: RandomState::new(),
        }
    }

    /// Adds a tile. An empty tile is skipped; the same tile twice is an error.
    pub fn add_tile(&mut self, tile: TileId, data: Vec<u8>) -> Result<()> {
        let id = tile.hilbert_id();
        if self.seen.insert(id, tile).is_some() {
            return Err(Error::DuplicateTile { tile });
        }
        if data.is_empty() {
            return Ok(());
        }
        let hash = self.hasher.hash_one(&data);
        let same = self.by_hash.entry(hash).or_default();
        let content = match same.iter().find(|&&i| self.contents[i] == data) {
            Some(&i) => i,
            None => {
                self.contents.push(data);
                same.push(self.contents.len() - 1);
                self.contents.len() - 1
            }
        };
        self.tiles.push((id, content));
        Ok(())
    }

    /// Number of non-empty tiles added.
    pub fn len(&self) -> usize {
        self.tiles.len()
    }

    /// `true` when no non-empty tile was added.
    pub fn is_empty(&self) -> bool {
        self.tiles.is_empty()
    }

    /// Writes the archive to `out`. An archive needs at least one non-empty tile.
    pub fn finish<W: Write>(mut self, out: &mut W) -> Result<PmTilesSummary> {
        if self.tiles.is_empty() {
            return Err(Error::EmptyArchive);
        }
        self.tiles.sort_unstable_by_key(|&(id, _)| id);

        // Tile data in tile-id order, each distinct content once.
        let mut offsets: Vec<Option<u64>> = vec![None; self.contents.len()];
        let mut order = Vec::new();
        let mut data_len = 0u64;
        for &(_, c) in &self.tiles {
            if offsets[c].is_none() {
                offsets[c] = Some(data_len);
                data_len += self.contents[c].len() as u64;
                order.push(c);
            }
        }

        // Entries, with runs of the same content on consecutive ids folded together.
        let mut entries: Vec<Entry> = Vec::new();
        for &(id, c) in &self.tiles {
            let offset = offsets[c].unwrap_or_default();
            if let Some(last) = entries.last_mut()
                && last.offset == offset
                && last.tile_id + u64::from(last.run_length) == id
                && last.run_length < u32::MAX
            {
                last.run_length += 1;
                continue;
            }
            entries.push(Entry {
                tile_id: id,
                offset,
                length: self.contents[c].len() as u32,
                run_length: 1,
            });
        }

        let compression = self.options.internal_compression;
        let (root, leaves, leaf_count) =
            build_directories(&entries, compression, self.options.max_root_entries)?;
        let metadata = compress(self.metadata_json(&self.tiles).as_bytes(), compression)?;

        let root_offset = HEADER_BYTES as u64;
        let metadata_offset = root_offset + root.len() as u64;
        let leaves_offset = metadata_offset + metadata.len() as u64;
        let data_offset = leaves_offset + leaves.len() as u64;

        let tiles: Vec<TileId> = self
            .tiles
            .iter()
            .filter_map(|&(id, _)| TileId::from_hilbert_id(id))
            .collect();
        let min_zoom = tiles.iter().map(TileId::z).min().unwrap_or(0);
        let max_zoom = tiles.iter().map(TileId::z).max().unwrap_or(0);
        let bounds = self.options.bounds_lonlat.or_else(|| union_bounds(&tiles));
        let [west, south, east, north] = bounds.map_or([-180.0, -85.0, 180.0, 85.0], |b| {
            [b.min().x, b.min().y, b.max().x, b.max().y]
        });
        let center =
            self.options
                .center
                .unwrap_or(((west + east) / 2.0, (south + north) / 2.0, min_zoom));

        let mut h = Vec::with_capacity(HEADER_BYTES);
        h.extend_from_slice(b"PMTiles");
        h.push(3);
        for v in [
            root_offset,
            root.len() as u64,
            metadata_offset,
            metadata.len() as u64,
            leaves_offset,
            leaves.len() as u64,
            data_offset,
            data_len,
            entries.iter().map(|e| u64::from(e.run_length)).sum(),
            entries.len() as u64,
            order.len() as u64,
        ] {
            h.extend_from_slice(&v.to_le_bytes());
        }
        h.push(1); // clustered
        h.push(compression as u8);
        h.push(self.options.tile_compression as u8);
        h.push(self.options.tile_type as u8);
        h.push(min_zoom);
        h.push(max_zoom);
        for v in [west, south, east, north] {
            h.extend_from_slice(&e7(v).to_le_bytes());
        }
        h.push(center.2);
        h.extend_from_slice(&e7(center.0).to_le_bytes());
        h.extend_from_slice(&e7(center.1).to_le_bytes());
        debug_assert_eq!(h.len(), HEADER_BYTES);

        let io = |source| Error::Io {
            context: "writing the PMTiles archive",
            source,
        };
        out.write_all(&h).map_err(io)?;
        out.write_all(&root).map_err(io)?;
        out.write_all(&metadata).map_err(io)?;
        out.write_all(&leaves).map_err(io)?;
        for &c in &order {
            out.write_all(&self.contents[c]).map_err(io)?;
        }
        Ok(PmTilesSummary {
            addressed_tiles: entries.iter().map(|e| u64::from(e.run_length)).sum(),
            tile_entries: entries.len() as u64,
            tile_contents: order.len() as u64,
            leaf_directories: leaf_count,
            bytes: data_offset + data_len,
        })
    }

    fn metadata_json(&self, tiles: &[(u64, usize)]) -> String {
        let mut map = serde_json::Map::new();
        for (k, v) in &self.options.metadata {
            map.insert(k.clone(), serde_json::Value::String(v.clone()));
        }
        let zooms: Vec<u8> = tiles
            .iter()
            .filter_map(|&(id, _)| TileId::from_hilbert_id(id).map(|t| t.z()))
            .collect();
        let layers: Vec<serde_json::Value> = self
            .options
            .vector_layers
            .iter()
            .map(|l| {
                let mut o = serde_json::Map::new();
                o.insert("id".into(), l.id.clone().into());
                let fields: serde_json::Map<String, serde_json::Value> = l
                    .fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone().into()))
                    .collect();
                o.insert("fields".into(), fields.into());
                o.insert("minzoom".into(), l.minzoom.into());
                o.insert("maxzoom".into(), l.maxzoom.into());
                if let Some(d) = &l.description {
                    o.insert("description".into(), d.clone().into());
                }
                o.into()
            })
            .collect();
        if !layers.is_empty() || self.options.tile_type == TileType::Mvt {
            map.insert("vector_layers".into(), layers.into());
        }
        if let (Some(min), Some(max)) = (zooms.iter().min(), zooms.iter().max()) {
            map.entry("minzoom").or_insert(min.to_string().into());
            map.entry("maxzoom").or_insert(max.to_string().into());
        }
        serde_json::Value::Object(map).to_string()
    }
}

fn e7(deg: f64) -> i32 {
    (deg * 1e7)
        .round()
        .clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32
}

fn union_bounds(tiles: &[TileId]) -> Option<Rect<f64>> {
    tiles.iter().map(TileId::bounds_lonlat).reduce(|a, b| {
        Rect::new(
            geo_types::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            geo_types::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )
    })
}

/// A directory entry: a run of tiles, or (run length 0) a leaf directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// First Hilbert tile id.
    pub tile_id: u64,
    /// Offset in the tile data section (or the leaf directory section).
    pub offset: u64,
    /// Length in bytes.
    pub length: u32,
    /// Tiles in the run; 0 for a leaf directory.
    pub run_length: u32,
}

fn serialize_directory(entries: &[Entry], compression: Compression) -> Result<Vec<u8>> {
    let mut b = Vec::new();
    put_varint(&mut b, entries.len() as u64);
    let mut last = 0;
    for e in entries {
        put_varint(&mut b, e.tile_id - last);
        last = e.tile_id;
    }
    for e in entries {
        put_varint(&mut b, u64::from(e.run_length));
    }
    for e in entries {
        put_varint(&mut b, u64::from(e.length));
    }
    for (i, e) in entries.iter().enumerate() {
        let follows = i > 0 && {
            let p = entries[i - 1];
            e.offset == p.offset + u64::from(p.length)
        };
        put_varint(&mut b, if follows { 0 } else { e.offset + 1 });
    }
    compress(&b, compression)
}

/// Root directory bytes, leaf directory section bytes, and the number of leaves.
fn build_directories(
    entries: &[Entry],
    compression: Compression,
    max_root_entries: usize,
) -> Result<(Vec<u8>, Vec<u8>, usize)> {
    let root_room = ROOT_LIMIT_BYTES - HEADER_BYTES;
    if entries.len() <= max_root_entries {
        let root = serialize_directory(entries, compression)?;
        if root.len() <= root_room {
            return Ok((root, Vec::new(), 0));
        }
    }
    // Leaves of `leaf_size` entries, growing until the root of leaf pointers fits.
    let mut leaf_size = if max_root_entries == usize::MAX {
        4096
    } else {
        entries.len().div_ceil(max_root_entries.max(1)).max(1)
    };
    loop {
        let mut leaves = Vec::new();
        let mut root = Vec::new();
        for chunk in entries.chunks(leaf_size) {
            let leaf = serialize_directory(chunk, compression)?;
            root.push(Entry {
                tile_id: chunk[0].tile_id,
                offset: leaves.len() as u64,
                length: leaf.len() as u32,
                run_length: 0,
            });
            leaves.extend_from_slice(&leaf);
        }
        let root_bytes = serialize_directory(&root, compression)?;
        if root_bytes.len() <= root_room && root.len() <= max_root_entries {
            return Ok((root_bytes, leaves, root.len()));
        }
        leaf_size *= 2;
    }
}

fn compress(bytes: &[u8], compression: Compression) -> Result<Vec<u8>> {
    match compression {
        Compression::None => Ok(bytes.to_vec()),
        Compression::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(bytes)
                .and_then(|()| e.finish())
                .map_err(|source| Error::Io {
                    context: "gzip-compressing a PMTiles directory",
                    source,
                })
        }
        other => Err(Error::InvalidOptions {
            field: "internal_compression",
            reason: format!("{other:?} is not supported; use None or Gzip"),
        }),
    }
}

fn decompress(bytes: &[u8], compression: Compression) -> Result<Vec<u8>> {
    match compression {
        Compression::None => Ok(bytes.to_vec()),
        Compression::Gzip => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(bytes)
                .take(1 << 30)
                .read_to_end(&mut out)
                .map_err(|e| malformed(format!("gzip: {e}")))?;
            Ok(out)
        }
        other => Err(malformed(format!(
            "{other:?} directories are not supported"
        ))),
    }
}

fn malformed(reason: String) -> Error {
    Error::PmTiles { reason }
}

/// The fixed header of an archive.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Offset and length of the root directory.
    pub root: (u64, u64),
    /// Offset and length of the metadata.
    pub metadata: (u64, u64),
    /// Offset and length of the leaf directories.
    pub leaves: (u64, u64),
    /// Offset and length of the tile data.
    pub data: (u64, u64),
    /// Addressed tiles, tile entries, tile contents.
    pub counts: (u64, u64, u64),
    /// Tile data ordered by tile id.
    pub clustered: bool,
    /// Compression of directories and metadata.
    pub internal_compression: Compression,
    /// Compression of tiles.
    pub tile_compression: Compression,
    /// Tile type byte.
    pub tile_type: u8,
    /// Zoom range.
    pub zooms: (u8, u8),
    /// West, south, east, north in degrees.
    pub bounds_lonlat: [f64; 4],
    /// Centre longitude, latitude and zoom.
    pub center: (f64, f64, u8),
}

/// Reads tiles out of an archive held in memory (tests, small archives, checks).
#[derive(Debug)]
pub struct PmTilesReader<'a> {
    bytes: &'a [u8],
    header: Header,
    root: Vec<Entry>,
}

impl<'a> PmTilesReader<'a> {
    /// Parses the header and the root directory.
    pub fn new(bytes: &'a [u8]) -> Result<Self> {
        if bytes.len() < HEADER_BYTES || &bytes[..7] != b"PMTiles" {
            return Err(malformed("no PMTiles header".into()));
        }
        if bytes[7] != 3 {
            return Err(malformed(format!("version {} is not 3", bytes[7])));
        }
        let u = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]));
        let i = |at: usize| {
            f64::from(i32::from_le_bytes(
                bytes[at..at + 4].try_into().unwrap_or([0; 4]),
            )) / 1e7
        };
        let header = Header {
            root: (u(8), u(16)),
            metadata: (u(24), u(32)),
            leaves: (u(40), u(48)),
            data: (u(56), u(64)),
            counts: (u(72), u(80), u(88)),
            clustered: bytes[96] == 1,
            internal_compression: Compression::from_byte(bytes[97])?,
            tile_compression: Compression::from_byte(bytes[98])?,
            tile_type: bytes[99],
            zooms: (bytes[100], bytes[101]),
            bounds_lonlat: [i(102), i(106), i(110), i(114)],
            center: (i(119), i(123), bytes[118]),
        };
        let mut reader = PmTilesReader {
            bytes,
            header,
            root: Vec::new(),
        };
        reader.root = reader.directory(reader.header.root.0, reader.header.root.1)?;
        Ok(reader)
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The metadata JSON text.
    pub fn metadata(&self) -> Result<String> {
        let (offset, len) = self.header.metadata;
        let raw = decompress(self.slice(offset, len)?, self.header.internal_compression)?;
        String::from_utf8(raw).map_err(|_| malformed("metadata is not UTF-8".into()))
    }

    /// The root directory's entries.
    pub fn root_entries(&self) -> &[Entry] {
        &self.root
    }

    /// A tile's bytes, or `None` when the archive does not have it.
    pub fn tile(&self, tile: TileId) -> Result<Option<&'a [u8]>> {
        let id = tile.hilbert_id();
        let mut entries = self.root.clone();
        // Root, leaf, and leaves of leaves: the spec allows any depth, real archives
        // use two levels; four is plenty and bounds a malicious archive.
        for _ in 0..4 {
            let Some(e) = find(&entries, id) else {
                return Ok(None);
            };
            if e.run_length > 0 {
                return self
                    .slice(
                        self.header.data.0.saturating_add(e.offset),
                        u64::from(e.length),
                    )
                    .map(Some);
            }
            entries = self.directory(
                self.header.leaves.0.saturating_add(e.offset),
                u64::from(e.length),
            )?;
        }
        Err(malformed("directories nest too deep".into()))
    }

    /// Every tile of the archive with where its bytes lie in the archive, in tile-id order
    /// (a run of tiles that share their bytes gives each of them): at most `max` tiles,
    /// else an error naming the limit, so a small archive claiming long runs cannot make a
    /// huge list. Every range lies inside the archive.
    pub fn all_tiles(&self, max: usize) -> Result<Vec<(TileId, std::ops::Range<usize>)>> {
        let mut out = Vec::new();
        self.walk(&self.root, 0, max, &mut out)?;
        Ok(out)
    }

    fn walk(
        &self,
        entries: &[Entry],
        depth: u8,
        max: usize,
        out: &mut Vec<(TileId, std::ops::Range<usize>)>,
    ) -> Result<()> {
        if depth >= 4 {
            return Err(malformed("directories nest too deep".into()));
        }
        for e in entries {
            if e.run_length == 0 {
                let leaf = self.directory(
                    self.header.leaves.0.saturating_add(e.offset),
                    u64::from(e.length),
                )?;
                self.walk(&leaf, depth + 1, max, out)?;
                continue;
            }
            let start = self.header.data.0.saturating_add(e.offset);
            // Checked against the archive's length here, so the range can be used as is.
            let data = self.slice(start, u64::from(e.length))?;
            let start = start as usize;
            let range = start..start + data.len();
            for id in e.tile_id..e.tile_id.saturating_add(u64::from(e.run_length)) {
                if out.len() >= max {
                    return Err(malformed(format!("more than {max} tiles")));
                }
                let tile = TileId::from_hilbert_id(id)
                    .ok_or_else(|| malformed(format!("tile id {id} is beyond zoom 30")))?;
                out.push((tile, range.clone()));
            }
        }
        Ok(())
    }

    fn slice(&self, offset: u64, len: u64) -> Result<&'a [u8]> {
        let end = offset
            .checked_add(len)
            .filter(|&e| e <= self.bytes.len() as u64);
        match end {
            Some(end) => Ok(&self.bytes[offset as usize..end as usize]),
            None => Err(malformed(format!(
                "section at {offset} of {len} bytes lies beyond the end"
            ))),
        }
    }

    fn directory(&self, offset: u64, len: u64) -> Result<Vec<Entry>> {
        let raw = decompress(self.slice(offset, len)?, self.header.internal_compression)?;
        parse_directory(&raw)
    }
}

/// The entry covering `id`: the last entry whose first id is at most `id`, if `id` lies
/// in its run (or it is a leaf pointer).
fn find(entries: &[Entry], id: u64) -> Option<Entry> {
    let i = entries
        .partition_point(|e| e.tile_id <= id)
        .checked_sub(1)?;
    let e = entries[i];
    (e.run_length == 0 || id < e.tile_id + u64::from(e.run_length)).then_some(e)
}

fn read_varint(b: &mut &[u8]) -> Result<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = b
            .split_first()
            .ok_or_else(|| malformed("directory ends inside a number".into()))?;
        *b = rest;
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Ok(v);
        }
    }
    Err(malformed("number too long in directory".into()))
}

fn parse_directory(mut b: &[u8]) -> Result<Vec<Entry>> {
    let b = &mut b;
    let n = read_varint(b)?;
    // Each entry takes at least four bytes, which bounds the allocation.
    let n = usize::try_from(n)
        .ok()
        .filter(|&n| n > 0 && n <= 1 + b.len() / 4)
        .ok_or_else(|| malformed(format!("directory claims {n} entries")))?;
    let mut entries = vec![
        Entry {
            tile_id: 0,
            offset: 0,
            length: 0,
            run_length: 0
        };
        n
    ];
    let mut last = 0u64;
    for e in &mut entries {
        last = last
            .checked_add(read_varint(b)?)
            .ok_or_else(|| malformed("tile id overflows".into()))?;
        e.tile_id = last;
    }
    let small = |v: u64| u32::try_from(v).map_err(|_| malformed("value too large".into()));
    for e in &mut entries {
        e.run_length = small(read_varint(b)?)?;
    }
    for e in &mut entries {
        e.length = small(read_varint(b)?)?;
    }
    for i in 0..n {
        let v = read_varint(b)?;
        entries[i].offset = if v == 0 && i > 0 {
            let p = entries[i - 1];
            p.offset + u64::from(p.length)
        } else {
            v.checked_sub(1)
                .ok_or_else(|| malformed("first entry has offset 0 (follows nothing)".into()))?
        };
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive(tiles: &[(TileId, Vec<u8>)], options: PmTilesOptions) -> (Vec<u8>, PmTilesSummary) {
        let mut w = PmTilesWriter::new(options);
        for (t, d) in tiles {
            w.add_tile(*t, d.clone()).unwrap();
        }
        let mut out = Vec::new();
        let summary = w.finish(&mut out).unwrap();
        (out, summary)
    }

    #[test]
    fn directory_round_trip() {
        let entries = vec![
            Entry {
                tile_id: 0,
                offset: 0,
                length: 10,
                run_length: 1,
            },
            Entry {
                tile_id: 5,
                offset: 10,
                length: 3,
                run_length: 2,
            },
            Entry {
                tile_id: 9,
                offset: 0,
                length: 10,
                run_length: 1,
            },
        ];
        for c in [Compression::None, Compression::Gzip] {
            let bytes = serialize_directory(&entries, c).unwrap();
            assert_eq!(
                parse_directory(&decompress(&bytes, c).unwrap()).unwrap(),
                entries
            );
        }
    }

    #[test]
    fn header_fields() {
        let t = TileId::new(2, 1, 1).unwrap();
        let (bytes, summary) = archive(&[(t, b"abc".to_vec())], PmTilesOptions::default());
        let r = PmTilesReader::new(&bytes).unwrap();
        let h = r.header();
        assert_eq!(h.root.0, 127);
        assert_eq!(h.zooms, (2, 2));
        assert_eq!(h.tile_type, TileType::Mvt as u8);
        assert_eq!(h.internal_compression, Compression::Gzip);
        assert!(h.clustered);
        assert_eq!(h.counts, (1, 1, 1));
        assert!((h.bounds_lonlat[0] - -90.0).abs() < 1e-6);
        assert_eq!(summary.bytes, bytes.len() as u64);
        assert!(r.metadata().unwrap().contains("\"vector_layers\":[]"));
    }

    #[test]
    fn duplicate_and_empty_tiles() {
        let mut w = PmTilesWriter::new(PmTilesOptions::default());
        let t = TileId::new(0, 0, 0).unwrap();
        w.add_tile(t, Vec::new()).unwrap();
        assert!(w.is_empty());
        let empty = PmTilesWriter::new(PmTilesOptions::default());
        assert!(matches!(
            empty.finish(&mut Vec::new()),
            Err(Error::EmptyArchive)
        ));
        assert!(matches!(
            w.add_tile(t, vec![1]),
            Err(Error::DuplicateTile { .. })
        ));
    }

    #[test]
    fn garbage_is_refused_not_panicked_on() {
        assert!(PmTilesReader::new(b"").is_err());
        assert!(PmTilesReader::new(&[0u8; 200]).is_err());
        let (mut bytes, _) = archive(
            &[(TileId::new(0, 0, 0).unwrap(), vec![1, 2, 3])],
            PmTilesOptions::default(),
        );
        // Root directory length pointing past the end.
        bytes[16..24].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(PmTilesReader::new(&bytes).is_err());
        for cut in [1usize, 3, 8] {
            assert!(parse_directory(&[0xff; 12][..cut]).is_err());
        }
        assert!(parse_directory(&[200, 1, 1, 1, 1]).is_err());
    }
}
