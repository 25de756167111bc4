//! Every other vector source GDAL's OGR reads (MapInfo TAB and MIF, GML, DXF, GPX,
//! OpenDocument and Excel sheets with geometry, ...), with the `gdal` feature. The
//! formats Kumuh reads itself (GeoJSON, Shapefile, KML, FlatGeobuf, CSV, GeoPackage)
//! keep their own readers, so a build with or without the feature reads them alike.
//!
//! A layer whose system Kumuh knows (by its EPSG code or its WKT) keeps the file's
//! coordinates and that system, as every other format does; any other system GDAL knows
//! is brought to EPSG:4326 by GDAL (PROJ) while reading.

use std::path::Path;

use gdal::Dataset;
use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use gdal::vector::{FieldValue, LayerAccess};
use serde_json::{Map, Value, json};

use super::{Crs, Layer, MAX_FEATURES, MAX_FILE_BYTES, OWN_FORMATS, error};
use crate::geojson::ImportError;

/// The name of a path GDAL may open: a local file, never a network URL or a `/vsi`
/// path, which GDAL would follow.
pub(crate) fn local_name(path: &Path) -> Result<String, String> {
    let name = path.display().to_string();
    if name.starts_with("/vsi") || name.contains("://") {
        return Err(format!("{name}: only local files are read"));
    }
    Ok(name)
}

/// Opens `path` as an OGR vector source (a local file, [`local_name`]), refusing one
/// larger than [`MAX_FILE_BYTES`].
fn open(path: &Path) -> Result<Dataset, String> {
    let name = local_name(path)?;
    let size = std::fs::metadata(path)
        .map_err(|e| format!("reading {name}: {e}"))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "{name} is larger than {} MiB",
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    let options = gdal::DatasetOptions {
        open_flags: gdal::GdalOpenFlags::GDAL_OF_VECTOR | gdal::GdalOpenFlags::GDAL_OF_READONLY,
        ..Default::default()
    };
    Dataset::open_ex(path, options).map_err(|e| {
        format!("not a format Kumuh reads ({OWN_FORMATS}), nor a vector format GDAL knows ({e})")
    })
}

/// The names of the layers of an OGR vector source.
pub fn layers(path: &Path) -> Result<Vec<String>, ImportError> {
    let file = path.display().to_string();
    let ds = open(path).map_err(|m| error(&file, "-", m))?;
    Ok(ds.layers().map(|l| l.name()).collect())
}

/// Reads layer `layer` of an OGR vector source (its only layer without a name; a
/// source with several names them in the error).
pub fn read(path: &Path, layer: Option<&str>) -> Result<Layer, ImportError> {
    let file = path.display().to_string();
    let fail = |m: String| error(&file, "-", m);
    let ds = open(path).map_err(fail)?;
    let names: Vec<String> = ds.layers().map(|l| l.name()).collect();
    let mut source = match (layer, names.len()) {
        (_, 0) => return Err(fail("holds no vector layer".to_owned())),
        (None, 1) => ds.layer(0).map_err(|e| fail(e.to_string()))?,
        (None, _) => {
            return Err(error(
                &file,
                "layer",
                format!(
                    "holds {} layers; choose one with --layer: {}",
                    names.len(),
                    names.join(", ")
                ),
            ));
        }
        (Some(name), _) => ds.layer_by_name(name).map_err(|_| {
            error(
                &file,
                "layer",
                format!("has no layer `{name}`; its layers: {}", names.join(", ")),
            )
        })?,
    };
    let (crs, transform) = system(source.spatial_ref()).map_err(|m| error(&file, "crs", m))?;
    let fields: Vec<String> = source.defn().fields().map(|f| f.name()).collect();
    let mut out = Layer {
        fields: fields.clone(),
        crs,
        ..Layer::default()
    };
    for (index, feature) in source.features().enumerate() {
        if index >= MAX_FEATURES {
            return Err(fail(format!("holds more than {MAX_FEATURES} features")));
        }
        let mut properties = Map::new();
        for (n, name) in fields.iter().enumerate() {
            let value = feature.field(n).ok().flatten().map_or(Value::Null, value);
            properties.insert(name.clone(), value);
        }
        let geometry = match feature.geometry() {
            None => Ok(Value::Null),
            Some(g) => {
                let projected = match &transform {
                    Some(t) => g.transform(t).map_err(|e| {
                        (
                            "geometry".to_owned(),
                            format!("cannot be reprojected ({e})"),
                        )
                    }),
                    None => Ok(g.clone()),
                };
                projected.and_then(|g| {
                    g.json()
                        .ok()
                        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                        .ok_or_else(|| {
                            (
                                "geometry".to_owned(),
                                format!("a {} GDAL cannot write as GeoJSON", g.geometry_name()),
                            )
                        })
                })
            }
        };
        out.push(
            index,
            geometry.map(|g| json!({"type": "Feature", "properties": properties, "geometry": g})),
        );
    }
    Ok(out)
}

/// The system of a layer as Kumuh's own where it knows it, else EPSG:4326 with GDAL's
/// transformation to it; no system where the file names none.
fn system(srs: Option<SpatialRef>) -> Result<(Option<Crs>, Option<CoordTransform>), String> {
    let Some(srs) = srs else {
        return Ok((None, None));
    };
    let own = srs
        .auth_code()
        .ok()
        .and_then(|c| u32::try_from(c).ok())
        .and_then(Crs::from_epsg)
        .or_else(|| srs.to_wkt().ok().and_then(|w| Crs::from_wkt(&w).ok()));
    if let Some(crs) = own {
        return Ok((Some(crs), None));
    }
    let mut from = srs;
    from.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let mut to = SpatialRef::from_epsg(4326).map_err(|e| e.to_string())?;
    to.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let name = from.name().unwrap_or_else(|| "its system".to_owned());
    let transform = CoordTransform::new(&from, &to)
        .map_err(|e| format!("{name} cannot be brought to EPSG:4326 ({e})"))?;
    Ok((Some(Crs::LonLat), Some(transform)))
}

/// A field's value as JSON: numbers as numbers, dates as ISO 8601 text.
fn value(v: FieldValue) -> Value {
    match v {
        FieldValue::IntegerValue(i) => json!(i),
        FieldValue::Integer64Value(i) => json!(i),
        FieldValue::RealValue(r) => json!(r),
        FieldValue::StringValue(s) => json!(s),
        FieldValue::IntegerListValue(l) => json!(l),
        FieldValue::Integer64ListValue(l) => json!(l),
        FieldValue::RealListValue(l) => json!(l),
        FieldValue::StringListValue(l) => json!(l),
        // `2024-01-31`, and `2024-01-31T08:30:00+07:00`.
        FieldValue::DateValue(d) => json!(d.to_string()),
        FieldValue::DateTimeValue(d) => json!(format!("{:?}{}", d.naive_local(), d.offset())),
    }
}
