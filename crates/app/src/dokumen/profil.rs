//! The profile (profil) of a desa, kecamatan or kabupaten.

use std::collections::HashMap;

use kumuh_domain::{Kode, Level, LokasiKumuh};
use kumuh_io::dokumen::{
    FotoCetak, KasKpp, KegiatanBaris, LokasiPeta, LokasiRiwayat, MAX_FOTO_DOKUMEN, PetaWilayah,
    PinjamanRingkas, Profil,
};
use kumuh_store::{AssessmentQuery, AssessmentRecord, Ukuran};

use super::{Catatan, inside, kode_of};
use crate::publik::{self, Halaman};
use crate::{Atlas, Result};

/// What a profile is built from, gathered once from the store; the RPLP builds on it.
pub(crate) struct Bahan {
    pub(crate) halaman: Halaman,
    pub(crate) records: Vec<AssessmentRecord>,
    pub(crate) lokasi: Vec<LokasiKumuh>,
    pub(crate) batas: Vec<geo_types::MultiPolygon<f64>>,
    pub(crate) desa: HashMap<Kode, String>,
    pub(crate) pinjaman: Option<PinjamanRingkas>,
    pub(crate) foto: Vec<FotoCetak>,
}

/// Gathers a profile's material for the place `kode` (already checked for its level).
pub(crate) async fn bahan(atlas: &Atlas, kode: &Kode) -> Result<Bahan> {
    let level = kode.level();
    let halaman = publik::halaman(atlas, kode.as_str(), level).await?;
    let store = atlas.store.as_ref();
    let desa_places = super::desa_di(store, kode).await?;
    let desa: HashMap<Kode, String> = desa_places
        .iter()
        .map(|p| (p.kode.clone(), p.nama.clone()))
        .collect();
    let batas = desa_places.into_iter().filter_map(|p| p.geometry).collect();
    let lokasi: Vec<LokasiKumuh> = if level == Level::Desa {
        store.list_lokasi(Some(kode)).await?
    } else {
        store
            .list_lokasi(None)
            .await?
            .into_iter()
            .filter(|l| inside(&l.kode_desa, kode))
            .collect()
    };
    let records = store
        .assessments(&AssessmentQuery {
            wilayah: Some(kode.clone()),
            ..AssessmentQuery::default()
        })
        .await?;
    let kinerja = crate::upk::kinerja(atlas, Some(kode), None).await?;
    let t = &kinerja.total;
    let pinjaman = (t.pinjaman_dicairkan > 0).then(|| PinjamanRingkas {
        per: kinerja.per.to_string(),
        pinjaman_dicairkan: t.pinjaman_dicairkan,
        pinjaman_aktif: t.pinjaman_aktif,
        ksm_aktif: t.ksm_aktif,
        ksm_menunggak: t.ksm_menunggak,
        outstanding_rp: t.outstanding_rp,
        outstanding_menunggak_rp: t.outstanding_menunggak_rp,
        lar_persen: t.lar_persen.persen,
        par_persen: t.par_persen.persen,
        rr_persen: t.rr_persen.persen,
    });
    let foto = foto_cetak(store, &halaman).await?;
    Ok(Bahan {
        halaman,
        records,
        lokasi,
        batas,
        desa,
        pinjaman,
        foto,
    })
}

/// The thumbnails of the listed works' photos, at most [`MAX_FOTO_DOKUMEN`], in the order
/// of the works and their segments (each segment's by stage).
async fn foto_cetak(store: &dyn kumuh_store::Store, h: &Halaman) -> Result<Vec<FotoCetak>> {
    let mut listed = Vec::new();
    for k in &h.kegiatan {
        for s in &k.segmen {
            listed.extend(s.foto.iter().map(|f| (k, s, f)));
        }
    }
    listed.truncate(MAX_FOTO_DOKUMEN);
    let mut out = Vec::with_capacity(listed.len());
    for (k, s, f) in listed {
        // A photo deleted since the page was read is left out.
        if let Some(berkas) = store.foto_berkas(f.id, Ukuran::Kecil).await? {
            out.push(FotoCetak {
                kegiatan: k.nama.clone(),
                segmen: s.nama.clone(),
                tahap: f.tahap.label().to_owned(),
                // The day, as the public page shows it.
                waktu: f
                    .waktu_exif
                    .as_deref()
                    .map(|w| w.get(..10).unwrap_or(w).to_owned()),
                jpeg: berkas.bytes,
            });
        }
    }
    Ok(out)
}

