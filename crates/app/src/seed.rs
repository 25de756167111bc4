//! A new store's first content: the shipped places, and the illustrative (`contoh`)
//! Bibrik work and siteplan that every funding and planning screen can be tried on.

use kumuh_domain::Place;
use kumuh_store::{KegiatanWrite, NewAudit, SiteplanWrite, UpsertReport};
use serde_json::json;

use crate::{Atlas, Result};

/// Who the audit log names for the seed.
pub(crate) const SEEDER: &str = "kumuh init";

/// Stores `places` (the shipped boundaries) and the Bibrik paving of 2018 and Bibrik
/// tourism siteplan, both marked contoh.
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
    Ok(report)
}
