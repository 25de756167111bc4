//! GeoJSON (RFC 7946) in and out, parsed from `serde_json` values so that every problem
//! can be named precisely: feature index, field, ring and vertex.

use std::collections::HashMap;
use std::fmt;

use geo_types::{Coord, Geometry, LineString, MultiLineString, MultiPolygon, Point, Polygon};
use kumuh_domain::jaringan::{JenisJaringan, Kondisi, Ruas};
use kumuh_domain::{
    GeometryIssue, Kode, Level, LokasiKumuh, Place, SkKumuh, validate_area_geometry,
};
use serde_json::{Map, Value, json};

/// One thing wrong with an input file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Zero-based index of the feature, where the problem is in one.
    pub feature: Option<usize>,
    /// The feature's code, where it has one.
    pub kode: Option<String>,
    /// The field (property name, `geometry`, `type`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(i) = self.feature {
            write!(f, "feature {i}")?;
            if let Some(k) = &self.kode {
                write!(f, " ({k})")?;
            }
            write!(f, ", ")?;
        }
        write!(f, "field `{}`: {}", self.field, self.message)
    }
}

/// Every problem found in one file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ImportError {
    /// The file, as the user named it.
    pub file: String,
    /// The problems, in file order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "{}: {one}", self.file),
            many => {
                write!(
                    f,
                    "{}: {} problems, nothing imported",
                    self.file,
                    many.len()
                )?;
                for p in many {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
        }
    }
}

/// What a GeoJSON import brings in.
#[derive(Debug, Clone, PartialEq)]
pub enum Import {
    /// Administrative places of one level.
    Places(Vec<Place>),
    /// Slum locations.
    Lokasi(Vec<LokasiKumuh>),
    /// Road and drainage lines with their condition.
    Jaringan(Vec<Ruas>),
}

/// What the import file holds: a level of places, or slum locations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Places of one level (`desa`, `rt`, ...).
    Places(Level),
    /// Slum locations (`lokasi`).
    Lokasi,
    /// Road and drainage lines (`jaringan`).
    Jaringan,
}

struct Reader<'a> {
    problems: Vec<Problem>,
    index: usize,
    kode: Option<String>,
    props: &'a Map<String, Value>,
}

