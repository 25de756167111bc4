//! The import use case on a real GeoPackage store seeded with Jiwan: the preview (the
//! suggested mapping, counts, the sample on the map, problems by feature and field) and the
//! import (one transaction, the audit line, `lewati_salah`, roles).

use std::path::Path;
use std::sync::Arc;

use kumuh_app::impor::{self, Perintah, tanpa_kemajuan};
use kumuh_app::{AppError, Atlas};
use kumuh_domain::{Kode, Level, Role, User};
use kumuh_io::foreign::Mapping;
use kumuh_io::geojson::ImportKind;
use kumuh_store::{AuditQuery, GpkgStore, OpenMode, Store};
use serde_json::json;

async fn atlas(dir: &Path) -> Atlas {
    let (store, _) = GpkgStore::open(&dir.join("kumuh.gpkg"), OpenMode::CreateIfMissing)
        .await
        .unwrap();
    store
        .upsert_places(&kumuh_io::seed::jiwan().unwrap())
        .await
        .unwrap();
    Atlas::new(Arc::new(store))
}

/// A square of about 100 m at Bibrik's latitude, `i` squares east of 111.49° E.
fn square(i: usize) -> serde_json::Value {
    let x = 111.49 + 0.002 * i as f64;
    json!({"type": "Polygon", "coordinates": [[[x, -7.58], [x + 0.001, -7.58], [x + 0.001, -7.579], [x, -7.579], [x, -7.58]]]})
}

