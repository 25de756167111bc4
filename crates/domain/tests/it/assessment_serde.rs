//! Assessments and their published form read back from the JSON they are written as:
//! what is written reads back equal and is written again as the same text, and what no
//! release writes is refused with a message that names it.

use std::collections::BTreeMap;

use kumuh_domain::Kode;
use kumuh_domain::assessment::{
    Assessment, AssessmentInput, ConsiderationInput, Dasar, Hasil, LegalityInput, RuleSet, assess,
};
use kumuh_domain::jaringan::{Applied, Sumber};
use kumuh_domain::works::{Dampak, Dilewati};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Serialises `value` and reads it back typed. The typed read gives the same JSON as an
/// untyped read of the same text, so a result shown from the store is what it was before
/// it was typed. It equals `value` exactly unless a number needs all 17 significant
/// digits, which serde_json (built without its `float_roundtrip` feature) may read one
/// unit in the last place off, typed or untyped alike.
fn read_back<T>(value: &T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let untyped: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_value(&back).unwrap(), untyped, "{text}");
    back
}

/// [`read_back`], where every number is short enough to read back exactly.
fn check_round_trip<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    assert_eq!(&read_back(value), value);
}

/// A location with every denominator given, scored by the default rule set.
fn input() -> AssessmentInput {
    let mut i = AssessmentInput::new("K01", Kode::parse("35.19.09.2014").unwrap(), 2024);
    i.nama_lokasi = "Uji RT 01".into();
    i.luas_ha = 2.0;
    i.jumlah_bangunan = 100;
    i.jumlah_penduduk = 500;
    i.jumlah_kk = 100;
    i.panjang_jalan_ideal_m = 1000.0;
    i.panjang_drainase_ideal_m = 1000.0;
    i
}

fn assessed(input: &AssessmentInput) -> (Assessment, Hasil) {
    let a = assess(&RuleSet::default_rules(), input);
    let attributes = BTreeMap::from([("kecamatan".to_owned(), "Jiwan".to_owned())]);
    let h = Hasil::of(&a, 7, attributes);
    (a, h)
}

#[test]
fn a_full_assessment_with_every_kind_of_issue_round_trips() {
    let mut i = input();
    i.volumes.insert("1a".into(), -10.0); // negative volume
    i.volumes.insert("3a".into(), 120.0); // over a hundred
    i.volumes.insert("4d".into(), 3.0); // not in the rule set
    i.volumes.insert("2a".into(), 509.1);
    i.panjang_drainase_ideal_m = 0.0; // zero denominators
    i.considerations = Some(ConsiderationInput {
        nilai_strategis: true,
        kepadatan_jiwa_per_ha: Some(251.234),
        potensi_sosial_ekonomi: false,
    });
    i.legality = Some(LegalityInput {
        legalitas_kepemilikan: true,
        kesesuaian_tata_ruang: false,
    });
    let (a, h) = assessed(&i);
    assert!(a.handling.is_some() && a.legality.is_some() && a.considerations.is_some());
    check_round_trip(&a);
    check_round_trip(&h);

    // Without considerations density is unknown at 0 ha; without legality no handling.
    let mut i = input();
    i.luas_ha = 0.0;
    i.considerations = Some(ConsiderationInput {
        nilai_strategis: false,
        kepadatan_jiwa_per_ha: None,
        potensi_sosial_ekonomi: true,
    });
    let (a, h) = assessed(&i);
    assert!(a.considerations.is_none() && a.handling.is_none());
    check_round_trip(&a);
    check_round_trip(&h);
}

#[test]
fn the_published_form_is_the_published_json() {
    let mut i = input();
    i.volumes.insert("3a".into(), 5.0);
    i.considerations = Some(ConsiderationInput {
        nilai_strategis: true,
        kepadatan_jiwa_per_ha: None,
        potensi_sosial_ekonomi: true,
    });
    let (_, h) = assessed(&i);
    let json = serde_json::to_value(&h).unwrap();
    assert_eq!(json["row"], 7);
    assert_eq!(json["rule_set"]["id"], "permen-pupr-14-2018");
    assert_eq!(
        json["criteria"]["3a"],
        json!({"volume": 5.0, "percent": 5.0, "score": 0})
    );
    assert_eq!(json["criteria"]["1a"]["volume"], Value::Null);
    assert_eq!(json["aspects"]["3"], 2.5);
    assert_eq!(json["class"], "tidak_kumuh");
    assert_eq!(json["considerations"]["group"], 1);
    assert_eq!(json["considerations"]["density_level"], "tinggi");
    assert_eq!(json["issues"][0]["kind"], "missing_volume");
    assert_eq!(json["issues"][0]["criterion"], "1a");
    assert_eq!(json["attributes"]["kecamatan"], "Jiwan");
    // What only a stored result says is not written when it is not there.
    for key in [
        "contoh",
        "sumber_volume",
        "dasar",
        "tanggal",
        "dampak",
        "dilewati",
    ] {
        assert!(json.get(key).is_none(), "{key}: {json}");
    }
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 17, "{keys:?}");
}

