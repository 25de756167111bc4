//! Mapbox Vector Tile 2.1 encoding, written by hand (the protobuf subset is small).
//!
//! A tile is a protobuf message whose field 3 repeats layers, so the bytes of several
//! one-layer tiles concatenated are one valid multi-layer tile. [`LayerEncoder::finish`]
//! relies on this: it returns a complete tile holding its one layer.

use std::collections::HashMap;

use crate::{Error, Result};

/// Default tile extent: the side of a tile in tile units.
pub const DEFAULT_EXTENT: u32 = 4096;

/// A property value. Integers are written as `sint_value` (zigzag, compact for negative
/// numbers) and unsigned integers as `uint_value`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// UTF-8 text (`string_value`).
    String(String),
    /// A signed integer (`sint_value`).
    Int(i64),
    /// An unsigned integer (`uint_value`).
    UInt(u64),
    /// A double (`double_value`).
    Double(f64),
    /// A boolean (`bool_value`).
    Bool(bool),
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::String(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<u64> for Value {
    fn from(v: u64) -> Self {
        Value::UInt(v)
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::UInt(u64::from(v))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Double(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

/// A [`Value`] that can key a hash map (doubles by their bits).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ValueKey {
    String(String),
    Int(i64),
    UInt(u64),
    Double(u64),
    Bool(bool),
}

impl From<&Value> for ValueKey {
    fn from(v: &Value) -> Self {
        match v {
            Value::String(s) => ValueKey::String(s.clone()),
            Value::Int(i) => ValueKey::Int(*i),
            Value::UInt(u) => ValueKey::UInt(*u),
            Value::Double(d) => ValueKey::Double(d.to_bits()),
            Value::Bool(b) => ValueKey::Bool(*b),
        }
    }
}

/// MVT geometry type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GeomType {
    /// One or more points.
    Point = 1,
    /// One or more line strings.
    LineString = 2,
    /// One or more polygons: each exterior ring followed by its holes.
    Polygon = 3,
}

/// Geometry in integer tile coordinates (y down), ready for the command stream.
///
/// Parts are point groups, lines or rings. Rings are given without the closing point;
/// an exterior ring must have positive area by the surveyor's formula in tile coordinates
/// (clockwise on screen) and a hole negative area, as MVT 2.1 requires.
#[derive(Debug, Clone)]
pub struct TileGeometry {
    kind: GeomType,
    coords: Vec<[i32; 2]>,
    ends: Vec<usize>,
}

impl TileGeometry {
    /// An empty geometry of one type.
    pub fn new(kind: GeomType) -> Self {
        TileGeometry {
            kind,
            coords: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// Empties the geometry, keeping its allocations.
    pub fn clear(&mut self, kind: GeomType) {
        self.kind = kind;
        self.coords.clear();
        self.ends.clear();
    }

    /// Geometry type.
    pub fn kind(&self) -> GeomType {
        self.kind
    }

    /// Appends a part: a group of points, a line, or a ring without its closing point.
    pub fn push_part(&mut self, part: impl IntoIterator<Item = [i32; 2]>) {
        self.coords.extend(part);
        self.ends.push(self.coords.len());
    }

    /// Appends a part from a slice.
    pub(crate) fn push_slice(&mut self, part: &[[i32; 2]]) {
        self.coords.extend_from_slice(part);
        self.ends.push(self.coords.len());
    }

    /// The parts in order.
    pub fn parts(&self) -> impl Iterator<Item = &[[i32; 2]]> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let part = &self.coords[start..end];
            start = end;
            part
        })
    }

    /// `true` when there is no part.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Checks the rules of the command stream: no empty part, lines of two or more
    /// points, rings of three or more, no zero-length step, the first ring exterior and no
    /// ring of zero area, deltas that fit 32 bits.
    pub fn validate(&self) -> Result<()> {
        if self.is_empty() {
            return Err(Error::InvalidTileGeometry {
                part: 0,
                reason: "geometry has no part",
            });
        }
        for (i, part) in self.parts().enumerate() {
            let fail = |reason| Err(Error::InvalidTileGeometry { part: i, reason });
            let min = match self.kind {
                GeomType::Point => 1,
                GeomType::LineString => 2,
                GeomType::Polygon => 3,
            };
            if part.len() < min {
                return fail("too few points for its type");
            }
            if self.kind != GeomType::Point && part.windows(2).any(|w| w[0] == w[1]) {
                return fail("repeated point (zero-length segment)");
            }
            if self.kind == GeomType::Polygon {
                if part.first() == part.last() {
                    return fail("ring repeats its first point at the end");
                }
                let area = crate::simplify::ring_area2(part);
                if area == 0 {
                    return fail("ring has zero area");
                }
                if i == 0 && area < 0 {
                    return fail("first ring is not an exterior ring (positive area)");
                }
            }
        }
        let too_far = self
            .coords
            .windows(2)
            .any(|w| delta(w[0][0], w[1][0]).is_none() || delta(w[0][1], w[1][1]).is_none());
        if too_far {
            return Err(Error::InvalidTileGeometry {
                part: 0,
                reason: "coordinate step does not fit 32 bits",
            });
        }
        Ok(())
    }
}

fn delta(a: i32, b: i32) -> Option<i32> {
    b.checked_sub(a)
}

/// Builds one MVT layer: features, and the key and value tables shared by them
/// (each key and value is stored once per layer).
///
/// Features are kept as pieces (id, tags, command stream) and the layer is assembled in
/// one pass by [`LayerEncoder::finish`], which knows every length up front.
///
/// # Examples
///
/// ```
/// use kumuh_tiles::{GeomType, LayerEncoder, TileGeometry, Value};
///
/// let mut layer = LayerEncoder::new("desa", 4096);
/// let mut square = TileGeometry::new(GeomType::Polygon);
/// // Clockwise on screen (y down): positive area in tile coordinates.
/// square.push_part([[0, 0], [100, 0], [100, 100], [0, 100]]);
/// let tags = [layer.tag("nama", &Value::from("Jiwan"))];
/// layer.add_feature(Some(1), &tags, &square)?;
/// let tile: Vec<u8> = layer.finish();
/// assert!(tile.len() > 20);
/// # Ok::<(), kumuh_tiles::Error>(())
/// ```
#[derive(Debug)]
pub struct LayerEncoder {
    name: String,
    extent: u32,
    features: Vec<FeatureRef>,
    tags: Vec<u32>,
    commands: Vec<u8>,
    keys: Vec<u8>,
    key_count: u32,
    key_index: HashMap<String, u32>,
    values: Vec<u8>,
    value_count: u32,
    value_index: HashMap<ValueKey, u32>,
    scratch: Vec<u8>,
}

/// Where one feature's pieces lie in the encoder's buffers.
#[derive(Debug, Clone, Copy)]
struct FeatureRef {
    id: Option<u64>,
    kind: GeomType,
    tags_end: u32,
    /// Bytes of the packed tags.
    tags_bytes: u32,
    commands_end: u32,
}

impl LayerEncoder {
    /// A layer named `name` whose tiles are `extent` units wide (4096 is the default).
    pub fn new(name: &str, extent: u32) -> Self {
        LayerEncoder {
            name: name.to_string(),
            extent,
            features: Vec::new(),
            tags: Vec::new(),
            commands: Vec::new(),
            keys: Vec::new(),
            key_count: 0,
            key_index: HashMap::new(),
            values: Vec::new(),
            value_count: 0,
            value_index: HashMap::new(),
            scratch: Vec::new(),
        }
    }

    /// Index of `key` in the layer's key table, adding it when new.
    pub fn key(&mut self, key: &str) -> u32 {
        if let Some(&i) = self.key_index.get(key) {
            return i;
        }
        let i = self.push_key(key);
        self.key_index.insert(key.to_string(), i);
        i
    }

    /// Appends a key without looking it up (the caller deduplicates).
    pub(crate) fn push_key(&mut self, key: &str) -> u32 {
        put_bytes(&mut self.keys, 3, key.as_bytes());
        self.key_count += 1;
        self.key_count - 1
    }

    /// Index of `value` in the layer's value table, adding it when new.
    pub fn value(&mut self, value: &Value) -> u32 {
        let k = ValueKey::from(value);
        if let Some(&i) = self.value_index.get(&k) {
            return i;
        }
        let i = self.push_value(value);
        self.value_index.insert(k, i);
        i
    }

    /// Appends a value without looking it up (the caller deduplicates).
    pub(crate) fn push_value(&mut self, value: &Value) -> u32 {
        self.scratch.clear();
        encode_value(value, &mut self.scratch);
        put_bytes(&mut self.values, 4, &self.scratch);
        self.value_count += 1;
        self.value_count - 1
    }

    /// Appends a value already encoded by [`encode_value`], without looking it up.
    pub(crate) fn push_encoded_value(&mut self, body: &[u8]) -> u32 {
        put_bytes(&mut self.values, 4, body);
        self.value_count += 1;
        self.value_count - 1
    }

    /// The pair of tag indices for a property, as [`LayerEncoder::add_feature`] takes them.
    pub fn tag(&mut self, key: &str, value: &Value) -> [u32; 2] {
        [self.key(key), self.value(value)]
    }

    /// Adds a feature with an optional id, its properties as `[key, value]` index pairs,
    /// and its geometry. Geometry that would make an invalid command stream is refused
    /// (see [`TileGeometry::validate`]) and nothing is added.
    pub fn add_feature(
        &mut self,
        id: Option<u64>,
        tags: &[[u32; 2]],
        geometry: &TileGeometry,
    ) -> Result<()> {
        geometry.validate()?;
        if let Some((i, _)) = tags
            .iter()
            .enumerate()
            .find(|(_, [k, v])| *k >= self.key_count || *v >= self.value_count)
        {
            return Err(Error::InvalidTileGeometry {
                part: i,
                reason: "tag refers to a key or value not in this layer",
            });
        }
        self.add_feature_unchecked(id, tags.iter().flatten().copied(), geometry);
        Ok(())
    }

    /// Adds a feature whose geometry the caller has already made valid.
    pub(crate) fn add_feature_unchecked(
        &mut self,
        id: Option<u64>,
        tags: impl Iterator<Item = u32>,
        geometry: &TileGeometry,
    ) {
        let mut tags_bytes = 0;
        for t in tags {
            tags_bytes += varint_len(u64::from(t));
            self.tags.push(t);
        }
        encode_commands(geometry, &mut self.commands);
        self.features.push(FeatureRef {
            id,
            kind: geometry.kind,
            tags_end: self.tags.len() as u32,
            tags_bytes: tags_bytes as u32,
            commands_end: self.commands.len() as u32,
        });
    }

    /// Number of features added so far.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// `true` when no feature has been added.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// The encoded tile holding this one layer; an empty `Vec` when the layer has no
    /// feature (an empty tile is zero bytes, never an empty layer).
    pub fn finish(self) -> Vec<u8> {
        self.finish_within(usize::MAX).bytes
    }

    /// Like [`LayerEncoder::finish`], but a tile that would exceed `max_bytes` is written
    /// without the features' properties, and if still too large without their ids too;
    /// the geometry always stays. [`Finished`] says what was left out.
    pub fn finish_within(self, max_bytes: usize) -> Finished {
        if self.features.is_empty() {
            return Finished::default();
        }
        let has_tags = !self.tags.is_empty();
        let has_ids = self.features.iter().any(|f| f.id.is_some());
        let (mut tags, mut ids) = (true, true);
        let mut layer_len = self.layer_len(tags, ids);
        if has_tags && tile_len(layer_len) > max_bytes {
            tags = false;
            layer_len = self.layer_len(tags, ids);
        }
        if has_ids && tile_len(layer_len) > max_bytes {
            ids = false;
            layer_len = self.layer_len(tags, ids);
        }
        let mut out = Vec::with_capacity(tile_len(layer_len));
        put_key(&mut out, 3, 2);
        put_varint(&mut out, layer_len as u64);
        put_bytes(&mut out, 1, self.name.as_bytes());
        let (mut tag_start, mut cmd_start) = (0usize, 0usize);
        for f in &self.features {
            let (tag_end, cmd_end) = (f.tags_end as usize, f.commands_end as usize);
            put_key(&mut out, 2, 2);
            put_varint(
                &mut out,
                feature_len(f, cmd_end - cmd_start, tags, ids) as u64,
            );
            if let Some(id) = f.id.filter(|_| ids) {
                put_key(&mut out, 1, 0);
                put_varint(&mut out, id);
            }
            if tags && f.tags_bytes > 0 {
                put_key(&mut out, 2, 2);
                put_varint(&mut out, u64::from(f.tags_bytes));
                for &t in &self.tags[tag_start..tag_end] {
                    put_varint(&mut out, u64::from(t));
                }
            }
            put_key(&mut out, 3, 0);
            put_varint(&mut out, f.kind as u64);
            put_bytes(&mut out, 4, &self.commands[cmd_start..cmd_end]);
            (tag_start, cmd_start) = (tag_end, cmd_end);
        }
        if tags {
            out.extend_from_slice(&self.keys);
            out.extend_from_slice(&self.values);
        }
        put_key(&mut out, 5, 0);
        put_varint(&mut out, u64::from(self.extent));
        put_key(&mut out, 15, 0);
        put_varint(&mut out, 2);
        debug_assert_eq!(out.len(), tile_len(layer_len));
        Finished {
            bytes: out,
            properties_dropped: has_tags && !tags,
            ids_dropped: has_ids && !ids,
        }
    }

    /// Bytes of the layer message's body.
    fn layer_len(&self, tags: bool, ids: bool) -> usize {
        let mut len = field_len(self.name.len());
        let mut cmd_start = 0;
        for f in &self.features {
            let cmd_end = f.commands_end as usize;
            len += field_len(feature_len(f, cmd_end - cmd_start, tags, ids));
            cmd_start = cmd_end;
        }
        if tags {
            len += self.keys.len() + self.values.len();
        }
        len + 1 + varint_len(u64::from(self.extent)) + 2
    }
}

/// A finished tile and what had to be left out to keep it within its size limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Finished {
    /// The encoded tile (empty when the layer had no feature).
    pub bytes: Vec<u8>,
    /// Properties were left out.
    pub properties_dropped: bool,
    /// Feature ids were left out.
    pub ids_dropped: bool,
}

