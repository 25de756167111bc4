//! The revolving-loan model on worked cases: the schedule, standing and kolektibilitas
//! of a loan, repayments and reversals, write-off, group savings, the arrears list and
//! the indicators of a kecamatan.

use kumuh_domain::Kode;
use kumuh_domain::upk::*;
use kumuh_domain::works::{EntryId, Reversal, Rupiah, Tanggal};

fn t(s: &str) -> Tanggal {
    Tanggal::parse(s).unwrap()
}

fn rp(n: u32) -> Rupiah {
    Rupiah::from_u32(n)
}

fn syarat(pokok: u32, bulan: u16, persen: f64) -> Syarat {
    Syarat {
        pokok_rp: rp(pokok),
        jangka_bulan: bulan,
        jasa_persen_bulan: PersenBulan::from_percent(persen).unwrap(),
        metode_jasa: MetodeJasa::Flat,
    }
}

/// An approved loan disbursed on `cair`.
fn loan(id: &str, ksm: &str, s: Syarat, cair: &str) -> Pinjaman {
    let mut p = Pinjaman::ajukan(
        PinjamanId::new(id).unwrap(),
        KsmId::new(ksm).unwrap(),
        Kode::parse("35.19.09.2014").unwrap(),
        t("2026-01-02"),
        s,
    )
    .unwrap();
    p.setujui(t("2026-01-03"), "upk-bibrik", None).unwrap();
    p.cairkan(t(cair)).unwrap();
    p
}

fn bayar(p: &mut Pinjaman, tanggal: &str, jumlah: u32) -> EntryId {
    p.bayar(Pembayaran {
        tanggal: t(tanggal),
        jumlah_rp: rp(jumlah),
        sumber: SumberBayar::Angsuran,
        keterangan: None,
    })
    .unwrap()
}

/// The worked case: Rp 3.000.000 over 10 months at 1,5 % flat, disbursed 2026-01-05,
/// two instalments paid on time.
fn worked_case() -> Pinjaman {
    let mut p = loan("P-01", "ksm-maju", syarat(3_000_000, 10, 1.5), "2026-01-05");
    bayar(&mut p, "2026-02-05", 345_000);
    bayar(&mut p, "2026-03-05", 345_000);
    p
}

#[test]
fn worked_case_schedule_is_345_000_a_month_from_february() {
    let p = worked_case();
    let j = p.jadwal().unwrap();
    assert_eq!(j.len(), 10);
    for (i, a) in j.iter().enumerate() {
        assert_eq!(a.pokok_rp, rp(300_000), "instalment {}", a.ke);
        assert_eq!(a.jasa_rp, rp(45_000), "instalment {}", a.ke);
        assert_eq!(a.jumlah_rp(), rp(345_000));
        assert_eq!(usize::from(a.ke), i + 1);
    }
    let due: Vec<String> = j.iter().map(|a| a.jatuh_tempo.to_string()).collect();
    assert_eq!(due[0], "2026-02-05");
    assert_eq!(due[5], "2026-07-05");
    assert_eq!(due[9], "2026-11-05");
    assert_eq!(p.total_terjadwal().unwrap(), rp(3_450_000));
}

#[test]
fn worked_case_standing_on_10_july_is_four_behind_and_class_3() {
    let p = worked_case();
    let s = p.posisi(t("2026-07-10")).unwrap().unwrap();
    assert_eq!(s.angsuran_jatuh_tempo, 6);
    assert_eq!(s.angsuran_tertunggak, 4);
    assert_eq!(s.sisa_pokok_rp, rp(2_400_000));
    assert_eq!(s.tunggakan_pokok_rp, rp(1_200_000));
    assert_eq!(s.tunggakan_jasa_rp, rp(180_000));
    assert_eq!(s.kolektibilitas, Kolektibilitas::KurangLancar);
    assert_eq!(s.kolektibilitas.kelas(), 3);
    // The oldest unpaid instalment fell due on 5 April: 96 days before 10 July.
    assert_eq!(s.hari_tunggak, 96);
    assert_eq!(s.status, StatusPinjaman::Berjalan);
    assert_eq!(s.dibayar_pokok_rp, rp(600_000));
    assert_eq!(s.dibayar_jasa_rp, rp(90_000));
    assert_eq!(s.pokok_jatuh_tempo_rp, rp(1_800_000));
    assert_eq!(s.pokok_jatuh_tempo_dibayar_rp, rp(600_000));
    // By days overdue, as banks count, 96 days is class 3 as well.
    let bank = AturanKolektibilitas::builtin("bank-hari").unwrap();
    let s = p.posisi_dengan(t("2026-07-10"), &bank).unwrap().unwrap();
    assert_eq!(s.kolektibilitas, Kolektibilitas::KurangLancar);
}

