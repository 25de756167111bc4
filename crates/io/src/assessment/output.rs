//! Results out: JSON, an aligned text table, CSV and XLSX, one row per location.

use std::io::Write;

use kumuh_domain::assessment::{Assessment, Hasil, RuleSet, assess};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::Error;
use super::read::{AssessmentRow, SkippedRow};
use super::table::format_number;
use crate::text::csv_text;

/// A row read from a table and its assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessedRow {
    /// The row as read.
    pub source: AssessmentRow,
    /// Its assessment.
    pub result: Assessment,
}

/// Scores every row.
pub fn assess_rows(rules: &RuleSet, rows: Vec<AssessmentRow>) -> Vec<AssessedRow> {
    rows.into_iter()
        .map(|source| AssessedRow {
            result: assess(rules, &source.input),
            source,
        })
        .collect()
}

fn write_err(source: std::io::Error) -> Error {
    Error::Output { source }
}

// ---------------------------------------------------------------------------------------
// JSON

/// One result in its published form (see [`Hasil`]).
pub fn hasil(r: &AssessedRow) -> Hasil {
    Hasil::of(&r.result, r.source.row, r.source.attributes.clone())
}

/// The results as a JSON array, one object per row: `kode_lokasi`, `criteria` (`{"1a":
/// {"volume", "percent", "score"}}`), `aspects` (`{"1": average}`), `total`, `class`
/// (`kumuh_berat`, `kumuh_sedang`, `kumuh_ringan`, `tidak_kumuh`), `issues` and more.
/// Percentages and averages are rounded half-up to two decimals.
pub fn to_json(rows: &[AssessedRow]) -> serde_json::Value {
    serde_json::to_value(rows.iter().map(hasil).collect::<Vec<_>>())
        .unwrap_or(serde_json::Value::Null)
}

/// The stored form of one result: its object in [`to_json`] plus the survey it was
/// computed from under `masukan`, so that a later evaluation (after a work is finished)
/// can start from the same survey.
///
/// # Examples
/// ```
/// use kumuh_domain::Kode;
/// use kumuh_domain::assessment::{AssessmentInput, RuleSet};
/// use kumuh_io::assessment::{AssessmentRow, assess_rows, stored_json};
/// let mut input = AssessmentInput::new("K01", Kode::parse("35.19.09.2014").unwrap(), 2024);
/// input.panjang_jalan_ideal_m = 400.0;
/// let rows = assess_rows(&RuleSet::default_rules(), vec![AssessmentRow { row: 2, input, attributes: Default::default() }]);
/// let json = stored_json(&rows[0]);
/// assert_eq!(json["masukan"]["panjang_jalan_ideal_m"], 400.0);
/// assert_eq!(json["class"], "tidak_kumuh");
/// ```
pub fn stored_json(row: &AssessedRow) -> serde_json::Value {
    let mut json = serde_json::to_value(hasil(row)).unwrap_or_default();
    if let Some(obj) = json.as_object_mut() {
        obj.insert(
            "masukan".into(),
            serde_json::to_value(&row.source.input).unwrap_or_default(),
        );
    }
    json
}

/// Writes the results as pretty-printed JSON (see [`to_json`]).
pub fn render_json(rows: &[AssessedRow], out: &mut dyn Write) -> Result<(), Error> {
    let rows: Vec<Hasil> = rows.iter().map(hasil).collect();
    serde_json::to_writer_pretty(&mut *out, &rows).map_err(|e| write_err(e.into()))?;
    writeln!(out).map_err(write_err)
}

// ---------------------------------------------------------------------------------------
// Text table

/// Left-aligned text columns, padded to the widest cell; numbers right-aligned.
fn aligned(headers: &[String], rows: &[Vec<String>], numeric_from: usize) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            let pad = w.saturating_sub(cell.chars().count());
            if i >= numeric_from && is_number_like(cell) {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(headers);
    line(
        &widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<String>>(),
    );
    for row in rows {
        line(row);
    }
    out
}

