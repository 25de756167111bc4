//! GeoJSON geometries in and out. Reading names the part, ring and vertex of each
//! problem; whether an area is valid (not self-intersecting) is the domain's rule.

use geo_types::{Coord, Geometry, LineString, MultiLineString, MultiPolygon, Point, Polygon};
use kumuh_domain::{GeometryIssue, validate_area_geometry};
use serde_json::{Value, json};

pub(super) fn read_line_geometry(g: Option<&Value>) -> Result<MultiLineString<f64>, String> {
    let g = g
        .filter(|g| !g.is_null())
        .ok_or("missing; a (Multi)LineString is required")?;
    let kind = g.get("type").and_then(Value::as_str).unwrap_or("");
    let parts: Vec<&Value> = match (kind, g.get("coordinates")) {
        ("LineString", Some(c)) => vec![c],
        ("MultiLineString", Some(Value::Array(p))) => p.iter().collect(),
        ("LineString" | "MultiLineString", _) => {
            return Err(format!("{kind} without valid `coordinates`"));
        }
        (other, _) => {
            return Err(format!(
                "expected LineString or MultiLineString, found {other}"
            ));
        }
    };
    let mut lines = Vec::with_capacity(parts.len());
    for (pi, part) in parts.iter().enumerate() {
        let points = part
            .as_array()
            .ok_or_else(|| format!("line {pi}: expected a list of positions"))?;
        let mut coords = Vec::with_capacity(points.len());
        for (vi, p) in points.iter().enumerate() {
            let c = p
                .as_array()
                .and_then(|a| {
                    Some(Coord {
                        x: a.first()?.as_f64()?,
                        y: a.get(1)?.as_f64()?,
                    })
                })
                .ok_or_else(|| {
                    format!("line {pi}, vertex {vi}: expected [longitude, latitude] numbers")
                })?;
            if !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y) {
                return Err(format!(
                    "line {pi}, vertex {vi}: ({}, {}) is outside longitude/latitude range (is the file in EPSG:4326?)",
                    c.x, c.y
                ));
            }
            coords.push(c);
        }
        if coords.len() < 2 {
            return Err(format!("line {pi}: needs at least 2 positions"));
        }
        lines.push(LineString(coords));
    }
    Ok(MultiLineString(lines))
}

pub(super) fn read_area_geometry(g: Option<&Value>) -> Result<MultiPolygon<f64>, String> {
    let g = match g {
        None | Some(Value::Null) => return Err("missing; a (Multi)Polygon is required".into()),
        Some(g) => g,
    };
    let kind = g.get("type").and_then(Value::as_str).unwrap_or("");
    let coords = g.get("coordinates");
    match (kind, coords) {
        ("Polygon", Some(c)) => Ok(MultiPolygon(vec![read_polygon(c, 0)?])),
        ("MultiPolygon", Some(Value::Array(parts))) => parts
            .iter()
            .enumerate()
            .map(|(i, p)| read_polygon(p, i))
            .collect::<Result<Vec<_>, _>>()
            .map(MultiPolygon),
        ("Polygon" | "MultiPolygon", _) => Err(format!("{kind} without valid `coordinates`")),
        ("", _) => Err("geometry has no `type`".into()),
        (other, _) => Err(format!("expected Polygon or MultiPolygon, found {other}")),
    }
}

/// An area from a geometry read as one (a Shapefile's, a GeoPackage's): a Polygon or a
/// MultiPolygon; its rings were closed by the reader that built it.
pub(super) fn area_of_geometry(g: Geometry<f64>) -> Result<MultiPolygon<f64>, String> {
    match g {
        Geometry::Polygon(p) => Ok(MultiPolygon(vec![p])),
        Geometry::MultiPolygon(m) => Ok(m),
        other => Err(format!(
            "expected Polygon or MultiPolygon, found {}",
            kumuh_domain::geometry::geometry_type_name(&other)
        )),
    }
}