impl Reader<'_> {
    fn problem(&mut self, field: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            feature: Some(self.index),
            kode: self.kode.clone(),
            field: field.to_owned(),
            message: message.into(),
        });
    }

    fn string(&mut self, field: &str, required: bool) -> Option<String> {
        match self.props.get(field) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Some(Value::Number(n)) => Some(n.to_string()),
            None | Some(Value::Null) => {
                if required {
                    self.problem(field, "missing; every feature needs one");
                }
                None
            }
            Some(Value::String(_)) => {
                if required {
                    self.problem(field, "is empty");
                }
                None
            }
            Some(other) => {
                self.problem(field, format!("expected text, found {}", json_kind(other)));
                None
            }
        }
    }

    /// A list of strings: a JSON array, or one string with commas or semicolons.
    fn list(&mut self, field: &str) -> Vec<String> {
        match self.props.get(field) {
            None | Some(Value::Null) => vec![],
            Some(Value::String(s)) => s
                .split([',', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for (i, v) in items.iter().enumerate() {
                    match v {
                        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
                        other => self.problem(
                            field,
                            format!("item {i}: expected text, found {}", json_kind(other)),
                        ),
                    }
                }
                out
            }
            Some(other) => {
                self.problem(
                    field,
                    format!("expected a list of text, found {}", json_kind(other)),
                );
                vec![]
            }
        }
    }

    fn kode(&mut self, field: &str, value: Option<String>) -> Option<Kode> {
        let v = value?;
        match Kode::parse(&v) {
            Ok(k) => Some(k),
            Err(e) => {
                self.problem(field, e.to_string());
                None
            }
        }
    }

    fn attributes(&self, known: &[&str]) -> Map<String, Value> {
        self.props
            .iter()
            .filter(|(k, _)| !known.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Parses GeoJSON text holding places of one level or slum locations.
///
/// Place properties: `kode` (Kemendagri code; for `rt` it may instead be composed from
/// `kode_desa`, `rw` and `rt`), `nama`, optional `nama_alt` (text or list) and
/// `kode_bps`; all other properties are kept as attributes. Slum-location properties:
/// `kode`, `nama`, `kode_desa`, optional `kawasan`, `rt` (list of RT codes),
/// `sk_nomor`, `sk_tanggal`. Geometries must be (Multi)Polygons in EPSG:4326.
///
/// Every problem in the file is collected into one [`ImportError`].
pub fn parse(file: &str, text: &str, kind: ImportKind) -> Result<Import, ImportError> {
    let (import, problems) = parse_skipping(file, text, kind)?;
    if !problems.is_empty() {
        return Err(ImportError {
            file: file.to_owned(),
            problems,
        });
    }
    Ok(import)
}

/// [`parse`], keeping the features without problems: answers them with the problems of
/// the features left out. A file that is not GeoJSON features in EPSG:4326, or holds
/// none, is still an error.
pub fn parse_skipping(
    file: &str,
    text: &str,
    kind: ImportKind,
) -> Result<(Import, Vec<Problem>), ImportError> {
    let fail = |field: &str, message: String| ImportError {
        file: file.to_owned(),
        problems: vec![Problem {
            feature: None,
            kode: None,
            field: field.to_owned(),
            message,
        }],
    };
    let root: Value = serde_json::from_str(text)
        .map_err(|e| fail("-", format!("not GeoJSON: invalid JSON ({e})")))?;
    let features: Vec<&Value> = match root.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => match root.get("features") {
            Some(Value::Array(f)) => f.iter().collect(),
            _ => {
                return Err(fail(
                    "features",
                    "a FeatureCollection needs a `features` list".into(),
                ));
            }
        },
        Some("Feature") => vec![&root],
        Some(other) => {
            return Err(fail(
                "type",
                format!(
                    "not GeoJSON features: type is `{other}`, expected FeatureCollection or Feature"
                ),
            ));
        }
        None => {
            return Err(fail(
                "type",
                "not GeoJSON: no `type` member (expected FeatureCollection)".into(),
            ));
        }
    };
    if let Some(crs) = root
        .get("crs")
        .and_then(|c| c.pointer("/properties/name"))
        .and_then(Value::as_str)
        && !(crs.contains("CRS84") || crs.ends_with("4326"))
    {
        return Err(fail(
            "crs",
            format!(
                "coordinates are in {crs}; Kumuh reads EPSG:4326 longitude/latitude only (reproject first, e.g. with ogr2ogr -t_srs EPSG:4326)"
            ),
        ));
    }

    let empty = Map::new();
    let mut problems = Vec::new();
    let mut places = Vec::new();
    let mut lokasi = Vec::new();
    let mut jaringan = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, feature) in features.iter().enumerate() {
        let props = match feature.get("properties") {
            Some(Value::Object(p)) => p,
            _ => &empty,
        };
        let mut r = Reader {
            problems: Vec::new(),
            index,
            kode: None,
            props,
        };
        if feature.get("type").and_then(Value::as_str) != Some("Feature") {
            r.problem("type", "expected a Feature");
        }
        let kode_text = match kind {
            ImportKind::Places(Level::Rt) if !props.contains_key("kode") => compose_rt_code(&mut r),
            _ => r.string("kode", true),
        };
        r.kode = kode_text.clone();
        if kind == ImportKind::Jaringan {
            if let Some(ruas) = read_ruas(&mut r, kode_text.clone(), feature.get("geometry")) {
                if let Some(first) = seen.insert(ruas.kode.clone(), index) {
                    r.problem(
                        "kode",
                        format!("duplicate: feature {first} has the same code"),
                    );
                } else if r.problems.is_empty() {
                    jaringan.push(ruas);
                }
            }
            problems.append(&mut r.problems);
            continue;
        }
        let geometry = match read_area_geometry(feature.get("geometry")) {
            Ok(g) => {
                let issues = validate_area_geometry(&g);
                for issue in &issues {
                    r.problem("geometry", issue.to_string());
                }
                issues.is_empty().then_some(g)
            }
            Err(issue) => {
                r.problem("geometry", issue);
                None
            }
        };
        if let Some(k) = &kode_text
            && let Some(first) = seen.insert(k.clone(), index)
        {
            r.problem(
                "kode",
                format!("duplicate: feature {first} has the same code"),
            );
        }
        match kind {
            ImportKind::Places(level) => {
                let kode = r.kode("kode", kode_text);
                if let Some(k) = &kode
                    && k.level() != level
                {
                    r.problem(
                        "kode",
                        format!(
                            "`{k}` is a {} code ({} segments), but the import is for level {level} ({} segments)",
                            k.level(),
                            k.level().code_segments(),
                            level.code_segments()
                        ),
                    );
                }
                let nama = r.string("nama", true);
                let nama_alt = r.list("nama_alt");
                let kode_bps = r.string("kode_bps", false);
                let attributes = r.attributes(&[
                    "kode", "nama", "nama_alt", "kode_bps", "level", "parent", "area_ha",
                ]);
                if let (true, Some(kode), Some(nama), Some(geometry)) =
                    (r.problems.is_empty(), kode, nama, geometry)
                {
                    places.push(Place {
                        kode,
                        kode_bps,
                        nama,
                        nama_alt,
                        geometry: Some(geometry),
                        attributes,
                    });
                }
            }
            ImportKind::Jaringan => {}
            ImportKind::Lokasi => {
                let nama = r.string("nama", true);
                let desa_text = r.string("kode_desa", true);
                let kode_desa = r.kode("kode_desa", desa_text);
                if let Some(k) = &kode_desa
                    && k.level() != Level::Desa
                {
                    r.problem("kode_desa", format!("`{k}` is not a desa code"));
                }
                let kawasan = r.string("kawasan", false);
                let rt_texts = r.list("rt");
                let rt: Vec<Kode> = rt_texts
                    .into_iter()
                    .filter_map(|t| r.kode("rt", Some(t)))
                    .collect();
                let sk = r.string("sk_nomor", false).map(|nomor| SkKumuh {
                    nomor,
                    tanggal: None,
                });
                let sk_tanggal = r.string("sk_tanggal", false);
                let attributes = r.attributes(&[
                    "kode",
                    "nama",
                    "kode_desa",
                    "kawasan",
                    "rt",
                    "sk_nomor",
                    "sk_tanggal",
                ]);
                if let (true, Some(kode), Some(nama), Some(kode_desa), Some(geometry)) =
                    (r.problems.is_empty(), kode_text, nama, kode_desa, geometry)
                {
                    lokasi.push(LokasiKumuh {
                        kode,
                        nama,
                        kode_desa,
                        kawasan,
                        rt,
                        sk: sk.map(|s| SkKumuh {
                            tanggal: sk_tanggal,
                            ..s
                        }),
                        geometry,
                        attributes,
                    });
                }
            }
        }
        problems.append(&mut r.problems);
    }
    if features.is_empty() {
        return Err(fail("features", "the file holds no features".into()));
    }
    let import = match kind {
        ImportKind::Places(_) => Import::Places(places),
        ImportKind::Lokasi => Import::Lokasi(lokasi),
        ImportKind::Jaringan => Import::Jaringan(jaringan),
    };
    Ok((import, problems))
}

/// A road or drainage line: `kode`, `jenis` (jalan/drainase), `kondisi` (baik, sedang,
/// rusak ringan, rusak berat, tidak ada), optional `contoh` (illustrative), and a
/// (Multi)LineString in EPSG:4326.
fn read_ruas(r: &mut Reader<'_>, kode: Option<String>, g: Option<&Value>) -> Option<Ruas> {
    let jenis = r.string("jenis", true).and_then(|j| {
        JenisJaringan::parse(&j)
            .map_err(|e| r.problem("jenis", e.to_string()))
            .ok()
    });
    let kondisi = r.string("kondisi", true).and_then(|k| {
        Kondisi::parse(&k)
            .map_err(|e| r.problem("kondisi", e.to_string()))
            .ok()
    });
    let contoh = match r.props.get("contoh") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            r.problem(
                "contoh",
                format!("expected true or false, found {}", json_kind(other)),
            );
            false
        }
    };
    let geometry = match read_line_geometry(g) {
        Ok(m) => Some(m),
        Err(e) => {
            r.problem("geometry", e);
            None
        }
    };
    Some(Ruas {
        kode: kode?,
        jenis: jenis?,
        kondisi: kondisi?,
        geometry: geometry?,
        contoh,
    })
}

