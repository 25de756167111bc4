//! `kumuh import`: places, slum locations and lines from a file of any format Kumuh
//! reads (GeoJSON, Shapefile, zip, KML/KMZ, GeoPackage, CSV), in any coordinate system it
//! reprojects, with the file's fields mapped to Kumuh's; checked against the places the
//! store already knows and written in one transaction, or only shown (`--dry-run`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use kumuh_app::impor::{Kemajuan, Perintah, Tahap};
use kumuh_domain::{Level, Role, User};
use kumuh_io::foreign::{Crs, Mapping};
use kumuh_io::geojson::{Checked, ImportKind, KnownPlaces, Problem};
use kumuh_store::OpenMode;

use crate::commands::{atlas, open, spinner};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ImportLevel {
    Desa,
    /// RW (rukun warga), each under the desa its code names.
    Rw,
    Rt,
    Lokasi,
    /// Road and drainage lines with their condition.
    Jaringan,
}

impl ImportLevel {
    fn kind(self) -> ImportKind {
        match self {
            ImportLevel::Desa => ImportKind::Places(Level::Desa),
            ImportLevel::Rw => ImportKind::Places(Level::Rw),
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

/// The operator of an import holds the store file, so imports as an administrator; the
/// audit line names the command.
fn importer() -> User {
    User::new("kumuh import", Role::Admin)
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

/// The import's steps on the terminal: a spinner for reading, checking and writing, a
/// bar for converting a large layer.
fn terminal_progress() -> (Kemajuan, Arc<Mutex<Option<ProgressBar>>>) {
    let shown: Arc<Mutex<Option<ProgressBar>>> = Arc::new(Mutex::new(None));
    let bar = shown.clone();
    let hear = move |step: Tahap| {
        let Ok(mut current) = bar.lock() else {
            return;
        };
        if let (Tahap::Mengubah { selesai, .. }, Some(pb)) = (step, current.as_ref())
            && pb.message() == "converting"
        {
            pb.set_position(selesai as u64);
            return;
        }
        if let Some(pb) = current.take() {
            pb.finish_and_clear();
        }
        *current = Some(match step {
            Tahap::Membaca => spinner("reading"),
            Tahap::Mengubah { dari, .. } => progress(dari, "converting"),
            Tahap::Memeriksa { n } => spinner(format!("checking {n} features")),
            Tahap::Menulis { n } => spinner(format!("writing {n} records")),
        });
    };
    (Arc::new(hear), shown)
}

fn clear(shown: &Mutex<Option<ProgressBar>>) {
    if let Ok(mut current) = shown.lock()
        && let Some(pb) = current.take()
    {
        pb.finish_and_clear();
    }
}

/// Runs `kumuh import`.
pub(crate) async fn run(path: &Path, args: ImportArgs) -> anyhow::Result<()> {
    let name = args.file.display().to_string();
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
    let cmd = Perintah {
        path: args.file.clone(),
        nama: name.clone(),
        jenis: args.level.kind(),
        lapisan: args.layer.clone(),
        crs,
        pemetaan: Some(mapping),
        lewati_salah: args.skip_invalid,
    };
    let (hear, shown) = terminal_progress();
    let outcome = import(path, &cmd, args.dry_run, hear).await;
    clear(&shown);
    outcome
}

/// Reads and converts the file, then (before anything is written, and only then) opens
/// the store: a file that cannot be read never creates a store, and a dry run never
/// creates or changes one; it checks against the places of an existing one.
async fn import(path: &Path, cmd: &Perintah, dry_run: bool, hear: Kemajuan) -> anyhow::Result<()> {
    hear(Tahap::Membaca);
    let dibaca = kumuh_app::impor::baca(cmd, false, cmd.lewati_salah).await?;
    let siap = kumuh_app::impor::siapkan(cmd, dibaca, hear.clone()).await??;
    if dry_run {
        // A dry run on no store (a missing file, an empty database) checks against no
        // places, and creates nothing.
        let store = match open(path, OpenMode::MustExist).await {
            Ok(s) => Some(s),
            Err(e)
                if e.chain().any(|c| {
                    matches!(
                        c.downcast_ref::<kumuh_store::StoreError>(),
                        Some(kumuh_store::StoreError::Missing { .. })
                    )
                }) =>
            {
                None
            }
            Err(e) => return Err(e),
        };
        let known = match &store {
            Some(s) => kumuh_app::impor::known_places(s.shared().as_ref(), cmd.jenis).await,
            None => Ok(KnownPlaces::default()),
        };
        let checked = match known {
            Ok(known) => kumuh_app::impor::periksa_siap(cmd, &siap, known, SHOWN, hear).await,
            Err(e) => Err(e),
        };
        if let Some(s) = store {
            s.close().await;
        }
        let (checked, sample) = checked?;
        show_dry_run(
            cmd,
            kumuh_app::impor::features_read(&siap),
            &checked?,
            &sample,
        );
        return Ok(());
    }
    let store = open(path, OpenMode::CreateIfMissing).await?;
    let result =
        kumuh_app::impor::impor_siap(&atlas(&store), Some(&importer()), cmd, siap, hear).await;
    let location = store.location();
    store.close().await;
    let result = result?;
    let name = &cmd.nama;
    if !result.dilewati.is_empty() {
        for p in &result.dilewati {
            eprintln!("{name}: {}", problem(p));
        }
        eprintln!(
            "{name}: {} feature(s) left out for the problems above (--skip-invalid)",
            result
                .dilewati
                .iter()
                .map(|p| p.fitur)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        );
    }
    for w in &result.peringatan {
        eprintln!("{name}: warning: {}", problem(w));
    }
    println!(
        "{name}: {} added, {} updated in {}",
        result.ditambah, result.diubah, location
    );
    Ok(())
}

fn problem(m: &kumuh_app::impor::Masalah) -> Problem {
    Problem {
        feature: m.fitur,
        kode: m.kode.clone(),
        field: m.bidang.clone(),
        message: m.pesan.clone(),
    }
}

/// What a dry run shows: counts, the first features mapped, every problem and warning.
fn show_dry_run(cmd: &Perintah, read: usize, checked: &Checked, sample: &serde_json::Value) {
    let name = &cmd.nama;
    let (n, what) = kumuh_app::impor::items(&checked.import);
    println!(
        "{name}: {read} features read; {n} {what} would be imported, {} left out (dry run: nothing written)",
        kumuh_app::impor::features_left_out(&checked.left_out)
    );
    if let Some(features) = sample.get("features").and_then(|f| f.as_array()) {
        for f in features {
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
            let index = f.get("id").cloned().unwrap_or_default();
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
