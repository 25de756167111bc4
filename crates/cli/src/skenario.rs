//! `kumuh skenario`: which planned works to fund for the most slum taken out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use kumuh_app::skenario::{SkenarioCommand, sumber};
use kumuh_domain::skenario::{Anggaran, AturanTingkat, Tujuan};
use kumuh_domain::works::{KegiatanId, Rupiah};
use kumuh_store::OpenMode;

use crate::commands::open;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SkenarioFormat {
    Json,
    Xlsx,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TujuanArg {
    /// Hectares leaving the slum classes.
    LuasKeluarKumuhHa,
    /// The fall of the scores weighted by hectares.
    PenurunanNilai,
}

#[derive(Debug, Args)]
pub struct SkenarioArgs {
    /// The place whose planned works are weighed: a desa, kecamatan or kabupaten code.
    #[arg(long)]
    wilayah: String,
    /// One envelope for any work, e.g. `500000000` or `Rp 500.000.000`.
    #[arg(long, conflicts_with = "sumber")]
    anggaran: Option<String>,
    /// An envelope per funding source in whole rupiah, e.g.
    /// `apbd_kabupaten=300000000,dana_desa=100000000`; each pays only where its level
    /// may (Dana Desa, swadaya, CSR anywhere).
    #[arg(long, value_delimiter = ',', value_name = "SUMBER=RP")]
    sumber: Vec<String>,
    /// Only these works (comma-separated ids); all planned works of the place otherwise.
    #[arg(long, value_delimiter = ',')]
    kandidat: Vec<String>,
    /// What to maximise.
    #[arg(long, value_enum, default_value = "luas-keluar-kumuh-ha")]
    tujuan: TujuanArg,
    /// Below this many hectares a location is the kabupaten's.
    #[arg(long, default_value_t = 10.0)]
    batas_kabupaten_ha: f64,
    /// Up to this many hectares the province's; above it the nation's.
    #[arg(long, default_value_t = 15.0)]
    batas_provinsi_ha: f64,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: SkenarioFormat,
    /// Output file (standard output when omitted; XLSX needs a file).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn command(args: &SkenarioArgs) -> anyhow::Result<SkenarioCommand> {
    let wilayah = kumuh_domain::Kode::parse(&args.wilayah).context("--wilayah")?;
    let anggaran = match (&args.anggaran, args.sumber.is_empty()) {
        (Some(text), true) => Anggaran::Total(Rupiah::parse(text).context("--anggaran")?.get()),
        (None, false) => {
            let mut m = BTreeMap::new();
            for pair in &args.sumber {
                let Some((s, rp)) = pair.split_once('=') else {
                    bail!("--sumber: `{pair}` is not SUMBER=RP");
                };
                let rp = Rupiah::parse(rp).with_context(|| format!("--sumber {s}"))?;
                m.insert(sumber(s.trim())?, rp.get());
            }
            Anggaran::PerSumber(m)
        }
        _ => bail!("give --anggaran (one envelope) or --sumber (an envelope per source)"),
    };
    let kandidat = if args.kandidat.is_empty() {
        None
    } else {
        Some(
            args.kandidat
                .iter()
                .map(|id| KegiatanId::new(id.as_str()).context("--kandidat"))
                .collect::<anyhow::Result<Vec<_>>>()?,
        )
    };
    Ok(SkenarioCommand {
        wilayah,
        anggaran,
        kandidat,
        tujuan: match args.tujuan {
            TujuanArg::LuasKeluarKumuhHa => Tujuan::LuasKeluarKumuhHa,
            TujuanArg::PenurunanNilai => Tujuan::PenurunanNilai,
        },
        aturan_tingkat: AturanTingkat {
            batas_kabupaten_ha: args.batas_kabupaten_ha,
            batas_provinsi_ha: args.batas_provinsi_ha,
        },
        tahun: None,
    })
}

pub async fn run(path: &Path, args: SkenarioArgs) -> anyhow::Result<()> {
    let cmd = command(&args)?;
    let store = open(path, OpenMode::MustExist).await?;
    let s = kumuh_app::skenario::hitung(&crate::commands::atlas(&store), cmd)
        .await
        .context("weighing the scenario")?;
    store.close().await;
    let mut bytes = Vec::new();
    match args.format {
        SkenarioFormat::Json => {
            serde_json::to_writer_pretty(&mut bytes, &s)?;
            bytes.push(b'\n');
        }
        SkenarioFormat::Xlsx => kumuh_io::skenario::skenario_xlsx(&s, &mut bytes)?,
    }
    eprintln!(
        "{} work(s) chosen for {} of {}: {:.2} ha leave the slum classes{}",
        s.terpilih.len(),
        Rupiah::new(s.biaya_rp)
            .map(|r| r.to_string())
            .unwrap_or_default(),
        Rupiah::new(s.anggaran_rp)
            .map(|r| r.to_string())
            .unwrap_or_default(),
        s.luas_keluar_kumuh_ha,
        if s.optimal {
            " (optimal)"
        } else {
            " (not proven optimal)"
        }
    );
    crate::commands::write_report(
        args.out.as_deref(),
        &bytes,
        matches!(args.format, SkenarioFormat::Xlsx),
        "scenario",
    )?;
    Ok(())
}
