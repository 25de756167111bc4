//! Running the `kumuh` binary and `sqlite3` from tests, shared by the CLI tests and the
//! end-to-end crash test. Each test crate uses only some of these.
//!
//! With `KUMUH_TEST_BACKEND=postgis` (and `KUMUH_TEST_POSTGRES`, as
//! `scripts/with-postgres.sh` sets it) the same tests run on PostGIS: each store path a
//! test names stands for a new database of its own, the binary gets that database's URL,
//! and [`sqlite3`] asks it through `psql` in the same output format.
#![allow(dead_code)]

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

#[path = "../../../../../tests/support/postgres.rs"]
pub mod postgres;

/// Whether the tests run on PostGIS (`KUMUH_TEST_BACKEND=postgis`).
pub fn on_postgis() -> bool {
    std::env::var("KUMUH_TEST_BACKEND").is_ok_and(|b| b == "postgis")
}

/// The databases standing for store paths, on PostGIS.
static DATABASES: Mutex<Option<HashMap<PathBuf, String>>> = Mutex::new(None);

/// The database URL standing for `store` on PostGIS (made on first use), or `None`
/// on GeoPackage files.
pub fn database_of(store: &Path) -> Option<String> {
    if !on_postgis() {
        return None;
    }
    let mut dbs = DATABASES.lock().unwrap_or_else(|e| e.into_inner());
    let dbs = dbs.get_or_insert_with(HashMap::new);
    if let Some(url) = dbs.get(store) {
        return Some(url.clone());
    }
    let url = postgres::fresh_database()
        .expect("KUMUH_TEST_BACKEND=postgis needs a PostgreSQL server in KUMUH_TEST_POSTGRES");
    dbs.insert(store.to_owned(), url.clone());
    Some(url)
}

/// The database URL already standing for `store`, without making one.
fn known_database(store: &Path) -> Option<String> {
    let dbs = DATABASES.lock().unwrap_or_else(|e| e.into_inner());
    dbs.as_ref()?.get(store).cloned()
}

/// What the binary gets as its store for `store`: the path, or its database's URL.
pub fn store_arg(store: &Path) -> OsString {
    database_of(store).map_or_else(|| store.as_os_str().to_owned(), OsString::from)
}

/// How GDAL opens `store`: the file, or on PostGIS its database as an OGR `PG:` source
/// ([`postgres::gdal_source`]).
pub fn ogr_source(store: &Path) -> String {
    match database_of(store) {
        Some(url) => postgres::gdal_source(&url),
        None => store.display().to_string(),
    }
}

/// On PostGIS, says why a test of the GeoPackage file itself is left out there, and
/// answers true (the test then returns); false on GeoPackage files.
pub fn geopackage_only(why: &str) -> bool {
    if on_postgis() {
        eprintln!("a test of the GeoPackage file itself, left out on PostGIS: {why}");
    }
    on_postgis()
}

/// Runs `kumuh ARGS` on `store`, with nothing on standard input.
pub fn kumuh(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kumuh"))
        .args(args)
        .env("KUMUH_STORE", store_arg(store))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("running kumuh")
}

/// Runs `kumuh ARGS` on `store` with `input` on standard input.
pub fn kumuh_stdin(store: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kumuh"))
        .args(args)
        .env("KUMUH_STORE", store_arg(store))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running kumuh");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The standard output of a command that must have succeeded.
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "kumuh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A failed command exits 2 with exactly one `error:` line naming the problem.
pub fn fails(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.matches("error: ").count(), 1, "{err}");
    err
}

/// Runs `sql` on the store file with the `sqlite3` command (another process); answers
/// its output, trimmed. On PostGIS, a store's database answers through `psql`, with
/// columns joined by `|` as `sqlite3` does (other files, such as an MBTiles, are still
/// SQLite's).
pub fn sqlite3(path: &Path, sql: &str) -> String {
    let out = match known_database(path) {
        Some(url) => Command::new("psql")
            .args([
                "-X",
                "-q",
                "-A",
                "-t",
                "-F",
                "|",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                &url,
            ])
            .args(["-c", sql])
            .output()
            .expect("the psql command (Debian package postgresql-client)"),
        None => Command::new("sqlite3")
            .arg(path)
            .arg(sql)
            .output()
            .expect("the sqlite3 command (Debian package sqlite3)"),
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
