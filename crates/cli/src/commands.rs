//! The subcommands and what they share: opening (and seeding) the store.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use kumuh_domain::{Kode, Level, Role};
use kumuh_io::geojson::{Import, ImportKind};
use kumuh_store::{GpkgStore, OpenMode, PlaceQuery, Store};

/// Kumuh: planning atlas for slum upgrading (penanganan permukiman kumuh).
#[derive(Debug, Parser)]
#[command(name = "kumuh", version, about, long_about = None)]
pub struct Cli {
    /// The store: a GeoPackage file, created and seeded with Kecamatan Jiwan when missing.
    #[arg(long, global = true, env = "KUMUH_STORE", default_value = "kumuh.gpkg")]
    store: PathBuf,

    /// Log format on stderr.
    #[arg(long, global = true, env = "KUMUH_LOG_FORMAT", default_value = "text")]
    log_format: LogFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API and the map viewer.
    Serve(ServeArgs),
    /// Create a new store seeded with Kecamatan Jiwan.
    Init(InitArgs),
    /// Import places or slum locations from a GeoJSON file (idempotent on code).
    Import(ImportArgs),
    /// Export the store or one layer.
    Export(ExportArgs),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Score a slum assessment table (CSV or XLSX) by the national rule; touches no store.
    Assess(crate::assess::AssessArgs),
    /// Write an empty table for surveyors.
    Template(crate::assess::TemplateArgs),
    /// Score an assessment table and store the results (per location and year).
    ImportAssessments(ImportAssessmentsArgs),
    /// Reports from the store.
    #[command(subcommand)]
    Report(crate::kegiatan::ReportCommand),
    /// Make one API request in-process, as a user: every write of the viewer, from a
    /// script, e.g. `kumuh call POST /api/kegiatan/K1/segmen/S1/alokasi --as ana
    /// --data '{"sumber": "dana_desa", "jumlah": 25000000}'`.
    Call(crate::kegiatan::CallArgs),
    /// Check the store file in full (SQLite integrity, foreign keys, GeoPackage tables).
    Check(crate::maintenance::CheckArgs),
    /// Write a consistent copy of the store, also while a server runs.
    Backup(crate::maintenance::BackupArgs),
    /// Put a checked backup in place of the store (the old one is kept).
    Restore(crate::maintenance::RestoreArgs),
}

