//! Tile addresses in the Web Mercator pyramid (XYZ scheme: y = 0 is the northern row).

use std::fmt;
use std::str::FromStr;

use geo_types::{Rect, coord};

use crate::projection::{lonlat_to_unit, unit_to_lonlat, unit_to_mercator_m};
use crate::{Error, Result};

/// Highest zoom a [`TileId`] may have.
pub const MAX_ZOOM: u8 = 22;

/// A checked tile address: zoom `z` in `0..=22`, column `x` and row `y` in `0..2^z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    z: u8,
    x: u32,
    y: u32,
}

impl TileId {
    /// A tile address, refused when `z` exceeds [`MAX_ZOOM`] or `x`/`y` lie outside
    /// `0..2^z`; the error names the field.
    ///
    /// # Examples
    ///
    /// ```
    /// use kumuh_tiles::TileId;
    /// assert!(TileId::new(6, 51, 33).is_ok());
    /// let err = TileId::new(2, 1, 4).unwrap_err();
    /// assert_eq!(err.to_string(), "tile y = 4 is out of range: it must be at most 3");
    /// ```
    pub fn new(z: u8, x: u32, y: u32) -> Result<Self> {
        if z > MAX_ZOOM {
            return Err(Error::InvalidTile {
                field: "z",
                value: u64::from(z),
                max: u64::from(MAX_ZOOM),
            });
        }
        let max = (1u64 << z) - 1;
        for (field, value) in [("x", x), ("y", y)] {
            if u64::from(value) > max {
                return Err(Error::InvalidTile {
                    field,
                    value: u64::from(value),
                    max,
                });
            }
        }
        Ok(Self { z, x, y })
    }

    /// The tile at zoom `z` that contains a point given in degrees.
    ///
    /// # Examples
    ///
    /// ```
    /// use kumuh_tiles::TileId;
    /// let tile = TileId::covering_lonlat(111.48, -7.61, 6)?;
    /// assert_eq!(tile.to_string(), "6/51/33");
    /// # Ok::<(), kumuh_tiles::Error>(())
    /// ```
    pub fn covering_lonlat(lon_deg: f64, lat_deg: f64, z: u8) -> Result<Self> {
        if !lon_deg.is_finite() || !lat_deg.is_finite() {
            return Err(Error::InvalidLonLat {
                lon: lon_deg,
                lat: lat_deg,
            });
        }
        Self::new(z, 0, 0)?;
        let (x, y) = lonlat_to_unit(lon_deg, lat_deg);
        Ok(Self {
            z,
            x: unit_to_index(x, z),
            y: unit_to_index(y, z),
        })
    }

    /// Zoom level.
    pub fn z(&self) -> u8 {
        self.z
    }

    /// Column, counted from 180° W.
    pub fn x(&self) -> u32 {
        self.x
    }

    /// Row, counted from the north edge of the Mercator square.
    pub fn y(&self) -> u32 {
        self.y
    }

    /// Bounds as fractions of the Mercator square: `(min_x, min_y, max_x, max_y)`, y south.
    pub(crate) fn unit_bounds(&self) -> [f64; 4] {
        let size = 1.0 / f64::from(1u32 << self.z);
        let (x, y) = (f64::from(self.x) * size, f64::from(self.y) * size);
        [x, y, x + size, y + size]
    }

    /// Bounds in degrees (x longitude, y latitude).
    ///
    /// # Examples
    ///
    /// ```
    /// use kumuh_tiles::TileId;
    /// let b = TileId::new(1, 1, 1)?.bounds_lonlat();
    /// assert_eq!((b.min().x, b.max().x, b.max().y), (0.0, 180.0, 0.0));
    /// # Ok::<(), kumuh_tiles::Error>(())
    /// ```
    pub fn bounds_lonlat(&self) -> Rect<f64> {
        let [x0, y0, x1, y1] = self.unit_bounds();
        let (west, north) = unit_to_lonlat(x0, y0);
        let (east, south) = unit_to_lonlat(x1, y1);
        Rect::new(coord! { x: west, y: south }, coord! { x: east, y: north })
    }

