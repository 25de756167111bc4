//! What finishing segments does: new evaluations of their slum locations, and new
//! conditions of the mapped road and drain lines they rebuilt.

use std::collections::BTreeMap;

use geo_types::{Geometry, MultiLineString};
use kumuh_domain::assessment::{Dasar, Hasil, RuleSet};
use kumuh_domain::jaringan::{self, KondisiRuas, Ruas};
use kumuh_domain::works::{
    Evaluasi, Kegiatan, KodeKriteria, KondisiSegmen, Segmen, SegmenId, Tanggal, evaluate_completion,
};
use kumuh_store::{AssessmentQuery, AssessmentRecord, NewAudit};
use serde::Serialize;
use serde_json::json;

use crate::{Atlas, Result};

/// Score and class of a location at one moment.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Skor {
    /// Year.
    pub tahun: u16,
    /// Total score.
    pub total: u32,
    /// Class id.
    pub kelas: String,
}

/// What finishing a segment did to its slum location.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvaluasiLokasi {
    /// The finished segment.
    pub segmen: String,
    /// The location it lies in.
    pub kode_lokasi: Option<String>,
    /// The latest assessment before.
    pub sebelum: Option<Skor>,
    /// The new evaluation, when one was recorded.
    pub sesudah: Option<Skor>,
    /// The criteria changed.
    #[schema(value_type = Object)]
    pub dampak: Vec<kumuh_domain::works::Dampak>,
    /// Mapped road or drain lines the segment rebuilt: their condition changed.
    pub jaringan: Vec<JaringanBaru>,
    /// Why nothing (or not everything) was evaluated.
    pub catatan: Vec<String>,
}

/// A mapped road or drain line that a finished segment runs along for at least half its
/// length ([`kumuh_domain::jaringan::SEPANJANG_MIN`]), with its new condition.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JaringanBaru {
    /// The line's code.
    pub kode: String,
    /// Its condition before.
    pub sebelum: String,
    /// Its condition now (the segment's condition after the work).
    pub sesudah: String,
    /// The share of its length along the segment, in percent.
    pub bagian_persen: f64,
}

/// What finishing segments changed: evaluations, the report, audit lines, and new
/// conditions of mapped lines (with the lines as they now are, for the tiles).
pub(crate) struct Evaluated {
    pub(crate) penilaian: Vec<AssessmentRecord>,
    pub(crate) evaluasi: Vec<EvaluasiLokasi>,
    pub(crate) audit: Vec<NewAudit>,
    pub(crate) kondisi_jaringan: Vec<(String, KondisiRuas)>,
    pub(crate) ruas: Vec<Ruas>,
}

