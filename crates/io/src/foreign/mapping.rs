//! Field mapping: which of a file's fields (or what made of them) becomes each of
//! Kumuh's fields. Written on the command line (`kode=KD_DESA,nama=NAMA_DESA`) or in a
//! TOML file (`kode = "concat(KD_DESA, '.', pad3(RW), '.', pad3(RT))"`). An expression
//! is a field name, a quoted constant, a number, or a transform:
//!
//! - `padN(x)`: a whole number written with at least N digits (`pad3(7)` is `007`);
//! - `concat(a, b, ...)`: the texts one after the other;
//! - `m2_to_ha(x)`: square metres as hectares.
//!
//! Without a mapping, fields that already carry Kumuh's names map themselves.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};

use crate::geojson::ImportKind;
use kumuh_domain::Level;

/// Deepest nesting of transforms.
const MAX_DEPTH: usize = 16;

/// One expression.
#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Field(String),
    Constant(Value),
    Pad(usize, Box<Expr>),
    Concat(Vec<Expr>),
    M2ToHa(Box<Expr>),
}

/// Kumuh's fields and the expression giving each.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mapping {
    targets: BTreeMap<String, Expr>,
}

/// Why a mapping could not be read or applied: the field (Kumuh's or the file's) and
/// what is wrong.
pub type MappingError = (String, String);

impl Mapping {
    /// Parses `kode=KD_DESA,nama=NAMA_DESA,...` (commas inside transforms and quotes
    /// belong to them).
    ///
    /// # Examples
    /// ```
    /// use kumuh_io::foreign::Mapping;
    /// let m = Mapping::parse_list("kode=concat(KD_DESA,'.',pad3(NO_RT)),nama='RT'").unwrap();
    /// let props = serde_json::json!({"KD_DESA": "35.19.09.2001", "NO_RT": 7});
    /// let out = m.apply(props.as_object().unwrap()).unwrap();
    /// assert_eq!(out["kode"], "35.19.09.2001.007");
    /// assert_eq!(out["nama"], "RT");
    /// ```
    pub fn parse_list(text: &str) -> Result<Mapping, MappingError> {
        let mut m = Mapping::default();
        for item in split_top(text, ',') {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            let (target, expr) = item.split_once('=').ok_or_else(|| {
                (
                    item.to_owned(),
                    "expected kumuh_field=EXPRESSION".to_owned(),
                )
            })?;
            m.insert(target.trim(), expr)?;
        }
        Ok(m)
    }

    /// Parses a TOML mapping: `kumuh_field = "EXPRESSION"` at the top level or under
    /// `[fields]`.
    pub fn parse_toml(text: &str) -> Result<Mapping, MappingError> {
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| ("-".to_owned(), e.to_string()))?;
        let table = match table.get("fields") {
            Some(toml::Value::Table(t)) => t.clone(),
            _ => table,
        };
        let mut m = Mapping::default();
        for (target, v) in &table {
            let expr = v.as_str().ok_or_else(|| {
                (
                    target.clone(),
                    "expected an expression in quotes".to_owned(),
                )
            })?;
            m.insert(target, expr)?;
        }
        Ok(m)
    }

    fn insert(&mut self, target: &str, expr: &str) -> Result<(), MappingError> {
        if target.is_empty()
            || !target
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err((target.to_owned(), "not a field name".to_owned()));
        }
        let e = parse_expr(expr.trim(), 0).map_err(|m| (target.to_owned(), m))?;
        if self.targets.insert(target.to_owned(), e).is_some() {
            return Err((target.to_owned(), "mapped twice".to_owned()));
        }
        Ok(())
    }

    /// Whether no field is mapped.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Checks the mapping against a file's fields for an import of `kind`: every field
    /// it reads must be in the file, and every field Kumuh needs must be mapped or carry
    /// its name in the file. The error names the field and lists the file's.
    pub fn check(&self, fields: &[String], kind: ImportKind) -> Result<(), MappingError> {
        let listed = || {
            if fields.is_empty() {
                "the file has no fields".to_owned()
            } else {
                format!("the file's fields are {}", fields.join(", "))
            }
        };
        for (target, e) in &self.targets {
            let mut used = Vec::new();
            e.fields(&mut used);
            if let Some(missing) = used.iter().find(|f| !fields.iter().any(|g| g == *f)) {
                return Err((
                    target.clone(),
                    format!(
                        "reads field `{missing}`, which the file lacks; {}",
                        listed()
                    ),
                ));
            }
        }
        let has = |f: &str| self.targets.contains_key(f) || fields.iter().any(|g| g == f);
        let required: &[&[&str]] = match kind {
            ImportKind::Places(Level::Rt) if !has("kode") => {
                &[&["kode_desa"], &["rw"], &["rt"], &["nama"]]
            }
            ImportKind::Places(_) => &[&["kode"], &["nama"]],
            ImportKind::Lokasi => &[&["kode"], &["nama"], &["kode_desa"]],
            ImportKind::Jaringan => &[&["kode"], &["jenis"], &["kondisi"]],
        };
        for need in required {
            if !need.iter().any(|f| has(f)) {
                return Err((
                    need[0].to_owned(),
                    format!("not mapped (e.g. --map {}=FIELD); {}", need[0], listed()),
                ));
            }
        }
        Ok(())
    }

    /// The properties of one feature mapped: the file's own fields, with Kumuh's mapped
    /// fields written over them.
    pub fn apply(&self, props: &Map<String, Value>) -> Result<Map<String, Value>, MappingError> {
        let mut out = props.clone();
        for (target, e) in &self.targets {
            let v = e.eval(props).map_err(|m| (target.clone(), m))?;
            out.insert(target.clone(), v);
        }
        Ok(out)
    }
}

