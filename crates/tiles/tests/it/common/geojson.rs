//! A small GeoJSON reader for the tests and the bench (serde_json only): Point,
//! LineString and (Multi)Polygon features, with `kode` turned into the feature id.

use geo_types::{Coord, Geometry, LineString, MultiPolygon, Point, Polygon};
use kumuh_tiles::{Feature, Value};
use serde_json::Value as Json;

/// The features of a FeatureCollection. The id is the `kode` with its dots removed
/// (`35.19.09.2001` → 3519092001), or the feature's position when there is no `kode`.
pub fn features(text: &str) -> Vec<Feature> {
    let doc: Json = serde_json::from_str(text).expect("GeoJSON text");
    let list = doc["features"].as_array().expect("a FeatureCollection");
    list.iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let geometry = geometry(&f["geometry"])?;
            let props = f["properties"].as_object();
            let id = props
                .and_then(|p| p.get("kode"))
                .and_then(Json::as_str)
                .and_then(|k| k.replace('.', "").parse().ok())
                .unwrap_or(i as u64);
            let properties = props
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| {
                    let v = match v {
                        Json::String(s) => Value::String(s.clone()),
                        Json::Bool(b) => Value::Bool(*b),
                        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
                            (Some(i), _) => Value::Int(i),
                            (None, Some(d)) => Value::Double(d),
                            _ => return None,
                        },
                        _ => return None,
                    };
                    Some((k.clone(), v))
                })
                .collect();
            Some(Feature {
                id,
                geometry,
                properties,
            })
        })
        .collect()
}

fn coord(v: &Json) -> Coord<f64> {
    Coord {
        x: v[0].as_f64().unwrap_or(f64::NAN),
        y: v[1].as_f64().unwrap_or(f64::NAN),
    }
}

fn line(v: &Json) -> LineString<f64> {
    LineString::new(v.as_array().into_iter().flatten().map(coord).collect())
}

fn polygon(v: &Json) -> Polygon<f64> {
    let mut rings = v.as_array().into_iter().flatten().map(line);
    let exterior = rings.next().unwrap_or_else(|| LineString::new(vec![]));
    Polygon::new(exterior, rings.collect())
}

fn geometry(g: &Json) -> Option<Geometry<f64>> {
    let c = &g["coordinates"];
    Some(match g["type"].as_str()? {
        "Point" => Geometry::Point(Point(coord(c))),
        "LineString" => Geometry::LineString(line(c)),
        "Polygon" => Geometry::Polygon(polygon(c)),
        "MultiPolygon" => Geometry::MultiPolygon(MultiPolygon(
            c.as_array().into_iter().flatten().map(polygon).collect(),
        )),
        _ => return None,
    })
}
