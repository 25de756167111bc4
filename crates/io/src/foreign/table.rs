//! CSV tables with geometry: a WKT column (`WKT`, `geometry`, `geom`, `the_geom`, as
//! `ogr2ogr -lco GEOMETRY=AS_WKT` and QGIS write it) or longitude and latitude columns
//! (`lon`/`lng`/`longitude`/`x` with `lat`/`latitude`/`y`). Every other column is a
//! text property.

use kumuh_domain::geometry::MAX_VERTICES_IMPORTED;
use serde_json::{Map, Value, json};

/// A feature read, or the field and message of its problem.
pub(crate) type Read = Result<Value, (String, String)>;

const WKT_COLUMNS: &[&str] = &["wkt", "geometry", "geom", "the_geom", "wkt_geom", "shape"];
const LON_COLUMNS: &[&str] = &["lon", "lng", "long", "longitude", "x", "bujur"];
const LAT_COLUMNS: &[&str] = &["lat", "latitude", "y", "lintang"];

/// Reads the table: its header and one feature per record.
pub(crate) fn read(text: &str, max_features: usize) -> Result<(Vec<String>, Vec<Read>), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = match text.lines().next() {
        Some(h) if h.matches(';').count() > h.matches(',').count() => b';',
        _ => b',',
    };
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = csv
        .headers()
        .map_err(|e| format!("not a CSV table: {e}"))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.contains(&h.to_ascii_lowercase().as_str()))
    };
    let wkt = find(WKT_COLUMNS);
    let lonlat = find(LON_COLUMNS).zip(find(LAT_COLUMNS));
    if wkt.is_none() && lonlat.is_none() {
        return Err(format!(
            "no geometry column: expected a WKT column ({}) or longitude and latitude columns; the columns are {}",
            WKT_COLUMNS.join(", "),
            header.join(", ")
        ));
    }
    let mut out = Vec::new();
    for record in csv.records() {
        if out.len() >= max_features {
            return Err(format!("more than {max_features} rows"));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.push(Err(("-".to_owned(), e.to_string())));
                continue;
            }
        };
        let mut props = Map::new();
        let mut problem = None;
        for (i, name) in header.iter().enumerate() {
            if Some(i) == wkt || lonlat.is_some_and(|(x, y)| i == x || i == y) {
                continue;
            }
            let v = record.get(i).unwrap_or("").trim();
            if let Some(c) = crate::text::control_character(v) {
                problem = Some((name.clone(), crate::text::describe_control(c)));
            }
            props.insert(
                name.clone(),
                if v.is_empty() {
                    Value::Null
                } else {
                    Value::String(v.to_owned())
                },
            );
        }
        let geometry = match (wkt, lonlat) {
            (Some(w), _) => {
                let field = header[w].clone();
                match record.get(w).map(str::trim).filter(|s| !s.is_empty()) {
                    None => Ok(Value::Null),
                    Some(t) => parse_wkt(t).map_err(|m| (field, m)),
                }
            }
            (None, Some((x, y))) => {
                let num = |i: usize| {
                    let t = record.get(i).unwrap_or("").trim();
                    t.replace(',', ".")
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| (header[i].clone(), format!("`{t}` is not a number")))
                };
                num(x).and_then(|x| num(y).map(|y| json!({"type": "Point", "coordinates": [x, y]})))
            }
            (None, None) => Ok(Value::Null),
        };
        out.push(match (problem, geometry) {
            (Some(p), _) | (None, Err(p)) => Err(p),
            (None, Ok(g)) => Ok(json!({"type": "Feature", "properties": props, "geometry": g})),
        });
    }
    Ok((header, out))
}

