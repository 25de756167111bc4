//! A whole level of places read straight through SQLite's C API, on the calling thread.
//!
//! Through sqlx every row is copied value by value on its worker thread, handed over a
//! channel one row at a time and freed on another thread: for the 757,996 RT of Java
//! that was 8.6 s of a server's start, most of it allocator locks and thread wake-ups,
//! where SQLite itself steps through the table in about a second. Here the rows are
//! decoded where SQLite keeps them, on one thread (a blocking one: the caller runs this
//! off the async workers), over a connection of its own opened read-only for the one
//! query. In WAL mode that connection reads the last committed state, as a pooled
//! reader would.
//!
//! Unsafe code, under the contract SQLite documents: a statement is used only by the
//! thread that prepared it, before it is finalized; a column's blob or text pointer is
//! valid, for the number of bytes `sqlite3_column_bytes` gives, until the next step (the
//! cells are decoded before it), and is read after its type is asked and before any
//! other conversion of the same column.

#![allow(unsafe_code)]

use std::ffi::{CStr, CString, c_int};
use std::path::Path;
use std::ptr::{self, NonNull};

use kumuh_domain::Place;
use libsqlite3_sys as ffi;

use super::rows::{PLACE_COLUMNS, PlaceCells, place_from_cells};
use crate::error::{Result, StoreError};

/// Every place of a table (one level), in code order. `Ok(None)`: SQLite could not run the read here (a file it cannot open this
/// way, a lock that outlasted the busy timeout); the caller reads through the pool
/// instead, which reports the error if it persists. A cell that cannot be read is
/// [`StoreError::Corrupt`], as through the pool.
pub(super) fn read_level(path: &Path, table: &str) -> Result<Option<Vec<Place>>> {
    match read(path, table) {
        Ok(places) => Ok(Some(places)),
        Err(Failed::Sqlite(message)) => {
            tracing::debug!(table, %message, "bulk read unavailable: reading through the pool");
            Ok(None)
        }
        Err(Failed::Store(e)) => Err(e),
    }
}

enum Failed {
    Sqlite(String),
    Store(StoreError),
}

impl From<StoreError> for Failed {
    fn from(e: StoreError) -> Self {
        Failed::Store(e)
    }
}

/// An open connection, closed on drop.
struct Db(NonNull<ffi::sqlite3>);

impl Drop for Db {
    fn drop(&mut self) {
        // SAFETY: the handle is open, and its one statement was finalized first: a
        // `Stmt` borrows its `Db`, so it is dropped before.
        unsafe {
            ffi::sqlite3_close(self.0.as_ptr());
        }
    }
}

impl Db {
    fn error(&self, doing: &str) -> Failed {
        // SAFETY: the handle is open; the message is a NUL-terminated string SQLite
        // owns, copied before any other call on the handle.
        let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.0.as_ptr())) };
        Failed::Sqlite(format!("{doing}: {}", message.to_string_lossy()))
    }
}

/// A prepared statement, finalized on drop.
struct Stmt<'db> {
    raw: NonNull<ffi::sqlite3_stmt>,
    db: &'db Db,
}

impl Drop for Stmt<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement is valid and finalized once, here.
        unsafe {
            ffi::sqlite3_finalize(self.raw.as_ptr());
        }
    }
}

fn open(path: &Path) -> std::result::Result<Db, Failed> {
    use std::os::unix::ffi::OsStrExt;
    let name = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| Failed::Sqlite("the path holds a NUL byte".into()))?;
    let mut raw = ptr::null_mut();
    // SAFETY: `name` is NUL-terminated and outlives the call; `raw` receives the handle
    // (or NULL when SQLite could not allocate one).
    let rc = unsafe {
        ffi::sqlite3_open_v2(
            name.as_ptr(),
            &raw mut raw,
            ffi::SQLITE_OPEN_READONLY | ffi::SQLITE_OPEN_NOMUTEX,
            ptr::null(),
        )
    };
    let db = Db(NonNull::new(raw).ok_or_else(|| Failed::Sqlite("out of memory".into()))?);
    if rc != ffi::SQLITE_OK {
        return Err(db.error("opening"));
    }
    // SAFETY: the handle is open.
    unsafe {
        ffi::sqlite3_busy_timeout(db.0.as_ptr(), 10_000);
    }
    Ok(db)
}

