//! Looking after the file itself: the full check, backups, restores, and the copy for
//! sharing that leaves the secrets out.
//!
//! Copies are made with `VACUUM INTO`, which reads one consistent snapshot while other
//! connections keep writing, into a temporary name beside the target that is renamed
//! into place only when whole: a reader of the target never sees half a file.

use std::path::{Path, PathBuf};

use sqlx::SqliteConnection;
use sqlx::sqlite::SqliteConnectOptions;

use super::GpkgStore;
use super::open::{Found, companion, damaged_or, inspect, look, pragma_check, schema_version};
use super::schema;
use crate::error::{DbContext, Result, StoreError};

/// What [`check_file`] found in a store file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// The file checked.
    pub path: PathBuf,
    /// The Kumuh schema version, where the file has one.
    pub schema_version: Option<i64>,
    /// Every problem found, each naming what is wrong and where; empty when all is well.
    pub problems: Vec<String>,
}

impl CheckReport {
    /// True when nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What [`restore_file`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// Where the store that was replaced is kept (`STORE.before-restore`), if there was one.
    pub previous: Option<PathBuf>,
    /// The schema version of the restored store.
    pub schema_version: i64,
}

/// The tables every Kumuh store has: the GeoPackage core and Kumuh's migration record.
const REQUIRED_TABLES: [&str; 4] = [
    "gpkg_spatial_ref_sys",
    "gpkg_contents",
    "gpkg_geometry_columns",
    "kumuh_migrations",
];

/// Checks a store file without changing it: SQLite's full `integrity_check` and
/// `foreign_key_check`, the GeoPackage core tables, every `gpkg_contents` entry against
/// the tables that exist, EPSG:4326 in `gpkg_spatial_ref_sys`, and the Kumuh schema
/// version (present, and not newer than this build reads).
///
/// A path with nothing at it or with a file that is not a GeoPackage is an error; every
/// other finding is a line of [`CheckReport::problems`].
pub async fn check_file(path: &Path) -> Result<CheckReport> {
    match inspect(path)? {
        Found::Nothing | Found::Empty => {
            return Err(StoreError::Missing {
                path: path.to_owned(),
            });
        }
        Found::GeoPackage => {}
    }
    let mut conn = look(path).await?;
    let mut problems: Vec<String> = pragma_check(&mut conn, path, "integrity_check")
        .await?
        .into_iter()
        .map(|p| format!("integrity: {p}"))
        .collect();
    let mut schema_version_found = None;
    let checks = async {
        problems.extend(foreign_keys(&mut conn).await?);
        let missing = missing_tables(&mut conn).await?;
        let core_present = !missing
            .iter()
            .any(|t| t == "gpkg_contents" || t == "gpkg_spatial_ref_sys");
        problems.extend(missing.iter().map(|t| format!("missing table {t}")));
        if core_present {
            problems.extend(contents_problems(&mut conn).await?);
            problems.extend(srs_problems(&mut conn).await?);
        }
        schema_version_found = schema_version(&mut conn).await?;
        let known = schema::latest_version();
        match schema_version_found {
            None => problems
                .push("not a Kumuh store: no kumuh_migrations table, so no schema version".into()),
            Some(v) if v > known => problems.push(format!(
                "schema version {v} is newer than this kumuh reads ({known})"
            )),
            Some(_) => {}
        }
        Ok::<(), StoreError>(())
    };
    // A file damaged enough to fail a query is a finding, not a reason to stop.
    if let Err(e) = checks.await {
        problems.push(e.to_string());
    }
    sqlx::Connection::close(conn).await.ok();
    Ok(CheckReport {
        path: path.to_owned(),
        schema_version: schema_version_found,
        problems,
    })
}

async fn foreign_keys(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    let rows: Vec<(String, Option<i64>, String)> =
        sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
            .fetch_all(&mut *conn)
            .await
            .ctx("checking foreign keys")?;
    Ok(rows
        .into_iter()
        .map(|(table, rowid, parent)| match rowid {
            Some(r) => format!(
                "foreign key: {table} row {r} refers to a row of {parent} that does not exist"
            ),
            None => format!(
                "foreign key: a row of {table} refers to a row of {parent} that does not exist"
            ),
        })
        .collect())
}

async fn table_names(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        .fetch_all(&mut *conn)
        .await
        .ctx("listing the tables")
}

async fn missing_tables(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    let names = table_names(conn).await?;
    Ok(REQUIRED_TABLES
        .iter()
        .filter(|t| !names.iter().any(|n| n == *t))
        .map(|t| (*t).to_owned())
        .collect())
}

