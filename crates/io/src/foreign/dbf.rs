//! dBASE tables (`.dbf`), the attributes of a Shapefile: text in the code page its
//! `.cpg` names, else Windows-1252 (a superset of Latin-1, what ArcGIS and QGIS write
//! when they name none).

use encoding_rs::Encoding;
use serde_json::{Map, Number, Value};

/// A field of the table.
#[derive(Debug, Clone, PartialEq)]
struct Field {
    name: String,
    kind: u8,
    len: usize,
    offset: usize,
}

/// A table read whole: field names in file order, and each record's values (`None` for
/// a record marked deleted).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub fields: Vec<String>,
    pub records: Vec<Option<Map<String, Value>>>,
}

/// The encoding a `.cpg` names (`UTF-8`, `1252`, `ISO-8859-1`, ...).
pub(crate) fn encoding_for_cpg(cpg: &str) -> Result<&'static Encoding, String> {
    let label = cpg.trim();
    let by_number = match label {
        "65001" => Some(encoding_rs::UTF_8),
        "1252" | "88591" | "8859_1" => Some(encoding_rs::WINDOWS_1252),
        "874" => Some(encoding_rs::WINDOWS_874),
        "1250" => Some(encoding_rs::WINDOWS_1250),
        "1251" => Some(encoding_rs::WINDOWS_1251),
        "936" => Some(encoding_rs::GBK),
        _ => None,
    };
    by_number
        .or_else(|| Encoding::for_label(label.as_bytes()))
        .or_else(|| {
            label
                .strip_prefix("CP")
                .and_then(|n| Encoding::for_label(format!("windows-{n}").as_bytes()))
        })
        .ok_or_else(|| format!("the .cpg names code page `{label}`, which Kumuh cannot read"))
}

/// Reads a whole table. Errors name the record (0-based) and field.
pub(crate) fn read(
    bytes: &[u8],
    encoding: &'static Encoding,
) -> Result<Table, (Option<usize>, String, String)> {
    let head = |m: &str| (None, "-".to_owned(), m.to_owned());
    if bytes.len() < 32 {
        return Err(head("not a dBASE table: shorter than its 32-byte header"));
    }
    let count = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let header_len = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
    let record_len = usize::from(u16::from_le_bytes([bytes[10], bytes[11]]));
    if header_len < 33 || header_len > bytes.len() || record_len == 0 {
        return Err(head(
            "not a dBASE table: header or record length out of range",
        ));
    }
    let mut fields = Vec::new();
    let mut offset = 1; // the deletion flag
    let mut at = 32;
    while at + 32 <= header_len && bytes[at] != 0x0D {
        let d = &bytes[at..at + 32];
        let end = d[..11].iter().position(|&b| b == 0).unwrap_or(11);
        let name = encoding
            .decode_without_bom_handling(&d[..end])
            .0
            .trim()
            .to_owned();
        let len = usize::from(d[16]);
        fields.push(Field {
            name,
            kind: d[11].to_ascii_uppercase(),
            len,
            offset,
        });
        offset += len;
        at += 32;
    }
    if offset > record_len {
        return Err(head("the fields are wider than the record length"));
    }
    let available = (bytes.len() - header_len) / record_len;
    if available < count {
        return Err(head(&format!(
            "the header announces {count} records but the file holds {available}"
        )));
    }
    let mut records = Vec::with_capacity(count);
    for i in 0..count {
        let start = header_len + i * record_len;
        let rec = &bytes[start..start + record_len];
        if rec[0] == b'*' {
            records.push(None);
            continue;
        }
        let mut map = Map::new();
        for f in &fields {
            let raw = &rec[f.offset..f.offset + f.len];
            let text = encoding.decode_without_bom_handling(raw).0;
            let t = text.trim_matches(|c: char| c == ' ' || c == '\0');
            if let Some(c) = crate::text::control_character(t) {
                return Err((Some(i), f.name.clone(), crate::text::describe_control(c)));
            }
            let value = match f.kind {
                _ if t.is_empty() => Value::Null,
                b'N' | b'F' => {
                    if let Ok(v) = t.parse::<i64>() {
                        Value::Number(v.into())
                    } else if let Some(n) = t.parse::<f64>().ok().and_then(Number::from_f64) {
                        Value::Number(n)
                    } else if t.chars().all(|c| c == '*') {
                        // dBASE writes asterisks for a number too wide for its field.
                        Value::Null
                    } else {
                        return Err((Some(i), f.name.clone(), format!("`{t}` is not a number")));
                    }
                }
                b'L' => match t {
                    "T" | "t" | "Y" | "y" => Value::Bool(true),
                    "F" | "f" | "N" | "n" => Value::Bool(false),
                    _ => Value::Null,
                },
                b'D' if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) => {
                    Value::String(format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..]))
                }
                _ => Value::String(t.to_owned()),
            };
            map.insert(f.name.clone(), value);
        }
        records.push(Some(map));
    }
    Ok(Table {
        fields: fields.into_iter().map(|f| f.name).collect(),
        records,
    })
}
