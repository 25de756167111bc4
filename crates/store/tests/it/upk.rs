//! The UPK's records (KSM, NIKs, savings and loan books, collection) in every backend:
//! versions, the append-only books, the audit log and copies; and the migration of a
//! GeoPackage file from before them.

use crate::backend;
use crate::common;

use std::path::Path;

use common::sqlite3;
use kumuh_domain::Kode;
use kumuh_domain::upk::{
    Hasil, HasilKunjungan, JenisKelamin, JenisKsm, Ksm, KsmId, MetodeJasa, Nik, Pembayaran,
    PersenBulan, Pinjaman, PinjamanId, RencanaPenagihan, Setoran, SumberBayar, Syarat, Tabungan,
};
use kumuh_domain::works::{Reversal, Rupiah, Tanggal};
use kumuh_store::{
    AtlasCopy, AuditQuery, GpkgStore, NewAudit, OpenMode, Penagihan, PgStore, Store, StoreError,
    UpkWrite, Versi,
};

use backend::{Backend, TestStore};

for_each_backend!(
    ksm_savings_and_loans_round_trip_with_nik_apart_and_every_write_audited,
    books_only_grow_and_their_rows_cannot_be_changed,
    a_whole_atlas_copy_carries_the_upk_records_and_nik_only_with_secrets,
    concurrent_repayments_on_one_version_land_once,
    a_visit_result_names_the_plan_id_the_write_answered,
    several_writes_land_together_or_not_at_all,
);

const BIBRIK: &str = "35.19.09.2014";

fn t(s: &str) -> Tanggal {
    Tanggal::parse(s).unwrap()
}

async fn new_store(path: &Path) -> GpkgStore {
    GpkgStore::open(path, OpenMode::CreateIfMissing)
        .await
        .unwrap()
        .0
}

fn audit(entitas: &str, kunci: &str, aksi: &str) -> NewAudit {
    NewAudit {
        pengguna: "upk-bibrik".into(),
        entitas: entitas.into(),
        kunci: kunci.into(),
        aksi: aksi.into(),
        sebelum: None,
        sesudah: Some(serde_json::json!({"aksi": aksi})),
    }
}

fn berkah() -> Ksm {
    let mut k = Ksm::new(
        KsmId::new("ksm-berkah").unwrap(),
        Kode::parse(BIBRIK).unwrap(),
        "KSM Berkah Jaya",
        JenisKsm::Ekonomi,
        t("2017-03-01"),
    )
    .unwrap();
    k.tambah_anggota(
        "Sulastri",
        JenisKelamin::P,
        "KK Sulastri",
        Some(Nik::new("3519094101800001").unwrap()),
    )
    .unwrap();
    k.tambah_anggota("Sarni", JenisKelamin::P, "KK Sarni", None)
        .unwrap();
    k
}

fn loan() -> Pinjaman {
    let syarat = Syarat {
        pokok_rp: Rupiah::from_u32(3_000_000),
        jangka_bulan: 10,
        jasa_persen_bulan: PersenBulan::from_percent(1.5).unwrap(),
        metode_jasa: MetodeJasa::Flat,
    };
    let mut p = Pinjaman::ajukan(
        PinjamanId::new("P-01").unwrap(),
        KsmId::new("ksm-berkah").unwrap(),
        Kode::parse(BIBRIK).unwrap(),
        t("2026-01-05"),
        syarat,
    )
    .unwrap();
    p.setujui(t("2026-01-05"), "upk-bibrik", None).unwrap();
    p.cairkan(t("2026-01-05")).unwrap();
    p
}

fn pay(p: &mut Pinjaman, tanggal: &str) {
    p.bayar(Pembayaran {
        tanggal: t(tanggal),
        jumlah_rp: Rupiah::from_u32(345_000),
        sumber: SumberBayar::Angsuran,
        keterangan: None,
    })
    .unwrap();
}

