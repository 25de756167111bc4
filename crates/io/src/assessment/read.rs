//! Reading assessment tables: headers matched in any order, every cell checked, every
//! problem reported with the row and column the user sees in their spreadsheet.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use kumuh_domain::assessment::{AssessmentInput, ConsiderationInput, LegalityInput, RuleSet};
use kumuh_domain::{Kode, Level};

use super::stream::Layout;
use super::table::{Cell, RawRow, column_letter};

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

/// Reads the cells of one row, collecting a problem for each bad cell.
pub(crate) struct RowReader<'a> {
    pub raw: &'a RawRow,
    pub layout: &'a Layout,
    pub first_col: usize,
    pub problems: Vec<TableProblem>,
}

impl RowReader<'_> {
    fn cell(&self, column: &str) -> (&Cell, Option<usize>) {
        match self.layout.known.get(column) {
            Some((i, _)) => (self.raw.cells.get(*i).unwrap_or(&Cell::Empty), Some(*i)),
            None => (&Cell::Empty, None),
        }
    }

    fn problem(&mut self, column: &str, message: String) {
        let letter = self
            .layout
            .known
            .get(column)
            .map(|(i, _)| column_letter(self.first_col + i));
        self.problems.push(TableProblem {
            row: Some(self.raw.number),
            column: Some(column.to_owned()),
            column_letter: letter,
            message,
        });
    }

    /// A required cell's content, or a problem if it is empty.
    fn required<T>(&mut self, column: &str, value: Result<Option<T>, String>) -> Option<T> {
        match value {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                self.problem(column, "is empty".to_owned());
                None
            }
            Err(message) => {
                self.problem(column, message);
                None
            }
        }
    }

    fn optional<T>(&mut self, column: &str, value: Result<Option<T>, String>) -> Option<T> {
        match value {
            Ok(v) => v,
            Err(message) => {
                self.problem(column, message);
                None
            }
        }
    }

    fn text(&mut self, column: &str) -> Option<String> {
        let value = match self.cell(column).0 {
            Cell::Empty => Ok(None),
            other => Ok(Some(other.display())),
        };
        self.required(column, value)
    }

    fn count(&mut self, column: &str) -> Option<u32> {
        let value = parse_count(self.cell(column).0);
        self.required(column, value)
    }

    fn measure(&mut self, column: &str) -> Option<f64> {
        let value = parse_non_negative(self.cell(column).0);
        self.required(column, value)
    }

    fn yes_no(&mut self, column: &str) -> Option<bool> {
        let value = parse_yes_no(self.cell(column).0);
        self.optional(column, value)
    }

    /// Both of a pair of yes/no columns, or neither; one alone is a problem.
    fn pair(&mut self, a: &str, b: &str) -> Option<(bool, bool)> {
        let (x, y) = (self.yes_no(a), self.yes_no(b));
        let (x_empty, y_empty) = (
            *self.cell(a).0 == Cell::Empty,
            *self.cell(b).0 == Cell::Empty,
        );
        match (x, y) {
            (Some(x), Some(y)) => Some((x, y)),
            _ => {
                if x_empty != y_empty {
                    let (filled, empty) = if x_empty { (b, a) } else { (a, b) };
                    self.problem(
                        empty,
                        format!("is empty while {filled} is filled; fill both or neither"),
                    );
                }
                None
            }
        }
    }

    pub(crate) fn parse(&mut self, rules: &RuleSet) -> Option<AssessmentRow> {
        let kode_lokasi = self.text("kode_lokasi");
        let nama_lokasi = self.text("nama_lokasi");
        let kode_desa = {
            let value = parse_kode_desa(self.cell("kode_desa").0);
            self.required("kode_desa", value)
        };
        let tahun = {
            let value = parse_year(self.cell("tahun").0);
            self.required("tahun", value)
        };
        let luas_ha = self.measure("luas_ha");
        let jumlah_bangunan = self.count("jumlah_bangunan");
        let jumlah_penduduk = self.count("jumlah_penduduk");
        let jumlah_kk = self.count("jumlah_kk");
        let jalan = self.measure("panjang_jalan_ideal_m");
        let drainase = self.measure("panjang_drainase_ideal_m");
        let layout = self.layout;
        let mut volumes = Vec::with_capacity(layout.volume_columns.len());
        for (c, column) in rules.criteria().iter().zip(&layout.volume_columns) {
            // An empty volume is not a table problem: the engine counts it as 0 and
            // reports it beside the result, as the published system would compute it.
            let value = parse_number(self.cell(column).0);
            if let Some(v) = self.optional(column, value) {
                volumes.push((c.code.clone(), v));
            }
        }
        let kepadatan = {
            let value = parse_non_negative(self.cell("kepadatan_penduduk").0);
            self.optional("kepadatan_penduduk", value)
        };
        let considerations =
            self.pair("nilai_strategis", "potensi_sosial_ekonomi")
                .map(|(strategis, potensi)| ConsiderationInput {
                    nilai_strategis: strategis,
                    kepadatan_jiwa_per_ha: kepadatan,
                    potensi_sosial_ekonomi: potensi,
                });
        let legality = self
            .pair("legalitas_kepemilikan", "kesesuaian_tata_ruang")
            .map(|(kepemilikan, tata_ruang)| LegalityInput {
                legalitas_kepemilikan: kepemilikan,
                kesesuaian_tata_ruang: tata_ruang,
            });
        let attributes = self
            .layout
            .attributes
            .iter()
            .filter_map(|(i, header)| {
                let text = self.raw.cells.get(*i)?.display();
                (!text.is_empty()).then(|| (header.clone(), text))
            })
            .collect();

        let mut input = AssessmentInput::new(kode_lokasi?, kode_desa?, tahun?);
        input.nama_lokasi = nama_lokasi?;
        input.luas_ha = luas_ha?;
        input.jumlah_bangunan = jumlah_bangunan?;
        input.jumlah_penduduk = jumlah_penduduk?;
        input.jumlah_kk = jumlah_kk?;
        input.panjang_jalan_ideal_m = jalan?;
        input.panjang_drainase_ideal_m = drainase?;
        // Built at once from the criteria's order (sorted, so no key is compared twice).
        input.volumes = volumes.into_iter().collect();
        input.considerations = considerations;
        input.legality = legality;
        Some(AssessmentRow {
            row: self.raw.number,
            input,
            attributes,
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

fn parse_number(cell: &Cell) -> Result<Option<f64>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(n) if n.is_finite() => Ok(Some(*n)),
        Cell::Text(t) if t == "-" => Ok(None),
        Cell::Text(t) => parse_decimal(t).map(Some),
        other => Err(format!("`{}` is not a number", other.display())),
    }
}

fn parse_non_negative(cell: &Cell) -> Result<Option<f64>, String> {
    match parse_number(cell)? {
        Some(v) if v < 0.0 => Err(format!("must not be negative, found {v}")),
        other => Ok(other),
    }
}

fn parse_count(cell: &Cell) -> Result<Option<u32>, String> {
    let Some(v) = parse_number(cell)? else {
        return Ok(None);
    };
    if v < 0.0 {
        return Err(format!("must not be negative, found {v}"));
    }
    if v.fract() != 0.0 {
        let hint = match cell {
            Cell::Text(t) if t.contains(['.', ',']) => {
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

fn parse_year(cell: &Cell) -> Result<Option<u16>, String> {
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

fn parse_kode_desa(cell: &Cell) -> Result<Option<Kode>, String> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        other => other.display(),
    };
    let shape_ok = |k: &Kode| {
        k.level() == Level::Desa && k.as_str().split('.').map(str::len).eq([2usize, 2, 2, 4])
    };
    match Kode::parse(&text) {
        Ok(k) if shape_ok(&k) => Ok(Some(k)),
        _ => Err(format!(
            "`{text}` is not a desa code; expected the Kemendagri form NN.NN.NN.NNNN, e.g. \
             35.19.09.2014"
        )),
    }
}

fn parse_yes_no(cell: &Cell) -> Result<Option<bool>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Bool(b) => Ok(Some(*b)),
        Cell::Number(n) if *n == 1.0 => Ok(Some(true)),
        Cell::Number(n) if *n == 0.0 => Ok(Some(false)),
        other => {
            let text = other.display();
            match text.trim().to_lowercase().as_str() {
                "ya" | "y" | "yes" | "true" | "benar" | "1" => Ok(Some(true)),
                "tidak" | "tdk" | "t" | "no" | "n" | "false" | "salah" | "0" => Ok(Some(false)),
                _ => Err(format!("expected ya or tidak, found `{text}`")),
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
