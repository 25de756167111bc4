//! `kumuh assess` scores a survey table without touching any store; `kumuh template
//! assessments` writes an empty table for surveyors. The work happens in
//! `kumuh_io::assessment`; this module is arguments and wiring.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use kumuh_domain::assessment::DEFAULT_RULE_SET;
use kumuh_io::assessment::{self as tables, ReadMode};

/// How `kumuh assess` prints its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AssessFormat {
    /// Aligned text tables for reading in a terminal.
    Table,
    /// A JSON array, one object per row.
    Json,
    /// CSV, one row per location with inputs, percentages, scores and class.
    Csv,
    /// An Excel workbook with the same columns as CSV; needs --out.
    Xlsx,
}

/// Arguments of `kumuh assess`.
#[derive(Debug, Clone, clap::Args)]
pub struct AssessArgs {
    /// The assessment table: CSV (comma- or semicolon-delimited) or XLSX, one row per
    /// location; `kumuh template assessments` writes an empty one.
    pub file: PathBuf,
    /// Rule set: a built-in name (permen-pupr-14-2018, permen-pupr-02-2016) or a TOML file.
    #[arg(long, value_name = "FILE|NAME", default_value = DEFAULT_RULE_SET)]
    pub rules: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AssessFormat::Table)]
    pub format: AssessFormat,
    /// Leave out rows with problems and list them, instead of failing the whole table.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Write the results to this file instead of standard output (required for xlsx).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Which template `kumuh template` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TemplateKind {
    /// The slum assessment table (penilaian kumuh).
    Assessments,
}

/// File format of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TemplateFormat {
    /// An Excel workbook with an instructions sheet (Petunjuk).
    Xlsx,
    /// A CSV header row.
    Csv,
}

/// Arguments of `kumuh template`.
#[derive(Debug, Clone, clap::Args)]
pub struct TemplateArgs {
    /// Which template.
    #[arg(value_enum)]
    pub kind: TemplateKind,
    /// File format; by default taken from --out's extension, else CSV.
    #[arg(long, value_enum)]
    pub format: Option<TemplateFormat>,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Rule set whose criteria the template's volume columns follow.
    #[arg(long, value_name = "FILE|NAME", default_value = DEFAULT_RULE_SET)]
    pub rules: String,
}

impl TemplateArgs {
    /// The format asked for, else the one --out's extension names, else CSV (which is
    /// safe to print on a terminal).
    pub fn resolved_format(&self) -> TemplateFormat {
        let from_extension = self
            .out
            .as_deref()
            .and_then(Path::extension)
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match (self.format, from_extension.as_deref()) {
            (Some(format), _) => format,
            (None, Some("xlsx")) => TemplateFormat::Xlsx,
            (None, _) => TemplateFormat::Csv,
        }
    }
}

