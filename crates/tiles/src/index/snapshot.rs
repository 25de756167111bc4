//! An index written out as bytes and read back: a server keeps its layers in the store
//! this way, so that a restart reads them instead of projecting and generalising every
//! feature again (for Java's desa, a few tenths of a second instead of four).
//!
//! The bytes are this crate's own little-endian layout, not a promise to anyone else:
//! a header (magic, [`SNAPSHOT_FORMAT`], the fingerprint of the code that wrote it, the
//! options, the layer name), the key and value tables, then each feature in slot order
//! (record, tags, full shape, one shape per level), and a checksum of everything before
//! it. Reading checks all of it: bytes written by other code or other options, cut
//! short, altered, or out of range are an [`Error::Snapshot`], never a panic, and the
//! caller builds the index from its features instead.

use geo_types::{Rect, coord};

use super::{Stored, TileIndex};
use crate::mvt::{GeomType, Value, ValueKey};
use crate::shape::{Part, Role, Shape, ShapeRef};
use crate::simplify::ring_area2;
use crate::{Error, IndexOptions, Result};

/// Version of the layout. Bump it when the bytes change meaning.
pub const SNAPSHOT_FORMAT: u32 = 1;

const MAGIC: &[u8; 8] = b"KUMUHTI\0";

/// The sources whose behaviour decides what an index holds: a snapshot written by a build
/// that projected, generalised or encoded differently is refused, so no release (nor a
/// developer's change) ever serves tiles of an older algorithm from a kept index.
const CODE: &[&str] = &[
    include_str!("mod.rs"),
    include_str!("snapshot.rs"),
    include_str!("options.rs"),
    include_str!("encode.rs"),
    include_str!("../shape.rs"),
    include_str!("../simplify.rs"),
    include_str!("../projection.rs"),
    include_str!("../clip.rs"),
    include_str!("../mvt.rs"),
];

/// A fingerprint of the code that builds and encodes an index (see [`CODE`]).
fn code_fingerprint() -> u64 {
    let mut h = Checksum::default();
    for source in CODE {
        h.add(source.as_bytes());
    }
    h.finish()
}

/// Largest grid number a generalised level may hold: `2^level × extent ≤ 2^30` is checked
/// with the options, and a snapped vertex lies at most one cell outside.
const MAX_GRID: i32 = (1 << 30) + 1;

impl TileIndex {
    /// The index as bytes for [`TileIndex::from_snapshot`]. Empty slots are left out,
    /// and features keep their order, so the index read back encodes the same tiles.
    pub fn snapshot(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(MAGIC);
        w.u32(SNAPSHOT_FORMAT);
        w.u64(code_fingerprint());
        w.str(&format!("{:?}", self.options));
        w.str(&self.name);
        w.u32(self.keys.len() as u32);
        for k in &self.keys {
            w.str(k);
        }
        w.u32(self.values.len() as u32);
        for v in &self.values {
            match v {
                Value::String(s) => {
                    w.u8(0);
                    w.str(s);
                }
                Value::Int(i) => {
                    w.u8(1);
                    w.u64(*i as u64);
                }
                Value::UInt(u) => {
                    w.u8(2);
                    w.u64(*u);
                }
                Value::Double(d) => {
                    w.u8(3);
                    w.u64(d.to_bits());
                }
                Value::Bool(b) => {
                    w.u8(4);
                    w.u8(u8::from(*b));
                }
            }
        }
        w.u32(self.len() as u32);
        for (slot, stored) in self.slots.iter().enumerate() {
            let Some(s) = stored else { continue };
            w.u64(s.id);
            w.u64(s.fingerprint);
            w.u8(s.kind as u8);
            s.bbox_world.iter().for_each(|&v| w.u32(v));
            let (min, max) = (s.bbox_lonlat.min(), s.bbox_lonlat.max());
            [min.x, min.y, max.x, max.y]
                .iter()
                .for_each(|v| w.u64(v.to_bits()));
            let tags = self.tags.get(slot);
            w.u32(tags.len() as u32);
            tags.iter().flatten().for_each(|&t| w.u32(t));
            w.shape(self.raw.get(slot), |w, [x, y]| {
                w.u32(*x);
                w.u32(*y);
            });
            for arena in &self.levels {
                w.shape(arena.get(slot), |w, [x, y]| {
                    w.u32(*x as u32);
                    w.u32(*y as u32);
                });
            }
        }
        let sum = {
            let mut h = Checksum::default();
            h.add(&w.out);
            h.finish()
        };
        w.u64(sum);
        w.out
    }

