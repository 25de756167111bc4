//! The HTTP handlers, grouped by what they serve.

mod common;
pub mod dokumen;
pub mod ekspor;
pub mod foto;
pub mod impor;
pub mod jaringan;
pub mod kegiatan;
pub mod penilaian;
pub mod peta_dasar;
pub mod places;
pub mod publik;
pub mod siteplan;
pub mod siteplan_bodies;
pub mod skenario;
pub mod system;
pub mod tiles;
pub mod upk;
pub mod upk_bodies;
pub mod upk_bulanan;
pub mod upk_tagih;
