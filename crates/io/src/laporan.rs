//! Reports out: the funding report (laporan pendanaan) as CSV and XLSX.
//!
//! The CSV has one row per segment, source and fiscal year with the columns
//! `kode_desa,desa,kegiatan,segmen,sumber,tahun,alokasi_rp,realisasi_rp`. Money is whole
//! rupiah, written as plain integers (sums in 128 bits, so any stored amounts add up).
//! An allocation whose amount nobody recorded is not
//! zero: where a row has no known amount at all, `alokasi_rp` is left empty; the XLSX
//! and JSON forms also count the unknown parts. Text cells that a spreadsheet would take
//! for a formula are written with a leading `'` ([`csv_text`]); the XLSX form writes
//! every name as a text cell, never as a formula.

use std::io::Write;

use kumuh_domain::works::{FundingReport, Totals};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::text::csv_text;

/// A report that could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Writing CSV failed.
    #[error("writing CSV")]
    Csv(#[source] csv::Error),
    /// Writing the workbook failed.
    #[error("writing XLSX")]
    Xlsx(#[source] rust_xlsxwriter::XlsxError),
    /// Writing the output failed.
    #[error("writing the report")]
    Io(#[source] std::io::Error),
    /// More rows than a worksheet holds.
    #[error("the report has more rows than a worksheet holds (1,048,576)")]
    TooManyRows,
}

/// The CSV columns, in order.
pub const FUNDING_COLUMNS: [&str; 8] = [
    "kode_desa",
    "desa",
    "kegiatan",
    "segmen",
    "sumber",
    "tahun",
    "alokasi_rp",
    "realisasi_rp",
];

/// Writes the funding report as CSV, one row per segment × source × year.
///
/// # Examples
/// ```
/// use kumuh_domain::works::{contoh, funding_report};
/// let bibrik = contoh::bibrik_paving();
/// let report = funding_report([&bibrik], |_| Some("Bibrik".to_owned())).unwrap();
/// let mut out = Vec::new();
/// kumuh_io::laporan::funding_csv(&report, &mut out).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with("kode_desa,desa,kegiatan,segmen,sumber,tahun,alokasi_rp,realisasi_rp\n"));
/// assert!(text.contains(",apbd_kabupaten,2018,100000000,100000000\n"), "{text}");
/// assert!(text.contains(",swadaya,2018,,0\n"), "unknown is empty, not 0: {text}");
/// ```
pub fn funding_csv(report: &FundingReport, out: &mut dyn Write) -> Result<(), Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(FUNDING_COLUMNS).map_err(Error::Csv)?;
    for r in &report.rows {
        let alokasi = if r.alokasi_rp.is_zero() && r.alokasi_tidak_diketahui > 0 {
            String::new()
        } else {
            r.alokasi_rp.get().to_string()
        };
        let tahun = r.tahun.map(|t| t.to_string()).unwrap_or_default();
        let realisasi = r.realisasi_rp.get().to_string();
        // Names come from users (a desa, a work, a segment): every cell is defused.
        w.write_record(
            [
                r.kode_desa.as_str(),
                r.desa.as_deref().unwrap_or(""),
                &r.kegiatan,
                &r.segmen,
                r.sumber.as_str(),
                &tahun,
                &alokasi,
                &realisasi,
            ]
            .map(csv_text)
            .iter()
            .map(|c| c.as_bytes()),
        )
        .map_err(Error::Csv)?;
    }
    w.flush().map_err(Error::Io)
}

pub(crate) fn header(sheet: &mut Worksheet, columns: &[&str]) -> Result<(), Error> {
    let bold = Format::new()
        .set_bold()
        .set_background_color(rust_xlsxwriter::Color::RGB(0x00DD_EBF7));
    for (c, h) in (0u16..).zip(columns) {
        sheet
            .write_string_with_format(0, c, *h, &bold)
            .map_err(Error::Xlsx)?;
    }
    Ok(())
}

pub(crate) fn row_index(i: usize) -> Result<u32, Error> {
    u32::try_from(i + 1)
        .ok()
        .filter(|r| *r < 1_048_576)
        .ok_or(Error::TooManyRows)
}

/// Largest whole number a spreadsheet cell (an IEEE double) holds exactly: 2^53.
const EXACT_IN_F64: i128 = 9_007_199_254_740_992;

/// Rupiah as a spreadsheet number with thousands separators, exact up to
/// 9 007 199 254 740 992 rupiah, far beyond any budget. A total beyond that (report
/// totals are 128-bit sums, and old records may hold amounts near `i64::MAX`) is written
/// as text of its exact digits rather than rounded.
#[allow(clippy::cast_precision_loss)]
pub(crate) fn rp(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    value: i128,
    f: &Format,
) -> Result<(), Error> {
    if value.abs() <= EXACT_IN_F64 {
        sheet.write_number_with_format(r, c, value as f64, f)
    } else {
        sheet.write_string(r, c, value.to_string())
    }
    .map_err(Error::Xlsx)?;
    Ok(())
}

fn totals(sheet: &mut Worksheet, r: u32, c: u16, t: &Totals, money: &Format) -> Result<(), Error> {
    rp(sheet, r, c, t.alokasi.diketahui_rp.get(), money)?;
    sheet
        .write_number(r, c + 1, t.alokasi.tidak_diketahui as f64)
        .map_err(Error::Xlsx)?;
    rp(sheet, r, c + 2, t.realisasi_rp.get(), money)
}

/// Writes the funding report as an XLSX workbook: the rows (`Pendanaan`), and totals per
/// source, per desa and per year, each with the number of allocations of unknown amount.
pub fn funding_xlsx(report: &FundingReport, out: &mut dyn Write) -> Result<(), Error> {
    let money = Format::new().set_num_format("#,##0");
    let mut wb = Workbook::new();

    let sheet = wb.add_worksheet();
    sheet.set_name("Pendanaan").map_err(Error::Xlsx)?;
    let columns = [
        "kode_desa",
        "desa",
        "kegiatan",
        "segmen",
        "sumber",
        "tahun",
        "alokasi_rp",
        "alokasi_tidak_diketahui",
        "realisasi_rp",
        "contoh",
    ];
    header(sheet, &columns)?;
    for (i, row) in report.rows.iter().enumerate() {
        let r = row_index(i)?;
        let text = |sheet: &mut Worksheet, c: u16, s: &str| {
            sheet.write_string(r, c, s).map(|_| ()).map_err(Error::Xlsx)
        };
        text(sheet, 0, row.kode_desa.as_str())?;
        text(sheet, 1, row.desa.as_deref().unwrap_or(""))?;
        text(sheet, 2, &row.kegiatan)?;
        text(sheet, 3, &row.segmen)?;
        text(sheet, 4, row.sumber.label_id())?;
        if let Some(t) = row.tahun {
            sheet
                .write_number(r, 5, f64::from(t))
                .map_err(Error::Xlsx)?;
        }
        if !(row.alokasi_rp.is_zero() && row.alokasi_tidak_diketahui > 0) {
            rp(sheet, r, 6, row.alokasi_rp.get(), &money)?;
        }
        sheet
            .write_number(r, 7, row.alokasi_tidak_diketahui as f64)
            .map_err(Error::Xlsx)?;
        rp(sheet, r, 8, row.realisasi_rp.get(), &money)?;
        text(sheet, 9, if row.contoh { "contoh" } else { "" })?;
    }
    for (c, w) in [
        (1u16, 18.0),
        (2, 40.0),
        (3, 30.0),
        (4, 22.0),
        (6, 16.0),
        (8, 16.0),
    ] {
        sheet.set_column_width(c, w).map_err(Error::Xlsx)?;
    }

    let total_columns = ["alokasi_rp", "alokasi_tidak_diketahui", "realisasi_rp"];
    let sheet = wb.add_worksheet();
    sheet.set_name("Per sumber").map_err(Error::Xlsx)?;
    header(
        sheet,
        &[&["sumber", "bagian_persen"][..], &total_columns[..]].concat(),
    )?;
    for (i, s) in report.per_sumber.iter().enumerate() {
        let r = row_index(i)?;
        sheet
            .write_string(r, 0, s.sumber.label_id())
            .map_err(Error::Xlsx)?;
        sheet
            .write_number_with_format(
                r,
                1,
                f64::from(s.bagian_bp) / 100.0,
                &Format::new().set_num_format("0.00"),
            )
            .map_err(Error::Xlsx)?;
        totals(sheet, r, 2, &s.total, &money)?;
    }

    let sheet = wb.add_worksheet();
    sheet.set_name("Per desa").map_err(Error::Xlsx)?;
    header(
        sheet,
        &[&["kode_desa", "desa"][..], &total_columns[..]].concat(),
    )?;
    for (i, d) in report.per_desa.iter().enumerate() {
        let r = row_index(i)?;
        sheet
            .write_string(r, 0, d.kode_desa.as_str())
            .map_err(Error::Xlsx)?;
        sheet
            .write_string(r, 1, d.desa.as_deref().unwrap_or(""))
            .map_err(Error::Xlsx)?;
        totals(sheet, r, 2, &d.total, &money)?;
    }

    let sheet = wb.add_worksheet();
    sheet.set_name("Per tahun").map_err(Error::Xlsx)?;
    header(sheet, &[&["tahun"][..], &total_columns[..]].concat())?;
    for (i, y) in report.per_tahun.iter().enumerate() {
        let r = row_index(i)?;
        match y.tahun {
            Some(t) => sheet.write_number(r, 0, f64::from(t)),
            None => sheet.write_string(r, 0, "tidak diketahui"),
        }
        .map_err(Error::Xlsx)?;
        totals(sheet, r, 1, &y.total, &money)?;
    }
    let last = row_index(report.per_tahun.len())?;
    sheet.write_string(last, 0, "Jumlah").map_err(Error::Xlsx)?;
    totals(sheet, last, 1, &report.total, &money)?;

    let bytes = wb.save_to_buffer().map_err(Error::Xlsx)?;
    out.write_all(&bytes).map_err(Error::Io)
}

#[cfg(test)]
mod tests {
    use kumuh_domain::works::{contoh, funding_report};

    use super::*;

    #[test]
    fn names_that_look_like_formulas_are_defused_in_csv_and_stay_text_in_xlsx() {
        let bibrik = contoh::bibrik_paving();
        let mut report =
            funding_report([&bibrik], |_| Some("=cmd|'/c calc'!A1".to_owned())).unwrap();
        report.rows[0].kegiatan = "@SUM(1+1)".to_owned();
        report.rows[0].segmen = "-2+3".to_owned();
        let mut out = Vec::new();
        funding_csv(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let first = reader.records().next().unwrap().unwrap();
        assert_eq!(&first[1], "'=cmd|'/c calc'!A1");
        assert_eq!(&first[2], "'@SUM(1+1)");
        assert_eq!(&first[3], "'-2+3");
        assert!(
            first[7].bytes().all(|b| b.is_ascii_digit() || b == b'-'),
            "amounts stay numbers: {}",
            &first[7]
        );

        use calamine::{Data, Reader, Xlsx};
        let mut out = Vec::new();
        funding_xlsx(&report, &mut out).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(out)).unwrap();
        let rows = wb.worksheet_range("Pendanaan").unwrap();
        let row = rows.rows().nth(1).unwrap();
        assert_eq!(row[1], Data::String("=cmd|'/c calc'!A1".to_owned()));
        assert_eq!(row[2], Data::String("@SUM(1+1)".to_owned()));
        assert!(
            wb.worksheet_formula("Pendanaan")
                .unwrap()
                .used_cells()
                .next()
                .is_none()
        );
    }

    /// A report whose cells are 128-bit sums beyond `i64::MAX`.
    fn beyond_i64() -> FundingReport {
        let bibrik = contoh::bibrik_paving();
        let mut report = funding_report([&bibrik], |_| Some("Bibrik".to_owned())).unwrap();
        let mut big = kumuh_domain::works::TotalRp::ZERO;
        for _ in 0..3 {
            big.add(kumuh_domain::works::Rupiah::MAX);
        }
        report.rows[0].alokasi_rp = big;
        report.rows[0].realisasi_rp = big;
        report.total.alokasi.diketahui_rp = big;
        report.total.realisasi_rp = big;
        report
    }

    #[test]
    fn totals_beyond_i64_are_written_exactly_in_csv_and_xlsx() {
        let exact = (3 * i128::from(i64::MAX)).to_string();
        let report = beyond_i64();
        let mut out = Vec::new();
        funding_csv(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(&format!(",{exact},{exact}\n")), "{text}");

        use calamine::{Data, Reader, Xlsx};
        let mut out = Vec::new();
        funding_xlsx(&report, &mut out).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(out)).unwrap();
        let rows = wb.worksheet_range("Pendanaan").unwrap();
        let row = rows.rows().nth(1).unwrap();
        assert_eq!(row[6], Data::String(exact.clone()));
        assert_eq!(row[8], Data::String(exact.clone()));
        let years = wb.worksheet_range("Per tahun").unwrap();
        let total = years.rows().next_back().unwrap();
        assert_eq!(total[1], Data::String(exact));
    }

    #[test]
    fn the_workbook_reads_back_with_the_apbd_row() {
        use calamine::{Reader, Xlsx};
        let bibrik = contoh::bibrik_paving();
        let report = funding_report([&bibrik], |_| Some("Bibrik".to_owned())).unwrap();
        let mut out = Vec::new();
        funding_xlsx(&report, &mut out).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(out)).unwrap();
        assert_eq!(
            wb.sheet_names(),
            ["Pendanaan", "Per sumber", "Per desa", "Per tahun"]
        );
        let rows = wb.worksheet_range("Pendanaan").unwrap();
        let apbd: Vec<String> = rows
            .rows()
            .find(|r| r[4] == "APBD Kabupaten/Kota")
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(apbd[5], "2018");
        assert_eq!(apbd[6], "100000000");
        assert_eq!(apbd[8], "100000000");
        let years = wb.worksheet_range("Per tahun").unwrap();
        let total = years.rows().next_back().unwrap();
        assert_eq!(total[0].to_string(), "Jumlah");
        assert_eq!(total[1].to_string(), "100000000");
        assert_eq!(
            total[2].to_string(),
            "3",
            "three allocations of unknown amount"
        );
    }
}
