//! Reading assessment tables: headers matched in any order, every cell checked, every
//! problem reported with the row and column the user sees in their spreadsheet.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use kumuh_domain::Kode;
use kumuh_domain::assessment::{
    AssessmentInput, ConsiderationInput, LegalityInput, RuleSet, Survey,
};

use super::stream::Layout;
#[cfg(test)]
use super::table::Cell;
use super::table::{CellRef, RawRow, TextRecord, column_letter};

/// Earliest and latest survey year accepted.
pub const YEARS: std::ops::RangeInclusive<u16> = 2000..=2100;

/// One location read from a table.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentRow {
    /// The row number the user sees in their spreadsheet (the header is row 1).
    pub row: usize,
    /// What the scoring engine needs.
    pub input: AssessmentInput,
    /// Columns the template does not define, kept by their header as the user wrote it.
    pub attributes: BTreeMap<String, String>,
}

impl AssessmentRow {
    /// The desa code, for the caller to check against the places it knows.
    pub fn kode_desa(&self) -> &Kode {
        &self.input.kode_desa
    }
}

/// What to do with rows that have problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReadMode {
    /// Any problem fails the whole table: nothing is half-imported.
    #[default]
    Strict,
    /// Rows with problems are left out and listed in [`ReadOutcome::skipped`]; problems
    /// with the header still fail the table.
    SkipInvalid,
}

/// One thing wrong with a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableProblem {
    /// Row number as the user sees it; `None` for a problem with the file as a whole.
    pub row: Option<usize>,
    /// The column's header, where the problem is in one column.
    pub column: Option<String>,
    /// The column's spreadsheet letter, where known.
    pub column_letter: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for TableProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote = false;
        if let Some(row) = self.row {
            write!(f, "row {row}")?;
            wrote = true;
        }
        if let Some(column) = &self.column {
            if wrote {
                f.write_str(", ")?;
            }
            write!(f, "column {column}")?;
            if let Some(letter) = &self.column_letter {
                write!(f, " ({letter})")?;
            }
            wrote = true;
        }
        if wrote {
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in one table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct TableError {
    /// The file, as the user named it.
    pub file: String,
    /// The problems, in table order.
    pub problems: Vec<TableProblem>,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "{}: {one}", self.file),
            many => {
                write!(f, "{}: {} problems, nothing read", self.file, many.len())?;
                for p in many {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
        }
    }
}

/// A row left out in [`ReadMode::SkipInvalid`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRow {
    /// Row number as the user sees it.
    pub row: usize,
    /// The row's location code, where it had one.
    pub kode_lokasi: Option<String>,
    /// Why it was left out.
    pub problems: Vec<TableProblem>,
}

/// The rows read, and the rows left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadOutcome {
    /// Valid rows, in table order.
    pub rows: Vec<AssessmentRow>,
    /// Rows with problems, in [`ReadMode::SkipInvalid`]; always empty in strict mode.
    pub skipped: Vec<SkippedRow>,
}

impl ReadOutcome {
    /// The distinct desa codes of the rows read, for the caller to check against its
    /// store (the reader only checks their shape).
    pub fn kode_desa(&self) -> BTreeSet<&Kode> {
        self.rows.iter().map(AssessmentRow::kode_desa).collect()
    }
}

/// The cells of one data row, however the table holds them.
pub(crate) trait RowCells {
    /// The row number the user sees.
    fn number(&self) -> usize;
    /// The `i`th cell; [`CellRef::Empty`] past the row's end.
    fn cell(&self, i: usize) -> CellRef<'_>;
}

impl RowCells for RawRow {
    fn number(&self) -> usize {
        self.number
    }

    fn cell(&self, i: usize) -> CellRef<'_> {
        self.cells.get(i).map_or(CellRef::Empty, CellRef::from)
    }
}

impl RowCells for TextRecord<'_> {
    fn number(&self) -> usize {
        self.number
    }

    fn cell(&self, i: usize) -> CellRef<'_> {
        TextRecord::cell(self, i)
    }
}

