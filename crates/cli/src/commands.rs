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
use kumuh_store::{GpkgStore, OpenMode, PgStore, PlaceQuery, Store};

/// Kumuh: planning atlas for slum upgrading (penanganan permukiman kumuh).
#[derive(Debug, Parser)]
#[command(name = "kumuh", version, about, long_about = None)]
pub struct Cli {
    /// The store: a GeoPackage file, created and seeded with Kecamatan Jiwan when missing;
    /// or a PostgreSQL database with PostGIS (`postgres://USER[:PASSWORD]@HOST/DB`), whose
    /// schema and seed are created when it is empty, shared by several servers.
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
    Import(crate::import::ImportArgs),
    /// Export the store or one layer.
    Export(ExportArgs),
    /// Register, list and remove basemaps (imagery under the atlas layers).
    #[command(subcommand)]
    Basemap(crate::peta_dasar::BasemapCommand),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Score a slum assessment table (CSV or XLSX) by the national rule; touches no store.
    Assess(crate::assess::AssessArgs),
    /// Write an empty table for surveyors.
    Template(crate::assess::TemplateArgs),
    /// Score an assessment table and store the results (per location and year).
    ImportAssessments(crate::import_assessments::ImportAssessmentsArgs),
    /// Bring a UPK's existing loan book (XLSX or CSV, one row per loan) into the store in
    /// one transaction, creating missing KSM; `--template FILE.xlsx` writes the template.
    ImportPinjaman(crate::upk::ImportPinjamanArgs),
    /// Reports from the store.
    #[command(subcommand)]
    Report(crate::kegiatan::ReportCommand),
    /// Choose the planned works that take the most slum out within a budget (exact;
    /// writes nothing), e.g. `kumuh skenario --wilayah 35.19.09 --anggaran 500000000`.
    Skenario(crate::skenario::SkenarioArgs),
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
    /// Copy a whole atlas between stores, a GeoPackage file and a PostGIS database in
    /// either direction, in one transaction on the target.
    Migrate(crate::maintenance::MigrateArgs),
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
    /// Megabytes of the largest file the viewer's "Impor data" (`POST /api/impor`) accepts.
    #[arg(long, env = "KUMUH_MAX_UPLOAD_MB", default_value_t = 200)]
    max_upload_mb: u64,
    /// Seconds before a file import (`POST /api/impor`), upload included, is cut off with
    /// 503.
    #[arg(long, env = "KUMUH_UPLOAD_TIMEOUT", default_value_t = 600)]
    upload_timeout: u64,
    /// The URL browsers reach the atlas at (e.g. `https://kumuh.example.go.id`), for the
    /// tile URLs in TileJSON; needed behind a reverse proxy. Without it, the address the
    /// client connected to is used.
    #[arg(long, env = "KUMUH_PUBLIC_URL")]
    public_url: Option<String>,
    /// The limits between a loan's kolektibilitas classes: a shipped set (`upk-angsuran`,
    /// the default, or `bank-hari`) or a TOML file of the district's own (docs/upk.md).
    #[arg(long, env = "KUMUH_KOLEKTIBILITAS")]
    kolektibilitas: Option<String>,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// Replace an existing Kumuh store (its data is lost). Files that are not Kumuh
    /// stores are never replaced.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// One layer as GeoJSON.
    Geojson,
    /// The whole store as a standalone copy; with --layer, that layer alone.
    Gpkg,
    /// One layer as zipped ESRI Shapefiles (.shp .shx .dbf .prj .cpg).
    Shp,
    /// One layer as KML.
    Kml,
    /// One layer as FlatGeobuf.
    Fgb,
    /// One layer as CSV with a WKT geometry column.
    Csv,
    /// Vector tiles of the layers over a region, one PMTiles file for field work offline.
    Pmtiles,
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// `geojson`, `shp`, `kml`, `fgb`, `csv` write one layer; `gpkg` a standalone copy of
    /// the whole store, or of one layer with --layer; `pmtiles` vector tiles.
    #[arg(long)]
    format: ExportFormat,
    /// The layer: provinsi, kabupaten, kecamatan, desa, rw, rt, lokasi, jaringan or
    /// segmen (default desa; for gpkg, the whole store when omitted).
    #[arg(long)]
    layer: Option<String>,
    /// Output file (GeoJSON, KML and CSV go to standard output when omitted).
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
    /// PMTiles: a basemap kept in the atlas (`kumuh basemap list`) to pack beside the
    /// tiles, over the same place: the file is then a ZIP (`--out NAME.zip`) holding both
    /// PMTiles archives, which the viewer opens whole.
    #[arg(long)]
    basemap: Option<String>,
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
        Command::Import(args) => crate::import::run(&cli.store, args).await,
        Command::Export(args) => export(&cli.store, args).await,
        Command::User(cmd) => user(&cli.store, cmd).await,
        Command::Basemap(cmd) => crate::peta_dasar::run(&cli.store, cmd).await,
        Command::Assess(args) => crate::assess::run_assess(&args, &mut std::io::stdout().lock()),
        Command::ImportAssessments(args) => crate::import_assessments::run(&cli.store, args).await,
        Command::ImportPinjaman(args) => crate::upk::import_pinjaman(&cli.store, args).await,
        Command::Report(cmd) => crate::kegiatan::report(&cli.store, cmd).await,
        Command::Call(args) => crate::kegiatan::call(&cli.store, args).await,
        Command::Skenario(args) => crate::skenario::run(&cli.store, args).await,
        Command::Check(args) => crate::maintenance::check(&cli.store, args).await,
        Command::Backup(args) => crate::maintenance::backup(&cli.store, args).await,
        Command::Restore(args) => crate::maintenance::restore(&cli.store, args).await,
        Command::Migrate(args) => crate::maintenance::migrate(args).await,
        Command::Template(args) => {
            crate::assess::run_template(&args, &mut std::io::stdout().lock())
        }
    }
}

