//! The exact choice behind a budget scenario: a multiple-choice knapsack.
//!
//! Candidates that touch the same slum location are scored together, so they form one
//! group ([`Kelompok`]) whose options ([`Opsi`]) are the subsets of its candidates, each
//! with its own value. Exactly one option is taken per group (the empty one included).
//!
//! - One envelope for everything: dynamic programming over the groups on the Pareto
//!   frontier of (cost, value) states, in whole rupiah. A state survives only if no other
//!   costs less or the same and is worth at least as much. Exact.
//! - An envelope per funding source: each candidate may be paid only from the sources
//!   its locations allow, split between them in any way. A set of candidates fits the
//!   envelopes exactly when, for every set of sources `T`, what the candidates that may
//!   use only sources in `T` cost is at most what `T` holds (Hall's condition for the
//!   transportation problem). Branch and bound over the groups, bounded by the best value
//!   each remaining group could add. Exact unless it stops at [`MAX_NODES`].

/// States kept on the frontier before the choice is thinned and stops being exact.
pub const MAX_STATES: usize = 1_000_000;
/// Branch-and-bound nodes visited before the search stops and keeps the best set found.
pub const MAX_NODES: u64 = 2_000_000;
/// Funding sources an envelope may name at once (Hall's condition looks at every subset).
pub const MAX_SOURCES: usize = 8;

/// One way to act on one group: which of its candidates are taken.
#[derive(Debug, Clone, PartialEq)]
pub struct Opsi {
    /// Indexes of the candidates taken (into the caller's list).
    pub kandidat: Vec<usize>,
    /// What they cost together, per candidate (same order as `kandidat`), whole rupiah.
    pub biaya: Vec<i64>,
    /// Which envelopes each candidate may draw on (bit `i` = source `i`; same order).
    pub sumber: Vec<u32>,
    /// What the option is worth (in the objective's integer unit).
    pub nilai: i64,
}

impl Opsi {
    /// The option that takes nothing.
    pub fn kosong() -> Opsi {
        Opsi {
            kandidat: Vec::new(),
            biaya: Vec::new(),
            sumber: Vec::new(),
            nilai: 0,
        }
    }

    /// Its total cost.
    pub fn total(&self) -> i64 {
        self.biaya.iter().fold(0i64, |a, b| a.saturating_add(*b))
    }
}

/// Candidates scored together, with every option for them. The first option is the
/// empty one (nothing taken), so every group can be left alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Kelompok {
    /// The options; the empty one is always among them.
    pub opsi: Vec<Opsi>,
}

/// The choice made.
#[derive(Debug, Clone, PartialEq)]
pub struct Pilihan {
    /// For each group, the index of the option taken.
    pub opsi: Vec<usize>,
    /// Total value.
    pub nilai: i64,
    /// Total cost.
    pub biaya: i64,
    /// Whether the choice is proven best.
    pub optimal: bool,
}

