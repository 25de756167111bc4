//! `kumuh import-assessments` on tables read in batches: one transaction whatever the
//! table's length, and the same stored result as storing every row at once.

use crate::common;

use std::path::Path;
use std::sync::Arc;

use common::{fails, kumuh, ok, sqlite3};

const HEADER: &str = "kode_lokasi,nama_lokasi,kode_desa,tahun,luas_ha,jumlah_bangunan,jumlah_penduduk,jumlah_kk,panjang_jalan_ideal_m,panjang_drainase_ideal_m,v1a,v1b,v1c,v2a,v2b,v3a,v3b,v4a,v4b,v4c,v5a,v5b,v6a,v6b,v7a,v7b";

/// Row `i` of a generated table in desa Sukolilo (35.19.09.2005, in the seed): values
/// that vary with `i`, so that the rows fall in different classes.
fn row(i: usize, kode: &str, tahun: u16) -> String {
    let (a, b, c) = (i % 7, i % 11, i % 13);
    format!(
        "{kode},Lokasi {i},35.19.09.2005,{tahun},\"{}.{:02}\",{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
        1 + i % 9,
        i % 100,
        20 + b * 3,
        100 + c * 7,
        25 + a * 2,
        300 + c * 10,
        200 + b * 10,
        a * 2,
        b,
        c,
        40 + a * 5,
        30 + b * 4,
        a,
        b % 3,
        c % 4,
        a * 20,
        b * 15,
        c * 2,
        a * 3,
        10 + b * 3,
        8 + c * 2,
        5 + a * 4,
        3 + b * 2,
    )
}

fn write(path: &Path, lines: impl IntoIterator<Item = String>) {
    let mut text = format!("{HEADER}\n");
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

const PENILAIAN: &str = "SELECT fid, kode_lokasi, tahun, dasar, nama_lokasi, kode_desa, aturan, \
     versi_aturan, luas_ha, total, kelas, prioritas, hasil, tanggal FROM penilaian ORDER BY fid";

#[test]
fn a_bad_row_late_in_a_large_table_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kumuh.gpkg");
    ok(&kumuh(&store, &["init"]));
    let small = dir.path().join("kecil.csv");
    write(&small, [row(1, "SKL-01", 2019)]);
    ok(&kumuh(
        &store,
        &["import-assessments", small.to_str().unwrap()],
    ));
    let before = sqlite3(&store, PENILAIAN);

    // 6,000 rows in batches of 1,000: five batches are written before the bad rows are
    // read; SKL-01 2019 again, with other values, would replace the stored one.
    let big = dir.path().join("besar.csv");
    write(
        &big,
        (0..6_000).map(|i| match i {
            100 => row(2, "SKL-01", 2019),
            5_989 => row(i, &format!("K{i}"), 2024).replacen("\"", "\"dua", 1),
            5_995 => row(i, &format!("K{i}"), 1999),
            _ => row(i, &format!("K{i}"), 2024),
        }),
    );
    let import = [
        "import-assessments",
        big.to_str().unwrap(),
        "--batch-rows",
        "1000",
    ];
    let err = fails(&kumuh(&store, &import));
    assert!(err.contains("2 problems, nothing read"), "{err}");
    assert!(
        err.contains("row 5991, column luas_ha (E): `dua"),
        "the row as the spreadsheet numbers it, with the column: {err}"
    );
    assert!(err.contains("row 5997, column tahun (D)"), "{err}");
    assert_eq!(sqlite3(&store, PENILAIAN), before, "nothing stored");

    // The same table without the bad rows is stored whole, in one go.
    write(
        &big,
        (0..6_000).map(|i| match i {
            100 => row(2, "SKL-01", 2019),
            _ => row(i, &format!("K{i}"), 2024),
        }),
    );
    let out = ok(&kumuh(&store, &import));
    assert!(out.contains("5999 assessment(s) added, 1 updated"), "{out}");
    // With the two records of the new store's contoh location (2017 survey, 2018
    // evaluation).
    assert_eq!(sqlite3(&store, "SELECT count(*) FROM penilaian"), "6002");
}

