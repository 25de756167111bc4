//! The rule set file format (TOML) as written, and its checks into a [`RuleSet`].

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::super::Error;
use super::{
    Aspect, ClassThresholds, ConsiderationRules, Criterion, Denominator, HandlingRule, Measure,
    RuleSet, ScoreBand, SlumClass,
};

/// Merges `overrides` into `base`: tables merge key by key, anything else replaces.
pub(super) fn merge(base: &mut toml::Table, overrides: toml::Table) {
    for (key, value) in overrides {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

pub(super) fn id_of(table: &toml::Table) -> String {
    table
        .get("id")
        .and_then(toml::Value::as_str)
        .unwrap_or("?")
        .to_owned()
}

// The file format, as written. Strings stay strings here so that a bad value can be
// reported with the criterion it belongs to rather than a bare serde message.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRuleSet {
    id: String,
    name: String,
    version: String,
    #[serde(default)]
    description: Option<String>,
    /// Consumed before deserializing; listed so `deny_unknown_fields` accepts it.
    #[serde(default, rename = "extends")]
    _extends: Option<String>,
    aspects: Vec<RawAspect>,
    score_bands: Vec<ScoreBand>,
    classes: ClassThresholds,
    #[serde(default)]
    considerations: ConsiderationRules,
    #[serde(default)]
    priority: Option<RawPriority>,
    #[serde(default)]
    handling: Option<BTreeMap<String, RawHandling>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAspect {
    number: u8,
    name: String,
    criteria: Vec<RawCriterion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    code: String,
    name: String,
    volume_unit: String,
    denominator: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPriority {
    ranking: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHandling {
    legal: Vec<String>,
    not_legal: Vec<String>,
}

/// The national rule's ranking of the nine priority codes.
const DEFAULT_RANKING: [&str; 9] = ["A1", "B1", "C1", "A2", "B2", "C2", "A3", "B3", "C3"];

fn default_handling() -> BTreeMap<SlumClass, HandlingRule> {
    use Measure::*;
    let not_legal = vec![PemukimanKembali, PenyelesaianStatusLahan];
    BTreeMap::from([
        (
            SlumClass::KumuhBerat,
            HandlingRule {
                legal: vec![Peremajaan, PemukimanKembali],
                not_legal: not_legal.clone(),
            },
        ),
        (
            SlumClass::KumuhSedang,
            HandlingRule {
                legal: vec![Peremajaan],
                not_legal: not_legal.clone(),
            },
        ),
        (
            SlumClass::KumuhRingan,
            HandlingRule {
                legal: vec![Pemugaran],
                not_legal,
            },
        ),
        (
            SlumClass::TidakKumuh,
            HandlingRule {
                legal: vec![Pencegahan],
                not_legal: vec![Pencegahan, PenyelesaianStatusLahan],
            },
        ),
    ])
}

impl RawRuleSet {
    pub(super) fn validate(self) -> Result<RuleSet, Error> {
        let rule_set = self.id.clone();
        let invalid = |key: &str, message: String| Error::Invalid {
            rule_set: rule_set.clone(),
            key: key.to_owned(),
            message,
        };

        if self.id.trim().is_empty() {
            return Err(invalid("id", "must not be empty".to_owned()));
        }
        if self.version.trim().is_empty() {
            return Err(invalid("version", "must not be empty".to_owned()));
        }
        if self.aspects.is_empty() {
            return Err(invalid(
                "aspects",
                "at least one aspect is needed".to_owned(),
            ));
        }

        let mut aspects = Vec::with_capacity(self.aspects.len());
        let mut criteria = Vec::new();
        let mut seen_aspects = BTreeSet::new();
        let mut seen_codes = BTreeSet::new();
        for (i, aspect) in self.aspects.into_iter().enumerate() {
            if !seen_aspects.insert(aspect.number) {
                return Err(Error::DuplicateAspect {
                    rule_set: rule_set.clone(),
                    aspect: aspect.number,
                });
            }
            if aspect.criteria.is_empty() {
                return Err(invalid(
                    &format!("aspects[{i}].criteria"),
                    format!("aspect {} has no criteria", aspect.number),
                ));
            }
            for c in aspect.criteria {
                let code_ok = !c.code.is_empty()
                    && c.code
                        .bytes()
                        .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase() || b == b'_');
                if !code_ok {
                    return Err(invalid(
                        &format!("aspects[{i}].criteria.code"),
                        format!(
                            "criterion code `{}` must be lowercase letters, digits or `_` \
                             (it names the volume column v{})",
                            c.code, c.code
                        ),
                    ));
                }
                if !seen_codes.insert(c.code.clone()) {
                    return Err(Error::DuplicateCriterion {
                        rule_set: rule_set.clone(),
                        code: c.code,
                    });
                }
                let denominator = c.denominator.parse::<Denominator>().map_err(|e| {
                    Error::UnknownDenominator {
                        rule_set: rule_set.clone(),
                        criterion: c.code.clone(),
                        value: e.value,
                    }
                })?;
                criteria.push(Criterion {
                    code: c.code,
                    aspect: aspect.number,
                    aspect_name: aspect.name.clone(),
                    name: c.name,
                    volume_unit: c.volume_unit,
                    denominator,
                });
            }
            aspects.push(Aspect {
                number: aspect.number,
                name: aspect.name,
            });
        }

        if self.score_bands.is_empty() {
            return Err(invalid(
                "score_bands",
                "at least one band is needed".to_owned(),
            ));
        }
        for (i, band) in self.score_bands.iter().enumerate() {
            if !band.min_percent.is_finite() {
                return Err(invalid(
                    &format!("score_bands[{i}].min_percent"),
                    format!("must be a finite number, found {}", band.min_percent),
                ));
            }
            if i > 0 {
                let previous = self.score_bands[i - 1];
                if band.min_percent >= previous.min_percent {
                    return Err(Error::BandsNotDescending {
                        rule_set: rule_set.clone(),
                        index: i,
                        min_percent: band.min_percent,
                        previous: previous.min_percent,
                    });
                }
                if band.score > previous.score {
                    return Err(invalid(
                        &format!("score_bands[{i}].score"),
                        format!(
                            "score {} is above the score {} of the band above it",
                            band.score, previous.score
                        ),
                    ));
                }
            }
        }

        let c = self.classes;
        if !(c.kumuh_berat_min > c.kumuh_sedang_min && c.kumuh_sedang_min > c.kumuh_ringan_min) {
            return Err(invalid(
                "classes",
                format!(
                    "thresholds must descend: kumuh_berat_min {} > kumuh_sedang_min {} > \
                     kumuh_ringan_min {}",
                    c.kumuh_berat_min, c.kumuh_sedang_min, c.kumuh_ringan_min
                ),
            ));
        }

        let k = self.considerations;
        if !(k.density_medium_above_jiwa_per_ha.is_finite()
            && k.density_high_above_jiwa_per_ha.is_finite()
            && k.density_high_above_jiwa_per_ha > k.density_medium_above_jiwa_per_ha)
        {
            return Err(invalid(
                "considerations.density_high_above_jiwa_per_ha",
                format!(
                    "must be a number above density_medium_above_jiwa_per_ha ({} is not above {})",
                    k.density_high_above_jiwa_per_ha, k.density_medium_above_jiwa_per_ha
                ),
            ));
        }
        if k.group_high_min <= k.group_medium_min {
            return Err(invalid(
                "considerations.group_high_min",
                format!(
                    "must be above group_medium_min ({} is not above {})",
                    k.group_high_min, k.group_medium_min
                ),
            ));
        }

        let priority_ranking = match self.priority {
            None => DEFAULT_RANKING.iter().map(|s| (*s).to_owned()).collect(),
            Some(p) => {
                let expected: BTreeSet<&str> = DEFAULT_RANKING.into_iter().collect();
                let given: BTreeSet<&str> = p.ranking.iter().map(String::as_str).collect();
                if given != expected || p.ranking.len() != DEFAULT_RANKING.len() {
                    return Err(invalid(
                        "priority.ranking",
                        format!(
                            "must list each of A1, A2, A3, B1, B2, B3, C1, C2, C3 exactly \
                             once, found [{}]",
                            p.ranking.join(", ")
                        ),
                    ));
                }
                p.ranking
            }
        };

        let handling = match self.handling {
            None => default_handling(),
            Some(raw) => {
                let mut handling = BTreeMap::new();
                for (key, rule) in raw {
                    let class = SlumClass::ALL
                        .into_iter()
                        .find(|c| c.as_str() == key)
                        .ok_or_else(|| {
                            invalid(
                                &format!("handling.{key}"),
                                "unknown class; expected kumuh_berat, kumuh_sedang, \
                                 kumuh_ringan or tidak_kumuh"
                                    .to_owned(),
                            )
                        })?;
                    let parse = |list: Vec<String>, which: &str| {
                        list.into_iter()
                            .map(|m| {
                                m.parse::<Measure>().map_err(|e| Error::UnknownMeasure {
                                    rule_set: rule_set.clone(),
                                    key: format!("handling.{key}.{which}"),
                                    value: e.value,
                                })
                            })
                            .collect::<Result<Vec<_>, _>>()
                    };
                    let rule = HandlingRule {
                        legal: parse(rule.legal, "legal")?,
                        not_legal: parse(rule.not_legal, "not_legal")?,
                    };
                    handling.insert(class, rule);
                }
                if let Some(missing) = SlumClass::ALL
                    .into_iter()
                    .find(|c| !handling.contains_key(c))
                {
                    return Err(invalid(
                        &format!("handling.{missing}"),
                        "missing; every class needs its handling".to_owned(),
                    ));
                }
                handling
            }
        };

        let rules = RuleSet {
            id: self.id,
            name: self.name,
            version: self.version,
            description: self.description,
            aspects,
            criteria,
            score_bands: self.score_bands,
            classes: self.classes,
            considerations: self.considerations,
            priority_ranking,
            handling,
        };
        if rules.classes.kumuh_berat_min > rules.max_total() {
            return Err(Error::Invalid {
                rule_set: rules.id.clone(),
                key: "classes.kumuh_berat_min".to_owned(),
                message: format!(
                    "{} is above the highest possible total {}",
                    rules.classes.kumuh_berat_min,
                    rules.max_total()
                ),
            });
        }
        Ok(rules)
    }
}