async fn ksm_savings_and_loans_round_trip_with_nik_apart_and_every_write_audited(store: TestStore) {
    let k = berkah();
    let nik = k.daftar_nik();
    let v = store
        .save_upk(&UpkWrite {
            ksm: Some(Versi {
                isi: &k,
                versi: None,
            }),
            nik: Some(&nik),
            audit: vec![audit("ksm", "ksm-berkah", "buat")],
            ..UpkWrite::default()
        })
        .await
        .unwrap();
    assert_eq!(v.ksm, Some(1));

    // The KSM reads back without NIKs; they come only from their own table.
    let stored = store.ksm("ksm-berkah").await.unwrap().unwrap();
    assert_eq!(stored.versi, 1);
    assert_eq!(stored.ksm.nama, "KSM Berkah Jaya");
    assert!(stored.ksm.anggota().iter().all(|a| a.nik.is_none()));
    let data = store.sql("SELECT data FROM upk_ksm").unwrap();
    assert!(!data.contains("3519094101800001"), "{data}");
    assert_eq!(store.ksm_nik("ksm-berkah").await.unwrap(), Some(nik));
    let wilayah = Kode::parse("35.19.09").unwrap();
    assert_eq!(store.list_ksm(Some(&wilayah)).await.unwrap().len(), 1);
    let elsewhere = Kode::parse("35.20").unwrap();
    assert!(store.list_ksm(Some(&elsewhere)).await.unwrap().is_empty());

    // Savings and a loan, then a repayment on the version read.
    let mut tab = Tabungan::new(KsmId::new("ksm-berkah").unwrap());
    tab.setor(Setoran {
        tanggal: t("2026-01-10"),
        jumlah_rp: Rupiah::from_u32(150_000),
        anggota: None,
        keterangan: None,
    })
    .unwrap();
    let desa = Kode::parse(BIBRIK).unwrap();
    let mut p = loan();
    let v = store
        .save_upk(&UpkWrite {
            tabungan: Some((
                Versi {
                    isi: &tab,
                    versi: None,
                },
                &desa,
            )),
            pinjaman: Some(Versi {
                isi: &p,
                versi: None,
            }),
            audit: vec![
                audit("tabungan", "ksm-berkah", "setoran"),
                audit("pinjaman", "P-01", "buat"),
            ],
            ..UpkWrite::default()
        })
        .await
        .unwrap();
    assert_eq!((v.tabungan, v.pinjaman), (Some(1), Some(1)));
    pay(&mut p, "2026-02-05");
    let v = store
        .save_upk(&UpkWrite {
            pinjaman: Some(Versi {
                isi: &p,
                versi: Some(1),
            }),
            audit: vec![audit("pinjaman", "P-01", "angsuran")],
            ..UpkWrite::default()
        })
        .await
        .unwrap();
    assert_eq!(v.pinjaman, Some(2));
    let back = store.pinjaman("P-01").await.unwrap().unwrap();
    assert_eq!(back.pinjaman, p);
    assert_eq!(
        store
            .tabungan("ksm-berkah")
            .await
            .unwrap()
            .unwrap()
            .tabungan,
        tab
    );
    assert_eq!(
        store.sql("SELECT saldo_rp FROM upk_tabungan").unwrap(),
        "150000"
    );
    assert_eq!(
        store
            .sql(
                "SELECT buku || ' ' || kunci || ' ' || entri || ' ' || jenis || ' ' || jumlah_rp
                 FROM upk_buku ORDER BY fid"
            )
            .unwrap(),
        "tabungan ksm-berkah 1 setoran 150000\npinjaman P-01 1 pembayaran 345000"
    );

    // A change made on an old version is refused and writes nothing.
    pay(&mut p, "2026-03-05");
    let stale = store
        .save_upk(&UpkWrite {
            pinjaman: Some(Versi {
                isi: &p,
                versi: Some(1),
            }),
            audit: vec![audit("pinjaman", "P-01", "angsuran")],
            ..UpkWrite::default()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            stale,
            StoreError::Stale {
                expected: 1,
                current: 2,
                ..
            }
        ),
        "{stale:?}"
    );

    // Every write is in the audit log with the version it produced.
    let log = store
        .audit(&AuditQuery {
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    let lines: Vec<(String, String, Option<i64>)> = log
        .iter()
        .map(|a| (a.entitas.clone(), a.aksi.clone(), a.versi))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("pinjaman".into(), "angsuran".into(), Some(2)),
            ("pinjaman".into(), "buat".into(), Some(1)),
            ("tabungan".into(), "setoran".into(), Some(1)),
            ("ksm".into(), "buat".into(), Some(1)),
        ]
    );

    // A copy made for sharing leaves the NIKs out.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.gpkg");
    store.export_copy(&copy).await.unwrap();
    assert_eq!(sqlite3(&copy, "SELECT count(*) FROM upk_ksm_nik"), "0");
    assert_eq!(sqlite3(&copy, "SELECT count(*) FROM upk_ksm"), "1");
    assert_eq!(
        sqlite3(
            &copy,
            "SELECT (SELECT count(*) FROM upk_tabungan) || ' ' || (SELECT count(*) FROM upk_pinjaman)
             || ' ' || (SELECT group_concat(jenis) FROM upk_buku)"
        ),
        "1 1 setoran,pembayaran"
    );
    let copied = GpkgStore::open(&copy, OpenMode::MustExist).await.unwrap().0;
    assert_eq!(copied.pinjaman("P-01").await.unwrap().unwrap(), back);
    assert_eq!(copied.ksm_nik("ksm-berkah").await.unwrap(), None);
}

