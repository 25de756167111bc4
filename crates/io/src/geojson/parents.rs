//! An import checked against the places the atlas already knows: an RT or RW needs its
//! desa, a slum location its desa, and a place drawn far from the place it belongs to
//! (a polygon in Africa coded as a Jiwan desa) is worth a warning. io never touches the
//! store, so the caller hands over what the store knows as a [`KnownPlaces`].

use std::collections::{HashMap, HashSet};

use geo::{BoundingRect, Distance, Geodesic};
use geo_types::{MultiPolygon, Point, Rect};
use kumuh_domain::{Kode, Level, Place};

use super::read::{Features, read_features, read_features_value};
use super::{Import, ImportError, ImportKind, Problem};

/// How far (m) a place's bounding box may lie from its parent's before the import warns.
/// Boundaries from different sources disagree by tens or hundreds of metres, never by
/// kilometres.
pub const FAR_M: f64 = 10_000.0;

/// The places an import may refer to, by code, each with its bounding box where it has
/// a geometry.
///
/// # Examples
/// ```
/// use kumuh_domain::Kode;
/// use kumuh_io::geojson::KnownPlaces;
/// let mut known = KnownPlaces::default();
/// known.insert(Kode::parse("35.19.09.2014").unwrap(), None);
/// assert!(known.contains(&Kode::parse("35.19.09.2014").unwrap()));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KnownPlaces {
    places: HashMap<Kode, Option<Rect<f64>>>,
}

impl KnownPlaces {
    /// Adds a place, with its geometry where it has one (only the bounding box is kept).
    pub fn insert(&mut self, kode: Kode, geometry: Option<&MultiPolygon<f64>>) {
        self.places
            .insert(kode, geometry.and_then(BoundingRect::bounding_rect));
    }

    /// Adds a place with its boundary's box (minx, miny, maxx, maxy), where it has one.
    pub fn insert_box(&mut self, kode: Kode, bbox: Option<[f64; 4]>) {
        self.places.insert(
            kode,
            bbox.map(|[x0, y0, x1, y1]| Rect::new((x0, y0), (x1, y1))),
        );
    }

    /// The places given, e.g. every desa and kecamatan of the store.
    pub fn from_places<'a>(places: impl IntoIterator<Item = &'a Place>) -> Self {
        let mut known = KnownPlaces::default();
        for p in places {
            known.insert(p.kode.clone(), p.geometry.as_ref());
        }
        known
    }

    /// Whether the place is known.
    pub fn contains(&self, kode: &Kode) -> bool {
        self.places.contains_key(kode)
    }

    fn bbox(&self, kode: &Kode) -> Option<Rect<f64>> {
        self.places.get(kode).copied().flatten()
    }
}

/// An import checked against the known places.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The features without problems.
    pub import: Import,
    /// The problems of the features left out (none when everything was read).
    pub left_out: Vec<Problem>,
    /// Things worth a look that do not stop the import, e.g. a desa drawn far outside
    /// its kecamatan.
    pub warnings: Vec<Problem>,
}

impl Checked {
    /// The import and its warnings if no feature was left out; otherwise every problem
    /// as one error, so that nothing is half-imported.
    pub fn strict(self, file: &str) -> Result<(Import, Vec<Problem>), ImportError> {
        if self.left_out.is_empty() {
            Ok((self.import, self.warnings))
        } else {
            Err(ImportError {
                file: file.to_owned(),
                problems: self.left_out,
            })
        }
    }
}

/// [`parse_skipping`](super::parse_skipping), then every feature checked against the
/// file and the `known` places: an RT or RW whose desa is in neither, and a slum location
/// whose desa is in neither, are left out with a problem; a place or location whose
/// bounding box lies more than [`FAR_M`] from that of its nearest known ancestor (for a
/// desa, its kecamatan) is kept with a warning.
pub fn parse_checked(
    file: &str,
    text: &str,
    kind: ImportKind,
    known: &KnownPlaces,
) -> Result<Checked, ImportError> {
    let features = read_features(file, text, kind)?;
    check_features(features, known)
}

/// [`parse_checked`] on a parsed GeoJSON document (as the readers of other formats in
/// [`crate::foreign`] produce it, in EPSG:4326).
///
/// `geometries[i]`, where given, is feature `i`'s geometry as the reader built it
/// ([`crate::foreign::Converted::geometries`]).
pub fn parse_checked_value(
    file: &str,
    root: &serde_json::Value,
    geometries: Vec<Option<geo_types::Geometry<f64>>>,
    kind: ImportKind,
    known: &KnownPlaces,
) -> Result<Checked, ImportError> {
    let features = read_features_value(file, root, geometries, kind)?;
    check_features(features, known)
}

