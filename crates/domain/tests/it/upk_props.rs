//! Properties of the revolving-loan model over random data: schedules add up to the
//! rupiah, repayments and reversals never create or lose money, indicators stay within
//! 0-100 %, and due dates clamp to the end of the month.

use kumuh_domain::Kode;
use kumuh_domain::upk::*;
use kumuh_domain::works::{EntryId, Reversal, Rupiah, Tanggal};
use proptest::prelude::*;

fn metode() -> impl Strategy<Value = MetodeJasa> {
    prop_oneof![Just(MetodeJasa::Flat), Just(MetodeJasa::Menurun)]
}

fn syarat() -> impl Strategy<Value = Syarat> {
    (
        prop_oneof![1i64..1_000, 1i64..100_000_000, 1i64..1_000_000_000_000_000],
        1u16..=MAX_JANGKA_BULAN,
        0u32..=MAX_JASA_BP,
        metode(),
    )
        .prop_map(|(pokok, jangka_bulan, bp, metode_jasa)| Syarat {
            pokok_rp: Rupiah::new(pokok).unwrap(),
            jangka_bulan,
            jasa_persen_bulan: PersenBulan::from_basis_points(bp).unwrap(),
            metode_jasa,
        })
}

fn tanggal() -> impl Strategy<Value = Tanggal> {
    // 2000-01-01 .. about 2040.
    (10_957i64..25_567).prop_map(|n| Tanggal::from_day_number(n).unwrap())
}

fn days_in_month(tahun: u16, bulan: u8) -> u8 {
    (28..=31)
        .rev()
        .find(|d| Tanggal::new(tahun, bulan, *d).is_ok())
        .unwrap()
}

proptest! {
    #[test]
    fn schedules_sum_exactly(s in syarat(), cair in tanggal()) {
        let j = jadwal(&s, cair).unwrap();
        prop_assert_eq!(j.len(), usize::from(s.jangka_bulan));
        let pokok: i128 = j.iter().map(|a| i128::from(a.pokok_rp.get())).sum();
        prop_assert_eq!(pokok, i128::from(s.pokok_rp.get()));
        let jasa: i128 = j.iter().map(|a| i128::from(a.jasa_rp.get())).sum();
        let bp = i128::from(s.jasa_persen_bulan.basis_points());
        let n = i128::from(s.jangka_bulan);
        let p = i128::from(s.pokok_rp.get());
        let expected = match s.metode_jasa {
            // The total rate on the original principal, rounded half up once.
            MetodeJasa::Flat => (2 * p * bp * n + 10_000) / 20_000,
            // Each month's rate on what is still scheduled, rounded half up each month.
            MetodeJasa::Menurun => {
                let mut left = p;
                let mut total = 0;
                for a in &j {
                    total += (2 * left * bp + 10_000) / 20_000;
                    left -= i128::from(a.pokok_rp.get());
                }
                total
            }
        };
        prop_assert_eq!(jasa, expected);
        // Equal parts: no instalment's principal differs from the first's except the last.
        for a in &j[..j.len() - 1] {
            prop_assert_eq!(a.pokok_rp, j[0].pokok_rp);
        }
        prop_assert!(j.last().unwrap().pokok_rp >= j[0].pokok_rp);
        for w in j.windows(2) {
            prop_assert!(w[0].jatuh_tempo < w[1].jatuh_tempo);
        }
    }

    #[test]
    fn due_dates_clamp_to_the_month_end(tahun in 2000u16..2100, bulan in 1u8..=12, hari in 28u8..=31, n in 1u16..=MAX_JANGKA_BULAN) {
        prop_assume!(hari <= days_in_month(tahun, bulan));
        let cair = Tanggal::new(tahun, bulan, hari).unwrap();
        let s = Syarat {
            pokok_rp: Rupiah::from_u32(1_000_000),
            jangka_bulan: n,
            jasa_persen_bulan: PersenBulan::from_basis_points(150).unwrap(),
            metode_jasa: MetodeJasa::Flat,
        };
        let j = jadwal(&s, cair).unwrap();
        let mut index = i64::from(tahun) * 12 + i64::from(bulan) - 1;
        for a in &j {
            index += 1;
            let (y, m) = (u16::try_from(index / 12).unwrap(), u8::try_from(index % 12 + 1).unwrap());
            prop_assert_eq!((a.jatuh_tempo.tahun(), a.jatuh_tempo.bulan()), (y, m));
            prop_assert_eq!(a.jatuh_tempo.tanggal(), hari.min(days_in_month(y, m)));
        }
    }

    #[test]
    fn disbursed_on_31_january_falls_due_on_each_month_end(tahun in 2000u16..2100) {
        let cair = Tanggal::new(tahun, 1, 31).unwrap();
        let s = Syarat {
            pokok_rp: Rupiah::from_u32(1_200_000),
            jangka_bulan: 12,
            jasa_persen_bulan: PersenBulan::from_basis_points(100).unwrap(),
            metode_jasa: MetodeJasa::Flat,
        };
        let j = jadwal(&s, cair).unwrap();
        for (i, a) in j.iter().enumerate().take(11) {
            let bulan = u8::try_from(i + 2).unwrap();
            prop_assert_eq!(a.jatuh_tempo, Tanggal::new(tahun, bulan, days_in_month(tahun, bulan)).unwrap());
        }
        prop_assert_eq!(j[11].jatuh_tempo, Tanggal::new(tahun + 1, 1, 31).unwrap());
    }
}

