//! ESRI Shapefile out: `.shp`, `.shx`, `.dbf`, `.prj` (EPSG:4326) and `.cpg` (UTF-8),
//! zipped.
//!
//! One geometry type per Shapefile: a layer whose features are of one kind (polygons,
//! lines or points) is one Shapefile named after the layer; a layer of several kinds is
//! one Shapefile per kind in the same zip (`segmen_polygon`, `segmen_line`,
//! `segmen_point`). Features without geometry are null shapes in the first of them.
//!
//! DBF fields: names are ASCII letters, digits and `_` (anything else becomes `_`), cut
//! to 10 characters; a name already taken becomes its first 8 characters, `_` and a
//! digit (`luas_kum_1`, `luas_kum_2`, …), see [`dbf_field_names`]. Text is `C`, cut to
//! 254 bytes at a character boundary (the DBF limit); whole numbers `N` without
//! decimals; decimal numbers `F`; booleans `L`; dates `D`.

use std::io::Write;

use geo_types::{Coord, Geometry, LineString, Polygon};

use super::{ColumnType, ExportError, ExportLayer, FieldValue};

/// The `.prj` of EPSG:4326 in the ESRI dialect every GIS reads.
const PRJ_4326: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

/// The widest text a DBF `C` field holds, in bytes.
const MAX_TEXT_BYTES: usize = 254;

/// The DBF field names of `names`, in order: at most 10 ASCII characters, unique
/// (compared without case, as GIS tools do).
///
/// # Examples
/// ```
/// let names = ["prioritas", "luas_kumuh_ha", "luas_kumuh_rp", "luas_kumuh_x", "nama alt"];
/// assert_eq!(
///     kumuh_io::ekspor::dbf_field_names(&names),
///     ["prioritas", "luas_kumuh", "luas_kum_1", "luas_kum_2", "nama_alt"]
/// );
/// ```
pub fn dbf_field_names<S: AsRef<str>>(names: &[S]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(names.len());
    for n in names {
        let clean: String = n
            .as_ref()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let clean = if clean.is_empty() {
            "field".to_owned()
        } else {
            clean
        };
        let mut name: String = clean.chars().take(10).collect();
        let mut i = 1usize;
        while !taken.insert(name.to_ascii_lowercase()) {
            let suffix = format!("_{i}");
            let stem: String = clean.chars().take(10 - suffix.len()).collect();
            name = format!("{stem}{suffix}");
            i += 1;
        }
        out.push(name);
    }
    out
}

/// The kinds of Shapefile geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Polygon,
    Line,
    Point,
}

impl Kind {
    fn of(g: &Geometry<f64>) -> Option<Kind> {
        match g {
            Geometry::Polygon(_)
            | Geometry::MultiPolygon(_)
            | Geometry::Rect(_)
            | Geometry::Triangle(_) => Some(Kind::Polygon),
            Geometry::LineString(_) | Geometry::MultiLineString(_) | Geometry::Line(_) => {
                Some(Kind::Line)
            }
            Geometry::Point(_) | Geometry::MultiPoint(_) => Some(Kind::Point),
            Geometry::GeometryCollection(_) => None,
        }
    }

    fn shape_type(self) -> i32 {
        match self {
            Kind::Polygon => 5,
            Kind::Line => 3,
            Kind::Point => 8,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Kind::Polygon => "polygon",
            Kind::Line => "line",
            Kind::Point => "point",
        }
    }
}

