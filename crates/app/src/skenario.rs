//! Budget scenarios (skenario anggaran): which planned works to fund next.
//!
//! A read for every signed-in role: it simulates and writes nothing.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use kumuh_domain::assessment::RuleSet;
use kumuh_domain::skenario::{self, Anggaran, AturanTingkat, Lokasi, Permintaan, Skenario, Tujuan};
use kumuh_domain::works::{Kegiatan, KegiatanId, StatusKegiatan, SumberDana};
use kumuh_domain::{Kode, User};
use kumuh_store::{AssessmentQuery, AssessmentRecord, KegiatanQuery};

use crate::{AppError, Atlas, Result};

/// The question of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct SkenarioCommand {
    /// The place whose works and locations are weighed (a desa or any place above it).
    pub wilayah: Kode,
    /// The envelope(s).
    pub anggaran: Anggaran,
    /// Only these works (each must be planned, `rencana`); all planned works of the
    /// place when `None`.
    pub kandidat: Option<Vec<KegiatanId>>,
    /// What to maximise.
    pub tujuan: Tujuan,
    /// Who is responsible for a location of which size.
    pub aturan_tingkat: AturanTingkat,
    /// The year the works would be finished; the current year's next when `None`.
    pub tahun: Option<u16>,
}

/// Checks an envelope: whole rupiah, not negative, at least one source.
pub fn check_anggaran(anggaran: &Anggaran) -> Result<()> {
    let bad = |field: &str, rp: i64| -> Result<()> {
        if rp < 0 {
            return Err(AppError::invalid(field, "an envelope cannot be negative"));
        }
        if rp > skenario::MAX_ANGGARAN_RP {
            return Err(AppError::invalid(
                field,
                format!(
                    "an envelope holds at most {} rupiah",
                    skenario::MAX_ANGGARAN_RP
                ),
            ));
        }
        Ok(())
    };
    match anggaran {
        Anggaran::Total(rp) => bad("anggaran_rp", *rp),
        Anggaran::PerSumber(m) => {
            if m.is_empty() {
                return Err(AppError::invalid(
                    "anggaran",
                    "name at least one funding source with its envelope",
                ));
            }
            for (s, rp) in m {
                bad(&format!("anggaran.{s}"), *rp)?;
            }
            Ok(())
        }
    }
}

/// Weighs the planned works of a place against the envelope, for a signed-in user of
/// any role.
pub async fn hitung_as(
    atlas: &Atlas,
    user: Option<&User>,
    cmd: SkenarioCommand,
) -> Result<Skenario> {
    if user.is_none() {
        return Err(AppError::Unauthenticated(
            "sign in first: budget scenarios are for signed-in users".to_owned(),
        ));
    }
    hitung(atlas, cmd).await
}

