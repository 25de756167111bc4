//! Reading request bodies field by field, so that every refusal names the field:
//! `jumlah: 100000000.5 has decimals; amounts are whole rupiah`.

use std::collections::BTreeSet;
use std::str::FromStr;

use geo_types::Geometry;
use kumuh_domain::text::{TextLimit, check_text};
use kumuh_domain::works::{Amount, Rupiah, Tanggal, Volume};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// A JSON object body whose fields are taken one by one; fields nobody took are
/// refused at the end (a typo must not be silently ignored).
#[derive(Debug)]
pub(crate) struct Body {
    map: Map<String, Value>,
    taken: BTreeSet<String>,
}

fn invalid(field: &str, message: impl std::fmt::Display) -> ApiError {
    ApiError::unprocessable(format!("{field}: {message}"))
}

impl Body {
    /// The body, with every text anywhere in it (feature properties too) held to the
    /// note limit; fields read with [`Body::opt_text`] are then held to their own.
    pub(crate) fn new(v: Value) -> Result<Body, ApiError> {
        bounded_texts("", &v)?;
        match v {
            Value::Object(map) => Ok(Body {
                map,
                taken: BTreeSet::new(),
            }),
            other => Err(ApiError::bad_request(format!(
                "the body must be a JSON object, not {}",
                kind(&other)
            ))),
        }
    }

    fn take(&mut self, field: &str) -> Option<&Value> {
        self.taken.insert(field.to_owned());
        self.map.get(field).filter(|v| !v.is_null())
    }

    /// Whether the field was sent at all (`null` counts as sent: it clears the value).
    pub(crate) fn has(&self, field: &str) -> bool {
        self.map.contains_key(field)
    }

    /// A field deserialized with serde; enums report their allowed values.
    pub(crate) fn opt<T: DeserializeOwned>(&mut self, field: &str) -> Result<Option<T>, ApiError> {
        self.take(field)
            .map(|v| serde_json::from_value(v.clone()).map_err(|e| invalid(field, clean(&e))))
            .transpose()
    }

    pub(crate) fn req<T: DeserializeOwned>(&mut self, field: &str) -> Result<T, ApiError> {
        self.opt(field)?
            .ok_or_else(|| invalid(field, "is required"))
    }

    /// A text field parsed with `FromStr` (so aliases such as `APBD Kab` are accepted).
    pub(crate) fn opt_parse<T: FromStr>(&mut self, field: &str) -> Result<Option<T>, ApiError>
    where
        T::Err: std::fmt::Display,
    {
        match self.take(field) {
            None => Ok(None),
            Some(Value::String(s)) => s.parse().map(Some).map_err(|e| invalid(field, e)),
            Some(other) => Err(invalid(
                field,
                format!("expected text, found {}", kind(other)),
            )),
        }
    }

    pub(crate) fn req_parse<T: FromStr>(&mut self, field: &str) -> Result<T, ApiError>
    where
        T::Err: std::fmt::Display,
    {
        self.opt_parse(field)?
            .ok_or_else(|| invalid(field, "is required"))
    }

