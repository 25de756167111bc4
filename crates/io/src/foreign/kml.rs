//! KML (and the KML inside a KMZ) as phones, Google Earth and QGIS write it: each
//! Placemark becomes a feature with its `name`, `description`, ExtendedData (`Data` and
//! `SimpleData`) and the `folder` it sits in; Polygon, LineString, Point and
//! MultiGeometry become GeoJSON geometry. KML is always WGS 84 longitude and latitude.

use kumuh_domain::geometry::MAX_VERTICES_IMPORTED;
use quick_xml::events::Event;
use serde_json::{Map, Value, json};

/// Deepest element nesting read.
const MAX_DEPTH: usize = 256;

#[derive(Default)]
struct Placemark {
    props: Map<String, Value>,
    polygons: Vec<Vec<Vec<[f64; 2]>>>,
    lines: Vec<Vec<[f64; 2]>>,
    points: Vec<[f64; 2]>,
    vertices: usize,
    data_name: Option<String>,
    problem: Option<(String, String)>,
}

/// A feature read, or the field and message of its problem.
pub(crate) type Read = Result<Value, (String, String)>;

fn entity(name: &str) -> Option<String> {
    Some(match name {
        "lt" => "<".into(),
        "gt" => ">".into(),
        "amp" => "&".into(),
        "apos" => "'".into(),
        "quot" => "\"".into(),
        _ => {
            let code =
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    name.strip_prefix('#')?.parse().ok()?
                };
            char::from_u32(code)?.to_string()
        }
    })
}

fn coordinates(text: &str) -> Result<Vec<[f64; 2]>, String> {
    text.split_whitespace()
        .map(|tuple| {
            let mut it = tuple.split(',').map(str::parse::<f64>);
            match (it.next(), it.next()) {
                (Some(Ok(x)), Some(Ok(y))) if x.is_finite() && y.is_finite() => Ok([x, y]),
                _ => Err(format!("`{tuple}` is not lon,lat[,alt]")),
            }
        })
        .collect()
}

/// Reads every Placemark, in document order. A document that is not XML is an error;
/// a Placemark with a problem yields that problem in its place.
pub(crate) fn read(text: &str, max_features: usize) -> Result<Vec<Read>, String> {
    let mut xml = quick_xml::Reader::from_str(text);
    xml.config_mut().expand_empty_elements = true;
    let mut path: Vec<String> = Vec::new();
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut current: Option<Placemark> = None;
    let mut buf = String::new();
    let mut out = Vec::new();
    loop {
        let event = xml.read_event().map_err(|e| format!("not KML: {e}"))?;
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_owned();
                if path.len() >= MAX_DEPTH {
                    return Err(format!("elements nested deeper than {MAX_DEPTH}"));
                }
                buf.clear();
                match name.as_str() {
                    "Folder" | "Document" => folders.push(None),
                    "Placemark" => {
                        if out.len() >= max_features {
                            return Err(format!("more than {max_features} placemarks"));
                        }
                        current = Some(Placemark::default());
                    }
                    "Polygon" => {
                        if let Some(p) = current.as_mut() {
                            p.polygons.push(Vec::new());
                        }
                    }
                    "Data" | "SimpleData" => {
                        if let Some(p) = current.as_mut() {
                            p.data_name = e
                                .attributes()
                                .flatten()
                                .find(|a| a.key.local_name().as_ref() == "name")
                                .map(|a| a.value.clone().into_owned());
                        }
                    }
                    _ => {}
                }
                path.push(name);
            }
            Event::Text(t) => buf.push_str(&t.xml10_content()),
            Event::CData(t) => buf.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                buf.push_str(&entity(&name).ok_or_else(|| format!("unknown entity `&{name};`"))?);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str).unwrap_or("");
                let text = buf.trim().to_owned();
                match (name.as_str(), current.as_mut()) {
                    ("name", None) if matches!(parent, "Folder" | "Document") => {
                        if let Some(f) = folders.last_mut() {
                            *f = Some(text);
                        }
                    }
                    ("Folder" | "Document", _) => {
                        folders.pop();
                    }
                    ("name" | "description", Some(p)) if parent == "Placemark" => {
                        p.props.insert(name.clone(), Value::String(text));
                    }
                    ("value", Some(p)) if parent == "Data" => {
                        if let Some(n) = p.data_name.clone() {
                            p.props.insert(n, Value::String(text));
                        }
                    }
                    ("SimpleData", Some(p)) => {
                        if let Some(n) = p.data_name.take() {
                            p.props.insert(n, Value::String(text));
                        }
                    }
                    ("coordinates", Some(p)) => match coordinates(&text) {
                        Err(m) => p.problem = Some(("geometry".into(), m)),
                        Ok(c) => {
                            p.vertices += c.len();
                            if p.vertices > MAX_VERTICES_IMPORTED {
                                p.problem = Some((
                                    "geometry".into(),
                                    format!(
                                        "more than the {MAX_VERTICES_IMPORTED} vertices an import takes"
                                    ),
                                ));
                            } else if path.iter().any(|e| e == "Polygon") {
                                let inner = path.iter().any(|e| e == "innerBoundaryIs");
                                if let Some(poly) = p.polygons.last_mut() {
                                    if inner && poly.is_empty() {
                                        p.problem = Some((
                                            "geometry".into(),
                                            "a hole before its outer boundary".into(),
                                        ));
                                    } else {
                                        poly.push(c);
                                    }
                                }
                            } else if parent == "LineString" {
                                p.lines.push(c);
                            } else if parent == "Point" {
                                p.points.extend(c.first().copied());
                            }
                        }
                    },
                    ("Placemark", Some(_)) => {
                        let p = current.take().unwrap_or_default();
                        let folder: Vec<&str> =
                            folders.iter().flatten().map(String::as_str).collect();
                        out.push(finish(p, folder.join(" / ")));
                    }
                    _ => {}
                }
                buf.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn finish(mut p: Placemark, folder: String) -> Read {
    if let Some(problem) = p.problem {
        return Err(problem);
    }
    if !folder.is_empty() {
        p.props.entry("folder").or_insert(Value::String(folder));
    }
    let geometry = match (p.polygons.len(), p.lines.len(), p.points.len()) {
        (0, 0, 0) => Value::Null,
        (1, 0, 0) => json!({"type": "Polygon", "coordinates": p.polygons.remove(0)}),
        (_, 0, 0) => json!({"type": "MultiPolygon", "coordinates": p.polygons}),
        (0, 1, 0) => json!({"type": "LineString", "coordinates": p.lines.remove(0)}),
        (0, _, 0) => json!({"type": "MultiLineString", "coordinates": p.lines}),
        (0, 0, 1) => json!({"type": "Point", "coordinates": p.points[0]}),
        (0, 0, _) => json!({"type": "MultiPoint", "coordinates": p.points}),
        _ => {
            return Err((
                "geometry".into(),
                "a MultiGeometry mixing polygons, lines and points".into(),
            ));
        }
    };
    Ok(json!({"type": "Feature", "properties": p.props, "geometry": geometry}))
}
