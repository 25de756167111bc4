//! XLSX sheets read within bounds.
//!
//! calamine trusts a sheet's cell references: `ZZZZZZ99999999999` overflows its
//! arithmetic (a panic in a debug build), a declared dimension of `A1:XFD1048576` makes it
//! allocate the whole rectangle (512 GB), and a single stray cell at `A1048576` costs
//! gigabytes. So a sheet is first scanned here, with references parsed in checked
//! arithmetic and held to [`MAX_ROWS`], [`MAX_COLUMNS`] and [`MAX_CELLS`], before calamine
//! reads its cells one at a time (never as a rectangle). Only the cells that hold a value
//! are kept; rows are made from them one at a time.

use std::io::{BufReader, Cursor};

use calamine::{Reader, Xlsx};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::Error;
use super::table::{Cell, Head, INSTRUCTIONS_SHEET, RawRow, cell_of_ref, column_letter};

/// The most rows a sheet may reference: Excel's own limit (row 1,048,576).
pub const MAX_ROWS: u64 = 1_048_576;
/// The most columns a sheet may reference: Excel's own limit (column XFD, 16,384).
pub const MAX_COLUMNS: u64 = 16_384;
/// The most columns the table itself (its header row) may span: column AMJ. A survey
/// table has some 40; a wider header is a sheet that is not a survey table.
pub const MAX_TABLE_COLUMNS: usize = 1_024;
/// The most cells a sheet may hold (about 400,000 rows of 50 columns): the cells are
/// kept in memory while the rows are made, so this bounds memory for a hostile file that
/// decompresses to gigabytes.
pub const MAX_CELLS: u64 = 20_000_000;

/// Whether the bytes are an XLSX (or XLSM) package rather than XLS, XLSB or ODS.
pub(crate) fn is_xlsx(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .map(|mut z| z.by_name("xl/workbook.xml").is_ok())
        .unwrap_or(false)
}

/// A reference problem, located.
struct Bad {
    cell: String,
    message: String,
}

/// Parses `B12` into zero-based (row, column), refusing anything beyond the limits
/// without overflowing.
fn parse_ref(text: &[u8]) -> Result<(u64, u64), String> {
    let shown = || String::from_utf8_lossy(text).into_owned();
    let letters = text.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (col_part, row_part) = text.split_at(letters);
    if col_part.is_empty() || row_part.is_empty() || !row_part.iter().all(u8::is_ascii_digit) {
        return Err(format!("`{}` is not a cell reference", shown()));
    }
    let mut col: u64 = 0;
    for b in col_part {
        col = col * 26 + u64::from(b.to_ascii_uppercase() - b'A') + 1;
        if col > MAX_COLUMNS {
            return Err(format!(
                "cell {} is beyond column XFD, the last a worksheet has",
                shown()
            ));
        }
    }
    let mut row: u64 = 0;
    for b in row_part {
        row = row * 10 + u64::from(b - b'0');
        if row > MAX_ROWS {
            return Err(format!(
                "cell {} is beyond row {MAX_ROWS}, the last a worksheet has",
                shown()
            ));
        }
    }
    if row == 0 {
        return Err(format!(
            "`{}` is not a cell reference (rows start at 1)",
            shown()
        ));
    }
    Ok((row - 1, col - 1))
}

/// An attribute as written (references hold no entities).
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// An attribute with its entities resolved (sheet names may hold `&amp;`).
fn attr_text(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Reads one part of the package as XML events, calling `each` for every start tag.
fn each_start(
    bytes: &[u8],
    part: &str,
    mut each: impl FnMut(&BytesStart<'_>) -> Result<(), Bad>,
    mut each_end: impl FnMut(&str),
) -> Result<Option<()>, Result<Bad, String>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Err(e.to_string()))?;
    let Ok(entry) = zip.by_name(part) else {
        return Ok(None);
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(entry));
    // The same reading of `<c/>` as calamine's, so that implicit positions agree.
    xml.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => each(&e).map_err(Ok)?,
            Ok(Event::End(e)) => each_end(e.local_name().as_ref()),
            Ok(Event::Eof) => return Ok(Some(())),
            Ok(_) => {}
            Err(e) => return Err(Err(format!("{part}: {e}"))),
        }
    }
}

