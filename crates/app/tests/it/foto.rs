//! Photos of work segments through the use cases, on a GeoPackage with the Jiwan places
//! and the Bibrik paving work: EXIF read from a JPEG made in the test (an encoder's
//! picture with a hand-built `APP1` segment, `kumuh_io::foto::contoh`), the warning for a
//! position outside the desa, who may upload and delete, and who sees the uploader.

use std::sync::Arc;

use kumuh_app::foto::{self, Unggah};
use kumuh_app::{AppError, Atlas};
use kumuh_domain::works::{SegmenId, Tahap, contoh};
use kumuh_domain::{Kode, Role, User};
use kumuh_io::foto::contoh::{ContohExif, jpeg, png};
use kumuh_io::foto::{Batas, Posisi};
use kumuh_store::{GpkgStore, KegiatanWrite, OpenMode, Store, Ukuran};

struct Setup {
    _dir: tempfile::TempDir,
    atlas: Atlas,
    work: String,
}

async fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = GpkgStore::open(&dir.path().join("t.gpkg"), OpenMode::CreateIfMissing)
        .await
        .unwrap();
    store
        .upsert_places(&kumuh_io::seed::jiwan().unwrap())
        .await
        .unwrap();
    let k = contoh::bibrik_paving();
    store.save_kegiatan(&KegiatanWrite::new(&k)).await.unwrap();
    let store: Arc<dyn Store> = Arc::new(store);
    Setup {
        _dir: dir,
        atlas: Atlas::new(store),
        work: k.id().to_string(),
    }
}

fn lkm(name: &str, desa: &str) -> User {
    User {
        desa: vec![Kode::parse(desa).unwrap()],
        ..User::new(name, Role::Lkm)
    }
}

fn taken_at(lon: f64, lat: f64) -> ContohExif {
    ContohExif {
        waktu: "2018:08:31 09:15:00".into(),
        posisi: Posisi { lon, lat },
    }
}

fn upload(work: &str, tahap: Tahap, media_type: &str, bytes: Vec<u8>) -> Unggah {
    Unggah {
        kegiatan_id: work.to_owned(),
        segmen: SegmenId::new("S1").unwrap(),
        tahap,
        media_type: media_type.into(),
        bytes,
    }
}

#[tokio::test]
async fn exif_time_and_position_are_kept_and_a_position_outside_the_desa_warns() {
    let s = setup().await;
    let writer = lkm("makmur", contoh::BIBRIK_KODE);
    let (lon, lat) = contoh::BIBRIK_PAVING_LINE[0];
    let at_the_road = jpeg(64, 48, Some(&taken_at(lon, lat)));
    let done = foto::unggah(
        &s.atlas,
        Some(&writer),
        upload(&s.work, Tahap::Selesai, "image/jpeg", at_the_road.clone()),
        &Batas::default(),
    )
    .await
    .unwrap();
    assert!(done.peringatan.is_empty(), "{:?}", done.peringatan);
    let f = &done.foto;
    assert_eq!(f.waktu_exif.as_deref(), Some("2018-08-31T09:15:00"));
    let [plon, plat] = f.posisi.unwrap();
    assert!(
        (plon - lon).abs() < 1e-6 && (plat - lat).abs() < 1e-6,
        "{f:?}"
    );
    assert_eq!((f.lebar, f.tinggi, f.tahap), (64, 48, Tahap::Selesai));
    assert_eq!(f.ukuran_byte, i64::try_from(at_the_road.len()).unwrap());
    assert_eq!(f.url_kecil, format!("/api/foto/{}/kecil", f.id));
    // The uploader sees their own name.
    assert_eq!(f.pengunggah, "makmur");

    // Taken in Jakarta: stored, with a warning that names the desa.
    let elsewhere = jpeg(64, 48, Some(&taken_at(106.8272, -6.1754)));
    let done = foto::unggah(
        &s.atlas,
        Some(&writer),
        upload(&s.work, Tahap::Bebas, "image/jpeg", elsewhere),
        &Batas::default(),
    )
    .await
    .unwrap();
    assert_eq!(done.peringatan.len(), 1, "{:?}", done.peringatan);
    assert!(
        done.peringatan[0].contains("outside desa Bibrik (35.19.09.2014)"),
        "{}",
        done.peringatan[0]
    );

    // The thumbnail was made once, at upload, and is a JPEG.
    let kecil = foto::berkas(&s.atlas, f.id, Ukuran::Kecil).await.unwrap();
    assert_eq!(kecil.media_type, "image/jpeg");
    assert!(kecil.bytes.starts_with(&[0xFF, 0xD8]));
    let asli = foto::berkas(&s.atlas, f.id, Ukuran::Asli).await.unwrap();
    assert_eq!(asli.bytes, at_the_road);
}