/// KSM with NIKs, savings, a loan at version 2 and two collection records.
async fn write_upk(store: &dyn Store) {
    let k = berkah();
    let nik = k.daftar_nik();
    let desa = Kode::parse(BIBRIK).unwrap();
    let mut tab = Tabungan::new(KsmId::new("ksm-berkah").unwrap());
    tab.setor(Setoran {
        tanggal: t("2026-01-10"),
        jumlah_rp: Rupiah::from_u32(150_000),
        anggota: None,
        keterangan: None,
    })
    .unwrap();
    let mut p = loan();
    store
        .save_upk(&UpkWrite {
            ksm: Some(Versi {
                isi: &k,
                versi: None,
            }),
            nik: Some(&nik),
            tabungan: Some((
                Versi {
                    isi: &tab,
                    versi: None,
                },
                &desa,
            )),
            pinjaman: Some(Versi {
                isi: &p,
                versi: None,
            }),
            audit: vec![audit("ksm", "ksm-berkah", "buat")],
            ..UpkWrite::default()
        })
        .await
        .unwrap();
    pay(&mut p, "2026-02-05");
    let rencana = RencanaPenagihan {
        pinjaman: p.id.clone(),
        ksm: p.ksm.clone(),
        tanggal: t("2026-07-12"),
        petugas: vec!["Pak Kades".into()],
        bersama_pemerintah_desa: true,
        catatan: None,
    };
    store
        .save_upk(&UpkWrite {
            pinjaman: Some(Versi {
                isi: &p,
                versi: Some(1),
            }),
            penagihan: vec![
                (Penagihan::Rencana(rencana.clone()), desa.clone()),
                (Penagihan::Rencana(rencana), desa.clone()),
            ],
            audit: vec![audit("pinjaman", "P-01", "angsuran")],
            ..UpkWrite::default()
        })
        .await
        .unwrap();
}

async fn a_whole_atlas_copy_carries_the_upk_records_and_nik_only_with_secrets(store: TestStore) {
    write_upk(&*store).await;
    let atlas = AtlasCopy::read(&*store, true).await.unwrap();
    assert_eq!(
        (
            atlas.ksm.len(),
            atlas.nik.len(),
            atlas.tabungan.len(),
            atlas.pinjaman.len(),
            atlas.penagihan.len()
        ),
        (1, 1, 1, 1, 2)
    );
    assert_eq!(atlas.pinjaman[0].versi, 2);
    let shared = AtlasCopy::read(&*store, false).await.unwrap();
    assert!(shared.nik.is_empty());
    assert_eq!(shared.ksm, atlas.ksm);

    // Into a GeoPackage, as `kumuh migrate` copies: versions, books, NIKs and
    // collection ids all arrive; a second copy replaces the first whole.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.gpkg");
    let gpkg = new_store(&path).await;
    gpkg.load_atlas(&atlas, false).await.unwrap();
    assert_eq!(AtlasCopy::read(&gpkg, true).await.unwrap(), atlas);
    assert_eq!(
        sqlite3(&path, "SELECT group_concat(jenis) FROM upk_buku"),
        "setoran,pembayaran"
    );
    gpkg.load_atlas(&atlas, true).await.unwrap();
    assert_eq!(AtlasCopy::read(&gpkg, true).await.unwrap(), atlas);
    assert_eq!(sqlite3(&path, "SELECT count(*) FROM upk_buku"), "2");

    // And into a PostGIS database, when there is one.
    if let Some(pg) = Backend::Postgis.open().await {
        let pg_store = PgStore::open(&pg.location, OpenMode::CreateIfMissing)
            .await
            .unwrap()
            .0;
        pg_store.load_atlas(&atlas, false).await.unwrap();
        assert_eq!(AtlasCopy::read(&pg_store, true).await.unwrap(), atlas);
        pg_store.load_atlas(&atlas, true).await.unwrap();
        assert_eq!(AtlasCopy::read(&pg_store, true).await.unwrap(), atlas);
        assert_eq!(
            pg.sql("SELECT string_agg(jenis, ',' ORDER BY fid) FROM upk_buku")
                .unwrap(),
            "setoran,pembayaran"
        );
        // New collection records are numbered after the copied ones.
        let visit = HasilKunjungan {
            pinjaman: PinjamanId::new("P-01").unwrap(),
            rencana: None,
            tanggal: t("2026-07-12"),
            petugas: vec!["Pak Kades".into()],
            hasil: Hasil::JanjiBayar,
            jumlah_rp: None,
            janji_tanggal: Some(t("2026-07-31")),
            catatan: None,
        };
        pg_store
            .save_upk(&UpkWrite {
                penagihan: vec![(Penagihan::Kunjungan(visit), Kode::parse(BIBRIK).unwrap())],
                ..UpkWrite::default()
            })
            .await
            .unwrap();
        let ids: Vec<i64> = pg_store
            .list_penagihan(None)
            .await
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect();
        let copied: Vec<i64> = atlas.penagihan.iter().map(|p| p.id).collect();
        assert_eq!(ids[..2], copied[..]);
        assert!(ids[2] > copied[1], "{ids:?}");
    }
}

