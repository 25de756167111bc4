//! The RPLP (Rencana Penataan Lingkungan Permukiman) of a desa: its profile, the
//! investment plan, the siteplans, and each slum location's baseline and target.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use kumuh_domain::Level;
use kumuh_domain::assessment::Dasar;
use kumuh_domain::works::{FundingReport, SumberDana, TotalSum};
use kumuh_io::dokumen::{
    BarisInvestasi, Bentuk, MatriksInvestasi, Rplp, SiteplanRingkas, TargetLokasi,
};

use super::profil::{bahan, susun};
use super::{Catatan, kode_of};
use crate::{Atlas, Result};

/// Years from a location's latest survey to the year it is to be tidak kumuh: the SK
/// Kumuh is reviewed at least every five years, and the national target is 0 % slum.
pub const TAHUN_TARGET: u16 = 5;

/// The rule the targets follow, as the page states it.
pub const ATURAN_TARGET: &str = "Kondisi awal adalah survei terakhir tiap lokasi. Target: setiap \
lokasi tidak kumuh paling lambat 5 tahun setelah survei itu (SK Kumuh ditinjau sekurang-kurangnya \
5 tahun sekali; target nasional 0% kumuh). \"Kini\" adalah catatan terakhir lokasi, termasuk \
evaluasi setelah segmen kegiatan selesai.";

/// The investment plan of `report`'s works: one row per work, one column per budget year
/// (unknown last) and source with an allocation, with the total of every row and column.
/// `tahap` gives a work's stage by its id.
///
/// The cells only regroup the report's rows, so row totals, column totals and the grand
/// total all equal the report's own total.
pub fn matriks(report: &FundingReport, tahap: &HashMap<String, String>) -> MatriksInvestasi {
    // Unknown years sort after every known one.
    let key = |t: Option<u16>| (t.is_none(), t);
    let kolom_set: BTreeSet<((bool, Option<u16>), SumberDana)> = report
        .rows
        .iter()
        .map(|r| (key(r.tahun), r.sumber))
        .collect();
    let kolom: Vec<(Option<u16>, SumberDana)> =
        kolom_set.iter().map(|((_, t), s)| (*t, *s)).collect();
    let index: HashMap<(Option<u16>, SumberDana), usize> =
        kolom.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let mut rows: BTreeMap<(String, String), Vec<TotalSum>> = BTreeMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    let mut total_kolom = vec![TotalSum::default(); kolom.len()];
    for r in &report.rows {
        let id = (r.kegiatan_id.to_string(), r.kegiatan.clone());
        let cells = rows.entry(id.clone()).or_insert_with(|| {
            order.push(id);
            vec![TotalSum::default(); kolom.len()]
        });
        let part = TotalSum {
            diketahui_rp: r.alokasi_rp,
            tidak_diketahui: r.alokasi_tidak_diketahui,
        };
        let i = index[&(r.tahun, r.sumber)];
        cells[i] = cells[i].plus(part);
        total_kolom[i] = total_kolom[i].plus(part);
    }
    let baris: Vec<BarisInvestasi> = order
        .into_iter()
        .map(|id| {
            let sel = rows.remove(&id).unwrap_or_default();
            let total = sel.iter().fold(TotalSum::default(), |a, b| a.plus(*b));
            BarisInvestasi {
                tahap: tahap.get(&id.0).cloned().unwrap_or_else(|| "-".to_owned()),
                kegiatan: id.0,
                nama: id.1,
                sel,
                total,
            }
        })
        .collect();
    let total = total_kolom
        .iter()
        .fold(TotalSum::default(), |a, b| a.plus(*b));
    MatriksInvestasi {
        kolom,
        jumlah_kegiatan: baris.len(),
        baris,
        total_kolom,
        total,
    }
}

/// The RPLP of a desa: invalid (`wilayah`) for a malformed code or a place that is not a
/// desa, not found for an unknown desa.
pub async fn rplp(atlas: &Atlas, kode: &str) -> Result<Rplp> {
    let kode = kode_of(kode, &[Level::Desa])?;
    let b = bahan(atlas, &kode).await?;
    let report = crate::laporan::pendanaan(atlas, Some(kode.clone()), true).await?;
    let siteplans = atlas.store.list_siteplan(Some(&kode)).await?;
    crate::blocking(move || {
        let catatan = Catatan::new(&b.records, &b.lokasi);
        let target: Vec<TargetLokasi> = catatan
            .lokasi()
            .filter_map(|kode| {
                let records = catatan.of(kode);
                let dasar = records
                    .iter()
                    .rev()
                    .find(|r| matches!(r.dasar, Dasar::Survei))?;
                let kini = records.last()?;
                Some(TargetLokasi {
                    kode: kode.to_owned(),
                    nama: dasar.nama_lokasi.clone(),
                    luas_ha: catatan.luas_ha(kode),
                    tahun_dasar: dasar.tahun,
                    kelas_dasar: dasar.class,
                    nilai_dasar: dasar.total,
                    tahun_kini: kini.tahun,
                    kelas_kini: kini.class,
                    tahun_target: dasar.tahun.saturating_add(TAHUN_TARGET),
                })
            })
            .collect();
        let cap = super::BATAS_BARIS;
        let tahap: HashMap<String, String> = report_stages(&b.halaman);
        let mut plan = matriks(&report, &tahap);
        plan.baris.truncate(cap);
        let siteplan = siteplans
            .iter()
            .take(cap)
            .map(|s| {
                let sp = &s.siteplan;
                let current = sp.current();
                SiteplanRingkas {
                    id: sp.id().to_string(),
                    judul: sp.judul().to_owned(),
                    status: sp.status().label_id().to_owned(),
                    versi: current.versi,
                    fitur: current
                        .fitur
                        .iter()
                        .map(|f| Bentuk {
                            label: f.kategori.label_id().to_owned(),
                            warna: f.kategori.simbol().warna,
                            geometry: f.geometry.clone(),
                        })
                        .collect(),
                }
            })
            .collect();
        Ok(Rplp {
            profil: susun(b),
            matriks: plan,
            siteplan,
            jumlah_siteplan: siteplans.len(),
            batas_baris: cap,
            target,
            aturan_target: ATURAN_TARGET.to_owned(),
        })
    })
    .await
}

/// Each listed work's stage by its id.
fn report_stages(h: &crate::publik::Halaman) -> HashMap<String, String> {
    h.kegiatan
        .iter()
        .map(|k| (k.id.clone(), k.status.to_owned()))
        .collect()
}