fn read_line_geometry(g: Option<&Value>) -> Result<MultiLineString<f64>, String> {
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

/// An RT code from `kode_desa`, `rw` and `rt` properties: `<desa>.<rw:03>.<rt:03>`.
fn compose_rt_code(r: &mut Reader<'_>) -> Option<String> {
    let desa = r.string("kode_desa", true);
    let rw = r.string("rw", true);
    let rt = r.string("rt", true);
    let (desa, rw, rt) = (desa?, rw?, rt?);
    let num = |r: &mut Reader<'_>, field: &str, v: &str| match v.trim().parse::<u16>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            r.problem(field, format!("`{v}` is not an RW/RT number"));
            None
        }
    };
    let (rw, rt) = (num(r, "rw", &rw)?, num(r, "rt", &rt)?);
    Some(format!("{desa}.{rw:03}.{rt:03}"))
}

fn read_area_geometry(g: Option<&Value>) -> Result<MultiPolygon<f64>, String> {
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
        out.push(LineString(coords));
    }
    if out.is_empty() {
        return Err(format!("polygon {polygon}: has no rings"));
    }
    let exterior = out.remove(0);
    Ok(Polygon::new(exterior, out))
}

fn multipolygon_json(g: &MultiPolygon<f64>) -> Value {
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
    json!({"type": "FeatureCollection", "features": features})
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
    json!({"type": "FeatureCollection", "features": features})
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
    json!({"type": "FeatureCollection", "features": features})
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

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[111.4,-7.6],[111.41,-7.6],[111.41,-7.59],[111.4,-7.59],[111.4,-7.6]]]}"#;

    fn fc(features: &[String]) -> String {
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        )
    }

    fn feature(props: &str, geometry: &str) -> String {
        format!(r#"{{"type":"Feature","properties":{props},"geometry":{geometry}}}"#)
    }

    fn desa_file(features: &[String]) -> Result<Import, ImportError> {
        parse("f.geojson", &fc(features), ImportKind::Places(Level::Desa))
    }

    fn problems(r: Result<Import, ImportError>) -> Vec<String> {
        r.unwrap_err()
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_good_desa_file_parses_with_attributes_kept() {
        let f = feature(
            r#"{"kode":"35.19.09.2010","nama":"Klagenserut","nama_alt":"Klagen Serut","kode_bps":"3519150010","luas_km2":2.5}"#,
            SQUARE,
        );
        let Import::Places(p) = desa_file(&[f]).unwrap() else {
            panic!("expected places")
        };
        assert_eq!(p[0].nama_alt, ["Klagen Serut"]);
        assert_eq!(p[0].attributes["luas_km2"], json!(2.5));
        assert!(!p[0].attributes.contains_key("kode"));
    }

    #[test]
    fn every_problem_is_named_with_feature_and_field() {
        let bow = r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"#;
        let line = r#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#;
        let out_of_range = r#"{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,95],[0,0]]]}"#;
        let p = problems(desa_file(&[
            feature(r#"{"nama":"Tanpa Kode"}"#, SQUARE),
            feature(r#"{"kode":"35.19.09.2001","nama":"A"}"#, bow),
            feature(r#"{"kode":"35.19.09.2002","nama":"B"}"#, line),
            feature(r#"{"kode":"35.19.09.2003","nama":"C"}"#, out_of_range),
            feature(r#"{"kode":"35.19.09.2004","nama":"D"}"#, SQUARE),
            feature(r#"{"kode":"35.19.09.2004","nama":"E"}"#, SQUARE),
            feature(r#"{"kode":"35.19.09","nama":"F"}"#, SQUARE),
        ]));
        assert_eq!(p.len(), 6, "{p:#?}");
        assert_eq!(
            p[0],
            "feature 0, field `kode`: missing; every feature needs one"
        );
        assert!(
            p[1].starts_with(
                "feature 1 (35.19.09.2001), field `geometry`: polygon 0, exterior ring"
            ),
            "{}",
            p[1]
        );
        assert_eq!(
            p[2],
            "feature 2 (35.19.09.2002), field `geometry`: expected Polygon or MultiPolygon, found LineString"
        );
        assert!(
            p[3].contains("vertex 2: latitude 95 is outside -90..90"),
            "{}",
            p[3]
        );
        assert_eq!(
            p[4],
            "feature 5 (35.19.09.2004), field `kode`: duplicate: feature 4 has the same code"
        );
        assert!(p[5].contains("is a kecamatan code"), "{}", p[5]);
    }

    #[test]
    fn files_that_are_not_geojson_say_so() {
        for (text, expect) in [
            ("hello", "not GeoJSON: invalid JSON"),
            (r#"{"a":1}"#, "no `type` member"),
            (r#"{"type":"Topology"}"#, "type is `Topology`"),
            (
                r#"{"type":"FeatureCollection","features":[]}"#,
                "holds no features",
            ),
            (
                r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32749"}},"features":[]}"#,
                "EPSG:4326 longitude/latitude only",
            ),
        ] {
            let e = parse("x.geojson", text, ImportKind::Places(Level::Desa)).unwrap_err();
            assert!(e.to_string().starts_with("x.geojson: "), "{e}");
            assert!(
                e.to_string().contains(expect),
                "{e} should contain {expect}"
            );
        }
    }

    #[test]
    fn rt_codes_can_be_composed_from_desa_rw_rt() {
        let f = feature(
            r#"{"kode_desa":"35.19.09.2014","rw":"3","rt":9,"nama":"RT 009"}"#,
            SQUARE,
        );
        let Import::Places(p) =
            parse("rt.geojson", &fc(&[f]), ImportKind::Places(Level::Rt)).unwrap()
        else {
            panic!()
        };
        assert_eq!(p[0].kode.as_str(), "35.19.09.2014.003.009");
        let bad = feature(
            r#"{"kode_desa":"35.19.09.2014","rw":"x","rt":9,"nama":"RT"}"#,
            SQUARE,
        );
        let p = problems(parse(
            "rt.geojson",
            &fc(&[bad]),
            ImportKind::Places(Level::Rt),
        ));
        assert_eq!(p, ["feature 0, field `rw`: `x` is not an RW/RT number"]);
    }

    #[test]
    fn lokasi_read_with_rts_and_decree() {
        let f = feature(
            r#"{"kode":"SKL-01","nama":"Sukolilo RT 24-28","kode_desa":"35.19.09.2005","kawasan":"Sukolilo","rt":"35.19.09.2005.006.024, 35.19.09.2005.006.026","sk_nomor":"118.45/325A/KPTS/402.013/2019","sk_tanggal":"2019-07-01"}"#,
            SQUARE,
        );
        let Import::Lokasi(l) = parse("l.geojson", &fc(&[f]), ImportKind::Lokasi).unwrap() else {
            panic!()
        };
        assert_eq!(l[0].rt.len(), 2);
        assert_eq!(
            l[0].sk.as_ref().unwrap().tanggal.as_deref(),
            Some("2019-07-01")
        );
        let bad = feature(
            r#"{"kode":"X","nama":"X","kode_desa":"35.19.09","rt":["1.2.x"]}"#,
            SQUARE,
        );
        let p = problems(parse("l.geojson", &fc(&[bad]), ImportKind::Lokasi));
        assert_eq!(p.len(), 2, "{p:?}");
    }

    #[test]
    fn lines_read_with_kind_and_condition() {
        let line = r#"{"type":"LineString","coordinates":[[111.49,-7.65],[111.491,-7.65]]}"#;
        let good = feature(
            r#"{"kode":"J-01","jenis":"jalan","kondisi":"rusak berat","contoh":true}"#,
            line,
        );
        let Import::Jaringan(j) = parse("j.geojson", &fc(&[good]), ImportKind::Jaringan).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            (j[0].jenis, j[0].kondisi, j[0].contoh),
            (JenisJaringan::Jalan, Kondisi::RusakBerat, true)
        );
        let p = problems(parse(
            "j.geojson",
            &fc(&[
                feature(r#"{"kode":"J-02","jenis":"sungai","kondisi":"baik"}"#, line),
                feature(
                    r#"{"kode":"J-03","jenis":"jalan","kondisi":"baik"}"#,
                    SQUARE,
                ),
                feature(
                    r#"{"kode":"J-04","jenis":"drainase","kondisi":"hancur"}"#,
                    line,
                ),
            ]),
            ImportKind::Jaringan,
        ));
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(
            p[0].starts_with("feature 0 (J-02), field `jenis`"),
            "{}",
            p[0]
        );
        assert_eq!(
            p[1],
            "feature 1 (J-03), field `geometry`: expected LineString or MultiLineString, found Polygon"
        );
        assert!(
            p[2].starts_with("feature 2 (J-04), field `kondisi`"),
            "{}",
            p[2]
        );
    }

    #[test]
    fn features_round_trip_through_geojson() {
        let f = feature(r#"{"kode":"35.19.09.2001","nama":"A","extra":1}"#, SQUARE);
        let Import::Places(p) = desa_file(&[f]).unwrap() else {
            panic!()
        };
        let out = places_collection(&p, true).to_string();
        let Import::Places(back) =
            parse("out.geojson", &out, ImportKind::Places(Level::Desa)).unwrap()
        else {
            panic!()
        };
        assert_eq!(back[0].geometry, p[0].geometry);
        assert_eq!(back[0].attributes["extra"], json!(1));
        let labels = label_points(&p);
        assert_eq!(labels["features"][0]["geometry"]["type"], "Point");
    }
}
