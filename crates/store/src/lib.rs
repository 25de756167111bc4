//! Persistence for the atlas: the [`Store`] trait the rest of Kumuh uses, its embedded
//! backend, one GeoPackage file ([`GpkgStore`]), and its shared backend, a PostgreSQL
//! database with PostGIS ([`PgStore`]).
//!
//! This is the only crate that knows SQL.

mod copy;
mod error;
mod foto;
pub mod gpkg;
mod kegiatan;
mod mbtiles;
mod peta_dasar;
mod place_row;
pub mod postgis;
mod tile_index;
pub mod upk;
mod users;

use std::fmt;

use async_trait::async_trait;
use kumuh_domain::assessment::{AssessmentInput, Dasar, Hasil, SlumClass};
use kumuh_domain::jaringan::Ruas;
use kumuh_domain::{Kode, Level, LokasiKumuh, Place, PlaceSummary, User};
use serde::Serialize;

pub use copy::AtlasCopy;
pub use error::{Result, StoreError};
pub use foto::{
    FOTO_AUDIT_ENTITAS, FotoBaru, FotoBerkas, FotoCopy, FotoQuery, StoredFoto, Ukuran, foto_kunci,
};
pub use gpkg::{
    CheckReport, ForeignLayer, GpkgStore, OpenMode, OpenWarning, RestoreReport, check_file,
    foreign_layers, read_foreign_layer, remove_store_file, restore_file,
};
pub use kegiatan::{
    AuditEntry, AuditQuery, KegiatanQuery, KegiatanWrite, NewAudit, SiteplanWrite, StoredKegiatan,
    StoredSiteplan,
};
pub use mbtiles::MbTiles;
pub use peta_dasar::{
    JenisPetaDasar, PETA_DASAR_AUDIT_ENTITAS, PetaDasar, PetaDasarBaru, SumberUbin, Ubin,
    copy_peta_dasar,
};
pub use postgis::PgStore;
pub use upk::{
    Penagihan, StoredKsm, StoredPenagihan, StoredPinjaman, StoredTabungan, UpkVersi, UpkWrite,
    Versi,
};

/// The audit log's entity for places of every level (`wilayah`: region), whose key is
/// the place's code.
pub const PLACE_AUDIT_ENTITAS: &str = "wilayah";

/// What to list: one level, optionally inside one parent and/or one bounding box.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceQuery {
    /// The level to list.
    pub level: Level,
    /// Only places whose parent has this code.
    pub parent: Option<Kode>,
    /// Only places whose bounds intersect `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: Option<[f64; 4]>,
}

impl PlaceQuery {
    /// Every place of a level.
    pub fn level(level: Level) -> Self {
        PlaceQuery {
            level,
            parent: None,
            bbox: None,
        }
    }
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct UpsertReport {
    /// Rows that did not exist before.
    pub inserted: u64,
    /// Rows that existed (same code) and were replaced.
    pub updated: u64,
}

/// Facts about an open store, for the health endpoint and logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoreInfo {
    /// The backend, e.g. `geopackage`.
    pub backend: &'static str,
    /// Where the data lives (a file path for GeoPackage).
    pub location: String,
    /// The schema version the store is at.
    pub schema_version: i64,
}

/// A stored user with the password hash to check a login against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The user.
    pub user: User,
    /// PHC string of the password hash (argon2id).
    pub password_hash: String,
}

/// A stored slum assessment of one location in one year (the result of
/// `kumuh_domain::assessment::assess`, as the JSON the API shows, with the survey it was
/// computed from).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentRecord {
    /// The location's code.
    pub kode_lokasi: String,
    /// The location's name.
    pub nama_lokasi: String,
    /// The desa it lies in.
    pub kode_desa: Kode,
    /// Survey year.
    pub tahun: u16,
    /// Rule set id that computed it (e.g. `permen-pupr-14-2018`).
    pub rule_set_id: String,
    /// Version of that rule set.
    pub rule_set_version: String,
    /// Verified area, hectares.
    pub luas_ha: f64,
    /// Total score.
    pub total: u32,
    /// The class (stored as its code, `kumuh_berat` … `tidak_kumuh`).
    pub class: SlumClass,
    /// Priority code (`A1` … `C3`), where computed.
    pub priority: Option<String>,
    /// The survey it was computed from, so that a later evaluation (after a work is
    /// finished) starts from the same survey. Stored inside the result JSON as
    /// `masukan`; `None` for rows stored before surveys were kept.
    pub masukan: Option<AssessmentInput>,
    /// The rest of the result as published: criteria, aspects, considerations, issues,
    /// and where it came from (`contoh`, `sumber_volume`, what a finished segment
    /// changed). Stored as JSON beside `masukan`.
    pub result: Hasil,
    /// What the assessment rests on: the survey, or the finished segment that changed
    /// the previous one. One per location, year and basis.
    pub dasar: Dasar,
    /// The date of an evaluation within its year (`2018-08-31`); `None` for a survey.
    pub tanggal: Option<String>,
}