fn check_features(features: Features, known: &KnownPlaces) -> Result<Checked, ImportError> {
    let mut left_out = features.problems;
    let mut warnings = Vec::new();
    let problem = |index: usize, kode: &str, field: &str, message: String| Problem {
        feature: Some(index),
        kode: Some(kode.to_owned()),
        field: field.to_owned(),
        message,
    };
    let import = match features.import {
        Import::Places(places) => {
            let in_file: HashSet<&Kode> = places.iter().map(|p| &p.kode).collect();
            let mut keep = Vec::with_capacity(places.len());
            for (p, &index) in places.iter().zip(&features.indices) {
                let desa = ancestor(&p.kode, Level::Desa);
                let missing = matches!(p.level(), Level::Rw | Level::Rt)
                    && desa
                        .as_ref()
                        .is_some_and(|d| !in_file.contains(d) && !known.contains(d));
                if missing {
                    let d = desa.map(|d| d.to_string()).unwrap_or_default();
                    left_out.push(problem(
                        index,
                        p.kode.as_str(),
                        "kode",
                        format!("desa {d} is neither in the file nor in the atlas; import the desa first"),
                    ));
                }
                keep.push(!missing);
                if let Some(g) = &p.geometry
                    && let Some(w) = far_from_ancestor(&p.kode, g, known)
                {
                    warnings.push(problem(index, p.kode.as_str(), "geometry", w));
                }
            }
            let mut keep = keep.into_iter();
            Import::Places(
                places
                    .into_iter()
                    .filter(|_| keep.next().unwrap_or(false))
                    .collect(),
            )
        }
        Import::Lokasi(lokasi) => {
            let mut kept = Vec::with_capacity(lokasi.len());
            for (l, &index) in lokasi.into_iter().zip(&features.indices) {
                if !known.contains(&l.kode_desa) {
                    left_out.push(problem(
                        index,
                        &l.kode,
                        "kode_desa",
                        format!(
                            "no desa {} in the atlas; import the desa first",
                            l.kode_desa
                        ),
                    ));
                    continue;
                }
                if let Some(w) = far_from(&l.geometry, &l.kode_desa, known) {
                    warnings.push(problem(index, &l.kode, "geometry", w));
                }
                kept.push(l);
            }
            Import::Lokasi(kept)
        }
        jaringan @ Import::Jaringan(_) => jaringan,
    };
    Ok(Checked {
        import,
        left_out,
        warnings,
    })
}

/// The code's ancestor (or itself) at `level`.
fn ancestor(kode: &Kode, level: Level) -> Option<Kode> {
    let mut k = kode.clone();
    loop {
        if k.level() == level {
            return Some(k);
        }
        k = k.parent()?;
    }
}

/// A warning if the geometry lies far from its nearest ancestor that has a known
/// bounding box.
fn far_from_ancestor(kode: &Kode, g: &MultiPolygon<f64>, known: &KnownPlaces) -> Option<String> {
    let mut parent = kode.parent();
    while let Some(p) = parent {
        if known.bbox(&p).is_some() {
            return far_from(g, &p, known);
        }
        parent = p.parent();
    }
    None
}

fn far_from(g: &MultiPolygon<f64>, parent: &Kode, known: &KnownPlaces) -> Option<String> {
    let (b, own) = (known.bbox(parent)?, g.bounding_rect()?);
    let distance_m = bbox_distance_m(&own, &b);
    (distance_m > FAR_M).then(|| {
        format!(
            "lies {:.0} km from its {} {parent} (between bounding boxes); check the coordinates and the code",
            distance_m / 1000.0,
            parent.level()
        )
    })
}

/// The geodesic distance (m) between the nearest points of two bounding boxes; 0 when
/// they overlap.
fn bbox_distance_m(a: &Rect<f64>, b: &Rect<f64>) -> f64 {
    // On each axis: the facing edges when the boxes are apart, a shared value when they
    // overlap.
    let near = |a_min: f64, a_max: f64, b_min: f64, b_max: f64| {
        if a_max < b_min {
            (a_max, b_min)
        } else if b_max < a_min {
            (a_min, b_max)
        } else {
            let shared = a_min.max(b_min);
            (shared, shared)
        }
    };
    let (ax, bx) = near(a.min().x, a.max().x, b.min().x, b.max().x);
    let (ay, by) = near(a.min().y, a.max().y, b.min().y, b.max().y);
    Geodesic.distance(Point::new(ax, ay), Point::new(bx, by))
}

#[cfg(test)]
mod tests {
    use geo_types::coord;

    use super::*;

    #[test]
    fn bounding_boxes_apart_and_overlapping() {
        let jiwan = Rect::new(coord! {x: 111.45, y: -7.66}, coord! {x: 111.53, y: -7.58});
        let inside = Rect::new(coord! {x: 111.48, y: -7.62}, coord! {x: 111.49, y: -7.61});
        assert_eq!(bbox_distance_m(&inside, &jiwan), 0.0);
        // 0.1° of longitude east at 7.6° S is about 11 km.
        let east = Rect::new(coord! {x: 111.63, y: -7.62}, coord! {x: 111.64, y: -7.61});
        let d = bbox_distance_m(&east, &jiwan);
        assert!((10_900.0..11_200.0).contains(&d), "{d}");
        let africa = Rect::new(coord! {x: 20.0, y: 0.0}, coord! {x: 20.01, y: 0.01});
        assert!(bbox_distance_m(&africa, &jiwan) > 9_000_000.0);
    }
}
