//! The result of an assessment as Kumuh publishes it (hasil): one object per location in
//! `kumuh assess --format json`, the `hasil` column of a stored assessment and the
//! `result` of the API's assessments.
//!
//! It is the [`Assessment`] with percentages and density rounded half-up to two decimals,
//! criteria and aspects keyed by code and number, the considerations group as its
//! priority digit, and each issue with its message. A stored result also says where it
//! came from: whether it is illustrative (`contoh`), where mapped volumes were used
//! (`sumber_volume`), and for the evaluation after a finished segment what the segment
//! changed.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::dasar::Dasar;
use super::round::round_half_up;
use super::rules::{Measure, SlumClass};
use super::score::{
    Assessment, ConsiderationGroup, DensityLevel, IssueKind, LegalityResult, Priority,
};
use crate::jaringan::Applied;
use crate::place::Kode;
use crate::works::{Dampak, Dilewati};

/// An assessment as published and stored (see the [module](self)). Field order is the
/// order of the published JSON.
///
/// What is written reads back equal, and so does every result an earlier release stored.
///
/// # Examples
/// ```
/// use std::collections::BTreeMap;
/// use kumuh_domain::Kode;
/// use kumuh_domain::assessment::{AssessmentInput, Hasil, RuleSet, assess};
/// let mut input = AssessmentInput::new("K01", Kode::parse("35.19.09.2014").unwrap(), 2024);
/// input.jumlah_kk = 160;
/// input.volumes.insert("3a".into(), 5.0);
/// let hasil = Hasil::of(&assess(&RuleSet::default_rules(), &input), 2, BTreeMap::new());
/// assert_eq!(hasil.criteria["3a"].percent, 3.13);
/// let json = serde_json::to_value(&hasil).unwrap();
/// assert_eq!(json["criteria"]["3a"]["percent"], 3.13);
/// assert_eq!(serde_json::from_value::<Hasil>(json).unwrap(), hasil);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hasil {
    /// The row of the table it was read from (the header is row 1; 0 when it did not come
    /// from a table).
    pub row: usize,
    /// The location's code.
    pub kode_lokasi: String,
    /// The location's name.
    pub nama_lokasi: String,
    /// The desa it lies in.
    pub kode_desa: Kode,
    /// Survey year.
    pub tahun: u16,
    /// The rule set applied.
    pub rule_set: AturanDipakai,
    /// Each criterion's result by code (`1a` …).
    pub criteria: BTreeMap<String, HasilKriteria>,
    /// Each aspect's average percentage by its number (`"1"` …), rounded half-up to two
    /// decimals.
    pub aspects: BTreeMap<String, f64>,
    /// Sum of the criterion scores.
    pub total: u32,
    /// The highest total the rule set allows.
    pub max_total: u32,
    /// The class of the total.
    pub class: SlumClass,
    /// Scored considerations, when given.
    pub considerations: Option<HasilPertimbangan>,
    /// Land legality, when given.
    pub legality: Option<LegalityResult>,
    /// Priority, for a slum class with considerations.
    pub priority: Option<Priority>,
    /// Recommended handling, when legality is known.
    pub handling: Option<Vec<Measure>>,
    /// Data problems the computation went past.
    pub issues: Vec<HasilMasalah>,
    /// The table's other columns, kept as read.
    pub attributes: BTreeMap<String, String>,
    /// An illustrative record (contoh), as the seed's are; written only when true.
    #[serde(default, skip_serializing_if = "is_false")]
    pub contoh: bool,
    /// Where each road and drainage volume came from, when an import chose between the
    /// survey and the map (an empty list when it chose nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sumber_volume: Option<Vec<Applied>>,
    /// The basis, in the result of an evaluation after a finished segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dasar: Option<Dasar>,
    /// The date of that evaluation (`2018-08-31`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tanggal: Option<String>,
    /// What the finished segment changed, one line per criterion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dampak: Option<Vec<Dampak>>,
    /// The criteria the finished segment addresses that could not be changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dilewati: Option<Vec<Dilewati>>,
}

