//! Photos of work segments, in every backend: stored with their thumbnails and audit
//! lines, listed without their bytes, deleted with an audit line, gone with their
//! segment, and carried by copies and exports.

use geo_types::{Geometry, LineString};
use kumuh_domain::Kode;
use kumuh_domain::works::{
    JenisKegiatan, JenisPelaksana, Kegiatan, KegiatanId, Pelaksana, Satuan, Segmen, SegmenId,
    Tahap, contoh,
};
use kumuh_store::{
    AtlasCopy, AuditQuery, FotoBaru, FotoQuery, GpkgStore, KegiatanWrite, NewAudit, OpenMode,
    Store, StoreError, Ukuran,
};

use crate::backend;
use backend::TestStore;

for_each_backend!(
    a_photo_round_trips_with_its_thumbnail_and_audit_lines,
    a_photo_of_a_work_that_does_not_exist_is_refused,
    a_segment_that_leaves_its_work_takes_its_photos,
    a_work_moved_to_another_desa_takes_its_photos,
    copies_and_exports_carry_the_photos_with_their_ids,
);

fn bibrik() -> Kode {
    Kode::parse(contoh::BIBRIK_KODE).unwrap()
}

fn upload_line() -> NewAudit {
    NewAudit {
        pengguna: "makmur".into(),
        entitas: kumuh_store::FOTO_AUDIT_ENTITAS.into(),
        kunci: String::new(),
        aksi: "unggah".into(),
        sebelum: None,
        sesudah: Some(serde_json::json!({"tahap": "50"})),
    }
}

fn photo<'a>(kegiatan: &'a str, segmen: &'a str, desa: &'a Kode, bytes: &'a [u8]) -> FotoBaru<'a> {
    FotoBaru {
        kegiatan_id: kegiatan,
        segmen_id: segmen,
        kode_desa: desa,
        tahap: Tahap::Tengah,
        media_type: "image/jpeg",
        lebar: 4000,
        tinggi: 3000,
        waktu_exif: Some("2018-08-31T09:15:00"),
        posisi: Some([111.4902, -7.5801]),
        pengunggah: "makmur",
        foto: bytes,
        kecil: b"thumbnail bytes",
        audit: upload_line(),
    }
}

fn save(k: &Kegiatan, versi: i64) -> KegiatanWrite<'_> {
    KegiatanWrite {
        kegiatan: k,
        versi: Some(versi),
        audit: vec![],
        penilaian: vec![],
        kondisi_jaringan: vec![],
    }
}

async fn create(store: &dyn Store, k: &Kegiatan) {
    store
        .save_kegiatan(&KegiatanWrite {
            kegiatan: k,
            versi: None,
            audit: vec![],
            penilaian: vec![],
            kondisi_jaringan: vec![],
        })
        .await
        .unwrap();
}

