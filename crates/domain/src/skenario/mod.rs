//! Budget scenarios (skenario anggaran): which planned works to fund to take the most
//! slum out for the money.
//!
//! Each candidate work is simulated with the rule that re-scores a location when a
//! segment is finished ([`crate::works::evaluate_completion`]): its segments linked to
//! a slum location remove what they build from that location's last survey, and the
//! location is scored again. Candidates touching the same location are scored together,
//! never added up, because a location's class moves by thresholds. The choice among
//! them is exact ([`pilih`]); beyond [`MAX_KANDIDAT_PER_KELOMPOK`] candidates on one
//! group of locations, or the solver's own limits, the answer says `optimal: false`.

pub mod pilih;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::Kode;
use crate::assessment::{AssessmentInput, RuleSet, SlumClass};
use crate::works::{Kegiatan, KegiatanId, SumberDana, evaluate_completion};

/// Candidates on one group of locations whose every subset is scored; a larger group
/// is searched along its best-ratio prefixes only (stated as not optimal).
pub const MAX_KANDIDAT_PER_KELOMPOK: usize = 12;
/// Candidate works one scenario may weigh.
pub const MAX_KANDIDAT: usize = 2_000;
/// The largest envelope, per source or in all: Rp 1,000 trillion, far beyond any
/// budget, and small enough that the envelopes add up without overflow.
pub const MAX_ANGGARAN_RP: i64 = 1_000_000_000_000_000;

/// What the choice maximises.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tujuan {
    /// Hectares of locations that leave the slum classes (become `tidak_kumuh`).
    #[default]
    LuasKeluarKumuhHa,
    /// The fall of each location's total score, weighted by its hectares.
    PenurunanNilai,
}

/// The level of government responsible for a slum location, by its area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tingkat {
    /// Kabupaten/kota.
    Kabupaten,
    /// Province.
    Provinsi,
    /// National.
    Nasional,
}

/// Which level is responsible for a location of a given area (Permen PUPR 14/2018:
/// under 10 ha the kabupaten/kota, 10 to 15 ha the province, over 15 ha the nation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AturanTingkat {
    /// Locations below this many hectares belong to the kabupaten/kota.
    pub batas_kabupaten_ha: f64,
    /// Locations up to this many hectares (and at least the first limit) belong to the
    /// province; larger ones to the nation.
    pub batas_provinsi_ha: f64,
}

impl Default for AturanTingkat {
    fn default() -> Self {
        AturanTingkat {
            batas_kabupaten_ha: 10.0,
            batas_provinsi_ha: 15.0,
        }
    }
}

impl AturanTingkat {
    /// The level responsible for a location of `luas_ha` hectares.
    pub fn tingkat(&self, luas_ha: f64) -> Tingkat {
        if luas_ha < self.batas_kabupaten_ha {
            Tingkat::Kabupaten
        } else if luas_ha <= self.batas_provinsi_ha {
            Tingkat::Provinsi
        } else {
            Tingkat::Nasional
        }
    }

    /// Whether `sumber` may fund a location of level `tingkat`: each budget its own
    /// level; Dana Desa, community swadaya, the UPK's profit, CSR and other donors
    /// anywhere (in the desa whose envelope they are).
    pub fn boleh(sumber: SumberDana, tingkat: Tingkat) -> bool {
        match sumber {
            SumberDana::Apbn => tingkat == Tingkat::Nasional,
            SumberDana::ApbdProvinsi => tingkat == Tingkat::Provinsi,
            SumberDana::ApbdKabupaten => tingkat == Tingkat::Kabupaten,
            SumberDana::DanaDesa | SumberDana::Swadaya | SumberDana::Upk | SumberDana::Csr => true,
            SumberDana::Lainnya => true,
        }
    }
}

/// The money available.
#[derive(Debug, Clone, PartialEq)]
pub enum Anggaran {
    /// One envelope for any candidate, whole rupiah.
    Total(i64),
    /// One envelope per funding source; each source pays only where it may.
    PerSumber(BTreeMap<SumberDana, i64>),
}