/// Where in the package the named sheet's XML is, from the workbook and its relations.
fn sheet_part(bytes: &[u8], sheet: &str) -> Option<String> {
    let mut id = None;
    each_start(
        bytes,
        "xl/workbook.xml",
        |e| {
            if e.local_name().as_ref() == "sheet"
                && id.is_none()
                && attr_text(e, "name").as_deref() == Some(sheet)
            {
                id = attr_text(e, "id");
            }
            Ok(())
        },
        |_| {},
    )
    .ok()??;
    let id = id?;
    let mut target = None;
    each_start(
        bytes,
        "xl/_rels/workbook.xml.rels",
        |e| {
            if e.local_name().as_ref() == "Relationship"
                && attr_text(e, "Id").as_deref() == Some(id.as_str())
            {
                target = attr_text(e, "Target");
            }
            Ok(())
        },
        |_| {},
    )
    .ok()??;
    let target = target?;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("xl/{target}"),
    })
}

/// Checks every reference of a sheet (its declared dimension, its rows and cells) before
/// calamine parses any of them. Positions without a reference follow the previous ones,
/// as calamine places them.
fn scan(bytes: &[u8], part: &str) -> Result<(), Bad> {
    // Both callbacks move the position: shared through cells.
    let (row, col) = (std::cell::Cell::new(0u64), std::cell::Cell::new(0u64));
    let mut cells = 0u64;
    let outcome = each_start(
        bytes,
        part,
        |e| {
            let here = |row: u64, col: u64| format!("{}{}", column_letter(col as usize), row + 1);
            match e.local_name().as_ref() {
                "dimension" => {
                    let text = attr(e, "ref").unwrap_or_default();
                    let mut parts = Vec::new();
                    for p in text.split(':') {
                        parts.push(parse_ref(p.as_bytes()).map_err(|message| Bad {
                            cell: p.to_owned(),
                            message: format!("declared dimension: {message}"),
                        })?);
                    }
                    if let [(r0, c0), (r1, c1)] = parts[..]
                        && (r1 < r0 || c1 < c0)
                    {
                        return Err(Bad {
                            cell: text.clone(),
                            message: "declared dimension runs backwards".into(),
                        });
                    }
                    if parts.len() > 2 {
                        return Err(Bad {
                            cell: text.clone(),
                            message: "declared dimension is not a range".into(),
                        });
                    }
                }
                "row" => {
                    if let Some(r) = attr(e, "r") {
                        // A row number alone: give it a column to reuse the parser.
                        let (r, _) =
                            parse_ref(format!("A{r}").as_bytes()).map_err(|message| Bad {
                                cell: format!("row {r}"),
                                message,
                            })?;
                        row.set(r);
                    }
                    if row.get() >= MAX_ROWS {
                        return Err(Bad {
                            cell: format!("row {}", row.get() + 1),
                            message: format!("beyond row {MAX_ROWS}, the last a worksheet has"),
                        });
                    }
                }
                "c" => {
                    if let Some(r) = attr(e, "r") {
                        let (r, c) = parse_ref(r.as_bytes()).map_err(|message| Bad {
                            cell: r.clone(),
                            message,
                        })?;
                        row.set(r);
                        col.set(c);
                    } else if col.get() >= MAX_COLUMNS {
                        return Err(Bad {
                            cell: here(row.get(), col.get()),
                            message: "beyond column XFD, the last a worksheet has".into(),
                        });
                    }
                    cells += 1;
                    if cells > MAX_CELLS {
                        return Err(Bad {
                            cell: here(row.get(), col.get()),
                            message: format!(
                                "the sheet holds more than {MAX_CELLS} cells, more than Kumuh reads from one table"
                            ),
                        });
                    }
                    col.set(col.get() + 1);
                }
                _ => {}
            }
            Ok(())
        },
        |end| {
            if end == "row" {
                row.set(row.get() + 1);
                col.set(0);
            }
        },
    );
    match outcome {
        Ok(Some(())) => Ok(()),
        Ok(None) => Err(Bad {
            cell: "-".into(),
            message: format!("the package has no part {part}"),
        }),
        Err(Ok(bad)) => Err(bad),
        Err(Err(message)) => Err(Bad {
            cell: "-".into(),
            message,
        }),
    }
}

