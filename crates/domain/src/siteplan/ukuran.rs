//! Geodesic measures of features (ukuran: size) and the check that features lie inside
//! their desa.

use std::fmt;

use geo::{BooleanOps, BoundingRect, CoordsIter, Geodesic, Intersects, Length};
use geo_types::{Geometry, MultiLineString, MultiPolygon};
use serde::Serialize;

use super::fitur::{Fitur, FiturId};
use crate::geometry::{
    coord_problem, geodesic_area_m2 as area_m2, polygon_perimeter_area as perimeter_area,
};

/// Length under which a line's part outside the desa is not reported, metres: the
/// clipper snaps to a fine grid, and a line drawn along the boundary may poke out by a
/// hair.
pub const TOLERANSI_LUAR_M: f64 = 0.1;

/// Area under which a polygon's part outside the desa is not reported, square metres.
pub const TOLERANSI_LUAR_M2: f64 = 1.0;

/// The size of one feature, measured on the WGS84 ellipsoid (lengths by Karney's
/// algorithm through `geo`, areas on its authalic sphere: [`crate::geometry::area`]), as
/// the viewer shows it while drawing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "jenis", rename_all = "snake_case")]
pub enum Ukuran {
    /// A point has no size.
    Titik,
    /// A line.
    Garis {
        /// Geodesic length, metres.
        length_m: f64,
    },
    /// A polygon.
    Area {
        /// Geodesic area, holes subtracted, square metres.
        area_m2: f64,
        /// Geodesic length of all rings (outer boundary and holes), metres.
        perimeter_m: f64,
    },
}

impl Fitur {
    /// The feature's geodesic size; `None` for a geometry type a siteplan does not take.
    ///
    /// # Examples
    /// ```
    /// use geo_types::line_string;
    /// use kumuh_domain::siteplan::{Fitur, FiturId, Kategori, Ukuran};
    /// // The Bibrik paving road: 0.00154° of longitude at 7.6° S.
    /// let road = line_string![(x: 111.4935, y: -7.5753), (x: 111.49504, y: -7.5753)];
    /// let f = Fitur::new(FiturId::new("J-01").unwrap(), Kategori::Jalan, road);
    /// let Some(Ukuran::Garis { length_m }) = f.ukuran() else { panic!() };
    /// assert!((length_m - 170.0).abs() < 1.0, "{length_m}");
    /// ```
    pub fn ukuran(&self) -> Option<Ukuran> {
        match &self.geometry {
            Geometry::Point(_) => Some(Ukuran::Titik),
            Geometry::LineString(ls) => Some(Ukuran::Garis {
                length_m: Geodesic.length(ls),
            }),
            Geometry::Polygon(p) => {
                let (perimeter_m, area_m2) = perimeter_area(p);
                Some(Ukuran::Area {
                    area_m2,
                    perimeter_m,
                })
            }
            _ => None,
        }
    }
}

/// How much of a feature lies outside its desa.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "jenis", rename_all = "snake_case")]
pub enum Luar {
    /// The point lies outside.
    Titik,
    /// Part or all of the line lies outside.
    Garis {
        /// Geodesic length outside, metres.
        outside_m: f64,
        /// Geodesic length of the whole line, metres.
        length_m: f64,
    },
    /// Part or all of the polygon lies outside.
    Area {
        /// Geodesic area outside, square metres.
        outside_m2: f64,
        /// Geodesic area of the whole polygon, square metres.
        area_m2: f64,
    },
}

/// A warning, not an error: a feature lies wholly or partly outside the siteplan's desa.
/// Plans do reach across a boundary (a road to the next village), so the siteplan is
/// still saved; the viewer shows the warning beside the feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiLuarDesa {
    /// Zero-based index of the feature in the list.
    pub index: usize,
    /// The feature's id.
    pub id: FiturId,
    /// How much lies outside.
    pub luar: Luar,
}

impl fmt::Display for DiLuarDesa {
    /// `feature 0 (`J-01`): 12.3 m of 170.0 m lies outside the desa`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "feature {} (`{}`)", self.index, self.id)?;
        match self.luar {
            Luar::Titik => f.write_str(" lies outside the desa"),
            Luar::Garis {
                outside_m,
                length_m,
            } => write!(
                f,
                ": {outside_m:.1} m of {length_m:.1} m lies outside the desa"
            ),
            Luar::Area {
                outside_m2,
                area_m2,
            } => write!(
                f,
                ": {outside_m2:.1} m² of {area_m2:.1} m² lies outside the desa"
            ),
        }
    }
}