fn is_number_like(cell: &str) -> bool {
    cell.chars().any(|c| c.is_ascii_digit())
        && cell
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '/'))
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Writes the results as aligned text tables for reading in a terminal: the scores of
/// every criterion with total, class and priority; the aspect averages; then the data
/// issues, location by location.
pub fn render_table(
    rules: &RuleSet,
    rows: &[AssessedRow],
    out: &mut dyn Write,
) -> Result<(), Error> {
    let mut text = format!(
        "Penilaian kumuh: {} ({} versi {}), {} lokasi\n\n",
        rules.name(),
        rules.id(),
        rules.version(),
        rows.len()
    );

    let mut headers: Vec<String> = vec!["baris".into(), "kode_lokasi".into(), "nama_lokasi".into()];
    headers.extend(rules.criteria().iter().map(|c| c.code.clone()));
    headers.extend(["total".into(), "kelas".into(), "prioritas".into()]);
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let a = &r.result;
            let mut cells = vec![
                r.source.row.to_string(),
                a.kode_lokasi.clone(),
                shorten(&a.nama_lokasi, 32),
            ];
            cells.extend(rules.criteria().iter().map(|c| {
                a.criterion(&c.code)
                    .map_or_else(|| "-".to_owned(), |x| x.score.to_string())
            }));
            cells.push(format!("{}/{}", a.total, a.max_total));
            cells.push(a.class.as_str().to_owned());
            cells.push(
                a.priority
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), ToString::to_string),
            );
            cells
        })
        .collect();
    text.push_str("Nilai per kriteria\n");
    text.push_str(&aligned(&headers, &body, 3));

    let mut headers: Vec<String> = vec!["baris".into(), "kode_lokasi".into()];
    headers.extend(
        rules
            .aspects()
            .iter()
            .map(|x| format!("aspek {} %", x.number)),
    );
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut cells = vec![r.source.row.to_string(), r.result.kode_lokasi.clone()];
            cells.extend(
                r.result
                    .aspects
                    .iter()
                    .map(|x| format!("{:.2}", x.average_percent)),
            );
            cells
        })
        .collect();
    text.push_str("\nRata-rata aspek (%)\n");
    text.push_str(&aligned(&headers, &body, 2));

    let with_issues: Vec<&AssessedRow> = rows
        .iter()
        .filter(|r| !r.result.issues.is_empty())
        .collect();
    if !with_issues.is_empty() {
        text.push_str("\nMasalah data (dihitung seperti sistem resmi, tetap perlu diperiksa)\n");
        for r in with_issues {
            for issue in &r.result.issues {
                text.push_str(&format!(
                    "  baris {} {}: {issue}\n",
                    r.source.row, r.result.kode_lokasi
                ));
            }
        }
    }
    out.write_all(text.as_bytes()).map_err(write_err)
}

/// Writes the list of rows left out by `--skip-invalid`, one problem a line.
pub fn render_skipped(skipped: &[SkippedRow], out: &mut dyn Write) -> Result<(), Error> {
    if skipped.is_empty() {
        return Ok(());
    }
    let mut text = format!("{} baris dilewati (skipped rows):\n", skipped.len());
    for s in skipped {
        let code = s.kode_lokasi.as_deref().unwrap_or("?");
        for p in &s.problems {
            text.push_str(&format!(
                "  row {} ({code}): {}\n",
                s.row,
                problem_without_row(p)
            ));
        }
    }
    out.write_all(text.as_bytes()).map_err(write_err)
}

fn problem_without_row(p: &super::read::TableProblem) -> String {
    let mut p = p.clone();
    p.row = None;
    p.to_string()
}

// ---------------------------------------------------------------------------------------
// CSV and XLSX

/// A cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Number(f64),
    Empty,
}

