//! Files from other GIS tools: ESRI Shapefiles (loose or zipped), KML and KMZ, CSV with
//! a WKT or longitude/latitude columns, FlatGeobuf, GeoJSON in a projected system, and GeoPackage
//! layers handed over as rows (io never opens a database; the store crate reads them).
//! Each becomes a [`Layer`]: GeoJSON-shaped features in the file's coordinates with the
//! file's field names. [`Layer::to_geojson`] brings them to EPSG:4326 and Kumuh's field
//! names ([`mapping`]), so that the one strict GeoJSON reader
//! ([`crate::geojson::parse_checked_value`]) judges every format alike.
//!
//! Bounded work: at most [`MAX_FILE_BYTES`] read from a file (or unpacked from a zip),
//! [`MAX_FEATURES`] features, and the domain's `MAX_VERTICES_IMPORTED` vertices in one
//! feature; every length read from a binary file is checked before it is used.

use std::io::Read;
use std::path::Path;

use geo_types::Geometry;
use serde_json::{Map, Value, json};

use crate::geojson::{ImportError, Problem};

mod crs;
mod dbf;
mod fgb;
mod kml;
pub mod mapping;
#[cfg(feature = "gdal")]
pub mod ogr;
mod shp;
mod table;
mod tm;
mod wkt;

pub use crs::{Crs, CrsError};
pub use mapping::Mapping;
pub use table::parse_wkt;
pub use tm::TransverseMercator;

/// The largest file (or zip member) read: 512 MiB.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
/// The most features read from one file.
pub const MAX_FEATURES: usize = 1_000_000;

/// What a file holds, told by its first bytes and then its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// GeoJSON (any coordinate system its `crs` names).
    GeoJson,
    /// An ESRI Shapefile: the `.shp` with its `.dbf`, `.prj` and `.cpg` beside it.
    Shapefile,
    /// A zip holding one Shapefile or one KML document.
    Zip,
    /// KML.
    Kml,
    /// KMZ: zipped KML.
    Kmz,
    /// A GeoPackage (SQLite); its layers are read by the store crate.
    GeoPackage,
    /// FlatGeobuf.
    FlatGeobuf,
    /// CSV with a WKT column or longitude and latitude columns.
    Csv,
}

impl Format {
    /// The format of a file from its first bytes, then its extension.
    pub fn detect(path: &Path, head: &[u8]) -> Option<Format> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if head.starts_with(b"SQLite format 3\0") {
            return Some(Format::GeoPackage);
        }
        if head.starts_with(b"fgb") {
            return Some(Format::FlatGeobuf);
        }
        if head.starts_with(&[0, 0, 0x27, 0x0a]) {
            return Some(Format::Shapefile);
        }
        if head.starts_with(b"PK\x03\x04") {
            return Some(if ext == "kmz" {
                Format::Kmz
            } else {
                Format::Zip
            });
        }
        let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
        match text.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => return Some(Format::GeoJson),
            // XML is read as KML, but for a GML or GPX file (by its name) without a
            // `<kml` root, which GDAL reads with the `gdal` feature.
            Some(b'<')
                if !matches!(ext.as_str(), "gml" | "gpx" | "osm")
                    || text.windows(4).any(|w| w.eq_ignore_ascii_case(b"<kml")) =>
            {
                return Some(Format::Kml);
            }
            _ => {}
        }
        match ext.as_str() {
            "csv" | "txt" | "tsv" => Some(Format::Csv),
            "geojson" | "json" => Some(Format::GeoJson),
            _ => None,
        }
    }
}

/// A feature's geometry as read: `None` for a null geometry, or why it is unreadable.
pub type ReadGeometry = Result<Option<Geometry<f64>>, String>;

/// Features read from a foreign file, before reprojection and field mapping.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layer {
    /// The file's field names, in file order (for messages about unmapped fields).
    pub fields: Vec<String>,
    /// GeoJSON `Feature` objects in the file's coordinates.
    pub features: Vec<Value>,
    /// Beside each of `features`, its geometry where the reader built it as one
    /// (Shapefile, GeoPackage) instead of as GeoJSON; such a feature has no `geometry`
    /// member. [`Layer::feature`] gives the whole feature either way.
    pub geometries: Vec<Option<Geometry<f64>>>,
    /// The feature index in the file of each of `features` (features that could not be
    /// read are in `problems` instead).
    pub indices: Vec<usize>,
    /// The features that could not be read, with file index and field.
    pub problems: Vec<Problem>,
    /// The coordinate system the file names, if it names one.
    pub crs: Option<Crs>,
}

