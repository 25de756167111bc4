//! Features into places, slum locations and road/drainage lines, every problem named
//! with its feature, code and field.

use std::collections::HashMap;

use geo_types::{Geometry, MultiPolygon};
use kumuh_domain::jaringan::{JenisJaringan, KondisiRuas, Ruas};
use kumuh_domain::{Kode, Level, LokasiKumuh, Place, SkKumuh, validate_area_geometry};
use serde_json::{Map, Value};

use super::geometry::{area_of_geometry, geometry_json, read_area_geometry, read_line_geometry};
use super::{Import, ImportError, ImportKind, Problem};
use crate::text::{control_character, describe_control};

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
            Some(Value::String(s)) if !s.trim().is_empty() => match control_character(s) {
                Some(c) => {
                    self.problem(field, describe_control(c));
                    None
                }
                None => Some(s.trim().to_owned()),
            },
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
            Some(Value::String(s)) if control_character(s).is_some() => {
                let c = control_character(s).unwrap_or_default();
                self.problem(field, describe_control(c));
                vec![]
            }
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
                        Value::String(s) if control_character(s).is_some() => {
                            let c = control_character(s).unwrap_or_default();
                            self.problem(field, format!("item {i}: {}", describe_control(c)));
                        }
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
    read_features(file, text, kind).map(|r| (r.import, r.problems))
}

/// What reading a file's features gives: the items read, the feature each came from, and
/// the problems of the features left out.
pub(super) struct Features {
    pub import: Import,
    /// The feature index of each item of `import`, in order.
    pub indices: Vec<usize>,
    pub problems: Vec<Problem>,
}

pub(super) fn read_features(
    file: &str,
    text: &str,
    kind: ImportKind,
) -> Result<Features, ImportError> {
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
    read_features_value(file, &root, Vec::new(), kind)
}

/// An area read and checked, or its problems.
type Area = Result<MultiPolygon<f64>, Vec<String>>;

/// [`read_features`] on a parsed document, e.g. features converted from another format.
/// `geometries[i]`, where given, is feature `i`'s geometry, read as a geometry instead
/// of from its `geometry` member.
pub(super) fn read_features_value(
    file: &str,
    root: &Value,
    mut geometries: Vec<Option<Geometry<f64>>>,
    kind: ImportKind,
) -> Result<Features, ImportError> {
    let fail = |field: &str, message: String| ImportError {
        file: file.to_owned(),
        problems: vec![Problem {
            feature: None,
            kode: None,
            field: field.to_owned(),
            message,
        }],
    };
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
        Some("Feature") => vec![root],
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
    super::crs::check(root).map_err(|message| fail("crs", message))?;
    for (index, feature) in features.iter().enumerate() {
        super::crs::check(feature).map_err(|message| ImportError {
            file: file.to_owned(),
            problems: vec![Problem {
                feature: Some(index),
                kode: None,
                field: "crs".to_owned(),
                message,
            }],
        })?;
    }

    // Each feature's area read and judged by the domain's geometry rules, and a valid one
    // brought to the RFC 7946 winding, on every core: the most work of a large file, and
    // independent between features.
    let judge = |read: Result<MultiPolygon<f64>, String>| -> Option<Area> {
        Some(match read {
            Ok(mut g) => {
                let issues = validate_area_geometry(&g);
                if issues.is_empty() {
                    // Stored in the RFC 7946 winding, whatever the file's.
                    kumuh_domain::geometry::normalise_orientation(&mut g);
                    Ok(g)
                } else {
                    Err(issues.iter().map(ToString::to_string).collect())
                }
            }
            Err(issue) => Err(vec![issue]),
        })
    };
    let json_area = |index: usize| read_area_geometry(features[index].get("geometry"));
    let (mut areas, lines): (Vec<Option<Area>>, Vec<Option<Geometry<f64>>>) =
        if kind == ImportKind::Jaringan {
            (Vec::new(), geometries)
        } else if geometries.is_empty() {
            let areas = kumuh_domain::paralel::map(features.len(), 512, |i| judge(json_area(i)));
            (areas, Vec::new())
        } else {
            geometries.resize_with(features.len(), || None);
            let areas = kumuh_domain::paralel::map_owned(geometries, 512, |i, typed| {
                judge(typed.map_or_else(|| json_area(i), area_of_geometry))
            });
            (areas, Vec::new())
        };
    let empty = Map::new();
    let mut problems = Vec::new();
    let mut places = Vec::new();
    let mut lokasi = Vec::new();
    let mut jaringan = Vec::new();
    let mut indices = Vec::new();
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
        let typed = lines.get(index).and_then(Option::as_ref);
        if kind == ImportKind::Jaringan {
            let written = typed.map(geometry_json);
            let g = written.as_ref().or_else(|| feature.get("geometry"));
            if let Some(ruas) = read_ruas(&mut r, kode_text.clone(), g) {
                if let Some(first) = seen.insert(ruas.kode.clone(), index) {
                    r.problem(
                        "kode",
                        format!("duplicate: feature {first} has the same code"),
                    );
                } else if r.problems.is_empty() {
                    jaringan.push(ruas);
                    indices.push(index);
                }
            }
            problems.append(&mut r.problems);
            continue;
        }
        // The domain's geometry rules decided validity above: every area read from a
        // file passes there, before it becomes a place or location.
        let geometry = match areas.get_mut(index).and_then(Option::take) {
            Some(Ok(g)) => Some(g),
            Some(Err(issues)) => {
                for issue in issues {
                    r.problem("geometry", issue);
                }
                None
            }
            None => None,
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
                    indices.push(index);
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
                    indices.push(index);
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
    Ok(Features {
        import,
        indices,
        problems,
    })
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
        KondisiRuas::parse(&k)
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
