//! What handlers of several route modules share: file downloads, the `wilayah` filter,
//! and the one optimistic-concurrency protocol of versioned records (works and
//! siteplans): the version goes out as the ETag and comes back as `If-Match`.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kumuh_domain::Kode;
use serde::Serialize;

use crate::error::{ApiError, ApiResult};

/// A JSON body with the record's version as its ETag.
#[derive(Debug)]
pub struct Versioned<T>(pub StatusCode, pub i64, pub T);

impl<T: Serialize> IntoResponse for Versioned<T> {
    fn into_response(self) -> Response {
        let mut res = (self.0, axum::Json(self.2)).into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", self.1)) {
            res.headers_mut().insert(header::ETAG, v);
        }
        res
    }
}

/// The version named by `If-Match`, if any (`"3"`, `W/"3"` or `3`; `*` names none).
pub(crate) fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = v.to_str().unwrap_or("").trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| {
            ApiError::bad_request(format!(
                "If-Match: `{text}` is not the ETag of a version (e.g. \"3\")"
            ))
        })
}

/// A file to download: `bytes` as `content_type`, saved by the browser as `filename`.
pub(crate) fn attachment(filename: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // A name that cannot stand in a header still downloads, only without its name.
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The `wilayah` query filter: a place code, matched as a prefix (a desa, or a
/// kecamatan, kabupaten … and everything in it).
pub(crate) fn parse_wilayah(text: &str) -> ApiResult<Kode> {
    Kode::parse(text).map_err(|e| ApiError::bad_request(format!("wilayah: {e}")))
}

#[cfg(test)]
mod tests {
    use axum::http::header;

    use super::*;

    #[test]
    fn attachment_names_the_file_and_its_type() {
        let res = attachment("a.csv", "text/csv; charset=utf-8", b"x".to_vec());
        assert_eq!(
            res.headers()[header::CONTENT_TYPE],
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            res.headers()[header::CONTENT_DISPOSITION],
            "attachment; filename=\"a.csv\""
        );
    }

    #[test]
    fn attachment_without_a_header_safe_name_still_downloads() {
        let res = attachment("a\nb.csv", "text/csv", Vec::new());
        assert!(res.headers().get(header::CONTENT_DISPOSITION).is_none());
        assert_eq!(res.headers()[header::CONTENT_TYPE], "text/csv");
    }

    #[test]
    fn if_match_takes_strong_weak_and_bare_versions() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::IF_MATCH, HeaderValue::from_str(v).unwrap());
            m
        };
        assert_eq!(if_match(&h("\"3\"")).unwrap(), Some(3));
        assert_eq!(if_match(&h("W/\"4\"")).unwrap(), Some(4));
        assert_eq!(if_match(&h("5")).unwrap(), Some(5));
        assert_eq!(if_match(&h("*")).unwrap(), None);
        assert_eq!(if_match(&HeaderMap::new()).unwrap(), None);
        assert!(if_match(&h("\"abc\"")).is_err());
    }
}
