//! Summaries of assessments over an area (a desa, a kecamatan): how many hectares are in
//! each slum class and how many locations have each priority.

use std::collections::BTreeMap;

use serde::Serialize;

/// One assessed location, as a summary needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SummaryItem<'a> {
    /// The location's code.
    pub kode_lokasi: &'a str,
    /// Survey year.
    pub tahun: u16,
    /// Class id (`kumuh_berat`, `kumuh_sedang`, `kumuh_ringan`, `tidak_kumuh`).
    pub class: &'a str,
    /// Priority code (`A1` … `C3`), where computed.
    pub priority: Option<&'a str>,
    /// Verified area of the location, hectares.
    pub luas_ha: f64,
}

/// The latest assessment of a slum location, as its map feature shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestAssessment<'a> {
    /// Survey year.
    pub tahun: u16,
    /// Total score.
    pub total: u32,
    /// Class id (`kumuh_berat` … `tidak_kumuh`).
    pub kelas: &'a str,
    /// Priority code, where computed.
    pub prioritas: Option<&'a str>,
}

/// Totals over the latest assessment of every location.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Number of locations counted.
    pub lokasi: usize,
    /// Hectares per class id (rounded to 0.01 ha for display).
    pub hektar_per_kelas: BTreeMap<String, f64>,
    /// Locations per priority code; `tanpa_prioritas` for those without one.
    pub lokasi_per_prioritas: BTreeMap<String, usize>,
    /// Hectares in any slum class (everything but `tidak_kumuh`), rounded to 0.01 ha.
    pub luas_kumuh_ha: f64,
    /// Hectares that left the slum classes: locations whose latest assessment is
    /// `tidak_kumuh` after an earlier one in a slum class, rounded to 0.01 ha.
    pub luas_keluar_kumuh_ha: f64,
    /// The years the counted assessments come from.
    pub tahun: Vec<u16>,
}

/// Summarises the latest assessment of each location among `items` (an older year of a
/// location that has a newer one is left out, so a location counts once). Items come
/// oldest first, as the store lists them; within a year the later item wins (an
/// evaluation after a finished work comes after the year's survey).
///
/// # Examples
/// ```
/// use kumuh_domain::assessment::summary::{summarize, SummaryItem};
/// let item = |k, tahun, class, luas_ha| SummaryItem { kode_lokasi: k, tahun, class, priority: None, luas_ha };
/// let s = summarize([
///     item("SKL-01", 2019, "kumuh_ringan", 10.2),
///     item("SKL-01", 2024, "tidak_kumuh", 10.2),
///     item("BBR-01", 2024, "kumuh_sedang", 3.0),
/// ]);
/// assert_eq!(s.lokasi, 2);
/// assert_eq!(s.luas_kumuh_ha, 3.0);
/// assert_eq!(s.hektar_per_kelas["tidak_kumuh"], 10.2);
/// assert_eq!(s.luas_keluar_kumuh_ha, 10.2); // SKL-01 left the slum classes
/// ```
pub fn summarize<'a>(items: impl IntoIterator<Item = SummaryItem<'a>>) -> Summary {
    let mut latest: BTreeMap<&str, SummaryItem<'a>> = BTreeMap::new();
    let mut was_slum: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for item in items {
        match latest.get(item.kode_lokasi) {
            Some(seen) if seen.tahun > item.tahun => {
                if item.class != "tidak_kumuh" {
                    was_slum.insert(item.kode_lokasi);
                }
            }
            Some(seen) => {
                if seen.class != "tidak_kumuh" {
                    was_slum.insert(seen.kode_lokasi);
                }
                latest.insert(item.kode_lokasi, item);
            }
            None => {
                latest.insert(item.kode_lokasi, item);
            }
        }
    }
    let mut s = Summary {
        lokasi: latest.len(),
        ..Summary::default()
    };
    let mut kumuh = 0.0;
    let mut left = 0.0;
    for item in latest.values() {
        *s.hektar_per_kelas.entry(item.class.to_owned()).or_default() += item.luas_ha;
        if item.class != "tidak_kumuh" {
            kumuh += item.luas_ha;
        } else if was_slum.contains(item.kode_lokasi) {
            left += item.luas_ha;
        }
        *s.lokasi_per_prioritas
            .entry(item.priority.unwrap_or("tanpa_prioritas").to_owned())
            .or_default() += 1;
        if !s.tahun.contains(&item.tahun) {
            s.tahun.push(item.tahun);
        }
    }
    for ha in s.hektar_per_kelas.values_mut() {
        *ha = (*ha * 100.0).round() / 100.0;
    }
    s.luas_kumuh_ha = (kumuh * 100.0).round() / 100.0;
    s.luas_keluar_kumuh_ha = (left * 100.0).round() / 100.0;
    s.tahun.sort_unstable();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>(
        k: &'a str,
        tahun: u16,
        class: &'a str,
        priority: Option<&'a str>,
        luas_ha: f64,
    ) -> SummaryItem<'a> {
        SummaryItem {
            kode_lokasi: k,
            tahun,
            class,
            priority,
            luas_ha,
        }
    }

    #[test]
    fn only_the_latest_year_of_each_location_counts() {
        let s = summarize([
            item("A", 2024, "kumuh_berat", Some("A1"), 1.5),
            item("A", 2019, "kumuh_ringan", Some("C1"), 1.5),
            item("B", 2019, "kumuh_ringan", None, 2.25),
            item("C", 2024, "kumuh_ringan", Some("C1"), 0.005),
        ]);
        assert_eq!(s.lokasi, 3);
        assert_eq!(s.hektar_per_kelas["kumuh_berat"], 1.5);
        assert_eq!(s.hektar_per_kelas["kumuh_ringan"], 2.26);
        assert!(!s.hektar_per_kelas.contains_key("tidak_kumuh"));
        assert_eq!(s.lokasi_per_prioritas["A1"], 1);
        assert_eq!(s.lokasi_per_prioritas["C1"], 1);
        assert_eq!(s.lokasi_per_prioritas["tanpa_prioritas"], 1);
        assert_eq!(s.luas_kumuh_ha, 3.76);
        assert_eq!(s.tahun, [2019, 2024]);
    }

    #[test]
    fn nothing_assessed_is_an_empty_summary() {
        assert_eq!(summarize([]), Summary::default());
    }
}
