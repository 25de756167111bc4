//! The planner's choice, per criterion, between the surveyed and the mapped volume.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{DerivedVolumes, Sumber};

/// The planner's choice of source per criterion code (`2a`, `2b`, `4b`, `4c`, as in the
/// rule set, lower case). A criterion without a choice keeps its surveyed value.
pub type Choices = BTreeMap<String, Sumber>;

/// What [`apply`] did for one criterion; store it with the assessment so the record says
/// where each volume came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applied {
    /// Criterion code.
    pub criterion: String,
    /// The surveyed volume that was in the input before, in metres, if any.
    pub survei: Option<f64>,
    /// The volume the map gives, in metres, if it can give one.
    pub peta: Option<f64>,
    /// The source the planner chose (survei when no choice was made).
    pub chosen: Sumber,
    /// The source of the volume the assessment now holds. It differs from `chosen` only
    /// when the map was chosen but cannot give the criterion; the surveyed value (or its
    /// absence) then stays.
    pub used: Sumber,
    /// Whether the map value rests in part on illustrative (contoh) lines.
    pub peta_contoh: bool,
}

/// Puts the chosen map volumes into a map of volumes by criterion code and records, for
/// every criterion the map can give or the planner made a choice for, which value is
/// used. The map never replaces or fills a volume unless the planner chose it, so an
/// assessment stays a record of the survey unless stated otherwise.
///
/// To use with an assessment, pass its volumes: `apply(&mut input.volumes, &derived,
/// &choices)` on an [`AssessmentInput`](crate::assessment::AssessmentInput), then
/// [`assess`](crate::assessment::assess) it and store the returned [`Applied`] list with
/// the result.
///
/// # Examples
/// ```
/// use std::collections::BTreeMap;
/// use kumuh_domain::Kode;
/// use kumuh_domain::assessment::{AssessmentInput, RuleSet, assess};
/// use kumuh_domain::jaringan::{apply, DerivedVolumes, Sumber};
///
/// let mut input = AssessmentInput::new("35.19.09.2014-K01", Kode::parse("35.19.09.2014").unwrap(), 2024);
/// input.panjang_jalan_ideal_m = 400.0;
/// input.volumes = BTreeMap::from([("2b".to_owned(), 80.0)]);
/// let derived = DerivedVolumes { jalan_m: 380.0, jalan_rusak_m: 210.0, ..Default::default() };
/// let choices = BTreeMap::from([("2b".to_owned(), Sumber::Peta)]);
///
/// let applied = apply(&mut input.volumes, &derived, &choices);
/// assert_eq!(applied[0].survei, Some(80.0));
/// assert_eq!(applied[0].used, Sumber::Peta);
/// let result = assess(&RuleSet::default_rules(), &input);
/// assert_eq!(result.criterion("2b").unwrap().score, 3); // 210 m of 400 m: 52.5 %
/// ```
pub fn apply(
    volumes: &mut BTreeMap<String, f64>,
    derived: &DerivedVolumes,
    choices: &Choices,
) -> Vec<Applied> {
    let peta: BTreeMap<&str, f64> = derived.volumes().into_iter().collect();
    let codes: BTreeSet<&str> = peta
        .keys()
        .copied()
        .chain(choices.keys().map(String::as_str))
        .collect();
    codes
        .into_iter()
        .map(|code| {
            let survei = volumes.get(code).copied();
            let peta_m = peta.get(code).copied();
            let chosen = choices.get(code).copied().unwrap_or(Sumber::Survei);
            let used = match (chosen, peta_m) {
                (Sumber::Peta, Some(m)) => {
                    volumes.insert(code.to_owned(), m);
                    Sumber::Peta
                }
                _ => Sumber::Survei,
            };
            Applied {
                criterion: code.to_owned(),
                survei,
                peta: peta_m,
                chosen,
                used,
                peta_contoh: peta_m.is_some() && derived.contoh_for(code),
            }
        })
        .collect()
}