/// A slum location as the scenario sees it: its last survey and its area.
#[derive(Debug, Clone, PartialEq)]
pub struct Lokasi {
    /// The last survey, the state every simulation starts from.
    pub masukan: AssessmentInput,
    /// The rule set it was scored with, which scores the simulations too.
    pub aturan: Arc<RuleSet>,
    /// The area that counts (hectares): leaving the slum classes frees this much, and
    /// it decides the responsible level.
    pub luas_ha: f64,
}

/// The question.
#[derive(Debug, Clone, PartialEq)]
pub struct Permintaan {
    /// The envelope(s).
    pub anggaran: Anggaran,
    /// What to maximise.
    pub tujuan: Tujuan,
    /// Who is responsible for which location.
    pub aturan_tingkat: AturanTingkat,
    /// The year the works would be finished (the simulated surveys' year).
    pub tahun: u16,
}

/// Why a candidate could not be weighed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dilewati {
    /// The work.
    pub kegiatan: KegiatanId,
    /// Its name.
    pub nama: String,
    /// Why, as a code a viewer translates.
    pub sebab: SebabDilewati,
    /// Why, in words (Bahasa Indonesia).
    pub alasan: String,
}

/// Why a candidate was left out of the weighing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SebabDilewati {
    /// No segment is linked to a slum location with a survey.
    TanpaLokasi,
    /// No segment has an estimated cost or a known allocation.
    TanpaBiaya,
    /// Beyond the most candidates a scenario weighs ([`MAX_KANDIDAT`]).
    MelebihiBatas,
}

impl SebabDilewati {
    /// The reason in words, in Bahasa Indonesia.
    pub fn alasan(self) -> String {
        match self {
            SebabDilewati::TanpaLokasi => {
                "tidak ada segmen yang terhubung ke lokasi kumuh yang sudah dinilai".to_owned()
            }
            SebabDilewati::TanpaBiaya => "tidak ada segmen dengan perkiraan biaya \
                                          (perkiraan_biaya_rp) atau alokasi yang diketahui"
                .to_owned(),
            SebabDilewati::MelebihiBatas => {
                format!("satu skenario menimbang paling banyak {MAX_KANDIDAT} kegiatan")
            }
        }
    }
}

/// How a set was chosen, as codes a viewer translates (`metode` says it in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CaraMemilih {
    /// The search.
    pub algoritma: Algoritma,
    /// Groups of more than [`MAX_KANDIDAT_PER_KELOMPOK`] candidates on shared locations
    /// were weighed along their best value-for-money prefixes only.
    pub hanya_awalan: bool,
    /// The search stopped at its limit and kept the best set found.
    pub berhenti_di_batas: bool,
}

/// The search that chose a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Algoritma {
    /// One envelope: a multiple-choice knapsack by dynamic programming over the Pareto
    /// frontier of (cost, value), in whole rupiah.
    #[default]
    ProgramDinamis,
    /// Envelopes per source: branch and bound over the location groups, each source's
    /// envelope checked by Hall's condition.
    BranchAndBound,
}

/// A location before and after the chosen works.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HasilLokasi {
    /// The location's code.
    pub kode_lokasi: String,
    /// Its name, as its last survey gives it.
    pub nama_lokasi: String,
    /// Its desa.
    pub kode_desa: Kode,
    /// Hectares.
    pub luas_ha: f64,
    /// Responsible level.
    pub tingkat: Tingkat,
    /// Class now.
    pub kelas_sebelum: SlumClass,
    /// Class after the chosen works.
    pub kelas_sesudah: SlumClass,
    /// Total score now.
    pub total_sebelum: u32,
    /// Total score after.
    pub total_sesudah: u32,
    /// The chosen works acting on it.
    pub kegiatan: Vec<KegiatanId>,
}

