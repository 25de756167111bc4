//! The store tests that hold for every backend run once per backend: against a new
//! GeoPackage file in a temporary directory, and against a new PostgreSQL database on the
//! server `KUMUH_TEST_POSTGRES` names (`scripts/with-postgres.sh` starts one; without the
//! variable the PostGIS runs fail saying how to get one, and `KUMUH_TEST_POSTGRES=skip`
//! leaves them out).
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use kumuh_store::{GpkgStore, OpenMode, PgStore, Store};

/// The variable naming the PostgreSQL server the PostGIS tests use.
pub const POSTGRES_VAR: &str = "KUMUH_TEST_POSTGRES";

/// A store backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A GeoPackage file.
    Gpkg,
    /// A PostgreSQL database with PostGIS.
    Postgis,
}

/// A new, empty store of one backend, kept alive with what it lives in.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    pub backend: Backend,
    /// The file or the database URL.
    pub location: String,
    _dir: Option<tempfile::TempDir>,
}

impl std::ops::Deref for TestStore {
    type Target = dyn Store;
    fn deref(&self) -> &Self::Target {
        &*self.store
    }
}

impl TestStore {
    /// The store, to hand to tasks.
    pub fn shared(&self) -> Arc<dyn Store> {
        Arc::clone(&self.store)
    }

    /// A second store on the same file or database, as another process would open it.
    pub async fn reopen(&self) -> Box<dyn Store> {
        match self.backend {
            Backend::Gpkg => Box::new(
                GpkgStore::open(std::path::Path::new(&self.location), OpenMode::MustExist)
                    .await
                    .unwrap()
                    .0,
            ),
            Backend::Postgis => Box::new(
                PgStore::open(&self.location, OpenMode::CreateIfMissing)
                    .await
                    .unwrap()
                    .0,
            ),
        }
    }

    /// Runs `sql` from another process, as a DBA or QGIS would: `sqlite3` on the file,
    /// `psql` on the database. Answers its output (trimmed) or its error output.
    pub fn sql(&self, sql: &str) -> Result<String, String> {
        let out = match self.backend {
            Backend::Gpkg => std::process::Command::new("sqlite3")
                .arg(&self.location)
                .arg(sql)
                .output()
                .expect("the sqlite3 command (Debian package sqlite3)"),
            Backend::Postgis => std::process::Command::new("psql")
                .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d"])
                .arg(&self.location)
                .arg("-c")
                .arg(sql)
                .output()
                .expect("the psql command (Debian package postgresql-client)"),
        };
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// What GDAL calls this store: the file, or `PG:` and the URL.
    pub fn gdal_name(&self) -> String {
        match self.backend {
            Backend::Gpkg => self.location.clone(),
            Backend::Postgis => crate::postgres::gdal_source(&self.location),
        }
    }

    /// `ogrinfo -ro -al -q` of one layer: its output, after checking it succeeded.
    pub fn ogrinfo(&self, layer: &str) -> String {
        let out = std::process::Command::new("ogrinfo")
            .args(["-ro", "-al", "-q"])
            .arg(self.gdal_name())
            .arg(layer)
            .output()
            .expect("ogrinfo is installed (Debian package gdal-bin)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// A database name no other test of this run uses.
pub fn database_name(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// The PostgreSQL server to test on. Without one the run fails, saying how to get one,
/// unless `KUMUH_TEST_POSTGRES=skip` asks to leave the PostGIS runs out (then `None`).
pub fn postgres_url() -> Option<String> {
    match std::env::var(POSTGRES_VAR).as_deref() {
        Ok("skip") => {
            eprintln!("{POSTGRES_VAR}=skip: leaving out the PostGIS run of this test");
            None
        }
        Ok(url) => Some(url.to_owned()),
        Err(_) => panic!(
            "{POSTGRES_VAR} is not set, so the PostGIS runs cannot run. Run the tests \
             through scripts/with-postgres.sh (it starts a throwaway PostgreSQL 15 with \
             PostGIS 3; Debian package postgresql-15-postgis-3), or scripts/test.sh; or \
             set {POSTGRES_VAR}=postgres://USER@HOST/DB; or {POSTGRES_VAR}=skip to leave \
             them out"
        ),
    }
}

/// The URL of a new empty database, or `None` when the PostGIS runs are left out.
pub async fn fresh_database() -> Option<String> {
    let url = postgres_url()?;
    Some(
        kumuh_store::postgis::create_database(&url, &database_name("kumuh_t"))
            .await
            .expect("creating a test database"),
    )
}

impl Backend {
    /// A new store, or `None` when this backend cannot run here (no PostgreSQL).
    pub async fn open(self) -> Option<TestStore> {
        match self {
            Backend::Gpkg => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("t.gpkg");
                let (store, created) = GpkgStore::open(&path, OpenMode::CreateIfMissing)
                    .await
                    .unwrap();
                assert!(created);
                Some(TestStore {
                    store: Arc::new(store),
                    backend: self,
                    location: path.display().to_string(),
                    _dir: Some(dir),
                })
            }
            Backend::Postgis => {
                let url = fresh_database().await?;
                let (store, created) = PgStore::open(&url, OpenMode::CreateIfMissing)
                    .await
                    .unwrap();
                assert!(created);
                Some(TestStore {
                    store: Arc::new(store),
                    backend: self,
                    location: url,
                    _dir: None,
                })
            }
        }
    }
}

/// Runs each named `async fn NAME(store: TestStore)` once per backend, as the tests
/// `NAME::gpkg` and `NAME::postgis`.
#[macro_export]
macro_rules! for_each_backend {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use super::backend::Backend;

            #[tokio::test]
            async fn gpkg() {
                if let Some(store) = Backend::Gpkg.open().await {
                    super::$name(store).await;
                }
            }

            #[tokio::test]
            async fn postgis() {
                if let Some(store) = Backend::Postgis.open().await {
                    super::$name(store).await;
                }
            }
        }
    )*};
}
