//! Works, segments and co-funding: the Bibrik case and the money rules, end to end
//! through the public API.

use geo::Contains;
use geo_types::{Coord, Geometry, LineString, Point, Polygon, line_string, point};
use kumuh_domain::Kode;
use kumuh_domain::works::*;

fn t(s: &str) -> Tanggal {
    Tanggal::parse(s).unwrap()
}

fn rp(v: u32) -> Rupiah {
    Rupiah::from_u32(v)
}

/// A 170 m road segment without money.
fn road() -> Segmen {
    let g = Geometry::LineString(LineString::from(contoh::BIBRIK_PAVING_LINE.to_vec()));
    Segmen::new(
        SegmenId::new("S1").unwrap(),
        "Paving",
        g,
        Some(Volume::whole(170)),
        Satuan::M,
    )
    .unwrap()
}

fn work() -> Kegiatan {
    Kegiatan::new(
        KegiatanId::new("K1").unwrap(),
        "Jalan paving",
        JenisKegiatan::JalanPaving,
        Kode::parse("35.19.09.2014").unwrap(),
        2018,
        Pelaksana::new(JenisPelaksana::Lkm, "Makmur Sentosa"),
    )
    .unwrap()
}

/// Bibrik's boundary from the shipped data.
fn bibrik_polygon() -> Polygon<f64> {
    let text = include_str!("../../../../data/jiwan_desa.geojson");
    let fc: serde_json::Value = serde_json::from_str(text).unwrap();
    let feature = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["kode"] == contoh::BIBRIK_KODE)
        .expect("Bibrik is in the shipped data");
    assert_eq!(feature["geometry"]["type"], "Polygon");
    let ring = |r: &serde_json::Value| -> LineString<f64> {
        r.as_array()
            .unwrap()
            .iter()
            .map(|c| Coord {
                x: c[0].as_f64().unwrap(),
                y: c[1].as_f64().unwrap(),
            })
            .collect()
    };
    let rings = feature["geometry"]["coordinates"].as_array().unwrap();
    Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect())
}

#[test]
fn bibrik_seed_is_the_field_case() {
    let k = contoh::bibrik_paving();
    assert_eq!(k.nama, "Jalan paving kawasan budidaya lele RT 09/10");
    assert_eq!(k.kode_desa().as_str(), "35.19.09.2014");
    assert_eq!(k.tahun(), 2018);
    assert_eq!(k.pelaksana.to_string(), "LKM Makmur Sentosa");
    assert_eq!(k.status(), StatusKegiatan::Pemeliharaan);
    assert!(k.contoh);
    assert_eq!(k.segmen().len(), 2);

    let s = k.summary().unwrap();
    let paving = &s.segmen[0];
    assert_eq!(paving.volume_rencana, Some(Volume::whole(170)));
    assert_eq!(paving.alokasi.diketahui_rp, rp(100_000_000));
    assert_eq!(
        paving.alokasi.tidak_diketahui, 2,
        "two swadaya contributions"
    );
    let cost = paving.biaya_per_satuan.unwrap();
    assert_eq!(cost.rp, rp(588_235));
    assert_eq!(cost.satuan, Satuan::M);
    assert!(!cost.lengkap, "the swadaya share is unknown");
    assert_eq!(paving.progres_fisik.unwrap().basis_points(), 10_000);
    assert_eq!(paving.progres_keuangan.unwrap().basis_points(), 10_000);
    let sources: Vec<(SumberDana, u32)> = paving
        .per_sumber
        .iter()
        .map(|l| (l.sumber, l.bagian_bp))
        .collect();
    assert_eq!(
        sources,
        vec![
            (SumberDana::ApbdKabupaten, 10_000),
            (SumberDana::Swadaya, 0)
        ]
    );
    let in_kind = k.segmen()[0]
        .live_alokasi()
        .filter(|(_, a)| a.sumber == SumberDana::Swadaya && a.bentuk.is_in_kind())
        .count();
    assert_eq!(in_kind, 2);

    let lanjutan = &s.segmen[1];
    assert_eq!(lanjutan.per_sumber[0].sumber, SumberDana::DanaDesa);
    assert_eq!(lanjutan.alokasi.tidak_diketahui, 1);
    assert!(lanjutan.progres_fisik.is_none());
    let kinds: Vec<IssueKind> = lanjutan.issues.iter().map(|i| i.kind).collect();
    assert!(kinds.contains(&IssueKind::NoPlannedVolume), "{kinds:?}");
    assert!(kinds.contains(&IssueKind::NoKnownAllocation), "{kinds:?}");

    assert_eq!(s.alokasi.diketahui_rp, rp(100_000_000));
    assert_eq!(s.alokasi.tidak_diketahui, 3);
    assert!(
        s.biaya_per_satuan.is_none(),
        "the continuation's length is unknown"
    );

    let kpp = k.kpp.as_ref().unwrap();
    assert_eq!(kpp.nama, "Paseduluran Jalan Poros RT 09/10");
    assert_eq!(kpp.anggota.len(), 30);
    assert!(kpp.contoh);
    let sept = Periode::new(t("2018-09-01"), t("2018-09-30")).unwrap();
    // Four Fridays × 30 households × Rp 5.000.
    assert_eq!(kpp.expected_dues(sept).unwrap(), rp(600_000));
}

