//! Assessment tables read one row at a time: [`AssessmentRows`] yields each row checked,
//! with its row number, so that a caller can store 200,000 rows without holding them all.
//! A CSV table is read record by record (memory does not grow with the file beyond one
//! key per row for the duplicate check); an XLSX sheet is read within its limits
//! (see [`MAX_CELLS`](super::MAX_CELLS)). The whole-table functions
//! ([`read_assessments`] and the like) collect the same rows.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

use kumuh_domain::assessment::RuleSet;

use super::Error;
use super::columns::{ColumnSpec, columns, normalise_header, volume_column};
use super::read::{
    AssessmentRow, ReadMode, ReadOutcome, RowReader, SkippedRow, TableError, TableProblem,
};
use super::table::{Cell, Head, RawRow, RawRows, column_letter, open_csv, open_workbook};
use crate::text::{control_character, describe_control};

/// One row of a table as [`AssessmentRows`] reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum RowRead {
    /// A row without problems.
    Valid(AssessmentRow),
    /// A row with problems: its number, its location code where it had one, and every
    /// problem.
    Invalid(SkippedRow),
}

/// An assessment table read row by row. The header is checked when the table is opened
/// (a missing or doubled column fails the opening); each row is checked as it is read.
///
/// # Examples
/// ```
/// use kumuh_domain::assessment::RuleSet;
/// use kumuh_io::assessment::{AssessmentRows, RowRead, write_template_csv};
/// let rules = RuleSet::default_rules();
/// let mut csv = Vec::new();
/// write_template_csv(&rules, &mut csv).unwrap();
/// csv.extend_from_slice(b"K01\n");
/// let rows = AssessmentRows::from_csv(std::io::Cursor::new(csv), "t.csv", &rules).unwrap();
/// for row in rows {
///     match row.unwrap() {
///         RowRead::Valid(_) => unreachable!("the row has only a code"),
///         RowRead::Invalid(skipped) => assert_eq!(skipped.row, 2),
///     }
/// }
/// ```
pub struct AssessmentRows<'r> {
    file: String,
    rules: &'r RuleSet,
    layout: Layout,
    raw: RawRows,
    // A location appears once per survey year: several years of one location are its
    // history, the same year twice is a mistake. The codes are boxed: this map is most of
    // the reader's memory on a table of a million rows.
    seen: HashMap<(Box<str>, u16), usize>,
}

impl fmt::Debug for AssessmentRows<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssessmentRows")
            .field("file", &self.file)
            .field("rule_set", &self.rules.id())
            .field("rows_seen", &self.seen.len())
            .finish_non_exhaustive()
    }
}