/// The rows of a table as the import stored them before it read in batches: every row
/// read and scored, then one upsert of all the records.
async fn store_all_at_once(store: &Path, table: &Path) -> kumuh_store::UpsertReport {
    use kumuh_io::assessment as tables;
    let rules = tables::load_rules(kumuh_domain::assessment::DEFAULT_RULE_SET).unwrap();
    let outcome = tables::read_assessments(table, &rules, tables::ReadMode::Strict).unwrap();
    let assessed = tables::assess_rows(&rules, outcome.rows);
    let records: Vec<_> = assessed
        .iter()
        .map(|a| {
            let result = kumuh_domain::assessment::Hasil {
                sumber_volume: Some(Vec::new()),
                ..tables::hasil(a)
            };
            kumuh_app::assessments::record_of(
                a,
                result,
                kumuh_domain::assessment::Dasar::Survei,
                None,
            )
        })
        .collect();
    let import = |store: Arc<dyn kumuh_store::Store>| async move {
        let atlas = kumuh_app::Atlas::new(store);
        kumuh_app::assessments::import(&atlas, &records)
            .await
            .unwrap()
    };
    match common::database_of(store) {
        Some(url) => {
            let (pg, _) = kumuh_store::PgStore::open(&url, kumuh_store::OpenMode::MustExist)
                .await
                .unwrap();
            let report = import(Arc::new(pg.clone())).await;
            pg.close().await;
            report
        }
        None => {
            let (gpkg, _) = kumuh_store::GpkgStore::open(store, kumuh_store::OpenMode::MustExist)
                .await
                .unwrap();
            let report = import(Arc::new(gpkg.clone())).await;
            gpkg.close().await;
            report
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn batches_store_what_one_upsert_of_every_row_stored() {
    let dir = tempfile::tempdir().unwrap();
    let lokasi = dir.path().join("lokasi.geojson");
    std::fs::write(
        &lokasi,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kode":"SKL-01","nama":"Sukolilo RT 24","kode_desa":"35.19.09.2005"},
        "geometry":{"type":"Polygon","coordinates":[[[111.475,-7.64],[111.478,-7.64],[111.478,-7.637],[111.475,-7.637],[111.475,-7.64]]]}}]}"#,
    )
    .unwrap();
    let first = dir.path().join("pertama.csv");
    write(&first, [row(3, "SKL-01", 2021), row(4, "K7", 2020)]);
    // Several years of a location spread over batches of 7, locations already stored
    // (replaced), and one on the map whose latest assessment the layer carries.
    let table = dir.path().join("penilaian.csv");
    write(
        &table,
        (0..40).map(|i| match i {
            5 => row(i, "SKL-01", 2021),
            12 => row(i, "SKL-01", 2019),
            30 => row(i, "SKL-01", 2024),
            33 => row(i, "K7", 2020),
            _ => row(i, &format!("K{}", i % 9), 2010 + i as u16),
        }),
    );
    let (batched, whole) = (dir.path().join("a.gpkg"), dir.path().join("b.gpkg"));
    for store in [&batched, &whole] {
        ok(&kumuh(store, &["init"]));
        ok(&kumuh(
            store,
            &["import", lokasi.to_str().unwrap(), "--level", "lokasi"],
        ));
        ok(&kumuh(
            store,
            &["import-assessments", first.to_str().unwrap()],
        ));
    }

    let out = ok(&kumuh(
        &batched,
        &[
            "import-assessments",
            table.to_str().unwrap(),
            "--batch-rows",
            "7",
        ],
    ));
    let report = store_all_at_once(&whole, &table).await;
    assert_eq!(report.updated, 2);
    assert!(
        out.contains(&format!(
            "{} assessment(s) added, {} updated",
            report.inserted, report.updated
        )),
        "{out}"
    );
    let stored = |store: &Path| sqlite3(store, PENILAIAN);
    assert_eq!(stored(&batched), stored(&whole));
    // 40, and the two records of the new store's contoh location.
    assert_eq!(stored(&batched).lines().count(), 42);
    // Ordered by code: the contoh location, seeded first, sorts after SKL-01.
    let layer = "SELECT kode, tahun_penilaian, total_nilai, kelas, prioritas FROM lokasi_kumuh ORDER BY kode";
    assert_eq!(sqlite3(&batched, layer), sqlite3(&whole, layer));
    assert!(sqlite3(&batched, layer).starts_with("SKL-01|2024|"));
}