/// The body of an MVT `Value` message.
pub(crate) fn encode_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::String(v) => put_bytes(out, 1, v.as_bytes()),
        Value::Double(v) => {
            put_key(out, 3, 1);
            out.extend_from_slice(&v.to_le_bytes());
        }
        Value::Int(v) => {
            put_key(out, 6, 0);
            put_varint(out, zigzag64(*v));
        }
        Value::UInt(v) => {
            put_key(out, 5, 0);
            put_varint(out, *v);
        }
        Value::Bool(v) => {
            put_key(out, 7, 0);
            put_varint(out, u64::from(*v));
        }
    }
}

/// Bytes of a feature message's body.
fn feature_len(f: &FeatureRef, commands: usize, with_tags: bool, with_ids: bool) -> usize {
    let id = f.id.filter(|_| with_ids).map_or(0, |id| 1 + varint_len(id));
    let tags = if with_tags && f.tags_bytes > 0 {
        field_len(f.tags_bytes as usize)
    } else {
        0
    };
    id + tags + 2 + field_len(commands)
}

/// Bytes of a length-delimited field with a one-byte key.
fn field_len(body: usize) -> usize {
    1 + varint_len(body as u64) + body
}

fn tile_len(layer_len: usize) -> usize {
    field_len(layer_len)
}