/// One attempted change to a loan's book.
#[derive(Debug, Clone)]
enum Op {
    Bayar { hari: i64, jumlah: i64 },
    Batal { entry: u64 },
    HapusBuku { hari: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0i64..500, prop_oneof![1i64..500_000, 1i64..5_000_000]).prop_map(|(hari, jumlah)| Op::Bayar { hari, jumlah }),
        2 => (1u64..30).prop_map(|entry| Op::Batal { entry }),
        1 => (0i64..500).prop_map(|hari| Op::HapusBuku { hari }),
    ]
}

fn loan(id: usize, ksm: usize, s: Syarat, cair: Tanggal) -> Pinjaman {
    let mut p = Pinjaman::ajukan(
        PinjamanId::new(format!("P-{id}")).unwrap(),
        KsmId::new(format!("ksm-{ksm}")).unwrap(),
        Kode::parse("35.19.09.2014").unwrap(),
        cair,
        s,
    )
    .unwrap();
    p.setujui(cair, "upk", None).unwrap();
    p.cairkan(cair).unwrap();
    p
}

fn apply(p: &mut Pinjaman, op: &Op) {
    let cair = p.tanggal_cair().unwrap();
    let before = p.clone();
    let result = match op {
        Op::Bayar { hari, jumlah } => p
            .bayar(Pembayaran {
                tanggal: cair.plus_days(*hari).unwrap(),
                jumlah_rp: Rupiah::new(*jumlah).unwrap(),
                sumber: SumberBayar::Angsuran,
                keterangan: None,
            })
            .map(drop),
        Op::Batal { entry } => p
            .batalkan(Reversal::new(EntryId(*entry), "salah catat"))
            .map(drop),
        Op::HapusBuku { hari } => p
            .hapus_buku(HapusBuku {
                tanggal: cair.plus_days(*hari).unwrap(),
                alasan: "macet".to_owned(),
                disetujui_oleh: "ketua".to_owned(),
            })
            .map(drop),
    };
    // A refused change leaves no trace.
    if result.is_err() {
        assert_eq!(*p, before, "{op:?}");
    }
}

fn small_syarat() -> impl Strategy<Value = Syarat> {
    (100_000i64..5_000_000, 1u16..=24, 0u32..=300, metode()).prop_map(
        |(pokok, jangka_bulan, bp, metode_jasa)| Syarat {
            pokok_rp: Rupiah::new(pokok).unwrap(),
            jangka_bulan,
            jasa_persen_bulan: PersenBulan::from_basis_points(bp).unwrap(),
            metode_jasa,
        },
    )
}

