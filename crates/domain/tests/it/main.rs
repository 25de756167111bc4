mod jaringan_fixture;

mod assessment_props;
mod assessment_published;
mod assessment_serde;
mod fuzz_props;
mod geometry;
mod jaringan;
mod jaringan_kode;
mod jaringan_pilihan;
mod siteplan;
mod skenario;
mod upk;
mod upk_props;
mod works;
mod works_props;