/// Command integer: id in the low 3 bits, count above.
fn command(id: u32, count: usize) -> u64 {
    (u64::from(id) & 0x7) | ((count as u64) << 3)
}

const MOVE_TO: u32 = 1;
const LINE_TO: u32 = 2;
const CLOSE_PATH: u32 = 7;

fn encode_commands(geometry: &TileGeometry, out: &mut Vec<u8>) {
    let (mut cx, mut cy) = (0i32, 0i32);
    let mut step = |out: &mut Vec<u8>, p: [i32; 2]| {
        put_varint(out, u64::from(zigzag32(p[0].wrapping_sub(cx))));
        put_varint(out, u64::from(zigzag32(p[1].wrapping_sub(cy))));
        (cx, cy) = (p[0], p[1]);
    };
    match geometry.kind {
        GeomType::Point => {
            put_varint(out, command(MOVE_TO, geometry.coords.len()));
            for &p in &geometry.coords {
                step(out, p);
            }
        }
        GeomType::LineString | GeomType::Polygon => {
            for part in geometry.parts() {
                put_varint(out, command(MOVE_TO, 1));
                step(out, part[0]);
                put_varint(out, command(LINE_TO, part.len() - 1));
                for &p in &part[1..] {
                    step(out, p);
                }
                if geometry.kind == GeomType::Polygon {
                    put_varint(out, command(CLOSE_PATH, 1));
                }
            }
        }
    }
}