    /// Bounds in Web Mercator metres (EPSG:3857).
    pub fn bounds_mercator_m(&self) -> Rect<f64> {
        let [x0, y0, x1, y1] = self.unit_bounds();
        let (west, north) = unit_to_mercator_m(x0, y0);
        let (east, south) = unit_to_mercator_m(x1, y1);
        Rect::new(coord! { x: west, y: south }, coord! { x: east, y: north })
    }

    /// The tile one zoom out that contains this one; `None` at zoom 0.
    pub fn parent(&self) -> Option<TileId> {
        (self.z > 0).then(|| TileId {
            z: self.z - 1,
            x: self.x >> 1,
            y: self.y >> 1,
        })
    }

    /// The four tiles one zoom in (north-west, north-east, south-west, south-east);
    /// `None` at [`MAX_ZOOM`].
    pub fn children(&self) -> Option<[TileId; 4]> {
        if self.z >= MAX_ZOOM {
            return None;
        }
        let (z, x, y) = (self.z + 1, self.x << 1, self.y << 1);
        Some([
            TileId { z, x, y },
            TileId { z, x: x + 1, y },
            TileId { z, x, y: y + 1 },
            TileId {
                z,
                x: x + 1,
                y: y + 1,
            },
        ])
    }

    /// The tiles at zoom `z` that a longitude/latitude box touches, row by row.
    ///
    /// Latitudes beyond ±85.0511° are clamped; a box with a non-finite corner covers
    /// nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use geo_types::{Rect, coord};
    /// use kumuh_tiles::TileId;
    /// // Kecamatan Jiwan.
    /// let jiwan = Rect::new(coord! { x: 111.4507, y: -7.6628 }, coord! { x: 111.5208, y: -7.5652 });
    /// let tiles: Vec<TileId> = TileId::covering(jiwan, 12)?.collect();
    /// assert_eq!(tiles.len(), 2);
    /// # Ok::<(), kumuh_tiles::Error>(())
    /// ```
    pub fn covering(bbox_lonlat: Rect<f64>, z: u8) -> Result<TileCover> {
        Self::new(z, 0, 0)?;
        let (min, max) = (bbox_lonlat.min(), bbox_lonlat.max());
        let finite = [min.x, min.y, max.x, max.y].iter().all(|v| v.is_finite());
        if !finite {
            return Ok(TileCover::empty(z));
        }
        let (x0, y0) = lonlat_to_unit(min.x, max.y);
        let (x1, y1) = lonlat_to_unit(max.x, min.y);
        Ok(TileCover::new(z, unit_box_to_range([x0, y0, x1, y1], z)))
    }

    /// The PMTiles v3 tile id: the tile's position on the sequence of Hilbert curves that
    /// runs through zoom 0, then zoom 1, and so on.
    ///
    /// # Examples
    ///
    /// ```
    /// use kumuh_tiles::TileId;
    /// assert_eq!(TileId::new(1, 1, 0)?.hilbert_id(), 4);
    /// assert_eq!(TileId::new(3, 3, 0)?.hilbert_id(), 26);
    /// # Ok::<(), kumuh_tiles::Error>(())
    /// ```
    pub fn hilbert_id(&self) -> u64 {
        let n = 1u64 << self.z;
        let (mut x, mut y) = (u64::from(self.x), u64::from(self.y));
        let mut d = 0u64;
        let mut s = n / 2;
        while s > 0 {
            let rx = u64::from(x & s > 0);
            let ry = u64::from(y & s > 0);
            d += s * s * ((3 * rx) ^ ry);
            if ry == 0 {
                if rx == 1 {
                    x = n - 1 - x;
                    y = n - 1 - y;
                }
                std::mem::swap(&mut x, &mut y);
            }
            s /= 2;
        }
        tiles_before_zoom(self.z) + d
    }

