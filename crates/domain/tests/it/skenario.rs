//! Budget scenarios: the exact choice against brute force, and a whole scenario on
//! surveyed locations where taking the best value for money first is not the best set.

use std::collections::BTreeMap;
use std::sync::Arc;

use geo_types::{Geometry, LineString};
use kumuh_domain::Kode;
use kumuh_domain::assessment::{AssessmentInput, RuleSet, SlumClass};
use kumuh_domain::skenario::pilih::{Kelompok, Opsi, bagi_sumber, per_sumber, satu_amplop};
use kumuh_domain::skenario::{
    Algoritma, Anggaran, AturanTingkat, Lokasi, Permintaan, SebabDilewati, Tujuan, hitung,
};
use kumuh_domain::works::{
    JenisKegiatan, JenisPelaksana, Kegiatan, KegiatanId, KodeKriteria, Pelaksana, Rupiah, Satuan,
    Segmen, SegmenId, SumberDana, Volume,
};
use proptest::prelude::*;

const BIBRIK: &str = "35.19.09.2014";

/// A location scored kumuh ringan (16): damaged roads everywhere (2b, 5 points), no
/// safe water (3a, 5), no fire protection (5a, 5), a little open space missing (1b, 1).
fn lokasi(kode: &str, luas_ha: f64) -> Lokasi {
    let mut m = AssessmentInput::new(kode, Kode::parse(BIBRIK).unwrap(), 2024);
    m.luas_ha = luas_ha;
    m.jumlah_bangunan = 100;
    m.jumlah_kk = 100;
    m.jumlah_penduduk = 400;
    m.panjang_jalan_ideal_m = 400.0;
    m.panjang_drainase_ideal_m = 400.0;
    m.volumes.insert("2b".into(), 400.0);
    m.volumes.insert("3a".into(), 100.0);
    m.volumes.insert("5a".into(), 100.0);
    m.volumes.insert("1b".into(), luas_ha * 0.3);
    Lokasi {
        masukan: m,
        aturan: Arc::new(RuleSet::default_rules()),
        luas_ha,
    }
}

/// A road work that paves the whole 400 m of damaged road of one location.
fn jalan(id: &str, kode_lokasi: &str, biaya: i64) -> Kegiatan {
    let mut k = Kegiatan::new(
        KegiatanId::new(id).unwrap(),
        format!("Jalan {kode_lokasi}"),
        JenisKegiatan::JalanPaving,
        Kode::parse(BIBRIK).unwrap(),
        2025,
        Pelaksana::new(JenisPelaksana::Lkm, "Makmur Sentosa"),
    )
    .unwrap();
    let line = Geometry::LineString(LineString::from(vec![
        (111.4935, -7.5753),
        (111.4972, -7.5753),
    ]));
    let mut s = Segmen::new(
        SegmenId::new("S1").unwrap(),
        "Paving",
        line,
        Some(Volume::whole(400)),
        Satuan::M,
    )
    .unwrap();
    s.kriteria = vec![KodeKriteria::parse("2b").unwrap()];
    s.kode_lokasi = Some(kode_lokasi.to_owned());
    s.perkiraan_biaya_rp = Some(Rupiah::new(biaya).unwrap());
    k.add_segmen(s).unwrap();
    k
}

fn permintaan(anggaran: Anggaran, tujuan: Tujuan) -> Permintaan {
    Permintaan {
        anggaran,
        tujuan,
        aturan_tingkat: AturanTingkat::default(),
        tahun: 2025,
    }
}

#[test]
fn a_location_of_the_test_scores_kumuh_ringan_and_leaves_with_its_road() {
    let rules = RuleSet::default_rules();
    let l = lokasi("L1", 6.0);
    let before = rules.assess(&l.masukan);
    assert_eq!((before.class, before.total), (SlumClass::KumuhRingan, 16));
}

