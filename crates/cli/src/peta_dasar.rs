//! `kumuh basemap`: register, list and remove the basemaps the viewer offers under the
//! atlas layers (docs/peta-dasar.md).

use anyhow::{Context, bail};
use clap::Subcommand;
use kumuh_app::peta_dasar::{Sumber, Tambah};
use kumuh_domain::{Role, User};
use kumuh_store::OpenMode;

use crate::commands::{atlas, open};

#[derive(Debug, Subcommand)]
pub enum BasemapCommand {
    /// Register a basemap (replacing one of the same name): a raster MBTiles or PMTiles
    /// file, whose tiles are kept in the store, or an XYZ tile URL template such as
    /// `https://tile.example.org/{z}/{x}/{y}.png`, which browsers fetch themselves.
    Add {
        /// The file or the URL template.
        source: String,
        /// Its name: a-z, 0-9 and '-' (e.g. drone-bibrik-2024).
        #[arg(long)]
        name: String,
        /// What the viewer's picker shows (default: the name).
        #[arg(long)]
        title: Option<String>,
        /// The attribution shown with it (a file's own metadata when omitted).
        #[arg(long)]
        attribution: Option<String>,
        /// A URL template's zoom range, `MIN-MAX` (default 0-19).
        #[arg(long)]
        zoom: Option<String>,
        /// A URL template's extent, `west,south,east,north` in degrees.
        #[arg(long)]
        bounds: Option<String>,
    },
    /// List the registered basemaps.
    List,
    /// Write a kept basemap's tiles over a place as a raster PMTiles file, to open in the
    /// viewer beside the atlas package and draw over imagery offline.
    Export {
        /// Its name.
        name: String,
        /// The place whose boundary's box it covers (default: the whole basemap).
        #[arg(long)]
        wilayah: Option<String>,
        /// The file to write (`.pmtiles`).
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Remove a basemap and its tiles.
    Remove {
        /// Its name.
        name: String,
    },
}

/// Whoever runs the command holds the store itself, so registers as an administrator;
/// the audit line names the command.
fn operator() -> User {
    User::new("kumuh basemap", Role::Admin)
}

fn zoom(text: &str) -> anyhow::Result<(u8, u8)> {
    let (a, b) = text
        .split_once('-')
        .with_context(|| format!("--zoom {text:?}: expected MIN-MAX, e.g. 0-19"))?;
    let n = |v: &str| {
        v.trim()
            .parse::<u8>()
            .with_context(|| format!("--zoom {text:?}: {v:?} is not a zoom level"))
    };
    Ok((n(a)?, n(b)?))
}

fn bounds(text: &str) -> anyhow::Result<[f64; 4]> {
    kumuh_domain::geometry::parse_bbox(text)
        .with_context(|| format!("--bounds {text:?}: expected west,south,east,north in degrees"))
}

pub async fn run(path: &std::path::Path, cmd: BasemapCommand) -> anyhow::Result<()> {
    let store = open(path, OpenMode::MustExist).await?;
    let atlas = atlas(&store);
    let done = match cmd {
        BasemapCommand::Add {
            source,
            name,
            title,
            attribution,
            zoom: z,
            bounds: b,
        } => {
            let sumber = Sumber::parse(&source);
            if matches!(sumber, Sumber::Berkas(_)) && (z.is_some() || b.is_some()) {
                bail!(
                    "--zoom and --bounds are for a URL template; a file's come from its tiles and metadata"
                );
            }
            let cmd = Tambah {
                nama: name,
                judul: title,
                atribusi: attribution,
                zoom: z.as_deref().map(zoom).transpose()?,
                batas: b.as_deref().map(bounds).transpose()?,
            };
            let user = operator();
            let p = kumuh_app::peta_dasar::tambah(&atlas, Some(&user), &sumber, &cmd)
                .await
                .with_context(|| format!("adding basemap {} from {source}", cmd.nama))?;
            if p.jenis == "berkas" {
                eprintln!(
                    "basemap {} ({}): {} tiles, {} bytes, zoom {}-{}, kept in the store",
                    p.nama, p.judul, p.jumlah_ubin, p.ukuran_byte, p.minzoom, p.maxzoom
                );
            } else {
                eprintln!("basemap {} ({}): {}", p.nama, p.judul, p.ubin);
            }
            Ok(())
        }
        BasemapCommand::List => {
            let list = kumuh_app::peta_dasar::daftar(&atlas).await?;
            if list.is_empty() {
                eprintln!("no basemaps; add one with `kumuh basemap add FILE|URL --name NAME`");
            }
            for p in list {
                let what = if p.jenis == "berkas" {
                    format!("{} tiles, {} bytes", p.jumlah_ubin, p.ukuran_byte)
                } else {
                    p.ubin.clone()
                };
                println!(
                    "{}\t{}\t{}\tzoom {}-{}\t{}",
                    p.nama, p.judul, p.jenis, p.minzoom, p.maxzoom, what
                );
            }
            Ok(())
        }
        BasemapCommand::Export { name, wilayah, out } => {
            let kode = wilayah
                .as_deref()
                .map(kumuh_domain::Kode::parse)
                .transpose()
                .context("--wilayah")?;
            let paket = kumuh_app::peta_dasar::luring(&atlas, &name, kode.as_ref())
                .await
                .with_context(|| format!("packing basemap {name}"))?;
            crate::dokumen::write_atomic(&out, &paket.bytes)?;
            eprintln!(
                "{}: {} tiles of basemap {name}, {} bytes",
                out.display(),
                paket.jumlah_ubin,
                paket.bytes.len()
            );
            Ok(())
        }
        BasemapCommand::Remove { name } => {
            let user = operator();
            kumuh_app::peta_dasar::hapus(&atlas, Some(&user), &name)
                .await
                .with_context(|| format!("removing basemap {name}"))?;
            eprintln!("basemap {name} removed");
            Ok(())
        }
    };
    store.close().await;
    done
}
