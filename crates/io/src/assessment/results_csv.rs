//! Results written as CSV one row at a time, for tables too large to hold: the same
//! bytes as [`render_csv`](super::render_csv) gives for all the rows at once, without
//! building a table of cells first.

use std::fmt::Write as _;

use kumuh_domain::assessment::{RuleSet, Scorer, Scores};

use super::Error;
use super::output::{AssessedRow, export_headers};
use super::read::ParsedRow;
use super::table::write_number;
use crate::text::csv_text;

/// CSV results, row by row, gathered in a buffer that [`ResultsCsv::take`] hands over:
/// the columns of [`render_csv`](super::render_csv). The extra columns must be known
/// before the first row (they are part of the header): pass the sorted names of the
/// extra columns that any row fills, which is what `render_csv` writes.
///
/// # Examples
/// ```
/// use kumuh_domain::Kode;
/// use kumuh_domain::assessment::{AssessmentInput, RuleSet};
/// use kumuh_io::assessment::{AssessmentRow, ResultsCsv, assess_rows, render_csv};
/// let rules = RuleSet::default_rules();
/// let input = AssessmentInput::new("K01", Kode::parse("35.19.09.2014").unwrap(), 2024);
/// let rows = assess_rows(&rules, vec![AssessmentRow { row: 2, input, attributes: Default::default() }]);
/// let mut csv = ResultsCsv::new(&rules, Vec::new());
/// csv.header().unwrap();
/// csv.row(&rows[0]).unwrap();
/// let mut whole = Vec::new();
/// render_csv(&rules, &rows, &mut whole).unwrap();
/// assert_eq!(csv.take().unwrap(), whole);
/// ```
#[derive(Debug)]
pub struct ResultsCsv {
    out: Vec<u8>,
    criteria: Vec<String>,
    aspects: Vec<u8>,
    headers: Vec<String>,
    attribute_names: Vec<String>,
    scratch: String,
}

impl ResultsCsv {
    /// A writer for results of `rules` with the extra columns `attribute_names`
    /// (sorted, as `render_csv` orders them).
    pub fn new(rules: &RuleSet, attribute_names: Vec<String>) -> Self {
        ResultsCsv {
            out: Vec::with_capacity(1 << 16),
            criteria: rules.criteria().iter().map(|c| c.code.clone()).collect(),
            aspects: rules.aspects().iter().map(|x| x.number).collect(),
            headers: export_headers(rules, &attribute_names),
            attribute_names,
            scratch: String::new(),
        }
    }

    /// Writes the header row.
    pub fn header(&mut self) -> Result<(), Error> {
        // Extra columns are named by whoever wrote the survey table: defused too.
        for h in &self.headers {
            text(&mut self.out, h);
        }
        end_record(&mut self.out);
        Ok(())
    }

    /// Writes one result row.
    pub fn row(&mut self, r: &AssessedRow) -> Result<(), Error> {
        let out = &mut self.out;
        let i = &r.source.input;
        let a = &r.result;
        write_number(out, r.source.row as f64);
        out.push(b',');
        text(out, &i.kode_lokasi);
        text(out, &i.nama_lokasi);
        text(out, i.kode_desa.as_str());
        whole(out, i.tahun);
        number(out, i.luas_ha);
        whole(out, i.jumlah_bangunan);
        whole(out, i.jumlah_penduduk);
        whole(out, i.jumlah_kk);
        number(out, i.panjang_jalan_ideal_m);
        number(out, i.panjang_drainase_ideal_m);
        for (k, code) in self.criteria.iter().enumerate() {
            // The engine lists criteria in the rule set's order; look up only if not.
            let found = match a.criteria.get(k) {
                Some(x) if x.code == *code => Some(x),
                _ => a.criterion(code),
            };
            match found {
                Some(x) => {
                    match x.volume {
                        Some(v) => number(out, v),
                        None => empty(out),
                    }
                    number(out, x.percent_rounded);
                    whole(out, x.score);
                }
                None => {
                    empty(out);
                    empty(out);
                    empty(out);
                }
            }
        }
        for &aspect in &self.aspects {
            match a.aspect(aspect) {
                Some(y) => number(out, y.average_percent),
                None => empty(out),
            }
        }
        whole(out, a.total);
        whole(out, a.max_total);
        text(out, a.class.as_str());
        match &a.considerations {
            Some(c) => {
                whole(out, c.total);
                whole(out, c.group.digit());
            }
            None => {
                empty(out);
                empty(out);
            }
        }
        match a.legality {
            Some(l) => text(out, if l.legal { "ya" } else { "tidak" }),
            None => empty(out),
        }
        match &a.priority {
            Some(p) => {
                text(out, &p.code);
                match p.rank {
                    Some(n) => whole(out, n),
                    None => empty(out),
                }
            }
            None => {
                empty(out);
                empty(out);
            }
        }
        match &a.handling {
            Some(h) => {
                let joined = h.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ");
                text(out, &joined);
            }
            None => empty(out),
        }
        let scratch = &mut self.scratch;
        scratch.clear();
        for (n, issue) in a.issues.iter().enumerate() {
            if n > 0 {
                scratch.push_str("; ");
            }
            let _ = write!(scratch, "{issue}");
        }
        text(out, scratch);
        text(out, &a.rule_set_id);
        text(out, &a.rule_set_version);
        for name in &self.attribute_names {
            match r.source.attributes.get(name) {
                Some(v) => text(out, v),
                None => empty(out),
            }
        }
        end_record(out);
        Ok(())
    }

