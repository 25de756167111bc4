//! `kumuh import`: places, slum locations and lines from a file of any format Kumuh
//! reads (GeoJSON, Shapefile, zip, KML/KMZ, GeoPackage, CSV), in any coordinate system it
//! reprojects, with the file's fields mapped to Kumuh's; checked against the places the
//! store already knows and written in one transaction, or only shown (`--dry-run`).

use std::collections::BTreeSet;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use kumuh_domain::Level;
use kumuh_io::foreign::{Crs, Format, Layer, MAX_FEATURES, Mapping};
use kumuh_io::geojson::{Checked, Import, ImportError, ImportKind, KnownPlaces, Problem};
use kumuh_store::{OpenMode, PlaceQuery, Store};

use crate::commands::{atlas, open, spinner};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ImportLevel {
    Desa,
    Rt,
    Lokasi,
    /// Road and drainage lines with their condition.
    Jaringan,
}

impl ImportLevel {
    fn kind(self) -> ImportKind {
        match self {
            ImportLevel::Desa => ImportKind::Places(Level::Desa),
            ImportLevel::Rt => ImportKind::Places(Level::Rt),
            ImportLevel::Lokasi => ImportKind::Lokasi,
            ImportLevel::Jaringan => ImportKind::Jaringan,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The file: GeoJSON, an ESRI Shapefile (`.shp` with its `.dbf`/`.prj`/`.cpg`, or
    /// all in one `.zip`), KML or KMZ, a GeoPackage, or CSV with a WKT column or
    /// longitude/latitude columns.
    file: PathBuf,
    /// What the file holds.
    #[arg(long)]
    level: ImportLevel,
    /// Import the features without problems and list the others (by default a file with
    /// any problem imports nothing).
    #[arg(long)]
    skip_invalid: bool,
    /// The coordinate system of the coordinates, e.g. EPSG:32749 (UTM 49S), when the
    /// file names none or names it wrongly; they are reprojected to EPSG:4326.
    #[arg(long)]
    crs: Option<String>,
    /// The layer of a GeoPackage (or the Shapefile of a zip) that holds several.
    #[arg(long)]
    layer: Option<String>,
    /// Kumuh's fields from the file's, e.g.
    /// `kode=KD_DESA,nama=NAMA_DESA` or `kode=concat(KD_DESA,'.',pad3(RW),'.',pad3(RT))`;
    /// transforms: padN(F), concat(...), m2_to_ha(F), 'constant'.
    #[arg(long, conflicts_with = "mapping")]
    map: Option<String>,
    /// A TOML file of `kumuh_field = "EXPRESSION"` lines, as `--map` takes them.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Show what would be imported (counts, the first features mapped, every problem)
    /// and write nothing.
    #[arg(long)]
    dry_run: bool,
}

/// Layers this large get a progress bar (on a terminal).
const PROGRESS_FROM: usize = 2_000;
/// Features shown by `--dry-run`.
const SHOWN: usize = 5;

/// The places of the store an import of `kind` may refer to: the desa (an RT's or a
/// location's parent) and the kecamatan (a desa's), each with its bounding box.
async fn known_places(store: &dyn Store, kind: ImportKind) -> anyhow::Result<KnownPlaces> {
    let levels: &[Level] = match kind {
        ImportKind::Jaringan => &[],
        ImportKind::Places(Level::Provinsi | Level::Kabupaten) => &[Level::Provinsi],
        ImportKind::Places(Level::Kecamatan) => &[Level::Kabupaten],
        ImportKind::Places(Level::Desa) => &[Level::Kabupaten, Level::Kecamatan],
        ImportKind::Places(_) | ImportKind::Lokasi => &[Level::Kecamatan, Level::Desa],
    };
    let mut places = Vec::new();
    for &level in levels {
        places.extend(
            store
                .places(&PlaceQuery::level(level))
                .await
                .with_context(|| format!("reading the {level} of the store"))?,
        );
    }
    Ok(KnownPlaces::from_places(&places))
}

/// The file's features as a [`Layer`], whatever its format.
async fn read_layer(args: &ImportArgs, name: &str) -> anyhow::Result<Layer> {
    let mut head = Vec::with_capacity(64);
    std::fs::File::open(&args.file)
        .and_then(|f| f.take(64).read_to_end(&mut head))
        .with_context(|| format!("reading {name}"))?;
    if Format::detect(&args.file, &head) != Some(Format::GeoPackage) {
        return Ok(kumuh_io::foreign::read_path(
            &args.file,
            args.layer.as_deref(),
        )?);
    }
    let g =
        kumuh_store::read_foreign_layer(&args.file, args.layer.as_deref(), MAX_FEATURES).await?;
    let crs = match (g.srs_organization.as_deref(), g.srs_code, g.srs_definition.as_deref()) {
        (Some(org), Some(code), _) if org.eq_ignore_ascii_case("EPSG") => {
            Some(Crs::from_epsg(u32::try_from(code).unwrap_or(0)).with_context(|| {
                format!("{name}, layer `{}`: coordinate system EPSG:{code} is not one Kumuh reprojects (EPSG:4326, 4755, UTM 326xx/327xx, TM-3 23830-23845)", g.name)
            })?)
        }
        (_, _, Some(wkt)) if wkt.trim() != "undefined" && !wkt.trim().is_empty() => Some(
            Crs::from_wkt(wkt).map_err(|e| anyhow::anyhow!("{name}, layer `{}`: {e}", g.name))?,
        ),
        _ => None,
    };
    let file = format!("{name}, layer {}", g.name);
    let mut problems = Vec::new();
    let rows = g
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, (props, geometry))| {
            let geometry = match geometry {
                Ok(Some(g)) => kumuh_io::geojson::geometry_json(&g),
                Ok(None) => serde_json::Value::Null,
                Err(m) => {
                    problems.push(Problem {
                        feature: Some(i),
                        kode: None,
                        field: "geometry".to_owned(),
                        message: m,
                    });
                    serde_json::Value::Null
                }
            };
            (props, geometry)
        })
        .collect();
    if !problems.is_empty() && !args.skip_invalid {
        return Err(ImportError { file, problems }.into());
    }
    let mut layer = Layer::from_rows(g.columns, rows, crs);
    layer.problems.extend(problems);
    Ok(layer)
}

fn progress(len: usize, message: &str) -> ProgressBar {
    if len < PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len as u64);
    pb.set_style(
        ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.set_message(message.to_owned());
    pb
}

/// Runs `kumuh import`.
pub(crate) async fn run(path: &Path, args: ImportArgs) -> anyhow::Result<()> {
    let name = args.file.display().to_string();
    let kind = args.level.kind();
    let crs = args
        .crs
        .as_deref()
        .map(Crs::parse_name)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--crs: {e}"))?;
    let mapping = match (&args.map, &args.mapping) {
        (Some(list), _) => Mapping::parse_list(list)
            .map_err(|(f, m)| anyhow::anyhow!("--map, field `{f}`: {m}"))?,
        (None, Some(file)) => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            Mapping::parse_toml(&text)
                .map_err(|(f, m)| anyhow::anyhow!("{}, field `{f}`: {m}", file.display()))?
        }
        (None, None) => Mapping::default(),
    };
    let pb = spinner(format!("reading {name}"));
    let layer = read_layer(&args, &name).await;
    pb.finish_and_clear();
    let layer = layer?;
    mapping
        .check(&layer.fields, kind)
        .map_err(|(f, m)| anyhow::anyhow!("{name}, field `{f}`: {m}"))?;
    let pb = progress(layer.features.len(), "converting");
    let collection = layer.to_geojson(&name, crs, &mapping, &|n| pb.set_position(n as u64));
    pb.finish_and_clear();
    let collection = collection?;

