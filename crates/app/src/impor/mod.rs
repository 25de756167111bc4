//! Importing a GIS file of places, slum locations or road and drainage lines: the one
//! importer behind `kumuh import`, `POST /api/impor/pratinjau` and `POST /api/impor`.
//!
//! A file of any format Kumuh reads (GeoJSON, a Shapefile loose or zipped, KML/KMZ,
//! GeoPackage, FlatGeobuf, CSV) is read as a `Layer` in its own coordinates, reprojected
//! to EPSG:4326, its fields mapped to Kumuh's ([`Mapping`], or the suggestion of
//! [`sarankan`]), and checked by the strict GeoJSON reader against the places the store
//! already knows. [`pratinjau`] answers what an import would do and writes nothing;
//! [`impor`] writes it in one transaction with its line in the audit log.

mod saran;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use kumuh_domain::{Action, Level, User};
use kumuh_io::foreign::{Converted, Crs, Format, Layer, MAX_FEATURES, Mapping};
use kumuh_io::geojson::{Checked, Import, ImportError, ImportKind, KnownPlaces, Problem};
use kumuh_store::{ImportWrite, NewAudit, Store, UpsertReport};
use serde::Serialize;
use utoipa::ToSchema;

pub use saran::{Bidang, bidang, sarankan};

use crate::{AppError, Atlas, Result, authorize};

/// The audit log's entity for an import from a file; the key is the file's name.
pub const AUDIT_ENTITAS: &str = "impor";

/// What an import holds, from its code: `desa`, `rw`, `rt` (places; an RW's or RT's
/// parent comes from its code), `lokasi` (slum locations) or `jaringan` (lines).
///
/// # Examples
/// ```
/// use kumuh_app::impor::jenis;
/// use kumuh_io::geojson::ImportKind;
/// assert_eq!(jenis("lokasi").unwrap(), ImportKind::Lokasi);
/// assert!(jenis("provinsi").is_err());
/// ```
pub fn jenis(code: &str) -> Result<ImportKind> {
    Ok(match code.trim() {
        "desa" => ImportKind::Places(Level::Desa),
        "rw" => ImportKind::Places(Level::Rw),
        "rt" => ImportKind::Places(Level::Rt),
        "lokasi" => ImportKind::Lokasi,
        "jaringan" => ImportKind::Jaringan,
        other => {
            return Err(AppError::invalid(
                "level",
                format!("`{other}` is not a level of import: desa, rw, rt, lokasi or jaringan"),
            ));
        }
    })
}

/// Whether the user may import files at all (admin and kabupaten): asked before a file
/// is received, so that nobody else's upload is stored even for a moment.
pub fn boleh(user: Option<&User>) -> Result<()> {
    authorize(user, &Action::ImporBerkas).map(|_| ())
}

/// One import to look at or to make.
#[derive(Debug, Clone)]
pub struct Perintah {
    /// Where the file is (for a Shapefile, the `.shp` with its siblings beside it).
    pub path: PathBuf,
    /// The file's name as its sender gave it: every message and the audit line name it.
    pub nama: String,
    /// What the file holds.
    pub jenis: ImportKind,
    /// The layer of a GeoPackage, or the Shapefile of a zip, that holds several.
    pub lapisan: Option<String>,
    /// The coordinate system of the coordinates when the file names none or the wrong one.
    pub crs: Option<Crs>,
    /// Kumuh's fields from the file's. `None`: the preview applies the suggested mapping,
    /// the import maps only fields that carry Kumuh's names.
    pub pemetaan: Option<Mapping>,
    /// Import the features without problems and leave the others out (by default a file
    /// with any problem imports nothing).
    pub lewati_salah: bool,
}

/// A step of an import, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tahap {
    /// Reading the file.
    Membaca,
    /// Reprojecting and mapping: `selesai` of `dari` features done.
    Mengubah {
        /// Features done.
        selesai: usize,
        /// Features in all.
        dari: usize,
    },
    /// Checking `n` features against each other and the store's places.
    Memeriksa {
        /// Features to check.
        n: usize,
    },
    /// Writing `n` records in one transaction.
    Menulis {
        /// Records to write.
        n: usize,
    },
}