/// A column the reader looks at: its name (for messages) and where it is in the table.
#[derive(Debug, Clone)]
pub(crate) struct Col {
    pub name: String,
    pub index: Option<usize>,
}

/// The columns a row is read from, found once per table.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    pub kode_lokasi: Col,
    pub nama_lokasi: Col,
    pub kode_desa: Col,
    pub tahun: Col,
    pub luas_ha: Col,
    pub jumlah_bangunan: Col,
    pub jumlah_penduduk: Col,
    pub jumlah_kk: Col,
    pub jalan: Col,
    pub drainase: Col,
    /// The volume column of each of the rule set's criteria, in the rule set's order.
    pub volumes: Vec<Col>,
    pub kepadatan: Col,
    pub nilai_strategis: Col,
    pub potensi: Col,
    pub legalitas: Col,
    pub tata_ruang: Col,
}

/// The values of one row as [`RowReader::parse`] reads them, text borrowed from the
/// row where it can be; the volumes go to a buffer the caller keeps.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParsedRow<'a> {
    pub kode_lokasi: Cow<'a, str>,
    pub nama_lokasi: Cow<'a, str>,
    pub kode_desa: DesaCode<'a>,
    pub tahun: u16,
    pub luas_ha: f64,
    pub jumlah_bangunan: u32,
    pub jumlah_penduduk: u32,
    pub jumlah_kk: u32,
    pub panjang_jalan_ideal_m: f64,
    pub panjang_drainase_ideal_m: f64,
    pub considerations: Option<ConsiderationInput>,
    pub legality: Option<LegalityInput>,
}

impl ParsedRow<'_> {
    /// What the scoring engine needs, with the volumes read beside the row.
    pub(crate) fn survey<'v>(&self, volumes: &'v [Option<f64>]) -> Survey<'v> {
        Survey {
            luas_ha: self.luas_ha,
            jumlah_bangunan: self.jumlah_bangunan,
            jumlah_penduduk: self.jumlah_penduduk,
            jumlah_kk: self.jumlah_kk,
            panjang_jalan_ideal_m: self.panjang_jalan_ideal_m,
            panjang_drainase_ideal_m: self.panjang_drainase_ideal_m,
            volumes,
            considerations: self.considerations,
            legality: self.legality,
        }
    }

    /// The row as [`AssessmentRow`] holds it, volumes by code.
    pub(crate) fn to_input(
        &self,
        rules: &RuleSet,
        volumes: &[Option<f64>],
    ) -> Option<AssessmentInput> {
        let kode_desa = Kode::parse(self.kode_desa.as_str()).ok()?;
        let mut input = AssessmentInput::new(self.kode_lokasi.as_ref(), kode_desa, self.tahun);
        input.nama_lokasi = self.nama_lokasi.clone().into_owned();
        input.luas_ha = self.luas_ha;
        input.jumlah_bangunan = self.jumlah_bangunan;
        input.jumlah_penduduk = self.jumlah_penduduk;
        input.jumlah_kk = self.jumlah_kk;
        input.panjang_jalan_ideal_m = self.panjang_jalan_ideal_m;
        input.panjang_drainase_ideal_m = self.panjang_drainase_ideal_m;
        // Built at once from the criteria's order (sorted, so no key is compared twice).
        input.volumes = rules
            .criteria()
            .iter()
            .zip(volumes)
            .filter_map(|(c, v)| v.map(|v| (c.code.clone(), v)))
            .collect();
        input.considerations = self.considerations;
        input.legality = self.legality;
        Some(input)
    }
}

/// Reads the cells of one row, collecting a problem for each bad cell.
pub(crate) struct RowReader<'a, C> {
    pub cells: &'a C,
    pub layout: &'a Layout,
    pub problems: Vec<TableProblem>,
}