#[test]
fn what_a_stored_result_says_of_its_origin_round_trips() {
    let (_, h) = assessed(&input());
    let evaluasi = Hasil {
        contoh: true,
        dasar: Some(Dasar::segmen("contoh-35.19.09.2014-2018-paving", "S1")),
        tanggal: Some("2018-08-31".into()),
        dampak: Some(vec![Dampak {
            kriteria: "2b".into(),
            satuan: "m".into(),
            volume_sebelum: 330.8,
            pengurangan: 170.0,
            volume_sesudah: 160.8,
        }]),
        dilewati: Some(vec![
            Dilewati::SatuanTidakCocok {
                kriteria: "4a".into(),
                satuan_kriteria: "ha".into(),
                satuan_segmen: "m".into(),
            },
            Dilewati::KriteriaTidakDikenal {
                kriteria: "9z".into(),
            },
            Dilewati::VolumeTidakDiketahui {
                kriteria: "2a".into(),
            },
        ]),
        ..h.clone()
    };
    check_round_trip(&evaluasi);
    let json = serde_json::to_value(&evaluasi).unwrap();
    assert_eq!(json["contoh"], true);
    assert_eq!(
        json["dasar"],
        "kegiatan contoh-35.19.09.2014-2018-paving segmen S1"
    );
    assert_eq!(json["dilewati"][0]["alasan"], "satuan_tidak_cocok");

    let impor = Hasil {
        sumber_volume: Some(vec![Applied {
            criterion: "2b".into(),
            survei: Some(120.0),
            peta: None,
            chosen: Sumber::Peta,
            used: Sumber::Survei,
            peta_contoh: false,
        }]),
        ..h.clone()
    };
    check_round_trip(&impor);
    // An import that chose nothing keeps its empty list.
    let tanpa_pilihan = Hasil {
        sumber_volume: Some(Vec::new()),
        ..h
    };
    check_round_trip(&tanpa_pilihan);
    assert_eq!(
        serde_json::to_value(&tanpa_pilihan).unwrap()["sumber_volume"],
        json!([])
    );
}

/// The published JSON of the default input with one key replaced.
fn with(key: &str, value: Value) -> Value {
    let (_, h) = assessed(&input());
    let mut json = serde_json::to_value(&h).unwrap();
    json[key] = value;
    json
}

fn refused(json: Value) -> String {
    match serde_json::from_value::<Hasil>(json) {
        Ok(h) => panic!("read {h:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn what_no_release_writes_is_refused_by_name() {
    let e = refused(with("class", json!("kumuh_parah")));
    assert!(e.contains("unknown variant `kumuh_parah`"), "{e}");
    let mut json = with("class", json!("kumuh_ringan"));
    json["considerations"] = json!({"strategic_score": 5, "density_jiwa_per_ha": 10.0,
        "density_level": "rendah", "density_score": 1, "potential_score": 1, "total": 7,
        "group": 4});
    let e = refused(json);
    assert!(e.contains("unknown considerations group 4"), "{e}");
    let e = refused(with(
        "issues",
        json!([{"kind": "typo", "criterion": null, "message": ""}]),
    ));
    assert!(e.contains("unknown variant `typo`"), "{e}");
    let e = refused(with("dasar", json!("kunjungan")));
    assert!(e.contains("`kunjungan`"), "{e}");
    let mut json = with("total", json!(1));
    json.as_object_mut().unwrap().remove("aspects");
    let e = refused(json);
    assert!(e.contains("missing field `aspects`"), "{e}");
}

/// Hundredths, as surveys record volumes and lengths.
fn hundredths(range: std::ops::Range<i64>) -> impl Strategy<Value = f64> {
    range.prop_map(|n| n as f64 / 100.0)
}

fn arb_input() -> impl Strategy<Value = AssessmentInput> {
    let codes: Vec<String> = RuleSet::default_rules()
        .criteria()
        .iter()
        .map(|c| c.code.clone())
        .chain(["4d".to_owned()])
        .collect();
    (
        prop::collection::btree_map(
            prop::sample::select(codes),
            hundredths(-5_000..200_000),
            0..18,
        ),
        (hundredths(0..1_000), 0u32..500, 0u32..3_000, 0u32..600),
        (hundredths(-1_000..200_000), hundredths(0..200_000)),
        prop::option::of((
            any::<bool>(),
            prop::option::of(hundredths(0..60_000)),
            any::<bool>(),
        )),
        prop::option::of((any::<bool>(), any::<bool>())),
    )
        .prop_map(
            |(volumes, (luas, bangunan, penduduk, kk), (jalan, drainase), k, l)| {
                let mut i = input();
                i.volumes = volumes;
                i.luas_ha = luas;
                i.jumlah_bangunan = bangunan;
                i.jumlah_penduduk = penduduk;
                i.jumlah_kk = kk;
                i.panjang_jalan_ideal_m = jalan;
                i.panjang_drainase_ideal_m = drainase;
                i.considerations = k.map(|(s, d, p)| ConsiderationInput {
                    nilai_strategis: s,
                    kepadatan_jiwa_per_ha: d,
                    potensi_sosial_ekonomi: p,
                });
                i.legality = l.map(|(a, b)| LegalityInput {
                    legalitas_kepemilikan: a,
                    kesesuaian_tata_ruang: b,
                });
                i
            },
        )
}

proptest! {
    /// The published form holds only rounded figures and the survey's own, so it reads
    /// back exactly; the assessment's unrounded percentages read back as an untyped read
    /// of them does.
    #[test]
    fn every_assessment_and_its_published_form_read_back(i in arb_input()) {
        let (a, h) = assessed(&i);
        let back = read_back(&a);
        prop_assert_eq!(back.issues.len(), a.issues.len());
        prop_assert_eq!((back.total, back.class, back.priority), (a.total, a.class, a.priority));
        check_round_trip(&h);
    }
}
