//! `kumuh report profil|rplp|sk-kumuh`: the printable planning documents as HTML or XLSX,
//! the same bytes `GET /api/dokumen/...` answers, written without a server.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use kumuh_app::dokumen::{Format, Jenis, Permintaan};
use kumuh_store::OpenMode;

use crate::commands::open;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DokumenFormat {
    /// One HTML page to print on A4 (or save as PDF from a browser).
    Html,
    /// A workbook with named sheets.
    Xlsx,
}

#[derive(Debug, Args)]
pub struct DokumenArgs {
    /// The place: a desa, kecamatan or kabupaten code (a desa for the RPLP; a kabupaten
    /// or kecamatan for the SK annex).
    #[arg(long)]
    wilayah: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "html")]
    format: DokumenFormat,
    /// Output file, written under a temporary name and renamed when complete (standard
    /// output when omitted; XLSX needs a file).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SkArgs {
    #[command(flatten)]
    dokumen: DokumenArgs,
    /// The year of the table (the latest year with a record by default).
    #[arg(long)]
    tahun: Option<u16>,
    /// A second year to compare hectares by class with.
    #[arg(long)]
    banding: Option<u16>,
}

/// Which document the command asked for.
pub enum Dokumen {
    Profil(DokumenArgs),
    Rplp(DokumenArgs),
    SkKumuh(SkArgs),
}

/// Writes `bytes` to `out` under a temporary name beside it, then renames it, so that a
/// reader never sees half a document and a failed write leaves the old file (if any).
pub(crate) fn write_atomic(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let name = out
        .file_name()
        .with_context(|| format!("--out {}: not a file name", out.display()))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = out.with_file_name(tmp_name);
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .with_context(|| format!("writing {}", tmp.display()));
    let renamed = written.and_then(|()| {
        std::fs::rename(&tmp, out).with_context(|| format!("renaming to {}", out.display()))
    });
    if renamed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    renamed
}

pub async fn run(path: &Path, cmd: Dokumen) -> anyhow::Result<()> {
    let (jenis, args) = match cmd {
        Dokumen::Profil(a) => (Jenis::Profil, a),
        Dokumen::Rplp(a) => (Jenis::Rplp, a),
        Dokumen::SkKumuh(a) => (
            Jenis::SkKumuh {
                tahun: a.tahun,
                banding: a.banding,
            },
            a.dokumen,
        ),
    };
    let format = match args.format {
        DokumenFormat::Html => Format::Html,
        DokumenFormat::Xlsx => Format::Xlsx,
    };
    if args.out.is_none() && format == Format::Xlsx {
        bail!("--out: an XLSX document needs a file");
    }
    let store = open(path, OpenMode::MustExist).await?;
    let file = kumuh_app::dokumen::berkas(
        &crate::commands::atlas(&store),
        Permintaan {
            jenis,
            wilayah: args.wilayah.clone(),
            format,
        },
    )
    .await
    .with_context(|| format!("building the {} of {}", jenis.as_str(), args.wilayah))?;
    store.close().await;
    match &args.out {
        Some(out) => {
            write_atomic(out, &file.bytes)?;
            eprintln!("{}: {} bytes", out.display(), file.bytes.len());
        }
        None => std::io::stdout()
            .lock()
            .write_all(&file.bytes)
            .context("writing the document")?,
    }
    Ok(())
}
