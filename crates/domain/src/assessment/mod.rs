//! Slum assessment (penilaian kumuh): rule sets and scoring.
//!
//! A surveyor records, for one delineated location (usually an RT), how much of it each
//! criterion affects: the *volume* (buildings, hectares, metres, households). Each
//! volume divided by its denominator gives a percentage, each percentage a score from a
//! band table, the scores a total and the total a class (kumuh berat, sedang, ringan or
//! tidak kumuh). With the other considerations (pertimbangan lain) and land legality
//! the class gives a priority (A1 … C3) and a recommended handling.
//!
//! The rule comes from Permen PUPR No. 14/PRT/M/2018 (16 criteria) and its predecessor
//! No. 02/PRT/M/2016 (19 criteria); both are [`RuleSet`]s loaded from TOML so that a
//! district's variant is a data file, not a code change. The arithmetic reproduces what
//! East Java's public baseline system (KAWANKU) publishes, including its handling of bad
//! data, and reports that bad data as [`Issue`]s beside the result.
//!
//! # Examples
//! ```
//! use std::collections::BTreeMap;
//! use kumuh_domain::Kode;
//! use kumuh_domain::assessment::{AssessmentInput, RuleSet, SlumClass, assess};
//!
//! let rules = RuleSet::default_rules();
//! let mut input = AssessmentInput::new("35.19.09.2014-K01", Kode::parse("35.19.09.2014").unwrap(), 2024);
//! input.luas_ha = 2.0;
//! input.jumlah_bangunan = 40;
//! input.jumlah_kk = 50;
//! input.panjang_jalan_ideal_m = 400.0;
//! input.panjang_drainase_ideal_m = 300.0;
//! input.volumes = BTreeMap::from([("1a".to_owned(), 10.0), ("3a".to_owned(), 50.0)]);
//! let result = assess(&rules, &input);
//! assert_eq!(result.criterion("1a").unwrap().score, 1); // 25 %
//! assert_eq!(result.criterion("3a").unwrap().score, 5); // 100 %
//! assert_eq!(result.total, 6);
//! assert_eq!(result.class, SlumClass::TidakKumuh);
//! // The 14 criteria without a volume count as 0 % and are reported.
//! assert_eq!(result.issues.len(), 14);
//! ```

mod dasar;
mod hasil;
mod round;
mod rules;
mod score;
mod scorer;
pub mod summary;

pub use dasar::{DASAR_SURVEI, Dasar, UnknownDasar};
pub use hasil::{AturanDipakai, Hasil, HasilKriteria, HasilMasalah, HasilPertimbangan};
pub use round::round_half_up;
pub use rules::{
    Aspect, ClassThresholds, ConsiderationRules, Criterion, DEFAULT_RULE_SET, Denominator,
    HandlingRule, Measure, RuleSet, ScoreBand, SlumClass,
};
pub use score::{
    AspectResult, Assessment, AssessmentInput, ConsiderationGroup, ConsiderationInput,
    ConsiderationResult, CriterionResult, CriterionScore, DensityLevel, Finding, Issue, IssueKind,
    LegalityInput, LegalityResult, Priority, PriorityScore, Scorer, Scores, Survey, assess,
};

/// Why a rule set could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No shipped rule set has this identifier.
    #[error("unknown built-in rule set `{id}`; built-in rule sets: {known}")]
    UnknownBuiltin {
        /// The identifier asked for.
        id: String,
        /// The identifiers that exist, comma-separated.
        known: String,
    },
    /// The text is not TOML, or does not have the rule set's keys.
    #[error("rule set is not valid TOML or lacks a key")]
    Toml {
        /// The parser's error, with line and column where known.
        #[source]
        source: toml::de::Error,
    },
    /// A criterion names a denominator that does not exist.
    #[error(
        "rule set `{rule_set}`: criterion {criterion}: unknown denominator `{value}`; expected \
         one of luas_ha, jumlah_bangunan, jumlah_kk, jumlah_penduduk, jalan_ideal_m, \
         drainase_ideal_m"
    )]
    UnknownDenominator {
        /// Identifier of the rule set.
        rule_set: String,
        /// Code of the criterion.
        criterion: String,
        /// The value found.
        value: String,
    },
    /// Two criteria share a code.
    #[error("rule set `{rule_set}`: criterion code `{code}` appears more than once")]
    DuplicateCriterion {
        /// Identifier of the rule set.
        rule_set: String,
        /// The repeated code.
        code: String,
    },
    /// Two aspects share a number.
    #[error("rule set `{rule_set}`: aspect {aspect} appears more than once")]
    DuplicateAspect {
        /// Identifier of the rule set.
        rule_set: String,
        /// The repeated number.
        aspect: u8,
    },
    /// The score bands are not listed from the highest threshold down.
    #[error(
        "rule set `{rule_set}`: score_bands[{index}]: min_percent {min_percent} is not below \
         the previous band's {previous}; list bands from the highest threshold down"
    )]
    BandsNotDescending {
        /// Identifier of the rule set.
        rule_set: String,
        /// Zero-based position of the offending band.
        index: usize,
        /// Its threshold.
        min_percent: f64,
        /// The threshold of the band before it.
        previous: f64,
    },
    /// A handling list names a measure that does not exist.
    #[error(
        "rule set `{rule_set}`: {key}: unknown handling measure `{value}`; expected one of \
         pemugaran, peremajaan, pemukiman_kembali, penyelesaian_status_lahan, pencegahan"
    )]
    UnknownMeasure {
        /// Identifier of the rule set.
        rule_set: String,
        /// The key holding the list, e.g. `handling.kumuh_berat.legal`.
        key: String,
        /// The value found.
        value: String,
    },
    /// Any other value that breaks the rule set's invariants.
    #[error("rule set `{rule_set}`: {key}: {message}")]
    Invalid {
        /// Identifier of the rule set.
        rule_set: String,
        /// The key at fault, e.g. `classes.kumuh_berat_min`.
        key: String,
        /// What is wrong with it.
        message: String,
    },
}
