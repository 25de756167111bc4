//! A new PostgreSQL database for a test that runs Kumuh on PostGIS, on the server
//! `KUMUH_TEST_POSTGRES` names (`scripts/with-postgres.sh` starts one). Shared by the CLI
//! end-to-end and store tests (`#[path]`).
#![allow(dead_code)]

use std::process::Command;

/// A new empty database, or `None` with a notice when no server is configured.
pub fn fresh_database() -> Option<String> {
    let url = match std::env::var("KUMUH_TEST_POSTGRES").as_deref() {
        Ok("skip") => {
            eprintln!("KUMUH_TEST_POSTGRES=skip: leaving out this PostGIS test");
            return None;
        }
        Ok(url) => url.to_owned(),
        Err(_) => panic!(
            "KUMUH_TEST_POSTGRES is not set, so this PostGIS test cannot run. Run the tests \
             through scripts/with-postgres.sh (it starts a throwaway PostgreSQL 15 with \
             PostGIS 3; Debian package postgresql-15-postgis-3), or scripts/test.sh; or set \
             KUMUH_TEST_POSTGRES=postgres://USER@HOST/DB; or KUMUH_TEST_POSTGRES=skip to \
             leave it out"
        ),
    };
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "kumuh_t_{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let out = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &url, "-c"])
        .arg(format!("CREATE DATABASE {name}"))
        .output()
        .expect("the psql command (Debian package postgresql-client)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(kumuh_store::postgis::with_database(&url, &name))
}

/// How GDAL opens the database at `url`: an OGR `PG:` source in libpq's keyword form
/// (GDAL does not read libpq's URI form); a socket directory given as `?host=` is the
/// host.
pub fn gdal_source(url: &str) -> String {
    let o: sqlx::postgres::PgConnectOptions = url.parse().expect("a PostgreSQL URL");
    let host = o
        .get_socket()
        .map_or_else(|| o.get_host().to_owned(), |s| s.display().to_string());
    format!(
        "PG:host={host} port={} user={} dbname={}",
        o.get_port(),
        o.get_username(),
        o.get_database().unwrap_or("postgres")
    )
}
