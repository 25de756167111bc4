//! One layer of the atlas as a file in a common GIS format: GeoJSON, GeoPackage,
//! ESRI Shapefile (zipped), KML, CSV with WKT, FlatGeobuf.
//!
//! The layer's features are gathered here, as the GeoJSON export has them (places with
//! their source attributes, slum locations with their latest assessment, lines, work
//! segments with their money and progress), and written by `kumuh_io::ekspor`, so every
//! format carries the same fields. A layer holds at most
//! `kumuh_io::ekspor::MAX_EXPORT_FEATURES` features and is built in memory.
//!
//! None of these layers carries personal data (the same rule as the public GeoJSON
//! reads: place, location and line attributes, and work segments without their KPP's
//! households), so anyone may export them.

use std::str::FromStr;

use kumuh_domain::{Level, User};
use kumuh_io::ekspor::{self as io, ExportLayer};
use kumuh_store::{KegiatanQuery, PlaceQuery};
use serde_json::{Value, json};

use crate::{AppError, Atlas, Result};

/// The layers that can be exported, by the names `--layer` and `lapisan` take.
pub const LAPISAN: [&str; 9] = [
    "provinsi",
    "kabupaten",
    "kecamatan",
    "desa",
    "rw",
    "rt",
    "lokasi",
    "jaringan",
    "segmen",
];

/// A layer of the atlas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lapisan {
    /// The places of one administrative level.
    Wilayah(Level),
    /// Slum locations (`lokasi_kumuh`), each with its latest assessment.
    Lokasi,
    /// Mapped road and drainage lines.
    Jaringan,
    /// The segments of works (kegiatan), with money and progress.
    Segmen,
}

impl Lapisan {
    /// The layer's name, also the exported file's.
    pub fn name(self) -> &'static str {
        match self {
            Lapisan::Wilayah(l) => l.as_str(),
            Lapisan::Lokasi => "lokasi",
            Lapisan::Jaringan => "jaringan",
            Lapisan::Segmen => "segmen",
        }
    }
}

impl FromStr for Lapisan {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Lapisan, String> {
        match s {
            "lokasi" => Ok(Lapisan::Lokasi),
            "jaringan" => Ok(Lapisan::Jaringan),
            "segmen" => Ok(Lapisan::Segmen),
            other => other.parse::<Level>().map(Lapisan::Wilayah).map_err(|_| {
                format!(
                    "unknown layer `{other}`; expected one of {}",
                    LAPISAN.join(", ")
                )
            }),
        }
    }
}

/// A file format of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// GeoJSON (RFC 7946).
    GeoJson,
    /// A GeoPackage holding the layer's table.
    Gpkg,
    /// A zip of ESRI Shapefiles.
    Shapefile,
    /// KML.
    Kml,
    /// CSV with a `WKT` geometry column.
    Csv,
    /// FlatGeobuf.
    FlatGeobuf,
}

/// The format names `--format` and `format` take.
pub const FORMATS: [&str; 6] = ["geojson", "gpkg", "shp", "kml", "fgb", "csv"];

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Format, String> {
        Ok(match s {
            "geojson" => Format::GeoJson,
            "gpkg" => Format::Gpkg,
            "shp" => Format::Shapefile,
            "kml" => Format::Kml,
            "csv" => Format::Csv,
            "fgb" => Format::FlatGeobuf,
            other => {
                return Err(format!(
                    "unknown format `{other}`; expected one of {}",
                    FORMATS.join(", ")
                ));
            }
        })
    }
}

impl Format {
    /// The media type of the file.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::GeoJson => "application/geo+json",
            Format::Gpkg => "application/geopackage+sqlite3",
            Format::Shapefile => "application/zip",
            Format::Kml => "application/vnd.google-earth.kml+xml",
            Format::Csv => "text/csv; charset=utf-8",
            Format::FlatGeobuf => "application/flatgeobuf",
        }
    }

    /// The file name ending (`.shp.zip`, which GDAL opens as the Shapefile inside).
    pub fn extension(self) -> &'static str {
        match self {
            Format::GeoJson => "geojson",
            Format::Gpkg => "gpkg",
            Format::Shapefile => "shp.zip",
            Format::Kml => "kml",
            Format::Csv => "csv",
            Format::FlatGeobuf => "fgb",
        }
    }
}

