//! `kumuh report tunggakan|kinerja`: the UPK's arrears list and indicators from the
//! store, as CSV, XLSX or JSON.

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
    let store = open(path, OpenMode::MustExist).await?;
    let atlas = crate::commands::atlas(&store);
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
