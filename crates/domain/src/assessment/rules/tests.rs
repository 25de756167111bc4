use super::*;

/// A complete small rule set; tests replace one line of it to break it.
const SMALL: &str = r#"
id = "kecil"
name = "Small"
version = "1"
score_bands = [
  { min_percent = 76.0, score = 5 },
  { min_percent = 51.0, score = 3 },
  { min_percent = 25.0, score = 1 },
]

[[aspects]]
number = 1
name = "Bangunan"

[[aspects.criteria]]
code = "1a"
name = "Ketidakteraturan"
volume_unit = "unit"
denominator = "jumlah_bangunan"

[[aspects.criteria]]
code = "1b"
name = "Kepadatan"
volume_unit = "ha"
denominator = "luas_ha"

[[aspects]]
number = 2
name = "Jalan"

[[aspects.criteria]]
code = "2a"
name = "Cakupan"
volume_unit = "m"
denominator = "jalan_ideal_m"

[classes]
kumuh_berat_min = 12
kumuh_sedang_min = 8
kumuh_ringan_min = 3
"#;

fn check_error(from: &str, to: &str, expected: &str) {
    assert!(SMALL.contains(from), "test text lacks {from:?}");
    let text = SMALL.replacen(from, to, 1);
    let err = RuleSet::from_toml_str(&text).expect_err("should be rejected");
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        message.push_str(" | ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    assert!(
        message.contains(expected),
        "error {message:?} should contain {expected:?}"
    );
}

#[test]
fn small_rule_set_loads() {
    let rules = RuleSet::from_toml_str(SMALL).unwrap();
    assert_eq!(rules.criteria().len(), 3);
    assert_eq!(rules.max_total(), 15);
    assert_eq!(rules.criterion("1b").unwrap().aspect_name, "Bangunan");
    assert_eq!(rules.priority_rank("A1"), Some(1));
    assert_eq!(rules.priority_rank("C3"), Some(9));
    assert_eq!(
        rules.handling(SlumClass::KumuhRingan, true),
        &[Measure::Pemugaran]
    );
}

#[test]
fn bad_rule_sets_name_the_key_or_criterion() {
    check_error(
        "denominator = \"luas_ha\"",
        "denominator = \"luas_m2\"",
        "criterion 1b: unknown denominator `luas_m2`",
    );
    check_error(
        "code = \"2a\"",
        "code = \"1a\"",
        "criterion code `1a` appears more than once",
    );
    check_error(
        "min_percent = 51.0",
        "min_percent = 80.0",
        "score_bands[1]: min_percent 80 is not below",
    );
    check_error("score = 3", "score = 7", "score_bands[1].score");
    check_error(
        "kumuh_sedang_min = 8",
        "kumuh_sedang_min = 13",
        "classes: thresholds",
    );
    check_error(
        "kumuh_berat_min = 12",
        "kumuh_berat_min = 40",
        "above the highest possible total 15",
    );
    check_error(
        "number = 2",
        "number = 1",
        "aspect 1 appears more than once",
    );
    check_error("code = \"1a\"", "code = \"1 A\"", "criterion code `1 A`");
    check_error(
        "volume_unit = \"m\"",
        "volume_units = \"m\"",
        "unknown field `volume_units`",
    );
    check_error(
        "version = \"1\"",
        "version = \"\"",
        "version: must not be empty",
    );
    check_error("name = \"Small\"", "name = ", "not valid TOML");
    check_error(
        "kumuh_ringan_min = 3",
        "kumuh_ringan_min = 3\n[priority]\nranking = [\"A1\"]",
        "priority.ranking",
    );
    check_error(
        "kumuh_ringan_min = 3",
        "kumuh_ringan_min = 3\n[handling.kumuh_berat]\nlegal = [\"gusur\"]\nnot_legal = []",
        "handling.kumuh_berat.legal: unknown handling measure `gusur`",
    );
    check_error(
        "kumuh_ringan_min = 3",
        "kumuh_ringan_min = 3\n[considerations]\ngroup_high_min = 5",
        "missing field",
    );
    check_error(
        "id = \"kecil\"",
        "id = \"kecil\"\nextends = \"permen-x\"",
        "unknown built-in rule set `permen-x`",
    );
}

#[test]
fn shipped_rule_sets_have_the_published_shape() {
    let r2018 = RuleSet::builtin("permen-pupr-14-2018").unwrap();
    assert_eq!(r2018.criteria().len(), 16);
    assert_eq!(r2018.aspects().len(), 7);
    assert_eq!(r2018.max_total(), 80);
    assert_eq!(r2018.version(), "2018.1");
    let r2016 = RuleSet::builtin("permen-pupr-02-2016").unwrap();
    assert_eq!(r2016.criteria().len(), 19);
    assert_eq!(r2016.max_total(), 95);
    for (code, denominator) in [
        ("4d", Denominator::DrainaseIdealM),
        ("4e", Denominator::DrainaseIdealM),
        ("6c", Denominator::JumlahKk),
    ] {
        assert_eq!(r2016.criterion(code).unwrap().denominator, denominator);
        assert!(r2018.criterion(code).is_none());
    }
    // The 16 shared criteria keep the same codes and denominators in both.
    for c in r2018.criteria() {
        assert_eq!(r2016.criterion(&c.code).unwrap().denominator, c.denominator);
    }
    assert_eq!(r2016.class_for(71), SlumClass::KumuhBerat);
    assert_eq!(r2016.class_for(70), SlumClass::KumuhSedang);
    assert_eq!(r2016.class_for(18), SlumClass::TidakKumuh);
}

#[test]
fn a_variant_extends_a_shipped_rule_set() {
    let rules = RuleSet::from_toml_str(
        r#"
id = "kab-contoh"
name = "Contoh"
version = "3"
extends = "permen-pupr-14-2018"
score_bands = [{ min_percent = 76.0, score = 5 }, { min_percent = 51.0, score = 3 }, { min_percent = 20.0, score = 1 }]
[classes]
kumuh_ringan_min = 20
"#,
    )
    .unwrap();
    assert_eq!(rules.id(), "kab-contoh");
    assert_eq!(rules.version(), "3");
    assert_eq!(rules.criteria().len(), 16);
    assert_eq!(rules.score_for(20.0), 1);
    assert_eq!(rules.score_for(19.99), 0);
    // `classes` merged key by key: only the lowest threshold changed.
    assert_eq!(rules.class_for(60), SlumClass::KumuhBerat);
    assert_eq!(rules.class_for(19), SlumClass::TidakKumuh);
    assert_eq!(rules.class_for(20), SlumClass::KumuhRingan);
}

#[test]
fn names_round_trip() {
    for d in Denominator::ALL {
        assert_eq!(d.as_str().parse::<Denominator>(), Ok(d));
    }
    for m in Measure::ALL {
        assert_eq!(m.as_str().parse::<Measure>(), Ok(m));
    }
    let unknown = "luas".parse::<Denominator>().unwrap_err();
    assert_eq!(unknown.value, "luas");
    assert_eq!(unknown.allowed, Denominator::CODES);
}