    // A dry run never creates or changes the store; it checks against the places of
    // an existing one.
    let store = if args.dry_run && !path.exists() && !crate::commands::is_database(path) {
        None
    } else {
        Some(
            open(
                path,
                if args.dry_run {
                    OpenMode::MustExist
                } else {
                    OpenMode::CreateIfMissing
                },
            )
            .await?,
        )
    };
    let known = match &store {
        Some(s) => known_places(s.shared().as_ref(), kind).await?,
        None => KnownPlaces::default(),
    };
    let pb = spinner(format!("checking {} features", layer.features.len()));
    let checked = kumuh_io::geojson::parse_checked_value(&name, &collection, kind, &known);
    pb.finish_and_clear();
    let checked = in_file_order(
        checked.map_err(|e| renumber_error(e, &layer.indices))?,
        &layer,
    );

    if args.dry_run {
        dry_run(&name, &layer, &checked, &collection);
        if let Some(s) = store {
            s.close().await;
        }
        return Ok(());
    }
    let store = store.context("opening the store")?;
    let (import, warnings) = if args.skip_invalid {
        let left_out: BTreeSet<Option<usize>> =
            checked.left_out.iter().map(|p| p.feature).collect();
        for p in &checked.left_out {
            eprintln!("{name}: {p}");
        }
        if !left_out.is_empty() {
            eprintln!(
                "{name}: {} feature(s) left out for the problems above (--skip-invalid)",
                left_out.len()
            );
        }
        (checked.import, checked.warnings)
    } else {
        checked.strict(&name)?
    };
    for w in &warnings {
        eprintln!("{name}: warning: {w}");
    }
    let report = write(&store, import).await;
    let location = store.location();
    store.close().await;
    let report = report?;
    println!(
        "{name}: {} added, {} updated in {}",
        report.inserted, report.updated, location
    );
    Ok(())
}