    /// The CSV written since the last call.
    pub fn take(&mut self) -> Result<Vec<u8>, Error> {
        Ok(std::mem::replace(
            &mut self.out,
            Vec::with_capacity(1 << 16),
        ))
    }
}

/// One result row of [`ResultsCsv`] from what [`Scorer::score`] gives, written to
/// `out`: the same bytes as [`ResultsCsv::row`] writes for the [`AssessedRow`] of the
/// same row. `attributes` holds the value of each extra column, in the order of the
/// writer's attribute names.
pub(crate) struct ScoredRow<'a> {
    pub number: usize,
    pub parsed: &'a ParsedRow<'a>,
    pub scores: &'a Scores,
    pub attributes: &'a [Option<&'a str>],
}

/// Writes a [`ScoredRow`]; `scratch` is a buffer kept between rows.
pub(crate) fn write_scored(
    out: &mut Vec<u8>,
    scorer: &Scorer<'_>,
    row: &ScoredRow<'_>,
    scratch: &mut String,
) {
    let p = row.parsed;
    let s = row.scores;
    let rules = scorer.rules();
    out.extend_from_slice(itoa::Buffer::new().format(row.number).as_bytes());
    out.push(b',');
    text(out, &p.kode_lokasi);
    text(out, &p.nama_lokasi);
    text(out, p.kode_desa.as_str());
    whole(out, p.tahun);
    number(out, p.luas_ha);
    whole(out, p.jumlah_bangunan);
    whole(out, p.jumlah_penduduk);
    whole(out, p.jumlah_kk);
    number(out, p.panjang_jalan_ideal_m);
    number(out, p.panjang_drainase_ideal_m);
    for c in &s.criteria {
        match c.volume {
            Some(v) => number(out, v),
            None => empty(out),
        }
        number(out, c.percent_rounded);
        whole(out, c.score);
    }
    for &average in &s.aspects {
        number(out, average);
    }
    whole(out, s.total);
    whole(out, scorer.max_total());
    text(out, s.class.as_str());
    match &s.considerations {
        Some(c) => {
            whole(out, c.total);
            whole(out, c.group.digit());
        }
        None => {
            empty(out);
            empty(out);
        }
    }
    match s.legality {
        Some(l) => text(out, if l.legal { "ya" } else { "tidak" }),
        None => empty(out),
    }
    match &s.priority {
        Some(priority) => {
            let mut code = [0u8; 8];
            let len = priority.letter.encode_utf8(&mut code).len();
            code[len] = b'0' + priority.digit;
            text(out, std::str::from_utf8(&code[..=len]).unwrap_or_default());
            match priority.rank {
                Some(n) => whole(out, n),
                None => empty(out),
            }
        }
        None => {
            empty(out);
            empty(out);
        }
    }
    match scorer.handling(s) {
        Some(measures) => {
            scratch.clear();
            for (n, m) in measures.iter().enumerate() {
                if n > 0 {
                    scratch.push_str(", ");
                }
                scratch.push_str(m.as_str());
            }
            text(out, scratch);
        }
        None => empty(out),
    }
    scratch.clear();
    for (n, finding) in s.findings.iter().enumerate() {
        if n > 0 {
            scratch.push_str("; ");
        }
        let _ = write!(scratch, "{}", scorer.describe(finding));
    }
    text(out, scratch);
    text(out, rules.id());
    text(out, rules.version());
    for value in row.attributes {
        match value {
            Some(v) => text(out, v),
            None => empty(out),
        }
    }
    end_record(out);
}

/// A text field, defused ([`csv_text`]) and quoted where the `csv` crate's writer
/// quotes: around a delimiter, a quote or a line break, quotes doubled.
fn text(out: &mut Vec<u8>, s: &str) {
    let s = csv_text(s);
    let bytes = s.as_bytes();
    if bytes
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push(b'"');
        for &b in bytes {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(bytes);
    }
    out.push(b',');
}

fn empty(out: &mut Vec<u8>) {
    out.push(b',');
}

/// A number as `render_csv` writes it: whole values without a fraction, others in the
/// shortest form that reads back the same.
fn number(out: &mut Vec<u8>, n: f64) {
    write_number(out, n);
    out.push(b',');
}

fn whole(out: &mut Vec<u8>, n: impl Into<u64>) {
    out.extend_from_slice(itoa::Buffer::new().format(n.into()).as_bytes());
    out.push(b',');
}

/// Ends a record: the comma after its last field becomes the line break.
fn end_record(out: &mut Vec<u8>) {
    if out.last() == Some(&b',') {
        out.pop();
    }
    out.push(b'\n');
}
