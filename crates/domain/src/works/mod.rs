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

pub mod contoh;
pub mod dampak;
pub mod dana;
pub mod error;
pub mod foto;
pub mod kegiatan;
pub mod kpp;
pub mod laporan;
pub mod ledger;
pub mod money;
pub mod segmen;
pub mod summary;
pub mod tanggal;

pub use dampak::{Dampak, Dilewati, Evaluasi, evaluate_completion};
pub use dana::{
    Alokasi, Bentuk, Dokumen, JenisDokumen, Override, Progres, Realisasi, SegmenEntry, SumberDana,
    UnknownSumberDana,
};
pub use error::{Result, WorksError};
pub use foto::Tahap;
pub use kegiatan::{
    JenisKegiatan, JenisPelaksana, Kegiatan, KegiatanId, Pelaksana, StatusKegiatan,
};
pub use kpp::{Anggota, AturanIuran, Belanja, Iuran, Jadwal, KasEntry, KasSummary, Kpp};
pub use laporan::{
    DesaTotal, FundingReport, FundingRow, SourceTotal, TotalRp, TotalSum, Totals, YearTotal,
    funding_report,
};
pub use ledger::{Entry, EntryId, Ledger, LedgerEntry, Reversal};
pub use money::{Amount, AmountSum, MAX_ENTRY_RP, Rupiah, RupiahParseProblem};
pub use segmen::{
    GeometryKind, KodeKriteria, KondisiSegmen, Satuan, Segmen, SegmenId, Terukur, Volume,
};
pub use summary::{
    CostPerUnit, Issue, IssueKind, KegiatanSummary, Ratio, SegmenSummary, SourceLine,
    split_basis_points,
};
pub use tanggal::{Hari, Periode, Tanggal};