#[test]
fn bibrik_line_lies_inside_bibrik_and_is_about_170_m() {
    let bibrik = bibrik_polygon();
    for (x, y) in contoh::BIBRIK_PAVING_LINE
        .iter()
        .chain(contoh::BIBRIK_LANJUTAN_LINE.iter())
    {
        assert!(bibrik.contains(&Point::new(*x, *y)), "({x}, {y})");
    }
    let k = contoh::bibrik_paving();
    let Some(Terukur::PanjangM(m)) = k.segmen()[0].measured() else {
        panic!("the paving is a line")
    };
    assert!((m - 170.0).abs() < 1.0, "geodesic length {m} m");
    let paving = k.summary().unwrap().segmen.remove(0);
    assert!(
        paving
            .issues
            .iter()
            .all(|i| i.kind != IssueKind::MeasureDiffers),
        "{:?}",
        paving.issues
    );
}

#[test]
fn bibrik_location_holds_the_paving_and_its_survey_falls_below_slum_after_it() {
    use kumuh_domain::assessment::{RuleSet, SlumClass};
    let lokasi = contoh::bibrik_lokasi();
    let bibrik = bibrik_polygon();
    let area = &lokasi.geometry.0[0];
    assert!(bibrik.contains(area), "the location lies inside Bibrik");
    for (x, y) in contoh::BIBRIK_PAVING_LINE {
        assert!(area.contains(&Point::new(x, y)), "({x}, {y})");
    }
    assert!(
        (2.5..4.0).contains(&lokasi.area_ha()),
        "{}",
        lokasi.area_ha()
    );

    let k = contoh::bibrik_paving();
    let paving = &k.segmen()[0];
    assert_eq!(
        paving.kode_lokasi.as_deref(),
        Some(contoh::BIBRIK_LOKASI_KODE)
    );
    assert_eq!(k.segmen()[1].kode_lokasi, None);

    let rules = RuleSet::default_rules();
    let survey = contoh::bibrik_survei_2017();
    assert_eq!(survey.kode_lokasi, lokasi.kode);
    assert!((survey.luas_ha - lokasi.area_ha()).abs() < 0.01);
    let before = rules.assess(&survey);
    assert_eq!((before.total, before.class), (16, SlumClass::KumuhRingan));
    let e = dampak::evaluate_completion(&rules, paving, &survey, 2018);
    let after = rules.assess(&e.masukan);
    assert_eq!((after.total, after.class), (12, SlumClass::TidakKumuh));
}

