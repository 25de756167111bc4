#[macro_use]
mod backend;
mod common;
#[path = "../../../../tests/support/gdal.rs"]
mod gdal;
#[path = "../../../../tests/support/postgres.rs"]
mod postgres;

mod atlas;
mod foto;
mod gpkg;
mod maintenance;
mod penilaian;
mod peta_dasar;
mod places;
mod postgis;
mod upk;
mod works;
