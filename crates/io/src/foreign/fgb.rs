//! FlatGeobuf in, through the `flatgeobuf` crate: the header's coordinate system
//! (an EPSG code, else its WKT), its columns as fields, and every feature's geometry
//! and properties.
//!
//! The crate slices property bytes by the lengths the file states without checking
//! them against the buffer, so a damaged file could panic inside it; the whole read
//! runs under `catch_unwind` and such a file is refused as damaged.

use flatgeobuf::{
    ColumnType, FallibleStreamingIterator, FgbFeature, FgbReader, Geometry, GeometryType,
};
use geozero::{ColumnValue, FeatureProperties, PropertyProcessor, ToGeo};
use serde_json::{Map, Value, json};

use super::{Crs, Layer, MAX_FEATURES};

/// The properties of one feature as JSON values.
struct Properties(Map<String, Value>);

impl PropertyProcessor for Properties {
    fn property(
        &mut self,
        _i: usize,
        name: &str,
        value: &ColumnValue<'_>,
    ) -> geozero::error::Result<bool> {
        let v = match value {
            ColumnValue::Byte(n) => json!(n),
            ColumnValue::UByte(n) => json!(n),
            ColumnValue::Bool(b) => json!(b),
            ColumnValue::Short(n) => json!(n),
            ColumnValue::UShort(n) => json!(n),
            ColumnValue::Int(n) => json!(n),
            ColumnValue::UInt(n) => json!(n),
            ColumnValue::Long(n) => json!(n),
            ColumnValue::ULong(n) => json!(n),
            ColumnValue::Float(n) => json!(n),
            ColumnValue::Double(n) => json!(n),
            ColumnValue::String(s) | ColumnValue::DateTime(s) => json!(s),
            ColumnValue::Json(s) => serde_json::from_str(s).unwrap_or_else(|_| json!(s)),
            ColumnValue::Binary(b) => json!(format!("<{} bytes>", b.len())),
        };
        self.0.insert(name.to_owned(), v);
        Ok(false)
    }
}

/// Reads a FlatGeobuf file's bytes into a layer; `Err` says why the file as a whole
/// cannot be read.
pub(crate) fn read(bytes: &[u8]) -> Result<Layer, String> {
    std::panic::catch_unwind(|| read_unguarded(bytes)).unwrap_or_else(|_| {
        Err("a damaged FlatGeobuf file: a length inside it points beyond the file".to_owned())
    })
}

/// Checks that the index and every feature's stated length lie inside the file. The
/// crate allocates (and zeroes) a buffer of a feature's stated length before reading it,
/// so a forged length of 4 GiB in a small file would otherwise cost 4 GiB of memory.
fn check_lengths(bytes: &[u8], features: usize, node_size: u16) -> Result<(), String> {
    let past_end = |what: &str| format!("a damaged FlatGeobuf file: {what} runs past its end");
    let u32_at = |at: usize| -> Option<usize> {
        let b = bytes.get(at..at.checked_add(4)?)?;
        usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok()
    };
    let header = u32_at(8).ok_or_else(|| past_end("the header"))?;
    let index = if node_size >= 2 && features > 0 {
        flatgeobuf::packed_r_tree::PackedRTree::index_size(features, node_size)
    } else {
        0
    };
    let mut at = 12usize
        .checked_add(header)
        .and_then(|a| a.checked_add(index))
        .filter(|&a| a <= bytes.len())
        .ok_or_else(|| past_end("the header or the index"))?;
    let mut i = 0usize;
    while at < bytes.len() {
        let size = u32_at(at).ok_or_else(|| past_end(&format!("feature {i}")))?;
        at = at
            .checked_add(4 + size)
            .filter(|&a| a <= bytes.len())
            .ok_or_else(|| past_end(&format!("feature {i}")))?;
        i += 1;
    }
    Ok(())
}