    /// Non-empty trimmed text, within the limit of its kind
    /// ([`TextLimit::for_field`]: notes 10,000 characters, names 200).
    pub(crate) fn opt_text(&mut self, field: &str) -> Result<Option<String>, ApiError> {
        match self.take(field) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => {
                let s = s.trim();
                check_text(s, TextLimit::for_field(field)).map_err(|e| invalid(field, e))?;
                Ok(Some(s.to_owned()))
            }
            Some(other) => Err(invalid(
                field,
                format!("expected text, found {}", kind(other)),
            )),
        }
    }

    pub(crate) fn req_text(&mut self, field: &str) -> Result<String, ApiError> {
        self.opt_text(field)?
            .ok_or_else(|| invalid(field, "is required and cannot be empty"))
    }

    /// Whole rupiah: a JSON integer, or text such as `Rp 100.000.000`, at most one
    /// entry's worth (`MAX_ENTRY_RP`).
    pub(crate) fn opt_rupiah(&mut self, field: &str) -> Result<Option<Rupiah>, ApiError> {
        self.take(field).map(|v| rupiah(field, v)).transpose()
    }

    pub(crate) fn req_rupiah(&mut self, field: &str) -> Result<Rupiah, ApiError> {
        self.opt_rupiah(field)?
            .ok_or_else(|| invalid(field, "is required"))
    }

    /// An amount that may be unknown: `null` or `"tidak_diketahui"` is unknown, which is
    /// not zero. The field itself is required, so unknown is always said on purpose.
    pub(crate) fn req_amount(&mut self, field: &str) -> Result<Amount, ApiError> {
        if !self.has(field) {
            return Err(invalid(
                field,
                "is required: whole rupiah, or null when the amount is not known",
            ));
        }
        match self.take(field) {
            None => Ok(Amount::Unknown),
            Some(Value::String(s)) if s.trim() == "tidak_diketahui" => Ok(Amount::Unknown),
            Some(v) => rupiah(field, v).map(Amount::Known),
        }
    }

    pub(crate) fn opt_volume(&mut self, field: &str) -> Result<Option<Volume>, ApiError> {
        match self.take(field) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .ok_or_else(|| invalid(field, "not a number"))
                .and_then(|f| Volume::from_f64(f).map_err(|e| invalid(field, e)))
                .map(Some),
            Some(other) => Err(invalid(
                field,
                format!("expected a number, found {}", kind(other)),
            )),
        }
    }

    pub(crate) fn req_volume(&mut self, field: &str) -> Result<Volume, ApiError> {
        self.opt_volume(field)?
            .ok_or_else(|| invalid(field, "is required"))
    }

    pub(crate) fn opt_tanggal(&mut self, field: &str) -> Result<Option<Tanggal>, ApiError> {
        self.opt_parse::<Tanggal>(field)
    }

    pub(crate) fn req_tanggal(&mut self, field: &str) -> Result<Tanggal, ApiError> {
        self.opt_tanggal(field)?
            .ok_or_else(|| invalid(field, "is required (YYYY-MM-DD)"))
    }

    /// A GeoJSON geometry in EPSG:4326.
    pub(crate) fn opt_geometry(&mut self, field: &str) -> Result<Option<Geometry<f64>>, ApiError> {
        self.take(field)
            .map(|v| {
                kumuh_io::geojson::geometry_from_json(v)
                    .map_err(|issues| invalid(field, issues.join("; ")))
            })
            .transpose()
    }

    /// Refuses any field that was not taken.
    pub(crate) fn finish(self) -> Result<(), ApiError> {
        let unknown: Vec<&str> = self
            .map
            .keys()
            .filter(|k| !self.taken.contains(*k))
            .map(String::as_str)
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        let known: Vec<&str> = self.taken.iter().map(String::as_str).collect();
        Err(ApiError::unprocessable(format!(
            "unknown field{} {}; this request takes {}",
            if unknown.len() > 1 { "s" } else { "" },
            unknown.join(", "),
            known.join(", ")
        )))
    }
}

/// Refuses any text in the body longer than a note or holding a control character,
/// naming where it is (`fitur[3].properties.nama`).
fn bounded_texts(path: &str, v: &Value) -> Result<(), ApiError> {
    match v {
        Value::String(s) => check_text(s, TextLimit::Note)
            .map_err(|e| invalid(if path.is_empty() { "body" } else { path }, e)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| bounded_texts(&format!("{path}[{i}]"), item)),
        Value::Object(map) => map.iter().try_for_each(|(k, item)| {
            check_text(k, TextLimit::Name).map_err(|e| invalid(&format!("{path} key"), e))?;
            let inner = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            bounded_texts(&inner, item)
        }),
        _ => Ok(()),
    }
}

/// Every amount a client sends is one entry (an allocation, a spending, a due), so each
/// is held to the domain's cap per entry.
fn rupiah(field: &str, v: &Value) -> Result<Rupiah, ApiError> {
    any_rupiah(field, v)?.entry().map_err(|e| invalid(field, e))
}