/// Hears the steps of an import (called from the blocking pool too).
pub type Kemajuan = Arc<dyn Fn(Tahap) + Send + Sync>;

/// No progress shown.
pub fn tanpa_kemajuan() -> Kemajuan {
    Arc::new(|_| {})
}

/// One problem of a file, feature or field, as the API answers it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Masalah {
    /// Zero-based index of the feature in the file, where the problem is in one.
    pub fitur: Option<usize>,
    /// The feature's code, where it has one.
    pub kode: Option<String>,
    /// The field (Kumuh's or the file's), `geometry`, or `-` for the file as a whole.
    pub bidang: String,
    /// What is wrong.
    pub pesan: String,
}

impl From<&Problem> for Masalah {
    fn from(p: &Problem) -> Self {
        Masalah {
            fitur: p.feature,
            kode: p.kode.clone(),
            bidang: p.field.clone(),
            pesan: p.message.clone(),
        }
    }
}

/// A suggested source for one of Kumuh's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct BidangSaran {
    /// Kumuh's field (`kode`, `nama`, `kode_desa` …).
    pub bidang: String,
    /// Whether every feature needs it.
    pub wajib: bool,
    /// The file's field suggested for it by name, if one fits.
    pub usulan: Option<String>,
}

/// Counts of a preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, ToSchema)]
pub struct Jumlah {
    /// Features read from the file.
    pub dibaca: usize,
    /// Features that would be imported.
    pub diimpor: usize,
    /// Features left out for their problems.
    pub dilewati: usize,
}

/// What an import of a file would do; nothing is written.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Pratinjau {
    /// The file's name.
    pub berkas: String,
    /// The layers of the file (the Shapefiles of a zip, the tables of a GeoPackage);
    /// empty for a file of one layer.
    pub lapisan: Vec<String>,
    /// The layer read.
    pub lapisan_dipilih: Option<String>,
    /// The file's fields, in file order.
    pub kolom: Vec<String>,
    /// The coordinate system the file names, in words, if it names one.
    pub crs_berkas: Option<String>,
    /// Kumuh's fields of the level, each with the file's field suggested for it.
    pub bidang: Vec<BidangSaran>,
    /// The suggested mapping, applied because the command gave none, as `kumuh import
    /// --map` and the `pemetaan` parameter write it; empty when the command gave one.
    pub pemetaan: String,
    /// Features read, importable, left out.
    pub jumlah: Jumlah,
    /// The first features mapped, in EPSG:4326, as a GeoJSON FeatureCollection (each
    /// feature's `id` is its index in the file).
    #[schema(value_type = Object)]
    pub contoh: serde_json::Value,
    /// Every problem, by feature and field; the import would refuse the file while
    /// there is one, unless asked to leave those features out.
    pub masalah: Vec<Masalah>,
    /// Things worth a look that do not stop the import (a desa drawn far outside its
    /// kecamatan).
    pub peringatan: Vec<Masalah>,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HasilImpor {
    /// The file's name.
    pub berkas: String,
    /// Records added.
    pub ditambah: u64,
    /// Records replaced (same code).
    pub diubah: u64,
    /// Features left out for their problems (only when asked to leave them out).
    pub dilewati: Vec<Masalah>,
    /// Things worth a look that did not stop the import.
    pub peringatan: Vec<Masalah>,
}

/// A file read and mapped, before the check against the store.
#[derive(Debug, Clone)]
pub struct Dibaca {
    /// The features as read, in the file's coordinates.
    pub layer: Layer,
    /// The layers of the file, when it has several (see [`Pratinjau::lapisan`]).
    pub lapisan: Vec<String>,
    /// The layer read, where the file has several.
    pub lapisan_dipilih: Option<String>,
}

/// The file's error with the file named as its sender named it rather than by the path
/// it was saved at.
fn named(mut e: ImportError, cmd: &Perintah) -> ImportError {
    let path = cmd.path.display().to_string();
    if let Some(rest) = e.file.strip_prefix(&path) {
        e.file = format!("{}{rest}", cmd.nama);
    }
    for p in &mut e.problems {
        if p.message.contains(&path) {
            p.message = p.message.replace(&path, &cmd.nama);
        }
    }
    e
}