/// Lists the features that lie wholly or partly outside the desa, in feature order, with
/// how much lies outside, measured geodesically: a point outside; for a line the
/// length outside (more than [`TOLERANSI_LUAR_M`]); for a polygon the area outside (more
/// than [`TOLERANSI_LUAR_M2`]). The boundary belongs to the desa: a point on it or a
/// line along it is inside.
///
/// Features are expected to have passed [`super::validate_fitur`]; one with a
/// coordinate that is not a finite longitude/latitude, or of a type a siteplan does not
/// take, is passed over. A desa without a usable boundary (no polygon with points, or a
/// bad coordinate) gives no warnings: where the boundary is unknown nothing can be said
/// to lie outside it. Check boundaries with
/// [`validate_area_geometry`](crate::geometry::validate_area_geometry) when they are
/// imported.
///
/// # Examples
/// ```
/// use geo_types::{line_string, point, polygon, MultiPolygon};
/// use kumuh_domain::siteplan::{outside_desa, Fitur, FiturId, Kategori, Luar};
/// // About 100 m × 100 m near Jiwan (0.0009° ≈ 100 m).
/// let desa = MultiPolygon(vec![polygon![
///     (x: 111.49, y: -7.65), (x: 111.4909, y: -7.65),
///     (x: 111.4909, y: -7.6491), (x: 111.49, y: -7.6491)]]);
/// let id = |s: &str| FiturId::new(s).unwrap();
/// let fitur = [
///     Fitur::new(id("BJ-01"), Kategori::BudidayaJamur, point!(x: 111.4905, y: -7.6495)),
///     // From the middle of the desa 50 m to the east, half of it outside.
///     Fitur::new(id("J-01"), Kategori::Jalan,
///         line_string![(x: 111.49045, y: -7.64955), (x: 111.49135, y: -7.64955)]),
/// ];
/// let w = outside_desa(&desa, &fitur);
/// assert_eq!(w.len(), 1);
/// let Luar::Garis { outside_m, length_m } = w[0].luar else { panic!() };
/// assert!((outside_m - 49.6).abs() < 0.5 && (length_m - 99.3).abs() < 0.5, "{}", w[0]);
/// ```
pub fn outside_desa(desa: &MultiPolygon<f64>, fitur: &[Fitur]) -> Vec<DiLuarDesa> {
    let usable = desa.0.iter().any(|p| !p.exterior().0.is_empty())
        && desa.coords_iter().all(|c| coord_problem(c).is_none());
    let Some(desa_rect) = desa.bounding_rect().filter(|_| usable) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (index, f) in fitur.iter().enumerate() {
        if f.geometry.coords_iter().any(|c| coord_problem(c).is_some()) {
            continue;
        }
        // A feature whose box misses the desa's box lies wholly outside; skipping the
        // clipper for it also keeps the clipper's grid fine.
        let apart = f
            .geometry
            .bounding_rect()
            .is_none_or(|r| !r.intersects(&desa_rect));
        let luar = match &f.geometry {
            Geometry::Point(p) => (apart || !desa.intersects(p)).then_some(Luar::Titik),
            Geometry::LineString(ls) => {
                let length_m = Geodesic.length(ls);
                let outside_m = if apart {
                    length_m
                } else {
                    let outside = desa.clip(&MultiLineString(vec![ls.clone()]), true);
                    Geodesic.length(&outside).clamp(0.0, length_m)
                };
                (outside_m > TOLERANSI_LUAR_M).then_some(Luar::Garis {
                    outside_m,
                    length_m,
                })
            }
            Geometry::Polygon(p) => {
                let area = perimeter_area(p).1;
                let outside_m2 = if apart {
                    area
                } else {
                    area_m2(&p.difference(desa)).clamp(0.0, area)
                };
                (outside_m2 > TOLERANSI_LUAR_M2).then_some(Luar::Area {
                    outside_m2,
                    area_m2: area,
                })
            }
            _ => None,
        };
        if let Some(luar) = luar {
            out.push(DiLuarDesa {
                index,
                id: f.id.clone(),
                luar,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::siteplan::Kategori;
    use geo_types::{LineString, Polygon, line_string, point, polygon};

    /// 0.001° of longitude at the equator, in metres (WGS84).
    const M_PER_MILLIDEG: f64 = 111.319_490_793;

    fn desa() -> MultiPolygon<f64> {
        // 0.01° × 0.01° at the equator, about 1.1 km square.
        MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0), (x: 0.01, y: 0.0), (x: 0.01, y: 0.01), (x: 0.0, y: 0.01)]])
    }

    fn fitur(g: impl Into<Geometry<f64>>) -> Fitur {
        Fitur::new(FiturId::new("F").unwrap(), Kategori::Lainnya, g)
    }

    fn check(g: impl Into<Geometry<f64>>, expected: Option<&str>) {
        let got = outside_desa(&desa(), &[fitur(g)]);
        assert!(got.len() <= 1);
        let got = got.first().map(ToString::to_string);
        assert_eq!(got.as_deref(), expected);
    }

    #[test]
    fn what_lies_outside() {
        check(point!(x: 0.005, y: 0.005), None);
        check(point!(x: 0.0, y: 0.005), None);
        check(
            point!(x: -0.001, y: 0.005),
            Some("feature 0 (`F`) lies outside the desa"),
        );
        check(
            point!(x: 50.0, y: 50.0),
            Some("feature 0 (`F`) lies outside the desa"),
        );
        check(
            line_string![(x: 0.001, y: 0.005), (x: 0.009, y: 0.005)],
            None,
        );
        // Along the boundary is inside.
        check(line_string![(x: 0.0, y: 0.001), (x: 0.0, y: 0.009)], None);
        check(
            line_string![(x: 0.009, y: 0.005), (x: 0.011, y: 0.005)],
            Some("feature 0 (`F`): 111.3 m of 222.6 m lies outside the desa"),
        );
        check(
            line_string![(x: 1.0, y: 1.0), (x: 1.001, y: 1.0)],
            Some("feature 0 (`F`): 111.3 m of 111.3 m lies outside the desa"),
        );
        check(
            polygon![(x: 0.001, y: 0.001), (x: 0.002, y: 0.001), (x: 0.002, y: 0.002)],
            None,
        );
        // Half of a 0.002° × 0.001° rectangle on the eastern boundary.
        check(
            polygon![(x: 0.009, y: 0.001), (x: 0.011, y: 0.001), (x: 0.011, y: 0.002), (x: 0.009, y: 0.002)],
            Some("feature 0 (`F`): 12309.1 m² of 24618.1 m² lies outside the desa"),
        );
        // Clockwise, wholly outside.
        check(
            polygon![(x: 0.02, y: 0.0), (x: 0.02, y: 0.001), (x: 0.021, y: 0.001), (x: 0.021, y: 0.0)],
            Some("feature 0 (`F`): 12309.1 m² of 12309.1 m² lies outside the desa"),
        );
        // Not a siteplan geometry, or bad coordinates: passed over.
        check(geo_types::MultiPoint(vec![point!(x: 5.0, y: 5.0)]), None);
        check(point!(x: f64::NAN, y: 0.0), None);
    }

    #[test]
    fn poking_out_by_a_hair_is_not_a_warning() {
        // 5 cm outside along the equator.
        let hair = 0.05 / (M_PER_MILLIDEG * 1000.0);
        check(
            line_string![(x: 0.005, y: 0.005), (x: 0.01 + hair, y: 0.005)],
            None,
        );
    }

    #[test]
    fn without_a_boundary_nothing_is_outside() {
        let f = [fitur(point!(x: 5.0, y: 5.0))];
        assert!(outside_desa(&MultiPolygon(vec![]), &f).is_empty());
        let bad = MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0), (x: f64::NAN, y: 0.0), (x: 1.0, y: 1.0)]]);
        assert!(outside_desa(&bad, &f).is_empty());
        let empty_ring = MultiPolygon(vec![Polygon::new(LineString(vec![]), vec![])]);
        assert!(outside_desa(&empty_ring, &f).is_empty());
    }

    #[test]
    fn measures() {
        let line = fitur(line_string![(x: 0.0, y: 0.0), (x: 0.001, y: 0.0)]);
        let Some(Ukuran::Garis { length_m }) = line.ukuran() else {
            panic!()
        };
        assert!((length_m - M_PER_MILLIDEG).abs() < 1e-6, "{length_m}");
        let ccw = polygon![(x: 0.0, y: 0.0), (x: 0.001, y: 0.0), (x: 0.001, y: 0.001), (x: 0.0, y: 0.001)];
        let mut cw = ccw.clone();
        cw.exterior_mut(|e| e.0.reverse());
        let a = fitur(ccw).ukuran().unwrap();
        let b = fitur(cw).ukuran().unwrap();
        assert_eq!(a, b);
        let Ukuran::Area {
            area_m2,
            perimeter_m,
        } = a
        else {
            panic!()
        };
        assert!((area_m2 - 12_309.07).abs() < 0.01, "{area_m2}");
        assert!((perimeter_m - 443.78).abs() < 0.01, "{perimeter_m}");
        assert_eq!(fitur(point!(x: 0.0, y: 0.0)).ukuran(), Some(Ukuran::Titik));
        assert_eq!(
            serde_json::to_value(a).unwrap()["jenis"],
            serde_json::json!("area")
        );
    }
}
