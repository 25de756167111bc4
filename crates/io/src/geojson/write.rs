//! Places, slum locations and lines as GeoJSON features and collections, for the API
//! and for exports.

use geo_types::Point;
use kumuh_domain::jaringan::Ruas;
use kumuh_domain::{LokasiKumuh, Place};
use serde_json::{Map, Value, json};

use super::geometry::multipolygon_json;

/// A FeatureCollection of `features`, moved in. (`json!` would serialize them into a deep
/// copy: a fifth of an RT import's time went to copying and dropping its features.)
pub fn feature_collection(features: Vec<Value>) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), Value::String("FeatureCollection".into()));
    m.insert("features".into(), Value::Array(features));
    Value::Object(m)
}

/// The properties every place feature carries, in the API and in exports.
fn place_properties(p: &Place) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("kode".into(), json!(p.kode));
    m.insert("level".into(), json!(p.level()));
    m.insert("parent".into(), json!(p.kode.parent()));
    m.insert("kode_bps".into(), json!(p.kode_bps));
    m.insert("nama".into(), json!(p.nama));
    m.insert("nama_alt".into(), json!(p.nama_alt));
    m.insert(
        "area_ha".into(),
        json!(p.area_ha().map(|a| (a * 100.0).round() / 100.0)),
    );
    m
}

/// A place as a GeoJSON Feature (`id` is the code). With `attributes`, the source's
/// other properties are included too (exports); without, only the atlas's own (API).
pub fn place_feature(p: &Place, attributes: bool) -> Value {
    let mut props = place_properties(p);
    if attributes {
        for (k, v) in &p.attributes {
            props.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    json!({
        "type": "Feature",
        "id": p.kode,
        "properties": props,
        "geometry": p.geometry.as_ref().map(multipolygon_json),
    })
}

/// Places as a GeoJSON FeatureCollection.
pub fn places_collection(places: &[Place], attributes: bool) -> Value {
    json!({
        "type": "FeatureCollection",
        "features": places.iter().map(|p| place_feature(p, attributes)).collect::<Vec<_>>(),
    })
}

/// One label point per place: a point guaranteed inside its polygon, for map labels.
pub fn label_points(places: &[Place]) -> Value {
    let features: Vec<Value> = places
        .iter()
        .filter_map(|p| {
            let pt: Point<f64> = p.label_point()?;
            Some(json!({
                "type": "Feature",
                "id": p.kode,
                "properties": {"kode": p.kode, "nama": p.nama, "level": p.level()},
                "geometry": {"type": "Point", "coordinates": [pt.x(), pt.y()]},
            }))
        })
        .collect();
    feature_collection(features)
}

/// A slum location as a GeoJSON Feature.
pub fn lokasi_feature(l: &LokasiKumuh) -> Value {
    let mut props = Map::new();
    props.insert("kode".into(), json!(l.kode));
    props.insert("nama".into(), json!(l.nama));
    props.insert("kode_desa".into(), json!(l.kode_desa));
    props.insert("kawasan".into(), json!(l.kawasan));
    props.insert("rt".into(), json!(l.rt));
    props.insert("sk_nomor".into(), json!(l.sk.as_ref().map(|s| &s.nomor)));
    props.insert(
        "sk_tanggal".into(),
        json!(l.sk.as_ref().and_then(|s| s.tanggal.as_ref())),
    );
    props.insert(
        "area_ha".into(),
        json!((l.area_ha() * 100.0).round() / 100.0),
    );
    for (k, v) in &l.attributes {
        props.entry(k.clone()).or_insert_with(|| v.clone());
    }
    json!({"type": "Feature", "id": l.kode, "properties": props, "geometry": multipolygon_json(&l.geometry)})
}

/// Slum locations as a FeatureCollection, each with the `tahun`, `total`, `kelas` and
/// `prioritas` of its latest assessment where `latest` knows one.
pub fn lokasi_collection<'a>(
    items: &[LokasiKumuh],
    latest: impl Fn(&str) -> Option<kumuh_domain::assessment::summary::LatestAssessment<'a>>,
) -> Value {
    let features: Vec<Value> = items
        .iter()
        .map(|l| {
            let mut f = lokasi_feature(l);
            if let (Some(a), Some(props)) = (
                latest(&l.kode),
                f.get_mut("properties").and_then(Value::as_object_mut),
            ) {
                props.insert("tahun".into(), a.tahun.into());
                props.insert("total".into(), a.total.into());
                props.insert("kelas".into(), a.kelas.into());
                props.insert("prioritas".into(), a.prioritas.into());
            }
            f
        })
        .collect();
    feature_collection(features)
}

/// Road and drainage lines as a FeatureCollection of MultiLineStrings (`id` is the code),
/// with `jenis`, `kondisi`, `rusak` (damaged: counts for 2b/4c) and `contoh`.
pub fn jaringan_collection(ruas: &[Ruas]) -> Value {
    let features: Vec<Value> = ruas
        .iter()
        .map(|r| {
            let lines: Vec<Vec<[f64; 2]>> = r
                .geometry
                .0
                .iter()
                .map(|l| l.0.iter().map(|c| [c.x, c.y]).collect())
                .collect();
            json!({
                "type": "Feature",
                "id": r.kode,
                "properties": {
                    "kode": r.kode, "jenis": r.jenis.as_str(), "kondisi": r.kondisi.as_str(),
                    "rusak": r.kondisi.is_rusak(), "contoh": r.contoh,
                },
                "geometry": {"type": "MultiLineString", "coordinates": lines},
            })
        })
        .collect();
    feature_collection(features)
}