async fn a_photo_round_trips_with_its_thumbnail_and_audit_lines(store: TestStore) {
    let k = contoh::bibrik_paving();
    create(&*store, &k).await;
    let (id, desa) = (k.id().as_str(), bibrik());
    let bytes = b"\xff\xd8 photo bytes".to_vec();
    let saved = store
        .save_foto(&photo(id, "S1", &desa, &bytes))
        .await
        .unwrap();
    assert_eq!(saved.kegiatan_id, id);
    assert_eq!(
        (saved.segmen_id.as_str(), saved.tahap),
        ("S1", Tahap::Tengah)
    );
    assert_eq!(saved.ukuran_byte, i64::try_from(bytes.len()).unwrap());
    assert_eq!((saved.lebar, saved.tinggi), (4000, 3000));
    assert_eq!(saved.posisi, Some([111.4902, -7.5801]));
    assert_eq!(saved.waktu_exif.as_deref(), Some("2018-08-31T09:15:00"));
    assert_eq!(saved.pengunggah, "makmur");
    assert!(saved.diunggah.ends_with('Z'), "{}", saved.diunggah);
    let other = store
        .save_foto(&FotoBaru {
            tahap: Tahap::Bebas,
            posisi: None,
            waktu_exif: None,
            ..photo(id, "S2", &desa, &bytes)
        })
        .await
        .unwrap();
    assert!(other.id > saved.id);
    assert_eq!((other.posisi, other.waktu_exif.clone()), (None, None));

    assert_eq!(store.foto(saved.id).await.unwrap(), Some(saved.clone()));
    let of = |kegiatan: Option<&str>, segmen: Option<&str>, wilayah: Option<&str>| FotoQuery {
        kegiatan_id: kegiatan.map(str::to_owned),
        segmen_id: segmen.map(str::to_owned),
        wilayah: wilayah.map(|w| Kode::parse(w).unwrap()),
    };
    let all = store.list_foto(&FotoQuery::default()).await.unwrap();
    assert_eq!(all, vec![saved.clone(), other.clone()]);
    let s1 = store
        .list_foto(&of(Some(id), Some("S1"), None))
        .await
        .unwrap();
    assert_eq!(s1, vec![saved.clone()]);
    let kecamatan = store.list_foto(&of(None, None, Some("35.19.09"))).await;
    assert_eq!(kecamatan.unwrap().len(), 2);
    let elsewhere = store.list_foto(&of(None, None, Some("35.19.10"))).await;
    assert!(elsewhere.unwrap().is_empty());

    let asli = store.foto_berkas(saved.id, Ukuran::Asli).await.unwrap();
    let asli = asli.unwrap();
    assert_eq!(
        (asli.media_type.as_str(), asli.bytes),
        ("image/jpeg", bytes)
    );
    let kecil = store.foto_berkas(saved.id, Ukuran::Kecil).await.unwrap();
    let kecil = kecil.unwrap();
    assert_eq!(kecil.bytes, b"thumbnail bytes");
    assert_eq!(kecil.media_type, "image/jpeg");

    let mut gone = upload_line();
    gone.aksi = "hapus".into();
    gone.kunci = kumuh_store::foto_kunci(id, "S1", saved.id);
    assert!(store.delete_foto(saved.id, &gone).await.unwrap());
    assert!(!store.delete_foto(saved.id, &gone).await.unwrap());
    assert_eq!(store.foto(saved.id).await.unwrap(), None);
    assert_eq!(
        store.foto_berkas(saved.id, Ukuran::Kecil).await.unwrap(),
        None
    );

    let lines = store
        .audit(&AuditQuery {
            kunci: Some(format!("{id}/S1")),
            sebelum_id: None,
            limit: 10,
        })
        .await
        .unwrap();
    let seen: Vec<(&str, &str, &str)> = lines
        .iter()
        .map(|l| (l.entitas.as_str(), l.aksi.as_str(), l.kunci.as_str()))
        .collect();
    let key = format!("{id}/S1/foto/{}", saved.id);
    assert_eq!(
        seen,
        [
            ("foto", "hapus", key.as_str()),
            ("foto", "unggah", key.as_str())
        ]
    );
    assert_eq!(lines[1].sesudah.as_ref().unwrap()["id"], saved.id);
}

