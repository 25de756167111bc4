//! A new store's first content: the shipped places, and the illustrative (`contoh`)
//! Bibrik work, slum location, siteplan and KSM that every funding, planning and loan
//! screen can be tried on.

use std::collections::BTreeMap;

use kumuh_domain::Place;
use kumuh_domain::assessment::{Dasar, Hasil, RuleSet};
use kumuh_domain::works::{StatusKegiatan, Tanggal, contoh};
use kumuh_store::{AssessmentRecord, KegiatanWrite, NewAudit, SiteplanWrite, UpsertReport};
use serde_json::json;

use crate::works::{Evaluated, evaluate};
use crate::{AppError, Atlas, Result};

/// Who the audit log names for the seed.
pub(crate) const SEEDER: &str = "kumuh init";

/// Stores `places` (the shipped boundaries); the slum location Bibrik RT 09/10 with its
/// 2017 survey; the Bibrik paving of 2018 with the evaluation its finished segment makes
/// of that location; the Bibrik tourism siteplan and KSM Berkah Jaya of Bibrik, all
/// marked contoh.
pub async fn seed(atlas: &Atlas, places: &[Place]) -> Result<UpsertReport> {
    let report = atlas.store.upsert_places(places).await?;
    atlas
        .store
        .upsert_lokasi(&[contoh::bibrik_lokasi()])
        .await?;
    atlas.store.upsert_assessments(&[survey_2017()?]).await?;
    let bibrik = contoh::bibrik_paving();
    // The evaluation comes from the path every finished segment takes, so the seed
    // shows exactly what finishing the paving does to the location's score.
    let selesai = Tanggal::parse(contoh::BIBRIK_PAVING_SELESAI)
        .map_err(|e| AppError::internal(format!("contoh finishing date: {e}")))?;
    let finished: Vec<_> = bibrik
        .segmen()
        .iter()
        .filter(|s| s.kode_lokasi.is_some() && s.status() == StatusKegiatan::Selesai)
        .map(|s| (s.id().clone(), selesai))
        .collect();
    let Evaluated {
        mut penilaian,
        audit: evaluated,
        kondisi_jaringan,
        ..
    } = evaluate(atlas, &bibrik, &finished).await?;
    for r in &mut penilaian {
        r.result.contoh = true;
    }
    let mut audit = vec![NewAudit {
        pengguna: SEEDER.into(),
        entitas: "kegiatan".into(),
        kunci: bibrik.id().to_string(),
        aksi: "contoh".into(),
        sebelum: None,
        sesudah: Some(json!({"nama": bibrik.nama, "contoh": true})),
    }];
    audit.extend(evaluated.into_iter().map(|a| NewAudit {
        pengguna: SEEDER.into(),
        ..a
    }));
    atlas
        .store
        .save_kegiatan(&KegiatanWrite {
            kegiatan: &bibrik,
            versi: None,
            audit,
            penilaian,
            kondisi_jaringan,
        })
        .await?;
    let siteplan = kumuh_domain::siteplan::contoh_bibrik();
    atlas
        .store
        .save_siteplan(&SiteplanWrite {
            siteplan: &siteplan,
            revisi: None,
            audit: vec![NewAudit {
                pengguna: SEEDER.into(),
                entitas: "siteplan".into(),
                kunci: siteplan.id().to_string(),
                aksi: "contoh".into(),
                sebelum: None,
                sesudah: Some(json!({"judul": siteplan.judul(), "contoh": true})),
            }],
        })
        .await?;
    let ksm = kumuh_domain::upk::contoh::berkah_jaya();
    atlas
        .store
        .save_upk(&kumuh_store::UpkWrite {
            ksm: Some(kumuh_store::Versi {
                isi: &ksm,
                versi: None,
            }),
            audit: vec![NewAudit {
                pengguna: SEEDER.into(),
                entitas: "ksm".into(),
                kunci: ksm.id.to_string(),
                aksi: "contoh".into(),
                sebelum: None,
                sesudah: Some(json!({"nama": ksm.nama, "contoh": true})),
            }],
            ..kumuh_store::UpkWrite::default()
        })
        .await?;
    Ok(report)
}

/// The 2017 survey of Bibrik RT 09/10 scored by the default rule set, as an import of
/// it would store it, marked contoh.
fn survey_2017() -> Result<AssessmentRecord> {
    let rules = RuleSet::default_rules();
    let row = kumuh_io::assessment::AssessmentRow {
        row: 0,
        input: contoh::bibrik_survei_2017(),
        attributes: BTreeMap::new(),
    };
    let assessed = kumuh_io::assessment::assess_rows(&rules, vec![row]);
    let a = assessed
        .first()
        .ok_or_else(|| AppError::internal("the contoh survey was not scored"))?;
    // Illustrative, as the seed's works and siteplans are marked.
    let result = Hasil {
        contoh: true,
        ..kumuh_io::assessment::hasil(a)
    };
    Ok(crate::assessments::record_of(
        a,
        result,
        Dasar::Survei,
        None,
    ))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use kumuh_domain::assessment::SlumClass;
    use kumuh_store::{AssessmentQuery, GpkgStore, OpenMode};

    use super::*;

    #[tokio::test]
    async fn a_new_store_has_the_bibrik_location_before_and_after_the_paving() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = GpkgStore::open(&dir.path().join("new.gpkg"), OpenMode::CreateIfMissing)
            .await
            .unwrap();
        let atlas = Atlas::new(Arc::new(store));
        seed(&atlas, &kumuh_io::seed::jiwan().unwrap())
            .await
            .unwrap();

        let bibrik = kumuh_domain::Kode::parse(contoh::BIBRIK_KODE).unwrap();
        let lokasi = atlas.store.list_lokasi(Some(&bibrik)).await.unwrap();
        assert_eq!(lokasi.len(), 1, "{lokasi:?}");
        assert_eq!(lokasi[0].kode, contoh::BIBRIK_LOKASI_KODE);
        assert_eq!(lokasi[0].attributes["contoh"], true);

        let records = atlas
            .store
            .assessments(&AssessmentQuery {
                kode_lokasi: Some(contoh::BIBRIK_LOKASI_KODE.into()),
                ..AssessmentQuery::default()
            })
            .await
            .unwrap();
        let summary: Vec<_> = records
            .iter()
            .map(|r| (r.tahun, r.dasar.to_string(), r.total, r.class))
            .collect();
        assert_eq!(
            summary,
            [
                (2017, "survei".to_owned(), 16, SlumClass::KumuhRingan),
                (
                    2018,
                    format!(
                        "kegiatan {} segmen S1",
                        contoh::bibrik_paving().id().as_str()
                    ),
                    12,
                    SlumClass::TidakKumuh
                ),
            ]
        );
        for r in &records {
            assert!(r.result.contoh, "{}", r.tahun);
            assert_eq!(r.result_json()["contoh"], true, "{}", r.tahun);
        }
        assert_eq!(records[1].tanggal.as_deref(), Some("2018-08-31"));
        let work = atlas
            .store
            .kegiatan(contoh::bibrik_paving().id().as_str())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            work.kegiatan.segmen()[0].kode_lokasi.as_deref(),
            Some(contoh::BIBRIK_LOKASI_KODE)
        );
    }
}
