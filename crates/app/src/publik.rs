//! The public transparency page of a desa, kecamatan or kabupaten (halaman publik): every
//! work in the area with its segments, money by source and year, physical progress, the
//! maintenance groups' cash, and slum hectares by class before and now.
//!
//! Anyone may read it, without signing in, so it holds what an anonymous caller of the
//! API sees: each work passes through the same personal-data rule
//! ([`crate::personal::sees`] with no user) before anything is taken from it, and the
//! page keeps no writer and no member household at all.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use geo_types::{Geometry, MultiPolygon};
use kumuh_domain::assessment::SlumClass;
use kumuh_domain::works::{AmountSum, Kegiatan, Ratio, StatusKegiatan, SumberDana, funding_report};
use kumuh_domain::{Kode, Level};
use kumuh_store::{AssessmentQuery, KegiatanQuery, PlaceQuery};

pub use kumuh_io::dokumen::{DanaBaris, LokasiPeta, Wilayah};

use crate::personal::{self, Labels, sees};
use crate::{AppError, Atlas, Result};

/// At most this many works are listed (with their segments and maps) on one page; the
/// money and hectare tables still count every work and location of the area.
pub const MAX_KEGIATAN: usize = 100;

/// Everything the public page of one area shows.
#[derive(Debug, Clone)]
pub struct Halaman {
    /// The area.
    pub wilayah: Wilayah,
    /// The works listed, by desa and id; at most [`MAX_KEGIATAN`].
    pub kegiatan: Vec<KegiatanPublik>,
    /// How many works the area has in all (more than listed when the list was cut).
    pub jumlah_kegiatan: usize,
    /// How many of them are illustrative (`contoh`).
    pub jumlah_contoh: usize,
    /// One small map per desa of the listed works: its boundary and their segments.
    pub peta: Vec<PetaDesa>,
    /// Money of every work of the area by source and budget year.
    pub dana: Vec<DanaBaris>,
    /// The total of [`Halaman::dana`].
    pub dana_total: DanaBaris,
    /// Slum hectares by class, heaviest first: at each location's first record and at
    /// its latest.
    pub kelas: Vec<KelasLuas>,
    /// How many slum locations have a record.
    pub jumlah_lokasi: usize,
    /// The earliest and the latest year of those records.
    pub tahun: Option<(u16, u16)>,
}

/// A work as the public sees it.
#[derive(Debug, Clone)]
pub struct KegiatanPublik {
    /// Its id.
    pub id: String,
    /// Its name.
    pub nama: String,
    /// What kind of work, for people (`Jalan paving`).
    pub jenis: &'static str,
    /// The desa it lies in.
    pub kode_desa: Kode,
    /// That desa's name, where known.
    pub desa: Option<String>,
    /// The year it belongs to.
    pub tahun: u16,
    /// Its stage, for people.
    pub status: &'static str,
    /// Who carries it out (`LKM Makmur Sentosa`).
    pub pelaksana: String,
    /// Notes.
    pub keterangan: Option<String>,
    /// Illustrative, not a surveyed record.
    pub contoh: bool,
    /// Allocations of all its segments: the known sum and how many are unknown.
    pub alokasi: AmountSum,
    /// Its segments.
    pub segmen: Vec<SegmenPublik>,
    /// Its maintenance group, without its member households.
    pub kpp: Option<KppPublik>,
}

/// A segment as the public sees it.
#[derive(Debug, Clone)]
pub struct SegmenPublik {
    /// Its id within the work.
    pub id: String,
    /// Its name.
    pub nama: String,
    /// Its stage, for people.
    pub status: &'static str,
    /// Planned volume with its unit (`170 m`), where known.
    pub volume_rencana: Option<String>,
    /// Realised volume with its unit.
    pub volume_realisasi: String,
    /// Realised / planned volume; `None` without a planned volume.
    pub progres_fisik: Option<Ratio>,
    /// Allocations: the known sum and how many are of unknown amount.
    pub alokasi: AmountSum,
    /// Spending in rupiah.
    pub realisasi_rp: i64,
    /// Its photos (at most [`MAX_FOTO_SEGMEN`]), by stage and then as uploaded.
    pub foto: Vec<FotoPublik>,
}

