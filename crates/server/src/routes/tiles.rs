//! Vector tiles over HTTP: the catalog, a TileJSON 3.0.0 document per layer, and the
//! tiles themselves (MVT 2.1, gzip, ETag, 204 for an empty tile).

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kumuh_tiles::TileId;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::routes::common::{attachment, parse_wilayah};
use crate::tiles::{LAYERS, MAX_ZOOM, layer_def};

/// The media type of a Mapbox Vector Tile.
pub const MVT: &str = "application/vnd.mapbox-vector-tile";

/// The URL this server is reached at: the configured public URL, else the server's own
/// address on the connection. Never the `Host` header, which the client chooses: an
/// answer built from it could send a cached TileJSON's readers anywhere.
fn base_url(state: &AppState, ext: &axum::http::Extensions) -> String {
    if let Some(url) = &state.config.public_url {
        return url.clone();
    }
    let local = ext
        .get::<axum::extract::ConnectInfo<crate::auth::Connection>>()
        .and_then(|c| c.0.local)
        .unwrap_or_else(|| std::net::SocketAddr::from(([127, 0, 0, 1], 8080)));
    format!("http://{local}")
}

/// One layer in the catalog.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogLayer {
    /// Layer id.
    pub id: &'static str,
    /// What it holds.
    pub description: &'static str,
    /// Its TileJSON document.
    pub tilejson: String,
}

/// Every tile layer with its TileJSON URL.
#[derive(Debug, Serialize, ToSchema)]
pub struct Catalog {
    /// The layers.
    pub layers: Vec<CatalogLayer>,
}

/// The tile layers and where their TileJSON documents are.
#[utoipa::path(get, path = "/tiles", tag = "tiles",
    responses((status = 200, body = Catalog)))]
pub async fn catalog(State(state): State<AppState>, ext: axum::http::Extensions) -> Json<Catalog> {
    let base = base_url(&state, &ext);
    Json(Catalog {
        layers: LAYERS
            .iter()
            .map(|l| CatalogLayer {
                id: l.id,
                description: l.description,
                tilejson: format!("{base}/tiles/{}", l.id),
            })
            .collect(),
    })
}

/// TileJSON 3.0.0 of one layer: tile URL template, bounds, zooms and fields.
#[utoipa::path(get, path = "/tiles/{layer}", tag = "tiles",
    params(("layer" = String, Path, description = "Layer id, e.g. desa")),
    responses((status = 200, description = "TileJSON 3.0.0", body = Object),
              (status = 404, body = ErrorBody)))]
pub async fn tilejson(
    State(state): State<AppState>,
    ext: axum::http::Extensions,
    Path(layer): Path<String>,
) -> ApiResult<Json<Value>> {
    let def = layer_def(&layer)
        .ok_or_else(|| ApiError::not_found(format!("no tile layer `{layer}`; see /tiles")))?;
    let base = base_url(&state, &ext);
    let bounds = layer_bounds(&state, def.id);
    let fields: serde_json::Map<String, Value> = def
        .fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), json!(v)))
        .collect();
    Ok(Json(json!({
        "tilejson": "3.0.0",
        "name": def.id,
        "description": def.description,
        "version": env!("CARGO_PKG_VERSION"),
        "attribution": "Batas wilayah: cahyadsn/wilayah_boundaries (MIT)",
        "scheme": "xyz",
        "tiles": [format!("{base}/tiles/{}/{{z}}/{{x}}/{{y}}.mvt", def.id)],
        "minzoom": 0,
        "maxzoom": MAX_ZOOM,
        "bounds": bounds,
        "center": [(bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0, 12],
        "vector_layers": [{
            "id": def.id, "description": def.description, "fields": fields,
            "minzoom": 0, "maxzoom": MAX_ZOOM,
        }],
    })))
}

/// `[min_lon, min_lat, max_lon, max_lat]` of a layer's features, or of Indonesia while it
/// has none (so that a client fetches the tiles of the first features written later).
pub fn layer_bounds(state: &AppState, layer: &str) -> [f64; 4] {
    state
        .tiles
        .bounds(layer)
        .map_or([95.0, -11.0, 141.0, 6.0], |r| {
            [r.min().x, r.min().y, r.max().x, r.max().y]
        })
}

fn coordinate(field: &str, text: &str) -> Result<u32, ApiError> {
    text.parse::<u32>()
        .map_err(|_| ApiError::bad_request(format!("{field}: `{text}` is not a whole number")))
}