/// The layer as a zip of Shapefiles (see the module's notes for names and types).
pub fn write_shapefile_zip(layer: &ExportLayer) -> Result<Vec<u8>, ExportError> {
    let mut groups: std::collections::BTreeMap<Kind, Vec<usize>> = Default::default();
    let mut no_geometry = Vec::new();
    for (i, f) in layer.features.iter().enumerate() {
        match &f.geometry {
            None => no_geometry.push(i),
            Some(g) => {
                let kind = Kind::of(g).ok_or_else(|| ExportError::Feature {
                    layer: layer.name.clone(),
                    feature: i,
                    field: "geometry".to_owned(),
                    message: "a GeometryCollection has no Shapefile type".to_owned(),
                })?;
                groups.entry(kind).or_default().push(i);
            }
        }
    }
    if groups.is_empty() {
        groups.insert(Kind::Polygon, Vec::new());
    }
    if let Some(first) = groups.values_mut().next() {
        first.extend(no_geometry);
        first.sort_unstable();
    }
    let several = groups.len() > 1;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let zip_error = |e: &dyn std::fmt::Display| ExportError::Layer {
        layer: layer.name.clone(),
        message: format!("writing the zip: {e}"),
    };
    for (kind, indices) in &groups {
        let base = if several {
            format!("{}_{}", layer.name, kind.suffix())
        } else {
            layer.name.clone()
        };
        let (shp, shx) = shp_shx(layer, *kind, indices)?;
        let dbf = dbf(layer, indices)?;
        for (ext, bytes) in [
            ("shp", shp),
            ("shx", shx),
            ("dbf", dbf),
            ("prj", PRJ_4326.as_bytes().to_vec()),
            ("cpg", b"UTF-8".to_vec()),
        ] {
            zip.start_file(format!("{base}.{ext}"), options)
                .map_err(|e| zip_error(&e))?;
            zip.write_all(&bytes).map_err(|e| zip_error(&e))?;
        }
    }
    let cursor = zip.finish().map_err(|e| zip_error(&e))?;
    Ok(cursor.into_inner())
}

/// Twice the signed area of a ring (positive when counter-clockwise).
fn signed_area2(ring: &LineString<f64>) -> f64 {
    ring.0
        .windows(2)
        .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
        .sum()
}

/// The ring's points, clockwise when `clockwise`, else counter-clockwise.
fn oriented(ring: &LineString<f64>, clockwise: bool) -> Vec<Coord<f64>> {
    let mut pts = ring.0.clone();
    if (signed_area2(ring) < 0.0) != clockwise {
        pts.reverse();
    }
    pts
}

/// The parts of a geometry as the Shapefile stores them: polygon exteriors clockwise and
/// holes counter-clockwise (the Shapefile rule, the reverse of RFC 7946's).
fn parts(g: &Geometry<f64>) -> Vec<Vec<Coord<f64>>> {
    let polygon = |p: &Polygon<f64>, out: &mut Vec<Vec<Coord<f64>>>| {
        out.push(oriented(p.exterior(), true));
        for h in p.interiors() {
            out.push(oriented(h, false));
        }
    };
    let mut out = Vec::new();
    match g {
        Geometry::Polygon(p) => polygon(p, &mut out),
        Geometry::MultiPolygon(m) => m.0.iter().for_each(|p| polygon(p, &mut out)),
        Geometry::Rect(r) => polygon(&r.to_polygon(), &mut out),
        Geometry::Triangle(t) => polygon(&t.to_polygon(), &mut out),
        Geometry::LineString(l) => out.push(l.0.clone()),
        Geometry::MultiLineString(m) => out.extend(m.0.iter().map(|l| l.0.clone())),
        Geometry::Line(l) => out.push(vec![l.start, l.end]),
        Geometry::Point(p) => out.push(vec![p.0]),
        Geometry::MultiPoint(m) => out.push(m.0.iter().map(|p| p.0).collect()),
        Geometry::GeometryCollection(_) => {}
    }
    out.retain(|p| !p.is_empty());
    out
}

fn bbox<'a>(coords: impl Iterator<Item = &'a Coord<f64>>) -> Option<[f64; 4]> {
    coords.fold(None, |b, c| {
        Some(match b {
            None => [c.x, c.y, c.x, c.y],
            Some([a, b, d, e]) => [a.min(c.x), b.min(c.y), d.max(c.x), e.max(c.y)],
        })
    })
}

fn header(shape_type: i32, file_words: i32, b: [f64; 4]) -> Vec<u8> {
    let mut h = Vec::with_capacity(100);
    h.extend_from_slice(&9994i32.to_be_bytes());
    h.extend_from_slice(&[0; 20]);
    h.extend_from_slice(&file_words.to_be_bytes());
    h.extend_from_slice(&1000i32.to_le_bytes());
    h.extend_from_slice(&shape_type.to_le_bytes());
    for v in b {
        h.extend_from_slice(&v.to_le_bytes());
    }
    h.extend_from_slice(&[0; 32]);
    h
}

