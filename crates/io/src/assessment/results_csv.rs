//! Results written as CSV one row at a time, for tables too large to hold: the same
//! bytes as [`render_csv`](super::render_csv) gives for all the rows at once, without
//! building a table of cells first.

use std::fmt::Write as _;

use kumuh_domain::assessment::RuleSet;

use super::Error;
use super::output::{AssessedRow, export_headers};
use super::table::push_number;
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
    writer: csv::Writer<Vec<u8>>,
    criteria: Vec<String>,
    aspects: Vec<u8>,
    headers: Vec<String>,
    attribute_names: Vec<String>,
    number: String,
}

fn csv_err(source: csv::Error) -> Error {
    Error::CsvWrite { source }
}

impl ResultsCsv {
    /// A writer for results of `rules` with the extra columns `attribute_names`
    /// (sorted, as `render_csv` orders them).
    pub fn new(rules: &RuleSet, attribute_names: Vec<String>) -> Self {
        ResultsCsv {
            writer: csv::Writer::from_writer(Vec::with_capacity(1 << 16)),
            criteria: rules.criteria().iter().map(|c| c.code.clone()).collect(),
            aspects: rules.aspects().iter().map(|x| x.number).collect(),
            headers: export_headers(rules, &attribute_names),
            attribute_names,
            number: String::with_capacity(32),
        }
    }

    /// Writes the header row.
    pub fn header(&mut self) -> Result<(), Error> {
        // Extra columns are named by whoever wrote the survey table: defused too.
        for h in &self.headers {
            self.writer
                .write_field(csv_text(h).as_bytes())
                .map_err(csv_err)?;
        }
        self.writer.write_record(None::<&[u8]>).map_err(csv_err)
    }

    fn text(&mut self, s: &str) -> Result<(), Error> {
        self.writer
            .write_field(csv_text(s).as_bytes())
            .map_err(csv_err)
    }

    fn empty(&mut self) -> Result<(), Error> {
        self.writer.write_field([]).map_err(csv_err)
    }

    /// A number as `render_csv` writes it: whole values without a fraction, others
    /// in the shortest form that reads back the same.
    fn number(&mut self, n: f64) -> Result<(), Error> {
        self.number.clear();
        push_number(&mut self.number, n);
        self.writer
            .write_field(self.number.as_bytes())
            .map_err(csv_err)
    }

    fn whole(&mut self, n: impl Into<u64>) -> Result<(), Error> {
        self.number.clear();
        let _ = write!(self.number, "{}", n.into());
        self.writer
            .write_field(self.number.as_bytes())
            .map_err(csv_err)
    }

    /// Writes one result row.
    // The column lists are indexed rather than iterated: iterating would borrow `self`
    // while each field is written through it.
    #[allow(clippy::needless_range_loop)]
    pub fn row(&mut self, r: &AssessedRow) -> Result<(), Error> {
        let i = &r.source.input;
        let a = &r.result;
        self.number(r.source.row as f64)?;
        self.text(&i.kode_lokasi)?;
        self.text(&i.nama_lokasi)?;
        self.text(i.kode_desa.as_str())?;
        self.whole(i.tahun)?;
        self.number(i.luas_ha)?;
        self.whole(i.jumlah_bangunan)?;
        self.whole(i.jumlah_penduduk)?;
        self.whole(i.jumlah_kk)?;
        self.number(i.panjang_jalan_ideal_m)?;
        self.number(i.panjang_drainase_ideal_m)?;
        for k in 0..self.criteria.len() {
            // The engine lists criteria in the rule set's order; look up only if not.
            let found = match a.criteria.get(k) {
                Some(x) if x.code == self.criteria[k] => Some(x),
                _ => a.criterion(&self.criteria[k]),
            };
            match found {
                Some(x) => {
                    match x.volume {
                        Some(v) => self.number(v)?,
                        None => self.empty()?,
                    }
                    self.number(x.percent_rounded)?;
                    self.whole(x.score)?;
                }
                None => {
                    self.empty()?;
                    self.empty()?;
                    self.empty()?;
                }
            }
        }
        for k in 0..self.aspects.len() {
            match a.aspect(self.aspects[k]) {
                Some(y) => self.number(y.average_percent)?,
                None => self.empty()?,
            }
        }
        self.whole(a.total)?;
        self.whole(a.max_total)?;
        self.text(a.class.as_str())?;
        match &a.considerations {
            Some(c) => {
                self.whole(c.total)?;
                self.whole(c.group.digit())?;
            }
            None => {
                self.empty()?;
                self.empty()?;
            }
        }
        match a.legality {
            Some(l) => self.text(if l.legal { "ya" } else { "tidak" })?,
            None => self.empty()?,
        }
        match &a.priority {
            Some(p) => {
                self.text(&p.code)?;
                match p.rank {
                    Some(n) => self.whole(n)?,
                    None => self.empty()?,
                }
            }
            None => {
                self.empty()?;
                self.empty()?;
            }
        }
        match &a.handling {
            Some(h) => {
                let joined = h.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ");
                self.text(&joined)?;
            }
            None => self.empty()?,
        }
        if a.issues.is_empty() {
            self.text("")?;
        } else {
            let joined = a
                .issues
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            self.text(&joined)?;
        }
        self.text(&a.rule_set_id)?;
        self.text(&a.rule_set_version)?;
        for k in 0..self.attribute_names.len() {
            match r.source.attributes.get(&self.attribute_names[k]) {
                Some(v) => self
                    .writer
                    .write_field(csv_text(v).as_bytes())
                    .map_err(csv_err)?,
                None => self.empty()?,
            }
        }
        self.writer.write_record(None::<&[u8]>).map_err(csv_err)
    }

    /// The CSV written since the last call.
    pub fn take(&mut self) -> Result<Vec<u8>, Error> {
        let full = std::mem::replace(
            &mut self.writer,
            csv::Writer::from_writer(Vec::with_capacity(1 << 16)),
        );
        full.into_inner().map_err(|e| Error::Output {
            source: e.into_error(),
        })
    }
}
