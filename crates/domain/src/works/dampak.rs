//! What finishing a segment does to the slum score of its location (dampak).
//!
//! The slum criteria count what is deficient: metres of damaged road (`2b`), households
//! without a drain, hectares without open space. A finished segment removes the volume it
//! built from the criteria it addresses, in the location's last assessment, and the
//! location is scored again with the same rule set. Nothing else of the survey changes.

use serde::{Deserialize, Serialize};

use super::segmen::{Satuan, Segmen};
use crate::assessment::{AssessmentInput, RuleSet};

/// The change one finished segment made to one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dampak {
    /// Criterion code, e.g. `2b`.
    pub kriteria: String,
    /// Unit of the criterion's volume (`m`, `ha`, `KK`, `unit`, `jiwa`).
    pub satuan: String,
    /// The deficient volume before.
    pub volume_sebelum: f64,
    /// What the segment built, in the criterion's unit.
    pub pengurangan: f64,
    /// The deficient volume after (never below zero).
    pub volume_sesudah: f64,
}

/// Why a criterion the segment addresses could not be evaluated again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "alasan", rename_all = "snake_case")]
pub enum Dilewati {
    /// The rule set has no such criterion.
    KriteriaTidakDikenal {
        /// The code.
        kriteria: String,
    },
    /// The segment's unit does not measure what the criterion counts (metres of road
    /// against households, say).
    SatuanTidakCocok {
        /// The code.
        kriteria: String,
        /// The criterion's unit.
        satuan_kriteria: String,
        /// The segment's unit.
        satuan_segmen: String,
    },
    /// Neither realised progress, a planned volume nor a measurable geometry says how
    /// much was built.
    VolumeTidakDiketahui {
        /// The code.
        kriteria: String,
    },
}

impl std::fmt::Display for Dilewati {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Dilewati::KriteriaTidakDikenal { kriteria } => {
                write!(f, "criterion {kriteria} is not in the rule set")
            }
            Dilewati::SatuanTidakCocok {
                kriteria,
                satuan_kriteria,
                satuan_segmen,
            } => write!(
                f,
                "criterion {kriteria} counts {satuan_kriteria} but the segment is measured in \
                 {satuan_segmen}"
            ),
            Dilewati::VolumeTidakDiketahui { kriteria } => write!(
                f,
                "criterion {kriteria}: the segment has no realised, planned or measured volume"
            ),
        }
    }
}

/// The survey changed by one finished segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluasi {
    /// The new input: the previous one with the improved volumes and the new year.
    pub masukan: AssessmentInput,
    /// One line per criterion changed.
    pub dampak: Vec<Dampak>,
    /// Criteria the segment addresses that could not be changed, with the reason.
    pub dilewati: Vec<Dilewati>,
}

/// How much a segment built: the realised progress, or else the planned volume, or else
/// the geodesic length or area of its geometry, in its own unit.
fn built_volume(segmen: &Segmen) -> Option<f64> {
    let realised = segmen.realised_volume().ok().filter(|v| !v.is_zero());
    let planned = segmen.volume_rencana().filter(|v| !v.is_zero());
    realised
        .or(planned)
        .map(|v| v.as_f64())
        .or_else(|| match segmen.satuan() {
            Satuan::M | Satuan::M2 => segmen
                .measured()
                .filter(|t| t.satuan() == segmen.satuan())
                .map(|t| t.value()),
            Satuan::Unit | Satuan::Kk => None,
        })
}

/// The factor from the segment's unit to the criterion's, where they measure the same.
fn conversion(segmen: Satuan, criterion_unit: &str) -> Option<f64> {
    match (segmen, criterion_unit) {
        (Satuan::M, "m") | (Satuan::Kk, "KK") | (Satuan::Unit, "unit") => Some(1.0),
        (Satuan::M2, "ha") => Some(1.0 / 10_000.0),
        _ => None,
    }
}

/// The location's survey after `segmen` was finished in `tahun`.
///
/// Each criterion the segment addresses loses the volume the segment built (in the
/// criterion's unit, floored at zero); the rest of `sebelum` is kept.
///
/// # Examples
/// ```
/// use kumuh_domain::Kode;
/// use kumuh_domain::assessment::{AssessmentInput, RuleSet};
/// use kumuh_domain::works::{contoh, dampak};
/// let rules = RuleSet::default_rules();
/// let mut before = AssessmentInput::new("K01", Kode::parse("35.19.09.2014").unwrap(), 2017);
/// before.panjang_jalan_ideal_m = 400.0;
/// before.volumes.insert("2b".into(), 330.8); // metres of damaged road
/// let bibrik = contoh::bibrik_paving();
/// let paving = &bibrik.segmen()[0]; // 170 m built
/// let e = dampak::evaluate_completion(&rules, paving, &before, 2018);
/// assert_eq!(e.masukan.tahun, 2018);
/// assert!((e.masukan.volumes["2b"] - 160.8).abs() < 1e-9);
/// assert!(e.dilewati.is_empty());
/// ```
pub fn evaluate_completion(
    rules: &RuleSet,
    segmen: &Segmen,
    sebelum: &AssessmentInput,
    tahun: u16,
) -> Evaluasi {
    let mut masukan = sebelum.clone();
    masukan.tahun = tahun;
    let mut dampak = Vec::new();
    let mut dilewati = Vec::new();
    let built = built_volume(segmen);
    for kode in &segmen.kriteria {
        let kriteria = kode.as_str().to_owned();
        let Some(criterion) = rules.criterion(&kriteria) else {
            dilewati.push(Dilewati::KriteriaTidakDikenal { kriteria });
            continue;
        };
        let unit = criterion.denominator.unit();
        let Some(factor) = conversion(segmen.satuan(), unit) else {
            dilewati.push(Dilewati::SatuanTidakCocok {
                kriteria,
                satuan_kriteria: unit.to_owned(),
                satuan_segmen: segmen.satuan().label_id().to_owned(),
            });
            continue;
        };
        let Some(built) = built else {
            dilewati.push(Dilewati::VolumeTidakDiketahui { kriteria });
            continue;
        };
        let volume_sebelum = masukan.volumes.get(&kriteria).copied().unwrap_or(0.0);
        let pengurangan = built * factor;
        let volume_sesudah = (volume_sebelum - pengurangan).max(0.0);
        masukan.volumes.insert(kriteria.clone(), volume_sesudah);
        dampak.push(Dampak {
            kriteria,
            satuan: unit.to_owned(),
            volume_sebelum,
            pengurangan,
            volume_sesudah,
        });
    }
    Evaluasi {
        masukan,
        dampak,
        dilewati,
    }
}