fn read_unguarded(bytes: &[u8]) -> Result<Layer, String> {
    let reader = FgbReader::open(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable FlatGeobuf file: {e}"))?;
    let header = reader.header();
    let n = usize::try_from(header.features_count()).unwrap_or(usize::MAX);
    if n > MAX_FEATURES {
        return Err(format!(
            "{n} features, more than the {MAX_FEATURES} read from one file"
        ));
    }
    check_lengths(bytes, n, header.index_node_size())?;
    let crs = match header.crs() {
        None => None,
        Some(c) if c.code() > 0 && c.org().is_none_or(|o| o.eq_ignore_ascii_case("EPSG")) => {
            let code = c.code().unsigned_abs();
            Some(Crs::from_epsg(code).ok_or_else(|| {
                format!("EPSG:{code} is not a coordinate system Kumuh reprojects (use --crs, or reproject to EPSG:4326)")
            })?)
        }
        Some(c) => match c.wkt() {
            Some(w) => Some(Crs::from_wkt(w).map_err(|e| format!("crs: {e}"))?),
            None => None,
        },
    };
    let fields: Vec<String> = header
        .columns()
        .map(|cols| cols.iter().map(|c| c.name().to_owned()).collect())
        .unwrap_or_default();
    let geometry_type = header.geometry_type();
    let types: Vec<ColumnType> = header
        .columns()
        .map(|cols| cols.iter().map(|c| c.type_()).collect())
        .unwrap_or_default();
    let mut layer = Layer {
        fields,
        crs,
        ..Layer::default()
    };
    let mut features = reader
        .select_all_seq()
        .map_err(|e| format!("reading the features: {e}"))?;
    let mut i = 0usize;
    while let Some(f) = features.next().map_err(|e| format!("feature {i}: {e}"))? {
        if i >= MAX_FEATURES {
            return Err(format!(
                "more than the {MAX_FEATURES} features read from one file"
            ));
        }
        let mut props = Properties(Map::new());
        let read = check_properties(f, &types)
            .and_then(|()| {
                f.process_properties(&mut props)
                    .map_err(|e| ("properties".to_owned(), e.to_string()))
            })
            .and_then(|_| {
                check_geometry(f, geometry_type).map_err(|m| {
                    (
                        "geometry".to_owned(),
                        format!("a damaged FlatGeobuf geometry: {m}"),
                    )
                })
            })
            .and_then(|()| {
                f.to_geo()
                    .map_err(|e| ("geometry".to_owned(), e.to_string()))
            })
            .map(|g| {
                json!({
                    "type": "Feature",
                    "properties": props.0,
                    "geometry": crate::geojson::geometry_json(&g),
                })
            });
        layer.push(i, read);
        i += 1;
    }
    Ok(layer)
}

/// Walks a feature's property bytes as the crate will, checking that every column index
/// names a column and every value lies inside the bytes: the crate slices them by the
/// stated sizes without checking, and would panic on a damaged file.
fn check_properties(f: &FgbFeature, types: &[ColumnType]) -> Result<(), (String, String)> {
    let Some(props) = f.fbs_feature().properties() else {
        return Ok(());
    };
    let bytes = props.bytes();
    let damaged = |m: String| Err(("properties".to_owned(), m));
    let mut at = 0usize;
    // The crate reads while two bytes remain (a trailing byte is tolerated).
    while at + 1 < bytes.len() {
        let column = usize::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]));
        at += 2;
        let Some(&t) = types.get(column) else {
            return damaged(format!("column {column} is not in the header"));
        };
        let size = match t {
            ColumnType::Byte | ColumnType::UByte | ColumnType::Bool => 1,
            ColumnType::Short | ColumnType::UShort => 2,
            ColumnType::Int | ColumnType::UInt | ColumnType::Float => 4,
            ColumnType::Long | ColumnType::ULong | ColumnType::Double => 8,
            ColumnType::String | ColumnType::Json | ColumnType::DateTime | ColumnType::Binary => {
                let Some(len) = bytes.get(at..at + 4) else {
                    return damaged(format!(
                        "the length of column {column} runs past the feature"
                    ));
                };
                at += 4;
                u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize
            }
            other => return damaged(format!("column {column} has an unknown type {}", other.0)),
        };
        match at.checked_add(size) {
            Some(end) if end <= bytes.len() => at = end,
            _ => {
                return damaged(format!(
                    "the value of column {column} runs past the feature"
                ));
            }
        }
    }
    Ok(())
}

