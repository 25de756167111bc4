use kumuh_domain::assessment::{Dasar, SlumClass};
use kumuh_domain::works::{contoh, funding_report};
use kumuh_store::AssessmentRecord;

use super::Catatan;
use super::rplp::matriks;

fn rec(kode: &str, tahun: u16, class: SlumClass, luas_ha: f64) -> AssessmentRecord {
    AssessmentRecord {
        kode_lokasi: kode.into(),
        nama_lokasi: kode.into(),
        kode_desa: kumuh_domain::Kode::parse("35.19.09.2014").unwrap(),
        tahun,
        rule_set_id: "permen-pupr-14-2018".into(),
        rule_set_version: "2018.1".into(),
        luas_ha,
        total: 20,
        class,
        priority: None,
        masukan: None,
        result: {
            let input = kumuh_domain::assessment::AssessmentInput::new(
                kode,
                kumuh_domain::Kode::parse("35.19.09.2014").unwrap(),
                tahun,
            );
            let rules = kumuh_domain::assessment::RuleSet::default_rules();
            kumuh_domain::assessment::Hasil::of(&rules.assess(&input), 0, Default::default())
        },
        dasar: Dasar::Survei,
        tanggal: None,
    }
}

#[test]
fn hectares_per_year_count_each_location_once_with_its_latest_record() {
    let records = [
        rec("A", 2017, SlumClass::KumuhRingan, 3.0),
        rec("A", 2018, SlumClass::TidakKumuh, 3.0),
        rec("B", 2018, SlumClass::KumuhSedang, 2.0),
    ];
    let c = Catatan::new(&records, &[]);
    let luas = c.luas_per_tahun();
    assert_eq!(luas.len(), 2);
    assert_eq!(luas[0].tahun, 2017);
    assert_eq!(luas[0].per_kelas_ha, [0.0, 0.0, 3.0, 0.0]);
    assert_eq!(luas[1].per_kelas_ha, [0.0, 2.0, 0.0, 3.0]);
    assert_eq!(
        c.riwayat("A"),
        [
            (2017, SlumClass::KumuhRingan),
            (2018, SlumClass::TidakKumuh)
        ]
    );
}

#[test]
fn the_comparison_of_two_years_takes_the_earlier_first_and_reduces_by_class() {
    let records = [
        rec("A", 2017, SlumClass::KumuhRingan, 3.0),
        rec("A", 2020, SlumClass::TidakKumuh, 3.0),
        rec("B", 2017, SlumClass::KumuhBerat, 1.5),
        rec("B", 2020, SlumClass::KumuhSedang, 1.5),
        rec("C", 2019, SlumClass::KumuhRingan, 0.25),
    ];
    let c = Catatan::new(&records, &[]);
    // Asked for the other way round: still earlier first.
    let b = c.perbandingan(2020, 2017);
    assert_eq!((b.tahun_awal, b.tahun_akhir), (2017, 2020));
    assert_eq!(
        b.per_kelas_ha,
        [(1.5, 0.0), (0.0, 1.5), (3.0, 0.25), (0.0, 3.0)]
    );
    // A year before any record: nothing yet.
    assert_eq!(c.luas_pada(2000), [0.0; 4]);
}

#[test]
fn the_investment_matrix_totals_rows_and_columns_and_keeps_unknown_amounts() {
    let bibrik = contoh::bibrik_paving();
    let report = funding_report([&bibrik], |_| Some("Bibrik".to_owned())).unwrap();
    let m = matriks(&report, &std::collections::HashMap::new());
    assert_eq!(m.baris.len(), 1);
    assert_eq!(m.kolom.len(), m.total_kolom.len());
    let row = &m.baris[0];
    assert_eq!(row.tahap, "-");
    // The row total, the column totals and the grand total all equal the report's.
    assert_eq!(row.total, report.total.alokasi);
    assert_eq!(m.total, report.total.alokasi);
    let sum_cols = m
        .total_kolom
        .iter()
        .fold(kumuh_domain::works::TotalSum::default(), |a, b| a.plus(*b));
    assert_eq!(sum_cols, m.total);
    // The APBD Kabupaten 2018 cell holds the Rp 100,000,000; the swadaya cell is of
    // unknown amount, not zero.
    let apbd = m
        .kolom
        .iter()
        .position(|c| *c == (Some(2018), kumuh_domain::works::SumberDana::ApbdKabupaten))
        .unwrap();
    assert_eq!(row.sel[apbd].diketahui_rp.get(), 100_000_000);
    let swadaya = m
        .kolom
        .iter()
        .position(|c| c.1 == kumuh_domain::works::SumberDana::Swadaya)
        .unwrap();
    assert!(
        row.sel[swadaya].tidak_diketahui > 0,
        "{:?}",
        row.sel[swadaya]
    );
    assert!(row.sel[swadaya].diketahui_rp.is_zero());
}