#[test]
fn the_best_value_for_money_first_is_beaten_by_the_optimal_set() {
    // Envelope Rp 100 million. A takes 6.6 ha out for 60 million (0.110 ha per
    // million), B and C 5 ha each for 50 million (0.100). Best ratio first takes A and
    // then nothing fits: 6.6 ha. B and C together: 10 ha.
    let lokasi: BTreeMap<String, Lokasi> = [("LA", 6.6), ("LB", 5.0), ("LC", 5.0)]
        .into_iter()
        .map(|(k, ha)| (k.to_owned(), lokasi(k, ha)))
        .collect();
    let a = jalan("A", "LA", 60_000_000);
    let b = jalan("B", "LB", 50_000_000);
    let c = jalan("C", "LC", 50_000_000);
    let s = hitung(
        &lokasi,
        &[&a, &b, &c],
        &permintaan(Anggaran::Total(100_000_000), Tujuan::LuasKeluarKumuhHa),
    );
    let ids: Vec<&str> = s.terpilih.iter().map(KegiatanId::as_str).collect();
    assert_eq!(ids, ["B", "C"]);
    assert!(s.optimal);
    // How, as codes and in Bahasa Indonesia.
    assert_eq!(s.cara.algoritma, Algoritma::ProgramDinamis);
    assert!(!s.cara.hanya_awalan && !s.cara.berhenti_di_batas);
    assert!(s.metode.contains("pemrograman dinamis"), "{}", s.metode);
    assert_eq!(s.biaya_rp, 100_000_000);
    assert!((s.luas_keluar_kumuh_ha - 10.0).abs() < 1e-9);
    let la = s.per_lokasi.iter().find(|l| l.kode_lokasi == "LA").unwrap();
    assert_eq!(la.kelas_sesudah, SlumClass::KumuhRingan);
    let lb = s.per_lokasi.iter().find(|l| l.kode_lokasi == "LB").unwrap();
    assert_eq!(
        (lb.kelas_sebelum, lb.kelas_sesudah, lb.total_sebelum),
        (SlumClass::KumuhRingan, SlumClass::TidakKumuh, 16)
    );
    assert!(lb.total_sesudah < 16);
}

#[test]
fn two_works_on_one_location_are_scored_together() {
    // Either work alone paves the whole road and takes the location out; added up
    // instead of scored together, the two would seem to free its hectares twice.
    let lokasi: BTreeMap<String, Lokasi> = [("L1".to_owned(), lokasi("L1", 4.0))].into();
    let a = jalan("A", "L1", 10_000_000);
    let b = jalan("B", "L1", 10_000_000);
    let s = hitung(
        &lokasi,
        &[&a, &b],
        &permintaan(Anggaran::Total(50_000_000), Tujuan::LuasKeluarKumuhHa),
    );
    assert_eq!(s.terpilih.len(), 1, "{:?}", s.terpilih);
    assert!((s.luas_keluar_kumuh_ha - 4.0).abs() < 1e-9);
}

#[test]
fn a_source_funds_only_locations_of_its_level_and_every_work_is_paid_in_full() {
    // LB is 12 ha: the province's. APBD kabupaten cannot pay for it.
    let lokasi: BTreeMap<String, Lokasi> = [("LA", 6.0), ("LB", 12.0)]
        .into_iter()
        .map(|(k, ha)| (k.to_owned(), lokasi(k, ha)))
        .collect();
    let a = jalan("A", "LA", 50_000_000);
    let b = jalan("B", "LB", 50_000_000);
    let only_kabupaten = permintaan(
        Anggaran::PerSumber([(SumberDana::ApbdKabupaten, 200_000_000)].into()),
        Tujuan::LuasKeluarKumuhHa,
    );
    let s = hitung(&lokasi, &[&a, &b], &only_kabupaten);
    let ids: Vec<&str> = s.terpilih.iter().map(KegiatanId::as_str).collect();
    assert_eq!(ids, ["A"]);
    let with_desa = permintaan(
        Anggaran::PerSumber(
            [
                (SumberDana::ApbdKabupaten, 30_000_000),
                (SumberDana::DanaDesa, 70_000_000),
            ]
            .into(),
        ),
        Tujuan::LuasKeluarKumuhHa,
    );
    let s = hitung(&lokasi, &[&a, &b], &with_desa);
    assert_eq!(s.terpilih.len(), 2);
    for t in &s.rincian {
        assert_eq!(t.sumber.values().sum::<i64>(), t.biaya_rp, "{t:?}");
    }
    let b_paid = &s
        .rincian
        .iter()
        .find(|t| t.kegiatan.as_str() == "B")
        .unwrap();
    assert_eq!(
        b_paid.sumber.keys().collect::<Vec<_>>(),
        [&SumberDana::DanaDesa]
    );
}

