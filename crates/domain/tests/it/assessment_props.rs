//! Properties of the scoring engine: band edges, rounding, bad data and the 19-criteria
//! rule, checked against exact integer arithmetic where floating point could drift.

use std::collections::BTreeMap;

use kumuh_domain::Kode;
use kumuh_domain::assessment::{AssessmentInput, RuleSet, SlumClass, assess, round_half_up};
use proptest::prelude::*;

fn rules_2018() -> RuleSet {
    RuleSet::builtin("permen-pupr-14-2018").unwrap()
}

fn rules_2016() -> RuleSet {
    RuleSet::builtin("permen-pupr-02-2016").unwrap()
}

/// A location with every denominator set and every volume of `rules` at 0.
fn base(rules: &RuleSet) -> AssessmentInput {
    let mut input = AssessmentInput::new("K01", Kode::parse("35.19.09.2014").unwrap(), 2024);
    input.luas_ha = 1.0;
    input.jumlah_bangunan = 100;
    input.jumlah_penduduk = 400;
    input.jumlah_kk = 100;
    input.panjang_jalan_ideal_m = 100.0;
    input.panjang_drainase_ideal_m = 100.0;
    input.volumes = rules
        .criteria()
        .iter()
        .map(|c| (c.code.clone(), 0.0))
        .collect::<BTreeMap<_, _>>();
    input
}

/// The band of `volume / denominator` decided with integers: 100·v ≥ t·d.
fn exact_score(volume: i64, denominator: i64) -> u32 {
    let p100 = 100 * volume;
    if p100 >= 76 * denominator {
        5
    } else if p100 >= 51 * denominator {
        3
    } else if p100 >= 25 * denominator {
        1
    } else {
        0
    }
}

/// Half-up rounding of 100·v/d to two decimals, with integers, as hundredths.
fn exact_hundredths(volume: i64, denominator: i64) -> i64 {
    (20_000 * volume + denominator).div_euclid(2 * denominator)
}

/// The score of a percentage at a band edge, for both shipped rule sets.
fn check_edge(percent: f64, expected: u32) {
    for rules in [rules_2018(), rules_2016()] {
        assert_eq!(
            rules.score_for(percent),
            expected,
            "{percent} % under {}",
            rules.id()
        );
    }
}

#[test]
fn band_edges() {
    check_edge(-5.0, 0);
    check_edge(0.0, 0);
    check_edge(24.99, 0);
    check_edge(25.0, 1);
    check_edge(50.0, 1);
    check_edge(50.99, 1);
    check_edge(51.0, 3);
    check_edge(75.0, 3);
    check_edge(75.99, 3);
    check_edge(76.0, 5);
    check_edge(100.0, 5);
    check_edge(100.01, 5);
    check_edge(250.0, 5);
}

#[test]
fn a_district_variant_moves_the_lowest_band_to_20_percent() {
    let rules = RuleSet::from_toml_str(
        r#"
id = "kab-contoh"
name = "Varian 20 %"
version = "1"
extends = "permen-pupr-14-2018"
score_bands = [
  { min_percent = 76.0, score = 5 },
  { min_percent = 51.0, score = 3 },
  { min_percent = 20.0, score = 1 },
]
"#,
    )
    .unwrap();
    assert_eq!(rules.score_for(19.99), 0);
    assert_eq!(rules.score_for(20.0), 1);
    assert_eq!(rules.score_for(24.99), 1);
    let mut input = base(&rules);
    input.volumes.insert("1a".to_owned(), 20.0);
    let a = assess(&rules, &input);
    assert_eq!(a.total, 1);
    assert_eq!(a.rule_set_id, "kab-contoh");
}

#[test]
fn every_criterion_full_reaches_the_maximum() {
    for (rules, max) in [(rules_2018(), 80), (rules_2016(), 95)] {
        let mut input = base(&rules);
        for c in rules.criteria() {
            let d = input.denominator(c.denominator);
            input.volumes.insert(c.code.clone(), d);
        }
        let a = assess(&rules, &input);
        assert_eq!((a.total, a.max_total), (max, max), "{}", rules.id());
        assert_eq!(a.class, SlumClass::KumuhBerat);
        assert!(a.issues.is_empty(), "{:?}", a.issues);
        assert!(a.aspects.iter().all(|x| x.average_percent == 100.0));
    }
}

