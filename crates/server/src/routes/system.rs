//! Health, client configuration and sign-in.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;

/// Whether the server and its store answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the store answered.
    pub status: &'static str,
    /// Version of the running kumuh.
    pub version: &'static str,
    /// The store backend (`geopackage`).
    pub store: &'static str,
    /// The store's schema version.
    pub schema_version: i64,
}

/// Liveness and store health.
#[utoipa::path(get, path = "/api/health", tag = "system",
    responses((status = 200, body = Health), (status = 500, body = ErrorBody)))]
pub async fn health(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    let info = state.store.info().await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        store: info.backend,
        schema_version: info.schema_version,
    }))
}

/// The place the viewer opens on.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Home {
    /// Level of the home place (`kecamatan`).
    pub level: String,
    /// Its code.
    pub kode: String,
}

/// What the viewer needs to start.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClientConfig {
    /// Title shown in the header.
    pub title: String,
    /// A MapLibre style URL to use as basemap; `null` for the plain offline background.
    pub basemap_style_url: Option<String>,
    /// The place to open on.
    pub home: Home,
    /// `[min_lon, min_lat, max_lon, max_lat]` of the home place, if it has a boundary.
    pub bounds: Option<[f64; 4]>,
    /// Every vector tile layer with what its TileJSON (`/tiles/{layer}`) says of where
    /// and at which zooms its tiles are, so that the viewer's first map view waits for no
    /// TileJSON request.
    pub tiles: Vec<ConfigTiles>,
}

/// One vector tile layer as `/api/config` gives it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConfigTiles {
    /// Layer id, e.g. `desa`: also the MVT layer inside each tile.
    pub id: &'static str,
    /// Tile URL template relative to the server's root, e.g. `tiles/desa/{z}/{x}/{y}.mvt`
    /// (the viewer resolves it like its API calls).
    pub tiles: String,
    /// The shallowest zoom with tiles.
    pub minzoom: u8,
    /// The deepest zoom with tiles; clients draw deeper zooms from these.
    pub maxzoom: u8,
    /// `[min_lon, min_lat, max_lon, max_lat]` of the layer's features when the server
    /// answered (of Indonesia while the layer is empty).
    pub bounds: [f64; 4],
}

/// Configuration for the viewer.
#[utoipa::path(get, path = "/api/config", tag = "system",
    responses((status = 200, body = ClientConfig)))]
pub async fn config(State(state): State<AppState>) -> ApiResult<Json<ClientConfig>> {
    let home = kumuh_domain::Kode::parse(&state.config.home)
        .map_err(|e| ApiError::internal(format!("configured home place: {e}")))?;
    let place = state.store.place(&home).await?;
    Ok(Json(ClientConfig {
        title: place
            .as_ref()
            .map(|p| format!("{} {}", home.level().label_id(), p.nama))
            .unwrap_or_else(|| "Kumuh".to_owned()),
        basemap_style_url: state.config.basemap_style_url.clone(),
        home: Home {
            level: home.level().to_string(),
            kode: home.to_string(),
        },
        bounds: place
            .and_then(|p| p.geometry)
            .and_then(|g| kumuh_domain::geometry::bbox(&g)),
        tiles: crate::tiles::LAYERS
            .iter()
            .map(|l| ConfigTiles {
                id: l.id,
                tiles: format!("tiles/{}/{{z}}/{{x}}/{{y}}.mvt", l.id),
                minzoom: 0,
                maxzoom: crate::tiles::MAX_ZOOM,
                bounds: crate::routes::tiles::layer_bounds(&state, l.id),
            })
            .collect(),
    }))
}

/// Credentials to sign in with.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"username": "admin", "password": "kata-sandi-rahasia"}))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
    /// `true` for the browser: the session goes into an HttpOnly cookie and the answer
    /// carries the CSRF token instead of a bearer token.
    #[serde(default)]
    pub sesi: bool,
}