/// Assessments written batch by batch inside one open transaction (see
/// [`Store::begin_assessments`]).
#[async_trait]
pub trait AssessmentWriter: Send + fmt::Debug {
    /// Writes one batch as [`Store::upsert_assessments`] would, inside the transaction.
    async fn write(&mut self, records: &[AssessmentRecord]) -> Result<()>;

    /// Commits every batch written and tells what they did together.
    async fn commit(self: Box<Self>) -> Result<UpsertReport>;
}

/// The key of the survey inside the stored result JSON.
const MASUKAN: &str = "masukan";

impl AssessmentRecord {
    /// The result JSON as it is stored and shown by the API: [`AssessmentRecord::result`]
    /// with the survey under `masukan` (where there is one).
    pub fn result_json(&self) -> serde_json::Value {
        // Neither holds a map with keys other than text, the one thing that would make
        // serde_json refuse them.
        let mut json = serde_json::to_value(&self.result).unwrap_or_default();
        if let (Some(obj), Some(masukan)) = (json.as_object_mut(), &self.masukan) {
            obj.insert(
                MASUKAN.into(),
                serde_json::to_value(masukan).unwrap_or_default(),
            );
        }
        json
    }

    /// Splits a stored result JSON into the survey and the rest, both typed. What does
    /// not read is named (`hasil.masukan` for the survey, `hasil` for the rest) with
    /// serde's message.
    pub fn split_result(
        mut json: serde_json::Value,
    ) -> std::result::Result<(Option<AssessmentInput>, Hasil), (&'static str, serde_json::Error)>
    {
        let masukan = match json.as_object_mut().and_then(|o| o.remove(MASUKAN)) {
            None | Some(serde_json::Value::Null) => None,
            Some(m) => Some(serde_json::from_value(m).map_err(|e| ("hasil.masukan", e))?),
        };
        let result = serde_json::from_value(json).map_err(|e| ("hasil", e))?;
        Ok((masukan, result))
    }
}

/// The basis of an assessment from a survey (the text of [`Dasar::Survei`]).
pub use kumuh_domain::assessment::DASAR_SURVEI;

/// Which assessments to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssessmentQuery {
    /// Only locations in this place: a desa, or any place above it (prefix of the code).
    pub wilayah: Option<Kode>,
    /// Only this location.
    pub kode_lokasi: Option<String>,
    /// Only this year.
    pub tahun: Option<u16>,
}

/// A lookup of the latest assessment per location among `records` (which come ordered
/// by location and year, as [`Store::assessments`] returns them).
pub fn latest_assessments<'a>(
    records: &'a [AssessmentRecord],
) -> impl Fn(&str) -> Option<kumuh_domain::assessment::summary::LatestAssessment<'a>> + 'a {
    let latest: std::collections::HashMap<&'a str, &'a AssessmentRecord> = records
        .iter()
        .map(|r| (r.kode_lokasi.as_str(), r))
        .collect();
    move |kode| {
        latest
            .get(kode)
            .map(|r| kumuh_domain::assessment::summary::LatestAssessment {
                tahun: r.tahun,
                total: r.total,
                kelas: r.class.as_str(),
                prioritas: r.priority.as_deref(),
            })
    }
}

/// One row of the change feed: a write touched the feature `kunci` of the map layer
/// `lapisan` (`desa`, `lokasi`, `jaringan`, `kegiatan`, …). Recorded by triggers, so writes
/// from any process (the CLI, QGIS, another server) are in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerChange {
    /// Its place in the feed (increasing).
    pub id: i64,
    /// The layer: a place level, `lokasi` (the location or one of its assessments),
    /// `jaringan` or `kegiatan`.
    pub lapisan: String,
    /// The feature's code or id, or [`WHOLE_LAYER`].
    pub kunci: String,
}