impl<'a, C: RowCells> RowReader<'a, C> {
    fn cell(&self, col: &Col) -> CellRef<'a> {
        match col.index {
            Some(i) => self.cells.cell(i),
            None => CellRef::Empty,
        }
    }

    fn problem(&mut self, col: &Col, message: String) {
        self.problems.push(TableProblem {
            row: Some(self.cells.number()),
            column: Some(col.name.clone()),
            column_letter: col.index.map(|i| column_letter(self.layout.first_col + i)),
            message,
        });
    }

    /// A required cell's content, or a problem if it is empty.
    fn required<T>(&mut self, col: &Col, value: Result<Option<T>, String>) -> Option<T> {
        match value {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                self.problem(col, "is empty".to_owned());
                None
            }
            Err(message) => {
                self.problem(col, message);
                None
            }
        }
    }

    fn optional<T>(&mut self, col: &Col, value: Result<Option<T>, String>) -> Option<T> {
        match value {
            Ok(v) => v,
            Err(message) => {
                self.problem(col, message);
                None
            }
        }
    }

    fn text(&mut self, col: &Col) -> Option<Cow<'a, str>> {
        let value = match self.cell(col) {
            CellRef::Empty => Ok(None),
            other => Ok(Some(other.display())),
        };
        self.required(col, value)
    }

    fn count(&mut self, col: &Col) -> Option<u32> {
        let value = parse_count(self.cell(col));
        self.required(col, value)
    }

    fn measure(&mut self, col: &Col) -> Option<f64> {
        let value = parse_non_negative(self.cell(col));
        self.required(col, value)
    }

    fn yes_no(&mut self, col: &Col) -> Option<bool> {
        let value = parse_yes_no(self.cell(col));
        self.optional(col, value)
    }

    /// Both of a pair of yes/no columns, or neither; one alone is a problem.
    fn pair(&mut self, a: &Col, b: &Col) -> Option<(bool, bool)> {
        let (x, y) = (self.yes_no(a), self.yes_no(b));
        let (x_empty, y_empty) = (
            self.cell(a) == CellRef::Empty,
            self.cell(b) == CellRef::Empty,
        );
        match (x, y) {
            (Some(x), Some(y)) => Some((x, y)),
            _ => {
                if x_empty != y_empty {
                    let (filled, empty) = if x_empty { (b, a) } else { (a, b) };
                    self.problem(
                        empty,
                        format!(
                            "is empty while {} is filled; fill both or neither",
                            filled.name
                        ),
                    );
                }
                None
            }
        }
    }

    /// Reads every cell the rule set needs, the volumes into `volumes` (by criterion
    /// position); `None` when a required value is missing or bad, with the problems in
    /// [`RowReader::problems`] (which can also hold problems of a row that is read).
    pub(crate) fn parse(&mut self, volumes: &mut Vec<Option<f64>>) -> Option<ParsedRow<'a>> {
        let c: &'a Columns = &self.layout.columns;
        let kode_lokasi = self.text(&c.kode_lokasi);
        let nama_lokasi = self.text(&c.nama_lokasi);
        let kode_desa = {
            let value = parse_kode_desa(self.cell(&c.kode_desa));
            self.required(&c.kode_desa, value)
        };
        let tahun = {
            let value = parse_year(self.cell(&c.tahun));
            self.required(&c.tahun, value)
        };
        let luas_ha = self.measure(&c.luas_ha);
        let jumlah_bangunan = self.count(&c.jumlah_bangunan);
        let jumlah_penduduk = self.count(&c.jumlah_penduduk);
        let jumlah_kk = self.count(&c.jumlah_kk);
        let jalan = self.measure(&c.jalan);
        let drainase = self.measure(&c.drainase);
        volumes.clear();
        for col in &c.volumes {
            // An empty volume is not a table problem: the engine counts it as 0 and
            // reports it beside the result, as the published system would compute it.
            let value = parse_number(self.cell(col));
            let volume = self.optional(col, value);
            volumes.push(volume);
        }
        let kepadatan = {
            let value = parse_non_negative(self.cell(&c.kepadatan));
            self.optional(&c.kepadatan, value)
        };
        let considerations =
            self.pair(&c.nilai_strategis, &c.potensi)
                .map(|(strategis, potensi)| ConsiderationInput {
                    nilai_strategis: strategis,
                    kepadatan_jiwa_per_ha: kepadatan,
                    potensi_sosial_ekonomi: potensi,
                });
        let legality = self
            .pair(&c.legalitas, &c.tata_ruang)
            .map(|(kepemilikan, tata_ruang)| LegalityInput {
                legalitas_kepemilikan: kepemilikan,
                kesesuaian_tata_ruang: tata_ruang,
            });
        Some(ParsedRow {
            kode_lokasi: kode_lokasi?,
            nama_lokasi: nama_lokasi?,
            kode_desa: kode_desa?,
            tahun: tahun?,
            luas_ha: luas_ha?,
            jumlah_bangunan: jumlah_bangunan?,
            jumlah_penduduk: jumlah_penduduk?,
            jumlah_kk: jumlah_kk?,
            panjang_jalan_ideal_m: jalan?,
            panjang_drainase_ideal_m: drainase?,
            considerations,
            legality,
        })
    }
}