/// The rule set an assessment applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AturanDipakai {
    /// Its identifier, e.g. `permen-pupr-14-2018`.
    pub id: String,
    /// Its version.
    pub version: String,
}

/// One criterion of a published result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HasilKriteria {
    /// The volume recorded; `None` when missing (counted as 0).
    pub volume: Option<f64>,
    /// The percentage rounded half-up to two decimals.
    pub percent: f64,
    /// The score.
    pub score: u32,
}

/// The scored considerations of a published result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HasilPertimbangan {
    /// Score of the strategic value.
    pub strategic_score: u32,
    /// Population density used, in jiwa/ha, rounded half-up to two decimals.
    pub density_jiwa_per_ha: f64,
    /// Its band.
    pub density_level: DensityLevel,
    /// Its score.
    pub density_score: u32,
    /// Score of the social, economic and cultural potential.
    pub potential_score: u32,
    /// Sum of the three scores.
    pub total: u32,
    /// Group of the sum, written as the digit of the priority code (1 high … 3 low).
    #[serde(with = "group_digit")]
    pub group: ConsiderationGroup,
}

/// One issue of a published result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HasilMasalah {
    /// The kind of issue.
    pub kind: IssueKind,
    /// The criterion it is about, if any.
    pub criterion: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

fn is_false(b: &bool) -> bool {
    !b
}

/// The considerations group as the digit of the priority code, as it has always been
/// published; a digit other than 1, 2 or 3 is refused.
mod group_digit {
    use super::*;

    pub(super) fn serialize<S: Serializer>(
        g: &ConsiderationGroup,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_u8(g.digit())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<ConsiderationGroup, D::Error> {
        let digit = u8::deserialize(d)?;
        ConsiderationGroup::from_digit(digit).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown considerations group {digit}, expected 1, 2 or 3"
            ))
        })
    }
}

impl Hasil {
    /// The published form of an assessment of the table row `row` (0 when it did not
    /// come from a table), with the table's other columns.
    pub fn of(a: &Assessment, row: usize, attributes: BTreeMap<String, String>) -> Hasil {
        Hasil {
            row,
            kode_lokasi: a.kode_lokasi.clone(),
            nama_lokasi: a.nama_lokasi.clone(),
            kode_desa: a.kode_desa.clone(),
            tahun: a.tahun,
            rule_set: AturanDipakai {
                id: a.rule_set_id.clone(),
                version: a.rule_set_version.clone(),
            },
            criteria: a
                .criteria
                .iter()
                .map(|c| {
                    let k = HasilKriteria {
                        volume: c.volume,
                        percent: c.percent_rounded,
                        score: c.score,
                    };
                    (c.code.clone(), k)
                })
                .collect(),
            aspects: a
                .aspects
                .iter()
                .map(|x| (x.number.to_string(), x.average_percent))
                .collect(),
            total: a.total,
            max_total: a.max_total,
            class: a.class,
            considerations: a.considerations.as_ref().map(|c| HasilPertimbangan {
                strategic_score: c.strategic_score,
                density_jiwa_per_ha: round_half_up(c.density_jiwa_per_ha, 2),
                density_level: c.density_level,
                density_score: c.density_score,
                potential_score: c.potential_score,
                total: c.total,
                group: c.group,
            }),
            legality: a.legality,
            priority: a.priority.clone(),
            handling: a.handling.clone(),
            issues: a
                .issues
                .iter()
                .map(|i| HasilMasalah {
                    kind: i.kind_code(),
                    criterion: i.criterion().map(str::to_owned),
                    message: i.to_string(),
                })
                .collect(),
            attributes,
            contoh: false,
            sumber_volume: None,
            dasar: None,
            tanggal: None,
            dampak: None,
            dilewati: None,
        }
    }
}