/// An exported file.
#[derive(Debug)]
pub struct Ekspor {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// A file name for it: `kumuh-desa.fgb`.
    pub file_name: String,
    /// Its media type.
    pub content_type: &'static str,
    /// How many features it holds.
    pub features: usize,
}

/// The work segments as GeoJSON features (the `segmen` layer and
/// `GET /api/segmen.geojson`), those whose bounds meet `bbox` when given.
pub fn segmen_features(
    all: &[kumuh_store::StoredKegiatan],
    bbox: Option<[f64; 4]>,
) -> Result<Vec<Value>> {
    let mut features = Vec::new();
    for stored in all {
        let k = &stored.kegiatan;
        let summary = k.summary()?;
        for (s, sum) in k.segmen().iter().zip(&summary.segmen) {
            if let Some(b) = bbox
                && !kumuh_domain::geometry::geometry_bbox(s.geometry())
                    .is_some_and(|g| kumuh_domain::geometry::bbox_intersects(g, b))
            {
                continue;
            }
            let per_sumber: Vec<Value> = sum
                .per_sumber
                .iter()
                .map(|l| {
                    json!({
                        "sumber": l.sumber, "alokasi_rp": l.alokasi.diketahui_rp,
                        "tidak_diketahui": l.alokasi.tidak_diketahui,
                        "realisasi_rp": l.realisasi_rp, "bagian_bp": l.bagian_bp,
                    })
                })
                .collect();
            features.push(json!({
                "type": "Feature",
                "id": format!("{}/{}", k.id(), s.id()),
                "properties": {
                    "kegiatan_id": k.id(), "segmen_id": s.id(),
                    "kegiatan": k.nama, "segmen": s.nama,
                    "jenis": k.jenis, "kode_desa": k.kode_desa(), "tahun": k.tahun(),
                    "status": s.status(), "status_kegiatan": k.status(),
                    "sumber_utama": sum.sumber_utama(),
                    "alokasi_rp": sum.alokasi.diketahui_rp,
                    "alokasi_tidak_diketahui": sum.alokasi.tidak_diketahui,
                    "realisasi_rp": sum.realisasi_rp,
                    "progres_fisik_persen": sum.progres_fisik.map(|r| r.percent()),
                    "progres_keuangan_persen": sum.progres_keuangan.map(|r| r.percent()),
                    "volume_rencana": s.volume_rencana().map(|v| v.as_f64()),
                    "volume_realisasi": sum.volume_realisasi.as_f64(),
                    "satuan": s.satuan(),
                    "terukur": s.measured().map(|t| t.value()),
                    "kondisi_sebelum": s.kondisi_sebelum, "kondisi_sesudah": s.kondisi_sesudah,
                    "kriteria": s.kriteria.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(","),
                    "kode_lokasi": s.kode_lokasi, "contoh": k.contoh,
                    "per_sumber": per_sumber,
                },
                "geometry": kumuh_io::geojson::geometry_json(s.geometry()),
            }));
        }
    }
    Ok(features)
}

/// The layer as the GeoJSON FeatureCollection the export writes.
pub async fn collection(atlas: &Atlas, lapisan: Lapisan) -> Result<Value> {
    let store = atlas.store.as_ref();
    Ok(match lapisan {
        Lapisan::Wilayah(level) => {
            let places = store.places(&PlaceQuery::level(level)).await?;
            kumuh_io::geojson::places_collection(&places, true)
        }
        Lapisan::Lokasi => {
            let items = store.list_lokasi(None).await?;
            let records = store.assessments(&Default::default()).await?;
            kumuh_io::geojson::lokasi_collection(&items, kumuh_store::latest_assessments(&records))
        }
        Lapisan::Jaringan => kumuh_io::geojson::jaringan_collection(&store.jaringan(None).await?),
        Lapisan::Segmen => {
            let all = store.list_kegiatan(&KegiatanQuery::default()).await?;
            let features = crate::blocking(move || segmen_features(&all, None)).await?;
            kumuh_io::geojson::feature_collection(features)
        }
    })
}

