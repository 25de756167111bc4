//! The scoring engine against records published by KAWANKU, East Java's public slum
//! baseline system (Dinas PKP Provinsi Jawa Timur).
//!
//! `PUBLISHED` is `data/examples/kawanku_examples.json`: three records with their inputs
//! and published outputs. Every
//! published percentage (two decimals), score, aspect average, total and class must come
//! out of [`assess`], with one documented exception (Tembokrejo 4a, below).

use std::collections::BTreeMap;

use kumuh_domain::Kode;
use kumuh_domain::assessment::{
    Assessment, AssessmentInput, RuleSet, SlumClass, assess, round_half_up,
};
use serde_json::Value;

const PUBLISHED: &str = include_str!("../../../../data/examples/kawanku_examples.json");

/// One more published record, not in the shared file: it shows half-up rounding twice,
/// 5 m of 160 m = 3.125 % published as 3.13, and the road aspect (0 + 3.13) / 2 = 1.565
/// published as 1.57. Its class was cut from the page; total 33 is kumuh ringan.
const KEBONSARI: &str = r#"[
  {
   "url": "https://kawanku.pkpjatim.id/home/kelurahan/8/457/2511",
   "wilayah": "Kebonsari - RT 39 RW 07",
   "kabupaten": "KAB. LUMAJANG",
   "luas_ha": 0.7,
   "bangunan_unit": 38,
   "penduduk_jiwa": 138,
   "kk": 44,
   "jalan_ideal_m": 160.0,
   "drainase_ideal_m": 160.0,
   "criteria": {
    "1a": {"volume": 38.0, "unit": "Unit", "percent": 100.0, "score": 5},
    "1b": {"volume": 0.0, "unit": "Ha", "percent": 0.0, "score": 0},
    "1c": {"volume": 17.0, "unit": "Unit", "percent": 44.74, "score": 1},
    "2a": {"volume": 0.0, "unit": "Meter", "percent": 0.0, "score": 0},
    "2b": {"volume": 5.0, "unit": "Meter", "percent": 3.13, "score": 0},
    "3a": {"volume": 19.0, "unit": "KK", "percent": 43.18, "score": 1},
    "3b": {"volume": 0.0, "unit": "KK", "percent": 0.0, "score": 0},
    "4a": {"volume": 0.0, "unit": "Ha", "percent": 0.0, "score": 0},
    "4b": {"volume": 0.0, "unit": "Meter", "percent": 0.0, "score": 0},
    "4c": {"volume": 160.0, "unit": "Meter", "percent": 100.0, "score": 5},
    "5a": {"volume": 24.0, "unit": "KK", "percent": 54.55, "score": 3},
    "5b": {"volume": 24.0, "unit": "KK", "percent": 54.55, "score": 3},
    "6a": {"volume": 44.0, "unit": "KK", "percent": 100.0, "score": 5},
    "6b": {"volume": 44.0, "unit": "KK", "percent": 100.0, "score": 5},
    "7a": {"volume": 0.0, "unit": "Unit", "percent": 0.0, "score": 0},
    "7b": {"volume": 38.0, "unit": "Unit", "percent": 100.0, "score": 5}
   },
   "aspect_avg_percent": {"1": 48.25, "2": 1.57, "3": 21.59, "4": 33.33, "5": 54.55, "6": 100.0, "7": 50.0},
   "total": 33,
   "class": null
  }
]"#;

/// The hectare display exception.
///
/// KAWANKU shows areas rounded to two decimals but divides the stored, unrounded values.
/// Tembokrejo's flooded area (4a) is shown as 0.64 ha of 1.51 ha, which gives 42.38 %;
/// the page shows 42.51 %, so the stored values were a little different (e.g. 0.6405 of
/// 1.5067 ha). Recomputing from the shown figures cannot reproduce 42.51, so for that one
/// percentage the test checks that the two agree to within the area rounding (half a
/// hundredth of a hectare on each figure moves the result by well under 1 point) and
/// score the same. The aspect 4 average on the page (47.5) is the mean of the published
/// 42.51, 97.15 and 2.85; with the recomputed 42.38 it is 47.46, checked the same way.
const HECTARE_EXCEPTIONS: [(&str, &str); 1] = [("TEMBOKREJO - RT001-RW003", "4a")];

