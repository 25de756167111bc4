//! A new store's first content: the shipped places, and the illustrative (`contoh`)
//! Bibrik work, siteplan and KSM that every funding, planning and loan screen can be
//! tried on.

use kumuh_domain::Place;
use kumuh_store::{KegiatanWrite, NewAudit, SiteplanWrite, UpsertReport};
use serde_json::json;

use crate::{Atlas, Result};

/// Who the audit log names for the seed.
pub(crate) const SEEDER: &str = "kumuh init";

/// Stores `places` (the shipped boundaries) and the Bibrik paving of 2018, the Bibrik
/// tourism siteplan and KSM Berkah Jaya of Bibrik, all marked contoh.
pub async fn seed(atlas: &Atlas, places: &[Place]) -> Result<UpsertReport> {
    let report = atlas.store.upsert_places(places).await?;
    let bibrik = kumuh_domain::works::contoh::bibrik_paving();
    atlas
        .store
        .save_kegiatan(&KegiatanWrite {
            kegiatan: &bibrik,
            versi: None,
            audit: vec![NewAudit {
                pengguna: SEEDER.into(),
                entitas: "kegiatan".into(),
                kunci: bibrik.id().to_string(),
                aksi: "contoh".into(),
                sebelum: None,
                sesudah: Some(json!({"nama": bibrik.nama, "contoh": true})),
            }],
            penilaian: vec![],
            kondisi_jaringan: vec![],
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
