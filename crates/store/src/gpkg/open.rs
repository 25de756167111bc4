//! Opening a store file: what lies at the path, the refusal of anything that is not a
//! Kumuh store, the integrity check every open runs, read-only files, and the two pools
//! (the readers' and the one writer's).

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, SqliteConnection};

use super::{GpkgStore, OpenMode, functions, schema};
use crate::error::{DbContext, Result, StoreError};

/// Something an open did that the person running Kumuh should hear about, although the
/// store opened: the caller shows it (the CLI logs it as a warning).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpenWarning {
    /// The file is not writable: the store serves reads, and every write fails with
    /// [`StoreError::ReadOnly`].
    ReadOnly {
        /// The file.
        path: PathBuf,
    },
    /// An empty (0-byte) file stood at the path and a new store was created in it.
    SeededEmptyFile {
        /// The file.
        path: PathBuf,
    },
}

impl fmt::Display for OpenWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenWarning::ReadOnly { path } => write!(
                f,
                "{}: the file is read-only; the store is open for reading only and every change will be refused",
                path.display()
            ),
            OpenWarning::SeededEmptyFile { path } => write!(
                f,
                "{}: the file was empty (0 bytes); a new store was created in it",
                path.display()
            ),
        }
    }
}

/// What is at a store path before it is opened.
pub(super) enum Found {
    Nothing,
    Empty,
    GeoPackage,
}

/// Reads the SQLite header of an existing file without opening it as a database, so
/// that a file which is not a GeoPackage is never modified (not even its journal mode).
pub(super) fn inspect(path: &Path) -> Result<Found> {
    use std::io::Read;
    let io = |source| StoreError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(e) => return Err(io(e)),
    };
    if file.metadata().map_err(io)?.is_dir() {
        return Err(StoreError::NotAGeoPackage {
            path: path.to_owned(),
            reason: "it is a directory".into(),
        });
    }
    let mut header = Vec::with_capacity(100);
    file.by_ref()
        .take(100)
        .read_to_end(&mut header)
        .map_err(io)?;
    if header.is_empty() {
        return Ok(Found::Empty);
    }
    let not_gpkg = |reason: String| StoreError::NotAGeoPackage {
        path: path.to_owned(),
        reason,
    };
    if header.len() < 100 || &header[..16] != b"SQLite format 3\0" {
        return Err(not_gpkg("it is not an SQLite database".into()));
    }
    let application_id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    if application_id != schema::GPKG_APPLICATION_ID {
        return Err(not_gpkg(format!(
            "an SQLite database with application_id {application_id:#x}, not 'GPKG'"
        )));
    }
    Ok(Found::GeoPackage)
}

/// Whether the file may not be written. The permission bits count even where the
/// process could write anyway (root ignores them): a file marked read-only was marked
/// so on purpose, and writing it would surprise whoever did.
fn is_read_only(path: &Path) -> Result<bool> {
    let meta = std::fs::metadata(path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        source,
    })?;
    if meta.permissions().readonly() {
        return Ok(true);
    }
    Ok(match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(_) => false,
        Err(e) => matches!(
            e.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        ),
    })
}

fn base_options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
}

/// The writer's connection: WAL (readers never block it, nor it them), and a busy timeout
/// for the lock another process (QGIS, `kumuh import`) may hold.
fn writer_options(path: &Path) -> SqliteConnectOptions {
    base_options(path)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        // Statement journals (every row written through the R-tree triggers needs one)
        // and sort scratch stay in memory instead of temporary files.
        .pragma("temp_store", "MEMORY")
        // 64 MiB of page cache (SQLite's default is 2 MiB): a large import writes the
        // table, its code indexes and the packed R-tree without reading pages back.
        // Filled only as pages are written, so a server that seldom writes keeps little.
        .pragma("cache_size", "-65536")
}

/// Readers' connections refuse to write (`query_only`), so a write that went through the
/// readers' pool by mistake fails loudly instead of queueing behind readers. They leave
/// the journal mode alone: the writer sets WAL, and the file keeps it.
fn reader_options(path: &Path, read_only_file: bool) -> SqliteConnectOptions {
    base_options(path)
        .read_only(read_only_file)
        .pragma("query_only", "ON")
}

/// Bytes per page of a new store's file.
pub(super) const PAGE_SIZE: u32 = 16_384;

/// How many connections serve reads at once.
pub(super) const READERS: u32 = 8;

