//! The viewer's built assets (`web/dist`), embedded in the binary.

use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

use crate::error::ApiError;

#[derive(Embed)]
#[folder = "$CARGO_MANIFEST_DIR/../../web/dist"]
struct Dist;

/// Serves a file of the viewer; `/` is `index.html`. Unknown `/api/...` paths get a JSON
/// 404 like every other API error.
pub async fn serve(uri: Uri) -> Response {
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
            (
                [
                    (header::CONTENT_TYPE, mime.as_ref().to_owned()),
                    (header::CACHE_CONTROL, cache.to_owned()),
                ],
                file.data,
            )
                .into_response()
        }
        None if Dist::get("index.html").is_none() => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The viewer is not built: run `npm ci && npm run build` in web/ and rebuild kumuh.",
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