#[derive(Debug, Args)]
struct ImportAssessmentsArgs {
    /// The assessment table: CSV or XLSX, as `kumuh template assessments` writes it.
    file: PathBuf,
    /// Rule set: a built-in name or a TOML file.
    #[arg(long, value_name = "FILE|NAME", default_value = kumuh_domain::assessment::DEFAULT_RULE_SET)]
    rules: String,
    /// Store the valid rows and list the rows left out, instead of storing nothing.
    #[arg(long)]
    skip_invalid: bool,
    /// Criteria whose volume comes from the mapped road and drainage lines instead of
    /// the table (2a, 2b, 4b, 4c; comma-separated), where the location has a polygon.
    /// The stored record says which value was used.
    #[arg(long, value_delimiter = ',', value_name = "CRITERIA")]
    peta: Vec<String>,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "KUMUH_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// A MapLibre style URL to show under the atlas layers (needs internet).
    #[arg(long, env = "KUMUH_BASEMAP_STYLE")]
    basemap_style: Option<String>,
    /// Code of the place the viewer opens on.
    #[arg(long, env = "KUMUH_HOME", default_value = kumuh_io::seed::HOME_KECAMATAN)]
    home: String,
    /// Seconds before a request is cut off with 503.
    #[arg(long, env = "KUMUH_REQUEST_TIMEOUT", default_value_t = 30)]
    request_timeout: u64,
    /// Mark the browser's session cookie Secure (HTTPS only): set it whenever the atlas
    /// is reached over HTTPS, e.g. behind a reverse proxy.
    #[arg(long, env = "KUMUH_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Megabytes of gzipped vector tiles kept in memory (0 turns the cache off).
    #[arg(long, env = "KUMUH_TILE_CACHE_MB", default_value_t = 64)]
    tile_cache_mb: usize,
    /// The URL browsers reach the atlas at (e.g. `https://kumuh.example.go.id`), for the
    /// tile URLs in TileJSON; needed behind a reverse proxy. Without it, the address the
    /// client connected to is used.
    #[arg(long, env = "KUMUH_PUBLIC_URL")]
    public_url: Option<String>,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// Replace an existing Kumuh store (its data is lost). Files that are not Kumuh
    /// stores are never replaced.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ImportLevel {
    Desa,
    Rt,
    Lokasi,
    /// Road and drainage lines with their condition.
    Jaringan,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// A GeoJSON file (EPSG:4326).
    file: PathBuf,
    /// What the file holds.
    #[arg(long)]
    level: ImportLevel,
    /// Import the features without problems and list the others (by default a file with
    /// any problem imports nothing).
    #[arg(long)]
    skip_invalid: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    Geojson,
    Gpkg,
    /// Vector tiles of the layers over a region, one PMTiles file for field work offline.
    Pmtiles,
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// `geojson` writes one layer; `gpkg` a standalone copy of the whole store.
    #[arg(long)]
    format: ExportFormat,
    /// The layer for GeoJSON: provinsi, kabupaten, kecamatan, desa, rw, rt or lokasi.
    #[arg(long, default_value = "desa")]
    layer: String,
    /// Output file (GeoJSON goes to standard output when omitted).
    #[arg(long)]
    out: Option<PathBuf>,
    /// PMTiles: the region, a place code (default: every feature in the store).
    #[arg(long)]
    wilayah: Option<String>,
    /// PMTiles: the tile layers (comma-separated; default all: provinsi, kabupaten,
    /// kecamatan, desa, rt, lokasi, jaringan, segmen).
    #[arg(long, value_delimiter = ',')]
    layers: Vec<String>,
    /// PMTiles: lowest zoom.
    #[arg(long, default_value_t = 0)]
    minzoom: u8,
    /// PMTiles: highest zoom (the viewer over-zooms beyond it).
    #[arg(long, default_value_t = 14)]
    maxzoom: u8,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user. Without --password-stdin a random password is made and printed once.
    Add {
        /// Login name.
        username: String,
        /// admin, kabupaten, lkm or viewer.
        #[arg(long, default_value = "admin")]
        role: String,
        /// For an lkm user: the desa code(s) it writes for (repeat, or separate with
        /// commas), e.g. 35.19.09.2014.
        #[arg(long, value_delimiter = ',')]
        desa: Vec<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users and their roles.
    List,
}

/// Sets up structured logs on stderr (`RUST_LOG` filters, default `info`).
pub fn init_logging(cli: &Cli) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// Runs one command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(&cli.store, args).await,
        Command::Init(args) => init(&cli.store, args).await,
        Command::Import(args) => import(&cli.store, args).await,
        Command::Export(args) => export(&cli.store, args).await,
        Command::User(cmd) => user(&cli.store, cmd).await,
        Command::Assess(args) => crate::assess::run_assess(&args, &mut std::io::stdout().lock()),
        Command::ImportAssessments(args) => import_assessments(&cli.store, args).await,
        Command::Report(cmd) => crate::kegiatan::report(&cli.store, cmd).await,
        Command::Call(args) => crate::kegiatan::call(&cli.store, args).await,
        Command::Check(args) => crate::maintenance::check(&cli.store, args).await,
        Command::Backup(args) => crate::maintenance::backup(&cli.store, args).await,
        Command::Restore(args) => crate::maintenance::restore(&cli.store, args).await,
        Command::Template(args) => {
            crate::assess::run_template(&args, &mut std::io::stdout().lock())
        }
    }
}

fn spinner(message: impl Into<String>) -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.set_message(message.into());
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// Opens the store, creating and seeding it when missing (or not, with `mode`).
pub(crate) async fn open(path: &Path, mode: OpenMode) -> anyhow::Result<GpkgStore> {
    let (store, created) = GpkgStore::open(path, mode)
        .await
        .with_context(|| format!("opening the store {}", path.display()))?;
    for w in store.warnings() {
        tracing::warn!("{w}");
    }
    if created {
        seed(&store).await?;
    }
    Ok(store)
}

