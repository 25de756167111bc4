use std::path::PathBuf;

/// Everything that can go wrong in a store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The file exists but is not a GeoPackage; it is left untouched.
    #[error("{path}: not a GeoPackage ({reason}); refusing to touch it")]
    NotAGeoPackage {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        reason: String,
    },
    /// A GeoPackage that Kumuh did not create; it is left untouched.
    #[error(
        "{path}: a GeoPackage, but not a Kumuh store (no kumuh_migrations table); refusing to touch it. Bring its layers in with `kumuh import` instead"
    )]
    NotAKumuhStore {
        /// The file.
        path: PathBuf,
    },
    /// The store was written by a newer Kumuh.
    #[error(
        "{path}: store schema version {found} is newer than this kumuh understands ({known}); upgrade kumuh, the store is left untouched"
    )]
    NewerSchema {
        /// The file.
        path: PathBuf,
        /// Version found in the store.
        found: i64,
        /// Newest version this build knows.
        known: i64,
    },
    /// A PostgreSQL database written by a newer Kumuh; it is left untouched.
    #[error(
        "{location}: store schema version {found} is newer than this kumuh understands ({known}); upgrade kumuh, the database is left untouched"
    )]
    NewerDatabaseSchema {
        /// The database (its URL without the password).
        location: String,
        /// Version found in the database.
        found: i64,
        /// Newest version this build knows.
        known: i64,
    },
    /// A PostgreSQL database that holds tables but no Kumuh store; it is left untouched.
    #[error(
        "{location}: the database holds tables that are not a Kumuh store ({tables}); refusing to touch it. Use an empty database"
    )]
    NotAKumuhDatabase {
        /// The database (its URL without the password).
        location: String,
        /// Some of the tables found.
        tables: String,
    },
    /// The database role may not do what opening the store needs.
    #[error("{location}: {message}; needed: {privilege}")]
    MissingPrivilege {
        /// The database (its URL without the password).
        location: String,
        /// What is missing.
        privilege: String,
        /// What PostgreSQL said.
        message: String,
    },
    /// The store does not exist and the caller asked not to create it.
    #[error("{path}: no store here; create one with `kumuh init`")]
    Missing {
        /// The file.
        path: PathBuf,
    },
    /// The file failed SQLite's integrity check (or is too damaged to be read); it is
    /// left untouched.
    #[error(
        "{path}: the store is damaged; SQLite's check found: {found}. It is left untouched: restore a backup with `kumuh restore FILE`"
    )]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What SQLite reported.
        found: String,
    },
    /// The store was opened read-only (the file is not writable), so a write was refused.
    #[error("{path}: the store is read-only (the file is not writable); {action} is refused")]
    ReadOnly {
        /// The file.
        path: PathBuf,
        /// The write that was refused, e.g. `writing places`.
        action: String,
    },
    /// A place cannot be deleted while places lie below it: they would be left without
    /// a parent.
    #[error(
        "{kode} has {children} place(s) below it; delete or move them first, so none is left without its parent"
    )]
    HasChildren {
        /// The place.
        kode: kumuh_domain::Kode,
        /// How many places name it as their parent.
        children: u64,
    },
    /// A file-system operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A database operation failed.
    #[error("{context}: {source}")]
    Database {
        /// What was being done.
        context: String,
        /// The cause.
        #[source]
        source: sqlx::Error,
    },
    /// A stored value could not be read back (a corrupt geometry blob, bad JSON).
    #[error("{table} feature {fid}, field {field}: {message}")]
    Corrupt {
        /// Table name.
        table: String,
        /// Feature id.
        fid: i64,
        /// Column.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A write conflicts with what is stored (a taken name, a duplicate code).
    #[error("{0}")]
    Conflict(String),
    /// A change made on an out-of-date version of a record: someone else changed it
    /// first. Nothing was written; read it again and redo the change.
    #[error(
        "{what} was changed by someone else: this change was made on version {expected}, it is now at version {current}; reload and try again"
    )]
    Stale {
        /// The record, e.g. `kegiatan K1`.
        what: String,
        /// The version the change was made on.
        expected: i64,
        /// The stored version.
        current: i64,
    },
    /// A record to change does not exist.
    #[error("{0} does not exist")]
    NotFound(String),
    /// Input the store refuses (e.g. an invalid code).
    #[error("{0}")]
    Invalid(String),
}

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Adds what was being done to a database error.
pub(crate) trait DbContext<T> {
    fn ctx(self, context: impl Into<String>) -> Result<T>;
    /// [`ctx`](Self::ctx), with the context made only on an error.
    fn ctx_with(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> DbContext<T> for std::result::Result<T, sqlx::Error> {
    fn ctx(self, context: impl Into<String>) -> Result<T> {
        self.map_err(|source| StoreError::Database {
            context: context.into(),
            source,
        })
    }
    fn ctx_with(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| StoreError::Database {
            context: context(),
            source,
        })
    }
}
