//! Slum criteria derived from mapped road and drainage lines (jaringan: network).
//!
//! Four of the sixteen criteria of Permen PUPR 14/2018 are lengths in metres over an
//! ideal length (see [`crate::assessment`]):
//!
//! | code | criterion | volume |
//! |---|---|---|
//! | 2a | cakupan pelayanan jalan lingkungan | road length not served |
//! | 2b | kualitas permukaan jalan lingkungan | road length with a damaged surface |
//! | 4b | ketidaktersediaan drainase | length without drains |
//! | 4c | kualitas konstruksi drainase | drain length with damaged construction |
//!
//! A surveyor measures them on foot. When the roads and drains of a location are mapped
//! as lines ([`Ruas`]) with their condition ([`KondisiRuas`]), the same volumes can be read
//! off the map: [`derive_volumes`] clips every line by the location polygon and sums
//! the geodesic length inside by kind and condition. The planner then decides per
//! criterion whether an assessment uses the surveyed or the mapped value ([`Sumber`],
//! [`apply`]), and the record keeps both ([`Applied`]).
//!
//! Lines in bad shape never stop the computation: a line with an invalid coordinate,
//! no points or no length counts 0 m and is reported as an [`Issue`] in
//! [`DerivedVolumes::issues`].

mod jenis;
mod pilihan;
mod sepanjang;
mod volume;

pub use jenis::{JenisJaringan, KondisiRuas, Sumber};
pub use pilihan::{Applied, Choices, apply};
pub use sepanjang::{SEJAJAR_M, SEPANJANG_MIN, Sepanjang, jenis_for_kriteria, lines_along};
pub use volume::{DerivedVolumes, Issue, Ruas, RuasLength, derive_volumes};

/// Code of criterion 2a, cakupan pelayanan jalan lingkungan (road length not served).
pub const KRITERIA_2A: &str = "2a";
/// Code of criterion 2b, kualitas permukaan jalan lingkungan (road length with a damaged
/// surface).
pub const KRITERIA_2B: &str = "2b";
/// Code of criterion 4b, ketidaktersediaan drainase (length without drains).
pub const KRITERIA_4B: &str = "4b";
/// Code of criterion 4c, kualitas konstruksi drainase (drain length with damaged
/// construction).
pub const KRITERIA_4C: &str = "4c";
/// Every criterion this module can derive, in rule-set order. The codes are the same in
/// Permen PUPR 14/2018 and 02/2016.
pub const KRITERIA: [&str; 4] = [KRITERIA_2A, KRITERIA_2B, KRITERIA_4B, KRITERIA_4C];

/// Why a value could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JaringanError {
    /// Text that is not a known condition.
    #[error(
        "unknown kondisi `{value}`; expected one of baik/good, sedang/fair, rusak ringan/minor \
         damage, rusak berat/rusak/poor/bad, tidak ada/none/missing"
    )]
    UnknownKondisi {
        /// The text as given.
        value: String,
    },
    /// Text that is not a known network kind.
    #[error("unknown jenis jaringan `{value}`; expected one of jalan/road, drainase/drain")]
    UnknownJenis {
        /// The text as given.
        value: String,
    },
    /// Text that is not a known source of a volume.
    #[error("unknown sumber `{value}`; expected one of survei/survey, peta/map")]
    UnknownSumber {
        /// The text as given.
        value: String,
    },
}

/// The result type of this module.
pub type Result<T, E = JaringanError> = std::result::Result<T, E>;
