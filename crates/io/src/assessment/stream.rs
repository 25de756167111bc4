//! Assessment tables read one row at a time: [`AssessmentRows`] yields each row checked,
//! with its row number, so that a caller can store 200,000 rows without holding them all.
//! A CSV table is read record by record (memory does not grow with the file beyond one
//! key per row for the duplicate check); an XLSX sheet is read within its limits
//! (see [`MAX_CELLS`](super::MAX_CELLS)). The whole-table functions
//! ([`read_assessments`] and the like) collect the same rows.

use std::collections::hash_map::Entry;
use std::fmt;
use std::io::Read;
use std::path::Path;

use kumuh_domain::assessment::RuleSet;

use super::Error;
use super::columns::{ColumnSpec, columns, normalise_header, volume_column};
use super::read::{
    AssessmentRow, Col, Columns, ReadMode, ReadOutcome, RowCells, RowReader, SkippedRow,
    TableError, TableProblem,
};
use super::table::{
    Cell, CsvRecords, Head, RawRow, RawRows, column_letter, open_csv_records, open_workbook,
};
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
    raw: Source,
    seen: Duplicates,
    /// The volumes of the row being read, by criterion position.
    volumes: Vec<Option<f64>>,
}

/// Where the rows of a table come from.
pub(crate) enum Source {
    /// A CSV file's records, read as they are needed.
    Csv(CsvRecords),
    /// A workbook's rows.
    Rows(RawRows),
}

impl Iterator for Source {
    type Item = Result<RawRow, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Source::Csv(records) => records.next(),
            Source::Rows(rows) => rows.next(),
        }
    }
}

/// The locations and years seen so far in a table, in table order.
///
/// A location appears once per survey year: several years of one location are its
/// history, the same year twice is a mistake.
#[derive(Debug)]
pub(crate) struct Duplicates {
    // This map is most of the reader's memory on a table of a million rows: short codes
    // are kept inline, longer ones boxed.
    seen: foldhash::HashMap<SeenKey, usize>,
    /// The spreadsheet letter of the `kode_lokasi` column.
    letter: Option<String>,
}

/// A location code and a year, as [`Duplicates`] keeps them.
#[derive(Debug, PartialEq, Eq, Hash)]
enum SeenKey {
    /// A code of up to [`SeenKey::INLINE`] bytes, without an allocation of its own.
    Short {
        len: u8,
        bytes: [u8; SeenKey::INLINE],
        tahun: u16,
    },
    Long(Box<str>, u16),
}

impl SeenKey {
    const INLINE: usize = 22;

    fn new(code: &str, tahun: u16) -> Self {
        let mut bytes = [0u8; Self::INLINE];
        match (bytes.get_mut(..code.len()), u8::try_from(code.len())) {
            (Some(slot), Ok(len)) => {
                slot.copy_from_slice(code.as_bytes());
                SeenKey::Short { len, bytes, tahun }
            }
            _ => SeenKey::Long(code.into(), tahun),
        }
    }
}

impl Duplicates {
    pub(crate) fn new(layout: &Layout) -> Self {
        Duplicates {
            seen: Default::default(),
            letter: layout
                .columns
                .kode_lokasi
                .index
                .map(|i| column_letter(layout.first_col + i)),
        }
    }

    /// Notes that row `number` holds `kode_lokasi` in `tahun`; the problem if an
    /// earlier row already did.
    pub(crate) fn check(
        &mut self,
        number: usize,
        kode_lokasi: &str,
        tahun: u16,
    ) -> Option<TableProblem> {
        match self.seen.entry(SeenKey::new(kode_lokasi, tahun)) {
            Entry::Occupied(first) => Some(TableProblem {
                row: Some(number),
                column: Some("kode_lokasi".to_owned()),
                column_letter: self.letter.clone(),
                message: format!("`{kode_lokasi}` {tahun} is also in row {}", first.get()),
            }),
            Entry::Vacant(slot) => {
                slot.insert(number);
                None
            }
        }
    }