    /// Reads an index written by [`TileIndex::snapshot`] for the layer `name` with these
    /// options, checking every part of it; [`Error::Snapshot`] says why bytes were
    /// refused (another format, code, options or layer; cut short; altered; out of
    /// range).
    pub fn from_snapshot(
        name: impl Into<String>,
        options: IndexOptions,
        bytes: &[u8],
    ) -> Result<TileIndex> {
        let name = name.into();
        let Some((body, sum)) = bytes.split_last_chunk::<8>() else {
            return refuse("cut short");
        };
        let mut h = Checksum::default();
        h.add(body);
        if h.finish() != u64::from_le_bytes(*sum) {
            return refuse("the checksum does not match: the bytes were altered or cut short");
        }
        let mut r = Reader { rest: body };
        if r.take(MAGIC.len())? != MAGIC {
            return refuse("not a tile index snapshot");
        }
        let format = r.u32()?;
        if format != SNAPSHOT_FORMAT {
            return refuse(&format!(
                "format {format}, this build reads {SNAPSHOT_FORMAT}"
            ));
        }
        if r.u64()? != code_fingerprint() {
            return refuse("written by another build of the tile index");
        }
        if r.str()? != format!("{options:?}") {
            return refuse("written with other index options");
        }
        let layer = r.str()?;
        if layer != name {
            return refuse(&format!("written for layer {layer:?}, not {name:?}"));
        }
        let mut index = TileIndex::new(name, options)?;

        for _ in 0..r.count(4)? {
            let key = r.str()?.to_string();
            if index
                .key_ids
                .insert(key.clone(), index.keys.len() as u32)
                .is_some()
            {
                return refuse(&format!("the key {key:?} is listed twice"));
            }
            index.keys.push(key);
        }
        for _ in 0..r.count(2)? {
            let value = match r.u8()? {
                0 => Value::String(r.str()?.to_string()),
                1 => Value::Int(r.u64()? as i64),
                2 => Value::UInt(r.u64()?),
                3 => Value::Double(f64::from_bits(r.u64()?)),
                4 => Value::Bool(match r.u8()? {
                    0 => false,
                    1 => true,
                    _ => return refuse("a boolean value is neither 0 nor 1"),
                }),
                t => return refuse(&format!("unknown value type {t}")),
            };
            let i = index.values.len() as u32;
            if index.value_ids.insert(ValueKey::from(&value), i).is_some() {
                return refuse("a value is listed twice");
            }
            let mut body = Vec::new();
            crate::mvt::encode_value(&value, &mut body);
            index.encoded_values.set(i as usize, &body);
            index.values.push(value);
        }

        let (keys, values) = (index.keys.len() as u32, index.values.len() as u32);
        let features = r.count(8 + 8 + 1 + 16 + 32 + 4 + 8)?;
        let mut raw = Shape::default();
        let mut level = Shape::default();
        let mut tags = Vec::new();
        for slot in 0..features {
            let id = r.u64()?;
            let fingerprint = r.u64()?;
            let kind = match r.u8()? {
                1 => GeomType::Point,
                2 => GeomType::LineString,
                3 => GeomType::Polygon,
                k => return refuse(&format!("feature {id}: unknown geometry type {k}")),
            };
            let bbox_world = [r.u32()?, r.u32()?, r.u32()?, r.u32()?];
            let [x0, y0, x1, y1] = [r.f64()?, r.f64()?, r.f64()?, r.f64()?];
            if ![x0, y0, x1, y1].iter().all(|v| v.is_finite()) || x0 > x1 || y0 > y1 {
                return refuse(&format!("feature {id}: its lon/lat box is not a box"));
            }
            if bbox_world[0] > bbox_world[2] || bbox_world[1] > bbox_world[3] {
                return refuse(&format!("feature {id}: its world box is not a box"));
            }
            tags.clear();
            for _ in 0..r.count(8)? {
                let tag = [r.u32()?, r.u32()?];
                if tag[0] >= keys || tag[1] >= values {
                    return refuse(&format!("feature {id}: a property outside the tables"));
                }
                tags.push(tag);
            }
            r.shape(&mut raw, kind, id, |x, y| Some([x, y]))?;
            if raw.is_empty() {
                return refuse(&format!("feature {id}: no geometry"));
            }
            if index.by_id.insert(id, slot).is_some() {
                return refuse(&format!("feature {id} is listed twice"));
            }
            index.raw.set(slot, &raw);
            index.tags.set(slot, &tags);
            for arena in &mut index.levels {
                r.shape(&mut level, kind, id, |x, y| {
                    let (x, y) = (x as i32, y as i32);
                    let fits = |v: i32| (-MAX_GRID..=MAX_GRID).contains(&v);
                    (fits(x) && fits(y)).then_some([x, y])
                })?;
                // A tile at a level's own zoom copies its shape as it is, so the shape
                // must be what generalising makes: rings turning the right way, lines
                // of two points or more.
                let drawable = level.iter().all(|(role, coords)| match role {
                    Role::Exterior => ring_area2(coords) > 0,
                    Role::Hole => ring_area2(coords) < 0,
                    Role::Line => coords.len() >= 2,
                    Role::Points => true,
                });
                if !drawable {
                    return refuse(&format!(
                        "feature {id}: a generalised part that cannot be drawn"
                    ));
                }
                arena.set(slot, &level);
            }
            index.boxes.push(bbox_world);
            let d = &mut index.data_box;
            *d = [
                d[0].min(bbox_world[0]),
                d[1].min(bbox_world[1]),
                d[2].max(bbox_world[2]),
                d[3].max(bbox_world[3]),
            ];
            index.slots.push(Some(Stored {
                id,
                fingerprint,
                kind,
                bbox_world,
                bbox_lonlat: Rect::new(coord! { x: x0, y: y0 }, coord! { x: x1, y: y1 }),
            }));
        }
        if !r.rest.is_empty() {
            return refuse("bytes left over after the last feature");
        }
        index.seal();
        debug_assert!(index.boxes.len() == index.slots.len());
        Ok(index)
    }
}

