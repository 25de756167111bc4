//! `kumuh import-assessments`: scores a survey table and stores the results, one per
//! location, year and basis.
//!
//! The table is read row by row and scored and written in batches, so that memory stays
//! bounded whatever the table's length (1,000,000 rows: see the README). All batches
//! are written in one transaction, committed only when the whole table has been read:
//! a bad row near the end still leaves the store as it was, and every problem is listed
//! with its row and column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use kumuh_app::assessments::AssessmentImport;
use kumuh_domain::Kode;
use kumuh_domain::assessment::Hasil;
use kumuh_io::assessment::{
    self as tables, AssessmentRow, AssessmentRows, RowRead, SkippedRow, TableError, TableProblem,
};
use kumuh_store::{OpenMode, Store};

use crate::commands::Opened;

use crate::commands::{atlas, open};

/// Arguments of `kumuh import-assessments`.
#[derive(Debug, Args)]
pub struct ImportAssessmentsArgs {
    /// The assessment table: CSV or XLSX, as `kumuh template assessments` writes it.
    file: PathBuf,
    /// Rule set: a built-in name or a TOML file.
    #[arg(long, value_name = "FILE|NAME", default_value = kumuh_domain::assessment::DEFAULT_RULE_SET)]
    rules: String,
    /// Store the valid rows and list the rows left out, instead of storing nothing.
    #[arg(long)]
    skip_invalid: bool,
    /// Criteria whose volume comes from the mapped road and drainage lines instead of
    /// the table (2a, 2b, 4b, 4c; comma-separated), where the location has a polygon.
    /// The stored record says which value was used.
    #[arg(long, value_delimiter = ',', value_name = "CRITERIA")]
    peta: Vec<String>,
    /// Rows scored and written at a time (memory grows with it; the import stays one
    /// transaction whatever its size).
    #[arg(long, value_name = "ROWS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u32).range(1..))]
    batch_rows: u32,
}

/// Runs `kumuh import-assessments` on the store at `path`.
pub async fn run(path: &Path, args: ImportAssessmentsArgs) -> anyhow::Result<()> {
    let name = args.file.display().to_string();
    let rules = tables::load_rules(&args.rules).context("loading the rule set")?;
    for code in &args.peta {
        if !kumuh_domain::jaringan::KRITERIA.contains(&code.as_str()) {
            bail!("--peta: `{code}` cannot be derived from the map; use 2a, 2b, 4b or 4c");
        }
    }
    let table = AssessmentRows::open(&args.file, &rules).context("reading the assessment table")?;
    let mut import = Import {
        path,
        rules: &rules,
        strict: !args.skip_invalid,
        batch_rows: args.batch_rows as usize,
        choices: args
            .peta
            .iter()
            .map(|c| (c.clone(), kumuh_domain::jaringan::Sumber::Peta))
            .collect(),
        store: None,
        writer: None,
        known: HashMap::new(),
        batch: Vec::new(),
        problems: Vec::new(),
        skipped: Vec::new(),
        unknown: Vec::new(),
    };
    let outcome = import.all(table).await;
    // Dropping an uncommitted writer rolls its transaction back before the store closes.
    let (store, writer) = (import.store.take(), import.writer.take());
    let report = match (outcome, writer) {
        (Ok(()), Some(writer)) => writer.commit().await.map_err(anyhow::Error::from),
        (Ok(()), None) => Ok(Default::default()),
        (Err(e), writer) => {
            drop(writer);
            Err(e)
        }
    };
    if let Some(store) = store {
        store.close().await;
    }
    let report = report?;
    println!(
        "{name}: {} assessment(s) added, {} updated in {}",
        report.inserted,
        report.updated,
        path.display()
    );
    let skipped = import.skipped.len() + import.unknown.len();
    if skipped > 0 {
        let mut err = std::io::stderr();
        tables::render_skipped(&import.skipped, &mut err).context("listing the skipped rows")?;
        for u in &import.unknown {
            eprintln!("skipped {u}");
        }
        eprintln!("{skipped} row(s) skipped");
    }
    Ok(())
}

/// One import under way: the rows waiting to be written, what was written, and every
/// problem found so far.
struct Import<'a> {
    path: &'a Path,
    rules: &'a kumuh_domain::assessment::RuleSet,
    strict: bool,
    batch_rows: usize,
    choices: kumuh_domain::jaringan::Choices,
    /// Opened at the first valid row, so that a table refused from its first rows on
    /// does not create a store.
    store: Option<Opened>,
    /// Started at the first batch; holds the one transaction of the whole import.
    writer: Option<AssessmentImport>,
    /// Whether each desa code met so far is a desa of the atlas.
    known: HashMap<Kode, bool>,
    batch: Vec<AssessmentRow>,
    /// Problems of the table, in strict mode (any fails the import).
    problems: Vec<TableProblem>,
    /// Rows left out for problems of the table, with --skip-invalid.
    skipped: Vec<SkippedRow>,
    /// Rows whose desa the atlas does not know.
    unknown: Vec<String>,
}