proptest! {
    /// Whole-number volumes and denominators (units, KK, metres): the band and the
    /// rounded percentage agree with exact integer arithmetic, over 100 % included.
    #[test]
    fn counts_score_and_round_exactly(d in 1i64..5_000, share in 0i64..=130_000) {
        let v = d * share / 100_000;
        let rules = rules_2018();
        let mut input = base(&rules);
        input.jumlah_kk = u32::try_from(d).unwrap();
        input.volumes.insert("3a".to_owned(), v as f64);
        let a = assess(&rules, &input);
        let c = a.criterion("3a").unwrap();
        prop_assert_eq!(c.score, exact_score(v, d), "{} of {}", v, d);
        prop_assert_eq!(
            c.percent_rounded,
            exact_hundredths(v, d) as f64 / 100.0,
            "{} of {} = {}", v, d, c.percent
        );
        prop_assert_eq!(
            a.issues.iter().any(|i| i.kind() == "over_hundred"),
            v > d
        );
    }

    /// Hectares with two decimals (the survey form's precision): the band agrees with
    /// exact arithmetic on hundredths, so 0.57 of 0.75 ha is 76 % and scores 5.
    #[test]
    fn hectares_score_exactly(d in 1i64..2_000, v_share in 0i64..=1_100) {
        let v = d * v_share / 1_000;
        let rules = rules_2018();
        let mut input = base(&rules);
        input.luas_ha = d as f64 / 100.0;
        input.volumes.insert("4a".to_owned(), v as f64 / 100.0);
        let a = assess(&rules, &input);
        prop_assert_eq!(a.criterion("4a").unwrap().score, exact_score(v, d));
    }

    /// Areas in hundredths of a hectare whose ratio is exactly a band edge score the
    /// upper band, although the division may land a hair below the edge in binary.
    #[test]
    fn hectare_edges_score_the_upper_band(
        edge in prop::sample::select(vec![(25i64, 4i64, 1u32), (51, 100, 3), (76, 25, 5)]),
        m in 1i64..200,
    ) {
        let (percent, step, score) = edge;
        let d = m * step;
        let v = percent * d / 100;
        let rules = rules_2018();
        let mut input = base(&rules);
        input.luas_ha = d as f64 / 100.0;
        input.volumes.insert("1b".to_owned(), v as f64 / 100.0);
        let a = assess(&rules, &input);
        let c = a.criterion("1b").unwrap();
        prop_assert_eq!(c.score, score, "{} of {} ha = {}", v as f64 / 100.0, d as f64 / 100.0, c.percent);
        prop_assert_eq!(c.percent_rounded, percent as f64);
    }

    /// Near each edge: a hundredth below scores the lower band, the edge the upper.
    #[test]
    fn edges_split_at_the_threshold(edge in prop::sample::select(vec![25.0, 51.0, 76.0]),
                                    below in 0.0001f64..10.0) {
        let rules = rules_2018();
        let at = rules.score_for(edge);
        let under = rules.score_for(edge - below);
        prop_assert!(under < at, "{} scores {}, {} scores {}", edge - below, under, edge, at);
    }

    /// Scores never fall as the percentage rises.
    #[test]
    fn scores_are_monotone(a in -1e4f64..1e4, b in -1e4f64..1e4) {
        let rules = rules_2016();
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(rules.score_for(lo) <= rules.score_for(hi));
    }

    /// A negative volume gives a negative percentage, scores 0 and is reported.
    #[test]
    fn negative_volumes_score_zero(v in -1e6f64..-1e-6) {
        let rules = rules_2018();
        let mut input = base(&rules);
        input.volumes.insert("7a".to_owned(), v);
        let a = assess(&rules, &input);
        let c = a.criterion("7a").unwrap();
        prop_assert!(c.percent < 0.0);
        prop_assert_eq!(c.score, 0);
        prop_assert_eq!(a.issues.len(), 1);
        prop_assert_eq!(a.issues[0].kind(), "negative_volume");
    }

    /// A zero denominator gives 0 % whatever the volume, and is reported.
    #[test]
    fn zero_denominators_give_zero_percent(v in -1e6f64..1e6) {
        let rules = rules_2018();
        let mut input = base(&rules);
        input.panjang_jalan_ideal_m = 0.0;
        input.volumes.insert("2a".to_owned(), v);
        let a = assess(&rules, &input);
        let c = a.criterion("2a").unwrap();
        prop_assert_eq!((c.percent, c.percent_rounded, c.score), (0.0, 0.0, 0));
        prop_assert!(a.issues.iter().any(|i| i.kind() == "zero_denominator"
            && i.criterion() == Some("2a")));
        prop_assert!(a.issues.iter().any(|i| i.kind() == "zero_denominator"
            && i.criterion() == Some("2b")));
    }

    /// Half-up rounding agrees with integer arithmetic on any value with three decimals.
    #[test]
    fn rounding_matches_decimal_half_up(thousandths in -10_000_000i64..10_000_000) {
        let x = thousandths as f64 / 1000.0;
        let hundredths = (thousandths.abs() * 2 + 10) / 20 * thousandths.signum();
        prop_assert_eq!(round_half_up(x, 2), hundredths as f64 / 100.0, "{}", x);
    }

    /// Under the 19-criteria rule the total is the sum of 19 scores, at most 95, the
    /// class follows the 2016 thresholds, and the three extra criteria count; under the
    /// 16-criteria rule their volumes are ignored and reported.
    #[test]
    fn nineteen_criteria(shares in prop::collection::vec(0u32..=100, 19)) {
        let r2016 = rules_2016();
        let r2018 = rules_2018();
        let mut input = base(&r2016);
        for (c, share) in r2016.criteria().iter().zip(&shares) {
            let d = input.denominator(c.denominator);
            input.volumes.insert(c.code.clone(), d * f64::from(*share) / 100.0);
        }
        let a = assess(&r2016, &input);
        prop_assert_eq!(a.criteria.len(), 19);
        let sum: u32 = shares.iter().map(|s| exact_score(i64::from(*s), 100)).sum();
        prop_assert_eq!(a.total, sum);
        prop_assert!(a.total <= 95);
        let expected_class = match a.total {
            71.. => SlumClass::KumuhBerat,
            45..=70 => SlumClass::KumuhSedang,
            19..=44 => SlumClass::KumuhRingan,
            _ => SlumClass::TidakKumuh,
        };
        prop_assert_eq!(a.class, expected_class);
        prop_assert!(a.issues.is_empty());

        let b = assess(&r2018, &input);
        let extra: u32 = ["4d", "4e", "6c"]
            .iter()
            .map(|code| a.criterion(code).unwrap().score)
            .sum();
        prop_assert_eq!(b.total + extra, a.total);
        let unknown: Vec<&str> = b
            .issues
            .iter()
            .filter(|i| i.kind() == "unknown_criterion")
            .filter_map(|i| i.criterion())
            .collect();
        prop_assert_eq!(unknown, vec!["4d", "4e", "6c"]);
    }

    /// Each aspect average lies within its criteria's rounded percentages.
    #[test]
    fn aspect_averages_lie_within_their_criteria(shares in prop::collection::vec(0u32..=120, 16)) {
        let rules = rules_2018();
        let mut input = base(&rules);
        input.jumlah_kk = 37;
        input.panjang_jalan_ideal_m = 123.4;
        for (c, share) in rules.criteria().iter().zip(&shares) {
            let d = input.denominator(c.denominator);
            input.volumes.insert(c.code.clone(), (d * f64::from(*share)).round() / 100.0);
        }
        let a = assess(&rules, &input);
        for aspect in &a.aspects {
            let of: Vec<f64> = a
                .criteria
                .iter()
                .filter(|c| c.aspect == aspect.number)
                .map(|c| c.percent_rounded)
                .collect();
            let min = of.iter().copied().fold(f64::INFINITY, f64::min);
            let max = of.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(aspect.average_percent >= min - 0.005 && aspect.average_percent <= max + 0.005,
                "aspect {} average {} outside {:?}", aspect.number, aspect.average_percent, of);
        }
    }
}
