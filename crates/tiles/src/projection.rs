//! Spherical Web Mercator (EPSG:3857) and the integer world grid the index works on.
//!
//! The index keeps every coordinate as a "world unit": the Mercator square (the whole
//! world between ±85.0511° latitude) divided into 2³² × 2³² cells, x growing east and y
//! growing south, as tile coordinates do. One world unit is about 9 mm at the equator,
//! finer than a tile unit up to zoom 20 with the default extent.

use std::f64::consts::PI;

/// Latitude limit of Web Mercator in degrees; latitudes beyond it are clamped.
pub const MAX_LATITUDE_DEG: f64 = 85.051_128_779_806_59;

/// Radius of the spherical Web Mercator earth, in metres.
pub const EARTH_RADIUS_M: f64 = 6_378_137.0;

/// Half the width of the Web Mercator square, in metres (π × radius).
pub const HALF_WORLD_M: f64 = PI * EARTH_RADIUS_M;

/// Number of world units across the Mercator square (2³²).
pub(crate) const WORLD_UNITS: f64 = 4_294_967_296.0;

/// Projects longitude and latitude (degrees) to the Mercator square as fractions in
/// `0..=1`, y growing south. Latitude is clamped to ±[`MAX_LATITUDE_DEG`].
///
/// # Examples
///
/// ```
/// use kumuh_tiles::projection::lonlat_to_unit;
/// let (x, y) = lonlat_to_unit(0.0, 0.0);
/// assert_eq!((x, y), (0.5, 0.5));
/// ```
pub fn lonlat_to_unit(lon_deg: f64, lat_deg: f64) -> (f64, f64) {
    let x = (lon_deg + 180.0) / 360.0;
    let lat = lat_deg.clamp(-MAX_LATITUDE_DEG, MAX_LATITUDE_DEG);
    let sin = lat.to_radians().sin();
    let y = 0.5 - ((1.0 + sin) / (1.0 - sin)).ln() / (4.0 * PI);
    (x, y)
}

/// Inverse of [`lonlat_to_unit`]: fractions of the Mercator square to degrees.
pub fn unit_to_lonlat(x: f64, y: f64) -> (f64, f64) {
    let lon = x * 360.0 - 180.0;
    let lat = (PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees();
    (lon, lat)
}

/// Projects longitude and latitude (degrees) to Web Mercator metres (EPSG:3857).
///
/// # Examples
///
/// ```
/// use kumuh_tiles::projection::{lonlat_to_mercator_m, HALF_WORLD_M};
/// let (x_m, _y_m) = lonlat_to_mercator_m(180.0, 0.0);
/// assert!((x_m - HALF_WORLD_M).abs() < 1e-6);
/// ```
pub fn lonlat_to_mercator_m(lon_deg: f64, lat_deg: f64) -> (f64, f64) {
    let (x, y) = lonlat_to_unit(lon_deg, lat_deg);
    unit_to_mercator_m(x, y)
}

/// Fractions of the Mercator square to Web Mercator metres.
pub fn unit_to_mercator_m(x: f64, y: f64) -> (f64, f64) {
    (
        (x - 0.5) * 2.0 * HALF_WORLD_M,
        (0.5 - y) * 2.0 * HALF_WORLD_M,
    )
}

/// Longitude/latitude to integer world units, or `None` for a non-finite coordinate or
/// one outside ±180° / ±90°.
pub(crate) fn lonlat_to_world(lon_deg: f64, lat_deg: f64) -> Option<[u32; 2]> {
    if !lon_deg.is_finite() || !lat_deg.is_finite() {
        return None;
    }
    if !(-180.0..=180.0).contains(&lon_deg) || !(-90.0..=90.0).contains(&lat_deg) {
        return None;
    }
    let (x, y) = lonlat_to_unit(lon_deg, lat_deg);
    Some([to_world(x), to_world(y)])
}

fn to_world(unit: f64) -> u32 {
    // `as` saturates, so the east edge (exactly 2^32) lands on the last unit.
    (unit * WORLD_UNITS).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_through_the_unit_square() {
        for (lon, lat) in [(111.45, -7.6), (-70.0, 45.0), (0.0, 0.0), (179.9, -85.0)] {
            let (x, y) = lonlat_to_unit(lon, lat);
            let (lon2, lat2) = unit_to_lonlat(x, y);
            assert!((lon - lon2).abs() < 1e-9, "{lon} {lon2}");
            assert!((lat - lat2).abs() < 1e-9, "{lat} {lat2}");
        }
    }

    #[test]
    fn latitude_is_clamped() {
        assert_eq!(
            lonlat_to_unit(0.0, 90.0),
            lonlat_to_unit(0.0, MAX_LATITUDE_DEG)
        );
        let (_, y) = lonlat_to_unit(0.0, MAX_LATITUDE_DEG);
        assert!(y.abs() < 1e-12);
    }

    #[test]
    fn world_units_refuse_bad_coordinates() {
        assert_eq!(lonlat_to_world(f64::NAN, 0.0), None);
        assert_eq!(lonlat_to_world(0.0, f64::INFINITY), None);
        assert_eq!(lonlat_to_world(1e300, 0.0), None);
        assert_eq!(lonlat_to_world(0.0, -91.0), None);
        assert_eq!(lonlat_to_world(180.0, 0.0), Some([u32::MAX, 1 << 31]));
        assert_eq!(lonlat_to_world(-180.0, 0.0), Some([0, 1 << 31]));
    }

    #[test]
    fn mercator_metres_match_epsg_3857() {
        // Jakarta's Monas, 106.8271528 E, 6.1753871 S, as GDAL's gdaltransform gives it.
        let (x, y) = lonlat_to_mercator_m(106.827_152_8, -6.175_387_1);
        assert!((x - 11_891_944.253).abs() < 0.01, "{x}");
        assert!((y - -688_775.793).abs() < 0.01, "{y}");
    }
}