/// One chosen work: its cost and, with per-source envelopes, who pays what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Terpilih {
    /// The work.
    pub kegiatan: KegiatanId,
    /// Its name.
    pub nama: String,
    /// Its cost, whole rupiah.
    pub biaya_rp: i64,
    /// Per source, what it pays (only with per-source envelopes).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub sumber: BTreeMap<SumberDana, i64>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skenario {
    /// The chosen works, by id.
    pub terpilih: Vec<KegiatanId>,
    /// The chosen works with their costs and funding.
    pub rincian: Vec<Terpilih>,
    /// Their cost together.
    pub biaya_rp: i64,
    /// What the envelope(s) hold together.
    pub anggaran_rp: i64,
    /// Hectares that leave the slum classes.
    pub luas_keluar_kumuh_ha: f64,
    /// The fall of the total scores weighted by hectares (score × ha).
    pub penurunan_nilai: f64,
    /// What was maximised.
    pub tujuan: Tujuan,
    /// Whether the choice is proven best for that objective.
    pub optimal: bool,
    /// How it was chosen, in words (Bahasa Indonesia).
    pub metode: String,
    /// How it was chosen, as codes.
    pub cara: CaraMemilih,
    /// Every location a candidate acts on, before and after.
    pub per_lokasi: Vec<HasilLokasi>,
    /// Candidates left out of the weighing, with the reason.
    pub dilewati: Vec<Dilewati>,
}

/// A candidate's cost: its segments' estimated costs where given, else their known
/// allocations. `None` when neither says anything.
pub fn biaya(kegiatan: &Kegiatan) -> Option<i64> {
    let mut total: i64 = 0;
    let mut known = false;
    for s in kegiatan.segmen() {
        if let Some(p) = s.perkiraan_biaya_rp {
            total = total.saturating_add(p.get());
            known = true;
            continue;
        }
        for (_, a) in s.live_alokasi() {
            if let Some(rp) = a.jumlah.known() {
                total = total.saturating_add(rp.get());
                known = true;
            }
        }
    }
    known.then_some(total)
}

/// Weighs `kandidat` against the envelope and picks the best set.
///
/// `lokasi` holds every slum location a candidate's segments may point at, by code.
pub fn hitung(
    lokasi: &BTreeMap<String, Lokasi>,
    kandidat: &[&Kegiatan],
    permintaan: &Permintaan,
) -> Skenario {
    let mut dilewati = Vec::new();
    let mut usable: Vec<Usable<'_>> = Vec::new();
    for k in kandidat.iter().take(MAX_KANDIDAT) {
        let places: BTreeSet<&str> = k
            .segmen()
            .iter()
            .filter_map(|s| s.kode_lokasi.as_deref())
            .filter(|c| lokasi.contains_key(*c))
            .collect();
        let lewati = |sebab: SebabDilewati| Dilewati {
            kegiatan: k.id().clone(),
            nama: k.nama.clone(),
            sebab,
            alasan: sebab.alasan(),
        };
        match (places.is_empty(), biaya(k)) {
            (true, _) => dilewati.push(lewati(SebabDilewati::TanpaLokasi)),
            (false, None) => dilewati.push(lewati(SebabDilewati::TanpaBiaya)),
            (false, Some(cost)) => usable.push(Usable {
                kegiatan: k,
                biaya: cost,
                lokasi: places.into_iter().collect(),
            }),
        }
    }
    for k in kandidat.iter().skip(MAX_KANDIDAT) {
        dilewati.push(Dilewati {
            kegiatan: k.id().clone(),
            nama: k.nama.clone(),
            sebab: SebabDilewati::MelebihiBatas,
            alasan: SebabDilewati::MelebihiBatas.alasan(),
        });
    }
    let sources: Vec<(SumberDana, i64)> = match &permintaan.anggaran {
        Anggaran::Total(rp) => vec![(SumberDana::Lainnya, *rp)],
        Anggaran::PerSumber(m) => m
            .iter()
            .take(pilih::MAX_SOURCES)
            .map(|(s, rp)| (*s, *rp))
            .collect(),
    };
    // Every touched location scored once as it stands, for every option to compare with.
    let sebelum: Sebelum<'_> = usable
        .iter()
        .flat_map(|u| u.lokasi.iter().copied())
        .map(|c| {
            let l = &lokasi[c];
            let a = l.aturan.assess(&l.masukan);
            (c, (a.class, a.total))
        })
        .collect();
    let groups = kelompokkan(&usable);
    let mut exact = true;
    let mut kelompok = Vec::with_capacity(groups.len());
    for g in &groups {
        let (k, complete) = options(lokasi, &sebelum, &usable, g, permintaan, &sources);
        exact &= complete;
        kelompok.push(k);
    }
    let pilihan = match &permintaan.anggaran {
        Anggaran::Total(rp) => pilih::satu_amplop(&kelompok, *rp),
        Anggaran::PerSumber(_) => {
            let caps: Vec<i64> = sources.iter().map(|(_, rp)| *rp).collect();
            pilih::per_sumber(&kelompok, &caps)
        }
    };
    let chosen: Vec<usize> = kelompok
        .iter()
        .zip(&pilihan.opsi)
        .flat_map(|(k, &j)| k.opsi[j].kandidat.iter().copied())
        .collect();
    let mut result = assemble(
        lokasi, &sebelum, &usable, &groups, &chosen, permintaan, &sources,
    );
    result.optimal = exact && pilihan.optimal;
    result.cara = CaraMemilih {
        algoritma: match permintaan.anggaran {
            Anggaran::Total(_) => Algoritma::ProgramDinamis,
            Anggaran::PerSumber(_) => Algoritma::BranchAndBound,
        },
        hanya_awalan: !exact,
        berhenti_di_batas: !pilihan.optimal,
    };
    result.metode = result.cara.metode();
    result.dilewati = dilewati;
    result
}

