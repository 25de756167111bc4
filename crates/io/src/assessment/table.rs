//! Raw tables: a header row and cells, from CSV (comma, semicolon or tab, sniffed) or a
//! spreadsheet (XLSX, XLS, ODS through calamine). Nothing here knows what the columns
//! mean.

use std::borrow::Cow;
use std::io::{Cursor, Read};

use calamine::{Data, DataRef, Reader};

use super::Error;

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Nothing, or only spaces.
    Empty,
    /// Text, trimmed.
    Text(String),
    /// A number the spreadsheet stored as a number.
    Number(f64),
    /// A spreadsheet boolean.
    Bool(bool),
    /// A spreadsheet error value (`#DIV/0!`) or a date, shown as text.
    Other(String),
}

impl Cell {
    fn from_text(s: &str) -> Cell {
        let t = s.trim();
        if t.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(t.to_owned())
        }
    }

    /// The cell as a user would see it, for attributes and messages.
    pub(crate) fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::Other(s) => s.clone(),
            Cell::Number(n) => format_number(*n),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        }
    }
}

/// A cell borrowed: from a [`Cell`], or from a CSV record without copying its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum CellRef<'a> {
    /// Nothing, or only spaces.
    Empty,
    /// Text, trimmed.
    Text(&'a str),
    /// A number the spreadsheet stored as a number.
    Number(f64),
    /// A spreadsheet boolean.
    Bool(bool),
    /// A spreadsheet error value or a date, shown as text.
    Other(&'a str),
}

impl<'a> From<&'a Cell> for CellRef<'a> {
    fn from(cell: &'a Cell) -> Self {
        match cell {
            Cell::Empty => CellRef::Empty,
            Cell::Text(s) => CellRef::Text(s),
            Cell::Number(n) => CellRef::Number(*n),
            Cell::Bool(b) => CellRef::Bool(*b),
            Cell::Other(s) => CellRef::Other(s),
        }
    }
}

impl<'a> CellRef<'a> {
    /// The cell as a user would see it, as [`Cell::display`] gives it.
    pub(crate) fn display(self) -> Cow<'a, str> {
        match self {
            CellRef::Empty => Cow::Borrowed(""),
            CellRef::Text(s) | CellRef::Other(s) => Cow::Borrowed(s),
            CellRef::Number(n) => Cow::Owned(format_number(n)),
            CellRef::Bool(b) => Cow::Borrowed(if b { "TRUE" } else { "FALSE" }),
        }
    }
}

/// A number without a spurious `.0` on whole values: a whole value below 10^15 as the
/// integer it is (the same text as `{:.0}`, which would take float formatting's slow
/// exact path), anything else in the shortest form that reads back the same.
pub(crate) fn format_number(n: f64) -> String {
    let mut text = Vec::with_capacity(24);
    write_number(&mut text, n);
    // Only ASCII: digits, sign, point, and the `inf` and `NaN` of `{}`.
    String::from_utf8(text).unwrap_or_default()
}

/// Appends [`format_number`]'s text of `n` to bytes. Whole values and values of a few
/// hundredths (percentages rounded to two decimals, areas such as 2.66 ha) are written
/// digit by digit; anything else by `{}`.
pub(crate) fn write_number(out: &mut Vec<u8>, n: f64) {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        if n == 0.0 && n.is_sign_negative() {
            out.extend_from_slice(b"-0");
        } else {
            // Exact: a whole f64 below 10^15 is an i64.
            out.extend_from_slice(itoa::Buffer::new().format(n as i64).as_bytes());
        }
    } else if let Some(k) = hundredths(n) {
        if k < 0 {
            out.push(b'-');
        }
        let k = k.unsigned_abs();
        out.extend_from_slice(itoa::Buffer::new().format(k / 100).as_bytes());
        // Not whole, so at least one of the two decimals is not 0.
        let r = (k % 100) as u8;
        out.push(b'.');
        out.push(b'0' + r / 10);
        if !r.is_multiple_of(10) {
            out.push(b'0' + r % 10);
        }
    } else {
        use std::io::Write as _;
        let _ = write!(out, "{n}");
    }
}

/// `n` as a whole number of hundredths `k`, when `n` is the double nearest to `k / 100`
/// and below 10^12. Then `k / 100` without trailing zeros is the text `{}` prints: it
/// reads back as `n`, and no text of fewer digits does, because two numbers of at most
/// two decimals lie at least 0.01 apart while doubles below 10^12 lie less than 0.001
/// apart, so no two of them read back as the same double.
fn hundredths(n: f64) -> Option<i64> {
    let k = (n * 100.0).round();
    (k.abs() < 1e14 && k / 100.0 == n).then_some(k as i64)
}

