//! One layer of the atlas out in the common GIS formats: ESRI Shapefile (zipped),
//! KML, CSV with a WKT column and FlatGeobuf (GeoJSON and GeoPackage are written
//! elsewhere: `geojson::write`, and the store).
//!
//! Every writer takes the same [`ExportLayer`]: columns with one type each and features
//! whose values follow the columns. [`ExportLayer::from_geojson`] builds one from the
//! FeatureCollection the GeoJSON export writes, so every format carries exactly the
//! fields of the GeoJSON export, typed from their values.
//!
//! Bounded: a layer holds at most [`MAX_EXPORT_FEATURES`] features; the writers build
//! the file in memory (a Shapefile's `.shp` is also limited to 2 GiB by the format).

mod csv;
mod fgb;
mod kml;
mod paket;
mod shp;

use geo_types::Geometry;
use serde_json::Value;

pub use self::csv::write_csv;
pub use self::fgb::write_fgb;
pub use self::kml::write_kml;
pub use self::paket::{MAX_PAKET_BYTE, write_paket_zip};
pub use self::shp::{dbf_field_names, write_shapefile_zip};

/// The most features one export holds.
pub const MAX_EXPORT_FEATURES: usize = 1_000_000;

/// Why a layer could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// A feature of the layer cannot be written: its index, the field and why.
    #[error("layer {layer}, feature {feature}, {field}: {message}")]
    Feature {
        /// The layer's name.
        layer: String,
        /// The feature's index in the layer.
        feature: usize,
        /// `geometry` or the field's name.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The layer as a whole cannot be written in this format.
    #[error("layer {layer}: {message}")]
    Layer {
        /// The layer's name.
        layer: String,
        /// What is wrong.
        message: String,
    },
}

/// The type of a column, the same for every feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text.
    Text,
    /// A whole number (64 bits).
    Integer,
    /// A decimal number.
    Real,
    /// True or false.
    Boolean,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
}

/// A column: its name and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The field's name, as in the GeoJSON export.
    pub name: String,
    /// Its type.
    pub kind: ColumnType,
}

/// One value of a feature; `Null` where the feature has none.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// No value.
    Null,
    /// Text.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A decimal number.
    Real(f64),
    /// True or false.
    Boolean(bool),
    /// A date, `YYYY-MM-DD`.
    Date(String),
}

impl FieldValue {
    /// The value as text: numbers in their shortest form, dates as `YYYY-MM-DD`, no
    /// value as an empty string.
    pub fn text(&self) -> String {
        match self {
            FieldValue::Null => String::new(),
            FieldValue::Text(s) | FieldValue::Date(s) => s.clone(),
            FieldValue::Integer(i) => i.to_string(),
            FieldValue::Real(r) => r.to_string(),
            FieldValue::Boolean(b) => b.to_string(),
        }
    }
}

/// One feature: its geometry (in EPSG:4326; `None` for a place without a boundary) and
/// one value per column.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFeature {
    /// The geometry.
    pub geometry: Option<Geometry<f64>>,
    /// The values, in the order of the layer's columns.
    pub values: Vec<FieldValue>,
}

/// A layer ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportLayer {
    /// The layer's name (`desa`, `lokasi`, …): the file and table name.
    pub name: String,
    /// The columns.
    pub columns: Vec<Column>,
    /// The features.
    pub features: Vec<ExportFeature>,
}

impl ExportLayer {
    /// The features of a GeoJSON FeatureCollection as a layer. Columns are the
    /// properties in the order first met; a column's type is the one all its values
    /// share (whole numbers, numbers, booleans, `YYYY-MM-DD` dates), else text, with
    /// lists and objects as their JSON text.
    ///
    /// # Examples
    /// ```
    /// use kumuh_io::ekspor::{ColumnType, ExportLayer, FieldValue};
    /// let fc = serde_json::json!({"type": "FeatureCollection", "features": [
    ///     {"type": "Feature", "properties": {"kode": "A", "area_ha": 1.5, "tahun": 2024},
    ///      "geometry": {"type": "Point", "coordinates": [111.5, -7.5]}},
    ///     {"type": "Feature", "properties": {"kode": "B", "area_ha": 2, "tahun": null},
    ///      "geometry": null}]});
    /// let layer = ExportLayer::from_geojson("lokasi", &fc).unwrap();
    /// let kinds: Vec<_> = layer.columns.iter().map(|c| c.kind).collect();
    /// assert_eq!(kinds, [ColumnType::Text, ColumnType::Real, ColumnType::Integer]);
    /// assert_eq!(layer.features[1].values[1], FieldValue::Real(2.0));
    /// assert_eq!(layer.features[1].values[2], FieldValue::Null);
    /// ```
    pub fn from_geojson(name: &str, collection: &Value) -> Result<ExportLayer, ExportError> {
        let layer_error = |message: String| ExportError::Layer {
            layer: name.to_owned(),
            message,
        };
        let features = collection
            .get("features")
            .and_then(Value::as_array)
            .ok_or_else(|| layer_error("not a FeatureCollection".to_owned()))?;
        if features.len() > MAX_EXPORT_FEATURES {
            return Err(layer_error(format!(
                "{} features, more than the {MAX_EXPORT_FEATURES} one export holds",
                features.len()
            )));
        }
        let mut names: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for f in features {
            if let Some(Value::Object(p)) = f.get("properties") {
                for k in p.keys() {
                    if seen.insert(k.as_str()) {
                        names.push(k.clone());
                    }
                }
            }
        }
        // The code and the name first, as a reader scans a table; the rest as the
        // GeoJSON export orders them.
        names.sort_by_key(|n| match n.as_str() {
            "kode" => 0,
            "nama" => 1,
            _ => 2,
        });
        // An empty layer still has the code and the name, so that every format has at
        // least one field (GDAL does not open a CSV of the geometry column alone).
        if names.is_empty() {
            names = vec!["kode".to_owned(), "nama".to_owned()];
        }
        let columns: Vec<Column> = names
            .iter()
            .map(|n| Column {
                name: n.clone(),
                kind: column_type(
                    features
                        .iter()
                        .filter_map(|f| f.get("properties")?.get(n))
                        .filter(|v| !v.is_null()),
                ),
            })
            .collect();
        let mut out = Vec::with_capacity(features.len());
        for (i, f) in features.iter().enumerate() {
            let geometry = match f.get("geometry") {
                None | Some(Value::Null) => None,
                Some(g) => Some(promote(crate::geojson::geometry_from_json(g).map_err(
                    |e| ExportError::Feature {
                        layer: name.to_owned(),
                        feature: i,
                        field: "geometry".to_owned(),
                        message: e.join("; "),
                    },
                )?)),
            };
            let props = f.get("properties").and_then(Value::as_object);
            let values = columns
                .iter()
                .map(|c| field_value(props.and_then(|p| p.get(&c.name)), c.kind))
                .collect();
            out.push(ExportFeature { geometry, values });
        }
        Ok(ExportLayer {
            name: name.to_owned(),
            columns,
            features: out,
        })
    }