/// The key of a change-feed entry that stands for a whole layer: a bulk write (an import
/// of thousands of rows) changed more of it than is worth listing, so a reader reads the
/// layer again.
pub const WHOLE_LAYER: &str = "*";

/// What [`Store::changes_since`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeBatch {
    /// The changes after the one asked from, oldest first.
    pub changes: Vec<LayerChange>,
    /// The newest change in the feed (0 when it is empty).
    pub latest: i64,
    /// Changes after the one asked from were pruned from the feed: read everything again.
    pub gap: bool,
}

/// A server's tile index of one layer, kept in the store so that the next start reads it
/// instead of building it again (`kumuh_app::tiles`): which layer, the change feed's
/// position it holds, and which build wrote it. Nothing but that service reads the
/// bytes, and it checks them; a copy of the store for sharing leaves them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTileIndex {
    /// The tile layer (`desa`, `lokasi`, …).
    pub lapisan: String,
    /// The change feed's position the index holds: every change up to it is in it.
    pub perubahan: i64,
    /// Which build wrote it; another build does not read it.
    pub versi: String,
}

/// What an import from a file writes: places (of any level), slum locations, or road and
/// drainage lines, each inserted or replaced by code.
#[derive(Debug, Clone, Copy)]
pub enum ImportWrite<'a> {
    /// Places.
    Places(&'a [Place]),
    /// Slum locations.
    Lokasi(&'a [LokasiKumuh]),
    /// Road and drainage lines.
    Jaringan(&'a [Ruas]),
}

/// Everything the atlas reads and writes. Every write is one transaction: it happens
/// whole or not at all.
#[async_trait]
pub trait Store: Send + Sync + fmt::Debug {
    /// Backend, location and schema version.
    async fn info(&self) -> Result<StoreInfo>;

    /// Places of one level (without geometry), ordered by code.
    async fn list_places(&self, query: &PlaceQuery) -> Result<Vec<PlaceSummary>>;

    /// Places of one level with their geometry, ordered by code.
    async fn places(&self, query: &PlaceQuery) -> Result<Vec<Place>>;

    /// Every place of one level with its boundary's box (minx, miny, maxx, maxy; from
    /// the spatial index, so up to a few metres larger than the boundary's), `None` for a
    /// place without one, ordered by code: what an import checks codes and distances
    /// against, without reading the boundaries.
    async fn place_boxes(&self, level: Level) -> Result<Vec<(Kode, Option<[f64; 4]>)>>;

    /// One place by code, with geometry.
    async fn place(&self, kode: &Kode) -> Result<Option<Place>>;

    /// Places whose name or alternative spelling contains `text`, ignoring case, spaces
    /// and punctuation; exact matches first, then prefixes, then the rest.
    async fn search_places(&self, text: &str, limit: u32) -> Result<Vec<PlaceSummary>>;

    /// Inserts or replaces places by code, all in one transaction.
    async fn upsert_places(&self, places: &[Place]) -> Result<UpsertReport>;

    /// Writes an import (as [`Store::upsert_places`], [`Store::upsert_lokasi`] or
    /// [`Store::upsert_jaringan`]) and its `audit` lines in one transaction, so that an
    /// import through the API is never stored without the line naming who sent which file.
    async fn import_audited(
        &self,
        write: ImportWrite<'_>,
        audit: &[NewAudit],
    ) -> Result<UpsertReport>;

    /// Writes one place (inserting or replacing it by code) and, in the same transaction,
    /// its line in the audit log: entity [`PLACE_AUDIT_ENTITAS`], key the code, action
    /// `buat` or `ubah`, the place's names, codes and area before and after, by
    /// `pengguna`.
    async fn save_place(&self, place: &Place, pengguna: &str) -> Result<UpsertReport>;

    /// Deletes a place by code; `false` when there was none. A place that places of the
    /// level below name as their parent is refused with [`StoreError::HasChildren`].
    async fn delete_place(&self, kode: &Kode) -> Result<bool>;

    /// Deletes a place like [`Store::delete_place`] and, in the same transaction, writes
    /// its line in the audit log (entity [`PLACE_AUDIT_ENTITAS`], key the code, action
    /// `hapus`, the place before) by `pengguna`.
    async fn delete_place_as(&self, kode: &Kode, pengguna: &str) -> Result<bool>;

    /// Inserts or replaces slum locations by code, all in one transaction.
    async fn upsert_lokasi(&self, lokasi: &[LokasiKumuh]) -> Result<UpsertReport>;

    /// Slum locations, optionally only those of one desa, ordered by code.
    async fn list_lokasi(&self, kode_desa: Option<&Kode>) -> Result<Vec<LokasiKumuh>>;

    /// One slum location by code.
    async fn lokasi(&self, kode: &str) -> Result<Option<LokasiKumuh>>;

    /// Inserts or replaces road and drainage lines by code, all in one transaction.
    async fn upsert_jaringan(&self, ruas: &[Ruas]) -> Result<UpsertReport>;

    /// Road and drainage lines, optionally only those whose bounds intersect `bbox`
    /// (`[min_lon, min_lat, max_lon, max_lat]`), ordered by code.
    async fn jaringan(&self, bbox: Option<[f64; 4]>) -> Result<Vec<Ruas>>;

    /// Forgets a token (sign-out); true if it existed.
    async fn delete_token(&self, token_hash: &str) -> Result<bool>;

    /// Adds a user; fails with [`StoreError::Conflict`] if the name is taken.
    async fn add_user(&self, user: &User, password_hash: &str) -> Result<()>;

    /// The stored credentials of a user, for checking a login.
    async fn credentials(&self, username: &str) -> Result<Option<Credentials>>;

    /// All users, ordered by name.
    async fn list_users(&self) -> Result<Vec<User>>;

    /// Records an API token (by its hash) for a user, valid until `expires_unix`.
    async fn add_token(&self, username: &str, token_hash: &str, expires_unix: i64) -> Result<()>;

    /// The user a token hash belongs to, if it exists and has not expired at `now_unix`.
    async fn user_for_token(&self, token_hash: &str, now_unix: i64) -> Result<Option<User>>;

    /// Inserts or replaces assessments by (location, year), all in one transaction.
    async fn upsert_assessments(&self, records: &[AssessmentRecord]) -> Result<UpsertReport>;

    /// Starts writing assessments that arrive in batches, so that a table of a million
    /// rows need not be held at once: every batch lands in one transaction, which
    /// [`AssessmentWriter::commit`] commits. A writer dropped without a commit stores
    /// nothing. The stored result is the one [`Store::upsert_assessments`] gives for all
    /// the batches' records at once. Other writes wait until the writer is done.
    async fn begin_assessments(&self) -> Result<Box<dyn AssessmentWriter>>;

    /// Assessments matching `query`, ordered by location code, year and date, so the
    /// last one of a location is its latest.
    async fn assessments(&self, query: &AssessmentQuery) -> Result<Vec<AssessmentRecord>>;

    /// Works, ordered by desa code and id.
    async fn list_kegiatan(&self, query: &KegiatanQuery) -> Result<Vec<StoredKegiatan>>;

    /// One work by id.
    async fn kegiatan(&self, id: &str) -> Result<Option<StoredKegiatan>>;

    /// Creates or changes a work with its audit lines and evaluations, and returns the
    /// new version. A change made on an older version than the stored one fails with
    /// [`StoreError::Stale`] and writes nothing; creating an existing id fails with
    /// [`StoreError::Conflict`].
    async fn save_kegiatan(&self, write: &KegiatanWrite<'_>) -> Result<i64>;

    /// KSM of a place (a desa or any place above it), ordered by desa and id.
    async fn list_ksm(&self, wilayah: Option<&Kode>) -> Result<Vec<StoredKsm>>;

    /// One KSM by id (without NIKs).
    async fn ksm(&self, id: &str) -> Result<Option<StoredKsm>>;

    /// The members' NIKs of a KSM, kept apart from it; `None` when none were stored.
    async fn ksm_nik(&self, id: &str) -> Result<Option<kumuh_domain::upk::DaftarNik>>;

    /// Savings books of the KSM of a place, ordered by desa and KSM id.
    async fn list_tabungan(&self, wilayah: Option<&Kode>) -> Result<Vec<StoredTabungan>>;

    /// The savings book of a KSM.
    async fn tabungan(&self, ksm: &str) -> Result<Option<StoredTabungan>>;

    /// Loans of a place, optionally of one KSM only, ordered by desa and id.
    async fn list_pinjaman(
        &self,
        wilayah: Option<&Kode>,
        ksm: Option<&str>,
    ) -> Result<Vec<StoredPinjaman>>;

    /// One loan by id.
    async fn pinjaman(&self, id: &str) -> Result<Option<StoredPinjaman>>;

    /// Collection plans and visits of the loans of a place, oldest first.
    async fn list_penagihan(&self, wilayah: Option<&Kode>) -> Result<Vec<StoredPenagihan>>;

    /// Writes KSM, NIKs, a savings book, a loan and collection records with their audit
    /// lines in one transaction, each record only on the version it was read at
    /// ([`StoreError::Stale`], [`StoreError::Conflict`] as for works). A book entry
    /// already stored cannot change: the write is refused with [`StoreError::Invalid`].
    async fn save_upk(&self, write: &UpkWrite<'_>) -> Result<UpkVersi>;

    /// Writes several UPK changes in one transaction, in order (a loan book imported
    /// whole: its new KSM and loans); all are written or none. Answers each one's
    /// versions.
    async fn save_upk_all(&self, writes: &[UpkWrite<'_>]) -> Result<Vec<UpkVersi>>;

    /// Siteplans of a place (a desa or any place above it), ordered by desa and id.
    async fn list_siteplan(&self, wilayah: Option<&Kode>) -> Result<Vec<StoredSiteplan>>;

    /// One siteplan by id.
    async fn siteplan(&self, id: &str) -> Result<Option<StoredSiteplan>>;

    /// Creates or changes a siteplan with its audit lines and returns the new revision;
    /// [`StoreError::Stale`] for a change made on an older revision, [`StoreError::Conflict`]
    /// for creating an existing id. Nothing is written on failure.
    async fn save_siteplan(&self, write: &SiteplanWrite<'_>) -> Result<i64>;

    /// Writes siteplan `id` (every version, its current features as the `siteplan_fitur`
    /// layer, and its desa) as a standalone GeoPackage at `path`, which must not exist: the
    /// file a planner opens in QGIS. [`StoreError::NotFound`] if there is no such siteplan.
    /// Any backend can give this one, so it is written once for all.
    async fn export_siteplan(&self, id: &str, path: &std::path::Path) -> Result<()> {
        gpkg::export_siteplan(self, id, path).await
    }

    /// Stores a photo of a segment with its thumbnail and, in the same transaction, its
    /// audit line (keyed by the new id); answers what was stored. A work that does not
    /// exist is [`StoreError::NotFound`].
    async fn save_foto(&self, foto: &FotoBaru<'_>) -> Result<StoredFoto>;

    /// Photos matching `query` (their facts, not their bytes), oldest first.
    async fn list_foto(&self, query: &FotoQuery) -> Result<Vec<StoredFoto>>;

    /// One photo's facts.
    async fn foto(&self, id: i64) -> Result<Option<StoredFoto>>;

    /// One file of a photo: as uploaded, or its thumbnail.
    async fn foto_berkas(&self, id: i64, ukuran: Ukuran) -> Result<Option<FotoBerkas>>;

    /// Deletes a photo and, in the same transaction, writes `audit`; `false` when there
    /// was none (and nothing is written).
    async fn delete_foto(&self, id: i64, audit: &NewAudit) -> Result<bool>;

    /// Registers a basemap, replacing one of the same name, with the tiles `ubin` hands
    /// over (none for a remote basemap) and its audit line, in one transaction: a source
    /// that fails half way leaves the register as it was. A kept basemap's tile count,
    /// size and zooms are measured from the tiles written.
    async fn save_peta_dasar(
        &self,
        peta: &PetaDasarBaru<'_>,
        ubin: &mut dyn SumberUbin,
    ) -> Result<PetaDasar>;

    /// Every registered basemap, by title.
    async fn list_peta_dasar(&self) -> Result<Vec<PetaDasar>>;

    /// One tile of a kept basemap (XYZ scheme) with the basemap's format (`png`, `jpg`,
    /// `webp`), in one read; `None` where it has none.
    async fn peta_dasar_ubin(
        &self,
        nama: &str,
        z: u8,
        x: u32,
        y: u32,
    ) -> Result<Option<(String, Vec<u8>)>>;

    /// The tiles of a kept basemap at zoom `z` with columns `x0..=x1` and rows `y0..=y1`
    /// (XYZ), ordered by column and row: what an offline package of an area takes along.
    async fn peta_dasar_ubin_kotak(
        &self,
        nama: &str,
        z: u8,
        x: (u32, u32),
        y: (u32, u32),
    ) -> Result<Vec<Ubin>>;

    /// Up to `limit` tiles of a kept basemap after tile `setelah` (zoom, column, row;
    /// from the first without one), in that order: for copying a basemap page by page.
    async fn peta_dasar_ubin_halaman(
        &self,
        nama: &str,
        setelah: Option<(u8, u32, u32)>,
        limit: u32,
    ) -> Result<Vec<Ubin>>;

    /// Removes a basemap with its tiles and writes `audit`; `false` when there was none.
    async fn delete_peta_dasar(&self, nama: &str, audit: &NewAudit) -> Result<bool>;

    /// Lines of the audit log, newest first.
    async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>>;

    /// The kept tile indexes, one per layer, without their bytes (none before a server
    /// first kept them).
    async fn tile_indexes(&self) -> Result<Vec<StoredTileIndex>>;

    /// A layer's kept tile index with its bytes.
    async fn tile_index(&self, lapisan: &str) -> Result<Option<(StoredTileIndex, Vec<u8>)>>;

    /// Keeps a layer's tile index, replacing the one kept for that layer.
    async fn keep_tile_index(&self, index: &StoredTileIndex, data: Vec<u8>) -> Result<()>;

    /// Writes a consistent copy of the whole store to `path` (which must not exist), for
    /// sharing: without API tokens, and with users but not their password hashes.
    async fn export_copy(&self, path: &std::path::Path) -> Result<()>;

    /// The change feed after change `after`: at most `limit` changes, oldest first, with the
    /// newest id and whether some were pruned (`limit` 0 just answers the newest id).
    async fn changes_since(&self, after: i64, limit: u32) -> Result<ChangeBatch>;

    /// Where failed sign-ins are counted for every server on this store, when the store
    /// is shared by several servers (PostGIS). `None` for a GeoPackage, which one process
    /// serves: its server counts in memory.
    fn login_failure_log(&self) -> Option<&dyn LoginFailureLog> {
        None
    }
}

/// Failed sign-ins counted in the store, under keys the server makes (a name at an
/// address, an address), with Unix-second times, so that every server on one database
/// sees the same counts.
#[async_trait]
pub trait LoginFailureLog: Send + Sync {
    /// Counts a failure under `key` at `now_unix` and answers the count; a key quiet for
    /// `window_secs` starts again at one.
    async fn record_login_failure(&self, key: &str, now_unix: i64, window_secs: i64)
    -> Result<u64>;

    /// The count under `key` and the time of its last failure, unless it has been quiet
    /// for `window_secs` before `now_unix`.
    async fn login_failures(
        &self,
        key: &str,
        now_unix: i64,
        window_secs: i64,
    ) -> Result<Option<(u64, i64)>>;

    /// Forgets the failures under `key`.
    async fn clear_login_failures(&self, key: &str) -> Result<()>;
}

/// A place's code and box as a backend reads them (minx, miny, maxx, maxy).
pub(crate) type BoxRow = (String, Option<f64>, Option<f64>, Option<f64>, Option<f64>);

/// Every row of a query's stream made into a `T` as it arrives, so that the rows are
/// never all held at once beside what is made of them.
pub(crate) async fn decoded<R, T>(
    mut rows: impl futures_util::Stream<Item = std::result::Result<R, sqlx::Error>> + Unpin,
    make: impl Fn(&R) -> Result<T>,
    context: impl Fn() -> String,
) -> Result<Vec<T>> {
    use crate::error::DbContext;
    use futures_util::TryStreamExt;
    let mut out = Vec::new();
    while let Some(row) = rows.try_next().await.ctx_with(&context)? {
        out.push(make(&row)?);
    }
    Ok(out)
}

/// Codes and boxes as read: a code that does not parse is a corrupt row.
pub(crate) fn boxes_of(t: &str, rows: Vec<crate::BoxRow>) -> Result<Vec<(Kode, Option<[f64; 4]>)>> {
    rows.into_iter()
        .map(|(kode, x0, y0, x1, y1)| {
            let k = Kode::parse(&kode).map_err(|e| StoreError::Corrupt {
                table: t.to_owned(),
                fid: 0,
                field: "kode",
                message: format!("{kode}: {e}"),
            })?;
            Ok((
                k,
                x0.zip(y0)
                    .zip(x1.zip(y1))
                    .map(|((a, b), (c, d))| [a, b, c, d]),
            ))
        })
        .collect()
}