/// Parses a decimal number written with a decimal point or an Indonesian decimal comma.
///
/// `2.66` and `2,66` are both 2.66. With both separators the last one is the decimal
/// separator and the other groups thousands (`1.234,5` and `1,234.5` are 1234.5); a
/// point repeated in groups of three digits is a thousands separator (`1.234.567`).
/// Anything ambiguous or not a number is an error saying why.
///
/// # Examples
/// ```
/// use kumuh_io::assessment::parse_decimal;
/// assert_eq!(parse_decimal("2,66"), Ok(2.66));
/// assert_eq!(parse_decimal("1.234,5"), Ok(1234.5));
/// assert!(parse_decimal("dua").is_err());
/// ```
pub fn parse_decimal(text: &str) -> Result<f64, String> {
    match plain_decimal(text.trim()) {
        Some(value) => Ok(value),
        None => general_decimal(text),
    }
}

/// [`parse_decimal`] for any text: spaces between digit groups, thousands separators,
/// and the messages for what is not a number.
fn general_decimal(text: &str) -> Result<f64, String> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let not_a_number = || format!("`{}` is not a number", text.trim());
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | 'e' | 'E'))
    {
        return Err(not_a_number());
    }
    let commas = t.matches(',').count();
    let points = t.matches('.').count();
    let normalised = match (commas, points) {
        (0, 0) | (0, 1) => t.clone(),
        (1, 0) => t.replace(',', "."),
        (_, _) if commas > 0 && points > 0 => {
            let (decimal, thousands) = if t.rfind(',') > t.rfind('.') {
                (',', '.')
            } else {
                ('.', ',')
            };
            if t.matches(decimal).count() != 1 {
                return Err(not_a_number());
            }
            let (int, frac) = t.split_once(decimal).ok_or_else(not_a_number)?;
            format!(
                "{}.{frac}",
                ungroup(int, thousands).ok_or_else(not_a_number)?
            )
        }
        (0, _) => ungroup(&t, '.').ok_or_else(not_a_number)?,
        _ => {
            return Err(format!(
                "`{}` is ambiguous: several commas; write decimals with one comma or point",
                text.trim()
            ));
        }
    };
    let value: f64 = normalised.parse().map_err(|_| not_a_number())?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(not_a_number())
    }
}

/// The common case of [`parse_decimal`] without allocating: digits, a sign or exponent, and
/// at most one separator (a point, or a comma read as one). `None` for anything else,
/// which the general path reads or refuses, saying why.
fn plain_decimal(t: &str) -> Option<f64> {
    const MAX: usize = 32;
    let bytes = t.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX {
        return None;
    }
    let mut separators = 0;
    let mut buffer = [0u8; MAX];
    for (slot, &b) in buffer.iter_mut().zip(bytes) {
        *slot = match b {
            b'0'..=b'9' | b'-' | b'+' | b'e' | b'E' => b,
            b'.' | b',' => {
                separators += 1;
                b'.'
            }
            _ => return None,
        };
    }
    if separators > 1 {
        return None;
    }
    let normalised = std::str::from_utf8(&buffer[..bytes.len()]).ok()?;
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Removes thousands separators from an integer part, if they group digits by three.
fn ungroup(int: &str, separator: char) -> Option<String> {
    let (sign, digits) = match int.strip_prefix(['-', '+']) {
        Some(rest) => (&int[..1], rest),
        None => ("", int),
    };
    let groups: Vec<&str> = digits.split(separator).collect();
    let ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| format!("{sign}{}", groups.concat()))
}

