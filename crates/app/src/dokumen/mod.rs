//! Printable planning documents: the profile of a desa, kecamatan or kabupaten
//! ([`profil`]), the RPLP of a desa ([`rplp`]) and the SK Kumuh annex of a kabupaten or
//! kecamatan ([`sk_kumuh`]), gathered here from the store and written as HTML or XLSX
//! by `kumuh_io::dokumen`.
//!
//! They carry no personal data, so anyone may read them: works come through the public
//! page's gathering ([`crate::publik::halaman`], which redacts each work as for an
//! anonymous caller), loans only as the UPK's totals ([`crate::upk::laporan::kinerja`]),
//! siteplans only with their title, status and feature shapes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use kumuh_domain::assessment::SlumClass;
use kumuh_domain::assessment::summary::{SummaryItem, summarize};
use kumuh_domain::{Kode, Level, LokasiKumuh, Place};
use kumuh_io::dokumen::{LuasTahun, Perbandingan};
use kumuh_store::{AssessmentRecord, PlaceQuery, Store};

use crate::{AppError, Result};

mod berkas;
pub mod profil;
pub mod rplp;
pub mod sk_kumuh;

pub use berkas::{Berkas, Format, HTML, Jenis, Permintaan, XLSX, berkas};

/// At most this many rows in any one list of a document (locations, works, the SK
/// table); the page says when a list was cut, and its totals count every row.
pub const BATAS_BARIS: usize = 500;

/// Parses `kode` as the code of a place of one of `levels`: invalid (naming `wilayah`)
/// for a malformed code or another level.
pub(crate) fn kode_of(kode: &str, levels: &[Level]) -> Result<Kode> {
    let k = Kode::parse(kode).map_err(|e| AppError::invalid("wilayah", e.to_string()))?;
    if !levels.contains(&k.level()) {
        let names: Vec<&str> = levels.iter().map(|l| l.as_str()).collect();
        return Err(AppError::invalid(
            "wilayah",
            format!(
                "{kode} is a {}; this document is made for a {}",
                k.level(),
                names.join(" or ")
            ),
        ));
    }
    Ok(k)
}

/// Checks a year given by a caller.
pub(crate) fn check_year(field: &str, tahun: u16) -> Result<u16> {
    if (1900..=2200).contains(&tahun) {
        Ok(tahun)
    } else {
        Err(AppError::invalid(
            field,
            format!("{tahun} is not a year between 1900 and 2200"),
        ))
    }
}

/// Whether `kode` is `area` or lies inside it.
pub(crate) fn inside(kode: &Kode, area: &Kode) -> bool {
    let (k, a) = (kode.as_str(), area.as_str());
    k == a || k.strip_prefix(a).is_some_and(|rest| rest.starts_with('.'))
}

/// Every desa of `area` (a desa, kecamatan or kabupaten) with its boundary. The desa of
/// a kabupaten are found by their codes, so that a desa whose kecamatan the atlas does
/// not hold as a place is still drawn; boundaries are read kecamatan by kecamatan, only
/// for the area.
pub(crate) async fn desa_di(store: &dyn Store, area: &Kode) -> Result<Vec<Place>> {
    let kecamatan: BTreeSet<Kode> = match area.level() {
        Level::Desa => return Ok(store.place(area).await?.into_iter().collect()),
        Level::Kecamatan => BTreeSet::from([area.clone()]),
        _ => store
            .list_places(&PlaceQuery::level(Level::Desa))
            .await?
            .into_iter()
            .filter(|p| inside(&p.kode, area))
            .filter_map(|p| p.kode.parent())
            .collect(),
    };
    let mut all = Vec::new();
    for kec in kecamatan {
        all.extend(
            store
                .places(&PlaceQuery {
                    parent: Some(kec),
                    ..PlaceQuery::level(Level::Desa)
                })
                .await?,
        );
    }
    Ok(all)
}

/// The records of an area by location, each location's oldest first (as the store
/// lists them: by location, year and date, so that within a year an evaluation after a
/// finished work comes after the survey).
#[derive(Debug)]
pub(crate) struct Catatan<'a> {
    by_lokasi: BTreeMap<&'a str, Vec<&'a AssessmentRecord>>,
    /// Hectares of each location: the geodesic area of its delineation, or the surveyed
    /// area for a record whose location has no delineation in the atlas.
    area_ha: HashMap<&'a str, f64>,
}