impl CaraMemilih {
    /// The method in words, in Bahasa Indonesia.
    pub fn metode(&self) -> String {
        let mut m = match self.algoritma {
            Algoritma::ProgramDinamis => "knapsack pilihan ganda dengan pemrograman dinamis \
                                          atas batas Pareto (biaya, nilai), dalam rupiah utuh"
                .to_owned(),
            Algoritma::BranchAndBound => "branch and bound atas kelompok lokasi; amplop \
                                          tiap sumber diperiksa dengan syarat Hall"
                .to_owned(),
        };
        if self.hanya_awalan {
            m.push_str(&format!(
                "; kelompok berisi lebih dari {MAX_KANDIDAT_PER_KELOMPOK} kandidat pada \
                 lokasi yang sama hanya ditimbang menurut awalan terbaik nilai per rupiah"
            ));
        }
        if self.berhenti_di_batas {
            m.push_str(
                "; pencarian berhenti di batasnya dan menyimpan himpunan terbaik yang ditemukan",
            );
        }
        m
    }
}

/// The class and total of each touched location as it stands, by code.
type Sebelum<'a> = BTreeMap<&'a str, (SlumClass, u32)>;

struct Usable<'a> {
    kegiatan: &'a Kegiatan,
    biaya: i64,
    lokasi: Vec<&'a str>,
}