async fn books_only_grow_and_their_rows_cannot_be_changed(store: TestStore) {
    let mut p = loan();
    pay(&mut p, "2026-02-05");
    store
        .save_upk(&UpkWrite {
            pinjaman: Some(Versi {
                isi: &p,
                versi: None,
            }),
            ..UpkWrite::default()
        })
        .await
        .unwrap();

    // A book whose first entry differs from the stored one is refused.
    let mut other = loan();
    other
        .bayar(Pembayaran {
            tanggal: t("2026-02-06"),
            jumlah_rp: Rupiah::from_u32(100_000),
            sumber: SumberBayar::Angsuran,
            keterangan: None,
        })
        .unwrap();
    let e = store
        .save_upk(&UpkWrite {
            pinjaman: Some(Versi {
                isi: &other,
                versi: Some(1),
            }),
            ..UpkWrite::default()
        })
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("pinjaman P-01: entry #1 is already in the book"),
        "{e}"
    );
    // A book with fewer entries is refused too.
    let e = store
        .save_upk(&UpkWrite {
            pinjaman: Some(Versi {
                isi: &loan(),
                versi: Some(1),
            }),
            ..UpkWrite::default()
        })
        .await
        .unwrap_err();
    assert!(e.to_string().contains("entries are never removed"), "{e}");
    assert_eq!(store.pinjaman("P-01").await.unwrap().unwrap().versi, 1);

    // A reversal is how a mistake is undone.
    p.batalkan(Reversal::new(
        kumuh_domain::works::EntryId(1),
        "salah catat",
    ))
    .unwrap();
    store
        .save_upk(&UpkWrite {
            pinjaman: Some(Versi {
                isi: &p,
                versi: Some(1),
            }),
            penagihan: vec![
                (
                    Penagihan::Rencana(RencanaPenagihan {
                        pinjaman: p.id.clone(),
                        ksm: p.ksm.clone(),
                        tanggal: t("2026-07-12"),
                        petugas: vec!["Pak Kades".into()],
                        bersama_pemerintah_desa: true,
                        catatan: Some("RKTL".into()),
                    }),
                    p.kode_desa.clone(),
                ),
                (
                    Penagihan::Kunjungan(HasilKunjungan {
                        pinjaman: p.id.clone(),
                        rencana: None,
                        tanggal: t("2026-07-12"),
                        petugas: vec!["Pak Kades".into()],
                        hasil: Hasil::JanjiBayar,
                        jumlah_rp: None,
                        janji_tanggal: Some(t("2026-07-31")),
                        catatan: None,
                    }),
                    p.kode_desa.clone(),
                ),
            ],
            ..UpkWrite::default()
        })
        .await
        .unwrap();
    assert_eq!(
        store
            .sql("SELECT jenis FROM upk_buku ORDER BY fid")
            .unwrap(),
        "pembayaran\nreversal"
    );
    let plans = store.list_penagihan(None).await.unwrap();
    assert_eq!(plans.len(), 2);
    assert!(matches!(plans[1].penagihan, Penagihan::Kunjungan(_)));

    // The database itself refuses to change or delete a book or collection row,
    // whoever asks.
    for sql in [
        "UPDATE upk_buku SET jumlah_rp = 1",
        "DELETE FROM upk_buku",
        "UPDATE upk_penagihan SET tanggal = '2000-01-01'",
        "DELETE FROM upk_penagihan",
    ] {
        let e = store.sql(sql).expect_err(sql);
        assert!(e.contains("append-only"), "{sql}: {e}");
    }
    assert_eq!(store.sql("SELECT count(*) FROM upk_buku").unwrap(), "2");
    assert_eq!(
        store.sql("SELECT count(*) FROM upk_penagihan").unwrap(),
        "2"
    );
}

