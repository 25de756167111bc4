//! The HTTP side of Kumuh: the JSON API under `/api`, its OpenAPI document, and the
//! viewer's assets. This is the only crate that knows HTTP.
//!
//! [`app`] builds the whole router from an [`AppState`]; [`serve`] runs it with graceful
//! shutdown.

mod assets;
pub mod auth;
pub mod error;
mod extract;
pub mod routes;

pub use kumuh_app::tiles;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use kumuh_store::Store;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::{ApiError, ErrorBody};

/// Server settings beyond the store.
#[derive(Debug, Clone)]
pub struct Config {
    /// Code of the place the viewer opens on.
    pub home: String,
    /// Optional MapLibre style URL for a basemap.
    pub basemap_style_url: Option<String>,
    /// Requests taking longer are answered with 503 (except file imports, which have
    /// [`Config::upload_timeout`]).
    pub request_timeout: Duration,
    /// File imports (`POST /api/impor`, `/api/impor/pratinjau`) taking longer, upload
    /// included, are answered with 503: a file of the upload limit needs minutes on a
    /// slow connection, more than any other request may take.
    pub upload_timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Largest photo of a work accepted, in bytes (15 MiB by default); a photo upload is
    /// read up to this limit instead of `max_body_bytes`.
    pub max_foto_bytes: usize,
    /// Largest file accepted by an import (`POST /api/impor`, `/api/impor/pratinjau`),
    /// in bytes; the file is streamed to a temporary file, never held in memory.
    pub max_upload_bytes: u64,
    /// Bytes of gzipped tiles kept in memory (0 turns the cache off).
    pub tile_cache_bytes: usize,
    /// Mark the session cookie `Secure` (send it over HTTPS only). On for any deployment
    /// behind HTTPS; off by default so that `http://127.0.0.1` works.
    pub secure_cookies: bool,
    /// How often a serving server reads the store's change feed, so that writes made by
    /// other processes (the command line's `import`, QGIS) reach the tiles.
    pub follow_interval: Duration,
    /// The URL browsers reach the atlas at (`https://host[:port][/prefix]`, no trailing
    /// slash), for absolute URLs in answers such as TileJSON's `tiles`. Without it, the
    /// server's own address on the connection is used; the `Host` header never is,
    /// since the client chooses it.
    pub public_url: Option<String>,
    /// The limits between a loan's kolektibilitas classes (the shipped `upk-angsuran`
    /// unless the district chose its own).
    pub kolektibilitas: Arc<kumuh_domain::upk::AturanKolektibilitas>,
}