#[tokio::test]
async fn only_who_may_change_the_work_uploads_and_deletes() {
    let s = setup().await;
    let photo = || upload(&s.work, Tahap::Nol, "image/png", png(16, 16));
    let b = Batas::default();
    let e = foto::unggah(&s.atlas, None, photo(), &b).await.unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e}");
    let wayut = lkm("lkm-wayut", "35.19.09.2013");
    let e = foto::unggah(&s.atlas, Some(&wayut), photo(), &b).await;
    assert!(matches!(e, Err(AppError::Forbidden(_))), "{e:?}");
    let viewer = User::new("tamu", Role::Viewer);
    let e = foto::unggah(&s.atlas, Some(&viewer), photo(), &b).await;
    assert!(matches!(e, Err(AppError::Forbidden(_))), "{e:?}");

    let kab = User::new("bappeda", Role::Kabupaten);
    let done = foto::unggah(&s.atlas, Some(&kab), photo(), &b)
        .await
        .unwrap();
    let id = done.foto.id;
    let e = foto::hapus(&s.atlas, Some(&wayut), id).await.unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e}");
    let bibrik = lkm("makmur", contoh::BIBRIK_KODE);
    foto::hapus(&s.atlas, Some(&bibrik), id).await.unwrap();
    let e = foto::hapus(&s.atlas, Some(&bibrik), id).await.unwrap_err();
    assert!(matches!(e, AppError::NotFound(_)), "{e}");

    // A segment the work does not have, and a work that does not exist.
    let mut wrong = photo();
    wrong.segmen = SegmenId::new("S9").unwrap();
    let e = foto::unggah(&s.atlas, Some(&kab), wrong, &b)
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("no segmen S9 in kegiatan {}", s.work)
    );
    let mut wrong = photo();
    wrong.kegiatan_id = "K-TIDAK-ADA".into();
    let e = foto::unggah(&s.atlas, Some(&kab), wrong, &b)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::NotFound(_)), "{e}");
}

#[tokio::test]
async fn bad_files_are_unreadable_and_large_ones_too_large() {
    let s = setup().await;
    let kab = User::new("bappeda", Role::Kabupaten);
    let b = Batas::default();
    let png_as_jpeg = upload(&s.work, Tahap::Nol, "image/jpeg", png(8, 8));
    let e = foto::unggah(&s.atlas, Some(&kab), png_as_jpeg, &b).await;
    match e {
        Err(AppError::Unreadable(m)) => assert!(m.contains("image/png"), "{m}"),
        other => panic!("expected an unreadable file, got {other:?}"),
    }
    let noise = upload(&s.work, Tahap::Nol, "image/jpeg", vec![7; 300]);
    let e = foto::unggah(&s.atlas, Some(&kab), noise, &b).await;
    assert!(matches!(e, Err(AppError::Unreadable(_))), "{e:?}");
    let small = Batas {
        max_bytes: 100,
        ..b
    };
    let big = upload(&s.work, Tahap::Nol, "image/png", png(64, 64));
    let e = foto::unggah(&s.atlas, Some(&kab), big, &small).await;
    assert!(matches!(e, Err(AppError::TooLarge(_))), "{e:?}");
    let listed = foto::daftar(&s.atlas, None, &s.work, &SegmenId::new("S1").unwrap()).await;
    assert!(listed.unwrap().is_empty());
}

#[tokio::test]
async fn the_uploader_is_named_only_to_who_may_see_personal_data() {
    let s = setup().await;
    let writer = lkm("sutrisnowidodo", contoh::BIBRIK_KODE);
    s.atlas
        .store
        .add_user(&writer, "not a real hash")
        .await
        .unwrap();
    let photo = upload(&s.work, Tahap::Tengah, "image/png", png(8, 8));
    foto::unggah(&s.atlas, Some(&writer), photo, &Batas::default())
        .await
        .unwrap();
    let s1 = SegmenId::new("S1").unwrap();
    let anonymous = foto::daftar(&s.atlas, None, &s.work, &s1).await.unwrap();
    assert_eq!(anonymous.len(), 1);
    assert_eq!(anonymous[0].pengunggah, "lkm Bibrik");
    let viewer = User::new("tamu", Role::Viewer);
    let seen = foto::daftar(&s.atlas, Some(&viewer), &s.work, &s1)
        .await
        .unwrap();
    assert_eq!(seen[0].pengunggah, "lkm Bibrik");
    let kab = User::new("bappeda", Role::Kabupaten);
    let seen = foto::daftar(&s.atlas, Some(&kab), &s.work, &s1)
        .await
        .unwrap();
    assert_eq!(seen[0].pengunggah, "sutrisnowidodo");
}
