//! Assessment tables scored in batches, for tables too large to hold and machines with
//! more than one core: one thread reads batches of records ([`BatchReader`]), any number
//! of threads read, score and write the rows of a batch as CSV ([`BatchScorer`]), and
//! one thread takes the batches back in table order, where each location's survey years
//! are checked for repeats ([`Settler`]). The rows, problems and bytes are those of
//! [`AssessmentRows`] and [`ResultsCsv`] row by row.
//!
//! A CSV record is read in place, its cells never copied; a record that is not plain
//! UTF-8, or holds a control character, goes the way [`AssessmentRows`] reads every row,
//! which names what is wrong.

use std::fmt;

use kumuh_domain::assessment::{RuleSet, Scorer, Scores};

use super::Error;
use super::read::{RowCells, RowReader, SkippedRow, TableProblem};
use super::results_csv::{ResultsCsv, ScoredRow, write_scored};
use super::stream::{AssessmentRows, Duplicates, Layout, Source, control_problems, row_text};
use super::table::{RawRow, TextRecord, raw_row};

/// The rows of a table still to read, a batch at a time.
pub struct BatchReader {
    source: Source,
}

/// Rows read from a table, and once scored, their results.
#[derive(Default)]
pub struct Batch {
    /// CSV records; only the first `len` are this batch's.
    records: Vec<csv::ByteRecord>,
    /// The row number of each record.
    numbers: Vec<usize>,
    /// Rows of a workbook.
    raw: Vec<RawRow>,
    len: usize,
    /// The error that ended the table after this batch's rows.
    error: Option<Error>,
    /// The CSV of the scored rows, one after the other.
    csv: Vec<u8>,
    /// The location codes of the scored rows, one after the other.
    codes: String,
    outcomes: Vec<Outcome>,
}

/// What became of one row of a batch.
enum Outcome {
    /// A row with no cell filled, passed over.
    Empty,
    /// A row without problems: its location code and year (in [`Batch::codes`]) and its
    /// CSV (in [`Batch::csv`]).
    Scored {
        number: usize,
        code: (usize, usize),
        tahun: u16,
        csv: (usize, usize),
    },
    /// A row with problems; the location code and year where they could be read.
    Invalid {
        key: Option<(String, u16)>,
        skipped: SkippedRow,
    },
}

/// A table's rows read, scored and written as CSV, the same for every thread.
pub struct BatchScorer<'r> {
    layout: Layout,
    rules: &'r RuleSet,
    scorer: Scorer<'r>,
    attribute_names: Vec<String>,
    /// For each extra column of the layout, the position of its header in
    /// `attribute_names`.
    attribute_slots: Vec<Option<usize>>,
    file: String,
}

/// Buffers one scoring thread keeps from row to row.
#[derive(Debug, Default)]
pub struct Scratch {
    volumes: Vec<Option<f64>>,
    scores: Scores,
    spans: Vec<(usize, usize)>,
    text: String,
}

/// Checks the rows of batches, taken in table order, for a location's survey year seen
/// before.
#[derive(Debug)]
pub struct Settler {
    seen: Duplicates,
}

/// A row of a batch, settled.
#[derive(Debug)]
pub enum Settled<'b> {
    /// A row without problems: its result as CSV.
    Row(&'b [u8]),
    /// A row with problems.
    Invalid(SkippedRow),
}

impl<'r> AssessmentRows<'r> {
    /// The table, none of whose rows has been read, to be read in batches: the reader,
    /// the scorer, and the settler of repeats. `attribute_names` are the extra columns
    /// of the results, as [`ResultsCsv::new`] takes them.
    pub fn into_batches(
        self,
        attribute_names: Vec<String>,
    ) -> (BatchReader, BatchScorer<'r>, Settler) {
        let (source, layout, rules, file) = self.into_parts();
        let attribute_slots = layout
            .attributes
            .iter()
            .map(|(_, header)| attribute_names.iter().position(|n| n == header))
            .collect();
        let settler = Settler {
            seen: Duplicates::new(&layout),
        };
        let scorer = BatchScorer {
            scorer: Scorer::new(rules),
            layout,
            rules,
            attribute_names,
            attribute_slots,
            file,
        };
        (BatchReader { source }, scorer, settler)
    }
}

impl fmt::Debug for BatchReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchReader").finish_non_exhaustive()
    }
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field("len", &self.len)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for BatchScorer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchScorer")
            .field("file", &self.file)
            .field("rule_set", &self.rules.id())
            .finish_non_exhaustive()
    }
}

impl BatchReader {
    /// Reads up to `rows` rows into `batch`, replacing what it held; false when the
    /// table had no rows left. A read error ends the batch and the table: the batch
    /// holds the rows before it, and [`Batch::take_error`] gives it.
    pub fn fill(&mut self, batch: &mut Batch, rows: usize) -> bool {
        batch.len = 0;
        batch.error = None;
        batch.raw.clear();
        batch.numbers.clear();
        match &mut self.source {
            Source::Csv(records) => {
                while batch.len < rows {
                    if batch.records.len() == batch.len {
                        batch.records.push(csv::ByteRecord::new());
                    }
                    match records.read(&mut batch.records[batch.len]) {
                        Some(Ok(number)) => {
                            batch.numbers.push(number);
                            batch.len += 1;
                        }
                        Some(Err(e)) => {
                            batch.error = Some(e);
                            break;
                        }
                        None => break,
                    }
                }
            }
            Source::Rows(raw) => {
                while batch.len < rows {
                    match raw.next() {
                        Some(Ok(row)) => {
                            batch.raw.push(row);
                            batch.len += 1;
                        }
                        Some(Err(e)) => {
                            batch.error = Some(e);
                            break;
                        }
                        None => break,
                    }
                }
            }
        }
        batch.len > 0 || batch.error.is_some()
    }
}