pub(crate) fn zigzag32(n: i32) -> u32 {
    ((n << 1) ^ (n >> 31)) as u32
}

pub(crate) fn zigzag64(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

pub(crate) fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

pub(crate) fn varint_len(v: u64) -> usize {
    (64 - (v | 1).leading_zeros() as usize).div_ceil(7)
}

fn put_key(buf: &mut Vec<u8>, field: u32, wire: u32) {
    put_varint(buf, u64::from((field << 3) | wire));
}

fn put_bytes(buf: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    put_key(buf, field, 2);
    put_varint(buf, bytes.len() as u64);
    buf.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_and_varints() {
        assert_eq!(zigzag32(0), 0);
        assert_eq!(zigzag32(-1), 1);
        assert_eq!(zigzag32(1), 2);
        assert_eq!(zigzag32(i32::MIN), u32::MAX);
        assert_eq!(zigzag64(-2), 3);
        let mut b = Vec::new();
        put_varint(&mut b, 300);
        assert_eq!(b, [0xAC, 0x02]);
        for v in [0, 1, 127, 128, 16_383, 16_384, u64::MAX] {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            assert_eq!(b.len(), varint_len(v), "{v}");
        }
    }

    /// The polygon example of the MVT 2.1 specification (section 4.3.5.3).
    #[test]
    fn command_stream_of_the_spec_example() {
        let mut g = TileGeometry::new(GeomType::Polygon);
        g.push_part([[3, 6], [8, 12], [20, 34]]);
        let mut out = Vec::new();
        encode_commands(&g, &mut out);
        assert_eq!(out, [9, 6, 12, 18, 10, 12, 24, 44, 15]);
    }

    #[test]
    fn point_and_line_streams() {
        let mut g = TileGeometry::new(GeomType::Point);
        g.push_part([[25, 17]]);
        let mut out = Vec::new();
        encode_commands(&g, &mut out);
        assert_eq!(out, [9, 50, 34]);

        let mut g = TileGeometry::new(GeomType::LineString);
        g.push_part([[2, 2], [2, 10], [10, 10]]);
        g.push_part([[1, 1], [3, 5]]);
        let mut out = Vec::new();
        encode_commands(&g, &mut out);
        assert_eq!(out, [9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8]);
    }

    #[test]
    fn invalid_geometry_is_refused() {
        let mut layer = LayerEncoder::new("t", 4096);
        let check = |kind, parts: &[&[[i32; 2]]]| {
            let mut g = TileGeometry::new(kind);
            for p in parts {
                g.push_slice(p);
            }
            g.validate().is_err()
        };
        assert!(check(GeomType::Polygon, &[]));
        assert!(check(GeomType::Polygon, &[&[[0, 0], [1, 0]]]));
        assert!(check(GeomType::Polygon, &[&[[0, 0], [1, 0], [2, 0]]]));
        // Counter-clockwise on screen: a hole without an exterior.
        assert!(check(GeomType::Polygon, &[&[[0, 0], [0, 1], [1, 1]]]));
        assert!(!check(GeomType::Polygon, &[&[[0, 0], [1, 0], [1, 1]]]));
        assert!(check(GeomType::LineString, &[&[[0, 0], [0, 0]]]));
        assert!(check(
            GeomType::LineString,
            &[&[[i32::MIN + 1, 0], [i32::MAX, 0]]]
        ));
        assert!(!check(GeomType::Point, &[&[[0, 0], [0, 0]]]));
        let g = TileGeometry::new(GeomType::Point);
        assert!(layer.add_feature(None, &[], &g).is_err());
        assert!(layer.is_empty());
        assert!(layer.finish().is_empty());
    }

    #[test]
    fn keys_and_values_are_stored_once() {
        let mut layer = LayerEncoder::new("t", 4096);
        let a = layer.tag("nama", &Value::from("Jiwan"));
        let b = layer.tag("nama", &Value::from("Jiwan"));
        let c = layer.tag("luas", &Value::from(1.5));
        let d = layer.tag("kode", &Value::from(-7));
        assert_eq!(a, b);
        assert_eq!(c, [1, 1]);
        assert_eq!(d, [2, 2]);
        let mut g = TileGeometry::new(GeomType::Point);
        g.push_part([[1, 1]]);
        assert!(layer.add_feature(Some(1), &[a, [9, 0]], &g).is_err());
        layer.add_feature(Some(1), &[a, c, d], &g).unwrap();
        assert_eq!(layer.len(), 1);
    }

    #[test]
    fn size_limit_drops_properties_then_ids() {
        let layer = || {
            let mut layer = LayerEncoder::new("t", 4096);
            let mut g = TileGeometry::new(GeomType::Point);
            g.push_part([[1, 1]]);
            for i in 0..100u64 {
                let tag = layer.tag("nama", &Value::from(format!("desa nomor {i}")));
                layer
                    .add_feature(Some(3_519_092_000 + i), &[tag], &g)
                    .unwrap();
            }
            layer
        };
        let full = layer().finish();
        let same = layer().finish_within(full.len());
        assert_eq!(
            (same.bytes.len(), same.properties_dropped),
            (full.len(), false)
        );
        let lean = layer().finish_within(full.len() - 1);
        assert!(lean.properties_dropped && !lean.ids_dropped);
        assert!(lean.bytes.len() < full.len() / 2);
        let leaner = layer().finish_within(lean.bytes.len() - 1);
        assert!(leaner.properties_dropped && leaner.ids_dropped);
        // 100 features of 9 bytes (key and length, type, a one-point command stream),
        // name, extent, version, and the layer's key and length.
        assert_eq!(leaner.bytes.len(), 100 * 9 + 3 + 3 + 2 + 3);
    }
}
