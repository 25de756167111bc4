//! File formats in and out of the atlas: GeoJSON places and slum locations, files from
//! other GIS tools (`foreign`), the seed data shipped in `data/`.
//!
//! Reading is strict and exhaustive: a file with problems yields one error listing every
//! problem with the file, the feature index and the field, so nothing is half-imported.

pub mod assessment;
pub mod dokumen;
pub mod ekspor;
pub mod foreign;
pub mod foto;
pub mod geojson;
pub mod laporan;
pub mod ortofoto;
pub mod seed;
pub mod skenario;
pub mod text;
pub mod upk;