/// The best options within one envelope of `anggaran` rupiah: the greatest value, and
/// among equal values the least cost.
pub fn satu_amplop(kelompok: &[Kelompok], anggaran: i64) -> Pilihan {
    #[derive(Clone, Copy)]
    struct State {
        biaya: i64,
        nilai: i64,
        /// Index of the state in the previous layer it extends.
        dari: usize,
        /// The option taken in this layer's group.
        opsi: usize,
    }
    let mut layers: Vec<Vec<State>> = Vec::with_capacity(kelompok.len());
    let start = vec![State {
        biaya: 0,
        nilai: 0,
        dari: 0,
        opsi: 0,
    }];
    let mut optimal = true;
    for k in kelompok {
        let mut next: Vec<State> = Vec::new();
        for (i, s) in layers.last().unwrap_or(&start).iter().enumerate() {
            for (j, o) in k.opsi.iter().enumerate() {
                let biaya = s.biaya.saturating_add(o.total());
                if biaya > anggaran {
                    continue;
                }
                next.push(State {
                    biaya,
                    nilai: s.nilai + o.nilai,
                    dari: i,
                    opsi: j,
                });
            }
        }
        // Keep the Pareto frontier: by cost, then the best value first; a state survives
        // only if it is worth more than every cheaper one.
        next.sort_by(|a, b| a.biaya.cmp(&b.biaya).then(b.nilai.cmp(&a.nilai)));
        let mut kept: Vec<State> = Vec::with_capacity(next.len());
        for s in next {
            if kept.last().is_none_or(|last| s.nilai > last.nilai) {
                kept.push(s);
            }
        }
        if kept.len() > MAX_STATES {
            // Thin evenly across the cost range, keeping the most valuable state.
            optimal = false;
            let step = kept.len().div_ceil(MAX_STATES);
            let last = kept.len() - 1;
            kept = kept
                .into_iter()
                .enumerate()
                .filter(|(i, _)| i % step == 0 || *i == last)
                .map(|(_, s)| s)
                .collect();
        }
        if kept.is_empty() {
            // Only when a group lacks its empty option (a caller's mistake): nothing fits.
            return Pilihan {
                opsi: vec![0; kelompok.len()],
                nilai: 0,
                biaya: 0,
                optimal: false,
            };
        }
        layers.push(kept);
    }
    // The most valuable state is the last of the frontier (values rise with cost); the
    // empty choice always fits, so no layer is empty.
    let frontier = layers.last().unwrap_or(&start);
    let mut at = frontier.len() - 1;
    let best = frontier[at];
    let mut opsi = vec![0; kelompok.len()];
    for (g, layer) in layers.iter().enumerate().rev() {
        let s = layer[at];
        opsi[g] = s.opsi;
        at = s.dari;
    }
    Pilihan {
        opsi,
        nilai: best.nilai,
        biaya: best.biaya,
        optimal,
    }
}

/// The best options within one envelope per source (`anggaran[i]` for source bit `i`).
pub fn per_sumber(kelompok: &[Kelompok], anggaran: &[i64]) -> Pilihan {
    let sources = anggaran.len().min(MAX_SOURCES);
    let subsets = 1usize << sources;
    let cap: Vec<i64> = (0..subsets)
        .map(|t| {
            (0..sources)
                .filter(|i| t & (1 << i) != 0)
                .map(|i| anggaran[i])
                .fold(0i64, i64::saturating_add)
        })
        .collect();
    // Most valuable groups first: the bound tightens sooner.
    let best_of = |k: &Kelompok| k.opsi.iter().map(|o| o.nilai).max().unwrap_or(0);
    let mut order: Vec<usize> = (0..kelompok.len()).collect();
    order.sort_by_key(|&g| std::cmp::Reverse(best_of(&kelompok[g])));
    let mut rest = vec![0i64; order.len() + 1];
    for d in (0..order.len()).rev() {
        rest[d] = rest[d + 1] + best_of(&kelompok[order[d]]).max(0);
    }
    let mut search = Search {
        kelompok,
        order: &order,
        rest: &rest,
        cap: &cap,
        demand: vec![0; subsets],
        taken: vec![0; kelompok.len()],
        nilai: 0,
        biaya: 0,
        best: None,
        nodes: 0,
    };
    search.visit(0);
    let complete = search.nodes < MAX_NODES;
    let (opsi, nilai, biaya) = search
        .best
        .unwrap_or_else(|| (vec![0; kelompok.len()], 0, 0));
    Pilihan {
        opsi,
        nilai,
        biaya,
        optimal: complete,
    }
}

struct Search<'a> {
    kelompok: &'a [Kelompok],
    order: &'a [usize],
    rest: &'a [i64],
    cap: &'a [i64],
    /// For every set of sources, what the taken candidates confined to it cost.
    demand: Vec<i64>,
    taken: Vec<usize>,
    nilai: i64,
    biaya: i64,
    best: Option<(Vec<usize>, i64, i64)>,
    nodes: u64,
}