#[test]
fn bibrik_round_trips_through_json() {
    let k = contoh::bibrik_paving();
    let json = serde_json::to_value(&k).unwrap();
    assert_eq!(
        json["segmen"][0]["buku"][0]["isi"]["sumber"],
        "apbd_kabupaten"
    );
    assert_eq!(json["segmen"][0]["buku"][0]["isi"]["jumlah"], 100_000_000);
    assert!(json["segmen"][1]["buku"][0]["isi"]["jumlah"].is_null());
    let back: Kegiatan = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, k);

    // Stored data goes through the same checks as new data.
    let mut bad = json.clone();
    bad["segmen"][0]["satuan"] = "m2".into();
    let e = serde_json::from_value::<Kegiatan>(bad).unwrap_err();
    assert!(e.to_string().contains("field `satuan`"), "{e}");
    let mut bad = json.clone();
    bad["segmen"][1]["id"] = "S1".into();
    let e = serde_json::from_value::<Kegiatan>(bad).unwrap_err();
    assert!(e.to_string().contains("already has a segment `S1`"), "{e}");
    let mut bad = json.clone();
    bad["segmen"][0]["buku"][3]["isi"]["alokasi"] = 4.into();
    let e = serde_json::from_value::<Kegiatan>(bad).unwrap_err();
    assert!(e.to_string().contains("is not an earlier entry"), "{e}");
    let mut bad = json;
    bad["segmen"][0]["buku"][3]["isi"]["jumlah"] = 100_000_001.into();
    let e = serde_json::from_value::<Kegiatan>(bad).unwrap_err();
    assert!(
        e.to_string()
            .contains("overspends allocation #1 without an override"),
        "{e}"
    );
}

#[test]
fn bibrik_funding_report() {
    let k = contoh::bibrik_paving();
    let r = funding_report([&k], |kode| {
        (kode.as_str() == contoh::BIBRIK_KODE).then(|| "Bibrik".to_owned())
    })
    .unwrap();
    /// (segment, source, year, known rupiah, unknown parts, spent rupiah)
    type Row<'a> = (&'a str, SumberDana, Option<u16>, i128, u64, i128);
    let rows: Vec<Row<'_>> = r
        .rows
        .iter()
        .map(|row| {
            (
                row.segmen_id.as_str(),
                row.sumber,
                row.tahun,
                row.alokasi_rp.get(),
                row.alokasi_tidak_diketahui,
                row.realisasi_rp.get(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "S1",
                SumberDana::ApbdKabupaten,
                Some(2018),
                100_000_000,
                0,
                100_000_000
            ),
            ("S1", SumberDana::Swadaya, Some(2018), 0, 2, 0),
            ("S2", SumberDana::DanaDesa, None, 0, 1, 0),
        ]
    );
    assert!(
        r.rows
            .iter()
            .all(|row| row.contoh && row.desa.as_deref() == Some("Bibrik"))
    );
    let years: Vec<Option<u16>> = r.per_tahun.iter().map(|y| y.tahun).collect();
    assert_eq!(years, vec![Some(2018), None]);
    assert_eq!(r.per_desa.len(), 1);
    assert_eq!(r.per_desa[0].total, r.total);
    assert_eq!(r.per_sumber[0].bagian_bp, 10_000);
    assert_eq!(
        r.total.alokasi.to_string(),
        "Rp 100.000.000 + 3 nilai tidak diketahui"
    );
    assert!(r.issues.iter().any(|i| i.kind == IssueKind::UnknownAmount));

    let unnamed = funding_report([&k], |_| None).unwrap();
    assert!(
        unnamed
            .issues
            .iter()
            .any(|i| i.kind == IssueKind::MissingDesaName)
    );
}

#[test]
fn overspending_needs_an_override_and_is_recorded_with_it() {
    let mut s = road();
    let a = s
        .allocate(Alokasi::tunai(
            SumberDana::ApbdKabupaten,
            Some(2018),
            Amount::Known(rp(100_000_000)),
        ))
        .unwrap();
    s.record_realisasi(Realisasi::new(a, rp(90_000_000), t("2018-08-10")))
        .unwrap();

    let e = s
        .record_realisasi(Realisasi::new(a, rp(15_000_000), t("2018-08-20")))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "segmen `S1`: spending Rp 15.000.000 on allocation #1 (APBD Kabupaten/Kota, \
         Rp 100.000.000) would exceed it by Rp 5.000.000 (already spent Rp 90.000.000); \
         give an override with a reason to record it"
    );
    assert!(matches!(
        e,
        WorksError::Overspend { alokasi, excess, .. } if alokasi == a && excess == rp(5_000_000)
    ));
    assert_eq!(s.buku().len(), 2, "a refused entry leaves no trace");

    let blank = Realisasi {
        izin_lebih: Some(Override::new(" ")),
        ..Realisasi::new(a, rp(15_000_000), t("2018-08-20"))
    };
    let e = s.record_realisasi(blank).unwrap_err();
    assert!(e.to_string().contains("field `izin_lebih.alasan`"), "{e}");

    let with_override = Realisasi {
        izin_lebih: Some(Override::new("addendum kontrak no. 2")),
        ..Realisasi::new(a, rp(15_000_000), t("2018-08-20"))
    };
    let id = s.record_realisasi(with_override).unwrap();
    let Some(SegmenEntry::Realisasi(r)) = s.buku().get(id).map(|e| &e.isi) else {
        panic!("entry {id} is spending")
    };
    assert_eq!(
        r.izin_lebih.as_ref().unwrap().alasan,
        "addendum kontrak no. 2"
    );

    let summary = s.summary().unwrap();
    assert_eq!(summary.realisasi_rp, rp(105_000_000));
    assert_eq!(summary.progres_keuangan.unwrap().basis_points(), 10_500);
    assert!(
        summary
            .issues
            .iter()
            .any(|i| i.kind == IssueKind::SpendingOverAllocation)
    );
}

