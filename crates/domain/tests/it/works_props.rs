//! Properties of the works model over random data: report totals add up to the rupiah,
//! the money rules hold after any sequence of operations, and parsers never panic.

use std::collections::BTreeMap;

use geo_types::{Geometry, point};
use kumuh_domain::Kode;
use kumuh_domain::works::*;
use proptest::prelude::*;

const DESA: [&str; 3] = ["35.19.09.2001", "35.19.09.2005", "35.19.09.2014"];

/// One attempted change to a segment's ledger; indexes are taken modulo what exists.
#[derive(Debug, Clone)]
enum Op {
    Allocate {
        sumber: usize,
        tahun: Option<u16>,
        jumlah: Option<i64>,
    },
    Spend {
        alokasi: usize,
        jumlah: i64,
        with_override: bool,
    },
    Reverse {
        entry: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (
            0..SumberDana::ALL.len(),
            proptest::option::weighted(0.8, 2015u16..2025),
            proptest::option::weighted(0.8, 0i64..1_000_000_000_000),
        )
            .prop_map(|(sumber, tahun, jumlah)| Op::Allocate { sumber, tahun, jumlah }),
        3 => (0usize..20, 1i64..500_000_000_000, any::<bool>()).prop_map(
            |(alokasi, jumlah, with_override)| Op::Spend { alokasi, jumlah, with_override }
        ),
        1 => (0usize..40).prop_map(|entry| Op::Reverse { entry }),
    ]
}

/// Per work: desa index, and per segment a list of operations.
fn works() -> impl Strategy<Value = Vec<(usize, Vec<Vec<Op>>)>> {
    proptest::collection::vec(
        (
            0..DESA.len(),
            proptest::collection::vec(proptest::collection::vec(op(), 0..25), 1..4),
        ),
        0..6,
    )
}

fn apply(s: &mut Segmen, op: &Op) {
    let date = Tanggal::parse("2020-01-01").unwrap();
    // Refused operations are part of the test: they must leave no trace.
    let before = s.buku().len();
    let result = match op {
        Op::Allocate {
            sumber,
            tahun,
            jumlah,
        } => s.allocate(Alokasi::tunai(
            SumberDana::ALL[*sumber],
            *tahun,
            jumlah.map(|j| Rupiah::new(j).unwrap()).into(),
        )),
        Op::Spend {
            alokasi,
            jumlah,
            with_override,
        } => {
            let ids: Vec<EntryId> = s.live_alokasi().map(|(id, _)| id).collect();
            let Some(id) = (!ids.is_empty()).then(|| ids[alokasi % ids.len()]) else {
                return;
            };
            let r = Realisasi {
                izin_lebih: with_override.then(|| Override::new("uji")),
                ..Realisasi::new(id, Rupiah::new(*jumlah).unwrap(), date)
            };
            s.record_realisasi(r)
        }
        Op::Reverse { entry } => {
            let n = s.buku().len();
            if n == 0 {
                return;
            }
            let of = s.buku().entries()[entry % n].id;
            s.reverse(Reversal::new(of, "uji"))
        }
    };
    if result.is_err() {
        assert_eq!(s.buku().len(), before, "{op:?}: {result:?}");
    } else {
        assert_eq!(s.buku().len(), before + 1, "{op:?}");
    }
}

fn build(spec: &[(usize, Vec<Vec<Op>>)]) -> Vec<Kegiatan> {
    spec.iter()
        .enumerate()
        .map(|(i, (desa, segments))| {
            let mut k = Kegiatan::new(
                KegiatanId::new(format!("K{i}")).unwrap(),
                format!("Kegiatan {i}"),
                JenisKegiatan::Persampahan,
                Kode::parse(DESA[*desa]).unwrap(),
                2020,
                Pelaksana::new(JenisPelaksana::Ksm, "Uji"),
            )
            .unwrap();
            for (j, ops) in segments.iter().enumerate() {
                let g: Geometry<f64> = point!(x: 111.49, y: -7.57).into();
                let mut s = Segmen::new(
                    SegmenId::new(format!("S{j}")).unwrap(),
                    "Gerobak",
                    g,
                    Some(Volume::whole(4)),
                    Satuan::Unit,
                )
                .unwrap();
                for op in ops {
                    apply(&mut s, op);
                }
                k.add_segmen(s).unwrap();
            }
            k
        })
        .collect()
}

/// Independent sums over the ledgers: (known rupiah, unknown count, spent rupiah),
/// keyed however the caller likes.
type Sums = (i128, u64, i128);

fn add(map: &mut BTreeMap<String, Sums>, key: String, known: i128, unknown: u64, spent: i128) {
    let e = map.entry(key).or_default();
    e.0 += known;
    e.1 += unknown;
    e.2 += spent;
}

fn sums(t: &Totals) -> Sums {
    (
        t.alokasi.diketahui_rp.get(),
        t.alokasi.tidak_diketahui,
        t.realisasi_rp.get(),
    )
}

