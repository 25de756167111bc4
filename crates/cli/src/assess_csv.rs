//! `kumuh assess --format csv`, streamed: the table's records are read in batches on
//! this thread while one thread per core reads, scores and formats the rows of a batch
//! as CSV, and the results are written in table order as they come. Memory stays bounded whatever the table's
//! length, and the bytes are those `kumuh_io::assessment::render_csv` gives for the whole
//! table at once.
//!
//! The header names the extra columns that any row fills, so a table with columns the
//! rule set does not define is read twice: once for those names, once for the results.
//! With `--out`, the results go to a temporary file beside it, renamed into place only
//! when the whole table has been scored; on standard output they are written as they
//! are scored, so a table refused at a late row leaves the rows before it printed (and
//! the command exits with an error).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};

use anyhow::Context;
use kumuh_domain::assessment::RuleSet;
use kumuh_io::assessment::{
    self as tables, AssessmentRows, Batch, BatchReader, RowRead, Scratch, Settled, Settler,
    SkippedRow, TableError, TableProblem,
};

use crate::assess::AssessArgs;

/// Rows read and handed to a scoring thread at a time: enough that handing over costs
/// nothing per row, few enough that the rows in flight stay a few megabytes.
const READ_ROWS: usize = 2048;

/// Valid rows written at a time.
const BATCH_ROWS: usize = 4096;

/// Runs `kumuh assess --format csv`.
pub fn run(args: &AssessArgs, rules: &RuleSet, out: &mut dyn Write) -> anyhow::Result<()> {
    let table = AssessmentRows::open(&args.file, rules).context("reading the assessment table")?;
    let attribute_names = if table.extra_columns().next().is_none() {
        Vec::new()
    } else {
        filled_extra_columns(&args.file, rules).context("reading the assessment table")?
    };
    let skipped = match &args.out {
        None => stream(table, attribute_names, args.skip_invalid, out)?,
        Some(path) => {
            let temporary = temporary_beside(path);
            let written = std::fs::File::create(&temporary)
                .with_context(|| format!("writing {}", temporary.display()))
                .and_then(|mut file| {
                    let skipped = stream(table, attribute_names, args.skip_invalid, &mut file)?;
                    file.sync_all()
                        .with_context(|| format!("writing {}", temporary.display()))?;
                    Ok(skipped)
                });
            let placed = written.and_then(|skipped| {
                std::fs::rename(&temporary, path)
                    .with_context(|| format!("writing {}", path.display()))?;
                Ok(skipped)
            });
            if placed.is_err() {
                // Nothing half-written stays behind; the error says what went wrong.
                let _ = std::fs::remove_file(&temporary);
            }
            placed?
        }
    };
    tables::render_skipped(&skipped, &mut std::io::stderr()).context("listing the skipped rows")
}

/// The sorted names of the extra columns that any valid row fills: the extra columns of
/// the results (an extra column empty in every row is left out, as `render_csv` does).
fn filled_extra_columns(path: &Path, rules: &RuleSet) -> Result<Vec<String>, tables::Error> {
    let mut names = BTreeSet::new();
    for row in AssessmentRows::open(path, rules)? {
        if let RowRead::Valid(row) = row? {
            names.extend(row.attributes.into_keys());
        }
    }
    Ok(names.into_iter().collect())
}

/// `dir/.name.partial`: a sibling of `path`, so that the rename stays on one file system.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.partial"))
}