/// A GeoJSON file of RT under Bibrik in a consultant's field names; the third has no name.
fn rt_file(dir: &Path) -> std::path::PathBuf {
    let features: Vec<_> = [(1, Some("RT 01")), (2, Some("RT 02")), (3, None)]
        .iter()
        .enumerate()
        .map(|(i, (rt, nama))| {
            json!({"type": "Feature", "geometry": square(i),
                   "properties": {"KD_DESA": "35.19.09.2014", "NO_RW": 9, "NO_RT": rt, "NAMA_RT": nama}})
        })
        .collect();
    let path = dir.join("upload-1234");
    std::fs::write(
        &path,
        json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
    .unwrap();
    path
}

fn perintah(path: std::path::PathBuf, pemetaan: Option<&str>) -> Perintah {
    Perintah {
        path,
        nama: "rt_bibrik.geojson".to_owned(),
        jenis: ImportKind::Places(Level::Rt),
        lapisan: None,
        crs: None,
        pemetaan: pemetaan.map(|m| Mapping::parse_list(m).unwrap()),
        lewati_salah: false,
    }
}

fn kabupaten() -> User {
    User::new("perencana", Role::Kabupaten)
}

const MAP: &str = "kode=concat(KD_DESA,'.',pad3(NO_RW),'.',pad3(NO_RT)),nama=NAMA_RT";

#[tokio::test]
async fn a_preview_suggests_the_mapping_and_names_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let atlas = atlas(dir.path()).await;
    let cmd = perintah(rt_file(dir.path()), None);
    let p = impor::pratinjau(Some(&atlas), Some(&kabupaten()), &cmd, 2, tanpa_kemajuan())
        .await
        .unwrap();
    assert_eq!(p.berkas, "rt_bibrik.geojson");
    // GeoJSON properties are read in the order of their names.
    assert_eq!(p.kolom, ["KD_DESA", "NAMA_RT", "NO_RT", "NO_RW"]);
    let usulan: Vec<(&str, Option<&str>)> = p
        .bidang
        .iter()
        .map(|b| (b.bidang.as_str(), b.usulan.as_deref()))
        .take(5)
        .collect();
    assert_eq!(
        usulan,
        [
            ("kode", None),
            ("nama", Some("NAMA_RT")),
            ("kode_desa", Some("KD_DESA")),
            ("rw", Some("NO_RW")),
            ("rt", Some("NO_RT")),
        ]
    );
    assert_eq!(
        p.pemetaan,
        "nama=NAMA_RT,kode_desa=KD_DESA,rw=NO_RW,rt=NO_RT"
    );
    // The suggestion composes the RT codes; the third feature has no name.
    assert_eq!(
        (p.jumlah.dibaca, p.jumlah.diimpor, p.jumlah.dilewati),
        (3, 2, 1)
    );
    assert_eq!(p.masalah.len(), 1, "{:?}", p.masalah);
    let m = &p.masalah[0];
    assert_eq!(m.fitur, Some(2));
    assert_eq!(m.kode.as_deref(), Some("35.19.09.2014.009.003"));
    assert_eq!(m.bidang, "nama");
    // The first two features for the map, mapped, in EPSG:4326, with their file index.
    let features = p.contoh["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    assert_eq!(features[1]["id"], 1);
    assert_eq!(features[1]["properties"]["nama"], "RT 02");
    // Nothing was written.
    assert!(
        atlas
            .store
            .place(&Kode::parse("35.19.09.2014.009.001").unwrap())
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_preview_names_an_unmapped_field_and_still_lists_the_files_fields() {
    let dir = tempfile::tempdir().unwrap();
    let atlas = atlas(dir.path()).await;
    let mut cmd = perintah(rt_file(dir.path()), Some("rt=NO_RT"));
    cmd.jenis = ImportKind::Places(Level::Desa);
    let p = impor::pratinjau(Some(&atlas), Some(&kabupaten()), &cmd, 10, tanpa_kemajuan())
        .await
        .unwrap();
    assert_eq!(p.kolom.len(), 4);
    assert_eq!(p.jumlah.diimpor, 0);
    assert_eq!(p.masalah.len(), 1, "{:?}", p.masalah);
    assert_eq!(p.masalah[0].fitur, None);
    assert_eq!(p.masalah[0].bidang, "kode");
    assert!(
        p.masalah[0]
            .pesan
            .contains("KD_DESA, NAMA_RT, NO_RT, NO_RW"),
        "{:?}",
        p.masalah
    );
}

#[tokio::test]
async fn an_import_writes_once_with_its_audit_line_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let atlas = atlas(dir.path()).await;
    let user = kabupaten();
    // The nameless RT refuses the whole file, naming feature and field.
    let cmd = perintah(rt_file(dir.path()), Some(MAP));
    let err = impor::impor(&atlas, Some(&user), &cmd, tanpa_kemajuan())
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, AppError::Invalid { .. }), "{err:?}");
    assert!(
        text.contains("rt_bibrik.geojson")
            && text.contains("feature 2")
            && text.contains("field `nama`"),
        "{text}"
    );
    let rt = Kode::parse("35.19.09.2014.009.001").unwrap();
    assert!(atlas.store.place(&rt).await.unwrap().is_none());

    // Leaving it out imports the two, with one audit line naming the user and the file.
    let cmd = Perintah {
        lewati_salah: true,
        ..cmd
    };
    let hasil = impor::impor(&atlas, Some(&user), &cmd, tanpa_kemajuan())
        .await
        .unwrap();
    assert_eq!((hasil.ditambah, hasil.diubah), (2, 0));
    assert_eq!(hasil.dilewati.len(), 1);
    assert_eq!(hasil.dilewati[0].fitur, Some(2));
    let stored = atlas.store.place(&rt).await.unwrap().unwrap();
    assert_eq!(stored.nama, "RT 01");
    let lines = atlas
        .store
        .audit(&AuditQuery {
            kunci: Some("rt_bibrik.geojson".into()),
            sebelum_id: None,
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].pengguna, "perencana");
    assert_eq!(lines[0].entitas, impor::AUDIT_ENTITAS);
    let sesudah = lines[0].sesudah.as_ref().unwrap();
    assert_eq!(sesudah["jumlah"], 2);
    assert_eq!(sesudah["level"], "rt");
    assert_eq!(sesudah["kode"][0], "35.19.09.2014.009.001");

    // Again: the same codes are replaced, not added.
    let hasil = impor::impor(&atlas, Some(&user), &cmd, tanpa_kemajuan())
        .await
        .unwrap();
    assert_eq!((hasil.ditambah, hasil.diubah), (0, 2));
}

#[tokio::test]
async fn only_the_kabupaten_and_admins_import() {
    let dir = tempfile::tempdir().unwrap();
    let atlas = atlas(dir.path()).await;
    let cmd = perintah(rt_file(dir.path()), Some(MAP));
    let lkm = User {
        desa: vec![Kode::parse("35.19.09.2014").unwrap()],
        ..User::new("makmur", Role::Lkm)
    };
    assert!(matches!(
        impor::pratinjau(Some(&atlas), None, &cmd, 1, tanpa_kemajuan()).await,
        Err(AppError::Forbidden(
            kumuh_domain::auth::Denied::Unauthenticated
        ))
    ));
    assert!(matches!(
        impor::impor(&atlas, Some(&lkm), &cmd, tanpa_kemajuan()).await,
        Err(AppError::Forbidden(
            kumuh_domain::auth::Denied::Forbidden { .. }
        ))
    ));
    assert!(impor::boleh(Some(&User::new("ana", Role::Admin))).is_ok());
    assert!(impor::boleh(Some(&kabupaten())).is_ok());
    assert!(impor::boleh(Some(&User::new("tamu", Role::Viewer))).is_err());
}