/// At most this many photos of one segment are shown on a page.
pub const MAX_FOTO_SEGMEN: usize = 12;

/// A photo of a segment as the public page shows it (its thumbnail links to it).
#[derive(Debug, Clone, PartialEq)]
pub struct FotoPublik {
    /// Its id (`/api/foto/{id}`, `/api/foto/{id}/kecil`).
    pub id: i64,
    /// The stage it documents.
    pub tahap: kumuh_domain::works::Tahap,
    /// When it was taken (EXIF), where known.
    pub waktu_exif: Option<String>,
}

/// The photos of the works of an area by work and segment, each segment's ordered by
/// stage and then as uploaded, at most [`MAX_FOTO_SEGMEN`] each.
type FotoSegmen = HashMap<(String, String), Vec<FotoPublik>>;

fn foto_by_segmen(photos: Vec<kumuh_store::StoredFoto>) -> FotoSegmen {
    let mut out: FotoSegmen = HashMap::new();
    for f in photos {
        out.entry((f.kegiatan_id, f.segmen_id))
            .or_default()
            .push(FotoPublik {
                id: f.id,
                tahap: f.tahap,
                waktu_exif: f.waktu_exif,
            });
    }
    for list in out.values_mut() {
        list.sort_by_key(|f| (f.tahap, f.id));
        list.truncate(MAX_FOTO_SEGMEN);
    }
    out
}

/// A maintenance group (KPP) as the public sees it: no member names or RT.
#[derive(Debug, Clone)]
pub struct KppPublik {
    /// Its name.
    pub nama: String,
    /// How many member households it has.
    pub jumlah_kk: usize,
    /// The balance of its cash book, in rupiah.
    pub saldo_rp: i64,
}

/// A desa's boundary and the segments of the listed works in it, for a small map.
#[derive(Debug, Clone)]
pub struct PetaDesa {
    /// The desa.
    pub kode_desa: Kode,
    /// Its name, where known.
    pub nama: Option<String>,
    /// Its boundary, where the atlas has one.
    pub batas: Option<MultiPolygon<f64>>,
    /// Each segment's label (`work id / segment id`) and line or area.
    pub segmen: Vec<(String, Geometry<f64>)>,
    /// The desa's slum locations.
    pub lokasi: Vec<LokasiPeta>,
}

/// Slum hectares of one class.
#[derive(Debug, Clone)]
pub struct KelasLuas {
    /// The class.
    pub kelas: SlumClass,
    /// Hectares of the locations whose first record is of this class.
    pub awal_ha: f64,
    /// Hectares of the locations whose latest record is of this class.
    pub kini_ha: f64,
}

