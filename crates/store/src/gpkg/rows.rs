//! Reading rows back into domain values: geometry blobs, JSON and code columns, and
//! the row decoders of every table. A value that cannot be read is
//! [`StoreError::Corrupt`], naming the table, the feature and the field.

use geo_types::{Geometry, MultiLineString, MultiPolygon};
use kumuh_domain::assessment::{AssessmentInput, Hasil};
use kumuh_domain::jaringan::{JenisJaringan, KondisiRuas, Ruas};
use kumuh_domain::{Kode, LokasiKumuh, Place, PlaceSummary, SkKumuh};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::blob;
use crate::AssessmentRecord;
use crate::error::{Result, StoreError};

pub(super) fn encode_multipolygon(g: &MultiPolygon<f64>) -> Result<Vec<u8>> {
    blob::encode(&Geometry::MultiPolygon(g.clone()))
        .map_err(|e| StoreError::Invalid(format!("encoding geometry: {e}")))
}

pub(super) fn decode_multipolygon(
    table: &str,
    fid: i64,
    bytes: &[u8],
) -> Result<MultiPolygon<f64>> {
    let corrupt = |message: String| StoreError::Corrupt {
        table: table.to_owned(),
        fid,
        field: "geom",
        message,
    };
    match blob::decode(bytes).map_err(|e| corrupt(e.to_string()))? {
        Geometry::MultiPolygon(mp) => Ok(mp),
        Geometry::Polygon(p) => Ok(MultiPolygon(vec![p])),
        Geometry::GeometryCollection(gc) if gc.0.is_empty() => Ok(MultiPolygon(vec![])),
        other => Err(corrupt(format!(
            "expected a (multi)polygon, found {}",
            geometry_name(&other)
        ))),
    }
}

pub(crate) fn geometry_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "a point",
        Geometry::Line(_) | Geometry::LineString(_) => "a line",
        Geometry::MultiPoint(_) => "a multipoint",
        Geometry::MultiLineString(_) => "a multiline",
        Geometry::GeometryCollection(_) => "a geometry collection",
        _ => "another geometry type",
    }
}

pub(crate) fn json_field<T: serde::de::DeserializeOwned>(
    table: &str,
    fid: i64,
    field: &'static str,
    text: &str,
) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        table: table.to_owned(),
        fid,
        field,
        message: e.to_string(),
    })
}

/// A stored assessment's result: the survey under `masukan` and the rest, both typed; what
/// does not read is corrupt, naming `hasil` or `hasil.masukan`.
pub(crate) fn hasil_field(
    table: &str,
    fid: i64,
    text: &str,
) -> Result<(Option<AssessmentInput>, Hasil)> {
    let json: serde_json::Value = json_field(table, fid, "hasil", text)?;
    AssessmentRecord::split_result(json).map_err(|(field, e)| StoreError::Corrupt {
        table: table.to_owned(),
        fid,
        field,
        message: e.to_string(),
    })
}

/// A text column that holds a code of the domain (a class, a basis), read typed.
pub(crate) fn code_field<T>(table: &str, fid: i64, field: &'static str, text: &str) -> Result<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|e: T::Err| StoreError::Corrupt {
        table: table.to_owned(),
        fid,
        field,
        message: e.to_string(),
    })
}

pub(crate) fn kode_field(table: &str, fid: i64, field: &'static str, text: &str) -> Result<Kode> {
    Kode::parse(text).map_err(|e| StoreError::Corrupt {
        table: table.to_owned(),
        fid,
        field,
        message: e.to_string(),
    })
}

pub(super) const SUMMARY_COLUMNS: &str = "fid, kode, kode_bps, nama, nama_alt, luas_ha";

pub(super) fn summary_from_row(table: &str, row: &SqliteRow) -> Result<PlaceSummary> {
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

/// The columns [`place_from_row`] reads (fewer values copied per row than `*`).
pub(super) const PLACE_COLUMNS: &str = "fid, geom, kode, kode_bps, nama, nama_alt, atribut";

pub(super) fn place_from_row(table: &str, row: &SqliteRow) -> Result<Place> {
    let geom: Option<&[u8]> = row.get("geom");
    let cells = PlaceCells {
        fid: row.get("fid"),
        geom,
        kode: row.get("kode"),
        kode_bps: row.get("kode_bps"),
        nama: row.get("nama"),
        nama_alt: row.get("nama_alt"),
        atribut: row.get("atribut"),
    };
    place_from_cells(table, cells)
}

/// A place's cells as SQLite holds them ([`PLACE_COLUMNS`]), from a pooled row or from
/// a bulk read (`super::bulk`).
pub(super) struct PlaceCells<'a> {
    pub fid: i64,
    pub geom: Option<&'a [u8]>,
    pub kode: &'a str,
    pub kode_bps: Option<&'a str>,
    pub nama: &'a str,
    pub nama_alt: &'a str,
    pub atribut: &'a str,
}

pub(super) fn place_from_cells(table: &str, c: PlaceCells<'_>) -> Result<Place> {
    let fid = c.fid;
    Ok(Place {
        kode: kode_field(table, fid, "kode", c.kode)?,
        kode_bps: c.kode_bps.map(str::to_owned),
        nama: c.nama.to_owned(),
        nama_alt: json_field(table, fid, "nama_alt", c.nama_alt)?,
        geometry: c
            .geom
            .map(|b| decode_multipolygon(table, fid, b))
            .transpose()?,
        attributes: json_field(table, fid, "atribut", c.atribut)?,
    })
}

pub(super) fn lokasi_from_row(row: &SqliteRow) -> Result<LokasiKumuh> {
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

pub(super) fn ruas_from_row(row: &SqliteRow) -> Result<Ruas> {
    const T: &str = "jaringan";
    let fid: i64 = row.get("fid");
    let corrupt = |field: &'static str, message: String| StoreError::Corrupt {
        table: T.into(),
        fid,
        field,
        message,
    };
    let geom: Option<Vec<u8>> = row.get("geom");
    let geometry = match geom.map(|b| blob::decode(&b)).transpose() {
        Err(e) => return Err(corrupt("geom", e.to_string())),
        Ok(None) => MultiLineString(vec![]),
        Ok(Some(Geometry::MultiLineString(m))) => m,
        Ok(Some(Geometry::LineString(l))) => MultiLineString(vec![l]),
        Ok(Some(other)) => {
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

pub(super) fn assessment_from_row(row: &SqliteRow) -> Result<AssessmentRecord> {
    const T: &str = "penilaian";
    let fid: i64 = row.get("fid");
    let tahun: i64 = row.get("tahun");
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
        tahun: u16::try_from(tahun).map_err(|_| number("tahun", tahun))?,
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