fn file_error(cmd: &Perintah, field: &str, message: impl Into<String>) -> ImportError {
    error_in(&cmd.nama, field, message)
}

/// A problem of the file `nama` as a whole.
fn error_in(nama: &str, field: &str, message: impl Into<String>) -> ImportError {
    ImportError {
        file: nama.to_owned(),
        problems: vec![Problem {
            feature: None,
            kode: None,
            field: field.to_owned(),
            message: message.into(),
        }],
    }
}

/// Reads the file as a layer, whatever its format. `choose` takes the first layer of a
/// file of several when none is named (for a preview); otherwise such a file is refused
/// with its layers named. `keep_unreadable` keeps a GeoPackage's undecodable geometries
/// as problems of their features instead of refusing the file.
pub async fn baca(
    cmd: &Perintah,
    choose: bool,
    keep_unreadable: bool,
) -> Result<Dibaca, ImportError> {
    let mut head = Vec::with_capacity(64);
    std::fs::File::open(&cmd.path)
        .and_then(|f| f.take(64).read_to_end(&mut head))
        .map_err(|e| file_error(cmd, "-", format!("reading {}: {e}", cmd.nama)))?;
    // The sender's name tells the format where the saved file's does not.
    let named_path = std::path::Path::new(&cmd.nama);
    let by_saved_name = Format::detect(&cmd.path, &head);
    let format = by_saved_name.or_else(|| Format::detect(named_path, &head));
    let mut lapisan = match format {
        Some(Format::Zip) => kumuh_io::foreign::zip_layers(&cmd.path).map_err(|e| named(e, cmd))?,
        Some(Format::GeoPackage) => kumuh_store::foreign_layers(&cmd.path)
            .await
            .map_err(|e| file_error(cmd, "-", e.to_string()))?,
        Some(_) => Vec::new(),
        None => kumuh_io::foreign::other_layers(&cmd.path),
    };
    if lapisan.len() < 2 {
        lapisan.clear();
    }
    let chosen = match (&cmd.lapisan, lapisan.first()) {
        (Some(l), _) => Some(l.clone()),
        (None, Some(first)) if choose => Some(first.clone()),
        _ => None,
    };
    let layer = if format == Some(Format::GeoPackage) {
        read_geopackage(cmd, chosen.as_deref(), keep_unreadable).await?
    } else {
        // Reading and parsing a file is CPU work: on the blocking pool.
        let as_csv = format == Some(Format::Csv) && by_saved_name.is_none();
        let (path, nama, layer) = (cmd.path.clone(), cmd.nama.clone(), chosen.clone());
        tokio::task::spawn_blocking(move || {
            if as_csv {
                // Saved under a name that hides its format: read as the text it is.
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| error_in(&nama, "-", format!("{nama} is not UTF-8 text ({e})")))?;
                kumuh_io::foreign::read_csv(&nama, &text)
            } else {
                kumuh_io::foreign::read_path(&path, layer.as_deref())
            }
        })
        .await
        .map_err(|e| file_error(cmd, "-", format!("reading {} failed: {e}", cmd.nama)))?
        .map_err(|e| if as_csv { e } else { named(e, cmd) })?
    };
    Ok(Dibaca {
        layer,
        lapisan,
        lapisan_dipilih: chosen,
    })
}