/// Reads, scores and writes the whole table; gives the rows left out by --skip-invalid.
fn stream(
    table: AssessmentRows<'_>,
    attribute_names: Vec<String>,
    skip_invalid: bool,
    out: &mut dyn Write,
) -> anyhow::Result<Vec<SkippedRow>> {
    let (reader, scorer, settler) = table.into_batches(attribute_names);
    let header = scorer.header().context("writing the results")?;
    out.write_all(&header).context("writing the results")?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (to_score, filled) = mpsc::channel::<(usize, Batch)>();
    let filled = Mutex::new(filled);
    let (to_settle, scored) = mpsc::channel::<(usize, Batch)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (filled, scorer, to_settle) = (&filled, &scorer, to_settle.clone());
            scope.spawn(move || {
                let mut scratch = Scratch::default();
                loop {
                    let next = match filled.lock() {
                        Ok(filled) => filled.recv(),
                        Err(_) => break,
                    };
                    let Ok((sequence, mut batch)) = next else {
                        break;
                    };
                    scorer.score(&mut batch, &mut scratch);
                    if to_settle.send((sequence, batch)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(to_settle);
        let file = scorer.file().to_owned();
        // Returning drops `to_score`, which stops the scoring threads.
        read_and_settle(
            reader,
            to_score,
            scored,
            2 * threads + 2,
            settler,
            file,
            skip_invalid,
            out,
        )
    })
}

/// Reads batches and hands them to the scoring threads while taking the scored ones
/// back in table order and writing their rows; gives the rows left out by
/// --skip-invalid. The same `in_flight` batches go round, read into again once written,
/// so that their buffers are allocated once and memory stays bounded.
#[allow(clippy::too_many_arguments)]
fn read_and_settle(
    mut reader: BatchReader,
    to_score: mpsc::Sender<(usize, Batch)>,
    scored: mpsc::Receiver<(usize, Batch)>,
    in_flight: usize,
    mut settler: Settler,
    file: String,
    skip_invalid: bool,
    out: &mut dyn Write,
) -> anyhow::Result<Vec<SkippedRow>> {
    let mut free: Vec<Batch> = (0..in_flight).map(|_| Batch::new()).collect();
    let mut problems: Vec<TableProblem> = Vec::new();
    let mut skipped = Vec::new();
    let mut read = Ok(());
    // Rows are written BATCH_ROWS at a time; those after the last full group are written
    // only once the whole table has been read without error.
    let mut pending = Vec::with_capacity(1 << 20);
    let mut pending_rows = 0;
    let mut waiting = BTreeMap::new();
    let (mut sent, mut next) = (0, 0);
    let mut reading = true;
    loop {
        while reading && let Some(mut batch) = free.pop() {
            if !reader.fill(&mut batch, READ_ROWS) {
                reading = false;
                break;
            }
            // A short batch is the table's last: it ended, or a read error ended it.
            reading = batch.len() == READ_ROWS;
            if to_score.send((sent, batch)).is_err() {
                anyhow::bail!("scoring the assessment table stopped");
            }
            sent += 1;
        }
        if next == sent {
            break;
        }
        let Ok((sequence, batch)) = scored.recv() else {
            anyhow::bail!("scoring the assessment table stopped");
        };
        waiting.insert(sequence, batch);
        while let Some(mut batch) = waiting.remove(&next) {
            next += 1;
            for row in settler.settle(&batch) {
                match row {
                    Settled::Invalid(s) if skip_invalid => skipped.push(s),
                    Settled::Invalid(s) => problems.extend(s.problems),
                    // Once the table is refused nothing more is written; only its
                    // problems are gathered.
                    Settled::Row(_) if !problems.is_empty() => {}
                    Settled::Row(bytes) => {
                        pending.extend_from_slice(bytes);
                        pending_rows += 1;
                        if pending_rows == BATCH_ROWS {
                            out.write_all(&pending).context("writing the results")?;
                            pending.clear();
                            pending_rows = 0;
                        }
                    }
                }
            }
            if let Some(e) = batch.take_error() {
                read = Err(e);
            }
            free.push(batch);
        }
    }
    drop(to_score);
    read.context("reading the assessment table")?;
    if !problems.is_empty() {
        return Err(
            anyhow::Error::new(tables::Error::Table(TableError { file, problems }))
                .context("reading the assessment table"),
        );
    }
    out.write_all(&pending).context("writing the results")?;
    Ok(skipped)
}
