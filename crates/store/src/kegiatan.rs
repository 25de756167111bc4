//! What the store keeps of works (kegiatan): each work whole with a version number, the
//! append-only audit log, and the write that changes a work together with its log lines
//! and the evaluations its finished segments caused.

use kumuh_domain::Kode;
use kumuh_domain::works::Kegiatan;
use serde::Serialize;

use crate::AssessmentRecord;

/// A work as stored, with the version its next change must name.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredKegiatan {
    /// The work.
    pub kegiatan: Kegiatan,
    /// Version: 1 when created, one more on every change.
    pub versi: i64,
    /// When it last changed (RFC 3339, UTC).
    pub diubah: String,
}

/// Which works to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KegiatanQuery {
    /// Only works in this place: a desa, or any place above it (prefix of the code).
    pub wilayah: Option<Kode>,
    /// Only works of this year.
    pub tahun: Option<u16>,
}

/// A line to append to the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAudit {
    /// Who made the change (username).
    pub pengguna: String,
    /// What kind of thing changed: `kegiatan`, `segmen`, `alokasi`, `kpp`.
    pub entitas: String,
    /// Which one: `K1`, `K1/S1`.
    pub kunci: String,
    /// What was done: `buat`, `ubah`, `alokasi`, `realisasi`, `progres`, `batal` ….
    pub aksi: String,
    /// The changed part before, where there was one.
    pub sebelum: Option<serde_json::Value>,
    /// The changed part after.
    pub sesudah: Option<serde_json::Value>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// Position in the log, increasing.
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub waktu: String,
    /// Who.
    pub pengguna: String,
    /// What kind of thing.
    pub entitas: String,
    /// Which one.
    pub kunci: String,
    /// What was done.
    pub aksi: String,
    /// The version of the work this change produced, where the thing is a work.
    pub versi: Option<i64>,
    /// Before.
    pub sebelum: Option<serde_json::Value>,
    /// After.
    pub sesudah: Option<serde_json::Value>,
}

/// Which audit lines to read, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditQuery {
    /// Only lines about keys starting with this (`K1` gives the work and its segments).
    pub kunci: Option<String>,
    /// Only lines older than this id (for paging).
    pub sebelum_id: Option<i64>,
    /// At most this many lines.
    pub limit: u32,
}

/// A change to one work, written whole or not at all.
#[derive(Debug, Clone, PartialEq)]
pub struct KegiatanWrite<'a> {
    /// The work as it is to be stored.
    pub kegiatan: &'a Kegiatan,
    /// The version the change was made on; `None` creates the work.
    pub versi: Option<i64>,
    /// Lines for the audit log, stamped with the new version.
    pub audit: Vec<NewAudit>,
    /// Evaluations of slum locations the change caused (a segment finished).
    pub penilaian: Vec<AssessmentRecord>,
    /// New conditions of mapped road and drain lines (by code) that a finished segment
    /// rebuilt.
    pub kondisi_jaringan: Vec<(String, kumuh_domain::jaringan::KondisiRuas)>,
}

impl<'a> KegiatanWrite<'a> {
    /// A new work as it is, with nothing else in the write (no audit line, no evaluation):
    /// what a copy of an atlas or a test set-up stores.
    pub fn new(kegiatan: &'a Kegiatan) -> Self {
        KegiatanWrite {
            kegiatan,
            versi: None,
            audit: vec![],
            penilaian: vec![],
            kondisi_jaringan: vec![],
        }
    }
}

/// A siteplan as stored, with the revision its next change must name.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSiteplan {
    /// The siteplan with all its versions.
    pub siteplan: kumuh_domain::siteplan::Siteplan,
    /// Revision: 1 when created, one more on every change (a save, a restore or a
    /// change of title or status).
    pub revisi: i64,
    /// When it last changed (RFC 3339, UTC).
    pub diubah: String,
}

/// A change to one siteplan, written whole or not at all.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteplanWrite<'a> {
    /// The siteplan as it is to be stored.
    pub siteplan: &'a kumuh_domain::siteplan::Siteplan,
    /// The revision the change was made on; `None` creates it.
    pub revisi: Option<i64>,
    /// Lines for the audit log, stamped with the new revision.
    pub audit: Vec<NewAudit>,
}