/// Weighs the planned works of a place against the envelope, for whoever holds the
/// store (the command line).
pub async fn hitung(atlas: &Atlas, cmd: SkenarioCommand) -> Result<Skenario> {
    check_anggaran(&cmd.anggaran)?;
    let AturanTingkat {
        batas_kabupaten_ha: lo,
        batas_provinsi_ha: hi,
    } = cmd.aturan_tingkat;
    if !(lo.is_finite() && hi.is_finite() && lo >= 0.0 && hi >= lo) {
        return Err(AppError::invalid(
            "aturan_tingkat",
            "the limits must be hectares with batas_kabupaten_ha ≤ batas_provinsi_ha",
        ));
    }
    let store = atlas.store.as_ref();
    let works = store
        .list_kegiatan(&KegiatanQuery {
            wilayah: Some(cmd.wilayah.clone()),
            tahun: None,
        })
        .await?;
    let by_id: HashMap<&KegiatanId, &Kegiatan> = works
        .iter()
        .map(|w| (w.kegiatan.id(), &w.kegiatan))
        .collect();
    let kandidat: Vec<&Kegiatan> = match &cmd.kandidat {
        None => works
            .iter()
            .map(|w| &w.kegiatan)
            .filter(|k| k.status() == StatusKegiatan::Rencana)
            .collect(),
        Some(ids) => {
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                let Some(k) = by_id.get(id) else {
                    return Err(AppError::invalid(
                        "kandidat",
                        format!("work {id} is not a work of {}", cmd.wilayah),
                    ));
                };
                if k.status() != StatusKegiatan::Rencana {
                    return Err(AppError::invalid(
                        "kandidat",
                        format!(
                            "work {id} is `{}`, not `rencana`: only planned works are candidates",
                            k.status()
                        ),
                    ));
                }
                out.push(*k);
            }
            out
        }
    };
    if kandidat.len() > skenario::MAX_KANDIDAT {
        return Err(AppError::invalid(
            "kandidat",
            format!(
                "{} candidate works; a scenario weighs at most {}",
                kandidat.len(),
                skenario::MAX_KANDIDAT
            ),
        ));
    }
    let lokasi = locations(atlas, &cmd.wilayah).await?;
    let tahun = cmd.tahun.unwrap_or_else(|| {
        lokasi
            .values()
            .map(|l| l.masukan.tahun)
            .max()
            .unwrap_or(2024)
            .saturating_add(1)
    });
    let permintaan = Permintaan {
        anggaran: cmd.anggaran,
        tujuan: cmd.tujuan,
        aturan_tingkat: cmd.aturan_tingkat,
        tahun,
    };
    // Scoring every subset of every group is CPU work: off the async workers.
    let owned: Vec<Kegiatan> = kandidat.into_iter().cloned().collect();
    tokio::task::spawn_blocking(move || {
        let refs: Vec<&Kegiatan> = owned.iter().collect();
        skenario::hitung(&lokasi, &refs, &permintaan)
    })
    .await
    .map_err(AppError::internal)
}

/// The slum locations of a place with their last survey, each with the rule set it was
/// scored with and its area: the geodesic area of its mapped boundary where there is
/// one, else the surveyed hectares.
async fn locations(atlas: &Atlas, wilayah: &Kode) -> Result<BTreeMap<String, Lokasi>> {
    let store = atlas.store.as_ref();
    let records = store
        .assessments(&AssessmentQuery {
            wilayah: Some(wilayah.clone()),
            ..AssessmentQuery::default()
        })
        .await?;
    let mapped: HashMap<String, f64> = store
        .list_lokasi(None)
        .await?
        .into_iter()
        .filter(|l| l.kode_desa.as_str().starts_with(wilayah.as_str()))
        .map(|l| (l.kode.clone(), l.area_ha()))
        .collect();
    let mut rules: HashMap<String, Arc<RuleSet>> = HashMap::new();
    let mut out = BTreeMap::new();
    // Records come ordered by location and year: the last of each location is its latest.
    let mut latest: BTreeMap<&str, &AssessmentRecord> = BTreeMap::new();
    for r in &records {
        latest.insert(r.kode_lokasi.as_str(), r);
    }
    for (code, r) in latest {
        let Some(masukan) = r.masukan.clone() else {
            continue;
        };
        let aturan = match rules.get(&r.rule_set_id) {
            Some(a) => a.clone(),
            None => {
                let Ok(a) = RuleSet::builtin(&r.rule_set_id) else {
                    continue;
                };
                let a = Arc::new(a);
                rules.insert(r.rule_set_id.clone(), a.clone());
                a
            }
        };
        let luas_ha = mapped
            .get(code)
            .copied()
            .filter(|ha| *ha > 0.0)
            .unwrap_or(masukan.luas_ha);
        out.insert(
            code.to_owned(),
            Lokasi {
                masukan,
                aturan,
                luas_ha,
            },
        );
    }
    Ok(out)
}

/// Reads a funding-source id of an envelope.
pub fn sumber(text: &str) -> Result<SumberDana> {
    text.parse::<SumberDana>()
        .map_err(|e| AppError::invalid(&format!("anggaran.{text}"), e.to_string()))
}
