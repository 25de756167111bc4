//! Problems found in input features: what the index and the projection report.

use std::fmt;

/// Something wrong with one input feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// The feature's id.
    pub feature_id: u64,
    /// What is wrong.
    pub kind: IssueKind,
    /// `true` when the whole feature was left out of the index; `false` when only the
    /// named part was dropped, or nothing (the feature is drawn as it is).
    pub skipped: bool,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outcome = if self.skipped {
            "feature left out"
        } else {
            "feature kept"
        };
        write!(f, "feature {}: {} ({outcome})", self.feature_id, self.kind)
    }
}

/// The kinds of [`Issue`]. `part` counts the polygons (or lines) of a multi-geometry
/// from 0; `ring` is 0 for the exterior ring and 1.. for the holes.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum IssueKind {
    /// A coordinate that is not finite, or lies outside ±180° longitude / ±90° latitude.
    BadCoordinate {
        /// Polygon, line or point group.
        part: usize,
        /// Ring within the polygon.
        ring: usize,
        /// Vertex within the ring or line.
        vertex: usize,
        /// Longitude as given.
        lon: f64,
        /// Latitude as given.
        lat: f64,
    },
    /// No coordinates at all.
    Empty,
    /// A ring with fewer than three distinct points, or a line with fewer than two.
    TooFewPoints {
        /// Polygon or line.
        part: usize,
        /// Ring within the polygon.
        ring: usize,
    },
    /// A ring enclosing no area.
    ZeroArea {
        /// Polygon.
        part: usize,
        /// Ring within the polygon.
        ring: usize,
    },
    /// A geometry collection mixing points, lines and polygons (an MVT feature has one
    /// type).
    MixedGeometry,
    /// A polygon that is not valid by OGC rules (for instance a ring that touches or
    /// crosses itself); it is still drawn.
    Invalid {
        /// Polygon.
        part: usize,
        /// What the validator found.
        reason: String,
    },
    /// An id already used by an earlier feature, which this one replaced.
    DuplicateId,
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssueKind::BadCoordinate {
                part,
                ring,
                vertex,
                lon,
                lat,
            } => write!(
                f,
                "part {part} ring {ring} vertex {vertex}: ({lon}, {lat}) is not a finite lon/lat"
            ),
            IssueKind::Empty => write!(f, "geometry is empty"),
            IssueKind::TooFewPoints { part, ring } => {
                write!(
                    f,
                    "part {part} ring {ring}: too few distinct points, dropped"
                )
            }
            IssueKind::ZeroArea { part, ring } => {
                write!(f, "part {part} ring {ring}: zero area, dropped")
            }
            IssueKind::MixedGeometry => write!(f, "collection mixes geometry types"),
            IssueKind::Invalid { part, reason } => write!(f, "part {part}: {reason}"),
            IssueKind::DuplicateId => write!(f, "id used again; the later feature replaces it"),
        }
    }
}