async fn seed(store: &GpkgStore) -> anyhow::Result<()> {
    let pb = spinner("seeding Kecamatan Jiwan");
    let places = kumuh_io::seed::jiwan().context("reading the shipped Jiwan data")?;
    // With the Bibrik work and siteplan of 2018, marked contoh (illustrative): what every
    // funding and planning screen can be tried on.
    let report = kumuh_app::seed::seed(&atlas(store), &places)
        .await
        .context("seeding the store")?;
    pb.finish_and_clear();
    tracing::info!(
        store = %store.path().display(),
        places = report.inserted,
        "new store created and seeded with Kecamatan Jiwan"
    );
    Ok(())
}

async fn serve(path: &Path, args: ServeArgs) -> anyhow::Result<()> {
    kumuh_domain::Kode::parse(&args.home).context("--home")?;
    let store = open(path, OpenMode::CreateIfMissing).await?;
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("listening on {}", args.addr))?;
    let local = listener.local_addr().context("reading the bound address")?;
    let pb = spinner("building the tile layers");
    let state = kumuh_server::AppState::open(
        Arc::new(store.clone()),
        kumuh_server::Config {
            home: args.home,
            basemap_style_url: args.basemap_style,
            request_timeout: Duration::from_secs(args.request_timeout),
            secure_cookies: args.secure_cookies,
            tile_cache_bytes: args.tile_cache_mb.saturating_mul(1024 * 1024),
            public_url: args
                .public_url
                .map(|u| kumuh_server::public_url(&u))
                .transpose()
                .map_err(anyhow::Error::msg)
                .context("--public-url")?,
            ..Default::default()
        },
    )
    .await
    .context("building the tile layers")?;
    pb.finish_and_clear();
    println!("Kumuh serving http://{local}/ (store {})", path.display());
    std::io::stdout().flush().ok();
    tracing::info!(addr = %local, store = %path.display(), "serving");
    kumuh_server::serve(listener, state, shutdown_signal())
        .await
        .context("serving")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down; finishing running requests");
}

async fn init(path: &Path, args: InitArgs) -> anyhow::Result<()> {
    if path.exists() && std::fs::metadata(path).map(|m| m.len() > 0).unwrap_or(true) {
        if !args.force {
            bail!(
                "{} already exists; use `kumuh init --force` to replace it (its data is lost)",
                path.display()
            );
        }
        kumuh_store::remove_store_file(path)
            .await
            .with_context(|| format!("replacing {}", path.display()))?;
    }
    let store = open(path, OpenMode::CreateIfMissing).await?;
    let n = store
        .list_places(&PlaceQuery::level(Level::Desa))
        .await
        .context("checking the new store")?
        .len();
    store.close().await;
    println!("created {} with {n} desa", path.display());
    Ok(())
}

