//! The annex of the SK Kumuh (lampiran SK) of a kabupaten or kecamatan in a year.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use kumuh_domain::assessment::SlumClass;
use kumuh_domain::{Kode, Level, LokasiKumuh};
use kumuh_io::dokumen::{BarisSk, LampiranSk, LokasiPeta, PetaWilayah, Wilayah};
use kumuh_store::{AssessmentQuery, PlaceQuery};

use super::{BATAS_BARIS, Catatan, check_year, inside, kode_of};
use crate::{AppError, Atlas, Result};

/// `RT 09, 10 / RW 03` from RT codes (`35.19.09.2014.003.009`), grouped by RW; `-`
/// without any.
///
/// # Examples
/// ```
/// use kumuh_domain::Kode;
/// let rt = ["35.19.09.2014.003.009", "35.19.09.2014.003.010"].map(|k| Kode::parse(k).unwrap());
/// assert_eq!(kumuh_app::dokumen::sk_kumuh::rt_rw(&rt), "RT 09, 10 / RW 03");
/// ```
pub fn rt_rw(rt: &[Kode]) -> String {
    let short = |n: &str| {
        let t = n.trim_start_matches('0');
        format!("{:0>2}", if t.is_empty() { "0" } else { t })
    };
    let mut by_rw: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for k in rt {
        let parts: Vec<&str> = k.as_str().split('.').collect();
        if let [.., rw, rt] = parts.as_slice()
            && k.level() == Level::Rt
        {
            by_rw.entry(short(rw)).or_default().insert(short(rt));
        }
    }
    if by_rw.is_empty() {
        return "-".to_owned();
    }
    by_rw
        .into_iter()
        .map(|(rw, rts)| {
            format!(
                "RT {} / RW {rw}",
                rts.into_iter().collect::<Vec<_>>().join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The SK annex of a kabupaten or kecamatan in `tahun` (the latest year with a record
/// by default), compared with `banding` when given: invalid (`wilayah`, `tahun`,
/// `banding`) for a malformed value or a place of another level, not found for an
/// unknown place.
pub async fn sk_kumuh(
    atlas: &Atlas,
    kode: &str,
    tahun: Option<u16>,
    banding: Option<u16>,
) -> Result<LampiranSk> {
    let kode = kode_of(kode, &[Level::Kabupaten, Level::Kecamatan])?;
    let tahun = tahun.map(|t| check_year("tahun", t)).transpose()?;
    let banding = banding.map(|t| check_year("banding", t)).transpose()?;
    let store = atlas.store.as_ref();
    let level = kode.level();
    let place = store
        .place(&kode)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no {level} {kode}")))?;
    let desa = super::desa_di(store, &kode).await?;
    // Each kecamatan the desa lie in, named where the atlas holds it as a place.
    let names: HashMap<Kode, String> = if level == Level::Kecamatan {
        HashMap::from([(kode.clone(), place.nama.clone())])
    } else {
        store
            .list_places(&PlaceQuery {
                parent: Some(kode.clone()),
                ..PlaceQuery::level(Level::Kecamatan)
            })
            .await?
            .into_iter()
            .map(|p| (p.kode, p.nama))
            .collect()
    };
    let kecamatan: Vec<(Kode, String)> = desa
        .iter()
        .filter_map(|p| p.kode.parent())
        .chain(names.keys().cloned())
        .collect::<BTreeSet<Kode>>()
        .into_iter()
        .map(|k| {
            let nama = names
                .get(&k)
                .cloned()
                .unwrap_or_else(|| k.as_str().to_owned());
            (k, nama)
        })
        .collect();
    let lokasi: Vec<LokasiKumuh> = store
        .list_lokasi(None)
        .await?
        .into_iter()
        .filter(|l| inside(&l.kode_desa, &kode))
        .collect();
    let records = store
        .assessments(&AssessmentQuery {
            wilayah: Some(kode.clone()),
            ..AssessmentQuery::default()
        })
        .await?;
    let tahun = match tahun {
        Some(t) => t,
        None => match records.iter().map(|r| r.tahun).max() {
            Some(t) => t,
            None => crate::upk::hari_ini()?.tahun(),
        },
    };
    let wilayah = Wilayah {
        kode: kode.clone(),
        nama: place.nama,
        level,
    };
    crate::blocking(move || {
        let catatan = Catatan::new(&records, &lokasi);
        let desa_names: HashMap<&Kode, &str> =
            desa.iter().map(|p| (&p.kode, p.nama.as_str())).collect();
        let kec_names: HashMap<&Kode, &str> =
            kecamatan.iter().map(|(k, n)| (k, n.as_str())).collect();
        let name_of = |names: &HashMap<&Kode, &str>, k: &Kode| {
            names
                .get(k)
                .map_or_else(|| k.as_str().to_owned(), |n| (*n).to_owned())
        };
        let delineated: HashMap<&str, &LokasiKumuh> =
            lokasi.iter().map(|l| (l.kode.as_str(), l)).collect();
        let mut baris: Vec<BarisSk> = catatan
            .lokasi()
            .filter_map(|k| {
                let r = catatan.pada(k, tahun)?;
                if r.class == SlumClass::TidakKumuh {
                    return None;
                }
                let l = delineated.get(k);
                let kec = r.kode_desa.parent();
                Some(BarisSk {
                    kode: k.to_owned(),
                    lokasi: l.map_or_else(|| r.nama_lokasi.clone(), |l| l.nama.clone()),
                    rt_rw: l.map_or_else(|| "-".to_owned(), |l| rt_rw(&l.rt)),
                    desa: name_of(&desa_names, &r.kode_desa),
                    kecamatan: kec.map_or_else(|| "-".to_owned(), |k| name_of(&kec_names, &k)),
                    luas_ha: catatan.luas_ha(k),
                    kelas: r.class,
                    legal: r
                        .masukan
                        .as_ref()
                        .and_then(|m| m.legality.as_ref())
                        .map(|l| l.legalitas_kepemilikan && l.kesesuaian_tata_ruang),
                    prioritas: r.priority.clone(),
                })
            })
            .collect();
        baris.sort_by(|a, b| {
            (&a.kecamatan, &a.desa, &a.lokasi, &a.kode).cmp(&(
                &b.kecamatan,
                &b.desa,
                &b.lokasi,
                &b.kode,
            ))
        });
        let jumlah_baris = baris.len();
        baris.truncate(BATAS_BARIS);
        let peta = kecamatan
            .iter()
            .map(|(kec, nama)| PetaWilayah {
                judul: format!("Kecamatan {nama}"),
                batas: desa
                    .iter()
                    .filter(|p| inside(&p.kode, kec))
                    .filter_map(|p| p.geometry.clone())
                    .collect(),
                lokasi: lokasi
                    .iter()
                    .filter(|l| inside(&l.kode_desa, kec))
                    .map(|l| LokasiPeta {
                        nama: l.nama.clone(),
                        geometry: l.geometry.clone(),
                        kelas: catatan.pada(&l.kode, tahun).map(|r| r.class),
                    })
                    .collect(),
                segmen: Vec::new(),
            })
            // A kecamatan of which the atlas holds no desa boundary and no location
            // would be an empty page.
            .filter(|p| !(p.batas.is_empty() && p.lokasi.is_empty()))
            .collect();
        let nomor_sk: Vec<String> = lokasi
            .iter()
            .filter_map(|l| l.sk.as_ref().map(|s| s.nomor.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        Ok(LampiranSk {
            banding: banding.map(|b| catatan.perbandingan(b, tahun)),
            wilayah,
            tahun,
            nomor_sk,
            baris,
            jumlah_baris,
            peta,
            batas_baris: BATAS_BARIS,
        })
    })
    .await
}
