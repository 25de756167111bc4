//! The Kumuh domain: places, slum locations, users and roles, and the rules that hold
//! between them.
//!
//! This crate is pure: no IO, no async, no SQL and no HTTP. Geometry is `geo_types` in
//! EPSG:4326 (longitude, latitude in degrees); every measure it derives is geodesic and
//! carries its unit in its name (`area_ha`, `length_m`).

pub mod assessment;
pub mod auth;
pub mod geometry;
pub mod jaringan;
pub mod place;
pub mod search;
pub mod siteplan;
pub mod works;

pub use auth::{Action, Role, User, authorize};
pub use geometry::{GeometryIssue, validate_area_geometry};
pub use place::{Kode, Level, LokasiKumuh, Place, PlaceSummary, SkKumuh};