    /// Inverse of [`TileId::hilbert_id`]; `None` for an id beyond zoom 22.
    pub fn from_hilbert_id(id: u64) -> Option<TileId> {
        let z = (0..=MAX_ZOOM).rev().find(|&z| tiles_before_zoom(z) <= id)?;
        let mut d = id - tiles_before_zoom(z);
        let n = 1u64 << z;
        if d >= n * n {
            return None;
        }
        let (mut x, mut y) = (0u64, 0u64);
        let mut s = 1u64;
        while s < n {
            let rx = 1 & (d / 2);
            let ry = 1 & (d ^ rx);
            if ry == 0 {
                if rx == 1 {
                    x = s - 1 - x;
                    y = s - 1 - y;
                }
                std::mem::swap(&mut x, &mut y);
            }
            x += s * rx;
            y += s * ry;
            d /= 4;
            s *= 2;
        }
        Some(TileId {
            z,
            x: u32::try_from(x).ok()?,
            y: u32::try_from(y).ok()?,
        })
    }
}

/// Number of tiles in all zooms below `z`: (4^z − 1) / 3.
fn tiles_before_zoom(z: u8) -> u64 {
    ((1u64 << (2 * u32::from(z))) - 1) / 3
}

fn unit_to_index(unit: f64, z: u8) -> u32 {
    let n = f64::from(1u32 << z);
    // `as` saturates and maps NaN to 0; the clamp keeps the east and south edges inside.
    ((unit * n).floor() as i64).clamp(0, (1i64 << z) - 1) as u32
}

/// Tile index ranges `[x0, y0, x1, y1]` (inclusive) touched by a box in unit fractions.
pub(crate) fn unit_box_to_range(unit_box: [f64; 4], z: u8) -> [u32; 4] {
    let [x0, y0, x1, y1] = unit_box;
    [
        unit_to_index(x0.min(x1), z),
        unit_to_index(y0.min(y1), z),
        unit_to_index(x0.max(x1), z),
        unit_to_index(y0.max(y1), z),
    ]
}

impl fmt::Display for TileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.z, self.x, self.y)
    }
}

impl FromStr for TileId {
    type Err = Error;

    /// Parses `z/x/y`, checking the ranges as [`TileId::new`] does.
    fn from_str(s: &str) -> Result<Self> {
        let parse = || -> Option<(u8, u32, u32)> {
            let mut parts = s.trim().split('/');
            let z = parts.next()?.parse().ok()?;
            let x = parts.next()?.parse().ok()?;
            let y = parts.next()?.parse().ok()?;
            parts.next().is_none().then_some((z, x, y))
        };
        let (z, x, y) = parse().ok_or_else(|| Error::ParseTile {
            input: s.to_string(),
        })?;
        TileId::new(z, x, y)
    }
}

/// Iterator over a rectangle of tiles at one zoom, row by row; made by
/// [`TileId::covering`].
#[derive(Debug, Clone)]
pub struct TileCover {
    z: u8,
    x0: u32,
    x1: u32,
    y1: u32,
    next: Option<(u32, u32)>,
}

impl TileCover {
    pub(crate) fn new(z: u8, range: [u32; 4]) -> Self {
        let [x0, y0, x1, y1] = range;
        TileCover {
            z,
            x0,
            x1,
            y1,
            next: Some((x0, y0)),
        }
    }

    pub(crate) fn empty(z: u8) -> Self {
        TileCover {
            z,
            x0: 0,
            x1: 0,
            y1: 0,
            next: None,
        }
    }
}

impl Iterator for TileCover {
    type Item = TileId;

