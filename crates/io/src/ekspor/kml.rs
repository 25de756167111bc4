//! KML out: one `Placemark` per feature, named by its `nama` (else its `kode`), with a
//! `description` of its code and level or desa, and every field as `SimpleData` under
//! a `Schema` that types it, as GDAL and Google Earth read it.

use std::fmt::Write as _;

use geo_types::{Geometry, LineString, Polygon};

use super::{ColumnType, ExportError, ExportLayer, FieldValue};

/// Text with `&`, `<`, `>` and quotes escaped for XML, and characters XML 1.0 cannot
/// hold dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn coordinates(out: &mut String, l: &LineString<f64>) {
    out.push_str("<coordinates>");
    for (i, c) in l.0.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{},{}", c.x, c.y);
    }
    out.push_str("</coordinates>");
}

fn polygon(out: &mut String, p: &Polygon<f64>) {
    out.push_str("<Polygon><outerBoundaryIs><LinearRing>");
    coordinates(out, p.exterior());
    out.push_str("</LinearRing></outerBoundaryIs>");
    for h in p.interiors() {
        out.push_str("<innerBoundaryIs><LinearRing>");
        coordinates(out, h);
        out.push_str("</LinearRing></innerBoundaryIs>");
    }
    out.push_str("</Polygon>");
}

fn geometry(out: &mut String, g: &Geometry<f64>) {
    match g {
        Geometry::Point(p) => {
            let _ = write!(
                out,
                "<Point><coordinates>{},{}</coordinates></Point>",
                p.x(),
                p.y()
            );
        }
        Geometry::LineString(l) => {
            out.push_str("<LineString>");
            coordinates(out, l);
            out.push_str("</LineString>");
        }
        Geometry::Polygon(p) => polygon(out, p),
        Geometry::MultiPoint(m) => {
            out.push_str("<MultiGeometry>");
            m.0.iter().for_each(|p| geometry(out, &Geometry::Point(*p)));
            out.push_str("</MultiGeometry>");
        }
        Geometry::MultiLineString(m) => {
            out.push_str("<MultiGeometry>");
            m.0.iter()
                .for_each(|l| geometry(out, &Geometry::LineString(l.clone())));
            out.push_str("</MultiGeometry>");
        }
        Geometry::MultiPolygon(m) => {
            out.push_str("<MultiGeometry>");
            m.0.iter().for_each(|p| polygon(out, p));
            out.push_str("</MultiGeometry>");
        }
        Geometry::GeometryCollection(c) => {
            out.push_str("<MultiGeometry>");
            c.0.iter().for_each(|g| geometry(out, g));
            out.push_str("</MultiGeometry>");
        }
        Geometry::Line(l) => geometry(out, &Geometry::LineString(LineString(vec![l.start, l.end]))),
        Geometry::Rect(r) => polygon(out, &r.to_polygon()),
        Geometry::Triangle(t) => polygon(out, &t.to_polygon()),
    }
}

/// The layer as a KML document.
pub fn write_kml(layer: &ExportLayer) -> Result<Vec<u8>, ExportError> {
    let schema = escape(&layer.name);
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>");
    let _ = write!(out, "<name>{schema}</name>");
    let _ = write!(out, "<Schema name=\"{schema}\" id=\"{schema}\">");
    for c in &layer.columns {
        let kind = match c.kind {
            ColumnType::Integer => "int",
            ColumnType::Real => "double",
            ColumnType::Boolean => "bool",
            ColumnType::Text | ColumnType::Date => "string",
        };
        let _ = write!(
            out,
            "<SimpleField name=\"{}\" type=\"{kind}\"></SimpleField>",
            escape(&c.name)
        );
    }
    out.push_str("</Schema>");
    let _ = writeln!(out, "<Folder><name>{schema}</name>");
    let name_col = layer.column("nama").or_else(|| layer.column("kode"));
    let described: Vec<usize> = ["kode", "level", "kode_desa", "jenis"]
        .iter()
        .filter_map(|n| layer.column(n))
        .collect();
    for f in &layer.features {
        out.push_str("<Placemark>");
        if let Some(v) = name_col.map(|c| &f.values[c])
            && *v != FieldValue::Null
        {
            let _ = write!(out, "<name>{}</name>", escape(&v.text()));
        }
        let description: Vec<String> = described
            .iter()
            .filter(|&&c| f.values[c] != FieldValue::Null)
            .map(|&c| format!("{}: {}", layer.columns[c].name, f.values[c].text()))
            .collect();
        if !description.is_empty() {
            let _ = write!(
                out,
                "<description>{}</description>",
                escape(&description.join(", "))
            );
        }
        let _ = write!(out, "<ExtendedData><SchemaData schemaUrl=\"#{schema}\">");
        for (c, v) in layer.columns.iter().zip(&f.values) {
            if *v == FieldValue::Null {
                continue;
            }
            let text = match v {
                FieldValue::Boolean(b) => u8::from(*b).to_string(),
                other => other.text(),
            };
            let _ = write!(
                out,
                "<SimpleData name=\"{}\">{}</SimpleData>",
                escape(&c.name),
                escape(&text)
            );
        }
        out.push_str("</SchemaData></ExtendedData>");
        if let Some(g) = &f.geometry {
            geometry(&mut out, g);
        }
        out.push_str("</Placemark>\n");
    }
    out.push_str("</Folder></Document></kml>\n");
    Ok(out.into_bytes())
}
