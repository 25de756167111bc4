//! Extractors whose rejections are [`ApiError`]s, so malformed requests get the same
//! JSON `{code, message}` as every other error, never axum's plain-text bodies.

use axum::body::Bytes;
use axum::extract::rejection::{
    JsonRejection, MissingJsonContentType, PathRejection, QueryRejection,
};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// `axum::Json` with JSON errors. A large body (over [`PARSE_INLINE_BYTES`]) is parsed
/// on the blocking pool, so a request near the body limit does not hold an async worker
/// while its JSON is read.
#[derive(Debug)]
pub struct Json<T>(pub T);

/// Bodies up to this size are parsed where they arrive; larger ones on the blocking pool.
pub const PARSE_INLINE_BYTES: usize = 64 * 1024;

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned + Send + 'static,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !json_content_type(req.headers()) {
            return Err(JsonRejection::from(MissingJsonContentType::default()).into());
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::from(JsonRejection::from(e)))?;
        let parsed = if bytes.len() <= PARSE_INLINE_BYTES {
            axum::Json::<T>::from_bytes(&bytes)
        } else {
            tokio::task::spawn_blocking(move || axum::Json::<T>::from_bytes(&bytes))
                .await
                .map_err(|e| ApiError::internal(format!("reading the body failed: {e}")))?
        };
        Ok(Json(parsed?.0))
    }
}

/// Whether the request says its body is JSON (`application/json`, or any
/// `application/…+json`), as `axum::Json` requires.
fn json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim();
    let Some((kind, sub)) = essence.split_once('/') else {
        return false;
    };
    kind.eq_ignore_ascii_case("application")
        && (sub.eq_ignore_ascii_case("json") || sub.to_ascii_lowercase().ends_with("+json"))
}

/// `axum::extract::Query` with JSON errors.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path` with JSON errors.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError::payload_too_large(format!(
                "request body too large: {}",
                r.body_text()
            ));
        }
        ApiError::bad_request(format!("invalid JSON body: {}", r.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::bad_request(format!("invalid query: {}", r.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::bad_request(format!("invalid path: {}", r.body_text()))
    }
}

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, value.parse().unwrap());
        h
    }

    #[test]
    fn json_bodies_are_recognised_by_their_content_type() {
        for yes in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            "application/geo+json",
        ] {
            assert!(json_content_type(&typed(yes)), "{yes}");
        }
        for no in [
            "text/plain",
            "application/jsonx",
            "json",
            "application/+json x",
            "",
        ] {
            assert!(!json_content_type(&typed(no)), "{no}");
        }
        assert!(!json_content_type(&HeaderMap::new()));
    }
}