/// A GeoPackage layer (read by the store crate) as a layer in its own system.
async fn read_geopackage(
    cmd: &Perintah,
    layer: Option<&str>,
    keep_unreadable: bool,
) -> Result<Layer, ImportError> {
    let name = &cmd.nama;
    let g = kumuh_store::read_foreign_layer(&cmd.path, layer, MAX_FEATURES)
        .await
        .map_err(|e| {
            file_error(
                cmd,
                "-",
                e.to_string().replace(&cmd.path.display().to_string(), name),
            )
        })?;
    let crs = match (
        g.srs_organization.as_deref(),
        g.srs_code,
        g.srs_definition.as_deref(),
    ) {
        (Some(org), Some(code), _) if org.eq_ignore_ascii_case("EPSG") => {
            Some(Crs::from_epsg(u32::try_from(code).unwrap_or(0)).ok_or_else(|| {
                file_error(cmd, "crs", format!("layer `{}`: coordinate system EPSG:{code} is not one Kumuh reprojects (EPSG:4326, 4755, UTM 326xx/327xx, TM-3 23830-23845)", g.name))
            })?)
        }
        (_, _, Some(wkt)) if wkt.trim() != "undefined" && !wkt.trim().is_empty() => Some(
            Crs::from_wkt(wkt)
                .map_err(|e| file_error(cmd, "crs", format!("layer `{}`: {e}", g.name)))?,
        ),
        _ => None,
    };
    let file = format!("{name}, layer {}", g.name);
    let layer = Layer::from_rows(g.columns, g.rows, crs);
    if !layer.problems.is_empty() && !keep_unreadable {
        return Err(ImportError {
            file,
            problems: layer.problems,
        });
    }
    Ok(layer)
}

/// Checks `mapping` against the layer's fields and brings the features to EPSG:4326 with
/// Kumuh's field names, on the blocking pool.
///
/// The layer's features move into the answer; the layer comes back with its fields,
/// indices and problems.
pub async fn ubah(
    mut layer: Layer,
    cmd: &Perintah,
    mapping: Mapping,
    progress: Kemajuan,
) -> Result<(Arc<Layer>, Result<Converted, ImportError>)> {
    let (name, kind, crs) = (cmd.nama.clone(), cmd.jenis, cmd.crs);
    crate::blocking(move || {
        if let Err((f, m)) = mapping.check(&layer.fields, kind) {
            let problem = ImportError {
                file: name,
                problems: vec![Problem {
                    feature: None,
                    kode: None,
                    field: f,
                    message: m,
                }],
            };
            return Ok((Arc::new(layer), Err(problem)));
        }
        let dari = layer.features.len();
        let converted = layer.convert(&name, crs, &mapping, &|selesai| {
            progress(Tahap::Mengubah { selesai, dari });
        });
        Ok((Arc::new(layer), converted))
    })
    .await
}

/// The places of the store an import of `kind` may refer to: the desa (an RT's, an RW's
/// or a location's parent) and the kecamatan (a desa's), each with its bounding box.
pub async fn known_places(store: &dyn Store, kind: ImportKind) -> Result<KnownPlaces> {
    let levels: &[Level] = match kind {
        ImportKind::Jaringan => &[],
        ImportKind::Places(Level::Provinsi | Level::Kabupaten) => &[Level::Provinsi],
        ImportKind::Places(Level::Kecamatan) => &[Level::Kabupaten],
        ImportKind::Places(Level::Desa) => &[Level::Kabupaten, Level::Kecamatan],
        ImportKind::Places(_) | ImportKind::Lokasi => &[Level::Kecamatan, Level::Desa],
    };
    // Codes and boxes only: the boundaries themselves are not read.
    let mut known = KnownPlaces::default();
    for &level in levels {
        for (kode, bbox) in store.place_boxes(level).await? {
            known.insert_box(kode, bbox);
        }
    }
    Ok(known)
}

/// Checks the converted features against each other and the `known` places, on the
/// blocking pool; problems are numbered as the file's features, with those of features
/// that could not be read at all, in file order.
pub async fn periksa(
    converted: Arc<Converted>,
    layer: Arc<Layer>,
    cmd: &Perintah,
    known: KnownPlaces,
    progress: Kemajuan,
) -> Result<Result<Checked, ImportError>> {
    let (name, kind) = (cmd.nama.clone(), cmd.jenis);
    crate::blocking(move || {
        progress(Tahap::Memeriksa {
            n: layer.indices.len(),
        });
        // The geometries move into the checked features when nothing else holds them
        // (an import); a dry run, which keeps its sample, checks a copy.
        let converted = Arc::try_unwrap(converted).unwrap_or_else(|shared| (*shared).clone());
        let checked = kumuh_io::geojson::parse_checked_value(
            &name,
            &converted.collection,
            converted.geometries,
            kind,
            &known,
        );
        Ok(match checked {
            Err(mut e) => {
                renumber(&mut e.problems, &layer.indices);
                Err(e)
            }
            Ok(mut c) => {
                renumber(&mut c.left_out, &layer.indices);
                renumber(&mut c.warnings, &layer.indices);
                c.left_out.extend(layer.problems.iter().cloned());
                c.left_out.sort_by_key(|p| p.feature);
                Ok(c)
            }
        })
    })
    .await
}