/// A data row: its number as the user sees it (header is row 1) and its cells.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawRow {
    pub number: usize,
    pub cells: Vec<Cell>,
}

impl RawRow {
    /// Whether every cell is empty (such rows are passed over).
    pub(crate) fn is_empty(&self) -> bool {
        self.cells.iter().all(|c| *c == Cell::Empty)
    }
}

/// A table's header row and where it is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Head {
    /// Row number of the header.
    pub header_row: usize,
    /// Zero-based spreadsheet column of the first cell (0 is column A).
    pub first_col: usize,
    pub headers: Vec<String>,
}

/// The data rows below a header, one at a time; an error ends them.
pub(crate) type RawRows = Box<dyn Iterator<Item = Result<RawRow, Error>>>;

/// Decodes CSV bytes: UTF-8 (with or without a byte-order mark), else Windows-1252, which
/// is what Excel's plain "CSV" writes on an Indonesian Windows.
/// UTF-8 is read in place; only Windows-1252 text is copied.
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s.trim_start_matches('\u{feff}')),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()),
    }
}

fn windows_1252(b: u8) -> char {
    // The 0x80..0x9F range is the only place Windows-1252 differs from Latin-1.
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Picks the delimiter from the header line: the most frequent of `,`, `;` and tab
/// outside quotes. Indonesian Excel writes `;` because `,` is its decimal separator.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                for (d, n) in &mut counts {
                    if *d == b {
                        *n += 1;
                    }
                }
            }
            _ => {}
        }
    }
    // Ties go to the comma, the format's namesake.
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

/// How much of a CSV file is looked at to choose its delimiter: the header line, which
/// is never this long in a real table.
const SNIFF_BYTES: u64 = 64 * 1024;

/// Opens a CSV stream: its header now, its rows as they are read, one record at a time
/// (memory does not grow with the file). Each field is decoded on its own, as UTF-8 or
/// else Windows-1252 ([`decode`]).
pub(crate) fn open_csv(input: Box<dyn Read>, file: &str) -> Result<(Head, RawRows), Error> {
    let (head, records) = open_csv_records(input, file)?;
    Ok((head, Box::new(records)))
}

/// [`open_csv`] with the rows as [`CsvRecords`], which can also hand over the records
/// undecoded.
pub(crate) fn open_csv_records(
    mut input: Box<dyn Read>,
    file: &str,
) -> Result<(Head, CsvRecords), Error> {
    let read_err = |source: std::io::Error| Error::Csv {
        file: file.to_owned(),
        source: source.into(),
    };
    let mut prefix = Vec::new();
    input
        .by_ref()
        .take(SNIFF_BYTES)
        .read_to_end(&mut prefix)
        .map_err(read_err)?;
    let delimiter = sniff_delimiter(&String::from_utf8_lossy(&prefix));
    let input: Box<dyn Read> = Box::new(Cursor::new(prefix).chain(input));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    let csv_err = |source: csv::Error| Error::Csv {
        file: file.to_owned(),
        source,
    };
    let headers: Vec<String> = if reader.read_byte_record(&mut record).map_err(csv_err)? {
        record.iter().map(|h| decode(h).trim().to_owned()).collect()
    } else {
        Vec::new()
    };
    let head = Head {
        header_row: 1,
        first_col: 0,
        headers,
    };
    let records = CsvRecords {
        reader,
        record,
        file: file.to_owned(),
        number: 1,
        failed: false,
    };
    Ok((head, records))
}

/// The records below a CSV header, read one at a time; an error ends them. As an
/// iterator they are [`RawRow`]s.
pub(crate) struct CsvRecords {
    reader: csv::Reader<Box<dyn Read>>,
    /// The record the iterator reads into.
    record: csv::ByteRecord,
    file: String,
    // Excel shows each CSV record on its own row, even one with a line break inside
    // quotes, so the row number counts records, not lines.
    number: usize,
    failed: bool,
}

impl CsvRecords {
    /// Reads the next record into `record` and gives its row number; `None` after the
    /// last record or an error.
    pub(crate) fn read(&mut self, record: &mut csv::ByteRecord) -> Option<Result<usize, Error>> {
        if self.failed {
            return None;
        }
        match self.reader.read_byte_record(record) {
            Ok(true) => {
                self.number += 1;
                Some(Ok(self.number))
            }
            Ok(false) => None,
            Err(source) => {
                self.failed = true;
                Some(Err(Error::Csv {
                    file: self.file.clone(),
                    source,
                }))
            }
        }
    }
}