#[test]
fn a_due_date_on_the_standing_date_counts_as_due() {
    let p = worked_case();
    let check = |per: &str, due: u16, behind: u16, days: u32, kelas: u8| {
        let s = p.posisi(t(per)).unwrap().unwrap();
        assert_eq!(
            (
                s.angsuran_jatuh_tempo,
                s.angsuran_tertunggak,
                s.hari_tunggak,
                s.kolektibilitas.kelas()
            ),
            (due, behind, days, kelas),
            "{per}"
        );
    };
    check("2026-01-05", 0, 0, 0, 1);
    check("2026-03-05", 2, 0, 0, 1);
    check("2026-04-04", 2, 0, 0, 1);
    check("2026-04-05", 3, 1, 0, 2);
    check("2026-05-05", 4, 2, 30, 2);
    check("2026-06-05", 5, 3, 61, 3);
    check("2027-04-05", 10, 8, 365, 4);
    assert!(p.posisi(t("2026-01-04")).unwrap().is_none());
}

#[test]
fn repayments_pay_service_first_then_principal_oldest_first() {
    let mut p = loan("P-02", "ksm-maju", syarat(3_000_000, 10, 1.5), "2026-01-05");
    // Rp 100.000 on time: the first instalment's Rp 45.000 service, then Rp 55.000 of
    // its principal; one instalment behind.
    bayar(&mut p, "2026-02-05", 100_000);
    let s = p.posisi(t("2026-02-05")).unwrap().unwrap();
    assert_eq!(
        (s.dibayar_jasa_rp, s.dibayar_pokok_rp),
        (rp(45_000), rp(55_000))
    );
    assert_eq!(
        (s.tunggakan_jasa_rp, s.tunggakan_pokok_rp),
        (Rupiah::ZERO, rp(245_000))
    );
    assert_eq!(s.angsuran_tertunggak, 1);
    // Rp 1.000.000 later rolls forward: the rest of instalment 1 (245.000), instalments 2
    // and 3 whole (690.000) and instalment 4's service (45.000) and 20.000 of principal.
    bayar(&mut p, "2026-03-01", 1_000_000);
    let s = p.posisi(t("2026-04-05")).unwrap().unwrap();
    assert_eq!(s.angsuran_tertunggak, 0);
    assert_eq!(s.dibayar_jasa_rp, rp(4 * 45_000));
    assert_eq!(s.dibayar_pokok_rp, rp(1_100_000 - 4 * 45_000));
    assert_eq!(s.pokok_jatuh_tempo_rp, rp(900_000));
    assert_eq!(s.pokok_jatuh_tempo_dibayar_rp, rp(900_000));
    // Paying more than is owed is refused and names the amount.
    let e = p
        .bayar(Pembayaran {
            tanggal: t("2026-05-06"),
            jumlah_rp: rp(3_000_000),
            sumber: SumberBayar::Angsuran,
            keterangan: None,
        })
        .unwrap_err();
    assert!(e.to_string().contains("still owed (Rp 2.350.000"), "{e}");
    // Paying it all makes the loan lunas.
    bayar(&mut p, "2026-05-06", 2_350_000);
    assert_eq!(p.status().unwrap(), StatusPinjaman::Lunas);
    assert_eq!(
        p.posisi(t("2026-05-06")).unwrap().unwrap().status,
        StatusPinjaman::Lunas
    );
}

