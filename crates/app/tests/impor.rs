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