/// The `.shp` and `.shx` of the features at `indices`.
fn shp_shx(
    layer: &ExportLayer,
    kind: Kind,
    indices: &[usize],
) -> Result<(Vec<u8>, Vec<u8>), ExportError> {
    let too_big = || ExportError::Layer {
        layer: layer.name.clone(),
        message: "more than the 2 GiB a Shapefile can hold".to_owned(),
    };
    let mut records = Vec::new();
    let mut index = Vec::with_capacity(indices.len() * 8);
    let mut extent: Option<[f64; 4]> = None;
    for (n, &i) in indices.iter().enumerate() {
        let ps = layer.features[i]
            .geometry
            .as_ref()
            .map(parts)
            .unwrap_or_default();
        let mut content = Vec::new();
        match bbox(ps.iter().flatten()) {
            None => content.extend_from_slice(&0i32.to_le_bytes()),
            Some(b) => {
                extent = Some(match extent {
                    None => b,
                    Some(e) => [
                        e[0].min(b[0]),
                        e[1].min(b[1]),
                        e[2].max(b[2]),
                        e[3].max(b[3]),
                    ],
                });
                content.extend_from_slice(&kind.shape_type().to_le_bytes());
                for v in b {
                    content.extend_from_slice(&v.to_le_bytes());
                }
                let points: usize = ps.iter().map(Vec::len).sum();
                if kind != Kind::Point {
                    let n_parts = i32::try_from(ps.len()).map_err(|_| too_big())?;
                    content.extend_from_slice(&n_parts.to_le_bytes());
                }
                let n_points = i32::try_from(points).map_err(|_| too_big())?;
                content.extend_from_slice(&n_points.to_le_bytes());
                if kind != Kind::Point {
                    let mut start = 0i32;
                    for p in &ps {
                        content.extend_from_slice(&start.to_le_bytes());
                        start += i32::try_from(p.len()).map_err(|_| too_big())?;
                    }
                }
                for c in ps.iter().flatten() {
                    content.extend_from_slice(&c.x.to_le_bytes());
                    content.extend_from_slice(&c.y.to_le_bytes());
                }
            }
        }
        let offset_words = i32::try_from((100 + records.len()) / 2).map_err(|_| too_big())?;
        let content_words = i32::try_from(content.len() / 2).map_err(|_| too_big())?;
        let number = i32::try_from(n + 1).map_err(|_| too_big())?;
        records.extend_from_slice(&number.to_be_bytes());
        records.extend_from_slice(&content_words.to_be_bytes());
        records.extend_from_slice(&content);
        index.extend_from_slice(&offset_words.to_be_bytes());
        index.extend_from_slice(&content_words.to_be_bytes());
    }
    let extent = extent.unwrap_or([0.0; 4]);
    let shp_words = i32::try_from((100 + records.len()) / 2).map_err(|_| too_big())?;
    let shx_words = i32::try_from((100 + index.len()) / 2).map_err(|_| too_big())?;
    let mut shp = header(kind.shape_type(), shp_words, extent);
    shp.extend_from_slice(&records);
    let mut shx = header(kind.shape_type(), shx_words, extent);
    shx.extend_from_slice(&index);
    Ok((shp, shx))
}

/// `s` cut to at most `max` bytes at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// How each column is stored: its DBF type, width and decimals, and each value's text.
fn dbf_column(
    layer: &ExportLayer,
    col: usize,
    indices: &[usize],
) -> (u8, usize, usize, Vec<String>) {
    let values = indices.iter().map(|&i| &layer.features[i].values[col]);
    match layer.columns[col].kind {
        ColumnType::Integer => {
            let texts: Vec<String> = values
                .map(|v| match v {
                    FieldValue::Integer(i) => i.to_string(),
                    _ => String::new(),
                })
                .collect();
            let width = texts
                .iter()
                .map(String::len)
                .max()
                .unwrap_or(1)
                .clamp(1, 20);
            (b'N', width, 0, texts)
        }
        ColumnType::Real => {
            let reals: Vec<Option<f64>> = values
                .map(|v| match v {
                    FieldValue::Real(r) if r.is_finite() => Some(*r),
                    FieldValue::Integer(i) => Some(*i as f64),
                    _ => None,
                })
                .collect();
            // As many decimals as the shortest form of any value needs, so that what is
            // read back is what was written, within the 24 characters GIS tools read.
            let mut decimals = reals
                .iter()
                .flatten()
                .map(|r| r.to_string().split_once('.').map_or(0, |(_, d)| d.len()))
                .max()
                .unwrap_or(0)
                .min(15);
            loop {
                let width = reals
                    .iter()
                    .flatten()
                    .map(|r| format!("{r:.decimals$}").len())
                    .max()
                    .unwrap_or(1);
                if width <= 24 || decimals == 0 {
                    let texts = reals
                        .iter()
                        .map(|r| r.map(|r| format!("{r:.decimals$}")).unwrap_or_default())
                        .collect();
                    return (b'F', width.clamp(1, 24), decimals, texts);
                }
                decimals -= 1;
            }
        }
        ColumnType::Boolean => {
            let texts = values
                .map(|v| match v {
                    FieldValue::Boolean(true) => "T".to_owned(),
                    FieldValue::Boolean(false) => "F".to_owned(),
                    _ => "?".to_owned(),
                })
                .collect();
            (b'L', 1, 0, texts)
        }
        ColumnType::Date => {
            let texts = values
                .map(|v| match v {
                    FieldValue::Date(d) => d.replace('-', ""),
                    _ => String::new(),
                })
                .collect();
            (b'D', 8, 0, texts)
        }
        ColumnType::Text => {
            let texts: Vec<String> = values
                .map(|v| cut(&v.text(), MAX_TEXT_BYTES).to_owned())
                .collect();
            let width = texts
                .iter()
                .map(String::len)
                .max()
                .unwrap_or(1)
                .clamp(1, 254);
            (b'C', width, 0, texts)
        }
    }
}

