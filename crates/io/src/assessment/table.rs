//! Raw tables: a header row and cells, from CSV (comma, semicolon or tab, sniffed) or a
//! spreadsheet (XLSX, XLS, ODS through calamine). Nothing here knows what the columns
//! mean.

use std::io::Cursor;

use calamine::{Data, Reader};

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

/// A number without a spurious `.0` on whole values.
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// A data row: its number as the user sees it (header is row 1) and its cells.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawRow {
    pub number: usize,
    pub cells: Vec<Cell>,
}

/// A header row and the data rows below it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawTable {
    /// Row number of the header.
    pub header_row: usize,
    /// Zero-based spreadsheet column of the first cell (0 is column A).
    pub first_col: usize,
    pub headers: Vec<String>,
    pub rows: Vec<RawRow>,
}

/// Decodes CSV bytes: UTF-8 (with or without a byte-order mark), else Windows-1252, which
/// is what Excel's plain "CSV" writes on an Indonesian Windows.
pub(crate) fn decode(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s.trim_start_matches('\u{feff}').to_owned(),
        Err(e) => e.into_bytes().iter().map(|&b| windows_1252(b)).collect(),
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

/// Reads a CSV text into a raw table.
pub(crate) fn read_csv(text: &str, file: &str) -> Result<RawTable, Error> {
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        None => Vec::new(),
        Some(first) => first
            .map_err(|source| Error::Csv {
                file: file.to_owned(),
                source,
            })?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect(),
    };
    let mut rows = Vec::new();
    // Excel shows each CSV record on its own row, even one with a line break inside
    // quotes, so the row number counts records, not lines.
    for (i, record) in records.enumerate() {
        let record = record.map_err(|source| Error::Csv {
            file: file.to_owned(),
            source,
        })?;
        rows.push(RawRow {
            number: i + 2,
            cells: record.iter().map(Cell::from_text).collect(),
        });
    }
    Ok(RawTable {
        header_row: 1,
        first_col: 0,
        headers,
        rows,
    })
}

/// The sheet a workbook's data is on: the first one that is not the instructions sheet.
pub(crate) const INSTRUCTIONS_SHEET: &str = "Petunjuk";

/// Reads the data sheet of a workbook (XLSX, XLS or ODS) into a raw table.
pub(crate) fn read_workbook(bytes: &[u8], file: &str) -> Result<RawTable, Error> {
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
    let rows = rows_iter
        .enumerate()
        .map(|(i, r)| RawRow {
            number: first_row + i + 1,
            cells: r.iter().map(cell_of).collect(),
        })
        .collect();
    Ok(RawTable {
        header_row: first_row,
        first_col,
        headers,
        rows,
    })
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

    #[test]
    fn csv_rows_count_records_from_row_2() {
        let t = read_csv("a;b\n1;\"2,5\"\n\"line\nbreak\";x\n3;4\n", "t.csv").unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[0].cells[1], Cell::Text("2,5".to_owned()));
        assert_eq!(t.rows[2].number, 4);
    }

    #[test]
    fn non_utf8_text_is_read_as_windows_1252() {
        assert_eq!(decode(b"Cipta Karya \x96 PU".to_vec()), "Cipta Karya – PU");
        assert_eq!(decode("\u{feff}kode".as_bytes().to_vec()), "kode");
        assert_eq!(decode(b"Ca\xf1o".to_vec()), "Caño");
    }
}