/// Builds the profile from its material (CPU work: geodesic areas of every location).
pub(crate) fn susun(b: Bahan) -> Profil {
    let cap = publik::MAX_KEGIATAN;
    let catatan = Catatan::new(&b.records, &b.lokasi);
    let h = b.halaman;
    let desa_name = |k: &Kode| {
        b.desa
            .get(k)
            .cloned()
            .unwrap_or_else(|| k.as_str().to_owned())
    };
    // Every delineated location, and any location known only from its records.
    let mut rows: Vec<LokasiRiwayat> = b
        .lokasi
        .iter()
        .map(|l| LokasiRiwayat {
            kode: l.kode.clone(),
            nama: l.nama.clone(),
            desa: desa_name(&l.kode_desa),
            luas_ha: catatan.luas_ha(&l.kode),
            riwayat: catatan.riwayat(&l.kode),
        })
        .collect();
    for kode in catatan.lokasi() {
        if b.lokasi.iter().all(|l| l.kode != kode)
            && let Some(r) = catatan.of(kode).last()
        {
            rows.push(LokasiRiwayat {
                kode: kode.to_owned(),
                nama: r.nama_lokasi.clone(),
                desa: desa_name(&r.kode_desa),
                luas_ha: catatan.luas_ha(kode),
                riwayat: catatan.riwayat(kode),
            });
        }
    }
    rows.sort_by(|a, b| (&a.desa, &a.nama, &a.kode).cmp(&(&b.desa, &b.nama, &b.kode)));
    let jumlah_lokasi = rows.len();
    rows.truncate(cap);
    let latest_year = catatan.tahun().last().copied().unwrap_or(0);
    let peta = PetaWilayah {
        judul: h.wilayah.judul(),
        batas: b.batas,
        lokasi: b
            .lokasi
            .iter()
            .map(|l| LokasiPeta {
                nama: l.nama.clone(),
                geometry: l.geometry.clone(),
                kelas: catatan.pada(&l.kode, latest_year).map(|r| r.class),
            })
            .collect(),
        segmen: h
            .peta
            .iter()
            .flat_map(|p| p.segmen.iter().cloned())
            .collect(),
    };
    let kegiatan = h
        .kegiatan
        .iter()
        .map(|k| KegiatanBaris {
            id: k.id.clone(),
            nama: k.nama.clone(),
            jenis: k.jenis.to_owned(),
            desa: k
                .desa
                .clone()
                .unwrap_or_else(|| k.kode_desa.as_str().to_owned()),
            tahun: k.tahun,
            tahap: k.status.to_owned(),
            pelaksana: k.pelaksana.clone(),
            alokasi: k.alokasi,
            contoh: k.contoh,
        })
        .collect();
    let kas = h
        .kegiatan
        .iter()
        .filter_map(|k| {
            k.kpp.as_ref().map(|g| KasKpp {
                kegiatan: k.nama.clone(),
                nama: g.nama.clone(),
                jumlah_kk: g.jumlah_kk,
                saldo_rp: g.saldo_rp,
            })
        })
        .collect();
    Profil {
        luas: catatan.luas_per_tahun(),
        wilayah: h.wilayah,
        peta,
        lokasi: rows,
        jumlah_lokasi,
        kegiatan,
        jumlah_kegiatan: h.jumlah_kegiatan,
        dana: h.dana,
        dana_total: h.dana_total,
        kas,
        pinjaman: b.pinjaman,
        foto: b.foto,
        batas_baris: cap,
    }
}

/// The profile of a desa, kecamatan or kabupaten: invalid (`wilayah`) for a malformed
/// code or another level, not found for an unknown place.
pub async fn profil(atlas: &Atlas, kode: &str) -> Result<Profil> {
    let kode = kode_of(kode, &[Level::Desa, Level::Kecamatan, Level::Kabupaten])?;
    let b = bahan(atlas, &kode).await?;
    crate::blocking(move || Ok(susun(b))).await
}