impl Search<'_> {
    fn better(&self) -> bool {
        match &self.best {
            None => true,
            Some((_, nilai, biaya)) => {
                self.nilai > *nilai || (self.nilai == *nilai && self.biaya < *biaya)
            }
        }
    }

    fn visit(&mut self, depth: usize) {
        self.nodes += 1;
        if self.nodes >= MAX_NODES {
            return;
        }
        if depth == self.order.len() {
            if self.better() {
                self.best = Some((self.taken.clone(), self.nilai, self.biaya));
            }
            return;
        }
        if let Some((_, best, _)) = &self.best
            && self.nilai + self.rest[depth] < *best
        {
            return;
        }
        let g = self.order[depth];
        // The most valuable options first, so good sets are found early.
        let mut options: Vec<usize> = (0..self.kelompok[g].opsi.len()).collect();
        options.sort_by_key(|&j| std::cmp::Reverse(self.kelompok[g].opsi[j].nilai));
        for j in options {
            let o = &self.kelompok[g].opsi[j];
            if !self.add(o) {
                self.remove(o);
                continue;
            }
            self.taken[g] = j;
            self.nilai += o.nilai;
            self.biaya += o.total();
            self.visit(depth + 1);
            self.nilai -= o.nilai;
            self.biaya -= o.total();
            self.taken[g] = 0;
            self.remove(o);
            if self.nodes >= MAX_NODES {
                return;
            }
        }
    }

    /// Adds an option's demand; whether every envelope still holds.
    fn add(&mut self, o: &Opsi) -> bool {
        let mut fits = true;
        for (biaya, mask) in o.biaya.iter().zip(&o.sumber) {
            for t in 0..self.demand.len() {
                if t as u32 & mask == *mask {
                    self.demand[t] = self.demand[t].saturating_add(*biaya);
                    fits &= self.demand[t] <= self.cap[t];
                }
            }
        }
        fits
    }

    fn remove(&mut self, o: &Opsi) {
        for (biaya, mask) in o.biaya.iter().zip(&o.sumber) {
            for t in 0..self.demand.len() {
                if t as u32 & mask == *mask {
                    self.demand[t] = self.demand[t].saturating_sub(*biaya);
                }
            }
        }
    }
}