/// Checks a feature's geometry the way the crate will read it: the types Kumuh reads,
/// an even number of x/y values, `z`/`m` beside every point, ring and part ends rising
/// and inside the coordinates, and parts for multipolygons and collections. The crate
/// indexes by these without checking and would panic on a damaged file.
fn check_geometry(f: &FgbFeature, header_type: GeometryType) -> Result<(), String> {
    match f.fbs_feature().geometry() {
        None => Err("the feature has no geometry".to_owned()),
        Some(g) => check_geometry_part(&g, header_type, 0),
    }
}

fn check_geometry_part(g: &Geometry<'_>, t: GeometryType, depth: u8) -> Result<(), String> {
    if depth > 4 {
        return Err("geometries nested more than 4 deep".to_owned());
    }
    let t = if t == GeometryType::Unknown {
        g.type_()
    } else {
        t
    };
    let n = g.xy().map_or(0, |xy| xy.len());
    if !n.is_multiple_of(2) {
        return Err(format!("{n} x/y values, not pairs"));
    }
    for (name, len) in [
        ("z", g.z().map(|v| v.len())),
        ("m", g.m().map(|v| v.len())),
        ("t", g.t().map(|v| v.len())),
        ("tm", g.tm().map(|v| v.len())),
    ] {
        if len.is_some_and(|l| l != n / 2) {
            return Err(format!("{name} does not have one value per point"));
        }
    }
    if let Some(ends) = g.ends() {
        let mut last = 0usize;
        for end in ends.iter() {
            let end = end as usize;
            if end < last || end.saturating_mul(2) > n {
                return Err(format!(
                    "a part ends at point {end}, outside the {} points",
                    n / 2
                ));
            }
            last = end;
        }
    }
    match t {
        GeometryType::Point if n < 2 => Err("a point without coordinates".to_owned()),
        GeometryType::Point
        | GeometryType::MultiPoint
        | GeometryType::LineString
        | GeometryType::MultiLineString
        | GeometryType::Polygon => {
            if n == 0 && t != GeometryType::MultiPoint {
                return Err("no coordinates".to_owned());
            }
            Ok(())
        }
        GeometryType::MultiPolygon | GeometryType::GeometryCollection => {
            let parts = g.parts().ok_or("a multi-part geometry without parts")?;
            for part in parts.iter() {
                let part_type = if t == GeometryType::MultiPolygon {
                    GeometryType::Polygon
                } else {
                    part.type_()
                };
                check_geometry_part(&part, part_type, depth + 1)?;
            }
            Ok(())
        }
        other => Err(format!("geometry type {} is not read", other.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the fuzzer: a string property whose stated length runs past the feature,
    /// and a ring end past the coordinates. The crate indexed past the bytes and
    /// panicked; each feature is now listed as a problem of its field before the crate
    /// reads it.
    #[test]
    fn damaged_properties_and_geometry_are_problems_not_panics() {
        for (bytes, field) in [
            (
                &include_bytes!("fgb-damaged-property.fgb")[..],
                "properties",
            ),
            (&include_bytes!("fgb-damaged-geometry.fgb")[..], "geometry"),
        ] {
            // Without the guard of `read`: a panic inside the crate fails this test.
            match read_unguarded(bytes) {
                Ok(layer) => assert!(
                    layer.problems.iter().any(|p| p.field == field),
                    "{field}: {:?}",
                    layer.problems
                ),
                Err(m) => assert!(!m.contains("points beyond"), "{m}"),
            }
        }
    }
}