impl Iterator for CsvRecords {
    type Item = Result<RawRow, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut record = std::mem::take(&mut self.record);
        let read = self.read(&mut record);
        let row = read.map(|number| number.map(|number| raw_row(&record, number)));
        self.record = record;
        row
    }
}

/// A CSV record's cells, each field decoded on its own.
pub(crate) fn raw_row(record: &csv::ByteRecord, number: usize) -> RawRow {
    RawRow {
        number,
        cells: record.iter().map(|f| Cell::from_text(&decode(f))).collect(),
    }
}

/// A CSV record read in place: the trimmed span of each field in the record's text.
/// Only a record whose every field is UTF-8 and free of control characters is read so;
/// any other goes through [`raw_row`] and the checks that name what is wrong.
pub(crate) struct TextRecord<'a> {
    pub number: usize,
    text: &'a str,
    spans: &'a [(usize, usize)],
}

impl<'a> TextRecord<'a> {
    /// Reads `record` in place, its spans into `spans`; `None` for a record that must
    /// be decoded field by field or checked for control characters.
    pub(crate) fn new(
        record: &'a csv::ByteRecord,
        number: usize,
        spans: &'a mut Vec<(usize, usize)>,
    ) -> Option<Self> {
        let bytes = record.as_slice();
        let text = std::str::from_utf8(bytes).ok()?;
        let ascii = bytes.is_ascii();
        // Tabs and line breaks are text; any other control byte is checked the slow way,
        // which reports it (or trims it away, as spaces at either end are).
        if ascii
            && bytes
                .iter()
                .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f)
        {
            return None;
        }
        spans.clear();
        for i in 0..record.len() {
            let range = record.range(i)?;
            let start = range.start;
            // `None` when a field does not start or end at a character boundary: it is
            // not UTF-8 on its own.
            let field = text.get(range)?;
            let unmarked = field.trim_start_matches('\u{feff}');
            let trimmed = unmarked.trim();
            if !ascii && crate::text::control_character(trimmed).is_some() {
                return None;
            }
            let lead = field.len() - unmarked.trim_start().len();
            spans.push((start + lead, start + lead + trimmed.len()));
        }
        Some(TextRecord {
            number,
            text,
            spans,
        })
    }

    /// Whether every cell is empty (such rows are passed over).
    pub(crate) fn is_empty(&self) -> bool {
        self.spans.iter().all(|(s, e)| s == e)
    }

    /// The `i`th cell.
    pub(crate) fn cell(&self, i: usize) -> CellRef<'a> {
        match self.spans.get(i) {
            Some(&(s, e)) if s < e => self.text.get(s..e).map_or(CellRef::Empty, CellRef::Text),
            _ => CellRef::Empty,
        }
    }
}

/// The sheet a workbook's data is on: the first one that is not the instructions sheet.
pub(crate) const INSTRUCTIONS_SHEET: &str = "Petunjuk";

/// Opens the data sheet of a workbook: XLSX through the bounded reader
/// ([`super::xlsx`]); XLS and ODS, older formats without a cell-by-cell reader in
/// calamine, as a whole range.
pub(crate) fn open_workbook(bytes: &[u8], file: &str) -> Result<(Head, RawRows), Error> {
    if super::xlsx::is_xlsx(bytes) {
        let (head, rows) = super::xlsx::read(bytes, file)?;
        return Ok((head, Box::new(rows.map(Ok))));
    }
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|source| {
            Error::Workbook {
                file: file.to_owned(),
                source,
            }
        })?;
    let sheet = workbook
        .sheet_names()
        .into_iter()
        .find(|name| !name.eq_ignore_ascii_case(INSTRUCTIONS_SHEET))
        .ok_or_else(|| Error::NoSheet {
            file: file.to_owned(),
        })?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|source| Error::Workbook {
            file: file.to_owned(),
            source,
        })?;
    // The used range may start below row 1 or right of column A; row numbers are the
    // sheet's own so that messages point at the cell the user sees.
    // Cells are relative to the used range, for the header as for the data, so columns
    // stay aligned whichever column the table starts in.
    let (first_row, first_col) = range
        .start()
        .map_or((0, 0), |(row, col)| (row as usize, col as usize));
    let first_row = first_row + 1;
    let mut rows_iter = range.rows();
    let headers: Vec<String> = rows_iter
        .next()
        .map(|r| r.iter().map(|c| cell_of(c).display()).collect())
        .unwrap_or_default();
    let rows: Vec<RawRow> = rows_iter
        .enumerate()
        .map(|(i, r)| RawRow {
            number: first_row + i + 1,
            cells: r.iter().map(cell_of).collect(),
        })
        .collect();
    Ok((
        Head {
            header_row: first_row,
            first_col,
            headers,
        },
        Box::new(rows.into_iter().map(Ok)),
    ))
}

