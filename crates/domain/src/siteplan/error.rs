//! The one error type of the siteplan model.

use super::fitur::FiturIssue;
use super::kategori::Kategori;
use super::versi::StatusSiteplan;

/// Everything that can go wrong when reading, building or changing a siteplan. Each
/// variant names the siteplan and, where it is about one, the feature (its index in the
/// list and its id) and the field, so that a message can be shown beside the drawing.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SiteplanError {
    /// Text that is not a feature category.
    #[error(
        "unknown kategori `{value}`; expected one of {}",
        Kategori::ids_joined()
    )]
    UnknownKategori {
        /// The text as given.
        value: String,
    },
    /// Text that is not a siteplan status.
    #[error(
        "unknown status `{value}`; expected one of draf/draft, diusulkan/proposed, \
         ditetapkan/adopted"
    )]
    UnknownStatus {
        /// The text as given.
        value: String,
    },
    /// One field of a record holds a value that is not allowed.
    #[error("{record}: field `{field}`: {message}")]
    InvalidField {
        /// The record, e.g. `siteplan `wisata-bibrik`` or `fitur id `…``.
        record: String,
        /// The field name as stored (`judul`, `kode_desa`, `dibuat_oleh`, `waktu`).
        field: &'static str,
        /// What is wrong, in a sentence.
        message: String,
    },
    /// More features than one version may hold.
    #[error("siteplan `{siteplan}`: {count} features, at most {max} are allowed")]
    TooManyFitur {
        /// The siteplan.
        siteplan: String,
        /// How many were given.
        count: usize,
        /// The limit, [`super::MAX_FITUR`].
        max: usize,
    },
    /// More vertices in all features of one version together than allowed.
    #[error("siteplan `{siteplan}`: {count} vertices in all features, at most {max} are allowed")]
    TooManyVerticesTotal {
        /// The siteplan.
        siteplan: String,
        /// How many were given.
        count: usize,
        /// The limit, [`super::MAX_VERTICES_TOTAL`].
        max: usize,
    },
    /// One or more features are not valid. Every problem found is listed, in feature
    /// order; the message shows the first.
    #[error(
        "siteplan `{siteplan}`: {first}{more}",
        first = issues.first().map(ToString::to_string).unwrap_or_default(),
        more = match issues.len() {
            0 | 1 => String::new(),
            n => format!(" (and {} more problems)", n - 1),
        }
    )]
    InvalidFitur {
        /// The siteplan.
        siteplan: String,
        /// Every problem, with feature index, id and field.
        issues: Vec<FiturIssue>,
    },
    /// The change was made on a version that is no longer the current one; the caller
    /// answers HTTP 409 and the user reloads.
    #[error(
        "siteplan `{siteplan}`: the change was made on version {expected}, but the current \
         version is {current}; reload the siteplan and make the change again"
    )]
    Conflict {
        /// The siteplan.
        siteplan: String,
        /// The version the change was made on.
        expected: u32,
        /// The current version.
        current: u32,
    },
    /// A version number the siteplan does not have.
    #[error("siteplan `{siteplan}` has no version {versi}; its versions run from 1 to {current}")]
    VersiNotFound {
        /// The siteplan.
        siteplan: String,
        /// The version asked for.
        versi: u32,
        /// The current (highest) version.
        current: u32,
    },
    /// A status change the life cycle does not allow.
    #[error(
        "siteplan `{siteplan}`: status cannot change from {from} to {to}; allowed next: {allowed}"
    )]
    StatusTransition {
        /// The siteplan.
        siteplan: String,
        /// Current status.
        from: StatusSiteplan,
        /// Requested status.
        to: StatusSiteplan,
        /// The statuses that may follow `from`, comma-separated.
        allowed: String,
    },
    /// Features change only while the siteplan is a draft.
    #[error(
        "siteplan `{siteplan}` is {status} ({label}) at version {versi}; set its status back \
         to draf before changing its features",
        label = status.label_en().to_lowercase()
    )]
    NotDraf {
        /// The siteplan.
        siteplan: String,
        /// Its status.
        status: StatusSiteplan,
        /// Its current version.
        versi: u32,
    },
    /// A stored siteplan breaks its own invariants (versions out of order, a restore
    /// that does not match its source, a status history that the life cycle forbids).
    #[error("siteplan `{siteplan}`: invalid stored history: {message}")]
    InvalidHistory {
        /// The siteplan.
        siteplan: String,
        /// What is wrong.
        message: String,
    },
}

/// Result type of the siteplan model.
pub type Result<T, E = SiteplanError> = std::result::Result<T, E>;

impl SiteplanError {
    /// Shorthand for [`SiteplanError::InvalidField`].
    pub(crate) fn field(
        record: impl std::fmt::Display,
        field: &'static str,
        message: impl Into<String>,
    ) -> SiteplanError {
        SiteplanError::InvalidField {
            record: record.to_string(),
            field,
            message: message.into(),
        }
    }

    /// Shorthand for [`SiteplanError::InvalidHistory`].
    pub(crate) fn history(siteplan: impl std::fmt::Display, message: impl Into<String>) -> Self {
        SiteplanError::InvalidHistory {
            siteplan: siteplan.to_string(),
            message: message.into(),
        }
    }
}
