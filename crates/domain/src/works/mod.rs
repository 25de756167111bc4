//! Works (kegiatan), segments and their co-funding.
//!
//! A work ([`Kegiatan`]) is one piece of upgrading in one desa and year, carried out by
//! one body (LKM, KSM, village government, agency or contractor). It has one or more
//! segments ([`Segmen`]): mapped pieces with their own geometry, planned volume and unit,
//! and an append-only ledger of allocations per funding source, spending and physical
//! progress. A finished work may have a maintenance group ([`Kpp`]) with a cash book.
//!
//! Money is whole rupiah in integers ([`Rupiah`]); an amount nobody recorded is
//! [`Amount::Unknown`], never zero. Nothing with money attached is ever erased: mistakes
//! are undone by [`Reversal`] entries. Summaries ([`Segmen::summary`],
//! [`Kegiatan::summary`]) and the [`funding_report`] compute totals, shares, progress and
//! cost per unit without floats, and list what is imperfect about the data as
//! [`Issue`]s.
//!
//! Everything here is pure data and rules: storing, importing and serving works is for
//! the store, io and server crates.

/// Defines a checked string id type.
macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks an id: after trimming spaces, not empty, at most 100 characters,
            /// and no control characters.
            pub fn new(id: impl Into<String>) -> $crate::works::Result<$name> {
                let id: String = id.into();
                let trimmed = id.trim();
                let problem = if trimmed.is_empty() {
                    Some("an id cannot be empty")
                } else if trimmed.chars().count() > 100 {
                    Some("an id has at most 100 characters")
                } else if trimmed.chars().any(char::is_control) {
                    Some("an id cannot hold control characters")
                } else {
                    None
                };
                match problem {
                    Some(p) => Err($crate::works::WorksError::field(
                        format!(concat!($what, " `{}`"), id.escape_debug()),
                        "id",
                        p,
                    )),
                    None => Ok($name(trimmed.to_owned())),
                }
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::works::WorksError;
            fn try_from(s: String) -> $crate::works::Result<$name> {
                $name::new(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

pub mod contoh;
pub mod dampak;
pub mod dana;
pub mod error;
pub mod kegiatan;
pub mod kpp;
pub mod ledger;
pub mod money;
pub mod report;
pub mod segmen;
pub mod summary;
pub mod tanggal;

pub use dampak::{Dampak, Dilewati, Evaluasi, evaluate_completion};
pub use dana::{
    Alokasi, Bentuk, Dokumen, JenisDokumen, Override, Progres, Realisasi, SegmenEntry, SumberDana,
    UnknownSumberDana,
};
pub use error::{Result, WorksError};
pub use kegiatan::{
    JenisKegiatan, JenisPelaksana, Kegiatan, KegiatanId, Pelaksana, StatusKegiatan,
};
pub use kpp::{Anggota, AturanIuran, Belanja, Iuran, Jadwal, KasEntry, KasSummary, Kpp};
pub use ledger::{Entry, EntryId, Ledger, LedgerEntry, Reversal};
pub use money::{Amount, AmountSum, Rupiah, RupiahParseProblem};
pub use report::{
    DesaTotal, FundingReport, FundingRow, SourceTotal, Totals, YearTotal, funding_report,
};
pub use segmen::{GeometryKind, KodeKriteria, Kondisi, Satuan, Segmen, SegmenId, Terukur, Volume};
pub use summary::{
    CostPerUnit, Issue, IssueKind, KegiatanSummary, Ratio, SegmenSummary, SourceLine,
    split_basis_points,
};
pub use tanggal::{Hari, Periode, Tanggal};