impl Batch {
    /// An empty batch, to be filled by [`BatchReader::fill`].
    pub fn new() -> Self {
        Batch::default()
    }

    /// The number of rows read into the batch.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the batch holds no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The error that ended the table after this batch's rows, if one did.
    pub fn take_error(&mut self) -> Option<Error> {
        self.error.take()
    }
}

impl<'r> BatchScorer<'r> {
    /// The file, as the user named it (for messages).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The header row of the results.
    pub fn header(&self) -> Result<Vec<u8>, Error> {
        let mut csv = ResultsCsv::new(self.rules, self.attribute_names.clone());
        csv.header()?;
        csv.take()
    }

    /// Reads, checks, scores and writes every row of `batch`.
    pub fn score(&self, batch: &mut Batch, scratch: &mut Scratch) {
        batch.csv.clear();
        batch.codes.clear();
        batch.outcomes.clear();
        let Batch {
            records,
            numbers,
            raw,
            len,
            csv,
            codes,
            outcomes,
            ..
        } = batch;
        if raw.is_empty() {
            for (record, &number) in records.iter().zip(numbers.iter()).take(*len) {
                let mut spans = std::mem::take(&mut scratch.spans);
                let outcome = match TextRecord::new(record, number, &mut spans) {
                    Some(row) if row.is_empty() => Outcome::Empty,
                    Some(row) => self.row(&row, Vec::new(), scratch, csv, codes),
                    None => {
                        let row = raw_row(record, number);
                        self.raw_row(&row, scratch, csv, codes)
                    }
                };
                scratch.spans = spans;
                outcomes.push(outcome);
            }
        } else {
            for row in raw.iter() {
                let outcome = self.raw_row(row, scratch, csv, codes);
                outcomes.push(outcome);
            }
        }
    }

    fn raw_row(
        &self,
        row: &RawRow,
        scratch: &mut Scratch,
        csv: &mut Vec<u8>,
        codes: &mut String,
    ) -> Outcome {
        if row.is_empty() {
            return Outcome::Empty;
        }
        let control = control_problems(row, &self.layout);
        self.row(row, control, scratch, csv, codes)
    }

    fn row<C: RowCells>(
        &self,
        row: &C,
        control: Vec<TableProblem>,
        scratch: &mut Scratch,
        csv: &mut Vec<u8>,
        codes: &mut String,
    ) -> Outcome {
        let mut reader = RowReader {
            cells: row,
            layout: &self.layout,
            problems: control,
        };
        let parsed = reader.parse(&mut scratch.volumes);
        let problems = reader.problems;
        match parsed {
            Some(parsed) if problems.is_empty() => {
                let survey = parsed.survey(&scratch.volumes);
                self.scorer.score(&survey, &mut scratch.scores);
                let mut attributes = vec![None; self.attribute_names.len()];
                for ((i, _), slot) in self.layout.attributes.iter().zip(&self.attribute_slots) {
                    let text = row.cell(*i).display();
                    if let (Some(slot), false) = (slot, text.is_empty()) {
                        attributes[*slot] = Some(text);
                    }
                }
                let attributes: Vec<Option<&str>> =
                    attributes.iter().map(|a| a.as_deref()).collect();
                let start = csv.len();
                write_scored(
                    csv,
                    &self.scorer,
                    &ScoredRow {
                        number: row.number(),
                        parsed: &parsed,
                        scores: &scratch.scores,
                        attributes: &attributes,
                    },
                    &mut scratch.text,
                );
                let code_start = codes.len();
                codes.push_str(&parsed.kode_lokasi);
                Outcome::Scored {
                    number: row.number(),
                    code: (code_start, codes.len()),
                    tahun: parsed.tahun,
                    csv: (start, csv.len()),
                }
            }
            parsed => Outcome::Invalid {
                key: parsed
                    .as_ref()
                    .map(|p| (p.kode_lokasi.clone().into_owned(), p.tahun)),
                skipped: SkippedRow {
                    row: row.number(),
                    kode_lokasi: parsed
                        .map(|p| p.kode_lokasi.into_owned())
                        .or_else(|| row_text(row, &self.layout.columns.kode_lokasi)),
                    problems,
                },
            },
        }
    }
}

impl Settler {
    /// The rows of `batch` in table order, each checked against the rows of this and
    /// earlier batches: a location's survey year seen before makes the row invalid.
    pub fn settle<'b>(&'b mut self, batch: &'b Batch) -> impl Iterator<Item = Settled<'b>> + 'b {
        batch
            .outcomes
            .iter()
            .filter_map(move |outcome| match outcome {
                Outcome::Empty => None,
                Outcome::Scored {
                    number,
                    code,
                    tahun,
                    csv,
                } => {
                    let code = batch.codes.get(code.0..code.1).unwrap_or_default();
                    let bytes = batch.csv.get(csv.0..csv.1).unwrap_or_default();
                    Some(match self.seen.check(*number, code, *tahun) {
                        None => Settled::Row(bytes),
                        Some(problem) => Settled::Invalid(SkippedRow {
                            row: *number,
                            kode_lokasi: Some(code.to_owned()),
                            problems: vec![problem],
                        }),
                    })
                }
                Outcome::Invalid { key, skipped } => {
                    let mut skipped = skipped.clone();
                    if let Some((code, tahun)) = key
                        && let Some(problem) = self.seen.check(skipped.row, code, *tahun)
                    {
                        skipped.problems.push(problem);
                    }
                    Some(Settled::Invalid(skipped))
                }
            })
    }

    /// How many locations and years were seen.
    pub fn seen(&self) -> usize {
        self.seen.len()
    }
}
