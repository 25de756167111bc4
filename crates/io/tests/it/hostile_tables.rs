//! Tables built to break the reader or the people who open the reports: cell references
//! beyond a worksheet, rectangles of gigabytes, control characters, formulas in names.
//! Each is refused with a message naming the place, or read safely.

use std::io::{Cursor, Write};

use kumuh_domain::assessment::RuleSet;
use kumuh_io::assessment::{
    AssessmentRows, Error, ReadMode, RowRead, assess_rows, read_assessments_csv,
    read_assessments_workbook, render_csv, render_xlsx,
};

const HEADER: [&str; 26] = [
    "kode_lokasi",
    "nama_lokasi",
    "kode_desa",
    "tahun",
    "luas_ha",
    "jumlah_bangunan",
    "jumlah_penduduk",
    "jumlah_kk",
    "panjang_jalan_ideal_m",
    "panjang_drainase_ideal_m",
    "v1a",
    "v1b",
    "v1c",
    "v2a",
    "v2b",
    "v3a",
    "v3b",
    "v4a",
    "v4b",
    "v4c",
    "v5a",
    "v5b",
    "v6a",
    "v6b",
    "v7a",
    "v7b",
];

/// A good row for [`HEADER`], as text cells.
fn good_row(kode: &str, nama: &str) -> Vec<String> {
    let mut row = vec![
        kode.to_owned(),
        nama.to_owned(),
        "35.19.09.2014".to_owned(),
        "2025".to_owned(),
        "2.66".to_owned(),
    ];
    row.extend(
        [
            "33", "168", "42", "400", "0", "0", "0", "0", "100", "300", "1", "0", "0", "0", "0",
            "7", "7", "42", "42", "33", "33",
        ]
        .map(str::to_owned),
    );
    row
}

fn letter(mut col: usize) -> String {
    let mut s = Vec::new();
    col += 1;
    while col > 0 {
        s.push(char::from(b'A' + ((col - 1) % 26) as u8));
        col = (col - 1) / 26;
    }
    s.iter().rev().collect()
}