#[test]
fn spending_must_point_at_a_live_allocation() {
    let mut s = road();
    let a = s
        .allocate(Alokasi::tunai(
            SumberDana::Apbn,
            Some(2020),
            Amount::Known(rp(10)),
        ))
        .unwrap();
    let p = s
        .record_progres(Progres::new(Volume::whole(1), t("2020-05-01")))
        .unwrap();
    let cases: Vec<(Realisasi, &str)> = vec![
        (
            Realisasi::new(p, rp(1), t("2020-05-02")),
            "is progress (progres), not an allocation",
        ),
        (
            Realisasi::new(EntryId(99), rp(1), t("2020-05-02")),
            "there is no entry #99",
        ),
        (
            Realisasi::new(a, Rupiah::ZERO, t("2020-05-02")),
            "field `jumlah`",
        ),
    ];
    for (r, expected) in cases {
        let e = s.record_realisasi(r).unwrap_err();
        assert!(e.to_string().contains(expected), "{e}");
    }
    s.reverse(Reversal::new(a, "salah sumber")).unwrap();
    let e = s
        .record_realisasi(Realisasi::new(a, rp(1), t("2020-05-02")))
        .unwrap_err();
    assert!(matches!(e, WorksError::AllocationReversed { .. }), "{e}");

    // Unknown allocations cannot be overspent, but the summary says the spending is
    // outside financial progress.
    let u = s
        .allocate(Alokasi::tunai(SumberDana::DanaDesa, None, Amount::Unknown))
        .unwrap();
    s.record_realisasi(Realisasi::new(u, rp(1_000_000), t("2020-06-01")))
        .unwrap();
    let summary = s.summary().unwrap();
    assert!(summary.progres_keuangan.is_none());
    assert!(
        summary
            .issues
            .iter()
            .any(|i| i.kind == IssueKind::SpendingOnUnknownAllocation)
    );
}

#[test]
fn progress_beyond_the_plan_needs_an_override() {
    let mut s = road();
    s.record_progres(Progres::new(Volume::whole(150), t("2018-08-20")))
        .unwrap();
    let e = s
        .record_progres(Progres::new(Volume::whole(30), t("2018-08-31")))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "segmen `S1`: realised volume would reach 180 m of 170 m planned (105,88 %); \
         give an override with a reason to record it"
    );
    s.record_progres(Progres::new(Volume::whole(20), t("2018-08-31")))
        .unwrap();
    assert_eq!(
        s.summary().unwrap().progres_fisik.unwrap().basis_points(),
        10_000
    );
    let over = Progres {
        izin_lebih: Some(Override::new("jalan diperpanjang sampai musala")),
        ..Progres::new(Volume::whole(10), t("2018-09-05"))
    };
    s.record_progres(over).unwrap();
    let summary = s.summary().unwrap();
    assert_eq!(summary.volume_realisasi, Volume::whole(180));
    assert!(
        summary
            .issues
            .iter()
            .any(|i| i.kind == IssueKind::ProgressOver100)
    );
    let e = s
        .record_progres(Progres::new(Volume::ZERO, t("2018-09-06")))
        .unwrap_err();
    assert!(e.to_string().contains("field `volume`"), "{e}");
}