impl<'r> AssessmentRows<'r> {
    /// Opens a table file: `.csv` (or `.txt`/`.tsv`) as delimited text, read as it goes;
    /// `.xlsx`, `.xlsm`, `.xls` and `.ods` as a workbook whose first sheet other than
    /// `Petunjuk` holds the table.
    pub fn open(path: &Path, rules: &'r RuleSet) -> Result<Self, Error> {
        let file = path.display().to_string();
        let read_err = |source| Error::Read {
            path: path.to_owned(),
            source,
        };
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" | "tsv" => {
                let f = std::fs::File::open(path).map_err(read_err)?;
                Self::from_csv(std::io::BufReader::new(f), &file, rules)
            }
            "xlsx" | "xlsm" | "xls" | "ods" => {
                let bytes = std::fs::read(path).map_err(read_err)?;
                Self::from_workbook(&bytes, &file, rules)
            }
            _ => Err(Error::UnsupportedFormat { file }),
        }
    }

    /// Reads CSV from any reader, one record at a time. The delimiter (`,`, `;` or tab)
    /// is sniffed from the header line; numbers may use a decimal point or an
    /// Indonesian decimal comma.
    pub fn from_csv(
        input: impl Read + 'static,
        file: &str,
        rules: &'r RuleSet,
    ) -> Result<Self, Error> {
        let (head, raw) = open_csv(Box::new(input), file)?;
        Self::new(head, raw, file, rules)
    }

    /// Reads a workbook (XLSX, XLS or ODS) held in memory.
    pub fn from_workbook(bytes: &[u8], file: &str, rules: &'r RuleSet) -> Result<Self, Error> {
        let (head, raw) = open_workbook(bytes, file)?;
        Self::new(head, raw, file, rules)
    }

    fn new(head: Head, raw: RawRows, file: &str, rules: &'r RuleSet) -> Result<Self, Error> {
        Ok(AssessmentRows {
            layout: layout(&head, rules, file)?,
            file: file.to_owned(),
            rules,
            raw,
            seen: HashMap::new(),
        })
    }

    /// The file, as the user named it (for messages).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The headers of the columns the rule set does not define, trimmed, in table
    /// order: what a row fills in them it keeps as its attributes.
    pub fn extra_columns(&self) -> impl Iterator<Item = &str> {
        self.layout.attributes.iter().map(|(_, h)| h.as_str())
    }

    /// Reads every row: in strict mode any problem fails the table with all of them;
    /// with [`ReadMode::SkipInvalid`] rows with problems are listed instead.
    pub fn collect_outcome(self, mode: ReadMode) -> Result<ReadOutcome, Error> {
        let file = self.file.clone();
        let mut outcome = ReadOutcome::default();
        let mut problems = Vec::new();
        for row in self {
            match row? {
                RowRead::Valid(row) => outcome.rows.push(row),
                RowRead::Invalid(skipped) => match mode {
                    ReadMode::Strict => problems.extend(skipped.problems),
                    ReadMode::SkipInvalid => outcome.skipped.push(skipped),
                },
            }
        }
        if problems.is_empty() {
            Ok(outcome)
        } else {
            Err(Error::Table(TableError { file, problems }))
        }
    }

    fn read_row(&mut self, raw: &RawRow) -> RowRead {
        let letter = |i: usize| column_letter(self.layout.first_col + i);
        let mut control = Vec::new();
        for (i, cell) in raw.cells.iter().enumerate() {
            if let Cell::Text(s) | Cell::Other(s) = cell
                && let Some(c) = control_character(s)
            {
                control.push(TableProblem {
                    row: Some(raw.number),
                    column: self.layout.header(i).map(str::to_owned),
                    column_letter: Some(letter(i)),
                    message: describe_control(c),
                });
            }
        }
        let mut reader = RowReader {
            raw,
            layout: &self.layout,
            first_col: self.layout.first_col,
            problems: control,
        };
        let parsed = reader.parse(self.rules);
        let mut problems = reader.problems;
        if let Some(p) = &parsed {
            let key: (Box<str>, u16) = (p.input.kode_lokasi.as_str().into(), p.input.tahun);
            if let Some(first) = self.seen.get(&key) {
                problems.push(TableProblem {
                    row: Some(raw.number),
                    column: Some("kode_lokasi".to_owned()),
                    column_letter: self
                        .layout
                        .known
                        .get("kode_lokasi")
                        .map(|(i, _)| letter(*i)),
                    message: format!("`{}` {} is also in row {first}", key.0, key.1),
                });
            } else {
                self.seen.insert(key, raw.number);
            }
        }
        match parsed {
            Some(row) if problems.is_empty() => RowRead::Valid(row),
            parsed => RowRead::Invalid(SkippedRow {
                row: raw.number,
                kode_lokasi: parsed
                    .map(|p| p.input.kode_lokasi)
                    .or_else(|| row_text(raw, &self.layout, "kode_lokasi")),
                problems,
            }),
        }
    }
}

impl Iterator for AssessmentRows<'_> {
    type Item = Result<RowRead, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let raw = match self.raw.next()? {
                Ok(raw) => raw,
                Err(e) => return Some(Err(e)),
            };
            if raw.cells.iter().all(|c| *c == Cell::Empty) {
                continue;
            }
            return Some(Ok(self.read_row(&raw)));
        }
    }
}

/// Reads an assessment table from a file: `.csv` (or `.txt`/`.tsv`) as delimited text,
/// `.xlsx`, `.xlsm`, `.xls` and `.ods` as a workbook whose first sheet other than
/// `Petunjuk` holds the table. Every row is held in memory; [`AssessmentRows::open`]
/// reads the same rows one at a time.
pub fn read_assessments(
    path: &Path,
    rules: &RuleSet,
    mode: ReadMode,
) -> Result<ReadOutcome, Error> {
    AssessmentRows::open(path, rules)?.collect_outcome(mode)
}

