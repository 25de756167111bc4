//! The funding report (laporan pendanaan).

use std::collections::HashMap;

use kumuh_domain::works::{FundingReport, funding_report};
use kumuh_domain::{Kode, Level};
use kumuh_store::{KegiatanQuery, PlaceQuery};

use crate::{Atlas, Result};

/// The funding report of the works in `wilayah` (everything when `None`), leaving out
/// illustrative (`contoh`) works unless `with_contoh`.
pub async fn pendanaan(
    atlas: &Atlas,
    wilayah: Option<Kode>,
    with_contoh: bool,
) -> Result<FundingReport> {
    let store = atlas.store.as_ref();
    let works = store
        .list_kegiatan(&KegiatanQuery {
            wilayah,
            tahun: None,
        })
        .await?;
    let names: HashMap<Kode, String> = store
        .list_places(&PlaceQuery::level(Level::Desa))
        .await?
        .into_iter()
        .map(|p| (p.kode, p.nama))
        .collect();
    // Grows with every segment and entry in the area: off the async workers.
    crate::blocking(move || {
        let kept = works
            .iter()
            .map(|s| &s.kegiatan)
            .filter(|k| with_contoh || !k.contoh);
        Ok(funding_report(kept, |k| names.get(k).cloned())?)
    })
    .await
}