/// The public page of a desa, kecamatan or kabupaten; not found for another level or an
/// unknown place.
pub async fn halaman(atlas: &Atlas, kode: &str, level: Level) -> Result<Halaman> {
    let not_found = || AppError::NotFound(format!("no {level} {kode}"));
    let kode = Kode::parse(kode).map_err(|_| not_found())?;
    if kode.level() != level {
        return Err(not_found());
    }
    let store = atlas.store.as_ref();
    let place = store.place(&kode).await?.ok_or_else(not_found)?;
    let wilayah = Wilayah {
        kode: kode.clone(),
        nama: place.nama,
        level,
    };

    let works: Vec<Kegiatan> = store
        .list_kegiatan(&KegiatanQuery {
            wilayah: Some(kode.clone()),
            tahun: None,
        })
        .await?
        .into_iter()
        .map(|s| s.kegiatan)
        .collect();
    let names: HashMap<Kode, String> = if level == Level::Desa {
        HashMap::from([(kode.clone(), wilayah.nama.clone())])
    } else {
        store
            .list_places(&PlaceQuery::level(Level::Desa))
            .await?
            .into_iter()
            .filter(|p| p.kode.as_str().starts_with(kode.as_str()))
            .map(|p| (p.kode, p.nama))
            .collect()
    };
    let foto = foto_by_segmen(
        store
            .list_foto(&kumuh_store::FotoQuery {
                wilayah: Some(kode.clone()),
                ..kumuh_store::FotoQuery::default()
            })
            .await?,
    );
    let jumlah_kegiatan = works.len();
    let jumlah_contoh = works.iter().filter(|k| k.contoh).count();
    // Each listed work as an anonymous caller of the API gets it: writers replaced by their
    // role and organisation and member households without name and RT, unless the rule
    // for personal data lets everyone see them. Walking the works (their geometry too) runs
    // on the blocking pool, the lookups of labels here.
    let (works, mut values, writers) = crate::blocking(move || {
        let mut writers = BTreeSet::new();
        let values = works
            .iter()
            .take(MAX_KEGIATAN)
            .map(|k| {
                if sees(None, Some(k.kode_desa())) {
                    return Ok(None);
                }
                let v = serde_json::to_value(k).map_err(AppError::internal)?;
                writers.extend(personal::writers_in(&v));
                Ok(Some(v))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((works, values, writers))
    })
    .await?;
    let labels = Labels::new(store).labels_of(writers).await?;
    let desa_listed: BTreeSet<Kode> = works
        .iter()
        .take(MAX_KEGIATAN)
        .map(|k| k.kode_desa().clone())
        .collect();
    let mut batas = HashMap::new();
    let mut lokasi: HashMap<Kode, Vec<kumuh_domain::LokasiKumuh>> = HashMap::new();
    for d in &desa_listed {
        if let Some(p) = store.place(d).await? {
            batas.insert(d.clone(), p.geometry);
        }
        lokasi.insert(d.clone(), store.list_lokasi(Some(d)).await?);
    }
    let records = store
        .assessments(&AssessmentQuery {
            wilayah: Some(kode.clone()),
            ..AssessmentQuery::default()
        })
        .await?;
    let latest_class: HashMap<&str, SlumClass> = records
        .iter()
        .map(|r| (r.kode_lokasi.as_str(), r.class))
        .collect();
    let mut lokasi: HashMap<Kode, Vec<LokasiPeta>> = lokasi
        .into_iter()
        .map(|(d, list)| {
            let drawn = list
                .into_iter()
                .map(|l| LokasiPeta {
                    kelas: latest_class.get(l.kode.as_str()).copied(),
                    nama: l.nama,
                    geometry: l.geometry,
                })
                .collect();
            (d, drawn)
        })
        .collect();
    let first_and_latest: Vec<(u16, SlumClass, u16, SlumClass, f64)> = {
        let mut by_lokasi: BTreeMap<&str, (u16, SlumClass, u16, SlumClass, f64)> = BTreeMap::new();
        // Records come ordered by location, year and date: the last one is the latest.
        for r in &records {
            by_lokasi
                .entry(r.kode_lokasi.as_str())
                .and_modify(|e| (e.2, e.3, e.4) = (r.tahun, r.class, r.luas_ha))
                .or_insert((r.tahun, r.class, r.tahun, r.class, r.luas_ha));
        }
        by_lokasi.into_values().collect()
    };

    // Sums grow with every segment and entry of the area: off the async workers.
    crate::blocking(move || {
        let listed = works
            .iter()
            .zip(values.iter_mut())
            .map(|(k, v)| match v.take() {
                None => Ok(k.clone()),
                Some(mut v) => {
                    personal::redact_with(&mut v, &labels);
                    serde_json::from_value(v).map_err(AppError::internal)
                }
            })
            .collect::<Result<Vec<Kegiatan>>>()?;
        let (dana, dana_total) = money(&works, &names)?;
        let kelas = SlumClass::ALL
            .iter()
            .map(|&c| KelasLuas {
                kelas: c,
                // Folded from +0.0: `sum` of no floats is -0.0, which a page would
                // print as "-0,00".
                awal_ha: first_and_latest
                    .iter()
                    .filter(|e| e.1 == c)
                    .fold(0.0, |ha, e| ha + e.4),
                kini_ha: first_and_latest
                    .iter()
                    .filter(|e| e.3 == c)
                    .fold(0.0, |ha, e| ha + e.4),
            })
            .collect();
        let tahun = first_and_latest
            .iter()
            .map(|e| e.0)
            .min()
            .zip(first_and_latest.iter().map(|e| e.2).max());
        let peta = desa_listed
            .into_iter()
            .map(|d| PetaDesa {
                nama: names.get(&d).cloned(),
                batas: batas.remove(&d).flatten(),
                lokasi: lokasi.remove(&d).unwrap_or_default(),
                segmen: listed
                    .iter()
                    .filter(|k| *k.kode_desa() == d)
                    .flat_map(|k| {
                        k.segmen().iter().map(move |s| {
                            (format!("{} / {}", k.id(), s.id()), s.geometry().clone())
                        })
                    })
                    .collect(),
                kode_desa: d,
            })
            .collect();
        let kegiatan = listed
            .iter()
            .map(|k| public_work(k, names.get(k.kode_desa()).cloned(), &foto))
            .collect::<Result<Vec<_>>>()?;
        Ok(Halaman {
            wilayah,
            kegiatan,
            jumlah_kegiatan,
            jumlah_contoh,
            peta,
            dana,
            dana_total,
            kelas,
            jumlah_lokasi: first_and_latest.len(),
            tahun,
        })
    })
    .await
}

fn public_work(k: &Kegiatan, desa: Option<String>, foto: &FotoSegmen) -> Result<KegiatanPublik> {
    let summary = k.summary()?;
    let segmen = k
        .segmen()
        .iter()
        .zip(&summary.segmen)
        .map(|(s, sum)| SegmenPublik {
            id: s.id().to_string(),
            nama: s.nama.clone(),
            status: status_label(s.status()),
            volume_rencana: sum.volume_rencana.map(|v| format!("{v} {}", sum.satuan)),
            volume_realisasi: format!("{} {}", sum.volume_realisasi, sum.satuan),
            progres_fisik: sum.progres_fisik,
            alokasi: sum.alokasi,
            realisasi_rp: sum.realisasi_rp.get(),
            foto: foto
                .get(&(k.id().to_string(), s.id().to_string()))
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    let kpp = match &k.kpp {
        Some(g) => Some(KppPublik {
            nama: g.nama.clone(),
            jumlah_kk: g.anggota.len(),
            saldo_rp: g.saldo()?.get(),
        }),
        None => None,
    };
    Ok(KegiatanPublik {
        id: k.id().to_string(),
        nama: k.nama.clone(),
        jenis: k.jenis.label_id(),
        kode_desa: k.kode_desa().clone(),
        desa,
        tahun: k.tahun(),
        status: status_label(k.status()),
        pelaksana: k.pelaksana.to_string(),
        keterangan: k.keterangan.clone(),
        contoh: k.contoh,
        alokasi: summary.alokasi,
        segmen,
        kpp,
    })
}

/// A stage for people, in Bahasa Indonesia, as the programme names them.
fn status_label(s: StatusKegiatan) -> &'static str {
    match s {
        StatusKegiatan::Rencana => "Rencana",
        StatusKegiatan::Persiapan => "Persiapan",
        StatusKegiatan::Pelaksanaan => "Pelaksanaan konstruksi",
        StatusKegiatan::Selesai => "Selesai",
        StatusKegiatan::Pemeliharaan => "Pemanfaatan dan pemeliharaan",
    }
}

/// Allocations and spending of `works` by source and budget year, and their total.
fn money(works: &[Kegiatan], names: &HashMap<Kode, String>) -> Result<(Vec<DanaBaris>, DanaBaris)> {
    let report = funding_report(works, |k| names.get(k).cloned())?;
    let mut cells: BTreeMap<(SumberDana, Option<u16>), DanaBaris> = BTreeMap::new();
    for row in &report.rows {
        let cell = cells
            .entry((row.sumber, row.tahun))
            .or_insert_with(|| DanaBaris {
                sumber: Some(row.sumber),
                tahun: row.tahun,
                ..DanaBaris::default()
            });
        cell.alokasi.diketahui_rp = cell.alokasi.diketahui_rp.plus(row.alokasi_rp);
        cell.alokasi.tidak_diketahui += row.alokasi_tidak_diketahui;
        cell.realisasi_rp = cell.realisasi_rp.plus(row.realisasi_rp);
    }
    let total = DanaBaris {
        sumber: None,
        tahun: None,
        alokasi: report.total.alokasi,
        realisasi_rp: report.total.realisasi_rp,
    };
    Ok((cells.into_values().collect(), total))
}
