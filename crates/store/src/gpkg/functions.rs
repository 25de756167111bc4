//! The SQL functions GeoPackage's R-tree triggers call, registered on a raw SQLite
//! connection.
//!
//! The standard `gpkg_rtree_index` triggers (GeoPackage 1.3, annex F.3) call
//! `ST_IsEmpty`, `ST_MinX`, `ST_MaxX`, `ST_MinY` and `ST_MaxY` on every insert and update
//! of a feature table. SQLite has no such functions and sqlx offers no API to add them
//! (sqlx issue 2732), so they are registered here through `sqlite3_create_function_v2`
//! on the connection handle sqlx lends while its worker thread is locked out. GDAL and
//! QGIS register their own versions of the same functions when they open the file.
//!
//! One of the few places of unsafe code in Kumuh (ARCHITECTURE.md lists them). The
//! functions themselves are safe Rust in [`super::blob`]; what is unsafe is reading the argument out of a `sqlite3_value` and
//! handing the result back, under the contract SQLite documents for scalar functions:
//! the argument pointer array holds `argc` valid values for the duration of the call,
//! and a blob pointer stays valid until the value is next converted or freed.

#![allow(unsafe_code)]

use std::ffi::{CStr, c_int};
use std::ptr::{self, NonNull};

use libsqlite3_sys as ffi;

use super::blob;

type ScalarFn =
    unsafe extern "C" fn(*mut ffi::sqlite3_context, c_int, *mut *mut ffi::sqlite3_value);

const FUNCTIONS: [(&CStr, ScalarFn); 5] = [
    (c"ST_IsEmpty", st_is_empty),
    (c"ST_MinX", st_min_x),
    (c"ST_MaxX", st_max_x),
    (c"ST_MinY", st_min_y),
    (c"ST_MaxY", st_max_y),
];

/// Registers the R-tree trigger functions on one connection.
///
/// Returns the SQLite result code of the first registration that failed.
///
/// # Safety contract (upheld by the caller in `super::connect`)
/// `db` must be an open connection that no other thread uses for the duration of the
/// call, which sqlx guarantees while its `LockedSqliteHandle` is held.
pub(crate) fn register(db: NonNull<ffi::sqlite3>) -> Result<(), c_int> {
    for (name, func) in FUNCTIONS {
        // SAFETY: `db` is open and exclusively ours (see above); `name` is a
        // NUL-terminated static string; no user data pointer or destructor is passed.
        let rc = unsafe {
            ffi::sqlite3_create_function_v2(
                db.as_ptr(),
                name.as_ptr(),
                1,
                ffi::SQLITE_UTF8 | ffi::SQLITE_DETERMINISTIC | ffi::SQLITE_INNOCUOUS,
                ptr::null_mut(),
                Some(func),
                None,
                None,
                None,
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(rc);
        }
    }
    Ok(())
}

/// The blob argument of a one-argument call, or `None` for NULL and non-blob values.
///
/// # Safety
/// `argv` must point to `argc` valid values, as SQLite passes them to a scalar function.
unsafe fn blob_arg<'a>(argc: c_int, argv: *mut *mut ffi::sqlite3_value) -> Option<&'a [u8]> {
    if argc != 1 || argv.is_null() {
        return None;
    }
    // SAFETY: argc == 1, so argv[0] is a valid value for the duration of the call.
    unsafe {
        let value = *argv;
        if ffi::sqlite3_value_type(value) != ffi::SQLITE_BLOB {
            return None;
        }
        // SQLite's documented order: take the pointer first, then the byte count.
        let data = ffi::sqlite3_value_blob(value);
        let len = ffi::sqlite3_value_bytes(value);
        if data.is_null() || len <= 0 {
            return Some(&[]);
        }
        Some(std::slice::from_raw_parts(data.cast::<u8>(), len as usize))
    }
}

unsafe extern "C" fn st_is_empty(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: called by SQLite with its own argument array and context.
    unsafe {
        match blob_arg(argc, argv).map(blob::is_empty) {
            Some(Ok(empty)) => ffi::sqlite3_result_int(ctx, c_int::from(empty)),
            // Not a geometry: NULL, so `NOT ST_IsEmpty(..)` keeps it out of the index.
            _ => ffi::sqlite3_result_null(ctx),
        }
    }
}

/// Shared body of the four bound functions.
///
/// # Safety
/// As for any scalar function: `ctx` and `argv` come from SQLite for this call.
unsafe fn bound(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
    pick: fn(&blob::Envelope) -> f64,
) {
    // SAFETY: forwarded from SQLite's call.
    unsafe {
        match blob_arg(argc, argv).map(blob::envelope) {
            Some(Ok(Some(e))) => ffi::sqlite3_result_double(ctx, pick(&e)),
            _ => ffi::sqlite3_result_null(ctx),
        }
    }
}

unsafe extern "C" fn st_min_x(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: forwarded from SQLite's call.
    unsafe { bound(ctx, argc, argv, |e| e.min_x) }
}

unsafe extern "C" fn st_max_x(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: forwarded from SQLite's call.
    unsafe { bound(ctx, argc, argv, |e| e.max_x) }
}

unsafe extern "C" fn st_min_y(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: forwarded from SQLite's call.
    unsafe { bound(ctx, argc, argv, |e| e.min_y) }
}

unsafe extern "C" fn st_max_y(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: forwarded from SQLite's call.
    unsafe { bound(ctx, argc, argv, |e| e.max_y) }
}
