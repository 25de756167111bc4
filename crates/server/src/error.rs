//! The one error type of the HTTP API: every failure becomes JSON `{code, message}`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kumuh_domain::auth::Denied;
use kumuh_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `not_found`, `bad_request`.
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
}

/// An API failure with its HTTP status. Clone, so that the caller resolved once per
/// request (with its failure) can be kept in the request's extensions.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after: Option<u64>,
}

impl ApiError {
    /// 409 with a specific code: the request conflicts with the stored state.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, code, message)
    }

    /// 403 with a specific code.
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, code, message)
    }

    /// 429: too many attempts; try again after `retry_after_secs`.
    pub fn too_many(message: impl Into<String>, retry_after_secs: u64) -> Self {
        let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", message);
        e.retry_after = Some(retry_after_secs);
        e
    }

    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 404: nothing there.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 401: sign in first.
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
    }

    /// 413: the request body is larger than the server accepts.
    pub fn payload_too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", message)
    }

    /// 422: well-formed, but the content is not acceptable (e.g. an invalid geometry).
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }

    /// 500: the message is logged, the client learns only that something failed.
    pub fn internal(message: impl std::fmt::Display) -> Self {
        tracing::error!(error = %message, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; the server log has the details",
        )
    }

    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (
            self.status,
            Json(ErrorBody {
                code: self.code,
                message: self.message,
            }),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            e @ StoreError::Stale { .. } => {
                ApiError::new(StatusCode::CONFLICT, "stale_version", e.to_string())
            }
            StoreError::NotFound(m) => ApiError::not_found(format!("{m} does not exist")),
            StoreError::Invalid(m) => ApiError::unprocessable(m),
            StoreError::ReadOnly { action, .. } => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "read_only",
                format!("the store is open read-only; {action} is refused"),
            ),
            e @ StoreError::HasChildren { .. } => ApiError::conflict("has_children", e.to_string()),
            other => ApiError::internal(other),
        }
    }
}

/// The one translation of a use case's failure into HTTP: status, code and message.
impl From<kumuh_app::AppError> for ApiError {
    fn from(e: kumuh_app::AppError) -> Self {
        use kumuh_app::AppError;
        match e {
            AppError::NotFound(m) => ApiError::not_found(m),
            AppError::Unauthenticated(m) => ApiError::unauthenticated(m),
            AppError::Forbidden(d) => d.into(),
            e @ AppError::Invalid { .. } => ApiError::unprocessable(e.to_string()),
            e @ AppError::Stale { .. } => {
                ApiError::new(StatusCode::CONFLICT, "stale_version", e.to_string())
            }
            AppError::Conflict { code, message } => ApiError::conflict(code, message),
            AppError::Unreadable(m) => ApiError::bad_request(m),
            AppError::TooLarge(m) => ApiError::payload_too_large(m),
            AppError::Store(e) => e.into(),
            other => ApiError::internal(other),
        }
    }
}

impl From<Denied> for ApiError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::Unauthenticated => ApiError::unauthenticated(d.to_string()),
            Denied::Forbidden { .. } => {
                ApiError::new(StatusCode::FORBIDDEN, "forbidden", d.to_string())
            }
        }
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
