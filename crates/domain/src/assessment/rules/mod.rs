//! Rule sets: the criteria, bands, class thresholds and priority rules of one version of
//! the national slum rule (or a district's variant of it), kept as data.
//!
//! Two rule sets ship with Kumuh, embedded from `data/rules/`:
//! [`RuleSet::builtin`]`("permen-pupr-14-2018")` (the default, 16 criteria, maximum 80)
//! and `"permen-pupr-02-2016"` (19 criteria, maximum 95). A district writes its own as a
//! TOML file and loads it with [`RuleSet::from_toml_str`]; `docs/assessment.md` describes
//! the format.

mod codes;
mod file;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Error;
pub use codes::{Denominator, Measure, SlumClass};
use file::{RawRuleSet, id_of, merge};

/// Identifier of the rule set used when none is named.
pub const DEFAULT_RULE_SET: &str = "permen-pupr-14-2018";

/// The rule sets shipped with Kumuh: identifier and TOML text.
const BUILTIN: [(&str, &str); 2] = [
    (
        "permen-pupr-14-2018",
        include_str!("../../../../../data/rules/permen-pupr-14-2018.toml"),
    ),
    (
        "permen-pupr-02-2016",
        include_str!("../../../../../data/rules/permen-pupr-02-2016.toml"),
    ),
];

/// One criterion (kriteria) of the rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    /// Code such as `1a`; the survey table's volume column is `v` + code.
    pub code: String,
    /// Number of the aspect the criterion belongs to (1 bangunan gedung … 7 proteksi
    /// kebakaran in the national rule).
    pub aspect: u8,
    /// Name of that aspect.
    pub aspect_name: String,
    /// Name of the criterion, in Bahasa Indonesia.
    pub name: String,
    /// Unit the surveyor records the volume in: `unit`, `ha`, `m`, `KK`, `jiwa`.
    pub volume_unit: String,
    /// What the volume is divided by.
    pub denominator: Denominator,
}

/// One aspect (aspek) of the rule: a group of criteria with an average shown beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Aspect {
    /// Number of the aspect, e.g. 4.
    pub number: u8,
    /// Name, e.g. `Kondisi drainase lingkungan`.
    pub name: String,
}

/// A score band: percentages at or above `min_percent` (and below the band above) score
/// `score`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreBand {
    /// Lowest percentage of the band, compared with the unrounded percentage.
    pub min_percent: f64,
    /// Score of the band.
    pub score: u32,
}

/// Lowest total of each slum class; a total below `kumuh_ringan_min` is not a slum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassThresholds {
    /// Lowest total of kumuh berat (60 in the 2018 rule).
    pub kumuh_berat_min: u32,
    /// Lowest total of kumuh sedang (38).
    pub kumuh_sedang_min: u32,
    /// Lowest total of kumuh ringan (16).
    pub kumuh_ringan_min: u32,
}

/// Scoring of the other considerations (pertimbangan lain) that, with the class, set a
/// location's priority.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsiderationRules {
    /// Score of a strategic location (nilai strategis lokasi).
    pub strategic_yes: u32,
    /// Score of a location that is not strategic.
    pub strategic_no: u32,
    /// Population density above which density is medium, in jiwa/ha.
    pub density_medium_above_jiwa_per_ha: f64,
    /// Population density above which density is high, in jiwa/ha.
    pub density_high_above_jiwa_per_ha: f64,
    /// Score of a low density.
    pub density_low: u32,
    /// Score of a medium density.
    pub density_medium: u32,
    /// Score of a high density.
    pub density_high: u32,
    /// Score where social, economic or cultural potential is present.
    pub potential_yes: u32,
    /// Score where it is not.
    pub potential_no: u32,
    /// Lowest sum of the three scores that counts as high (group 1).
    pub group_high_min: u32,
    /// Lowest sum that counts as medium (group 2); lower sums are low (group 3).
    pub group_medium_min: u32,
}

impl Default for ConsiderationRules {
    /// The national rule's values.
    fn default() -> Self {
        ConsiderationRules {
            strategic_yes: 5,
            strategic_no: 1,
            density_medium_above_jiwa_per_ha: 150.0,
            density_high_above_jiwa_per_ha: 200.0,
            density_low: 1,
            density_medium: 3,
            density_high: 5,
            potential_yes: 5,
            potential_no: 1,
            group_high_min: 11,
            group_medium_min: 6,
        }
    }
}