async fn a_photo_of_a_work_that_does_not_exist_is_refused(store: TestStore) {
    let desa = bibrik();
    let e = store
        .save_foto(&photo("K-TIDAK-ADA", "S1", &desa, b"x"))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::NotFound(w) if w == "kegiatan K-TIDAK-ADA"),
        "{e}"
    );
    assert!(
        store
            .list_foto(&FotoQuery::default())
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_segment_that_leaves_its_work_takes_its_photos(store: TestStore) {
    let mut k = Kegiatan::new(
        KegiatanId::new("K1").unwrap(),
        "Jalan paving",
        JenisKegiatan::JalanPaving,
        bibrik(),
        2018,
        Pelaksana::new(JenisPelaksana::Lkm, "Makmur Sentosa"),
    )
    .unwrap();
    for sid in ["S1", "S2"] {
        let g = Geometry::LineString(LineString::from(contoh::BIBRIK_PAVING_LINE.to_vec()));
        let s = Segmen::new(SegmenId::new(sid).unwrap(), "Paving", g, None, Satuan::M).unwrap();
        k.add_segmen(s).unwrap();
    }
    create(&*store, &k).await;
    let desa = bibrik();
    let s1 = store
        .save_foto(&photo("K1", "S1", &desa, b"a"))
        .await
        .unwrap();
    let s2 = store
        .save_foto(&photo("K1", "S2", &desa, b"b"))
        .await
        .unwrap();

    // A change that keeps both segments keeps both photos.
    k.nama = "Jalan paving RT 09".into();
    store.save_kegiatan(&save(&k.clone(), 1)).await.unwrap();
    assert_eq!(
        store.list_foto(&FotoQuery::default()).await.unwrap().len(),
        2
    );

    k.remove_segmen(&SegmenId::new("S1").unwrap()).unwrap();
    store.save_kegiatan(&save(&k, 2)).await.unwrap();
    let left = store.list_foto(&FotoQuery::default()).await.unwrap();
    assert_eq!(left, vec![s2]);
    assert_eq!(store.foto_berkas(s1.id, Ukuran::Asli).await.unwrap(), None);
}

async fn a_work_moved_to_another_desa_takes_its_photos(store: TestStore) {
    let mut k = contoh::bibrik_paving();
    create(&*store, &k).await;
    let id = k.id().to_string();
    let desa = bibrik();
    store
        .save_foto(&photo(&id, "S1", &desa, b"a"))
        .await
        .unwrap();
    let wayut = Kode::parse("35.19.09.2013").unwrap();
    k.set_kode_desa(wayut.clone()).unwrap();
    store.save_kegiatan(&save(&k, 1)).await.unwrap();
    let in_desa = |kode: &Kode| FotoQuery {
        wilayah: Some(kode.clone()),
        ..FotoQuery::default()
    };
    let moved = store.list_foto(&in_desa(&wayut)).await.unwrap();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].kode_desa, wayut);
    assert!(store.list_foto(&in_desa(&desa)).await.unwrap().is_empty());
}

async fn copies_and_exports_carry_the_photos_with_their_ids(store: TestStore) {
    let k = contoh::bibrik_paving();
    create(&*store, &k).await;
    let desa = bibrik();
    let id = k.id().as_str();
    let first = store
        .save_foto(&photo(id, "S1", &desa, b"one"))
        .await
        .unwrap();
    let mut gone = upload_line();
    gone.aksi = "hapus".into();
    assert!(store.delete_foto(first.id, &gone).await.unwrap());
    // The second photo's id is not 1: a copy must keep it, not renumber.
    let kept = store
        .save_foto(&photo(id, "S2", &desa, b"two"))
        .await
        .unwrap();
    assert!(kept.id > 1);

    let atlas = AtlasCopy::read(&*store, false).await.unwrap();
    assert_eq!(atlas.foto.len(), 1);
    assert_eq!(atlas.foto[0].isi, b"two");
    assert_eq!(atlas.foto[0].kecil, b"thumbnail bytes");

    let dir = tempfile::tempdir().unwrap();
    let (copy, _) = GpkgStore::open(&dir.path().join("copy.gpkg"), OpenMode::CreateIfMissing)
        .await
        .unwrap();
    copy.load_atlas(&atlas, false).await.unwrap();
    assert_eq!(
        copy.list_foto(&FotoQuery::default()).await.unwrap(),
        vec![kept.clone()]
    );
    // New photos in the copy continue after the copied ones.
    let next = copy
        .save_foto(&photo(id, "S1", &desa, b"three"))
        .await
        .unwrap();
    assert!(next.id > kept.id);
    // Replacing the copy's atlas replaces its photos too.
    copy.load_atlas(&atlas, true).await.unwrap();
    assert_eq!(
        copy.list_foto(&FotoQuery::default()).await.unwrap(),
        vec![kept.clone()]
    );
    copy.close().await;

    let out = dir.path().join("export.gpkg");
    store.export_copy(&out).await.unwrap();
    let (exported, _) = GpkgStore::open(&out, OpenMode::MustExist).await.unwrap();
    assert_eq!(
        exported.list_foto(&FotoQuery::default()).await.unwrap(),
        vec![kept.clone()]
    );
    let file = exported.foto_berkas(kept.id, Ukuran::Asli).await.unwrap();
    assert_eq!(file.unwrap().bytes, b"two");
}