proptest! {
    #[test]
    fn repayments_and_reversals_keep_paid_plus_outstanding_equal_to_what_is_owed(
        s in small_syarat(),
        ops in proptest::collection::vec(op(), 0..40),
        per_days in proptest::collection::vec(0i64..900, 1..6),
    ) {
        let cair = Tanggal::parse("2026-01-05").unwrap();
        let mut p = loan(1, 1, s, cair);
        for op in &ops {
            apply(&mut p, op);
        }
        let owed = p.total_terjadwal().unwrap();
        prop_assert!(p.total_dibayar(None).unwrap() <= owed);
        for d in per_days {
            let per = cair.plus_days(d).unwrap();
            let pos = p.posisi(per).unwrap().unwrap();
            let paid = pos.dibayar_pokok_rp.get() + pos.dibayar_jasa_rp.get();
            // Every rupiah received by the date is applied, none twice.
            prop_assert_eq!(paid, p.total_dibayar(Some(per)).unwrap().get());
            prop_assert_eq!(paid + pos.sisa_rp().get(), owed.get());
            prop_assert_eq!(pos.pokok_rp, s.pokok_rp);
            prop_assert!(pos.tunggakan_pokok_rp.get() <= pos.pokok_jatuh_tempo_rp.get());
            prop_assert_eq!(
                pos.tunggakan_pokok_rp.get(),
                pos.pokok_jatuh_tempo_rp.get() - pos.pokok_jatuh_tempo_dibayar_rp.get()
            );
            prop_assert!(pos.angsuran_tertunggak <= pos.angsuran_jatuh_tempo);
            let arrears = pos.tunggakan_pokok_rp.get() + pos.tunggakan_jasa_rp.get();
            if pos.angsuran_tertunggak == 0 {
                prop_assert_eq!((pos.hari_tunggak, arrears), (0, 0));
            } else {
                prop_assert!(arrears > 0);
            }
            prop_assert_eq!(pos.kolektibilitas == Kolektibilitas::Lancar, pos.angsuran_tertunggak == 0);
        }
        // A stored loan reads back as it was.
        let back: Pinjaman = serde_json::from_value(serde_json::to_value(&p).unwrap()).unwrap();
        prop_assert_eq!(back, p);
    }

    #[test]
    fn indicators_stay_within_0_and_100_percent(
        loans in proptest::collection::vec((small_syarat(), 0usize..6, 0i64..400, proptest::collection::vec(op(), 0..15)), 0..12),
        per_day in 0i64..1_200,
    ) {
        let start = Tanggal::parse("2025-06-01").unwrap();
        let mut all = Vec::new();
        for (i, (s, ksm, offset, ops)) in loans.iter().enumerate() {
            let mut p = loan(i, *ksm, *s, start.plus_days(*offset).unwrap());
            for op in ops {
                apply(&mut p, op);
            }
            all.push(p);
        }
        let per = start.plus_days(per_day).unwrap();
        let i = indikator(&all, per, &AturanKolektibilitas::bawaan(), None).unwrap();
        for (name, n) in [("lar", i.lar), ("par", i.par), ("tingkat_pengembalian", i.tingkat_pengembalian)] {
            if let Some(bp) = n.persen_bp {
                prop_assert!((0..=10_000).contains(&bp), "{} = {}", name, bp);
                prop_assert!(n.pita.is_some());
            } else {
                prop_assert_eq!(n.penyebut, 0);
            }
            prop_assert!(n.pembilang <= n.penyebut || n.penyebut == 0, "{}", name);
        }
        prop_assert!(i.ksm_menunggak <= i.ksm_aktif);
        prop_assert!(i.outstanding_menunggak_rp <= i.outstanding_rp);
        let d = daftar_tunggakan(&all, per, &AturanKolektibilitas::bawaan()).unwrap();
        prop_assert!(d.baris.iter().filter(|b| b.menunggak).count() <= usize::try_from(i.pinjaman_aktif).unwrap());
    }
}
