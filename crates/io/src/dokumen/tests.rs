//! The writers on small documents built by hand: named sheets, unknown amounts said and
//! never 0, escaped names, lists that say they were cut.

use calamine::{Data, Reader, Xlsx};
use kumuh_domain::assessment::SlumClass;
use kumuh_domain::works::{AmountSum, SumberDana, TotalRp, TotalSum};
use kumuh_domain::{Kode, Level};

use super::*;

fn sum(known: i64, unknown: u64) -> TotalSum {
    let mut t = TotalSum::default();
    t.diketahui_rp
        .add(kumuh_domain::works::Rupiah::new(known).unwrap());
    t.tidak_diketahui = unknown;
    t
}

fn profil(nama: &str) -> Profil {
    Profil {
        foto: vec![],
        wilayah: Wilayah {
            kode: Kode::parse("35.19.09.2014").unwrap(),
            nama: "Bibrik".into(),
            level: Level::Desa,
        },
        peta: PetaWilayah::default(),
        lokasi: vec![LokasiRiwayat {
            kode: "L1".into(),
            nama: nama.into(),
            desa: "Bibrik".into(),
            luas_ha: 3.1,
            riwayat: vec![
                (2017, SlumClass::KumuhRingan),
                (2018, SlumClass::TidakKumuh),
            ],
        }],
        jumlah_lokasi: 250,
        luas: vec![LuasTahun {
            tahun: 2017,
            per_kelas_ha: [0.0, 0.0, 3.1, 0.0],
        }],
        kegiatan: vec![KegiatanBaris {
            id: "K1".into(),
            nama: nama.into(),
            jenis: "Jalan paving".into(),
            desa: "Bibrik".into(),
            tahun: 2018,
            tahap: "Rencana".into(),
            pelaksana: "LKM".into(),
            alokasi: AmountSum {
                diketahui_rp: kumuh_domain::works::Rupiah::ZERO,
                tidak_diketahui: 2,
            },
            contoh: false,
        }],
        jumlah_kegiatan: 1,
        dana: vec![DanaBaris {
            sumber: Some(SumberDana::Swadaya),
            tahun: Some(2018),
            alokasi: sum(0, 2),
            realisasi_rp: TotalRp::ZERO,
        }],
        dana_total: DanaBaris {
            alokasi: sum(0, 2),
            ..DanaBaris::default()
        },
        kas: vec![],
        pinjaman: None,
        batas_baris: 100,
    }
}

#[test]
fn the_profile_says_unknown_amounts_escapes_names_and_says_when_a_list_was_cut() {
    let html = profil_html(&profil("<b>RT 09</b>"));
    assert!(!html.contains("<b>RT 09"), "{html}");
    assert!(html.contains("&lt;b&gt;RT 09&lt;/b&gt;"), "{html}");
    assert!(
        html.contains(
            "<td>Swadaya masyarakat</td><td>2018</td><td class=\"n\">tidak diketahui</td>"
        ),
        "{html}"
    );
    assert!(!html.contains("Rp 0</td><td class=\"n\">Rp 0"), "{html}");
    assert!(
        html.contains("Ditampilkan 1 dari 250 lokasi (paling banyak 100"),
        "{html}"
    );
}

#[test]
fn the_profile_workbook_has_its_sheets_and_writes_unknown_as_text() {
    let mut out = Vec::new();
    profil_xlsx(&profil("=HYPERLINK(\"x\")"), &mut out).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(out)).unwrap();
    assert_eq!(wb.sheet_names(), SHEETS_PROFIL);
    let money = wb.worksheet_range("Pendanaan").unwrap();
    let swadaya = money.rows().nth(1).unwrap();
    assert_eq!(swadaya[2], Data::String("tidak diketahui".into()));
    assert_eq!(swadaya[3], Data::Float(2.0));
    let lokasi = wb.worksheet_range("Lokasi").unwrap();
    // A name like a formula stays text.
    assert_eq!(
        lokasi.rows().nth(1).unwrap()[1],
        Data::String("=HYPERLINK(\"x\")".into())
    );
    assert!(
        wb.worksheet_formula("Lokasi")
            .unwrap()
            .used_cells()
            .next()
            .is_none()
    );
}

