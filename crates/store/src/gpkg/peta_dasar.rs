//! Basemaps in the GeoPackage: the attributes tables `peta_dasar` (the register) and
//! `peta_dasar_ubin` (the tiles of kept basemaps, as blobs). Writes take the write lock
//! first (`BEGIN IMMEDIATE`).

use sqlx::SqlitePool;

crate::peta_dasar::backend!(
    pool = SqlitePool,
    begin = begin_with("BEGIN IMMEDIATE"),
    audit = super::works::append_audit_lines
);
