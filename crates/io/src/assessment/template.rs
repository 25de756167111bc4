//! Empty assessment templates for surveyors: CSV (a header row) and XLSX (a header row
//! on sheet `Penilaian`, and sheet `Petunjuk` explaining each column in Bahasa
//! Indonesia).

use std::io::Write;

use kumuh_domain::assessment::RuleSet;
use rust_xlsxwriter::{DataValidation, Format, Workbook};

use super::Error;
use super::columns::{ColumnKind, columns};
use super::table::INSTRUCTIONS_SHEET;

/// Name of the data sheet of the XLSX template.
pub const DATA_SHEET: &str = "Penilaian";

/// Rows of the XLSX template given cell formats and ya/tidak lists.
const PREPARED_ROWS: u32 = 2000;

/// Writes the CSV template: one comma-delimited header row with every column of the
/// rule set, required columns first.
///
/// # Examples
/// ```
/// use kumuh_domain::assessment::RuleSet;
/// let mut out = Vec::new();
/// kumuh_io::assessment::write_template_csv(&RuleSet::default_rules(), &mut out).unwrap();
/// let header = String::from_utf8(out).unwrap();
/// assert!(header.starts_with("kode_lokasi,nama_lokasi,kode_desa,tahun,luas_ha,"));
/// ```
pub fn write_template_csv(rules: &RuleSet, out: &mut dyn Write) -> Result<(), Error> {
    // A rule set file may name its criteria freely: the header goes through the CSV
    // writer (quoting) and the formula guard like every other CSV cell.
    let mut writer = csv::Writer::from_writer(out);
    writer
        .write_record(
            columns(rules)
                .into_iter()
                .map(|c| crate::text::csv_text(&c.name).into_owned()),
        )
        .map_err(|source| Error::CsvWrite { source })?;
    writer.flush().map_err(|source| Error::Output { source })
}

fn xlsx_err(source: rust_xlsxwriter::XlsxError) -> Error {
    Error::XlsxWrite { source }
}

/// Writes the XLSX template: sheet `Penilaian` with the header row (codes formatted as
/// text, ya/tidak columns with a drop-down list), and sheet `Petunjuk` describing each
/// column, its unit and whether it is required.
pub fn write_template_xlsx(rules: &RuleSet, out: &mut dyn Write) -> Result<(), Error> {
    let specs = columns(rules);
    let mut workbook = Workbook::new();

    let bold = Format::new()
        .set_bold()
        .set_background_color(rust_xlsxwriter::Color::RGB(0x00DD_EBF7));
    let required_bold = bold
        .clone()
        .set_font_color(rust_xlsxwriter::Color::RGB(0x0080_0000));
    let as_text = Format::new().set_num_format("@");
    let yes_no = DataValidation::new()
        .allow_list_strings(&["ya", "tidak"])
        .map_err(xlsx_err)?
        .ignore_blank(true);

    let sheet = workbook.add_worksheet();
    sheet.set_name(DATA_SHEET).map_err(xlsx_err)?;
    for (i, spec) in specs.iter().enumerate() {
        let col = u16::try_from(i).map_err(|_| Error::TooManyColumns)?;
        let format = if spec.required { &required_bold } else { &bold };
        sheet
            .write_string_with_format(0, col, &spec.name, format)
            .map_err(xlsx_err)?;
        let width = match spec.kind {
            ColumnKind::Text => 24.0,
            ColumnKind::KodeDesa => 16.0,
            _ => (spec.name.len() as f64 + 2.0).max(8.0),
        };
        sheet.set_column_width(col, width).map_err(xlsx_err)?;
        match spec.kind {
            // Codes look like numbers to Excel (35.19 would become 35.19 the number),
            // so the columns are text from the start.
            ColumnKind::Text | ColumnKind::KodeDesa => {
                sheet.set_column_format(col, &as_text).map_err(xlsx_err)?;
            }
            ColumnKind::YesNo => {
                sheet
                    .add_data_validation(1, col, PREPARED_ROWS, col, &yes_no)
                    .map_err(xlsx_err)?;
            }
            _ => {}
        }
    }
    sheet.set_freeze_panes(1, 1).map_err(xlsx_err)?;

    let help = workbook.add_worksheet();
    help.set_name(INSTRUCTIONS_SHEET).map_err(xlsx_err)?;
    let wrap = Format::new().set_text_wrap();
    let title = Format::new().set_bold().set_font_size(13);
    let intro = [
        format!(
            "Petunjuk pengisian tabel penilaian kumuh ({}, versi {})",
            rules.name(),
            rules.version()
        ),
        format!(
            "Isi satu baris per lokasi pada lembar {DATA_SHEET}, mulai baris 2. Baris 1 \
             adalah judul kolom; urutan kolom boleh diubah, kolom tambahan disimpan \
             sebagai atribut."
        ),
        "Angka desimal boleh memakai koma (2,66) atau titik (2.66). Jangan memakai \
         pemisah ribuan pada jumlah bangunan, penduduk dan KK."
            .to_owned(),
        format!(
            "Persentase tiap kriteria = volume / pembagi x 100; nilai {}, selain itu 0.",
            rules
                .score_bands()
                .iter()
                .map(|b| format!("{} bila >= {} %", b.score, b.min_percent))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "Volume yang kosong dihitung 0 dan dilaporkan sebagai masalah data.".to_owned(),
    ];
    for (r, line) in intro.iter().enumerate() {
        let r = u32::try_from(r).map_err(|_| Error::TooManyRows)?;
        let format = if r == 0 { &title } else { &wrap };
        help.write_string_with_format(r, 0, line, format)
            .map_err(xlsx_err)?;
    }
    let first = u32::try_from(intro.len() + 1).map_err(|_| Error::TooManyRows)?;
    for (c, h) in ["Kolom", "Wajib", "Satuan", "Keterangan"]
        .iter()
        .enumerate()
    {
        let c = u16::try_from(c).map_err(|_| Error::TooManyColumns)?;
        help.write_string_with_format(first, c, *h, &bold)
            .map_err(xlsx_err)?;
    }
    for (i, spec) in specs.iter().enumerate() {
        let r = first + 1 + u32::try_from(i).map_err(|_| Error::TooManyRows)?;
        help.write_string(r, 0, &spec.name).map_err(xlsx_err)?;
        help.write_string(r, 1, if spec.required { "wajib" } else { "pilihan" })
            .map_err(xlsx_err)?;
        help.write_string(r, 2, &spec.unit).map_err(xlsx_err)?;
        help.write_string_with_format(r, 3, &spec.description_id, &wrap)
            .map_err(xlsx_err)?;
    }
    help.set_column_width(0, 26).map_err(xlsx_err)?;
    help.set_column_width(1, 9).map_err(xlsx_err)?;
    help.set_column_width(2, 10).map_err(xlsx_err)?;
    help.set_column_width(3, 100).map_err(xlsx_err)?;

    let bytes = workbook.save_to_buffer().map_err(xlsx_err)?;
    out.write_all(&bytes)
        .map_err(|source| Error::Output { source })
}