#[tokio::test]
async fn a_store_from_before_the_loans_is_migrated_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.gpkg");
    new_store(&path).await.close().await;
    // Back to schema 6: the tables of migrations 7 (loans), 8 (photos), 9 (basemaps)
    // and 10 (kept tile indexes) and their registration removed.
    sqlite3(
        &path,
        "DROP TABLE upk_ksm; DROP TABLE upk_ksm_nik; DROP TABLE upk_tabungan;
         DROP TABLE upk_pinjaman; DROP TABLE upk_buku; DROP TABLE upk_penagihan;
         DROP TABLE kegiatan_foto; DROP TABLE peta_dasar_ubin; DROP TABLE peta_dasar;
         DROP TABLE kumuh_indeks_ubin;
         DELETE FROM gpkg_contents WHERE table_name LIKE 'upk_%' OR table_name = 'kegiatan_foto'
           OR table_name LIKE 'peta_dasar%' OR table_name = 'kumuh_indeks_ubin';
         DELETE FROM kumuh_migrations WHERE version >= 7;",
    );
    let store = new_store(&path).await;
    assert_eq!(store.info().await.unwrap().schema_version, 10);
    assert!(
        store
            .list_foto(&Default::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.list_ksm(None).await.unwrap().is_empty());
    assert_eq!(
        sqlite3(
            &path,
            "SELECT group_concat(table_name) FROM (SELECT table_name FROM gpkg_contents
             WHERE table_name LIKE 'upk_%' ORDER BY table_name)"
        ),
        "upk_buku,upk_ksm,upk_ksm_nik,upk_penagihan,upk_pinjaman,upk_tabungan"
    );
}

#[tokio::test]
async fn a_database_from_before_the_loans_is_migrated_on_open() {
    let Some(t) = Backend::Postgis.open().await else {
        return;
    };
    // Back to schema 1: the tables and function of migrations 2 (loans), 3 (photos),
    // 4 (basemaps) and 5 (kept tile indexes) removed.
    t.sql(
        "DROP TABLE upk_ksm, upk_ksm_nik, upk_tabungan, upk_pinjaman, upk_buku, upk_penagihan;
         DROP TABLE kegiatan_foto, peta_dasar_ubin, peta_dasar, kumuh_indeks_ubin;
         DROP FUNCTION upk_hanya_tambah();
         DELETE FROM kumuh_migrations WHERE version >= 2;",
    )
    .unwrap();
    assert_eq!(
        t.sql("SELECT max(version) FROM kumuh_migrations").unwrap(),
        "1"
    );
    let store = t.reopen().await;
    assert_eq!(store.info().await.unwrap().schema_version, 5);
    assert!(
        store
            .list_foto(&Default::default())
            .await
            .unwrap()
            .is_empty()
    );
    write_upk(&*store).await;
    assert_eq!(store.list_ksm(None).await.unwrap().len(), 1);
    assert_eq!(
        t.sql(
            "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables
             WHERE tablename LIKE 'upk%'"
        )
        .unwrap(),
        "upk_buku,upk_ksm,upk_ksm_nik,upk_penagihan,upk_pinjaman,upk_tabungan"
    );
}