impl Import<'_> {
    /// Reads the whole table, writing batch by batch while nothing has failed the
    /// import; then the problems, if any fail it.
    async fn all(&mut self, table: AssessmentRows<'_>) -> anyhow::Result<()> {
        let file = table.file().to_owned();
        for row in table {
            match row.context("reading the assessment table")? {
                RowRead::Invalid(skipped) if self.strict => self.problems.extend(skipped.problems),
                RowRead::Invalid(skipped) => self.skipped.push(skipped),
                // Once the table is refused only its problems matter: the desa of later
                // rows are not looked up.
                RowRead::Valid(_) if !self.problems.is_empty() => {}
                RowRead::Valid(row) => self.add(row).await?,
            }
        }
        if !self.problems.is_empty() {
            let problems = std::mem::take(&mut self.problems);
            return Err(
                anyhow::Error::new(tables::Error::Table(TableError { file, problems }))
                    .context("reading the assessment table"),
            );
        }
        if self.strict && !self.unknown.is_empty() {
            bail!(
                "{file}: {} problem(s), nothing stored: {}",
                self.unknown.len(),
                self.unknown.join("; ")
            );
        }
        self.flush().await?;
        if self.store.is_none() {
            // A table without rows still opens (and so creates) the store, as an
            // import of rows would.
            self.store = Some(open(self.path, OpenMode::CreateIfMissing).await?);
        }
        Ok(())
    }

    /// Checks a valid row's desa and queues it, writing a full batch.
    async fn add(&mut self, row: AssessmentRow) -> anyhow::Result<()> {
        let store = match self.store.take() {
            Some(store) => store,
            None => open(self.path, OpenMode::CreateIfMissing).await?,
        };
        let store = self.store.insert(store);
        let kode = row.input.kode_desa.clone();
        let known = match self.known.get(&kode) {
            Some(known) => *known,
            None => {
                let known = store.place(&kode).await?.is_some();
                self.known.insert(kode, known);
                known
            }
        };
        if !known {
            self.unknown.push(format!(
                "row {}, column kode_desa: no desa {} in the store",
                row.row, row.input.kode_desa
            ));
            return Ok(());
        }
        // In strict mode an unknown desa fails the import: nothing more is written.
        if self.strict && !self.unknown.is_empty() {
            return Ok(());
        }
        self.batch.push(row);
        if self.batch.len() >= self.batch_rows {
            self.flush().await?;
        }
        Ok(())
    }

    /// Scores the queued rows and writes them into the import's transaction.
    async fn flush(&mut self) -> anyhow::Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let Some(store) = &self.store else {
            return Ok(());
        };
        let mut rows = std::mem::take(&mut self.batch);
        let mut applied = Vec::with_capacity(rows.len());
        for row in &mut rows {
            applied.push(if self.choices.is_empty() {
                Vec::new()
            } else {
                derive_for(
                    store.shared().as_ref(),
                    &mut row.input.volumes,
                    &row.input.kode_lokasi,
                    &self.choices,
                )
                .await?
            });
        }
        let assessed = tables::assess_rows(self.rules, rows);
        let records: Vec<kumuh_store::AssessmentRecord> = assessed
            .iter()
            .zip(&applied)
            .map(|(a, applied)| {
                kumuh_app::assessments::record_of(
                    a,
                    Hasil {
                        sumber_volume: Some(applied.clone()),
                        ..tables::hasil(a)
                    },
                    kumuh_domain::assessment::Dasar::Survei,
                    None,
                )
            })
            .collect();
        let writer = match self.writer.take() {
            Some(writer) => writer,
            None => kumuh_app::assessments::begin_import(&atlas(store)).await?,
        };
        self.writer.insert(writer).write(&records).await?;
        Ok(())
    }
}

/// Replaces the chosen criteria's volumes with those derived from the mapped lines inside
/// the location's polygon; a location without a polygon keeps its surveyed values.
async fn derive_for(
    store: &dyn Store,
    volumes: &mut std::collections::BTreeMap<String, f64>,
    kode_lokasi: &str,
    choices: &kumuh_domain::jaringan::Choices,
) -> anyhow::Result<Vec<kumuh_domain::jaringan::Applied>> {
    let Some(lokasi) = store.lokasi(kode_lokasi).await? else {
        return Ok(Vec::new());
    };
    let bbox = kumuh_domain::geometry::bbox(&lokasi.geometry);
    let ruas = match bbox {
        Some(b) => store.jaringan(Some(b)).await?,
        None => Vec::new(),
    };
    let derived = kumuh_domain::jaringan::derive_volumes(&lokasi.geometry, &ruas);
    for issue in &derived.issues {
        tracing::warn!(lokasi = kode_lokasi, %issue, "deriving volumes from the map");
    }
    Ok(kumuh_domain::jaringan::apply(volumes, &derived, choices))
}