pub(crate) fn spinner(message: impl Into<String>) -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.set_message(message.into());
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// A store opened from `--store`: a GeoPackage file or a PostGIS database.
#[derive(Debug, Clone)]
pub(crate) enum Opened {
    Gpkg(GpkgStore),
    Postgis(PgStore),
}

impl Opened {
    /// The store for the use cases and the server.
    pub(crate) fn shared(&self) -> Arc<dyn Store> {
        match self {
            Opened::Gpkg(s) => Arc::new(s.clone()),
            Opened::Postgis(s) => Arc::new(s.clone()),
        }
    }

    /// Where it lives, for messages: the file, or the URL without its password.
    pub(crate) fn location(&self) -> String {
        match self {
            Opened::Gpkg(s) => s.path().display().to_string(),
            Opened::Postgis(s) => s.location().to_owned(),
        }
    }

    /// The GeoPackage file, for what only a file has (`action`, e.g. `backup`).
    pub(crate) fn gpkg(&self, action: &str) -> anyhow::Result<&GpkgStore> {
        match self {
            Opened::Gpkg(s) => Ok(s),
            Opened::Postgis(s) => bail!(
                "{}: {action} works on a GeoPackage file; for a PostGIS store use PostgreSQL's own tools (pg_dump, pg_restore), or `kumuh export --format gpkg`",
                s.location()
            ),
        }
    }

    /// Closes every connection.
    pub(crate) async fn close(&self) {
        match self {
            Opened::Gpkg(s) => s.close().await,
            Opened::Postgis(s) => s.close().await,
        }
    }
}

impl std::ops::Deref for Opened {
    type Target = dyn Store;

    fn deref(&self) -> &(dyn Store + 'static) {
        match self {
            Opened::Gpkg(s) => s,
            Opened::Postgis(s) => s,
        }
    }
}

/// Whether `--store` names a PostgreSQL database rather than a file.
pub(crate) fn is_database(path: &Path) -> bool {
    path.to_str()
        .is_some_and(kumuh_store::postgis::is_postgres_url)
}

/// Opens the store, creating and seeding it when missing (or not, with `mode`): a file,
/// or a PostgreSQL database when `--store` is a `postgres://` URL. Answers the store and
/// whether this call created it.
pub(crate) async fn open_new(path: &Path, mode: OpenMode) -> anyhow::Result<(Opened, bool)> {
    let (store, created) = open_unseeded(path, mode).await?;
    if created {
        seed(&store).await?;
    }
    Ok((store, created))
}

/// Opens the store like [`open_new`], but leaves a new one empty.
pub(crate) async fn open_unseeded(path: &Path, mode: OpenMode) -> anyhow::Result<(Opened, bool)> {
    Ok(match path.to_str().filter(|_| is_database(path)) {
        Some(url) => {
            let (store, created) = PgStore::open(url, mode).await.with_context(|| {
                format!(
                    "opening the store {}",
                    kumuh_store::postgis::redact_url(url)
                )
            })?;
            (Opened::Postgis(store), created)
        }
        None => {
            let (store, created) = GpkgStore::open(path, mode)
                .await
                .with_context(|| format!("opening the store {}", path.display()))?;
            for w in store.warnings() {
                tracing::warn!("{w}");
            }
            (Opened::Gpkg(store), created)
        }
    })
}

/// Opens the store like [`open_new`].
pub(crate) async fn open(path: &Path, mode: OpenMode) -> anyhow::Result<Opened> {
    Ok(open_new(path, mode).await?.0)
}