#[test]
fn reversals_are_entries_and_the_payment_never_counted() {
    let mut p = worked_case();
    let second = EntryId(2);
    let r = p
        .batalkan(Reversal::new(second, "setoran tercatat ganda"))
        .unwrap();
    assert_eq!(p.buku().len(), 3);
    assert_eq!(p.buku().reversed_by(second), Some(r));
    let s = p.posisi(t("2026-07-10")).unwrap().unwrap();
    assert_eq!(s.angsuran_tertunggak, 5);
    assert_eq!(s.sisa_pokok_rp, rp(2_700_000));
    // The same entry cannot be reversed twice, and a reversal cannot be reversed.
    let e = p.batalkan(Reversal::new(second, "lagi")).unwrap_err();
    assert!(e.to_string().contains("already reversed"), "{e}");
    let e = p.batalkan(Reversal::new(r, "batal")).unwrap_err();
    assert!(e.to_string().contains("itself a reversal"), "{e}");
}

#[test]
fn the_life_cycle_is_kept() {
    let mut p = Pinjaman::ajukan(
        PinjamanId::new("P-03").unwrap(),
        KsmId::new("ksm-maju").unwrap(),
        Kode::parse("35.19.09.2014").unwrap(),
        t("2026-01-02"),
        syarat(1_000_000, 6, 2.0),
    )
    .unwrap();
    assert_eq!(p.status().unwrap(), StatusPinjaman::Diajukan);
    let e = p.cairkan(t("2026-01-05")).unwrap_err();
    assert!(
        e.to_string()
            .contains("cannot disburse a loan that is diajukan"),
        "{e}"
    );
    let e = p.setujui(t("2026-01-01"), "upk", None).unwrap_err();
    assert!(e.to_string().contains("keputusan.tanggal"), "{e}");
    // Approved for less than was asked.
    p.setujui(t("2026-01-03"), "upk", Some(syarat(800_000, 6, 2.0)))
        .unwrap();
    assert_eq!(p.syarat().pokok_rp, rp(800_000));
    let e = p.cairkan(t("2026-01-02")).unwrap_err();
    assert!(e.to_string().contains("field `tanggal_cair`"), "{e}");
    p.cairkan(t("2026-01-31")).unwrap();
    let e = p.cairkan(t("2026-02-01")).unwrap_err();
    assert!(e.to_string().contains("berjalan"), "{e}");
    // Due dates clamp to the month's end: 28 February, 31 March, 30 April.
    let due: Vec<String> = p
        .jadwal()
        .unwrap()
        .iter()
        .map(|a| a.jatuh_tempo.to_string())
        .collect();
    assert_eq!(due[..3], ["2026-02-28", "2026-03-31", "2026-04-30"]);
    let e = p
        .bayar(Pembayaran {
            tanggal: t("2026-01-30"),
            jumlah_rp: rp(1),
            sumber: SumberBayar::Angsuran,
            keterangan: None,
        })
        .unwrap_err();
    assert!(e.to_string().contains("before the disbursement"), "{e}");

    let mut q = Pinjaman::ajukan(
        PinjamanId::new("P-04").unwrap(),
        KsmId::new("ksm-maju").unwrap(),
        Kode::parse("35.19.09.2014").unwrap(),
        t("2026-01-02"),
        syarat(1_000_000, 6, 2.0),
    )
    .unwrap();
    let e = q.tolak(t("2026-01-03"), "upk", " ").unwrap_err();
    assert!(e.to_string().contains("field `alasan`"), "{e}");
    q.tolak(t("2026-01-03"), "upk", "usaha belum berjalan")
        .unwrap();
    assert_eq!(q.status().unwrap(), StatusPinjaman::Ditolak);
    assert!(q.posisi(t("2026-12-31")).unwrap().is_none());
}

#[test]
fn write_off_needs_a_reason_and_an_approver_and_can_be_reversed() {
    let mut p = worked_case();
    let hb = |alasan: &str, oleh: &str| HapusBuku {
        tanggal: t("2026-12-31"),
        alasan: alasan.to_owned(),
        disetujui_oleh: oleh.to_owned(),
    };
    let e = p.hapus_buku(hb("", "ketua-lkm")).unwrap_err();
    assert!(e.to_string().contains("field `alasan`"), "{e}");
    let e = p.hapus_buku(hb("peminjam meninggal", " ")).unwrap_err();
    assert!(e.to_string().contains("field `disetujui_oleh`"), "{e}");
    let id = p.hapus_buku(hb("peminjam meninggal", "ketua-lkm")).unwrap();
    assert_eq!(p.status().unwrap(), StatusPinjaman::DihapusBuku);
    assert!(p.hapus_buku(hb("lagi", "ketua-lkm")).is_err());
    // Before the write-off date the loan still stands as running.
    let before = p.posisi(t("2026-12-30")).unwrap().unwrap();
    assert_eq!(before.status, StatusPinjaman::Berjalan);
    let after = p.posisi(t("2026-12-31")).unwrap().unwrap();
    assert!(after.dihapusbukukan && !after.aktif());
    // A recovery is still recorded.
    bayar(&mut p, "2027-01-10", 100_000);
    p.batalkan(Reversal::new(id, "keputusan dibatalkan rapat"))
        .unwrap();
    assert_eq!(p.status().unwrap(), StatusPinjaman::Berjalan);
}

