//! GeoJSON (RFC 7946) in and out, parsed from `serde_json` values so that every problem
//! can be named precisely: feature index, field, ring and vertex.
//!
//! - `read`: features into places, slum locations and road/drainage lines;
//! - `crs`: the one coordinate system accepted (EPSG:4326 / CRS84, by exact name);
//! - `geometry`: GeoJSON geometries in and out, each problem located;
//! - `parents`: checks against the places already known (an RT's desa, a desa far
//!   from its kecamatan), with the store's answers passed in as a [`KnownPlaces`];
//! - `write`: features and collections for the API and exports.

use std::fmt;

use kumuh_domain::jaringan::Ruas;
use kumuh_domain::{Level, LokasiKumuh, Place};

mod crs;
mod geometry;
mod parents;
mod read;
mod write;

pub use geometry::{area_geometry_from_json, geometry_from_json, geometry_json};
pub use parents::{Checked, KnownPlaces, parse_checked, parse_checked_value};
pub use read::{parse, parse_skipping};
pub use write::{
    feature_collection, jaringan_collection, label_points, lokasi_collection, lokasi_feature,
    place_feature, places_collection,
};

/// One thing wrong with an input file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Zero-based index of the feature, where the problem is in one.
    pub feature: Option<usize>,
    /// The feature's code, where it has one.
    pub kode: Option<String>,
    /// The field (property name, `geometry`, `type`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(i) = self.feature {
            write!(f, "feature {i}")?;
            if let Some(k) = &self.kode {
                write!(f, " ({k})")?;
            }
            write!(f, ", ")?;
        }
        write!(f, "field `{}`: {}", self.field, self.message)
    }
}

/// Every problem found in one file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ImportError {
    /// The file, as the user named it.
    pub file: String,
    /// The problems, in file order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "{}: {one}", self.file),
            many => {
                write!(
                    f,
                    "{}: {} problems, nothing imported",
                    self.file,
                    many.len()
                )?;
                for p in many {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
        }
    }
}

/// What a GeoJSON import brings in.
#[derive(Debug, Clone, PartialEq)]
pub enum Import {
    /// Administrative places of one level.
    Places(Vec<Place>),
    /// Slum locations.
    Lokasi(Vec<LokasiKumuh>),
    /// Road and drainage lines with their condition.
    Jaringan(Vec<Ruas>),
}

/// What the import file holds: a level of places, or slum locations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Places of one level (`desa`, `rt`, ...).
    Places(Level),
    /// Slum locations (`lokasi`).
    Lokasi,
    /// Road and drainage lines (`jaringan`).
    Jaringan,
}

#[cfg(test)]
mod tests;
