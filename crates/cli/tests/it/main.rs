mod common;
#[path = "../../../../tests/support/gdal.rs"]
mod gdal;

mod assessments;
mod basemap;
mod cli;
mod dokumen;
mod export;
mod import;
mod maintenance;
mod pinjaman;
