//! Health, client configuration and sign-in.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::{self, CurrentUser};
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
    }))
}

/// Credentials for `POST /api/auth/login`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// A signed-in user as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserInfo {
    /// Login name.
    pub username: String,
    /// `admin` or `viewer`.
    pub role: String,
}

impl From<&kumuh_domain::User> for UserInfo {
    fn from(u: &kumuh_domain::User) -> Self {
        UserInfo {
            username: u.username.clone(),
            role: u.role.to_string(),
        }
    }
}

/// A bearer token to send as `Authorization: Bearer <token>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// The token; shown once, stored only as a hash.
    pub token: String,
    /// When it expires, seconds since the Unix epoch.
    pub expires_unix: i64,
    /// Who it signs in.
    pub user: UserInfo,
}

/// Exchanges a username and password for a bearer token.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let creds = state.store.credentials(&req.username).await?;
    let password = req.password.clone();
    let hash = creds.as_ref().map(|c| c.password_hash.clone());
    // Argon2 is deliberately slow: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(h) => auth::verify_password(&password, &h),
        None => {
            // Spend the same time for unknown users so names cannot be probed.
            let _ = auth::hash_password(&password);
            false
        }
    })
    .await
    .map_err(ApiError::internal)?;
    let creds = match (ok, creds) {
        (true, Some(c)) => c,
        _ => return Err(ApiError::unauthenticated("wrong username or password")),
    };
    let token = auth::new_token().map_err(ApiError::internal)?;
    let expires_unix = auth::now_unix() + auth::TOKEN_LIFETIME_SECS;
    state
        .store
        .add_token(
            &creds.user.username,
            &auth::token_hash(&token),
            expires_unix,
        )
        .await?;
    tracing::info!(user = %creds.user.username, "signed in");
    Ok(Json(LoginResponse {
        token,
        expires_unix,
        user: UserInfo::from(&creds.user),
    }))
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = UserInfo), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn me(user: CurrentUser) -> ApiResult<Json<UserInfo>> {
    match &user.0 {
        Some(u) => Ok(Json(UserInfo::from(u))),
        None => Err(ApiError::unauthenticated("sign in first")),
    }
}
