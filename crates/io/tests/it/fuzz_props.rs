//! The fuzz targets of io's readers (fuzz/bodies/), run on stable: every committed seed,
//! then a few hundred inputs near the seeds. Each asserts no panic: a reader answers
//! its value or an error.

#[path = "../../../../fuzz/bodies/assessment.rs"]
mod assessment;
#[path = "../../../../fuzz/bodies/foreign.rs"]
mod foreign;
#[path = "../../../../fuzz/bodies/foto.rs"]
mod foto;
#[path = "../../../../fuzz/bodies/geojson_import.rs"]
mod geojson_import;
#[path = "../../../../fuzz/bodies/props.rs"]
mod props;
#[path = "../../../../fuzz/bodies/siteplan_fitur.rs"]
mod siteplan_fitur;
#[path = "../../../../fuzz/bodies/upk_pinjaman.rs"]
mod upk_pinjaman;

use proptest::prelude::*;

/// Runs every seed of `target` through `body`; at least one must be accepted, so the
/// target reaches past the first refusal.
fn seeds_accepted(target: &str, body: fn(&[u8]) -> bool) {
    let accepted: Vec<_> = props::seeds(target)
        .into_iter()
        .filter(|(_, bytes)| body(bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(!accepted.is_empty(), "no seed of {target} is accepted");
}

#[test]
fn geojson_import_seeds_are_read() {
    seeds_accepted("geojson_import", geojson_import::geojson_import);
}

#[test]
fn assessment_csv_seeds_are_read() {
    seeds_accepted("assessment_csv", assessment::assessment_csv);
}

#[test]
fn assessment_xlsx_seeds_are_read() {
    seeds_accepted("assessment_xlsx", assessment::assessment_xlsx);
}

#[test]
fn siteplan_fitur_seeds_are_read() {
    seeds_accepted("siteplan_fitur", siteplan_fitur::siteplan_fitur);
}

#[test]
fn shapefile_seeds_are_read() {
    seeds_accepted("shapefile", foreign::shapefile);
}

#[test]
fn kml_seeds_are_read() {
    seeds_accepted("kml", foreign::kml);
}

#[test]
fn flatgeobuf_seeds_are_read() {
    seeds_accepted("flatgeobuf", foreign::flatgeobuf);
}

#[test]
fn upk_pinjaman_csv_seeds_are_read() {
    seeds_accepted("upk_pinjaman_csv", upk_pinjaman::upk_pinjaman_csv);
}

#[test]
fn foto_seeds_are_read() {
    seeds_accepted("foto", foto::foto);
}

#[test]
fn upk_pinjaman_xlsx_seeds_are_read() {
    seeds_accepted("upk_pinjaman_xlsx", upk_pinjaman::upk_pinjaman_xlsx);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn geojson_import_never_panics(data in props::near_seeds("geojson_import")) {
        geojson_import::geojson_import(&data);
    }

    #[test]
    fn assessment_csv_never_panics(data in props::near_seeds("assessment_csv")) {
        assessment::assessment_csv(&data);
    }

    #[test]
    fn assessment_xlsx_never_panics(data in props::near_seeds("assessment_xlsx")) {
        assessment::assessment_xlsx(&data);
    }

    #[test]
    fn siteplan_fitur_never_panics(data in props::near_seeds("siteplan_fitur")) {
        siteplan_fitur::siteplan_fitur(&data);
    }

    #[test]
    fn shapefile_never_panics(data in props::near_seeds("shapefile")) {
        foreign::shapefile(&data);
    }

    #[test]
    fn kml_never_panics(data in props::near_seeds("kml")) {
        foreign::kml(&data);
    }

    #[test]
    fn flatgeobuf_never_panics(data in props::near_seeds("flatgeobuf")) {
        foreign::flatgeobuf(&data);
    }

    #[test]
    fn upk_pinjaman_csv_never_panics(data in props::near_seeds("upk_pinjaman_csv")) {
        upk_pinjaman::upk_pinjaman_csv(&data);
    }

    #[test]
    fn foto_never_panics(data in props::near_seeds("foto")) {
        foto::foto(&data);
    }

    #[test]
    fn upk_pinjaman_xlsx_never_panics(data in props::near_seeds("upk_pinjaman_xlsx")) {
        upk_pinjaman::upk_pinjaman_xlsx(&data);
    }
}