#[test]
fn a_work_without_a_cost_or_a_location_is_listed_as_left_out() {
    let lokasi: BTreeMap<String, Lokasi> = [("L1".to_owned(), lokasi("L1", 4.0))].into();
    let nowhere = jalan("X", "TIDAK-ADA", 10);
    let s = hitung(
        &lokasi,
        &[&nowhere],
        &permintaan(Anggaran::Total(100), Tujuan::PenurunanNilai),
    );
    assert!(s.terpilih.is_empty());
    assert_eq!(s.dilewati.len(), 1);
    assert_eq!(s.dilewati[0].sebab, SebabDilewati::TanpaLokasi);
    assert!(
        s.dilewati[0].alasan.contains("lokasi kumuh"),
        "{:?}",
        s.dilewati
    );
    let json = serde_json::to_value(&s.dilewati[0]).unwrap();
    assert_eq!(json["sebab"], "tanpa_lokasi");
}

/// Every way to take one option per group, by brute force: the best value, and the
/// least cost among the best.
fn brute(groups: &[Kelompok], fits: &dyn Fn(&[&Opsi]) -> bool) -> (i64, i64) {
    let mut best = (0i64, 0i64);
    let mut pick = vec![0usize; groups.len()];
    loop {
        let chosen: Vec<&Opsi> = groups.iter().zip(&pick).map(|(g, &j)| &g.opsi[j]).collect();
        if fits(&chosen) {
            let v: i64 = chosen.iter().map(|o| o.nilai).sum();
            let c: i64 = chosen.iter().map(|o| o.total()).sum();
            if v > best.0 || (v == best.0 && c < best.1) {
                best = (v, c);
            }
        }
        let mut g = 0;
        loop {
            if g == groups.len() {
                return best;
            }
            pick[g] += 1;
            if pick[g] < groups[g].opsi.len() {
                break;
            }
            pick[g] = 0;
            g += 1;
        }
    }
}

fn groups(sources: u32) -> impl Strategy<Value = Vec<Kelompok>> {
    let opsi = (
        prop::collection::vec((1i64..60, 1u32..(1 << sources)), 1..3),
        0i64..50,
    )
        .prop_map(|(works, nilai)| Opsi {
            kandidat: Vec::new(),
            biaya: works.iter().map(|w| w.0).collect(),
            sumber: works.iter().map(|w| w.1).collect(),
            nilai,
        });
    prop::collection::vec(
        prop::collection::vec(opsi, 1..4).prop_map(|mut o| {
            o.insert(0, Opsi::kosong());
            Kelompok { opsi: o }
        }),
        0..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn one_envelope_matches_brute_force(g in groups(1), anggaran in 0i64..200) {
        let p = satu_amplop(&g, anggaran);
        let expected = brute(&g, &|c| c.iter().map(|o| o.total()).sum::<i64>() <= anggaran);
        prop_assert!(p.optimal);
        prop_assert!(p.biaya <= anggaran);
        prop_assert_eq!((p.nilai, p.biaya), expected);
        let chosen: i64 = g.iter().zip(&p.opsi).map(|(k, &j)| k.opsi[j].total()).sum();
        prop_assert_eq!(chosen, p.biaya);
    }

    #[test]
    fn per_source_envelopes_match_brute_force(
        g in groups(3),
        anggaran in prop::collection::vec(0i64..120, 3),
    ) {
        let p = per_sumber(&g, &anggaran);
        let split_fits = |c: &[&Opsi]| {
            let biaya: Vec<i64> = c.iter().flat_map(|o| o.biaya.iter().copied()).collect();
            let sumber: Vec<u32> = c.iter().flat_map(|o| o.sumber.iter().copied()).collect();
            bagi_sumber(&biaya, &sumber, &anggaran).is_some()
        };
        let expected = brute(&g, &split_fits);
        prop_assert!(p.optimal);
        prop_assert_eq!((p.nilai, p.biaya), expected);
        // The chosen set can be paid, each work in full, no source beyond its envelope.
        let chosen: Vec<&Opsi> = g.iter().zip(&p.opsi).map(|(k, &j)| &k.opsi[j]).collect();
        let biaya: Vec<i64> = chosen.iter().flat_map(|o| o.biaya.iter().copied()).collect();
        let sumber: Vec<u32> = chosen.iter().flat_map(|o| o.sumber.iter().copied()).collect();
        let split = bagi_sumber(&biaya, &sumber, &anggaran).expect("the choice fits");
        for (w, row) in split.iter().enumerate() {
            prop_assert_eq!(row.iter().sum::<i64>(), biaya[w]);
            for (s, rp) in row.iter().enumerate() {
                prop_assert!(*rp == 0 || sumber[w] & (1 << s) != 0);
            }
        }
        for s in 0..anggaran.len() {
            prop_assert!(split.iter().map(|r| r[s]).sum::<i64>() <= anggaran[s]);
        }
    }
}