#[test]
fn the_rplp_plan_shows_its_totals_and_unknown_cells() {
    let matriks = MatriksInvestasi {
        kolom: vec![
            (Some(2018), SumberDana::ApbdKabupaten),
            (None, SumberDana::DanaDesa),
        ],
        baris: vec![BarisInvestasi {
            kegiatan: "K1".into(),
            nama: "Jalan".into(),
            tahap: "Rencana".into(),
            sel: vec![sum(100_000_000, 0), sum(0, 1)],
            total: sum(100_000_000, 1),
        }],
        jumlah_kegiatan: 1,
        total_kolom: vec![sum(100_000_000, 0), sum(0, 1)],
        total: sum(100_000_000, 1),
    };
    let r = Rplp {
        profil: profil("Bibrik RT 09/10"),
        matriks,
        siteplan: vec![],
        jumlah_siteplan: 0,
        batas_baris: 100,
        target: vec![],
        aturan_target: "lima tahun".into(),
    };
    let html = rplp_html(&r);
    assert!(html.contains("tahun ?<br>Dana Desa"), "{html}");
    assert!(
        html.contains(
            "<td class=\"n\">Rp 100.000.000 + 1 alokasi tidak diketahui</td></tr></tfoot>"
        ),
        "{html}"
    );
    let mut out = Vec::new();
    rplp_xlsx(&r, &mut out).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(out)).unwrap();
    assert_eq!(wb.sheet_names(), SHEETS_RPLP);
    let plan = wb.worksheet_range("Rencana investasi").unwrap();
    let total: Vec<String> = plan
        .rows()
        .next_back()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(total[0], "Jumlah");
    assert_eq!(
        total[3..],
        ["100000000", "0", "tidak diketahui", "1", "100000000", "1"]
    );
}

#[test]
fn the_sk_annex_compares_two_years_by_class() {
    let l = LampiranSk {
        wilayah: Wilayah {
            kode: Kode::parse("35.19").unwrap(),
            nama: "Kabupaten Madiun".into(),
            level: Level::Kabupaten,
        },
        tahun: 2017,
        nomor_sk: vec!["118.45/325A/KPTS/402.013/2019".into()],
        baris: vec![BarisSk {
            kode: "L1".into(),
            lokasi: "Bibrik RT 09/10".into(),
            rt_rw: "RT 09, 10 / RW 03".into(),
            desa: "Bibrik".into(),
            kecamatan: "Jiwan".into(),
            luas_ha: 3.1,
            kelas: SlumClass::KumuhRingan,
            legal: Some(false),
            prioritas: Some("C2".into()),
        }],
        jumlah_baris: 1,
        peta: vec![],
        banding: Some(Perbandingan {
            tahun_awal: 2017,
            tahun_akhir: 2018,
            per_kelas_ha: [(0.0, 0.0), (0.0, 0.0), (3.1, 0.0), (0.0, 3.1)],
        }),
        batas_baris: 500,
    };
    let html = sk_html(&l);
    assert!(
        html.contains("Lampiran SK Kumuh Kabupaten Madiun Tahun 2017"),
        "{html}"
    );
    assert!(html.contains("<td>Tidak legal</td><td>C2</td>"), "{html}");
    assert!(
        html.contains("<tr><td>Kumuh ringan</td><td class=\"n\">3,10</td><td class=\"n\">0,00</td><td class=\"n\">3,10</td></tr>"),
        "{html}"
    );
    let mut out = Vec::new();
    sk_xlsx(&l, &mut out).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(out)).unwrap();
    assert_eq!(wb.sheet_names(), SHEETS_SK);
    let cmp = wb.worksheet_range("Perbandingan").unwrap();
    let ringan: Vec<String> = cmp
        .rows()
        .nth(3)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(ringan, ["Kumuh ringan", "2017", "3.1", "2018", "0", "3.1"]);
}