impl Layer {
    fn push(&mut self, index: usize, read: Result<Value, (String, String)>) {
        match read {
            Ok(f) => {
                self.features.push(f);
                self.geometries.push(None);
                self.indices.push(index);
            }
            Err((field, message)) => self.problems.push(Problem {
                feature: Some(index),
                kode: None,
                field,
                message,
            }),
        }
    }

    /// A feature with `properties` read as a geometry (`None`: a null geometry), or
    /// why its geometry could not be read.
    fn push_geometry(
        &mut self,
        index: usize,
        properties: Map<String, Value>,
        geometry: ReadGeometry,
    ) {
        match geometry {
            Ok(g) => {
                let mut feature = json!({"type": "Feature", "properties": properties});
                if g.is_none() {
                    feature["geometry"] = Value::Null;
                }
                self.features.push(feature);
                self.geometries.push(g);
                self.indices.push(index);
            }
            Err(message) => self
                .problems
                .push(problem(Some(index), "geometry", message)),
        }
    }

    /// Feature `n` as GeoJSON, its geometry included however it was read.
    pub fn feature(&self, n: usize) -> Option<Value> {
        let f = self.features.get(n)?.clone();
        Some(with_geometry(
            f,
            self.geometries.get(n).and_then(Option::as_ref),
        ))
    }

    fn collect_fields(&mut self) {
        if !self.fields.is_empty() {
            return;
        }
        let mut seen = std::collections::HashSet::new();
        for f in &self.features {
            if let Some(Value::Object(p)) = f.get("properties") {
                for k in p.keys() {
                    if seen.insert(k.clone()) {
                        self.fields.push(k.clone());
                    }
                }
            }
        }
    }

    /// Rows of a GeoPackage layer (read by the store crate) as a layer: each row's
    /// columns and its geometry (`None`: null; an error: unreadable), in the layer's
    /// system.
    pub fn from_rows(
        fields: Vec<String>,
        rows: Vec<(Map<String, Value>, ReadGeometry)>,
        crs: Option<Crs>,
    ) -> Layer {
        let mut layer = Layer {
            fields,
            crs,
            ..Layer::default()
        };
        for (i, (props, geometry)) in rows.into_iter().enumerate() {
            layer.push_geometry(i, props, geometry);
        }
        layer
    }

    /// The layer as a GeoJSON FeatureCollection in EPSG:4326 with Kumuh's field names
    /// ([`Layer::convert`], with every geometry written into its feature).
    pub fn to_geojson(
        &self,
        file: &str,
        crs: Option<Crs>,
        mapping: &Mapping,
        progress: &dyn Fn(usize),
    ) -> Result<Value, ImportError> {
        let converted = self.clone().convert(file, crs, mapping, progress)?;
        let features: Vec<Value> = (0..converted.len())
            .filter_map(|n| converted.feature(n))
            .collect();
        Ok(crate::geojson::feature_collection(features))
    }

