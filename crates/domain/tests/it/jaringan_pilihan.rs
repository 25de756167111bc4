//! Choosing, per criterion 2a, 2b, 4b and 4c, the surveyed volume or the one derived from
//! mapped road and drain lines.

use std::collections::BTreeMap;

use kumuh_domain::jaringan::*;

fn derived() -> DerivedVolumes {
    // Roads: 300 m existing of which 120 m damaged, 50 m missing. Drains: 200 m existing
    // of which 20 m damaged, coverage not mapped.
    DerivedVolumes {
        jalan_m: 300.0,
        jalan_rusak_m: 120.0,
        jalan_tidak_ada_m: 50.0,
        coverage_mapped_jalan: true,
        drainase_m: 200.0,
        drainase_rusak_m: 20.0,
        contoh_drainase: true,
        ..DerivedVolumes::default()
    }
}

/// One expected record: criterion, survei, peta, chosen, used.
type Row<'a> = (&'a str, Option<f64>, Option<f64>, Sumber, Sumber);

fn check_apply(
    survey: &[(&str, f64)],
    choices: &[(&str, Sumber)],
    want_rows: &[Row<'_>],
    want_volumes: &[(&str, f64)],
) {
    let mut volumes: BTreeMap<String, f64> =
        survey.iter().map(|(c, v)| ((*c).to_owned(), *v)).collect();
    let choices: Choices = choices.iter().map(|(c, s)| ((*c).to_owned(), *s)).collect();
    let applied = apply(&mut volumes, &derived(), &choices);
    let rows: Vec<Row<'_>> = applied
        .iter()
        .map(|a| (a.criterion.as_str(), a.survei, a.peta, a.chosen, a.used))
        .collect();
    assert_eq!(rows, want_rows);
    let want_volumes: BTreeMap<String, f64> = want_volumes
        .iter()
        .map(|(c, v)| ((*c).to_owned(), *v))
        .collect();
    assert_eq!(volumes, want_volumes);
    for a in &applied {
        let contoh = a.peta.is_some() && (a.criterion == "4b" || a.criterion == "4c");
        assert_eq!(a.peta_contoh, contoh, "{a:?}");
    }
}

use Sumber::{Peta, Survei};

#[test]
fn without_choices_the_survey_stays_and_the_map_is_recorded() {
    check_apply(
        &[("2a", 40.0), ("2b", 100.0), ("3a", 7.0)],
        &[],
        &[
            ("2a", Some(40.0), Some(50.0), Survei, Survei),
            ("2b", Some(100.0), Some(120.0), Survei, Survei),
            ("4c", None, Some(20.0), Survei, Survei),
        ],
        &[("2a", 40.0), ("2b", 100.0), ("3a", 7.0)],
    );
}

#[test]
fn choosing_the_map_replaces_or_fills_the_volume() {
    check_apply(
        &[("2b", 100.0)],
        &[("2b", Peta), ("4c", Peta), ("2a", Survei)],
        &[
            ("2a", None, Some(50.0), Survei, Survei),
            ("2b", Some(100.0), Some(120.0), Peta, Peta),
            ("4c", None, Some(20.0), Peta, Peta),
        ],
        &[("2b", 120.0), ("4c", 20.0)],
    );
}

#[test]
fn choosing_the_map_where_it_cannot_give_a_value_keeps_the_survey() {
    check_apply(
        &[("4b", 35.0), ("1a", 3.0)],
        &[("4b", Peta), ("1a", Peta)],
        &[
            ("1a", Some(3.0), None, Peta, Survei),
            ("2a", None, Some(50.0), Survei, Survei),
            ("2b", None, Some(120.0), Survei, Survei),
            ("4b", Some(35.0), None, Peta, Survei),
            ("4c", None, Some(20.0), Survei, Survei),
        ],
        &[("1a", 3.0), ("4b", 35.0)],
    );
}