/// A pool whose every connection has the R-tree trigger functions registered.
async fn pool(options: SqliteConnectOptions, path: &Path, size: u32) -> Result<SqlitePool> {
    SqlitePoolOptions::new()
        .max_connections(size)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                let mut handle = conn.lock_handle().await?;
                functions::register(handle.as_raw_handle()).map_err(|rc| {
                    sqlx::Error::Configuration(
                        format!("registering the GeoPackage R-tree functions: SQLite error {rc}")
                            .into(),
                    )
                })
            })
        })
        .connect_with(options)
        .await
        .map_err(|e| damaged_or(path, e, format!("opening {}", path.display())))
}

/// A database error that means the file is damaged becomes [`StoreError::Damaged`];
/// anything else keeps its context.
pub(super) fn damaged_or(path: &Path, e: sqlx::Error, context: String) -> StoreError {
    // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26), whatever their extended code.
    let corrupt = matches!(&e, sqlx::Error::Database(d)
        if d.code().and_then(|c| c.parse::<i32>().ok()).is_some_and(|c| matches!(c & 0xFF, 11 | 26)));
    if corrupt {
        StoreError::Damaged {
            path: path.to_owned(),
            found: e.to_string(),
        }
    } else {
        StoreError::Database { context, source: e }
    }
}

pub(super) async fn schema_version(conn: &mut SqliteConnection) -> Result<Option<i64>> {
    let has_table: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'kumuh_migrations'",
    )
    .fetch_one(&mut *conn)
    .await
    .ctx("reading the schema version")?;
    if has_table == 0 {
        return Ok(None);
    }
    let v: Option<i64> = sqlx::query_scalar("SELECT max(version) FROM kumuh_migrations")
        .fetch_one(&mut *conn)
        .await
        .ctx("reading the schema version")?;
    Ok(Some(v.unwrap_or(0)))
}

/// Opens a plain read-only connection to look at a file without changing it.
pub(super) async fn look(path: &Path) -> Result<SqliteConnection> {
    let ro = SqliteConnectOptions::new().filename(path).read_only(true);
    <SqliteConnection as sqlx::Connection>::connect_with(&ro)
        .await
        .map_err(|e| damaged_or(path, e, format!("opening {}", path.display())))
}

/// The first problems `PRAGMA quick_check` finds, or nothing when it answers `ok`.
pub(super) async fn quick_check(conn: &mut SqliteConnection, path: &Path) -> Result<Vec<String>> {
    pragma_check(conn, path, "quick_check").await
}

/// Runs `PRAGMA quick_check` or `integrity_check` (at most 20 findings); a file too
/// damaged to be checked at all is a finding too.
pub(super) async fn pragma_check(
    conn: &mut SqliteConnection,
    path: &Path,
    pragma: &str,
) -> Result<Vec<String>> {
    let rows: std::result::Result<Vec<String>, sqlx::Error> =
        sqlx::query_scalar(AssertSqlSafe(format!("PRAGMA {pragma}(20)")))
            .fetch_all(&mut *conn)
            .await;
    match rows {
        Ok(rows) if rows.len() == 1 && rows[0] == "ok" => Ok(vec![]),
        Ok(rows) => Ok(rows),
        Err(e) => match damaged_or(path, e, format!("checking {}", path.display())) {
            StoreError::Damaged { found, .. } => Ok(vec![found]),
            other => Err(other),
        },
    }
}

impl GpkgStore {
    /// Opens the store at `path`, creating and migrating a new one if allowed. Returns the
    /// store and whether it was created by this call.
    ///
    /// A file that is not a GeoPackage, a GeoPackage Kumuh did not create, a store
    /// from a newer schema, or a store that fails SQLite's `quick_check`
    /// ([`StoreError::Damaged`]) is refused and left untouched. A read-only file opens
    /// for reading only; an empty file is made a new store. Both are said in
    /// [`GpkgStore::warnings`].
    pub async fn open(path: &Path, mode: OpenMode) -> Result<(GpkgStore, bool)> {
        match inspect(path)? {
            Found::Nothing | Found::Empty if mode == OpenMode::MustExist => {
                Err(StoreError::Missing {
                    path: path.to_owned(),
                })
            }
            Found::Nothing => Ok((Self::create(path).await?, true)),
            Found::Empty => {
                let mut store = Self::create(path).await?;
                store.warnings.push(OpenWarning::SeededEmptyFile {
                    path: path.to_owned(),
                });
                Ok((store, true))
            }
            Found::GeoPackage => Ok((Self::open_existing(path).await?, false)),
        }
    }