    /// The layer in EPSG:4326 with Kumuh's field names: coordinates reprojected from
    /// `crs` (given by the user) or the file's own system, properties through
    /// `mapping`. Every feature's original fields stay beside the mapped ones, where no
    /// mapped field has their name. Geometries the reader built as geometries stay so
    /// ([`Converted::geometries`]). The features move into the answer: the layer keeps
    /// its fields, indices, problems and system.
    /// `progress` hears how many features are done.
    pub fn convert(
        &mut self,
        file: &str,
        crs: Option<Crs>,
        mapping: &Mapping,
        progress: &dyn Fn(usize),
    ) -> Result<Converted, ImportError> {
        let crs = crs.or(self.crs).unwrap_or(Crs::LonLat);
        let to_lon_lat = (!crs.is_lon_lat()).then(|| crs.to_lon_lat_fn());
        let done = std::sync::atomic::AtomicUsize::new(0);
        // Each feature taken with its geometry, converted on every core in runs of
        // consecutive features, and put back together in file order; this thread tells
        // the progress meanwhile.
        let n = self.features.len();
        let mut typed = std::mem::take(&mut self.geometries);
        typed.resize(n, None);
        let items: Vec<(Value, Option<Geometry<f64>>)> = std::mem::take(&mut self.features)
            .into_iter()
            .zip(typed)
            .collect();
        let indices = &self.indices;
        let convert = |k: usize, (mut f, mut typed): (Value, Option<Geometry<f64>>)| {
            let index = indices[k];
            let mut problems = Vec::new();
            if let Some(to_lon_lat) = &to_lon_lat {
                let moved = match (&mut typed, f.get_mut("geometry")) {
                    (Some(g), _) => reproject_geometry(g, to_lon_lat.as_ref()),
                    (None, Some(g)) => reproject_with(g, to_lon_lat.as_ref()),
                    (None, None) => Ok(()),
                };
                if let Err(m) = moved {
                    problems.push(problem(Some(index), "geometry", m));
                }
            }
            if let Some(Value::Object(props)) = f.get_mut("properties") {
                match mapping.apply(props) {
                    Ok(mapped) => *props = mapped,
                    Err((field, m)) => problems.push(problem(Some(index), &field, m)),
                }
            }
            if let Some(o) = f.as_object_mut() {
                o.remove("crs");
            }
            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            (f, typed, problems)
        };
        let converted = kumuh_domain::paralel::map_owned_watched(items, 1024, convert, || {
            progress(done.load(std::sync::atomic::Ordering::Relaxed));
        });
        let mut features = Vec::with_capacity(n);
        let mut geometries = Vec::with_capacity(n);
        let mut problems = Vec::new();
        for (f, g, p) in converted {
            features.push(f);
            geometries.push(g);
            problems.extend(p);
        }
        if !problems.is_empty() {
            return Err(ImportError {
                file: file.to_owned(),
                problems,
            });
        }
        Ok(Converted {
            collection: crate::geojson::feature_collection(features),
            geometries,
        })
    }
}

/// A layer brought to EPSG:4326 and Kumuh's field names ([`Layer::convert`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Converted {
    /// A GeoJSON FeatureCollection.
    pub collection: Value,
    /// Beside each feature of `collection`, its geometry where it was read as one (the
    /// feature then has no `geometry` member).
    pub geometries: Vec<Option<Geometry<f64>>>,
}

impl Converted {
    /// Feature `n` as GeoJSON, its geometry included however it was read.
    pub fn feature(&self, n: usize) -> Option<Value> {
        let f = self.collection.get("features")?.get(n)?.clone();
        Some(with_geometry(
            f,
            self.geometries.get(n).and_then(Option::as_ref),
        ))
    }

    /// The number of features.
    pub fn len(&self) -> usize {
        self.collection
            .get("features")
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    }