/// Runs `kumuh assess`: reads the table, scores every row and writes the results to
/// `out`. Rows left out by --skip-invalid are listed after the tables in the table
/// format, and on standard error in the JSON and CSV formats so that those stay
/// machine-readable. CSV results are streamed (`assess_csv`); the other formats are
/// built from every row at once (aligned columns, one JSON array, one workbook).
pub fn run_assess(args: &AssessArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let rules = tables::load_rules(&args.rules).context("loading the rule set")?;
    if args.format == AssessFormat::Csv {
        return crate::assess_csv::run(args, &rules, out);
    }
    let mode = if args.skip_invalid {
        ReadMode::SkipInvalid
    } else {
        ReadMode::Strict
    };
    let outcome = tables::read_assessments(&args.file, &rules, mode)
        .context("reading the assessment table")?;
    if args.format == AssessFormat::Xlsx && args.out.is_none() {
        anyhow::bail!("--format xlsx needs --out FILE.xlsx");
    }
    let rows = tables::assess_rows(&rules, outcome.rows);
    let mut file_bytes = Vec::new();
    let out: &mut dyn Write = if args.out.is_some() {
        &mut file_bytes
    } else {
        out
    };
    match args.format {
        AssessFormat::Table => {
            tables::render_table(&rules, &rows, out).context("writing the results")?;
            if !outcome.skipped.is_empty() {
                writeln!(out).context("writing the results")?;
                tables::render_skipped(&outcome.skipped, out)
                    .context("listing the skipped rows")?;
            }
        }
        AssessFormat::Json => {
            tables::render_json(&rows, out).context("writing the results")?;
            tables::render_skipped(&outcome.skipped, &mut std::io::stderr())
                .context("listing the skipped rows")?;
        }
        AssessFormat::Csv => {
            tables::render_csv(&rules, &rows, out).context("writing the results")?;
            tables::render_skipped(&outcome.skipped, &mut std::io::stderr())
                .context("listing the skipped rows")?;
        }
        AssessFormat::Xlsx => {
            tables::render_xlsx(&rules, &rows, out).context("writing the results")?;
            tables::render_skipped(&outcome.skipped, &mut std::io::stderr())
                .context("listing the skipped rows")?;
        }
    }
    if let Some(path) = &args.out {
        std::fs::write(path, &file_bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Runs `kumuh template`: writes the template to --out, saying so on `out`, or to
/// `out` itself.
pub fn run_template(args: &TemplateArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let TemplateKind::Assessments = args.kind;
    let rules = tables::load_rules(&args.rules).context("loading the rule set")?;
    let format = args.resolved_format();
    let mut bytes = Vec::new();
    match format {
        TemplateFormat::Csv => tables::write_template_csv(&rules, &mut bytes),
        TemplateFormat::Xlsx => tables::write_template_xlsx(&rules, &mut bytes),
    }
    .context("building the template")?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, &bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(
                out,
                "wrote {} ({} columns, rule set {} version {})",
                path.display(),
                tables::columns(&rules).len(),
                rules.id(),
                rules.version()
            )
            .context("writing the confirmation")?;
        }
        None => out.write_all(&bytes).context("writing the template")?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kumuh_domain::assessment::RuleSet;

    fn assess_args(file: PathBuf, format: AssessFormat) -> AssessArgs {
        AssessArgs {
            file,
            rules: DEFAULT_RULE_SET.to_owned(),
            format,
            skip_invalid: false,
            out: None,
        }
    }

    #[test]
    fn xlsx_results_go_to_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let table = dir.path().join("wungu.csv");
        std::fs::write(&table, wungu_csv()).unwrap();
        let mut args = assess_args(table, AssessFormat::Xlsx);
        let err = run_assess(&args, &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("needs --out"), "{err}");
        let xlsx = dir.path().join("hasil.xlsx");
        args.out = Some(xlsx.clone());
        let mut stdout = Vec::new();
        run_assess(&args, &mut stdout).unwrap();
        assert!(stdout.is_empty());
        assert_eq!(
            &std::fs::read(&xlsx).unwrap()[..2],
            b"PK",
            "an XLSX is a zip file"
        );
    }

    fn template_args(format: Option<TemplateFormat>, out: Option<PathBuf>) -> TemplateArgs {
        TemplateArgs {
            kind: TemplateKind::Assessments,
            format,
            out,
            rules: DEFAULT_RULE_SET.to_owned(),
        }
    }

    /// The CSV template filled with KAWANKU's Wungu RT003/RW001 record.
    fn wungu_csv() -> String {
        let mut header = Vec::new();
        run_template(&template_args(Some(TemplateFormat::Csv), None), &mut header).unwrap();
        let header = String::from_utf8(header).unwrap();
        let values = "K01,Wungu RT003 RW001,35.19.09.2014,2025,\"2,66\",33,168,42,400,0,\
                      0,0,0,100,300,1,0,0,0,0,7,7,42,42,33,33,,,,,";
        format!("{header}{values}\n")
    }

    #[test]
    fn assess_prints_json_with_published_values() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("wungu.csv");
        std::fs::write(&file, wungu_csv()).unwrap();
        let mut out = Vec::new();
        run_assess(&assess_args(file, AssessFormat::Json), &mut out).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let row = &json[0];
        assert_eq!(row["kode_lokasi"], "K01");
        assert_eq!(row["criteria"]["3a"]["percent"].as_f64(), Some(2.38));
        assert_eq!(row["criteria"]["2b"]["score"], 3);
        assert_eq!(row["aspects"]["3"].as_f64(), Some(1.19));
        assert_eq!(row["total"], 24);
        assert_eq!(row["class"], "kumuh_ringan");
        assert_eq!(row["issues"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn assess_errors_name_the_step_and_the_cell() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.csv");
        std::fs::write(&file, wungu_csv().replace("\"2,66\"", "dua")).unwrap();
        let err = run_assess(&assess_args(file, AssessFormat::Table), &mut Vec::new()).unwrap_err();
        let chain = format!("{err:#}");
        assert!(
            chain.starts_with("reading the assessment table: "),
            "{chain}"
        );
        assert!(
            chain.contains("row 2, column luas_ha (E): `dua` is not a number"),
            "{chain}"
        );

        let mut args = assess_args(dir.path().join("bad.csv"), AssessFormat::Table);
        args.rules = "permen-x".to_owned();
        let err = run_assess(&args, &mut Vec::new()).unwrap_err();
        assert!(format!("{err:#}").starts_with("loading the rule set: "));
    }

    /// A generated table of `n` rows with values that vary from row to row (every
    /// class, issues, considerations and legality filled in some rows), an extra column
    /// filled in some rows and another in none, and a bad row every 1,000 rows when
    /// `bad` is set.
    fn generated_table(n: usize, bad: bool) -> String {
        let mut header = Vec::new();
        run_template(&template_args(Some(TemplateFormat::Csv), None), &mut header).unwrap();
        let mut text = String::from_utf8(header).unwrap();
        text.truncate(text.trim_end().len());
        text.push_str(",catatan,kosong\n");
        for i in 0..n {
            let (a, b, c) = (i % 7, i % 11, i % 13);
            let luas = if bad && i % 1000 == 999 {
                "dua".to_owned()
            } else {
                format!("\"{},{:02}\"", 1 + i % 9, i % 100)
            };
            let volume = |v: usize| {
                if i % 17 == 3 {
                    String::new()
                } else {
                    v.to_string()
                }
            };
            let yes = |x: bool| if x { "ya" } else { "tidak" };
            let extra = if i % 4 == 0 {
                format!(
                    ",{},{},{},{}",
                    yes(a < 3),
                    (i % 3) * 120,
                    yes(b < 5),
                    yes(c < 6)
                )
            } else {
                ",,,,,".to_owned()
            };
            let legal = if i % 4 == 0 { yes(a < 4) } else { "" };
            let catatan = if i % 3 == 0 {
                format!("=catatan {i}")
            } else {
                String::new()
            };
            text.push_str(&format!(
                "K{i},Lokasi {i},35.19.09.2014,{},{luas},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}{extra}{},{catatan},\n",
                2020 + i % 6,
                20 + b * 3,
                100 + c * 7,
                25 + a * 2,
                300 + c * 10,
                200 + b * 10,
                volume(a * 2),
                b,
                c,
                40 + a * 5,
                30 + b * 4,
                a,
                b % 3,
                c % 4,
                volume(a * 20),
                b * 15,
                c * 2,
                a * 3,
                10 + b * 3,
                8 + c * 2,
                5 + a * 4,
                3 + b * 2,
                if legal.is_empty() { String::new() } else { format!(",{legal}") },
            ));
        }
        text
    }

    /// The CSV results as they were written before rows were streamed: the whole
    /// table read, every row scored, then written at once.
    fn csv_at_once(path: &Path, mode: ReadMode) -> Vec<u8> {
        let rules = RuleSet::default_rules();
        let outcome = tables::read_assessments(path, &rules, mode).unwrap();
        let rows = tables::assess_rows(&rules, outcome.rows);
        let mut out = Vec::new();
        tables::render_csv(&rules, &rows, &mut out).unwrap();
        out
    }

    #[test]
    fn streamed_csv_is_the_csv_of_the_whole_table() {
        let dir = tempfile::tempdir().unwrap();
        let table = dir.path().join("besar.csv");
        std::fs::write(&table, generated_table(10_000, false)).unwrap();
        let mut args = assess_args(table.clone(), AssessFormat::Csv);
        let mut streamed = Vec::new();
        run_assess(&args, &mut streamed).unwrap();
        let whole = csv_at_once(&table, ReadMode::Strict);
        assert_eq!(
            String::from_utf8_lossy(&streamed),
            String::from_utf8_lossy(&whole)
        );
        assert_eq!(streamed.iter().filter(|&&b| b == b'\n').count(), 10_001);
        assert!(whole.starts_with(b"baris,"));

        let out = dir.path().join("hasil.csv");
        args.out = Some(out.clone());
        run_assess(&args, &mut Vec::new()).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), whole);

        // Rows left out, and an extra column filled only in a row left out.
        std::fs::write(&table, generated_table(3_000, true)).unwrap();
        args.skip_invalid = true;
        args.out = None;
        let mut streamed = Vec::new();
        run_assess(&args, &mut streamed).unwrap();
        assert_eq!(streamed, csv_at_once(&table, ReadMode::SkipInvalid));
    }

    #[test]
    fn a_refused_table_leaves_no_csv_file() {
        let dir = tempfile::tempdir().unwrap();
        let table = dir.path().join("besar.csv");
        std::fs::write(&table, generated_table(9_000, true)).unwrap();
        let mut args = assess_args(table, AssessFormat::Csv);
        let out = dir.path().join("hasil.csv");
        args.out = Some(out.clone());
        let err = run_assess(&args, &mut Vec::new()).unwrap_err();
        let chain = format!("{err:#}");
        assert!(chain.contains("9 problems, nothing read"), "{chain}");
        assert!(
            chain.contains("row 8001, column luas_ha (E): `dua` is not a number"),
            "{chain}"
        );
        assert!(!out.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no partial file"
        );
    }

    #[test]
    fn template_format_follows_the_flag_then_the_extension() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("penilaian.xlsx");
        let args = template_args(None, Some(path.clone()));
        assert_eq!(args.resolved_format(), TemplateFormat::Xlsx);
        let mut out = Vec::new();
        run_template(&args, &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().starts_with("wrote "));
        // An XLSX file is a zip archive.
        assert_eq!(&std::fs::read(&path).unwrap()[..2], b"PK");
        assert_eq!(
            template_args(None, None).resolved_format(),
            TemplateFormat::Csv
        );
        assert_eq!(
            template_args(Some(TemplateFormat::Xlsx), None).resolved_format(),
            TemplateFormat::Xlsx
        );
    }
}
