//! `kumuh report` and `kumuh call`: reports from the store, and any API request made
//! in-process as a named user, so that every write the viewer can make can also be
//! scripted, through the same checks, authorization and audit log.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use kumuh_store::OpenMode;

use crate::commands::open;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Who paid what: one row per segment, source and fiscal year (CSV columns
    /// kode_desa,desa,kegiatan,segmen,sumber,tahun,alokasi_rp,realisasi_rp); also
    /// `report funding`, its earlier name.
    #[command(alias = "funding")]
    Pendanaan(FundingArgs),
    /// The UPK's arrears list (Daftar Tunggakan) on a date: one row per loan behind.
    Tunggakan(crate::upk::UpkReportArgs),
    /// The UPK's indicators (LAR, PAR, repayment rate) of an area and its desa, as JSON.
    Kinerja(crate::upk::UpkReportArgs),
    /// The profile of a desa, kecamatan or kabupaten: map, slum locations and classes,
    /// hectares per year, works and money, maintenance cash, loans as totals.
    Profil(crate::dokumen::DokumenArgs),
    /// The RPLP of a desa: its profile, the investment plan, siteplans and targets.
    Rplp(crate::dokumen::DokumenArgs),
    /// The SK Kumuh annex of a kabupaten or kecamatan in a year, with a comparison.
    SkKumuh(crate::dokumen::SkArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Csv,
    Xlsx,
    Json,
}

#[derive(Debug, Args)]
pub struct FundingArgs {
    /// Output format.
    #[arg(long, default_value = "csv")]
    format: ReportFormat,
    /// Only works in this place: a desa, or a kecamatan, kabupaten … code.
    #[arg(long)]
    wilayah: Option<String>,
    /// Leave out illustrative (contoh) works, for official figures.
    #[arg(long)]
    tanpa_contoh: bool,
    /// Output file (standard output when omitted; XLSX needs a file).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub async fn report(path: &Path, cmd: ReportCommand) -> anyhow::Result<()> {
    let args = match cmd {
        ReportCommand::Pendanaan(args) => args,
        ReportCommand::Tunggakan(args) => {
            return crate::upk::report(path, crate::upk::Laporan::Tunggakan, args).await;
        }
        ReportCommand::Kinerja(args) => {
            return crate::upk::report(path, crate::upk::Laporan::Kinerja, args).await;
        }
        ReportCommand::Profil(args) => {
            return crate::dokumen::run(path, crate::dokumen::Dokumen::Profil(args)).await;
        }
        ReportCommand::Rplp(args) => {
            return crate::dokumen::run(path, crate::dokumen::Dokumen::Rplp(args)).await;
        }
        ReportCommand::SkKumuh(args) => {
            return crate::dokumen::run(path, crate::dokumen::Dokumen::SkKumuh(args)).await;
        }
    };
    let wilayah = args
        .wilayah
        .as_deref()
        .map(kumuh_domain::Kode::parse)
        .transpose()
        .context("--wilayah")?;
    let store = open(path, OpenMode::MustExist).await?;
    let report =
        kumuh_app::laporan::pendanaan(&crate::commands::atlas(&store), wilayah, !args.tanpa_contoh)
            .await
            .context("building the funding report")?;
    store.close().await;
    let mut bytes = Vec::new();
    match args.format {
        ReportFormat::Csv => kumuh_io::laporan::funding_csv(&report, &mut bytes)?,
        ReportFormat::Xlsx => kumuh_io::laporan::funding_xlsx(&report, &mut bytes)?,
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut bytes, &report)?;
            bytes.push(b'\n');
        }
    }
    crate::commands::write_report(
        args.out.as_deref(),
        &bytes,
        matches!(args.format, ReportFormat::Xlsx),
        "report",
    )?;
    if let Some(out) = &args.out {
        eprintln!(
            "{} row(s) of funding written to {}",
            report.rows.len(),
            out.display()
        );
    }
    Ok(())
}

#[derive(Debug, Args)]
pub struct CallArgs {
    /// HTTP method: GET, POST, PUT, PATCH or DELETE.
    method: String,
    /// Path of the API, e.g. /api/kegiatan/K1/segmen/S1/alokasi.
    path: String,
    /// JSON body, or @FILE to read it from a file.
    #[arg(long)]
    data: Option<String>,
    /// Act as this user (the audit log records them); reads need no user.
    #[arg(long = "as", value_name = "USER")]
    user: Option<String>,
    /// Send `If-Match` with this version, to refuse the change if the record moved on.
    #[arg(long)]
    if_match: Option<i64>,
}

/// Lifetime of the token a call makes for its user: just the call.
const CALL_TOKEN_SECS: i64 = 300;

pub async fn call(path: &Path, args: CallArgs) -> anyhow::Result<()> {
    if !args.path.starts_with("/api/") {
        bail!("the path must start with /api/, e.g. /api/kegiatan");
    }
    let body = match args.data.as_deref() {
        None => None,
        Some(d) => {
            let text = match d.strip_prefix('@') {
                Some(file) => std::fs::read_to_string(file)
                    .with_context(|| format!("reading the body from {file}"))?,
                None => d.to_owned(),
            };
            let v: serde_json::Value =
                serde_json::from_str(&text).context("--data is not valid JSON")?;
            Some(v.to_string())
        }
    };
    let store = open(path, OpenMode::MustExist).await?;
    let mut token = None;
    if let Some(username) = &args.user {
        let known = store.list_users().await?;
        if !known.iter().any(|u| &u.username == username) {
            bail!("--as: no user `{username}`; add one with `kumuh user add`");
        }
        let (t, _) = kumuh_app::users::issue_token(
            &crate::commands::atlas(&store),
            username,
            CALL_TOKEN_SECS,
        )
        .await?;
        token = Some(t);
    }
    let state = kumuh_server::AppState::new(store.shared(), kumuh_server::Config::default());
    let res = kumuh_server::call_local(
        state,
        kumuh_server::LocalRequest {
            method: args.method.clone(),
            path: args.path.clone(),
            token,
            if_match: args.if_match,
            body,
        },
    )
    .await
    .map_err(anyhow::Error::msg)?;
    store.close().await;
    let mut out = std::io::stdout().lock();
    match serde_json::from_slice::<serde_json::Value>(&res.body) {
        Ok(v) => {
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        Err(_) => out.write_all(&res.body)?,
    }
    if !(200..300).contains(&res.status) {
        bail!(
            "the API answered {} for {} {}",
            res.status,
            args.method,
            args.path
        );
    }
    Ok(())
}