    /// Whether there are no features.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A feature with `geometry`, where it was read as one, written in as GeoJSON.
fn with_geometry(mut feature: Value, geometry: Option<&Geometry<f64>>) -> Value {
    if let Some(g) = geometry {
        feature["geometry"] = crate::geojson::geometry_json(g);
    }
    feature
}

/// Reprojects every position of a geometry in place with a system's prepared
/// conversion ([`Crs::to_lon_lat_fn`]).
fn reproject_geometry(
    g: &mut Geometry<f64>,
    crs: &(dyn Fn(f64, f64) -> (f64, f64) + Send + Sync),
) -> Result<(), String> {
    use geo_types::{Coord, LineString, Polygon};
    let one = |c: &mut Coord<f64>| -> Result<(), String> {
        let (lon, lat) = crs(c.x, c.y);
        if lon.is_finite() && lat.is_finite() && lat.abs() <= 90.0 {
            *c = Coord { x: lon, y: lat };
            Ok(())
        } else {
            Err(format!(
                "position ({}, {}) lies outside the coordinate system",
                c.x, c.y
            ))
        }
    };
    let line = |ls: &mut LineString<f64>| ls.0.iter_mut().try_for_each(one);
    let polygon = |p: &mut Polygon<f64>| -> Result<(), String> {
        let mut outer = Ok(());
        p.exterior_mut(|e| outer = line(e));
        outer?;
        let mut inner = Ok(());
        p.interiors_mut(|rings| inner = rings.iter_mut().try_for_each(line));
        inner
    };
    match g {
        Geometry::Point(p) => one(&mut p.0),
        Geometry::MultiPoint(m) => m.0.iter_mut().try_for_each(|p| one(&mut p.0)),
        Geometry::Line(l) => one(&mut l.start).and_then(|()| one(&mut l.end)),
        Geometry::LineString(ls) => line(ls),
        Geometry::MultiLineString(m) => m.0.iter_mut().try_for_each(line),
        Geometry::Polygon(p) => polygon(p),
        Geometry::MultiPolygon(m) => m.0.iter_mut().try_for_each(polygon),
        Geometry::GeometryCollection(c) => {
            c.0.iter_mut().try_for_each(|g| reproject_geometry(g, crs))
        }
        // Readers build none of these; reprojected as the polygons they stand for.
        Geometry::Rect(r) => {
            let mut p = Geometry::Polygon(r.to_polygon());
            reproject_geometry(&mut p, crs)?;
            *g = p;
            Ok(())
        }
        Geometry::Triangle(t) => {
            let mut p = Geometry::Polygon(t.to_polygon());
            reproject_geometry(&mut p, crs)?;
            *g = p;
            Ok(())
        }
    }
}

fn problem(feature: Option<usize>, field: &str, message: impl Into<String>) -> Problem {
    Problem {
        feature,
        kode: None,
        field: field.to_owned(),
        message: message.into(),
    }
}

fn error(file: &str, field: &str, message: impl Into<String>) -> ImportError {
    ImportError {
        file: file.to_owned(),
        problems: vec![problem(None, field, message)],
    }
}

/// Reprojects every position of a GeoJSON geometry value in place with a system's
/// prepared conversion ([`Crs::to_lon_lat_fn`]).
fn reproject_with(
    g: &mut Value,
    crs: &(dyn Fn(f64, f64) -> (f64, f64) + Send + Sync),
) -> Result<(), String> {
    fn walk(
        v: &mut Value,
        crs: &(dyn Fn(f64, f64) -> (f64, f64) + Send + Sync),
    ) -> Result<(), String> {
        let Value::Array(items) = v else {
            return Ok(());
        };
        if let (Some(x), Some(y)) = (
            items.first().and_then(Value::as_f64),
            items.get(1).and_then(Value::as_f64),
        ) {
            let (lon, lat) = crs(x, y);
            if !(lon.is_finite() && lat.is_finite() && lat.abs() <= 90.0) {
                return Err(format!(
                    "position ({x}, {y}) lies outside the coordinate system"
                ));
            }
            // In place, without a new array for every position.
            items.truncate(2);
            items[0] = Value::from(lon);
            items[1] = Value::from(lat);
            return Ok(());
        }
        items.iter_mut().try_for_each(|i| walk(i, crs))
    }
    if let Some(c) = g.get_mut("coordinates") {
        walk(c, crs)?;
    }
    if let Some(Value::Array(parts)) = g.get_mut("geometries") {
        for p in parts {
            reproject_with(p, crs)?;
        }
    }
    Ok(())
}

/// The coordinate system a GeoJSON object's `crs` member names, if any.
fn geojson_crs(object: &Value) -> Result<Option<Crs>, String> {
    let Some(crs) = object.get("crs").filter(|c| !c.is_null()) else {
        return Ok(None);
    };
    let props = crs.get("properties");
    let parsed = match crs.get("type").and_then(Value::as_str) {
        Some("name") => props
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
            .map(Crs::parse_name),
        Some("EPSG") => props.and_then(|p| p.get("code")).map(|c| {
            Crs::parse_name(
                &c.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| c.to_string()),
            )
        }),
        _ => None,
    };
    match parsed {
        Some(Ok(c)) => Ok(Some(c)),
        Some(Err(e)) => Err(e.to_string()),
        None => Err(format!("a `crs` Kumuh cannot read ({crs})")),
    }
}