    /// The index of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// Single polygons and lines as their Multi forms, so that a layer has one geometry
/// type (the GeoJSON export writes a one-part MultiPolygon as a Polygon).
fn promote(g: Geometry<f64>) -> Geometry<f64> {
    match g {
        Geometry::Polygon(p) => Geometry::MultiPolygon(geo_types::MultiPolygon(vec![p])),
        Geometry::LineString(l) => Geometry::MultiLineString(geo_types::MultiLineString(vec![l])),
        other => other,
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

fn column_type<'a>(values: impl Iterator<Item = &'a Value>) -> ColumnType {
    let mut kind: Option<ColumnType> = None;
    for v in values {
        let this = match v {
            Value::Number(n) if n.is_i64() => ColumnType::Integer,
            Value::Number(_) => ColumnType::Real,
            Value::Bool(_) => ColumnType::Boolean,
            Value::String(s) if is_date(s) => ColumnType::Date,
            _ => return ColumnType::Text,
        };
        kind = Some(match (kind, this) {
            (None, t) => t,
            (Some(a), b) if a == b => a,
            (
                Some(ColumnType::Integer | ColumnType::Real),
                ColumnType::Integer | ColumnType::Real,
            ) => ColumnType::Real,
            _ => return ColumnType::Text,
        });
    }
    kind.unwrap_or(ColumnType::Text)
}

fn field_value(v: Option<&Value>, kind: ColumnType) -> FieldValue {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return FieldValue::Null;
    };
    match (kind, v) {
        (ColumnType::Integer, Value::Number(n)) => {
            n.as_i64().map_or(FieldValue::Null, FieldValue::Integer)
        }
        (ColumnType::Real, Value::Number(n)) => {
            n.as_f64().map_or(FieldValue::Null, FieldValue::Real)
        }
        (ColumnType::Boolean, Value::Bool(b)) => FieldValue::Boolean(*b),
        (ColumnType::Date, Value::String(s)) => FieldValue::Date(s.clone()),
        (_, Value::String(s)) => FieldValue::Text(s.clone()),
        (_, other) => FieldValue::Text(other.to_string()),
    }
}

/// A geometry as WKT (`MULTIPOLYGON (((x y, …)))`), coordinates in their shortest
/// round-trip form.
///
/// # Examples
/// ```
/// use geo_types::{Geometry, line_string};
/// let g = Geometry::LineString(line_string![(x: 111.5, y: -7.5), (x: 111.6, y: -7.5)]);
/// assert_eq!(kumuh_io::ekspor::wkt(&g), "LINESTRING (111.5 -7.5, 111.6 -7.5)");
/// ```
pub fn wkt(g: &Geometry<f64>) -> String {
    use geo_types::{LineString, Polygon};
    fn line(l: &LineString<f64>) -> String {
        let pts: Vec<String> = l.0.iter().map(|c| format!("{} {}", c.x, c.y)).collect();
        format!("({})", pts.join(", "))
    }
    fn poly(p: &Polygon<f64>) -> String {
        let rings: Vec<String> = std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(line)
            .collect();
        format!("({})", rings.join(", "))
    }
    fn list<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
        if items.is_empty() {
            return "EMPTY".to_owned();
        }
        format!("({})", items.iter().map(f).collect::<Vec<_>>().join(", "))
    }
    match g {
        Geometry::Point(p) => format!("POINT ({} {})", p.x(), p.y()),
        Geometry::MultiPoint(m) => format!(
            "MULTIPOINT {}",
            list(&m.0, |p| format!("({} {})", p.x(), p.y()))
        ),
        Geometry::LineString(l) => format!("LINESTRING {}", line(l)),
        Geometry::MultiLineString(m) => format!("MULTILINESTRING {}", list(&m.0, line)),
        Geometry::Polygon(p) => format!("POLYGON {}", poly(p)),
        Geometry::MultiPolygon(m) => format!("MULTIPOLYGON {}", list(&m.0, poly)),
        Geometry::GeometryCollection(c) => {
            format!("GEOMETRYCOLLECTION {}", list(&c.0, wkt))
        }
        Geometry::Line(l) => format!(
            "LINESTRING ({} {}, {} {})",
            l.start.x, l.start.y, l.end.x, l.end.y
        ),
        Geometry::Rect(r) => wkt(&Geometry::Polygon(r.to_polygon())),
        Geometry::Triangle(t) => wkt(&Geometry::Polygon(t.to_polygon())),
    }
}

#[cfg(test)]
mod tests;