    async fn create(path: &Path) -> Result<GpkgStore> {
        // Mark the file as a GeoPackage before WAL is switched on, so the marks are in
        // the main file at once: another process inspecting the header (see `inspect`)
        // must see 'GPKG' even while the first writer's WAL is not yet checkpointed.
        {
            // The file's pages (it keeps the size it is made with): a geometry of a few
            // KiB fits in one page with its row, and a large import writes a quarter of
            // the pages it would at SQLite's default 4 KiB, through the WAL and again at
            // the checkpoint.
            let opts = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .page_size(PAGE_SIZE)
                .journal_mode(SqliteJournalMode::Delete);
            let mut conn = <SqliteConnection as sqlx::Connection>::connect_with(&opts)
                .await
                .ctx(format!("creating {}", path.display()))?;
            sqlx::raw_sql(AssertSqlSafe(format!(
                "PRAGMA application_id = {}; PRAGMA user_version = {};",
                schema::GPKG_APPLICATION_ID,
                schema::GPKG_USER_VERSION
            )))
            .execute(&mut conn)
            .await
            .ctx("marking the file as a GeoPackage")?;
            sqlx::Connection::close(conn)
                .await
                .ctx(format!("creating {}", path.display()))?;
        }
        let writer = pool(writer_options(path), path, 1).await?;
        {
            let mut conn = writer.acquire().await.ctx("opening a connection")?;
            schema::migrate(&mut conn, 0).await?;
        }
        let readers = pool(reader_options(path, false), path, READERS).await?;
        Ok(GpkgStore {
            pool: readers,
            writer: Some(writer),
            path: path.to_owned(),
            warnings: Vec::new(),
        })
    }

    async fn open_existing(path: &Path) -> Result<GpkgStore> {
        // Look first through a read-only connection: a foreign or damaged GeoPackage
        // must not even be switched to WAL.
        let version = {
            let mut conn = look(path).await?;
            let found = quick_check(&mut conn, path).await?;
            if !found.is_empty() {
                return Err(StoreError::Damaged {
                    path: path.to_owned(),
                    found: found.join("; "),
                });
            }
            let v = schema_version(&mut conn).await?;
            sqlx::Connection::close(conn).await.ok();
            v
        };
        let current = version.ok_or_else(|| StoreError::NotAKumuhStore {
            path: path.to_owned(),
        })?;
        let known = schema::latest_version();
        if current > known {
            return Err(StoreError::NewerSchema {
                path: path.to_owned(),
                found: current,
                known,
            });
        }
        if is_read_only(path)? {
            if current < known {
                return Err(StoreError::ReadOnly {
                    path: path.to_owned(),
                    action: format!("upgrading its schema from version {current} to {known}"),
                });
            }
            let readers = pool(reader_options(path, true), path, READERS).await?;
            tracing::warn!(store = %path.display(), "the store file is read-only; serving reads only");
            return Ok(GpkgStore {
                pool: readers,
                writer: None,
                path: path.to_owned(),
                warnings: vec![OpenWarning::ReadOnly {
                    path: path.to_owned(),
                }],
            });
        }
        let writer = pool(writer_options(path), path, 1).await?;
        if current < known {
            let mut conn = writer.acquire().await.ctx("opening a connection")?;
            schema::migrate(&mut conn, current).await?;
        }
        let readers = pool(reader_options(path, false), path, READERS).await?;
        Ok(GpkgStore {
            pool: readers,
            writer: Some(writer),
            path: path.to_owned(),
            warnings: Vec::new(),
        })
    }
}

/// Removes a store file and its WAL companions, but only if it is a Kumuh store (or
/// nothing, or an empty file): anything else is refused and left in place.
pub async fn remove_store_file(path: &Path) -> Result<()> {
    if let Found::GeoPackage = inspect(path)? {
        let mut conn = look(path).await?;
        let version = schema_version(&mut conn).await?;
        sqlx::Connection::close(conn).await.ok();
        if version.is_none() {
            return Err(StoreError::NotAKumuhStore {
                path: path.to_owned(),
            });
        }
    }
    for p in [
        path.to_owned(),
        companion(path, "-wal"),
        companion(path, "-shm"),
    ] {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(StoreError::Io { path: p, source }),
        }
    }
    Ok(())
}

/// `path` with `suffix` appended to its file name (`kumuh.gpkg-wal`).
pub(super) fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