async fn import(path: &Path, args: ImportArgs) -> anyhow::Result<()> {
    let name = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("reading {name}"))?;
    let kind = match args.level {
        ImportLevel::Desa => ImportKind::Places(Level::Desa),
        ImportLevel::Rt => ImportKind::Places(Level::Rt),
        ImportLevel::Lokasi => ImportKind::Lokasi,
        ImportLevel::Jaringan => ImportKind::Jaringan,
    };
    let pb = spinner(format!("reading {name}"));
    let parsed = if args.skip_invalid {
        kumuh_io::geojson::parse_skipping(&name, &text, kind)
    } else {
        kumuh_io::geojson::parse(&name, &text, kind).map(|i| (i, Vec::new()))
    };
    pb.finish_and_clear();
    let (parsed, skipped) = parsed?;
    let left_out: std::collections::BTreeSet<Option<usize>> =
        skipped.iter().map(|p| p.feature).collect();
    for p in &skipped {
        eprintln!("{name}: {p}");
    }
    if !skipped.is_empty() {
        eprintln!(
            "{name}: {} feature(s) left out for the problems above (--skip-invalid)",
            left_out.len()
        );
    }
    let store = open(path, OpenMode::CreateIfMissing).await?;
    let report = match parsed {
        Import::Places(places) => {
            let pb = spinner(format!("writing {} places", places.len()));
            let r = kumuh_app::places::import_places(&atlas(&store), &places).await;
            pb.finish_and_clear();
            r?
        }
        Import::Lokasi(all) => {
            let mut lokasi = Vec::with_capacity(all.len());
            for (i, l) in all.into_iter().enumerate() {
                if store.place(&l.kode_desa).await?.is_some() {
                    lokasi.push(l);
                } else if args.skip_invalid {
                    eprintln!(
                        "{name}: location {}, field `kode_desa`: no desa {} in the store; left out (--skip-invalid)",
                        l.kode, l.kode_desa
                    );
                } else {
                    // Without --skip-invalid every feature was read, so `i` is its index.
                    bail!(
                        "{name}: feature {i} ({}), field `kode_desa`: no desa {} in the store; import the desa first. Nothing imported",
                        l.kode,
                        l.kode_desa
                    );
                }
            }
            let pb = spinner(format!("writing {} slum locations", lokasi.len()));
            let r = kumuh_app::places::import_lokasi(&atlas(&store), &lokasi).await;
            pb.finish_and_clear();
            r?
        }
        Import::Jaringan(ruas) => {
            let pb = spinner(format!("writing {} lines", ruas.len()));
            let r = kumuh_app::places::import_jaringan(&atlas(&store), &ruas).await;
            pb.finish_and_clear();
            r?
        }
    };
    store.close().await;
    println!(
        "{name}: {} added, {} updated in {}",
        report.inserted,
        report.updated,
        path.display()
    );
    Ok(())
}

async fn export(path: &Path, args: ExportArgs) -> anyhow::Result<()> {
    let store = open(path, OpenMode::MustExist).await?;
    match args.format {
        ExportFormat::Gpkg => {
            let out = args.out.context("--out is required for --format gpkg")?;
            store.export_copy(&out).await?;
            println!("wrote {}", out.display());
        }
        ExportFormat::Pmtiles => export_pmtiles(&store, &args).await?,
        ExportFormat::Geojson => {
            let value = if args.layer == "lokasi" {
                let items = store.list_lokasi(None).await?;
                let records = store.assessments(&Default::default()).await?;
                kumuh_io::geojson::lokasi_collection(
                    &items,
                    kumuh_store::latest_assessments(&records),
                )
            } else {
                let level: Level = args.layer.parse().context("--layer")?;
                let places = store.places(&PlaceQuery::level(level)).await?;
                kumuh_io::geojson::places_collection(&places, true)
            };
            let text = value.to_string();
            match args.out {
                Some(out) => {
                    if out.exists() {
                        bail!("{} already exists; choose a new file", out.display());
                    }
                    std::fs::write(&out, text)
                        .with_context(|| format!("writing {}", out.display()))?;
                    println!("wrote {}", out.display());
                }
                None => {
                    let mut stdout = std::io::stdout().lock();
                    stdout
                        .write_all(text.as_bytes())
                        .and_then(|()| stdout.write_all(b"\n"))
                        .context("writing to standard output")?;
                }
            }
        }
    }
    store.close().await;
    Ok(())
}

