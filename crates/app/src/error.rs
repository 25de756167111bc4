//! The one error type of the use cases.

use kumuh_domain::auth::Denied;
use kumuh_store::StoreError;

/// Why a use case did not happen. Each variant says what a transport tells its caller;
/// [`AppError::Store`] and [`AppError::Internal`] are failures of the machine, not of the
/// request, and their text is for the log.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The record asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// Nobody is signed in.
    #[error("{0}")]
    Unauthenticated(String),
    /// The acting user may not do this (or is not signed in).
    #[error(transparent)]
    Forbidden(#[from] Denied),
    /// The command is well-formed but not acceptable; `field` names what is wrong
    /// (empty when the message names it already, as a domain rule's does).
    #[error("{}", invalid_text(.field, .message))]
    Invalid {
        /// The field of the command.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The change was made on an older version of a versioned record than the stored one.
    #[error(
        "{what} was changed by someone else: this change was made on version {expected}, it is now at version {current}; reload and try again"
    )]
    Stale {
        /// The record, e.g. `siteplan SP1`.
        what: String,
        /// The version the change was made on.
        expected: i64,
        /// The stored version.
        current: i64,
    },
    /// The change conflicts with what is stored; `code` says how (`conflict`, `busy`,
    /// `stale_version` for a domain-level version check).
    #[error("{message}")]
    Conflict {
        /// Stable machine-readable code.
        code: &'static str,
        /// What conflicts.
        message: String,
    },
    /// A file sent cannot be read as what it should be (a photo that is no image, of a
    /// type the atlas does not keep, or of too many pixels): the request is malformed.
    #[error("{0}")]
    Unreadable(String),
    /// A file sent is larger than the atlas accepts.
    #[error("{0}")]
    TooLarge(String),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// Something else failed that the caller cannot mend.
    #[error("{0}")]
    Internal(String),
}

fn invalid_text(field: &str, message: &str) -> String {
    if field.is_empty() {
        message.to_owned()
    } else {
        format!("{field}: {message}")
    }
}

impl AppError {
    /// An unacceptable value of `field`.
    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// A rule that the command breaks, its message naming what is wrong.
    pub fn rule(message: impl std::fmt::Display) -> AppError {
        AppError::invalid("", message.to_string())
    }

    /// A failure the caller cannot mend (logged by the transport).
    pub fn internal(message: impl std::fmt::Display) -> AppError {
        AppError::Internal(message.to_string())
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Stale {
                what,
                expected,
                current,
            } => AppError::Stale {
                what,
                expected,
                current,
            },
            StoreError::NotFound(m) => AppError::NotFound(format!("{m} does not exist")),
            StoreError::Conflict(m) => AppError::Conflict {
                code: "conflict",
                message: m,
            },
            StoreError::Invalid(m) => AppError::rule(m),
            other => AppError::Store(other),
        }
    }
}

impl From<kumuh_domain::works::WorksError> for AppError {
    fn from(e: kumuh_domain::works::WorksError) -> Self {
        AppError::rule(e)
    }
}

impl From<kumuh_domain::siteplan::SiteplanError> for AppError {
    fn from(e: kumuh_domain::siteplan::SiteplanError) -> Self {
        use kumuh_domain::siteplan::SiteplanError;
        match &e {
            SiteplanError::Conflict { .. } => AppError::Conflict {
                code: "stale_version",
                message: e.to_string(),
            },
            SiteplanError::VersiNotFound { .. } => AppError::NotFound(e.to_string()),
            _ => AppError::rule(e),
        }
    }
}

impl From<crate::tiles::TilesError> for AppError {
    fn from(e: crate::tiles::TilesError) -> Self {
        AppError::internal(e)
    }
}

/// Result of a use case.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_keep_their_meaning_and_text() {
        let stale = AppError::from(StoreError::Stale {
            what: "kegiatan K1".into(),
            expected: 2,
            current: 3,
        });
        assert!(matches!(
            stale,
            AppError::Stale {
                expected: 2,
                current: 3,
                ..
            }
        ));
        assert!(
            stale
                .to_string()
                .contains("version 2, it is now at version 3")
        );
        let gone = AppError::from(StoreError::NotFound("kegiatan K9".into()));
        assert_eq!(gone.to_string(), "kegiatan K9 does not exist");
        assert!(matches!(
            AppError::from(StoreError::Conflict("taken".into())),
            AppError::Conflict {
                code: "conflict",
                ..
            }
        ));
    }

    #[test]
    fn an_invalid_field_is_named_before_its_message() {
        assert_eq!(
            AppError::invalid("nama", "must not be empty").to_string(),
            "nama: must not be empty"
        );
        assert_eq!(
            AppError::rule("no such segment").to_string(),
            "no such segment"
        );
    }
}