#[test]
fn reversal_keeps_history() {
    let mut k = work();
    k.add_segmen(road()).unwrap();
    let sid = SegmenId::new("S1").unwrap();
    let s = k.segmen_mut(&sid).unwrap();
    let a = s
        .allocate(Alokasi::tunai(
            SumberDana::ApbdKabupaten,
            Some(2018),
            Amount::Known(rp(100_000_000)),
        ))
        .unwrap();
    let r = s
        .record_realisasi(Realisasi::new(a, rp(40_000_000), t("2018-08-10")))
        .unwrap();

    let e = s.reverse(Reversal::new(a, "dobel input")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "segmen `S1`: allocation #1 still carries spending (entries [EntryId(2)]); reverse the spending first"
    );
    let undo_spending = s
        .reverse(Reversal {
            tanggal: Some(t("2018-08-11")),
            ..Reversal::new(r, "kuitansi salah")
        })
        .unwrap();
    let undo_allocation = s.reverse(Reversal::new(a, "dobel input")).unwrap();

    // Nothing was erased: four entries, two of them reversals pointing back.
    let kinds: Vec<(u64, &str)> = s
        .buku()
        .entries()
        .iter()
        .map(|e| {
            let kind = match &e.isi {
                SegmenEntry::Alokasi(_) => "alokasi",
                SegmenEntry::Realisasi(_) => "realisasi",
                SegmenEntry::Progres(_) => "progres",
                SegmenEntry::Reversal(_) => "reversal",
            };
            (e.id.0, kind)
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (1, "alokasi"),
            (2, "realisasi"),
            (3, "reversal"),
            (4, "reversal")
        ]
    );
    assert_eq!(s.buku().reversed_by(r), Some(undo_spending));
    assert_eq!(s.buku().reversed_by(a), Some(undo_allocation));
    assert_eq!(s.live_alokasi().count(), 0);
    let e = s.reverse(Reversal::new(a, "lagi")).unwrap_err();
    assert!(matches!(e, WorksError::AlreadyReversed { .. }), "{e}");
    let e = s
        .reverse(Reversal::new(undo_allocation, "batal"))
        .unwrap_err();
    assert!(matches!(e, WorksError::ReverseOfReversal { .. }), "{e}");

    let summary = s.summary().unwrap();
    assert_eq!(summary.alokasi, AmountSum::default());
    assert_eq!(summary.realisasi_rp, Rupiah::ZERO);

    // A segment or work with history cannot be removed, even when it nets to nothing.
    let e = k.remove_segmen(&sid).unwrap_err();
    assert_eq!(
        e.to_string(),
        "segmen `S1` has 4 ledger entries; history is never erased, reverse entries instead"
    );
    assert!(k.check_deletable().is_err());
    let report = funding_report([&k], |_| None).unwrap();
    assert!(report.rows.is_empty());
}

#[test]
fn segments_without_history_can_be_removed() {
    let mut k = work();
    k.add_segmen(road()).unwrap();
    let e = k.add_segmen(road()).unwrap_err();
    assert!(matches!(e, WorksError::DuplicateSegmen { .. }), "{e}");
    k.check_deletable().unwrap();
    let sid = SegmenId::new("S1").unwrap();
    k.remove_segmen(&sid).unwrap();
    assert!(k.segmen().is_empty());
    let e = k.remove_segmen(&sid).unwrap_err();
    assert!(matches!(e, WorksError::SegmenNotFound { .. }), "{e}");
}

#[test]
fn unit_and_geometry_must_agree() {
    let id = || SegmenId::new("S9").unwrap();
    let cart: Geometry<f64> = point!(x: 111.49, y: -7.57).into();
    let e = Segmen::new(
        id(),
        "Gerobak sampah",
        cart.clone(),
        Some(Volume::whole(4)),
        Satuan::M,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "segmen `S9`: field `satuan`: unit m needs a line geometry, but the geometry is a Point"
    );
    assert!(
        Segmen::new(
            id(),
            "Gerobak sampah",
            cart,
            Some(Volume::whole(4)),
            Satuan::Unit
        )
        .is_ok()
    );

    let drain: Geometry<f64> = line_string![(x: 111.49, y: -7.57), (x: 111.491, y: -7.57)].into();
    let e = Segmen::new(id(), "Drainase", drain.clone(), None, Satuan::M2).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("unit m² needs a polygon geometry, but the geometry is a LineString"),
        "{e}"
    );

    // Changing the plan re-checks it, and a unit cannot change under recorded progress.
    let mut s = Segmen::new(id(), "Drainase", drain.clone(), None, Satuan::M).unwrap();
    s.record_progres(Progres::new(Volume::whole(10), t("2020-01-01")))
        .unwrap();
    let e = s
        .set_rencana(drain.clone(), Some(Volume::whole(3)), Satuan::Unit)
        .unwrap_err();
    assert!(e.to_string().contains("field `satuan`"), "{e}");
    s.set_rencana(drain, Some(Volume::whole(120)), Satuan::M)
        .unwrap();
    assert_eq!(s.volume_rencana(), Some(Volume::whole(120)));
}

