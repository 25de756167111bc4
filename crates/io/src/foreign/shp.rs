//! ESRI Shapefile geometry (`.shp`) into geometries, in the file's own coordinates.
//! Every length in a record is checked against the record before anything is
//! allocated; polygons' rings are grouped as the format defines them: clockwise rings
//! are exteriors, counter-clockwise rings holes of the exterior that holds them.

use geo_types::{Coord, Geometry, LineString, MultiLineString, MultiPolygon, Point, Polygon};
use kumuh_domain::geometry::{MAX_VERTICES_IMPORTED, ring_not_closed};

/// One record's geometry (`None` for a null shape), or why it cannot be read.
pub(crate) type Shape = Result<Option<Geometry<f64>>, String>;

fn be_i32(b: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn le_i32(b: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn le_f64(b: &[u8], at: usize) -> Option<f64> {
    Some(f64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// Reads every record of a `.shp`: one geometry (or `None` for a null shape) per
/// record, in order. A broken header is an error for the whole file.
pub(crate) fn read(bytes: &[u8], max_records: usize) -> Result<Vec<Shape>, String> {
    if bytes.len() < 100 || be_i32(bytes, 0) != Some(9994) {
        return Err("not a Shapefile: no 9994 file code in the header".to_owned());
    }
    // Where each record lies (checked against the file), then the records read on every
    // core: they are independent of each other.
    let mut records: Vec<&[u8]> = Vec::new();
    let mut at = 100;
    while at + 8 <= bytes.len() {
        let words = be_i32(bytes, at + 4).unwrap_or(-1);
        let len = usize::try_from(words)
            .ok()
            .and_then(|w| w.checked_mul(2))
            .filter(|len| at + 8 + len <= bytes.len() && *len >= 4)
            .ok_or_else(|| {
                format!(
                    "record {} has a length beyond the end of the file",
                    records.len()
                )
            })?;
        if records.len() >= max_records {
            return Err(format!("more than {max_records} records"));
        }
        records.push(&bytes[at + 8..at + 8 + len]);
        at += 8 + len;
    }
    Ok(kumuh_domain::paralel::map(records.len(), 1024, |i| {
        record(records[i])
    }))
}

fn record(r: &[u8]) -> Shape {
    let short = || "record shorter than its shape needs".to_owned();
    let kind = le_i32(r, 0).ok_or_else(short)?;
    let point = |at: usize| -> Result<Coord<f64>, String> {
        let (x, y) = (
            le_f64(r, at).ok_or_else(short)?,
            le_f64(r, at + 8).ok_or_else(short)?,
        );
        if x.is_finite() && y.is_finite() {
            Ok(Coord { x, y })
        } else {
            Err(format!("coordinate ({x}, {y}) is not a number"))
        }
    };
    match kind {
        0 => Ok(None),
        1 | 11 | 21 => Ok(Some(Geometry::Point(Point(point(4)?)))),
        3 | 13 | 23 | 5 | 15 | 25 => {
            let parts_n = le_i32(r, 36).ok_or_else(short)?;
            let points_n = le_i32(r, 40).ok_or_else(short)?;
            let (parts_n, points_n) = match (usize::try_from(parts_n), usize::try_from(points_n)) {
                (Ok(a), Ok(b)) => (a, b),
                _ => return Err("negative part or point count".to_owned()),
            };
            if points_n > MAX_VERTICES_IMPORTED {
                return Err(format!(
                    "{points_n} vertices, more than the {MAX_VERTICES_IMPORTED} an import takes"
                ));
            }
            let points_at = 44 + 4 * parts_n;
            if parts_n == 0 || points_at + 16 * points_n > r.len() {
                return Err(format!(
                    "{parts_n} parts and {points_n} points do not fit the record"
                ));
            }
            let mut starts = Vec::with_capacity(parts_n);
            for i in 0..parts_n {
                let s = le_i32(r, 44 + 4 * i)
                    .and_then(|s| usize::try_from(s).ok())
                    .ok_or_else(short)?;
                if s >= points_n || starts.last().is_some_and(|&prev| s <= prev) {
                    return Err(format!(
                        "part {i} starts at point {s}, outside the record's {points_n} points"
                    ));
                }
                starts.push(s);
            }
            let mut parts = Vec::with_capacity(parts_n);
            for (i, &s) in starts.iter().enumerate() {
                let end = starts.get(i + 1).copied().unwrap_or(points_n);
                let mut ring = Vec::with_capacity(end - s);
                for p in s..end {
                    ring.push(point(points_at + 16 * p)?);
                }
                parts.push(ring);
            }
            if matches!(kind, 3 | 13 | 23) {
                Ok(Some(if parts.len() == 1 {
                    Geometry::LineString(LineString(parts.remove(0)))
                } else {
                    Geometry::MultiLineString(MultiLineString(
                        parts.into_iter().map(LineString).collect(),
                    ))
                }))
            } else {
                // A ring ends where it starts; `geo_types` would join an open ring's
                // ends silently with an edge nobody drew.
                for (i, ring) in parts.iter().enumerate() {
                    if let Some(m) = ring_not_closed(ring) {
                        return Err(format!("ring {i}: {m}"));
                    }
                }
                Ok(Some(polygons(parts)))
            }
        }
        other => Err(format!(
            "shape type {other} is not a point, line or polygon"
        )),
    }
}

/// A ring's positions.
type Ring = Vec<Coord<f64>>;

/// Twice the signed area (shoelace): negative for a clockwise ring.
fn signed_area2(ring: &[Coord<f64>]) -> f64 {
    ring.windows(2)
        .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
        .sum()
}

fn contains(ring: &[Coord<f64>], p: Coord<f64>) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let (Coord { x: x1, y: y1 }, Coord { x: x2, y: y2 }) = (w[0], w[1]);
        if (y1 > p.y) != (y2 > p.y) && p.x < (x2 - x1) * (p.y - y1) / (y2 - y1) + x1 {
            inside = !inside;
        }
    }
    inside
}

/// Groups rings into polygons: each clockwise ring starts one, each other ring is a
/// hole of the first exterior holding its first vertex (a stray hole becomes a polygon
/// of its own, so that nothing is dropped silently; validation judges it later).
fn polygons(rings: Vec<Ring>) -> Geometry<f64> {
    let mut exteriors: Vec<Vec<Ring>> = Vec::new();
    let mut holes: Vec<Ring> = Vec::new();
    for ring in rings {
        if signed_area2(&ring) <= 0.0 {
            exteriors.push(vec![ring]);
        } else {
            holes.push(ring);
        }
    }
    for hole in holes {
        let first = hole[0];
        match exteriors.iter_mut().find(|p| contains(&p[0], first)) {
            Some(p) => p.push(hole),
            None => exteriors.push(vec![hole]),
        }
    }
    let polygon = |mut rings: Vec<Ring>| {
        let exterior = LineString(rings.remove(0));
        Polygon::new(exterior, rings.into_iter().map(LineString).collect())
    };
    if exteriors.len() == 1 {
        Geometry::Polygon(polygon(exteriors.remove(0)))
    } else {
        Geometry::MultiPolygon(MultiPolygon(exteriors.into_iter().map(polygon).collect()))
    }
}