/// Problems numbered by the converted collection, renumbered as features of the file.
fn renumber(problems: &mut [Problem], indices: &[usize]) {
    for p in problems {
        p.feature = p.feature.map(|i| indices.get(i).copied().unwrap_or(i));
    }
}

fn renumber_error(mut e: ImportError, indices: &[usize]) -> ImportError {
    renumber(&mut e.problems, indices);
    e
}

/// The check's problems numbered as the file's features, with those of features that
/// could not be read at all, in file order.
fn in_file_order(mut checked: Checked, layer: &Layer) -> Checked {
    renumber(&mut checked.left_out, &layer.indices);
    renumber(&mut checked.warnings, &layer.indices);
    checked.left_out.extend(layer.problems.iter().cloned());
    checked.left_out.sort_by_key(|p| p.feature);
    checked
}

fn dry_run(name: &str, layer: &Layer, checked: &Checked, collection: &serde_json::Value) {
    let read = layer.features.len() + layer.problems.len();
    let (what, n) = match &checked.import {
        Import::Places(p) => ("places", p.len()),
        Import::Lokasi(l) => ("slum locations", l.len()),
        Import::Jaringan(r) => ("lines", r.len()),
    };
    let left_out: BTreeSet<Option<usize>> = checked.left_out.iter().map(|p| p.feature).collect();
    println!(
        "{name}: {read} features read; {n} {what} would be imported, {} left out (dry run: nothing written)",
        left_out.len()
    );
    if let Some(features) = collection.get("features").and_then(|f| f.as_array()) {
        for (f, index) in features.iter().zip(&layer.indices).take(SHOWN) {
            let props = f.get("properties").cloned().unwrap_or_default();
            let keys = ["kode", "nama", "kode_desa", "rw", "rt", "jenis", "kondisi"];
            let shown: Vec<String> = keys
                .iter()
                .filter_map(|k| {
                    props
                        .get(*k)
                        .filter(|v| !v.is_null())
                        .map(|v| format!("{k}={v}"))
                })
                .collect();
            println!("  feature {index}: {}", shown.join(", "));
        }
    }
    for p in &checked.left_out {
        println!("{name}: {p}");
    }
    for w in &checked.warnings {
        println!("{name}: warning: {w}");
    }
}

/// Writes what was read, in one transaction, with rings in the RFC 7946 winding (files
/// from GIS tools often wind exteriors clockwise).
async fn write(
    store: &crate::commands::Opened,
    import: Import,
) -> anyhow::Result<kumuh_store::UpsertReport> {
    Ok(match import {
        Import::Places(mut places) => {
            places.iter_mut().for_each(|p| p.normalise_orientation());
            let pb = spinner(format!("writing {} places", places.len()));
            let r = kumuh_app::places::import_places(&atlas(store), &places).await;
            pb.finish_and_clear();
            r?
        }
        Import::Lokasi(mut lokasi) => {
            lokasi.iter_mut().for_each(|l| l.normalise_orientation());
            let pb = spinner(format!("writing {} slum locations", lokasi.len()));
            let r = kumuh_app::places::import_lokasi(&atlas(store), &lokasi).await;
            pb.finish_and_clear();
            r?
        }
        Import::Jaringan(ruas) => {
            let pb = spinner(format!("writing {} lines", ruas.len()));
            let r = kumuh_app::places::import_jaringan(&atlas(store), &ruas).await;
            pb.finish_and_clear();
            r?
        }
    })
}