fn read_polygon(v: &Value, polygon: usize) -> Result<Polygon<f64>, String> {
    let rings = v
        .as_array()
        .ok_or_else(|| format!("polygon {polygon}: expected a list of rings"))?;
    let mut out = Vec::with_capacity(rings.len());
    for (ri, ring) in rings.iter().enumerate() {
        let where_ = |vertex: Option<usize>| {
            let r = if ri == 0 {
                "exterior ring".to_owned()
            } else {
                format!("interior ring {}", ri - 1)
            };
            match vertex {
                Some(v) => format!("polygon {polygon}, {r}, vertex {v}"),
                None => format!("polygon {polygon}, {r}"),
            }
        };
        let points = ring
            .as_array()
            .ok_or_else(|| format!("{}: expected a list of positions", where_(None)))?;
        let mut coords = Vec::with_capacity(points.len());
        for (vi, p) in points.iter().enumerate() {
            let xy = p.as_array().and_then(|a| {
                let x = a.first()?.as_f64()?;
                let y = a.get(1)?.as_f64()?;
                Some(Coord { x, y })
            });
            coords.push(xy.ok_or_else(|| {
                format!(
                    "{}: expected [longitude, latitude] numbers",
                    where_(Some(vi))
                )
            })?);
        }
        // RFC 7946 rings end where they start. geo_types would close an open ring
        // silently, joining its ends with an edge nobody drew, so an open ring is an
        // error here.
        if let (Some(first), Some(last)) = (coords.first(), coords.last())
            && first != last
        {
            return Err(format!(
                "{}: not closed: the first position ({}, {}) and the last ({}, {}) differ; a ring must end where it starts",
                where_(None),
                first.x,
                first.y,
                last.x,
                last.y
            ));
        }
        out.push(LineString(coords));
    }
    if out.is_empty() {
        return Err(format!("polygon {polygon}: has no rings"));
    }
    let exterior = out.remove(0);
    Ok(Polygon::new(exterior, out))
}

pub(super) fn multipolygon_json(g: &MultiPolygon<f64>) -> Value {
    let ring = |ls: &LineString<f64>| -> Value {
        Value::Array(ls.0.iter().map(|c| json!([c.x, c.y])).collect())
    };
    let poly = |p: &Polygon<f64>| -> Value {
        Value::Array(
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(ring)
                .collect(),
        )
    };
    match g.0.as_slice() {
        [one] => json!({"type": "Polygon", "coordinates": poly(one)}),
        many => {
            json!({"type": "MultiPolygon", "coordinates": many.iter().map(poly).collect::<Vec<_>>()})
        }
    }
}

/// Reads a Point, LineString or Polygon (or their Multi forms) received over the API:
/// its shape, `[longitude, latitude]` positions and at least two positions per line,
/// each problem naming the part, ring and vertex. Whether polygons are valid (closed,
/// not self-intersecting) is for the domain rule of what the geometry is for.
///
/// # Examples
/// ```
/// let g = kumuh_io::geojson::geometry_from_json(&serde_json::json!(
///     {"type": "LineString", "coordinates": [[111.4935, -7.5753], [111.49504, -7.5753]]}
/// )).unwrap();
/// assert!(matches!(g, geo_types::Geometry::LineString(_)));
/// let e = kumuh_io::geojson::geometry_from_json(&serde_json::json!({"type": "Circle"})).unwrap_err();
/// assert!(e[0].contains("Circle"), "{e:?}");
/// ```
pub fn geometry_from_json(v: &Value) -> Result<Geometry<f64>, Vec<String>> {
    let kind = v.get("type").and_then(Value::as_str).unwrap_or("");
    match kind {
        "Point" | "MultiPoint" => read_points(v).map_err(|e| vec![e]),
        "LineString" => {
            let mut m = read_line_geometry(Some(v)).map_err(|e| vec![e])?;
            Ok(Geometry::LineString(m.0.remove(0)))
        }
        "MultiLineString" => read_line_geometry(Some(v))
            .map(Geometry::MultiLineString)
            .map_err(|e| vec![e]),
        "Polygon" | "MultiPolygon" => {
            let mut m = read_area_geometry(Some(v)).map_err(|e| vec![e])?;
            if kind == "Polygon" && m.0.len() == 1 {
                Ok(Geometry::Polygon(m.0.remove(0)))
            } else {
                Ok(Geometry::MultiPolygon(m))
            }
        }
        "" => Err(vec!["geometry has no `type`".into()]),
        other => Err(vec![format!(
            "expected Point, LineString, Polygon or their Multi forms, found {other}"
        )]),
    }
}