fn parse_number<'a>(cell: impl Into<CellRef<'a>>) -> Result<Option<f64>, String> {
    match cell.into() {
        CellRef::Empty => Ok(None),
        CellRef::Number(n) if n.is_finite() => Ok(Some(n)),
        CellRef::Text("-") => Ok(None),
        CellRef::Text(t) => parse_decimal(t).map(Some),
        other => Err(format!("`{}` is not a number", other.display())),
    }
}

fn parse_non_negative<'a>(cell: impl Into<CellRef<'a>>) -> Result<Option<f64>, String> {
    match parse_number(cell)? {
        Some(v) if v < 0.0 => Err(format!("must not be negative, found {v}")),
        other => Ok(other),
    }
}

fn parse_count<'a>(cell: impl Into<CellRef<'a>>) -> Result<Option<u32>, String> {
    let cell = cell.into();
    let Some(v) = parse_number(cell)? else {
        return Ok(None);
    };
    if v < 0.0 {
        return Err(format!("must not be negative, found {v}"));
    }
    if v.fract() != 0.0 {
        let hint = match cell {
            CellRef::Text(t) if t.contains(['.', ',']) => {
                " (if the point or comma separates thousands, write the number without it)"
            }
            _ => "",
        };
        return Err(format!("must be a whole number, found {v}{hint}"));
    }
    if v > f64::from(u32::MAX) {
        return Err(format!("{v} is too large"));
    }
    Ok(Some(v as u32))
}

fn parse_year<'a>(cell: impl Into<CellRef<'a>>) -> Result<Option<u16>, String> {
    let cell = cell.into();
    let Some(v) = parse_number(cell)? else {
        return Ok(None);
    };
    let (lo, hi) = (*YEARS.start(), *YEARS.end());
    if v.fract() != 0.0 || v < f64::from(lo) || v > f64::from(hi) {
        return Err(format!(
            "year must be a whole number from {lo} to {hi}, found {}",
            cell.display()
        ));
    }
    Ok(Some(v as u16))
}

/// A desa code as a cell holds it, checked to be of the Kemendagri form
/// `NN.NN.NN.NNNN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DesaCode<'a>(Cow<'a, str>);

impl DesaCode<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

fn parse_kode_desa<'a>(cell: impl Into<CellRef<'a>>) -> Result<Option<DesaCode<'a>>, String> {
    let text = match cell.into() {
        CellRef::Empty => return Ok(None),
        other => other.display(),
    };
    // What `Kode::parse` takes as a code of the desa level: four groups of digits,
    // 2, 2, 2 and 4 long, after trimming.
    let is_desa = |t: &str| {
        let b = t.as_bytes();
        b.len() == 13
            && b.iter().enumerate().all(|(i, &c)| match i {
                2 | 5 | 8 => c == b'.',
                _ => c.is_ascii_digit(),
            })
    };
    let trimmed = text.trim();
    if is_desa(trimmed) {
        let code = match text {
            Cow::Borrowed(t) => Cow::Borrowed(t.trim()),
            Cow::Owned(t) => Cow::Owned(t.trim().to_owned()),
        };
        Ok(Some(DesaCode(code)))
    } else {
        Err(format!(
            "`{text}` is not a desa code; expected the Kemendagri form NN.NN.NN.NNNN, e.g. \
             35.19.09.2014"
        ))
    }
}