/// A signed-in user as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserInfo {
    /// Login name.
    pub username: String,
    /// `admin`, `kabupaten`, `lkm` or `viewer`.
    pub role: String,
    /// The desa an `lkm` user writes for.
    pub desa: Vec<String>,
    /// For a cookie session: the value to send as `X-CSRF-Token` on every change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
}

impl From<&kumuh_domain::User> for UserInfo {
    fn from(u: &kumuh_domain::User) -> Self {
        UserInfo {
            username: u.username.clone(),
            role: u.role.to_string(),
            desa: u.desa.iter().map(ToString::to_string).collect(),
            csrf_token: None,
        }
    }
}

/// A bearer token to send as `Authorization: Bearer <token>`, or a cookie session.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// The bearer token (not for a cookie session); shown once, stored only as a hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// When it expires, seconds since the Unix epoch.
    pub expires_unix: i64,
    /// Who it signs in (with the CSRF token of a cookie session).
    pub user: UserInfo,
}

fn session_cookie(state: &AppState, value: &str, max_age: i64) -> Result<HeaderValue, ApiError> {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
        auth::SESSION_COOKIE
    ))
    .map_err(ApiError::internal)
}

/// Exchanges a username and password for a bearer token, or (with `"sesi": true`) for a
/// session cookie and its CSRF token. After 5 failed sign-ins for one user name from one
/// client address (or 20 from one address for any names), that address waits before its
/// next attempt: 429 with `Retry-After`, 1 s, doubling with each further failure up to
/// 15 minutes; failures are forgotten after 15 quiet minutes. Other addresses are not
/// slowed, so wrong guesses cannot lock a user out.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    addr: auth::ClientAddr,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Response> {
    let ip = addr.0.map(|a| a.ip());
    let atlas = state.atlas();
    let store = atlas.store.as_ref();
    if let Some(wait) = state.logins.blocked_in(store, &req.username, ip).await {
        return Err(ApiError::too_many(
            format!("too many failed sign-ins; try again in {wait} s"),
            wait,
        ));
    }
    let Some(signed_in) =
        kumuh_app::users::check_login(&atlas, &req.username, &req.password).await?
    else {
        state.logins.failed_in(store, &req.username, ip).await;
        tracing::warn!(user = %req.username, "failed sign-in");
        return Err(ApiError::unauthenticated("wrong username or password"));
    };
    state.logins.succeeded_in(store, &req.username, ip).await;
    let (token, expires_unix) =
        kumuh_app::users::issue_token(&atlas, &signed_in.username, auth::TOKEN_LIFETIME_SECS)
            .await?;
    tracing::info!(user = %signed_in.username, sesi = req.sesi, "signed in");
    let mut user = UserInfo::from(&signed_in);
    if req.sesi {
        user.csrf_token = Some(auth::csrf_token(&token));
        let cookie = session_cookie(&state, &token, auth::TOKEN_LIFETIME_SECS)?;
        let body = LoginResponse {
            token: None,
            expires_unix,
            user,
        };
        let mut res = axum::Json(body).into_response();
        res.headers_mut().insert(header::SET_COOKIE, cookie);
        return Ok(res);
    }
    Ok(axum::Json(LoginResponse {
        token: Some(token),
        expires_unix,
        user,
    })
    .into_response())
}

/// The signed-in user (with the CSRF token again for a cookie session).
#[utoipa::path(get, path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = UserInfo), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn me(session: auth::Session) -> ApiResult<Json<UserInfo>> {
    let mut info = UserInfo::from(&session.user);
    if session.via == auth::Via::Cookie {
        info.csrf_token = Some(auth::csrf_token(&session.token));
    }
    Ok(Json(info))
}

/// Signs out: the token or session stops working and the cookie is cleared.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn logout(State(state): State<AppState>, session: auth::Session) -> ApiResult<Response> {
    kumuh_app::users::sign_out(&state.atlas(), &session.token).await?;
    tracing::info!(user = %session.user.username, "signed out");
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&state, "", 0)?);
    Ok(res)
}
