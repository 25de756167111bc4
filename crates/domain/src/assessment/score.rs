//! Scoring one location against a rule set.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::round::round_half_up;
use super::rules::{Denominator, Measure, RuleSet, SlumClass};
pub use super::scorer::{CriterionScore, Finding, PriorityScore, Scorer, Scores, Survey};
use crate::place::Kode;

/// Percentages a hair above 100 from binary noise (0.3 ha of 0.3 ha) are not reported.
pub(super) const OVER_HUNDRED_TOLERANCE: f64 = 1e-9;

/// The survey record of one location: its size and the volume of each criterion.
///
/// Stored beside each result (as `masukan`), so a later evaluation can start from the
/// same survey and change only what a finished work improved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentInput {
    /// The location's own code, unique in the atlas (e.g. `35.19.09.2014-K01`).
    pub kode_lokasi: String,
    /// Name of the location, e.g. `Wungu RT 003 RW 001`.
    pub nama_lokasi: String,
    /// Kemendagri code of the desa/kelurahan (village) the location lies in.
    pub kode_desa: Kode,
    /// Year of the survey.
    pub tahun: u16,
    /// Luas verifikasi: verified area of the location, in hectares.
    pub luas_ha: f64,
    /// Jumlah bangunan: number of buildings.
    pub jumlah_bangunan: u32,
    /// Jumlah penduduk: population, in jiwa (persons).
    pub jumlah_penduduk: u32,
    /// Jumlah KK: number of households (kepala keluarga).
    pub jumlah_kk: u32,
    /// Panjang jalan lingkungan ideal: ideal neighbourhood road length, in metres.
    pub panjang_jalan_ideal_m: f64,
    /// Panjang drainase lingkungan ideal: ideal drainage length, in metres.
    pub panjang_drainase_ideal_m: f64,
    /// Volume of each criterion by code (`1a` …), in the criterion's volume unit. A
    /// criterion without a volume counts as 0 and is reported as an [`Issue`].
    pub volumes: BTreeMap<String, f64>,
    /// The other considerations, where surveyed.
    pub considerations: Option<ConsiderationInput>,
    /// Land legality, where surveyed.
    pub legality: Option<LegalityInput>,
}

impl AssessmentInput {
    /// An input with the identity filled in and every measure zero.
    pub fn new(kode_lokasi: impl Into<String>, kode_desa: Kode, tahun: u16) -> Self {
        AssessmentInput {
            kode_lokasi: kode_lokasi.into(),
            nama_lokasi: String::new(),
            kode_desa,
            tahun,
            luas_ha: 0.0,
            jumlah_bangunan: 0,
            jumlah_penduduk: 0,
            jumlah_kk: 0,
            panjang_jalan_ideal_m: 0.0,
            panjang_drainase_ideal_m: 0.0,
            volumes: BTreeMap::new(),
            considerations: None,
            legality: None,
        }
    }

    /// What [`Scorer::score`] scores of this input, with the volumes given by criterion
    /// position.
    pub fn survey<'a>(&self, volumes: &'a [Option<f64>]) -> Survey<'a> {
        Survey {
            luas_ha: self.luas_ha,
            jumlah_bangunan: self.jumlah_bangunan,
            jumlah_penduduk: self.jumlah_penduduk,
            jumlah_kk: self.jumlah_kk,
            panjang_jalan_ideal_m: self.panjang_jalan_ideal_m,
            panjang_drainase_ideal_m: self.panjang_drainase_ideal_m,
            volumes,
            considerations: self.considerations,
            legality: self.legality,
        }
    }

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

/// The other considerations (pertimbangan lain) of a location.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ConsiderationInput {
    /// Nilai strategis lokasi: the location matters to the town's development.
    pub nilai_strategis: bool,
    /// Population density in jiwa/ha; when absent it is jumlah penduduk / luas.
    pub kepadatan_jiwa_per_ha: Option<f64>,
    /// Potensi sosial, ekonomi, budaya: local social, economic or cultural potential.
    pub potensi_sosial_ekonomi: bool,
}

/// Land legality (legalitas lahan) of a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalityInput {
    /// Kejelasan status penguasaan lahan: land tenure is clear.
    pub legalitas_kepemilikan: bool,
    /// Kesesuaian dengan rencana tata ruang: the use fits the spatial plan.
    pub kesesuaian_tata_ruang: bool,
}