/// Every layer `gpkg_contents` names must exist, and every feature table in
/// `gpkg_geometry_columns` must be in `gpkg_contents`.
async fn contents_problems(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    let names = table_names(conn).await?;
    let contents: Vec<(String, String)> =
        sqlx::query_as("SELECT table_name, data_type FROM gpkg_contents ORDER BY table_name")
            .fetch_all(&mut *conn)
            .await
            .ctx("reading gpkg_contents")?;
    let mut problems: Vec<String> = contents
        .iter()
        .filter(|(t, _)| !names.contains(t))
        .map(|(t, kind)| format!("gpkg_contents lists {kind} table {t}, which does not exist"))
        .collect();
    if names.iter().any(|n| n == "gpkg_geometry_columns") {
        let geometry: Vec<(String, i64)> = sqlx::query_as(
            "SELECT table_name, srs_id FROM gpkg_geometry_columns ORDER BY table_name",
        )
        .fetch_all(&mut *conn)
        .await
        .ctx("reading gpkg_geometry_columns")?;
        for (t, srs) in geometry {
            if !contents.iter().any(|(c, _)| *c == t) {
                problems.push(format!(
                    "gpkg_geometry_columns names {t}, which gpkg_contents does not list"
                ));
            }
            if srs != 4326 {
                problems.push(format!(
                    "{t}: geometry in SRS {srs}; Kumuh stores EPSG:4326"
                ));
            }
        }
    }
    Ok(problems)
}

async fn srs_problems(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    let found: Option<(String, i64)> = sqlx::query_as(
        "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = 4326",
    )
    .fetch_optional(&mut *conn)
    .await
    .ctx("reading gpkg_spatial_ref_sys")?;
    Ok(match found {
        None => vec!["gpkg_spatial_ref_sys has no srs_id 4326 (WGS 84)".into()],
        Some((org, id)) if !org.eq_ignore_ascii_case("EPSG") || id != 4326 => vec![format!(
            "gpkg_spatial_ref_sys: srs_id 4326 is {org}:{id}, not EPSG:4326"
        )],
        Some(_) => vec![],
    })
}

/// A temporary name beside `target`, in the same directory so that the final rename
/// cannot cross file systems.
fn partial_name(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kumuh.gpkg".into());
    target.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

fn utf8(path: &Path) -> Result<&str> {
    path.to_str().ok_or_else(|| {
        StoreError::Invalid(format!("{}: the path is not valid UTF-8", path.display()))
    })
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_owned(),
        source,
    }
}

fn remove_if_there(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(path)(e)),
    }
}

/// Copies the database at `from` into `to` (which must not exist) with `VACUUM INTO`,
/// on a connection of its own so that no pooled reader or the writer is held, and
/// makes the copy durable.
async fn vacuum_into(from: &Path, to: &Path) -> Result<()> {
    let target = utf8(to)?;
    let opts = SqliteConnectOptions::new().filename(from);
    let mut conn = <SqliteConnection as sqlx::Connection>::connect_with(&opts)
        .await
        .map_err(|e| damaged_or(from, e, format!("opening {}", from.display())))?;
    let copied = sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut conn)
        .await
        .map_err(|e| {
            damaged_or(
                from,
                e,
                format!("copying {} to {}", from.display(), to.display()),
            )
        });
    sqlx::Connection::close(conn).await.ok();
    if let Err(e) = copied {
        remove_if_there(to).ok();
        return Err(e);
    }
    std::fs::File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(io(to))
}

/// Moves a finished temporary file onto `target` (replacing it) and makes the rename
/// durable.
fn put_in_place(partial: &Path, target: &Path) -> Result<()> {
    std::fs::rename(partial, target).map_err(io(target))?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Best effort: not every platform can open a directory to sync it.
        if let Ok(d) = std::fs::File::open(dir) {
            d.sync_all().ok();
        }
    }
    Ok(())
}

impl GpkgStore {
    /// Writes a consistent copy of the whole store, secrets included, to `out` while
    /// other connections (a running server) keep reading and writing. An existing `out`
    /// is refused unless `overwrite`.
    pub async fn backup(&self, out: &Path, overwrite: bool) -> Result<()> {
        if out.exists() && !overwrite {
            return Err(StoreError::Conflict(format!(
                "{}: already exists; choose another file or allow overwriting it",
                out.display()
            )));
        }
        let partial = partial_name(out, "backup");
        remove_if_there(&partial)?;
        vacuum_into(&self.path, &partial).await?;
        put_in_place(&partial, out)
    }