/// Reads at most [`MAX_FILE_BYTES`] of `reader`.
fn read_bounded(reader: impl Read, what: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("reading {what}: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "{what} is larger than {} MiB",
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    Ok(bytes)
}

fn text(bytes: Vec<u8>, what: &str) -> Result<String, String> {
    let bytes = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| format!("{what} is not UTF-8 text ({e})"))
}

/// A Shapefile from its parts: `.shp` bytes, and the `.dbf`, `.prj` and `.cpg` where
/// present.
pub fn read_shapefile(
    file: &str,
    shp: &[u8],
    dbf: Option<&[u8]>,
    prj: Option<&str>,
    cpg: Option<&str>,
) -> Result<Layer, ImportError> {
    let encoding = match cpg {
        Some(c) => dbf::encoding_for_cpg(c).map_err(|m| error(file, ".cpg", m))?,
        None => encoding_rs::WINDOWS_1252,
    };
    // The shapes and the table are read side by side: they are independent until joined.
    let (shapes, table) = std::thread::scope(|s| {
        let table = s.spawn(|| dbf.map(|bytes| dbf::read(bytes, encoding)));
        let shapes = shp::read(shp, MAX_FEATURES);
        let table = table
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (shapes, table)
    });
    let shapes = shapes.map_err(|m| error(file, "-", m))?;
    let table = table
        .transpose()
        .map_err(|(record, field, m)| ImportError {
            file: file.to_owned(),
            problems: vec![problem(record, &field, format!(".dbf: {m}"))],
        })?;
    if let Some(t) = &table
        && t.records.len() != shapes.len()
    {
        return Err(error(
            file,
            "-",
            format!(
                "the .shp holds {} shapes but the .dbf {} records",
                shapes.len(),
                t.records.len()
            ),
        ));
    }
    let crs = match prj {
        Some(p) => Some(Crs::from_wkt(p).map_err(|e| error(file, ".prj", e.to_string()))?),
        None => None,
    };
    let mut layer = Layer {
        fields: table.as_ref().map(|t| t.fields.clone()).unwrap_or_default(),
        crs,
        ..Layer::default()
    };
    let mut records = table.map(|t| t.records.into_iter());
    for (i, shape) in shapes.into_iter().enumerate() {
        let props = match records.as_mut().and_then(Iterator::next) {
            // A record marked deleted in the table: the shape goes with it.
            Some(None) => continue,
            Some(Some(p)) => p,
            None => Map::new(),
        };
        layer.push_geometry(i, props, shape);
    }
    Ok(layer)
}

/// KML text as a layer (always WGS 84).
pub fn read_kml(file: &str, text: &str) -> Result<Layer, ImportError> {
    let reads = kml::read(text, MAX_FEATURES).map_err(|m| error(file, "-", m))?;
    let mut layer = Layer {
        crs: Some(Crs::LonLat),
        ..Layer::default()
    };
    for (i, r) in reads.into_iter().enumerate() {
        layer.push(i, r);
    }
    layer.collect_fields();
    Ok(layer)
}

/// A CSV table with geometry as a layer (longitude and latitude unless the user names
/// another system).
pub fn read_csv(file: &str, text: &str) -> Result<Layer, ImportError> {
    let (fields, reads) = table::read(text, MAX_FEATURES).map_err(|m| error(file, "-", m))?;
    let mut layer = Layer {
        fields,
        ..Layer::default()
    };
    for (i, r) in reads.into_iter().enumerate() {
        layer.push(i, r);
    }
    Ok(layer)
}

