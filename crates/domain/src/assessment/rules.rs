//! Rule sets: the criteria, bands, class thresholds and priority rules of one version of
//! the national slum rule (or a district's variant of it), kept as data.
//!
//! Two rule sets ship with Kumuh, embedded from `data/rules/`:
//! [`RuleSet::builtin`]`("permen-pupr-14-2018")` (the default, 16 criteria, maximum 80)
//! and `"permen-pupr-02-2016"` (19 criteria, maximum 95). A district writes its own as a
//! TOML file and loads it with [`RuleSet::from_toml_str`]; `docs/assessment.md` describes
//! the format.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::Error;

/// Identifier of the rule set used when none is named.
pub const DEFAULT_RULE_SET: &str = "permen-pupr-14-2018";

/// The rule sets shipped with Kumuh: identifier and TOML text.
const BUILTIN: [(&str, &str); 2] = [
    (
        "permen-pupr-14-2018",
        include_str!("../../../../data/rules/permen-pupr-14-2018.toml"),
    ),
    (
        "permen-pupr-02-2016",
        include_str!("../../../../data/rules/permen-pupr-02-2016.toml"),
    ),
];

/// What a criterion's volume is divided by to give its percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Denominator {
    /// Luas verifikasi: the verified area of the location, in hectares.
    LuasHa,
    /// Jumlah bangunan: number of buildings (unit).
    JumlahBangunan,
    /// Jumlah KK (kepala keluarga): number of households.
    JumlahKk,
    /// Jumlah penduduk: population (jiwa, persons).
    JumlahPenduduk,
    /// Panjang jalan lingkungan ideal: ideal neighbourhood road length, in metres.
    JalanIdealM,
    /// Panjang drainase lingkungan ideal: ideal drainage length, in metres.
    DrainaseIdealM,
}

impl Denominator {
    /// Every denominator.
    pub const ALL: [Denominator; 6] = [
        Denominator::LuasHa,
        Denominator::JumlahBangunan,
        Denominator::JumlahKk,
        Denominator::JumlahPenduduk,
        Denominator::JalanIdealM,
        Denominator::DrainaseIdealM,
    ];

    /// The identifier used in rule set files.
    pub fn as_str(self) -> &'static str {
        match self {
            Denominator::LuasHa => "luas_ha",
            Denominator::JumlahBangunan => "jumlah_bangunan",
            Denominator::JumlahKk => "jumlah_kk",
            Denominator::JumlahPenduduk => "jumlah_penduduk",
            Denominator::JalanIdealM => "jalan_ideal_m",
            Denominator::DrainaseIdealM => "drainase_ideal_m",
        }
    }

    /// The unit the denominator is counted in.
    pub fn unit(self) -> &'static str {
        match self {
            Denominator::LuasHa => "ha",
            Denominator::JumlahBangunan => "unit",
            Denominator::JumlahKk => "KK",
            Denominator::JumlahPenduduk => "jiwa",
            Denominator::JalanIdealM | Denominator::DrainaseIdealM => "m",
        }
    }

    /// A label for people, in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Denominator::LuasHa => "luas verifikasi",
            Denominator::JumlahBangunan => "jumlah bangunan",
            Denominator::JumlahKk => "jumlah KK",
            Denominator::JumlahPenduduk => "jumlah penduduk",
            Denominator::JalanIdealM => "panjang jalan lingkungan ideal",
            Denominator::DrainaseIdealM => "panjang drainase lingkungan ideal",
        }
    }
}

impl fmt::Display for Denominator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Denominator {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Denominator::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| s.to_owned())
    }
}

/// The slum class (tingkat kekumuhan) a total score falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlumClass {
    /// Kumuh berat: heavy; priority letter A.
    KumuhBerat,
    /// Kumuh sedang: medium; priority letter B.
    KumuhSedang,
    /// Kumuh ringan: light; priority letter C.
    KumuhRingan,
    /// Tidak kumuh: not a slum.
    TidakKumuh,
}