/// Splits the chosen candidates' costs over the envelopes (a maximum flow from
/// candidates to sources), once [`per_sumber`] has shown they fit. Returns, per
/// candidate in the order given, what each source pays; `None` if they do not fit.
pub fn bagi_sumber(biaya: &[i64], sumber: &[u32], anggaran: &[i64]) -> Option<Vec<Vec<i64>>> {
    let n = biaya.len();
    let s = anggaran.len();
    let mut bayar = vec![vec![0i64; s]; n];
    let mut sisa = anggaran.to_vec();
    let mut kurang = biaya.to_vec();
    // Augmenting paths from an unpaid candidate to a source with money left, through
    // candidate→source edges and back along payments already made (BFS).
    loop {
        let Some(start) = (0..n).find(|&w| kurang[w] > 0) else {
            return Some(bayar);
        };
        // Nodes: candidates 0..n, sources n..n+s.
        let mut prev: Vec<Option<usize>> = vec![None; n + s];
        let mut seen = vec![false; n + s];
        seen[start] = true;
        let mut queue = std::collections::VecDeque::from([start]);
        let mut end = None;
        while let Some(v) = queue.pop_front() {
            if v < n {
                for j in 0..s {
                    if sumber[v] & (1 << j) != 0 && !seen[n + j] {
                        seen[n + j] = true;
                        prev[n + j] = Some(v);
                        if sisa[j] > 0 {
                            end = Some(n + j);
                            break;
                        }
                        queue.push_back(n + j);
                    }
                }
                if end.is_some() {
                    break;
                }
            } else {
                let j = v - n;
                for w in 0..n {
                    if bayar[w][j] > 0 && !seen[w] {
                        seen[w] = true;
                        prev[w] = Some(v);
                        queue.push_back(w);
                    }
                }
            }
        }
        let end = end?;
        // The amount: what the start lacks, what the end source holds, and every
        // payment the path moves.
        let mut amount = kurang[start].min(sisa[end - n]);
        let mut v = end;
        while let Some(u) = prev[v] {
            if u >= n {
                amount = amount.min(bayar[v][u - n]);
            }
            v = u;
        }
        let mut v = end;
        while let Some(u) = prev[v] {
            if u < n {
                bayar[u][v - n] += amount;
            } else {
                bayar[v][u - n] -= amount;
            }
            v = u;
        }
        kurang[start] -= amount;
        sisa[end - n] -= amount;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opsi(kandidat: &[usize], biaya: &[i64], nilai: i64) -> Opsi {
        Opsi {
            kandidat: kandidat.to_vec(),
            biaya: biaya.to_vec(),
            sumber: vec![1; biaya.len()],
            nilai,
        }
    }

    #[test]
    fn the_best_ratio_first_is_not_the_best_set() {
        // Envelope 100: A costs 60 for 70 (ratio 1.17), B and C cost 50 for 50 each
        // (ratio 1.0). Best ratio first takes A and nothing else fits: 70. B + C: 100.
        let groups = vec![
            Kelompok {
                opsi: vec![Opsi::kosong(), opsi(&[0], &[60], 70)],
            },
            Kelompok {
                opsi: vec![Opsi::kosong(), opsi(&[1], &[50], 50)],
            },
            Kelompok {
                opsi: vec![Opsi::kosong(), opsi(&[2], &[50], 50)],
            },
        ];
        let p = satu_amplop(&groups, 100);
        assert_eq!((p.nilai, p.biaya, p.optimal), (100, 100, true));
        assert_eq!(p.opsi, vec![0, 1, 1]);
        let q = per_sumber(&groups, &[100]);
        assert_eq!((q.nilai, q.biaya, q.opsi), (100, 100, vec![0, 1, 1]));
    }

    #[test]
    fn equal_values_take_the_cheaper_set() {
        let groups = vec![Kelompok {
            opsi: vec![Opsi::kosong(), opsi(&[0], &[80], 10), opsi(&[1], &[30], 10)],
        }];
        assert_eq!(satu_amplop(&groups, 100).biaya, 30);
        assert_eq!(per_sumber(&groups, &[100]).biaya, 30);
    }

    #[test]
    fn a_source_pays_only_for_what_it_may_fund() {
        // Two envelopes of 50: source 0 may pay candidate 0 only, source 1 both.
        let mut a = opsi(&[0], &[50], 10);
        a.sumber = vec![0b01];
        let mut b = opsi(&[1], &[50], 10);
        b.sumber = vec![0b11];
        let groups = vec![
            Kelompok {
                opsi: vec![Opsi::kosong(), a],
            },
            Kelompok {
                opsi: vec![Opsi::kosong(), b],
            },
        ];
        let p = per_sumber(&groups, &[50, 50]);
        assert_eq!(p.nilai, 20);
        let split = bagi_sumber(&[50, 50], &[0b01, 0b11], &[50, 50]).unwrap();
        assert_eq!(split, vec![vec![50, 0], vec![0, 50]]);
        // Source 1 alone cannot carry both.
        assert_eq!(per_sumber(&groups, &[0, 60]).nilai, 10);
        assert!(bagi_sumber(&[50, 50], &[0b01, 0b11], &[0, 60]).is_none());
    }

    #[test]
    fn the_flow_moves_earlier_payments_to_make_room() {
        // Candidate 0 may use either source, candidate 1 only source 0: paying 0 from
        // source 0 first must be undone.
        let split = bagi_sumber(&[40, 60], &[0b11, 0b01], &[60, 40]).unwrap();
        assert_eq!(split[1], vec![60, 0]);
        assert_eq!(split[0], vec![0, 40]);
    }
}
