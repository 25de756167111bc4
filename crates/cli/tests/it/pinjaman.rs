//! `kumuh import-pinjaman`: a UPK's existing loan book brought in whole, its standing as
//! the arrears list then shows it, and a book with bad cells listed cell by cell while
//! the store stays as it was.

use crate::common;

use std::path::Path;

use common::{fails, kumuh, ok, sqlite3};

const HEADER: &str = "ksm,kode_desa,pinjaman,pokok_rp,jangka_bulan,jasa_persen_bulan,metode_jasa,tanggal_cair,dibayar_rp,tanggal_dibayar";

fn book(path: &Path, rows: &[&str]) {
    let mut text = format!("{HEADER}\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

const COUNTS: &str = "SELECT (SELECT count(*) FROM upk_ksm) || ' ' || (SELECT count(*) FROM upk_pinjaman) \
     || ' ' || (SELECT count(*) FROM upk_buku) || ' ' || (SELECT count(*) FROM kumuh_audit)";

#[test]
fn a_good_book_imports_and_its_standing_matches_the_worked_case() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kumuh.gpkg");
    ok(&kumuh(&store, &["init"]));
    let file = dir.path().join("buku.csv");
    book(
        &file,
        &[
            // The worked case: two instalments of Rp 345.000 paid by 5 March.
            "KSM Maju,35.19.09.2014,P-01,3000000,10,\"1,5\",flat,2026-01-05,690000,2026-03-05",
            // Six instalments of Rp 230.000 paid by 5 July: nothing behind on 10 July.
            " ksm maju ,35.19.09.2014,P-02,2000000,10,1.5,,2026-01-05,1380000,2026-07-05",
            // The seed's group, matched by desa and name.
            "KSM Berkah Jaya,,P-03,1000000,5,1,menurun,2026-06-20,,",
        ],
    );
    let before = sqlite3(&store, COUNTS);
    let f = file.to_str().unwrap();
    let dry = kumuh(
        &store,
        &["import-pinjaman", f, "--desa", "35.19.09.2014", "--dry-run"],
    );
    let err = String::from_utf8_lossy(&dry.stderr).into_owned();
    ok(&dry);
    assert!(
        err.contains("would import (--dry-run): 3 loan(s), 1 new KSM"),
        "{err}"
    );
    assert_eq!(sqlite3(&store, COUNTS), before, "a dry run writes nothing");

    let out = kumuh(&store, &["import-pinjaman", f, "--desa", "35.19.09.2014"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    ok(&out);
    assert!(err.contains("imported: 3 loan(s), 1 new KSM"), "{err}");
    assert!(err.contains(": KSM Maju"), "{err}");
    // One row a line, in SQL both backends speak.
    assert_eq!(
        sqlite3(&store, "SELECT nama FROM upk_ksm ORDER BY nama").replace('\n', "|"),
        "KSM Berkah Jaya|KSM Maju"
    );
    assert_eq!(
        sqlite3(
            &store,
            "SELECT id || ':' || status FROM upk_pinjaman ORDER BY id"
        )
        .replace('\n', " "),
        "P-01:berjalan P-02:berjalan P-03:berjalan"
    );

    // The arrears list on 10 July shows P-01 exactly as the worked case stands.
    let csv = ok(&kumuh(
        &store,
        &[
            "report",
            "tunggakan",
            "--per",
            "2026-07-10",
            "--format",
            "csv",
        ],
    ));
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{csv}");
    let cells: Vec<&str> = rows[0].split(',').collect();
    assert_eq!(cells[0], "35.19.09.2014");
    assert!(cells[1].starts_with("KSM-35.19.09.2014-"), "{csv}");
    assert_eq!(
        cells[2..].join(","),
        "KSM Maju,P-01,2400000,1200000,180000,4,96,3,ya,"
    );
    // Every loan and group has its audit line.
    assert_eq!(
        sqlite3(
            &store,
            "SELECT count(*) FROM kumuh_audit WHERE aksi = 'impor' AND pengguna = 'kumuh import-pinjaman'"
        ),
        "4"
    );

    // The same book again: every loan is already there, and nothing changes.
    let counts = sqlite3(&store, COUNTS);
    let err = fails(&kumuh(
        &store,
        &["import-pinjaman", f, "--desa", "35.19.09.2014"],
    ));
    assert!(
        err.contains("row 2, column pinjaman: pinjaman P-01 is already in the atlas"),
        "{err}"
    );
    assert!(err.contains("3 problem(s); nothing was imported"), "{err}");
    assert_eq!(sqlite3(&store, COUNTS), counts);
}

#[test]
fn a_book_with_three_bad_cells_lists_all_three_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kumuh.gpkg");
    ok(&kumuh(&store, &["init"]));
    let file = dir.path().join("buruk.csv");
    book(
        &file,
        &[
            "KSM Maju,35.19.09.2014,P-01,-5,10,1.5,flat,2026-01-05,,",
            "KSM Maju,35.19.09.2014,P-02,2000000,10,1.5,flat,2026-13-01,,",
            "KSM Maju,35.19.09.2014,P-03,2000000,10,1.5,bunga,2026-01-05,,",
            "KSM Sejahtera,35.19.09.2014,P-04,2000000,10,1.5,flat,2026-01-05,100000,2026-02-05",
        ],
    );
    let before = sqlite3(&store, COUNTS);
    let err = fails(&kumuh(&store, &["import-pinjaman", file.to_str().unwrap()]));
    for expected in [
        "row 2, column D (pokok_rp): `-5` is not a whole number of rupiah above 0",
        "row 3, column H (tanggal_cair): `2026-13-01` is not a date as YYYY-MM-DD",
        "row 4, column G (metode_jasa): `bunga` is neither flat nor menurun",
    ] {
        assert!(err.contains(expected), "{expected} in {err}");
    }
    assert!(err.contains("3 problem(s); nothing was imported"), "{err}");
    assert_eq!(
        sqlite3(&store, COUNTS),
        before,
        "the good row P-04 is not written either"
    );
}

#[test]
fn the_template_is_an_xlsx_the_import_reads() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kumuh.gpkg");
    ok(&kumuh(&store, &["init"]));
    let template = dir.path().join("buku-pinjaman.xlsx");
    ok(&kumuh(
        &store,
        &["import-pinjaman", "--template", template.to_str().unwrap()],
    ));
    let out = kumuh(
        &store,
        &["import-pinjaman", template.to_str().unwrap(), "--dry-run"],
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    ok(&out);
    assert!(
        err.contains("would import (--dry-run): 0 loan(s), 0 new KSM"),
        "{err}"
    );
}

#[test]
fn a_district_sets_its_own_kolektibilitas_limits() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kumuh.gpkg");
    ok(&kumuh(&store, &["init"]));
    let file = dir.path().join("buku.csv");
    book(
        &file,
        &["KSM Maju,35.19.09.2014,P-01,3000000,10,\"1,5\",flat,2026-01-05,690000,2026-03-05"],
    );
    ok(&kumuh(
        &store,
        &[
            "import-pinjaman",
            file.to_str().unwrap(),
            "--desa",
            "35.19.09.2014",
        ],
    ));
    let class_of_p01 = |extra: &[&str]| {
        let mut args = vec![
            "report",
            "tunggakan",
            "--per",
            "2026-07-10",
            "--format",
            "csv",
        ];
        args.extend_from_slice(extra);
        let csv = ok(&kumuh(&store, &args));
        let row = csv
            .lines()
            .find(|l| l.contains(",P-01,"))
            .unwrap()
            .to_owned();
        // …,angsuran_tertunggak,hari_tunggak,kolektibilitas,menunggak,penyebab
        row.split(',').rev().nth(2).unwrap().to_owned()
    };
    // Four instalments behind: class 3 by the shipped limits (3-5 behind).
    assert_eq!(class_of_p01(&[]), "3");
    assert_eq!(class_of_p01(&["--kolektibilitas", "upk-angsuran"]), "3");
    // A stricter district: 2-3 behind is class 3, 4-5 class 4.
    let own = dir.path().join("batas.toml");
    std::fs::write(
        &own,
        "id = \"madiun\"\nnama = \"Batas Kabupaten Madiun\"\ndasar = \"angsuran\"\n\
         [minimum]\nkelas_2 = 1\nkelas_3 = 2\nkelas_4 = 4\nkelas_5 = 6\n",
    )
    .unwrap();
    assert_eq!(
        class_of_p01(&["--kolektibilitas", own.to_str().unwrap()]),
        "4"
    );
    // Limits out of order, and an unknown set, are refused naming what is wrong.
    std::fs::write(
        &own,
        "id = \"salah\"\nnama = \"Salah\"\ndasar = \"angsuran\"\n\
         [minimum]\nkelas_2 = 1\nkelas_3 = 5\nkelas_4 = 4\nkelas_5 = 6\n",
    )
    .unwrap();
    let o = own.to_str().unwrap();
    let err = fails(&kumuh(
        &store,
        &["report", "tunggakan", "--kolektibilitas", o],
    ));
    assert!(
        err.contains("batas.toml") && err.contains("kelas_4"),
        "{err}"
    );
    let err = fails(&kumuh(
        &store,
        &["report", "tunggakan", "--kolektibilitas", "tidak-ada"],
    ));
    assert!(err.contains("upk-angsuran, bank-hari"), "{err}");
}