#[test]
fn loans_round_trip_through_json_and_stored_books_are_checked() {
    let mut p = worked_case();
    p.batalkan(Reversal::new(EntryId(1), "salah catat"))
        .unwrap();
    p.catat_penyebab(CatatanPenyebab {
        tanggal: t("2026-05-01"),
        penyebab: Penyebab::UsahaGagal,
        keterangan: Some("kolam lele kebanjiran".to_owned()),
    })
    .unwrap();
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["syarat_diajukan"]["jasa_persen_bulan"], 1.5);
    assert_eq!(json["keputusan"]["keputusan"], "disetujui");
    assert_eq!(json["buku"][0]["isi"]["jenis"], "pembayaran");
    let back: Pinjaman = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, p);

    // A stored book paying more than the schedule is refused, naming the entry.
    let mut bad = json.clone();
    bad["buku"][1]["isi"]["jumlah_rp"] = serde_json::json!(5_000_000);
    let e = serde_json::from_value::<Pinjaman>(bad).unwrap_err();
    assert!(e.to_string().contains("entry #2"), "{e}");
    // Entries on a loan never disbursed are refused.
    let mut bad = json;
    bad["tanggal_cair"] = serde_json::Value::Null;
    assert!(serde_json::from_value::<Pinjaman>(bad).is_err());
}

#[test]
fn group_savings_never_go_below_zero() {
    let ksm = KsmId::new("ksm-maju").unwrap();
    let mut tab = Tabungan::new(ksm);
    let a = tab
        .setor(Setoran {
            tanggal: t("2026-01-10"),
            jumlah_rp: rp(200_000),
            anggota: Some("Siti".to_owned()),
            keterangan: None,
        })
        .unwrap();
    let tutup = |jumlah, alasan: &str| TutupAngsuran {
        tanggal: t("2026-04-06"),
        jumlah_rp: rp(jumlah),
        pinjaman: PinjamanId::new("P-01").unwrap(),
        alasan: alasan.to_owned(),
    };
    let e = tab
        .tutup_angsuran(tutup(345_000, "angsuran April"))
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("covering an instalment of Rp 345.000 exceeds the balance of Rp 200.000"),
        "{e}"
    );
    let e = tab.tutup_angsuran(tutup(150_000, "")).unwrap_err();
    assert!(e.to_string().contains("field `alasan`"), "{e}");
    let used = tab
        .tutup_angsuran(tutup(150_000, "Bu Sri sakit, rapat 5 April"))
        .unwrap();
    assert_eq!(tab.saldo().unwrap(), rp(50_000));
    // The deposit was partly spent: reversing it would leave the book negative.
    let e = tab.batalkan(Reversal::new(a, "salah catat")).unwrap_err();
    assert!(matches!(e, UpkError::InsufficientBalance { .. }), "{e}");
    tab.batalkan(Reversal::new(used, "angsuran dibayar sendiri"))
        .unwrap();
    tab.batalkan(Reversal::new(a, "salah catat")).unwrap();
    assert_eq!(tab.saldo().unwrap(), Rupiah::ZERO);
    assert_eq!(tab.buku().len(), 4);
    assert_eq!(tab.saldo_per(Some(t("2026-01-09"))).unwrap(), Rupiah::ZERO);

    let json = serde_json::to_value(&tab).unwrap();
    assert_eq!(
        serde_json::from_value::<Tabungan>(json.clone()).unwrap(),
        tab
    );
    // A stored book whose first entry takes money out is refused.
    let mut bad = json;
    bad["buku"][0]["isi"] = serde_json::json!({
        "jenis": "penarikan", "tanggal": "2026-01-10", "jumlah_rp": 1, "alasan": "x"
    });
    let e = serde_json::from_value::<Tabungan>(bad).unwrap_err();
    assert!(e.to_string().contains("exceeds the balance"), "{e}");
}

