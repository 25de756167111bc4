//! A small, strict MVT 2.1 decoder for the tests: it checks what the specification
//! requires of the encoding (field types, command counts, no zero-length steps, ring
//! winding) and returns layers with decoded features.

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Str(String),
    Double(f64),
    Int(i64),
    UInt(u64),
    Bool(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub id: Option<u64>,
    pub kind: u64,
    /// Properties resolved through the key and value tables.
    pub properties: Vec<(String, Val)>,
    /// Point groups, lines or rings in tile coordinates; rings without the closing point.
    pub parts: Vec<Vec<[i64; 2]>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub name: String,
    pub version: u64,
    pub extent: u64,
    pub keys: Vec<String>,
    pub values: Vec<Val>,
    pub features: Vec<Feature>,
}

type R<T> = Result<T, String>;

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn done(&self) -> bool {
        self.0.is_empty()
    }

    fn varint(&mut self) -> R<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.0.split_first().ok_or("truncated varint")?;
            self.0 = rest;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err("varint too long".into())
    }

    fn key(&mut self) -> R<(u64, u64)> {
        let k = self.varint()?;
        Ok((k >> 3, k & 7))
    }

    fn bytes(&mut self) -> R<&'a [u8]> {
        let n = self.varint()? as usize;
        if n > self.0.len() {
            return Err("length beyond the end".into());
        }
        let (b, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(b)
    }

    fn fixed64(&mut self) -> R<[u8; 8]> {
        if self.0.len() < 8 {
            return Err("truncated fixed64".into());
        }
        let (b, rest) = self.0.split_at(8);
        self.0 = rest;
        Ok(b.try_into().unwrap())
    }

    fn packed(&mut self) -> R<Vec<u64>> {
        let mut r = Reader(self.bytes()?);
        let mut out = Vec::new();
        while !r.done() {
            out.push(r.varint()?);
        }
        Ok(out)
    }
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Decodes a whole tile, checking everything; an empty slice is a tile with no layer.
pub fn decode(tile: &[u8]) -> R<Vec<Layer>> {
    let mut r = Reader(tile);
    let mut layers = Vec::new();
    while !r.done() {
        match r.key()? {
            (3, 2) => layers.push(layer(r.bytes()?)?),
            other => return Err(format!("unexpected tile field {other:?}")),
        }
    }
    Ok(layers)
}

fn value(b: &[u8]) -> R<Val> {
    let mut r = Reader(b);
    let v = match r.key()? {
        (1, 2) => Val::Str(String::from_utf8(r.bytes()?.to_vec()).map_err(|e| e.to_string())?),
        (3, 1) => Val::Double(f64::from_le_bytes(r.fixed64()?)),
        (4, 0) => Val::Int(r.varint()? as i64),
        (5, 0) => Val::UInt(r.varint()?),
        (6, 0) => Val::Int(unzigzag(r.varint()?)),
        (7, 0) => Val::Bool(r.varint()? != 0),
        other => return Err(format!("unexpected value field {other:?}")),
    };
    if !r.done() {
        return Err("value holds more than one field".into());
    }
    Ok(v)
}

struct RawFeature {
    id: Option<u64>,
    tags: Vec<u64>,
    kind: u64,
    geometry: Vec<u64>,
}

fn layer(b: &[u8]) -> R<Layer> {
    let mut r = Reader(b);
    let (mut name, mut version, mut extent) = (None, None, 4096);
    let (mut keys, mut values, mut raw) = (Vec::new(), Vec::new(), Vec::new());
    while !r.done() {
        match r.key()? {
            (1, 2) => {
                name = Some(String::from_utf8(r.bytes()?.to_vec()).map_err(|e| e.to_string())?)
            }
            (2, 2) => raw.push(feature(r.bytes()?)?),
            (3, 2) => keys.push(String::from_utf8(r.bytes()?.to_vec()).map_err(|e| e.to_string())?),
            (4, 2) => values.push(value(r.bytes()?)?),
            (5, 0) => extent = r.varint()?,
            (15, 0) => version = Some(r.varint()?),
            other => return Err(format!("unexpected layer field {other:?}")),
        }
    }
    let name = name.ok_or("layer without name")?;
    let version = version.ok_or("layer without version")?;
    if version != 2 {
        return Err(format!("layer version {version}"));
    }
    let mut features = Vec::new();
    for f in raw {
        if f.tags.len() % 2 != 0 {
            return Err("odd number of tags".into());
        }
        let mut properties = Vec::new();
        for pair in f.tags.chunks(2) {
            let k = keys.get(pair[0] as usize).ok_or("tag key out of range")?;
            let v = values
                .get(pair[1] as usize)
                .ok_or("tag value out of range")?;
            properties.push((k.clone(), v.clone()));
        }
        let parts = geometry(f.kind, &f.geometry)?;
        features.push(Feature {
            id: f.id,
            kind: f.kind,
            properties,
            parts,
        });
    }
    Ok(Layer {
        name,
        version,
        extent,
        keys,
        values,
        features,
    })
}