/// The result of one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    /// Criterion code, e.g. `4a`.
    pub code: String,
    /// Number of its aspect.
    pub aspect: u8,
    /// The volume recorded; `None` when missing (counted as 0).
    pub volume: Option<f64>,
    /// What the volume was divided by.
    pub denominator: Denominator,
    /// The denominator's value for this location.
    pub denominator_value: f64,
    /// Volume / denominator × 100, unrounded; 0 when the denominator is 0.
    pub percent: f64,
    /// The percentage rounded half-up to two decimals, as published.
    pub percent_rounded: f64,
    /// Score from the band table, chosen on the unrounded percentage.
    pub score: u32,
}

/// The average of one aspect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AspectResult {
    /// Aspect number.
    pub number: u8,
    /// Aspect name.
    pub name: String,
    /// Mean of the aspect's rounded criterion percentages, rounded half-up to two
    /// decimals.
    pub average_percent: f64,
}

define_code! {
    /// Population density band.
    pub enum DensityLevel {
        /// Rendah (low).
        Rendah = "rendah",
        /// Sedang (medium).
        Sedang = "sedang",
        /// Tinggi (high).
        Tinggi = "tinggi",
    }
}

define_code! {
    /// The kind of an [`Issue`], as its code (the `kind` of its JSON).
    pub enum IssueKind {
        /// [`Issue::MissingVolume`].
        MissingVolume = "missing_volume",
        /// [`Issue::NegativeVolume`].
        NegativeVolume = "negative_volume",
        /// [`Issue::NotFinite`].
        NotFinite = "not_finite",
        /// [`Issue::ZeroDenominator`].
        ZeroDenominator = "zero_denominator",
        /// [`Issue::NegativeDenominator`].
        NegativeDenominator = "negative_denominator",
        /// [`Issue::OverHundred`].
        OverHundred = "over_hundred",
        /// [`Issue::UnknownCriterion`].
        UnknownCriterion = "unknown_criterion",
        /// [`Issue::DensityUnknown`].
        DensityUnknown = "density_unknown",
    }
}

define_code! {
    /// Group of the considerations total: 1 high, 2 medium, 3 low.
    pub enum ConsiderationGroup {
        /// Tinggi (high), priority digit 1.
        Tinggi = "tinggi",
        /// Sedang (medium), priority digit 2.
        Sedang = "sedang",
        /// Rendah (low), priority digit 3.
        Rendah = "rendah",
    }
}

impl ConsiderationGroup {
    /// The digit of the priority code.
    pub fn digit(self) -> u8 {
        match self {
            ConsiderationGroup::Tinggi => 1,
            ConsiderationGroup::Sedang => 2,
            ConsiderationGroup::Rendah => 3,
        }
    }

    /// The group of a priority digit (1, 2 or 3).
    pub fn from_digit(digit: u8) -> Option<Self> {
        ConsiderationGroup::ALL
            .into_iter()
            .find(|g| g.digit() == digit)
    }
}

/// The scored considerations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsiderationResult {
    /// Score of the strategic value.
    pub strategic_score: u32,
    /// Population density used, in jiwa/ha.
    pub density_jiwa_per_ha: f64,
    /// Its band.
    pub density_level: DensityLevel,
    /// Its score.
    pub density_score: u32,
    /// Score of the social, economic and cultural potential.
    pub potential_score: u32,
    /// Sum of the three scores.
    pub total: u32,
    /// Group of the sum.
    pub group: ConsiderationGroup,
}

/// Land legality as assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalityResult {
    /// Land tenure is clear.
    pub legalitas_kepemilikan: bool,
    /// The use fits the spatial plan.
    pub kesesuaian_tata_ruang: bool,
    /// Legal: both hold.
    pub legal: bool,
}

/// Priority of a slum location: class letter and considerations digit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priority {
    /// Code such as `A1` (heavy slum, high considerations).
    pub code: String,
    /// Place in the rule set's ranking, 1 = most urgent.
    pub rank: Option<u32>,
    /// Land legality, where known: each code is split legal / not legal.
    pub legal: Option<bool>,
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.legal {
            None => f.write_str(&self.code),
            Some(true) => write!(f, "{} legal", self.code),
            Some(false) => write!(f, "{} tidak legal", self.code),
        }
    }
}