/// Checks a public URL for [`Config::public_url`]: `http` or `https`, a host, no query or
/// fragment; answers it without a trailing slash.
pub fn public_url(text: &str) -> Result<String, String> {
    let t = text.trim().trim_end_matches('/');
    let rest = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .ok_or_else(|| format!("`{text}` must start with http:// or https://"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty()
        || rest.contains(['?', '#', '@', ' ', '"', '<', '>', '\\'])
        || rest.chars().any(char::is_control)
    {
        return Err(format!(
            "`{text}` must be a plain URL: a host, an optional port and path, no query"
        ));
    }
    Ok(t.to_owned())
}

impl Default for Config {
    fn default() -> Self {
        Config {
            home: kumuh_io::seed::HOME_KECAMATAN.to_owned(),
            basemap_style_url: None,
            request_timeout: Duration::from_secs(30),
            upload_timeout: Duration::from_secs(600),
            max_body_bytes: 16 * 1024 * 1024,
            max_foto_bytes: kumuh_io::foto::MAX_BYTES,
            max_upload_bytes: 200 * 1024 * 1024,
            secure_cookies: false,
            tile_cache_bytes: 64 * 1024 * 1024,
            follow_interval: Duration::from_secs(2),
            public_url: None,
            kolektibilitas: Arc::new(kumuh_domain::upk::AturanKolektibilitas::bawaan()),
        }
    }
}

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The store behind the API.
    pub store: Arc<dyn Store>,
    /// Server settings.
    pub config: Arc<Config>,
    /// Failed sign-ins, for the login rate limit.
    pub logins: Arc<auth::LoginLimiter>,
    /// The vector tile layers and their cache.
    pub tiles: Arc<tiles::Tiles>,
}

impl AppState {
    /// The state of a server on `store` with `config`, without tile layers (for
    /// in-process calls that serve no map).
    pub fn new(store: Arc<dyn Store>, config: Config) -> AppState {
        AppState {
            store,
            config: Arc::new(config),
            logins: Arc::new(auth::LoginLimiter::default()),
            tiles: Arc::new(
                tiles::Tiles::empty(0).unwrap_or_else(|e| unreachable!("default options: {e}")),
            ),
        }
    }

    /// What the use cases work on: the same store and tiles.
    pub fn atlas(&self) -> kumuh_app::Atlas {
        kumuh_app::Atlas {
            store: self.store.clone(),
            tiles: self.tiles.clone(),
            kolektibilitas: Arc::clone(&self.config.kolektibilitas),
        }
    }

    /// The state of a serving server: the tile layers are built from the store.
    pub async fn open(
        store: Arc<dyn Store>,
        config: Config,
    ) -> Result<AppState, tiles::TilesError> {
        let atlas = kumuh_app::Atlas::open(store, config.tile_cache_bytes).await?;
        Ok(AppState {
            tiles: atlas.tiles,
            ..AppState::new(atlas.store, config)
        })
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kumuh API",
        description = "Planning atlas for slum upgrading (penanganan permukiman kumuh) in Indonesia. Reads are public; writes need `Authorization: Bearer <token>` from `POST /api/auth/login`.",
        license(name = "MIT")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "system", description = "Health and configuration"),
        (name = "auth", description = "Sign-in"),
        (name = "places", description = "Administrative places and slum locations"),
        (name = "assessments", description = "Slum assessments (penilaian kumuh) and their summaries"),
        (name = "siteplans", description = "Village siteplans: versions, restore, export"),
        (name = "tiles", description = "Vector tiles (MVT) of every layer, with TileJSON"),
        (name = "works", description = "Works (kegiatan), segments, co-funding, photos of segments (foto), maintenance groups, the funding report and the audit log"),
        (name = "dokumen", description = "Printable planning documents: the profile, the RPLP and the SK Kumuh annex, as HTML or XLSX")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes and, from the same registrations, their OpenAPI document: a route
/// cannot exist without being documented. The file imports come as a router of their
/// own, since they have their own timeout.
fn api() -> (Router<AppState>, Router<AppState>, OpenApiDoc) {
    use routes::{
        dokumen, ekspor, foto, impor, jaringan, kegiatan, penilaian, peta_dasar, places, siteplan,
        skenario, system, tiles, upk, upk_tagih,
    };
    let main = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(system::health))
        .routes(routes!(system::config))
        .routes(routes!(system::login))
        .routes(routes!(system::me))
        .routes(routes!(system::logout))
        .routes(routes!(places::list))
        .routes(routes!(places::geojson))
        .routes(routes!(places::labels))
        .routes(routes!(places::get, places::put, places::delete))
        .routes(routes!(places::search))
        .routes(routes!(places::lokasi))
        .routes(routes!(ekspor::ekspor))
        .routes(routes!(dokumen::profil))
        .routes(routes!(dokumen::rplp))
        .routes(routes!(dokumen::sk_kumuh))
        .routes(routes!(penilaian::list))
        .routes(routes!(penilaian::ringkasan))
        .routes(routes!(jaringan::list))
        .routes(routes!(jaringan::turunan))
        .routes(routes!(kegiatan::read::list, kegiatan::create))
        .routes(routes!(kegiatan::read::get, kegiatan::update))
        .routes(routes!(kegiatan::add_segmen))
        .routes(routes!(kegiatan::update_segmen))
        .routes(routes!(kegiatan::alokasi))
        .routes(routes!(kegiatan::realisasi))
        .routes(routes!(kegiatan::progres))
        .routes(routes!(kegiatan::batal))
        .routes(routes!(kegiatan::put_kpp))
        .routes(routes!(kegiatan::iuran))
        .routes(routes!(kegiatan::belanja))
        .routes(routes!(kegiatan::kpp_batal))
        .routes(routes!(foto::daftar, foto::unggah))
        .routes(routes!(foto::foto, foto::hapus))
        .routes(routes!(foto::kecil))
        .routes(routes!(peta_dasar::daftar))
        .routes(routes!(peta_dasar::ubin))
        .routes(routes!(peta_dasar::luring))
        .routes(routes!(kegiatan::read::segmen_geojson))
        .routes(routes!(kegiatan::read::audit))
        .routes(routes!(kegiatan::laporan::pendanaan))
        .routes(routes!(skenario::hitung))
        .routes(routes!(siteplan::list, siteplan::create))
        .routes(routes!(siteplan::kategori))
        .routes(routes!(siteplan::get, siteplan::update))
        .routes(routes!(siteplan::put_fitur))
        .routes(routes!(siteplan::pulihkan))
        .routes(routes!(siteplan::export_geojson))
        .routes(routes!(siteplan::export_gpkg))
        .routes(routes!(routes::upk_bulanan::kinerja_bulanan))
        .routes(routes!(upk::list_ksm, upk::create_ksm))
        .routes(routes!(upk::get_ksm, upk::update_ksm))
        .routes(routes!(upk::tabungan))
        .routes(routes!(upk::create_pinjaman))
        .routes(routes!(upk::get_pinjaman))
        .routes(routes!(upk::angsuran))
        .routes(routes!(upk::batal))
        .routes(routes!(upk::keputusan))
        .routes(routes!(upk::cair))
        .routes(routes!(upk::hapus_buku))
        .routes(routes!(upk_tagih::penyebab))
        .routes(routes!(upk_tagih::daftar, upk_tagih::rencana))
        .routes(routes!(upk_tagih::hasil))
        .routes(routes!(upk::kinerja))
        .routes(routes!(upk::tunggakan))
        .routes(routes!(tiles::catalog))
        .routes(routes!(tiles::tilejson))
        .routes(routes!(tiles::tile))
        .routes(routes!(tiles::package))
        .merge(routes::publik::routes());
    let (main, mut doc) = main.split_for_parts();
    let (uploads, uploads_doc) = OpenApiRouter::new()
        .routes(routes!(impor::pratinjau))
        .routes(routes!(impor::impor))
        .split_for_parts();
    doc.merge(uploads_doc);
    (main, uploads, doc)
}

/// The OpenAPI 3 document of the whole API.
pub fn openapi() -> OpenApiDoc {
    api().2
}

/// The whole application: API, OpenAPI document, viewer, and the layers around them.
pub fn app(state: AppState) -> Router {
    let (api, uploads, doc) = api();
    let doc = Arc::new(doc);
    let config = state.config.clone();
    let timeout = |limit| TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, limit);
    api.route(
        "/api/openapi.json",
        axum::routing::get(move || {
            let doc = doc.clone();
            async move { axum::Json(doc.as_ref().clone()) }
        }),
    )
    .fallback(assets::serve)
    .layer(timeout(config.request_timeout))
    .merge(uploads.layer(timeout(config.upload_timeout)))
    // Inside the body limit and compression, outside every handler: an anonymous write
    // is refused before its body is read or anything it names is looked up.
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        auth::resolve_caller,
    ))
    .with_state(state)
    // Enforced by the extractors, so an oversized body gets the JSON 413 like any error.
    .layer(axum::extract::DefaultBodyLimit::max(config.max_body_bytes))
    .layer(CompressionLayer::new())
    .layer(TraceLayer::new_for_http())
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets running requests
/// finish. Meanwhile the tiles follow writes made to the store by other processes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let follower = tokio::spawn(follow_store(state.clone()));
    let served = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<auth::Connection>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    follower.abort();
    served
}