fn refuse<T>(reason: &str) -> Result<T> {
    Err(Error::Snapshot {
        reason: reason.to_string(),
    })
}

/// A 64-bit hash of bytes, fast enough to check tens of megabytes on every start (a
/// word at a time, multiply and rotate); it catches altered and shuffled bytes, not a
/// forger.
#[derive(Default)]
struct Checksum {
    h: u64,
    len: u64,
}

impl Checksum {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    fn add(&mut self, bytes: &[u8]) {
        let (words, tail) = bytes.as_chunks::<8>();
        let mut h = self.h;
        for w in words {
            h = (h ^ u64::from_le_bytes(*w))
                .wrapping_mul(Self::K)
                .rotate_left(29);
        }
        let mut last = [0u8; 8];
        last[..tail.len()].copy_from_slice(tail);
        h = (h ^ u64::from_le_bytes(last) ^ tail.len() as u64)
            .wrapping_mul(Self::K)
            .rotate_left(29);
        self.h = h;
        self.len = self.len.wrapping_add(bytes.len() as u64);
    }

    fn finish(&self) -> u64 {
        let mut h = self.h ^ self.len;
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^ (h >> 33)
    }
}

#[derive(Default)]
struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn bytes(&mut self, b: &[u8]) {
        self.out.extend_from_slice(b);
    }
    fn u8(&mut self, v: u8) {
        self.out.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.bytes(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.bytes(s.as_bytes());
    }

    /// Parts (their role and length), then the coordinates.
    fn shape<C>(&mut self, shape: ShapeRef<'_, C>, mut coord: impl FnMut(&mut Self, &C)) {
        self.u32(shape.iter().count() as u32);
        for (role, coords) in shape.iter() {
            self.u8(role as u8);
            self.u32(coords.len() as u32);
        }
        for (_, coords) in shape.iter() {
            coords.iter().for_each(|c| coord(self, c));
        }
    }
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.rest.len() < n {
            return refuse("cut short");
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let head = self.take(N)?;
        let mut a = [0; N];
        a.copy_from_slice(head);
        Ok(a)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }
    fn u32(&mut self) -> Result<u32> {
        self.array().map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> Result<u64> {
        self.array().map(u64::from_le_bytes)
    }
    fn f64(&mut self) -> Result<f64> {
        self.u64().map(f64::from_bits)
    }
    fn str(&mut self) -> Result<&'a str> {
        let len = self.count(1)?;
        std::str::from_utf8(self.take(len)?).or_else(|_| refuse("text that is not UTF-8"))
    }

    /// A count of items of at least `item_bytes` each, refused when the bytes left
    /// cannot hold that many (so that no count makes a large allocation).
    fn count(&mut self, item_bytes: usize) -> Result<usize> {
        let n = self.u32()? as usize;
        if n.saturating_mul(item_bytes) > self.rest.len() {
            return refuse("cut short");
        }
        Ok(n)
    }

    /// A shape written by [`Writer::shape`] into `into`, its roles checked against the
    /// feature's geometry type and each coordinate by `coord`.
    fn shape<C>(
        &mut self,
        into: &mut Shape<C>,
        kind: GeomType,
        id: u64,
        mut coord: impl FnMut(u32, u32) -> Option<C>,
    ) -> Result<()> {
        into.coords.clear();
        into.parts.clear();
        let mut end = 0u32;
        for i in 0..self.count(5)? {
            let role = match (self.u8()?, kind) {
                (0, GeomType::Polygon) => Role::Exterior,
                (1, GeomType::Polygon) if i > 0 => Role::Hole,
                (2, GeomType::LineString) => Role::Line,
                (3, GeomType::Point) => Role::Points,
                _ => return refuse(&format!("feature {id}: a part that does not fit its type")),
            };
            let len = self.u32()?;
            end = match end.checked_add(len) {
                Some(e) if e as usize <= self.rest.len() / 8 => e,
                _ => return refuse("cut short"),
            };
            into.parts.push(Part { end, role });
        }
        let coords = self.take(end as usize * 8)?;
        into.coords.reserve(end as usize);
        for c in coords.as_chunks::<8>().0 {
            let x = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
            let y = u32::from_le_bytes([c[4], c[5], c[6], c[7]]);
            match coord(x, y) {
                Some(c) => into.coords.push(c),
                None => return refuse(&format!("feature {id}: a coordinate out of range")),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use geo_types::{Geometry, LineString, MultiPolygon, line_string, point, polygon};

    use super::*;
    use crate::{Feature, TileId};

    fn square(lon: f64, lat: f64, size: f64) -> geo_types::Polygon<f64> {
        polygon![
            (x: lon, y: lat), (x: lon + size, y: lat), (x: lon + size, y: lat + size), (x: lon, y: lat + size),
        ]
    }

    /// Every kind of geometry and value, a replaced feature and a removed one (so the
    /// slots have a hole and the arenas dead coordinates).
    fn varied() -> TileIndex {
        let with_hole = geo_types::Polygon::new(
            square(111.40, -7.62, 0.05).exterior().clone(),
            vec![LineString::from(vec![
                (111.41, -7.61),
                (111.41, -7.60),
                (111.42, -7.60),
                (111.42, -7.61),
            ])],
        );
        let features = vec![
            Feature {
                id: 1,
                geometry: Geometry::Polygon(with_hole),
                properties: vec![
                    ("nama".into(), Value::from("Bibrik")),
                    ("skor".into(), Value::Int(-3)),
                    ("luas".into(), Value::Double(1.25)),
                    ("kumuh".into(), Value::Bool(true)),
                ],
            },
            Feature {
                id: 2,
                geometry: Geometry::MultiPolygon(MultiPolygon(vec![
                    square(111.46, -7.60, 0.01),
                    square(111.48, -7.60, 0.002),
                ])),
                properties: vec![
                    ("n".into(), Value::UInt(7)),
                    ("nama".into(), Value::from("Jiwan")),
                ],
            },
            Feature {
                id: 3,
                geometry: Geometry::LineString(
                    line_string![(x: 111.40, y: -7.55), (x: 111.45, y: -7.56), (x: 111.47, y: -7.50)],
                ),
                properties: vec![],
            },
            Feature {
                id: 4,
                geometry: Geometry::Point(point!(x: 111.44, y: -7.58)),
                properties: vec![("nama".into(), Value::from("Kwangsen"))],
            },
            Feature {
                id: 5,
                geometry: Geometry::Polygon(square(111.50, -7.65, 0.03)),
                properties: vec![],
            },
        ];
        let (mut index, issues) =
            TileIndex::build("desa", IndexOptions::default(), features).unwrap();
        assert!(issues.is_empty(), "{issues:?}");
        index.remove(5);
        index.upsert(Feature {
            id: 2,
            geometry: Geometry::Polygon(square(111.47, -7.59, 0.02)),
            properties: vec![("nama".into(), Value::from("Jiwan"))],
        });
        index
    }

    /// Every tile of the data's area at z0–z16, with its bytes.
    fn tiles(index: &TileIndex) -> Vec<(TileId, Vec<u8>)> {
        let area = index.bbox_lonlat().unwrap();
        (0..=16)
            .flat_map(|z| index.affected_tiles(area, z..=z).collect::<Vec<_>>())
            .map(|t| (t, index.tile(t)))
            .collect()
    }

    /// The bytes with their checksum made right again, to reach the checks behind it.
    fn resealed(mut bytes: Vec<u8>) -> Vec<u8> {
        let body = bytes.len() - 8;
        let mut h = Checksum::default();
        h.add(&bytes[..body]);
        let sum = h.finish().to_le_bytes();
        bytes[body..].copy_from_slice(&sum);
        bytes
    }

    fn refused(bytes: &[u8]) -> String {
        match TileIndex::from_snapshot("desa", IndexOptions::default(), bytes) {
            Err(Error::Snapshot { reason }) => reason,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn an_index_read_back_encodes_the_same_tiles() {
        let index = varied();
        let back =
            TileIndex::from_snapshot("desa", IndexOptions::default(), &index.snapshot()).unwrap();
        assert_eq!(back.len(), index.len());
        assert!([1, 2, 3, 4].iter().all(|&id| back.contains(id)) && !back.contains(5));
        assert_eq!(back.bbox_lonlat(), index.bbox_lonlat());
        let (before, after) = (tiles(&index), tiles(&back));
        assert!(before.iter().filter(|(_, b)| !b.is_empty()).count() > 20);
        assert_eq!(before, after);
        // Its slots hold no hole, and writing it again gives the same bytes.
        assert_eq!(back.snapshot(), index.snapshot());
    }

    #[test]
    fn an_index_read_back_takes_edits() {
        let mut back =
            TileIndex::from_snapshot("desa", IndexOptions::default(), &varied().snapshot())
                .unwrap();
        // The same feature again changes nothing: the fingerprints were kept.
        let same = back.upsert(Feature {
            id: 2,
            geometry: Geometry::Polygon(square(111.47, -7.59, 0.02)),
            properties: vec![("nama".into(), Value::from("Jiwan"))],
        });
        assert!(same.affected_lonlat.is_empty());
        let moved = back.upsert(Feature {
            id: 4,
            geometry: Geometry::Point(point!(x: 111.30, y: -7.58)),
            properties: vec![("nama".into(), Value::from("Kwangsen"))],
        });
        assert_eq!(moved.affected_lonlat.len(), 2);
        assert_eq!(back.remove(3).map(|r| r.min().x), Some(111.40));
        let tile = TileId::covering_lonlat(111.30, -7.58, 14).unwrap();
        assert!(!back.tile(tile).is_empty());
        let empty = TileIndex::new("desa", IndexOptions::default()).unwrap();
        let empty =
            TileIndex::from_snapshot("desa", IndexOptions::default(), &empty.snapshot()).unwrap();
        assert!(empty.is_empty() && empty.bbox_lonlat().is_none());
    }

    #[test]
    fn a_snapshot_for_another_layer_options_or_format_is_refused() {
        let bytes = varied().snapshot();
        let reason = match TileIndex::from_snapshot("kecamatan", IndexOptions::default(), &bytes) {
            Err(Error::Snapshot { reason }) => reason,
            other => panic!("{other:?}"),
        };
        assert_eq!(reason, r#"written for layer "desa", not "kecamatan""#);
        let other = IndexOptions {
            validate: false,
            ..IndexOptions::default()
        };
        assert!(matches!(
            TileIndex::from_snapshot("desa", other, &bytes),
            Err(Error::Snapshot { reason }) if reason == "written with other index options"
        ));
        let mut format = bytes.clone();
        format[8..12].copy_from_slice(&(SNAPSHOT_FORMAT + 1).to_le_bytes());
        assert_eq!(
            refused(&resealed(format)),
            format!(
                "format {}, this build reads {SNAPSHOT_FORMAT}",
                SNAPSHOT_FORMAT + 1
            )
        );
        let mut code = bytes.clone();
        code[12] ^= 1;
        assert_eq!(
            refused(&resealed(code)),
            "written by another build of the tile index"
        );
        assert_eq!(refused(b"KUMUHTI"), "cut short");
        assert_eq!(
            refused(&resealed(b"GPKG\0\0\0\0\0\0\0\0\0\0\0\0".to_vec())),
            "not a tile index snapshot"
        );
    }

    #[test]
    fn a_snapshot_cut_short_or_altered_anywhere_is_refused() {
        let bytes = varied().snapshot();
        for len in 0..bytes.len() {
            refused(&bytes[..len]);
        }
        for i in 0..bytes.len() {
            let mut altered = bytes.clone();
            altered[i] ^= 0x40;
            refused(&altered);
        }
    }

    #[test]
    fn no_altered_byte_behind_a_right_checksum_makes_a_panic() {
        // Each byte changed to a few values, the checksum made right: the reader refuses
        // it or gives an index whose tiles encode (a coordinate moved is still a shape).
        let bytes = varied().snapshot();
        let mut read = 0;
        for i in 0..bytes.len() - 8 {
            for v in [0x00, 0x01, 0x7F, 0x80, 0xFF] {
                let mut altered = bytes.clone();
                if altered[i] == v {
                    continue;
                }
                altered[i] = v;
                if let Ok(index) =
                    TileIndex::from_snapshot("desa", IndexOptions::default(), &resealed(altered))
                {
                    read += 1;
                    for z in [0, 6, 9, 14] {
                        if let Some(area) = index.bbox_lonlat() {
                            for t in index.affected_tiles(area, z..=z).take(4) {
                                index.tile(t);
                            }
                        }
                    }
                }
            }
        }
        // Coordinates and values may take any bits; the structure may not.
        assert!(read > 0);
        let mut tag = bytes.clone();
        let at = bytes.windows(4).position(|w| w == b"nama").unwrap();
        tag[at] = 0xFF; // not UTF-8
        assert_eq!(refused(&resealed(tag)), "text that is not UTF-8");
    }
}