/// One tile: `application/vnd.mapbox-vector-tile`, gzipped when the client accepts it,
/// with an ETag (304 on `If-None-Match`) and `Cache-Control: no-cache` (clients check
/// back, so an edit shows at once). An empty tile is `204 No Content`.
#[utoipa::path(get, path = "/tiles/{layer}/{z}/{x}/{y}", tag = "tiles",
    params(("layer" = String, Path, description = "Layer id"),
           ("z" = u8, Path, description = "Zoom, 0-22"),
           ("x" = u32, Path, description = "Column"),
           ("y" = String, Path, description = "Row, optionally with `.mvt` or `.pbf`")),
    responses((status = 200, description = "MVT", content_type = "application/vnd.mapbox-vector-tile"),
              (status = 204, description = "empty tile"), (status = 304),
              (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn tile(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((layer, z, x, y)): Path<(String, String, String, String)>,
) -> ApiResult<Response> {
    let y = y
        .strip_suffix(".mvt")
        .or_else(|| y.strip_suffix(".pbf"))
        .unwrap_or(&y);
    let z = coordinate("z", &z)?;
    let x = coordinate("x", &x)?;
    let y = coordinate("y", y)?;
    let z = u8::try_from(z)
        .map_err(|_| ApiError::bad_request(format!("z: {z} is beyond the deepest zoom, 22")))?;
    let id = TileId::new(z, x, y).map_err(|e| ApiError::bad_request(e.to_string()))?;
    if layer_def(&layer).is_none() {
        return Err(ApiError::not_found(format!(
            "no tile layer `{layer}`; see /tiles"
        )));
    }
    // A cached tile is answered here; only a miss is encoded on the blocking pool.
    let cached = match state.tiles.cached(&layer, id) {
        Some(hit) => hit,
        None => {
            let tiles = state.tiles.clone();
            tokio::task::spawn_blocking(move || tiles.tile(&layer, id))
                .await
                .map_err(ApiError::internal)?
                .ok_or_else(|| ApiError::not_found("no such tile layer"))?
        }
    };
    let mut res = if cached.gzip.is_empty() {
        StatusCode::NO_CONTENT.into_response()
    } else if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == cached.etag))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let gzip_ok = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("gzip"));
        let mut res = if gzip_ok {
            let mut r = cached.gzip.clone().into_response();
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            r
        } else {
            crate::tiles::gunzip(&cached.gzip).into_response()
        };
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(MVT));
        res
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&cached.etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(res)
}

/// What an offline package holds.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PackageParams {
    /// The place whose area it covers (e.g. `35.19.09`, a kecamatan); without it, every
    /// feature.
    pub wilayah: Option<String>,
    /// Comma-separated tile layers (default: all).
    pub lapisan: Option<String>,
    /// Lowest zoom (default 0).
    pub minzoom: Option<u8>,
    /// Highest zoom (default 14, at most 16).
    pub maxzoom: Option<u8>,
    /// A basemap kept in the atlas (`kumuh basemap add`) to pack beside the tiles: the
    /// answer is then a ZIP holding both PMTiles archives (the atlas's vector tiles and
    /// the basemap's raster tiles over the same place), which the viewer opens whole.
    pub peta_dasar: Option<String>,
}

/// An offline map package: the tile layers over a place as one PMTiles file, the same as
/// `kumuh export --format pmtiles`, for the viewer's "Buka berkas PMTiles" on a device
/// without a connection; with `peta_dasar`, a ZIP of that archive and the basemap's.
#[utoipa::path(get, path = "/api/peta-luring", tag = "tiles", params(PackageParams),
    responses((status = 200, description = "PMTiles v3 archive (application/vnd.pmtiles), or with `peta_dasar` a ZIP of stored entries holding it and the basemap's raster PMTiles (application/zip)"),
              (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn package(
    State(state): State<AppState>,
    Query(params): Query<PackageParams>,
) -> ApiResult<Response> {
    let wilayah = params.wilayah.as_deref().map(parse_wilayah).transpose()?;
    let package = kumuh_app::tiles::Package {
        wilayah,
        layers: params
            .lapisan
            .as_deref()
            .map(|l| {
                l.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        minzoom: params.minzoom.unwrap_or(0),
        maxzoom: params.maxzoom.unwrap_or(MAX_ZOOM),
    };
    let peta_dasar = params.peta_dasar.as_deref().filter(|p| !p.is_empty());
    let paket = kumuh_app::luring::paket(
        &state.atlas(),
        &package,
        peta_dasar,
        Some(kumuh_app::luring::PAKET_MAX_UBIN),
    )
    .await
    // A query parameter the package cannot be made with is a malformed request; a
    // basemap that cannot be packed (a remote one) is refused as on its own route.
    .map_err(|e| match e {
        kumuh_app::AppError::Invalid { ref field, .. } if !field.is_empty() => {
            ApiError::bad_request(e.to_string())
        }
        other => other.into(),
    })?;
    Ok(attachment(&paket.nama_berkas, paket.jenis, paket.bytes))
}