/// Something wrong with the data that the computation went past, computing what the
/// published system computes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Issue {
    /// No volume was recorded; it counts as 0.
    MissingVolume {
        /// Criterion code.
        criterion: String,
    },
    /// A negative volume: the percentage is negative and scores 0.
    NegativeVolume {
        /// Criterion code.
        criterion: String,
        /// The volume.
        volume: f64,
    },
    /// The volume or denominator is not a finite number; it counts as 0.
    NotFinite {
        /// Criterion code.
        criterion: String,
    },
    /// The denominator is 0: the percentage is 0 % whatever the volume.
    ZeroDenominator {
        /// Criterion code.
        criterion: String,
        /// Which denominator.
        denominator: Denominator,
    },
    /// The denominator is negative.
    NegativeDenominator {
        /// Criterion code.
        criterion: String,
        /// Which denominator.
        denominator: Denominator,
        /// Its value.
        value: f64,
    },
    /// The volume exceeds its denominator: the percentage is over 100 and scores the top
    /// band, uncapped.
    OverHundred {
        /// Criterion code.
        criterion: String,
        /// The unrounded percentage.
        percent: f64,
    },
    /// A volume for a criterion the rule set does not have; ignored.
    UnknownCriterion {
        /// The code given.
        code: String,
    },
    /// Considerations were given but density could not be known (no density and no
    /// area); they were not scored.
    DensityUnknown,
}

impl Issue {
    /// A stable identifier of the kind of issue, e.g. `zero_denominator`.
    pub fn kind(&self) -> &'static str {
        self.kind_code().as_str()
    }

    /// The kind of issue, typed.
    pub fn kind_code(&self) -> IssueKind {
        match self {
            Issue::MissingVolume { .. } => IssueKind::MissingVolume,
            Issue::NegativeVolume { .. } => IssueKind::NegativeVolume,
            Issue::NotFinite { .. } => IssueKind::NotFinite,
            Issue::ZeroDenominator { .. } => IssueKind::ZeroDenominator,
            Issue::NegativeDenominator { .. } => IssueKind::NegativeDenominator,
            Issue::OverHundred { .. } => IssueKind::OverHundred,
            Issue::UnknownCriterion { .. } => IssueKind::UnknownCriterion,
            Issue::DensityUnknown => IssueKind::DensityUnknown,
        }
    }

    /// The criterion the issue is about, if any.
    pub fn criterion(&self) -> Option<&str> {
        match self {
            Issue::MissingVolume { criterion }
            | Issue::NegativeVolume { criterion, .. }
            | Issue::NotFinite { criterion }
            | Issue::ZeroDenominator { criterion, .. }
            | Issue::NegativeDenominator { criterion, .. }
            | Issue::OverHundred { criterion, .. } => Some(criterion),
            Issue::UnknownCriterion { code } => Some(code),
            Issue::DensityUnknown => None,
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Issue::MissingVolume { criterion } => IssueText::MissingVolume(criterion),
            Issue::NegativeVolume { criterion, volume } => {
                IssueText::NegativeVolume(criterion, *volume)
            }
            Issue::NotFinite { criterion } => IssueText::NotFinite(criterion),
            Issue::ZeroDenominator {
                criterion,
                denominator,
            } => IssueText::ZeroDenominator(criterion, *denominator),
            Issue::NegativeDenominator {
                criterion,
                denominator,
                value,
            } => IssueText::NegativeDenominator(criterion, *denominator, *value),
            Issue::OverHundred { criterion, percent } => {
                IssueText::OverHundred(criterion, *percent)
            }
            Issue::UnknownCriterion { code } => IssueText::UnknownCriterion(code),
            Issue::DensityUnknown => IssueText::DensityUnknown,
        };
        text.fmt(f)
    }
}

