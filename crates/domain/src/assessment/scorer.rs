//! The scorer: a rule set prepared once, scoring one survey row after another into
//! buffers it keeps (the path of `kumuh assess` over large tables).

use std::fmt;

use super::round::round_half_up;
use super::rules::{Denominator, Measure, RuleSet, SlumClass};
use super::score::*;

/// What one location is scored on, borrowed: its size and the volume of each criterion
/// by the criterion's position in the rule set. [`Scorer::score`] takes it, so that rows
/// read in bulk are scored without building an [`AssessmentInput`] each.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Survey<'a> {
    /// Luas verifikasi, in hectares.
    pub luas_ha: f64,
    /// Jumlah bangunan: number of buildings.
    pub jumlah_bangunan: u32,
    /// Jumlah penduduk, in jiwa (persons).
    pub jumlah_penduduk: u32,
    /// Jumlah KK: number of households.
    pub jumlah_kk: u32,
    /// Ideal neighbourhood road length, in metres.
    pub panjang_jalan_ideal_m: f64,
    /// Ideal drainage length, in metres.
    pub panjang_drainase_ideal_m: f64,
    /// The volume of each of the rule set's criteria, in the rule set's order; `None`
    /// where none was recorded (counted as 0 and reported). Missing entries at the end
    /// count as not recorded.
    pub volumes: &'a [Option<f64>],
    /// The other considerations, where surveyed.
    pub considerations: Option<ConsiderationInput>,
    /// Land legality, where surveyed.
    pub legality: Option<LegalityInput>,
}

impl Survey<'_> {
    /// The value of a denominator for this location.
    pub fn denominator(&self, denominator: Denominator) -> f64 {
        match denominator {
            Denominator::LuasHa => self.luas_ha,
            Denominator::JumlahBangunan => f64::from(self.jumlah_bangunan),
            Denominator::JumlahKk => f64::from(self.jumlah_kk),
            Denominator::JumlahPenduduk => f64::from(self.jumlah_penduduk),
            Denominator::JalanIdealM => self.panjang_jalan_ideal_m,
            Denominator::DrainaseIdealM => self.panjang_drainase_ideal_m,
        }
    }
}

/// The result of one criterion in [`Scores`]: a [`CriterionResult`] without what the
/// rule set already says (code, aspect, denominator).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CriterionScore {
    /// The volume recorded; `None` when missing (counted as 0).
    pub volume: Option<f64>,
    /// The denominator's value for this location.
    pub denominator_value: f64,
    /// Volume / denominator × 100, unrounded; 0 when the denominator is 0.
    pub percent: f64,
    /// The percentage rounded half-up to two decimals, as published.
    pub percent_rounded: f64,
    /// Score from the band table, chosen on the unrounded percentage.
    pub score: u32,
}

/// An [`Issue`] that names its criterion by position in the rule set, so that finding
/// it allocates nothing; [`Scorer::issue`] gives the [`Issue`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Finding {
    /// [`Issue::MissingVolume`] of the criterion at this position.
    MissingVolume(usize),
    /// [`Issue::NegativeVolume`]: the criterion's position and the volume.
    NegativeVolume(usize, f64),
    /// [`Issue::NotFinite`] of the criterion at this position.
    NotFinite(usize),
    /// [`Issue::ZeroDenominator`] of the criterion at this position.
    ZeroDenominator(usize),
    /// [`Issue::NegativeDenominator`]: the criterion's position and the denominator's value.
    NegativeDenominator(usize, f64),
    /// [`Issue::OverHundred`]: the criterion's position and the unrounded percentage.
    OverHundred(usize, f64),
    /// [`Issue::DensityUnknown`].
    DensityUnknown,
}

/// The priority in [`Scores`]: the class letter and the considerations digit of its
/// code (`A1`), and its rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorityScore {
    /// The class letter, `A`, `B` or `C`.
    pub letter: char,
    /// The considerations group's digit, 1 to 3.
    pub digit: u8,
    /// Place in the rule set's ranking, 1 = most urgent.
    pub rank: Option<u32>,
}

/// The scores of one location as [`Scorer::score`] fills them: an [`Assessment`]
/// without the location's identity and the rule set's names, its lists indexed like the
/// rule set's criteria and aspects. Kept and filled again row after row, it allocates
/// nothing once it has grown to the rule set's size.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// One result per criterion, in the rule set's order.
    pub criteria: Vec<CriterionScore>,
    /// The average percentage of each aspect, in the rule set's order.
    pub aspects: Vec<f64>,
    /// Sum of the criterion scores.
    pub total: u32,
    /// The class of the total.
    pub class: SlumClass,
    /// Scored considerations, when given.
    pub considerations: Option<ConsiderationResult>,
    /// Land legality, when given.
    pub legality: Option<LegalityResult>,
    /// Priority, for a slum class with considerations.
    pub priority: Option<PriorityScore>,
    /// Data problems the computation went past, in the order [`Assessment::issues`]
    /// lists them.
    pub findings: Vec<Finding>,
    sums: Vec<f64>,
    counts: Vec<u32>,
}