impl Value {
    fn csv(&self) -> String {
        match self {
            Value::Text(s) => csv_text(s).into_owned(),
            Value::Number(n) => format_number(*n),
            Value::Empty => String::new(),
        }
    }
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// The export table's headers: inputs, each criterion's volume, percentage and score,
/// aspects, results, then the rows' extra columns (`attribute_names`, sorted).
pub(super) fn export_headers(rules: &RuleSet, attribute_names: &[String]) -> Vec<String> {
    let mut headers: Vec<String> = [
        "baris",
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
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for c in rules.criteria() {
        headers.push(format!("v{}", c.code));
        headers.push(format!("persen_{}", c.code));
        headers.push(format!("nilai_{}", c.code));
    }
    for x in rules.aspects() {
        headers.push(format!("rata_rata_aspek_{}", x.number));
    }
    headers.extend(
        [
            "total_nilai",
            "nilai_maksimum",
            "kelas",
            "pertimbangan_lain",
            "kelompok_pertimbangan",
            "legal",
            "prioritas",
            "peringkat_prioritas",
            "penanganan",
            "masalah",
            "aturan",
            "versi_aturan",
        ]
        .iter()
        .map(|s| (*s).to_owned()),
    );
    headers.extend(attribute_names.iter().cloned());
    headers
}

/// The export table: headers, and one row of values per location.
fn export_table(rules: &RuleSet, rows: &[AssessedRow]) -> (Vec<String>, Vec<Vec<Value>>) {
    let attribute_names: Vec<String> = rows
        .iter()
        .flat_map(|r| r.source.attributes.keys().cloned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let headers = export_headers(rules, &attribute_names);
    let body = rows
        .iter()
        .map(|r| {
            let i = &r.source.input;
            let a = &r.result;
            let mut v = vec![
                Value::Number(r.source.row as f64),
                text(&i.kode_lokasi),
                text(&i.nama_lokasi),
                text(i.kode_desa.as_str()),
                Value::Number(f64::from(i.tahun)),
                Value::Number(i.luas_ha),
                Value::Number(f64::from(i.jumlah_bangunan)),
                Value::Number(f64::from(i.jumlah_penduduk)),
                Value::Number(f64::from(i.jumlah_kk)),
                Value::Number(i.panjang_jalan_ideal_m),
                Value::Number(i.panjang_drainase_ideal_m),
            ];
            for c in rules.criteria() {
                match a.criterion(&c.code) {
                    Some(x) => {
                        v.push(x.volume.map_or(Value::Empty, Value::Number));
                        v.push(Value::Number(x.percent_rounded));
                        v.push(Value::Number(f64::from(x.score)));
                    }
                    None => v.extend([Value::Empty, Value::Empty, Value::Empty]),
                }
            }
            for x in rules.aspects() {
                v.push(
                    a.aspect(x.number)
                        .map_or(Value::Empty, |y| Value::Number(y.average_percent)),
                );
            }
            v.push(Value::Number(f64::from(a.total)));
            v.push(Value::Number(f64::from(a.max_total)));
            v.push(text(a.class.as_str()));
            match &a.considerations {
                Some(c) => {
                    v.push(Value::Number(f64::from(c.total)));
                    v.push(Value::Number(f64::from(c.group.digit())));
                }
                None => v.extend([Value::Empty, Value::Empty]),
            }
            v.push(
                a.legality
                    .map_or(Value::Empty, |l| text(if l.legal { "ya" } else { "tidak" })),
            );
            match &a.priority {
                Some(p) => {
                    v.push(text(&p.code));
                    v.push(p.rank.map_or(Value::Empty, |n| Value::Number(f64::from(n))));
                }
                None => v.extend([Value::Empty, Value::Empty]),
            }
            v.push(a.handling.as_ref().map_or(Value::Empty, |h| {
                text(h.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", "))
            }));
            v.push(text(
                a.issues
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            ));
            v.push(text(&a.rule_set_id));
            v.push(text(&a.rule_set_version));
            for name in &attribute_names {
                v.push(r.source.attributes.get(name).map_or(Value::Empty, text));
            }
            v
        })
        .collect();
    (headers, body)
}

/// Writes the results as CSV (comma-delimited, decimal point, UTF-8): inputs, each
/// criterion's volume (`v1a`), rounded percentage (`persen_1a`) and score (`nilai_1a`),
/// aspect averages, total, class, priority, handling, issues, then the row's extra
/// columns.
pub fn render_csv(rules: &RuleSet, rows: &[AssessedRow], out: &mut dyn Write) -> Result<(), Error> {
    let (headers, body) = export_table(rules, rows);
    let mut writer = csv::Writer::from_writer(out);
    let csv_err = |source: csv::Error| Error::CsvWrite { source };
    // Extra columns are named by whoever wrote the survey table: headers are defused too.
    writer
        .write_record(headers.iter().map(|h| csv_text(h).into_owned()))
        .map_err(csv_err)?;
    for row in body {
        writer
            .write_record(row.iter().map(Value::csv))
            .map_err(csv_err)?;
    }
    writer.flush().map_err(write_err)
}

fn xlsx_err(source: rust_xlsxwriter::XlsxError) -> Error {
    Error::XlsxWrite { source }
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(rust_xlsxwriter::Color::RGB(0x00DD_EBF7))
}

fn write_header(sheet: &mut Worksheet, headers: &[String]) -> Result<(), Error> {
    let bold = header_format();
    for (col, h) in headers.iter().enumerate() {
        let col = u16::try_from(col).map_err(|_| Error::TooManyColumns)?;
        sheet
            .write_string_with_format(0, col, h, &bold)
            .map_err(xlsx_err)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    Ok(())
}

/// Writes the results as an XLSX workbook: sheet `Hasil` with the columns of
/// [`render_csv`] (numbers as numbers), and sheet `Masalah` listing each data issue.
pub fn render_xlsx(
    rules: &RuleSet,
    rows: &[AssessedRow],
    out: &mut dyn Write,
) -> Result<(), Error> {
    let (headers, body) = export_table(rules, rows);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Hasil").map_err(xlsx_err)?;
    write_header(sheet, &headers)?;
    let percent = Format::new().set_num_format("0.00");
    for (r, row) in body.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| Error::TooManyRows)?;
        for (c, (value, header)) in row.iter().zip(&headers).enumerate() {
            let c = u16::try_from(c).map_err(|_| Error::TooManyColumns)?;
            match value {
                Value::Text(s) => {
                    sheet.write_string(r, c, s).map_err(xlsx_err)?;
                }
                Value::Number(n)
                    if header.starts_with("persen_") || header.starts_with("rata_rata") =>
                {
                    sheet
                        .write_number_with_format(r, c, *n, &percent)
                        .map_err(xlsx_err)?;
                }
                Value::Number(n) => {
                    sheet.write_number(r, c, *n).map_err(xlsx_err)?;
                }
                Value::Empty => {}
            }
        }
    }
    sheet.set_column_width(1, 22).map_err(xlsx_err)?;
    sheet.set_column_width(2, 28).map_err(xlsx_err)?;
    sheet.set_column_width(3, 16).map_err(xlsx_err)?;

    let issues = workbook.add_worksheet();
    issues.set_name("Masalah").map_err(xlsx_err)?;
    let issue_headers: Vec<String> = ["baris", "kode_lokasi", "kriteria", "jenis", "keterangan"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    write_header(issues, &issue_headers)?;
    let mut r = 1u32;
    for row in rows {
        for issue in &row.result.issues {
            issues
                .write_number(r, 0, row.source.row as f64)
                .map_err(xlsx_err)?;
            issues
                .write_string(r, 1, &row.result.kode_lokasi)
                .map_err(xlsx_err)?;
            issues
                .write_string(r, 2, issue.criterion().unwrap_or(""))
                .map_err(xlsx_err)?;
            issues.write_string(r, 3, issue.kind()).map_err(xlsx_err)?;
            issues
                .write_string(r, 4, issue.to_string())
                .map_err(xlsx_err)?;
            r = r.checked_add(1).ok_or(Error::TooManyRows)?;
        }
    }
    issues.set_column_width(1, 22).map_err(xlsx_err)?;
    issues.set_column_width(4, 90).map_err(xlsx_err)?;

    let bytes = workbook.save_to_buffer().map_err(xlsx_err)?;
    out.write_all(&bytes).map_err(write_err)
}
