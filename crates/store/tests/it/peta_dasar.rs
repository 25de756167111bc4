//! Basemaps in every backend: a raster MBTiles written by GDAL kept tile for tile (rows
//! turned from TMS to XYZ), a remote one registered by its template, a registration
//! replaced whole, a failing source leaving the register as it was, and removal with
//! the tiles, each audited.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use kumuh_store::{
    AuditQuery, JenisPetaDasar, MbTiles, NewAudit, PetaDasarBaru, StoreError, SumberUbin, Ubin,
};

use crate::backend;
use crate::gdal;
use backend::TestStore;

for_each_backend!(
    an_mbtiles_from_gdal_is_kept_tile_for_tile_in_the_xyz_scheme,
    a_remote_basemap_is_its_template_and_a_new_registration_replaces_the_old,
    a_source_that_fails_half_way_leaves_the_register_as_it_was,
);

/// A 512-pixel orthophoto-like raster, cut to MBTiles zooms 13–15 by GDAL.
fn gdal_mbtiles(dir: &Path) -> PathBuf {
    gdal::orthophoto(
        dir,
        &gdal::Ortho {
            name: "foto-udara",
            ullr: ["111.60", "-7.62", "111.63", "-7.65"],
            pixels: 512,
            rgb: [180, 120, 60],
            format: "PNG",
            overviews: &["2", "4"],
        },
    )
}