/// Exports `lapisan` as `format`. `user` is the caller: no layer here carries personal
/// data, so it is not asked for (kept so a layer that does can ask `personal::sees`).
pub async fn ekspor(
    atlas: &Atlas,
    _user: Option<&User>,
    lapisan: Lapisan,
    format: Format,
) -> Result<Ekspor> {
    let name = lapisan.name();
    let (bytes, features) = match format {
        Format::Gpkg => gpkg(atlas, lapisan).await?,
        _ => {
            let fc = collection(atlas, lapisan).await?;
            crate::blocking(move || write(name, format, &fc)).await?
        }
    };
    Ok(Ekspor {
        bytes,
        file_name: format!("kumuh-{name}.{}", format.extension()),
        content_type: format.content_type(),
        features,
    })
}

/// Writes a FeatureCollection as `format` (anything but GeoPackage).
fn write(name: &str, format: Format, fc: &Value) -> Result<(Vec<u8>, usize)> {
    let count = fc
        .get("features")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if format == Format::GeoJson {
        return Ok((fc.to_string().into_bytes(), count));
    }
    let layer = ExportLayer::from_geojson(name, fc).map_err(AppError::internal)?;
    let bytes = match format {
        Format::Shapefile => io::write_shapefile_zip(&layer),
        Format::Kml => io::write_kml(&layer),
        Format::Csv => io::write_csv(&layer),
        Format::FlatGeobuf => io::write_fgb(&layer),
        Format::GeoJson | Format::Gpkg => unreachable_format(&layer.name),
    }
    .map_err(AppError::internal)?;
    Ok((bytes, count))
}

fn unreachable_format(layer: &str) -> std::result::Result<Vec<u8>, io::ExportError> {
    Err(io::ExportError::Layer {
        layer: layer.to_owned(),
        message: "GeoJSON and GeoPackage are written elsewhere".to_owned(),
    })
}

/// The layer as a GeoPackage written by the store: a new Kumuh GeoPackage holding only
/// this layer's records, in the table of the same name (`desa`, `lokasi_kumuh`,
/// `jaringan`). Work segments are in the whole-atlas copy (`kegiatan_segmen`).
async fn gpkg(atlas: &Atlas, lapisan: Lapisan) -> Result<(Vec<u8>, usize)> {
    use kumuh_store::{GpkgStore, OpenMode, Store};
    let dir = tempfile::tempdir().map_err(AppError::internal)?;
    let path = dir.path().join(format!("{}.gpkg", lapisan.name()));
    let store = atlas.store.as_ref();
    let (out, _) = GpkgStore::open(&path, OpenMode::CreateIfMissing).await?;
    let written = async {
        Ok(match lapisan {
            Lapisan::Wilayah(level) => {
                let places = store.places(&PlaceQuery::level(level)).await?;
                out.upsert_places(&places).await?;
                places.len()
            }
            Lapisan::Lokasi => {
                let items = store.list_lokasi(None).await?;
                out.upsert_lokasi(&items).await?;
                items.len()
            }
            Lapisan::Jaringan => {
                let ruas = store.jaringan(None).await?;
                out.upsert_jaringan(&ruas).await?;
                ruas.len()
            }
            Lapisan::Segmen => {
                return Err(AppError::invalid(
                    "format",
                    "work segments are not exported alone as a GeoPackage; use geojson, shp, kml, fgb or csv, or the whole-atlas copy (`kumuh export --format gpkg`), whose kegiatan_segmen table holds them",
                ));
            }
        })
    }
    .await;
    out.close().await;
    let count = written?;
    let bytes = tokio::fs::read(&path).await.map_err(AppError::internal)?;
    Ok((bytes, count))
}
