//! `kumuh assess --format csv`, streamed: the table is read row by row on one thread
//! while another scores batches of rows and formats them as CSV, and the results are
//! written in table order as they come. Memory stays bounded whatever the table's
//! length, and the bytes are those `kumuh_io::assessment::render_csv` gives for the whole
//! table at once.
//!
//! The header names the extra columns that any row fills, so a table with columns the
//! rule set does not define is read twice: once for those names, once for the results.
//! With `--out`, the results go to a temporary file beside it, renamed into place only
//! when the whole table has been scored; on standard output they are written as they
//! are scored, so a table refused at a late row leaves the rows before it printed (and
//! the command exits with an error).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use anyhow::Context;
use kumuh_domain::assessment::{RuleSet, assess};
use kumuh_io::assessment::{
    self as tables, AssessedRow, AssessmentRow, AssessmentRows, ResultsCsv, RowRead, SkippedRow,
    TableError, TableProblem,
};

use crate::assess::AssessArgs;

/// Rows handed to the scoring thread at a time: large enough that handing over costs
/// nothing per row, small enough that the rows in flight stay a few megabytes.
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
        None => stream(table, rules, attribute_names, args.skip_invalid, out)?,
        Some(path) => {
            let temporary = temporary_beside(path);
            let written = std::fs::File::create(&temporary)
                .with_context(|| format!("writing {}", temporary.display()))
                .and_then(|mut file| {
                    let skipped =
                        stream(table, rules, attribute_names, args.skip_invalid, &mut file)?;
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
    rules: &RuleSet,
    attribute_names: Vec<String>,
    skip_invalid: bool,
    out: &mut dyn Write,
) -> anyhow::Result<Vec<SkippedRow>> {
    let file = table.file().to_owned();
    let (to_score, batches) = mpsc::sync_channel::<Vec<AssessmentRow>>(2);
    // Unbounded, so that the scoring thread never waits for the reading thread while
    // that one waits to hand over a batch; what it holds is bounded by the batches in
    // flight.
    let (to_write, scored) = mpsc::channel::<Result<Vec<u8>, tables::Error>>();
    // Scored rows go back to the reading thread to be freed there: the allocator serves
    // each thread from its own arena, and freeing one thread's many small allocations on
    // another makes both wait on the first arena's lock (half the time of the whole
    // command, measured with `perf`, before this).
    let (to_free, spent) = mpsc::channel::<Vec<AssessmentRow>>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut csv = ResultsCsv::new(rules, attribute_names);
            let header = csv.header().and_then(|()| csv.take());
            let failed = header.is_err();
            if to_write.send(header).is_err() || failed {
                return;
            }
            for batch in batches {
                let mut chunk = Ok(());
                let mut done = Vec::with_capacity(batch.len());
                for source in batch {
                    let result = assess(rules, &source.input);
                    let row = AssessedRow { source, result };
                    chunk = csv.row(&row);
                    done.push(row.source);
                    if chunk.is_err() {
                        break;
                    }
                }
                // The reading thread may have stopped already; then the rows are freed here.
                let _ = to_free.send(done);
                let bytes = chunk.and_then(|()| csv.take());
                let failed = bytes.is_err();
                if to_write.send(bytes).is_err() || failed {
                    return;
                }
            }
        });

        let write_out = |bytes: Result<Vec<u8>, tables::Error>, out: &mut dyn Write| {
            let bytes = bytes.context("writing the results")?;
            out.write_all(&bytes).context("writing the results")
        };
        let mut problems: Vec<TableProblem> = Vec::new();
        let mut skipped = Vec::new();
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        let mut read = Ok(());
        for row in table {
            match row {
                Err(e) => {
                    read = Err(e);
                    break;
                }
                Ok(RowRead::Invalid(s)) if skip_invalid => skipped.push(s),
                Ok(RowRead::Invalid(s)) => problems.extend(s.problems),
                // Once the table is refused nothing more is scored; only its problems
                // are gathered.
                Ok(RowRead::Valid(_)) if !problems.is_empty() => {}
                Ok(RowRead::Valid(row)) => {
                    batch.push(row);
                    if batch.len() == BATCH_ROWS {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
                        if to_score.send(full).is_err() {
                            // The scoring thread stopped on an error, waiting below.
                            break;
                        }
                        while let Ok(bytes) = scored.try_recv() {
                            write_out(bytes, out)?;
                        }
                        spent.try_iter().for_each(drop);
                    }
                }
            }
        }
        if read.is_ok() && problems.is_empty() && !batch.is_empty() {
            let _ = to_score.send(batch);
        }
        drop(to_score);
        for bytes in scored {
            write_out(bytes, out)?;
            spent.try_iter().for_each(drop);
        }
        read.context("reading the assessment table")?;
        if !problems.is_empty() {
            return Err(
                anyhow::Error::new(tables::Error::Table(TableError { file, problems }))
                    .context("reading the assessment table"),
            );
        }
        Ok(skipped)
    })
}