impl Default for Scores {
    fn default() -> Self {
        Scores {
            criteria: Vec::new(),
            aspects: Vec::new(),
            total: 0,
            class: SlumClass::TidakKumuh,
            considerations: None,
            legality: None,
            priority: None,
            findings: Vec::new(),
            sums: Vec::new(),
            counts: Vec::new(),
        }
    }
}

/// A rule set prepared for scoring many locations: [`Scorer::score`] computes what
/// [`assess`] does, into a [`Scores`] that the caller keeps from one location to the
/// next.
///
/// # Examples
/// ```
/// use kumuh_domain::assessment::{RuleSet, Scorer, Scores, Survey};
/// let rules = RuleSet::default_rules();
/// let scorer = Scorer::new(&rules);
/// let mut volumes = vec![Some(0.0); rules.criteria().len()];
/// volumes[5] = Some(5.0); // 3a, per household
/// let survey = Survey {
///     luas_ha: 1.0,
///     jumlah_bangunan: 10,
///     jumlah_penduduk: 600,
///     jumlah_kk: 160,
///     panjang_jalan_ideal_m: 100.0,
///     panjang_drainase_ideal_m: 100.0,
///     volumes: &volumes,
///     considerations: None,
///     legality: None,
/// };
/// let mut scores = Scores::default();
/// scorer.score(&survey, &mut scores);
/// assert_eq!(rules.criteria()[5].code, "3a");
/// assert_eq!(scores.criteria[5].percent_rounded, 3.13);
/// ```
#[derive(Debug, Clone)]
pub struct Scorer<'r> {
    rules: &'r RuleSet,
    /// For each criterion, the aspect slot its rounded percentage is averaged in.
    criterion_slot: Vec<Option<usize>>,
    /// For each aspect, its slot: the first aspect with its number.
    aspect_slot: Vec<usize>,
    max_total: u32,
}

impl<'r> Scorer<'r> {
    /// Prepares `rules` for scoring.
    pub fn new(rules: &'r RuleSet) -> Self {
        let aspects = rules.aspects();
        let slot_of = |number: u8| aspects.iter().position(|a| a.number == number);
        Scorer {
            rules,
            criterion_slot: rules.criteria().iter().map(|c| slot_of(c.aspect)).collect(),
            aspect_slot: aspects
                .iter()
                .enumerate()
                .map(|(i, a)| slot_of(a.number).unwrap_or(i))
                .collect(),
            max_total: rules.max_total(),
        }
    }