/// The `.dbf` of the features at `indices`, text in UTF-8. A DBF holds at most 255
/// fields of at most 65,535 bytes a record; a wider layer is refused, naming the sizes.
fn dbf(layer: &ExportLayer, indices: &[usize]) -> Result<Vec<u8>, ExportError> {
    let names = dbf_field_names(&layer.columns.iter().map(|c| &c.name).collect::<Vec<_>>());
    let cols: Vec<_> = (0..layer.columns.len())
        .map(|c| dbf_column(layer, c, indices))
        .collect();
    let record_len = 1 + cols.iter().map(|c| c.1).sum::<usize>();
    let header_len = 32 + 32 * cols.len() + 1;
    let too_wide = |message: String| ExportError::Layer {
        layer: layer.name.clone(),
        message,
    };
    if cols.len() > 255 {
        return Err(too_wide(format!(
            "{} fields; a Shapefile's DBF holds at most 255 (export GeoPackage or FlatGeobuf instead)",
            cols.len()
        )));
    }
    let (Ok(header_len_u16), Ok(record_len_u16)) =
        (u16::try_from(header_len), u16::try_from(record_len))
    else {
        return Err(too_wide(format!(
            "a record of {record_len} bytes; a Shapefile's DBF holds at most 65,535 (export GeoPackage or FlatGeobuf instead)"
        )));
    };
    let records = u32::try_from(indices.len())
        .map_err(|_| too_wide("more records than a DBF counts".to_owned()))?;
    let mut out = Vec::with_capacity(header_len + record_len * indices.len() + 1);
    out.push(0x03);
    // The date of last update: the format's epoch is 1900; a fixed date keeps exports
    // of the same data byte for byte the same.
    out.extend_from_slice(&[100, 1, 1]);
    out.extend_from_slice(&records.to_le_bytes());
    out.extend_from_slice(&header_len_u16.to_le_bytes());
    out.extend_from_slice(&record_len_u16.to_le_bytes());
    out.extend_from_slice(&[0; 20]);
    for (name, (kind, width, decimals, _)) in names.iter().zip(&cols) {
        let mut field = [0u8; 32];
        field[..name.len()].copy_from_slice(name.as_bytes());
        field[11] = *kind;
        field[16] = u8::try_from(*width).unwrap_or(u8::MAX);
        field[17] = u8::try_from(*decimals).unwrap_or(0);
        out.extend_from_slice(&field);
    }
    out.push(0x0d);
    for row in 0..indices.len() {
        out.push(b' ');
        for (kind, width, _, texts) in &cols {
            let t = texts[row].as_bytes();
            let pad = width.saturating_sub(t.len());
            if *kind == b'C' || *kind == b'D' || *kind == b'L' {
                out.extend_from_slice(&t[..t.len().min(*width)]);
                out.extend(std::iter::repeat_n(b' ', pad));
            } else {
                // Numbers are right-aligned.
                out.extend(std::iter::repeat_n(b' ', pad));
                out.extend_from_slice(&t[..t.len().min(*width)]);
            }
        }
    }
    out.push(0x1a);
    Ok(out)
}
