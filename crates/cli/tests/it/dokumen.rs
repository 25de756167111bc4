//! `kumuh report profil|rplp|sk-kumuh` on a new store: the documents out without a
//! server, a workbook written whole under its name, and wrong places refused.

use crate::common;
use common::{fails, kumuh, ok};

#[test]
fn the_documents_are_written_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("d.gpkg");
    ok(&kumuh(&store, &["init"]));

    let html = ok(&kumuh(
        &store,
        &["report", "profil", "--wilayah", "35.19.09.2014"],
    ));
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert!(
        html.contains("Profil Permukiman Kumuh Desa Bibrik"),
        "{html}"
    );

    let sk = dir.path().join("sk.html");
    ok(&kumuh(
        &store,
        &[
            "report",
            "sk-kumuh",
            "--wilayah",
            "35.19",
            "--tahun",
            "2017",
            "--banding",
            "2018",
            "--out",
            sk.to_str().unwrap(),
        ],
    ));
    let sk = std::fs::read_to_string(sk).unwrap();
    assert!(sk.contains("Bibrik RT 09/10") && sk.contains("Perbandingan 2017 dan 2018"));

    let xlsx = dir.path().join("rplp.xlsx");
    ok(&kumuh(
        &store,
        &[
            "report",
            "rplp",
            "--wilayah",
            "35.19.09.2014",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    ));
    let bytes = std::fs::read(&xlsx).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip: {:?}", &bytes[..4]);
    // Only the documents are left: the temporary name was renamed.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("d.gpkg"))
        .collect();
    names.sort();
    assert_eq!(names, ["rplp.xlsx", "sk.html"]);

    let err = fails(&kumuh(&store, &["report", "rplp", "--wilayah", "35.19.09"]));
    assert!(err.contains("wilayah") && err.contains("desa"), "{err}");
    let err = fails(&kumuh(
        &store,
        &["report", "profil", "--wilayah", "35.19", "--format", "xlsx"],
    ));
    assert!(err.contains("--out"), "{err}");
}