    /// The rule set.
    pub fn rules(&self) -> &'r RuleSet {
        self.rules
    }

    /// The highest total the rule set allows.
    pub fn max_total(&self) -> u32 {
        self.max_total
    }

    /// Scores one location into `scores`, replacing what it held.
    pub fn score(&self, survey: &Survey<'_>, scores: &mut Scores) {
        let rules = self.rules;
        scores.criteria.clear();
        scores.findings.clear();
        let slots = self.aspect_slot.len();
        scores.aspects.clear();
        scores.aspects.resize(slots, 0.0);
        // Sums and counts per aspect slot, added in the criteria's order as they always
        // were (the order of a floating-point sum decides its last bit).
        scores.sums.clear();
        scores.sums.resize(slots, 0.0);
        scores.counts.clear();
        scores.counts.resize(slots, 0);
        let mut total = 0u32;
        for (i, criterion) in rules.criteria().iter().enumerate() {
            let volume = survey.volumes.get(i).copied().flatten();
            let denominator_value = survey.denominator(criterion.denominator);
            let v = match volume {
                None => {
                    scores.findings.push(Finding::MissingVolume(i));
                    0.0
                }
                Some(v) if !v.is_finite() => {
                    scores.findings.push(Finding::NotFinite(i));
                    0.0
                }
                Some(v) => {
                    if v < 0.0 {
                        scores.findings.push(Finding::NegativeVolume(i, v));
                    }
                    v
                }
            };
            let percent = if !denominator_value.is_finite() {
                scores.findings.push(Finding::NotFinite(i));
                0.0
            } else if denominator_value == 0.0 {
                scores.findings.push(Finding::ZeroDenominator(i));
                0.0
            } else {
                if denominator_value < 0.0 {
                    scores
                        .findings
                        .push(Finding::NegativeDenominator(i, denominator_value));
                }
                // Multiplying first keeps whole-number volumes exact, so 19 of 25 is
                // exactly 76.
                v * 100.0 / denominator_value
            };
            if percent > 100.0 + OVER_HUNDRED_TOLERANCE {
                scores.findings.push(Finding::OverHundred(i, percent));
            }
            let percent_rounded = round_half_up(percent, 2);
            let score = rules.score_for(percent);
            // Wrapping, as the sum of the scores always was in a release build.
            total = total.wrapping_add(score);
            if let Some(slot) = self.criterion_slot.get(i).copied().flatten() {
                scores.sums[slot] += percent_rounded;
                scores.counts[slot] += 1;
            }
            scores.criteria.push(CriterionScore {
                volume,
                denominator_value,
                percent,
                percent_rounded,
                score,
            });
        }
        scores.total = total;
        for (j, &slot) in self.aspect_slot.iter().enumerate() {
            let n = scores.counts[slot];
            let mean = if n == 0 {
                0.0
            } else {
                scores.sums[slot] / f64::from(n)
            };
            scores.aspects[j] = round_half_up(mean, 2);
        }
        let class = rules.class_for(total);
        scores.class = class;
        scores.considerations = survey
            .considerations
            .and_then(|c| score_considerations(rules, survey, c, &mut scores.findings));
        scores.legality = survey.legality.map(|l| LegalityResult {
            legalitas_kepemilikan: l.legalitas_kepemilikan,
            kesesuaian_tata_ruang: l.kesesuaian_tata_ruang,
            legal: l.legalitas_kepemilikan && l.kesesuaian_tata_ruang,
        });
        scores.priority = match (class.priority_letter(), &scores.considerations) {
            (Some(letter), Some(c)) => {
                let digit = c.group.digit();
                // The code (`A1`) on the stack: a letter and a digit.
                let mut code = [0u8; 8];
                let len = letter.encode_utf8(&mut code).len();
                code[len] = b'0' + digit;
                let rank = std::str::from_utf8(&code[..=len])
                    .ok()
                    .and_then(|code| rules.priority_rank(code));
                Some(PriorityScore {
                    letter,
                    digit,
                    rank,
                })
            }
            _ => None,
        };
    }

    /// The measures recommended for a location as scored, when its legality is known.
    pub fn handling(&self, scores: &Scores) -> Option<&'r [Measure]> {
        scores
            .legality
            .map(|l| self.rules.handling(scores.class, l.legal))
    }

    /// The text of a finding: what its [`Issue`] displays.
    pub fn describe<'a>(&'a self, finding: &'a Finding) -> impl fmt::Display + 'a {
        let criteria = self.rules.criteria();
        let code = |i: usize| criteria.get(i).map_or("", |c| c.code.as_str());
        let denominator = |i: usize| {
            criteria
                .get(i)
                .map_or(Denominator::LuasHa, |c| c.denominator)
        };
        match *finding {
            Finding::MissingVolume(i) => IssueText::MissingVolume(code(i)),
            Finding::NegativeVolume(i, volume) => IssueText::NegativeVolume(code(i), volume),
            Finding::NotFinite(i) => IssueText::NotFinite(code(i)),
            Finding::ZeroDenominator(i) => IssueText::ZeroDenominator(code(i), denominator(i)),
            Finding::NegativeDenominator(i, value) => {
                IssueText::NegativeDenominator(code(i), denominator(i), value)
            }
            Finding::OverHundred(i, percent) => IssueText::OverHundred(code(i), percent),
            Finding::DensityUnknown => IssueText::DensityUnknown,
        }
    }

    /// The [`Issue`] of a finding.
    pub fn issue(&self, finding: &Finding) -> Issue {
        let criteria = self.rules.criteria();
        let code = |i: usize| criteria.get(i).map(|c| c.code.clone()).unwrap_or_default();
        let denominator = |i: usize| {
            criteria
                .get(i)
                .map_or(Denominator::LuasHa, |c| c.denominator)
        };
        match *finding {
            Finding::MissingVolume(i) => Issue::MissingVolume { criterion: code(i) },
            Finding::NegativeVolume(i, volume) => Issue::NegativeVolume {
                criterion: code(i),
                volume,
            },
            Finding::NotFinite(i) => Issue::NotFinite { criterion: code(i) },
            Finding::ZeroDenominator(i) => Issue::ZeroDenominator {
                criterion: code(i),
                denominator: denominator(i),
            },
            Finding::NegativeDenominator(i, value) => Issue::NegativeDenominator {
                criterion: code(i),
                denominator: denominator(i),
                value,
            },
            Finding::OverHundred(i, percent) => Issue::OverHundred {
                criterion: code(i),
                percent,
            },
            Finding::DensityUnknown => Issue::DensityUnknown,
        }
    }
}