fn parse_yes_no<'a>(cell: impl Into<CellRef<'a>>) -> Result<Option<bool>, String> {
    match cell.into() {
        CellRef::Empty => Ok(None),
        CellRef::Bool(b) => Ok(Some(b)),
        CellRef::Number(1.0) => Ok(Some(true)),
        CellRef::Number(0.0) => Ok(Some(false)),
        other => {
            let text = other.display();
            let word = text.trim();
            // ASCII words compare without a lowercase copy; other text is lowercased
            // as Unicode (the Kelvin sign lowercases to `k`).
            let lower;
            let word = if word.is_ascii() {
                word
            } else {
                lower = word.to_lowercase();
                &lower
            };
            let is = |w: &str| word.eq_ignore_ascii_case(w);
            if ["ya", "y", "yes", "true", "benar", "1"].into_iter().any(is) {
                Ok(Some(true))
            } else if ["tidak", "tdk", "t", "no", "n", "false", "salah", "0"]
                .into_iter()
                .any(is)
            {
                Ok(Some(false))
            } else {
                Err(format!("expected ya or tidak, found `{text}`"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Result<f64, &str>) {
        let got = parse_decimal(text);
        match expected {
            Ok(v) => assert_eq!(got, Ok(v), "{text:?}"),
            Err(fragment) => {
                let message = got.expect_err(text);
                assert!(message.contains(fragment), "{text:?}: {message}");
            }
        }
    }

    #[test]
    fn decimals_in_both_notations() {
        check("2.66", Ok(2.66));
        check("2,66", Ok(2.66));
        check(" 340,5 ", Ok(340.5));
        check("-3,5", Ok(-3.5));
        check("1.234,56", Ok(1234.56));
        check("1,234.56", Ok(1234.56));
        check("1.234.567", Ok(1_234_567.0));
        check("1 234,5", Ok(1234.5));
        check("0", Ok(0.0));
        check("1e3", Ok(1000.0));
        check("1,2,3", Err("ambiguous"));
        check("1.23.4", Err("is not a number"));
        check("12,34.5,6", Err("is not a number"));
        check("dua", Err("`dua` is not a number"));
        check("inf", Err("is not a number"));
        check("NaN", Err("is not a number"));
        check("", Err("is not a number"));
        check("50%", Err("is not a number"));
    }

    #[test]
    fn the_plain_path_reads_what_the_general_one_reads() {
        // Every text of up to five characters over the characters the plain path takes.
        const CHARS: &[u8] = b"0159.,-+eE";
        let mut texts = vec![String::new()];
        let mut checked = 0;
        for _ in 0..5 {
            let mut longer = Vec::new();
            for t in &texts {
                for &c in CHARS {
                    let mut s = t.clone();
                    s.push(char::from(c));
                    if let Some(v) = plain_decimal(&s) {
                        assert_eq!(general_decimal(&s), Ok(v), "{s:?}");
                        checked += 1;
                    }
                    longer.push(s);
                }
            }
            texts = longer;
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn cells_by_kind() {
        assert_eq!(parse_count(&Cell::Text("42".into())), Ok(Some(42)));
        assert!(
            parse_count(&Cell::Text("-1".into()))
                .unwrap_err()
                .contains("negative")
        );
        assert!(
            parse_count(&Cell::Text("1.234".into()))
                .unwrap_err()
                .contains("thousands")
        );
        assert_eq!(parse_year(&Cell::Number(2025.0)), Ok(Some(2025)));
        assert!(
            parse_year(&Cell::Text("1999".into()))
                .unwrap_err()
                .contains("2000")
        );
        assert!(parse_year(&Cell::Text("2101".into())).is_err());
        assert_eq!(
            parse_kode_desa(&Cell::Text("35.19.09.2014".into()))
                .unwrap()
                .unwrap()
                .as_str(),
            "35.19.09.2014"
        );
        for bad in [
            "35.19.09",
            "35.19.9.2014",
            "3519092014",
            "35.19.09.2014.001",
            "ab",
        ] {
            assert!(parse_kode_desa(&Cell::Text(bad.into())).is_err(), "{bad}");
        }
        assert_eq!(parse_yes_no(&Cell::Text("Ya".into())), Ok(Some(true)));
        assert_eq!(parse_yes_no(&Cell::Text("TIDAK".into())), Ok(Some(false)));
        assert_eq!(parse_yes_no(&Cell::Bool(true)), Ok(Some(true)));
        assert!(parse_yes_no(&Cell::Text("mungkin".into())).is_err());
        assert_eq!(parse_number(&Cell::Text("-".into())), Ok(None));
        assert!(parse_number(&Cell::Other("#DIV/0!".into())).is_err());
    }
}