/// New evaluations of the slum locations of the segments finished in a change.
pub(crate) async fn evaluate(
    atlas: &Atlas,
    k: &Kegiatan,
    selesai: &[(SegmenId, Tanggal)],
) -> Result<Evaluated> {
    let mut records: Vec<AssessmentRecord> = Vec::new();
    let mut out = Vec::new();
    let mut lines = Vec::new();
    let mut kondisi_jaringan = Vec::new();
    let mut ruas_baru: Vec<Ruas> = Vec::new();
    for (sid, tanggal) in selesai {
        let Some(s) = k.segmen_by_id(sid) else {
            continue;
        };
        let mut e = EvaluasiLokasi {
            segmen: sid.to_string(),
            kode_lokasi: s.kode_lokasi.clone(),
            sebelum: None,
            sesudah: None,
            dampak: Vec::new(),
            jaringan: Vec::new(),
            catatan: Vec::new(),
        };
        // The mapped lines it rebuilt take its condition after the work.
        for (mut r, along) in lines_rebuilt(atlas, s, &ruas_baru).await? {
            let sesudah = kondisi_garis(s.kondisi_sesudah);
            if !along.tertangani() {
                e.catatan.push(format!(
                    "line {} runs along the segment for only {:.0} % of its length: its condition stays {}",
                    r.kode,
                    along.bagian * 100.0,
                    r.kondisi
                ));
                continue;
            }
            if r.kondisi == sesudah {
                continue;
            }
            let baru = JaringanBaru {
                kode: r.kode.clone(),
                sebelum: r.kondisi.as_str().into(),
                sesudah: sesudah.as_str().into(),
                bagian_persen: (along.bagian * 1000.0).round() / 10.0,
            };
            lines.push(NewAudit {
                pengguna: String::new(),
                entitas: "jaringan".into(),
                kunci: r.kode.clone(),
                aksi: "kondisi".into(),
                sebelum: Some(json!({"kondisi": baru.sebelum})),
                sesudah: Some(json!({
                    "kondisi": baru.sesudah,
                    "kegiatan": k.id().as_str(),
                    "segmen": sid.as_str(),
                    "bagian_persen": baru.bagian_persen,
                })),
            });
            kondisi_jaringan.push((r.kode.clone(), sesudah));
            r.kondisi = sesudah;
            ruas_baru.retain(|x| x.kode != r.kode);
            ruas_baru.push(r);
            e.jaringan.push(baru);
        }
        let Some(kode_lokasi) = s.kode_lokasi.clone() else {
            e.catatan
                .push("no kode_lokasi: the segment is not linked to a slum location".into());
            out.push(e);
            continue;
        };
        if s.kriteria.is_empty() {
            e.catatan
                .push("no kriteria: the segment names no slum criterion it improves".into());
            out.push(e);
            continue;
        }
        // A second segment of the same location finished in the same change starts from
        // the first one's evaluation.
        let latest = match records.iter().rev().find(|r| r.kode_lokasi == kode_lokasi) {
            Some(r) => Some(r.clone()),
            None => atlas
                .store
                .assessments(&AssessmentQuery {
                    kode_lokasi: Some(kode_lokasi.clone()),
                    ..AssessmentQuery::default()
                })
                .await?
                .pop(),
        };
        let Some(latest) = latest else {
            e.catatan.push(format!(
                "slum location {kode_lokasi} has no assessment to start from"
            ));
            out.push(e);
            continue;
        };
        e.sebelum = Some(Skor {
            tahun: latest.tahun,
            total: latest.total,
            kelas: latest.class.to_string(),
        });
        let Some(masukan) = latest.masukan.as_ref() else {
            e.catatan.push(format!(
                "the {} assessment of {kode_lokasi} was stored without its survey; import it again with `kumuh import-assessments` to evaluate works against it",
                latest.tahun
            ));
            out.push(e);
            continue;
        };
        let Ok(rules) = RuleSet::builtin(&latest.rule_set_id) else {
            e.catatan.push(format!(
                "rule set {} of the latest assessment is not built in",
                latest.rule_set_id
            ));
            out.push(e);
            continue;
        };
        let Evaluasi {
            masukan,
            dampak,
            dilewati,
        } = evaluate_completion(&rules, s, masukan, tanggal.tahun());
        e.catatan.extend(dilewati.iter().map(ToString::to_string));
        if dampak.is_empty() {
            out.push(e);
            continue;
        }
        let row = kumuh_io::assessment::AssessmentRow {
            row: 0,
            input: masukan,
            attributes: BTreeMap::new(),
        };
        let assessed = kumuh_io::assessment::assess_rows(&rules, vec![row]);
        let Some(a) = assessed.first() else {
            continue;
        };
        let dasar = Dasar::segmen(k.id().as_str(), sid.as_str());
        let result = Hasil {
            dasar: Some(dasar.clone()),
            tanggal: Some(tanggal.to_string()),
            dampak: Some(dampak.clone()),
            dilewati: Some(dilewati),
            ..kumuh_io::assessment::hasil(a)
        };
        let r = crate::assessments::record_of(a, result, dasar, Some(tanggal.to_string()));
        e.sesudah = Some(Skor {
            tahun: r.tahun,
            total: r.total,
            kelas: r.class.to_string(),
        });
        e.dampak = dampak;
        lines.push(NewAudit {
            pengguna: String::new(),
            entitas: "penilaian".into(),
            kunci: kode_lokasi,
            aksi: "evaluasi".into(),
            sebelum: Some(json!(e.sebelum)),
            sesudah: Some(
                json!({"skor": e.sesudah, "dampak": e.dampak, "dasar": r.dasar.to_string()}),
            ),
        });
        records.push(r);
        out.push(e);
    }
    Ok(Evaluated {
        penilaian: records,
        evaluasi: out,
        audit: lines,
        kondisi_jaringan,
        ruas: ruas_baru,
    })
}

/// A mapped line's condition for a segment's condition after the work (good when the
/// segment says nothing: it is finished).
fn kondisi_garis(k: Option<KondisiSegmen>) -> KondisiRuas {
    match k {
        None | Some(KondisiSegmen::Baik) => KondisiRuas::Baik,
        Some(KondisiSegmen::Sedang) => KondisiRuas::Sedang,
        Some(KondisiSegmen::Buruk) => KondisiRuas::RusakBerat,
        Some(KondisiSegmen::TidakAda) => KondisiRuas::TidakAda,
    }
}

/// The mapped lines of the kind the segment builds (from its criteria) that its line runs
/// along, as they are now (`changed` holds lines an earlier segment of the same change
/// already rebuilt).
async fn lines_rebuilt(
    atlas: &Atlas,
    s: &Segmen,
    changed: &[Ruas],
) -> Result<Vec<(Ruas, jaringan::Sepanjang)>> {
    let line = match s.geometry() {
        Geometry::LineString(l) => MultiLineString(vec![l.clone()]),
        Geometry::MultiLineString(m) => m.clone(),
        _ => return Ok(Vec::new()),
    };
    let Some(jenis) = jaringan::jenis_for_kriteria(s.kriteria.iter().map(KodeKriteria::as_str))
    else {
        return Ok(Vec::new());
    };
    let Some(b) = kumuh_domain::geometry::geometry_bbox(s.geometry()) else {
        return Ok(Vec::new());
    };
    // A little wider than the tolerance of a few metres.
    let m = 0.001;
    let mut ruas = atlas
        .store
        .jaringan(Some([b[0] - m, b[1] - m, b[2] + m, b[3] + m]))
        .await?;
    for r in &mut ruas {
        if let Some(c) = changed.iter().find(|c| c.kode == r.kode) {
            r.kondisi = c.kondisi;
        }
    }
    let along = jaringan::lines_along(&line, jenis, &ruas);
    Ok(along
        .into_iter()
        .filter_map(|a| {
            let r = ruas.iter().find(|r| r.kode == a.kode)?.clone();
            Some((r, a))
        })
        .collect())
}
