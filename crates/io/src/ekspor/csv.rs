//! CSV out: a `WKT` column with the geometry, then every field; text cells through the
//! formula guard ([`crate::text::csv_text`]).

use super::{ExportError, ExportLayer, FieldValue, wkt};

/// The layer as CSV: a header row (`WKT` and the field names), then one row per
/// feature (an empty `WKT` for a feature without geometry).
pub fn write_csv(layer: &ExportLayer) -> Result<Vec<u8>, ExportError> {
    let fail = |e: csv::Error| ExportError::Layer {
        layer: layer.name.clone(),
        message: format!("writing CSV: {e}"),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["WKT".to_owned()];
    header.extend(
        layer
            .columns
            .iter()
            .map(|c| crate::text::csv_text(&c.name).into_owned()),
    );
    w.write_record(&header).map_err(fail)?;
    for f in &layer.features {
        let mut row = Vec::with_capacity(layer.columns.len() + 1);
        row.push(f.geometry.as_ref().map(wkt).unwrap_or_default());
        for v in &f.values {
            row.push(match v {
                FieldValue::Text(t) => crate::text::csv_text(t).into_owned(),
                other => other.text(),
            });
        }
        w.write_record(&row).map_err(fail)?;
    }
    w.into_inner().map_err(|e| ExportError::Layer {
        layer: layer.name.clone(),
        message: format!("writing CSV: {e}"),
    })
}