#[cfg(test)]
mod tests {
    use geo_types::{Geometry, LineString, Point, Polygon};

    use super::*;
    use crate::Kode;
    use crate::works::{KodeKriteria, Progres, SegmenId, Tanggal, Volume};

    fn before() -> AssessmentInput {
        let mut i = AssessmentInput::new("K01", Kode::parse("35.19.09.2014").unwrap(), 2017);
        i.luas_ha = 2.0;
        i.jumlah_kk = 100;
        i.panjang_jalan_ideal_m = 400.0;
        i.volumes.insert("2b".into(), 300.0);
        i.volumes.insert("1b".into(), 1.5);
        i.volumes.insert("5a".into(), 40.0);
        i
    }

    fn segmen(geometry: Geometry<f64>, volume: Option<u32>, satuan: Satuan, k: &[&str]) -> Segmen {
        let mut s = Segmen::new(
            SegmenId::new("S1").unwrap(),
            "S",
            geometry,
            volume.map(Volume::whole),
            satuan,
        )
        .unwrap();
        s.kriteria = k.iter().map(|c| KodeKriteria::parse(c).unwrap()).collect();
        s
    }

    fn line() -> Geometry<f64> {
        Geometry::LineString(LineString::from(vec![
            (111.4935, -7.5753),
            (111.49504, -7.5753),
        ]))
    }

    #[test]
    fn realised_progress_counts_before_the_plan() {
        let mut s = segmen(line(), Some(170), Satuan::M, &["2b"]);
        s.record_progres(Progres::new(
            Volume::whole(100),
            Tanggal::parse("2018-08-31").unwrap(),
        ))
        .unwrap();
        let e = evaluate_completion(&RuleSet::default_rules(), &s, &before(), 2018);
        assert_eq!(e.dampak[0].pengurangan, 100.0);
        assert_eq!(e.masukan.volumes["2b"], 200.0);
    }

    #[test]
    fn the_geometry_measures_what_nobody_declared() {
        let s = segmen(line(), None, Satuan::M, &["2b"]);
        let e = evaluate_completion(&RuleSet::default_rules(), &s, &before(), 2018);
        let cut = e.dampak[0].pengurangan;
        assert!((cut - 170.0).abs() < 1.0, "{cut}");
    }

    #[test]
    fn square_metres_become_hectares_and_volumes_never_go_negative() {
        let square = Polygon::new(
            LineString::from(vec![
                (111.49, -7.57),
                (111.4915, -7.57),
                (111.4915, -7.5715),
                (111.49, -7.5715),
                (111.49, -7.57),
            ]),
            vec![],
        );
        let s = segmen(Geometry::Polygon(square), Some(20_000), Satuan::M2, &["1b"]);
        let e = evaluate_completion(&RuleSet::default_rules(), &s, &before(), 2019);
        assert_eq!(e.dampak[0].satuan, "ha");
        assert_eq!(e.dampak[0].pengurangan, 2.0);
        assert_eq!(e.masukan.volumes["1b"], 0.0);
    }

    #[test]
    fn mismatched_units_and_unknown_criteria_are_listed_not_guessed() {
        let point = Geometry::Point(Point::new(111.49, -7.57));
        let s = segmen(point, Some(3), Satuan::Unit, &["2b", "9z"]);
        let e = evaluate_completion(&RuleSet::default_rules(), &s, &before(), 2018);
        assert!(e.dampak.is_empty());
        assert_eq!(e.masukan.volumes, before().volumes);
        assert_eq!(
            e.dilewati,
            vec![
                Dilewati::SatuanTidakCocok {
                    kriteria: "2b".into(),
                    satuan_kriteria: "m".into(),
                    satuan_segmen: "unit".into()
                },
                Dilewati::KriteriaTidakDikenal {
                    kriteria: "9z".into()
                }
            ]
        );
    }

    #[test]
    fn households_without_a_count_are_skipped() {
        let s = segmen(line(), None, Satuan::Kk, &["5a"]);
        let e = evaluate_completion(&RuleSet::default_rules(), &s, &before(), 2018);
        assert_eq!(
            e.dilewati,
            vec![Dilewati::VolumeTidakDiketahui {
                kriteria: "5a".into()
            }]
        );
        assert_eq!(e.masukan.volumes["5a"], 40.0);
    }
}
