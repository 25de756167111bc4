//! Assessment tables in and out: survey tables (CSV or XLSX, one row per location) read
//! into [`AssessmentInput`](kumuh_domain::assessment::AssessmentInput)s, empty templates
//! for surveyors, and results as JSON, text, CSV and XLSX.
//!
//! Reading checks every cell and reports every problem at once, with the row number and
//! column the user sees in Excel (the header is row 1). Whether each `kode_desa` is a
//! desa the atlas knows is for the caller to check against its store:
//! [`ReadOutcome::kode_desa`] lists them.
//!
//! Tables can be read whole ([`read_assessments`]), one row at a time
//! ([`AssessmentRows`]), which is what a large import should use, or in batches scored
//! on several threads ([`AssessmentRows::into_batches`]), which is how results are
//! written for a table of any length.
//!
//! `docs/assessment.md` describes the columns and the rule set file format.

mod batch;
mod columns;
mod output;
mod read;
mod results_csv;
mod stream;
pub(crate) mod table;
mod template;
mod xlsx;

use std::path::{Path, PathBuf};

use kumuh_domain::assessment::RuleSet;

pub use batch::{Batch, BatchReader, BatchScorer, Scratch, Settled, Settler};
pub use columns::{ColumnKind, ColumnSpec, columns, volume_column};
pub use output::{
    AssessedRow, assess_rows, hasil, render_csv, render_json, render_skipped, render_table,
    render_xlsx, stored_json, to_json,
};
pub use read::{
    AssessmentRow, ReadMode, ReadOutcome, SkippedRow, TableError, TableProblem, YEARS,
    parse_decimal,
};
pub use results_csv::ResultsCsv;
pub use stream::{
    AssessmentRows, RowRead, read_assessments, read_assessments_csv, read_assessments_workbook,
};
pub use template::{DATA_SHEET, write_template_csv, write_template_xlsx};
pub use xlsx::{MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_TABLE_COLUMNS};

/// Why an assessment table could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file's extension is not one of the table formats.
    #[error("{file}: unsupported file type; use .csv, .xlsx, .xls or .ods")]
    UnsupportedFormat {
        /// The file.
        file: String,
    },
    /// The CSV text could not be parsed.
    #[error("{file}: not a readable CSV table")]
    Csv {
        /// The file.
        file: String,
        /// The cause.
        #[source]
        source: csv::Error,
    },
    /// The workbook could not be opened or its sheet read.
    #[error("{file}: not a readable spreadsheet")]
    Workbook {
        /// The file.
        file: String,
        /// The cause.
        #[source]
        source: calamine::Error,
    },
    /// A cell reference of an XLSX sheet is broken or beyond what Kumuh reads
    /// ([`MAX_ROWS`], [`MAX_COLUMNS`], [`MAX_TABLE_COLUMNS`], [`MAX_CELLS`]); nothing is
    /// read from the sheet.
    #[error("{file}, sheet {sheet}, cell {cell}: {message}")]
    SheetLimit {
        /// The file.
        file: String,
        /// The sheet.
        sheet: String,
        /// The cell, as the file wrote its reference (or the row).
        cell: String,
        /// What is wrong.
        message: String,
    },
    /// The workbook has no data sheet (only `Petunjuk`, or none at all).
    #[error("{file}: the workbook has no sheet with data")]
    NoSheet {
        /// The file.
        file: String,
    },
    /// The table has problems: every one of them, with row and column.
    #[error(transparent)]
    Table(#[from] TableError),
    /// A rule set could not be loaded.
    #[error("cannot load rule set `{spec}`")]
    Rules {
        /// The file or built-in identifier asked for.
        spec: String,
        /// The cause.
        #[source]
        source: kumuh_domain::assessment::Error,
    },
    /// A rule set file could not be read.
    #[error("cannot read rule set file {}", path.display())]
    RulesFile {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Writing the output failed.
    #[error("cannot write the output")]
    Output {
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Writing CSV failed.
    #[error("cannot write CSV")]
    CsvWrite {
        /// The cause.
        #[source]
        source: csv::Error,
    },
    /// Building the XLSX workbook failed.
    #[error("cannot write the XLSX workbook")]
    XlsxWrite {
        /// The cause.
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
    /// More columns than a worksheet holds.
    #[error("too many columns for a worksheet")]
    TooManyColumns,
    /// More rows than a worksheet holds.
    #[error("too many rows for a worksheet")]
    TooManyRows,
}

/// Loads a rule set named on a command line: a path to a TOML file (anything ending in
/// `.toml`, or an existing file), else the identifier of a built-in rule set.
///
/// # Examples
/// ```
/// let rules = kumuh_io::assessment::load_rules("permen-pupr-02-2016").unwrap();
/// assert_eq!(rules.criteria().len(), 19);
/// assert!(kumuh_io::assessment::load_rules("no-such-rules").is_err());
/// ```
pub fn load_rules(spec: &str) -> Result<RuleSet, Error> {
    let path = Path::new(spec);
    if spec.ends_with(".toml") || path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|source| Error::RulesFile {
            path: path.to_owned(),
            source,
        })?;
        RuleSet::from_toml_str(&text).map_err(|source| Error::Rules {
            spec: spec.to_owned(),
            source,
        })
    } else {
        RuleSet::builtin(spec).map_err(|source| Error::Rules {
            spec: spec.to_owned(),
            source,
        })
    }
}