async fn seed(store: &Opened) -> anyhow::Result<()> {
    let pb = spinner("seeding Kecamatan Jiwan");
    let places = kumuh_io::seed::jiwan().context("reading the shipped Jiwan data")?;
    // With the Bibrik work and siteplan of 2018, marked contoh (illustrative): what every
    // funding and planning screen can be tried on.
    let report = kumuh_app::seed::seed(&atlas(store), &places)
        .await
        .context("seeding the store")?;
    pb.finish_and_clear();
    tracing::info!(
        store = %store.location(),
        places = report.inserted,
        "new store created and seeded with Kecamatan Jiwan"
    );
    Ok(())
}

async fn serve(path: &Path, args: ServeArgs) -> anyhow::Result<()> {
    kumuh_domain::Kode::parse(&args.home).context("--home")?;
    let kolektibilitas = crate::upk::kolektibilitas(args.kolektibilitas.as_deref())?;
    let store = open(path, OpenMode::CreateIfMissing).await?;
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("listening on {}", args.addr))?;
    let local = listener.local_addr().context("reading the bound address")?;
    let pb = spinner("building the tile layers");
    let state = kumuh_server::AppState::open(
        store.shared(),
        kumuh_server::Config {
            home: args.home,
            basemap_style_url: args.basemap_style,
            request_timeout: Duration::from_secs(args.request_timeout),
            upload_timeout: Duration::from_secs(args.upload_timeout),
            secure_cookies: args.secure_cookies,
            tile_cache_bytes: args.tile_cache_mb.saturating_mul(1024 * 1024),
            max_upload_bytes: args.max_upload_mb.saturating_mul(1024 * 1024),
            public_url: args
                .public_url
                .map(|u| kumuh_server::public_url(&u))
                .transpose()
                .map_err(anyhow::Error::msg)
                .context("--public-url")?,
            kolektibilitas: std::sync::Arc::new(kolektibilitas),
            ..Default::default()
        },
    )
    .await
    .context("building the tile layers")?;
    pb.finish_and_clear();
    println!("Kumuh serving http://{local}/ (store {})", store.location());
    std::io::stdout().flush().ok();
    tracing::info!(addr = %local, store = %store.location(), "serving");
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
    if is_database(path) {
        let (store, created) = open_new(path, OpenMode::CreateIfMissing).await?;
        let location = store.location().to_owned();
        if !created {
            store.close().await;
            bail!(
                "{location} already holds a Kumuh store; it is left as it is (drop and create the database to start again)"
            );
        }
        let n = desa_count(&store).await?;
        store.close().await;
        println!("created the store in {location} with {n} desa");
        return Ok(());
    }
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
    let n = desa_count(&store).await?;
    store.close().await;
    println!("created {} with {n} desa", path.display());
    Ok(())
}

/// The desa a new store holds, for `kumuh init` to say.
async fn desa_count(store: &Opened) -> anyhow::Result<usize> {
    Ok(store
        .list_places(&PlaceQuery::level(Level::Desa))
        .await
        .context("checking the new store")?
        .len())
}

async fn export(path: &Path, args: ExportArgs) -> anyhow::Result<()> {
    let store = open(path, OpenMode::MustExist).await?;
    let result = match (args.format, args.layer.as_deref()) {
        (ExportFormat::Gpkg, None) => {
            let out = args.out.context("--out is required for --format gpkg")?;
            store.export_copy(&out).await?;
            println!("wrote {}", out.display());
            Ok(())
        }
        (ExportFormat::Pmtiles, _) => export_pmtiles(&store, &args).await,
        (format, layer) => export_layer(&store, format, layer.unwrap_or("desa"), args.out).await,
    };
    store.close().await;
    result
}