fn sqlite(file: &Path, sql: &str) -> String {
    let out = std::process::Command::new("sqlite3")
        .arg(file)
        .arg(sql)
        .output()
        .expect("sqlite3 is installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn line(aksi: &str, nama: &str) -> NewAudit {
    NewAudit {
        pengguna: "ana".into(),
        entitas: kumuh_store::PETA_DASAR_AUDIT_ENTITAS.into(),
        kunci: nama.into(),
        aksi: aksi.into(),
        sebelum: None,
        sesudah: None,
    }
}

fn baru<'a>(nama: &'a str, jenis: JenisPetaDasar, sumber: &'a str) -> PetaDasarBaru<'a> {
    PetaDasarBaru {
        nama,
        judul: "Foto udara Bibrik 2024",
        jenis,
        sumber,
        format: "png",
        atribusi: "Drone LKM Bibrik",
        minzoom: 0,
        maxzoom: 19,
        batas: None,
        audit: line("tambah", nama),
    }
}

async fn an_mbtiles_from_gdal_is_kept_tile_for_tile_in_the_xyz_scheme(store: TestStore) {
    let dir = tempfile::tempdir().unwrap();
    let file = gdal_mbtiles(dir.path());
    let mut mb = MbTiles::open(&file).await.unwrap();
    assert_eq!(mb.format, "png");
    assert_eq!(mb.jumlah_ubin, 22);
    let b = mb.batas.unwrap();
    assert!(
        (b[0] - 111.60).abs() < 1e-6 && (b[3] + 7.62).abs() < 1e-6,
        "{b:?}"
    );

    let stored = store
        .save_peta_dasar(
            &baru("drone", JenisPetaDasar::Berkas, "foto-udara.mbtiles"),
            &mut mb,
        )
        .await
        .unwrap();
    mb.close().await;
    assert_eq!(stored.jumlah_ubin, 22);
    assert_eq!((stored.minzoom, stored.maxzoom), (13, 15));
    let bytes: i64 = sqlite(&file, "SELECT sum(length(tile_data)) FROM tiles")
        .parse()
        .unwrap();
    assert_eq!(stored.ukuran_byte, bytes);

    // Every tile is served at its XYZ row (MBTiles counts rows from the south).
    let rows = sqlite(
        &file,
        "SELECT zoom_level || ' ' || tile_column || ' ' || tile_row || ' ' || hex(tile_data) FROM tiles",
    );
    for r in rows.lines() {
        let v: Vec<&str> = r.split(' ').collect();
        let (z, x, row): (u8, u32, u32) = (
            v[0].parse().unwrap(),
            v[1].parse().unwrap(),
            v[2].parse().unwrap(),
        );
        let y = (1u32 << z) - 1 - row;
        let (format, data) = store
            .peta_dasar_ubin("drone", z, x, y)
            .await
            .unwrap()
            .expect("every tile is kept");
        assert_eq!(format, "png");
        let hex: String = data.iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(hex, v[3], "tile {z}/{x}/{y}");
        assert_eq!(
            store
                .peta_dasar_ubin("drone", z, x, row)
                .await
                .unwrap()
                .is_some(),
            y == row
        );
    }
    assert_eq!(
        store.peta_dasar_ubin("lain", 13, 6635, 4269).await.unwrap(),
        None
    );

    // Removal takes the tiles with it, and both lines are in the log.
    assert!(
        store
            .delete_peta_dasar("drone", &line("hapus", "drone"))
            .await
            .unwrap()
    );
    assert!(
        !store
            .delete_peta_dasar("drone", &line("hapus", "drone"))
            .await
            .unwrap()
    );
    assert!(store.list_peta_dasar().await.unwrap().is_empty());
    let left = store.sql("SELECT count(*) FROM peta_dasar_ubin").unwrap();
    assert_eq!(left, "0");
    let log = store
        .audit(&AuditQuery {
            kunci: Some("drone".into()),
            sebelum_id: None,
            limit: 10,
        })
        .await
        .unwrap();
    let aksi: Vec<&str> = log.iter().map(|a| a.aksi.as_str()).collect();
    assert_eq!(aksi, ["hapus", "tambah"]);
}

/// No tiles: a remote basemap.
struct Kosong;

#[async_trait]
impl SumberUbin for Kosong {
    async fn berikut(&mut self) -> kumuh_store::Result<Option<Vec<Ubin>>> {
        Ok(None)
    }
}

/// One batch of tiles, then an error: a file damaged half way.
struct Rusak(u8);

#[async_trait]
impl SumberUbin for Rusak {
    async fn berikut(&mut self) -> kumuh_store::Result<Option<Vec<Ubin>>> {
        self.0 += 1;
        if self.0 == 1 {
            Ok(Some(vec![Ubin {
                z: 1,
                x: 0,
                y: 0,
                data: vec![1, 2, 3],
            }]))
        } else {
            Err(StoreError::Invalid(
                "rusak.mbtiles: tile 2/0/0 unreadable".into(),
            ))
        }
    }
}

async fn a_remote_basemap_is_its_template_and_a_new_registration_replaces_the_old(
    store: TestStore,
) {
    let url = "https://tile.example.org/{z}/{x}/{y}.png";
    let mut p = baru("osm", JenisPetaDasar::Xyz, url);
    p.batas = Some([111.5, -7.7, 111.7, -7.5]);
    let stored = store.save_peta_dasar(&p, &mut Kosong).await.unwrap();
    assert_eq!(stored.jenis, JenisPetaDasar::Xyz);
    assert_eq!(stored.sumber, url);
    assert_eq!(
        (stored.minzoom, stored.maxzoom, stored.jumlah_ubin),
        (0, 19, 0)
    );
    assert_eq!(stored.batas, Some([111.5, -7.7, 111.7, -7.5]));

    let mut again = baru(
        "osm",
        JenisPetaDasar::Xyz,
        "https://b.example.org/{z}/{x}/{y}.jpg",
    );
    again.judul = "Citra baru";
    store.save_peta_dasar(&again, &mut Kosong).await.unwrap();
    let list = store.list_peta_dasar().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].judul.as_str(), list[0].batas),
        ("Citra baru", None)
    );
}

async fn a_source_that_fails_half_way_leaves_the_register_as_it_was(store: TestStore) {
    let url = "https://tile.example.org/{z}/{x}/{y}.png";
    store
        .save_peta_dasar(&baru("citra", JenisPetaDasar::Xyz, url), &mut Kosong)
        .await
        .unwrap();
    let err = store
        .save_peta_dasar(
            &baru("citra", JenisPetaDasar::Berkas, "rusak.mbtiles"),
            &mut Rusak(0),
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("rusak.mbtiles: tile 2/0/0"),
        "{err}"
    );
    let list = store.list_peta_dasar().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].jenis, list[0].sumber.as_str()),
        (JenisPetaDasar::Xyz, url)
    );
    assert_eq!(
        store.sql("SELECT count(*) FROM peta_dasar_ubin").unwrap(),
        "0"
    );
}