async fn export_pmtiles(store: &GpkgStore, args: &ExportArgs) -> anyhow::Result<()> {
    let out = args
        .out
        .as_ref()
        .context("--out is required for --format pmtiles")?;
    if out.exists() {
        bail!("{} already exists; choose a new file", out.display());
    }
    let wilayah = args
        .wilayah
        .as_deref()
        .map(Kode::parse)
        .transpose()
        .context("--wilayah")?;
    let package = kumuh_app::tiles::Package {
        wilayah,
        layers: args.layers.clone(),
        minzoom: args.minzoom,
        maxzoom: args.maxzoom,
    };
    let pb = spinner("building the tile layers");
    let tiles = kumuh_app::tiles::Tiles::load(store, 0)
        .await
        .context("building the tile layers")?;
    let (layers, bbox) = tiles
        .package_extent(store, &package)
        .await
        .map_err(|e| match e {
            kumuh_app::tiles::PackageError::Zooms => anyhow::anyhow!("--minzoom/--maxzoom: {e}"),
            kumuh_app::tiles::PackageError::UnknownLayer(_) => anyhow::anyhow!("--layers: {e}"),
            kumuh_app::tiles::PackageError::NoPlace(_)
            | kumuh_app::tiles::PackageError::NoBoundary(_) => anyhow::anyhow!("--wilayah: {e}"),
            other => anyhow::Error::new(other),
        })?;
    pb.set_message("writing tiles");
    let mut bytes = Vec::new();
    let summary = tiles
        .pmtiles(&layers, bbox, args.minzoom..=args.maxzoom, &mut bytes)
        .context("writing the PMTiles archive")?;
    // Written beside the target, then renamed: a failed write never leaves half a file.
    let mut part = out.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    std::fs::write(&part, &bytes)
        .and_then(|()| std::fs::rename(&part, out))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&part);
        })
        .with_context(|| format!("writing {}", out.display()))?;
    pb.finish_and_clear();
    println!(
        "wrote {}: {} tiles ({} distinct), z{}-z{}, layers {}, {} bytes",
        out.display(),
        summary.tile_entries,
        summary.tile_contents,
        args.minzoom,
        args.maxzoom,
        layers.join(","),
        summary.bytes
    );
    println!(
        "open it in the viewer without a connection: Lapisan peta → \"Buka berkas PMTiles…\" (or drop it on the map)"
    );
    Ok(())
}

async fn user(path: &Path, cmd: UserCommand) -> anyhow::Result<()> {
    let store = open(path, OpenMode::CreateIfMissing).await?;
    match cmd {
        UserCommand::Add {
            username,
            role,
            desa,
            password_stdin,
        } => {
            let role: Role = role.parse().context("--role")?;
            let mut scope = Vec::new();
            for d in &desa {
                let kode = kumuh_domain::Kode::parse(d.trim()).context("--desa")?;
                if store.place(&kode).await?.is_none() {
                    bail!("--desa: no place {kode} in the store; import it first");
                }
                scope.push(kode);
            }
            match (role, scope.is_empty()) {
                (Role::Lkm | Role::Upk, true) => {
                    bail!("--desa: an {role} user needs the desa it writes for")
                }
                (Role::Lkm | Role::Upk, false) | (_, true) => {}
                (_, false) => bail!("--desa: only lkm and upk users have a desa scope, not {role}"),
            }
            let username = username.trim().to_owned();
            if username.is_empty() || username.chars().any(char::is_whitespace) {
                bail!("the username must be one word without spaces");
            }
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .context("reading the password from standard input")?;
                (line.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (
                    kumuh_app::users::new_token().map_err(anyhow::Error::msg)?,
                    true,
                )
            };
            if password.chars().count() < 8 {
                bail!("the password must have at least 8 characters");
            }
            let user = kumuh_domain::User {
                desa: scope,
                ..kumuh_domain::User::new(&username, role)
            };
            kumuh_app::users::add_user(&atlas(&store), &user, &password).await?;
            if user.desa.is_empty() {
                println!("added user {username} with role {role}");
            } else {
                let desa: Vec<&str> = user.desa.iter().map(|k| k.as_str()).collect();
                println!(
                    "added user {username} with role {role} for desa {}",
                    desa.join(", ")
                );
            }
            if generated {
                println!("password (shown once): {password}");
            }
        }
        UserCommand::List => {
            for u in store.list_users().await? {
                let desa: Vec<&str> = u.desa.iter().map(|k| k.as_str()).collect();
                if desa.is_empty() {
                    println!("{}\t{}", u.username, u.role);
                } else {
                    println!("{}\t{}\t{}", u.username, u.role, desa.join(","));
                }
            }
        }
    }
    store.close().await;
    Ok(())
}