#[test]
fn amount_parse_errors_name_the_problem() {
    let cases = [
        ("1.5", "decimals are not allowed"),
        ("-1", "cannot be negative"),
        ("99999999999999999999", "larger than the largest"),
        ("1e9", "scientific notation"),
        ("1,000", "ambiguous"),
        ("1.0000", "decimals are not allowed"),
        ("1.000.00", "groups thousands"),
        ("Rp", "there is no number"),
        ("12 ribu", "unexpected character ` `"),
    ];
    for (input, expected) in cases {
        let e = Rupiah::parse(input).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.starts_with(&format!("cannot read `{input}` as rupiah: "))
                && msg.contains(expected),
            "{input}: {msg}"
        );
    }
    assert_eq!(Rupiah::parse("Rp 100.000.000").unwrap(), rp(100_000_000));
    assert_eq!(Rupiah::parse("100000000").unwrap(), rp(100_000_000));
}

#[test]
fn kpp_statement_for_a_month() {
    let mut k = contoh::bibrik_paving();
    let kpp = k.kpp.as_mut().unwrap();
    for friday in ["2018-09-07", "2018-09-14", "2018-09-21", "2018-09-28"] {
        kpp.record_iuran(Iuran {
            tanggal: t(friday),
            jumlah: rp(140_000),
            jumlah_kk: Some(28),
            keterangan: None,
        })
        .unwrap();
    }
    kpp.record_belanja(Belanja {
        tanggal: t("2018-09-29"),
        jumlah: rp(75_000),
        uraian: "Cat mural".to_owned(),
    })
    .unwrap();
    let sept = Periode::new(t("2018-09-01"), t("2018-09-30")).unwrap();
    let s = kpp.statement(sept).unwrap();
    assert_eq!(s.diharapkan_rp, rp(600_000));
    assert_eq!(s.terkumpul_rp, rp(560_000));
    assert_eq!(s.tunggakan_rp, rp(40_000));
    assert_eq!(s.belanja_rp, rp(75_000));
    assert_eq!(s.saldo_rp, rp(485_000));
    assert!(k.check_deletable().is_err());
}

/// Sets every known amount in the segments' ledgers to `i64::MAX`, as records written
/// before the entry cap may hold.
fn near_max(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                if k == "jumlah" && x.is_i64() {
                    *x = serde_json::json!(i64::MAX);
                } else {
                    near_max(x);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(near_max),
        _ => {}
    }
}

#[test]
fn a_funding_report_over_amounts_near_i64_max_adds_up_in_128_bits() {
    let mut v = serde_json::to_value(contoh::bibrik_paving()).unwrap();
    near_max(&mut v["segmen"]);
    let big: Kegiatan = serde_json::from_value(v).unwrap();
    let mut other = big.clone();
    other.nama = "salinan".into();
    let r = funding_report([&big, &other], |_| Some("Bibrik".to_owned())).unwrap();
    let max = i128::from(i64::MAX);
    assert_eq!(r.total.alokasi.diketahui_rp.get(), 2 * max, "{:?}", r.total);
    assert_eq!(r.total.realisasi_rp.get(), 2 * max);
    assert_eq!(r.per_desa[0].total, r.total);
    assert_eq!(r.per_sumber[0].bagian_bp, 10_000);
    let json = serde_json::to_string(&r).unwrap();
    assert!(
        json.contains("\"diketahui_rp\":18446744073709551614"),
        "{json}"
    );
}
