mod common;
#[path = "../../../../tests/support/gdal.rs"]
mod gdal;

mod api;
mod auth;
mod dokumen;
mod ekspor;
mod foto;
mod impor;
mod limits;
mod openapi;
mod peta_dasar;
mod privacy;
mod publik;
mod security;
mod siteplan;
mod skenario;
mod tiles;
mod timeout;
mod upk;
mod upk_bulanan;
mod upk_tunggakan;
mod works;
