//! Geometry in and out of PostGIS (standard WKB, SRID 4326) and the row decoders. A value
//! that cannot be read is [`StoreError::Corrupt`], naming the table, the row and the
//! field, as in the GeoPackage.

use geo_types::{Geometry, MultiLineString, MultiPolygon};
use geozero::{CoordDimensions, ToGeo, ToWkb};
use kumuh_domain::jaringan::{JenisJaringan, KondisiRuas, Ruas};
use kumuh_domain::{LokasiKumuh, Place, PlaceSummary, SkKumuh};
use sqlx::Row;
use sqlx::postgres::PgRow;

use crate::AssessmentRecord;
use crate::error::{Result, StoreError};
use crate::gpkg::rows::{code_field, geometry_name, hasil_field, json_field, kode_field};

/// Columns of a place summary.
pub(super) const SUMMARY_COLUMNS: &str = "fid, kode, kode_bps, nama, nama_alt, luas_ha";
/// Columns of a whole place.
pub(super) const PLACE_COLUMNS: &str =
    "fid, ST_AsBinary(geom) AS geom, kode, kode_bps, nama, nama_alt, luas_ha, atribut";
/// Columns of a slum location.
pub(super) const LOKASI_COLUMNS: &str = "fid, ST_AsBinary(geom) AS geom, kode, nama, kode_desa, kawasan, rt, sk_nomor, sk_tanggal, atribut";
/// Columns of a road or drainage line.
pub(super) const RUAS_COLUMNS: &str =
    "fid, ST_AsBinary(geom) AS geom, kode, jenis, kondisi, contoh";

/// The geometry as WKB, for `ST_GeomFromWKB($n, 4326)`.
pub(super) fn wkb(g: &Geometry<f64>, what: impl std::fmt::Display) -> Result<Vec<u8>> {
    g.to_wkb(CoordDimensions::xy())
        .map_err(|e| StoreError::Invalid(format!("{what}: encoding geometry: {e}")))
}

fn decode(table: &str, fid: i64, bytes: &[u8]) -> Result<Geometry<f64>> {
    geozero::wkb::Wkb(bytes.to_vec())
        .to_geo()
        .map_err(|e| StoreError::Corrupt {
            table: table.to_owned(),
            fid,
            field: "geom",
            message: e.to_string(),
        })
}

fn decode_multipolygon(table: &str, fid: i64, bytes: &[u8]) -> Result<MultiPolygon<f64>> {
    match decode(table, fid, bytes)? {
        Geometry::MultiPolygon(mp) => Ok(mp),
        Geometry::Polygon(p) => Ok(MultiPolygon(vec![p])),
        Geometry::GeometryCollection(gc) if gc.0.is_empty() => Ok(MultiPolygon(vec![])),
        other => Err(StoreError::Corrupt {
            table: table.to_owned(),
            fid,
            field: "geom",
            message: format!("expected a (multi)polygon, found {}", geometry_name(&other)),
        }),
    }
}

pub(super) fn summary_from_row(table: &str, row: &PgRow) -> Result<PlaceSummary> {
    let fid: i64 = row.get("fid");
    let kode = kode_field(table, fid, "kode", row.get("kode"))?;
    Ok(PlaceSummary {
        level: kode.level(),
        parent: kode.parent(),
        kode,
        kode_bps: row.get("kode_bps"),
        nama: row.get("nama"),
        nama_alt: json_field(table, fid, "nama_alt", row.get("nama_alt"))?,
        area_ha: row.get("luas_ha"),
    })
}

pub(super) fn place_from_row(table: &str, row: &PgRow) -> Result<Place> {
    let fid: i64 = row.get("fid");
    let geom: Option<Vec<u8>> = row.get("geom");
    Ok(Place {
        kode: kode_field(table, fid, "kode", row.get("kode"))?,
        kode_bps: row.get("kode_bps"),
        nama: row.get("nama"),
        nama_alt: json_field(table, fid, "nama_alt", row.get("nama_alt"))?,
        geometry: geom
            .map(|b| decode_multipolygon(table, fid, &b))
            .transpose()?,
        attributes: json_field(table, fid, "atribut", row.get("atribut"))?,
    })
}