/// The data sheet of an XLSX workbook as its header and its rows, with every cell
/// reference checked first (see the module documentation).
pub(crate) fn read(bytes: &[u8], file: &str) -> Result<(Head, SparseRows), Error> {
    let workbook_err = |source: calamine::XlsxError| Error::Workbook {
        file: file.to_owned(),
        source: source.into(),
    };
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(workbook_err)?;
    let sheet = workbook
        .sheet_names()
        .into_iter()
        .find(|name| !name.eq_ignore_ascii_case(INSTRUCTIONS_SHEET))
        .ok_or_else(|| Error::NoSheet {
            file: file.to_owned(),
        })?;
    let limit = |cell: String, message: String| Error::SheetLimit {
        file: file.to_owned(),
        sheet: sheet.clone(),
        cell,
        message,
    };
    let part = sheet_part(bytes, &sheet).ok_or_else(|| {
        limit(
            "-".into(),
            "the workbook does not say where the sheet is".into(),
        )
    })?;
    scan(bytes, &part).map_err(|bad| limit(bad.cell, bad.message))?;

    let mut cells: Vec<(u32, u32, Cell)> = Vec::new();
    {
        let mut reader = workbook
            .worksheet_cells_reader(&sheet)
            .map_err(workbook_err)?;
        while let Some(cell) = reader.next_cell().map_err(workbook_err)? {
            let value = cell_of_ref(cell.get_value());
            if value != Cell::Empty {
                let (row, col) = cell.get_position();
                cells.push((row, col, value));
            }
        }
    }
    // Excel writes rows and cells in order; other writers need not, and the table is
    // read by position.
    cells.sort_by_key(|(row, col, _)| (*row, *col));
    let first_row = cells.first().map_or(0, |c| c.0);
    let first_col = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let header_cells: Vec<&(u32, u32, Cell)> =
        cells.iter().take_while(|c| c.0 == first_row).collect();
    let last_col = header_cells.last().map_or(first_col, |c| c.1);
    let width = (last_col - first_col) as usize + 1;
    if width > MAX_TABLE_COLUMNS {
        let (row, col, _) = header_cells[header_cells.len() - 1];
        return Err(limit(
            format!("{}{}", column_letter(*col as usize), row + 1),
            format!(
                "the header row spans {width} columns; Kumuh reads tables of up to {MAX_TABLE_COLUMNS} (to column {})",
                column_letter(MAX_TABLE_COLUMNS - 1)
            ),
        ));
    }
    let mut headers = vec![String::new(); if cells.is_empty() { 0 } else { width }];
    for (_, col, value) in &header_cells {
        headers[(col - first_col) as usize] = value.display();
    }
    let skip = header_cells.len();
    let mut rest = cells.into_iter();
    rest.by_ref().take(skip).for_each(drop);
    Ok((
        Head {
            header_row: first_row as usize + 1,
            first_col: first_col as usize,
            headers,
        },
        SparseRows {
            cells: rest.peekable(),
            first_col,
            width,
        },
    ))
}

/// Rows made one at a time from the sheet's cells, in order. Cells right of the header
/// have no column to belong to and are left out.
pub(crate) struct SparseRows {
    cells: std::iter::Peekable<std::vec::IntoIter<(u32, u32, Cell)>>,
    first_col: u32,
    width: usize,
}

impl Iterator for SparseRows {
    type Item = RawRow;

    fn next(&mut self) -> Option<RawRow> {
        let (row, _, _) = self.cells.peek()?;
        let row = *row;
        let mut cells = Vec::new();
        while let Some((_, col, value)) = self.cells.next_if(|c| c.0 == row) {
            let i = (col - self.first_col) as usize;
            if i < self.width {
                if cells.len() <= i {
                    cells.resize(i + 1, Cell::Empty);
                }
                cells[i] = value;
            }
        }
        Some(RawRow {
            number: row as usize + 1,
            cells,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_parsed_within_the_sheet_limits() {
        assert_eq!(parse_ref(b"A1"), Ok((0, 0)));
        assert_eq!(parse_ref(b"xfd1048576"), Ok((1_048_575, 16_383)));
        for (bad, says) in [
            ("ZZZZZZ99999999999", "beyond column XFD"),
            ("XFE1", "beyond column XFD"),
            ("A1048577", "beyond row 1048576"),
            ("A99999999999999999999999", "beyond row"),
            ("A0", "rows start at 1"),
            ("1A", "not a cell reference"),
            ("A", "not a cell reference"),
            ("", "not a cell reference"),
            ("A1B", "not a cell reference"),
        ] {
            let message = parse_ref(bad.as_bytes()).unwrap_err();
            assert!(message.contains(says), "{bad}: {message}");
        }
    }
}