/// Splits at `sep` outside parentheses and quotes.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let (mut depth, mut quote, mut start, mut out) = (0i32, None, 0, Vec::new());
    for (i, c) in text.char_indices() {
        match (c, quote) {
            ('\'' | '"', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            (_, Some(_)) => {}
            ('(', None) => depth += 1,
            (')', None) => depth -= 1,
            (c, None) if c == sep && depth == 0 => {
                out.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

fn parse_expr(t: &str, depth: usize) -> Result<Expr, String> {
    if depth > MAX_DEPTH {
        return Err(format!("transforms nested deeper than {MAX_DEPTH}"));
    }
    if t.is_empty() {
        return Err("empty expression".to_owned());
    }
    for q in ['\'', '"'] {
        if let Some(inner) = t.strip_prefix(q) {
            return inner
                .strip_suffix(q)
                .filter(|s| !s.contains(q))
                .map(|s| Expr::Constant(Value::String(s.to_owned())))
                .ok_or_else(|| format!("unterminated text `{t}`"));
        }
    }
    if t.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        return t
            .parse::<i64>()
            .map(|v| Value::Number(v.into()))
            .ok()
            .or_else(|| {
                t.parse::<f64>()
                    .ok()
                    .and_then(Number::from_f64)
                    .map(Value::Number)
            })
            .map(Expr::Constant)
            .ok_or_else(|| format!("`{t}` is not a number"));
    }
    if let Some(open) = t.find('(') {
        let name = t[..open].trim().to_ascii_lowercase();
        let inner = t[open + 1..]
            .strip_suffix(')')
            .ok_or_else(|| format!("`{t}`: missing `)`"))?;
        let args = split_top(inner, ',')
            .into_iter()
            .map(|a| parse_expr(a.trim(), depth + 1))
            .collect::<Result<Vec<_>, _>>()?;
        let one = |args: Vec<Expr>| -> Result<Box<Expr>, String> {
            match <[Expr; 1]>::try_from(args) {
                Ok([a]) => Ok(Box::new(a)),
                Err(_) => Err(format!("`{name}` takes one argument")),
            }
        };
        return match name.as_str() {
            "concat" => Ok(Expr::Concat(args)),
            "m2_to_ha" => Ok(Expr::M2ToHa(one(args)?)),
            n if n.starts_with("pad") => {
                let width: usize = n[3..]
                    .parse()
                    .ok()
                    .filter(|w| (1..=20).contains(w))
                    .ok_or_else(|| format!("`{n}`: padN needs a width from 1 to 20"))?;
                Ok(Expr::Pad(width, one(args)?))
            }
            other => Err(format!(
                "unknown transform `{other}` (padN, concat, m2_to_ha)"
            )),
        };
    }
    if t.chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == ' ' || c == '-')
    {
        Ok(Expr::Field(t.to_owned()))
    } else {
        Err(format!(
            "`{t}` is not a field name, a quoted constant or a transform"
        ))
    }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 && n.as_i64().is_none() => {
                format!("{f:.0}")
            }
            _ => n.to_string(),
        }),
        other => Some(other.to_string()),
    }
}

impl Expr {
    fn fields(&self, out: &mut Vec<String>) {
        match self {
            Expr::Field(f) => out.push(f.clone()),
            Expr::Constant(_) => {}
            Expr::Pad(_, e) | Expr::M2ToHa(e) => e.fields(out),
            Expr::Concat(es) => es.iter().for_each(|e| e.fields(out)),
        }
    }

