//! The data a new store starts with: Kecamatan Jiwan (Kabupaten Madiun, Jawa Timur),
//! its 14 desa and its 6 neighbouring kecamatan, from the files in `data/` (boundaries
//! from cahyadsn/wilayah_boundaries, MIT; see `data/README.md`).

use kumuh_domain::{Kode, Level, Place};

use crate::geojson::{Import, ImportError, ImportKind, parse};

const DESA: &str = include_str!("../../../data/jiwan_desa.geojson");
const KECAMATAN: &str = include_str!("../../../data/jiwan_kecamatan.geojson");

/// Provinces and districts the seed's kecamatan belong to (no open boundaries shipped).
const ABOVE: &[(&str, &str)] = &[
    ("35", "Jawa Timur"),
    ("35.19", "Kabupaten Madiun"),
    ("35.20", "Kabupaten Magetan"),
    ("35.77", "Kota Madiun"),
];

/// The code of the kecamatan the seed is about.
pub const HOME_KECAMATAN: &str = "35.19.09";

/// Every place of the seed, from provinsi down to desa.
pub fn jiwan() -> Result<Vec<Place>, ImportError> {
    let mut places: Vec<Place> = ABOVE
        .iter()
        .filter_map(|(kode, nama)| {
            Some(Place {
                kode: Kode::parse(kode).ok()?,
                kode_bps: None,
                nama: (*nama).to_owned(),
                nama_alt: vec![],
                geometry: None,
                attributes: Default::default(),
            })
        })
        .collect();
    for (file, text, level) in [
        ("data/jiwan_kecamatan.geojson", KECAMATAN, Level::Kecamatan),
        ("data/jiwan_desa.geojson", DESA, Level::Desa),
    ] {
        match parse(file, text, ImportKind::Places(level))? {
            Import::Places(p) => places.extend(p),
            Import::Lokasi(_) | Import::Jaringan(_) => {}
        }
    }
    Ok(places)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_holds_jiwan_and_its_neighbours() {
        let places = jiwan().unwrap();
        let count = |l: Level| places.iter().filter(|p| p.level() == l).count();
        assert_eq!(count(Level::Provinsi), 1);
        assert_eq!(count(Level::Kabupaten), 3);
        assert_eq!(count(Level::Kecamatan), 7);
        assert_eq!(count(Level::Desa), 14);
        let klagen = places.iter().find(|p| p.nama == "Klagenserut").unwrap();
        assert_eq!(klagen.nama_alt, ["Klagen Serut"]);
        // The 14 desa total 34.75 km² (data/README.md), geodesically.
        let total_ha: f64 = places
            .iter()
            .filter(|p| p.level() == Level::Desa)
            .filter_map(Place::area_ha)
            .sum();
        assert!((total_ha - 3475.0).abs() < 5.0, "{total_ha}");
    }
}
