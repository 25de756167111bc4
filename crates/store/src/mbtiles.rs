//! Reading a raster MBTiles file (1.3: the `metadata` and `tiles` tables of an SQLite
//! file, rows in the TMS scheme) as a basemap's tiles, opened read-only and never changed.
//! QGIS ("Generate XYZ tiles (MBTiles)"), `gdal_translate -of MBTiles` and most drone
//! processing suites write such files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use crate::error::{DbContext, Result, StoreError};
use crate::{SumberUbin, Ubin};

/// How many tiles one read hands over.
const BATCH: i64 = 256;

/// An open MBTiles file: what its metadata says, and its tiles read in batches.
pub struct MbTiles {
    path: PathBuf,
    conn: SqliteConnection,
    /// The tiles' format from the metadata: `png`, `jpg` or `webp`.
    pub format: String,
    /// `name` from the metadata.
    pub nama: Option<String>,
    /// `attribution` from the metadata.
    pub atribusi: Option<String>,
    /// `bounds` from the metadata, `[west, south, east, north]`.
    pub batas: Option<[f64; 4]>,
    /// How many tiles it holds.
    pub jumlah_ubin: i64,
    last: Option<(i64, i64, i64)>,
}

impl std::fmt::Debug for MbTiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MbTiles")
            .field("path", &self.path)
            .field("format", &self.format)
            .field("jumlah_ubin", &self.jumlah_ubin)
            .finish_non_exhaustive()
    }
}

fn invalid(path: &Path, message: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("{}: {message}", path.display()))
}

impl MbTiles {
    /// Opens `path` and reads its metadata. A file that is not an SQLite database, has no
    /// `tiles`, holds vector tiles (`pbf`) or another format than PNG, JPEG or WebP is
    /// refused, naming the file and what is wrong.
    pub async fn open(path: &Path) -> Result<MbTiles> {
        if !path.is_file() {
            return Err(invalid(path, "no such file"));
        }
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .immutable(true);
        let mut conn = SqliteConnection::connect_with(&opts)
            .await
            .map_err(|e| invalid(path, format!("not an MBTiles (SQLite) file: {e}")))?;
        let meta: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT name, value FROM metadata")
                .fetch_all(&mut conn)
                .await
                .map_err(|e| invalid(path, format!("no MBTiles metadata table: {e}")))?;
        let meta: HashMap<String, String> = meta
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_ascii_lowercase(), v?)))
            .collect();
        let format = match meta.get("format").map(|f| f.trim().to_ascii_lowercase()) {
            Some(f) if f == "png" => "png".to_owned(),
            Some(f) if f == "jpg" || f == "jpeg" => "jpg".to_owned(),
            Some(f) if f == "webp" => "webp".to_owned(),
            Some(f) if f == "pbf" || f == "mvt" => {
                return Err(invalid(
                    path,
                    "holds vector tiles (format pbf); a basemap here is raster imagery (png, jpg or webp)",
                ));
            }
            Some(f) => {
                return Err(invalid(
                    path,
                    format!("metadata format {f:?} is not png, jpg or webp"),
                ));
            }
            None => {
                return Err(invalid(
                    path,
                    "its metadata names no format (png, jpg or webp)",
                ));
            }
        };
        let batas = match meta.get("bounds") {
            None => None,
            Some(b) => Some(kumuh_domain::geometry::parse_bbox(b).ok_or_else(|| {
                invalid(
                    path,
                    format!("metadata bounds {b:?} is not west,south,east,north in degrees"),
                )
            })?),
        };
        let jumlah_ubin: i64 = sqlx::query_scalar("SELECT count(*) FROM tiles")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| invalid(path, format!("no MBTiles tiles table: {e}")))?;
        Ok(MbTiles {
            path: path.to_owned(),
            conn,
            format,
            nama: meta.get("name").cloned(),
            atribusi: meta.get("attribution").cloned(),
            batas,
            jumlah_ubin,
            last: None,
        })
    }

    /// Closes the file.
    pub async fn close(self) {
        let _ = self.conn.close().await;
    }
}

#[async_trait]
impl SumberUbin for MbTiles {
    async fn berikut(&mut self) -> Result<Option<Vec<Ubin>>> {
        let (z0, x0, y0) = self.last.unwrap_or((-1, -1, -1));
        let rows: Vec<(i64, i64, i64, Vec<u8>)> = sqlx::query_as(
            "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles
             WHERE (zoom_level, tile_column, tile_row) > (?, ?, ?)
             ORDER BY zoom_level, tile_column, tile_row LIMIT ?",
        )
        .bind(z0)
        .bind(x0)
        .bind(y0)
        .bind(BATCH)
        .fetch_all(&mut self.conn)
        .await
        .ctx(format!("reading the tiles of {}", self.path.display()))?;
        let Some(&(z, x, y, _)) = rows.last() else {
            return Ok(None);
        };
        self.last = Some((z, x, y));
        let path = &self.path;
        rows.into_iter()
            .map(|(z, x, row, data)| {
                let at = || format!("tile zoom {z}, column {x}, row {row}");
                let zoom = u8::try_from(z)
                    .ok()
                    .filter(|z| *z <= 30)
                    .ok_or_else(|| invalid(path, format!("{}: zoom out of range", at())))?;
                let n = 1_i64 << zoom;
                if !(0..n).contains(&x) || !(0..n).contains(&row) {
                    return Err(invalid(
                        path,
                        format!("{}: outside the zoom's {n}×{n} grid", at()),
                    ));
                }
                Ok(Ubin {
                    z: zoom,
                    x: u32::try_from(x).unwrap_or(u32::MAX),
                    // MBTiles rows count from the south (TMS); XYZ rows from the north.
                    y: u32::try_from(n - 1 - row).unwrap_or(u32::MAX),
                    data,
                })
            })
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }
}
