//! The viewer's built assets (`web/dist`), embedded in the binary.

use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

use crate::error::ApiError;

#[derive(Embed)]
#[folder = "$CARGO_MANIFEST_DIR/../../web/dist"]
struct Dist;

/// Whether the request's `Accept-Encoding` takes gzip (named, and not with `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let named = parts.next().is_some_and(|c| c.eq_ignore_ascii_case("gzip"));
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            named && !refused
        })
}

/// Serves a file of the viewer; `/` is `index.html`. Unknown `/api/...` paths get a JSON
/// 404 like every other API error. A script, style or glyph file the build also wrote
/// gzipped (`NAME.gz`, see `web/vite.config.js`) is sent as that copy to a client that
/// takes gzip: compressing the megabyte of MapLibre on every first visit would hold up
/// its download, and the rest of the server's work, on every one.
pub async fn serve(uri: Uri, headers: HeaderMap) -> Response {
    let raw = uri.path();
    if raw.starts_with("/api/") || raw == "/api" {
        return ApiError::not_found(format!("no API endpoint at {raw}")).into_response();
    }
    let decoded = percent_encoding::percent_decode_str(raw.trim_start_matches('/'))
        .decode_utf8_lossy()
        .into_owned();
    let path = if decoded.is_empty() {
        "index.html"
    } else {
        decoded.as_str()
    };
    match Dist::get(path) {
        Some(file) => {
            let mime = mime_guess::from_path(path).first_or_octet_stream();
            // Vite puts content hashes in asset names: those never change.
            let cache = if path.starts_with("assets/") {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            let gzipped = Dist::get(&format!("{path}.gz"));
            let send_gzip = gzipped.is_some() && accepts_gzip(&headers);
            let varies = gzipped.is_some();
            let body = match gzipped {
                Some(gz) if send_gzip => gz.data,
                _ => file.data,
            };
            let mut response = (
                [
                    (header::CONTENT_TYPE, mime.as_ref().to_owned()),
                    (header::CACHE_CONTROL, cache.to_owned()),
                ],
                body,
            )
                .into_response();
            let h = response.headers_mut();
            if varies {
                h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
            if send_gzip {
                // The compression layer leaves a response that has an encoding alone.
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            response
        }
        None if Dist::get("index.html").is_none() => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The viewer is not built: run `npm ci && npm run build` in web/ and rebuild kumuh.",
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(accept_encoding: &str, expected: bool) {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept_encoding).unwrap(),
        );
        assert_eq!(accepts_gzip(&headers), expected, "{accept_encoding:?}");
    }

    #[test]
    fn gzip_is_sent_only_where_accepted() {
        check("gzip, deflate, br, zstd", true);
        check("GZIP", true);
        check("br;q=1.0, gzip;q=0.8", true);
        check("gzip;q=0", false);
        check("gzip; q=0.0", false);
        check("br, deflate", false);
        check("x-gzip", false);
        check("identity", false);
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