#[test]
fn nik_is_kept_out_of_a_ksm_json() {
    let mut ksm = Ksm::new(
        KsmId::new("ksm-maju").unwrap(),
        Kode::parse("35.19.09.2014").unwrap(),
        "KSM Maju",
        JenisKsm::Ekonomi,
        t("2018-03-01"),
    )
    .unwrap();
    let nik = Nik::new("3519094101800001").unwrap();
    assert_eq!(nik.to_string(), "3519**********01");
    assert!(!format!("{nik:?}").contains("94101800"));
    let siti = ksm
        .tambah_anggota("Siti", JenisKelamin::P, "KK Siti", Some(nik))
        .unwrap();
    let budi = ksm
        .tambah_anggota("Budi", JenisKelamin::L, "KK Budi", None)
        .unwrap();
    assert_eq!((siti, budi), (1, 2));
    assert!(Nik::new("35190941018").is_err());
    let e = ksm
        .tambah_anggota("Ani", JenisKelamin::P, " ", None)
        .unwrap_err();
    assert!(e.to_string().contains("field `rumah_tangga`"), "{e}");

    let json = serde_json::to_string(&ksm).unwrap();
    assert!(!json.contains("3519094101800001"), "{json}");
    assert!(!json.contains("\"nik\""), "{json}");
    let daftar = serde_json::to_string(&ksm.daftar_nik()).unwrap();
    assert_eq!(daftar, r#"{"1":"3519094101800001"}"#);

    let mut back: Ksm = serde_json::from_str(&json).unwrap();
    assert!(back.anggota()[0].nik.is_none());
    back.pasang_nik(serde_json::from_str(&daftar).unwrap())
        .unwrap();
    assert_eq!(back, ksm);
    let e = back
        .pasang_nik(serde_json::from_str(r#"{"7":"3519094101800001"}"#).unwrap())
        .unwrap_err();
    assert!(e.to_string().contains("no member number 7"), "{e}");
    assert!(serde_json::from_str::<DaftarNik>(r#"{"1":"123"}"#).is_err());

    ksm.anggota_keluar(budi, t("2026-01-01")).unwrap();
    assert_eq!(ksm.anggota_per(t("2026-02-01")).count(), 1);
    assert!(ksm.anggota_keluar(9, t("2026-01-01")).is_err());
}

#[test]
fn ksm_checklists_keep_their_history() {
    let mut ksm = Ksm::new(
        KsmId::new("ksm-maju").unwrap(),
        Kode::parse("35.19.09.2014").unwrap(),
        "KSM Maju",
        JenisKsm::Ekonomi,
        t("2018-03-01"),
    )
    .unwrap();
    let check = |tanggal: &str, all: bool| Pancasutra {
        tanggal: t(tanggal),
        pertemuan_rutin: true,
        tabungan_kelompok: all,
        pembukuan: all,
        pinjaman_dalam_kelompok: true,
        angsuran_dalam_kelompok: all,
        catatan: None,
    };
    ksm.catat_pancasutra(check("2024-06-30", false)).unwrap();
    ksm.catat_pancasutra(check("2025-06-30", true)).unwrap();
    let e = ksm.catat_pancasutra(check("2025-01-01", true)).unwrap_err();
    assert!(e.to_string().contains("field `pancasutra`"), "{e}");
    assert_eq!(ksm.pancasutra_per(t("2025-01-01")).unwrap().terpenuhi(), 2);
    assert_eq!(ksm.pancasutra_per(t("2026-01-01")).unwrap().terpenuhi(), 5);
    assert!(ksm.pancasutra_per(t("2024-01-01")).is_none());
    ksm.catat_kemandirian(Kemandirian {
        tanggal: t("2025-12-31"),
        ad_art: true,
        pembukuan: true,
        sistem_informasi: false,
        tabungan_bertambah: true,
        pengembalian_95: true,
        keanggotaan: true,
        catatan: None,
    })
    .unwrap();
    assert_eq!(ksm.kemandirian_per(t("2026-01-01")).unwrap().terpenuhi(), 5);
    let json = serde_json::to_value(&ksm).unwrap();
    assert_eq!(json["jenis"], "ekonomi");
    assert_eq!(serde_json::from_value::<Ksm>(json).unwrap(), ksm);
}

/// The kecamatan case of `docs/upk.md`: the worked case and nine groups paid up, each
/// Rp 2.000.000 over 10 months at 1,5 % (Rp 230.000 a month), six instalments paid.
fn kecamatan() -> Vec<Pinjaman> {
    let mut loans = vec![worked_case()];
    for i in 1..=9 {
        let mut p = loan(
            &format!("P-1{i}"),
            &format!("ksm-{i}"),
            syarat(2_000_000, 10, 1.5),
            "2026-01-05",
        );
        for bulan in 2..=7 {
            bayar(&mut p, &format!("2026-{bulan:02}-05"), 230_000);
        }
        loans.push(p);
    }
    loans
}

#[test]
fn indicators_of_a_kecamatan() {
    let loans = kecamatan();
    let keuangan = Keuangan {
        pendapatan_rp: rp(5_000_000),
        biaya_rp: rp(3_500_000),
        laba_bersih_rp: 1_500_000,
        modal_rp: rp(30_000_000),
        kas_rp: Some(rp(20_400_000)),
    };
    let aturan = AturanKolektibilitas::bawaan();
    let i = indikator(&loans, t("2026-07-10"), &aturan, Some(&keuangan)).unwrap();
    assert_eq!(
        (i.pinjaman_aktif, i.ksm_aktif, i.ksm_menunggak),
        (10, 10, 1)
    );
    assert_eq!(i.outstanding_rp, rp(9_600_000));
    assert_eq!(i.outstanding_menunggak_rp, rp(2_400_000));
    assert_eq!(
        (i.lar.persen_bp, i.lar.pita),
        (Some(1_000), Some(Pita::Cukup))
    );
    assert_eq!(
        (i.par.persen_bp, i.par.pita),
        (Some(2_500), Some(Pita::Kurang))
    );
    assert_eq!(
        (
            i.tingkat_pengembalian.pembilang,
            i.tingkat_pengembalian.penyebut
        ),
        (11_400_000, 12_600_000)
    );
    assert_eq!(i.tingkat_pengembalian.persen_bp, Some(9_048));
    assert_eq!(i.tingkat_pengembalian.pita, Some(Pita::Baik));
    let cc = i.cost_coverage.unwrap();
    assert_eq!((cc.persen_bp, cc.pita), (Some(14_286), Some(Pita::Baik)));
    let roi = i.roi.unwrap();
    assert_eq!((roi.persen_bp, roi.pita), (Some(500), Some(Pita::Cukup)));
    let idle = i.dana_idle.unwrap();
    assert_eq!((idle.persen_bp, idle.pita), (Some(6_800), None));

    // Only loans of the area are passed in: another kecamatan has none of these.
    let other = Kode::parse("35.19.01").unwrap();
    let none = indikator(
        loans.iter().filter(|p| dalam_wilayah(&p.kode_desa, &other)),
        t("2026-07-10"),
        &aturan,
        None,
    )
    .unwrap();
    assert_eq!((none.lar.persen_bp, none.par.pita), (None, None));
    assert!(none.roi.is_none());
}

#[test]
fn the_arrears_list_puts_the_worst_first_with_causes() {
    let mut loans = kecamatan();
    loans[0]
        .catat_penyebab(CatatanPenyebab {
            tanggal: t("2026-05-01"),
            penyebab: Penyebab::UsahaGagal,
            keterangan: None,
        })
        .unwrap();
    let e = loans[0]
        .catat_penyebab(CatatanPenyebab {
            tanggal: t("2026-05-01"),
            penyebab: Penyebab::Lainnya,
            keterangan: None,
        })
        .unwrap_err();
    assert!(e.to_string().contains("field `keterangan`"), "{e}");
    // A second group misses its July instalment: one behind, class 2.
    let mut late = loan("P-20", "ksm-20", syarat(1_000_000, 5, 2.0), "2026-02-10");
    for tanggal in ["2026-03-10", "2026-04-10", "2026-05-10", "2026-06-10"] {
        bayar(&mut late, tanggal, 220_000);
    }
    loans.push(late);
    let d = daftar_tunggakan(&loans, t("2026-07-31"), &AturanKolektibilitas::bawaan()).unwrap();
    let rows: Vec<(&str, u8, bool, u16)> = d
        .baris
        .iter()
        .map(|b| {
            (
                b.pinjaman.as_str(),
                b.kolektibilitas.kelas(),
                b.menunggak,
                b.angsuran_tertunggak,
            )
        })
        .collect();
    assert_eq!(rows, [("P-01", 3, true, 4), ("P-20", 2, false, 1)]);
    assert_eq!(d.baris[0].penyebab, [Penyebab::UsahaGagal]);
    assert_eq!(d.total_tunggakan_pokok_rp, rp(1_200_000 + 200_000));
    assert_eq!(d.total_tunggakan_jasa_rp, rp(180_000 + 20_000));
}

#[test]
fn collection_plans_and_visits_are_checked() {
    let plan = RencanaPenagihan {
        pinjaman: PinjamanId::new("P-01").unwrap(),
        ksm: KsmId::new("ksm-maju").unwrap(),
        tanggal: t("2026-08-03"),
        petugas: vec![" ".to_owned()],
        bersama_pemerintah_desa: true,
        catatan: Some("RKTL langkah 1".to_owned()),
    };
    let e = plan.check().unwrap_err();
    assert!(e.to_string().contains("field `petugas`"), "{e}");
    let visit = |hasil, jumlah: Option<u32>, janji: Option<&str>| HasilKunjungan {
        pinjaman: PinjamanId::new("P-01").unwrap(),
        rencana: None,
        tanggal: t("2026-08-03"),
        petugas: vec!["Pak Kades".to_owned()],
        hasil,
        jumlah_rp: jumlah.map(rp),
        janji_tanggal: janji.map(t),
        catatan: None,
    };
    assert!(visit(Hasil::Membayar, Some(345_000), None).check().is_ok());
    assert!(visit(Hasil::Membayar, None, None).check().is_err());
    assert!(
        visit(Hasil::JanjiBayar, None, Some("2026-08-17"))
            .check()
            .is_ok()
    );
    assert!(
        visit(Hasil::JanjiBayar, None, Some("2026-08-01"))
            .check()
            .is_err()
    );
    assert!(visit(Hasil::Lainnya, None, None).check().is_err());
    let json = serde_json::to_value(visit(Hasil::JanjiBayar, None, Some("2026-08-17"))).unwrap();
    assert_eq!(json["hasil"], "janji_bayar");
    assert_eq!(
        serde_json::from_value::<HasilKunjungan>(json)
            .unwrap()
            .hasil,
        Hasil::JanjiBayar
    );
}

#[test]
fn a_plan_written_with_tujuan_reads_as_catatan_and_a_result_names_its_plan() {
    let plan: RencanaPenagihan = serde_json::from_value(serde_json::json!({
        "pinjaman": "P-01", "ksm": "ksm-maju", "tanggal": "2026-08-03",
        "petugas": ["Pak Kades"], "tujuan": "RKTL langkah 1"
    }))
    .unwrap();
    assert_eq!(plan.catatan.as_deref(), Some("RKTL langkah 1"));
    let written = serde_json::to_value(&plan).unwrap();
    assert_eq!(written["catatan"], "RKTL langkah 1");
    assert!(written.get("tujuan").is_none(), "{written}");

    let visit = |rencana: Option<i64>| HasilKunjungan {
        pinjaman: PinjamanId::new("P-01").unwrap(),
        rencana,
        tanggal: t("2026-08-03"),
        petugas: vec!["Pak Kades".to_owned()],
        hasil: Hasil::TidakDitemui,
        jumlah_rp: None,
        janji_tanggal: None,
        catatan: None,
    };
    // A result without a plan is written as before, so older records read the same.
    assert!(
        serde_json::to_value(visit(None))
            .unwrap()
            .get("rencana")
            .is_none()
    );
    let named = serde_json::to_value(visit(Some(7))).unwrap();
    assert_eq!(named["rencana"], 7);
    let back: HasilKunjungan = serde_json::from_value(named).unwrap();
    assert_eq!(back, visit(Some(7)));
}