impl<'a> Catatan<'a> {
    pub(crate) fn new(records: &'a [AssessmentRecord], lokasi: &'a [LokasiKumuh]) -> Catatan<'a> {
        let mut by_lokasi: BTreeMap<&str, Vec<&AssessmentRecord>> = BTreeMap::new();
        for r in records {
            by_lokasi.entry(r.kode_lokasi.as_str()).or_default().push(r);
        }
        let mut area_ha: HashMap<&str, f64> = lokasi
            .iter()
            .map(|l| (l.kode.as_str(), l.area_ha()))
            .collect();
        for r in records {
            area_ha.entry(r.kode_lokasi.as_str()).or_insert(r.luas_ha);
        }
        Catatan { by_lokasi, area_ha }
    }

    /// Hectares of a location.
    pub(crate) fn luas_ha(&self, kode: &str) -> f64 {
        self.area_ha.get(kode).copied().unwrap_or(0.0)
    }

    /// Every location with a record.
    pub(crate) fn lokasi(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.by_lokasi.keys().copied()
    }

    /// A location's records, oldest first.
    pub(crate) fn of(&self, kode: &str) -> &[&'a AssessmentRecord] {
        self.by_lokasi.get(kode).map_or(&[], Vec::as_slice)
    }

    /// The latest record of a location up to and including `tahun`.
    pub(crate) fn pada(&self, kode: &str, tahun: u16) -> Option<&'a AssessmentRecord> {
        self.of(kode)
            .iter()
            .rev()
            .find(|r| r.tahun <= tahun)
            .copied()
    }

    /// Each year with a record, ascending.
    pub(crate) fn tahun(&self) -> BTreeSet<u16> {
        self.by_lokasi
            .values()
            .flat_map(|v| v.iter().map(|r| r.tahun))
            .collect()
    }

    /// A location's class at the last record of each year, oldest first.
    pub(crate) fn riwayat(&self, kode: &str) -> Vec<(u16, SlumClass)> {
        let mut out: Vec<(u16, SlumClass)> = Vec::new();
        for r in self.of(kode) {
            match out.last_mut() {
                Some(last) if last.0 == r.tahun => last.1 = r.class,
                _ => out.push((r.tahun, r.class)),
            }
        }
        out
    }

    /// Hectares by class in [`SlumClass::ALL`] order as they stood in `tahun`: each
    /// location with its latest record up to then, summed by the domain's
    /// [`summarize`] (rounded to 0.01 ha).
    pub(crate) fn luas_pada(&self, tahun: u16) -> [f64; 4] {
        let items = self
            .by_lokasi
            .values()
            .flat_map(|v| v.iter())
            .filter(|r| r.tahun <= tahun)
            .map(|r| SummaryItem {
                kode_lokasi: &r.kode_lokasi,
                tahun: r.tahun,
                class: r.class.as_str(),
                priority: r.priority.as_deref(),
                luas_ha: self.luas_ha(&r.kode_lokasi),
            });
        let s = summarize(items);
        SlumClass::ALL.map(|k| s.hektar_per_kelas.get(k.as_str()).copied().unwrap_or(0.0))
    }

    /// [`Catatan::luas_pada`] for every year with a record.
    pub(crate) fn luas_per_tahun(&self) -> Vec<LuasTahun> {
        self.tahun()
            .into_iter()
            .map(|tahun| LuasTahun {
                tahun,
                per_kelas_ha: self.luas_pada(tahun),
            })
            .collect()
    }

    /// Hectares by class in two years, the earlier first.
    pub(crate) fn perbandingan(&self, a: u16, b: u16) -> Perbandingan {
        let (awal, akhir) = (a.min(b), a.max(b));
        let (x, y) = (self.luas_pada(awal), self.luas_pada(akhir));
        Perbandingan {
            tahun_awal: awal,
            tahun_akhir: akhir,
            per_kelas_ha: [0, 1, 2, 3].map(|i| (x[i], y[i])),
        }
    }
}

#[cfg(test)]
mod tests;
