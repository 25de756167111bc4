//! Village siteplans: the plans LKM boards draw for their desa.
//!
//! An LKM (Lembaga Keswadayaan Masyarakat, the village community board) draws a
//! siteplan ([`Siteplan`]) for its desa: points, lines and polygons ([`Fitur`]) in
//! EPSG:4326, each with a category ([`Kategori`]: road, drain, garden, mural, catfish
//! pond, mushroom cultivation, culinary centre, public facility, area boundary, other),
//! a label and a note. The Bibrik tourism siteplan ([`contoh_bibrik`]) is the model
//! case: the paving road through the catfish-farming area, a 3D mural of about 170 m
//! along it, small gardens, mushroom and catfish education spots and a grilled-chicken
//! culinary centre.
//!
//! Every save appends a version ([`SiteplanVersi`]); old versions never change, and an
//! old state comes back as a new version copying it ([`Siteplan::restore`]). Each change
//! names the version its author was looking at, so two editors cannot overwrite each
//! other ([`SiteplanError::Conflict`]). Header changes (title, status, description, the
//! illustrative mark) are recorded too ([`PerubahanHeader`]); the status follows a small
//! life cycle, draft, proposed, adopted ([`StatusSiteplan`]).
//!
//! Features are checked when saved ([`validate_fitur`], [`fitur_from_drafts`]), and
//! every problem is named by feature index, id and field, down to the ring, the two
//! edges and the point where a polygon crosses itself ([`FiturIssue`]). Features
//! outside the desa are warnings, not errors ([`outside_desa`]). Sizes are geodesic
//! ([`Fitur::ukuran`]).
//!
//! | limit | value |
//! |---|---|
//! | features per version | [`MAX_FITUR`] (5,000) |
//! | vertices per feature | [`MAX_VERTICES_PER_FITUR`] (50,000) |
//! | vertices per version | [`MAX_VERTICES_TOTAL`] (500,000) |
//! | label, title | [`MAX_LABEL_CHARS`], [`MAX_JUDUL_CHARS`] (200 characters, one line) |
//! | note, description, version note | [`MAX_CATATAN_CHARS`] (2,000 characters) |
//! | username | [`MAX_USER_CHARS`] (100 characters) |
//!
//! Everything here is pure data and rules: storing and serving siteplans is for the
//! store and server crates.

mod contoh;
pub mod error;
pub mod fitur;
pub mod kategori;
mod periksa;
pub mod ukuran;
pub mod versi;

define_id! {
    /// The id of a siteplan, unique in the atlas (e.g. `contoh-35.19.09.2014-wisata`).
    SiteplanId, "siteplan id", crate::siteplan::SiteplanError
}

/// Most features one version may hold.
pub const MAX_FITUR: usize = 5_000;
/// Most vertices one feature may have (a polygon's rings together).
pub const MAX_VERTICES_PER_FITUR: usize = crate::geometry::MAX_VERTICES_DRAWN;
/// Most vertices all features of one version may have together.
pub const MAX_VERTICES_TOTAL: usize = 500_000;
/// Longest label of a feature, in characters.
pub const MAX_LABEL_CHARS: usize = 200;
/// Longest title of a siteplan, in characters.
pub const MAX_JUDUL_CHARS: usize = 200;
/// Longest note of a feature or version, or description of a siteplan, in characters.
pub const MAX_CATATAN_CHARS: usize = 2_000;
/// Longest username, in characters.
pub const MAX_USER_CHARS: usize = 100;

pub use contoh::{BIBRIK_SITEPLAN_ID, contoh_bibrik};
pub use error::{Result, SiteplanError};
pub use fitur::{Fitur, FiturDraft, FiturId, FiturIssue, FiturProblem, Ring};
pub use kategori::{Kategori, KategoriInfo, Simbol};
pub use periksa::{fitur_from_drafts, validate_fitur};
pub use ukuran::{DiLuarDesa, Luar, TOLERANSI_LUAR_M, TOLERANSI_LUAR_M2, Ukuran, outside_desa};
pub use versi::{
    Perubahan, PerubahanHeader, Siteplan, SiteplanBaru, SiteplanVersi, StatusSiteplan,
};
