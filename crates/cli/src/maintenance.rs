//! Looking after the store: `kumuh check`, `kumuh backup` and `kumuh restore` (files),
//! and `kumuh migrate` (a whole atlas between a file and a PostGIS database).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use kumuh_store::OpenMode;

/// `kumuh check [FILE]`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The file to check (default: the store). It is only read.
    file: Option<PathBuf>,
}

/// `kumuh backup --out FILE [--force]`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy.
    #[arg(long)]
    out: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    force: bool,
}

/// `kumuh restore FILE [--force]`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup: a Kumuh store, as `kumuh backup` writes it.
    file: PathBuf,
    /// Replace the existing store (it is kept as STORE.before-restore).
    #[arg(long)]
    force: bool,
}

/// Runs the full check and lists every problem; any problem is an error.
pub async fn check(store: &Path, args: CheckArgs) -> anyhow::Result<()> {
    if args.file.is_none() && crate::commands::is_database(store) {
        crate::commands::open(store, OpenMode::MustExist)
            .await?
            .gpkg("kumuh check")?;
    }
    let path = args.file.as_deref().unwrap_or(store);
    let report = kumuh_store::check_file(path)
        .await
        .with_context(|| format!("checking {}", path.display()))?;
    if report.is_ok() {
        let version = report.schema_version.unwrap_or_default();
        println!("{}: ok (Kumuh schema version {version})", path.display());
        return Ok(());
    }
    for p in &report.problems {
        println!("{}: {p}", path.display());
    }
    bail!(
        "{}: {} problem(s) found; restore a backup with `kumuh restore FILE`",
        path.display(),
        report.problems.len()
    )
}

/// Writes a consistent copy of the store while it may be in use.
pub async fn backup(store: &Path, args: BackupArgs) -> anyhow::Result<()> {
    let opened = crate::commands::open(store, OpenMode::MustExist).await?;
    let done = opened
        .gpkg("kumuh backup")?
        .backup(&args.out, args.force)
        .await
        .with_context(|| format!("backing up {} to {}", store.display(), args.out.display()));
    opened.close().await;
    done?;
    println!(
        "wrote {} (a copy of {})",
        args.out.display(),
        store.display()
    );
    Ok(())
}

/// Puts a checked backup in place of the store.
pub async fn restore(store: &Path, args: RestoreArgs) -> anyhow::Result<()> {
    if crate::commands::is_database(store) {
        crate::commands::open(store, OpenMode::MustExist)
            .await?
            .gpkg("kumuh restore")?;
    }
    let occupied = std::fs::metadata(store).is_ok_and(|m| m.len() > 0);
    if occupied && !args.force {
        bail!(
            "{} already exists; `kumuh restore {} --force` replaces it (the current store is kept as {}.before-restore)",
            store.display(),
            args.file.display(),
            store.display()
        );
    }
    let report = kumuh_store::restore_file(store, &args.file)
        .await
        .with_context(|| format!("restoring {} from {}", store.display(), args.file.display()))?;
    println!(
        "restored {} from {} (schema version {})",
        store.display(),
        args.file.display(),
        report.schema_version
    );
    if let Some(previous) = &report.previous {
        println!("the previous store is kept as {}", previous.display());
    }
    println!("a running `kumuh serve` on this store must be restarted to use it");
    Ok(())
}

/// `kumuh migrate --from STORE --to STORE [--force]`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The store to copy: a GeoPackage file or a `postgres://` URL.
    #[arg(long, value_name = "STORE")]
    from: PathBuf,
    /// The store to copy into: a GeoPackage file or a `postgres://` URL, created (empty)
    /// when missing.
    #[arg(long, value_name = "STORE")]
    to: PathBuf,
    /// Replace what the target holds (by default a target that holds records is refused).
    #[arg(long)]
    force: bool,
}

/// Copies the whole atlas of one store into another: places, locations, lines,
/// assessments, users (with their password hashes), works and siteplans with their
/// versions, and the audit log. API tokens stay behind: users sign in again.
pub async fn migrate(args: MigrateArgs) -> anyhow::Result<()> {
    if args.from == args.to {
        bail!("--from and --to name the same store");
    }
    let (from, _) = crate::commands::open_unseeded(&args.from, OpenMode::MustExist).await?;
    let (to, _) = crate::commands::open_unseeded(&args.to, OpenMode::CreateIfMissing).await?;
    let copied = async {
        let atlas = kumuh_store::AtlasCopy::read(&*from, true)
            .await
            .with_context(|| format!("reading {}", from.location()))?;
        match &to {
            crate::commands::Opened::Gpkg(s) => s.load_atlas(&atlas, args.force).await,
            crate::commands::Opened::Postgis(s) => s.load_atlas(&atlas, args.force).await,
        }
        .with_context(|| format!("copying into {}", to.location()))?;
        // Basemaps follow, a basemap a transaction, their tiles a page at a time.
        let basemaps = kumuh_store::copy_peta_dasar(&*from.shared(), &*to.shared())
            .await
            .with_context(|| format!("copying the basemaps into {}", to.location()))?;
        anyhow::Ok((atlas.records(), basemaps))
    }
    .await;
    from.close().await;
    to.close().await;
    let (records, basemaps) = copied?;
    println!(
        "copied {records} records and {basemaps} basemap(s) from {} to {}",
        from.location(),
        to.location()
    );
    Ok(())
}