    /// How many locations and years were seen.
    pub(crate) fn len(&self) -> usize {
        self.seen.len()
    }
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
                // Records are read in blocks far larger than BufReader's 8 KiB.
                Self::from_csv(std::io::BufReader::with_capacity(1 << 18, f), &file, rules)
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
        let (head, records) = open_csv_records(Box::new(input), file)?;
        Self::new(head, Source::Csv(records), file, rules)
    }

    /// Reads a workbook (XLSX, XLS or ODS) held in memory.
    pub fn from_workbook(bytes: &[u8], file: &str, rules: &'r RuleSet) -> Result<Self, Error> {
        let (head, raw) = open_workbook(bytes, file)?;
        Self::new(head, Source::Rows(raw), file, rules)
    }

    fn new(head: Head, raw: Source, file: &str, rules: &'r RuleSet) -> Result<Self, Error> {
        let layout = layout(&head, rules, file)?;
        Ok(AssessmentRows {
            seen: Duplicates::new(&layout),
            layout,
            file: file.to_owned(),
            rules,
            raw,
            volumes: Vec::new(),
        })
    }

    /// The parts of the table as [`super::batch`] reads it: the rows still to read, its
    /// layout and rule set, and the file's name.
    pub(crate) fn into_parts(self) -> (Source, Layout, &'r RuleSet, String) {
        (self.raw, self.layout, self.rules, self.file)
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
        let mut reader = RowReader {
            cells: raw,
            layout: &self.layout,
            problems: control_problems(raw, &self.layout),
        };
        let parsed = reader.parse(&mut self.volumes);
        let mut problems = reader.problems;
        let parsed = parsed.and_then(|p| {
            let input = p.to_input(self.rules, &self.volumes)?;
            Some(AssessmentRow {
                row: raw.number,
                input,
                attributes: attributes(raw, &self.layout),
            })
        });
        if let Some(p) = &parsed
            && let Some(problem) = self
                .seen
                .check(raw.number, &p.input.kode_lokasi, p.input.tahun)
        {
            problems.push(problem);
        }
        match parsed {
            Some(row) if problems.is_empty() => RowRead::Valid(row),
            parsed => RowRead::Invalid(SkippedRow {
                row: raw.number,
                kode_lokasi: parsed
                    .map(|p| p.input.kode_lokasi)
                    .or_else(|| row_text(raw, &self.layout.columns.kode_lokasi)),
                problems,
            }),
        }
    }
}

/// A problem for each cell of a row that holds a control character.
pub(crate) fn control_problems(raw: &RawRow, layout: &Layout) -> Vec<TableProblem> {
    let mut control = Vec::new();
    for (i, cell) in raw.cells.iter().enumerate() {
        if let Cell::Text(s) | Cell::Other(s) = cell
            && let Some(c) = control_character(s)
        {
            control.push(TableProblem {
                row: Some(raw.number),
                column: layout.header(i).map(str::to_owned),
                column_letter: Some(column_letter(layout.first_col + i)),
                message: describe_control(c),
            });
        }
    }
    control
}

/// The filled cells of the columns the rule set does not define, by header.
fn attributes(row: &impl RowCells, layout: &Layout) -> std::collections::BTreeMap<String, String> {
    layout
        .attributes
        .iter()
        .filter_map(|(i, header)| {
            let text = row.cell(*i).display();
            (!text.is_empty()).then(|| (header.clone(), text.into_owned()))
        })
        .collect()
}

impl Iterator for AssessmentRows<'_> {
    type Item = Result<RowRead, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let raw = match self.raw.next()? {
                Ok(raw) => raw,
                Err(e) => return Some(Err(e)),
            };
            if raw.is_empty() {
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
    /// The columns rows are read from.
    pub columns: Columns,
    pub attributes: Vec<(usize, String)>,
    pub first_col: usize,
    headers: Vec<String>,
}

impl Layout {
    /// The header of the `i`th column, if it has one.
    pub(crate) fn header(&self, i: usize) -> Option<&str> {
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
        let col = |name: &str| Col {
            name: name.to_owned(),
            index: known.get(name).map(|(i, _)| *i),
        };
        let columns = Columns {
            kode_lokasi: col("kode_lokasi"),
            nama_lokasi: col("nama_lokasi"),
            kode_desa: col("kode_desa"),
            tahun: col("tahun"),
            luas_ha: col("luas_ha"),
            jumlah_bangunan: col("jumlah_bangunan"),
            jumlah_penduduk: col("jumlah_penduduk"),
            jumlah_kk: col("jumlah_kk"),
            jalan: col("panjang_jalan_ideal_m"),
            drainase: col("panjang_drainase_ideal_m"),
            volumes: rules
                .criteria()
                .iter()
                .map(|c| col(&volume_column(&c.code)))
                .collect(),
            kepadatan: col("kepadatan_penduduk"),
            nilai_strategis: col("nilai_strategis"),
            potensi: col("potensi_sosial_ekonomi"),
            legalitas: col("legalitas_kepemilikan"),
            tata_ruang: col("kesesuaian_tata_ruang"),
        };
        Ok(Layout {
            columns,
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

/// The text of a row's cell in a column, where it has one.
pub(crate) fn row_text(row: &impl RowCells, column: &Col) -> Option<String> {
    let text = row.cell(column.index?).display();
    (!text.is_empty()).then(|| text.into_owned())
}