/// Brings the tiles up to the store's change feed every `follow_interval`, for as long as
/// the server runs. A failed read is logged and tried again at the next turn.
async fn follow_store(state: AppState) {
    let mut ticks = tokio::time::interval(state.config.follow_interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match state.tiles.sync(state.store.as_ref()).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(changes = n, "tiles follow the store"),
            Err(e) => tracing::warn!(error = %e, "reading the store's change feed"),
        }
    }
}

/// A request made in-process (by the command line), through the same router, checks,
/// authorization and audit log as one over the network.
#[derive(Debug, Clone, Default)]
pub struct LocalRequest {
    /// HTTP method (`GET`, `POST` …).
    pub method: String,
    /// Path and query, starting with `/api/`.
    pub path: String,
    /// Bearer token of the user acting, if any.
    pub token: Option<String>,
    /// Version for `If-Match`, if any.
    pub if_match: Option<i64>,
    /// JSON body, if any.
    pub body: Option<String>,
}

/// The answer to a [`LocalRequest`].
#[derive(Debug, Clone)]
pub struct LocalResponse {
    /// HTTP status code.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

/// Runs one request through [`app`] without a network.
pub async fn call_local(state: AppState, r: LocalRequest) -> Result<LocalResponse, String> {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let method = axum::http::Method::from_bytes(r.method.to_ascii_uppercase().as_bytes())
        .map_err(|_| format!("`{}` is not an HTTP method", r.method))?;
    let mut req = axum::http::Request::builder().method(method).uri(&r.path);
    if let Some(t) = &r.token {
        req = req.header(axum::http::header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some(v) = r.if_match {
        req = req.header(axum::http::header::IF_MATCH, format!("\"{v}\""));
    }
    let req = match r.body {
        Some(b) => req
            .header(axum::http::header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(b)),
        None => req.body(axum::body::Body::empty()),
    }
    .map_err(|e| format!("invalid request: {e}"))?;
    let res = app(state).oneshot(req).await.map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let body = res
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes()
        .to_vec();
    Ok(LocalResponse { status, body })
}