pub(super) fn lokasi_from_row(row: &PgRow) -> Result<LokasiKumuh> {
    const T: &str = "lokasi_kumuh";
    let fid: i64 = row.get("fid");
    let geom: Option<Vec<u8>> = row.get("geom");
    let rt: Vec<String> = json_field(T, fid, "rt", row.get("rt"))?;
    let nomor: Option<String> = row.get("sk_nomor");
    Ok(LokasiKumuh {
        kode: row.get("kode"),
        nama: row.get("nama"),
        kode_desa: kode_field(T, fid, "kode_desa", row.get("kode_desa"))?,
        kawasan: row.get("kawasan"),
        rt: rt
            .iter()
            .map(|r| kode_field(T, fid, "rt", r))
            .collect::<Result<_>>()?,
        sk: nomor.map(|nomor| SkKumuh {
            nomor,
            tanggal: row.get("sk_tanggal"),
        }),
        geometry: match geom {
            Some(b) => decode_multipolygon(T, fid, &b)?,
            None => MultiPolygon(vec![]),
        },
        attributes: json_field(T, fid, "atribut", row.get("atribut"))?,
    })
}

pub(super) fn ruas_from_row(row: &PgRow) -> Result<Ruas> {
    const T: &str = "jaringan";
    let fid: i64 = row.get("fid");
    let corrupt = |field: &'static str, message: String| StoreError::Corrupt {
        table: T.into(),
        fid,
        field,
        message,
    };
    let geom: Option<Vec<u8>> = row.get("geom");
    let geometry = match geom.map(|b| decode(T, fid, &b)).transpose()? {
        None => MultiLineString(vec![]),
        Some(Geometry::MultiLineString(m)) => m,
        Some(Geometry::LineString(l)) => MultiLineString(vec![l]),
        Some(Geometry::GeometryCollection(gc)) if gc.0.is_empty() => MultiLineString(vec![]),
        Some(other) => {
            return Err(corrupt(
                "geom",
                format!("expected a line, found {}", geometry_name(&other)),
            ));
        }
    };
    let jenis: String = row.get("jenis");
    let kondisi: String = row.get("kondisi");
    Ok(Ruas {
        kode: row.get("kode"),
        jenis: JenisJaringan::parse(&jenis).map_err(|e| corrupt("jenis", e.to_string()))?,
        kondisi: KondisiRuas::parse(&kondisi).map_err(|e| corrupt("kondisi", e.to_string()))?,
        geometry,
        contoh: row.get("contoh"),
    })
}

pub(super) fn assessment_from_row(row: &PgRow) -> Result<AssessmentRecord> {
    const T: &str = "penilaian";
    let fid: i64 = row.get("fid");
    let tahun: i32 = row.get("tahun");
    let total: i64 = row.get("total");
    let number = |field: &'static str, v: i64| StoreError::Corrupt {
        table: T.into(),
        fid,
        field,
        message: format!("{v} is out of range"),
    };
    let (masukan, result) = hasil_field(T, fid, row.get("hasil"))?;
    Ok(AssessmentRecord {
        kode_lokasi: row.get("kode_lokasi"),
        nama_lokasi: row.get("nama_lokasi"),
        kode_desa: kode_field(T, fid, "kode_desa", row.get("kode_desa"))?,
        tahun: u16::try_from(tahun).map_err(|_| number("tahun", tahun.into()))?,
        rule_set_id: row.get("aturan"),
        rule_set_version: row.get("versi_aturan"),
        luas_ha: row.get("luas_ha"),
        total: u32::try_from(total).map_err(|_| number("total", total))?,
        class: code_field(T, fid, "kelas", row.get("kelas"))?,
        priority: row.get("prioritas"),
        masukan,
        result,
        dasar: code_field(T, fid, "dasar", row.get("dasar"))?,
        tanggal: row.get("tanggal"),
    })
}