/// A cell as calamine's cell-by-cell reader hands it over.
pub(crate) fn cell_of_ref(data: &DataRef<'_>) -> Cell {
    match data {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::from_text(s),
        DataRef::SharedString(s) => Cell::from_text(s),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => Cell::Other(d.to_string()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Other(s.clone()),
        DataRef::Error(e) => Cell::Other(e.to_string()),
    }
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::from_text(s),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => Cell::Other(d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Other(s.clone()),
        Data::Error(e) => Cell::Other(e.to_string()),
    }
}

/// The spreadsheet letter of a zero-based column: 0 → `A`, 26 → `AA`.
pub(crate) fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_print_as_with_no_decimals() {
        for n in [
            0.0,
            -0.0,
            1.0,
            -7.0,
            2025.0,
            999_999_999_999_999.0,
            -999_999_999_999_999.0,
            1e15,
            2.5,
            -0.125,
            1.0 / 3.0,
            f64::NAN,
            f64::INFINITY,
        ] {
            let expected = if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{n:.0}")
            } else {
                n.to_string()
            };
            assert_eq!(format_number(n), expected, "{n}");
        }
    }

    #[test]
    fn numbers_of_hundredths_print_as_the_shortest_text() {
        let mut values: Vec<f64> = (-100_000..100_000).map(|k| f64::from(k) / 100.0).collect();
        values.extend((1..10_000).map(|k| f64::from(k) * 100.0 / 7.0));
        values.extend([0.125, 1e11 + 0.01, 999_999_999_999.99, 1e12 + 0.5, 5e-324]);
        let mut bits = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100_000 {
            bits ^= bits << 13;
            bits ^= bits >> 7;
            bits ^= bits << 17;
            values.push(f64::from_bits(bits));
        }
        for n in values {
            let expected = if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{n:.0}")
            } else {
                n.to_string()
            };
            assert_eq!(format_number(n), expected, "{n:?}");
        }
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn delimiter_is_sniffed_from_the_header_line() {
        assert_eq!(sniff_delimiter("a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n\"2,5\";1;2"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("\"x;y\",b,c"), b',');
        assert_eq!(sniff_delimiter("single"), b',');
    }

    /// A CSV text through the streaming reader, every row collected.
    fn read_csv(text: &str, file: &str) -> Result<(Head, Vec<RawRow>), Error> {
        let (head, rows) = open_csv(Box::new(Cursor::new(text.as_bytes().to_vec())), file)?;
        Ok((head, rows.collect::<Result<_, _>>()?))
    }

    #[test]
    fn csv_rows_count_records_from_row_2() {
        let (t, rows) = read_csv("a;b\n1;\"2,5\"\n\"line\nbreak\";x\n3;4\n", "t.csv").unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].cells[1], Cell::Text("2,5".to_owned()));
        assert_eq!(rows[2].number, 4);
    }

    #[test]
    fn csv_fields_decode_on_their_own_and_the_delimiter_is_sniffed_past_a_bom() {
        let bytes = b"\xef\xbb\xbfkode;nama\nK01;Ca\xf1o\nK02;Caf\xc3\xa9\n".to_vec();
        let (t, rows) = {
            let (head, rows) = open_csv(Box::new(Cursor::new(bytes)), "t.csv").unwrap();
            (head, rows.collect::<Result<Vec<_>, _>>().unwrap())
        };
        assert_eq!(t.headers, ["kode", "nama"]);
        assert_eq!(rows[0].cells[1], Cell::Text("Caño".to_owned()));
        assert_eq!(rows[1].cells[1], Cell::Text("Café".to_owned()));
    }

    #[test]
    fn non_utf8_text_is_read_as_windows_1252() {
        assert_eq!(decode(b"Cipta Karya \x96 PU"), "Cipta Karya – PU");
        assert_eq!(decode("\u{feff}kode".as_bytes()), "kode");
        assert_eq!(decode(b"Ca\xf1o"), "Caño");
    }
}