fn read(path: &Path, table: &str) -> std::result::Result<Vec<Place>, Failed> {
    let db = open(path)?;
    let sql = format!("SELECT {PLACE_COLUMNS} FROM {table} ORDER BY kode");
    let sql_len =
        c_int::try_from(sql.len()).map_err(|_| Failed::Sqlite("query too long".into()))?;
    let mut raw = ptr::null_mut();
    // SAFETY: the handle is open; `sql` is valid for `sql_len` bytes during the call.
    let rc = unsafe {
        ffi::sqlite3_prepare_v2(
            db.0.as_ptr(),
            sql.as_ptr().cast(),
            sql_len,
            &raw mut raw,
            ptr::null_mut(),
        )
    };
    if rc != ffi::SQLITE_OK {
        return Err(db.error("preparing"));
    }
    let stmt = Stmt {
        raw: NonNull::new(raw).ok_or_else(|| Failed::Sqlite("an empty query".into()))?,
        db: &db,
    };
    let mut places = Vec::new();
    loop {
        // SAFETY: the statement is valid and used on this thread only.
        match unsafe { ffi::sqlite3_step(stmt.raw.as_ptr()) } {
            ffi::SQLITE_ROW => places.push(stmt.place(table)?),
            ffi::SQLITE_DONE => return Ok(places),
            _ => return Err(stmt.db.error("reading")),
        }
    }
}

impl Stmt<'_> {
    /// The current row as a place (columns in [`PLACE_COLUMNS`]' order).
    fn place(&self, table: &str) -> std::result::Result<Place, Failed> {
        // SAFETY: the statement is on a row.
        let fid = unsafe { ffi::sqlite3_column_int64(self.raw.as_ptr(), 0) };
        let text = |i: c_int, field: &'static str| -> Result<Option<&str>> {
            self.bytes(i)
                .map(|b| {
                    std::str::from_utf8(b).map_err(|e| StoreError::Corrupt {
                        table: table.to_owned(),
                        fid,
                        field,
                        message: e.to_string(),
                    })
                })
                .transpose()
        };
        let required = |i: c_int, field: &'static str| -> Result<&str> {
            text(i, field)?.ok_or_else(|| StoreError::Corrupt {
                table: table.to_owned(),
                fid,
                field,
                message: "empty (NULL)".into(),
            })
        };
        let cells = PlaceCells {
            fid,
            geom: self.bytes(1),
            kode: required(2, "kode")?,
            kode_bps: text(3, "kode_bps")?,
            nama: required(4, "nama")?,
            nama_alt: text(5, "nama_alt")?.unwrap_or("[]"),
            atribut: text(6, "atribut")?.unwrap_or("{}"),
        };
        Ok(place_from_cells(table, cells)?)
    }

    /// A cell's bytes (a blob's, or a text's in UTF-8), `None` for NULL; valid until the
    /// next step.
    fn bytes(&self, i: c_int) -> Option<&[u8]> {
        let s = self.raw.as_ptr();
        // SAFETY: the statement is on a row and `i` is one of its columns. The type is
        // asked first; then one conversion (to a blob or to text) and its length, in the
        // order SQLite documents, and the pointer is read for that length only.
        unsafe {
            let p: *const u8 = match ffi::sqlite3_column_type(s, i) {
                ffi::SQLITE_NULL => return None,
                ffi::SQLITE_BLOB => ffi::sqlite3_column_blob(s, i).cast(),
                _ => ffi::sqlite3_column_text(s, i).cast(),
            };
            let n = usize::try_from(ffi::sqlite3_column_bytes(s, i)).unwrap_or(0);
            if p.is_null() || n == 0 {
                return Some(&[]);
            }
            Some(std::slice::from_raw_parts(p, n))
        }
    }
}