/// Measures recommended for one class, by land legality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandlingRule {
    /// Where land tenure is clear and the use fits the spatial plan.
    pub legal: Vec<Measure>,
    /// Where it is not.
    pub not_legal: Vec<Measure>,
}

/// A validated rule set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleSet {
    id: String,
    name: String,
    version: String,
    description: Option<String>,
    aspects: Vec<Aspect>,
    criteria: Vec<Criterion>,
    score_bands: Vec<ScoreBand>,
    classes: ClassThresholds,
    considerations: ConsiderationRules,
    priority_ranking: Vec<String>,
    handling: BTreeMap<SlumClass, HandlingRule>,
}

/// Tolerance when comparing a percentage with a band threshold.
///
/// A percentage that is exactly a threshold on paper can come out a hair below it in
/// binary: 0.57 ha of 0.75 ha is 76 % but computes as 75.99999999999999. Real
/// percentages never differ from a threshold by less than this, so the tolerance only
/// absorbs that noise.
const BAND_TOLERANCE: f64 = 1e-9;

impl RuleSet {
    /// Identifiers of the rule sets shipped with Kumuh.
    pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(id, _)| *id)
    }

    /// The TOML text of a rule set shipped with Kumuh.
    pub fn builtin_toml(id: &str) -> Option<&'static str> {
        BUILTIN
            .iter()
            .find(|(known, _)| *known == id)
            .map(|(_, text)| *text)
    }

    /// A rule set shipped with Kumuh, by identifier.
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::assessment::RuleSet;
    /// let rules = RuleSet::builtin("permen-pupr-14-2018").unwrap();
    /// assert_eq!(rules.criteria().len(), 16);
    /// assert_eq!(rules.max_total(), 80);
    /// assert!(RuleSet::builtin("permen-pupr-99-2099").is_err());
    /// ```
    pub fn builtin(id: &str) -> Result<RuleSet, Error> {
        let text = RuleSet::builtin_toml(id).ok_or_else(|| Error::UnknownBuiltin {
            id: id.to_owned(),
            known: RuleSet::builtin_ids().collect::<Vec<_>>().join(", "),
        })?;
        RuleSet::from_toml_str(text)
    }

    /// The default rule set, Permen PUPR 14/2018.
    ///
    /// # Panics
    /// Never in a released build: the file is embedded at compile time and loading it is
    /// checked by this crate's tests.
    pub fn default_rules() -> RuleSet {
        RuleSet::builtin(DEFAULT_RULE_SET).expect("the embedded default rule set is valid")
    }

    /// Parses and validates a rule set from TOML text.
    ///
    /// A file may start from a shipped rule set with `extends = "<id>"` and then give only
    /// what differs: top-level keys and tables replace or merge into the base, arrays
    /// (criteria, bands, ranking) replace it whole. Errors name the key and, for criteria,
    /// the criterion code.
    ///
    /// # Examples
    /// A district that scores the lowest band from 20 % instead of 25 %:
    /// ```
    /// use kumuh_domain::assessment::RuleSet;
    /// let rules = RuleSet::from_toml_str(r#"
    ///     id = "kab-contoh-2024"
    ///     name = "Permen PUPR 14/2018, pita terendah 20 %"
    ///     version = "2024.1"
    ///     extends = "permen-pupr-14-2018"
    ///     score_bands = [
    ///       { min_percent = 76.0, score = 5 },
    ///       { min_percent = 51.0, score = 3 },
    ///       { min_percent = 20.0, score = 1 },
    ///     ]
    /// "#).unwrap();
    /// assert_eq!(rules.score_for(22.0), 1);
    /// assert_eq!(rules.criteria().len(), 16);
    /// ```
    pub fn from_toml_str(text: &str) -> Result<RuleSet, Error> {
        let table: toml::Table = toml::from_str(text).map_err(|source| Error::Toml { source })?;
        let raw: RawRuleSet = match table.get("extends") {
            None => toml::from_str(text).map_err(|source| Error::Toml { source })?,
            Some(toml::Value::String(base_id)) => {
                let base_text =
                    RuleSet::builtin_toml(base_id).ok_or_else(|| Error::UnknownBuiltin {
                        id: base_id.clone(),
                        known: RuleSet::builtin_ids().collect::<Vec<_>>().join(", "),
                    })?;
                let mut base: toml::Table =
                    toml::from_str(base_text).map_err(|source| Error::Toml { source })?;
                let mut overrides = table.clone();
                overrides.remove("extends");
                merge(&mut base, overrides);
                base.try_into().map_err(|source| Error::Toml { source })?
            }
            Some(other) => {
                return Err(Error::Invalid {
                    rule_set: id_of(&table),
                    key: "extends".to_owned(),
                    message: format!(
                        "expected the identifier of a built-in rule set, found {}",
                        other.type_str()
                    ),
                });
            }
        };
        raw.validate()
    }

    /// Identifier, e.g. `permen-pupr-14-2018`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Name for people.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Version of the rule set file, recorded with every result.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Optional description.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The aspects, in order.
    pub fn aspects(&self) -> &[Aspect] {
        &self.aspects
    }

    /// The criteria, in order (grouped by aspect).
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// A criterion by code.
    pub fn criterion(&self, code: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.code == code)
    }

    /// The score bands, highest threshold first.
    pub fn score_bands(&self) -> &[ScoreBand] {
        &self.score_bands
    }

    /// The class thresholds.
    pub fn class_thresholds(&self) -> ClassThresholds {
        self.classes
    }

    /// The scoring of the other considerations.
    pub fn considerations(&self) -> &ConsiderationRules {
        &self.considerations
    }

    /// Priority codes from most to least urgent, e.g. `A1, B1, C1, A2, …`.
    pub fn priority_ranking(&self) -> &[String] {
        &self.priority_ranking
    }

    /// The highest possible total: number of criteria × highest band score.
    pub fn max_total(&self) -> u32 {
        let top = self.score_bands.first().map_or(0, |b| b.score);
        u32::try_from(self.criteria.len())
            .unwrap_or(u32::MAX)
            .saturating_mul(top)
    }

    /// The score of an unrounded percentage.
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::assessment::RuleSet;
    /// let rules = RuleSet::default_rules();
    /// assert_eq!(rules.score_for(24.99), 0);
    /// assert_eq!(rules.score_for(25.0), 1);
    /// assert_eq!(rules.score_for(50.91), 1); // between 50 and 51: the lower band
    /// assert_eq!(rules.score_for(75.91), 3);
    /// assert_eq!(rules.score_for(76.0), 5);
    /// assert_eq!(rules.score_for(130.0), 5);
    /// assert_eq!(rules.score_for(-10.0), 0);
    /// ```
    pub fn score_for(&self, percent: f64) -> u32 {
        self.score_bands
            .iter()
            .find(|band| percent + BAND_TOLERANCE >= band.min_percent)
            .map_or(0, |band| band.score)
    }

    /// The class of a total score.
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::assessment::{RuleSet, SlumClass};
    /// let rules = RuleSet::default_rules();
    /// assert_eq!(rules.class_for(60), SlumClass::KumuhBerat);
    /// assert_eq!(rules.class_for(59), SlumClass::KumuhSedang);
    /// assert_eq!(rules.class_for(16), SlumClass::KumuhRingan);
    /// assert_eq!(rules.class_for(15), SlumClass::TidakKumuh);
    /// ```
    pub fn class_for(&self, total: u32) -> SlumClass {
        let c = self.classes;
        if total >= c.kumuh_berat_min {
            SlumClass::KumuhBerat
        } else if total >= c.kumuh_sedang_min {
            SlumClass::KumuhSedang
        } else if total >= c.kumuh_ringan_min {
            SlumClass::KumuhRingan
        } else {
            SlumClass::TidakKumuh
        }
    }

    /// The measures recommended for a class and land legality.
    pub fn handling(&self, class: SlumClass, legal: bool) -> &[Measure] {
        self.handling.get(&class).map_or(&[], |rule| {
            if legal {
                rule.legal.as_slice()
            } else {
                rule.not_legal.as_slice()
            }
        })
    }

    /// The rank (1 = most urgent) of a priority code such as `B1`.
    pub fn priority_rank(&self, code: &str) -> Option<u32> {
        self.priority_ranking
            .iter()
            .position(|c| c == code)
            .and_then(|i| u32::try_from(i + 1).ok())
    }
}