async fn concurrent_repayments_on_one_version_land_once(store: TestStore) {
    store
        .save_upk(&UpkWrite {
            pinjaman: Some(Versi {
                isi: &loan(),
                versi: None,
            }),
            ..UpkWrite::default()
        })
        .await
        .unwrap();
    // Eight servers each record a repayment on the version they read.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let s = store.shared();
            tokio::spawn(async move {
                let mut p = loan();
                pay(&mut p, "2026-02-05");
                s.save_upk(&UpkWrite {
                    pinjaman: Some(Versi {
                        isi: &p,
                        versi: Some(1),
                    }),
                    audit: vec![audit("pinjaman", "P-01", "angsuran")],
                    ..UpkWrite::default()
                })
                .await
            })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(v) => {
                won += 1;
                assert_eq!(v.pinjaman, Some(2));
            }
            Err(StoreError::Stale {
                expected: 1,
                current: 2,
                ..
            }) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(
        store
            .sql("SELECT count(*) FROM upk_buku WHERE kunci = 'P-01'")
            .unwrap(),
        "1"
    );
    let log = store
        .audit(&AuditQuery {
            limit: 20,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 1, "only the landed repayment is audited");
}

async fn a_visit_result_names_the_plan_id_the_write_answered(store: TestStore) {
    write_upk(&*store).await;
    let before = store.list_penagihan(None).await.unwrap();
    let desa = Kode::parse(BIBRIK).unwrap();
    let plan = RencanaPenagihan {
        pinjaman: PinjamanId::new("P-01").unwrap(),
        ksm: KsmId::new("ksm-berkah").unwrap(),
        tanggal: t("2026-08-03"),
        petugas: vec!["Bu Sri".into()],
        bersama_pemerintah_desa: false,
        catatan: Some("RKTL langkah 2".into()),
    };
    let v = store
        .save_upk(&UpkWrite {
            penagihan: vec![(Penagihan::Rencana(plan), desa.clone())],
            audit: vec![audit("penagihan", "P-01", "rencana")],
            ..UpkWrite::default()
        })
        .await
        .unwrap();
    let id = v.penagihan.expect("the plan's id");
    assert!(before.iter().all(|r| r.id < id), "{before:?} then {id}");
    let visit = HasilKunjungan {
        pinjaman: PinjamanId::new("P-01").unwrap(),
        rencana: Some(id),
        tanggal: t("2026-08-03"),
        petugas: vec!["Bu Sri".into()],
        hasil: Hasil::TidakDitemui,
        jumlah_rp: None,
        janji_tanggal: None,
        catatan: None,
    };
    let v2 = store
        .save_upk(&UpkWrite {
            penagihan: vec![(Penagihan::Kunjungan(visit.clone()), desa)],
            audit: vec![audit("penagihan", "P-01", "hasil")],
            ..UpkWrite::default()
        })
        .await
        .unwrap();
    assert!(v2.penagihan > Some(id));
    let all = store
        .list_penagihan(Some(&Kode::parse(BIBRIK).unwrap()))
        .await
        .unwrap();
    let plan_row = all.iter().find(|r| r.id == id).unwrap();
    match &plan_row.penagihan {
        Penagihan::Rencana(r) => assert_eq!(r.catatan.as_deref(), Some("RKTL langkah 2")),
        other => panic!("row {id} is {other:?}"),
    }
    let last = all.last().unwrap();
    assert_eq!(Some(last.id), v2.penagihan);
    assert_eq!(last.penagihan, Penagihan::Kunjungan(visit));
}

async fn several_writes_land_together_or_not_at_all(store: TestStore) {
    let k = berkah();
    let p = loan();
    let ksm_write = || UpkWrite {
        ksm: Some(Versi {
            isi: &k,
            versi: None,
        }),
        audit: vec![audit("ksm", "ksm-berkah", "impor")],
        ..UpkWrite::default()
    };
    // The loan names a version it never had: the whole batch is refused, the KSM too.
    let stale = UpkWrite {
        pinjaman: Some(Versi {
            isi: &p,
            versi: Some(7),
        }),
        audit: vec![audit("pinjaman", "P-01", "impor")],
        ..UpkWrite::default()
    };
    assert!(store.save_upk_all(&[ksm_write(), stale]).await.is_err());
    assert!(store.ksm("ksm-berkah").await.unwrap().is_none());
    assert!(store.pinjaman("P-01").await.unwrap().is_none());
    let lines = |kunci: &str| AuditQuery {
        kunci: Some(kunci.into()),
        sebelum_id: None,
        limit: 10,
    };
    assert!(store.audit(&lines("ksm-berkah")).await.unwrap().is_empty());

    let fresh = UpkWrite {
        pinjaman: Some(Versi {
            isi: &p,
            versi: None,
        }),
        audit: vec![audit("pinjaman", "P-01", "impor")],
        ..UpkWrite::default()
    };
    let v = store.save_upk_all(&[ksm_write(), fresh]).await.unwrap();
    assert_eq!((v[0].ksm, v[1].pinjaman), (Some(1), Some(1)));
    assert_eq!(store.pinjaman("P-01").await.unwrap().unwrap().versi, 1);
    assert_eq!(store.audit(&lines("P-01")).await.unwrap().len(), 1);
}