    fn eval(&self, props: &Map<String, Value>) -> Result<Value, String> {
        Ok(match self {
            Expr::Field(f) => props.get(f).cloned().unwrap_or(Value::Null),
            Expr::Constant(v) => v.clone(),
            Expr::Pad(width, e) => match as_text(&e.eval(props)?) {
                None => Value::Null,
                Some(t) => {
                    let t = t.trim();
                    let n: u64 = t
                        .parse()
                        .ok()
                        .or_else(|| {
                            t.parse::<f64>()
                                .ok()
                                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e15)
                                .map(|f| f as u64)
                        })
                        .ok_or_else(|| format!("pad{width}: `{t}` is not a whole number"))?;
                    Value::String(format!("{n:0width$}"))
                }
            },
            Expr::Concat(es) => {
                let mut s = String::new();
                for e in es {
                    match as_text(&e.eval(props)?) {
                        // Fields are trimmed (DBF pads them); constants are kept as written.
                        Some(t) if matches!(e, Expr::Constant(_)) => s.push_str(&t),
                        Some(t) => s.push_str(t.trim()),
                        None => {
                            let mut used = Vec::new();
                            e.fields(&mut used);
                            return Err(format!("concat: field `{}` is empty", used.join("`, `")));
                        }
                    }
                }
                Value::String(s)
            }
            Expr::M2ToHa(e) => match e.eval(props)? {
                Value::Null => Value::Null,
                v => {
                    let t = as_text(&v).unwrap_or_default();
                    let m2: f64 = t
                        .trim()
                        .parse()
                        .map_err(|_| format!("m2_to_ha: `{t}` is not a number"))?;
                    Number::from_f64(m2 / 10_000.0)
                        .map(Value::Number)
                        .ok_or_else(|| format!("m2_to_ha: `{t}` is not a finite number"))?
                }
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(mapping: &str, props: Value, field: &str, expected: Value) {
        let m = Mapping::parse_list(mapping).unwrap();
        let out = m.apply(props.as_object().unwrap()).unwrap();
        assert_eq!(out[field], expected, "{mapping}");
    }

    #[test]
    fn transforms() {
        check("kode=KD", json!({"KD": "35.19"}), "kode", json!("35.19"));
        check("rt=pad3(NO_RT)", json!({"NO_RT": 7}), "rt", json!("007"));
        check("rt=pad3(NO_RT)", json!({"NO_RT": "12"}), "rt", json!("012"));
        check("rt=pad3(NO_RT)", json!({"NO_RT": 7.0}), "rt", json!("007"));
        check(
            "rt=pad2(NO_RT)",
            json!({"NO_RT": 1234}),
            "rt",
            json!("1234"),
        );
        check(
            r#"kode=concat(KD_DESA,".",pad3(RW),".",pad3(RT))"#,
            json!({"KD_DESA": "35.19.09.2001", "RW": 2, "RT": "5"}),
            "kode",
            json!("35.19.09.2001.002.005"),
        );
        check(
            "luas_ha=m2_to_ha(LUAS_M2)",
            json!({"LUAS_M2": 25000}),
            "luas_ha",
            json!(2.5),
        );
        check(
            "sumber='survei 2024'",
            json!({}),
            "sumber",
            json!("survei 2024"),
        );
        check("tahun=2024", json!({}), "tahun", json!(2024));
        // Fields that carry Kumuh's names stay; mapped fields are written over them.
        check(
            "nama=NAMA",
            json!({"kode": "1", "NAMA": "x"}),
            "kode",
            json!("1"),
        );
    }

    #[test]
    fn errors_name_the_field() {
        let m = Mapping::parse_list("rt=pad3(NO_RT)").unwrap();
        let e = m
            .apply(json!({"NO_RT": "tiga"}).as_object().unwrap())
            .unwrap_err();
        assert_eq!(e.0, "rt");
        assert!(e.1.contains("`tiga`"), "{e:?}");
        for bad in [
            "kode",
            "kode=",
            "kode=pad(X)",
            "kode=foo(X)",
            "kode='x",
            "kode=pad3(A,B)",
            "k=a,k=b",
        ] {
            assert!(Mapping::parse_list(bad).is_err(), "{bad}");
        }
        let fields = vec!["KD_DESA".to_owned(), "NAMA_DESA".to_owned()];
        let e = Mapping::default()
            .check(&fields, ImportKind::Places(Level::Desa))
            .unwrap_err();
        assert_eq!(e.0, "kode");
        assert!(e.1.contains("KD_DESA, NAMA_DESA"), "{e:?}");
        let e = Mapping::parse_list("kode=KODE")
            .unwrap()
            .check(&fields, ImportKind::Places(Level::Desa))
            .unwrap_err();
        assert!(e.1.contains("`KODE`"), "{e:?}");
        let ok = Mapping::parse_list("kode=KD_DESA,nama=NAMA_DESA").unwrap();
        assert_eq!(ok.check(&fields, ImportKind::Places(Level::Desa)), Ok(()));
    }

    #[test]
    fn toml_files() {
        let m = Mapping::parse_toml(
            "[fields]\nkode = \"KD_DESA\"\nnama = \"concat(NAMA, ' ', 'x')\"\n",
        )
        .unwrap();
        let out = m
            .apply(json!({"KD_DESA": "1", "NAMA": "a"}).as_object().unwrap())
            .unwrap();
        assert_eq!(out["nama"], "a x");
        assert!(Mapping::parse_toml("kode = 3").is_err());
    }
}
