//! Reading a feature layer of a GeoPackage that Kumuh did not write (one from QGIS or
//! ogr2ogr), for `kumuh import`: opened read-only, never changed, every column as JSON
//! and the geometry decoded, with the layer's coordinate system as the file declares it.

use std::path::Path;

use geo_types::Geometry;
use serde_json::{Map, Value};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Column, Connection, Row, SqliteConnection, TypeInfo, ValueRef};

use crate::error::{DbContext, Result, StoreError};

/// A row's geometry: `None` when null, a message when the blob cannot be decoded.
pub type RowGeometry = std::result::Result<Option<Geometry<f64>>, String>;

/// One feature layer read whole.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignLayer {
    /// The layer (table) name.
    pub name: String,
    /// The organisation defining its coordinate system (`EPSG`), from `gpkg_spatial_ref_sys`.
    pub srs_organization: Option<String>,
    /// The organisation's code for it (e.g. 32749).
    pub srs_code: Option<i64>,
    /// Its WKT definition.
    pub srs_definition: Option<String>,
    /// The attribute columns, in table order (without the geometry and the feature id).
    pub columns: Vec<String>,
    /// Each row's attributes and geometry (`None` for a null geometry, an error message
    /// for a blob that cannot be decoded).
    pub rows: Vec<(Map<String, Value>, RowGeometry)>,
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

async fn connect(path: &Path) -> Result<SqliteConnection> {
    let opts = SqliteConnectOptions::new().filename(path).read_only(true);
    SqliteConnection::connect_with(&opts)
        .await
        .ctx(format!("opening {} read-only", path.display()))
}

/// The feature layers of a GeoPackage, in `gpkg_contents` order.
pub async fn foreign_layers(path: &Path) -> Result<Vec<String>> {
    let mut conn = connect(path).await?;
    layers(&mut conn, path).await
}

async fn layers(conn: &mut SqliteConnection, path: &Path) -> Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid",
    )
    .fetch_all(conn)
    .await
    .map_err(|e| StoreError::NotAGeoPackage {
        path: path.to_owned(),
        reason: format!("no readable gpkg_contents ({e})"),
    })
}

/// Reads one feature layer: `layer`, or the only one. Several layers and no name, or a
/// name that is not a layer, is [`StoreError::Invalid`] listing the layers; more than
/// `max_rows` rows is refused too.
pub async fn read_foreign_layer(
    path: &Path,
    layer: Option<&str>,
    max_rows: usize,
) -> Result<ForeignLayer> {
    let mut conn = connect(path).await?;
    let names = layers(&mut conn, path).await?;
    let file = path.display();
    let name = match (layer, names.as_slice()) {
        (Some(l), _) if names.iter().any(|n| n == l) => l.to_owned(),
        (Some(l), _) => {
            return Err(StoreError::Invalid(format!(
                "{file}: no feature layer `{l}`; its layers are {}",
                names.join(", ")
            )));
        }
        (None, [one]) => one.clone(),
        (None, []) => return Err(StoreError::Invalid(format!("{file}: no feature layer"))),
        (None, many) => {
            return Err(StoreError::Invalid(format!(
                "{file} has {} feature layers ({}); choose one with --layer",
                many.len(),
                many.join(", ")
            )));
        }
    };
    let (geom_column, srs_id): (String, i64) = sqlx::query_as(
        "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?1",
    )
    .bind(&name)
    .fetch_one(&mut conn)
    .await
    .ctx(format!("{file}: the geometry column of `{name}`"))?;
    let srs: Option<(Option<String>, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
    )
    .bind(srs_id)
    .fetch_optional(&mut conn)
    .await
    .ctx(format!("{file}: the coordinate system of `{name}`"))?;
    let (srs_organization, srs_code, srs_definition) = srs.unwrap_or((None, None, None));
    let pk: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT name FROM pragma_table_info({}) WHERE pk > 0",
        quote_literal(&name)
    )))
    .fetch_optional(&mut conn)
    .await
    .ctx(format!("{file}: the columns of `{name}`"))?;
    let sql = format!(
        "SELECT * FROM {} LIMIT {}",
        quote(&name),
        max_rows.saturating_add(1)
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut conn)
        .await
        .ctx(format!("{file}: reading `{name}`"))?;
    if rows.len() > max_rows {
        return Err(StoreError::Invalid(format!(
            "{file}: `{name}` has more than {max_rows} features"
        )));
    }
    let mut columns = Vec::new();
    if let Some(first) = rows.first() {
        for c in first.columns() {
            if c.name() != geom_column && Some(c.name()) != pk.as_deref() {
                columns.push(c.name().to_owned());
            }
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut props = Map::new();
        let mut geometry = Ok(None);
        for (i, c) in row.columns().iter().enumerate() {
            let raw = row.try_get_raw(i).ctx(format!("{file}: `{name}`"))?;
            if c.name() == geom_column {
                if !raw.is_null() {
                    let blob: Vec<u8> = row.try_get(i).ctx(format!("{file}: `{name}`"))?;
                    geometry = super::blob::decode(&blob)
                        .map(Some)
                        .map_err(|e| e.to_string());
                }
                continue;
            }
            if Some(c.name()) == pk.as_deref() {
                continue;
            }
            let kind = raw.type_info().name().to_ascii_uppercase();
            let value = if raw.is_null() {
                Value::Null
            } else if kind == "INTEGER" {
                Value::from(row.try_get::<i64, _>(i).ctx(format!("{file}: `{name}`"))?)
            } else if kind == "REAL" {
                serde_json::Number::from_f64(
                    row.try_get::<f64, _>(i).ctx(format!("{file}: `{name}`"))?,
                )
                .map(Value::Number)
                .unwrap_or(Value::Null)
            } else if kind == "TEXT" {
                Value::String(
                    row.try_get::<String, _>(i)
                        .ctx(format!("{file}: `{name}`"))?,
                )
            } else {
                // Binary attributes carry nothing Kumuh reads.
                Value::Null
            };
            props.insert(c.name().to_owned(), value);
        }
        out.push((props, geometry));
    }
    conn.close().await.ctx(format!("closing {file}"))?;
    Ok(ForeignLayer {
        name,
        srs_organization,
        srs_code,
        srs_definition,
        columns,
        rows: out,
    })
}

fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