    fn next(&mut self) -> Option<TileId> {
        let (x, y) = self.next?;
        self.next = if x < self.x1 {
            Some((x + 1, y))
        } else if y < self.y1 {
            Some((self.x0, y + 1))
        } else {
            None
        };
        Some(TileId { z: self.z, x, y })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let Some((x, y)) = self.next else {
            return (0, Some(0));
        };
        let width = u64::from(self.x1 - self.x0) + 1;
        let left = u64::from(self.y1 - y) * width + u64::from(self.x1 - x) + 1;
        let left = usize::try_from(left).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_names_the_wrong_field() {
        let check = |z, x, y, field: &str| match TileId::new(z, x, y) {
            Err(Error::InvalidTile { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{z}/{x}/{y}: {other:?}"),
        };
        check(23, 0, 0, "z");
        check(0, 1, 0, "x");
        check(0, 0, 1, "y");
        check(22, 1 << 22, 0, "x");
        assert!(TileId::new(22, (1 << 22) - 1, (1 << 22) - 1).is_ok());
    }

    #[test]
    fn parses_and_prints_z_x_y() {
        let t: TileId = "14/13265/8539".parse().unwrap();
        assert_eq!((t.z(), t.x(), t.y()), (14, 13265, 8539));
        assert_eq!(t.to_string(), "14/13265/8539");
        for bad in ["", "1/2", "1/2/3/4", "a/0/0", "1/-1/0", "1/2/0"] {
            assert!(bad.parse::<TileId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn parent_and_children_agree() {
        let t = TileId::new(10, 813, 529).unwrap();
        for child in t.children().unwrap() {
            assert_eq!(child.parent(), Some(t));
        }
        assert_eq!(TileId::new(0, 0, 0).unwrap().parent(), None);
        assert_eq!(TileId::new(22, 0, 0).unwrap().children(), None);
    }

    #[test]
    fn bounds_of_the_world_tile() {
        let b = TileId::new(0, 0, 0).unwrap().bounds_lonlat();
        assert_eq!((b.min().x, b.max().x), (-180.0, 180.0));
        assert!((b.max().y - crate::projection::MAX_LATITUDE_DEG).abs() < 1e-9);
        let m = TileId::new(0, 0, 0).unwrap().bounds_mercator_m();
        assert!((m.max().x - crate::projection::HALF_WORLD_M).abs() < 1e-6);
        assert!((m.min().y + crate::projection::HALF_WORLD_M).abs() < 1e-6);
    }

    #[test]
    fn covering_matches_the_python_tile_list_formula() {
        // tile_list.py: x = floor((lon + 180) / 360 * 2^z), y from asinh(tan(lat)).
        let (lon, lat, z) = (110.123_f64, -7.321_f64, 14u8);
        let n = f64::from(1u32 << z);
        let x = ((lon + 180.0) / 360.0 * n) as u32;
        let y = ((1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0 * n) as u32;
        let t = TileId::covering_lonlat(lon, lat, z).unwrap();
        assert_eq!((t.x(), t.y()), (x, y));
    }

    #[test]
    fn covering_a_box_and_degenerate_boxes() {
        let bbox = Rect::new(coord! { x: -1.0, y: -1.0 }, coord! { x: 1.0, y: 1.0 });
        let tiles: Vec<_> = TileId::covering(bbox, 1).unwrap().collect();
        assert_eq!(tiles.len(), 4);
        let cover = TileId::covering(bbox, 3).unwrap();
        assert_eq!(cover.size_hint(), (4, Some(4)));
        let nan = Rect::new(coord! { x: f64::NAN, y: 0.0 }, coord! { x: 1.0, y: 1.0 });
        assert_eq!(TileId::covering(nan, 5).unwrap().count(), 0);
        let huge = Rect::new(
            coord! { x: -1e308, y: -1e308 },
            coord! { x: 1e308, y: 1e308 },
        );
        assert_eq!(TileId::covering(huge, 2).unwrap().count(), 16);
        assert!(TileId::covering(bbox, 23).is_err());
    }

    #[test]
    fn hilbert_ids_match_the_pmtiles_spec_and_round_trip() {
        let check = |z, x, y, id| {
            let t = TileId::new(z, x, y).unwrap();
            assert_eq!(t.hilbert_id(), id, "{t}");
            assert_eq!(TileId::from_hilbert_id(id), Some(t));
        };
        check(0, 0, 0, 0);
        check(1, 0, 0, 1);
        check(1, 0, 1, 2);
        check(1, 1, 1, 3);
        check(1, 1, 0, 4);
        check(2, 1, 3, 11);
        check(3, 3, 0, 26);
        for id in (0..5000).chain([1_000_000, 123_456_789_012]) {
            let t = TileId::from_hilbert_id(id).unwrap();
            assert_eq!(t.hilbert_id(), id);
        }
        let last = TileId::new(22, (1 << 22) - 1, 0).unwrap();
        assert_eq!(TileId::from_hilbert_id(last.hilbert_id()), Some(last));
    }
}