/// The text of an [`Issue`], its criterion borrowed: what both an [`Issue`] and a
/// [`Finding`] display.
pub(super) enum IssueText<'a> {
    MissingVolume(&'a str),
    NegativeVolume(&'a str, f64),
    NotFinite(&'a str),
    ZeroDenominator(&'a str, Denominator),
    NegativeDenominator(&'a str, Denominator, f64),
    OverHundred(&'a str, f64),
    UnknownCriterion(&'a str),
    DensityUnknown,
}

impl fmt::Display for IssueText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            IssueText::MissingVolume(criterion) => {
                write!(f, "criterion {criterion}: no volume recorded; counted as 0")
            }
            IssueText::NegativeVolume(criterion, volume) => write!(
                f,
                "criterion {criterion}: negative volume {volume}; the percentage is negative \
                 and scores 0"
            ),
            IssueText::NotFinite(criterion) => write!(
                f,
                "criterion {criterion}: volume or denominator is not a finite number; counted \
                 as 0"
            ),
            IssueText::ZeroDenominator(criterion, denominator) => write!(
                f,
                "criterion {criterion}: {denominator} is 0, so the percentage is 0 %"
            ),
            IssueText::NegativeDenominator(criterion, denominator, value) => write!(
                f,
                "criterion {criterion}: {denominator} is negative ({value})"
            ),
            IssueText::OverHundred(criterion, percent) => write!(
                f,
                "criterion {criterion}: {} % is over 100 % (volume above its denominator); \
                 not capped",
                round_half_up(percent, 2)
            ),
            IssueText::UnknownCriterion(code) => write!(
                f,
                "a volume was given for criterion {code}, which the rule set does not have; \
                 ignored"
            ),
            IssueText::DensityUnknown => f.write_str(
                "population density unknown (no kepadatan_penduduk and luas_ha is 0); \
                 considerations not scored",
            ),
        }
    }
}

/// The assessment of one location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The location's code.
    pub kode_lokasi: String,
    /// The location's name.
    pub nama_lokasi: String,
    /// The desa it lies in.
    pub kode_desa: Kode,
    /// Survey year.
    pub tahun: u16,
    /// Identifier of the rule set applied.
    pub rule_set_id: String,
    /// Version of the rule set applied.
    pub rule_set_version: String,
    /// One result per criterion, in the rule set's order.
    pub criteria: Vec<CriterionResult>,
    /// One average per aspect, in the rule set's order.
    pub aspects: Vec<AspectResult>,
    /// Sum of the criterion scores.
    pub total: u32,
    /// The highest total the rule set allows (80 for 16 criteria).
    pub max_total: u32,
    /// The class of the total.
    pub class: SlumClass,
    /// Scored considerations, when given.
    pub considerations: Option<ConsiderationResult>,
    /// Land legality, when given.
    pub legality: Option<LegalityResult>,
    /// Priority, for a slum class with considerations.
    pub priority: Option<Priority>,
    /// Recommended handling, when legality is known.
    pub handling: Option<Vec<Measure>>,
    /// Data problems the computation went past.
    pub issues: Vec<Issue>,
}

impl Assessment {
    /// The result of a criterion by code.
    pub fn criterion(&self, code: &str) -> Option<&CriterionResult> {
        self.criteria.iter().find(|c| c.code == code)
    }

    /// The average of an aspect by number.
    pub fn aspect(&self, number: u8) -> Option<&AspectResult> {
        self.aspects.iter().find(|a| a.number == number)
    }
}

/// Scores one location.
///
/// Never fails: data a surveyor got wrong (a missing or negative volume, a zero
/// denominator, a volume above its denominator) is computed the way the published system
/// computes it and listed in [`Assessment::issues`]. To score many locations, prepare a
/// [`Scorer`] once.
///
/// # Examples
/// ```
/// use kumuh_domain::Kode;
/// use kumuh_domain::assessment::{AssessmentInput, RuleSet, assess};
/// let rules = RuleSet::default_rules();
/// let mut input = AssessmentInput::new("K01", Kode::parse("35.19.09.2014").unwrap(), 2024);
/// input.jumlah_kk = 160;
/// input.volumes.insert("3a".into(), 5.0);
/// let a = assess(&rules, &input);
/// let c = a.criterion("3a").unwrap();
/// assert_eq!(c.percent, 3.125);
/// assert_eq!(c.percent_rounded, 3.13); // half-up, not to even
/// assert_eq!(a.aspect(3).unwrap().average_percent, 1.57); // (3.13 + 0) / 2
/// ```
pub fn assess(rules: &RuleSet, input: &AssessmentInput) -> Assessment {
    let scorer = Scorer::new(rules);
    let mut volumes_used = 0;
    let volumes: Vec<Option<f64>> = rules
        .criteria()
        .iter()
        .map(|c| {
            let volume = input.volumes.get(&c.code).copied();
            volumes_used += usize::from(volume.is_some());
            volume
        })
        .collect();
    let mut scores = Scores::default();
    scorer.score(&input.survey(&volumes), &mut scores);

    let mut issues: Vec<Issue> = scores.findings.iter().map(|f| scorer.issue(f)).collect();
    // Codes are unique on both sides, so when every volume was used none is unknown and
    // the search below, quadratic in the number of criteria, can be skipped.
    if volumes_used < input.volumes.len() {
        // Unknown codes are listed after the criteria's issues, before the
        // considerations'.
        let at = issues.len() - usize::from(issues.last() == Some(&Issue::DensityUnknown));
        let unknown: Vec<Issue> = input
            .volumes
            .keys()
            .filter(|code| rules.criterion(code).is_none())
            .map(|code| Issue::UnknownCriterion { code: code.clone() })
            .collect();
        issues.splice(at..at, unknown);
    }

    let criteria = rules
        .criteria()
        .iter()
        .zip(&scores.criteria)
        .map(|(criterion, c)| CriterionResult {
            code: criterion.code.clone(),
            aspect: criterion.aspect,
            volume: c.volume,
            denominator: criterion.denominator,
            denominator_value: c.denominator_value,
            percent: c.percent,
            percent_rounded: c.percent_rounded,
            score: c.score,
        })
        .collect();
    let aspects = rules
        .aspects()
        .iter()
        .zip(&scores.aspects)
        .map(|(aspect, &average_percent)| AspectResult {
            number: aspect.number,
            name: aspect.name.clone(),
            average_percent,
        })
        .collect();
    let legality = scores.legality;
    let priority = scores.priority.map(|p| Priority {
        code: format!("{}{}", p.letter, p.digit),
        rank: p.rank,
        legal: legality.map(|l| l.legal),
    });
    let handling = scorer.handling(&scores).map(<[Measure]>::to_vec);

    Assessment {
        kode_lokasi: input.kode_lokasi.clone(),
        nama_lokasi: input.nama_lokasi.clone(),
        kode_desa: input.kode_desa.clone(),
        tahun: input.tahun,
        rule_set_id: rules.id().to_owned(),
        rule_set_version: rules.version().to_owned(),
        criteria,
        aspects,
        total: scores.total,
        max_total: scorer.max_total(),
        class: scores.class,
        considerations: scores.considerations,
        legality,
        priority,
        handling,
        issues,
    }
}

pub(super) fn score_considerations(
    rules: &RuleSet,
    survey: &Survey<'_>,
    given: ConsiderationInput,
    findings: &mut Vec<Finding>,
) -> Option<ConsiderationResult> {
    let k = rules.considerations();
    let density = match given.kepadatan_jiwa_per_ha {
        Some(d) if d.is_finite() => d,
        _ if survey.luas_ha > 0.0 && survey.luas_ha.is_finite() => {
            f64::from(survey.jumlah_penduduk) / survey.luas_ha
        }
        _ => {
            findings.push(Finding::DensityUnknown);
            return None;
        }
    };
    let (density_level, density_score) = if density > k.density_high_above_jiwa_per_ha {
        (DensityLevel::Tinggi, k.density_high)
    } else if density > k.density_medium_above_jiwa_per_ha {
        (DensityLevel::Sedang, k.density_medium)
    } else {
        (DensityLevel::Rendah, k.density_low)
    };
    let strategic_score = if given.nilai_strategis {
        k.strategic_yes
    } else {
        k.strategic_no
    };
    let potential_score = if given.potensi_sosial_ekonomi {
        k.potential_yes
    } else {
        k.potential_no
    };
    let total = strategic_score + density_score + potential_score;
    let group = if total >= k.group_high_min {
        ConsiderationGroup::Tinggi
    } else if total >= k.group_medium_min {
        ConsiderationGroup::Sedang
    } else {
        ConsiderationGroup::Rendah
    };
    Some(ConsiderationResult {
        strategic_score,
        density_jiwa_per_ha: density,
        density_level,
        density_score,
        potential_score,
        total,
        group,
    })
}

impl RuleSet {
    /// Scores one location; the same as [`assess`].
    pub fn assess(&self, input: &AssessmentInput) -> Assessment {
        assess(self, input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AssessmentInput {
        let mut i = AssessmentInput::new("K01", Kode::parse("35.19.09.2014").unwrap(), 2024);
        i.nama_lokasi = "Uji".to_owned();
        i.luas_ha = 2.0;
        i.jumlah_bangunan = 100;
        i.jumlah_penduduk = 500;
        i.jumlah_kk = 100;
        i.panjang_jalan_ideal_m = 1000.0;
        i.panjang_drainase_ideal_m = 1000.0;
        for c in RuleSet::default_rules().criteria() {
            i.volumes.insert(c.code.clone(), 0.0);
        }
        i
    }

    /// Sets one volume and checks that criterion's percent, rounded percent and score.
    fn check(code: &str, volume: f64, percent: f64, rounded: f64, score: u32) {
        let rules = RuleSet::default_rules();
        let mut i = input();
        i.volumes.insert(code.to_owned(), volume);
        let a = assess(&rules, &i);
        let c = a.criterion(code).unwrap();
        assert_eq!(
            (c.percent, c.percent_rounded, c.score),
            (percent, rounded, score),
            "{code} volume {volume}"
        );
    }

    #[test]
    fn percent_and_score_per_denominator() {
        check("1a", 25.0, 25.0, 25.0, 1);
        check("1b", 1.52, 76.0, 76.0, 5);
        check("2a", 509.1, 50.91, 50.91, 1);
        check("3a", 75.0, 75.0, 75.0, 3);
        check("4c", 760.0, 76.0, 76.0, 5);
        check("5a", 24.0, 24.0, 24.0, 0);
        check("6b", 0.0, 0.0, 0.0, 0);
    }

    #[test]
    fn hectare_percentages_at_a_threshold_score_that_band() {
        let rules = RuleSet::default_rules();
        let mut i = input();
        i.luas_ha = 0.75;
        i.volumes.insert("4a".to_owned(), 0.57);
        let a = assess(&rules, &i);
        let c = a.criterion("4a").unwrap();
        assert_eq!(c.percent_rounded, 76.0);
        assert_eq!(c.score, 5, "0.57 of 0.75 ha is 76 %: {}", c.percent);
    }

    #[test]
    fn bad_data_is_computed_as_published_and_reported() {
        let rules = RuleSet::default_rules();
        let mut i = input();
        i.volumes.insert("1a".to_owned(), -10.0);
        i.volumes.insert("3a".to_owned(), 120.0);
        i.volumes.remove("5b");
        i.volumes.insert("4d".to_owned(), 3.0);
        i.panjang_drainase_ideal_m = 0.0;
        i.volumes.insert("4b".to_owned(), 50.0);
        let a = assess(&rules, &i);
        assert_eq!(a.criterion("1a").unwrap().percent, -10.0);
        assert_eq!(a.criterion("1a").unwrap().score, 0);
        assert_eq!(a.criterion("3a").unwrap().percent, 120.0);
        assert_eq!(a.criterion("3a").unwrap().score, 5);
        assert_eq!(a.criterion("4b").unwrap().percent, 0.0);
        assert_eq!(a.criterion("5b").unwrap().volume, None);
        let kinds: Vec<(&str, Option<&str>)> =
            a.issues.iter().map(|i| (i.kind(), i.criterion())).collect();
        assert_eq!(
            kinds,
            vec![
                ("negative_volume", Some("1a")),
                ("over_hundred", Some("3a")),
                ("zero_denominator", Some("4b")),
                ("zero_denominator", Some("4c")),
                ("missing_volume", Some("5b")),
                ("unknown_criterion", Some("4d")),
            ]
        );
        assert_eq!(a.total, 5);
        assert_eq!(
            a.issues[1].to_string(),
            "criterion 3a: 120 % is over 100 % (volume above its denominator); not capped"
        );
    }

    #[test]
    fn not_finite_values_count_as_zero() {
        let rules = RuleSet::default_rules();
        let mut i = input();
        i.volumes.insert("1a".to_owned(), f64::NAN);
        i.luas_ha = f64::INFINITY;
        let a = assess(&rules, &i);
        assert_eq!(a.criterion("1a").unwrap().percent, 0.0);
        assert_eq!(a.criterion("1b").unwrap().percent, 0.0);
        assert_eq!(
            a.issues.iter().filter(|i| i.kind() == "not_finite").count(),
            3
        );
    }

    fn check_priority(
        total_volumes: &[(&str, f64)],
        considerations: ConsiderationInput,
        legality: Option<LegalityInput>,
        expected: Option<(&str, Option<u32>)>,
        handling: Option<&[Measure]>,
    ) {
        let rules = RuleSet::default_rules();
        let mut i = input();
        for (code, v) in total_volumes {
            i.volumes.insert((*code).to_owned(), *v);
        }
        i.considerations = Some(considerations);
        i.legality = legality;
        let a = assess(&rules, &i);
        assert_eq!(
            a.priority.as_ref().map(|p| (p.code.as_str(), p.rank)),
            expected,
            "total {} class {}",
            a.total,
            a.class
        );
        assert_eq!(a.handling.as_deref(), handling);
    }

    #[test]
    fn priority_combines_class_and_considerations() {
        let full = |codes: &[&'static str]| -> Vec<(&'static str, f64)> {
            codes.iter().map(|c| (*c, 100.0)).collect()
        };
        // 12 criteria at 100 % of 100 KK/units/m: total 60 → heavy. 3a..7b are KK,
        // unit or m based, all with a denominator of 100 or 1000 in `input`.
        let heavy = full(&["1a", "1c", "3a", "3b", "5a", "5b", "6a", "6b", "7a", "7b"]);
        let mut heavy = heavy;
        heavy.push(("2a", 1000.0));
        heavy.push(("2b", 1000.0));
        let high = ConsiderationInput {
            nilai_strategis: true,
            kepadatan_jiwa_per_ha: Some(250.0),
            potensi_sosial_ekonomi: true,
        };
        check_priority(&heavy, high, None, Some(("A1", Some(1))), None);
        check_priority(
            &heavy,
            high,
            Some(LegalityInput {
                legalitas_kepemilikan: true,
                kesesuaian_tata_ruang: false,
            }),
            Some(("A1", Some(1))),
            Some(&[Measure::PemukimanKembali, Measure::PenyelesaianStatusLahan]),
        );
        // Density from population / area: 500 jiwa / 2 ha = 250 → high (5); 5 + 5 + 1 = 11.
        let computed = ConsiderationInput {
            nilai_strategis: true,
            kepadatan_jiwa_per_ha: None,
            potensi_sosial_ekonomi: false,
        };
        check_priority(&heavy, computed, None, Some(("A1", Some(1))), None);
        // 1 + 3 + 1 = 5 → low (3); light slum (total 20) → C3, ranked last.
        let low = ConsiderationInput {
            nilai_strategis: false,
            kepadatan_jiwa_per_ha: Some(180.0),
            potensi_sosial_ekonomi: false,
        };
        let light = full(&["3a", "3b", "6a", "6b"]);
        check_priority(
            &light,
            low,
            Some(LegalityInput {
                legalitas_kepemilikan: true,
                kesesuaian_tata_ruang: true,
            }),
            Some(("C3", Some(9))),
            Some(&[Measure::Pemugaran]),
        );
        // 1 + 1 + 5 = 7 → medium (2); medium slum (total 40) → B2.
        let medium = ConsiderationInput {
            nilai_strategis: false,
            kepadatan_jiwa_per_ha: Some(150.0),
            potensi_sosial_ekonomi: true,
        };
        let medium_slum = full(&["1a", "1c", "3a", "3b", "5a", "5b", "6a", "6b"]);
        check_priority(&medium_slum, medium, None, Some(("B2", Some(5))), None);
        // Not a slum: no priority.
        check_priority(&[], high, None, None, None);
    }

    #[test]
    fn density_needs_an_area_or_a_figure() {
        let rules = RuleSet::default_rules();
        let mut i = input();
        i.luas_ha = 0.0;
        i.considerations = Some(ConsiderationInput {
            nilai_strategis: true,
            kepadatan_jiwa_per_ha: None,
            potensi_sosial_ekonomi: true,
        });
        let a = assess(&rules, &i);
        assert!(a.considerations.is_none());
        assert!(a.issues.contains(&Issue::DensityUnknown));
    }
}