/// GeoJSON text as a layer, with the system its `crs` member names.
pub fn read_geojson(file: &str, text: &str) -> Result<Layer, ImportError> {
    let mut root: Value = serde_json::from_str(text)
        .map_err(|e| error(file, "-", format!("not GeoJSON: invalid JSON ({e})")))?;
    let crs = geojson_crs(&root).map_err(|m| error(file, "crs", m))?;
    let kind = root.get("type").and_then(Value::as_str).map(str::to_owned);
    // The features are taken out of the document, not copied.
    let features = match kind.as_deref() {
        Some("FeatureCollection") => match root.get_mut("features").map(Value::take) {
            Some(Value::Array(f)) => f,
            _ => {
                return Err(error(
                    file,
                    "features",
                    "a FeatureCollection needs a `features` list",
                ));
            }
        },
        Some("Feature") => vec![root],
        _ => {
            return Err(error(
                file,
                "type",
                "not GeoJSON features (expected a FeatureCollection)",
            ));
        }
    };
    if features.len() > MAX_FEATURES {
        return Err(error(
            file,
            "features",
            format!("more than {MAX_FEATURES} features"),
        ));
    }
    let mut layer = Layer {
        crs,
        ..Layer::default()
    };
    for (i, f) in features.into_iter().enumerate() {
        let read = match geojson_crs(&f) {
            Ok(Some(c)) if Some(c) != layer.crs => {
                Err(("crs".to_owned(), "differs from the file's".to_owned()))
            }
            Err(m) => Err(("crs".to_owned(), m)),
            _ => Ok(f),
        };
        layer.push(i, read);
    }
    layer.collect_fields();
    Ok(layer)
}

/// A FlatGeobuf file's bytes as a layer, in the system its header names.
pub fn read_flatgeobuf(file: &str, bytes: &[u8]) -> Result<Layer, ImportError> {
    fgb::read(bytes).map_err(|m| error(file, "-", m))
}

/// Reads a file of any format but GeoPackage (the store crate reads those). `layer`
/// picks the Shapefile of a zip that holds several.
pub fn read_path(path: &Path, layer: Option<&str>) -> Result<Layer, ImportError> {
    let file = path.display().to_string();
    let fail = |m: String| error(&file, "-", m);
    let open = |p: &Path| -> Result<Vec<u8>, ImportError> {
        let f =
            std::fs::File::open(p).map_err(|e| fail(format!("reading {}: {e}", p.display())))?;
        read_bounded(f, &p.display().to_string()).map_err(fail)
    };
    // The format from the first bytes, so that a file only GDAL reads is not read whole
    // first.
    let mut head = Vec::with_capacity(64);
    std::fs::File::open(path)
        .and_then(|f| f.take(64).read_to_end(&mut head))
        .map_err(|e| fail(format!("reading {file}: {e}")))?;
    let Some(format) = Format::detect(path, &head) else {
        return read_other(path, layer);
    };
    let bytes = open(path)?;
    match format {
        Format::GeoJson => read_geojson(&file, &text(bytes, &file).map_err(fail)?),
        Format::Kml => read_kml(&file, &text(bytes, &file).map_err(fail)?),
        Format::Csv => read_csv(&file, &text(bytes, &file).map_err(fail)?),
        Format::Shapefile => {
            let sibling = |ext: &str| -> Option<Vec<u8>> {
                [ext.to_owned(), ext.to_ascii_uppercase()]
                    .iter()
                    .map(|e| path.with_extension(e))
                    .find(|p| p.exists())
                    .and_then(|p| open(&p).ok())
            };
            let dbf = sibling("dbf");
            let prj = sibling("prj").map(|b| String::from_utf8_lossy(&b).into_owned());
            let cpg = sibling("cpg").map(|b| String::from_utf8_lossy(&b).into_owned());
            read_shapefile(
                &file,
                &bytes,
                dbf.as_deref(),
                prj.as_deref(),
                cpg.as_deref(),
            )
        }
        Format::Zip | Format::Kmz => read_zip(&file, &bytes, layer),
        Format::GeoPackage => Err(fail("a GeoPackage is read through the store".to_owned())),
        Format::FlatGeobuf => read_flatgeobuf(&file, &bytes),
    }
}

/// The formats Kumuh reads itself, for messages.
pub(crate) const OWN_FORMATS: &str =
    "GeoJSON, Shapefile, zip, KML, KMZ, GeoPackage, FlatGeobuf, CSV";

/// A file none of Kumuh's own readers knows: read through GDAL's OGR where the build
/// has the `gdal` feature, refused otherwise.
fn read_other(path: &Path, layer: Option<&str>) -> Result<Layer, ImportError> {
    #[cfg(feature = "gdal")]
    {
        ogr::read(path, layer)
    }
    #[cfg(not(feature = "gdal"))]
    {
        let _ = layer;
        Err(error(
            &path.display().to_string(),
            "-",
            format!(
                "not a format Kumuh reads ({OWN_FORMATS}); a build with the `gdal` feature reads every other vector format GDAL knows, or convert it with `ogr2ogr -f GPKG`"
            ),
        ))
    }
}