fn records(text: &str) -> Vec<Value> {
    serde_json::from_str::<Value>(text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number in {v}"))
}

fn input_of(record: &Value) -> AssessmentInput {
    let mut input = AssessmentInput::new(
        record["wilayah"].as_str().unwrap(),
        Kode::parse("35.19.09.2014").unwrap(),
        2025,
    );
    input.nama_lokasi = record["wilayah"].as_str().unwrap().to_owned();
    input.luas_ha = num(record, "luas_ha");
    input.jumlah_bangunan = num(record, "bangunan_unit") as u32;
    input.jumlah_penduduk = num(record, "penduduk_jiwa") as u32;
    input.jumlah_kk = num(record, "kk") as u32;
    input.panjang_jalan_ideal_m = num(record, "jalan_ideal_m");
    input.panjang_drainase_ideal_m = num(record, "drainase_ideal_m");
    input.volumes = record["criteria"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(code, c)| (code.clone(), num(c, "volume")))
        .collect::<BTreeMap<_, _>>();
    input
}

fn class_of(published: &Value) -> Option<SlumClass> {
    published.as_str().map(|label| match label {
        "KUMUH BERAT" => SlumClass::KumuhBerat,
        "KUMUH SEDANG" => SlumClass::KumuhSedang,
        "KUMUH RINGAN" => SlumClass::KumuhRingan,
        "TIDAK KUMUH" => SlumClass::TidakKumuh,
        other => panic!("unknown published class {other}"),
    })
}

/// Checks one published record against the engine; `class_if_cut` is the class expected
/// where the page's class was cut off (worked out by hand from the thresholds).
fn check(record: &Value, class_if_cut: SlumClass) -> Assessment {
    let rules = RuleSet::builtin("permen-pupr-14-2018").unwrap();
    let name = record["wilayah"].as_str().unwrap();
    let a = assess(&rules, &input_of(record));
    let published = record["criteria"].as_object().unwrap();
    assert_eq!(a.criteria.len(), published.len(), "{name}");
    let mut published_percents = BTreeMap::new();
    for (code, p) in published {
        let got = a.criterion(code).unwrap_or_else(|| panic!("{name} {code}"));
        let percent = num(p, "percent");
        published_percents.insert(code.clone(), percent);
        let score = p["score"].as_u64().unwrap() as u32;
        assert_eq!(got.score, score, "{name} {code}: score");
        if HECTARE_EXCEPTIONS.contains(&(name, code.as_str())) {
            assert!(
                (got.percent_rounded - percent).abs() < 1.0,
                "{name} {code}: {} should be near the published {percent}",
                got.percent_rounded
            );
            assert_ne!(
                got.percent_rounded, percent,
                "{name} {code}: exception no longer needed"
            );
        } else {
            assert_eq!(
                got.percent_rounded, percent,
                "{name} {code}: percent ({})",
                got.percent
            );
        }
    }
    for (number, avg) in record["aspect_avg_percent"].as_object().unwrap() {
        let number: u8 = number.parse().unwrap();
        let got = a.aspect(number).unwrap().average_percent;
        let expected = avg.as_f64().unwrap();
        let excepted = HECTARE_EXCEPTIONS
            .iter()
            .any(|(n, code)| *n == name && code.starts_with(&number.to_string()));
        if excepted {
            // The rule (mean of the rounded percentages, rounded half-up) applied to the
            // published percentages gives the published average exactly.
            let of_published: Vec<f64> = published_percents
                .iter()
                .filter(|(code, _)| code.starts_with(&number.to_string()))
                .map(|(_, p)| *p)
                .collect();
            let mean = of_published.iter().sum::<f64>() / of_published.len() as f64;
            assert_eq!(round_half_up(mean, 2), expected, "{name} aspect {number}");
            assert!(
                (got - expected).abs() < 0.5,
                "{name} aspect {number}: {got}"
            );
        } else {
            assert_eq!(got, expected, "{name} aspect {number}");
        }
    }
    assert_eq!(
        a.total,
        record["total"].as_u64().unwrap() as u32,
        "{name}: total"
    );
    let class = class_of(&record["class"]).unwrap_or(class_if_cut);
    assert_eq!(a.class, class, "{name}: class");
    assert_eq!(a.rule_set_id, "permen-pupr-14-2018");
    assert_eq!(a.rule_set_version, "2018.1");
    assert_eq!(a.max_total, 80);
    a
}

#[test]
fn wungu_reproduces_the_published_record() {
    let a = check(&records(PUBLISHED)[0], SlumClass::KumuhRingan);
    // 2a is exactly 25.00 % (scores 1) and 2b exactly 75.00 % (scores 3).
    assert_eq!(a.criterion("2a").unwrap().percent, 25.0);
    assert_eq!(a.criterion("2b").unwrap().percent, 75.0);
    // Ideal drainage length 0: the published 0 % for 4b and 4c, reported as issues.
    let issues: Vec<String> = a.issues.iter().map(ToString::to_string).collect();
    assert_eq!(
        issues,
        vec![
            "criterion 4b: drainase_ideal_m is 0, so the percentage is 0 %",
            "criterion 4c: drainase_ideal_m is 0, so the percentage is 0 %",
        ]
    );
}

#[test]
fn rowokangkung_reproduces_the_published_record() {
    // Class cut from the page: total 28 is in 16-37, kumuh ringan.
    let a = check(&records(PUBLISHED)[1], SlumClass::KumuhRingan);
    // 50.91 % lies between 50 and 51 and falls to the lower band.
    let c = a.criterion("5b").unwrap();
    assert_eq!((c.percent_rounded, c.score), (50.91, 1));
    assert!(a.issues.is_empty(), "{:?}", a.issues);
}

#[test]
fn tembokrejo_reproduces_the_published_record() {
    // Class cut from the page: total 31 is in 16-37, kumuh ringan.
    let a = check(&records(PUBLISHED)[2], SlumClass::KumuhRingan);
    assert_eq!(a.criterion("4a").unwrap().percent_rounded, 42.38);
    assert_eq!(a.aspect(4).unwrap().average_percent, 47.46);
    assert!(a.issues.is_empty(), "{:?}", a.issues);
}

#[test]
fn kebonsari_rounds_half_up_twice() {
    let a = check(&records(KEBONSARI)[0], SlumClass::KumuhRingan);
    assert_eq!(a.criterion("2b").unwrap().percent, 3.125);
}

#[test]
fn the_2016_rule_scores_the_same_records_with_three_more_criteria() {
    let rules = RuleSet::builtin("permen-pupr-02-2016").unwrap();
    let mut input = input_of(&records(PUBLISHED)[1]);
    // Rowokangkung's drains: 300 m not connected, 150 m not maintained; all 55 KK without
    // maintained waste facilities.
    input.volumes.insert("4d".to_owned(), 300.0);
    input.volumes.insert("4e".to_owned(), 150.0);
    input.volumes.insert("6c".to_owned(), 55.0);
    let a = assess(&rules, &input);
    assert_eq!(a.criteria.len(), 19);
    assert_eq!(a.max_total, 95);
    assert_eq!(a.total, 28 + 5 + 1 + 5);
    // (11.88 + 100 + 0 + 100 + 50) / 5 = 52.376
    assert_eq!(a.aspect(4).unwrap().average_percent, 52.38);
    // (100 + 100 + 100) / 3
    assert_eq!(a.aspect(6).unwrap().average_percent, 100.0);
    // 39 is below the 2016 rule's 45 for kumuh sedang.
    assert_eq!(a.class, SlumClass::KumuhRingan);
    assert_eq!(a.rule_set_id, "permen-pupr-02-2016");
    assert!(a.issues.is_empty(), "{:?}", a.issues);
}