#[test]
fn levels_of_import_are_read_from_their_codes() {
    assert_eq!(impor::jenis("rw").unwrap(), ImportKind::Places(Level::Rw));
    let err = impor::jenis("kecamatan").unwrap_err();
    assert!(err.to_string().starts_with("level: "), "{err}");
}

#[tokio::test]
async fn rw_import_under_their_desa_from_the_code() {
    let dir = tempfile::tempdir().unwrap();
    let atlas = atlas(dir.path()).await;
    let path = dir.path().join("rw.geojson");
    let features = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": square(0), "properties": {"kode": "35.19.09.2014.009", "nama": "RW 09"}},
        {"type": "Feature", "geometry": square(1), "properties": {"kode": "35.19.09.2099.001", "nama": "RW 01"}},
    ]});
    std::fs::write(&path, features.to_string()).unwrap();
    let cmd = Perintah {
        jenis: impor::jenis("rw").unwrap(),
        nama: "rw.geojson".to_owned(),
        lewati_salah: true,
        ..perintah(path, None)
    };
    let hasil = impor::impor(&atlas, Some(&kabupaten()), &cmd, tanpa_kemajuan())
        .await
        .unwrap();
    assert_eq!(hasil.ditambah, 1);
    // An RW of a desa neither in the file nor in the atlas is left out, naming its desa.
    assert_eq!(hasil.dilewati.len(), 1, "{:?}", hasil.dilewati);
    assert_eq!(hasil.dilewati[0].fitur, Some(1));
    assert!(
        hasil.dilewati[0].pesan.contains("35.19.09.2099"),
        "{:?}",
        hasil.dilewati
    );
    let rw = atlas
        .store
        .place(&Kode::parse("35.19.09.2014.009").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rw.kode.level(), Level::Rw);
    assert_eq!(rw.kode.parent().unwrap().as_str(), "35.19.09.2014");
}

#[tokio::test]
async fn a_preview_lists_the_layers_of_a_geopackage_and_reads_the_one_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let atlas = atlas(dir.path()).await;
    let gpkg = dir.path().join("upload.gpkg");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/jiwan_desa.geojson");
    for (layer, kode) in [("desa_a", "35.19.09.2013"), ("desa_b", "35.19.09.2014")] {
        let sql = format!(
            "SELECT kode AS KD_DESA, nama AS NAMA_DESA FROM jiwan_desa WHERE kode = '{kode}'"
        );
        let mut args = vec![
            "-f",
            "GPKG",
            gpkg.to_str().unwrap(),
            source.to_str().unwrap(),
        ];
        if layer == "desa_b" {
            args.push("-update");
        }
        args.extend(["-nln", layer, "-t_srs", "EPSG:32749", "-sql", &sql]);
        match std::process::Command::new("ogr2ogr").args(&args).output() {
            Err(e) => {
                eprintln!(
                    "ogr2ogr is not installed ({e}): skipping (scripts/test.sh installs gdal-bin)"
                );
                return;
            }
            Ok(out) => assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }
    let mut cmd = Perintah {
        jenis: ImportKind::Places(Level::Desa),
        nama: "batas.gpkg".to_owned(),
        ..perintah(gpkg, None)
    };
    let p = impor::pratinjau(Some(&atlas), Some(&kabupaten()), &cmd, 5, tanpa_kemajuan())
        .await
        .unwrap();
    assert_eq!(p.lapisan, ["desa_a", "desa_b"]);
    assert_eq!(p.lapisan_dipilih.as_deref(), Some("desa_a"));
    assert_eq!(p.pemetaan, "kode=KD_DESA,nama=NAMA_DESA");
    assert_eq!(
        p.contoh["features"][0]["properties"]["kode"],
        "35.19.09.2013"
    );
    assert!(p.crs_berkas.is_some());
    cmd.lapisan = Some("desa_b".to_owned());
    let p = impor::pratinjau(Some(&atlas), Some(&kabupaten()), &cmd, 5, tanpa_kemajuan())
        .await
        .unwrap();
    assert_eq!(p.lapisan_dipilih.as_deref(), Some("desa_b"));
    assert_eq!(
        p.contoh["features"][0]["properties"]["kode"],
        "35.19.09.2014"
    );
    assert_eq!(
        (p.jumlah.diimpor, p.masalah.len()),
        (1, 0),
        "{:?}",
        p.masalah
    );
}