/// The layers of a file that only GDAL reads (see [`read_other`]); empty where GDAL
/// cannot open it or the build has no `gdal` feature.
pub fn other_layers(path: &Path) -> Vec<String> {
    #[cfg(feature = "gdal")]
    {
        ogr::layers(path).unwrap_or_default()
    }
    #[cfg(not(feature = "gdal"))]
    {
        let _ = path;
        Vec::new()
    }
}

/// The layers of a zip (the names of the Shapefiles it holds, without `.shp`, as
/// `layer` of [`read_path`] takes them), read from its directory only; empty for a zip
/// holding KML or anything else.
pub fn zip_layers(path: &Path) -> Result<Vec<String>, ImportError> {
    let file = path.display().to_string();
    let fail = |m: String| error(&file, "-", m);
    let f = std::fs::File::open(path).map_err(|e| fail(format!("reading {file}: {e}")))?;
    let zip = zip::ZipArchive::new(f).map_err(|e| fail(format!("not a zip: {e}")))?;
    Ok(zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| n.to_ascii_lowercase().ends_with(".shp"))
        .map(|n| {
            let stem = &n[..n.len() - 4];
            stem.rsplit('/').next().unwrap_or(stem).to_owned()
        })
        .collect())
}

fn read_zip(file: &str, bytes: &[u8], layer: Option<&str>) -> Result<Layer, ImportError> {
    let fail = |m: String| error(file, "-", m);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| fail(format!("not a zip: {e}")))?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let mut member = |name: &str| -> Result<Vec<u8>, ImportError> {
        let entry = zip
            .by_name(name)
            .map_err(|e| fail(format!("{name}: {e}")))?;
        read_bounded(entry, name).map_err(fail)
    };
    let ends = |n: &str, ext: &str| n.to_ascii_lowercase().ends_with(ext);
    let shps: Vec<&String> = names.iter().filter(|n| ends(n, ".shp")).collect();
    let kmls: Vec<&String> = names.iter().filter(|n| ends(n, ".kml")).collect();
    if let Some(shp) = match (shps.as_slice(), layer) {
        ([], _) => None,
        ([one], None) => Some((*one).clone()),
        (many, Some(l)) => Some(
            many.iter()
                .find(|n| {
                    let stem = n.rsplit('/').next().unwrap_or(n);
                    stem.eq_ignore_ascii_case(&format!("{l}.shp")) || n.eq_ignore_ascii_case(l)
                })
                .map(|n| (*n).clone())
                .ok_or_else(|| {
                    fail(format!(
                        "no layer `{l}`; the zip holds {}",
                        many.iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?,
        ),
        (many, None) => {
            return Err(fail(format!(
                "the zip holds several Shapefiles ({}); choose one with --layer",
                many.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    } {
        let stem = &shp[..shp.len() - 4];
        let find = |ext: &str| {
            names
                .iter()
                .find(|n| n.len() == stem.len() + 4 && n.starts_with(stem) && ends(n, ext))
                .cloned()
        };
        let (dbf, prj, cpg) = (find(".dbf"), find(".prj"), find(".cpg"));
        let shp_bytes = member(&shp)?;
        let dbf = dbf.map(|n| member(&n)).transpose()?;
        let prj = prj
            .map(|n| member(&n))
            .transpose()?
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        let cpg = cpg
            .map(|n| member(&n))
            .transpose()?
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        let name = format!("{file}/{shp}");
        return read_shapefile(
            &name,
            &shp_bytes,
            dbf.as_deref(),
            prj.as_deref(),
            cpg.as_deref(),
        );
    }
    let kml = kmls
        .iter()
        .find(|n| n.eq_ignore_ascii_case("doc.kml"))
        .or(kmls.first())
        .map(|s| (*s).clone())
        .ok_or_else(|| {
            fail(format!(
                "the zip holds no .shp and no .kml (it holds {})",
                names.join(", ")
            ))
        })?;
    let t = text(member(&kml)?, &kml).map_err(fail)?;
    read_kml(file, &t)
}

#[cfg(test)]
mod tests;