impl SlumClass {
    /// Every class, heaviest first.
    pub const ALL: [SlumClass; 4] = [
        SlumClass::KumuhBerat,
        SlumClass::KumuhSedang,
        SlumClass::KumuhRingan,
        SlumClass::TidakKumuh,
    ];

    /// The identifier used in files and JSON: `kumuh_berat`, …, `tidak_kumuh`.
    pub fn as_str(self) -> &'static str {
        match self {
            SlumClass::KumuhBerat => "kumuh_berat",
            SlumClass::KumuhSedang => "kumuh_sedang",
            SlumClass::KumuhRingan => "kumuh_ringan",
            SlumClass::TidakKumuh => "tidak_kumuh",
        }
    }

    /// A label for people, in Bahasa Indonesia, as the published records write it.
    pub fn label_id(self) -> &'static str {
        match self {
            SlumClass::KumuhBerat => "Kumuh berat",
            SlumClass::KumuhSedang => "Kumuh sedang",
            SlumClass::KumuhRingan => "Kumuh ringan",
            SlumClass::TidakKumuh => "Tidak kumuh",
        }
    }

    /// The letter of the priority matrix: A heavy, B medium, C light; none for not a slum.
    pub fn priority_letter(self) -> Option<char> {
        match self {
            SlumClass::KumuhBerat => Some('A'),
            SlumClass::KumuhSedang => Some('B'),
            SlumClass::KumuhRingan => Some('C'),
            SlumClass::TidakKumuh => None,
        }
    }
}

impl fmt::Display for SlumClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A handling measure (pola penanganan) recommended for a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Pemugaran: restoration of the existing settlement.
    Pemugaran,
    /// Peremajaan: redevelopment of the settlement in place.
    Peremajaan,
    /// Pemukiman kembali: resettlement to another site.
    PemukimanKembali,
    /// Penyelesaian status lahan: settle the land status before any physical work.
    PenyelesaianStatusLahan,
    /// Pencegahan: prevention (monitoring, control and community empowerment).
    Pencegahan,
}

impl Measure {
    /// Every measure.
    pub const ALL: [Measure; 5] = [
        Measure::Pemugaran,
        Measure::Peremajaan,
        Measure::PemukimanKembali,
        Measure::PenyelesaianStatusLahan,
        Measure::Pencegahan,
    ];

    /// The identifier used in rule set files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Pemugaran => "pemugaran",
            Measure::Peremajaan => "peremajaan",
            Measure::PemukimanKembali => "pemukiman_kembali",
            Measure::PenyelesaianStatusLahan => "penyelesaian_status_lahan",
            Measure::Pencegahan => "pencegahan",
        }
    }

    /// A label for people, in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Measure::Pemugaran => "Pemugaran",
            Measure::Peremajaan => "Peremajaan",
            Measure::PemukimanKembali => "Pemukiman kembali",
            Measure::PenyelesaianStatusLahan => "Penyelesaian status lahan",
            Measure::Pencegahan => "Pencegahan",
        }
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Measure {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Measure::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| s.to_owned())
    }
}

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

/// Merges `overrides` into `base`: tables merge key by key, anything else replaces.
fn merge(base: &mut toml::Table, overrides: toml::Table) {
    for (key, value) in overrides {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn id_of(table: &toml::Table) -> String {
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
struct RawRuleSet {
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
    fn validate(self) -> Result<RuleSet, Error> {
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
                let denominator = c.denominator.parse::<Denominator>().map_err(|value| {
                    Error::UnknownDenominator {
                        rule_set: rule_set.clone(),
                        criterion: c.code.clone(),
                        value,
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
                                m.parse::<Measure>().map_err(|value| Error::UnknownMeasure {
                                    rule_set: rule_set.clone(),
                                    key: format!("handling.{key}.{which}"),
                                    value,
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

#[cfg(test)]
mod tests {
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
        assert_eq!("luas".parse::<Denominator>(), Err("luas".to_owned()));
    }
}