async fn import_assessments(path: &Path, args: ImportAssessmentsArgs) -> anyhow::Result<()> {
    use kumuh_io::assessment as tables;
    let name = args.file.display().to_string();
    let rules = tables::load_rules(&args.rules).context("loading the rule set")?;
    let mode = if args.skip_invalid {
        tables::ReadMode::SkipInvalid
    } else {
        tables::ReadMode::Strict
    };
    let outcome = tables::read_assessments(&args.file, &rules, mode)
        .context("reading the assessment table")?;
    let store = open(path, OpenMode::CreateIfMissing).await?;
    // Every desa must be in the atlas: one report naming every row that is not.
    let mut rows = Vec::new();
    let mut unknown = Vec::new();
    for row in outcome.rows {
        if store.place(&row.input.kode_desa).await?.is_some() {
            rows.push(row);
        } else {
            unknown.push(format!(
                "row {}, column kode_desa: no desa {} in the store",
                row.row, row.input.kode_desa
            ));
        }
    }
    if !unknown.is_empty() && !args.skip_invalid {
        bail!(
            "{name}: {} problem(s), nothing stored: {}",
            unknown.len(),
            unknown.join("; ")
        );
    }
    for code in &args.peta {
        if !kumuh_domain::jaringan::KRITERIA.contains(&code.as_str()) {
            bail!("--peta: `{code}` cannot be derived from the map; use 2a, 2b, 4b or 4c");
        }
    }
    let choices: kumuh_domain::jaringan::Choices = args
        .peta
        .iter()
        .map(|c| (c.clone(), kumuh_domain::jaringan::Sumber::Peta))
        .collect();
    let mut applied = Vec::with_capacity(rows.len());
    for row in &mut rows {
        applied.push(if choices.is_empty() {
            Vec::new()
        } else {
            derive_for(
                &store,
                &mut row.input.volumes,
                &row.input.kode_lokasi,
                &choices,
            )
            .await?
        });
    }
    let assessed = tables::assess_rows(&rules, rows);
    let records: Vec<kumuh_store::AssessmentRecord> = assessed
        .iter()
        .zip(&applied)
        .map(|(a, applied)| {
            kumuh_app::assessments::record_of(
                a,
                with_sources(tables::result_json(a), applied),
                kumuh_domain::assessment::Dasar::Survei,
                None,
            )
        })
        .collect();
    let report = kumuh_app::assessments::import(&atlas(&store), &records).await?;
    store.close().await;
    println!(
        "{name}: {} assessment(s) added, {} updated in {}",
        report.inserted,
        report.updated,
        path.display()
    );
    let skipped = outcome.skipped.len() + unknown.len();
    if skipped > 0 {
        let mut err = std::io::stderr();
        tables::render_skipped(&outcome.skipped, &mut err).context("listing the skipped rows")?;
        for u in &unknown {
            eprintln!("skipped {u}");
        }
        eprintln!("{skipped} row(s) skipped");
    }
    Ok(())
}

/// Replaces the chosen criteria's volumes with those derived from the mapped lines inside
/// the location's polygon; a location without a polygon keeps its surveyed values.
async fn derive_for(
    store: &GpkgStore,
    volumes: &mut std::collections::BTreeMap<String, f64>,
    kode_lokasi: &str,
    choices: &kumuh_domain::jaringan::Choices,
) -> anyhow::Result<Vec<kumuh_domain::jaringan::Applied>> {
    let Some(lokasi) = store.lokasi(kode_lokasi).await? else {
        return Ok(Vec::new());
    };
    let bbox = kumuh_domain::geometry::bbox(&lokasi.geometry);
    let ruas = match bbox {
        Some(b) => store.jaringan(Some(b)).await?,
        None => Vec::new(),
    };
    let derived = kumuh_domain::jaringan::derive_volumes(&lokasi.geometry, &ruas);
    for issue in &derived.issues {
        tracing::warn!(lokasi = kode_lokasi, %issue, "deriving volumes from the map");
    }
    Ok(kumuh_domain::jaringan::apply(volumes, &derived, choices))
}

/// The stored result records, per derived criterion, the surveyed and mapped values and
/// which one the score used.
fn with_sources(
    mut result: serde_json::Value,
    applied: &[kumuh_domain::jaringan::Applied],
) -> serde_json::Value {
    if let Some(obj) = result.as_object_mut() {
        obj.insert(
            "sumber_volume".into(),
            serde_json::to_value(applied).unwrap_or_default(),
        );
    }
    result
}

/// The use cases' view of a store opened by a command (without tile layers: a command
/// draws no map; a serving server's tiles follow the store's change feed).
pub(crate) fn atlas(store: &GpkgStore) -> kumuh_app::Atlas {
    kumuh_app::Atlas::new(Arc::new(store.clone()))
}