fn feature(b: &[u8]) -> R<RawFeature> {
    let mut r = Reader(b);
    let mut f = RawFeature {
        id: None,
        tags: Vec::new(),
        kind: 0,
        geometry: Vec::new(),
    };
    while !r.done() {
        match r.key()? {
            (1, 0) => f.id = Some(r.varint()?),
            (2, 2) => f.tags = r.packed()?,
            (3, 0) => f.kind = r.varint()?,
            (4, 2) => f.geometry = r.packed()?,
            other => return Err(format!("unexpected feature field {other:?}")),
        }
    }
    Ok(f)
}

/// Twice the signed area (surveyor's formula in tile coordinates).
pub fn area2(ring: &[[i64; 2]]) -> i64 {
    let mut s = 0;
    for i in 0..ring.len() {
        let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
        s += a[0] * b[1] - b[0] * a[1];
    }
    s
}

fn geometry(kind: u64, cmds: &[u64]) -> R<Vec<Vec<[i64; 2]>>> {
    if !(1..=3).contains(&kind) {
        return Err(format!("geometry type {kind}"));
    }
    let (mut x, mut y) = (0i64, 0i64);
    let mut parts: Vec<Vec<[i64; 2]>> = Vec::new();
    let mut i = 0;
    let next = |i: &mut usize| -> R<u64> {
        let v = *cmds.get(*i).ok_or("command stream ends early")?;
        *i += 1;
        Ok(v)
    };
    while i < cmds.len() {
        let c = next(&mut i)?;
        let (id, count) = (c & 7, c >> 3);
        match id {
            1 => {
                if count == 0 || (kind != 1 && count != 1) {
                    return Err(format!("MoveTo count {count} for type {kind}"));
                }
                if kind == 1 && !parts.is_empty() {
                    return Err("points need a single MoveTo".into());
                }
                let mut part = Vec::new();
                for _ in 0..count {
                    x += unzigzag(next(&mut i)?);
                    y += unzigzag(next(&mut i)?);
                    part.push([x, y]);
                }
                if kind != 1 {
                    // A line or ring needs its LineTo at once.
                    let c = next(&mut i)?;
                    let (id, count) = (c & 7, c >> 3);
                    if id != 2 || count == 0 {
                        return Err(format!("MoveTo not followed by LineTo but {id}/{count}"));
                    }
                    for _ in 0..count {
                        let (dx, dy) = (unzigzag(next(&mut i)?), unzigzag(next(&mut i)?));
                        if dx == 0 && dy == 0 {
                            return Err("zero-length LineTo".into());
                        }
                        x += dx;
                        y += dy;
                        part.push([x, y]);
                    }
                    if kind == 3 {
                        let c = next(&mut i)?;
                        if c != 15 {
                            return Err(format!("ring not closed by ClosePath(1) but {c}"));
                        }
                    }
                }
                parts.push(part);
            }
            _ => return Err(format!("unexpected command {id} with count {count}")),
        }
    }
    if parts.is_empty() {
        return Err("feature without geometry".into());
    }
    if kind == 3 {
        for (n, ring) in parts.iter().enumerate() {
            if ring.len() < 3 {
                return Err(format!("ring {n} has {} points", ring.len()));
            }
            if ring.first() == ring.last() {
                return Err(format!("ring {n} repeats its first point"));
            }
            let a = area2(ring);
            if a == 0 {
                return Err(format!("ring {n} has zero area"));
            }
            if n == 0 && a < 0 {
                return Err("first ring is not exterior (positive area)".into());
            }
        }
    }
    Ok(parts)
}