/// One inline-string cell.
fn cell(reference: &str, text: &str) -> String {
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// The header and one good row as sheet XML rows, then `extra` rows.
fn sheet_rows(extra: &str) -> String {
    let mut xml = String::from(r#"<row r="1">"#);
    for (i, h) in HEADER.iter().enumerate() {
        xml.push_str(&cell(&format!("{}1", letter(i)), h));
    }
    xml.push_str(r#"</row><row r="2">"#);
    for (i, v) in good_row("K01", "Wungu").iter().enumerate() {
        xml.push_str(&cell(&format!("{}2", letter(i)), v));
    }
    xml.push_str("</row>");
    xml.push_str(extra);
    xml
}

/// An XLSX package written by hand: the writers refuse to produce these references.
fn xlsx(dimension: &str, rows: &str) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>"#
    );
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn rules() -> RuleSet {
    RuleSet::default_rules()
}

fn read_xlsx(bytes: &[u8]) -> Result<kumuh_io::assessment::ReadOutcome, Error> {
    read_assessments_workbook(bytes, "survei.xlsx", &rules(), ReadMode::Strict)
}

fn refusal(bytes: &[u8]) -> String {
    match read_xlsx(bytes) {
        Err(e @ Error::SheetLimit { .. }) => e.to_string(),
        other => panic!("expected a sheet limit error, got {other:?}"),
    }
}

#[test]
fn the_hand_written_package_reads_as_a_table() {
    let outcome = read_xlsx(&xlsx("A1:Z2", &sheet_rows(""))).unwrap();
    assert_eq!(outcome.rows.len(), 1);
    assert_eq!(outcome.rows[0].row, 2);
    assert_eq!(outcome.rows[0].input.nama_lokasi, "Wungu");
}

#[test]
fn a_cell_reference_beyond_the_sheet_is_refused_naming_file_sheet_and_cell() {
    let bytes = xlsx(
        "A1:Z3",
        &sheet_rows(&format!(
            r#"<row r="3">{}</row>"#,
            cell("ZZZZZZ99999999999", "x")
        )),
    );
    assert_eq!(
        refusal(&bytes),
        "survei.xlsx, sheet Data, cell ZZZZZZ99999999999: cell ZZZZZZ99999999999 is beyond column XFD, the last a worksheet has"
    );
    let row_too_far = xlsx(
        "A1:Z2",
        &sheet_rows(&format!(r#"<row>{}</row>"#, cell("A1048577", "x"))),
    );
    assert!(refusal(&row_too_far).contains("cell A1048577 is beyond row 1048576"));
}

#[test]
fn a_declared_dimension_that_runs_backwards_or_overflows_is_refused() {
    let backwards = refusal(&xlsx("Z2:A1", &sheet_rows("")));
    assert_eq!(
        backwards,
        "survei.xlsx, sheet Data, cell Z2:A1: declared dimension runs backwards"
    );
    let overflow = refusal(&xlsx("A1:A99999999999", &sheet_rows("")));
    assert!(overflow.starts_with("survei.xlsx, sheet Data, cell A99999999999: declared dimension: cell A99999999999 is beyond row"), "{overflow}");
}

#[test]
fn a_whole_sheet_dimension_and_far_stray_cells_cost_only_their_cells() {
    // Read as a rectangle this sheet is 16,384 × 1,048,576 cells (512 GB); read cell
    // by cell it is the cells it holds. The stray cells have no header above them.
    let bytes = xlsx(
        "A1:XFD1048576",
        &sheet_rows(&format!(
            r#"<row r="1048576">{}<c r="B1048576" s="0"/>{}</row>"#,
            cell("A1048576", " "),
            cell("XFD1048576", "jauh")
        )),
    );
    let outcome = read_xlsx(&bytes).unwrap();
    assert_eq!(outcome.rows.len(), 1);
    assert_eq!(outcome.rows[0].row, 2);
}

#[test]
fn a_header_wider_than_a_table_is_refused_at_its_last_cell() {
    let mut rows = sheet_rows("");
    rows = rows.replacen("</row>", &format!("{}</row>", cell("XFD1", "lebar")), 1);
    assert_eq!(
        refusal(&xlsx("A1:XFD2", &rows)),
        "survei.xlsx, sheet Data, cell XFD1: the header row spans 16384 columns; Kumuh reads tables of up to 1024 (to column AMJ)"
    );
}

#[test]
fn cells_out_of_order_are_read_by_their_position() {
    let mut rows = String::from(r#"<row r="2">"#);
    for (i, v) in good_row("K01", "Wungu").iter().enumerate().rev() {
        rows.push_str(&cell(&format!("{}2", letter(i)), v));
    }
    rows.push_str(r#"</row><row r="1">"#);
    for (i, h) in HEADER.iter().enumerate() {
        rows.push_str(&cell(&format!("{}1", letter(i)), h));
    }
    rows.push_str("</row>");
    let outcome = read_xlsx(&xlsx("A1:Z2", &rows)).unwrap();
    assert_eq!(outcome.rows[0].input.kode_lokasi, "K01");
}

fn csv_of(rows: &[Vec<String>]) -> String {
    let mut text = HEADER.join(",");
    text.push('\n');
    for r in rows {
        let quoted: Vec<String> = r.iter().map(|c| format!("\"{c}\"")).collect();
        text.push_str(&quoted.join(","));
        text.push('\n');
    }
    text
}

#[test]
fn control_characters_in_cells_are_refused_naming_row_and_column() {
    let text = csv_of(&[
        good_row("K01", "Wungu"),
        good_row("K02", "Bibrik\u{0}"),
        good_row("K03\u{1b}[2J", "Jiwan"),
    ]);
    let e = read_assessments_csv(text.as_bytes(), "kontrol.csv", &rules(), ReadMode::Strict)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("kontrol.csv: 2 problems, nothing read"),
        "{e}"
    );
    assert!(
        e.contains(
            "\n  row 3, column nama_lokasi (B): contains the control character U+0000; remove it"
        ),
        "{e}"
    );
    assert!(
        e.contains(
            "\n  row 4, column kode_lokasi (A): contains the control character U+001B; remove it"
        ),
        "{e}"
    );
}

#[test]
fn the_streaming_reader_yields_each_row_with_its_number() {
    let text = csv_of(&[
        good_row("K01", "Wungu"),
        vec!["K02".to_owned()],
        good_row("K03", "Jiwan"),
    ]);
    let rules = rules();
    let rows: Vec<RowRead> =
        AssessmentRows::from_csv(Cursor::new(text.clone().into_bytes()), "s.csv", &rules)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let numbers: Vec<(usize, bool)> = rows
        .iter()
        .map(|r| match r {
            RowRead::Valid(v) => (v.row, true),
            RowRead::Invalid(s) => (s.row, false),
        })
        .collect();
    assert_eq!(numbers, [(2, true), (3, false), (4, true)]);
    let whole =
        read_assessments_csv(text.as_bytes(), "s.csv", &rules, ReadMode::SkipInvalid).unwrap();
    assert_eq!(whole.rows.len(), 2);
    assert_eq!(whole.skipped[0].row, 3);
}

#[test]
fn a_missing_file_is_a_read_error() {
    let rules = rules();
    let missing = AssessmentRows::open(std::path::Path::new("/nonexistent/survei.csv"), &rules);
    assert!(matches!(missing, Err(Error::Read { .. })), "{missing:?}");
}

#[test]
fn names_that_look_like_formulas_are_defused_in_csv_and_text_in_xlsx() {
    let mut header: Vec<String> = HEADER.iter().map(|h| (*h).to_owned()).collect();
    header.push("@catatan".to_owned());
    let mut row = good_row("-K01", "=HYPERLINK(\"http://contoh.invalid\",\"klik\")");
    row.push("+62 812 0000".to_owned());
    let mut text = header.join(",");
    text.push('\n');
    text.push_str(
        &row.iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(","),
    );
    text.push('\n');
    let rules = rules();
    let outcome = read_assessments_csv(text.as_bytes(), "f.csv", &rules, ReadMode::Strict).unwrap();
    let assessed = assess_rows(&rules, outcome.rows);

    let mut csv = Vec::new();
    render_csv(&rules, &assessed, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let record = reader.records().next().unwrap().unwrap();
    let field = |name: &str| {
        let i = headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {headers:?}"));
        record[i].to_owned()
    };
    assert_eq!(field("kode_lokasi"), "'-K01");
    assert_eq!(
        field("nama_lokasi"),
        "'=HYPERLINK(\"http://contoh.invalid\",\"klik\")"
    );
    assert_eq!(field("'@catatan"), "'+62 812 0000");
    assert_eq!(field("luas_ha"), "2.66", "numbers stay numbers");

    let mut xlsx = Vec::new();
    render_xlsx(&rules, &assessed, &mut xlsx).unwrap();
    use calamine::{Data, Reader};
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(xlsx)).unwrap();
    let range = wb.worksheet_range("Hasil").unwrap();
    assert!(
        wb.worksheet_formula("Hasil")
            .unwrap()
            .used_cells()
            .next()
            .is_none(),
        "no formulas"
    );
    let nama = range.rows().nth(1).unwrap()[2].clone();
    assert_eq!(
        nama,
        Data::String("=HYPERLINK(\"http://contoh.invalid\",\"klik\")".to_owned())
    );
}