fn any_rupiah(field: &str, v: &Value) -> Result<Rupiah, ApiError> {
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                return Rupiah::new(i).map_err(|e| invalid(field, e));
            }
            if n.as_u64().is_some() {
                return Err(invalid(
                    field,
                    format!("{n} is beyond the largest amount this atlas holds"),
                ));
            }
            Err(invalid(
                field,
                format!("{n} has decimals; amounts are whole rupiah"),
            ))
        }
        Value::String(s) => Rupiah::parse(s).map_err(|e| invalid(field, e)),
        other => Err(invalid(
            field,
            format!("expected whole rupiah, found {}", kind(other)),
        )),
    }
}

/// serde's message without the position suffix, which means nothing to a field.
fn clean(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn message(r: Result<impl std::fmt::Debug, ApiError>) -> String {
        let e = r.unwrap_err();
        format!("{e:?}")
    }

    #[test]
    fn money_is_whole_non_negative_rupiah_that_fits() {
        let mut b = Body::new(json!({
            "a": 100000000, "b": 100000000.5, "c": -5, "d": 18446744073709551615u64,
            "e": "Rp 100.000.000", "f": true
        }))
        .unwrap();
        assert_eq!(b.req_rupiah("a").unwrap().get(), 100_000_000);
        assert!(message(b.req_rupiah("b")).contains("b: 100000000.5 has decimals"));
        assert!(message(b.req_rupiah("c")).contains("c: "));
        assert!(message(b.req_rupiah("d")).contains("beyond the largest"));
        assert_eq!(b.req_rupiah("e").unwrap().get(), 100_000_000);
        assert!(message(b.req_rupiah("f")).contains("found a boolean"));
    }

    #[test]
    fn money_beyond_one_entry_is_refused_naming_the_field() {
        let mut b = Body::new(
            json!({"a": 10_000_000_000_000i64, "b": 10_000_000_000_001i64,
            "c": 9_223_372_036_854_775_807i64}),
        )
        .unwrap();
        assert_eq!(b.req_rupiah("a").unwrap().get(), 10_000_000_000_000);
        assert!(message(b.req_rupiah("b")).contains("b: Rp 10.000.000.000.001 is more than"));
        assert!(message(b.req_amount("c")).contains("c: "));
    }

    #[test]
    fn texts_are_bounded_and_free_of_control_characters() {
        let mut b =
            Body::new(json!({"nama": "x".repeat(201), "keterangan": "y".repeat(10_000)})).unwrap();
        let m = message(b.req_text("nama"));
        assert!(
            m.contains("nama: is 201 characters long; at most 200"),
            "{m}"
        );
        assert_eq!(b.opt_text("keterangan").unwrap().unwrap().len(), 10_000);
        let m = message(Body::new(json!({"keterangan": "y".repeat(10_001)})));
        assert!(m.contains("keterangan: is 10001 characters"), "{m}");
        let m = message(Body::new(
            json!({"fitur": [{"properties": {"nama": "a\u{0}b"}}]}),
        ));
        assert!(
            m.contains("fitur[0].properties.nama: holds the control character U+0000"),
            "{m}"
        );
    }

    #[test]
    fn unknown_is_said_on_purpose_and_differs_from_zero() {
        let mut b = Body::new(json!({"x": null, "y": 0, "z": "tidak_diketahui"})).unwrap();
        assert_eq!(b.req_amount("x").unwrap(), Amount::Unknown);
        assert_eq!(b.req_amount("y").unwrap(), Amount::Known(Rupiah::ZERO));
        assert_eq!(b.req_amount("z").unwrap(), Amount::Unknown);
        assert!(message(b.req_amount("w")).contains("w: is required"));
    }

    #[test]
    fn typos_are_refused_with_the_fields_that_exist() {
        let mut b = Body::new(json!({"nama": "x", "jumlha": 5})).unwrap();
        b.req_text("nama").unwrap();
        let _ = b.opt_rupiah("jumlah");
        let m = message(b.finish());
        assert!(m.contains("unknown field jumlha"), "{m}");
        assert!(m.contains("jumlah"), "{m}");
    }
}
