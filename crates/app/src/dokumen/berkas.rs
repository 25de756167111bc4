//! A document as bytes to send or save: gathered, then written as HTML or XLSX on the
//! blocking pool. The server and the CLI both come through here.

use std::str::FromStr;

use crate::{AppError, Atlas, Result};

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jenis {
    /// The profile of a desa, kecamatan or kabupaten (`profil`).
    Profil,
    /// The RPLP of a desa (`rplp`).
    Rplp,
    /// The SK Kumuh annex of a kabupaten or kecamatan in a year, compared with another
    /// year when `banding` is given (`sk-kumuh`).
    SkKumuh {
        /// The year; the latest with a record when `None`.
        tahun: Option<u16>,
        /// The year to compare with.
        banding: Option<u16>,
    },
}

impl Jenis {
    /// The code in URLs and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Jenis::Profil => "profil",
            Jenis::Rplp => "rplp",
            Jenis::SkKumuh { .. } => "sk-kumuh",
        }
    }
}

/// The file format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One printable HTML page (`html`).
    Html,
    /// A workbook with named sheets (`xlsx`).
    Xlsx,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Format, String> {
        match s {
            "html" => Ok(Format::Html),
            "xlsx" => Ok(Format::Xlsx),
            other => Err(format!(
                "unknown format `{other}`, expected one of: html, xlsx"
            )),
        }
    }
}

/// A document asked for.
#[derive(Debug, Clone)]
pub struct Permintaan {
    /// Which document.
    pub jenis: Jenis,
    /// The code of the place it is about.
    pub wilayah: String,
    /// In which format.
    pub format: Format,
}

/// A written document.
#[derive(Debug, Clone)]
pub struct Berkas {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its media type.
    pub content_type: &'static str,
    /// A file name for it (`profil-35.19.09.2014.xlsx`).
    pub file_name: String,
}

/// The media type of HTML pages.
pub const HTML: &str = "text/html; charset=utf-8";
/// The media type of workbooks.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn written<T: Send + 'static>(
    doc: T,
    format: Format,
    html: fn(&T) -> String,
    xlsx: fn(&T, &mut dyn std::io::Write) -> std::result::Result<(), kumuh_io::dokumen::Error>,
) -> Result<(Vec<u8>, &'static str)> {
    match format {
        Format::Html => Ok((html(&doc).into_bytes(), HTML)),
        Format::Xlsx => {
            let mut out = Vec::new();
            xlsx(&doc, &mut out).map_err(AppError::internal)?;
            Ok((out, XLSX))
        }
    }
}

/// Gathers and writes the document asked for.
pub async fn berkas(atlas: &Atlas, p: Permintaan) -> Result<Berkas> {
    use kumuh_io::dokumen as io;
    let ext = match p.format {
        Format::Html => "html",
        Format::Xlsx => "xlsx",
    };
    let (bytes, content_type) = match p.jenis {
        Jenis::Profil => {
            let doc = super::profil::profil(atlas, &p.wilayah).await?;
            crate::blocking(move || written(doc, p.format, io::profil_html, io::profil_xlsx))
                .await?
        }
        Jenis::Rplp => {
            let doc = super::rplp::rplp(atlas, &p.wilayah).await?;
            crate::blocking(move || written(doc, p.format, io::rplp_html, io::rplp_xlsx)).await?
        }
        Jenis::SkKumuh { tahun, banding } => {
            let doc = super::sk_kumuh::sk_kumuh(atlas, &p.wilayah, tahun, banding).await?;
            crate::blocking(move || written(doc, p.format, io::sk_html, io::sk_xlsx)).await?
        }
    };
    let name = match p.jenis {
        Jenis::SkKumuh { tahun: Some(t), .. } => format!("lampiran-sk-kumuh-{}-{t}", p.wilayah),
        Jenis::SkKumuh { .. } => format!("lampiran-sk-kumuh-{}", p.wilayah),
        j => format!("{}-{}", j.as_str(), p.wilayah),
    };
    Ok(Berkas {
        bytes,
        content_type,
        file_name: format!("{name}.{ext}"),
    })
}
