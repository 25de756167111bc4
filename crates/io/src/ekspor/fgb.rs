//! FlatGeobuf out, through the `flatgeobuf` crate (BSD-2-Clause): EPSG:4326 in the
//! header, one typed column per field, features in Hilbert order with the packed
//! R-tree index, so that a reader can fetch a bounding box without reading the file.

use flatgeobuf::{ColumnType as FgbType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
use geo_types::Geometry;
use geozero::{ColumnValue, FeatureProcessor, PropertyProcessor};

use super::{ColumnType, ExportError, ExportLayer, FieldValue};

/// The header's geometry type: the Multi form of the one kind every feature has, else
/// `Unknown` (each feature then says its own).
fn geometry_type(layer: &ExportLayer) -> GeometryType {
    let mut kinds = layer.features.iter().filter_map(|f| {
        Some(match f.geometry.as_ref()? {
            Geometry::Polygon(_) | Geometry::MultiPolygon(_) => GeometryType::MultiPolygon,
            Geometry::LineString(_) | Geometry::MultiLineString(_) => GeometryType::MultiLineString,
            Geometry::Point(_) | Geometry::MultiPoint(_) => GeometryType::MultiPoint,
            _ => GeometryType::Unknown,
        })
    });
    let first = kinds.next().unwrap_or(GeometryType::Unknown);
    if kinds.all(|k| k == first) {
        first
    } else {
        GeometryType::Unknown
    }
}

/// Writes one value; `Null` is left out, as FlatGeobuf marks a missing value.
fn property(
    p: &mut impl PropertyProcessor,
    i: usize,
    name: &str,
    v: &FieldValue,
) -> geozero::error::Result<()> {
    let value = match v {
        FieldValue::Null => return Ok(()),
        FieldValue::Text(s) => ColumnValue::String(s),
        FieldValue::Date(s) => ColumnValue::DateTime(s),
        FieldValue::Integer(n) => ColumnValue::Long(*n),
        FieldValue::Real(r) => ColumnValue::Double(*r),
        FieldValue::Boolean(b) => ColumnValue::Bool(*b),
    };
    p.property(i, name, &value).map(|_| ())
}

/// The layer as a FlatGeobuf file.
pub fn write_fgb(layer: &ExportLayer) -> Result<Vec<u8>, ExportError> {
    let fail = |feature: Option<usize>, e: &dyn std::fmt::Display| match feature {
        Some(feature) => ExportError::Feature {
            layer: layer.name.clone(),
            feature,
            field: "geometry".to_owned(),
            message: format!("writing FlatGeobuf: {e}"),
        },
        None => ExportError::Layer {
            layer: layer.name.clone(),
            message: format!("writing FlatGeobuf: {e}"),
        },
    };
    let options = FgbWriterOptions {
        // A packed R-tree of no features cannot be built (GDAL refuses the file).
        write_index: !layer.features.is_empty(),
        crs: FgbCrs {
            code: 4326,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut fgb = FgbWriter::create_with_options(&layer.name, geometry_type(layer), options)
        .map_err(|e| fail(None, &e))?;
    for c in &layer.columns {
        let kind = match c.kind {
            ColumnType::Text => FgbType::String,
            ColumnType::Integer => FgbType::Long,
            ColumnType::Real => FgbType::Double,
            ColumnType::Boolean => FgbType::Bool,
            ColumnType::Date => FgbType::DateTime,
        };
        fgb.add_column(&c.name, kind, |_, col| col.nullable = true);
    }
    for (i, f) in layer.features.iter().enumerate() {
        let mut written = Ok(());
        let properties =
            |p: &mut dyn FnMut(usize, &str, &FieldValue) -> geozero::error::Result<()>| {
                layer
                    .columns
                    .iter()
                    .zip(&f.values)
                    .enumerate()
                    .try_for_each(|(n, (c, v))| p(n, &c.name, v))
            };
        match &f.geometry {
            Some(g) => fgb
                .add_feature_geom(g.clone(), |w| {
                    written = properties(&mut |n, name, v| property(w, n, name, v));
                })
                .map_err(|e| fail(Some(i), &e))?,
            None => {
                written = properties(&mut |n, name, v| property(&mut fgb, n, name, v));
                fgb.feature_end(i as u64).map_err(|e| fail(Some(i), &e))?;
            }
        }
        written.map_err(|e| fail(Some(i), &e))?;
    }
    let mut out = Vec::new();
    fgb.write(&mut out).map_err(|e| fail(None, &e))?;
    Ok(out)
}