proptest! {
    #[test]
    fn report_totals_equal_the_sum_of_allocations(spec in works()) {
        let ks = build(&spec);
        let report = funding_report(&ks, |k| Some(k.to_string())).unwrap();

        // Walk every ledger entry by hand, honouring reversals.
        let mut by_source = BTreeMap::new();
        let mut by_desa = BTreeMap::new();
        let mut by_year = BTreeMap::new();
        let mut all = BTreeMap::new();
        for k in &ks {
            for s in k.segmen() {
                let buku = s.buku();
                let mut spent: BTreeMap<EntryId, i128> = BTreeMap::new();
                for e in buku.entries() {
                    if let SegmenEntry::Realisasi(r) = &e.isi
                        && buku.reversed_by(e.id).is_none()
                    {
                        *spent.entry(r.alokasi).or_default() += i128::from(r.jumlah.get());
                    }
                }
                for e in buku.entries() {
                    let SegmenEntry::Alokasi(a) = &e.isi else { continue };
                    if buku.reversed_by(e.id).is_some() {
                        continue;
                    }
                    let known = a.jumlah.known().map_or(0, |r| i128::from(r.get()));
                    let unknown = u64::from(a.jumlah.is_unknown());
                    let used = spent.get(&e.id).copied().unwrap_or(0);
                    add(&mut by_source, a.sumber.as_str().to_owned(), known, unknown, used);
                    add(&mut by_desa, k.kode_desa().to_string(), known, unknown, used);
                    add(&mut by_year, format!("{:?}", a.tahun_anggaran), known, unknown, used);
                    add(&mut all, String::new(), known, unknown, used);
                }
            }
        }

        let grand = all.get("").copied().unwrap_or_default();
        prop_assert_eq!(sums(&report.total), grand);

        let mut rows = (0i128, 0u64, 0i128);
        for r in &report.rows {
            rows.0 += r.alokasi_rp.get();
            rows.1 += r.alokasi_tidak_diketahui;
            rows.2 += r.realisasi_rp.get();
        }
        prop_assert_eq!(rows, grand);

        let got: BTreeMap<String, Sums> = report
            .per_sumber
            .iter()
            .map(|t| (t.sumber.as_str().to_owned(), sums(&t.total)))
            .collect();
        prop_assert_eq!(got, by_source);
        let got: BTreeMap<String, Sums> = report
            .per_desa
            .iter()
            .map(|t| (t.kode_desa.to_string(), sums(&t.total)))
            .collect();
        prop_assert_eq!(got, by_desa);
        let got: BTreeMap<String, Sums> = report
            .per_tahun
            .iter()
            .map(|t| (format!("{:?}", t.tahun), sums(&t.total)))
            .collect();
        prop_assert_eq!(got, by_year);

        let bp: u32 = report.per_sumber.iter().map(|t| t.bagian_bp).sum();
        prop_assert!(bp == 10_000 || (bp == 0 && grand.0 == 0), "shares add to {}", bp);

        // Work summaries agree with the report.
        let mut summed = (0i128, 0u64, 0i128);
        for k in &ks {
            let s = k.summary().unwrap();
            summed.0 += i128::from(s.alokasi.diketahui_rp.get());
            summed.1 += s.alokasi.tidak_diketahui;
            summed.2 += i128::from(s.realisasi_rp.get());
        }
        prop_assert_eq!(summed, grand);
    }

    #[test]
    fn no_allocation_is_overspent_without_an_override(spec in works()) {
        for k in build(&spec) {
            for s in k.segmen() {
                for (id, a) in s.live_alokasi() {
                    let Some(allocated) = a.jumlah.known() else { continue };
                    let overridden = s
                        .live_realisasi()
                        .any(|(_, r)| r.alokasi == id && r.izin_lebih.is_some());
                    prop_assert!(s.spent_on(id).unwrap() <= allocated || overridden);
                }
                // Whatever happened, the stored form loads back to the same segment.
                let json = serde_json::to_string(s).unwrap();
                let back: Segmen = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(&back, s);
            }
        }
    }

    #[test]
    fn rupiah_prints_and_parses_back(v in 0i64..=i64::MAX) {
        let r = Rupiah::new(v).unwrap();
        prop_assert_eq!(Rupiah::parse(&r.to_string()).unwrap(), r);
        prop_assert_eq!(Rupiah::parse(&v.to_string()).unwrap(), r);
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,40}") {
        let _ = Rupiah::parse(&s);
        let _ = Tanggal::parse(&s);
        let _ = KodeKriteria::parse(&s);
        let _ = SegmenId::new(s.clone());
        let _ = s.parse::<SumberDana>();
    }

    #[test]
    fn dates_round_trip_through_day_numbers(n in -719_162i64..=2_932_896) {
        let t = Tanggal::from_day_number(n).unwrap();
        prop_assert_eq!(t.day_number(), n);
        prop_assert_eq!(Tanggal::parse(&t.to_string()).unwrap(), t);
        let next = t.plus_days(1);
        prop_assert!(next.is_none_or(|d| d > t && d.hari().index() == (t.hari().index() + 1) % 7));
    }

    #[test]
    fn shares_always_add_up(parts in proptest::collection::vec(0i64..=i64::MAX / 64, 0..10)) {
        let rp: Vec<Rupiah> = parts.iter().map(|p| Rupiah::new(*p).unwrap()).collect();
        let bp = split_basis_points(&rp);
        let total: u32 = bp.iter().sum();
        prop_assert!(total == 10_000 || (total == 0 && parts.iter().all(|p| *p == 0)));
        // Each share is within one basis point of the exact share.
        let sum: i128 = parts.iter().map(|p| i128::from(*p)).sum();
        if sum > 0 {
            for (p, b) in parts.iter().zip(&bp) {
                let exact = i128::from(*p) * 10_000;
                let diff = (i128::from(*b) * sum - exact).abs();
                prop_assert!(diff < sum, "{} bp for {} of {}", b, p, sum);
            }
        }
    }
}