/// Reads an assessment table from CSV bytes. The delimiter (`,`, `;` or tab) is sniffed
/// from the header line; numbers may use a decimal point or an Indonesian decimal comma
/// (`2,66`, quoted in a comma-delimited file).
///
/// # Examples
/// ```
/// use kumuh_domain::assessment::RuleSet;
/// use kumuh_io::assessment::{ReadMode, read_assessments_csv};
/// let rules = RuleSet::default_rules();
/// let csv = "kode_lokasi;nama_lokasi;kode_desa;tahun;luas_ha;jumlah_bangunan;jumlah_penduduk;\
/// jumlah_kk;panjang_jalan_ideal_m;panjang_drainase_ideal_m;v1a;v1b;v1c;v2a;v2b;v3a;v3b;v4a;v4b;\
/// v4c;v5a;v5b;v6a;v6b;v7a;v7b\n\
/// K01;Wungu RT 003;35.19.09.2014;2025;2,66;33;168;42;400;0;0;0;0;100;300;1;0;0;0;0;7;7;42;42;33;33\n";
/// let outcome = read_assessments_csv(csv.as_bytes(), "wungu.csv", &rules, ReadMode::Strict).unwrap();
/// assert_eq!(outcome.rows[0].input.luas_ha, 2.66);
/// assert_eq!(outcome.rows[0].row, 2);
/// ```
pub fn read_assessments_csv(
    bytes: &[u8],
    file: &str,
    rules: &RuleSet,
    mode: ReadMode,
) -> Result<ReadOutcome, Error> {
    AssessmentRows::from_csv(std::io::Cursor::new(bytes.to_vec()), file, rules)?
        .collect_outcome(mode)
}

/// Reads an assessment table from workbook bytes (XLSX, XLS or ODS).
pub fn read_assessments_workbook(
    bytes: &[u8],
    file: &str,
    rules: &RuleSet,
    mode: ReadMode,
) -> Result<ReadOutcome, Error> {
    AssessmentRows::from_workbook(bytes, file, rules)?.collect_outcome(mode)
}

/// Where each known column is, and which columns are attributes.
pub(crate) struct Layout {
    pub known: foldhash::HashMap<String, (usize, ColumnSpec)>,
    /// The volume column of each of the rule set's criteria, in the rule set's order.
    pub volume_columns: Vec<String>,
    pub attributes: Vec<(usize, String)>,
    first_col: usize,
    headers: Vec<String>,
}

impl Layout {
    /// The header of the `i`th column, if it has one.
    fn header(&self, i: usize) -> Option<&str> {
        self.headers
            .get(i)
            .map(|h| h.trim())
            .filter(|h| !h.is_empty())
    }
}

fn layout(head: &Head, rules: &RuleSet, file: &str) -> Result<Layout, Error> {
    let specs = columns(rules);
    let mut known: foldhash::HashMap<String, (usize, ColumnSpec)> = Default::default();
    let mut attributes = Vec::new();
    let mut problems = Vec::new();
    let header_problem = |column: &str, index: Option<usize>, message: String| TableProblem {
        row: Some(head.header_row),
        column: Some(column.to_owned()),
        column_letter: index.map(|i| column_letter(head.first_col + i)),
        message,
    };
    for (i, header) in head.headers.iter().enumerate() {
        if let Some(c) = control_character(header) {
            problems.push(header_problem(
                &header.escape_default().to_string(),
                Some(i),
                describe_control(c),
            ));
            continue;
        }
        let name = normalise_header(header);
        if name.is_empty() {
            continue;
        }
        match specs.iter().find(|s| s.name == name) {
            Some(spec) => {
                if let Some((first, _)) = known.get(&name) {
                    problems.push(header_problem(
                        &name,
                        Some(i),
                        format!(
                            "appears twice, in columns {} and {}",
                            column_letter(head.first_col + first),
                            column_letter(head.first_col + i)
                        ),
                    ));
                } else {
                    known.insert(name, (i, spec.clone()));
                }
            }
            None => attributes.push((i, header.trim().to_owned())),
        }
    }
    for spec in specs.iter().filter(|s| s.required) {
        if !known.contains_key(&spec.name) {
            problems.push(TableProblem {
                row: Some(head.header_row),
                column: Some(spec.name.clone()),
                column_letter: None,
                message: format!(
                    "missing column (required by rule set {}; units: {})",
                    rules.id(),
                    if spec.unit.is_empty() {
                        "text"
                    } else {
                        &spec.unit
                    }
                ),
            });
        }
    }
    if problems.is_empty() {
        Ok(Layout {
            known,
            volume_columns: rules
                .criteria()
                .iter()
                .map(|c| volume_column(&c.code))
                .collect(),
            attributes,
            first_col: head.first_col,
            headers: head.headers.clone(),
        })
    } else {
        Err(Error::Table(TableError {
            file: file.to_owned(),
            problems,
        }))
    }
}

fn row_text(raw: &RawRow, layout: &Layout, column: &str) -> Option<String> {
    let (i, _) = layout.known.get(column)?;
    let text = raw.cells.get(*i)?.display();
    (!text.is_empty()).then_some(text)
}