/// One layer in a GIS format, to `out` (written beside it and renamed, so a failed
/// export leaves no half file) or, for text formats, to standard output.
async fn export_layer(
    store: &Opened,
    format: ExportFormat,
    layer: &str,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    use kumuh_app::ekspor::{Format, Lapisan};
    let lapisan: Lapisan = layer
        .parse()
        .map_err(|e: String| anyhow::anyhow!("--layer: {e}"))?;
    let format = match format {
        ExportFormat::Geojson => Format::GeoJson,
        ExportFormat::Gpkg => Format::Gpkg,
        ExportFormat::Shp => Format::Shapefile,
        ExportFormat::Kml => Format::Kml,
        ExportFormat::Fgb => Format::FlatGeobuf,
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Pmtiles => bail!("--format pmtiles takes --layers, not --layer"),
    };
    if let Some(out) = &out
        && out.exists()
    {
        bail!("{} already exists; choose a new file", out.display());
    }
    let binary = matches!(
        format,
        Format::Gpkg | Format::Shapefile | Format::FlatGeobuf
    );
    if out.is_none() && binary {
        bail!("--out is required for a binary format (gpkg, shp, fgb)");
    }
    let atlas = kumuh_app::Atlas::new(store.shared());
    let file = kumuh_app::ekspor::ekspor(&atlas, None, lapisan, format)
        .await
        .with_context(|| format!("exporting {layer}"))?;
    match out {
        Some(out) => {
            let mut part = out.as_os_str().to_owned();
            part.push(".part");
            let part = PathBuf::from(part);
            std::fs::write(&part, &file.bytes)
                .and_then(|()| std::fs::rename(&part, &out))
                .inspect_err(|_| {
                    let _ = std::fs::remove_file(&part);
                })
                .with_context(|| format!("writing {}", out.display()))?;
            println!("wrote {}: {} features", out.display(), file.features);
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&file.bytes)
                .and_then(|()| {
                    if file.bytes.ends_with(b"\n") {
                        Ok(())
                    } else {
                        stdout.write_all(b"\n")
                    }
                })
                .context("writing to standard output")?;
        }
    }
    Ok(())
}

async fn export_pmtiles(store: &Opened, args: &ExportArgs) -> anyhow::Result<()> {
    let out = args
        .out
        .as_ref()
        .context("--out is required for --format pmtiles")?;
    if args.basemap.is_some()
        && !out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        bail!(
            "--out {}: with --basemap the package is a ZIP holding two PMTiles archives; name the file NAME.zip",
            out.display()
        );
    }
    if out.exists() {
        bail!("{} already exists; choose a new file", out.display());
    }
    let wilayah = args
        .wilayah
        .as_deref()
        .map(Kode::parse)
        .transpose()
        .context("--wilayah")?;
    // Before the layers are built (which takes seconds on a large atlas).
    if let Some(kode) = &wilayah
        && store.place(kode).await?.is_none()
    {
        bail!("--wilayah: no place {kode} in the store");
    }
    let package = kumuh_app::tiles::Package {
        wilayah,
        layers: args.layers.clone(),
        minzoom: args.minzoom,
        maxzoom: args.maxzoom,
    };
    let pb = spinner("building the tile layers");
    let tiles = kumuh_app::tiles::Tiles::load(&**store, 0)
        .await
        .context("building the tile layers")?;
    let atlas = kumuh_app::Atlas {
        tiles: std::sync::Arc::new(tiles),
        ..atlas(store)
    };
    pb.set_message("writing tiles");
    let paket = kumuh_app::luring::paket(&atlas, &package, args.basemap.as_deref(), None)
        .await
        .map_err(|e| match e {
            // The fields named as this command's flags.
            kumuh_app::AppError::Invalid { field, message } => {
                let flag = match field.as_str() {
                    "lapisan" => "--layers",
                    "minzoom/maxzoom" => "--minzoom/--maxzoom",
                    "peta_dasar" | "" => "--basemap",
                    _ => "--wilayah",
                };
                anyhow::anyhow!("{flag}: {message}")
            }
            other => anyhow::Error::new(other),
        })?;
    // Written beside the target, then renamed: a failed write never leaves half a file.
    crate::dokumen::write_atomic(out, &paket.bytes)?;
    pb.finish_and_clear();
    println!(
        "wrote {}: {} tiles ({} distinct), z{}-z{}, layers {}, {} bytes",
        out.display(),
        paket.ubin.0,
        paket.ubin.1,
        args.minzoom,
        args.maxzoom,
        paket.lapisan.join(","),
        paket.bytes.len()
    );
    if let (Some(name), Some(n)) = (&args.basemap, paket.ubin_peta_dasar) {
        println!("with basemap {name}: {n} tiles, in the same file");
    }
    println!(
        "open it in the viewer without a connection: Lapisan peta → \"Buka berkas PMTiles atau paket ZIP…\" (or drop it on the map)"
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

/// The use cases' view of a store opened by a command (without tile layers: a command
/// draws no map; a serving server's tiles follow the store's change feed).
pub(crate) fn atlas(store: &Opened) -> kumuh_app::Atlas {
    kumuh_app::Atlas::new(store.shared())
}

/// Writes a report's bytes to `out`, or to standard output when there is none; a
/// workbook (`binary`) needs a file. `what` names the report in messages.
pub(crate) fn write_report(
    out: Option<&Path>,
    bytes: &[u8],
    binary: bool,
    what: &str,
) -> anyhow::Result<()> {
    match out {
        Some(out) => {
            std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))
        }
        None if binary => bail!("--out: an XLSX {what} needs a file"),
        None => std::io::stdout()
            .lock()
            .write_all(bytes)
            .with_context(|| format!("writing the {what}")),
    }
}