    /// The copy behind `kumuh export --format gpkg`: the whole store for sharing, without
    /// its secrets. API tokens are left out entirely; users stay (their names and roles,
    /// so the audit log still says who did what) but without their password hash, so
    /// nobody can sign in to the copy until an administrator sets a new password. The
    /// left-out values are overwritten and the file vacuumed, so they do not linger in
    /// free pages either. `path` must not exist.
    pub(super) async fn export_without_secrets(&self, path: &Path) -> Result<()> {
        if path.exists() {
            return Err(StoreError::Invalid(format!(
                "{}: already exists; choose a new file",
                path.display()
            )));
        }
        let partial = partial_name(path, "export");
        remove_if_there(&partial)?;
        vacuum_into(&self.path, &partial).await?;
        if let Err(e) = scrub(&partial).await {
            remove_if_there(&partial).ok();
            return Err(e);
        }
        put_in_place(&partial, path)
    }
}

/// Removes the tokens, password hashes and KSM members' NIKs from a fresh copy, and the
/// kept tile indexes (a server builds them again from the copy's features).
async fn scrub(path: &Path) -> Result<()> {
    let opts = SqliteConnectOptions::new().filename(path);
    let mut conn = <SqliteConnection as sqlx::Connection>::connect_with(&opts)
        .await
        .ctx(format!("opening {}", path.display()))?;
    sqlx::raw_sql(
        "PRAGMA secure_delete = ON;
         DELETE FROM kumuh_tokens;
         UPDATE kumuh_users SET password_hash = '';
         DELETE FROM upk_ksm_nik;
         DELETE FROM kumuh_indeks_ubin;
         VACUUM;",
    )
    .execute(&mut conn)
    .await
    .ctx(format!("leaving the secrets out of {}", path.display()))?;
    sqlx::Connection::close(conn)
        .await
        .ctx(format!("closing {}", path.display()))
}

/// Puts the store file `from` in place of the store at `store`, after checking that it is
/// a Kumuh store of a schema this build reads and that it passes [`check_file`]. The
/// store that was there is kept as `STORE.before-restore` (replacing an older one).
///
/// The new file is a fresh copy (`VACUUM INTO`) renamed over the store in one step, so
/// the path always holds a whole store. A server that has the store open keeps the old
/// file until it is restarted.
pub async fn restore_file(store: &Path, from: &Path) -> Result<RestoreReport> {
    let report = check_file(from).await?;
    let version = report
        .schema_version
        .ok_or_else(|| StoreError::NotAKumuhStore {
            path: from.to_owned(),
        })?;
    let known = schema::latest_version();
    if version > known {
        return Err(StoreError::NewerSchema {
            path: from.to_owned(),
            found: version,
            known,
        });
    }
    if !report.is_ok() {
        return Err(StoreError::Damaged {
            path: from.to_owned(),
            found: report.problems.join("; "),
        });
    }
    let partial = partial_name(store, "restore");
    remove_if_there(&partial)?;
    vacuum_into(from, &partial).await?;
    let previous = match inspect(store) {
        Ok(Found::Nothing) => None,
        _ => {
            let kept = companion(store, ".before-restore");
            if let Err(e) = keep_previous(store, &kept).await {
                remove_if_there(&partial).ok();
                return Err(e);
            }
            Some(kept)
        }
    };
    put_in_place(&partial, store)?;
    // The old file's WAL companions were emptied into it above; left beside the new
    // file they would be read as its own.
    remove_if_there(&companion(store, "-wal"))?;
    remove_if_there(&companion(store, "-shm"))?;
    Ok(RestoreReport {
        previous,
        schema_version: version,
    })
}

/// Keeps the current store as `kept`: its WAL is first checkpointed into the main file
/// (when it is an SQLite file at all), so the one file holds everything; a hard link
/// leaves the store in place until the new one is renamed over it.
async fn keep_previous(store: &Path, kept: &Path) -> Result<()> {
    if let Ok(Found::GeoPackage) = inspect(store) {
        let opts = SqliteConnectOptions::new().filename(store);
        if let Ok(mut conn) = <SqliteConnection as sqlx::Connection>::connect_with(&opts).await {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&mut conn)
                .await
                .ctx(format!("checkpointing {}", store.display()))?;
            sqlx::Connection::close(conn).await.ok();
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        remove_if_there(&companion(kept, suffix))?;
    }
    if std::fs::hard_link(store, kept).is_err() {
        std::fs::copy(store, kept).map_err(io(kept))?;
    }
    Ok(())
}
