//! `kumuh report tunggakan|kinerja`: the UPK's arrears list and indicators from the
//! store, as CSV, XLSX or JSON; and `kumuh import-pinjaman`, a UPK's existing loan book
//! brought in whole (`docs/upk-impor.md`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use kumuh_domain::works::Tanggal;
use kumuh_domain::{Role, User};
use kumuh_store::OpenMode;

use crate::commands::open;
use crate::kegiatan::ReportFormat;

/// Arguments of the UPK's reports.
#[derive(Debug, Args)]
pub struct UpkReportArgs {
    /// Only this place: a desa, or a kecamatan, kabupaten … code.
    #[arg(long)]
    wilayah: Option<String>,
    /// The date, YYYY-MM-DD (today when omitted).
    #[arg(long)]
    per: Option<String>,
    /// Output format (the indicators come as JSON only).
    #[arg(long, default_value = "csv")]
    format: ReportFormat,
    /// Output file (standard output when omitted; XLSX needs a file).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The limits between kolektibilitas classes: `upk-angsuran` (default), `bank-hari`
    /// or a TOML file (as `kumuh serve --kolektibilitas`).
    #[arg(long, env = "KUMUH_KOLEKTIBILITAS")]
    kolektibilitas: Option<String>,
}

/// The kolektibilitas limits `spec` names: a shipped set by its id, else a TOML file;
/// the shipped default without one.
pub fn kolektibilitas(
    spec: Option<&str>,
) -> anyhow::Result<kumuh_domain::upk::AturanKolektibilitas> {
    use kumuh_domain::upk::AturanKolektibilitas;
    let Some(spec) = spec else {
        return Ok(AturanKolektibilitas::bawaan());
    };
    if !Path::new(spec).exists() && !spec.contains(['/', '.']) {
        return AturanKolektibilitas::builtin(spec).context("--kolektibilitas");
    }
    let text = std::fs::read_to_string(spec)
        .with_context(|| format!("--kolektibilitas: reading {spec}"))?;
    AturanKolektibilitas::read(&text, spec).context("--kolektibilitas")
}

/// Whoever runs the command holds the store file itself, so reads as an administrator
/// would; the name is what logs show.
fn operator() -> User {
    User::new("kumuh report", Role::Admin)
}

/// Which UPK report.
#[derive(Debug, Clone, Copy)]
pub enum Laporan {
    /// The arrears list (Daftar Tunggakan).
    Tunggakan,
    /// The indicators (LAR, PAR, repayment rate).
    Kinerja,
}

/// Writes the arrears list or the indicators.
pub async fn report(path: &Path, which: Laporan, args: UpkReportArgs) -> anyhow::Result<()> {
    let wilayah = args
        .wilayah
        .as_deref()
        .map(kumuh_domain::Kode::parse)
        .transpose()
        .context("--wilayah")?;
    let per = args
        .per
        .as_deref()
        .map(Tanggal::parse)
        .transpose()
        .context("--per")?;
    let aturan = kolektibilitas(args.kolektibilitas.as_deref())?;
    let store = open(path, OpenMode::MustExist).await?;
    let atlas = crate::commands::atlas(&store).with_kolektibilitas(std::sync::Arc::new(aturan));
    let mut bytes = Vec::new();
    let rows = match which {
        Laporan::Tunggakan => {
            let t = kumuh_app::upk::tunggakan(&atlas, Some(&operator()), wilayah.as_ref(), per)
                .await
                .context("building the arrears list")?;
            match args.format {
                ReportFormat::Csv => {
                    kumuh_io::upk::tunggakan_csv(&t.daftar, &t.nama_ksm, &mut bytes)?
                }
                ReportFormat::Xlsx => {
                    kumuh_io::upk::tunggakan_xlsx(&t.daftar, &t.nama_ksm, &mut bytes)?;
                }
                ReportFormat::Json => serde_json::to_writer_pretty(&mut bytes, &t)?,
            }
            t.daftar.baris.len()
        }
        Laporan::Kinerja => {
            if !matches!(args.format, ReportFormat::Json) {
                bail!("--format: the indicators come as json only");
            }
            let k = kumuh_app::upk::kinerja(&atlas, wilayah.as_ref(), per)
                .await
                .context("computing the indicators")?;
            serde_json::to_writer_pretty(&mut bytes, &k)?;
            k.per_desa.len()
        }
    };
    store.close().await;
    if matches!(args.format, ReportFormat::Json) {
        bytes.push(b'\n');
    }
    match (&args.out, args.format) {
        (Some(out), _) => {
            std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
            eprintln!("{rows} row(s) written to {}", out.display());
        }
        (None, ReportFormat::Xlsx) => bail!("--out: an XLSX report needs a file"),
        (None, _) => std::io::stdout()
            .lock()
            .write_all(&bytes)
            .context("writing the report")?,
    }
    Ok(())
}

/// Arguments of `kumuh import-pinjaman`.
#[derive(Debug, Args)]
pub struct ImportPinjamanArgs {
    /// The loan book, `.xlsx` or `.csv`: one row per loan (see docs/upk-impor.md).
    #[arg(required_unless_present = "template")]
    file: Option<PathBuf>,
    /// The desa of rows whose `kode_desa` is empty (or of a book without that column).
    #[arg(long)]
    desa: Option<String>,
    /// Check the whole book and say what would be imported; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write the empty template (XLSX, with a `Petunjuk` sheet) to this file instead.
    #[arg(long, value_name = "FILE.xlsx", conflicts_with_all = ["file", "dry_run"])]
    template: Option<PathBuf>,
}

/// The operator of an import holds the store file, so writes as an administrator; the
/// name is what the audit log shows.
fn importer() -> User {
    User::new("kumuh import-pinjaman", Role::Admin)
}

/// Imports a loan book, or writes its template. Every problem is printed, by row and
/// column, and nothing is written while there is one.
pub async fn import_pinjaman(path: &Path, args: ImportPinjamanArgs) -> anyhow::Result<()> {
    if let Some(out) = &args.template {
        let mut bytes = Vec::new();
        kumuh_io::upk::write_template_pinjaman(&mut bytes)?;
        std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))?;
        eprintln!("template written to {}", out.display());
        return Ok(());
    }
    let Some(file) = &args.file else {
        bail!("name the loan book to import, or --template FILE.xlsx");
    };
    let desa = args
        .desa
        .as_deref()
        .map(kumuh_domain::Kode::parse)
        .transpose()
        .context("--desa")?;
    let book = kumuh_io::upk::read_pinjaman(file, desa.as_ref())
        .with_context(|| format!("reading the loan book {}", file.display()))?;
    let store = open(path, OpenMode::MustExist).await?;
    let atlas = crate::commands::atlas(&store);
    let outcome = kumuh_app::upk::impor_pinjaman(&atlas, Some(&importer()), book, args.dry_run)
        .await
        .context("importing the loan book");
    store.close().await;
    let outcome = outcome?;
    if !outcome.masalah.is_empty() {
        for m in &outcome.masalah {
            eprintln!("{}: {m}", file.display());
        }
        bail!(
            "{}: {} problem(s); nothing was imported",
            file.display(),
            outcome.masalah.len()
        );
    }
    let verb = if outcome.ditulis {
        "imported"
    } else {
        "would import (--dry-run)"
    };
    eprintln!(
        "{verb}: {} loan(s), {} new KSM",
        outcome.pinjaman.len(),
        outcome.ksm_baru.len()
    );
    for (id, nama) in &outcome.ksm_baru {
        eprintln!("  new KSM {id}: {nama}");
    }
    Ok(())
}