/// Candidates that share a location, transitively (union–find over locations).
fn kelompokkan(usable: &[Usable<'_>]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..usable.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, u) in usable.iter().enumerate() {
        for l in &u.lokasi {
            match first.get(l) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    first.insert(l, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..usable.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    groups.into_values().collect()
}

/// The locations after the works `taken` (indexes into `usable`) are finished, each
/// scored with the same rules.
fn simulate(
    lokasi: &BTreeMap<String, Lokasi>,
    usable: &[Usable<'_>],
    taken: &[usize],
    tahun: u16,
) -> BTreeMap<String, (SlumClass, u32)> {
    let mut inputs: BTreeMap<&str, AssessmentInput> = BTreeMap::new();
    for &i in taken {
        for s in usable[i].kegiatan.segmen() {
            let Some(code) = s.kode_lokasi.as_deref() else {
                continue;
            };
            let Some(l) = lokasi.get(code) else { continue };
            let before = inputs.entry(code).or_insert_with(|| l.masukan.clone());
            *before = evaluate_completion(&l.aturan, s, before, tahun).masukan;
        }
    }
    inputs
        .into_iter()
        .map(|(code, input)| {
            let a = lokasi[code].aturan.assess(&input);
            (code.to_owned(), (a.class, a.total))
        })
        .collect()
}

/// What a set of works is worth, in the objective's integer unit: square metres that
/// leave the slum classes, or (score points × m²).
fn nilai(
    lokasi: &BTreeMap<String, Lokasi>,
    sebelum: &Sebelum<'_>,
    after: &BTreeMap<String, (SlumClass, u32)>,
    tujuan: Tujuan,
) -> (i64, f64, f64) {
    let mut luas_keluar = 0.0;
    let mut penurunan = 0.0;
    for (code, (class, total)) in after {
        let l = &lokasi[code];
        let (kelas_sebelum, total_sebelum) = sebelum[code.as_str()];
        if kelas_sebelum != SlumClass::TidakKumuh && *class == SlumClass::TidakKumuh {
            luas_keluar += l.luas_ha;
        }
        penurunan += (f64::from(total_sebelum) - f64::from(*total)) * l.luas_ha;
    }
    let v = match tujuan {
        Tujuan::LuasKeluarKumuhHa => luas_keluar,
        Tujuan::PenurunanNilai => penurunan,
    };
    ((v * 10_000.0).round() as i64, luas_keluar, penurunan)
}

/// The sources (bits) that may pay for a candidate: those allowed at every location it
/// touches.
fn mask(
    usable: &Usable<'_>,
    lokasi: &BTreeMap<String, Lokasi>,
    aturan: &AturanTingkat,
    sources: &[(SumberDana, i64)],
    total: bool,
) -> u32 {
    if total {
        return 1;
    }
    let mut m = 0u32;
    for (bit, (sumber, _)) in sources.iter().enumerate() {
        let ok = usable
            .lokasi
            .iter()
            .all(|c| AturanTingkat::boleh(*sumber, aturan.tingkat(lokasi[*c].luas_ha)));
        if ok {
            m |= 1 << bit;
        }
    }
    m
}

fn options(
    lokasi: &BTreeMap<String, Lokasi>,
    sebelum: &Sebelum<'_>,
    usable: &[Usable<'_>],
    group: &[usize],
    p: &Permintaan,
    sources: &[(SumberDana, i64)],
) -> (pilih::Kelompok, bool) {
    let total = matches!(p.anggaran, Anggaran::Total(_));
    let masks: Vec<u32> = group
        .iter()
        .map(|&i| mask(&usable[i], lokasi, &p.aturan_tingkat, sources, total))
        .collect();
    let make = |members: &[usize]| -> pilih::Opsi {
        let taken: Vec<usize> = members.iter().map(|&m| group[m]).collect();
        let after = simulate(lokasi, usable, &taken, p.tahun);
        pilih::Opsi {
            biaya: taken.iter().map(|&i| usable[i].biaya).collect(),
            sumber: members.iter().map(|&m| masks[m]).collect(),
            nilai: nilai(lokasi, sebelum, &after, p.tujuan).0,
            kandidat: taken,
        }
    };
    let mut opsi = vec![pilih::Opsi::kosong()];
    // A candidate no envelope may pay for is never an option.
    let payable: Vec<usize> = (0..group.len()).filter(|&m| masks[m] != 0).collect();
    if payable.len() <= MAX_KANDIDAT_PER_KELOMPOK {
        for bits in 1u32..(1 << payable.len()) {
            let members: Vec<usize> = (0..payable.len())
                .filter(|b| bits & (1 << b) != 0)
                .map(|b| payable[b])
                .collect();
            opsi.push(make(&members));
        }
        return (pilih::Kelompok { opsi }, true);
    }
    // Too many to enumerate: prefixes by each candidate's own value for money.
    let mut ratio: Vec<(usize, f64)> = payable
        .iter()
        .map(|&m| {
            let o = make(&[m]);
            (m, o.nilai as f64 / (o.total().max(1) as f64))
        })
        .collect();
    ratio.sort_by(|a, b| b.1.total_cmp(&a.1));
    for n in 1..=ratio.len() {
        let members: Vec<usize> = ratio[..n].iter().map(|(m, _)| *m).collect();
        opsi.push(make(&members));
    }
    (pilih::Kelompok { opsi }, false)
}

fn assemble(
    lokasi: &BTreeMap<String, Lokasi>,
    sebelum: &Sebelum<'_>,
    usable: &[Usable<'_>],
    groups: &[Vec<usize>],
    chosen: &[usize],
    p: &Permintaan,
    sources: &[(SumberDana, i64)],
) -> Skenario {
    let after = simulate(lokasi, usable, chosen, p.tahun);
    let (_, luas_keluar, penurunan) = nilai(lokasi, sebelum, &after, p.tujuan);
    let mut chosen_sorted = chosen.to_vec();
    chosen_sorted.sort_by(|a, b| usable[*a].kegiatan.id().cmp(usable[*b].kegiatan.id()));
    let total = matches!(p.anggaran, Anggaran::Total(_));
    let costs: Vec<i64> = chosen_sorted.iter().map(|&i| usable[i].biaya).collect();
    let masks: Vec<u32> = chosen_sorted
        .iter()
        .map(|&i| mask(&usable[i], lokasi, &p.aturan_tingkat, sources, total))
        .collect();
    let caps: Vec<i64> = sources.iter().map(|(_, rp)| *rp).collect();
    let split = if total {
        None
    } else {
        pilih::bagi_sumber(&costs, &masks, &caps)
    };
    let rincian: Vec<Terpilih> = chosen_sorted
        .iter()
        .enumerate()
        .map(|(n, &i)| Terpilih {
            kegiatan: usable[i].kegiatan.id().clone(),
            nama: usable[i].kegiatan.nama.clone(),
            biaya_rp: usable[i].biaya,
            sumber: split
                .as_ref()
                .map(|s| {
                    sources
                        .iter()
                        .zip(&s[n])
                        .filter(|(_, rp)| **rp > 0)
                        .map(|((src, _), rp)| (*src, *rp))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let mut per_lokasi = Vec::new();
    let touched: BTreeSet<&str> = groups
        .iter()
        .flatten()
        .flat_map(|&i| usable[i].lokasi.iter().copied())
        .collect();
    for code in touched {
        let l = &lokasi[code];
        let (kelas_sebelum, total_sebelum) = sebelum[code];
        let (kelas_sesudah, total_sesudah) = after
            .get(code)
            .copied()
            .unwrap_or((kelas_sebelum, total_sebelum));
        per_lokasi.push(HasilLokasi {
            kode_lokasi: code.to_owned(),
            nama_lokasi: l.masukan.nama_lokasi.clone(),
            kode_desa: l.masukan.kode_desa.clone(),
            luas_ha: l.luas_ha,
            tingkat: p.aturan_tingkat.tingkat(l.luas_ha),
            kelas_sebelum,
            kelas_sesudah,
            total_sebelum,
            total_sesudah,
            kegiatan: chosen_sorted
                .iter()
                .filter(|&&i| usable[i].lokasi.contains(&code))
                .map(|&i| usable[i].kegiatan.id().clone())
                .collect(),
        });
    }
    Skenario {
        terpilih: rincian.iter().map(|t| t.kegiatan.clone()).collect(),
        biaya_rp: costs.iter().fold(0i64, |a, b| a.saturating_add(*b)),
        anggaran_rp: sources
            .iter()
            .fold(0i64, |a, (_, rp)| a.saturating_add(*rp)),
        luas_keluar_kumuh_ha: luas_keluar,
        penurunan_nilai: penurunan,
        tujuan: p.tujuan,
        optimal: true,
        metode: String::new(),
        cara: CaraMemilih::default(),
        rincian,
        per_lokasi,
        dilewati: Vec::new(),
    }
}