/// Problems numbered by the converted collection, renumbered as features of the file.
fn renumber(problems: &mut [Problem], indices: &[usize]) {
    for p in problems {
        p.feature = p.feature.map(|i| indices.get(i).copied().unwrap_or(i));
    }
}

/// The number of distinct features with a problem.
pub fn features_left_out(problems: &[Problem]) -> usize {
    problems
        .iter()
        .map(|p| p.feature)
        .collect::<BTreeSet<_>>()
        .len()
}

/// How many items an import holds, and what they are called.
pub fn items(import: &Import) -> (usize, &'static str) {
    match import {
        Import::Places(p) => (p.len(), "places"),
        Import::Lokasi(l) => (l.len(), "slum locations"),
        Import::Jaringan(r) => (r.len(), "lines"),
    }
}

/// The mapping as `--map` writes it, from Kumuh's field and the file's field.
fn mapping_text(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The coordinate system in words.
fn crs_words(crs: &Crs) -> String {
    match crs {
        Crs::LonLat => "EPSG:4326 (longitude, latitude)".to_owned(),
        Crs::TransverseMercator(tm) => format!(
            "transverse Mercator, central meridian {}°, scale {}, false easting {} m, false northing {} m",
            tm.lon0_deg, tm.k0, tm.false_easting_m, tm.false_northing_m
        ),
    }
}

/// The first `n` converted features, each with its index in the file as `id`.
fn sample(converted: &Converted, indices: &[usize], n: usize) -> serde_json::Value {
    let features: Vec<serde_json::Value> = indices
        .iter()
        .take(n)
        .enumerate()
        .filter_map(|(k, &i)| {
            let mut f = converted.feature(k)?;
            if let Some(o) = f.as_object_mut() {
                o.insert("id".to_owned(), i.into());
            }
            Some(f)
        })
        .collect();
    kumuh_io::geojson::feature_collection(features)
}

/// What an import of the file would do, with the first `contoh` features mapped: the
/// file's layers and fields, the suggested mapping, the counts, and every problem. A
/// problem of the mapping or of a feature is answered in [`Pratinjau::masalah`]; only a
/// file that cannot be read at all is an error. Without an atlas (a dry run on a store
/// not yet made) the features are checked against no places.
pub async fn pratinjau(
    atlas: Option<&Atlas>,
    user: Option<&User>,
    cmd: &Perintah,
    contoh: usize,
    progress: Kemajuan,
) -> Result<Pratinjau> {
    authorize(user, &Action::ImporBerkas)?;
    progress(Tahap::Membaca);
    let dibaca = baca(cmd, true, true).await.map_err(invalid)?;
    let layer = dibaca.layer;
    let suggested = sarankan(&layer.fields, cmd.jenis);
    let mut out = Pratinjau {
        berkas: cmd.nama.clone(),
        lapisan: dibaca.lapisan,
        lapisan_dipilih: dibaca.lapisan_dipilih,
        kolom: layer.fields.clone(),
        crs_berkas: layer.crs.as_ref().map(crs_words),
        bidang: bidang(cmd.jenis)
            .iter()
            .map(|b| BidangSaran {
                bidang: b.nama.to_owned(),
                wajib: b.wajib,
                usulan: suggested
                    .iter()
                    .find(|(k, _)| *k == b.nama)
                    .map(|(_, v)| v.clone()),
            })
            .collect(),
        pemetaan: String::new(),
        jumlah: Jumlah {
            dibaca: layer.features.len() + layer.problems.len(),
            ..Jumlah::default()
        },
        contoh: serde_json::json!({"type": "FeatureCollection", "features": []}),
        masalah: Vec::new(),
        peringatan: Vec::new(),
    };
    let mapping = match &cmd.pemetaan {
        Some(m) => m.clone(),
        None => {
            out.pemetaan = mapping_text(&suggested);
            Mapping::parse_list(&out.pemetaan).map_err(|(f, m)| AppError::invalid(&f, m))?
        }
    };
    let problems = |e: ImportError| e.problems.iter().map(Masalah::from).collect::<Vec<_>>();
    let (layer, converted) = ubah(layer, cmd, mapping, progress.clone()).await?;
    let collection = match converted {
        Ok(c) => Arc::new(c),
        Err(e) => {
            out.masalah = problems(e);
            return Ok(out);
        }
    };
    out.contoh = sample(&collection, &layer.indices, contoh);
    let known = match atlas {
        Some(a) => known_places(a.store.as_ref(), cmd.jenis).await?,
        None => KnownPlaces::default(),
    };
    match periksa(collection, layer, cmd, known, progress).await? {
        Err(e) => out.masalah = problems(e),
        Ok(checked) => {
            out.jumlah.diimpor = items(&checked.import).0;
            out.jumlah.dilewati = features_left_out(&checked.left_out);
            out.masalah = checked.left_out.iter().map(Masalah::from).collect();
            out.peringatan = checked.warnings.iter().map(Masalah::from).collect();
        }
    }
    Ok(out)
}

/// A file's problems as the use cases' error: every problem named with feature and field.
fn invalid(e: ImportError) -> AppError {
    AppError::invalid("", e.to_string())
}

/// A file read and brought to EPSG:4326 with Kumuh's field names, ready to be checked
/// against the store and written.
#[derive(Debug, Clone)]
pub struct Siap {
    layer: Arc<Layer>,
    collection: Arc<Converted>,
    lapisan: Option<String>,
}

/// Maps and converts a file read by [`baca`] with the command's mapping (Kumuh's own
/// field names without one). A problem of the mapping or of a feature's coordinates is
/// the error, with every problem named.
pub async fn siapkan(
    cmd: &Perintah,
    dibaca: Dibaca,
    progress: Kemajuan,
) -> Result<Result<Siap, ImportError>> {
    let mapping = cmd.pemetaan.clone().unwrap_or_default();
    let (layer, converted) = ubah(dibaca.layer, cmd, mapping, progress).await?;
    Ok(converted.map(|c| Siap {
        layer,
        collection: Arc::new(c),
        lapisan: dibaca.lapisan_dipilih,
    }))
}

/// Imports the file: reads, maps and checks it as [`pratinjau`] does, then writes every
/// feature in one transaction with one audit line (entity [`AUDIT_ENTITAS`], key the
/// file's name, by the user), or nothing when a feature has a problem unless
/// [`Perintah::lewati_salah`] leaves such features out. The tiles follow before it
/// answers.
pub async fn impor(
    atlas: &Atlas,
    user: Option<&User>,
    cmd: &Perintah,
    progress: Kemajuan,
) -> Result<HasilImpor> {
    authorize(user, &Action::ImporBerkas)?;
    progress(Tahap::Membaca);
    let started = std::time::Instant::now();
    let dibaca = baca(cmd, false, cmd.lewati_salah).await.map_err(invalid)?;
    tracing::debug!(ms = started.elapsed().as_millis(), berkas = %cmd.nama, "import: read");
    let siap = siapkan(cmd, dibaca, progress.clone())
        .await?
        .map_err(invalid)?;
    tracing::debug!(ms = started.elapsed().as_millis(), berkas = %cmd.nama, "import: converted");
    impor_siap(atlas, user, cmd, siap, progress).await
}

/// [`impor`] of a file already read and converted ([`siapkan`]).
pub async fn impor_siap(
    atlas: &Atlas,
    user: Option<&User>,
    cmd: &Perintah,
    siap: Siap,
    progress: Kemajuan,
) -> Result<HasilImpor> {
    let user = authorize(user, &Action::ImporBerkas)?;
    let started = std::time::Instant::now();
    let known = known_places(atlas.store.as_ref(), cmd.jenis).await?;
    let checked = periksa(siap.collection, siap.layer, cmd, known, progress.clone())
        .await?
        .map_err(invalid)?;
    tracing::debug!(ms = started.elapsed().as_millis(), berkas = %cmd.nama, "import: checked");
    let (import, warnings, left_out) = if cmd.lewati_salah {
        (checked.import, checked.warnings, checked.left_out)
    } else {
        let (import, warnings) = checked.strict(&cmd.nama).map_err(invalid)?;
        (import, warnings, Vec::new())
    };
    let report = tulis(
        atlas,
        &user,
        cmd,
        siap.lapisan.as_deref(),
        import,
        &progress,
    )
    .await?;
    tracing::debug!(ms = started.elapsed().as_millis(), berkas = %cmd.nama, "import: written");
    Ok(HasilImpor {
        berkas: cmd.nama.clone(),
        ditambah: report.inserted,
        diubah: report.updated,
        dilewati: left_out.iter().map(Masalah::from).collect(),
        peringatan: warnings.iter().map(Masalah::from).collect(),
    })
}

/// Checks a converted file against the `known` places without writing (a dry run).
pub async fn periksa_siap(
    cmd: &Perintah,
    siap: &Siap,
    known: KnownPlaces,
    contoh: usize,
    progress: Kemajuan,
) -> Result<(Result<Checked, ImportError>, serde_json::Value)> {
    let sample = sample(&siap.collection, &siap.layer.indices, contoh);
    let checked = periksa(
        siap.collection.clone(),
        siap.layer.clone(),
        cmd,
        known,
        progress,
    )
    .await?;
    Ok((checked, sample))
}

/// Features read from the file (with those that could not be read).
pub fn features_read(siap: &Siap) -> usize {
    siap.layer.indices.len() + siap.layer.problems.len()
}

/// The most codes an import's audit line lists.
const AUDIT_CODES: usize = 1_000;

/// Writes what was read, in one transaction with its audit line, with rings in the
/// RFC 7946 winding (files from GIS tools often wind exteriors clockwise); then brings
/// the tiles up to date.
async fn tulis(
    atlas: &Atlas,
    user: &User,
    cmd: &Perintah,
    lapisan: Option<&str>,
    import: Import,
    progress: &Kemajuan,
) -> Result<UpsertReport> {
    let codes: Vec<String> = match &import {
        Import::Places(p) => p.iter().map(|p| p.kode.to_string()).collect(),
        Import::Lokasi(l) => l.iter().map(|l| l.kode.clone()).collect(),
        Import::Jaringan(r) => r.iter().map(|r| r.kode.clone()).collect(),
    };
    let level = match cmd.jenis {
        ImportKind::Places(level) => level.as_str(),
        ImportKind::Lokasi => "lokasi",
        ImportKind::Jaringan => "jaringan",
    };
    let line = NewAudit {
        pengguna: user.username.clone(),
        entitas: AUDIT_ENTITAS.to_owned(),
        kunci: cmd.nama.clone(),
        aksi: "impor".to_owned(),
        sebelum: None,
        sesudah: Some(serde_json::json!({
            "berkas": cmd.nama,
            "level": level,
            "lapisan": lapisan,
            "jumlah": codes.len(),
            "kode": codes.iter().take(AUDIT_CODES).collect::<Vec<_>>(),
        })),
    };
    progress(Tahap::Menulis { n: codes.len() });
    let store = atlas.store.as_ref();
    let write = match &import {
        Import::Places(p) => ImportWrite::Places(p),
        Import::Lokasi(l) => ImportWrite::Lokasi(l),
        Import::Jaringan(r) => ImportWrite::Jaringan(r),
    };
    let report = store
        .import_audited(write, std::slice::from_ref(&line))
        .await?;
    // Freeing a large file's geometry is no part of the answer: another thread does it
    // (or this one, when no thread can be started).
    let _ = std::thread::Builder::new()
        .name("impor-free".into())
        .spawn(move || drop(import));
    // Tiles built from the store (a serving server's) follow its change feed now rather
    // than at the next turn, so the map shows the import when the answer arrives; an
    // atlas without tile layers (the command line's) has no feed position to follow.
    if atlas.tiles.feed_position() > 0 {
        atlas.tiles.sync(store).await?;
    }
    tracing::info!(user = %user.username, berkas = %cmd.nama, added = report.inserted, replaced = report.updated, "file imported");
    Ok(report)
}
