//! What the store keeps of the revolving-loan unit (UPK): KSM with their members, the
//! members' NIKs apart from them, each group's savings book, loans with their books, and
//! collection plans and visits.
//!
//! KSM, savings and loans are each kept whole as checked JSON with a version number, like
//! works. The entries of the savings and loan books are also copied, as they are
//! appended, into the append-only `upk_buku` table, and collection plans and visits into
//! the append-only `upk_penagihan`: the database (SQLite or PostgreSQL) refuses to
//! change or delete a row of either, and a write whose book does not extend the stored
//! one is refused.

use kumuh_domain::Kode;
use kumuh_domain::upk::{DaftarNik, HasilKunjungan, Ksm, Pinjaman, RencanaPenagihan, Tabungan};

use crate::NewAudit;

/// A KSM as stored, with the version its next change must name.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredKsm {
    /// The group (without NIKs: see [`crate::Store::ksm_nik`]).
    pub ksm: Ksm,
    /// Version: 1 when created, one more on every change.
    pub versi: i64,
    /// When it last changed (RFC 3339, UTC).
    pub diubah: String,
}

/// A group's savings book as stored, with its version.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTabungan {
    /// The book.
    pub tabungan: Tabungan,
    /// The desa of the group.
    pub kode_desa: Kode,
    /// Version: 1 when created, one more on every change.
    pub versi: i64,
    /// When it last changed (RFC 3339, UTC).
    pub diubah: String,
}

/// A loan as stored, with its version.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPinjaman {
    /// The loan with its book.
    pub pinjaman: Pinjaman,
    /// Version: 1 when created, one more on every change.
    pub versi: i64,
    /// When it last changed (RFC 3339, UTC).
    pub diubah: String,
}

/// One collection record: a planned visit, or what a visit found.
#[derive(Debug, Clone, PartialEq)]
pub enum Penagihan {
    /// A planned collection visit (rencana penagihan).
    Rencana(RencanaPenagihan),
    /// The result of a visit (hasil kunjungan).
    Kunjungan(HasilKunjungan),
}

/// A collection record as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPenagihan {
    /// Its place in the table (increasing).
    pub id: i64,
    /// The desa of the loan.
    pub kode_desa: Kode,
    /// The record.
    pub penagihan: Penagihan,
}

/// One record of a [`UpkWrite`] with the version it was read at (`None` creates it).
#[derive(Debug, Clone, PartialEq)]
pub struct Versi<'a, T> {
    /// The record as it is to be stored.
    pub isi: &'a T,
    /// The version the change was made on; `None` creates the record.
    pub versi: Option<i64>,
}

/// A change to the UPK's records, written whole or not at all: covering an instalment
/// from the group's savings changes the savings book and the loan in one transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpkWrite<'a> {
    /// A KSM to create or change.
    pub ksm: Option<Versi<'a, Ksm>>,
    /// The members' NIKs of that KSM, replacing those stored; `None` leaves them.
    pub nik: Option<&'a DaftarNik>,
    /// A savings book to create or change (its group's desa alongside).
    pub tabungan: Option<(Versi<'a, Tabungan>, &'a Kode)>,
    /// A loan to create or change.
    pub pinjaman: Option<Versi<'a, Pinjaman>>,
    /// Collection records to append, each with the desa of its loan.
    pub penagihan: Vec<(Penagihan, Kode)>,
    /// Lines for the audit log.
    pub audit: Vec<NewAudit>,
}

/// The versions a [`UpkWrite`] produced, for the records it wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpkVersi {
    /// The KSM's new version.
    pub ksm: Option<i64>,
    /// The savings book's new version.
    pub tabungan: Option<i64>,
    /// The loan's new version.
    pub pinjaman: Option<i64>,
    /// The id ([`StoredPenagihan::id`]) of the last collection record appended, so that
    /// a visit's result can name the plan it carries out.
    pub penagihan: Option<i64>,
}
