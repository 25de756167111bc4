//! What the documents' workbooks share: a sheet with a bold header row, text cells that
//! stay text, rupiah as exact numbers, and sums whose unknown parts are said.

use kumuh_domain::works::TotalSum;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::laporan::{Error, header, row_index, rp};

/// Adds a sheet named `name` with `columns` as its header row.
pub(crate) fn sheet<'a>(
    wb: &'a mut Workbook,
    name: &str,
    columns: &[&str],
) -> Result<&'a mut Worksheet, Error> {
    let sheet = wb.add_worksheet();
    sheet.set_name(name).map_err(Error::Xlsx)?;
    header(sheet, columns)?;
    for c in 0..columns.len() {
        let c = u16::try_from(c).map_err(|_| Error::TooManyRows)?;
        sheet.set_column_width(c, 16.0).map_err(Error::Xlsx)?;
    }
    Ok(sheet)
}

/// A row's index below the header.
pub(crate) fn row(i: usize) -> Result<u32, Error> {
    row_index(i)
}

/// A text cell: names are never formulas.
pub(crate) fn text(sheet: &mut Worksheet, r: u32, c: u16, t: &str) -> Result<(), Error> {
    sheet.write_string(r, c, t).map_err(Error::Xlsx)?;
    Ok(())
}

/// A number cell.
pub(crate) fn number(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    v: f64,
    f: &Format,
) -> Result<(), Error> {
    sheet
        .write_number_with_format(r, c, v, f)
        .map_err(Error::Xlsx)?;
    Ok(())
}

/// Rupiah.
pub(crate) fn rupiah(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    v: i128,
    f: &Format,
) -> Result<(), Error> {
    rp(sheet, r, c, v, f)
}

/// A sum of allocations in two cells: the known rupiah (the text "tidak diketahui"
/// where every part is unknown, never 0) and how many parts are unknown.
pub(crate) fn sum(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    s: &TotalSum,
    f: &Format,
) -> Result<(), Error> {
    if s.diketahui_rp.is_zero() && s.tidak_diketahui > 0 {
        text(sheet, r, c, "tidak diketahui")?;
    } else {
        rp(sheet, r, c, s.diketahui_rp.get(), f)?;
    }
    #[allow(clippy::cast_precision_loss)]
    let unknown = s.tidak_diketahui as f64;
    sheet.write_number(r, c + 1, unknown).map_err(Error::Xlsx)?;
    Ok(())
}

/// The money format: thousands separated.
pub(crate) fn money() -> Format {
    Format::new().set_num_format("#,##0")
}

/// The hectare format: two decimals.
pub(crate) fn ha() -> Format {
    Format::new().set_num_format("#,##0.00")
}

/// Writes the workbook's bytes.
pub(crate) fn save(wb: &mut Workbook, out: &mut dyn std::io::Write) -> Result<(), Error> {
    let bytes = wb.save_to_buffer().map_err(Error::Xlsx)?;
    out.write_all(&bytes).map_err(Error::Io)
}