fn read_points(v: &Value) -> Result<Geometry<f64>, String> {
    let position = |p: &Value, what: &str| -> Result<Coord<f64>, String> {
        let c = p
            .as_array()
            .and_then(|a| {
                Some(Coord {
                    x: a.first()?.as_f64()?,
                    y: a.get(1)?.as_f64()?,
                })
            })
            .ok_or_else(|| format!("{what}: expected [longitude, latitude] numbers"))?;
        if !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y) {
            return Err(format!(
                "{what}: ({}, {}) is outside longitude/latitude range (is it EPSG:4326?)",
                c.x, c.y
            ));
        }
        Ok(c)
    };
    let coords = v.get("coordinates");
    match (v.get("type").and_then(Value::as_str), coords) {
        (Some("Point"), Some(c)) => Ok(Geometry::Point(position(c, "point")?.into())),
        (Some("MultiPoint"), Some(Value::Array(ps))) if !ps.is_empty() => ps
            .iter()
            .enumerate()
            .map(|(i, p)| position(p, &format!("point {i}")).map(Point::from))
            .collect::<Result<Vec<_>, _>>()
            .map(|p| Geometry::MultiPoint(geo_types::MultiPoint(p))),
        (kind, _) => Err(format!(
            "{} without valid `coordinates`",
            kind.unwrap_or("geometry")
        )),
    }
}

/// A geometry as a GeoJSON geometry object.
pub fn geometry_json(g: &Geometry<f64>) -> Value {
    let line = |ls: &LineString<f64>| -> Value {
        Value::Array(ls.0.iter().map(|c| json!([c.x, c.y])).collect())
    };
    let poly = |p: &Polygon<f64>| -> Value {
        Value::Array(
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(line)
                .collect(),
        )
    };
    match g {
        Geometry::Point(p) => json!({"type": "Point", "coordinates": [p.x(), p.y()]}),
        Geometry::MultiPoint(m) => json!({"type": "MultiPoint",
            "coordinates": m.0.iter().map(|p| json!([p.x(), p.y()])).collect::<Vec<_>>()}),
        Geometry::LineString(l) => json!({"type": "LineString", "coordinates": line(l)}),
        Geometry::MultiLineString(m) => json!({"type": "MultiLineString",
            "coordinates": m.0.iter().map(line).collect::<Vec<_>>()}),
        Geometry::Polygon(p) => json!({"type": "Polygon", "coordinates": poly(p)}),
        Geometry::MultiPolygon(m) => multipolygon_json(m),
        other => {
            let parts: Vec<Value> = match other {
                Geometry::GeometryCollection(c) => c.0.iter().map(geometry_json).collect(),
                _ => Vec::new(),
            };
            json!({"type": "GeometryCollection", "geometries": parts})
        }
    }
}

/// Checks a geometry received over the API: the same rules as a file import.
pub fn area_geometry_from_json(v: &Value) -> Result<MultiPolygon<f64>, Vec<String>> {
    let g = read_area_geometry(Some(v)).map_err(|e| vec![e])?;
    let issues: Vec<GeometryIssue> = validate_area_geometry(&g);
    if issues.is_empty() {
        Ok(g)
    } else {
        Err(issues.iter().map(ToString::to_string).collect())
    }
}
