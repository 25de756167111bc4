//! Basemaps in PostGIS: the tables `peta_dasar` (the register) and `peta_dasar_ubin`
//! (the tiles of kept basemaps, as `bytea`), as in the GeoPackage.

use sqlx::PgPool;

crate::peta_dasar::backend!(
    pool = PgPool,
    begin = begin,
    audit = super::records::append_audit_lines
);