/// WKT geometry (`POINT`, `LINESTRING`, `POLYGON` and their `MULTI` forms, with
/// optional `Z`/`M`, whose extra ordinates are dropped) as a GeoJSON geometry value.
///
/// # Examples
/// ```
/// let g = kumuh_io::foreign::parse_wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))").unwrap();
/// assert_eq!(g["type"], "Polygon");
/// assert_eq!(g["coordinates"][0][1], serde_json::json!([1.0, 0.0]));
/// ```
pub fn parse_wkt(text: &str) -> Result<Value, String> {
    let upper = text.trim().to_ascii_uppercase();
    let open = upper
        .find('(')
        .ok_or_else(|| format!("`{}` is not WKT geometry", short(text)))?;
    let head: Vec<&str> = upper[..open].split_whitespace().collect();
    let kind = *head
        .first()
        .ok_or_else(|| "WKT without a geometry type".to_owned())?;
    let body = &upper[open..];
    let mut vertices = 0usize;
    let mut p = WktParser {
        s: body.as_bytes(),
        i: 0,
        vertices: &mut vertices,
    };
    let (depth, name) = match kind {
        "POINT" => (1, "Point"),
        "LINESTRING" => (2, "LineString"),
        "POLYGON" | "MULTIPOINT" | "MULTILINESTRING" => (
            if kind == "MULTIPOINT" { 2 } else { 3 },
            match kind {
                "POLYGON" => "Polygon",
                "MULTIPOINT" => "MultiPoint",
                _ => "MultiLineString",
            },
        ),
        "MULTIPOLYGON" => (4, "MultiPolygon"),
        other => {
            return Err(format!(
                "WKT type `{other}` is not a point, line or polygon"
            ));
        }
    };
    let mut coords = p.nested(depth)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(format!(
            "unexpected text after the WKT geometry at character {}",
            open + p.i
        ));
    }
    if name == "Point" {
        coords = coords
            .as_array()
            .and_then(|a| a.first())
            .cloned()
            .unwrap_or(Value::Null);
    }
    Ok(json!({"type": name, "coordinates": coords}))
}

fn short(t: &str) -> String {
    t.chars().take(40).collect()
}

struct WktParser<'a> {
    s: &'a [u8],
    i: usize,
    vertices: &'a mut usize,
}

impl WktParser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        self.ws();
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!(
                "expected `{}` at character {} of the WKT",
                c as char, self.i
            ))
        }
    }

    /// `depth` 1: `(x y, x y)` as a list of positions; deeper: lists of those.
    fn nested(&mut self, depth: usize) -> Result<Value, String> {
        self.expect(b'(')?;
        let mut items = Vec::new();
        loop {
            self.ws();
            if depth == 1 {
                items.push(self.position()?);
            } else {
                // MULTIPOINT may write its points without parentheses.
                if depth == 2 && self.s.get(self.i) != Some(&b'(') {
                    items.push(self.position()?);
                } else {
                    items.push(self.nested(depth - 1)?);
                }
            }
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b')') => {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                _ => {
                    return Err(format!(
                        "expected `,` or `)` at character {} of the WKT",
                        self.i
                    ));
                }
            }
        }
    }

    fn position(&mut self) -> Result<Value, String> {
        *self.vertices += 1;
        if *self.vertices > MAX_VERTICES_IMPORTED {
            return Err(format!(
                "more than the {MAX_VERTICES_IMPORTED} vertices an import takes"
            ));
        }
        let mut ords = Vec::new();
        loop {
            self.ws();
            let start = self.i;
            while self
                .s
                .get(self.i)
                .is_some_and(|c| c.is_ascii_digit() || b"+-.E".contains(c))
            {
                self.i += 1;
            }
            if start == self.i {
                break;
            }
            let t = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
            let v: f64 = t.parse().map_err(|_| format!("`{t}` is not a number"))?;
            if !v.is_finite() {
                return Err(format!("`{t}` is not a finite number"));
            }
            ords.push(v);
        }
        match ords.as_slice() {
            [x, y, ..] => Ok(json!([x, y])),
            _ => Err(format!(
                "a position needs two numbers at character {} of the WKT",
                self.i
            )),
        }
    }
}
